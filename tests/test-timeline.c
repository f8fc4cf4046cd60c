/* SPDX-License-Identifier: MIT */
/* test-timeline.c: dates, steps, counts by hand on dated rules, the outputs and the CLI. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "draw-util.h"
#include "engine.h"
#include "json-check.h"
#include "room.h"
#include "run-util.h"
#include "svg.h"
#include "timeline.h"
#include "worst-case.h"

static FsimDay
day (const char *text)
{
    FsimDay d = 0;
    g_assert_true (fsim_day_parse (text, &d));
    return d;
}

static FsimTimeline *
timeline (const char *from, const char *to, const char *step)
{
    g_autoptr (FsimSim) sim = draw_sim ("timeline", "dated.json");
    g_autoptr (GError) error = NULL;
    FsimTimelineStep s;
    g_assert_true (fsim_timeline_step_parse (step, &s));
    FsimTimeline *t = fsim_timeline_new (sim->scenario, sim->pop, day (from), day (to), s, &error);
    g_assert_no_error (error);
    g_assert_nonnull (t);
    return t;
}

static void
test_timeline_step (void)
{
    static const struct {
        const char *text;
        guint count;
        gboolean months;
        const char *back;
    } ok[] = {
        { "1m", 1, TRUE, "1m" },   { "3m", 3, TRUE, "3m" },   { "1y", 12, TRUE, "1y" },
        { "12m", 12, TRUE, "1y" }, { "2w", 14, FALSE, "2w" }, { "10d", 10, FALSE, "10d" },
    };
    static const char *const bad[] = { "",      "m",    "0m", "1",   "1x", "-1m",
                                       "1001d", "1.5y", "y1", " 1m", NULL };
    FsimTimelineStep s;
    for (size_t i = 0; i < G_N_ELEMENTS (ok); i++) {
        g_assert_true (fsim_timeline_step_parse (ok[i].text, &s));
        g_assert_cmpuint (s.count, ==, ok[i].count);
        g_assert_cmpint (s.months, ==, ok[i].months);
        g_autofree char *back = fsim_timeline_step_format (s);
        g_assert_cmpstr (back, ==, ok[i].back);
    }
    for (size_t i = 0; bad[i]; i++)
        g_assert_false (fsim_timeline_step_parse (bad[i], &s));
}

/* Months are added to the first date: 31 January, then the last days of the next months. */
static void
test_timeline_days (void)
{
    g_autoptr (FsimTimeline) t = timeline ("2015-01-31", "2015-05-01", "1m");
    static const char *const expected[] = { "2015-01-31", "2015-02-28", "2015-03-31",
                                            "2015-04-30" };
    g_assert_cmpuint (t->n_points, ==, G_N_ELEMENTS (expected));
    for (size_t i = 0; i < t->n_points; i++)
        g_assert_cmpint (t->days[i], ==, day (expected[i]));
    g_autoptr (FsimTimeline) one = timeline ("2014-01-01", "2014-01-01", "1y");
    g_assert_cmpuint (one->n_points, ==, 1);
    g_autoptr (FsimTimeline) weeks = timeline ("2014-01-01", "2014-01-29", "2w");
    g_assert_cmpuint (weeks->n_points, ==, 3);
    g_assert_cmpint (weeks->days[2], ==, day ("2014-01-29"));
}

static void
test_timeline_range (void)
{
    g_autoptr (FsimSim) sim = draw_sim ("timeline", "dated.json");
    g_autoptr (GError) error = NULL;
    FsimTimelineStep daily = { 1, FALSE };
    g_assert_null (fsim_timeline_new (sim->scenario, sim->pop, day ("2015-01-01"),
                                      day ("2014-01-01"), daily, &error));
    g_assert_error (error, FSIM_TIMELINE_ERROR, FSIM_TIMELINE_ERROR_RANGE);
    g_clear_error (&error);
    g_assert_null (fsim_timeline_new (sim->scenario, sim->pop, day ("2000-01-01"),
                                      day ("2020-01-01"), daily, &error));
    g_assert_error (error, FSIM_TIMELINE_ERROR, FSIM_TIMELINE_ERROR_RANGE);
}

static size_t
find (char **names, const char *name)
{
    for (size_t i = 0; names[i]; i++)
        if (strcmp (names[i], name) == 0)
            return i;
    g_assert_not_reached ();
}

typedef struct {
    const char *date;
    size_t all[2], gb[2], us[2], device[2], app[2], broker[2], phone[2];
} Expected;

