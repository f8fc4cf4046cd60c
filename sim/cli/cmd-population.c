/* SPDX-License-Identifier: MIT */
/* cmd-population.c: `flowsim population`: build a scenario's population and describe it. */
#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>

#include "cli-mpi.h"
#include "cli-private.h"
#include "output.h"
#include "population-report.h"
#include "population-slice.h"
#include "progress.h"
#include "room.h"
#include "stats.h"

typedef struct {
    char *format;
    char *output;
    char *export_dir;
    char *save;
    char **sets;
    char **claims;
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
    g_clear_pointer (&o->save, g_free);
    g_clear_pointer (&o->sets, g_strfreev);
    g_clear_pointer (&o->claims, g_strfreev);
    g_clear_pointer (&o->args, g_strfreev);
}

static GOptionContext *
population_context (PopulationOptions *o)
{
    const GOptionEntry entries[] = {
        { "format", 'f', 0, G_OPTION_ARG_FILENAME, &o->format,
          "Output format: text (the default) or json", "FORMAT" },
        { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o->output,
          "Write the description to FILE (replaced atomically; '-' is standard output)", "FILE" },
        { "set", 's', 0, G_OPTION_ARG_FILENAME_ARRAY, &o->sets,
          "Override a scenario value, after the file's own 'set' (repeatable)", "PATH=VALUE" },
        FSIM_CLI_CLAIM_OPTION (&o->claims),
        FSIM_CLI_MAX_GRAPH_SIZE_OPTION,
        { "sample", 0, 0, G_OPTION_ARG_INT64, &o->sample,
          "Estimate average clustering from N sampled users when there are more "
          "(default " G_STRINGIFY (FSIM_CLUSTERING_DEFAULT_SAMPLE) ")",
          "N" },
        { "export", 0, 0, G_OPTION_ARG_FILENAME, &o->export_dir,
          "Also write the population to DIR: friendships.txt (an edge list) and users.tsv", "DIR" },
        { "save", 0, 0, G_OPTION_ARG_FILENAME, &o->save,
          "Also save the built population to FILE, a snapshot that a scenario loads with "
          "population.snapshot (replaced atomically; '-' is standard output, and the "
          "description then goes to standard error)",
          "FILE" },
        { "quiet", 'q', 0, G_OPTION_ARG_NONE, &o->quiet,
          "Print nothing but the description and errors (no progress line)", NULL },
        { "help", 'h', 0, G_OPTION_ARG_NONE, &o->help, "Show this help", NULL },
        { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o->args, NULL, "[SCENARIO]" },
        { 0 },
    };
    return fsim_i_cmd_context (
        "population", NULL, entries,
        "Builds the population of SCENARIO (a scenario file) and describes it: users, "
        "friendships,\nfriends per user, clustering, components, adoption of each "
        "partner, settings.\nWithout SCENARIO, uses the bundled " FSIM_CLI_DEFAULT_SCENARIO ".",
        "Examples:\n"
        "  flowsim population --set population.generator=facebook_like "
        "--set population.users=1000000\n"
        "  flowsim population scenarios/x.json --format json --export /tmp/pop\n"
        "  (the exported friendships.txt can be read back with population.import)\n"
        "  flowsim population scenarios/x.json --set population.users=1000000 --save x.fsp\n"
        "  flowsim run scenarios/x.json --set population.snapshot=x.fsp "
        "--set 'partners[gsr].apis=[]'\n"
        "  (what-ifs on the saved population: no generation; see docs/format.md)\n");
}

static char *
population_help (void)
{
    PopulationOptions o = { 0 };
    g_autoptr (GOptionContext) context = population_context (&o);
    return fsim_i_cmd_help (context, "population");
}

/* TRUE if @a and @b name one file (the same device and inode, through any link). */
static gboolean
same_file (const char *a, const char *b)
{
    struct stat sa, sb;
    return strcmp (a, b) == 0 || (stat (a, &sa) == 0 && stat (b, &sb) == 0 &&
                                  sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino);
}

/* TRUE if @path is "-" or the file standard output is open on (/dev/stdout, /proc/self/fd/1, or
 * that file's name). */
static gboolean
is_stdout (const char *path)
{
    struct stat sp, so;
    return strcmp (path, "-") == 0 || (stat (path, &sp) == 0 && fstat (STDOUT_FILENO, &so) == 0 &&
                                       sp.st_dev == so.st_dev && sp.st_ino == so.st_ino);
}

/* TRUE if the snapshot goes to standard output: the description must then go elsewhere.
 * `--save /dev/stdout` is standard output too: written through a descriptor of its own, the
 * snapshot and a description written through standard output's overwrote each other in a file
 * (issue 11's third pass). */
static gboolean
saves_to_stdout (const PopulationOptions *o)
{
    return o->save != NULL && is_stdout (o->save);
}

