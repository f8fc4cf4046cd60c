/* SPDX-License-Identifier: MIT */
/* fblike-transpose.c: facebook_like's in-rows, the out-rows transposed under the degree cap. */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include <glib.h>

#include "fblike-private.h"
#include "graph-private.h"

/*
 * The in-row of v lists, in increasing order, the users u whose out-row holds v, keeping only
 * the first in_count[v] = min(that number, room of v under the cap). Appending u to the
 * in-rows while visiting u in increasing order gives that directly, but writes all over a
 * large array (one cache and TLB miss per arc). So it is done in two cache-friendly passes, as
 * a radix sort would:
 *
 *  1. spread: the arcs (u, v) are copied, in increasing u order, into one bucket per range of
 *     SPAN users v. Each range of users u ("part") is spread by one task; a count pass and a
 *     prefix sum over (bucket, part) first give every part its own slice of every bucket, so
 *     a bucket ends up in increasing u order whatever the number of threads.
 *  2. place: each bucket, by one task, counts its arcs per v, cuts them to the room (see
 *     count_bucket), then appends u to the in-rows of its SPAN users, a region small enough
 *     for the cache.
 *
 * Between the two, the in-row lengths are known and summed into in_start.
 */

#define MIN_SPAN 4096 /* users per bucket, at least */
#define MAX_BUCKETS 4096
#define MAX_PARTS 16

typedef struct {
    FblModel *m;
    size_t span, n_buckets;
    size_t n_parts, blocks_per_part;
    size_t *slot;   /* n_buckets * n_parts: where part p's arcs into bucket b go (b-major) */
    uint32_t *arcs; /* 2 per arc: u, v */
    uint32_t *room; /* n: what each v can still take */
    uint32_t *fill; /* n: counters */
} Transpose;

static void
part_range (const Transpose *t, size_t part, size_t *out_first, size_t *out_end)
{
    *out_first = MIN (part * t->blocks_per_part * FBL_BLOCK_USERS, t->m->n);
    *out_end = MIN ((part + 1) * t->blocks_per_part * FBL_BLOCK_USERS, t->m->n);
}

static void
count_part (size_t part, unsigned worker G_GNUC_UNUSED, void *data)
{
    Transpose *t = data;
    const FblModel *m = t->m;
    size_t first, end;

    part_range (t, part, &first, &end);
    for (size_t u = first; u < end; u++)
        for (size_t i = m->out_start[u]; i < m->out_start[u] + m->out[u]; i++)
            t->slot[(m->out_rows[i] / t->span) * t->n_parts + part]++;
}

static void
spread_part (size_t part, unsigned worker G_GNUC_UNUSED, void *data)
{
    Transpose *t = data;
    const FblModel *m = t->m;
    size_t first, end;

    part_range (t, part, &first, &end);
    for (size_t u = first; u < end; u++) {
        for (size_t i = m->out_start[u]; i < m->out_start[u] + m->out[u]; i++) {
            uint32_t v = m->out_rows[i];
            size_t at = t->slot[(v / t->span) * t->n_parts + part]++;

            t->arcs[2 * at] = (uint32_t) u;
            t->arcs[2 * at + 1] = v;
        }
    }
}

/* Bucket @b's arcs are [slot of (b, 0) before spreading, slot of (b + 1, 0)): after spreading,
 * slot (b, p) has moved to the start of (b, p + 1), so the bucket starts at slot (b - 1, last). */
static void
bucket_arcs (const Transpose *t, size_t b, size_t *out_first, size_t *out_end)
{
    *out_first = b == 0 ? 0 : t->slot[b * t->n_parts - 1];
    *out_end = t->slot[(b + 1) * t->n_parts - 1];
}

/*
 * in_count and saturated for bucket @b's users. A user v chosen by more users than it has room
 * for is saturated: it keeps every arc u -> v where v also chose u (that friendship is already
 * counted in v's out-row, so it takes no room) and, of the others, the first room[v].
 */
