/* SPDX-License-Identifier: MIT */
/* test-population.c: explicit and generated populations (friends, settings, shares, seeds). */
#include <string.h>

#include <glib.h>

#include "bits.h"
#include "friends.h"
#include "population.h"
#include "scenario.h"

/* ---- hand-built scenarios (no loader) --------------------------------------------------- */

/* g_memdup2() needs GLib 2.68; the build accepts 2.66. */
static gpointer
dup_bytes (gconstpointer data, size_t size)
{
    return memcpy (g_malloc (size), data, size);
}

static FsimScenario *
scenario_new (size_t n_fields, size_t n_partners, guint64 seed)
{
    FsimScenario *s = g_new0 (FsimScenario, 1);

    s->seed = seed;
    s->n_fields = n_fields;
    s->field_words = FSIM_BITS_WORDS (n_fields);
    s->fields = g_new0 (FsimField, n_fields);
    for (size_t f = 0; f < n_fields; f++)
        s->fields[f].id = g_strdup_printf ("f%zu", f);
    s->n_partners = n_partners;
    s->partner_words = FSIM_BITS_WORDS (n_partners);
    s->partners = g_new0 (FsimPartner, n_partners);
    for (size_t p = 0; p < n_partners; p++)
        s->partners[p].id = g_strdup_printf ("p%zu", p);
    return s;
}

enum { N_FIELDS = 3, N_PARTNERS = 4 };

/*
 * alice: friends bob, carol; uses p1
 * bob:   friends alice (again), platform off
 * carol: friends herself, audience of f1 only_me, apps_others without f2, uses p0 and p3
 * dave:  no settings arrays at all (defaults: every field, friends audience, no partners)
 */
static FsimScenario *
explicit_scenario_new (void)
{
    FsimScenario *s = scenario_new (N_FIELDS, N_PARTNERS, 1);
    FsimPopulationSpec *ps = &s->population;
    static const char *const ids[] = { "alice", "bob", "carol", "dave" };
    static const size_t friends[][2] = { { 1, 2 }, { 0, 0 }, { 2, 0 }, { 0, 0 } };
    static const size_t n_friends[] = { 2, 1, 1, 0 };

    ps->kind = FSIM_POPULATION_EXPLICIT;
    ps->n_users = 4;
    ps->users = g_new0 (FsimUserSpec, 4);
    for (size_t u = 0; u < 4; u++) {
        FsimUserSpec *us = &ps->users[u];

        us->id = g_strdup (ids[u]);
        us->n_friends = n_friends[u];
        us->friends = dup_bytes (friends[u], sizeof friends[u]);
        if (u == 3)
            continue;
        us->uses = fsim_bits_new (s->partner_words);
        us->settings.platform = TRUE;
        us->settings.apps_others = fsim_bits_new (s->field_words);
        for (size_t f = 0; f < N_FIELDS; f++)
            fsim_bits_set (us->settings.apps_others, f);
        us->settings.audience = g_malloc (N_FIELDS);
        memset (us->settings.audience, FSIM_AUDIENCE_FRIENDS, N_FIELDS);
    }
    fsim_bits_set (ps->users[0].uses, 1);
    ps->users[1].settings.platform = FALSE;
    ps->users[2].settings.audience[1] = FSIM_AUDIENCE_ONLY_ME;
    fsim_bits_clear_bit (ps->users[2].settings.apps_others, 2);
    fsim_bits_set (ps->users[2].uses, 0);
    fsim_bits_set (ps->users[2].uses, 3);
    return s;
}

static void
assert_friends (const FsimPopulation *pop, size_t u, const size_t *expected, size_t n)
{
    const FsimFriends *f = pop->friends;

    g_assert_cmpuint (f->offsets[u + 1] - f->offsets[u], ==, n);
    for (size_t i = 0; i < n; i++)
        g_assert_cmpuint (f->adj[f->offsets[u] + i], ==, expected[i]);
}

