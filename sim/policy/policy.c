/* SPDX-License-Identifier: MIT */
/* policy.c: decides every (partner, API, scope) triple once, from precomputed rule matches. */
#include "config.h"

#include <string.h>

#include "memory.h"
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

/* ---- which rules select what: bit sets, built once ------------------------------------------ */

/*
 * Deciding (partner, API, scope) triples one rule at a time costs decisions x rules checks, up to
 * 2^31 at the limits (docs/format.md#limits), and matching globs on each would be slower still.
 * So every rule's selectors are matched once, into bit sets over the partners, the APIs and all
 * the scopes (rules x (partners + APIs + scopes) <= 2^28 bits: at most 32 MiB), and a partner's
 * scopes of one API are then decided 64 at a time.
 */
struct FsimRuleIndex {
    size_t n_rules, n_apis;
    size_t pw, aw, sw;  /* words per rule: partners, APIs, all scopes (+ 1, see extract) */
    size_t *scope_base; /* [a]: first scope of API a among all scopes; n_apis + 1 */
    FsimWord *partner;  /* [r * pw] */
    FsimWord *api;      /* [r * aw] */
    FsimWord *scope;    /* [r * sw] */
};

typedef enum { SELECT_ID, SELECT_KIND, SELECT_TAG } SelectorKind;

/* Does the compiled partner selector (@kind, @glob) select @p? As fsim_partner_selector_matches. */
static gboolean
selector_matches (SelectorKind kind, const FsimGlob *glob, const FsimPartner *p)
{
    switch (kind) {
    case SELECT_KIND:
        return fsim_glob_match (glob, p->kind);
    case SELECT_TAG:
        for (char **t = p->tags; t && *t; t++)
            if (fsim_glob_match (glob, *t))
                return TRUE;
        return FALSE;
    default:
        return fsim_glob_match (glob, p->id);
    }
}

static void
index_partners (FsimRuleIndex *ix, const FsimScenario *s, size_t r)
{
    FsimWord *out = ix->partner + r * ix->pw;
    for (char **sel = s->rules[r].partners; sel && *sel; sel++) {
        SelectorKind kind = g_str_has_prefix (*sel, "kind:")  ? SELECT_KIND
                            : g_str_has_prefix (*sel, "tag:") ? SELECT_TAG
                                                              : SELECT_ID;
        g_autoptr (FsimGlob) glob = fsim_glob_new (*sel + (kind == SELECT_KIND  ? 5
                                                           : kind == SELECT_TAG ? 4
                                                                                : 0));
        for (size_t p = 0; p < s->n_partners; p++)
            if (!fsim_bits_get (out, p) && selector_matches (kind, glob, &s->partners[p]))
                fsim_bits_set (out, p);
    }
}

static void
index_apis_and_scopes (FsimRuleIndex *ix, const FsimScenario *s, size_t r)
{
    FsimWord *apis = ix->api + r * ix->aw, *scopes = ix->scope + r * ix->sw;
    for (char **pat = s->rules[r].apis; pat && *pat; pat++) {
        g_autoptr (FsimGlob) glob = fsim_glob_new (*pat);
        for (size_t a = 0; a < s->n_apis; a++)
            if (fsim_glob_match (glob, s->apis[a].id))
                fsim_bits_set (apis, a);
    }
    for (char **pat = s->rules[r].scopes; pat && *pat; pat++) {
        g_autoptr (FsimGlob) glob = fsim_glob_new (*pat);
        for (size_t a = 0; a < s->n_apis; a++)
            for (size_t sc = 0; sc < s->apis[a].n_scopes; sc++)
                if (fsim_glob_match (glob, s->apis[a].scopes[sc].id))
                    fsim_bits_set (scopes, ix->scope_base[a] + sc);
    }
}

FsimRuleIndex *
fsim_rule_index_try_new (const FsimScenario *scenario, GError **error)
{
    g_return_val_if_fail (scenario != NULL, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);
    const FsimScenario *s = scenario;
    g_autoptr (FsimRuleIndex) ix = g_new0 (FsimRuleIndex, 1);
    ix->n_rules = s->n_rules;
    ix->n_apis = s->n_apis;
    ix->scope_base = g_new (size_t, s->n_apis + 1); /* APIs: at most 4096 */
    ix->scope_base[0] = 0;
    for (size_t a = 0; a < s->n_apis; a++)
        ix->scope_base[a + 1] = ix->scope_base[a] + s->apis[a].n_scopes;
    ix->pw = FSIM_BITS_WORDS (s->n_partners);
    ix->aw = FSIM_BITS_WORDS (s->n_apis);
    ix->sw = FSIM_BITS_WORDS (ix->scope_base[s->n_apis]) + 1;
    if (!(ix->partner = fsim_try_new0 (s->n_rules * ix->pw, sizeof (FsimWord),
                                       "the partners each rule selects", error)) ||
        !(ix->api = fsim_try_new0 (s->n_rules * ix->aw, sizeof (FsimWord),
                                   "the APIs each rule selects", error)) ||
        !(ix->scope = fsim_try_new0 (s->n_rules * ix->sw, sizeof (FsimWord),
                                     "the scopes each rule selects", error)))
        return NULL;
    for (size_t r = 0; r < s->n_rules; r++) {
        index_partners (ix, s, r);
        index_apis_and_scopes (ix, s, r);
    }
    return g_steal_pointer (&ix);
}

