/* SPDX-License-Identifier: MIT */
/* test-loader.c: the loader's merging (include, extends, set) and typed conversion. */
#include <string.h>

#include <glib.h>

#include "loader.h"
#include "test-util.h"

static FsimScenario *
load_data (const char *name, const char *const *sets)
{
    g_autofree char *path = fsim_test_data_path ("loader", name, NULL);
    return fsim_test_load (path, sets);
}

static void
test_loader_include_basic (void)
{
    g_autoptr (FsimScenario) s = load_data ("base.json", NULL);
    g_assert_cmpstr (s->id, ==, "base");
    g_assert_cmpstr (s->date_string, ==, "2014-06-01");
    g_assert_cmpuint (s->seed, ==, 7);
    g_assert_cmpuint (s->n_fields, ==, 4);
    g_assert_cmpuint (s->field_words, ==, 1);
    g_assert_true (s->fields[2].sensitive);
    g_assert_cmpstr (s->fields[1].label, ==, "Birthday");
    g_assert_cmpstr (s->fields[0].label, ==, "identity.name");
    g_assert_cmpuint (s->n_apis, ==, 1);
    g_assert_cmpuint (s->apis[0].respects, ==, 7);
    g_assert_cmpuint (s->apis[0].n_scopes, ==, 3);
    /* "identity" is a prefix pattern: it selects identity.name (field 0) */
    g_assert_cmpuint (s->apis[0].scopes[2].fields[0], ==, 1u);
    g_assert_cmpint (s->apis[0].scopes[1].subject, ==, FSIM_SUBJECT_FRIENDS);
    g_assert_cmpuint (s->n_partners, ==, 2);
    const FsimPartner *quiz = &s->partners[0];
    g_assert_cmpstr (quiz->id, ==, "quiz");
    g_assert_cmpuint (quiz->n_apis, ==, 1);
    /* requests "user_*" and "friends_birthday": scopes 0 and 1 of graph-v1 */
    g_assert_cmpuint (quiz->requested[0][0], ==, 3u);
    /* destinations "*" selects all four fields */
    g_assert_cmpuint (quiz->destinations[0].fields[0], ==, 15u);
    g_assert_false (quiz->destinations[0].on_device);
    g_assert_cmpstr (quiz->destinations[0].jurisdiction, ==, "US");
    g_assert_cmpuint (quiz->n_shares, ==, 1);
    g_assert_cmpuint (quiz->shares[0].partner, ==, 1);
    g_assert_cmpuint (quiz->shares[0].fields[0], ==, 6u); /* profile.birthday, profile.religion */
    /* "profile.*" on the broker's destination */
    g_assert_cmpuint (s->partners[1].destinations[0].fields[0], ==, 6u);
    g_assert_cmpuint (s->n_rules, ==, 1);
    g_assert_true (s->rules[0].allow);
    g_assert_cmpstr (s->rules[0].scopes[0], ==, "*");
    g_assert_cmpint (s->rules[0].loc.line, ==, 40);
    g_assert_cmpint (s->rules[0].loc.col, ==, 5);
    g_assert_true (g_str_has_suffix (s->rules[0].loc.file, "model.json"));
}

static void
test_loader_population_explicit (void)
{
    g_autoptr (FsimScenario) s = load_data ("base.json", NULL);
    const FsimPopulationSpec *ps = &s->population;
    g_assert_cmpint (ps->kind, ==, FSIM_POPULATION_EXPLICIT);
    g_assert_cmpuint (ps->n_users, ==, 3);
    const FsimUserSpec *alice = &ps->users[0], *bob = &ps->users[1], *carol = &ps->users[2];
    g_assert_cmpuint (alice->n_friends, ==, 1);
    g_assert_cmpuint (alice->friends[0], ==, 1);
    g_assert_cmpuint (alice->uses[0], ==, 1u);
    g_assert_true (alice->settings.platform);
    g_assert_false (bob->settings.platform);
    g_assert_cmpuint (alice->settings.apps_others[0], ==, 15u);
    g_assert_cmpuint (carol->settings.apps_others[0], ==, 0u);
    /* defaults: friends everywhere, religion only_me (exact beats "*") */
    g_assert_cmpint (alice->settings.audience[1], ==, FSIM_AUDIENCE_FRIENDS);
    g_assert_cmpint (alice->settings.audience[2], ==, FSIM_AUDIENCE_ONLY_ME);
    /* carol's "profile": public overrides the defaults for both profile fields */
    g_assert_cmpint (carol->settings.audience[1], ==, FSIM_AUDIENCE_PUBLIC);
    g_assert_cmpint (carol->settings.audience[2], ==, FSIM_AUDIENCE_PUBLIC);
    g_assert_cmpint (carol->settings.audience[0], ==, FSIM_AUDIENCE_FRIENDS);
}

