/* SPDX-License-Identifier: MIT */
/* gnm.c: erdos_renyi, G(n, m), drawn by blocks of users so that each rank draws only its rows. */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "friends.h"
#include "graph-private.h"
#include "number.h"
#include "rng-private.h"

/*
 * G(n, m): m friendships chosen uniformly among the N = n(n - 1)/2 pairs. igraph's sampler
 * draws one sorted stream of pair indices for the whole graph, which a rank cannot split. This
 * one can, and gives exactly the same distribution:
 *
 *  1. every pair (i, j), i < j, is drawn with probability q, a little above m / N, by geometric
 *     skips (Batagelj and Brandes 2005, "Efficient generation of large random networks") over
 *     the pairs in order (i, then j). The pairs are walked in blocks of GNM_BLOCK_USERS rows
 *     (i), each block on its own random stream keyed by (seed, attempt, block), so a block's
 *     pairs do not depend on which rank walks it;
 *  2. the number M' of pairs drawn in each block is gathered; if M' < m (about one seed in
 *     3 million), everything is drawn again with the next attempt's streams;
 *  3. M' - m of the M' drawn pairs, numbered in walking order, are dropped: a uniform random
 *     subset (Floyd's algorithm on one stream every rank draws alike).
 *
 * Given M', step 1's pairs are a uniform M'-subset of the N pairs, so a uniform m-subset of
 * them is a uniform m-subset of the N pairs: G(n, m) exactly. Rank r walks the blocks holding
 * its rows (a block split between two ranks is walked by both, each keeping its rows), keeps
 * the pairs (i, j) with i its own, and sends (i, j) to j's owner when j is not (the owner of
 * j > i is never a lower rank). Rows come out sorted without sorting: a row u receives first
 * the pairs (i, u) of lower ranks (in rank order, each in walking order), then, in walking
 * order, its own rank's pairs (i, u) with i < u and then (u, j).
 *
 * One process is the same code with one rank: no comm, every row its own.
 */

#define GNM_BLOCK_USERS 16384
/* Stream keys: step 1's block streams are (seed, GNM_PHASE + 2 attempt, block), step 3's is
 * (seed, GNM_PHASE + 2 attempt + 1, 0). */
#define GNM_PHASE UINT64_C (0x474e4d00)
#define GNM_ATTEMPTS 16

typedef struct {
    size_t n;   /* users */
    uint64_t m; /* friendships */
    uint64_t seed;
    double log_skip; /* log1p (-q); 0 when q = 1 (every pair drawn) */
    unsigned attempt;
    const FsimComm *comm; /* NULL: one process */
    size_t lo, hi;        /* this rank's rows */
    size_t *bounds;       /* [size + 1] with comm: rank r owns bounds[r] .. bounds[r + 1] - 1 */
    size_t n_blocks;
    uint64_t *first; /* [n_blocks + 1]: the walking number of each block's first drawn pair */
    uint64_t *drop;  /* sorted walking numbers of the dropped pairs */
    size_t n_drop;
} Gnm;

static void
gnm_clear (Gnm *g)
{
    g_free (g->bounds);
    g_free (g->first);
    g_free (g->drop);
}

/* ---- step 1: the walk ----------------------------------------------------------------------- */

typedef struct {
    FsimRng rng;
    double log_skip;
    uint64_t n;
    uint64_t i, end; /* current row, first row not walked */
    uint64_t j;      /* current column */
} Walk;

/* The walk of @block's pairs in rows below @stop. */
static void
walk_start (Walk *w, const Gnm *g, size_t block, size_t stop)
{
    fsim_i_rng_init (&w->rng, g->seed, GNM_PHASE + 2 * (uint64_t) g->attempt, block);
    w->log_skip = g->log_skip;
    w->n = g->n;
    w->i = w->j = (uint64_t) block * GNM_BLOCK_USERS;
    w->end = MIN (MIN (w->i + GNM_BLOCK_USERS, (uint64_t) stop), w->n - 1);
}

/* The next drawn pair (u, v), u < v, in walking order; FALSE at the end of the walk. */
static inline gboolean
walk_next (Walk *w, uint32_t *u, uint32_t *v)
{
    uint64_t step = 1;

    if (w->i >= w->end)
        return FALSE;
    if (w->log_skip < 0) {
        double skip = floor (log (1.0 - fsim_i_rng_double (&w->rng)) / w->log_skip);
        step += skip < 0x1p62 ? (uint64_t) skip : UINT64_C (1) << 62;
    }
    w->j += step;
    while (w->j >= w->n) { /* past row i: on into the next rows */
        uint64_t over = w->j - w->n;
        if (++w->i >= w->end)
            return FALSE;
        w->j = w->i + 1 + over;
    }
    *u = (uint32_t) w->i;
    *v = (uint32_t) w->j;
    return TRUE;
}

