/* SPDX-License-Identifier: MIT */
/* sweep-report.c: a sweep's summaries and tornado as text, JSON or CSV (docs/analysis.md). */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib.h>

#include "claims-report.h"
#include "csv.h"
#include "json-writer.h"
#include "room.h"
#include "sweep-report.h"
#include "table.h"

#define BAR_WIDTH 40

/* ---- numbers ------------------------------------------------------------------------------ */

/* For text: "n/a" for NaN, thousands grouped with one decimal from 100 up, else 4 significant
 * digits (transfer full). */
static char *
fmt_num (double x)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];

    if (isnan (x))
        return g_strdup ("n/a");
    if (fabs (x) < 100)
        return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.4g", x));
    g_ascii_formatd (buf, sizeof buf, "%.1f", fabs (x));
    char *dot = strchr (buf, '.');
    size_t int_len = dot ? (size_t) (dot - buf) : strlen (buf);
    GString *out = g_string_new (x < 0 ? "-" : "");
    for (size_t i = 0; i < int_len; i++) {
        if (i > 0 && (int_len - i) % 3 == 0)
            g_string_append_c (out, ',');
        g_string_append_c (out, buf[i]);
    }
    g_string_append (out, buf + int_len);
    return g_string_free (out, FALSE);
}

/* For JSON and CSV: 10 significant digits, or @nan_text for NaN. */
static void
append_num (GString *out, double x, const char *nan_text)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];

    if (isnan (x) || isinf (x))
        g_string_append (out, nan_text);
    else
        g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.10g", x));
}

static void
jw_num (FsimJsonWriter *w, const char *key, double x)
{
    if (key)
        fsim_jw_key (w, key);
    else
        fsim_jw_item (w);
    append_num (w->out, x, "null");
}

/* "PATH=VALUE, PATH=VALUE" of setting @k (transfer full). */
static char *
setting_text (const FsimSweep *sw, size_t k)
{
    GString *out = g_string_new (NULL);

    for (size_t i = 0; i < sw->n_vary; i++)
        g_string_append_printf (out, "%s%s=%s", i ? ", " : "", sw->vary[i].path,
                                sw->vary[i].values[fsim_sweep_value_of (sw, k, i)]);
    return g_string_free (out, FALSE);
}

/* The alternatives in force in setting @k (one per claim of the sweep's scenario). */
static const size_t *
chosen_of (const FsimSweep *sw, size_t k)
{
    return sw->chosen + k * sw->scenario->n_claims;
}

/* Does setting @k take another alternative than the scenario (with --set and --claim)? */
static gboolean
claims_differ (const FsimSweep *sw, size_t k)
{
    for (size_t c = 0; c < sw->scenario->n_claims; c++)
        if (chosen_of (sw, k)[c] != sw->scenario->claims[c].chosen)
            return TRUE;
    return FALSE;
}

/* "1-20" for consecutive seeds, else the list (transfer full). */
static char *
seeds_text (const FsimSweep *sw)
{
    gboolean run = sw->n_seeds > 2;

    for (size_t i = 1; i < sw->n_seeds && run; i++)
        run = sw->seeds[i] == sw->seeds[i - 1] + 1;
    if (run)
        return g_strdup_printf ("%" G_GUINT64_FORMAT "-%" G_GUINT64_FORMAT " (%zu seeds)",
                                sw->seeds[0], sw->seeds[sw->n_seeds - 1], sw->n_seeds);
    GString *out = g_string_new (NULL);
    for (size_t i = 0; i < sw->n_seeds; i++)
        g_string_append_printf (out, "%s%" G_GUINT64_FORMAT, i ? ", " : "", sw->seeds[i]);
    if (sw->n_seeds > 1)
        g_string_append_printf (out, " (%zu seeds)", sw->n_seeds);
    return g_string_free (out, FALSE);
}

/* ---- text ---------------------------------------------------------------------------------- */

static void
pair (GString *out, const char *key, char *value)
{
    g_autofree char *clean = fsim_text_clean (value);

    g_string_append_printf (out, "  %-12s%s\n", key, clean);
    g_free (value);
}

