/* SPDX-License-Identifier: MIT */
/* fblike-rows.c: facebook_like's friendships as sorted rows, merged into the CSR. */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include <glib.h>

#include "fblike-private.h"
#include "friends.h"
#include "graph-private.h"
#include "rng-private.h"

/*
 * Every user's friend list is the union of three sorted rows, each built where it is cheap:
 *
 *  - inside: per community, pairs u < v are drawn in increasing (u, v) order; appending v to
 *    row u and u to row v in that order leaves both rows sorted (row u gets its smaller
 *    friends while earlier users are visited, then its larger ones in increasing order).
 *  - out: the friendships u starts, drawn from the alias table, sorted and deduplicated per
 *    user (a few dozen entries, in cache).
 *  - in: the transpose of the out-rows: visiting u in increasing order and appending u to the
 *    in-row of each v it chose leaves the in-rows sorted (fblike-transpose.c). This is the only
 *    scatter, over the global friendships once, where a pairs-to-CSR build scatters every
 *    friendship twice in each direction.
 *
 * The rows are then merged per user (in parallel) into the CSR. The degree cap is enforced on
 * the way: inside, a pair is skipped once either user is at the cap; a user starts at most
 * cap - inside friendships; and the transpose (fblike-transpose.c) keeps, for each v, only as
 * many in-arcs as v has room for, so the merge skips an out-arc u -> v that v did not keep.
 */

/* ---- sorting small rows --------------------------------------------------------------------- */

static void
insertion_sort (uint32_t *a, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint32_t x = a[i];
        size_t k = i;

        for (; k > 0 && a[k - 1] > x; k--)
            a[k] = a[k - 1];
        a[k] = x;
    }
}

/* The index of the median of a[0], a[n / 2], a[n - 1]. */
static size_t
median_of_three (const uint32_t *a, size_t n)
{
    size_t i = 0, j = n / 2, k = n - 1;

    if (a[i] > a[j]) {
        size_t t = i;
        i = j;
        j = t;
    }
    /* now a[i] <= a[j] */
    if (a[k] >= a[j])
        return j;
    return a[k] >= a[i] ? k : i;
}

/*
 * Quicksort with a branch-free Lomuto partition (the comparison feeds an index rather than a
 * branch, so random data costs no mispredictions), insertion sort below 12 elements; about
 * twice as fast as a classic Hoare quicksort on the short random rows it gets here.
 */
static void
sort_u32 (uint32_t *a, size_t n)
{
    while (n > 12) {
        size_t m = median_of_three (a, n), i = 0;
        uint32_t pivot = a[m];

        a[m] = a[n - 1];
        a[n - 1] = pivot;
        for (size_t j = 0; j < n - 1; j++) {
            uint32_t v = a[j];

            a[j] = a[i];
            a[i] = v;
            i += v < pivot;
        }
        a[n - 1] = a[i];
        a[i] = pivot;
        /* Recurse into the smaller side, loop on the larger: O(log n) stack. */
        if (i < n - i - 1) {
            sort_u32 (a, i);
            a += i + 1;
            n -= i + 1;
        } else {
            sort_u32 (a + i + 1, n - i - 1);
            n = i;
        }
    }
    insertion_sort (a, n);
}

/* ---- inside communities --------------------------------------------------------------------- */

typedef struct {
    uint32_t *pairs; /* 2 * len */
    size_t len, cap;
    double *w;      /* the community's weights */
    size_t *cursor; /* the community's row cursors */
} GroupScratch;

static gboolean
reserve (uint32_t **array, size_t *cap, size_t need)
{
    if (need > *cap) {
        size_t grown = MAX (need, MAX (*cap * 2, 4096));
        uint32_t *p = g_try_renew (uint32_t, *array, grown);

        if (p == NULL)
            return FALSE;
        *array = p;
        *cap = grown;
    }
    return TRUE;
}

/* Chung–Lu pairs of community [a, b) into s->pairs, counting inside[]. */
static gboolean
draw_group_pairs (FblModel *m, size_t a, size_t b, FsimRng *rng, GroupScratch *s)
{
    double limit = (double) (b - a - 1), total = 0;
    size_t pair_cap = s->cap / 2;

    for (size_t u = a; u < b; u++) {
        s->w[u - a] = MIN (m->share * (double) m->target[u - m->base], limit);
        total += s->w[u - a];
    }
    s->len = 0;
    for (size_t u = a; u < b && total > 0; u++) {
        double wu = s->w[u - a] / total;

        for (size_t v = u + 1; v < b; v++) {
            double p = wu * s->w[v - a];

            if (p < 1.0 && fsim_i_rng_double (rng) >= p)
                continue;
            if (m->inside[u - m->base] >= m->cap || m->inside[v - m->base] >= m->cap)
                continue;
            if (s->len == pair_cap) {
                if (!reserve (&s->pairs, &s->cap, 2 * s->len + 2))
                    return FALSE;
                pair_cap = s->cap / 2;
            }
            s->pairs[2 * s->len] = (uint32_t) u;
            s->pairs[2 * s->len + 1] = (uint32_t) v;
            s->len++;
            m->inside[u - m->base]++;
            m->inside[v - m->base]++;
        }
    }
    return TRUE;
}

