/* SPDX-License-Identifier: MIT */
/* stats-part.c: stats.c's measurements of a graph split over ranks: the one process's numbers. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "comm.h"
#include "graph-private.h"
#include "memory.h"
#include "stats.h"

/* Friends of the sampled users measured in one round (a user with more is measured alone):
 * bounds what a rank sends and receives in a round to this many ids per other rank. */
#define ROUND_FRIENDS 262144

typedef struct {
    const FsimFriendsPart *p;
    const FsimComm *c;
    size_t *bounds; /* c->size + 1: rank r owns bounds[r] .. bounds[r + 1] - 1 */
} Part;

static gboolean
is_own (const Part *q, size_t v)
{
    return v >= q->p->first && v - q->p->first < q->p->n_own;
}

static size_t
own_degree (const Part *q, size_t i)
{
    return q->p->offsets[i + 1] - q->p->offsets[i];
}

static int
cmp_u64 (const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;
    return (x > y) - (x < y);
}

/* Sorts @v[0 .. n) and drops repeats; returns how many are left. */
static size_t
sort_unique_u64 (uint64_t *v, size_t n)
{
    size_t k = 0;

    qsort (v, n, sizeof *v, cmp_u64);
    for (size_t i = 0; i < n; i++)
        if (k == 0 || v[k - 1] != v[i])
            v[k++] = v[i];
    return k;
}

/*
 * Memory: what grows with the graph (a rank's users, the sample, the friends sent, the maximum
 * degree) is tried (fsim_try_new()), and the ranks agree on it before their next collective
 * (agree_memory()), so that a rank out of memory ends the measurement on every rank with its
 * own message ("out of memory: needed N bytes for ..."), and no rank waits in an exchange for
 * it. What grows only with the number of ranks is taken with g_new.
 */

/* TRUE on every rank if every rank had the memory it tried for (@ok); else FALSE on every
 * rank, with @error this rank's (set by the failed try) or FSIM_GRAPH_ERROR_OTHER_RANK.
 * Collective. */
static gboolean
agree_memory (const Part *q, gboolean ok, GError **error)
{
    return fsim_comm_agree (q->c, ok, "ran out of memory measuring the friendships", error);
}

/* Every rank's @mine[0 .. n) into @all (n * size entries, rank after rank). */
static gboolean
gather_u64 (const Part *q, const uint64_t *mine, size_t n, uint64_t *all, GError **error)
{
    return q->c->allgatherv (q->c, mine, n, all, sizeof (uint64_t), error);
}

/* ---- degrees --------------------------------------------------------------------------------- */

static gboolean
degree_part (const Part *q, FsimDegreeStats *out, GError **error)
{
    const FsimFriendsPart *p = q->p;
    size_t size = (size_t) q->c->size;
    uint64_t mine[4] = { 0, UINT64_MAX, 0, 0 }; /* degrees summed, min, max, isolated */
    g_autofree uint64_t *all = g_new (uint64_t, 4 * size);

    for (size_t i = 0; i < p->n_own; i++) {
        size_t d = own_degree (q, i);
        mine[0] += d;
        mine[1] = MIN (mine[1], d);
        mine[2] = MAX (mine[2], d);
        mine[3] += d == 0;
    }
    if (!gather_u64 (q, mine, 4, all, error))
        return FALSE;
    memset (out, 0, sizeof *out);
    uint64_t sum = 0, lo = UINT64_MAX, hi = 0, isolated = 0;
    for (size_t r = 0; r < size; r++) {
        sum += all[4 * r];
        lo = MIN (lo, all[4 * r + 1]);
        hi = MAX (hi, all[4 * r + 2]);
        isolated += all[4 * r + 3];
    }
    out->n_users = p->n_total;
    out->n_edges = (size_t) (sum / 2);
    if (p->n_total == 0) /* the same on every rank: none goes on to the exchange below */
        return TRUE;
    out->min = (size_t) lo;
    out->max = (size_t) hi;
    out->n_isolated = (size_t) isolated;

    /* the histogram of degrees 0 .. max, summed over the ranks: 8 bytes per degree per rank */
    const char *what = "the histogram of degrees";
    g_autofree uint64_t *count = fsim_try_new0 (hi + 1, sizeof (uint64_t), what, error);
    g_autofree uint64_t *counts =
        count ? fsim_try_new (hi + 1, size * sizeof (uint64_t), what, error) : NULL;
    g_autofree size_t *total = counts ? fsim_try_new0 (hi + 1, sizeof (size_t), what, error) : NULL;
    if (!agree_memory (q, total != NULL, error))
        return FALSE;
    for (size_t i = 0; i < p->n_own; i++)
        count[own_degree (q, i)]++;
    if (!gather_u64 (q, count, hi + 1, counts, error))
        return FALSE;
    for (size_t r = 0; r < size; r++)
        for (size_t d = 0; d <= hi; d++)
            total[d] += (size_t) counts[r * (hi + 1) + d];
    fsim_i_degree_stats_ranks (total, out);
    return TRUE;
}

