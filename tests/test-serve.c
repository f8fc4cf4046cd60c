/* SPDX-License-Identifier: MIT */
/* test-serve.c: `flowsim serve` over HTTP (a libsoup client on loopback): every endpoint
 * answers what the CLI prints, the kept populations and simulations change nothing, and bad
 * input gets the CLI's message. The limits are test-serve-limits.c's. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "loader.h"
#include "serve-util.h"
#include "serve.h"

/* ---- endpoints ---- */

static void
test_serve_scenarios (void)
{
    g_autoptr (Reply) r = get ("api/scenarios");
    g_autofree char *dir = scenarios_dir ();
    g_assert_cmpuint (r->status, ==, 200);
    fsim_assert_contains (r->body, "\"id\": \"tour\"");
    fsim_assert_contains (r->body, "\"id\": \"device-partners-2018\"");
    /* the slider's events: the v1.0 shutdown of the tour */
    fsim_assert_contains (r->body, "\"date\": \"2015-04-30\",\n");
    fsim_assert_contains (r->body, "API 'graph-v1' closes");
    g_assert_null (strstr (r->body, dir)); /* no server path */
}

static void
test_serve_page (void)
{
    static const char *const files[][2] = {
        { "", "text/html; charset=utf-8" },
        { "app.js", "text/javascript; charset=utf-8" },
        { "app.css", "text/css; charset=utf-8" },
    };
    for (size_t i = 0; i < G_N_ELEMENTS (files); i++) {
        g_autoptr (Reply) r = get (files[i][0]);
        g_assert_cmpuint (r->status, ==, 200);
        g_assert_cmpstr (r->content_type, ==, files[i][1]);
        g_assert_nonnull (r->csp);
        fsim_assert_contains (r->csp, "default-src 'none'");
        fsim_assert_contains (r->csp, "script-src 'self'");
        /* self-contained: nothing fetched from elsewhere, no inline script or style */
        g_assert_null (strstr (r->body, "src=\"http"));
        g_assert_null (strstr (r->body, "href=\"http"));
        g_assert_null (strstr (r->body, "@import"));
        g_assert_null (strstr (r->body, "<script>"));
        g_assert_null (strstr (r->body, "style=\""));
    }
    g_autoptr (Reply) page = get ("");
    fsim_assert_contains (page->body, "<script src=\"app.js\" defer></script>");
}

static void
test_serve_run (void)
{
    g_autoptr (FsimTestRun) run =
        CLI ("run", "tour.json", "--format", "json", "--set", "date=2015-05-01");
    assert_same_as_cli ("api/run?scenario=tour&set=date%3D2015-05-01", run);
    /* after Graph API v1.0 closed the quiz reaches nobody */
    fsim_assert_contains (run->out, "\"id\": \"quiz\",\n      \"name\": \"Personality quiz app\","
                                    "\n      \"kind\": \"app\",\n      \"country\": \"GB\",\n"
                                    "      \"users\": 1,\n      \"users_reached\": 0,");
    g_autoptr (FsimTestRun) csv = CLI ("run", "tour.json", "--format", "csv");
    assert_same_as_cli ("api/run?scenario=tour&format=csv", csv);
    /* two overrides, in order, as the CLI applies them */
    g_autoptr (FsimTestRun) two =
        CLI ("run", "tour.json", "--format", "json", "--set",
             "partners[phoneco].destinations[handset].location=server", "--set",
             "partners[phoneco].destinations[handset].jurisdiction=CN");
    assert_same_as_cli ("api/run?scenario=tour"
                        "&set=partners%5Bphoneco%5D.destinations%5Bhandset%5D.location%3Dserver"
                        "&set=partners[phoneco].destinations[handset].jurisdiction=CN",
                        two);
    fsim_assert_contains (two->out, "\"jurisdiction\": \"CN\",\n      \"users\": 5,");
}

static void
test_serve_explain (void)
{
    g_autoptr (FsimTestRun) run = CLI ("explain", "tour.json", "--user", "bob", "--field",
                                       "profile.religion", "--format", "json");
    assert_same_as_cli ("api/explain?scenario=tour&user=bob&field=profile.religion", run);
    g_autoptr (FsimTestRun) text =
        CLI ("explain", "tour.json", "--user", "dave", "--partner", "quiz", "--set",
             "population.users[dave].settings.platform=true");
    assert_same_as_cli ("api/explain?scenario=tour&user=dave&partner=quiz&format=text"
                        "&set=population.users%5Bdave%5D.settings.platform%3Dtrue",
                        text);
}

