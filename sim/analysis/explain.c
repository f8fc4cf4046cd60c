/* SPDX-License-Identifier: MIT */
/* explain.c: a per-user tracer following docs/semantics.md, and the routes behind each flow. */
#include "config.h"

#include <string.h>

#include "downstream.h"
#include "explain.h"
#include "memory.h"

/*
 * The tracer precomputes, per subject k, field f and partner p, the set of "gate profiles"
 * (FsimRespects combinations, 0..7) of the APIs of p that have an ALLOWED scope of subject k
 * covering f. Channel k is then open for user u when some profile in that set avoids every
 * gate u fails. It is the engine's idea without the bit-parallel layout: slower, but it keeps
 * one user's answer in a form explain, diff and check can read.
 */
#define N_PROFILES 8u

struct FsimTracer {
    const FsimScenario *s;
    const FsimPopulation *pop;
    const FsimDecisions *d;
    FsimDay day;
    size_t nf, np, pw;
    FsimDownstream *down;
    guint8 *profiles; /* [(k * nf + f) * np + p]: bit g set for an opening API of profile g */
    /* [v * 2 * pw]: ONE, the partners some neighbour of v uses, then TWO, those two or more
     * neighbours of v use (fsim_population_near()'s layout): the tracer's own (own_near) or
     * given (the exchanged sets of a rank's ghosts, fsim_tracer_new_near()) */
    const FsimWord *near;
    FsimWord *own_near;
};

static const char *const block_names[] = {
    [FSIM_BLOCK_NONE] = "open",
    [FSIM_BLOCK_API_INACTIVE] = "api_inactive",
    [FSIM_BLOCK_NOT_REQUESTED] = "not_requested",
    [FSIM_BLOCK_DENIED] = "denied",
    [FSIM_BLOCK_NO_ALLOW] = "no_allow",
    [FSIM_BLOCK_PLATFORM] = "platform",
    [FSIM_BLOCK_APPS_OTHERS] = "apps_others",
    [FSIM_BLOCK_AUDIENCE] = "audience",
    [FSIM_BLOCK_NOT_USED] = "not_used",
    [FSIM_BLOCK_NO_FRIEND] = "no_friend",
    [FSIM_BLOCK_NO_FRIEND_OF_FRIEND] = "no_friend_of_friend",
    [FSIM_BLOCK_SHARE_INACTIVE] = "share_inactive",
    [FSIM_BLOCK_SHARE_FIELDS] = "share_fields",
    [FSIM_BLOCK_NOT_HELD] = "not_held",
    [FSIM_BLOCK_DEVICE_ONLY] = "device_only",
    [FSIM_BLOCK_UPSTREAM] = "upstream",
};
G_STATIC_ASSERT (G_N_ELEMENTS (block_names) == _FSIM_BLOCK_MAX);

const char *
fsim_block_to_string (FsimBlock b)
{
    g_return_val_if_fail ((unsigned) b < _FSIM_BLOCK_MAX, NULL);
    return block_names[b];
}

/* ---- the tracer ------------------------------------------------------------------------- */

static void
compute_profiles (FsimTracer *t)
{
    const FsimScenario *s = t->s;
    for (size_t p = 0; p < s->n_partners; p++) {
        const FsimPartner *partner = &s->partners[p];
        for (size_t k = 0; k < partner->n_apis; k++) {
            const FsimApi *api = &s->apis[partner->apis[k]];
            guint8 bit = (guint8) (1u << (api->respects & FSIM_RESPECTS_ALL));
            for (size_t sc = 0; sc < api->n_scopes; sc++) {
                const FsimScope *scope = &api->scopes[sc];
                if (fsim_decisions_get (t->d, p, k, sc)->verdict != FSIM_VERDICT_ALLOWED)
                    continue;
                for (size_t f = fsim_bits_next (scope->fields, s->field_words, 0); f < t->nf;
                     f = fsim_bits_next (scope->fields, s->field_words, f + 1))
                    t->profiles[(scope->subject * t->nf + f) * t->np + p] |= bit;
            }
        }
    }
}