static void
text_header (const FsimSweep *sw, GString *out)
{
    g_string_append (out, "flowsim " FSIM_VERSION " sweep\n\n");
    pair (out, "Scenario", g_strdup (sw->path ? sw->path : "(the bundled default)"));
    pair (out, "Seeds", seeds_text (sw));
    for (size_t i = 0; i < sw->n_vary; i++) {
        g_autofree char *values = g_strjoinv (", ", sw->vary[i].values);
        pair (out, i ? "" : "Varied",
              g_strdup_printf ("%s = %s%s", sw->vary[i].path, values,
                               sw->vary[i].population ? " (changes the population)" : ""));
    }
    pair (out, "Runs",
          g_strdup_printf ("%zu, on %zu population%s built%s", sw->n_runs, sw->n_populations,
                           sw->n_populations == 1 ? "" : "s",
                           sw->population_only ? " (the metrics read the population alone: "
                                                 "no flows run)"
                                               : ""));
    pair (out, "Interval",
          g_strdup ("95 % confidence interval of the mean over the seeds "
                    "(Student's t)"));
    if (sw->snapshot)
        pair (out, "Note",
              g_strdup ("the population comes from a snapshot: the seeds do not "
                        "change it, so they give the same numbers"));
    fsim_claims_report_text (sw->scenario, out);
    for (size_t k = 0; k < sw->n_settings; k++)
        if (claims_differ (sw, k)) {
            g_string_append (out, "  Some settings below take other alternatives: each says "
                                  "which.\n");
            break;
        }
}

static void
text_setting (const FsimSweep *sw, size_t k, GString *out)
{
    FsimTable t;
    g_autofree char *title = NULL;

    fsim_table_init (
        &t, "lrrrr",
        (const char *const[]){ "metric", "mean", "95 % interval", "min", "max", NULL });
    for (size_t m = 0; m < sw->n_metrics; m++) {
        const FsimSweepStats *st = &sw->stats[k * sw->n_metrics + m];
        char **row = fsim_table_row (&t);
        g_autofree char *lo = fmt_num (st->ci_low), *hi = fmt_num (st->ci_high);
        row[0] = fsim_text_clean (fsim_metric_label (sw->metrics[m]));
        row[1] = fmt_num (st->mean);
        row[2] = isnan (st->ci_low) ? g_strdup ("n/a") : g_strdup_printf ("%s .. %s", lo, hi);
        row[3] = fmt_num (st->min);
        row[4] = fmt_num (st->max);
    }
    if (sw->n_vary == 0) {
        title = g_strdup ("\n");
    } else {
        g_autofree char *values = setting_text (sw, k);
        g_autofree char *claims = NULL;
        if (claims_differ (sw, k)) {
            g_autofree char *cell =
                fsim_claims_report_csv_cell_with (sw->scenario, chosen_of (sw, k));
            g_autofree char *clean = fsim_text_clean (cell);
            claims = g_strdup_printf ("  claims in force: %s\n", clean);
        }
        title = g_strdup_printf ("\nSetting %zu of %zu: %s\n%s", k + 1, sw->n_settings, values,
                                 claims ? claims : "");
    }
    fsim_table_finish (&t, title, out);
}

static void
text_tornado (const FsimSweep *sw, size_t metric, GString *out)
{
    size_t n = 0;
    g_autofree FsimTornadoBar *bars = fsim_sweep_tornado (sw, metric, &n);
    double widest = n > 0 && !isnan (bars[0].swing) ? bars[0].swing : 0;
    g_autofree char *label = fsim_text_clean (fsim_metric_label (sw->metrics[metric]));
    g_autofree char *title = g_strdup_printf (
        "\nTornado: what moves %s most (each parameter over its values, the others at their "
        "first value; swing: highest mean - lowest; noise: the widest half-interval along it)\n",
        label);
    FsimTable t;

    fsim_table_init (&t, "rlllrrl",
                     (const char *const[]){ "rank", "parameter", "lowest", "highest", "swing",
                                            "noise", "", NULL });
    for (size_t i = 0; i < n; i++) {
        const FsimTornadoBar *b = &bars[i];
        const FsimSweepVary *v = &sw->vary[b->vary];
        g_autofree char *lo = fmt_num (b->low_mean), *hi = fmt_num (b->high_mean);
        g_autofree char *noise = fmt_num (b->noise);
        char **row = fsim_table_row (&t);
        size_t len =
            widest > 0 && !isnan (b->swing) ? (size_t) lround (BAR_WIDTH * b->swing / widest) : 0;
        row[0] = g_strdup_printf ("%zu", i + 1);
        row[1] = fsim_text_clean (v->path);
        row[2] = g_strdup_printf ("%s -> %s", v->values[b->low], lo);
        row[3] = g_strdup_printf ("%s -> %s", v->values[b->high], hi);
        row[4] = fmt_num (b->swing);
        row[5] = g_strdup_printf ("+-%s", noise);
        row[6] = g_strnfill (len, '#');
        for (int c = 2; c < 4; c++) {
            char *clean = fsim_text_clean (row[c]);
            g_free (row[c]);
            row[c] = clean;
        }
    }
    fsim_table_finish (&t, title, out);
}

