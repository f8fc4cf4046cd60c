/* SPDX-License-Identifier: MIT */
/* test-sweep.c: sweep metrics, the grid, its statistics against runs made one by one, tornado. */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib.h>

#include "cli.h"
#include "engine.h"
#include "friends.h"
#include "json-check.h"
#include "loader.h"
#include "policy.h"
#include "population.h"
#include "room.h"
#include "run-util.h"
#include "sweep-report.h"
#include "sweep.h"
#include "test-util.h"

/* The sweep rendered into the room its estimate made (room.h), which it must fit without growing
 * the text (issue 11). */
static char *
render (const FsimSweep *sw, FsimReportFormat f, gssize tornado)
{
    GString *out = g_string_new (NULL);
    g_autoptr (GError) error = NULL;
    guint64 room = fsim_sweep_room (sw);
    g_assert_true (fsim_room_reserve (out, room, "the sweep", &error));
    const char *buffer = out->str;
    fsim_sweep_render (sw, f, tornado, out);
    g_test_message ("%s: %zu bytes of %" G_GUINT64_FORMAT, fsim_report_format_to_string (f),
                    out->len, room);
    g_assert_cmpuint (out->len, <=, room);
    g_assert_true (out->str == buffer);
    return g_string_free (out, FALSE);
}

/*
 * The statistics are checked against runs made here one by one (load with the seed and values,
 * build, run the engine) and a mean, standard deviation and Student-t interval computed by hand,
 * so a sweep that shared a population it should not have, or mixed seeds up, fails.
 */

static char *
scenario (const char *name)
{
    return fsim_test_source_path ("scenarios", name, NULL);
}

/* One run, made without the sweep: the value of @m. */
/* fsim_metric_eval(), which must not fail here */
static double
eval_ok (const FsimMetric *m, const FsimScenario *s, const FsimPopulation *pop, const FsimResult *r)
{
    g_autoptr (GError) error = NULL;
    double v = 0;
    g_assert_true (fsim_metric_eval (m, s, pop, r, &v, &error));
    g_assert_no_error (error);
    return v;
}

/* fsim_accounts_stat(), which must not fail here */
static double
stat_ok (const FsimFriends *f, size_t degree, size_t k, int quantity, int statistic)
{
    g_autoptr (GError) error = NULL;
    double v = 0;
    g_assert_true (fsim_accounts_stat (f, degree, k, quantity, statistic, &v, &error));
    g_assert_no_error (error);
    return v;
}

/* fsim_accounts_friends_of_friends(), which must not fail here */
static size_t
fof_ok (const FsimFriends *f, size_t u)
{
    size_t n = 0;
    g_assert_true (fsim_accounts_friends_of_friends (f, u, &n, NULL));
    return n;
}

static double
run_one (const char *path, const char *const *sets, const FsimMetric *m)
{
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimScenario) s = fsim_test_load (path, sets);
    g_autoptr (FsimPopulation) pop = fsim_population_build (s, &error);
    g_assert_no_error (error);
    g_autoptr (FsimDecisions) d = fsim_decisions_new (s, s->date);
    g_autoptr (FsimResult) r = fsim_engine_run (s, pop, d, &error);
    g_assert_no_error (error);
    return eval_ok (m, s, pop, r);
}

static FsimMetric *
metric (const char *label, const char *text)
{
    g_autoptr (GError) error = NULL;
    FsimMetric *m = fsim_metric_parse (label, text, &error);
    g_assert_no_error (error);
    return m;
}

/* ---- metrics -------------------------------------------------------------------------------- */

static void
test_sweep_metric_eval (void)
{
    g_autoptr (GError) error = NULL;
    g_autofree char *path = scenario ("tour.json");
    g_autoptr (FsimScenario) s = fsim_test_load (path, NULL);
    g_autoptr (FsimPopulation) pop = fsim_population_build (s, &error);
    g_autoptr (FsimDecisions) d = fsim_decisions_new (s, s->date);
    g_autoptr (FsimResult) r = fsim_engine_run (s, pop, d, &error);
    gssize quiz = fsim_scenario_find_partner (s, "quiz");
    gssize likes = fsim_scenario_find_field (s, "profile.likes");

    g_assert_no_error (error);
    g_assert_cmpint (quiz, >=, 0);
    size_t reaching = 0; /* the partners reaching anybody, counted here */
    for (size_t p = 0; p < s->n_partners; p++)
        reaching += r->partner_reached[p] > 0;
    g_assert_cmpuint (reaching, >, 0);
    struct {
        const char *text;
        double want;
    } cases[] = {
        { "users", (double) r->n_users },
        { "users_reached_without_consent", (double) r->users_reached_no_consent },
        { "partners[quiz].users_reached", (double) r->partner_reached[quiz] },
        { "partners[quiz].users", (double) r->partner_users[quiz] },
        { "fields[profile.likes].users_without_consent", (double) r->field_no_consent[likes] },
        { "jurisdictions[GB].users + jurisdictions[XX].users",
          (double) r->jurisdiction_users[0] }, /* sorted: "GB", "US", "device"; XX: none, 0 */
        { "2 * (users - 1) / 4", 2.0 * ((double) r->n_users - 1) / 4 },
        { "-users + 10 - 2 - 3", -(double) r->n_users + 5 },
        { "users / (friendships - friendships)", NAN },
        { "kinds[app].users", (double) r->kind_users[0] },
        { "partners_reaching", (double) reaching },
    };
    g_assert_cmpstr (r->jurisdictions[0], ==, "GB");
    g_assert_cmpstr (r->kinds[0], ==, "app");

    for (size_t i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autoptr (FsimMetric) m = metric (NULL, cases[i].text);
        double got = eval_ok (m, s, pop, r);
        g_assert_true (fsim_metric_check (m, s, NULL));
        if (isnan (cases[i].want))
            g_assert_true (isnan (got));
        else
            g_assert_cmpfloat (got, ==, cases[i].want);
        g_assert_cmpstr (fsim_metric_label (m), ==, cases[i].text);
    }
}

