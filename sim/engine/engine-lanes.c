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

/* The partners that get field f by some channel (@direct), or downstream of one that does. */
static void
live_partners (const FsimEnginePlan *plan, size_t f, const FsimWord *direct, FsimWord *out)
{
    memcpy (out, direct, plan->pw * sizeof *out);
    for (size_t q = fsim_bits_next (plan->onward + f * plan->pw, plan->pw, 0); q != SIZE_MAX;
         q = fsim_bits_next (plan->onward + f * plan->pw, plan->pw, q + 1))
        if (fsim_bits_get (direct, q))
            fsim_bits_or (out, fsim_downstream_get (plan->down, f, q), plan->pw);
}

typedef struct {
    GArray *entries;
    GByteArray *fr, *fof;
    GArray *jur;
    GArray *steps, *members, *sources;
    uint32_t *entry_of; /* [partner]: its entry in the current field, or UINT32_MAX */
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

/* A share of the field between two entries, with the component of its receiving end. */
typedef struct {
    uint32_t from, to;  /* entries */
    guint32 from_comp, to_comp;
} Edge;

static int
compare_edges (gconstpointer a, gconstpointer b)
{
    const Edge *x = a, *y = b;
    if (x->to_comp != y->to_comp)
        return x->to_comp > y->to_comp ? -1 : 1; /* upstream (greater) components first */
    if (x->to != y->to)
        return x->to < y->to ? -1 : 1;
    return (x->from > y->from) - (x->from < y->from);
}

/* The steps of field f (entries first .. last - 1, entry_of set for them). */
static void
add_steps (const FsimEnginePlan *plan, Builder *b, size_t f, size_t first)
{
    size_t n_shares = 0;
    const size_t *shares = fsim_downstream_shares (plan->down, f, &n_shares);
    g_autoptr (GArray) edges = g_array_new (FALSE, FALSE, sizeof (Edge));
    for (size_t i = 0; i < n_shares; i++) {
        size_t from, to;
        fsim_downstream_share_ends (plan->down, shares[i], &from, &to);
        if (b->entry_of[from] == UINT32_MAX || b->entry_of[to] == UINT32_MAX)
            continue; /* nothing of f gets there, or nothing leaves */
        Edge e = { b->entry_of[from] - (uint32_t) first, b->entry_of[to] - (uint32_t) first,
                   fsim_downstream_component (plan->down, f, from),
                   fsim_downstream_component (plan->down, f, to) };
        g_array_append_val (edges, e);
    }
    g_array_sort (edges, compare_edges);
    const Edge *es = (const Edge *) (void *) edges->data;
    for (guint i = 0; i < edges->len;) {
        guint j = i;
        FsimLaneStep step = { .members = b->members->len, .sources = b->sources->len };
        for (; j < edges->len && es[j].to_comp == es[i].to_comp; j++) {
            if (j == i || es[j].to != es[j - 1].to)
                g_array_append_val (b->members, es[j].to);
            if (es[j].from_comp == es[j].to_comp)
                step.cyclic = TRUE;
            else
                g_array_append_val (b->sources, es[j].from);
        }
        step.n_members = b->members->len - step.members;
        step.n_sources = b->sources->len - step.sources;
        g_array_append_val (b->steps, step);
        i = j;
    }
}

void
fsim_i_lane_plan_init (FsimEnginePlan *plan)
{
    FsimLanePlan *l = g_new0 (FsimLanePlan, 1);
    Builder b = { g_array_new (FALSE, FALSE, sizeof (FsimLaneEntry)), g_byte_array_new (),
                  g_byte_array_new (), g_array_new (FALSE, FALSE, sizeof (uint32_t)),
                  g_array_new (FALSE, FALSE, sizeof (FsimLaneStep)),
                  g_array_new (FALSE, FALSE, sizeof (uint32_t)),
                  g_array_new (FALSE, FALSE, sizeof (uint32_t)),
                  g_new (uint32_t, plan->np + 1) };
    g_autofree FsimWord *direct = fsim_bits_new (plan->pw);
    g_autofree FsimWord *live = fsim_bits_new (plan->pw);

    for (size_t p = 0; p < plan->np; p++)
        b.entry_of[p] = UINT32_MAX;
    l->field_start = g_new0 (size_t, plan->nf + 1);
    l->fr_start = g_new0 (size_t, plan->nf + 1);
    l->fof_start = g_new0 (size_t, plan->nf + 1);
    l->step_start = g_new0 (size_t, plan->nf + 1);
    for (size_t f = 0; f < plan->nf; f++) {
        size_t first = b.entries->len;
        fsim_bits_zero (direct, plan->pw);
        for (unsigned k = 0; k < FSIM_N_SUBJECTS; k++)
            fsim_bits_or (direct, fsim_i_plan_avail (plan, k, f, 0), plan->pw);
        live_partners (plan, f, direct, live);
        l->field_start[f] = first;
        l->fr_start[f] = b.fr->len;
        l->fof_start[f] = b.fof->len;
        l->step_start[f] = b.steps->len;
        for (size_t p = fsim_bits_next (live, plan->pw, 0); p < plan->np;
             p = fsim_bits_next (live, plan->pw, p + 1)) {
            b.entry_of[p] = b.entries->len;
            add_entry (plan, &b, f, p, l->fr_start[f], l->fof_start[f]);
        }
        add_steps (plan, &b, f, first);
        for (size_t i = first; i < b.entries->len; i++)
            b.entry_of[g_array_index (b.entries, FsimLaneEntry, i).partner] = UINT32_MAX;
        l->max_entries = MAX (l->max_entries, b.entries->len - first);
    }
    l->field_start[plan->nf] = b.entries->len;
    l->fr_start[plan->nf] = b.fr->len;
    l->fof_start[plan->nf] = b.fof->len;
    l->step_start[plan->nf] = b.steps->len;
    l->entries = (FsimLaneEntry *) (void *) g_array_free (b.entries, FALSE);
    l->fr_tables = g_byte_array_free (b.fr, FALSE);
    l->fof_tables = g_byte_array_free (b.fof, FALSE);
    l->jur_list = (uint32_t *) (void *) g_array_free (b.jur, FALSE);
    l->steps = (FsimLaneStep *) (void *) g_array_free (b.steps, FALSE);
    l->member_list = (uint32_t *) (void *) g_array_free (b.members, FALSE);
    l->source_list = (uint32_t *) (void *) g_array_free (b.sources, FALSE);
    g_free (b.entry_of);
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
    g_free (l->jur_list);
    g_free (l->step_start);
    g_free (l->steps);
    g_free (l->member_list);
    g_free (l->source_list);
    g_free (l);
}
