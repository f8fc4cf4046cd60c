/* SPDX-License-Identifier: MIT */
/* friends.c: friendship CSR built by counting sort, from explicit pairs or igraph's G(n, m). */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include <glib.h>
#include <igraph.h>

#include "friends.h"
#include "graph-private.h"

/*
 * Building the CSR without sorting calls or per-edge allocations, in O(n_users + n_pairs):
 *
 *  1. count:     degree of every user (self-loops skipped), stored in offsets[u + 1];
 *  2. reserve:   prefix sums turn offsets[u] into the start of row u; allocate the arcs;
 *  3. place:     every pair (u, v) appends u to row v and v to row u of `bucket`, using
 *                offsets[] as cursors, which leaves offsets[u] at the end of row u;
 *  4. finish:    shift offsets back by one, then transpose: walking rows v in increasing order
 *                and appending v to row u of `adj` for every u in row v of `bucket` gives rows
 *                that are sorted (the relation is symmetric, so the rows have the same
 *                lengths); duplicates are now adjacent and are squeezed out in one pass.
 *
 * Peak memory is two arrays of 2 * n_pairs uint32_t plus two of n_users size_t. Steps 1 and 3
 * are inline so that each edge source (explicit pairs, an igraph graph) runs its own tight
 * loop over them.
 */
typedef struct {
    size_t n_users;
    size_t *offsets;  /* n_users + 1 */
    uint32_t *bucket; /* offsets[n_users] arcs, rows unsorted */
} CsrBuilder;

static gboolean
csr_begin (CsrBuilder *b, size_t n_users)
{
    b->n_users = n_users;
    b->bucket = NULL;
    b->offsets = g_try_new0 (size_t, n_users + 1);
    return b->offsets != NULL;
}

static void
csr_clear (CsrBuilder *b)
{
    g_clear_pointer (&b->offsets, g_free);
    g_clear_pointer (&b->bucket, g_free);
}

static inline void
csr_count (CsrBuilder *b, uint32_t u, uint32_t v)
{
    if (u != v) {
        b->offsets[(size_t) u + 1]++;
        b->offsets[(size_t) v + 1]++;
    }
}

static gboolean
csr_reserve (CsrBuilder *b)
{
    for (size_t i = 0; i < b->n_users; i++)
        b->offsets[i + 1] += b->offsets[i];
    b->bucket = g_try_new (uint32_t, MAX (b->offsets[b->n_users], 1));
    return b->bucket != NULL;
}

static inline void
csr_place (CsrBuilder *b, uint32_t u, uint32_t v)
{
    if (u != v) {
        b->bucket[b->offsets[v]++] = u;
        b->bucket[b->offsets[u]++] = v;
    }
}

/* Drops adjacent duplicates row by row, rewriting @offsets for the compacted @adj. */
static size_t
csr_squeeze (size_t n_users, size_t *offsets, uint32_t *adj)
{
    size_t w = 0;
    size_t start = 0;

    for (size_t u = 0; u < n_users; u++) {
        size_t end = offsets[u + 1];
        uint32_t last = UINT32_MAX; /* never an id: n_users <= UINT32_MAX */

        offsets[u] = w;
        for (size_t i = start; i < end; i++) {
            if (adj[i] != last) {
                last = adj[i];
                adj[w++] = last;
            }
        }
        start = end;
    }
    offsets[n_users] = w;
    return w;
}

/* Steps 4 and 5; consumes @b. Returns NULL only when out of memory (then @b is cleared). */
static FsimFriends *
csr_finish (CsrBuilder *b)
{
    size_t n = b->n_users;
    size_t *offsets = b->offsets;
    g_autofree size_t *cursor = NULL;
    g_autofree uint32_t *adj = NULL;
    size_t n_arcs;

    memmove (offsets + 1, offsets, n * sizeof *offsets);
    offsets[0] = 0;
    n_arcs = offsets[n];

    cursor = g_try_new (size_t, MAX (n, 1));
    adj = g_try_new (uint32_t, MAX (n_arcs, 1));
    if (cursor == NULL || adj == NULL) {
        csr_clear (b);
        return NULL;
    }
    if (n > 0)
        memcpy (cursor, offsets, n * sizeof *cursor);
    for (size_t v = 0; v < n; v++)
        for (size_t i = offsets[v]; i < offsets[v + 1]; i++)
            adj[cursor[b->bucket[i]]++] = (uint32_t) v;
    g_clear_pointer (&b->bucket, g_free);

    n_arcs = csr_squeeze (n, offsets, adj);
    if (n_arcs > 0) {
        uint32_t *shrunk = g_try_renew (uint32_t, adj, n_arcs);
        if (shrunk != NULL)
            adj = shrunk;
    }

    FsimFriends *f = g_new0 (FsimFriends, 1);
    f->n_users = n;
    f->n_edges = n_arcs / 2;
    f->offsets = g_steal_pointer (&b->offsets);
    f->adj = g_steal_pointer (&adj);
    return f;
}