/* partners_reaching on a day when most device partners had ended (1 November 2018): the
 * partners reaching anybody, counted here, fewer than all */
static void
test_sweep_metric_reaching (void)
{
    g_autofree char *path = scenario ("device-partners-2018.json");
    const char *const sets[] = { "population.users=400", "date=2018-11-01",
                                 "population.adoption={\"*\": 0.05}", NULL };
    g_autoptr (FsimScenario) s = fsim_test_load (path, sets);
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimPopulation) pop = fsim_population_build (s, &error);
    g_autoptr (FsimDecisions) d = fsim_decisions_new (s, s->date);
    g_autoptr (FsimResult) r = fsim_engine_run (s, pop, d, &error);
    g_autoptr (FsimMetric) m = metric (NULL, "partners_reaching");
    size_t reaching = 0;

    g_assert_no_error (error);
    for (size_t p = 0; p < s->n_partners; p++)
        reaching += r->partner_reached[p] > 0;
    g_assert_cmpuint (reaching, >, 0);
    g_assert_cmpuint (reaching, <, s->n_partners);
    g_assert_true (fsim_metric_needs_run (m));
    g_assert_cmpfloat (eval_ok (m, s, pop, r), ==, (double) reaching);
}

static void
test_sweep_metric_errors (void)
{
    g_autofree char *path = scenario ("tour.json");
    g_autoptr (FsimScenario) s = fsim_test_load (path, NULL);
    struct {
        const char *text;
        const char *message;
    } cases[] = {
        { "users +", "metric 'users +', column 8: unexpected end" },
        { "(users", "column 7: expected ')'" },
        { "users users", "column 7: unexpected 'u'" },
        { "partners[quiz].reach", "unknown count 'reach' of partners (known: users, "
                                  "users_reached, users_reached_without_consent)" },
        { "people[x].users", "unknown group 'people'" },
        { "partners[].users", "expected 'partners[ID]'" },
        { "partners[quiz]", "expected '.' and a count after 'partners[quiz]'" },
        { "reach", "unknown count 'reach' (known: users, friendships" },
        { "users $ 2", "unexpected '$'" },
        /* issue 11, seventh pass: one byte of 'ü' was quoted ('\uFFFD' on the terminal), and
         * strtod read "0x10" as 16 */
        { "users \u00fc", "metric 'users \u00fc', column 7: unexpected '\u00fc'" },
        { "users + \u00fc", "column 9: unexpected '\u00fc'" },
        { "0x10", "column 1: expected a number (decimal digits, as in 0.5 or 1e3)" },
        { "1e400", "column 1: too large a number" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autoptr (GError) error = NULL;
        g_autoptr (FsimMetric) m = fsim_metric_parse (NULL, cases[i].text, &error);
        g_assert_null (m);
        g_assert_error (error, FSIM_SWEEP_ERROR, FSIM_SWEEP_ERROR_METRIC);
        fsim_assert_contains (error->message, cases[i].message);
    }
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimMetric) m = metric (NULL, "partners[gsr].users / fields[nope].users");
    g_assert_false (fsim_metric_check (m, s, &error));
    g_assert_error (error, FSIM_SWEEP_ERROR, FSIM_SWEEP_ERROR_METRIC);
    fsim_assert_contains (error->message, "unknown partner 'gsr'");

    /* a long metric is quoted in part: 80 characters around the error, "..." where cut */
    g_autoptr (GString) text = g_string_new (NULL);
    for (int i = 0; i < 30; i++)
        g_string_append (text, "users + ");
    g_string_append_c (text, ')');
    g_autoptr (GError) long_error = NULL;
    g_assert_null (fsim_metric_parse (NULL, text->str, &long_error));
    g_assert_cmpstr (long_error->message, ==,
                     "metric '...sers + users + users + users + users + users + users + users + "
                     "users + users + )', column 241: unexpected ')'");
    g_string_assign (text, "");
    for (int i = 0; i < 10; i++)
        g_string_append (text, "partners[gsr].users + ");
    g_string_append (text, "users");
    g_autoptr (FsimMetric) long_metric = metric (NULL, text->str);
    g_autoptr (GError) check_error = NULL;
    g_assert_false (fsim_metric_check (long_metric, s, &check_error));
    g_assert_cmpstr (check_error->message, ==,
                     "metric 'partners[gsr].users + partners[gsr].users + partners[gsr].users + "
                     "partners[gsr]....': unknown partner 'gsr'");
}