/* ---- JSON ---------------------------------------------------------------------------------- */

static void
json_stats (FsimJsonWriter *w, const FsimSweep *sw, const FsimSweepStats *st, size_t m)
{
    fsim_jw_item (w);
    fsim_jw_open (w, '{');
    fsim_jw_str (w, "metric", fsim_metric_label (sw->metrics[m]));
    fsim_jw_uint (w, "n", st->n);
    jw_num (w, "mean", st->mean);
    jw_num (w, "sd", st->sd);
    fsim_jw_key (w, "ci95");
    fsim_jw_open (w, '[');
    jw_num (w, NULL, st->ci_low);
    jw_num (w, NULL, st->ci_high);
    fsim_jw_close (w, ']');
    jw_num (w, "min", st->min);
    jw_num (w, "max", st->max);
    fsim_jw_close (w, '}');
}

static void
json_tornado (FsimJsonWriter *w, const FsimSweep *sw, size_t metric)
{
    size_t n = 0;
    g_autofree FsimTornadoBar *bars = fsim_sweep_tornado (sw, metric, &n);

    fsim_jw_key (w, "tornado");
    fsim_jw_open (w, '{');
    fsim_jw_str (w, "metric", fsim_metric_label (sw->metrics[metric]));
    fsim_jw_key (w, "bars");
    fsim_jw_open (w, '[');
    for (size_t i = 0; i < n; i++) {
        const FsimSweepVary *v = &sw->vary[bars[i].vary];
        fsim_jw_item (w);
        fsim_jw_open (w, '{');
        fsim_jw_str (w, "parameter", v->path);
        fsim_jw_str (w, "lowest_value", v->values[bars[i].low]);
        jw_num (w, "lowest_mean", bars[i].low_mean);
        fsim_jw_str (w, "highest_value", v->values[bars[i].high]);
        jw_num (w, "highest_mean", bars[i].high_mean);
        jw_num (w, "swing", bars[i].swing);
        jw_num (w, "noise", bars[i].noise);
        fsim_jw_close (w, '}');
    }
    fsim_jw_close (w, ']');
    fsim_jw_close (w, '}');
}

static void
json_header (FsimJsonWriter *w, const FsimSweep *sw)
{
    fsim_jw_str (w, "flowsim", FSIM_VERSION);
    fsim_jw_str (w, "scenario", sw->path);
    fsim_jw_key (w, "seeds");
    fsim_jw_open (w, '[');
    for (size_t i = 0; i < sw->n_seeds; i++) {
        fsim_jw_item (w);
        g_string_append_printf (w->out, "%" G_GUINT64_FORMAT, sw->seeds[i]);
    }
    fsim_jw_close (w, ']');
    fsim_jw_key (w, "vary");
    fsim_jw_open (w, '[');
    for (size_t i = 0; i < sw->n_vary; i++) {
        fsim_jw_item (w);
        fsim_jw_open (w, '{');
        fsim_jw_str (w, "path", sw->vary[i].path);
        fsim_jw_key (w, "values");
        fsim_jw_open (w, '[');
        for (size_t j = 0; j < sw->vary[i].n_values; j++)
            fsim_jw_elem (w, sw->vary[i].values[j]);
        fsim_jw_close (w, ']');
        fsim_jw_bool (w, "changes_population", sw->vary[i].population);
        fsim_jw_close (w, '}');
    }
    fsim_jw_close (w, ']');
    fsim_jw_uint (w, "runs", sw->n_runs);
    fsim_jw_uint (w, "populations_built", sw->n_populations);
    fsim_jw_bool (w, "flows_run", !sw->population_only);
    fsim_jw_bool (w, "snapshot", sw->snapshot);
    fsim_jw_str (w, "interval", "95% confidence interval of the mean over the seeds (Student's t)");
    fsim_claims_report_json (w, sw->scenario);
}

