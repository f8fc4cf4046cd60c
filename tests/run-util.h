/* SPDX-License-Identifier: MIT */
/* run-util.h: running the built flowsim ($FLOWSIM) from a test, and scratch directories. */
#pragma once

#include <glib.h>

typedef struct {
    int status;   /* exit status, -1 if killed by a signal */
    char *out;    /* stdout (may hold NUL bytes: see out_len) */
    gsize out_len;
    char *err;    /* stderr */
} FsimTestRun;

void fsim_test_run_free (FsimTestRun *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsimTestRun, fsim_test_run_free)

/* Runs $FLOWSIM with @args (NULL-terminated) in @cwd (NULL: the current directory), with the
 * environment plus @env ("NAME=VALUE" strings, NULL-terminated, may be NULL). */
FsimTestRun *fsim_test_run (const char *cwd, const char *const *env, const char *const *args);

/* A new empty directory under $TMPDIR, removed with everything in it by
 * fsim_test_scratch_free() (transfer full). */
char *fsim_test_scratch_new (void);
void fsim_test_scratch_free (char *dir);

/* Writes @text to @dir/@name and returns the path (transfer full). */
char *fsim_test_write (const char *dir, const char *name, const char *text, gssize len);

/* TRUE when this process runs under valgrind (meson test --setup=valgrind), whose children
 * (flowsim) then run under it too: tests cap what they ask of it. */
gboolean fsim_test_under_valgrind (void);
