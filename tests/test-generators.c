/* SPDX-License-Identifier: MIT */
/* test-generators.c: friendship models (igraph games, facebook_like) and graph statistics. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <glib.h>
#include <igraph.h>

#include "friends.h"
#include "fuzz-util.h"
#include "stats.h"
#include "test-util.h"

/* ---- helpers ---------------------------------------------------------------------------- */

static FsimFriends *
generate (const FsimGenParams *p)
{
    g_autoptr (GError) error = NULL;
    FsimFriends *f = fsim_friends_generate_params (p, &error);

    g_assert_no_error (error);
    g_assert_nonnull (f);
    return f;
}

static FsimGenParams
params (const char *model, size_t n_users, double mean_degree, uint64_t seed)
{
    FsimGenParams p = FSIM_GEN_PARAMS_INIT;

    p.model = model;
    p.n_users = n_users;
    p.mean_degree = mean_degree;
    p.seed = seed;
    return p;
}

static void
assert_invalid (const FsimGenParams *p, const char *fragment)
{
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimFriends) f = fsim_friends_generate_params (p, &error);

    g_assert_null (f);
    g_assert_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_INVALID);
    if (strstr (error->message, fragment) == NULL)
        g_error ("'%s' not in '%s'", fragment, error->message);
}

/* ---- /generators/models, /generators/params ----------------------------------------------- */

static void
test_generators_models_list (void)
{
    const char *const *models = fsim_friends_models ();
    const char *expected[] = { "erdos_renyi", "barabasi_albert", "watts_strogatz",
                               "facebook_like" };

    for (size_t i = 0; i < G_N_ELEMENTS (expected); i++) {
        g_assert_cmpstr (models[i], ==, expected[i]);
        g_assert_true (fsim_friends_model_is_known (expected[i]));
    }
    g_assert_null (models[G_N_ELEMENTS (expected)]);
    g_assert_false (fsim_friends_model_is_known ("small_world"));
    g_assert_false (fsim_friends_model_is_known (""));
}

static void
test_generators_params_init (void)
{
    FsimGenParams a, b = FSIM_GEN_PARAMS_INIT;

    memset (&a, 0xff, sizeof a);
    fsim_gen_params_init (&a);
    g_assert_cmpstr (a.model, ==, "erdos_renyi");
    g_assert_cmpfloat (a.spread, ==, FSIM_GEN_DEFAULT_SPREAD);
    g_assert_cmpfloat (a.clustering, ==, FSIM_GEN_DEFAULT_CLUSTERING);
    g_assert_cmpuint (a.max_degree, ==, FSIM_GEN_DEFAULT_MAX_DEGREE);
    g_assert_cmpfloat (a.rewire, ==, FSIM_GEN_DEFAULT_REWIRE);
    g_assert_cmpfloat (a.community_size, ==, 0);
    g_assert_cmpuint (a.n_threads, ==, 0);
    g_assert_cmpuint (a.n_users, ==, b.n_users);
    g_assert_cmpfloat (a.mean_degree, ==, b.mean_degree);
}

static void
test_generators_params_unknown_model (void)
{
    FsimGenParams p = params ("small_world", 10, 2, 1);

    assert_invalid (&p, "'small_world'");
    assert_invalid (&p, "erdos_renyi, barabasi_albert, watts_strogatz, facebook_like");
}

static void
test_generators_params_invalid (void)
{
    FsimGenParams p;

    p = params ("facebook_like", 100, 10, 1), p.spread = -0.1;
    assert_invalid (&p, "spread");
    p = params ("facebook_like", 100, 10, 1), p.spread = NAN;
    assert_invalid (&p, "spread");
    p = params ("facebook_like", 100, 10, 1), p.clustering = 1.5;
    assert_invalid (&p, "clustering");
    p = params ("facebook_like", 100, 10, 1), p.max_degree = 0;
    assert_invalid (&p, "max_degree");
    p = params ("facebook_like", 100, 10, 1), p.community_size = 1;
    assert_invalid (&p, "community_size");
    p = params ("facebook_like", 100, 10, 1), p.community_size = 5000;
    assert_invalid (&p, "community_size");
    p = params ("facebook_like", 100, 10, 1), p.max_degree = 8;
    assert_invalid (&p, "must not exceed max_degree");
    p = params ("facebook_like", 10, 10, 1);
    assert_invalid (&p, "must not exceed");
    p = params ("watts_strogatz", 100, 4, 1), p.rewire = 1.01;
    assert_invalid (&p, "rewire");
    p = params ("watts_strogatz", 10, 10, 1);
    assert_invalid (&p, "too high");
    p = params ("barabasi_albert", 10, 12, 1);
    assert_invalid (&p, "too high");
    /* issue 11: 1 is not "at most 1": it rounds to 2 friends, and the message says so */
    p = params ("barabasi_albert", 2, 1, 1);
    assert_invalid (&p, "barabasi_albert: mean degree 1 is too high for 2 users: the model gives "
                        "each user 2 \u00d7 round(1 / 2) = 2 friends, more than the 1 other user "
                        "(the mean degree must be below 1)");
    p = params ("watts_strogatz", 10, 10, 1);
    assert_invalid (&p, "= 10 friends, more than the 9 other users (the mean degree must be "
                        "below 9)");
    p = params ("barabasi_albert", 10, -1, 1);
    assert_invalid (&p, "mean degree");
    p = params ("facebook_like", 10, INFINITY, 1);
    assert_invalid (&p, "mean degree");
}

