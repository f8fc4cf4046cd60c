/* SPDX-License-Identifier: MIT */
/* cmd-lint.c: `flowsim lint`: warnings about rules, scopes, fields and windows that do nothing. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "analysis-private.h"
#include "cmd-analysis.h"
#include "json-writer.h"
#include "lint.h"
#include "loader.h"

typedef struct {
    char *format;
    char *output;
    char **args;
    gboolean strict;
    gboolean help;
} LintOptions;

static GOptionContext *
lint_context (LintOptions *o)
{
    const GOptionEntry entries[] = {
        { "strict", 0, 0, G_OPTION_ARG_NONE, &o->strict,
          "Exit with 1 if there is any warning", NULL },
        { "format", 'f', 0, G_OPTION_ARG_FILENAME, &o->format, "text (the default) or json",
          "FORMAT" },
        { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o->output,
          "Write to FILE (replaced atomically; '-' is standard output)", "FILE" },
        { "help", 'h', 0, G_OPTION_ARG_NONE, &o->help, "Show this help", NULL },
        { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o->args, NULL, "FILE..." },
        { 0 },
    };
    return fsim_i_cmd_context (
        "lint", NULL, entries,
        "Loads each policy or scenario FILE (with what it includes) and warns, with FILE:LINE, "
        "about\nwhat loads but can do nothing: rules that match no partner, API or scope; "
        "allows a deny\noverrides wherever they apply; scope patterns no API offers; fields no "
        "destination receives;\npartners that nothing can reach; rules in force only while "
        "their APIs are inactive. What\ncannot load at all (a name that names nothing, such as "
        "a setting naming an unknown field,\nor an empty window) is an error, as for every "
        "command.",
        "Examples:\n"
        "  flowsim lint policies/device-integrated.json scenarios/tour.json\n"
        "  flowsim lint --strict --format json scenarios/*.json\n");
}

static char *
lint_help (void)
{
    LintOptions o = { 0 };
    g_autoptr (GOptionContext) context = lint_context (&o);
    return fsim_i_cmd_help (context, "lint");
}

static FsimExit
lint_parse (int argc, char **argv, LintOptions *o, gboolean *json, GError **error)
{
    g_autoptr (GOptionContext) context = lint_context (o);
    FsimExit status = fsim_i_cmd_parse (context, "lint", argc, argv, error);
    if (status != FSIM_EXIT_OK || o->help)
        return status;
    if (!o->args || !o->args[0])
        return fsim_i_cli_usage_error (error, "no file given");
    *json = o->format && strcmp (o->format, "json") == 0;
    if (o->format && !*json && strcmp (o->format, "text") != 0)
        return fsim_i_cli_usage_error (error, "unknown format '%s' (expected text or json)",
                                       o->format);
    return FSIM_EXIT_OK;
}

/* A warning already printed for an earlier file (a policy two files include)? */
static gboolean
seen_before (GHashTable *seen, const FsimLintWarning *w)
{
    g_autofree char *loc = fsim_i_loc_string (w->loc);
    return !g_hash_table_add (seen, g_strconcat (loc, "\x1f", w->message, NULL));
}

static void
text_file (const char *path, const GArray *warnings, GHashTable *seen, size_t *n, GString *out)
{
    size_t here = 0;
    for (guint i = 0; i < warnings->len; i++) {
        const FsimLintWarning *w = &g_array_index (warnings, FsimLintWarning, i);
        if (seen_before (seen, w))
            continue;
        g_autofree char *loc = fsim_i_loc_string (w->loc);
        fsim_i_append_clean (out, loc);
        g_string_append (out, ": warning: ");
        fsim_i_append_clean (out, w->message);
        g_string_append_printf (out, " [%s]\n", fsim_lint_kind_to_string (w->kind));
        here++;
    }
    fsim_i_append_clean (out, path);
    g_string_append_printf (out, ": %zu warning%s\n", here, here == 1 ? "" : "s");
    *n += here;
}

static void
json_file (const GArray *warnings, GHashTable *seen, size_t *n, FsimJsonWriter *w)
{
    for (guint i = 0; i < warnings->len; i++) {
        const FsimLintWarning *x = &g_array_index (warnings, FsimLintWarning, i);
        if (seen_before (seen, x))
            continue;
        fsim_jw_item (w);
        fsim_jw_open (w, '{');
        fsim_jw_str (w, "kind", fsim_lint_kind_to_string (x->kind));
        fsim_jw_str (w, "file", x->loc.file);
        fsim_jw_uint (w, "line", (guint64) MAX (x->loc.line, 0));
        fsim_jw_uint (w, "col", (guint64) MAX (x->loc.col, 0));
        fsim_jw_str (w, "message", x->message);
        fsim_jw_close (w, '}');
        (*n)++;
    }
}

static FsimExit
lint_run (const LintOptions *o, gboolean json, size_t *n, GString *out, GError **error)
{
    g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    FsimJsonWriter w = { .out = out };
    if (json) {
        fsim_jw_open (&w, '{');
        fsim_jw_str (&w, "flowsim", FSIM_VERSION);
        fsim_jw_key (&w, "warnings");
        fsim_jw_open (&w, '[');
    }
    for (char **a = o->args; *a; a++) {
        g_autoptr (FsimScenario) s = fsim_loader_load (*a, NULL, error);
        if (!s)
            return FSIM_EXIT_INPUT;
        g_autoptr (GArray) warnings = fsim_lint_run (s);
        if (json)
            json_file (warnings, seen, n, &w);
        else
            text_file (*a, warnings, seen, n, out);
    }
    if (json) {
        fsim_jw_close (&w, ']');
        fsim_jw_uint (&w, "count", *n);
        fsim_jw_close (&w, '}');
        g_string_append_c (out, '\n');
    }
    return FSIM_EXIT_OK;
}

static FsimExit
cmd_lint (int argc, char **argv, GError **error)
{
    LintOptions o = { 0 };
    gboolean json = FALSE;
    size_t n = 0;
    g_autoptr (GString) out = g_string_new (NULL);
    FsimExit status = lint_parse (argc, argv, &o, &json, error);
    if (status == FSIM_EXIT_OK && o.help) {
        g_autoptr (GOptionContext) context = lint_context (&o);
        status = fsim_i_cmd_print_help (context, "lint", error);
    } else if (status == FSIM_EXIT_OK) {
        status = lint_run (&o, json, &n, out, error);
        if (status == FSIM_EXIT_OK)
            status = fsim_i_cmd_output (o.output, out, error);
        if (status == FSIM_EXIT_OK && o.strict && n > 0)
            status = FSIM_EXIT_CHECKS_FAILED;
    }
    g_free (o.format);
    g_free (o.output);
    g_strfreev (o.args);
    return status;
}

const FsimCommand fsim_cmd_lint = {
    "lint", "Warn about rules, scopes and fields that can do nothing", cmd_lint, lint_help,
};
