/* SPDX-License-Identifier: MIT */
/*
 * import-graphml.c: the node ids of a GraphML file, checked before igraph reads it.
 *
 * igraph 0.10's GraphML reader merges two nodes of one id into one vertex and makes a new
 * vertex for an edge's source or target that no node declares, silently (its GML reader refuses
 * both). This scan of the text finds them first, at their line and column. It skips comments,
 * CDATA sections, processing instructions and the DOCTYPE, resolves namespace prefixes
 * (`<g:node g:id=...>` with `xmlns:g` bound to GraphML's namespace is a node) and follows the
 * states of igraph's reader (its SAX handlers in src/io/graphml.c): a `<node>` or `<edge>`
 * counts where igraph takes it, directly inside the first `<graph>` of the root `<graphml>`,
 * in GraphML's namespace or in none when the root has none; elements of other namespaces and
 * what they hold are skipped, as igraph skips them. A node's first `id` names it; every
 * `source` and `target` of an edge is an id igraph looks up (and would make a vertex of).
 * Ids are compared as written: an id holding a reference (`&`) or white space other than a
 * space (which XML normalises) may equal another written differently, so the caller then
 * compares igraph's vertex count with the nodes counted here instead. A DTD attribute-list
 * declaration is refused: its defaults would give tags ids (or namespaces) the text does not
 * show; so are a tag of more than FSIM_IMPORT_GRAPHML_MAX_ATTRIBUTES attributes and more than
 * FSIM_IMPORT_GRAPHML_MAX_NAMESPACES namespaces in scope, whose time in libxml2 is their
 * square. The <key>s, their <default>s and the <data> values are checked as igraph reads them
 * (graphml-keys.c, which shares the scan's types through graphml-scan.h). A GraphML file is a
 * foreign file: no id or value is ever echoed, only locations (docs/robustness.md, "at most one
 * character"). What is not well-formed is left to libxml2, which says where.
 */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include <glib.h>

#include "friends.h"
#include "graph-private.h"
#include "graphml-scan.h"
#include "import.h"
#include "memory.h"

/* An attribute value as a key: a pointer to its opening quote; it runs to the next such quote.
 * FNV-1a, its bits mixed by a multiplication; a slot is its top bits, masked. */
gsize
fsim_i_graphml_value_hash (const char *p)
{
    guint64 h = 0xcbf29ce484222325u;
    for (const char *c = p + 1; *c != *p; c++)
        h = (h ^ (guchar) *c) * 0x100000001b3u;
    return (gsize) ((h * 0x9e3779b97f4a7c15u) >> 32);
}

gboolean
fsim_i_graphml_value_equal (const char *p, const char *q)
{
    gsize i = 1;
    for (; p[i] != *p && q[i] != *q; i++)
        if (p[i] != q[i])
            return FALSE;
    return p[i] == *p && q[i] == *q;
}

static gboolean
value_is (const char *quote, const char *text)
{
    gsize n = strlen (text);
    return strncmp (quote + 1, text, n) == 0 && quote[n + 1] == *quote;
}

/* The slot of the id at @quote: its own, or the free one where it would go. */
static IdSlot *
find_id (const Scan *s, const char *quote)
{
    gsize i = fsim_i_graphml_value_hash (quote) & s->mask;
    while (s->ids[i].quote != NULL && !fsim_i_graphml_value_equal (s->ids[i].quote, quote))
        i = (i + 1) & s->mask;
    return &s->ids[i];
}

gboolean
fsim_i_graphml_refuse (Scan *s, gsize at, const char *format, ...)
{
    gsize line, col;
    va_list args;
    fsim_i_graphml_locate (s, at, &line, &col);
    va_start (args, format);
    g_autofree char *what = g_strdup_vprintf (format, args);
    va_end (args);
    g_set_error (s->error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_PARSE,
                 "%s:%" G_GSIZE_FORMAT ":%" G_GSIZE_FORMAT ": %s", s->path, line, col, what);
    return FALSE;
}

/* 1-based line and byte column of @off (after a byte order mark, as check_no_nul() counts). */
void
fsim_i_graphml_locate (const Scan *s, gsize off, gsize *line, gsize *col)
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