/* ---- erdos_renyi and the igraph models ---------------------------------------------------- */

static void
test_generators_erdos_renyi_wrapper (void)
{
    g_autoptr (GError) error = NULL;
    FsimGenParams p = params ("erdos_renyi", 3000, 8, 5);
    g_autoptr (FsimFriends) a = generate (&p);
    g_autoptr (FsimFriends) b = fsim_friends_generate ("erdos_renyi", 3000, 8, 5, &error);

    g_assert_no_error (error);
    g_assert_true (fsim_test_friends_equal (a, b));
    g_assert_cmpuint (a->n_edges, ==, 12000);
    g_assert_null (a->group_offsets);
    g_assert_cmpuint (a->n_groups, ==, 0);
}

/* The pairs of a small G(n, m) over many seeds: every m-subset of pairs equally likely
 * (chi-square over the 120 subsets of 3 of the 10 pairs of 5 users; about 100 seeds each), and
 * every pair equally likely where the pairs are drawn by skips, then thinned (40 users, 2 of
 * their 780 pairs). */
static void
test_generators_erdos_renyi_uniform (void)
{
    enum { SEEDS_SMALL = 12000, SEEDS_SKIP = 39000 };
    g_autofree guint *by_mask = g_new0 (guint, 1024);
    g_autofree guint *by_pair = g_new0 (guint, 40 * 40);
    double chi = 0;

    for (uint64_t seed = 0; seed < SEEDS_SMALL; seed++) {
        FsimGenParams p = params ("erdos_renyi", 5, 1.2, seed); /* m = 3 of 10 pairs */
        g_autoptr (FsimFriends) f = generate (&p);
        guint mask = 0, bit = 0;

        g_assert_cmpuint (f->n_edges, ==, 3);
        for (uint32_t u = 0; u < 5; u++)
            for (uint32_t v = u + 1; v < 5; v++, bit++)
                if (fsim_friends_has (f, u, v))
                    mask |= 1u << bit;
        g_assert_cmpint (__builtin_popcount (mask), ==, 3);
        by_mask[mask]++;
    }
    for (guint mask = 0; mask < 1024; mask++) {
        if (__builtin_popcount (mask) == 3) {
            double d = by_mask[mask] - SEEDS_SMALL / 120.0;
            chi += d * d / (SEEDS_SMALL / 120.0);
        }
    }
    /* 119 degrees of freedom: mean 119, sd 15.4; 200 is over 5 sd */
    g_test_message ("chi-square over 3-subsets: %.1f", chi);
    g_assert_cmpfloat (chi, <, 200);

    chi = 0;
    for (uint64_t seed = 0; seed < SEEDS_SKIP; seed++) {
        FsimGenParams p = params ("erdos_renyi", 40, 0.1, seed); /* m = 2 of 780 pairs */
        g_autoptr (FsimFriends) f = generate (&p);

        g_assert_cmpuint (f->offsets[40], ==, 4);
        for (uint32_t u = 0; u < 40; u++)
            for (size_t k = f->offsets[u]; k < f->offsets[u + 1]; k++)
                if (f->adj[k] > u)
                    by_pair[u * 40 + f->adj[k]]++;
    }
    for (uint32_t u = 0; u < 40; u++) {
        for (uint32_t v = u + 1; v < 40; v++) {
            double d = by_pair[u * 40 + v] - SEEDS_SKIP * 2.0 / 780.0;
            chi += d * d / (SEEDS_SKIP * 2.0 / 780.0);
        }
    }
    /* 779 degrees of freedom: mean 779, sd 39.5; 1016 is 6 sd */
    g_test_message ("chi-square over pairs: %.1f", chi);
    g_assert_cmpfloat (chi, <, 1016);
}

/* 40,000 users, mean 10: exactly m = 200,000 friendships; degrees about binomial(n - 1,
 * 10 / (n - 1)) (variance 10); the first block of 16,384 rows holds its share of the pairs. */
