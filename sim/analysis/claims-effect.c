/* SPDX-License-Identifier: MIT */
/* claims-effect.c: the table of every alternative of every claim, against the scenario. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "claims-effect.h"
#include "engine.h"
#include "memory.h"

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

/* @result's counts for @base's partners (matched by id) into the two arrays. */
static void
copy_counts (const FsimScenario *base, const FsimScenario *s, const FsimResult *result,
             size_t *reached, size_t *no_consent)
{
    for (size_t p = 0; p < base->n_partners; p++) {
        gssize q = p < s->n_partners && strcmp (s->partners[p].id, base->partners[p].id) == 0
                       ? (gssize) p
                       : fsim_scenario_find_partner (s, base->partners[p].id);
        reached[p] = q < 0 ? 0 : result->partner_reached[q];
        no_consent[p] = q < 0 ? 0 : result->partner_reached_no_consent[q];
    }
}

size_t
fsim_claim_effects_run_index (const FsimScenario *scenario, size_t claim, size_t alternative)
{
    g_return_val_if_fail (claim < scenario->n_claims, 0);
    g_return_val_if_fail (alternative < scenario->claims[claim].n_alternatives, 0);
    size_t i = 0;
    for (size_t c = 0; c < claim; c++)
        i += scenario->claims[c].n_alternatives;
    return i + alternative;
}

FsimClaimEffects *
fsim_claim_effects_new (const FsimScenario *scenario, const FsimResult *in_force, GError **error)
{
    g_return_val_if_fail (scenario != NULL && in_force != NULL, NULL);
    g_return_val_if_fail (in_force->n_partners == scenario->n_partners, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);
    size_t n = scenario->n_partners, n_runs = 0;
    const char *what = "the claims' runs by partner";
    for (size_t c = 0; c < scenario->n_claims; c++)
        n_runs += scenario->claims[c].n_alternatives;
    /* two counts per partner and alternative: 64 MiB for 256 claims at 16,384 partners */
    g_autoptr (FsimClaimEffects) e = g_new0 (FsimClaimEffects, 1);
    e->n_partners = n;
    if (!(e->reached = fsim_try_new0 (n, sizeof (size_t), what, error)) ||
        !(e->no_consent = fsim_try_new0 (n, sizeof (size_t), what, error)) ||
        !(e->runs = fsim_try_new0 (n_runs, sizeof (FsimEffectRun), what, error)))
        return NULL;
    copy_counts (scenario, scenario, in_force, e->reached, e->no_consent);
    size_t i = 0;
    for (size_t c = 0; c < scenario->n_claims; c++) {
        for (size_t a = 0; a < scenario->claims[c].n_alternatives; a++, i++) {
            FsimEffectRun *run = &e->runs[i];
            e->n_runs = i + 1; /* freed with @e, even half made */
            run->claim = c;
            run->alternative = a;
            if (!(run->reached = fsim_try_new0 (n, sizeof (size_t), what, error)) ||
                !(run->no_consent = fsim_try_new0 (n, sizeof (size_t), what, error)))
                return NULL;
            if (a == scenario->claims[c].chosen) {
                /* the alternative in force: the scenario's own run */
                memcpy (run->reached, e->reached, sizeof (size_t) * n);
                memcpy (run->no_consent, e->no_consent, sizeof (size_t) * n);
            }
        }
    }
    return g_steal_pointer (&e);
}

void
fsim_claim_effects_set_run (FsimClaimEffects *e, const FsimScenario *scenario, size_t claim,
                            size_t alternative, const FsimScenario *run_scenario,
                            const FsimResult *result)
{
    g_return_if_fail (e != NULL && scenario != NULL && run_scenario != NULL && result != NULL);
    g_return_if_fail (result->n_partners == run_scenario->n_partners);
    FsimEffectRun *run = &e->runs[fsim_claim_effects_run_index (scenario, claim, alternative)];
    copy_counts (scenario, run_scenario, result, run->reached, run->no_consent);
}

void
fsim_claim_effects_range (const FsimClaimEffects *e, size_t claim, size_t p,
                          size_t *out_min_reached, size_t *out_max_reached,
                          size_t *out_min_no_consent, size_t *out_max_no_consent)
{
    size_t min_r = G_MAXSIZE, max_r = 0, min_n = G_MAXSIZE, max_n = 0;
    /* the runs are in claim order: the claim's first run by bisection, not a scan of all the
     * runs for every (claim, partner) */
    size_t lo = 0, hi = e->n_runs;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (e->runs[mid].claim < claim)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < e->n_runs && e->runs[i].claim == claim; i++) {
        const FsimEffectRun *run = &e->runs[i];
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