static void
count_bucket (size_t b, unsigned worker G_GNUC_UNUSED, void *data)
{
    Transpose *t = data;
    FblModel *m = t->m;
    size_t first, end;
    size_t v0 = b * t->span, v1 = MIN (v0 + t->span, m->n);
    gboolean any = FALSE;

    bucket_arcs (t, b, &first, &end);
    for (size_t v = v0; v < v1; v++)
        m->in_count[v] = 0;
    for (size_t k = first; k < end; k++)
        m->in_count[t->arcs[2 * k + 1]]++;
    for (size_t v = v0; v < v1; v++) {
        m->saturated[v] = m->in_count[v] > t->room[v];
        if (m->saturated[v])
            m->in_count[v] = t->fill[v] = 0;
        any |= m->saturated[v];
    }
    for (size_t k = first; k < end && any; k++) {
        uint32_t u = t->arcs[2 * k], v = t->arcs[2 * k + 1];

        if (m->saturated[v] && (fsim_i_fbl_out_row_has (m, v, u) || t->fill[v]++ < t->room[v]))
            m->in_count[v]++;
    }
}

static void
place_bucket (size_t b, unsigned worker G_GNUC_UNUSED, void *data)
{
    Transpose *t = data;
    FblModel *m = t->m;
    size_t first, end;
    size_t v0 = b * t->span, v1 = MIN (v0 + t->span, m->n);

    bucket_arcs (t, b, &first, &end);
    for (size_t v = v0; v < v1; v++)
        t->fill[v] = 0;
    for (size_t k = first; k < end; k++) {
        uint32_t u = t->arcs[2 * k], v = t->arcs[2 * k + 1];

        if (m->saturated[v] && !fsim_i_fbl_out_row_has (m, v, u)) {
            if (t->room[v] == 0)
                continue;
            t->room[v]--;
        }
        m->in_rows[m->in_start[v] + t->fill[v]++] = u;
    }
}

/* Counts per (bucket, part), then the exclusive prefix sum over them in (bucket, part) order. */
static void
plan_slots (Transpose *t)
{
    size_t total = 0;

    fsim_parallel_for (t->n_parts, fsim_parallel_workers (t->m->threads, t->n_parts), count_part, t,
                       NULL, NULL);
    for (size_t i = 0; i < t->n_buckets * t->n_parts; i++) {
        size_t c = t->slot[i];

        t->slot[i] = total;
        total += c;
    }
}

static void
transpose_init (Transpose *t, FblModel *m)
{
    memset (t, 0, sizeof *t);
    t->m = m;
    t->span = MAX (MIN_SPAN, (m->n + MAX_BUCKETS - 1) / MAX_BUCKETS);
    t->n_buckets = (m->n + t->span - 1) / t->span;
    t->n_parts = MIN (fsim_parallel_workers (m->threads, m->n_blocks), MAX_PARTS);
    t->blocks_per_part = (m->n_blocks + t->n_parts - 1) / t->n_parts;
}

gboolean
fsim_i_fbl_in_rows (FblModel *m)
{
    Transpose t;
    gboolean ok = FALSE;

    transpose_init (&t, m);
    t.slot = g_try_new0 (size_t, t.n_buckets * t.n_parts);
    t.arcs = g_try_new (uint32_t, 2 * MAX (m->out_start[m->n], 1));
    t.room = g_try_new (uint32_t, m->n);
    t.fill = g_try_new (uint32_t, m->n);
    m->in_count = g_try_new (uint32_t, m->n);
    m->saturated = g_try_new (guint8, m->n);
    m->in_start = g_try_new (size_t, m->n + 1);
    if (t.slot == NULL || t.arcs == NULL || t.room == NULL || t.fill == NULL ||
        m->in_count == NULL || m->saturated == NULL || m->in_start == NULL)
        goto out;
    for (size_t v = 0; v < m->n; v++)
        t.room[v] = (uint32_t) (m->cap - m->inside[v] - m->out[v]);
    plan_slots (&t);
    fsim_parallel_for (t.n_parts, fsim_parallel_workers (m->threads, t.n_parts), spread_part, &t,
                       NULL, NULL);
    fsim_parallel_for (t.n_buckets, fsim_parallel_workers (m->threads, t.n_buckets), count_bucket,
                       &t, NULL, NULL);
    m->in_start[0] = 0;
    for (size_t v = 0; v < m->n; v++)
        m->in_start[v + 1] = m->in_start[v] + m->in_count[v];
    m->in_rows = g_try_new (uint32_t, MAX (m->in_start[m->n], 1));
    if (m->in_rows == NULL)
        goto out;
    fsim_parallel_for (t.n_buckets, fsim_parallel_workers (m->threads, t.n_buckets), place_bucket,
                       &t, NULL, NULL);
    ok = TRUE;
out:
    g_free (t.slot);
    g_free (t.arcs);
    g_free (t.room);
    g_free (t.fill);
    return ok;
}