/* ---- clustering ------------------------------------------------------------------------------ */

/*
 * A sampled user u's linked pairs of friends {v, w}, w > v, are counted by the owner of v: u's
 * owner sends, to every rank that owns one of u's friends, u's friends from the first that rank
 * owns on (its "tail": sorted, so it holds every w above each such v), and that rank counts, for
 * each v of the tail it owns, v's friends above v that are in the tail, merging the two sorted
 * lists. The counts come back and are added: the integer one process counts with its marks.
 */

/* The pairs counted here for a user whose friends from the first this rank owns on are @tail. */
static uint64_t
links_here (const Part *q, const uint32_t *tail, size_t n)
{
    uint64_t links = 0;

    for (size_t i = 0; i < n && is_own (q, tail[i]); i++) {
        size_t vi = tail[i] - q->p->first, dv = own_degree (q, vi), a = 0, b = i + 1;
        const uint32_t *rv = q->p->adj + q->p->offsets[vi];

        while (a < dv && rv[a] <= tail[i])
            a++;
        while (a < dv && b < n) {
            if (rv[a] < tail[b])
                a++;
            else if (rv[a] > tail[b])
                b++;
            else
                links++, a++, b++;
        }
    }
    return links;
}

/* The index in @row (sorted, @d ids) of the first friend rank @r owns, or @d if none. */
static size_t
first_on (const Part *q, const uint32_t *row, size_t d, int r)
{
    size_t lo = 0, hi = d;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (row[mid] < q->bounds[r])
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < d && row[lo] < q->bounds[r + 1] ? lo : d;
}

/* Answers the tails other ranks sent (@recv, @got[r] ids from rank r: records of a length and
 * that many ids): a count per record, back to its sender. *@out_back: the counts for this
 * rank's records, in the order sent. Collective. */
static gboolean
answer_tails (const Part *q, const uint32_t *recv, const size_t *got, uint64_t **out_back,
              GError **error)
{
    size_t size = (size_t) q->c->size, n_ids = 0, n_records = 0;
    for (size_t r = 0; r < size; r++)
        n_ids += got[r];
    g_autofree uint64_t *reply =
        fsim_try_new (n_ids, sizeof (uint64_t), "the counts of friends' links", error);
    g_autofree size_t *n_reply = g_new0 (size_t, size), *n_back = g_new (size_t, size);
    if (!agree_memory (q, reply != NULL, error))
        return FALSE;
    for (size_t r = 0, at = 0; r < size; r++)
        for (size_t end = at + got[r]; at < end; at += 1 + recv[at]) {
            reply[n_records++] = links_here (q, recv + at + 1, recv[at]);
            n_reply[r]++;
        }
    return q->c->alltoallv (q->c, reply, n_reply, (void **) out_back, n_back, sizeof (uint64_t),
                            error);
}

