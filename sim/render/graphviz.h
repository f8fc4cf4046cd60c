/* SPDX-License-Identifier: MIT */
/* graphviz.h: lays out a DOT graph as SVG or PNG by running Graphviz's `dot` program. */
#pragma once

#include <glib.h>

#define FSIM_GRAPHVIZ_ERROR (fsim_graphviz_error_quark ())
GQuark fsim_graphviz_error_quark (void);

typedef enum {
    FSIM_GRAPHVIZ_ERROR_MISSING,   /* no `dot` program to run */
    FSIM_GRAPHVIZ_ERROR_FAILED,    /* `dot` could not be started, failed, or wrote nothing */
    FSIM_GRAPHVIZ_ERROR_TOO_LARGE, /* over fsim_graphviz_check_size()'s limits, or `dot` ran
                                    * out of its CPU time */
} FsimGraphvizError;

/*
 * Why a subprocess and not libgvc: flowsim builds and its DOT output works without Graphviz
 * installed (only SVG and PNG need it); a crash or leak in the layout engine cannot take the
 * simulator down or upset the sanitizer and valgrind runs; and `dot` finds its own plugins
 * and fonts. The program is a parameter (a path or a name looked up in PATH; NULL or "" for
 * `dot`): the library reads no environment, the command line passes $FLOWSIM_DOT. It is run directly (no shell) on the graph written to a temporary file
 * (removed afterwards), not on a pipe: a `dot` that dies early must not kill flowsim with SIGPIPE.
 * What it writes goes to temporary files too, not to pipes read whole into memory through GLib
 * (whose buffers abort when they cannot grow): its stdout is checked against
 * FSIM_GRAPHVIZ_MAX_BYTES, then read into a room made with one tried allocation (room.h), and
 * only the first line of its stderr is read.
 */

/*
 * What `dot` may use: its layout grows much faster than the graph, and by its shape more than
 * its size. On the model at the limits (docs/robustness.md, "The diagram and claims at the
 * limits") the flow diagram of the top 25 partners (97 boxes, 210 lines) took `dot` 1.3 s of
 * CPU, of the top 100 (247 boxes, 585 lines) more than 32 s (stopped), and of all 4096 (8,212
 * boxes, 20,528 lines) it ran out of 5 GB of memory; where `flowsim explain` draws 142 boxes and 4,105 lines
 * (scenarios/device-partners-2018.json) it takes 6 s. So every `dot` is stopped after
 * FSIM_GRAPHVIZ_MAX_CPU_SECONDS of CPU time (FSIM_GRAPHVIZ_ERROR_TOO_LARGE) and given at most
 * FSIM_GRAPHVIZ_MAX_MEMORY of address space, and a caller that knows its graph's shape refuses
 * a larger one before `dot` runs (fsim_graphviz_check_size(); the flow diagram's limits are in
 * diagram.h).
 */
#define FSIM_GRAPHVIZ_MAX_CPU_SECONDS 30
#define FSIM_GRAPHVIZ_MAX_MEMORY ((guint64) 2 << 30)

/**
 * fsim_graphviz_check_size:
 * @dot: flowsim's own DOT (every node id quoted)
 * @max_nodes: the most boxes (nodes) to lay out
 * @max_edges: the most lines (edges)
 *
 * Counts the nodes and edges of @dot in one pass (a statement whose first character is '"' and
 * that has no "->" is a node; quoted strings and HTML-like labels are skipped).
 * Returns: TRUE, or FALSE with @error set (FSIM_GRAPHVIZ_ERROR_TOO_LARGE: "the graph has N
 *   boxes and M lines, more than ...") when either count is over its limit.
 */
gboolean fsim_graphviz_check_size (const char *dot, size_t max_nodes, size_t max_edges,
                                   GError **error);

/* The most bytes of a drawing flowsim reads back from Graphviz: 1 GiB. */
#define FSIM_GRAPHVIZ_MAX_BYTES ((guint64) 1 << 30)

/**
 * fsim_graphviz_program:
 * @program: (nullable): the program's path or name; NULL or "" for `dot`
 * Returns: (transfer full) (nullable): the absolute path of the `dot` program to run, or NULL
 *   when there is none. Can't fail.
 */
char *fsim_graphviz_program (const char *program);

/**
 * fsim_graphviz_render:
 * @program: (nullable): as for fsim_graphviz_program()
 * @dot: the graph, DOT source
 * @format: a Graphviz output format: "svg" or "png"
 *
 * Runs `dot -T@format` on @dot, with at most FSIM_GRAPHVIZ_MAX_CPU_SECONDS of CPU time and
 * FSIM_GRAPHVIZ_MAX_MEMORY of address space, and returns what it wrote.
 * Returns: (transfer full): the bytes, or NULL with @error set: FSIM_GRAPHVIZ_ERROR_TOO_LARGE
 *   when `dot` was stopped at its CPU time,
 *   FSIM_GRAPHVIZ_ERROR_MISSING when there is no `dot`, FSIM_GRAPHVIZ_ERROR_FAILED when it fails (its first error line is quoted),
 *   writes nothing or more than FSIM_GRAPHVIZ_MAX_BYTES, and FSIM_GRAPH_ERROR_NOMEM (room.h: "out of
 *   memory: needed N bytes for the drawing from Graphviz") when its room cannot be had.
 */
GBytes *fsim_graphviz_render (const char *program, const char *dot, const char *format,
                              GError **error);

/**
 * fsim_graphviz_convert:
 * @program: (nullable): as for fsim_graphviz_program()
 * @text: DOT source, replaced by the drawing on success (unchanged on failure)
 * @format: "dot" (left as it is), "svg" or "png" (fsim_graphviz_render())
 * Returns: TRUE, or FALSE with @error set as by fsim_graphviz_render().
 */
gboolean fsim_graphviz_convert (const char *program, GString *text, const char *format,
                                GError **error);
