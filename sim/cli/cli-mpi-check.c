/* SPDX-License-Identifier: MIT */
/* cli-mpi-check.c: `flowsim check` over MPI ranks: each day's counts summed over the ranks, and
 * each counterexample's 2-hop neighbourhood gathered to explain it (docs/scaling.md). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <mpi.h>

#include <glib.h>

#include "cli-mpi-private.h"
#include "cli-mpi.h"
#include "engine-mpi.h"
#include "expect.h"

void
fsim_i_cli_mpi_names_only (FsimPopulation *pop)
{
    fsim_friends_free (pop->friends);
    g_free (pop->platform);
    g_free (pop->apps_others);
    g_free (pop->audience);
    g_free (pop->uses);
    pop->friends = NULL;
    pop->platform = NULL;
    pop->apps_others = NULL;
    pop->audience = NULL;
    pop->uses = NULL;
}

static void
sum_all (uint64_t *values, size_t n, void *data)
{
    (void) data;
    MPI_Allreduce (MPI_IN_PLACE, values, (int) n, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
}

static void
min_all (uint64_t *values, size_t n, void *data)
{
    (void) data;
    MPI_Allreduce (MPI_IN_PLACE, values, (int) n, MPI_UINT64_T, MPI_MIN, MPI_COMM_WORLD);
}

/* ---- a counterexample's neighbourhood ---------------------------------------------------- */

/* The @n elements of @type (@size bytes each) each rank gives from @data, concatenated in rank
 * order on every rank, in *@out_n elements. NULL when they would not fit MPI's counts (on every
 * rank alike: a share too long says INT_MAX, so that every rank sees the total too long). */
static void *
gather_any (const void *data, size_t n, MPI_Datatype type, size_t size, size_t *out_n)
{
    int ranks = fsim_i_cli_mpi_size (), len = (int) MIN (n, (size_t) INT_MAX);
    g_autofree int *counts = g_new (int, (size_t) ranks), *displs = g_new (int, (size_t) ranks);
    uint64_t total = 0;

    MPI_Allgather (&len, 1, MPI_INT, counts, 1, MPI_INT, MPI_COMM_WORLD);
    for (int r = 0; r < ranks; r++) {
        displs[r] = (int) MIN (total, (uint64_t) INT_MAX);
        total += (uint64_t) counts[r];
    }
    if (total >= INT_MAX)
        return NULL;
    void *all = g_malloc ((total + 1) * size);
    MPI_Allgatherv (data, len, type, all, counts, displs, type, MPI_COMM_WORLD);
    *out_n = (size_t) total;
    return all;
}

/* What each rank gives, concatenated in rank order on every rank, in *@out_n values. NULL when
 * it would not fit MPI's counts (on every rank alike). */
static uint64_t *
gather_all (const GArray *mine, size_t *out_n)
{
    return gather_any (mine->data, mine->len, MPI_UINT64_T, sizeof (uint64_t), out_n);
}

/* The NUL-ended strings each rank gives in @mine, concatenated in rank order on every rank, as
 * @n strings (transfer full, NULL-ended). NULL when they would not fit MPI's counts or are not
 * @n (on every rank alike). */
static char **
gather_strings (const GString *mine, size_t n)
{
    size_t total = 0;
    g_autofree char *all = gather_any (mine->str, mine->len, MPI_CHAR, 1, &total);

    if (all == NULL)
        return NULL;
    char **v = g_new0 (char *, n + 1);
    const char *p = all, *end = all + total;
    for (size_t i = 0; i < n; i++) {
        const char *nul = p < end ? memchr (p, '\0', (size_t) (end - p)) : NULL;
        if (nul == NULL) {
            g_strfreev (v);
            return NULL;
        }
        v[i] = g_strdup (p);
        p = nul + 1;
    }
    return v;
}

static int
compare_u64 (const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;
    return (x > y) - (x < y);
}

/* Local user @v's friends as global ids, increasing, appended to @out after their count (the
 * slice's lists are relabelled in place, so they keep the global order; sorted again so as
 * not to depend on it: the local numbering puts the ghosts after the own users). */
static void
append_friends (const FsimEngineMpi *e, size_t v, GArray *out)
{
    const FsimFriends *fr = fsim_engine_mpi_population (e)->friends;
    size_t from = fr->offsets[v], n = fr->offsets[v + 1] - from, at = out->len;
    uint64_t count = n;

    g_array_append_val (out, count);
    for (size_t i = 0; i < n; i++) {
        uint64_t g = fsim_engine_mpi_global (e, fr->adj[from + i]);
        g_array_append_val (out, g);
    }
    qsort ((uint64_t *) out->data + at + 1, n, sizeof (uint64_t), compare_u64);
}

