/* SPDX-License-Identifier: MIT */
/* test-partition.c: generators and the edge-list import split over ranks (threads here) give
 * the one-process graph. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "bits.h"
#include "comm-threads.h"
#include "friends.h"
#include "import.h"
#include "population-slice.h"
#include "population.h"
#include "scenario.h"
#include "test-util.h"

/* ---- helpers ---------------------------------------------------------------------------- */

typedef struct {
    const FsimGenParams *p;
    const size_t *bounds; /* size + 1 */
    FsimFriends **rows;   /* per rank */
    GError **errors;      /* per rank */
} Split;

static void
generate_rank (const FsimComm *comm, void *data)
{
    Split *s = data;
    size_t first = s->bounds[comm->rank], n = s->bounds[comm->rank + 1] - first;

    s->rows[comm->rank] = fsim_friends_generate_part (s->p, comm, first, n, &s->errors[comm->rank]);
}

/* Generates @p over @size ranks owning @bounds and checks that every row is the one process's. */
static void
check_split (const FsimGenParams *p, const FsimFriends *whole, int size, const size_t *bounds)
{
    g_autofree FsimFriends **rows = g_new0 (FsimFriends *, (size_t) size);
    g_autofree GError **errors = g_new0 (GError *, (size_t) size);
    Split s = { p, bounds, rows, errors };

    fsim_test_comm_run (size, generate_rank, &s);
    for (int r = 0; r < size; r++) {
        g_assert_no_error (errors[r]);
        g_assert_nonnull (rows[r]);
        g_assert_cmpuint (rows[r]->n_users, ==, bounds[r + 1] - bounds[r]);
        for (size_t i = 0; i < rows[r]->n_users; i++) {
            size_t u = bounds[r] + i;
            size_t len = rows[r]->offsets[i + 1] - rows[r]->offsets[i];

            g_assert_cmpuint (len, ==, whole->offsets[u + 1] - whole->offsets[u]);
            g_assert_cmpmem (rows[r]->adj + rows[r]->offsets[i], len * sizeof (uint32_t),
                             whole->adj + whole->offsets[u], len * sizeof (uint32_t));
        }
        fsim_friends_free (rows[r]);
    }
}

/* Every even split of @p's users over 1 .. 5 ranks. */
static void
check_even_splits (const FsimGenParams *p)
{
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimFriends) whole = fsim_friends_generate_params (p, &error);

    g_assert_no_error (error);
    for (int size = 1; size <= 5; size++) {
        g_autofree size_t *bounds = g_new (size_t, (size_t) size + 1);
        for (int r = 0; r <= size; r++)
            bounds[r] = (size_t) ((guint64) p->n_users * (guint64) r / (guint64) size);
        check_split (p, whole, size, bounds);
    }
}

static FsimGenParams
fblike (size_t n_users, double mean_degree, uint64_t seed)
{
    FsimGenParams p = FSIM_GEN_PARAMS_INIT;

    p.model = "facebook_like";
    p.n_users = n_users;
    p.mean_degree = mean_degree;
    p.seed = seed;
    p.n_threads = 1;
    return p;
}

/* ---- facebook_like ---------------------------------------------------------------------- */

/* 40,000 users: blocks of 16,384 users and chunks of communities cut by the ranks. */
static void
test_partition_fblike_blocks (void)
{
    FsimGenParams p = fblike (40000, 10, 7);

    check_even_splits (&p);
    p.n_threads = 3; /* threads inside each rank change nothing either */
    check_even_splits (&p);
}

/* A cap low enough that users are saturated: the transpose drops arcs across ranks. */
static void
test_partition_fblike_cap (void)
{
    FsimGenParams p = fblike (35000, 12, 11);

    p.max_degree = 16;
    check_even_splits (&p);
    p.spread = 2.5;
    p.clustering = 0.9;
    p.community_size = 400;
    check_even_splits (&p);
}

/* Uneven ranges over 40,000 users: empty ranks, one user, boundaries on and next to the starts
 * of blocks of 16,384 users. */
static void
check_uneven_splits (const FsimGenParams *p)
{
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimFriends) whole = fsim_friends_generate_params (p, &error);
    const size_t cuts[][6] = {
        { 0, 0, 16384, 16385, 40000, 40000 },
        { 0, 1, 2, 32768, 32769, 40000 },
        { 0, 16383, 16384, 16384, 39999, 40000 },
    };

    g_assert_no_error (error);
    g_assert_cmpuint (p->n_users, ==, 40000);
    for (size_t i = 0; i < G_N_ELEMENTS (cuts); i++)
        check_split (p, whole, 5, cuts[i]);
}