/* Past a DOCTYPE at @i: its internal subset ([...]) may hold quoted '>'s and comments. An
 * attribute-list declaration there is refused (FALSE, the error set; see the top). */
static gboolean
skip_doctype (Scan *s, gsize *at)
{
    int depth = 0;
    for (gsize i = *at; i < s->len; i++) {
        char c = s->data[i];
        if (c == '"' || c == '\'') {
            const char *q = memchr (s->data + i + 1, c, s->len - i - 1);
            if (q == NULL)
                break;
            i = (gsize) (q - s->data);
        } else if (c == '<' && i + 4 <= s->len && memcmp (s->data + i, "<!--", 4) == 0) {
            i = skip_past (s, i + 4, "-->") - 1;
        } else if (c == '<' && depth > 0 && i + 9 <= s->len &&
                   memcmp (s->data + i, "<!ATTLIST", 9) == 0) {
            return fsim_i_graphml_refuse (
                s, i,
                "an attribute-list declaration (<!ATTLIST>), whose default values would give "
                "nodes and edges ids that their tags do not show: flowsim does not read it "
                "(GraphML); remove it");
        } else if (c == '[') {
            depth++;
        } else if (c == ']') {
            depth--;
        } else if (c == '>' && depth <= 0) {
            *at = i + 1;
            return TRUE;
        }
    }
    *at = s->len;
    return TRUE;
}

gboolean
fsim_i_graphml_name_is (const char *p, gsize n, const char *name)
{
    return n == strlen (name) && memcmp (p, name, n) == 0;
}

/* The attribute at *@j of a start tag, *@j moved past it; FALSE at the tag's end, *@j then
 * past its '>' with *@empty set for "/>", or NO_END when the tag does not end (libxml2 will
 * say where). */
gboolean
fsim_i_graphml_next_attr (const Scan *s, gsize *j, Name *a, gboolean *empty)
{
    const char *d = s->data;
    gsize k = *j;
    for (;;) {
        while (k < s->len && is_space (d[k]))
            k++;
        if (k < s->len && d[k] == '/') {
            *empty = TRUE;
            k++;
            continue;
        }
        break;
    }
    *j = NO_END;
    if (k >= s->len)
        return FALSE;
    if (d[k] == '>') {
        *j = k + 1;
        return FALSE;
    }
    a->name = d + k;
    while (k < s->len && d[k] != '=' && !is_space (d[k]) && d[k] != '>')
        k++;
    a->name_len = (gsize) (d + k - a->name);
    while (k < s->len && is_space (d[k]))
        k++;
    if (k >= s->len || d[k] != '=')
        return FALSE;
    k++;
    while (k < s->len && is_space (d[k]))
        k++;
    if (k >= s->len || (d[k] != '"' && d[k] != '\''))
        return FALSE;
    const char *q = memchr (d + k + 1, d[k], s->len - k - 1);
    if (q == NULL)
        return FALSE;
    a->quote = d + k;
    *j = (gsize) (q - d) + 1;
    return TRUE;
}

/* Splits @n at its first ':' into *@prefix (NULL when none) and its local name. */
void
fsim_i_graphml_split_name (const Name *n, const char **prefix, gsize *prefix_len,
                           const char **local, gsize *local_len)
{
    const char *colon = memchr (n->name, ':', n->name_len);
    *prefix = colon ? n->name : NULL;
    *prefix_len = colon ? (gsize) (colon - n->name) : 0;
    *local = colon ? colon + 1 : n->name;
    *local_len = n->name_len - (gsize) (*local - n->name);
}

/* Whether @n is in GraphML's namespace (an element) or read by igraph as if it were (an
 * attribute: one without a prefix). An unbound prefix is no namespace igraph reads (libxml2
 * refuses it); an element without a prefix or default namespace is no namespace at all, which
 * *@none says. */