/* The users a neighbourhood names, and its friend lists (x's, then each friend's). */
typedef struct {
    uint64_t x;
    uint64_t *lists; /* [count, ids...] of x, then [id, count, ids...] of each friend */
    size_t n_lists;
    uint64_t *users; /* named users, increasing */
    size_t n_users;
} Named;

static gssize
index_of (const Named *n, uint64_t g)
{
    const uint64_t *at = bsearch (&g, n->users, n->n_users, sizeof (uint64_t), compare_u64);
    return at ? at - n->users : -1;
}

/* The friend lists of x (its owner's) and of its friends (their owners'), and the users they
 * name. FALSE when an exchange would not fit MPI's counts. Collective. */
static gboolean
gather_lists (const FsimEngineMpi *e, const FsimPopulationSlice *slice, uint64_t x, Named *n)
{
    g_autoptr (GArray) mine = g_array_new (FALSE, FALSE, sizeof (uint64_t));
    g_autofree uint64_t *xs = NULL;
    size_t n_xs = 0;

    n->x = x;
    if (x >= slice->first && x < slice->first + slice->n_own)
        append_friends (e, (size_t) (x - slice->first), mine);
    if ((xs = gather_all (mine, &n_xs)) == NULL)
        return FALSE;
    g_array_set_size (mine, 0);
    for (size_t i = 1; i < n_xs; i++) /* the friends this rank owns, in increasing id */
        if (xs[i] >= slice->first && xs[i] < slice->first + slice->n_own) {
            g_array_append_val (mine, xs[i]);
            append_friends (e, (size_t) (xs[i] - slice->first), mine);
        }
    g_autofree uint64_t *theirs = NULL;
    size_t n_theirs = 0;
    if ((theirs = gather_all (mine, &n_theirs)) == NULL)
        return FALSE;
    n->n_lists = n_xs + n_theirs;
    n->lists = g_new (uint64_t, n->n_lists + 1);
    memcpy (n->lists, xs, n_xs * sizeof (uint64_t));
    memcpy (n->lists + n_xs, theirs, n_theirs * sizeof (uint64_t));
    /* x, its friends and theirs, each once */
    g_autoptr (GArray) users = g_array_new (FALSE, FALSE, sizeof (uint64_t));
    g_array_append_val (users, x);
    g_array_append_vals (users, xs + 1, n_xs - 1);
    for (size_t i = 0; i < n_theirs; i += 2 + theirs[i + 1])
        g_array_append_vals (users, theirs + i + 2, theirs[i + 1]);
    g_array_sort (users, compare_u64);
    size_t k = 0;
    for (guint i = 0; i < users->len; i++)
        if (k == 0 || g_array_index (users, uint64_t, i) != g_array_index (users, uint64_t, k - 1))
            g_array_index (users, uint64_t, k++) = g_array_index (users, uint64_t, i);
    n->n_users = k;
    n->users = (uint64_t *) g_array_free (g_steal_pointer (&users), FALSE);
    return TRUE;
}

/* The partner use of every user named (their owners'), in their order, and x's settings
 * (its owner's) into @pop. FALSE when an exchange would not fit MPI's counts. Collective. */
static gboolean
gather_rows (const FsimPopulationSlice *slice, const Named *n, FsimPopulation *pop)
{
    size_t pw = slice->partner_words, fw = slice->field_words, nf = slice->n_fields;
    g_autoptr (GArray) mine = g_array_new (FALSE, FALSE, sizeof (uint64_t));
    size_t got = 0;

    for (size_t i = 0; i < n->n_users; i++)
        if (n->users[i] >= slice->first && n->users[i] < slice->first + slice->n_own)
            g_array_append_vals (mine, slice->uses + (n->users[i] - slice->first) * pw, pw);
    g_autofree uint64_t *uses = gather_all (mine, &got);
    if (uses == NULL || got != n->n_users * pw)
        return FALSE;
    memcpy (pop->uses, uses, got * sizeof (FsimWord));
    if (slice->file_ids != NULL) { /* an edge list's: the users' names, gathered likewise */
        g_array_set_size (mine, 0);
        for (size_t i = 0; i < n->n_users; i++)
            if (n->users[i] >= slice->first && n->users[i] < slice->first + slice->n_own)
                g_array_append_val (mine, slice->file_ids[n->users[i] - slice->first]);
        g_autofree uint64_t *ids = gather_all (mine, &got);
        if (ids == NULL || got != n->n_users)
            return FALSE;
        pop->file_ids = g_new (gint64, n->n_users + 1);
        memcpy (pop->file_ids, ids, got * sizeof (gint64));
    }
    if (slice->names != NULL) { /* a snapshot's explicit users' or GraphML ids, likewise */
        g_autoptr (GString) names = g_string_new (NULL);
        for (size_t i = 0; i < n->n_users; i++) {
            if (n->users[i] < slice->first || n->users[i] >= slice->first + slice->n_own)
                continue;
            const char *name = slice->names[n->users[i] - slice->first];
            g_string_append_len (names, name, (gssize) strlen (name) + 1); /* with its NUL */
        }
        pop->user_ids = gather_strings (names, n->n_users);
        if (pop->user_ids == NULL)
            return FALSE;
    }
    /* x's settings: its platform switch, "apps others use" and audiences, one value each */
    g_array_set_size (mine, 0);
    if (n->x >= slice->first && n->x < slice->first + slice->n_own) {
        size_t u = (size_t) (n->x - slice->first);
        uint64_t platform = slice->platform[u];
        g_array_append_val (mine, platform);
        g_array_append_vals (mine, slice->apps_others + u * fw, fw);
        for (size_t f = 0; f < nf; f++) {
            uint64_t a = slice->audience[u * nf + f];
            g_array_append_val (mine, a);
        }
    }
    g_autofree uint64_t *settings = gather_all (mine, &got);
    if (settings == NULL || got != 1 + fw + nf)
        return FALSE;
    size_t at = (size_t) index_of (n, n->x);
    pop->platform[at] = (guint8) settings[0];
    memcpy (pop->apps_others + at * fw, settings + 1, fw * sizeof (FsimWord));
    for (size_t f = 0; f < nf; f++)
        pop->audience[at * nf + f] = (guint8) settings[1 + fw + f];
    return TRUE;
}

