/* SPDX-License-Identifier: MIT */
/* diagram-dot.c: the diagram's nodes, edges and clusters, and how they are written as DOT. */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

#include <glib.h>

#include "diagram-private.h"
#include "diagram.h"
#include "dot.h"
#include "room.h"
#include "svg.h"
#include "table.h"

/* Colours by channel (ColorBrewer Dark2, readable by most colour-blind readers), storage grey. */
static const char *const channel_colour[FSIM_N_CHANNELS] = {
    [FSIM_CHANNEL_SELF] = "#1b9e77",
    [FSIM_CHANNEL_FRIEND] = "#d95f02",
    [FSIM_CHANNEL_FRIEND_OF_FRIEND] = "#7570b3",
    [FSIM_CHANNEL_DOWNSTREAM] = "#e7298a",
};
#define STORE_COLOUR "#525252"
#define MUTED_COLOUR "#bdbdbd"
#define MAX_PEN 8.0

const char *
fsim_i_channel_colour (int channel)
{
    if (channel >= 0 && channel < FSIM_N_CHANNELS)
        return channel_colour[channel];
    return channel == -1 ? STORE_COLOUR : MUTED_COLOUR;
}

/* ---- the container ---- */

static void
node_free (gpointer data)
{
    FsimINode *n = data;
    g_free (n->id);
    g_ptr_array_unref (n->lines);
    g_free (n);
}

static void
edge_free (gpointer data)
{
    FsimIEdge *e = data;
    g_free (e->reason);
    g_free (e);
}

static void
cluster_free (gpointer data)
{
    FsimICluster *c = data;
    g_free (c->label);
    g_free (c);
}

/* The edge index's key is the edge itself: its two ends and its channel (or style key). A
 * lookup hashes three integers, where a key printed as text cost a printf and a string hash
 * per call: the flow diagram makes one call per (partner, scope, field) it draws. */
static guint
edge_hash (gconstpointer key)
{
    const FsimIEdge *e = key;
    guint64 h = (guint64) e->from * UINT64_C (0x9e3779b97f4a7c15);
    h = (h ^ (guint64) e->to) * UINT64_C (0xc2b2ae3d27d4eb4f);
    h = (h ^ (guint64) (guint) e->channel) * UINT64_C (0x165667b19e3779f9);
    return (guint) (h ^ (h >> 32));
}

static gboolean
edge_equal (gconstpointer a, gconstpointer b)
{
    const FsimIEdge *x = a, *y = b;
    return x->from == y->from && x->to == y->to && x->channel == y->channel;
}

FsimIDiagram *
fsim_i_diagram_new (void)
{
    FsimIDiagram *d = g_new0 (FsimIDiagram, 1);
    d->nodes = g_ptr_array_new_with_free_func (node_free);
    d->edges = g_ptr_array_new_with_free_func (edge_free);
    d->clusters = g_ptr_array_new_with_free_func (cluster_free);
    d->node_index = g_hash_table_new (g_str_hash, g_str_equal);
    d->edge_index = g_hash_table_new (edge_hash, edge_equal);
    d->title = g_ptr_array_new_with_free_func (g_free);
    return d;
}

void
fsim_i_diagram_free (FsimIDiagram *d)
{
    if (!d)
        return;
    g_hash_table_unref (d->node_index);
    g_hash_table_unref (d->edge_index);
    g_ptr_array_unref (d->nodes);
    g_ptr_array_unref (d->edges);
    g_ptr_array_unref (d->clusters);
    g_ptr_array_unref (d->title);
    g_free (d);
}

size_t
fsim_i_diagram_cluster (FsimIDiagram *d, const char *label, gboolean device)
{
    FsimICluster *c = g_new0 (FsimICluster, 1);
    c->label = g_strdup (label);
    c->device = device;
    g_ptr_array_add (d->clusters, c);
    return d->clusters->len - 1;
}

