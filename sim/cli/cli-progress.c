/* SPDX-License-Identifier: MIT */
/* cli-progress.c: the load -> build -> trace -> render pipeline with progress on a terminal. */
#include "config.h"

#include <glib.h>

#include "cli-private.h"
#include "engine.h"
#include "loader.h"
#include "policy.h"
#include "population.h"
#include "progress.h"
#include "report.h"

/* Populations from this many users up take long enough to say so at once. */
#define LONG_BUILD_USERS 100000

static gboolean
build_is_long (const FsimScenario *s)
{
    const FsimPopulationSpec *ps = &s->population;

    if (ps->kind == FSIM_POPULATION_IMPORTED)
        return TRUE;
    return (ps->kind == FSIM_POPULATION_GENERATED ? ps->gen_users : ps->n_users) >=
           LONG_BUILD_USERS;
}

/**
 * fsim_i_cli_load_population:
 * Loads @path with @sets and builds its population, reporting the build on @progress.
 * Returns: FSIM_EXIT_OK with *@out_scenario and *@out_pop set, or FSIM_EXIT_INPUT with @error
 *   set and the outputs untouched.
 */
FsimExit
fsim_i_cli_load_population (const char *path, const char *const *sets, FsimProgress *progress,
                            FsimScenario **out_scenario, FsimPopulation **out_pop, GError **error)
{
    g_autoptr (FsimScenario) scenario = fsim_loader_load_scenario (path, sets, error);
    g_autoptr (FsimPopulation) pop = NULL;

    if (scenario == NULL)
        return FSIM_EXIT_INPUT;
    fsim_progress_phase (progress, "building the population", build_is_long (scenario));
    pop = fsim_population_build (scenario, error);
    if (pop == NULL)
        return FSIM_EXIT_INPUT;
    *out_scenario = g_steal_pointer (&scenario);
    *out_pop = g_steal_pointer (&pop);
    return FSIM_EXIT_OK;
}

/**
 * fsim_i_cli_render_progress:
 * Loads @path with @sets, builds the population, decides, traces and renders into @out, with
 * a progress line on stderr while the population is built and traced, when stderr is a
 * terminal and not @quiet. Returns FSIM_EXIT_OK, or the status of the failing step.
 */
FsimExit
fsim_i_cli_render_progress (const char *path, const char *const *sets,
                            const FsimFocusOptions *focus_options, FsimReportFormat format,
                            gboolean quiet, GString *out, GError **error)
{
    g_autoptr (FsimProgress) progress = fsim_progress_new (2, fsim_progress_wanted (quiet));
    g_autoptr (FsimScenario) scenario = NULL;
    g_autoptr (FsimPopulation) pop = NULL;
    g_autoptr (FsimDecisions) decisions = NULL;
    g_autoptr (FsimResult) result = NULL;
    FsimExit status;

    g_auto (FsimFocus) focus = { 0 };
    status = fsim_i_cli_load_population (path, sets, progress, &scenario, &pop, error);
    if (status == FSIM_EXIT_OK)
        status = fsim_i_focus_resolve (focus_options, scenario, &focus, error);
    if (status != FSIM_EXIT_OK)
        return status;
    decisions = fsim_decisions_new (scenario, scenario->date);
    fsim_progress_phase (progress, "tracing", FALSE);
    result = fsim_engine_run_focused (scenario, pop, decisions,
                                      fsim_i_focus_given (focus_options) ? &focus : NULL,
                                      fsim_progress_update, progress, error);
    if (result == NULL)
        return FSIM_EXIT_INTERNAL;
    g_clear_pointer (&progress, fsim_progress_free); /* erase the line before the report */
    fsim_report_render (scenario, pop, result, format, out);
    return FSIM_EXIT_OK;
}
