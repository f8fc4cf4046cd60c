/* SPDX-License-Identifier: MIT */
/* diff-users.c: diff's user-by-user comparison, 64 users at a time in the engine's lanes, on
 * every core. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "diff-private.h"
#include "memory.h"
#include "parallel.h"

#define MAX_EXAMPLES 10
/* All workers' counters together (each has a copy): past it, fewer workers. */
#define MAX_COUNTER_BYTES ((size_t) 256 << 20)

/*
 * Each model is traced by the engine's lanes (engine.h: fsim_lanes_trace()): for 64 users at a
 * time, one word per (field, partner) slot says which of them that field reached. Every row of
 * a (field, partner) pair takes the pair's slot on each side that has the row, so a pair keeps
 * three counts (users reached before, after, both) from which its rows' counts follow, and every
 * count is a popcount: (pairs + rows) x groups of 64 users, where following users one by one
 * cost users x fields x partners.
 *
 * The groups are shared out among workers (graph/parallel.h), each with its own counters, added
 * up at the end: sums, and the first examples of each worker sorted, so the result does not
 * depend on the number of workers or on which worker took which group.
 */

/* One worker's scratch words and counters. */
typedef struct {
    FsimWord *reach[2], *self[2]; /* [slot]: the current group's lanes, each side */
    FsimWord *scratch[2];         /* what fsim_lanes_trace() works in, each side */
    FsimWord *people[2];          /* [partner]: users with a row in focus reached, each side */
    FsimWord *jur[4];             /* [j]: reached before, after, without consent before, after */
    guint32 *counts;              /* [pair * 3 + k]: FsimIDiffRows.counts */
    size_t *partner_sums;         /* [partner * 6]: data gained, lost; people before, after,
                                   * gained, lost */
    size_t *jur_sums;             /* [j * 4]: as jur */
    size_t exposure[4];           /* exposed before, after, newly, no longer */
    size_t examples[2][MAX_EXAMPLES]; /* the first users newly (0), no longer (1) exposed */
    size_t n_examples[2];
} Worker;

typedef struct {
    const FsimIDiffRows *r;
    FsimLanes *lanes[2];
    size_t n_users, np, nj, n_slots[2];
    Worker *workers;
} Count;

static void
worker_clear (Worker *w)
{
    for (int k = 0; k < 2; k++) {
        g_free (w->reach[k]);
        g_free (w->self[k]);
        g_free (w->scratch[k]);
        g_free (w->people[k]);
    }
    for (int k = 0; k < 4; k++)
        g_free (w->jur[k]);
    g_free (w->counts);
    g_free (w->partner_sums);
    g_free (w->jur_sums);
}

/* A worker's lanes, scratch, sums and counters: tried, each a few MiB at the limits. */
static gboolean
worker_init (Worker *w, const Count *c, GError **error)
{
    const char *lanes = "diff's lanes", *sums = "diff's sums";
    for (int k = 0; k < 2; k++) {
        size_t scratch = fsim_lanes_scratch_words (c->lanes[k]);
        if (!(w->people[k] = fsim_try_new0 (c->np + 1, sizeof (FsimWord), sums, error)) ||
            !(w->reach[k] = fsim_try_new0 (c->n_slots[k] + 1, sizeof (FsimWord), lanes, error)) ||
            !(w->self[k] = fsim_try_new0 (c->n_slots[k] + 1, sizeof (FsimWord), lanes, error)) ||
            !(w->scratch[k] = fsim_try_new (scratch, sizeof (FsimWord), lanes, error)))
            return FALSE;
    }
    for (int k = 0; k < 4; k++)
        if (!(w->jur[k] = fsim_try_new0 (c->nj + 1, sizeof (FsimWord), sums, error)))
            return FALSE;
    if (!(w->partner_sums = fsim_try_new0 (6 * c->np + 1, sizeof (size_t), sums, error)) ||
        !(w->jur_sums = fsim_try_new0 (4 * c->nj + 1, sizeof (size_t), sums, error)))
        return FALSE;
    w->counts = fsim_try_new0 (3 * c->r->n_pairs + 1, sizeof (guint32), "diff's counters", error);
    return w->counts != NULL;
}

