/* SPDX-License-Identifier: MIT */
/* engine.h: traces which user fields reach which partner destinations (see docs/semantics.md). */
#pragma once

#include <glib.h>

#include "policy.h"
#include "population.h"
#include "scenario.h"

typedef enum {
    FSIM_CHANNEL_SELF,
    FSIM_CHANNEL_FRIEND,
    FSIM_CHANNEL_FRIEND_OF_FRIEND,
    FSIM_CHANNEL_DOWNSTREAM,
    FSIM_N_CHANNELS
} FsimChannel;

const char *fsim_channel_to_string (FsimChannel c);

/*
 * Counts of distinct users. Per (field, partner) arrays are indexed [f * n_partners + p]; a
 * flow row (field, partner, destination) exists where the destination receives the field and
 * has the counts of its (field, partner) pair.
 */
typedef struct {
    size_t n_users;
    size_t n_friendships;
    size_t platform_off; /* users whose platform switch is off */
    size_t n_fields, n_partners;

    size_t *partner_users;              /* [p] users who use p */
    size_t *partner_reached;            /* [p] users with any field reaching p */
    size_t *partner_reached_no_consent; /* [p] ... any field without consent */

    size_t *fp_users;                    /* [f,p] users whose f reached p */
    size_t *fp_no_consent;               /* [f,p] ... without consent */
    size_t *fp_channel[FSIM_N_CHANNELS]; /* [f,p] ... through that channel */

    size_t *field_users; /* [f] users whose f reached any partner */
    size_t *field_no_consent;

    size_t n_jurisdictions;
    char **jurisdictions;       /* sorted (strcmp), NULL-terminated; "device": on device */
    size_t *jurisdiction_users; /* [j] users with any field there */
    size_t *jurisdiction_no_consent;

    size_t users_reached;            /* users with any field reaching any partner */
    size_t users_reached_no_consent; /* ... any field without consent */
    size_t n_kinds;
    char **kinds;       /* partner kinds, sorted (strcmp), NULL-terminated */
    size_t *kind_users; /* [k] users with any field reaching that kind */
    size_t *kind_no_consent;
    char *focus; /* what a focused run counted (FsimFocus.description), or NULL: everything */
    FsimFocus focus_sets; /* a copy of the focus (empty when not focused) */
} FsimResult;

void fsim_result_free (FsimResult *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsimResult, fsim_result_free)

/**
 * fsim_engine_run:
 * Traces every user of @pop under @scenario on @decisions' date (the scenario date).
 * Users are split across threads: the population's own count (@pop->n_threads, the threads it
 * was built with) if it has one, else as many as processors, or the positive integer in the
 * default of fsim_parallel_set_default_workers() (at most 64); the counts do not depend on how many.
 * If a thread cannot be started the others do its share.
 * Returns: (transfer full): the counts, or NULL with @error set (the model graph walk
 *   failed); the inputs are never changed.
 */
FsimResult *fsim_engine_run (const FsimScenario *scenario, const FsimPopulation *pop,
                             const FsimDecisions *decisions, GError **error);

/* Progress of a long step: @phase names it ("tracing"), @fraction of it is done (0 .. 1). */
typedef void (*FsimProgressFunc) (const char *phase, double fraction, void *user_data);

/**
 * fsim_engine_run_focused:
 * @focus: (nullable): count only the flows of the focused fields to the focused partners that
 *   land in the focused jurisdiction (every flow is still traced: data reaches a focused partner
 *   downstream of the others); NULL counts everything
 *
 * As fsim_engine_run_full(). Rows outside the focus are zero (partner_users too), so a
 * report that leaves out empty rows shows only the focus; users_reached and the field,
 * jurisdiction and kind rows count focused flows only.
 */
FsimResult *fsim_engine_run_focused (const FsimScenario *scenario, const FsimPopulation *pop,
                                     const FsimDecisions *decisions, const FsimFocus *focus,
                                     unsigned threads, FsimProgressFunc progress,
                                     void *progress_data, GError **error);

/**
 * fsim_engine_run_with_progress:
 * @progress: (nullable): called from the calling thread only, as the work advances
 * fsim_engine_run() with progress reports. Returns: as fsim_engine_run().
 */
FsimResult *fsim_engine_run_with_progress (const FsimScenario *scenario, const FsimPopulation *pop,
                                           const FsimDecisions *decisions,
                                           FsimProgressFunc progress, void *progress_data,
                                           GError **error);

/**
 * fsim_engine_run_full:
 * @threads: workers to trace with (0: as fsim_engine_run()); the counts never depend on it
 * fsim_engine_run_with_progress() on @threads workers. Returns: as fsim_engine_run().
 */
FsimResult *fsim_engine_run_full (const FsimScenario *scenario, const FsimPopulation *pop,
                                  const FsimDecisions *decisions, unsigned threads,
                                  FsimProgressFunc progress, void *progress_data, GError **error);

/*
 * Lanes: the engine's per-user answer, 64 users at a time, for analyses that compare users one
 * by one (diff). A slot is a (field, partner) pair through which a flow is possible on the day
 * (the lane plan's entries, at most fields x partners); pairs without a slot are never reached.
 * fsim_lanes_trace() fills, for each slot, a word whose bit i is user first + i: reached at
 * all, and reached through the self channel (with consent). The same bits as
 * fsim_engine_run()'s counts, without the fields x partners work per user.
 */
typedef struct FsimLanes FsimLanes;

/**
 * fsim_lanes_new:
 * @scenario, @pop, @decisions: read only, and must outlive the lanes
 * Returns: (transfer full), or NULL with @error set (the model graph walk failed).
 */
FsimLanes *fsim_lanes_new (const FsimScenario *scenario, const FsimPopulation *pop,
                           const FsimDecisions *decisions, GError **error);
void fsim_lanes_free (FsimLanes *lanes);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsimLanes, fsim_lanes_free)

/* How many slots (the length of fsim_lanes_trace()'s arrays). Can't fail. */
size_t fsim_lanes_n_slots (const FsimLanes *lanes);
/* The slot of (@f, @p), or -1 when no flow of f can reach p on the day. Can't fail. */
gssize fsim_lanes_slot (const FsimLanes *lanes, size_t f, size_t p);

/**
 * fsim_lanes_trace:
 * @first: a multiple of 64 below the number of users
 * @reach, @self: (out): fsim_lanes_n_slots() words each
 * @scratch: fsim_lanes_scratch_words() words the call works in (the caller's, one per thread:
 *   a few MiB at the limits, so that the caller can try them)
 * Traces users @first .. @first + 63 (those that exist; the other bits are 0). Any number of
 * threads may call it at once on one @lanes, each with its own @scratch. Can't fail.
 */
void fsim_lanes_trace (const FsimLanes *lanes, size_t first, FsimWord *reach, FsimWord *self,
                       FsimWord *scratch);
/* The words of fsim_lanes_trace()'s @scratch. Can't fail. */
size_t fsim_lanes_scratch_words (const FsimLanes *lanes);