static void
test_population_explicit_basic (void)
{
    g_autoptr (FsimScenario) s = explicit_scenario_new ();
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimPopulation) pop = fsim_population_build (s, &error);

    g_assert_no_error (error);
    g_assert_nonnull (pop);
    g_assert_cmpuint (pop->n_users, ==, 4);
    g_assert_cmpuint (pop->n_fields, ==, N_FIELDS);
    g_assert_cmpuint (pop->n_partners, ==, N_PARTNERS);

    /* Symmetric, without the self-friendship and the repeat. */
    g_assert_cmpuint (pop->friends->n_edges, ==, 2);
    assert_friends (pop, 0, (const size_t[]){ 1, 2 }, 2);
    assert_friends (pop, 1, (const size_t[]){ 0 }, 1);
    assert_friends (pop, 2, (const size_t[]){ 0 }, 1);
    assert_friends (pop, 3, NULL, 0);

    g_assert_cmpuint (pop->platform[0], ==, 1);
    g_assert_cmpuint (pop->platform[1], ==, 0);
    g_assert_cmpuint (pop->platform[2], ==, 1);
    g_assert_cmpuint (pop->platform[3], ==, 0); /* dave's spec says FALSE (zeroed) */

    g_assert_cmphex (pop->apps_others[0 * pop->field_words], ==, 0x7);
    g_assert_cmphex (pop->apps_others[2 * pop->field_words], ==, 0x3);
    g_assert_cmphex (pop->apps_others[3 * pop->field_words], ==, 0x7);

    g_assert_cmpuint (pop->audience[2 * N_FIELDS + 0], ==, FSIM_AUDIENCE_FRIENDS);
    g_assert_cmpuint (pop->audience[2 * N_FIELDS + 1], ==, FSIM_AUDIENCE_ONLY_ME);
    for (size_t f = 0; f < N_FIELDS; f++)
        g_assert_cmpuint (pop->audience[3 * N_FIELDS + f], ==, FSIM_AUDIENCE_FRIENDS);

    g_assert_cmphex (pop->uses[0 * pop->partner_words], ==, 0x2);
    g_assert_cmphex (pop->uses[1 * pop->partner_words], ==, 0x0);
    g_assert_cmphex (pop->uses[2 * pop->partner_words], ==, 0x9);
    g_assert_cmphex (pop->uses[3 * pop->partner_words], ==, 0x0);
}

static void
test_population_explicit_user_name (void)
{
    g_autoptr (FsimScenario) s = explicit_scenario_new ();
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimPopulation) pop = fsim_population_build (s, &error);
    g_autofree char *carol = NULL;

    g_assert_no_error (error);
    carol = fsim_population_user_name (pop, 2);
    g_assert_cmpstr (carol, ==, "carol");
    g_assert_nonnull (pop->user_ids);
    g_assert_cmpstr (pop->user_ids[3], ==, "dave");
    g_assert_null (pop->user_ids[4]);
}

static void
test_population_explicit_bad_friend (void)
{
    g_autoptr (FsimScenario) s = explicit_scenario_new ();
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimPopulation) pop = NULL;

    s->population.users[1].friends[0] = 9;
    pop = fsim_population_build (s, &error);
    g_assert_null (pop);
    g_assert_error (error, FSIM_POPULATION_ERROR, FSIM_POPULATION_ERROR_FAILED);
    g_assert_nonnull (strstr (error->message, "friend 9"));
}

/* ---- generated ------------------------------------------------------------------------- */

enum { GEN_USERS = 20000, GEN_FIELDS = 3, GEN_PARTNERS = 4 };

static const double gen_mix[GEN_FIELDS][FSIM_N_AUDIENCES] = {
    { 0.10, 0.50, 0.15, 0.25 }, /* only_me, friends, friends_of_friends, public */
    { 0.00, 1.00, 0.00, 0.00 },
    { 0.40, 0.00, 0.00, 0.60 },
};
static const double gen_adoption[GEN_PARTNERS] = { 0.05, 0.5, 0.0, 1.0 };

static FsimScenario *
generated_scenario_new (guint64 seed)
{
    FsimScenario *s = scenario_new (GEN_FIELDS, GEN_PARTNERS, seed);
    FsimPopulationSpec *ps = &s->population;

    ps->kind = FSIM_POPULATION_GENERATED;
    ps->generator = g_strdup ("erdos_renyi");
    ps->gen_users = GEN_USERS;
    ps->mean_degree = 10.0;
    ps->platform_off = 0.1;
    ps->apps_others_restricted = 0.25;
    ps->restricted_fields = fsim_bits_new (s->field_words);
    fsim_bits_set (ps->restricted_fields, 1);
    ps->audience_mix = dup_bytes (gen_mix, sizeof gen_mix);
    ps->adoption = dup_bytes (gen_adoption, sizeof gen_adoption);
    return s;
}

static FsimPopulation *
build_ok (const FsimScenario *s)
{
    g_autoptr (GError) error = NULL;
    FsimPopulation *pop = fsim_population_build (s, &error);

    g_assert_no_error (error);
    g_assert_nonnull (pop);
    return pop;
}

static void
assert_share (size_t count, size_t total, double expected)
{
    double share = (double) count / (double) total;

    /* 0.015 is more than 4 standard deviations of a share near 0.5 at 20,000 users. */
    g_assert_cmpfloat_with_epsilon (share, expected, 0.015);
}

