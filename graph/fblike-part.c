/* SPDX-License-Identifier: MIT */
/* fblike-part.c: facebook_like over ranks: each rank generates only its own users' friend lists. */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include <glib.h>

#include "fblike-private.h"
#include "friends.h"
#include "graph-private.h"
#include "parallel.h"

/*
 * The same graph as fblike.c's, for the same parameters, whatever the number of ranks: every
 * random draw of fblike.c comes from a stream keyed by a block of users or a chunk of
 * communities, so a rank replays exactly the streams its users need, and only what is truly
 * global is exchanged (docs/scaling.md):
 *
 *  1. target degrees: each rank draws the blocks of users it needs; the fit of mu needs the
 *     sum of the targets of every block, so the block sums of the blocks that start on a rank
 *     are gathered each round and added in block order, as one process does.
 *  2. communities: one sequential stream of about n / community_size numbers; every rank
 *     draws all of them (8 bytes per community).
 *  3. inside communities: a rank draws the chunks of communities that hold its users (and the
 *     users before them in their block, see 4), so a chunk may be drawn by two ranks, alike.
 *  4. across the graph: the alias table needs every user's remaining target r: the ranks
 *     gather r (4 bytes per user) and each builds the whole table (8 bytes per user, the
 *     rank's only structure of the size of the population). A rank draws the out-rows of its
 *     users, replaying the block stream from the block's first user. The in-rows are the
 *     transpose: each rank sends its out-arcs (u, v) to v's owner (MPI_Alltoallv); they arrive
 *     in increasing u, as one process visits them, so the owner applies the degree cap
 *     exactly as fblike-transpose.c does and answers, for every arc, whether v kept it.
 *  5. each rank merges its users' three rows into their friend lists (global ids).
 */

typedef struct {
    FblModel m;
    const FsimComm *comm;
    size_t lo, hi;  /* this rank's users */
    size_t *bounds; /* [size + 1]: rank r owns bounds[r] .. bounds[r + 1] - 1 */
    /* step 4's transpose */
    uint32_t *arcs_in; /* received (u, v) pairs */
    size_t *arcs_from; /* [size]: pairs from each rank */
    guint8 *kept;      /* per arc sent, whether its v kept it */
} Part;

static void
part_clear (Part *p)
{
    fsim_i_fbl_clear (&p->m);
    g_free (p->bounds);
    g_free (p->arcs_in);
    g_free (p->arcs_from);
    g_free (p->kept);
}

/* A failure on this rank (out of memory) fails every rank, before the next collective. */
static gboolean
agree (Part *p, gboolean ok, GError **error)
{
    if (fsim_comm_agree (p->comm, ok, "ran out of memory generating its friendships", error))
        return TRUE;
    if (!ok)
        g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_NOMEM,
                     "out of memory generating the friendships of users %zu .. %zu of %zu", p->lo,
                     p->hi, p->m.n);
    return FALSE;
}

static int
owner (const Part *p, uint32_t v)
{
    return fsim_i_comm_owner (p->bounds, p->comm->size, v);
}

