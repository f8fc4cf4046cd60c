/* SPDX-License-Identifier: MIT */
/* possible-report.h: the possible analysis as text and JSON. */
#pragma once

#include <glib.h>

#include "possible.h"

/* Appends the analysis as text (a table of flows, then the blocking situations of each
 * possible one) or as one JSON document (docs/analysis.md). */
void fsim_possible_render_text (const FsimPossible *pp, GString *out);
void fsim_possible_render_json (const FsimPossible *pp, GString *out);
/* The most bytes fsim_possible_render_json() (@json) or _text() appends for @pp, computed without
 * rendering, for fsim_room_reserve() (room.h). Can't fail. */
guint64 fsim_possible_room (const FsimPossible *pp, gboolean json);