size_t
fsim_i_diagram_node (FsimIDiagram *d, const char *id, size_t cluster, FsimINodeKind kind,
                     gboolean *out_created)
{
    gpointer found = g_hash_table_lookup (d->node_index, id);
    if (out_created)
        *out_created = found == NULL;
    if (found)
        return GPOINTER_TO_SIZE (found) - 1;
    FsimINode *n = g_new0 (FsimINode, 1);
    n->id = g_strdup (id);
    n->lines = g_ptr_array_new_with_free_func (g_free);
    n->cluster = cluster;
    n->kind = kind;
    g_ptr_array_add (d->nodes, n);
    g_hash_table_insert (d->node_index, n->id, GSIZE_TO_POINTER (d->nodes->len));
    return d->nodes->len - 1;
}

/* The index of the edge @from -> @to of @channel, or SIZE_MAX. */
static size_t
edge_find (const FsimIDiagram *d, size_t from, size_t to, int channel)
{
    const FsimIEdge probe = { .from = from, .to = to, .channel = channel };
    return GPOINTER_TO_SIZE (g_hash_table_lookup (d->edge_index, &probe)) - 1;
}

void
fsim_i_diagram_edge (FsimIDiagram *d, size_t from, size_t to, int channel, size_t users,
                     size_t no_consent, gboolean blocked, const char *reason)
{
    size_t found = edge_find (d, from, to, channel);
    if (found != SIZE_MAX) {
        FsimIEdge *e = g_ptr_array_index (d->edges, found);
        e->users = MAX (e->users, users);
        e->no_consent = MAX (e->no_consent, no_consent);
        e->blocked = e->blocked && blocked;
        if (!e->reason && reason)
            e->reason = g_strdup (reason);
        return;
    }
    FsimIEdge *e = g_new0 (FsimIEdge, 1);
    *e = (FsimIEdge){ .from = from,
                      .to = to,
                      .channel = channel,
                      .users = users,
                      .no_consent = no_consent,
                      .blocked = blocked,
                      .reason = g_strdup (reason) };
    g_ptr_array_add (d->edges, e);
    g_hash_table_insert (d->edge_index, e, GSIZE_TO_POINTER (d->edges->len));
}

void
fsim_i_diagram_edge_styled (FsimIDiagram *d, size_t from, size_t to, int key, size_t users,
                            const char *colour, const char *style, const char *label)
{
    fsim_i_diagram_edge (d, from, to, key, users, 0, FALSE, label);
    FsimIEdge *e = g_ptr_array_index (d->edges, edge_find (d, from, to, key));
    e->colour = colour;
    e->style = style;
}

void
fsim_i_node_line (FsimINode *n, const char *format, ...)
{
    va_list ap;
    va_start (ap, format);
    g_ptr_array_add (n->lines, g_strdup_vprintf (format, ap));
    va_end (ap);
}

/* ---- DOT ---- */

void
fsim_diagram_dot_string (GString *out, const char *s)
{
    g_string_append_c (out, '"');
    fsim_dot_append_escaped (out, s ? s : "");
    g_string_append_c (out, '"');
}

/* "line1\nline2" with @sep after each line but the last ("\\n" centred, "\\l" left). A line
 * wider than 80 columns goes on over up to WRAP_LINES lines, broken at spaces, before the
 * escaping cuts what is left: a long scope or API description is read whole, not cut in the
 * middle of a word. */
#define WRAP_LINES 3
static void
dot_lines (GString *out, const GPtrArray *lines, const char *sep, gboolean trailing)
{
    g_string_append_c (out, '"');
    for (size_t i = 0; i < lines->len; i++) {
        g_autofree char *clean = fsim_text_clean (g_ptr_array_index (lines, i));
        g_auto (GStrv) parts = fsim_text_wrap (clean, 2 * FSIM_LABEL_MAX_WIDTH, WRAP_LINES);
        for (char **p = parts; *p; p++) {
            fsim_dot_append_escaped (out, *p);
            if (p[1] || i + 1 < lines->len || trailing)
                g_string_append (out, sep);
        }
    }
    g_string_append_c (out, '"');
}

