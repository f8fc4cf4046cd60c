/* SPDX-License-Identifier: MIT */
/* modelgraph.c: the model graph: kinds and names in GArrays, structure in a directed igraph_t. */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include <glib.h>
#include <igraph.h>

#include "friends.h"
#include "graph-private.h"
#include "memory.h"
#include "modelgraph.h"

/*
 * Vertices and edges are appended to plain arrays, which answer every query about kinds, names
 * and ends. The igraph_t only serves graph algorithms: the pending tail of the arrays is added
 * to it with one igraph_add_vertices() and one igraph_add_edges() call just before an algorithm
 * runs (flush()). Because flushing happens inside const queries, it runs under the igraph lock
 * (see graph-private.h), which also serialises concurrent queries.
 */
struct FsimModelGraph {
    GArray *vertex_kinds;    /* int */
    GPtrArray *vertex_names; /* char *, owned, may be NULL */
    GArray *edge_kinds;      /* int */
    GArray *edge_ends;       /* igraph_integer_t: from, to, from, to, ... */

    gboolean have_graph; /* graph initialised */
    igraph_t graph;
    size_t flushed_vertices; /* the first flushed_* vertices / edges are in graph */
    size_t flushed_edges;
};

/**
 * fsim_model_graph_new:
 * Returns: (transfer full): an empty directed model graph. Can't fail.
 */
FsimModelGraph *
fsim_model_graph_new (void)
{
    FsimModelGraph *g = g_new0 (FsimModelGraph, 1);

    g->vertex_kinds = g_array_new (FALSE, FALSE, sizeof (int));
    g->vertex_names = g_ptr_array_new_with_free_func (g_free);
    g->edge_kinds = g_array_new (FALSE, FALSE, sizeof (int));
    g->edge_ends = g_array_new (FALSE, FALSE, sizeof (igraph_integer_t));
    return g;
}

FsimModelGraph *
fsim_model_graph_try_new (size_t n_vertices, size_t n_edges, GError **error)
{
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);
    guint64 bytes = fsim_memory_array_bytes (n_vertices, sizeof (int)) +
                    fsim_memory_array_bytes (n_vertices, sizeof (gpointer)) +
                    fsim_memory_array_bytes (n_edges, sizeof (int)) +
                    fsim_memory_array_bytes (2 * n_edges, sizeof (igraph_integer_t)) +
                    (guint64) n_vertices * 32; /* the names */
    g_autofree char *what =
        g_strdup_printf ("the model graph of %zu vertices and %zu edges", n_vertices, n_edges);
    if (n_vertices > G_MAXUINT || n_edges > G_MAXUINT / 2 ||
        !fsim_memory_reserve (bytes, what, NULL))
        return fsim_set_out_of_memory (1, (size_t) MIN (bytes, G_MAXSIZE), what, error);
    FsimModelGraph *g = g_new0 (FsimModelGraph, 1);
    g->vertex_kinds = g_array_sized_new (FALSE, FALSE, sizeof (int), (guint) n_vertices);
    g->vertex_names = g_ptr_array_new_full ((guint) n_vertices, g_free);
    g->edge_kinds = g_array_sized_new (FALSE, FALSE, sizeof (int), (guint) n_edges);
    g->edge_ends =
        g_array_sized_new (FALSE, FALSE, sizeof (igraph_integer_t), (guint) (2 * n_edges));
    return g;
}

/**
 * fsim_model_graph_free:
 * Frees @g, its names and its igraph graph. Accepts NULL.
 */
void
fsim_model_graph_free (FsimModelGraph *g)
{
    if (g == NULL)
        return;
    if (g->have_graph) {
        fsim_i_graph_lock ();
        igraph_destroy (&g->graph);
        fsim_i_graph_unlock ();
    }
    g_array_unref (g->vertex_kinds);
    g_ptr_array_unref (g->vertex_names);
    g_array_unref (g->edge_kinds);
    g_array_unref (g->edge_ends);
    g_free (g);
}

/**
 * fsim_model_graph_add_vertex:
 * @name: (nullable): copied
 * Returns: the new vertex's index (vertices are numbered 0, 1, ... in order). Can't fail.
 */
size_t
fsim_model_graph_add_vertex (FsimModelGraph *g, int kind, const char *name)
{
    g_return_val_if_fail (g != NULL, SIZE_MAX);

    g_array_append_val (g->vertex_kinds, kind);
    g_ptr_array_add (g->vertex_names, g_strdup (name));
    return g->vertex_kinds->len - 1;
}

