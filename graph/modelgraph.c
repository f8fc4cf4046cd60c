/* SPDX-License-Identifier: MIT */
/* modelgraph.c: the model graph: kinds, names and ends in tried arrays, structure in a directed igraph_t. */
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
    int *vertex_kinds;           /* [n_vertices] */
    char **vertex_names;         /* [n_vertices], owned, may be NULL */
    int *edge_kinds;             /* [n_edges] */
    igraph_integer_t *edge_ends; /* [2 * n_edges]: from, to, from, to, ... */
    size_t n_vertices, n_edges;
    size_t cap_vertices, cap_edges; /* fsim_model_graph_new() grows them (GLib), try_new not */

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
    return g_new0 (FsimModelGraph, 1);
}

FsimModelGraph *
fsim_model_graph_try_new (size_t n_vertices, size_t n_edges, GError **error)
{
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);
    /* the arrays are tried at their final size; the names (a few bytes each) are checked */
    g_autofree char *what =
        g_strdup_printf ("the model graph of %zu vertices and %zu edges", n_vertices, n_edges);
    if (n_vertices > G_MAXUINT || n_edges > G_MAXUINT / 2 ||
        !fsim_memory_reserve ((guint64) n_vertices * 32, what, NULL))
        return fsim_set_out_of_memory (n_vertices, 32, what, error);
    g_autoptr (FsimModelGraph) g = g_new0 (FsimModelGraph, 1);
    if (!(g->vertex_kinds = fsim_try_new (n_vertices + 1, sizeof (int), what, error)) ||
        !(g->vertex_names = fsim_try_new0 (n_vertices + 1, sizeof (char *), what, error)) ||
        !(g->edge_kinds = fsim_try_new (n_edges + 1, sizeof (int), what, error)) ||
        !(g->edge_ends = fsim_try_new (2 * n_edges + 1, sizeof (igraph_integer_t), what, error)))
        return NULL;
    g->cap_vertices = n_vertices;
    g->cap_edges = n_edges;
    return g_steal_pointer (&g);
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
    for (size_t v = 0; g->vertex_names && v < g->n_vertices; v++)
        g_free (g->vertex_names[v]);
    g_free (g->vertex_kinds);
    g_free (g->vertex_names);
    g_free (g->edge_kinds);
    g_free (g->edge_ends);
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

    if (g->n_vertices == g->cap_vertices) { /* fsim_model_graph_new()'s only */
        g->cap_vertices = MAX (2 * g->cap_vertices, (size_t) 16);
        g->vertex_kinds = g_renew (int, g->vertex_kinds, g->cap_vertices);
        g->vertex_names = g_renew (char *, g->vertex_names, g->cap_vertices);
    }
    g->vertex_kinds[g->n_vertices] = kind;
    g->vertex_names[g->n_vertices] = g_strdup (name);
    return g->n_vertices++;
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
    g_return_val_if_fail (from < g->n_vertices && to < g->n_vertices, SIZE_MAX);

    if (g->n_edges == g->cap_edges) { /* fsim_model_graph_new()'s only */
        g->cap_edges = MAX (2 * g->cap_edges, (size_t) 16);
        g->edge_kinds = g_renew (int, g->edge_kinds, g->cap_edges);
        g->edge_ends = g_renew (igraph_integer_t, g->edge_ends, 2 * g->cap_edges);
    }
    g->edge_kinds[g->n_edges] = kind;
    memcpy (g->edge_ends + 2 * g->n_edges, ends, sizeof ends);
    return g->n_edges++;
}

size_t
fsim_model_graph_n_vertices (const FsimModelGraph *g)
{
    g_return_val_if_fail (g != NULL, 0);
    return g->n_vertices;
}

size_t
fsim_model_graph_n_edges (const FsimModelGraph *g)
{
    g_return_val_if_fail (g != NULL, 0);
    return g->n_edges;
}

int
fsim_model_graph_vertex_kind (const FsimModelGraph *g, size_t v)
{
    g_return_val_if_fail (g != NULL && v < g->n_vertices, -1);
    return g->vertex_kinds[v];
}

/* Returns: (transfer none) (nullable): the name given to fsim_model_graph_add_vertex(). */
const char *
fsim_model_graph_vertex_name (const FsimModelGraph *g, size_t v)
{
    g_return_val_if_fail (g != NULL && v < g->n_vertices, NULL);
    return g->vertex_names[v];
}

int
fsim_model_graph_edge_kind (const FsimModelGraph *g, size_t e)
{
    g_return_val_if_fail (g != NULL && e < g->n_edges, -1);
    return g->edge_kinds[e];
}

/* @from and @to may be NULL. */
void
fsim_model_graph_edge_ends (const FsimModelGraph *g, size_t e, size_t *from, size_t *to)
{
    g_return_if_fail (g != NULL && e < g->n_edges);
    if (from != NULL)
        *from = (size_t) g->edge_ends[2 * e];
    if (to != NULL)
        *to = (size_t) g->edge_ends[2 * e + 1];
}

/* Under the igraph lock: brings g->graph up to date with the arrays. */
static igraph_error_t
flush (FsimModelGraph *g)
{
    size_t nv = g->n_vertices, ne = g->n_edges;

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
        const igraph_integer_t *pending = g->edge_ends + 2 * g->flushed_edges;

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
    g_return_val_if_fail (source < g->n_vertices, FALSE);
    g_return_val_if_fail (edge_enabled != NULL || g->n_edges == 0, FALSE);
    g_return_val_if_fail (out_reached != NULL, FALSE);
    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

    nv = g->n_vertices;
    reached = fsim_try_new0 (nv, 1, "the model graph's reach", error);
    if (!reached)
        return FALSE;

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
