/* SPDX-License-Identifier: MIT */
/* policy.c: decides every (partner, API, scope) triple once, from precomputed rule matches. */
#include "config.h"

#include <string.h>

#include "policy.h"

/*
 * Decisions live in one flat array. Partner p's k-th integrated API starts at
 * decisions[pair_offset[partner_pair[p] + k]], followed by one decision per scope of the API.
 */
struct FsimDecisions {
    FsimDay day;
    size_t n_partners;
    size_t *partner_pair; /* [p]: index of (p, 0) among all (partner, API) pairs; n_partners + 1 */
    size_t *pair_offset;  /* [pair]: first decision of the pair; n_pairs + 1 */
    size_t *pair_scopes;  /* [pair]: scopes of that API, for bounds checks */
    FsimDecision *decisions;
};

/* Which rules select which partners, APIs and scopes, computed once per decisions object. */
typedef struct {
    size_t n_rules;
    guint8 *partner;    /* [r * n_partners + p] */
    guint8 *api;        /* [r * n_apis + a] */
    size_t *scope_base; /* [a]: first scope of API a among all scopes; n_apis + 1 */
    guint8 *scope;      /* [r * n_all_scopes + scope_base[a] + s] */
} RuleMatches;

static const char *const verdict_names[] = {
    [FSIM_VERDICT_ALLOWED] = "allowed",           [FSIM_VERDICT_DENIED] = "denied",
    [FSIM_VERDICT_NO_ALLOW] = "no_allow",         [FSIM_VERDICT_NOT_REQUESTED] = "not_requested",
    [FSIM_VERDICT_API_INACTIVE] = "api_inactive",
};
G_STATIC_ASSERT (G_N_ELEMENTS (verdict_names) == _FSIM_VERDICT_MAX);

const char *
fsim_verdict_to_string (FsimVerdict v)
{
    g_return_val_if_fail ((unsigned) v < _FSIM_VERDICT_MAX, NULL);
    return verdict_names[v];
}

static gboolean
rule_selects_partner (const FsimRule *rule, const FsimPartner *p)
{
    for (size_t i = 0; rule->partners && rule->partners[i]; i++)
        if (fsim_partner_selector_matches (p, rule->partners[i]))
            return TRUE;
    return FALSE;
}

gboolean
fsim_rule_matches (const FsimScenario *scenario, const FsimRule *rule, size_t partner, size_t api,
                   size_t scope)
{
    g_return_val_if_fail (scenario != NULL && rule != NULL, FALSE);
    g_return_val_if_fail (partner < scenario->n_partners && api < scenario->n_apis, FALSE);
    const FsimApi *a = &scenario->apis[api];
    g_return_val_if_fail (scope < a->n_scopes, FALSE);

    return rule_selects_partner (rule, &scenario->partners[partner]) &&
           fsim_any_glob_matches (rule->apis, a->id) &&
           fsim_any_glob_matches (rule->scopes, a->scopes[scope].id);
}

static void
rule_matches_init (RuleMatches *m, const FsimScenario *s)
{
    m->n_rules = s->n_rules;
    m->scope_base = g_new (size_t, s->n_apis + 1);
    m->scope_base[0] = 0;
    for (size_t a = 0; a < s->n_apis; a++)
        m->scope_base[a + 1] = m->scope_base[a] + s->apis[a].n_scopes;
    size_t n_all = m->scope_base[s->n_apis];

    m->partner = g_new0 (guint8, s->n_rules * s->n_partners + 1);
    m->api = g_new0 (guint8, s->n_rules * s->n_apis + 1);
    m->scope = g_new0 (guint8, s->n_rules * n_all + 1);
    for (size_t r = 0; r < s->n_rules; r++) {
        const FsimRule *rule = &s->rules[r];
        for (size_t p = 0; p < s->n_partners; p++)
            m->partner[r * s->n_partners + p] = rule_selects_partner (rule, &s->partners[p]);
        for (size_t a = 0; a < s->n_apis; a++) {
            const FsimApi *api = &s->apis[a];
            m->api[r * s->n_apis + a] = fsim_any_glob_matches (rule->apis, api->id);
            for (size_t sc = 0; sc < api->n_scopes; sc++)
                m->scope[r * n_all + m->scope_base[a] + sc] =
                    fsim_any_glob_matches (rule->scopes, api->scopes[sc].id);
        }
    }
}

static void
rule_matches_clear (RuleMatches *m)
{
    g_free (m->partner);
    g_free (m->api);
    g_free (m->scope_base);
    g_free (m->scope);
}

