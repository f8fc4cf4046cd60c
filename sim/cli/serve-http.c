/* SPDX-License-Identifier: MIT */
/* serve-http.c: the HTTP side of `flowsim serve`: libsoup 3 on GLib's main loop, the page's
 * files, the limits, and a pool of worker threads that simulate. */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#ifdef __linux__
#include <linux/tcp.h> /* tcp_info with tcpi_bytes_received (glibc's is older) */
#include <netinet/in.h>
#endif

#include <glib-unix.h>
#include <glib.h>
#include <libsoup/soup.h>

#include "number.h"
#include "output.h"
#include "serve-cache.h"
#include "serve-resources.h"
#include "serve.h"
#include "text.h"

/*
 * The main thread runs the loop: it accepts connections, parses each request, answers at once
 * what needs no simulation (the page, /api/scenarios, errors, cached answers) and hands the
 * rest to a GThreadPool of config.jobs workers, pausing the message. A worker answers with the
 * CLI's function (serve-api.c) and passes the reply back to the main thread, which sends it.
 * Every libsoup object is touched by the main thread only.
 *
 * Jobs running or waiting are bounded (config.jobs + config.queue, counted by in_flight); past
 * that a request gets a 503 without waiting. When a request runs past config.timeout, its
 * client gets a 503 at once and the job gives its place back:
 *   - a job still waiting in the queue is dropped (its worker skips it);
 *   - a simulation under way cannot be interrupted: it goes on "in the background", outside
 *     in_flight, and the pool gets one more thread for as long as it runs, so that the place
 *     it gave back can be used at once. Its answer goes to the cache (asking again later is
 *     fast). At most config.jobs simulations run in the background; past that a timed-out
 *     simulation keeps its place until it ends, so that timeouts cannot pile up threads.
 */

#define RESOURCE_PREFIX "/org/flowsim/serve/"

typedef struct {
    FsimServeConfig config;
    FsimServeCatalog *catalog;
    SoupServer *soup;
    GThreadPool *pool;
    GMainLoop *loop;
    FsimServeCache *cache;
    FsimServeLender *pops; /* populations, shared by the workers */
    FsimServeLender *sims; /* traced simulations, shared by the workers; only with pops */
    guint port;            /* the one listened on */
    gboolean loopback;     /* listening on a loopback address only */
    guint in_flight;       /* jobs given to the pool, neither back nor timed out (see the top) */
    guint background;      /* timed-out simulations still running, each with a thread of its own */
    gint stopping;         /* atomic: workers skip what is still queued */
    GHashTable *deadlines; /* GSocket (a reference) -> its deadline's source id (see Deadlines) */
    GHashTable *connections; /* GSocket (a reference): the connections counted (see Connections) */
    guint max_connections;   /* config.max_connections, lowered to what RLIMIT_NOFILE allows */
    guint64 refused;         /* connections refused for being one too many */
} Server;

typedef struct {
    Server *server;
    SoupServerMessage *msg; /* a reference; NULL once answered or gone */
    gulong finished_id;
    FsimServeRequest *rq;
    char *key;            /* the cache key: path and query */
    FsimServeReply reply; /* written by the worker */
    guint timeout_id;
    gint64 started;
    gint stage;         /* atomic: JOB_QUEUED, then JOB_RUNNING (worker) or JOB_DROPPED (timeout) */
    gboolean in_flight; /* counted in server->in_flight (main thread) */
} Job;

enum { JOB_QUEUED, JOB_RUNNING, JOB_DROPPED };

static void
add_headers (SoupServerMessage *msg)
{
    SoupMessageHeaders *h = soup_server_message_get_response_headers (msg);
    if (soup_server_message_get_status (msg) == 503)
        soup_message_headers_replace (h, "Retry-After", G_STRINGIFY (FSIM_SERVE_RETRY_AFTER));
    soup_message_headers_replace (h, "Content-Security-Policy", FSIM_SERVE_CSP);
    soup_message_headers_replace (h, "X-Content-Type-Options", "nosniff");
    soup_message_headers_replace (h, "Referrer-Policy", "no-referrer");
    soup_message_headers_replace (h, "Cross-Origin-Resource-Policy", "same-origin");
    soup_message_headers_replace (h, "Cache-Control", "no-cache");
}