/* The friend lists of x and its friends over @n's numbering (increasing global id, so the
 * one process's order); the others' are empty, and no route reads them. */
static FsimFriends *
neighbourhood_friends (const Named *n)
{
    FsimFriends *fr = g_new0 (FsimFriends, 1);
    size_t n_arcs = 0;

    fr->n_users = n->n_users;
    fr->offsets = g_new0 (size_t, n->n_users + 1);
    for (size_t i = 0, first = 1; i < n->n_lists; first = 0) {
        size_t user = first ? (size_t) index_of (n, n->x) : (size_t) index_of (n, n->lists[i++]);
        fr->offsets[user + 1] = n->lists[i];
        n_arcs += n->lists[i];
        i += 1 + n->lists[i];
    }
    for (size_t u = 0; u < n->n_users; u++)
        fr->offsets[u + 1] += fr->offsets[u];
    fr->adj = g_new (uint32_t, n_arcs + 1);
    fr->n_edges = n_arcs / 2; /* not a whole graph: only the lists the routes read */
    for (size_t i = 0, first = 1; i < n->n_lists; first = 0) {
        size_t user = first ? (size_t) index_of (n, n->x) : (size_t) index_of (n, n->lists[i++]);
        size_t count = n->lists[i++];
        for (size_t k = 0; k < count; k++)
            fr->adj[fr->offsets[user] + k] = (uint32_t) index_of (n, n->lists[i + k]);
        i += count;
    }
    return fr;
}

/* Global user @g's name: the kept names of a population built whole, else "u<g>". */
static char *
global_name (const FsimPopulation *names, uint64_t g)
{
    if (names != NULL)
        return fsim_population_user_name (names, (size_t) g);
    return g_strdup_printf ("u%" G_GUINT64_FORMAT, g);
}

/* User @x's 2-hop neighbourhood, gathered from the ranks (docs/scaling.md), as a small
 * population in increasing global id, named by global id: its friend lists, the partner use of
 * everyone in it and x's settings. Collective. */
static gboolean
neighbourhood (const FsimEngineMpi *e, const FsimPopulationSlice *slice,
               const FsimPopulation *names, uint64_t x, FsimCliNeighbourhood *out, GError **error)
{
    Named n = { 0 };
    gboolean ok = gather_lists (e, slice, x, &n);
    size_t nu = n.n_users;
    g_autoptr (FsimPopulation) pop = g_new0 (FsimPopulation, 1);

    *pop = (FsimPopulation){ .n_users = nu,
                             .n_fields = slice->n_fields,
                             .field_words = slice->field_words,
                             .n_partners = slice->n_partners,
                             .partner_words = slice->partner_words,
                             .platform = g_new0 (guint8, nu + 1),
                             .apps_others = g_new0 (FsimWord, nu * slice->field_words + 1),
                             .audience = g_new0 (guint8, nu * slice->n_fields + 1),
                             .uses = g_new0 (FsimWord, nu * slice->partner_words + 1) };
    ok = ok && gather_rows (slice, &n, pop);
    if (ok) {
        pop->friends = neighbourhood_friends (&n);
        /* an edge list's ids or a snapshot's names are theirs (fsim_population_user_name) */
        if (pop->file_ids == NULL && pop->user_ids == NULL) {
            pop->user_ids = g_new0 (char *, nu + 1);
            for (size_t i = 0; i < nu; i++)
                pop->user_ids[i] = global_name (names, n.users[i]);
        }
        out->user = (size_t) index_of (&n, x);
        out->pop = g_steal_pointer (&pop);
    } else {
        g_set_error (error, FSIM_SIM_ERROR, FSIM_SIM_ERROR_ARGUMENT,
                     "the neighbourhood of user %" G_GUINT64_FORMAT
                     " would carry more than MPI's counts can hold: run it as one process",
                     x);
    }
    g_free (n.lists);
    g_free (n.users);
    return ok;
}

