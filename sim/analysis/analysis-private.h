/* SPDX-License-Identifier: MIT */
/* analysis-private.h: small helpers shared by the analysis commands (explain, diff, check, ...). */
#pragma once

#include <glib.h>

#include "scenario.h"

/* "FILE:LINE:COL" of @loc (transfer full); "" when unknown. */
char *fsim_i_loc_string (FsimLoc loc);
/* The jurisdiction of a destination: its ISO code, or "device". Static or owned by @d. */
const char *fsim_i_dest_jurisdiction (const FsimDestination *d);
/* "on device" or "server, CN" (transfer full, cleaned for a terminal). */
char *fsim_i_dest_where (const FsimDestination *d);

/* Appends @s cleaned for a terminal (control and bidi characters shown as '?'). */
void fsim_i_append_clean (GString *out, const char *s);
/* Appends "id (name)", or just "id" when the name is the id, both cleaned. */
void fsim_i_append_partner (GString *out, const FsimPartner *p);
/* Appends "rule ID (FILE:LINE:COL)", cleaned. */
void fsim_i_append_rule (GString *out, const FsimScenario *s, size_t rule);

/*
 * The (field, partner) pairs `possible` and `explain` analyse at a time: each pair can list
 * hundreds of routes, so all 2 million at the model limits would take gigabytes and hours
 * (docs/robustness.md); --field and --partner (the library's field and partner) choose fewer.
 */
#define FSIM_ANALYSIS_MAX_PAIRS 65536u

#define FSIM_ANALYSIS_ERROR (fsim_analysis_error_quark ())
GQuark fsim_analysis_error_quark (void);

typedef enum {
    FSIM_ANALYSIS_ERROR_TOO_MANY_PAIRS, /* more (field, partner) pairs than analysed at a time */
} FsimAnalysisError;

/* TRUE when @fields x @partners (bit sets of @s; NULL: all) are at most
 * FSIM_ANALYSIS_MAX_PAIRS; otherwise FALSE with FSIM_ANALYSIS_ERROR_TOO_MANY_PAIRS naming
 * @command ("explain", "possible"). The CLI and the library give the same message. */
gboolean fsim_i_check_pairs (const FsimScenario *s, const FsimWord *fields,
                             const FsimWord *partners, const char *command, GError **error);
