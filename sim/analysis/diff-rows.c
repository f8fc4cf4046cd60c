/* SPDX-License-Identifier: MIT */
/* diff-rows.c: diff's flow rows, compactly: built once, made FsimDiffFlow rows only if listed. */
#include "config.h"

#include <string.h>

#include "analysis-private.h"
#include "diff-private.h"
#include "memory.h"

/*
 * A row is a (field, partner, destination) of either model, keyed by the ids of field, partner,
 * destination and jurisdiction so that both models can be compared: the base's rows in model
 * order, then the what-if's that the base does not have. Only rows in focus are kept, 12 bytes
 * each, with a 20-byte entry per (field, partner) pair; no string is hashed per row (the what-if's
 * fields and partners are mapped to the base's once, jurisdictions per destination). At the model
 * limits (2^21 rows a side) that is under 70 MB, where FsimDiffFlow rows for all took 150 MB; only
 * the rows a report lists become FsimDiffFlow rows (fsim_i_diff_rows_list()).
 */

typedef struct {
    FsimDiff *diff;
    FsimIDiffRows *r;
    const FsimScenario *s[2];
    FsimLanes *const *lanes;
    guint32 *dest_start[2];   /* [p]: partner p's first destination in dest_jur[k] */
    guint32 *dest_jur[2];     /* [dest_start[k][p] + d]: the destination's jurisdiction */
    gboolean *jur_focus;      /* [j] */
    gboolean *partner_focus;  /* [diff->partners index] */
    gboolean *field_focus[2]; /* [f] of each model */
} Build;

static void
build_clear (Build *b)
{
    for (int k = 0; k < 2; k++) {
        g_free (b->dest_start[k]);
        g_free (b->dest_jur[k]);
        g_free (b->field_focus[k]);
    }
    g_free (b->jur_focus);
    g_free (b->partner_focus);
}

void
fsim_i_diff_rows_free (FsimIDiffRows *r)
{
    if (!r)
        return;
    g_free (r->pairs);
    g_free (r->rows);
    g_free (r->partner_whatif);
    g_free (r->counts);
    g_free (r);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
    return strcmp (((const FsimDiffJurisdiction *) a)->jurisdiction,
                   ((const FsimDiffJurisdiction *) b)->jurisdiction);
}

