/* SPDX-License-Identifier: MIT */
/* import-igraph.c: GraphML and GML files through igraph's readers, with vertex attributes. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <igraph.h>

#include "friends.h"
#include "graph-private.h"
#include "import.h"
#include "memory.h"

/*
 * Reading runs under the igraph lock (fsim_i_graph_call()), which makes the process-wide state
 * it swaps safe: igraph's C attribute handler is attached only while a file is read (so that
 * nothing else in graph/ pays for attributes), and the error handler is swapped for one that
 * keeps igraph's message (e.g. the parser's line number), which igraph_strerror() lacks.
 */
static char captured_reason[512];
static gboolean captured_nomem;

/* IGRAPH_CHECK reports an error again, with an empty reason, at every level it passes through:
 * keep the first, innermost reason. igraph's GraphML reader reports a failed allocation in its
 * parser callbacks as a parse error on the way out: remember that memory ran out. */
static void
capture_error (const char *reason, const char *file, int line, igraph_error_t igraph_errno)
{
    if (captured_reason[0] == '\0' && reason != NULL)
        g_strlcpy (captured_reason, reason, sizeof captured_reason);
    captured_nomem |= igraph_errno == IGRAPH_ENOMEM;
    fsim_i_graph_error_ignore (reason, file, line, igraph_errno);
}

static igraph_error_t
attr_numbers (const igraph_t *g, const char *name, gboolean boolean, FsimAttr *a)
{
    igraph_integer_t n = igraph_vcount (g);

    a->numbers = fsim_try_new ((size_t) MAX (n, 1), sizeof (double), NULL, NULL);
    if (a->numbers == NULL)
        IGRAPH_ERROR ("out of memory for a node attribute", IGRAPH_ENOMEM);
    if (boolean) {
        igraph_vector_bool_t values;

        IGRAPH_VECTOR_BOOL_INIT_FINALLY (&values, 0);
        IGRAPH_CHECK (igraph_cattribute_VABV (g, name, igraph_vss_all (), &values));
        for (igraph_integer_t u = 0; u < n; u++)
            a->numbers[u] = VECTOR (values)[u] ? 1.0 : 0.0;
        igraph_vector_bool_destroy (&values);
    } else {
        igraph_vector_t values;

        IGRAPH_VECTOR_INIT_FINALLY (&values, 0);
        IGRAPH_CHECK (igraph_cattribute_VANV (g, name, igraph_vss_all (), &values));
        for (igraph_integer_t u = 0; u < n; u++)
            a->numbers[u] = VECTOR (values)[u];
        igraph_vector_destroy (&values);
    }
    IGRAPH_FINALLY_CLEAN (1);
    return IGRAPH_SUCCESS;
}

static igraph_error_t
attr_strings (const igraph_t *g, const char *name, FsimAttr *a)
{
    igraph_integer_t n = igraph_vcount (g);
    igraph_strvector_t values;

    IGRAPH_STRVECTOR_INIT_FINALLY (&values, 0);
    IGRAPH_CHECK (igraph_cattribute_VASV (g, name, igraph_vss_all (), &values));
    a->strings = fsim_try_new0 ((size_t) MAX (n, 1), sizeof (char *), NULL, NULL);
    if (a->strings == NULL)
        IGRAPH_ERROR ("out of memory for a node attribute", IGRAPH_ENOMEM);
    /* tried, not g_strdup: the strings are the file's, up to 64 KiB each (issue 11) */
    for (igraph_integer_t u = 0; u < n; u++) {
        const char *s = igraph_strvector_get (&values, u);
        if ((a->strings[u] = strdup (s != NULL ? s : "")) == NULL)
            IGRAPH_ERROR ("out of memory for a node attribute", IGRAPH_ENOMEM);
    }
    igraph_strvector_destroy (&values);
    IGRAPH_FINALLY_CLEAN (1);
    return IGRAPH_SUCCESS;
}

