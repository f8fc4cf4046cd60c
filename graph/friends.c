/* SPDX-License-Identifier: MIT */
/* friends.c: the friendship CSR built by counting sort, and the generator front end. */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include <glib.h>

#include "friends.h"
#include "graph-private.h"
#include "number.h"

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
 * are inline (graph-private.h) so that each edge source (explicit pairs, an igraph graph, the
 * facebook_like generator) runs its own tight loop over them.
 */
gboolean
fsim_i_csr_begin (CsrBuilder *b, size_t n_users)
{
    b->n_users = n_users;
    b->bucket = NULL;
    b->offsets = g_try_new0 (size_t, n_users + 1);
    return b->offsets != NULL;
}

void
fsim_i_csr_clear (CsrBuilder *b)
{
    g_clear_pointer (&b->offsets, g_free);
    g_clear_pointer (&b->bucket, g_free);
}

gboolean
fsim_i_csr_reserve (CsrBuilder *b)
{
    for (size_t i = 0; i < b->n_users; i++)
        b->offsets[i + 1] += b->offsets[i];
    b->bucket = g_try_new (uint32_t, MAX (b->offsets[b->n_users], 1));
    if (b->bucket == NULL)
        fsim_i_csr_clear (b);
    return b->bucket != NULL;
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
FsimFriends *
fsim_i_csr_finish (CsrBuilder *b)
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
        fsim_i_csr_clear (b);
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

void
fsim_i_set_nomem (GError **error, size_t n_users, size_t n_pairs)
{
    g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_NOMEM,
                 "out of memory building friend lists for %zu users and %zu friendships", n_users,
                 n_pairs);
}

/* fsim_friends_new_from_pairs(); @owned (nullable, transfer full): @pairs when the caller
 * gives them up, freed once placed, before the transpose allocates: one array less at the peak. */
static FsimFriends *
friends_from_pairs (size_t n_users, const uint32_t *pairs, size_t n_pairs, uint32_t *owned,
                    GError **error)
{
    g_autofree uint32_t *own = owned;
    CsrBuilder b;

    if (n_users > UINT32_MAX || n_pairs > SIZE_MAX / 2) {
        g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_INVALID,
                     "too many users (%zu) or friendships (%zu): at most %u users", n_users,
                     n_pairs, UINT32_MAX);
        return NULL;
    }
    if (!fsim_i_csr_begin (&b, n_users)) {
        fsim_i_set_nomem (error, n_users, n_pairs);
        return NULL;
    }
    for (size_t k = 0; k < n_pairs; k++) {
        uint32_t u = pairs[2 * k], v = pairs[2 * k + 1];

        if (u >= n_users || v >= n_users) {
            g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_INVALID,
                         "friendship %zu (%" G_GUINT32_FORMAT ", %" G_GUINT32_FORMAT
                         ") names a user outside 0..%zu",
                         k, u, v, n_users == 0 ? (size_t) 0 : n_users - 1);
            fsim_i_csr_clear (&b);
            return NULL;
        }
        fsim_i_csr_count (&b, u, v);
    }
    if (!fsim_i_csr_reserve (&b)) {
        fsim_i_set_nomem (error, n_users, n_pairs);
        return NULL;
    }
    for (size_t k = 0; k < n_pairs; k++)
        fsim_i_csr_place (&b, pairs[2 * k], pairs[2 * k + 1]);
    pairs = NULL;
    g_clear_pointer (&own, g_free);

    FsimFriends *f = fsim_i_csr_finish (&b);
    if (f == NULL)
        fsim_i_set_nomem (error, n_users, n_pairs);
    return f;
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
    g_return_val_if_fail (pairs != NULL || n_pairs == 0, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);
    return friends_from_pairs (n_users, pairs, n_pairs, NULL, error);
}

/**
 * fsim_i_friends_take_pairs:
 * See graph-private.h.
 */
FsimFriends *
fsim_i_friends_take_pairs (size_t n_users, uint32_t *pairs, size_t n_pairs, GError **error)
{
    g_return_val_if_fail (pairs != NULL || n_pairs == 0, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);
    return friends_from_pairs (n_users, pairs, n_pairs, pairs, error);
}

/* ---- generators: the front end ------------------------------------------------------------ */

typedef FsimFriends *(*ModelFunc) (const FsimGenParams *p, GError **error);

static const char *const model_names[] = {
    "erdos_renyi", "barabasi_albert", "watts_strogatz", "facebook_like", NULL,
};

static const ModelFunc model_funcs[] = {
    fsim_i_generate_erdos_renyi,
    fsim_i_generate_barabasi_albert,
    fsim_i_generate_watts_strogatz,
    fsim_i_generate_facebook_like,
};

G_STATIC_ASSERT (G_N_ELEMENTS (model_names) == G_N_ELEMENTS (model_funcs) + 1);

const char *const *
fsim_friends_models (void)
{
    return model_names;
}

static ModelFunc
model_lookup (const char *model)
{
    for (size_t i = 0; model_names[i] != NULL; i++)
        if (strcmp (model, model_names[i]) == 0)
            return model_funcs[i];
    return NULL;
}

gboolean
fsim_friends_model_is_known (const char *model)
{
    g_return_val_if_fail (model != NULL, FALSE);
    return model_lookup (model) != NULL;
}