gboolean
fsim_i_graphml_in_ns (Scan *s, const Name *n, gboolean *none)
{
    const char *prefix, *local;
    gsize prefix_len, local_len;

    fsim_i_graphml_split_name (n, &prefix, &prefix_len, &local, &local_len);
    *none = FALSE;
    if (prefix == NULL && n->quote != NULL)
        return TRUE;
    for (gsize i = s->n_bind; i-- > 0;) {
        const Binding *b = &s->bind[i];
        if ((prefix == NULL) != (b->prefix == NULL) ||
            (prefix != NULL &&
             (b->prefix_len != prefix_len || memcmp (b->prefix, prefix, prefix_len) != 0)))
            continue;
        *none = b->uri[1] == *b->uri;
        return value_is (b->uri, FSIM_I_GRAPHML_NS);
    }
    *none = prefix == NULL;
    return FALSE;
}

/* Refuses a tag over one of the limits of libxml2's time (import.h), at @at. */
static gboolean
too_many (Scan *s, gsize at, const char *what, int limit)
{
    return fsim_i_graphml_refuse (s, at,
                                  "more than %d %s (GraphML: libxml2's "
                                  "time grows with the square of their number)",
                                  limit, what);
}

/* The namespaces a start tag declares, in scope from its element (at s->depth) in; FALSE with
 * the error set over FSIM_IMPORT_GRAPHML_MAX_NAMESPACES in scope, or at a namespace's name
 * written with a reference: libxml2 decodes it (`.../xml&#110;s` is GraphML's), and the scan,
 * which compares names as written, would take GraphML's elements for foreign ones and let a
 * node declared twice, or attributes beyond the memory check, through (issue 11's sixth pass). */
static gboolean
push_bindings (Scan *s, gsize j)
{
    Name a;
    gboolean empty = FALSE;
    while (fsim_i_graphml_next_attr (s, &j, &a, &empty)) {
        gboolean is_default = fsim_i_graphml_name_is (a.name, a.name_len, "xmlns");
        if (!is_default && (a.name_len < 6 || memcmp (a.name, "xmlns:", 6) != 0))
            continue;
        if (s->n_bind >= G_N_ELEMENTS (s->bind))
            return too_many (s, (gsize) (a.name - s->data), "namespaces declared at once",
                             FSIM_IMPORT_GRAPHML_MAX_NAMESPACES);
        if (strchr (a.quote + 1, *a.quote) != NULL &&
            memchr (a.quote + 1, '&', (gsize) (strchr (a.quote + 1, *a.quote) - a.quote)) != NULL) {
            return fsim_i_graphml_refuse (
                s, (gsize) (a.name - s->data),
                "a namespace's name written "
                "with a reference ('&'), which flowsim does not decode: write it out "
                "(GraphML)");
        }
        s->bind[s->n_bind++] = (Binding){ is_default ? NULL : a.name + 6,
                                          is_default ? 0 : a.name_len - 6, a.quote, s->depth };
    }
    return TRUE;
}

/* Whether the value at @quote may equal another written differently (see the top). */
gboolean
fsim_i_graphml_not_comparable (const char *quote)
{
    for (const char *c = quote + 1; *c != *quote; c++)
        if (*c == '&' || *c == '\t' || *c == '\n' || *c == '\r')
            return TRUE;
    return FALSE;
}

static gboolean
check_end (Scan *s, const char *what, const char *quote, gsize at)
{
    if (find_id (s, quote)->quote != NULL)
        return TRUE;
    if (fsim_i_graphml_not_comparable (quote)) {
        s->by_count = TRUE;
        return TRUE;
    }
    return fsim_i_graphml_refuse (s, at,
                                  "an edge whose %s is the id of no "
                                  "node of the graph (GraphML)",
                                  what);
}

static gboolean
on_node (Scan *s, gsize at, const char *id)
{
    s->nodes++;
    if (s->pass != PASS_NODES || id == NULL)
        return TRUE;
    if (fsim_i_graphml_not_comparable (id))
        s->by_count = TRUE;
    IdSlot *first = find_id (s, id);
    if (first->quote == NULL) {
        *first = (IdSlot){ id, at };
        return TRUE;
    }
    gsize line, col, first_line, first_col;
    fsim_i_graphml_locate (s, at, &line, &col);
    fsim_i_graphml_locate (s, first->at, &first_line, &first_col);
    g_set_error (s->error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_PARSE,
                 "%s:%" G_GSIZE_FORMAT ":%" G_GSIZE_FORMAT ": a node declared twice: its id "
                 "is that of the node at %" G_GSIZE_FORMAT ":%" G_GSIZE_FORMAT " (GraphML)",
                 s->path, line, col, first_line, first_col);
    return FALSE;
}

