/* SPDX-License-Identifier: MIT */
/* graph.c: igraph start-up (no aborts), the FSIM_GRAPH_ERROR domain and igraph error mapping. */
#include "config.h"

#include <glib.h>
#include <igraph.h>

#include "friends.h"
#include "graph-private.h"

/* The quark's name is a dashed string, not an expression: keep clang-format off it. */
/* clang-format off */
G_DEFINE_QUARK (fsim-graph-error-quark, fsim_graph_error)
/* clang-format on */

G_LOCK_DEFINE_STATIC (fsim_igraph);

void
fsim_i_graph_lock (void)
{
    G_LOCK (fsim_igraph);
}

void
fsim_i_graph_unlock (void)
{
    G_UNLOCK (fsim_igraph);
}

/*
 * igraph's default error handler aborts the process and its default warning handler prints to
 * stderr; a library must do neither. With igraph_error_handler_ignore an igraph function that
 * fails frees everything on the IGRAPH_FINALLY stack and returns its error code, which the
 * public graph/ functions turn into a GError.
 */
void
fsim_graph_init (void)
{
    static gsize initialised = 0;

    if (g_once_init_enter (&initialised)) {
        fsim_i_graph_lock ();
        igraph_set_error_handler (igraph_error_handler_ignore);
        igraph_set_warning_handler (igraph_warning_handler_ignore);
        fsim_i_graph_unlock ();
        g_once_init_leave (&initialised, 1);
    }
}

gboolean
fsim_i_graph_error_from_igraph (igraph_error_t rc, GError **error)
{
    FsimGraphError code;

    g_return_val_if_fail (rc != IGRAPH_SUCCESS, FALSE);

    switch (rc) {
    case IGRAPH_ENOMEM:
        code = FSIM_GRAPH_ERROR_NOMEM;
        break;
    case IGRAPH_EINVAL:
    case IGRAPH_EINVVID:
    case IGRAPH_EINVMODE:
    case IGRAPH_ERANGE:
    case IGRAPH_EOVERFLOW:
        code = FSIM_GRAPH_ERROR_INVALID;
        break;
    default:
        code = FSIM_GRAPH_ERROR_FAILED;
        break;
    }
    g_set_error (error, FSIM_GRAPH_ERROR, code, "igraph: %s (error %d)", igraph_strerror (rc),
                 (int) rc);
    return FALSE;
}
