/* SPDX-License-Identifier: MIT */
/* cmd-analysis.c: scenario loading shared by the analysis subcommands (options: cli-options.c). */
#include "config.h"

#include <glib.h>

#include "cmd-analysis.h"

void
fsim_i_world_clear (FsimWorld *w)
{
    g_clear_pointer (&w->tracer, fsim_tracer_free);
    g_clear_pointer (&w->sim, fsim_sim_free);
    w->scenario = NULL;
    w->pop = NULL;
}

FsimExit
fsim_i_world_load (FsimWorld *w, const char *path, const char *const *sets, GError **error)
{
    const FsimSimOptions options = { .sets = sets };
    g_autoptr (FsimSim) sim = fsim_sim_load (path, &options, error);

    fsim_i_world_clear (w);
    if (!sim || !fsim_sim_build (sim, &options, error))
        return FSIM_EXIT_INPUT;
    w->tracer = fsim_tracer_new (sim->scenario, sim->pop, sim->decisions, error);
    if (!w->tracer)
        return FSIM_EXIT_INTERNAL;
    w->scenario = sim->scenario;
    w->pop = sim->pop;
    w->sim = g_steal_pointer (&sim);
    return FSIM_EXIT_OK;
}
