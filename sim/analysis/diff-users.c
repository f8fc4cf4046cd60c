/* SPDX-License-Identifier: MIT */
/* diff-users.c: diff's user-by-user comparison, 64 users at a time in the engine's lanes. */
#include "config.h"

#include <string.h>

#include "analysis-private.h"
#include "diff-private.h"
#include "engine.h"
#include "memory.h"

#define MAX_EXAMPLES 10

/*
 * Each model is traced by the engine's lanes (engine.h: fsim_lanes_trace()): for 64 users at a
 * time, one word per (field, partner) slot says which of them that field reached. A flow row
 * (field, partner, destination, jurisdiction: keyed by ids, so that both models can be
 * compared) takes its slot's word on each side, and every count is a popcount: rows x groups of
 * 64 users, where following users one by one cost users x fields x partners. Memory is a word
 * per slot and side, whatever the number of users.
 */

typedef struct {
    const FsimScenario *s;
    FsimLanes *lanes;
    FsimWord *reach, *self; /* [slot]: the current group's lanes */
    GArray *row_slot; /* [row]: gssize, the row's slot, or -1 (no such row, or never reached) */
} Side;

/* What the counts of one group need: the counted rows and what each belongs to. */
typedef struct {
    guint *rows; /* the rows in focus, ascending */
    guint n_rows;
    GArray *partners; /* [row]: guint, index into diff->partners */
    guint *row_jur;   /* [row]: index into diff->jurisdictions */
    GArray *pairs;    /* [row]: guint, its (field, partner) pair, numbered from 0 */
    guint n_pairs;
    guint capacity;                                /* rows of both models: at most this many rows */
    guint *pair_partner;                           /* [pair]: index into diff->partners */
    FsimWord *pair_b, *pair_w;                     /* [pair]: scratch */
    FsimWord *people_b, *people_w;                 /* [partner]: scratch */
    FsimWord *jur_b, *jur_w, *jur_nc_b, *jur_nc_w; /* [jurisdiction]: scratch */
} Rows;

#define ROW_PAIR(r, i) g_array_index ((r)->pairs, guint, (i))
#define ROW_PARTNER(r, i) g_array_index ((r)->partners, guint, (i))

/* (field, destination) pairs of @s: the rows it has. */
static guint
count_rows (const FsimScenario *s)
{
    size_t n = 0;
    for (size_t p = 0; p < s->n_partners; p++)
        for (size_t d = 0; d < s->partners[p].n_destinations; d++)
            n += fsim_bits_count (s->partners[p].destinations[d].fields, s->field_words);
    return (guint) MIN (n, (size_t) G_MAXUINT / 2);
}

static gboolean
side_init (Side *side, const FsimScenario *s, const FsimPopulation *pop, const FsimDecisions *d,
           guint rows, GError **error)
{
    side->s = s;
    side->row_slot = g_array_sized_new (FALSE, FALSE, sizeof (gssize), rows);
    side->lanes = fsim_lanes_new (s, pop, d, error);
    if (!side->lanes)
        return FALSE;
    size_t n = fsim_lanes_n_slots (side->lanes);
    side->reach = fsim_bits_new (n);
    side->self = fsim_bits_new (n);
    return TRUE;
}

static void
side_clear (Side *side)
{
    fsim_lanes_free (side->lanes);
    g_free (side->reach);
    g_free (side->self);
    if (side->row_slot)
        g_array_unref (side->row_slot);
}

static void
rows_clear (Rows *r)
{
    g_free (r->rows);
    if (r->partners)
        g_array_unref (r->partners);
    g_free (r->row_jur);
    if (r->pairs)
        g_array_unref (r->pairs);
    g_free (r->pair_partner);
    g_free (r->pair_b);
    g_free (r->pair_w);
    g_free (r->people_b);
    g_free (r->people_w);
    g_free (r->jur_b);
    g_free (r->jur_w);
    g_free (r->jur_nc_b);
    g_free (r->jur_nc_w);
}

/* Appends a row for destination @dest of partner @p receiving field @f of side @k. */
static guint
add_row (FsimDiff *diff, Side *sides, Rows *r, int k, size_t f, size_t p,
         const FsimDestination *dest, guint pair, guint partner)
{
    const FsimScenario *s = sides[k].s;
    FsimDiffFlow row = { .field = s->fields[f].id,
                         .partner = s->partners[p].id,
                         .destination = dest->id,
                         .jurisdiction = fsim_i_dest_jurisdiction (dest),
                         .on_device = dest->on_device };
    gssize none = -1;
    g_array_append_val (diff->flows, row);
    g_array_append_val (sides[0].row_slot, none);
    g_array_append_val (sides[1].row_slot, none);
    g_array_append_val (r->pairs, pair);
    g_array_append_val (r->partners, partner);
    return diff->flows->len - 1;
}