static void
neighbourhood_clear (gpointer data)
{
    FsimCliNeighbourhood *n = data;
    g_clear_pointer (&n->pop, fsim_population_free);
}

/* ---- the command's part ------------------------------------------------------------------ */

/* The counts of every expectation over the ranks, then the neighbourhood of each
 * counterexample. */
static FsimExit
check_parts (FsimSim *sim, FsimPopulationSlice *slice, FsimCheck **out_check, GArray **out_shown,
             GError **error)
{
    const FsimScenario *s = sim->scenario;
    g_autoptr (FsimEngineMpi) engine = fsim_engine_mpi_new (s, slice, MPI_COMM_WORLD, 0, error);
    FsimExit status = fsim_i_cli_mpi_agree (engine ? FSIM_EXIT_OK : FSIM_EXIT_INPUT, error);
    if (status != FSIM_EXIT_OK)
        return status;
    const FsimCheckParts parts = { .near = fsim_engine_mpi_near (engine),
                                   .first = slice->first,
                                   .n_own = slice->n_own,
                                   .n_total = slice->n_total,
                                   .sum = sum_all,
                                   .min = min_all };
    g_autoptr (FsimCheck) check =
        fsim_check_run_parts (s, fsim_engine_mpi_population (engine), &parts, error);
    status = fsim_i_cli_mpi_agree (check ? FSIM_EXIT_OK : FSIM_EXIT_INPUT, error);
    if (status != FSIM_EXIT_OK)
        return status;
    g_autoptr (GArray) shown = g_array_new (FALSE, TRUE, sizeof (FsimCliNeighbourhood));
    g_array_set_clear_func (shown, neighbourhood_clear);
    g_array_set_size (shown, check->results->len);
    for (guint i = 0; i < check->results->len; i++) {
        const FsimCheckResult *r = &g_array_index (check->results, FsimCheckResult, i);
        if (r->passed || r->user < 0)
            continue;
        if (!neighbourhood (engine, slice, sim->pop, (uint64_t) r->user,
                            &g_array_index (shown, FsimCliNeighbourhood, i), error))
            return FSIM_EXIT_INTERNAL;
    }
    /* the halo and hops made once for every day checked; the peak after the neighbourhoods */
    fsim_i_cli_mpi_print_stats (fsim_engine_mpi_stats (engine),
                                s->partner_words * sizeof (FsimWord));
    *out_check = g_steal_pointer (&check);
    *out_shown = g_steal_pointer (&shown);
    return FSIM_EXIT_OK;
}

FsimExit
fsim_i_cli_mpi_check (const char *path, const char *const *sets, FsimSim **out_sim,
                      FsimCheck **out_check, GArray **out_shown, GError **error)
{
    const FsimSimOptions options = { .sets = sets };
    g_autoptr (FsimSim) sim = fsim_sim_load (path, &options, error);
    FsimExit status = fsim_i_cli_mpi_agree (sim ? FSIM_EXIT_OK : FSIM_EXIT_INPUT, error);

    if (status != FSIM_EXIT_OK)
        return status;
    /* the same scenario on every rank: the same verdicts, without exchanges */
    if (!sim->scenario->id) {
        g_set_error (error, FSIM_SIM_ERROR, FSIM_SIM_ERROR_ARGUMENT,
                     "%s: a policy file, not a scenario: it has no expectations", path);
        return FSIM_EXIT_INPUT;
    }
    if (sim->scenario->n_expects == 0) { /* nothing to check: no population to build */
        *out_check = g_new0 (FsimCheck, 1);
        (*out_check)->results = g_array_new (FALSE, TRUE, sizeof (FsimCheckResult));
        *out_shown = NULL;
        *out_sim = g_steal_pointer (&sim);
        return FSIM_EXIT_OK;
    }
    g_autoptr (FsimPopulationSlice) slice = fsim_i_cli_mpi_build_slice (sim, TRUE, error);
    status = fsim_i_cli_mpi_agree (slice ? FSIM_EXIT_OK : FSIM_EXIT_INPUT, error);
    if (status != FSIM_EXIT_OK)
        return status;
    status = check_parts (sim, slice, out_check, out_shown, error);
    if (status == FSIM_EXIT_OK)
        *out_sim = g_steal_pointer (&sim);
    return status;
}