/* Appends the sorted rows of community [a, b) to @chunk. */
static gboolean
group_rows (FblModel *m, size_t a, size_t b, FblChunk *chunk, GroupScratch *s)
{
    size_t base = chunk->len;

    if (!reserve (&chunk->rows, &chunk->cap, chunk->len + 2 * s->len))
        return FALSE;
    for (size_t u = a; u < b; u++) {
        s->cursor[u - a] = chunk->len;
        chunk->len += m->inside[u - m->base];
    }
    g_assert (chunk->len == base + 2 * s->len);
    for (size_t k = 0; k < s->len; k++) {
        uint32_t u = s->pairs[2 * k], v = s->pairs[2 * k + 1];

        chunk->rows[s->cursor[u - a]++] = v;
        chunk->rows[s->cursor[v - a]++] = u;
    }
    return TRUE;
}

/* Chunk m->chunk0 + @item of communities, into m->chunks[@item]. */
static void
inside_chunk (size_t item, unsigned worker G_GNUC_UNUSED, void *data)
{
    FblModel *m = data;
    size_t c = m->chunk0 + item;
    size_t first = c * FBL_GROUP_CHUNK, last = MIN (first + FBL_GROUP_CHUNK, m->n_groups);
    GroupScratch s = { 0 };
    size_t widest = 1;
    FsimRng rng;

    for (size_t g = first; g < last; g++)
        widest = MAX (widest, m->group_offsets[g + 1] - m->group_offsets[g]);
    s.w = g_try_new (double, widest);
    s.cursor = g_try_new (size_t, widest);
    m->chunks[item].failed = s.w == NULL || s.cursor == NULL;
    fsim_i_rng_init (&rng, m->seed, FBL_STEP_INSIDE, c);
    for (size_t g = first; g < last && !m->chunks[item].failed; g++) {
        size_t a = m->group_offsets[g], b = m->group_offsets[g + 1];

        m->chunks[item].failed =
            !draw_group_pairs (m, a, b, &rng, &s) || !group_rows (m, a, b, &m->chunks[item], &s);
    }
    g_free (s.pairs);
    g_free (s.w);
    g_free (s.cursor);
}

/* Concatenates the chunks' rows into int_rows, freeing them as it goes. */
static gboolean
join_chunks (FblModel *m)
{
    m->int_start = g_try_new (size_t, m->n_held + 1);
    if (m->int_start == NULL)
        return FALSE;
    m->int_start[0] = 0;
    for (size_t i = 0; i < m->n_held; i++)
        m->int_start[i + 1] = m->int_start[i] + m->inside[i];
    m->int_rows = g_try_new (uint32_t, MAX (m->int_start[m->n_held], 1));
    if (m->int_rows == NULL)
        return FALSE;
    for (size_t c = 0; c < m->n_chunks; c++) {
        size_t first_user = m->group_offsets[(m->chunk0 + c) * FBL_GROUP_CHUNK];

        if (m->chunks[c].len > 0)
            memcpy (m->int_rows + m->int_start[first_user - m->base], m->chunks[c].rows,
                    m->chunks[c].len * sizeof *m->int_rows);
        g_clear_pointer (&m->chunks[c].rows, g_free);
    }
    return TRUE;
}

/* The communities of chunks chunk0 .. chunk0 + n_chunks - 1. */
gboolean
fsim_i_fbl_inside (FblModel *m)
{
    m->inside = g_try_new0 (uint32_t, MAX (m->n_held, 1));
    m->chunks = g_try_new0 (FblChunk, MAX (m->n_chunks, 1));
    if (m->inside == NULL || m->chunks == NULL)
        return FALSE;
    fsim_parallel_for (m->n_chunks, fsim_parallel_workers (m->threads, m->n_chunks), inside_chunk,
                       m, NULL, NULL);
    for (size_t c = 0; c < m->n_chunks; c++)
        if (m->chunks[c].failed)
            return FALSE;
    return join_chunks (m);
}