static void
log_request (const Server *s, SoupServerMessage *msg, guint status, gint64 started)
{
    if (s->config.quiet)
        return;
    GUri *uri = soup_server_message_get_uri (msg);
    const char *query = g_uri_get_query (uri);
    g_autofree char *target =
        g_strconcat (g_uri_get_path (uri), query ? "?" : "", query ? query : "", NULL);
    /* the path comes decoded: "%1B[2J" would reach the operator's terminal as an escape
     * sequence, and bytes that are not UTF-8 as they are */
    g_autofree char *clean = fsim_text_clean (target);
    fprintf (stderr, "flowsim serve: %s %.200s %u %.0f ms\n", soup_server_message_get_method (msg),
             clean, status, (double) (g_get_monotonic_time () - started) / 1000.0);
}

static void
respond_bytes (SoupServerMessage *msg, guint status, const char *content_type, GBytes *body)
{
    gsize size = 0;
    const char *data = g_bytes_get_data (body, &size);
    soup_server_message_set_status (msg, status, NULL);
    soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, data, size);
    add_headers (msg);
}

static void
respond_reply (SoupServerMessage *msg, const FsimServeReply *r)
{
    soup_server_message_set_status (msg, r->status, NULL);
    soup_server_message_set_response (msg, r->content_type, SOUP_MEMORY_COPY, r->body->str,
                                      r->body->len);
    add_headers (msg);
}

static void
respond_error (SoupServerMessage *msg, guint status, const char *message)
{
    g_auto (FsimServeReply) r = { 0 };
    fsim_serve_reply_error (&r, status, "%s", message);
    respond_reply (msg, &r);
}

/* ---- jobs ---- */

static void
job_free (Job *job)
{
    if (job->timeout_id)
        g_source_remove (job->timeout_id);
    if (job->msg) {
        g_signal_handler_disconnect (job->msg, job->finished_id);
        g_object_unref (job->msg);
    }
    fsim_serve_request_free (job->rq);
    fsim_serve_reply_clear (&job->reply);
    g_free (job->key);
    g_free (job);
}

/* The client went away before the answer: nothing to send. */
static void
job_msg_finished (SoupServerMessage *msg, Job *job)
{
    g_signal_handler_disconnect (msg, job->finished_id);
    g_clear_object (&job->msg);
}

/* Sends @r (or the job's own reply) and lets libsoup write it. */
static void
job_answer (Job *job, const FsimServeReply *r)
{
    SoupServerMessage *msg = g_steal_pointer (&job->msg);
    if (!msg)
        return;
    g_signal_handler_disconnect (msg, job->finished_id);
    respond_reply (msg, r);
    log_request (job->server, msg, r->status, job->started);
    soup_server_message_unpause (msg);
    g_object_unref (msg);
}

/* The pool's threads: config.jobs, and one for each simulation running in the background. */
static void
pool_resize (Server *s)
{
    g_thread_pool_set_max_threads (s->pool, (gint) (s->config.jobs + s->background), NULL);
}

/* Main thread: @job past its time gives its place back (see the top). */
static gboolean
job_timeout (gpointer data)
{
    Job *job = data;
    Server *s = job->server;
    g_auto (FsimServeReply) r = { 0 };
    g_autofree char *timeout = fsim_number_text (s->config.timeout);
    job->timeout_id = 0;
    if (g_atomic_int_compare_and_exchange (&job->stage, JOB_QUEUED, JOB_DROPPED)) {
        fsim_serve_reply_error (&r, 503,
                                "the simulation did not start within %s s (flowsim serve "
                                "--timeout): the server is busy, ask again in a while",
                                timeout);
        job->in_flight = FALSE;
        s->in_flight--;
    } else {
        fsim_serve_reply_error (&r, 503,
                                "the simulation took longer than %s s (flowsim serve --timeout); "
                                "it goes on in the background: ask again in a while",
                                timeout);
        if (s->background < s->config.jobs) {
            job->in_flight = FALSE;
            s->in_flight--;
            s->background++;
            pool_resize (s);
        }
    }
    job_answer (job, &r);
    return G_SOURCE_REMOVE;
}

/* Main thread: the worker is done with @data. */
static gboolean
job_done (gpointer data)
{
    Job *job = data;
    Server *s = job->server;
    gboolean dropped = g_atomic_int_get (&job->stage) == JOB_DROPPED;
    if (job->in_flight) {
        s->in_flight--;
    } else if (!dropped) { /* it ran in the background */
        s->background--;
        pool_resize (s);
    }
    if (!dropped && !g_atomic_int_get (&s->stopping)) {
        if (job->reply.status == 200 && s->cache) {
            g_autoptr (GBytes) body = g_bytes_new (job->reply.body->str, job->reply.body->len);
            fsim_serve_cache_insert (s->cache, job->key, job->reply.content_type, body);
        }
        job_answer (job, &job->reply);
    }
    job_free (job);
    return G_SOURCE_REMOVE;
}