static void
test_generators_erdos_renyi_statistics (void)
{
    FsimGenParams p = params ("erdos_renyi", 40000, 10, 1);
    g_autoptr (FsimFriends) f = generate (&p);
    FsimDegreeStats deg;
    double var = 0, n = 40000, pairs = n * (n - 1) / 2, block = 0, in_block = 0;

    fsim_fuzz_check_friends (f);
    g_assert_cmpuint (f->n_edges, ==, 200000);
    g_assert_true (fsim_friends_degree_stats (f, &deg, NULL));
    g_assert_cmpfloat (deg.mean, ==, 10.0);
    for (size_t u = 0; u < 40000; u++) {
        double d = (double) (f->offsets[u + 1] - f->offsets[u]) - 10.0;
        var += d * d / n;
    }
    g_test_message ("degree variance %.3f, max %zu", var, deg.max);
    g_assert_cmpfloat (fabs (var - 10.0 * (1 - 10 / (n - 1))), <, 0.5); /* sd about 0.07 */
    g_assert_cmpuint (deg.max, <, 40);
    for (uint32_t u = 0; u < 16384; u++) {
        block += n - 1 - u;
        for (size_t k = f->offsets[u]; k < f->offsets[u + 1]; k++)
            in_block += f->adj[k] > u;
    }
    /* hypergeometric: mean m * share, sd sqrt(m * share * (1 - share)) about 213 */
    double share = block / pairs;
    g_test_message ("first block: %.0f friendships, %.1f expected", in_block, 200000 * share);
    g_assert_cmpfloat (fabs (in_block - 200000 * share), <,
                       5 * sqrt (200000 * share * (1 - share)));
}

static void
test_generators_barabasi_albert_basic (void)
{
    FsimGenParams p = params ("barabasi_albert", 2000, 10, 3);
    g_autoptr (FsimFriends) a = generate (&p);
    g_autoptr (FsimFriends) b = generate (&p);
    FsimComponents comp;
    FsimDegreeStats deg;

    fsim_fuzz_check_friends (a);
    g_assert_true (fsim_test_friends_equal (a, b));
    /* m = 5 friendships per arriving user, fewer for the first five: 10 + 1995 * 5. */
    g_assert_cmpuint (a->n_edges, ==, 9985);
    g_assert_true (fsim_friends_components (a, &comp, NULL));
    g_assert_cmpuint (comp.n_components, ==, 1);
    g_assert_true (fsim_friends_degree_stats (a, &deg, NULL));
    g_assert_cmpuint (deg.min, ==, 5);
    g_assert_cmpuint (deg.max, >, 60); /* preferential attachment grows hubs */

    p.seed = 4;
    g_autoptr (FsimFriends) c = generate (&p);
    g_assert_false (fsim_test_friends_equal (a, c));
}

static void
test_generators_barabasi_albert_rounding (void)
{
    /* m = round(7 / 2) = 4; round(1 / 2) = 1; round(0.4 / 2) = 0 gives no friendships. */
    FsimGenParams p = params ("barabasi_albert", 100, 7, 1);
    g_autoptr (FsimFriends) f = generate (&p);
    g_assert_cmpuint (f->n_edges, ==, 6 + 96 * 4);

    p.mean_degree = 1;
    g_autoptr (FsimFriends) tree = generate (&p);
    g_assert_cmpuint (tree->n_edges, ==, 99);

    p.mean_degree = 0.4;
    g_autoptr (FsimFriends) none = generate (&p);
    g_assert_cmpuint (none->n_edges, ==, 0);

    p = params ("barabasi_albert", 0, 10, 1);
    g_autoptr (FsimFriends) empty = generate (&p);
    g_assert_cmpuint (empty->n_users, ==, 0);
}

static void
test_generators_watts_strogatz_lattice (void)
{
    FsimGenParams p = params ("watts_strogatz", 100, 6, 1);
    FsimClustering c;

    p.rewire = 0;
    g_autoptr (FsimFriends) f = generate (&p);
    fsim_fuzz_check_friends (f);
    g_assert_cmpuint (f->n_edges, ==, 300);
    for (uint32_t u = 0; u < 100; u++) {
        g_assert_cmpuint (f->offsets[u + 1] - f->offsets[u], ==, 6);
        g_assert_true (fsim_friends_has (f, (uint32_t) u, (u + 3) % 100));
        g_assert_false (fsim_friends_has (f, (uint32_t) u, (u + 4) % 100));
    }
    /* A ring lattice with k = 6 neighbours has clustering 3(k - 2) / (4(k - 1)) = 0.6. */
    g_assert_true (fsim_friends_clustering (f, 1000, 1, 0, &c, NULL));
    g_assert_false (c.sampled);
    g_assert_cmpfloat_with_epsilon (c.average, 0.6, 1e-12);
}

static void
test_generators_watts_strogatz_rewired (void)
{
    FsimGenParams p = params ("watts_strogatz", 2000, 10, 8);
    g_autoptr (FsimFriends) f = generate (&p);
    g_autoptr (FsimFriends) g = generate (&p);
    FsimClustering c;

    fsim_fuzz_check_friends (f);
    g_assert_true (fsim_test_friends_equal (f, g));
    g_assert_cmpfloat (p.rewire, ==, 0.1);
    g_assert_cmpuint (f->n_edges, ==, 10000); /* rewiring keeps the count */
    g_assert_true (fsim_friends_clustering (f, 5000, 1, 0, &c, NULL));
    /* each end of a friendship moves with probability p (as in igraph), so it stays put with
     * (1 - p)^2 and a triangle with (1 - p)^6: about 0.667 * 0.9^6 = 0.354 for k = 10. */
    g_assert_cmpfloat (c.average, >, 0.30);
    g_assert_cmpfloat (c.average, <, 0.42);
}