/**
 * fsim_model_graph_add_edge:
 * Adds the directed edge @from -> @to; parallel edges and self-loops are allowed.
 * Returns: the new edge's index (edges are numbered 0, 1, ... in order). Can't fail.
 */
size_t
fsim_model_graph_add_edge (FsimModelGraph *g, size_t from, size_t to, int kind)
{
    igraph_integer_t ends[2] = { (igraph_integer_t) from, (igraph_integer_t) to };

    g_return_val_if_fail (g != NULL, SIZE_MAX);
    g_return_val_if_fail (from < g->vertex_kinds->len && to < g->vertex_kinds->len, SIZE_MAX);

    g_array_append_val (g->edge_kinds, kind);
    g_array_append_vals (g->edge_ends, ends, 2);
    return g->edge_kinds->len - 1;
}

size_t
fsim_model_graph_n_vertices (const FsimModelGraph *g)
{
    g_return_val_if_fail (g != NULL, 0);
    return g->vertex_kinds->len;
}

size_t
fsim_model_graph_n_edges (const FsimModelGraph *g)
{
    g_return_val_if_fail (g != NULL, 0);
    return g->edge_kinds->len;
}

int
fsim_model_graph_vertex_kind (const FsimModelGraph *g, size_t v)
{
    g_return_val_if_fail (g != NULL && v < g->vertex_kinds->len, -1);
    return g_array_index (g->vertex_kinds, int, v);
}

/* Returns: (transfer none) (nullable): the name given to fsim_model_graph_add_vertex(). */
const char *
fsim_model_graph_vertex_name (const FsimModelGraph *g, size_t v)
{
    g_return_val_if_fail (g != NULL && v < g->vertex_names->len, NULL);
    return g_ptr_array_index (g->vertex_names, v);
}

int
fsim_model_graph_edge_kind (const FsimModelGraph *g, size_t e)
{
    g_return_val_if_fail (g != NULL && e < g->edge_kinds->len, -1);
    return g_array_index (g->edge_kinds, int, e);
}

/* @from and @to may be NULL. */
void
fsim_model_graph_edge_ends (const FsimModelGraph *g, size_t e, size_t *from, size_t *to)
{
    g_return_if_fail (g != NULL && e < g->edge_kinds->len);
    if (from != NULL)
        *from = (size_t) g_array_index (g->edge_ends, igraph_integer_t, 2 * e);
    if (to != NULL)
        *to = (size_t) g_array_index (g->edge_ends, igraph_integer_t, 2 * e + 1);
}

/* Under the igraph lock: brings g->graph up to date with the arrays. */
static igraph_error_t
flush (FsimModelGraph *g)
{
    size_t nv = g->vertex_kinds->len, ne = g->edge_kinds->len;

    if (!g->have_graph) {
        IGRAPH_CHECK (igraph_empty (&g->graph, 0, IGRAPH_DIRECTED));
        g->have_graph = TRUE;
    }
    if (nv > g->flushed_vertices) {
        IGRAPH_CHECK (
            igraph_add_vertices (&g->graph, (igraph_integer_t) (nv - g->flushed_vertices), NULL));
        g->flushed_vertices = nv;
    }
    if (ne > g->flushed_edges) {
        igraph_vector_int_t view;
        const igraph_integer_t *pending =
            &g_array_index (g->edge_ends, igraph_integer_t, 2 * g->flushed_edges);

        igraph_vector_int_view (&view, pending, (igraph_integer_t) (2 * (ne - g->flushed_edges)));
        IGRAPH_CHECK (igraph_add_edges (&g->graph, &view, NULL));
        g->flushed_edges = ne;
    }
    return IGRAPH_SUCCESS;
}

/*
 * Under the igraph lock. Keeps only the enabled edges (vertex ids unchanged) and takes the
 * subcomponent of @source, everything reachable in zero or more steps; @source itself counts
 * only if an enabled edge leads back to it from there (a path of one or more steps).
 *
 * Not igraph_bfs(): igraph 0.10.2's BFS dereferences a NULL adjacency list when an allocation
 * fails inside it (found by tests/test-faults.c); igraph_subcomponent() checks every one.
 */
