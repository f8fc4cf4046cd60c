/* SPDX-License-Identifier: MIT */
/* test-diagram.c: the flow diagram (DOT goldens, escaping, --top), Graphviz and SVG checks. */
#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib.h>

#include "diagram.h"
#include "draw-util.h"
#include "explain-diagram.h"
#include "graphviz.h"
#include "run-util.h"
#include "svg.h"
#include "text.h"
#include "worst-case.h"

/*
 * Golden files: tests/data/diagram/NAME.json is drawn and compared with NAME.dot. To accept
 * new output after an intended change, run the tests with FLOWSIM_UPDATE_GOLDEN=1
 * (`FLOWSIM_UPDATE_GOLDEN=1 meson test -C build diagram`) and review the diff.
 */

static char *
draw (const char *dir, const char *name, size_t top)
{
    g_autoptr (FsimSim) sim = draw_sim (dir, name);
    FsimDiagramOptions o = { .top = top };
    GString *out = g_string_new (NULL);
    g_assert_true (
        fsim_diagram_write_dot (sim->scenario, sim->decisions, sim->result, &o, out, NULL));
    return g_string_free (out, FALSE);
}

static void
test_diagram_dot_golden (gconstpointer data)
{
    const char *name = data;
    g_autofree char *json = g_strconcat (name, ".json", NULL);
    g_autofree char *golden = g_strconcat (name, ".dot", NULL);
    g_autofree char *path = fsim_test_data_path ("diagram", golden, NULL);
    g_autofree char *dot = draw ("diagram", json, FSIM_DIAGRAM_DEFAULT_TOP);
    g_autofree char *expected = NULL;
    g_autoptr (GError) error = NULL;

    if (g_strcmp0 (g_getenv ("FLOWSIM_UPDATE_GOLDEN"), "1") == 0) {
        g_file_set_contents (path, dot, -1, &error);
        g_assert_no_error (error);
    }
    g_file_get_contents (path, &expected, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (dot, ==, expected);
}

/* The DOT parses: `dot -Tcanon` accepts it. */
static void
test_diagram_dot_parses (gconstpointer data)
{
    const char *name = data;
    g_autofree char *json = g_strconcat (name, ".json", NULL);
    g_autofree char *dot = draw ("diagram", json, 0);
    g_autoptr (GError) error = NULL;
    if (!draw_have_dot ())
        return;
    g_autoptr (GBytes) canon =
        fsim_graphviz_render (NULL, dot, "canon", &fsim_diagram_layout, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_bytes_get_size (canon), >, 0);
}

static void
test_diagram_dot_string (void)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        { "plain", "\"plain\"" },
        { "q\"uote", "\"q\\\"uote\"" },
        { "back\\slash", "\"back\\\\slash\"" },
        { "\\N \\l \\G", "\"\\\\N \\\\l \\\\G\"" },
        { "new\nline\ttab", "\"new?line?tab\"" },
        { "<b>{x|y}</b>", "\"<b>{x|y}</b>\"" },
        { "a & b &amp;", "\"a &amp; b &amp;amp;\"" },
        { "bad \xff utf8", "\"bad \xef\xbf\xbd utf8\"" },
        { "", "\"\"" },
    };
    for (size_t i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autoptr (GString) out = g_string_new (NULL);
        fsim_diagram_dot_string (out, cases[i].in);
        g_assert_cmpstr (out->str, ==, cases[i].out);
    }
}

/* A label line wider than 80 columns goes on over up to three lines of about equal width,
 * broken at spaces; only what is left after them is cut. */
static void
test_diagram_dot_wrap (void)
{
    g_autofree char *path = fsim_test_source_path ("scenarios", "device-partners-2018.json", NULL);
    g_autoptr (DrawRun) r =
        FLOWSIM ("diagram", path, "--set", "population.users=300", "--format", "dot");
    g_assert_cmpint (r->status, ==, 0);
    /* 109 columns: two lines, not 80 and a lone "companies)" */
    g_assert_nonnull (strstr (r->out, "\\n'Friend link': how close the user is to each\\n"
                                      "friend (given to whitelisted companies)\\n"));
    g_assert_nonnull (strstr (r->out, "Contact and calendar sync for Apple and Amazon\\n"
                                      "devices (New York Times, 18 December 2018):\\n"));
    g_assert_null (strstr (r->out, "...")); /* nothing in the default diagram is cut now */

    static const struct {
        const char *in;
        size_t width, max_lines;
        const char *out; /* the lines joined by '|' */
    } cases[] = {
        { "short", 10, 3, "short" },
        { "aaa bbb ccc ddd", 8, 3, "aaa bbb|ccc ddd" },
        { "aaa bbb ccc ddd eee", 10, 3, "aaa bbb|ccc ddd|eee" },
        { "aaa bbb ccc ddd eee fff ggg", 8, 2, "aaa bbb|ccc ddd eee fff ggg" },
        { "averyveryverylongword x", 8, 3, "averyveryverylongword|x" },
        { "", 8, 3, "" },
    };
    for (size_t i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_auto (GStrv) lines = fsim_text_wrap (cases[i].in, cases[i].width, cases[i].max_lines);
        g_autofree char *joined = g_strjoinv ("|", lines);
        g_assert_cmpstr (joined, ==, cases[i].out);
    }
}

/* Hostile names survive the trip through Graphviz as plain text in well-formed SVG. */
static void
test_diagram_svg_escape (void)
{
    g_autofree char *dot = draw ("diagram", "escape.json", 0);
    g_autoptr (GError) error = NULL;
    gsize len = 0;
    if (!draw_have_dot ())
        return;
    g_autoptr (GBytes) svg = fsim_graphviz_render (NULL, dot, "svg", &fsim_diagram_layout, &error);
    g_assert_no_error (error);
    const char *text = g_bytes_get_data (svg, &len);
    g_assert_true (fsim_svg_check (text, (gssize) len, &error));
    g_assert_no_error (error);
    g_autofree char *copy = g_strndup (text, len);
    g_assert_nonnull (strstr (copy, "Name &quot;with&quot; \\quotes\\ and {record|fields} "
                                    "&lt;tags&gt; &amp; &amp;lt;"));
    g_assert_null (strstr (copy, "<tags>"));
    g_assert_null (strstr (copy, "<b>"));
}

static void
test_diagram_svg_tour (void)
{
    g_autofree char *path = fsim_test_source_path ("scenarios", "tour.json", NULL);
    if (!draw_have_dot ())
        return;
    g_autoptr (DrawRun) r = FLOWSIM ("diagram", path, "--format", "svg");
    g_assert_cmpint (r->status, ==, 0);
    g_autoptr (GError) error = NULL;
    g_assert_true (fsim_svg_check (r->out, -1, &error));
    g_assert_no_error (error);
    g_assert_nonnull (strstr (r->out, "Personality quiz app"));
}

static void
test_diagram_png (void)
{
    g_autofree char *path = fsim_test_data_path ("diagram", "small.json", NULL);
    g_autofree char *dir = draw_tmpdir ();
    g_autofree char *png = g_build_filename (dir, "small.png", NULL);
    g_autofree char *bytes = NULL;
    gsize len = 0;
    if (!draw_have_dot ()) {
        draw_tmpdir_remove (dir);
        return;
    }
    /* the format comes from the suffix */
    g_autoptr (DrawRun) r = FLOWSIM ("diagram", path, "--output", png);
    g_assert_cmpint (r->status, ==, 0);
    g_assert_true (g_file_get_contents (png, &bytes, &len, NULL));
    g_assert_cmpuint (len, >, 8);
    g_assert_cmpmem (bytes, 8, "\x89PNG\r\n\x1a\n", 8);
    draw_tmpdir_remove (dir);
}

/* A scenario with @n partners of growing adoption, as JSON text; the five most used are
 * tagged "unnamed". */
