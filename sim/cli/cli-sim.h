/* SPDX-License-Identifier: MIT */
/* cli-sim.h: the load -> population -> decisions -> run pipeline the drawing commands share. */
#pragma once

#include <glib.h>

#include "cli.h"
#include "engine.h"
#include "policy.h"
#include "population.h"
#include "scenario.h"

/*
 * Where a command gets its population when it is not to build it: get() returns the
 * population of @scenario (loaded with the command's overrides), which the caller borrows
 * until it calls release(); NULL with @error set on failure. `flowsim serve` keeps populations
 * this way across requests (serve-population.c); the CLI builds its own (no source).
 */
typedef struct {
    FsimPopulation *(*get) (void *data, const FsimScenario *scenario, GError **error);
    void (*release) (void *data, FsimPopulation *pop);
    void *data;
} FsimPopulationSource;

/* One simulated scenario, everything the outputs need; all members owned, but pop when
 * pop_source is set (borrowed from it). */
typedef struct {
    FsimScenario *scenario;
    FsimPopulation *pop;
    FsimDecisions *decisions;
    FsimResult *result;
    const FsimPopulationSource *pop_source;
} FsimCliSim;

void fsim_i_cli_sim_free (FsimCliSim *sim);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsimCliSim, fsim_i_cli_sim_free)

/**
 * fsim_i_cli_sim_new:
 * @path: (nullable): the scenario file; NULL for the default scenario
 * @sets: (nullable): `--set` overrides
 * @out_status: the exit status for the step that failed (FSIM_EXIT_INPUT for the scenario or
 *   its population, FSIM_EXIT_INTERNAL for the engine); written only on failure
 *
 * Loads @path, builds its population, decides on the scenario date and runs the engine.
 * Returns: (transfer full): the simulation, or NULL with @error set.
 */
FsimCliSim *fsim_i_cli_sim_new (const char *path, const char *const *sets, FsimExit *out_status,
                                GError **error);
/* The same with the population from @source (nullable: built). */
FsimCliSim *fsim_i_cli_sim_new_from (const char *path, const char *const *sets,
                                     const FsimPopulationSource *source, FsimExit *out_status,
                                     GError **error);

/* Parses "YYYY-MM-DD" for option @option; a usage error (FALSE) otherwise. */
gboolean fsim_i_cli_parse_day (const char *option, const char *text, FsimDay *out_day,
                               GError **error);
