/* SPDX-License-Identifier: MIT */
/* population-report.h: what a population looks like (`flowsim population`), and its export. */
#pragma once

#include <glib.h>

#include "comm.h"
#include "population-slice.h"
#include "population.h"
#include "report.h"
#include "scenario.h"
#include "stats.h"

/* Measurements of a built population. Arrays are owned and freed with the struct. */
typedef struct {
    FsimFriendsStats friends; /* degrees, average clustering, components (graph/stats.h) */
    size_t n_groups;          /* the generator's communities (facebook_like), else 0 */
    size_t *partner_users;    /* [p]: users who use partner p */
    size_t platform_off;      /* users with the platform switch off */
    size_t restricted;        /* users with some field unticked in "apps others use" */
    size_t *audience;         /* [f * FSIM_N_AUDIENCES + a]: users whose audience of f is a */
} FsimPopulationStats;

/**
 * fsim_population_stats_new:
 * @clustering_sample: average clustering is exact up to this many users, else estimated over
 *   a sample of this many (seeded with the scenario's seed), as fsim_friends_clustering()
 * Measures @pop. Returns: (transfer full): the statistics, or NULL with FSIM_GRAPH_ERROR_NOMEM
 * when the measures' memory (per user, tried) cannot be had.
 */
FsimPopulationStats *fsim_population_stats_new (const FsimScenario *s, const FsimPopulation *pop,
                                                size_t clustering_sample, GError **error);
/**
 * fsim_population_stats_new_part:
 * @slice: this rank's users, read only
 * @comm: the ranks (graph/comm.h); collective
 * fsim_population_stats_new() of the whole population, from every rank's slice: the same
 * numbers on every rank for any number of ranks, no rank holding the whole population
 * (fsim_friends_stats_part(); the counts of settings and partner use summed).
 * Returns: (transfer full): the measurements, or NULL with @error set on every rank when an
 *   exchange fails or a rank is out of memory ("measuring the friendships of N users: out of
 *   memory: ..." on that rank, FSIM_GRAPH_ERROR_OTHER_RANK on the others).
 */
FsimPopulationStats *fsim_population_stats_new_part (const FsimScenario *s,
                                                     const FsimPopulationSlice *slice,
                                                     const FsimComm *comm, size_t clustering_sample,
                                                     GError **error);
void fsim_population_stats_free (FsimPopulationStats *st);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsimPopulationStats, fsim_population_stats_free)

/* Appends the text (FSIM_REPORT_TEXT) or JSON (FSIM_REPORT_JSON) description to @out. */
void fsim_population_stats_render (const FsimScenario *s, const FsimPopulation *pop,
                                   const FsimPopulationStats *st, FsimReportFormat format,
                                   GString *out);
/* The most bytes fsim_population_stats_render() appends for @s in @format, computed without
 * rendering (its tables grow with the partners and fields), for fsim_room_reserve() (room.h).
 * Can't fail. */
guint64 fsim_population_stats_room (const FsimScenario *s, FsimReportFormat format);

/**
 * fsim_population_export:
 * Writes @pop into the folder @dir (created if missing): friendships.txt, a SNAP edge list
 * ("u v" per friendship, u < v, users numbered from 0, '#' comment lines first), and
 * users.tsv, one line per user: "user platform apps_others audience uses" separated by tabs,
 * with apps_others a string of 0/1 per field (1: ticked), audience a digit per field
 * (0 only_me, 1 friends, 2 friends_of_friends, 3 public), both in the order of the '#
 * fields:' comment line, and uses the partner ids separated by commas. Each file is written
 * by the rules of output.h: a temporary file of a unique name renamed into place.
 * Returns: FALSE with @error set (a GFileError) if a file cannot be written.
 */
gboolean fsim_population_export (const FsimScenario *s, const FsimPopulation *pop, const char *dir,
                                 GError **error);
/**
 * fsim_population_export_part:
 * @slice: this rank's users (the parts following each other in rank order), read only
 * @comm: the ranks (graph/comm.h); collective
 * fsim_population_export() of the whole population, from every rank's slice, no rank holding
 * the whole: rank 0 creates @dir and writes each file through the output writer, the ranks
 * sending it their lines in rank order, at most 4 MiB at a time.
 * Returns: TRUE on every rank, or FALSE on every rank: rank 0's error as
 *   fsim_population_export() gives it (a GFileError), FSIM_GRAPH_ERROR_NOMEM on a rank out
 *   of memory, an exchange's error, FSIM_GRAPH_ERROR_OTHER_RANK on the ranks that stopped
 *   because another failed (the caller makes the ranks agree). Nothing is left of a file that
 *   was not written whole.
 */
gboolean fsim_population_export_part (const FsimScenario *s, const FsimPopulationSlice *slice,
                                      const FsimComm *comm, const char *dir, GError **error);