static FsimExit
population_parse (int argc, char **argv, PopulationOptions *o, FsimReportFormat *out_format,
                  GError **error)
{
    g_autoptr (GOptionContext) context = population_context (o);
    o->sample = FSIM_CLUSTERING_DEFAULT_SAMPLE; /* the parser leaves it alone without --sample */
    FsimExit status = fsim_i_cmd_parse (context, "population", argc, argv, error);
    if (status != FSIM_EXIT_OK || o->help)
        return status;
    if (!fsim_i_cmd_check_scenario_args (o->args, error))
        return FSIM_EXIT_USAGE;
    if (o->format &&
        (!fsim_report_format_from_string (o->format, out_format) || *out_format == FSIM_REPORT_CSV))
        return fsim_i_cli_usage_error (error, "unknown format '%s' (expected text or json)",
                                       o->format);
    if (o->sample < 1)
        return fsim_i_cli_usage_error (error, "--sample must be at least 1, not %" G_GINT64_FORMAT,
                                       o->sample);
    /* the description would replace the snapshot (it is written last) */
    if (o->save != NULL && o->output != NULL && !is_stdout (o->output) &&
        same_file (o->save, o->output))
        return fsim_i_cli_usage_error (error,
                                       "--save and --output name the same file '%s': "
                                       "the description would replace the snapshot",
                                       o->output);
    /* under mpirun a rank's standard output is Open MPI's pseudo-terminal, whatever mpirun's is */
    if (saves_to_stdout (o) && isatty (STDOUT_FILENO) && !fsim_i_cli_mpi_active ())
        return fsim_i_cli_usage_error (error, "--save - would write a binary snapshot to a "
                                              "terminal; redirect standard output to a file");
    return fsim_i_cmd_check_overrides (&o->sets, o->claims, error);
}

/* A write error of the snapshot's own (its stream failed: a full disk) names the file, as the
 * output writer's errors do: `cannot write 'r.fss': writing the snapshot: No space left on
 * device`, not the bare `writing the snapshot: ...` of a snapshot larger than stdio's buffer. */
static void
name_snapshot_file (const char *path, GError **error)
{
    if (error == NULL || *error == NULL ||
        !g_error_matches (*error, FSIM_POPULATION_ERROR, FSIM_POPULATION_ERROR_SNAPSHOT_IO))
        return;
    if (strcmp (path, "-") == 0)
        g_prefix_error (error, "cannot write to standard output: ");
    else
        g_prefix_error (error, "cannot write '%s': ", path);
}

/* Writes @pop as a snapshot to @path. The one place a snapshot file is written: streamed
 * through the output writer (a temporary file renamed over @path; in place for a device or
 * "-", standard output). */
static FsimExit
save_snapshot (const FsimScenario *scenario, const FsimPopulation *pop, const char *path,
               GError **error)
{
    gboolean to_stdout = strcmp (path, "-") == 0;
    g_autoptr (FsimOutput) out = to_stdout ? NULL : fsim_output_open (path, error);
    if (!to_stdout && out == NULL) {
        g_prefix_error (error, "saving the snapshot: ");
        return FSIM_EXIT_INTERNAL;
    }
    if (to_stdout && !fsim_output_check_stdout (error)) {
        g_prefix_error (error, "saving the snapshot: ");
        return FSIM_EXIT_INTERNAL;
    }
    FILE *stream = to_stdout ? stdout : fsim_output_stream (out);
    if (!fsim_population_snapshot_save (scenario, pop, stream, error)) {
        name_snapshot_file (path, error);
        return FSIM_EXIT_INTERNAL;
    }
    if (to_stdout ? !fsim_i_cli_write_stdout ("", 0, error) : !fsim_output_commit (out, error)) {
        g_prefix_error (error, "saving the snapshot: ");
        return FSIM_EXIT_INTERNAL;
    }
    return FSIM_EXIT_OK;
}

#if FSIM_HAVE_MPI
/* save_snapshot() over the ranks: rank 0 writes the snapshot of every rank's part
 * (fsim_population_snapshot_save_part()), the output opened and committed as one process's. */
static FsimExit
save_snapshot_ranks (const FsimScenario *scenario, const FsimPopulationSlice *slice,
                     const char *path, GError **error)
{
    const FsimComm comm = fsim_i_cli_mpi_comm ();
    gboolean first = comm.rank == 0, to_stdout = strcmp (path, "-") == 0;
    g_autoptr (FsimOutput) out = NULL;
    FsimExit status = FSIM_EXIT_OK;

    if (first && (to_stdout ? !fsim_output_check_stdout (error)
                            : (out = fsim_output_open (path, error)) == NULL)) {
        g_prefix_error (error, "saving the snapshot: ");
        status = FSIM_EXIT_INTERNAL;
    }
    if ((status = fsim_i_cli_mpi_agree (status, error)) != FSIM_EXIT_OK)
        return status;
    FILE *stream = !first ? NULL : to_stdout ? stdout : fsim_output_stream (out);
    if (!fsim_population_snapshot_save_part (scenario, slice, &comm, stream, error)) {
        name_snapshot_file (path, error);
        status = FSIM_EXIT_INTERNAL;
    }
    if ((status = fsim_i_cli_mpi_agree (status, error)) != FSIM_EXIT_OK)
        return status; /* out, freed uncommitted, removes its temporary file */
    if (first &&
        (to_stdout ? !fsim_i_cli_write_stdout ("", 0, error) : !fsim_output_commit (out, error))) {
        g_prefix_error (error, "saving the snapshot: ");
        status = FSIM_EXIT_INTERNAL;
    }
    return fsim_i_cli_mpi_agree (status, error);
}

