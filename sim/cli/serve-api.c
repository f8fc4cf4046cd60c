/* SPDX-License-Identifier: MIT */
/* serve-api.c: one /api/ request of `flowsim serve`: parse, check, and answer it with the
 * function the CLI command calls (cli-commands.h), so the API prints what the CLI prints. */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include <glib.h>

#include "cli-commands.h"
#include "cli-private.h"
#include "json-writer.h"
#include "loader.h"
#include "number.h"
#include "serve.h"

/* `set` parameters of one request; the loader has its own limits on each. */
#define MAX_SETS 100
/* Friendship ends (users x mean degree) a generated population may have, per allowed user. */
#define FRIEND_ENDS_PER_USER 200

typedef enum {
    EP_SCENARIOS,
    EP_RUN,
    EP_EXPLAIN,
    EP_DIFF,
    EP_TIMELINE,
    EP_DIAGRAM,
    EP_CLAIMS,
    N_ENDPOINTS
} Endpoint;

typedef struct {
    const char *name;
    const char *params;  /* the parameters it takes, space-separated */
    const char *formats; /* the formats it answers in, the default first */
} EndpointInfo;

static const EndpointInfo endpoints[] = {
    [EP_SCENARIOS] = { "scenarios", "", "json" },
    [EP_RUN] = { "run", "scenario set format", "json text csv" },
    [EP_EXPLAIN] = { "explain", "scenario set format user field partner destination", "json text" },
    [EP_DIFF] = { "diff", "scenario set format whatif", "json text" },
    [EP_TIMELINE] = { "timeline", "scenario set format from to step", "json text svg" },
    [EP_DIAGRAM] = { "diagram", "scenario set format top", "svg dot" },
    [EP_CLAIMS] = { "claims", "scenario set format effect", "json text" },
};
G_STATIC_ASSERT (G_N_ELEMENTS (endpoints) == N_ENDPOINTS);

struct FsimServeRequest {
    Endpoint ep;
    const FsimServeEntry *entry;  /* the scenario (borrowed from the catalog) */
    const FsimServeEntry *whatif; /* diff: another scenario, or NULL */
    GPtrArray *sets;              /* char*, NULL-terminated */
    GHashTable *params;           /* name -> value, every parameter but set */
    const char *format;           /* checked; static */
    FsimExplainRequest explain;
    FsimTimelineArgs timeline;
    FsimDiagramOptions diagram;
    gboolean effect; /* claims: --effect */
};

void
fsim_serve_reply_clear (FsimServeReply *r)
{
    if (r->body)
        g_string_free (r->body, TRUE);
    *r = (FsimServeReply){ 0 };
}

void
fsim_serve_reply_error (FsimServeReply *r, guint status, const char *format, ...)
{
    va_list ap;
    va_start (ap, format);
    g_autofree char *message = g_strdup_vprintf (format, ap);
    va_end (ap);
    fsim_serve_reply_clear (r);
    r->status = status;
    r->content_type = "application/json; charset=utf-8";
    r->body = g_string_new ("{\n  \"error\": ");
    fsim_json_string (r->body, message);
    g_string_append_printf (r->body, ",\n  \"status\": %u\n}\n", status);
}

void
fsim_serve_request_free (FsimServeRequest *rq)
{
    if (!rq)
        return;
    g_clear_pointer (&rq->sets, g_ptr_array_unref);
    g_clear_pointer (&rq->params, g_hash_table_unref);
    g_free (rq);
}

gboolean
fsim_serve_request_simulates (const FsimServeRequest *rq)
{
    return rq->ep != EP_SCENARIOS;
}

static gboolean
word_in (const char *word, const char *list)
{
    g_auto (GStrv) words = g_strsplit (list, " ", -1);
    return *word && g_strv_contains ((const char *const *) words, word);
}

static const char *
param (const FsimServeRequest *rq, const char *name)
{
    return g_hash_table_lookup (rq->params, name);
}