/* One graph's statistics: average clustering (every user), degree variance, and the share of
 * friendships still between ring neighbours (ring distance <= nei). */
static void
ws_stats (const FsimFriends *f, size_t nei, double out[3])
{
    size_t n = f->n_users, ring = 0, m = 0;
    FsimClustering c;

    g_assert_true (fsim_friends_clustering (f, n, 1, 0, &c, NULL));
    out[0] = c.average;
    out[1] = 0;
    for (size_t u = 0; u < n; u++) {
        double d = (double) fsim_friends_degree (f, u) - 2.0 * (double) nei;
        out[1] += d * d / (double) n;
        for (size_t k = f->offsets[u]; k < f->offsets[u + 1]; k++) {
            size_t v = f->adj[k], dist = v > u ? v - u : u - v;
            if (v < u)
                continue;
            m++;
            ring += MIN (dist, n - dist) <= nei;
        }
    }
    out[2] = (double) ring / (double) m;
}

/* An igraph graph's friendships (@g destroyed here). */
static FsimFriends *
from_igraph (igraph_t *g)
{
    size_t m = (size_t) igraph_ecount (g), n = (size_t) igraph_vcount (g);
    g_autofree uint32_t *pairs = g_new (uint32_t, 2 * m + 1);

    for (size_t e = 0; e < m; e++) {
        pairs[2 * e] = (uint32_t) IGRAPH_FROM (g, e);
        pairs[2 * e + 1] = (uint32_t) IGRAPH_TO (g, e);
    }
    igraph_destroy (g);
    return fsim_friends_new_from_pairs (n, pairs, m, NULL);
}

/* igraph_watts_strogatz_game (dim 1, no loops or repeats) for comparison. */
static FsimFriends *
igraph_ws (size_t n, size_t nei, double rewire, uint64_t seed)
{
    igraph_t g;

    igraph_rng_seed (igraph_rng_default (), seed);
    g_assert_cmpint (igraph_watts_strogatz_game (&g, 1, (igraph_integer_t) n,
                                                 (igraph_integer_t) nei, rewire, 0, 0),
                     ==, IGRAPH_SUCCESS);
    return from_igraph (&g);
}

/* flowsim's watts_strogatz (ws.c, drawn by users) against igraph's game over 30 seeds each:
 * average clustering, degree variance and the share of ring friendships agree within 5
 * standard errors of the difference (plus 1 % for the ring share: a ring neighbour is never a
 * new end of the first sweep here, see ws.c); the count is always n nei. */
static void
test_generators_watts_strogatz_igraph (void)
{
    const struct {
        size_t n, nei;
        double rewire;
    } cases[] = { { 1000, 5, 0.1 }, { 1000, 5, 0.5 }, { 400, 10, 1.0 } };
    enum { SEEDS = 30 };

    for (size_t i = 0; i < G_N_ELEMENTS (cases); i++) {
        double sum[2][3] = { { 0 } }, sq[2][3] = { { 0 } };
        for (uint64_t seed = 1; seed <= SEEDS; seed++) {
            FsimGenParams p = params ("watts_strogatz", cases[i].n, 2.0 * cases[i].nei, seed);
            p.rewire = cases[i].rewire;
            g_autoptr (FsimFriends) ours = generate (&p);
            g_autoptr (FsimFriends) theirs = igraph_ws (cases[i].n, cases[i].nei, p.rewire, seed);
            double st[2][3];

            g_assert_cmpuint (ours->n_edges, ==, cases[i].n * cases[i].nei);
            ws_stats (ours, cases[i].nei, st[0]);
            ws_stats (theirs, cases[i].nei, st[1]);
            for (int w = 0; w < 2; w++)
                for (int k = 0; k < 3; k++) {
                    sum[w][k] += st[w][k];
                    sq[w][k] += st[w][k] * st[w][k];
                }
        }
        for (int k = 0; k < 3; k++) {
            double mean[2], var[2];
            for (int w = 0; w < 2; w++) {
                mean[w] = sum[w][k] / SEEDS;
                var[w] = (sq[w][k] / SEEDS - mean[w] * mean[w]) / (SEEDS - 1);
            }
            double se = sqrt (MAX (var[0] + var[1], 0));
            g_test_message (
                "n %zu nei %zu p %.1f, statistic %d: flowsim %.4f, igraph %.4f (se %.4f)",
                cases[i].n, cases[i].nei, cases[i].rewire, k, mean[0], mean[1], se);
            g_assert_cmpfloat (fabs (mean[0] - mean[1]), <=, 5 * se + (k == 2 ? 0.01 : 0) + 1e-12);
        }
    }
}

/* A dense ring stays complete, as in igraph: every move can only leave its friendship where it
 * is. */
