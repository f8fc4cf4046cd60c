/* SPDX-License-Identifier: MIT */
/* sweep.h: a scenario over a grid of seeds and parameter values, summarised per metric. */
#pragma once

#include <glib.h>

#include "engine.h"
#include "population.h"
#include "scenario.h"

#define FSIM_SWEEP_ERROR (fsim_sweep_error_quark ())
GQuark fsim_sweep_error_quark (void);

typedef enum {
    FSIM_SWEEP_ERROR_METRIC, /* a metric expression is malformed or names nothing */
    FSIM_SWEEP_ERROR_GRID,   /* a --vary or --seeds is malformed, or the grid is too large */
} FsimSweepError;

/* ---- metrics (sweep-metric.c) --------------------------------------------------------------- */

/*
 * A metric is an arithmetic expression (+ - * /, parentheses, numbers) over the counts of one
 * run (docs/analysis.md#sweep):
 *   users  friendships  users_reached  users_reached_without_consent  partners_reaching
 *   partners[ID].users | .users_reached | .users_reached_without_consent
 *   fields[ID].users | .users_without_consent
 *   jurisdictions[CODE].users | .users_without_consent       (CODE "device": kept on devices)
 *   kinds[KIND].users | .users_without_consent
 *   accounts[DEGREE,K].friends_median | _min | _max, .friends_of_friends_median | _min | _max,
 *     .per_friend_median | _min | _max: over the K users whose number of friends is nearest
 *     DEGREE (sweep-accounts.c), read from the population alone
 * e.g. "partners[gsr].users_reached_without_consent / partners[gsr].users".
 */
#define FSIM_METRIC_MAX_ACCOUNTS 10000
#define FSIM_METRIC_MAX_DEGREE 1000000
typedef struct FsimMetric FsimMetric;

/* Parses @text; @label (nullable) names it in reports (else the text). Returns: (transfer
 * full) or NULL with FSIM_SWEEP_ERROR_METRIC saying where. */
FsimMetric *fsim_metric_parse (const char *label, const char *text, GError **error);
void fsim_metric_free (FsimMetric *m);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsimMetric, fsim_metric_free)
const char *fsim_metric_label (const FsimMetric *m);
/* Checks that every id the metric names exists in @s (partners, fields; jurisdictions and kinds
 * may be absent from a run and count 0). FALSE with FSIM_SWEEP_ERROR_METRIC. */
gboolean fsim_metric_check (const FsimMetric *m, const FsimScenario *s, GError **error);
/* Sets *@out_value to the value on one run of @s on @pop (NaN after a division by zero). @r may
 * be NULL when fsim_metric_needs_run() is FALSE. FALSE with FSIM_GRAPH_ERROR_NOMEM when the
 * accounts[...] counts run out of memory (*@out_value untouched). */
gboolean fsim_metric_eval (const FsimMetric *m, const FsimScenario *s, const FsimPopulation *pop,
                           const FsimResult *r, double *out_value, GError **error);
/* FALSE when @m reads only the population (users, friendships, accounts[...]): a sweep of such
 * metrics builds the populations and runs no flows. */
gboolean fsim_metric_needs_run (const FsimMetric *m);

/* ---- accounts by number of friends (sweep-accounts.c) ---------------------------------------- */

/* The @k users whose number of friends is nearest @degree, nearest first, the lower user number
 * first on a tie (transfer full; *@out_n = MIN (@k, users)), or NULL with FSIM_GRAPH_ERROR_NOMEM
 * when out of memory (a count per number of friends between the population's fewest and most,
 * tried). */
size_t *fsim_accounts_nearest (const FsimFriends *f, size_t degree, size_t k, size_t *out_n,
                               GError **error);
/* Sets *@out_n to the distinct users other than @u who are friends of a friend of @u (a friend
 * of @u counts when two of @u's friends are friends: the friend-of-friend channel's people).
 * FALSE with FSIM_GRAPH_ERROR_NOMEM when a bit per user cannot be had. */
gboolean fsim_accounts_friends_of_friends (const FsimFriends *f, size_t u, size_t *out_n,
                                           GError **error);
/* Over the accounts of fsim_accounts_nearest(): @quantity 0 friends, 1 friends of friends,
 * 2 friends of friends per friend; @statistic 0 median (the mean of the two middle values for
 * an even number), 1 min, 2 max; *@out_value NaN for an empty population. FALSE with
 * FSIM_GRAPH_ERROR_NOMEM when out of memory (*@out_value untouched). */
gboolean fsim_accounts_stat (const FsimFriends *f, size_t degree, size_t k, int quantity,
                             int statistic, double *out_value, GError **error);
/* The default metrics for @s: overall reach, then per partner, jurisdiction and field
 * (transfer full; free with g_ptr_array_unref). */
GPtrArray *fsim_metric_defaults (const FsimScenario *s);

