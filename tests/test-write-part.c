/* SPDX-License-Identifier: MIT */
/* test-write-part.c: a snapshot and an export written from the ranks' parts of a population
 * (threads here; population-snapshot-part.c, population-export.c) are the bytes one process
 * writes from the whole, for any number of ranks and any split; a failing write stops all. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "comm-threads.h"
#include "population-report.h"
#include "population-slice.h"
#include "population.h"
#include "run-util.h"
#include "test-util.h"

static char *scratch;

typedef struct {
    const FsimScenario *s;
    FsimPopulationSlice **slices; /* per rank */
    GString *file;                /* rank 0's snapshot */
    const char *dir;              /* the export's folder, or NULL: the snapshot */
    FILE *stream;                 /* with @dir NULL: rank 0 saves here instead of @file */
    GError **errors;              /* per rank */
} Write;

static void
write_rank (const FsimComm *comm, void *data)
{
    Write *w = data;
    const FsimPopulationSlice *slice = w->slices[comm->rank];
    GError **error = &w->errors[comm->rank];

    if (w->dir != NULL)
        fsim_population_export_part (w->s, slice, comm, w->dir, error);
    else if (w->stream != NULL)
        fsim_population_snapshot_save_part (w->s, slice, comm, comm->rank ? NULL : w->stream,
                                            error);
    else
        fsim_population_snapshot_write_part (w->s, slice, comm, comm->rank ? NULL : w->file, error);
}

static FsimPopulationSlice **
cut (const FsimPopulation *pop, int size, const size_t *bounds)
{
    FsimPopulationSlice **slices = g_new0 (FsimPopulationSlice *, (size_t) size);

    for (int r = 0; r < size; r++) {
        g_autoptr (GError) error = NULL;
        slices[r] = fsim_population_slice_new (pop, bounds[r], bounds[r + 1] - bounds[r], &error);
        g_assert_no_error (error);
    }
    return slices;
}

static void
free_slices (FsimPopulationSlice **slices, int size)
{
    for (int r = 0; r < size; r++)
        fsim_population_slice_free (slices[r]);
    g_free (slices);
}

static char *
read_file (const char *dir, const char *name)
{
    g_autofree char *path = g_build_filename (dir, name, NULL);
    char *text = NULL;

    g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
    return text;
}

/* The snapshot and the export written from @slices (@size ranks) are @pop's, byte for byte. */
static void
check_slices (const FsimScenario *s, const FsimPopulation *pop, FsimPopulationSlice **slices,
              int size)
{
    static size_t n_dirs;
    g_autoptr (GString) want = g_string_new (NULL), got = g_string_new (NULL);
    g_autofree GError **errors = g_new0 (GError *, (size_t) size);
    g_autoptr (GError) error = NULL;
    g_autofree char *one = g_strdup_printf ("%s/one-%zu", scratch, n_dirs);
    g_autofree char *parts = g_strdup_printf ("%s/parts-%zu", scratch, n_dirs++);

    g_assert_true (fsim_population_snapshot_write (s, pop, want, &error));
    Write w = { s, slices, got, NULL, NULL, errors };
    fsim_test_comm_run (size, write_rank, &w);
    for (int r = 0; r < size; r++)
        g_assert_no_error (errors[r]);
    g_assert_cmpuint (got->len, ==, want->len);
    g_assert_true (memcmp (got->str, want->str, want->len) == 0);

    g_assert_true (fsim_population_export (s, pop, one, &error));
    w.dir = parts;
    fsim_test_comm_run (size, write_rank, &w);
    for (int r = 0; r < size; r++)
        g_assert_no_error (errors[r]);
    const char *names[] = { "friendships.txt", "users.tsv" };
    for (size_t i = 0; i < G_N_ELEMENTS (names); i++) {
        g_autofree char *a = read_file (one, names[i]), *b = read_file (parts, names[i]);
        g_assert_cmpstr (b, ==, a);
    }
}