static size_t
block_of (size_t u)
{
    return u / GNM_BLOCK_USERS;
}

/* ---- the ranks ------------------------------------------------------------------------------ */

/* A failure on this rank (out of memory) fails every rank, before the next collective. */
static gboolean
agree (const Gnm *g, gboolean ok, GError **error)
{
    if (fsim_comm_agree (g->comm, ok, "ran out of memory generating its friendships", error))
        return TRUE;
    if (ok)
        return FALSE; /* another rank's failure */
    if (g->comm == NULL)
        fsim_i_set_nomem (error, g->n, (size_t) g->m);
    else
        g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_NOMEM,
                     "out of memory generating the friendships of users %zu .. %zu of %zu", g->lo,
                     g->hi, g->n);
    return FALSE;
}

static int
owner (const Gnm *g, uint32_t v)
{
    return g->comm == NULL ? 0 : fsim_i_comm_owner (g->bounds, g->comm->size, v);
}

/* Step 2: the pairs drawn in every block (the blocks that start on this rank are counted here,
 * the rest gathered), their walking numbers in g->first; the total. */
static gboolean
count_blocks (Gnm *g, uint64_t *out_total, GError **error)
{
    size_t b0 = (g->lo + GNM_BLOCK_USERS - 1) / GNM_BLOCK_USERS;
    size_t b1 = (g->hi + GNM_BLOCK_USERS - 1) / GNM_BLOCK_USERS;
    size_t n_own = b1 > b0 ? b1 - b0 : 0;
    g_autofree uint64_t *mine = g_try_new (uint64_t, MAX (n_own, 1));
    g_autofree uint64_t *all = g_try_new (uint64_t, MAX (g->n_blocks, 1));

    if (!agree (g, mine != NULL && all != NULL, error))
        return FALSE;
    for (size_t k = 0; k < n_own; k++) {
        Walk w;
        uint32_t u, v;

        mine[k] = 0;
        walk_start (&w, g, b0 + k, g->n);
        while (walk_next (&w, &u, &v))
            mine[k]++;
    }
    if (g->comm == NULL)
        memcpy (all, mine, n_own * sizeof *mine);
    else if (!g->comm->allgatherv (g->comm, mine, n_own, all, sizeof (uint64_t), error))
        return FALSE;
    g->first[0] = 0;
    for (size_t b = 0; b < g->n_blocks; b++)
        g->first[b + 1] = g->first[b] + all[b];
    *out_total = g->first[g->n_blocks];
    return TRUE;
}

static int
cmp_u64 (const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;

    return x < y ? -1 : x > y;
}

/* Step 3: a uniform (@total - m)-subset of 0 .. @total - 1 (Floyd's algorithm), sorted. */
static gboolean
draw_drops (Gnm *g, uint64_t total, GError **error)
{
    size_t k = (size_t) (total - g->m);
    FsimRng rng;
    g_autoptr (GHashTable) seen = NULL;

    g->n_drop = k;
    g->drop = g_try_new (uint64_t, MAX (k, 1));
    if (!agree (g, g->drop != NULL, error))
        return FALSE;
    fsim_i_rng_init (&rng, g->seed, GNM_PHASE + 2 * (uint64_t) g->attempt + 1, 0);
    seen = g_hash_table_new (g_int64_hash, g_int64_equal);
    for (size_t d = 0; d < k; d++) {
        uint64_t top = total - k + d; /* pick in 0 .. top, top itself if already taken */
        uint64_t x = fsim_i_rng_below64 (&rng, top + 1);

        g->drop[d] = g_hash_table_contains (seen, &x) ? top : x;
        g_hash_table_add (seen, &g->drop[d]);
    }
    g_clear_pointer (&seen, g_hash_table_unref);
    if (k > 1)
        qsort (g->drop, k, sizeof *g->drop, cmp_u64);
    return TRUE;
}

/* ---- steps 4 and 5: this rank's rows ------------------------------------------------------ */

typedef void (*PairFunc) (const Gnm *g, uint32_t u, uint32_t v, void *data);

