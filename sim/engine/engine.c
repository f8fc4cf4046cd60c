/* SPDX-License-Identifier: MIT */
/* engine.c: bit-parallel tracing of every user's fields to partners, split across threads. */
#include "config.h"

#include <string.h>

#include "engine-private.h"
#include "memory.h"
#include "parallel.h"

/*
 * The engine runs in two passes over the friendship CSR, both split into blocks of
 * FSIM_ENGINE_BLOCK_USERS users handed out to the workers:
 *
 *  1. near: for every user v, the partners used by one or more friends of v and by two or
 *     more (a saturating count, two words per partner word, side by side for the next pass;
 *     fsim_population_near()); skipped when the population brings them (pop->near: a
 *     snapshot saves them, since they depend on the population alone);
 *  2. trace: 64 users at a time, the friend-of-friend partners of each from its friends' near
 *     sets, then everything else bit-parallel over the 64 users: one word per partner, field
 *     and channel, counted by popcounts into the worker's result (engine-trace.c, with the
 *     plan of engine-plan.c and engine-lanes.c).
 *
 * Every count is a sum over users, so the result does not depend on the number of workers or
 * on which worker ran which block.
 */
#define MAX_COUNTER_BYTES ((size_t) 1 << 30) /* per-worker counters, all workers */

typedef struct {
    const FsimScenario *scenario;
    const FsimPopulation *pop;
    const FsimEnginePlan *plan;
    size_t nf, np, pw;
    const FsimWord *near; /* [v * 2 * pw]: one (pw words), then two (pw words) */
    FsimWord *own_near;   /* near when computed here (pass 1), NULL when the population's */
    FsimWord *used_once, *used_twice; /* [pw]: partners one user uses, two or more */
    size_t n_users, n_blocks;
    FsimResult **parts; /* per worker */
    FsimWord **scratch; /* per worker: fsim_i_lanes_scratch_words() */
    unsigned threads;   /* requested workers, 0: fsim_parallel_workers()'s default */
    FsimProgressFunc progress;
    void *progress_data;
    double progress_base; /* the share of the work done before this pass */
} Run;

static const char *const channel_names[] = {
    [FSIM_CHANNEL_SELF] = "self",
    [FSIM_CHANNEL_FRIEND] = "friend",
    [FSIM_CHANNEL_FRIEND_OF_FRIEND] = "friend_of_friend",
    [FSIM_CHANNEL_DOWNSTREAM] = "downstream",
};
G_STATIC_ASSERT (G_N_ELEMENTS (channel_names) == FSIM_N_CHANNELS);

const char *
fsim_channel_to_string (FsimChannel c)
{
    g_return_val_if_fail ((unsigned) c < FSIM_N_CHANNELS, NULL);
    return channel_names[c];
}

static size_t
block_end (const Run *run, size_t block)
{
    return MIN ((block + 1) * FSIM_ENGINE_BLOCK_USERS, run->n_users);
}

/* ---- pass 1: near ----------------------------------------------------------------------- */

static void
near_block (size_t block, unsigned worker, void *data)
{
    const Run *run = data;

    (void) worker;
    fsim_population_near (run->pop, run->own_near, block * FSIM_ENGINE_BLOCK_USERS,
                          block_end (run, block));
}

/* ---- pass 2: trace (engine-trace.c) ---------------------------------------------------- */

static void
trace_block (size_t block, unsigned worker, void *data)
{
    const Run *run = data;
    FsimLaneInput in = { .plan = run->plan,
                         .pop = run->pop,
                         .near = run->near,
                         .used_once = run->used_once,
                         .used_twice = run->used_twice };

    fsim_i_lanes_trace (&in, run->scratch[worker], block * FSIM_ENGINE_BLOCK_USERS,
                        block_end (run, block), run->parts[worker]);
}

/* ---- running ---------------------------------------------------------------------------- */

/* Pass 1 is about a third of the work, pass 2 the rest. */
static void
tick (size_t done, size_t total, void *data)
{
    const Run *run = data;
    double share = run->progress_base == 0 ? 1.0 / 3 : 2.0 / 3;

    run->progress ("tracing", run->progress_base + share * (double) done / (double) total,
                   run->progress_data);
}

/* Workers: as fsim_parallel_workers(), and few enough that their counters fit in
 * MAX_COUNTER_BYTES. */
