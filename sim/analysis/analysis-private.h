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