/* Worker thread. */
static void
job_run (gpointer data, gpointer user_data)
{
    Job *job = data;
    Server *s = user_data;
    if (!g_atomic_int_compare_and_exchange (&job->stage, JOB_QUEUED, JOB_RUNNING))
        ; /* dropped on its timeout: nothing to do, nobody waits */
    else if (g_atomic_int_get (&s->stopping))
        fsim_serve_reply_error (&job->reply, 503, "the server is stopping");
    else
        fsim_serve_request_run (job->rq, s->catalog, &s->config.limits, s->pops, s->sims,
                                &job->reply);
    g_main_context_invoke (NULL, job_done, job);
}

static void
start_job (Server *s, SoupServerMessage *msg, FsimServeRequest *rq, const char *key)
{
    Job *job = g_new0 (Job, 1);
    job->server = s;
    job->msg = g_object_ref (msg);
    job->rq = rq;
    job->key = g_strdup (key);
    job->started = g_get_monotonic_time ();
    job->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (job_msg_finished), job);
    job->timeout_id = g_timeout_add ((guint) (s->config.timeout * 1000.0), job_timeout, job);
    soup_server_message_pause (msg);
    job->stage = JOB_QUEUED;
    job->in_flight = TRUE;
    s->in_flight++;
    g_thread_pool_push (s->pool, job, NULL);
}

/* ---- handlers ---- */

static void
serve_api (Server *s, SoupServerMessage *msg, const char *path)
{
    const char *query = g_uri_get_query (soup_server_message_get_uri (msg));
    g_autofree char *key = g_strconcat (path, "?", query ? query : "", NULL);
    g_auto (FsimServeReply) r = { 0 };
    gint64 started = g_get_monotonic_time ();
    g_autoptr (FsimServeRequest) rq =
        fsim_serve_request_new (s->catalog, path + strlen ("/api/"), query, &r);

    if (rq && !fsim_serve_request_simulates (rq))
        fsim_serve_request_run (rq, s->catalog, &s->config.limits, NULL, NULL, &r);
    if (!rq || r.status) {
        respond_reply (msg, &r);
        log_request (s, msg, r.status, started);
        return;
    }
    const FsimServeCached *hit = s->cache ? fsim_serve_cache_lookup (s->cache, key) : NULL;
    if (hit) {
        respond_bytes (msg, 200, hit->content_type, hit->body);
        log_request (s, msg, 200, started);
        return;
    }
    if (s->in_flight >= s->config.jobs + s->config.queue) {
        g_autofree char *busy = g_strdup_printf (
            "busy: %u simulations are running or waiting (flowsim serve --jobs %u --queue %u); "
            "ask again in a while",
            s->in_flight, s->config.jobs, s->config.queue);
        respond_error (msg, 503, busy);
        log_request (s, msg, 503, started);
        return;
    }
    start_job (s, msg, g_steal_pointer (&rq), key);
}

/* The page's own files, from the GResource compiled into flowsim. */
static void
serve_file (Server *s, SoupServerMessage *msg, const char *path)
{
    static const struct {
        const char *path, *resource, *type;
    } files[] = {
        { "/", "index.html", "text/html; charset=utf-8" },
        { "/index.html", "index.html", "text/html; charset=utf-8" },
        { "/app.js", "app.js", "text/javascript; charset=utf-8" },
        { "/app.css", "app.css", "text/css; charset=utf-8" },
    };
    gint64 started = g_get_monotonic_time ();
    if (strcmp (path, "/favicon.ico") == 0) { /* no icon, and no error in the console */
        soup_server_message_set_status (msg, 204, NULL);
        add_headers (msg);
        return;
    }
    for (size_t i = 0; i < G_N_ELEMENTS (files); i++) {
        if (strcmp (path, files[i].path) != 0)
            continue;
        g_autofree char *name = g_strconcat (RESOURCE_PREFIX, files[i].resource, NULL);
        /* referenced by name: in a static library the resource's constructor alone would not
         * be linked in */
        g_autoptr (GBytes) data =
            g_resource_lookup_data (fsim_serve_get_resource (), name, 0, NULL);
        if (!data)
            break;
        respond_bytes (msg, 200, files[i].type, data);
        log_request (s, msg, 200, started);
        return;
    }
    respond_error (msg, 404, "not found: this server has the page (/), its two files and /api/");
    log_request (s, msg, 404, started);
}

