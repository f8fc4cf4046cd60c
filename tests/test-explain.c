/* SPDX-License-Identifier: MIT */
/* test-explain.c: one user's routes, every gate that closes one, the tracer against the engine. */
#include <string.h>

#include <glib.h>

#include "cli.h"
#include "engine.h"
#include "explain.h"
#include "json-check.h"
#include "loader.h"
#include "random-scenario.h"
#include "room.h"
#include "run-util.h"
#include "test-util.h"

/* ---- a loaded world ----------------------------------------------------------------------- */

typedef struct {
    FsimScenario *s;
    FsimPopulation *pop;
    FsimDecisions *d;
    FsimTracer *t;
} World;

static void
world_clear (World *w)
{
    fsim_tracer_free (w->t);
    fsim_decisions_free (w->d);
    fsim_population_free (w->pop);
    fsim_scenario_free (w->s);
    memset (w, 0, sizeof *w);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (World, world_clear)

static void
world_from (World *w, FsimScenario *s)
{
    g_autoptr (GError) error = NULL;
    g_assert_nonnull (s);
    w->s = s;
    w->pop = fsim_population_build (s, &error);
    g_assert_no_error (error);
    w->d = fsim_decisions_new (s, s->date);
    w->t = fsim_tracer_new (s, w->pop, w->d, &error);
    g_assert_no_error (error);
}

static void
world_load (World *w, const char *path, const char *const *sets)
{
    world_from (w, fsim_test_load (path, sets));
}

static void
world_data (World *w, const char *dir, const char *file)
{
    g_autofree char *path = fsim_test_data_path (dir, file, NULL);
    world_load (w, path, NULL);
}

static size_t
user (const World *w, const char *name)
{
    gssize u = fsim_tracer_find_user (w->t, name);
    g_assert_cmpint (u, >=, 0);
    return (size_t) u;
}

static const FsimFlowExplanation *
flow (const World *w, const FsimExplanation *e, const char *field, const char *partner)
{
    gssize f = fsim_scenario_find_field (w->s, field);
    gssize p = fsim_scenario_find_partner (w->s, partner);
    for (guint i = 0; i < e->n_flows; i++) {
        const FsimFlowExplanation *x = &e->flows[i];
        if ((gssize) x->field == f && (gssize) x->partner == p)
            return x;
    }
    g_assert_not_reached ();
    return NULL;
}

/* The direct route through @scope, or the downstream route from @scope (a partner id). */
static const FsimRoute *
route (const World *w, const FsimFlowExplanation *fl, const char *scope)
{
    for (guint i = 0; i < fl->n_routes; i++) {
        const FsimRoute *r = &fl->routes[i];
        const char *name = r->channel == FSIM_CHANNEL_DOWNSTREAM
                               ? w->s->partners[r->from].id
                               : w->s->apis[r->api].scopes[r->scope].id;
        if (strcmp (name, scope) == 0)
            return r;
    }
    g_test_message ("no route '%s'", scope);
    g_assert_not_reached ();
    return NULL;
}

#define BIT(b) (1u << (b))

static void
assert_route (const World *w, const FsimFlowExplanation *fl, const char *scope, FsimBlock block,
              guint also)
{
    const FsimRoute *r = route (w, fl, scope);
    g_test_message ("route %s: %s", scope, fsim_block_to_string (r->block));
    g_assert_cmpstr (fsim_block_to_string (r->block), ==, fsim_block_to_string (block));
    g_assert_cmphex (r->also, ==, also);
}

/* ---- every gate, hand-checked on tests/data/explain/gates.json ------------------------------ */

static void
test_explain_gates_direct (void)
{
    g_auto (World) w = { 0 };
    world_data (&w, "explain", "gates.json");
    g_autoptr (FsimExplanation) e = fsim_explain_user (w.t, user (&w, "u"), NULL, NULL, NULL);
    g_assert_cmpuint (e->n_flows, ==, 3 * 7);

    const FsimFlowExplanation *a_app = flow (&w, e, "a", "app");
    g_assert_cmphex (a_app->channels, ==, FSIM_CHANNEL_BIT (FSIM_CHANNEL_FRIEND));
    g_assert_cmpuint (a_app->n_routes, ==, 4);
    g_assert_cmpint (a_app->routes[0].block, ==, FSIM_BLOCK_NONE);
    assert_route (&w, a_app, "f_a", FSIM_BLOCK_NONE, 0);
    const FsimRoute *fa = route (&w, a_app, "f_a");
    g_assert_cmpuint (fa->n_carriers, ==, 1);
    g_assert_cmpuint (fa->carriers[0], ==, user (&w, "v"));
    g_assert_cmpint (fa->decision.rule, ==, fsim_scenario_find_rule (w.s, "allow-apps"));
    assert_route (&w, a_app, "s_a", FSIM_BLOCK_NOT_USED, 0);
    assert_route (&w, a_app, "fof_a", FSIM_BLOCK_AUDIENCE, 0);
    assert_route (&w, a_app, "old_a", FSIM_BLOCK_API_INACTIVE, BIT (FSIM_BLOCK_NOT_USED));
    const FsimRoute *fof = route (&w, a_app, "fof_a");
    g_assert_cmpuint (fof->n_carriers, ==, 1);
    g_assert_cmpuint (fof->carriers[0], ==, user (&w, "w"));
    g_assert_cmpuint (fof->through[0], ==, user (&w, "v"));

    const FsimFlowExplanation *b_app = flow (&w, e, "b", "app");
    g_assert_cmphex (b_app->channels, ==, 0);
    assert_route (&w, b_app, "f_b", FSIM_BLOCK_DENIED, BIT (FSIM_BLOCK_APPS_OTHERS));
    g_assert_cmpint (route (&w, b_app, "f_b")->decision.rule, ==,
                     fsim_scenario_find_rule (w.s, "deny-fb"));

    const FsimFlowExplanation *c_app = flow (&w, e, "c", "app");
    assert_route (&w, c_app, "s_c", FSIM_BLOCK_NOT_USED, 0);
    assert_route (&w, c_app, "f_c", FSIM_BLOCK_NOT_REQUESTED,
                  BIT (FSIM_BLOCK_APPS_OTHERS) | BIT (FSIM_BLOCK_AUDIENCE));

    const FsimFlowExplanation *a_dev = flow (&w, e, "a", "dev");
    assert_route (&w, a_dev, "s_a", FSIM_BLOCK_NOT_USED, 0);
    assert_route (&w, a_dev, "f_a", FSIM_BLOCK_NO_FRIEND, 0);
    assert_route (&w, a_dev, "fof_a", FSIM_BLOCK_NO_ALLOW, BIT (FSIM_BLOCK_AUDIENCE));
}

static void
test_explain_gates_downstream (void)
{
    g_auto (World) w = { 0 };
    world_data (&w, "explain", "gates.json");
    g_autoptr (FsimExplanation) e = fsim_explain_user (w.t, user (&w, "u"), NULL, NULL, NULL);

    const FsimFlowExplanation *a_broker = flow (&w, e, "a", "broker");
    g_assert_cmphex (a_broker->channels, ==, FSIM_CHANNEL_BIT (FSIM_CHANNEL_DOWNSTREAM));
    const FsimRoute *r = route (&w, a_broker, "app");
    g_assert_cmpint (r->block, ==, FSIM_BLOCK_NONE);
    g_assert_cmpuint (r->n_path, ==, 2);
    g_assert_cmpstr (w.s->partners[r->path[0]].id, ==, "app");
    g_assert_cmpstr (w.s->partners[r->path[1]].id, ==, "broker");

    assert_route (&w, flow (&w, e, "b", "broker"), "app", FSIM_BLOCK_SHARE_FIELDS,
                  BIT (FSIM_BLOCK_UPSTREAM));
    assert_route (&w, flow (&w, e, "b", "broker2"), "app", FSIM_BLOCK_SHARE_INACTIVE,
                  BIT (FSIM_BLOCK_UPSTREAM));
    assert_route (&w, flow (&w, e, "a", "far"), "mid", FSIM_BLOCK_NOT_HELD,
                  BIT (FSIM_BLOCK_UPSTREAM));
    assert_route (&w, flow (&w, e, "a", "sink"), "dev", FSIM_BLOCK_DEVICE_ONLY,
                  BIT (FSIM_BLOCK_UPSTREAM));
    const FsimFlowExplanation *a_mid = flow (&w, e, "a", "mid");
    g_assert_false (a_mid->receives);
    g_assert_cmphex (a_mid->channels, ==, 0);
}

static void
test_explain_gates_platform (void)
{
    g_auto (World) w = { 0 };
    world_data (&w, "explain", "gates.json");
    g_autoptr (FsimExplanation) ex = fsim_explain_user (w.t, user (&w, "x"), NULL, NULL, NULL);
    const FsimFlowExplanation *a_app = flow (&w, ex, "a", "app");
    g_assert_cmphex (a_app->channels, ==, 0);
    assert_route (&w, a_app, "s_a", FSIM_BLOCK_PLATFORM, 0);
    assert_route (&w, a_app, "f_a", FSIM_BLOCK_PLATFORM, BIT (FSIM_BLOCK_NO_FRIEND));

    g_autoptr (FsimExplanation) ev = fsim_explain_user (w.t, user (&w, "v"), NULL, NULL, NULL);
    const FsimFlowExplanation *v_app = flow (&w, ev, "a", "app");
    g_assert_cmphex (v_app->channels, ==,
                     FSIM_CHANNEL_BIT (FSIM_CHANNEL_SELF) | FSIM_CHANNEL_BIT (FSIM_CHANNEL_FRIEND));
    assert_route (&w, v_app, "fof_a", FSIM_BLOCK_NO_FRIEND_OF_FRIEND, 0);
}

/* The tour's bob, as docs/semantics.md works it out. */
static void
test_explain_tour_bob (void)
{
    g_auto (World) w = { 0 };
    g_autofree char *path = fsim_test_source_path ("scenarios", "tour.json", NULL);
    world_load (&w, path, NULL);
    g_autoptr (FsimExplanation) e = fsim_explain_user (w.t, user (&w, "bob"), NULL, NULL, NULL);
    const FsimFlowExplanation *rq = flow (&w, e, "profile.religion", "quiz");
    g_assert_cmphex (rq->channels, ==, 0);
    assert_route (&w, rq, "friends_religion_politics", FSIM_BLOCK_APPS_OTHERS, 0);
    const FsimFlowExplanation *rp = flow (&w, e, "profile.religion", "phoneco");
    g_assert_cmphex (rp->channels, ==, FSIM_CHANNEL_BIT (FSIM_CHANNEL_FRIEND));
    const FsimRoute *r = route (&w, rp, "device_friends");
    g_assert_cmpuint (r->n_carriers, ==, 1);
    g_assert_cmpstr (w.pop->user_ids[r->carriers[0]], ==, "frank");
    const FsimFlowExplanation *nb = flow (&w, e, "identity.name", "broker");
    g_assert_cmphex (nb->channels, ==, FSIM_CHANNEL_BIT (FSIM_CHANNEL_DOWNSTREAM));
    assert_route (&w, flow (&w, e, "profile.religion", "broker"), "quiz", FSIM_BLOCK_SHARE_FIELDS,
                  BIT (FSIM_BLOCK_UPSTREAM));
}

static void
test_explain_find_user (void)
{
    g_auto (World) w = { 0 };
    world_data (&w, "explain", "gates.json");
    g_assert_cmpint (fsim_tracer_find_user (w.t, "x"), ==, 3);
    g_assert_cmpint (fsim_tracer_find_user (w.t, "nobody"), ==, -1);
    g_auto (World) g = { 0 };
    g_autofree char *path = fsim_test_source_path ("scenarios", "tour.json", NULL);
    const char *const sets[] = { "population={\"generator\":\"erdos_renyi\",\"users\":20,"
                                 "\"mean_degree\":3}",
                                 NULL };
    world_load (&g, path, sets);
    g_assert_cmpint (fsim_tracer_find_user (g.t, "u19"), ==, 19);
    g_assert_cmpint (fsim_tracer_find_user (g.t, "u20"), ==, -1);
    g_assert_cmpint (fsim_tracer_find_user (g.t, "u01"), ==, -1);
    g_assert_cmpint (fsim_tracer_find_user (g.t, "u"), ==, -1);
}

/* Imported users are named by the graph file: an edge list's ids, GraphML's node ids, GML's
 * "id" numbers; "u<N>" names nobody there. */
static void
test_explain_find_user_imported (void)
{
    static const struct {
        const char *dir, *file, *name, *not_a_name;
        size_t user, n_users;
    } cases[] = {
        { "scale", "import-edges.json", "400", "u3", 3, 5 }, /* 100 200 300 400 500 */
        { "scale", "import-graphml.json", "alice", "u0", 0, 6 },
        { "faults", "import-gml.json", "20", "2", 1, 3 }, /* ids 10, 20, 30 */
    };
    for (size_t i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_auto (World) w = { 0 };
        world_data (&w, cases[i].dir, cases[i].file);
        g_assert_cmpuint (w.pop->n_users, ==, cases[i].n_users);
        g_assert_cmpint (fsim_tracer_find_user (w.t, cases[i].name), ==, (gssize) cases[i].user);
        g_assert_cmpint (fsim_tracer_find_user (w.t, cases[i].not_a_name), ==, -1);
        g_autofree char *name = fsim_population_user_name (w.pop, cases[i].user);
        g_assert_cmpstr (name, ==, cases[i].name);
        g_assert_cmpstr (fsim_population_naming (w.pop), ==, "named by the graph file's ids");
    }
    /* a GraphML "id" attribute of the file's own that repeats: the users are u0, u1, ... */
    g_autofree char *graph = fsim_test_data_path ("import", "id-attribute.graphml", NULL);
    g_autofree char *file = g_strconcat ("population.import.file=", graph, NULL);
    const char *const sets[] = { file, "population.import.attributes={}", NULL };
    g_auto (World) w = { 0 };
    g_autofree char *gml = fsim_test_data_path ("faults", "import-gml.json", NULL);
    world_load (&w, gml, sets);
    g_assert_cmpuint (w.pop->n_users, ==, 3);
    g_assert_cmpstr (fsim_population_naming (w.pop), ==, "named u0, u1, ...");
    g_assert_cmpint (fsim_tracer_find_user (w.t, "u1"), ==, 1);
    g_assert_cmpint (fsim_tracer_find_user (w.t, "same"), ==, -1);

    /* and on the command line */
    g_autofree char *path = fsim_test_data_path ("scale", "import-edges.json", NULL);
    g_autoptr (FsimTestRun) ok =
        fsim_test_run (NULL, NULL, (const char *const[]){ "explain", path, "--user", "300", NULL });
    g_assert_cmpint (ok->status, ==, 0);
    g_assert_nonnull (strstr (ok->out, "User      300 "));
    g_autoptr (FsimTestRun) bad =
        fsim_test_run (NULL, NULL, (const char *const[]){ "explain", path, "--user", "u2", NULL });
    g_assert_cmpint (bad->status, ==, 2);
    g_assert_nonnull (strstr (bad->err, "no user 'u2' in "));
    g_assert_nonnull (strstr (bad->err, "(5 users, named by the graph file's ids)"));
}

/* ---- the tracer and the routes against the engine --------------------------------------------- */

/* For every user: the tracer's masks agree with the open routes of the explanation, and the
 * masks, counted over all users, give exactly the engine's counts. */
static void
cross_check (const World *w)
{
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimResult) r = fsim_engine_run (w->s, w->pop, w->d, &error);
    g_assert_no_error (error);
    size_t nf = w->s->n_fields, np = w->s->n_partners;
    g_autofree guint8 *masks = g_new0 (guint8, nf * np + 1);
    g_autofree size_t *users = g_new0 (size_t, nf * np + 1);
    g_autofree size_t *no_consent = g_new0 (size_t, nf * np + 1);
    g_autofree size_t *channel = g_new0 (size_t, FSIM_N_CHANNELS * nf * np + 1);
    g_autofree size_t *field_users = g_new0 (size_t, nf + 1);
    for (size_t u = 0; u < w->pop->n_users; u++) {
        g_assert_true (fsim_tracer_user (w->t, u, masks, NULL));
        g_autoptr (FsimExplanation) e = fsim_explain_user (w->t, u, NULL, NULL, NULL);
        g_assert_cmpuint (e->n_flows, ==, nf * np);
        for (size_t i = 0; i < nf * np; i++) {
            const FsimFlowExplanation *fl = &e->flows[i];
            guint8 open = 0;
            for (guint j = 0; j < fl->n_routes; j++) {
                const FsimRoute *rt = &fl->routes[j];
                if (rt->block == FSIM_BLOCK_NONE)
                    open |= FSIM_CHANNEL_BIT (rt->channel);
            }
            g_assert_cmphex (masks[i], ==, fl->receives ? open : 0);
            g_assert_cmphex (fl->channels, ==, masks[i]);
            users[i] += masks[i] != 0;
            no_consent[i] += masks[i] && !(masks[i] & FSIM_CHANNEL_BIT (FSIM_CHANNEL_SELF));
            for (int c = 0; c < FSIM_N_CHANNELS; c++)
                channel[c * nf * np + i] += (masks[i] & FSIM_CHANNEL_BIT (c)) != 0;
        }
        for (size_t f = 0; f < nf; f++) {
            gboolean any = FALSE;
            for (size_t p = 0; p < np; p++)
                any = any || masks[f * np + p];
            field_users[f] += any;
        }
    }
    for (size_t i = 0; i < nf * np; i++) {
        g_assert_cmpuint (users[i], ==, r->fp_users[i]);
        g_assert_cmpuint (no_consent[i], ==, r->fp_no_consent[i]);
        for (int c = 0; c < FSIM_N_CHANNELS; c++)
            g_assert_cmpuint (channel[c * nf * np + i], ==, r->fp_channel[c][i]);
    }
    for (size_t f = 0; f < nf; f++)
        g_assert_cmpuint (field_users[f], ==, r->field_users[f]);
}

