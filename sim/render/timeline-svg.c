/* SPDX-License-Identifier: MIT */
/* timeline-svg.c: a timeline as an SVG line chart (by jurisdiction, by partner kind). */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib.h>

#include "svg.h"
#include "table.h"
#include "timeline.h"

#define WIDTH 920.0
#define PANEL_HEIGHT 280.0
#define TITLE_HEIGHT 44.0
#define LEFT 70.0
#define RIGHT 230.0
#define TOP 46.0
#define BOTTOM 40.0
#define MAX_SERIES 8
#define MAX_X_LABELS 8
#define MAX_POINT_MARKS 120

/* Tableau 10, then black for "all partners". */
static const char *const palette[] = {
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
};

typedef struct {
    const char *name;
    const size_t *users, *nc; /* [t * stride]; nc nullable (no dashed line) */
    size_t stride;
    const char *colour;
    size_t peak;
} Series;

typedef struct {
    const FsimTimeline *t;
    double top; /* of the plot area */
    double plot_w, plot_h;
    double ymax;
} Panel;

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

static void
axes (const Panel *p, GString *out)
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
}

static void
events (const Panel *p, GString *out)
{
    const FsimTimeline *t = p->t;
    double last = -1e9;
    for (size_t i = 0; i < t->n_events; i++) {
        double x = x_of (p, t->events[i].day);
        g_autofree char *date = fsim_day_format (t->events[i].day);
        char *clean = fsim_text_clean (t->events[i].what);
        g_autofree char *what = fsim_text_truncate (clean, 44);
        g_autofree char *label = g_strdup_printf ("%s %s", date, what);
        g_autofree char *rotate = NULL;
        line (out, x, p->top, x, p->top + p->plot_h, "#969696", " stroke-dasharray=\"2,3\"");
        if (x - last < 11)
            continue;
        last = x;
        GString *r = g_string_new (" font-size=\"9\" fill=\"#525252\" transform=\"rotate(90 ");
        fsim_svg_number (r, x + 3);
        g_string_append_c (r, ' ');
        fsim_svg_number (r, p->top + 4);
        g_string_append (r, ")\"");
        rotate = g_string_free (r, FALSE);
        text_at (out, x + 3, p->top + 4, "start", rotate, label);
    }
}

static void
polyline (const Panel *p, const Series *s, const size_t *values, gboolean dashed, GString *out)
{
    const FsimTimeline *t = p->t;
    g_string_append_printf (out,
                            "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"%s\"%s "
                            "points=\"",
                            s->colour, dashed ? "1.5" : "2.2",
                            dashed ? " stroke-dasharray=\"5,3\"" : "");
    for (size_t i = 0; i < t->n_points; i++) {
        if (i > 0)
            g_string_append_c (out, ' ');
        fsim_svg_number (out, x_of (p, t->days[i]));
        g_string_append_c (out, ',');
        fsim_svg_number (out, y_of (p, values[i * s->stride]));
    }
    g_string_append (out, "\"><title>");
    fsim_markup_append_printf (out, "%s, %s", s->name,
                               dashed ? "users reached without consent" : "users reached");
    g_string_append (out, "</title></polyline>\n");
}

static void
marks (const Panel *p, const Series *s, GString *out)
{
    const FsimTimeline *t = p->t;
    if (t->n_points > MAX_POINT_MARKS)
        return;
    for (size_t i = 0; i < t->n_points; i++) {
        g_autofree char *date = fsim_day_format (t->days[i]);
        g_string_append_printf (out, "<circle r=\"2.5\" fill=\"%s\"", s->colour);
        attr_num (out, "cx", x_of (p, t->days[i]));
        attr_num (out, "cy", y_of (p, s->users[i * s->stride]));
        g_string_append (out, "><title>");
        if (s->nc)
            fsim_markup_append_printf (out, "%s %s: %zu users reached, %zu without consent", date,
                                       s->name, s->users[i * s->stride], s->nc[i * s->stride]);
        else
            fsim_markup_append_printf (out, "%s %s: %zu", date, s->name, s->users[i * s->stride]);
        g_string_append (out, "</title></circle>\n");
    }
}

static void
legend (const Panel *p, const Series *series, size_t n, size_t hidden, gboolean styles,
        GString *out)
{
    double x = LEFT + p->plot_w + 16, y = p->top + 6;
    for (size_t i = 0; i < n; i++, y += 18) {
        char *clean = fsim_text_clean (series[i].name);
        g_autofree char *name = fsim_text_truncate (clean, 28);
        line (out, x, y, x + 22, y, series[i].colour, " stroke-width=\"2.2\"");
        text_at (out, x + 28, y + 4, "start", NULL, name);
    }
    if (hidden > 0) {
        g_autofree char *more = g_strdup_printf ("(%zu more not drawn)", hidden);
        text_at (out, x, y + 4, "start", " fill=\"#737373\"", more);
        y += 18;
    }
    if (!styles)
        return;
    y += 8;
    line (out, x, y, x + 22, y, "#252525", " stroke-width=\"2.2\"");
    text_at (out, x + 28, y + 4, "start", NULL, "users reached");
    line (out, x, y + 18, x + 22, y + 18, "#252525", " stroke-dasharray=\"5,3\"");
    text_at (out, x + 28, y + 22, "start", NULL, "without consent");
}

