/* SPDX-License-Identifier: MIT */
/* claims-report.h: the contested facts, as every report states them and as flowsim claims lists. */
#pragma once

#include <glib.h>

#include "claims-effect.h"
#include "json-writer.h"
#include "scenario.h"

/*
 * Every report says which alternative of each claim the numbers rest on, and whether it is the
 * library's default (docs/format.md, "Claims"):
 *
 * text: a section "Claims in force", one block per claim:
 *     apple-access: Did Apple's device-integrated access continue after September 2017?
 *       in force: Facebook's June 2018 answer ... (facebook-2018-06; the default; stated by Facebook)
 *       alternative: Apple's statement ... (apple-2017-09; stated by Apple)
 *   nothing when the scenario has no claims.
 * json: a member "claims": [ { "id", "question", "in_force", "default", "is_default",
 *   "summary", "evidence", "party", "alternatives": [ALT_ID...] } ] (always present).
 * csv: the cell of the "claims" column: "CLAIM=ALT (default); CLAIM=ALT (chosen; default
 *   ALT)", claims in file order.
 */
void fsim_claims_report_text (const FsimScenario *s, GString *out);
void fsim_claims_report_json (FsimJsonWriter *w, const FsimScenario *s);
/* The one-line form for a header of aligned pairs: "  Claims    CLAIM=ALT (default); ...
 * (flowsim claims)\n"; nothing without claims. (timeline, explain, possible) */
void fsim_claims_report_header_line (const FsimScenario *s, GString *out);
/* Returns: (transfer full) the CSV cell's text (not yet quoted). Can't fail. */
char *fsim_claims_report_csv_cell (const FsimScenario *s);
/* The same with @chosen[i] (an index into claim i's alternatives) in force instead of each
 * claim's own choice: a sweep whose settings pick alternatives. @chosen may be NULL. */
char *fsim_claims_report_csv_cell_with (const FsimScenario *s, const size_t *chosen);
/* One claim's part of the cell, without its id: "ALT (default)" or "ALT (chosen; default
 * ALT)" for alternative @chosen (transfer full; not cleaned). */
char *fsim_claims_report_choice (const FsimClaim *c, size_t chosen);

/*
 * flowsim claims: every claim, its alternatives, their evidence, party, summary and sources.
 * json: { "scenario": ID|null, "claims": [ { "id", "question", "default", "chosen",
 *   "alternatives": [ { "id", "evidence", "party": STR|null, "summary", "sets": [PATH...],
 *   "sources": [ { "publisher", "title", "date", "url", "read_at", "note" } ] } ] } ] }
 *   (a bare-URL source has only "url" non-null).
 */
void fsim_claims_render_list (const FsimScenario *s, gboolean json, GString *out);

/*
 * flowsim claims --effect: per partner, its numbers with every claim as in force, then for each
 * claim that moves them the numbers under each alternative; a partner no claim moves is "solid".
 * json: { "scenario", "partners": [ { "id", "users_reached", "users_reached_without_consent",
 *   "solid": BOOL, "claims": [ { "claim", "moves": BOOL, "users_reached": [MIN, MAX],
 *   "users_reached_without_consent": [MIN, MAX], "alternatives": [ { "id", "in_force": BOOL,
 *   "users_reached", "users_reached_without_consent" } ] } ] } ] }
 */
void fsim_claims_render_effects (const FsimScenario *s, const FsimClaimEffects *e, gboolean json,
                                 GString *out);

/* The most bytes fsim_claims_render_list() (either format) appends for @s, computed without
 * rendering, for fsim_room_reserve() (room.h). Can't fail. */
guint64 fsim_claims_room_list (const FsimScenario *s);
/* The same for fsim_claims_render_effects() with @e. Can't fail. */
guint64 fsim_claims_room_effects (const FsimScenario *s, const FsimClaimEffects *e);
/* The most bytes fsim_claims_report_text() or fsim_claims_report_json() (at a depth of at most
 * 4) appends for @s; the claims' strings bound it. Can't fail. */
guint64 fsim_claims_room_report (const FsimScenario *s);
