/* SPDX-License-Identifier: MIT */
/* serve-util.h: what the serve tests share: a flowsim serve process on loopback, a libsoup
 * client, and the CLI to compare its answers with (test-serve.c, test-serve-limits.c). */
#pragma once

#include <glib.h>
#include <libsoup/soup.h>

#include "run-util.h"

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
    char *retry_after; /* the Retry-After header, NULL if none */
} Reply;

/* Answers to requests sent at once, counted. */
typedef struct {
    GMainLoop *loop;
    guint pending;
    guint ok, busy, other;
} Batch;

extern Server *shared; /* the bundled scenarios with the default limits */

/* g_test_init(), a session, and the shared server (not in a subprocess test). */
void serve_test_init (int *argc, char ***argv);
/* g_test_run(), then stops the shared server (checking it stopped cleanly). */
int serve_test_run (void);

/* The bundled scenarios folder (transfer full). */
char *scenarios_dir (void);
/* Starts `flowsim serve --port 0 --quiet ARGS... SCENARIOS` and waits for its URL line. */
Server *server_start (const char *const *args);
/* The same, logging each request on stderr unless @quiet. */
Server *server_start_full (const char *const *args, gboolean quiet);
/* Sends @signal, waits for the exit and returns stderr (transfer full); checks status 0. */
char *server_stop (Server *s, int signal);

void reply_free (Reply *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)
Reply *reply_of (SoupMessage *msg, GBytes *bytes);
/* METHOD @s->url + @target (no leading '/', sent as written), with @body (nullable). */
Reply *request_full (const Server *s, const char *method, const char *target, const char *body);
/* GET @target of the shared server. */
Reply *get (const char *target);
/* Sends the @n targets at once on a session of its own and counts the answers. */
Batch batch (const Server *s, char **targets, guint n);

/* flowsim ARGS... run in the scenarios folder, as the server names files. */
FsimTestRun *cli (const char *const *args);
#define CLI(...) cli ((const char *const[]){ __VA_ARGS__, NULL })
/* The shared server's answer to @target is 200 and the bytes @run printed (status 0). */
void assert_same_as_cli (const char *target, FsimTestRun *run);
/* The message the CLI printed after "flowsim: error: ", up to the end of its line. */
char *cli_message (const FsimTestRun *run);
/* The shared server answers @target with @status and the JSON error @message. */
void assert_error (const char *target, guint status, const char *message);
