/* SPDX-License-Identifier: MIT */
/* test-serve.c: `flowsim serve` over HTTP (a libsoup client on loopback): every endpoint
 * answers what the CLI prints, bad input gets the CLI's message, the limits hold, and the
 * server stops cleanly on SIGTERM and SIGINT. */
#include "config.h"

#include <signal.h>
#include <sys/prctl.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <libsoup/soup.h>

#include "loader.h"
#include "run-util.h"
#include "serve.h"

/* A flowsim serve process and where it listens. */
typedef struct {
    GSubprocess *process;
    char *url; /* "http://127.0.0.1:PORT/" */
    int port;
} Server;

typedef struct {
    guint status;
    char *body;
    char *content_type;
    char *csp;
} Reply;

static Server *shared; /* the bundled scenarios with the default limits */
static SoupSession *session;

static char *
scenarios_dir (void)
{
    return g_build_filename (g_getenv ("FLOWSIM_SOURCE_DIR"), "scenarios", NULL);
}

/* In the child before exec: SIGTERM when the test process dies (Linux). */
static void
die_with_parent (gpointer data)
{
    (void) data;
    prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* Starts `flowsim serve --port 0 --quiet ARGS... SCENARIOS` and waits for its URL line. */
static Server *
server_start (const char *const *args)
{
    g_autoptr (GPtrArray) argv = g_ptr_array_new ();
    g_autofree char *dir = scenarios_dir ();
    g_autoptr (GError) error = NULL;
    g_ptr_array_add (argv, (char *) g_getenv ("FLOWSIM"));
    g_ptr_array_add (argv, (gpointer) "serve");
    g_ptr_array_add (argv, (gpointer) "--port=0");
    g_ptr_array_add (argv, (gpointer) "--quiet");
    for (const char *const *a = args; a && *a; a++)
        g_ptr_array_add (argv, (char *) *a);
    g_ptr_array_add (argv, dir);
    g_ptr_array_add (argv, NULL);

    Server *s = g_new0 (Server, 1);
    g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (
        G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
    /* under ASan: libsoup 3.2's own leak of closed connections is not ours */
    g_autofree char *supp = g_test_build_filename (G_TEST_DIST, "lsan-serve.supp", NULL);
    g_autofree char *lsan = g_strconcat ("suppressions=", supp, NULL);
    g_subprocess_launcher_setenv (launcher, "LSAN_OPTIONS", lsan, TRUE);
    /* a test that aborts must not leave its server running */
    g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
    s->process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata,
                                               &error);
    g_assert_no_error (error);
    g_autoptr (GDataInputStream) out =
        g_data_input_stream_new (g_subprocess_get_stdout_pipe (s->process));
    g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (out), FALSE);
    g_autofree char *line = g_data_input_stream_read_line (out, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (line);
    const char *at = strstr (line, " at http://");
    g_assert_nonnull (at);
    s->url = g_strndup (at + 4, strcspn (at + 4, " "));
    g_assert_true (g_str_has_suffix (s->url, "/"));
    s->port = atoi (strrchr (s->url, ':') + 1);
    g_assert_cmpint (s->port, >, 0);
    return s;
}

/* Sends @signal, waits for the exit and returns stderr (transfer full); checks status 0. */
static char *
server_stop (Server *s, int signal)
{
    g_autoptr (GError) error = NULL;
    char *err = NULL;
    g_subprocess_send_signal (s->process, signal);
    g_subprocess_communicate_utf8 (s->process, NULL, NULL, NULL, &err, &error);
    g_assert_no_error (error);
    g_assert_true (g_subprocess_get_if_exited (s->process));
    g_assert_cmpint (g_subprocess_get_exit_status (s->process), ==, 0);
    g_object_unref (s->process);
    g_free (s->url);
    g_free (s);
    return err;
}

static void
reply_free (Reply *r)
{
    g_free (r->body);
    g_free (r->content_type);
    g_free (r->csp);
    g_free (r);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

static Reply *
reply_of (SoupMessage *msg, GBytes *bytes)
{
    Reply *r = g_new0 (Reply, 1);
    SoupMessageHeaders *h = soup_message_get_response_headers (msg);
    gsize len = 0;
    const char *data = g_bytes_get_data (bytes, &len);
    r->status = soup_message_get_status (msg);
    r->body = g_strndup (data ? data : "", len);
    r->content_type = g_strdup (soup_message_headers_get_one (h, "Content-Type"));
    r->csp = g_strdup (soup_message_headers_get_one (h, "Content-Security-Policy"));
    return r;
}

/* METHOD @s->url + @target (no leading '/'), with @body (nullable). */
static Reply *
request_full (const Server *s, const char *method, const char *target, const char *body)
{
    /* as written, bad escapes and dot segments included: what a hostile client sends */
    g_autofree char *path = g_strconcat ("/", target, NULL);
    char *q = strchr (path, '?');
    if (q)
        *q++ = '\0';
    g_autoptr (GUri) uri = g_uri_build (G_URI_FLAGS_ENCODED, "http", NULL, "127.0.0.1", s->port,
                                        path, q, NULL);
    g_autoptr (GError) error = NULL;
    g_autoptr (SoupMessage) msg = soup_message_new_from_uri (method, uri);
    g_assert_nonnull (msg);
    if (body) {
        g_autoptr (GBytes) b = g_bytes_new (body, strlen (body));
        soup_message_set_request_body_from_bytes (msg, "text/plain", b);
    }
    g_autoptr (GBytes) bytes = soup_session_send_and_read (session, msg, NULL, &error);
    g_assert_no_error (error);
    return reply_of (msg, bytes);
}

static Reply *
get (const char *target)
{
    return request_full (shared, "GET", target, NULL);
}

/* flowsim ARGS... run in the scenarios folder, as the server names files. */
static FsimTestRun *
cli (const char *const *args)
{
    g_autofree char *dir = scenarios_dir ();
    return fsim_test_run (dir, NULL, args);
}
#define CLI(...) cli ((const char *const[]) { __VA_ARGS__, NULL })

static void
assert_same_as_cli (const char *target, FsimTestRun *run)
{
    g_autoptr (Reply) r = get (target);
    g_assert_cmpint (run->status, ==, 0);
    g_assert_cmpuint (r->status, ==, 200);
    g_assert_cmpstr (r->body, ==, run->out);
}

/* The message the CLI printed after "flowsim: error: ", up to the end of its line. */
static char *
cli_message (const FsimTestRun *run)
{
    const char *m = strstr (run->err, "flowsim: error: ");
    g_assert_nonnull (m);
    m += strlen ("flowsim: error: ");
    return g_strndup (m, strcspn (m, "\n"));
}

static void
assert_error (const char *target, guint status, const char *message)
{
    g_autoptr (Reply) r = get (target);
    g_autofree char *quoted = NULL;
    GString *q = g_string_new ("\"error\": \"");
    for (const char *p = message; *p; p++) { /* JSON-escape the quotes of the message */
        if (*p == '"' || *p == '\\')
            g_string_append_c (q, '\\');
        g_string_append_c (q, *p);
    }
    quoted = g_string_free (q, FALSE);
    g_assert_cmpuint (r->status, ==, status);
    g_assert_cmpstr (r->content_type, ==, "application/json; charset=utf-8");
    fsim_assert_contains (r->body, quoted);
}

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
    g_autoptr (FsimTestRun) two = CLI ("run", "tour.json", "--format", "json", "--set",
                                       "partners[phoneco].destinations[handset].location=server",
                                       "--set",
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
    g_autoptr (FsimTestRun) text = CLI ("explain", "tour.json", "--user", "dave", "--partner",
                                        "quiz", "--set", "population.users[dave].settings.platform=true");
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
    assert_same_as_cli ("api/timeline?scenario=tour&from=2013-01-01&to=2016-01-01&format=svg",
                        svg);
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
    g_autoptr (FsimTestRun) base =
        CLI ("run", "device-partners-2018.json", "--format", "json", "--set",
             "population.users=3000");
    assert_same_as_cli ("api/run?scenario=device-partners-2018&set=population.users%3D3000", base);
    g_autoptr (FsimTestRun) kept = CLI (
        "run", "device-partners-2018.json", "--format", "json", "--set", "population.users=3000",
        "--set", "date=2018-07-01", "--set",
        "apis[device-integrated].respects=[\"platform\",\"audience\"]", "--set",
        "partners[huawei].destinations[handset].location=server", "--set",
        "partners[huawei].destinations[handset].jurisdiction=CN");
    assert_same_as_cli ("api/run?scenario=device-partners-2018&set=population.users%3D3000"
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
        "date=2015-05-01", "apis[device].respects=[]", "rules[x].until=2016-01-01",
        "partners[quiz].destinations[servers].jurisdiction=RU", "partners[a].shares=[]",
        "apis=[]", NULL,
    };
    static const char *const change[] = {
        "population.users=5", "seed=2", "partners[quiz].kind=app", "partners=[]",
        "fields=[]", "dates=1", "date.x=1", "population.users[dave].settings.platform=true",
        "partners[quiz]=x", NULL,
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
    g_autoptr (FsimTestRun) list =
        CLI ("claims", "device-partners-2018.json", "--format", "json");
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
    g_autoptr (FsimTestRun) chosen = CLI ("claims", "device-partners-2018.json", "--format",
                                          "json", "--claim", "apple-access=apple-2017-09");
    assert_same_as_cli ("api/claims?scenario=device-partners-2018"
                        "&set=choices.apple-access%3Dapple-2017-09",
                        chosen);
    fsim_assert_contains (chosen->out, "\"default\": \"facebook-2018-06\",\n      \"chosen\": "
                                       "\"apple-2017-09\",");
    g_autoptr (FsimTestRun) text = CLI ("claims", "device-partners-2018.json");
    assert_same_as_cli ("api/claims?scenario=device-partners-2018&format=text", text);
    fsim_assert_contains (text->out, "  * facebook-2018-06 (default) [in force]\n");

    /* --effect: how far each claim moves each partner */
    g_autoptr (FsimTestRun) effect =
        CLI ("claims", "device-partners-2018.json", "--effect", "--format", "json", "--set",
             "population.users=1000");
    assert_same_as_cli ("api/claims?scenario=device-partners-2018&effect=true"
                        "&set=population.users%3D1000",
                        effect);
    fsim_assert_contains (effect->out, "\"claim\": \"apple-access\",\n          \"moves\": true,");

    /* a scenario without claims lists none; a claim or an alternative that does not exist is
     * the CLI's error */
    g_autoptr (FsimTestRun) none = CLI ("claims", "tour.json", "--format", "json");
    assert_same_as_cli ("api/claims?scenario=tour", none);
    fsim_assert_contains (none->out, "\"claims\": []");
    g_autoptr (FsimTestRun) bad = CLI ("claims", "device-partners-2018.json", "--claim",
                                       "apple-access=nope");
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
    static const char *const paths[] = { "../../etc/passwd", "%2e%2e/%2e%2e/etc/passwd",
                                         "..%2f..%2fetc%2fpasswd", "tour.json",
                                         "scenarios/tour.json", "api/../../etc/passwd" };
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
}

/* The status of "GET /@target HTTP/1.1" sent with @host as its Host header (NULL: none), on a
 * raw connection: a client library would set Host itself. A 403 must say why. */
static guint
status_with_host (const Server *s, const char *target, const char *host)
{
    g_autoptr (GSocketClient) client = g_socket_client_new ();
    g_autoptr (GError) error = NULL;
    g_autoptr (GSocketConnection) connection =
        g_socket_client_connect_to_host (client, "127.0.0.1", (guint16) s->port, NULL, &error);
    g_assert_no_error (error);
    g_autofree char *request = g_strdup_printf ("GET /%s HTTP/1.1\r\n%s%s%sConnection: close"
                                                "\r\n\r\n", target, host ? "Host: " : "",
                                                host ? host : "", host ? "\r\n" : "");
    GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
    g_output_stream_write_all (out, request, strlen (request), NULL, NULL, &error);
    g_assert_no_error (error);
    g_autoptr (GByteArray) answer = g_byte_array_new ();
    GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
    char buffer[4096];
    gssize n;
    while ((n = g_input_stream_read (in, buffer, sizeof buffer, NULL, &error)) > 0)
        g_byte_array_append (answer, (const guint8 *) buffer, (guint) n);
    g_assert_no_error (error);
    g_byte_array_append (answer, (const guint8 *) "", 1);
    const char *text = (const char *) answer->data;
    g_assert_true (g_str_has_prefix (text, "HTTP/1.1 "));
    if (atoi (text + strlen ("HTTP/1.1 ")) == 403)
        fsim_assert_contains (text, "\"error\": \"this server answers to ");
    return (guint) atoi (text + strlen ("HTTP/1.1 "));
}

/* DNS rebinding: on loopback, only the loopback names with the right port are answered. */
static void
test_serve_bad_host (void)
{
    char *ok[] = { g_strdup_printf ("127.0.0.1:%d", shared->port),
                   g_strdup_printf ("localhost:%d", shared->port),
                   g_strdup_printf ("LocalHost:%d", shared->port),
                   g_strdup_printf ("[::1]:%d", shared->port) };
    for (size_t i = 0; i < G_N_ELEMENTS (ok); i++) {
        g_assert_cmpuint (status_with_host (shared, "api/scenarios", ok[i]), ==, 200);
        g_free (ok[i]);
    }
    char *bad[] = { g_strdup_printf ("evil.example:%d", shared->port),
                    g_strdup_printf ("127.0.0.1.nip.io:%d", shared->port),
                    g_strdup_printf ("localhost.evil.example:%d", shared->port),
                    g_strdup_printf ("10.0.0.1:%d", shared->port),
                    g_strdup_printf ("127.0.0.1:%d", shared->port + 1),
                    g_strdup ("127.0.0.1"), g_strdup ("localhost:") };
    for (size_t i = 0; i < G_N_ELEMENTS (bad); i++) {
        g_assert_cmpuint (status_with_host (shared, "", bad[i]), ==, 403);
        g_assert_cmpuint (status_with_host (shared, "api/run?scenario=tour", bad[i]), ==, 403);
        g_free (bad[i]);
    }
    /* no Host, or one libsoup cannot read (400) */
    g_assert_cmpuint (status_with_host (shared, "api/scenarios", NULL), !=, 200);
    g_autofree char *broken = g_strdup_printf ("[::1:%d", shared->port);
    g_assert_cmpuint (status_with_host (shared, "api/scenarios", broken), ==, 400);

    /* --listen elsewhere: IP addresses, localhost and this machine's name */
    Server *open = server_start ((const char *const[]) { "--listen=0.0.0.0", NULL });
    const char *const names[][2] = { { "10.1.2.3", "200" }, { "[fe80::1]", "200" },
                                     { "localhost", "200" }, { g_get_host_name (), "200" },
                                     { "evil.example", "403" }, { "10.1.2.3.nip.io", "403" } };
    for (size_t i = 0; i < G_N_ELEMENTS (names); i++) {
        g_autofree char *host = g_strdup_printf ("%s:%d", names[i][0], open->port);
        g_assert_cmpuint (status_with_host (open, "api/scenarios", host), ==,
                          (guint) atoi (names[i][1]));
    }
    g_autofree char *port = g_strdup_printf ("10.1.2.3:%d", open->port + 1);
    g_assert_cmpuint (status_with_host (open, "api/scenarios", port), ==, 403);
    g_autofree char *err = server_stop (open, SIGTERM);
    fsim_assert_contains (err, "flowsim serve: warning: listening on 0.0.0.0");
}

static void
test_serve_bad_override (void)
{
    static const char *const sets[] = { "date=2015-13-01", "dat=2015-05-01",
                                        "partners[nope].x=1", "population.users=\"many\"",
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

static void
test_serve_limits_request_size (void)
{
    g_autoptr (GString) target = g_string_new ("api/run?scenario=tour");
    while (target->len < 20000)
        g_string_append (target, "&set=date%3D2015-05-01");
    g_autoptr (Reply) r = get (target->str);
    g_assert_cmpuint (r->status, ==, 414);
    fsim_assert_contains (r->body, "this server takes at most 16384");
    g_autofree char *body = g_strnfill (100000, 'x');
    g_autoptr (Reply) big = request_full (shared, "POST", "api/run?scenario=tour", body);
    g_assert_cmpuint (big->status, ==, 413);
    /* still up */
    g_autoptr (Reply) ok = get ("api/scenarios");
    g_assert_cmpuint (ok->status, ==, 200);
}

static void
test_serve_limits_users (void)
{
    assert_error ("api/run?scenario=device-partners-2018&set=population.users%3D100001", 400,
                  "population.users: 100001 users is over this server's limit of 100000");
    assert_error ("api/run?scenario=device-partners-2018&set=population.mean_degree%3D4000", 400,
                  "population.mean_degree: 10000 users with 4000 friends each is over");
    assert_error ("api/timeline?scenario=tour&from=2000-01-01&to=2019-01-01&step=1w", 400,
                  "a timeline of this server has at most 200 dates");
}

typedef struct {
    GMainLoop *loop;
    guint pending;
    guint ok, busy, other;
} Batch;

static void
batch_done (GObject *source, GAsyncResult *result, gpointer data)
{
    Batch *b = data;
    SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
    g_autoptr (GError) error = NULL;
    g_autoptr (GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                                  &error);
    g_assert_no_error (error);
    g_autoptr (Reply) r = reply_of (msg, bytes);
    if (r->status == 200)
        b->ok++;
    else if (r->status == 503 && strstr (r->body, "busy: "))
        b->busy++;
    else
        b->other++;
    if (--b->pending == 0)
        g_main_loop_quit (b->loop);
}

/* Sends the @n targets at once on a session of its own and counts the answers. */
static Batch
batch (const Server *s, char **targets, guint n)
{
    g_autoptr (SoupSession) own = soup_session_new_with_options ("max-conns", 100,
                                                                 "max-conns-per-host", 100,
                                                                 "timeout", 300, NULL);
    g_autoptr (GPtrArray) msgs = g_ptr_array_new_with_free_func (g_object_unref);
    Batch b = { g_main_loop_new (NULL, FALSE), n, 0, 0, 0 };
    for (guint i = 0; i < n; i++) {
        g_autofree char *url = g_strconcat (s->url, targets[i], NULL);
        SoupMessage *msg = soup_message_new ("GET", url);
        g_ptr_array_add (msgs, msg);
        soup_session_send_and_read_async (own, msg, G_PRIORITY_DEFAULT, NULL, batch_done, &b);
    }
    g_main_loop_run (b.loop);
    g_main_loop_unref (b.loop);
    return b;
}

/* One simulation at a time and none waiting: of three at once, one runs, the others get
 * 503 at once, and the server stays up. */
static void
test_serve_limits_busy (void)
{
    Server *s = server_start ((const char *const[]) { "--jobs=1", "--queue=0", "--cache=0",
                                                      NULL });
    char *targets[3];
    for (int i = 0; i < 3; i++)
        targets[i] = g_strdup_printf ("api/run?scenario=device-partners-2018"
                                      "&set=date%%3D2018-0%d-01", i + 1);
    Batch b = batch (s, targets, 3);
    g_assert_cmpuint (b.other, ==, 0);
    g_assert_cmpuint (b.ok, >=, 1);
    g_assert_cmpuint (b.busy, >=, 1);
    g_assert_cmpuint (b.ok + b.busy, ==, 3);
    g_autoptr (Reply) after = request_full (s, "GET", "api/run?scenario=tour", NULL);
    g_assert_cmpuint (after->status, ==, 200);
    for (int i = 0; i < 3; i++)
        g_free (targets[i]);
    g_autofree char *err = server_stop (s, SIGTERM);
    fsim_assert_contains (err, "flowsim serve: stopped");
}

/* A request past --timeout gets 503 at once; the server stays up, and the simulation, finished
 * in the background, answers the same request from the cache. */
static void
test_serve_limits_timeout (void)
{
    Server *s = server_start ((const char *const[]) { "--timeout=0.3", NULL });
    const char *target = "api/run?scenario=device-partners-2018&set=population.users%3D100000";
    g_autoptr (Reply) r = request_full (s, "GET", target, NULL);
    g_assert_cmpuint (r->status, ==, 503);
    fsim_assert_contains (r->body, "the simulation took longer than 0.3 s");
    g_autoptr (Reply) up = request_full (s, "GET", "api/scenarios", NULL);
    g_assert_cmpuint (up->status, ==, 200);
    guint status = 503;
    for (int i = 0; i < 600 && status != 200; i++) { /* up to a minute on a loaded machine */
        g_usleep (100000);
        g_autoptr (Reply) again = request_full (s, "GET", target, NULL);
        status = again->status;
        if (status == 200)
            fsim_assert_contains (again->body, "\"users\": 100000,");
    }
    g_assert_cmpuint (status, ==, 200);
    g_autofree char *err = server_stop (s, SIGINT);
    fsim_assert_contains (err, "flowsim serve: stopped");
}

/* A request for a new population of @users (seconds to build) times out while it runs. */
static void
assert_times_out (const Server *s, int users)
{
    g_autofree char *target = g_strdup_printf (
        "api/run?scenario=device-partners-2018&set=population.users%%3D%d", users);
    g_autoptr (Reply) r = request_full (s, "GET", target, NULL);
    g_assert_cmpuint (r->status, ==, 503);
    fsim_assert_contains (r->body, "it goes on in the background");
}

/* A request past --timeout gives its place back: with one job and no queue, the next request
 * is simulated while the timed-out one goes on in the background; but no more than --jobs run
 * in the background, so a second timed-out simulation keeps its place and the next request
 * finds the server busy. */
static void
test_serve_limits_timeout_slot (void)
{
    Server *s = server_start ((const char *const[]) { "--jobs=1", "--queue=0", "--timeout=0.3",
                                                      "--cache=0", "--populations=0", NULL });
    assert_times_out (s, 100000);
    g_autoptr (Reply) next = request_full (s, "GET", "api/run?scenario=tour", NULL);
    g_assert_cmpuint (next->status, ==, 200);
    fsim_assert_contains (next->body, "\"scenario\": \"tour\"");

    assert_times_out (s, 99999);
    g_autoptr (Reply) busy = request_full (s, "GET", "api/run?scenario=tour&format=csv", NULL);
    g_assert_cmpuint (busy->status, ==, 503);
    fsim_assert_contains (busy->body, "busy: 1 simulations are running or waiting");
    /* once the simulations are over, the places are free again */
    guint status = 503;
    for (int i = 0; i < 1200 && status != 200; i++) { /* up to two minutes when loaded */
        g_usleep (100000);
        g_autoptr (Reply) again = request_full (s, "GET", "api/run?scenario=tour&format=csv", NULL);
        status = again->status;
    }
    g_assert_cmpuint (status, ==, 200);
    g_autofree char *err = server_stop (s, SIGTERM);
    fsim_assert_contains (err, "flowsim serve: stopped");

    /* with a queue: a request that times out while it waits is dropped, and its place too */
    s = server_start ((const char *const[]) { "--jobs=1", "--queue=1", "--timeout=0.3",
                                              "--cache=0", "--populations=0", NULL });
    assert_times_out (s, 100000); /* in the background */
    assert_times_out (s, 99999);  /* keeps its place */
    g_autoptr (Reply) waited = request_full (s, "GET", "api/run?scenario=tour", NULL);
    g_assert_cmpuint (waited->status, ==, 503);
    fsim_assert_contains (waited->body, "the simulation did not start within 0.3 s");
    g_autoptr (Reply) waited2 = request_full (s, "GET", "api/run?scenario=tour&format=csv", NULL);
    g_assert_cmpuint (waited2->status, ==, 503);
    fsim_assert_contains (waited2->body, "the simulation did not start within 0.3 s");
    g_free (err);
    err = server_stop (s, SIGTERM);
    fsim_assert_contains (err, "flowsim serve: stopped");
}

/* 50 requests at once, each a different simulation, all answered. */
static void
test_serve_concurrent (void)
{
    char *targets[50];
    for (int i = 0; i < 50; i++)
        targets[i] = g_strdup_printf ("api/run?scenario=tour&set=date%%3D2014-%02d-%02d",
                                      1 + i % 12, 1 + i / 12);
    Batch b = batch (shared, targets, 50);
    g_assert_cmpuint (b.ok, ==, 50);
    for (int i = 0; i < 50; i++)
        g_free (targets[i]);
}

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
        const char *const args[] = { formats[i] ? "run" : "diagram", "device-partners-2018.json",
                                     "--format", formats[i] ? formats[i] : "dot", "--set",
                                     "population.users=4000", "--set", "date=2018-11-01",
                                     "--claim", "apple-access=apple-2017-09", NULL };
        g_autoptr (FsimTestRun) run = cli (args);
        assert_same_as_cli (targets[i], run);
        if (i == 0)
            fsim_assert_contains (run->out, "\"id\": \"apple\",\n      \"name\": \"Apple\"");
        g_free (targets[i]);
    }
}

static void
test_serve_options (void)
{
    g_autoptr (FsimTestRun) bad = FSIM_RUN ("serve", "--listen", "nowhere", "--port", "0");
    g_assert_cmpint (bad->status, ==, 2);
    fsim_assert_contains (bad->err, "--listen 'nowhere' is not an IP address");
    g_autoptr (FsimTestRun) port = FSIM_RUN ("serve", "--port", "70000");
    g_assert_cmpint (port->status, ==, 2);
    fsim_assert_contains (port->err, "--port 70000 is not from 0 to 65535");
    g_autofree char *scratch = fsim_test_scratch_new ();
    g_autoptr (FsimTestRun) empty = FSIM_RUN ("serve", "--port", "0", scratch);
    g_assert_cmpint (empty->status, ==, 3);
    fsim_assert_contains (empty->err, "no scenario file in");
    fsim_test_scratch_free (g_steal_pointer (&scratch));
    g_autoptr (FsimTestRun) help = FSIM_RUN ("serve", "--help");
    g_assert_cmpint (help->status, ==, 0);
    fsim_assert_contains (help->out, "--max-users=N");
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    session = soup_session_new_with_options ("timeout", 300, NULL);
    if (!g_test_subprocess ())
        shared = server_start (NULL);

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
    g_test_add_func ("/serve/bad/host", test_serve_bad_host);
    g_test_add_func ("/serve/limits/request-size", test_serve_limits_request_size);
    g_test_add_func ("/serve/limits/users", test_serve_limits_users);
    g_test_add_func ("/serve/limits/busy", test_serve_limits_busy);
    g_test_add_func ("/serve/limits/timeout", test_serve_limits_timeout);
    g_test_add_func ("/serve/limits/timeout-slot", test_serve_limits_timeout_slot);
    g_test_add_func ("/serve/concurrent", test_serve_concurrent);
    g_test_add_func ("/serve/options", test_serve_options);
    int status = g_test_run ();

    if (shared) {
        g_autofree char *err = server_stop (shared, SIGTERM);
        g_assert_nonnull (strstr (err, "flowsim serve: stopped"));
    }
    g_object_unref (session);
    return status;
}
