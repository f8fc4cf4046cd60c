/* SPDX-License-Identifier: MIT */
/* explain-diagram.h: one user's routes (open and closed) as a DOT diagram. */
#pragma once

#include <glib.h>

#include "explain.h"

/**
 * fsim_explain_write_dot:
 * @destination: (nullable): the --destination filter of fsim_explain_render_text()
 *
 * Appends @e as a DOT digraph: the user, their fields, the partners the fields reach or could
 * reach and the destinations of the open flows. Each route is an edge coloured by channel
 * (as in the flow diagram, docs/diagrams.md) and labelled with who carried it and through which
 * API scope; closed routes are dotted grey edges labelled with the first gate that closed
 * them (routes of one channel closed the same way are drawn once). Pairs with no route are
 * left out. Deterministic; strings escaped as in fsim_diagram_dot_string(). Returns: FALSE with
 * @error set when the room of its text cannot be had (fsim_diagram_write_dot()).
 */
gboolean fsim_explain_write_dot (const FsimTracer *t, const FsimExplanation *e,
                                 const char *destination, GString *out, GError **error);

/**
 * fsim_explain_draw:
 * @format: "dot" or "svg"
 * @program: (nullable): the Graphviz program for SVG (graphviz.h); NULL for `dot` in PATH
 *
 * Appends @e drawn as DOT, or as SVG laid out by Graphviz (graphviz.h), to @out; a drawing of
 * more than FSIM_GRAPHVIZ_MAX_NODES boxes, FSIM_GRAPHVIZ_MAX_EDGES lines or
 * FSIM_GRAPHVIZ_MAX_PASSES passes (graphviz.h) is not given to Graphviz.
 * Returns: FALSE with @error set (FSIM_GRAPHVIZ_ERROR) when SVG was asked and the drawing is
 *   too large for Graphviz (FSIM_GRAPHVIZ_ERROR_TOO_LARGE), or Graphviz is missing or fails;
 *   @out is unchanged then.
 */
gboolean fsim_explain_draw (const FsimTracer *t, const FsimExplanation *e, const char *destination,
                            const char *format, const char *program, GString *out, GError **error);
