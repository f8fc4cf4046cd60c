/* SPDX-License-Identifier: MIT */
/* cli-mpi.c: flowsim under mpirun: start and end MPI, `flowsim run` over the ranks, one error. */
#include "config.h"

#include <stdio.h>
#include <sys/resource.h>

#include <mpi.h>

#include <glib.h>

#include "cli-mpi.h"
#include "cli-private.h"
#include "engine-mpi.h"
#include "population-slice.h"
#include "sim.h"

static gboolean started;
static int rank, size = 1;

void
fsim_i_cli_mpi_start (int *argc, char ***argv)
{
    /* Open MPI's mpirun sets OMPI_COMM_WORLD_SIZE, PMIx launchers PMIX_RANK, Hydra PMI_SIZE */
    if (!g_getenv ("OMPI_COMM_WORLD_SIZE") && !g_getenv ("PMIX_RANK") && !g_getenv ("PMI_SIZE"))
        return;
    MPI_Init (argc, argv);
    MPI_Comm_rank (MPI_COMM_WORLD, &rank);
    MPI_Comm_size (MPI_COMM_WORLD, &size);
    started = TRUE;
}

int
fsim_i_cli_mpi_finish (int status)
{
    if (started)
        MPI_Finalize ();
    return status;
}

gboolean
fsim_i_cli_mpi_active (void)
{
    return started;
}

int
fsim_i_cli_mpi_rank (void)
{
    return rank;
}

int
fsim_i_cli_mpi_size (void)
{
    return size;
}

/*
 * Makes every rank agree on a step's outcome: if any rank failed, every rank fails with the
 * status and message of the lowest failing rank (prefixed with its number unless it is rank
 * 0, which is where a failure of the input, the same on every rank, is found first).
 */
static FsimExit
agree (FsimExit status, GError **error)
{
    int mine = status != FSIM_EXIT_OK ? rank : size, first = size;

    MPI_Allreduce (&mine, &first, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (first == size)
        return FSIM_EXIT_OK;
    int code = (int) status;
    int len = rank == first && error && *error ? (int) strlen ((*error)->message) : 0;
    MPI_Bcast (&code, 1, MPI_INT, first, MPI_COMM_WORLD);
    MPI_Bcast (&len, 1, MPI_INT, first, MPI_COMM_WORLD);
    g_autofree char *message = g_malloc0 ((size_t) len + 1);
    if (rank == first)
        memcpy (message, (*error)->message, (size_t) len);
    MPI_Bcast (message, len, MPI_CHAR, first, MPI_COMM_WORLD);
    if (error) {
        g_clear_error (error);
        if (first == 0)
            g_set_error_literal (error, FSIM_SIM_ERROR, FSIM_SIM_ERROR_ARGUMENT, message);
        else
            g_set_error (error, FSIM_SIM_ERROR, FSIM_SIM_ERROR_ARGUMENT, "rank %d of %d: %s",
                         first, size, message);
    }
    return (FsimExit) code;
}

/* With FLOWSIM_MPI_STATS set: one line per rank on stderr, written by rank 0. */
static void
print_stats (const FsimMpiStats *s)
{
    struct rusage ru;
    getrusage (RUSAGE_SELF, &ru);
    uint64_t mine[7] = { s->n_own, s->n_ghosts, s->cut_arcs, s->hop_bytes[0], s->hop_bytes[1],
                         s->engine_bytes, (uint64_t) ru.ru_maxrss };
    g_autofree uint64_t *all = g_new (uint64_t, 7 * (size_t) size);

    MPI_Gather (mine, 7, MPI_UINT64_T, all, 7, MPI_UINT64_T, 0, MPI_COMM_WORLD);
    if (rank != 0)
        return;
    fprintf (stderr, "rank users ghosts cut_arcs hop1_bytes hop2_bytes engine_bytes "
                     "peak_rss_kib\n");
    for (int r = 0; r < size; r++) {
        const uint64_t *a = all + 7 * r;
        fprintf (stderr, "%d %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT
                         " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT
                         " %" G_GUINT64_FORMAT "\n",
                 r, a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
    }
}

/*
 * This rank's users. TEMPORARY (docs/scaling.md): every rank still builds the whole population
 * with fsim_sim_build(), keeps its part and frees the rest, so the peak memory of a rank is
 * that of the single process's build; the trace that follows holds only the part.
 */
static FsimPopulationSlice *
build_slice (FsimSim *sim, GError **error)
{
    if (!fsim_sim_build (sim, NULL, error))
        return NULL;
    size_t n = sim->pop->n_users;
    size_t first = fsim_population_slice_first (n, (size_t) size, (size_t) rank);
    size_t last = fsim_population_slice_first (n, (size_t) size, (size_t) rank + 1);
    FsimPopulationSlice *slice = fsim_population_slice_new (sim->pop, first, last - first, error);
    g_clear_pointer (&sim->pop, fsim_population_free);
    return slice;
}

FsimExit
fsim_i_cli_mpi_render (const char *path, const char *const *sets, FsimReportFormat format,
                       const FsimReportOptions *options, GString *out, GError **error)
{
    const FsimSimOptions sim_options = { .sets = sets };
    g_autoptr (FsimSim) sim = fsim_sim_load (path, &sim_options, error);
    FsimExit status = agree (sim ? FSIM_EXIT_OK : FSIM_EXIT_INPUT, error);
    g_autoptr (FsimPopulationSlice) slice = NULL;
    FsimMpiStats stats = { 0 };

    if (status != FSIM_EXIT_OK)
        return status;
    slice = build_slice (sim, error);
    status = agree (slice ? FSIM_EXIT_OK : FSIM_EXIT_INPUT, error);
    if (status != FSIM_EXIT_OK)
        return status;
    sim->result = fsim_engine_run_mpi (sim->scenario, slice, sim->decisions, MPI_COMM_WORLD, 0,
                                       &stats, error);
    status = agree (sim->result ? FSIM_EXIT_OK : FSIM_EXIT_INTERNAL, error);
    if (status != FSIM_EXIT_OK)
        return status;
    if (g_getenv ("FLOWSIM_MPI_STATS"))
        print_stats (&stats);
    if (rank == 0) {
        /* the report reads the counts, and of the population only whether it has settings */
        FsimPopulation view = { .n_users = sim->result->n_users, .platform = slice->platform };
        fsim_report_render_with (sim->scenario, &view, sim->result, format, options, out);
    }
    return FSIM_EXIT_OK;
}
