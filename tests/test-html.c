/* SPDX-License-Identifier: MIT */
/* test-html.c: the HTML report: well-formed, escaped, offline, and rendered by Chromium. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "draw-util.h"
#include "html.h"
#include "svg.h"

/* The report of tests/data/@dir/@name without a diagram, optionally with a timeline. */
static char *
report (const char *dir, const char *name, gboolean with_timeline)
{
    g_autoptr (FsimSim) sim = draw_sim (dir, name);
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimTimeline) t = NULL;
    GString *out = g_string_new (NULL);
    if (with_timeline) {
        FsimTimelineStep step = { 12, TRUE };
        t = fsim_timeline_new (sim->scenario, sim->pop, sim->scenario->date - 3 * 365,
                               sim->scenario->date + 3 * 365, step, &error);
        g_assert_no_error (error);
    }
    FsimHtmlOptions o = { .timeline = t, .diagram_note = "no diagram here" };
    g_assert_true (
        fsim_html_report (sim->scenario, sim->pop, sim->decisions, sim->result, &o, out, &error));
    g_assert_no_error (error);
    return g_string_free (out, FALSE);
}

/* Strict XML check of the whole page (it is written as polyglot HTML5 / XML). */
static void
assert_well_formed (const char *page)
{
    static const GMarkupParser parser = { 0 };
    g_autoptr (GError) error = NULL;
    g_autoptr (GMarkupParseContext) c = g_markup_parse_context_new (&parser, 0, NULL, NULL);
    g_assert_true (g_markup_parse_context_parse (c, page, -1, &error) &&
                   g_markup_parse_context_end_parse (c, &error));
    g_assert_no_error (error);
}

static void
test_html_well_formed (void)
{
    g_autofree char *page = report ("timeline", "dated.json", TRUE);
    assert_well_formed (page);
    g_assert_true (g_str_has_prefix (page, "<!DOCTYPE html>\n<html lang=\"en\">"));
    g_assert_nonnull (strstr (page, "<section id=\"key-numbers\">"));
    g_assert_nonnull (strstr (page, "<section id=\"jurisdictions\">"));
    g_assert_nonnull (strstr (page, "<section id=\"timeline\">"));
    g_assert_nonnull (strstr (page, "<section id=\"flows\">"));
    g_assert_nonnull (strstr (page, "no diagram here"));
    /* an example route from explain.h */
    g_assert_nonnull (strstr (page, "for example"));
    g_assert_nonnull (strstr (page, "<div class=\"route\">open"));
}

/* Nothing from the input becomes markup; nothing is loaded; no script at all. */
static void
test_html_escaping (void)
{
    g_autofree char *page = report ("html", "inject.json", FALSE);
    assert_well_formed (page);
    static const char *const forbidden[] = {
        "<script",
        "<img",
        "<iframe",
        "<svg onload",
        "<b ",
        "<style>body{display",
        "href=\"javascript",
        "<link",
        "@import",
        "url(",
        "<!-- comment",
    };
    for (size_t i = 0; i < G_N_ELEMENTS (forbidden); i++) {
        g_test_message ("%s", forbidden[i]);
        g_assert_null (strstr (page, forbidden[i]));
    }
    g_assert_nonnull (strstr (page, "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;"));
    g_assert_nonnull (strstr (page, "&lt;/p&gt;&lt;img src=x onerror=alert(1)&gt;"));
    /* only clean http(s) sources become links; the others are text */
    g_assert_nonnull (strstr (page, "<li>javascript:alert(1)</li>"));
    g_assert_nonnull (strstr (page, "<li>https://example.org/a?b=1&amp;c=&lt;d&gt;&quot;e</li>"));
    g_assert_nonnull (
        strstr (page, "<a rel=\"noreferrer noopener\" href=\"https://example.org/ok\">"));
    g_assert_nonnull (strstr (page, "default-src 'none'"));
}