/* ---- accounts by number of friends ------------------------------------------------------------ */

/*
 * A graph of seven users worked by hand: 0-1, 0-2, 0-3, 1-2, 1-4, 2-5, 3-6, 4-5.
 * Friends: 0: 3, 1: 3, 2: 3, 3: 2, 4: 2, 5: 2, 6: 1.
 * Friends of friends (distinct, not the account itself): 0: {1,2,4,5,6} 5; 1: {0,2,3,5} 4;
 * 2: {0,1,3,4} 4; 3: {1,2} 2; 6: {0} 1.
 */
static void
test_sweep_accounts_hand (void)
{
    const uint32_t pairs[] = { 0, 1, 0, 2, 0, 3, 1, 2, 1, 4, 2, 5, 3, 6, 4, 5 };
    g_autoptr (GError) error = NULL;
    FsimFriends *f = fsim_friends_new_from_pairs (7, pairs, 8, &error);
    size_t n = 0;

    g_assert_no_error (error);
    /* gap 0: users 3, 4, 5; then gap 1, the lowest number first: 0 */
    g_autofree size_t *near2 = fsim_accounts_nearest (f, 2, 4, &n, NULL);
    const size_t want2[] = { 3, 4, 5, 0 };
    g_assert_cmpmem (near2, n * sizeof (size_t), want2, sizeof want2);
    /* far above every account: the most friends first, then by number */
    g_autofree size_t *near100 = fsim_accounts_nearest (f, 100, 2, &n, NULL);
    const size_t want100[] = { 0, 1 };
    g_assert_cmpmem (near100, n * sizeof (size_t), want100, sizeof want100);
    g_autofree size_t *all = fsim_accounts_nearest (f, 2, 100, &n, NULL);
    g_assert_cmpuint (n, ==, 7);
    g_assert_cmpuint (all[6], ==, 6); /* gap 1: 0, 1, 2, 6 */
    const size_t fof[] = { 5, 4, 4, 2 };
    for (size_t u = 0; u < 4; u++)
        g_assert_cmpuint (fof_ok (f, u), ==, fof[u]);
    g_assert_cmpuint (fof_ok (f, 6), ==, 1);
    /* accounts[3,3] = users 0, 1, 2 */
    g_assert_cmpfloat (stat_ok (f, 3, 3, 0, 0), ==, 3);
    g_assert_cmpfloat (stat_ok (f, 3, 3, 1, 0), ==, 4);
    g_assert_cmpfloat (stat_ok (f, 3, 3, 1, 1), ==, 4);
    g_assert_cmpfloat (stat_ok (f, 3, 3, 1, 2), ==, 5);
    g_assert_cmpfloat_with_epsilon (stat_ok (f, 3, 3, 2, 0), 4.0 / 3, 1e-12);
    g_assert_cmpfloat_with_epsilon (stat_ok (f, 3, 3, 2, 2), 5.0 / 3, 1e-12);
    /* an even number of accounts: the mean of the two middle ones (users 0 and 1: 5 and 4) */
    g_assert_cmpfloat (stat_ok (f, 3, 2, 1, 0), ==, 4.5);
    /* accounts[2,4] = 3, 4, 5, 0: friends 2, 2, 2, 3 */
    g_assert_cmpfloat (stat_ok (f, 2, 4, 0, 2), ==, 3);
    g_assert_cmpfloat (stat_ok (f, 2, 4, 0, 0), ==, 2);
    fsim_friends_free (f);
}

