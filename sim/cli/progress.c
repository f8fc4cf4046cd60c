/* SPDX-License-Identifier: MIT */
/* progress.c: the progress line for long runs, on a terminal only (see progress.h). */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "progress.h"

#define REDRAW_INTERVAL 0.1

struct FsimProgress {
    int fd;
    gboolean enabled;
    gboolean shown; /* something is on the line */
    double delay;
    GTimer *phase_timer; /* since the phase started */
    GTimer *draw_timer;  /* since the last draw */
    const char *phase;
    int last_percent; /* -1: none drawn for this phase */
};

FsimProgress *
fsim_progress_new (int fd, gboolean enabled)
{
    FsimProgress *p = g_new0 (FsimProgress, 1);

    p->fd = fd;
    p->enabled = enabled;
    p->delay = FSIM_PROGRESS_DELAY;
    p->phase_timer = g_timer_new ();
    p->draw_timer = g_timer_new ();
    p->last_percent = -1;
    return p;
}

void
fsim_progress_set_delay (FsimProgress *p, double seconds)
{
    g_return_if_fail (p != NULL);
    p->delay = seconds;
}

/* Writes all of @text, ignoring errors: progress is never worth failing a run for. */
static void
put (const FsimProgress *p, const char *text)
{
    size_t len = strlen (text);

    while (len > 0) {
        ssize_t n = write (p->fd, text, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        text += n;
        len -= (size_t) n;
    }
}

static void
draw (FsimProgress *p, int percent)
{
    g_autofree char *line = percent < 0
                                ? g_strdup_printf ("\rflowsim: %s...\033[K", p->phase)
                                : g_strdup_printf ("\rflowsim: %s %3d%%\033[K", p->phase, percent);

    put (p, line);
    p->shown = TRUE;
    p->last_percent = percent;
    g_timer_start (p->draw_timer);
}

void
fsim_progress_phase (FsimProgress *p, const char *phase, gboolean long_phase)
{
    g_return_if_fail (p != NULL && phase != NULL);
    if (!p->enabled)
        return;
    p->phase = phase;
    p->last_percent = -1;
    g_timer_start (p->phase_timer);
    if (long_phase || p->delay <= 0 || p->shown)
        draw (p, -1);
}

void
fsim_progress_update (const char *phase, double fraction, void *user_data)
{
    FsimProgress *p = user_data;
    int percent = (int) (CLAMP (fraction, 0.0, 1.0) * 100.0);

    g_return_if_fail (p != NULL && phase != NULL);
    if (!p->enabled)
        return;
    if (p->phase == NULL || strcmp (p->phase, phase) != 0) {
        p->phase = phase;
        p->last_percent = -1;
        g_timer_start (p->phase_timer);
    }
    if (!p->shown && g_timer_elapsed (p->phase_timer, NULL) < p->delay)
        return;
    if (percent != p->last_percent && (g_timer_elapsed (p->draw_timer, NULL) >= REDRAW_INTERVAL ||
                                       percent == 100 || p->last_percent < 0))
        draw (p, percent);
}

void
fsim_progress_free (FsimProgress *p)
{
    if (p == NULL)
        return;
    if (p->enabled && p->shown)
        put (p, "\r\033[K");
    g_timer_destroy (p->phase_timer);
    g_timer_destroy (p->draw_timer);
    g_free (p);
}

gboolean
fsim_progress_wanted (gboolean quiet)
{
    return !quiet && isatty (STDERR_FILENO);
}
