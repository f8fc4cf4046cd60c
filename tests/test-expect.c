/* SPDX-License-Identifier: MIT */
/* test-expect.c: the "expect" array, checking it, counterexamples, `flowsim check`'s formats. */
#include <string.h>

#include <glib.h>

#include "cli.h"
#include "expect.h"
#include "json-check.h"
#include "loader.h"
#include "run-util.h"
#include "test-util.h"

/*
 * tests/data/expect/tour.json extends the tour (docs/semantics.md works it by hand) with nine
 * expectations. On 2014-06-01: religion reaches phoneco's handsets for bob, dave and frank;
 * names reach phoneco without consent for bob, dave, alice and erin; no religion reaches the
 * broker; five users' names reach phoneco (tagged china). phoneco is denied from 2018-06-08;
 * Graph API v1.0 (and so the broker's supply) ends on 2015-04-30.
 */

static FsimScenario *
load_data (const char *file, GError **error)
{
    g_autofree char *path = fsim_test_data_path ("expect", file, NULL);
    return fsim_loader_load (path, NULL, error);
}

/* Loads @text as if it were tests/data/expect/inline.json. */
static FsimScenario *
load_text (const char *text, GError **error)
{
    g_autofree char *path = fsim_test_data_path ("expect", "inline.json", NULL);
    return fsim_loader_load_string (path, text, NULL, error);
}

static FsimCheck *
check (const FsimScenario *s, FsimPopulation **out_pop)
{
    g_autoptr (GError) error = NULL;
    FsimPopulation *pop = fsim_population_build (s, &error);
    g_assert_no_error (error);
    FsimCheck *c = fsim_check_run (s, pop, &error);
    g_assert_no_error (error);
    *out_pop = pop;
    return c;
}

static const FsimCheckResult *
result (const FsimCheck *c, const char *id)
{
    for (guint i = 0; i < c->results->len; i++) {
        const FsimCheckResult *r = &g_array_index (c->results, FsimCheckResult, i);
        if (strcmp (r->x->id, id) == 0)
            return r;
    }
    g_assert_not_reached ();
    return NULL;
}

/* ---- loading ---------------------------------------------------------------------------------- */

static void
test_expect_load (void)
{
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimScenario) s = load_data ("tour.json", &error);
    g_assert_no_error (error);
    g_assert_cmpuint (s->n_expects, ==, 9);
    const FsimExpectation *x = &s->expects[0];
    g_assert_cmpstr (x->id, ==, "no-sensitive-in-cn");
    g_assert_cmpint (x->kind, ==, FSIM_EXPECT_NO_FLOW);
    g_assert_true (x->sensitive);
    g_assert_cmpuint (fsim_bits_count (x->fields, s->field_words), ==, 1); /* religion */
    g_assert_cmpstr (x->jurisdiction, ==, "CN");
    g_assert_null (x->partner);
    g_assert_cmpint (x->loc.line, ==, 6);
    g_assert_cmpuint (s->expects[4].count, ==, 1); /* reaches: 1 by default */
    g_assert_cmpuint (s->expects[5].count, ==, 5);
    g_assert_cmpstr (s->expects[8].note, ==, "Graph API v1.0 ended on 30 April 2015");
    g_assert_cmpstr (fsim_expect_kind_to_string (s->expects[6].kind), ==, "nothing_after");
    g_autofree char *day = fsim_day_format (s->expects[6].date);
    g_assert_cmpstr (day, ==, "2018-06-07");
}

static void
assert_load_error (const char *expect, const char *message)
{
    g_autoptr (GError) error = NULL;
    g_autofree char *text = g_strdup_printf (
        "{\n  \"scenario\": \"x\",\n  \"extends\": \"../../../scenarios/tour.json\",\n"
        "  \"expect\": [\n    %s\n  ]\n}\n",
        expect);
    g_autoptr (FsimScenario) s = load_text (text, &error);
    g_assert_null (s);
    g_assert_nonnull (error);
    g_test_message ("%s", error->message);
    g_assert_true (g_str_has_suffix (error->message, message));
    fsim_assert_contains (error->message, "inline.json:5:");
}

