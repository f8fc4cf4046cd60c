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

gboolean
fsim_i_cli_sim_build (FsimSim *sim, const FsimPopulationSource *source, GError **error)
{
    if (!source)
        return fsim_sim_build (sim, NULL, error);
    /* what fsim_sim_build() does, the population borrowed */
    sim->pop = source->get (source->data, sim->scenario, error);
    if (!sim->pop)
        return FALSE;
    sim->decisions = fsim_decisions_try_new (sim->scenario, sim->scenario->date, error);
    return sim->decisions != NULL;
}

void
fsim_i_cli_sim_give_back (FsimSim *sim, const FsimPopulationSource *source)
{
    if (sim && sim->pop && source)
        source->release (source->data, g_steal_pointer (&sim->pop));
}

void
fsim_i_cli_sim_clear (FsimCliSim *s)
{
    if (s->lent) {
        s->source->release_sim (s->source->data, g_steal_pointer (&s->sim));
        s->lent = FALSE;
    }
    fsim_i_cli_sim_give_back (s->sim, s->source);
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
    g_autofree char *default_path = path ? NULL : fsim_cli_default_scenario_path ();
    if (source->get_sim) {
        s->sim = source->get_sim (source->data, path ? path : default_path, sets, &status, error);
        if (!s->sim)
            return status;
        s->source = source;
        s->lent = TRUE;
        return FSIM_EXIT_OK;
    }
    /* fsim_sim_new()'s three steps, the population of the second from @source */
    const FsimSimOptions options = { .sets = sets };
    s->sim = fsim_sim_load (path ? path : default_path, &options, error);
    if (!s->sim)
        return FSIM_EXIT_INPUT;
    s->source = source;
    if (!fsim_i_cli_sim_build (s->sim, source, error))
        return FSIM_EXIT_INPUT;
    return fsim_sim_trace (s->sim, &options, error) ? FSIM_EXIT_OK : FSIM_EXIT_INTERNAL;
}

gboolean
fsim_i_cli_parse_day (const char *option, const char *text, FsimDay *out_day, GError **error)
{
    if (text == NULL || !fsim_day_parse (text, out_day)) {
        fsim_i_cli_usage_error (error,
                                "%s '%s' is not a date (expected YYYY-MM-DD, a real calendar day)",
                                option, text ? text : "");
        return FALSE;
    }
    return TRUE;
}