FsimRuleIndex *
fsim_rule_index_new (const FsimScenario *scenario)
{
    g_autoptr (GError) error = NULL;
    FsimRuleIndex *ix = fsim_rule_index_try_new (scenario, &error);
    if (ix == NULL)
        g_error ("%s", error->message); /* as g_new: see fsim_rule_index_try_new */
    return ix;
}

void
fsim_rule_index_free (FsimRuleIndex *ix)
{
    if (!ix)
        return;
    g_free (ix->scope_base);
    g_free (ix->partner);
    g_free (ix->api);
    g_free (ix->scope);
    g_free (ix);
}

const FsimWord *
fsim_rule_index_partners (const FsimRuleIndex *ix, size_t rule)
{
    g_return_val_if_fail (ix != NULL && rule < ix->n_rules, NULL);
    return ix->partner + rule * ix->pw;
}

gboolean
fsim_rule_index_selects_api (const FsimRuleIndex *ix, size_t rule, size_t api)
{
    g_return_val_if_fail (ix != NULL && rule < ix->n_rules && api < ix->n_apis, FALSE);
    return fsim_bits_get (ix->api + rule * ix->aw, api);
}

void
fsim_rule_index_scopes (const FsimRuleIndex *ix, size_t rule, size_t api, FsimWord *out)
{
    g_return_if_fail (ix != NULL && rule < ix->n_rules && api < ix->n_apis && out != NULL);
    /* API @api's scopes are bits [from, from + n) of the rule's set, not word-aligned; the set's
     * extra zero word lets each output word read two input words */
    const FsimWord *src = ix->scope + rule * ix->sw;
    size_t from = ix->scope_base[api], n = ix->scope_base[api + 1] - from;
    for (size_t w = 0; w < FSIM_BITS_WORDS (n); w++) {
        size_t bit = from + w * FSIM_WORD_BITS, i = bit / FSIM_WORD_BITS, sh = bit % FSIM_WORD_BITS;
        FsimWord v = src[i] >> sh;
        if (sh)
            v |= src[i + 1] << (FSIM_WORD_BITS - sh);
        size_t left = n - w * FSIM_WORD_BITS;
        if (left < FSIM_WORD_BITS)
            v &= ((FsimWord) 1 << left) - 1;
        out[w] = v;
    }
}

gboolean
fsim_rule_matches (const FsimScenario *scenario, const FsimRule *rule, size_t partner, size_t api,
                   size_t scope)
{
    g_return_val_if_fail (scenario != NULL && rule != NULL, FALSE);
    g_return_val_if_fail (partner < scenario->n_partners && api < scenario->n_apis, FALSE);
    const FsimApi *a = &scenario->apis[api];
    g_return_val_if_fail (scope < a->n_scopes, FALSE);

    gboolean partner_ok = FALSE, api_ok = FALSE, scope_ok = FALSE;
    for (size_t i = 0; rule->partners && rule->partners[i] && !partner_ok; i++)
        partner_ok =
            fsim_partner_selector_matches (&scenario->partners[partner], rule->partners[i]);
    for (size_t i = 0; rule->apis && rule->apis[i] && !api_ok; i++)
        api_ok = g_pattern_match_simple (rule->apis[i], a->id);
    for (size_t i = 0; rule->scopes && rule->scopes[i] && !scope_ok; i++)
        scope_ok = g_pattern_match_simple (rule->scopes[i], a->scopes[scope].id);
    return partner_ok && api_ok && scope_ok;
}

/* ---- deciding -------------------------------------------------------------------------------- */

/* Scratch space for deciding one (partner, API) pair, sized for the largest API. */
typedef struct {
    FsimWord *rule_scopes, *denied, *allowed;
    gint32 *deny_rule, *allow_rule; /* [scope]: the first deny / allow selecting it */
} PairScratch;

/* In rule order, the first deny and the first allow of each scope, 64 scopes at a time. */
static void
apply_rules (const FsimScenario *s, const FsimRuleIndex *ix, FsimDay day, size_t p, size_t a,
             const FsimWord *requested, size_t words, PairScratch *w)
{
    fsim_bits_zero (w->denied, words);
    fsim_bits_zero (w->allowed, words);
    for (size_t r = 0; r < s->n_rules; r++) {
        if (!fsim_window_contains (s->rules[r].window, day) ||
            !fsim_bits_get (fsim_rule_index_partners (ix, r), p) ||
            !fsim_rule_index_selects_api (ix, r, a))
            continue;
        fsim_rule_index_scopes (ix, r, a, w->rule_scopes);
        gboolean allow = s->rules[r].allow;
        FsimWord *done = allow ? w->allowed : w->denied;
        gint32 *first = allow ? w->allow_rule : w->deny_rule;
        for (size_t i = 0; i < words; i++) {
            FsimWord fresh = w->rule_scopes[i] & requested[i] & ~done[i];
            done[i] |= fresh;
            for (; fresh; fresh &= fresh - 1)
                first[i * FSIM_WORD_BITS + (size_t) __builtin_ctzll (fresh)] = (gint32) r;
        }
    }
}

