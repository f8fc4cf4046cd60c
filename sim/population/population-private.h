/* SPDX-License-Identifier: MIT */
/* population-private.h: what the parts of the population builder share (sim/population*.c). */
#pragma once

#include <stdint.h>

#include <glib.h>

#include "population.h"
#include "scenario.h"

/* "FILE:LINE:COL: " of the scenario's "population" object, or "" (transfer full). */
char *fsim_i_population_where (const FsimScenario *s);
/* Checks that @n_users users with @n_arcs friend-list entries fit (population.c). */
gboolean fsim_i_population_check_size (const FsimScenario *s, size_t n_users, double n_arcs,
                                       GError **error);
/* The same for one rank's part of a population of @n_total users: @n_users of them, whose
 * friend lists hold @n_arcs entries; the message names the part when it is not the whole. */
gboolean fsim_i_population_check_part (const FsimScenario *s, size_t n_users, size_t n_total,
                                       double n_arcs, GError **error);
/* The generator's parameters for a generated population (population.c). Can't fail. */
void fsim_i_population_gen_params (const FsimScenario *s, FsimGenParams *out_params);
/* Allocates the per-user arrays (n_users and the counts already set) (population.c); running out
 * is said at @s's "population" object. */
gboolean fsim_i_population_alloc (const FsimScenario *s, FsimPopulation *pop, GError **error);

/* Draws every user's settings, and partner use with FSIM_ADOPTION_RANDOM (population-draw.c).
 * Can't fail. */
void fsim_i_population_draw (const FsimScenario *s, FsimPopulation *pop);
/* The same for users first .. first + pop->n_users - 1 in @pop's rows (an MPI rank's part). */
void fsim_i_population_draw_rows (const FsimScenario *s, FsimPopulation *pop, size_t first);

/* Partner use with FSIM_ADOPTION_CLUSTERED (population-cluster.c). FALSE when out of memory. */
gboolean fsim_i_population_adopt_clustered (const FsimScenario *s, FsimPopulation *pop,
                                            GError **error);
/* The same for users @first .. @first + @n_rows - 1 of @n_total (an MPI rank's part), whose
 * partner sets (zero) are @uses, over the communities @group_offsets (@n_groups of them, global
 * user ids; facebook_like's): the users marked are exactly those the whole population's
 * adoption marks among them. FALSE when out of memory. */
gboolean fsim_i_population_adopt_clustered_rows (const FsimScenario *s, const size_t *group_offsets,
                                                 size_t n_groups, size_t n_total, size_t first,
                                                 size_t n_rows, FsimWord *uses, GError **error);
/* The same over friendship clusters (a graph without communities: an imported edge list,
 * erdos_renyi), collectively over @comm: @offsets (@n_rows + 1, from 0) and @adj (global ids)
 * are the friend lists of this rank's users. Every rank grows the clusters of the whole graph,
 * one breadth-first level at a time, from the friend lists their owners gather: the users marked
 * are exactly those the whole population's adoption marks among the rows. FALSE on every rank
 * when one is out of memory (the others' error FSIM_GRAPH_ERROR_OTHER_RANK). */
gboolean fsim_i_population_adopt_clustered_part (const FsimScenario *s, const struct FsimComm *comm,
                                                 size_t n_total, size_t first, size_t n_rows,
                                                 const size_t *offsets, const uint32_t *adj,
                                                 FsimWord *uses, GError **error);

/* Builds an imported population: friendships from the file, then draws, then the file's
 * attributes (population-import.c). */
gboolean fsim_i_population_import (const FsimScenario *s, FsimPopulation *pop, GError **error);

/* Maps the scenario's population.snapshot, checks it and uses its arrays in place
 * (population-snapshot-read.c). */
gboolean fsim_i_population_load_snapshot (const FsimScenario *s, FsimPopulation *pop,
                                          GError **error);
/* Unless @ok, says where the scenario names its snapshot, as an import's error is said at its
 * "import" object (@error is set then) (population-snapshot-read.c). */
void fsim_i_population_locate_snapshot (const FsimPopulationSpec *ps, gboolean ok, GError **error);
/* Says where the scenario names the graph file it imports, as for an include (@error is set),
 * on one line: a line break in the file's name ("x\ny") is '?', as the command line shows
 * control characters, not the start of a second error (population-import.c). */
void fsim_i_population_locate_import (const FsimPopulationSpec *ps, GError **error);

/* @path as shown in messages: relative to the working directory when it lies under it
 * (transfer full) (population-import.c). */
char *fsim_i_population_display_path (const char *path);

/* Keys of the population's random streams: part of the output contract, do not change. */
#define FSIM_I_SALT_SETTINGS UINT64_C (0x5e77)
#define FSIM_I_SALT_CLUSTER_ORDER UINT64_C (0xc105)
#define FSIM_I_SALT_PARTNER_ORDER UINT64_C (0xad07)

/*
 * Counter-based random numbers: number @i of the stream keyed by (@seed, @salt) is SplitMix64's
 * output number i (Steele, Lea and Flood 2014) started from a state mixed from the key, so any
 * draw can be made on its own, on any thread, in any order.
 */
static inline uint64_t
fsim_i_mix64 (uint64_t z)
{
    z = (z ^ (z >> 30)) * UINT64_C (0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C (0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static inline uint64_t
fsim_i_stream_key (uint64_t seed, uint64_t salt)
{
    return fsim_i_mix64 (fsim_i_mix64 (seed) ^ (salt * UINT64_C (0xd1b54a32d192ed03)));
}

static inline uint64_t
fsim_i_stream_u64 (uint64_t key, uint64_t i)
{
    return fsim_i_mix64 (key + (i + 1) * UINT64_C (0x9e3779b97f4a7c15));
}

/* Uniform in [0, 1), 53 bits. */
static inline double
fsim_i_stream_double (uint64_t key, uint64_t i)
{
    return (double) (fsim_i_stream_u64 (key, i) >> 11) * 0x1.0p-53;
}

/* Uniform in 0 .. bound - 1 for bound <= 2^32 (Lemire's multiply-shift; bias < bound / 2^32). */
static inline uint32_t
fsim_i_stream_below (uint64_t key, uint64_t i, uint64_t bound)
{
    return (uint32_t) (((fsim_i_stream_u64 (key, i) >> 32) * bound) >> 32);
}