/*
 * By hand (tests/data/timeline/dated.json): u1 uses app1 and is friends with u2 (app2) and
 * u3 (phone); u4 is u3's friend. Before 2012 only the apps get data: app1 gets u1 (self) and
 * u2, u3 (friends); app2 gets u2 (self) and u1 (friend). From 2012 the phone gets u3, u1 and
 * u4; from 2013 to 2016 app1 shares everything with the broker (US). The API closes on
 * 2015-04-30, the phone is cut off on 2018-06-08.
 */
static const Expected expected[] = {
    { "2011-01-01", { 3, 3 }, { 3, 2 }, { 2, 1 }, { 0, 0 }, { 3, 3 }, { 0, 0 }, { 0, 0 } },
    { "2012-01-01", { 4, 4 }, { 3, 2 }, { 2, 1 }, { 3, 2 }, { 3, 3 }, { 0, 0 }, { 3, 2 } },
    { "2014-01-01", { 4, 4 }, { 3, 2 }, { 3, 3 }, { 3, 2 }, { 3, 3 }, { 3, 3 }, { 3, 2 } },
    { "2016-01-01", { 3, 2 }, { 0, 0 }, { 0, 0 }, { 3, 2 }, { 0, 0 }, { 0, 0 }, { 3, 2 } },
    { "2019-01-01", { 0, 0 }, { 0, 0 }, { 0, 0 }, { 0, 0 }, { 0, 0 }, { 0, 0 }, { 0, 0 } },
};

static void
check_pair (const FsimTimeline *t, const size_t *users, const size_t *nc, size_t n, size_t i,
            size_t g, const size_t want[2])
{
    g_assert_cmpuint (users[i * n + g], ==, want[0]);
    g_assert_cmpuint (nc[i * n + g], ==, want[1]);
    (void) t;
}

static void
test_timeline_counts (void)
{
    g_autoptr (FsimTimeline) t = timeline ("2011-01-01", "2019-01-01", "1y");
    size_t nj = t->n_jurisdictions, nk = t->n_kinds;
    g_assert_cmpuint (t->n_points, ==, 9);
    g_assert_cmpuint (nj, ==, 3);
    g_assert_cmpuint (nk, ==, 3);
    for (size_t e = 0; e < G_N_ELEMENTS (expected); e++) {
        const Expected *x = &expected[e];
        size_t i = 0;
        while (t->days[i] != day (x->date))
            i++;
        g_test_message ("%s", x->date);
        check_pair (t, t->users, t->no_consent, 1, i, 0, x->all);
        check_pair (t, t->jur_users, t->jur_no_consent, nj, i, find (t->jurisdictions, "GB"),
                    x->gb);
        check_pair (t, t->jur_users, t->jur_no_consent, nj, i, find (t->jurisdictions, "US"),
                    x->us);
        check_pair (t, t->jur_users, t->jur_no_consent, nj, i, find (t->jurisdictions, "device"),
                    x->device);
        check_pair (t, t->kind_users, t->kind_no_consent, nk, i, find (t->kinds, "app"), x->app);
        check_pair (t, t->kind_users, t->kind_no_consent, nk, i, find (t->kinds, "data_broker"),
                    x->broker);
        check_pair (t, t->kind_users, t->kind_no_consent, nk, i, find (t->kinds, "device_maker"),
                    x->phone);
    }
}

/* A kind counts distinct users: two apps reach 3 and 2 users, 3 in all. */
static void
test_timeline_kinds_distinct (void)
{
    g_autoptr (FsimSim) sim = draw_sim ("timeline", "dated.json");
    const FsimResult *r = sim->result;
    size_t app1 = (size_t) fsim_scenario_find_partner (sim->scenario, "app1");
    size_t app2 = (size_t) fsim_scenario_find_partner (sim->scenario, "app2");
    g_assert_cmpuint (r->partner_reached[app1], ==, 3);
    g_assert_cmpuint (r->partner_reached[app2], ==, 2);
    g_assert_cmpuint (r->kind_users[find (r->kinds, "app")], ==, 3);
    g_assert_cmpuint (r->users_reached, ==, 4);
}

