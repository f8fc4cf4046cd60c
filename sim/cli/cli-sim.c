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
fsim_i_cli_parse_day (const char *option, const char *text, FsimDay *out_day, GError **error)
{
    if (text == NULL || !fsim_day_parse (text, out_day)) {
        fsim_i_cli_usage_error (error, "%s '%s' is not a date (YYYY-MM-DD)", option,
                                text ? text : "");
        return FALSE;
    }
    return TRUE;
}
