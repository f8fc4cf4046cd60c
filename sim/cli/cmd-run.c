/* SPDX-License-Identifier: MIT */
/* cmd-run.c: `flowsim run`: simulate a scenario and print its report. */
#include "config.h"

#include <glib.h>

#include "cli-commands.h"
#include "cli-mpi.h"
#include "cli-private.h"
#include "cli-sim.h"
#include "report.h"
#include "room.h"

typedef struct {
    char *format;
    char *output;
    char **sets;
    char **claims;
    char **args;
    gboolean quiet;
    gboolean all;
    gboolean help;
    FsimFocusOptions focus;
} RunOptions;

static void
run_options_clear (RunOptions *o)
{
    g_clear_pointer (&o->format, g_free);
    g_clear_pointer (&o->output, g_free);
    g_clear_pointer (&o->sets, g_strfreev);
    g_clear_pointer (&o->claims, g_strfreev);
    g_clear_pointer (&o->args, g_strfreev);
    fsim_i_focus_options_clear (&o->focus);
}

static GOptionContext *
run_context (RunOptions *o)
{
    /* FILENAME types keep the bytes as given: no conversion from the locale's charset. */
    const GOptionEntry entries[] = {
        { "format", 'f', 0, G_OPTION_ARG_FILENAME, &o->format,
          "Report format: text (the default), json or csv", "FORMAT" },
        { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o->output,
          "Write the report to FILE (replaced atomically; '-' is standard output)", "FILE" },
        { "set", 's', 0, G_OPTION_ARG_FILENAME_ARRAY, &o->sets,
          "Override a scenario value, after the file's own 'set' (repeatable)", "PATH=VALUE" },
        FSIM_CLI_CLAIM_OPTION (&o->claims),
        FSIM_CLI_MAX_GRAPH_SIZE_OPTION,
        { "quiet", 'q', 0, G_OPTION_ARG_NONE, &o->quiet,
          "Print nothing but the report and errors (no progress line)", NULL },
        { "all", 'a', 0, G_OPTION_ARG_NONE, &o->all,
          "Text: a row for every partner (else the unnamed look-alikes share one)", NULL },
        { "help", 'h', 0, G_OPTION_ARG_NONE, &o->help, "Show this help", NULL },
        { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o->args, NULL, "[SCENARIO]" },
        { 0 },
    };
    GOptionContext *context = fsim_i_cmd_context (
        "run", NULL, entries,
        "Simulates SCENARIO (a scenario or policy file) on its date and prints a report.\n"
        "Without SCENARIO, runs the bundled " FSIM_CLI_DEFAULT_SCENARIO ".",
        "Examples:\n"
        "  flowsim run --format json --output report.json\n"
        "  flowsim run scenarios/x.json --set population.users=50000 --set date=2015-05-01\n"
        "  flowsim run --partner tag:china --jurisdiction CN\n\n"
        "Environment:\n"
        "  FLOWSIM_DATADIR  where to find " FSIM_CLI_DEFAULT_SCENARIO "\n");
    fsim_i_focus_add_entries (context, &o->focus);
    return context;
}

static char *
run_help (void)
{
    RunOptions o = { 0 };
    g_autoptr (GOptionContext) context = run_context (&o);
    return fsim_i_cmd_help (context, "run");
}

/* Parses @argv (argv[0] is "run") into @o; checks what GOptionContext cannot. */
static FsimExit
run_parse (int argc, char **argv, RunOptions *o, FsimReportFormat *out_format, GError **error)
{
    g_autoptr (GOptionContext) context = run_context (o);
    FsimExit status = fsim_i_cmd_parse (context, "run", argc, argv, error);
    if (status != FSIM_EXIT_OK || o->help)
        return status;
    if (!fsim_i_cmd_check_scenario_args (o->args, error))
        return FSIM_EXIT_USAGE;
    if (o->format && !fsim_report_format_from_string (o->format, out_format))
        return fsim_i_cli_usage_error (error, "unknown format '%s' (expected text, json or csv)",
                                       o->format);
    return fsim_i_cmd_check_overrides (&o->sets, o->claims, error);
}

/* What fsim_i_cli_render_progress() does, without the progress line. */
FsimExit
fsim_i_run_render (const char *path, const char *const *sets, const FsimPopulationSource *source,
                   FsimReportFormat format, GString *out, GError **error)
{
    g_auto (FsimCliSim) cs = { 0 };
    FsimExit status = fsim_i_cli_sim_init (&cs, path, sets, source, error);
    if (status != FSIM_EXIT_OK)
        return status;
    const FsimSim *sim = cs.sim;
    if (!fsim_room_reserve (out, fsim_report_room (sim->scenario, sim->result, format),
                            "the report", error))
        return FSIM_EXIT_INTERNAL;
    fsim_report_render (sim->scenario, sim->pop, sim->result, format, out);
    return FSIM_EXIT_OK;
}

static FsimExit
cmd_run (int argc, char **argv, GError **error)
{
    RunOptions o = { 0 };
    FsimReportFormat format = FSIM_REPORT_TEXT;
    g_autoptr (GString) report = g_string_new (NULL);
    FsimExit status = run_parse (argc, argv, &o, &format, error);

    if (status == FSIM_EXIT_OK && o.help) {
        g_autoptr (GOptionContext) context = run_context (&o);
        status = fsim_i_cmd_print_help (context, "run", error);
    } else if (status == FSIM_EXIT_OK) {
        g_autofree char *path = fsim_i_cmd_scenario_path (o.args);
        FsimReportOptions r = { .all = o.all };
#if FSIM_HAVE_MPI
        if (fsim_i_cli_mpi_active ())
            status = fsim_i_cli_mpi_render (path, (const char *const *) o.sets, &o.focus, format,
                                            &r, report, error);
        else
#endif
            status = fsim_i_cli_render_progress (path, (const char *const *) o.sets, &o.focus,
                                                 format, &r, o.quiet, report, error);
        if (status == FSIM_EXIT_OK && fsim_i_cli_mpi_rank () == 0)
            status = fsim_i_cmd_output (o.output, report, error);
    }
    run_options_clear (&o);
    return status;
}

const FsimCommand fsim_cmd_run = {
    "run",
    "Simulate a scenario and print a report",
    cmd_run,
    run_help,
};