static void
test_serve_diff (void)
{
    g_autoptr (FsimTestRun) run =
        CLI ("diff", "tour.json", "--set", "date=2015-05-01", "--format", "json");
    assert_same_as_cli ("api/diff?scenario=tour&set=date%3D2015-05-01", run);
    fsim_assert_contains (run->out, "\"file\": \"tour.json\"");
}

static void
test_serve_timeline (void)
{
    g_autoptr (FsimTestRun) run = CLI ("timeline", "tour.json", "--from", "2013-01-01", "--to",
                                       "2016-01-01", "--step", "6m", "--format", "json");
    assert_same_as_cli ("api/timeline?scenario=tour&from=2013-01-01&to=2016-01-01&step=6m", run);
    g_autoptr (FsimTestRun) svg = CLI ("timeline", "tour.json", "--from", "2013-01-01", "--to",
                                       "2016-01-01", "--format", "svg");
    assert_same_as_cli ("api/timeline?scenario=tour&from=2013-01-01&to=2016-01-01&format=svg", svg);
}

static void
test_serve_diagram (void)
{
    g_autofree char *dot = g_find_program_in_path ("dot");
    if (!dot) {
        g_test_skip ("Graphviz's dot is not installed");
        return;
    }
    g_autoptr (FsimTestRun) run = CLI ("diagram", "tour.json", "--format", "svg");
    assert_same_as_cli ("api/diagram?scenario=tour", run);
    g_autoptr (Reply) r = get ("api/diagram?scenario=tour&top=2");
    g_assert_cmpstr (r->content_type, ==, "image/svg+xml");
    fsim_assert_contains (r->body, "<svg");
}

/* A population kept from an earlier request gives what the CLI, building its own, prints:
 * after a change that keeps it (date, API, storage) and after one that does not (users). */
static void
test_serve_population_cache (void)
{
    g_autoptr (FsimTestRun) base = CLI ("run", "device-partners-2018.json", "--format", "json",
                                        "--set", "population.users=3000");
    assert_same_as_cli ("api/run?scenario=device-partners-2018&set=population.users%3D3000", base);
    g_autoptr (FsimTestRun) kept =
        CLI ("run", "device-partners-2018.json", "--format", "json", "--set",
             "population.users=3000", "--set", "date=2018-07-01", "--set",
             "apis[device-integrated].respects=[\"platform\",\"audience\"]", "--set",
             "partners[huawei].destinations[handset].location=server", "--set",
             "partners[huawei].destinations[handset].jurisdiction=CN");
    assert_same_as_cli (
        "api/run?scenario=device-partners-2018&set=population.users%3D3000"
        "&set=date%3D2018-07-01"
        "&set=apis%5Bdevice-integrated%5D.respects%3D%5B%22platform%22%2C%22audience%22%5D"
        "&set=partners%5Bhuawei%5D.destinations%5Bhandset%5D.location%3Dserver"
        "&set=partners%5Bhuawei%5D.destinations%5Bhandset%5D.jurisdiction%3DCN",
        kept);
    fsim_assert_contains (kept->out, "\"jurisdiction\": \"CN\"");
    g_autoptr (FsimTestRun) other =
        CLI ("run", "device-partners-2018.json", "--format", "json", "--set",
             "population.users=3000", "--set", "population.mean_degree=40");
    assert_same_as_cli ("api/run?scenario=device-partners-2018&set=population.users%3D3000"
                        "&set=population.mean_degree%3D40",
                        other);
    g_assert_true (strcmp (other->out, base->out) != 0); /* other people */
    g_autoptr (FsimTestRun) explain =
        CLI ("explain", "device-partners-2018.json", "--user", "u7", "--format", "json", "--set",
             "population.users=3000", "--set", "date=2018-07-01");
    assert_same_as_cli ("api/explain?scenario=device-partners-2018&user=u7"
                        "&set=population.users%3D3000&set=date%3D2018-07-01",
                        explain);
}

