/* SPDX-License-Identifier: MIT */
/* population.c: builds the users (friend lists, settings, partner use) from a population spec. */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include <glib.h>

#include "bits.h"
#include "friends.h"
#include "population.h"
#include "scenario.h"

G_DEFINE_QUARK (fsim-population-error-quark, fsim_population_error)

/* Refuse populations whose arrays alone would need more than this (a typo in "users"). */
#define MAX_POPULATION_BYTES ((guint64) 16 << 30)

/* Third seed word of the population GRand, so its stream differs from igraph's, which is
 * seeded with the same scenario seed. Part of the output contract: do not change. */
#define POPULATION_SEED_SALT 0x5e77u

/* Zeroed allocation that is never NULL on success, also for 0 elements. */
static gpointer
try_alloc0 (size_t n, size_t size)
{
    return g_try_malloc0_n (n ? n : 1, size);
}

/*
 * Estimates the bytes of the per-user arrays and the friend lists (@n_arcs = twice the
 * friendships, a double because it may be an estimate). FALSE with TOO_LARGE for more than
 * UINT32_MAX users (friend lists hold 32-bit ids), if a product overflows, or if the total
 * exceeds MAX_POPULATION_BYTES.
 */
static gboolean
check_size (const FsimScenario *s, size_t n_users, double n_arcs, GError **error)
{
    size_t per_user = 1 + s->n_fields;
    gboolean ok = n_users <= UINT32_MAX && per_user > s->n_fields &&
                  g_size_checked_add (&per_user, per_user, s->field_words * sizeof (FsimWord)) &&
                  g_size_checked_add (&per_user, per_user, s->partner_words * sizeof (FsimWord)) &&
                  g_size_checked_mul (&per_user, per_user, n_users);

    if (ok) {
        double total = (double) per_user + ((double) n_users + 1) * sizeof (size_t) +
                       n_arcs * sizeof (uint32_t);
        ok = total <= (double) MAX_POPULATION_BYTES;
    }
    if (!ok) {
        g_set_error (error, FSIM_POPULATION_ERROR, FSIM_POPULATION_ERROR_TOO_LARGE,
                     "a population of %zu users with %zu fields and %zu partners is too large "
                     "(at most %u users and %" G_GUINT64_FORMAT " GiB)",
                     n_users, s->n_fields, s->n_partners, UINT32_MAX, MAX_POPULATION_BYTES >> 30);
        return FALSE;
    }
    return TRUE;
}

/* Allocates the per-user arrays of @pop (n_users and the counts already set). */
static gboolean
alloc_arrays (FsimPopulation *pop, GError **error)
{
    size_t n = pop->n_users;

    pop->platform = try_alloc0 (n, 1);
    pop->apps_others = try_alloc0 (n * pop->field_words, sizeof (FsimWord));
    pop->audience = try_alloc0 (n * pop->n_fields, 1);
    pop->uses = try_alloc0 (n * pop->partner_words, sizeof (FsimWord));
    if (pop->platform == NULL || pop->apps_others == NULL || pop->audience == NULL ||
        pop->uses == NULL) {
        g_set_error (error, FSIM_POPULATION_ERROR, FSIM_POPULATION_ERROR_FAILED,
                     "out of memory for the settings of %zu users", n);
        return FALSE;
    }
    return TRUE;
}

/* The bit set of every field, field_words long. */
static FsimWord *
all_fields_new (const FsimScenario *s)
{
    FsimWord *all = fsim_bits_new (s->field_words);

    for (size_t f = 0; f < s->n_fields; f++)
        fsim_bits_set (all, f);
    return all;
}

/* ---- explicit users ------------------------------------------------------------------------ */

/* Friend lists from every user's "friends" (either side is enough: the CSR is symmetric). */
static FsimFriends *
explicit_friends (const FsimPopulationSpec *ps, GError **error)
{
    size_t n_pairs = 0, k = 0;
    g_autofree uint32_t *pairs = NULL;

    for (size_t u = 0; u < ps->n_users; u++)
        n_pairs += ps->users[u].n_friends;
    pairs = g_new (uint32_t, 2 * (n_pairs ? n_pairs : 1));
    for (size_t u = 0; u < ps->n_users; u++) {
        const FsimUserSpec *us = &ps->users[u];

        for (size_t i = 0; i < us->n_friends; i++) {
            if (us->friends[i] >= ps->n_users) {
                g_set_error (error, FSIM_POPULATION_ERROR, FSIM_POPULATION_ERROR_FAILED,
                             "user %zu lists friend %zu, but there are only %zu users", u,
                             us->friends[i], ps->n_users);
                return NULL;
            }
            pairs[k++] = (uint32_t) u;
            pairs[k++] = (uint32_t) us->friends[i];
        }
    }
    return fsim_friends_new_from_pairs (ps->n_users, pairs, n_pairs, error);
}

