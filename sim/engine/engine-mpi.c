/* SPDX-License-Identifier: MIT */
/* engine-mpi.c: the engine over MPI ranks: halo exchange of boundary users, local trace, sums. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "engine-mpi.h"
#include "engine-private.h"
#include "memory.h"
#include "parallel.h"

/*
 * Rank r owns the users of part r (fsim_population_slice_first()). Its local numbering is:
 * its own users 0 .. n_own - 1, then its ghosts (the friends of its users owned elsewhere) in
 * increasing global id, so grouped by owner. The friendship graph is undirected, so the users
 * rank r must send to rank s (its users with a friend on s, in increasing id) are exactly s's
 * ghosts on r, in the same order: both sides know the counts without asking.
 *
 * The trace needs, for a user u, uses[v] of u's friends (hop 1: the near pass) and near[v] of
 * u's friends (hop 2: the friend-of-friend sets). Each hop is one MPI_Alltoallv of the sets of
 * the boundary users; then the existing passes of engine.c and engine-trace.c run on the local
 * numbering, and the counts, all sums over users, are summed over the ranks (MPI_Allreduce).
 */

typedef struct {
    MPI_Comm comm;
    int rank, size;
    size_t *bounds; /* [size + 1]: part r is bounds[r] .. bounds[r + 1] - 1 */
    size_t n_own, n_ghosts;
    uint32_t *ghosts;               /* [n_ghosts]: their global ids, increasing */
    int *recv_counts, *recv_displs; /* users from each rank */
    uint32_t *send;                 /* local ids of the own users each rank needs, by rank */
    int *send_counts, *send_displs;
    size_t cut_arcs;
    FsimFriends local; /* friend lists over the local numbering; ghosts have none */
} Halo;

static void
halo_clear (Halo *h)
{
    g_free (h->bounds);
    g_free (h->ghosts);
    g_free (h->recv_counts);
    g_free (h->recv_displs);
    g_free (h->send);
    g_free (h->send_counts);
    g_free (h->send_displs);
    g_free (h->local.offsets);
    /* local.adj is the slice's own array, relabelled (build_local) */
}

/* The rank owning global user @v. */
static int
owner (const Halo *h, uint32_t v)
{
    int lo = 0, hi = h->size - 1;

    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (h->bounds[mid] <= v)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

static int
compare_u32 (const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *) a, y = *(const uint32_t *) b;
    return (x > y) - (x < y);
}

static gboolean
is_own (const Halo *h, uint32_t v)
{
    return v >= h->bounds[h->rank] && v < h->bounds[h->rank + 1];
}

/* The ghosts, sorted and distinct, and how many come from each rank; FALSE with @error set when
 * their ids (4 bytes per cut friendship, before the repeats go) do not fit in memory. */
static gboolean
find_ghosts (Halo *h, const FsimPopulationSlice *s, GError **error)
{
    size_t n_arcs = s->offsets[s->n_own], k = 0, n_cut = 0;

    for (size_t a = 0; a < n_arcs; a++)
        n_cut += !is_own (h, s->adj[a]);
    h->ghosts = fsim_try_new (n_cut, sizeof (uint32_t),
                              "the ids of the rank's users' friends on other ranks", error);
    if (h->ghosts == NULL)
        return FALSE;
    for (size_t a = 0; a < n_arcs; a++)
        if (!is_own (h, s->adj[a]))
            h->ghosts[k++] = s->adj[a];
    h->cut_arcs = k;
    qsort (h->ghosts, k, sizeof (uint32_t), compare_u32);
    h->n_ghosts = 0;
    for (size_t i = 0; i < k; i++)
        if (h->n_ghosts == 0 || h->ghosts[h->n_ghosts - 1] != h->ghosts[i])
            h->ghosts[h->n_ghosts++] = h->ghosts[i];
    /* shrinking: if even that fails, the larger array serves as well */
    uint32_t *fit = fsim_try_renew (h->ghosts, MAX (h->n_ghosts, (size_t) 1), sizeof (uint32_t));
    if (fit != NULL)
        h->ghosts = fit;
    h->recv_counts = g_new0 (int, h->size);
    h->recv_displs = g_new0 (int, h->size);
    for (size_t i = 0; i < h->n_ghosts; i++)
        h->recv_counts[owner (h, h->ghosts[i])]++;
    for (int r = 1; r < h->size; r++)
        h->recv_displs[r] = h->recv_displs[r - 1] + h->recv_counts[r - 1];
    return TRUE;
}

