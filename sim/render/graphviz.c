/* SPDX-License-Identifier: MIT */
/* graphviz.c: runs Graphviz's `dot` as a subprocess (no shell) to lay out DOT as SVG or PNG. */
#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "graphviz.h"
#include "output.h"

/* The quark's name is G_DEFINE_QUARK's first argument, spelt as it stands. */
/* clang-format off */
G_DEFINE_QUARK (fsim-graphviz-error-quark, fsim_graphviz_error)
/* clang-format on */

char *
fsim_graphviz_program (const char *program)
{
    return g_find_program_in_path (program && *program ? program : "dot");
}

/* The first non-empty line of @err (dot's stderr), cleaned for a message. */
static char *
first_line (GBytes *err)
{
    gsize len = 0;
    const char *data = err ? g_bytes_get_data (err, &len) : NULL;
    g_autofree char *text = data ? g_utf8_make_valid (data, (gssize) len) : g_strdup ("");
    g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
    for (char **l = lines; *l; l++) {
        g_strstrip (*l);
        if (**l)
            return g_strdup (*l);
    }
    return g_strdup ("no message");
}

/* Writes @dot to a temporary file (transfer full), which @program then reads: a pipe to a
 * `dot` that dies early would kill flowsim with SIGPIPE. Freeing it removes the file. */
static FsimOutput *
write_input (const char *dot, GError **error)
{
    g_autoptr (GError) local = NULL;
    g_autoptr (FsimOutput) input = fsim_output_open_temp (".dot", &local);

    if (input != NULL) {
        fputs (dot, fsim_output_stream (input));
        if (fsim_output_commit (input, &local))
            return g_steal_pointer (&input);
    }
    g_set_error (error, FSIM_GRAPHVIZ_ERROR, FSIM_GRAPHVIZ_ERROR_FAILED,
                 "cannot write the graph for Graphviz: %s", local->message);
    return NULL;
}

static GBytes *
run_dot (const char *program, const char *input, const char *format, GError **error)
{
    g_autofree char *option = g_strconcat ("-T", format, NULL);
    const char *argv[] = { program, option, input, NULL };
    g_autoptr (GBytes) out = NULL, err = NULL;
    g_autoptr (GError) local = NULL;
    g_autoptr (GSubprocess) proc = g_subprocess_newv (
        argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &local);

    if (proc == NULL || !g_subprocess_communicate (proc, NULL, NULL, &out, &err, &local)) {
        g_set_error (error, FSIM_GRAPHVIZ_ERROR, FSIM_GRAPHVIZ_ERROR_FAILED,
                     "cannot run Graphviz '%s': %s", program, local->message);
        return NULL;
    }
    if (!g_subprocess_get_successful (proc)) {
        g_autofree char *line = first_line (err);
        g_set_error (error, FSIM_GRAPHVIZ_ERROR, FSIM_GRAPHVIZ_ERROR_FAILED,
                     "Graphviz '%s %s' failed: %s", program, option, line);
        return NULL;
    }
    if (out == NULL || g_bytes_get_size (out) == 0) {
        g_set_error (error, FSIM_GRAPHVIZ_ERROR, FSIM_GRAPHVIZ_ERROR_FAILED,
                     "Graphviz '%s %s' wrote nothing", program, option);
        return NULL;
    }
    return g_steal_pointer (&out);
}

GBytes *
fsim_graphviz_render (const char *program, const char *dot, const char *format, GError **error)
{
    g_return_val_if_fail (dot != NULL && format != NULL, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);
    gboolean named = program && *program;
    g_autofree char *found = fsim_graphviz_program (program);
    if (found == NULL) {
        /* the command line's FLOWSIM_DOT is the only way a user names the program */
        g_set_error (error, FSIM_GRAPHVIZ_ERROR, FSIM_GRAPHVIZ_ERROR_MISSING,
                     "%s output needs Graphviz, but '%s' was not found%s (install the graphviz "
                     "package, or set FLOWSIM_DOT to the dot program)",
                     format, named ? program : "dot", named ? " (FLOWSIM_DOT)" : " in PATH");
        return NULL;
    }
    g_autoptr (FsimOutput) input = write_input (dot, error);
    if (input == NULL)
        return NULL;
    return run_dot (found, fsim_output_path (input), format, error);
}

gboolean
fsim_graphviz_convert (const char *program, GString *text, const char *format, GError **error)
{
    g_return_val_if_fail (text != NULL && format != NULL, FALSE);

    if (strcmp (format, "dot") == 0)
        return TRUE;
    g_autoptr (GBytes) drawing = fsim_graphviz_render (program, text->str, format, error);
    if (drawing == NULL)
        return FALSE;
    gsize len = 0;
    const char *data = g_bytes_get_data (drawing, &len);
    g_string_truncate (text, 0);
    g_string_append_len (text, data, (gssize) len);
    return TRUE;
}
