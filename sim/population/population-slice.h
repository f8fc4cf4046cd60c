/* SPDX-License-Identifier: MIT */
/* population-slice.h: one MPI rank's share of a population: a contiguous range of users with
 * their friend lists (global ids) and settings (docs/scaling.md). */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <glib.h>

#include "comm.h"
#include "population.h"

/*
 * Users first .. first + n_own - 1 of a population of n_total users. Row i (user first + i)
 * has the friends adj[offsets[i] .. offsets[i + 1]), sorted global ids; the per-user arrays
 * are laid out as FsimPopulation's, with n_own rows.
 */
typedef struct {
    size_t n_total;
    size_t first, n_own;
    size_t n_fields, field_words;
    size_t n_partners, partner_words;
    size_t n_groups; /* the generator's communities (facebook_like), else 0 */
    size_t *offsets; /* n_own + 1 */
    uint32_t *adj;
    guint8 *platform;
    FsimWord *apps_others;
    guint8 *audience;
    FsimWord *uses;
    int64_t *file_ids; /* n_own: an edge list's or GML file's ids, the users' names (slice_import,
                        * slice_load, slice_new), else NULL */
    /* n_own + NULL: explicit users' ids or GraphML node ids (slice_load, slice_new), else NULL */
    char **names;
    gboolean names_are_user_ids; /* @names are explicit users' ids, not GraphML node ids */
    size_t *group_offsets;       /* n_groups + 1: the communities (facebook_like), else NULL */
    char *spec; /* a snapshot's population text (slice_load), for a snapshot of it, else NULL */
} FsimPopulationSlice;

/* The range of part @part of @n_parts of @n_total users: first = part * n_total / n_parts. */
size_t fsim_population_slice_first (size_t n_total, size_t n_parts, size_t part);

/**
 * fsim_population_slice_new:
 * Copies users @first .. @first + @n - 1 of @pop (which is left unchanged), with their names
 * and the communities when @pop has them.
 * Returns: (transfer full): the slice, or NULL with @error set when out of memory.
 */
FsimPopulationSlice *fsim_population_slice_new (const FsimPopulation *pop, size_t first, size_t n,
                                                GError **error);
void fsim_population_slice_free (FsimPopulationSlice *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsimPopulationSlice, fsim_population_slice_free)

/* Whether fsim_population_slice_load() can load @scenario's population by parts: one from a
 * snapshot (`population.snapshot`). */
gboolean fsim_population_slice_can_load (const FsimScenario *scenario);

/**
 * fsim_population_slice_load:
 * @scenario: read only; fsim_population_slice_can_load() must hold
 * @comm: the ranks (graph/comm.h); collective
 * @n_threads: for checking this rank's part (0: the process default)
 * Loads this rank's part of @scenario's snapshot (users fsim_population_slice_first() of the
 * snapshot's user count) without reading the rest of the friend lists and settings: the
 * header and the section table are read on every rank, and each rank checks only the chunks
 * that hold its users' bytes, and its share of the names' (population-snapshot-check.c); the
 * ranks then agree on the first failure, so that a damaged or mismatched file gives every rank
 * the message one process gives. The same users' rows as fsim_population_slice_new() on the
 * loaded population, with their names (file_ids, names) when the snapshot holds them.
 * Returns: (transfer full): the slice, or NULL with @error set as
 *   fsim_population_build() would (FSIM_POPULATION_ERROR_SNAPSHOT_*), with
 *   FSIM_GRAPH_ERROR_OTHER_RANK when only another rank failed, or FSIM_GRAPH_ERROR_NOMEM
 *   when this rank is out of memory for its rows (the caller must make the ranks agree).
 */
FsimPopulationSlice *fsim_population_slice_load (const FsimScenario *scenario, const FsimComm *comm,
                                                 unsigned n_threads, GError **error);

/* Whether fsim_population_slice_build() can build @scenario's population by parts: a
 * generated one whose generator can be split (fsim_friends_generate_part_supported()), not from
 * a snapshot, with random adoption, or clustered adoption (over facebook_like's communities, or
 * friendship clusters grown over the ranks; facebook_like without friendships is built whole). */
