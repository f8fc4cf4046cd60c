/* SPDX-License-Identifier: MIT */
/* fblike.c: facebook_like, a fast seeded model with a skewed degree distribution and clustering. */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include <glib.h>

#include "fblike-private.h"
#include "friends.h"
#include "graph-private.h"
#include "number.h"
#include "rng-private.h"

/*
 * The model, in four steps (docs/populations.md has the sources and the measured figures):
 *
 *  1. target degrees: k_u = clip(exp(mu + spread * z_u), 1, cap) with z_u standard normal and
 *     cap = min(max_degree, n - 1); mu is fitted so that the mean of k is mean_degree. A
 *     lognormal with sigma s has median / mean = exp(-s^2 / 2): s = 1.15 gives 0.52, Facebook's
 *     99 / 190 in May 2011 (Ugander et al., "The Anatomy of the Facebook Social Graph").
 *  2. communities: consecutive id ranges whose sizes are uniform in [S/2, 3S/2], S =
 *     community_size. Ids carry no other meaning, so this loses no generality, and it keeps
 *     most friendships close in memory.
 *  3. inside each community, Chung–Lu: users u and v are friends with probability
 *     min(1, w_u w_v / W), where w_u = min(clustering * k_u, size - 1) and W is the sum of the
 *     community's w. Small dense groups are what gives triangles: a user's local clustering is
 *     about (share of friends inside)^2 times the density of the community among them.
 *  4. across the whole graph, Chung–Lu again on what is left: r_u = max(0, k_u - a_u), a_u
 *     being u's realised degree inside. User u starts round(r_u / 2) friendships (rounded at
 *     random; at least one if u has no friend inside) to users drawn in proportion to r (an
 *     alias table), so u's expected degree is a_u + r_u / 2 + r_u / 2 = k_u. Drawing u itself
 *     is retried; a repeated pair is merged (both are rare but for users with thousands of
 *     friends). The cap is hard: a user never has more than cap friends (fblike-rows.c).
 *
 * Every random draw comes from a stream keyed by (seed, step, block), and each block of users
 * or communities writes only its own outputs, so the graph is the same on any number of
 * threads; sums over users are taken per block and added in block order for the same reason.
 * The CSR is assembled from sorted rows rather than from pairs (fblike-rows.c), which avoids
 * most of the random memory traffic of fsim_friends_new_from_pairs().
 */

#define FIT_ROUNDS 100
#define FIT_TOLERANCE 1e-6

void
fsim_i_fbl_clear (FblModel *m)
{
    g_clear_pointer (&m->z, g_free);
    g_clear_pointer (&m->target, g_free);
    g_clear_pointer (&m->partial, g_free);
    g_clear_pointer (&m->group_offsets, g_free);
    g_clear_pointer (&m->inside, g_free);
    for (size_t c = 0; m->chunks != NULL && c < m->n_chunks; c++)
        g_free (m->chunks[c].rows);
    g_clear_pointer (&m->chunks, g_free);
    g_clear_pointer (&m->int_start, g_free);
    g_clear_pointer (&m->int_rows, g_free);
    g_clear_pointer (&m->table, g_free);
    g_clear_pointer (&m->out, g_free);
    g_clear_pointer (&m->out_start, g_free);
    g_clear_pointer (&m->out_rows, g_free);
    g_clear_pointer (&m->in_count, g_free);
    g_clear_pointer (&m->saturated, g_free);
    g_clear_pointer (&m->in_start, g_free);
    g_clear_pointer (&m->in_rows, g_free);
}

size_t
fsim_i_fbl_block_end (const FblModel *m, size_t block)
{
    return MIN ((block + 1) * FBL_BLOCK_USERS, m->n);
}

/* ---- step 1: target degrees ----------------------------------------------------------------- */

void
fsim_i_fbl_draw_normals (size_t item, unsigned worker G_GNUC_UNUSED, void *data)
{
    FblModel *m = data;
    size_t block = m->block0 + item;
    FsimRng rng;

    fsim_i_rng_init (&rng, m->seed, FBL_STEP_DEGREE, block);
    for (size_t u = block * FBL_BLOCK_USERS; u < fsim_i_fbl_block_end (m, block); u++)
        m->z[u - m->base] = (float) fsim_i_rng_normal (&rng);
}

/* Targets for the current mu, and their sum for the block. */
void
fsim_i_fbl_set_targets (size_t item, unsigned worker G_GNUC_UNUSED, void *data)
{
    FblModel *m = data;
    size_t block = m->block0 + item;
    double sum = 0;

    for (size_t u = block * FBL_BLOCK_USERS; u < fsim_i_fbl_block_end (m, block); u++) {
        double k = CLAMP (exp (m->mu + m->sigma * m->z[u - m->base]), 1.0, (double) m->cap);

        m->target[u - m->base] = (float) k;
        sum += (double) m->target[u - m->base];
    }
    m->partial[block] = sum;
}