static void
test_explain_engine_files (void)
{
    static const char *const files[][2] = {
        { "explain", "gates.json" },        { "engine", "channels.json" },
        { "engine", "downstream.json" },    { "engine", "fof.json" },
        { "engine", "many-partners.json" },
    };
    for (size_t i = 0; i < G_N_ELEMENTS (files); i++) {
        g_auto (World) w = { 0 };
        g_test_message ("%s/%s", files[i][0], files[i][1]);
        world_data (&w, files[i][0], files[i][1]);
        cross_check (&w);
    }
    static const char *const tours[][3] = {
        { NULL },
        { "date=2015-05-01", NULL },
        { "date=2018-06-08", NULL },
        { "apis[device].respects=[\"platform\",\"apps_others\",\"audience\"]", NULL },
        { "partners[phoneco].destinations[handset].location=server",
          "partners[phoneco].destinations[handset].jurisdiction=CN", NULL },
    };
    g_autofree char *tour = fsim_test_source_path ("scenarios", "tour.json", NULL);
    for (size_t i = 0; i < G_N_ELEMENTS (tours); i++) {
        g_auto (World) w = { 0 };
        world_load (&w, tour, tours[i][0] ? tours[i] : NULL);
        cross_check (&w);
    }
}

static void
test_explain_engine_random (void)
{
    for (guint32 seed = 1; seed <= 60; seed++) {
        g_auto (World) w = { 0 };
        g_autoptr (GError) error = NULL;
        g_autofree char *text = fsim_random_scenario (seed, seed % 3 == 0);
        g_autofree char *name = g_strdup_printf ("random-%u.json", seed);
        g_test_message ("random scenario %u", seed);
        FsimScenario *s = fsim_loader_load_string (name, text, NULL, &error);
        g_assert_no_error (error);
        world_from (&w, s);
        cross_check (&w);
    }
}