gboolean fsim_population_slice_can_build (const FsimScenario *scenario);

/**
 * fsim_population_slice_build:
 * @scenario: read only; fsim_population_slice_can_build() must hold
 * @comm: the ranks (graph/comm.h); collective
 * Builds users @first .. @first + @n - 1 of @scenario's population without building the rest:
 * their friend lists (fsim_friends_generate_part()), settings and partner use, the same as
 * fsim_population_build() gives those users.
 * Returns: (transfer full): the slice, or NULL with @error set: FSIM_POPULATION_ERROR_TOO_LARGE
 *   when this or another rank's part does not fit in memory, an FSIM_GRAPH_ERROR from the
 *   generator (on every rank), FSIM_GRAPH_ERROR_NOMEM when out of memory for the
 *   settings (on this rank only: the caller must make the ranks agree).
 */
FsimPopulationSlice *fsim_population_slice_build (const FsimScenario *scenario,
                                                  const FsimComm *comm, size_t first, size_t n,
                                                  GError **error);

/* Whether fsim_population_slice_import() can build @scenario's population by parts: one
 * imported from an edge list (not GraphML or GML, which igraph reads whole), with no attributes
 * mapped, not from a snapshot; with clustered adoption, the ranks grow the friendship clusters
 * together. */
gboolean fsim_population_slice_can_import (const FsimScenario *scenario);

/**
 * fsim_population_slice_import:
 * @scenario: read only; fsim_population_slice_can_import() must hold
 * @comm: the ranks (graph/comm.h); collective
 * Reads the scenario's edge list by byte ranges over the ranks (fsim_import_edge_list_part())
 * and builds this rank's part of the users (fsim_population_slice_first()): their friend lists,
 * settings and partner use, the same as fsim_population_build() gives those users.
 * Returns: (transfer full): the slice, or NULL with @error set: the error one process gives
 *   for a bad file or a population too large (on every rank), FSIM_GRAPH_ERROR_NOMEM /
 *   FSIM_GRAPH_ERROR_OTHER_RANK when a rank is out of memory reading it, FSIM_GRAPH_ERROR_NOMEM
 *   when out of memory for the settings (on this rank only: the caller must make the ranks
 *   agree).
 */
FsimPopulationSlice *fsim_population_slice_import (const FsimScenario *scenario,
                                                   const FsimComm *comm, GError **error);

/**
 * fsim_population_snapshot_save_part:
 * @slice: this rank's users, read only: part comm->rank of the population, the parts following
 *   each other in rank order
 * @comm: the ranks (graph/comm.h); collective
 * @out: rank 0's stream; NULL on the other ranks
 * Writes to @out, on rank 0, the snapshot fsim_population_snapshot_save() writes of the whole
 * population (the same bytes, checksums and all), from every rank's slice, without any rank
 * holding the whole population: each rank hashes the chunks of its own bytes, and sends its
 * bytes to rank 0 a round of 4 MiB at a time (population-snapshot-part.c; docs/scaling.md).
 * Returns: TRUE on every rank, or FALSE on every rank: with rank 0's write error
 *   (FSIM_POPULATION_ERROR_SNAPSHOT_IO) there, FSIM_GRAPH_ERROR_NOMEM on a rank out of
 *   memory, an exchange's error, and FSIM_GRAPH_ERROR_OTHER_RANK on the ranks that stopped
 *   because another failed (the caller makes the ranks agree on the message). What was written
 *   to @out stays written.
 */
gboolean fsim_population_snapshot_save_part (const FsimScenario *scenario,
                                             const FsimPopulationSlice *slice, const FsimComm *comm,
                                             FILE *out, GError **error);
/* As fsim_population_snapshot_save_part(), appending to @out on rank 0 (tests); on failure
 * @out is as it was. */
gboolean fsim_population_snapshot_write_part (const FsimScenario *scenario,
                                              const FsimPopulationSlice *slice,
                                              const FsimComm *comm, GString *out, GError **error);
