/* SPDX-License-Identifier: MIT */
/* fblike-private.h: the facebook_like model's state, shared by fblike.c and fblike-rows.c. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#include "friends.h"

#define FBL_BLOCK_USERS 16384 /* users per stream and per task */
#define FBL_GROUP_CHUNK 64    /* communities per stream and per task */

/* Keys of the random streams, one per step (rng-private.h). */
enum { FBL_STEP_DEGREE = 1, FBL_STEP_GROUPS, FBL_STEP_INSIDE, FBL_STEP_OUT, FBL_STEP_GLOBAL };

/* One entry of the alias table: column u yields u if the coin (32 bits) is below prob (or prob
 * is UINT32_MAX), else alias. Packed so that a draw costs one cache miss. */
typedef struct {
    uint32_t prob;
    uint32_t alias;
} FblAlias;

/* The sorted inside-community rows of one chunk of communities' users, in user order. */
typedef struct {
    uint32_t *rows;
    size_t len, cap;
    gboolean failed; /* out of memory */
} FblChunk;

/*
 * Per-user arrays cover the users base .. base + n_held - 1, user u at [u - base]: all the users
 * (base 0, n_held n) in one process, a rank's range and its surroundings when the graph is
 * generated over ranks (fblike-part.c). "Rows" are sorted neighbour lists stored back to back,
 * row u at [start[u - base], start[u - base] + length).
 */
typedef struct {
    /* parameters */
    size_t n;
    double mean, sigma, share, size;
    size_t cap; /* min(max_degree, n - 1) */
    uint64_t seed;
    unsigned threads;
    size_t n_blocks; /* of FBL_BLOCK_USERS users, in the whole graph */
    /* what this process holds: users base .. base + n_held - 1; its blocks of users start at
     * block0, its chunks of communities at chunk0; it draws the out-rows of users start (the
     * first of a block) .. stop - 1 (0 and n in one process) */
    size_t base, n_held, block0, chunk0, start, stop;
    /* step 1: target degrees, later what is left of them for step 4 */
    float *z;
    float *target;
    double *partial; /* n_blocks: per-block sums, added in block order */
    double mu;
    /* step 2: communities (all of them, also over ranks) */
    size_t n_groups;
    size_t *group_offsets; /* n_groups + 1 */
    /* step 3: inside communities */
    uint32_t *inside; /* realised degree inside the community */
    FblChunk *chunks;
    size_t n_chunks;
    size_t *int_start; /* n + 1 */
    uint32_t *int_rows;
    /* step 4: across the graph */
    FblAlias *table;   /* n (every user, also over ranks): the alias table over what is left
                        * of the targets */
    uint32_t *out;     /* friendships u starts: planned, then kept (its out-row) */
    size_t *out_start; /* n + 1 */
    uint32_t *out_rows;
    uint32_t *in_count; /* length of u's in-row */
    guint8 *saturated;  /* 1: more users chose u than u has room for (see arc_kept) */
    size_t *in_start;   /* n + 1 */
    uint32_t *in_rows;
} FblModel;

void fsim_i_fbl_clear (FblModel *m);
size_t fsim_i_fbl_block_end (const FblModel *m, size_t block);

/* Steps shared by one process (fblike.c) and ranks (fblike-part.c), on m's held users. */
gboolean fsim_i_fbl_check_params (const FsimGenParams *p, GError **error);
void fsim_i_fbl_model_init (FblModel *m, const FsimGenParams *p);
/* FsimParallelFunc over the blocks from block0: z, and target for m->mu (with its sum per block
 * into partial[]). */
void fsim_i_fbl_draw_normals (size_t item, unsigned worker, void *data);
void fsim_i_fbl_set_targets (size_t item, unsigned worker, void *data);
double fsim_i_fbl_sum_partials (const FblModel *m);
/* Step 2, every community; FALSE when out of memory. */
gboolean fsim_i_fbl_draw_groups (FblModel *m);
/* The alias table over @r (n entries) of sum @total, into m->table (allocated here). FALSE when
 * out of memory. */
gboolean fsim_i_fbl_alias (FblModel *m, const float *r, double total);
/* Step 4's out-rows of the users start .. stop - 1: out, out_start, out_rows (over the held
 * users; empty outside). FALSE when out of memory. */
gboolean fsim_i_fbl_out_rows (FblModel *m);
/* The sorted union of u's inside row, out-row (as filtered) and in-row into @dst; its length. */
size_t fsim_i_fbl_merge_user (const FblModel *m, size_t u, uint32_t *dst);

/* Step 3 (fblike-rows.c): fills inside, int_start and int_rows. FALSE when out of memory. */
gboolean fsim_i_fbl_inside (FblModel *m);

/* The in-rows, the transpose of the out-rows under the cap (fblike-transpose.c). FALSE when
 * out of memory. */
gboolean fsim_i_fbl_in_rows (FblModel *m);

/* Whether v's out-row (after deduplication) holds u: v chose u too. */
static inline gboolean
fsim_i_fbl_out_row_has (const FblModel *m, uint32_t v, uint32_t u)
{
    const uint32_t *row = m->out_rows + m->out_start[v - m->base];
    size_t lo = 0, hi = m->out[v - m->base];

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (row[mid] < u)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < m->out[v - m->base] && row[lo] == u;
}

/* Whether the out-arc u -> v survived the cap, i.e. v kept u in its in-row; unless v is
 * saturated every arc is kept (fblike-transpose.c). */
static inline gboolean
fsim_i_fbl_arc_kept (const FblModel *m, uint32_t u, uint32_t v)
{
    const uint32_t *row, *end;

    if (!m->saturated[v])
        return TRUE;
    row = m->in_rows + m->in_start[v];
    end = m->in_rows + m->in_start[v + 1];
    if (row == end || u > end[-1])
        return FALSE;
    while (end - row > 1) { /* binary search for u */
        const uint32_t *mid = row + (end - row) / 2;
        if (*mid <= u)
            row = mid;
        else
            end = mid;
    }
    return *row == u;
}

/* Step 4 after the alias table (fblike-rows.c): out-rows, in-rows, then the CSR, merging the
 * three rows of every user. NULL when out of memory. */
FsimFriends *fsim_i_fbl_assemble (FblModel *m);
