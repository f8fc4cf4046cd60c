/* SPDX-License-Identifier: MIT */
/* claims-effect.h: how much each contested fact moves who is reached (flowsim claims --effect). */
#pragma once

#include <stddef.h>

#include <glib.h>

#include "engine.h"
#include "scenario.h"

/* One run: the scenario with @claim's alternative @alternative, every other claim as in force. */
typedef struct {
    size_t claim;       /* index into the scenario's claims */
    size_t alternative; /* index into that claim's alternatives */
    size_t *reached;    /* [p] users reached by the scenario's partner p */
    size_t *no_consent; /* [p] ... without consent */
} FsimEffectRun;

typedef struct {
    size_t n_partners; /* the scenario's partners, in model order */
    size_t *reached;   /* [p] with every claim as in force */
    size_t *no_consent;
    FsimEffectRun *runs; /* every alternative of every claim: claim by claim, in file order */
    size_t n_runs;
} FsimClaimEffects;

void fsim_claim_effects_free (FsimClaimEffects *e);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsimClaimEffects, fsim_claim_effects_free)

/**
 * fsim_claim_effects_new:
 * @scenario: the scenario as loaded (its claims are the ones tried)
 * @in_force: its run
 *
 * The table of every alternative of every claim of @scenario, with the runs of the alternatives
 * in force taken from @in_force; the others are zero until fsim_claim_effects_set_run() fills
 * them (api/sim-claims.c simulates each). Its counts, two per partner and alternative, are
 * tried allocations.
 * Returns: (transfer full): the table, or NULL with FSIM_GRAPH_ERROR_NOMEM "out of memory:
 *   needed N bytes for the claims' runs by partner".
 */
FsimClaimEffects *fsim_claim_effects_new (const FsimScenario *scenario, const FsimResult *in_force,
                                          GError **error);

/* Index into e->runs of (@claim, @alternative) of @scenario (the one of fsim_claim_effects_new()). */
size_t fsim_claim_effects_run_index (const FsimScenario *scenario, size_t claim,
                                     size_t alternative);

/*
 * Records @result, a run of @run_scenario (@scenario loaded again with @claim's @alternative),
 * as that alternative's run. Counts are matched to @scenario's partners by id; a partner missing
 * from @run_scenario counts 0. Can't fail.
 */
void fsim_claim_effects_set_run (FsimClaimEffects *e, const FsimScenario *scenario, size_t claim,
                                 size_t alternative, const FsimScenario *run_scenario,
                                 const FsimResult *result);

/* The smallest and largest counts of partner @p over the alternatives of claim @claim (both
 * equal when the claim does not move it). Can't fail. */
void fsim_claim_effects_range (const FsimClaimEffects *e, size_t claim, size_t p,
                               size_t *out_min_reached, size_t *out_max_reached,
                               size_t *out_min_no_consent, size_t *out_max_no_consent);