/* Which overrides keep the population (and so share a key). */
static void
test_serve_population_key (void)
{
    static const char *const keep[] = {
        "date=2015-05-01",
        "apis[device].respects=[]",
        "rules[x].until=2016-01-01",
        "partners[quiz].destinations[servers].jurisdiction=RU",
        "partners[a].shares=[]",
        "apis=[]",
        NULL,
    };
    static const char *const change[] = {
        "population.users=5",
        "seed=2",
        "partners[quiz].kind=app",
        "partners=[]",
        "fields=[]",
        "dates=1",
        "date.x=1",
        "population.users[dave].settings.platform=true",
        "partners[quiz]=x",
        NULL,
    };
    g_autofree char *bare = fsim_serve_pop_key ("f.json", NULL, NULL);
    g_autofree char *kept = fsim_serve_pop_key ("f.json", keep, NULL);
    g_assert_cmpstr (bare, ==, "f.json");
    g_assert_cmpstr (kept, ==, bare);
    for (size_t i = 0; change[i]; i++) {
        const char *one[] = { change[i], NULL };
        g_autofree char *key = fsim_serve_pop_key ("f.json", one, NULL);
        g_assert_cmpstr (key, !=, bare);
    }
    /* a claim's choice keeps the population when its alternatives set only rules (Apple's
     * access), not without the scenario that says so, nor for an unknown claim */
    g_autofree char *dir = scenarios_dir ();
    g_autofree char *path = g_build_filename (dir, "device-partners-2018.json", NULL);
    const char *const choice[] = { "choices.apple-access=apple-2017-09", NULL };
    const char *const unknown[] = { "choices.nope=x", NULL };
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimScenario) scenario = fsim_loader_load (path, choice, &error);
    g_assert_no_error (error);
    g_autofree char *chosen = fsim_serve_pop_key ("f.json", choice, scenario);
    g_autofree char *blind = fsim_serve_pop_key ("f.json", choice, NULL);
    g_autofree char *other = fsim_serve_pop_key ("f.json", unknown, scenario);
    g_assert_cmpstr (chosen, ==, bare);
    g_assert_cmpstr (blind, !=, bare);
    g_assert_cmpstr (other, !=, bare);
}

static void
test_serve_claims (void)
{
    g_autoptr (FsimTestRun) list = CLI ("claims", "device-partners-2018.json", "--format", "json");
    assert_same_as_cli ("api/claims?scenario=device-partners-2018", list);
    /* the claims, their defaults and alternatives with evidence and party */
    fsim_assert_contains (list->out, "\"scenario\": \"device-partners-2018\",");
    fsim_assert_contains (list->out, "      \"id\": \"apple-access\",\n      \"question\": "
                                     "\"Did Apple's device-integrated access continue after "
                                     "September 2017?\",\n      \"default\": \"facebook-2018-06\","
                                     "\n      \"chosen\": \"facebook-2018-06\",");
    fsim_assert_contains (list->out, "\"id\": \"apple-2017-09\",\n          \"evidence\": "
                                     "\"stated\",\n          \"party\": \"Apple\",");
    fsim_assert_contains (list->out, "\"rules[apple-device-integration].until\"");
    fsim_assert_contains (list->out, "\"id\": \"device-partner-status\",");
    fsim_assert_contains (list->out, "\"id\": \"nyt-third-parties\",\n          \"evidence\": "
                                     "\"reported\",\n          \"party\": null,");

    /* a choice, as --claim makes it, is what the list says is chosen */
    g_autoptr (FsimTestRun) chosen = CLI ("claims", "device-partners-2018.json", "--format", "json",
                                          "--claim", "apple-access=apple-2017-09");
    assert_same_as_cli ("api/claims?scenario=device-partners-2018"
                        "&set=choices.apple-access%3Dapple-2017-09",
                        chosen);
    fsim_assert_contains (chosen->out, "\"default\": \"facebook-2018-06\",\n      \"chosen\": "
                                       "\"apple-2017-09\",");
    g_autoptr (FsimTestRun) text = CLI ("claims", "device-partners-2018.json");
    assert_same_as_cli ("api/claims?scenario=device-partners-2018&format=text", text);
    fsim_assert_contains (text->out, "  * facebook-2018-06 (default) [in force]\n");

    /* --effect: how far each claim moves each partner */
    g_autoptr (FsimTestRun) effect = CLI ("claims", "device-partners-2018.json", "--effect",
                                          "--format", "json", "--set", "population.users=1000");
    assert_same_as_cli ("api/claims?scenario=device-partners-2018&effect=true"
                        "&set=population.users%3D1000",
                        effect);
    fsim_assert_contains (effect->out, "\"claim\": \"apple-access\",\n          \"moves\": true,");

    /* a scenario without claims lists none; a claim or an alternative that does not exist is
     * the CLI's error */
    g_autoptr (FsimTestRun) none = CLI ("claims", "tour.json", "--format", "json");
    assert_same_as_cli ("api/claims?scenario=tour", none);
    fsim_assert_contains (none->out, "\"claims\": []");
    g_autoptr (FsimTestRun) bad =
        CLI ("claims", "device-partners-2018.json", "--claim", "apple-access=nope");
    g_autofree char *message = cli_message (bad);
    assert_error ("api/claims?scenario=device-partners-2018&set=choices.apple-access%3Dnope", 400,
                  message);
    assert_error ("api/claims?scenario=tour&effect=yes", 400, "effect 'yes' is not true or false");
}