/* The rules in force on @day decide (p, a, s): first deny, else first allow, else NO_ALLOW. */
static FsimDecision
decide_by_rules (const FsimScenario *s, const RuleMatches *m, FsimDay day, size_t p, size_t a,
                 size_t sc)
{
    size_t n_all = m->scope_base[s->n_apis];
    gssize first_allow = -1;
    for (size_t r = 0; r < s->n_rules; r++) {
        if (!fsim_window_contains (s->rules[r].window, day) || !m->partner[r * s->n_partners + p] ||
            !m->api[r * s->n_apis + a] || !m->scope[r * n_all + m->scope_base[a] + sc])
            continue;
        if (!s->rules[r].allow)
            return (FsimDecision){ .verdict = FSIM_VERDICT_DENIED, .rule = (gssize) r };
        if (first_allow < 0)
            first_allow = (gssize) r;
    }
    if (first_allow >= 0)
        return (FsimDecision){ .verdict = FSIM_VERDICT_ALLOWED, .rule = first_allow };
    return (FsimDecision){ .verdict = FSIM_VERDICT_NO_ALLOW, .rule = -1 };
}

static FsimDecision
decide (const FsimScenario *s, const RuleMatches *m, FsimDay day, size_t p, size_t a, size_t sc)
{
    const FsimApi *api = &s->apis[a];
    if (!fsim_window_contains (api->active, day))
        return (FsimDecision){ .verdict = FSIM_VERDICT_API_INACTIVE, .rule = -1 };
    if (!fsim_any_glob_matches (s->partners[p].requests, api->scopes[sc].id))
        return (FsimDecision){ .verdict = FSIM_VERDICT_NOT_REQUESTED, .rule = -1 };
    return decide_by_rules (s, m, day, p, a, sc);
}

/* Lays out the offsets of every (partner, API) pair; returns the number of decisions. */
static size_t
layout (FsimDecisions *d, const FsimScenario *s)
{
    size_t n_pairs = 0;
    d->partner_pair = g_new (size_t, s->n_partners + 1);
    for (size_t p = 0; p < s->n_partners; p++) {
        d->partner_pair[p] = n_pairs;
        n_pairs += s->partners[p].n_apis;
    }
    d->partner_pair[s->n_partners] = n_pairs;

    d->pair_offset = g_new (size_t, n_pairs + 1);
    d->pair_scopes = g_new (size_t, n_pairs + 1);
    size_t n = 0;
    for (size_t p = 0; p < s->n_partners; p++) {
        const FsimPartner *partner = &s->partners[p];
        for (size_t k = 0; k < partner->n_apis; k++) {
            size_t pair = d->partner_pair[p] + k;
            d->pair_offset[pair] = n;
            d->pair_scopes[pair] = s->apis[partner->apis[k]].n_scopes;
            n += d->pair_scopes[pair];
        }
    }
    d->pair_offset[n_pairs] = n;
    d->pair_scopes[n_pairs] = 0;
    return n;
}

FsimDecisions *
fsim_decisions_new (const FsimScenario *scenario, FsimDay day)
{
    g_return_val_if_fail (scenario != NULL, NULL);

    FsimDecisions *d = g_new0 (FsimDecisions, 1);
    d->day = day;
    d->n_partners = scenario->n_partners;
    d->decisions = g_new (FsimDecision, layout (d, scenario) + 1);

    RuleMatches m;
    rule_matches_init (&m, scenario);
    for (size_t p = 0; p < scenario->n_partners; p++) {
        const FsimPartner *partner = &scenario->partners[p];
        for (size_t k = 0; k < partner->n_apis; k++) {
            size_t a = partner->apis[k];
            FsimDecision *out = &d->decisions[d->pair_offset[d->partner_pair[p] + k]];
            for (size_t sc = 0; sc < scenario->apis[a].n_scopes; sc++)
                out[sc] = decide (scenario, &m, day, p, a, sc);
        }
    }
    rule_matches_clear (&m);
    return d;
}

void
fsim_decisions_free (FsimDecisions *d)
{
    if (!d)
        return;
    g_free (d->partner_pair);
    g_free (d->pair_offset);
    g_free (d->pair_scopes);
    g_free (d->decisions);
    g_free (d);
}

FsimDay
fsim_decisions_get_day (const FsimDecisions *d)
{
    g_return_val_if_fail (d != NULL, FSIM_DAY_MIN);
    return d->day;
}

const FsimDecision *
fsim_decisions_get (const FsimDecisions *d, size_t partner, size_t k, size_t scope)
{
    g_return_val_if_fail (d != NULL && partner < d->n_partners, NULL);
    size_t pair = d->partner_pair[partner] + k;
    g_return_val_if_fail (pair < d->partner_pair[partner + 1], NULL);
    g_return_val_if_fail (scope < d->pair_scopes[pair], NULL);
    return &d->decisions[d->pair_offset[pair] + scope];
}
