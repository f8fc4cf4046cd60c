/* SPDX-License-Identifier: MIT */
/* test-graph.c: friend lists (CSR, G(n, m)), model graph reachability and igraph error mapping. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <glib.h>

/*
 * The igraph-level tests need igraph's include directory, which graph_dep does not export
 * (only graph/ may include igraph). They are compiled when the build gives this test igraph_dep
 * and skipped (visibly) otherwise.
 */
#if defined(__has_include)
#if __has_include(<igraph.h>)
#define FSIM_TEST_HAVE_IGRAPH 1
#include <igraph.h>
#endif
#endif

#include "friends.h"
#include "fuzz-util.h"
#include "memory.h"
#include "modelgraph.h"
#include "run-util.h"
#include "test-util.h"
#ifdef FSIM_TEST_HAVE_IGRAPH
#include "graph-private.h"
#endif

/* ---- helpers ---------------------------------------------------------------------------- */

static void
assert_row (const FsimFriends *f, size_t u, const uint32_t *expected, size_t n_expected)
{
    g_assert_cmpuint (f->offsets[u + 1] - f->offsets[u], ==, n_expected);
    for (size_t i = 0; i < n_expected; i++)
        g_assert_cmpuint (f->adj[f->offsets[u] + i], ==, expected[i]);
}

/* ---- /graph/friends --------------------------------------------------------------------- */

static void
test_graph_friends_basic (void)
{
    /* 0-1, 0-2, 3-1 given in mixed orientation; user 4 has no friends. */
    const uint32_t pairs[] = { 2, 0, 0, 1, 3, 1 };
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimFriends) f = fsim_friends_new_from_pairs (5, pairs, 3, &error);

    g_assert_no_error (error);
    g_assert_nonnull (f);
    g_assert_cmpuint (f->n_users, ==, 5);
    g_assert_cmpuint (f->n_edges, ==, 3);
    assert_row (f, 0, (const uint32_t[]){ 1, 2 }, 2);
    assert_row (f, 1, (const uint32_t[]){ 0, 3 }, 2);
    assert_row (f, 2, (const uint32_t[]){ 0 }, 1);
    assert_row (f, 3, (const uint32_t[]){ 1 }, 1);
    assert_row (f, 4, NULL, 0);
    fsim_fuzz_check_friends (f);
}

static void
test_graph_friends_dedupe (void)
{
    /* 0-1 four times in both orientations, 1-2 twice. */
    const uint32_t pairs[] = { 0, 1, 1, 0, 0, 1, 2, 1, 1, 2, 1, 0 };
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimFriends) f = fsim_friends_new_from_pairs (3, pairs, 6, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (f->n_edges, ==, 2);
    assert_row (f, 0, (const uint32_t[]){ 1 }, 1);
    assert_row (f, 1, (const uint32_t[]){ 0, 2 }, 2);
    assert_row (f, 2, (const uint32_t[]){ 1 }, 1);
    fsim_fuzz_check_friends (f);
}

static void
test_graph_friends_self_loops (void)
{
    const uint32_t pairs[] = { 1, 1, 0, 0, 0, 2, 2, 2 };
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimFriends) f = fsim_friends_new_from_pairs (3, pairs, 4, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (f->n_edges, ==, 1);
    assert_row (f, 0, (const uint32_t[]){ 2 }, 1);
    assert_row (f, 1, NULL, 0);
    assert_row (f, 2, (const uint32_t[]){ 0 }, 1);
    fsim_fuzz_check_friends (f);
}

static void
test_graph_friends_empty (void)
{
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimFriends) none = fsim_friends_new_from_pairs (0, NULL, 0, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (none->n_users, ==, 0);
    g_assert_cmpuint (none->n_edges, ==, 0);
    g_assert_cmpuint (none->offsets[0], ==, 0);

    g_autoptr (FsimFriends) lonely = fsim_friends_new_from_pairs (4, NULL, 0, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (lonely->n_edges, ==, 0);
    for (size_t u = 0; u <= 4; u++)
        g_assert_cmpuint (lonely->offsets[u], ==, 0);
}

static void
test_graph_friends_invalid_out_of_range (void)
{
    const uint32_t pairs[] = { 0, 1, 1, 3 };
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimFriends) f = fsim_friends_new_from_pairs (3, pairs, 2, &error);

    g_assert_null (f);
    g_assert_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "friendship 1 (1, 3)"));
}

