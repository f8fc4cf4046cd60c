/* SPDX-License-Identifier: MIT */
/* run-util.c: running the built flowsim ($FLOWSIM) from a test, and scratch directories. */
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>

#include "fuzz-util.h"
#include "run-util.h"
#include "test-util.h"

void
fsim_test_run_free (FsimTestRun *r)
{
    if (!r)
        return;
    g_free (r->out);
    g_free (r->err);
    g_free (r);
}

FsimTestRun *
fsim_test_run (const char *cwd, const char *const *env, const char *const *args)
{
    const char *exe = g_getenv ("FLOWSIM");
    g_autoptr (GPtrArray) argv = g_ptr_array_new ();
    g_auto (GStrv) envp = g_get_environ ();
    g_autoptr (GError) error = NULL;
    FsimTestRun *r = g_new0 (FsimTestRun, 1);
    int wait_status = 0;

    g_assert_nonnull (exe);
    g_ptr_array_add (argv, (gpointer) exe);
    for (size_t i = 0; args[i]; i++)
        g_ptr_array_add (argv, (gpointer) args[i]);
    g_ptr_array_add (argv, NULL);
    for (size_t i = 0; env && env[i]; i++) {
        g_auto (GStrv) kv = g_strsplit (env[i], "=", 2);
        envp =
            kv[1] ? g_environ_setenv (envp, kv[0], kv[1], TRUE) : g_environ_unsetenv (envp, kv[0]);
    }
    g_spawn_sync (cwd, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL, &r->out, &r->err,
                  &wait_status, &error);
    g_assert_no_error (error);
    r->out_len = strlen (r->out); /* g_spawn_sync gives no length: reports hold no NUL */
    r->status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
    g_test_message ("flowsim %s: exit %d; stderr: %s", args[0], r->status, r->err);
    return r;
}

char *
fsim_test_scratch_new (void)
{
    g_autoptr (GError) error = NULL;
    char *dir = g_dir_make_tmp ("flowsim-test-XXXXXX", &error);
    g_assert_no_error (error);
    return dir;
}

void
fsim_test_scratch_free (char *dir)
{
    if (!dir)
        return;
    fsim_fuzz_remove_tree (dir);
    g_free (dir);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
    return strcmp (*(const char *const *) a, *(const char *const *) b);
}

char *
fsim_test_dir_listing (const char *dir)
{
    g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
    g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
    const char *name;

    g_assert_nonnull (d);
    while ((name = g_dir_read_name (d)) != NULL)
        g_ptr_array_add (names, g_strdup (name));
    g_ptr_array_sort (names, compare_names);
    g_ptr_array_add (names, NULL);
    return g_strjoinv (" ", (char **) names->pdata);
}

char *
fsim_test_write (const char *dir, const char *name, const char *text, gssize len)
{
    g_autoptr (GError) error = NULL;
    char *path = g_build_filename (dir, name, NULL);
    g_file_set_contents (path, text, len, &error);
    g_assert_no_error (error);
    return path;
}

gboolean
fsim_test_under_valgrind (void)
{
    const char *preload = g_getenv ("LD_PRELOAD");
    return preload != NULL && strstr (preload, "vgpreload") != NULL;
}

char **
fsim_test_truncate_env (const char *file)
{
#ifdef UNDER_ASAN
    (void) file;
    g_test_skip ("AddressSanitizer's runtime must come first: no LD_PRELOAD");
    return NULL;
#else
    const char *module = g_getenv ("FLOWSIM_TRUNCATE_INJECT");
    if (fsim_test_under_valgrind () || !module) {
        g_test_skip ("no LD_PRELOAD under valgrind, or FLOWSIM_TRUNCATE_INJECT not set");
        return NULL;
    }
    char **env = g_new0 (char *, 3);
    env[0] = g_strconcat ("LD_PRELOAD=", module, NULL);
    env[1] = g_strconcat ("FLOWSIM_TRUNCATE_FILE=", file, NULL);
    return env;
#endif
}

static struct rlimit uncapped;

gboolean
fsim_test_address_space_cap (guint64 slack)
{
#ifdef UNDER_ASAN
    (void) slack;
    g_test_skip ("AddressSanitizer reserves more address space than the cap");
    return FALSE;
#else
    if (fsim_test_under_valgrind ()) {
        g_test_skip ("valgrind's address space is its own");
        return FALSE;
    }
    g_autofree char *statm = NULL;
    g_assert_true (g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL));
    guint64 used = g_ascii_strtoull (statm, NULL, 10) * (guint64) sysconf (_SC_PAGESIZE);
    g_assert_cmpuint (used, >, 0);
    g_assert_cmpint (getrlimit (RLIMIT_AS, &uncapped), ==, 0);
    struct rlimit cap = { (rlim_t) (used + slack), uncapped.rlim_max }; /* the soft limit alone */
    g_assert_cmpint (setrlimit (RLIMIT_AS, &cap), ==, 0);
    return TRUE;
#endif
}

gboolean
fsim_test_capped_child (void)
{
#ifdef UNDER_ASAN
    g_test_skip ("AddressSanitizer reserves more address space than the cap");
    return FALSE;
#else
    if (g_test_subprocess ())
        return TRUE;
    if (fsim_test_under_valgrind ()) { /* the child's cap would skip, which fails the trap */
        g_test_skip ("valgrind's address space is its own");
        return FALSE;
    }
    g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed ();
    return FALSE;
#endif
}

void
fsim_test_address_space_uncap (void)
{
    g_assert_cmpint (setrlimit (RLIMIT_AS, &uncapped), ==, 0);
}