/* The base's row of the pair whose first row is @first (G_MAXUINT: none) for a destination
 * with @dest's id and jurisdiction, or -1. */
static gssize
base_row (const FsimDiff *diff, const Rows *r, guint first, const FsimDestination *dest)
{
    if (first == G_MAXUINT)
        return -1;
    const char *j = fsim_i_dest_jurisdiction (dest);
    guint pair = ROW_PAIR (r, first);
    for (guint i = first; i < diff->flows->len && ROW_PAIR (r, i) == pair; i++) {
        const FsimDiffFlow *row = &g_array_index (diff->flows, FsimDiffFlow, i);
        if (strcmp (row->destination, dest->id) == 0 && strcmp (row->jurisdiction, j) == 0)
            return (gssize) i;
    }
    return -1;
}

/* The base's rows, in model order; @first[f * np + p] gets each pair's first row. */
static void
base_rows (FsimDiff *diff, Side *sides, Rows *r, guint *first)
{
    const FsimScenario *b = diff->base;
    size_t np = b->n_partners;
    for (size_t i = 0; i < b->n_fields * np; i++)
        first[i] = G_MAXUINT;
    for (size_t f = 0; f < b->n_fields; f++)
        for (size_t p = 0; p < np; p++)
            for (size_t d = 0; d < b->partners[p].n_destinations; d++) {
                const FsimDestination *dest = &b->partners[p].destinations[d];
                if (!fsim_bits_get (dest->fields, f))
                    continue;
                if (first[f * np + p] == G_MAXUINT)
                    first[f * np + p] = diff->flows->len, r->n_pairs++;
                guint row = add_row (diff, sides, r, 0, f, p, dest, r->n_pairs - 1, (guint) p);
                g_array_index (sides[0].row_slot, gssize, row) =
                    fsim_lanes_slot (sides[0].lanes, f, p);
            }
}

/*
 * Builds the rows of both models (keyed by the ids of field, partner, destination and
 * jurisdiction), each side's slots and each row's (field, partner) pair and partner: the base's
 * rows in model order, then the what-if's that the base does not have. No string is hashed per
 * row: the what-if's fields and partners are mapped to the base's once.
 */
static void
build_rows (FsimDiff *diff, Side *sides, Rows *r)
{
    const FsimScenario *b = diff->base, *w = diff->whatif;
    size_t npb = b->n_partners, nfw = w->n_fields, npw = w->n_partners;
    g_autofree guint *first = g_new (guint, b->n_fields * npb + 1);
    g_autofree guint *pair_w = g_new (guint, nfw * npw + 1); /* pairs new in the what-if */
    g_autofree gssize *map_f = g_new (gssize, nfw + 1);
    g_autofree gssize *map_p = g_new (gssize, npw + 1);
    g_autofree guint *partner_w = g_new (guint, npw + 1);
    guint n_new = 0;
    r->pairs = g_array_sized_new (FALSE, FALSE, sizeof (guint), r->capacity);
    r->partners = g_array_sized_new (FALSE, FALSE, sizeof (guint), r->capacity);
    g_array_unref (diff->flows);
    diff->flows = g_array_sized_new (FALSE, TRUE, sizeof (FsimDiffFlow), r->capacity);
    base_rows (diff, sides, r, first);
    for (size_t i = 0; i < nfw * npw; i++)
        pair_w[i] = G_MAXUINT;
    for (size_t f = 0; f < nfw; f++)
        map_f[f] = fsim_scenario_find_field (b, w->fields[f].id);
    for (size_t p = 0; p < npw; p++) {
        map_p[p] = fsim_scenario_find_partner (b, w->partners[p].id);
        partner_w[p] = map_p[p] >= 0 ? (guint) map_p[p] : (guint) (npb + n_new++);
    }
    for (size_t f = 0; f < nfw; f++)
        for (size_t p = 0; p < npw; p++) {
            guint head = map_f[f] >= 0 && map_p[p] >= 0
                             ? first[(size_t) map_f[f] * npb + (size_t) map_p[p]]
                             : G_MAXUINT;
            for (size_t d = 0; d < w->partners[p].n_destinations; d++) {
                const FsimDestination *dest = &w->partners[p].destinations[d];
                if (!fsim_bits_get (dest->fields, f))
                    continue;
                gssize row = base_row (diff, r, head, dest);
                if (row < 0) {
                    guint *pair = &pair_w[f * npw + p];
                    if (*pair == G_MAXUINT)
                        *pair = head != G_MAXUINT ? ROW_PAIR (r, head) : r->n_pairs++;
                    row = (gssize) add_row (diff, sides, r, 1, f, p, dest, *pair, partner_w[p]);
                }
                g_array_index (sides[1].row_slot, gssize, row) =
                    fsim_lanes_slot (sides[1].lanes, f, p);
            }
        }
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
    return strcmp (((const FsimDiffJurisdiction *) a)->jurisdiction,
                   ((const FsimDiffJurisdiction *) b)->jurisdiction);
}

