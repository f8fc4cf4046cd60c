/* SPDX-License-Identifier: MIT */
/* diff-diagram.c: the flows gained and lost between two scenarios, as a DOT diagram. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "diagram-private.h"
#include "diff-diagram.h"
#include "graphviz.h"
#include "text.h"

enum { KEPT, GAINED, LOST };

static const char *const colours[] = {
    [KEPT] = "#969696", [GAINED] = "#1a9850", [LOST] = "#d73027"
};
static const char *const styles[] = { [KEPT] = "solid", [GAINED] = "solid", [LOST] = "dashed" };

typedef struct {
    const FsimDiff *diff;
    FsimIDiagram *d;
    size_t fields, partners;
    GHashTable *clusters; /* jurisdiction -> cluster + 1 */
} Draw;

static size_t
group_node (Draw *w, const char *field)
{
    const char *dot = strchr (field, '.');
    g_autofree char *group = dot ? g_strndup (field, (size_t) (dot - field)) : g_strdup (field);
    g_autofree char *id = g_strconcat ("fields:", group, NULL);
    gboolean created = FALSE;
    size_t n = fsim_i_diagram_node (w->d, id, w->fields, FSIM_I_NODE_FIELDS, &created);
    if (created)
        fsim_i_node_line (g_ptr_array_index (w->d->nodes, n), "%s", group);
    return n;
}

static const FsimDiffPartner *
find_partner (const FsimDiff *diff, const char *id)
{
    for (size_t i = 0; i < diff->partners->len; i++) {
        const FsimDiffPartner *p = &g_array_index (diff->partners, FsimDiffPartner, i);
        if (strcmp (p->partner, id) == 0)
            return p;
    }
    return NULL;
}

/* The verdict in words (the analysis's codes are for JSON and scripts). */
static const char *
verdict_words (FsimDiffVerdict v)
{
    switch (v) {
    case FSIM_DIFF_EQUIVALENT:
        return "the same flows";
    case FSIM_DIFF_MORE_PERMISSIVE:
        return "more flows, none lost";
    case FSIM_DIFF_LESS_PERMISSIVE:
        return "fewer flows, none new";
    case FSIM_DIFF_INCOMPARABLE:
        return "flows gained and lost";
    case FSIM_DIFF_ADDED:
        return "only in the what-if";
    case FSIM_DIFF_REMOVED:
        return "only in the base";
    default:
        return fsim_diff_verdict_to_string (v);
    }
}

static size_t
partner_node (Draw *w, const char *partner)
{
    g_autofree char *id = g_strconcat ("partner:", partner, NULL);
    gboolean created = FALSE;
    size_t n = fsim_i_diagram_node (w->d, id, w->partners, FSIM_I_NODE_PARTNER, &created);
    const FsimDiffPartner *p = find_partner (w->diff, partner);
    if (created) {
        FsimINode *node = g_ptr_array_index (w->d->nodes, n);
        fsim_i_node_line (node, "%s", partner);
        if (p) {
            fsim_i_node_line (node, "%s", verdict_words (p->verdict));
            g_autofree char *gained = fsim_fmt_count (p->gained);
            g_autofree char *lost = fsim_fmt_count (p->lost);
            fsim_i_node_line (node, "+%s / -%s flows", gained, lost);
        }
    }
    return n;
}

static size_t
destination_node (Draw *w, const FsimDiffFlow *f)
{
    const char *key = f->on_device ? "device" : f->jurisdiction;
    gpointer found = g_hash_table_lookup (w->clusters, key);
    size_t c = found ? GPOINTER_TO_SIZE (found) - 1
                     : fsim_i_diagram_cluster (w->d, f->on_device ? "On the user's device" : key,
                                               f->on_device);
    if (!found)
        g_hash_table_insert (w->clusters, (gpointer) key, GSIZE_TO_POINTER (c + 1));
    /* one node per place: a destination moved from the device to a server is two nodes */
    g_autofree char *id = g_strdup_printf ("dest:%s/%s@%s", f->partner, f->destination, key);
    gboolean created = FALSE;
    size_t n = fsim_i_diagram_node (
        w->d, id, c, f->on_device ? FSIM_I_NODE_DEVICE : FSIM_I_NODE_SERVER, &created);
    if (created)
        fsim_i_node_line (g_ptr_array_index (w->d->nodes, n), "%s: %s", f->partner, f->destination);
    return n;
}

/* Up to three edges from @from to @to: users kept, gained and lost. */
static void
add_edges (Draw *w, size_t from, size_t to, size_t after, size_t gained, size_t lost)
{
    size_t kept = after > gained ? after - gained : 0;
    const size_t counts[] = { [KEPT] = kept, [GAINED] = gained, [LOST] = lost };
    for (int k = KEPT; k <= LOST; k++)
        if (counts[k] > 0)
            fsim_i_diagram_edge_styled (w->d, from, to, k, counts[k], colours[k], styles[k], NULL);
}

/* Each edge's label: its (merged) count with a sign. */
static void
label_edges (FsimIDiagram *d)
{
    for (size_t i = 0; i < d->edges->len; i++) {
        FsimIEdge *e = g_ptr_array_index (d->edges, i);
        g_free (e->reason);
        g_autofree char *users = fsim_fmt_count (e->users);
        e->reason = g_strconcat (e->channel == GAINED ? "+"
                                 : e->channel == LOST ? "-"
                                                      : "",
                                 users, NULL);
    }
}

/* The partners a diagram draws, at most: each with all its rows, so that a partner's lost and
 * gained flows are drawn together (a cap on rows cut a move between destinations in two). */
#define MAX_PARTNERS_DRAWN 16u

