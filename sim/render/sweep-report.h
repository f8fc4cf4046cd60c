/* SPDX-License-Identifier: MIT */
/* sweep-report.h: a sweep's summaries and tornado as text, JSON or CSV. */
#pragma once

#include <glib.h>

#include "report.h"
#include "sweep.h"

/**
 * fsim_sweep_render:
 * @tornado: the metric whose tornado to add, or -1 for none
 *
 * Appends @sweep to @out: text (a header, then per setting a table of mean, 95 % interval, min
 * and max per metric, then the tornado), JSON (the same as data) or CSV (one row per setting and
 * metric; with @tornado, the tornado's bars instead). Can't fail.
 */
void fsim_sweep_render (const FsimSweep *sweep, FsimReportFormat format, gssize tornado,
                        GString *out);

/* The most bytes fsim_sweep_render() appends for @sweep in any format, with or without a tornado,
 * computed without rendering, for fsim_room_reserve() (room.h): its rows grow with the settings
 * times the metrics. Can't fail. */
guint64 fsim_sweep_room (const FsimSweep *sweep);
