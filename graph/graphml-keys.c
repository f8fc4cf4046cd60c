/* SPDX-License-Identifier: MIT */
/*
 * graphml-keys.c: a GraphML file's <key>s and the values of their attributes, checked as igraph
 * 0.10's GraphML reader reads them, so that what igraph would refuse is refused at its line and
 * column: igraph's own messages for these say none.
 *
 * As igraph (src/io/graphml.c) compares them, a type or target is matched by the first name of
 * its list that the value is a prefix of (xmlStrncmp to the value's length: "" is "boolean",
 * "d" is "double"). A key needs an id; a typed one a target; an id repeated among the keys of
 * one kind is refused, but for the last new one (igraph's trie gives that one's index, which it
 * takes for a new key's). A value is trimmed of C white space, and empty is the default; a
 * number is read whole by strtod in the C locale, its overflow and underflow refused (ERANGE);
 * a Boolean is true, yes, false or no in any case, or a whole number read by strtoll. What
 * libxml2 would decode first (a reference, a comment or CDATA in a value) is left to igraph.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "graphml-scan.h"

static const char *const types[] = { "boolean", "string", "float", "double", "int", "long" };
static const FsimGraphmlType type_of[] = { FSIM_GRAPHML_BOOLEAN, FSIM_GRAPHML_STRING,
                                           FSIM_GRAPHML_NUMBER,  FSIM_GRAPHML_NUMBER,
                                           FSIM_GRAPHML_NUMBER,  FSIM_GRAPHML_NUMBER };
/* igraph's order; the first three hold attributes, the others are skipped */
static const char *const targets[] = { "graph",     "node", "edge",     "graphml",
                                       "hyperedge", "port", "endpoint", "all" };

/* The first of @names (@n of them) that @len bytes at @value begin; -1 for none. */
static int
first_prefixed (const char *const *names, size_t n, const char *value, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (len <= strlen (names[i]) && memcmp (names[i], value, len) == 0)
            return (int) i;
    return -1;
}

static FsimGraphmlType
graphml_type (const char *value, size_t len)
{
    int i = first_prefixed (types, G_N_ELEMENTS (types), value, len);
    return i < 0 ? FSIM_GRAPHML_BAD : type_of[i];
}

static FsimGraphmlTarget
graphml_target (const char *value, size_t len)
{
    int i = first_prefixed (targets, G_N_ELEMENTS (targets), value, len);
    return i < 0 ? FSIM_GRAPHML_TARGET_BAD : i < 3 ? (FsimGraphmlTarget) i : FSIM_GRAPHML_SKIPPED;
}