/* Draws the rows reached of the first MAX_PARTNERS_DRAWN partners to appear, in the rows' order:
 * the partners with changed rows, with their kept rows too; only when nothing changed, the
 * partners with kept rows.
 * diff->flows holds the first changed rows and the first FSIM_DIFF_MAX_DRAWN kept ones. Returns
 * how many rows were drawn; *@out_capped says whether a partner was left out for the cap. */
static size_t
draw_rows (Draw *w, const FsimFocus *focus, gboolean *out_capped)
{
    const FsimDiff *diff = w->diff;
    g_autoptr (GHashTable) drawn = g_hash_table_new (g_str_hash, g_str_equal);
    g_autoptr (GHashTable) pairs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    size_t rows = 0;
    w->fields = fsim_i_diagram_cluster (w->d, "Fields, by taxonomy", FALSE);
    w->partners = fsim_i_diagram_cluster (w->d, "Partners", FALSE);
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < diff->flows->len; i++) {
            const FsimDiffFlow *f = &g_array_index (diff->flows, FsimDiffFlow, i);
            gboolean changed = f->gained || f->lost;
            if ((f->before == 0 && f->after == 0) || changed != (pass == 0) ||
                !fsim_diff_focus_flow (diff, focus, f))
                continue;
            if (!g_hash_table_contains (drawn, f->partner)) {
                /* unchanged partners only in a picture of no change, as the text leaves them out */
                if (pass == 1 && rows > 0)
                    continue;
                if (g_hash_table_size (drawn) >= MAX_PARTNERS_DRAWN) {
                    *out_capped = TRUE;
                    continue;
                }
                g_hash_table_add (drawn, (gpointer) f->partner);
            }
            size_t p = partner_node (w, f->partner);
            /* field to partner once per (field, partner), with the pair's users: a field kept
             * by the partner but stored elsewhere is kept there, not lost and gained */
            g_autofree char *pair = g_strconcat (f->field, "\n", f->partner, NULL);
            if (g_hash_table_add (pairs, g_steal_pointer (&pair)))
                add_edges (w, group_node (w, f->field), p, f->pair_after, f->pair_gained,
                           f->pair_lost);
            add_edges (w, p, destination_node (w, f), f->after, f->gained, f->lost);
            rows++;
        }
    return rows;
}

gboolean
fsim_diff_write_dot (const FsimDiff *diff, const FsimFocus *focus, GString *out, GError **error)
{
    g_return_val_if_fail (diff != NULL && out != NULL, FALSE);
    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
    g_autoptr (FsimIDiagram) d = fsim_i_diagram_new ();
    g_autoptr (GHashTable) clusters = g_hash_table_new (g_str_hash, g_str_equal);
    Draw w = { .diff = diff, .d = d, .clusters = clusters };
    const char *base = diff->base->id ? diff->base->id : "base";
    const char *whatif = diff->whatif->id ? diff->whatif->id : "what-if";

    g_ptr_array_add (d->title, g_strdup_printf ("%s (%s) -> %s (%s)", base, diff->base->date_string,
                                                whatif, diff->whatif->date_string));
    if (focus && focus->description)
        g_ptr_array_add (d->title, g_strdup_printf ("focus: %s", focus->description));
    g_autofree char *users = fsim_fmt_count (diff->n_users);
    g_autofree char *newly = fsim_fmt_count (diff->newly_exposed);
    g_autofree char *no_longer = fsim_fmt_count (diff->no_longer_exposed);
    g_ptr_array_add (d->title, g_strdup_printf ("%s users: %s newly exposed, %s no longer", users,
                                                newly, no_longer));
    g_ptr_array_add (d->title, g_strdup ("green: flows gained; red, dashed: lost; grey: kept"));
    gboolean capped = FALSE;
    size_t drawn = draw_rows (&w, focus, &capped);
    size_t reached = diff->flows_changed + diff->flows_kept;
    if (reached > drawn) {
        g_autofree char *more = fsim_fmt_count (reached - drawn);
        g_ptr_array_add (
            d->title, capped ? g_strdup_printf ("%s more flow rows not drawn: at most %u partners "
                                                "are, the changed ones first",
                                                more, MAX_PARTNERS_DRAWN)
                             : g_strdup_printf ("%s more flow rows not drawn: the partners that "
                                                "did not change are left out",
                                                more));
        g_ptr_array_add (d->title, g_strdup ("(the text and JSON list more; --partner or --field "
                                             "chooses fewer)"));
    }
    label_edges (d);
    return fsim_i_diagram_write (d, out, error);
}

/* The comparison's bounds for Graphviz (diff-diagram.h), with `flowsim diff`'s advice. */
static const FsimGraphvizBounds diff_layout = {
    .max_nodes = FSIM_DIFF_MAX_LAYOUT_NODES,
    .max_edges = FSIM_DIFF_MAX_LAYOUT_EDGES,
    .max_passes = FSIM_GRAPHVIZ_MAX_PASSES,
    .advice = "draw less of it (--partner, --field, --jurisdiction), or write it as DOT and run "
              "dot on it yourself"
};

gboolean
fsim_diff_draw (const FsimDiff *d, const FsimFocus *focus, const char *format, const char *program,
                GString *out, GError **error)
{
    g_return_val_if_fail (d != NULL && format != NULL && out != NULL, FALSE);
    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
    g_autoptr (GString) dot = g_string_new (NULL);
    if (!fsim_diff_write_dot (d, focus, dot, error))
        return FALSE;
    if (!fsim_graphviz_convert (program, dot, format, &diff_layout, error))
        return FALSE;
    g_string_append_len (out, dot->str, (gssize) dot->len);
    return TRUE;
}
