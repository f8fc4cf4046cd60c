/* SPDX-License-Identifier: MIT */
/* stats.h: measurements of a friendship graph: degrees, local clustering, components. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

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

/* Fills @out. Can't fail (aborts only if O(max degree) memory cannot be had). */
void fsim_friends_degree_stats (const FsimFriends *f, FsimDegreeStats *out);

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
 * threads. Can't fail (aborts only if O(n_users) memory per thread cannot be had). */
void fsim_friends_clustering (const FsimFriends *f, size_t sample, uint64_t seed,
                              unsigned n_threads, FsimClustering *out);

/* Connected components: how many, and the size of the largest. An isolated user is a component
 * of its own. Can't fail (aborts only if O(n_users) memory cannot be had). */
typedef struct {
    size_t n_components;
    size_t giant_size;
} FsimComponents;

void fsim_friends_components (const FsimFriends *f, FsimComponents *out);

/* All three at once. */
typedef struct {
    FsimDegreeStats degree;
    FsimClustering clustering;
    FsimComponents components;
} FsimFriendsStats;

void fsim_friends_stats (const FsimFriends *f, size_t clustering_sample, uint64_t seed,
                         unsigned n_threads, FsimFriendsStats *out);