static void
test_graph_friends_invalid_too_many_users (void)
{
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimFriends) f = NULL;

    if (SIZE_MAX <= UINT32_MAX) {
        g_test_skip ("size_t is 32 bits");
        return;
    }
    f = fsim_friends_new_from_pairs ((size_t) UINT32_MAX + 1, NULL, 0, &error);
    g_assert_null (f);
    g_assert_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_INVALID);
}

/* Random pairs with many duplicates against an adjacency-matrix reference. */
static void
test_graph_friends_random_reference (void)
{
    enum { N = 150, PAIRS = 4000 };
    g_autoptr (GRand) rand = g_rand_new_with_seed (42);
    g_autofree uint32_t *pairs = g_new (uint32_t, 2 * PAIRS);
    g_autofree guint8 *matrix = g_new0 (guint8, N * N);
    g_autoptr (GError) error = NULL;
    size_t n_edges = 0;

    for (size_t k = 0; k < 2 * PAIRS; k++)
        pairs[k] = (uint32_t) g_rand_int_range (rand, 0, N);
    for (size_t k = 0; k < PAIRS; k++) {
        uint32_t u = pairs[2 * k], v = pairs[2 * k + 1];
        if (u != v && !matrix[u * N + v]) {
            matrix[u * N + v] = matrix[v * N + u] = 1;
            n_edges++;
        }
    }

    g_autoptr (FsimFriends) f = fsim_friends_new_from_pairs (N, pairs, PAIRS, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (f->n_edges, ==, n_edges);
    fsim_fuzz_check_friends (f);
    for (size_t u = 0; u < N; u++) {
        size_t i = f->offsets[u];
        for (size_t v = 0; v < N; v++) {
            if (matrix[u * N + v]) {
                g_assert_cmpuint (i, <, f->offsets[u + 1]);
                g_assert_cmpuint (f->adj[i], ==, v);
                i++;
            }
        }
        g_assert_cmpuint (i, ==, f->offsets[u + 1]);
    }
}

/* ---- /graph/generate -------------------------------------------------------------------- */

static void
test_graph_generate_deterministic (void)
{
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimFriends) a = fsim_friends_generate ("erdos_renyi", 2000, 12.0, 7, &error);
    g_assert_no_error (error);
    g_autoptr (FsimFriends) b = fsim_friends_generate ("erdos_renyi", 2000, 12.0, 7, &error);
    g_assert_no_error (error);
    g_autoptr (FsimFriends) c = fsim_friends_generate ("erdos_renyi", 2000, 12.0, 8, &error);
    g_assert_no_error (error);

    g_assert_true (fsim_test_friends_equal (a, b));
    g_assert_cmpuint (c->n_edges, ==, a->n_edges);
    g_assert_false (fsim_test_friends_equal (a, c));
    fsim_fuzz_check_friends (a);
    fsim_fuzz_check_friends (c);
}

static void
test_graph_generate_edge_count (void)
{
    static const struct {
        size_t n;
        double degree;
        size_t edges;
    } cases[] = {
        { 1000, 7.3, 3650 },                                 /* 3650 exactly */
        { 999, 3.0, 1499 },                                  /* 1498.5 rounds away from zero */
        { 1001, 0.5, 250 },                                  /* 250.25 */
        { 500, 0.0, 0 },     { 1, 0.0, 0 }, { 10, 9.0, 45 }, /* complete graph */
    };

    for (size_t i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autoptr (GError) error = NULL;
        g_autoptr (FsimFriends) f =
            fsim_friends_generate ("erdos_renyi", cases[i].n, cases[i].degree, 1, &error);

        g_assert_no_error (error);
        g_assert_cmpuint (f->n_users, ==, cases[i].n);
        g_assert_cmpuint (f->n_edges, ==, cases[i].edges);
        fsim_fuzz_check_friends (f);
    }
}