/* Every even split over 1 .. 4 ranks and uneven ones (empty ranks, one user on a rank). */
static void
check_splits (const FsimScenario *s, const FsimPopulation *pop)
{
    size_t n = pop->n_users;
    const size_t uneven[][5] = {
        { 0, 0, n / 3, n, n },
        { 0, MIN (1, n), MIN (2, n), n - n / 10, n },
    };

    for (int size = 1; size <= 4; size++) {
        g_autofree size_t *bounds = g_new (size_t, (size_t) size + 1);
        for (int r = 0; r <= size; r++)
            bounds[r] = fsim_population_slice_first (n, (size_t) size, (size_t) r);
        FsimPopulationSlice **slices = cut (pop, size, bounds);
        check_slices (s, pop, slices, size);
        free_slices (slices, size);
    }
    for (size_t k = 0; k < G_N_ELEMENTS (uneven); k++) {
        FsimPopulationSlice **slices = cut (pop, 4, uneven[k]);
        check_slices (s, pop, slices, 4);
        free_slices (slices, 4);
    }
}

static FsimPopulation *
build (const char *path, const char *const *sets, FsimScenario **out_s)
{
    g_autoptr (GError) error = NULL;
    *out_s = fsim_test_load (path, sets);
    FsimPopulation *pop = fsim_population_build (*out_s, &error);
    g_assert_no_error (error);
    return pop;
}

/*
 * facebook_like (communities) over several checksum chunks, each chunk boundary inside a
 * section and the ranks' boundaries between; explicit users (their ids), GraphML (node ids),
 * an edge list (file ids), erdos_renyi with clustered adoption, 130 partners.
 */
static void
test_write_part_whole (void)
{
    g_autofree char *dp = fsim_test_source_path ("scenarios", "device-partners-2018.json", NULL);
    g_autofree char *tour = fsim_test_source_path ("scenarios", "tour.json", NULL);
    g_autofree char *graphml = fsim_test_data_path ("scale", "import-graphml.json", NULL);
    g_autofree char *edges = fsim_test_data_path ("scale", "import-edges.json", NULL);
    g_autofree char *many = fsim_test_data_path ("engine", "many-partners.json", NULL);
    const struct {
        const char *path;
        const char *sets[5];
    } cases[] = {
        { dp, { "population.users=70000", "population.mean_degree=4", NULL } },
        { dp,
          { "population.generator=erdos_renyi", "population.users=3000",
            "population.adoption_model=clustered", NULL } },
        { tour, { NULL } },
        { graphml, { NULL } },
        { edges, { NULL } },
        /* 130 partners: three words per partner set, the ghosts' rows found among many */
        { many,
          { "population.generator=erdos_renyi", "population.users=3000",
            "population.mean_degree=10", "population.adoption={\"*\": 0.05}", NULL } },
    };

    for (size_t i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autoptr (FsimScenario) s = NULL;
        g_autoptr (FsimPopulation) pop = build (cases[i].path, cases[i].sets, &s);
        check_splits (s, pop);
    }
}

typedef struct {
    const FsimScenario *s;
    FsimPopulationSlice **slices;
    GError **errors;
} Build;

static void
build_rank (const FsimComm *comm, void *data)
{
    Build *b = data;
    size_t n = b->s->population.gen_users;
    size_t first = fsim_population_slice_first (n, (size_t) comm->size, (size_t) comm->rank);
    size_t last = fsim_population_slice_first (n, (size_t) comm->size, (size_t) comm->rank + 1);

    if (fsim_population_slice_can_load (b->s))
        b->slices[comm->rank] = fsim_population_slice_load (b->s, comm, 1, &b->errors[comm->rank]);
    else
        b->slices[comm->rank] =
            fsim_population_slice_build (b->s, comm, first, last - first, &b->errors[comm->rank]);
}

/* Slices as the ranks build them (generated by parts, a snapshot read by parts: its text, its
 * communities and names come from the file), written back. */
