/* SPDX-License-Identifier: MIT */
/* test-claims-cli.c: the claims in force in every command's output (reports, diff, timeline,
 * check, population, sweep, lint, diagram, HTML), `flowsim claims` and its --effect table. */
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "run-util.h"
#include "test-util.h"

/* The tests run in tests/data/claims, on phones.json (counted by hand in test-claims.c). */

/* The text, JSON and CSV reports say which alternative is in force and whether it is the
 * default, and the numbers follow it. */
static void
test_claims_cli_reports (void)
{
    g_autoptr (FsimTestRun) text = FSIM_RUN ("run", "-q", "phones.json", "--claim", "a-end=maker");
    g_assert_cmpint (text->status, ==, 0);
    fsim_assert_contains (text->out,
                          "Claims in force (contested facts the numbers rest on; flowsim claims "
                          "lists them, --claim CLAIM=ALTERNATIVE changes one)\n"
                          "  a-end: When did phone-a's access end?\n"
                          "    in force: Phone A's statement: ended 2017-09 (maker; chosen, the "
                          "default is platform; stated by Phone A)\n"
                          "    alternative: the platform's answer: still active in June 2018 "
                          "(platform; stated by the platform)\n"
                          "  b-friends: Did phone-b receive friends' data?\n"
                          "    in force: reported: friends' data too (yes; the default; reported "
                          "by Example Times)\n"
                          "    alternative: assumed: its own user's data only (self-only; "
                          "assumed)\n");
    g_assert_null (strstr (text->out, "phone-a (Phone A)"));
    fsim_assert_contains (text->out, "phone-b (Phone B)      device_maker              2"
                                     "                1\n");

    g_autoptr (FsimTestRun) json = FSIM_RUN ("run", "-q", "phones.json", "-f", "json");
    g_assert_cmpint (json->status, ==, 0);
    fsim_assert_contains (json->out, "  \"claims\": [\n"
                                     "    {\n"
                                     "      \"id\": \"a-end\",\n"
                                     "      \"question\": \"When did phone-a's access end?\",\n"
                                     "      \"in_force\": \"platform\",\n"
                                     "      \"default\": \"platform\",\n"
                                     "      \"is_default\": true,\n");
    fsim_assert_contains (json->out, "\"alternatives\": [\n        \"yes\",\n        "
                                     "\"self-only\"\n      ]");

    g_autoptr (FsimTestRun) csv =
        FSIM_RUN ("run", "-q", "phones.json", "-f", "csv", "--claim", "b-friends=self-only");
    g_assert_cmpint (csv->status, ==, 0);
    fsim_assert_contains (csv->out, "friend_of_friend,downstream,claims\n");
    fsim_assert_contains (csv->out, "identity.name,phone-b,handset,device,device,1,0,1,0,0,0,"
                                    "a-end=platform (default); b-friends=self-only (chosen; "
                                    "default yes)\n");
}

/* diff with --claim: what taking the other party's word changes, both sides' claims named */
static void
test_claims_cli_diff (void)
{
    g_autoptr (FsimTestRun) text = FSIM_RUN ("diff", "phones.json", "--claim", "a-end=maker");
    g_assert_cmpint (text->status, ==, 0);
    fsim_assert_contains (text->out, "              claims: a-end=platform (default); "
                                     "b-friends=yes (default)\n");
    fsim_assert_contains (text->out, "              claims: a-end=maker (chosen; default "
                                     "platform); b-friends=yes (default)\n");
    fsim_assert_contains (text->out, "Users with at least one field reaching a partner: 6 "
                                     "before, 3 after\n");
    g_autoptr (FsimTestRun) json =
        FSIM_RUN ("diff", "phones.json", "--claim", "a-end=maker", "-f", "json");
    g_assert_cmpint (json->status, ==, 0);
    fsim_assert_contains (json->out, "\"id\": \"a-end\",\n        \"in_force\": \"maker\",\n"
                                     "        \"default\": \"platform\"");
    /* the choice is one of the overrides compared, as the --set it stands for; a --set of
     * choices.CLAIM is listed once */
    const char *listed = "  \"overrides\": [\n    {\n      \"path\": \"choices.a-end\",\n"
                         "      \"value\": \"\\\"maker\\\"\",\n      \"changed\": 1\n    }\n  ],\n";
    fsim_assert_contains (json->out, listed);
    g_autoptr (FsimTestRun) set =
        FSIM_RUN ("diff", "phones.json", "--set", "choices.a-end=maker", "-f", "json");
    g_assert_cmpint (set->status, ==, 0);
    fsim_assert_contains (set->out, listed);
    g_autoptr (FsimTestRun) none =
        FSIM_RUN ("diff", "phones.json", "--claim", "a-end=platform", "-f", "json");
    fsim_assert_contains (none->out, "  \"overrides\": [],\n");
}

