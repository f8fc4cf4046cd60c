/* SPDX-License-Identifier: MIT */
/* findings.h: what a run found, in a few plain sentences, for the top of the reports. */
#pragma once

#include <glib.h>

#include "engine.h"
#include "scenario.h"

/**
 * fsim_findings_new:
 * The findings of @result (a run of @scenario) as plain sentences, most important first: who
 * reached how many users and how many of them without consent, the partners that reached most
 * (named ones first; the partners tagged "unnamed" summed up in one clause), where the data
 * was kept (servers in which countries, or the users' own devices), and the sensitive fields
 * that got out. Numbers have thousands separators; no internal codes. Deterministic.
 * Returns: (transfer full) (element-type utf8): the sentences. Can't fail.
 */
GPtrArray *fsim_findings_new (const FsimScenario *scenario, const FsimResult *result);

/* Is @p one of many look-alike partners the sources do not name (tag "unnamed")? The reports
 * fold their rows into one unless asked for all. */
gboolean fsim_partner_is_unnamed (const FsimPartner *p);

/* The smallest and largest of @values[p] (one per partner) over the unnamed partners; FALSE
 * (outputs untouched) when there is none. */
gboolean fsim_unnamed_range (const FsimScenario *s, const size_t *values, size_t *out_lo,
                             size_t *out_hi);

/* Sorts @partners (partner indices) by the users they reached, most first, then model order.
 * Can't fail. */
void fsim_partners_sort_by_reach (const FsimResult *r, GArray *partners);
