/* SPDX-License-Identifier: MIT */
/* test-scale.c: large populations: the model keys, clustered adoption, import, the lane engine. */
#include "config.h"

#include <math.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "engine.h"
#include "loader.h"
#include "parallel.h"
#include "policy.h"
#include "population-report.h"
#include "population.h"
#include "progress.h"
#include "random-scenario.h"
#include "reference.h"
#include "room.h"
#include "test-util.h"

/*
 * The engine works on blocks of 4096 users and groups of 64 (engine-trace.c), so the
 * differential tests use populations that cross both boundaries (4305 = 4096 + 3 * 64 + 17),
 * models with more than 64 partners, facebook_like friendships and clustered adoption, and
 * check every count against the reference engine (tests/reference.c).
 */

typedef struct {
    FsimScenario *s;
    FsimPopulation *pop;
    FsimDecisions *d;
    FsimResult *r;
} Run;

/* The default workers of the parallel for, as FLOWSIM_THREADS sets them for the program. */
static void
set_threads (const char *n)
{
    fsim_parallel_set_default_workers ((unsigned) g_ascii_strtoull (n, NULL, 10));
}

static void
run_clear (Run *run)
{
    fsim_result_free (run->r);
    fsim_decisions_free (run->d);
    fsim_population_free (run->pop);
    fsim_scenario_free (run->s);
    memset (run, 0, sizeof *run);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static FsimPopulation *
build (const FsimScenario *s)
{
    g_autoptr (GError) error = NULL;
    FsimPopulation *pop = fsim_population_build (s, &error);

    g_assert_no_error (error);
    return pop;
}

/* Builds and traces @s (taken), and checks the counts against the reference engine. */
static void
run_checked (Run *run, FsimScenario *s)
{
    g_autoptr (GError) error = NULL;

    run->s = s;
    run->pop = build (s);
    run->d = fsim_decisions_new (s, s->date);
    run->r = fsim_engine_run (s, run->pop, run->d, &error);
    g_assert_no_error (error);
    g_autoptr (FsimResult) ref = fsim_reference_run (s, run->pop, run->d);
    fsim_reference_assert_equal (s, run->r, ref);
    /* the per-user rows the reference does not count: bounded by the per-partner ones */
    for (size_t p = 0; p < s->n_partners; p++)
        g_assert_cmpuint (run->r->users_reached, >=, run->r->partner_reached[p]);
    g_assert_cmpuint (run->r->users_reached, >=, run->r->users_reached_no_consent);
    g_assert_cmpuint (run->r->users_reached, <=, run->r->n_users);
}

static void
run_random (Run *run, guint32 seed, const char *const *sets)
{
    g_autoptr (GError) error = NULL;
    g_autofree char *text = fsim_random_scenario (seed, TRUE);
    g_autofree char *name = g_strdup_printf ("random-%u.json", seed);
    FsimScenario *s = fsim_loader_load_string (name, text, sets, &error);

    g_assert_no_error (error);
    run_checked (run, s);
}

/* ---- the engine against the reference ----------------------------------------------------- */

static void
test_scale_engine_facebook_like (void)
{
    const char *sets[] = { "population.generator=facebook_like", "population.users=4305",
                           "population.mean_degree=6", NULL };

    for (guint32 seed = 1; seed < 6; seed++) {
        g_auto (Run) run = { 0 };
        run_random (&run, seed, sets);
        g_assert_cmpuint (run.r->n_users, ==, 4305);
    }
}

static void
test_scale_engine_clustered (void)
{
    const char *fb[] = { "population.generator=facebook_like", "population.users=4305",
                         "population.mean_degree=6", "population.adoption_model=clustered", NULL };
    const char *er[] = { "population.users=4305", "population.adoption_model=clustered", NULL };

    for (guint32 seed = 10; seed < 14; seed++) {
        g_auto (Run) a = { 0 };
        g_auto (Run) b = { 0 };
        run_random (&a, seed, fb);
        run_random (&b, seed, er);
    }
}

/* 130 partners (three words per partner set), a generated population. */
static void
test_scale_engine_many_partners (void)
{
    g_autofree char *path = fsim_test_data_path ("engine", "many-partners.json", NULL);
    const char *sets[] = { "population={\"generator\": \"facebook_like\", \"users\": 1000, "
                           "\"mean_degree\": 8, \"adoption\": {\"*\": 0.02}, \"settings\": "
                           "{\"platform_off\": 0.2, \"audience\": {\"*\": {\"friends\": 0.5, "
                           "\"only_me\": 0.5}}}}",
                           NULL };
    g_auto (Run) run = { 0 };

    run_checked (&run, fsim_test_load (path, sets));
    g_assert_cmpuint (run.s->partner_words, ==, 3);
    g_assert_cmpuint (run.r->fp_users[129], >, 0); /* downstream of p064 */
}

/* The benchmark's model: 30 fields, 60 partners, every channel. */
static void
test_scale_engine_bench_scenario (void)
{
    g_autofree char *path = fsim_test_source_path ("bench", "scenario.json", NULL);
    const char *sets[] = { "population.users=1500", "population.mean_degree=20", NULL };
    g_auto (Run) run = { 0 };
    size_t channels[FSIM_N_CHANNELS] = { 0 };

    run_checked (&run, fsim_test_load (path, sets));
    for (size_t i = 0; i < run.s->n_fields * run.s->n_partners; i++)
        for (size_t c = 0; c < FSIM_N_CHANNELS; c++)
            channels[c] += run.r->fp_channel[c][i];
    for (size_t c = 0; c < FSIM_N_CHANNELS; c++)
        g_assert_cmpuint (channels[c], >, 0);
}

static void
test_scale_engine_imported (void)
{
    g_autofree char *path = fsim_test_data_path ("scale", "import-graphml.json", NULL);
    g_auto (Run) run = { 0 };

    run_checked (&run, fsim_test_load (path, NULL));
    g_assert_cmpuint (run.r->n_users, ==, 6);
    g_assert_cmpuint (run.r->n_friendships, ==, 5);
}

static FsimResult *
run_threads (const Run *run, const char *threads)
{
    g_autoptr (GError) error = NULL;
    FsimResult *r;

    set_threads (threads);
    r = fsim_engine_run (run->s, run->pop, run->d, &error);
    fsim_parallel_set_default_workers (0);
    g_assert_no_error (error);
    return r;
}

/* Many blocks: the same counts whatever the number of threads. */
static void
test_scale_engine_threads (void)
{
    g_autofree char *path = fsim_test_source_path ("bench", "scenario.json", NULL);
    const char *sets[] = { "population.users=30000", "population.mean_degree=10", NULL };
    g_auto (Run) run = { 0 };

    run.s = fsim_test_load (path, sets);
    run.pop = build (run.s);
    run.d = fsim_decisions_new (run.s, run.s->date);
    g_autoptr (FsimResult) one = run_threads (&run, "1");
    const char *counts[] = { "2", "3", "8" };
    for (size_t i = 0; i < G_N_ELEMENTS (counts); i++) {
        g_autoptr (FsimResult) other = run_threads (&run, counts[i]);
        fsim_reference_assert_equal (run.s, one, other);
        g_assert_cmpuint (one->users_reached, ==, other->users_reached);
        for (size_t k = 0; k < one->n_kinds; k++)
            g_assert_cmpuint (one->kind_users[k], ==, other->kind_users[k]);
    }
}

typedef struct {
    double last;
    size_t calls;
} Progress;

static void
on_progress (const char *phase, double fraction, void *data)
{
    Progress *p = data;

    g_assert_cmpstr (phase, ==, "tracing");
    g_assert_cmpfloat (fraction, >=, p->last);
    g_assert_cmpfloat (fraction, <=, 1.0);
    p->last = fraction;
    p->calls++;
}

static void
test_scale_engine_progress (void)
{
    g_autofree char *path = fsim_test_source_path ("bench", "scenario.json", NULL);
    const char *sets[] = { "population.users=20000", "population.mean_degree=4", NULL };
    g_auto (Run) run = { 0 };
    g_autoptr (GError) error = NULL;
    Progress p = { 0 };

    run.s = fsim_test_load (path, sets);
    run.pop = build (run.s);
    run.d = fsim_decisions_new (run.s, run.s->date);
    set_threads ("1"); /* every block reported on this thread */
    run.r = fsim_engine_run_with_progress (run.s, run.pop, run.d, on_progress, &p, &error);
    fsim_parallel_set_default_workers (0);
    g_assert_no_error (error);
    g_assert_cmpuint (p.calls, ==, 2 * 5); /* two passes over five blocks */
    g_assert_cmpfloat (p.last, ==, 1.0);
}

/* ---- populations -------------------------------------------------------------------------- */

static gboolean
populations_equal (const FsimPopulation *a, const FsimPopulation *b)
{
    size_t n = a->n_users;

    return n == b->n_users && a->friends->n_edges == b->friends->n_edges &&
           memcmp (a->friends->offsets, b->friends->offsets, (n + 1) * sizeof (size_t)) == 0 &&
           memcmp (a->friends->adj, b->friends->adj, 2 * a->friends->n_edges * 4) == 0 &&
           memcmp (a->platform, b->platform, n) == 0 &&
           memcmp (a->apps_others, b->apps_others, n * a->field_words * sizeof (FsimWord)) == 0 &&
           memcmp (a->audience, b->audience, n * a->n_fields) == 0 &&
           memcmp (a->uses, b->uses, n * a->partner_words * sizeof (FsimWord)) == 0;
}

static FsimPopulation *
build_threads (const FsimScenario *s, const char *threads)
{
    FsimPopulation *pop;

    set_threads (threads);
    pop = build (s);
    fsim_parallel_set_default_workers (0);
    return pop;
}

static void
test_scale_population_threads (void)
{
    g_autofree char *path = fsim_test_source_path ("bench", "scenario.json", NULL);
    const char *random[] = { "population.users=50000", "population.mean_degree=12", NULL };
    const char *clustered[] = { "population.users=50000", "population.mean_degree=12",
                                "population.adoption_model=clustered", NULL };
    const char *const *cases[] = { random, clustered };

    for (size_t i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autoptr (FsimScenario) s = fsim_test_load (path, cases[i]);
        g_autoptr (FsimPopulation) one = build_threads (s, "1");
        g_autoptr (FsimPopulation) three = build_threads (s, "3");
        g_assert_true (populations_equal (one, three));
    }
}

/* Users of @p, and the share of their friendships that are with other users of @p. */
static double
adopter_share (const FsimPopulation *pop, size_t p, size_t *out_users)
{
    const FsimFriends *f = pop->friends;
    size_t users = 0, arcs = 0, within = 0;

    for (size_t u = 0; u < pop->n_users; u++) {
        if (!fsim_bits_get (pop->uses + u * pop->partner_words, p))
            continue;
        users++;
        for (size_t i = f->offsets[u]; i < f->offsets[u + 1]; i++) {
            arcs++;
            within += fsim_bits_get (pop->uses + f->adj[i] * pop->partner_words, p);
        }
    }
    *out_users = users;
    return arcs ? (double) within / (double) arcs : 0;
}

/* Clustered adoption: exactly round(share * users) users, who are mostly each other's friends
 * (random adoption: about `share` of their friends). */
static void
test_scale_population_clustered (void)
{
    g_autofree char *path = fsim_test_source_path ("bench", "scenario.json", NULL);
    const char *models[] = { "population.generator=facebook_like",
                             "population.generator=erdos_renyi" };
    /* facebook_like adopts whole communities: over 5 times the share. erdos_renyi clusters are
     * a user and their friends (up to 30), who are not friends among themselves in a random
     * graph: a cluster of s members has s - 1 friendships inside, so an adopter has about 2 of
     * their 30 friends in its cluster on top of the share that random adoption gives (3 times
     * the largest shares, 0.03); fewer in the clusters that other clusters cut short. The test:
     * at least one friend more than random. */
    const double factor[] = { 5, 1 };
    const double more[] = { 0, 1.0 / 30 };

    for (size_t m = 0; m < G_N_ELEMENTS (models); m++) {
        const char *sets[] = { models[m], "population.users=20000", "population.mean_degree=30",
                               "population.adoption_model=clustered", NULL };
        g_autoptr (FsimScenario) s = fsim_test_load (path, sets);
        g_autoptr (FsimPopulation) pop = build (s);
        for (size_t p = 0; p < s->n_partners; p++) {
            size_t users;
            double share = s->population.adoption[p];
            double within = adopter_share (pop, p, &users);
            g_assert_cmpuint (users, ==, (size_t) llround (share * 20000));
            g_test_message ("%s %s: %zu users, %.3f of their friends adopt (share %.3f)", models[m],
                            s->partners[p].id, users, within, share);
            g_assert_cmpfloat (within, >, factor[m] * share + more[m]);
        }
    }
}

/* The model's own keys reach the generator. */
static void
test_scale_population_model_keys (void)
{
    g_autofree char *path = fsim_test_source_path ("bench", "scenario.json", NULL);
    const char *capped[] = { "population.users=5000", "population.mean_degree=10",
                             "population.max_degree=15", "population.community_size=10", NULL };
    const char *ring[] = { "population.generator=watts_strogatz", "population.users=2000",
                           "population.mean_degree=10", "population.rewire=0", NULL };
    g_autoptr (FsimScenario) s1 = fsim_test_load (path, capped);
    g_autoptr (FsimPopulation) p1 = build (s1);
    g_autoptr (FsimScenario) s2 = fsim_test_load (path, ring);
    g_autoptr (FsimPopulation) p2 = build (s2);

    g_assert_cmpfloat (s1->population.spread, ==, 1.15); /* the default */
    g_assert_cmpuint (s1->population.max_degree, ==, 15);
    for (size_t u = 0; u < p1->n_users; u++)
        g_assert_cmpuint (p1->friends->offsets[u + 1] - p1->friends->offsets[u], <=, 15);
    g_assert_cmpuint (p1->friends->n_groups, >, 5000 / 20);
    for (size_t u = 0; u < p2->n_users; u++) /* no rewiring: a ring lattice */
        g_assert_cmpuint (p2->friends->offsets[u + 1] - p2->friends->offsets[u], ==, 10);
}

/* ---- import ------------------------------------------------------------------------------- */

static const FsimWord *
uses_of (const FsimPopulation *pop, size_t u)
{
    return pop->uses + u * pop->partner_words;
}

static void
test_scale_import_graphml (void)
{
    g_autofree char *path = fsim_test_data_path ("scale", "import-graphml.json", NULL);
    g_autoptr (FsimScenario) s = fsim_test_load (path, NULL);
    g_autoptr (FsimPopulation) pop = build (s);
    size_t quiz = (size_t) fsim_scenario_find_partner (s, "quiz");
    size_t huawei = (size_t) fsim_scenario_find_partner (s, "huawei");
    size_t religion = (size_t) fsim_scenario_find_field (s, "profile.religion");

    g_assert_cmpint (s->population.kind, ==, FSIM_POPULATION_IMPORTED);
    g_assert_cmpuint (pop->n_users, ==, 6);
    g_assert_cmpuint (pop->friends->n_edges, ==, 5);
    /* alice: quiz = 1, faith public; bob: platform off, narrowed */
    g_assert_true (fsim_bits_get (uses_of (pop, 0), quiz));
    g_assert_cmpuint (pop->audience[0 * pop->n_fields + religion], ==, FSIM_AUDIENCE_PUBLIC);
    g_assert_cmpuint (pop->platform[0], ==, 1);
    g_assert_cmpuint (pop->platform[1], ==, 0);
    g_assert_false (fsim_bits_get (pop->apps_others + 1 * pop->field_words, religion));
    g_assert_true (fsim_bits_get (pop->apps_others + 0 * pop->field_words, religion));
    /* carol: phone huawei, faith only_me; dave: phone "huawei, quiz" but quiz = 0 (later) */
    g_assert_true (fsim_bits_get (uses_of (pop, 2), huawei));
    g_assert_cmpuint (pop->audience[2 * pop->n_fields + religion], ==, FSIM_AUDIENCE_ONLY_ME);
    g_assert_true (fsim_bits_get (uses_of (pop, 3), huawei));
    g_assert_false (fsim_bits_get (uses_of (pop, 3), quiz));
    /* erin: no values, frank: an empty faith: what was drawn (audience friends, no partner) */
    for (size_t u = 4; u < 6; u++) {
        g_assert_cmphex (uses_of (pop, u)[0], ==, 0);
        g_assert_cmpuint (pop->audience[u * pop->n_fields + religion], ==, FSIM_AUDIENCE_FRIENDS);
    }
}

static void
test_scale_import_edge_list (void)
{
    g_autofree char *path = fsim_test_data_path ("scale", "import-edges.json", NULL);
    g_autoptr (FsimScenario) s = fsim_test_load (path, NULL);
    g_autoptr (FsimPopulation) pop = build (s);

    g_assert_cmpuint (pop->n_users, ==, 5); /* 100, 200, 300, 400, 500 */
    g_assert_cmpuint (pop->friends->n_edges, ==, 4);
    for (size_t u = 0; u < 5; u++) /* adoption 1 */
        g_assert_true (fsim_bits_get (uses_of (pop, u), 0));
}

typedef struct {
    const char *file;
    const char *set;
    GQuark domain;
    int code;
    const char *message;
} ImportError;

static void
test_scale_import_errors (void)
{
    const ImportError cases[] = {
        { "import-graphml.json", "population.import.attributes={\"pet\": \"platform\"}",
          FSIM_POPULATION_ERROR, FSIM_POPULATION_ERROR_IMPORT,
          "friends.graphml' has no user attribute 'pet' (it has 6, whose names are not shown: "
          "they are the graph file's own)" },
        { "import-graphml.json", "population.import.attributes={\"faith\": \"platform\"}",
          FSIM_POPULATION_ERROR, FSIM_POPULATION_ERROR_IMPORT,
          "'platform' needs a boolean or number attribute, but 'faith' holds strings" },
        { "import-graphml.json", "population.import.attributes={\"phone\": \"audience\"}",
          FSIM_POPULATION_ERROR, FSIM_POPULATION_ERROR_IMPORT,
          "user 2: its value is not an audience (expected \"public\", \"friends_of_friends\", "
          "\"friends\" or \"only_me\"; values of a graph file are not shown)" },
        { "import-graphml.json", "population.import.attributes={\"faith\": \"uses\"}",
          FSIM_POPULATION_ERROR, FSIM_POPULATION_ERROR_IMPORT,
          "user 0: word 1 of its value is not a partner id of the scenario (values of a graph "
          "file are not shown)" },
        { "import-edges.json", "population.import.attributes={\"x\": \"platform\"}",
          FSIM_POPULATION_ERROR, FSIM_POPULATION_ERROR_IMPORT,
          "friends.txt' is an edge list, which has no user attributes" },
        /* the graph file's errors are said where the scenario names it (issue 11) */
        { "import-edges.json", "population.import.file=no-such-file.txt", FSIM_GRAPH_ERROR,
          FSIM_GRAPH_ERROR_IO, "import-edges.json:6:15: importing friendships: cannot read '" },
        { "import-edges.json", "population.import.format=gml", FSIM_GRAPH_ERROR,
          FSIM_GRAPH_ERROR_PARSE, "import-edges.json:6:15: importing friendships: " },
    };

    for (size_t i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autofree char *path = fsim_test_data_path ("scale", cases[i].file, NULL);
        const char *sets[] = { cases[i].set, NULL };
        g_autoptr (FsimScenario) s = fsim_test_load (path, sets);
        g_autoptr (GError) error = NULL;
        g_autoptr (FsimPopulation) pop = fsim_population_build (s, &error);
        g_assert_null (pop);
        g_assert_error (error, cases[i].domain, cases[i].code);
        g_test_message ("%s", error->message);
        g_assert_nonnull (strstr (error->message, cases[i].message));
        /* issue 11, the echo rule: no value of the graph file in a message */
        g_assert_null (strstr (error->message, "huawei"));
        g_assert_null (strstr (error->message, "'public'"));
    }
}

/* ---- the progress line -------------------------------------------------------------------- */

static char *
progress_output (gboolean enabled)
{
    int fds[2];
    char buf[4096];
    ssize_t n;

    g_assert_cmpint (pipe (fds), ==, 0);
    FsimProgress *p = fsim_progress_new (fds[1], enabled);
    fsim_progress_set_delay (p, 0);
    fsim_progress_phase (p, "building the population", FALSE);
    fsim_progress_update ("tracing", 0.5, p);
    fsim_progress_update ("tracing", 1.0, p);
    fsim_progress_free (p);
    close (fds[1]);
    n = read (fds[0], buf, sizeof buf - 1);
    close (fds[0]);
    g_assert_cmpint (n, >=, 0);
    return g_strndup (buf, (gsize) n);
}

static void
test_scale_progress_line (void)
{
    g_autofree char *on = progress_output (TRUE);
    g_autofree char *off = progress_output (FALSE);

    g_assert_nonnull (strstr (on, "\rflowsim: building the population..."));
    g_assert_nonnull (strstr (on, "\rflowsim: tracing  50%"));
    g_assert_nonnull (strstr (on, "\rflowsim: tracing 100%"));
    g_assert_true (g_str_has_suffix (on, "\r\033[K")); /* erased at the end */
    g_assert_cmpstr (off, ==, "");
}

/* Issue 11: `flowsim population`'s statistics fit the room made for them before they are
 * rendered (room.h), with the imported file's path and with partner, kind and field names of
 * control bytes and invalid UTF-8, in both formats: rendering never grows the text. */
static void
test_scale_stats_room (void)
{
    g_autofree char *path = fsim_test_data_path ("scale", "import-graphml.json", NULL);
    g_autoptr (FsimScenario) s = fsim_test_load (path, NULL);
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimPopulation) pop = fsim_population_build (s, &error);
    g_assert_no_error (error);
    g_autoptr (FsimPopulationStats) st = fsim_population_stats_new (s, pop, 1000, NULL);
    static char controls[300], invalid[300];
    memset (controls, '\x1f', sizeof controls - 1);
    memset (invalid, '\xff', sizeof invalid - 1);
    char *kept[] = { s->partners[0].id, s->partners[1].kind, s->fields[0].id };
    for (int hostile = 0; hostile < 2; hostile++) {
        if (hostile) {
            s->partners[0].id = controls;
            s->partners[1].kind = invalid;
            s->fields[0].id = controls;
        }
        FsimReportFormat formats[] = { FSIM_REPORT_TEXT, FSIM_REPORT_JSON };
        for (size_t f = 0; f < G_N_ELEMENTS (formats); f++) {
            g_autoptr (GString) out = g_string_new ("kept");
            guint64 room = fsim_population_stats_room (s, formats[f]);
            g_assert_true (fsim_room_reserve (out, room, "the statistics", &error));
            const char *buffer = out->str;
            fsim_population_stats_render (s, pop, st, formats[f], out);
            g_test_message ("%s: %zu bytes of %" G_GUINT64_FORMAT,
                            fsim_report_format_to_string (formats[f]), out->len - 4, room);
            g_assert_cmpuint (out->len - 4, <=, room);
            g_assert_true (out->str == buffer);
        }
    }
    s->partners[0].id = kept[0];
    s->partners[1].kind = kept[1];
    s->fields[0].id = kept[2];
}

