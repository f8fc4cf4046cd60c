/* SPDX-License-Identifier: MIT */
/* test-possible.c: population-independent flows, their blocking situations, and every user. */
#include <string.h>

#include <glib.h>

#include "cli.h"
#include "explain.h"
#include "json-check.h"
#include "loader.h"
#include "possible-report.h"
#include "possible.h"
#include "random-scenario.h"
#include "room.h"
#include "run-util.h"
#include "test-util.h"

static FsimScenario *
load_tour (const char *const *sets)
{
    g_autofree char *path = fsim_test_source_path ("scenarios", "tour.json", NULL);
    return fsim_test_load (path, sets);
}

static FsimPossible *
analyse (const FsimScenario *s)
{
    g_autoptr (GError) error = NULL;
    FsimPossible *pp = fsim_possible_new (s, s->date, NULL, NULL, &error);
    g_assert_no_error (error);
    return pp;
}

static const FsimPossibleFlow *
pair (const FsimScenario *s, const FsimPossible *pp, const char *field, const char *partner)
{
    gssize f = fsim_scenario_find_field (s, field), p = fsim_scenario_find_partner (s, partner);
    g_assert_cmpint (f, >=, 0);
    g_assert_cmpint (p, >=, 0);
    const FsimPossibleFlow *flow = fsim_possible_get (pp, (size_t) f, (size_t) p);
    g_assert_nonnull (flow);
    return flow;
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
    return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* Joins @parts (taken) sorted, with @sep. */
static char *
sorted_join (GPtrArray *parts, const char *sep)
{
    g_ptr_array_sort (parts, compare_strings);
    g_ptr_array_add (parts, NULL);
    char *s = g_strjoinv (sep, (char **) parts->pdata);
    g_ptr_array_unref (parts);
    return s;
}

/* The blocking situations of @flow, one per line, as "kind[:partner]" joined by '+', sorted. */
static char *
blockers (const FsimScenario *s, const FsimPossibleFlow *flow)
{
    GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
    for (guint j = 0; j < flow->blockers->len; j++) {
        guint32 x = g_array_index (flow->blockers, guint32, j);
        GPtrArray *parts = g_ptr_array_new_with_free_func (g_free);
        for (guint i = 0; i < flow->situations->len; i++) {
            const FsimSituation *sit = &g_array_index (flow->situations, FsimSituation, i);
            if (!(x & (1u << i)))
                continue;
            const char *kind = fsim_situation_kind_to_string (sit->kind);
            g_ptr_array_add (parts,
                             sit->kind <= FSIM_SITUATION_NO_FRIEND_OF_FRIEND_USES
                                 ? g_strconcat (kind, ":", s->partners[sit->partner].id, NULL)
                                 : g_strdup (kind));
        }
        g_ptr_array_add (lines, sorted_join (parts, "+"));
    }
    return sorted_join (lines, "\n");
}

/* ---- hand-computed on the tour ------------------------------------------------------------ */

static void
test_possible_tour_channels (void)
{
    g_autoptr (FsimScenario) s = load_tour (NULL);
    g_autoptr (FsimPossible) pp = analyse (s);
    g_assert_cmpuint (fsim_possible_flows (pp)->len, ==, 4 * 3);
    const guint8 self = FSIM_CHANNEL_BIT (FSIM_CHANNEL_SELF);
    const guint8 friend = FSIM_CHANNEL_BIT (FSIM_CHANNEL_FRIEND);
    const guint8 fof = FSIM_CHANNEL_BIT (FSIM_CHANNEL_FRIEND_OF_FRIEND);
    const guint8 down = FSIM_CHANNEL_BIT (FSIM_CHANNEL_DOWNSTREAM);
    g_assert_cmphex (pair (s, pp, "identity.name", "quiz")->channels, ==, self | friend);
    g_assert_cmphex (pair (s, pp, "identity.name", "phoneco")->channels, ==, self | friend | fof);
    g_assert_cmphex (pair (s, pp, "identity.name", "broker")->channels, ==, down);
    g_assert_cmphex (pair (s, pp, "profile.religion", "broker")->channels, ==, 0);
    g_assert_true (pair (s, pp, "profile.religion", "broker")->receives);
    g_assert_cmphex (pair (s, pp, "profile.religion", "phoneco")->channels, ==, self | friend);
}

static void
test_possible_tour_blockers (void)
{
    g_autoptr (FsimScenario) s = load_tour (NULL);
    g_autoptr (FsimPossible) pp = analyse (s);
    g_autofree char *quiz = blockers (s, pair (s, pp, "profile.birthday", "quiz"));
    g_assert_cmpstr (quiz, ==,
                     "audience_friends_at_most+audience_only_me+not_uses:quiz\n"
                     "no_friend_uses:quiz+not_uses:quiz\n"
                     "not_in_apps_others+not_uses:quiz\n"
                     "platform_off");
    g_autofree char *broker = blockers (s, pair (s, pp, "profile.birthday", "broker"));
    g_assert_cmpstr (broker, ==, quiz);
    g_autofree char *phone = blockers (s, pair (s, pp, "identity.name", "phoneco"));
    g_assert_cmpstr (phone, ==,
                     "audience_friends_at_most+audience_only_me+not_uses:phoneco\n"
                     "audience_friends_at_most+no_friend_uses:phoneco+not_uses:phoneco\n"
                     "no_friend_of_friend_uses:phoneco+no_friend_uses:phoneco+not_uses:phoneco");
}

static void
test_possible_tour_dates (void)
{
    const char *const later[] = { "date=2015-05-01", NULL };
    g_autoptr (FsimScenario) s = load_tour (later);
    g_autoptr (FsimPossible) pp = analyse (s);
    g_assert_cmphex (pair (s, pp, "identity.name", "quiz")->channels, ==, 0);
    g_assert_cmphex (pair (s, pp, "identity.name", "broker")->channels, ==, 0);
    g_assert_cmphex (pair (s, pp, "identity.name", "phoneco")->channels, !=, 0);
    const char *const ended[] = { "date=2018-06-08", NULL };
    g_autoptr (FsimScenario) e = load_tour (ended);
    g_autoptr (FsimPossible) pe = analyse (e);
    g_assert_cmphex (pair (e, pe, "identity.name", "phoneco")->channels, ==, 0);
}

/* ---- against every user: blocked exactly when the tracer says not reached -------------------- */

/* The situation of user u, as restrictions on the partners and settings that @flow depends on. */
static GArray *
user_situation (const FsimScenario *s, const FsimPopulation *pop, size_t u, size_t f)
{
    GArray *x = g_array_new (FALSE, FALSE, sizeof (FsimSituationRef));
    size_t pw = pop->partner_words;
    g_autofree FsimWord *f1 = fsim_bits_new (pw), *f2 = fsim_bits_new (pw);
    for (size_t i = pop->friends->offsets[u]; i < pop->friends->offsets[u + 1]; i++) {
        size_t v = pop->friends->adj[i];
        fsim_bits_or (f1, pop->uses + v * pw, pw);
        for (size_t j = pop->friends->offsets[v]; j < pop->friends->offsets[v + 1]; j++)
            if (pop->friends->adj[j] != u)
                fsim_bits_or (f2, pop->uses + pop->friends->adj[j] * pw, pw);
    }
    for (size_t p = 0; p < s->n_partners; p++) {
        const char *id = s->partners[p].id;
        if (!fsim_bits_get (pop->uses + u * pw, p))
            g_array_append_val (x, ((FsimSituationRef){ FSIM_SITUATION_NOT_USES, id }));
        if (!fsim_bits_get (f1, p))
            g_array_append_val (x, ((FsimSituationRef){ FSIM_SITUATION_NO_FRIEND_USES, id }));
        if (!fsim_bits_get (f2, p))
            g_array_append_val (
                x, ((FsimSituationRef){ FSIM_SITUATION_NO_FRIEND_OF_FRIEND_USES, id }));
    }
    FsimAudience a = pop->audience[u * pop->n_fields + f];
    if (!pop->platform[u])
        g_array_append_val (x, ((FsimSituationRef){ FSIM_SITUATION_PLATFORM_OFF, NULL }));
    if (!fsim_bits_get (pop->apps_others + u * pop->field_words, f))
        g_array_append_val (x, ((FsimSituationRef){ FSIM_SITUATION_NOT_IN_APPS_OTHERS, NULL }));
    if (a <= FSIM_AUDIENCE_FRIENDS)
        g_array_append_val (x, ((FsimSituationRef){ FSIM_SITUATION_AUDIENCE_FRIENDS, NULL }));
    if (a == FSIM_AUDIENCE_ONLY_ME)
        g_array_append_val (x, ((FsimSituationRef){ FSIM_SITUATION_AUDIENCE_ONLY_ME, NULL }));
    return x;
}

static void
check_every_user (const FsimScenario *s)
{
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimPopulation) pop = fsim_population_build (s, &error);
    g_assert_no_error (error);
    g_autoptr (FsimDecisions) d = fsim_decisions_new (s, s->date);
    g_autoptr (FsimTracer) t = fsim_tracer_new (s, pop, d, &error);
    g_assert_no_error (error);
    g_autoptr (FsimPossible) pp = analyse (s);
    size_t np = s->n_partners;
    g_autofree guint8 *masks = g_new0 (guint8, s->n_fields * np + 1);
    for (size_t u = 0; u < pop->n_users; u++) {
        g_assert_true (fsim_tracer_user (t, u, masks, NULL));
        for (size_t f = 0; f < s->n_fields; f++) {
            g_autoptr (GArray) x = user_situation (s, pop, u, f);
            for (size_t p = 0; p < np; p++) {
                const FsimPossibleFlow *flow = fsim_possible_get (pp, f, p);
                guint8 m = masks[f * np + p];
                if (m)
                    g_assert_cmphex (m & ~flow->channels, ==, 0);
                if (!flow->complete)
                    continue;
                gboolean blocked =
                    fsim_possible_blocks (pp, flow, (const FsimSituationRef *) x->data, x->len);
                g_assert_cmpint (blocked, ==, m == 0);
            }
        }
    }
}