/* For every rank, the own users with a friend there (each once, in increasing id). Friend
 * lists are sorted, so a user's friends' owners never decrease. FALSE with @error set when
 * they do not fit in memory. */
static gboolean
find_sends (Halo *h, const FsimPopulationSlice *s, GError **error)
{
    h->send_counts = g_new0 (int, h->size);
    h->send_displs = g_new0 (int, h->size);
    for (int pass = 0; pass < 2; pass++) {
        g_autofree int *fill = g_new0 (int, h->size);
        for (size_t u = 0; u < s->n_own; u++) {
            int last = -1;
            for (size_t a = s->offsets[u]; a < s->offsets[u + 1]; a++) {
                int r = owner (h, s->adj[a]);
                if (r == h->rank || r == last)
                    continue;
                last = r;
                if (pass == 0)
                    h->send_counts[r]++;
                else
                    h->send[h->send_displs[r] + fill[r]++] = (uint32_t) u;
            }
        }
        if (pass == 0) {
            size_t total = 0;
            for (int r = 0; r < h->size; r++) {
                h->send_displs[r] = (int) total;
                total += (size_t) h->send_counts[r];
            }
            h->send = fsim_try_new (total, sizeof (uint32_t),
                                    "the rank's users that other ranks need", error);
            if (h->send == NULL)
                return FALSE;
        }
    }
    return TRUE;
}

/* Friend lists over the local numbering (own users, then ghosts with empty lists): the
 * slice's own, relabelled in place, so that a rank holds its friend lists once. FALSE with
 * @error set (and the slice untouched) when their offsets do not fit in memory. */
static gboolean
build_local (Halo *h, FsimPopulationSlice *s, GError **error)
{
    size_t n_local = h->n_own + h->n_ghosts, n_arcs = s->offsets[s->n_own];
    size_t first = h->bounds[h->rank];

    h->local.n_users = n_local;
    h->local.offsets = fsim_try_new (n_local + 1, sizeof (size_t),
                                     "the friend lists of the rank's users and ghosts", error);
    if (h->local.offsets == NULL)
        return FALSE;
    h->local.adj = s->adj;
    for (size_t u = 0; u <= n_local; u++)
        h->local.offsets[u] = s->offsets[MIN (u, s->n_own)];
    for (size_t a = 0; a < n_arcs; a++) {
        uint32_t v = s->adj[a];
        if (is_own (h, v)) {
            h->local.adj[a] = (uint32_t) (v - first);
        } else {
            const uint32_t *g =
                bsearch (&v, h->ghosts, h->n_ghosts, sizeof (uint32_t), compare_u32);
            h->local.adj[a] = (uint32_t) (h->n_own + (size_t) (g - h->ghosts));
        }
    }
    return TRUE;
}

/* The rows this rank sends in a hop: its users that other ranks need, once per rank. */
static size_t
halo_n_send (const Halo *h)
{
    return (size_t) h->send_displs[h->size - 1] + (size_t) h->send_counts[h->size - 1];
}

static gboolean
halo_init (Halo *h, FsimPopulationSlice *s, MPI_Comm comm, GError **error)
{
    MPI_Comm_rank (comm, &h->rank);
    MPI_Comm_size (comm, &h->size);
    h->comm = comm;
    h->bounds = g_new (size_t, h->size + 1);
    for (int r = 0; r <= h->size; r++)
        h->bounds[r] = fsim_population_slice_first (s->n_total, (size_t) h->size, (size_t) r);
    if (s->first != h->bounds[h->rank] || s->n_own != h->bounds[h->rank + 1] - s->first) {
        g_set_error (error, FSIM_POPULATION_ERROR, FSIM_POPULATION_ERROR_FAILED,
                     "rank %d holds users %zu .. %zu, not its part of %zu users", h->rank, s->first,
                     s->first + s->n_own, s->n_total);
        return FALSE;
    }
    h->n_own = s->n_own;
    if (!find_ghosts (h, s, error) || !find_sends (h, s, error))
        return FALSE;
    if (halo_n_send (h) > INT_MAX || h->n_ghosts > INT_MAX) {
        g_set_error (error, FSIM_POPULATION_ERROR, FSIM_POPULATION_ERROR_TOO_LARGE,
                     "rank %d has %zu boundary users, more than MPI counts can hold: use "
                     "more ranks",
                     h->rank, h->n_ghosts);
        return FALSE;
    }
    return build_local (h, s, error);
}