/* The room the estimate makes (room.h) holds the text and the JSON of every user's explanation in
 * the gates scenario and in random ones: rendering never grows the string. */
static void
check_room (const World *w)
{
    for (size_t u = 0; u < w->pop->n_users; u++) {
        g_autoptr (FsimExplanation) e = fsim_explain_user (w->t, u, NULL, NULL, NULL);
        guint64 room = fsim_explain_room (w->t, e);
        for (int json = 0; json <= 1; json++) {
            g_autoptr (GString) out = g_string_new (NULL);
            g_autoptr (GError) error = NULL;
            g_assert_true (fsim_room_reserve (out, room, "the explanation", &error));
            g_assert_no_error (error);
            const char *buffer = out->str;
            if (json)
                fsim_explain_render_json (w->t, e, NULL, out);
            else
                fsim_explain_render_text (w->t, e, NULL, out);
            g_assert_cmpuint (out->len, <=, room);
            g_assert_true (out->str == buffer);
        }
    }
}

static void
test_explain_room (void)
{
    g_auto (World) gates = { 0 };
    world_data (&gates, "explain", "gates.json");
    check_room (&gates);
    for (guint32 seed = 1; seed <= 20; seed++) {
        g_auto (World) w = { 0 };
        g_autoptr (GError) error = NULL;
        g_autofree char *text = fsim_random_scenario (seed, seed % 3 == 0);
        FsimScenario *s = fsim_loader_load_string ("random.json", text, NULL, &error);
        g_assert_no_error (error);
        world_from (&w, s);
        check_room (&w);
    }
}