/* The timeline names the claims in force too: the numbers at every date rest on them. */
static void
test_claims_cli_timeline (void)
{
    g_autoptr (FsimTestRun) text = FSIM_RUN ("timeline", "maker.json", "--from", "2017-01-01",
                                             "--to", "2018-01-01", "--step", "6m");
    g_assert_cmpint (text->status, ==, 0);
    fsim_assert_contains (text->out, "  Claims    a-end=maker (chosen; default platform); "
                                     "b-friends=yes (default) (flowsim claims)\n");
    g_autoptr (FsimTestRun) json = FSIM_RUN ("timeline", "phones.json", "--from", "2017-01-01",
                                             "--to", "2018-01-01", "--step", "6m", "-f", "json");
    g_assert_cmpint (json->status, ==, 0);
    fsim_assert_contains (json->out, "  \"claims\": [\n    {\n      \"id\": \"a-end\",");
}

/* explain and possible rest on the claims too, and say so */
static void
test_claims_cli_explain_possible (void)
{
    g_autoptr (FsimTestRun) explain =
        FSIM_RUN ("explain", "maker.json", "--user", "bob", "--field", "identity.name");
    g_assert_cmpint (explain->status, ==, 0);
    fsim_assert_contains (explain->out, "  User      bob (platform switch on)\n"
                                        "  Claims    a-end=maker (chosen; default platform); "
                                        "b-friends=yes (default) (flowsim claims)\n");
    g_autoptr (FsimTestRun) possible =
        FSIM_RUN ("possible", "phones.json", "-f", "json", "--claim", "b-friends=self-only");
    g_assert_cmpint (possible->status, ==, 0);
    fsim_assert_contains (possible->out, "\"in_force\": \"self-only\",\n"
                                         "      \"default\": \"yes\",\n"
                                         "      \"is_default\": false,");
}

/* check's text names the claims in force of each scenario it checked */
static void
test_claims_cli_check (void)
{
    g_autofree char *path = fsim_test_source_path ("scenarios", "device-partners-2018.json", NULL);
    g_autoptr (FsimTestRun) run = FSIM_RUN ("check", path, "--set", "population.users=500",
                                            "--claim", "apple-access=apple-2017-09");
    fsim_assert_contains (run->out, "  claims in force: apple-access=apple-2017-09 (chosen; "
                                    "default facebook-2018-06); device-partner-status="
                                    "facebook-service-providers (default)\n");
}

/* check's TAP, JUnit and JSON name them too: a CI log says what the verdicts rest on.
 * expect.json: phone-a reaches alice's 2 friends without consent only on the platform's word. */
static void
test_claims_cli_check_formats (void)
{
    g_autoptr (FsimTestRun) tap =
        FSIM_RUN ("check", "expect.json", "-f", "tap", "--claim", "a-end=maker");
    g_assert_cmpint (tap->status, ==, 1);
    fsim_assert_contains (tap->out, "1..2\n# claims-expect: claims in force: a-end=maker "
                                    "(chosen; default platform); b-friends=yes (default)\n"
                                    "not ok 1 - claims-expect: a-reaches-friends\n");
    fsim_assert_contains (tap->out, "  result: \"0 users\"\n  at: \"expect.json:6:5\"\n"
                                    "  claims: \"a-end=maker (chosen; default platform); "
                                    "b-friends=yes (default)\"\n");
    fsim_assert_contains (tap->out, "ok 2 - claims-expect: b-at-most-one\n");

    g_autoptr (FsimTestRun) junit = FSIM_RUN ("check", "expect.json", "-f", "junit");
    g_assert_cmpint (junit->status, ==, 0);
    fsim_assert_contains (junit->out,
                          "  <testsuite name=\"claims-expect\" tests=\"2\" failures=\"0\" "
                          "file=\"expect.json\">\n    <properties>\n"
                          "      <property name=\"claim:a-end\" value=\"platform (default)\"/>\n"
                          "      <property name=\"claim:b-friends\" value=\"yes (default)\"/>\n"
                          "    </properties>\n    <testcase ");

    g_autoptr (FsimTestRun) json =
        FSIM_RUN ("check", "expect.json", "-f", "json", "--claim", "b-friends=self-only");
    g_assert_cmpint (json->status, ==, 0);
    fsim_assert_contains (json->out, "  \"scenarios\": [\n    {\n      \"file\": \"expect.json\",\n"
                                     "      \"scenario\": \"claims-expect\",\n"
                                     "      \"claims\": [\n        {\n"
                                     "          \"id\": \"a-end\",\n");
    fsim_assert_contains (json->out, "          \"in_force\": \"self-only\",\n"
                                     "          \"default\": \"yes\",\n"
                                     "          \"is_default\": false,\n");
    /* self-only: dave's friend erin is no longer reached, so phone-b reaches 0 without consent */
    fsim_assert_contains (json->out, "\"id\": \"b-at-most-one\",");
    fsim_assert_contains (json->out, "\"passed\": true,\n      \"users\": 0,");
}