double
fsim_i_fbl_sum_partials (const FblModel *m)
{
    double sum = 0;

    for (size_t b = 0; b < m->n_blocks; b++)
        sum += m->partial[b];
    return sum;
}

/* Fixed-point iteration on mu: clipping makes the mean slightly less than proportional to
 * exp(mu), so a few rounds of mu += log(target mean / mean) converge. */
static void
fit_targets (FblModel *m)
{
    m->mu = log (m->mean) - m->sigma * m->sigma / 2.0;
    for (int round = 0; round < FIT_ROUNDS; round++) {
        double mean;

        fsim_parallel_for (m->n_blocks, fsim_parallel_workers (m->threads, m->n_blocks),
                           fsim_i_fbl_set_targets, m, NULL, NULL);
        mean = fsim_i_fbl_sum_partials (m) / (double) m->n;
        if (fabs (mean / m->mean - 1.0) < FIT_TOLERANCE)
            break;
        m->mu += log (m->mean / mean);
    }
    g_clear_pointer (&m->z, g_free);
}

/* ---- step 2: communities -------------------------------------------------------------------- */

gboolean
fsim_i_fbl_draw_groups (FblModel *m)
{
    size_t lo = (size_t) MAX (1.0, ceil (m->size / 2.0));
    size_t hi = (size_t) MAX ((double) lo, floor (3.0 * m->size / 2.0));
    FsimRng rng;
    size_t g = 0, u = 0;

    m->group_offsets = g_try_new (size_t, m->n / lo + 2);
    if (m->group_offsets == NULL)
        return FALSE;
    fsim_i_rng_init (&rng, m->seed, FBL_STEP_GROUPS, 0);
    m->group_offsets[0] = 0;
    while (u < m->n) {
        size_t size = lo + fsim_i_rng_below (&rng, hi - lo + 1);

        /* A remainder smaller than the smallest size joins the last community. */
        u = m->n - u < size + lo ? m->n : u + size;
        m->group_offsets[++g] = u;
    }
    m->n_groups = g;
    return TRUE;
}

/* ---- step 4: the alias table ---------------------------------------------------------------- */

/* Vose's alias method over @r: O(n), sequential, so deterministic. */
static gboolean
build_alias (FblModel *m, const float *r, double total)
{
    g_autofree uint32_t *small = g_try_new (uint32_t, m->n);
    g_autofree uint32_t *large = g_try_new (uint32_t, m->n);
    g_autofree double *q = g_try_new (double, m->n);
    size_t n_small = 0, n_large = 0;

    if (small == NULL || large == NULL || q == NULL)
        return FALSE;
    for (size_t u = 0; u < m->n; u++) {
        q[u] = (double) r[u] * (double) m->n / total;
        if (q[u] < 1.0)
            small[n_small++] = (uint32_t) u;
        else
            large[n_large++] = (uint32_t) u;
    }
    while (n_small > 0 && n_large > 0) {
        uint32_t s = small[--n_small], l = large[n_large - 1];

        m->table[s].prob = (uint32_t) (q[s] * 4294967296.0);
        m->table[s].alias = l;
        q[l] -= 1.0 - q[s];
        if (q[l] < 1.0) {
            n_large--;
            small[n_small++] = l;
        }
    }
    /* What is left has q = 1 up to rounding: always itself. */
    while (n_large > 0)
        m->table[large[--n_large]].prob = UINT32_MAX;
    while (n_small > 0)
        m->table[small[--n_small]].prob = UINT32_MAX;
    return TRUE;
}

gboolean
fsim_i_fbl_alias (FblModel *m, const float *r, double total)
{
    m->table = g_try_new0 (FblAlias, m->n);
    if (m->table == NULL)
        return FALSE;
    if (total > 0)
        return build_alias (m, r, total);
    /* Every target is met inside: only the at-least-one rule can start friendships, to users
     * drawn uniformly (every entry of the table keeps its own user). */
    for (size_t u = 0; u < m->n; u++)
        m->table[u].prob = UINT32_MAX;
    return TRUE;
}

/* r = max(0, k - a) into target[], and the alias table over r. */
static gboolean
prepare_global (FblModel *m)
{
    double total = 0;

    for (size_t u = 0; u < m->n; u++) {
        m->target[u] = (float) MAX (0.0, (double) m->target[u] - (double) m->inside[u]);
        total += (double) m->target[u];
    }
    return fsim_i_fbl_alias (m, m->target, total);
}

