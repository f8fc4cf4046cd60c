/* SPDX-License-Identifier: MIT */
/*
 * import-graphml.c: the node ids of a GraphML file, checked before igraph reads it.
 *
 * igraph 0.10's GraphML reader merges two nodes of one id into one vertex and makes a new
 * vertex for an edge's source or target that no node declares, silently (its GML reader refuses
 * both). This scan of the text finds them first, at their line and column: it skips comments,
 * CDATA sections, processing instructions and the DOCTYPE, and reads the `id` of each `<node>`
 * and the `source` and `target` of each `<edge>` directly inside the first top-level `<graph>`
 * (the only one igraph reads; nested graphs are not its vertices). Ids are compared as written:
 * an id holding a reference (`&`) or white space other than a space (which XML normalises) may
 * equal another written differently, so the caller then compares igraph's vertex count with
 * the nodes counted here instead. A GraphML file is a foreign file: no id is ever echoed,
 * only locations (docs/robustness.md, "at most one character").
 * What is not well-formed is left to libxml2, which says where.
 */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "friends.h"
#include "graph-private.h"
#include "import.h"
#include "memory.h"

typedef enum { PASS_COUNT, PASS_NODES, PASS_EDGES } Pass;

typedef struct {
    const char *quote; /* the id's opening quote; NULL: a free slot */
    gsize at;          /* its node's '<' */
} IdSlot;

typedef struct {
    const char *path, *data;
    gsize len;
    Pass pass;
    gsize nodes;       /* <node>s of the first graph */
    gboolean by_count; /* an id was not comparable as written */
    IdSlot *ids;       /* the nodes' ids, open addressing: a power of two of slots */
    gsize mask;        /* slots - 1 */
    GError **error;
} Scan;

/* An attribute value as a key: a pointer to its opening quote; it runs to the next such quote.
 * FNV-1a, its bits mixed by a multiplication, the slot from the top bits. */
static gsize
value_slot (const Scan *s, const char *p)
{
    guint64 h = 0xcbf29ce484222325u;
    for (const char *c = p + 1; *c != *p; c++)
        h = (h ^ (guchar) *c) * 0x100000001b3u;
    return (gsize) ((h * 0x9e3779b97f4a7c15u) >> 32) & s->mask;
}

static gboolean
value_equal (const char *p, const char *q)
{
    gsize i = 1;
    for (; p[i] != *p && q[i] != *q; i++)
        if (p[i] != q[i])
            return FALSE;
    return p[i] == *p && q[i] == *q;
}

/* The slot of the id at @quote: its own, or the free one where it would go. */
static IdSlot *
find_id (const Scan *s, const char *quote)
{
    gsize i = value_slot (s, quote);
    while (s->ids[i].quote != NULL && !value_equal (s->ids[i].quote, quote))
        i = (i + 1) & s->mask;
    return &s->ids[i];
}