static void
set_nomem (GError **error, size_t n_users, size_t n_pairs)
{
    g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_NOMEM,
                 "out of memory building friend lists for %zu users and %zu friendships", n_users,
                 n_pairs);
}

/**
 * fsim_friends_new_from_pairs:
 * @n_users: number of users, at most UINT32_MAX
 * @pairs: (array length=2*n_pairs): user ids, read only
 * Self-loops and duplicate pairs (in either orientation) are dropped.
 * Returns: (transfer full): the friend lists, or NULL with @error set: FSIM_GRAPH_ERROR_INVALID
 *   for an id >= @n_users or @n_users > UINT32_MAX, FSIM_GRAPH_ERROR_NOMEM when out of memory.
 */
FsimFriends *
fsim_friends_new_from_pairs (size_t n_users, const uint32_t *pairs, size_t n_pairs, GError **error)
{
    CsrBuilder b;

    g_return_val_if_fail (pairs != NULL || n_pairs == 0, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);

    if (n_users > UINT32_MAX || n_pairs > SIZE_MAX / 2) {
        g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_INVALID,
                     "too many users (%zu) or friendships (%zu): at most %u users", n_users,
                     n_pairs, UINT32_MAX);
        return NULL;
    }
    if (!csr_begin (&b, n_users)) {
        set_nomem (error, n_users, n_pairs);
        return NULL;
    }
    for (size_t k = 0; k < n_pairs; k++) {
        uint32_t u = pairs[2 * k], v = pairs[2 * k + 1];

        if (u >= n_users || v >= n_users) {
            g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_INVALID,
                         "friendship %zu (%" G_GUINT32_FORMAT ", %" G_GUINT32_FORMAT
                         ") names a user outside 0..%zu",
                         k, u, v, n_users == 0 ? (size_t) 0 : n_users - 1);
            csr_clear (&b);
            return NULL;
        }
        csr_count (&b, u, v);
    }
    if (!csr_reserve (&b)) {
        csr_clear (&b);
        set_nomem (error, n_users, n_pairs);
        return NULL;
    }
    for (size_t k = 0; k < n_pairs; k++)
        csr_place (&b, pairs[2 * k], pairs[2 * k + 1]);

    FsimFriends *f = csr_finish (&b);
    if (f == NULL)
        set_nomem (error, n_users, n_pairs);
    return f;
}

/*
 * Runs under fsim_i_graph_lock(). Seeds igraph's default RNG, draws G(n, m) and feeds its edges
 * to @b (steps 1-3). The igraph graph is destroyed before returning, on success and on error
 * (on error by the ignore handler, which frees the IGRAPH_FINALLY stack).
 */
static igraph_error_t
gnm_into_builder (igraph_integer_t n, igraph_integer_t m, uint64_t seed, CsrBuilder *b)
{
    igraph_t graph;
    igraph_integer_t n_edges;

    IGRAPH_CHECK (igraph_rng_seed (igraph_rng_default (), (igraph_uint_t) seed));
    IGRAPH_CHECK (igraph_erdos_renyi_game_gnm (&graph, n, m, IGRAPH_UNDIRECTED, IGRAPH_NO_LOOPS));
    IGRAPH_FINALLY (igraph_destroy, &graph);

    /* Read the endpoints in place (IGRAPH_FROM/IGRAPH_TO) rather than copying them out with
     * igraph_get_edgelist(), which would need another 16 bytes per edge at the peak. */
    n_edges = igraph_ecount (&graph);
    for (igraph_integer_t e = 0; e < n_edges; e++)
        csr_count (b, (uint32_t) IGRAPH_FROM (&graph, e), (uint32_t) IGRAPH_TO (&graph, e));
    if (!csr_reserve (b))
        IGRAPH_ERROR ("Cannot allocate the friend lists.", IGRAPH_ENOMEM);
    for (igraph_integer_t e = 0; e < n_edges; e++)
        csr_place (b, (uint32_t) IGRAPH_FROM (&graph, e), (uint32_t) IGRAPH_TO (&graph, e));

    igraph_destroy (&graph);
    IGRAPH_FINALLY_CLEAN (1);
    return IGRAPH_SUCCESS;
}