/* The attributes igraph reads of a <node>, <edge> or <key> whose attributes start at @j. */
static gboolean
on_element (Scan *s, gsize at, gsize j, const char *local, gsize local_len)
{
    Name a;
    gboolean empty = FALSE, node = fsim_i_graphml_name_is (local, local_len, "node"), none;
    const char *node_id = NULL, *key_name = NULL, *key_id = NULL, *key_for = NULL;
    const char *key_type = NULL;

    while (fsim_i_graphml_next_attr (s, &j, &a, &empty)) {
        if (!fsim_i_graphml_in_ns (s, &a, &none))
            continue;
        const char *prefix, *name;
        gsize prefix_len, name_len;
        fsim_i_graphml_split_name (&a, &prefix, &prefix_len, &name, &name_len);
        if (node && node_id == NULL && fsim_i_graphml_name_is (name, name_len, "id"))
            node_id = a.quote;
        else if (!node && s->st == ST_GRAPH && s->pass == PASS_EDGES &&
                 (fsim_i_graphml_name_is (name, name_len, "source") ||
                  fsim_i_graphml_name_is (name, name_len, "target")) &&
                 !check_end (s, *name == 's' ? "source" : "target", a.quote, at))
            return FALSE;
        else if (s->st == ST_GRAPHML && fsim_i_graphml_name_is (name, name_len, "attr.name"))
            key_name = a.quote;
        else if (s->st == ST_GRAPHML && fsim_i_graphml_name_is (name, name_len, "id"))
            key_id = a.quote;
        else if (s->st == ST_GRAPHML && (fsim_i_graphml_name_is (name, name_len, "for") ||
                                         fsim_i_graphml_name_is (name, name_len, "attr.type"))) {
            gboolean is_type = *name == 'a';
            *(is_type ? &key_type : &key_for) = a.quote;
            if (s->pass == PASS_COUNT && !fsim_i_graphml_key_attribute_ok (s, at, &a, is_type))
                return FALSE;
        }
    }
    if (s->st == ST_GRAPHML) {
        FsimGraphmlTarget target;
        if (!fsim_i_graphml_on_key (s, at, key_id, key_name, key_type, key_for, &target))
            return FALSE;
        const char *named = key_name ? key_name : key_id;
        gboolean for_edges = target == FSIM_GRAPHML_FOR_EDGE;
        gboolean for_nodes = key_for == NULL || !(target == FSIM_GRAPHML_FOR_GRAPH || for_edges);
        if (named != NULL && value_is (named, "id") && for_nodes)
            s->id_key = TRUE;
        /* counted once; "all" (and an unknown "for", which igraph refuses) as both */
        if (s->pass == PASS_COUNT) {
            s->n_keys++;
            s->node_keys += for_nodes;
            s->edge_keys += for_edges || (key_for != NULL && target != FSIM_GRAPHML_FOR_GRAPH &&
                                          target != FSIM_GRAPHML_FOR_NODE);
        }
        return TRUE;
    }
    if (!node && s->pass == PASS_COUNT)
        s->edges++;
    return node ? on_node (s, at, node_id) : TRUE;
}

static void
enter_unknown (Scan *s)
{
    if (s->st == ST_UNKNOWN) {
        s->unknown_depth++;
        return;
    }
    if (s->n_stack < G_N_ELEMENTS (s->stack))
        s->stack[s->n_stack++] = s->st;
    s->st = ST_UNKNOWN;
    s->unknown_depth = 1;
}

static State
pop_state (Scan *s)
{
    return s->n_stack > 0 ? s->stack[--s->n_stack] : ST_FINISH;
}