/* Appends every numeric, boolean or string vertex attribute of @g to @t (others are skipped).
 * An attribute is counted before it is filled, so that on error fsim_imported_free() frees
 * the partial one too. */
static igraph_error_t
collect_attrs (const igraph_t *g, FsimAttrTable *t)
{
    igraph_strvector_t names;
    igraph_vector_int_t types;
    igraph_integer_t count;

    IGRAPH_STRVECTOR_INIT_FINALLY (&names, 0);
    IGRAPH_VECTOR_INT_INIT_FINALLY (&types, 0);
    IGRAPH_CHECK (igraph_cattribute_list (g, NULL, NULL, &names, &types, NULL, NULL));
    count = igraph_strvector_size (&names);
    /* a file may declare many attributes (GraphML keys, GML keys): tried, not GLib's */
    t->attrs = fsim_try_new0 ((size_t) MAX (count, 1), sizeof (FsimAttr), NULL, NULL);
    if (!t->attrs)
        IGRAPH_ERROR ("out of memory for the node attributes", IGRAPH_ENOMEM);
    for (igraph_integer_t i = 0; i < count; i++) {
        FsimAttr *a = &t->attrs[t->n_attrs];
        igraph_integer_t type = VECTOR (types)[i];
        const char *name = igraph_strvector_get (&names, i);

        if (type == IGRAPH_ATTRIBUTE_NUMERIC || type == IGRAPH_ATTRIBUTE_BOOLEAN) {
            a->type = type == IGRAPH_ATTRIBUTE_NUMERIC ? FSIM_ATTR_NUMBER : FSIM_ATTR_BOOLEAN;
            a->name = g_strdup (name);
            t->n_attrs++;
            IGRAPH_CHECK (attr_numbers (g, name, type == IGRAPH_ATTRIBUTE_BOOLEAN, a));
        } else if (type == IGRAPH_ATTRIBUTE_STRING) {
            a->type = FSIM_ATTR_STRING;
            a->name = g_strdup (name);
            t->n_attrs++;
            IGRAPH_CHECK (attr_strings (g, name, a));
        }
    }
    igraph_vector_int_destroy (&types);
    igraph_strvector_destroy (&names);
    IGRAPH_FINALLY_CLEAN (2);
    return IGRAPH_SUCCESS;
}

/* Reads @fp into @imp (friends and attrs). On error the graph has been destroyed by the
 * handler and @imp may hold a partial attribute table, which the caller frees. */
static igraph_error_t
read_locked (FILE *fp, FsimImportFormat format, FsimImported *imp)
{
    igraph_t g;
    CsrBuilder b;

    if (format == FSIM_IMPORT_GRAPHML)
        IGRAPH_CHECK (igraph_read_graph_graphml (&g, fp, 0));
    else
        IGRAPH_CHECK (igraph_read_graph_gml (&g, fp));
    IGRAPH_FINALLY (igraph_destroy, &g);
    if ((uint64_t) igraph_vcount (&g) > UINT32_MAX)
        IGRAPH_ERROR ("More than 4294967295 users.", IGRAPH_EOVERFLOW);
    if (!fsim_i_csr_begin (&b, (size_t) igraph_vcount (&g)))
        IGRAPH_ERROR ("Cannot allocate the friend lists.", IGRAPH_ENOMEM);
    IGRAPH_FINALLY (fsim_i_csr_clear, &b);
    IGRAPH_CHECK (fsim_i_igraph_into_builder (&g, &b));
    imp->attrs.n_users = b.n_users;
    IGRAPH_CHECK (collect_attrs (&g, &imp->attrs));
    IGRAPH_FINALLY_CLEAN (1); /* the builder: finished below, after igraph is done */
    igraph_destroy (&g);
    IGRAPH_FINALLY_CLEAN (1);
    imp->friends = fsim_i_csr_finish (&b);
    if (imp->friends == NULL)
        IGRAPH_ERROR ("Cannot allocate the friend lists.", IGRAPH_ENOMEM);
    return IGRAPH_SUCCESS;
}

