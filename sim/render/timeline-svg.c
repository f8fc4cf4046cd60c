/* SPDX-License-Identifier: MIT */
/* timeline-svg.c: a timeline as an SVG step chart (by jurisdiction, partner kind, partner). */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib.h>

#include "svg.h"
#include "table.h"
#include "timeline.h"

/*
 * Drawn so that a reader cannot be misled (docs/diagrams.md, "The timeline"):
 *  - step lines: a value holds from its date to the next one, so a cut-off is a drop, not a
 *    slope between two samples;
 *  - one colour per entity (a jurisdiction, a kind, a partner) in every panel, and "all
 *    partners" black;
 *  - series that coincide stay visible: each has a marker shape of its own, drawn at a
 *    different subset of the dates (series k at dates i with i % n == k), and its name at the
 *    end of its line (names pushed apart where lines end together);
 *  - every policy change is a numbered vertical line; the numbers sit in rows above the charts
 *    (a new row where they would touch) and a key below gives each one's date and text.
 */

#define WIDTH 960.0
#define PANEL_HEIGHT 250.0
#define LEFT 78.0
#define RIGHT 200.0
#define BOTTOM 40.0
#define MAX_SERIES 8
#define MAX_X_LABELS 8
#define MAX_POINT_MARKS 240
#define MARK_ROW 18.0
#define KEY_ROW 17.0
#define NAME_GAP 14.0

/* Tableau 10: an entity's colour is its place in the list of every entity drawn. */
static const char *const palette[] = {
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
};
#define ALL_COLOUR "#252525"

typedef struct {
    char *name;               /* plain words, as drawn */
    const size_t *users, *nc; /* [t * stride]; nc nullable (no dashed line) */
    size_t stride;
    const char *colour;
    size_t peak;
    size_t order; /* place among the panel's series: the dates of its markers */
    size_t shape; /* the entity's marker shape, the same in every panel */
} Series;

typedef struct {
    const FsimTimeline *t;
    double top; /* of the plot area */
    double plot_w, plot_h;
    double ymax;
} Panel;

/* What one panel draws: groups @names with counts [t * n + g], and "all partners" [t]. */
typedef struct {
    const char *title;
    const char *axis; /* the y axis's label */
    char **names;
    size_t n;
    const size_t *users, *nc;   /* nc nullable */
    const size_t *all, *all_nc; /* nullable */
    const gboolean *pick;       /* (nullable) only the groups g with pick[g] */
    const char *prefix;         /* colour key prefix: "j:", "k:" or "p:" */
} PanelData;

typedef struct {
    const FsimTimeline *t;
    GHashTable *colours; /* "k:kind" -> its place among all entities + 1 */
    double marks_top;    /* the numbered event markers */
    size_t *event_row;   /* [event] */
    size_t n_rows;
} Chart;

static double
x_of (const Panel *p, FsimDay day)
{
    const FsimTimeline *t = p->t;
    if (t->to == t->from)
        return LEFT + p->plot_w / 2;
    return LEFT + p->plot_w * (double) (day - t->from) / (double) (t->to - t->from);
}

static double
y_of (const Panel *p, size_t v)
{
    return p->top + p->plot_h - p->plot_h * (double) v / p->ymax;
}

/* The top of the y axis: four equal whole steps of 1, 2, 2.5 or 5 times a power of ten
 * (2.5 only from 10 up, so that every tick is a whole number), at least @v. */
static double
nice_ceiling (double v)
{
    double step = 1, base = 1, quarter = v / 4;
    while (base * 10 <= quarter)
        base *= 10;
    if (quarter <= 1)
        step = 1;
    else if (quarter <= base)
        step = base;
    else if (quarter <= 2 * base)
        step = 2 * base;
    else if (quarter <= 2.5 * base && base >= 10)
        step = 2.5 * base;
    else if (quarter <= 5 * base)
        step = 5 * base;
    else
        step = 10 * base;
    return 4 * step;
}

static void
attr_num (GString *out, const char *name, double v)
{
    g_string_append_printf (out, " %s=\"", name);
    fsim_svg_number (out, v);
    g_string_append_c (out, '"');
}

static void
text_at (GString *out, double x, double y, const char *anchor, const char *extra, const char *text)
{
    g_string_append (out, "<text");
    attr_num (out, "x", x);
    attr_num (out, "y", y);
    g_string_append_printf (out, " text-anchor=\"%s\"%s>", anchor, extra ? extra : "");
    fsim_markup_append (out, text);
    g_string_append (out, "</text>\n");
}

