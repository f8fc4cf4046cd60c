/* SPDX-License-Identifier: MIT */
/* cli-sim.c: the load -> population -> decisions -> run pipeline the drawing commands share. */
#include "config.h"

#include <glib.h>

#include "cli-private.h"
#include "cli-sim.h"
#include "loader.h"

void
fsim_i_cli_sim_free (FsimCliSim *sim)
{
    if (!sim)
        return;
    fsim_result_free (sim->result);
    fsim_decisions_free (sim->decisions);
    fsim_population_free (sim->pop);
    fsim_scenario_free (sim->scenario);
    g_free (sim);
}

FsimCliSim *
fsim_i_cli_sim_new (const char *path, const char *const *sets, FsimExit *out_status, GError **error)
{
    g_return_val_if_fail (out_status != NULL, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);
    g_autoptr (FsimCliSim) sim = g_new0 (FsimCliSim, 1);
    g_autofree char *default_path = path ? NULL : fsim_cli_default_scenario_path ();

    sim->scenario = fsim_loader_load_scenario (path ? path : default_path, sets, error);
    if (sim->scenario == NULL) {
        *out_status = FSIM_EXIT_INPUT;
        return NULL;
    }
    sim->pop = fsim_population_build (sim->scenario, error);
    if (sim->pop == NULL) {
        *out_status = FSIM_EXIT_INPUT;
        return NULL;
    }
    sim->decisions = fsim_decisions_new (sim->scenario, sim->scenario->date);
    sim->result = fsim_engine_run (sim->scenario, sim->pop, sim->decisions, error);
    if (sim->result == NULL) {
        *out_status = FSIM_EXIT_INTERNAL;
        return NULL;
    }
    return g_steal_pointer (&sim);
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