/* ---- bad input ---- */

static void
test_serve_bad_scenario (void)
{
    assert_error ("api/run?scenario=nope", 404, "no scenario 'nope' on this server");
    assert_error ("api/run", 400, "parameter 'scenario' is required");
    assert_error ("api/nope?scenario=tour", 404, "no API endpoint '/api/nope'");
    assert_error ("api/diff?scenario=tour&whatif=nope&set=date%3D2015-01-01", 404,
                  "no scenario 'nope' on this server");
}

static void
test_serve_bad_traversal (void)
{
    static const char *const scenarios[] = { "../../../etc/passwd", "..%2F..%2Fetc%2Fpasswd",
                                             "tour.json", "%2Fetc%2Fpasswd", "scenarios/tour" };
    for (size_t i = 0; i < G_N_ELEMENTS (scenarios); i++) {
        g_autofree char *target = g_strconcat ("api/run?scenario=", scenarios[i], NULL);
        g_autoptr (Reply) r = get (target);
        g_assert_cmpuint (r->status, ==, 404);
        fsim_assert_contains (r->body, "on this server");
    }
    static const char *const paths[] = { "../../etc/passwd",       "%2e%2e/%2e%2e/etc/passwd",
                                         "..%2f..%2fetc%2fpasswd", "tour.json",
                                         "scenarios/tour.json",    "api/../../etc/passwd" };
    for (size_t i = 0; i < G_N_ELEMENTS (paths); i++) {
        g_autoptr (Reply) r = get (paths[i]);
        g_assert_cmpuint (r->status, !=, 200);
        g_assert_null (strstr (r->body, "root:"));
    }
    /* an override that would make the loader read a file of the client's choosing */
    assert_error ("api/run?scenario=tour&set=population%3D%7B%22import%22%3A%7B%22file%22%3A"
                  "%22%2Fetc%2Fpasswd%22%7D%7D",
                  400, "population.import: overrides cannot name files on this server");
    assert_error ("api/run?scenario=tour&set=include%3D%5B%22%2Fetc%2Fpasswd%22%5D", 400,
                  "--set include:1:1: include: unknown key 'include'");
    /* a snapshot is a file too: the server used to map it, and to say whether it existed
     * ("cannot open ... No such file") or was something else ("is not a flowsim population
     * snapshot"); now both get the same answer, before anything is opened */
    static const char *const snapshots[] = { "%2Fetc%2Fshadow", "%2Fnonexistent", "%2Fdev%2Fzero",
                                             "..%2Ftests%2Fdata%2Fx.fsp" };
    for (size_t i = 0; i < G_N_ELEMENTS (snapshots); i++) {
        g_autofree char *set =
            g_strconcat ("api/run?scenario=tour&set=population.snapshot%3D", snapshots[i], NULL);
        assert_error (set, 400, "population.snapshot: overrides cannot name files on this server");
        g_autofree char *whole = g_strconcat ("api/explain?scenario=tour&user=bob&set=population%3D"
                                              "%7B%22snapshot%22%3A%22",
                                              snapshots[i], "%22%7D", NULL);
        assert_error (whole, 400,
                      "population.snapshot: overrides cannot name files on this server");
    }
}

