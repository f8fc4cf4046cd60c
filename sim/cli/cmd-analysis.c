/* SPDX-License-Identifier: MIT */
/* cmd-analysis.c: scenario loading shared by the analysis subcommands (options: cli-options.c). */
#include "config.h"

#include <glib.h>

#include "cmd-analysis.h"

void
fsim_i_world_clear (FsimWorld *w)
{
    g_clear_pointer (&w->tracer, fsim_tracer_free);
    fsim_i_cli_sim_give_back (w->sim, w->pop_source);
    w->pop_source = NULL;
    g_clear_pointer (&w->sim, fsim_sim_free);
    w->scenario = NULL;
    w->pop = NULL;
}

FsimExit
fsim_i_world_load (FsimWorld *w, const char *path, const char *const *sets, GError **error)
{
    return fsim_i_world_load_from (w, path, sets, NULL, error);
}

/* Fails with @status, leaving @w cleared. */
static FsimExit
world_fail (FsimWorld *w, FsimExit status)
{
    fsim_i_world_clear (w);
    return status;
}

FsimExit
fsim_i_world_load_from (FsimWorld *w, const char *path, const char *const *sets,
                        const FsimPopulationSource *source, GError **error)
{
    const FsimSimOptions options = { .sets = sets };

    fsim_i_world_clear (w);
    w->sim = fsim_sim_load (path, &options, error);
    if (!w->sim)
        return FSIM_EXIT_INPUT;
    w->pop_source = source; /* before the build: a population borrowed is given back */
    if (!fsim_i_cli_sim_build (w->sim, source, error))
        return world_fail (w, FSIM_EXIT_INPUT);
    w->tracer = fsim_tracer_new (w->sim->scenario, w->sim->pop, w->sim->decisions, error);
    if (!w->tracer)
        return world_fail (w, FSIM_EXIT_INTERNAL);
    w->scenario = w->sim->scenario;
    w->pop = w->sim->pop;
    return FSIM_EXIT_OK;
}
