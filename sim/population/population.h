/* SPDX-License-Identifier: MIT */
/* population.h: the users, their friendships, settings and partner use, built from the spec. */
#pragma once

#include <stdio.h>

#include <glib.h>

#include "friends.h"
#include "scenario.h"

#define FSIM_POPULATION_ERROR (fsim_population_error_quark ())
GQuark fsim_population_error_quark (void);

typedef enum {
    FSIM_POPULATION_ERROR_FAILED,
    FSIM_POPULATION_ERROR_TOO_LARGE,
    FSIM_POPULATION_ERROR_IMPORT,      /* an imported graph's attribute cannot be used as mapped */
    FSIM_POPULATION_ERROR_SNAPSHOT_IO, /* a snapshot cannot be opened, read or written */
    FSIM_POPULATION_ERROR_SNAPSHOT_FOREIGN,  /* not a snapshot, or of another version */
    FSIM_POPULATION_ERROR_SNAPSHOT_CORRUPT,  /* truncated, a checksum fails, a bad table */
    FSIM_POPULATION_ERROR_SNAPSHOT_MISMATCH, /* saved from another population or layout */
} FsimPopulationError;

/*
 * Read-only after fsim_population_build(). Per-user arrays are indexed by user:
 *   platform[u]                         the platform switch (1 = on)
 *   apps_others[u * field_words ...]    field bit set: the "apps others use" checklist
 *   audience[u * n_fields + f]          FsimAudience of field f
 *   uses[u * partner_words ...]         partner bit set: partners u uses
 */
typedef struct {
    size_t n_users;
    size_t n_fields, field_words;
    size_t n_partners, partner_words;
    FsimFriends *friends;
    char **user_ids; /* explicit populations only, else NULL ("u<N>" is used for display) */
    /* imported populations: the graph file's names for its users, one of the two or neither
     * (see fsim_population_user_name()) */
    char **file_names; /* GraphML: node ids */
    gint64 *file_ids;  /* edge lists: the ids; GML: the integer "id"s */
    guint8 *platform;
    FsimWord *apps_others;
    guint8 *audience;
    FsimWord *uses;
    /* A population loaded from a snapshot: the mapped file, which the arrays above may point
     * into (read-only memory), else NULL. The names of user_ids or file_names then point into it
     * too: only those two arrays themselves are the population's. */
    GMappedFile *snapshot;
    /* The partners near each user as saved with a snapshot (fsim_population_near(), all
     * users), pointing into it; NULL when they are to be computed (the engine's first hop). */
    const FsimWord *near;
    /* The threads its build used and its analyses use (0: the process default,
     * graph/parallel.h); results never depend on it. */
    unsigned n_threads;
} FsimPopulation;

/**
 * fsim_population_build:
 * Builds the explicit users, or generates a population from the spec with @scenario->seed.
 * The same scenario and seed always give the same population.
 * Returns: (transfer full): the population, or NULL with @error set.
 */
FsimPopulation *fsim_population_build (const FsimScenario *scenario, GError **error);
/* As fsim_population_build(), generating and drawing on @n_threads threads (0: the process
 * default, one per processor unless the program set another); the population is the same for
 * any number. */
FsimPopulation *fsim_population_build_threads (const FsimScenario *scenario, unsigned n_threads,
                                               GError **error);
void fsim_population_free (FsimPopulation *p);

/**
 * fsim_population_near:
 * @near: 2 x partner_words words per user, indexed by user
 *
 * For users @from .. @to - 1, the partners used by at least one of their friends (ONE, the
 * first partner_words words of the user's near) and by at least two (TWO, the next ones): the
 * first hop of the engine's trace, which depends on the population alone (so a snapshot saves
 * it). Can't fail.
 */
void fsim_population_near (const FsimPopulation *pop, FsimWord *near, size_t from, size_t to);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsimPopulation, fsim_population_free)

/* Display name of user @u (transfer full), and how the users are named, for messages (NULL
 * for explicit users). */
char *fsim_population_user_name (const FsimPopulation *p, size_t u);
const char *fsim_population_naming (const FsimPopulation *p);

/* The text of everything the population is built from (population-spec.c; transfer full; NULL
 * for a scenario that only names a snapshot). Can't fail. */
char *fsim_population_spec_text (const FsimScenario *scenario);

/**
 * fsim_population_snapshot_write:
 * @scenario: read only: the scenario @pop was built from
 * @pop: read only
 * @out: the snapshot file's bytes are appended to it (docs/format.md)
 *
 * Serialises @pop, with @scenario's field and partner ids and its population text
 * (fsim_population_spec_text()), into the snapshot format that `population.snapshot` loads.
 * Returns: FALSE with @error set (FSIM_POPULATION_ERROR_SNAPSHOT_IO on a big-endian or 32-bit
 *   machine, which the format does not support); @out is then unchanged.
 */
gboolean fsim_population_snapshot_write (const FsimScenario *scenario, const FsimPopulation *pop,
                                         GString *out, GError **error);

/**
 * fsim_population_snapshot_save:
 * @out: the stream the file is written to, from its first byte (the caller opens and commits
 *   it: sim/render/output.h)
 *
 * As fsim_population_snapshot_write(), streamed: the file is written in order, 16 MiB at a time,
 * so that saving needs no more memory than the population and a chunk per worker.
 * Returns: FALSE with @error set: FSIM_POPULATION_ERROR_SNAPSHOT_IO on a big-endian or 32-bit
 *   machine, or when a write fails (the caller then discards what was written).
 */
gboolean fsim_population_snapshot_save (const FsimScenario *scenario, const FsimPopulation *pop,
                                        FILE *out, GError **error);