/* @raw (@len bytes of a query) decoded as a form does it ('+' is a space, %XX a byte): the
 * text, or NULL with @r set, naming @what, when it holds an invalid escape, a NUL byte or
 * bytes that are not UTF-8 (GLib's own message, "Non-UTF-8 characters in URI", named no
 * parameter). */
static char *
query_decode (const char *raw, gsize len, const char *what, FsimServeReply *r)
{
    g_autofree char *text = g_strndup (raw, len);
    g_strdelimit (text, "+", ' ');
    g_autoptr (GBytes) bytes = g_uri_unescape_bytes (text, -1, NULL, NULL);
    gsize n = 0;
    const char *data = bytes ? g_bytes_get_data (bytes, &n) : NULL;
    const char *bad = NULL;
    if (!bytes)
        fsim_serve_reply_error (r, 400,
                                "%s: an invalid escape ('%%' must come before two "
                                "hexadecimal digits)",
                                what);
    else if (n && memchr (data, '\0', n))
        fsim_serve_reply_error (r, 400, "%s: a NUL byte (%%00) is not allowed", what);
    else if (!g_utf8_validate_len (data, n, &bad))
        fsim_serve_reply_error (r, 400, "%s: not UTF-8 text (byte 0x%02X, %zu bytes in)", what,
                                (guint) (guchar) *bad, (size_t) (bad - data));
    else
        return g_strndup (data ? data : "", n);
    return NULL;
}

/* Reads the query string into rq->sets and rq->params: NAME=VALUE pairs joined by '&'
 * (empty ones skipped), each decoded as a form. */
static gboolean
parse_query (FsimServeRequest *rq, const char *query, FsimServeReply *r)
{
    const EndpointInfo *info = &endpoints[rq->ep];
    g_auto (GStrv) pairs = g_strsplit (query ? query : "", "&", -1);

    for (guint i = 0; pairs[i]; i++) {
        if (!*pairs[i])
            continue;
        const char *eq = strchr (pairs[i], '=');
        g_autofree char *position = g_strdup_printf ("parameter %u of the query", i + 1);
        g_autofree char *n =
            query_decode (pairs[i], eq ? (gsize) (eq - pairs[i]) : strlen (pairs[i]), position, r);
        if (!n)
            return FALSE;
        if (!word_in (n, info->params)) {
            fsim_serve_reply_error (r, 400, "unknown parameter '%s' for /api/%s (expected: %s)", n,
                                    info->name, *info->params ? info->params : "none");
            return FALSE;
        }
        g_autofree char *what = g_strdup_printf ("parameter '%s'", n);
        if (!eq) {
            fsim_serve_reply_error (r, 400, "%s has no value (%s=VALUE)", what, n);
            return FALSE;
        }
        g_autofree char *v = query_decode (eq + 1, strlen (eq + 1), what, r);
        if (!v)
            return FALSE;
        if (strcmp (n, "set") == 0) {
            if (rq->sets->len >= MAX_SETS) {
                fsim_serve_reply_error (r, 400, "more than %d 'set' parameters", MAX_SETS);
                return FALSE;
            }
            g_ptr_array_add (rq->sets, g_steal_pointer (&v));
        } else if (g_hash_table_contains (rq->params, n)) {
            fsim_serve_reply_error (r, 400, "parameter '%s' given twice", n);
            return FALSE;
        } else {
            g_hash_table_insert (rq->params, g_steal_pointer (&n), g_steal_pointer (&v));
        }
    }
    g_ptr_array_add (rq->sets, NULL);
    return TRUE;
}

/* Sets @r from a failed CLI step: a usage or input error is the client's (400). */
static void
reply_failure (FsimServeReply *r, const FsimServeCatalog *c, FsimExit status, const GError *error)
{
    g_autofree char *message = fsim_serve_catalog_clean_message (c, error->message);
    fsim_serve_reply_error (r, status == FSIM_EXIT_USAGE || status == FSIM_EXIT_INPUT ? 400 : 500,
                            "%s", message);
}

