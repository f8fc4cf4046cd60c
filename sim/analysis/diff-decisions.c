/* SPDX-License-Identifier: MIT */
/* diff-decisions.c: the (partner, API, scope) decisions that changed between base and what-if. */
#include "config.h"

#include <string.h>

#include "diff-private.h"

/*
 * Every triple of either model is compared (2^24 at the limits: a few comparisons each, by
 * index where both models have the API's scopes in the same order), but only the first
 * FSIM_DIFF_MAX_LISTED changes are kept: diff->decisions_changed counts them all.
 */

typedef struct {
    FsimDiff *diff;
    const FsimScenario *s[2];
    const FsimDecisions *d[2];
    GHashTable **scope_ix[2]; /* [a]: scope id -> index + 1, built when first needed */
} Decide;

static gssize
api_slot (const FsimScenario *s, gssize p, const char *api)
{
    for (size_t k = 0; p >= 0 && k < s->partners[p].n_apis; k++)
        if (strcmp (s->apis[s->partners[p].apis[k]].id, api) == 0)
            return (gssize) k;
    return -1;
}

/* The index of @scope in API @a of side @k, trying @hint first (the same index on the other
 * side: the usual case); otherwise through an index of the API's scopes built on first use. */
static gssize
scope_index (const Decide *x, int k, size_t a, const char *scope, size_t hint)
{
    const FsimApi *api = &x->s[k]->apis[a];
    if (hint < api->n_scopes && strcmp (api->scopes[hint].id, scope) == 0)
        return (gssize) hint;
    if (!x->scope_ix[k][a]) {
        x->scope_ix[k][a] = g_hash_table_new (g_str_hash, g_str_equal);
        for (size_t sc = 0; sc < api->n_scopes; sc++)
            g_hash_table_insert (x->scope_ix[k][a], api->scopes[sc].id, GSIZE_TO_POINTER (sc + 1));
    }
    return (gssize) GPOINTER_TO_SIZE (g_hash_table_lookup (x->scope_ix[k][a], scope)) - 1;
}

static const char *
rule_id (const FsimScenario *s, gssize r)
{
    return r < 0 ? "" : s->rules[r].id;
}

static void
record (FsimDiff *diff, const FsimDiffDecision *row)
{
    if (row->in_base && row->in_whatif && row->before == row->after &&
        strcmp (rule_id (diff->base, row->rule_before), rule_id (diff->whatif, row->rule_after)) ==
            0)
        return;
    diff->decisions_changed++;
    if (diff->decisions->len < FSIM_DIFF_MAX_LISTED)
        g_array_append_val (diff->decisions, *row);
}

/* Every scope of API slot @kb of base partner @pb, against the what-if's partner @pw. */
static void
base_api (Decide *x, const char *partner, gssize pb, size_t kb, gssize pw)
{
    size_t a = x->s[0]->partners[pb].apis[kb];
    const FsimApi *api = &x->s[0]->apis[a];
    gssize kw = api_slot (x->s[1], pw, api->id);
    size_t aw = kw < 0 ? 0 : x->s[1]->partners[pw].apis[kw];
    for (size_t sc = 0; sc < api->n_scopes; sc++) {
        FsimDiffDecision row = { .partner = partner,
                                 .api = api->id,
                                 .scope = api->scopes[sc].id,
                                 .in_base = TRUE,
                                 .rule_before = -1,
                                 .rule_after = -1 };
        const FsimDecision *b = fsim_decisions_get (x->d[0], (size_t) pb, kb, sc);
        row.before = b->verdict;
        row.rule_before = b->rule;
        gssize scw = kw < 0 ? -1 : scope_index (x, 1, aw, api->scopes[sc].id, sc);
        if (scw >= 0) {
            const FsimDecision *w =
                fsim_decisions_get (x->d[1], (size_t) pw, (size_t) kw, (size_t) scw);
            row.in_whatif = TRUE;
            row.after = w->verdict;
            row.rule_after = w->rule;
        }
        record (x->diff, &row);
    }
}

/* The scopes of API slot @kw of what-if partner @pw that the base's partner @pb lacks. */
static void
whatif_api (Decide *x, const char *partner, gssize pb, size_t kw, gssize pw)
{
    size_t a = x->s[1]->partners[pw].apis[kw];
    const FsimApi *api = &x->s[1]->apis[a];
    gssize kb = api_slot (x->s[0], pb, api->id);
    size_t ab = kb < 0 ? 0 : x->s[0]->partners[pb].apis[kb];
    for (size_t sc = 0; sc < api->n_scopes; sc++) {
        if (kb >= 0 && scope_index (x, 0, ab, api->scopes[sc].id, sc) >= 0)
            continue; /* compared from the base's side */
        const FsimDecision *w = fsim_decisions_get (x->d[1], (size_t) pw, kw, sc);
        FsimDiffDecision row = { .partner = partner,
                                 .api = api->id,
                                 .scope = api->scopes[sc].id,
                                 .in_whatif = TRUE,
                                 .after = w->verdict,
                                 .rule_before = -1,
                                 .rule_after = w->rule };
        record (x->diff, &row);
    }
}

/**
 * fsim_i_diff_decisions:
 * Every (partner, API, scope) of either side whose decision or deciding rule differs, partners
 * in the order of diff->partners (only those @focus selects), then APIs and scopes in the
 * base's order, then those only the what-if has.
 */
void
fsim_i_diff_decisions (FsimDiff *diff, const FsimDecisions *base_d, const FsimDecisions *whatif_d,
                       const FsimFocus *focus)
{
    Decide x = { diff,
                 { diff->base, diff->whatif },
                 { base_d, whatif_d },
                 { g_new0 (GHashTable *, diff->base->n_apis + 1),
                   g_new0 (GHashTable *, diff->whatif->n_apis + 1) } };
    for (guint i = 0; i < diff->partners->len; i++) {
        const char *partner = g_array_index (diff->partners, FsimDiffPartner, i).partner;
        if (!fsim_diff_focus_partner (diff, focus, partner))
            continue;
        gssize pb = fsim_scenario_find_partner (diff->base, partner);
        gssize pw = fsim_scenario_find_partner (diff->whatif, partner);
        for (size_t k = 0; pb >= 0 && k < diff->base->partners[pb].n_apis; k++)
            base_api (&x, partner, pb, k, pw);
        for (size_t k = 0; pw >= 0 && k < diff->whatif->partners[pw].n_apis; k++)
            whatif_api (&x, partner, pb, k, pw);
    }
    for (int k = 0; k < 2; k++) {
        for (size_t a = 0; a < x.s[k]->n_apis; a++)
            if (x.scope_ix[k][a])
                g_hash_table_destroy (x.scope_ix[k][a]);
        g_free (x.scope_ix[k]);
    }
}