static void
test_loader_extends_set (void)
{
    g_autoptr (FsimScenario) s = load_data ("whatif.json", NULL);
    g_assert_cmpstr (s->id, ==, "whatif");
    g_assert_cmpstr (s->title, ==, "What if the quiz kept data in Russia");
    g_assert_cmpstr (s->date_string, ==, "2015-05-01");
    g_assert_cmpuint (s->seed, ==, 7); /* from the base */
    g_assert_cmpuint (s->n_rules, ==, 1);
    g_assert_false (s->rules[0].allow); /* replaced by id */
    g_assert_true (g_str_has_suffix (s->rules[0].loc.file, "whatif.json"));
    g_assert_cmpstr (s->partners[0].destinations[0].jurisdiction, ==, "RU");
    g_assert_cmpuint (s->population.n_users, ==, 3);
}

static void
test_loader_cli_set (void)
{
    const char *const sets[] = { "seed=99", "population.users[1].settings.platform=true",
                                 "partners[broker].destinations[0].fields=[\"profile.birthday\"]",
                                 NULL };
    g_autoptr (FsimScenario) s = load_data ("base.json", sets);
    g_assert_cmpuint (s->seed, ==, 99);
    g_assert_true (s->population.users[1].settings.platform);
    g_assert_cmpuint (s->partners[1].destinations[0].fields[0], ==, 2u);
}

static void
expect_error (const char *name, const char *const *sets, int code, const char *fragment)
{
    g_autofree char *path = fsim_test_data_path ("loader", name, NULL);
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimScenario) s = fsim_loader_load (path, sets, &error);
    g_assert_null (s);
    g_assert_error (error, FSIM_LOADER_ERROR, code);
    if (!strstr (error->message, fragment))
        g_error ("message '%s' lacks '%s'", error->message, fragment);
}

static void
test_loader_set_errors (void)
{
    const char *const bad_path[] = { "partners[nobody].name=x", NULL };
    expect_error ("base.json", bad_path, FSIM_LOADER_ERROR_SET, "no element 'nobody'");
    const char *const bad_value[] = { "seed=-3", NULL };
    expect_error ("base.json", bad_value, FSIM_LOADER_ERROR_VALUE, "--set seed:1:6: seed: -3");
    const char *const new_key[] = { "population.bogus=1", NULL };
    expect_error ("base.json", new_key, FSIM_LOADER_ERROR_SCHEMA,
                  "population.bogus: unknown key 'bogus'");
    const char *const no_eq[] = { "seed", NULL };
    expect_error ("base.json", no_eq, FSIM_LOADER_ERROR_SET, "expected PATH=VALUE");
}

static void
test_loader_include_twice (void)
{
    /* model.json is included directly and through extra-app.json: read once, no duplicates */
    g_autoptr (FsimScenario) s = load_data ("include-twice.json", NULL);
    g_assert_cmpuint (s->n_fields, ==, 4);
    g_assert_cmpuint (s->n_partners, ==, 3);
    g_assert_cmpstr (s->partners[2].id, ==, "game");
    g_assert_cmpuint (s->n_rules, ==, 1);
}

static void
test_loader_set_unknown_top_key (void)
{
    const char *const typo[] = { "datee=2015-01-01", NULL };
    expect_error ("base.json", typo, FSIM_LOADER_ERROR_SCHEMA,
                  "--set datee:1:1: datee: unknown key 'datee'; did you mean 'date'?");
    const char *const junk[] = { "nosuch=1", NULL };
    expect_error ("base.json", junk, FSIM_LOADER_ERROR_SCHEMA, "unknown key 'nosuch'");
}