/* ---- out-rows ------------------------------------------------------------------------------- */

/* Column and coin of a draw from the alias table. */
static inline uint32_t
alias_column (const FblModel *m, uint64_t x)
{
    return (uint32_t) (((x >> 32) * m->n) >> 32);
}

static inline uint32_t
alias_resolve (const FblModel *m, uint64_t x)
{
    uint32_t u = alias_column (m, x);
    FblAlias e = m->table[u];

    return e.prob == UINT32_MAX || (uint32_t) x < e.prob ? u : e.alias;
}

/* How many friendships each user plans to start: round(r / 2) at random, at least one for a
 * user without friends inside, at most the room left under the cap. */
static void
plan_out (size_t item, unsigned worker G_GNUC_UNUSED, void *data)
{
    FblModel *m = data;
    size_t block = m->start / FBL_BLOCK_USERS + item;
    size_t end = MIN (fsim_i_fbl_block_end (m, block), m->stop);
    FsimRng rng;

    fsim_i_rng_init (&rng, m->seed, FBL_STEP_OUT, block);
    for (size_t u = block * FBL_BLOCK_USERS; u < end; u++) {
        size_t i = u - m->base;
        size_t out = (size_t) ((double) m->target[i] / 2.0 + fsim_i_rng_double (&rng));

        if (out == 0 && m->inside[i] == 0)
            out = 1;
        m->out[i] = (uint32_t) MIN (out, m->cap - m->inside[i]);
    }
}

/*
 * Draws u's out-row: all the random words first, prefetching their table entries, then the
 * resolutions, so that the cache misses of one row overlap. A draw of u itself is redrawn.
 */
static void
draw_row (const FblModel *m, size_t u, FsimRng *rng, uint64_t *words, uint32_t *row)
{
    uint32_t k_max = m->out[u - m->base];

    for (uint32_t k = 0; k < k_max; k++) {
        words[k] = fsim_i_rng_next (rng);
        __builtin_prefetch (&m->table[alias_column (m, words[k])]);
    }
    for (uint32_t k = 0; k < k_max; k++) {
        uint32_t v = alias_resolve (m, words[k]);

        for (int retry = 0; v == u && retry < 16; retry++)
            v = alias_resolve (m, fsim_i_rng_next (rng));
        row[k] = v;
    }
}

/* Draws, sorts and deduplicates each user's out-row; out[u] becomes its length. */
static void
fill_out (size_t item, unsigned worker G_GNUC_UNUSED, void *data)
{
    FblModel *m = data;
    size_t block = m->start / FBL_BLOCK_USERS + item;
    size_t end = MIN (fsim_i_fbl_block_end (m, block), m->stop);
    g_autofree uint64_t *words = g_new (uint64_t, MAX (m->cap, 1));
    FsimRng rng;

    fsim_i_rng_init (&rng, m->seed, FBL_STEP_GLOBAL, block);
    for (size_t u = block * FBL_BLOCK_USERS; u < end; u++) {
        size_t i = u - m->base;
        uint32_t *row = m->out_rows + m->out_start[i];
        size_t len = 0;

        draw_row (m, u, &rng, words, row);
        sort_u32 (row, m->out[i]);
        for (uint32_t k = 0; k < m->out[i]; k++)
            if (row[k] != u && (len == 0 || row[k] != row[len - 1]))
                row[len++] = row[k];
        m->out[i] = (uint32_t) len;
    }
}

gboolean
fsim_i_fbl_out_rows (FblModel *m)
{
    size_t n_blocks =
        m->stop > m->start ? (m->stop - 1) / FBL_BLOCK_USERS - m->start / FBL_BLOCK_USERS + 1 : 0;

    g_assert (m->start % FBL_BLOCK_USERS == 0 && m->start >= m->base &&
              m->stop <= m->base + m->n_held);
    m->out = g_try_new0 (uint32_t, MAX (m->n_held, 1));
    m->out_start = g_try_new (size_t, m->n_held + 1);
    if (m->out == NULL || m->out_start == NULL)
        return FALSE;
    fsim_parallel_for (n_blocks, fsim_parallel_workers (m->threads, n_blocks), plan_out, m, NULL,
                       NULL);
    m->out_start[0] = 0;
    for (size_t i = 0; i < m->n_held; i++)
        m->out_start[i + 1] = m->out_start[i] + m->out[i];
    m->out_rows = g_try_new (uint32_t, MAX (m->out_start[m->n_held], 1));
    if (m->out_rows == NULL)
        return FALSE;
    fsim_parallel_for (n_blocks, fsim_parallel_workers (m->threads, n_blocks), fill_out, m, NULL,
                       NULL);
    return TRUE;
}