static const FsimServeEntry *
find_scenario (const FsimServeCatalog *c, const char *name, const char *id, FsimServeReply *r)
{
    const FsimServeEntry *e = fsim_serve_catalog_find (c, id);
    if (!id)
        fsim_serve_reply_error (r, 400,
                                "parameter '%s' is required (a scenario id from "
                                "/api/scenarios)",
                                name);
    else if (!e)
        fsim_serve_reply_error (r, 404, "no scenario '%s' on this server (see /api/scenarios)", id);
    return e;
}

/* An upper bound of the dates a timeline from @a has (months counted as 28 days). */
static guint64
timeline_points (const FsimTimelineArgs *a)
{
    guint64 days = (guint64) (a->to - a->from);
    guint64 step = (guint64) a->step.count * (a->step.months ? 28 : 1);
    return days / step + 1;
}

/* The per-endpoint checks the CLI makes before loading anything. */
static gboolean
check_options (FsimServeRequest *rq, GError **error)
{
    switch (rq->ep) {
    case EP_EXPLAIN:
        rq->explain = (FsimExplainRequest){ .user = param (rq, "user"),
                                            .field = param (rq, "field"),
                                            .partner = param (rq, "partner"),
                                            .destination = param (rq, "destination"),
                                            .format = rq->format };
        return fsim_i_explain_check (&rq->explain, error) == FSIM_EXIT_OK;
    case EP_TIMELINE:
        rq->timeline = (FsimTimelineArgs) FSIM_TIMELINE_ARGS_INIT;
        if (fsim_i_timeline_check_range (param (rq, "from"), param (rq, "to"), param (rq, "step"),
                                         &rq->timeline, error) != FSIM_EXIT_OK)
            return FALSE;
        fsim_timeline_format_from_string (rq->format, &rq->timeline.format);
        return TRUE;
    case EP_DIFF:
        if (rq->sets->len <= 1 && !rq->whatif) { /* the NULL at the end */
            g_set_error_literal (error, FSIM_CLI_ERROR, FSIM_CLI_ERROR_USAGE,
                                 "give a WHATIF scenario, or --set overrides of BASE");
            return FALSE;
        }
        return TRUE;
    case EP_CLAIMS:
        if (param (rq, "effect") && strcmp (param (rq, "effect"), "true") != 0 &&
            strcmp (param (rq, "effect"), "false") != 0) {
            g_set_error (error, FSIM_CLI_ERROR, FSIM_CLI_ERROR_USAGE,
                         "effect '%s' is not true or false", param (rq, "effect"));
            return FALSE;
        }
        rq->effect = g_strcmp0 (param (rq, "effect"), "true") == 0;
        return TRUE;
    case EP_DIAGRAM:
        rq->diagram.top = FSIM_DIAGRAM_DEFAULT_TOP;
        return !param (rq, "top") ||
               fsim_i_diagram_parse_top (param (rq, "top"), &rq->diagram.top, error);
    default:
        return TRUE;
    }
}

/* The format parameter, one of the endpoint's, as a static string. */
static gboolean
check_format (FsimServeRequest *rq, FsimServeReply *r)
{
    static const char *const known[] = { "json", "text", "csv", "svg", "dot" };
    const char *asked = param (rq, "format");
    const char *formats = endpoints[rq->ep].formats;
    if (!asked) {
        for (size_t i = 0; i < G_N_ELEMENTS (known); i++)
            if (g_str_has_prefix (formats, known[i]))
                rq->format = known[i];
        return TRUE;
    }
    for (size_t i = 0; i < G_N_ELEMENTS (known); i++)
        if (strcmp (asked, known[i]) == 0 && word_in (asked, formats)) {
            rq->format = known[i];
            return TRUE;
        }
    fsim_serve_reply_error (r, 400, "unknown format '%s' for /api/%s (expected %s)", asked,
                            endpoints[rq->ep].name, formats);
    return FALSE;
}