static void
test_generators_watts_strogatz_dense (void)
{
    for (uint64_t seed = 1; seed <= 50; seed++) {
        FsimGenParams p = params ("watts_strogatz", 9, 8, seed);
        p.rewire = 1;
        g_autoptr (FsimFriends) f = generate (&p);
        fsim_fuzz_check_friends (f);
        g_assert_cmpuint (f->n_edges, ==, 36);
    }
}

/* flowsim's barabasi_albert (ba.c: igraph's psumtree process on flowsim's own random numbers)
 * against igraph's game over 40 seeds each: average clustering, degree variance, the largest
 * degree and the share of users left with m friends agree within 5 standard errors of the
 * difference; the count is igraph's exactly. */
static void
test_generators_barabasi_albert_igraph (void)
{
    const struct {
        size_t n, m;
    } cases[] = { { 2000, 5 }, { 500, 2 }, { 20, 3 } };
    enum { SEEDS = 40, STATS = 4 };

    for (size_t i = 0; i < G_N_ELEMENTS (cases); i++) {
        double sum[2][STATS] = { { 0 } }, sq[2][STATS] = { { 0 } };
        for (uint64_t seed = 1; seed <= SEEDS; seed++) {
            FsimGenParams p = params ("barabasi_albert", cases[i].n, 2.0 * cases[i].m, seed);
            g_autoptr (FsimFriends) ours = generate (&p);
            FsimFriends *both[2] = { ours, NULL };
            fsim_fuzz_check_friends (ours); /* no repeats, no self-friendship, symmetric */
            igraph_t g;

            igraph_rng_seed (igraph_rng_default (), seed);
            g_assert_cmpint (igraph_barabasi_game (&g, (igraph_integer_t) cases[i].n, 1.0,
                                                   (igraph_integer_t) cases[i].m, NULL, 0, 1.0,
                                                   IGRAPH_UNDIRECTED, IGRAPH_BARABASI_PSUMTREE,
                                                   NULL),
                             ==, IGRAPH_SUCCESS);
            g_autoptr (FsimFriends) theirs = from_igraph (&g);
            both[1] = theirs;
            g_assert_cmpuint (ours->n_edges, ==, theirs->n_edges);
            for (int w = 0; w < 2; w++) {
                const FsimFriends *f = both[w];
                FsimClustering c;
                double mean = 2.0 * (double) f->n_edges / (double) f->n_users, st[STATS] = { 0 };

                g_assert_true (fsim_friends_clustering (f, f->n_users, 1, 0, &c, NULL));
                st[0] = c.average;
                for (size_t u = 0; u < f->n_users; u++) {
                    double d = (double) fsim_friends_degree (f, u);
                    st[1] += (d - mean) * (d - mean) / (double) f->n_users;
                    st[2] = MAX (st[2], d);
                    st[3] += (d == (double) cases[i].m) / (double) f->n_users;
                }
                for (int k = 0; k < STATS; k++) {
                    sum[w][k] += st[k];
                    sq[w][k] += st[k] * st[k];
                }
            }
        }
        for (int k = 0; k < STATS; k++) {
            double mean[2], var[2];
            for (int w = 0; w < 2; w++) {
                mean[w] = sum[w][k] / SEEDS;
                var[w] = (sq[w][k] / SEEDS - mean[w] * mean[w]) / (SEEDS - 1);
            }
            double se = sqrt (MAX (var[0] + var[1], 0));
            g_test_message ("n %zu m %zu, statistic %d: flowsim %.4f, igraph %.4f (se %.4f)",
                            cases[i].n, cases[i].m, k, mean[0], mean[1], se);
            g_assert_cmpfloat (fabs (mean[0] - mean[1]), <=, 5 * se + 1e-12);
        }
    }
}

/* ---- facebook_like ------------------------------------------------------------------------ */

static void
test_generators_facebook_like_deterministic (void)
{
    FsimGenParams p = params ("facebook_like", 30000, 40, 11);

    p.n_threads = 1;
    g_autoptr (FsimFriends) one = generate (&p);
    p.n_threads = 3;
    g_autoptr (FsimFriends) three = generate (&p);
    p.n_threads = 0;
    g_autoptr (FsimFriends) all = generate (&p);
    p.seed = 12;
    g_autoptr (FsimFriends) other = generate (&p);

    fsim_fuzz_check_friends (one);
    g_assert_true (fsim_test_friends_equal (one, three));
    g_assert_true (fsim_test_friends_equal (one, all));
    g_assert_cmpuint (one->n_groups, ==, three->n_groups);
    g_assert_cmpmem (one->group_offsets, (one->n_groups + 1) * sizeof (size_t),
                     three->group_offsets, (three->n_groups + 1) * sizeof (size_t));
    g_assert_false (fsim_test_friends_equal (one, other));
}