/* 1-based line and byte column of @off (after a byte order mark, as check_no_nul() counts). */
static void
locate (const Scan *s, gsize off, gsize *line, gsize *col)
{
    gsize l = 1, start = s->len >= 3 && memcmp (s->data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    for (const char *c = s->data; (c = memchr (c, '\n', off - (gsize) (c - s->data))) != NULL;
         c++) {
        l++;
        start = (gsize) (c - s->data) + 1;
    }
    *line = l;
    *col = off - start + 1;
}

static gboolean
is_space (char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The offset just past the first @end at or after @from, or @len. */
static gsize
skip_past (const Scan *s, gsize from, const char *end)
{
    gsize n = strlen (end);
    for (gsize i = from; i + n <= s->len; i++)
        if (s->data[i] == end[0] && memcmp (s->data + i, end, n) == 0)
            return i + n;
    return s->len;
}

/* Past a DOCTYPE at @i: its internal subset ([...]) may hold quoted '>'s and comments. */
static gsize
skip_doctype (const Scan *s, gsize i)
{
    int depth = 0;
    for (; i < s->len; i++) {
        char c = s->data[i];
        if (c == '"' || c == '\'') {
            const char *q = memchr (s->data + i + 1, c, s->len - i - 1);
            if (q == NULL)
                return s->len;
            i = (gsize) (q - s->data);
        } else if (c == '<' && i + 4 <= s->len && memcmp (s->data + i, "<!--", 4) == 0) {
            i = skip_past (s, i + 4, "-->") - 1;
        } else if (c == '[') {
            depth++;
        } else if (c == ']') {
            depth--;
        } else if (c == '>' && depth <= 0) {
            return i + 1;
        }
    }
    return s->len;
}

typedef struct {
    gsize at;         /* the '<' */
    const char *name; /* the element's name, unprefixed names only */
    gsize name_len;
    gboolean empty;                   /* <x ... /> */
    gboolean complete;                /* ends with '>': else libxml2 says where the tag fails */
    const char *id, *source, *target; /* opening quotes, or NULL */
} Tag;

static gboolean
name_is (const char *p, gsize n, const char *name)
{
    return n == strlen (name) && memcmp (p, name, n) == 0;
}

/* Reads the start tag at @i ('<' then a name) into @t; returns the offset past it, or @len
 * when it does not end (libxml2 will say where). */
static gsize
read_tag (const Scan *s, gsize i, Tag *t)
{
    const char *d = s->data;
    gsize j = i + 1;
    memset (t, 0, sizeof *t);
    t->at = i;
    t->name = d + j;
    while (j < s->len && !is_space (d[j]) && d[j] != '/' && d[j] != '>')
        j++;
    t->name_len = (gsize) (d + j - t->name);
    while (j < s->len) {
        while (j < s->len && is_space (d[j]))
            j++;
        if (j >= s->len)
            break;
        if (d[j] == '>') {
            t->complete = TRUE;
            return j + 1;
        }
        if (d[j] == '/') {
            t->empty = TRUE;
            j++;
            continue;
        }
        gsize a = j;
        while (j < s->len && d[j] != '=' && !is_space (d[j]) && d[j] != '>')
            j++;
        gsize a_len = j - a;
        while (j < s->len && is_space (d[j]))
            j++;
        if (j >= s->len || d[j] != '=')
            return s->len;
        j++;
        while (j < s->len && is_space (d[j]))
            j++;
        if (j >= s->len || (d[j] != '"' && d[j] != '\''))
            return s->len;
        const char *q = memchr (d + j + 1, d[j], s->len - j - 1);
        if (q == NULL)
            return s->len;
        if (name_is (d + a, a_len, "id"))
            t->id = d + j;
        else if (name_is (d + a, a_len, "source"))
            t->source = d + j;
        else if (name_is (d + a, a_len, "target"))
            t->target = d + j;
        j = (gsize) (q - d) + 1;
    }
    return s->len;
}

/* Whether the value at @quote may equal another written differently (see the top). */
static gboolean
not_comparable (const char *quote)
{
    for (const char *c = quote + 1; *c != *quote; c++)
        if (*c == '&' || *c == '\t' || *c == '\n' || *c == '\r')
            return TRUE;
    return FALSE;
}

static gboolean
check_end (Scan *s, const char *what, const char *quote, gsize at)
{
    if (quote == NULL || find_id (s, quote)->quote != NULL)
        return TRUE;
    if (not_comparable (quote)) {
        s->by_count = TRUE;
        return TRUE;
    }
    gsize line, col;
    locate (s, at, &line, &col);
    g_set_error (s->error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_PARSE,
                 "%s:%" G_GSIZE_FORMAT ":%" G_GSIZE_FORMAT ": an edge whose %s is the id of no "
                 "node of the graph (GraphML)",
                 s->path, line, col, what);
    return FALSE;
}

/* A <node> or <edge> directly inside the first graph. */
static gboolean
on_tag (Scan *s, const Tag *t)
{
    if (name_is (t->name, t->name_len, "node")) {
        s->nodes++;
        if (s->pass != PASS_NODES || t->id == NULL)
            return TRUE;
        if (not_comparable (t->id))
            s->by_count = TRUE;
        IdSlot *first = find_id (s, t->id);
        if (first->quote == NULL) {
            *first = (IdSlot){ t->id, t->at };
            return TRUE;
        }
        gsize line, col, first_line, first_col;
        locate (s, t->at, &line, &col);
        locate (s, first->at, &first_line, &first_col);
        g_set_error (s->error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_PARSE,
                     "%s:%" G_GSIZE_FORMAT ":%" G_GSIZE_FORMAT ": a node declared twice: its id "
                     "is that of the node at %" G_GSIZE_FORMAT ":%" G_GSIZE_FORMAT " (GraphML)",
                     s->path, line, col, first_line, first_col);
        return FALSE;
    }
    if (s->pass == PASS_EDGES && name_is (t->name, t->name_len, "edge"))
        return check_end (s, "source", t->source, t->at) &&
               check_end (s, "target", t->target, t->at);
    return TRUE;
}

/* One pass over the text; FALSE with the error set when on_tag() refuses a tag. */
static gboolean
scan (Scan *s)
{
    const char *d = s->data;
    gsize graphs = 0, depth = 0; /* top-level <graph>s begun; <graph>s open */
    gsize i = 0;

    s->nodes = 0;
    while (i < s->len) {
        const char *lt = memchr (d + i, '<', s->len - i);
        if (lt == NULL)
            break;
        i = (gsize) (lt - d);
        gsize rest = s->len - i;
        if (rest >= 4 && memcmp (lt, "<!--", 4) == 0) {
            i = skip_past (s, i + 4, "-->");
        } else if (rest >= 9 && memcmp (lt, "<![CDATA[", 9) == 0) {
            i = skip_past (s, i + 9, "]]>");
        } else if (rest >= 2 && lt[1] == '?') {
            i = skip_past (s, i + 2, "?>");
        } else if (rest >= 9 && memcmp (lt, "<!DOCTYPE", 9) == 0) {
            i = skip_doctype (s, i + 9);
        } else if (rest >= 2 && lt[1] == '!') {
            i = skip_past (s, i + 2, ">");
        } else if (rest >= 2 && lt[1] == '/') {
            if (rest >= 8 && memcmp (lt, "</graph", 7) == 0 && (is_space (lt[7]) || lt[7] == '>') &&
                depth > 0)
                depth--;
            i = skip_past (s, i + 2, ">");
        } else {
            Tag t;
            i = read_tag (s, i, &t);
            if (!t.complete)
                break;
            if (name_is (t.name, t.name_len, "graph")) {
                if (depth == 0)
                    graphs++;
                depth += !t.empty;
            } else if (graphs == 1 && depth == 1) {
                if (!on_tag (s, &t))
                    return FALSE;
            }
        }
    }
    return TRUE;
}

/*
 * fsim_i_check_graphml_ids:
 * Refuses (FSIM_GRAPH_ERROR_PARSE, at its line and column) a node whose id another node of the
 * first graph has, and an edge whose source or target is no node's id; the nodes of the first
 * graph in *@out_nodes, and in *@out_by_count whether some id could only be compared by igraph's
 * vertex count (which must then be *@out_nodes). FSIM_GRAPH_ERROR_NOMEM when the table of ids
 * cannot be had.
 */
gboolean
fsim_i_check_graphml_ids (const char *path, const char *data, gsize len, gsize *out_nodes,
                          gboolean *out_by_count, GError **error)
{
    Scan s = { path, data, len, PASS_COUNT, 0, FALSE, NULL, 0, error };

    scan (&s);
    *out_nodes = s.nodes;
    *out_by_count = FALSE;
    if (s.nodes == 0)
        return TRUE;
    /* at least twice as many slots as nodes, tried: the count comes from the file */
    gsize slots = 16;
    while (slots < 2 * s.nodes)
        slots *= 2;
    s.mask = slots - 1;
    s.ids = fsim_try_new0 (slots, sizeof *s.ids, "checking the file's node ids", error);
    if (s.ids == NULL) {
        g_prefix_error (error, "%s: ", path);
        return FALSE;
    }
    gboolean ok = TRUE;
    for (Pass p = PASS_NODES; ok && p <= PASS_EDGES; p++) {
        s.pass = p;
        ok = scan (&s);
    }
    g_free (s.ids);
    *out_by_count = s.by_count;
    return ok;
}