/* Calls @fn on every kept pair (u, v) with u one of this rank's rows, in walking order. */
static void
walk_rows (const Gnm *g, PairFunc fn, void *data)
{
    if (g->lo == g->hi)
        return;
    for (size_t b = block_of (g->lo); b <= block_of (g->hi - 1); b++) {
        Walk w;
        uint32_t u, v;
        uint64_t at = g->first[b];
        size_t d = 0, hi = g->n_drop;

        while (d < hi) { /* the first drop at or after the block's first pair */
            size_t mid = (d + hi) / 2;
            if (g->drop[mid] < at)
                d = mid + 1;
            else
                hi = mid;
        }
        walk_start (&w, g, b, g->hi);
        for (; walk_next (&w, &u, &v); at++) {
            if (d < g->n_drop && g->drop[d] == at) {
                d++;
                continue;
            }
            if (u >= g->lo)
                fn (g, u, v, data);
        }
    }
}

typedef struct {
    size_t *offsets;     /* [n_own + 1], counts at [u - lo + 1], then the rows' cursors */
    size_t *send_counts; /* [size], in pairs */
    size_t *at;          /* [size], packing cursors */
    uint32_t *send;      /* (u, v) pairs by v's owner */
    uint32_t *adj;
} Rows;

static void
count_pair (const Gnm *g, uint32_t u, uint32_t v, void *data)
{
    Rows *r = data;

    r->offsets[u - g->lo + 1]++;
    if (v < g->hi)
        r->offsets[v - g->lo + 1]++;
    else
        r->send_counts[owner (g, v)]++;
}

static void
pack_pair (const Gnm *g, uint32_t u, uint32_t v, void *data)
{
    Rows *r = data;

    if (v >= g->hi) {
        size_t k = r->at[owner (g, v)]++;
        r->send[2 * k] = u;
        r->send[2 * k + 1] = v;
    }
}

static void
place_pair (const Gnm *g, uint32_t u, uint32_t v, void *data)
{
    Rows *r = data;

    r->adj[r->offsets[u - g->lo]++] = v;
    if (v < g->hi)
        r->adj[r->offsets[v - g->lo]++] = u;
}

/* Step 4 over the ranks: the pairs (u, v) whose v is another rank's go to it; FALSE with @error
 * set. Adds what arrives to the counts; *out_recv: the pairs received, *out_n their number. */
static gboolean
exchange (const Gnm *g, Rows *r, uint32_t **out_recv, size_t *out_n, GError **error)
{
    int size = g->comm->size;
    size_t total = 0;
    g_autofree size_t *from = g_new0 (size_t, (size_t) size);
    void *recv = NULL;

    r->at = g_new0 (size_t, (size_t) size);
    for (int k = 0; k < size; k++) {
        r->at[k] = total;
        total += r->send_counts[k];
    }
    r->send = g_try_new (uint32_t, 2 * MAX (total, 1));
    if (!agree (g, r->send != NULL, error))
        return FALSE;
    walk_rows (g, pack_pair, r);
    if (!g->comm->alltoallv (g->comm, r->send, r->send_counts, &recv, from, 2 * sizeof (uint32_t),
                             error))
        return FALSE;
    g_clear_pointer (&r->send, g_free);
    *out_recv = recv;
    *out_n = 0;
    for (int k = 0; k < size; k++)
        *out_n += from[k];
    for (size_t k = 0; k < *out_n; k++)
        r->offsets[(*out_recv)[2 * k + 1] - g->lo + 1]++;
    return TRUE;
}

/* Steps 4 and 5: the rows lo .. hi - 1, sorted global ids. */
static FsimFriends *
build_rows (const Gnm *g, GError **error)
{
    size_t n_own = g->hi - g->lo, n_recv = 0;
    int size = g->comm == NULL ? 1 : g->comm->size;
    Rows r = { 0 };
    g_autofree uint32_t *recv = NULL;
    FsimFriends *f = NULL;

    r.offsets = g_try_new0 (size_t, n_own + 1);
    r.send_counts = g_new0 (size_t, (size_t) size);
    if (!agree (g, r.offsets != NULL, error))
        goto out;
    walk_rows (g, count_pair, &r);
    if (g->comm != NULL && !exchange (g, &r, &recv, &n_recv, error))
        goto out;
    for (size_t i = 0; i < n_own; i++)
        r.offsets[i + 1] += r.offsets[i];
    r.adj = g_try_new (uint32_t, MAX (r.offsets[n_own], 1));
    if (!agree (g, r.adj != NULL, error))
        goto out;
    for (size_t k = 0; k < n_recv; k++) /* lower ranks' users first, in increasing id */
        r.adj[r.offsets[recv[2 * k + 1] - g->lo]++] = recv[2 * k];
    walk_rows (g, place_pair, &r);
    memmove (r.offsets + 1, r.offsets, n_own * sizeof *r.offsets); /* cursors back to starts */
    r.offsets[0] = 0;
    f = g_new0 (FsimFriends, 1);
    f->n_users = n_own;
    f->n_edges = g->comm == NULL ? (size_t) g->m : 0;
    f->offsets = g_steal_pointer (&r.offsets);
    f->adj = g_steal_pointer (&r.adj);
out:
    g_free (r.offsets);
    g_free (r.send_counts);
    g_free (r.at);
    g_free (r.send);
    g_free (r.adj);
    return f;
}

