/* SPDX-License-Identifier: MIT */
/* engine-private.h: what the parts of the engine share: results, the plan, the lane tracer. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#include "bits.h"
#include "downstream.h"
#include "engine.h"

#define FSIM_ENGINE_BLOCK_USERS 4096 /* users per parallel item, a multiple of 64 */

/* Results (engine-count.c). */
/* Zeroed counters, or NULL with FSIM_GRAPH_ERROR_NOMEM when memory runs out (the per-pair
 * counters are sized by the model: up to 6 x 2^24 x 8 bytes per worker). */
FsimResult *fsim_i_result_try_new (size_t n_fields, size_t n_partners, size_t n_jur, size_t n_kinds,
                                   GError **error);
/* The same, aborting as g_new does (engine-mpi.c). */
FsimResult *fsim_i_result_new (size_t n_fields, size_t n_partners, size_t n_jur, size_t n_kinds);
void fsim_i_result_add (FsimResult *dst, const FsimResult *src);

/* ---- the plan: what the engine precomputes from the scenario (engine-plan.c) ---------------- */

/*
 * Every set below is a partner bit set (pw words). A gate profile is a combination of
 * FsimRespects flags; an API with profile g opens a channel for user u when no gate of g fails
 * for u. avail[k][f][x]: partners whose channel k is open for field f when exactly the gates x
 * fail for the user, already restricted to partners with a destination receiving f.
 */
#define FSIM_N_PROFILES (FSIM_RESPECTS_ALL + 1u)

typedef struct {
    size_t nf, np, pw;
    FsimDownstream *down;
    gboolean any_down;
    FsimWord *avail;  /* [((k * nf + f) * FSIM_N_PROFILES + x) * pw] */
    FsimWord *onward; /* [f * pw]: server holders of f with some partner downstream of them */
    size_t n_jur;
    char **jur;         /* sorted with strcmp, NULL-terminated */
    FsimWord *jur_mask; /* [(j * nf + f) * pw]: partners with a destination in j receiving f */
    FsimWord *jur_any;  /* [j * pw]: partners with any destination in j */
    size_t n_kinds;
    char **kinds;               /* partner kinds, sorted with strcmp, NULL-terminated */
    FsimWord *kind_mask;        /* [k * pw]: partners of kind k */
    struct FsimLanePlan *lanes; /* engine-lanes.c */
    /* a focused run (fsim_engine_run_focused): whether each lane entry is counted, and the one
     * jurisdiction counted (an index into jur); NULL and -1 when not focused */
    gboolean *counted;
    gssize focus_jur;
} FsimEnginePlan;

/* Returns: (transfer full) the plan, or NULL with @error set if the model graph walk fails. */
FsimEnginePlan *fsim_i_engine_plan_new (const FsimScenario *scenario,
                                        const FsimDecisions *decisions, GError **error);
/* Marks the lane entries that @focus counts (@focus NULL: every entry). Can't fail. */
gboolean fsim_i_engine_plan_focus (FsimEnginePlan *plan, const FsimFocus *focus, GError **error);
/* A focused run's counts list only the focused partners' users and name their focus (copied
 * from @focus); changes nothing when @focus is NULL. Can't fail. */
void fsim_i_engine_result_focus (FsimResult *r, const FsimScenario *scenario,
                                 const FsimFocus *focus);
void fsim_i_engine_plan_free (FsimEnginePlan *plan);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsimEnginePlan, fsim_i_engine_plan_free)

static inline const FsimWord *
fsim_i_plan_avail (const FsimEnginePlan *plan, FsimSubject k, size_t f, unsigned x)
{
    return plan->avail + ((k * plan->nf + f) * FSIM_N_PROFILES + x) * plan->pw;
}

/* ---- lanes: 64 users at a time, bit-parallel over users (engine-lanes.c) -------------------- */

/*
 * The plan in lane form. For field f, the partners that may receive f (directly, or downstream
 * of one that may) are entries field_start[f] .. field_start[f + 1] - 1, in partner order. An
 * entry's channel tables say for which failing gates the channel is open: self_t bit 0 with
 * the platform on, bit 1 with it off; the friend and friend-of-friend tables are 8-bit truth
 * tables over the failing-gate set x (bit x set: open when exactly the gates x fail), stored
 * once per field (fr_tables, fof_tables) and named by index.
 */
typedef struct {
    uint32_t partner;
    guint8 self_t;
    guint8 fr_t, fof_t;  /* indices into the field's fr and fof tables */
    uint32_t jur, n_jur; /* jur_list[jur ..]: jurisdictions where it keeps the field */
} FsimLaneEntry;

/*
 * Onward sharing of one field, as steps over the strongly connected components of its shares,
 * upstream first: a step's members (entries of one component) receive downstream what the step's
 * sources (entries of upstream components sharing into it) had directly or downstream, plus,
 * when the component is a cycle, what its members had directly. Partners x shares per field,
 * where the transitive "who is upstream of whom" would be partners x partners.
 */
typedef struct {
    uint32_t members, n_members; /* member_list[members ..]: entries */
    uint32_t sources, n_sources; /* source_list[sources ..]: entries */
    gboolean cyclic;
} FsimLaneStep;

typedef struct FsimLanePlan {
    size_t *field_start; /* nf + 1 */
    FsimLaneEntry *entries;
    size_t *fr_start, *fof_start; /* nf + 1: field f's tables at fr_tables[fr_start[f] ..] */
    guint8 *fr_tables, *fof_tables;
    uint32_t *jur_list;
    size_t *step_start; /* nf + 1: field f's steps are steps[step_start[f] ..] */
    FsimLaneStep *steps;
    uint32_t *member_list, *source_list;
    size_t max_entries; /* of one field */
} FsimLanePlan;

/* Builds plan->lanes from the rest of @plan; FALSE with FSIM_GRAPH_ERROR_NOMEM (and
 * plan->lanes NULL) when its arrays, up to an entry per (field, partner), do not fit. */
gboolean fsim_i_lane_plan_init (FsimEnginePlan *plan, GError **error);
void fsim_i_lane_plan_free (FsimLanePlan *lanes);

/* What tracing the users of a block needs: the population with its friendships, `near` (one,
 * two per user: pw words each), and the partners used at all (by one user, by two), which bound
 * what a friend-of-friend set can hold. */
typedef struct {
    const FsimEnginePlan *plan;
    const FsimPopulation *pop;
    const FsimWord *near;
    const FsimWord *used_once;  /* [pw]: partners some user uses */
    const FsimWord *used_twice; /* [pw]: partners two or more users use */
} FsimLaneInput;

/* The words of @scratch the two calls below need (a few MiB at the limits: the caller tries
 * them, one per thread). Can't fail. */
size_t fsim_i_lanes_scratch_words (const FsimLaneInput *in);
/* Traces users [from, to) into @r (which must be shaped for the plan). Can't fail. */
void fsim_i_lanes_trace (const FsimLaneInput *in, FsimWord *scratch, size_t from, size_t to,
                         FsimResult *r);
/* The reach and self lanes of every lane entry for the 64 users from @first (fsim_lanes_trace()).
 * Can't fail. */
void fsim_i_lanes_group (const FsimLaneInput *in, FsimWord *scratch, size_t first, FsimWord *reach,
                         FsimWord *self);
