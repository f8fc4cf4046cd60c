/* SPDX-License-Identifier: MIT */
/* graphviz.c: runs Graphviz's `dot` as a subprocess (no shell) to lay out DOT as SVG or PNG;
 * its input, output and errors are files without a name (fsim_output_scratch()), so nothing is
 * left in $TMPDIR whatever ends either process; what it draws is read back into a room made
 * with a tried allocation. */
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

/* The first non-empty line of the first 4 KiB of @fd (dot's stderr), cleaned for a message. */
static char *
first_line (int fd)
{
    char head[4096];
    ssize_t got = pread (fd, head, sizeof head, 0);
    size_t len = got > 0 ? (size_t) got : 0;
    g_autofree char *text = g_utf8_make_valid (head, (gssize) len);
    g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
    for (char **l = lines; *l; l++) {
        g_strstrip (*l);
        if (**l)
            return g_strdup (*l);
    }
    return g_strdup ("no message");
}

/* Writes @dot to a new file without a name, which @program then reads as its stdin: a pipe to
 * a `dot` that dies early would kill flowsim with SIGPIPE. Returns: the descriptor, at the
 * file's start; or -1 with @error set. */
static int
write_input (const char *dot, GError **error)
{
    g_autoptr (GError) local = NULL;
    int fd = fsim_output_scratch (&local);
    size_t len = strlen (dot), done = 0;
    int saved = 0;

    while (fd >= 0 && saved == 0 && done < len) {
        ssize_t n = write (fd, dot + done, len - done);
        saved = n < 0 && errno != EINTR ? errno : 0;
        done += n > 0 ? (size_t) n : 0;
    }
    if (fd >= 0 && saved == 0 && lseek (fd, 0, SEEK_SET) == 0)
        return fd;
    if (fd >= 0) {
        saved = saved ? saved : errno;
        g_set_error (&local, G_FILE_ERROR, g_file_error_from_errno (saved), "%s",
                     g_strerror (saved));
        close (fd);
    }
    g_set_error (error, FSIM_GRAPHVIZ_ERROR, FSIM_GRAPHVIZ_ERROR_FAILED,
                 "cannot write the graph for Graphviz: %s", local->message);
    return -1;
}

/* Appends the drawing in @fd (dot's stdout) to @drawing: its size checked against
 * FSIM_GRAPHVIZ_MAX_BYTES, its room made with one tried allocation, then read into it. FALSE
 * with @error, @drawing unchanged. */
static gboolean
read_drawing (int fd, const char *what, GString *drawing, GError **error)
{
    struct stat st;
    if (fstat (fd, &st) != 0) {
        int saved = errno;
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
        ssize_t n = pread (fd, drawing->str + start + got, (size_t) (size - got), (off_t) got);
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

/* Starts `dot` (@argv) from @launcher and waits for it. FALSE with @error when it could not run,
 * was stopped by its CPU limit (FSIM_GRAPHVIZ_ERROR_TOO_LARGE, with @advice) or failed (the
 * first line of its stderr, the file @err). */
static gboolean
wait_dot (GSubprocessLauncher *launcher, const char *const *argv, int err, const char *what,
          const char *advice, GError **error)
{
    const char *program = argv[0];
    g_autoptr (GError) local = NULL;
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
        g_autofree char *line = first_line (err);
        g_set_error (error, FSIM_GRAPHVIZ_ERROR, FSIM_GRAPHVIZ_ERROR_FAILED,
                     "Graphviz '%s' failed: %s", what, line);
        return FALSE;
    }
    return TRUE;
}

/* Runs @program -T@format with the file @input (taken) as its stdin and its stdout and stderr
 * going to files without a name (no pipe is read whole into memory), then appends its stdout to
 * @drawing (read_drawing()). */
static gboolean
run_dot (const char *program, int input, const char *format, const char *advice, GString *drawing,
         GError **error)
{
    g_autofree char *option = g_strconcat ("-T", format, NULL);
    g_autofree char *what = g_strdup_printf ("%s %s", program, option);
    const char *argv[] = { program, option, NULL };
    g_autoptr (GError) local = NULL;
    g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
    g_subprocess_launcher_take_stdin_fd (launcher, input); /* the launcher closes it */
    int out = fsim_output_scratch (&local), err = out >= 0 ? fsim_output_scratch (&local) : -1;
    int out_copy = err >= 0 ? dup (out) : -1, err_copy = out_copy >= 0 ? dup (err) : -1;
    if (err_copy < 0) {
        if (local == NULL)
            g_set_error_literal (&local, G_FILE_ERROR, g_file_error_from_errno (errno),
                                 g_strerror (errno));
        const int opened[] = { out, err, out_copy };
        for (size_t i = 0; i < G_N_ELEMENTS (opened); i++)
            if (opened[i] >= 0)
                close (opened[i]);
        g_set_error (error, FSIM_GRAPHVIZ_ERROR, FSIM_GRAPHVIZ_ERROR_FAILED,
                     "cannot make a file for Graphviz's output: %s", local->message);
        return FALSE;
    }
    g_subprocess_launcher_take_stdout_fd (launcher, out_copy);
    g_subprocess_launcher_take_stderr_fd (launcher, err_copy);
    g_subprocess_launcher_set_child_setup (launcher, limit_child, NULL, NULL);
    gboolean ok = wait_dot (launcher, argv, err, what, advice, error) &&
                  read_drawing (out, what, drawing, error);
    close (out);
    close (err);
    return ok;
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
    int input = write_input (dot, error);
    return input >= 0 && run_dot (found, input, format, bounds->advice, drawing, error);
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
