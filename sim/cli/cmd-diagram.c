/* SPDX-License-Identifier: MIT */
/* cmd-diagram.c: `flowsim diagram`: draw a scenario's flows as DOT, SVG or PNG. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "cli-commands.h"
#include "cli-private.h"
#include "cli-sim.h"
#include "diagram.h"
#include "graphviz.h"

typedef struct {
    char *format;
    char *output;
    FsimCliDiagram diagram;
    char **sets;
    char **claims;
    char **args;
    gboolean help;
} DiagramOptions;

static void
diagram_options_clear (DiagramOptions *o)
{
    g_clear_pointer (&o->format, g_free);
    g_clear_pointer (&o->output, g_free);
    fsim_i_cli_diagram_clear (&o->diagram);
    g_clear_pointer (&o->sets, g_strfreev);
    g_clear_pointer (&o->claims, g_strfreev);
    g_clear_pointer (&o->args, g_strfreev);
}

static GOptionContext *
diagram_context (DiagramOptions *o)
{
    const GOptionEntry entries[] = {
        { "format", 'f', 0, G_OPTION_ARG_FILENAME, &o->format,
          "dot (the default, or from the --output suffix), svg or png (svg and png run "
          "Graphviz's dot)",
          "FORMAT" },
        { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o->output,
          "Write the diagram to FILE (replaced atomically; '-' is standard output)", "FILE" },
        { "set", 's', 0, G_OPTION_ARG_FILENAME_ARRAY, &o->sets,
          "Override a scenario value (repeatable)", "PATH=VALUE" },
        FSIM_CLI_CLAIM_OPTION (&o->claims),
        FSIM_CLI_MAX_GRAPH_SIZE_OPTION,
        { "help", 'h', 0, G_OPTION_ARG_NONE, &o->help, "Show this help", NULL },
        { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o->args, NULL, "[SCENARIO]" },
        { 0 },
    };
    GOptionContext *context = fsim_i_cmd_context (
        "diagram", NULL, entries,
        "Draws who got which data in SCENARIO on its date: fields (by taxonomy), the API scopes "
        "that\noffered them, the partners that got them and where they stored them (by "
        "jurisdiction,\non-device apart). Colour: channel; dashed: without consent; width: users "
        "reached.\nSee docs/diagrams.md.",
        "Examples:\n"
        "  flowsim diagram scenarios/tour.json --output tour.svg\n"
        "  flowsim diagram --top 10 --format png --output partners.png\n"
        "  flowsim diagram --partner huawei --output huawei.svg      # what reached Huawei?\n"
        "  flowsim diagram --field profile.religion --output religion.svg\n"
        "  flowsim diagram --group-by jurisdiction --aspect 16:9 --output slide.svg\n"
        "  flowsim diagram scenarios/tour.json | dot -Tpdf > tour.pdf\n\n"
        "Environment:\n"
        "  FLOWSIM_DOT  the Graphviz dot program to run (default: dot in PATH)\n"
        "Without Graphviz, svg and png fail with status 4; dot always works. Graphviz is\n"
        "given at most " FSIM_GRAPHVIZ_MAX_TEXT "\n"
        "(a pass: a line crossing a column of boxes, as partners sharing in a chain make);\n"
        "more is status 2, and --top, --partner or --field draw less.\n");
    fsim_i_cli_diagram_add (context, &o->diagram);
    return context;
}

static char *
diagram_help (void)
{
    DiagramOptions o = { 0 };
    g_autoptr (GOptionContext) context = diagram_context (&o);
    return fsim_i_cmd_help (context, "diagram");
}

/* dot, svg or png: --format, else the suffix of --output, else dot. */
static const char *
diagram_format (const DiagramOptions *o)
{
    const char *const formats[] = { "dot", "svg", "png" };
    for (size_t i = 0; i < G_N_ELEMENTS (formats); i++) {
        if (o->format && strcmp (o->format, formats[i]) == 0)
            return formats[i];
        if (!o->format && o->output) {
            g_autofree char *suffix = g_strconcat (".", formats[i], NULL);
            if (g_str_has_suffix (o->output, suffix))
                return formats[i];
        }
    }
    return o->format ? NULL : "dot";
}

