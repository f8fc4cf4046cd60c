/* SPDX-License-Identifier: MIT */
/* reference.h: a slow, obviously-correct engine to check fsim_engine_run() against. */
#pragma once

#include "engine.h"

/**
 * fsim_reference_run:
 * Traces @pop under @scenario on @decisions' date with plain loops over users, friends,
 * partners, APIs and scopes, straight from the semantics (docs/semantics.md). No bit sets,
 * no precomputation beyond downstream reachability. Quadratic and worse: small inputs only.
 * Returns: (transfer full): counts shaped like fsim_engine_run()'s. Can't fail.
 */
FsimResult *fsim_reference_run (const FsimScenario *scenario, const FsimPopulation *pop,
                                const FsimDecisions *decisions);

/* Asserts that @a and @b hold the same counts, naming the first difference. */
void fsim_reference_assert_equal (const FsimScenario *scenario, const FsimResult *a,
                                  const FsimResult *b);