/* --set paths with selectors change every element they pick and say how many (issue 15). */
static void
test_loader_set_selectors (void)
{
    g_autofree char *tour = fsim_test_source_path ("scenarios", "tour.json", NULL);
    const char *const sets[] = { "partners[tag:nosuch].kind=x", NULL };
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimScenario) none = fsim_loader_load (tour, sets, &error);
    g_assert_null (none);
    g_assert_error (error, FSIM_LOADER_ERROR, FSIM_LOADER_ERROR_SET);
    g_assert_nonnull (strstr (error->message, "'[tag:nosuch]' selects no element"));
    g_clear_error (&error);
    const char *const good[] = { "partners[*].destinations[*].jurisdiction=\"RU\"",
                                 "partners[phoneco].destinations[*].jurisdiction=\"CN\"",
                                 "partners[q*].name=Q", "date=2015-01-01", NULL };
    /* phoneco's destination is on the device: give it a server first */
    const char *const all[] = { "partners[kind:device_maker].destinations[*].location=server",
                                good[0],
                                good[1],
                                good[2],
                                good[3],
                                NULL };
    g_autoptr (FsimScenario) s = fsim_loader_load (tour, all, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (s->n_overrides, ==, 5);
    g_assert_cmpstr (s->overrides[0].path, ==,
                     "partners[kind:device_maker].destinations[*].location");
    g_assert_cmpstr (s->overrides[0].value, ==, "\"server\"");
    g_assert_cmpuint (s->overrides[0].changed, ==, 1);
    g_assert_cmpuint (s->overrides[1].changed, ==, 3); /* quiz, broker, phoneco */
    g_assert_cmpuint (s->overrides[2].changed, ==, 1);
    g_assert_cmpuint (s->overrides[3].changed, ==, 1);
    g_assert_cmpuint (s->overrides[4].changed, ==, 1);
    gssize q = fsim_scenario_find_partner (s, "quiz");
    gssize p = fsim_scenario_find_partner (s, "phoneco");
    g_assert_cmpstr (s->partners[q].destinations[0].jurisdiction, ==, "RU");
    g_assert_cmpstr (s->partners[q].name, ==, "Q");
    g_assert_cmpstr (s->partners[p].destinations[0].jurisdiction, ==, "CN");
    g_assert_false (s->partners[p].destinations[0].on_device);
}

static void
test_loader_string_source (void)
{
    g_autofree char *dir = fsim_test_data_path ("loader", "inline.json", NULL);
    const char *text = "{\"scenario\": \"x\", \"date\": \"2012-02-29\", \"include\": "
                       "[\"model.json\"], \"population\": {\"users\": [{\"id\": \"a\"}]}}";
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimScenario) s = fsim_loader_load_string (dir, text, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (s->date_string, ==, "2012-02-29");
    g_assert_cmpuint (s->n_partners, ==, 2);
    g_assert_cmpuint (s->seed, ==, 1);
}

/* A source is a publication (publisher, title, date at day, month or year precision, the
 * original URL, the copy it was read in) or, in users' own files, a bare URL. */