static gboolean
build_explicit (const FsimScenario *s, FsimPopulation *pop, GError **error)
{
    const FsimPopulationSpec *ps = &s->population;
    g_autofree FsimWord *all_fields = all_fields_new (s);
    size_t n_arcs = 0;

    for (size_t u = 0; u < ps->n_users; u++)
        n_arcs += 2 * ps->users[u].n_friends;
    if (!check_size (s, ps->n_users, (double) n_arcs, error))
        return FALSE;
    pop->n_users = ps->n_users;
    pop->friends = explicit_friends (ps, error);
    if (pop->friends == NULL || !alloc_arrays (pop, error))
        return FALSE;

    pop->user_ids = g_new0 (char *, pop->n_users + 1);
    for (size_t u = 0; u < pop->n_users; u++) {
        const FsimUserSpec *us = &ps->users[u];
        const FsimSettings *st = &us->settings;

        pop->user_ids[u] = us->id != NULL ? g_strdup (us->id) : g_strdup_printf ("u%zu", u);
        pop->platform[u] = st->platform ? 1 : 0;
        memcpy (pop->apps_others + u * pop->field_words,
                st->apps_others != NULL ? st->apps_others : all_fields,
                pop->field_words * sizeof (FsimWord));
        if (st->audience != NULL)
            memcpy (pop->audience + u * pop->n_fields, st->audience, pop->n_fields);
        else
            memset (pop->audience + u * pop->n_fields, FSIM_AUDIENCE_FRIENDS, pop->n_fields);
        if (us->uses != NULL)
            memcpy (pop->uses + u * pop->partner_words, us->uses,
                    pop->partner_words * sizeof (FsimWord));
    }
    return TRUE;
}

/* ---- generated users ----------------------------------------------------------------------- */

/*
 * Per field, the running sums of the audience shares and the audience that absorbs a draw
 * beyond the last sum (shares that add up to 1 - 1e-12 must not leave a gap).
 */
typedef struct {
    double *cum;      /* [f * FSIM_N_AUDIENCES + a]: share[0] + ... + share[a] */
    guint8 *fallback; /* [f]: the last audience with a non-zero share */
} AudienceTable;

static void
audience_table_init (AudienceTable *t, const FsimScenario *s)
{
    const double *mix = s->population.audience_mix;

    t->cum = g_new (double, (s->n_fields ? s->n_fields : 1) * FSIM_N_AUDIENCES);
    t->fallback = g_new (guint8, s->n_fields ? s->n_fields : 1);
    for (size_t f = 0; f < s->n_fields; f++) {
        double sum = 0;

        t->fallback[f] = FSIM_AUDIENCE_FRIENDS;
        for (int a = 0; a < FSIM_N_AUDIENCES; a++) {
            /* No mix at all means everybody shares with friends (the format's default). */
            double share = mix != NULL ? mix[f * FSIM_N_AUDIENCES + (size_t) a]
                                       : (a == FSIM_AUDIENCE_FRIENDS ? 1.0 : 0.0);
            sum += share;
            t->cum[f * FSIM_N_AUDIENCES + (size_t) a] = sum;
            if (share > 0)
                t->fallback[f] = (guint8) a;
        }
    }
}

static void
audience_table_clear (AudienceTable *t)
{
    g_free (t->cum);
    g_free (t->fallback);
}

static guint8
audience_pick (const AudienceTable *t, size_t f, double r)
{
    for (int a = 0; a < FSIM_N_AUDIENCES; a++)
        if (r < t->cum[f * FSIM_N_AUDIENCES + (size_t) a])
            return (guint8) a;
    return t->fallback[f];
}

/*
 * The draw order, which is part of the output contract (changing it changes every generated
 * population for a given seed):
 *
 *   One GRand (Mersenne Twister) seeded with the array {seed & 0xffffffff, seed >> 32, 0x5e77}.
 *   Users are drawn in index order. Each user takes exactly 2 + n_fields + n_partners numbers
 *   from g_rand_double() (in [0, 1)), whatever the shares, so that changing one share changes
 *   only the decisions that depend on it:
 *     1. platform switch: on unless r < platform_off;
 *     2. apps_others: every field, minus restricted_fields when r < apps_others_restricted;
 *     3. audience of field f, for f = 0 .. n_fields - 1: the first audience a in the order
 *        only_me, friends, friends_of_friends, public with r < share[0] + ... + share[a];
 *     4. use of partner p, for p = 0 .. n_partners - 1: uses p when r < adoption[p].
 *
 * The friend lists come first and separately, from igraph's RNG seeded with the same seed.
 */
