/* SPDX-License-Identifier: MIT */
/* cmd-report.c: `flowsim report`: one self-contained HTML page about a scenario. */
#include "config.h"

#include <glib.h>

#include "cli-private.h"
#include "cli-sim.h"
#include "diagram.h"
#include "graphviz.h"
#include "html.h"
#include "svg.h"
#include "timeline.h"

typedef struct {
    char *output;
    char *timeline;
    char *top;
    char **sets;
    char **args;
    gboolean no_diagram;
    gboolean help;
} ReportOptions;

typedef struct {
    gboolean timeline;
    FsimDay from, to;
    FsimTimelineStep step;
    FsimDiagramOptions diagram;
} ReportArgs;

static void
report_options_clear (ReportOptions *o)
{
    g_clear_pointer (&o->output, g_free);
    g_clear_pointer (&o->timeline, g_free);
    g_clear_pointer (&o->top, g_free);
    g_clear_pointer (&o->sets, g_strfreev);
    g_clear_pointer (&o->args, g_strfreev);
}

static GOptionContext *
report_context (ReportOptions *o)
{
    const GOptionEntry entries[] = {
        { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o->output,
          "Write the page to FILE (replaced atomically; '-' or none: standard output)", "FILE" },
        { "timeline", 't', 0, G_OPTION_ARG_FILENAME, &o->timeline,
          "Add a timeline from FROM to TO every STEP (e.g. 2010-01-01:2019-01-01:1y)",
          "FROM:TO:STEP" },
        { "top", 'n', 0, G_OPTION_ARG_FILENAME, &o->top,
          "Partners drawn one by one in the diagram (default 20; 0: all)", "N" },
        { "no-diagram", 0, 0, G_OPTION_ARG_NONE, &o->no_diagram,
          "Leave the diagram out (it needs Graphviz's dot)", NULL },
        { "set", 's', 0, G_OPTION_ARG_FILENAME_ARRAY, &o->sets,
          "Override a scenario value (repeatable)", "PATH=VALUE" },
        { "help", 'h', 0, G_OPTION_ARG_NONE, &o->help, "Show this help", NULL },
        { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o->args, NULL, "[SCENARIO]" },
        { 0 },
    };
    return fsim_i_cmd_context (
        "report", NULL, entries,
        "Writes one self-contained HTML page about SCENARIO: its description, assumptions "
        "and\nsources, the population, the key numbers, the flow diagram, where the data went, "
        "the\ntimeline if asked, and the top flows with an example route each. The page has no "
        "script\nand loads nothing: it works offline and can be mailed as it is.",
        "Examples:\n"
        "  flowsim report scenarios/tour.json --output tour.html\n"
        "  flowsim report --timeline 2010-01-01:2019-01-01:1y --output report.html\n\n"
        "Without Graphviz's dot (or FLOWSIM_DOT), the diagram fails with status 4; "
        "pass --no-diagram.\n");
}

static char *
report_help (void)
{
    ReportOptions o = { 0 };
    g_autoptr (GOptionContext) context = report_context (&o);
    return fsim_i_cmd_help (context, "report");
}

/* "FROM:TO:STEP" */
static FsimExit
parse_timeline (const char *text, ReportArgs *a, GError **error)
{
    g_auto (GStrv) parts = g_strsplit (text, ":", -1);
    if (g_strv_length (parts) != 3)
        return fsim_i_cli_usage_error (error, "--timeline '%s' is not FROM:TO:STEP", text);
    if (!fsim_i_cli_parse_day ("--timeline FROM", parts[0], &a->from, error) ||
        !fsim_i_cli_parse_day ("--timeline TO", parts[1], &a->to, error))
        return FSIM_EXIT_USAGE;
    if (a->from > a->to)
        return fsim_i_cli_usage_error (error, "--timeline: %s is after %s", parts[0], parts[1]);
    if (!fsim_timeline_step_parse (parts[2], &a->step))
        return fsim_i_cli_usage_error (error, "--timeline STEP '%s' is not Nd, Nw, Nm or Ny",
                                       parts[2]);
    a->timeline = TRUE;
    return FSIM_EXIT_OK;
}

