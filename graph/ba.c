/* SPDX-License-Identifier: MIT */
/* ba.c: barabasi_albert, replayed whole on every rank with O(n) memory, keeping the rank's rows. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "friends.h"
#include "graph-private.h"
#include "rng-private.h"

/*
 * Preferential attachment is sequential: user k's friends are drawn in proportion to the
 * degrees left by users 0 .. k - 1, so no rank can draw its users alone. Every rank replays the
 * whole process on the same stream (keyed by the seed), with what igraph's psumtree algorithm
 * keeps (igraph_barabasi_game, power 1, A = 1, undirected, no repeats): user k befriends all
 * the users before it while k <= m, else m distinct users drawn one after the other in
 * proportion to degree + 1, each drawn user's weight set to 0 until the m are drawn. A
 * Fenwick tree over the weights (8 bytes per user) and the degrees (4 bytes per user) are all
 * the state; a rank keeps only the friendships that touch its users. So memory is O(n) per
 * rank, not O(m), and the time is not divided: every rank draws all m (n - m) friendships.
 *
 * The process is igraph's; the random numbers are flowsim's own (rng-private.h), so the graphs
 * differ from igraph's game (and from flowsim before 2026-12-06) with the same distribution.
 * One process is the same code with one rank.
 */

#define BA_PHASE UINT64_C (0x42410000)

typedef struct {
    size_t n;
    uint64_t *tree; /* Fenwick tree over the weights, 1-based */
    uint32_t *degree;
    size_t top; /* the largest power of two <= n */
} Weights;

static void
weights_add (Weights *w, size_t u, int64_t delta)
{
    for (size_t i = u + 1; i <= w->n; i += i & (~i + 1))
        w->tree[i] += (uint64_t) delta;
}

/* The user whose weight holds @x, 0 <= x < total: prefix (u) <= x < prefix (u + 1). */
static size_t
weights_find (const Weights *w, uint64_t x)
{
    size_t pos = 0;

    for (size_t step = w->top; step > 0; step /= 2) {
        if (pos + step <= w->n && w->tree[pos + step] <= x) {
            pos += step;
            x -= w->tree[pos];
        }
    }
    return pos; /* 0-based: tree index pos + 1 */
}

/* The friendships that touch this rank's users lo .. hi - 1, as (user, friend) pairs. */
typedef struct {
    size_t lo, hi;
    uint32_t *pairs;
    size_t len, cap;
    gboolean failed;
} Kept;

static void
keep (Kept *k, uint32_t u, uint32_t v)
{
    for (int side = 0; side < 2; side++, u ^= v, v ^= u, u ^= v) {
        if (u < k->lo || u >= k->hi || k->failed)
            continue;
        if (k->len == k->cap) {
            size_t cap = MAX (1024, 2 * k->cap);
            uint32_t *p = g_try_renew (uint32_t, k->pairs, 2 * cap);
            if (p == NULL) {
                k->failed = TRUE;
                return;
            }
            k->pairs = p;
            k->cap = cap;
        }
        k->pairs[2 * k->len] = u;
        k->pairs[2 * k->len + 1] = v;
        k->len++;
    }
}

/* The whole process; the friendships touching k's users go to @k. */
static void
replay (Weights *w, size_t m, uint64_t seed, Kept *k, uint32_t *picked)
{
    FsimRng rng;
    uint64_t total = 0;

    fsim_i_rng_init (&rng, seed, BA_PHASE, 0);
    for (size_t u = 0; u < w->n && !k->failed; u++) {
        size_t n_picked = MIN (m, u);

        if (u <= m) {
            for (size_t t = 0; t < u; t++)
                picked[t] = (uint32_t) t;
        } else {
            for (size_t j = 0; j < m; j++) { /* drawn, then out of the draw until the m are */
                size_t t = weights_find (w, fsim_i_rng_below64 (&rng, total));
                picked[j] = (uint32_t) t;
                weights_add (w, t, -(int64_t) (w->degree[t] + 1));
                total -= w->degree[t] + 1;
            }
            for (size_t j = 0; j < m; j++) { /* back, one friend more */
                weights_add (w, picked[j], (int64_t) w->degree[picked[j]] + 1);
                total += w->degree[picked[j]] + 1;
            }
        }
        for (size_t j = 0; j < n_picked; j++) {
            uint32_t t = picked[j];
            weights_add (w, t, 1);
            total++;
            w->degree[t]++;
            keep (k, (uint32_t) u, t);
        }
        w->degree[u] = (uint32_t) n_picked;
        weights_add (w, u, (int64_t) n_picked + 1);
        total += n_picked + 1;
    }
}