FsimTracer *
fsim_tracer_new (const FsimScenario *scenario, const FsimPopulation *pop,
                 const FsimDecisions *decisions, GError **error)
{
    return fsim_tracer_new_near (scenario, pop, decisions, NULL, error);
}

FsimTracer *
fsim_tracer_new_near (const FsimScenario *scenario, const FsimPopulation *pop,
                      const FsimDecisions *decisions, const FsimWord *near, GError **error)
{
    g_return_val_if_fail (scenario != NULL && pop != NULL && decisions != NULL, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);
    g_return_val_if_fail (pop->n_fields == scenario->n_fields, NULL);
    g_return_val_if_fail (pop->n_partners == scenario->n_partners, NULL);

    g_autoptr (FsimTracer) t = g_new0 (FsimTracer, 1);
    t->s = scenario;
    t->pop = pop;
    t->d = decisions;
    t->day = fsim_decisions_get_day (decisions);
    t->nf = scenario->n_fields;
    t->np = scenario->n_partners;
    t->pw = scenario->partner_words;
    g_autoptr (FsimModel) model = fsim_model_try_new (scenario, error);
    if (!model)
        return NULL;
    t->down = fsim_downstream_new (scenario, model, t->day, error);
    if (!t->down)
        return NULL;
    t->profiles = fsim_try_new0 (FSIM_N_SUBJECTS * t->nf * t->np + 1, sizeof (guint8),
                                 "the profiles of every (field, partner) pair", error);
    if (!t->profiles)
        return NULL;
    compute_profiles (t);
    /* a saturating count (0, 1, 2+) per partner of v's neighbours using it, so that a user's
     * friends-of-friends set costs one pass over their friends (as in the engine) */
    t->near = near;
    if (near == NULL) {
        t->own_near = fsim_try_new0 (pop->n_users * 2 * t->pw + 1, sizeof (FsimWord),
                                     "the partners each user's friends use", error);
        if (!t->own_near)
            return NULL;
        fsim_population_near (pop, t->own_near, 0, pop->n_users);
        t->near = t->own_near;
    }
    return g_steal_pointer (&t);
}

void
fsim_tracer_free (FsimTracer *t)
{
    if (!t)
        return;
    fsim_downstream_free (t->down);
    g_free (t->profiles);
    g_free (t->own_near);
    g_free (t);
}

const FsimScenario *
fsim_tracer_scenario (const FsimTracer *t)
{
    return t->s;
}

const FsimPopulation *
fsim_tracer_population (const FsimTracer *t)
{
    return t->pop;
}

const FsimDecisions *
fsim_tracer_decisions (const FsimTracer *t)
{
    return t->d;
}

gboolean
fsim_tracer_receives (const FsimTracer *t, size_t f, size_t p)
{
    return fsim_bits_get (fsim_downstream_receivers (t->down, f), p);
}

gssize
fsim_tracer_find_user (const FsimTracer *t, const char *name)
{
    const FsimPopulation *pop = t->pop;
    /* listed users' ids, or an imported file's names: one lookup per command (explain, the
     * library's and serve's explain), so a scan will do, where a table of the names would be
     * built for every tracer (check builds one a day) */
    char *const *names = pop->user_ids ? pop->user_ids : pop->file_names;
    for (size_t u = 0; names && u < pop->n_users; u++)
        if (strcmp (names[u], name) == 0)
            return (gssize) u;
    if (names)
        return -1;
    if (pop->file_ids) {
        gint64 id = 0;
        if (!g_ascii_string_to_signed (name, 10, G_MININT64, G_MAXINT64, &id, NULL))
            return -1;
        for (size_t u = 0; u < pop->n_users; u++)
            if (pop->file_ids[u] == id)
                return (gssize) u;
        return -1;
    }
    if (name[0] != 'u' || !g_ascii_isdigit (name[1]))
        return -1;
    char *end = NULL;
    guint64 v = g_ascii_strtoull (name + 1, &end, 10);
    if (*end != '\0' || v >= t->pop->n_users || (name[1] == '0' && name[2] != '\0'))
        return -1;
    return (gssize) v;
}