/* population describes the people the claims' numbers are counted on: it names them too */
static void
test_claims_cli_population (void)
{
    g_autoptr (FsimTestRun) text =
        FSIM_RUN ("population", "-q", "phones.json", "--claim", "a-end=maker");
    g_assert_cmpint (text->status, ==, 0);
    fsim_assert_contains (text->out, "  Source                      explicit list of users\n\n"
                                     "Claims in force (contested facts the numbers rest on; ");
    fsim_assert_contains (text->out, "    in force: Phone A's statement: ended 2017-09 (maker; "
                                     "chosen, the default is platform; stated by Phone A)\n"
                                     "    alternative: the platform's answer: still active in "
                                     "June 2018 (platform; stated by the platform)\n");
    fsim_assert_contains (text->out, "  Users                       6\n");
    g_autoptr (FsimTestRun) json = FSIM_RUN ("population", "-q", "phones.json", "-f", "json");
    g_assert_cmpint (json->status, ==, 0);
    fsim_assert_contains (json->out, "  \"claims\": [\n    {\n      \"id\": \"a-end\",\n");
    fsim_assert_contains (json->out, "\"in_force\": \"yes\",");
}

/* sweep: the claims of the scenario, and per setting those in force (a --vary of choices.X
 * picks one per value); phone-a reaches 3 users on the platform's word, 0 on Phone A's */
static void
test_claims_cli_sweep (void)
{
    g_autoptr (FsimTestRun) text =
        FSIM_RUN ("sweep", "-q", "phones.json", "-m", "partners[phone-a].users_reached", "--vary",
                  "choices.a-end=platform,maker");
    g_assert_cmpint (text->status, ==, 0);
    fsim_assert_contains (text->out, "    in force: the platform's answer: still active in June "
                                     "2018 (platform; the default; stated by the platform)\n");
    fsim_assert_contains (text->out, "  Some settings below take other alternatives: each says "
                                     "which.\n");
    fsim_assert_contains (text->out, "Setting 1 of 2: choices.a-end=platform\n  metric");
    fsim_assert_contains (text->out, "Setting 2 of 2: choices.a-end=maker\n"
                                     "  claims in force: a-end=maker (chosen; default platform); "
                                     "b-friends=yes (default)\n");
    fsim_assert_contains (text->out, "  partners[phone-a].users_reached     3            n/a"
                                     "    3    3\n");
    fsim_assert_contains (text->out, "  partners[phone-a].users_reached     0            n/a"
                                     "    0    0\n");

    g_autoptr (FsimTestRun) csv =
        FSIM_RUN ("sweep", "-q", "phones.json", "-m", "partners[phone-a].users_reached", "--vary",
                  "choices.a-end=platform,maker", "-f", "csv", "--claim", "b-friends=self-only");
    g_assert_cmpint (csv->status, ==, 0);
    g_assert_cmpstr (csv->out, ==,
                     "setting,choices.a-end,metric,n,mean,sd,ci95_low,ci95_high,min,max,claims\r\n"
                     "1,platform,partners[phone-a].users_reached,1,3,0,,,3,3,a-end=platform "
                     "(default); b-friends=self-only (chosen; default yes)\r\n"
                     "2,maker,partners[phone-a].users_reached,1,0,0,,,0,0,a-end=maker (chosen; "
                     "default platform); b-friends=self-only (chosen; default yes)\r\n");

    g_autoptr (FsimTestRun) json =
        FSIM_RUN ("sweep", "-q", "phones.json", "-m", "users_reached", "--vary",
                  "choices.a-end=platform,maker", "-f", "json");
    g_assert_cmpint (json->status, ==, 0);
    fsim_assert_contains (json->out, "\"in_force\": \"platform\",");
    fsim_assert_contains (json->out, "\"claims_in_force\": {\n        \"a-end\": \"maker\",\n"
                                     "        \"b-friends\": \"yes\"\n      },");
}

