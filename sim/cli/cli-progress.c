/* SPDX-License-Identifier: MIT */
/* cli-progress.c: the load -> build -> trace -> render pipeline with progress on a terminal. */
#include "config.h"

#include <glib.h>

#include "cli-private.h"
#include "progress.h"
#include "report.h"
#include "room.h"
#include "sim.h"

/* Populations from this many users up take long enough to say so at once. */
#define LONG_BUILD_USERS 100000

static gboolean
build_is_long (const FsimScenario *s)
{
    const FsimPopulationSpec *ps = &s->population;

    if (ps->kind == FSIM_POPULATION_IMPORTED || ps->snapshot != NULL)
        return TRUE;
    return (ps->kind == FSIM_POPULATION_GENERATED ? ps->gen_users : ps->n_users) >=
           LONG_BUILD_USERS;
}

/* Loads @path with @sets and builds its population, the build shown on @progress. */
static FsimSim *
load_sim (const char *path, const char *const *sets, FsimProgress *progress, GError **error)
{
    const FsimSimOptions options = { .sets = sets };
    g_autoptr (FsimSim) sim = fsim_sim_load (path, &options, error);

    if (sim == NULL)
        return NULL;
    fsim_progress_phase (progress,
                         sim->scenario->population.snapshot ? "loading the population snapshot"
                                                            : "building the population",
                         build_is_long (sim->scenario));
    return fsim_sim_build (sim, &options, error) ? g_steal_pointer (&sim) : NULL;
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
    g_autoptr (FsimSim) sim = load_sim (path, sets, progress, error);

    if (sim == NULL)
        return FSIM_EXIT_INPUT;
    *out_scenario = g_steal_pointer (&sim->scenario);
    *out_pop = g_steal_pointer (&sim->pop);
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
                            const FsimReportOptions *report, gboolean quiet, GString *out,
                            GError **error)
{
    g_autoptr (FsimProgress) progress = fsim_progress_new (2, fsim_progress_wanted (quiet));
    g_auto (FsimFocus) focus = { 0 };
    const FsimSimOptions options = {
        .progress = fsim_progress_update,
        .progress_data = progress,
        .focus = fsim_i_focus_given (focus_options) ? &focus : NULL,
    };
    g_autoptr (FsimSim) sim = load_sim (path, sets, progress, error);

    if (sim == NULL)
        return FSIM_EXIT_INPUT;
    FsimExit status = fsim_i_focus_resolve (focus_options, sim->scenario, &focus, error);
    if (status != FSIM_EXIT_OK)
        return status;
    fsim_i_warn_overrides (path, sets, sim->scenario);
    fsim_progress_phase (progress, "tracing", FALSE);
    if (!fsim_sim_trace (sim, &options, error))
        return FSIM_EXIT_INTERNAL;
    g_clear_pointer (&progress, fsim_progress_free); /* erase the line before the report */
    if (!fsim_room_reserve (out, fsim_report_room (sim->scenario, sim->result, format),
                            "the report", error))
        return FSIM_EXIT_INTERNAL;
    fsim_report_render_with (sim->scenario, sim->pop, sim->result, format, report, out);
    return FSIM_EXIT_OK;
}