static void
test_serve_bad_override (void)
{
    static const char *const sets[] = { "date=2015-13-01", "dat=2015-05-01", "partners[nope].x=1",
                                        "population.users=\"many\"",
                                        "apis[device].respects=[\"nothing\"]" };
    for (size_t i = 0; i < G_N_ELEMENTS (sets); i++) {
        g_autoptr (FsimTestRun) run = CLI ("run", "tour.json", "--set", sets[i]);
        g_autofree char *message = cli_message (run);
        g_autofree char *escaped = g_uri_escape_string (sets[i], NULL, FALSE);
        g_autofree char *target = g_strconcat ("api/run?scenario=tour&set=", escaped, NULL);
        g_assert_cmpint (run->status, ==, 3);
        assert_error (target, 400, message);
    }
    g_autoptr (FsimTestRun) shape = CLI ("run", "tour.json", "--set", "nope");
    g_autofree char *message = cli_message (shape);
    assert_error ("api/run?scenario=tour&set=nope", 400, message);
    assert_error ("api/run?scenario=tour&set=%3D1", 400, "--set '=1' is not PATH=VALUE");
    assert_error ("api/explain?scenario=tour", 400, "--user is required");
    assert_error ("api/explain?scenario=tour&user=zed", 400, "no user 'zed' in tour.json");
    assert_error ("api/timeline?scenario=tour&from=2015-01-01", 400,
                  "--from and --to are required");
    assert_error ("api/timeline?scenario=tour&from=2015-01-01&to=2014-01-01", 400,
                  "--from 2015-01-01 is after --to 2014-01-01");
    assert_error ("api/diff?scenario=tour", 400,
                  "give a WHATIF scenario, or --set overrides of BASE");
    assert_error ("api/diagram?scenario=tour&top=x", 400,
                  "--top 'x' is not a number from 0 to 100000");
    assert_error ("api/run?scenario=tour&format=xml", 400, "unknown format 'xml' for /api/run");
    assert_error ("api/run?scenario=tour&bogus=1", 400, "unknown parameter 'bogus'");
    assert_error ("api/run?scenario=tour&scenario=tour", 400, "parameter 'scenario' given twice");
    /* libsoup refuses a malformed URI itself, before the handler */
    g_autoptr (Reply) malformed = get ("api/run?scenario=tour&set=date%ZZ");
    g_assert_cmpuint (malformed->status, ==, 400);
    g_autoptr (Reply) post = request_full (shared, "POST", "api/run?scenario=tour", "x");
    g_assert_cmpuint (post->status, ==, 405);
}

/* ---- limits ---- */

/* One simulation shared by the requests of one state (serve-sims.c): the run in two formats,
 * the diagram and a claim's choice asked at once each get what the CLI prints. */
static void
test_serve_shared_simulation (void)
{
    static const char *const state = "scenario=device-partners-2018&set=population.users%3D4000"
                                     "&set=date%3D2018-11-01"
                                     "&set=choices.apple-access%3Dapple-2017-09";
    char *targets[] = { g_strdup_printf ("api/run?%s", state),
                        g_strdup_printf ("api/run?%s&format=csv", state),
                        g_strdup_printf ("api/diagram?%s&format=dot", state),
                        g_strdup_printf ("api/run?%s&format=text", state) };
    /* the people of this state without the choice, kept for the choice (population/key) */
    g_autoptr (FsimTestRun) unchosen =
        CLI ("run", "device-partners-2018.json", "--format", "json", "--set",
             "population.users=4000", "--set", "date=2018-11-01");
    assert_same_as_cli ("api/run?scenario=device-partners-2018&set=population.users%3D4000"
                        "&set=date%3D2018-11-01",
                        unchosen);
    Batch b = batch (shared, targets, G_N_ELEMENTS (targets));
    g_assert_cmpuint (b.ok, ==, G_N_ELEMENTS (targets));
    /* the answers given at once, now from the answer cache, are the CLI's */
    static const char *const formats[] = { "json", "csv", NULL, "text" };
    for (size_t i = 0; i < G_N_ELEMENTS (targets); i++) {
        const char *const args[] = { formats[i] ? "run" : "diagram",
                                     "device-partners-2018.json",
                                     "--format",
                                     formats[i] ? formats[i] : "dot",
                                     "--set",
                                     "population.users=4000",
                                     "--set",
                                     "date=2018-11-01",
                                     "--claim",
                                     "apple-access=apple-2017-09",
                                     NULL };
        g_autoptr (FsimTestRun) run = cli (args);
        assert_same_as_cli (targets[i], run);
        if (i == 0)
            fsim_assert_contains (run->out, "\"id\": \"apple\",\n      \"name\": \"Apple\"");
        g_free (targets[i]);
    }
}

int
main (int argc, char **argv)
{
    serve_test_init (&argc, &argv);
    g_test_add_func ("/serve/scenarios", test_serve_scenarios);
    g_test_add_func ("/serve/page", test_serve_page);
    g_test_add_func ("/serve/run", test_serve_run);
    g_test_add_func ("/serve/explain", test_serve_explain);
    g_test_add_func ("/serve/diff", test_serve_diff);
    g_test_add_func ("/serve/timeline", test_serve_timeline);
    g_test_add_func ("/serve/diagram", test_serve_diagram);
    g_test_add_func ("/serve/claims", test_serve_claims);
    g_test_add_func ("/serve/population/cache", test_serve_population_cache);
    g_test_add_func ("/serve/population/key", test_serve_population_key);
    g_test_add_func ("/serve/population/shared-simulation", test_serve_shared_simulation);
    g_test_add_func ("/serve/bad/scenario", test_serve_bad_scenario);
    g_test_add_func ("/serve/bad/traversal", test_serve_bad_traversal);
    g_test_add_func ("/serve/bad/override", test_serve_bad_override);
    return serve_test_run ();
}