static void
test_loader_sources_objects (void)
{
    g_autofree char *dir = fsim_test_data_path ("loader", "inline.json", NULL);
    const char *text =
        "{\"scenario\": \"x\", \"date\": \"2012-02-29\", \"include\": [\"model.json\"],\n"
        " \"population\": {\"users\": [{\"id\": \"a\"}]},\n"
        " \"sources\": [\n"
        "  {\"publisher\": \"The New York Times\", \"title\": \"Facebook Gave Device Makers "
        "Deep Access\", \"date\": \"2018-06-03\",\n"
        "   \"url\": \"https://www.nytimes.com/2018/06/03/x.html\",\n"
        "   \"read_at\": \"https://web.archive.org/web/2018/https://www.nytimes.com/x\",\n"
        "   \"note\": \"the BlackBerry test\"},\n"
        "  \"https://example.org/own-notes\",\n"
        "  {\"publisher\": \"Facebook\", \"title\": \"Letter\", \"date\": \"2018-06\"},\n"
        "  {\"publisher\": \"FTC\", \"title\": \"Complaint\", \"date\": \"2019\"}],\n"
        " \"rules\": [{\"id\": \"r\", \"effect\": \"deny\", \"partners\": [\"quiz\"],\n"
        "   \"sources\": [{\"publisher\": \"P\", \"title\": \"T\", \"date\": \"2016-02-29\"}]}]}";
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimScenario) s = fsim_loader_load_string (dir, text, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (s->sources.n, ==, 4);
    const FsimSource *nyt = &s->sources.items[0];
    g_assert_cmpstr (nyt->publisher, ==, "The New York Times");
    g_assert_cmpstr (nyt->date, ==, "2018-06-03");
    g_assert_cmpstr (nyt->url, ==, "https://www.nytimes.com/2018/06/03/x.html");
    g_assert_cmpstr (nyt->read_at, ==,
                     "https://web.archive.org/web/2018/https://www.nytimes.com/x");
    g_assert_cmpint (nyt->loc.line, ==, 4);
    g_assert_cmpint (nyt->loc.col, ==, 3);
    g_autofree char *line = fsim_source_to_string (nyt);
    g_assert_cmpstr (line, ==,
                     "The New York Times, \"Facebook Gave Device Makers Deep Access\", 2018-06-03, "
                     "https://www.nytimes.com/2018/06/03/x.html (read at: "
                     "https://web.archive.org/web/2018/https://www.nytimes.com/x); the BlackBerry "
                     "test");
    const FsimSource *bare = &s->sources.items[1];
    g_assert_null (bare->publisher);
    g_assert_null (bare->date);
    g_assert_cmpstr (bare->url, ==, "https://example.org/own-notes");
    g_autofree char *bare_line = fsim_source_to_string (bare);
    g_assert_cmpstr (bare_line, ==, "https://example.org/own-notes");
    g_assert_cmpstr (s->sources.items[2].date, ==, "2018-06");
    g_assert_null (s->sources.items[2].url);
    g_autofree char *letter = fsim_source_to_string (&s->sources.items[2]);
    g_assert_cmpstr (letter, ==, "Facebook, \"Letter\", 2018-06");
    g_assert_cmpstr (s->sources.items[3].date, ==, "2019");
    gssize r = fsim_scenario_find_rule (s, "r");
    g_assert_cmpint (r, >=, 0);
    g_assert_cmpuint (s->rules[r].sources.n, ==, 1);
    g_assert_cmpstr (s->rules[r].sources.items[0].date, ==, "2016-02-29");
}

/* A partner's "consent" records a deceptive notice with its note and sources; by default it is
 * unchallenged; an unknown kind or a bare string is an error at its place. */
