/* SPDX-License-Identifier: MIT */
/* cmd-possible.c: `flowsim possible`: which flows could happen to some user, with no population. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "analysis-private.h"
#include "cmd-analysis.h"
#include "loader.h"
#include "possible-report.h"
#include "room.h"

typedef struct {
    char *field;
    char *partner;
    char *date;
    char *format;
    char *output;
    char **sets;
    char **claims;
    char **args;
    gboolean help;
} PossibleOptions;

static GOptionContext *
possible_context (PossibleOptions *o)
{
    const GOptionEntry entries[] = {
        { "field", 0, 0, G_OPTION_ARG_FILENAME, &o->field,
          "Only this field, or the fields a field pattern selects", "FIELD" },
        { "partner", 'p', 0, G_OPTION_ARG_FILENAME, &o->partner,
          "Only this partner, or those a selector selects (an id, a glob, kind:K, tag:T)",
          "PARTNER" },
        { "date", 0, 0, G_OPTION_ARG_FILENAME, &o->date,
          "The day to analyse (YYYY-MM-DD; default: the scenario's date, required for a "
          "policy file)",
          "DATE" },
        { "format", 'f', 0, G_OPTION_ARG_FILENAME, &o->format, "text (the default) or json",
          "FORMAT" },
        { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o->output,
          "Write to FILE (replaced atomically; '-' is standard output)", "FILE" },
        { "set", 's', 0, G_OPTION_ARG_FILENAME_ARRAY, &o->sets,
          "Override a scenario value (repeatable)", "PATH=VALUE" },
        FSIM_CLI_CLAIM_OPTION (&o->claims),
        { "help", 'h', 0, G_OPTION_ARG_NONE, &o->help, "Show this help", NULL },
        { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o->args, NULL, "[SCENARIO]" },
        { 0 },
    };
    return fsim_i_cmd_context (
        "possible", NULL, entries,
        "For every field, partner and destination, says whether ANY user could have that "
        "flow on\nthe date, through which channels, and the least restrictive user settings or "
        "friend\nsituations under which it would be blocked. No population is built. Takes a "
        "scenario or a\npolicy file; without one, the bundled " FSIM_CLI_DEFAULT_SCENARIO ".",
        "Examples:\n"
        "  flowsim possible scenarios/tour.json --field profile.religion\n"
        "  flowsim possible policies/device-integrated.json --date 2018-06-08 --format json\n");
}

static char *
possible_help (void)
{
    PossibleOptions o = { 0 };
    g_autoptr (GOptionContext) context = possible_context (&o);
    return fsim_i_cmd_help (context, "possible");
}

static void
options_clear (PossibleOptions *o)
{
    g_free (o->field);
    g_free (o->partner);
    g_free (o->date);
    g_free (o->format);
    g_free (o->output);
    g_strfreev (o->sets);
    g_strfreev (o->claims);
    g_strfreev (o->args);
}

static FsimExit
possible_parse (int argc, char **argv, PossibleOptions *o, gboolean *json, FsimDay *day,
                GError **error)
{
    g_autoptr (GOptionContext) context = possible_context (o);
    FsimExit status = fsim_i_cmd_parse (context, "possible", argc, argv, error);
    if (status != FSIM_EXIT_OK || o->help)
        return status;
    if (!fsim_i_cmd_check_scenario_args (o->args, error))
        return FSIM_EXIT_USAGE;
    *json = o->format && strcmp (o->format, "json") == 0;
    if (o->format && !*json && strcmp (o->format, "text") != 0)
        return fsim_i_cli_usage_error (error, "unknown format '%s' (expected text or json)",
                                       o->format);
    if (o->date && !fsim_i_cli_parse_day ("--date", o->date, day, error))
        return FSIM_EXIT_USAGE;
    return fsim_i_cmd_check_overrides (&o->sets, o->claims, error);
}

static FsimExit
possible_run (const PossibleOptions *o, gboolean json, FsimDay day, GString *out, GError **error)
{
    g_autofree char *path = fsim_i_cmd_scenario_path (o->args);
    g_autoptr (FsimScenario) s = fsim_loader_load (path, (const char *const *) o->sets, error);
    if (!s)
        return FSIM_EXIT_INPUT;
    fsim_i_warn_overrides (s->path, (const char *const *) o->sets, s);
    if (!o->date && !s->id)
        return fsim_i_cli_usage_error (error,
                                       "%s is a policy file, which has no date: give "
                                       "--date",
                                       path);
    g_autofree FsimWord *fields = NULL;
    g_autofree FsimWord *partners = NULL;
    if (o->field && !(fields = fsim_scenario_select_fields (s, o->field)))
        return fsim_i_cli_usage_error (error, "--field '%s' selects no field of the scenario",
                                       o->field);
    if (o->partner) {
        FsimExit status = fsim_i_cli_check_partner (s, "--partner", o->partner, &partners, error);
        if (status != FSIM_EXIT_OK)
            return status;
    }
    if (!fsim_i_check_pairs (s, fields, partners, "possible", error))
        return FSIM_EXIT_USAGE;
    g_autoptr (FsimPossible) pp =
        fsim_possible_new (s, o->date ? day : s->date, fields, partners, error);
    if (!pp)
        return FSIM_EXIT_INTERNAL;
    if (!fsim_room_reserve (out, fsim_possible_room (pp, json), "the answer", error))
        return FSIM_EXIT_INTERNAL;
    if (json)
        fsim_possible_render_json (pp, out);
    else
        fsim_possible_render_text (pp, out);
    return FSIM_EXIT_OK;
}

static FsimExit
cmd_possible (int argc, char **argv, GError **error)
{
    PossibleOptions o = { 0 };
    gboolean json = FALSE;
    FsimDay day = 0;
    g_autoptr (GString) out = g_string_new (NULL);
    FsimExit status = possible_parse (argc, argv, &o, &json, &day, error);
    if (status == FSIM_EXIT_OK && o.help) {
        g_autoptr (GOptionContext) context = possible_context (&o);
        status = fsim_i_cmd_print_help (context, "possible", error);
    } else if (status == FSIM_EXIT_OK) {
        status = possible_run (&o, json, day, out, error);
        if (status == FSIM_EXIT_OK)
            status = fsim_i_cmd_output (o.output, out, error);
    }
    options_clear (&o);
    return status;
}

const FsimCommand fsim_cmd_possible = {
    "possible",
    "Which flows could happen to some user, with no population",
    cmd_possible,
    possible_help,
};