static void
test_partition_fblike_uneven (void)
{
    FsimGenParams p = fblike (40000, 12, 3);

    check_uneven_splits (&p);
}

/* Small and degenerate populations: fewer users than ranks, no friendships, no clustering. */
static void
test_partition_fblike_small (void)
{
    FsimGenParams p = fblike (3, 1, 5);

    check_even_splits (&p);
    p = fblike (300, 20, 5);
    check_even_splits (&p);
    p.clustering = 0;
    check_even_splits (&p);
    p.clustering = 1;
    p.spread = 0;
    check_even_splits (&p);
    p = fblike (1000, 0, 5);
    check_even_splits (&p);
    p = fblike (1, 0, 5);
    check_even_splits (&p);
}

/* ---- erdos_renyi --------------------------------------------------------------------------- */

static FsimGenParams
gnm (size_t n_users, double mean_degree, uint64_t seed)
{
    FsimGenParams p = FSIM_GEN_PARAMS_INIT;

    p.model = "erdos_renyi";
    p.n_users = n_users;
    p.mean_degree = mean_degree;
    p.seed = seed;
    return p;
}

/* 40,000 users: blocks of 16,384 rows cut by the ranks, pairs sent to higher ranks. */
static void
test_partition_gnm_blocks (void)
{
    FsimGenParams p = gnm (40000, 10, 7);

    check_even_splits (&p);
    p.seed = 8;
    p.mean_degree = 3.5;
    check_even_splits (&p);
}

static void
test_partition_gnm_uneven (void)
{
    FsimGenParams p = gnm (40000, 12, 3);

    check_uneven_splits (&p);
}

/* Dense and degenerate graphs: every pair drawn then some dropped, the complete graph, fewer
 * users than ranks, no friendships. */
static void
test_partition_gnm_small (void)
{
    const struct {
        size_t n;
        double degree;
    } cases[] = { { 300, 250 }, { 50, 49 }, { 3, 1 }, { 2, 1 }, { 1000, 0 }, { 1, 0 }, { 0, 0 } };

    for (size_t i = 0; i < G_N_ELEMENTS (cases); i++) {
        FsimGenParams p = gnm (cases[i].n, cases[i].degree, 5);
        check_even_splits (&p);
    }
}

/* ---- watts_strogatz ------------------------------------------------------------------------ */

static FsimGenParams
ws (size_t n_users, double mean_degree, double rewire, uint64_t seed)
{
    FsimGenParams p = FSIM_GEN_PARAMS_INIT;

    p.model = "watts_strogatz";
    p.n_users = n_users;
    p.mean_degree = mean_degree;
    p.rewire = rewire;
    p.seed = seed;
    return p;
}

/* Moves sent across ranks both ways, pairs drawn again (about (nei p)^2 / 2 per graph: 12 at
 * nei 5, p 1), the ring across n - 1 .. 0 and across the ranks' bounds. */
static void
test_partition_ws_splits (void)
{
    FsimGenParams p = ws (40000, 10, 0.1, 7);

    check_even_splits (&p);
    check_uneven_splits (&p);
    p = ws (40000, 10, 1.0, 8);
    check_even_splits (&p);
    p = ws (3000, 40, 0.5, 9);
    check_even_splits (&p);
}

/* Dense and degenerate rings: a complete graph, fewer users than ranks, no friendships. */
static void
test_partition_ws_small (void)
{
    const struct {
        size_t n;
        double degree, rewire;
    } cases[] = { { 7, 6, 1 }, { 9, 8, 0.3 }, { 30, 6, 0.5 }, { 12, 4, 1 },
                  { 3, 2, 1 }, { 2, 0, 1 },   { 1, 0, 1 },    { 0, 0, 0.5 } };

    for (size_t i = 0; i < G_N_ELEMENTS (cases); i++) {
        for (uint64_t seed = 1; seed <= 20; seed++) {
            FsimGenParams p = ws (cases[i].n, cases[i].degree, cases[i].rewire, seed);
            check_even_splits (&p);
        }
    }
}

/* ---- barabasi_albert ------------------------------------------------------------------------ */

/* Every rank replays the whole process and keeps its rows: hubs on rank 0, users of the start
 * (k <= m) and uneven splits. */