/* The linked pairs of friends of @batch's users (this rank's), into @links. Collective. */
static gboolean
count_links (const Part *q, const uint32_t *batch, size_t n, uint64_t *links, GError **error)
{
    int size = q->c->size, me = q->c->rank;
    g_autofree size_t *counts = g_new0 (size_t, (size_t) size),
                      *got = g_new (size_t, (size_t) size);
    const FsimFriendsPart *p = q->p;

    for (size_t k = 0; k < n; k++) {
        const uint32_t *row = p->adj + p->offsets[batch[k] - p->first];
        size_t d = own_degree (q, batch[k] - p->first), lo = first_on (q, row, d, me);
        links[k] = links_here (q, row + lo, d - lo);
        for (int r = 0; r < size; r++)
            if (r != me && (lo = first_on (q, row, d, r)) < d)
                counts[r] += 1 + d - lo;
    }
    size_t total = 0;
    for (int r = 0; r < size; r++)
        total += counts[r];
    g_autofree uint32_t *send =
        fsim_try_new (total, sizeof (uint32_t), "the sampled users' friends to send", error);
    size_t at = 0;
    if (!agree_memory (q, send != NULL, error))
        return FALSE;
    for (int r = 0; r < size; r++)
        for (size_t k = 0; k < n && r != me; k++) {
            const uint32_t *row = p->adj + p->offsets[batch[k] - p->first];
            size_t d = own_degree (q, batch[k] - p->first), lo = first_on (q, row, d, r);
            if (lo < d) {
                send[at++] = (uint32_t) (d - lo);
                memcpy (send + at, row + lo, (d - lo) * sizeof *send);
                at += d - lo;
            }
        }
    g_autofree uint32_t *recv = NULL;
    g_autofree uint64_t *back = NULL;
    if (!q->c->alltoallv (q->c, send, counts, (void **) &recv, got, sizeof (uint32_t), error) ||
        !answer_tails (q, recv, got, &back, error))
        return FALSE;
    size_t j = 0;
    for (int r = 0; r < size; r++)
        for (size_t k = 0; k < n && r != me; k++) {
            size_t d = own_degree (q, batch[k] - p->first);
            if (first_on (q, p->adj + p->offsets[batch[k] - p->first], d, r) < d)
                links[k] += back[j++];
        }
    return TRUE;
}

/* Cuts this rank's sampled users, @pos[0 .. n), into batches of at most ROUND_FRIENDS friends
 * (or one user): batch b is pos[starts[b] .. starts[b + 1]). Returns the number of batches. */
static size_t
cut_batches (const Part *q, const uint32_t *users, const size_t *pos, size_t n, size_t *starts)
{
    size_t n_batches = 0, friends = 0;

    for (size_t k = 0; k < n; k++) {
        size_t d = own_degree (q, users[pos[k]] - q->p->first);
        if (k == 0 || friends + d > ROUND_FRIENDS)
            starts[n_batches++] = k, friends = 0;
        friends += d;
    }
    starts[n_batches] = n;
    return n_batches;
}

/* The values of this rank's sampled users, @pos[0 .. n) (positions in @users), a batch at a
 * time, in @value; every rank takes part in @rounds rounds (the most batches of any rank). */
static gboolean
clustering_values (const Part *q, const uint32_t *users, const size_t *pos, const size_t *starts,
                   size_t n_batches, size_t rounds, double *value, GError **error)
{
    size_t most = 0;

    for (size_t b = 0; b < n_batches; b++)
        most = MAX (most, starts[b + 1] - starts[b]);
    const char *what = "a batch of sampled users";
    g_autofree uint32_t *batch = fsim_try_new (most, sizeof (uint32_t), what, error);
    g_autofree uint64_t *links = batch ? fsim_try_new (most, sizeof (uint64_t), what, error) : NULL;
    if (!agree_memory (q, links != NULL, error))
        return FALSE;
    for (size_t r = 0; r < rounds; r++) {
        size_t from = r < n_batches ? starts[r] : 0, to = r < n_batches ? starts[r + 1] : 0;

        for (size_t k = from; k < to; k++)
            batch[k - from] = users[pos[k]];
        if (!count_links (q, batch, to - from, links, error))
            return FALSE;
        for (size_t k = from; k < to; k++) {
            double d = (double) own_degree (q, batch[k - from] - q->p->first);
            value[k] = d < 2 ? 0.0 : (double) links[k - from] / (d * (d - 1) / 2.0);
        }
    }
    return TRUE;
}