typedef struct {
    FILE *fp;
    FsimImportFormat format;
    FsimImported *imp;
    char reason[512]; /* the captured reason and memory flag, copied out under the lock */
    gboolean nomem;
} ReadCall;

/*
 * The words of igraph's and libxml2's messages about a GML or GraphML file that are not copied
 * from it. Any other word or number in a message (a name libxml2 quotes, such as a mismatched
 * tag, a name or value igraph quotes, a number not after "line") and any byte outside printable
 * ASCII may come from a file the user did not write, perhaps a secret one named by someone
 * else's scenario, and is shown as "…" (docs/robustness.md). Punctuation is kept.
 */
#define WITHHELD "\xe2\x80\xa6" /* "…" */

/* clang-format off */
static const char *const message_words[] = {
    "a", "absolute", "add", "allocation", "allowed", "an", "and", "at", "attr", "attribute",
    "attributes", "attvalue", "be", "because", "between", "blank", "boolean", "buffer", "build",
    "by", "cannot", "cdata", "char", "character", "characters", "combine", "comment", "construct",
    "content", "copy", "corresponding", "could", "couldn", "create", "data", "declaration",
    "defined", "detected", "do", "document", "double", "dtd", "duplicate", "dynamic", "edge",
    "edgedefault", "edges", "element", "empty", "encoding", "encountered", "end", "ending",
    "endtag", "entity", "entityref", "error", "expected", "expecting", "external", "extra",
    "failed", "fatal", "fields", "file", "find", "flex", "for", "found", "gml", "graph", "graphml",
    "handled", "has", "here", "id", "ignoring", "in", "indicate", "input", "integer", "internal",
    "invalid", "io", "is", "jammed", "key", "keyword", "line", "list", "load", "malformed",
    "mandates", "match", "memory", "mismatch", "missing", "multiple", "must", "name", "namespace",
    "needed", "no", "node", "non", "not", "number", "object", "of", "on", "only", "opening", "or",
    "out", "parse", "parser", "parsing", "pcdata", "prefix", "premature", "proper", "range",
    "read", "reader", "real", "recursion", "redefined", "reference", "references", "required",
    "scanner", "section", "sequence", "source", "space", "specification", "standalone", "start",
    "starttag", "state", "string", "syntax", "t" /* couldn't */, "tag", "target", "terminated",
    "the", "to", "tree", "trie", "type", "types", "undirected", "unescaped", "unexpected",
    "unknown", "unsupported", "uri", "utf", "value", "values", "version", "vertex", "vertices",
    "was", "while", "with", "xml", "xmlchar", "xmlparsecharref",
};
/* clang-format on */

static gboolean
is_message_word (const char *w, size_t len)
{
    for (size_t i = 0; i < G_N_ELEMENTS (message_words); i++)
        if (strlen (message_words[i]) == len && g_ascii_strncasecmp (w, message_words[i], len) == 0)
            return TRUE;
    return FALSE;
}

/* Appends "…" to @out unless it already ends with one. */
static void
append_withheld (GString *out)
{
    if (!g_str_has_suffix (out->str, WITHHELD))
        g_string_append (out, WITHHELD);
}

/* @reason with everything that may come from the file withheld (transfer full). */
static char *
withhold_file_text (const char *reason)
{
    GString *out = g_string_new (NULL);
    gboolean after_line = FALSE; /* a number here is a line number */

    for (const char *p = reason; *p != '\0';) {
        const char *q = p + 1;
        if (g_ascii_isalnum (*p) || *p == '_') {
            gboolean digits = g_ascii_isdigit (*p);
            while (*q && (digits ? g_ascii_isdigit (*q) : g_ascii_isalnum (*q) || *q == '_'))
                q++;
            if (digits ? after_line : is_message_word (p, (size_t) (q - p)))
                g_string_append_len (out, p, q - p);
            else
                append_withheld (out);
            after_line = !digits && q - p == 4 && g_ascii_strncasecmp (p, "line", 4) == 0;
        } else if (g_ascii_isprint (*p)) {
            g_string_append_c (out, *p);
            after_line &= *p == ' ';
        } else {
            append_withheld (out);
        }
        p = q;
    }
    return g_string_free (out, FALSE);
}

