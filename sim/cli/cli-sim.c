/* SPDX-License-Identifier: MIT */
/* cli-sim.c: the simulation the drawing commands share (the pipeline is api/sim.c). */
#include "config.h"

#include <glib.h>

#include "cli-private.h"
#include "cli-sim.h"

FsimSim *
fsim_i_cli_sim_new (const char *path, const char *const *sets, FsimExit *out_status, GError **error)
{
    g_return_val_if_fail (out_status != NULL, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);
    g_autofree char *default_path = path ? NULL : fsim_cli_default_scenario_path ();
    const FsimSimOptions options = { .sets = sets };
    FsimSimFailure failure = FSIM_SIM_FAILED_INTERNAL;
    FsimSim *sim = fsim_sim_new (path ? path : default_path, &options, &failure, error);

    if (sim == NULL)
        *out_status = failure == FSIM_SIM_FAILED_INPUT ? FSIM_EXIT_INPUT : FSIM_EXIT_INTERNAL;
    return sim;
}

void
fsim_i_cli_sim_clear (FsimCliSim *s)
{
    if (s->sim && s->sim->pop && s->source)
        s->source->release (s->source->data, g_steal_pointer (&s->sim->pop));
    g_clear_pointer (&s->sim, fsim_sim_free);
    s->source = NULL;
}

FsimExit
fsim_i_cli_sim_init (FsimCliSim *s, const char *path, const char *const *sets,
                     const FsimPopulationSource *source, GError **error)
{
    g_return_val_if_fail (s != NULL && s->sim == NULL, FSIM_EXIT_INTERNAL);
    FsimExit status = FSIM_EXIT_OK;
    if (!source) {
        s->sim = fsim_i_cli_sim_new (path, sets, &status, error);
        return s->sim ? FSIM_EXIT_OK : status;
    }
    /* fsim_sim_new()'s three steps, the population of the second from @source */
    g_autofree char *default_path = path ? NULL : fsim_cli_default_scenario_path ();
    const FsimSimOptions options = { .sets = sets };
    s->sim = fsim_sim_load (path ? path : default_path, &options, error);
    if (!s->sim)
        return FSIM_EXIT_INPUT;
    s->source = source;
    s->sim->pop = source->get (source->data, s->sim->scenario, error);
    if (!s->sim->pop)
        return FSIM_EXIT_INPUT;
    s->sim->decisions = fsim_decisions_new (s->sim->scenario, s->sim->scenario->date);
    return fsim_sim_trace (s->sim, &options, error) ? FSIM_EXIT_OK : FSIM_EXIT_INTERNAL;
}

gboolean
fsim_i_cli_parse_day (const char *option, const char *text, FsimDay *out_day, GError **error)
{
    if (text == NULL || !fsim_day_parse (text, out_day)) {
        fsim_i_cli_usage_error (error, "%s '%s' is not a date (YYYY-MM-DD)", option,
                                text ? text : "");
        return FALSE;
    }
    return TRUE;
}