static FsimWord
word (const FsimWord *words, gint32 slot)
{
    return slot < 0 ? 0 : words[slot];
}

/* The pairs' counts, the data and people per partner, and who is exposed (@any). */
static void
count_pairs (const Count *c, Worker *w, FsimWord any[2])
{
    const FsimIDiffRows *r = c->r;
    for (size_t k = 0; k < r->n_pairs; k++) {
        const FsimIDiffPair *pair = &r->pairs[k];
        FsimWord b = word (w->reach[0], pair->slot[0]), a = word (w->reach[1], pair->slot[1]);
        if ((b | a) == 0)
            continue;
        guint32 *n = &w->counts[3 * k];
        n[0] += (guint32) fsim_word_popcount (b);
        n[1] += (guint32) fsim_word_popcount (a);
        n[2] += (guint32) fsim_word_popcount (b & a);
        FsimWord fb = (pair->focus & FSIM_I_DIFF_BASE) ? b : 0;
        FsimWord fa = (pair->focus & FSIM_I_DIFF_WHATIF) ? a : 0;
        size_t *sums = &w->partner_sums[6 * pair->partner];
        sums[0] += fsim_word_popcount (fa & ~fb);
        sums[1] += fsim_word_popcount (fb & ~fa);
        w->people[0][pair->partner] |= fb;
        w->people[1][pair->partner] |= fa;
        any[0] |= fb;
        any[1] |= fa;
    }
}

/* The users with at least one field stored in each jurisdiction, with and without consent. */
static void
count_jurisdictions (const Count *c, Worker *w)
{
    const FsimIDiffRows *r = c->r;
    for (size_t i = 0; i < r->n_rows; i++) {
        const FsimIDiffRow *row = &r->rows[i];
        const FsimIDiffPair *pair = &r->pairs[row->pair];
        gint32 sb = (row->sides & FSIM_I_DIFF_BASE) ? pair->slot[0] : -1;
        gint32 sa = (row->sides & FSIM_I_DIFF_WHATIF) ? pair->slot[1] : -1;
        FsimWord b = word (w->reach[0], sb), a = word (w->reach[1], sa);
        if ((b | a) == 0)
            continue;
        w->jur[0][row->jur] |= b;
        w->jur[1][row->jur] |= a;
        w->jur[2][row->jur] |= b & ~word (w->self[0], sb);
        w->jur[3][row->jur] |= a & ~word (w->self[1], sa);
    }
}

static void
count_exposure (Worker *w, FsimWord b, FsimWord a, size_t first)
{
    w->exposure[0] += fsim_word_popcount (b);
    w->exposure[1] += fsim_word_popcount (a);
    w->exposure[2] += fsim_word_popcount (a & ~b);
    w->exposure[3] += fsim_word_popcount (b & ~a);
    /* a worker's groups come in increasing order: its first examples are its smallest */
    for (unsigned i = 0; i < 64; i++) {
        FsimWord bit = (FsimWord) 1 << i;
        int k = (a & ~b & bit) ? 0 : (b & ~a & bit) ? 1 : -1;
        if (k >= 0 && w->n_examples[k] < MAX_EXAMPLES)
            w->examples[k][w->n_examples[k]++] = first + i;
    }
}

/* Traces and counts group @g (users 64 g .. 64 g + 63) on @worker. */
static void
count_group (size_t g, unsigned worker, void *data)
{
    const Count *c = data;
    Worker *w = &c->workers[worker];
    FsimWord any[2] = { 0, 0 };
    for (int k = 0; k < 2; k++) {
        fsim_lanes_trace (c->lanes[k], 64 * g, w->reach[k], w->self[k], w->scratch[k]);
        memset (w->people[k], 0, c->np * sizeof (FsimWord));
    }
    for (int k = 0; k < 4; k++)
        memset (w->jur[k], 0, c->nj * sizeof (FsimWord));
    count_pairs (c, w, any);
    count_jurisdictions (c, w);
    for (size_t p = 0; p < c->np; p++) {
        FsimWord b = w->people[0][p], a = w->people[1][p];
        size_t *sums = &w->partner_sums[6 * p];
        sums[2] += fsim_word_popcount (b);
        sums[3] += fsim_word_popcount (a);
        sums[4] += fsim_word_popcount (a & ~b);
        sums[5] += fsim_word_popcount (b & ~a);
    }
    for (size_t j = 0; j < c->nj; j++)
        for (int k = 0; k < 4; k++)
            w->jur_sums[4 * j + k] += fsim_word_popcount (w->jur[k][j]);
    count_exposure (w, any[0], any[1], 64 * g);
}

