/* SPDX-License-Identifier: MIT */
/* policy.h: evaluates allow / deny rules into a decision per (partner, API, scope) on a date. */
#pragma once

#include <glib.h>

#include "scenario.h"

typedef enum {
    FSIM_VERDICT_ALLOWED,       /* requested, API active, an allow rule and no deny */
    FSIM_VERDICT_DENIED,        /* a deny rule matched (rule says which) */
    FSIM_VERDICT_NO_ALLOW,      /* requested but no allow rule matched: denied by default */
    FSIM_VERDICT_NOT_REQUESTED, /* the partner does not request this scope */
    FSIM_VERDICT_API_INACTIVE,  /* the API is outside its active window */
    _FSIM_VERDICT_MAX
} FsimVerdict;

const char *fsim_verdict_to_string (FsimVerdict v);

typedef struct {
    FsimVerdict verdict;
    gint32 rule; /* the deciding rule (deny, or first allow), -1 if none (rules < 2^31) */
} FsimDecision;

typedef struct FsimDecisions FsimDecisions;

/**
 * fsim_decisions_try_new:
 * Decides every (partner, integrated API, scope) triple of @scenario on @day. Their arrays are
 * sized by the model (up to 2^24 decisions, 128 MiB) and are tried, not assumed.
 * Returns: (transfer full): the decisions, or NULL with FSIM_GRAPH_ERROR_NOMEM ("out of memory:
 *   needed N bytes for the decisions of P partners") when memory runs out.
 */
FsimDecisions *fsim_decisions_try_new (const FsimScenario *scenario, FsimDay day, GError **error);
/* As fsim_decisions_try_new(), aborting as g_new does when memory runs out: for tests and
 * small models; the commands use fsim_decisions_try_new(). */
FsimDecisions *fsim_decisions_new (const FsimScenario *scenario, FsimDay day);
void fsim_decisions_free (FsimDecisions *d);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsimDecisions, fsim_decisions_free)

/* The day @d was decided for. Can't fail. */
FsimDay fsim_decisions_get_day (const FsimDecisions *d);

/* @k indexes partner->apis (the partner's k-th integrated API), @scope that API's scopes. */
const FsimDecision *fsim_decisions_get (const FsimDecisions *d, size_t partner, size_t k,
                                        size_t scope);

/* Does @rule select this partner / API / scope (ignoring dates)? */
gboolean fsim_rule_matches (const FsimScenario *scenario, const FsimRule *rule, size_t partner,
                            size_t api, size_t scope);

/*
 * Which rules select which partners, APIs and scopes (ignoring dates), matched once into bit sets
 * for work over many triples (deciding them, lint). At most rules x (partners + APIs + scopes)
 * bits, which the loader limits to 2^28 (32 MiB).
 */
typedef struct FsimRuleIndex FsimRuleIndex;

/* (transfer full): the index, or NULL with FSIM_GRAPH_ERROR_NOMEM when memory runs out. */
FsimRuleIndex *fsim_rule_index_try_new (const FsimScenario *scenario, GError **error);
/* The same, aborting as g_new does when memory runs out. */
FsimRuleIndex *fsim_rule_index_new (const FsimScenario *scenario);
void fsim_rule_index_free (FsimRuleIndex *ix);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsimRuleIndex, fsim_rule_index_free)

/* The partners @rule selects: a bit set of scenario->partner_words words, owned by @ix. */
const FsimWord *fsim_rule_index_partners (const FsimRuleIndex *ix, size_t rule);
gboolean fsim_rule_index_selects_api (const FsimRuleIndex *ix, size_t rule, size_t api);
/* Writes the scopes of @api that @rule selects into @out, FSIM_BITS_WORDS (n_scopes) words. */
void fsim_rule_index_scopes (const FsimRuleIndex *ix, size_t rule, size_t api, FsimWord *out);