static void
test_expect_load_errors (void)
{
    assert_load_error ("{ \"id\": \"a\", \"kind\": \"no_flows\" }",
                       "expect[0].kind: unknown kind 'no_flows'; did you mean 'no_flow'?");
    assert_load_error ("{ \"id\": \"a\", \"kind\": \"no_flow\", \"count\": 3 }",
                       "expect[0].count: 'count' only applies to at_most and reaches "
                       "expectations");
    assert_load_error ("{ \"id\": \"a\", \"kind\": \"at_most\" }",
                       "expect[0]: missing required key 'count' (the most users allowed)");
    assert_load_error ("{ \"id\": \"a\", \"kind\": \"nothing_after\", \"partner\": \"quiz\" }",
                       "missing required key 'date' (the last day the partner may receive "
                       "data)");
    assert_load_error ("{ \"id\": \"a\", \"kind\": \"no_flow\", \"jurisdiction\": \"China\" }",
                       "expect[0].jurisdiction: 'China' is not a jurisdiction (expected an ISO "
                       "3166-1 alpha-2 code such as \"CN\", or \"device\")");
    assert_load_error (
        "{ \"id\": \"a\", \"kind\": \"no_flow\", \"fields\": [\"profile.relgion\"] }",
        "field pattern 'profile.relgion' selects no field; did you mean "
        "'profile.religion'?");
    assert_load_error ("{ \"id\": \"a\", \"kind\": \"no_flow\", \"partner\": \"phonco\" }",
                       "expect[0].partner: unknown partner 'phonco'; did you mean 'phoneco'?");
    assert_load_error ("{ \"id\": \"a\", \"kind\": \"reaches\", \"count\": 0 }",
                       "expect[0].count: 0 is out of range (expected an integer from 1 to "
                       "4294967295)");
    assert_load_error ("{ \"id\": \"a\", \"kind\": \"no_flow\" }, { \"id\": \"a\", \"kind\": "
                       "\"no_flow\" }",
                       "expect[1].id: duplicate expectation id 'a' (first defined at 5:5)");
    assert_load_error ("{ \"id\": \"a\", \"kind\": \"no_flow\", \"partners\": [] }",
                       "expect[0].partners: unknown key 'partners'; did you mean 'partner'?");
}

/* ---- checking --------------------------------------------------------------------------------- */

static void
test_expect_check_tour (void)
{
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimScenario) s = load_data ("tour.json", &error);
    g_assert_no_error (error);
    g_autoptr (FsimPopulation) pop = NULL;
    g_autoptr (FsimCheck) c = check (s, &pop);
    g_assert_false (fsim_check_passed (c));
    static const struct {
        const char *id;
        gboolean passed;
        size_t users;
        const char *user;
    } want[] = {
        { "no-sensitive-in-cn", TRUE, 0, NULL },
        { "no-sensitive-on-devices", FALSE, 3, "bob" },
        { "names-phoneco-4", TRUE, 4, NULL },
        { "names-phoneco-3", FALSE, 4, "alice" },
        { "religion-broker", FALSE, 0, "alice" },
        { "names-china", TRUE, 5, NULL },
        { "phoneco-after-wind-down", TRUE, 0, NULL },
        { "phoneco-after-2014", FALSE, 5, "alice" },
        { "broker-after-v1", TRUE, 0, NULL },
    };
    for (size_t i = 0; i < G_N_ELEMENTS (want); i++) {
        const FsimCheckResult *r = result (c, want[i].id);
        g_test_message ("%s", want[i].id);
        g_assert_cmpint (r->passed, ==, want[i].passed);
        g_assert_cmpuint (r->users, ==, want[i].users);
        if (want[i].user)
            g_assert_cmpstr (pop->user_ids[r->user], ==, want[i].user);
        else
            g_assert_cmpint (r->user, ==, -1);
    }
    g_autofree char *d1 = fsim_day_format (result (c, "phoneco-after-2014")->day);
    g_assert_cmpstr (d1, ==, "2014-01-02");
    const FsimCheckResult *v1 = result (c, "broker-after-v1");
    g_assert_cmpuint (v1->n_days, ==, 2); /* 2015-04-30 and 2018-06-08 */
    g_assert_cmpstr (result (c, "names-phoneco-3")->description, ==,
                     "at most 3 users with identity.name reaching phoneco without consent");
    g_assert_cmpstr (result (c, "no-sensitive-in-cn")->description, ==,
                     "no user with profile.religion reaching any partner in CN");
}

