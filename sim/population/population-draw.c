/* SPDX-License-Identifier: MIT */
/* population-draw.c: every generated or imported user's settings and (random) partner use. */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib.h>

#include "bits.h"
#include "parallel.h"
#include "population-private.h"

#define BLOCK_USERS 4096 /* users per parallel item */

/*
 * A draw is the top 53 bits k of a stream number, standing for the uniform k / 2^53 in [0, 1);
 * "k / 2^53 < x" is tested as "k < threshold (x)" with integers only.
 */
#define ONE (UINT64_C (1) << 53)

typedef struct {
    const FsimScenario *s;
    FsimPopulation *pop;
    const FsimWord *all;        /* every field */
    const FsimWord *restricted; /* fields restricted users untick */
    gboolean random_adoption;
    uint64_t key;
    size_t draws; /* per user */
    size_t first; /* pop's row 0 is user first */
    uint64_t platform_off, restricted_share;
    uint64_t *cum;      /* [f * FSIM_N_AUDIENCES + a]: threshold (share[0] + ... + share[a]) */
    guint8 *fallback;   /* [f]: the last audience with a non-zero share */
    int *fixed;         /* [f]: the audience everybody gets, or -1 */
    uint64_t *adoption; /* [p]: threshold (adoption[p]) */
} Draw;

static uint64_t
threshold (double x)
{
    if (!(x > 0))
        return 0;
    if (x >= 1)
        return ONE;
    return (uint64_t) ceil (x * (double) ONE); /* exact: x * 2^53 only shifts the exponent */
}

static uint64_t
draw53 (const Draw *d, uint64_t i)
{
    return fsim_i_stream_u64 (d->key, i) >> 11;
}

/* Per field, the running sums of the audience shares and the audience that absorbs a draw
 * beyond the last sum (shares that add up to 1 - 1e-12 must not leave a gap). */
static void
audience_table_init (Draw *d)
{
    const FsimScenario *s = d->s;
    const double *mix = s->population.audience_mix;
    size_t nf = MAX (s->n_fields, (size_t) 1);

    d->cum = g_new (uint64_t, nf * FSIM_N_AUDIENCES);
    d->fallback = g_new (guint8, nf);
    d->fixed = g_new (int, nf);
    for (size_t f = 0; f < s->n_fields; f++) {
        double sum = 0;
        d->fallback[f] = FSIM_AUDIENCE_FRIENDS;
        d->fixed[f] = -1;
        for (int a = 0; a < FSIM_N_AUDIENCES; a++) {
            /* No mix at all means everybody shares with friends (the format's default). */
            double share = mix != NULL ? mix[f * FSIM_N_AUDIENCES + (size_t) a]
                                       : (a == FSIM_AUDIENCE_FRIENDS ? 1.0 : 0.0);
            sum += share;
            d->cum[f * FSIM_N_AUDIENCES + (size_t) a] = threshold (sum);
            if (share > 0)
                d->fallback[f] = (guint8) a;
            if (share >= 1 && d->fixed[f] < 0 && sum <= 1)
                d->fixed[f] = a;
        }
    }
}

/* The first audience a with k < cum[a]; the sums never decrease, so that is the number of
 * sums at or below k (counted without branches: the draws are random). */
static guint8
audience_pick (const Draw *d, size_t f, uint64_t k)
{
    const uint64_t *cum = d->cum + f * FSIM_N_AUDIENCES;
    G_STATIC_ASSERT (FSIM_N_AUDIENCES == 4);

    if (G_UNLIKELY (k >= cum[3]))
        return d->fallback[f];
    return (guint8) ((k >= cum[0]) + (k >= cum[1]) + (k >= cum[2]));
}

/*
 * The draws, which are part of the output contract (changing them changes every generated
 * population for a given seed): user u's draw k is number u * D + k of the stream keyed by
 * (seed, FSIM_I_SALT_SETTINGS), r its top 53 bits over 2^53, with D = 2 + n_fields +
 * n_partners whatever the shares (a share of 0 or 1 needs no draw), so that
 * changing one share changes only the decisions that depend on it:
 *   k = 0: platform switch: on unless r < platform_off;
 *   k = 1: apps_others: every field, minus restricted_fields when r < apps_others_restricted;
 *   k = 2 + f: audience of field f: the first audience a in the order only_me, friends,
 *     friends_of_friends, public with r < share[0] + ... + share[a];
 *   k = 2 + n_fields + p: use of partner p (random adoption only): uses p when r < adoption[p].
 */