static void
handle (SoupServer *soup, SoupServerMessage *msg, const char *path, GHashTable *query,
        gpointer data)
{
    Server *s = data;
    const char *method = soup_server_message_get_method (msg);
    (void) soup;
    (void) query; /* it would lose repeated 'set's: serve-api.c reads the raw string */

    if (strcmp (method, "GET") != 0 && strcmp (method, "HEAD") != 0) {
        soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                      "GET, HEAD");
        respond_error (msg, 405, "only GET and HEAD: every state of the explorer is a URL");
        log_request (s, msg, 405, g_get_monotonic_time ());
        return;
    }
    if (g_str_has_prefix (path, "/api/"))
        serve_api (s, msg, path);
    else
        serve_file (s, msg, path);
}

/*
 * DNS rebinding: a page from elsewhere whose name the attacker makes resolve to this machine
 * would be same-origin with the explorer and could use it. Such a request carries the
 * attacker's name in Host, so only names this server answers to are accepted (with the port
 * listened on; without a port, only for port 80):
 *   - on a loopback address: 127.0.0.1, localhost, [::1] and the --listen address;
 *   - with --listen elsewhere: any IP address, localhost, and this machine's own host name
 *     (g_get_host_name(), also with ".local", as mDNS names it): a rebinding needs a name the
 *     attacker controls, and an IP address is no one's name.
 */
static gboolean
host_allowed (const Server *s, const char *host)
{
    if (!host || strchr (host, ',')) /* none, or several */
        return FALSE;
    g_autofree char *name = NULL;
    const char *port = NULL;
    if (host[0] == '[') { /* [IPv6]:port */
        const char *close = strchr (host, ']');
        if (!close)
            return FALSE;
        name = g_strndup (host + 1, (gsize) (close - host - 1));
        if (close[1] == ':')
            port = close + 2;
        else if (close[1] != '\0')
            return FALSE;
    } else {
        const char *colon = strrchr (host, ':');
        name = colon ? g_strndup (host, (gsize) (colon - host)) : g_strdup (host);
        port = colon ? colon + 1 : NULL;
    }
    guint64 number = 0;
    if (port ? !g_ascii_string_to_unsigned (port, 10, 1, 65535, &number, NULL) || number != s->port
             : s->port != 80)
        return FALSE;
    if (g_ascii_strcasecmp (name, "localhost") == 0)
        return TRUE;
    g_autoptr (GInetAddress) address = g_inet_address_new_from_string (name);
    g_autoptr (GInetAddress) listening = g_inet_address_new_from_string (s->config.listen);
    if (s->loopback)
        return address && (g_inet_address_equal (address, listening) ||
                           strcmp (name, "127.0.0.1") == 0 || strcmp (name, "::1") == 0);
    if (address)
        return TRUE;
    g_autofree char *local = g_strconcat (g_get_host_name (), ".local", NULL);
    return g_ascii_strcasecmp (name, g_get_host_name ()) == 0 ||
           g_ascii_strcasecmp (name, local) == 0;
}

/* Before the body is read: refuse what is not for us (Host) or too large to be one of ours. */
static void
handle_early (SoupServer *soup, SoupServerMessage *msg, const char *path, GHashTable *query,
              gpointer data)
{
    Server *s = data;
    SoupMessageHeaders *h = soup_server_message_get_request_headers (msg);
    const char *q = g_uri_get_query (soup_server_message_get_uri (msg));
    gsize target = strlen (path) + (q ? strlen (q) + 1 : 0);
    (void) soup;
    (void) query;

    /* a body is never used: it is read and dropped, never kept (a client could send
     * gigabytes before the 413 below is written) */
    soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
    GSocket *socket = soup_server_message_get_socket (msg);
    const char *refused = socket ? g_object_get_data (G_OBJECT (socket), "flowsim-refused") : NULL;
    if (refused) {
        g_autofree char *m = g_strdup_printf ("busy: %s; ask again in a while", refused);
        respond_error (msg, 503, m);
        return;
    }
    /* the whole list: with two Host headers, get_one() gives the last one, and a request
     * must have one (RFC 9112) */
    if (!host_allowed (s, soup_message_headers_get_list (h, "Host"))) {
        respond_error (msg, 403,
                       s->loopback ? "this server answers to 127.0.0.1, localhost and [::1] "
                                     "with its port only (Host header)"
                                   : "this server answers to IP addresses, localhost and this "
                                     "machine's name with its port only (Host header)");
        log_request (s, msg, 403, g_get_monotonic_time ());
    } else if (target > s->config.max_request) {
        g_autofree char *m = g_strdup_printf ("the request is %zu bytes long; this server "
                                              "takes at most %zu (flowsim serve --max-request)",
                                              target, s->config.max_request);
        respond_error (msg, 414, m);
    } else if (soup_message_headers_get_encoding (h) == SOUP_ENCODING_CHUNKED ||
               soup_message_headers_get_content_length (h) > (goffset) s->config.max_request) {
        g_autofree char *m = g_strdup_printf ("a request body of at most %zu bytes, please "
                                              "(flowsim serve --max-request)",
                                              s->config.max_request);
        respond_error (msg, 413, m);
    }
}

