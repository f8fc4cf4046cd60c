/* SPDX-License-Identifier: MIT */
/* engine-lanes.c: tracing 64 users at a time, one machine word per partner, field and channel. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "engine-private.h"
#include "memory.h"

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

/*
 * A growing array whose growth is tried, not assumed: the lane plan holds an entry per (field,
 * live partner), up to fields x partners (2^24), and GArray aborts when it cannot grow. After a
 * failed push, @failed is set and the array is left as it was.
 */
typedef struct {
    char *data;
    size_t len, cap, size;
    gboolean failed;
} Vec;

#define VEC_INIT(type) ((Vec){ .size = sizeof (type) })

static gboolean
vec_push (Vec *v, const void *elt)
{
    if (v->failed)
        return FALSE;
    if (v->len == v->cap) {
        size_t cap = v->cap ? 2 * v->cap : 64;
        char *data = cap > v->cap ? fsim_try_renew (v->data, cap, v->size) : NULL;
        if (data == NULL) {
            v->failed = TRUE;
            return FALSE;
        }
        v->data = data;
        v->cap = cap;
    }
    memcpy (v->data + v->len++ * v->size, elt, v->size);
    return TRUE;
}

#define VEC_AT(v, type, i) (((type *) (void *) (v)->data)[i])

/* The index of @t in @tables (appending it if new; a failed append is seen by builder_ok()). At
 * most 256 distinct tables exist per field. */
static guint8
table_index (Vec *tables, size_t start, guint8 t)
{
    for (size_t i = start; i < tables->len; i++)
        if (VEC_AT (tables, guint8, i) == t)
            return (guint8) (i - start);
    vec_push (tables, &t);
    return (guint8) (tables->len - 1 - start);
}

/* The elements of @v (transfer full), never NULL: an empty array is one zeroed element. */
static void *
vec_steal (Vec *v)
{
    return v->data ? g_steal_pointer (&v->data) : g_malloc0 (v->size);
}

typedef struct {
    Vec entries;
    Vec fr, fof; /* at most 256 tables per field */
    Vec jur;
    Vec steps, members, sources;
    Vec edges;          /* of the current field (add_steps) */
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
    e.fr_t = table_index (&b->fr, fr0, truth_table (plan, FSIM_SUBJECT_FRIENDS, f, p));
    e.fof_t =
        table_index (&b->fof, fof0, truth_table (plan, FSIM_SUBJECT_FRIENDS_OF_FRIENDS, f, p));
    e.jur = (uint32_t) b->jur.len;
    for (uint32_t j = 0; j < plan->n_jur; j++)
        if (fsim_bits_get (plan->jur_mask + (j * plan->nf + f) * plan->pw, p))
            vec_push (&b->jur, &j);
    e.n_jur = (uint32_t) (b->jur.len - e.jur);
    vec_push (&b->entries, &e);
}

/* A share of the field between two entries, with the component of its receiving end. */
typedef struct {
    uint32_t from, to; /* entries */
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
    Vec *edges = &b->edges;
    edges->len = 0;
    for (size_t i = 0; i < n_shares; i++) {
        size_t from, to;
        fsim_downstream_share_ends (plan->down, shares[i], &from, &to);
        if (b->entry_of[from] == UINT32_MAX || b->entry_of[to] == UINT32_MAX)
            continue; /* nothing of f gets there, or nothing leaves */
        Edge e = { b->entry_of[from] - (uint32_t) first, b->entry_of[to] - (uint32_t) first,
                   fsim_downstream_component (plan->down, f, from),
                   fsim_downstream_component (plan->down, f, to) };
        if (!vec_push (edges, &e))
            return; /* seen by builder_ok() */
    }
    if (edges->len > 0)
        qsort (edges->data, edges->len, sizeof (Edge), compare_edges);
    const Edge *es = (const Edge *) (void *) edges->data;
    for (size_t i = 0; i < edges->len;) {
        size_t j = i;
        FsimLaneStep step = { .members = (uint32_t) b->members.len,
                              .sources = (uint32_t) b->sources.len };
        for (; j < edges->len && es[j].to_comp == es[i].to_comp; j++) {
            if (j == i || es[j].to != es[j - 1].to)
                vec_push (&b->members, &es[j].to);
            if (es[j].from_comp == es[j].to_comp)
                step.cyclic = TRUE;
            else
                vec_push (&b->sources, &es[j].from);
        }
        step.n_members = (uint32_t) (b->members.len - step.members);
        step.n_sources = (uint32_t) (b->sources.len - step.sources);
        vec_push (&b->steps, &step);
        i = j;
    }
}

/* Frees what @b holds. */
static void
builder_clear (Builder *b)
{
    g_free (b->entries.data);
    g_free (b->fr.data);
    g_free (b->fof.data);
    g_free (b->edges.data);
    g_free (b->jur.data);
    g_free (b->steps.data);
    g_free (b->members.data);
    g_free (b->sources.data);
    g_free (b->entry_of);
}

/* Did every push of @b succeed? If not, sets @error and frees @b. */
static gboolean
builder_ok (Builder *b, const FsimEnginePlan *plan, GError **error)
{
    const Vec *v[] = { &b->entries, &b->fr,      &b->fof,     &b->jur,
                       &b->steps,   &b->members, &b->sources, &b->edges };
    for (size_t i = 0; i < G_N_ELEMENTS (v); i++)
        if (v[i]->failed) {
            g_autofree char *what = g_strdup_printf ("the lane plan of %zu fields and %zu "
                                                     "partners",
                                                     plan->nf, plan->np);
            fsim_set_out_of_memory (2 * MAX (v[i]->cap, (size_t) 32), v[i]->size, what, error);
            builder_clear (b);
            return FALSE;
        }
    return TRUE;
}