static int
compare_size (const void *a, const void *b)
{
    size_t x = *(const size_t *) a, y = *(const size_t *) b;
    return (x > y) - (x < y);
}

/* The first examples of all workers, in user order, as names. */
static void
merge_examples (FsimDiff *diff, const Count *c, unsigned n, const FsimPopulation *pop)
{
    GPtrArray *out[2] = { diff->newly_examples, diff->no_longer_examples };
    for (int k = 0; k < 2; k++) {
        g_autofree size_t *all = g_new (size_t, (size_t) n * MAX_EXAMPLES + 1);
        size_t m = 0;
        for (unsigned t = 0; t < n; t++)
            for (size_t i = 0; i < c->workers[t].n_examples[k]; i++)
                all[m++] = c->workers[t].examples[k][i];
        qsort (all, m, sizeof *all, compare_size);
        for (size_t i = 0; i < m && i < MAX_EXAMPLES; i++)
            g_ptr_array_add (out[k], fsim_population_user_name (pop, all[i]));
    }
}

/* Adds the workers' counters into @diff and worker 0's counts. */
static void
add_up (FsimDiff *diff, const Count *c, unsigned n)
{
    Worker *w0 = &c->workers[0];
    for (unsigned t = 1; t < n; t++) {
        const Worker *w = &c->workers[t];
        for (size_t i = 0; i < 3 * c->r->n_pairs; i++)
            w0->counts[i] += w->counts[i];
        for (size_t i = 0; i < 6 * c->np; i++)
            w0->partner_sums[i] += w->partner_sums[i];
        for (size_t i = 0; i < 4 * c->nj; i++)
            w0->jur_sums[i] += w->jur_sums[i];
        for (int k = 0; k < 4; k++)
            w0->exposure[k] += w->exposure[k];
    }
    for (size_t p = 0; p < c->np; p++) {
        FsimDiffPartner *x = &g_array_index (diff->partners, FsimDiffPartner, p);
        const size_t *sums = &w0->partner_sums[6 * p];
        x->data_gained = sums[0];
        x->data_lost = sums[1];
        x->people_before = sums[2];
        x->people_after = sums[3];
        x->people_gained = sums[4];
        x->people_lost = sums[5];
    }
    for (size_t j = 0; j < c->nj; j++) {
        FsimDiffJurisdiction *x = &g_array_index (diff->jurisdictions, FsimDiffJurisdiction, j);
        const size_t *sums = &w0->jur_sums[4 * j];
        x->before = sums[0];
        x->after = sums[1];
        x->before_no_consent = sums[2];
        x->after_no_consent = sums[3];
    }
    diff->exposed_before = w0->exposure[0];
    diff->exposed_after = w0->exposure[1];
    diff->newly_exposed = w0->exposure[2];
    diff->no_longer_exposed = w0->exposure[3];
}

/* Workers: the population's threads (fsim_parallel_workers()), and few enough that their
 * counters fit in MAX_COUNTER_BYTES. */
static unsigned
worker_count (const Count *c, unsigned threads, size_t n_groups)
{
    size_t bytes = 3 * sizeof (guint32) * c->r->n_pairs + 8 * sizeof (size_t) * (c->np + c->nj) +
                   2 * sizeof (FsimWord) * (c->n_slots[0] + c->n_slots[1]);
    unsigned n = fsim_parallel_workers (threads, n_groups);
    return (unsigned) MAX ((size_t) 1, MIN ((size_t) n, MAX_COUNTER_BYTES / MAX (bytes, 1)));
}