/* ---- one user --------------------------------------------------------------------------- */

static size_t
degree (const FsimPopulation *pop, size_t u)
{
    return pop->friends ? pop->friends->offsets[u + 1] - pop->friends->offsets[u] : 0;
}

static size_t
friend_at (const FsimPopulation *pop, size_t u, size_t i)
{
    return pop->friends->adj[pop->friends->offsets[u] + i];
}

static gboolean
user_uses (const FsimPopulation *pop, size_t u, size_t p)
{
    return fsim_bits_get (pop->uses + u * pop->partner_words, p);
}

/* The gates (FsimRespects flags) user u fails for field f through subject k. */
static guint
failing_gates (const FsimPopulation *pop, size_t u, size_t f, FsimSubject k)
{
    guint x = pop->platform[u] ? 0u : FSIM_RESPECTS_PLATFORM;
    if (k == FSIM_SUBJECT_SELF)
        return x;
    if (!fsim_bits_get (pop->apps_others + u * pop->field_words, f))
        x |= FSIM_RESPECTS_APPS_OTHERS;
    FsimAudience need =
        k == FSIM_SUBJECT_FRIENDS ? FSIM_AUDIENCE_FRIENDS : FSIM_AUDIENCE_FRIENDS_OF_FRIENDS;
    if (pop->audience[u * pop->n_fields + f] < need)
        x |= FSIM_RESPECTS_AUDIENCE;
    return x;
}

static gboolean
channel_open (const FsimTracer *t, FsimSubject k, size_t f, size_t p, guint failing)
{
    guint set = t->profiles[(k * t->nf + f) * t->np + p];
    for (guint g = 0; set && g < N_PROFILES; g++)
        if ((set >> g & 1u) && (g & failing) == 0)
            return TRUE;
    return FALSE;
}

/* f1: partners some friend of u uses; f2: partners some w != u two steps away uses (w may be a
 * friend too, in a triangle). */
static void
neighbourhood_uses (const FsimTracer *t, size_t u, FsimWord *f1, FsimWord *f2)
{
    const FsimPopulation *pop = t->pop;
    const FsimWord *u0 = pop->uses + u * t->pw;
    fsim_bits_zero (f1, t->pw);
    fsim_bits_zero (f2, t->pw);
    for (size_t i = 0; i < degree (pop, u); i++) {
        size_t v = friend_at (pop, u, i);
        const FsimWord *one = t->near + v * 2 * t->pw, *two = one + t->pw;
        fsim_bits_or (f1, pop->uses + v * t->pw, t->pw);
        for (size_t w = 0; w < t->pw; w++)
            f2[w] |= (one[w] & ~u0[w]) | (two[w] & u0[w]);
    }
}

/* @seen (partner_words) and @queue (2 x partners) are scratch for the walk along the shares,
 * NULL when the model has none. */