static void
test_possible_users_files (void)
{
    static const char *const files[][2] = {
        { "explain", "gates.json" },
        { "engine", "channels.json" },
        { "engine", "downstream.json" },
        { "engine", "fof.json" },
    };
    for (size_t i = 0; i < G_N_ELEMENTS (files); i++) {
        g_autofree char *path = fsim_test_data_path (files[i][0], files[i][1], NULL);
        g_autoptr (FsimScenario) s = fsim_test_load (path, NULL);
        check_every_user (s);
    }
    g_autoptr (FsimScenario) tour = load_tour (NULL);
    check_every_user (tour);
}

static void
test_possible_users_random (void)
{
    for (guint32 seed = 1; seed <= 60; seed++) {
        g_autoptr (GError) error = NULL;
        g_autofree char *text = fsim_random_scenario (seed, seed % 2 == 0);
        g_autofree char *name = g_strdup_printf ("random-%u.json", seed);
        g_test_message ("random scenario %u", seed);
        g_autoptr (FsimScenario) s = fsim_loader_load_string (name, text, NULL, &error);
        g_assert_no_error (error);
        check_every_user (s);
    }
}

/* The room the estimate makes (room.h) holds the text and the JSON of the tour's analysis and of
 * random scenarios': rendering never grows the string. */