/* Through fsim_i_graph_call(), which restores the handler and table if this cannot. */
static igraph_error_t
read_with_handlers (void *data)
{
    ReadCall *call = data;
    igraph_attribute_table_t *old_table;
    igraph_error_handler_t *old_handler;
    igraph_error_t rc;

    captured_reason[0] = '\0';
    captured_nomem = FALSE;
    old_table = igraph_set_attribute_table (&igraph_cattribute_table);
    old_handler = igraph_set_error_handler (capture_error);
    rc = read_locked (call->fp, call->format, call->imp);
    igraph_set_error_handler (old_handler);
    igraph_set_attribute_table (old_table);
    g_autofree char *shown = withhold_file_text (captured_reason);
    g_strlcpy (call->reason, shown, sizeof call->reason);
    call->nomem = captured_nomem;
    return rc;
}

static void
set_read_error (const char *path, const ReadCall *call, igraph_error_t rc, GError **error)
{
    FsimGraphError code = FSIM_GRAPH_ERROR_FAILED;

    if (rc == IGRAPH_ENOMEM || call->nomem)
        code = FSIM_GRAPH_ERROR_NOMEM;
    else if (rc == IGRAPH_PARSEERROR)
        code = FSIM_GRAPH_ERROR_PARSE;
    else if (rc == IGRAPH_EOVERFLOW)
        code = FSIM_GRAPH_ERROR_INVALID;
    /* a reason from igraph's fatal handler (its own words) may be cut short: messages are UTF-8 */
    g_autofree char *reason = g_utf8_make_valid (call->reason, -1);
    /* igraph's words for a failed allocation are its data structures' ("Cannot reserve space
     * for vector.", "indheap init failed"), mostly withheld ("Cannot … ….") and of no use to
     * the reader: say what happened instead */
    if (code == FSIM_GRAPH_ERROR_NOMEM && strstr (reason, WITHHELD) != NULL) {
        g_free (reason);
        reason = g_strdup ("memory ran out while igraph read the graph");
    }

    /* the line igraph gives (libxml2's "Line N: ...", its GML reader's "..., line N ...") is
     * said first, FILE:LINE as every other error; no column is known */
    const char *text = reason, *at = NULL;
    if (g_str_has_prefix (reason, "Line ") && g_ascii_isdigit (reason[5]))
        at = reason + 5;
    else if ((at = strstr (reason, ", line ")) != NULL && g_ascii_isdigit (at[7]))
        at += 7;
    else
        at = NULL;
    g_autofree char *where =
        at ? g_strdup_printf (":%" G_GUINT64_FORMAT, g_ascii_strtoull (at, NULL, 10))
           : g_strdup ("");
    if (at == reason + 5) {
        text = strchr (at, ':') ? strchr (at, ':') + 1 : at;
        text += *text == ' ';
    }

    g_set_error (error, FSIM_GRAPH_ERROR, code, "%s%s: %s: %s (igraph: %s, error %d)", path, where,
                 call->format == FSIM_IMPORT_GRAPHML ? "GraphML" : "GML",
                 text[0] != '\0' ? text : "cannot read the graph",
                 code == FSIM_GRAPH_ERROR_NOMEM ? "out of memory" : igraph_strerror (rc), (int) rc);
}

/*
 * A NUL byte (the NUL rule, docs/robustness.md), refused at its line and column before igraph
 * reads: its GML reader says "syntax error, unexpected ERROR" at a line, and libxml2 for GraphML
 * "Couldn't find end of Start Tag" or "detected an error in element content", with no column
 * and no word of a NUL. Columns count bytes from the line's start (after a byte order mark).
 */