static gboolean
clustering_part (const Part *q, size_t sample, uint64_t seed, FsimClustering *out, GError **error)
{
    size_t size = (size_t) q->c->size, n_mine = 0;
    gboolean sampled = FALSE;
    size_t n_measured = fsim_i_clustering_n (q->p->n_total, sample, &sampled);
    const char *what = "the clustering's sample";
    g_autofree uint32_t *users = fsim_try_new (n_measured, sizeof (uint32_t), what, error);
    g_autofree size_t *pos = users ? fsim_try_new (n_measured, sizeof (size_t), what, error) : NULL;
    g_autofree double *all = pos ? fsim_try_new (n_measured, sizeof (double), what, error) : NULL;

    if (all != NULL) {
        fsim_i_clustering_draw (users, q->p->n_total, sample, seed);
        for (size_t i = 0; i < n_measured; i++)
            if (is_own (q, users[i]))
                pos[n_mine++] = i;
    }
    /* this rank's: where its batches start, their values */
    g_autofree size_t *starts =
        all ? fsim_try_new (n_mine + 1, sizeof (size_t), "the clustering's batches", error) : NULL;
    g_autofree double *value =
        starts ? fsim_try_new (n_mine, sizeof (double), "the clustering's values", error) : NULL;
    if (!agree_memory (q, value != NULL, error))
        return FALSE;
    uint64_t mine[2] = { n_mine, cut_batches (q, users, pos, n_mine, starts) };
    g_autofree uint64_t *theirs = g_new (uint64_t, 2 * size);
    if (!gather_u64 (q, mine, 2, theirs, error))
        return FALSE;
    size_t rounds = 0;
    g_autofree size_t *at = g_new (size_t, size); /* each rank's values in the gathered ones */
    for (size_t r = 0, total = 0; r < size; r++) {
        rounds = MAX (rounds, (size_t) theirs[2 * r + 1]);
        at[r] = total;
        total += (size_t) theirs[2 * r];
    }
    if (!clustering_values (q, users, pos, starts, (size_t) mine[1], rounds, value, error) ||
        !q->c->allgatherv (q->c, value, n_mine, all, sizeof (double), error))
        return FALSE;
    /* in sample order, as one process adds them: the same double */
    double sum = 0;
    for (size_t i = 0; i < n_measured; i++)
        sum += all[at[fsim_i_comm_owner (q->bounds, q->c->size, users[i])]++];
    out->sampled = sampled;
    out->n_measured = n_measured;
    out->average = n_measured > 0 ? sum / (double) n_measured : 0.0;
    return TRUE;
}

/* ---- components ------------------------------------------------------------------------------ */

