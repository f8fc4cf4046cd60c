/* SPDX-License-Identifier: MIT */
/* stats.c: degree distribution, sampled or exact local clustering, connected components. */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include <glib.h>

#include "friends.h"
#include "graph-private.h"
#include "memory.h"
#include "rng-private.h"
#include "stats.h"

#define STEP_SAMPLE 11 /* stream key for the clustering sample, apart from the generators' */

/* ---- degrees -------------------------------------------------------------------------------- */

/* The degree at 1-based rank @rank in sorted order, from the histogram @count[0..max]. */
static size_t
degree_at_rank (const size_t *count, size_t max, size_t rank)
{
    size_t seen = 0;

    for (size_t d = 0; d <= max; d++) {
        seen += count[d];
        if (seen >= rank)
            return d;
    }
    return max;
}

/**
 * fsim_friends_degree_stats:
 * @f: read only
 * @out: filled in full
 * Can't fail (aborts only if O(max degree) memory cannot be had).
 */
gboolean
fsim_friends_degree_stats (const FsimFriends *f, FsimDegreeStats *out, GError **error)
{
    size_t n, lo = SIZE_MAX, hi = 0, isolated = 0;
    FsimDegreeStats st = { 0 };

    g_return_val_if_fail (f != NULL && out != NULL, FALSE);
    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

    n = f->n_users;
    st.n_users = n;
    st.n_edges = f->n_edges;
    if (n == 0) {
        *out = st;
        return TRUE;
    }
    for (size_t u = 0; u < n; u++) {
        size_t d = fsim_friends_degree (f, u);

        lo = MIN (lo, d);
        hi = MAX (hi, d);
        isolated += d == 0;
    }

    /* a count per degree up to the largest: users x 8 bytes when one user has every friend */
    g_autofree size_t *count =
        fsim_try_new0 (hi + 1, sizeof (size_t), "the count of users by degree", error);
    if (count == NULL)
        return FALSE;
    for (size_t u = 0; u < n; u++)
        count[fsim_friends_degree (f, u)]++;
    st.min = lo;
    st.max = hi;
    st.n_isolated = isolated;
    fsim_i_degree_stats_ranks (count, &st);
    *out = st;
    return TRUE;
}

/**
 * fsim_i_degree_stats_ranks:
 * See graph-private.h.
 */
void
fsim_i_degree_stats_ranks (const size_t *count, FsimDegreeStats *out)
{
    size_t n = out->n_users, hi = out->max;

    out->mean = 2.0 * (double) out->n_edges / (double) n;
    out->median = n % 2 == 1 ? (double) degree_at_rank (count, hi, (n + 1) / 2)
                             : ((double) degree_at_rank (count, hi, n / 2) +
                                (double) degree_at_rank (count, hi, n / 2 + 1)) /
                                   2.0;
    /* ceil(0.99 n) without floating point. */
    out->p99 = degree_at_rank (count, hi, (99 * n + 99) / 100);
}

/* ---- local clustering ----------------------------------------------------------------------- */

typedef struct {
    const FsimFriends *f;
    const uint32_t *users; /* the users to measure, n_measured */
    size_t n_measured;
    size_t n_tasks;
    double *value;   /* n_measured: each user's local clustering */
    uint32_t **mark; /* [task]: n_users marks each */
} ClusteringRun;

/*
 * Friend pairs {v, w} of @u that are friends, counted once (w > v): mark u's friends with
 * @stamp, then for each friend v walk v's friends above v. Costs the sum of the friends'
 * degrees, halved.
 */
