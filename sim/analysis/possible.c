/* SPDX-License-Identifier: MIT */
/* possible.c: which flows some user could have on a day, and what would block them. */
#include "config.h"

#include <string.h>

#include "analysis-private.h"
#include "downstream.h"
#include "explain.h"
#include "memory.h"
#include "policy.h"
#include "possible.h"

/*
 * For a pair (f, p), every ALLOWED scope covering f on an API of p is a route, and so is every
 * allowed route of a partner q that holds f on a server and passes it on to p (the flow then
 * arrives downstream). A restriction closes a route when it is the route's carrier ("does not
 * use q", "no friend uses q", ...) or a setting the route's API respects and its channel
 * checks. A combination of restrictions blocks the flow when it closes every route: the
 * least restrictive such combinations are the minimal hitting sets of the routes' closing
 * sets, found by enumeration over the restrictions that matter (there are few).
 */
#define MAX_SITUATIONS 16

/* More partners than this passing a field on: the situations are not listed (docs/analysis.md),
 * and neither are the routes through the partners after the first MAX_VIA. */
#define MAX_VIA 9

/* An API's scopes by the fields they cover: (field, scope) pairs sorted by field, then scope. */
typedef struct {
    guint32 field, scope;
} Cover;

/* An API's covers: up to its scopes times the fields (2^26, the loader's limit on patterns
 * times fields), so a tried array. */
typedef struct {
    Cover *v;
    size_t n;
} Covers;

struct FsimPossible {
    const FsimScenario *s;
    FsimDay day;
    FsimDecisions *d;
    FsimDownstream *down;
    GArray *flows;
    gssize *index;    /* [f * np + p]: index into flows, or -1 */
    Covers *covers;   /* [a]: the scopes of API a by field */
    FsimWord *routed; /* [f * pw]: partners with an allowed scope covering f */
    guint32 *ups;     /* [p * (MAX_VIA + 1)]: for the current field, the first partners that
                         * pass it on to p and have routes of their own */
    guint8 *n_ups;    /* [p] */
};

static const char *const situation_names[] = {
    [FSIM_SITUATION_NOT_USES] = "not_uses",
    [FSIM_SITUATION_NO_FRIEND_USES] = "no_friend_uses",
    [FSIM_SITUATION_NO_FRIEND_OF_FRIEND_USES] = "no_friend_of_friend_uses",
    [FSIM_SITUATION_PLATFORM_OFF] = "platform_off",
    [FSIM_SITUATION_NOT_IN_APPS_OTHERS] = "not_in_apps_others",
    [FSIM_SITUATION_AUDIENCE_FRIENDS] = "audience_friends_at_most",
    [FSIM_SITUATION_AUDIENCE_ONLY_ME] = "audience_only_me",
};
G_STATIC_ASSERT (G_N_ELEMENTS (situation_names) == _FSIM_SITUATION_MAX);

const char *
fsim_situation_kind_to_string (FsimSituationKind k)
{
    g_return_val_if_fail ((unsigned) k < _FSIM_SITUATION_MAX, NULL);
    return situation_names[k];
}

static FsimChannel
subject_channel (FsimSubject k)
{
    return k == FSIM_SUBJECT_SELF      ? FSIM_CHANNEL_SELF
           : k == FSIM_SUBJECT_FRIENDS ? FSIM_CHANNEL_FRIEND
                                       : FSIM_CHANNEL_FRIEND_OF_FRIEND;
}

/* The allowed routes of partner q for field f, appended at @routes + *@n (NULL @routes: only
 * counted in *@n). */
