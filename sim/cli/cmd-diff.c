/* SPDX-License-Identifier: MIT */
/* cmd-diff.c: `flowsim diff`: what a what-if changes against a base, on the same people. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "cli-commands.h"
#include "cmd-analysis.h"
#include "diff-diagram.h"
#include "diff.h"
#include "room.h"
#include "sim.h"

typedef struct {
    char *format;
    char *output;
    char **sets;
    char **claims;
    char **args;
    gboolean exit_code;
    gboolean all;
    gboolean help;
    FsimFocusOptions focus;
} DiffOptions;

static GOptionContext *
diff_context (DiffOptions *o)
{
    const GOptionEntry entries[] = {
        { "set", 's', 0, G_OPTION_ARG_FILENAME_ARRAY, &o->sets,
          "Override a value of the what-if (repeatable); with no WHATIF, the what-if is BASE "
          "with these overrides (and --claim choices)",
          "PATH=VALUE" },
        FSIM_CLI_CLAIM_OPTION (&o->claims),
        FSIM_CLI_MAX_GRAPH_SIZE_OPTION,
        { "format", 'f', 0, G_OPTION_ARG_FILENAME, &o->format,
          "text (the default), json, dot or svg (a diagram; svg runs Graphviz's dot, on at "
          "most " FSIM_DIFF_MAX_LAYOUT_TEXT ")",
          "FORMAT" },
        { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o->output,
          "Write to FILE (replaced atomically; '-' is standard output)", "FILE" },
        { "exit-code", 0, 0, G_OPTION_ARG_NONE, &o->exit_code,
          "Exit with 1 if the what-if differs from the base", NULL },
        { "all", 'a', 0, G_OPTION_ARG_NONE, &o->all,
          "Text: also list the partners and jurisdictions that did not change", NULL },
        { "help", 'h', 0, G_OPTION_ARG_NONE, &o->help, "Show this help", NULL },
        { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o->args, NULL,
          "[BASE [WHATIF]]" },
        { 0 },
    };
    GOptionContext *context = fsim_i_cmd_context (
        "diff", NULL, entries,
        "Runs BASE and WHATIF on the same people (the same users and friendships) and reports "
        "the\nflows gained and lost per field, partner and destination, the users newly exposed "
        "or no\nlonger exposed, the users per jurisdiction before and after, the decisions "
        "(partner, API,\nscope) that changed with the rules responsible, and a verdict per "
        "partner: equivalent,\nmore permissive, less permissive or incomparable, and in plain "
        "words (\"reaches more people\",\n\"reaches the same people, stored elsewhere\", ...). "
        "The text leaves out what did not change\n(--all keeps it) and echoes the overrides "
        "compared. Without BASE, the what-if is the bundled\n" FSIM_CLI_DEFAULT_SCENARIO
        " with the --set and --claim overrides.",
        "Examples:\n"
        "  flowsim diff scenarios/tour.json --set date=2015-05-01\n"
        "  flowsim diff base.json whatif.json --format json\n"
        "  flowsim diff --set 'partners[tag:china].destinations[*].location=server' \\\n"
        "               --set 'partners[tag:china].destinations[*].jurisdiction=CN' --partner "
        "tag:china\n");
    fsim_i_focus_add_entries (context, &o->focus);
    return context;
}

static char *
diff_help (void)
{
    DiffOptions o = { 0 };
    g_autoptr (GOptionContext) context = diff_context (&o);
    return fsim_i_cmd_help (context, "diff");
}

gboolean
fsim_i_diff_format_ok (const char *format)
{
    return !format || strcmp (format, "json") == 0 || strcmp (format, "text") == 0 ||
           strcmp (format, "dot") == 0 || strcmp (format, "svg") == 0;
}

static FsimExit
diff_parse (int argc, char **argv, DiffOptions *o, GError **error)
{
    g_autoptr (GOptionContext) context = diff_context (o);
    FsimExit status = fsim_i_cmd_parse (context, "diff", argc, argv, error);
    if (status != FSIM_EXIT_OK || o->help)
        return status;
    if (o->args && o->args[0] && o->args[1] && o->args[2])
        return fsim_i_cli_usage_error (error, "unexpected argument '%s'", o->args[2]);
    if ((!o->args || !o->args[0] || !o->args[1]) && !o->sets && !o->claims)
        return fsim_i_cli_usage_error (error, "give a WHATIF scenario, or --set or --claim "
                                              "overrides of BASE");
    if (!fsim_i_diff_format_ok (o->format))
        return fsim_i_cli_usage_error (
            error, "unknown format '%s' (expected text, json, dot or svg)", o->format);
    return fsim_i_cmd_check_overrides (&o->sets, o->claims, error);
}

/* fsim_i_diff_render() with the text's --all, a focus (nullable) and, when @warn, the warnings
 * about overrides that can have no effect (on stderr: the command line only). */
