/* SPDX-License-Identifier: MIT */
/* serve.h: `flowsim serve`, the what-if explorer: a catalog of scenarios, a JSON API that
 * answers with what the CLI prints, and a page (docs/serve.md). Built with libsoup 3 only. */
#pragma once

#include <gio/gio.h>
#include <glib.h>

#include "cli.h"
#include "population.h"
#include "scenario.h"
#include "sim.h"

/* ---- serve-catalog.c: the scenarios a server offers, by id ---- */

typedef struct FsimServeCatalog FsimServeCatalog;

/* One served scenario. Owned by the catalog. */
typedef struct {
    char *id;
    char *path;        /* the file; never sent to a client */
    char *import_file; /* population.import.file as the file has it, NULL if none */
    char *snapshot;    /* population.snapshot as the file has it, NULL if none */
    char *json;        /* its entry of /api/scenarios (an object) */
} FsimServeEntry;

/**
 * fsim_serve_catalog_new:
 * @dirs: NULL-terminated folders to scan (not recursively) for *.json scenario files
 * @out_skipped: (nullable): "FILE: why" for each .json file that is not a served scenario (a
 *   policy file, a broken file, an id seen before), transfer full
 *
 * Loads every scenario file of @dirs; the first file with an id wins. Returns: (transfer
 * full): the catalog, or NULL with @error set when a folder cannot be read or holds no
 * scenario at all.
 */
FsimServeCatalog *fsim_serve_catalog_new (const char *const *dirs, GPtrArray **out_skipped,
                                          GError **error);
void fsim_serve_catalog_free (FsimServeCatalog *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsimServeCatalog, fsim_serve_catalog_free)

/* The entry for @id, or NULL. Can't fail. */
const FsimServeEntry *fsim_serve_catalog_find (const FsimServeCatalog *c, const char *id);
size_t fsim_serve_catalog_size (const FsimServeCatalog *c);
/* The body of /api/scenarios (owned by the catalog). */
const char *fsim_serve_catalog_json (const FsimServeCatalog *c);
/* @message with every served folder's path taken out (transfer full): errors name files
 * relative to their folder, as a client knows them. */
char *fsim_serve_catalog_clean_message (const FsimServeCatalog *c, const char *message);

/* ---- serve-lender.c: values kept between requests by key, lent to workers (thread-safe) ---- */

typedef struct FsimServeLender FsimServeLender;

/* Builds the value for a key: NULL with @error set on failure. */
typedef gpointer (*FsimServeBuild) (void *data, GError **error);

/* Keeps at most @max_entries values (0: each is freed when its last borrower is done), freed
 * with @free_value (value, @free_data). Can't fail. */
FsimServeLender *fsim_serve_lender_new (guint max_entries, GFunc free_value, gpointer free_data);
/* Only once nothing is lent or being built any more. */
void fsim_serve_lender_free (FsimServeLender *l);
/* The value for @key: kept, being built by another worker (then waited for), or built here
 * by @build (@data). Lent, to be used read-only, until released. NULL with @error set if
 * @build failed (nothing is kept then). */
gpointer fsim_serve_lender_get (FsimServeLender *l, const char *key, FsimServeBuild build,
                                void *data, GError **error);
void fsim_serve_lender_release (FsimServeLender *l, gpointer value);

/* ---- serve-population.c: populations kept between requests ---- */

/* A lender of populations, at most @max_entries kept. */
FsimServeLender *fsim_serve_pop_cache_new (guint max_entries);
/* The key of the population of @path with @sets: the path and the overrides that can change
 * the population (transfer full). @scenario (nullable): @path loaded with @sets, whose claims
 * tell which choices leave the population as it is (without it, none does). Can't fail. */
char *fsim_serve_pop_key (const char *path, const char *const *sets, const FsimScenario *scenario);
/* The population for @key, built from @scenario if not kept; lent until
 * fsim_serve_lender_release(). NULL with @error set if it cannot be built. */
FsimPopulation *fsim_serve_pop_cache_get (FsimServeLender *c, const char *key,
                                          const FsimScenario *scenario, GError **error);

/* ---- serve-api.c: one API request, run on a worker thread ---- */

/* What the server allows a request; fixed when it starts. */
typedef struct {
    guint64 max_users; /* generated or explicit users of one simulation */
    guint64 max_timeline_points;
} FsimServeLimits;

/* An answer: an HTTP status, a content type and a body. */
typedef struct {
    guint status;
    const char *content_type; /* static */
    GString *body;
} FsimServeReply;

