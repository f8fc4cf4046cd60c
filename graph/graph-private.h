/* SPDX-License-Identifier: MIT */
/* graph-private.h: internals shared by the graph/ sources (igraph error mapping, igraph lock). */
#pragma once

#include <glib.h>
#include <igraph.h>

/*
 * fsim_i_graph_error_from_igraph:
 * @rc: an igraph error code other than IGRAPH_SUCCESS
 * Sets @error in FSIM_GRAPH_ERROR: IGRAPH_ENOMEM becomes FSIM_GRAPH_ERROR_NOMEM,
 * IGRAPH_EINVAL / IGRAPH_EINVVID / IGRAPH_EINVMODE / IGRAPH_ERANGE / IGRAPH_EOVERFLOW become
 * FSIM_GRAPH_ERROR_INVALID, anything else FSIM_GRAPH_ERROR_FAILED. The message carries
 * igraph_strerror()'s text and the numeric code. Does nothing if @error is NULL.
 * Returns: FALSE always, so callers can write `return fsim_i_graph_error_from_igraph (...)`.
 */
gboolean fsim_i_graph_error_from_igraph (igraph_error_t rc, GError **error);

/*
 * igraph 0.10 as packaged is built without thread-local storage (IGRAPH_THREAD_SAFE == 0): its
 * IGRAPH_FINALLY stack, error handlers and default RNG are process-wide. Every public graph/
 * function that calls into igraph does so between fsim_i_graph_lock() and
 * fsim_i_graph_unlock(), so graph/ can be used from several threads. The lock is not
 * recursive: static helpers that run under it must not take it again.
 */
void fsim_i_graph_lock (void);
void fsim_i_graph_unlock (void);