/* Decides the scopes of partner @p's @k-th API (API @a) into @out. */
static void
decide_pair (const FsimScenario *s, const FsimRuleIndex *ix, FsimDay day, size_t p, size_t k,
             FsimDecision *out, PairScratch *w)
{
    size_t a = s->partners[p].apis[k], n = s->apis[a].n_scopes;
    if (!fsim_window_contains (s->apis[a].active, day)) {
        for (size_t sc = 0; sc < n; sc++)
            out[sc] = (FsimDecision){ .verdict = FSIM_VERDICT_API_INACTIVE, .rule = -1 };
        return;
    }
    const FsimWord *requested = s->partners[p].requested[k];
    apply_rules (s, ix, day, p, a, requested, FSIM_BITS_WORDS (n), w);
    for (size_t sc = 0; sc < n; sc++) {
        if (!fsim_bits_get (requested, sc))
            out[sc] = (FsimDecision){ .verdict = FSIM_VERDICT_NOT_REQUESTED, .rule = -1 };
        else if (fsim_bits_get (w->denied, sc))
            out[sc] = (FsimDecision){ .verdict = FSIM_VERDICT_DENIED, .rule = w->deny_rule[sc] };
        else if (fsim_bits_get (w->allowed, sc))
            out[sc] = (FsimDecision){ .verdict = FSIM_VERDICT_ALLOWED, .rule = w->allow_rule[sc] };
        else
            out[sc] = (FsimDecision){ .verdict = FSIM_VERDICT_NO_ALLOW, .rule = -1 };
    }
}

/* Lays out the offsets of every (partner, API) pair into @d; the number of decisions, or
 * (size_t) -1 with @error set when out of memory. */
static size_t
layout (FsimDecisions *d, const FsimScenario *s, GError **error)
{
    size_t n_pairs = 0;
    d->partner_pair = fsim_try_new (s->n_partners + 1, sizeof (size_t), "the decisions", error);
    if (!d->partner_pair)
        return (size_t) -1;
    for (size_t p = 0; p < s->n_partners; p++) {
        d->partner_pair[p] = n_pairs;
        n_pairs += s->partners[p].n_apis;
    }
    d->partner_pair[s->n_partners] = n_pairs;

    d->pair_offset = fsim_try_new (n_pairs + 1, sizeof (size_t), "the decisions", error);
    d->pair_scopes =
        d->pair_offset ? fsim_try_new (n_pairs + 1, sizeof (size_t), "the decisions", error) : NULL;
    if (!d->pair_scopes)
        return (size_t) -1;
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

static void
pair_scratch_clear (PairScratch *w)
{
    g_free (w->rule_scopes);
    g_free (w->denied);
    g_free (w->allowed);
    g_free (w->deny_rule);
    g_free (w->allow_rule);
}

FsimDecisions *
fsim_decisions_try_new (const FsimScenario *scenario, FsimDay day, GError **error)
{
    g_return_val_if_fail (scenario != NULL, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);

    g_autoptr (FsimDecisions) d = g_new0 (FsimDecisions, 1);
    d->day = day;
    d->n_partners = scenario->n_partners;
    g_autofree char *what = g_strdup_printf ("the decisions of %zu partners", scenario->n_partners);
    size_t n = layout (d, scenario, error);
    if (n == (size_t) -1 ||
        !(d->decisions = fsim_try_new (n + 1, sizeof (FsimDecision), what, error)))
        return NULL;
    g_autoptr (FsimRuleIndex) ix = fsim_rule_index_try_new (scenario, error);
    if (!ix)
        return NULL;

    size_t max_scopes = 1; /* at most 4096 */
    for (size_t a = 0; a < scenario->n_apis; a++)
        max_scopes = MAX (max_scopes, scenario->apis[a].n_scopes);
    size_t words = FSIM_BITS_WORDS (max_scopes);
    PairScratch w = { .rule_scopes = fsim_bits_new (words),
                      .denied = fsim_bits_new (words),
                      .allowed = fsim_bits_new (words),
                      .deny_rule = g_new (gint32, words * FSIM_WORD_BITS),
                      .allow_rule = g_new (gint32, words * FSIM_WORD_BITS) };
    for (size_t p = 0; p < scenario->n_partners; p++)
        for (size_t k = 0; k < scenario->partners[p].n_apis; k++)
            decide_pair (scenario, ix, day, p, k,
                         &d->decisions[d->pair_offset[d->partner_pair[p] + k]], &w);
    pair_scratch_clear (&w);
    return g_steal_pointer (&d);
}

FsimDecisions *
fsim_decisions_new (const FsimScenario *scenario, FsimDay day)
{
    g_autoptr (GError) error = NULL;
    FsimDecisions *d = fsim_decisions_try_new (scenario, day, &error);
    if (d == NULL)
        g_error ("%s", error->message); /* as g_new: see fsim_decisions_try_new */
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