/*
 * ---- deadlines ----
 *
 * libsoup 3.2 keeps a connection open for as long as its client does: a client that opens
 * connections and sends nothing, or a byte now and then (slowloris), or never reads its answer,
 * would hold them for ever, and a few hundred would take every descriptor the server has.
 * So every connection has a deadline, config.idle_timeout seconds away, set when a request
 * starts (the connection opened, or the first byte of the next request came), when its answer
 * starts, and when the request is over (a connection waiting for the next one); it is lifted
 * while the request is with a handler (a simulation has its own --timeout). A connection past
 * its deadline is shut down: libsoup sees the end of the stream and closes it. If a request
 * was half sent (bytes came since the last request read whole, counted by the system's
 * TCP_INFO, and no answer has started), a 408 Request Timeout with "Connection: close" is
 * written on the socket first, in one write that never waits, as the 503 of a refused
 * connection is: libsoup has no call to answer a request it has not finished reading (its
 * handlers run after the headers), and it writes nothing of its own then.
 */

/* Writes a 408 on @socket in one write, never waiting for a client that does not read. */
static void
answer_timeout (Server *s, GSocket *socket)
{
    g_auto (FsimServeReply) r = { 0 };
    fsim_serve_reply_error (&r, 408,
                            "the request did not come in whole within %u seconds (flowsim serve "
                            "--idle-timeout)",
                            s->config.idle_timeout);
    fsim_i_serve_socket_answer (socket, "408 Request Timeout", &r);
    if (!s->config.quiet)
        fprintf (stderr, "flowsim serve: a request timed out (408) after %u s\n",
                 s->config.idle_timeout);
}

/* Notes that every byte received on @msg's connection so far belongs to requests read whole. */
static void
connection_consumed (SoupServerMessage *msg)
{
    GSocket *socket = soup_server_message_get_socket (msg);
    gint64 received = socket ? fsim_i_serve_socket_received (socket) : -1;
    if (received >= 0)
        g_object_set_data (G_OBJECT (socket), "flowsim-consumed",
                           GSIZE_TO_POINTER ((gsize) received));
}

/* A request half sent: no answer has started on @socket, and bytes came since the last request
 * read whole (none on a new connection). A connection that sent nothing is closed silently: it
 * may be one kept open for a next request, whose client could take a 408 written just as it
 * sends that request for that request's answer. */
static gboolean
request_half_sent (GSocket *socket)
{
    if (!g_object_get_data (G_OBJECT (socket), "flowsim-awaiting"))
        return FALSE;
    gint64 received = fsim_i_serve_socket_received (socket);
    gsize consumed = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (socket), "flowsim-consumed"));
    return received > 0 && (gsize) received > consumed;
}

static gboolean
deadline_passed (gpointer data)
{
    GSocket *socket = data;
    Server *s = g_object_get_data (G_OBJECT (socket), "flowsim-server");
    if (request_half_sent (socket))
        answer_timeout (s, socket);
    g_socket_shutdown (socket, TRUE, TRUE, NULL); /* it may be closed already */
    g_hash_table_remove (s->deadlines, socket);   /* the source is removed on return */
    return G_SOURCE_REMOVE;
}

