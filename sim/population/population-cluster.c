/* SPDX-License-Identifier: MIT */
/* population-cluster.c: clustered adoption: partners spread community by community. */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib.h>

#include "bits.h"
#include "comm.h"
#include "friends.h"
#include "population-private.h"

/*
 * Clustered adoption (docs/populations.md): partner p is used by exactly round(adoption[p] *
 * users) users, taken cluster by cluster: the clusters are visited in an order drawn for p, and
 * every member of a visited cluster uses p, until the count is reached (the last cluster
 * visited gives only its first members). Device brands and quiz apps spread among friends;
 * this is the far end of that: whole circles of friends adopt together.
 *
 * The clusters are the model's communities where it has them (facebook_like's group_offsets),
 * else friendship clusters grown by breadth-first search: from users taken in a drawn order,
 * each not yet in a cluster starts one and takes the nearest users not yet in one, up to
 * BFS_MIN_SIZE .. BFS_MAX_SIZE users (the mean degree, rounded, within those bounds), so a
 * cluster is a user, their friends, and so on outward.
 */
#define BFS_MIN_SIZE 20
#define BFS_MAX_SIZE 250

typedef struct {
    size_t n;
    size_t *offsets;   /* n + 1: cluster c is members[offsets[c] .. offsets[c + 1]) */
    uint32_t *members; /* NULL: the identity (cluster c is the id range) */
} Clusters;

static void
clusters_clear (Clusters *c)
{
    g_clear_pointer (&c->offsets, g_free);
    g_clear_pointer (&c->members, g_free);
}

static uint32_t
cluster_member (const Clusters *c, size_t i)
{
    return c->members != NULL ? c->members[i] : (uint32_t) i;
}

/* A random permutation of 0 .. n - 1 (Fisher-Yates), draws from stream @key at @base.
 * NULL when out of memory. */
static uint32_t *
permutation_new (size_t n, uint64_t key, uint64_t base)
{
    uint32_t *perm = g_try_new (uint32_t, MAX (n, 1));

    if (perm == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++)
        perm[i] = (uint32_t) i;
    for (size_t i = n; i > 1; i--) {
        size_t j = fsim_i_stream_below (key, base + i, i);
        uint32_t t = perm[i - 1];
        perm[i - 1] = perm[j];
        perm[j] = t;
    }
    return perm;
}

/* Grows the cluster that starts at @start; members[from ..] is its BFS queue. Returns its end. */
static size_t
grow_cluster (const FsimFriends *f, uint32_t start, size_t size, guint8 *taken, uint32_t *members,
              size_t from)
{
    size_t head = from, tail = from;

    members[tail++] = start;
    taken[start] = 1;
    while (head < tail && tail - from < size) {
        uint32_t v = members[head++];
        for (size_t i = f->offsets[v]; i < f->offsets[v + 1] && tail - from < size; i++) {
            uint32_t w = f->adj[i];
            if (!taken[w]) {
                taken[w] = 1;
                members[tail++] = w;
            }
        }
    }
    return tail;
}

static gboolean
clusters_by_bfs (const FsimFriends *f, uint64_t seed, Clusters *c)
{
    size_t n = f->n_users;
    double mean = n > 0 ? 2.0 * (double) f->n_edges / (double) n : 0;
    size_t size = (size_t) CLAMP (round (mean), BFS_MIN_SIZE, BFS_MAX_SIZE);
    g_autofree uint32_t *order =
        permutation_new (n, fsim_i_stream_key (seed, FSIM_I_SALT_CLUSTER_ORDER), 0);
    g_autofree guint8 *taken = g_try_malloc0 (MAX (n, 1));
    size_t end = 0;

    c->members = g_try_new (uint32_t, MAX (n, 1));
    c->offsets = g_try_new (size_t, n + 1);
    if (order == NULL || taken == NULL || c->members == NULL || c->offsets == NULL)
        return FALSE;
    c->n = 0;
    c->offsets[0] = 0;
    for (size_t i = 0; i < n; i++) {
        if (taken[order[i]])
            continue;
        end = grow_cluster (f, order[i], size, taken, c->members, end);
        c->offsets[++c->n] = end;
    }
    return TRUE;
}

