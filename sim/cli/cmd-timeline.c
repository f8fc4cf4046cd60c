/* SPDX-License-Identifier: MIT */
/* cmd-timeline.c: `flowsim timeline`: one population evaluated at a series of dates. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "cli-commands.h"
#include "cli-mpi.h"
#include "cli-private.h"
#include "cli-sim.h"
#include "room.h"
#include "timeline.h"

typedef struct {
    char *from, *to, *step;
    char *format;
    char *output;
    char **sets;
    char **claims;
    char **series;
    char **args;
    gboolean help;
    FsimFocusOptions focus;
} TimelineOptions;

static void
timeline_options_clear (TimelineOptions *o)
{
    g_clear_pointer (&o->from, g_free);
    g_clear_pointer (&o->to, g_free);
    g_clear_pointer (&o->step, g_free);
    g_clear_pointer (&o->format, g_free);
    g_clear_pointer (&o->output, g_free);
    g_clear_pointer (&o->sets, g_strfreev);
    g_clear_pointer (&o->claims, g_strfreev);
    g_clear_pointer (&o->series, g_strfreev);
    g_clear_pointer (&o->args, g_strfreev);
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
        FSIM_CLI_CLAIM_OPTION (&o->claims),
        FSIM_CLI_MAX_GRAPH_SIZE_OPTION,
        { "series", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->series,
          "The chart's panels (svg; repeatable): jurisdiction, kind, or partner:SEL[,SEL...] "
          "(an id, a glob, kind:K, tag:T) for one line per partner (text and json: a series "
          "per partner)",
          "SERIES" },
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
        "      --series partner:huawei,lenovo --output huawei-lenovo.svg\n"
        "  flowsim timeline --from 2017-01-01 --to 2019-01-01 --step 3m --partner tag:china\n");
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

FsimExit
fsim_i_timeline_check_range (const char *from, const char *to, const char *step,
                             FsimTimelineArgs *a, GError **error)
{
    if (from == NULL || to == NULL)
        return fsim_i_cli_usage_error (error, "--from and --to are required");
    if (!fsim_i_cli_parse_day ("--from", from, &a->from, error) ||
        !fsim_i_cli_parse_day ("--to", to, &a->to, error))
        return FSIM_EXIT_USAGE;
    if (a->from > a->to)
        return fsim_i_cli_usage_error (error, "--from %s is after --to %s", from, to);
    if (step && !fsim_timeline_step_parse (step, &a->step))
        return fsim_i_cli_usage_error (error,
                                       "--step '%s' is not Nd, Nw, Nm or Ny (N from 1 "
                                       "to 1000)",
                                       step);
    return FSIM_EXIT_OK;
}

static FsimExit
timeline_check (const TimelineOptions *o, FsimTimelineArgs *a, GError **error)
{
    if (!fsim_i_cmd_check_scenario_args (o->args, error))
        return FSIM_EXIT_USAGE;
    FsimExit status = fsim_i_timeline_check_range (o->from, o->to, o->step, a, error);
    if (status != FSIM_EXIT_OK)
        return status;
    if (o->format && !fsim_timeline_format_from_string (o->format, &a->format))
        return fsim_i_cli_usage_error (error, "unknown format '%s' (expected text, json or svg)",
                                       o->format);
    if (!o->format && o->output && g_str_has_suffix (o->output, ".json"))
        a->format = FSIM_TIMELINE_JSON;
    if (!o->format && o->output && g_str_has_suffix (o->output, ".svg"))
        a->format = FSIM_TIMELINE_SVG;
    for (char **x = o->series; x && *x && a->format != FSIM_TIMELINE_SVG; x++)
        if (!g_str_has_prefix (*x, "partner:"))
            return fsim_i_cli_usage_error (error,
                                           "--series '%s' chooses a panel of the svg "
                                           "chart (--format svg); text and json take "
                                           "partner:SEL",
                                           *x);
    a->series = (const char *const *) o->series;
    a->focus = fsim_i_focus_given (&o->focus) ? &o->focus : NULL;
    return FSIM_EXIT_OK;
}

static FsimExit
timeline_parse (int argc, char **argv, TimelineOptions *o, FsimTimelineArgs *a, GError **error)
{
    g_autoptr (GOptionContext) context = timeline_context (o);
    FsimExit status = fsim_i_cmd_parse (context, "timeline", argc, argv, error);
    if (status != FSIM_EXIT_OK || o->help)
        return status;
    status = fsim_i_cmd_check_overrides (&o->sets, o->claims, error);
    return status == FSIM_EXIT_OK ? timeline_check (o, a, error) : status;
}

/* One --series value into @chart: "jurisdiction", "kind" (each alone leaves the other out) or
 * "partner:SEL[,SEL...]" (the strings are added to @selectors, NULL-terminated, which
 * @chart->partners then points into). A usage error for anything else, or a selector that
 * selects no partner of @scenario. */