/* lint says which alternatives the file was linted with */
static void
test_claims_cli_lint_in_force (void)
{
    g_autoptr (FsimTestRun) text = FSIM_RUN ("lint", "maker.json");
    g_assert_cmpint (text->status, ==, 0);
    fsim_assert_contains (text->out, "maker.json: claims in force: a-end=maker (chosen; default "
                                     "platform); b-friends=yes (default)\n");
    g_autoptr (FsimTestRun) json = FSIM_RUN ("lint", "-f", "json", "maker.json");
    g_assert_cmpint (json->status, ==, 0);
    fsim_assert_contains (json->out, "      \"status\": \"linted\",\n      \"claims\": [\n");
    fsim_assert_contains (json->out, "\"in_force\": \"maker\",");
}

/* lint applies every alternative not in force too: one that does not load is an error naming
 * the claim and the alternative (exit 3), whatever the file's choices */
static void
test_claims_cli_lint_bad_alternative (void)
{
    g_autoptr (FsimTestRun) text = FSIM_RUN ("lint", "bad-alternative.json", "phones.json");
    g_assert_cmpint (text->status, ==, 3);
    fsim_assert_contains (
        text->out, "bad-alternative.json: 0 warnings\n"
                   "bad-alternative.json: claims in force: a-end=platform (default); "
                   "b-friends=yes (default); c-end=never (default)\n"
                   "bad-alternative.json:13:48: error: with claim 'c-end' = 'feb-30': "
                   "rules[1].until: '2017-02-30' is not a valid date (expected YYYY-MM-DD, "
                   "a real calendar day)\n"
                   "bad-alternative.json: 3 alternatives not in force linted too (a-end=maker, "
                   "b-friends=self-only, c-end=feb-30): 0 more warnings; 1 does not load\n");
    /* the next file is linted all the same */
    fsim_assert_contains (text->out, "phones.json: 2 alternatives not in force linted too "
                                     "(a-end=maker, b-friends=self-only): 0 more warnings\n");
    fsim_assert_contains (text->err, "flowsim: error: claim 'c-end', alternative 'feb-30': "
                                     "bad-alternative.json:13:48: rules[1].until: '2017-02-30' is "
                                     "not a valid date");
    g_autoptr (FsimTestRun) json = FSIM_RUN ("lint", "-f", "json", "bad-alternative.json");
    g_assert_cmpint (json->status, ==, 3);
    fsim_assert_contains (json->out,
                          "          \"claim\": \"c-end\",\n"
                          "          \"alternative\": \"feb-30\",\n"
                          "          \"status\": \"failed\",\n"
                          "          \"errors\": [\n"
                          "            \"claim 'c-end', alternative 'feb-30': "
                          "bad-alternative.json:13:48: rules[1].until: '2017-02-30' is not a valid "
                          "date (expected YYYY-MM-DD, a real calendar day)\"\n          ]\n");
    fsim_assert_contains (json->out, "\"alternative\": \"maker\",\n          \"status\": "
                                     "\"linted\",\n          \"warnings\": 0\n");
    fsim_assert_contains (json->out, "      \"alternatives_not_linted\": 0\n");
}

/* An alternative that loads but can do nothing gets lint's warning, under its name; one the
 * alternatives in force give too is not repeated. --strict counts it. */