/* Rows of @words words: the own rows of @rows that other ranks need go out (through @buf, of
 * halo_n_send() rows), the ghost rows (from n_own on) come in. Returns the bytes this rank
 * sent. */
static size_t
exchange (const Halo *h, FsimWord *rows, size_t words, FsimWord *buf)
{
    size_t n_send = halo_n_send (h);
    MPI_Datatype row;

    for (size_t i = 0; i < n_send; i++)
        memcpy (buf + i * words, rows + (size_t) h->send[i] * words, words * sizeof (FsimWord));
    MPI_Type_contiguous ((int) words, MPI_UINT64_T, &row);
    MPI_Type_commit (&row);
    MPI_Alltoallv (buf, h->send_counts, h->send_displs, row, rows + h->n_own * words,
                   h->recv_counts, h->recv_displs, row, h->comm);
    MPI_Type_free (&row);
    return n_send * words * sizeof (FsimWord);
}

/* ---- the passes on the local numbering -------------------------------------------------- */

typedef struct {
    FsimLaneInput in;
    FsimPopulation *local;
    FsimWord *near;
    size_t n_own, n_blocks;
    FsimResult **parts;
    FsimWord **scratch; /* per worker, tried (trace_local()) */
} Local;

static void
near_item (size_t block, unsigned worker, void *data)
{
    const Local *l = data;
    size_t from = block * FSIM_ENGINE_BLOCK_USERS;

    (void) worker;
    fsim_population_near (l->local, l->near, from, MIN (from + FSIM_ENGINE_BLOCK_USERS, l->n_own));
}

static void
trace_item (size_t block, unsigned worker, void *data)
{
    const Local *l = data;
    size_t from = block * FSIM_ENGINE_BLOCK_USERS;

    fsim_i_lanes_trace (&l->in, l->scratch[worker], from,
                        MIN (from + FSIM_ENGINE_BLOCK_USERS, l->n_own), l->parts[worker]);
}

/* used_once, used_twice of the whole population: a count per partner (in @count, zeroed),
 * capped at 2. */
static void
used_sets (const Halo *h, const FsimPopulationSlice *s, uint64_t *count, FsimWord *once,
           FsimWord *twice)
{
    for (size_t u = 0; u < s->n_own; u++)
        for (size_t p = 0; p < s->n_partners; p++)
            if (count[p] < 2 && fsim_bits_get (s->uses + u * s->partner_words, p))
                count[p]++;
    MPI_Allreduce (MPI_IN_PLACE, count, (int) s->n_partners, MPI_UINT64_T, MPI_SUM, h->comm);
    for (size_t p = 0; p < s->n_partners; p++) {
        if (count[p] >= 1)
            fsim_bits_set (once, p);
        if (count[p] >= 2)
            fsim_bits_set (twice, p);
    }
}

/* Every count of @r, in one order, into or out of @buf (@out: from r into buf). */
static size_t
pack (FsimResult *r, uint64_t *buf, gboolean out)
{
    size_t nfp = r->n_fields * r->n_partners, k = 0;
    struct {
        size_t *a;
        size_t n;
    } parts[] = {
        { &r->n_users, 1 },
        { &r->platform_off, 1 },
        { &r->users_reached, 1 },
        { &r->users_reached_no_consent, 1 },
        { r->partner_users, r->n_partners },
        { r->partner_reached, r->n_partners },
        { r->partner_reached_no_consent, r->n_partners },
        { r->fp_users, nfp },
        { r->fp_no_consent, nfp },
        { r->fp_channel[0], nfp },
        { r->fp_channel[1], nfp },
        { r->fp_channel[2], nfp },
        { r->fp_channel[3], nfp },
        { r->field_users, r->n_fields },
        { r->field_no_consent, r->n_fields },
        { r->jurisdiction_users, r->n_jurisdictions },
        { r->jurisdiction_no_consent, r->n_jurisdictions },
        { r->kind_users, r->n_kinds },
        { r->kind_no_consent, r->n_kinds },
    };
    G_STATIC_ASSERT (FSIM_N_CHANNELS == 4);

    for (size_t i = 0; i < G_N_ELEMENTS (parts); i++)
        for (size_t j = 0; j < parts[i].n; j++, k++)
            if (buf != NULL && out)
                buf[k] = parts[i].a[j];
            else if (buf != NULL)
                parts[i].a[j] = (size_t) buf[k];
    return k;
}