static int
compare_peaks (gconstpointer a, gconstpointer b)
{
    const Series *x = a, *y = b;
    if (x->peak != y->peak)
        return x->peak > y->peak ? -1 : 1;
    return strcmp (x->name, y->name);
}

/* What one panel draws: groups @names with counts [t * n + g], and "all partners" [t]. */
typedef struct {
    const char *title;
    char **names;
    size_t n;
    const size_t *users, *nc;   /* nc nullable */
    const size_t *all, *all_nc; /* nullable */
    gboolean jurisdictions;
} PanelData;

/* The series of one panel: "all partners" first (if given), then the largest groups. */
static GArray *
pick_series (const FsimTimeline *t, const PanelData *d, size_t *out_hidden)
{
    char **names = d->names;
    size_t n = d->n;
    const size_t *users = d->users, *nc = d->nc;
    gboolean all = d->all != NULL;
    g_autoptr (GArray) groups = g_array_new (FALSE, FALSE, sizeof (Series));
    GArray *chosen = g_array_new (FALSE, FALSE, sizeof (Series));
    for (size_t g = 0; g < n; g++) {
        Series s = { strcmp (names[g], "device") == 0 && d->jurisdictions ? "on device" : names[g],
                     users + g,
                     nc ? nc + g : NULL,
                     n,
                     NULL,
                     0 };
        for (size_t i = 0; i < t->n_points; i++)
            s.peak = MAX (s.peak, users[i * n + g]);
        g_array_append_val (groups, s);
    }
    g_array_sort (groups, compare_peaks);
    if (all) {
        Series s = { "all partners", d->all, d->all_nc, 1, "#252525", 0 };
        for (size_t i = 0; i < t->n_points; i++)
            s.peak = MAX (s.peak, d->all[i]);
        g_array_append_val (chosen, s);
    }
    for (size_t g = 0; g < groups->len && chosen->len < MAX_SERIES; g++) {
        Series s = g_array_index (groups, Series, g);
        s.colour = palette[g % G_N_ELEMENTS (palette)];
        g_array_append_val (chosen, s);
    }
    *out_hidden = n + (all ? 1 : 0) - chosen->len;
    return chosen;
}

static void
panel (const FsimTimeline *t, double top, const PanelData *d, GString *out)
{
    size_t hidden = 0;
    g_autoptr (GArray) series = pick_series (t, d, &hidden);
    Panel p = { t, top + 26, WIDTH - LEFT - RIGHT, PANEL_HEIGHT - 26 - BOTTOM, 1 };
    for (size_t i = 0; i < series->len; i++)
        p.ymax = MAX (p.ymax, (double) g_array_index (series, Series, i).peak);
    p.ymax = nice_ceiling (p.ymax);
    text_at (out, LEFT, top + 14, "start", " font-weight=\"bold\"", d->title);
    axes (&p, out);
    events (&p, out);
    for (size_t i = series->len; i-- > 0;) {
        const Series *s = &g_array_index (series, Series, i);
        if (s->nc)
            polyline (&p, s, s->nc, TRUE, out);
        polyline (&p, s, s->users, FALSE, out);
        marks (&p, s, out);
    }
    legend (&p, (const Series *) (void *) series->data, series->len, hidden, d->nc != NULL, out);
}

void
fsim_timeline_write_svg (const FsimScenario *scenario, const FsimTimeline *t, gboolean embedded,
                         GString *out)
{
    g_return_if_fail (scenario != NULL && t != NULL && out != NULL);
    double height = TITLE_HEIGHT + 3 * PANEL_HEIGHT;
    const PanelData panels[] = {
        { "Users reached, by jurisdiction (where the data was stored)", t->jurisdictions,
          t->n_jurisdictions, t->jur_users, t->jur_no_consent, t->users, t->no_consent, TRUE },
        { "Users reached, by partner kind", t->kinds, t->n_kinds, t->kind_users, t->kind_no_consent,
          NULL, NULL, FALSE },
        { "Partners that reached anyone, by kind", t->kinds, t->n_kinds, t->kind_partners, NULL,
          t->partners, NULL, FALSE },
    };
    g_autofree char *from = fsim_day_format (t->from), *to = fsim_day_format (t->to);
    g_autofree char *step = fsim_timeline_step_format (t->step);

    if (!embedded)
        g_string_append (out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    g_string_append (out, "<svg xmlns=\"http://www.w3.org/2000/svg\"");
    attr_num (out, "width", WIDTH);
    attr_num (out, "height", height);
    g_string_append_printf (out,
                            " viewBox=\"0 0 %d %d\" font-family=\"Helvetica, Arial, "
                            "sans-serif\" font-size=\"11\">\n<title>",
                            (int) WIDTH, (int) height);
    fsim_markup_append_printf (out, "flowsim timeline: %s", scenario->id ? scenario->id : "");
    g_string_append (out, "</title>\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    g_autofree char *heading = g_strdup_printf ("Users reached, %s to %s every %s (%zu users)",
                                                from, to, step, t->n_users);
    text_at (out, LEFT, 22, "start", " font-size=\"14\" font-weight=\"bold\"",
             scenario->title ? scenario->title
             : scenario->id  ? scenario->id
                             : "flowsim");
    text_at (out, LEFT, 38, "start", " fill=\"#525252\"", heading);
    for (size_t i = 0; i < G_N_ELEMENTS (panels); i++)
        panel (t, TITLE_HEIGHT + (double) i * PANEL_HEIGHT, &panels[i], out);
    g_string_append (out, "</svg>\n");
}
