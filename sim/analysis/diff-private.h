/* SPDX-License-Identifier: MIT */
/* diff-private.h: what the parts of diff (diff.c, diff-users.c, diff-decisions.c) share. */
#pragma once

#include <glib.h>

#include "diff.h"
#include "policy.h"
#include "population.h"

gboolean fsim_i_diff_users (FsimDiff *diff, const FsimPopulation *base_pop,
                            const FsimDecisions *base_d, const FsimPopulation *whatif_pop,
                            const FsimDecisions *whatif_d, const FsimFocus *focus, GError **error);
void fsim_i_diff_decisions (FsimDiff *diff, const FsimDecisions *base_d,
                            const FsimDecisions *whatif_d, const FsimFocus *focus);