/* ---- the front ends ------------------------------------------------------------------------- */

/* n(n-1)/2 without overflow for n <= UINT32_MAX. */
static uint64_t
max_pairs (size_t n_users)
{
    uint64_t n = n_users;

    return n < 2 ? 0 : (n % 2 == 0 ? (n / 2) * (n - 1) : n * ((n - 1) / 2));
}

/* m = round(n * mean_degree / 2), checked against the n(n-1)/2 possible friendships. */
static gboolean
check_params (const FsimGenParams *p, uint64_t *out_m, GError **error)
{
    uint64_t most = max_pairs (p->n_users);
    double m = round ((double) p->n_users * p->mean_degree / 2.0);

    if (m > (double) most || (uint64_t) m > most) {
        g_autofree char *mean = fsim_number_text (p->mean_degree);
        g_set_error (
            error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_INVALID,
            "mean degree %s needs %.0f friendships but %zu users have only %" G_GUINT64_FORMAT
            " possible pairs",
            mean, m, p->n_users, most);
        return FALSE;
    }
    if (m > (double) (SIZE_MAX / 2)) {
        g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_INVALID,
                     "too many friendships (%.0f)", m);
        return FALSE;
    }
    *out_m = (uint64_t) m;
    return TRUE;
}

static FsimFriends *
gnm_run (Gnm *g, GError **error)
{
    uint64_t pairs = max_pairs (g->n), total = 0;
    /* q: about five standard deviations above m / N, so that M' >= m almost always */
    double q = ((double) g->m + 5.0 * sqrt ((double) g->m) + 10.0) / (double) pairs;

    g->log_skip = q >= 1.0 ? 0.0 : log1p (-q);
    g->n_blocks = (g->n + GNM_BLOCK_USERS - 1) / GNM_BLOCK_USERS;
    g->first = g_try_new (uint64_t, g->n_blocks + 1);
    if (!agree (g, g->first != NULL, error))
        return NULL;
    if (g->comm != NULL &&
        !fsim_i_comm_gather_bounds (g->comm, g->lo, g->hi, g->n, &g->bounds, error))
        return NULL;
    for (g->attempt = 0;; g->attempt++) {
        if (!count_blocks (g, &total, error))
            return NULL;
        if (total >= g->m)
            break;
        if (g->attempt + 1 == GNM_ATTEMPTS) { /* unreachable in practice: (3e-7)^16 */
            g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_FAILED,
                         "erdos_renyi: fewer than %" G_GUINT64_FORMAT " pairs drawn %d times", g->m,
                         GNM_ATTEMPTS);
            return NULL;
        }
    }
    if (!draw_drops (g, total, error))
        return NULL;
    return build_rows (g, error);
}

/* Rows @first .. @first + @n_rows - 1 of G(n, m), over @comm (NULL: one process, every row). */
static FsimFriends *
gnm_generate (const FsimGenParams *p, const FsimComm *comm, size_t first, size_t n_rows,
              GError **error)
{
    Gnm g = { .n = p->n_users, .seed = p->seed, .comm = comm, .lo = first, .hi = first + n_rows };
    FsimFriends *f;

    if (!check_params (p, &g.m, error))
        return NULL; /* on every rank alike */
    if (g.m == 0)    /* no friendships: empty rows, no collective needed */
        return fsim_i_friends_empty_rows (n_rows);
    f = gnm_run (&g, error);
    gnm_clear (&g);
    return f;
}

/**
 * fsim_i_generate_erdos_renyi:
 * See graph-private.h and the comment at the top of this file.
 */
FsimFriends *
fsim_i_generate_erdos_renyi (const FsimGenParams *p, GError **error)
{
    return gnm_generate (p, NULL, 0, p->n_users, error);
}

/**
 * fsim_i_generate_erdos_renyi_part:
 * See graph-private.h.
 */
FsimFriends *
fsim_i_generate_erdos_renyi_part (const FsimGenParams *p, const FsimComm *comm, size_t first,
                                  size_t n_rows, GError **error)
{
    return gnm_generate (p, comm, first, n_rows, error);
}
