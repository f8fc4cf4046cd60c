/* SPDX-License-Identifier: MIT */
/* graphviz.c: runs Graphviz's `dot` as a subprocess (no shell) to lay out DOT as SVG or PNG;
 * what it writes goes to a temporary file, read back into a room made with a tried allocation. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "graphviz.h"
#include "output.h"
#include "room.h"

/* The quark's name is G_DEFINE_QUARK's first argument, spelt as it stands. */
/* clang-format off */
G_DEFINE_QUARK (fsim-graphviz-error-quark, fsim_graphviz_error)
/* clang-format on */

char *
fsim_graphviz_program (const char *program)
{
    return g_find_program_in_path (program && *program ? program : "dot");
}

/* The first non-empty line of the first 4 KiB of @path (dot's stderr), cleaned for a message. */
static char *
first_line (const char *path)
{
    char head[4096];
    size_t len = 0;
    FILE *f = fopen (path, "rb");
    if (f != NULL) {
        len = fread (head, 1, sizeof head, f);
        fclose (f);
    }
    g_autofree char *text = g_utf8_make_valid (head, (gssize) len);
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

/* An empty temporary file for dot's stdout or stderr (transfer full); freeing it removes it. */
static FsimOutput *
empty_temp (const char *suffix, GError **error)
{
    g_autoptr (GError) local = NULL;
    g_autoptr (FsimOutput) out = fsim_output_open_temp (suffix, &local);
    if (out != NULL && fsim_output_commit (out, &local))
        return g_steal_pointer (&out);
    g_set_error (error, FSIM_GRAPHVIZ_ERROR, FSIM_GRAPHVIZ_ERROR_FAILED,
                 "cannot make a file for Graphviz's output: %s", local->message);
    return NULL;
}

/* Appends the drawing in @path to @drawing: its size checked against FSIM_GRAPHVIZ_MAX_BYTES,
 * its room made with one tried allocation, then read into it. FALSE with @error, @drawing
 * unchanged. */
static gboolean
read_drawing (const char *path, const char *what, GString *drawing, GError **error)
{
    int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
    struct stat st;
    if (fd < 0 || fstat (fd, &st) != 0) {
        int saved = errno;
        if (fd >= 0)
            close (fd);
        g_set_error (error, FSIM_GRAPHVIZ_ERROR, FSIM_GRAPHVIZ_ERROR_FAILED,
                     "cannot read what Graphviz '%s' wrote: %s", what, g_strerror (saved));
        return FALSE;
    }
    gboolean ok = FALSE;
    guint64 size = (guint64) st.st_size;
    if (size == 0)
        g_set_error (error, FSIM_GRAPHVIZ_ERROR, FSIM_GRAPHVIZ_ERROR_FAILED,
                     "Graphviz '%s' wrote nothing", what);
    else if (size > FSIM_GRAPHVIZ_MAX_BYTES)
        g_set_error (error, FSIM_GRAPHVIZ_ERROR, FSIM_GRAPHVIZ_ERROR_FAILED,
                     "Graphviz '%s' wrote %" G_GUINT64_FORMAT
                     " bytes, more than the %" G_GUINT64_FORMAT " flowsim reads back",
                     what, size, (guint64) FSIM_GRAPHVIZ_MAX_BYTES);
    else
        ok = fsim_room_reserve (drawing, size, "the drawing from Graphviz", error);
    size_t start = drawing->len, got = 0;
    while (ok && got < size) {
        ssize_t n = read (fd, drawing->str + start + got, (size_t) (size - got));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            g_set_error (error, FSIM_GRAPHVIZ_ERROR, FSIM_GRAPHVIZ_ERROR_FAILED,
                         "cannot read what Graphviz '%s' wrote: %s", what,
                         n < 0 ? g_strerror (errno) : "the file shrank");
            ok = FALSE;
        }
        got += n > 0 ? (size_t) n : 0;
    }
    close (fd);
    drawing->str[ok ? start + got : start] = '\0';
    if (ok)
        drawing->len = start + got;
    return ok;
}

