/* SPDX-License-Identifier: MIT */
/* cli-mpi.h: flowsim under mpirun (cli-mpi.c, built with -Dmpi; docs/scaling.md). Without MPI
 * these say "one process" and the program is as it always was. */
#pragma once

#include <glib.h>

#include "cli-commands.h"
#include "cli-private.h"
#include "cli.h"
#include "comm.h"
#include "expect.h"
#include "population-report.h"
#include "population-slice.h"
#include "report.h"

/* Under mpirun, `flowsim check`'s counterexample (fsim_i_cli_mpi_check()): the user's 2-hop
 * neighbourhood gathered from the ranks, numbered in increasing global id and named by it. */
typedef struct {
    FsimPopulation *pop; /* owned; NULL: no counterexample */
    size_t user;         /* the counterexample user in @pop */
} FsimCliNeighbourhood;

#if FSIM_HAVE_MPI
/* Starts MPI when the program was started by mpirun (its environment says so), else nothing. */
void fsim_i_cli_mpi_start (int *argc, char ***argv);
/* Ends MPI if it was started; returns @status. */
int fsim_i_cli_mpi_finish (int status);
/* Whether MPI was started, this process's rank and the number of ranks (0 and 1 without). */
gboolean fsim_i_cli_mpi_active (void);
int fsim_i_cli_mpi_rank (void);
int fsim_i_cli_mpi_size (void);
/* `flowsim run` over the ranks: every rank loads the scenario, keeps its part of the users and
 * traces them, counting only @focus (--partner, --field, --jurisdiction; none given: all); the
 * counts are summed and rank 0 renders the report into @out (the other ranks leave it empty).
 * A failure on any rank fails every rank with the first failing rank's message and status.
 * Collective. */
FsimExit fsim_i_cli_mpi_render (const char *path, const char *const *sets,
                                const FsimFocusOptions *focus, FsimReportFormat format,
                                const FsimReportOptions *options, GString *out, GError **error);
/* The timeline of `flowsim timeline` over the ranks: every rank loads the scenario and keeps
 * its part of the users; the halo and both hops are exchanged once and each traced date's
 * counts are summed, so every rank gets the whole timeline in *@out_timeline, with the
 * scenario in *@out_sim and the resolved --partner/--field/--jurisdiction in @out_focus.
 * Warns about --set overrides (with a->warn) on rank 0 only. A failure on any rank fails every
 * rank with the first failing rank's message and status (2 for a range or budget error, 3, 4).
 * Collective. */
FsimExit fsim_i_cli_mpi_timeline (const char *path, const char *const *sets,
                                  const FsimTimelineArgs *a, FsimSim **out_sim,
                                  FsimFocus *out_focus, FsimTimeline **out_timeline,
                                  GError **error);
/* One scenario of `flowsim check` over the ranks: every rank loads @path; a scenario with
 * expectations has its population built by parts, the engine's halo and both hops made once,
 * and every day's counts summed (fsim_check_run_parts()); each counterexample's neighbourhood
 * is then gathered into *@out_shown (FsimCliNeighbourhood, one per result, on every rank).
 * Returns: FSIM_EXIT_OK with *@out_sim (its pop NULL, or only its users' names) and
 *   *@out_check; FSIM_EXIT_INPUT with @error set when the file cannot be checked (the message
 *   of the first failing rank, as one process gives it). A counterexample's users are named as
 *   one process names them: a snapshot's names are carried by their ranks (docs/scaling.md).
 *   Collective. */
FsimExit fsim_i_cli_mpi_check (const char *path, const char *const *sets, FsimSim **out_sim,
                               FsimCheck **out_check, GArray **out_shown, GError **error);
/* The measurements of `flowsim population` over the ranks: every rank loads the scenario,
 * keeps its part of the users (in *@out_slice, for --save and --export), and the ranks measure
 * the whole population together (fsim_population_stats_new_part()), so every rank gets them in
 * *@out_stats, with the scenario in *@out_sim. A failure on any rank fails every rank with the
 * first failing rank's message and status. Collective. */
FsimExit fsim_i_cli_mpi_population (const char *path, const char *const *sets,
                                    size_t clustering_sample, FsimSim **out_sim,
                                    FsimPopulationStats **out_stats,
                                    FsimPopulationSlice **out_slice, GError **error);
/* The collectives of graph/comm.h over MPI_COMM_WORLD, for the writers by parts. */
FsimComm fsim_i_cli_mpi_comm (void);
/* Every rank takes the status (and message) of the first rank whose @status is not
 * FSIM_EXIT_OK, else FSIM_EXIT_OK. Collective. */
FsimExit fsim_i_cli_mpi_agree (FsimExit status, GError **error);
#else
static inline void
fsim_i_cli_mpi_start (int *argc, char ***argv)
{
    (void) argc, (void) argv;
}
static inline int
fsim_i_cli_mpi_finish (int status)
{
    return status;
}
static inline gboolean
fsim_i_cli_mpi_active (void)
{
    return FALSE;
}
static inline int
fsim_i_cli_mpi_rank (void)
{
    return 0;
}
static inline int
fsim_i_cli_mpi_size (void)
{
    return 1;
}
#endif
