/* SPDX-License-Identifier: MIT */
/* diff-diagram.h: the flows gained and lost between two scenarios, as a DOT diagram. */
#pragma once

#include <glib.h>

#include "diff.h"

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
 * Appends @d drawn as DOT, or as SVG laid out by Graphviz, to @out.
 * Returns: FALSE with @error set (FSIM_GRAPHVIZ_ERROR) when Graphviz is missing or fails.
 */
gboolean fsim_diff_draw (const FsimDiff *d, const FsimFocus *focus, const char *format,
                         const char *program, GString *out, GError **error);