static const char *
node_attributes (const FsimINode *n)
{
    switch (n->kind) {
    case FSIM_I_NODE_FIELDS:
        return n->highlight ? "shape=box, style=\"rounded,filled\", fillcolor=\"#fde0dd\""
                            : "shape=box, style=\"rounded,filled\", fillcolor=\"#deebf7\"";
    case FSIM_I_NODE_SCOPES:
        return "shape=box, style=filled, fillcolor=\"#f7f7f7\"";
    case FSIM_I_NODE_PARTNER:
        return "shape=box, style=\"filled,bold\", fillcolor=\"#fff7bc\"";
    case FSIM_I_NODE_SERVER:
        return "shape=cylinder, style=filled, fillcolor=\"#ffffff\"";
    case FSIM_I_NODE_DEVICE:
        return "shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\"";
    case FSIM_I_NODE_LEGEND:
        return "shape=plaintext, margin=0";
    case FSIM_I_NODE_USER:
        return "shape=ellipse, style=filled, fillcolor=\"#deebf7\"";
    }
    return "";
}

/* The legend: Graphviz's HTML-like table, the one place it is used, because only a table cell
 * can draw a sample line (its bottom border, in the edge's colour and style). Every text in it
 * is flowsim's own (diagram.c add_legend), escaped all the same. Line 0 is the title; lines
 * "COLOUR\tSTYLE\tTEXT" are samples; other lines are notes. */
static void
write_legend (const FsimINode *n, GString *out)
{
    g_string_append (out, "<<TABLE BORDER=\"1\" COLOR=\"#bdbdbd\" STYLE=\"rounded\" "
                          "CELLBORDER=\"0\" CELLSPACING=\"2\" CELLPADDING=\"3\">");
    for (size_t i = 0; i < n->lines->len; i++) {
        g_auto (GStrv) cells = g_strsplit (g_ptr_array_index (n->lines, i), "\t", 3);
        g_string_append (out, "<TR>");
        if (i == 0 || g_strv_length (cells) != 3) {
            g_string_append_printf (out, "<TD COLSPAN=\"2\" ALIGN=\"%s\">%s", i ? "LEFT" : "CENTER",
                                    i ? "" : "<B>");
            fsim_markup_append (out, cells[0] ? cells[0] : "");
            g_string_append_printf (out, "%s</TD>", i ? "" : "</B>");
        } else {
            g_string_append (out, "<TD WIDTH=\"56\" HEIGHT=\"12\" FIXEDSIZE=\"TRUE\" BORDER=\"3\" "
                                  "SIDES=\"B\" COLOR=\"");
            fsim_markup_append (out, cells[0]);
            g_string_append (out, "\" STYLE=\"");
            fsim_markup_append (out, cells[1]);
            g_string_append (out, "\"></TD><TD ALIGN=\"LEFT\">");
            fsim_markup_append (out, cells[2]);
            g_string_append (out, "</TD>");
        }
        g_string_append (out, "</TR>");
    }
    g_string_append (out, "</TABLE>>");
}

static void
write_node (const FsimINode *n, GString *out)
{
    g_string_append (out, "    ");
    fsim_diagram_dot_string (out, n->id);
    g_string_append_printf (out, " [%s%s, label=", node_attributes (n),
                            n->muted ? ", color=\"" MUTED_COLOUR "\", fontcolor=\"#737373\"" : "");
    if (n->kind == FSIM_I_NODE_LEGEND && n->lines->len > 0 &&
        strchr (g_ptr_array_index (n->lines, 1 % n->lines->len), '\t'))
        write_legend (n, out);
    else if (n->kind == FSIM_I_NODE_LEGEND)
        dot_lines (out, n->lines, "\\l", TRUE);
    else
        dot_lines (out, n->lines, "\\n", FALSE);
    g_string_append (out, "];\n");
}

