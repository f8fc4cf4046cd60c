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
