/* SPDX-License-Identifier: MIT */
/* cli-mpi-private.h: what cli-mpi.c shares with the other commands over MPI ranks
 * (cli-mpi-check.c). Only built with -Dmpi. */
#pragma once

#include <glib.h>

#include "cli-private.h"
#include "engine-mpi.h"
#include "population-slice.h"
#include "sim.h"

/* Makes every rank agree on a step's outcome: the status and message of the lowest failing
 * rank on every rank (cli-mpi.c). Collective. */
FsimExit fsim_i_cli_mpi_agree (FsimExit status, GError **error);

/* This rank's users of @sim's scenario (loaded), and its decisions in sim->decisions. With
 * @keep_names, a population that had to be built whole leaves in sim->pop its users' names
 * alone (fsim_i_cli_mpi_names_only()); else sim->pop is NULL. Not collective by itself but
 * through the builders: every rank calls it; the caller agrees on the outcome. */
FsimPopulationSlice *fsim_i_cli_mpi_build_slice (FsimSim *sim, gboolean keep_names, GError **error);

/* Frees all of @pop but its users' names (user_ids, file_names, file_ids) and n_users. */
void fsim_i_cli_mpi_names_only (FsimPopulation *pop);

/* With FLOWSIM_MPI_STATS set in the environment: rank 0 writes one line per rank on stderr
 * (its users, ghosts, cut arcs, bytes sent per hop, engine bytes, peak RSS, partner-set bytes,
 * memory limit; docs/scaling.md). Without it nothing. Collective. */
void fsim_i_cli_mpi_print_stats (const FsimMpiStats *s, size_t set_bytes);
