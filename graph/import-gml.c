/* SPDX-License-Identifier: MIT */
/*
 * import-gml.c: the attributes igraph's GML reader will make of a file, counted before it reads.
 *
 * igraph 0.10 gives every node a value of every key that any node has (and every edge one of
 * every key any edge has), so a file whose nodes each have a key of their own asks for nodes
 * squared values: 20,000 nodes of one key each (0.5 MB) took 6.4 GB and 19 s. This pass over
 * the text (GML is key-value pairs, lists in '[' ']', strings from '"' to '"', '#' lines
 * comments) counts the nodes and edges of the top-level `graph` list and the distinct keys
 * directly inside them, so that the memory can be checked first (import-igraph.c). What is not
 * well-formed is left to igraph, which says where; the counts are then only an estimate.
 */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "graph-private.h"
#include "memory.h"

typedef enum { LIST_OTHER, LIST_GRAPH, LIST_NODE, LIST_EDGE } ListKind;

typedef struct {
    const char *at; /* NULL: a free slot */
    gsize len;
    ListKind kind;
} KeySlot;

typedef struct {
    KeySlot *slots;
    gsize mask, used;
    FsimGmlCounts counts;
} Keys;

static gsize
key_slot (const Keys *k, const char *at, gsize len, ListKind kind)
{
    guint64 h = 0xcbf29ce484222325u ^ (guint64) kind;
    for (gsize i = 0; i < len; i++)
        h = (h ^ (guchar) at[i]) * 0x100000001b3u;
    return (gsize) ((h * 0x9e3779b97f4a7c15u) >> 32) & k->mask;
}

static KeySlot *
find_key (const Keys *k, const char *at, gsize len, ListKind kind)
{
    gsize i = key_slot (k, at, len, kind);
    while (k->slots[i].at != NULL && !(k->slots[i].kind == kind && k->slots[i].len == len &&
                                       memcmp (k->slots[i].at, at, len) == 0))
        i = (i + 1) & k->mask;
    return &k->slots[i];
}

/* Counts the key once for its kind of list; FALSE with @error set when the table cannot grow. */
static gboolean
add_key (Keys *k, const char *at, gsize len, ListKind kind, GError **error)
{
    KeySlot *slot = find_key (k, at, len, kind);
    if (slot->at != NULL)
        return TRUE;
    *slot = (KeySlot){ at, len, kind };
    k->used++;
    if (kind == LIST_NODE)
        k->counts.node_keys++;
    else
        k->counts.edge_keys++;
    if (2 * k->used <= k->mask)
        return TRUE;
    /* half full: twice the slots, tried (the keys come from the file) */
    Keys bigger = { fsim_try_new0 (2 * (k->mask + 1), sizeof (KeySlot),
                                   "counting the file's attributes", error),
                    2 * k->mask + 1, k->used, k->counts };
    if (bigger.slots == NULL)
        return FALSE;
    for (gsize i = 0; i <= k->mask; i++)
        if (k->slots[i].at != NULL)
            *find_key (&bigger, k->slots[i].at, k->slots[i].len, k->slots[i].kind) = k->slots[i];
    g_free (k->slots);
    *k = bigger;
    return TRUE;
}

static gboolean
is_key_char (char c, gboolean first)
{
    return g_ascii_isalpha (c) || c == '_' || (!first && g_ascii_isdigit (c));
}

/* A token igraph will refuse, from @i: the offset past it. */
static gsize
skip_token (const char *data, gsize len, gsize i)
{
    while (i < len && !g_ascii_isspace (data[i]) && data[i] != '[' && data[i] != ']' &&
           data[i] != '"')
        i++;
    return i;
}

/* A value's token from @i: the offset past it. A number ends where its digits do, as in
 * igraph's lexer: `1k0` is the number 1 and then the key k0, a key of its own that igraph gives
 * every node (issue 11's sixth pass: 2,000 nodes written `x 1kN 5` took 77 MB under a limit of
 * 20 MB, their keys uncounted). Where igraph reads a longer number (an exponent), what follows
 * is counted as a key too: more keys than igraph makes, never fewer. Anything else igraph will
 * refuse (skip_token()). */
static gsize
skip_value (const char *data, gsize len, gsize i)
{
    gsize j = i + (data[i] == '+' || data[i] == '-');
    if (j >= len || !g_ascii_isdigit (data[j]))
        return skip_token (data, len, i + 1);
    while (j < len && g_ascii_isdigit (data[j]))
        j++;
    if (j + 1 < len && data[j] == '.' && g_ascii_isdigit (data[j + 1]))
        for (j++; j < len && g_ascii_isdigit (data[j]); j++)
            ;
    return j;
}

/*
 * fsim_i_count_gml_attributes:
 * Counts into @out the nodes and edges of @data's top-level graph and the distinct keys
 * directly inside them. FALSE with FSIM_GRAPH_ERROR_NOMEM when the table of keys cannot grow.
 */
gboolean
fsim_i_count_gml_attributes (const char *data, gsize len, FsimGmlCounts *out, GError **error)
{
    Keys k = {
        fsim_try_new0 (64, sizeof (KeySlot), "counting the file's attributes", error), 63, 0, { 0 }
    };
    ListKind kinds[FSIM_IMPORT_GML_MAX_DEPTH + 2] = { LIST_OTHER };
    gsize depth = 0, line_start = 0;
    const char *key = NULL;
    gsize key_len = 0;
    gboolean want_key = TRUE, ok = k.slots != NULL;

    for (gsize i = 0; ok && i < len;) {
        char c = data[i];
        if (c == '\n') {
            line_start = ++i;
        } else if (g_ascii_isspace (c)) {
            i++;
        } else if (c == '#' && i == line_start) {
            const char *nl = memchr (data + i, '\n', len - i);
            i = nl ? (gsize) (nl - data) : len;
        } else if (c == '"') {
            const char *q = memchr (data + i + 1, '"', len - i - 1);
            i = q ? (gsize) (q - data) + 1 : len;
            want_key = TRUE;
        } else if (c == '[') {
            ListKind kind = LIST_OTHER;
            if (depth == 0 && key_len == 5 && memcmp (key, "graph", 5) == 0)
                kind = LIST_GRAPH;
            else if (depth == 1 && kinds[1] == LIST_GRAPH && key_len == 4 &&
                     memcmp (key, "node", 4) == 0)
                kind = LIST_NODE;
            else if (depth == 1 && kinds[1] == LIST_GRAPH && key_len == 4 &&
                     memcmp (key, "edge", 4) == 0)
                kind = LIST_EDGE;
            k.counts.nodes += kind == LIST_NODE;
            k.counts.edges += kind == LIST_EDGE;
            if (depth + 1 < G_N_ELEMENTS (kinds))
                kinds[depth + 1] = kind;
            depth++;
            want_key = TRUE;
            i++;
        } else if (c == ']') {
            depth -= depth > 0;
            want_key = TRUE;
            i++;
        } else if (want_key && is_key_char (c, TRUE)) {
            gsize j = i + 1;
            while (j < len && is_key_char (data[j], FALSE))
                j++;
            key = data + i;
            key_len = j - i;
            if (depth == 2 && (kinds[2] == LIST_NODE || kinds[2] == LIST_EDGE))
                ok = add_key (&k, key, key_len, kinds[2], error);
            want_key = FALSE;
            i = j;
        } else {
            i = skip_value (data, len, i);
            want_key = TRUE;
        }
    }
    g_free (k.slots);
    *out = k.counts;
    return ok;
}