static void
trace_field (const FsimTracer *t, size_t u, size_t f, const FsimWord *f1, const FsimWord *f2,
             FsimWord *seen, guint32 *queue, guint8 *row)
{
    const FsimPopulation *pop = t->pop;
    const FsimWord *receive = fsim_downstream_receivers (t->down, f);
    guint x_self = failing_gates (pop, u, f, FSIM_SUBJECT_SELF);
    guint x_fr = failing_gates (pop, u, f, FSIM_SUBJECT_FRIENDS);
    guint x_fof = failing_gates (pop, u, f, FSIM_SUBJECT_FRIENDS_OF_FRIENDS);
    for (size_t p = 0; p < t->np; p++) {
        row[p] = 0;
        if (!fsim_bits_get (receive, p))
            continue;
        if (user_uses (pop, u, p) && channel_open (t, FSIM_SUBJECT_SELF, f, p, x_self))
            row[p] |= FSIM_CHANNEL_BIT (FSIM_CHANNEL_SELF);
        if (fsim_bits_get (f1, p) && channel_open (t, FSIM_SUBJECT_FRIENDS, f, p, x_fr))
            row[p] |= FSIM_CHANNEL_BIT (FSIM_CHANNEL_FRIEND);
        if (fsim_bits_get (f2, p) && channel_open (t, FSIM_SUBJECT_FRIENDS_OF_FRIENDS, f, p, x_fof))
            row[p] |= FSIM_CHANNEL_BIT (FSIM_CHANNEL_FRIEND_OF_FRIEND);
    }
    if (!fsim_downstream_any (t->down))
        return;
    /* the union of the Down sets of the partners reached directly: a walk along the shares
     * from all of them at once, partners + shares steps rather than partners x partners */
    const FsimWord *server = fsim_downstream_server_holders (t->down, f);
    size_t head = 0, tail = 0; /* each partner twice at most: a start, then reached */
    fsim_bits_zero (seen, t->pw);
    for (size_t q = 0; q < t->np; q++)
        if ((row[q] & (guint8) ~FSIM_CHANNEL_BIT (FSIM_CHANNEL_DOWNSTREAM)) &&
            fsim_bits_get (server, q))
            queue[tail++] = (guint32) q;
    for (; head < tail; head++) {
        size_t n = 0;
        const guint32 *to = fsim_downstream_shares_from (t->down, f, queue[head], &n);
        for (size_t i = 0; i < n; i++) {
            if (fsim_bits_get (seen, to[i]))
                continue;
            fsim_bits_set (seen, to[i]);
            if (fsim_bits_get (receive, to[i]))
                row[to[i]] |= FSIM_CHANNEL_BIT (FSIM_CHANNEL_DOWNSTREAM);
            queue[tail++] = to[i];
        }
    }
}

gboolean
fsim_tracer_user (const FsimTracer *t, size_t u, guint8 *out, GError **error)
{
    g_return_val_if_fail (t != NULL && out != NULL && u < t->pop->n_users, FALSE);
    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
    /* the partners the friends use, those two steps away use, and for the walk along the
     * shares those met and a queue: tried, once for all the fields */
    const char *what = "tracing a user's fields";
    gboolean down = fsim_downstream_any (t->down);
    g_autofree FsimWord *buf = fsim_try_new0 (3 * t->pw + 1, sizeof (FsimWord), what, error);
    g_autofree guint32 *queue =
        buf && down ? fsim_try_new (2 * t->np + 1, sizeof (guint32), what, error) : NULL;
    if (buf == NULL || (down && queue == NULL))
        return FALSE;
    neighbourhood_uses (t, u, buf, buf + t->pw);
    for (size_t f = 0; f < t->nf; f++)
        trace_field (t, u, f, buf, buf + t->pw, buf + 2 * t->pw, queue, out + f * t->np);
    return TRUE;
}

/* ---- routes ----------------------------------------------------------------------------- */

/* A growing list of users, tried (a friend of a hub has as many friends of friends as the
 * population has users). */
typedef struct {
    size_t *v;
    size_t n, cap;
} UserList;

static gboolean
user_list_push (UserList *a, size_t x, GError **error)
{
    if (a->n == a->cap) {
        size_t cap = a->cap ? 2 * a->cap : 16;
        size_t *v = fsim_try_renew (a->v, cap, sizeof (size_t));
        if (!v) {
            fsim_set_out_of_memory (cap, sizeof (size_t), "the users who carry a flow", error);
            return FALSE;
        }
        a->v = v;
        a->cap = cap;
    }
    a->v[a->n++] = x;
    return TRUE;
}

/* Who uses partner p around user u: u itself, friends, friends of friends (with a friend
 * linking each to u). */
typedef struct {
    UserList self, friends, fof, through;
} Carriers;