static void
direct_routes (const FsimPossible *pp, size_t f, size_t q, FsimPossibleRoute *routes, size_t *n)
{
    const FsimPartner *partner = &pp->s->partners[q];
    for (size_t k = 0; k < partner->n_apis; k++) {
        const Covers *covers = &pp->covers[partner->apis[k]];
        const Cover *c = covers->v;
        size_t lo = 0, hi = covers->n;
        while (lo < hi) { /* the first pair of field f */
            size_t mid = (lo + hi) / 2;
            if (c[mid].field < f)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (size_t i = lo; i < covers->n && c[i].field == f; i++) {
            size_t sc = c[i].scope;
            const FsimDecision *d = fsim_decisions_get (pp->d, q, k, sc);
            if (d->verdict != FSIM_VERDICT_ALLOWED)
                continue;
            if (routes == NULL) {
                (*n)++;
                continue;
            }
            const FsimApi *api = &pp->s->apis[partner->apis[k]];
            FsimPossibleRoute r = { .channel = subject_channel (api->scopes[sc].subject),
                                    .partner = q,
                                    .api_k = k,
                                    .api = partner->apis[k],
                                    .scope = sc,
                                    .rule = d->rule };
            routes[(*n)++] = r;
        }
    }
}

/* covers[a], and routed[f]: which partners have an allowed scope covering f. Both tried: FALSE
 * with @error when out of memory. Each API's (field, scope) pairs are placed by a count per
 * field, the scopes in order, so they come sorted by field, then scope. */
static gboolean
index_routes (FsimPossible *pp, GError **error)
{
    const FsimScenario *s = pp->s;
    const char *what = "the index of the APIs' scopes by field";
    size_t nf = s->n_fields;
    pp->covers = fsim_try_new0 (s->n_apis + 1, sizeof (Covers), what, error);
    g_autofree size_t *start =
        pp->covers ? fsim_try_new (nf + 1, sizeof (size_t), what, error) : NULL;
    if (start == NULL)
        return FALSE;
    for (size_t a = 0; a < s->n_apis; a++) {
        const FsimApi *api = &s->apis[a];
        size_t n = 0;
        memset (start, 0, (nf + 1) * sizeof (size_t));
        for (size_t sc = 0; sc < api->n_scopes; sc++)
            for (size_t f = fsim_bits_next (api->scopes[sc].fields, s->field_words, 0); f < nf;
                 f = fsim_bits_next (api->scopes[sc].fields, s->field_words, f + 1), n++)
                start[f + 1]++;
        for (size_t f = 1; f <= nf; f++)
            start[f] += start[f - 1];
        pp->covers[a].v = fsim_try_new (n + 1, sizeof (Cover), what, error);
        if (pp->covers[a].v == NULL)
            return FALSE;
        pp->covers[a].n = n;
        for (size_t sc = 0; sc < api->n_scopes; sc++)
            for (size_t f = fsim_bits_next (api->scopes[sc].fields, s->field_words, 0); f < nf;
                 f = fsim_bits_next (api->scopes[sc].fields, s->field_words, f + 1))
                pp->covers[a].v[start[f]++] = (Cover){ (guint32) f, (guint32) sc };
    }
    pp->routed = fsim_try_new0 (nf * s->partner_words + 1, sizeof (FsimWord),
                                "the partners with a route for each field", error);
    if (pp->routed == NULL)
        return FALSE;
    g_autofree FsimWord *fields = fsim_bits_new (s->field_words);
    for (size_t q = 0; q < s->n_partners; q++) {
        const FsimPartner *partner = &s->partners[q];
        fsim_bits_zero (fields, s->field_words);
        for (size_t k = 0; k < partner->n_apis; k++) {
            const FsimApi *api = &s->apis[partner->apis[k]];
            for (size_t sc = 0; sc < api->n_scopes; sc++)
                if (fsim_decisions_get (pp->d, q, k, sc)->verdict == FSIM_VERDICT_ALLOWED)
                    fsim_bits_or (fields, api->scopes[sc].fields, s->field_words);
        }
        for (size_t f = fsim_bits_next (fields, s->field_words, 0); f < s->n_fields;
             f = fsim_bits_next (fields, s->field_words, f + 1))
            fsim_bits_set (pp->routed + f * s->partner_words, q);
    }
    return TRUE;
}

/* ups[p] for field f: up to MAX_VIA + 1 partners q (ascending) that hold f on a server, have
 * routes of their own and pass f on to p. One pass over the q, a word at a time. */
static void
find_ups (FsimPossible *pp, size_t f)
{
    const FsimScenario *s = pp->s;
    size_t pw = s->partner_words;
    const FsimWord *server = fsim_downstream_server_holders (pp->down, f);
    const FsimWord *routed = pp->routed + f * pw;
    g_autofree FsimWord *full = fsim_bits_new (pw); /* partners with MAX_VIA + 1 ups */
    memset (pp->n_ups, 0, s->n_partners);
    for (size_t w = 0; w < pw; w++)
        for (FsimWord bits = server[w] & routed[w]; bits; bits &= bits - 1) {
            size_t q = w * FSIM_WORD_BITS + (size_t) __builtin_ctzll (bits);
            const FsimWord *down = fsim_downstream_get (pp->down, f, q);
            for (size_t v = 0; v < pw; v++)
                for (FsimWord to = down[v] & ~full[v]; to; to &= to - 1) {
                    size_t p = v * FSIM_WORD_BITS + (size_t) __builtin_ctzll (to);
                    if (p == q)
                        continue;
                    pp->ups[p * (MAX_VIA + 1) + pp->n_ups[p]++] = (guint32) q;
                    if (pp->n_ups[p] == MAX_VIA + 1)
                        fsim_bits_set (full, p);
                }
        }
}

/* Index of situation (kind, partner) in @sits, added if new. */
static guint
situation_bit (GArray *sits, FsimSituationKind kind, size_t partner)
{
    for (guint i = 0; i < sits->len; i++) {
        const FsimSituation *x = &g_array_index (sits, FsimSituation, i);
        if (x->kind == kind && x->partner == partner)
            return i;
    }
    FsimSituation x = { .kind = kind, .partner = partner };
    g_array_append_val (sits, x);
    return sits->len - 1;
}

/* The restrictions that close route @r, as a mask over @sits (which grows as needed). */
static guint32
closing_mask (const FsimPossible *pp, const FsimPossibleRoute *r, GArray *sits)
{
    static const FsimSituationKind carrier[] = {
        [FSIM_CHANNEL_SELF] = FSIM_SITUATION_NOT_USES,
        [FSIM_CHANNEL_FRIEND] = FSIM_SITUATION_NO_FRIEND_USES,
        [FSIM_CHANNEL_FRIEND_OF_FRIEND] = FSIM_SITUATION_NO_FRIEND_OF_FRIEND_USES,
    };
    guint respects = pp->s->apis[r->api].respects;
    guint32 m = 1u << situation_bit (sits, carrier[r->channel], r->partner);
    if (respects & FSIM_RESPECTS_PLATFORM)
        m |= 1u << situation_bit (sits, FSIM_SITUATION_PLATFORM_OFF, 0);
    if (r->channel == FSIM_CHANNEL_SELF)
        return m;
    if (respects & FSIM_RESPECTS_APPS_OTHERS)
        m |= 1u << situation_bit (sits, FSIM_SITUATION_NOT_IN_APPS_OTHERS, 0);
    if (respects & FSIM_RESPECTS_AUDIENCE) {
        guint friends = situation_bit (sits, FSIM_SITUATION_AUDIENCE_FRIENDS, 0);
        if (r->channel == FSIM_CHANNEL_FRIEND)
            m |= 1u << situation_bit (sits, FSIM_SITUATION_AUDIENCE_ONLY_ME, 0);
        else
            m |= 1u << friends;
    }
    return m;
}

/* Does @x close every route? */
static gboolean
blocks (guint32 x, const guint32 *closing, guint n)
{
    for (guint i = 0; i < n; i++)
        if (!(x & closing[i]))
            return FALSE;
    return TRUE;
}

/* Is @x a valid combination (only_me comes with "friends at most") and a least restrictive
 * blocking one? */
static gboolean
minimal_blocker (guint32 x, guint32 friends, guint32 only_me, const guint32 *closing, guint n)
{
    if ((x & only_me) && !(x & friends))
        return FALSE;
    if (!blocks (x, closing, n))
        return FALSE;
    for (guint32 rest = x; rest; rest &= rest - 1) {
        guint32 bit = rest & -rest;
        if (bit == friends && (x & only_me))
            continue; /* the weaker step from only_me is "friends at most", tried below */
        if (blocks (x & ~bit, closing, n))
            return FALSE;
    }
    return TRUE;
}

static guint32
situation_mask (const GArray *sits, FsimSituationKind kind)
{
    for (guint i = 0; i < sits->len; i++)
        if (g_array_index (sits, FsimSituation, i).kind == kind)
            return 1u << i;
    return 0;
}

/* Every least restrictive blocking combination, in increasing size. */
static void
find_blockers (const FsimPossible *pp, FsimPossibleFlow *flow)
{
    for (size_t i = 0; i < flow->n_routes; i++)
        flow->closing[i] = closing_mask (pp, &flow->routes[i], flow->situations);
    flow->n_closing = flow->n_routes;
    const guint32 *closing = flow->closing;
    guint n = flow->situations->len;
    flow->complete = n <= MAX_SITUATIONS;
    if (!flow->complete)
        return;
    guint32 friends = situation_mask (flow->situations, FSIM_SITUATION_AUDIENCE_FRIENDS);
    guint32 only_me = situation_mask (flow->situations, FSIM_SITUATION_AUDIENCE_ONLY_ME);
    for (guint size = 1; size <= n; size++)
        for (guint32 x = 1; x < (1u << n); x++)
            if ((guint) __builtin_popcount (x) == size &&
                minimal_blocker (x, friends, only_me, closing, (guint) flow->n_routes))
                g_array_append_val (flow->blockers, x);
}

/* @flow's analysis; FALSE with @error when its routes (the allowed scopes covering f of p and
 * of up to MAX_VIA + 1 partners passing f on: up to their decisions) or their closing masks
 * cannot be had (tried, counted first). @flow is then safe to clear. */
static gboolean
analyse_pair (const FsimPossible *pp, size_t f, size_t p, FsimPossibleFlow *flow, GError **error)
{
    *flow = (FsimPossibleFlow){ .field = f, .partner = p, .complete = TRUE };
    flow->situations = g_array_new (FALSE, FALSE, sizeof (FsimSituation));
    flow->blockers = g_array_new (FALSE, FALSE, sizeof (guint32));
    flow->receives = fsim_bits_get (fsim_downstream_receivers (pp->down, f), p);
    size_t n = 0;
    for (size_t i = 0; flow->receives && i <= pp->n_ups[p]; i++)
        direct_routes (pp, f, i == 0 ? p : pp->ups[p * (MAX_VIA + 1) + i - 1], NULL, &n);
    const char *what = "the routes of a (field, partner) pair";
    flow->routes = fsim_try_new (n + 1, sizeof (FsimPossibleRoute), what, error);
    flow->closing = flow->routes ? fsim_try_new0 (n + 1, sizeof (guint32), what, error) : NULL;
    if (flow->closing == NULL)
        return FALSE;
    if (!flow->receives)
        return TRUE;
    for (size_t i = 0; i <= pp->n_ups[p]; i++)
        direct_routes (pp, f, i == 0 ? p : pp->ups[p * (MAX_VIA + 1) + i - 1], flow->routes,
                       &flow->n_routes);
    const FsimWord *server = fsim_downstream_server_holders (pp->down, f);
    for (size_t i = 0; i < flow->n_routes; i++) {
        const FsimPossibleRoute *r = &flow->routes[i];
        flow->channels |= r->partner == p ? FSIM_CHANNEL_BIT (r->channel)
                                          : FSIM_CHANNEL_BIT (FSIM_CHANNEL_DOWNSTREAM);
    }
    /* data that reached p directly can come back to it around a cycle of shares */
    if (flow->channels && fsim_bits_get (server, p) &&
        fsim_bits_get (fsim_downstream_get (pp->down, f, p), p))
        flow->channels |= FSIM_CHANNEL_BIT (FSIM_CHANNEL_DOWNSTREAM);
    /* situation masks are 32 bits: 4 settings and 3 per partner that matters */
    g_autoptr (GHashTable) via = g_hash_table_new (g_direct_hash, g_direct_equal);
    for (size_t i = 0; i < flow->n_routes; i++) /* at most MAX_VIA + 2 partners */
        g_hash_table_add (via, GSIZE_TO_POINTER (flow->routes[i].partner));
    flow->complete = g_hash_table_size (via) <= MAX_VIA;
    if (flow->channels && flow->complete)
        find_blockers (pp, flow);
    return TRUE;
}

static void
flow_clear (gpointer data)
{
    FsimPossibleFlow *flow = data;
    g_free (flow->routes);
    g_array_unref (flow->situations);
    g_free (flow->closing);
    g_array_unref (flow->blockers);
}

FsimPossible *
fsim_possible_new (const FsimScenario *scenario, FsimDay day, const FsimWord *fields,
                   const FsimWord *partners, GError **error)
{
    g_return_val_if_fail (scenario != NULL, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);
    g_autoptr (FsimPossible) pp = g_new0 (FsimPossible, 1);
    size_t np = scenario->n_partners;
    pp->s = scenario;
    pp->day = day;
    pp->d = fsim_decisions_try_new (scenario, day, error);
    if (!pp->d)
        return NULL;
    g_autoptr (FsimModel) model = fsim_model_try_new (scenario, error);
    if (!model)
        return NULL;
    pp->down = fsim_downstream_new (scenario, model, day, error);
    if (!pp->down)
        return NULL;
    pp->flows = g_array_new (FALSE, TRUE, sizeof (FsimPossibleFlow));
    g_array_set_clear_func (pp->flows, flow_clear);
    pp->index = fsim_try_new (scenario->n_fields * np + 1, sizeof (gssize),
                              "the index of (field, partner) pairs", error);
    pp->ups = pp->index ? fsim_try_new (np * (MAX_VIA + 1) + 1, sizeof (guint32),
                                        "the routes between partners", error)
                        : NULL;
    if (!pp->ups)
        return NULL;
    pp->n_ups = g_new0 (guint8, np + 1); /* a byte a partner */
    if (!index_routes (pp, error))
        return NULL;
    for (size_t f = 0; f < scenario->n_fields; f++) {
        if (!fields || fsim_bits_get (fields, f))
            find_ups (pp, f);
        for (size_t p = 0; p < np; p++) {
            pp->index[f * np + p] = -1;
            if ((fields && !fsim_bits_get (fields, f)) ||
                (partners && !fsim_bits_get (partners, p)))
                continue;
            FsimPossibleFlow flow;
            if (!analyse_pair (pp, f, p, &flow, error)) {
                flow_clear (&flow);
                return NULL;
            }
            pp->index[f * np + p] = pp->flows->len;
            g_array_append_val (pp->flows, flow);
        }
    }
    return g_steal_pointer (&pp);
}

void
fsim_possible_free (FsimPossible *pp)
{
    if (!pp)
        return;
    fsim_decisions_free (pp->d);
    fsim_downstream_free (pp->down);
    if (pp->flows)
        g_array_unref (pp->flows);
    g_free (pp->index);
    for (size_t a = 0; pp->covers && a < pp->s->n_apis; a++)
        g_free (pp->covers[a].v);
    g_free (pp->covers);
    g_free (pp->routed);
    g_free (pp->ups);
    g_free (pp->n_ups);
    g_free (pp);
}

const GArray *
fsim_possible_flows (const FsimPossible *pp)
{
    return pp->flows;
}

const FsimPossibleFlow *
fsim_possible_get (const FsimPossible *pp, size_t f, size_t p)
{
    g_return_val_if_fail (f < pp->s->n_fields && p < pp->s->n_partners, NULL);
    gssize i = pp->index[f * pp->s->n_partners + p];
    return i < 0 ? NULL : &g_array_index (pp->flows, FsimPossibleFlow, i);
}

gboolean
fsim_possible_blocks (const FsimPossible *pp, const FsimPossibleFlow *flow,
                      const FsimSituationRef *x, size_t n)
{
    guint32 mask = 0;
    for (guint i = 0; i < flow->situations->len; i++) {
        const FsimSituation *sit = &g_array_index (flow->situations, FsimSituation, i);
        for (size_t j = 0; j < n; j++) {
            gboolean kind =
                x[j].kind == sit->kind || (x[j].kind == FSIM_SITUATION_AUDIENCE_ONLY_ME &&
                                           sit->kind == FSIM_SITUATION_AUDIENCE_FRIENDS);
            gboolean partner =
                sit->kind > FSIM_SITUATION_NO_FRIEND_OF_FRIEND_USES ||
                (x[j].partner && strcmp (x[j].partner, pp->s->partners[sit->partner].id) == 0);
            if (kind && partner)
                mask |= 1u << i;
        }
    }
    return blocks (mask, flow->closing, (guint) flow->n_closing);
}

const FsimScenario *
fsim_possible_scenario (const FsimPossible *pp)
{
    return pp->s;
}

FsimDay
fsim_possible_day (const FsimPossible *pp)
{
    return pp->day;
}

const FsimDecisions *
fsim_possible_decisions (const FsimPossible *pp)
{
    return pp->d;
}