/* Sets the deadline of @msg's connection to config.idle_timeout from now (@set), or lifts it. */
static void
deadline_reset (Server *s, SoupServerMessage *msg, gboolean set)
{
    GSocket *socket = soup_server_message_get_socket (msg);
    if (!socket || !s->deadlines)
        return;
    gpointer id = NULL;
    if (g_hash_table_steal_extended (s->deadlines, socket, NULL, &id)) {
        g_source_remove (GPOINTER_TO_UINT (id));
        g_object_unref (socket); /* the table's reference */
    }
    if (!set)
        return;
    g_object_set_data (G_OBJECT (socket), "flowsim-server", s);
    guint source = g_timeout_add_seconds (s->config.idle_timeout, deadline_passed, socket);
    g_hash_table_insert (s->deadlines, g_object_ref (socket), GUINT_TO_POINTER (source));
}

/* Marks @msg's connection as waiting for a request (@awaiting) or answering one: a deadline
 * that passes while it waits is answered 408 (see Deadlines). */
static void
connection_awaiting (SoupServerMessage *msg, gboolean awaiting)
{
    GSocket *socket = soup_server_message_get_socket (msg);
    if (socket)
        g_object_set_data (G_OBJECT (socket), "flowsim-awaiting", GINT_TO_POINTER (awaiting));
}

static void
on_wrote_headers (SoupServerMessage *msg, gpointer data)
{
    connection_awaiting (msg, FALSE);
    deadline_reset (data, msg, TRUE);
}

static void
on_got_body (SoupServerMessage *msg, gpointer data)
{
    connection_consumed (msg);
    deadline_reset (data, msg, FALSE);
}

/*
 * ---- connections ----
 *
 * Deadlines bound how long a connection is kept, not how many there are: a client opening
 * connections faster than one per --idle-timeout would still take every descriptor the server
 * has. So at most max_connections are served at once. libsoup 3.2 has no signal for a new or
 * a closed connection, but "request-started" comes first on every connection, with its GSocket:
 * a socket not seen before is a new connection, and one that libsoup has closed
 * (g_socket_is_closed()) is forgotten when the count is full. One too many gets a 503 written
 * on its socket, which is then shut down at once: libsoup reads the end of the stream and
 * closes it before reading a request, so it costs no handler and holds its descriptor for one
 * turn of the loop. A client whose request had already come may see the connection reset
 * rather than the 503 (the system resets a connection closed with unread data). Of those, at
 * most max_per_address come from one client address (its IP address as the socket sees it), so
 * that one client cannot take every place; one more from it is refused the same way.
 */

#define CONNECTIONS_RESERVED_FDS 64 /* descriptors kept for files, threads and the listener */

/* The connections open (from @peer; NULL: from anywhere). Forgets the closed ones. */
static guint
connections_open (Server *s, const char *peer)
{
    guint n = 0;
    GHashTableIter iter;
    gpointer socket;
    g_hash_table_iter_init (&iter, s->connections);
    while (g_hash_table_iter_next (&iter, &socket, NULL))
        if (g_socket_is_closed (socket))
            g_hash_table_iter_remove (&iter);
        else
            n += !peer || g_strcmp0 (g_object_get_data (socket, "flowsim-peer"), peer) == 0;
    return n;
}

/* Are max_connections open? */
static gboolean
connections_full (Server *s)
{
    return g_hash_table_size (s->connections) >= s->max_connections &&
           connections_open (s, NULL) >= s->max_connections;
}

/* Answers @socket 503 (@why, then "; ask again in a while") in one write and shuts it down;
 * libsoup then closes it. */
static void
connection_refuse (Server *s, GSocket *socket, const char *why)
{
    g_auto (FsimServeReply) r = { 0 };
    fsim_serve_reply_error (&r, 503, "busy: %s; ask again in a while", why);
    fsim_i_serve_socket_answer (socket, "503 Service Unavailable", &r);
    g_socket_shutdown (socket, TRUE, TRUE, NULL);
    /* a request that had already come may still be read from the socket: handle_early()
     * refuses it too, so that no handler runs for it */
    g_object_set_data_full (G_OBJECT (socket), "flowsim-refused", g_strdup (why), g_free);
    s->refused++;
    if (!s->config.quiet && (s->refused & (s->refused - 1)) == 0) /* 1, 2, 4, 8... */
        fprintf (stderr,
                 "flowsim serve: %" G_GUINT64_FORMAT " connections refused so far, the last "
                 "because %s\n",
                 s->refused, why);
}