/* Lowers @resource to @soft (and a hard limit of @hard), never above the limits it has. */
static void
lower_limit (int resource, rlim_t soft, rlim_t hard)
{
    struct rlimit now, want = { soft, hard };
    if (getrlimit (resource, &now) != 0)
        return;
    if (now.rlim_max != RLIM_INFINITY && now.rlim_max < want.rlim_max)
        want.rlim_max = now.rlim_max;
    if (now.rlim_cur != RLIM_INFINITY && now.rlim_cur < want.rlim_cur)
        want.rlim_cur = now.rlim_cur;
    want.rlim_cur = MIN (want.rlim_cur, want.rlim_max);
    setrlimit (resource, &want);
}

/* In the child, before `dot` starts: at most FSIM_GRAPHVIZ_MAX_CPU_SECONDS of CPU time (then
 * SIGXCPU; SIGKILL a second later) and FSIM_GRAPHVIZ_MAX_MEMORY of address space. Only
 * getrlimit() and setrlimit(), system calls. */
static void
limit_child (gpointer data)
{
    (void) data;
    lower_limit (RLIMIT_CPU, FSIM_GRAPHVIZ_MAX_CPU_SECONDS, FSIM_GRAPHVIZ_MAX_CPU_SECONDS + 1);
    lower_limit (RLIMIT_AS, (rlim_t) FSIM_GRAPHVIZ_MAX_MEMORY, (rlim_t) FSIM_GRAPHVIZ_MAX_MEMORY);
}

/* Runs @program -T@format on @input with its stdout and stderr going to temporary files (no pipe
 * is read whole into memory), then appends its stdout to @drawing (read_drawing()). */
static gboolean
run_dot (const char *program, const char *input, const char *format, const char *advice,
         GString *drawing, GError **error)
{
    g_autofree char *option = g_strconcat ("-T", format, NULL);
    g_autofree char *what = g_strdup_printf ("%s %s", program, option);
    const char *argv[] = { program, option, input, NULL };
    g_autoptr (GError) local = NULL;
    g_autoptr (FsimOutput) out = empty_temp (".out", error);
    g_autoptr (FsimOutput) err = out ? empty_temp (".err", error) : NULL;
    if (err == NULL)
        return FALSE;
    g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
    g_subprocess_launcher_set_stdout_file_path (launcher, fsim_output_path (out));
    g_subprocess_launcher_set_stderr_file_path (launcher, fsim_output_path (err));
    g_subprocess_launcher_set_child_setup (launcher, limit_child, NULL, NULL);
    g_autoptr (GSubprocess) proc = g_subprocess_launcher_spawnv (launcher, argv, &local);

    if (proc == NULL || !g_subprocess_wait (proc, NULL, &local)) {
        g_set_error (error, FSIM_GRAPHVIZ_ERROR, FSIM_GRAPHVIZ_ERROR_FAILED,
                     "cannot run Graphviz '%s': %s", program, local->message);
        return FALSE;
    }
    if (g_subprocess_get_if_signaled (proc) && g_subprocess_get_term_sig (proc) == SIGXCPU) {
        g_set_error (error, FSIM_GRAPHVIZ_ERROR, FSIM_GRAPHVIZ_ERROR_TOO_LARGE,
                     "Graphviz '%s' was stopped after %d s of CPU time laying out the graph: %s",
                     what, FSIM_GRAPHVIZ_MAX_CPU_SECONDS, advice);
        return FALSE;
    }
    if (!g_subprocess_get_successful (proc)) {
        g_autofree char *line = first_line (fsim_output_path (err));
        g_set_error (error, FSIM_GRAPHVIZ_ERROR, FSIM_GRAPHVIZ_ERROR_FAILED,
                     "Graphviz '%s' failed: %s", what, line);
        return FALSE;
    }
    return read_drawing (fsim_output_path (out), what, drawing, error);
}

/* The nodes and edges of @dot, flowsim's own DOT: a statement (ended by ';' or a line's end)
 * whose first character is '"' (a quoted id) is a node, or as many edges as it has "->".
 * Quoted strings (with their escapes) and HTML-like labels (<...>, nested) are skipped. One
 * pass over the text. */