void
fsim_gen_params_init (FsimGenParams *p)
{
    g_return_if_fail (p != NULL);
    *p = FSIM_GEN_PARAMS_INIT;
}

static void
set_unknown_model (const char *model, GError **error)
{
    g_autofree char *known = g_strjoinv (", ", (char **) model_names);

    g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_INVALID,
                 "unknown friendship model '%s' (known models: %s)", model, known);
}

/**
 * fsim_friends_generate_params:
 * @p: read only
 * Checks what all models share (the model name, n_users <= UINT32_MAX, a finite mean degree
 * >= 0), then runs the model, which checks its own parameters.
 * Returns: (transfer full): the friend lists, or NULL with @error set (see friends.h).
 */
FsimFriends *
fsim_friends_generate_params (const FsimGenParams *p, GError **error)
{
    ModelFunc fn;

    g_return_val_if_fail (p != NULL, NULL);
    g_return_val_if_fail (p->model != NULL, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);

    fn = model_lookup (p->model);
    if (fn == NULL) {
        set_unknown_model (p->model, error);
        return NULL;
    }
    if (p->n_users > UINT32_MAX) {
        g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_INVALID,
                     "too many users (%zu): at most %u", p->n_users, UINT32_MAX);
        return NULL;
    }
    if (!isfinite (p->mean_degree) || p->mean_degree < 0) {
        g_autofree char *mean = fsim_number_text (p->mean_degree);
        g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_INVALID,
                     "mean degree must be a finite number >= 0, not %s", mean);
        return NULL;
    }
    return fn (p, error);
}

/**
 * fsim_friends_generate_part_supported:
 * See friends.h.
 */
gboolean
fsim_friends_generate_part_supported (const char *model)
{
    g_return_val_if_fail (model != NULL, FALSE);
    return strcmp (model, "facebook_like") == 0 || strcmp (model, "erdos_renyi") == 0 ||
           strcmp (model, "watts_strogatz") == 0 || strcmp (model, "barabasi_albert") == 0;
}

/**
 * fsim_friends_generate_part:
 * See friends.h.
 */
FsimFriends *
fsim_friends_generate_part (const FsimGenParams *p, const FsimComm *comm, size_t first,
                            size_t n_rows, GError **error)
{
    g_return_val_if_fail (p != NULL && p->model != NULL && comm != NULL, NULL);
    g_return_val_if_fail (first <= p->n_users && n_rows <= p->n_users - first, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);

    if (!fsim_friends_generate_part_supported (p->model)) {
        g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_INVALID,
                     "the %s model cannot be generated over ranks", p->model);
        return NULL;
    }
    if (p->n_users > UINT32_MAX || !isfinite (p->mean_degree) || p->mean_degree < 0) {
        g_autofree char *mean = fsim_number_text (p->mean_degree);
        g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_INVALID,
                     "%zu users with mean degree %s cannot be generated", p->n_users, mean);
        return NULL;
    }
    if (strcmp (p->model, "erdos_renyi") == 0)
        return fsim_i_generate_erdos_renyi_part (p, comm, first, n_rows, error);
    if (strcmp (p->model, "watts_strogatz") == 0)
        return fsim_i_generate_watts_strogatz_part (p, comm, first, n_rows, error);
    if (strcmp (p->model, "barabasi_albert") == 0)
        return fsim_i_generate_barabasi_albert_part (p, comm, first, n_rows, error);
    return fsim_i_generate_facebook_like_part (p, comm, first, n_rows, error);
}

/**
 * fsim_friends_generate:
 * @model: one of fsim_friends_models()
 * @seed: the same arguments give the same graph
 * fsim_friends_generate_params() with FSIM_GEN_PARAMS_INIT for everything else.
 * Returns: (transfer full): the friend lists, or NULL with @error set: FSIM_GRAPH_ERROR_INVALID
 *   for an unknown model, @n_users > UINT32_MAX or an impossible mean degree,
 *   FSIM_GRAPH_ERROR_NOMEM when out of memory, another FSIM_GRAPH_ERROR code if igraph fails.
 */
FsimFriends *
fsim_friends_generate (const char *model, size_t n_users, double mean_degree, uint64_t seed,
                       GError **error)
{
    FsimGenParams p = FSIM_GEN_PARAMS_INIT;

    g_return_val_if_fail (model != NULL, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);

    p.model = model;
    p.n_users = n_users;
    p.mean_degree = mean_degree;
    p.seed = seed;
    return fsim_friends_generate_params (&p, error);
}

gboolean
fsim_friends_has (const FsimFriends *f, uint32_t u, uint32_t v)
{
    g_return_val_if_fail (f != NULL && u < f->n_users, FALSE);

    size_t lo = f->offsets[u], hi = f->offsets[(size_t) u + 1];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (f->adj[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < f->offsets[(size_t) u + 1] && f->adj[lo] == v;
}

/**
 * fsim_friends_free:
 * Frees @f and its arrays, or hands them to @f->release when they are not its own. Accepts
 * NULL.
 */
void
fsim_friends_free (FsimFriends *f)
{
    if (f == NULL)
        return;
    if (f->release != NULL) {
        f->release (f->release_data);
    } else {
        g_free (f->offsets);
        g_free (f->adj);
        g_free (f->group_offsets);
    }
    g_free (f);
}