/* The jurisdictions of both models, sorted, and each row's. */
static void
build_jurisdictions (FsimDiff *diff, Rows *r)
{
    g_autoptr (GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
    for (guint i = 0; i < diff->flows->len; i++) {
        const char *j = g_array_index (diff->flows, FsimDiffFlow, i).jurisdiction;
        if (g_hash_table_add (index, (gpointer) j)) {
            FsimDiffJurisdiction row = { .jurisdiction = j };
            g_array_append_val (diff->jurisdictions, row);
        }
    }
    g_array_sort (diff->jurisdictions, compare_names);
    for (guint j = 0; j < diff->jurisdictions->len; j++)
        g_hash_table_insert (
            index,
            (gpointer) g_array_index (diff->jurisdictions, FsimDiffJurisdiction, j).jurisdiction,
            GUINT_TO_POINTER (j));
    r->row_jur = g_new0 (guint, diff->flows->len + 1);
    for (guint i = 0; i < diff->flows->len; i++)
        r->row_jur[i] = GPOINTER_TO_UINT (
            g_hash_table_lookup (index, g_array_index (diff->flows, FsimDiffFlow, i).jurisdiction));
}

/* The rows in @focus, each pair's partner, and the scratch words. */
static void
build_counted (FsimDiff *diff, const FsimFocus *focus, Rows *r)
{
    guint n = diff->flows->len, np = diff->partners->len;
    r->rows = g_new0 (guint, n + 1);
    r->pair_partner = g_new0 (guint, r->n_pairs + 1);
    for (guint i = 0; i < n; i++) {
        r->pair_partner[ROW_PAIR (r, i)] = ROW_PARTNER (r, i);
        if (fsim_diff_focus_flow (diff, focus, &g_array_index (diff->flows, FsimDiffFlow, i)))
            r->rows[r->n_rows++] = i;
    }
    size_t nj = diff->jurisdictions->len;
    r->pair_b = fsim_bits_new (r->n_pairs);
    r->pair_w = fsim_bits_new (r->n_pairs);
    r->people_b = fsim_bits_new (np);
    r->people_w = fsim_bits_new (np);
    r->jur_b = fsim_bits_new (nj);
    r->jur_w = fsim_bits_new (nj);
    r->jur_nc_b = fsim_bits_new (nj);
    r->jur_nc_w = fsim_bits_new (nj);
}

static FsimWord
lane (const Side *side, const FsimWord *words, guint row)
{
    gssize slot = g_array_index (side->row_slot, gssize, row);
    return slot < 0 ? 0 : words[slot];
}

/* The users of the group from @first whose any row in focus was reached, before and after. */
static void
count_exposure (FsimDiff *diff, FsimWord b, FsimWord w, const FsimPopulation *pop, size_t first)
{
    diff->exposed_before += fsim_word_popcount (b);
    diff->exposed_after += fsim_word_popcount (w);
    diff->newly_exposed += fsim_word_popcount (w & ~b);
    diff->no_longer_exposed += fsim_word_popcount (b & ~w);
    for (unsigned i = 0; i < 64; i++) {
        FsimWord bit = (FsimWord) 1 << i;
        GPtrArray *examples = (w & ~b & bit)   ? diff->newly_examples
                              : (b & ~w & bit) ? diff->no_longer_examples
                                               : NULL;
        if (examples && examples->len < MAX_EXAMPLES)
            g_ptr_array_add (examples, fsim_population_user_name (pop, first + i));
    }
}

/* Adds the counts of the group whose lanes @sides hold. */
static void
count_group (FsimDiff *diff, const Side *sides, Rows *r, const FsimPopulation *pop, size_t first)
{
    guint np = diff->partners->len, nj = diff->jurisdictions->len;
    FsimWord any_b = 0, any_w = 0;
    memset (r->pair_b, 0, r->n_pairs * sizeof (FsimWord));
    memset (r->pair_w, 0, r->n_pairs * sizeof (FsimWord));
    memset (r->people_b, 0, np * sizeof (FsimWord));
    memset (r->people_w, 0, np * sizeof (FsimWord));
    memset (r->jur_b, 0, nj * sizeof (FsimWord));
    memset (r->jur_w, 0, nj * sizeof (FsimWord));
    memset (r->jur_nc_b, 0, nj * sizeof (FsimWord));
    memset (r->jur_nc_w, 0, nj * sizeof (FsimWord));
    for (guint k = 0; k < r->n_rows; k++) {
        guint i = r->rows[k], p = ROW_PARTNER (r, i), j = r->row_jur[i];
        FsimWord b = lane (&sides[0], sides[0].reach, i), w = lane (&sides[1], sides[1].reach, i);
        if ((b | w) == 0)
            continue;
        FsimDiffFlow *row = &g_array_index (diff->flows, FsimDiffFlow, i);
        size_t gained = fsim_word_popcount (w & ~b), lost = fsim_word_popcount (b & ~w);
        FsimDiffPartner *partner = &g_array_index (diff->partners, FsimDiffPartner, p);
        row->before += fsim_word_popcount (b);
        row->after += fsim_word_popcount (w);
        row->gained += gained;
        row->lost += lost;
        partner->gained += gained;
        partner->lost += lost;
        r->pair_b[ROW_PAIR (r, i)] |= b;
        r->pair_w[ROW_PAIR (r, i)] |= w;
        r->people_b[p] |= b;
        r->people_w[p] |= w;
        r->jur_b[j] |= b;
        r->jur_w[j] |= w;
        r->jur_nc_b[j] |= b & ~lane (&sides[0], sides[0].self, i);
        r->jur_nc_w[j] |= w & ~lane (&sides[1], sides[1].self, i);
        any_b |= b;
        any_w |= w;
    }
    for (guint k = 0; k < r->n_pairs; k++) {
        FsimDiffPartner *partner =
            &g_array_index (diff->partners, FsimDiffPartner, r->pair_partner[k]);
        partner->data_gained += fsim_word_popcount (r->pair_w[k] & ~r->pair_b[k]);
        partner->data_lost += fsim_word_popcount (r->pair_b[k] & ~r->pair_w[k]);
    }
    for (guint i = 0; i < np; i++) {
        FsimDiffPartner *p = &g_array_index (diff->partners, FsimDiffPartner, i);
        FsimWord b = r->people_b[i], w = r->people_w[i];
        p->people_before += fsim_word_popcount (b);
        p->people_after += fsim_word_popcount (w);
        p->people_gained += fsim_word_popcount (w & ~b);
        p->people_lost += fsim_word_popcount (b & ~w);
    }
    for (guint j = 0; j < nj; j++) {
        FsimDiffJurisdiction *row = &g_array_index (diff->jurisdictions, FsimDiffJurisdiction, j);
        row->before += fsim_word_popcount (r->jur_b[j]);
        row->after += fsim_word_popcount (r->jur_w[j]);
        row->before_no_consent += fsim_word_popcount (r->jur_nc_b[j]);
        row->after_no_consent += fsim_word_popcount (r->jur_nc_w[j]);
    }
    count_exposure (diff, any_b, any_w, pop, first);
}

/**
 * fsim_i_diff_users:
 * Fills diff->flows, diff->jurisdictions, the partners' counts and the exposure, counting only
 * the rows in @focus (nullable). diff->partners must be filled already.
 * Returns: FALSE with @error set if a model graph walk failed.
 */
gboolean
fsim_i_diff_users (FsimDiff *diff, const FsimPopulation *base_pop, const FsimDecisions *base_d,
                   const FsimPopulation *whatif_pop, const FsimDecisions *whatif_d,
                   const FsimFocus *focus, GError **error)
{
    Side sides[2] = { { 0 }, { 0 } };
    Rows r = { .capacity = count_rows (diff->base) + count_rows (diff->whatif) };
    /* the rows and tables below are made through GLib, which aborts when memory runs out:
     * check first that they fit */
    guint64 pairs = (guint64) diff->base->n_fields * diff->base->n_partners +
                    (guint64) diff->whatif->n_fields * diff->whatif->n_partners;
    guint64 need = fsim_memory_array_bytes (r.capacity, sizeof (FsimDiffFlow)) +
                   2 * fsim_memory_array_bytes (r.capacity, sizeof (gssize)) +
                   2 * fsim_memory_array_bytes (r.capacity, sizeof (guint)) +
                   (guint64) r.capacity * 2 * sizeof (guint) + pairs * sizeof (guint);
    if (!fsim_memory_reserve (need, "the rows of the comparison", error))
        return FALSE;
    gboolean ok = side_init (&sides[0], diff->base, base_pop, base_d, r.capacity, error) &&
                  side_init (&sides[1], diff->whatif, whatif_pop, whatif_d, r.capacity, error);
    if (ok) {
        build_rows (diff, sides, &r);
        build_jurisdictions (diff, &r);
        build_counted (diff, focus, &r);
        for (size_t first = 0; first < base_pop->n_users; first += 64) {
            for (int k = 0; k < 2; k++)
                fsim_lanes_trace (sides[k].lanes, first, sides[k].reach, sides[k].self);
            count_group (diff, sides, &r, base_pop, first);
        }
    }
    rows_clear (&r);
    side_clear (&sides[0]);
    side_clear (&sides[1]);
    return ok;
}