/* The community holding user @u. */
static size_t
group_of (const FblModel *m, size_t u)
{
    size_t lo = 0, hi = m->n_groups - 1;

    while (lo < hi) {
        size_t mid = (lo + hi + 1) / 2;
        if (m->group_offsets[mid] <= u)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

/*
 * What this rank holds: its users' out-rows start at the first user of lo's block (start);
 * their inside rows need the chunks of communities of users start .. hi - 1; the held range
 * covers those chunks and the blocks that start on this rank, block-aligned.
 */
static void
plan_range (Part *p)
{
    FblModel *m = &p->m;
    size_t B = FBL_BLOCK_USERS;

    if (p->lo == p->hi) {
        m->base = m->start = m->stop = p->lo / B * B;
        m->block0 = m->n_held = m->n_chunks = 0;
        return;
    }
    m->start = p->lo / B * B;
    m->stop = p->hi;
    m->chunk0 = group_of (m, m->start) / FBL_GROUP_CHUNK;
    m->n_chunks = group_of (m, p->hi - 1) / FBL_GROUP_CHUNK + 1 - m->chunk0;
    size_t c_first = m->group_offsets[m->chunk0 * FBL_GROUP_CHUNK];
    size_t c_end = m->group_offsets[MIN ((m->chunk0 + m->n_chunks) * FBL_GROUP_CHUNK, m->n_groups)];
    m->base = c_first / B * B;
    m->block0 = m->base / B;
    size_t end = MIN ((MAX (c_end, p->hi) + B - 1) / B * B, m->n);
    m->n_held = end - m->base;
}

/* The blocks that start on this rank: first .. first + n - 1. */
static void
own_blocks (const Part *p, size_t *out_first, size_t *out_n)
{
    size_t B = FBL_BLOCK_USERS;
    size_t first = (p->lo + B - 1) / B, end = (p->hi + B - 1) / B;

    *out_first = first;
    *out_n = end > first ? end - first : 0;
}

typedef struct {
    FblModel *m;
    size_t first; /* block */
} BlockRun;

static void
own_targets (size_t item, unsigned worker, void *data)
{
    BlockRun *run = data;

    fsim_i_fbl_set_targets (run->first + item - run->m->block0, worker, run->m);
}

/* Step 1 (fblike.c's fit_targets over the ranks): the same rounds, the same sums. */
static gboolean
fit_targets (Part *p, GError **error)
{
    FblModel *m = &p->m;
    size_t first, n_own;
    size_t n_local = m->n_held ? (m->base + m->n_held - 1) / FBL_BLOCK_USERS + 1 - m->block0 : 0;
    BlockRun run = { m, 0 };
    double mu_used = 0;
    g_autofree double *mine = NULL;

    own_blocks (p, &first, &n_own);
    run.first = first;
    mine = g_new (double, MAX (n_own, 1));
    fsim_parallel_for (n_local, fsim_parallel_workers (m->threads, n_local),
                       fsim_i_fbl_draw_normals, m, NULL, NULL);
    m->mu = log (m->mean) - m->sigma * m->sigma / 2.0;
    for (int round = 0; round < 100; round++) {
        double mean;

        mu_used = m->mu;
        fsim_parallel_for (n_own, fsim_parallel_workers (m->threads, n_own), own_targets, &run,
                           NULL, NULL);
        if (n_own > 0)
            memcpy (mine, m->partial + first, n_own * sizeof *mine);
        if (!p->comm->allgatherv (p->comm, mine, n_own, m->partial, sizeof (double), error))
            return FALSE;
        mean = fsim_i_fbl_sum_partials (m) / (double) m->n;
        if (fabs (mean / m->mean - 1.0) < 1e-6)
            break;
        m->mu += log (m->mean / mean);
    }
    /* the targets of every held block, with the mu of the last round */
    m->mu = mu_used;
    fsim_parallel_for (n_local, fsim_parallel_workers (m->threads, n_local), fsim_i_fbl_set_targets,
                       m, NULL, NULL);
    g_clear_pointer (&m->z, g_free);
    return TRUE;
}

/* Step 4's alias table: r of the held users in place, r of every user gathered. */
static gboolean
build_table (Part *p, GError **error)
{
    FblModel *m = &p->m;
    g_autofree float *r = g_try_new (float, MAX (m->n, 1));
    double total = 0;

    for (size_t u = m->start; u < m->stop; u++) {
        size_t i = u - m->base;
        m->target[i] = (float) MAX (0.0, (double) m->target[i] - (double) m->inside[i]);
    }
    if (!agree (p, r != NULL, error))
        return FALSE;
    if (!p->comm->allgatherv (p->comm, m->target + (p->lo - m->base), p->hi - p->lo, r,
                              sizeof (float), error))
        return FALSE;
    for (size_t u = 0; u < m->n; u++)
        total += (double) r[u];
    return agree (p, fsim_i_fbl_alias (m, r, total), error);
}

/* The out-arcs (u, v) of this rank's users, by v's owner; counts in pairs. */
static uint32_t *
pack_arcs (const Part *p, size_t *counts)
{
    const FblModel *m = &p->m;
    int size = p->comm->size;
    g_autofree size_t *at = g_new0 (size_t, (size_t) size);
    size_t total = 0;

    memset (counts, 0, (size_t) size * sizeof *counts);
    for (size_t i = p->lo - m->base; i < p->hi - m->base; i++)
        for (size_t k = m->out_start[i]; k < m->out_start[i] + m->out[i]; k++)
            counts[owner (p, m->out_rows[k])]++;
    for (int r = 0; r < size; r++) {
        at[r] = total;
        total += counts[r];
    }
    uint32_t *buf = g_try_new (uint32_t, 2 * MAX (total, 1));
    if (buf == NULL)
        return NULL;
    for (size_t i = p->lo - m->base; i < p->hi - m->base; i++) {
        for (size_t k = m->out_start[i]; k < m->out_start[i] + m->out[i]; k++) {
            size_t j = at[owner (p, m->out_rows[k])]++;
            buf[2 * j] = (uint32_t) (m->base + i);
            buf[2 * j + 1] = m->out_rows[k];
        }
    }
    return buf;
}

/*
 * The in-rows of this rank's users from the received arcs (in increasing u), under the cap as
 * fblike-transpose.c's count_bucket and place_bucket; @placed[k]: whether arc k was kept.
 */
static gboolean
place_arcs (Part *p, size_t n_arcs, guint8 *placed)
{
    FblModel *m = &p->m;
    size_t n_own = p->hi - p->lo;
    const uint32_t *arcs = p->arcs_in;
    g_autofree uint32_t *room = g_try_new (uint32_t, MAX (n_own, 1));
    g_autofree uint32_t *fill = g_try_new0 (uint32_t, MAX (n_own, 1));

    m->in_count = g_try_new0 (uint32_t, MAX (m->n_held, 1));
    m->saturated = g_try_new0 (guint8, MAX (m->n_held, 1));
    m->in_start = g_try_new0 (size_t, m->n_held + 1);
    if (room == NULL || fill == NULL || m->in_count == NULL || m->saturated == NULL ||
        m->in_start == NULL)
        return FALSE;
    for (size_t u = p->lo; u < p->hi; u++) {
        size_t i = u - m->base;
        room[u - p->lo] = (uint32_t) (m->cap - m->inside[i] - m->out[i]);
    }
    for (size_t k = 0; k < n_arcs; k++)
        m->in_count[arcs[2 * k + 1] - m->base]++;
    for (size_t u = p->lo; u < p->hi; u++) {
        size_t i = u - m->base;
        m->saturated[i] = m->in_count[i] > room[u - p->lo];
        if (m->saturated[i])
            m->in_count[i] = 0;
    }
    for (size_t k = 0; k < n_arcs; k++) {
        uint32_t u = arcs[2 * k], v = arcs[2 * k + 1];
        if (m->saturated[v - m->base] &&
            (fsim_i_fbl_out_row_has (m, v, u) || fill[v - p->lo]++ < room[v - p->lo]))
            m->in_count[v - m->base]++;
    }
    for (size_t i = 0; i < m->n_held; i++)
        m->in_start[i + 1] = m->in_start[i] + m->in_count[i];
    m->in_rows = g_try_new (uint32_t, MAX (m->in_start[m->n_held], 1));
    if (m->in_rows == NULL)
        return FALSE;
    memset (fill, 0, MAX (n_own, 1) * sizeof *fill);
    for (size_t k = 0; k < n_arcs; k++) {
        uint32_t u = arcs[2 * k], v = arcs[2 * k + 1];
        size_t i = v - m->base;

        placed[k] = 0;
        if (m->saturated[i] && !fsim_i_fbl_out_row_has (m, v, u)) {
            if (room[v - p->lo] == 0)
                continue;
            room[v - p->lo]--;
        }
        m->in_rows[m->in_start[i] + fill[v - p->lo]++] = u;
        placed[k] = 1;
    }
    return TRUE;
}

/* Drops from this rank's out-rows the arcs their v did not keep (@kept: in pack_arcs' order). */
static void
filter_out_rows (Part *p, const size_t *sent)
{
    FblModel *m = &p->m;
    int size = p->comm->size;
    g_autofree size_t *at = g_new0 (size_t, (size_t) size);

    for (int r = 1; r < size; r++)
        at[r] = at[r - 1] + sent[r - 1];
    for (size_t u = p->lo; u < p->hi; u++) {
        size_t i = u - m->base;
        uint32_t *row = m->out_rows + m->out_start[i];
        uint32_t len = 0;

        for (uint32_t k = 0; k < m->out[i]; k++)
            if (p->kept[at[owner (p, row[k])]++])
                row[len++] = row[k];
        m->out[i] = len;
    }
}

/* Step 4's transpose over the ranks: arcs out, in-rows, kept flags back. */
static gboolean
transpose (Part *p, GError **error)
{
    int size = p->comm->size;
    g_autofree size_t *sent = g_new (size_t, (size_t) size);
    g_autofree size_t *back = g_new (size_t, (size_t) size);
    g_autofree uint32_t *arcs = pack_arcs (p, sent);
    g_autofree guint8 *placed = NULL;
    size_t n_in = 0;

    if (!agree (p, arcs != NULL, error))
        return FALSE;
    p->arcs_from = g_new (size_t, (size_t) size);
    if (!p->comm->alltoallv (p->comm, arcs, sent, (void **) &p->arcs_in, p->arcs_from,
                             2 * sizeof (uint32_t), error))
        return FALSE;
    g_clear_pointer (&arcs, g_free);
    for (int r = 0; r < size; r++)
        n_in += p->arcs_from[r];
    placed = g_try_new (guint8, MAX (n_in, 1));
    if (!agree (p, placed != NULL && place_arcs (p, n_in, placed), error))
        return FALSE;
    g_clear_pointer (&p->arcs_in, g_free);
    if (!p->comm->alltoallv (p->comm, placed, p->arcs_from, (void **) &p->kept, back, 1, error))
        return FALSE;
    filter_out_rows (p, sent);
    return TRUE;
}

/* Step 5: this rank's friend lists, rows lo .. hi - 1. */
static FsimFriends *
merge_rows (Part *p)
{
    FblModel *m = &p->m;
    size_t n_own = p->hi - p->lo, total = 0;
    g_autofree size_t *offsets = g_try_new (size_t, n_own + 1);

    if (offsets == NULL)
        return NULL;
    offsets[0] = 0;
    for (size_t u = p->lo; u < p->hi; u++) {
        size_t i = u - m->base;
        total += m->inside[i] + m->out[i] + m->in_count[i];
    }
    uint32_t *adj = g_try_new (uint32_t, MAX (total, 1));
    if (adj == NULL)
        return NULL;
    for (size_t u = p->lo; u < p->hi; u++) {
        size_t j = u - p->lo;
        offsets[j + 1] = offsets[j] + fsim_i_fbl_merge_user (m, u, adj + offsets[j]);
    }
    FsimFriends *f = g_new0 (FsimFriends, 1);
    f->n_users = n_own;
    f->offsets = g_steal_pointer (&offsets);
    f->adj = adj;
    /* the communities, whole (global ids): clustered adoption visits them */
    f->n_groups = m->n_groups;
    f->group_offsets = g_steal_pointer (&m->group_offsets);
    if (f->offsets[n_own] > 0 && f->offsets[n_own] < total) {
        uint32_t *shrunk = g_try_renew (uint32_t, f->adj, f->offsets[n_own]);
        if (shrunk != NULL)
            f->adj = shrunk;
    }
    return f;
}

static FsimFriends *
part_run (Part *p, GError **error)
{
    FblModel *m = &p->m;

    if (!fsim_i_comm_gather_bounds (p->comm, p->lo, p->hi, p->m.n, &p->bounds, error) ||
        !agree (p, fsim_i_fbl_draw_groups (m), error))
        return NULL;
    plan_range (p);
    m->z = g_try_new (float, MAX (m->n_held, 1));
    m->target = g_try_new (float, MAX (m->n_held, 1));
    m->partial = g_try_new0 (double, MAX (m->n_blocks, 1));
    if (!agree (p, m->z != NULL && m->target != NULL && m->partial != NULL, error) ||
        !fit_targets (p, error) || !agree (p, fsim_i_fbl_inside (m), error) ||
        !build_table (p, error) || !agree (p, fsim_i_fbl_out_rows (m), error))
        return NULL;
    g_clear_pointer (&m->table, g_free);
    if (!transpose (p, error))
        return NULL;
    FsimFriends *f = merge_rows (p);
    if (!agree (p, f != NULL, error)) {
        fsim_friends_free (f);
        return NULL;
    }
    return f;
}

/**
 * fsim_i_generate_facebook_like_part:
 * See fblike-private.h and the comment at the top of this file.
 */
FsimFriends *
fsim_i_generate_facebook_like_part (const FsimGenParams *params, const FsimComm *comm, size_t first,
                                    size_t n_rows, GError **error)
{
    Part p = { .comm = comm, .lo = first, .hi = first + n_rows };
    FsimFriends *f;

    if (!fsim_i_fbl_check_params (params, error))
        return NULL;
    fsim_i_fbl_model_init (&p.m, params);
    if (params->n_users < 2 || params->mean_degree <= 0) {
        /* no friendships: as fblike.c, empty rows on every rank */
        return fsim_i_friends_empty_rows (n_rows);
    }
    f = part_run (&p, error);
    part_clear (&p);
    return f;
}
