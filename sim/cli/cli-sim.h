/* SPDX-License-Identifier: MIT */
/* cli-sim.h: the load -> population -> decisions -> run pipeline the drawing commands share. */
#pragma once

#include <glib.h>

#include "cli.h"
#include "engine.h"
#include "policy.h"
#include "population.h"
#include "scenario.h"

/* One simulated scenario, everything the outputs need; all members owned. */
typedef struct {
    FsimScenario *scenario;
    FsimPopulation *pop;
    FsimDecisions *decisions;
    FsimResult *result;
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

/* Parses "YYYY-MM-DD" for option @option; a usage error (FALSE) otherwise. */
gboolean fsim_i_cli_parse_day (const char *option, const char *text, FsimDay *out_day,
                               GError **error);