/* The targets of the issue, at a size a test can afford. */
static void
test_generators_facebook_like_statistics (void)
{
    FsimGenParams p = params ("facebook_like", 20000, 50, 1);
    g_autoptr (FsimFriends) f = generate (&p);
    FsimFriendsStats st;

    fsim_fuzz_check_friends (f);
    g_assert_true (fsim_friends_stats (f, 20000, 1, 0, &st, NULL));
    g_test_message ("mean %.2f median %.1f p99 %zu max %zu clustering %.4f giant %zu",
                    st.degree.mean, st.degree.median, st.degree.p99, st.degree.max,
                    st.clustering.average, st.components.giant_size);
    g_assert_false (st.clustering.sampled);
    g_assert_cmpfloat (fabs (st.degree.mean / 50.0 - 1.0), <=, 0.05);
    g_assert_cmpfloat (st.degree.median / st.degree.mean, >=, 0.35);
    g_assert_cmpfloat (st.degree.median / st.degree.mean, <=, 0.65);
    g_assert_cmpfloat (st.clustering.average, >=, 0.10);
    g_assert_cmpuint (st.components.giant_size, >=, 19800);
    g_assert_cmpuint (st.degree.max, <=, 5000);
    g_assert_cmpuint (st.degree.p99, >, 4 * (size_t) st.degree.median); /* a heavy tail */
    g_assert_cmpuint (st.degree.min, >=, 1);
}

static void
test_generators_facebook_like_groups (void)
{
    FsimGenParams p = params ("facebook_like", 5000, 20, 2);

    p.community_size = 10;
    g_autoptr (FsimFriends) f = generate (&p);
    g_assert_cmpuint (f->n_groups, >, 5000 / 15);
    g_assert_cmpuint (f->group_offsets[0], ==, 0);
    g_assert_cmpuint (f->group_offsets[f->n_groups], ==, 5000);
    for (size_t g = 0; g < f->n_groups; g++) {
        size_t size = f->group_offsets[g + 1] - f->group_offsets[g];

        g_assert_cmpuint (size, >=, 5);
        /* The last community may have taken a remainder smaller than 5. */
        g_assert_cmpuint (size, <=, g + 1 < f->n_groups ? 15 : 19);
    }
}

static void
test_generators_facebook_like_cap (void)
{
    FsimGenParams p = params ("facebook_like", 20000, 20, 3);
    FsimDegreeStats deg;

    p.max_degree = 30;
    p.spread = 2.0; /* many targets at the cap: the hard limit is tested, not the tail */
    p.clustering = 1.0;
    g_autoptr (FsimFriends) f = generate (&p);
    fsim_fuzz_check_friends (f);
    g_assert_true (fsim_friends_degree_stats (f, &deg, NULL));
    g_assert_cmpuint (deg.max, <=, 30);
    g_assert_cmpuint (deg.p99, ==, 30);
}

static void
test_generators_facebook_like_knobs (void)
{
    FsimGenParams p = params ("facebook_like", 20000, 30, 4);
    FsimClustering c;
    FsimDegreeStats deg;

    p.clustering = 0; /* Chung–Lu alone: hardly any triangles */
    g_autoptr (FsimFriends) flat = generate (&p);
    g_assert_true (fsim_friends_clustering (flat, 20000, 1, 0, &c, NULL));
    g_assert_cmpfloat (c.average, <, 0.02);

    p.clustering = 0.5;
    p.spread = 0; /* every target is the mean: a narrow (Poisson-like) distribution */
    g_autoptr (FsimFriends) narrow = generate (&p);
    g_assert_true (fsim_friends_degree_stats (narrow, &deg, NULL));
    g_assert_cmpfloat (fabs (deg.median - 30), <=, 2);
    g_assert_cmpuint (deg.max, <, 60);
    g_assert_true (fsim_friends_clustering (narrow, 20000, 1, 0, &c, NULL));
    g_assert_cmpfloat (c.average, >, 0.10);
}

static void
test_generators_facebook_like_tiny (void)
{
    const size_t sizes[] = { 0, 1, 2, 3, 7 };

    for (size_t i = 0; i < G_N_ELEMENTS (sizes); i++) {
        FsimGenParams p = params ("facebook_like", sizes[i], sizes[i] > 1 ? 1 : 0, 1);
        g_autoptr (FsimFriends) f = generate (&p);

        g_assert_cmpuint (f->n_users, ==, sizes[i]);
        fsim_fuzz_check_friends (f);
        if (sizes[i] >= 2) /* everybody starts at least one friendship */
            g_assert_cmpuint (f->n_edges, >=, (sizes[i] + 1) / 2);
    }
    FsimGenParams p = params ("facebook_like", 100, 0, 1);
    g_autoptr (FsimFriends) none = generate (&p);
    g_assert_cmpuint (none->n_edges, ==, 0);
}

/* ---- /stats ------------------------------------------------------------------------------- */

static FsimFriends *
from_pairs (size_t n_users, const uint32_t *pairs, size_t n_pairs)
{
    g_autoptr (GError) error = NULL;
    FsimFriends *f = fsim_friends_new_from_pairs (n_users, pairs, n_pairs, &error);

    g_assert_no_error (error);
    return f;
}