/* m = round(n * mean_degree / 2), checked against the n(n-1)/2 possible friendships. */
static gboolean
erdos_renyi_edges (size_t n_users, double mean_degree, uint64_t *out_m, GError **error)
{
    uint64_t n = n_users;
    uint64_t max_edges = n < 2 ? 0 : (n % 2 == 0 ? (n / 2) * (n - 1) : n * ((n - 1) / 2));
    double m;

    if (!isfinite (mean_degree) || mean_degree < 0) {
        g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_INVALID,
                     "mean degree must be a finite number >= 0, not %g", mean_degree);
        return FALSE;
    }
    m = round ((double) n_users * mean_degree / 2.0);
    if (m > (double) max_edges || (uint64_t) m > max_edges) {
        g_set_error (
            error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_INVALID,
            "mean degree %g needs %.0f friendships but %zu users have only %" G_GUINT64_FORMAT
            " possible pairs",
            mean_degree, m, n_users, max_edges);
        return FALSE;
    }
    *out_m = (uint64_t) m;
    return TRUE;
}

/**
 * fsim_friends_generate:
 * @model: "erdos_renyi" (G(n, m) with m = round(@n_users * @mean_degree / 2))
 * @seed: seeds igraph's default RNG; the same arguments give the same graph
 * Reseeds igraph's process-wide default RNG.
 * Returns: (transfer full): the friend lists, or NULL with @error set: FSIM_GRAPH_ERROR_INVALID
 *   for an unknown model, @n_users > UINT32_MAX or an impossible mean degree,
 *   FSIM_GRAPH_ERROR_NOMEM when out of memory, another FSIM_GRAPH_ERROR code if igraph fails.
 */
FsimFriends *
fsim_friends_generate (const char *model, size_t n_users, double mean_degree, uint64_t seed,
                       GError **error)
{
    CsrBuilder b;
    uint64_t m = 0;
    igraph_error_t rc;

    g_return_val_if_fail (model != NULL, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);

    if (strcmp (model, "erdos_renyi") != 0) {
        g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_INVALID,
                     "unknown friendship model '%s' (known models: erdos_renyi)", model);
        return NULL;
    }
    if (n_users > UINT32_MAX) {
        g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_INVALID,
                     "too many users (%zu): at most %u", n_users, UINT32_MAX);
        return NULL;
    }
    if (!erdos_renyi_edges (n_users, mean_degree, &m, error))
        return NULL;
    if (m > SIZE_MAX / 2 || m > (uint64_t) IGRAPH_INTEGER_MAX / 2) {
        g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_INVALID,
                     "too many friendships (%" G_GUINT64_FORMAT ")", m);
        return NULL;
    }
    if (!csr_begin (&b, n_users)) {
        set_nomem (error, n_users, (size_t) m);
        return NULL;
    }

    fsim_graph_init ();
    fsim_i_graph_lock ();
    rc = gnm_into_builder ((igraph_integer_t) n_users, (igraph_integer_t) m, seed, &b);
    fsim_i_graph_unlock ();
    if (rc != IGRAPH_SUCCESS) {
        csr_clear (&b);
        fsim_i_graph_error_from_igraph (rc, error);
        g_prefix_error (error, "generating %zu users with mean degree %g: ", n_users, mean_degree);
        return NULL;
    }

    FsimFriends *f = csr_finish (&b);
    if (f == NULL)
        set_nomem (error, n_users, (size_t) m);
    return f;
}

/**
 * fsim_friends_free:
 * Frees @f and its arrays. Accepts NULL.
 */
void
fsim_friends_free (FsimFriends *f)
{
    if (f == NULL)
        return;
    g_free (f->offsets);
    g_free (f->adj);
    g_free (f);
}
