/* SPDX-License-Identifier: MIT */
/* sim-claims.h: flowsim claims --effect through the one pipeline (sim.h). */
#pragma once

#include <glib.h>

#include "claims-effect.h"
#include "sim.h"

/**
 * fsim_sim_claim_effects:
 * @base: @path simulated with @options (fsim_sim_new()): its claims are the ones tried, its
 *   run the one of every alternative in force
 * @options: (nullable): the options @base was simulated with; every run adds the choice of its
 *   alternative ("choices.CLAIM=ALT") after @options' overrides
 * @out_failure: (nullable): which kind of step failed; written only on failure
 *
 * Simulates @path once per alternative of each claim that is not in force, one claim at a
 * time (the others as in force), each with its own population from the scenario's seed.
 * Returns: (transfer full): the table, or NULL with @error set (naming the claim and the
 *   alternative) if one of them does not load or run; @base is not changed.
 */
FsimClaimEffects *fsim_sim_claim_effects (const FsimSim *base, const char *path,
                                          const FsimSimOptions *options,
                                          FsimSimFailure *out_failure, GError **error);