/*
 * Under mpirun: the ranks measure the population together, each building only its part
 * (fsim_i_cli_mpi_population()); the files of --export and --save are written by rank 0 from
 * every rank's part, sent to it in rank order a few MiB at a time, so no rank holds the whole
 * population (docs/scaling.md); rank 0 renders.
 */
static FsimExit
describe_ranks (const char *path, const PopulationOptions *o, FsimReportFormat format, GString *out,
                GError **error)
{
    g_autoptr (FsimSim) sim = NULL;
    g_autoptr (FsimPopulationStats) st = NULL;
    g_autoptr (FsimPopulationSlice) slice = NULL;
    gboolean first = fsim_i_cli_mpi_rank () == 0;
    FsimExit status = fsim_i_cli_mpi_population (path, (const char *const *) o->sets,
                                                 (size_t) o->sample, &sim, &st, &slice, error);

    if (status != FSIM_EXIT_OK)
        return status;
    if (first) {
        static const char *const unread[] = { "rules", "apis", NULL };
        fsim_i_warn_unread_sets ((const char *const *) o->sets, unread, NULL);
        fsim_i_warn_overrides (path, (const char *const *) o->sets, sim->scenario);
    }
    if (o->export_dir != NULL) {
        const FsimComm comm = fsim_i_cli_mpi_comm ();
        gboolean ok =
            fsim_population_export_part (sim->scenario, slice, &comm, o->export_dir, error);
        status = fsim_i_cli_mpi_agree (ok ? FSIM_EXIT_OK : FSIM_EXIT_INTERNAL, error);
        if (status != FSIM_EXIT_OK)
            return status;
    }
    if (o->save != NULL &&
        (status = save_snapshot_ranks (sim->scenario, slice, o->save, error)) != FSIM_EXIT_OK)
        return status;
    if (first) { /* the description reads of the population only its number of users */
        const FsimPopulation view = { .n_users = slice->n_total };
        fsim_population_stats_render (sim->scenario, &view, st, format, out);
    }
    return FSIM_EXIT_OK;
}
#endif

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

#if FSIM_HAVE_MPI
    if (fsim_i_cli_mpi_active ())
        return describe_ranks (path, o, format, out, error);
#endif
    status = fsim_i_cli_load_population (path, (const char *const *) o->sets, progress, &scenario,
                                         &pop, error);
    if (status != FSIM_EXIT_OK)
        return status;
    static const char *const unread[] = { "rules", "apis", NULL };
    fsim_i_warn_unread_sets ((const char *const *) o->sets, unread, NULL);
    fsim_i_warn_overrides (path, (const char *const *) o->sets, scenario);
    fsim_progress_phase (progress, "measuring the friendships", pop->n_users >= 100000);
    st = fsim_population_stats_new (scenario, pop, (size_t) o->sample, error);
    if (st == NULL)
        return FSIM_EXIT_INTERNAL;
    /* the statistics' room before anything is written: out of memory leaves no export behind */
    if (!fsim_room_reserve (out, fsim_population_stats_room (scenario, format), "the statistics",
                            error))
        return FSIM_EXIT_INTERNAL;
    if (o->export_dir != NULL) {
        fsim_progress_phase (progress, "exporting", pop->n_users >= 100000);
        if (!fsim_population_export (scenario, pop, o->export_dir, error))
            return FSIM_EXIT_INTERNAL;
    }
    if (o->save != NULL) {
        fsim_progress_phase (progress, "saving the snapshot", pop->n_users >= 100000);
        status = save_snapshot (scenario, pop, o->save, error);
        if (status != FSIM_EXIT_OK)
            return status;
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
    FsimExit status = population_parse (argc, argv, &o, &format, error);

    if (status == FSIM_EXIT_OK && o.help) {
        g_autoptr (GOptionContext) context = population_context (&o);
        status = fsim_i_cmd_print_help (context, "population", error);
    } else if (status == FSIM_EXIT_OK) {
        g_autofree char *path = fsim_i_cmd_scenario_path (o.args);
        status = describe (path, &o, format, out, error);
        /* With the snapshot on standard output, a description bound there goes to standard
         * error, as tar -cvf - lists what it writes. */
        gboolean writes = status == FSIM_EXIT_OK && fsim_i_cli_mpi_rank () == 0; /* rank 0 */
        if (writes && saves_to_stdout (&o) && (o.output == NULL || is_stdout (o.output)))
            fputs (out->str, stderr);
        else if (writes)
            status = fsim_i_cmd_output (o.output, out, error);
    }
    options_clear (&o);
    return status;
}

const FsimCommand fsim_cmd_population = {
    "population",
    "Build a scenario's population and describe it",
    cmd_population,
    population_help,
};