/* The metrics on a generated population, against a brute-force pick and count written here. */
static void
test_sweep_accounts_metric (void)
{
    g_autofree char *path = scenario ("device-partners-2018.json");
    const char *const sets[] = { "population.users=3000", "seed=7", NULL };
    g_autoptr (FsimScenario) s = fsim_test_load (path, sets);
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimPopulation) pop = fsim_population_build (s, &error);
    const FsimFriends *f = pop->friends;
    const size_t target = 150, k = 9;
    size_t best[9], best_gap[9];

    g_assert_no_error (error);
    /* insertion into a sorted list of the k best (gap, user) */
    size_t have = 0;
    for (size_t u = 0; u < f->n_users; u++) {
        size_t d = f->offsets[u + 1] - f->offsets[u], gap = d > target ? d - target : target - d;
        size_t at = have;
        while (at > 0 && best_gap[at - 1] > gap)
            at--;
        if (at >= k)
            continue;
        for (size_t j = MIN (have, k - 1); j > at; j--)
            best[j] = best[j - 1], best_gap[j] = best_gap[j - 1];
        best[at] = u, best_gap[at] = gap;
        have = MIN (have + 1, k);
    }
    double per[9];
    for (size_t i = 0; i < k; i++) {
        g_autoptr (GHashTable) seen = g_hash_table_new (NULL, NULL);
        size_t u = best[i];
        for (size_t a = f->offsets[u]; a < f->offsets[u + 1]; a++)
            for (size_t b = f->offsets[f->adj[a]]; b < f->offsets[f->adj[a] + 1]; b++)
                if (f->adj[b] != u)
                    g_hash_table_add (seen, GSIZE_TO_POINTER ((size_t) f->adj[b] + 1));
        per[i] = (double) g_hash_table_size (seen) / (double) (f->offsets[u + 1] - f->offsets[u]);
    }
    for (size_t i = 1; i < k; i++) /* sort the ratios */
        for (size_t j = i; j > 0 && per[j - 1] > per[j]; j--) {
            double t = per[j];
            per[j] = per[j - 1];
            per[j - 1] = t;
        }
    g_autoptr (FsimMetric) med = metric (NULL, "accounts[150,9].per_friend_median");
    g_autoptr (FsimMetric) lo = metric (NULL, "accounts[150, 9].per_friend_min");
    g_autoptr (FsimMetric) hi = metric ("hi", "accounts[150,9].per_friend_max * friendships / "
                                              "friendships");
    g_assert_true (fsim_metric_check (med, s, NULL));
    g_assert_false (fsim_metric_needs_run (med));
    g_assert_false (fsim_metric_needs_run (hi));
    g_autoptr (FsimMetric) mixed = metric (NULL, "accounts[150,9].friends_min + users_reached");
    g_assert_true (fsim_metric_needs_run (mixed));
    g_assert_cmpfloat_with_epsilon (eval_ok (med, s, pop, NULL), per[4], 1e-12);
    g_assert_cmpfloat_with_epsilon (eval_ok (lo, s, pop, NULL), per[0], 1e-12);
    g_assert_cmpfloat_with_epsilon (eval_ok (hi, s, pop, NULL), per[8], 1e-12);
    g_assert_cmpfloat (per[0], >, 1); /* a real graph: more friends of friends than friends */

    /* a sweep of population metrics builds the populations and runs no flows, with the same
     * numbers as the metric on the population built here */
    FsimMetric *const metrics[] = { med, lo };
    const guint64 seeds[] = { 7, 8 };
    const char *const users[] = { "population.users=3000", NULL };
    FsimSweepOptions o = { .path = path,
                           .sets = users,
                           .seeds = seeds,
                           .n_seeds = 2,
                           .metrics = metrics,
                           .n_metrics = 2 };
    g_autoptr (FsimSweep) sw = fsim_sweep_run (&o, &error);
    g_assert_no_error (error);
    g_assert_true (sw->population_only);
    g_assert_cmpuint (sw->n_populations, ==, 2);
    g_assert_cmpfloat_with_epsilon (sw->values[0], per[4], 1e-12);
    g_assert_cmpfloat_with_epsilon (sw->values[1], per[0], 1e-12);
    g_assert_cmpfloat (sw->values[2], !=, sw->values[0]); /* seed 8: another population */
    g_autofree char *text = render (sw, FSIM_REPORT_TEXT, -1);
    g_autofree char *json = render (sw, FSIM_REPORT_JSON, -1);
    fsim_assert_contains (text, "2, on 2 populations built (the metrics read the population "
                                "alone: no flows run)");
    fsim_assert_contains (json, "\"flows_run\": false");

    const struct {
        const char *text, *message;
    } bad[] = {
        { "accounts[550].per_friend_median", "column 10: expected accounts[DEGREE,K]" },
        { "accounts[550,0].per_friend_median", "K from 1 to 10000" },
        { "accounts[550,10001].friends_min", "K from 1 to 10000" },
        { "accounts[x,5].friends_min", "DEGREE from 0 to 1000000" },
        { "accounts[550,5].per_friend", "unknown count 'per_friend' of accounts (known: "
                                        "friends_median" },
    };
    for (size_t i = 0; i < G_N_ELEMENTS (bad); i++) {
        g_autoptr (GError) e = NULL;
        g_assert_null (fsim_metric_parse (NULL, bad[i].text, &e));
        g_assert_error (e, FSIM_SWEEP_ERROR, FSIM_SWEEP_ERROR_METRIC);
        fsim_assert_contains (e->message, bad[i].message);
    }
}

static void
test_sweep_seeds (void)
{
    size_t n = 0;
    g_autofree guint64 *a = fsim_sweep_parse_seeds ("3-5, 1,4,9", &n, NULL);
    const guint64 want[] = { 3, 4, 5, 1, 9 };

    g_assert_cmpmem (a, n * sizeof (guint64), want, sizeof want);
    const char *bad[] = { "", "5-1", "x", "1-", "-3", "1-2-3", "1,,2", "0-100000" };
    for (size_t i = 0; i < G_N_ELEMENTS (bad); i++) {
        g_autoptr (GError) error = NULL;
        g_assert_null (fsim_sweep_parse_seeds (bad[i], &n, &error));
        g_assert_error (error, FSIM_SWEEP_ERROR, FSIM_SWEEP_ERROR_GRID);
    }
    /* Over 2^53 - 1 the seed is refused as such; 2^64 + 1 used to become 2^64 - 1, a seed the
     * user had not given, named in the error of its run. */
    const char *big[] = { "9007199254740992", "18446744073709551617", "1-9007199254740993" };
    for (size_t i = 0; i < G_N_ELEMENTS (big); i++) {
        g_autoptr (GError) error = NULL;
        g_assert_null (fsim_sweep_parse_seeds (big[i], &n, &error));
        g_assert_error (error, FSIM_SWEEP_ERROR, FSIM_SWEEP_ERROR_GRID);
        g_assert_nonnull (strstr (error->message, "a seed is at most 9007199254740991"));
    }
    g_autofree guint64 *top = fsim_sweep_parse_seeds ("9007199254740991", &n, NULL);
    g_assert_nonnull (top);
    g_assert_cmpuint (top[0], ==, G_GUINT64_CONSTANT (9007199254740991));
}

