/* SPDX-License-Identifier: MIT */
/* friends.h: the friendship graph as a compact adjacency (CSR), and its random generators. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#include "comm.h"

#define FSIM_GRAPH_ERROR (fsim_graph_error_quark ())
GQuark fsim_graph_error_quark (void);

typedef enum {
    FSIM_GRAPH_ERROR_FAILED, /* igraph reported an error */
    FSIM_GRAPH_ERROR_NOMEM,
    FSIM_GRAPH_ERROR_INVALID,    /* bad parameters */
    FSIM_GRAPH_ERROR_IO,         /* a graph file cannot be opened or read */
    FSIM_GRAPH_ERROR_PARSE,      /* a graph file is malformed (the message has FILE:LINE:COL) */
    FSIM_GRAPH_ERROR_OTHER_RANK, /* over ranks: another rank failed, its error is the one to
                                  * report (comm.h) */
} FsimGraphError;

/* Install igraph's error and warning handlers (no aborts). Call once at start-up; idempotent. */
void fsim_graph_init (void);

/*
 * Undirected simple graph. Neighbours of u are adj[offsets[u] .. offsets[u+1]), sorted,
 * without self-loops or duplicates. n_edges counts each friendship once.
 */
typedef struct {
    size_t n_users;
    size_t n_edges;
    size_t *offsets; /* n_users + 1 */
    uint32_t *adj;   /* 2 * n_edges */
    /* facebook_like only, else 0 and NULL: its communities are the id ranges
     * group_offsets[g] .. group_offsets[g + 1] - 1 (n_groups + 1 entries, ending at n_users). */
    size_t n_groups;
    size_t *group_offsets;
    /* NULL when the arrays are the struct's own. Else they belong to someone else (a mapped
     * population snapshot), and fsim_friends_free() calls release (release_data) instead of
     * freeing them. */
    GDestroyNotify release;
    gpointer release_data;
} FsimFriends;

/* How many friends user @u has. */
static inline size_t
fsim_friends_degree (const FsimFriends *f, size_t u)
{
    return f->offsets[u + 1] - f->offsets[u];
}

/* From @n_pairs (u, v) pairs in @pairs (2 * n_pairs entries, each < @n_users). Self-loops and
 * duplicates are dropped. Returns: (transfer full) or NULL with @error set. */
FsimFriends *fsim_friends_new_from_pairs (size_t n_users, const uint32_t *pairs, size_t n_pairs,
                                          GError **error);

/*
 * Generator parameters. Start from FSIM_GEN_PARAMS_INIT (or fsim_gen_params_init()) and set
 * what you need; the model reads only its own fields:
 *
 *   erdos_renyi      G(n, m), m = round(n_users * mean_degree / 2) friendships uniformly among
 *                    all pairs (gnm.c: skips over pair blocks, then a uniform surplus dropped)
 *   barabasi_albert  preferential attachment, m = round(mean_degree / 2) friendships per new
 *                    user (igraph_barabasi_game's psumtree process, no repeats, replayed by
 *                    ba.c on every rank); the mean is about 2m
 *   watts_strogatz   ring lattice of n_users where each user befriends the nei = round(
 *                    mean_degree / 2) nearest on each side, then each end of each friendship
 *                    moved with probability `rewire` to a user who is not a friend (ws.c: the
 *                    two sweeps of igraph_rewire_edges drawn by users, no loops or repeats);
 *                    the mean is 2 nei
 *   facebook_like    this project's model (fblike.c): lognormal target degrees with sigma
 *                    `spread`, capped at `max_degree`; a share `clustering` of each user's
 *                    friendships inside a community of about `community_size` users, the rest
 *                    drawn across the whole graph in proportion to the remaining targets
 *
 * All models are seeded by `seed` and give the same graph for the same parameters on any
 * number of threads (and over any number of ranks, fsim_friends_generate_part()). None calls
 * igraph: erdos_renyi, barabasi_albert and watts_strogatz use their own PRNG on one thread,
 * facebook_like its own PRNG and up to `n_threads` threads.
 */