static void
test_html_cli (void)
{
    g_autofree char *path = fsim_test_data_path ("timeline", "dated.json", NULL);
    g_autofree char *dir = draw_tmpdir ();
    g_autofree char *html = g_build_filename (dir, "r.html", NULL);
    g_autofree char *page = NULL;
    g_autoptr (DrawRun) ok = FLOWSIM ("report", path, "--no-diagram", "--output", html,
                                      "--timeline", "2011-01-01:2019-01-01:1y");
    g_autoptr (DrawRun) bad = FLOWSIM ("report", path, "--timeline", "2011-01-01:1y");
    g_autoptr (DrawRun) step = FLOWSIM ("report", path, "--timeline", "2011-01-01:2012-01-01:1q");
    g_autoptr (DrawRun) help = FLOWSIM ("report", "--help");
    const char *const no_dot[] = { "FLOWSIM_DOT=/nonexistent/dot", NULL };
    g_autoptr (DrawRun) missing = FLOWSIM_ENV (no_dot, "report", path);

    g_assert_cmpint (ok->status, ==, 0);
    g_assert_true (g_file_get_contents (html, &page, NULL, NULL));
    assert_well_formed (page);
    g_assert_nonnull (strstr (page, "2015-04-30: API &#39;v1&#39; closes"));
    g_assert_cmpint (bad->status, ==, 2);
    g_assert_cmpint (step->status, ==, 2);
    g_assert_cmpint (help->status, ==, 0);
    g_assert_cmpint (missing->status, ==, 4);
    g_assert_nonnull (strstr (missing->err, "--no-diagram"));
    draw_tmpdir_remove (dir);
}

/* With Graphviz: the inline diagram is sanitized SVG inside a well-formed page. */
static void
test_html_diagram (void)
{
    g_autofree char *path = fsim_test_data_path ("html", "inject.json", NULL);
    if (!draw_have_dot ())
        return;
    g_autoptr (DrawRun) r = FLOWSIM ("report", path);
    g_assert_cmpint (r->status, ==, 0);
    assert_well_formed (r->out);
    g_assert_nonnull (strstr (r->out, "<figure class=\"wide\">\n<svg xmlns="));
    g_assert_null (strstr (r->out, "<svg onload"));
    g_assert_null (strstr (r->out, "<!DOCTYPE svg"));
}

static char *
find_chromium (void)
{
    static const char *const names[] = { "chromium", "chromium-browser", "google-chrome" };
    for (size_t i = 0; i < G_N_ELEMENTS (names); i++) {
        char *path = g_find_program_in_path (names[i]);
        if (path)
            return path;
    }
    return NULL;
}

/* Renders @html in headless Chromium (--dump-dom) and checks there were no console errors. */
static DrawRun *
chromium_render (const char *chromium, const char *html, const char *dir)
{
    g_autofree char *profile = g_build_filename (dir, "profile", NULL);
    g_autofree char *user_data = g_strconcat ("--user-data-dir=", profile, NULL);
    g_autofree char *url = g_filename_to_uri (html, NULL, NULL);
    const char *const argv[] = {
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        "--enable-logging=stderr",
        "--v=0",
        user_data,
        "--virtual-time-budget=2000",
        "--dump-dom",
        url,
        NULL,
    };
    return draw_spawn (argv, NULL);
}

static void
test_html_chromium (void)
{
    g_autofree char *chromium = find_chromium ();
    if (chromium == NULL) {
        g_test_skip ("chromium is not installed (apt-get install chromium)");
        return;
    }
    g_autofree char *dir = draw_tmpdir ();
    g_autofree char *html = g_build_filename (dir, "inject.html", NULL);
    g_autofree char *path = fsim_test_data_path ("html", "inject.json", NULL);
    g_autoptr (DrawRun) made = FLOWSIM ("report", path, "--no-diagram", "--output", html,
                                        "--timeline", "2013-01-01:2016-01-01:6m");
    g_assert_cmpint (made->status, ==, 0);

    g_autoptr (DrawRun) r = chromium_render (chromium, html, dir);
    g_assert_cmpint (r->status, ==, 0);
    g_assert_nonnull (strstr (r->out, "<section id=\"key-numbers\">"));
    g_assert_nonnull (strstr (r->out, "&lt;script&gt;alert('title')&lt;/script&gt;"));
    g_assert_null (strstr (r->out, "<script"));
    g_assert_null (strstr (r->out, "<img"));
    g_assert_null (strstr (r->err, "Uncaught"));
    g_assert_null (strstr (r->err, "ERROR:CONSOLE"));
    g_assert_null (strstr (r->err, "Content Security Policy"));
    g_assert_null (strstr (r->err, "Refused to"));
    draw_tmpdir_remove (dir);
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    g_test_add_func ("/html/well-formed", test_html_well_formed);
    g_test_add_func ("/html/escaping", test_html_escaping);
    g_test_add_func ("/html/cli", test_html_cli);
    g_test_add_func ("/html/diagram", test_html_diagram);
    g_test_add_func ("/html/chromium", test_html_chromium);
    return g_test_run ();
}