static void
render_json (const FsimSweep *sw, gssize tornado, GString *out)
{
    FsimJsonWriter w = { .out = out };

    fsim_jw_open (&w, '{');
    json_header (&w, sw);
    fsim_jw_key (&w, "settings");
    fsim_jw_open (&w, '[');
    for (size_t k = 0; k < sw->n_settings; k++) {
        fsim_jw_item (&w);
        fsim_jw_open (&w, '{');
        fsim_jw_key (&w, "values");
        fsim_jw_open (&w, '{');
        for (size_t i = 0; i < sw->n_vary; i++)
            fsim_jw_str (&w, sw->vary[i].path, sw->vary[i].values[fsim_sweep_value_of (sw, k, i)]);
        fsim_jw_close (&w, '}');
        fsim_jw_key (&w, "claims_in_force"); /* claim id: alternative id, in this setting */
        fsim_jw_open (&w, '{');
        for (size_t c = 0; c < sw->scenario->n_claims; c++)
            fsim_jw_str (&w, sw->scenario->claims[c].id,
                         sw->scenario->claims[c].alternatives[chosen_of (sw, k)[c]].id);
        fsim_jw_close (&w, '}');
        fsim_jw_key (&w, "metrics");
        fsim_jw_open (&w, '[');
        for (size_t m = 0; m < sw->n_metrics; m++)
            json_stats (&w, sw, &sw->stats[k * sw->n_metrics + m], m);
        fsim_jw_close (&w, ']');
        fsim_jw_close (&w, '}');
    }
    fsim_jw_close (&w, ']');
    if (tornado >= 0)
        json_tornado (&w, sw, (size_t) tornado);
    fsim_jw_close (&w, '}');
    g_string_append_c (out, '\n');
}

/* ---- CSV ----------------------------------------------------------------------------------- */

static void
render_csv (const FsimSweep *sw, GString *out)
{
    g_string_append (out, "setting");
    for (size_t i = 0; i < sw->n_vary; i++) {
        g_string_append_c (out, ',');
        fsim_csv_cell (out, sw->vary[i].path);
    }
    g_string_append (out, ",metric,n,mean,sd,ci95_low,ci95_high,min,max");
    g_string_append (out, sw->scenario->n_claims ? ",claims\r\n" : "\r\n");
    for (size_t k = 0; k < sw->n_settings; k++) {
        g_autofree char *claims =
            sw->scenario->n_claims
                ? fsim_claims_report_csv_cell_with (sw->scenario, chosen_of (sw, k))
                : NULL;
        for (size_t m = 0; m < sw->n_metrics; m++) {
            const FsimSweepStats *st = &sw->stats[k * sw->n_metrics + m];
            const double v[] = { st->mean, st->sd, st->ci_low, st->ci_high, st->min, st->max };
            g_string_append_printf (out, "%zu", k + 1);
            for (size_t i = 0; i < sw->n_vary; i++) {
                g_string_append_c (out, ',');
                fsim_csv_cell (out, sw->vary[i].values[fsim_sweep_value_of (sw, k, i)]);
            }
            g_string_append_c (out, ',');
            fsim_csv_cell (out, fsim_metric_label (sw->metrics[m]));
            g_string_append_printf (out, ",%zu", st->n);
            for (size_t j = 0; j < G_N_ELEMENTS (v); j++) {
                g_string_append_c (out, ',');
                append_num (out, v[j], "");
            }
            if (claims) {
                g_string_append_c (out, ',');
                fsim_csv_cell (out, claims);
            }
            g_string_append (out, "\r\n");
        }
    }
}

static void
render_csv_tornado (const FsimSweep *sw, size_t metric, GString *out)
{
    size_t n = 0;
    g_autofree FsimTornadoBar *bars = fsim_sweep_tornado (sw, metric, &n);

    /* claims: those of the baseline (setting 1: every parameter at its first value) */
    g_autofree char *claims =
        sw->scenario->n_claims ? fsim_claims_report_csv_cell_with (sw->scenario, sw->chosen) : NULL;
    g_string_append (out, "rank,metric,parameter,lowest_value,lowest_mean,highest_value,"
                          "highest_mean,swing,noise");
    g_string_append (out, claims ? ",claims\r\n" : "\r\n");
    for (size_t i = 0; i < n; i++) {
        const FsimSweepVary *v = &sw->vary[bars[i].vary];
        g_string_append_printf (out, "%zu,", i + 1);
        fsim_csv_cell (out, fsim_metric_label (sw->metrics[metric]));
        g_string_append_c (out, ',');
        fsim_csv_cell (out, v->path);
        g_string_append_c (out, ',');
        fsim_csv_cell (out, v->values[bars[i].low]);
        g_string_append_c (out, ',');
        append_num (out, bars[i].low_mean, "");
        g_string_append_c (out, ',');
        fsim_csv_cell (out, v->values[bars[i].high]);
        const double rest[] = { bars[i].high_mean, bars[i].swing, bars[i].noise };
        for (size_t j = 0; j < G_N_ELEMENTS (rest); j++) {
            g_string_append_c (out, ',');
            append_num (out, rest[j], "");
        }
        if (claims) {
            g_string_append_c (out, ',');
            fsim_csv_cell (out, claims);
        }
        g_string_append (out, "\r\n");
    }
}

