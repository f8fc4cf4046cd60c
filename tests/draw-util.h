/* SPDX-License-Identifier: MIT */
/* draw-util.h: helpers for the diagram, timeline and HTML tests (header-only, all static). */
#pragma once

#include <string.h>
#include <sys/wait.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "cli-sim.h"
#include "loader.h"
#include "test-util.h"

/* A finished child: exit status (-1 if killed), standard output and error. */
typedef struct {
    int status;
    char *out;
    char *err;
    gsize out_len;
} DrawRun;

static inline void
draw_run_free (DrawRun *r)
{
    if (!r)
        return;
    g_free (r->out);
    g_free (r->err);
    g_free (r);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrawRun, draw_run_free)

/* Runs @argv (NULL-terminated, argv[0] a program in PATH or a path) with @env ("NAME=VALUE"
 * pairs overriding the environment; nullable), without a shell. */
static inline DrawRun *
draw_spawn (const char *const *argv, const char *const *env)
{
    g_auto (GStrv) envp = g_get_environ ();
    g_autoptr (GError) error = NULL;
    DrawRun *r = g_new0 (DrawRun, 1);
    int wait_status = 0;

    for (size_t i = 0; env && env[i]; i++) {
        g_auto (GStrv) kv = g_strsplit (env[i], "=", 2);
        envp = g_environ_setenv (envp, kv[0], kv[1] ? kv[1] : "", TRUE);
    }
    g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_SEARCH_PATH, NULL, NULL, &r->out, &r->err,
                  &wait_status, &error);
    g_assert_no_error (error);
    r->status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
    g_test_message ("%s: exit %d; stderr: %.2000s", argv[0], r->status, r->err);
    return r;
}

/* Runs $FLOWSIM with @args (NULL-terminated) and @env (nullable). */
static inline DrawRun *
draw_flowsim (const char *const *env, const char *const *args)
{
    g_autoptr (GPtrArray) argv = g_ptr_array_new ();
    const char *exe = g_getenv ("FLOWSIM");
    g_assert_nonnull (exe);
    g_ptr_array_add (argv, (gpointer) exe);
    for (size_t i = 0; args[i]; i++)
        g_ptr_array_add (argv, (gpointer) args[i]);
    g_ptr_array_add (argv, NULL);
    return draw_spawn ((const char *const *) argv->pdata, env);
}

#define FLOWSIM(...) draw_flowsim (NULL, (const char *const[]){ __VA_ARGS__, NULL })
#define FLOWSIM_ENV(env, ...) draw_flowsim (env, (const char *const[]){ __VA_ARGS__, NULL })

/* Loads and simulates tests/data/@dir/@name; asserts success. */
static inline FsimSim *
draw_sim (const char *dir, const char *name)
{
    g_autofree char *path = fsim_test_data_path (dir, name, NULL);
    g_autoptr (GError) error = NULL;
    FsimExit status = FSIM_EXIT_OK;
    FsimSim *sim = fsim_i_cli_sim_new (path, NULL, &status, &error);
    g_assert_no_error (error);
    g_assert_nonnull (sim);
    return sim;
}

/* Is Graphviz's dot there? Skips the test (TAP skip) when not. */
static inline gboolean
draw_have_dot (void)
{
    g_autofree char *dot = g_find_program_in_path ("dot");
    if (dot == NULL)
        g_test_skip ("Graphviz's dot is not installed");
    return dot != NULL;
}

/* A temporary directory, removed (with its files, one level) by draw_tmpdir_remove(). */
static inline char *
draw_tmpdir (void)
{
    g_autoptr (GError) error = NULL;
    char *dir = g_dir_make_tmp ("flowsim-draw-XXXXXX", &error);
    g_assert_no_error (error);
    return dir;
}

static inline void
draw_tmpdir_remove (const char *dir)
{
    g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name (d)) != NULL) {
        g_autofree char *path = g_build_filename (dir, name, NULL);
        if (g_file_test (path, G_FILE_TEST_IS_DIR)) {
            draw_tmpdir_remove (path);
        } else {
            g_remove (path);
        }
    }
    g_rmdir (dir);
}