static gboolean
check_no_nul (const char *path, FsimImportFormat format, const char *data, gsize len,
              GError **error)
{
    const char *nul = memchr (data, '\0', len);
    gsize line = 1, line_start = len >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;

    if (nul == NULL)
        return TRUE;
    for (const char *c = data; (c = memchr (c, '\n', (gsize) (nul - c))) != NULL; c++) {
        line++;
        line_start = (gsize) (c - data) + 1;
    }
    g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_PARSE,
                 "%s:%" G_GSIZE_FORMAT ":%" G_GSIZE_FORMAT ": a NUL byte, which a %s file cannot "
                 "contain",
                 path, line, (gsize) (nul - data) - line_start + 1,
                 format == FSIM_IMPORT_GRAPHML ? "GraphML" : "GML");
    return FALSE;
}

/*
 * What igraph's GML reader does badly, refused before it sees the file (GML strings run from
 * one '"' to the next, with no escapes; a line starting with '#' is a comment):
 *   - its lexer takes time in the square of a string's length, so a file of one long string
 *     inside the size limit would take hours: a string longer than FSIM_IMPORT_GML_MAX_STRING;
 *   - its lexer stops at the 32nd nested list with "syntax error, unexpected ERROR", which
 *     says neither why nor where: a list nested more than FSIM_IMPORT_GML_MAX_DEPTH deep.
 * Also counts into @out what igraph's reader holds (check_gml_memory()).
 */
typedef struct {
    guint64 string_bytes, strings; /* the strings' bytes, and how many */
    guint64 tokens;                /* keys, values, strings and brackets */
} GmlText;

static gboolean
check_gml_text (const char *path, const char *data, gsize len, GmlText *out, GError **error)
{
    guint64 string_bytes = 0, strings = 0, tokens = 0;
    gsize line = 1, line_start = 0, start_line = 0, start_col = 0, start = 0, depth = 0;
    gboolean in_string = FALSE, in_word = FALSE;
    if (len >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0) /* skipped: see below */
        line_start = 3;
    for (gsize i = line_start; i < len; i++) {
        char c = data[i];
        if (c == '"') {
            if (in_string) {
                string_bytes += i - start;
                strings++;
            } else {
                tokens++;
            }
            in_string = !in_string;
            in_word = FALSE;
            start = i;
            start_line = line;
            start_col = i - line_start + 1;
        } else if (in_string) {
            if (i - start > FSIM_IMPORT_GML_MAX_STRING) {
                g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_PARSE,
                             "%s:%" G_GSIZE_FORMAT ":%" G_GSIZE_FORMAT
                             ": a string longer than %" G_GSIZE_FORMAT
                             " bytes (igraph's GML reader takes time in the square of a "
                             "string's length)",
                             path, start_line, start_col, FSIM_IMPORT_GML_MAX_STRING);
                return FALSE;
            }
        } else if (c == '#' && i == line_start) {
            while (i + 1 < len && data[i + 1] != '\n' && data[i + 1] != '\r' && data[i + 1])
                i++;
        } else if (c == '[' && ++depth > FSIM_IMPORT_GML_MAX_DEPTH) {
            g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_PARSE,
                         "%s:%" G_GSIZE_FORMAT ":%" G_GSIZE_FORMAT ": lists nested more than %d "
                         "deep (igraph's GML reader reads no deeper)",
                         path, line, i - line_start + 1, FSIM_IMPORT_GML_MAX_DEPTH);
            return FALSE;
        } else if (c == ']' && depth > 0) {
            depth--;
        }
        if (!in_string && c != '"') { /* a token: a bracket, or a word's first byte */
            gboolean blank = c == ' ' || c == '\t' || c == '\r' || c == '\n';
            gboolean bracket = c == '[' || c == ']';
            tokens += bracket || (!blank && !in_word);
            in_word = !blank && !bracket;
        }
        if (c == '\n') {
            line++;
            line_start = i + 1;
        }
    }
    if (in_string) {
        /* igraph's lexer says "syntax error, unexpected ERROR" at the line of what follows */
        g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_PARSE,
                     "%s:%" G_GSIZE_FORMAT ":%" G_GSIZE_FORMAT
                     ": unterminated string (no closing '\"' before the end of the file; a GML "
                     "string runs from one '\"' to the next)",
                     path, start_line, start_col);
        return FALSE;
    }
    *out = (GmlText){ .string_bytes = string_bytes, .strings = strings, .tokens = tokens };
    return TRUE;
}