/**
 * fsim_sweep_render:
 * See sweep-report.h.
 */
void
fsim_sweep_render (const FsimSweep *sweep, FsimReportFormat format, gssize tornado, GString *out)
{
    g_return_if_fail (sweep != NULL && out != NULL);
    g_return_if_fail (tornado < (gssize) sweep->n_metrics);

    if (format == FSIM_REPORT_JSON) {
        render_json (sweep, tornado, out);
    } else if (format == FSIM_REPORT_CSV) {
        if (tornado >= 0)
            render_csv_tornado (sweep, (size_t) tornado, out);
        else
            render_csv (sweep, out);
    } else {
        text_header (sweep, out);
        for (size_t k = 0; k < sweep->n_settings; k++)
            text_setting (sweep, k, out);
        if (tornado >= 0)
            text_tornado (sweep, (size_t) tornado, out);
    }
}

/* ---- the room the text takes (room.h) ------------------------------------------------------ */

/* A number as any format writes it: the metrics count users (at most 2^32), so 64 bytes hold
 * the text's grouped digits, JSON's %.17g and "n/a". */
#define ROOM_NUMBER 64

/* The claims cell of any setting (fsim_claims_report_csv_cell_with(), cleaned or escaped): each
 * claim's id and two alternatives' ids at the widest. */
static guint64
room_claims_cell (const FsimScenario *s)
{
    guint64 bytes = 16;
    for (size_t c = 0; c < s->n_claims; c++) {
        guint64 widest = 0;
        for (size_t a = 0; a < s->claims[c].n_alternatives; a++)
            widest = MAX (widest, fsim_room_json (s->claims[c].alternatives[a].id));
        bytes += fsim_room_json (s->claims[c].id) + 2 * widest + 48;
    }
    return bytes;
}

guint64
fsim_sweep_room (const FsimSweep *sw)
{
    g_return_val_if_fail (sw != NULL, 0);
    const FsimScenario *s = sw->scenario;
    guint64 claims = room_claims_cell (s);
    guint64 bytes = 8192 + 2 * fsim_room_json (sw->path) + fsim_claims_room_report (s) +
                    (guint64) sw->n_seeds * 24;
    guint64 labels = 0, widest_label = 0, widest_value = 0;
    for (size_t m = 0; m < sw->n_metrics; m++) {
        guint64 label = fsim_room_json (fsim_metric_label (sw->metrics[m]));
        labels += label;
        widest_label = MAX (widest_label, label);
    }
    for (size_t i = 0; i < sw->n_vary; i++) {
        bytes += 2 * fsim_room_json (sw->vary[i].path) + 128;
        for (size_t j = 0; j < sw->vary[i].n_values; j++) {
            guint64 value = fsim_room_json (sw->vary[i].values[j]);
            bytes += value + 8;
            widest_value = MAX (widest_value, value);
        }
        /* a tornado bar: the path, two values with their means, the bar, the claims cell */
        bytes += fsim_room_json (sw->vary[i].path) + 2 * widest_value + 8 * ROOM_NUMBER +
                 BAR_WIDTH + claims + 512 + 2 * widest_label;
    }
    for (size_t k = 0; k < sw->n_settings; k++) {
        guint64 values = 0; /* setting k's values with their paths, in any of the forms */
        for (size_t i = 0; i < sw->n_vary; i++)
            values += fsim_room_json (sw->vary[i].path) +
                      fsim_room_json (sw->vary[i].values[fsim_sweep_value_of (sw, k, i)]) + 16;
        /* its title or object, then per metric a row: the widest label (text pads to it), the
         * label, six numbers and n, keys and indentation, and CSV's values and claims again */
        bytes += values + claims + 256 + s->n_claims * 16;
        bytes +=
            (guint64) sw->n_metrics * (widest_label + 8 * ROOM_NUMBER + 512 + values + claims) +
            labels;
    }
    return bytes;
}