/* ---- the grid and its statistics ------------------------------------------------------------ */

static const char *const users_500[] = { "population.users=500", NULL };

static void
test_sweep_stats (void)
{
    g_autofree char *path = scenario ("device-partners-2018.json");
    g_autoptr (FsimMetric) m = metric ("huawei", "partners[huawei].users_reached");
    FsimMetric *const metrics[] = { m };
    const guint64 seeds[] = { 11, 12, 13, 14 };
    const char *const vary[] = { "population.mean_degree=20,60", "date=2018-06-01,2018-07-01",
                                 NULL };
    FsimSweepOptions o = { .path = path,
                           .sets = users_500,
                           .seeds = seeds,
                           .n_seeds = 4,
                           .vary = vary,
                           .metrics = metrics,
                           .n_metrics = 1 };
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimSweep) sw = fsim_sweep_run (&o, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (sw->n_settings, ==, 4);
    g_assert_cmpuint (sw->n_runs, ==, 16);
    g_assert_true (sw->vary[0].population);
    g_assert_false (sw->vary[1].population);
    g_assert_cmpuint (sw->n_populations, ==, 8); /* 4 seeds x 2 degrees, shared by the dates */
    for (size_t k = 0; k < sw->n_settings; k++) {
        double v[4], sum = 0, sq = 0;
        for (size_t si = 0; si < 4; si++) {
            g_autofree char *deg = g_strdup_printf (
                "population.mean_degree=%s", sw->vary[0].values[fsim_sweep_value_of (sw, k, 0)]);
            g_autofree char *date =
                g_strdup_printf ("date=%s", sw->vary[1].values[fsim_sweep_value_of (sw, k, 1)]);
            g_autofree char *seed = g_strdup_printf ("seed=%" G_GUINT64_FORMAT, seeds[si]);
            const char *sets[] = { "population.users=500", deg, date, seed, NULL };
            v[si] = run_one (path, sets, m);
            g_assert_cmpfloat (sw->values[k * 4 + si], ==, v[si]);
            sum += v[si];
        }
        double mean = sum / 4;
        for (size_t si = 0; si < 4; si++)
            sq += (v[si] - mean) * (v[si] - mean);
        double sd = sqrt (sq / 3), half = 3.182 * sd / 2; /* t(0.975, 3), sqrt(4) */
        const FsimSweepStats *st = &sw->stats[k];
        g_assert_cmpuint (st->n, ==, 4);
        g_assert_cmpfloat_with_epsilon (st->mean, mean, 1e-9);
        g_assert_cmpfloat_with_epsilon (st->sd, sd, 1e-9);
        g_assert_cmpfloat_with_epsilon (st->ci_low, mean - half, 1e-9);
        g_assert_cmpfloat_with_epsilon (st->ci_high, mean + half, 1e-9);
        g_assert_cmpfloat (st->min, ==, MIN (MIN (v[0], v[1]), MIN (v[2], v[3])));
        g_assert_cmpfloat (st->max, ==, MAX (MAX (v[0], v[1]), MAX (v[2], v[3])));
    }
    /* Huawei's wind-down on 8 June 2018: reach falls to 0 in July at both degrees */
    g_assert_cmpfloat (sw->stats[1].mean, ==, 0);
    g_assert_cmpfloat (sw->stats[3].mean, ==, 0);
    g_assert_cmpfloat (sw->stats[0].mean, >, 0);
}

/* Explicit users do not depend on the seed: one population, no spread. */
static void
test_sweep_explicit (void)
{
    g_autofree char *path = scenario ("tour.json");
    g_autoptr (FsimMetric) m = metric (NULL, "users_reached");
    FsimMetric *const metrics[] = { m };
    const guint64 seeds[] = { 1, 2, 3 };
    FsimSweepOptions o = {
        .path = path, .seeds = seeds, .n_seeds = 3, .metrics = metrics, .n_metrics = 1
    };
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimSweep) sw = fsim_sweep_run (&o, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (sw->n_populations, ==, 1);
    g_assert_cmpfloat (sw->stats[0].sd, ==, 0);
    g_assert_cmpfloat (sw->stats[0].ci_low, ==, sw->stats[0].mean);
    g_assert_cmpfloat (sw->stats[0].mean, ==, run_one (path, NULL, m));
}