static void
draw_user (const FsimScenario *s, const AudienceTable *audiences, const FsimWord *restricted,
           GRand *rand, FsimPopulation *pop, size_t u)
{
    const FsimPopulationSpec *ps = &s->population;
    FsimWord *apps_others = pop->apps_others + u * pop->field_words;
    guint8 *audience = pop->audience + u * pop->n_fields;
    FsimWord *uses = pop->uses + u * pop->partner_words;

    pop->platform[u] = g_rand_double (rand) < ps->platform_off ? 0 : 1;

    gboolean is_restricted = g_rand_double (rand) < ps->apps_others_restricted;
    for (size_t f = 0; f < s->n_fields; f++)
        if (!is_restricted || !fsim_bits_get (restricted, f))
            fsim_bits_set (apps_others, f);

    for (size_t f = 0; f < s->n_fields; f++)
        audience[f] = audience_pick (audiences, f, g_rand_double (rand));

    for (size_t p = 0; p < s->n_partners; p++) {
        double r = g_rand_double (rand);
        if (ps->adoption != NULL && r < ps->adoption[p])
            fsim_bits_set (uses, p);
    }
}

static gboolean
build_generated (const FsimScenario *s, FsimPopulation *pop, GError **error)
{
    const FsimPopulationSpec *ps = &s->population;
    const guint32 seed[] = { (guint32) (s->seed & 0xffffffffu), (guint32) (s->seed >> 32),
                             POPULATION_SEED_SALT };
    g_autofree FsimWord *all_fields = all_fields_new (s);
    const FsimWord *restricted = ps->restricted_fields != NULL ? ps->restricted_fields : all_fields;
    AudienceTable audiences;

    if (!check_size (s, ps->gen_users, (double) ps->gen_users * ps->mean_degree, error))
        return FALSE;
    pop->n_users = ps->gen_users;
    pop->friends =
        fsim_friends_generate (ps->generator, ps->gen_users, ps->mean_degree, s->seed, error);
    if (pop->friends == NULL) {
        g_prefix_error (error, "generating friendships: ");
        return FALSE;
    }
    if (!alloc_arrays (pop, error))
        return FALSE;

    g_autoptr(GRand) rand = g_rand_new_with_seed_array (seed, G_N_ELEMENTS (seed));
    audience_table_init (&audiences, s);
    for (size_t u = 0; u < pop->n_users; u++)
        draw_user (s, &audiences, restricted, rand, pop, u);
    audience_table_clear (&audiences);
    return TRUE;
}

/* ---- public -------------------------------------------------------------------------------- */

/**
 * fsim_population_build:
 * @scenario: read only; its population spec, fields, partners and seed are used
 * Explicit users keep their ids, friends (made symmetric; self-friendships and repeats
 * dropped), settings and partner use. A generated population draws its friend lists with
 * igraph (seeded with @scenario->seed, which reseeds igraph's default RNG) and its settings and
 * partner use from a GRand seeded from the same seed (see draw_user() for the order).
 * Returns: (transfer full): the population, or NULL with @error set: FSIM_POPULATION_ERROR_
 *   TOO_LARGE when the arrays would exceed 16 GiB, FSIM_POPULATION_ERROR_FAILED for a friend
 *   index out of range or when out of memory, an FSIM_GRAPH_ERROR from the friend lists.
 */
FsimPopulation *
fsim_population_build (const FsimScenario *scenario, GError **error)
{
    const FsimScenario *s = scenario;
    g_autoptr(FsimPopulation) pop = NULL;
    gboolean ok;

    g_return_val_if_fail (s != NULL, NULL);
    g_return_val_if_fail (s->field_words >= FSIM_BITS_WORDS (s->n_fields), NULL);
    g_return_val_if_fail (s->partner_words >= FSIM_BITS_WORDS (s->n_partners), NULL);
    g_return_val_if_fail (
        s->population.kind == FSIM_POPULATION_EXPLICIT || s->population.generator != NULL, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);

    pop = g_new0 (FsimPopulation, 1);
    pop->n_fields = s->n_fields;
    pop->field_words = s->field_words;
    pop->n_partners = s->n_partners;
    pop->partner_words = s->partner_words;
    if (s->population.kind == FSIM_POPULATION_EXPLICIT)
        ok = build_explicit (s, pop, error);
    else
        ok = build_generated (s, pop, error);
    return ok ? g_steal_pointer (&pop) : NULL;
}

/**
 * fsim_population_free:
 * Frees @p and everything it holds. Accepts NULL.
 */
void
fsim_population_free (FsimPopulation *p)
{
    if (p == NULL)
        return;
    fsim_friends_free (p->friends);
    g_strfreev (p->user_ids);
    g_free (p->platform);
    g_free (p->apps_others);
    g_free (p->audience);
    g_free (p->uses);
    g_free (p);
}

/**
 * fsim_population_user_name:
 * Returns: (transfer full): the id of explicit user @u, "u<@u>" for a generated one.
 */
char *
fsim_population_user_name (const FsimPopulation *p, size_t u)
{
    g_return_val_if_fail (p != NULL && u < p->n_users, NULL);

    if (p->user_ids != NULL)
        return g_strdup (p->user_ids[u]);
    return g_strdup_printf ("u%zu", u);
}