static void
test_timeline_events (void)
{
    g_autoptr (FsimTimeline) t = timeline ("2011-01-01", "2019-01-01", "1y");
    static const char *const want[][2] = {
        { "2012-01-01", "rule 'devices' (allow) comes into force for phone on API dev" },
        { "2013-01-01", "sharing 'app1' -> 'broker' starts" },
        { "2015-04-30", "API 'v1' closes" },
        { "2016-01-01", "sharing 'app1' -> 'broker' stops" },
        { "2018-06-08", "rule 'phone-wound-down' (deny) comes into force for phone on every API" },
    };
    g_assert_cmpuint (t->n_events, ==, G_N_ELEMENTS (want));
    for (size_t i = 0; i < t->n_events; i++) {
        g_assert_cmpint (t->events[i].day, ==, day (want[i][0]));
        g_assert_cmpstr (t->events[i].what, ==, want[i][1]);
    }
    /* more than three partners are counted, not named; scopes are named when not all */
    g_autofree char *path = fsim_test_source_path ("scenarios", "device-partners-2018.json", NULL);
    g_autoptr (DrawRun) text = FLOWSIM ("timeline", path, "--set", "population.users=200", "--from",
                                        "2018-01-01", "--to", "2018-07-01");
    g_assert_cmpint (text->status, ==, 0);
    g_assert_nonnull (strstr (text->out, "  2018-06-03  rule 'wound-down-by-2018-06-03' (deny) "
                                         "comes into force for 14 partners on API "
                                         "device-integrated\n"));
    g_assert_nonnull (strstr (text->out, "  2018-06-08  rule 'huawei-wound-down' (deny) comes "
                                         "into force for huawei on API device-integrated\n"));
}

static void
test_timeline_json (void)
{
    g_autoptr (FsimTimeline) t = timeline ("2011-01-01", "2019-01-01", "1y");
    g_autoptr (FsimSim) sim = draw_sim ("timeline", "dated.json");
    g_autoptr (GString) out = g_string_new (NULL);
    fsim_timeline_render (sim->scenario, t, FSIM_TIMELINE_JSON, out);
    g_autoptr (GHashTable) j = json_check_parse (out->str);
    g_assert_nonnull (j);
    g_assert_cmpstr (g_hash_table_lookup (j, "scenario"), ==, "timeline-dated");
    g_assert_cmpstr (g_hash_table_lookup (j, "step"), ==, "1y");
    g_assert_cmpstr (g_hash_table_lookup (j, "points#"), ==, "9");
    g_assert_cmpstr (g_hash_table_lookup (j, "points[5].date"), ==, "2016-01-01");
    g_assert_cmpstr (g_hash_table_lookup (j, "points[5].users_reached"), ==, "3");
    g_assert_cmpstr (g_hash_table_lookup (j, "points[5].users_reached_without_consent"), ==, "2");
    g_assert_cmpstr (g_hash_table_lookup (j, "points[1].kinds[2].kind"), ==, "device_maker");
    g_assert_cmpstr (g_hash_table_lookup (j, "points[1].kinds[2].users"), ==, "3");
    g_assert_cmpstr (g_hash_table_lookup (j, "events[2].what"), ==, "API 'v1' closes");
}

static void
test_timeline_svg (void)
{
    g_autoptr (FsimTimeline) t = timeline ("2011-01-01", "2019-01-01", "3m");
    g_autoptr (FsimSim) sim = draw_sim ("timeline", "dated.json");
    g_autoptr (GString) out = g_string_new (NULL);
    g_autoptr (GError) error = NULL;
    fsim_timeline_render (sim->scenario, t, FSIM_TIMELINE_SVG, out);
    g_assert_true (fsim_svg_check (out->str, (gssize) out->len, &error));
    g_assert_no_error (error);
    g_assert_nonnull (strstr (out->str, "API &#39;v1&#39; closes"));
    g_assert_nonnull (strstr (out->str, ">device maker</text>"));
    g_assert_null (strstr (out->str, "device_maker"));
    /* one date: the lines are points, still well-formed */
    g_autoptr (FsimTimeline) one = timeline ("2014-01-01", "2014-01-01", "1y");
    g_string_truncate (out, 0);
    fsim_timeline_write_svg (sim->scenario, one, NULL, TRUE, out);
    g_assert_true (g_str_has_prefix (out->str, "<svg"));
    g_assert_true (fsim_svg_check (out->str, (gssize) out->len, &error));
    g_assert_no_error (error);
}

/* The stroke colour of the polyline titled @title, the @n-th one (transfer full; NULL: none). */
static char *
polyline_colour (const char *svg, const char *title, int n)
{
    g_autofree char *tag = g_strconcat ("<title>", title, "</title></polyline>", NULL);
    const char *at = svg;
    for (int i = 0; i <= n; i++) {
        at = strstr (i ? at + 1 : at, tag);
        if (at == NULL)
            return NULL;
    }
    const char *start = g_strrstr_len (svg, at - svg, "<polyline");
    const char *stroke = strstr (start, "stroke=\"");
    return g_strndup (stroke + 8, 7);
}

