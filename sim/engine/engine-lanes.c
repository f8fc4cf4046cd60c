/* SPDX-License-Identifier: MIT */
/* engine-lanes.c: tracing 64 users at a time, one machine word per partner, field and channel. */
#include "config.h"

#include <string.h>

#include "engine-private.h"

/*
 * For a group of 64 users, a "lane" word has bit i for user i of the group. The per-user
 * partner sets (uses, ONE, the friend-of-friend set) are transposed into one lane per partner,
 * the settings into lanes per field (platform on, "apps others use" ticked, audience at least
 * friends, at least friends of friends). Then for every field f and every partner p that may
 * receive f, each channel is a lane: the users of the group whose channel to p is open, e.g.
 *   friend = ONE[p] & G_fr
 * where G_fr is the OR of the users whose failing gates x open p's friend channel for f (the
 * truth table of (f, p), evaluated once per group for each distinct table of f). Counting is a
 * popcount per lane: no work per user, field and partner but a fraction of a word operation.
 */
#define LANE 64

/* ---- the lane plan ---------------------------------------------------------------------- */

/* The 8-bit truth table of partner p in avail[k][f][*]. */
static guint8
truth_table (const FsimEnginePlan *plan, FsimSubject k, size_t f, size_t p)
{
    guint8 t = 0;

    for (unsigned x = 0; x < FSIM_N_PROFILES; x++)
        if (fsim_bits_get (fsim_i_plan_avail (plan, k, f, x), p))
            t |= (guint8) (1u << x);
    return t;
}

/* The index of @t in @tables (appending it if new). At most 256 distinct tables exist. */
static guint8
table_index (GByteArray *tables, size_t start, guint8 t)
{
    for (size_t i = start; i < tables->len; i++)
        if (tables->data[i] == t)
            return (guint8) (i - start);
    g_byte_array_append (tables, &t, 1);
    return (guint8) (tables->len - 1 - start);
}

/* Does partner p get field f by some channel, or downstream of a partner that does? */
static gboolean
is_live (const FsimEnginePlan *plan, size_t f, size_t p, const FsimWord *direct)
{
    if (fsim_bits_get (direct, p))
        return TRUE;
    for (size_t q = fsim_bits_next (plan->onward + f * plan->pw, plan->pw, 0); q != SIZE_MAX;
         q = fsim_bits_next (plan->onward + f * plan->pw, plan->pw, q + 1))
        if (fsim_bits_get (direct, q) && fsim_bits_get (fsim_downstream_get (plan->down, f, q), p))
            return TRUE;
    return FALSE;
}

typedef struct {
    GArray *entries;
    GByteArray *fr, *fof;
    GArray *ups, *jur;
} Builder;

static void
add_entry (const FsimEnginePlan *plan, Builder *b, size_t f, size_t p, size_t fr0, size_t fof0)
{
    FsimLaneEntry e = { .partner = (uint32_t) p };

    e.self_t =
        (guint8) (fsim_bits_get (fsim_i_plan_avail (plan, FSIM_SUBJECT_SELF, f, 0), p) |
                  fsim_bits_get (
                      fsim_i_plan_avail (plan, FSIM_SUBJECT_SELF, f, FSIM_RESPECTS_PLATFORM), p)
                      << 1);
    e.fr_t = table_index (b->fr, fr0, truth_table (plan, FSIM_SUBJECT_FRIENDS, f, p));
    e.fof_t = table_index (b->fof, fof0, truth_table (plan, FSIM_SUBJECT_FRIENDS_OF_FRIENDS, f, p));
    e.jur = b->jur->len;
    for (uint32_t j = 0; j < plan->n_jur; j++)
        if (fsim_bits_get (plan->jur_mask + (j * plan->nf + f) * plan->pw, p))
            g_array_append_val (b->jur, j);
    e.n_jur = b->jur->len - e.jur;
    g_array_append_val (b->entries, e);
}

/* The upstream entries of every entry of field f (entries first .. last - 1). */
static void
add_ups (const FsimEnginePlan *plan, Builder *b, size_t f, size_t first)
{
    FsimLaneEntry *es = (FsimLaneEntry *) (void *) b->entries->data; /* NULL while empty */
    size_t last = b->entries->len;

    for (size_t i = first; i < last; i++) {
        es[i].ups = b->ups->len;
        for (size_t k = first; k < last; k++) {
            size_t q = es[k].partner;
            if (fsim_bits_get (plan->onward + f * plan->pw, q) &&
                fsim_bits_get (fsim_downstream_get (plan->down, f, q), es[i].partner)) {
                uint32_t up = (uint32_t) (k - first);
                g_array_append_val (b->ups, up);
            }
        }
        es[i].n_ups = b->ups->len - es[i].ups;
    }
}

void
fsim_i_lane_plan_init (FsimEnginePlan *plan)
{
    FsimLanePlan *l = g_new0 (FsimLanePlan, 1);
    Builder b = { g_array_new (FALSE, FALSE, sizeof (FsimLaneEntry)), g_byte_array_new (),
                  g_byte_array_new (), g_array_new (FALSE, FALSE, sizeof (uint32_t)),
                  g_array_new (FALSE, FALSE, sizeof (uint32_t)) };
    g_autofree FsimWord *direct = fsim_bits_new (plan->pw);

    l->field_start = g_new0 (size_t, plan->nf + 1);
    l->fr_start = g_new0 (size_t, plan->nf + 1);
    l->fof_start = g_new0 (size_t, plan->nf + 1);
    for (size_t f = 0; f < plan->nf; f++) {
        size_t first = b.entries->len;
        fsim_bits_zero (direct, plan->pw);
        for (unsigned k = 0; k < FSIM_N_SUBJECTS; k++)
            fsim_bits_or (direct, fsim_i_plan_avail (plan, k, f, 0), plan->pw);
        l->field_start[f] = first;
        l->fr_start[f] = b.fr->len;
        l->fof_start[f] = b.fof->len;
        for (size_t p = 0; p < plan->np; p++)
            if (is_live (plan, f, p, direct))
                add_entry (plan, &b, f, p, l->fr_start[f], l->fof_start[f]);
        add_ups (plan, &b, f, first);
        l->max_entries = MAX (l->max_entries, b.entries->len - first);
    }
    l->field_start[plan->nf] = b.entries->len;
    l->fr_start[plan->nf] = b.fr->len;
    l->fof_start[plan->nf] = b.fof->len;
    l->entries = (FsimLaneEntry *) (void *) g_array_free (b.entries, FALSE);
    l->fr_tables = g_byte_array_free (b.fr, FALSE);
    l->fof_tables = g_byte_array_free (b.fof, FALSE);
    l->ups_list = (uint32_t *) (void *) g_array_free (b.ups, FALSE);
    l->jur_list = (uint32_t *) (void *) g_array_free (b.jur, FALSE);
    plan->lanes = l;
}

void
fsim_i_lane_plan_free (FsimLanePlan *l)
{
    if (l == NULL)
        return;
    g_free (l->field_start);
    g_free (l->entries);
    g_free (l->fr_start);
    g_free (l->fof_start);
    g_free (l->fr_tables);
    g_free (l->fof_tables);
    g_free (l->ups_list);
    g_free (l->jur_list);
    g_free (l);
}