static uint32_t
find (uint32_t *parent, uint32_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

/* Joins the sets of @a and @b (the smaller root becomes the root); TRUE if they were apart. */
static gboolean
join (uint32_t *parent, uint64_t *sizes, uint32_t a, uint32_t b)
{
    a = find (parent, a), b = find (parent, b);
    if (a == b)
        return FALSE;
    if (a > b) {
        uint32_t t = a;
        a = b, b = t;
    }
    parent[b] = a;
    sizes[a] += sizes[b];
    return TRUE;
}

/* This rank's components over its own friendships: @parent (n_own) ends as each user's root
 * (a local index), @sizes the root's size, @cut whether it has a friend on another rank. */
static void
local_components (const Part *q, uint32_t *parent, uint64_t *sizes, guint8 *cut)
{
    const FsimFriendsPart *p = q->p;

    for (size_t i = 0; i < p->n_own; i++)
        parent[i] = (uint32_t) i, sizes[i] = 1, cut[i] = 0;
    for (size_t i = 0; i < p->n_own; i++)
        for (size_t a = p->offsets[i]; a < p->offsets[i + 1]; a++)
            if (is_own (q, p->adj[a]) && p->adj[a] - p->first < i)
                join (parent, sizes, (uint32_t) i, (uint32_t) (p->adj[a] - p->first));
    for (size_t i = 0; i < p->n_own; i++) {
        parent[i] = find (parent, (uint32_t) i);
        for (size_t a = p->offsets[i]; a < p->offsets[i + 1]; a++)
            cut[parent[i]] |= !is_own (q, p->adj[a]);
    }
}

/* The pairs (root of u, root of v), as global ids (root of u << 32 | root of v), of the
 * friendships u–v between this rank's u and a higher rank's v, without repeats, each found
 * by v's owner: *@out_n of them (transfer full). Collective. */
static uint64_t *
crossing_pairs (const Part *q, const uint32_t *parent, size_t *out_n, GError **error)
{
    const FsimFriendsPart *p = q->p;
    size_t size = (size_t) q->c->size, n = 0;

    for (size_t i = 0; i < p->n_own; i++)
        for (size_t a = p->offsets[i]; a < p->offsets[i + 1]; a++)
            n += p->adj[a] >= p->first + p->n_own;
    /* (v << 32 | root of u): sorted, they go to v's owners in rank order */
    g_autofree uint64_t *send =
        fsim_try_new (n, sizeof (uint64_t), "the friendships that cross ranks", error);
    if (!agree_memory (q, send != NULL, error))
        return NULL;
    n = 0;
    for (size_t i = 0; i < p->n_own; i++)
        for (size_t a = p->offsets[i]; a < p->offsets[i + 1]; a++)
            if (p->adj[a] >= p->first + p->n_own)
                send[n++] = (uint64_t) p->adj[a] << 32 | (uint64_t) (p->first + parent[i]);
    n = sort_unique_u64 (send, n);
    g_autofree size_t *counts = g_new0 (size_t, size), *got = g_new (size_t, size);
    for (size_t k = 0; k < n; k++)
        counts[fsim_i_comm_owner (q->bounds, q->c->size, (size_t) (send[k] >> 32))]++;
    uint64_t *recv = NULL;
    if (!q->c->alltoallv (q->c, send, counts, (void **) &recv, got, sizeof (uint64_t), error))
        return NULL;
    size_t m = 0;
    for (size_t r = 0; r < size; r++)
        m += got[r];
    for (size_t k = 0; k < m; k++) {
        uint64_t v = recv[k] >> 32, ru = recv[k] & UINT32_MAX;
        recv[k] = ru << 32 | (uint64_t) (p->first + parent[v - p->first]);
    }
    *out_n = sort_unique_u64 (recv, m);
    return recv;
}

/* Every rank's @n items of @unit bytes from @mine, gathered (transfer full; *@out_total). */
static void *
gather_all (const Part *q, const void *mine, size_t n, size_t unit, const char *what,
            size_t *out_total, GError **error)
{
    size_t size = (size_t) q->c->size, total = 0;
    uint64_t count = n;
    g_autofree uint64_t *counts = g_new (uint64_t, size);

    if (!gather_u64 (q, &count, 1, counts, error))
        return NULL;
    for (size_t r = 0; r < size; r++)
        total += (size_t) counts[r];
    g_autofree void *all = fsim_try_new (total, unit, what, error);
    if (!agree_memory (q, all != NULL, error) ||
        !q->c->allgatherv (q->c, mine, n, all, unit, error))
        return NULL;
    *out_total = total;
    return g_steal_pointer (&all);
}

/* Joins the components that cross ranks: @comps (label, size) pairs of every rank in label
 * order, @pairs the crossings between them; adds the joined components to @out. FALSE on every
 * rank when one is out of memory for it. Collective. */
static gboolean
join_crossings (const Part *q, const uint64_t *comps, size_t k, const uint64_t *pairs, size_t m,
                FsimComponents *out, GError **error)
{
    const char *what = "the components that cross ranks";
    g_autofree uint32_t *parent = fsim_try_new (k, sizeof (uint32_t), what, error);
    g_autofree uint64_t *sizes = parent ? fsim_try_new (k, sizeof (uint64_t), what, error) : NULL;
    g_autofree uint64_t *labels = sizes ? fsim_try_new (k, sizeof (uint64_t), what, error) : NULL;
    size_t joined = k;

    if (!agree_memory (q, labels != NULL, error))
        return FALSE;

    for (size_t i = 0; i < k; i++)
        labels[i] = comps[2 * i], parent[i] = (uint32_t) i, sizes[i] = comps[2 * i + 1];
    for (size_t j = 0; j < m; j++) {
        uint64_t a = pairs[j] >> 32, b = pairs[j] & UINT32_MAX;
        const uint64_t *ia = bsearch (&a, labels, k, sizeof *labels, cmp_u64);
        const uint64_t *ib = bsearch (&b, labels, k, sizeof *labels, cmp_u64);
        g_assert (ia != NULL && ib != NULL); /* every crossing's ends have a crossing */
        joined -= join (parent, sizes, (uint32_t) (ia - labels), (uint32_t) (ib - labels));
    }
    for (size_t i = 0; i < k; i++)
        if (parent[i] == i)
            out->giant_size = MAX (out->giant_size, (size_t) sizes[i]);
    out->n_components += joined;
    return TRUE;
}

static gboolean
components_part (const Part *q, FsimComponents *out, GError **error)
{
    const FsimFriendsPart *p = q->p;
    size_t size = (size_t) q->c->size, n_pairs = 0, k = 0, m = 0, n_cut = 0;
    const char *what = "the components of this rank's users";
    g_autofree uint32_t *parent = fsim_try_new (p->n_own, sizeof (uint32_t), what, error);
    g_autofree uint64_t *sizes =
        parent ? fsim_try_new (p->n_own, sizeof (uint64_t), what, error) : NULL;
    g_autofree guint8 *cut = sizes ? fsim_try_new (p->n_own, 1, what, error) : NULL;
    g_autofree uint64_t *mine = NULL; /* (label, size) of its components that cross ranks */
    uint64_t whole[2] = { 0, 0 };     /* components wholly on this rank: how many, the largest */

    if (cut != NULL) {
        local_components (q, parent, sizes, cut);
        for (size_t i = 0; i < p->n_own; i++)
            if (parent[i] == i && cut[i])
                n_cut++;
            else if (parent[i] == i)
                whole[0]++, whole[1] = MAX (whole[1], sizes[i]);
        mine = fsim_try_new (n_cut, 2 * sizeof (uint64_t), what, error);
    }
    if (!agree_memory (q, mine != NULL, error))
        return FALSE;
    for (size_t i = 0, j = 0; i < p->n_own; i++)
        if (parent[i] == i && cut[i])
            mine[j++] = p->first + i, mine[j++] = sizes[i];
    g_autofree uint64_t *wholes = g_new (uint64_t, 2 * size);
    g_autofree uint64_t *pairs = crossing_pairs (q, parent, &n_pairs, error);
    if (pairs == NULL || !gather_u64 (q, whole, 2, wholes, error))
        return FALSE;
    g_autofree uint64_t *comps = gather_all (q, mine, n_cut, 2 * sizeof (uint64_t),
                                             "the components that cross ranks", &k, error);
    g_autofree uint64_t *crossings =
        comps ? gather_all (q, pairs, n_pairs, sizeof (uint64_t),
                            "the friendships that cross ranks", &m, error)
              : NULL;
    if (crossings == NULL)
        return FALSE;
    memset (out, 0, sizeof *out);
    for (size_t r = 0; r < size; r++) {
        out->n_components += (size_t) wholes[2 * r];
        out->giant_size = MAX (out->giant_size, (size_t) wholes[2 * r + 1]);
    }
    return join_crossings (q, comps, k, crossings, m, out, error);
}

/**
 * fsim_friends_stats_part:
 * See stats.h.
 */
gboolean
fsim_friends_stats_part (const FsimFriendsPart *part, const FsimComm *comm,
                         size_t clustering_sample, uint64_t seed, FsimFriendsStats *out,
                         GError **error)
{
    g_return_val_if_fail (part != NULL && comm != NULL && out != NULL, FALSE);
    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
    g_autofree size_t *bounds = NULL;
    FsimFriendsStats st = { 0 };

    if (!fsim_i_comm_gather_bounds (comm, part->first, part->first + part->n_own, part->n_total,
                                    &bounds, error))
        return FALSE;
    const Part q = { .p = part, .c = comm, .bounds = bounds };
    if (!degree_part (&q, &st.degree, error) ||
        !clustering_part (&q, MAX (clustering_sample, 1), seed, &st.clustering, error) ||
        !components_part (&q, &st.components, error))
        return FALSE;
    *out = st;
    return TRUE;
}