static double
local_clustering (const FsimFriends *f, uint32_t u, uint32_t *mark, uint32_t stamp)
{
    size_t d = fsim_friends_degree (f, u);
    uint64_t links = 0;

    if (d < 2)
        return 0.0;
    for (size_t i = f->offsets[u]; i < f->offsets[u + 1]; i++)
        mark[f->adj[i]] = stamp;
    for (size_t i = f->offsets[u]; i < f->offsets[u + 1]; i++) {
        uint32_t v = f->adj[i];
        const uint32_t *row = f->adj + f->offsets[v];
        const uint32_t *end = f->adj + f->offsets[v + 1];
        size_t lo = 0, hi = (size_t) (end - row);

        while (lo < hi) { /* first friend of v above v */
            size_t mid = (lo + hi) / 2;
            if (row[mid] <= v)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (const uint32_t *w = row + lo; w < end; w++)
            links += mark[*w] == stamp;
    }
    return (double) links / ((double) d * (double) (d - 1) / 2.0);
}

/**
 * fsim_i_clustering_n:
 * See graph-private.h.
 */
size_t
fsim_i_clustering_n (size_t n_users, size_t sample, gboolean *out_sampled)
{
    *out_sampled = n_users > sample;
    return n_users > sample ? sample : n_users;
}

/**
 * fsim_i_clustering_draw:
 * See graph-private.h.
 */
void
fsim_i_clustering_draw (uint32_t *users, size_t n_users, size_t sample, uint64_t seed)
{
    if (n_users > sample) {
        FsimRng rng;

        fsim_i_rng_init (&rng, seed, STEP_SAMPLE, 0);
        for (size_t i = 0; i < sample; i++)
            users[i] = fsim_i_rng_below (&rng, n_users);
    } else {
        for (size_t i = 0; i < n_users; i++)
            users[i] = (uint32_t) i;
    }
}

/* Task @task measures users task, task + n_tasks, ... with its own marks. */
static void
clustering_task (size_t task, unsigned worker G_GNUC_UNUSED, void *data)
{
    ClusteringRun *run = data;
    uint32_t *mark = run->mark[task];
    uint32_t stamp = 0;

    for (size_t i = task; i < run->n_measured; i += run->n_tasks) {
        if (++stamp == 0) { /* wrapped: start afresh */
            memset (mark, 0, run->f->n_users * sizeof *mark);
            stamp = 1;
        }
        run->value[i] = local_clustering (run->f, run->users[i], mark, stamp);
    }
}

/**
 * fsim_friends_clustering:
 * @sample: measure every user if there are at most this many, else this many drawn at random
 * @seed: picks the sample (the same seed, the same sample)
 * @n_threads: 0 = one per processor; the result does not depend on it (each user's value is
 *   computed alone and the values are added in sample order)
 * Each task marks in n_users words of its own, tried: as many tasks as fit (at least one).
 * Returns: TRUE, or FALSE with FSIM_GRAPH_ERROR_NOMEM (@out unchanged) when not even one task's
 * marks can be had.
 */
gboolean
fsim_friends_clustering (const FsimFriends *f, size_t sample, uint64_t seed, unsigned n_threads,
                         FsimClustering *out, GError **error)
{
    ClusteringRun run = { .f = f };
    double sum = 0;
    gboolean sampled = FALSE;

    g_return_val_if_fail (f != NULL && out != NULL && sample >= 1, FALSE);
    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

    run.n_measured = fsim_i_clustering_n (f->n_users, sample, &sampled);
    g_autofree uint32_t *users = g_new (uint32_t, MAX (run.n_measured, 1));
    fsim_i_clustering_draw (users, f->n_users, sample, seed);
    run.users = users;
    run.n_tasks = fsim_parallel_workers (n_threads, run.n_measured);
    run.mark = g_new0 (uint32_t *, run.n_tasks);
    for (size_t t = 0; t < run.n_tasks; t++) {
        run.mark[t] = fsim_try_new0 (MAX (f->n_users, 1), sizeof (uint32_t),
                                     "the marks of clustering", t == 0 ? error : NULL);
        if (run.mark[t] == NULL) {
            run.n_tasks = t; /* fewer tasks: the same values, added in the same order */
            break;
        }
    }
    if (run.n_tasks > 0) {
        run.value = g_new (double, MAX (run.n_measured, 1));
        fsim_parallel_for (run.n_tasks, fsim_parallel_workers (n_threads, run.n_tasks),
                           clustering_task, &run, NULL, NULL);
        for (size_t i = 0; i < run.n_measured; i++)
            sum += run.value[i];
        g_free (run.value);
    }
    for (size_t t = 0; t < run.n_tasks; t++)
        g_free (run.mark[t]);
    g_free (run.mark);
    if (run.n_tasks == 0)
        return FALSE;
    out->sampled = sampled;
    out->n_measured = run.n_measured;
    out->average = run.n_measured > 0 ? sum / (double) run.n_measured : 0.0;
    return TRUE;
}

/* ---- components ----------------------------------------------------------------------------- */

/**
 * fsim_friends_components:
 * Breadth-first search from every unvisited user, with n_users bytes of marks and a queue of
 * n_users ids, tried. Returns: TRUE, or FALSE with FSIM_GRAPH_ERROR_NOMEM (@out unchanged).
 */
gboolean
fsim_friends_components (const FsimFriends *f, FsimComponents *out, GError **error)
{
    size_t n;
    g_autofree guint8 *seen = NULL;
    g_autofree uint32_t *queue = NULL;
    FsimComponents c = { 0 };

    g_return_val_if_fail (f != NULL && out != NULL, FALSE);
    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

    n = f->n_users;
    if (!(seen = fsim_try_new0 (MAX (n, 1), 1, "the connected components", error)) ||
        !(queue = fsim_try_new (MAX (n, 1), sizeof (uint32_t), "the connected components", error)))
        return FALSE;
    for (size_t s = 0; s < n; s++) {
        size_t head = 0, tail = 0;

        if (seen[s])
            continue;
        seen[s] = 1;
        queue[tail++] = (uint32_t) s;
        while (head < tail) {
            uint32_t u = queue[head++];

            for (size_t i = f->offsets[u]; i < f->offsets[u + 1]; i++) {
                uint32_t v = f->adj[i];
                if (!seen[v]) {
                    seen[v] = 1;
                    queue[tail++] = v;
                }
            }
        }
        c.n_components++;
        c.giant_size = MAX (c.giant_size, tail);
    }
    *out = c;
    return TRUE;
}

/**
 * fsim_friends_stats:
 * The three measurements above; @clustering_sample, @seed and @n_threads as for
 * fsim_friends_clustering(). Returns: TRUE, or FALSE with FSIM_GRAPH_ERROR_NOMEM.
 */
gboolean
fsim_friends_stats (const FsimFriends *f, size_t clustering_sample, uint64_t seed,
                    unsigned n_threads, FsimFriendsStats *out, GError **error)
{
    g_return_val_if_fail (f != NULL && out != NULL, FALSE);
    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

    return fsim_friends_degree_stats (f, &out->degree, error) &&
           fsim_friends_clustering (f, MAX (clustering_sample, 1), seed, n_threads,
                                    &out->clustering, error) &&
           fsim_friends_components (f, &out->components, error);
}