int
main (int argc, char *argv[])
{
    g_test_init (&argc, &argv, NULL);
    fsim_graph_init ();

    g_test_add_func ("/scale/engine/facebook-like", test_scale_engine_facebook_like);
    g_test_add_func ("/scale/engine/clustered", test_scale_engine_clustered);
    g_test_add_func ("/scale/engine/many-partners", test_scale_engine_many_partners);
    g_test_add_func ("/scale/engine/bench-scenario", test_scale_engine_bench_scenario);
    g_test_add_func ("/scale/engine/imported", test_scale_engine_imported);
    g_test_add_func ("/scale/engine/threads", test_scale_engine_threads);
    g_test_add_func ("/scale/engine/progress", test_scale_engine_progress);
    g_test_add_func ("/scale/population/threads", test_scale_population_threads);
    g_test_add_func ("/scale/population/clustered", test_scale_population_clustered);
    g_test_add_func ("/scale/population/model-keys", test_scale_population_model_keys);
    g_test_add_func ("/scale/import/graphml", test_scale_import_graphml);
    g_test_add_func ("/scale/import/edge-list", test_scale_import_edge_list);
    g_test_add_func ("/scale/import/errors", test_scale_import_errors);
    g_test_add_func ("/scale/stats-room", test_scale_stats_room);
    g_test_add_func ("/scale/progress/line", test_scale_progress_line);
    return g_test_run ();
}
