/* SPDX-License-Identifier: MIT */
/* report.h: renders a run as text, JSON or CSV. */
#pragma once

#include <glib.h>

#include "engine.h"

typedef enum {
    FSIM_REPORT_TEXT,
    FSIM_REPORT_JSON,
    FSIM_REPORT_CSV,
    _FSIM_REPORT_MAX
} FsimReportFormat;

/* "text", "json" or "csv" to the format; FALSE (and @out untouched) for anything else. */
gboolean fsim_report_format_from_string (const char *s, FsimReportFormat *out);
/* The name of @format (static string). */
const char *fsim_report_format_to_string (FsimReportFormat format);

/*
 * The formats. All three are deterministic (the same inputs give the same bytes, whatever the
 * locale) and valid UTF-8 (invalid input bytes become U+FFFD). "Users" are always counts of
 * distinct users.
 *
 * Every format states the claims in force (the alternative each contested fact takes, and
 * whether it is the default): claims-report.h.
 *
 * text: a report for people: header (scenario, title, date, seed), the claims in force,
 *   population summary and the
 *   users of each partner, then distinct users reached per partner and destination, per field
 *   and per jurisdiction, each with how many without consent, and for a partner whose users
 *   agreed through a notice alleged to be deceptive (its "consent") and whose users' own data
 *   reached it, a paragraph saying so.
 *   Rows with no users are left out.
 *   Control characters in names are shown as '?'. The layout may change between versions:
 *   parse the JSON or CSV instead.
 *
 * json: a stable document (2-space indent, trailing newline; strings escaped per RFC 8259):
 *   {
 *     "flowsim": VERSION, "scenario": ID|null, "title": STRING|null, "date": "YYYY-MM-DD",
 *     "seed": N,
 *     "population": { "users": N, "friendships": N },
 *     "claims": [ { "id", "question", "in_force", "default", "is_default", "summary",
 *                   "evidence", "party", "alternatives": [ALT_ID...] } ],
 *     "partners": [ { "id", "name", "kind", "country": ISO|null, "users" (who use it),
 *                     "users_reached", "users_reached_without_consent",
 *                     "consent": "unchallenged"|"deceptive" } ],   (model order)
 *     "flows": [ { "field", "partner", "destination", "location": "device"|"server",
 *                  "jurisdiction": ISO|"device", "users", "users_without_consent",
 *                  "channels": { "self", "friend", "friend_of_friend", "downstream" } } ],
 *     "fields": [ { "id", "sensitive": BOOL, "users", "users_without_consent" } ],
 *     "jurisdictions": [ { "jurisdiction", "users", "users_without_consent" } ]
 *   }
 *   "flows" has one row per (field, partner, destination) where the destination receives the
 *   field, fields outermost, all in model order, zero rows included. A row's counts are those
 *   of its (field, partner) pair: users whose field reached the partner (and so every
 *   destination of it that receives the field). A user reached through several channels
 *   counts in each of them.
 *
 * csv: the "flows" table, one header row
 *   field,partner,destination,location,jurisdiction,users,users_without_consent,self,friend,
 *   friend_of_friend,downstream
 *   (and a last column "claims", "CLAIM=ALT (default); ...", when the scenario has claims)
 *   then one row per flow as in JSON. Quoting per RFC 4180; lines end in LF. A text cell that
 *   starts with = + - @ TAB or CR is prefixed with ' and quoted, so a spreadsheet does not run
 *   it as a formula.
 */

/**
 * fsim_report_render:
 * @pop: (nullable): NULL leaves out the text line on the users with the platform switch off
 *   (its count is @result's platform_off)
 *
 * Appends the report of @result (a run of @scenario) to @out. Can't fail. Deterministic.
 */
void fsim_report_render (const FsimScenario *scenario, const FsimPopulation *pop,
                         const FsimResult *result, FsimReportFormat format, GString *out);

typedef struct {
    gboolean all; /* text: a row for every partner (else the "unnamed" ones share one row) */
} FsimReportOptions;

/* fsim_report_render() with @options (nullable: the defaults). The text report opens with
 * the findings in sentences (findings.h), then the tables. Can't fail. */
void fsim_report_render_with (const FsimScenario *scenario, const FsimPopulation *pop,
                              const FsimResult *result, FsimReportFormat format,
                              const FsimReportOptions *options, GString *out);

/**
 * fsim_report_room:
 * Returns: the most bytes fsim_report_render_with() appends for @result (a run of @scenario) in
 *   @format, computed without rendering, for fsim_room_reserve() (room.h). Can't fail.
 */
guint64 fsim_report_room (const FsimScenario *scenario, const FsimResult *result,
                          FsimReportFormat format);