/* Room for the counts of @r and the friendships, for reduce(); NULL with @error set. */
static uint64_t *
reduce_buffer (FsimResult *r, GError **error)
{
    return fsim_try_new (pack (r, NULL, TRUE) + 1, sizeof (uint64_t),
                         "the rank's counts to sum over the ranks", error);
}

/* Sums @r over the ranks, through @buf (reduce_buffer()); the friendships from the own users'
 * friend-list entries. */
static void
reduce (const Halo *h, FsimResult *r, size_t own_arcs, uint64_t *buf)
{
    size_t n = pack (r, NULL, TRUE);
    uint64_t arcs = own_arcs;

    pack (r, buf, TRUE);
    buf[n] = arcs;
    MPI_Allreduce (MPI_IN_PLACE, buf, (int) (n + 1), MPI_UINT64_T, MPI_SUM, h->comm);
    pack (r, buf, FALSE);
    r->n_friendships = (size_t) (buf[n] / 2);
}

/* Frees the first @n workers' counters and scratch of @l. */
static void
local_workers_free (Local *l, unsigned n)
{
    for (unsigned t = 0; t < n; t++) {
        fsim_result_free (l->parts[t]);
        g_free (l->scratch[t]);
    }
    g_clear_pointer (&l->parts, g_free);
    g_clear_pointer (&l->scratch, g_free);
}

/* The rank's own counts, or NULL with @error set when the counters or a worker's scratch (a
 * few MiB at the limits, as in engine.c) do not fit in memory. */
static FsimResult *
trace_local (Local *l, const FsimEnginePlan *plan, unsigned threads, GError **error)
{
    unsigned n = fsim_parallel_workers (threads, l->n_blocks);
    size_t words = fsim_i_lanes_scratch_words (&l->in);
    g_autoptr (FsimResult) r =
        fsim_i_result_try_new (plan->nf, plan->np, plan->n_jur, plan->n_kinds, error);
    if (!r)
        return NULL;
    l->parts = g_new0 (FsimResult *, n);
    l->scratch = g_new0 (FsimWord *, n);
    for (unsigned t = 0; t < n; t++) {
        l->parts[t] = fsim_i_result_try_new (plan->nf, plan->np, plan->n_jur, plan->n_kinds, error);
        l->scratch[t] = l->parts[t] ? fsim_try_new (words, sizeof (FsimWord),
                                                    "the rank's tracing scratch", error)
                                    : NULL;
        if (l->scratch[t] == NULL) {
            local_workers_free (l, t + 1);
            return NULL;
        }
    }
    fsim_parallel_for (l->n_blocks, n, trace_item, l, NULL, NULL);
    for (unsigned t = 0; t < n; t++)
        fsim_i_result_add (r, l->parts[t]);
    local_workers_free (l, n);
    return g_steal_pointer (&r);
}

/* The halo and both hops, kept between traces: they depend on the population alone. */
struct FsimEngineMpi {
    const FsimScenario *scenario;
    FsimPopulationSlice *slice;
    Halo h;
    FsimPopulation local;
    FsimWord *uses, *near, *once, *twice;
    unsigned threads;
    FsimMpiStats stats;
};

void
fsim_engine_mpi_free (FsimEngineMpi *e)
{
    if (!e)
        return;
    halo_clear (&e->h);
    g_free (e->uses);
    g_free (e->near);
    g_free (e->once);
    g_free (e->twice);
    g_free (e);
}

/* Every rank's @ok, agreed: FALSE on every rank if one failed, with @error set on those that
 * did not fail themselves (FSIM_GRAPH_ERROR_OTHER_RANK). */
