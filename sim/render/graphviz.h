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
 * `dot`): the library reads no environment, the command line passes $FLOWSIM_DOT. It is run
 * directly (no shell), its stdin the graph written to a file that has no name
 * (fsim_output_scratch(): nothing is left in $TMPDIR whatever ends either process), not a pipe:
 * a `dot` that dies early must not kill flowsim with SIGPIPE. What it writes goes to such files
 * too, not to pipes read whole into memory through GLib
 * (whose buffers abort when they cannot grow): its stdout is checked against
 * FSIM_GRAPHVIZ_MAX_BYTES, then read into a room made with one tried allocation (room.h), and
 * only the first line of its stderr is read.
 */

/*
 * What `dot` may use: its layout grows much faster than the graph, and by its shape more than
 * its size (docs/robustness.md, "The diagram and claims at the limits" and "Every diagram
 * bounded before Graphviz"). So every `dot` is stopped after FSIM_GRAPHVIZ_MAX_CPU_SECONDS of
 * CPU time (FSIM_GRAPHVIZ_ERROR_TOO_LARGE) and given at most FSIM_GRAPHVIZ_MAX_MEMORY of
 * address space, and every graph is counted before `dot` runs and refused when it is larger
 * than the bounds its caller gives (FsimGraphvizBounds: each kind of diagram has its own, set
 * where it is drawn).
 */
#define FSIM_GRAPHVIZ_MAX_CPU_SECONDS 30
#define FSIM_GRAPHVIZ_MAX_MEMORY ((guint64) 2 << 30)

/* The largest flow diagram or explanation given to `dot` (a comparison, never deeper than three
 * columns, has bounds of its own: diff-diagram.h). What slows `dot` down is depth, not width:
 * partners that share with partners make a chain of columns that every line from a scope to a
 * partner down the chain crosses. Such chains within 200 lines take `dot` 6 to 7 s of CPU (39
 * partners each sharing with the next, 83 boxes and 198 lines: 6.0 s; 66 with one scope box,
 * 135 and 199: 7.1 s), where 241 lines take 31 s and the model at the limits with its top 50
 * partners (147, 335) more than 28 s; without shares 300 boxes and 900 lines take less than a
 * second (docs/robustness.md, "Every diagram bounded before Graphviz"). Beyond them, dot's own
 * CPU limit decides. */
#define FSIM_GRAPHVIZ_MAX_NODES 200
#define FSIM_GRAPHVIZ_MAX_EDGES 200
/* "200 boxes and 200 lines", for help texts */
#define FSIM_GRAPHVIZ_MAX_TEXT                                                                     \
    G_STRINGIFY (FSIM_GRAPHVIZ_MAX_NODES)                                                          \
    " boxes and " G_STRINGIFY (FSIM_GRAPHVIZ_MAX_EDGES) " lines"

/* The largest graph given to `dot`, and what a user may do instead: @advice ends the message
 * that refuses a larger graph and the one that says `dot` was stopped, for example "draw less
 * of it (--top, --partner, --field), or write it as DOT and run dot on it yourself". */
typedef struct {
    size_t max_nodes;   /* the most boxes (nodes) */
    size_t max_edges;   /* the most lines (edges) */
    const char *advice; /* what to do instead (static) */
} FsimGraphvizBounds;

/**
 * fsim_graphviz_check_size:
 * @dot: flowsim's own DOT (every node id quoted)
 * @bounds: the most boxes and lines to lay out
 *
 * Counts the nodes and edges of @dot in one pass (a statement whose first character is '"' and
 * that has no "->" is a node; quoted strings and HTML-like labels are skipped).
 * Returns: TRUE, or FALSE with @error set (FSIM_GRAPHVIZ_ERROR_TOO_LARGE: "the graph has N
 *   boxes and M lines, more than ...: @bounds->advice") when either count is over its limit.
 */
gboolean fsim_graphviz_check_size (const char *dot, const FsimGraphvizBounds *bounds,
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
 * @bounds: the largest graph to lay out (fsim_graphviz_check_size())
 *
 * Checks @dot against @bounds, then runs `dot -T@format` on it, with at most
 * FSIM_GRAPHVIZ_MAX_CPU_SECONDS of CPU time and FSIM_GRAPHVIZ_MAX_MEMORY of address space, and
 * returns what it wrote.
 * Returns: (transfer full): the bytes, or NULL with @error set: FSIM_GRAPHVIZ_ERROR_TOO_LARGE
 *   when @dot is over @bounds (`dot` is not run) or `dot` was stopped at its CPU time,
 *   FSIM_GRAPHVIZ_ERROR_MISSING when there is no `dot`, FSIM_GRAPHVIZ_ERROR_FAILED when it fails (its first error line is quoted),
 *   writes nothing or more than FSIM_GRAPHVIZ_MAX_BYTES, and FSIM_GRAPH_ERROR_NOMEM (room.h: "out of
 *   memory: needed N bytes for the drawing from Graphviz") when its room cannot be had.
 */
GBytes *fsim_graphviz_render (const char *program, const char *dot, const char *format,
                              const FsimGraphvizBounds *bounds, GError **error);

/**
 * fsim_graphviz_convert:
 * @program: (nullable): as for fsim_graphviz_program()
 * @text: DOT source, replaced by the drawing on success (unchanged on failure)
 * @format: "dot" (left as it is, never counted), "svg" or "png" (fsim_graphviz_render())
 * @bounds: the largest graph to lay out (fsim_graphviz_check_size())
 *
 * Every diagram flowsim lays out goes through here or fsim_graphviz_render().
 * Returns: TRUE, or FALSE with @error set as by fsim_graphviz_render().
 */
gboolean fsim_graphviz_convert (const char *program, GString *text, const char *format,
                                const FsimGraphvizBounds *bounds, GError **error);