/* ---- the sweep (sweep.c) -------------------------------------------------------------------- */

/* One parameter the sweep varies: a --set path and its values, in the order given. */
typedef struct {
    char *path;
    char **values; /* NULL-terminated */
    size_t n_values;
    gboolean population; /* its values give different populations */
} FsimSweepVary;

/* A metric's summary over the seeds of one setting. */
typedef struct {
    size_t n;               /* seeds with a number (NaN excluded) */
    double mean, sd;        /* sd: sample standard deviation, 0 for one seed */
    double ci_low, ci_high; /* 95 % confidence interval of the mean (Student's t) */
    double min, max;
} FsimSweepStats;

typedef struct {
    char *path; /* the scenario */
    guint64 *seeds;
    size_t n_seeds;
    FsimSweepVary *vary;
    size_t n_vary;
    FsimMetric **metrics; /* the options' (borrowed), or own_metrics' */
    size_t n_metrics;
    GPtrArray *own_metrics; /* the defaults, when no metric was given */
    /* settings: every combination of the varied values, the first parameter slowest;
     * setting k uses value (k / stride[i]) % n_values of parameter i */
    size_t n_settings;
    size_t *stride;
    double *values;        /* [(setting * n_seeds + seed) * n_metrics + metric] */
    FsimSweepStats *stats; /* [setting * n_metrics + metric] */
    size_t n_runs, n_populations;
    gboolean snapshot;        /* the population came from a snapshot: seeds change nothing */
    gboolean population_only; /* every metric reads the population alone: no flows were run */
    /* the scenario as loaded with the options' sets (--claim among them) and none of the varied
     * values: its claims, and the alternatives in force unless a setting picks others */
    FsimScenario *scenario;
    /* [setting * scenario->n_claims + claim]: the alternative in force in that setting (a
     * --vary of choices.CLAIM picks one per value) */
    size_t *chosen;
} FsimSweep;

typedef struct {
    const char *path;        /* the scenario (nullable: the bundled default) */
    const char *const *sets; /* --set, before the varied values (nullable) */
    const guint64 *seeds;    /* nullable: the scenario's own seed */
    size_t n_seeds;
    const char *const *vary;    /* "PATH=V1,V2,..." (nullable) */
    FsimMetric *const *metrics; /* borrowed: must outlive the sweep */
    size_t n_metrics;           /* 0: fsim_metric_defaults() of the scenario */
    unsigned n_threads;         /* 0: one per processor (graph/parallel.h) */
    void (*tick) (size_t done, size_t total, void *data); /* nullable, on the calling thread */
    void *tick_data;
} FsimSweepOptions;

/**
 * fsim_sweep_run:
 * Loads the scenario once per seed and setting (the --set overrides, then the setting's
 * values, then "seed=S"), builds each distinct population once (populations are told apart
 * by fsim_population_spec_text(), so values that do not touch the population share it), runs
 * every setting on it, and summarises each metric over the seeds. Runs are spread over the
 * processors; the result does not depend on their number.
 * Returns: (transfer full): the sweep, or NULL with @error set: FSIM_SWEEP_ERROR_GRID for a
 *   malformed --vary or a grid of more than 100,000 runs, FSIM_SWEEP_ERROR_METRIC for a metric
 *   naming an unknown partner or field, an FSIM_LOADER_ERROR or FSIM_POPULATION_ERROR of the
 *   first run that failed (prefixed with its seed and values).
 */
FsimSweep *fsim_sweep_run (const FsimSweepOptions *options, GError **error);
void fsim_sweep_free (FsimSweep *sweep);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsimSweep, fsim_sweep_free)

/* Value index of parameter @i in setting @k. */
size_t fsim_sweep_value_of (const FsimSweep *sweep, size_t k, size_t i);

/* Parses seeds "1-20", "3", "1,5,9", "1-5,10-12" (ascending or not; repeats kept once).
 * Returns: (transfer full) the seeds, or NULL with FSIM_SWEEP_ERROR_GRID. */
guint64 *fsim_sweep_parse_seeds (const char *text, size_t *out_n, GError **error);

/* One bar of a tornado: how far a metric's mean over seeds moves when parameter @vary runs
 * over its values with every other parameter at its first (baseline) value. */
typedef struct {
    size_t vary;
    size_t low, high; /* value indices giving the lowest and the highest mean */
    double low_mean, high_mean;
    double swing; /* high_mean - low_mean */
    double noise; /* the largest half-width of the 95 % intervals along the bar */
} FsimTornadoBar;

/* The bars for metric @metric, widest swing first (ties: parameter order) (transfer full;
 * @out_n bars, one per varied parameter). Can't fail. */
FsimTornadoBar *fsim_sweep_tornado (const FsimSweep *sweep, size_t metric, size_t *out_n);
