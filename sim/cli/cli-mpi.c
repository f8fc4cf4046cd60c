/* SPDX-License-Identifier: MIT */
/* cli-mpi.c: flowsim under mpirun: start and end MPI, `flowsim run` over the ranks, one error. */
#include "config.h"

#include <stdio.h>
#include <sys/resource.h>

#include <mpi.h>

#include <glib.h>

#include "cli-mpi-private.h"
#include "cli-mpi.h"
#include "cli-private.h"
#include "engine-mpi.h"
#include "memory.h"
#include "population-report.h"
#include "population-slice.h"
#include "room.h"
#include "sim.h"
#include "timeline.h"

static gboolean started;
static int rank, size = 1;

/*
 * An allocation that cannot fail gracefully (g_new and its kin, in the trace) ends in GLib's
 * "failed to allocate" error, which would abort this rank with a core and leave mpirun to
 * report a signal. Under MPI the message is printed once, by the rank that ran out, and the
 * job ends with MPI_Abort and status 3, as one process reports running out of memory.
 */
static void
on_glib_error (const char *domain, GLogLevelFlags level, const char *message, gpointer data)
{
    (void) domain, (void) level, (void) data;
    fprintf (stderr, "flowsim: error: rank %d of %d: out of memory (%s)\n", rank, size, message);
    fflush (stderr);
    MPI_Abort (MPI_COMM_WORLD, FSIM_EXIT_INPUT);
}

void
fsim_i_cli_mpi_start (int *argc, char ***argv)
{
    /* Open MPI's mpirun sets OMPI_COMM_WORLD_SIZE, PMIx launchers PMIX_RANK, Hydra PMI_SIZE */
    if (!g_getenv ("OMPI_COMM_WORLD_SIZE") && !g_getenv ("PMIX_RANK") && !g_getenv ("PMI_SIZE"))
        return;
    MPI_Init (argc, argv);
    MPI_Comm_rank (MPI_COMM_WORLD, &rank);
    MPI_Comm_size (MPI_COMM_WORLD, &size);
    started = TRUE;
    /* the ranks on this machine share its memory: each is judged against its part */
    MPI_Comm node;
    int on_node = 1;
    MPI_Comm_split_type (MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank, MPI_INFO_NULL, &node);
    MPI_Comm_size (node, &on_node);
    MPI_Comm_free (&node);
    fsim_memory_set_share ((guint) on_node);
    g_log_set_handler ("GLib", G_LOG_LEVEL_ERROR | G_LOG_FLAG_FATAL | G_LOG_FLAG_RECURSION,
                       on_glib_error, NULL);
}

int
fsim_i_cli_mpi_finish (int status)
{
    if (started)
        MPI_Finalize ();
    return status;
}

gboolean
fsim_i_cli_mpi_active (void)
{
    return started;
}

int
fsim_i_cli_mpi_rank (void)
{
    return rank;
}

int
fsim_i_cli_mpi_size (void)
{
    return size;
}

static FsimExit agree_on (int first, gboolean alone, FsimExit status, GError **error);

/*
 * Makes every rank agree on a step's outcome: if any rank failed, every rank fails with the
 * status and message of the lowest failing rank. The message is prefixed with its number
 * ("rank 1 of 2: ") unless it is rank 0 and its failure is the job's: an input found bad on
 * every rank, or a write of rank 0's, which alone writes the outputs. Rank 0 out of memory
 * (FSIM_GRAPH_ERROR_NOMEM) while a rank did not fail is named like any other rank. A rank that
 * failed only because another did (FSIM_GRAPH_ERROR_OTHER_RANK) is not the one reported.
 */
