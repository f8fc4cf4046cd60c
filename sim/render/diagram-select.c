/* SPDX-License-Identifier: MIT */
/* diagram-select.c: which partners the diagram draws alone, which in groups, which not at all. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "diagram-private.h"
#include "diagram.h"
#include "findings.h"

/*
 * A diagram stays legible when it draws a handful of partners: the focus options drop the
 * partners outside the question asked (--partner, --field, --jurisdiction), then the @top
 * partners are drawn one by one, named ones first (a partner tagged "unnamed" is one the
 * sources do not name), most users reached next; the others share one box per group
 * (--group-by: kind, first distinguishing tag, or country), the unnamed ones apart.
 */

const char *
fsim_diagram_group_to_string (FsimDiagramGroup g)
{
    static const char *const names[] = { "kind", "tag", "jurisdiction", "none" };
    G_STATIC_ASSERT (G_N_ELEMENTS (names) == _FSIM_DIAGRAM_GROUP_MAX);
    return (unsigned) g < G_N_ELEMENTS (names) ? names[g] : "?";
}

gboolean
fsim_diagram_group_from_string (const char *s, FsimDiagramGroup *out)
{
    for (int g = 0; g < _FSIM_DIAGRAM_GROUP_MAX; g++)
        if (s && strcmp (s, fsim_diagram_group_to_string ((FsimDiagramGroup) g)) == 0) {
            *out = (FsimDiagramGroup) g;
            return TRUE;
        }
    return FALSE;
}

char *
fsim_i_plain_words (const char *code)
{
    char *s = g_strdup (code ? code : "");
    g_strdelimit (s, "_", ' ');
    return s;
}

typedef struct {
    const FsimScenario *s;
    const size_t *reach;
} Order;

static int
compare_partners (gconstpointer pa, gconstpointer pb, gpointer data)
{
    size_t a = *(const size_t *) pa, b = *(const size_t *) pb;
    const Order *o = data;
    gboolean ua = fsim_partner_is_unnamed (&o->s->partners[a]);
    gboolean ub = fsim_partner_is_unnamed (&o->s->partners[b]);
    if (ua != ub)
        return ua ? 1 : -1;
    if (o->reach[a] != o->reach[b])
        return o->reach[a] > o->reach[b] ? -1 : 1;
    return a < b ? -1 : a > b;
}

/* The number of partners of @s with each tag (a partner counted once however often it lists the
 * tag): tag -> count, the keys borrowed from @s. Counted once, where asking every partner for
 * every grouped partner's tags was partners x tags squared. */
static GHashTable *
tag_counts (const FsimScenario *s)
{
    GHashTable *counts = g_hash_table_new (g_str_hash, g_str_equal);
    g_autoptr (GHashTable) last = g_hash_table_new (g_str_hash, g_str_equal); /* tag -> q + 1 */
    for (size_t q = 0; q < s->n_partners; q++)
        for (char **u = s->partners[q].tags; u && *u; u++) {
            if (GPOINTER_TO_SIZE (g_hash_table_lookup (last, *u)) == q + 1)
                continue; /* listed twice by the same partner */
            g_hash_table_insert (last, *u, GSIZE_TO_POINTER (q + 1));
            g_hash_table_insert (
                counts, *u,
                GSIZE_TO_POINTER (GPOINTER_TO_SIZE (g_hash_table_lookup (counts, *u)) + 1));
        }
    return counts;
}

/* The first tag of @p that not every partner of @s has (@counts: tag_counts()), or NULL. */
static const char *
distinguishing_tag (const FsimScenario *s, GHashTable *counts, const FsimPartner *p)
{
    for (char **t = p->tags; t && *t; t++)
        if (GPOINTER_TO_SIZE (g_hash_table_lookup (counts, *t)) < s->n_partners)
            return *t;
    return NULL;
}