/* The jurisdictions of both models, sorted, each destination's, and which are in @focus. */
static void
build_jurisdictions (Build *b, const FsimFocus *focus)
{
    FsimDiff *diff = b->diff;
    g_autoptr (GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
    for (int k = 0; k < 2; k++) {
        const FsimScenario *s = b->s[k];
        b->dest_start[k] = g_new (guint32, s->n_partners + 1);
        guint32 n = 0;
        for (size_t p = 0; p < s->n_partners; p++) {
            b->dest_start[k][p] = n;
            n += (guint32) s->partners[p].n_destinations;
        }
        b->dest_start[k][s->n_partners] = n;
        b->dest_jur[k] = g_new0 (guint32, n + 1);
        for (size_t p = 0; p < s->n_partners; p++)
            for (size_t d = 0; d < s->partners[p].n_destinations; d++) {
                const FsimDestination *dest = &s->partners[p].destinations[d];
                const char *j = fsim_i_dest_jurisdiction (dest);
                if (fsim_bits_any (dest->fields, s->field_words) &&
                    g_hash_table_add (index, (gpointer) j)) {
                    FsimDiffJurisdiction row = { .jurisdiction = j };
                    g_array_append_val (diff->jurisdictions, row);
                }
            }
    }
    g_array_sort (diff->jurisdictions, compare_names);
    guint nj = diff->jurisdictions->len;
    b->jur_focus = g_new0 (gboolean, nj + 1);
    for (guint j = 0; j < nj; j++) {
        const char *name =
            g_array_index (diff->jurisdictions, FsimDiffJurisdiction, j).jurisdiction;
        g_hash_table_insert (index, (gpointer) name, GUINT_TO_POINTER (j));
        b->jur_focus[j] = fsim_diff_focus_jurisdiction (focus, name);
    }
    for (int k = 0; k < 2; k++)
        for (size_t p = 0; p < b->s[k]->n_partners; p++)
            for (size_t d = 0; d < b->s[k]->partners[p].n_destinations; d++) {
                const char *j = fsim_i_dest_jurisdiction (&b->s[k]->partners[p].destinations[d]);
                /* a destination that receives nothing has no rows: its entry stays 0 */
                gpointer found = NULL;
                if (g_hash_table_lookup_extended (index, j, NULL, &found))
                    b->dest_jur[k][b->dest_start[k][p] + d] = GPOINTER_TO_UINT (found);
            }
}

/* Which partners (diff->partners) and fields of each model @focus selects; the what-if's index
 * of each partner. */
static void
build_focus (Build *b, const FsimFocus *focus)
{
    FsimDiff *diff = b->diff;
    guint np = diff->partners->len;
    b->partner_focus = g_new0 (gboolean, np + 1);
    b->r->partner_whatif = g_new0 (gssize, np + 1);
    for (guint i = 0; i < np; i++) {
        const char *id = g_array_index (diff->partners, FsimDiffPartner, i).partner;
        b->partner_focus[i] = fsim_diff_focus_partner (diff, focus, id);
        b->r->partner_whatif[i] = fsim_scenario_find_partner (diff->whatif, id);
    }
    for (int k = 0; k < 2; k++) {
        b->field_focus[k] = g_new0 (gboolean, b->s[k]->n_fields + 1);
        for (size_t f = 0; f < b->s[k]->n_fields; f++)
            b->field_focus[k][f] = fsim_diff_focus_field (diff, focus, b->s[k]->fields[f].id);
    }
}

static guint32
add_pair (FsimIDiffRows *r, guint32 partner)
{
    FsimIDiffPair *pair = &r->pairs[r->n_pairs];
    *pair = (FsimIDiffPair){ .slot = { -1, -1 }, .field = { -1, -1 }, .partner = partner };
    return (guint32) r->n_pairs++;
}

static void
add_row (FsimIDiffRows *r, guint32 pair, guint32 jur, size_t dest, guint32 sides)
{
    r->rows[r->n_rows++] =
        (FsimIDiffRow){ .pair = pair, .jur = jur, .dest = (guint32) dest, .sides = sides };
}

/* The base's rows in focus, in model order; @first[f * np + p] gets each pair's first row. */
static void
base_rows (Build *b, guint32 *first)
{
    const FsimScenario *s = b->s[0];
    FsimIDiffRows *r = b->r;
    size_t np = s->n_partners;
    memset (first, 0xff, s->n_fields * np * sizeof *first);
    for (size_t f = 0; f < s->n_fields; f++)
        for (size_t p = 0; p < np && b->field_focus[0][f]; p++)
            for (size_t d = 0; b->partner_focus[p] && d < s->partners[p].n_destinations; d++) {
                const FsimDestination *dest = &s->partners[p].destinations[d];
                guint32 j = b->dest_jur[0][b->dest_start[0][p] + d];
                if (!fsim_bits_get (dest->fields, f) || !b->jur_focus[j])
                    continue;
                if (first[f * np + p] == G_MAXUINT32) {
                    first[f * np + p] = (guint32) r->n_rows;
                    FsimIDiffPair *pair = &r->pairs[add_pair (r, (guint32) p)];
                    pair->slot[0] = (gint32) fsim_lanes_slot (b->lanes[0], f, p);
                    pair->field[0] = (gint32) f;
                    pair->focus = FSIM_I_DIFF_BASE;
                }
                /* the rows of a pair are consecutive: the last pair is this one */
                add_row (r, (guint32) r->n_pairs - 1, j, d, FSIM_I_DIFF_BASE);
            }
}

/* The base's row from @head (G_MAXUINT32: none) of the same pair in jurisdiction @j for a
 * destination with @dest's id, or -1. */
static gssize
base_row (const Build *b, guint32 head, guint32 j, const FsimDestination *dest)
{
    const FsimIDiffRows *r = b->r;
    if (head == G_MAXUINT32)
        return -1;
    guint32 pair = r->rows[head].pair;
    gssize p = (gssize) r->pairs[pair].partner;
    for (size_t i = head;
         i < r->n_rows && r->rows[i].pair == pair && (r->rows[i].sides & FSIM_I_DIFF_BASE); i++)
        if (r->rows[i].jur == j &&
            strcmp (b->s[0]->partners[p].destinations[r->rows[i].dest].id, dest->id) == 0)
            return (gssize) i;
    return -1;
}

/* The what-if's rows in focus: marks those the base has, appends the others. */
static gboolean
whatif_rows (Build *b, const guint32 *first, GError **error)
{
    const FsimScenario *base = b->s[0], *w = b->s[1];
    FsimIDiffRows *r = b->r;
    size_t npb = base->n_partners, nfw = w->n_fields, npw = w->n_partners;
    g_autofree gssize *map_f = fsim_try_new (nfw + 1, sizeof (gssize), "diff's fields", error);
    g_autofree guint32 *partner_ix =
        map_f ? fsim_try_new (npw + 1, sizeof (guint32), "diff's partners", error) : NULL;
    if (!partner_ix)
        return FALSE;
    for (size_t f = 0; f < nfw; f++)
        map_f[f] = fsim_scenario_find_field (base, w->fields[f].id);
    for (guint i = 0; i < b->diff->partners->len; i++)
        if (r->partner_whatif[i] >= 0)
            partner_ix[r->partner_whatif[i]] = i;
    for (size_t f = 0; f < nfw; f++)
        for (size_t p = 0; p < npw && b->field_focus[1][f]; p++) {
            if (!b->partner_focus[partner_ix[p]])
                continue;
            guint32 head = map_f[f] >= 0 && partner_ix[p] < npb
                               ? first[(size_t) map_f[f] * npb + partner_ix[p]]
                               : G_MAXUINT32;
            guint32 pair = head != G_MAXUINT32 ? r->rows[head].pair : G_MAXUINT32;
            for (size_t d = 0; d < w->partners[p].n_destinations; d++) {
                const FsimDestination *dest = &w->partners[p].destinations[d];
                guint32 j = b->dest_jur[1][b->dest_start[1][p] + d];
                if (!fsim_bits_get (dest->fields, f) || !b->jur_focus[j])
                    continue;
                gssize row = base_row (b, head, j, dest);
                if (pair == G_MAXUINT32)
                    pair = add_pair (r, partner_ix[p]);
                if (row >= 0)
                    r->rows[row].sides |= FSIM_I_DIFF_WHATIF;
                else
                    add_row (r, pair, j, d, FSIM_I_DIFF_WHATIF);
                FsimIDiffPair *x = &r->pairs[pair];
                x->slot[1] = (gint32) fsim_lanes_slot (b->lanes[1], f, p);
                x->field[1] = (gint32) f;
                x->focus |= FSIM_I_DIFF_WHATIF;
            }
        }
    return TRUE;
}

/* (field, destination) pairs of @s: the rows it has. */
static size_t
count_rows (const FsimScenario *s)
{
    size_t n = 0;
    for (size_t p = 0; p < s->n_partners; p++)
        for (size_t d = 0; d < s->partners[p].n_destinations; d++)
            n += fsim_bits_count (s->partners[p].destinations[d].fields, s->field_words);
    return n;
}

FsimIDiffRows *
fsim_i_diff_rows_new (FsimDiff *diff, FsimLanes *const lanes[2], const FsimFocus *focus,
                      GError **error)
{
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);
    g_autoptr (FsimIDiffRows) r = g_new0 (FsimIDiffRows, 1);
    Build b = { .diff = diff, .r = r, .s = { diff->base, diff->whatif }, .lanes = lanes };
    size_t cap = count_rows (diff->base) + count_rows (diff->whatif);
    /* not touched beyond the rows in focus: malloc'd pages are not resident until written */
    r->rows = fsim_try_new (cap + 1, sizeof (FsimIDiffRow), "diff's flow rows", error);
    r->pairs =
        r->rows ? fsim_try_new (cap + 1, sizeof (FsimIDiffPair), "diff's flow rows", error) : NULL;
    g_autofree guint32 *first =
        r->pairs ? fsim_try_new (diff->base->n_fields * diff->base->n_partners + 1,
                                 sizeof (guint32), "diff's (field, partner) pairs", error)
                 : NULL;
    if (!first)
        return NULL;
    build_jurisdictions (&b, focus);
    build_focus (&b, focus);
    base_rows (&b, first);
    gboolean ok = whatif_rows (&b, first, error);
    build_clear (&b);
    return ok ? g_steal_pointer (&r) : NULL;
}

