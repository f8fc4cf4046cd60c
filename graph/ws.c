/* SPDX-License-Identifier: MIT */
/* ws.c: watts_strogatz, a ring lattice rewired, drawn by users so that each rank draws its rows. */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "friends.h"
#include "graph-private.h"
#include "rng-private.h"

/*
 * The ring: friendship e = (u, j), j = 1 .. nei, joins u (its end A) and u + j mod n (its end
 * B). igraph_rewire_edges() (igraph 0.10.2, undirected, no loops or repeats) moves each end of
 * each friendship with probability p in two sweeps: first one end of every friendship, keeping
 * the other, then the other end, keeping the first (moved or not). Each move picks a uniform
 * user that is not a friend of the kept end, or leaves the friendship where it is (the old end
 * may be picked again). igraph runs the moves one after the other over one RNG stream, which a
 * rank cannot split. This file makes the same two sweeps by users:
 *
 *  1. whether each end moves is a coin of its own: a SplitMix64 output keyed by (seed, sweep,
 *     e), which any rank can compute for any friendship. A friendship neither of whose ends
 *     moves stays in the ring; no rank stores it;
 *  2. sweep 1 moves end B of the friendships whose first coin fell, keeping A = u; sweep 2
 *     moves end A of those whose second coin fell, keeping B (moved or not). The kept end's
 *     owner draws the new end on the kept user's own stream (seed, sweep, round, user), for its
 *     friendships in a fixed order (j in sweep 1; old end A in sweep 2), avoiding the kept
 *     user's friends before the sweep (in sweep 1 its whole ring, in sweep 2 all it has after
 *     sweep 1) and its own earlier moves, the old end allowed (the friendship stays);
 *  3. a moved friendship goes to the new end's owner (all-to-all). The only repeat the owners
 *     cannot see before drawing is two moves of the same sweep and round that join the same
 *     two users from both ends (u moves to t while t moves to u). Both owners see it after the
 *     exchange; the move whose kept user is the larger id is drawn again in the next round,
 *     avoiding all that user's friends known then, and the exchange repeats until no rank has
 *     such a pair (about (nei p)^2 / 2 pairs in the first round for the whole graph, almost
 *     never any in the second). A move that finds its kept user already friends with everyone,
 *     or is still drawn again after WS_ROUNDS rounds, is dropped: the only way the friendship
 *     count can fall below n nei, and only in tiny dense graphs.
 *
 * So each friendship's ends move with igraph's probabilities, to uniform non-friends, and the
 * count is kept. What differs from igraph's one-at-a-time process: within a sweep, the moves
 * of different kept users do not see each other's results until the exchange (igraph's later
 * moves see the friends made or lost by earlier moves of other users; here a friendship
 * another user is moving away still counts, so a ring neighbour is never a new end in sweep 1
 * and a complete graph stays complete, as in igraph), and the ring is igraph's
 * mirrored (igraph keeps the larger end in its first sweep; here the end u, which is the
 * smaller but for the nei (nei + 1) / 2 friendships across n - 1 .. 0). The statistics test in
 * tests/test-generators.c compares degree spread and clustering with igraph's game.
 *
 * Rank r owns users lo .. hi - 1 and keeps only what touches them: the moves it drew (its
 * users kept) and the moves that ended at its users, 12 bytes each; the ring is recomputed from
 * the coins. One process is the same code with one rank.
 */

#define WS_PHASE UINT64_C (0x57530000)
#define WS_ROUNDS 64
#define WS_NONE UINT32_MAX

enum { MOVE_ALIVE, MOVE_REDRAW, MOVE_DEAD };

/* A move drawn here: its kept user (one of this rank's), the end it had, the end it has. */
typedef struct {
    uint32_t keep, old, now;
    guint8 flag;  /* sweep 1: the friendship's second coin (end A moves in sweep 2) */
    guint8 round; /* the round that drew now */
    guint8 state;
} Move;

/* A move that ended at one of this rank's users (to), from its kept user; sorted by (to, from).
 * Also the message sent to to's owner (dead and pad are 0 then). */
typedef struct {
    uint32_t to, from;
    guint8 flag, dead, pad[2];
} Arc;