static void
count_graph (const char *dot, size_t *out_nodes, size_t *out_edges)
{
    size_t nodes = 0, edges = 0, arrows = 0;
    gboolean quoted_start = FALSE, at_start = TRUE;
    for (const char *c = dot; *c; c++) {
        if (*c == ';' || *c == '\n' || *c == '{' || *c == '}') {
            edges += arrows;
            nodes += quoted_start && arrows == 0;
            arrows = 0;
            quoted_start = FALSE;
            at_start = TRUE;
            continue;
        }
        if (*c == ' ' || *c == '\t' || *c == '\r')
            continue;
        if (at_start)
            quoted_start = *c == '"';
        at_start = FALSE;
        if (*c == '"') {
            while (c[1] && c[1] != '"')
                c += c[1] == '\\' && c[2] ? 2 : 1;
            c += c[1] ? 1 : 0;
        } else if (*c == '<') {
            size_t depth = 1;
            while (c[1] && depth > 0) {
                c++;
                if (*c == '<')
                    depth++;
                else if (*c == '>')
                    depth--;
            }
        } else if (*c == '-' && c[1] == '>') {
            arrows++;
            c++;
        }
    }
    *out_edges = edges + arrows;
    *out_nodes = nodes + (quoted_start && arrows == 0);
}

gboolean
fsim_graphviz_check_size (const char *dot, const FsimGraphvizBounds *bounds, GError **error)
{
    g_return_val_if_fail (dot != NULL && bounds != NULL && bounds->advice != NULL, FALSE);
    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
    size_t nodes = 0, edges = 0;
    count_graph (dot, &nodes, &edges);
    if (nodes <= bounds->max_nodes && edges <= bounds->max_edges)
        return TRUE;
    g_set_error (error, FSIM_GRAPHVIZ_ERROR, FSIM_GRAPHVIZ_ERROR_TOO_LARGE,
                 "the graph has %zu boxes and %zu lines, more than the %zu boxes and %zu lines "
                 "flowsim gives Graphviz to lay out (beyond them its layout can take minutes and "
                 "gigabytes): %s",
                 nodes, edges, bounds->max_nodes, bounds->max_edges, bounds->advice);
    return FALSE;
}

/* The drawing of @dot appended to @drawing (fsim_graphviz_render()): @dot counted against
 * @bounds first, `dot` run only on a graph within them. */
static gboolean
render_into (const char *program, const char *dot, const char *format,
             const FsimGraphvizBounds *bounds, GString *drawing, GError **error)
{
    if (!fsim_graphviz_check_size (dot, bounds, error))
        return FALSE;
    gboolean named = program && *program;
    g_autofree char *found = fsim_graphviz_program (program);
    if (found == NULL) {
        /* the command line's FLOWSIM_DOT is the only way a user names the program */
        g_set_error (error, FSIM_GRAPHVIZ_ERROR, FSIM_GRAPHVIZ_ERROR_MISSING,
                     "%s output needs Graphviz, but '%s' was not found%s (install the graphviz "
                     "package, or set FLOWSIM_DOT to the dot program)",
                     format, named ? program : "dot", named ? " (FLOWSIM_DOT)" : " in PATH");
        return FALSE;
    }
    g_autoptr (FsimOutput) input = write_input (dot, error);
    return input != NULL &&
           run_dot (found, fsim_output_path (input), format, bounds->advice, drawing, error);
}

GBytes *
fsim_graphviz_render (const char *program, const char *dot, const char *format,
                      const FsimGraphvizBounds *bounds, GError **error)
{
    g_return_val_if_fail (dot != NULL && format != NULL && bounds != NULL, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);
    GString *drawing = g_string_new (NULL);
    if (!render_into (program, dot, format, bounds, drawing, error)) {
        g_string_free (drawing, TRUE);
        return NULL;
    }
    return g_string_free_to_bytes (drawing);
}

gboolean
fsim_graphviz_convert (const char *program, GString *text, const char *format,
                       const FsimGraphvizBounds *bounds, GError **error)
{
    g_return_val_if_fail (text != NULL && format != NULL && bounds != NULL, FALSE);
    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

    if (strcmp (format, "dot") == 0)
        return TRUE;
    g_autoptr (GString) drawing = g_string_new (NULL);
    if (!render_into (program, text->str, format, bounds, drawing, error))
        return FALSE;
    /* the drawing's buffer takes the text's place: no copy, so no second room to make */
    GString swap = *text;
    *text = *drawing;
    *drawing = swap;
    return TRUE;
}