static gboolean
all_ok (MPI_Comm comm, gboolean ok, GError **error)
{
    int mine = ok ? 1 : 0, all = 0;

    MPI_Allreduce (&mine, &all, 1, MPI_INT, MPI_MIN, comm);
    if (!all && ok)
        g_set_error_literal (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_OTHER_RANK,
                             "another rank failed");
    return all == 1;
}

/* The partner sets of the rank's users and ghosts (e->uses, e->near, e->once, e->twice), the
 * hops' buffer (*@out_buf: the larger hop's rows) and the partners' counts (*@out_count, for
 * used_sets()); FALSE with @error set when one does not fit in memory. They grow with the users
 * and ghosts times the partners: the largest arrays of the trace. */
static gboolean
sets_new (FsimEngineMpi *e, FsimWord **out_buf, uint64_t **out_count, GError **error)
{
    size_t pw = e->slice->partner_words, n_local = e->h.n_own + e->h.n_ghosts;

    e->uses = fsim_try_new0 (n_local, pw * sizeof (FsimWord),
                             "the partner sets of the rank's users and ghosts", error);
    e->near = e->uses ? fsim_try_new0 (n_local, 2 * pw * sizeof (FsimWord),
                                       "the partners near the rank's users and ghosts", error)
                      : NULL;
    *out_buf = e->near ? fsim_try_new (halo_n_send (&e->h), 2 * pw * sizeof (FsimWord),
                                       "the sets the rank sends to other ranks", error)
                       : NULL;
    *out_count = *out_buf ? fsim_try_new0 (e->slice->n_partners, sizeof (uint64_t),
                                           "the rank's users of each partner", error)
                          : NULL;
    if (*out_count == NULL)
        return FALSE;
    e->once = fsim_bits_new (pw); /* a bit per partner: bounded by the model's limits */
    e->twice = fsim_bits_new (pw);
    return TRUE;
}

/* The near pass of the rank's own users (hop 1 received). */
static void
near_own (FsimEngineMpi *e)
{
    Local l = { .local = &e->local,
                .near = e->near,
                .n_own = e->h.n_own,
                .n_blocks = (e->h.n_own + FSIM_ENGINE_BLOCK_USERS - 1) / FSIM_ENGINE_BLOCK_USERS };

    fsim_parallel_for (l.n_blocks, fsim_parallel_workers (e->threads, l.n_blocks), near_item, &l,
                       NULL, NULL);
}

/**
 * fsim_engine_mpi_new:
 * See engine-mpi.h.
 */
FsimEngineMpi *
fsim_engine_mpi_new (const FsimScenario *scenario, FsimPopulationSlice *slice, MPI_Comm comm,
                     unsigned threads, GError **error)
{
    g_return_val_if_fail (scenario != NULL && slice != NULL, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);
    g_return_val_if_fail (slice->partner_words == scenario->partner_words, NULL);
    size_t pw = slice->partner_words;
    g_autoptr (FsimEngineMpi) e = g_new0 (FsimEngineMpi, 1);

    e->scenario = scenario;
    e->slice = slice;
    e->threads = threads;
    /* no rank may wait in a collective for one that gave up */
    if (!all_ok (comm, halo_init (&e->h, slice, comm, error), error))
        return NULL;
    size_t n_local = e->h.n_own + e->h.n_ghosts;
    e->local = (FsimPopulation){ .n_users = n_local,
                                 .n_fields = slice->n_fields,
                                 .field_words = slice->field_words,
                                 .n_partners = slice->n_partners,
                                 .partner_words = pw,
                                 .friends = &e->h.local,
                                 .platform = slice->platform,
                                 .apps_others = slice->apps_others,
                                 .audience = slice->audience };
    e->stats =
        (FsimMpiStats){ .n_own = e->h.n_own, .n_ghosts = e->h.n_ghosts, .cut_arcs = e->h.cut_arcs };
    /* the sets of the users and ghosts, the hops' buffer and the partners' counts, agreed
     * before the exchanges */
    g_autofree FsimWord *buf = NULL;
    g_autofree uint64_t *count = NULL;
    if (!all_ok (comm, sets_new (e, &buf, &count, error), error))
        return NULL;
    memcpy (e->uses, slice->uses, e->h.n_own * pw * sizeof (FsimWord));
    e->local.uses = e->uses;
    used_sets (&e->h, slice, count, e->once, e->twice);
    /* hop 1: the friends' partner sets; hop 2: their ONE and TWO */
    e->stats.hop_bytes[0] = exchange (&e->h, e->uses, pw, buf);
    near_own (e);
    e->stats.hop_bytes[1] = exchange (&e->h, e->near, 2 * pw, buf);
    e->stats.engine_bytes = (n_local + 1) * sizeof (size_t) + e->h.cut_arcs * sizeof (uint32_t) +
                            slice->offsets[slice->n_own] * sizeof (uint32_t) +
                            3 * n_local * pw * sizeof (FsimWord);
    return g_steal_pointer (&e);
}