static void
test_partition_ba (void)
{
    FsimGenParams p = FSIM_GEN_PARAMS_INIT;
    const struct {
        size_t n;
        double degree;
    } cases[] = { { 40000, 10 }, { 3000, 40 }, { 7, 6 }, { 3, 2 }, { 2, 0 }, { 1, 0 }, { 0, 0 } };

    p.model = "barabasi_albert";
    for (size_t i = 0; i < G_N_ELEMENTS (cases); i++) {
        p.n_users = cases[i].n;
        p.mean_degree = cases[i].degree;
        p.seed = 11 + i;
        check_even_splits (&p);
        if (cases[i].n == 40000)
            check_uneven_splits (&p);
    }
}

/* An unknown model is refused on every rank, with no rank left waiting. */
static void
test_partition_refused (void)
{
    FsimGenParams p = fblike (100, 4, 1);
    FsimFriends *rows[2] = { NULL, NULL };
    GError *errors[2] = { NULL, NULL };
    const size_t bounds[] = { 0, 50, 100 };
    Split s = { &p, bounds, rows, errors };

    p.model = "small_world";
    fsim_test_comm_run (2, generate_rank, &s);
    for (int r = 0; r < 2; r++) {
        g_assert_null (rows[r]);
        g_assert_error (errors[r], FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_INVALID);
        g_assert_nonnull (strstr (errors[r]->message, "small_world"));
        g_clear_error (&errors[r]);
    }
    g_assert_true (fsim_friends_generate_part_supported ("facebook_like"));
    g_assert_true (fsim_friends_generate_part_supported ("erdos_renyi"));
    g_assert_true (fsim_friends_generate_part_supported ("watts_strogatz"));
    g_assert_true (fsim_friends_generate_part_supported ("barabasi_albert"));
    g_assert_false (fsim_friends_generate_part_supported ("small_world"));
}

/* ---- the edge-list import by byte ranges ------------------------------------------------ */

typedef struct {
    const char *path; /* the file holding text, and the name in messages */
    const char *text;
    size_t len;
    gboolean from_file; /* each rank reads its bytes of the file, or parses its part of text */
    FsimImportedPart **parts; /* per rank */
    GError **errors;          /* per rank */
} ImportSplit;

static void
import_rank (const FsimComm *comm, void *data)
{
    ImportSplit *s = data;

    s->parts[comm->rank] = s->from_file
                               ? fsim_import_edge_list_part (s->path, comm, &s->errors[comm->rank])
                               : fsim_import_edge_list_part_data (s->path, s->text, s->len, comm,
                                                                  &s->errors[comm->rank]);
}

static char *import_dir; /* where check_import() writes its files */

static void
check_import_once (const char *text, size_t len, int size, gboolean from_file)
{
    g_autofree char *path = g_build_filename (import_dir, "friends.txt", NULL);
    g_assert_true (g_file_set_contents (path, text, (gssize) len, NULL));
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimImported) whole = fsim_import_edge_list_data (path, text, len, &error);
    g_autofree FsimImportedPart **parts = g_new0 (FsimImportedPart *, (size_t) size);
    g_autofree GError **errors = g_new0 (GError *, (size_t) size);
    ImportSplit s = { path, text, len, from_file, parts, errors };

    fsim_test_comm_run (size, import_rank, &s);
    for (int r = 0; r < size; r++) {
        if (whole == NULL) {
            g_assert_null (parts[r]);
            g_assert_error (errors[r], error->domain, error->code);
            g_assert_cmpstr (errors[r]->message, ==, error->message);
            g_clear_error (&errors[r]);
            continue;
        }
        const FsimFriends *w = whole->friends;
        size_t first = (size_t) ((guint64) w->n_users * (guint64) r / (guint64) size);
        size_t last = (size_t) ((guint64) w->n_users * (guint64) (r + 1) / (guint64) size);

        g_assert_no_error (errors[r]);
        g_assert_nonnull (parts[r]);
        g_assert_cmpuint (parts[r]->n_users, ==, w->n_users);
        g_assert_cmpuint (parts[r]->n_edges, ==, w->n_edges);
        g_assert_cmpuint (parts[r]->first, ==, first);
        g_assert_cmpuint (parts[r]->rows->n_users, ==, last - first);
        for (size_t i = 0; i < last - first; i++) {
            const FsimFriends *rows = parts[r]->rows;
            size_t len_i = rows->offsets[i + 1] - rows->offsets[i];

            g_assert_cmpuint (len_i, ==, fsim_friends_degree (w, first + i));
            g_assert_cmpmem (rows->adj + rows->offsets[i], len_i * sizeof (uint32_t),
                             w->adj + w->offsets[first + i], len_i * sizeof (uint32_t));
        }
        /* the users' names: their ids in the file, as one process has them */
        if (last > first)
            g_assert_cmpmem (parts[r]->ids, (last - first) * sizeof (int64_t), whole->ids + first,
                             (last - first) * sizeof (int64_t));
        fsim_imported_part_free (parts[r]);
    }
}

