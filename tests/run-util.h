/* SPDX-License-Identifier: MIT */
/* run-util.h: running the built flowsim ($FLOWSIM) from a test, and scratch directories. */
#pragma once

#include <string.h>

#include <glib.h>

typedef struct {
    int status; /* exit status, -1 if killed by a signal */
    char *out;  /* stdout: text, up to its first NUL byte (out_len is its strlen) */
    gsize out_len;
    char *err; /* stderr */
} FsimTestRun;

void fsim_test_run_free (FsimTestRun *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsimTestRun, fsim_test_run_free)

/* Runs $FLOWSIM with @args (NULL-terminated) in @cwd (NULL: the current directory), with the
 * environment changed by @env (NULL-terminated, may be NULL): "NAME=VALUE" sets NAME, "NAME"
 * alone unsets it. */
FsimTestRun *fsim_test_run (const char *cwd, const char *const *env, const char *const *args);

/* flowsim ARGS... in the current directory and environment. */
#define FSIM_RUN(...) fsim_test_run (NULL, NULL, (const char *const[]){ __VA_ARGS__, NULL })

/* Asserts that @haystack contains @needle, printing both if not. */
#define fsim_assert_contains(haystack, needle)                                                     \
    do {                                                                                           \
        const char *h_ = (haystack), *n_ = (needle);                                               \
        if (strstr (h_, n_) == NULL) {                                                             \
            g_test_message ("'%s' not found in:\n%s", n_, h_);                                     \
            g_assert_nonnull (strstr (h_, n_));                                                    \
        }                                                                                          \
    } while (0)

/* A new empty directory under $TMPDIR, removed with everything in it by
 * fsim_test_scratch_free() (transfer full). */
char *fsim_test_scratch_new (void);
void fsim_test_scratch_free (char *dir);

/* The names in @dir, sorted, joined by spaces (transfer full). */
char *fsim_test_dir_listing (const char *dir);

/* Writes @text to @dir/@name and returns the path (transfer full). */
char *fsim_test_write (const char *dir, const char *name, const char *text, gssize len);

/* TRUE when this process runs under valgrind (meson test --setup=valgrind), whose children
 * (flowsim) then run under it too: tests cap what they ask of it. */
gboolean fsim_test_under_valgrind (void);

/* The environment of a run that tests/truncate-inject.c empties @file in, right after flowsim
 * first reads or maps it: { "LD_PRELOAD=...", "FLOWSIM_TRUNCATE_FILE=@file", NULL } (transfer
 * full). NULL, the test skipped, where a preload cannot run: under ASan (its runtime must come
 * first), under valgrind, or without FLOWSIM_TRUNCATE_INJECT (the module, set by meson). */
char **fsim_test_truncate_env (const char *file);

/* Caps this process's address space (the soft RLIMIT_AS) @slack bytes above what it maps now, for
 * a test run in a subprocess (g_test_trap_subprocess()) that must run out of memory;
 * fsim_test_address_space_uncap() lifts the cap again. FALSE, and the test skipped, under ASan
 * or valgrind, whose runtimes reserve more address space than the cap. */
gboolean fsim_test_address_space_cap (guint64 slack);
void fsim_test_address_space_uncap (void);
/* For a test that caps its address space: TRUE in the child process, where the test's body
 * runs; FALSE in the parent, once the child (g_test_trap_subprocess()) has passed, and FALSE
 * with the test skipped under ASan, whose runtime reserves more address space than a cap. */
gboolean fsim_test_capped_child (void);