static void
test_expect_counterexample (void)
{
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimScenario) s = load_data ("tour.json", &error);
    g_assert_no_error (error);
    g_autoptr (FsimPopulation) pop = NULL;
    g_autoptr (FsimCheck) c = check (s, &pop);
    g_autoptr (GString) out = g_string_new (NULL);
    g_assert_true (
        fsim_check_counterexample (s, pop, result (c, "names-phoneco-3"), 2, out, &error));
    g_assert_no_error (error);
    fsim_assert_contains (out->str, "  counterexample: alice's identity.name reached phoneco "
                                    "(Phone maker) without consent on 2014-06-01\n"
                                    "    open    friend of friend: API device, scope device_fof\n"
                                    "            friends of friends who use it: frank (through "
                                    "bob)\n");
    g_string_truncate (out, 0);
    g_assert_true (
        fsim_check_counterexample (s, pop, result (c, "religion-broker"), 0, out, &error));
    g_assert_true (g_str_has_prefix (out->str, "counterexample: alice's profile.religion did "
                                               "not reach broker (Data broker) on 2014-06-01\n"
                                               "  closed  downstream from quiz ("));
    g_assert_true (g_str_has_suffix (out->str, "tour.json:53:18)\n          blocked: the share "
                                               "does not carry profile.religion\n"));
}

/* ---- the command ------------------------------------------------------------------------------ */

static char *
data (const char *file)
{
    return fsim_test_data_path ("expect", file, NULL);
}

static void
test_expect_cli_text (void)
{
    g_autofree char *tour = data ("tour.json");
    g_autofree char *passing = data ("passing.json");
    g_autoptr (FsimTestRun) r = FSIM_RUN ("check", passing, tour);
    g_assert_cmpint (r->status, ==, FSIM_EXIT_CHECKS_FAILED);
    g_assert_cmpstr (r->err, ==, "");
    fsim_assert_contains (r->out, "  PASS  quiz-reaches-friends: at least 2 users with "
                                  "identity.name reaching quiz without consent: 2 users\n");
    fsim_assert_contains (r->out, "  FAIL  names-phoneco-3: at most 3 users with identity.name "
                                  "reaching phoneco without consent: 4 users\n        at ");
    fsim_assert_contains (r->out, "        counterexample: bob's profile.religion reached "
                                  "phoneco (Phone maker) without consent on 2014-06-01\n");
    g_assert_true (g_str_has_suffix (r->out, "\n4 of 11 expectations failed\n"));
    g_autoptr (FsimTestRun) ok = FSIM_RUN ("check", passing);
    g_assert_cmpint (ok->status, ==, FSIM_EXIT_OK);
    g_assert_true (g_str_has_suffix (ok->out, "\n0 of 2 expectations failed\n"));
}

static void
test_expect_cli_tap (void)
{
    g_autofree char *tour = data ("tour.json");
    g_autoptr (FsimTestRun) r = FSIM_RUN ("check", "--format", "tap", tour);
    g_assert_cmpint (r->status, ==, FSIM_EXIT_CHECKS_FAILED);
    g_assert_true (g_str_has_prefix (r->out, "TAP version 13\n1..9\nok 1 - expect-tour: "
                                             "no-sensitive-in-cn\n  ---\n"));
    fsim_assert_contains (r->out, "not ok 4 - expect-tour: names-phoneco-3\n  ---\n"
                                  "  assertion: \"at most 3 users with identity.name reaching "
                                  "phoneco without consent\"\n  result: \"4 users\"\n");
    fsim_assert_contains (r->out, "  counterexample: |\n    counterexample: alice's");
    g_assert_true (g_str_has_suffix (r->out, "  ...\n"));
}