typedef struct {
    const char *model;  /* one of fsim_friends_models() */
    size_t n_users;     /* at most UINT32_MAX */
    double mean_degree; /* target mean number of friends, >= 0 */
    uint64_t seed;
    double spread;         /* facebook_like: lognormal sigma of target degrees, 0 .. 4; the
                            * default 1.15 puts the median at about half the mean */
    double clustering;     /* facebook_like: share of a user's friends in the community, 0 .. 1 */
    size_t max_degree;     /* facebook_like: hard cap on a user's friends (Facebook's), >= 1 */
    double community_size; /* facebook_like: mean community size, 2 .. 1000; 0 picks
                            * 2 * clustering * mean_degree within 20 .. 250 (see fblike.c) */
    double rewire;         /* watts_strogatz: rewiring probability, 0 .. 1 */
    unsigned n_threads;    /* facebook_like: threads to use, 0 = one per processor */
} FsimGenParams;

#define FSIM_GEN_DEFAULT_SPREAD 1.15
#define FSIM_GEN_DEFAULT_CLUSTERING 0.5
#define FSIM_GEN_DEFAULT_MAX_DEGREE 5000
#define FSIM_GEN_DEFAULT_REWIRE 0.1

#define FSIM_GEN_PARAMS_INIT                                                                       \
    ((FsimGenParams){ .model = "erdos_renyi",                                                      \
                      .spread = FSIM_GEN_DEFAULT_SPREAD,                                           \
                      .clustering = FSIM_GEN_DEFAULT_CLUSTERING,                                   \
                      .max_degree = FSIM_GEN_DEFAULT_MAX_DEGREE,                                   \
                      .rewire = FSIM_GEN_DEFAULT_REWIRE })

/* Sets every field of @p to FSIM_GEN_PARAMS_INIT. Can't fail. */
void fsim_gen_params_init (FsimGenParams *p);

/* NULL-terminated list of the model names, static (do not free). */
const char *const *fsim_friends_models (void);

/* TRUE if @model is one of fsim_friends_models(). */
gboolean fsim_friends_model_is_known (const char *model);

/**
 * fsim_friends_generate_params:
 * @p: read only
 * Returns: (transfer full): the friend lists, or NULL with @error set: FSIM_GRAPH_ERROR_INVALID
 *   for an unknown model or a parameter out of range, FSIM_GRAPH_ERROR_NOMEM when out of
 *   memory, another FSIM_GRAPH_ERROR code if igraph fails.
 */
FsimFriends *fsim_friends_generate_params (const FsimGenParams *p, GError **error);

/* Whether fsim_friends_generate_part() can generate @model over ranks (every model of
 * fsim_friends_models()). */
gboolean fsim_friends_generate_part_supported (const char *model);

/**
 * fsim_friends_generate_part:
 * @p: read only
 * @comm: the ranks (comm.h); collective: every rank calls it with the same @p
 * @first: this rank's first user; the ranks' ranges follow each other in rank order from 0
 *   and together cover the @p->n_users users
 * @n_rows: this rank's number of users (may be 0)
 * The friend lists of users @first .. @first + @n_rows - 1 of the graph that
 * fsim_friends_generate_params() gives for @p, exactly, whatever the number of ranks, without
 * any rank holding the whole graph (fblike-part.c, gnm.c, ws.c; ba.c replays the whole
 * process on every rank in O(n) memory and keeps the rank's rows). The result has n_users =
 * @n_rows rows, row i being user @first + i's friends as sorted global ids; n_edges is 0. A
 * facebook_like graph's communities come whole (n_groups, group_offsets over the global ids:
 * every rank draws them, 8 bytes per community), for clustered adoption; the others have none.
 * Returns: (transfer full): the rows, or NULL with @error set on every rank:
 *   FSIM_GRAPH_ERROR_INVALID for a model that cannot be generated over ranks
 *   (fsim_friends_generate_part_supported()) or a parameter out of range,
 *   FSIM_GRAPH_ERROR_NOMEM when this or another rank ran out of memory.
 */
FsimFriends *fsim_friends_generate_part (const FsimGenParams *p, const FsimComm *comm, size_t first,
                                         size_t n_rows, GError **error);

/* fsim_friends_generate_params() with the other parameters at their defaults.
 * Seeded: the same arguments give the same graph. */
FsimFriends *fsim_friends_generate (const char *model, size_t n_users, double mean_degree,
                                    uint64_t seed, GError **error);

/* Whether @v is a friend of @u (a binary search of @u's sorted row); @u < n_users. */
gboolean fsim_friends_has (const FsimFriends *f, uint32_t u, uint32_t v);

void fsim_friends_free (FsimFriends *f);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsimFriends, fsim_friends_free)