/* The name of @p's group, in words, plural ("unnamed device makers", "partners based in CN"). */
static char *
group_name (const FsimScenario *s, GHashTable *tags, const FsimPartner *p, FsimDiagramGroup by)
{
    gboolean unnamed = fsim_partner_is_unnamed (p);
    const char *tag = by == FSIM_DIAGRAM_GROUP_TAG ? distinguishing_tag (s, tags, p) : NULL;
    g_autofree char *kind = fsim_i_plain_words (p->kind);
    switch (by) {
    case FSIM_DIAGRAM_GROUP_KIND:
        return g_strdup_printf ("%s%ss", unnamed ? "unnamed " : "other ", kind);
    case FSIM_DIAGRAM_GROUP_TAG:
        return tag ? g_strdup_printf ("partners tagged %s", tag) : g_strdup ("other partners");
    case FSIM_DIAGRAM_GROUP_JURISDICTION:
        return p->country
                   ? g_strdup_printf ("%spartners based in %s", unnamed ? "unnamed " : "",
                                      p->country)
                   : g_strdup_printf ("%spartners, country not given", unnamed ? "unnamed " : "");
    case FSIM_DIAGRAM_GROUP_NONE:
    case _FSIM_DIAGRAM_GROUP_MAX:
        break;
    }
    return g_strdup (unnamed ? "unnamed partners" : "other partners");
}

static void
group_free (gpointer data)
{
    FsimIGroup *g = data;
    g_free (g->name);
    g_free (g);
}

void
fsim_i_pick_free (FsimIPick *pick)
{
    if (!pick)
        return;
    g_free (pick->dropped);
    g_free (pick->alone);
    g_free (pick->group);
    g_ptr_array_unref (pick->groups);
    g_free (pick);
}

FsimIPick *
fsim_i_diagram_pick (const FsimScenario *s, const size_t *reach, const gboolean *in_focus,
                     size_t top, FsimDiagramGroup by)
{
    FsimIPick *pick = g_new0 (FsimIPick, 1);
    g_autoptr (GArray) order = g_array_new (FALSE, FALSE, sizeof (size_t));
    g_autoptr (GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
    Order o = { s, reach };

    pick->dropped = g_new0 (gboolean, s->n_partners + 1);
    pick->alone = g_new0 (gboolean, s->n_partners + 1);
    pick->group = g_new0 (size_t, s->n_partners + 1);
    pick->groups = g_ptr_array_new_with_free_func (group_free);
    for (size_t p = 0; p < s->n_partners; p++) {
        pick->dropped[p] = in_focus && !in_focus[p];
        if (!pick->dropped[p])
            g_array_append_val (order, p);
    }
    g_array_sort_with_data (order, compare_partners, &o);
    g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
    g_autoptr (GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
    g_autoptr (GHashTable) tags =
        by == FSIM_DIAGRAM_GROUP_TAG && top > 0 && order->len > top ? tag_counts (s) : NULL;
    for (size_t i = 0; i < order->len; i++) {
        size_t p = g_array_index (order, size_t, i);
        pick->alone[p] = top == 0 || i < top;
        char *name = pick->alone[p] ? NULL : group_name (s, tags, &s->partners[p], by);
        g_ptr_array_add (names, name);
        if (name)
            g_hash_table_insert (
                counts, name,
                GSIZE_TO_POINTER (GPOINTER_TO_SIZE (g_hash_table_lookup (counts, name)) + 1));
    }
    for (size_t i = 0; i < order->len; i++) {
        size_t p = g_array_index (order, size_t, i);
        const char *name = g_ptr_array_index (names, i);
        /* a group of one is drawn alone: a box saying "1 other ..." helps no one */
        if (name && GPOINTER_TO_SIZE (g_hash_table_lookup (counts, name)) == 1)
            pick->alone[p] = TRUE;
        if (pick->alone[p])
            continue;
        size_t g = GPOINTER_TO_SIZE (g_hash_table_lookup (index, name));
        if (g == 0) {
            FsimIGroup *group = g_new0 (FsimIGroup, 1);
            group->name = g_strdup (name);
            g_ptr_array_add (pick->groups, group);
            g = pick->groups->len;
            g_hash_table_insert (index, group->name, GSIZE_TO_POINTER (g));
        }
        FsimIGroup *group = g_ptr_array_index (pick->groups, g - 1);
        group->n++;
        group->max_reach = MAX (group->max_reach, reach[p]);
        pick->group[p] = g - 1;
        pick->n_grouped++;
    }
    return pick;
}