static void
carriers_clear (Carriers *c)
{
    g_free (c->self.v);
    g_free (c->friends.v);
    g_free (c->fof.v);
    g_free (c->through.v);
}

/* @seen: a bit per user, all clear, and clear again on return. */
static gboolean
carriers_init (const FsimTracer *t, size_t u, size_t p, FsimWord *seen, Carriers *c, GError **error)
{
    const FsimPopulation *pop = t->pop;
    gboolean ok = !user_uses (pop, u, p) || user_list_push (&c->self, u, error);
    for (size_t i = 0; ok && i < degree (pop, u); i++) {
        size_t v = friend_at (pop, u, i);
        if (user_uses (pop, v, p))
            ok = user_list_push (&c->friends, v, error);
        for (size_t j = 0; ok && j < degree (pop, v); j++) {
            size_t w = friend_at (pop, v, j);
            if (w == u || !user_uses (pop, w, p) || fsim_bits_get (seen, w))
                continue;
            ok = user_list_push (&c->fof, w, error);
            if (ok) {
                fsim_bits_set (seen, w);
                ok = user_list_push (&c->through, v, error);
            }
        }
    }
    for (size_t i = 0; i < c->fof.n; i++)
        fsim_bits_clear_bit (seen, c->fof.v[i]);
    return ok;
}

static FsimChannel
subject_channel (FsimSubject k)
{
    return k == FSIM_SUBJECT_SELF      ? FSIM_CHANNEL_SELF
           : k == FSIM_SUBJECT_FRIENDS ? FSIM_CHANNEL_FRIEND
                                       : FSIM_CHANNEL_FRIEND_OF_FRIEND;
}

static void
route_set_blocks (FsimRoute *r, guint blocks)
{
    r->block = blocks ? (FsimBlock) __builtin_ctz (blocks) : FSIM_BLOCK_NONE;
    r->also = blocks & ~(1u << r->block) & ~1u;
}

static guint
verdict_block (FsimVerdict v)
{
    switch (v) {
    case FSIM_VERDICT_API_INACTIVE:
        return 1u << FSIM_BLOCK_API_INACTIVE;
    case FSIM_VERDICT_NOT_REQUESTED:
        return 1u << FSIM_BLOCK_NOT_REQUESTED;
    case FSIM_VERDICT_DENIED:
        return 1u << FSIM_BLOCK_DENIED;
    case FSIM_VERDICT_NO_ALLOW:
        return 1u << FSIM_BLOCK_NO_ALLOW;
    default:
        return 0;
    }
}

/* The carriers of a route of subject @k, copied into @r (tried); adds the block bit to
 * @blocks if there are none. */
static gboolean
route_carriers (FsimRoute *r, FsimSubject k, const Carriers *c, guint *blocks, GError **error)
{
    static const FsimBlock none[] = { FSIM_BLOCK_NOT_USED, FSIM_BLOCK_NO_FRIEND,
                                      FSIM_BLOCK_NO_FRIEND_OF_FRIEND };
    const char *what = "the users who carry a route";
    const UserList *a = k == FSIM_SUBJECT_SELF      ? &c->self
                        : k == FSIM_SUBJECT_FRIENDS ? &c->friends
                                                    : &c->fof;
    r->n_carriers = a->n;
    r->carriers = fsim_try_new0 (a->n + 1, sizeof (size_t), what, error);
    if (!r->carriers)
        return FALSE;
    if (a->n)
        memcpy (r->carriers, a->v, a->n * sizeof (size_t));
    if (k == FSIM_SUBJECT_FRIENDS_OF_FRIENDS) {
        r->through = fsim_try_new0 (a->n + 1, sizeof (size_t), what, error);
        if (!r->through)
            return FALSE;
        if (a->n)
            memcpy (r->through, c->through.v, a->n * sizeof (size_t));
    }
    if (!a->n)
        *blocks |= 1u << none[k];
    return TRUE;
}

static void route_clear (FsimRoute *r);

