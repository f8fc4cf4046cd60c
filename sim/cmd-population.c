/* SPDX-License-Identifier: MIT */
/* cmd-population.c: `flowsim population`: build a scenario's population and describe it. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "cli-private.h"
#include "population-report.h"
#include "progress.h"
#include "stats.h"

typedef struct {
    char *format;
    char *output;
    char *export_dir;
    char **sets;
    char **args;
    gint64 sample;
    gboolean quiet;
    gboolean help;
} PopulationOptions;

static void
options_clear (PopulationOptions *o)
{
    g_clear_pointer (&o->format, g_free);
    g_clear_pointer (&o->output, g_free);
    g_clear_pointer (&o->export_dir, g_free);
    g_clear_pointer (&o->sets, g_strfreev);
    g_clear_pointer (&o->args, g_strfreev);
}

static GOptionContext *
context_new (PopulationOptions *o)
{
    const GOptionEntry entries[] = {
        { "format", 'f', 0, G_OPTION_ARG_FILENAME, &o->format,
          "Output format: text (the default) or json", "FORMAT" },
        { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o->output,
          "Write the description to FILE (replaced atomically; '-' is standard output)", "FILE" },
        { "set", 's', 0, G_OPTION_ARG_FILENAME_ARRAY, &o->sets,
          "Override a scenario value, after the file's own 'set' (repeatable)", "PATH=VALUE" },
        { "sample", 0, 0, G_OPTION_ARG_INT64, &o->sample,
          "Estimate average clustering from N sampled users when there are more "
          "(default " G_STRINGIFY (FSIM_CLUSTERING_DEFAULT_SAMPLE) ")",
          "N" },
        { "export", 0, 0, G_OPTION_ARG_FILENAME, &o->export_dir,
          "Also write the population to DIR: friendships.txt (an edge list) and users.tsv", "DIR" },
        { "quiet", 'q', 0, G_OPTION_ARG_NONE, &o->quiet,
          "Print nothing but the description and errors (no progress line)", NULL },
        { "help", 'h', 0, G_OPTION_ARG_NONE, &o->help, "Show this help", NULL },
        { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o->args, NULL, "[SCENARIO]" },
        { 0 },
    };
    GOptionContext *context = g_option_context_new (NULL);

    g_option_context_set_help_enabled (context, FALSE);
    g_option_context_add_main_entries (context, entries, NULL);
    g_option_context_set_summary (
        context,
        "Builds the population of SCENARIO (a scenario file) and describes it: users, "
        "friendships,\nfriends per user, clustering, components, adoption of each "
        "partner, settings.\nWithout SCENARIO, uses the bundled " FSIM_CLI_DEFAULT_SCENARIO ".");
    g_option_context_set_description (
        context, "Examples:\n"
                 "  flowsim population --set population.generator=facebook_like "
                 "--set population.users=1000000\n"
                 "  flowsim population scenarios/x.json --format json --export /tmp/pop\n"
                 "  (the exported friendships.txt can be read back with population.import)\n");
    return context;
}

static char *
cmd_population_help (void)
{
    PopulationOptions o = { 0 };
    g_autoptr (GOptionContext) context = context_new (&o);
    g_autofree char *options = NULL;

    g_set_prgname ("flowsim population");
    options = g_option_context_get_help (context, TRUE, NULL);
    return g_strconcat (options, fsim_i_cli_exit_status_help, NULL);
}

static FsimExit
parse (int argc, char **argv, PopulationOptions *o, FsimReportFormat *out_format, GError **error)
{
    g_autoptr (GOptionContext) context = context_new (o);
    g_auto (GStrv) args = g_new0 (char *, (size_t) argc + 1);
    g_autoptr (GError) local = NULL;

    for (int i = 0; i < argc; i++)
        args[i] = g_strdup (argv[i]);
    g_set_prgname ("flowsim population");
    o->sample = FSIM_CLUSTERING_DEFAULT_SAMPLE;
    if (!g_option_context_parse_strv (context, &args, &local))
        return fsim_i_cli_usage_error (error, "%s", local->message);
    if (o->help)
        return FSIM_EXIT_OK;
    if (o->args && o->args[0] && o->args[1])
        return fsim_i_cli_usage_error (error, "unexpected argument '%s'", o->args[1]);
    if (o->format &&
        (!fsim_report_format_from_string (o->format, out_format) || *out_format == FSIM_REPORT_CSV))
        return fsim_i_cli_usage_error (error, "unknown format '%s' (expected text or json)",
                                       o->format);
    if (o->sample < 1)
        return fsim_i_cli_usage_error (error, "--sample must be at least 1, not %" G_GINT64_FORMAT,
                                       o->sample);
    for (char **set = o->sets; set && *set; set++)
        if (strchr (*set, '=') == NULL || **set == '=')
            return fsim_i_cli_usage_error (error, "--set '%s' is not PATH=VALUE", *set);
    return FSIM_EXIT_OK;
}

/* Build, measure, export, render. */
static FsimExit
describe (const char *path, const PopulationOptions *o, FsimReportFormat format, GString *out,
          GError **error)
{
    g_autoptr (FsimProgress) progress = fsim_progress_new (2, fsim_progress_wanted (o->quiet));
    g_autoptr (FsimScenario) scenario = NULL;
    g_autoptr (FsimPopulation) pop = NULL;
    g_autoptr (FsimPopulationStats) st = NULL;
    FsimExit status;

    status = fsim_i_cli_load_population (path, (const char *const *) o->sets, progress, &scenario,
                                         &pop, error);
    if (status != FSIM_EXIT_OK)
        return status;
    fsim_progress_phase (progress, "measuring the friendships", pop->n_users >= 100000);
    st = fsim_population_stats_new (scenario, pop, (size_t) o->sample);
    if (o->export_dir != NULL) {
        fsim_progress_phase (progress, "exporting", pop->n_users >= 100000);
        if (!fsim_population_export (scenario, pop, o->export_dir, error))
            return FSIM_EXIT_INTERNAL;
    }
    g_clear_pointer (&progress, fsim_progress_free);
    fsim_population_stats_render (scenario, pop, st, format, out);
    return FSIM_EXIT_OK;
}

static FsimExit
cmd_population (int argc, char **argv, GError **error)
{
    PopulationOptions o = { 0 };
    FsimReportFormat format = FSIM_REPORT_TEXT;
    g_autoptr (GString) out = g_string_new (NULL);
    g_autofree char *path = NULL;
    FsimExit status = parse (argc, argv, &o, &format, error);

    if (status == FSIM_EXIT_OK && o.help) {
        g_autofree char *help = cmd_population_help ();
        if (!fsim_i_cli_write_stdout (help, strlen (help), error))
            status = FSIM_EXIT_INTERNAL;
    } else if (status == FSIM_EXIT_OK) {
        path = o.args && o.args[0] ? g_strdup (o.args[0]) : fsim_cli_default_scenario_path ();
        status = describe (path, &o, format, out, error);
        if (status == FSIM_EXIT_OK && !fsim_i_cli_write_output (o.output, out, error))
            status = FSIM_EXIT_INTERNAL;
    }
    options_clear (&o);
    return status;
}

const FsimCommand fsim_cmd_population = {
    "population",
    "Build a scenario's population and describe it",
    cmd_population,
    cmd_population_help,
};
