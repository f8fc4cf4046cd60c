/* SPDX-License-Identifier: MIT */
/* cmd-analysis.h: what the analysis subcommands (explain, diff, check, lint, possible) share. */
#pragma once

#include <glib.h>

#include "cli-private.h"
#include "cli-sim.h"
#include "explain.h"
#include "policy.h"
#include "population.h"
#include "scenario.h"
#include "sim.h"

/* A scenario made ready to trace (api/sim.c: its population and decisions on its date), and
 * a tracer over it. */
typedef struct {
    FsimSim *sim;
    FsimScenario *scenario; /* the sim's, for short */
    FsimPopulation *pop;
    FsimTracer *tracer;
    const FsimPopulationSource *pop_source; /* set: the sim's pop is borrowed from it */
} FsimWorld;

void fsim_i_world_clear (FsimWorld *w);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FsimWorld, fsim_i_world_clear)

/* Loads @path with @sets into @w (cleared first). Returns: FSIM_EXIT_OK, FSIM_EXIT_INPUT (bad
 * file or population) or FSIM_EXIT_INTERNAL, with @error set on failure. */
FsimExit fsim_i_world_load (FsimWorld *w, const char *path, const char *const *sets,
                            GError **error);
/* The same with the population from @source (nullable: built). */
FsimExit fsim_i_world_load_from (FsimWorld *w, const char *path, const char *const *sets,
                                 const FsimPopulationSource *source, GError **error);
