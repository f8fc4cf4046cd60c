/* SPDX-License-Identifier: MIT */
/* cmd-report.c: `flowsim report`: one self-contained HTML page about a scenario. */
#include "config.h"

#include <string.h>

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
    FsimCliDiagram diagram;
    char **sets;
    char **claims;
    char **highlight;
    char **variants;
    char **args;
    gboolean no_diagram;
    gboolean all;
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
    fsim_i_cli_diagram_clear (&o->diagram);
    g_clear_pointer (&o->sets, g_strfreev);
    g_clear_pointer (&o->claims, g_strfreev);
    g_clear_pointer (&o->highlight, g_strfreev);
    g_clear_pointer (&o->variants, g_strfreev);
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
        { "no-diagram", 0, 0, G_OPTION_ARG_NONE, &o->no_diagram,
          "Leave the diagram out (it needs Graphviz's dot)", NULL },
        { "set", 's', 0, G_OPTION_ARG_FILENAME_ARRAY, &o->sets,
          "Override a scenario value (repeatable)", "PATH=VALUE" },
        FSIM_CLI_CLAIM_OPTION (&o->claims),
        FSIM_CLI_MAX_GRAPH_SIZE_OPTION,
        { "highlight", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->highlight,
          "Lead with this flow and an example route (repeatable), e.g. huawei:profile.religion",
          "PARTNER:FIELD" },
        { "all", 'a', 0, G_OPTION_ARG_NONE, &o->all,
          "A row for every partner: do not fold the unnamed ones into one", NULL },
        { "variant", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->variants,
          "A what-if in a tab of its own (repeatable): NAME, then --set options, e.g. "
          "'Cut-off=--set date=2015-05-01'",
          "NAME=ARGS" },
        { "help", 'h', 0, G_OPTION_ARG_NONE, &o->help, "Show this help", NULL },
        { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o->args, NULL, "[SCENARIO]" },
        { 0 },
    };
    GOptionContext *context = fsim_i_cmd_context (
        "report", NULL, entries,
        "Writes one self-contained HTML page about SCENARIO: its description, assumptions "
        "and\nsources, the population, the key numbers, the flow diagram, where the data went, "
        "the\ntimeline if asked, and the top flows with an example route each. The page has no "
        "script\nand loads nothing: it works offline and can be mailed as it is.",
        "Examples:\n"
        "  flowsim report scenarios/tour.json --output tour.html\n"
        "  flowsim report --timeline 2010-01-01:2019-01-01:1y --output report.html\n"
        "  flowsim report --highlight huawei:profile.religion --output huawei.html\n"
        "  flowsim report scenarios/tour.json --variant 'As reported=' \\\n"
        "      --variant 'After the cut-off=--set date=2015-05-01' --output tabs.html\n\n"
        "Without Graphviz's dot (or FLOWSIM_DOT), the diagram fails with status 4; "
        "pass --no-diagram.\nA diagram too large for Graphviz (it is given at "
        "most\n" FSIM_GRAPHVIZ_MAX_TEXT ") is left out, with a sentence saying why.\n");
    fsim_i_cli_diagram_add (context, &o->diagram);
    return context;
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
        return fsim_i_cli_usage_error (error,
                                       "--timeline STEP '%s' is not Nd, Nw, Nm or Ny (N from 1 "
                                       "to 1000)",
                                       parts[2]);
    a->timeline = TRUE;
    return FSIM_EXIT_OK;
}

static FsimExit
report_parse (int argc, char **argv, ReportOptions *o, ReportArgs *a, GError **error)
{
    g_autoptr (GOptionContext) context = report_context (o);
    FsimExit status = fsim_i_cmd_parse (context, "report", argc, argv, error);
    if (status != FSIM_EXIT_OK || o->help)
        return status;
    if (!fsim_i_cmd_check_scenario_args (o->args, error))
        return FSIM_EXIT_USAGE;
    if ((status = fsim_i_cli_diagram_parse (&o->diagram, &a->diagram, error)) != FSIM_EXIT_OK)
        return status;
    if (o->timeline && (status = parse_timeline (o->timeline, a, error)) != FSIM_EXIT_OK)
        return status;
    return fsim_i_cmd_check_overrides (&o->sets, o->claims, error);
}