static void
check_room (const FsimPossible *pp)
{
    for (int json = 0; json <= 1; json++) {
        g_autoptr (GString) out = g_string_new (NULL);
        g_autoptr (GError) error = NULL;
        guint64 room = fsim_possible_room (pp, json);
        g_assert_true (fsim_room_reserve (out, room, "the answer", &error));
        g_assert_no_error (error);
        const char *buffer = out->str;
        if (json)
            fsim_possible_render_json (pp, out);
        else
            fsim_possible_render_text (pp, out);
        g_assert_cmpuint (out->len, <=, room);
        g_assert_true (out->str == buffer);
    }
}

static void
test_possible_room (void)
{
    g_autoptr (FsimScenario) tour = load_tour (NULL);
    g_autoptr (FsimPossible) pp = analyse (tour);
    check_room (pp);
    for (guint32 seed = 1; seed <= 20; seed++) {
        g_autoptr (GError) error = NULL;
        g_autofree char *text = fsim_random_scenario (seed, seed % 2 == 0);
        g_autoptr (FsimScenario) s = fsim_loader_load_string ("random.json", text, NULL, &error);
        g_assert_no_error (error);
        g_autoptr (FsimPossible) each = analyse (s);
        check_room (each);
    }
}

/* ---- the command ------------------------------------------------------------------------------ */

