/* SPDX-License-Identifier: MIT */
/* test-serve-limits.c: `flowsim serve`'s limits (request size, users, busy, time, the place a
 * timed-out request gives back, 50 requests at once), its Host check against DNS rebinding
 * and its options; the server stays up past each, and stops cleanly on SIGTERM and SIGINT. */
#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "serve-util.h"
#include "test-util.h"

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
    g_autofree char *request =
        g_strdup_printf ("GET /%s HTTP/1.1\r\n%s%s%sConnection: close"
                         "\r\n\r\n",
                         target, host ? "Host: " : "", host ? host : "", host ? "\r\n" : "");
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

/* A raw connection to @s (a client library would fix what the tests below break), from the
 * loopback address @from (nullable: any). */
static GSocketConnection *
raw_connect_from (const Server *s, const char *from)
{
    g_autoptr (GSocketClient) client = g_socket_client_new ();
    g_autoptr (GError) error = NULL;
    if (from) {
        g_autoptr (GInetAddress) address = g_inet_address_new_from_string (from);
        g_autoptr (GSocketAddress) local = g_inet_socket_address_new (address, 0);
        g_socket_client_set_local_address (client, local);
    }
    GSocketConnection *connection =
        g_socket_client_connect_to_host (client, "127.0.0.1", (guint16) s->port, NULL, &error);
    g_assert_no_error (error);
    return connection;
}

static GSocketConnection *
raw_connect (const Server *s)
{
    return raw_connect_from (s, NULL);
}

static void
raw_send (GSocketConnection *connection, const char *data, gsize size)
{
    g_autoptr (GError) error = NULL;
    GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
    g_output_stream_write_all (out, data, size, NULL, NULL, &error);
    g_assert_no_error (error);
}

/* Reads until the server closes @connection (or resets it), at most @seconds; returns the
 * seconds it took, and what came in @out_answer (nullable). */