static igraph_error_t
reach (const igraph_t *graph, igraph_integer_t source, const guint8 *edge_enabled, guint8 *reached)
{
    igraph_integer_t n_edges = igraph_ecount (graph);
    igraph_vector_int_t eids, found, back;
    igraph_t sub;

    IGRAPH_VECTOR_INT_INIT_FINALLY (&eids, 0);
    for (igraph_integer_t e = 0; e < n_edges; e++)
        if (edge_enabled[e])
            IGRAPH_CHECK (igraph_vector_int_push_back (&eids, e));
    IGRAPH_CHECK (igraph_subgraph_edges (graph, &sub, igraph_ess_vector (&eids),
                                         /* delete_vertices = */ false));
    IGRAPH_FINALLY (igraph_destroy, &sub);

    IGRAPH_VECTOR_INT_INIT_FINALLY (&found, 0);
    IGRAPH_VECTOR_INT_INIT_FINALLY (&back, 0);
    IGRAPH_CHECK (igraph_subcomponent (&sub, &found, source, IGRAPH_OUT));
    IGRAPH_CHECK (igraph_neighbors (&sub, &back, source, IGRAPH_IN));

    for (igraph_integer_t i = 0; i < igraph_vector_int_size (&found); i++)
        reached[VECTOR (found)[i]] = 1;
    gboolean cycle = FALSE;
    for (igraph_integer_t i = 0; i < igraph_vector_int_size (&back); i++)
        cycle |= reached[VECTOR (back)[i]] != 0;
    reached[source] = cycle;

    igraph_vector_int_destroy (&back);
    igraph_vector_int_destroy (&found);
    igraph_destroy (&sub);
    igraph_vector_int_destroy (&eids);
    IGRAPH_FINALLY_CLEAN (4);
    return IGRAPH_SUCCESS;
}

typedef struct {
    FsimModelGraph *g;
    igraph_integer_t source;
    const guint8 *edge_enabled;
    guint8 *reached;
} ReachCall;

/* Through fsim_i_graph_call(): the lazy flush, then reach(). */
static igraph_error_t
flush_and_reach (void *data)
{
    ReachCall *call = data;

    IGRAPH_CHECK (flush (call->g));
    return reach (&call->g->graph, call->source, call->edge_enabled, call->reached);
}

/**
 * fsim_model_graph_reachable:
 * @g: the graph; may be flushed to igraph, but is otherwise unchanged
 * @source: a vertex of @g
 * @edge_enabled: one byte per edge of @g
 * @out_reached: one byte per vertex of @g; written only on success
 * Follows edges in their direction, only where @edge_enabled is non-zero. Safe to call from
 * several threads (calls are serialised).
 * Returns: TRUE, or FALSE with @error set (FSIM_GRAPH_ERROR) if igraph fails.
 */
gboolean
fsim_model_graph_reachable (const FsimModelGraph *g, size_t source, const guint8 *edge_enabled,
                            guint8 *out_reached, GError **error)
{
    FsimModelGraph *mutable_g = (FsimModelGraph *) g; /* for the lazy flush only */
    g_autofree guint8 *reached = NULL;
    char reason[FSIM_I_GRAPH_REASON_SIZE] = "";
    size_t nv;

    g_return_val_if_fail (g != NULL, FALSE);
    g_return_val_if_fail (source < g->vertex_kinds->len, FALSE);
    g_return_val_if_fail (edge_enabled != NULL || g->edge_kinds->len == 0, FALSE);
    g_return_val_if_fail (out_reached != NULL, FALSE);
    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

    nv = g->vertex_kinds->len;
    reached = g_malloc0 (nv);

    ReachCall call = { mutable_g, (igraph_integer_t) source, edge_enabled, reached };
    igraph_error_t rc = fsim_i_graph_call (flush_and_reach, &call, reason);
    if (rc == IGRAPH_EINTERNAL) {
        /* igraph failed an assertion, maybe halfway through adding to g->graph: abandon that
         * copy (its memory is lost) so that a later call builds a whole one from the arrays */
        mutable_g->have_graph = FALSE;
        mutable_g->flushed_vertices = mutable_g->flushed_edges = 0;
    }
    if (rc != IGRAPH_SUCCESS) {
        const char *name = fsim_model_graph_vertex_name (g, source);

        fsim_i_graph_error_from_igraph (rc, reason, error);
        g_prefix_error (error, "reachability from '%s': ", name != NULL ? name : "?");
        return FALSE;
    }
    memcpy (out_reached, reached, nv);
    return TRUE;
}