/* On a snapshot: one population for every seed and every non-population value, and the note. */
static void
test_sweep_snapshot (void)
{
    g_autofree char *path = scenario ("device-partners-2018.json");
    g_autofree char *dir = fsim_test_scratch_new ();
    g_autofree char *file = g_build_filename (dir, "pop.fsp", NULL);
    g_autoptr (FsimTestRun) saved =
        FSIM_RUN ("population", path, "--set", "population.users=500", "--save", file);
    g_assert_cmpint (saved->status, ==, FSIM_EXIT_OK);
    g_autofree char *only = g_strdup_printf ("population={\"snapshot\": \"%s\"}", file);
    const char *const sets[] = { only, NULL };
    const char *const vary[] = { "date=2018-06-01,2018-07-01", NULL };
    g_autoptr (FsimMetric) m = metric (NULL, "partners[huawei].users_reached");
    FsimMetric *const metrics[] = { m };
    const guint64 seeds[] = { 1, 2, 3 };
    FsimSweepOptions o = { .path = path,
                           .sets = sets,
                           .seeds = seeds,
                           .n_seeds = 3,
                           .vary = vary,
                           .metrics = metrics,
                           .n_metrics = 1 };
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimSweep) sw = fsim_sweep_run (&o, &error);

    g_assert_no_error (error);
    g_assert_true (sw->snapshot);
    g_assert_cmpuint (sw->n_populations, ==, 1);
    g_assert_cmpfloat (sw->stats[0].sd, ==, 0);
    g_assert_cmpfloat (sw->stats[0].mean, >, 0);
    g_assert_cmpfloat (sw->stats[1].mean, ==, 0); /* Huawei's deal ended on 8 June 2018 */
    g_autofree char *text = NULL;
    {
        GString *out = g_string_new (NULL);
        fsim_sweep_render (sw, FSIM_REPORT_TEXT, -1, out);
        text = g_string_free (out, FALSE);
    }
    fsim_assert_contains (text, "the population comes from a snapshot: the seeds do not change it");
    /* a population value on a snapshot is refused */
    const char *const bad_vary[] = { "population.users=400,600", NULL };
    o.vary = bad_vary;
    g_autoptr (GError) e2 = NULL;
    g_autoptr (FsimSweep) none = fsim_sweep_run (&o, &e2);
    g_assert_null (none);
    g_assert_nonnull (e2);
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

/* The same answers on one thread as on several. */
static void
test_sweep_threads (void)
{
    g_autofree char *path = scenario ("device-partners-2018.json");
    const guint64 seeds[] = { 1, 2, 3 };
    const char *const vary[] = { "population.mean_degree=10,30", NULL };
    char *outs[2] = { NULL, NULL };

    for (unsigned t = 1; t <= 2; t++) {
        FsimSweepOptions o = { .path = path,
                               .sets = users_500,
                               .seeds = seeds,
                               .n_seeds = 3,
                               .vary = vary,
                               .n_threads = t };
        g_autoptr (FsimSweep) sw = fsim_sweep_run (&o, NULL);
        g_assert_nonnull (sw);
        g_assert_cmpuint (sw->n_metrics, >, 60); /* the defaults */
        outs[t - 1] = render (sw, FSIM_REPORT_JSON, -1);
    }
    g_assert_cmpstr (outs[0], ==, outs[1]);
    g_free (outs[0]);
    g_free (outs[1]);
}

/* the bundled scenario's claims, all at their defaults: the bars' baseline rests on them */
#define CLAIMS                                                                                     \
    "apple-access=facebook-2018-06 (default); device-partner-status=facebook-service-providers "   \
    "(default)"

static void
test_sweep_tornado (void)
{
    g_autofree char *path = scenario ("device-partners-2018.json");
    g_autoptr (FsimMetric) m = metric (NULL, "users");
    FsimMetric *const metrics[] = { m };
    const guint64 seeds[] = { 1, 2 };
    const char *const vary[] = { "date=2018-06-01,2018-07-01", "population.users=300,800,500",
                                 NULL };
    FsimSweepOptions o = {
        .path = path, .seeds = seeds, .n_seeds = 2, .vary = vary, .metrics = metrics, .n_metrics = 1
    };
    g_autoptr (FsimSweep) sw = fsim_sweep_run (&o, NULL);
    size_t n = 0;
    g_autofree FsimTornadoBar *bars = fsim_sweep_tornado (sw, 0, &n);

    g_assert_cmpuint (n, ==, 2);
    g_assert_cmpuint (bars[0].vary, ==, 1); /* the users move "users"; the date does not */
    g_assert_cmpuint (bars[0].low, ==, 0);
    g_assert_cmpuint (bars[0].high, ==, 1);
    g_assert_cmpfloat (bars[0].swing, ==, 500);
    g_assert_cmpfloat (bars[0].noise, ==, 0);
    g_assert_cmpfloat (bars[1].swing, ==, 0);

    g_autofree char *text = render (sw, FSIM_REPORT_TEXT, 0);
    fsim_assert_contains (text, "Tornado: what moves users most");
    fsim_assert_contains (text, "     1  population.users  300 -> 300.0         800 -> 800.0   "
                                "      500.0    +-0  ########################################\n");
    g_autofree char *csv = render (sw, FSIM_REPORT_CSV, 0);
    g_assert_cmpstr (csv, ==,
                     "rank,metric,parameter,lowest_value,lowest_mean,highest_value,highest_mean,"
                     "swing,noise,claims\r\n"
                     "1,users,population.users,300,300,800,800,500,0," CLAIMS "\r\n"
                     "2,users,date,2018-06-01,300,2018-06-01,300,0,0," CLAIMS "\r\n");

    /* the room holds every format with names of control bytes and invalid UTF-8 */
    static char controls[300], invalid[300];
    memset (controls, '\x1f', sizeof controls - 1);
    memset (invalid, '\xff', sizeof invalid - 1);
    char *kept[] = { sw->vary[0].path, sw->vary[1].values[0], sw->vary[1].values[1] };
    sw->vary[0].path = invalid;
    sw->vary[1].values[0] = controls;
    sw->vary[1].values[1] = invalid;
    for (int f = 0; f < 3; f++)
        for (gssize t = -1; t < 1; t++)
            g_free (render (sw, (FsimReportFormat) f, t));
    sw->vary[0].path = kept[0];
    sw->vary[1].values[0] = kept[1];
    sw->vary[1].values[1] = kept[2];
}