static void
line (GString *out, double x1, double y1, double x2, double y2, const char *stroke,
      const char *extra)
{
    g_string_append (out, "<line");
    attr_num (out, "x1", x1);
    attr_num (out, "y1", y1);
    attr_num (out, "x2", x2);
    attr_num (out, "y2", y2);
    g_string_append_printf (out, " stroke=\"%s\"%s/>\n", stroke, extra ? extra : "");
}

/* A name in plain words: "device_maker" -> "device maker", "device" (jurisdiction) ->
 * "on the device", cleaned and cut to @max characters (transfer full). */
static char *
plain_name (const char *name, gboolean jurisdiction, size_t max)
{
    if (jurisdiction && strcmp (name, "device") == 0)
        return g_strdup ("on the device");
    char *clean = fsim_text_clean (name);
    g_strdelimit (clean, "_", ' ');
    return fsim_text_truncate (clean, max);
}

/* The entity's place among all those drawn: its colour and marker shape. */
static size_t
entity_of (const Chart *c, const char *prefix, const char *name)
{
    g_autofree char *key = g_strconcat (prefix, name, NULL);
    size_t found = GPOINTER_TO_SIZE (g_hash_table_lookup (c->colours, key));
    return found ? found - 1 : 0;
}

/* ---- axes, events ---- */

static void
axes (const Panel *p, const PanelData *d, GString *out)
{
    const FsimTimeline *t = p->t;
    size_t every = (t->n_points + MAX_X_LABELS - 1) / MAX_X_LABELS;
    for (int i = 0; i <= 4; i++) {
        double v = p->ymax * i / 4, y = p->top + p->plot_h - p->plot_h * i / 4;
        g_autofree char *label = fsim_fmt_count ((size_t) llround (v));
        line (out, LEFT, y, LEFT + p->plot_w, y, "#e0e0e0", NULL);
        text_at (out, LEFT - 6, y + 4, "end", NULL, label);
    }
    line (out, LEFT, p->top + p->plot_h, LEFT + p->plot_w, p->top + p->plot_h, "#636363", NULL);
    for (size_t i = 0; i < t->n_points; i += MAX (every, (size_t) 1)) {
        g_autofree char *date = fsim_day_format (t->days[i]);
        if (t->step.months && t->step.count % 12 == 0)
            date[4] = '\0';
        else if (t->step.months)
            date[7] = '\0';
        double x = x_of (p, t->days[i]);
        line (out, x, p->top + p->plot_h, x, p->top + p->plot_h + 4, "#636363", NULL);
        text_at (out, x, p->top + p->plot_h + 16, "middle", NULL, date);
    }
    g_autoptr (GString) rotate = g_string_new (" fill=\"#525252\" transform=\"rotate(-90 ");
    double cx = 18, cy = p->top + p->plot_h / 2;
    fsim_svg_number (rotate, cx);
    g_string_append_c (rotate, ' ');
    fsim_svg_number (rotate, cy);
    g_string_append (rotate, ")\"");
    text_at (out, cx, cy, "middle", rotate->str, d->axis);
}

/* The dotted line of each policy change across a panel. */
static void
event_lines (const Panel *p, GString *out)
{
    const FsimTimeline *t = p->t;
    for (size_t i = 0; i < t->n_events; i++) {
        double x = x_of (p, t->events[i].day);
        line (out, x, p->top, x, p->top + p->plot_h, "#969696", " stroke-dasharray=\"2,3\"");
    }
}

/* One number in a dark circle, at (@x, @y). */
static void
event_mark (GString *out, double x, double y, size_t number)
{
    g_autofree char *n = g_strdup_printf ("%zu", number);
    g_string_append (out, "<circle r=\"7.5\" fill=\"#525252\"");
    attr_num (out, "cx", x);
    attr_num (out, "cy", y);
    g_string_append (out, "/>\n");
    text_at (out, x, y + 3.5, "middle", " font-size=\"10\" fill=\"#ffffff\" font-weight=\"bold\"",
             n);
}