static void
test_write_part_built (void)
{
    g_autofree char *dp = fsim_test_source_path ("scenarios", "device-partners-2018.json", NULL);
    g_autofree char *tour = fsim_test_source_path ("scenarios", "tour.json", NULL);
    const char *const fb[] = { "population.users=9000", "population.mean_degree=30", NULL };
    g_autoptr (FsimScenario) s = NULL, ts = NULL;
    g_autoptr (FsimPopulation) pop = build (dp, fb, &s);
    g_autoptr (FsimPopulation) tpop = build (tour, NULL, &ts);
    g_autoptr (GString) file = g_string_new (NULL), tfile = g_string_new (NULL);
    g_autoptr (GError) error = NULL;

    g_assert_true (fsim_population_snapshot_write (s, pop, file, &error));
    g_assert_true (fsim_population_snapshot_write (ts, tpop, tfile, &error));
    g_autofree char *snap = fsim_test_write (scratch, "fb.fsp", file->str, (gssize) file->len);
    g_autofree char *tsnap = fsim_test_write (scratch, "tour.fsp", tfile->str, (gssize) tfile->len);
    g_autofree char *use = g_strdup_printf ("population.snapshot=%s", snap);
    g_autofree char *tuse = g_strdup_printf ("population.snapshot=%s", tsnap);
    const char *const fb_snap[] = { "population.users=9000", "population.mean_degree=30", use,
                                    NULL };
    const char *const tour_snap[] = { tuse, NULL };
    const struct {
        const char *path;
        const char *const *sets;
    } cases[] = { { dp, fb }, { dp, fb_snap }, { tour, tour_snap } };

    for (size_t i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autoptr (FsimScenario) sc = NULL;
        g_autoptr (FsimPopulation) whole = build (cases[i].path, cases[i].sets, &sc);
        for (int size = 2; size <= 3; size++) {
            FsimPopulationSlice **slices = g_new0 (FsimPopulationSlice *, (size_t) size);
            g_autofree GError **errors = g_new0 (GError *, (size_t) size);
            Build b = { sc, slices, errors };
            fsim_test_comm_run (size, build_rank, &b);
            for (int r = 0; r < size; r++)
                g_assert_no_error (errors[r]);
            check_slices (sc, whole, slices, size);
            free_slices (slices, size);
        }
    }
}

/* A write that fails on rank 0 (a full device; a folder that is a file) stops every rank: rank
 * 0 has the one process's error, the others say another rank failed. */
static void
test_write_part_failing (void)
{
    g_autofree char *dp = fsim_test_source_path ("scenarios", "device-partners-2018.json", NULL);
    const char *const sets[] = { "population.users=20000", NULL };
    g_autoptr (FsimScenario) s = NULL;
    g_autoptr (FsimPopulation) pop = build (dp, sets, &s);
    g_autofree char *file = fsim_test_write (scratch, "a-file", "x", 1);
    FILE *full = fopen ("/dev/full", "w");

    if (full == NULL) {
        g_test_skip ("no /dev/full");
        return;
    }
    for (int size = 1; size <= 3; size++) {
        g_autofree size_t *bounds = g_new (size_t, (size_t) size + 1);
        for (int r = 0; r <= size; r++)
            bounds[r] = fsim_population_slice_first (pop->n_users, (size_t) size, (size_t) r);
        FsimPopulationSlice **slices = cut (pop, size, bounds);
        g_autofree GError **errors = g_new0 (GError *, (size_t) size);
        Write w = { s, slices, NULL, NULL, full, errors };
        for (int pass = 0; pass < 2; pass++) {
            if (pass == 1)
                w.dir = file;
            fsim_test_comm_run (size, write_rank, &w);
            if (pass == 0)
                g_assert_error (errors[0], FSIM_POPULATION_ERROR,
                                FSIM_POPULATION_ERROR_SNAPSHOT_IO);
            else
                g_assert_error (errors[0], G_FILE_ERROR, G_FILE_ERROR_NOTDIR);
            fsim_assert_contains (errors[0]->message, pass == 0 ? "writing the snapshot: "
                                                                : "cannot create the folder");
            for (int r = 0; r < size; r++) {
                if (r > 0)
                    g_assert_error (errors[r], FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_OTHER_RANK);
                g_clear_error (&errors[r]);
            }
        }
        free_slices (slices, size);
    }
    fclose (full);
}

int
main (int argc, char *argv[])
{
    g_test_init (&argc, &argv, NULL);
    scratch = fsim_test_scratch_new ();
    g_test_add_func ("/write-part/whole", test_write_part_whole);
    g_test_add_func ("/write-part/built", test_write_part_built);
    g_test_add_func ("/write-part/failing", test_write_part_failing);
    int status = g_test_run ();
    fsim_test_scratch_free (scratch);
    return status;
}
