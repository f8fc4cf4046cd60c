/* SPDX-License-Identifier: MIT */
/* cmd-timeline.c: `flowsim timeline`: one population evaluated at a series of dates. */
#include "config.h"

#include <glib.h>

#include "cli-private.h"
#include "cli-sim.h"
#include "timeline.h"

typedef struct {
    char *from, *to, *step;
    char *format;
    char *output;
    char **sets;
    char **args;
    char **series;
    gboolean help;
    FsimFocusOptions focus;
} TimelineOptions;

typedef struct {
    FsimDay from, to;
    FsimTimelineStep step;
    FsimTimelineFormat format;
} TimelineArgs;

static void
timeline_options_clear (TimelineOptions *o)
{
    g_clear_pointer (&o->from, g_free);
    g_clear_pointer (&o->to, g_free);
    g_clear_pointer (&o->step, g_free);
    g_clear_pointer (&o->format, g_free);
    g_clear_pointer (&o->output, g_free);
    g_clear_pointer (&o->sets, g_strfreev);
    g_clear_pointer (&o->args, g_strfreev);
    g_clear_pointer (&o->series, g_strfreev);
    fsim_i_focus_options_clear (&o->focus);
}

static GOptionContext *
timeline_context (TimelineOptions *o)
{
    const GOptionEntry entries[] = {
        { "from", 0, 0, G_OPTION_ARG_FILENAME, &o->from, "First date (required)", "DATE" },
        { "to", 0, 0, G_OPTION_ARG_FILENAME, &o->to, "Last date (required)", "DATE" },
        { "step", 0, 0, G_OPTION_ARG_FILENAME, &o->step,
          "Time between dates: Nd, Nw, Nm or Ny, e.g. 1m, 3m, 1y (default 1y)", "STEP" },
        { "format", 'f', 0, G_OPTION_ARG_FILENAME, &o->format,
          "text (the default, or from the --output suffix), json or svg (a line chart)", "FORMAT" },
        { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o->output,
          "Write to FILE (replaced atomically; '-' is standard output)", "FILE" },
        { "set", 's', 0, G_OPTION_ARG_FILENAME_ARRAY, &o->sets,
          "Override a scenario value (repeatable)", "PATH=VALUE" },
        { "series", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o->series,
          "Also a series per partner the selector selects (an id, a glob, kind:K, tag:T), "
          "beside the kind and jurisdiction series (repeatable)", "partner:SEL" },
        { "help", 'h', 0, G_OPTION_ARG_NONE, &o->help, "Show this help", NULL },
        { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o->args, NULL, "[SCENARIO]" },
        { 0 },
    };
    GOptionContext *context = fsim_i_cmd_context (
        "timeline", NULL, entries,
        "Runs SCENARIO's population (built once) at every date from --from to --to: the "
        "rules,\nAPIs and sharing in force change with the date, the people do not. Prints the "
        "users\nreached per jurisdiction and per partner kind, with and without consent, and the "
        "policy\nchanges in the range.",
        "Examples:\n"
        "  flowsim timeline scenarios/tour.json --from 2013-01-01 --to 2019-01-01 --step 3m\n"
        "  flowsim timeline --from 2010-01-01 --to 2019-01-01 --output timeline.svg\n"
        "  flowsim timeline --from 2017-01-01 --to 2019-01-01 --step 1m \\\n"
        "      --series partner:tag:china\n");
    fsim_i_focus_add_entries (context, &o->focus);
    return context;
}

static char *
timeline_help (void)
{
    TimelineOptions o = { 0 };
    g_autoptr (GOptionContext) context = timeline_context (&o);
    return fsim_i_cmd_help (context, "timeline");
}