static FsimExit
agree (FsimExit status, GError **error)
{
    gboolean failed = status != FSIM_EXIT_OK;
    gboolean own =
        failed && !(error && *error &&
                    g_error_matches (*error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_OTHER_RANK));
    /* the lowest rank that failed on its own, the lowest that failed, whether all did alone */
    int mine[3] = { own ? rank : size, failed ? rank : size, own ? 1 : 0 };
    int first[3] = { size, size, 0 };

    MPI_Allreduce (mine, first, 3, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (first[1] == size)
        return FSIM_EXIT_OK;
    return agree_on (first[0] < size ? first[0] : first[1], first[2] == 0, status, error);
}

/* Every rank takes rank @first's status and message; @alone: not every rank failed on its
 * own. */
static FsimExit
agree_on (int first, gboolean alone, FsimExit status, GError **error)
{
    gboolean has = rank == first && error && *error;
    /* its status, its message's length, whether it ran out of memory */
    int head[3] = { (int) status, has ? (int) strlen ((*error)->message) : 0,
                    has && g_error_matches (*error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_NOMEM) };
    MPI_Bcast (head, 3, MPI_INT, first, MPI_COMM_WORLD);
    g_autofree char *message = g_malloc0 ((size_t) head[1] + 1);
    if (rank == first)
        memcpy (message, (*error)->message, (size_t) head[1]);
    MPI_Bcast (message, head[1], MPI_CHAR, first, MPI_COMM_WORLD);
    if (error) {
        g_clear_error (error);
        if (first == 0 && !(head[2] && alone))
            g_set_error_literal (error, FSIM_SIM_ERROR, FSIM_SIM_ERROR_ARGUMENT, message);
        else
            g_set_error (error, FSIM_SIM_ERROR, FSIM_SIM_ERROR_ARGUMENT, "rank %d of %d: %s", first,
                         size, message);
    }
    return (FsimExit) head[0];
}

/* With FLOWSIM_MPI_STATS set: one line per rank on stderr, written by rank 0. */
static void
print_stats (const FsimMpiStats *s, size_t set_bytes)
{
    if (!g_getenv ("FLOWSIM_MPI_STATS"))
        return;
    struct rusage ru;
    getrusage (RUSAGE_SELF, &ru);
    uint64_t mine[9] = { s->n_own,
                         s->n_ghosts,
                         s->cut_arcs,
                         s->hop_bytes[0],
                         s->hop_bytes[1],
                         s->engine_bytes,
                         (uint64_t) ru.ru_maxrss,
                         set_bytes,
                         fsim_memory_limit () };
    g_autofree uint64_t *all = g_new (uint64_t, 9 * (size_t) size);

    MPI_Gather (mine, 9, MPI_UINT64_T, all, 9, MPI_UINT64_T, 0, MPI_COMM_WORLD);
    if (rank != 0)
        return;
    fprintf (stderr, "rank users ghosts cut_arcs hop1_bytes hop2_bytes engine_bytes "
                     "peak_rss_kib set_bytes memory_limit\n");
    for (int r = 0; r < size; r++) {
        const uint64_t *a = all + 9 * r;
        fprintf (stderr, "%d", r);
        for (int k = 0; k < 9; k++)
            fprintf (stderr, " %" G_GUINT64_FORMAT, a[k]);
        fprintf (stderr, "\n");
    }
}

/* ---- graph/comm.h over MPI_COMM_WORLD ---------------------------------------------------- */

static gboolean
mpi_all_ok (const FsimComm *c, gboolean ok)
{
    int mine = ok ? 1 : 0, all = 0;

    (void) c;
    MPI_Allreduce (&mine, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    return all == 1;
}

/* MPI counts and displacements are ints: units of @unit bytes, at most INT_MAX in all. */
static gboolean
check_counts (const uint64_t *counts, GError **error)
{
    uint64_t total = 0;

    for (int r = 0; r < size; r++)
        total += counts[r];
    if (total <= INT_MAX)
        return TRUE;
    g_set_error (error, FSIM_SIM_ERROR, FSIM_SIM_ERROR_ARGUMENT,
                 "one exchange would carry %" G_GUINT64_FORMAT " items to a rank, more than "
                 "MPI's counts can hold: use more ranks",
                 total);
    return FALSE;
}

static MPI_Datatype
unit_type (size_t unit)
{
    MPI_Datatype t;

    MPI_Type_contiguous ((int) unit, MPI_BYTE, &t);
    MPI_Type_commit (&t);
    return t;
}

static void
to_int (const uint64_t *counts, int *out_counts, int *out_displs)
{
    int at = 0;

    for (int r = 0; r < size; r++) {
        out_counts[r] = (int) counts[r];
        out_displs[r] = at;
        at += out_counts[r];
    }
}

static gboolean
mpi_allgatherv (const FsimComm *c, const void *send, size_t count, void *recv, size_t unit,
                GError **error)
{
    uint64_t mine = count;
    g_autofree uint64_t *counts = g_new (uint64_t, (size_t) size);
    g_autofree int *icounts = g_new (int, (size_t) size), *displs = g_new (int, (size_t) size);

    (void) c;
    MPI_Allgather (&mine, 1, MPI_UINT64_T, counts, 1, MPI_UINT64_T, MPI_COMM_WORLD);
    if (!check_counts (counts, error)) /* the same verdict on every rank */
        return FALSE;
    to_int (counts, icounts, displs);
    MPI_Datatype t = unit_type (unit);
    MPI_Allgatherv (send, (int) count, t, recv, icounts, displs, t, MPI_COMM_WORLD);
    MPI_Type_free (&t);
    return TRUE;
}

static gboolean
mpi_alltoallv (const FsimComm *c, const void *send, const size_t *send_counts, void **out_recv,
               size_t *recv_counts, size_t unit, GError **error)
{
    g_autofree uint64_t *out = g_new (uint64_t, (size_t) size),
                        *in = g_new (uint64_t, (size_t) size);
    g_autofree int *scounts = g_new (int, (size_t) size), *sdispls = g_new (int, (size_t) size);
    g_autofree int *rcounts = g_new (int, (size_t) size), *rdispls = g_new (int, (size_t) size);
    g_autoptr (GError) mine = NULL;
    uint64_t total = 0;
    void *recv = NULL;

    *out_recv = NULL;
    for (int r = 0; r < size; r++)
        out[r] = send_counts[r];
    MPI_Alltoall (out, 1, MPI_UINT64_T, in, 1, MPI_UINT64_T, MPI_COMM_WORLD);
    for (int r = 0; r < size; r++)
        total += recv_counts[r] = (size_t) in[r];
    if (check_counts (out, &mine) && check_counts (in, &mine)) {
        recv = g_try_malloc (MAX (total * unit, 1));
        if (recv == NULL)
            g_set_error (&mine, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_NOMEM,
                         "out of memory for %" G_GUINT64_FORMAT " bytes from the other ranks",
                         total * unit);
    }
    if (!mpi_all_ok (c, mine == NULL)) {
        g_free (recv);
        if (mine != NULL)
            g_propagate_error (error, g_steal_pointer (&mine));
        else
            g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_OTHER_RANK,
                         "another rank could not receive its share of an exchange");
        return FALSE;
    }
    to_int (out, scounts, sdispls);
    to_int (in, rcounts, rdispls);
    MPI_Datatype t = unit_type (unit);
    MPI_Alltoallv (send, scounts, sdispls, t, recv, rcounts, rdispls, t, MPI_COMM_WORLD);
    MPI_Type_free (&t);
    *out_recv = recv;
    return TRUE;
}

/* The collectives of graph/comm.h over MPI_COMM_WORLD. */
static FsimComm
world_comm (void)
{
    return (FsimComm){ .rank = rank,
                       .size = size,
                       .all_ok = mpi_all_ok,
                       .allgatherv = mpi_allgatherv,
                       .alltoallv = mpi_alltoallv };
}

/*
 * This rank's users. A population that can be built by parts (a generated facebook_like or
 * erdos_renyi one, fsim_population_slice_can_build()) is: each rank generates only its users;
 * one from a snapshot is read by parts (fsim_population_slice_load()), one from an edge list
 * by byte ranges (fsim_population_slice_import()). Any other is still built whole by every
 * rank, which keeps its part and frees the rest (docs/scaling.md).
 */
static FsimPopulationSlice *
build_slice (FsimSim *sim, gboolean keep_names, GError **error)
{
    const FsimScenario *s = sim->scenario;
    const FsimComm comm = world_comm ();
    FsimPopulationSlice *slice = NULL;

    if (fsim_population_slice_can_build (s) || fsim_population_slice_can_load (s) ||
        fsim_population_slice_can_import (s)) {
        if (fsim_population_slice_can_load (s)) {
            slice = fsim_population_slice_load (s, &comm, 0, error);
        } else if (fsim_population_slice_can_import (s)) {
            slice = fsim_population_slice_import (s, &comm, error);
        } else {
            size_t n = s->population.gen_users;
            size_t first = fsim_population_slice_first (n, (size_t) size, (size_t) rank);
            size_t last = fsim_population_slice_first (n, (size_t) size, (size_t) rank + 1);
            slice = fsim_population_slice_build (s, &comm, first, last - first, error);
        }
        /* then the decisions, as fsim_sim_build() does; a failure here (out of memory) is
         * this rank's alone, and the caller makes the ranks agree on it */
        if (slice != NULL)
            sim->decisions = fsim_decisions_try_new (s, s->date, error);
        if (sim->decisions == NULL) {
            fsim_population_slice_free (slice);
            return NULL;
        }
        return slice;
    }
    if (!fsim_sim_build (sim, NULL, error))
        return NULL;
    size_t n = sim->pop->n_users;
    size_t first = fsim_population_slice_first (n, (size_t) size, (size_t) rank);
    size_t last = fsim_population_slice_first (n, (size_t) size, (size_t) rank + 1);
    slice = fsim_population_slice_new (sim->pop, first, last - first, error);
    if (keep_names && sim->pop->snapshot == NULL) /* sim->pop keeps its users' names alone */
        fsim_i_cli_mpi_names_only (sim->pop);
    else
        g_clear_pointer (&sim->pop, fsim_population_free);
    return slice;
}

/* Loads @path on every rank, checks the series of @series (nullable: a timeline's arguments)
 * against it, resolves @focus (nullable) into @out_focus and builds this rank's part of the
 * population: the first steps of every command over the ranks, agreed. */
static FsimExit
load_part (const char *path, const char *const *sets, const FsimTimelineArgs *series,
           const FsimFocusOptions *focus, FsimSim **out_sim, FsimFocus *out_focus,
           FsimPopulationSlice **out_slice, GError **error)
{
    const FsimSimOptions sim_options = { .sets = sets };
    g_autoptr (FsimSim) sim = fsim_sim_load (path, &sim_options, error);
    FsimExit status = agree (sim ? FSIM_EXIT_OK : FSIM_EXIT_INPUT, error);

    if (status != FSIM_EXIT_OK)
        return status;
    /* before the population, as one process checks them (the same verdict on every rank) */
    if (series)
        status = agree (fsim_i_timeline_series_ok (sim->scenario, series, error) ? FSIM_EXIT_OK
                                                                                 : FSIM_EXIT_USAGE,
                        error);
    if (status != FSIM_EXIT_OK)
        return status;
    /* the same scenario on every rank: the same focus, or the same error */
    if (focus)
        status = agree (fsim_i_focus_resolve (focus, sim->scenario, out_focus, error), error);
    if (status != FSIM_EXIT_OK)
        return status;
    g_autoptr (FsimPopulationSlice) slice = build_slice (sim, FALSE, error);
    status = agree (slice ? FSIM_EXIT_OK : FSIM_EXIT_INPUT, error);
    if (status != FSIM_EXIT_OK)
        return status;
    *out_sim = g_steal_pointer (&sim);
    *out_slice = g_steal_pointer (&slice);
    return FSIM_EXIT_OK;
}

FsimExit
fsim_i_cli_mpi_render (const char *path, const char *const *sets, const FsimFocusOptions *focus,
                       FsimReportFormat format, const FsimReportOptions *options, GString *out,
                       GError **error)
{
    g_autoptr (FsimSim) sim = NULL;
    g_autoptr (FsimPopulationSlice) slice = NULL;
    g_auto (FsimFocus) resolved = { 0 };
    FsimMpiStats stats = { 0 };
    FsimExit status = load_part (path, sets, NULL, focus, &sim, &resolved, &slice, error);

    if (status != FSIM_EXIT_OK)
        return status;
    sim->result = fsim_engine_run_mpi (sim->scenario, slice, sim->decisions,
                                       fsim_i_focus_given (focus) ? &resolved : NULL,
                                       MPI_COMM_WORLD, 0, &stats, error);
    status = agree (sim->result ? FSIM_EXIT_OK : FSIM_EXIT_INTERNAL, error);
    if (status != FSIM_EXIT_OK)
        return status;
    print_stats (&stats, sim->scenario->partner_words * sizeof (FsimWord));
    if (rank == 0) {
        /* the report reads the counts, and of the population only whether it has settings */
        FsimPopulation view = { .n_users = sim->result->n_users, .platform = slice->platform };
        if (!fsim_room_reserve (out, fsim_report_room (sim->scenario, sim->result, format),
                                "the report", error))
            return FSIM_EXIT_INTERNAL;
        fsim_report_render_with (sim->scenario, &view, sim->result, format, options, out);
    }
    return FSIM_EXIT_OK;
}

/* ---- population over the ranks ----------------------------------------------------------- */

FsimExit
fsim_i_cli_mpi_population (const char *path, const char *const *sets, size_t clustering_sample,
                           FsimSim **out_sim, FsimPopulationStats **out_stats,
                           FsimPopulationSlice **out_slice, GError **error)
{
    g_autoptr (FsimSim) sim = NULL;
    g_autoptr (FsimPopulationSlice) slice = NULL;
    FsimExit status = load_part (path, sets, NULL, NULL, &sim, NULL, &slice, error);

    if (status != FSIM_EXIT_OK)
        return status;
    const FsimComm comm = world_comm ();
    g_autoptr (FsimPopulationStats) st =
        fsim_population_stats_new_part (sim->scenario, slice, &comm, clustering_sample, error);
    status = agree (st ? FSIM_EXIT_OK : FSIM_EXIT_INPUT, error);
    if (status != FSIM_EXIT_OK)
        return status;
    *out_slice = g_steal_pointer (&slice);
    *out_sim = g_steal_pointer (&sim);
    *out_stats = g_steal_pointer (&st);
    return FSIM_EXIT_OK;
}

/* ---- for the other commands over the ranks (cli-mpi-private.h) -------------------------- */

FsimComm
fsim_i_cli_mpi_comm (void)
{
    return world_comm ();
}

FsimExit
fsim_i_cli_mpi_agree (FsimExit status, GError **error)
{
    return agree (status, error);
}

FsimPopulationSlice *
fsim_i_cli_mpi_build_slice (FsimSim *sim, gboolean keep_names, GError **error)
{
    return build_slice (sim, keep_names, error);
}

void
fsim_i_cli_mpi_print_stats (const FsimMpiStats *s, size_t set_bytes)
{
    print_stats (s, set_bytes);
}

/* ---- timeline over the ranks ------------------------------------------------------------- */

static FsimResult *
timeline_trace (const FsimDecisions *decisions, const FsimFocus *focus, void *data, GError **error)
{
    return fsim_engine_mpi_run (data, decisions, focus, error);
}

static gboolean
timeline_all_ok (gboolean ok, void *data)
{
    (void) data;
    return mpi_all_ok (NULL, ok);
}

FsimExit
fsim_i_cli_mpi_timeline (const char *path, const char *const *sets, const FsimTimelineArgs *a,
                         FsimSim **out_sim, FsimFocus *out_focus, FsimTimeline **out_timeline,
                         GError **error)
{
    g_autoptr (FsimSim) sim = NULL;
    g_autoptr (FsimPopulationSlice) slice = NULL;
    FsimExit status = load_part (path, sets, a, a->focus, &sim, out_focus, &slice, error);

    if (status != FSIM_EXIT_OK)
        return status;
    if (a->warn && rank == 0)
        fsim_i_warn_overrides (sim->scenario->path, sets, sim->scenario);
    /* the halo and both hops once; each traced date only traces and sums */
    g_autoptr (FsimEngineMpi) engine =
        fsim_engine_mpi_new (sim->scenario, slice, MPI_COMM_WORLD, 0, error);
    status = agree (engine ? FSIM_EXIT_OK : FSIM_EXIT_INTERNAL, error);
    if (status != FSIM_EXIT_OK)
        return status;
    const FsimTimelineTracer tracer = { .n_users = slice->n_total,
                                        .trace = timeline_trace,
                                        .all_ok = timeline_all_ok,
                                        .data = engine };
    g_autoptr (GError) local = NULL;
    FsimTimeline *t = fsim_timeline_new_traced (sim->scenario, &tracer, a->from, a->to, a->step,
                                                a->focus ? out_focus : NULL, &local);
    if (t == NULL) {
        status = g_error_matches (local, FSIM_TIMELINE_ERROR, FSIM_TIMELINE_ERROR_RANGE)
                     ? FSIM_EXIT_USAGE
                     : FSIM_EXIT_INTERNAL;
        g_propagate_error (error, g_steal_pointer (&local));
    }
    status = agree (status, error);
    if (status != FSIM_EXIT_OK) {
        fsim_timeline_free (t);
        return status;
    }
    print_stats (fsim_engine_mpi_stats (engine), sim->scenario->partner_words * sizeof (FsimWord));
    *out_sim = g_steal_pointer (&sim);
    *out_timeline = t;
    return FSIM_EXIT_OK;
}