gboolean
fsim_i_diagram_parse_top (const char *text, size_t *out_top, GError **error)
{
    guint64 top = 0;
    if (!g_ascii_string_to_unsigned (text, 10, 0, 100000, &top, NULL)) {
        fsim_i_cli_usage_error (error, "--top '%s' is not a number from 0 to 100000", text);
        return FALSE;
    }
    *out_top = (size_t) top;
    return TRUE;
}

static FsimExit
diagram_parse (int argc, char **argv, DiagramOptions *o, FsimDiagramOptions *d, GError **error)
{
    g_autoptr (GOptionContext) context = diagram_context (o);
    FsimExit status = fsim_i_cmd_parse (context, "diagram", argc, argv, error);
    if (status != FSIM_EXIT_OK || o->help)
        return status;
    if (!fsim_i_cmd_check_scenario_args (o->args, error))
        return FSIM_EXIT_USAGE;
    if (diagram_format (o) == NULL)
        return fsim_i_cli_usage_error (error, "unknown format '%s' (expected dot, svg or png)",
                                       o->format);
    if ((status = fsim_i_cli_diagram_parse (&o->diagram, d, error)) != FSIM_EXIT_OK)
        return status;
    return fsim_i_cmd_check_overrides (&o->sets, o->claims, error);
}

FsimExit
fsim_i_diagram_render (const char *path, const char *const *sets,
                       const FsimPopulationSource *source, const FsimDiagramOptions *d,
                       const FsimCliDiagram *focus, const char *format, GString *out,
                       GError **error)
{
    g_auto (FsimCliSim) cs = { 0 };
    FsimExit status = fsim_i_cli_sim_init (&cs, path, sets, source, error);

    if (status != FSIM_EXIT_OK)
        return status;
    const FsimSim *sim = cs.sim;
    if (focus && (status = fsim_i_cli_diagram_check (focus, sim->scenario, error)) != FSIM_EXIT_OK)
        return status;
    if (!fsim_diagram_write_dot (sim->scenario, sim->decisions, sim->result, d, out, error))
        return FSIM_EXIT_INTERNAL;
    g_autoptr (GError) local = NULL;
    if (fsim_graphviz_convert (fsim_i_cli_dot_program (), out, format, &fsim_diagram_layout,
                               &local))
        return FSIM_EXIT_OK;
    return fsim_i_cli_draw_failed (&local, error);
}

/* Simulates, draws and writes. */
static FsimExit
diagram_run (const DiagramOptions *o, const FsimDiagramOptions *d, GError **error)
{
    g_autoptr (GString) dot = g_string_new (NULL);
    fsim_i_warn_overrides_of (o->args ? o->args[0] : NULL, (const char *const *) o->sets);
    FsimExit status =
        fsim_i_diagram_render (o->args ? o->args[0] : NULL, (const char *const *) o->sets, NULL, d,
                               &o->diagram, diagram_format (o), dot, error);
    return status == FSIM_EXIT_OK ? fsim_i_cmd_output (o->output, dot, error) : status;
}

static FsimExit
cmd_diagram (int argc, char **argv, GError **error)
{
    DiagramOptions o = { 0 };
    FsimDiagramOptions d = { .top = FSIM_DIAGRAM_DEFAULT_TOP };
    FsimExit status = diagram_parse (argc, argv, &o, &d, error);

    if (status == FSIM_EXIT_OK && o.help) {
        g_autoptr (GOptionContext) context = diagram_context (&o);
        status = fsim_i_cmd_print_help (context, "diagram", error);
    } else if (status == FSIM_EXIT_OK) {
        status = diagram_run (&o, &d, error);
    }
    diagram_options_clear (&o);
    return status;
}

const FsimCommand fsim_cmd_diagram = {
    "diagram",
    "Draw a scenario's flows (DOT, SVG, PNG)",
    cmd_diagram,
    diagram_help,
};