/*
 * igraph reads a GraphML or GML file into structures of its own, many times the file's size,
 * and loses some of its out-of-memory errors (an assertion in its string vectors,
 * sv->stor_begin != NULL) or reports them in its own words. So the memory it will need, @need
 * bytes (estimated from the file's counts, below), is checked before it is called: against
 * fsim_memory_limit() with the file's bytes that flowsim holds meanwhile (@len), then tried
 * (fsim_memory_reserve()). FALSE with FSIM_GRAPH_ERROR_NOMEM naming the file and @what.
 */
static gboolean
check_igraph_memory (const char *path, gsize len, guint64 need, const char *what, GError **error)
{
    guint64 limit = fsim_memory_limit ();

    if ((double) need + (double) len > (double) limit) {
        g_autofree char *whose = fsim_memory_whose ();
        g_autofree char *has = fsim_memory_size_text ((double) need + (double) len);
        g_autofree char *can = fsim_memory_size_text ((double) limit);
        g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_NOMEM,
                     "%s: out of memory: reading it needs about %s (the file and %s), more than "
                     "%s (%s)",
                     path, has, what, whose, can);
        return FALSE;
    }
    if (fsim_memory_reserve (need, what, error))
        return TRUE;
    g_prefix_error (error, "%s: ", path);
    return FALSE;
}

/*
 * igraph gives every node a value of every node attribute (every GraphML <key> for nodes, every
 * key any GML node has), defaults included, and every edge one of every edge attribute, and
 * flowsim copies the node attributes (collect_attrs): 5,000 <key>s and 100,000 <node>s, a 2 MB
 * file, ask for 4 GB; 20,000 GML nodes of a key each (0.5 MB) took 6.4 GB. So that memory is
 * checked first, 8 bytes a value in igraph and 8 in flowsim's copy at least, against
 * fsim_memory_limit() (FLOWSIM_MEMORY_LIMIT included) and then tried (check_igraph_memory()):
 * FALSE with FSIM_GRAPH_ERROR_NOMEM if it cannot be had now.
 */
static gboolean
check_attribute_memory (const char *path, gsize len, FsimImportFormat format, guint64 nodes,
                        guint64 node_keys, guint64 edges, guint64 edge_keys, GError **error)
{
    /* each count is below the file's size: no overflow */
    guint64 values = node_keys * nodes * 2 + edge_keys * edges;
    gboolean graphml = format == FSIM_IMPORT_GRAPHML;
    if (values == 0)
        return TRUE;
    g_autofree char *edge_part =
        edge_keys == 0 ? g_strdup ("")
                       : g_strdup_printf (", and each of %" G_GUINT64_FORMAT " friendships one of "
                                          "each of %" G_GUINT64_FORMAT " edge attributes",
                                          edges, edge_keys);
    g_autofree char *what = g_strdup_printf (
        "igraph's %s reader to give each of %" G_GUINT64_FORMAT " users a value of each of "
        "%" G_GUINT64_FORMAT " node attributes%s (%s)",
        graphml ? "GraphML" : "GML", nodes, node_keys, edge_part,
        graphml ? "the file's <key>s" : "every key that a node, or an edge, of the file has");
    return check_igraph_memory (path, len, values * 8, what, error);
}

