/* SPDX-License-Identifier: MIT */
/* cmd-explain.c: `flowsim explain`: every route of one user's data, open or closed, and why. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "analysis-private.h"
#include "cli-commands.h"
#include "cmd-analysis.h"
#include "explain-diagram.h"
#include "graphviz.h"
#include "room.h"

typedef struct {
    char *user;
    char *field;
    char *partner;
    char *destination;
    char *format;
    char *output;
    char **sets;
    char **claims;
    char **args;
    gboolean help;
} ExplainOptions;

static void
options_clear (ExplainOptions *o)
{
    g_free (o->user);
    g_free (o->field);
    g_free (o->partner);
    g_free (o->destination);
    g_free (o->format);
    g_free (o->output);
    g_strfreev (o->sets);
    g_strfreev (o->claims);
    g_strfreev (o->args);
}

static GOptionContext *
explain_context (ExplainOptions *o)
{
    const GOptionEntry entries[] = {
        { "user", 'u', 0, G_OPTION_ARG_FILENAME, &o->user,
          "The user to explain: an explicit user's id, the graph file's id of an imported "
          "one, or uN for user N of a generated population (required)",
          "USER" },
        { "field", 0, 0, G_OPTION_ARG_FILENAME, &o->field,
          "Only this field, or the fields a field pattern selects (profile, profile.*, *.name)",
          "FIELD" },
        { "partner", 'p', 0, G_OPTION_ARG_FILENAME, &o->partner,
          "Only this partner, or those a selector selects (an id, a glob, kind:K, tag:T)",
          "PARTNER" },
        { "destination", 'd', 0, G_OPTION_ARG_FILENAME, &o->destination,
          "Only flows landing in this destination (PARTNER/DESTINATION) or jurisdiction (an "
          "ISO code, or device)",
          "DEST" },
        { "format", 'f', 0, G_OPTION_ARG_FILENAME, &o->format,
          "text (the default), json, dot or svg (a diagram; svg runs Graphviz's dot, on at "
          "most " FSIM_GRAPHVIZ_MAX_TEXT ")",
          "FORMAT" },
        { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o->output,
          "Write to FILE (replaced atomically; '-' is standard output)", "FILE" },
        { "set", 's', 0, G_OPTION_ARG_FILENAME_ARRAY, &o->sets,
          "Override a scenario value (repeatable)", "PATH=VALUE" },
        FSIM_CLI_CLAIM_OPTION (&o->claims),
        FSIM_CLI_MAX_GRAPH_SIZE_OPTION,
        { "help", 'h', 0, G_OPTION_ARG_NONE, &o->help, "Show this help", NULL },
        { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o->args, NULL, "[SCENARIO]" },
        { 0 },
    };
    return fsim_i_cmd_context (
        "explain", NULL, entries,
        "Explains, for one user, every route by which their data reached a partner: who used "
        "the\npartner (the user, a friend, a friend of a friend), the API, scope and rule that "
        "opened it,\nand the settings that let it through; and for each route that stayed "
        "closed, the first\ngate that closed it. Without SCENARIO, uses the "
        "bundled " FSIM_CLI_DEFAULT_SCENARIO ".",
        "Examples:\n"
        "  flowsim explain scenarios/tour.json --user bob --field profile.religion\n"
        "  flowsim explain --user u42 --partner huawei --format json\n");
}

static char *
explain_help (void)
{
    ExplainOptions o = { 0 };
    g_autoptr (GOptionContext) context = explain_context (&o);
    return fsim_i_cmd_help (context, "explain");
}

FsimExit
fsim_i_explain_check (const FsimExplainRequest *rq, GError **error)
{
    const char *format = rq->format;
    if (!rq->user)
        return fsim_i_cli_usage_error (error, "--user is required (which user to explain)");
    if (rq->partner && rq->destination)
        return fsim_i_cli_usage_error (error, "give --partner or --destination, not both");
    if (format && strcmp (format, "json") != 0 && strcmp (format, "text") != 0 &&
        strcmp (format, "dot") != 0 && strcmp (format, "svg") != 0)
        return fsim_i_cli_usage_error (
            error, "unknown format '%s' (expected text, json, dot or svg)", format);
    return FSIM_EXIT_OK;
}

static FsimExplainRequest
explain_request (const ExplainOptions *o)
{
    return (FsimExplainRequest){ .user = o->user,
                                 .field = o->field,
                                 .partner = o->partner,
                                 .destination = o->destination,
                                 .format = o->format };
}

static FsimExit
explain_parse (int argc, char **argv, ExplainOptions *o, GError **error)
{
    g_autoptr (GOptionContext) context = explain_context (o);
    FsimExit status = fsim_i_cmd_parse (context, "explain", argc, argv, error);
    if (status != FSIM_EXIT_OK || o->help)
        return status;
    if (!fsim_i_cmd_check_scenario_args (o->args, error))
        return FSIM_EXIT_USAGE;
    FsimExplainRequest rq = explain_request (o);
    status = fsim_i_explain_check (&rq, error);
    if (status != FSIM_EXIT_OK)
        return status;
    return fsim_i_cmd_check_overrides (&o->sets, o->claims, error);
}

/* The partners with a destination the --destination filter names. */
static FsimWord *
partners_with_destination (const FsimScenario *s, const char *filter)
{
    g_autofree FsimWord *bits = fsim_bits_new (s->partner_words);
    gboolean any = FALSE;
    for (size_t p = 0; p < s->n_partners; p++)
        for (size_t d = 0; d < s->partners[p].n_destinations; d++)
            if (fsim_explain_destination_matches (&s->partners[p], &s->partners[p].destinations[d],
                                                  filter)) {
                fsim_bits_set (bits, p);
                any = TRUE;
            }
    return any ? g_steal_pointer (&bits) : NULL;
}

