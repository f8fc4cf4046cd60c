/* SPDX-License-Identifier: MIT */
/* progress.h: a one-line progress display on a terminal for long runs (building, tracing). */
#pragma once

#include <glib.h>

/*
 * Writes "flowsim: PHASE..." or "flowsim: PHASE NN%" on one line of @fd, redrawn in place
 * with a carriage return, and erased by fsim_progress_free(). A disabled progress writes
 * nothing at all; the CLI enables it only when stderr is a terminal and --quiet is not given.
 * A phase is shown at once when the caller says it will be long, otherwise only once it has
 * lasted FSIM_PROGRESS_DELAY seconds (so quick runs never flicker); redraws are at most ten
 * a second.
 */
#define FSIM_PROGRESS_DELAY 0.5

typedef struct FsimProgress FsimProgress;

/* @fd: where to write (2 for stderr); @enabled: FALSE makes every call a no-op. Can't fail. */
FsimProgress *fsim_progress_new (int fd, gboolean enabled);
/* For tests: show phases after @seconds instead of FSIM_PROGRESS_DELAY. */
void fsim_progress_set_delay (FsimProgress *p, double seconds);
/* Starts @phase (a static string), shown now if @long_phase, else after the delay. */
void fsim_progress_phase (FsimProgress *p, const char *phase, gboolean long_phase);
/* An FsimProgressFunc (engine.h) for @user_data = the FsimProgress: @fraction of @phase done. */
void fsim_progress_update (const char *phase, double fraction, void *user_data);
/* Erases the line if anything was shown, and frees @p. Accepts NULL. */
void fsim_progress_free (FsimProgress *p);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsimProgress, fsim_progress_free)

/* TRUE if progress should be shown on stderr: it is a terminal and not @quiet. */
gboolean fsim_progress_wanted (gboolean quiet);