static void
draw_user (const Draw *d, size_t row)
{
    const FsimScenario *s = d->s;
    FsimPopulation *pop = d->pop;
    FsimWord *apps_others = pop->apps_others + row * pop->field_words;
    guint8 *audience = pop->audience + row * pop->n_fields;
    FsimWord *uses = pop->uses + row * pop->partner_words;
    uint64_t i = (uint64_t) (d->first + row) * d->draws;

    /* a share of 0 or 1 decides without a draw: the result is the same */
    pop->platform[row] = d->platform_off != 0 && draw53 (d, i) < d->platform_off ? 0 : 1;
    gboolean is_restricted = d->restricted_share != 0 && draw53 (d, i + 1) < d->restricted_share;
    for (size_t w = 0; w < pop->field_words; w++)
        apps_others[w] = d->all[w] & (is_restricted ? ~d->restricted[w] : ~(FsimWord) 0);
    for (size_t f = 0; f < s->n_fields; f++)
        audience[f] =
            d->fixed[f] >= 0 ? (guint8) d->fixed[f] : audience_pick (d, f, draw53 (d, i + 2 + f));
    if (d->adoption == NULL)
        return;
    i += 2 + s->n_fields;
    for (size_t p = 0; p < s->n_partners; p++)
        if (d->adoption[p] != 0 && (d->adoption[p] == ONE || draw53 (d, i + p) < d->adoption[p]))
            fsim_bits_set (uses, p);
}

static void
draw_block (size_t block, unsigned worker, void *data)
{
    const Draw *d = data;
    size_t end = MIN ((block + 1) * BLOCK_USERS, d->pop->n_users);

    (void) worker;
    for (size_t u = block * BLOCK_USERS; u < end; u++)
        draw_user (d, u);
}

/**
 * fsim_i_population_draw:
 * Fills platform, apps_others and audience of every user of @pop, and uses when the spec's
 * adoption model is random (uses must be zero). The result does not depend on the number of
 * threads. Can't fail.
 */
void
fsim_i_population_draw (const FsimScenario *s, FsimPopulation *pop)
{
    fsim_i_population_draw_rows (s, pop, 0);
}

/**
 * fsim_i_population_draw_rows:
 * fsim_i_population_draw() for users @first .. @first + pop->n_users - 1, row i of @pop's
 * arrays being user @first + i: the same draws as for those users of the whole population.
 */
void
fsim_i_population_draw_rows (const FsimScenario *s, FsimPopulation *pop, size_t first)
{
    const FsimPopulationSpec *ps = &s->population;
    g_autofree FsimWord *all = fsim_bits_new (s->field_words);
    Draw d = {
        .s = s,
        .pop = pop,
        .restricted = ps->restricted_fields,
        .random_adoption = ps->adoption_model == FSIM_ADOPTION_RANDOM,
        .key = fsim_i_stream_key (s->seed, FSIM_I_SALT_SETTINGS),
        .draws = 2 + s->n_fields + s->n_partners,
        .first = first,
    };
    size_t n_blocks = (pop->n_users + BLOCK_USERS - 1) / BLOCK_USERS;

    for (size_t f = 0; f < s->n_fields; f++)
        fsim_bits_set (all, f);
    d.all = all;
    if (d.restricted == NULL)
        d.restricted = all;
    d.platform_off = threshold (ps->platform_off);
    d.restricted_share = threshold (ps->apps_others_restricted);
    if (d.random_adoption && ps->adoption != NULL) {
        d.adoption = g_new (uint64_t, MAX (s->n_partners, (size_t) 1));
        for (size_t p = 0; p < s->n_partners; p++)
            d.adoption[p] = threshold (ps->adoption[p]);
    }
    audience_table_init (&d);
    fsim_parallel_for (n_blocks, fsim_parallel_workers (pop->n_threads, n_blocks), draw_block, &d,
                       NULL, NULL);
    g_free (d.cum);
    g_free (d.fallback);
    g_free (d.fixed);
    g_free (d.adoption);
}