static void
test_graph_generate_complete (void)
{
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimFriends) f = fsim_friends_generate ("erdos_renyi", 6, 5.0, 3, &error);

    g_assert_no_error (error);
    for (uint32_t u = 0; u < 6; u++) {
        uint32_t expected[5];
        size_t n = 0;
        for (uint32_t v = 0; v < 6; v++)
            if (v != u)
                expected[n++] = v;
        assert_row (f, u, expected, n);
    }
}

static void
test_graph_generate_too_dense (void)
{
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimFriends) f = fsim_friends_generate ("erdos_renyi", 10, 9.2, 1, &error);

    g_assert_null (f);
    g_assert_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "46 friendships"));
    g_assert_nonnull (strstr (error->message, "45 possible"));
}

static void
test_graph_generate_unknown_model (void)
{
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimFriends) f = fsim_friends_generate ("small_world", 10, 2.0, 1, &error);

    g_assert_null (f);
    g_assert_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "'small_world'"));
    g_assert_nonnull (strstr (error->message, "erdos_renyi"));
}

static void
test_graph_generate_invalid_degree (void)
{
    const double bad[] = { -1.0, NAN, INFINITY };

    for (size_t i = 0; i < G_N_ELEMENTS (bad); i++) {
        g_autoptr (GError) error = NULL;
        g_autoptr (FsimFriends) f = fsim_friends_generate ("erdos_renyi", 10, bad[i], 1, &error);

        g_assert_null (f);
        g_assert_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_INVALID);
    }
}

static void
test_graph_generate_too_many_users (void)
{
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimFriends) f = NULL;

    if (SIZE_MAX <= UINT32_MAX) {
        g_test_skip ("size_t is 32 bits");
        return;
    }
    f = fsim_friends_generate ("erdos_renyi", (size_t) UINT32_MAX + 1, 1.0, 1, &error);
    g_assert_null (f);
    g_assert_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_INVALID);
}

/* ---- /graph/modelgraph ------------------------------------------------------------------ */

enum { KIND_PARTNER = 3, KIND_SHARE = 5 };

static void
test_graph_modelgraph_basic (void)
{
    g_autoptr (FsimModelGraph) g = fsim_model_graph_new ();
    size_t a = fsim_model_graph_add_vertex (g, KIND_PARTNER, "a");
    size_t b = fsim_model_graph_add_vertex (g, 7, NULL);
    size_t e = fsim_model_graph_add_edge (g, b, a, KIND_SHARE);
    size_t from = 99, to = 99;

    g_assert_cmpuint (a, ==, 0);
    g_assert_cmpuint (b, ==, 1);
    g_assert_cmpuint (e, ==, 0);
    g_assert_cmpuint (fsim_model_graph_n_vertices (g), ==, 2);
    g_assert_cmpuint (fsim_model_graph_n_edges (g), ==, 1);
    g_assert_cmpint (fsim_model_graph_vertex_kind (g, a), ==, KIND_PARTNER);
    g_assert_cmpint (fsim_model_graph_vertex_kind (g, b), ==, 7);
    g_assert_cmpstr (fsim_model_graph_vertex_name (g, a), ==, "a");
    g_assert_null (fsim_model_graph_vertex_name (g, b));
    g_assert_cmpint (fsim_model_graph_edge_kind (g, e), ==, KIND_SHARE);
    fsim_model_graph_edge_ends (g, e, &from, &to);
    g_assert_cmpuint (from, ==, b);
    g_assert_cmpuint (to, ==, a);
}

static void
test_graph_modelgraph_bad_edge (void)
{
    g_autoptr (FsimModelGraph) g = fsim_model_graph_new ();
    size_t a = fsim_model_graph_add_vertex (g, 0, "a");

    g_test_expect_message ("flowsim", G_LOG_LEVEL_CRITICAL, "*assertion*failed*");
    g_assert_cmpuint (fsim_model_graph_add_edge (g, a, 5, 0), ==, SIZE_MAX);
    g_test_assert_expected_messages ();
    g_assert_cmpuint (fsim_model_graph_n_edges (g), ==, 0);
}

