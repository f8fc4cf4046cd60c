/* SPDX-License-Identifier: MIT */
/* friends.h: the friendship graph as a compact adjacency (CSR), generated with igraph's games. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#define FSIM_GRAPH_ERROR (fsim_graph_error_quark ())
GQuark fsim_graph_error_quark (void);

typedef enum {
    FSIM_GRAPH_ERROR_FAILED,    /* igraph reported an error */
    FSIM_GRAPH_ERROR_NOMEM,
    FSIM_GRAPH_ERROR_INVALID,   /* bad parameters */
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
} FsimFriends;

/* From @n_pairs (u, v) pairs in @pairs (2 * n_pairs entries, each < @n_users). Self-loops and
 * duplicates are dropped. Returns: (transfer full) or NULL with @error set. */
FsimFriends *fsim_friends_new_from_pairs (size_t n_users, const uint32_t *pairs, size_t n_pairs,
                                          GError **error);

/* Generate with a named model ("erdos_renyi": G(n, m) with m = round(n * mean_degree / 2)).
 * Seeded: the same arguments give the same graph. */
FsimFriends *fsim_friends_generate (const char *model, size_t n_users, double mean_degree,
                                    uint64_t seed, GError **error);

void fsim_friends_free (FsimFriends *f);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsimFriends, fsim_friends_free)