/*
 * igraph's GML reader builds a tree of the whole file, a node per token, then the graph and
 * its attributes: 59 to 92 bytes resident per token measured, 124 to 130 of address space
 * (what RLIMIT_AS counts; docs/robustness.md, "The MPI trace and graph imports, tried"). It
 * keeps each string twice while it reads (in the tree, then in the attribute's string vector)
 * and flowsim copies it once more (collect_attrs). Estimated: GML_TOKEN_BYTES per token (half
 * as much again as the most measured), three copies of
 * every string and malloc's header for each, and GML_SLACK for the rest (its lexer's buffer,
 * twice the longest string at most).
 */
#define GML_TOKEN_BYTES 192
#define GML_SLACK ((guint64) 4 << 20)
static gboolean
check_gml_memory (const char *path, gsize len, const GmlText *t, GError **error)
{
    g_autofree char *strings =
        t->strings == 0 ? g_strdup ("")
                        : g_strdup_printf (" and %" G_GUINT64_FORMAT
                                           " strings of %" G_GUINT64_FORMAT " bytes three times",
                                           t->strings, t->string_bytes);
    g_autofree char *what = g_strdup_printf (
        "igraph's GML reader to hold its %" G_GUINT64_FORMAT " tokens%s", t->tokens, strings);
    guint64 need = GML_TOKEN_BYTES * t->tokens +
                   3 * (t->string_bytes + t->strings * 2 * sizeof (size_t)) + GML_SLACK;
    return check_igraph_memory (path, len, need, what, error);
}

/*
 * igraph's GraphML reader (libxml2's SAX parser) keeps a trie of the node ids, its edges and
 * every attribute value: about 190 bytes resident and 380 of address space per node, 45 to 120
 * per other element measured (docs/robustness.md, "The MPI trace and graph imports, tried").
 * Estimated: GRAPHML_NODE_BYTES per node of the first graph (@nodes, counted by
 * fsim_i_check_graphml_ids()) and GRAPHML_TAG_BYTES per start tag (a node's too), the file's
 * bytes once more for the attributes' text, and GRAPHML_SLACK.
 */
#define GRAPHML_NODE_BYTES 384
#define GRAPHML_TAG_BYTES 160
#define GRAPHML_SLACK ((guint64) 16 << 20)
static gboolean
check_graphml_memory (const char *path, const char *data, gsize len, gsize nodes, GError **error)
{
    guint64 tags = 0;

    for (const char *c = data; (c = memchr (c, '<', len - (gsize) (c - data))) != NULL; c++)
        tags += c + 1 < data + len && c[1] != '/' && c[1] != '!' && c[1] != '?';
    g_autofree char *what = g_strdup_printf ("igraph's GraphML reader to hold %" G_GSIZE_FORMAT
                                             " nodes and %" G_GUINT64_FORMAT " tags",
                                             nodes, tags);
    guint64 need =
        GRAPHML_NODE_BYTES * (guint64) nodes + GRAPHML_TAG_BYTES * tags + len + GRAPHML_SLACK;
    return check_igraph_memory (path, len, need, what, error);
}

/* Moves @fp past a UTF-8 byte order mark, which some editors write first: igraph's GML reader
 * stops at it with "syntax error, unexpected ERROR" (libxml2 reads it in GraphML). */
static void
skip_byte_order_mark (FILE *fp)
{
    unsigned char head[3];
    if (fread (head, 1, sizeof head, fp) != sizeof head || memcmp (head, "\xEF\xBB\xBF", 3) != 0)
        rewind (fp);
}

/*
 * fsim_i_import_igraph:
 * @format: FSIM_IMPORT_GRAPHML or FSIM_IMPORT_GML
 * Returns: (transfer full): the graph and its vertex attributes, or NULL with @error set
 *   (see fsim_import_file()).
 */