/* Cluster @c and its nodes, @next[n] being the node after @n in its cluster (SIZE_MAX: none). */
static void
write_cluster (const FsimIDiagram *d, size_t c, size_t first, const size_t *next, GString *out)
{
    const FsimICluster *cl = g_ptr_array_index (d->clusters, c);
    g_auto (GStrv) lines = g_strsplit (cl->label, "\n", -1);
    g_autoptr (GPtrArray) label = g_ptr_array_new ();
    for (char **l = lines; *l; l++)
        g_ptr_array_add (label, *l);
    g_string_append_printf (out, "  subgraph cluster_%zu {\n    label=", c);
    dot_lines (out, label, "\\n", FALSE);
    g_string_append (out, "; fontsize=15");
    if (cl->plain)
        g_string_append (out, ";\n    style=invis;\n");
    else if (cl->device)
        g_string_append (out, ";\n    style=\"dashed,filled\"; fillcolor=\"#edf8e9\";\n");
    else
        g_string_append (out, ";\n    style=\"rounded,filled\"; fillcolor=\"#f5f5f5\";"
                              " color=\"#d9d9d9\";\n");
    for (size_t i = first; i != SIZE_MAX; i = next[i])
        write_node (g_ptr_array_index (d->nodes, i), out);
    g_string_append (out, "  }\n");
}

static void
append_pen (GString *out, size_t users, size_t max)
{
    double w = users == 0 || max == 0 ? 1.0 : 1.0 + (MAX_PEN - 1.0) * sqrt ((double) users / max);
    g_string_append (out, ", penwidth=");
    fsim_svg_number (out, w);
}

static void
edge_label (const FsimIDiagram *d, const FsimIEdge *e, GString *label)
{
    g_autofree char *users = fsim_fmt_count (e->users), *nc = fsim_fmt_count (e->no_consent);
    if (d->uniform || e->colour)
        g_string_append (label, e->reason ? e->reason : "");
    else if (e->blocked)
        g_string_append_printf (label, "blocked%s%s", e->reason ? ": " : "",
                                e->reason ? e->reason : "");
    else if (d->quiet && e->channel != FSIM_CHANNEL_DOWNSTREAM)
        return; /* the counts are in the boxes */
    else if (e->channel < 0 && e->no_consent > 0)
        g_string_append_printf (label, "%s (%s without consent)", users, nc);
    else if (e->users > 0)
        g_string_append_printf (label, "%s", users);
}

static void
write_edge (const FsimIDiagram *d, const FsimIEdge *e, size_t max, GString *out)
{
    const FsimINode *from = g_ptr_array_index (d->nodes, e->from);
    const FsimINode *to = g_ptr_array_index (d->nodes, e->to);
    gboolean muted = e->blocked || (e->users == 0 && !d->uniform && !e->colour);
    gboolean no_consent = e->channel < 0 ? e->no_consent > 0 : e->channel != FSIM_CHANNEL_SELF;
    const char *colour = e->colour        ? e->colour
                         : muted          ? MUTED_COLOUR
                         : e->channel < 0 ? STORE_COLOUR
                                          : channel_colour[e->channel];
    const char *style = e->style ? e->style : muted ? "dotted" : no_consent ? "dashed" : "solid";
    g_autoptr (GString) label = g_string_new (NULL);

    g_string_append (out, "  ");
    fsim_diagram_dot_string (out, from->id);
    g_string_append (out, " -> ");
    fsim_diagram_dot_string (out, to->id);
    g_string_append_printf (out, " [color=\"%s\", fontcolor=\"%s\", style=%s", colour, colour,
                            style);
    if (d->uniform || (e->colour && e->users == 0))
        g_string_append (out, muted ? ", penwidth=1" : ", penwidth=2.5");
    else
        append_pen (out, muted ? 0 : e->users, max);
    edge_label (d, e, label);
    if (label->len) {
        g_string_append (out, ", label=");
        fsim_diagram_dot_string (out, label->str);
    }
    g_string_append (out, "];\n");
}

/* A label's lines: each at 6 bytes a byte (DOT's escapes and the legend's markup are at most
 * that), with the separators of up to WRAP_LINES wrapped lines. */
static guint64
room_lines (const GPtrArray *lines)
{
    guint64 bytes = 2;
    for (size_t i = 0; i < lines->len; i++)
        bytes += fsim_room_text (g_ptr_array_index (lines, i)) + 4 * WRAP_LINES;
    return bytes;
}

