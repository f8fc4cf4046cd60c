/* SPDX-License-Identifier: MIT */
/* cmd-serve.c: `flowsim serve`: the interactive what-if explorer on a local web server. */
#include "config.h"

#include <glib.h>

#include "cli-private.h"
#include "number.h"
#if FSIM_HAVE_SERVE
#include "serve.h"
#endif

#define DEFAULT_PORT 8080
#define DEFAULT_QUEUE 64
#define DEFAULT_TIMEOUT 30.0
#define DEFAULT_IDLE_TIMEOUT 10
#define DEFAULT_MAX_CONNECTIONS 256
#define DEFAULT_MAX_PER_ADDRESS 64
#define DEFAULT_MAX_USERS 100000
#define DEFAULT_MAX_REQUEST 16384
#define DEFAULT_CACHE_MB 64
#define DEFAULT_POPULATIONS 4
#define MAX_TIMELINE_POINTS 200

typedef struct {
    char *listen;
    int port;
    int jobs;
    int queue;
    double timeout;
    int idle_timeout;
    int max_connections;
    int max_per_address;
    gint64 max_users;
    int max_request;
    int cache_mb;
    int populations;
    gboolean quiet;
    char **args;
    gboolean help;
} ServeOptions;

static void
serve_options_clear (ServeOptions *o)
{
    g_clear_pointer (&o->listen, g_free);
    g_clear_pointer (&o->args, g_strfreev);
}

static GOptionContext *
serve_context (ServeOptions *o)
{
    const GOptionEntry entries[] = {
        { "port", 'p', 0, G_OPTION_ARG_INT, &o->port,
          "Port to listen on (default 8080; 0: any free port, printed)", "PORT" },
        { "listen", 0, 0, G_OPTION_ARG_STRING, &o->listen,
          "Address to listen on (default 127.0.0.1: this machine only; 0.0.0.0 opens it to "
          "the network, with a warning)",
          "ADDR" },
        { "jobs", 'j', 0, G_OPTION_ARG_INT, &o->jobs,
          "Simulations at once (default: one per processor)", "N" },
        { "queue", 0, 0, G_OPTION_ARG_INT, &o->queue,
          "Requests that may wait for a simulation; more get 503 (default 64)", "N" },
        { "timeout", 0, 0, G_OPTION_ARG_DOUBLE, &o->timeout,
          "Seconds a request may take; past that it gets 503 (default 30)", "SECONDS" },
        { "idle-timeout", 0, 0, G_OPTION_ARG_INT, &o->idle_timeout,
          "Seconds a connection may take to send a request or to read an answer, or stay idle "
          "(default 10)",
          "SECONDS" },
        { "max-connections", 0, 0, G_OPTION_ARG_INT, &o->max_connections,
          "Connections open at once; more are answered 503 and closed at once (default 256)", "N" },
        { "max-per-address", 0, 0, G_OPTION_ARG_INT, &o->max_per_address,
          "Of those, connections open at once from one client address (default 64)", "N" },
        { "max-users", 0, 0, G_OPTION_ARG_INT64, &o->max_users,
          "Most users one simulation may have (default 100000)", "N" },
        { "max-request", 0, 0, G_OPTION_ARG_INT, &o->max_request,
          "Most bytes of a request's path and query, or of a body (default 16384)", "BYTES" },
        { "cache", 0, 0, G_OPTION_ARG_INT, &o->cache_mb,
          "Megabytes of answers kept to give again (default 64; 0: none)", "MB" },
        { "populations", 0, 0, G_OPTION_ARG_INT, &o->populations,
          "Populations kept for the next request (default 4; 0: none)", "N" },
        { "quiet", 'q', 0, G_OPTION_ARG_NONE, &o->quiet, "No log line per request", NULL },
        { "help", 'h', 0, G_OPTION_ARG_NONE, &o->help, "Show this help", NULL },
        { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o->args, NULL, "[DIR…]" },
        { 0 },
    };
    return fsim_i_cmd_context (
        "serve", NULL, entries,
        "Serves the what-if explorer: a page where you pick a scenario, move the date and\n"
        "change its assumptions, and see who was reached; and a JSON API under /api/ that\n"
        "answers with what `flowsim run|explain|diff|timeline --format json` prints. Serves the\n"
        "scenario files (*.json) of each DIR, by id, and nothing else; without DIR, the bundled\n"
        "scenarios. Stops cleanly on Ctrl-C (SIGINT) or SIGTERM. See docs/serve.md.",
        "Examples:\n"
        "  flowsim serve\n"
        "  flowsim serve --port 0 my-scenarios/\n"
        "  flowsim serve --listen 0.0.0.0 --port 8080   # a classroom network\n\n"
        "Environment:\n"
        "  FLOWSIM_DATADIR  where to find the bundled scenarios/\n");
}

static char *
serve_help (void)
{
    ServeOptions o = { 0 };
    g_autoptr (GOptionContext) context = serve_context (&o);
    return fsim_i_cmd_help (context, "serve");
}

