/* SPDX-License-Identifier: MIT */
/* modelgraph.h: the model graph (fields, APIs, scopes, partners, destinations) kept in igraph. */
#pragma once

#include <stddef.h>

#include <glib.h>

/*
 * A directed multigraph whose vertices carry a kind and a name, and whose edges carry a kind.
 * The simulator builds it from a scenario; the engine asks it for downstream reachability and
 * later the diagrams walk it. Kinds are the caller's integers.
 */
typedef struct FsimModelGraph FsimModelGraph;

FsimModelGraph *fsim_model_graph_new (void);
/**
 * fsim_model_graph_try_new:
 * @n_vertices, @n_edges: how many the caller will add; more may be added, growing as GLib does
 * Returns: (transfer full) (nullable): an empty graph with room for them, or NULL with
 * FSIM_GRAPH_ERROR_NOMEM ("out of memory: needed N bytes for the model graph of ...") when
 * that room cannot be had (fsim_memory_reserve()).
 */
FsimModelGraph *fsim_model_graph_try_new (size_t n_vertices, size_t n_edges, GError **error);
void fsim_model_graph_free (FsimModelGraph *g);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsimModelGraph, fsim_model_graph_free)

size_t fsim_model_graph_add_vertex (FsimModelGraph *g, int kind, const char *name);
size_t fsim_model_graph_add_edge (FsimModelGraph *g, size_t from, size_t to, int kind);

size_t fsim_model_graph_n_vertices (const FsimModelGraph *g);
size_t fsim_model_graph_n_edges (const FsimModelGraph *g);
int fsim_model_graph_vertex_kind (const FsimModelGraph *g, size_t v);
const char *fsim_model_graph_vertex_name (const FsimModelGraph *g, size_t v);
int fsim_model_graph_edge_kind (const FsimModelGraph *g, size_t e);
void fsim_model_graph_edge_ends (const FsimModelGraph *g, size_t e, size_t *from, size_t *to);

/**
 * fsim_model_graph_reachable:
 * @edge_enabled: one byte per edge; only edges with a non-zero byte are followed
 * @out_reached: one byte per vertex, set to 1 for every vertex reachable from @source in one
 *   or more steps (the source itself only if it lies on a cycle)
 * Returns: FALSE with @error set if igraph fails.
 */
gboolean fsim_model_graph_reachable (const FsimModelGraph *g, size_t source,
                                     const guint8 *edge_enabled, guint8 *out_reached,
                                     GError **error);