/* Imports @len bytes of @text over @size ranks, from the text and from a file holding it (each
 * rank reading only its bytes): every rank's rows and ids are the one process's, or every rank
 * has the one process's error (domain, code and message). */
static void
check_import (const char *text, size_t len, int size)
{
    for (int from_file = 0; from_file < 2; from_file++)
        check_import_once (text, len, size, from_file);
}

static void
check_import_splits (const char *text)
{
    for (int size = 1; size <= 5; size++)
        check_import (text, strlen (text), size);
    check_import (text, strlen (text), 16);
}

/* An edge list of @n_lines lines drawn from @seed: ids small, large and negative, repeats,
 * self-loops, comments ('#', '%', after the ids), blank lines, tabs, CRLF. */
static char *
random_edge_list (guint32 seed, size_t n_lines, gboolean bom, gboolean final_newline)
{
    g_autoptr (GRand) rng = g_rand_new_with_seed (seed);
    GString *t = g_string_new (bom ? "\xEF\xBB\xBF" : "");

    for (size_t k = 0; k < n_lines; k++) {
        gint64 id[2];

        for (int j = 0; j < 2; j++) {
            switch (g_rand_int_range (rng, 0, 4)) {
            case 0:
                id[j] = g_rand_int_range (rng, 0, 50); /* many repeats */
                break;
            case 1:
                id[j] = g_rand_int_range (rng, 0, 2000);
                break;
            case 2:
                id[j] = -(gint64) g_rand_int_range (rng, 1, 300);
                break;
            default:
                id[j] = (gint64) g_rand_int (rng) * 4096 + 7; /* hashed, not dense */
            }
        }
        switch (g_rand_int_range (rng, 0, 12)) {
        case 0:
            g_string_append (t, "# a comment line\n");
            break;
        case 1:
            g_string_append (t, g_rand_boolean (rng) ? "\n" : "  \t\r\n");
            break;
        case 2:
            g_string_append_printf (t, "%% %" G_GINT64_FORMAT "\n", id[0]);
            break;
        case 3:
            g_string_append_printf (t, "%" G_GINT64_FORMAT "\t%" G_GINT64_FORMAT " # why\r\n",
                                    id[0], id[0]); /* a self-loop */
            break;
        default:
            g_string_append_printf (t, " %" G_GINT64_FORMAT "  %" G_GINT64_FORMAT "\n", id[0],
                                    id[1]);
        }
    }
    if (!final_newline && t->len > 0 && t->str[t->len - 1] == '\n')
        g_string_truncate (t, t->len - 1);
    return g_string_free (t, FALSE);
}

/* Random files over 1 .. 5 and 16 ranks: ranks cutting lines, ids met first on any rank. */
static void
test_partition_import_random (void)
{
    for (guint32 seed = 1; seed <= 6; seed++) {
        g_autofree char *text = random_edge_list (seed, 3000, seed % 3 == 0, seed % 2 == 0);
        check_import_splits (text);
    }
}

/* Files smaller than the ranks: empty, blank, a byte order mark alone, one line without a
 * newline, comments only. */
static void
test_partition_import_small (void)
{
    const char *const texts[] = { "",
                                  "\n",
                                  "\xEF\xBB\xBF",
                                  ("\xEF\xBB\xBF"
                                   "5 6"),
                                  "1 2",
                                  "1 2\n",
                                  "7 7\n",
                                  "# only\n% comments",
                                  "\n\n\n3 4",
                                  "3 4\n4 3\n3 4" };

    for (size_t i = 0; i < G_N_ELEMENTS (texts); i++)
        check_import_splits (texts[i]);
}

/* A bad line is reported by every rank as one process reports it: the file's line number and
 * column, wherever the ranks cut the file; with two bad lines, the first. */