static unsigned
worker_count (const Run *run)
{
    size_t bytes = (FSIM_N_CHANNELS + 2) * run->nf * run->np * sizeof (size_t);
    unsigned n = fsim_parallel_workers (run->threads, run->n_blocks);
    return (unsigned) MAX ((size_t) 1, MIN ((size_t) n, MAX_COUNTER_BYTES / MAX (bytes, 1)));
}

/* Frees the first @n workers' counters and scratch. */
static void
workers_free (Run *run, unsigned n)
{
    for (unsigned t = 0; t < n && run->parts; t++)
        fsim_result_free (run->parts[t]);
    for (unsigned t = 0; t < n && run->scratch; t++)
        g_free (run->scratch[t]);
    g_clear_pointer (&run->parts, g_free);
    g_clear_pointer (&run->scratch, g_free);
}

/* Each of @n workers' counters and scratch (a few MiB at the limits), tried. */
static gboolean
workers_new (Run *run, unsigned n, GError **error)
{
    const FsimEnginePlan *plan = run->plan;
    FsimLaneInput in = { .plan = plan, .pop = run->pop };
    size_t words = fsim_i_lanes_scratch_words (&in);
    g_autofree char *what =
        g_strdup_printf ("the tracing scratch of %zu fields and %zu partners", run->nf, run->np);

    run->parts = g_new0 (FsimResult *, n);
    run->scratch = g_new0 (FsimWord *, n);
    for (unsigned t = 0; t < n; t++) {
        run->parts[t] = fsim_i_result_try_new (run->nf, run->np, plan->n_jur, plan->n_kinds, error);
        run->scratch[t] =
            run->parts[t] ? fsim_try_new (words, sizeof (FsimWord), what, error) : NULL;
        if (run->scratch[t] == NULL) {
            workers_free (run, t + 1);
            return FALSE;
        }
    }
    return TRUE;
}

/* The counts, or NULL with @error set when the counters do not fit in memory. */
static FsimResult *
run_passes (Run *run, GError **error)
{
    const FsimEnginePlan *plan = run->plan;
    unsigned n = worker_count (run);
    FsimResult *r = fsim_i_result_try_new (run->nf, run->np, plan->n_jur, plan->n_kinds, error);
    if (r == NULL)
        return NULL;
    if (!workers_new (run, n, error)) {
        fsim_result_free (r);
        return NULL;
    }
    run->progress_base = 0;
    if (run->own_near != NULL)
        fsim_parallel_for (run->n_blocks, n, near_block, run, run->progress ? tick : NULL, run);
    run->progress_base = 1.0 / 3;
    fsim_parallel_for (run->n_blocks, n, trace_block, run, run->progress ? tick : NULL, run);
    for (unsigned t = 0; t < n; t++)
        fsim_i_result_add (r, run->parts[t]);
    workers_free (run, n);
    return r;
}

/* The partners some user uses (@out_once) and two or more do (@out_twice), transfer full. */
static void
used_sets (const FsimPopulation *pop, FsimWord **out_once, FsimWord **out_twice)
{
    size_t pw = pop->partner_words;
    FsimWord *once = fsim_bits_new (pw), *twice = fsim_bits_new (pw);
    for (size_t u = 0; u < pop->n_users; u++)
        for (size_t w = 0; w < pw; w++) {
            twice[w] |= once[w] & pop->uses[u * pw + w];
            once[w] |= pop->uses[u * pw + w];
        }
    *out_once = once;
    *out_twice = twice;
}

/*
 * A focus counts only some lane entries (a field of a focused partner, kept in the focused
 * jurisdiction): every entry is still traced, since data reaches a focused partner downstream
 * of any other. See engine-private.h.
 */
