/* SPDX-License-Identifier: MIT */
/* possible-report.h: the possible analysis as text and JSON. */
#pragma once

#include <glib.h>

#include "possible.h"

/* Appends the analysis as text (a table of flows, then the blocking situations of each
 * possible one) or as one JSON document (docs/analysis.md). */
void fsim_possible_render_text (const FsimPossible *pp, GString *out);
void fsim_possible_render_json (const FsimPossible *pp, GString *out);