FsimImported *
fsim_i_import_igraph (const char *path, FsimImportFormat format, GError **error)
{
    FsimImported *imp;
    igraph_error_t rc;
    gsize len = 0;
    /* read whole, then given to igraph from memory: what igraph reads is what was checked,
     * and a file truncated meanwhile cannot crash anything */
    g_autofree char *data = fsim_i_import_read (path, format, &len, error);

    if (data == NULL)
        return NULL;
    GmlText gml = { 0 };
    if (!check_no_nul (path, format, data, len, error))
        return NULL;
    FsimGmlCounts counts = { 0 };
    if (format == FSIM_IMPORT_GML &&
        (!check_gml_text (path, data, len, &gml, error) ||
         !check_gml_memory (path, len, &gml, error) ||
         !fsim_i_count_gml_attributes (data, len, &counts, error) ||
         !check_attribute_memory (path, len, format, counts.nodes, counts.node_keys, counts.edges,
                                  counts.edge_keys, error)))
        return NULL;
    FsimGraphmlIds xml = { 0 };
    if (format == FSIM_IMPORT_GRAPHML &&
        (!fsim_i_check_graphml_ids (path, data, len, &xml, error) ||
         !check_graphml_memory (path, data, len, xml.nodes, error) ||
         !check_attribute_memory (path, len, format, xml.nodes, xml.node_keys, xml.edges,
                                  xml.edge_keys, error)))
        return NULL;
    /* fmemopen() of no bytes is an error in some C libraries: an empty file is read as one
     * line end (the buffer has room for it) */
    if (len == 0)
        data[len++] = '\n';
    FILE *fp = fmemopen (data, len, "r");
    if (fp == NULL) {
        g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_IO, "cannot read '%s': %s", path,
                     g_strerror (errno));
        return NULL;
    }
    if (format == FSIM_IMPORT_GML)
        skip_byte_order_mark (fp);
    imp = g_new0 (FsimImported, 1);
    imp->format = format;
    ReadCall call = { fp, format, imp, "", FALSE };
    char fatal[FSIM_I_GRAPH_REASON_SIZE] = "";
    rc = fsim_i_graph_call (read_with_handlers, &call, fatal);
    if (rc == IGRAPH_EINTERNAL && fatal[0] != '\0')
        g_strlcpy (call.reason, fatal, sizeof call.reason);
    if (rc == IGRAPH_EINVAL && format == FSIM_IMPORT_GRAPHML && xml.graphs == 0)
        /* igraph's words for it are "Graph index was too large" */
        g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_PARSE,
                     "%s: GraphML: no <graph> inside the root <graphml> in GraphML's namespace "
                     "(" FSIM_I_GRAPHML_NS ", or none), which is the graph igraph reads",
                     path);
    else if (rc != IGRAPH_SUCCESS)
        set_read_error (path, &call, rc, error);
    fclose (fp);
    if (rc == IGRAPH_SUCCESS && xml.by_count && imp->attrs.n_users != xml.nodes) {
        /* ids written with references or white space, which the scan could not compare */
        g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_PARSE,
                     "%s: GraphML: igraph read another number of users (%zu) than the file has "
                     "<node> tags (%" G_GSIZE_FORMAT "): a node id is declared twice, or an edge "
                     "names an id that no node has (ids written with '&', a tab or a line break "
                     "are compared as igraph reads them)",
                     path, (size_t) imp->attrs.n_users, xml.nodes);
        rc = IGRAPH_PARSEERROR;
    }
    if (rc != IGRAPH_SUCCESS) {
        fsim_imported_free (imp);
        return NULL;
    }
    for (size_t i = 0; format == FSIM_IMPORT_GRAPHML && !xml.id_key && i < imp->attrs.n_attrs; i++)
        if (imp->attrs.attrs[i].type == FSIM_ATTR_STRING &&
            strcmp (imp->attrs.attrs[i].name, "id") == 0)
            fsim_i_graphml_unescape_ids (imp->attrs.attrs[i].strings, imp->attrs.n_users);
    return imp;
}
