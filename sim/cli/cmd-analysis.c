/* SPDX-License-Identifier: MIT */
/* cmd-analysis.c: scenario loading shared by the analysis subcommands (options: cli-options.c). */
#include "config.h"

#include <glib.h>

#include "cmd-analysis.h"
#include "loader.h"

void
fsim_i_world_clear (FsimWorld *w)
{
    g_clear_pointer (&w->tracer, fsim_tracer_free);
    g_clear_pointer (&w->decisions, fsim_decisions_free);
    g_clear_pointer (&w->pop, fsim_population_free);
    g_clear_pointer (&w->scenario, fsim_scenario_free);
}

FsimExit
fsim_i_world_take (FsimWorld *w, FsimScenario *scenario, FsimPopulation *pop, FsimDay day,
                   GError **error)
{
    fsim_i_world_clear (w);
    w->scenario = scenario;
    w->pop = pop ? pop : fsim_population_build (scenario, error);
    if (!w->pop)
        return FSIM_EXIT_INPUT;
    w->decisions = fsim_decisions_new (scenario, day);
    w->tracer = fsim_tracer_new (scenario, w->pop, w->decisions, error);
    return w->tracer ? FSIM_EXIT_OK : FSIM_EXIT_INTERNAL;
}

FsimExit
fsim_i_world_load (FsimWorld *w, const char *path, const char *const *sets, GError **error)
{
    FsimScenario *s = fsim_loader_load (path, sets, error);
    fsim_i_world_clear (w);
    if (!s)
        return FSIM_EXIT_INPUT;
    return fsim_i_world_take (w, s, NULL, s->date, error);
}