/* The diagram as a sanitized <svg> element, through Graphviz. A diagram too large for Graphviz
 * (FSIM_GRAPHVIZ_ERROR_TOO_LARGE) is left out: NULL with *@out_note saying why (transfer full)
 * and @error not set. */
static char *
diagram_svg (const FsimSim *sim, const FsimDiagramOptions *d, char **out_note, GError **error)
{
    g_autoptr (GString) svg = g_string_new (NULL); /* the DOT, then the drawing in its place */
    g_autoptr (GError) local = NULL;
    if (!fsim_diagram_write_dot (sim->scenario, sim->decisions, sim->result, d, svg, error))
        return NULL;
    if (fsim_graphviz_convert (fsim_i_cli_dot_program (), svg, "svg", &fsim_diagram_layout,
                               &local)) {
        char *sanitized = fsim_svg_sanitize (svg->str, (gssize) svg->len, error);
        if (sanitized == NULL)
            g_prefix_error (error,
                            "the diagram (--no-diagram leaves it out): Graphviz's drawing: ");
        return sanitized;
    }
    if (g_error_matches (local, FSIM_GRAPHVIZ_ERROR, FSIM_GRAPHVIZ_ERROR_TOO_LARGE)) {
        *out_note = g_strdup_printf ("The diagram was left out: %s.", local->message);
        return NULL;
    }
    g_propagate_error (error, g_steal_pointer (&local));
    g_prefix_error (error, "the diagram (--no-diagram leaves it out): ");
    return NULL;
}

/* One tab of the page: its name and the --set options of its what-if (transfer full). */
typedef struct {
    char *name;
    char *args;
    GPtrArray *sets; /* char *, NULL-terminated: the report's --set, then the variant's */
    FsimSim *sim;
    char *svg;
    char *note; /* why there is no diagram, when it was too large for Graphviz */
    FsimTimeline *timeline;
} Variant;

static void
variant_clear (gpointer data)
{
    Variant *v = data;
    g_free (v->name);
    g_free (v->args);
    g_clear_pointer (&v->sets, g_ptr_array_unref); /* NULL when NAME=ARGS was malformed */
    fsim_sim_free (v->sim);
    g_free (v->svg);
    g_free (v->note);
    fsim_timeline_free (v->timeline);
}

/* "NAME=ARGS": ARGS are --set PATH=VALUE options (quoted as in a shell), nothing else. */
static FsimExit
parse_variant (const char *text, char *const *sets, Variant *v, GError **error)
{
    const char *eq = strchr (text, '=');
    g_auto (GStrv) argv = NULL;
    int argc = 0;
    if (eq == NULL || eq == text)
        return fsim_i_cli_usage_error (error, "--variant '%s' is not NAME=ARGS", text);
    v->name = g_strndup (text, (size_t) (eq - text));
    v->args = g_strdup (eq + 1);
    v->sets = g_ptr_array_new_with_free_func (g_free);
    for (char *const *s = sets; s && *s; s++)
        g_ptr_array_add (v->sets, g_strdup (*s));
    g_autofree char *trimmed = g_strstrip (g_strdup (eq + 1));
    g_autoptr (GError) why = NULL; /* GLib's words: an unmatched quote, say */
    if (*trimmed != '\0' && !g_shell_parse_argv (trimmed, &argc, &argv, &why))
        return fsim_i_cli_usage_error (error, "--variant '%s': cannot read its arguments: %s",
                                       v->name, why->message);
    for (int i = 0; i < argc; i++) {
        const char *value = NULL;
        if ((strcmp (argv[i], "--set") == 0 || strcmp (argv[i], "-s") == 0) && i + 1 < argc)
            value = argv[++i];
        else if (g_str_has_prefix (argv[i], "--set="))
            value = argv[i] + 6;
        if (value == NULL)
            return fsim_i_cli_usage_error (error,
                                           "--variant '%s': '%s' is not --set PATH=VALUE "
                                           "(a variant only changes scenario values)",
                                           v->name, argv[i]);
        g_ptr_array_add (v->sets, g_strdup (value));
    }
    g_ptr_array_add (v->sets, NULL);
    return fsim_i_cmd_check_sets ((char **) v->sets->pdata, error);
}

/* Runs @v: the simulation, its diagram and its timeline. A warning about its overrides that an
 * earlier variant gave (the report's own --set) is in @said, and is not given again. */
