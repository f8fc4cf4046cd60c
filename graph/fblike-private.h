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
 * Arrays of n entries are indexed by user. "Rows" are sorted neighbour lists stored back to
 * back, row u at [start[u], start[u] + length).
 */
typedef struct {
    /* parameters */
    size_t n;
    double mean, sigma, share, size;
    size_t cap; /* min(max_degree, n - 1) */
    uint64_t seed;
    unsigned threads;
    size_t n_blocks; /* of FBL_BLOCK_USERS users */
    /* step 1: target degrees, later what is left of them for step 4 */
    float *z;
    float *target;
    double *partial; /* n_blocks: per-block sums, added in block order */
    double mu;
    /* step 2: communities */
    size_t n_groups;
    size_t *group_offsets; /* n_groups + 1 */
    /* step 3: inside communities */
    uint32_t *inside; /* realised degree inside the community */
    FblChunk *chunks;
    size_t n_chunks;
    size_t *int_start; /* n + 1 */
    uint32_t *int_rows;
    /* step 4: across the graph */
    FblAlias *table;   /* n: the alias table over what is left of the targets */
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

/* Step 3 (fblike-rows.c): fills inside, int_start and int_rows. FALSE when out of memory. */
gboolean fsim_i_fbl_inside (FblModel *m);

/* The in-rows, the transpose of the out-rows under the cap (fblike-transpose.c). FALSE when
 * out of memory. */
gboolean fsim_i_fbl_in_rows (FblModel *m);

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