#undef CLAIMS

/* ---- the command line ----------------------------------------------------------------------- */

static void
test_sweep_cli (void)
{
    g_autofree char *path = scenario ("device-partners-2018.json");
    g_autoptr (FsimTestRun) text =
        FSIM_RUN ("sweep", path, "--seeds", "1-3", "--set", "population.users=400", "--vary",
                  "population.settings.platform_off=0,0.5", "--metric", "users_reached", "--metric",
                  "share=partners[huawei].users_reached / users", "--tornado", "share");
    g_assert_cmpint (text->status, ==, FSIM_EXIT_OK);
    fsim_assert_contains (text->out, "flowsim " FSIM_VERSION " sweep\n");
    fsim_assert_contains (text->out, "  Seeds       1-3 (3 seeds)\n");
    fsim_assert_contains (text->out, "  Varied      population.settings.platform_off = 0, 0.5 "
                                     "(changes the population)\n");
    fsim_assert_contains (text->out, "  Runs        6, on 6 populations built\n");
    fsim_assert_contains (text->out, "Setting 2 of 2: population.settings.platform_off=0.5\n");
    fsim_assert_contains (text->out, "Tornado: what moves share most");

    g_autoptr (FsimTestRun) json =
        FSIM_RUN ("sweep", path, "--seeds", "1,2", "--set", "population.users=400", "--metric",
                  "users", "--format", "json");
    g_assert_cmpint (json->status, ==, FSIM_EXIT_OK);
    g_autoptr (GHashTable) doc = json_check_parse (json->out);
    g_assert_nonnull (doc);
    g_assert_cmpstr (g_hash_table_lookup (doc, "seeds[1]"), ==, "2");
    g_assert_cmpstr (g_hash_table_lookup (doc, "settings[0].metrics[0].metric"), ==, "users");
    g_assert_cmpstr (g_hash_table_lookup (doc, "settings[0].metrics[0].mean"), ==, "400");
    g_assert_cmpstr (g_hash_table_lookup (doc, "settings[0].metrics[0].ci95[1]"), ==, "400");

    struct {
        const char *args[4];
        int status;
        const char *message;
    } bad[] = {
        { { "--vary", "x" }, FSIM_EXIT_USAGE, "--vary 'x': expected PATH=VALUE,VALUE,..." },
        { {
              "--vary",
              "date=2018-01-01,",
          },
          FSIM_EXIT_USAGE,
          "value 2 is empty" },
        { { "--metric", "users +" }, FSIM_EXIT_USAGE, "column 8: unexpected end" },
        { { "--tornado", "users" }, FSIM_EXIT_USAGE, "--tornado needs at least one --vary" },
        { { "--seeds", "9-1" }, FSIM_EXIT_USAGE, "a range runs upwards" },
        { { "--vary", "nosuch=1,2" }, FSIM_EXIT_INPUT, "--vary nosuch=1: " },
        { { "--metric", "partners[nobody].users" }, FSIM_EXIT_USAGE, "unknown partner 'nobody'" },
        { { "--format", "svg" }, FSIM_EXIT_USAGE, "unknown format 'svg'" },
    };
    for (size_t i = 0; i < G_N_ELEMENTS (bad); i++) {
        g_autoptr (FsimTestRun) r = FSIM_RUN ("sweep", path, "--set", "population.users=300",
                                              bad[i].args[0], bad[i].args[1]);
        g_assert_cmpint (r->status, ==, bad[i].status);
        g_assert_cmpstr (r->out, ==, "");
        fsim_assert_contains (r->err, bad[i].message);
    }
}

/* A --vary value that can have no effect is warned about once (not once per seed), named as the
 * --vary it came from; the values that can are not. */