/* Builds a graph of @n vertices "v0".."v<n-1>" and @n_edges edges from @ends. */
static FsimModelGraph *
build_graph (size_t n, const size_t *ends, size_t n_edges)
{
    FsimModelGraph *g = fsim_model_graph_new ();

    for (size_t v = 0; v < n; v++) {
        g_autofree char *name = g_strdup_printf ("v%zu", v);
        fsim_model_graph_add_vertex (g, KIND_PARTNER, name);
    }
    for (size_t e = 0; e < n_edges; e++)
        fsim_model_graph_add_edge (g, ends[2 * e], ends[2 * e + 1], KIND_SHARE);
    return g;
}

static void
assert_reached (const FsimModelGraph *g, size_t source, const guint8 *enabled, const char *expected)
{
    size_t n = fsim_model_graph_n_vertices (g);
    g_autofree guint8 *reached = g_malloc (n);
    g_autoptr (GError) error = NULL;
    g_autoptr (GString) got = g_string_new (NULL);

    memset (reached, 0xAA, n);
    g_assert_true (fsim_model_graph_reachable (g, source, enabled, reached, &error));
    g_assert_no_error (error);
    for (size_t v = 0; v < n; v++) {
        g_assert_cmpuint (reached[v], <=, 1);
        g_string_append_c (got, reached[v] ? '1' : '0');
    }
    g_assert_cmpstr (got->str, ==, expected);
}

static void
test_graph_modelgraph_reach_chain (void)
{
    /* 0 -> 1 -> 2 -> 3, 4 -> 0 */
    const size_t ends[] = { 0, 1, 1, 2, 2, 3, 4, 0 };
    const guint8 all[] = { 1, 1, 1, 1 };
    g_autoptr (FsimModelGraph) g = build_graph (5, ends, 4);

    assert_reached (g, 0, all, "01110");
    assert_reached (g, 2, all, "00010");
    assert_reached (g, 3, all, "00000");
    assert_reached (g, 4, all, "11110");
}

static void
test_graph_modelgraph_reach_cycle (void)
{
    /* 0 -> 1 -> 2 -> 0, 2 -> 3 */
    const size_t ends[] = { 0, 1, 1, 2, 2, 0, 2, 3 };
    const guint8 all[] = { 1, 1, 1, 1 };
    const guint8 no_back[] = { 1, 1, 0, 1 };
    g_autoptr (FsimModelGraph) g = build_graph (4, ends, 4);

    assert_reached (g, 0, all, "1111");
    assert_reached (g, 3, all, "0000");
    assert_reached (g, 0, no_back, "0111");
    assert_reached (g, 1, no_back, "0011");
}

static void
test_graph_modelgraph_reach_self_loop (void)
{
    const size_t ends[] = { 0, 0, 1, 2 };
    const guint8 all[] = { 1, 1 };
    const guint8 none[] = { 0, 0 };
    g_autoptr (FsimModelGraph) g = build_graph (3, ends, 2);

    assert_reached (g, 0, all, "100");
    assert_reached (g, 0, none, "000");
    assert_reached (g, 1, all, "001");
}

static void
test_graph_modelgraph_reach_disabled (void)
{
    /* Two parallel 0 -> 1 edges (first disabled), 1 -> 2 disabled, 0 -> 3 disabled. */
    const size_t ends[] = { 0, 1, 0, 1, 1, 2, 0, 3 };
    const guint8 enabled[] = { 0, 1, 0, 0 };
    const guint8 only_first[] = { 1, 0, 1, 0 };
    g_autoptr (FsimModelGraph) g = build_graph (4, ends, 4);

    assert_reached (g, 0, enabled, "0100");
    assert_reached (g, 0, only_first, "0110");
}

static void
test_graph_modelgraph_reach_incremental (void)
{
    const size_t ends[] = { 0, 1 };
    g_autoptr (FsimModelGraph) g = build_graph (2, ends, 1);

    assert_reached (g, 0, (const guint8[]){ 1 }, "01");
    /* Grow after the first query: the lazy flush must pick up the new tail. */
    size_t c = fsim_model_graph_add_vertex (g, KIND_PARTNER, "c");
    fsim_model_graph_add_edge (g, 1, c, KIND_SHARE);
    fsim_model_graph_add_edge (g, c, 0, KIND_SHARE);
    assert_reached (g, 0, (const guint8[]){ 1, 1, 1 }, "111");
    assert_reached (g, 0, (const guint8[]){ 1, 1, 0 }, "011");
    assert_reached (g, c, (const guint8[]){ 1, 0, 1 }, "110");
}