static FsimExit
report_parse (int argc, char **argv, ReportOptions *o, ReportArgs *a, GError **error)
{
    g_autoptr (GOptionContext) context = report_context (o);
    guint64 top = FSIM_DIAGRAM_DEFAULT_TOP;
    FsimExit status = fsim_i_cmd_parse (context, "report", argc, argv, error);
    if (status != FSIM_EXIT_OK || o->help)
        return status;
    if (!fsim_i_cmd_check_scenario_args (o->args, error))
        return FSIM_EXIT_USAGE;
    if (o->top && !g_ascii_string_to_unsigned (o->top, 10, 0, 100000, &top, NULL))
        return fsim_i_cli_usage_error (error, "--top '%s' is not a number from 0 to 100000",
                                       o->top);
    a->diagram.top = (size_t) top;
    if (o->timeline && (status = parse_timeline (o->timeline, a, error)) != FSIM_EXIT_OK)
        return status;
    return fsim_i_cmd_check_sets (o->sets, error);
}

/* The diagram as a sanitized <svg> element, through Graphviz. */
static char *
diagram_svg (const FsimSim *sim, const FsimDiagramOptions *d, GError **error)
{
    g_autoptr (GString) dot = g_string_new (NULL);
    gsize len = 0;
    fsim_diagram_write_dot (sim->scenario, sim->decisions, sim->result, d, dot);
    g_autoptr (GBytes) svg = fsim_graphviz_render (dot->str, "svg", error);
    if (svg == NULL) {
        g_prefix_error (error, "the diagram (--no-diagram leaves it out): ");
        return NULL;
    }
    const char *data = g_bytes_get_data (svg, &len);
    return fsim_svg_sanitize (data, (gssize) len, error);
}

static FsimExit
report_run (const ReportOptions *o, const ReportArgs *a, GError **error)
{
    FsimExit status = FSIM_EXIT_OK;
    g_autoptr (GString) page = g_string_new (NULL);
    g_autoptr (FsimSim) sim = fsim_i_cli_sim_new (o->args ? o->args[0] : NULL,
                                                     (const char *const *) o->sets, &status, error);
    g_autoptr (FsimTimeline) t = NULL;
    g_autofree char *svg = NULL;

    if (sim == NULL)
        return status;
    if (!o->no_diagram && (svg = diagram_svg (sim, &a->diagram, error)) == NULL)
        return FSIM_EXIT_INTERNAL;
    if (a->timeline) {
        t = fsim_timeline_new (sim->scenario, sim->pop, a->from, a->to, a->step, error);
        if (t == NULL)
            return FSIM_EXIT_INTERNAL;
    }
    FsimHtmlOptions h = { .diagram_svg = svg,
                          .timeline = t,
                          .diagram_note = "The diagram was left out (--no-diagram)." };
    if (!fsim_html_report (sim->scenario, sim->pop, sim->decisions, sim->result, &h, page, error))
        return FSIM_EXIT_INTERNAL;
    return fsim_i_cmd_output (o->output, page, error);
}

static FsimExit
cmd_report (int argc, char **argv, GError **error)
{
    ReportOptions o = { 0 };
    ReportArgs a = { .diagram = { .top = FSIM_DIAGRAM_DEFAULT_TOP } };
    FsimExit status = report_parse (argc, argv, &o, &a, error);

    if (status == FSIM_EXIT_OK && o.help) {
        g_autoptr (GOptionContext) context = report_context (&o);
        status = fsim_i_cmd_print_help (context, "report", error);
    } else if (status == FSIM_EXIT_OK) {
        status = report_run (&o, &a, error);
    }
    report_options_clear (&o);
    return status;
}

const FsimCommand fsim_cmd_report = {
    "report",
    "Write a self-contained HTML report",
    cmd_report,
    report_help,
};