/* The points of the first polyline titled @title, as numbers. */
static GArray *
polyline_points (const char *svg, const char *title)
{
    g_autofree char *tag = g_strconcat ("<title>", title, "</title></polyline>", NULL);
    const char *at = strstr (svg, tag);
    g_assert_nonnull (at);
    const char *start = strstr (g_strrstr_len (svg, at - svg, "<polyline"), "points=\"") + 8;
    GArray *v = g_array_new (FALSE, FALSE, sizeof (double));
    for (const char *p = start; *p != '"';) {
        char *end = NULL;
        double d = g_ascii_strtod (p, &end);
        g_assert_true (end != p);
        g_array_append_val (v, d);
        p = end + (*end == ',' || *end == ' ');
    }
    return v;
}

/* The chart tells the truth: step lines, every change numbered and dated in the key, the y
 * axes named, one colour per kind in both panels that show kinds. */
static void
test_timeline_svg_truthful (void)
{
    g_autoptr (FsimTimeline) t = timeline ("2011-01-01", "2019-01-01", "1y");
    g_autoptr (FsimSim) sim = draw_sim ("timeline", "dated.json");
    g_autoptr (GString) out = g_string_new (NULL);
    fsim_timeline_write_svg (sim->scenario, t, NULL, FALSE, out);
    const char *svg = out->str;

    /* step: 9 dates give 9 + 8 corners, each value held until the next date */
    g_autoptr (GArray) pts = polyline_points (svg, "all partners, users reached");
    g_assert_cmpuint (pts->len, ==, 2 * (9 + 8));
    for (size_t i = 1; i < 9; i++) {
        double *xy = &g_array_index (pts, double, 0);
        g_assert_cmpfloat (xy[4 * i - 2], ==, xy[4 * i]);     /* same x: a vertical step */
        g_assert_cmpfloat (xy[4 * i - 1], ==, xy[4 * i - 3]); /* at the previous value */
    }
    /* every change has its number and date in the key */
    g_assert_cmpuint (t->n_events, >, 0);
    for (size_t i = 0; i < t->n_events; i++) {
        g_autofree char *date = fsim_day_format (t->events[i].day);
        g_autofree char *number = g_strdup_printf (" font-weight=\"bold\">%zu</text>", i + 1);
        g_autofree char *key = g_strdup_printf (">%s  ", date);
        g_assert_nonnull (strstr (svg, number));
        g_assert_nonnull (strstr (svg, key));
    }
    g_assert_nonnull (strstr (svg, ">users reached</text>"));
    g_assert_nonnull (strstr (svg, ">partners</text>"));
    /* the title says the scenario is replayed on other dates than its own; the step in words */
    fsim_assert_contains (svg, ", replayed from 2011-01-01 to 2019-01-01</text>");
    fsim_assert_contains (svg, ">The same 4 users at each date, every year; numbered lines");
    /* device_maker: the same colour in "by partner kind" and "partners that reached anyone" */
    g_autofree char *first = polyline_colour (svg, "device maker, users reached", 0);
    g_autofree char *second = polyline_colour (svg, "device maker, users reached", 1);
    g_autofree char *app = polyline_colour (svg, "app, users reached", 0);
    g_assert_nonnull (first);
    g_assert_cmpstr (first, ==, second);
    g_assert_cmpstr (first, !=, app);
}

/* --series partner:SEL adds a panel of those partners; a selector that selects nothing, or
 * a panel other than partner:SEL without svg, is a usage error. */
static void
test_timeline_series (void)
{
    g_autofree char *path = fsim_test_data_path ("timeline", "dated.json", NULL);
    g_autoptr (DrawRun) ok =
        FLOWSIM ("timeline", path, "--from", "2011-01-01", "--to", "2019-01-01", "--format", "svg",
                 "--series", "partner:app1,kind:device_maker", "--series", "kind");
    g_autoptr (DrawRun) none = FLOWSIM ("timeline", path, "--from", "2011-01-01", "--to",
                                        "2019-01-01", "--format", "svg", "--series", "partner:zz");
    g_autoptr (DrawRun) text = FLOWSIM ("timeline", path, "--from", "2011-01-01", "--to",
                                        "2019-01-01", "--series", "kind");
    g_autoptr (DrawRun) bad = FLOWSIM ("timeline", path, "--from", "2011-01-01", "--to",
                                       "2019-01-01", "--format", "svg", "--series", "colour");
    g_assert_cmpint (ok->status, ==, 0);
    g_assert_nonnull (strstr (ok->out, ">Users reached, by partner</text>"));
    g_assert_nonnull (strstr (ok->out, "<title>First app, users reached</title>"));
    g_assert_nonnull (strstr (ok->out, "<title>Phone, users reached</title>"));
    g_assert_null (strstr (ok->out, "<title>Second app, users reached</title>"));
    g_assert_null (strstr (ok->out, "by jurisdiction")); /* --series kind leaves it out */
    g_assert_nonnull (strstr (ok->out, ">Users reached, by partner kind</text>"));
    g_assert_cmpint (none->status, ==, 2);
    g_assert_nonnull (strstr (none->err, "'zz' selects no partner"));
    g_assert_cmpint (text->status, ==, 2);
    g_assert_cmpint (bad->status, ==, 2);
    /* a wrong series is refused before the population is built (or fails to be) and traced:
     * here the population's edge list is missing, and the usage error comes first */
    g_autofree char *edges = fsim_test_data_path ("scale", "import-edges.json", NULL);
    g_autoptr (DrawRun) early =
        FLOWSIM ("timeline", edges, "--set", "population.import.file=no-such-friends.txt", "--from",
                 "2011-01-01", "--to", "2019-01-01", "--format", "svg", "--series", "partners");
    g_assert_cmpint (early->status, ==, 2);
    g_assert_nonnull (strstr (early->err, "--series 'partners' is not jurisdiction, kind or "));
    g_assert_null (strstr (early->err, "import"));
}