static void
test_sweep_no_effect (void)
{
    g_autofree char *tour = fsim_test_source_path ("scenarios", "tour.json", NULL);
    g_autoptr (FsimTestRun) r =
        FSIM_RUN ("sweep", tour, "--seeds", "1,2", "--metric", "users", "--vary",
                  "partners[phoneco].shares=[],[{\"with\":\"broker\",\"fields\":[\"*\"]}]");
    g_assert_cmpint (r->status, ==, FSIM_EXIT_OK);
    g_assert_cmpstr (
        r->err, ==,
        "flowsim: warning: --vary partners[phoneco].shares=[{\"with\":\"broker\","
        "\"fields\":[\"*\"]}]: "
        "share of 'phoneco' with 'broker' never carries anything: 'phoneco' keeps the fields "
        "it shares only on the device, and data kept on a device is never passed on "
        "[share-never-carries]\n");
    g_autoptr (FsimTestRun) quiet = FSIM_RUN ("sweep", tour, "--seeds", "1", "--metric", "users",
                                              "--vary", "date=2014-06-01,2015-06-01");
    g_assert_cmpint (quiet->status, ==, FSIM_EXIT_OK);
    g_assert_cmpstr (quiet->err, ==, "");
    /* a sweep never evaluates the expectations */
    g_autoptr (FsimTestRun) unread =
        FSIM_RUN ("sweep", tour, "--seeds", "1", "--metric", "users", "--set", "expect=[]",
                  "--vary", "date=2014-06-01,2015-06-01");
    g_assert_cmpint (unread->status, ==, FSIM_EXIT_OK);
    g_assert_cmpstr (unread->err, ==,
                     "flowsim: warning: --set expect: only 'flowsim check' evaluates the "
                     "expectations: this override changes nothing here [set-never-read]\n");
    /* nor a --vary of them: said once for the path, not once per value or seed */
    g_autoptr (FsimTestRun) varied =
        FSIM_RUN ("sweep", tour, "--seeds", "1,2", "--metric", "users", "--vary",
                  "expect=[],[{\"id\":\"e1\",\"kind\":\"no_flow\",\"fields\":[\"*\"]}]", "--vary",
                  "date=2014-06-01,2015-06-01");
    g_assert_cmpint (varied->status, ==, FSIM_EXIT_OK);
    g_assert_cmpstr (varied->err, ==,
                     "flowsim: warning: --vary expect: only 'flowsim check' evaluates the "
                     "expectations: this override changes nothing here [set-never-read]\n");
    g_assert_nonnull (strstr (varied->out, "Setting 4 of 4: expect=[{"));
}

/* Issue 11: the sweep's tables, a value per run and metric and a summary per setting and
 * metric, are tried: 100,000 seeds times 20,000 metrics (16 GB of values), in a child whose
 * address space is capped 64 MiB above what it uses, is an out-of-memory error before any run
 * (main's g_new aborted). */
static void
test_sweep_out_of_memory (void)
{
    if (!fsim_test_capped_child ())
        return;
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimMetric) m = fsim_metric_parse (NULL, "users_reached", &error);
    g_assert_no_error (error);
    enum { N_METRICS = 20000, N_SEEDS = 100000 };
    g_autofree FsimMetric **metrics = g_new (FsimMetric *, N_METRICS);
    g_autofree guint64 *seeds = g_new (guint64, N_SEEDS);
    for (size_t i = 0; i < N_METRICS; i++)
        metrics[i] = m;
    for (size_t i = 0; i < N_SEEDS; i++)
        seeds[i] = i + 1;
    g_autofree char *path = fsim_test_source_path ("scenarios", "tour.json", NULL);
    FsimSweepOptions o = { .path = path,
                           .seeds = seeds,
                           .n_seeds = N_SEEDS,
                           .metrics = metrics,
                           .n_metrics = N_METRICS,
                           .n_threads = 1 };
    if (!fsim_test_address_space_cap (64 << 20))
        return;
    g_autoptr (FsimSweep) sw = fsim_sweep_run (&o, &error);
    fsim_test_address_space_uncap ();
    g_assert_null (sw);
    g_assert_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_NOMEM);
    g_assert_cmpstr (error->message, ==,
                     "out of memory: needed 16000000008 bytes for the sweep's values, a run by a "
                     "metric");
}

int
main (int argc, char *argv[])
{
    g_test_init (&argc, &argv, NULL);
    g_test_add_func ("/sweep/metric/eval", test_sweep_metric_eval);
    g_test_add_func ("/sweep/metric/reaching", test_sweep_metric_reaching);
    g_test_add_func ("/sweep/metric/errors", test_sweep_metric_errors);
    g_test_add_func ("/sweep/seeds", test_sweep_seeds);
    g_test_add_func ("/sweep/accounts/hand", test_sweep_accounts_hand);
    g_test_add_func ("/sweep/accounts/metric", test_sweep_accounts_metric);
    g_test_add_func ("/sweep/stats", test_sweep_stats);
    g_test_add_func ("/sweep/explicit", test_sweep_explicit);
    g_test_add_func ("/sweep/threads", test_sweep_threads);
    g_test_add_func ("/sweep/snapshot", test_sweep_snapshot);
    g_test_add_func ("/sweep/tornado", test_sweep_tornado);
    g_test_add_func ("/sweep/cli", test_sweep_cli);
    g_test_add_func ("/sweep/no-effect", test_sweep_no_effect);
    g_test_add_func ("/sweep/out-of-memory", test_sweep_out_of_memory);
    return g_test_run ();
}