typedef struct {
    Move *v;
    size_t len;
} Moves;

typedef struct {
    Arc *v;
    size_t len;
} Arcs;

typedef struct {
    size_t n;
    uint32_t nei;
    double p;
    uint64_t seed;
    uint64_t coin_key[2];
    const FsimComm *comm; /* NULL: one process */
    size_t lo, hi;        /* this rank's users */
    size_t *bounds;       /* with comm: rank r owns bounds[r] .. bounds[r + 1] - 1 */
    Moves moves[2];       /* per sweep, by kept user */
    Arcs in[2];           /* per sweep, by (to, from) */
} Ws;

static void
ws_clear (Ws *w)
{
    g_free (w->bounds);
    for (int s = 0; s < 2; s++) {
        g_free (w->moves[s].v);
        g_free (w->in[s].v);
    }
}

/* ---- the coins and the ring -------------------------------------------------------------- */

/* Whether sweep @s (0 or 1) moves an end of friendship (u, j). */
static inline gboolean
coin (const Ws *w, int s, uint64_t u, uint32_t j)
{
    uint64_t x = w->coin_key[s] + (u * w->nei + (j - 1)) * UINT64_C (0x9e3779b97f4a7c15);

    return (double) (fsim_i_splitmix64 (&x) >> 11) * 0x1.0p-53 < w->p;
}

static inline uint32_t
ring_add (const Ws *w, uint64_t u, uint32_t j)
{
    return (uint32_t) ((u + j) % w->n);
}

static inline uint32_t
ring_sub (const Ws *w, uint64_t u, uint32_t j)
{
    return (uint32_t) ((u + w->n - j) % w->n);
}

/* ---- a user's friends, as a small set ------------------------------------------------------ */

typedef struct {
    uint32_t *v;
    size_t len, cap;
    gboolean failed;
} Set;

static void
set_add (Set *s, uint32_t x)
{
    if (s->len == s->cap) {
        size_t cap = MAX (64, 2 * s->cap);
        uint32_t *v = g_try_renew (uint32_t, s->v, cap);
        if (v == NULL) {
            s->failed = TRUE;
            return;
        }
        s->v = v;
        s->cap = cap;
    }
    s->v[s->len++] = x;
}

static gboolean
set_has (const Set *s, uint32_t x)
{
    for (size_t i = 0; i < s->len; i++)
        if (s->v[i] == x)
            return TRUE;
    return FALSE;
}

static void
set_remove (Set *s, uint32_t x)
{
    for (size_t i = 0; i < s->len; i++)
        if (s->v[i] == x) {
            s->v[i] = s->v[--s->len];
            return;
        }
}

/* The arcs of @a to user @to: [*out_lo, *out_hi). */
static void
arcs_of (const Arcs *a, uint32_t to, size_t *out_lo, size_t *out_hi)
{
    size_t lo = 0, hi = a->len;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (a->v[mid].to < to)
            lo = mid + 1;
        else
            hi = mid;
    }
    *out_lo = lo;
    for (hi = lo; hi < a->len && a->v[hi].to == to; hi++)
        ;
    *out_hi = hi;
}

/* The moves of @m kept at @u: [*out_lo, *out_hi) (moves are sorted by kept user). */
static void
moves_of (const Moves *m, uint32_t u, size_t *out_lo, size_t *out_hi)
{
    size_t lo = 0, hi = m->len;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (m->v[mid].keep < u)
            lo = mid + 1;
        else
            hi = mid;
    }
    *out_lo = lo;
    for (hi = lo; hi < m->len && m->v[hi].keep == u; hi++)
        ;
    *out_hi = hi;
}

/* @u's friends after sweep 1 as far as this rank knows them (its ring friends whose first coin
 * did not fall, its moves of sweep 1 and those that reached it), plus with @sweep2 its moves of
 * sweep 2 and those that reached it. A friendship that sweep 2 takes away is still counted:
 * a draw avoids it, as igraph avoids a friendship not yet moved. */