static void
test_partition_import_errors (void)
{
    g_autofree char *good = random_edge_list (11, 400, FALSE, TRUE);
    const char *const bad[] = { "1 x\n", "1\n", "1 2 3\n", "99999999999999999999 1\n",
                                "1 2\x01\n" };
    size_t n_lines = 0;

    for (const char *c = good; *c; c++)
        n_lines += *c == '\n';
    for (size_t b = 0; b < G_N_ELEMENTS (bad); b++) {
        for (size_t at = 0; at <= n_lines; at += n_lines / 7) {
            /* the bad line after @at good lines, and another bad one near the end */
            const char *cut = good;
            for (size_t k = 0; k < at; k++)
                cut = strchr (cut, '\n') + 1;
            g_autofree char *text =
                g_strdup_printf ("%.*s%s%s%s", (int) (cut - good), good, bad[b], cut, "2 y\n");
            check_import_splits (text);
        }
    }
}

/* A NUL byte in a comment is refused at its line and column by every rank as by one process
 * (third pass, 6 December 2026). */
static void
test_partition_import_nul_comment (void)
{
    static const char text[] = "1 2\n2 3\n# c\000mment\n3 4 # \000\n4 5\n";
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimImported) whole =
        fsim_import_edge_list_data ("t.txt", text, sizeof text - 1, &error);

    g_assert_null (whole);
    g_assert_cmpstr (error->message, ==,
                     "t.txt:3:4: a NUL byte in a comment, which an edge list cannot contain");
    for (int size = 1; size <= 4; size++)
        check_import (text, sizeof text - 1, size);
}

/* ---- whole populations by parts ---------------------------------------------------------- */

typedef struct {
    const FsimScenario *s;
    FsimPopulationSlice **slices; /* per rank */
    GError **errors;              /* per rank */
} Slices;

static void
build_rank (const FsimComm *comm, void *data)
{
    Slices *sl = data;
    size_t n = sl->s->population.gen_users;
    size_t first = fsim_population_slice_first (n, (size_t) comm->size, (size_t) comm->rank);
    size_t last = fsim_population_slice_first (n, (size_t) comm->size, (size_t) comm->rank + 1);

    sl->slices[comm->rank] =
        fsim_population_slice_build (sl->s, comm, first, last - first, &sl->errors[comm->rank]);
}

static void
import_slice_rank (const FsimComm *comm, void *data)
{
    Slices *sl = data;

    sl->slices[comm->rank] = fsim_population_slice_import (sl->s, comm, &sl->errors[comm->rank]);
}

/* Every rank's part of @s's population, built by @build_fn over 1 .. 4 ranks, has the whole
 * population's users, friend lists, settings and partner use. */
static void
check_slices (const FsimScenario *s, void (*build_fn) (const FsimComm *, void *))
{
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimPopulation) whole = fsim_population_build (s, &error);

    g_assert_no_error (error);
    for (int size = 1; size <= 4; size++) {
        g_autofree FsimPopulationSlice **slices = g_new0 (FsimPopulationSlice *, (size_t) size);
        g_autofree GError **errors = g_new0 (GError *, (size_t) size);
        Slices sl = { s, slices, errors };
        fsim_test_comm_run (size, build_fn, &sl);
        for (int r = 0; r < size; r++) {
            g_autoptr (FsimPopulationSlice) got = slices[r];
            g_assert_no_error (errors[r]);
            g_autoptr (FsimPopulationSlice) want =
                fsim_population_slice_new (whole, got->first, got->n_own, NULL);
            fsim_test_assert_same_slice (got, want);
        }
    }
}

/* The users of partner @p in @pop. */
static size_t
count_users (const FsimPopulation *pop, size_t p)
{
    size_t n = 0;

    for (size_t u = 0; u < pop->n_users; u++)
        n += fsim_bits_get (pop->uses + u * pop->partner_words, p);
    return n;
}

/*
 * A population built by parts (fsim_population_slice_build) has the whole population's users,
 * friend lists, settings and partner use, for 1 .. 4 ranks. With clustered adoption, a partner's
 * users are whole communities visited in an order drawn for it, and the last one visited gives
 * only its first members: a rank marks only its users of them, and must count those before it.
 * erdos_renyi has no communities: the ranks grow friendship clusters together, one
 * breadth-first level at a time, as one process grows them over the whole graph.
 */