/* A start tag whose name @n ends at @j: igraph's state moves as its start handler does. */
static gboolean
start_element (Scan *s, gsize at, gsize j, const Name *n)
{
    const char *prefix, *local;
    gsize prefix_len, local_len;
    gboolean none, ours = fsim_i_graphml_in_ns (s, n, &none);

    fsim_i_graphml_split_name (n, &prefix, &prefix_len, &local, &local_len);
    if (!ours && !(none && (s->lenient || s->st == ST_START))) {
        enter_unknown (s);
        return TRUE;
    }
    State next = ST_UNKNOWN;
    switch (s->st) {
    case ST_START:
        if (fsim_i_graphml_name_is (local, local_len, "graphml")) {
            s->lenient = none;
            next = ST_GRAPHML;
        }
        break;
    case ST_GRAPHML:
        if (fsim_i_graphml_name_is (local, local_len, "graph")) {
            next = s->graphs++ == 0 ? ST_GRAPH : ST_GRAPHML;
        } else if (fsim_i_graphml_name_is (local, local_len, "key")) {
            next = ST_KEY;
            if (!on_element (s, at, j, local, local_len))
                return FALSE;
        }
        break;
    case ST_KEY:
        if (fsim_i_graphml_name_is (local, local_len, "default"))
            next = ST_DEFAULT;
        break;
    case ST_GRAPH:
        if (fsim_i_graphml_name_is (local, local_len, "node") ||
            fsim_i_graphml_name_is (local, local_len, "edge")) {
            next = *local == 'n' ? ST_NODE : ST_EDGE;
            if (!on_element (s, at, j, local, local_len))
                return FALSE;
        } else if (fsim_i_graphml_name_is (local, local_len, "data") &&
                   s->n_stack < G_N_ELEMENTS (s->stack)) {
            s->stack[s->n_stack++] = s->st;
            next = ST_DATA;
        }
        break;
    case ST_NODE:
    case ST_EDGE:
        if (fsim_i_graphml_name_is (local, local_len, "data") &&
            s->n_stack < G_N_ELEMENTS (s->stack)) {
            s->stack[s->n_stack++] = s->st;
            next = ST_DATA;
        }
        break;
    case ST_FINISH:
        return TRUE;
    default:
        break;
    }
    if (next == ST_UNKNOWN)
        enter_unknown (s);
    else
        s->st = next;
    return TRUE;
}

/* An end tag: igraph's state moves as its end handler does (it does not look at the name). */
static void
end_element (Scan *s)
{
    while (s->n_bind > 0 && s->bind[s->n_bind - 1].depth >= s->depth)
        s->n_bind--;
    if (s->depth > 0)
        s->depth--;
    switch (s->st) {
    case ST_GRAPHML:
        s->st = ST_FINISH;
        break;
    case ST_GRAPH:
    case ST_KEY:
        s->st = ST_GRAPHML;
        break;
    case ST_DEFAULT:
        s->st = ST_KEY;
        break;
    case ST_NODE:
    case ST_EDGE:
        s->st = ST_GRAPH;
        break;
    case ST_DATA:
        s->st = pop_state (s);
        break;
    case ST_UNKNOWN:
        if (--s->unknown_depth == 0)
            s->st = pop_state (s);
        break;
    default:
        break;
    }
}

/* A start tag at @i; the offset past it, or @len when it does not end. */
static gsize
read_start_tag (Scan *s, gsize i, gboolean *ok)
{
    const char *d = s->data;
    gsize j = i + 1, end;
    Name n = { d + j, 0, NULL }, a;
    gboolean empty = FALSE;

    while (j < s->len && !is_space (d[j]) && d[j] != '/' && d[j] != '>')
        j++;
    n.name_len = (gsize) (d + j - n.name);
    end = j;
    for (int count = 0; fsim_i_graphml_next_attr (s, &end, &a, &empty); count++)
        if (count == FSIM_IMPORT_GRAPHML_MAX_ATTRIBUTES) {
            *ok = too_many (s, (gsize) (a.name - d), "attributes in one tag",
                            FSIM_IMPORT_GRAPHML_MAX_ATTRIBUTES);
            return s->len;
        }
    if (end == NO_END)
        return s->len;
    s->depth++;
    if (!(*ok = push_bindings (s, j)))
        return s->len;
    State before = s->st;
    *ok = start_element (s, i, j, &n);
    if (*ok && !empty && s->pass == PASS_NODES && s->st != before &&
        (s->st == ST_DEFAULT || s->st == ST_DATA))
        *ok = fsim_i_graphml_value_entered (s, i, j, end, before);
    if (*ok && empty)
        end_element (s);
    return end;
}