static void
set_friends (const Ws *w, uint32_t u, gboolean sweep2, Set *f)
{
    size_t lo, hi;

    f->len = 0;
    for (uint32_t j = 1; j <= w->nei; j++) {
        if (!coin (w, 0, u, j))
            set_add (f, ring_add (w, u, j));
        if (!coin (w, 0, ring_sub (w, u, j), j))
            set_add (f, ring_sub (w, u, j));
    }
    for (int s = 0; s < (sweep2 ? 2 : 1); s++) {
        moves_of (&w->moves[s], u, &lo, &hi);
        for (size_t k = lo; k < hi; k++)
            if (w->moves[s].v[k].state != MOVE_DEAD)
                set_add (f, w->moves[s].v[k].now);
        arcs_of (&w->in[s], u, &lo, &hi);
        for (size_t k = lo; k < hi; k++)
            if (!w->in[s].v[k].dead)
                set_add (f, w->in[s].v[k].from);
    }
}

/* A user other than @keep and not in @f, or @allow (WS_NONE: none allowed); WS_NONE when @f
 * holds every other user and nothing is allowed. */
static uint32_t
draw (const Ws *w, FsimRng *rng, uint32_t keep, const Set *f, uint32_t allow)
{
    if (allow == WS_NONE && f->len >= w->n - 1)
        return WS_NONE;
    for (;;) {
        uint32_t t = fsim_i_rng_below (rng, w->n - 1);
        t = t != keep ? t : (uint32_t) (w->n - 1);
        if (t == allow || !set_has (f, t))
            return t;
    }
}

static void
rng_for (const Ws *w, FsimRng *rng, int sweep, unsigned round, uint32_t u)
{
    fsim_i_rng_init (rng, w->seed, WS_PHASE + ((uint64_t) sweep << 8) + round, u);
}

/* ---- the first draws of each sweep -------------------------------------------------------- */

/* Sweep 1: end B of u's friendships whose first coin fell, u kept. */
static gboolean
sweep1_draw (Ws *w, Set *f)
{
    size_t count = 0;
    Moves *m = &w->moves[0];

    for (size_t u = w->lo; u < w->hi; u++)
        for (uint32_t j = 1; j <= w->nei; j++)
            count += coin (w, 0, u, j);
    m->v = g_try_new (Move, MAX (count, 1));
    if (m->v == NULL)
        return FALSE;
    for (size_t u = w->lo; u < w->hi; u++) {
        FsimRng rng;
        f->len = 0;
        for (uint32_t j = 1; j <= w->nei; j++) { /* u's ring, as before the sweep */
            set_add (f, ring_add (w, u, j));
            set_add (f, ring_sub (w, u, j));
        }
        rng_for (w, &rng, 0, 0, (uint32_t) u);
        for (uint32_t j = 1; j <= w->nei; j++) {
            if (!coin (w, 0, u, j))
                continue;
            uint32_t old = ring_add (w, u, j);
            uint32_t t = draw (w, &rng, (uint32_t) u, f, old);
            if (t != old) {
                set_remove (f, old);
                set_add (f, t);
            }
            m->v[m->len++] = (Move){ (uint32_t) u, old, t, (guint8) coin (w, 1, u, j), 0, 0 };
        }
    }
    return !f->failed;
}

static int
cmp_u32 (const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *) a, y = *(const uint32_t *) b;

    return x < y ? -1 : x > y;
}

/* The old ends A of the friendships kept at @v whose end A sweep 2 moves, sorted, into @olds. */
static void
sweep2_olds (const Ws *w, uint32_t v, Set *olds)
{
    size_t lo, hi;

    olds->len = 0;
    for (uint32_t j = 1; j <= w->nei; j++) {
        uint32_t u = ring_sub (w, v, j);
        if (!coin (w, 0, u, j) && coin (w, 1, u, j))
            set_add (olds, u);
    }
    arcs_of (&w->in[0], v, &lo, &hi);
    for (size_t k = lo; k < hi; k++)
        if (!w->in[0].v[k].dead && w->in[0].v[k].flag)
            set_add (olds, w->in[0].v[k].from);
    if (!olds->failed && olds->len > 1)
        qsort (olds->v, olds->len, sizeof *olds->v, cmp_u32);
}