static char *
many_partners (size_t n)
{
    GString *s = g_string_new (
        "{\"scenario\": \"many\", \"date\": \"2014-01-01\", \"seed\": 5,\n"
        "\"fields\": [{\"id\": \"a.x\"}, {\"id\": \"b.y\"}],\n"
        "\"apis\": [{\"id\": \"api\", \"scopes\": [{\"id\": \"s\", \"subject\": \"self\", "
        "\"fields\": [\"*\"]}, {\"id\": \"f\", \"subject\": \"friends\", \"fields\": [\"*\"]}]}],\n"
        "\"rules\": [{\"id\": \"r\", \"effect\": \"allow\", \"partners\": [\"*\"]}],\n"
        "\"partners\": [");
    for (size_t p = 0; p < n; p++)
        g_string_append_printf (s,
                                "%s{\"id\": \"p%zu\", \"kind\": \"k%zu\", \"integrates\": "
                                "[\"api\"], \"requests\": [\"*\"], \"destinations\": [{\"id\": "
                                "\"d\", \"location\": \"server\", \"jurisdiction\": \"%s\", "
                                "\"fields\": [\"*\"]}], \"tags\": [\"all\", \"%s\"]}",
                                p ? ",\n" : "", p, p % 3, p % 2 ? "US" : "DE",
                                p + 5 >= n ? "unnamed"
                                : p % 2    ? "odd"
                                           : "even");
    g_string_append (s, "],\n\"population\": {\"generator\": \"erdos_renyi\", \"users\": 400, "
                        "\"mean_degree\": 6, \"adoption\": {");
    for (size_t p = 0; p < n; p++)
        g_string_append_printf (s, "%s\"p%zu\": %.4f", p ? ", " : "", p, 0.001 * (double) (p + 1));
    g_string_append (s, "}}}\n");
    return g_string_free (s, FALSE);
}

static size_t
count (const char *haystack, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr (haystack, needle); p; p = strstr (p + 1, needle))
        n++;
    return n;
}

static char *
draw_many_by (size_t n, size_t top, FsimDiagramGroup by)
{
    g_autofree char *json = many_partners (n);
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimScenario) s = fsim_loader_load_string ("many.json", json, NULL, &error);
    g_assert_no_error (error);
    g_autoptr (FsimPopulation) pop = fsim_population_build (s, &error);
    g_assert_no_error (error);
    g_autoptr (FsimDecisions) dec = fsim_decisions_new (s, s->date);
    g_autoptr (FsimResult) r = fsim_engine_run (s, pop, dec, &error);
    g_assert_no_error (error);
    FsimDiagramOptions o = { .top = top, .group_by = by };
    GString *out = g_string_new (NULL);
    g_assert_true (fsim_diagram_write_dot (s, dec, r, &o, out, NULL));
    return g_string_free (out, FALSE);
}

static char *
draw_many (size_t n, size_t top)
{
    return draw_many_by (n, top, FSIM_DIAGRAM_GROUP_KIND);
}

/* The users a partner box says it reached: "reached N users," or "each reached at most\nN
 * users" after @from; SIZE_MAX when there is none. */
static size_t
box_reach (const char *from)
{
    const char *end = strstr (from, "];\n");
    const char *at = strstr (from, "reached ");
    if (at == NULL || at > end)
        return SIZE_MAX;
    at += strlen ("reached ");
    if (g_str_has_prefix (at, "at most\\n"))
        at += strlen ("at most\\n");
    g_autofree char *digits = g_strndup (at, strspn (at, "0123456789,"));
    g_autoptr (GString) n = g_string_new (NULL);
    for (const char *c = digits; *c; c++)
        if (*c != ',')
            g_string_append_c (n, *c);
    return (size_t) g_ascii_strtoull (n->str, NULL, 10);
}

/* 60 partners: --top 10 draws 10 named partners alone, those that reach most users (the
 * five most used, p55 to p59, are unnamed and not among them), and the others in one box per
 * kind, the unnamed apart, a group of one drawn alone; a group's destinations share one box
 * per jurisdiction. */
static void
test_diagram_top (void)
{
    g_autofree char *top = draw_many (60, 10);
    g_autofree char *all = draw_many (60, 0);
    g_autofree char *deflt = draw_many (60, FSIM_DIAGRAM_DEFAULT_TOP);
    g_autofree char *none = draw_many_by (60, 10, FSIM_DIAGRAM_GROUP_NONE);
    g_autofree char *jur = draw_many_by (60, 10, FSIM_DIAGRAM_GROUP_JURISDICTION);
    g_autofree char *tag = draw_many_by (60, 10, FSIM_DIAGRAM_GROUP_TAG);
    size_t named_alone = 0, unnamed_alone = 0, least_alone = SIZE_MAX, most_grouped = 0;

    for (size_t p = 0; p < 60; p++) {
        g_autofree char *node = g_strdup_printf ("    \"partner:p%zu\" [shape", p);
        const char *at = strstr (top, node);
        if (at && p < 55) {
            named_alone++;
            least_alone = MIN (least_alone, box_reach (at));
        }
        unnamed_alone += at && p >= 55;
    }
    for (const char *at = strstr (top, "other k"); at; at = strstr (at + 1, "other k"))
        if (box_reach (at) != SIZE_MAX) /* not a destination box */
            most_grouped = MAX (most_grouped, box_reach (at));
    g_test_message ("named alone %zu, least of them %zu, most of a named group %zu", named_alone,
                    least_alone, most_grouped);
    g_assert_cmpuint (named_alone, ==, 10);
    g_assert_cmpuint (least_alone, >=, most_grouped);
    g_assert_cmpuint (most_grouped, >, 0);
    /* p55..p59: kinds k1, k2, k0, k1, k2: groups of two k1s and two k2s, p57 alone */
    g_assert_cmpuint (unnamed_alone, ==, 1);
    g_assert_nonnull (strstr (top, "    \"partner:p57\" [shape"));
    g_assert_nonnull (strstr (top, "\"2 unnamed k1s\\n"));
    g_assert_nonnull (strstr (top, "\"2 unnamed k2s\\n"));
    g_assert_cmpuint (count (top, "    \"partner:"), ==, 10 + 1 + 3 + 2);
    g_assert_nonnull (strstr (top, "\"dest:(group 1)@US\""));
    g_assert_cmpuint (count (all, "    \"partner:"), ==, 60);
    g_assert_null (strstr (all, "(group"));
    g_assert_cmpuint (count (deflt, "    \"partner:"), >, FSIM_DIAGRAM_DEFAULT_TOP);
    g_assert_cmpuint (count (none, "    \"partner:"), ==, 10 + 2);
    g_assert_nonnull (strstr (none, "\"45 other partners\\n"));
    g_assert_nonnull (strstr (none, "\"5 unnamed partners\\n"));
    g_assert_nonnull (strstr (jur, "\"45 partners, country not given\\n"));
    g_assert_nonnull (strstr (tag, "\"5 partners tagged unnamed\\n"));
    g_assert_null (strstr (tag, "tagged all")); /* every partner has it: it tells nothing */
}

/* Graphviz missing or failing: a clear error, status 4 from the CLI; dot output still works. */
static void
test_diagram_graphviz_missing (void)
{
    g_autoptr (GError) error = NULL;
    g_autofree char *path = fsim_test_data_path ("diagram", "small.json", NULL);
    const char *const env[] = { "FLOWSIM_DOT=/nonexistent/dot", NULL };

    /* the library reads no environment: the program is a parameter */
    g_setenv ("FLOWSIM_DOT", "/nonexistent/dot", TRUE);
    g_autofree char *in_path = g_find_program_in_path ("dot");
    g_autofree char *found = fsim_graphviz_program (NULL);
    g_assert_cmpstr (found, ==, in_path);
    g_unsetenv ("FLOWSIM_DOT");
    g_assert_null (fsim_graphviz_program ("/nonexistent/dot"));
    g_assert_null (fsim_graphviz_render ("/nonexistent/dot", "digraph{}", "svg",
                                         &fsim_diagram_layout, &error));
    g_assert_error (error, FSIM_GRAPHVIZ_ERROR, FSIM_GRAPHVIZ_ERROR_MISSING);
    g_assert_nonnull (strstr (error->message, "'/nonexistent/dot' was not found (FLOWSIM_DOT)"));

    g_autoptr (DrawRun) r = FLOWSIM_ENV (env, "diagram", path, "--format", "svg");
    g_assert_cmpint (r->status, ==, 4);
    g_assert_nonnull (strstr (r->err, "needs Graphviz"));
    g_assert_cmpstr (r->out, ==, "");
    g_autoptr (DrawRun) d = FLOWSIM_ENV (env, "diagram", path);
    g_assert_cmpint (d->status, ==, 0);
    g_assert_true (g_str_has_prefix (d->out, "digraph flowsim {"));
}

static void
test_diagram_graphviz_fails (void)
{
    g_autoptr (GError) error = NULL;
    g_autofree char *f = g_find_program_in_path ("false");
    if (f == NULL) {
        g_test_skip ("no 'false' program");
        return;
    }
    g_assert_null (fsim_graphviz_render (f, "digraph{}", "svg", &fsim_diagram_layout, &error));
    g_assert_error (error, FSIM_GRAPHVIZ_ERROR, FSIM_GRAPHVIZ_ERROR_FAILED);
    g_clear_error (&error);
    if (!draw_have_dot ())
        return;
    g_assert_null (
        fsim_graphviz_render (NULL, "digraph { a -> }", "svg", &fsim_diagram_layout, &error));
    g_assert_error (error, FSIM_GRAPHVIZ_ERROR, FSIM_GRAPHVIZ_ERROR_FAILED);
}