static gboolean
clusters_init (const FsimFriends *f, uint64_t seed, Clusters *c)
{
    memset (c, 0, sizeof *c);
    if (f->n_groups == 0 || f->group_offsets == NULL)
        return clusters_by_bfs (f, seed, c);
    c->n = f->n_groups;
    c->offsets = g_try_new (size_t, f->n_groups + 1);
    if (c->offsets != NULL)
        memcpy (c->offsets, f->group_offsets, (f->n_groups + 1) * sizeof (size_t));
    return c->offsets != NULL;
}

/* The rows a partner's users are marked in: users first .. last - 1 of n_total, user
 * first's partner set at uses. */
typedef struct {
    size_t n_total, first, last, partner_words;
    FsimWord *uses;
} Rows;

static void
mark (const Rows *r, size_t u, size_t p)
{
    if (u >= r->first && u < r->last)
        fsim_bits_set (r->uses + (u - r->first) * r->partner_words, p);
}

/* Marks round(share * n_total) users of partner @p, cluster by cluster, in @r's rows. */
static gboolean
adopt_partner (const Clusters *c, const Rows *r, size_t p, double share, uint64_t key)
{
    size_t want = (size_t) llround (share * (double) r->n_total);
    size_t got = 0;
    g_autofree uint32_t *order = NULL;

    if (want == 0)
        return TRUE;
    order = permutation_new (c->n, key, (uint64_t) p * (c->n + 1));
    if (order == NULL)
        return FALSE;
    for (size_t k = 0; k < c->n && got < want; k++) {
        size_t cl = order[k], a = c->offsets[cl];
        size_t b = MIN (c->offsets[cl + 1], a + (want - got));
        if (c->members != NULL) {
            for (size_t i = a; i < b; i++)
                mark (r, cluster_member (c, i), p);
        } else { /* the identity: the users a .. b - 1, of which only those of the rows */
            for (size_t u = MAX (a, r->first); u < MIN (b, r->last); u++)
                fsim_bits_set (r->uses + (u - r->first) * r->partner_words, p);
        }
        got += b - a;
    }
    return TRUE;
}

/* Every partner of @s over @c, into @r. */
static gboolean
adopt_all (const FsimScenario *s, const Clusters *c, const Rows *r, GError **error)
{
    uint64_t key = fsim_i_stream_key (s->seed, FSIM_I_SALT_PARTNER_ORDER);
    gboolean ok = TRUE;

    for (size_t p = 0; ok && p < s->n_partners; p++)
        ok = adopt_partner (c, r, p, s->population.adoption[p], key);
    if (!ok)
        g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_NOMEM,
                     "out of memory drawing the clustered adoption of %zu users", r->n_total);
    return ok;
}

/**
 * fsim_i_population_adopt_clustered:
 * Sets the partner use of every user of @pop (whose uses must be zero and friends set) with
 * clustered adoption. Returns: FALSE with @error set when out of memory.
 */
gboolean
fsim_i_population_adopt_clustered (const FsimScenario *s, FsimPopulation *pop, GError **error)
{
    const Rows r = { pop->n_users, 0, pop->n_users, pop->partner_words, pop->uses };
    Clusters c;
    gboolean ok;

    if (s->population.adoption == NULL)
        return TRUE;
    ok = clusters_init (pop->friends, s->seed, &c);
    if (!ok)
        g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_NOMEM,
                     "out of memory drawing the clustered adoption of %zu users", pop->n_users);
    ok = ok && adopt_all (s, &c, &r, error);
    clusters_clear (&c);
    return ok;
}

/**
 * fsim_i_population_adopt_clustered_rows:
 * See population-private.h.
 */
gboolean
fsim_i_population_adopt_clustered_rows (const FsimScenario *s, const size_t *group_offsets,
                                        size_t n_groups, size_t n_total, size_t first,
                                        size_t n_rows, FsimWord *uses, GError **error)
{
    /* the communities as they are: cluster c is users group_offsets[c] .. [c + 1] - 1 */
    const Clusters c = { .n = n_groups, .offsets = (size_t *) group_offsets };
    const Rows r = { n_total, first, first + n_rows, s->partner_words, uses };

    g_return_val_if_fail (n_groups > 0 && group_offsets != NULL, FALSE);
    return s->population.adoption == NULL || adopt_all (s, &c, &r, error);
}