static void
test_population_generated_shares (void)
{
    g_autoptr (FsimScenario) s = generated_scenario_new (2015);
    g_autoptr (FsimPopulation) pop = build_ok (s);
    size_t off = 0, restricted = 0;
    size_t audience[GEN_FIELDS][FSIM_N_AUDIENCES] = { { 0 } };
    size_t uses[GEN_PARTNERS] = { 0 };

    g_assert_cmpuint (pop->n_users, ==, GEN_USERS);
    g_assert_null (pop->user_ids);
    g_assert_cmpuint (pop->friends->n_users, ==, GEN_USERS);
    g_assert_cmpuint (pop->friends->n_edges, ==, GEN_USERS * 10 / 2);
    for (size_t u = 0; u < GEN_USERS; u++) {
        FsimWord ao = pop->apps_others[u * pop->field_words];

        off += pop->platform[u] == 0;
        /* Either every field, or every field but the restricted one. */
        g_assert_true (ao == 0x7 || ao == 0x5);
        restricted += ao == 0x5;
        for (size_t f = 0; f < GEN_FIELDS; f++)
            audience[f][pop->audience[u * GEN_FIELDS + f]]++;
        for (size_t p = 0; p < GEN_PARTNERS; p++)
            uses[p] += (size_t) fsim_bits_get (pop->uses + u * pop->partner_words, p);
    }
    assert_share (off, GEN_USERS, 0.1);
    assert_share (restricted, GEN_USERS, 0.25);
    for (size_t f = 0; f < GEN_FIELDS; f++)
        for (size_t a = 0; a < FSIM_N_AUDIENCES; a++)
            assert_share (audience[f][a], GEN_USERS, gen_mix[f][a]);
    /* Shares of exactly 0 and 1 are exact. */
    g_assert_cmpuint (audience[1][FSIM_AUDIENCE_FRIENDS], ==, GEN_USERS);
    g_assert_cmpuint (audience[2][FSIM_AUDIENCE_FRIENDS], ==, 0);
    for (size_t p = 0; p < GEN_PARTNERS; p++)
        assert_share (uses[p], GEN_USERS, gen_adoption[p]);
    g_assert_cmpuint (uses[2], ==, 0);
    g_assert_cmpuint (uses[3], ==, GEN_USERS);
}

static gboolean
populations_equal (const FsimPopulation *a, const FsimPopulation *b)
{
    size_t n = a->n_users;

    return n == b->n_users && a->friends->n_edges == b->friends->n_edges &&
           memcmp (a->friends->offsets, b->friends->offsets, (n + 1) * sizeof (size_t)) == 0 &&
           memcmp (a->friends->adj, b->friends->adj, 2 * a->friends->n_edges * sizeof (uint32_t)) ==
               0 &&
           memcmp (a->platform, b->platform, n) == 0 &&
           memcmp (a->apps_others, b->apps_others, n * a->field_words * sizeof (FsimWord)) == 0 &&
           memcmp (a->audience, b->audience, n * a->n_fields) == 0 &&
           memcmp (a->uses, b->uses, n * a->partner_words * sizeof (FsimWord)) == 0;
}

static void
test_population_generated_deterministic (void)
{
    g_autoptr (FsimScenario) s1 = generated_scenario_new (42);
    g_autoptr (FsimScenario) s2 = generated_scenario_new (42);
    g_autoptr (FsimScenario) s3 = generated_scenario_new (43);
    g_autoptr (FsimPopulation) a = build_ok (s1);
    g_autoptr (FsimPopulation) b = build_ok (s2);
    g_autoptr (FsimPopulation) c = build_ok (s3);

    g_assert_true (populations_equal (a, b));
    g_assert_false (populations_equal (a, c));
    /* Every part differs, not just one of them. */
    g_assert_cmpint (
        memcmp (a->friends->adj, c->friends->adj, 2 * a->friends->n_edges * sizeof (uint32_t)), !=,
        0);
    g_assert_cmpint (memcmp (a->platform, c->platform, a->n_users), !=, 0);
    g_assert_cmpint (memcmp (a->audience, c->audience, a->n_users * a->n_fields), !=, 0);
    g_assert_cmpint (memcmp (a->uses, c->uses, a->n_users * a->partner_words * sizeof (FsimWord)),
                     !=, 0);
}

/* Every user takes the same number of draws whatever the shares, so changing one partner's
 * adoption changes that partner's users and nothing else. */
