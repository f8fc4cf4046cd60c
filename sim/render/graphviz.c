/* SPDX-License-Identifier: MIT */
/* graphviz.c: runs Graphviz's `dot` as a subprocess (no shell) to lay out DOT as SVG or PNG;
 * its input, output and errors are files without a name (fsim_output_scratch()), so nothing is
 * left in $TMPDIR whatever ends either process; what it draws is read back into a room made
 * with a tried allocation. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "graphviz.h"
#include "memory.h"
#include "output.h"
#include "room.h"
#include "text.h"

/* The quark's name is G_DEFINE_QUARK's first argument, spelt as it stands. */
/* clang-format off */
G_DEFINE_QUARK (fsim-graphviz-error-quark, fsim_graphviz_error)
/* clang-format on */

char *
fsim_graphviz_program (const char *program)
{
    return g_find_program_in_path (program && *program ? program : "dot");
}

/* The first non-empty line of the first 4 KiB of @fd (dot's stderr), cleaned for a message;
 * NULL when there is none. */
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
    return NULL;
}

/* "the folder for its files ('...', from $TMPDIR)": where Graphviz's files are, said when a
 * write there fails; they have no name, and $TMPDIR is not where the user looks. One line
 * ("a\nb" shown "a?b"). (transfer full) */
static char *
tmpdir_named (void)
{
    g_autofree char *folder = fsim_text_clean (g_get_tmp_dir ());
    return g_strdup_printf ("the folder for its files ('%s', from $TMPDIR)", folder);
}

/* Why `dot` failed, when it said nothing in @err: its output and its message both go to
 * $TMPDIR, and a full file system there loses both. */
