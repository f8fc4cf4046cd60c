/* SPDX-License-Identifier: MIT */
/* sim.h: the one load -> population -> decisions -> trace pipeline, for the CLI and the
 * library's facade (include/flowsim/flowsim.h). */
#pragma once

#include <glib.h>

#include "diff.h"
#include "engine.h"
#include "policy.h"
#include "population.h"
#include "scenario.h"

/* What a step failed on, as flowsim's exit statuses: the arguments (2), the input (3) or
 * anything else (4). */
typedef enum {
    FSIM_SIM_FAILED_USAGE = 2,
    FSIM_SIM_FAILED_INPUT = 3,
    FSIM_SIM_FAILED_INTERNAL = 4,
} FsimSimFailure;

#define FSIM_SIM_ERROR (fsim_sim_error_quark ())
GQuark fsim_sim_error_quark (void);

typedef enum {
    FSIM_SIM_ERROR_ARGUMENT, /* an argument is wrong: a policy file where a scenario is needed, ... */
} FsimSimError;

/* How to simulate; zero-initialised means: no overrides, default threads, no progress. */
typedef struct {
    const char *const *sets; /* `--set` overrides, NULL-terminated, or NULL */
    unsigned threads;        /* 0: fsim_parallel_workers()'s default (graph/parallel.h) */
    FsimProgressFunc progress;
    void *progress_data;
    const FsimFocus *focus; /* fsim_sim_trace() counts only these flows (engine.h), or NULL */
} FsimSimOptions;

/* One simulated scenario; all members owned. result is NULL until fsim_sim_trace(). */
typedef struct {
    FsimScenario *scenario;
    FsimPopulation *pop;
    FsimDecisions *decisions;
    FsimResult *result;
} FsimSim;

void fsim_sim_free (FsimSim *sim);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsimSim, fsim_sim_free)

/**
 * fsim_sim_load:
 * @options: (nullable)
 *
 * Loads @path with the overrides of @options (step 1 of 3).
 * Returns: (transfer full): the simulation with only its scenario, or NULL with @error set
 *   (a FSIM_SIM_FAILED_INPUT failure).
 */
FsimSim *fsim_sim_load (const char *path, const FsimSimOptions *options, GError **error);

/**
 * fsim_sim_build:
 * Builds the population of @sim's scenario and decides on its date (step 2 of 3).
 * Returns: FALSE with @error set if the population could not be built (an input failure).
 */
gboolean fsim_sim_build (FsimSim *sim, const FsimSimOptions *options, GError **error);

/**
 * fsim_sim_trace:
 * Traces every user of @sim (phase "tracing" on the progress of @options) into sim->result
 * (step 3 of 3).
 * Returns: FALSE with @error set if the engine failed (sim->result stays NULL).
 */
gboolean fsim_sim_trace (FsimSim *sim, const FsimSimOptions *options, GError **error);

/* The three steps: fsim_sim_load(), fsim_sim_build() and fsim_sim_trace().
 * @out_failure: (nullable): which kind of step failed; written only on failure */
FsimSim *fsim_sim_new (const char *path, const FsimSimOptions *options, FsimSimFailure *out_failure,
                       GError **error);

/* A comparison and the two simulations it points into; all members owned. */
typedef struct {
    FsimSim *base;
    FsimSim *whatif; /* its pop is the one matched to the base's people */
    FsimDiff *diff;
    char *note; /* how the people were matched (fsim_diff_population()) */
} FsimSimDiff;

void fsim_sim_diff_free (FsimSimDiff *d);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsimSimDiff, fsim_sim_diff_free)

/**
 * fsim_sim_diff:
 * @whatif_path: (nullable): NULL for @base_path with the overrides of @whatif_options
 * @whatif_options: (nullable): the what-if's overrides (the base is loaded without any)
 * @out_failure: (nullable): as for fsim_sim_new(); FSIM_SIM_FAILED_USAGE when a file is a
 *   policy file (diff compares scenarios)
 *
 * Loads both, builds their populations, matches the what-if's people to the base's
 * (fsim_diff_population()) and compares.
 * Returns: (transfer full): the comparison, or NULL with @error set.
 */
FsimSimDiff *fsim_sim_diff (const char *base_path, const char *whatif_path,
                            const FsimSimOptions *whatif_options, FsimSimFailure *out_failure,
                            GError **error);

/* fsim_sim_diff() in two steps, for a focus resolved against the loaded what-if: everything
 * but the comparison (d->diff stays NULL), then the comparison (fsim_diff_new_focused(), with
 * @focus nullable). Returns: as fsim_sim_diff(); FALSE with @error set. */
FsimSimDiff *fsim_sim_diff_prepare (const char *base_path, const char *whatif_path,
                                    const FsimSimOptions *whatif_options,
                                    FsimSimFailure *out_failure, GError **error);
gboolean fsim_sim_diff_compare (FsimSimDiff *d, const FsimFocus *focus, FsimSimFailure *out_failure,
                                GError **error);