static void
test_expect_cli_junit (void)
{
    g_autofree char *tour = data ("tour.json");
    g_autoptr (FsimTestRun) r = FSIM_RUN ("check", "--format", "junit", tour);
    g_assert_cmpint (r->status, ==, FSIM_EXIT_CHECKS_FAILED);
    g_assert_true (g_str_has_prefix (r->out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                             "<testsuites name=\"flowsim check\" tests=\"9\" "
                                             "failures=\"4\" errors=\"0\">\n  <testsuite "
                                             "name=\"expect-tour\" tests=\"9\" failures=\"4\" "
                                             "file=\""));
    fsim_assert_contains (r->out, "    <testcase classname=\"expect-tour\" "
                                  "name=\"no-sensitive-in-cn\" file=\"");
    fsim_assert_contains (r->out, "<failure type=\"expectation\" message=\"at most 3 users with "
                                  "identity.name reaching phoneco without consent: 4 users\">"
                                  "counterexample: alice&#39;s identity.name reached");
    fsim_assert_contains (r->out, "API device ignores the platform switch and &quot;apps "
                                  "others use&quot;\n</failure>\n    </testcase>\n");
    g_assert_true (g_str_has_suffix (r->out, "  </testsuite>\n</testsuites>\n"));
}

static void
test_expect_cli_json (void)
{
    g_autofree char *tour = data ("tour.json");
    g_autoptr (FsimTestRun) r = FSIM_RUN ("check", "--format", "json", tour);
    g_assert_cmpint (r->status, ==, FSIM_EXIT_CHECKS_FAILED);
    g_autoptr (GHashTable) j = json_check_parse (r->out);
    g_assert_nonnull (j);
    g_assert_cmpstr (g_hash_table_lookup (j, "passed"), ==, "false");
    g_assert_cmpstr (g_hash_table_lookup (j, "expectations#"), ==, "9");
    g_assert_cmpstr (g_hash_table_lookup (j, "expectations[1].id"), ==, "no-sensitive-on-devices");
    g_assert_cmpstr (g_hash_table_lookup (j, "expectations[1].users"), ==, "3");
    g_assert_cmpstr (g_hash_table_lookup (j, "expectations[1].counterexample.user"), ==, "bob");
    g_assert_cmpstr (g_hash_table_lookup (j, "expectations[1].counterexample.partner"), ==,
                     "phoneco");
    g_assert_cmpstr (g_hash_table_lookup (j, "expectations[0].counterexample"), ==, "null");
    g_assert_cmpstr (g_hash_table_lookup (j, "expectations[7].day"), ==, "2014-01-02");
}

/* Every bundled scenario's expectations hold. */
static void
test_expect_cli_bundled (void)
{
    g_autofree char *dir = fsim_test_source_path ("scenarios", NULL);
    g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
    g_assert_nonnull (d);
    g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
    g_ptr_array_add (argv, g_strdup ("check"));
    for (const char *name; (name = g_dir_read_name (d));)
        if (g_str_has_suffix (name, ".json"))
            g_ptr_array_add (argv, g_build_filename (dir, name, NULL));
    g_ptr_array_add (argv, NULL);
    g_autoptr (FsimTestRun) r = fsim_test_run (NULL, NULL, (const char *const *) argv->pdata);
    g_test_message ("%s", r->out);
    g_assert_cmpint (r->status, ==, FSIM_EXIT_OK);
    fsim_assert_contains (r->out, "\n0 of ");
}