static gboolean
add_series (const FsimScenario *scenario, const char *series, FsimTimelineChart *chart,
            GPtrArray *selectors, GError **error)
{
    if (strcmp (series, "jurisdiction") == 0 || strcmp (series, "kind") == 0) {
        gboolean jur = series[0] == 'j';
        chart->no_kinds = chart->no_kinds || jur;
        chart->no_jurisdictions = chart->no_jurisdictions || !jur;
        return TRUE;
    }
    if (!g_str_has_prefix (series, "partner:") || series[8] == '\0') {
        fsim_i_cli_usage_error (error,
                                "--series '%s' is not jurisdiction, kind or "
                                "partner:SELECTOR[,SELECTOR...]",
                                series);
        return FALSE;
    }
    g_auto (GStrv) parts = g_strsplit (series + 8, ",", -1);
    for (char **sel = parts; *sel; sel++) {
        gboolean any = FALSE;
        for (size_t p = 0; p < scenario->n_partners && !any; p++)
            any = fsim_partner_selector_matches (&scenario->partners[p], *sel);
        if (!any) {
            fsim_i_cli_usage_error (error,
                                    "--series: '%s' selects no partner (an id, a glob, kind:K "
                                    "or tag:T)",
                                    *sel);
            return FALSE;
        }
        if (selectors->len > 0 && g_ptr_array_index (selectors, selectors->len - 1) == NULL)
            g_ptr_array_remove_index (selectors, selectors->len - 1);
        g_ptr_array_add (selectors, g_strdup (*sel));
        g_ptr_array_add (selectors, NULL);
    }
    chart->partners = (const char *const *) selectors->pdata;
    return TRUE;
}

/* Every --series of @a against @scenario, before anything is built or traced: the usage error
 * of add_series() for the first that is wrong. */
gboolean
fsim_i_timeline_series_ok (const FsimScenario *scenario, const FsimTimelineArgs *a, GError **error)
{
    FsimTimelineChart probe = { 0 };
    g_autoptr (GPtrArray) selectors = g_ptr_array_new_with_free_func (g_free);

    for (const char *const *s = a->series; s && *s; s++)
        if (!add_series (scenario, *s, &probe, selectors, error))
            return FALSE;
    return TRUE;
}

/* Loads @path, checks the series of @a against it, and builds (or borrows) its population,
 * without tracing it on the scenario's own date: the timeline traces what it needs. */
static FsimExit
load_untraced (FsimCliSim *cs, const char *path, const char *const *sets,
               const FsimPopulationSource *source, const FsimTimelineArgs *a, GError **error)
{
    g_autofree char *default_path = path ? NULL : fsim_cli_default_scenario_path ();
    const FsimSimOptions options = { .sets = sets };
    cs->sim = fsim_sim_load (path ? path : default_path, &options, error);
    if (!cs->sim)
        return FSIM_EXIT_INPUT;
    if (!fsim_i_timeline_series_ok (cs->sim->scenario, a, error))
        return FSIM_EXIT_USAGE;
    cs->source = source;
    return fsim_i_cli_sim_build (cs->sim, source, error) ? FSIM_EXIT_OK : FSIM_EXIT_INPUT;
}

/* The partners of the text and JSON per-partner series: those of every --series partner:SEL,
 * or else the focused ones (transfer full; NULL: no series). */
static FsimWord *
series_partners (const FsimScenario *s, const FsimTimelineArgs *a, const FsimFocus *focus)
{
    FsimWord *set = NULL;
    for (const char *const *x = a->series; x && *x; x++) {
        if (!g_str_has_prefix (*x, "partner:"))
            continue;
        g_auto (GStrv) parts = g_strsplit (*x + 8, ",", -1);
        for (char **sel = parts; *sel; sel++) {
            g_autofree FsimWord *one = fsim_scenario_select_partners (s, *sel);
            if (!set)
                set = fsim_bits_new (s->partner_words);
            if (one)
                fsim_bits_or (set, one, s->partner_words);
        }
    }
    if (!set && focus && focus->partners)
        set = g_memdup2 (focus->partners, s->partner_words * sizeof (FsimWord));
    return set;
}

/* The timeline of one process: @path's population, built (or borrowed from @source) and traced
 * at every date that needs it. */