/* The routes of (@f, @p): the scopes of @p's APIs that carry @f, and the shares into @p. */
static size_t
count_routes (const FsimTracer *t, size_t f, size_t p)
{
    const FsimPartner *partner = &t->s->partners[p];
    size_t n = 0;
    for (size_t k = 0; k < partner->n_apis; k++) {
        const FsimApi *api = &t->s->apis[partner->apis[k]];
        for (size_t sc = 0; sc < api->n_scopes; sc++)
            n += fsim_bits_get (api->scopes[sc].fields, f);
    }
    for (size_t q = 0; q < t->np; q++)
        for (size_t j = 0; j < t->s->partners[q].n_shares; j++)
            n += t->s->partners[q].shares[j].partner == p;
    return n;
}

/* Appends the direct routes of (@f, @p) at @routes + *@n (count_routes() made room). */
static gboolean
add_direct_routes (const FsimTracer *t, size_t u, size_t f, size_t p, const Carriers *c,
                   FsimRoute *routes, size_t *n, GError **error)
{
    const FsimPartner *partner = &t->s->partners[p];
    for (size_t k = 0; k < partner->n_apis; k++) {
        const FsimApi *api = &t->s->apis[partner->apis[k]];
        for (size_t sc = 0; sc < api->n_scopes; sc++) {
            const FsimScope *scope = &api->scopes[sc];
            if (!fsim_bits_get (scope->fields, f))
                continue;
            FsimRoute r = { .channel = subject_channel (scope->subject),
                            .api_k = k,
                            .api = partner->apis[k],
                            .scope = sc,
                            .decision = *fsim_decisions_get (t->d, p, k, sc) };
            guint blocks = verdict_block (r.decision.verdict);
            guint failing = failing_gates (t->pop, u, f, scope->subject) & api->respects;
            if (failing & FSIM_RESPECTS_PLATFORM)
                blocks |= 1u << FSIM_BLOCK_PLATFORM;
            if (failing & FSIM_RESPECTS_APPS_OTHERS)
                blocks |= 1u << FSIM_BLOCK_APPS_OTHERS;
            if (failing & FSIM_RESPECTS_AUDIENCE)
                blocks |= 1u << FSIM_BLOCK_AUDIENCE;
            if (!route_carriers (&r, scope->subject, c, &blocks, error)) {
                route_clear (&r);
                return FALSE;
            }
            route_set_blocks (&r, blocks);
            routes[(*n)++] = r;
        }
    }
    return TRUE;
}

/* Breadth-first over the shares that carry f on the day out of server holders, from every
 * partner (u, f) reached directly that holds f on a server; pred[x] = previous partner. @queue:
 * scratch of a partner each (each is queued once at most). */
static void
downstream_preds (const FsimTracer *t, size_t f, const guint8 *row, gssize *pred, size_t *queue)
{
    const FsimWord *server = fsim_downstream_server_holders (t->down, f);
    size_t tail = 0;
    for (size_t q = 0; q < t->np; q++) {
        pred[q] = -2; /* unreached */
        if ((row[q] & ~FSIM_CHANNEL_BIT (FSIM_CHANNEL_DOWNSTREAM)) && fsim_bits_get (server, q)) {
            pred[q] = -1; /* a start */
            queue[tail++] = q;
        }
    }
    for (size_t i = 0; i < tail; i++) {
        size_t q = queue[i];
        if (!fsim_bits_get (server, q))
            continue;
        const FsimPartner *partner = &t->s->partners[q];
        for (size_t j = 0; j < partner->n_shares; j++) {
            const FsimShare *sh = &partner->shares[j];
            if (!fsim_window_contains (sh->active, t->day) || !fsim_bits_get (sh->fields, f) ||
                pred[sh->partner] != -2)
                continue;
            pred[sh->partner] = (gssize) q;
            queue[tail++] = sh->partner;
        }
    }
}

/* The path of an open downstream route: from a start to @q, then @p (tried). @rev: scratch of
 * @np + 2 partners. */