static void
test_stats_degree (void)
{
    const uint32_t path[] = { 0, 1, 1, 2, 2, 3 };
    g_autoptr (FsimFriends) f = from_pairs (5, path, 3); /* 0-1-2-3 and a lonely 4 */
    g_autoptr (FsimFriends) even = from_pairs (4, path, 3);
    g_autoptr (FsimFriends) none = from_pairs (0, NULL, 0);
    FsimDegreeStats d;

    g_assert_true (fsim_friends_degree_stats (f, &d, NULL));
    g_assert_cmpuint (d.n_users, ==, 5);
    g_assert_cmpuint (d.n_edges, ==, 3);
    g_assert_cmpuint (d.min, ==, 0);
    g_assert_cmpuint (d.max, ==, 2);
    g_assert_cmpfloat (d.mean, ==, 1.2);
    g_assert_cmpfloat (d.median, ==, 1); /* 0 1 1 2 2 */
    g_assert_cmpuint (d.p99, ==, 2);
    g_assert_cmpuint (d.n_isolated, ==, 1);

    g_assert_true (fsim_friends_degree_stats (even, &d, NULL));
    g_assert_cmpfloat (d.median, ==, 1.5); /* 1 1 2 2 */

    g_assert_true (fsim_friends_degree_stats (none, &d, NULL));
    g_assert_cmpuint (d.n_users, ==, 0);
    g_assert_cmpfloat (d.mean, ==, 0);
}

static void
test_stats_degree_p99 (void)
{
    /* A star of 200 leaves: 200 users of degree 1 and one of 200. ceil(0.99 * 201) = 199. */
    g_autofree uint32_t *pairs = g_new (uint32_t, 400);
    FsimDegreeStats d;

    for (uint32_t i = 0; i < 200; i++) {
        pairs[2 * i] = 0;
        pairs[2 * i + 1] = i + 1;
    }
    g_autoptr (FsimFriends) star = from_pairs (201, pairs, 200);
    g_assert_true (fsim_friends_degree_stats (star, &d, NULL));
    g_assert_cmpuint (d.p99, ==, 1);
    g_assert_cmpuint (d.max, ==, 200);
    g_assert_cmpfloat (d.median, ==, 1);
}

static void
test_stats_clustering_exact (void)
{
    /* A triangle 0 1 2 with 3 hanging off 0: C = 1/3, 1, 1, 0. */
    const uint32_t kite[] = { 0, 1, 1, 2, 2, 0, 0, 3 };
    const uint32_t k4[] = { 0, 1, 0, 2, 0, 3, 1, 2, 1, 3, 2, 3 };
    const uint32_t star[] = { 0, 1, 0, 2, 0, 3 };
    g_autoptr (FsimFriends) a = from_pairs (4, kite, 4);
    g_autoptr (FsimFriends) b = from_pairs (4, k4, 6);
    g_autoptr (FsimFriends) c = from_pairs (4, star, 3);
    g_autoptr (FsimFriends) d = from_pairs (0, NULL, 0);
    FsimClustering cl;

    g_assert_true (fsim_friends_clustering (a, 10, 1, 0, &cl, NULL));
    g_assert_false (cl.sampled);
    g_assert_cmpuint (cl.n_measured, ==, 4);
    g_assert_cmpfloat_with_epsilon (cl.average, (1.0 / 3 + 2) / 4, 1e-12);
    g_assert_true (fsim_friends_clustering (b, 10, 1, 0, &cl, NULL));
    g_assert_cmpfloat (cl.average, ==, 1.0);
    g_assert_true (fsim_friends_clustering (c, 10, 1, 0, &cl, NULL));
    g_assert_cmpfloat (cl.average, ==, 0.0);
    g_assert_true (fsim_friends_clustering (d, 10, 1, 0, &cl, NULL));
    g_assert_cmpfloat (cl.average, ==, 0.0);
    g_assert_cmpuint (cl.n_measured, ==, 0);
}

/* Our exact average against igraph's (transitivity_avglocal_undirected, zero mode). */
static void
test_stats_clustering_igraph (void)
{
    FsimGenParams p = params ("facebook_like", 3000, 20, 6);
    g_autoptr (FsimFriends) f = generate (&p);
    igraph_vector_int_t edges;
    igraph_t g;
    igraph_real_t expected;
    FsimClustering cl;
    size_t k = 0;

    g_assert_cmpint (igraph_vector_int_init (&edges, (igraph_integer_t) (2 * f->n_edges)), ==, 0);
    for (size_t u = 0; u < f->n_users; u++)
        for (size_t i = f->offsets[u]; i < f->offsets[u + 1]; i++)
            if (f->adj[i] > u) {
                VECTOR (edges)[k++] = (igraph_integer_t) u;
                VECTOR (edges)[k++] = f->adj[i];
            }
    g_assert_cmpint (igraph_create (&g, &edges, (igraph_integer_t) f->n_users, IGRAPH_UNDIRECTED),
                     ==, 0);
    g_assert_cmpint (
        igraph_transitivity_avglocal_undirected (&g, &expected, IGRAPH_TRANSITIVITY_ZERO), ==, 0);
    igraph_destroy (&g);
    igraph_vector_int_destroy (&edges);

    g_assert_true (fsim_friends_clustering (f, 3000, 1, 0, &cl, NULL));
    g_assert_cmpfloat_with_epsilon (cl.average, expected, 1e-9);
}