/* ---- friendship clusters over ranks --------------------------------------------------------- */

/*
 * Over ranks, every rank grows the clusters of the whole graph exactly as clusters_by_bfs()
 * does, with the same start order and its own copy of which users are taken: a cluster's
 * breadth-first search goes one level at a time, and for each level the owners of its users
 * gather their friend lists to every rank (two collectives: the counts, then the lists), which
 * then take the same users in the same order. Only the friend lists of the users being reached
 * travel; every rank holds the order, the taken marks and the clusters (17 bytes per user).
 */
typedef struct {
    const FsimComm *comm;
    size_t first, n_rows;     /* this rank's users */
    const size_t *offsets;    /* their friend lists */
    const uint32_t *adj;      /* (global ids) */
    uint32_t *send, *got;     /* packed lists: per user, its place in the level, length, friends */
    size_t send_cap, got_cap; /* entries */
    uint64_t *counts;         /* [rank]: the entries it sends, G_MAXUINT64 when out of memory */
    const uint32_t *list[BFS_MAX_SIZE]; /* [k]: the friends of the level's user k */
    size_t list_len[BFS_MAX_SIZE];
} Grower;

/* FALSE, with this rank's error (@mine: it ran out of memory) or that another rank did. */
static gboolean
grower_fail (gboolean mine, size_t n_total, GError **error)
{
    if (mine)
        g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_NOMEM,
                     "out of memory growing the friendship clusters of %zu users", n_total);
    else
        g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_OTHER_RANK,
                     "another rank ran out of memory growing the friendship clusters");
    return FALSE;
}

/* The friend lists of @level's @n users (global ids), from their owners to every rank, into
 * g->list. Collective; FALSE on every rank if one is out of memory. */
static gboolean
gather_level (Grower *g, const uint32_t *level, size_t n, size_t n_total, GError **error)
{
    const FsimComm *comm = g->comm;
    size_t need = 0, at = 0, total = 0;
    gboolean ok = TRUE, others = TRUE;
    uint64_t mine;

    for (size_t k = 0; k < n; k++) {
        size_t i = (size_t) level[k] - g->first; /* unsigned: large below first */
        if (i < g->n_rows)
            need += 2 + g->offsets[i + 1] - g->offsets[i];
    }
    if (need > g->send_cap) {
        uint32_t *bigger = g_try_renew (uint32_t, g->send, need);
        ok = bigger != NULL;
        if (ok)
            g->send = bigger, g->send_cap = need;
    }
    for (size_t k = 0; ok && k < n; k++) {
        size_t i = (size_t) level[k] - g->first;
        if (i >= g->n_rows)
            continue;
        size_t deg = g->offsets[i + 1] - g->offsets[i];
        g->send[at++] = (uint32_t) k;
        g->send[at++] = (uint32_t) deg;
        if (deg > 0)
            memcpy (g->send + at, g->adj + g->offsets[i], deg * sizeof (uint32_t));
        at += deg;
    }
    mine = ok ? (uint64_t) need : G_MAXUINT64;
    if (!comm->allgatherv (comm, &mine, 1, g->counts, sizeof (uint64_t), error))
        return FALSE;
    for (int r = 0; r < comm->size; r++) {
        others = others && g->counts[r] != G_MAXUINT64;
        total += g->counts[r] != G_MAXUINT64 ? (size_t) g->counts[r] : 0;
    }
    if (!others)
        return grower_fail (!ok, n_total, error);
    if (total > g->got_cap) { /* the same on every rank: the caps grow alike */
        size_t cap = MAX (total, 2 * g->got_cap);
        uint32_t *bigger = g_try_renew (uint32_t, g->got, cap);
        if (bigger != NULL)
            g->got = bigger;
        g->got_cap = cap;
        if (!comm->all_ok (comm, bigger != NULL))
            return grower_fail (bigger == NULL, n_total, error);
    }
    if (!comm->allgatherv (comm, g->send, need, g->got, sizeof (uint32_t), error))
        return FALSE;
    for (size_t i = 0; i < total; i += 2 + g->got[i + 1]) {
        g->list[g->got[i]] = g->got + i + 2;
        g->list_len[g->got[i]] = g->got[i + 1];
    }
    return TRUE;
}