static void
test_possible_cli_text (void)
{
    g_autofree char *path = fsim_test_source_path ("scenarios", "tour.json", NULL);
    g_autoptr (FsimTestRun) r = FSIM_RUN ("possible", path, "--field", "profile.religion");
    g_assert_cmpint (r->status, ==, FSIM_EXIT_OK);
    g_assert_cmpstr (r->err, ==, "");
    fsim_assert_contains (r->out, "  profile.religion  broker   servers      server, US  no  ");
    fsim_assert_contains (r->out,
                          "  profile.religion -> phoneco\n"
                          "    - does not use phoneco; no friend uses phoneco\n"
                          "    - does not use phoneco; shows profile.religion to only_me\n");
    fsim_assert_contains (r->out, "Not possible on this date\n  profile.religion -> broker: "
                                  "no allowed route: no API it integrates offers it");
    g_assert_null (strstr (r->out, "identity.name"));
}

static void
test_possible_cli_json (void)
{
    g_autofree char *path = fsim_test_source_path ("scenarios", "tour.json", NULL);
    g_autoptr (FsimTestRun) r = FSIM_RUN ("possible", path, "--partner", "broker", "--format",
                                          "json", "--date", "2014-06-01");
    g_assert_cmpint (r->status, ==, FSIM_EXIT_OK);
    g_autoptr (GHashTable) j = json_check_parse (r->out);
    g_assert_nonnull (j);
    g_assert_cmpstr (g_hash_table_lookup (j, "flows#"), ==, "4");
    g_assert_cmpstr (g_hash_table_lookup (j, "flows[0].possible"), ==, "true");
    g_assert_cmpstr (g_hash_table_lookup (j, "flows[0].channels[0]"), ==, "downstream");
    g_assert_cmpstr (g_hash_table_lookup (j, "flows[0].routes[0].via"), ==, "quiz");
    g_assert_cmpstr (g_hash_table_lookup (j, "flows[0].blocked_when[0][0].situation"), ==,
                     "platform_off");
    g_assert_cmpstr (g_hash_table_lookup (j, "flows[3].possible"), ==, "false");
}

static void
test_possible_cli_policy (void)
{
    g_autofree char *path = fsim_test_source_path ("policies", "device-integrated.json", NULL);
    g_autoptr (FsimTestRun) a = FSIM_RUN ("possible", path);
    g_assert_cmpint (a->status, ==, FSIM_EXIT_USAGE);
    fsim_assert_contains (a->err, "give --date");
    g_autoptr (FsimTestRun) b = FSIM_RUN ("possible", path, "--date", "2018-06-08", "--partner",
                                          "huawei", "--field", "profile.religion");
    g_assert_cmpint (b->status, ==, FSIM_EXIT_OK);
    fsim_assert_contains (b->out, "profile.religion -> huawei: no allowed route");
    g_autoptr (FsimTestRun) c = FSIM_RUN ("possible", path, "--date", "2018-02-30");
    g_assert_cmpint (c->status, ==, FSIM_EXIT_USAGE);
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    g_test_add_func ("/possible/tour/channels", test_possible_tour_channels);
    g_test_add_func ("/possible/tour/blockers", test_possible_tour_blockers);
    g_test_add_func ("/possible/tour/dates", test_possible_tour_dates);
    g_test_add_func ("/possible/users/files", test_possible_users_files);
    g_test_add_func ("/possible/users/random", test_possible_users_random);
    g_test_add_func ("/possible/room", test_possible_room);
    g_test_add_func ("/possible/cli/text", test_possible_cli_text);
    g_test_add_func ("/possible/cli/json", test_possible_cli_json);
    g_test_add_func ("/possible/cli/policy", test_possible_cli_policy);
    return g_test_run ();
}
