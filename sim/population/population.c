/* SPDX-License-Identifier: MIT */
/* population.c: builds the users (friend lists, settings, partner use) from a population spec. */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include <glib.h>

#include "bits.h"
#include "friends.h"
#include "memory.h"
#include "population-private.h"
#include "population.h"
#include "scenario.h"

/* The quark's name is G_DEFINE_QUARK's first argument, spelt as it stands. */
/* clang-format off */
G_DEFINE_QUARK (fsim-population-error-quark, fsim_population_error)
/* clang-format on */

/* Zeroed allocation that is never NULL on success, also for 0 elements. */
static gpointer
try_alloc0 (size_t n, size_t size)
{
    return g_try_malloc0_n (n ? n : 1, size);
}

/*
 * Estimates the bytes of the per-user arrays and the friend lists (@n_arcs = twice the
 * friendships, a double because it may be an estimate). FALSE with TOO_LARGE for more than
 * UINT32_MAX users (friend lists hold 32-bit ids), if a product overflows, or if building it
 * would need more memory than this machine can give (the only size limit: no fixed cap
 * contradicts the documented 100 million generated users). The error is located at the
 * scenario's "population" object.
 */
char *
fsim_i_population_where (const FsimScenario *s)
{
    const FsimLoc *loc = &s->population.loc;
    return loc->file ? g_strdup_printf ("%s:%d:%d: ", loc->file, loc->line, loc->col)
                     : g_strdup ("");
}

gboolean
fsim_i_population_check_size (const FsimScenario *s, size_t n_users, double n_arcs, GError **error)
{
    return fsim_i_population_check_part (s, n_users, n_users, n_arcs, error);
}

gboolean
fsim_i_population_check_part (const FsimScenario *s, size_t n_users, size_t n_total, double n_arcs,
                              GError **error)
{
    /* located at the scenario's "population" object (FILE:LINE:COL: ) */
    g_autofree char *where = fsim_i_population_where (s);
    size_t per_user = 1 + s->n_fields;
    gboolean ok = n_total <= UINT32_MAX && n_users <= n_total && per_user > s->n_fields &&
                  g_size_checked_add (&per_user, per_user, s->field_words * sizeof (FsimWord)) &&
                  g_size_checked_add (&per_user, per_user, s->partner_words * sizeof (FsimWord)) &&
                  g_size_checked_mul (&per_user, per_user, n_users);

    if (ok) {
        double total = (double) per_user + ((double) n_users + 1) * sizeof (size_t) +
                       n_arcs * sizeof (uint32_t);
        /* Building and tracing peak at about twice the estimate (measured), and the igraph
         * generators at about six times (igraph keeps 32 bytes per friendship): refuse what
         * would not fit in this machine's memory (graph/memory.h) rather than be killed. */
        const char *gen =
            s->population.kind == FSIM_POPULATION_GENERATED ? s->population.generator : NULL;
        double peak = total * (gen && strcmp (gen, "facebook_like") != 0 ? 6 : 2);
        if (peak > (double) fsim_memory_limit ()) {
            /* under mpirun, a rank is judged against its part of the machine (memory.h) */
            g_autofree char *whose = fsim_memory_whose ();
            g_autofree char *part =
                n_users < n_total
                    ? g_strdup_printf (" for this process's part of it (%zu users)", n_users)
                    : g_strdup ("");
            g_autofree char *needs = fsim_memory_size_text (peak);
            g_autofree char *can = fsim_memory_size_text ((double) fsim_memory_limit ());
            g_set_error (error, FSIM_POPULATION_ERROR, FSIM_POPULATION_ERROR_TOO_LARGE,
                         "%sa population of %zu users with %zu fields and %zu partners needs "
                         "about %s of memory%s, more than %s (%s); use "
                         "fewer users or a smaller mean degree",
                         where, n_total, s->n_fields, s->n_partners, needs, part, whose, can);
            return FALSE;
        }
    }
    if (!ok) {
        g_set_error (error, FSIM_POPULATION_ERROR, FSIM_POPULATION_ERROR_TOO_LARGE,
                     "%sa population of %zu users with %zu fields and %zu partners is too "
                     "large (friend lists hold at most %u users)",
                     where, n_total, s->n_fields, s->n_partners, UINT32_MAX);
        return FALSE;
    }
    return TRUE;
}

/* Allocates the per-user arrays of @pop (n_users and the counts already set); running out is
 * said at @s's "population" object. */