/* Row @row's counts from its pair's. */
static void
row_counts (const FsimIDiffRows *r, const FsimIDiffRow *row, FsimDiffFlow *out)
{
    const guint32 *c = &r->counts[(size_t) row->pair * 3];
    size_t both = row->sides == (FSIM_I_DIFF_BASE | FSIM_I_DIFF_WHATIF) ? c[2] : 0;
    out->before = (row->sides & FSIM_I_DIFF_BASE) ? c[0] : 0;
    out->after = (row->sides & FSIM_I_DIFF_WHATIF) ? c[1] : 0;
    out->gained = out->after - both;
    out->lost = out->before - both;
    out->pair_before = c[0];
    out->pair_after = c[1];
    out->pair_gained = c[1] - c[2];
    out->pair_lost = c[0] - c[2];
}

void
fsim_i_diff_row_flow (const FsimDiff *diff, const FsimIDiffRows *r, size_t i, FsimDiffFlow *out)
{
    g_return_if_fail (i < r->n_rows);
    const FsimIDiffRow *row = &r->rows[i];
    const FsimIDiffPair *pair = &r->pairs[row->pair];
    int k = (row->sides & FSIM_I_DIFF_BASE) ? 0 : 1;
    const FsimScenario *s = k ? diff->whatif : diff->base;
    size_t p = k ? (size_t) r->partner_whatif[pair->partner] : pair->partner;
    const FsimDestination *dest = &s->partners[p].destinations[row->dest];
    *out = (FsimDiffFlow){ .field = s->fields[pair->field[k]].id,
                           .partner = s->partners[p].id,
                           .destination = dest->id,
                           .jurisdiction = fsim_i_dest_jurisdiction (dest),
                           .on_device = dest->on_device };
    if (r->counts)
        row_counts (r, row, out);
}

void
fsim_i_diff_rows_list (FsimDiff *diff, const FsimIDiffRows *r)
{
    g_return_if_fail (r->counts != NULL);
    for (size_t i = 0; i < r->n_rows; i++) {
        FsimDiffFlow f = { 0 };
        row_counts (r, &r->rows[i], &f);
        FsimDiffPartner *p =
            &g_array_index (diff->partners, FsimDiffPartner, r->pairs[r->rows[i].pair].partner);
        p->gained += f.gained;
        p->lost += f.lost;
        gboolean changed = f.gained || f.lost, kept = !changed && (f.before || f.after);
        gboolean listed = diff->flows_total < FSIM_DIFF_MAX_LISTED ||
                          (changed && diff->flows_changed < FSIM_DIFF_MAX_LISTED) ||
                          (kept && diff->flows_kept < FSIM_DIFF_MAX_DRAWN);
        diff->flows_total++;
        diff->flows_changed += changed;
        diff->flows_kept += kept;
        if (listed) {
            fsim_i_diff_row_flow (diff, r, i, &f);
            g_array_append_val (diff->flows, f);
        }
    }
}