/* Sweep 2: end A of the friendships kept at this rank's users whose second coin fell. */
static gboolean
sweep2_draw (Ws *w, Set *f, Set *olds)
{
    size_t count = 0;
    Moves *m = &w->moves[1];

    for (size_t v = w->lo; v < w->hi; v++) {
        sweep2_olds (w, (uint32_t) v, olds);
        count += olds->len;
    }
    m->v = g_try_new (Move, MAX (count, 1));
    if (m->v == NULL || olds->failed)
        return FALSE;
    for (size_t v = w->lo; v < w->hi; v++) {
        FsimRng rng;
        sweep2_olds (w, (uint32_t) v, olds);
        if (olds->len == 0)
            continue;
        set_friends (w, (uint32_t) v, FALSE, f);
        rng_for (w, &rng, 1, 0, (uint32_t) v);
        for (size_t k = 0; k < olds->len; k++) {
            uint32_t old = olds->v[k];
            uint32_t t = draw (w, &rng, (uint32_t) v, f, old);
            if (t != old) {
                set_remove (f, old);
                set_add (f, t);
            }
            m->v[m->len++] = (Move){ (uint32_t) v, old, t, 0, 0, 0 };
        }
    }
    return !f->failed && !olds->failed;
}

/* Round @round of sweep @s: the moves to draw again, avoiding all their kept users' friends. */
static gboolean
redraw (Ws *w, int s, unsigned round, Set *f)
{
    Moves *m = &w->moves[s];

    for (size_t k = 0; k < m->len;) {
        uint32_t u = m->v[k].keep;
        size_t end = k;
        gboolean any = FALSE;
        FsimRng rng;

        for (; end < m->len && m->v[end].keep == u; end++)
            any |= m->v[end].state == MOVE_REDRAW;
        if (any) {
            set_friends (w, u, s == 1, f);
            rng_for (w, &rng, s, round, u);
        }
        for (; any && k < end; k++) {
            Move *mv = &m->v[k];
            if (mv->state != MOVE_REDRAW)
                continue;
            mv->now = round < WS_ROUNDS ? draw (w, &rng, u, f, WS_NONE) : WS_NONE;
            mv->state = mv->now == WS_NONE ? MOVE_DEAD : MOVE_ALIVE;
            mv->round = (guint8) round;
            if (mv->now != WS_NONE)
                set_add (f, mv->now);
        }
        k = end;
    }
    return !f->failed;
}

/* ---- the exchange -------------------------------------------------------------------------- */

/* A failure on this rank (out of memory) fails every rank, before the next collective. */
static gboolean
agree (const Ws *w, gboolean ok, GError **error)
{
    if (fsim_comm_agree (w->comm, ok, "ran out of memory generating its friendships", error))
        return TRUE;
    if (ok)
        return FALSE; /* another rank's failure */
    if (w->comm == NULL)
        fsim_i_set_nomem (error, w->n, w->n * w->nei);
    else
        g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_NOMEM,
                     "out of memory generating the friendships of users %zu .. %zu of %zu", w->lo,
                     w->hi, w->n);
    return FALSE;
}

static int
owner (const Ws *w, uint32_t v)
{
    return w->comm == NULL ? 0 : fsim_i_comm_owner (w->bounds, w->comm->size, v);
}

static int
cmp_arc (const void *a, const void *b)
{
    const Arc *x = a, *y = b;

    if (x->to != y->to)
        return x->to < y->to ? -1 : 1;
    return x->from < y->from ? -1 : x->from > y->from;
}

/* The moves of sweep @s drawn in @round, packed by their new end's owner into *out_send
 * (counts in @counts, zeroed here). */
static gboolean
pack (const Ws *w, int s, unsigned round, size_t *counts, Arc **out_send)
{
    int size = w->comm == NULL ? 1 : w->comm->size;
    const Moves *m = &w->moves[s];
    size_t total = 0;
    g_autofree size_t *at = g_new0 (size_t, (size_t) size);
    Arc *send;

    memset (counts, 0, (size_t) size * sizeof *counts);
    for (size_t k = 0; k < m->len; k++)
        if (m->v[k].state == MOVE_ALIVE && m->v[k].round == round) {
            counts[owner (w, m->v[k].now)]++;
            total++;
        }
    send = g_try_new0 (Arc, MAX (total, 1));
    if (send == NULL)
        return FALSE;
    for (int r = 1; r < size; r++)
        at[r] = at[r - 1] + counts[r - 1];
    for (size_t k = 0; k < m->len; k++)
        if (m->v[k].state == MOVE_ALIVE && m->v[k].round == round) {
            const Move *mv = &m->v[k];
            send[at[owner (w, mv->now)]++] = (Arc){ mv->now, mv->keep, mv->flag, 0, { 0, 0 } };
        }
    *out_send = send;
    return TRUE;
}