/* A stand-in for `dot` in @dir: a shell script running @command (transfer full). */
static char *
fake_dot (const char *dir, const char *command)
{
    g_autofree char *text = g_strdup_printf ("#!/bin/sh\nexec %s\n", command);
    char *path = fsim_test_write (dir, "fake-dot", text, -1);
    g_assert_cmpint (g_chmod (path, 0700), ==, 0);
    return path;
}

/* Issue 11: what Graphviz writes back goes to a temporary file and is read into a room made with
 * a tried allocation. A `dot` that writes 64 MiB, in a child whose address space is capped 16 MiB
 * above what it uses, is an out-of-memory error; before, its stdout was read from a pipe into a
 * GLib buffer and the child aborted. The cap lifted, the same drawing is read whole. */
static void
test_diagram_graphviz_out_of_memory (void)
{
    if (!fsim_test_capped_child ())
        return;
    g_autofree char *dir = draw_tmpdir ();
    g_autofree char *dot = fake_dot (dir, "head -c 67108864 /dev/zero");
    g_autoptr (GError) error = NULL;
    if (!fsim_test_address_space_cap (16 << 20))
        return;
    g_autoptr (GBytes) capped =
        fsim_graphviz_render (dot, "digraph{}", "svg", &fsim_diagram_layout, &error);
    g_autoptr (GString) text = g_string_new ("digraph{}");
    g_autoptr (GError) convert_error = NULL;
    gboolean converted =
        fsim_graphviz_convert (dot, text, "svg", &fsim_diagram_layout, &convert_error);
    fsim_test_address_space_uncap ();
    g_assert_null (capped);
    g_assert_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_NOMEM);
    g_assert_cmpstr (error->message, ==,
                     "out of memory: needed 67108865 bytes for the drawing from Graphviz");
    g_assert_false (converted);
    g_assert_error (convert_error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_NOMEM);
    g_assert_cmpstr (text->str, ==, "digraph{}"); /* unchanged */
    g_clear_error (&error);

    g_autoptr (GBytes) drawing =
        fsim_graphviz_render (dot, "digraph{}", "svg", &fsim_diagram_layout, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_bytes_get_size (drawing), ==, 67108864);
    g_assert_true (fsim_graphviz_convert (dot, text, "svg", &fsim_diagram_layout, &error));
    g_assert_cmpuint (text->len, ==, 67108864);
    draw_tmpdir_remove (dir);
}

/* Issue 11: the boxes and lines of flowsim's DOT are counted, in one pass, without being fooled
 * by "->", ';' or quotes inside labels; over the limits given the graph is refused with its
 * counts, before any `dot` runs. */
static void
test_diagram_graphviz_check_size (void)
{
    const char *dot = "digraph flowsim {\n  graph [label=\"a -> b; \\\"c\\\" -> d\"];\n"
                      "  subgraph cluster_0 {\n    label=\"x\"; fontsize=15;\n"
                      "    \"a\" [label=\"A -> B\"];\n    \"b;c\" [shape=box];\n"
                      "    \"legend\" [label=<<TABLE><TR><TD>x -&gt; y; \"</TD></TR></TABLE>>];\n"
                      "  }\n  \"a\" -> \"b;c\" [label=\"1 -> 2\"];\n  \"b;c\" -> \"a\";\n"
                      "  \"a\" -> \"legend\" -> \"a\" [style=invis]\n}\n";
    g_autoptr (GError) error = NULL;
    const FsimGraphvizBounds fits = { 3, 4, 0, "draw less" }, boxes = { 2, 4, 0, "draw less" },
                             lines = { 3, 3, 0, "draw less" };
    g_assert_true (fsim_graphviz_check_size (dot, &fits, &error));
    g_assert_no_error (error);
    g_assert_false (fsim_graphviz_check_size (dot, &boxes, &error));
    g_assert_error (error, FSIM_GRAPHVIZ_ERROR, FSIM_GRAPHVIZ_ERROR_TOO_LARGE);
    g_assert_cmpstr (error->message, ==,
                     "the graph has 3 boxes and 4 lines, more than the 2 boxes and 4 lines "
                     "flowsim gives Graphviz to lay out (beyond them its layout can take minutes "
                     "and gigabytes): draw less");
    g_clear_error (&error);
    g_assert_false (fsim_graphviz_check_size (dot, &lines, &error));
    g_assert_error (error, FSIM_GRAPHVIZ_ERROR, FSIM_GRAPHVIZ_ERROR_TOO_LARGE);
    g_clear_error (&error);
    /* every way to Graphviz counts first: a `dot` that does not exist is never looked for */
    g_assert_null (fsim_graphviz_render ("/nonexistent/dot", dot, "svg", &boxes, &error));
    g_assert_error (error, FSIM_GRAPHVIZ_ERROR, FSIM_GRAPHVIZ_ERROR_TOO_LARGE);
    g_clear_error (&error);
    g_autoptr (GString) text = g_string_new (dot);
    g_assert_false (fsim_graphviz_convert ("/nonexistent/dot", text, "svg", &lines, &error));
    g_assert_error (error, FSIM_GRAPHVIZ_ERROR, FSIM_GRAPHVIZ_ERROR_TOO_LARGE);
    g_assert_cmpstr (text->str, ==, dot);
    g_clear_error (&error);
    g_assert_true (fsim_graphviz_convert ("/nonexistent/dot", text, "dot", &lines, &error));
}

/* Issue 11: within its boxes and lines, a graph is placed in columns as `dot` places it, and
 * refused when its lines pass through more columns without a box than its bounds allow (what
 * makes `dot` slow on chains of partners): here a chain a -> b -> c -> d -> e, lines from a to
 * d and e (2 + 3 passes), one from c to e (1), and e -> a, which closes a cycle and is turned
 * round (3). Ids appear in edges before their node statements, and an attribute's quoted value
 * is not a box. */
static void
test_diagram_graphviz_passes (void)
{
    const char *dot = "digraph flowsim {\n  \"a\" -> \"b\" -> \"c\" [label=\"x -> y\"];\n"
                      "  \"c\" -> \"d\" -> \"e\";\n  \"a\" -> \"d\" [color=\"a\"];\n"
                      "  \"a\" -> \"e\";  \"c\" -> \"e\"\n  \"e\" -> \"a\";\n"
                      "  \"a\" [label=\"e\"];\n  \"f\";\n  \"f\" -> \"f\";\n}\n";
    g_autoptr (GError) error = NULL;
    const FsimGraphvizBounds fits = { 10, 10, 9, "draw less" }, deep = { 10, 10, 8, "draw less" };
    g_assert_true (fsim_graphviz_check_size (dot, &fits, &error));
    g_assert_no_error (error);
    g_assert_false (fsim_graphviz_check_size (dot, &deep, &error));
    g_assert_error (error, FSIM_GRAPHVIZ_ERROR, FSIM_GRAPHVIZ_ERROR_TOO_LARGE);
    g_assert_cmpstr (error->message, ==,
                     "the graph is 5 columns deep (partners that share with partners make a "
                     "chain), and its 9 lines pass through 9 columns without a box, more than "
                     "the 8 flowsim gives Graphviz to lay out (beyond them its layout can take "
                     "minutes): draw less");
}

/* Issue 11: `dot` runs with at most FSIM_GRAPHVIZ_MAX_CPU_SECONDS of CPU time and
 * FSIM_GRAPHVIZ_MAX_MEMORY of address space (a stand-in `dot` reports its limits), and one
 * stopped for its CPU time (SIGXCPU) is FSIM_GRAPHVIZ_ERROR_TOO_LARGE, not a failure. */