static void
test_timeline_cli (void)
{
    g_autofree char *path = fsim_test_data_path ("timeline", "dated.json", NULL);
    g_autoptr (DrawRun) text =
        FLOWSIM ("timeline", path, "--from", "2011-01-01", "--to", "2019-01-01", "--step", "1y");
    g_autoptr (DrawRun) json = FLOWSIM ("timeline", path, "--from", "2011-01-01", "--to",
                                        "2012-01-01", "--format", "json");
    g_autoptr (DrawRun) missing = FLOWSIM ("timeline", path, "--from", "2011-01-01");
    g_autoptr (DrawRun) date =
        FLOWSIM ("timeline", path, "--from", "2011-02-30", "--to", "2012-01-01");
    g_autoptr (DrawRun) order =
        FLOWSIM ("timeline", path, "--from", "2012-01-01", "--to", "2011-01-01");
    g_autoptr (DrawRun) step =
        FLOWSIM ("timeline", path, "--from", "2011-01-01", "--to", "2012-01-01", "--step", "1q");
    g_autoptr (DrawRun) many =
        FLOWSIM ("timeline", path, "--from", "1900-01-01", "--to", "2012-01-01", "--step", "1d");
    g_autoptr (DrawRun) help = FLOWSIM ("timeline", "--help");

    g_assert_cmpint (text->status, ==, 0);
    g_assert_nonnull (strstr (text->out, "  2016-01-01         3 (2)  0 (0)  0 (0)      3 (2)\n"));
    g_assert_nonnull (strstr (text->out, "  2015-04-30  API 'v1' closes\n"));
    g_assert_cmpint (json->status, ==, 0);
    g_autoptr (GHashTable) j = json_check_parse (json->out);
    g_assert_nonnull (j);
    g_assert_cmpint (missing->status, ==, 2);
    g_assert_cmpint (date->status, ==, 2);
    g_assert_nonnull (strstr (date->err, "'2011-02-30' is not a date"));
    g_assert_cmpint (order->status, ==, 2);
    g_assert_cmpint (step->status, ==, 2);
    g_assert_cmpint (many->status, ==, 2);
    g_assert_nonnull (strstr (many->err, "more than"));
    g_assert_cmpint (help->status, ==, 0);
    g_assert_nonnull (strstr (help->out, "--step"));
}

/* A number at @path of a JSON document (flattened by json_check_parse). */
static guint64
json_number (GHashTable *j, const char *path)
{
    const char *v = g_hash_table_lookup (j, path);
    g_assert_nonnull (v);
    return g_ascii_strtoull (v, NULL, 10);
}

/* Runs the timeline of scenarios/@name from @from to @to every @step, as JSON; NULL (and the
 * test skipped) when the bundled scenario is not there. */
static GHashTable *
bundled_timeline (const char *name, const char *from, const char *to, const char *step)
{
    g_autofree char *path = fsim_test_source_path ("scenarios", name, NULL);
    if (!g_file_test (path, G_FILE_TEST_IS_REGULAR)) {
        g_test_skip ("the bundled scenario is not in the tree");
        return NULL;
    }
    g_autoptr (DrawRun) r =
        FLOWSIM ("timeline", path, "--from", from, "--to", to, "--step", step, "--format", "json");
    g_assert_cmpint (r->status, ==, 0);
    GHashTable *j = json_check_parse (r->out);
    g_assert_nonnull (j);
    return j;
}