/* The moves of sweep @s drawn in @round go to their new ends' owners, into w->in[s]. */
static gboolean
exchange (Ws *w, int s, unsigned round, GError **error)
{
    int size = w->comm == NULL ? 1 : w->comm->size;
    g_autofree size_t *counts = g_new (size_t, (size_t) size);
    g_autofree size_t *from = g_new0 (size_t, (size_t) size);
    g_autofree Arc *send = NULL;
    g_autofree Arc *recv = NULL;
    size_t n_recv = 0;
    Arcs *in = &w->in[s];
    Arc *grown;

    if (!agree (w, pack (w, s, round, counts, &send), error))
        return FALSE;
    if (w->comm == NULL) {
        recv = g_steal_pointer (&send);
        from[0] = counts[0];
    } else if (!w->comm->alltoallv (w->comm, send, counts, (void **) &recv, from, sizeof (Arc),
                                    error)) {
        return FALSE;
    }
    for (int r = 0; r < size; r++)
        n_recv += from[r];
    grown = g_try_renew (Arc, in->v, in->len + n_recv + 1);
    if (!agree (w, grown != NULL, error))
        return FALSE;
    in->v = grown;
    if (n_recv > 0)
        memcpy (in->v + in->len, recv, n_recv * sizeof (Arc));
    in->len += n_recv;
    if (in->len > 1)
        qsort (in->v, in->len, sizeof (Arc), cmp_arc);
    return TRUE;
}

/* Moves of @round that join the same two users from both ends: the one kept at the larger id
 * is drawn again, the other side's arc dropped. Returns whether this rank redraws any. */
static gboolean
resolve (Ws *w, int s, unsigned round)
{
    Moves *m = &w->moves[s];
    gboolean any = FALSE;

    for (size_t k = 0; k < m->len; k++) {
        Move *mv = &m->v[k];
        size_t lo, hi;

        if (mv->state != MOVE_ALIVE || mv->round != round)
            continue;
        arcs_of (&w->in[s], mv->keep, &lo, &hi);
        for (size_t a = lo; a < hi; a++) {
            Arc *arc = &w->in[s].v[a];
            if (arc->from != mv->now || arc->dead)
                continue;
            if (mv->keep > mv->now) {
                mv->state = MOVE_REDRAW;
                any = TRUE;
            } else {
                arc->dead = 1;
            }
        }
    }
    return any;
}

/* Exchanges and rounds of sweep @s until no rank has a pair to resolve. */
static gboolean
settle (Ws *w, int s, Set *f, GError **error)
{
    for (unsigned round = 0;; round++) {
        if (!exchange (w, s, round, error))
            return FALSE;
        gboolean again = resolve (w, s, round);
        if (w->comm == NULL ? !again : w->comm->all_ok (w->comm, !again))
            return TRUE;
        if (!agree (w, redraw (w, s, round + 1, f), error))
            return FALSE;
    }
}

/* ---- the rows ------------------------------------------------------------------------------ */

/* Calls @fn (v, friend) for every friendship of this rank's users in the final graph. */
typedef void (*ArcFunc) (const Ws *w, uint32_t v, uint32_t friend, void *data);