static char *
silent_failure (int err)
{
    struct statvfs fs;
    if (fstatvfs (err, &fs) != 0 || fs.f_bavail != 0)
        return g_strdup ("no message");
    g_autofree char *where = tmpdir_named ();
    return g_strdup_printf ("no message, and %s has no space left: free some there, or set "
                            "TMPDIR to a folder with room",
                            where);
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
        g_autofree char *where = tmpdir_named ();
        saved = saved ? saved : errno;
        close (fd);
        g_set_error (error, FSIM_GRAPHVIZ_ERROR, FSIM_GRAPHVIZ_ERROR_FAILED,
                     "cannot write the graph for Graphviz in %s: %s", where, g_strerror (saved));
        return -1;
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
        if (line == NULL)
            line = silent_failure (err);
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

/* A quoted id of @dot, without its quotes, and where it was found among the ids. */
typedef struct {
    const char *s;
    size_t len;
    size_t pos;
} DotId;

/* What scan_graph() finds in @dot: its counts and, when @ids is not NULL, the ids it names in
 * the order they appear (room for nodes + 2 x edges) and each edge as a pair of positions in
 * @ids (room for 2 x edges). */
typedef struct {
    size_t nodes, edges; /* node statements; "->" */
    DotId *ids;          /* (nullable) */
    size_t n_ids;
    size_t *ends; /* tail, head of each edge drawn between two quoted ids */
    size_t n_ends;
} DotScan;

/* Skips the quoted string or HTML-like label that starts at @c; returns its last character. */
static const char *
skip_string (const char *c)
{
    if (*c == '"') {
        while (c[1] && c[1] != '"')
            c += c[1] == '\\' && c[2] ? 2 : 1;
        return c + (c[1] ? 1 : 0);
    }
    size_t depth = 1;
    while (c[1] && depth > 0) {
        c++;
        depth += *c == '<' ? 1 : *c == '>' ? (size_t) -1 : 0;
    }
    return c;
}

/* Records the id @s of @len bytes in @sc; returns its position. */
static size_t
add_id (DotScan *sc, const char *s, size_t len)
{
    sc->ids[sc->n_ids] = (DotId){ s, len, sc->n_ids };
    return sc->n_ids++;
}

/* The nodes and edges of @dot, flowsim's own DOT: a statement (ended by ';' or a line's end)
 * whose first character is '"' (a quoted id) is a node, or as many edges as it has "->", each
 * from the id before it to the quoted id after it. Quoted strings (with their escapes) and
 * HTML-like labels (<...>, nested) are skipped. One pass over the text. */
static void
scan_graph (const char *dot, DotScan *sc)
{
    size_t arrows = 0, tail = SIZE_MAX, first_len = 0;
    const char *first = NULL; /* the statement's first quoted id, if it starts with one */
    gboolean at_start = TRUE, chain = FALSE, want_head = FALSE;
    for (const char *c = dot;; c++) {
        if (*c == '\0' || *c == ';' || *c == '\n' || *c == '{' || *c == '}') {
            sc->edges += arrows;
            if (first && arrows == 0) {
                sc->nodes++;
                if (sc->ids)
                    add_id (sc, first, first_len);
            }
            if (*c == '\0')
                return;
            arrows = 0;
            first = NULL;
            at_start = TRUE;
            chain = want_head = FALSE;
            continue;
        }
        if (*c == ' ' || *c == '\t' || *c == '\r')
            continue;
        if (*c == '-' && c[1] == '>') {
            arrows++;
            c++;
            want_head = chain;
            at_start = FALSE;
            continue;
        }
        gboolean quoted = *c == '"';
        const char *last = quoted || *c == '<' ? skip_string (c) : c;
        size_t len = (size_t) (last - c) - (last > c && *last == '"' ? 1 : 0);
        if (quoted && at_start) {
            first = c + 1, first_len = len;
            tail = SIZE_MAX; /* the first id, recorded with the first edge from it */
        } else if (quoted && want_head && sc->ids) {
            if (tail == SIZE_MAX)
                tail = add_id (sc, first, first_len);
            sc->ends[sc->n_ends++] = tail;
            tail = add_id (sc, c + 1, len);
            sc->ends[sc->n_ends++] = tail;
        }
        chain = quoted && (at_start || want_head);
        at_start = want_head = FALSE;
        c = last;
    }
}

static gboolean
same_id (const DotId *x, const DotId *y)
{
    return x->len == y->len && memcmp (x->s, y->s, x->len) == 0;
}

/* Orders ids by their text, then by where they were found. */
static int
compare_ids (const void *a, const void *b)
{
    const DotId *x = a, *y = b;
    int c = memcmp (x->s, y->s, MIN (x->len, y->len));
    if (c == 0)
        c = (x->len > y->len) - (x->len < y->len);
    return c ? c : (x->pos > y->pos) - (x->pos < y->pos);
}

/* The graph of a DotScan, with a box numbered by the position where its id first appears. */
typedef struct {
    size_t n, m;      /* positions in the ids; edges */
    size_t *box;      /* [n]: the box of each position (the first position of its id) */
    size_t *first;    /* [n + 1]: where each box's edges start in @out */
    size_t *out;      /* [m]: edges, by the box they leave */
    size_t *rank;     /* [n]: each box's column */
    size_t *stack;    /* [n]: the depth-first search's boxes, */
    size_t *next;     /* [n]: each with the next of its edges to follow */
    size_t *finished; /* [n]: boxes in the order the search left them */
    guint8 *state;    /* [n]: 0 not seen, 1 on the stack, 2 finished */
    guint8 *back;     /* [m]: an edge that closes a cycle, turned round */
} DotLayers;

/* @l->box and the edges out of each box (@ids, sorted here; @ends: tail and head positions of
 * each edge). */
static void
link_boxes (DotLayers *l, DotId *ids, const size_t *ends)
{
    if (l->n > 1)
        qsort (ids, l->n, sizeof *ids, compare_ids);
    for (size_t i = 0; i < l->n; i++)
        l->box[ids[i].pos] =
            i > 0 && same_id (&ids[i - 1], &ids[i]) ? l->box[ids[i - 1].pos] : ids[i].pos;
    for (size_t e = 0; e < l->m; e++)
        l->first[l->box[ends[2 * e]] + 1]++;
    for (size_t v = 0; v < l->n; v++)
        l->first[v + 1] += l->first[v];
    memcpy (l->next, l->first, l->n * sizeof *l->next);
    for (size_t e = 0; e < l->m; e++)
        l->out[l->next[l->box[ends[2 * e]]]++] = e;
}

/* Dot's first two steps, as far as what they cost: a depth-first search from each box in
 * turn, in the order the boxes appear, turns round every edge that closes a cycle
 * (@l->back); then each box goes one column after the last box with an edge into it. */
static void
place_boxes (DotLayers *l, const size_t *ends)
{
    size_t n_finished = 0;
    for (size_t root = 0; root < l->n; root++) {
        if (l->box[root] != root || l->state[root])
            continue;
        size_t sp = 0;
        l->stack[sp++] = root;
        l->next[root] = l->first[root];
        l->state[root] = 1;
        while (sp > 0) {
            size_t v = l->stack[sp - 1];
            if (l->next[v] == l->first[v + 1]) {
                l->state[v] = 2;
                l->finished[n_finished++] = v;
                sp--;
                continue;
            }
            size_t e = l->out[l->next[v]++], w = l->box[ends[2 * e + 1]];
            if (l->state[w] == 1)
                l->back[e] = 1;
            else if (l->state[w] == 0) {
                l->state[w] = 1;
                l->next[w] = l->first[w];
                l->stack[sp++] = w;
            }
        }
    }
    for (size_t i = n_finished; i-- > 0;) { /* every edge left leads to a box finished before */
        size_t v = l->finished[i];
        for (size_t k = l->first[v]; k < l->first[v + 1]; k++) {
            size_t e = l->out[k], w = l->box[ends[2 * e + 1]];
            if (!l->back[e])
                l->rank[w] = MAX (l->rank[w], l->rank[v] + 1);
        }
    }
}

/* The columns of @sc's graph (scanned with its ids) and the columns its edges pass through
 * without a box of their own: Graphviz lays a line across k columns through k - 1 boxes it
 * adds ("virtual nodes"), and ordering those is what takes it minutes. Dot's own ranking
 * (network simplex) makes the sum of the edges' lengths as small as it can, so it adds at most
 * as many as counted here. */
static gboolean
measure_layers (DotScan *sc, size_t *out_columns, size_t *out_passes, GError **error)
{
    DotLayers l = { .n = sc->n_ids, .m = sc->n_ends / 2 };
    size_t words = 6 * l.n + 1 + l.m;
    g_autofree size_t *w = fsim_try_new0 (words, sizeof (size_t), "laying out the graph", error);
    g_autofree guint8 *flags =
        w ? fsim_try_new0 (l.n + l.m, 1, "laying out the graph", error) : NULL;
    if (flags == NULL)
        return FALSE;
    l.box = w, l.first = w + l.n, l.out = l.first + l.n + 1, l.rank = l.out + l.m;
    l.stack = l.rank + l.n, l.next = l.stack + l.n, l.finished = l.next + l.n;
    l.state = flags, l.back = flags + l.n;
    link_boxes (&l, sc->ids, sc->ends);
    place_boxes (&l, sc->ends);
    size_t columns = 0, passes = 0;
    for (size_t v = 0; v < l.n; v++)
        columns = MAX (columns, l.rank[v] + 1);
    for (size_t e = 0; e < l.m; e++) {
        size_t a = l.rank[l.box[sc->ends[2 * e]]], b = l.rank[l.box[sc->ends[2 * e + 1]]];
        passes += (a > b ? a - b : b - a) - (a != b);
    }
    *out_columns = columns;
    *out_passes = passes;
    return TRUE;
}

gboolean
fsim_graphviz_check_size (const char *dot, const FsimGraphvizBounds *bounds, GError **error)
{
    g_return_val_if_fail (dot != NULL && bounds != NULL && bounds->advice != NULL, FALSE);
    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
    DotScan sc = { 0 };
    scan_graph (dot, &sc);
    if (sc.nodes > bounds->max_nodes || sc.edges > bounds->max_edges) {
        g_set_error (error, FSIM_GRAPHVIZ_ERROR, FSIM_GRAPHVIZ_ERROR_TOO_LARGE,
                     "the graph has %zu boxes and %zu lines, more than the %zu boxes and %zu "
                     "lines flowsim gives Graphviz to lay out (beyond them its layout can take "
                     "minutes and gigabytes): %s",
                     sc.nodes, sc.edges, bounds->max_nodes, bounds->max_edges, bounds->advice);
        return FALSE;
    }
    /* within the bounds, so the room for its ids is bounded too */
    g_autofree DotId *ids =
        fsim_try_new (sc.nodes + 2 * sc.edges, sizeof (DotId), "laying out the graph", error);
    g_autofree size_t *ends =
        ids ? fsim_try_new (2 * sc.edges + 1, sizeof (size_t), "laying out the graph", error)
            : NULL;
    if (ends == NULL)
        return FALSE;
    DotScan full = { .ids = ids, .ends = ends };
    scan_graph (dot, &full);
    size_t columns = 0, passes = 0;
    if (!measure_layers (&full, &columns, &passes, error))
        return FALSE;
    if (passes <= bounds->max_passes)
        return TRUE;
    g_set_error (error, FSIM_GRAPHVIZ_ERROR, FSIM_GRAPHVIZ_ERROR_TOO_LARGE,
                 "the graph is %zu columns deep (partners that share with partners make a "
                 "chain), and its %zu lines pass through %zu columns without a box, more than "
                 "the %zu flowsim gives Graphviz to lay out (beyond them its layout can take "
                 "minutes): %s",
                 columns, sc.edges, passes, bounds->max_passes, bounds->advice);
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