static void
test_partition_population_clustered (void)
{
    g_autofree char *path = fsim_test_source_path ("scenarios", "device-partners-2018.json", NULL);
    const char *const sets[] = { "population.users=40000", "population.adoption_model=clustered",
                                 NULL };
    g_autoptr (FsimScenario) s = fsim_test_load (path, sets);

    g_assert_true (fsim_population_slice_can_build (s));
    check_slices (s, build_rank);
    /* sparse (mean degree 3: clusters of 20, many cut short) and denser (clusters of 30) */
    const char *const er[] = { "population.users=4000", "population.adoption_model=clustered",
                               "population.generator=erdos_renyi", "population.mean_degree=3",
                               NULL };
    const char *const er30[] = { "population.users=3000", "population.adoption_model=clustered",
                                 "population.generator=erdos_renyi", "population.mean_degree=30",
                                 NULL };
    g_autoptr (FsimScenario) e = fsim_test_load (path, er);
    g_autoptr (FsimScenario) e30 = fsim_test_load (path, er30);
    g_assert_true (fsim_population_slice_can_build (e));
    check_slices (e, build_rank);
    check_slices (e30, build_rank);
}

/* Clustered adoption of an imported edge list: friendship clusters grown over the ranks. The
 * file is random (ids met first on any rank, repeats, self-loops); quiz is used by 37 % of the
 * users, so the last cluster visited is cut short. */
static void
test_partition_import_clustered (void)
{
    g_autofree char *path = fsim_test_data_path ("scale", "import-edges.json", NULL);
    g_autofree char *file = g_build_filename (import_dir, "clustered.txt", NULL);
    g_autofree char *text = random_edge_list (17, 3000, FALSE, TRUE);
    g_autofree char *set_file = g_strdup_printf ("population.import.file=%s", file);
    const char *const sets[] = { set_file, "population.adoption_model=clustered",
                                 "population.adoption.quiz=0.37", NULL };

    g_assert_true (g_file_set_contents (file, text, -1, NULL));
    g_autoptr (FsimScenario) s = fsim_test_load (path, sets);
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimPopulation) whole = fsim_population_build (s, &error);
    g_assert_no_error (error);
    ssize_t quiz = fsim_scenario_find_partner (s, "quiz");
    g_assert_cmpint (quiz, >=, 0);
    g_assert_cmpuint (count_users (whole, (size_t) quiz), ==,
                      (size_t) llround (0.37 * (double) whole->n_users));
    g_assert_true (fsim_population_slice_can_import (s));
    check_slices (s, import_slice_rank);
    g_unlink (file);
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    fsim_graph_init ();
    g_test_add_func ("/partition/fblike/blocks", test_partition_fblike_blocks);
    g_test_add_func ("/partition/fblike/cap", test_partition_fblike_cap);
    g_test_add_func ("/partition/fblike/uneven", test_partition_fblike_uneven);
    g_test_add_func ("/partition/fblike/small", test_partition_fblike_small);
    g_test_add_func ("/partition/erdos-renyi/blocks", test_partition_gnm_blocks);
    g_test_add_func ("/partition/erdos-renyi/uneven", test_partition_gnm_uneven);
    g_test_add_func ("/partition/erdos-renyi/small", test_partition_gnm_small);
    g_test_add_func ("/partition/watts-strogatz/splits", test_partition_ws_splits);
    g_test_add_func ("/partition/watts-strogatz/small", test_partition_ws_small);
    g_test_add_func ("/partition/barabasi-albert", test_partition_ba);
    g_test_add_func ("/partition/refused", test_partition_refused);
    g_test_add_func ("/partition/import/random", test_partition_import_random);
    g_test_add_func ("/partition/import/small", test_partition_import_small);
    g_test_add_func ("/partition/import/errors", test_partition_import_errors);
    g_test_add_func ("/partition/import/nul-comment", test_partition_import_nul_comment);
    g_test_add_func ("/partition/population/clustered", test_partition_population_clustered);
    g_test_add_func ("/partition/import/clustered", test_partition_import_clustered);
    import_dir = g_dir_make_tmp ("flowsim-partition-XXXXXX", NULL);
    g_assert_nonnull (import_dir);
    int status = g_test_run ();
    g_autofree char *file = g_build_filename (import_dir, "friends.txt", NULL);
    g_remove (file);
    g_rmdir (import_dir);
    g_free (import_dir);
    return status;
}