static void
each_friend (const Ws *w, ArcFunc fn, void *data)
{
    for (size_t v = w->lo; v < w->hi; v++)
        for (uint32_t j = 1; j <= w->nei; j++) {
            if (!coin (w, 0, v, j) && !coin (w, 1, v, j))
                fn (w, (uint32_t) v, ring_add (w, v, j), data);
            uint32_t u = ring_sub (w, v, j);
            if (!coin (w, 0, u, j) && !coin (w, 1, u, j))
                fn (w, (uint32_t) v, u, data);
        }
    for (int s = 0; s < 2; s++) {
        for (size_t k = 0; k < w->moves[s].len; k++) {
            const Move *mv = &w->moves[s].v[k];
            if (mv->state == MOVE_ALIVE && !mv->flag)
                fn (w, mv->keep, mv->now, data);
        }
        for (size_t k = 0; k < w->in[s].len; k++) {
            const Arc *a = &w->in[s].v[k];
            if (!a->dead && !a->flag)
                fn (w, a->to, a->from, data);
        }
    }
}

typedef struct {
    size_t *offsets;
    uint32_t *adj;
} Rows;

static void
count_friend (const Ws *w, uint32_t v, uint32_t friend, void *data)
{
    Rows *r = data;

    (void) friend;
    r->offsets[v - w->lo + 1]++;
}

static void
place_friend (const Ws *w, uint32_t v, uint32_t friend, void *data)
{
    Rows *r = data;

    r->adj[r->offsets[v - w->lo]++] = friend;
}

static FsimFriends *
build_rows (const Ws *w, GError **error)
{
    size_t n_own = w->hi - w->lo;
    Rows r = { g_try_new0 (size_t, n_own + 1), NULL };
    FsimFriends *f;

    if (!agree (w, r.offsets != NULL, error))
        return NULL;
    each_friend (w, count_friend, &r);
    for (size_t i = 0; i < n_own; i++)
        r.offsets[i + 1] += r.offsets[i];
    r.adj = g_try_new (uint32_t, MAX (r.offsets[n_own], 1));
    if (!agree (w, r.adj != NULL, error)) {
        g_free (r.offsets);
        return NULL;
    }
    each_friend (w, place_friend, &r);
    memmove (r.offsets + 1, r.offsets, n_own * sizeof *r.offsets); /* cursors back to starts */
    r.offsets[0] = 0;
    for (size_t i = 0; i < n_own; i++)
        if (r.offsets[i + 1] - r.offsets[i] > 1)
            qsort (r.adj + r.offsets[i], r.offsets[i + 1] - r.offsets[i], sizeof (uint32_t),
                   cmp_u32);
    f = g_new0 (FsimFriends, 1);
    f->n_users = n_own;
    f->n_edges = w->comm == NULL ? r.offsets[n_own] / 2 : 0;
    f->offsets = r.offsets;
    f->adj = r.adj;
    return f;
}

/* ---- the front ends ------------------------------------------------------------------------- */

static FsimFriends *
ws_run (Ws *w, GError **error)
{
    Set f = { 0 }, olds = { 0 };
    FsimFriends *rows = NULL;

    for (int s = 0; s < 2; s++) {
        uint64_t x = w->seed ^ (WS_PHASE + (uint64_t) s);
        w->coin_key[s] = fsim_i_splitmix64 (&x);
    }
    if (w->comm != NULL &&
        !fsim_i_comm_gather_bounds (w->comm, w->lo, w->hi, w->n, &w->bounds, error))
        goto out;
    if (!agree (w, sweep1_draw (w, &f), error) || !settle (w, 0, &f, error))
        goto out;
    if (!agree (w, sweep2_draw (w, &f, &olds), error) || !settle (w, 1, &f, error))
        goto out;
    rows = build_rows (w, error);
out:
    g_free (f.v);
    g_free (olds.v);
    return rows;
}

/* Rows @first .. @first + @n_rows - 1 over @comm (NULL: one process, every row), @nei ring
 * neighbours on each side (2 nei < n, checked by the caller). */
FsimFriends *
fsim_i_ws_generate (const FsimGenParams *p, size_t nei, const FsimComm *comm, size_t first,
                    size_t n_rows, GError **error)
{
    Ws w = { .n = p->n_users,
             .nei = (uint32_t) nei,
             .p = p->rewire,
             .seed = p->seed,
             .comm = comm,
             .lo = first,
             .hi = first + n_rows };
    FsimFriends *f;

    if (nei == 0 || p->n_users < 2)
        return fsim_i_friends_empty_rows (n_rows);
    f = ws_run (&w, error);
    ws_clear (&w);
    return f;
}