static FsimExit
diff_render_full (const char *base_path, const char *whatif_path, const char *const *sets,
                  const char *format, gboolean all, const FsimFocusOptions *focus_options,
                  gboolean warn, gboolean *out_changed, GString *out, GError **error)
{
    const FsimSimOptions options = { .sets = sets };
    FsimSimFailure failure = FSIM_SIM_FAILED_INTERNAL;
    g_autoptr (FsimSimDiff) compared =
        fsim_sim_diff_prepare (base_path, whatif_path, &options, &failure, error);
    if (!compared && failure == FSIM_SIM_FAILED_USAGE) {
        g_autofree char *message = g_strdup ((*error)->message);
        g_clear_error (error);
        return fsim_i_cli_usage_error (error, "%s", message);
    }
    if (!compared)
        return (FsimExit) failure;
    const FsimScenario *whatif = compared->whatif->scenario;
    if (warn)
        fsim_i_warn_overrides (whatif_path ? whatif_path : base_path, sets, whatif);
    g_auto (FsimFocus) focus = { 0 };
    FsimExit status = fsim_i_focus_given (focus_options)
                          ? fsim_i_focus_resolve (focus_options, whatif, &focus, error)
                          : FSIM_EXIT_OK;
    if (status != FSIM_EXIT_OK)
        return status;
    const FsimFocus *f = fsim_i_focus_given (focus_options) ? &focus : NULL;
    if (!fsim_sim_diff_compare (compared, f, &failure, error))
        return (FsimExit) failure;
    const FsimDiff *diff = compared->diff;
    if (out_changed)
        *out_changed = fsim_diff_any (diff);
    g_autoptr (GError) local = NULL;
    if (format && (strcmp (format, "dot") == 0 || strcmp (format, "svg") == 0))
        return fsim_diff_draw (diff, f, format, fsim_i_cli_dot_program (), out, &local)
                   ? FSIM_EXIT_OK
                   : fsim_i_cli_draw_failed (&local, error);
    if (!fsim_room_reserve (out, fsim_diff_room (diff, f), "the comparison", error))
        return FSIM_EXIT_INTERNAL;
    if (format && strcmp (format, "json") == 0)
        fsim_diff_render_json_focused (diff, f, out);
    else
        fsim_diff_render_text_full (diff, all, f, out);
    return FSIM_EXIT_OK;
}

FsimExit
fsim_i_diff_render (const char *base_path, const char *whatif_path, const char *const *sets,
                    const char *format, gboolean *out_changed, GString *out, GError **error)
{
    return diff_render_full (base_path, whatif_path, sets, format, FALSE, NULL, FALSE, out_changed,
                             out, error);
}

static FsimExit
cmd_diff (int argc, char **argv, GError **error)
{
    DiffOptions o = { 0 };
    gboolean changed = FALSE;
    g_autoptr (GString) out = g_string_new (NULL);
    FsimExit status = diff_parse (argc, argv, &o, error);
    if (status == FSIM_EXIT_OK && o.help) {
        g_autoptr (GOptionContext) context = diff_context (&o);
        status = fsim_i_cmd_print_help (context, "diff", error);
    } else if (status == FSIM_EXIT_OK) {
        g_autofree char *base = fsim_i_cmd_scenario_path (o.args);
        status = diff_render_full (base, o.args ? o.args[1] : NULL, (const char *const *) o.sets,
                                   o.format, o.all, &o.focus, TRUE, &changed, out, error);
        if (status == FSIM_EXIT_OK)
            status = fsim_i_cmd_output (o.output, out, error);
        if (status == FSIM_EXIT_OK && o.exit_code && changed)
            status = FSIM_EXIT_CHECKS_FAILED;
    }
    g_free (o.format);
    g_free (o.output);
    g_strfreev (o.sets);
    g_strfreev (o.claims);
    g_strfreev (o.args);
    fsim_i_focus_options_clear (&o.focus);
    return status;
}

const FsimCommand fsim_cmd_diff = {
    "diff",
    "Compare a what-if with a base scenario on the same people",
    cmd_diff,
    diff_help,
};
