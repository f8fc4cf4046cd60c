/* SPDX-License-Identifier: MIT */
/* sweep.c: `flowsim sweep`: the grid of seeds and values, its runs, and their summaries. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "engine.h"
#include "loader.h"
#include "memory.h"
#include "parallel.h"
#include "policy.h"
#include "population.h"
#include "sweep.h"
#include "text.h"

#define MAX_RUNS 100000

/*
 * The grid is every seed times every setting (one value of each varied parameter). Runs that
 * build the same population share it: the population of a run is told by its population text
 * (fsim_population_spec_text), and a parameter is a population parameter when one of its
 * values, set alone on the base scenario, changes that text. Work items are the groups of runs
 * with one seed and one combination of population values; a worker builds the group's
 * population once and runs every setting of the group on it. Should a run's own text still
 * differ from the group's (two parameters that change the population only together), it gets
 * a population of its own: sharing is an optimisation, never a change of answer.
 */

/* ---- parsing ------------------------------------------------------------------------------ */

/* Splits @text at the commas outside brackets, braces and double quotes. */
static char **
split_values (const char *text)
{
    GPtrArray *v = g_ptr_array_new ();
    int depth = 0;
    gboolean quoted = FALSE;
    const char *start = text;

    for (const char *p = text;; p++) {
        if (*p == '\0' || (*p == ',' && depth == 0 && !quoted)) {
            g_ptr_array_add (v, g_strstrip (g_strndup (start, (size_t) (p - start))));
            if (*p == '\0')
                break;
            start = p + 1;
        } else if (*p == '"' && (p == text || p[-1] != '\\')) {
            quoted = !quoted;
        } else if (!quoted && (*p == '[' || *p == '{')) {
            depth++;
        } else if (!quoted && (*p == ']' || *p == '}')) {
            depth--;
        }
    }
    g_ptr_array_add (v, NULL);
    return (char **) g_ptr_array_free (v, FALSE);
}

static gboolean
parse_vary (const char *text, FsimSweepVary *out, GError **error)
{
    const char *eq = strchr (text, '=');

    if (eq == NULL || eq == text) {
        g_set_error (error, FSIM_SWEEP_ERROR, FSIM_SWEEP_ERROR_GRID,
                     "--vary '%s': expected PATH=VALUE,VALUE,...", text);
        return FALSE;
    }
    out->path = g_strndup (text, (size_t) (eq - text));
    out->values = split_values (eq + 1);
    out->n_values = g_strv_length (out->values);
    for (size_t i = 0; i < out->n_values; i++) {
        if (*out->values[i] != '\0')
            continue;
        g_set_error (error, FSIM_SWEEP_ERROR, FSIM_SWEEP_ERROR_GRID,
                     "--vary '%s': value %zu is empty", text, i + 1);
        return FALSE;
    }
    return TRUE;
}

/* The largest seed a scenario takes (its "seed" is a JSON number, exact up to 2^53 - 1). */
#define MAX_SEED G_GUINT64_CONSTANT (9007199254740991)

/* Reads the seed @text into *@out. Returns: FALSE if it is not digits; TRUE with *@out_big set
 * if it is over MAX_SEED (g_ascii_strtoull would have made 2^64 + 1 into 2^64 - 1). */
static gboolean
parse_seed (const char *text, guint64 *out, gboolean *out_big)
{
    char *end = NULL;

    if (!g_ascii_isdigit (*text))
        return FALSE;
    errno = 0;
    *out = g_ascii_strtoull (text, &end, 10);
    *out_big = *out_big || errno == ERANGE || *out > MAX_SEED;
    return end != text && *end == '\0';
}

