/* SPDX-License-Identifier: MIT */
/* engine-mpi.h: the engine over MPI ranks, each tracing its own users (docs/scaling.md). Only
 * built with -Dmpi; the only engine header that includes mpi.h. */
#pragma once

#include <mpi.h>

#include <glib.h>

#include "engine.h"
#include "population-slice.h"

/* What one rank exchanged and held (for docs/scaling.md's measurements). */
typedef struct {
    size_t n_own;        /* users of this rank */
    size_t n_ghosts;     /* other ranks' users that are friends of this rank's */
    size_t cut_arcs;     /* friend-list entries of this rank pointing to another rank */
    size_t hop_bytes[2]; /* bytes sent: hop 1 (partner sets), hop 2 (ONE and TWO sets) */
    size_t engine_bytes; /* bytes of the local friend lists, sets and near arrays */
} FsimMpiStats;

/*
 * The trace over ranks, kept for several traces of one population (timeline's dates, check's
 * days): the halo (ghosts, local numbering) and both hops' exchanges depend on the population
 * alone, so they are made once, by fsim_engine_mpi_new(), and each fsim_engine_mpi_run() only
 * traces the rank's users under its decisions and sums the counts.
 */
typedef struct FsimEngineMpi FsimEngineMpi;

/**
 * fsim_engine_mpi_new:
 * @slice: this rank's users, as for fsim_engine_run_mpi(): relabelled in place; it must
 *   outlive the returned object, which reads it
 * Builds the halo and exchanges the boundary users' partner sets (hop 1) and ONE and TWO sets
 * (hop 2). Collective over @comm.
 * Returns: (transfer full): or NULL with @error set on every rank (this rank's failure, or
 *   FSIM_GRAPH_ERROR_OTHER_RANK when another rank failed): FSIM_GRAPH_ERROR_NOMEM "out of
 *   memory: needed N bytes for ..." when the halo's arrays or the sets of the rank's users and
 *   ghosts do not fit (every one is tried, and the ranks agree before each exchange).
 */
FsimEngineMpi *fsim_engine_mpi_new (const FsimScenario *scenario, FsimPopulationSlice *slice,
                                    MPI_Comm comm, unsigned threads, GError **error);
void fsim_engine_mpi_free (FsimEngineMpi *e);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsimEngineMpi, fsim_engine_mpi_free)

/**
 * fsim_engine_mpi_run:
 * The counts of the whole population under @decisions (counting only @focus, nullable), the
 * same on every rank and the same as fsim_engine_run_focused() on the whole population. No
 * exchange but the sum of the counts. Collective: every rank calls it with the same decisions.
 * Returns: (transfer full): or NULL with @error set on every rank (the model graph walk failed;
 *   this rank's counters, tracing scratch or sum's buffer did not fit in memory,
 *   FSIM_GRAPH_ERROR_NOMEM; or FSIM_GRAPH_ERROR_OTHER_RANK: another rank's did not).
 */
FsimResult *fsim_engine_mpi_run (FsimEngineMpi *e, const FsimDecisions *decisions,
                                 const FsimFocus *focus, GError **error);

/* The rank's users over the trace's local numbering (own users 0 .. n_own - 1, then the
 * ghosts, of whom it holds the partner use only; the settings are the own users'), and their
 * ONE and TWO sets as exchanged (fsim_population_near()'s layout), for fsim_tracer_new_near().
 * Valid as long as @e. (transfer none) */
const FsimPopulation *fsim_engine_mpi_population (const FsimEngineMpi *e);
const FsimWord *fsim_engine_mpi_near (const FsimEngineMpi *e);
/* The global id of the rank's local user @v (an own user or a ghost). */
size_t fsim_engine_mpi_global (const FsimEngineMpi *e, size_t v);

/* What this rank exchanged and holds. (transfer none) */
const FsimMpiStats *fsim_engine_mpi_stats (const FsimEngineMpi *e);

/**
 * fsim_engine_run_mpi:
 * @slice: this rank's users: part `rank` of `size` of @comm (fsim_population_slice_first());
 *   its friend lists (adj) are rewritten in place into the trace's local numbering (own
 *   users, then ghosts), so that the rank holds them once; its other arrays are unchanged
 * @focus: (nullable): count only what it selects, as fsim_engine_run_focused()
 * @threads: workers on this rank (0: fsim_parallel_workers()'s default)
 * @out_stats: (nullable): this rank's measurements
 * The trace of fsim_engine_run() over the ranks of @comm: the partner sets of the users on a
 * rank boundary are exchanged for each of the two hops (MPI_Alltoallv), each rank traces its
 * own users, and the counts are summed over the ranks. Collective: every rank of @comm calls
 * it with the same scenario and decisions.
 * Returns: (transfer full): the counts of the whole population, the same on every rank and
 *   the same as fsim_engine_run() on the whole population, or NULL with @error set on every
 *   rank, as fsim_engine_mpi_new() and fsim_engine_mpi_run() set it.
 */
FsimResult *fsim_engine_run_mpi (const FsimScenario *scenario, FsimPopulationSlice *slice,
                                 const FsimDecisions *decisions, const FsimFocus *focus,
                                 MPI_Comm comm, unsigned threads, FsimMpiStats *out_stats,
                                 GError **error);