guint64
fsim_i_diagram_room (const FsimIDiagram *d)
{
    g_return_val_if_fail (d != NULL, 0);
    /* the graph's attributes, node and edge defaults; a node's or edge's attributes (the legend's
     * table: its tags, a few hundred bytes a line) */
    guint64 bytes = 1024 + room_lines (d->title);
    for (size_t c = 0; c < d->clusters->len; c++) {
        const FsimICluster *cl = g_ptr_array_index (d->clusters, c);
        bytes += fsim_room_text (cl->label) + 256;
    }
    for (size_t i = 0; i < d->nodes->len; i++) {
        const FsimINode *n = g_ptr_array_index (d->nodes, i);
        bytes += fsim_room_text (n->id) + room_lines (n->lines) + 256 + 256 * n->lines->len;
    }
    for (size_t i = 0; i < d->edges->len; i++) {
        const FsimIEdge *e = g_ptr_array_index (d->edges, i);
        const FsimINode *from = g_ptr_array_index (d->nodes, e->from);
        const FsimINode *to = g_ptr_array_index (d->nodes, e->to);
        /* "blocked: REASON" or "N (M without consent)" */
        bytes +=
            fsim_room_text (from->id) + fsim_room_text (to->id) + fsim_room_text (e->reason) + 320;
    }
    return bytes;
}

gboolean
fsim_i_diagram_write (const FsimIDiagram *d, GString *out, GError **error)
{
    if (!fsim_room_reserve (out, fsim_i_diagram_room (d), "the diagram", error))
        return FALSE;
    /* the buffer's size, not its address: g_realloc may grow it in place */
    size_t allocated = out->allocated_len;
    size_t max = 0;
    for (size_t i = 0; i < d->edges->len; i++) {
        const FsimIEdge *e = g_ptr_array_index (d->edges, i);
        if (!e->blocked)
            max = MAX (max, e->users);
    }
    g_string_append (out, "digraph flowsim {\n"
                          "  graph [rankdir=LR, newrank=true, ranksep=0.9, nodesep=0.18, "
                          "fontname=\"Helvetica\", fontsize=18, labelloc=t, label=");
    dot_lines (out, d->title, "\\n", FALSE);
    g_string_append (out, "];\n");
    if (d->aspect > 0) {
        g_string_append (out, "  graph [ratio=");
        fsim_svg_number (out, d->aspect);
        g_string_append (out, "];\n");
    }
    g_string_append (out, "  node [fontname=\"Helvetica\", fontsize=14, margin=\"0.3,0.06\"];\n"
                          "  edge [fontname=\"Helvetica\", fontsize=13, arrowsize=0.7];\n");
    /* each cluster's nodes in node order, linked once: a pass over every node per cluster was
     * clusters x nodes (an API's cluster each, a partner's node each) */
    g_autofree size_t *first = g_new (size_t, d->clusters->len + 1);
    g_autofree size_t *last = g_new (size_t, d->clusters->len + 1);
    g_autofree size_t *next = g_new (size_t, d->nodes->len + 1);
    for (size_t c = 0; c < d->clusters->len; c++)
        first[c] = last[c] = SIZE_MAX;
    for (size_t i = 0; i < d->nodes->len; i++) {
        size_t c = ((const FsimINode *) g_ptr_array_index (d->nodes, i))->cluster;
        next[i] = SIZE_MAX;
        if (c >= d->clusters->len)
            continue;
        if (last[c] == SIZE_MAX)
            first[c] = i;
        else
            next[last[c]] = i;
        last[c] = i;
    }
    for (size_t c = 0; c < d->clusters->len; c++)
        write_cluster (d, c, first[c], next, out);
    for (size_t i = 0; i < d->edges->len; i++)
        write_edge (d, g_ptr_array_index (d->edges, i), max, out);
    g_string_append (out, "}\n");
    g_warn_if_fail (out->allocated_len == allocated); /* the room held it: the text never grew */
    return TRUE;
}