/* clusters_by_bfs() over ranks: the same clusters, in @c (members and offsets allocated for
 * @n users). Collective. */
static gboolean
grow_clusters_part (Grower *g, size_t n, size_t size, const uint32_t *order, guint8 *taken,
                    Clusters *c, GError **error)
{
    size_t end = 0;

    c->n = 0;
    c->offsets[0] = 0;
    for (size_t i = 0; i < n; i++) {
        size_t from = end, head = from, tail = from;

        if (taken[order[i]])
            continue;
        c->members[tail++] = order[i];
        taken[order[i]] = 1;
        /* one level at a time: the users it reaches are queued after it, as one by one */
        while (head < tail && tail - from < size) {
            size_t level = tail;
            if (!gather_level (g, c->members + head, level - head, n, error))
                return FALSE;
            for (size_t k = head; k < level && tail - from < size; k++) {
                const uint32_t *friends = g->list[k - head];
                for (size_t j = 0; j < g->list_len[k - head] && tail - from < size; j++)
                    if (!taken[friends[j]]) {
                        taken[friends[j]] = 1;
                        c->members[tail++] = friends[j];
                    }
            }
            head = level;
        }
        end = tail;
        c->offsets[++c->n] = end;
    }
    return TRUE;
}

/**
 * fsim_i_population_adopt_clustered_part:
 * See population-private.h.
 */
gboolean
fsim_i_population_adopt_clustered_part (const FsimScenario *s, const FsimComm *comm, size_t n_total,
                                        size_t first, size_t n_rows, const size_t *offsets,
                                        const uint32_t *adj, FsimWord *uses, GError **error)
{
    const Rows r = { n_total, first, first + n_rows, s->partner_words, uses };
    Grower g = { .comm = comm, .first = first, .n_rows = n_rows, .offsets = offsets, .adj = adj };
    g_autofree uint32_t *order = NULL;
    g_autofree guint8 *taken = NULL;
    uint64_t arcs = offsets[n_rows], n_edges = 0;
    Clusters c = { 0 };
    gboolean ok;

    if (s->population.adoption == NULL)
        return TRUE;
    g.counts = g_new (uint64_t, (size_t) comm->size);
    ok = comm->allgatherv (comm, &arcs, 1, g.counts, sizeof (uint64_t), error);
    for (int k = 0; ok && k < comm->size; k++)
        n_edges += g.counts[k];
    n_edges /= 2;
    if (ok) {
        /* as clusters_by_bfs() sizes them, from the whole graph's mean degree */
        double mean = n_total > 0 ? 2.0 * (double) n_edges / (double) n_total : 0;
        size_t size = (size_t) CLAMP (round (mean), BFS_MIN_SIZE, BFS_MAX_SIZE);
        gboolean mine;

        order =
            permutation_new (n_total, fsim_i_stream_key (s->seed, FSIM_I_SALT_CLUSTER_ORDER), 0);
        taken = g_try_malloc0 (MAX (n_total, 1));
        c.members = g_try_new (uint32_t, MAX (n_total, 1));
        c.offsets = g_try_new (size_t, n_total + 1);
        g.send_cap = g.got_cap = 4096; /* grown as levels need, never NULL */
        g.send = g_try_new (uint32_t, g.send_cap);
        g.got = g_try_new (uint32_t, g.got_cap);
        mine = order != NULL && taken != NULL && c.members != NULL && c.offsets != NULL &&
               g.send != NULL && g.got != NULL;
        ok = comm->all_ok (comm, mine) || grower_fail (!mine, n_total, error);
        ok = ok && grow_clusters_part (&g, n_total, size, order, taken, &c, error);
    }
    ok = ok && adopt_all (s, &c, &r, error);
    clusters_clear (&c);
    g_free (g.send);
    g_free (g.got);
    g_free (g.counts);
    return ok;
}
