/* SPDX-License-Identifier: MIT */
/* sim-claims.c: every alternative of every claim, one at a time, through the one pipeline. */
#include "config.h"

#include <glib.h>

#include "sim-claims.h"

/* @sets, then "choices.CLAIM=ALT" (transfer full). */
static char **
with_choice (const char *const *sets, const char *claim, const char *alternative)
{
    GPtrArray *all = g_ptr_array_new ();
    for (const char *const *set = sets; set && *set; set++)
        g_ptr_array_add (all, g_strdup (*set));
    g_ptr_array_add (all, g_strdup_printf ("choices.%s=%s", claim, alternative));
    g_ptr_array_add (all, NULL);
    return (char **) g_ptr_array_free (all, FALSE);
}

FsimClaimEffects *
fsim_sim_claim_effects (const FsimSim *base, const char *path, const FsimSimOptions *options,
                        FsimSimFailure *out_failure, GError **error)
{
    g_return_val_if_fail (base != NULL && base->scenario != NULL && base->result != NULL, NULL);
    g_return_val_if_fail (path != NULL, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);
    const FsimScenario *s = base->scenario;
    const FsimSimOptions none = { 0 };
    g_autoptr (FsimClaimEffects) e = fsim_claim_effects_new (s, base->result, error);
    if (e == NULL)
        return NULL;
    for (size_t c = 0; c < s->n_claims; c++) {
        const FsimClaim *claim = &s->claims[c];
        for (size_t a = 0; a < claim->n_alternatives; a++) {
            if (a == claim->chosen)
                continue; /* that run is @base */
            g_auto (GStrv) sets = with_choice ((options ? options : &none)->sets, claim->id,
                                               claim->alternatives[a].id);
            FsimSimOptions run_options = options ? *options : none;
            run_options.sets = (const char *const *) sets;
            g_autoptr (FsimSim) run = fsim_sim_new (path, &run_options, out_failure, error);
            if (run == NULL) {
                g_prefix_error (error, "claim '%s', alternative '%s': ", claim->id,
                                claim->alternatives[a].id);
                return NULL;
            }
            fsim_claim_effects_set_run (e, s, c, a, run->scenario, run->result);
        }
    }
    return g_steal_pointer (&e);
}