static void
test_graph_modelgraph_reach_no_edges (void)
{
    g_autoptr (FsimModelGraph) g = build_graph (3, NULL, 0);

    assert_reached (g, 1, NULL, "000");
}

/* ---- /graph/errors ---------------------------------------------------------------------- */

#ifdef FSIM_TEST_HAVE_IGRAPH
static void
test_graph_errors_igraph_nomem (void)
{
    g_autoptr (GError) error = NULL;

    g_assert_false (fsim_i_graph_error_from_igraph (IGRAPH_ENOMEM, NULL, &error));
    g_assert_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_NOMEM);
    g_assert_nonnull (strstr (error->message, igraph_strerror (IGRAPH_ENOMEM)));
}

static void
test_graph_errors_igraph_codes (void)
{
    static const struct {
        igraph_error_t rc;
        FsimGraphError code;
    } cases[] = {
        { IGRAPH_EINVAL, FSIM_GRAPH_ERROR_INVALID },
        { IGRAPH_EINVVID, FSIM_GRAPH_ERROR_INVALID },
        { IGRAPH_FAILURE, FSIM_GRAPH_ERROR_FAILED },
        { IGRAPH_EINTERNAL, FSIM_GRAPH_ERROR_FAILED },
    };

    for (size_t i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autoptr (GError) error = NULL;

        g_assert_false (fsim_i_graph_error_from_igraph (cases[i].rc, NULL, &error));
        g_assert_error (error, FSIM_GRAPH_ERROR, (gint) cases[i].code);
        g_assert_nonnull (strstr (error->message, igraph_strerror (cases[i].rc)));
    }
    /* A NULL error is allowed. */
    g_assert_false (fsim_i_graph_error_from_igraph (IGRAPH_EINVAL, NULL, NULL));
}

/* After fsim_graph_init(), a failing igraph call returns its code instead of aborting, and
 * leaves nothing on the IGRAPH_FINALLY stack. */
static void
test_graph_errors_igraph_no_abort (void)
{
    igraph_t graph;
    igraph_error_t rc;
    g_autoptr (GError) error = NULL;

    fsim_graph_init ();
    fsim_graph_init (); /* idempotent */
    rc = igraph_erdos_renyi_game_gnm (&graph, 4, 7, IGRAPH_UNDIRECTED, IGRAPH_NO_LOOPS);
    g_assert_cmpint (rc, ==, IGRAPH_EINVAL);
    g_assert_cmpint (IGRAPH_FINALLY_STACK_SIZE (), ==, 0);
    fsim_i_graph_error_from_igraph (rc, NULL, &error);
    g_assert_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_INVALID);
}

/* A body that registers a vector with igraph and then fails an igraph assertion. */
static igraph_error_t
fatal_body (void *data)
{
    igraph_vector_int_t v;

    IGRAPH_VECTOR_INT_INIT_FINALLY (&v, 100);
    *(int *) data = 1;
    IGRAPH_ASSERT (igraph_vector_int_size (&v) == 0); /* fails: igraph_fatal() */
    igraph_vector_int_destroy (&v);
    IGRAPH_FINALLY_CLEAN (1);
    return IGRAPH_SUCCESS;
}

static igraph_error_t
ok_body (void *data)
{
    igraph_t graph;

    IGRAPH_CHECK (igraph_ring (&graph, 5, IGRAPH_UNDIRECTED, false, true));
    *(igraph_integer_t *) data = igraph_ecount (&graph);
    igraph_destroy (&graph);
    return IGRAPH_SUCCESS;
}

/* A destructor that frees its block, then fails an assertion (as igraph's GML reader's do on
 * objects an earlier failure broke). */
static int broken_destroyed;

static void
broken_destroy (void *data)
{
    g_free (*(char **) data);
    *(char **) data = NULL;
    broken_destroyed++;
    IGRAPH_ASSERT (broken_destroyed < 0); /* fails: igraph_fatal() */
}