void fsim_serve_reply_clear (FsimServeReply *r);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FsimServeReply, fsim_serve_reply_clear)

/* Sets @r to a JSON error {"error": MESSAGE} with @status. */
void fsim_serve_reply_error (FsimServeReply *r, guint status, const char *format, ...)
    G_GNUC_PRINTF (3, 4);

typedef struct FsimServeRequest FsimServeRequest;

/**
 * fsim_serve_request_new:
 * @endpoint: what follows "/api/" in the path
 * @query: (nullable): the raw query string
 *
 * Parses and checks what can be checked without simulating (the endpoint, the scenario id,
 * the parameters and the shape of every `set`). Returns: (transfer full): the request, or
 * NULL with @r set to the error reply (404 unknown endpoint or scenario, 400 bad parameter).
 */
FsimServeRequest *fsim_serve_request_new (const FsimServeCatalog *c, const char *endpoint,
                                          const char *query, FsimServeReply *r);
void fsim_serve_request_free (FsimServeRequest *rq);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsimServeRequest, fsim_serve_request_free)

/* Does @rq need a simulation (a worker), or is it answered at once (/api/scenarios)? */
gboolean fsim_serve_request_simulates (const FsimServeRequest *rq);

/**
 * fsim_serve_request_run:
 * Answers @rq into @r (cleared first): checks the overrides against @limits, then calls the
 * same function as the CLI command, with the population from @pops (nullable: built) and the
 * traced simulation from @sims (nullable: traced here; only with @pops;
 * fsim_serve_sim_cache_new()).
 * Thread-safe: @c and @limits are only read. Can't fail (a failure is an error reply).
 */
void fsim_serve_request_run (const FsimServeRequest *rq, const FsimServeCatalog *c,
                             const FsimServeLimits *limits, FsimServeLender *pops,
                             FsimServeLender *sims, FsimServeReply *r);

/* A lender of traced simulations (FsimSim, shared by the requests of one state: the page asks
 * for the run and the diagram at once), at most @max_entries kept, their populations borrowed
 * from @pops, which must outlive it. */
FsimServeLender *fsim_serve_sim_cache_new (guint max_entries, FsimServeLender *pops);

/* ---- serve-socket.c: what the server does on a connection's socket beside libsoup ---- */

/* Every 503 (busy, timed out, too many connections) says when to ask again. */
#define FSIM_SERVE_RETRY_AFTER 5

/* Every answer is the page's own or data: nothing from elsewhere, no inline script or style,
 * no framing. */
#define FSIM_SERVE_CSP                                                                             \
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "                    \
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

/* Writes the answer @r with @status_line ("503 Service Unavailable"; a 503 with Retry-After)
 * and "Connection: close" on @socket in one write that never waits for a client that does
 * not read (a fresh socket's buffer takes it whole). For answers libsoup cannot give: a
 * connection refused before its request is read, a request that did not come in whole. */
void fsim_i_serve_socket_answer (GSocket *socket, const char *status_line, const FsimServeReply *r);
/* The bytes the system has received on @socket (Linux TCP_INFO), or -1 when it cannot tell. */
gint64 fsim_i_serve_socket_received (GSocket *socket);
/* The text of @socket's peer IP address (transfer full), or NULL if it has none. */
char *fsim_i_serve_socket_peer (GSocket *socket);

/* ---- serve-http.c: the server ---- */

typedef struct {
    const char *listen;    /* an IP address; "127.0.0.1" by default */
    guint port;            /* 0: any free port */
    guint jobs;            /* simulations at once */
    guint queue;           /* requests waiting for a simulation slot */
    double timeout;        /* seconds a request may take before a 503 */
    guint idle_timeout;    /* seconds a connection may take to send a request, or stay idle */
    guint max_connections; /* connections open at once; more are refused (503) at once */
    guint max_per_address; /* of those, from one client address; more are refused (503) */
    gsize max_request;     /* bytes of a request line's target, or of a body */
    gsize cache_bytes;     /* answers kept (0: none) */
    guint populations;     /* populations kept (0: none) */
    FsimServeLimits limits;
    gboolean quiet; /* no log line per request */
} FsimServeConfig;

/**
 * fsim_serve_run:
 * Serves @catalog (taken) as @config says until SIGINT or SIGTERM. Prints the URL on stdout
 * once listening. Returns: FSIM_EXIT_OK after a clean shutdown, or FSIM_EXIT_USAGE /
 * FSIM_EXIT_INTERNAL with @error set when it cannot listen.
 */
FsimExit fsim_serve_run (FsimServeCatalog *catalog, const FsimServeConfig *config, GError **error);