static double
raw_wait_closed (GSocketConnection *connection, double seconds, GByteArray *out_answer)
{
    GSocket *socket = g_socket_connection_get_socket (connection);
    gint64 start = g_get_monotonic_time ();
    char buffer[65536];
    g_socket_set_timeout (socket, (guint) seconds + 1);
    for (;;) {
        g_autoptr (GError) error = NULL;
        gssize n = g_socket_receive (socket, buffer, sizeof buffer, NULL, &error);
        if (n <= 0)
            break;
        if (out_answer)
            g_byte_array_append (out_answer, (const guint8 *) buffer, (guint) n);
    }
    return (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
}

/* Opens @n connections to @s into @held. The server has taken them all (their
 * "request-started") before the next: one request on the first, answered, proves its loop has
 * got that far. */
static void
hold (const Server *s, GSocketConnection **held, int n)
{
    for (int i = 0; i < n; i++)
        held[i] = raw_connect (s);
    g_autofree char *request =
        g_strdup_printf ("GET /api/scenarios HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n", s->port);
    raw_send (held[0], request, strlen (request));
    char head[12];
    g_assert_cmpint (g_input_stream_read_all (g_io_stream_get_input_stream (G_IO_STREAM (held[0])),
                                              head, sizeof head, NULL, NULL, NULL),
                     ==, TRUE);
    g_assert_cmpmem (head, sizeof head, "HTTP/1.1 200", 12);
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
                    g_strdup ("127.0.0.1"),
                    g_strdup ("localhost:") };
    for (size_t i = 0; i < G_N_ELEMENTS (bad); i++) {
        g_assert_cmpuint (status_with_host (shared, "", bad[i]), ==, 403);
        g_assert_cmpuint (status_with_host (shared, "api/run?scenario=tour", bad[i]), ==, 403);
        g_free (bad[i]);
    }
    /* two Host headers: libsoup's get_one() gives the last, which let "evil" through */
    g_autofree char *twice =
        g_strdup_printf ("evil.example:%d\r\nHost: 127.0.0.1:%d", shared->port, shared->port);
    g_assert_cmpuint (status_with_host (shared, "api/scenarios", twice), ==, 403);
    /* no Host, or one libsoup cannot read (400) */
    g_assert_cmpuint (status_with_host (shared, "api/scenarios", NULL), !=, 200);
    g_autofree char *broken = g_strdup_printf ("[::1:%d", shared->port);
    g_assert_cmpuint (status_with_host (shared, "api/scenarios", broken), ==, 400);

    /* --listen elsewhere: IP addresses, localhost and this machine's name */
    Server *open = server_start ((const char *const[]){ "--listen=0.0.0.0", NULL });
    const char *const names[][2] = { { "10.1.2.3", "200" },     { "[fe80::1]", "200" },
                                     { "localhost", "200" },    { g_get_host_name (), "200" },
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

/* A NUL byte or bytes that are not UTF-8 in a query were refused with GLib's words,
 * "malformed query string: Non-UTF-8 characters in URI", which named no parameter. */
static void
test_serve_bad_query_bytes (void)
{
    assert_error ("api/run?scenario=tour%00", 400,
                  "parameter 'scenario': a NUL byte (%00) is not allowed");
    assert_error ("api/run?scenario=tour&set=date%3D2015-05-01%00", 400,
                  "parameter 'set': a NUL byte (%00) is not allowed");
    assert_error ("api/run?scenario=tour&set=title%3D%22a%C3%28b%22", 400,
                  "parameter 'set': not UTF-8 text (byte 0xC3, 8 bytes in)");
    assert_error ("api/run?scenario=tour&set=%FF", 400,
                  "parameter 'set': not UTF-8 text (byte 0xFF, 0 bytes in)");
    assert_error ("api/run?sce%00nario=tour", 400,
                  "parameter 1 of the query: a NUL byte (%00) is not allowed");
    assert_error ("api/run?scenario", 400, "parameter 'scenario' has no value (scenario=VALUE)");
    /* what is right still is: '+' a space, an empty pair skipped */
    assert_error ("api/run?scenario=no+such&", 404, "no scenario 'no such' on this server");
}

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

/* The kilobytes of memory @s's process holds (VmRSS). */
static guint64
server_rss_kb (const Server *s)
{
    g_autofree char *path =
        g_strdup_printf ("/proc/%s/status", g_subprocess_get_identifier (s->process));
    g_autofree char *status = NULL;
    g_assert_true (g_file_get_contents (path, &status, NULL, NULL));
    const char *rss = strstr (status, "VmRSS:");
    g_assert_nonnull (rss);
    return g_ascii_strtoull (rss + strlen ("VmRSS:"), NULL, 10);
}

/* A body is never kept: the server used to hold every byte of a body it had refused with
 * 413 (its answer waits for the end of the body), so one request of "Content-Length:
 * 100000000000" took as much memory as its client sent (/serve/limits/idle checks that such
 * a connection is closed at its deadline). */
static void
test_serve_limits_body (void)
{
    const Server *s = shared;
    g_autoptr (GSocketConnection) connection = raw_connect (s);
    g_autofree char *head = g_strdup_printf ("POST /api/run?scenario=tour HTTP/1.1\r\nHost: "
                                             "127.0.0.1:%d\r\nContent-Length: 100000000000\r\n\r\n",
                                             s->port);
    raw_send (connection, head, strlen (head));
    guint64 before = server_rss_kb (s);
    g_autofree char *chunk = g_malloc0 (1 << 20);
    for (int i = 0; i < 64; i++) /* 64 MiB, on loopback: well within the deadline */
        raw_send (connection, chunk, 1 << 20);
    guint64 after = server_rss_kb (s);
    g_test_message ("server memory %" G_GUINT64_FORMAT " kB, then %" G_GUINT64_FORMAT " kB", before,
                    after);
    /* the server the tests start is built like them: under ASan, freed memory is held in its
     * quarantine (256 MB), so a process's size says nothing of what it keeps */
#ifndef UNDER_ASAN
    g_assert_cmpuint (after, <, before + 16 * 1024);
#endif
    g_autoptr (Reply) ok = request_full (s, "GET", "api/scenarios", NULL);
    g_assert_cmpuint (ok->status, ==, 200);
}

/* Slowloris: connections that send nothing, half a request, a byte now and then, part of a
 * body, or that stay open after their answer, used to be kept for ever (a few hundred of them take every
 * descriptor the server has); each is now closed --idle-timeout seconds after its last
 * step, and the server answers others meanwhile. */
static void
test_serve_limits_idle (void)
{
    Server *s = server_start ((const char *const[]){ "--idle-timeout=1", NULL });
    g_autoptr (GSocketConnection) silent = raw_connect (s);
    g_autoptr (GSocketConnection) half = raw_connect (s);
    raw_send (half, "GET /api/scen", strlen ("GET /api/scen"));
    g_autoptr (GSocketConnection) kept = raw_connect (s);
    g_autofree char *request =
        g_strdup_printf ("GET /api/scenarios HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n", s->port);
    raw_send (kept, request, strlen (request));
    g_autoptr (GSocketConnection) body = raw_connect (s);
    g_autofree char *head = g_strdup_printf ("POST /api/run?scenario=tour HTTP/1.1\r\nHost: "
                                             "127.0.0.1:%d\r\nContent-Length: 100000000\r\n\r\n",
                                             s->port);
    raw_send (body, head, strlen (head));
    raw_send (body, "some of it", strlen ("some of it"));
    g_autoptr (GSocketConnection) drip = raw_connect (s);
    static const char dripped[] = "GET /api";
    for (int i = 0; i < 8; i++) { /* one byte every 0.4 s: 3.2 s for "GET /api" */
        g_autoptr (GError) error = NULL;
        GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (drip));
        if (g_output_stream_write (out, &dripped[i], 1, NULL, &error) != 1)
            break; /* closed: what the test wants */
        g_usleep (400000);
    }
    g_autoptr (Reply) ok = request_full (s, "GET", "api/scenarios", NULL);
    g_assert_cmpuint (ok->status, ==, 200);
    g_autoptr (GByteArray) nothing = g_byte_array_new ();
    g_assert_cmpfloat (raw_wait_closed (silent, 30, nothing), <, 10);
    g_assert_cmpuint (nothing->len, ==, 0); /* no 408 where no request began */
    g_autoptr (GByteArray) timed_out = g_byte_array_new ();
    g_assert_cmpfloat (raw_wait_closed (half, 30, timed_out), <, 10);
    g_byte_array_append (timed_out, (const guint8 *) "", 1);
    const char *text = (const char *) timed_out->data;
    g_assert_true (g_str_has_prefix (text, "HTTP/1.1 408 Request Timeout\r\n"));
    fsim_assert_contains (text, "\r\nConnection: close\r\n");
    fsim_assert_contains (text, "\r\nContent-Type: application/json; charset=utf-8\r\n");
    fsim_assert_contains (text, "\r\n\r\n{\n  \"error\": \"the request did not come in whole "
                                "within 1 seconds (flowsim serve --idle-timeout)\",\n"
                                "  \"status\": 408");
    g_autoptr (GByteArray) answer = g_byte_array_new ();
    g_assert_cmpfloat (raw_wait_closed (kept, 30, answer), <, 10);
    g_assert_cmpuint (answer->len, >, strlen ("HTTP/1.1 200 OK"));
    g_assert_cmpmem (answer->data, strlen ("HTTP/1.1 200 OK"), "HTTP/1.1 200 OK",
                     strlen ("HTTP/1.1 200 OK"));
    g_assert_cmpfloat (raw_wait_closed (drip, 30, NULL), <, 10);
    g_assert_cmpfloat (raw_wait_closed (body, 30, NULL), <, 10);
    g_autoptr (FsimTestRun) bad = FSIM_RUN ("serve", "--idle-timeout", "0", "--port", "0");
    g_assert_cmpint (bad->status, ==, 2);
    fsim_assert_contains (bad->err, "--idle-timeout 0 is not from 1 to 3600 seconds");
    g_free (server_stop (s, SIGTERM));
}

/* Too many connections: deadlines bound how long each is kept, not how many there are, and a
 * client opening them faster than one per --idle-timeout used to take every descriptor the
 * server had. Past --max-connections a new connection is answered 503 and closed at once;
 * once one of the others is closed, a new one is served. */
static void
test_serve_limits_connections (void)
{
    Server *s = server_start_full (
        (const char *const[]){ "--max-connections=4", "--idle-timeout=60", NULL }, FALSE);
    GSocketConnection *held[4];
    hold (s, held, 4);
    for (int round = 0; round < 3; round++) {
        g_autoptr (GSocketConnection) extra = raw_connect (s);
        g_autoptr (GByteArray) answer = g_byte_array_new ();
        /* closed at once, not at the 60 s deadline */
        g_assert_cmpfloat (raw_wait_closed (extra, 30, answer), <, 20);
        g_byte_array_append (answer, (const guint8 *) "", 1);
        const char *text = (const char *) answer->data;
        g_assert_true (g_str_has_prefix (text, "HTTP/1.1 503 Service Unavailable\r\n"));
        fsim_assert_contains (text, "\r\nRetry-After: 5\r\n");
        fsim_assert_contains (text, "\r\nContent-Type: application/json; charset=utf-8\r\n");
        fsim_assert_contains (text, "\r\n\r\n{\n  \"error\": \"busy: 4 connections are open "
                                    "(flowsim serve --max-connections); ask again in a while\",\n"
                                    "  \"status\": 503");
    }
    /* one more that sends its request at once: the 503, or a reset if the request came before
     * the server shut the connection down; either way no simulation for it */
    g_autoptr (GSocketConnection) eager = raw_connect (s);
    g_autofree char *run = g_strdup_printf (
        "GET /api/run?scenario=tour HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n", s->port);
    raw_send (eager, run, strlen (run));
    g_autoptr (GByteArray) eager_answer = g_byte_array_new ();
    g_assert_cmpfloat (raw_wait_closed (eager, 30, eager_answer), <, 20);
    g_byte_array_append (eager_answer, (const guint8 *) "", 1);
    if (eager_answer->len > 1)
        g_assert_true (g_str_has_prefix ((const char *) eager_answer->data, "HTTP/1.1 503 "));
    /* one of the four goes: its place is free (once the server has seen it close) */
    g_object_unref (held[3]);
    guint status = 0;
    for (int i = 0; i < 200 && status != 200; i++) { /* up to 20 s on a loaded machine */
        g_autoptr (GSocketConnection) next = raw_connect (s);
        g_autofree char *close = g_strdup_printf (
            "GET /api/scenarios HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n\r\n",
            s->port);
        raw_send (next, close, strlen (close));
        g_autoptr (GByteArray) answer = g_byte_array_new ();
        raw_wait_closed (next, 30, answer);
        g_byte_array_append (answer, (const guint8 *) "", 1);
        status = g_str_has_prefix ((const char *) answer->data, "HTTP/1.1 200") ? 200 : 503;
        if (status != 200)
            g_usleep (100000);
    }
    g_assert_cmpuint (status, ==, 200);
    for (int i = 0; i < 3; i++)
        g_object_unref (held[i]);
    g_autofree char *err = server_stop (s, SIGTERM);
    fsim_assert_contains (err, "flowsim serve: 4 connections refused so far, the last because 4 "
                               "connections are open (flowsim serve --max-connections)");
    g_assert_null (strstr (err, "/api/run"));
    fsim_assert_contains (err, "flowsim serve: stopped");

    g_autoptr (FsimTestRun) bad = FSIM_RUN ("serve", "--max-connections", "0", "--port", "0");
    g_assert_cmpint (bad->status, ==, 2);
    fsim_assert_contains (bad->err, "--max-connections 0 is not from 1 to 1000000");
}

/* The log line shows a request's path as text: the path comes decoded, and "%1B[2J" used to
 * reach the operator's terminal as an escape sequence (and bytes that are not UTF-8 as
 * they are). */
/* One client address cannot take every place: past --max-per-address connections from one
 * address, a new one from it is answered 503 and closed at once, while another address (a
 * second loopback address, 127.0.0.2) is still served. */
static void
test_serve_limits_per_address (void)
{
    Server *s =
        server_start_full ((const char *const[]){ "--max-per-address=2", "--max-connections=16",
                                                  "--idle-timeout=60", NULL },
                           FALSE);
    GSocketConnection *held[2];
    hold (s, held, 2);

    g_autoptr (GSocketConnection) extra = raw_connect (s);
    g_autoptr (GByteArray) answer = g_byte_array_new ();
    g_assert_cmpfloat (raw_wait_closed (extra, 30, answer), <, 20); /* not at the deadline */
    g_byte_array_append (answer, (const guint8 *) "", 1);
    const char *text = (const char *) answer->data;
    g_assert_true (g_str_has_prefix (text, "HTTP/1.1 503 Service Unavailable\r\n"));
    fsim_assert_contains (text, "\r\nRetry-After: 5\r\n");
    fsim_assert_contains (text, "\r\n\r\n{\n  \"error\": \"busy: 2 connections are open from "
                                "your address (flowsim serve --max-per-address); ask again in a "
                                "while\",\n  \"status\": 503");

    g_autoptr (GSocketConnection) other = raw_connect_from (s, "127.0.0.2");
    g_autofree char *close = g_strdup_printf (
        "GET /api/scenarios HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n\r\n", s->port);
    raw_send (other, close, strlen (close));
    g_autoptr (GByteArray) served = g_byte_array_new ();
    raw_wait_closed (other, 30, served);
    g_byte_array_append (served, (const guint8 *) "", 1);
    g_assert_true (g_str_has_prefix ((const char *) served->data, "HTTP/1.1 200 OK\r\n"));

    for (int i = 0; i < 2; i++)
        g_object_unref (held[i]);
    g_autofree char *err = server_stop (s, SIGTERM);
    fsim_assert_contains (err, "flowsim serve: 1 connections refused so far, the last because 2 "
                               "connections are open from your address (flowsim serve "
                               "--max-per-address)");
    g_autoptr (FsimTestRun) bad = FSIM_RUN ("serve", "--max-per-address", "0", "--port", "0");
    g_assert_cmpint (bad->status, ==, 2);
    fsim_assert_contains (bad->err, "--max-per-address 0 is not from 1 to 1000000");
}

/* A path libsoup cannot parse ("%ZZ" is not an escape) gets libsoup's own 400, empty: libsoup
 * 3.2 answers it before any signal that could give it a body (docs/serve.md says why). This
 * pins that down, so that a libsoup that lets the server answer it is noticed. */
static void
test_serve_bad_escape (void)
{
    g_autoptr (GSocketConnection) c = raw_connect (shared);
    g_autofree char *request = g_strdup_printf (
        "GET /api/%%ZZ HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n\r\n", shared->port);
    raw_send (c, request, strlen (request));
    g_autoptr (GByteArray) answer = g_byte_array_new ();
    raw_wait_closed (c, 30, answer);
    g_byte_array_append (answer, (const guint8 *) "", 1);
    const char *text = (const char *) answer->data;
    g_assert_true (g_str_has_prefix (text, "HTTP/1.1 400 Bad Request\r\n"));
    fsim_assert_contains (text, "\r\nContent-Length: 0\r\n");
}

static void
test_serve_log_clean (void)
{
    Server *s = server_start_full (NULL, FALSE);
    static const char *const targets[] = { "%1B%5B2J%1B%5B31mred", "x%FF%C3%28y", "a%07%0Db" };
    for (size_t i = 0; i < G_N_ELEMENTS (targets); i++) {
        g_autoptr (GSocketConnection) connection = raw_connect (s);
        g_autofree char *request =
            g_strdup_printf ("GET /%s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n\r\n",
                             targets[i], s->port);
        raw_send (connection, request, strlen (request));
        g_autoptr (GByteArray) answer = g_byte_array_new ();
        raw_wait_closed (connection, 30, answer);
        g_assert_cmpuint (answer->len, >, 12);
        g_assert_cmpmem (answer->data, 12, "HTTP/1.1 404", 12);
    }
    g_autofree char *err = server_stop (s, SIGTERM);
    g_assert_true (g_utf8_validate (err, -1, NULL));
    for (const char *c = err; *c; c++)
        g_assert_true (*c == '\n' || !g_ascii_iscntrl (*c));
    fsim_assert_contains (err, "GET /?[2J?[31mred 404");
    fsim_assert_contains (err, "GET /a??b 404");
}

/* One simulation at a time and none waiting: of three at once, one runs, the others get
 * 503 at once, and the server stays up. */
static void
test_serve_limits_busy (void)
{
    Server *s = server_start ((const char *const[]){ "--jobs=1", "--queue=0", "--cache=0", NULL });
    char *targets[3];
    for (int i = 0; i < 3; i++)
        targets[i] = g_strdup_printf ("api/run?scenario=device-partners-2018"
                                      "&set=date%%3D2018-0%d-01",
                                      i + 1);
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
    Server *s = server_start ((const char *const[]){ "--timeout=0.3", NULL });
    const char *target = "api/run?scenario=device-partners-2018&set=population.users%3D100000";
    g_autoptr (Reply) r = request_full (s, "GET", target, NULL);
    g_assert_cmpuint (r->status, ==, 503);
    fsim_assert_contains (r->body, "\"error\": \"the simulation took longer than 0.3 s");
    g_assert_cmpstr (r->content_type, ==, "application/json; charset=utf-8");
    g_assert_cmpstr (r->retry_after, ==, "5"); /* 503 says when to ask again */
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
    g_autofree char *target =
        g_strdup_printf ("api/run?scenario=device-partners-2018&set=population.users%%3D%d", users);
    g_autoptr (Reply) r = request_full (s, "GET", target, NULL);
    g_assert_cmpuint (r->status, ==, 503);
    fsim_assert_contains (r->body, "it goes on in the background");
}

/* The request after a timed-out one is simulated, not refused as busy: the place was given
 * back. On a loaded machine tour itself can take longer than the 0.3 s of --timeout beside the
 * simulation in the background (2 of 20 runs under a load of 16 on 2 cores); it was still
 * taken in, which is what this checks, and then keeps its place until it ends, so tour is asked
 * again, for at most a minute, until it is answered within its time. */
static void
assert_place_given_back (const Server *s)
{
    g_autoptr (Reply) next = request_full (s, "GET", "api/run?scenario=tour", NULL);
    if (next->status != 200)
        fsim_assert_contains (next->body, "the simulation took longer than 0.3 s");
    gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
    while (next->status != 200 && g_get_monotonic_time () < deadline) {
        g_test_message ("tour took longer than 0.3 s: asked again");
        g_usleep (100000);
        g_clear_pointer (&next, reply_free);
        next = request_full (s, "GET", "api/run?scenario=tour", NULL);
        if (next->status != 200 && !strstr (next->body, "busy: 1 simulations are running"))
            fsim_assert_contains (next->body, "the simulation took longer than 0.3 s");
    }
    g_assert_cmpuint (next->status, ==, 200);
    fsim_assert_contains (next->body, "\"scenario\": \"tour\"");
}

/* A request past --timeout gives its place back: with one job and no queue, the next request
 * is simulated while the timed-out one goes on in the background; but no more than --jobs run
 * in the background, so a second timed-out simulation keeps its place and the next request
 * finds the server busy. */
static void
test_serve_limits_timeout_slot (void)
{
    Server *s =
        server_start ((const char *const[]){ "--jobs=1", "--queue=0", "--timeout=0.3", "--cache=0",
                                             "--populations=0", "--max-users=300000", NULL });
    /* long enough to go on in the background until the second has timed out too, on a quiet
     * machine as well: 100,000 users once ended before, and the second, the only one in the
     * background then, gave its place back (the next request was answered, 200) */
    assert_times_out (s, 300000);
    assert_place_given_back (s);

    assert_times_out (s, 299999);
    g_autoptr (Reply) busy = request_full (s, "GET", "api/run?scenario=tour&format=csv", NULL);
    g_assert_cmpuint (busy->status, ==, 503);
    fsim_assert_contains (busy->body, "busy: 1 simulations are running or waiting");
    g_assert_cmpstr (busy->retry_after, ==, "5");
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

    /* with a queue: a request that times out while it waits is dropped, and its place too; the
     * two simulations must outlast three timeouts (0.9 s), even on a quiet machine, where
     * 100,000 users took about that long (the test then saw the place free again) */
    s = server_start ((const char *const[]){ "--jobs=1", "--queue=1", "--timeout=0.3", "--cache=0",
                                             "--populations=0", "--max-users=300000", NULL });
    assert_times_out (s, 300000); /* in the background */
    assert_times_out (s, 299999); /* keeps its place */
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

/* The server stopping waits for the simulations still running, and a second SIGINT (or SIGTERM)
 * ends it at once, leaving nothing in $TMPDIR. Before, a second Ctrl-C left Graphviz's input,
 * output and messages there (issue 11's fifth pass): GLib gives its handlers of the first signal
 * back to the default when the server stops, and the output writer had not taken the signals.
 * Now the server takes them back (fsim_output_catch_signals()), and Graphviz's files have no
 * name at all. Graphviz is a script here that sleeps: the diagram is still being drawn when the
 * two signals come. */
static void
test_serve_second_signal (gconstpointer data)
{
    int sig = GPOINTER_TO_INT (data);
    g_autofree char *scratch = fsim_test_scratch_new ();
    g_autofree char *tmp = g_build_filename (scratch, "tmp", NULL);
    g_autofree char *started = g_build_filename (scratch, "started", NULL);
    g_autofree char *script = g_strdup_printf ("#!/bin/sh\ntouch '%s'\nexec sleep 20\n", started);
    g_autofree char *dot = fsim_test_write (scratch, "dot", script, -1);
    g_autoptr (GError) error = NULL;
    g_assert_cmpint (g_mkdir (tmp, 0700), ==, 0);
    g_assert_cmpint (g_chmod (dot, 0755), ==, 0);

    g_autofree char *old_tmp = g_strdup (g_getenv ("TMPDIR"));
    g_setenv ("TMPDIR", tmp, TRUE);
    g_setenv ("FLOWSIM_DOT", dot, TRUE);
    Server *s = server_start ((const char *const[]){ "--timeout=0.2", NULL });
    g_unsetenv ("FLOWSIM_DOT");
    if (old_tmp != NULL)
        g_setenv ("TMPDIR", old_tmp, TRUE);
    else
        g_unsetenv ("TMPDIR");

    g_autoptr (Reply) r = request_full (s, "GET", "api/diagram?scenario=tour&format=svg", NULL);
    g_assert_cmpuint (r->status, ==, 503); /* the drawing goes on in the background */
    for (int i = 0; i < 600 && !g_file_test (started, G_FILE_TEST_EXISTS); i++)
        g_usleep (50000);
    g_assert_true (g_file_test (started, G_FILE_TEST_EXISTS)); /* Graphviz is running */

    g_subprocess_send_signal (s->process, sig);
    g_autoptr (GDataInputStream) err =
        g_data_input_stream_new (g_subprocess_get_stderr_pipe (s->process));
    char *line = NULL;
    while ((line = g_data_input_stream_read_line (err, NULL, NULL, &error)) != NULL &&
           strstr (line, "flowsim serve: stopping") == NULL)
        g_free (line);
    g_assert_no_error (error);
    g_assert_nonnull (line); /* the first signal is taken: the server waits for the drawing */
    g_free (line);
    g_subprocess_send_signal (s->process, sig);
    g_subprocess_wait (s->process, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (g_subprocess_get_if_signaled (s->process));
    g_assert_cmpint (g_subprocess_get_term_sig (s->process), ==, sig);
    g_autofree char *left = fsim_test_dir_listing (tmp);
    g_assert_cmpstr (left, ==, "");
    g_object_unref (s->process);
    g_free (s->url);
    g_free (s);
    fsim_test_scratch_free (g_steal_pointer (&scratch));
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
    serve_test_init (&argc, &argv);
    g_test_add_func ("/serve/bad/host", test_serve_bad_host);
    g_test_add_func ("/serve/bad/query-bytes", test_serve_bad_query_bytes);
    g_test_add_func ("/serve/limits/request-size", test_serve_limits_request_size);
    g_test_add_func ("/serve/limits/body", test_serve_limits_body);
    g_test_add_func ("/serve/limits/idle", test_serve_limits_idle);
    g_test_add_func ("/serve/limits/connections", test_serve_limits_connections);
    g_test_add_func ("/serve/limits/per-address", test_serve_limits_per_address);
    g_test_add_func ("/serve/bad/escape", test_serve_bad_escape);
    g_test_add_func ("/serve/log-clean", test_serve_log_clean);
    g_test_add_func ("/serve/limits/users", test_serve_limits_users);
    g_test_add_func ("/serve/limits/busy", test_serve_limits_busy);
    g_test_add_func ("/serve/limits/timeout", test_serve_limits_timeout);
    g_test_add_func ("/serve/limits/timeout-slot", test_serve_limits_timeout_slot);
    g_test_add_func ("/serve/concurrent", test_serve_concurrent);
    g_test_add_func ("/serve/options", test_serve_options);
    g_test_add_data_func ("/serve/stop/second-sigint", GINT_TO_POINTER (SIGINT),
                          test_serve_second_signal);
    g_test_add_data_func ("/serve/stop/second-sigterm", GINT_TO_POINTER (SIGTERM),
                          test_serve_second_signal);
    return serve_test_run ();
}