/* An error (not an assertion) with a broken object on the stack: igraph's error handling frees
 * the stack and the broken destructor fails inside it. */
static igraph_error_t
broken_in_error_body (void *data)
{
    igraph_vector_int_t v;
    char *block = g_malloc (64);

    (void) data;
    IGRAPH_VECTOR_INT_INIT_FINALLY (&v, 100);
    IGRAPH_FINALLY (broken_destroy, &block);
    IGRAPH_ERROR ("A test error.", IGRAPH_EINVAL);
}

/* An assertion inside a level of the stack (as igraph_add_edges() and the readers open), with
 * entries below it and a broken one above. */
static igraph_error_t
levels_body (void *data)
{
    igraph_vector_int_t outer, inner;
    char *block = g_malloc (64);

    (void) data;
    IGRAPH_VECTOR_INT_INIT_FINALLY (&outer, 100);
    IGRAPH_FINALLY_ENTER ();
    IGRAPH_VECTOR_INT_INIT_FINALLY (&inner, 100);
    IGRAPH_FINALLY (broken_destroy, &block);
    IGRAPH_ASSERT (igraph_vector_int_size (&inner) == 0); /* fails */
    return IGRAPH_SUCCESS;
}

/* Exits the outermost level: a fatal error if (and only if) the level count is back at 0. */
static igraph_error_t
exit_level_body (void *data)
{
    (void) data;
    IGRAPH_FINALLY_EXIT ();
    return IGRAPH_SUCCESS;
}

/* Every object on igraph's stack is freed exactly once after an assertion, whether it fails in
 * flowsim's freeing or in igraph's own error handling, on any level; the level count is reset.
 * ASan and valgrind (CI) see the leaks and double frees this would otherwise cause. */
static void
test_graph_errors_igraph_fatal_cleanup (void)
{
    char reason[FSIM_I_GRAPH_REASON_SIZE] = "";
    static const struct {
        FsimIgraphBody body;
        const char *first; /* the first assertion that failed */
    } cases[] = {
        { broken_in_error_body, "Assertion failed: broken_destroyed < 0" },
        { levels_body, "Assertion failed: igraph_vector_int_size (&inner) == 0" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS (cases); i++) {
        broken_destroyed = 0;
        g_assert_cmpint (fsim_i_graph_call (cases[i].body, NULL, reason), ==, IGRAPH_EINTERNAL);
        g_assert_cmpint (broken_destroyed, ==, 1);
        g_assert_cmpint (IGRAPH_FINALLY_STACK_SIZE (), ==, 0);
        g_test_message ("%s", reason);
        g_assert_nonnull (strstr (reason, cases[i].first));
        /* the level is 0 again: exiting it is igraph's "outermost level" error */
        g_assert_cmpint (fsim_i_graph_call (exit_level_body, NULL, reason), ==, IGRAPH_EINTERNAL);
        g_assert_nonnull (strstr (reason, "outermost"));
        g_assert_cmpint (IGRAPH_FINALLY_STACK_SIZE (), ==, 0);
    }
}

/* An igraph assertion inside fsim_i_graph_call() becomes IGRAPH_EINTERNAL with igraph's reason,
 * not an abort; igraph's FINALLY stack is freed (the vector: ASan and valgrind see no leak), and
 * the next call works. */
static void
test_graph_errors_igraph_fatal (void)
{
    char reason[FSIM_I_GRAPH_REASON_SIZE] = "";
    int reached = 0;
    g_autoptr (GError) error = NULL;

    igraph_error_t rc = fsim_i_graph_call (fatal_body, &reached, reason);
    g_assert_cmpint (rc, ==, IGRAPH_EINTERNAL);
    g_assert_cmpint (reached, ==, 1);
    g_assert_nonnull (strstr (reason, "Assertion failed"));
    g_assert_nonnull (strstr (reason, "igraph's"));
    g_assert_cmpint (IGRAPH_FINALLY_STACK_SIZE (), ==, 0);
    fsim_i_graph_error_from_igraph (rc, reason, &error);
    g_assert_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_FAILED);
    g_assert_nonnull (strstr (error->message, reason));

    igraph_integer_t edges = 0;
    g_assert_cmpint (fsim_i_graph_call (ok_body, &edges, NULL), ==, IGRAPH_SUCCESS);
    g_assert_cmpint (edges, ==, 5);
}

