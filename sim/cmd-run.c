/* SPDX-License-Identifier: MIT */
/* cmd-run.c: `flowsim run`: simulate a scenario and print its report. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "cli-private.h"
#include "report.h"

typedef struct {
    char *format;
    char *output;
    char **sets;
    char **args;
    gboolean quiet;
    gboolean help;
} RunOptions;

static void
run_options_clear (RunOptions *o)
{
    g_clear_pointer (&o->format, g_free);
    g_clear_pointer (&o->output, g_free);
    g_clear_pointer (&o->sets, g_strfreev);
    g_clear_pointer (&o->args, g_strfreev);
}

static GOptionContext *
run_context_new (RunOptions *o)
{
    /* FILENAME types keep the bytes as given: no conversion from the locale's charset. */
    const GOptionEntry entries[] = {
        { "format", 'f', 0, G_OPTION_ARG_FILENAME, &o->format,
          "Report format: text (the default), json or csv", "FORMAT" },
        { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o->output,
          "Write the report to FILE (replaced atomically; '-' is standard output)", "FILE" },
        { "set", 's', 0, G_OPTION_ARG_FILENAME_ARRAY, &o->sets,
          "Override a scenario value, after the file's own 'set' (repeatable)", "PATH=VALUE" },
        { "quiet", 'q', 0, G_OPTION_ARG_NONE, &o->quiet,
          "Print nothing but the report and errors (no progress line)", NULL },
        { "help", 'h', 0, G_OPTION_ARG_NONE, &o->help, "Show this help", NULL },
        { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o->args, NULL, "[SCENARIO]" },
        { 0 },
    };
    GOptionContext *context = g_option_context_new (NULL);

    /* Our own --help: GLib's would print and exit() from inside the parser. */
    g_option_context_set_help_enabled (context, FALSE);
    g_option_context_add_main_entries (context, entries, NULL);
    g_option_context_set_summary (
        context, "Simulates SCENARIO (a scenario or policy file) on its date and prints a "
                 "report.\nWithout SCENARIO, runs the bundled " FSIM_CLI_DEFAULT_SCENARIO ".");
    g_option_context_set_description (
        context, "Examples:\n"
                 "  flowsim run --format json --output report.json\n"
                 "  flowsim run scenarios/x.json --set population.users=50000 --set "
                 "date=2015-05-01\n\n"
                 "Environment:\n"
                 "  FLOWSIM_DATADIR  where to find " FSIM_CLI_DEFAULT_SCENARIO "\n");
    return context;
}

static char *
cmd_run_help (void)
{
    RunOptions o = { 0 };
    g_autoptr(GOptionContext) context = run_context_new (&o);
    g_autofree char *options = NULL;

    g_set_prgname ("flowsim run");
    options = g_option_context_get_help (context, TRUE, NULL);
    return g_strconcat (options, fsim_i_cli_exit_status_help, NULL);
}

/* Parses @argv (argv[0] is "run") into @o; checks what GOptionContext cannot. */
static FsimExit
run_parse (int argc, char **argv, RunOptions *o, FsimReportFormat *out_format, GError **error)
{
    g_autoptr(GOptionContext) context = run_context_new (o);
    g_auto(GStrv) args = g_new0 (char *, (size_t) argc + 1);
    g_autoptr(GError) local = NULL;

    for (int i = 0; i < argc; i++)
        args[i] = g_strdup (argv[i]);
    g_set_prgname ("flowsim run");
    if (!g_option_context_parse_strv (context, &args, &local))
        return fsim_i_cli_usage_error (error, "%s", local->message);
    if (o->help)
        return FSIM_EXIT_OK;
    if (o->args && o->args[0] && o->args[1])
        return fsim_i_cli_usage_error (error, "unexpected argument '%s'", o->args[1]);
    if (o->format && !fsim_report_format_from_string (o->format, out_format))
        return fsim_i_cli_usage_error (error, "unknown format '%s' (expected text, json or csv)",
                            o->format);
    for (char **set = o->sets; set && *set; set++)
        if (strchr (*set, '=') == NULL || **set == '=')
            return fsim_i_cli_usage_error (error, "--set '%s' is not PATH=VALUE", *set);
    return FSIM_EXIT_OK;
}

static FsimExit
cmd_run (int argc, char **argv, GError **error)
{
    RunOptions o = { 0 };
    FsimReportFormat format = FSIM_REPORT_TEXT;
    g_autoptr(GString) report = g_string_new (NULL);
    g_autofree char *path = NULL;
    FsimExit status = run_parse (argc, argv, &o, &format, error);

    if (status == FSIM_EXIT_OK && o.help) {
        g_autofree char *help = cmd_run_help ();
        if (!fsim_i_cli_write_stdout (help, strlen (help), error))
            status = FSIM_EXIT_INTERNAL;
    } else if (status == FSIM_EXIT_OK) {
        path = o.args && o.args[0] ? g_strdup (o.args[0]) : fsim_cli_default_scenario_path ();
        status = fsim_i_cli_render_progress (path, (const char *const *) o.sets, format,
                                             o.quiet, report, error);
        if (status == FSIM_EXIT_OK && !fsim_i_cli_write_output (o.output, report, error))
            status = FSIM_EXIT_INTERNAL;
    }
    run_options_clear (&o);
    return status;
}

const FsimCommand fsim_cmd_run = {
    "run", "Simulate a scenario and print a report", cmd_run, cmd_run_help,
};
