/* SPDX-License-Identifier: MIT */
/* cmd-sweep.c: `flowsim sweep`: a scenario over seeds and parameter values, per metric. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "cli-private.h"
#include "loader.h"
#include "room.h"
#include "sweep-report.h"
#include "sweep.h"

typedef struct {
    char *seeds;
    char **vary;
    char **metrics;
    char *tornado;
    char *format;
    char *output;
    char **sets;
    char **claims;
    char **args;
    gint threads;
    gboolean quiet;
    gboolean help;
} SweepOptions;

static void
options_clear (SweepOptions *o)
{
    g_clear_pointer (&o->seeds, g_free);
    g_clear_pointer (&o->vary, g_strfreev);
    g_clear_pointer (&o->metrics, g_strfreev);
    g_clear_pointer (&o->tornado, g_free);
    g_clear_pointer (&o->format, g_free);
    g_clear_pointer (&o->output, g_free);
    g_clear_pointer (&o->sets, g_strfreev);
    g_clear_pointer (&o->claims, g_strfreev);
    g_clear_pointer (&o->args, g_strfreev);
}

static GOptionContext *
sweep_context (SweepOptions *o)
{
    const GOptionEntry entries[] = {
        { "seeds", 0, 0, G_OPTION_ARG_STRING, &o->seeds,
          "Seeds to run: 1-20, 1,5,9 or 1-5,10 (default: the scenario's own)", "SEEDS" },
        { "vary", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->vary,
          "A parameter and its values, as --set takes them; every combination of the varied "
          "values is run (repeatable)",
          "PATH=V1,V2,..." },
        { "metric", 'm', 0, G_OPTION_ARG_STRING_ARRAY, &o->metrics,
          "A number to report, an expression over a run's counts, optionally named "
          "NAME=EXPR (repeatable; default: reach overall, per partner, jurisdiction and "
          "field)",
          "EXPR" },
        { "tornado", 0, 0, G_OPTION_ARG_STRING, &o->tornado,
          "Rank the varied parameters by how far they move this metric (a --metric's name "
          "or expression, or a new expression)",
          "METRIC" },
        { "format", 'f', 0, G_OPTION_ARG_FILENAME, &o->format,
          "Output format: text (the default), json or csv", "FORMAT" },
        { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o->output,
          "Write to FILE (replaced atomically; '-' is standard output)", "FILE" },
        { "set", 's', 0, G_OPTION_ARG_FILENAME_ARRAY, &o->sets,
          "Override a scenario value for every run, before the varied ones (repeatable)",
          "PATH=VALUE" },
        FSIM_CLI_CLAIM_OPTION (&o->claims),
        FSIM_CLI_MAX_GRAPH_SIZE_OPTION,
        { "threads", 0, 0, G_OPTION_ARG_INT, &o->threads,
          "Runs at the same time (default: one per processor)", "N" },
        { "quiet", 'q', 0, G_OPTION_ARG_NONE, &o->quiet,
          "Print nothing but the result and errors (no progress line)", NULL },
        { "help", 'h', 0, G_OPTION_ARG_NONE, &o->help, "Show this help", NULL },
        { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o->args, NULL, "[SCENARIO]" },
        { 0 },
    };
    return fsim_i_cmd_context (
        "sweep", NULL, entries,
        "Runs SCENARIO once per seed and per combination of the --vary values, and reports per "
        "metric\nthe mean over the seeds, its 95 % confidence interval and the min and max. "
        "Runs that\ngive the same population share it; runs use every processor. Without "
        "SCENARIO, uses\nthe bundled " FSIM_CLI_DEFAULT_SCENARIO ".",
        "Metrics: users, friendships, users_reached, users_reached_without_consent,\n"
        "  partners_reaching,\n"
        "  partners[ID].users|users_reached|users_reached_without_consent,\n"
        "  fields[ID].users|users_without_consent, jurisdictions[CODE].users|..., "
        "kinds[KIND].users|...,\n"
        "  accounts[DEGREE,K].friends|friends_of_friends|per_friend _median|_min|_max (the K "
        "users\n  with about DEGREE friends; read from the population, no flows run),\n"
        "  combined with + - * / and parentheses (docs/analysis.md#sweep).\n\n"
        "Examples:\n"
        "  flowsim sweep --seeds 1-20\n"
        "  flowsim sweep scenarios/x.json --seeds 1-20 --vary population.mean_degree=130,190,250 "
        "\\\n    --vary population.settings.platform_off=0,0.1 \\\n"
        "    --metric 'share=partners[gsr].users_reached_without_consent / partners[gsr].users' "
        "--tornado share\n");
}

static char *
sweep_help (void)
{
    SweepOptions o = { 0 };
    g_autoptr (GOptionContext) context = sweep_context (&o);
    return fsim_i_cmd_help (context, "sweep");
}

static FsimExit
sweep_parse (int argc, char **argv, SweepOptions *o, FsimReportFormat *out_format, GError **error)
{
    g_autoptr (GOptionContext) context = sweep_context (o);
    FsimExit status = fsim_i_cmd_parse (context, "sweep", argc, argv, error);

    if (status != FSIM_EXIT_OK || o->help)
        return status;
    if (!fsim_i_cmd_check_scenario_args (o->args, error))
        return FSIM_EXIT_USAGE;
    if (o->format && !fsim_report_format_from_string (o->format, out_format))
        return fsim_i_cli_usage_error (error, "unknown format '%s' (expected text, json or csv)",
                                       o->format);
    if (o->threads < 0)
        return fsim_i_cli_usage_error (error, "--threads must be positive, not %d", o->threads);
    return fsim_i_cmd_check_overrides (&o->sets, o->claims, error);
}

/* The metrics of --metric ("NAME=EXPR" or "EXPR"), and the tornado's index among them (a new
 * metric is added for a --tornado that names none); a usage error for a malformed one. */