/* ---- parameters ----------------------------------------------------------------------------- */

/* The default community size: twice the expected friends inside a community, so that a
 * community is about half-dense, within 20 .. 250 (Dunbar's ~150 is the classic group size). */
static double
default_community_size (const FsimGenParams *p)
{
    return CLAMP (round (2.0 * p->clustering * p->mean_degree), 20.0, 250.0);
}

gboolean
fsim_i_fbl_check_params (const FsimGenParams *p, GError **error)
{
    const char *bad = NULL;

    if (!isfinite (p->spread) || p->spread < 0 || p->spread > 4)
        bad = "spread must be in 0..4";
    else if (!isfinite (p->clustering) || p->clustering < 0 || p->clustering > 1)
        bad = "clustering must be in 0..1";
    else if (p->max_degree < 1)
        bad = "max_degree must be at least 1";
    else if (!isfinite (p->community_size) ||
             (p->community_size != 0 && (p->community_size < 2 || p->community_size > 1000)))
        bad = "community_size must be 0 (automatic) or in 2..1000";
    else if (p->n_users > 1 && p->mean_degree > (double) MIN (p->max_degree, p->n_users - 1))
        bad = "mean degree must not exceed max_degree or the number of other users";
    if (bad != NULL) {
        g_autofree char *spread = fsim_number_text (p->spread);
        g_autofree char *clustering = fsim_number_text (p->clustering);
        g_autofree char *size = fsim_number_text (p->community_size);
        g_autofree char *mean = fsim_number_text (p->mean_degree);
        g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_INVALID,
                     "facebook_like: %s (spread %s, clustering %s, max_degree %zu, "
                     "community_size %s, mean degree %s, %zu users)",
                     bad, spread, clustering, p->max_degree, size, mean, p->n_users);
        return FALSE;
    }
    return TRUE;
}

void
fsim_i_fbl_model_init (FblModel *m, const FsimGenParams *p)
{
    memset (m, 0, sizeof *m);
    m->n = p->n_users;
    m->mean = p->mean_degree;
    m->sigma = p->spread;
    m->share = p->clustering;
    m->cap = MIN (p->max_degree, p->n_users - 1);
    m->size = p->community_size > 0 ? p->community_size : default_community_size (p);
    m->seed = p->seed;
    m->threads = p->n_threads;
    m->n_blocks = (m->n + FBL_BLOCK_USERS - 1) / FBL_BLOCK_USERS;
    m->n_held = m->stop = m->n; /* one process: every user, base 0 */
}

/* Steps 1-4; NULL when out of memory. */
static FsimFriends *
model_run (FblModel *m)
{
    m->z = g_try_new (float, m->n);
    m->target = g_try_new (float, m->n);
    m->partial = g_try_new (double, m->n_blocks);
    if (m->z == NULL || m->target == NULL || m->partial == NULL)
        return NULL;
    fsim_parallel_for (m->n_blocks, fsim_parallel_workers (m->threads, m->n_blocks),
                       fsim_i_fbl_draw_normals, m, NULL, NULL);
    fit_targets (m);
    if (!fsim_i_fbl_draw_groups (m))
        return NULL;
    m->n_chunks = (m->n_groups + FBL_GROUP_CHUNK - 1) / FBL_GROUP_CHUNK;
    if (!fsim_i_fbl_inside (m))
        return NULL;
    if (!prepare_global (m))
        return NULL;
    return fsim_i_fbl_assemble (m);
}

/**
 * fsim_i_generate_facebook_like:
 * See the comment at the top of this file, and friends.h for the parameters.
 * Returns: (transfer full): the friend lists with their communities (group_offsets), or NULL
 *   with @error set: FSIM_GRAPH_ERROR_INVALID for a parameter out of range,
 *   FSIM_GRAPH_ERROR_NOMEM when out of memory.
 */
FsimFriends *
fsim_i_generate_facebook_like (const FsimGenParams *p, GError **error)
{
    FblModel m;
    FsimFriends *f;

    if (!fsim_i_fbl_check_params (p, error))
        return NULL;
    if (p->n_users < 2 || p->mean_degree <= 0)
        return fsim_friends_new_from_pairs (p->n_users, NULL, 0, error);

    fsim_i_fbl_model_init (&m, p);
    f = model_run (&m);
    if (f == NULL) {
        fsim_i_fbl_clear (&m);
        fsim_i_set_nomem (error, p->n_users, (size_t) (p->mean_degree * (double) p->n_users / 2));
        return NULL;
    }
    f->n_groups = m.n_groups;
    f->group_offsets = g_steal_pointer (&m.group_offsets);
    fsim_i_fbl_clear (&m);
    return f;
}