static gboolean
c_space (char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/* Whether the @len bytes at @text, a whole number or a real as @whole says, are read whole
 * without overflow, as igraph_i_parse_integer() and igraph_i_parse_real() read them. */
static gboolean
reads_whole (const char *text, size_t len, gboolean whole)
{
    char small[128];
    char *copy = len < sizeof small ? small : g_try_malloc (len + 1), *end = NULL;
    if (copy == NULL)
        return TRUE; /* no room to look: igraph will say what it finds */
    memcpy (copy, text, len);
    copy[len] = '\0';
    errno = 0;
    if (whole)
        (void) g_ascii_strtoll (copy, &end, 10);
    else
        (void) g_ascii_strtod (copy, &end);
    gboolean ok = errno != ERANGE && end != NULL && *end == '\0';
    if (copy != small)
        g_free (copy);
    return ok;
}

/* Whether igraph reads the @len bytes at @text (decoded) as a value of @type. */
static gboolean
reads_as (FsimGraphmlType type, const char *text, size_t len)
{
    while (len > 0 && c_space (*text))
        text++, len--;
    while (len > 0 && c_space (text[len - 1]))
        len--;
    if (len == 0 || type == FSIM_GRAPHML_STRING || type == FSIM_GRAPHML_UNSPECIFIED)
        return TRUE;
    if (type == FSIM_GRAPHML_NUMBER)
        return reads_whole (text, len, FALSE);
    static const char *const words[] = { "true", "yes", "false", "no" };
    for (size_t i = 0; i < G_N_ELEMENTS (words); i++)
        if (len == strlen (words[i]) && g_ascii_strncasecmp (text, words[i], len) == 0)
            return TRUE;
    return g_ascii_isdigit (*text) && reads_whole (text, len, TRUE);
}

static gsize
value_len (const char *quote)
{
    return (gsize) (strchr (quote + 1, *quote) - quote - 1);
}

/* Whether the value at @quote holds a reference, which libxml2 decodes and the scan does not:
 * such a value is left to igraph. */
static gboolean
has_reference (const char *quote)
{
    return memchr (quote + 1, '&', value_len (quote)) != NULL;
}

/* Refuses the <key> at @at: igraph would, saying no line. */
static gboolean
bad_key (Scan *s, gsize at, const char *what)
{
    return fsim_i_graphml_refuse (s, at, "a <key> %s (GraphML)", what);
}

/* The attr.type (@is_type) or 'for' @a of the <key> at @at, refused where igraph refuses it:
 * at the first of them, in the order written, as igraph reads them. */
gboolean
fsim_i_graphml_key_attribute_ok (Scan *s, gsize at, const Name *a, gboolean is_type)
{
    if (has_reference (a->quote))
        return TRUE;
    if (is_type && graphml_type (a->quote + 1, value_len (a->quote)) == FSIM_GRAPHML_BAD)
        return bad_key (s, at,
                        "whose attr.type is none of boolean, string, float, double, int "
                        "and long");
    if (!is_type && graphml_target (a->quote + 1, value_len (a->quote)) == FSIM_GRAPHML_TARGET_BAD)
        return bad_key (s, at,
                        "whose 'for' is none of graph, node, edge, graphml, hyperedge, "
                        "port, endpoint and all");
    return TRUE;
}

/* A <key> without an id, or typed but for nothing, refused as igraph refuses it. */
static gboolean
key_complete (Scan *s, gsize at, const char *id, const char *type, const char *target)
{
    if (id == NULL)
        return bad_key (s, at, "without an 'id'");
    if (type != NULL && target == NULL)
        return bad_key (s, at,
                        "with an attr.type but no 'for': say which elements it is for "
                        "(node, edge or graph)");
    return TRUE;
}

static KeySlot *
find_key (const Scan *s, const char *quote, FsimGraphmlTarget kind)
{
    gsize i = (fsim_i_graphml_value_hash (quote) ^ (gsize) kind * 0x9e37u) & s->key_mask;
    while (s->keys[i].quote != NULL &&
           (s->keys[i].kind != kind || !fsim_i_graphml_value_equal (s->keys[i].quote, quote)))
        i = (i + 1) & s->key_mask;
    return &s->keys[i];
}

/* Keeps the <key> @id of @kind at @at and s->key_type, as igraph does: the first of an id is
 * the one looked up, and an id repeated is refused, but for that of the last new id of its
 * kind (igraph's trie gives that id's index, which it takes for a new one). */
static gboolean
add_key (Scan *s, gsize at, const char *id, FsimGraphmlTarget kind)
{
    if (kind > FSIM_GRAPHML_FOR_EDGE || s->keys == NULL || s->keys_unsure)
        return TRUE;
    KeySlot *slot = find_key (s, id, kind);
    if (slot->quote == NULL)
        *slot = (KeySlot){ id, kind, s->key_type, s->kind_keys[kind]++ };
    else if (slot->index + 1 != s->kind_keys[kind])
        return bad_key (s, at, "whose id another <key> for the same elements has");
    return TRUE;
}

/* The attributes' names are kept in the table of ids, tagged apart from them by their kind. */
#define NAME_KIND(kind) ((FsimGraphmlTarget) ((kind) + 8))

/* Whether the <key> just read (its type in s->key_type) makes an attribute of nodes or edges. */
static gboolean
typed_for_items (const Scan *s, FsimGraphmlTarget kind)
{
    return (kind == FSIM_GRAPHML_FOR_NODE || kind == FSIM_GRAPHML_FOR_EDGE) &&
           s->key_type != FSIM_GRAPHML_UNSPECIFIED && s->key_type != FSIM_GRAPHML_BAD;
}

/* Keeps the attribute the typed <key> at @at makes for elements of @kind, named @name (the
 * key's attr.name, else its id), as igraph's attribute table does: a name of two types (Boolean,
 * string, number) is refused, for nodes and edges (graph attributes are not compared). */
static gboolean
add_name (Scan *s, gsize at, const char *name, FsimGraphmlTarget kind)
{
    if (!typed_for_items (s, kind) || s->keys == NULL || s->names_unsure)
        return TRUE;
    if (fsim_i_graphml_not_comparable (name)) { /* libxml2 may make it equal to another */
        s->names_unsure = TRUE;
        return TRUE;
    }
    KeySlot *slot = find_key (s, name, NAME_KIND (kind));
    if (slot->quote == NULL) {
        *slot = (KeySlot){ name, NAME_KIND (kind), s->key_type, at };
        return TRUE;
    }
    if (slot->type == s->key_type)
        return TRUE;
    gsize line, col;
    fsim_i_graphml_locate (s, slot->index, &line, &col);
    return fsim_i_graphml_refuse (s, at,
                                  "a <key> naming the %s attribute that the <key> at "
                                  "%" G_GSIZE_FORMAT ":%" G_GSIZE_FORMAT
                                  " names, with another attr.type: an attribute has one type, "
                                  "Boolean, string or number (GraphML)",
                                  kind == FSIM_GRAPHML_FOR_NODE ? "node" : "edge", line, col);
}

/* The text of the <default> or <data> just entered at @at, whose start tag ends at @end, as a
 * value of @type: refused where igraph would refuse it. Checked only when it is plain text up
 * to the element's end (no reference, comment, CDATA or child: libxml2 would decode those). */
static gboolean
value_read (Scan *s, gsize at, gsize end, FsimGraphmlType type, const char *what)
{
    const char *lt = memchr (s->data + end, '<', s->len - end);
    if (lt == NULL || lt + 1 >= s->data + s->len || lt[1] != '/')
        return TRUE;
    gsize len = (gsize) (lt - s->data) - end;
    if (memchr (s->data + end, '&', len) != NULL || reads_as (type, s->data + end, len))
        return TRUE;
    return fsim_i_graphml_refuse (s, at,
                                  "%s whose text is not %s, as its "
                                  "key's attr.type asks (GraphML)",
                                  what,
                                  type == FSIM_GRAPHML_BOOLEAN
                                      ? "a Boolean (true, false, yes, no or a whole number)"
                                      : "a number");
}

/* The <data> whose start tag at @at has its attributes from @j and ends at @end: its text
 * checked against the type of its key, found among the <key>s before it for its element's kind
 * (@parent: igraph's state around it). A <data> without a key is left to igraph. */
static gboolean
data_read (Scan *s, gsize at, gsize j, gsize end, State parent)
{
    Name a;
    gboolean empty = FALSE, none;
    const char *key = NULL;
    while (fsim_i_graphml_next_attr (s, &j, &a, &empty)) {
        const char *prefix, *name;
        gsize prefix_len, name_len;
        fsim_i_graphml_split_name (&a, &prefix, &prefix_len, &name, &name_len);
        if (fsim_i_graphml_in_ns (s, &a, &none) && fsim_i_graphml_name_is (name, name_len, "key"))
            key = a.quote;
    }
    if (key == NULL || fsim_i_graphml_not_comparable (key) || s->keys == NULL || s->keys_unsure)
        return TRUE;
    FsimGraphmlTarget kind = parent == ST_NODE   ? FSIM_GRAPHML_FOR_NODE
                             : parent == ST_EDGE ? FSIM_GRAPHML_FOR_EDGE
                                                 : FSIM_GRAPHML_FOR_GRAPH;
    const KeySlot *k = find_key (s, key, kind);
    return k->quote == NULL || value_read (s, at, end, k->type, "a <data>");
}

gboolean
fsim_i_graphml_on_key (Scan *s, gsize at, const char *id, const char *name, const char *type,
                       const char *target, FsimGraphmlTarget *kind)
{
    s->key_type = type && !has_reference (type) ? graphml_type (type + 1, value_len (type))
                                                : FSIM_GRAPHML_UNSPECIFIED;
    if (s->pass == PASS_COUNT && !key_complete (s, at, id, type, target))
        return FALSE;
    *kind = target == NULL || has_reference (target)
                ? FSIM_GRAPHML_TARGET_BAD
                : graphml_target (target + 1, value_len (target));
    if ((id != NULL && fsim_i_graphml_not_comparable (id)) ||
        (target != NULL && fsim_i_graphml_not_comparable (target)))
        s->keys_unsure = TRUE;
    if (*kind == FSIM_GRAPHML_SKIPPED || target == NULL)
        s->key_type = FSIM_GRAPHML_UNSPECIFIED; /* igraph keeps no record: reads no default */
    if (s->pass == PASS_COUNT)
        s->named_keys += id != NULL && typed_for_items (s, *kind); /* add_name()'s */
    if (s->pass != PASS_NODES || id == NULL)
        return TRUE;
    return add_key (s, at, id, *kind) && add_name (s, at, name ? name : id, *kind);
}

gboolean
fsim_i_graphml_value_entered (Scan *s, gsize at, gsize j, gsize end, State parent)
{
    if (parent == ST_KEY)
        return value_read (s, at, end, s->key_type, "a <default>");
    return data_read (s, at, j, end, parent);
}