static FsimExit
timeline_check (const TimelineOptions *o, TimelineArgs *a, GError **error)
{
    if (!fsim_i_cmd_check_scenario_args (o->args, error))
        return FSIM_EXIT_USAGE;
    if (o->from == NULL || o->to == NULL)
        return fsim_i_cli_usage_error (error, "--from and --to are required");
    if (!fsim_i_cli_parse_day ("--from", o->from, &a->from, error) ||
        !fsim_i_cli_parse_day ("--to", o->to, &a->to, error))
        return FSIM_EXIT_USAGE;
    if (a->from > a->to)
        return fsim_i_cli_usage_error (error, "--from %s is after --to %s", o->from, o->to);
    if (o->step && !fsim_timeline_step_parse (o->step, &a->step))
        return fsim_i_cli_usage_error (error,
                                       "--step '%s' is not Nd, Nw, Nm or Ny (N from 1 "
                                       "to 1000)",
                                       o->step);
    for (char **x = o->series; x && *x; x++)
        if (!g_str_has_prefix (*x, "partner:") || !(*x)[8])
            return fsim_i_cli_usage_error (error, "--series '%s': expected partner:SELECTOR (the "
                                           "kind and jurisdiction series are always shown)", *x);
    if (o->format && !fsim_timeline_format_from_string (o->format, &a->format))
        return fsim_i_cli_usage_error (error, "unknown format '%s' (expected text, json or svg)",
                                       o->format);
    if (!o->format && o->output && g_str_has_suffix (o->output, ".json"))
        a->format = FSIM_TIMELINE_JSON;
    if (!o->format && o->output && g_str_has_suffix (o->output, ".svg"))
        a->format = FSIM_TIMELINE_SVG;
    return FSIM_EXIT_OK;
}

static FsimExit
timeline_parse (int argc, char **argv, TimelineOptions *o, TimelineArgs *a, GError **error)
{
    g_autoptr (GOptionContext) context = timeline_context (o);
    FsimExit status = fsim_i_cmd_parse (context, "timeline", argc, argv, error);
    if (status != FSIM_EXIT_OK || o->help)
        return status;
    status = fsim_i_cmd_check_sets (o->sets, error);
    return status == FSIM_EXIT_OK ? timeline_check (o, a, error) : status;
}

static FsimExit
timeline_run (const TimelineOptions *o, const TimelineArgs *a, GError **error)
{
    FsimExit status = FSIM_EXIT_OK;
    g_autoptr (GString) out = g_string_new (NULL);
    g_autoptr (FsimSim) sim = fsim_i_cli_sim_new (o->args ? o->args[0] : NULL,
                                                     (const char *const *) o->sets, &status, error);
    g_autoptr (FsimTimeline) t = NULL;
    g_autoptr (GError) local = NULL;

    if (sim == NULL)
        return status;
    g_auto (FsimFocus) focus = { 0 };
    status = fsim_i_focus_resolve (&o->focus, sim->scenario, &focus, error);
    if (status != FSIM_EXIT_OK)
        return status;
    g_autofree FsimWord *series = NULL;
    for (char **x = o->series; x && *x; x++) {
        g_autofree FsimWord *one = fsim_scenario_select_partners (sim->scenario, *x + 8);
        if (!one)
            return fsim_i_cli_usage_error (error, "--series '%s' selects no partner", *x);
        if (!series)
            series = fsim_bits_new (sim->scenario->partner_words);
        for (size_t w = 0; w < sim->scenario->partner_words; w++)
            series[w] |= one[w];
    }
    t = fsim_timeline_new_full (sim->scenario, sim->pop, a->from, a->to, a->step,
                                fsim_i_focus_given (&o->focus) ? &focus : NULL, series, &local);
    if (t == NULL) {
        status = g_error_matches (local, FSIM_TIMELINE_ERROR, FSIM_TIMELINE_ERROR_RANGE)
                     ? FSIM_EXIT_USAGE
                     : FSIM_EXIT_INTERNAL;
        g_propagate_error (error, g_steal_pointer (&local));
        return status;
    }
    fsim_timeline_render (sim->scenario, t, a->format, out);
    return fsim_i_cmd_output (o->output, out, error);
}

static FsimExit
cmd_timeline (int argc, char **argv, GError **error)
{
    TimelineOptions o = { 0 };
    TimelineArgs a = { .step = { 12, TRUE }, .format = FSIM_TIMELINE_TEXT };
    FsimExit status = timeline_parse (argc, argv, &o, &a, error);

    if (status == FSIM_EXIT_OK && o.help) {
        g_autoptr (GOptionContext) context = timeline_context (&o);
        status = fsim_i_cmd_print_help (context, "timeline", error);
    } else if (status == FSIM_EXIT_OK) {
        status = timeline_run (&o, &a, error);
    }
    timeline_options_clear (&o);
    return status;
}

const FsimCommand fsim_cmd_timeline = {
    "timeline",
    "Evaluate a scenario at a series of dates",
    cmd_timeline,
    timeline_help,
};
