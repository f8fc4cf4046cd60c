/* SPDX-License-Identifier: MIT */
/* stats.h: measurements of a friendship graph: degrees, local clustering, components. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#include "comm.h"
#include "friends.h"

/*
 * Degrees. median is the middle degree (the mean of the two middle ones for an even number of
 * users); p99 is the nearest-rank 99th percentile: the smallest degree d such that at least
 * 99% of users have degree <= d. All zero for a graph without users.
 */
typedef struct {
    size_t n_users;
    size_t n_edges;
    size_t min, max, p99;
    double mean, median;
    size_t n_isolated; /* users without friends */
} FsimDegreeStats;

/* Fills @out; FALSE with FSIM_GRAPH_ERROR_NOMEM (@out unchanged) when a count per degree up to
 * the largest cannot be had (tried: users x 8 bytes when one user has every friend). */
gboolean fsim_friends_degree_stats (const FsimFriends *f, FsimDegreeStats *out, GError **error);

/*
 * Average local clustering: for each user, the share of pairs of their friends who are friends
 * themselves, averaged over users, counting users with fewer than two friends as 0 (as
 * networkx's average_clustering does; igraph's transitivity_avglocal_undirected in "zero"
 * mode). Exact over all users when there are at most @sample users, else estimated over a
 * seeded uniform sample of @sample users (drawn with replacement), and `sampled` says so.
 */
typedef struct {
    double average;
    size_t n_measured; /* users measured (with repeats when sampled) */
    gboolean sampled;
} FsimClustering;

#define FSIM_CLUSTERING_DEFAULT_SAMPLE 10000

/* @sample >= 1; @n_threads: 0 = one per processor. The result is the same for any number of
 * threads. n_users words per thread are tried (fewer threads if need be); FALSE with
 * FSIM_GRAPH_ERROR_NOMEM (@out unchanged) if not even one thread's can be had. */
gboolean fsim_friends_clustering (const FsimFriends *f, size_t sample, uint64_t seed,
                                  unsigned n_threads, FsimClustering *out, GError **error);

/* Connected components: how many, and the size of the largest. An isolated user is a component
 * of its own. FALSE with FSIM_GRAPH_ERROR_NOMEM (@out unchanged) if its 5 bytes per user (tried)
 * cannot be had. */
typedef struct {
    size_t n_components;
    size_t giant_size;
} FsimComponents;

gboolean fsim_friends_components (const FsimFriends *f, FsimComponents *out, GError **error);

/* All three at once. */
typedef struct {
    FsimDegreeStats degree;
    FsimClustering clustering;
    FsimComponents components;
} FsimFriendsStats;

gboolean fsim_friends_stats (const FsimFriends *f, size_t clustering_sample, uint64_t seed,
                             unsigned n_threads, FsimFriendsStats *out, GError **error);

/*
 * One rank's rows of a graph split over ranks (graph/comm.h): users first .. first + n_own - 1
 * of n_total, row i (user first + i) the sorted global ids adj[offsets[i] .. offsets[i + 1]).
 * The ranks' ranges follow each other in rank order and cover every user.
 */
typedef struct {
    size_t n_total, first, n_own;
    const size_t *offsets; /* n_own + 1 */
    const uint32_t *adj;
} FsimFriendsPart;

/**
 * fsim_friends_stats_part:
 * @part: this rank's rows, read only
 * @comm: the ranks; collective
 * fsim_friends_stats() of the whole graph, the same numbers (the same doubles) on every rank
 * for any number of ranks, without any rank holding the graph (stats-part.c): degrees from
 * summed extremes and a summed histogram; clustering from counts made by the owners of the
 * sampled users' friends, a batch of users at a time, its values added in sample order;
 * components from each rank's own union-find, joined over the friendships that cross
 * ranks. What grows with the graph is tried, and the ranks agree on it before their next
 * exchange. Returns: FALSE with @error set on every rank when an exchange fails (a count MPI
 * cannot carry) or a rank is out of memory (FSIM_GRAPH_ERROR_NOMEM "out of memory: needed N
 * bytes for ..." on that rank, FSIM_GRAPH_ERROR_OTHER_RANK on the others); aborts only if
 * memory that grows with the number of ranks cannot be had.
 */
gboolean fsim_friends_stats_part (const FsimFriendsPart *part, const FsimComm *comm,
                                  size_t clustering_sample, uint64_t seed, FsimFriendsStats *out,
                                  GError **error);
