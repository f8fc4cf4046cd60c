/* SPDX-License-Identifier: MIT */
/* claims-effect.c: every alternative of every claim, one at a time, against the scenario. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "claims-effect.h"
#include "engine.h"
#include "loader.h"
#include "policy.h"
#include "population.h"

void
fsim_claim_effects_free (FsimClaimEffects *e)
{
    if (!e)
        return;
    for (size_t i = 0; i < e->n_runs; i++) {
        g_free (e->runs[i].reached);
        g_free (e->runs[i].no_consent);
    }
    g_free (e->runs);
    g_free (e->reached);
    g_free (e->no_consent);
    g_free (e);
}

/* Simulate @s and write its counts for @base's partners (matched by id) into the two arrays. */
static gboolean
simulate (const FsimScenario *base, const FsimScenario *s, size_t *reached, size_t *no_consent,
          GError **error)
{
    g_autoptr(FsimPopulation) pop = fsim_population_build (s, error);
    if (!pop)
        return FALSE;
    g_autoptr(FsimDecisions) decisions = fsim_decisions_new (s, s->date);
    g_autoptr(FsimResult) r = fsim_engine_run (s, pop, decisions, error);
    if (!r)
        return FALSE;
    for (size_t p = 0; p < base->n_partners; p++) {
        gssize q = fsim_scenario_find_partner (s, base->partners[p].id);
        reached[p] = q < 0 ? 0 : r->partner_reached[q];
        no_consent[p] = q < 0 ? 0 : r->partner_reached_no_consent[q];
    }
    return TRUE;
}

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
fsim_claim_effects_compute (const char *path, const char *const *sets,
                            const FsimScenario *scenario, GError **error)
{
    g_return_val_if_fail (path != NULL && scenario != NULL, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);
    size_t n = scenario->n_partners;
    g_autoptr(FsimClaimEffects) e = g_new0 (FsimClaimEffects, 1);
    e->n_partners = n;
    e->reached = g_new0 (size_t, n ? n : 1);
    e->no_consent = g_new0 (size_t, n ? n : 1);
    if (!simulate (scenario, scenario, e->reached, e->no_consent, error))
        return NULL;
    size_t total = 0;
    for (size_t c = 0; c < scenario->n_claims; c++)
        total += scenario->claims[c].n_alternatives;
    e->runs = g_new0 (FsimEffectRun, total ? total : 1);
    for (size_t c = 0; c < scenario->n_claims; c++) {
        const FsimClaim *claim = &scenario->claims[c];
        for (size_t a = 0; a < claim->n_alternatives; a++) {
            FsimEffectRun *run = &e->runs[e->n_runs++];
            run->claim = c;
            run->alternative = a;
            run->reached = g_new0 (size_t, n ? n : 1);
            run->no_consent = g_new0 (size_t, n ? n : 1);
            if (a == claim->chosen) {
                /* the alternative in force: the first run */
                memcpy (run->reached, e->reached, sizeof (size_t) * n);
                memcpy (run->no_consent, e->no_consent, sizeof (size_t) * n);
                continue;
            }
            g_auto(GStrv) choice = with_choice (sets, claim->id, claim->alternatives[a].id);
            g_autoptr(FsimScenario) s = fsim_loader_load (path, (const char *const *) choice,
                                                          error);
            if (!s || !simulate (scenario, s, run->reached, run->no_consent, error)) {
                g_prefix_error (error, "claim '%s', alternative '%s': ", claim->id,
                                claim->alternatives[a].id);
                return NULL;
            }
        }
    }
    return g_steal_pointer (&e);
}

void
fsim_claim_effects_range (const FsimClaimEffects *e, size_t claim, size_t p,
                          size_t *out_min_reached, size_t *out_max_reached,
                          size_t *out_min_no_consent, size_t *out_max_no_consent)
{
    size_t min_r = G_MAXSIZE, max_r = 0, min_n = G_MAXSIZE, max_n = 0;
    for (size_t i = 0; i < e->n_runs; i++) {
        const FsimEffectRun *run = &e->runs[i];
        if (run->claim != claim)
            continue;
        min_r = MIN (min_r, run->reached[p]);
        max_r = MAX (max_r, run->reached[p]);
        min_n = MIN (min_n, run->no_consent[p]);
        max_n = MAX (max_n, run->no_consent[p]);
    }
    if (min_r == G_MAXSIZE) /* a claim without runs: no alternative (cannot load) */
        min_r = max_r = min_n = max_n = 0;
    *out_min_reached = min_r;
    *out_max_reached = max_r;
    *out_min_no_consent = min_n;
    *out_max_no_consent = max_n;
}
