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
    /* Optional: the whole simulation of @path with @sets, loaded, built and traced, lent
     * read-only until given to release_sim() (serve-sims.c shares one between the requests
     * of a view); NULL with @error set and *@out_status the failed step's exit status. */
    FsimSim *(*get_sim) (void *data, const char *path, const char *const *sets,
                         FsimExit *out_status, GError **error);
    void (*release_sim) (void *data, FsimSim *sim);
} FsimPopulationSource;

/* A simulation of the command bodies (cli-commands.h): sim->pop is borrowed from source when
 * source is set, else owned like the rest; the whole sim is borrowed when @lent. Initialise
 * with { 0 }. */
typedef struct {
    FsimSim *sim;
    const FsimPopulationSource *source;
    gboolean lent; /* from source->get_sim() */
} FsimCliSim;

/* fsim_sim_build() of @sim (loaded), the population from @source (nullable: built).
 * FALSE with @error set if there is none. */
gboolean fsim_i_cli_sim_build (FsimSim *sim, const FsimPopulationSource *source, GError **error);
/* Before fsim_sim_free(): gives @sim's population back to @source (nullable: nothing to do). */
void fsim_i_cli_sim_give_back (FsimSim *sim, const FsimPopulationSource *source);

void fsim_i_cli_sim_clear (FsimCliSim *s);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FsimCliSim, fsim_i_cli_sim_clear)

/* fsim_i_cli_sim_new() into @s, the population from @source (nullable: built). Returns
 * FSIM_EXIT_OK, or the exit status of the failing step with @error set (@s then holds what
 * was made; clear it). */
FsimExit fsim_i_cli_sim_init (FsimCliSim *s, const char *path, const char *const *sets,
                              const FsimPopulationSource *source, GError **error);

/* Parses "YYYY-MM-DD" for option @option; a usage error (FALSE) otherwise. */
gboolean fsim_i_cli_parse_day (const char *option, const char *text, FsimDay *out_day,
                               GError **error);
