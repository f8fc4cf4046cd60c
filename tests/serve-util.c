/* SPDX-License-Identifier: MIT */
/* serve-util.c: what the serve tests share (serve-util.h). */
#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

#include <glib.h>
#include <libsoup/soup.h>

#include "serve-util.h"

Server *shared; /* started by serve_test_init() */
static SoupSession *session;

char *
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

Server *
server_start (const char *const *args)
{
    return server_start_full (args, TRUE);
}

/* Starts `flowsim serve --port 0 [--quiet] ARGS... SCENARIOS` and waits for its URL line. */
Server *
server_start_full (const char *const *args, gboolean quiet)
{
    g_autoptr (GPtrArray) argv = g_ptr_array_new ();
    g_autofree char *dir = scenarios_dir ();
    g_autoptr (GError) error = NULL;
    g_ptr_array_add (argv, (char *) g_getenv ("FLOWSIM"));
    g_ptr_array_add (argv, (gpointer) "serve");
    g_ptr_array_add (argv, (gpointer) "--port=0");
    if (quiet)
        g_ptr_array_add (argv, (gpointer) "--quiet");
    for (const char *const *a = args; a && *a; a++)
        g_ptr_array_add (argv, (char *) *a);
    g_ptr_array_add (argv, dir);
    g_ptr_array_add (argv, NULL);

    Server *s = g_new0 (Server, 1);
    g_autoptr (GSubprocessLauncher) launcher =
        g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
    /* under ASan: libsoup 3.2's own leak of closed connections is not ours */
    g_autofree char *supp = g_test_build_filename (G_TEST_DIST, "lsan-serve.supp", NULL);
    g_autofree char *lsan = g_strconcat ("suppressions=", supp, NULL);
    g_subprocess_launcher_setenv (launcher, "LSAN_OPTIONS", lsan, TRUE);
    /* a test that aborts must not leave its server running */
    g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
    s->process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
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
char *
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

void
reply_free (Reply *r)
{
    g_free (r->body);
    g_free (r->content_type);
    g_free (r->csp);
    g_free (r->retry_after);
    g_free (r);
}

Reply *
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
    r->retry_after = g_strdup (soup_message_headers_get_one (h, "Retry-After"));
    return r;
}

/* METHOD @s->url + @target (no leading '/'), with @body (nullable). */
Reply *
request_full (const Server *s, const char *method, const char *target, const char *body)
{
    /* as written, bad escapes and dot segments included: what a hostile client sends */
    g_autofree char *path = g_strconcat ("/", target, NULL);
    char *q = strchr (path, '?');
    if (q)
        *q++ = '\0';
    g_autoptr (GUri) uri =
        g_uri_build (G_URI_FLAGS_ENCODED, "http", NULL, "127.0.0.1", s->port, path, q, NULL);
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

Reply *
get (const char *target)
{
    return request_full (shared, "GET", target, NULL);
}

/* flowsim ARGS... run in the scenarios folder, as the server names files. */
FsimTestRun *
cli (const char *const *args)
{
    g_autofree char *dir = scenarios_dir ();
    return fsim_test_run (dir, NULL, args);
}

void
assert_same_as_cli (const char *target, FsimTestRun *run)
{
    g_autoptr (Reply) r = get (target);
    g_assert_cmpint (run->status, ==, 0);
    g_assert_cmpuint (r->status, ==, 200);
    g_assert_cmpstr (r->body, ==, run->out);
}

/* The message the CLI printed after "flowsim: error: ", up to the end of its line. */
char *
cli_message (const FsimTestRun *run)
{
    const char *m = strstr (run->err, "flowsim: error: ");
    g_assert_nonnull (m);
    m += strlen ("flowsim: error: ");
    return g_strndup (m, strcspn (m, "\n"));
}

void
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

static void
batch_done (GObject *source, GAsyncResult *result, gpointer data)
{
    Batch *b = data;
    SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
    g_autoptr (GError) error = NULL;
    g_autoptr (GBytes) bytes =
        soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
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
Batch
batch (const Server *s, char **targets, guint n)
{
    g_autoptr (SoupSession) own = soup_session_new_with_options (
        "max-conns", 100, "max-conns-per-host", 100, "timeout", 300, NULL);
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

void
serve_test_init (int *argc, char ***argv)
{
    g_test_init (argc, argv, NULL);
    session = soup_session_new_with_options ("timeout", 300, NULL);
    if (!g_test_subprocess ())
        shared = server_start (NULL);
}

int
serve_test_run (void)
{
    int status = g_test_run ();
    if (shared) {
        g_autofree char *err = server_stop (shared, SIGTERM);
        g_assert_nonnull (strstr (err, "flowsim serve: stopped"));
    }
    g_object_unref (session);
    return status;
}
