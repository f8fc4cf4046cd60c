/* SPDX-License-Identifier: MIT */
/* claims-effect.h: how much each contested fact moves who is reached (flowsim claims --effect). */
#pragma once

#include <stddef.h>

#include <glib.h>

#include "scenario.h"

/* One run: the scenario with @claim's alternative @alternative, every other claim as in force. */
typedef struct {
    size_t claim;       /* index into the scenario's claims */
    size_t alternative; /* index into that claim's alternatives */
    size_t *reached;    /* [p] users reached by the scenario's partner p */
    size_t *no_consent; /* [p] ... without consent */
} FsimEffectRun;

typedef struct {
    size_t n_partners;    /* the scenario's partners, in model order */
    size_t *reached;      /* [p] with every claim as in force */
    size_t *no_consent;
    FsimEffectRun *runs;  /* every alternative of every claim: claim by claim, in file order */
    size_t n_runs;
} FsimClaimEffects;

void fsim_claim_effects_free (FsimClaimEffects *e);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsimClaimEffects, fsim_claim_effects_free)

/**
 * fsim_claim_effects_compute:
 * @path: the scenario file that @scenario was loaded from
 * @sets: (nullable): the overrides @scenario was loaded with (`--set`, and `--claim` as
 *   "choices.CLAIM=ALT"); each run adds its own choice after them
 * @scenario: @path loaded with @sets: its claims are the ones tried
 *
 * Simulates @scenario as it is, then once per alternative of each claim that is not in force
 * (the one in force is that first run): loaded again with the choice, a fresh population, the
 * decisions on its date and the engine. Counts are matched to @scenario's partners by id; a
 * partner missing from a run counts 0 there. Deterministic, like every run.
 *
 * Returns: (transfer full): the counts, or NULL with @error set (an alternative that does not
 *   load, or a population that cannot be built); @scenario is not changed.
 */
FsimClaimEffects *fsim_claim_effects_compute (const char *path, const char *const *sets,
                                              const FsimScenario *scenario, GError **error);

/* The smallest and largest counts of partner @p over the alternatives of claim @claim (both
 * equal when the claim does not move it). Can't fail. */
void fsim_claim_effects_range (const FsimClaimEffects *e, size_t claim, size_t p,
                               size_t *out_min_reached, size_t *out_max_reached,
                               size_t *out_min_no_consent, size_t *out_max_no_consent);