static void
test_expect_cli_usage (void)
{
    g_autoptr (FsimTestRun) a = FSIM_RUN ("check");
    g_assert_cmpint (a->status, ==, FSIM_EXIT_USAGE);
    g_autofree char *tour = data ("tour.json");
    g_autoptr (FsimTestRun) b = FSIM_RUN ("check", "--format", "xml", tour);
    g_assert_cmpint (b->status, ==, FSIM_EXIT_USAGE);
    g_autofree char *policy = fsim_test_source_path ("policies", "fields.json", NULL);
    g_autoptr (FsimTestRun) c = FSIM_RUN ("check", policy);
    g_assert_cmpint (c->status, ==, FSIM_EXIT_INPUT);
    fsim_assert_contains (c->err, "a policy file, not a scenario");
}

/* A file that cannot be checked is a failed case in every format; check goes on and exits 3. */
static void
test_expect_cli_batch (void)
{
    g_autofree char *tour = data ("tour.json");
    g_autofree char *bad = fsim_test_data_path ("lint", "unknown-field.json", NULL);
    g_autoptr (FsimTestRun) t = FSIM_RUN ("check", tour, bad);
    g_assert_cmpint (t->status, ==, FSIM_EXIT_INPUT);
    fsim_assert_contains (t->out, "unknown-field.json: could not be checked\n  ERROR  ");
    fsim_assert_contains (t->out, "; 1 of 2 files could not be checked\n");
    fsim_assert_contains (t->err, "flowsim: error: ");
    fsim_assert_contains (t->err, "unknown-field.json:9:33: ");
    g_autoptr (FsimTestRun) tap = FSIM_RUN ("check", "--format", "tap", bad, tour);
    g_assert_cmpint (tap->status, ==, FSIM_EXIT_INPUT);
    fsim_assert_contains (tap->out, "not ok 1 - ");
    fsim_assert_contains (tap->out, "unknown-field.json: could not be checked\n  ---\n  error: ");
    fsim_assert_contains (tap->out, "\nok 2 - ");
    g_autoptr (FsimTestRun) junit = FSIM_RUN ("check", "--format", "junit", tour, bad);
    g_assert_cmpint (junit->status, ==, FSIM_EXIT_INPUT);
    fsim_assert_contains (junit->out, "errors=\"1\">");
    fsim_assert_contains (junit->out, "name=\"load\"");
    fsim_assert_contains (junit->out, "<error type=\"input\" message=\"");
    g_autoptr (FsimTestRun) json = FSIM_RUN ("check", "--format", "json", tour, bad);
    g_assert_cmpint (json->status, ==, FSIM_EXIT_INPUT);
    g_autoptr (GHashTable) j = json_check_parse (json->out);
    g_assert_nonnull (j);
    g_assert_cmpstr (g_hash_table_lookup (j, "passed"), ==, "false");
    fsim_assert_contains (g_hash_table_lookup (j, "failed_files[0].file"), "unknown-field.json");
    fsim_assert_contains (g_hash_table_lookup (j, "failed_files[0].errors[0]"),
                          "unknown-field.json:9:33: ");
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    g_test_add_func ("/expect/load", test_expect_load);
    g_test_add_func ("/expect/load/errors", test_expect_load_errors);
    g_test_add_func ("/expect/check/tour", test_expect_check_tour);
    g_test_add_func ("/expect/check/counterexample", test_expect_counterexample);
    g_test_add_func ("/expect/cli/text", test_expect_cli_text);
    g_test_add_func ("/expect/cli/tap", test_expect_cli_tap);
    g_test_add_func ("/expect/cli/junit", test_expect_cli_junit);
    g_test_add_func ("/expect/cli/json", test_expect_cli_json);
    g_test_add_func ("/expect/cli/bundled", test_expect_cli_bundled);
    g_test_add_func ("/expect/cli/usage", test_expect_cli_usage);
    g_test_add_func ("/expect/cli/batch", test_expect_cli_batch);
    return g_test_run ();
}