static gboolean
route_path (FsimRoute *r, const gssize *pred, size_t q, size_t p, size_t np, size_t *rev,
            GError **error)
{
    size_t len = 0;
    rev[len++] = p;
    for (gssize x = (gssize) q; x >= 0 && len <= np + 1; x = pred[x]) {
        rev[len++] = (size_t) x;
        if (pred[x] == -1)
            break;
    }
    r->path = fsim_try_new (len, sizeof (size_t), "the path of a route", error);
    if (r->path == NULL)
        return FALSE;
    r->n_path = len;
    for (size_t i = 0; i < len; i++)
        r->path[i] = rev[len - 1 - i];
    return TRUE;
}

/* Appends the routes of the shares into @p at @routes + *@n (count_routes() made room). */
static gboolean
add_downstream_routes (const FsimTracer *t, size_t f, size_t p, const guint8 *row,
                       FsimRoute *routes, size_t *n, GError **error)
{
    const char *what = "the walk along the shares";
    g_autofree gssize *pred = NULL;
    g_autofree size_t *scratch = NULL; /* the walk's queue, then a path reversed */
    const FsimWord *server = fsim_downstream_server_holders (t->down, f);
    for (size_t q = 0; q < t->np; q++) {
        const FsimPartner *partner = &t->s->partners[q];
        for (size_t j = 0; j < partner->n_shares; j++) {
            const FsimShare *sh = &partner->shares[j];
            if (sh->partner != p)
                continue;
            FsimRoute r = { .channel = FSIM_CHANNEL_DOWNSTREAM, .from = q, .share = j };
            guint blocks = 0;
            if (!fsim_window_contains (sh->active, t->day))
                blocks |= 1u << FSIM_BLOCK_SHARE_INACTIVE;
            if (!fsim_bits_get (sh->fields, f))
                blocks |= 1u << FSIM_BLOCK_SHARE_FIELDS;
            if (!fsim_tracer_receives (t, f, q))
                blocks |= 1u << FSIM_BLOCK_NOT_HELD;
            else if (!fsim_bits_get (server, q))
                blocks |= 1u << FSIM_BLOCK_DEVICE_ONLY;
            if (!row[q])
                blocks |= 1u << FSIM_BLOCK_UPSTREAM;
            route_set_blocks (&r, blocks);
            if (!blocks) {
                if (!pred) {
                    pred = fsim_try_new (t->np + 1, sizeof (gssize), what, error);
                    scratch = pred ? fsim_try_new (t->np + 2, sizeof (size_t), what, error) : NULL;
                    if (scratch == NULL)
                        return FALSE;
                    downstream_preds (t, f, row, pred, scratch);
                }
                if (!route_path (&r, pred, q, p, t->np, scratch, error))
                    return FALSE;
            }
            routes[(*n)++] = r;
        }
    }
    return TRUE;
}

static void
route_clear (FsimRoute *r)
{
    g_free (r->carriers);
    g_free (r->through);
    g_free (r->path);
}

static void
routes_free (FsimRoute *routes, size_t n)
{
    for (size_t i = 0; i < n; i++)
        route_clear (&routes[i]);
    g_free (routes);
}

void
fsim_explanation_free (FsimExplanation *e)
{
    if (!e)
        return;
    for (size_t i = 0; i < e->n_flows; i++)
        routes_free (e->flows[i].routes, e->flows[i].n_routes);
    g_free (e->flows);
    g_free (e);
}

/* The routes of (f, p), open ones first, each group in model order, in @flow; FALSE (@flow
 * unchanged) when they or a copy of their carriers ran out of memory. A partner's routes are
 * its scopes carrying f and the shares into it: up to the model's 2^24 decisions, so they are
 * counted first and tried. */