gboolean
fsim_i_population_alloc (const FsimScenario *s, FsimPopulation *pop, GError **error)
{
    size_t n = pop->n_users;

    pop->platform = try_alloc0 (n, 1);
    pop->apps_others = try_alloc0 (n * pop->field_words, sizeof (FsimWord));
    pop->audience = try_alloc0 (n * pop->n_fields, 1);
    pop->uses = try_alloc0 (n * pop->partner_words, sizeof (FsimWord));
    if (pop->platform == NULL || pop->apps_others == NULL || pop->audience == NULL ||
        pop->uses == NULL) {
        g_autofree char *where = fsim_i_population_where (s);
        g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_NOMEM,
                     "%sout of memory for the settings of %zu users", where, n);
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
    /* up to a pair per JSON value of the users' friends (16,777,216: 128 MiB), tried */
    pairs = fsim_try_new (2 * (n_pairs ? n_pairs : 1), sizeof (uint32_t),
                          "the listed users' friendships", error);
    if (pairs == NULL)
        return NULL;
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
    if (!fsim_i_population_check_size (s, ps->n_users, (double) n_arcs, error))
        return FALSE;
    pop->n_users = ps->n_users;
    pop->friends = explicit_friends (ps, error);
    if (pop->friends == NULL || !fsim_i_population_alloc (s, pop, error))
        return FALSE;

    pop->user_ids = fsim_try_new0 (pop->n_users + 1, sizeof (char *), "the users' ids", error);
    if (pop->user_ids == NULL)
        return FALSE;
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

/* The generator's parameters from the spec and seed. */
void
fsim_i_population_gen_params (const FsimScenario *s, FsimGenParams *out_params)
{
    const FsimPopulationSpec *ps = &s->population;
    FsimGenParams params = FSIM_GEN_PARAMS_INIT;

    params.model = ps->generator;
    params.n_users = ps->gen_users;
    params.mean_degree = ps->mean_degree;
    params.seed = s->seed;
    params.spread = ps->spread;
    params.clustering = ps->clustering;
    params.max_degree = ps->max_degree ? ps->max_degree : FSIM_GEN_DEFAULT_MAX_DEGREE;
    params.community_size = ps->community_size;
    params.rewire = ps->rewire;
    *out_params = params;
}

static FsimFriends *
generate_friends (const FsimScenario *s, unsigned n_threads, GError **error)
{
    FsimGenParams params;

    fsim_i_population_gen_params (s, &params);
    params.n_threads = n_threads;
    return fsim_friends_generate_params (&params, error);
}

static gboolean
build_generated (const FsimScenario *s, FsimPopulation *pop, GError **error)
{
    const FsimPopulationSpec *ps = &s->population;

    if (!fsim_i_population_check_size (s, ps->gen_users, (double) ps->gen_users * ps->mean_degree,
                                       error))
        return FALSE;
    pop->n_users = ps->gen_users;
    pop->friends = generate_friends (s, pop->n_threads, error);
    if (pop->friends == NULL) {
        /* at the population object: its users and mean degree are what the model refused */
        g_autofree char *where = fsim_i_population_where (s);
        g_prefix_error (error, "%sgenerating friendships: ", where);
        return FALSE;
    }
    if (!fsim_i_population_alloc (s, pop, error))
        return FALSE;
    fsim_i_population_draw (s, pop);
    return ps->adoption_model != FSIM_ADOPTION_CLUSTERED ||
           fsim_i_population_adopt_clustered (s, pop, error);
}

/* ---- public -------------------------------------------------------------------------------- */

/**
 * fsim_population_build:
 * @scenario: read only; its population spec, fields, partners and seed are used
 * Explicit users keep their ids, friends (made symmetric; self-friendships and repeats
 * dropped), settings and partner use. A generated population draws its friend lists with the
 * spec's generator (seeded with @scenario->seed; the igraph models reseed igraph's default RNG),
 * an imported one reads them from the spec's file; both then draw settings and partner use
 * from counter-based streams keyed by the same seed (population-draw.c has the order, and
 * population-cluster.c the clustered adoption), so the result is the same on any number of
 * threads. With population.snapshot, the population is the snapshot's, mapped read-only and
 * used in place (population-snapshot-read.c), after checking that @scenario's population is
 * the one it was saved from.
 * Returns: (transfer full): the population, or NULL with @error set: FSIM_POPULATION_ERROR_
 *   TOO_LARGE when it would not fit in this machine's memory, FSIM_POPULATION_ERROR_FAILED for a friend
 *   index out of range or when out of memory, FSIM_POPULATION_ERROR_IMPORT for an imported
 *   attribute that cannot be used, FSIM_POPULATION_ERROR_SNAPSHOT_* for a snapshot that cannot
 *   be read, is not one, is corrupt or was saved from another population, an FSIM_GRAPH_ERROR
 *   from the friend lists.
 */
FsimPopulation *
fsim_population_build (const FsimScenario *scenario, GError **error)
{
    return fsim_population_build_threads (scenario, 0, error);
}

FsimPopulation *
fsim_population_build_threads (const FsimScenario *scenario, unsigned n_threads, GError **error)
{
    const FsimScenario *s = scenario;
    g_autoptr (FsimPopulation) pop = NULL;
    gboolean ok;

    g_return_val_if_fail (s != NULL, NULL);
    g_return_val_if_fail (s->field_words >= FSIM_BITS_WORDS (s->n_fields), NULL);
    g_return_val_if_fail (s->partner_words >= FSIM_BITS_WORDS (s->n_partners), NULL);
    g_return_val_if_fail (
        s->population.kind == FSIM_POPULATION_EXPLICIT ||
            (s->population.kind == FSIM_POPULATION_GENERATED && s->population.generator != NULL) ||
            (s->population.kind == FSIM_POPULATION_IMPORTED && s->population.import_file != NULL) ||
            s->population.snapshot != NULL,
        NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);

    pop = g_new0 (FsimPopulation, 1);
    pop->n_fields = s->n_fields;
    pop->field_words = s->field_words;
    pop->n_partners = s->n_partners;
    pop->partner_words = s->partner_words;
    pop->n_threads = n_threads;
    if (s->population.snapshot != NULL) {
        ok = fsim_i_population_load_snapshot (s, pop, error);
        fsim_i_population_locate_snapshot (&s->population, ok, error);
    } else if (s->population.kind == FSIM_POPULATION_EXPLICIT)
        ok = build_explicit (s, pop, error);
    else if (s->population.kind == FSIM_POPULATION_IMPORTED)
        ok = fsim_i_population_import (s, pop, error);
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
    if (p->snapshot == NULL) {
        g_strfreev (p->user_ids);
        g_strfreev (p->file_names);
        g_free (p->file_ids);
        g_free (p->platform);
        g_free (p->apps_others);
        g_free (p->audience);
        g_free (p->uses);
    } else {
        g_free (p->user_ids); /* the names, like the arrays, point into it */
        g_free (p->file_names);
        g_mapped_file_unref (p->snapshot); /* the arrays point into it */
    }
    g_free (p);
}

#define PREFETCH 16 /* friends ahead: their sets are scattered over the whole array */

/**
 * fsim_population_near:
 * See population.h: a saturating count (0, 1, 2+) per partner over v's friends. @near must be
 * zeroed when partners take more than one word.
 */
void
fsim_population_near (const FsimPopulation *pop, FsimWord *near, size_t from, size_t to)
{
    const FsimFriends *fr = pop->friends;
    const FsimWord *uses = pop->uses;
    size_t pw = pop->partner_words;

    if (fr == NULL)
        return; /* nobody has friends: near stays empty */
    for (size_t v = from; v < to; v++) {
        FsimWord *one = near + v * 2 * pw, *two = one + pw;
        const uint32_t *nb = fr->adj + fr->offsets[v], *end = fr->adj + fr->offsets[v + 1];
        if (pw == 1) { /* the common case, kept in registers */
            FsimWord o = 0, t = 0;
            for (; nb < end; nb++) {
                if (nb + PREFETCH < end)
                    __builtin_prefetch (uses + nb[PREFETCH]);
                FsimWord x = uses[*nb];
                t |= o & x;
                o |= x;
            }
            one[0] = o;
            two[0] = t;
            continue;
        }
        for (; nb < end; nb++)
            for (size_t w = 0; w < pw; w++) {
                FsimWord x = uses[(size_t) *nb * pw + w];
                two[w] |= one[w] & x;
                one[w] |= x;
            }
    }
}

/**
 * fsim_population_user_name:
 * Returns: (transfer full): the id of explicit user @u, the graph file's id of an imported one
 *   (a GraphML node id, an edge list's or GML file's number), "u<@u>" for a generated one.
 */
char *
fsim_population_user_name (const FsimPopulation *p, size_t u)
{
    g_return_val_if_fail (p != NULL && u < p->n_users, NULL);

    if (p->user_ids != NULL)
        return g_strdup (p->user_ids[u]);
    if (p->file_names != NULL)
        return g_strdup (p->file_names[u]);
    if (p->file_ids != NULL)
        return g_strdup_printf ("%" G_GINT64_FORMAT, p->file_ids[u]);
    return g_strdup_printf ("u%zu", u);
}

/**
 * fsim_population_naming:
 * Returns: how @p's users are named, for messages: "named u0, u1, ...", "named by the graph
 *   file's ids", or NULL for explicit users (named in the scenario).
 */
const char *
fsim_population_naming (const FsimPopulation *p)
{
    g_return_val_if_fail (p != NULL, NULL);

    if (p->user_ids != NULL)
        return NULL;
    if (p->file_names != NULL || p->file_ids != NULL)
        return "named by the graph file's ids";
    return "named u0, u1, ...";
}