static void
test_diagram_graphviz_limits (void)
{
    g_autofree char *dir = draw_tmpdir ();
    g_autoptr (GError) error = NULL;
    g_autofree char *limits =
        fake_dot (dir, "sh -c 'echo \"limits $(ulimit -t) $(ulimit -v)\" >&2; exit 1'");
    g_assert_null (fsim_graphviz_render (limits, "digraph{}", "svg", &fsim_diagram_layout, &error));
    g_assert_error (error, FSIM_GRAPHVIZ_ERROR, FSIM_GRAPHVIZ_ERROR_FAILED);
    g_autofree char *expected =
        g_strdup_printf ("failed: limits %d %" G_GUINT64_FORMAT, FSIM_GRAPHVIZ_MAX_CPU_SECONDS,
                         (guint64) FSIM_GRAPHVIZ_MAX_MEMORY / 1024);
    g_assert_true (g_str_has_suffix (error->message, expected));
    g_clear_error (&error);

    g_autofree char *xcpu = fake_dot (dir, "sh -c 'kill -XCPU $$'");
    g_assert_null (fsim_graphviz_render (xcpu, "digraph{}", "svg", &fsim_diagram_layout, &error));
    g_assert_error (error, FSIM_GRAPHVIZ_ERROR, FSIM_GRAPHVIZ_ERROR_TOO_LARGE);
    g_autofree char *stopped =
        g_strdup_printf ("was stopped after %d s of CPU time laying out the graph: draw less of "
                         "it (--top, --partner, --field)",
                         FSIM_GRAPHVIZ_MAX_CPU_SECONDS);
    g_assert_nonnull (strstr (error->message, stopped));
    draw_tmpdir_remove (dir);
}

/* Issue 11: pictures users rely on stay within the layout bounds and are drawn: every partner
 * of the default scenario (--top 0: 130 boxes and 247 lines, `dot` 0.1 s; refused when the
 * lines were bounded at 200) and one user's explanation on every bundled scenario that has a
 * user u1 (up to 142 boxes and 4,105 lines, without chains: no passes; 4.4 s of `dot` CPU for
 * the largest, so only the smallest is laid out here). */
static void
test_diagram_graphviz_layout_limits (void)
{
    if (!draw_have_dot ())
        return;
    g_autofree char *path = fsim_test_source_path ("scenarios", "device-partners-2018.json", NULL);
    g_autoptr (GError) error = NULL;
    g_autoptr (DrawRun) svg = FLOWSIM ("diagram", path, "--top", "0", "--format", "svg");
    g_assert_cmpint (svg->status, ==, 0);
    g_assert_nonnull (strstr (svg->out, "</svg>"));
    g_autofree char *dir_path = fsim_test_source_path ("scenarios", NULL);
    g_autoptr (GDir) dir = g_dir_open (dir_path, 0, &error);
    g_assert_no_error (error);
    size_t explained = 0;
    for (const char *name; (name = g_dir_read_name (dir));) {
        g_autofree char *scenario = g_build_filename (dir_path, name, NULL);
        g_autoptr (DrawRun) flow = FLOWSIM ("diagram", scenario, "--top", "0");
        g_assert_cmpint (flow->status, ==, 0);
        g_assert_true (fsim_graphviz_check_size (flow->out, &fsim_diagram_layout, &error));
        g_assert_no_error (error);
        g_autoptr (DrawRun) e = FLOWSIM ("explain", scenario, "--user", "u1", "--format", "dot");
        if (strstr (e->err, "no user 'u1'"))
            continue;
        g_assert_cmpint (e->status, ==, 0);
        g_assert_true (fsim_graphviz_check_size (e->out, &fsim_diagram_layout, &error));
        g_assert_no_error (error);
        explained++;
    }
    g_assert_cmpuint (explained, >=, 10);
    g_autofree char *v1 = fsim_test_source_path ("scenarios", "graph-api-v1-2013.json", NULL);
    g_autoptr (DrawRun) e = FLOWSIM ("explain", v1, "--user", "u1", "--format", "svg");
    g_assert_cmpint (e->status, ==, 0);
    g_assert_nonnull (strstr (e->out, "</svg>"));
}

/* A scenario whose @n fields are each a group of their own, all offered by one scope to one
 * partner (transfer full). */
static char *
many_groups_json (guint n)
{
    GString *out = g_string_new ("{ \"scenario\": \"groups\", \"title\": \"groups\", "
                                 "\"date\": \"2014-06-01\", \"seed\": 1, \"fields\": [");
    for (guint g = 0; g < n; g++)
        g_string_append_printf (out, "%s{ \"id\": \"g%u.f\" }", g ? ", " : "", g);
    g_string_append (out,
                     "], \"apis\": [{ \"id\": \"a\", \"active\": { \"from\": \"2010-01-01\" }, "
                     "\"respects\": [\"audience\"], \"scopes\": [{ \"id\": \"s\", \"subject\": "
                     "\"self\", \"fields\": [\"*\"] }] }], \"partners\": [{ \"id\": \"p\", "
                     "\"kind\": \"app\", \"integrates\": [\"a\"], \"requests\": [\"*\"], "
                     "\"destinations\": [{ \"id\": \"d\", \"location\": \"server\", "
                     "\"jurisdiction\": \"US\", \"fields\": [\"*\"] }] }], \"rules\": [{ \"id\": "
                     "\"all\", \"effect\": \"allow\", \"partners\": [\"*\"], \"apis\": [\"*\"], "
                     "\"scopes\": [\"*\"], \"from\": \"2010-01-01\" }], \"population\": { "
                     "\"generator\": \"erdos_renyi\", \"users\": 50, \"mean_degree\": 4, "
                     "\"settings\": { \"audience\": { \"*\": { \"public\": 1 } } }, "
                     "\"adoption\": { \"*\": 1 } } }\n");
    return g_string_free (out, FALSE);
}

/* Issue 11: `explain` and `diff` drawings are counted before `dot` runs, as the flow diagram
 * is, through the same check: over their bounds, `--format svg` stops at once with status 2,
 * the counts and each command's own advice, and the stand-in `dot` is never run. On a small
 * model (16 partners sharing in a ring, 16 fields of 16 groups) one user's routes are 49 boxes
 * and 304 lines 19 columns deep, whose lines pass through 1,934 columns (`dot` takes 1.7 s of
 * CPU; with 24 partners, 448 lines and 4,438 passes, 27 s); a comparison of 320 field groups
 * losing every flow is 322 boxes, over its 300. Before, both went to `dot`.
 * DOT is always written, and a narrower drawing is given to `dot`; one that `dot` cannot lay out
 * within its CPU time is status 2 as well. */
static void
test_diagram_graphviz_bounded_commands (void)
{
    g_autofree char *dir = draw_tmpdir ();
    FsimWorstCase w = FSIM_WORST_CASE_DEFAULTS;
    w.partners = 16, w.scopes_per_api = 16, w.fields = 16, w.rules = 8, w.users = 100;
    g_autofree char *json = fsim_worst_case_json (&w);
    g_autofree char *model = fsim_test_write (dir, "ring.json", json, -1);
    g_autofree char *groups_json = many_groups_json (320);
    g_autofree char *groups = fsim_test_write (dir, "groups.json", groups_json, -1);
    g_autofree char *ran = g_build_filename (dir, "dot-ran", NULL);
    g_autofree char *command = g_strdup_printf ("sh -c 'touch \"%s\"; echo \"<svg/>\"'", ran);
    g_autofree char *dot = fake_dot (dir, command);
    g_autofree char *env_dot = g_strconcat ("FLOWSIM_DOT=", dot, NULL);
    const char *const env[] = { env_dot, NULL };
    const struct {
        const char *const *args, *counts, *advice;
    } cases[] = {
        { (const char *const[]){ "explain", model, "--user", "u1", "--format", "svg", NULL },
          "the graph is 19 columns deep (partners that share with partners make a chain), and "
          "its 304 lines pass through 1934 columns without a box, more than the 1500 flowsim "
          "gives Graphviz to lay out",
          "draw less of it (--field, --partner, --destination), or write it as DOT" },
        { (const char *const[]){ "diff", groups, "--set", "date=2009-01-01", "--format", "svg",
                                 NULL },
          "the graph has 322 boxes and 321 lines, more than the 300 boxes and 2000 lines "
          "flowsim gives Graphviz to lay out",
          "draw less of it (--partner, --field, --jurisdiction), or write it as DOT" },
    };
    for (size_t i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autoptr (DrawRun) r = draw_flowsim (env, cases[i].args);
        g_assert_cmpint (r->status, ==, 2);
        g_assert_cmpstr (r->out, ==, "");
        fsim_assert_contains (r->err, cases[i].counts);
        fsim_assert_contains (r->err, cases[i].advice);
        g_assert_false (g_file_test (ran, G_FILE_TEST_EXISTS));
    }
    g_autoptr (DrawRun) e = FLOWSIM_ENV (env, "explain", model, "--user", "u1", "--format", "dot");
    g_assert_cmpint (e->status, ==, 0);
    g_assert_true (g_str_has_prefix (e->out, "digraph"));
    /* narrowed as the advice says, the same explanation is drawn */
    g_autoptr (DrawRun) narrow =
        FLOWSIM_ENV (env, "explain", model, "--user", "u1", "--partner", "p1", "--format", "svg");
    g_assert_cmpint (narrow->status, ==, 0);
    g_assert_cmpstr (narrow->out, ==, "<svg/>\n");
    g_assert_true (g_file_test (ran, G_FILE_TEST_EXISTS));
    /* the comparison of the ring model that loses every flow, 48 boxes and 272 lines, is
     * within the comparison's bounds */
    g_autoptr (DrawRun) diff =
        FLOWSIM_ENV (env, "diff", model, "--set", "date=2009-01-01", "--format", "svg");
    g_assert_cmpint (diff->status, ==, 0);
    g_assert_cmpstr (diff->out, ==, "<svg/>\n");
    /* a `dot` stopped at its CPU time is status 2 for them too (it was 4), with their advice */
    g_autofree char *xcpu = fake_dot (dir, "sh -c 'kill -XCPU $$'");
    g_autofree char *env_xcpu = g_strconcat ("FLOWSIM_DOT=", xcpu, NULL);
    const char *const stopped_env[] = { env_xcpu, NULL };
    g_autoptr (DrawRun) stopped = FLOWSIM_ENV (stopped_env, "explain", model, "--user", "u1",
                                               "--partner", "p1", "--format", "svg");
    g_assert_cmpint (stopped->status, ==, 2);
    fsim_assert_contains (stopped->err, "was stopped after 30 s of CPU time laying out the graph: "
                                        "draw less of it (--field, --partner, --destination)");
    g_autoptr (DrawRun) stopped_diff =
        FLOWSIM_ENV (stopped_env, "diff", model, "--set", "date=2009-01-01", "--format", "svg");
    g_assert_cmpint (stopped_diff->status, ==, 2);
    fsim_assert_contains (stopped_diff->err,
                          "draw less of it (--partner, --field, --jurisdiction)");
    draw_tmpdir_remove (dir);
}

