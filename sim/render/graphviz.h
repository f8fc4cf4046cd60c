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

/* The largest flow diagram or explanation given to `dot` (a comparison has bounds of its own:
 * diff-diagram.h). What slows `dot` down is depth more than size: partners that share with
 * partners make a chain of columns, and every line from a box before the chain to a partner down
 * it passes through the columns between them, each pass a box Graphviz adds and orders
 * ("virtual node"). So the passes are bounded (fsim_graphviz_check_size() counts them on the
 * graph's own columns), and the lines only generously: a graph without chains has none, and
 * one user's explanation of every partner of scenarios/device-partners-2018.json, 142 boxes and
 * 4,105 lines, takes `dot` 4 s of CPU. The chains measured within 1,500 passes took at most
 * 3.5 s (a ring of 24 partners, 448 lines and 4,438 passes, 27 s), and the slowest graph
 * measured within all three bounds, a shallow one of 184 boxes and 4,183 lines, 11.5 s
 * (docs/robustness.md, "Every diagram bounded before Graphviz"). Beyond them, dot's own CPU
 * limit decides. */
#define FSIM_GRAPHVIZ_MAX_NODES 200
#define FSIM_GRAPHVIZ_MAX_EDGES 4200
#define FSIM_GRAPHVIZ_MAX_PASSES 1500
/* "200 boxes, 4200 lines and 1500 passes", for help texts */
#define FSIM_GRAPHVIZ_MAX_TEXT                                                                     \
    G_STRINGIFY (FSIM_GRAPHVIZ_MAX_NODES)                                                          \
    " boxes, " G_STRINGIFY (FSIM_GRAPHVIZ_MAX_EDGES) " lines and " G_STRINGIFY (                   \
        FSIM_GRAPHVIZ_MAX_PASSES) " passes"

/* The largest graph given to `dot`, and what a user may do instead: @advice ends the message
 * that refuses a larger graph and the one that says `dot` was stopped, for example "draw less
 * of it (--top, --partner, --field), or write it as DOT and run dot on it yourself". */
typedef struct {
    size_t max_nodes;   /* the most boxes (nodes) */
    size_t max_edges;   /* the most lines (edges) */
    size_t max_passes;  /* the most passes of lines through columns (fsim_graphviz_check_size()) */
    const char *advice; /* what to do instead (static) */
} FsimGraphvizBounds;

/**
 * fsim_graphviz_check_size:
 * @dot: flowsim's own DOT (every node id quoted)
 * @bounds: the most boxes, lines and passes to lay out
 *
 * Counts the nodes and edges of @dot in one pass (a statement whose first character is '"' and
 * that has no "->" is a node; quoted strings and HTML-like labels are skipped). Within
 * @bounds->max_nodes and max_edges, places the boxes in columns as `dot` does (each one
 * column after the last box with a line into it, a line that closes a cycle turned round) and
 * counts the passes: a line from column i to column j passes through |i - j| - 1 columns
 * without a box, each a box Graphviz adds to draw it. Time and memory linear in the graph
 * (and its ids sorted once).
 * Returns: TRUE, or FALSE with @error set: FSIM_GRAPHVIZ_ERROR_TOO_LARGE ("the graph has N
 *   boxes and M lines, more than ...: @bounds->advice", or "the graph is N columns deep ...")
 *   when a count is over its bound, FSIM_GRAPH_ERROR_NOMEM when the room to place the boxes
 *   cannot be had.
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
