/* SPDX-License-Identifier: MIT */
/* diff-diagram.h: the flows gained and lost between two scenarios, as a DOT diagram. */
#pragma once

#include <glib.h>

#include "diff.h"

/* The largest comparison given to Graphviz (fsim_graphviz_check_size()), above the other
 * diagrams' FSIM_GRAPHVIZ_MAX_NODES and _EDGES: a comparison draws no line between partners,
 * so it is always three columns deep (field groups, at most 16 partners, destinations), and
 * `dot` lays out the largest measured in under 2 s of CPU (292 boxes and 1,728 lines in 40
 * jurisdictions: 0.8 s; 98 boxes and 2,444 lines: 1.7 s; docs/robustness.md, "Every diagram
 * bounded before Graphviz"). Its lines pass through no column, but the passes are bounded as
 * the other diagrams' are (FSIM_GRAPHVIZ_MAX_PASSES). */
#define FSIM_DIFF_MAX_LAYOUT_NODES 300
#define FSIM_DIFF_MAX_LAYOUT_EDGES 2000
/* "300 boxes and 2000 lines", for help texts */
#define FSIM_DIFF_MAX_LAYOUT_TEXT                                                                  \
    G_STRINGIFY (FSIM_DIFF_MAX_LAYOUT_NODES)                                                       \
    " boxes and " G_STRINGIFY (FSIM_DIFF_MAX_LAYOUT_EDGES) " lines"

/**
 * fsim_diff_write_dot:
 * Appends @d as a DOT digraph: field groups -> partners -> destinations (by jurisdiction,
 * on-device apart), as in the flow diagram (docs/diagrams.md). Each pair of boxes has up to
 * three edges: gained flows (green, solid, "+N"), lost flows (red, dashed, "-N") and flows
 * kept (grey, "N"), N being the largest (user, field, destination) count among the rows the
 * edge stands for. Partners say whether the what-if is more or less permissive for them.
 * @focus (nullable, resolved against the what-if) keeps only the rows it selects
 * (fsim_diff_focus_flow()) and is named in the title.
 * Deterministic; strings escaped as in fsim_diagram_dot_string(). Returns: FALSE with @error
 * set when the room of its text cannot be had (fsim_diagram_write_dot()).
 */
gboolean fsim_diff_write_dot (const FsimDiff *d, const FsimFocus *focus, GString *out,
                              GError **error);

/**
 * fsim_diff_draw:
 * @format: "dot" or "svg"
 * @program: (nullable): the Graphviz program for SVG (graphviz.h); NULL for `dot` in PATH
 * Appends @d drawn as DOT, or as SVG laid out by Graphviz, to @out; a drawing of more than
 * FSIM_DIFF_MAX_LAYOUT_NODES boxes or FSIM_DIFF_MAX_LAYOUT_EDGES lines is not given to Graphviz.
 * Returns: FALSE with @error set (FSIM_GRAPHVIZ_ERROR) when SVG was asked and the drawing is too
 *   large for Graphviz (FSIM_GRAPHVIZ_ERROR_TOO_LARGE), or Graphviz is missing or fails.
 */
gboolean fsim_diff_draw (const FsimDiff *d, const FsimFocus *focus, const char *format,
                         const char *program, GString *out, GError **error);