static int
cmp_u32 (const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *) a, y = *(const uint32_t *) b;

    return x < y ? -1 : x > y;
}

/* The rows lo .. hi - 1 from the kept pairs; NULL when out of memory. */
static FsimFriends *
rows_of (const Kept *k, gboolean whole)
{
    size_t n_own = k->hi - k->lo;
    size_t *offsets = g_try_new0 (size_t, n_own + 1);
    uint32_t *adj = g_try_new (uint32_t, MAX (k->len, 1));
    FsimFriends *f;

    if (offsets == NULL || adj == NULL) {
        g_free (offsets);
        g_free (adj);
        return NULL;
    }
    for (size_t e = 0; e < k->len; e++)
        offsets[k->pairs[2 * e] - k->lo + 1]++;
    for (size_t i = 0; i < n_own; i++)
        offsets[i + 1] += offsets[i];
    for (size_t e = 0; e < k->len; e++)
        adj[offsets[k->pairs[2 * e] - k->lo]++] = k->pairs[2 * e + 1];
    memmove (offsets + 1, offsets, n_own * sizeof *offsets); /* cursors back to starts */
    offsets[0] = 0;
    for (size_t i = 0; i < n_own; i++)
        if (offsets[i + 1] - offsets[i] > 1)
            qsort (adj + offsets[i], offsets[i + 1] - offsets[i], sizeof (uint32_t), cmp_u32);
    f = g_new0 (FsimFriends, 1);
    f->n_users = n_own;
    f->n_edges = whole ? k->len / 2 : 0;
    f->offsets = offsets;
    f->adj = adj;
    return f;
}

/* A failure on this rank (out of memory) fails every rank. */
static gboolean
agree (const FsimComm *comm, gboolean ok, const Kept *k, size_t n, size_t m, GError **error)
{
    if (fsim_comm_agree (comm, ok, "ran out of memory generating its friendships", error))
        return TRUE;
    if (ok)
        return FALSE; /* another rank's failure */
    if (comm == NULL)
        fsim_i_set_nomem (error, n, n * m);
    else
        g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_NOMEM,
                     "out of memory generating the friendships of users %zu .. %zu of %zu", k->lo,
                     k->hi, n);
    return FALSE;
}

/**
 * fsim_i_ba_generate:
 * See graph-private.h.
 */
FsimFriends *
fsim_i_ba_generate (const FsimGenParams *p, size_t m, const FsimComm *comm, size_t first,
                    size_t n_rows, GError **error)
{
    size_t n = p->n_users;
    Weights w = { n, NULL, NULL, 1 };
    Kept k = { first, first + n_rows, NULL, 0, 0, FALSE };
    uint32_t *picked = NULL;
    FsimFriends *f = NULL;
    gboolean ok;

    if (m == 0 || n < 2)
        return fsim_i_friends_empty_rows (n_rows);
    while (w.top * 2 <= n)
        w.top *= 2;
    w.tree = g_try_new0 (uint64_t, n + 1);
    w.degree = g_try_new0 (uint32_t, n);
    picked = g_try_new (uint32_t, m);
    ok = w.tree != NULL && w.degree != NULL && picked != NULL;
    if (ok) {
        replay (&w, m, p->seed, &k, picked);
        ok = !k.failed;
    }
    g_free (w.tree);
    g_free (w.degree);
    g_free (picked);
    if (ok) {
        f = rows_of (&k, comm == NULL);
        ok = f != NULL;
    }
    g_free (k.pairs);
    if (!agree (comm, ok, &k, n, m, error))
        g_clear_pointer (&f, fsim_friends_free);
    return f;
}