static void
test_claims_cli_lint_alternative_warns (void)
{
    g_autoptr (FsimTestRun) text = FSIM_RUN ("lint", "lint-warns.json");
    g_assert_cmpint (text->status, ==, 0);
    g_assert_cmpstr (text->out, ==,
                     "lint-warns.json: 0 warnings\n"
                     "lint-warns.json: claims in force: a-end=platform (default); b-friends=yes "
                     "(default); c-scope=all (default)\n"
                     "phones.json:30:5: warning: with claim 'c-scope' = 'contacts': partner "
                     "'phone-c': request 'device_contacts*' matches no scope of the APIs it "
                     "integrates [scope-not-offered]\n"
                     "lint-warns.json: 3 alternatives not in force linted too (a-end=maker, "
                     "b-friends=self-only, c-scope=contacts): 1 more warning\n");
    g_autoptr (FsimTestRun) strict = FSIM_RUN ("lint", "--strict", "lint-warns.json");
    g_assert_cmpint (strict->status, ==, 1);
    /* chosen, the same warning is one in force, and the default's alternative adds none */
    g_autoptr (GError) error = NULL;
    g_autofree char *dir = fsim_test_scratch_new ();
    g_autofree char *chosen = g_build_filename (dir, "chosen.json", NULL);
    g_autofree char *base = g_canonicalize_filename ("lint-warns.json", NULL);
    g_autofree char *quoted = g_strescape (base, NULL);
    g_autofree char *file = g_strdup_printf ("{\"scenario\": \"chosen\", \"extends\": \"%s\", "
                                             "\"choices\": {\"c-scope\": \"contacts\"}}",
                                             quoted);
    g_assert_true (g_file_set_contents (chosen, file, -1, &error));
    g_assert_no_error (error);
    g_autoptr (FsimTestRun) in_force = FSIM_RUN ("lint", "-f", "json", chosen);
    g_assert_cmpint (in_force->status, ==, 0);
    fsim_assert_contains (in_force->out, "\"message\": \"partner 'phone-c': request "
                                         "'device_contacts*' matches no scope of the APIs it "
                                         "integrates\"\n    }\n  ],\n  \"count\": 1,");
    fsim_assert_contains (in_force->out, "\"claim\": \"c-scope\",\n          \"alternative\": "
                                         "\"all\",\n          \"status\": \"linted\",\n"
                                         "          \"warnings\": 0\n");
    g_autoptr (FsimTestRun) json = FSIM_RUN ("lint", "-f", "json", "lint-warns.json");
    fsim_assert_contains (json->out, "integrates\",\n      \"claim\": \"c-scope\",\n"
                                     "      \"alternative\": \"contacts\"\n    }\n  ],\n"
                                     "  \"count\": 1,");
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

/* phones.json extended with a claim "c" of @n alternatives that set nothing, in @dir */
static char *
write_many_alternatives (const char *dir, int n)
{
    g_autoptr (GError) error = NULL;
    g_autofree char *base = g_canonicalize_filename ("phones.json", NULL);
    g_autofree char *quoted = g_strescape (base, NULL);
    g_autoptr (GString) text = g_string_new (NULL);
    g_string_printf (text, "{\"scenario\": \"many\", \"extends\": \"%s\", ", quoted);
    g_string_append (text, "\"claims\": [{\"id\": \"c\", \"question\": \"q?\", "
                           "\"default\": \"a0\", \"alternatives\": [");
    for (int i = 0; i < n; i++)
        g_string_append_printf (text,
                                "%s{\"id\": \"a%d\", \"evidence\": \"assumed\", "
                                "\"summary\": \"s\"}",
                                i ? ", " : "", i);
    g_string_append (text, "]}]}");
    char *path = g_build_filename (dir, "many.json", NULL);
    g_assert_true (g_file_set_contents (path, text->str, -1, &error));
    g_assert_no_error (error);
    return path;
}

/* At most 64 alternatives not in force are linted per file; the summary counts the others */
static void
test_claims_cli_lint_alternatives_cap (void)
{
    g_autofree char *dir = fsim_test_scratch_new ();
    g_autofree char *path = write_many_alternatives (dir, 64);
    /* 63 of c, one of a-end and one of b-friends: 65 not in force */
    g_autoptr (FsimTestRun) run = FSIM_RUN ("lint", path);
    g_assert_cmpint (run->status, ==, 0);
    fsim_assert_contains (run->out, ": 64 alternatives not in force linted too (a-end=maker, "
                                    "b-friends=self-only, c=a1, c=a2, ");
    fsim_assert_contains (run->out, "c=a61, c=a62): 0 more warnings; 1 more not linted (at most "
                                    "64 are)\n");
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

/* A diagram is a report too: its title names the claims in force */
static void
test_claims_cli_diagram (void)
{
    g_autoptr (FsimTestRun) dot = FSIM_RUN ("diagram", "maker.json", "--format", "dot");
    g_assert_cmpint (dot->status, ==, 0);
    fsim_assert_contains (dot->out, "\\nclaims in force: a-end=maker (chosen; default platform); "
                                    "b-friends=yes (default)\"];");
    /* claims that do not fit the width a label line is cut to go on as many lines as needed,
     * each claim whole: the default scenario's two did not fit one line, and the second was cut
     * to "device-partner-stat..." */
    g_autofree char *path = fsim_test_source_path ("scenarios", "device-partners-2018.json", NULL);
    g_autoptr (FsimTestRun) two =
        FSIM_RUN ("diagram", path, "--set", "population.users=300", "--format", "dot");
    g_assert_cmpint (two->status, ==, 0);
    fsim_assert_contains (two->out, "\\nclaims in force: apple-access=facebook-2018-06 "
                                    "(default);\\ndevice-partner-status="
                                    "facebook-service-providers (default)\"];");
}

/* The HTML report: the alternative in force first, then the others, each with its sources. */
static void
test_claims_cli_html (void)
{
    g_autofree char *dir = fsim_test_scratch_new ();
    g_autofree char *html = g_build_filename (dir, "r.html", NULL);
    g_autoptr (FsimTestRun) run =
        FSIM_RUN ("report", "maker.json", "--no-diagram", "--output", html);
    g_assert_cmpint (run->status, ==, 0);
    g_autofree char *page = NULL;
    g_assert_true (g_file_get_contents (html, &page, NULL, NULL));
    fsim_assert_contains (page, "<h3>Claims in force</h3>");
    fsim_assert_contains (page,
                          "<li><b>When did phone-a&#39;s access end?</b>\n"
                          " <span class=\"meta\">a-end</span>\n<ul>\n"
                          "<li><b>In force:</b>\n"
                          " Phone A&#39;s statement: ended 2017-09 (maker; chosen, the default "
                          "is platform; stated by Phone A)\n"
                          "<ol>\n<li>Phone A, Statement, 2018-06</li>\n</ol>\n</li>\n"
                          "<li><b>Alternative:</b>\n"
                          " the platform&#39;s answer: still active in June 2018 (platform; "
                          "stated by the platform)\n");
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

static void
test_claims_cli_list (void)
{
    g_autoptr (FsimTestRun) text = FSIM_RUN ("claims", "maker.json");
    g_assert_cmpint (text->status, ==, 0);
    fsim_assert_contains (text->out,
                          "a-end: When did phone-a's access end?\n"
                          "  - platform (default)\n"
                          "      the platform's answer: still active in June 2018\n"
                          "      evidence: stated; party: the platform\n"
                          "      sets: rules[a-allowed].until\n"
                          "      source: The Platform, \"Answers to the committee\", 2018-06-29, "
                          "https://platform.example/answers (read at: "
                          "https://archive.example/answers)\n"
                          "  * maker [in force]\n");
    g_autoptr (FsimTestRun) json = FSIM_RUN ("claims", "phones.json", "--format", "json");
    g_assert_cmpint (json->status, ==, 0);
    fsim_assert_contains (json->out, "\"id\": \"b-friends\",\n"
                                     "      \"question\": \"Did phone-b receive friends' data?\",\n"
                                     "      \"default\": \"yes\",\n"
                                     "      \"chosen\": \"yes\",\n"
                                     "      \"alternatives\": [\n"
                                     "        {\n"
                                     "          \"id\": \"yes\",\n"
                                     "          \"evidence\": \"reported\",\n"
                                     "          \"party\": \"Example Times\",\n"
                                     "          \"summary\": \"reported: friends' data too\",\n"
                                     "          \"sets\": [],\n"
                                     "          \"sources\": [\n"
                                     "            {\n"
                                     "              \"publisher\": \"Example Times\",\n");
    fsim_assert_contains (json->out, "\"id\": \"self-only\",\n"
                                     "          \"evidence\": \"assumed\",\n"
                                     "          \"party\": null,\n");
}

/* The effect table: each claim moves only the partner it is about, by the hand counts. */
static void
test_claims_cli_effect (void)
{
    g_autoptr (FsimTestRun) text = FSIM_RUN ("claims", "--effect", "phones.json");
    g_assert_cmpint (text->status, ==, 0);
    fsim_assert_contains (text->out, "1 of 3 partners rest on no claim (solid)");
    fsim_assert_contains (text->out,
                          "  phone-a        3                2  a-end      platform *              "
                          " 3                2\n"
                          "                                                maker                   "
                          " 0                0\n"
                          "  phone-b        2                1  b-friends  yes *                   "
                          " 2                1\n"
                          "                                                self-only               "
                          " 1                0\n"
                          "  phone-c        1                0  solid      no claim moves it");
    g_autofree char *tour = fsim_test_source_path ("scenarios", "tour.json", NULL);
    g_autoptr (FsimTestRun) none = FSIM_RUN ("claims", "--effect", tour);
    g_assert_cmpint (none->status, ==, 0);
    g_assert_cmpstr (none->out, ==,
                     "No claims: nothing in this model is marked as contested, "
                     "so no alternative was run.\n");
    g_autoptr (FsimTestRun) json = FSIM_RUN ("claims", "--effect", "-f", "json", "maker.json");
    g_assert_cmpint (json->status, ==, 0);
    /* taking Phone A's word, phone-a reaches nobody; the platform's answer would give 3 */
    fsim_assert_contains (json->out, "\"id\": \"phone-a\",\n"
                                     "      \"users_reached\": 0,\n"
                                     "      \"users_reached_without_consent\": 0,\n"
                                     "      \"solid\": false,\n"
                                     "      \"claims\": [\n"
                                     "        {\n"
                                     "          \"claim\": \"a-end\",\n"
                                     "          \"moves\": true,\n"
                                     "          \"users_reached\": [0, 3],\n"
                                     "          \"users_reached_without_consent\": [0, 2],\n");
    fsim_assert_contains (json->out, "\"id\": \"phone-c\",\n"
                                     "      \"users_reached\": 1,\n"
                                     "      \"users_reached_without_consent\": 0,\n"
                                     "      \"solid\": true,\n");
}

/* The time budget (docs/robustness.md, item 7): `claims` checks at most 64 alternatives not in
 * force for what they leave without effect and counts the rest; `--effect` runs at most 64 and
 * refuses more before running any. At the cap, every run is made and the table is right. */
static void
test_claims_cli_effect_cap (void)
{
    g_autofree char *dir = fsim_test_scratch_new ();
    {
        /* 62 of c, one of a-end and one of b-friends: 64 not in force */
        g_autofree char *path = write_many_alternatives (dir, 63);
        g_autoptr (FsimTestRun) run = FSIM_RUN ("claims", "--effect", path);
        g_assert_cmpint (run->status, ==, 0);
        fsim_assert_contains (run->out, "1 of 3 partners rest on no claim (solid)");
        fsim_assert_contains (run->out, "  phone-a        3                2  a-end      "
                                        "platform *               3                2\n"
                                        "                                                maker"
                                        "                    0                0\n");
        g_assert_null (strstr (run->out, "  c  "));
        g_autoptr (FsimTestRun) list = FSIM_RUN ("claims", path);
        g_assert_cmpint (list->status, ==, 0);
        g_assert_null (strstr (list->err, "not checked"));
    }
    /* 65 not in force */
    g_autofree char *path = write_many_alternatives (dir, 64);
    g_autoptr (FsimTestRun) run = FSIM_RUN ("claims", "--effect", path);
    g_assert_cmpint (run->status, ==, 2);
    g_assert_cmpstr (run->out, ==, "");
    fsim_assert_contains (run->err, "--effect runs the model once per alternative not in force: "
                                    "this scenario has 65, more than the 64 it runs at most; "
                                    "choose alternatives with --claim and compare their runs "
                                    "instead\n");
    g_autoptr (FsimTestRun) list = FSIM_RUN ("claims", path);
    g_assert_cmpint (list->status, ==, 0);
    fsim_assert_contains (list->out, "c: q?");
    fsim_assert_contains (list->err, "flowsim: warning: 1 more alternatives not in force were "
                                     "not checked for what they leave without effect (at most "
                                     "64 are; `flowsim lint` checks as many)\n");
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

/* An alternative's paths are checked when the file loads, its values when it is chosen:
 * --effect chooses every one, so it finds the bad value and names the claim. */
static void
test_claims_cli_effect_bad_alternative (void)
{
    g_autoptr (FsimTestRun) run = FSIM_RUN ("run", "-q", "bad-alternative.json");
    g_assert_cmpint (run->status, ==, 0);
    g_autoptr (FsimTestRun) chosen =
        FSIM_RUN ("run", "-q", "bad-alternative.json", "--claim", "c-end=feb-30");
    g_assert_cmpint (chosen->status, ==, 3);
    fsim_assert_contains (chosen->err, "bad-alternative.json:13:48: rules[1].until: "
                                       "'2017-02-30' is not a valid date");
    g_autoptr (FsimTestRun) effect = FSIM_RUN ("claims", "--effect", "bad-alternative.json");
    g_assert_cmpint (effect->status, ==, 3);
    g_assert_cmpstr (effect->out, ==, "");
    fsim_assert_contains (effect->err, "claim 'c-end', alternative 'feb-30': "
                                       "bad-alternative.json:13:48: rules[1].until: "
                                       "'2017-02-30' is not a valid date");
}

/* claims SCENARIO warns about an alternative not in force that can have no effect there, under
 * its claim and name, as lint finds it (with --effect too); a scenario whose alternatives can
 * all have one is quiet. */
static void
test_claims_cli_no_effect (void)
{
    g_autoptr (FsimTestRun) r = FSIM_RUN ("claims", "lint-warns.json");
    g_assert_cmpint (r->status, ==, 0);
    g_assert_cmpstr (r->err, ==,
                     "flowsim: warning: claim 'c-scope', alternative 'contacts': phones.json:30:5: "
                     "partner 'phone-c': request 'device_contacts*' matches no scope of the APIs "
                     "it integrates [scope-not-offered]\n");
    g_autoptr (FsimTestRun) effect = FSIM_RUN ("claims", "--effect", "lint-warns.json");
    g_assert_cmpint (effect->status, ==, 0);
    g_assert_cmpstr (effect->err, ==, r->err);
    g_autoptr (FsimTestRun) quiet = FSIM_RUN ("claims", "phones.json");
    g_assert_cmpint (quiet->status, ==, 0);
    g_assert_cmpstr (quiet->err, ==, "");
}

int
main (int argc, char *argv[])
{
    g_test_init (&argc, &argv, NULL);
    g_autofree char *dir = fsim_test_data_path ("claims", NULL);
    g_assert_cmpint (g_chdir (dir), ==, 0);
    g_test_add_func ("/claims/cli/reports", test_claims_cli_reports);
    g_test_add_func ("/claims/cli/diff", test_claims_cli_diff);
    g_test_add_func ("/claims/cli/timeline", test_claims_cli_timeline);
    g_test_add_func ("/claims/cli/explain-possible", test_claims_cli_explain_possible);
    g_test_add_func ("/claims/cli/check", test_claims_cli_check);
    g_test_add_func ("/claims/cli/check-formats", test_claims_cli_check_formats);
    g_test_add_func ("/claims/cli/population", test_claims_cli_population);
    g_test_add_func ("/claims/cli/sweep", test_claims_cli_sweep);
    g_test_add_func ("/claims/cli/lint-in-force", test_claims_cli_lint_in_force);
    g_test_add_func ("/claims/cli/lint-bad-alternative", test_claims_cli_lint_bad_alternative);
    g_test_add_func ("/claims/cli/lint-alternative-warns", test_claims_cli_lint_alternative_warns);
    g_test_add_func ("/claims/cli/lint-alternatives-cap", test_claims_cli_lint_alternatives_cap);
    g_test_add_func ("/claims/cli/diagram", test_claims_cli_diagram);
    g_test_add_func ("/claims/cli/html", test_claims_cli_html);
    g_test_add_func ("/claims/cli/list", test_claims_cli_list);
    g_test_add_func ("/claims/cli/no-effect", test_claims_cli_no_effect);
    g_test_add_func ("/claims/cli/effect", test_claims_cli_effect);
    g_test_add_func ("/claims/cli/effect-bad-alternative", test_claims_cli_effect_bad_alternative);
    g_test_add_func ("/claims/cli/effect-cap", test_claims_cli_effect_cap);
    return g_test_run ();
}