/* Counts @msg's connection if it is new. Returns FALSE if it was one too many (refused). */
static gboolean
connection_admit (Server *s, SoupServerMessage *msg)
{
    GSocket *socket = soup_server_message_get_socket (msg);
    if (!socket || !s->connections || g_hash_table_contains (s->connections, socket))
        return TRUE;
    if (connections_full (s)) {
        g_autofree char *why = g_strdup_printf (
            "%u connections are open (flowsim serve --max-connections)", s->max_connections);
        connection_refuse (s, socket, why);
        return FALSE;
    }
    g_autofree char *peer = fsim_i_serve_socket_peer (socket);
    if (peer && connections_open (s, peer) >= s->config.max_per_address) {
        g_autofree char *why =
            g_strdup_printf ("%u connections are open from your address (flowsim serve "
                             "--max-per-address)",
                             s->config.max_per_address);
        connection_refuse (s, socket, why);
        return FALSE;
    }
    g_object_set_data_full (G_OBJECT (socket), "flowsim-peer", g_steal_pointer (&peer), g_free);
    g_hash_table_add (s->connections, g_object_ref (socket));
    return TRUE;
}

/* The most connections that @wanted leaves descriptors for, under RLIMIT_NOFILE. */
static guint
connections_allowed (guint wanted)
{
    struct rlimit limit;
    if (getrlimit (RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
        return wanted;
    if (limit.rlim_cur <= CONNECTIONS_RESERVED_FDS + 1)
        return 1;
    return (guint) MIN ((rlim_t) wanted, limit.rlim_cur - CONNECTIONS_RESERVED_FDS);
}

static void
on_request_started (SoupServer *soup, SoupServerMessage *msg, gpointer data)
{
    (void) soup;
    if (!connection_admit (data, msg))
        return;
    connection_awaiting (msg, TRUE);
    g_signal_connect (msg, "got-body", G_CALLBACK (on_got_body), data);
    g_signal_connect (msg, "wrote-headers", G_CALLBACK (on_wrote_headers), data);
    deadline_reset (data, msg, TRUE);
}

static void
on_request_done (SoupServer *soup, SoupServerMessage *msg, gpointer data)
{
    (void) soup;
    deadline_reset (data, msg, TRUE);
}

/* Removes every deadline (the server is stopping). */
static void
deadlines_clear (Server *s)
{
    if (!s->deadlines)
        return;
    GHashTableIter iter;
    gpointer id;
    g_hash_table_iter_init (&iter, s->deadlines);
    while (g_hash_table_iter_next (&iter, NULL, &id))
        g_source_remove (GPOINTER_TO_UINT (id));
    g_clear_pointer (&s->deadlines, g_hash_table_unref);
}

/* ---- life cycle ---- */

static gboolean
on_signal (gpointer data)
{
    Server *s = data;
    g_main_loop_quit (s->loop);
    return G_SOURCE_CONTINUE;
}

static gboolean
start_listening (Server *s, GError **error)
{
    g_autoptr (GInetAddress) address = g_inet_address_new_from_string (s->config.listen);
    if (!address) {
        g_set_error (error, FSIM_CLI_ERROR, FSIM_CLI_ERROR_USAGE,
                     "--listen '%s' is not an IP address (such as 127.0.0.1 or 0.0.0.0)",
                     s->config.listen);
        return FALSE;
    }
    g_autoptr (GSocketAddress) where =
        g_inet_socket_address_new (address, (guint16) s->config.port);
    if (!soup_server_listen (s->soup, where, 0, error)) {
        g_prefix_error (error, "cannot listen on %s port %u: ", s->config.listen, s->config.port);
        return FALSE;
    }
    if (!g_inet_address_get_is_loopback (address))
        fprintf (stderr,
                 "flowsim serve: warning: listening on %s, not only on this machine: "
                 "anyone who can reach it on this port can use the explorer and make "
                 "it simulate (it reads only the served scenarios)\n",
                 s->config.listen);
    /* the port the system chose for port 0 (soup_server_get_uris() leaks in libsoup 3.2) */
    GSList *listeners = soup_server_get_listeners (s->soup);
    g_autoptr (GSocketAddress) local =
        listeners ? g_socket_get_local_address (listeners->data, NULL) : NULL;
    g_slist_free (listeners);
    guint port = local ? g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local)) : 0;
    s->port = port;
    s->loopback = g_inet_address_get_is_loopback (address);
    gboolean v6 = g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6;
    fprintf (stdout, "flowsim serve: %zu scenarios at http://%s%s%s:%u/ (Ctrl-C to stop)\n",
             fsim_serve_catalog_size (s->catalog), v6 ? "[" : "", s->config.listen, v6 ? "]" : "",
             port);
    fflush (stdout);
    return TRUE;
}