/* The bundled history: Graph API v1.0 closing on 30 April 2015 cuts the apps' reach. */
static void
test_timeline_history_v2_cutoff (void)
{
    g_autoptr (GHashTable) j =
        bundled_timeline ("graph-api-v1-2013.json", "2015-01-01", "2016-01-01", "1y");
    if (j == NULL)
        return;
    guint64 before = json_number (j, "points[0].users_reached_without_consent");
    guint64 after = json_number (j, "points[1].users_reached_without_consent");
    g_test_message ("without consent: 2015-01-01 %" G_GUINT64_FORMAT
                    ", 2016-01-01 %" G_GUINT64_FORMAT,
                    before, after);
    g_assert_cmpuint (after, <, before / 2);
}

/* ... and the 2018 device-partner wind-down ends most partners' access. */
static void
test_timeline_history_wind_down (void)
{
    g_autoptr (GHashTable) j =
        bundled_timeline ("device-partners-2018.json", "2018-01-01", "2019-01-01", "1y");
    if (j == NULL)
        return;
    guint64 before = json_number (j, "points[0].partners_reaching");
    guint64 after = json_number (j, "points[1].partners_reaching");
    g_test_message ("partners reaching anyone: 2018-01-01 %" G_GUINT64_FORMAT
                    ", 2019-01-01 %" G_GUINT64_FORMAT,
                    before, after);
    g_assert_cmpuint (after, <, before / 2);
}

/* ---- per-partner series, focus, the budget and warnings (issues 11 and 15) -------------- */

/* --series partner:SEL gives text and JSON a series per partner, equal to the timeline's own
 * per-partner counts; a focus on one partner counts what it alone reaches, which is its series
 * in the unfocused timeline. */
static void
test_timeline_partner_series (void)
{
    g_autofree char *path = fsim_test_data_path ("timeline", "dated.json", NULL);
    g_autoptr (FsimTimeline) t = timeline ("2011-01-01", "2019-01-01", "1y");
    g_autoptr (FsimSim) sim = draw_sim ("timeline", "dated.json");
    gssize app1 = fsim_scenario_find_partner (sim->scenario, "app1");
    g_assert_cmpint (app1, >=, 0);
    g_autoptr (DrawRun) json =
        FLOWSIM ("timeline", path, "--from", "2011-01-01", "--to", "2019-01-01", "--format", "json",
                 "--series", "partner:app1");
    g_autoptr (DrawRun) focused = FLOWSIM ("timeline", path, "--from", "2011-01-01", "--to",
                                           "2019-01-01", "--format", "json", "--partner", "app1");
    g_assert_cmpint (json->status, ==, 0);
    g_assert_cmpint (focused->status, ==, 0);
    g_autoptr (GHashTable) j = json_check_parse (json->out);
    g_autoptr (GHashTable) f = json_check_parse (focused->out);
    g_assert_cmpstr (g_hash_table_lookup (f, "focus"), ==, "partner app1");
    size_t reached = 0, gone = 0;
    for (size_t i = 0; i < t->n_points; i++) {
        size_t users = t->partner_users[i * t->n_partners + (size_t) app1];
        size_t nc = t->partner_no_consent[i * t->n_partners + (size_t) app1];
        g_autofree char *want = g_strdup_printf ("%zu", users);
        g_autofree char *want_nc = g_strdup_printf ("%zu", nc);
        g_autofree char *k_id = g_strdup_printf ("points[%zu].partners[0].partner", i);
        g_autofree char *k_users = g_strdup_printf ("points[%zu].partners[0].users", i);
        g_autofree char *k_nc =
            g_strdup_printf ("points[%zu].partners[0].users_without_consent", i);
        g_autofree char *k_all = g_strdup_printf ("points[%zu].users_reached", i);
        g_assert_cmpstr (g_hash_table_lookup (j, k_id), ==, "app1");
        g_assert_cmpstr (g_hash_table_lookup (j, k_users), ==, want);
        g_assert_cmpstr (g_hash_table_lookup (j, k_nc), ==, want_nc);
        g_assert_cmpstr (g_hash_table_lookup (f, k_all), ==, want); /* focused: app1 alone */
        g_assert_cmpstr (g_hash_table_lookup (f, k_users), ==, want);
        reached += users > 0;
        gone += users == 0;
    }
    g_assert_cmpuint (reached, >, 0); /* app1 reaches people, then stops */
    g_assert_cmpuint (gone, >, 0);
    g_autoptr (DrawRun) text = FLOWSIM ("timeline", path, "--from", "2011-01-01", "--to",
                                        "2019-01-01", "--series", "partner:app1,phone");
    g_assert_cmpint (text->status, ==, 0);
    g_assert_nonnull (strstr (text->out, "Users reached (without consent), by partner\n"
                                         "  Date        app1   phone\n"));
    g_assert_nonnull (strstr (text->out, "  2011-01-01  3 (2)"));
    g_autoptr (DrawRun) svg = FLOWSIM ("timeline", path, "--from", "2011-01-01", "--to",
                                       "2019-01-01", "--format", "svg", "--partner", "app1");
    g_assert_cmpint (svg->status, ==, 0);
    g_assert_nonnull (strstr (svg->out, ">Users reached, by partner</text>"));
    g_assert_nonnull (strstr (svg->out, "<title>First app, users reached</title>"));
    g_assert_null (strstr (svg->out, "<title>Second app, users reached</title>"));
    /* --partner repeated: a line for the partners of each (the last one alone, before) */
    g_autoptr (DrawRun) both =
        FLOWSIM ("timeline", path, "--from", "2011-01-01", "--to", "2019-01-01", "--format", "svg",
                 "--partner", "app1", "--partner", "app2");
    g_assert_cmpint (both->status, ==, 0);
    g_assert_nonnull (strstr (both->out, "<title>First app, users reached</title>"));
    g_assert_nonnull (strstr (both->out, "<title>Second app, users reached</title>"));
}

