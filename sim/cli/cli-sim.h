/* SPDX-License-Identifier: MIT */
/* cli-sim.h: the load -> population -> decisions -> run pipeline the drawing commands share. */
#pragma once

#include <glib.h>

#include "cli.h"
#include "scenario.h"
#include "sim.h"

/**
 * fsim_i_cli_sim_new:
 * @path: (nullable): the scenario file; NULL for the default scenario
 * @sets: (nullable): `--set` overrides
 * @out_status: the exit status for the step that failed (FSIM_EXIT_INPUT for the scenario or
 *   its population, FSIM_EXIT_INTERNAL for the engine); written only on failure
 *
 * fsim_sim_new() on @path, or on the bundled default scenario.
 * Returns: (transfer full): the simulation, or NULL with @error set.
 */
FsimSim *fsim_i_cli_sim_new (const char *path, const char *const *sets, FsimExit *out_status,
                                GError **error);

/* Parses "YYYY-MM-DD" for option @option; a usage error (FALSE) otherwise. */
gboolean fsim_i_cli_parse_day (const char *option, const char *text, FsimDay *out_day,
                               GError **error);