static FsimExit
serve_check (const ServeOptions *o, GError **error)
{
    if (o->port < 0 || o->port > 65535)
        return fsim_i_cli_usage_error (error, "--port %d is not from 0 to 65535", o->port);
    if (o->jobs < 1 || o->jobs > 256)
        return fsim_i_cli_usage_error (error, "--jobs %d is not from 1 to 256", o->jobs);
    if (o->queue < 0 || o->queue > 100000)
        return fsim_i_cli_usage_error (error, "--queue %d is not from 0 to 100000", o->queue);
    if (!(o->timeout > 0.0 && o->timeout <= 86400.0)) {
        g_autofree char *timeout = fsim_number_text (o->timeout);
        return fsim_i_cli_usage_error (
            error, "--timeout %s is not a number of seconds more than 0 and at most 86400",
            timeout);
    }
    if (o->idle_timeout < 1 || o->idle_timeout > 3600)
        return fsim_i_cli_usage_error (error, "--idle-timeout %d is not from 1 to 3600 seconds",
                                       o->idle_timeout);
    if (o->max_connections < 1 || o->max_connections > 1000000)
        return fsim_i_cli_usage_error (error, "--max-connections %d is not from 1 to 1000000",
                                       o->max_connections);
    if (o->max_per_address < 1 || o->max_per_address > 1000000)
        return fsim_i_cli_usage_error (error, "--max-per-address %d is not from 1 to 1000000",
                                       o->max_per_address);
    if (o->max_users < 1)
        return fsim_i_cli_usage_error (error, "--max-users must be at least 1");
    if (o->max_request < 256)
        return fsim_i_cli_usage_error (error, "--max-request must be at least 256 bytes");
    if (o->cache_mb < 0 || o->cache_mb > 65536)
        return fsim_i_cli_usage_error (error, "--cache %d is not from 0 to 65536 MB", o->cache_mb);
    if (o->populations < 0 || o->populations > 1000)
        return fsim_i_cli_usage_error (error, "--populations %d is not from 0 to 1000",
                                       o->populations);
    return FSIM_EXIT_OK;
}

static FsimExit
serve_parse (int argc, char **argv, ServeOptions *o, GError **error)
{
    g_autoptr (GOptionContext) context = serve_context (o);
    FsimExit status = fsim_i_cmd_parse (context, "serve", argc, argv, error);
    return status != FSIM_EXIT_OK || o->help ? status : serve_check (o, error);
}

#if FSIM_HAVE_SERVE
/* The folders to serve: the arguments, or the folder of the bundled default scenario. */
static char **
serve_dirs (const ServeOptions *o)
{
    if (o->args && o->args[0])
        return g_strdupv (o->args);
    g_autofree char *scenario = fsim_cli_default_scenario_path ();
    char **dirs = g_new0 (char *, 2);
    dirs[0] = g_path_get_dirname (scenario);
    return dirs;
}

static FsimExit
serve_start (const ServeOptions *o, GError **error)
{
    g_auto (GStrv) dirs = serve_dirs (o);
    g_autoptr (GPtrArray) skipped = NULL;
    FsimServeCatalog *catalog =
        fsim_serve_catalog_new ((const char *const *) dirs, &skipped, error);
    if (!catalog)
        return FSIM_EXIT_INPUT;
    for (guint i = 0; i < skipped->len; i++)
        g_printerr ("flowsim serve: not served: %s\n", (const char *) skipped->pdata[i]);
    FsimServeConfig config = {
        .listen = o->listen ? o->listen : "127.0.0.1",
        .port = (guint) o->port,
        .jobs = (guint) o->jobs,
        .queue = (guint) o->queue,
        .timeout = o->timeout,
        .idle_timeout = (guint) o->idle_timeout,
        .max_connections = (guint) o->max_connections,
        .max_per_address = (guint) o->max_per_address,
        .max_request = (gsize) o->max_request,
        .cache_bytes = (gsize) o->cache_mb << 20,
        .populations = (guint) o->populations,
        .limits = { .max_users = (guint64) o->max_users,
                    .max_timeline_points = MAX_TIMELINE_POINTS },
        .quiet = o->quiet,
    };
    return fsim_serve_run (catalog, &config, error);
}
#endif

static FsimExit
cmd_serve (int argc, char **argv, GError **error)
{
    ServeOptions o = {
        .port = DEFAULT_PORT,
        .jobs = (int) CLAMP (g_get_num_processors (), 1, 256),
        .queue = DEFAULT_QUEUE,
        .timeout = DEFAULT_TIMEOUT,
        .idle_timeout = DEFAULT_IDLE_TIMEOUT,
        .max_connections = DEFAULT_MAX_CONNECTIONS,
        .max_per_address = DEFAULT_MAX_PER_ADDRESS,
        .max_users = DEFAULT_MAX_USERS,
        .max_request = DEFAULT_MAX_REQUEST,
        .cache_mb = DEFAULT_CACHE_MB,
        .populations = DEFAULT_POPULATIONS,
    };
    FsimExit status = serve_parse (argc, argv, &o, error);

    if (status == FSIM_EXIT_OK && o.help) {
        g_autoptr (GOptionContext) context = serve_context (&o);
        status = fsim_i_cmd_print_help (context, "serve", error);
    } else if (status == FSIM_EXIT_OK) {
#if FSIM_HAVE_SERVE
        status = serve_start (&o, error);
#else
        g_set_error (error, FSIM_CLI_ERROR, FSIM_CLI_ERROR_OUTPUT,
                     "this flowsim was built without serve: install libsoup 3 (Debian: "
                     "libsoup-3.0-dev) and configure again (meson setup --reconfigure "
                     "-Dserve=enabled)");
        status = FSIM_EXIT_INTERNAL;
#endif
    }
    serve_options_clear (&o);
    return status;
}

const FsimCommand fsim_cmd_serve = {
    "serve",
    "Serve the interactive what-if explorer (a local web page)",
    cmd_serve,
    serve_help,
};