/* The lane plan's arrays by field and by partner (16384 of each at most), tried. */
typedef struct {
    FsimWord *direct, *live;
    size_t *field_start, *fr_start, *fof_start, *step_start;
} Starts;

static void
starts_clear (Starts *st)
{
    g_free (st->direct);
    g_free (st->live);
    g_free (st->field_start);
    g_free (st->fr_start);
    g_free (st->fof_start);
    g_free (st->step_start);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Starts, starts_clear)

static gboolean
starts_init (Starts *st, Builder *b, const FsimEnginePlan *plan, GError **error)
{
    g_autofree char *what =
        g_strdup_printf ("the lane plan of %zu fields and %zu partners", plan->nf, plan->np);
    size_t **by_field[] = { &st->field_start, &st->fr_start, &st->fof_start, &st->step_start };

    *st = (Starts){ 0 };
    if (!(b->entry_of = fsim_try_new (plan->np + 1, sizeof (uint32_t), what, error)) ||
        !(st->direct = fsim_try_new0 (plan->pw, sizeof (FsimWord), what, error)) ||
        !(st->live = fsim_try_new0 (plan->pw, sizeof (FsimWord), what, error)))
        return FALSE;
    for (size_t i = 0; i < G_N_ELEMENTS (by_field); i++)
        if (!(*by_field[i] = fsim_try_new0 (plan->nf + 1, sizeof (size_t), what, error)))
            return FALSE;
    return TRUE;
}

gboolean
fsim_i_lane_plan_init (FsimEnginePlan *plan, GError **error)
{
    Builder b = { .entries = VEC_INIT (FsimLaneEntry),
                  .fr = VEC_INIT (guint8),
                  .fof = VEC_INIT (guint8),
                  .jur = VEC_INIT (uint32_t),
                  .steps = VEC_INIT (FsimLaneStep),
                  .members = VEC_INIT (uint32_t),
                  .sources = VEC_INIT (uint32_t),
                  .edges = VEC_INIT (Edge) };
    g_auto (Starts) st = { 0 };
    if (!starts_init (&st, &b, plan, error)) {
        builder_clear (&b);
        return FALSE;
    }
    FsimWord *direct = st.direct, *live = st.live;
    size_t *field_start = st.field_start, *fr_start = st.fr_start, *fof_start = st.fof_start,
           *step_start = st.step_start;
    size_t max_entries = 0;

    for (size_t p = 0; p < plan->np; p++)
        b.entry_of[p] = UINT32_MAX;
    for (size_t f = 0; f < plan->nf; f++) {
        size_t first = b.entries.len;
        fsim_bits_zero (direct, plan->pw);
        for (unsigned k = 0; k < FSIM_N_SUBJECTS; k++)
            fsim_bits_or (direct, fsim_i_plan_avail (plan, k, f, 0), plan->pw);
        live_partners (plan, f, direct, live);
        field_start[f] = first;
        fr_start[f] = b.fr.len;
        fof_start[f] = b.fof.len;
        step_start[f] = b.steps.len;
        for (size_t p = fsim_bits_next (live, plan->pw, 0); p < plan->np;
             p = fsim_bits_next (live, plan->pw, p + 1)) {
            b.entry_of[p] = (uint32_t) b.entries.len;
            add_entry (plan, &b, f, p, fr_start[f], fof_start[f]);
        }
        if (!builder_ok (&b, plan, error))
            return FALSE;
        add_steps (plan, &b, f, first);
        if (!builder_ok (&b, plan, error))
            return FALSE;
        for (size_t i = first; i < b.entries.len; i++)
            b.entry_of[VEC_AT (&b.entries, FsimLaneEntry, i).partner] = UINT32_MAX;
        max_entries = MAX (max_entries, b.entries.len - first);
    }
    if (!builder_ok (&b, plan, error))
        return FALSE;
    FsimLanePlan *l = g_new0 (FsimLanePlan, 1);
    field_start[plan->nf] = b.entries.len;
    fr_start[plan->nf] = b.fr.len;
    fof_start[plan->nf] = b.fof.len;
    step_start[plan->nf] = b.steps.len;
    l->field_start = g_steal_pointer (&st.field_start);
    l->fr_start = g_steal_pointer (&st.fr_start);
    l->fof_start = g_steal_pointer (&st.fof_start);
    l->step_start = g_steal_pointer (&st.step_start);
    l->max_entries = max_entries;
    l->entries = (FsimLaneEntry *) (void *) vec_steal (&b.entries);
    l->fr_tables = (guint8 *) vec_steal (&b.fr);
    l->fof_tables = (guint8 *) vec_steal (&b.fof);
    l->jur_list = (uint32_t *) (void *) vec_steal (&b.jur);
    l->steps = (FsimLaneStep *) (void *) vec_steal (&b.steps);
    l->member_list = (uint32_t *) (void *) vec_steal (&b.members);
    l->source_list = (uint32_t *) (void *) vec_steal (&b.sources);
    g_free (b.entry_of);
    g_free (b.edges.data);
    plan->lanes = l;
    return TRUE;
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