gboolean
fsim_i_engine_plan_focus (FsimEnginePlan *plan, const FsimFocus *focus, GError **error)
{
    const FsimLanePlan *l = plan->lanes;
    plan->focus_jur = -1;
    if (!focus)
        return TRUE;
    for (size_t j = 0; focus->jurisdiction && j < plan->n_jur; j++)
        if (strcmp (plan->jur[j], focus->jurisdiction) == 0)
            plan->focus_jur = (gssize) j;
    size_t n = l->field_start[plan->nf];
    /* an entry per (field, live partner): up to 2^24, tried */
    plan->counted = fsim_try_new0 (n + 1, sizeof (gboolean), "the focus's lane entries", error);
    if (plan->counted == NULL)
        return FALSE;
    for (size_t f = 0; f < plan->nf; f++)
        for (size_t e = l->field_start[f]; e < l->field_start[f + 1]; e++) {
            const FsimLaneEntry *x = &l->entries[e];
            gboolean in =
                fsim_focus_has_field (focus, f) && fsim_focus_has_partner (focus, x->partner);
            if (in && focus->jurisdiction) {
                in = FALSE;
                for (uint32_t k = x->jur; k < x->jur + x->n_jur; k++)
                    in = in || (gssize) l->jur_list[k] == plan->focus_jur;
            }
            plan->counted[e] = in;
        }
    return TRUE;
}

/* A focused run's counts (fsim_engine_run_focused(), fsim_engine_run_mpi()) list only the
 * focused partners' users and name their focus. Changes nothing without @focus. */
void
fsim_i_engine_result_focus (FsimResult *r, const FsimScenario *scenario, const FsimFocus *focus)
{
    for (size_t p = 0; p < r->n_partners; p++)
        if (!fsim_focus_has_partner (focus, p))
            r->partner_users[p] = 0;
    r->focus = focus && focus->description ? g_strdup (focus->description) : NULL;
    if (focus) {
        r->focus_sets.partners =
            focus->partners
                ? g_memdup2 (focus->partners, scenario->partner_words * sizeof (FsimWord))
                : NULL;
        r->focus_sets.fields =
            focus->fields ? g_memdup2 (focus->fields, scenario->field_words * sizeof (FsimWord))
                          : NULL;
        r->focus_sets.jurisdiction = g_strdup (focus->jurisdiction);
    }
}

/**
 * fsim_engine_run_full:
 * See engine.h.
 */
FsimResult *
fsim_engine_run_full (const FsimScenario *scenario, const FsimPopulation *pop,
                      const FsimDecisions *decisions, unsigned threads, FsimProgressFunc progress,
                      void *progress_data, GError **error)
{
    return fsim_engine_run_focused (scenario, pop, decisions, NULL, threads, progress,
                                    progress_data, error);
}

FsimResult *
fsim_engine_run_focused (const FsimScenario *scenario, const FsimPopulation *pop,
                         const FsimDecisions *decisions, const FsimFocus *focus, unsigned threads,
                         FsimProgressFunc progress, void *progress_data, GError **error)
{
    g_return_val_if_fail (scenario != NULL && pop != NULL && decisions != NULL, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);
    g_return_val_if_fail (pop->n_fields == scenario->n_fields, NULL);
    g_return_val_if_fail (pop->n_partners == scenario->n_partners, NULL);
    g_return_val_if_fail (pop->partner_words == scenario->partner_words, NULL);
    g_return_val_if_fail (pop->friends == NULL || pop->friends->n_users == pop->n_users, NULL);

    g_autoptr (FsimEnginePlan) plan = fsim_i_engine_plan_new (scenario, decisions, error);
    if (plan == NULL || !fsim_i_engine_plan_focus (plan, focus, error))
        return NULL;
    Run run = {
        .scenario = scenario,
        .pop = pop,
        .plan = plan,
        .nf = scenario->n_fields,
        .np = scenario->n_partners,
        .pw = pop->partner_words,
        .n_users = pop->n_users,
        .n_blocks = (pop->n_users + FSIM_ENGINE_BLOCK_USERS - 1) / FSIM_ENGINE_BLOCK_USERS,
        .threads = threads ? threads : pop->n_threads, /* 0: the population's own */
        .progress = progress,
        .progress_data = progress_data,
    };
    /* pass 1 depends on the population alone: a snapshot may bring it */
    if (pop->near == NULL) {
        run.own_near = fsim_try_new0 (2 * pop->n_users * run.pw, sizeof (FsimWord),
                                      "the partners near each user", error);
        if (run.own_near == NULL)
            return NULL;
    }
    run.near = pop->near ? pop->near : run.own_near;
    used_sets (pop, &run.used_once, &run.used_twice);
    g_autoptr (FsimResult) r = run_passes (&run, error);
    g_free (run.own_near);
    g_free (run.used_once);
    g_free (run.used_twice);
    if (r == NULL)
        return NULL;

    g_assert (r->n_users == pop->n_users);
    r->n_friendships = pop->friends ? pop->friends->n_edges : 0;
    fsim_i_engine_result_focus (r, scenario, focus);
    r->jurisdictions = g_steal_pointer (&plan->jur);
    r->kinds = g_steal_pointer (&plan->kinds);
    return g_steal_pointer (&r);
}