static FsimExit
parse_metrics (const SweepOptions *o, GPtrArray *metrics, gssize *out_tornado, GError **error)
{
    g_autoptr (GError) local = NULL;

    for (size_t i = 0; o->metrics && o->metrics[i]; i++) {
        const char *eq = strchr (o->metrics[i], '=');
        g_autofree char *label =
            eq ? g_strndup (o->metrics[i], (size_t) (eq - o->metrics[i])) : NULL;
        FsimMetric *m = fsim_metric_parse (label, eq ? eq + 1 : o->metrics[i], &local);
        if (m == NULL)
            return fsim_i_cli_usage_error (error, "%s", local->message);
        g_ptr_array_add (metrics, m);
    }
    *out_tornado = -1;
    if (o->tornado == NULL)
        return FSIM_EXIT_OK;
    for (guint i = 0; i < metrics->len; i++)
        if (strcmp (fsim_metric_label (metrics->pdata[i]), o->tornado) == 0)
            *out_tornado = (gssize) i;
    if (*out_tornado < 0) {
        FsimMetric *m = fsim_metric_parse (NULL, o->tornado, &local);
        if (m == NULL)
            return fsim_i_cli_usage_error (error, "--tornado: %s", local->message);
        *out_tornado = (gssize) metrics->len;
        g_ptr_array_add (metrics, m);
    }
    if (o->vary == NULL)
        return fsim_i_cli_usage_error (error, "--tornado needs at least one --vary");
    return FSIM_EXIT_OK;
}

static void
tick (size_t done, size_t total, void *data)
{
    fsim_progress_update ("sweeping", (double) done / (double) MAX (total, 1), data);
}

/* Warns about each --vary value that can have no effect (what lint says of it, as for --set),
 * once per warning, named as the --vary value it came from; and about a --set or a --vary of
 * the expectations, which a sweep never evaluates (once per path, not per value). */