/* ---- the command ------------------------------------------------------------------------------ */

static void
test_explain_cli_text (void)
{
    g_autofree char *path = fsim_test_data_path ("explain", "gates.json", NULL);
    g_autoptr (FsimTestRun) r = FSIM_RUN ("explain", path, "--user", "u", "--field", "a");
    g_assert_cmpint (r->status, ==, FSIM_EXIT_OK);
    g_assert_cmpstr (r->err, ==, "");
    fsim_assert_contains (r->out, "  User      u (platform switch on)\n");
    fsim_assert_contains (r->out, "  app: REACHED, without consent; via friend; lands in db "
                                  "(server, US)\n    open    friend: API open, scope f_a\n"
                                  "            friends who use it: v\n");
    fsim_assert_contains (r->out, "gates.json:65:5)\n            settings: platform switch on; "
                                  "a is in \"apps others use\"; u shows a to friends (needs "
                                  "friends or wider)\n");
    fsim_assert_contains (r->out, "    closed  friend of friend: API open, scope fof_a\n"
                                  "            blocked: u shows a to friends, and this channel "
                                  "needs friends_of_friends or wider\n");
    fsim_assert_contains (r->out, "blocked: dev keeps a on the device, and data kept on a "
                                  "device is never shared onward\n");
    g_assert_null (strstr (r->out, "\nb\n"));
}