/* Resolves --field, --partner and --destination against the scenario. */
static FsimExit
explain_filters (const FsimScenario *s, const FsimExplainRequest *o, FsimWord **fields,
                 FsimWord **partners, GError **error)
{
    if (o->field && !(*fields = fsim_scenario_select_fields (s, o->field)))
        return fsim_i_cli_usage_error (error, "--field '%s' selects no field of the scenario",
                                       o->field);
    if (o->partner) {
        FsimExit status = fsim_i_cli_check_partner (s, "--partner", o->partner, partners, error);
        if (status != FSIM_EXIT_OK)
            return status;
    }
    if (o->destination && !(*partners = partners_with_destination (s, o->destination)))
        return fsim_i_cli_usage_error (error,
                                       "--destination '%s' names no destination (expected "
                                       "PARTNER/DESTINATION, a jurisdiction code or device)",
                                       o->destination);
    return FSIM_EXIT_OK;
}

FsimExit
fsim_i_explain_render (const char *path, const char *const *sets,
                       const FsimPopulationSource *source, const FsimExplainRequest *o,
                       GString *out, GError **error)
{
    g_auto (FsimWorld) w = { 0 };
    gboolean json = o->format && strcmp (o->format, "json") == 0;
    FsimExit status = fsim_i_world_load_from (&w, path, sets, source, error);
    if (status != FSIM_EXIT_OK)
        return status;
    gssize u = fsim_tracer_find_user (w.tracer, o->user);
    if (u < 0) {
        const char *naming = fsim_population_naming (w.pop);
        return fsim_i_cli_usage_error (error, "no user '%s' in %s (%zu users%s%s)", o->user, path,
                                       w.pop->n_users, naming ? ", " : "", naming ? naming : "");
    }
    g_autofree FsimWord *fields = NULL;
    g_autofree FsimWord *partners = NULL;
    status = explain_filters (w.scenario, o, &fields, &partners, error);
    if (status == FSIM_EXIT_OK &&
        !fsim_i_check_pairs (w.scenario, fields, partners, "explain", error))
        status = FSIM_EXIT_USAGE;
    if (status != FSIM_EXIT_OK)
        return status;
    g_autoptr (FsimExplanation) e =
        fsim_explain_user (w.tracer, (size_t) u, fields, partners, error);
    if (e == NULL)
        return FSIM_EXIT_INTERNAL;
    g_autoptr (GError) local = NULL;
    if (o->format && (strcmp (o->format, "dot") == 0 || strcmp (o->format, "svg") == 0))
        return fsim_explain_draw (w.tracer, e, o->destination, o->format, fsim_i_cli_dot_program (),
                                  out, &local)
                   ? FSIM_EXIT_OK
                   : fsim_i_cli_draw_failed (&local, error);
    if (!fsim_room_reserve (out, fsim_explain_room (w.tracer, e), "the explanation", error))
        return FSIM_EXIT_INTERNAL;
    if (json)
        fsim_explain_render_json (w.tracer, e, o->destination, out);
    else
        fsim_explain_render_text (w.tracer, e, o->destination, out);
    return FSIM_EXIT_OK;
}

static FsimExit
cmd_explain (int argc, char **argv, GError **error)
{
    ExplainOptions o = { 0 };
    g_autoptr (GString) out = g_string_new (NULL);
    FsimExit status = explain_parse (argc, argv, &o, error);
    if (status == FSIM_EXIT_OK && o.help) {
        g_autoptr (GOptionContext) context = explain_context (&o);
        status = fsim_i_cmd_print_help (context, "explain", error);
    } else if (status == FSIM_EXIT_OK) {
        g_autofree char *path = fsim_i_cmd_scenario_path (o.args);
        FsimExplainRequest rq = explain_request (&o);
        fsim_i_warn_overrides_of (path, (const char *const *) o.sets);
        status = fsim_i_explain_render (path, (const char *const *) o.sets, NULL, &rq, out, error);
        if (status == FSIM_EXIT_OK)
            status = fsim_i_cmd_output (o.output, out, error);
    }
    options_clear (&o);
    return status;
}

const FsimCommand fsim_cmd_explain = {
    "explain",
    "Explain why one user's data reached a partner, or why not",
    cmd_explain,
    explain_help,
};