static void
test_graph_errors_finally_stack_empty (void)
{
    g_assert_cmpint (IGRAPH_FINALLY_STACK_SIZE (), ==, 0);
}
#else
static void
skip_no_igraph (void)
{
    g_test_skip ("igraph headers are not on this test's include path (needs igraph_dep)");
}
#define test_graph_errors_igraph_nomem skip_no_igraph
#define test_graph_errors_igraph_fatal skip_no_igraph
#define test_graph_errors_igraph_fatal_cleanup skip_no_igraph
#define test_graph_errors_igraph_codes skip_no_igraph
#define test_graph_errors_igraph_no_abort skip_no_igraph
#define test_graph_errors_finally_stack_empty skip_no_igraph
#endif

/* The sizes in those messages read right at every magnitude: "0.0 GiB" said nothing of one
 * byte or of a few KiB (third pass, 6 December 2026). */
static void
test_graph_memory_size_text (void)
{
    static const struct {
        double bytes;
        const char *text;
    } cases[] = {
        { 0, "0 bytes" },
        { 1, "1 byte" },
        { 1023, "1023 bytes" },
        { 1024, "1.0 KiB" },
        { 1536, "1.5 KiB" },
        { 1048575, "1.0 MiB" }, /* not "1024.0 KiB" */
        { 64 << 20, "64.0 MiB" },
        { 268731392, "256.3 MiB" },
        { 1200.0 * (1 << 20) / 3, "400.0 MiB" },
        { 5153960755.2, "4.8 GiB" },
        { 3.0 * (1 << 30) * 1024, "3.0 TiB" },
        { (double) G_MAXUINT64, "16.0 EiB" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autofree char *text = fsim_memory_size_text (cases[i].bytes);
        g_assert_cmpstr (text, ==, cases[i].text);
    }
}

/* The messages that refuse work by fsim_memory_limit() name the limit that binds: the machine,
 * the caller's cap by its name, and under mpirun (a share of the machine) the rank's part, with
 * the processes that share it. */
static void
test_graph_memory_whose (void)
{
    g_autofree char *machine = NULL, *alone = NULL, *shared = NULL, *again = NULL;
    guint64 whole = 0, part = 0;

    machine = fsim_memory_whose ();
    fsim_memory_set_limit (1 << 20, "the test's cap");
    alone = fsim_memory_whose ();
    whole = fsim_memory_limit ();
    fsim_memory_set_share (3);
    shared = fsim_memory_whose ();
    part = fsim_memory_limit ();
    fsim_memory_set_share (1);
    fsim_memory_set_limit (0, NULL);
    again = fsim_memory_whose ();
    /* without a cap: the machine, its cgroup, or an address-space limit the tests run under */
    g_assert_true (g_strv_contains ((const char *const[]){ "this machine can give",
                                                           "this machine's cgroup memory limit "
                                                           "allows",
                                                           "the address-space limit (ulimit -v) "
                                                           "allows",
                                                           NULL },
                                    machine));
    g_assert_cmpstr (again, ==, machine);
    g_assert_cmpstr (alone, ==, "the test's cap allows");
    g_assert_cmpstr (shared, ==,
                     "this process's share of the test's cap (1 of the 3 processes on this "
                     "machine) allows");
    g_assert_cmpuint (whole, ==, 1 << 20);
    g_assert_cmpuint (part, ==, (1 << 20) / 3);
}

/* Issue 11, seventh pass: under `ulimit -v` the refusals said "more than this machine can give
 * (N)" though N was the address-space limit. It binds when it is the smallest limit, also below
 * a larger cap, and a smaller cap binds below it. */
static void
test_graph_memory_whose_capped (void)
{
    if (!fsim_test_capped_child ())
        return;
    if (!fsim_test_address_space_cap ((guint64) 64 << 20))
        return;
    g_autofree char *capped = fsim_memory_whose ();
    guint64 limit = fsim_memory_limit ();
    fsim_memory_set_limit (limit * 2, "FLOWSIM_MEMORY_LIMIT");
    g_autofree char *larger = fsim_memory_whose ();
    fsim_memory_set_limit (limit / 2, "FLOWSIM_MEMORY_LIMIT");
    g_autofree char *smaller = fsim_memory_whose ();
    fsim_memory_set_limit (0, NULL);
    fsim_test_address_space_uncap ();
    g_assert_cmpstr (capped, ==, "the address-space limit (ulimit -v) allows");
    g_assert_cmpstr (larger, ==, "the address-space limit (ulimit -v) allows");
    g_assert_cmpstr (smaller, ==, "FLOWSIM_MEMORY_LIMIT allows");
}

int
main (int argc, char *argv[])
{
    g_test_init (&argc, &argv, NULL);
    fsim_graph_init ();

    g_test_add_func ("/graph/friends/basic", test_graph_friends_basic);
    g_test_add_func ("/graph/memory/whose", test_graph_memory_whose);
    g_test_add_func ("/graph/memory/whose-capped", test_graph_memory_whose_capped);
    g_test_add_func ("/graph/memory/size-text", test_graph_memory_size_text);
    g_test_add_func ("/graph/friends/dedupe", test_graph_friends_dedupe);
    g_test_add_func ("/graph/friends/self-loops", test_graph_friends_self_loops);
    g_test_add_func ("/graph/friends/empty", test_graph_friends_empty);
    g_test_add_func ("/graph/friends/invalid/out-of-range",
                     test_graph_friends_invalid_out_of_range);
    g_test_add_func ("/graph/friends/invalid/too-many-users",
                     test_graph_friends_invalid_too_many_users);
    g_test_add_func ("/graph/friends/random-reference", test_graph_friends_random_reference);

    g_test_add_func ("/graph/generate/deterministic", test_graph_generate_deterministic);
    g_test_add_func ("/graph/generate/edge-count", test_graph_generate_edge_count);
    g_test_add_func ("/graph/generate/complete", test_graph_generate_complete);
    g_test_add_func ("/graph/generate/too-dense", test_graph_generate_too_dense);
    g_test_add_func ("/graph/generate/unknown-model", test_graph_generate_unknown_model);
    g_test_add_func ("/graph/generate/invalid-degree", test_graph_generate_invalid_degree);
    g_test_add_func ("/graph/generate/too-many-users", test_graph_generate_too_many_users);

    g_test_add_func ("/graph/modelgraph/basic", test_graph_modelgraph_basic);
    g_test_add_func ("/graph/modelgraph/bad-edge", test_graph_modelgraph_bad_edge);
    g_test_add_func ("/graph/modelgraph/reach/chain", test_graph_modelgraph_reach_chain);
    g_test_add_func ("/graph/modelgraph/reach/cycle", test_graph_modelgraph_reach_cycle);
    g_test_add_func ("/graph/modelgraph/reach/self-loop", test_graph_modelgraph_reach_self_loop);
    g_test_add_func ("/graph/modelgraph/reach/disabled", test_graph_modelgraph_reach_disabled);
    g_test_add_func ("/graph/modelgraph/reach/incremental",
                     test_graph_modelgraph_reach_incremental);
    g_test_add_func ("/graph/modelgraph/reach/no-edges", test_graph_modelgraph_reach_no_edges);

    g_test_add_func ("/graph/errors/igraph-nomem", test_graph_errors_igraph_nomem);
    g_test_add_func ("/graph/errors/igraph-codes", test_graph_errors_igraph_codes);
    g_test_add_func ("/graph/errors/igraph-no-abort", test_graph_errors_igraph_no_abort);
    g_test_add_func ("/graph/errors/igraph-fatal", test_graph_errors_igraph_fatal);
    g_test_add_func ("/graph/errors/igraph-fatal-cleanup", test_graph_errors_igraph_fatal_cleanup);
    /* Last: every graph/ call above must have balanced its IGRAPH_FINALLY pushes. */
    g_test_add_func ("/graph/errors/finally-stack-empty", test_graph_errors_finally_stack_empty);

    return g_test_run ();
}
