/* SPDX-License-Identifier: MIT */
/* graphviz.h: lays out a DOT graph as SVG or PNG by running Graphviz's `dot` program. */
#pragma once

#include <glib.h>

#define FSIM_GRAPHVIZ_ERROR (fsim_graphviz_error_quark ())
GQuark fsim_graphviz_error_quark (void);

typedef enum {
    FSIM_GRAPHVIZ_ERROR_MISSING, /* no `dot` program to run */
    FSIM_GRAPHVIZ_ERROR_FAILED,  /* `dot` could not be started, failed, or wrote nothing */
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
 * Runs `dot -T@format` on @dot and returns what it wrote.
 * Returns: (transfer full): the bytes, or NULL with @error set: FSIM_GRAPHVIZ_ERROR_MISSING when
 *   there is no `dot`, FSIM_GRAPHVIZ_ERROR_FAILED when it fails (its first error line is quoted),
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