typedef struct {
    const FsimScenario *s[2];
    const FsimPopulation *pop[2];
    const FsimDecisions *d[2];
    FsimLanes *lanes[2];
    GError *error[2];
} Sides;

static void
side_lanes (size_t k, unsigned worker, void *data)
{
    Sides *x = data;
    (void) worker;
    x->lanes[k] = fsim_lanes_new (x->s[k], x->pop[k], x->d[k], &x->error[k]);
}

/* Both sides' lanes, on two threads if there are, or NULL with @error set. */
static gboolean
sides_lanes (Sides *x, unsigned threads, GError **error)
{
    fsim_parallel_for (2, fsim_parallel_workers (threads, 2), side_lanes, x, NULL, NULL);
    for (int k = 0; k < 2; k++)
        if (x->error[k]) {
            g_propagate_error (error, g_steal_pointer (&x->error[k]));
            g_clear_error (&x->error[1 - k]);
            return FALSE;
        }
    return TRUE;
}

/* Traces every group on @n workers and adds up; FALSE with @error set if memory ran out. */
static gboolean
count_all (FsimDiff *diff, Count *c, FsimIDiffRows *rows, unsigned threads,
           const FsimPopulation *pop, GError **error)
{
    size_t n_groups = (c->n_users + 63) / 64;
    unsigned n = worker_count (c, threads, n_groups);
    gboolean ok = TRUE;
    c->workers = g_new0 (Worker, n);
    for (unsigned t = 0; t < n && ok; t++)
        ok = worker_init (&c->workers[t], c, error);
    if (ok) {
        fsim_parallel_for (n_groups, n, count_group, c, NULL, NULL);
        add_up (diff, c, n);
        merge_examples (diff, c, n, pop);
        rows->counts = g_steal_pointer (&c->workers[0].counts);
    }
    for (unsigned t = 0; t < n; t++)
        worker_clear (&c->workers[t]);
    g_free (c->workers);
    return ok;
}

gboolean
fsim_i_diff_users (FsimDiff *diff, const FsimPopulation *base_pop, const FsimDecisions *base_d,
                   const FsimPopulation *whatif_pop, const FsimDecisions *whatif_d,
                   const FsimFocus *focus, FsimIDiffRows **out_rows, GError **error)
{
    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
    g_return_val_if_fail (base_pop->n_users <= G_MAXUINT32, FALSE); /* guint32 counts */
    Sides x = { .s = { diff->base, diff->whatif },
                .pop = { base_pop, whatif_pop },
                .d = { base_d, whatif_d } };
    gboolean ok = sides_lanes (&x, base_pop->n_threads, error);
    g_autoptr (FsimIDiffRows) rows = ok ? fsim_i_diff_rows_new (diff, x.lanes, focus, error) : NULL;
    /* the rows listed are made through GLib, which aborts when memory runs out: check first */
    size_t listed = MIN (rows ? rows->n_rows : 0, 2 * FSIM_DIFF_MAX_LISTED + FSIM_DIFF_MAX_DRAWN);
    if (rows && !fsim_memory_reserve (fsim_memory_array_bytes (listed, sizeof (FsimDiffFlow)),
                                      "the rows of the comparison", error))
        g_clear_pointer (&rows, fsim_i_diff_rows_free);
    if (rows) {
        Count c = { .r = rows,
                    .lanes = { x.lanes[0], x.lanes[1] },
                    .n_users = base_pop->n_users,
                    .np = diff->partners->len,
                    .nj = diff->jurisdictions->len,
                    .n_slots = { fsim_lanes_n_slots (x.lanes[0]),
                                 fsim_lanes_n_slots (x.lanes[1]) } };
        ok = count_all (diff, &c, rows, base_pop->n_threads, base_pop, error);
    }
    fsim_lanes_free (x.lanes[0]);
    fsim_lanes_free (x.lanes[1]);
    if (!rows || !ok)
        return FALSE;
    *out_rows = g_steal_pointer (&rows);
    return TRUE;
}