static void
server_clear (Server *s)
{
    g_atomic_int_set (&s->stopping, 1);
    if (s->soup)
        soup_server_disconnect (s->soup);
    deadlines_clear (s);
    g_clear_pointer (&s->connections, g_hash_table_unref);
    if (s->pool) /* runs what is queued (each skips at once) and waits for what runs */
        g_thread_pool_free (g_steal_pointer (&s->pool), FALSE, TRUE);
    g_clear_object (&s->soup);
    /* the workers' job_done calls, and the closing of the connections (libsoup closes them
     * asynchronously): up to a second, until nothing has happened for 50 ms */
    gint64 deadline = g_get_monotonic_time () + G_USEC_PER_SEC, idle_since = 0;
    while (g_get_monotonic_time () < deadline) {
        if (g_main_context_iteration (NULL, FALSE)) {
            idle_since = 0;
        } else if (!idle_since) {
            idle_since = g_get_monotonic_time ();
        } else if (g_get_monotonic_time () - idle_since > 50000) {
            break;
        } else {
            g_usleep (2000);
        }
    }
    g_clear_pointer (&s->loop, g_main_loop_unref);
    g_clear_pointer (&s->cache, fsim_serve_cache_free);
    g_clear_pointer (&s->sims, fsim_serve_lender_free); /* no worker left */
    g_clear_pointer (&s->pops, fsim_serve_lender_free); /* after the sims, which borrow */
    g_clear_pointer (&s->catalog, fsim_serve_catalog_free);
}

FsimExit
fsim_serve_run (FsimServeCatalog *catalog, const FsimServeConfig *config, GError **error)
{
    g_return_val_if_fail (catalog != NULL && config != NULL, FSIM_EXIT_INTERNAL);
    Server s = { .config = *config, .catalog = catalog };

    s.loop = g_main_loop_new (NULL, FALSE);
    s.cache = config->cache_bytes ? fsim_serve_cache_new (config->cache_bytes) : NULL;
    s.pops = config->populations ? fsim_serve_pop_cache_new (config->populations) : NULL;
    s.sims = s.pops ? fsim_serve_sim_cache_new (config->populations, s.pops) : NULL;
    s.soup = soup_server_new ("server-header", "flowsim/" FSIM_VERSION " ", NULL);
    s.pool = g_thread_pool_new (job_run, &s, (gint) config->jobs, FALSE, NULL);
    s.deadlines = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
    s.connections = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
    s.max_connections = connections_allowed (config->max_connections);
    if (s.max_connections < config->max_connections)
        fprintf (stderr,
                 "flowsim serve: warning: --max-connections %u lowered to %u: this process may "
                 "open %u files (ulimit -n), and keeps %d for itself\n",
                 config->max_connections, s.max_connections,
                 s.max_connections + CONNECTIONS_RESERVED_FDS, CONNECTIONS_RESERVED_FDS);
    g_signal_connect (s.soup, "request-started", G_CALLBACK (on_request_started), &s);
    g_signal_connect (s.soup, "request-finished", G_CALLBACK (on_request_done), &s);
    g_signal_connect (s.soup, "request-aborted", G_CALLBACK (on_request_done), &s);
    soup_server_add_early_handler (s.soup, NULL, handle_early, &s, NULL);
    soup_server_add_handler (s.soup, NULL, handle, &s, NULL);
    if (!start_listening (&s, error)) {
        FsimExit status = g_error_matches (*error, FSIM_CLI_ERROR, FSIM_CLI_ERROR_USAGE)
                              ? FSIM_EXIT_USAGE
                              : FSIM_EXIT_INTERNAL;
        server_clear (&s);
        return status;
    }
    guint sigint = g_unix_signal_add (SIGINT, on_signal, &s);
    guint sigterm = g_unix_signal_add (SIGTERM, on_signal, &s);
    g_main_loop_run (s.loop);
    g_source_remove (sigint);
    g_source_remove (sigterm);
    /* SIGINT and SIGTERM are the default's again: a second one ends the server at once, but
     * first removes the temporary files of the simulations still running (Graphviz's) */
    fsim_output_catch_signals ();
    fprintf (stderr, "flowsim serve: stopping (%u simulations to finish)\n",
             s.in_flight + s.background);
    server_clear (&s);
    fprintf (stderr, "flowsim serve: stopped\n");
    return FSIM_EXIT_OK;
}