/* Graphviz's input, output and messages are files without a name (issue 11's fifth pass): a
 * flowsim killed by SIGKILL while `dot` runs, which no handler sees, leaves nothing in $TMPDIR.
 * Before, they were flowsim-XXXXXXXX.dot, .out and .err there, and stayed. */
static void
test_diagram_graphviz_killed (void)
{
    g_autofree char *dir = draw_tmpdir ();
    g_autofree char *tmp = g_build_filename (dir, "tmp", NULL);
    g_autofree char *started = g_build_filename (dir, "started", NULL);
    g_autofree char *command = g_strdup_printf ("sh -c 'touch \"%s\"; exec sleep 30'", started);
    g_autofree char *dot = fake_dot (dir, command);
    g_autofree char *scenario = fsim_test_data_path ("diagram", "small.json", NULL);
    g_autoptr (GError) error = NULL;
    g_assert_cmpint (g_mkdir (tmp, 0700), ==, 0);

    g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (
        G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
    g_subprocess_launcher_setenv (launcher, "TMPDIR", tmp, TRUE);
    g_subprocess_launcher_setenv (launcher, "FLOWSIM_DOT", dot, TRUE);
    g_autoptr (GSubprocess) proc = g_subprocess_launcher_spawn (
        launcher, &error, g_getenv ("FLOWSIM"), "diagram", scenario, "-f", "svg", NULL);
    g_assert_no_error (error);
    for (int i = 0; i < 600 && !g_file_test (started, G_FILE_TEST_EXISTS); i++)
        g_usleep (50000);
    g_assert_true (g_file_test (started, G_FILE_TEST_EXISTS)); /* `dot` is running */
    g_subprocess_force_exit (proc);                            /* SIGKILL */
    g_subprocess_wait (proc, NULL, &error);
    g_assert_no_error (error);
    g_autofree char *left = fsim_test_dir_listing (tmp);
    g_assert_cmpstr (left, ==, "");
    draw_tmpdir_remove (dir);
}

/* Issue 11's sixth pass: `dot` writes its drawing and its messages to $TMPDIR, and when that
 * file system fills, both are lost and `dot` fails saying nothing. flowsim says the folder is
 * full and how to go on; before, it said only "failed: no message". $TMPDIR is a 64 KiB tmpfs
 * mounted in a user namespace of its own (`unshare -rm`); the test is skipped where there is
 * none to be had. A `dot` that fails silently with room left is still "no message". */
static void
test_diagram_graphviz_tmpdir_full (void)
{
    g_autofree char *dir = draw_tmpdir ();
    g_autofree char *tmp = g_build_filename (dir, "tmp", NULL);
    g_autofree char *dot = fake_dot (dir, "sh -c 'cat >/dev/null; head -c 1048576 /dev/zero; "
                                          "exit 1'");
    g_autofree char *env_dot = g_strconcat ("FLOWSIM_DOT=", dot, NULL);
    g_autofree char *scenario = fsim_test_data_path ("diagram", "small.json", NULL);
    g_autofree char *unshare = g_find_program_in_path ("unshare");
    const char *const env[] = { env_dot, NULL };
    g_assert_cmpint (g_mkdir (tmp, 0700), ==, 0);
    if (unshare == NULL) {
        g_test_skip ("no unshare(1) to mount a small file system");
        draw_tmpdir_remove (dir);
        return;
    }
    const char *const argv[] = { unshare,
                                 "-rm",
                                 "/bin/sh",
                                 "-c",
                                 "mount -t tmpfs -o size=64k tmpfs \"$0\" 2>/dev/null || exit 77; "
                                 "TMPDIR=\"$0\" exec \"$@\"",
                                 tmp,
                                 g_getenv ("FLOWSIM"),
                                 "diagram",
                                 scenario,
                                 "-f",
                                 "svg",
                                 NULL };
    g_autoptr (DrawRun) full = draw_spawn (argv, env);
    if (full->status == 77 || (full->status == 1 && strstr (full->err, "unshare") != NULL)) {
        g_test_skip ("cannot mount a tmpfs in a user namespace here");
        draw_tmpdir_remove (dir);
        return;
    }
    g_assert_cmpint (full->status, ==, 4);
    g_assert_cmpstr (full->out, ==, "");
    g_autofree char *said = g_strdup_printf (
        "failed: no message, and the folder for its files ('%s', from $TMPDIR) has no space "
        "left: free some there, or set TMPDIR to a folder with room\n",
        tmp);
    fsim_assert_contains (full->err, said);
    /* eighth pass: the file system full before dot runs, flowsim's own write of the graph
     * failing said "cannot write the graph for Graphviz: No space left on device", not where */
    const char *const filled[] = {
        unshare,
        "-rm",
        "/bin/sh",
        "-c",
        "mount -t tmpfs -o size=64k tmpfs \"$0\" 2>/dev/null || exit 77; "
        "cat /dev/zero > \"$0/fill\" 2>/dev/null; "
        "TMPDIR=\"$0\" exec \"$@\"",
        tmp,
        g_getenv ("FLOWSIM"),
        "diagram",
        scenario,
        "-f",
        "svg",
        NULL
    };
    g_autoptr (DrawRun) no_room = draw_spawn (filled, env);
    g_assert_cmpint (no_room->status, ==, 4);
    g_autofree char *where = g_strdup_printf (
        "flowsim: error: cannot write the graph for Graphviz in the folder for its files ('%s', "
        "from $TMPDIR): No space left on device\n",
        tmp);
    g_assert_cmpstr (no_room->err, ==, where);
    /* and a $TMPDIR with a line break is one error on one line */
    const char *const broken_env[] = { env_dot, "TMPDIR=/nonexistent/flowsim\ntmp", NULL };
    g_autoptr (DrawRun) broken = FLOWSIM_ENV (broken_env, "diagram", scenario, "-f", "svg");
    g_assert_cmpint (broken->status, ==, 4);
    g_assert_cmpstr (broken->err, ==,
                     "flowsim: error: cannot write the graph for Graphviz: cannot create a "
                     "temporary file in '/nonexistent/flowsim?tmp': No such file or directory\n");
    /* with room, a silent `dot` is a silent `dot` */
    const char *const tmp_env[] = { env_dot, NULL };
    g_autoptr (DrawRun) roomy = FLOWSIM_ENV (tmp_env, "diagram", scenario, "-f", "svg");
    g_assert_cmpint (roomy->status, ==, 4);
    fsim_assert_contains (roomy->err, "failed: no message\n");
    draw_tmpdir_remove (dir);
}

/* Runs flowsim with @args (NULL-ended) under `ulimit -v @cap_mib` MiB and FLOWSIM_DOT=@dot. */
static DrawRun *
flowsim_capped (const char *dot, unsigned cap_mib, const char *const *args)
{
    g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
    g_ptr_array_add (argv, g_strdup ("/bin/sh"));
    g_ptr_array_add (argv, g_strdup ("-c"));
    g_ptr_array_add (argv, g_strdup_printf ("ulimit -v %u && exec \"$0\" \"$@\"", cap_mib * 1024));
    g_ptr_array_add (argv, g_strdup (g_getenv ("FLOWSIM")));
    for (size_t i = 0; args[i]; i++)
        g_ptr_array_add (argv, g_strdup (args[i]));
    g_ptr_array_add (argv, NULL);
    g_autofree char *env_dot = g_strconcat ("FLOWSIM_DOT=", dot, NULL);
    const char *const env[] = { env_dot, "FLOWSIM_THREADS=1", NULL };
    return draw_spawn ((const char *const *) argv->pdata, env);
}

/* Issue 11: the SVG the HTML report embeds is sanitized into a room made with a tried
 * allocation, to the size a first pass counts. 48 MiB of drawing, in a child capped 16 MiB
 * above what it uses, is an out-of-memory error; before, the sanitized copy grew through
 * g_realloc and the child aborted. The cap lifted, the copy is exactly the size counted. */
static void
test_diagram_svg_out_of_memory (void)
{
    if (fsim_test_under_valgrind ()) { /* skipped at the cap: not worth building the input */
        g_test_skip ("valgrind's address space is its own");
        return;
    }
    if (!fsim_test_capped_child ())
        return;
    const char *head = "<svg xmlns=\"http://www.w3.org/2000/svg\">", *tail = "</svg>";
    size_t n = (48u << 20) / 7;
    GString *svg = g_string_sized_new (n * 7 + 64);
    g_string_append (svg, head);
    for (size_t i = 0; i < n; i++)
        g_string_append (svg, "<g></g>");
    g_string_append (svg, tail);
    g_autoptr (GError) error = NULL;
    if (!fsim_test_address_space_cap (16 << 20))
        return;
    g_autofree char *capped = fsim_svg_sanitize (svg->str, (gssize) svg->len, &error);
    fsim_test_address_space_uncap ();
    g_assert_null (capped);
    g_assert_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_NOMEM);
    g_autofree char *want =
        g_strdup_printf ("out of memory: needed %zu bytes for the diagram's SVG", svg->len + 1);
    g_assert_cmpstr (error->message, ==, want);
    g_clear_error (&error);
    g_autofree char *whole = fsim_svg_sanitize (svg->str, (gssize) svg->len, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (whole, ==, svg->str);
    g_string_free (svg, TRUE);
}

/* Issue 11, through the command line: `diagram`, `explain` and `diff --format svg` with a `dot`
 * whose drawing (a sparse file of 900 MiB) does not fit under `ulimit -v` 300 MiB end with exit 4
 * and one `out of memory` line, and leave their --output target as it was; a drawing over
 * FSIM_GRAPHVIZ_MAX_BYTES (2 GiB) is refused by its size before it is read. */
static void
test_diagram_graphviz_cli_out_of_memory (void)
{
#ifdef UNDER_ASAN
    g_test_skip ("AddressSanitizer reserves more address space than the cap");
    return;
#endif
    if (fsim_test_under_valgrind ()) {
        g_test_skip ("valgrind needs more address space than the cap");
        return;
    }
    g_autofree char *dir = draw_tmpdir ();
    g_autofree char *target = fsim_test_write (dir, "target.svg", "kept", -1);
    g_autofree char *small = fsim_test_data_path ("diagram", "small.json", NULL);
    g_autofree char *tour = fsim_test_source_path ("scenarios", "tour.json", NULL);
    const char *const *commands[] = {
        (const char *const[]){ "diagram", small, "--format", "svg", "--output", target, NULL },
        (const char *const[]){ "explain", tour, "--user", "dave", "--format", "svg", "--output",
                               target, NULL },
        (const char *const[]){ "diff", tour, "--set", "date=2015-05-01", "--format", "svg",
                               "--output", target, NULL },
    };
    g_autofree char *big = fake_dot (dir, "truncate -s 900M /dev/stdout");
    for (size_t i = 0; i < G_N_ELEMENTS (commands); i++) {
        g_autoptr (DrawRun) r = flowsim_capped (big, 300, commands[i]);
        g_assert_cmpint (r->status, ==, 4);
        g_assert_cmpstr (r->err, ==,
                         "flowsim: error: out of memory: needed 943718401 bytes for the drawing "
                         "from Graphviz\n");
        g_autofree char *kept = NULL;
        g_assert_true (g_file_get_contents (target, &kept, NULL, NULL));
        g_assert_cmpstr (kept, ==, "kept");
    }
    g_autofree char *huge = fake_dot (dir, "truncate -s 2G /dev/stdout");
    g_autoptr (DrawRun) r = flowsim_capped (huge, 300, commands[0]);
    g_assert_cmpint (r->status, ==, 4);
    fsim_assert_contains (r->err, "wrote 2147483648 bytes, more than the 1073741824 flowsim reads "
                                  "back");
    g_autofree char *kept = NULL;
    g_assert_true (g_file_get_contents (target, &kept, NULL, NULL));
    g_assert_cmpstr (kept, ==, "kept");
    draw_tmpdir_remove (dir);
}

static void
test_diagram_cli_usage (void)
{
    g_autofree char *path = fsim_test_data_path ("diagram", "small.json", NULL);
    g_autoptr (DrawRun) a = FLOWSIM ("diagram", path, "--format", "pdf");
    g_autoptr (DrawRun) b = FLOWSIM ("diagram", path, "--top", "many");
    g_autoptr (DrawRun) c = FLOWSIM ("diagram", path, "extra");
    g_autoptr (DrawRun) d = FLOWSIM ("diagram", "--help");
    g_autoptr (DrawRun) e = FLOWSIM ("diagram", "/nonexistent.json");
    g_autoptr (DrawRun) f =
        FLOWSIM ("diagram", path, "--top", "1", "--group-by", "none", "--format", "dot");
    g_assert_cmpint (a->status, ==, 2);
    g_assert_nonnull (strstr (a->err, "unknown format 'pdf'"));
    g_assert_cmpint (b->status, ==, 2);
    g_assert_cmpint (c->status, ==, 2);
    g_assert_cmpint (d->status, ==, 0);
    g_assert_nonnull (strstr (d->out, "--top"));
    g_assert_cmpint (e->status, ==, 3);
    g_assert_cmpint (f->status, ==, 0);
    g_assert_nonnull (strstr (f->out, "3 other partners"));
}

/* --partner, --field and --jurisdiction draw only what answers the question; --aspect asks
 * Graphviz for the shape; a selector that selects nothing is a usage error. */
static void
test_diagram_focus (void)
{
    g_autofree char *path = fsim_test_data_path ("diagram", "small.json", NULL);
    g_autoptr (DrawRun) partner = FLOWSIM ("diagram", path, "--partner", "phone*");
    g_autoptr (DrawRun) kind =
        FLOWSIM ("diagram", path, "--partner", "kind:data_broker", "--partner", "quiz");
    g_autoptr (DrawRun) field = FLOWSIM ("diagram", path, "--field", "profile.religion");
    g_autoptr (DrawRun) jur = FLOWSIM ("diagram", path, "--jurisdiction", "US");
    g_autoptr (DrawRun) aspect = FLOWSIM ("diagram", path, "--aspect", "16:9");
    g_autoptr (DrawRun) no_partner = FLOWSIM ("diagram", path, "--partner", "nobody");
    g_autoptr (DrawRun) no_field = FLOWSIM ("diagram", path, "--field", "profile.shoe_size");
    g_autoptr (DrawRun) no_jur = FLOWSIM ("diagram", path, "--jurisdiction", "RU");
    g_autoptr (DrawRun) bad_group = FLOWSIM ("diagram", path, "--group-by", "colour");
    g_autoptr (DrawRun) bad_aspect = FLOWSIM ("diagram", path, "--aspect", "wide");

    g_assert_cmpint (partner->status, ==, 0);
    g_assert_cmpuint (count (partner->out, "    \"partner:"), ==, 1);
    g_assert_nonnull (strstr (partner->out, "    \"partner:phoneco\" [shape"));
    g_assert_null (strstr (partner->out, "\"dest:quiz/servers\""));
    g_assert_nonnull (strstr (partner->out, "\\nOnly partner phone*\""));
    g_assert_cmpint (kind->status, ==, 0);
    g_assert_cmpuint (count (kind->out, "    \"partner:"), ==, 2);
    g_assert_null (strstr (kind->out, "    \"partner:phoneco\" [shape"));
    g_assert_nonnull (strstr (kind->out, "\"partner:quiz\" -> \"partner:broker\""));
    /* religion: the quiz got ann's (her own use) and ben's (through ann), not cat's (only
     * her); the phone maker got dan's own and was denied his friends' */
    g_assert_cmpint (field->status, ==, 0);
    g_assert_nonnull (strstr (field->out, "Religious views (sensitive)\\n"));
    g_assert_null (strstr (field->out, "Birthday"));
    g_assert_null (strstr (field->out, "\"fields:identity\" ["));
    g_assert_nonnull (
        strstr (field->out, "Quiz\\napp in GB, used by 1\\nreached 2 users,\\n1 without"));
    g_assert_nonnull (strstr (field->out, "in CN, used by 1\\nreached 1 user,\\n0 without"));
    g_assert_nonnull (strstr (field->out, "denied by rule no-religion-for-devices"));
    g_assert_null (strstr (field->out, "    \"partner:adnet\" [shape")); /* never asked */
    g_assert_cmpint (jur->status, ==, 0);
    g_assert_nonnull (strstr (jur->out, "\"dest:broker/db\" ["));
    g_assert_null (strstr (jur->out, "\"dest:quiz/servers\" ["));
    g_assert_null (strstr (jur->out, "    \"partner:phoneco\" [shape"));
    g_assert_cmpint (aspect->status, ==, 0);
    g_assert_nonnull (strstr (aspect->out, "  graph [ratio=0.56];\n"));
    g_assert_cmpint (no_partner->status, ==, 2);
    g_assert_nonnull (strstr (no_partner->err, "--partner 'nobody' selects no partner"));
    g_assert_cmpint (no_field->status, ==, 2);
    g_assert_cmpint (no_jur->status, ==, 2);
    g_assert_nonnull (strstr (
        no_jur->err,
        "no destination of the scenario keeps data there (data is kept in: GB, US, device)"));
    g_assert_cmpint (bad_group->status, ==, 2);
    g_assert_cmpint (bad_aspect->status, ==, 2);
}

/* One user's routes: open ones by channel, closed ones dotted with their reason. */
static void
test_diagram_explain (void)
{
    g_autofree char *path = fsim_test_source_path ("scenarios", "tour.json", NULL);
    g_autoptr (GError) error = NULL;
    FsimExit status = FSIM_EXIT_OK;
    g_autoptr (FsimSim) sim = fsim_i_cli_sim_new (path, NULL, &status, &error);
    g_assert_no_error (error);
    g_autoptr (FsimTracer) t = fsim_tracer_new (sim->scenario, sim->pop, sim->decisions, &error);
    g_assert_no_error (error);
    gssize bob = fsim_tracer_find_user (t, "bob");
    g_assert_cmpint (bob, >=, 0);
    g_autoptr (FsimExplanation) e = fsim_explain_user (t, (size_t) bob, NULL, NULL, NULL);
    g_autoptr (GString) dot = g_string_new (NULL);
    g_assert_true (fsim_explain_write_dot (t, e, NULL, dot, NULL));
    g_test_message ("%s", dot->str);
    g_assert_true (g_str_has_prefix (dot->str, "digraph flowsim {"));
    /* bob's religion: not in his "apps others use" list, so the quiz's friend route is closed */
    g_assert_nonnull (strstr (dot->str, "\"field:profile.religion\" -> \"partner:quiz\" "
                                        "[color=\"#bdbdbd\""));
    g_assert_nonnull (strstr (
        dot->str, "closed (a friend's use): not in the user's \\\"apps others use\\\" list"));
    /* his birthday reached the quiz through alice, and the broker from the quiz */
    g_assert_nonnull (
        strstr (dot->str, "friend alice via Graph API v1.0 (simplified): friends birthday"));
    g_assert_nonnull (strstr (dot->str, "\"partner:quiz\" -> \"partner:broker\""));
    g_assert_nonnull (strstr (dot->str, "shared by Personality quiz app"));
    if (!draw_have_dot ())
        return;
    g_autoptr (GBytes) svg =
        fsim_graphviz_render (NULL, dot->str, "svg", &fsim_diagram_layout, &error);
    g_assert_no_error (error);
    gsize len = 0;
    const char *data = g_bytes_get_data (svg, &len);
    g_assert_true (fsim_svg_check (data, (gssize) len, &error));
    g_assert_no_error (error);
}

/* `flowsim diff --format dot|svg` and `flowsim explain --format dot|svg`. */
static void
test_diagram_analysis_cli (void)
{
    g_autofree char *tour = fsim_test_source_path ("scenarios", "tour.json", NULL);
    g_autoptr (DrawRun) diff =
        FLOWSIM ("diff", tour, "--set", "date=2015-05-01", "--format", "dot");
    g_autoptr (DrawRun) bad = FLOWSIM ("diff", tour, "--format", "pdf");
    g_autoptr (DrawRun) explain = FLOWSIM ("explain", tour, "--user", "dave", "--format", "dot");
    g_autoptr (GError) error = NULL;

    g_assert_true (diff->status == 0 || diff->status == 1);
    g_assert_nonnull (strstr (diff->out,
                              "\"fields:profile\" -> \"partner:quiz\" [color=\"#d73027\", "
                              "fontcolor=\"#d73027\", style=dashed"));
    g_assert_nonnull (strstr (diff->out, "label=\"-3\""));
    /* the phone maker did not change: left out, as in the text, and said */
    g_assert_null (strstr (diff->out, "\"partner:phoneco\""));
    g_assert_nonnull (strstr (diff->out,
                              "more flow rows not drawn: the partners that did not change "
                              "are left out"));
    /* a destination moved from the device to a server is drawn at both places, lost and gained */
    g_autoptr (DrawRun) moved = FLOWSIM (
        "diff", tour, "--set", "partners[phoneco].destinations[handset].location=server", "--set",
        "partners[phoneco].destinations[handset].jurisdiction=CN", "--format", "dot");
    g_assert_cmpint (moved->status, ==, 0);
    g_assert_nonnull (strstr (moved->out, "\"partner:phoneco\" -> \"dest:phoneco/handset@device\" "
                                          "[color=\"#d73027\""));
    g_assert_nonnull (strstr (moved->out, "\"partner:phoneco\" -> \"dest:phoneco/handset@CN\" "
                                          "[color=\"#1a9850\""));
    g_assert_cmpint (bad->status, ==, 2);
    g_assert_cmpint (explain->status, ==, 0);
    /* dave turned the platform off: the quiz's friend route is closed, the phone's is open */
    g_assert_nonnull (
        strstr (explain->out, "closed (a friend's use): the user turned the platform off"));
    g_assert_nonnull (strstr (
        explain->out, "friend frank via Device-integrated API (simplified): device friends"));
    if (!draw_have_dot ())
        return;
    g_autoptr (DrawRun) svg = FLOWSIM ("diff", tour, "--set", "date=2015-05-01", "--format", "svg");
    g_autoptr (DrawRun) esvg = FLOWSIM ("explain", tour, "--user", "dave", "--format", "svg");
    g_assert_true (fsim_svg_check (svg->out, -1, &error));
    g_assert_no_error (error);
    g_assert_true (fsim_svg_check (esvg->out, -1, &error));
    g_assert_no_error (error);
}

/* ---- svg.h ---- */

static void
test_svg_check (void)
{
    static const char *const bad[] = {
        "",
        "<svg>",
        "<svg></g>",
        "<html></html>",
        "<svg>&nbsp;</svg>",
        "<svg a=1></svg>",
        "<svg>\x01</svg>",
        "text",
    };
    g_autoptr (GError) error = NULL;
    g_assert_true (fsim_svg_check ("<?xml version=\"1.0\"?>\n<!DOCTYPE svg>\n<!-- c -->\n"
                                   "<svg><g><text>a &amp; b &#60;</text></g></svg>\n",
                                   -1, &error));
    g_assert_no_error (error);
    for (size_t i = 0; i < G_N_ELEMENTS (bad); i++) {
        g_assert_false (fsim_svg_check (bad[i], -1, &error));
        g_assert_nonnull (error);
        g_assert_true (error->domain == FSIM_SVG_ERROR);
        g_clear_error (&error);
    }
    g_assert_false (fsim_svg_check ("<html/>", -1, &error));
    g_assert_error (error, FSIM_SVG_ERROR, FSIM_SVG_ERROR_EMPTY);
}

/* An SVG of @head, @fill repeated to @bytes bytes, then @tail (transfer full). */
static char *
svg_with_piece (const char *head, const char *fill, size_t bytes, const char *tail)
{
    GString *s = g_string_new (head);
    size_t start = s->len;
    while (s->len - start < bytes)
        g_string_append (s, fill);
    g_string_truncate (s, start + bytes);
    g_string_append (s, tail);
    return g_string_free (s, FALSE);
}

/* Issue 11, sixth pass: a piece of the drawing (a tag, a text, a comment, a CDATA section, the
 * DOCTYPE, a processing instruction) over FSIM_SVG_MAX_PIECE bytes is refused before GMarkup
 * copies it into GLib memory (/faults/glib/svg-piece runs it through `report`); a piece of that
 * size, and a drawing larger in all but of small pieces, are taken. Each end is found as
 * GMarkup finds it: a '<' inside a comment or a CDATA section or a '>' inside an attribute
 * value does not end the piece, and "<!" other than a comment, CDATA or a DOCTYPE runs to the
 * end of the text. */
static void
test_svg_piece (void)
{
    const size_t max = FSIM_SVG_MAX_PIECE;
    const char *root = "<svg xmlns=\"http://www.w3.org/2000/svg\">";
    g_autofree char *at_max_text = svg_with_piece ("<svg><title>", "abc ", max, "</title></svg>");
    g_autofree char *over_text = svg_with_piece ("<svg><title>", "abc ", max + 1, "</title></svg>");
    g_autofree char *at_max_tag =
        svg_with_piece ("<svg><g class=\"", "a>b ", max - 13, "\"/></svg>");
    g_autofree char *over_tag = svg_with_piece ("<svg><g class=\"", "a>b ", max - 12, "\"/></svg>");
    g_autofree char *over_comment = svg_with_piece ("<svg><!--", "<a> ", max, "--></svg>");
    g_autofree char *over_cdata =
        svg_with_piece ("<svg><title><![CDATA[", "<a> ", max, "]]></title></svg>");
    g_autofree char *over_doctype =
        svg_with_piece ("<!DOCTYPE svg [<!ENTITY e \"", "<a> ", max, "\">]><svg/>");
    g_autofree char *over_passthrough = svg_with_piece ("<svg><!X>", "<g/>", max, "</svg>");
    g_autofree char *many = svg_with_piece (root, "<g><title>a</title></g>", 3 * max, "");
    g_autoptr (GString) many_closed = g_string_new (many);
    g_string_truncate (many_closed,
                       strlen (root) + (3 * max) / 23 * 23); /* whole <g> elements only */
    g_string_append (many_closed, "</svg>");
    g_autoptr (GError) error = NULL;

    g_assert_true (fsim_svg_check (at_max_text, -1, &error));
    g_assert_no_error (error);
    g_assert_true (fsim_svg_check (at_max_tag, -1, &error));
    g_assert_no_error (error);
    g_autofree char *clean = fsim_svg_sanitize (many_closed->str, -1, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (strlen (clean), >, 3 * max - 64);
    const char *const over[] = { over_text,  over_tag,     over_comment,
                                 over_cdata, over_doctype, over_passthrough };
    for (size_t i = 0; i < G_N_ELEMENTS (over); i++) {
        g_autofree char *none = fsim_svg_sanitize (over[i], -1, &error);
        g_assert_null (none);
        g_assert_error (error, FSIM_SVG_ERROR, FSIM_SVG_ERROR_PIECE);
        g_test_message ("%s", error->message);
        g_clear_error (&error);
    }
    g_assert_false (fsim_svg_check (over_text, -1, &error));
    g_autofree char *want = g_strdup_printf (
        "the SVG has a piece (an element, a text or a comment) of %zu bytes at byte 12, more "
        "than the %zu bytes a piece may have",
        max + 1, max);
    g_assert_cmpstr (error->message, ==, want);
}

static void
test_svg_sanitize (void)
{
    const char *in = "<?xml version=\"1.0\"?><!DOCTYPE svg><svg width=\"10pt\" onload=\"x()\" "
                     "xmlns:xlink=\"http://www.w3.org/1999/xlink\"><script>alert(1)</script>"
                     "<g id=\"a\" class=\"node\" style=\"fill:url(http://x)\"><a href=\"http://x\">"
                     "<text x=\"1\">in link</text></a><foreignObject><div>x</div></foreignObject>"
                     "<text x=\"2\" fill=\"url(http://x/y)\">&lt;script&gt; &amp;</text>"
                     "<image href=\"http://x/i.png\"/></g></svg>";
    g_autoptr (GError) error = NULL;
    g_autofree char *out = fsim_svg_sanitize (in, -1, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (out, ==,
                     "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10pt\">"
                     "<g class=\"node\"><text x=\"2\">&lt;script&gt; &amp;</text></g>"
                     "</svg>");
    g_assert_true (fsim_svg_check (out, -1, &error));
    g_assert_null (fsim_svg_sanitize ("<svg><g></svg>", -1, &error));
    g_assert_error (error, FSIM_SVG_ERROR, FSIM_SVG_ERROR_PARSE);
}

static void
test_svg_markup (void)
{
    g_autoptr (GString) out = g_string_new (NULL);
    fsim_markup_append (out, "<a href=\"x\">'&'</a>\x01\n\t\xff");
    g_assert_cmpstr (out->str, ==,
                     "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;?\n\t\xef\xbf\xbd");
    g_string_truncate (out, 0);
    fsim_svg_number (out, 12.5);
    g_string_append_c (out, ' ');
    fsim_svg_number (out, 3.0);
    g_string_append_c (out, ' ');
    fsim_svg_number (out, -0.001);
    g_string_append_c (out, ' ');
    fsim_svg_number (out, 1.0 / 3.0);
    g_assert_cmpstr (out->str, ==, "12.5 3 0 0.33");
}

int
main (int argc, char **argv)
{
    static const char *const goldens[] = { "small", "escape" };
    g_test_init (&argc, &argv, NULL);
    for (size_t i = 0; i < G_N_ELEMENTS (goldens); i++) {
        g_autofree char *golden = g_strdup_printf ("/diagram/dot/golden/%s", goldens[i]);
        g_autofree char *parses = g_strdup_printf ("/diagram/dot/parses/%s", goldens[i]);
        g_test_add_data_func (golden, goldens[i], test_diagram_dot_golden);
        g_test_add_data_func (parses, goldens[i], test_diagram_dot_parses);
    }
    g_test_add_func ("/diagram/dot/string", test_diagram_dot_string);
    g_test_add_func ("/diagram/dot/top", test_diagram_top);
    g_test_add_func ("/diagram/dot/wrap", test_diagram_dot_wrap);
    g_test_add_func ("/diagram/svg/escape", test_diagram_svg_escape);
    g_test_add_func ("/diagram/svg/tour", test_diagram_svg_tour);
    g_test_add_func ("/diagram/png", test_diagram_png);
    g_test_add_func ("/diagram/graphviz/missing", test_diagram_graphviz_missing);
    g_test_add_func ("/diagram/graphviz/fails", test_diagram_graphviz_fails);
    g_test_add_func ("/diagram/graphviz/out-of-memory", test_diagram_graphviz_out_of_memory);
    g_test_add_func ("/diagram/graphviz/check-size", test_diagram_graphviz_check_size);
    g_test_add_func ("/diagram/graphviz/passes", test_diagram_graphviz_passes);
    g_test_add_func ("/diagram/graphviz/limits", test_diagram_graphviz_limits);
    g_test_add_func ("/diagram/graphviz/layout-limits", test_diagram_graphviz_layout_limits);
    g_test_add_func ("/diagram/graphviz/bounded-commands", test_diagram_graphviz_bounded_commands);
    g_test_add_func ("/diagram/graphviz/killed", test_diagram_graphviz_killed);
    g_test_add_func ("/diagram/graphviz/tmpdir-full", test_diagram_graphviz_tmpdir_full);
    g_test_add_func ("/diagram/svg/out-of-memory", test_diagram_svg_out_of_memory);
    g_test_add_func ("/diagram/graphviz/cli-out-of-memory",
                     test_diagram_graphviz_cli_out_of_memory);
    g_test_add_func ("/diagram/cli/usage", test_diagram_cli_usage);
    g_test_add_func ("/diagram/cli/focus", test_diagram_focus);
    g_test_add_func ("/diagram/explain", test_diagram_explain);
    g_test_add_func ("/diagram/analysis-cli", test_diagram_analysis_cli);
    g_test_add_func ("/svg/check", test_svg_check);
    g_test_add_func ("/svg/sanitize", test_svg_sanitize);
    g_test_add_func ("/svg/piece", test_svg_piece);
    g_test_add_func ("/svg/markup", test_svg_markup);
    return g_test_run ();
}