FsimServeRequest *
fsim_serve_request_new (const FsimServeCatalog *c, const char *endpoint, const char *query,
                        FsimServeReply *r)
{
    g_autoptr (FsimServeRequest) rq = g_new0 (FsimServeRequest, 1);
    g_autoptr (GError) error = NULL;

    for (rq->ep = 0; rq->ep < N_ENDPOINTS; rq->ep++)
        if (strcmp (endpoint, endpoints[rq->ep].name) == 0)
            break;
    if (rq->ep == N_ENDPOINTS) {
        fsim_serve_reply_error (r, 404, "no API endpoint '/api/%s' (see docs/serve.md)", endpoint);
        return NULL;
    }
    rq->sets = g_ptr_array_new_with_free_func (g_free);
    rq->params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    if (!parse_query (rq, query, r) || !check_format (rq, r))
        return NULL;
    if (rq->ep == EP_SCENARIOS)
        return g_steal_pointer (&rq);
    if (!(rq->entry = find_scenario (c, "scenario", param (rq, "scenario"), r)))
        return NULL;
    if (param (rq, "whatif") &&
        !(rq->whatif = find_scenario (c, "whatif", param (rq, "whatif"), r)))
        return NULL;
    if (fsim_i_cmd_check_sets ((char **) rq->sets->pdata, &error) != FSIM_EXIT_OK ||
        !check_options (rq, &error)) {
        fsim_serve_reply_error (r, 400, "%s", error->message);
        return NULL;
    }
    return g_steal_pointer (&rq);
}

/* What only the server forbids of an override: naming a file, and more users or friendships
 * than it allows. @s is the served file of @entry loaded with the overrides. */
static gboolean
check_scenario_limits (const FsimScenario *s, const FsimServeEntry *entry,
                       const FsimServeLimits *limits, GError **error)
{
    const FsimPopulationSpec *ps = &s->population;
    /* the files a population reads: an override naming another would make the server read
     * (and say whether it exists, and what it is) any file of the machine */
    const char *named = g_strcmp0 (ps->import_file, entry->import_file) != 0 ? "import"
                        : g_strcmp0 (ps->snapshot, entry->snapshot) != 0     ? "snapshot"
                                                                             : NULL;
    if (named) {
        g_set_error (error, FSIM_CLI_ERROR, FSIM_CLI_ERROR_USAGE,
                     "population.%s: overrides cannot name files on this server", named);
        return FALSE;
    }
    guint64 users = ps->kind == FSIM_POPULATION_GENERATED  ? ps->gen_users
                    : ps->kind == FSIM_POPULATION_EXPLICIT ? ps->n_users
                                                           : 0;
    if (users > limits->max_users) {
        g_set_error (error, FSIM_CLI_ERROR, FSIM_CLI_ERROR_USAGE,
                     "population.users: %" G_GUINT64_FORMAT " users is over this server's "
                     "limit of %" G_GUINT64_FORMAT " (flowsim serve --max-users)",
                     users, limits->max_users);
        return FALSE;
    }
    if (ps->kind == FSIM_POPULATION_GENERATED &&
        (double) users * ps->mean_degree > (double) limits->max_users * FRIEND_ENDS_PER_USER) {
        g_autofree char *mean = fsim_number_text (ps->mean_degree);
        g_set_error (error, FSIM_CLI_ERROR, FSIM_CLI_ERROR_USAGE,
                     "population.mean_degree: %" G_GUINT64_FORMAT " users with %s friends "
                     "each is over this server's limit of %" G_GUINT64_FORMAT " friendship "
                     "ends (%d per allowed user)",
                     users, mean, limits->max_users * FRIEND_ENDS_PER_USER, FRIEND_ENDS_PER_USER);
        return FALSE;
    }
    return TRUE;
}

/* check_scenario_limits() of @entry's file loaded with @rq's overrides, or its load error. */
static gboolean
check_limits (const FsimServeRequest *rq, const FsimServeEntry *entry, const FsimServeCatalog *c,
              const FsimServeLimits *limits, FsimServeReply *r)
{
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimScenario) s =
        fsim_loader_load (entry->path, (const char *const *) rq->sets->pdata, &error);
    if (!s || !check_scenario_limits (s, entry, limits, &error)) {
        reply_failure (r, c, FSIM_EXIT_INPUT, error);
        return FALSE;
    }
    return TRUE;
}