/* One pass over the text; FALSE with the error set when a tag is refused. */
static gboolean
scan (Scan *s)
{
    const char *d = s->data;
    gsize i = 0;

    s->nodes = s->graphs = s->n_bind = s->depth = s->n_stack = s->unknown_depth = 0;
    s->st = ST_START;
    s->lenient = FALSE;
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
            i += 9;
            if (!skip_doctype (s, &i))
                return FALSE;
        } else if (rest >= 2 && lt[1] == '!') {
            i = skip_past (s, i + 2, ">");
        } else if (rest >= 2 && lt[1] == '/') {
            end_element (s);
            i = skip_past (s, i + 2, ">");
        } else {
            gboolean ok = TRUE;
            i = read_start_tag (s, i, &ok);
            if (!ok)
                return FALSE;
        }
    }
    return TRUE;
}

/*
 * fsim_i_check_graphml_ids:
 * Refuses (FSIM_GRAPH_ERROR_PARSE, at its line and column) a node whose id another node of the
 * first graph has, an edge whose source or target is no node's id, and a DTD attribute-list
 * declaration; fills @out (the nodes igraph reads, whether some id could only be compared by
 * igraph's vertex count, which must then be @out->nodes, and whether igraph's "id" attribute
 * comes from a <key> rather than the node ids). FSIM_GRAPH_ERROR_NOMEM when the tables cannot
 * be had.
 */
gboolean
fsim_i_check_graphml_ids (const char *path, const char *data, gsize len, FsimGraphmlIds *out,
                          GError **error)
{
    Scan s = { .path = path, .data = data, .len = len, .pass = PASS_COUNT, .error = error };
    gboolean ok = TRUE;

    ok = scan (&s);
    if (ok) {
        /* at least twice as many slots as nodes (none: an edge's ends are no node's) */
        gsize slots = 16;
        while (slots < 2 * s.nodes)
            slots *= 2;
        s.mask = slots - 1;
        s.ids = fsim_try_new0 (slots, sizeof *s.ids, "checking the file's node ids", error);
        gsize key_slots = 16;
        while (key_slots < 2 * (s.n_keys + s.named_keys)) /* the keys' ids, their names */
            key_slots *= 2;
        s.key_mask = key_slots - 1;
        s.keys = s.ids
                     ? fsim_try_new0 (key_slots, sizeof *s.keys, "checking the file's keys", error)
                     : NULL;
        if (s.keys == NULL) {
            g_prefix_error (error, "%s: ", path);
            ok = FALSE;
        }
        for (Pass p = PASS_NODES; ok && p <= PASS_EDGES; p++) {
            s.pass = p;
            ok = scan (&s);
        }
    }
    g_free (s.ids);
    g_free (s.keys);
    *out = (FsimGraphmlIds){ s.nodes,     s.graphs,    s.by_count, s.id_key,
                             s.node_keys, s.edge_keys, s.edges };
    return ok;
}

/*
 * fsim_i_graphml_unescape_ids:
 * libxml2 hands igraph every '&' of an attribute value as "&#38;" (whether the file wrote
 * "&amp;" or "&#38;"), and every other reference decoded: node ids come to flowsim as
 * "a&#38;c" for the file's "a&amp;c". This turns each "&#38;" of @ids back into '&', in place:
 * the inverse, since a '&' the file wrote is always one of those two. Can't fail.
 */
void
fsim_i_graphml_unescape_ids (char **ids, size_t n)
{
    for (size_t u = 0; u < n; u++) {
        char *w = ids[u] != NULL ? strstr (ids[u], "&#38;") : NULL;
        if (w == NULL)
            continue;
        for (const char *r = w; *r != '\0';) {
            if (strncmp (r, "&#38;", 5) == 0) {
                *w++ = '&';
                r += 5;
            } else {
                *w++ = *r++;
            }
        }
        *w = '\0';
    }
}