/* Places the numbered markers in rows, a new row wherever one would touch the one before. */
static void
place_events (Chart *c, double plot_w)
{
    const FsimTimeline *t = c->t;
    Panel p = { t, 0, plot_w, 1, 1 };
    g_autofree double *row_end = g_new (double, t->n_events + 1);
    c->event_row = g_new0 (size_t, t->n_events + 1);
    c->n_rows = 0;
    for (size_t i = 0; i < t->n_events; i++) {
        double x = x_of (&p, t->events[i].day);
        size_t r = 0;
        while (r < c->n_rows && row_end[r] > x - 17)
            r++;
        if (r == c->n_rows)
            c->n_rows++;
        row_end[r] = x;
        c->event_row[i] = r;
    }
}

static void
event_marks (const Chart *c, double plot_w, double first_plot_top, GString *out)
{
    const FsimTimeline *t = c->t;
    Panel p = { t, 0, plot_w, 1, 1 };
    for (size_t i = 0; i < t->n_events; i++) {
        double x = x_of (&p, t->events[i].day);
        double y = c->marks_top + 9 + MARK_ROW * (double) c->event_row[i];
        line (out, x, y + 7.5, x, first_plot_top - 26, "#969696", " stroke-dasharray=\"2,3\"");
        event_mark (out, x, y, i + 1);
    }
}

/* The key: one row per change, its number, date and what changed. */
static void
event_key (const FsimTimeline *t, double top, GString *out)
{
    if (t->n_events == 0)
        return;
    text_at (out, LEFT, top + 12, "start", " font-weight=\"bold\"", "Policy changes");
    for (size_t i = 0; i < t->n_events; i++) {
        double y = top + 20 + KEY_ROW * (double) i;
        g_autofree char *date = fsim_day_format (t->events[i].day);
        g_autofree char *what = fsim_text_truncate (fsim_text_clean (t->events[i].what), 120);
        g_autofree char *text = g_strdup_printf ("%s  %s", date, what);
        event_mark (out, LEFT + 8, y + 8, i + 1);
        text_at (out, LEFT + 22, y + 12, "start", NULL, text);
    }
}

/* ---- series ---- */

/* Points of a step line: each value holds until the next date. */
static void
step_points (const Panel *p, const Series *s, const size_t *values, GString *out)
{
    const FsimTimeline *t = p->t;
    for (size_t i = 0; i < t->n_points; i++) {
        double x = x_of (p, t->days[i]), y = y_of (p, values[i * s->stride]);
        if (i > 0) {
            g_string_append_c (out, ' ');
            fsim_svg_number (out, x);
            g_string_append_c (out, ',');
            fsim_svg_number (out, y_of (p, values[(i - 1) * s->stride]));
            g_string_append_c (out, ' ');
        }
        fsim_svg_number (out, x);
        g_string_append_c (out, ',');
        fsim_svg_number (out, y);
    }
}

static void
polyline (const Panel *p, const Series *s, const size_t *values, gboolean dashed, GString *out)
{
    g_string_append_printf (out,
                            "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"%s\"%s "
                            "points=\"",
                            s->colour, dashed ? "1.5" : "2.2",
                            dashed ? " stroke-dasharray=\"5,3\"" : "");
    step_points (p, s, values, out);
    g_string_append (out, "\"><title>");
    fsim_markup_append_printf (out, "%s, %s", s->name,
                               dashed ? "users reached without consent" : "users reached");
    g_string_append (out, "</title></polyline>\n");
}

/* A marker of shape @shape (the series' place) centred on (@x, @y). */
static void
marker (GString *out, size_t shape, double x, double y, const char *colour)
{
    static const char *const shapes[] = {
        "M-4,0a4,4 0 1,0 8,0a4,4 0 1,0 -8,0z", /* circle */
        "M-3.5,-3.5h7v7h-7z",                  /* square */
        "M0,-4.5l4.5,8h-9z",                   /* triangle */
        "M0,-5l5,5l-5,5l-5,-5z",               /* diamond */
        "M0,4.5l4.5,-8h-9z",                   /* triangle down */
        "M-4,-1.5h8v3h-8zM-1.5,-4h3v8h-3z",    /* plus */
    };
    g_string_append_printf (out,
                            "<path fill=\"%s\" stroke=\"#ffffff\" stroke-width=\"0.8\" d=\"%s\"",
                            colour, shapes[shape % G_N_ELEMENTS (shapes)]);
    g_autoptr (GString) move = g_string_new (NULL);
    fsim_svg_number (move, x);
    g_string_append_c (move, ',');
    fsim_svg_number (move, y);
    g_string_append_printf (out, " transform=\"translate(%s)\">", move->str);
}