static const char *
content_type (const char *format)
{
    if (strcmp (format, "json") == 0)
        return "application/json; charset=utf-8";
    if (strcmp (format, "svg") == 0)
        return "image/svg+xml";
    if (strcmp (format, "csv") == 0)
        return "text/csv; charset=utf-8";
    return "text/plain; charset=utf-8";
}

/* A request's population source: the server's cache under the request's key; and, with
 * @sims, its whole simulation, shared with the other requests of the same state. */
typedef struct {
    FsimServeLender *cache;
    FsimServeLender *sims;       /* nullable */
    const FsimServeEntry *entry; /* for the limits of a simulation built here */
    const FsimServeLimits *limits;
    const char *path; /* the scenario file and its overrides */
    const char *const *sets;
    FsimExit status; /* of its failed step */
} PopSource;

static FsimPopulation *
pop_source_get (void *data, const FsimScenario *scenario, GError **error)
{
    PopSource *ps = data;
    g_autofree char *key = fsim_serve_pop_key (ps->path, ps->sets, scenario);
    return fsim_serve_pop_cache_get (ps->cache, key, scenario, error);
}

static void
pop_source_release (void *data, FsimPopulation *pop)
{
    PopSource *ps = data;
    fsim_serve_lender_release (ps->cache, pop);
}

/* What fsim_i_cli_sim_init() does, with the server's limits checked after the load; sets
 * ps->status on failure. */
static gpointer
sim_build (void *data, GError **error)
{
    PopSource *ps = data;
    FsimExit *out_status = &ps->status;
    const FsimSimOptions options = { .sets = ps->sets };
    const FsimPopulationSource plain = { pop_source_get, pop_source_release, ps, NULL, NULL };
    g_autoptr (FsimSim) sim = fsim_sim_load (ps->path, &options, error);
    *out_status = FSIM_EXIT_INPUT;
    if (!sim || !check_scenario_limits (sim->scenario, ps->entry, ps->limits, error))
        return NULL;
    if (!fsim_i_cli_sim_build (sim, &plain, error)) {
        fsim_i_cli_sim_give_back (sim, &plain);
        return NULL;
    }
    if (!fsim_sim_trace (sim, &options, error)) {
        *out_status = FSIM_EXIT_INTERNAL;
        fsim_i_cli_sim_give_back (sim, &plain);
        return NULL;
    }
    return g_steal_pointer (&sim);
}

static FsimSim *
pop_source_get_sim (void *data, const char *path, const char *const *sets, FsimExit *out_status,
                    GError **error)
{
    PopSource *ps = data;
    g_autoptr (GString) key = g_string_new (path);
    for (const char *const *set = sets; set && *set; set++)
        g_string_append_printf (key, "\n%s", *set);
    ps->path = path;
    ps->sets = sets;
    ps->status = FSIM_EXIT_INPUT; /* a waiter's, if the build it waited for failed */
    FsimSim *sim = fsim_serve_lender_get (ps->sims, key->str, sim_build, ps, error);
    if (!sim)
        *out_status = ps->status;
    return sim;
}

static void
pop_source_release_sim (void *data, FsimSim *sim)
{
    PopSource *ps = data;
    fsim_serve_lender_release (ps->sims, sim);
}

static void
sim_free (gpointer sim, gpointer pops)
{
    FsimSim *s = sim;
    if (s->pop)
        fsim_serve_lender_release (pops, g_steal_pointer (&s->pop));
    fsim_sim_free (s);
}

FsimServeLender *
fsim_serve_sim_cache_new (guint max_entries, FsimServeLender *pops)
{
    g_return_val_if_fail (pops != NULL, NULL);
    return fsim_serve_lender_new (max_entries, sim_free, pops);
}