static void
test_stats_clustering_sampled (void)
{
    FsimGenParams p = params ("facebook_like", 40000, 30, 7);
    g_autoptr (FsimFriends) f = generate (&p);
    FsimClustering exact, one, many, other;

    g_assert_true (fsim_friends_clustering (f, 40000, 1, 0, &exact, NULL));
    g_assert_true (fsim_friends_clustering (f, 4000, 1, 1, &one, NULL));
    g_assert_true (fsim_friends_clustering (f, 4000, 1, 4, &many, NULL));
    g_assert_true (fsim_friends_clustering (f, 4000, 2, 0, &other, NULL));
    g_assert_false (exact.sampled);
    g_assert_true (one.sampled);
    g_assert_cmpuint (one.n_measured, ==, 4000);
    g_assert_cmpfloat (one.average, ==, many.average);  /* any number of threads */
    g_assert_cmpfloat (one.average, !=, other.average); /* the seed picks the sample */
    g_assert_cmpfloat (fabs (one.average - exact.average), <, 0.02);
}

static void
test_stats_components (void)
{
    const uint32_t pairs[] = { 0, 1, 1, 2, 2, 0, 3, 4, 4, 5, 5, 6 };
    g_autoptr (FsimFriends) f = from_pairs (8, pairs, 6); /* a triangle, a path of 4, a loner */
    g_autoptr (FsimFriends) none = from_pairs (0, NULL, 0);
    FsimComponents c;

    g_assert_true (fsim_friends_components (f, &c, NULL));
    g_assert_cmpuint (c.n_components, ==, 3);
    g_assert_cmpuint (c.giant_size, ==, 4);
    g_assert_true (fsim_friends_components (none, &c, NULL));
    g_assert_cmpuint (c.n_components, ==, 0);
    g_assert_cmpuint (c.giant_size, ==, 0);
}

static void
test_generators_finally_stack_empty (void)
{
    g_assert_cmpint (IGRAPH_FINALLY_STACK_SIZE (), ==, 0);
}

int
main (int argc, char *argv[])
{
    g_test_init (&argc, &argv, NULL);
    fsim_graph_init ();

    g_test_add_func ("/generators/models/list", test_generators_models_list);
    g_test_add_func ("/generators/params/init", test_generators_params_init);
    g_test_add_func ("/generators/params/unknown-model", test_generators_params_unknown_model);
    g_test_add_func ("/generators/params/invalid", test_generators_params_invalid);
    g_test_add_func ("/generators/erdos-renyi/wrapper", test_generators_erdos_renyi_wrapper);
    g_test_add_func ("/generators/erdos-renyi/uniform", test_generators_erdos_renyi_uniform);
    g_test_add_func ("/generators/erdos-renyi/statistics", test_generators_erdos_renyi_statistics);
    g_test_add_func ("/generators/barabasi-albert/basic", test_generators_barabasi_albert_basic);
    g_test_add_func ("/generators/barabasi-albert/rounding",
                     test_generators_barabasi_albert_rounding);
    g_test_add_func ("/generators/barabasi-albert/igraph", test_generators_barabasi_albert_igraph);
    g_test_add_func ("/generators/watts-strogatz/lattice", test_generators_watts_strogatz_lattice);
    g_test_add_func ("/generators/watts-strogatz/rewired", test_generators_watts_strogatz_rewired);
    g_test_add_func ("/generators/watts-strogatz/igraph", test_generators_watts_strogatz_igraph);
    g_test_add_func ("/generators/watts-strogatz/dense", test_generators_watts_strogatz_dense);
    g_test_add_func ("/generators/facebook-like/deterministic",
                     test_generators_facebook_like_deterministic);
    g_test_add_func ("/generators/facebook-like/statistics",
                     test_generators_facebook_like_statistics);
    g_test_add_func ("/generators/facebook-like/groups", test_generators_facebook_like_groups);
    g_test_add_func ("/generators/facebook-like/cap", test_generators_facebook_like_cap);
    g_test_add_func ("/generators/facebook-like/knobs", test_generators_facebook_like_knobs);
    g_test_add_func ("/generators/facebook-like/tiny", test_generators_facebook_like_tiny);
    g_test_add_func ("/generators/stats/degree", test_stats_degree);
    g_test_add_func ("/generators/stats/degree-p99", test_stats_degree_p99);
    g_test_add_func ("/generators/stats/clustering/exact", test_stats_clustering_exact);
    g_test_add_func ("/generators/stats/clustering/igraph", test_stats_clustering_igraph);
    g_test_add_func ("/generators/stats/clustering/sampled", test_stats_clustering_sampled);
    g_test_add_func ("/generators/stats/components", test_stats_components);
    /* Last: every graph/ call above must have balanced its IGRAPH_FINALLY pushes. */
    g_test_add_func ("/generators/errors/finally-stack-empty", test_generators_finally_stack_empty);
    return g_test_run ();
}