/**
 * fsim_engine_run_with_progress:
 * As fsim_engine_run(), calling @progress (if not NULL) with the phase "tracing" and the share
 * of the work done, from the calling thread only.
 */
FsimResult *
fsim_engine_run_with_progress (const FsimScenario *scenario, const FsimPopulation *pop,
                               const FsimDecisions *decisions, FsimProgressFunc progress,
                               void *progress_data, GError **error)
{
    return fsim_engine_run_full (scenario, pop, decisions, 0, progress, progress_data, error);
}

/**
 * fsim_engine_run:
 * See engine.h. Returns: (transfer full): the counts, or NULL with @error set.
 */
FsimResult *
fsim_engine_run (const FsimScenario *scenario, const FsimPopulation *pop,
                 const FsimDecisions *decisions, GError **error)
{
    return fsim_engine_run_with_progress (scenario, pop, decisions, NULL, NULL, error);
}

/* ---- lanes for analyses (engine.h) ------------------------------------------------------ */

struct FsimLanes {
    const FsimPopulation *pop;
    FsimEnginePlan *plan;
    const FsimWord *near;
    FsimWord *own_near, *used_once, *used_twice;
};

FsimLanes *
fsim_lanes_new (const FsimScenario *scenario, const FsimPopulation *pop,
                const FsimDecisions *decisions, GError **error)
{
    g_return_val_if_fail (scenario != NULL && pop != NULL && decisions != NULL, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);
    g_return_val_if_fail (pop->n_partners == scenario->n_partners, NULL);
    g_return_val_if_fail (pop->partner_words == scenario->partner_words, NULL);
    g_autoptr (FsimLanes) l = g_new0 (FsimLanes, 1);
    size_t pw = pop->partner_words;

    l->pop = pop;
    l->plan = fsim_i_engine_plan_new (scenario, decisions, error);
    if (l->plan == NULL)
        return NULL;
    if (pop->near == NULL) {
        l->own_near = fsim_try_new0 (2 * pop->n_users * pw, sizeof (FsimWord),
                                     "the partners near each user", error);
        if (l->own_near == NULL)
            return NULL;
        fsim_population_near (pop, l->own_near, 0, pop->n_users);
    }
    l->near = pop->near ? pop->near : l->own_near;
    used_sets (pop, &l->used_once, &l->used_twice);
    return g_steal_pointer (&l);
}

void
fsim_lanes_free (FsimLanes *l)
{
    if (!l)
        return;
    fsim_i_engine_plan_free (l->plan);
    g_free (l->own_near);
    g_free (l->used_once);
    g_free (l->used_twice);
    g_free (l);
}

size_t
fsim_lanes_n_slots (const FsimLanes *l)
{
    return l->plan->lanes->field_start[l->plan->nf];
}

gssize
fsim_lanes_slot (const FsimLanes *l, size_t f, size_t p)
{
    const FsimLanePlan *lp = l->plan->lanes;
    g_return_val_if_fail (f < l->plan->nf, -1);
    size_t lo = lp->field_start[f], hi = lp->field_start[f + 1]; /* in partner order */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (lp->entries[mid].partner < p)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < lp->field_start[f + 1] && lp->entries[lo].partner == p ? (gssize) lo : -1;
}

size_t
fsim_lanes_scratch_words (const FsimLanes *l)
{
    g_return_val_if_fail (l != NULL, 0);
    FsimLaneInput in = { .plan = l->plan, .pop = l->pop };
    return fsim_i_lanes_scratch_words (&in);
}

void
fsim_lanes_trace (const FsimLanes *l, size_t first, FsimWord *reach, FsimWord *self,
                  FsimWord *scratch)
{
    g_return_if_fail (l != NULL && reach != NULL && self != NULL && scratch != NULL);
    FsimLaneInput in = { .plan = l->plan,
                         .pop = l->pop,
                         .near = l->near,
                         .used_once = l->used_once,
                         .used_twice = l->used_twice };
    fsim_i_lanes_group (&in, scratch, first, reach, self);
}
