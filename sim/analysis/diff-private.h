/* SPDX-License-Identifier: MIT */
/* diff-private.h: what the parts of diff (diff.c, diff-rows.c, diff-users.c, diff-decisions.c)
 * share. */
#pragma once

#include <glib.h>

#include "diff.h"
#include "engine.h"
#include "policy.h"
#include "population.h"

/* Which models have a row (FsimIDiffRow.sides), or a row in focus of a pair (FsimIDiffPair). */
enum { FSIM_I_DIFF_BASE = 1, FSIM_I_DIFF_WHATIF = 2 };

/* A (field, partner) pair with a row in focus: every row of a pair is reached by the same lanes
 * (one slot per side), so the pair's counts give its rows' counts. */
typedef struct {
    gint32 slot[2];  /* each side's lanes slot (engine.h), -1: none */
    gint32 field[2]; /* the field's index in each model, -1: not known there */
    guint32 partner; /* index into diff->partners */
    guint32 focus;   /* FSIM_I_DIFF_BASE / _WHATIF: that side has a row of the pair */
} FsimIDiffPair;

/* A flow row in focus (field, partner, destination, jurisdiction), 12 bytes. */
typedef struct {
    guint32 pair;      /* index into FsimIDiffRows.pairs */
    guint32 jur;       /* index into diff->jurisdictions */
    guint32 dest : 30; /* the destination's index in its partner, in the base if it has the row,
                        * otherwise in the what-if */
    guint32 sides : 2; /* FSIM_I_DIFF_BASE | FSIM_I_DIFF_WHATIF: the models that have it */
} FsimIDiffRow;

/*
 * Every flow row in focus of both models, in report order (the base's rows in model order, then
 * the what-if's that the base does not have), with their pairs: about 32 bytes a row, where an
 * FsimDiffFlow takes 72. Only the rows listed become FsimDiffFlow rows (fsim_i_diff_rows_list).
 */
typedef struct {
    FsimIDiffPair *pairs;
    size_t n_pairs;
    FsimIDiffRow *rows;
    size_t n_rows;
    gssize *partner_whatif; /* [diff->partners index]: the partner's index in the what-if, -1 */
    guint32 *counts; /* [pair * 3 + k]: users reached before (k = 0), after (1), both (2); NULL
                      * until counted */
} FsimIDiffRows;

/* Builds the rows of @diff's models in @focus (nullable) and fills diff->jurisdictions (every
 * jurisdiction a row of either model lands in, in focus or not, sorted). @lanes: each side's.
 * Returns: (transfer full), or NULL with @error set (out of memory). */
FsimIDiffRows *fsim_i_diff_rows_new (FsimDiff *diff, FsimLanes *const lanes[2],
                                     const FsimFocus *focus, GError **error);
void fsim_i_diff_rows_free (FsimIDiffRows *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsimIDiffRows, fsim_i_diff_rows_free)

/* Row @i as an FsimDiffFlow: ids borrowed from the scenarios, and counts once counted. */
void fsim_i_diff_row_flow (const FsimDiff *diff, const FsimIDiffRows *r, size_t i,
                           FsimDiffFlow *out);

/* Once counted: adds each row's gained and lost flows to its partner and keeps the rows listed
 * in diff->flows (diff.h), counting all in diff->flows_total, _changed and _kept. Can't fail. */
void fsim_i_diff_rows_list (FsimDiff *diff, const FsimIDiffRows *r);

/* Traces both models user by user and fills the counts of @diff (diff->partners must be filled
 * already) and, through @out_rows (transfer full), its rows in @focus (nullable).
 * Returns: FALSE with @error set if a model graph walk failed or memory ran out. */
gboolean fsim_i_diff_users (FsimDiff *diff, const FsimPopulation *base_pop,
                            const FsimDecisions *base_d, const FsimPopulation *whatif_pop,
                            const FsimDecisions *whatif_d, const FsimFocus *focus,
                            FsimIDiffRows **out_rows, GError **error);
void fsim_i_diff_decisions (FsimDiff *diff, const FsimDecisions *base_d,
                            const FsimDecisions *whatif_d, const FsimFocus *focus);