/* ---- merge ---------------------------------------------------------------------------------- */

typedef struct {
    FblModel *m;
    size_t *offsets; /* upper bounds: each row's space */
    uint32_t *adj;
    uint32_t *degree;
} MergeRun;

/* Drops from u's out-row the arcs that the transpose did not keep. */
static void
filter_out_row (FblModel *m, size_t u)
{
    uint32_t *row = m->out_rows + m->out_start[u];
    uint32_t len = 0;

    for (uint32_t k = 0; k < m->out[u]; k++)
        if (fsim_i_fbl_arc_kept (m, (uint32_t) u, row[k]))
            row[len++] = row[k];
    m->out[u] = len;
}

/* The sorted union of u's three rows into @dst; returns its length. Each round takes the
 * smallest head and advances every row holding it, without branches on the data. */
size_t
fsim_i_fbl_merge_user (const FblModel *m, size_t u, uint32_t *dst)
{
    size_t i = u - m->base;
    const uint32_t *a = m->int_rows + m->int_start[i], *a_end = m->int_rows + m->int_start[i + 1];
    const uint32_t *b = m->out_rows + m->out_start[i], *b_end = b + m->out[i];
    const uint32_t *c = m->in_rows + m->in_start[i], *c_end = m->in_rows + m->in_start[i + 1];
    size_t len = 0;

    for (;;) {
        uint32_t va = a < a_end ? *a : UINT32_MAX;
        uint32_t vb = b < b_end ? *b : UINT32_MAX;
        uint32_t vc = c < c_end ? *c : UINT32_MAX;
        uint32_t x = MIN (va, MIN (vb, vc));

        if (x == UINT32_MAX)
            return len;
        dst[len++] = x;
        a += va == x;
        b += vb == x;
        c += vc == x;
    }
}

static void
merge_block (size_t block, unsigned worker G_GNUC_UNUSED, void *data)
{
    MergeRun *run = data;

    for (size_t u = block * FBL_BLOCK_USERS; u < fsim_i_fbl_block_end (run->m, block); u++) {
        filter_out_row (run->m, u);
        run->degree[u] = (uint32_t) fsim_i_fbl_merge_user (run->m, u, run->adj + run->offsets[u]);
    }
}

/* Moves the rows to the left, back to back; offsets become the CSR's. */
static size_t
squeeze_rows (size_t n, size_t *offsets, uint32_t *adj, const uint32_t *degree)
{
    size_t w = 0;

    for (size_t u = 0; u < n; u++) {
        size_t from = offsets[u];

        offsets[u] = w;
        if (from != w && degree[u] > 0)
            memmove (adj + w, adj + from, degree[u] * sizeof *adj);
        w += degree[u];
    }
    offsets[n] = w;
    return w;
}

FsimFriends *
fsim_i_fbl_assemble (FblModel *m)
{
    MergeRun run = { .m = m };
    size_t n_arcs;

    if (!fsim_i_fbl_out_rows (m))
        return NULL;
    if (!fsim_i_fbl_in_rows (m))
        return NULL;
    g_clear_pointer (&m->table, g_free);

    g_autofree size_t *offsets = g_try_new (size_t, m->n + 1);
    g_autofree uint32_t *degree = g_try_new (uint32_t, m->n);
    if (offsets == NULL || degree == NULL)
        return NULL;
    offsets[0] = 0;
    for (size_t u = 0; u < m->n; u++)
        offsets[u + 1] = offsets[u] + m->inside[u] + m->out[u] + m->in_count[u];
    run.adj = g_try_new (uint32_t, MAX (offsets[m->n], 1));
    if (run.adj == NULL)
        return NULL;
    run.offsets = offsets;
    run.degree = degree;
    fsim_parallel_for (m->n_blocks, fsim_parallel_workers (m->threads, m->n_blocks), merge_block,
                       &run, NULL, NULL);
    n_arcs = squeeze_rows (m->n, offsets, run.adj, degree);
    g_assert (n_arcs % 2 == 0);
    if (n_arcs > 0) {
        uint32_t *shrunk = g_try_renew (uint32_t, run.adj, n_arcs);
        if (shrunk != NULL)
            run.adj = shrunk;
    }

    FsimFriends *f = g_new0 (FsimFriends, 1);
    f->n_users = m->n;
    f->n_edges = n_arcs / 2;
    f->offsets = g_steal_pointer (&offsets);
    f->adj = run.adj;
    return f;
}