/* The model is decided again only where a window changed, and traced again only where the
 * decisions differ; past the budget, a usage error at once (tests/worst-case.h). */
static void
test_timeline_budget (void)
{
    g_autoptr (FsimTimeline) t = timeline ("2011-01-01", "2019-01-01", "1m");
    g_assert_cmpuint (t->n_evaluations, >, 1);
    g_assert_cmpuint (t->n_evaluations, <, t->n_points);
    g_assert_cmpuint (t->n_traced, <=, t->n_evaluations);
    /* every date as a fresh run would count it */
    g_autoptr (FsimSim) sim = draw_sim ("timeline", "dated.json");
    for (size_t i = 0; i < t->n_points; i++) {
        g_autoptr (GError) error = NULL;
        g_autoptr (FsimDecisions) d = fsim_decisions_new (sim->scenario, t->days[i]);
        g_autoptr (FsimResult) r = fsim_engine_run (sim->scenario, sim->pop, d, &error);
        g_assert_no_error (error);
        g_assert_cmpuint (t->users[i], ==, r->users_reached);
        g_assert_cmpuint (t->no_consent[i], ==, r->users_reached_no_consent);
        for (size_t p = 0; p < t->n_partners; p++)
            g_assert_cmpuint (t->partner_users[i * t->n_partners + p], ==, r->partner_reached[p]);
    }
    g_autofree char *dir = fsim_test_scratch_new ();
    const FsimWorstCase w = {
        .partners = 600, .apis = 1, .scopes_per_api = 4096, .fields = 16, .rules = 128, .users = 10
    };
    g_autofree char *text = fsim_worst_case_json (&w);
    g_autofree char *path = fsim_test_write (dir, "worst.json", text, -1);
    g_autoptr (DrawRun) over =
        FLOWSIM ("timeline", path, "--from", "2010-01-01", "--to", "2014-01-01", "--step", "1w");
    g_assert_cmpint (over->status, ==, 2);
    g_assert_nonnull (strstr (over->err, "97 of the 209 dates need the model evaluated again"));
    g_assert_nonnull (strstr (over->err, "this model (2,467,200 decisions and (field, partner) "
                                         "pairs) allows 27 in the time budget"));
    /* rule r16 (an allow) comes into force on 2010-06-26, where rule r0 allows already */
    g_autoptr (DrawRun) within = FLOWSIM ("timeline", path, "--from", "2010-06-20", "--to",
                                          "2010-07-10", "--step", "1d", "--format", "json");
    g_assert_cmpint (within->status, ==, 0);
    g_autoptr (GHashTable) j = json_check_parse (within->out);
    g_assert_cmpstr (g_hash_table_lookup (j, "dates_decided"), ==, "3");
    g_assert_cmpstr (g_hash_table_lookup (j, "dates_traced"), ==, "1");
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

/* A --set that can have no effect is warned about, as for run and diff, and by diagram,
 * explain, possible and report. */
static void
test_timeline_warnings (void)
{
    g_autofree char *tour = fsim_test_source_path ("scenarios", "tour.json", NULL);
    g_autoptr (DrawRun) r =
        FLOWSIM ("timeline", tour, "--from", "2014-01-01", "--to", "2015-01-01", "--set",
                 "partners[phoneco].shares=[{\"with\":\"broker\","
                 "\"fields\":[\"*\"]}]");
    g_assert_cmpint (r->status, ==, 0);
    g_assert_nonnull (strstr (r->err, "flowsim: warning: --set partners[phoneco].shares:1:27: "
                                      "share of 'phoneco' with 'broker' never carries anything"));
    g_autoptr (DrawRun) quiet = FLOWSIM ("timeline", tour, "--from", "2014-01-01", "--to",
                                         "2015-01-01", "--set", "date=2015-01-01");
    g_assert_cmpstr (quiet->err, ==, "");
    /* and wherever else a scenario runs with --set */
    g_autofree char *dir = fsim_test_scratch_new ();
    g_autofree char *html = g_build_filename (dir, "r.html", NULL);
    const char *set = "partners[phoneco].shares=[{\"with\":\"broker\",\"fields\":[\"*\"]}]";
    g_autoptr (DrawRun) d = FLOWSIM ("diagram", tour, "--format", "dot", "--set", set);
    g_autoptr (DrawRun) e = FLOWSIM ("explain", tour, "--user", "alice", "--set", set);
    g_autoptr (DrawRun) p = FLOWSIM ("possible", tour, "--set", set);
    g_autoptr (DrawRun) h = FLOWSIM ("report", tour, "--set", set, "--output", html);
    DrawRun *runs[] = { d, e, p, h };
    for (size_t i = 0; i < G_N_ELEMENTS (runs); i++) {
        g_assert_cmpint (runs[i]->status, ==, 0);
        g_assert_nonnull (strstr (runs[i]->err, "flowsim: warning: --set partners[phoneco]."
                                                "shares:1:27: share of 'phoneco' with 'broker' "
                                                "never carries anything"));
    }
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

/* The room the estimate makes (room.h) holds every format, with every partner's series, and with
 * the chart's partner panel: the render never grows the string. */
static void
test_timeline_room (void)
{
    g_autoptr (FsimTimeline) t = timeline ("2011-01-01", "2019-01-01", "1m");
    g_autoptr (FsimSim) sim = draw_sim ("timeline", "dated.json");
    g_autofree FsimWord *all = fsim_bits_new (sim->scenario->partner_words);
    for (size_t p = 0; p < sim->scenario->n_partners; p++)
        fsim_bits_set (all, p);
    const char *const every[] = { "*", NULL };
    FsimTimelineChart chart = { .partners = every };
    for (int f = 0; f <= FSIM_TIMELINE_SVG; f++) {
        g_autoptr (GString) out = g_string_new (NULL);
        g_autoptr (GError) error = NULL;
        gboolean svg = f == FSIM_TIMELINE_SVG;
        guint64 room = fsim_timeline_room (sim->scenario, t, svg ? NULL : all, svg);
        g_assert_true (fsim_room_reserve (out, room, "the timeline", &error));
        g_assert_no_error (error);
        const char *buffer = out->str;
        if (svg)
            fsim_timeline_write_svg (sim->scenario, t, &chart, FALSE, out);
        else
            fsim_timeline_render_partners (sim->scenario, t, (FsimTimelineFormat) f, all, out);
        g_test_message ("format %d: %zu bytes of %" G_GUINT64_FORMAT, f, out->len, room);
        g_assert_cmpuint (out->len, >, 1000);
        g_assert_cmpuint (out->len, <=, room);
        g_assert_true (out->str == buffer);
    }
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    g_test_add_func ("/timeline/step", test_timeline_step);
    g_test_add_func ("/timeline/days", test_timeline_days);
    g_test_add_func ("/timeline/range", test_timeline_range);
    g_test_add_func ("/timeline/counts", test_timeline_counts);
    g_test_add_func ("/timeline/kinds-distinct", test_timeline_kinds_distinct);
    g_test_add_func ("/timeline/events", test_timeline_events);
    g_test_add_func ("/timeline/json", test_timeline_json);
    g_test_add_func ("/timeline/svg", test_timeline_svg);
    g_test_add_func ("/timeline/svg/truthful", test_timeline_svg_truthful);
    g_test_add_func ("/timeline/series", test_timeline_series);
    g_test_add_func ("/timeline/cli", test_timeline_cli);
    g_test_add_func ("/timeline/partner-series", test_timeline_partner_series);
    g_test_add_func ("/timeline/budget", test_timeline_budget);
    g_test_add_func ("/timeline/room", test_timeline_room);
    g_test_add_func ("/timeline/warnings", test_timeline_warnings);
    g_test_add_func ("/timeline/history/v2-cutoff", test_timeline_history_v2_cutoff);
    g_test_add_func ("/timeline/history/wind-down", test_timeline_history_wind_down);
    return g_test_run ();
}