guint64 *
fsim_sweep_parse_seeds (const char *text, size_t *out_n, GError **error)
{
    g_auto (GStrv) parts = g_strsplit (text, ",", -1);
    g_autoptr (GArray) seeds = g_array_new (FALSE, FALSE, sizeof (guint64));
    g_autoptr (GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

    g_return_val_if_fail (text != NULL && out_n != NULL, NULL);
    for (size_t i = 0; parts[i] || i == 0; i++) {
        if (parts[i] == NULL) { /* "" splits into nothing */
            g_set_error (error, FSIM_SWEEP_ERROR, FSIM_SWEEP_ERROR_GRID,
                         "--seeds: expected seeds or ranges such as 1-20 or 1,5,9");
            return NULL;
        }
        g_auto (GStrv) ends = g_strsplit (g_strstrip (parts[i]), "-", 3);
        guint64 a = 0, b = 0;
        gboolean big = FALSE;
        gboolean ok =
            ends[0] && parse_seed (ends[0], &a, &big) &&
            (ends[1] == NULL ? (b = a, TRUE) : parse_seed (ends[1], &b, &big) && !ends[2]);
        if (ok && big) {
            g_set_error (error, FSIM_SWEEP_ERROR, FSIM_SWEEP_ERROR_GRID,
                         "--seeds '%s': a seed is at most 9007199254740991 (2^53 - 1, where "
                         "JSON numbers stop being exact)",
                         text);
            return NULL;
        }
        if (!ok || b < a || b - a >= MAX_RUNS) {
            g_set_error (error, FSIM_SWEEP_ERROR, FSIM_SWEEP_ERROR_GRID,
                         "--seeds '%s': expected seeds or ranges such as 1-20 or 1,5,9%s", text,
                         ok ? " (a range runs upwards, and at most 100,000 seeds)" : "");
            return NULL;
        }
        for (guint64 s = a;; s++) {
            if (!g_hash_table_contains (seen, &s)) {
                g_array_append_val (seeds, s);
                g_hash_table_add (seen, g_memdup2 (&s, sizeof s));
            }
            if (s == b)
                break;
        }
    }
    *out_n = seeds->len;
    return (guint64 *) g_array_free (g_steal_pointer (&seeds), FALSE);
}

/* ---- the grid ----------------------------------------------------------------------------- */

size_t
fsim_sweep_value_of (const FsimSweep *sweep, size_t k, size_t i)
{
    g_return_val_if_fail (sweep != NULL && i < sweep->n_vary && k < sweep->n_settings, 0);
    return (k / sweep->stride[i]) % sweep->vary[i].n_values;
}

/* The --set list of a run: the options' sets, the setting's values, the seed (transfer full). */
static char **
run_sets (const FsimSweep *sw, const FsimSweepOptions *o, size_t k, gboolean with_seed,
          guint64 seed)
{
    GPtrArray *v = g_ptr_array_new ();

    for (size_t i = 0; o->sets && o->sets[i]; i++)
        g_ptr_array_add (v, g_strdup (o->sets[i]));
    for (size_t i = 0; i < sw->n_vary && k != G_MAXSIZE; i++)
        g_ptr_array_add (v, g_strdup_printf ("%s=%s", sw->vary[i].path,
                                             sw->vary[i].values[fsim_sweep_value_of (sw, k, i)]));
    if (with_seed)
        g_ptr_array_add (v, g_strdup_printf ("seed=%" G_GUINT64_FORMAT, seed));
    g_ptr_array_add (v, NULL);
    return (char **) g_ptr_array_free (v, FALSE);
}

/* The base scenario's population text with one value set (transfer full; NULL on error). */
static char *
text_with (const FsimSweepOptions *o, const char *extra, GError **error)
{
    g_autoptr (GPtrArray) sets = g_ptr_array_new ();

    for (size_t i = 0; o->sets && o->sets[i]; i++)
        g_ptr_array_add (sets, (gpointer) o->sets[i]);
    if (extra)
        g_ptr_array_add (sets, (gpointer) extra);
    g_ptr_array_add (sets, NULL);
    g_autoptr (FsimScenario) s =
        fsim_loader_load (o->path, (const char *const *) sets->pdata, error);
    if (s == NULL)
        return NULL;
    char *text = fsim_population_spec_text (s);
    return text ? text : g_strdup ("");
}

/* Marks the parameters whose values change the population. */
static gboolean
classify (FsimSweep *sw, const FsimSweepOptions *o, const char *base_text, GError **error)
{
    for (size_t i = 0; i < sw->n_vary; i++) {
        FsimSweepVary *v = &sw->vary[i];
        for (size_t j = 0; j < v->n_values && !v->population; j++) {
            g_autofree char *set = g_strdup_printf ("%s=%s", v->path, v->values[j]);
            g_autofree char *text = text_with (o, set, error);
            if (text == NULL) {
                g_autofree char *shown = fsim_text_clean (set); /* "a\nb": one line */
                g_prefix_error (error, "--vary %s: ", shown);
                return FALSE;
            }
            v->population = strcmp (text, base_text) != 0;
        }
    }
    return TRUE;
}

/* ---- the runs ------------------------------------------------------------------------------ */

typedef struct {
    FsimSweep *sw;
    const FsimSweepOptions *o;
    size_t *pop_stride; /* per parameter: its place in the group index, 0 if not population */
    size_t n_pop_combos;
    GPtrArray **members; /* [group]: the settings of the group (GSIZE_TO_POINTER) */
    GMutex lock;
    GError *error; /* the first failure, by run index */
    size_t error_run;
    gint n_populations;    /* atomic */
    gboolean seed_matters; /* else the seeds of a group share its population too */
    gboolean needs_run;    /* a metric reads the flows, else the runs stop at the population */
} Work;

static void
fail_run (Work *w, size_t run, GError *e)
{
    g_mutex_lock (&w->lock);
    if (w->error == NULL || run < w->error_run) {
        g_clear_error (&w->error);
        w->error = e;
        w->error_run = run;
    } else {
        g_error_free (e);
    }
    g_mutex_unlock (&w->lock);
}

/* Loads, builds (or shares) and runs setting @k at seed index @si. */
static gboolean
one_run (Work *w, size_t k, size_t si, FsimPopulation **shared, char **shared_text)
{
    FsimSweep *sw = w->sw;
    size_t run = k * sw->n_seeds + si;
    GError *e = NULL;
    g_auto (GStrv) sets = run_sets (sw, w->o, k, TRUE, sw->seeds[si]);
    g_autoptr (FsimScenario) s = fsim_loader_load (w->o->path, (const char *const *) sets, &e);
    g_autoptr (FsimPopulation) own = NULL;
    g_autofree char *text = s ? fsim_population_spec_text (s) : NULL;
    const FsimPopulation *pop = NULL;

    if (s != NULL && *shared != NULL && g_strcmp0 (text, *shared_text) == 0) {
        pop = *shared;
    } else if (s != NULL) {
        own = fsim_population_build (s, &e);
        g_atomic_int_inc (&w->n_populations);
        if (own != NULL && *shared == NULL) {
            *shared = g_steal_pointer (&own);
            *shared_text = g_steal_pointer (&text);
            pop = *shared;
        } else {
            pop = own;
        }
    }
    g_autoptr (FsimDecisions) d =
        pop && w->needs_run ? fsim_decisions_try_new (s, s->date, &e) : NULL;
    g_autoptr (FsimResult) r = d ? fsim_engine_run (s, pop, d, &e) : NULL;
    if (pop == NULL || (w->needs_run && r == NULL)) {
        size_t n_own = w->o->sets ? g_strv_length ((char **) w->o->sets) : 0;
        g_autofree char *values = g_strjoinv (" ", sets + n_own);
        g_prefix_error (&e, "the run with %s: ", values);
        fail_run (w, run, e);
        return FALSE;
    }
    for (size_t m = 0; m < sw->n_metrics; m++)
        if (!fsim_metric_eval (sw->metrics[m], s, pop, r, &sw->values[run * sw->n_metrics + m],
                               &e)) {
            fail_run (w, run, e);
            return FALSE;
        }
    /* the claims in force of setting @k: its first seed's run is the only one to write them */
    for (size_t c = 0; si == 0 && c < s->n_claims && c < sw->scenario->n_claims; c++)
        sw->chosen[k * sw->scenario->n_claims + c] = s->claims[c].chosen;
    return TRUE;
}

static void
run_group (size_t g, unsigned worker, void *data)
{
    Work *w = data;
    GPtrArray *settings = w->members[g % w->n_pop_combos];
    size_t from = w->seed_matters ? g / w->n_pop_combos : 0;
    size_t to = w->seed_matters ? from + 1 : w->sw->n_seeds;
    g_autoptr (FsimPopulation) shared = NULL;
    g_autofree char *shared_text = NULL;

    (void) worker;
    for (size_t si = from; si < to; si++)
        for (size_t i = 0; i < settings->len; i++) {
            if (g_atomic_pointer_get (&w->error) != NULL)
                return;
            if (!one_run (w, GPOINTER_TO_SIZE (settings->pdata[i]), si, &shared, &shared_text))
                return;
        }
}

/* ---- statistics ---------------------------------------------------------------------------- */

/* Student's t quantile t(0.975, df). */
static double
t975 (size_t df)
{
    static const double table[] = { 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306,
                                    2.262,  2.228, 2.201, 2.179, 2.160, 2.145, 2.131, 2.120,
                                    2.110,  2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064,
                                    2.060,  2.056, 2.052, 2.048, 2.045, 2.042 };
    const double z = 1.959964, n = (double) df;

    if (df >= 1 && df <= G_N_ELEMENTS (table))
        return table[df - 1];
    /* Cornish-Fisher expansion: within 0.001 of the exact quantile from 30 up */
    return z + (z * z * z + z) / (4 * n) + (5 * pow (z, 5) + 16 * z * z * z + 3 * z) / (96 * n * n);
}

static void
summarise (const double *v, size_t stride, size_t n, FsimSweepStats *st)
{
    double sum = 0, sq = 0;

    *st = (FsimSweepStats){
        .mean = NAN, .sd = NAN, .ci_low = NAN, .ci_high = NAN, .min = NAN, .max = NAN
    };
    for (size_t i = 0; i < n; i++) {
        double x = v[i * stride];
        if (isnan (x))
            continue;
        st->min = st->n == 0 ? x : MIN (st->min, x);
        st->max = st->n == 0 ? x : MAX (st->max, x);
        sum += x;
        st->n++;
    }
    if (st->n == 0)
        return;
    st->mean = sum / (double) st->n;
    for (size_t i = 0; i < n; i++)
        if (!isnan (v[i * stride]))
            sq += (v[i * stride] - st->mean) * (v[i * stride] - st->mean);
    st->sd = st->n > 1 ? sqrt (sq / (double) (st->n - 1)) : 0;
    if (st->n > 1) {
        double half = t975 (st->n - 1) * st->sd / sqrt ((double) st->n);
        st->ci_low = st->mean - half;
        st->ci_high = st->mean + half;
    }
}

/* ---- public -------------------------------------------------------------------------------- */

static gboolean
set_up (FsimSweep *sw, const FsimSweepOptions *o, FsimScenario **out_base, GError **error)
{
    size_t n_vary = 0;

    while (o->vary && o->vary[n_vary])
        n_vary++;
    sw->path = g_strdup (o->path);
    sw->vary = g_new0 (FsimSweepVary, n_vary + 1);
    sw->stride = g_new0 (size_t, n_vary + 1);
    for (size_t i = 0; i < n_vary; i++) {
        sw->n_vary = i + 1; /* freed with the sweep, even half parsed */
        if (!parse_vary (o->vary[i], &sw->vary[i], error))
            return FALSE;
        for (size_t j = 0; j < i; j++)
            if (strcmp (sw->vary[j].path, sw->vary[i].path) == 0) {
                g_set_error (error, FSIM_SWEEP_ERROR, FSIM_SWEEP_ERROR_GRID,
                             "--vary %s is given twice", sw->vary[i].path);
                return FALSE;
            }
    }
    sw->n_settings = 1;
    for (size_t i = n_vary; i-- > 0;) {
        sw->stride[i] = sw->n_settings;
        sw->n_settings *= sw->vary[i].n_values;
        if (sw->n_settings > MAX_RUNS)
            break;
    }
    g_auto (GStrv) sets = run_sets (sw, o, G_MAXSIZE, FALSE, 0);
    *out_base = fsim_loader_load (o->path, (const char *const *) sets, error);
    if (*out_base == NULL)
        return FALSE;
    if (o->seeds != NULL && o->n_seeds > 0) {
        sw->seeds = g_memdup2 (o->seeds, o->n_seeds * sizeof (guint64));
        sw->n_seeds = o->n_seeds;
    } else {
        sw->seeds = g_new (guint64, 1);
        sw->seeds[0] = (*out_base)->seed;
        sw->n_seeds = 1;
    }
    if (sw->n_settings > MAX_RUNS || sw->n_settings * sw->n_seeds > MAX_RUNS) {
        g_set_error (error, FSIM_SWEEP_ERROR, FSIM_SWEEP_ERROR_GRID,
                     "the sweep would make more than %d runs (seeds times every combination "
                     "of the varied values)",
                     MAX_RUNS);
        return FALSE;
    }
    sw->n_runs = sw->n_settings * sw->n_seeds;
    return TRUE;
}

/* The metrics: the options' (borrowed) or the scenario's defaults (owned by the sweep). */
static gboolean
set_metrics (FsimSweep *sw, const FsimSweepOptions *o, const FsimScenario *base, GError **error)
{
    if (o->n_metrics == 0) {
        sw->own_metrics = fsim_metric_defaults (base);
        sw->n_metrics = sw->own_metrics->len;
        sw->metrics = g_memdup2 (sw->own_metrics->pdata, (sw->n_metrics + 1) * sizeof (gpointer));
    } else {
        sw->n_metrics = o->n_metrics;
        sw->metrics = g_memdup2 (o->metrics, o->n_metrics * sizeof (FsimMetric *));
    }
    for (size_t m = 0; m < sw->n_metrics; m++)
        if (!fsim_metric_check (sw->metrics[m], base, error))
            return FALSE;
    return TRUE;
}

/**
 * fsim_sweep_run:
 * See sweep.h.
 */
FsimSweep *
fsim_sweep_run (const FsimSweepOptions *options, GError **error)
{
    const FsimSweepOptions *o = options;
    g_autoptr (FsimSweep) sw = g_new0 (FsimSweep, 1);
    g_autoptr (FsimScenario) base = NULL;
    g_autofree char *base_text = NULL;

    g_return_val_if_fail (o != NULL && (o->n_metrics == 0 || o->metrics != NULL), NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);
    if (!set_up (sw, o, &base, error) || !set_metrics (sw, o, base, error))
        return NULL;
    sw->snapshot = base->population.kind == FSIM_POPULATION_SNAPSHOT;
    /* the grid's tables: their sizes are the options' and the scenario's (100,000 runs times
     * 32,768 metrics at 16,384 partners is 26 GB of values), so they are tried */
    sw->chosen = fsim_try_new0 (sw->n_settings * base->n_claims + 1, sizeof (size_t),
                                "the claims chosen in each setting of the sweep", error);
    sw->values = sw->chosen ? fsim_try_new (sw->n_runs * sw->n_metrics + 1, sizeof (double),
                                            "the sweep's values, a run by a metric", error)
                            : NULL;
    sw->stats = sw->values
                    ? fsim_try_new (sw->n_settings * sw->n_metrics + 1, sizeof (FsimSweepStats),
                                    "the sweep's summaries, a setting by a metric", error)
                    : NULL;
    if (sw->stats == NULL)
        return NULL;
    for (size_t k = 0; k < sw->n_settings; k++)
        for (size_t c = 0; c < base->n_claims; c++)
            sw->chosen[k * base->n_claims + c] = base->claims[c].chosen;
    base_text = fsim_population_spec_text (base);
    if (base_text == NULL)
        base_text = g_strdup ("");
    if (!classify (sw, o, base_text, error))
        return NULL;

    Work w = { .sw = sw, .o = o };
    for (size_t m = 0; m < sw->n_metrics; m++)
        w.needs_run |= fsim_metric_needs_run (sw->metrics[m]);
    sw->population_only = !w.needs_run;
    w.pop_stride = g_new0 (size_t, sw->n_vary + 1);
    w.n_pop_combos = 1;
    for (size_t i = sw->n_vary; i-- > 0;)
        if (sw->vary[i].population) {
            w.pop_stride[i] = w.n_pop_combos;
            w.n_pop_combos *= sw->vary[i].n_values;
        }
    w.members = g_new0 (GPtrArray *, w.n_pop_combos);
    for (size_t c = 0; c < w.n_pop_combos; c++)
        w.members[c] = g_ptr_array_new ();
    for (size_t k = 0; k < sw->n_settings; k++) {
        size_t c = 0;
        for (size_t i = 0; i < sw->n_vary; i++)
            c += w.pop_stride[i] * fsim_sweep_value_of (sw, k, i);
        g_ptr_array_add (w.members[c], GSIZE_TO_POINTER (k));
    }
    g_mutex_init (&w.lock);
    /* does the seed change the population (not for explicit users, nor a snapshot)? */
    g_autofree char *seed_set = g_strdup_printf ("seed=%" G_GUINT64_FORMAT, base->seed + 1);
    g_autofree char *seed_text = text_with (o, seed_set, NULL);
    w.seed_matters = seed_text == NULL || strcmp (seed_text, base_text) != 0;
    size_t n_groups = (w.seed_matters ? sw->n_seeds : 1) * w.n_pop_combos;
    sw->scenario = g_steal_pointer (&base); /* the runs read its number of claims */
    fsim_parallel_for (n_groups, fsim_parallel_workers (o->n_threads, n_groups), run_group, &w,
                       o->tick, o->tick_data);
    g_mutex_clear (&w.lock);
    for (size_t c = 0; c < w.n_pop_combos; c++)
        g_ptr_array_unref (w.members[c]);
    g_free (w.members);
    g_free (w.pop_stride);
    sw->n_populations = (size_t) w.n_populations;
    if (w.error != NULL) {
        g_propagate_error (error, w.error);
        return NULL;
    }
    for (size_t k = 0; k < sw->n_settings; k++)
        for (size_t m = 0; m < sw->n_metrics; m++)
            summarise (sw->values + k * sw->n_seeds * sw->n_metrics + m, sw->n_metrics, sw->n_seeds,
                       &sw->stats[k * sw->n_metrics + m]);
    return g_steal_pointer (&sw);
}

void
fsim_sweep_free (FsimSweep *sweep)
{
    if (sweep == NULL)
        return;
    for (size_t i = 0; i < sweep->n_vary; i++) {
        g_free (sweep->vary[i].path);
        g_strfreev (sweep->vary[i].values);
    }
    g_free (sweep->vary);
    g_free (sweep->stride);
    g_free (sweep->path);
    g_free (sweep->seeds);
    g_free (sweep->metrics);
    if (sweep->own_metrics != NULL)
        g_ptr_array_unref (sweep->own_metrics);
    g_free (sweep->values);
    g_free (sweep->stats);
    fsim_scenario_free (sweep->scenario);
    g_free (sweep->chosen);
    g_free (sweep);
}

static int
compare_bars (const void *a, const void *b)
{
    const FsimTornadoBar *x = a, *y = b;
    double sx = isnan (x->swing) ? -1 : x->swing, sy = isnan (y->swing) ? -1 : y->swing;

    if (sx != sy)
        return sx > sy ? -1 : 1;
    return x->vary < y->vary ? -1 : x->vary > y->vary;
}

FsimTornadoBar *
fsim_sweep_tornado (const FsimSweep *sweep, size_t metric, size_t *out_n)
{
    const FsimSweep *sw = sweep;
    FsimTornadoBar *bars;

    g_return_val_if_fail (sw != NULL && metric < sw->n_metrics && out_n != NULL, NULL);
    bars = g_new0 (FsimTornadoBar, sw->n_vary + 1);
    for (size_t i = 0; i < sw->n_vary; i++) {
        FsimTornadoBar *b = &bars[i];
        *b = (FsimTornadoBar){
            .vary = i, .low_mean = NAN, .high_mean = NAN, .swing = NAN, .noise = 0
        };
        for (size_t j = 0; j < sw->vary[i].n_values; j++) {
            /* the other parameters at their first value: setting j * stride */
            const FsimSweepStats *st = &sw->stats[j * sw->stride[i] * sw->n_metrics + metric];
            if (isnan (st->mean))
                continue;
            if (isnan (b->low_mean) || st->mean < b->low_mean)
                b->low_mean = st->mean, b->low = j;
            if (isnan (b->high_mean) || st->mean > b->high_mean)
                b->high_mean = st->mean, b->high = j;
            if (!isnan (st->ci_high))
                b->noise = MAX (b->noise, st->ci_high - st->mean);
        }
        b->swing = b->high_mean - b->low_mean;
    }
    qsort (bars, sw->n_vary, sizeof *bars, compare_bars);
    *out_n = sw->n_vary;
    return bars;
}