static FsimExit
timeline_whole (FsimCliSim *cs, const char *path, const char *const *sets,
                const FsimPopulationSource *source, const FsimTimelineArgs *a, FsimFocus *focus,
                FsimTimeline **out_timeline, GError **error)
{
    FsimExit status = load_untraced (cs, path, sets, source, a, error);
    g_autoptr (GError) local = NULL;

    if (status != FSIM_EXIT_OK)
        return status;
    const FsimSim *sim = cs->sim;
    if (a->focus && (status = fsim_i_focus_resolve (a->focus, sim->scenario, focus, error)))
        return status;
    if (a->warn)
        fsim_i_warn_overrides (sim->scenario->path, sets, sim->scenario);
    *out_timeline = fsim_timeline_new_focused (sim->scenario, sim->pop, a->from, a->to, a->step,
                                               a->focus ? focus : NULL, &local);
    if (*out_timeline == NULL) {
        status = g_error_matches (local, FSIM_TIMELINE_ERROR, FSIM_TIMELINE_ERROR_RANGE)
                     ? FSIM_EXIT_USAGE
                     : FSIM_EXIT_INTERNAL;
        g_propagate_error (error, g_steal_pointer (&local));
    }
    return status;
}

FsimExit
fsim_i_timeline_render_to (const char *path, const char *const *sets,
                           const FsimPopulationSource *source, const FsimTimelineArgs *a,
                           GString *out, GError **error)
{
    g_auto (FsimCliSim) cs = { 0 };
    g_autoptr (FsimTimeline) t = NULL;
    g_auto (FsimFocus) focus = { 0 };
    FsimExit status;

#if FSIM_HAVE_MPI
    if (fsim_i_cli_mpi_active ()) { /* every rank gets the whole timeline (docs/scaling.md) */
        g_autofree char *default_path = path ? NULL : fsim_cli_default_scenario_path ();
        status = fsim_i_cli_mpi_timeline (path ? path : default_path, sets, a, &cs.sim, &focus, &t,
                                          error);
    } else
#endif
        status = timeline_whole (&cs, path, sets, source, a, &focus, &t, error);
    if (status != FSIM_EXIT_OK)
        return status;
    const FsimSim *sim = cs.sim;
    FsimTimelineChart chart = { 0 };
    g_autoptr (GPtrArray) selectors = g_ptr_array_new_with_free_func (g_free);
    for (const char *const *s = a->series; s && *s; s++)
        if (!add_series (sim->scenario, *s, &chart, selectors, error))
            return FSIM_EXIT_USAGE;
    for (char **sel = a->format == FSIM_TIMELINE_SVG && !chart.partners && a->focus
                          ? a->focus->partner
                          : NULL;
         sel && *sel; sel++) {
        /* focused on partners: their panel, as --series partner:SEL would draw it */
        g_autofree char *series = g_strconcat ("partner:", *sel, NULL);
        if (!add_series (sim->scenario, series, &chart, selectors, error))
            return FSIM_EXIT_USAGE;
    }
    g_autofree FsimWord *partners =
        a->format == FSIM_TIMELINE_SVG
            ? NULL
            : series_partners (sim->scenario, a, a->focus ? &focus : NULL);
    if (!fsim_room_reserve (out,
                            fsim_timeline_room (sim->scenario, t, partners, chart.partners != NULL),
                            "the timeline", error))
        return FSIM_EXIT_INTERNAL;
    if (a->format == FSIM_TIMELINE_SVG)
        fsim_timeline_write_svg (sim->scenario, t, &chart, FALSE, out);
    else
        fsim_timeline_render_partners (sim->scenario, t, a->format, partners, out);
    return FSIM_EXIT_OK;
}

static FsimExit
timeline_run (const TimelineOptions *o, const FsimTimelineArgs *a, GError **error)
{
    g_autoptr (GString) out = g_string_new (NULL);
    FsimTimelineArgs warned = *a;
    warned.warn = TRUE;
    FsimExit status = fsim_i_timeline_render_to (
        o->args ? o->args[0] : NULL, (const char *const *) o->sets, NULL, &warned, out, error);
    /* under mpirun every rank renders it (the same usage errors everywhere); rank 0 writes */
    return status == FSIM_EXIT_OK && fsim_i_cli_mpi_rank () == 0
               ? fsim_i_cmd_output (o->output, out, error)
               : status;
}

static FsimExit
cmd_timeline (int argc, char **argv, GError **error)
{
    TimelineOptions o = { 0 };
    FsimTimelineArgs a = FSIM_TIMELINE_ARGS_INIT;
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