static gboolean
explain_flow (const FsimTracer *t, size_t u, size_t f, size_t p, const guint8 *masks,
              const Carriers *c, FsimFlowExplanation *flow, GError **error)
{
    const char *what = "the routes of a flow";
    size_t n = count_routes (t, f, p), k = 0;
    FsimRoute *all = fsim_try_new0 (n + 1, sizeof (FsimRoute), what, error);
    if (all == NULL)
        return FALSE;
    gboolean ok = add_direct_routes (t, u, f, p, c, all, &k, error) &&
                  add_downstream_routes (t, f, p, masks + f * t->np, all, &k, error);
    FsimRoute *sorted = ok ? fsim_try_new0 (n + 1, sizeof (FsimRoute), what, error) : NULL;
    if (sorted == NULL) {
        routes_free (all, k);
        return FALSE;
    }
    g_assert (k == n);
    size_t m = 0;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < n; i++)
            if ((all[i].block == FSIM_BLOCK_NONE) == (pass == 0))
                sorted[m++] = all[i];
    g_free (all); /* the routes' own arrays moved to @sorted */
    *flow = (FsimFlowExplanation){ .field = f,
                                   .partner = p,
                                   .receives = fsim_tracer_receives (t, f, p),
                                   .channels = masks[f * t->np + p],
                                   .routes = sorted,
                                   .n_routes = n };
    return TRUE;
}

/* The flows the explanation will hold: the fields asked about times the partners. */
static size_t
count_flows (const FsimTracer *t, const FsimWord *fields, const FsimWord *partners)
{
    size_t nf = 0, np = 0;
    for (size_t f = 0; f < t->nf; f++)
        nf += !fields || fsim_bits_get (fields, f);
    for (size_t p = 0; p < t->np; p++)
        np += !partners || fsim_bits_get (partners, p);
    return nf * np;
}

FsimExplanation *
fsim_explain_user (const FsimTracer *t, size_t u, const FsimWord *fields, const FsimWord *partners,
                   GError **error)
{
    g_return_val_if_fail (t != NULL && u < t->pop->n_users, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);
    /* a byte per (field, partner): 16 MiB at the limits; a bit per user marking the friends of
     * friends already met; the flows (the fields asked about times the
     * partners), all tried */
    const char *what = "the channels of the user's fields and partners";
    size_t n_flows = count_flows (t, fields, partners);
    g_autofree guint8 *masks = fsim_try_new0 (t->nf * t->np + 1, 1, what, error);
    g_autofree Carriers *carriers =
        masks ? fsim_try_new0 (t->np + 1, sizeof (Carriers), what, error) : NULL;
    g_autofree FsimWord *seen =
        carriers ? fsim_try_new0 (FSIM_BITS_WORDS (t->pop->n_users) + 1, sizeof (FsimWord),
                                  "the user's friends of friends", error)
                 : NULL;
    g_autofree FsimFlowExplanation *flows =
        seen ? fsim_try_new0 (n_flows + 1, sizeof (FsimFlowExplanation), "the user's flows", error)
             : NULL;
    if (flows == NULL || !fsim_tracer_user (t, u, masks, error))
        return NULL;
    g_autoptr (FsimExplanation) e = g_new0 (FsimExplanation, 1);
    e->user = u;
    e->flows = g_steal_pointer (&flows);
    gboolean ok = TRUE;
    for (size_t p = 0; ok && p < t->np; p++)
        if (!partners || fsim_bits_get (partners, p))
            ok = carriers_init (t, u, p, seen, &carriers[p], error);
    for (size_t f = 0; ok && f < t->nf; f++) {
        if (fields && !fsim_bits_get (fields, f))
            continue;
        for (size_t p = 0; ok && p < t->np; p++)
            if (!partners || fsim_bits_get (partners, p)) {
                ok = explain_flow (t, u, f, p, masks, &carriers[p], &e->flows[e->n_flows], error);
                e->n_flows += ok;
            }
    }
    for (size_t p = 0; p < t->np; p++)
        carriers_clear (&carriers[p]);
    return ok ? g_steal_pointer (&e) : NULL;
}