static void
test_population_generated_stable_draws (void)
{
    g_autoptr (FsimScenario) s1 = generated_scenario_new (7);
    g_autoptr (FsimScenario) s2 = generated_scenario_new (7);
    size_t changed = 0;

    s2->population.adoption[1] = 0.9;
    g_autoptr (FsimPopulation) a = build_ok (s1);
    g_autoptr (FsimPopulation) b = build_ok (s2);
    g_assert_cmpint (memcmp (a->platform, b->platform, a->n_users), ==, 0);
    g_assert_cmpint (memcmp (a->audience, b->audience, a->n_users * a->n_fields), ==, 0);
    for (size_t u = 0; u < a->n_users; u++) {
        FsimWord x = a->uses[u * a->partner_words] ^ b->uses[u * b->partner_words];

        g_assert_cmphex (x & ~(FsimWord) 0x2, ==, 0);
        changed += x != 0;
    }
    assert_share (changed, a->n_users, 0.4);
}

/* No mix, no adoption, no restricted fields: friends audience, no partners, and restricted
 * users untick every field. */
static void
test_population_generated_defaults (void)
{
    g_autoptr (FsimScenario) s = generated_scenario_new (3);
    FsimPopulationSpec *ps = &s->population;

    g_clear_pointer (&ps->audience_mix, g_free);
    g_clear_pointer (&ps->adoption, g_free);
    g_clear_pointer (&ps->restricted_fields, g_free);
    ps->gen_users = 500;
    ps->apps_others_restricted = 1.0;
    ps->platform_off = 0.0;

    g_autoptr (FsimPopulation) pop = build_ok (s);
    for (size_t u = 0; u < pop->n_users; u++) {
        g_assert_cmpuint (pop->platform[u], ==, 1);
        g_assert_cmphex (pop->apps_others[u * pop->field_words], ==, 0);
        g_assert_cmphex (pop->uses[u * pop->partner_words], ==, 0);
        for (size_t f = 0; f < pop->n_fields; f++)
            g_assert_cmpuint (pop->audience[u * pop->n_fields + f], ==, FSIM_AUDIENCE_FRIENDS);
    }
}

static void
test_population_generated_user_name (void)
{
    g_autoptr (FsimScenario) s = generated_scenario_new (1);
    s->population.gen_users = 20;

    g_autoptr (FsimPopulation) pop = build_ok (s);
    g_autofree char *name = fsim_population_user_name (pop, 17);
    g_assert_cmpstr (name, ==, "u17");
}

static void
test_population_generated_too_large (void)
{
    static const struct {
        size_t users;
        double degree;
    } cases[] = {
        { 4000000000u, 10.0 },     /* 4e9 users * 27 bytes of settings */
        { (size_t) 1 << 33, 1.0 }, /* more users than 32-bit ids */
        { 1000000, 100000.0 },     /* 1e11 friendship arcs */
    };

    for (size_t i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autoptr (FsimScenario) s = generated_scenario_new (1);
        g_autoptr (GError) error = NULL;
        g_autoptr (FsimPopulation) pop = NULL;

        s->population.gen_users = cases[i].users;
        s->population.mean_degree = cases[i].degree;
        pop = fsim_population_build (s, &error);
        g_assert_null (pop);
        g_assert_error (error, FSIM_POPULATION_ERROR, FSIM_POPULATION_ERROR_TOO_LARGE);
    }
}

static void
test_population_generated_unknown_generator (void)
{
    g_autoptr (FsimScenario) s = generated_scenario_new (1);
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimPopulation) pop = NULL;

    g_free (s->population.generator);
    s->population.generator = g_strdup ("small_world");
    pop = fsim_population_build (s, &error);
    g_assert_null (pop);
    g_assert_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_INVALID);
    g_assert_true (g_str_has_prefix (error->message, "generating friendships: "));
    g_assert_nonnull (strstr (error->message, "erdos_renyi"));
}

int
main (int argc, char *argv[])
{
    g_test_init (&argc, &argv, NULL);
    fsim_graph_init ();

    g_test_add_func ("/population/explicit/basic", test_population_explicit_basic);
    g_test_add_func ("/population/explicit/user-name", test_population_explicit_user_name);
    g_test_add_func ("/population/explicit/bad-friend", test_population_explicit_bad_friend);
    g_test_add_func ("/population/generated/shares", test_population_generated_shares);
    g_test_add_func ("/population/generated/deterministic",
                     test_population_generated_deterministic);
    g_test_add_func ("/population/generated/stable-draws", test_population_generated_stable_draws);
    g_test_add_func ("/population/generated/defaults", test_population_generated_defaults);
    g_test_add_func ("/population/generated/user-name", test_population_generated_user_name);
    g_test_add_func ("/population/generated/too-large", test_population_generated_too_large);
    g_test_add_func ("/population/generated/unknown-generator",
                     test_population_generated_unknown_generator);

    return g_test_run ();
}