static void
test_explain_cli_destination (void)
{
    g_autofree char *path = fsim_test_data_path ("explain", "gates.json", NULL);
    g_autoptr (FsimTestRun) r = FSIM_RUN ("explain", path, "--user", "u", "--destination", "CN");
    g_assert_cmpint (r->status, ==, FSIM_EXIT_OK);
    fsim_assert_contains (r->out, "  broker: REACHED, without consent; via downstream");
    g_assert_null (strstr (r->out, "  app:"));
    g_autoptr (FsimTestRun) d =
        FSIM_RUN ("explain", path, "--user", "u", "--destination", "dev/handset", "--field", "c");
    g_assert_cmpint (d->status, ==, FSIM_EXIT_OK);
    fsim_assert_contains (d->out, "  dev: not reached; would land in handset (on device)\n");
}

static void
test_explain_cli_json (void)
{
    g_autofree char *path = fsim_test_data_path ("explain", "gates.json", NULL);
    g_autoptr (FsimTestRun) r =
        FSIM_RUN ("explain", path, "--user", "u", "--partner", "app", "--format", "json");
    g_assert_cmpint (r->status, ==, FSIM_EXIT_OK);
    g_autoptr (GHashTable) j = json_check_parse (r->out);
    g_assert_nonnull (j);
    g_assert_cmpstr (g_hash_table_lookup (j, "user"), ==, "u");
    g_assert_cmpstr (g_hash_table_lookup (j, "flows#"), ==, "3");
    g_assert_cmpstr (g_hash_table_lookup (j, "flows[0].field"), ==, "a");
    g_assert_cmpstr (g_hash_table_lookup (j, "flows[0].reached"), ==, "true");
    g_assert_cmpstr (g_hash_table_lookup (j, "flows[0].channels[0]"), ==, "friend");
    g_assert_cmpstr (g_hash_table_lookup (j, "flows[0].routes[0].scope"), ==, "f_a");
    g_assert_cmpstr (g_hash_table_lookup (j, "flows[0].routes[0].rule.id"), ==, "allow-apps");
    g_assert_cmpstr (g_hash_table_lookup (j, "flows[0].routes[0].carriers[0].user"), ==, "v");
    g_assert_cmpstr (g_hash_table_lookup (j, "flows[0].routes[0].settings.audience.value"), ==,
                     "friends");
    g_assert_cmpstr (g_hash_table_lookup (j, "flows[1].routes[0].blocked_by"), ==, "denied");
    g_assert_cmpstr (g_hash_table_lookup (j, "flows[1].routes[0].also_blocked_by[0]"), ==,
                     "apps_others");
}