static void
test_loader_partner_consent (void)
{
    g_autofree char *dir = fsim_test_data_path ("loader", "inline.json", NULL);
    const char *fmt =
        "{\"scenario\": \"x\", \"date\": \"2014-08-01\", \"include\": [\"model.json\"],\n"
        " \"population\": {\"users\": [{\"id\": \"a\"}]},\n"
        " \"partners\": [{\"id\": \"gsr\", \"kind\": \"app\", \"integrates\": [\"graph-v1\"],\n"
        "   \"requests\": [\"user_birthday\"], \"destinations\": [{\"id\": \"s\", \"location\":\n"
        "   \"server\", \"jurisdiction\": \"GB\", \"fields\": [\"*\"]}],\n"
        "   \"consent\": %s}]}";
    g_autofree char *good = g_strdup_printf (
        fmt, "{\"kind\": \"deceptive\", \"note\": \"the FTC alleges\", \"sources\": "
             "[{\"publisher\": \"FTC\", \"title\": \"Complaint\", \"date\": \"2019-07-24\"}]}");
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimScenario) s = fsim_loader_load_string (dir, good, NULL, &error);
    g_assert_no_error (error);
    gssize gsr = fsim_scenario_find_partner (s, "gsr");
    g_assert_cmpint (gsr, >=, 0);
    const FsimConsent *c = &s->partners[gsr].consent;
    g_assert_cmpint (c->kind, ==, FSIM_CONSENT_DECEPTIVE);
    g_assert_cmpstr (c->note, ==, "the FTC alleges");
    g_assert_cmpuint (c->sources.n, ==, 1);
    g_assert_cmpstr (c->sources.items[0].publisher, ==, "FTC");
    g_assert_cmpstr (fsim_consent_kind_to_string (c->kind), ==, "deceptive");
    gssize quiz = fsim_scenario_find_partner (s, "quiz");
    g_assert_cmpint (s->partners[quiz].consent.kind, ==, FSIM_CONSENT_UNCHALLENGED);
    g_assert_null (s->partners[quiz].consent.note);

    g_autofree char *bad_kind = g_strdup_printf (fmt, "{\"kind\": \"informed\"}");
    g_autoptr (FsimScenario) s2 = fsim_loader_load_string (dir, bad_kind, NULL, &error);
    g_assert_null (s2);
    g_assert_error (error, FSIM_LOADER_ERROR, FSIM_LOADER_ERROR_VALUE);
    g_assert_nonnull (strstr (error->message, ":6:24: partners[0].consent.kind: 'informed' is "
                                              "not a kind of consent"));
    g_clear_error (&error);
    g_autofree char *bare = g_strdup_printf (fmt, "\"deceptive\"");
    g_autoptr (FsimScenario) s3 = fsim_loader_load_string (dir, bare, NULL, &error);
    g_assert_null (s3);
    g_assert_nonnull (strstr (error->message, "partners[0].consent"));
}

static void
test_loader_day_parse (void)
{
    FsimDay d;
    g_assert_true (fsim_day_parse ("2015-04-30", &d));
    g_autofree char *back = fsim_day_format (d);
    g_assert_cmpstr (back, ==, "2015-04-30");
    FsimDay next;
    g_assert_true (fsim_day_parse ("2015-05-01", &next));
    g_assert_cmpint (next, ==, d + 1);
    g_assert_false (fsim_day_parse ("2015-02-29", &d));
    g_assert_false (fsim_day_parse ("2015-4-30", &d));
    g_assert_false (fsim_day_parse ("2015-04-31", &d));
    g_assert_false (fsim_day_parse ("20150430xx", &d));
}

/* Issue 11: the largest seed, 2^53 - 1, is read exactly (2^53 and above are refused:
 * test-errors.c). */
static void
test_loader_seed_largest (void)
{
    const char *sets[] = { "seed=9007199254740991", NULL };
    g_autofree char *path = fsim_test_source_path ("scenarios", "tour.json", NULL);
    g_autoptr (FsimScenario) s = fsim_test_load (path, sets);

    g_assert_cmpuint (s->seed, ==, G_GUINT64_CONSTANT (9007199254740991));
}

int
main (int argc, char *argv[])
{
    g_test_init (&argc, &argv, NULL);
    g_test_add_func ("/loader/include/basic", test_loader_include_basic);
    g_test_add_func ("/loader/population/explicit", test_loader_population_explicit);
    g_test_add_func ("/loader/extends/set", test_loader_extends_set);
    g_test_add_func ("/loader/set/cli", test_loader_cli_set);
    g_test_add_func ("/loader/set/errors", test_loader_set_errors);
    g_test_add_func ("/loader/string-source", test_loader_string_source);
    g_test_add_func ("/loader/set/selectors", test_loader_set_selectors);
    g_test_add_func ("/loader/include/twice", test_loader_include_twice);
    g_test_add_func ("/loader/set/unknown-top-key", test_loader_set_unknown_top_key);
    g_test_add_func ("/loader/day/parse", test_loader_day_parse);
    g_test_add_func ("/loader/sources/objects", test_loader_sources_objects);
    g_test_add_func ("/loader/partner/consent", test_loader_partner_consent);
    g_test_add_func ("/loader/seed/largest", test_loader_seed_largest);
    return g_test_run ();
}