static FsimExit
run_variant (const ReportOptions *o, const ReportArgs *a, Variant *v, GHashTable *said,
             GError **error)
{
    FsimExit status = FSIM_EXIT_OK;
    v->sim = fsim_i_cli_sim_new (o->args ? o->args[0] : NULL, (const char *const *) v->sets->pdata,
                                 &status, error);
    if (v->sim == NULL)
        return status;
    fsim_i_warn_overrides_once (v->sim->scenario->path, (const char *const *) v->sets->pdata,
                                v->sim->scenario, said);
    status = fsim_i_cli_diagram_check (&o->diagram, v->sim->scenario, error);
    if (status != FSIM_EXIT_OK)
        return status;
    if (!o->no_diagram && (v->svg = diagram_svg (v->sim, &a->diagram, &v->note, error)) == NULL &&
        v->note == NULL)
        return FSIM_EXIT_INTERNAL;
    if (a->timeline) {
        g_autoptr (GError) local = NULL;
        v->timeline =
            fsim_timeline_new (v->sim->scenario, v->sim->pop, a->from, a->to, a->step, &local);
        if (v->timeline == NULL) {
            /* too many dates, or over the time budget: a usage error, as in `flowsim timeline` */
            status = g_error_matches (local, FSIM_TIMELINE_ERROR, FSIM_TIMELINE_ERROR_RANGE)
                         ? FSIM_EXIT_USAGE
                         : FSIM_EXIT_INTERNAL;
            g_propagate_error (error, g_steal_pointer (&local));
            return status;
        }
    }
    return FSIM_EXIT_OK;
}

static FsimExit
report_run (const ReportOptions *o, const ReportArgs *a, GError **error)
{
    FsimExit status = FSIM_EXIT_OK;
    g_autoptr (GString) page = g_string_new (NULL);
    g_autoptr (GArray) variants = g_array_new (FALSE, TRUE, sizeof (Variant));
    g_array_set_clear_func (variants, variant_clear);
    g_autoptr (GArray) runs = g_array_new (FALSE, TRUE, sizeof (FsimHtmlRun));
    g_autoptr (GHashTable) said = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

    for (char **text = o->variants; text && *text; text++) {
        g_array_set_size (variants, variants->len + 1);
        Variant *v = &g_array_index (variants, Variant, variants->len - 1);
        if ((status = parse_variant (*text, o->sets, v, error)) != FSIM_EXIT_OK)
            return status;
    }
    if (variants->len == 0) {
        g_array_set_size (variants, 1);
        Variant *v = &g_array_index (variants, Variant, 0);
        v->sets = g_ptr_array_new_with_free_func (g_free);
        for (char **s = o->sets; s && *s; s++)
            g_ptr_array_add (v->sets, g_strdup (*s));
        g_ptr_array_add (v->sets, NULL);
    }
    for (size_t i = 0; i < variants->len; i++) {
        Variant *v = &g_array_index (variants, Variant, i);
        if ((status = run_variant (o, a, v, said, error)) != FSIM_EXIT_OK) {
            if (v->name)
                g_prefix_error (error, "variant '%s': ", v->name);
            return status;
        }
        FsimHtmlRun run = { .name = v->name,
                            .args = v->args && *v->args ? v->args : NULL,
                            .scenario = v->sim->scenario,
                            .pop = v->sim->pop,
                            .decisions = v->sim->decisions,
                            .result = v->sim->result,
                            .diagram_svg = v->svg,
                            .diagram_note = v->note,
                            .timeline = v->timeline };
        g_array_append_val (runs, run);
    }
    FsimHtmlOptions h = { .diagram_note = "The diagram was left out (--no-diagram).",
                          .highlight = (const char *const *) o->highlight,
                          .all = o->all };
    g_autoptr (GError) local = NULL;
    if (!fsim_html_report_variants ((const FsimHtmlRun *) (void *) runs->data, runs->len, &h, page,
                                    &local)) {
        if (g_error_matches (local, FSIM_HTML_ERROR, FSIM_HTML_ERROR_HIGHLIGHT))
            return fsim_i_cli_usage_error (error, "%s", local->message); /* one line */
        g_propagate_error (error, g_steal_pointer (&local));
        return FSIM_EXIT_INTERNAL;
    }
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