/**
 * fsim_engine_mpi_run:
 * See engine-mpi.h.
 */
FsimResult *
fsim_engine_mpi_run (FsimEngineMpi *e, const FsimDecisions *decisions, const FsimFocus *focus,
                     GError **error)
{
    g_return_val_if_fail (e != NULL && decisions != NULL, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);

    g_autoptr (FsimEnginePlan) plan = fsim_i_engine_plan_new (e->scenario, decisions, error);
    if (!all_ok (e->h.comm, plan != NULL, error) ||
        !all_ok (e->h.comm, fsim_i_engine_plan_focus (plan, focus, error), error))
        return NULL;
    Local l = { .in = { .plan = plan,
                        .pop = &e->local,
                        .near = e->near,
                        .used_once = e->once,
                        .used_twice = e->twice },
                .local = &e->local,
                .near = e->near,
                .n_own = e->h.n_own,
                .n_blocks = (e->h.n_own + FSIM_ENGINE_BLOCK_USERS - 1) / FSIM_ENGINE_BLOCK_USERS };
    /* every rank's counters, scratch and sum's buffer, agreed before the sum (a collective) */
    FsimResult *r = trace_local (&l, plan, e->threads, error);
    g_autofree uint64_t *buf = r ? reduce_buffer (r, error) : NULL;
    if (!all_ok (e->h.comm, buf != NULL, error)) {
        fsim_result_free (r);
        return NULL;
    }
    reduce (&e->h, r, e->slice->offsets[e->slice->n_own], buf);
    fsim_i_engine_result_focus (r, e->scenario, focus);
    r->jurisdictions = g_steal_pointer (&plan->jur);
    r->kinds = g_steal_pointer (&plan->kinds);
    return r;
}

const FsimPopulation *
fsim_engine_mpi_population (const FsimEngineMpi *e)
{
    g_return_val_if_fail (e != NULL, NULL);
    return &e->local;
}

const FsimWord *
fsim_engine_mpi_near (const FsimEngineMpi *e)
{
    g_return_val_if_fail (e != NULL, NULL);
    return e->near;
}

size_t
fsim_engine_mpi_global (const FsimEngineMpi *e, size_t v)
{
    g_return_val_if_fail (e != NULL && v < e->h.n_own + e->h.n_ghosts, 0);
    return v < e->h.n_own ? e->h.bounds[e->h.rank] + v : e->h.ghosts[v - e->h.n_own];
}

const FsimMpiStats *
fsim_engine_mpi_stats (const FsimEngineMpi *e)
{
    g_return_val_if_fail (e != NULL, NULL);
    return &e->stats;
}

/**
 * fsim_engine_run_mpi:
 * See engine-mpi.h.
 */
FsimResult *
fsim_engine_run_mpi (const FsimScenario *scenario, FsimPopulationSlice *slice,
                     const FsimDecisions *decisions, const FsimFocus *focus, MPI_Comm comm,
                     unsigned threads, FsimMpiStats *out_stats, GError **error)
{
    g_return_val_if_fail (scenario != NULL && slice != NULL && decisions != NULL, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);
    g_autoptr (FsimEngineMpi) e = fsim_engine_mpi_new (scenario, slice, comm, threads, error);
    if (e == NULL)
        return NULL;
    FsimResult *r = fsim_engine_mpi_run (e, decisions, focus, error);
    if (r != NULL && out_stats)
        *out_stats = e->stats;
    return r;
}