static void
test_explain_cli_usage (void)
{
    g_autofree char *path = fsim_test_data_path ("explain", "gates.json", NULL);
    g_autoptr (FsimTestRun) a = FSIM_RUN ("explain", path);
    g_assert_cmpint (a->status, ==, FSIM_EXIT_USAGE);
    fsim_assert_contains (a->err, "--user is required");
    g_autoptr (FsimTestRun) b = FSIM_RUN ("explain", path, "--user", "nobody");
    g_assert_cmpint (b->status, ==, FSIM_EXIT_USAGE);
    fsim_assert_contains (b->err, "no user 'nobody'");
    g_autoptr (FsimTestRun) c =
        FSIM_RUN ("explain", path, "--user", "u", "--partner", "app", "--destination", "CN");
    g_assert_cmpint (c->status, ==, FSIM_EXIT_USAGE);
    g_autoptr (FsimTestRun) d = FSIM_RUN ("explain", path, "--user", "u", "--field", "zzz");
    g_assert_cmpint (d->status, ==, FSIM_EXIT_USAGE);
    g_autoptr (FsimTestRun) e = FSIM_RUN ("explain", path, "--user", "u", "--destination", "XX");
    g_assert_cmpint (e->status, ==, FSIM_EXIT_USAGE);
    g_autoptr (FsimTestRun) f = FSIM_RUN ("explain", path, "--user", "u", "--format", "csv");
    g_assert_cmpint (f->status, ==, FSIM_EXIT_USAGE);
    g_autoptr (FsimTestRun) h = FSIM_RUN ("explain", "--help");
    g_assert_cmpint (h->status, ==, FSIM_EXIT_OK);
    fsim_assert_contains (h->out, "--destination");
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    g_test_add_func ("/explain/gates/direct", test_explain_gates_direct);
    g_test_add_func ("/explain/gates/downstream", test_explain_gates_downstream);
    g_test_add_func ("/explain/gates/platform", test_explain_gates_platform);
    g_test_add_func ("/explain/tour/bob", test_explain_tour_bob);
    g_test_add_func ("/explain/find-user", test_explain_find_user);
    g_test_add_func ("/explain/find-user/imported", test_explain_find_user_imported);
    g_test_add_func ("/explain/engine/files", test_explain_engine_files);
    g_test_add_func ("/explain/engine/random", test_explain_engine_random);
    g_test_add_func ("/explain/room", test_explain_room);
    g_test_add_func ("/explain/cli/text", test_explain_cli_text);
    g_test_add_func ("/explain/cli/destination", test_explain_cli_destination);
    g_test_add_func ("/explain/cli/json", test_explain_cli_json);
    g_test_add_func ("/explain/cli/usage", test_explain_cli_usage);
    return g_test_run ();
}