static void
warn_varied (const char *path, const char *const *sets, const FsimSweep *sweep)
{
    static const char *const unread[] = { "expect", NULL };
    g_autoptr (FsimScenario) before = fsim_loader_load (path, sets, NULL);
    g_autoptr (GHashTable) said = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    if (before)
        fsim_i_warn_unread_sets (sets, unread, said);
    g_autoptr (GPtrArray) paths = g_ptr_array_new ();
    for (size_t i = 0; before && i < sweep->n_vary; i++)
        g_ptr_array_add (paths, sweep->vary[i].path);
    g_ptr_array_add (paths, NULL);
    fsim_i_warn_unread_option ("--vary", (const char *const *) paths->pdata, unread, said);
    /* the base's warnings, linted once for all the values */
    g_autoptr (GHashTable) known =
        before && sweep->n_vary > 0 ? fsim_i_lint_messages (before) : NULL;
    g_autoptr (FsimLoaderBase) base = known ? fsim_loader_base_new (path) : NULL;
    for (size_t i = 0; before && i < sweep->n_vary; i++) {
        const FsimSweepVary *v = &sweep->vary[i];
        for (size_t j = 0; j < v->n_values; j++) {
            g_autofree char *set = g_strdup_printf ("%s=%s", v->path, v->values[j]);
            g_autofree char *prefix = g_strconcat ("--vary ", set, NULL);
            fsim_i_warn_one_more_set (base, path, sets, set, known, prefix, said);
        }
    }
}

static FsimExit
sweep_run (const SweepOptions *o, FsimReportFormat format, GString *out, GError **error)
{
    g_autoptr (GPtrArray) metrics =
        g_ptr_array_new_with_free_func ((GDestroyNotify) fsim_metric_free);
    g_autofree guint64 *seeds = NULL;
    g_autofree char *path = fsim_i_cmd_scenario_path (o->args);
    g_autoptr (GError) local = NULL;
    size_t n_seeds = 0;
    gssize tornado = -1;
    FsimExit status = parse_metrics (o, metrics, &tornado, error);

    if (status != FSIM_EXIT_OK)
        return status;
    if (o->seeds != NULL && (seeds = fsim_sweep_parse_seeds (o->seeds, &n_seeds, &local)) == NULL)
        return fsim_i_cli_usage_error (error, "%s", local->message);

    g_autoptr (FsimProgress) progress = fsim_progress_new (2, fsim_progress_wanted (o->quiet));
    fsim_progress_phase (progress, "sweeping", TRUE);
    FsimSweepOptions so = {
        .path = path,
        .sets = (const char *const *) o->sets,
        .seeds = seeds,
        .n_seeds = n_seeds,
        .vary = (const char *const *) o->vary,
        .metrics = (FsimMetric *const *) metrics->pdata,
        .n_metrics = metrics->len,
        .n_threads = (unsigned) o->threads,
        .tick = tick,
        .tick_data = progress,
    };
    g_autoptr (FsimSweep) sweep = fsim_sweep_run (&so, &local);
    g_clear_pointer (&progress, fsim_progress_free);
    if (sweep == NULL) {
        if (local->domain == FSIM_SWEEP_ERROR) /* a --vary or --seeds: a usage error, one line */
            return fsim_i_cli_usage_error (error, "%s", local->message);
        g_propagate_error (error, g_steal_pointer (&local));
        return FSIM_EXIT_INPUT;
    }
    warn_varied (path, (const char *const *) o->sets, sweep);
    if (!fsim_room_reserve (out, fsim_sweep_room (sweep), "the sweep's summaries", error))
        return FSIM_EXIT_INTERNAL;
    fsim_sweep_render (sweep, format, tornado, out);
    return FSIM_EXIT_OK;
}

static FsimExit
cmd_sweep (int argc, char **argv, GError **error)
{
    SweepOptions o = { 0 };
    FsimReportFormat format = FSIM_REPORT_TEXT;
    g_autoptr (GString) out = g_string_new (NULL);
    FsimExit status = sweep_parse (argc, argv, &o, &format, error);

    if (status == FSIM_EXIT_OK && o.help) {
        g_autoptr (GOptionContext) context = sweep_context (&o);
        status = fsim_i_cmd_print_help (context, "sweep", error);
    } else if (status == FSIM_EXIT_OK) {
        status = sweep_run (&o, format, out, error);
        if (status == FSIM_EXIT_OK)
            status = fsim_i_cmd_output (o.output, out, error);
    }
    options_clear (&o);
    return status;
}

const FsimCommand fsim_cmd_sweep = {
    "sweep",
    "Run a scenario over seeds and parameter values: means, intervals, tornado",
    cmd_sweep,
    sweep_help,
};
