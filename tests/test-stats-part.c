/* SPDX-License-Identifier: MIT */
/* test-stats-part.c: a graph's measurements over ranks (threads here, graph/stats-part.c) are
 * the one process's (graph/stats.c), to the bit, for any number of ranks and any split. */
#include <stdint.h>
#include <string.h>

#include <glib.h>

#include "comm-threads.h"
#include "friends.h"
#include "stats.h"
#include "test-util.h"

typedef struct {
    const FsimFriends *whole;
    const size_t *bounds; /* size + 1 */
    size_t sample;
    FsimFriendsStats *out; /* per rank */
    GError **errors;       /* per rank */
} Split;

static void
measure_rank (const FsimComm *comm, void *data)
{
    Split *s = data;
    size_t first = s->bounds[comm->rank];
    const FsimFriendsPart part = {
        .n_total = s->whole->n_users,
        .first = first,
        .n_own = s->bounds[comm->rank + 1] - first,
        .offsets = s->whole->offsets + first, /* into the whole adj: the rows where they lie */
        .adj = s->whole->adj,
    };

    fsim_friends_stats_part (&part, comm, s->sample, 42, &s->out[comm->rank],
                             &s->errors[comm->rank]);
}

/* Measures @f over @size ranks owning @bounds and compares every rank's numbers with one
 * process's, the clustering's double bit for bit. */
static void
check_split (const FsimFriends *f, size_t sample, const FsimFriendsStats *whole, int size,
             const size_t *bounds)
{
    g_autofree FsimFriendsStats *out = g_new0 (FsimFriendsStats, (size_t) size);
    g_autofree GError **errors = g_new0 (GError *, (size_t) size);
    Split s = { f, bounds, sample, out, errors };
    const FsimFriendsStats one = *whole;

    fsim_test_comm_run (size, measure_rank, &s);
    for (int r = 0; r < size; r++) {
        g_assert_no_error (errors[r]);
        g_assert_cmpuint (out[r].degree.n_users, ==, one.degree.n_users);
        g_assert_cmpuint (out[r].degree.n_edges, ==, one.degree.n_edges);
        g_assert_cmpuint (out[r].degree.min, ==, one.degree.min);
        g_assert_cmpuint (out[r].degree.max, ==, one.degree.max);
        g_assert_cmpuint (out[r].degree.p99, ==, one.degree.p99);
        g_assert_cmpuint (out[r].degree.n_isolated, ==, one.degree.n_isolated);
        g_assert_cmpmem (&out[r].degree.mean, sizeof (double), &one.degree.mean, sizeof (double));
        g_assert_cmpmem (&out[r].degree.median, sizeof (double), &one.degree.median,
                         sizeof (double));
        g_assert_cmpmem (&out[r].clustering.average, sizeof (double), &one.clustering.average,
                         sizeof (double));
        g_assert_cmpuint (out[r].clustering.n_measured, ==, one.clustering.n_measured);
        g_assert_cmpint (out[r].clustering.sampled, ==, one.clustering.sampled);
        g_assert_cmpuint (out[r].components.n_components, ==, one.components.n_components);
        g_assert_cmpuint (out[r].components.giant_size, ==, one.components.giant_size);
    }
}

/* Every even split over 1 .. 5 ranks, and uneven ones (empty ranks, one user on a rank). */
static void
check_splits (const FsimFriends *f, size_t sample)
{
    size_t n = f->n_users;
    FsimFriendsStats one;

    g_assert_true (fsim_friends_stats (f, sample, 42, 1, &one, NULL));
    for (int size = 1; size <= 5; size++) {
        g_autofree size_t *bounds = g_new (size_t, (size_t) size + 1);
        for (int r = 0; r <= size; r++)
            bounds[r] = (size_t) ((guint64) n * (guint64) r / (guint64) size);
        check_split (f, sample, &one, size, bounds);
    }
    const size_t uneven[][5] = {
        { 0, 0, n / 3, n, n },
        { 0, MIN (1, n), MIN (2, n), n - n / 10, n },
        { 0, n, n, n, n },
    };
    for (size_t k = 0; k < G_N_ELEMENTS (uneven); k++)
        check_split (f, sample, &one, 4, uneven[k]);
}

/* A graph of @n users and @m random pairs, clustered a little (pairs near each other are
 * likelier), so that it has components, triangles and isolated users. */
static FsimFriends *
random_graph (size_t n, size_t m, guint32 seed)
{
    g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
    g_autofree uint32_t *pairs = g_new (uint32_t, 2 * MAX (m, 1));

    for (size_t k = 0; k < m; k++) {
        uint32_t u = (uint32_t) g_rand_int_range (rand, 0, (gint32) n);
        uint32_t near = (uint32_t) g_rand_int_range (rand, 0, 8);
        pairs[2 * k] = u;
        pairs[2 * k + 1] = g_rand_boolean (rand)
                               ? (u + near) % (uint32_t) n
                               : (uint32_t) g_rand_int_range (rand, 0, (gint32) n);
    }
    FsimFriends *f = fsim_friends_new_from_pairs (n, pairs, m, NULL);
    g_assert_nonnull (f);
    return f;
}

static void
test_stats_part_random (void)
{
    static const size_t shapes[][2] = { { 1000, 300 },  { 1000, 700 },  { 2000, 6000 },
                                        { 500, 5000 },  { 3000, 1500 }, { 7, 9 },
                                        { 9000, 40000 } };

    for (size_t k = 0; k < G_N_ELEMENTS (shapes); k++) {
        g_autoptr (FsimFriends) f = random_graph (shapes[k][0], shapes[k][1], (guint32) k + 1);
        check_splits (f, 10000); /* exact: every user */
        check_splits (f, 250);   /* sampled, with repeats */
        check_splits (f, 1);
    }
}

/* Sampled users with more friends than one round measures (262,144), on a graph of
 * facebook_like's shape: 3 rounds on one rank, 2 on two, rounds where some ranks send nothing. */
static void
test_stats_part_batches (void)
{
    g_autoptr (FsimFriends) f = fsim_friends_generate ("facebook_like", 10000, 60, 7, NULL);

    g_assert_nonnull (f);
    check_splits (f, 10000);
}

static void
test_stats_part_small (void)
{
    static const uint32_t star[] = { 0, 1, 0, 2, 0, 3, 0, 4, 1, 2 };
    g_autoptr (FsimFriends) empty = fsim_friends_new_from_pairs (0, star, 0, NULL);
    g_autoptr (FsimFriends) lonely = fsim_friends_new_from_pairs (3, star, 0, NULL);
    g_autoptr (FsimFriends) s = fsim_friends_new_from_pairs (5, star, 5, NULL);

    check_splits (empty, 10);
    check_splits (lonely, 10);
    check_splits (s, 10);
    check_splits (s, 2);
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    fsim_graph_init ();
    g_test_add_func ("/stats-part/random", test_stats_part_random);
    g_test_add_func ("/stats-part/batches", test_stats_part_batches);
    g_test_add_func ("/stats-part/small", test_stats_part_small);
    return g_test_run ();
}