/* Do the simulations of @rq come from the cache of simulations (which checks the limits)? */
static gboolean
shares_sims (const FsimServeRequest *rq, const FsimServeLender *pops, const FsimServeLender *sims)
{
    return pops && sims && (rq->ep == EP_RUN || rq->ep == EP_DIAGRAM || rq->ep == EP_TIMELINE);
}

/* Calls what the CLI command calls. */
static FsimExit
dispatch (const FsimServeRequest *rq, FsimServeLender *pops, FsimServeLender *sims,
          const FsimServeLimits *limits, GString *out, GError **error)
{
    const char *path = rq->entry->path;
    const char *const *sets = (const char *const *) rq->sets->pdata;
    FsimReportFormat format = FSIM_REPORT_JSON;
    gboolean shared = shares_sims (rq, pops, sims);
    PopSource data = { pops, sims, rq->entry, limits, path, sets, FSIM_EXIT_INPUT };
    const FsimPopulationSource cached = { pop_source_get, pop_source_release, &data,
                                          shared ? pop_source_get_sim : NULL,
                                          shared ? pop_source_release_sim : NULL };
    const FsimPopulationSource *source = pops ? &cached : NULL;

    switch (rq->ep) {
    case EP_RUN:
        fsim_report_format_from_string (rq->format, &format);
        return fsim_i_run_render (path, sets, source, format, out, error);
    case EP_EXPLAIN:
        return fsim_i_explain_render (path, sets, source, &rq->explain, out, error);
    case EP_DIFF: /* diff builds both populations itself, on the same people */
        return fsim_i_diff_render (path, rq->whatif ? rq->whatif->path : NULL, sets, rq->format,
                                   NULL, out, error);
    case EP_TIMELINE:
        return fsim_i_timeline_render_to (path, sets, source, &rq->timeline, out, error);
    case EP_DIAGRAM:
        return fsim_i_diagram_render (path, sets, source, &rq->diagram, NULL, rq->format, out,
                                      error);
    case EP_CLAIMS: /* the list needs no population; --effect builds its own, one per claim */
        return fsim_i_claims_render (path, sets, rq->effect, strcmp (rq->format, "json") == 0, out,
                                     error);
    default:
        g_assert_not_reached ();
    }
}

void
fsim_serve_request_run (const FsimServeRequest *rq, const FsimServeCatalog *c,
                        const FsimServeLimits *limits, FsimServeLender *pops, FsimServeLender *sims,
                        FsimServeReply *r)
{
    g_autoptr (GError) error = NULL;
    g_autoptr (GString) out = g_string_new (NULL);

    fsim_serve_reply_clear (r);
    if (rq->ep == EP_SCENARIOS) {
        r->status = 200;
        r->content_type = content_type ("json");
        r->body = g_string_new (fsim_serve_catalog_json (c));
        return;
    }
    g_return_if_fail (fsim_serve_request_simulates (rq));
    /* a shared simulation checks them itself, on the scenario it loads */
    if (!shares_sims (rq, pops, sims) &&
        !check_limits (rq, rq->whatif ? rq->whatif : rq->entry, c, limits, r))
        return;
    if (rq->ep == EP_TIMELINE && timeline_points (&rq->timeline) > limits->max_timeline_points) {
        fsim_serve_reply_error (r, 400,
                                "a timeline of this server has at most %" G_GUINT64_FORMAT
                                " dates: use a longer step or a shorter range",
                                limits->max_timeline_points);
        return;
    }
    FsimExit status = dispatch (rq, pops, sims, limits, out, &error);
    if (status != FSIM_EXIT_OK) {
        reply_failure (r, c, status, error);
        return;
    }
    /* file names as a client knows them: relative to the served folder, as the CLI prints
     * them when run there */
    r->status = 200;
    r->content_type = content_type (rq->format);
    g_autofree char *clean = fsim_serve_catalog_clean_message (c, out->str);
    r->body = g_string_new (clean);
}
