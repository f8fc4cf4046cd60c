/* SPDX-License-Identifier: MIT */
/* population-cluster.c: clustered adoption: partners spread community by community. */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib.h>

#include "bits.h"
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
        g_set_error (error, FSIM_POPULATION_ERROR, FSIM_POPULATION_ERROR_FAILED,
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
        g_set_error (error, FSIM_POPULATION_ERROR, FSIM_POPULATION_ERROR_FAILED,
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