static void
marks (const Panel *p, const Series *s, size_t n_series, GString *out)
{
    const FsimTimeline *t = p->t;
    if (t->n_points > MAX_POINT_MARKS)
        return;
    for (size_t i = 0; i < t->n_points; i++) {
        if (n_series > 1 && i % n_series != s->order && i + 1 != t->n_points)
            continue;
        g_autofree char *date = fsim_day_format (t->days[i]);
        marker (out, s->shape, x_of (p, t->days[i]), y_of (p, s->users[i * s->stride]), s->colour);
        g_string_append (out, "<title>");
        if (s->nc)
            fsim_markup_append_printf (out, "%s %s: %zu users reached, %zu without consent", date,
                                       s->name, s->users[i * s->stride], s->nc[i * s->stride]);
        else
            fsim_markup_append_printf (out, "%s %s: %zu", date, s->name, s->users[i * s->stride]);
        g_string_append (out, "</title></path>\n");
    }
}

static int
compare_double (gconstpointer a, gconstpointer b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

/* Each series' name at the end of its line, moved apart where lines end close together. */
static void
end_names (const Panel *p, const Series *series, size_t n, size_t hidden, GString *out)
{
    const FsimTimeline *t = p->t;
    size_t last = t->n_points - 1;
    g_autofree double *pos = g_new (double, 2 * n + 1); /* (y, index) pairs, sorted by y */
    double x = LEFT + p->plot_w + 26, bottom = p->top + p->plot_h;
    for (size_t i = 0; i < n; i++) {
        pos[2 * i] = y_of (p, series[i].users[last * series[i].stride]);
        pos[2 * i + 1] = (double) i;
    }
    qsort (pos, n, 2 * sizeof (double), compare_double);
    for (size_t i = 1; i < n; i++)
        pos[2 * i] = MAX (pos[2 * i], pos[2 * (i - 1)] + NAME_GAP);
    if (n > 0 && pos[2 * (n - 1)] > bottom) /* pushed below the plot: move the stack up */
        for (size_t i = n; i-- > 0;)
            pos[2 * i] = i + 1 == n ? bottom : MIN (pos[2 * i], pos[2 * (i + 1)] - NAME_GAP);
    for (size_t i = 0; i < n; i++) {
        const Series *s = &series[(size_t) pos[2 * i + 1]];
        marker (out, s->shape, x + 4, pos[2 * i], s->colour);
        g_string_append (out, "</path>\n");
        text_at (out, x + 13, pos[2 * i] + 4, "start", NULL, s->name);
    }
    if (hidden > 0) {
        g_autofree char *more = g_strdup_printf ("(%zu more not drawn)", hidden);
        text_at (out, x, p->top + p->plot_h + 18, "start", " fill=\"#737373\"", more);
    }
}

static int
compare_peaks (gconstpointer a, gconstpointer b)
{
    const Series *x = a, *y = b;
    if (x->peak != y->peak)
        return x->peak > y->peak ? -1 : 1;
    return strcmp (x->name, y->name);
}

static void
series_clear (gpointer data)
{
    g_free (((Series *) data)->name);
}

/* The series of one panel: "all partners" first (if given), then the largest groups. */
static GArray *
pick_series (const Chart *c, const PanelData *d, size_t *out_hidden)
{
    const FsimTimeline *t = c->t;
    size_t n = d->n, candidates = 0;
    g_autoptr (GArray) groups = g_array_new (FALSE, FALSE, sizeof (Series));
    GArray *chosen = g_array_new (FALSE, FALSE, sizeof (Series));
    g_array_set_clear_func (groups, series_clear);
    g_array_set_clear_func (chosen, series_clear);
    for (size_t g = 0; g < n; g++) {
        if (d->pick && !d->pick[g])
            continue;
        size_t entity = entity_of (c, d->prefix, d->names[g]);
        Series s = { plain_name (d->names[g], d->prefix[0] == 'j', 24),
                     d->users + g,
                     d->nc ? d->nc + g : NULL,
                     n,
                     palette[entity % G_N_ELEMENTS (palette)],
                     0,
                     0,
                     entity + 1 };
        for (size_t i = 0; i < t->n_points; i++)
            s.peak = MAX (s.peak, d->users[i * n + g]);
        g_array_append_val (groups, s);
        candidates++;
    }
    g_array_sort (groups, compare_peaks);
    if (d->all) {
        Series s = { g_strdup ("all partners"), d->all, d->all_nc, 1, ALL_COLOUR, 0, 0, 0 };
        for (size_t i = 0; i < t->n_points; i++)
            s.peak = MAX (s.peak, d->all[i]);
        g_array_append_val (chosen, s);
    }
    for (size_t g = 0; g < groups->len && chosen->len < MAX_SERIES; g++) {
        Series *s = &g_array_index (groups, Series, g);
        Series copy = *s;
        s->name = NULL;
        copy.order = chosen->len;
        g_array_append_val (chosen, copy);
    }
    *out_hidden = candidates + (d->all ? 1 : 0) - chosen->len;
    return chosen;
}

static void
panel (const Chart *c, double top, const PanelData *d, GString *out)
{
    size_t hidden = 0;
    g_autoptr (GArray) series = pick_series (c, d, &hidden);
    Panel p = { c->t, top + 26, WIDTH - LEFT - RIGHT, PANEL_HEIGHT - 26 - BOTTOM, 1 };
    for (size_t i = 0; i < series->len; i++)
        p.ymax = MAX (p.ymax, (double) g_array_index (series, Series, i).peak);
    p.ymax = nice_ceiling (p.ymax);
    text_at (out, LEFT, top + 14, "start", " font-weight=\"bold\"", d->title);
    axes (&p, d, out);
    event_lines (&p, out);
    for (size_t i = series->len; i-- > 0;) {
        const Series *s = &g_array_index (series, Series, i);
        if (s->nc)
            polyline (&p, s, s->nc, TRUE, out);
        polyline (&p, s, s->users, FALSE, out);
    }
    for (size_t i = series->len; i-- > 0;)
        marks (&p, &g_array_index (series, Series, i), series->len, out);
    end_names (&p, (const Series *) (void *) series->data, series->len, hidden, out);
}

/* The colour of every entity: its place among all those drawn, "all partners" apart. */
static void
assign_colours (Chart *c, const PanelData *panels, size_t n_panels)
{
    size_t next = 0;
    for (size_t i = 0; i < n_panels; i++)
        for (size_t g = 0; g < panels[i].n; g++) {
            char *key = g_strconcat (panels[i].prefix, panels[i].names[g], NULL);
            if ((panels[i].pick && !panels[i].pick[g]) || g_hash_table_contains (c->colours, key)) {
                g_free (key);
                continue;
            }
            g_hash_table_insert (c->colours, key, GSIZE_TO_POINTER (++next));
        }
}

/* The line-style key, top right: solid users reached, dashed without consent. */
static void
style_key (GString *out, double y)
{
    double x = WIDTH - RIGHT + 10;
    line (out, x, y, x + 22, y, ALL_COLOUR, " stroke-width=\"2.2\"");
    text_at (out, x + 28, y + 4, "start", NULL, "users reached");
    line (out, x, y + 16, x + 22, y + 16, ALL_COLOUR, " stroke-dasharray=\"5,3\"");
    text_at (out, x + 28, y + 20, "start", NULL, "without consent");
}

/* The partners the chart's selectors select (transfer full; NULL when there are none). */
static gboolean *
picked_partners (const FsimScenario *s, const FsimTimelineChart *chart)
{
    if (!chart || !chart->partners || !chart->partners[0])
        return NULL;
    gboolean *pick = g_new0 (gboolean, s->n_partners + 1);
    for (size_t p = 0; p < s->n_partners; p++)
        for (size_t i = 0; chart->partners[i] && !pick[p]; i++)
            pick[p] = fsim_partner_selector_matches (&s->partners[p], chart->partners[i]);
    return pick;
}

/* "3 months", "year", "2 weeks", "day": a step in words, for a reader of the picture. */
static char *
step_words (FsimTimelineStep step)
{
    unsigned n = step.count;
    const char *unit = "day";
    if (step.months && n % 12 == 0)
        n /= 12, unit = "year";
    else if (step.months)
        unit = "month";
    else if (n % 7 == 0)
        n /= 7, unit = "week";
    return n == 1 ? g_strdup (unit) : g_strdup_printf ("%u %ss", n, unit);
}

/* The <svg> element's start, the title and the line under it. */
static void
chart_head (const FsimScenario *scenario, const FsimTimeline *t, gboolean embedded, double height,
            GString *out)
{
    g_autofree char *from = fsim_day_format (t->from), *to = fsim_day_format (t->to);
    g_autofree char *step = step_words (t->step);
    g_autofree char *users = fsim_fmt_count (t->n_users);

    if (!embedded)
        g_string_append (out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    g_string_append (out, "<svg xmlns=\"http://www.w3.org/2000/svg\"");
    attr_num (out, "width", WIDTH);
    attr_num (out, "height", height);
    g_string_append_printf (out,
                            " viewBox=\"0 0 %d %d\" font-family=\"Helvetica, Arial, "
                            "sans-serif\" font-size=\"11\">\n<title>",
                            (int) WIDTH, (int) ceil (height));
    fsim_markup_append_printf (out, "flowsim timeline: %s", scenario->id ? scenario->id : "");
    g_string_append (out, "</title>\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    /* The scenario's own title may name its date: say the chart replays it on other dates. */
    g_autofree char *title = g_strdup_printf ("%s, replayed from %s to %s",
                                              scenario->title ? scenario->title
                                              : scenario->id  ? scenario->id
                                                              : "flowsim",
                                              from, to);
    g_autofree char *heading = g_strdup_printf (
        "The same %s users at each date, every %s; numbered lines: policy changes", users, step);
    text_at (out, LEFT, 22, "start", " font-size=\"14\" font-weight=\"bold\"", title);
    text_at (out, LEFT, 38, "start", " fill=\"#525252\"", heading);
}

void
fsim_timeline_write_svg (const FsimScenario *scenario, const FsimTimeline *t,
                         const FsimTimelineChart *chart, gboolean embedded, GString *out)
{
    g_return_if_fail (scenario != NULL && t != NULL && out != NULL);
    g_return_if_fail (t->n_partners == scenario->n_partners);
    const FsimTimelineChart defaults = { 0 };
    const FsimTimelineChart *ch = chart ? chart : &defaults;
    g_autofree gboolean *pick = picked_partners (scenario, ch);
    g_autofree char **partner_names = g_new0 (char *, scenario->n_partners + 1);
    for (size_t p = 0; p < scenario->n_partners; p++)
        partner_names[p] = scenario->partners[p].name;
    PanelData all[] = {
        { "Users reached, by jurisdiction (where the data was stored)", "users reached",
          t->jurisdictions, t->n_jurisdictions, t->jur_users, t->jur_no_consent, t->users,
          t->no_consent, NULL, "j:" },
        { "Users reached, by partner", "users reached", partner_names, t->n_partners,
          t->partner_users, t->partner_no_consent, NULL, NULL, pick, "p:" },
        { "Users reached, by partner kind", "users reached", t->kinds, t->n_kinds, t->kind_users,
          t->kind_no_consent, NULL, NULL, NULL, "k:" },
        { "Partners that reached anyone, by kind", "partners", t->kinds, t->n_kinds,
          t->kind_partners, NULL, t->partners, NULL, NULL, "k:" },
    };
    const gboolean shown[] = { !ch->no_jurisdictions, pick != NULL, !ch->no_kinds, !ch->no_kinds };
    PanelData panels[G_N_ELEMENTS (all)];
    size_t n_panels = 0;
    for (size_t i = 0; i < G_N_ELEMENTS (all); i++)
        if (shown[i])
            panels[n_panels++] = all[i];

    g_autoptr (GHashTable) colours = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    Chart c = { .t = t, .colours = colours, .marks_top = 50 };
    place_events (&c, WIDTH - LEFT - RIGHT);
    assign_colours (&c, panels, n_panels);
    double panels_top = c.marks_top + MARK_ROW * (double) c.n_rows + 4;
    double key_top = panels_top + (double) n_panels * PANEL_HEIGHT;
    double height = key_top + (t->n_events ? 28 + KEY_ROW * (double) t->n_events : 0);
    chart_head (scenario, t, embedded, height, out);
    style_key (out, 16);
    for (size_t i = 0; i < n_panels; i++)
        panel (&c, panels_top + (double) i * PANEL_HEIGHT, &panels[i], out);
    event_marks (&c, WIDTH - LEFT - RIGHT, panels_top + 26, out);
    event_key (t, key_top, out);
    g_free (c.event_row);
    g_string_append (out, "</svg>\n");
}
