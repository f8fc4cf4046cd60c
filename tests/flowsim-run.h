/* SPDX-License-Identifier: MIT */
/* flowsim-run.h: run the built flowsim binary ($FLOWSIM) in a child process, for CLI tests. */
#pragma once

#include <string.h>
#include <sys/wait.h>

#include <glib.h>

/*
 * Header-only (every function static), like json-check.h, so that any test program can use it
 * without a build change. The child gets the test's environment; stdout and stderr are kept.
 */
typedef struct {
    int status; /* exit status; -1 if the child did not exit normally */
    char *out;
    char *err;
} FsimRun;

static void
fsim_run_free (FsimRun *r)
{
    if (r == NULL)
        return;
    g_free (r->out);
    g_free (r->err);
    g_free (r);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsimRun, fsim_run_free)

static FsimRun *
fsim_run_argv (const char *const *args)
{
    const char *exe = g_getenv ("FLOWSIM");
    g_autoptr (GPtrArray) argv = g_ptr_array_new ();
    g_autoptr (GError) error = NULL;
    FsimRun *r = g_new0 (FsimRun, 1);
    int wait_status = 0;

    g_assert_nonnull (exe);
    g_ptr_array_add (argv, (gpointer) exe);
    for (size_t i = 0; args[i]; i++)
        g_ptr_array_add (argv, (gpointer) args[i]);
    g_ptr_array_add (argv, NULL);
    g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &r->out,
                  &r->err, &wait_status, &error);
    g_assert_no_error (error);
    r->status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
    g_test_message ("exit %d; stderr: %s", r->status, r->err);
    return r;
}

#define FSIM_RUN(...) fsim_run_argv ((const char *const[]) { __VA_ARGS__, NULL })

/* Asserts that @haystack contains @needle, printing both if not. */
#define fsim_assert_contains(haystack, needle)                                                 \
    do {                                                                                       \
        const char *h_ = (haystack), *n_ = (needle);                                           \
        if (strstr (h_, n_) == NULL) {                                                         \
            g_test_message ("'%s' not found in:\n%s", n_, h_);                                 \
            g_assert_nonnull (strstr (h_, n_));                                                \
        }                                                                                      \
    } while (0)
