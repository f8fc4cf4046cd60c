/* SPDX-License-Identifier: MIT */
/* test-output.c: hostile names are written safely in every format, and outputs are atomic. */
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "output-check.h"
#include "run-util.h"
#include "test-util.h"

/*
 * tests/data/output/evil.json gives every name, label, title, note and source a hostile text:
 * control characters (BEL, ESC sequences, NEL), <script>, quotes, backslashes, a newline, CR,
 * tab, brackets and braces, "]]>", "-->", "&amp;", bidi overrides, U+2028, and leading = + - @;
 * ids (which cannot hold those) start with '-' where they may. benign.json is the same model
 * with plain names. Each command and format runs on both, and the hostile output must pass the
 * format's check; for the markup formats it must have exactly the structure of the benign one.
 */
typedef enum {
    KIND_TEXT, /* for a terminal: UTF-8, no control character but \n, no bidi override */
    KIND_JSON, /* RFC 8259 */
    KIND_CSV,  /* RFC 4180, no cell a spreadsheet would run as a formula */
    KIND_DOT,  /* Graphviz lays out the same nodes and edges as for the benign names */
    KIND_XML,  /* SVG, JUnit: as many '<' and '"' as the benign output, well-formed */
    KIND_HTML, /* as many '<' and '"' as the benign output, no <script> from the data */
} Kind;

typedef struct {
    const char *args[12]; /* after the command; SCENARIO is replaced by the file */
    Kind kind;
    gboolean needs_dot; /* runs Graphviz */
} Case;

static const Case cases[] = {
    { { "run", "SCENARIO" }, KIND_TEXT, FALSE },
    { { "run", "SCENARIO", "--format", "json" }, KIND_JSON, FALSE },
    { { "run", "SCENARIO", "--format", "csv" }, KIND_CSV, FALSE },
    { { "population", "SCENARIO" }, KIND_TEXT, FALSE },
    { { "population", "SCENARIO", "--format", "json" }, KIND_JSON, FALSE },
    { { "explain", "SCENARIO", "--user", "alice" }, KIND_TEXT, FALSE },
    { { "explain", "SCENARIO", "--user", "alice", "--format", "json" }, KIND_JSON, FALSE },
    { { "explain", "SCENARIO", "--user", "alice", "--format", "dot" }, KIND_DOT, FALSE },
    { { "explain", "SCENARIO", "--user", "alice", "--format", "svg" }, KIND_XML, TRUE },
    { { "possible", "SCENARIO" }, KIND_TEXT, FALSE },
    { { "possible", "SCENARIO", "--format", "json" }, KIND_JSON, FALSE },
    { { "lint", "SCENARIO" }, KIND_TEXT, FALSE },
    { { "lint", "SCENARIO", "--format", "json" }, KIND_JSON, FALSE },
    { { "check", "SCENARIO" }, KIND_TEXT, FALSE },
    { { "check", "SCENARIO", "--format", "tap" }, KIND_TEXT, FALSE },
    { { "check", "SCENARIO", "--format", "junit" }, KIND_XML, FALSE },
    { { "check", "SCENARIO", "--format", "json" }, KIND_JSON, FALSE },
    { { "diff", "SCENARIO", "--set", "rules[0].effect=deny" }, KIND_TEXT, FALSE },
    { { "diff", "SCENARIO", "--set", "rules[0].effect=deny", "--format", "json" },
      KIND_JSON,
      FALSE },
    { { "diff", "SCENARIO", "--set", "rules[0].effect=deny", "--format", "dot" }, KIND_DOT, FALSE },
    { { "diff", "SCENARIO", "--set", "rules[0].effect=deny", "--format", "svg" }, KIND_XML, TRUE },
    { { "diagram", "SCENARIO", "--format", "dot" }, KIND_DOT, FALSE },
    { { "diagram", "SCENARIO", "--format", "svg" }, KIND_XML, TRUE },
    { { "timeline", "SCENARIO", "--from", "2012-01-01", "--to", "2016-01-01" }, KIND_TEXT, FALSE },
    { { "timeline", "SCENARIO", "--from", "2012-01-01", "--to", "2016-01-01", "--format", "json" },
      KIND_JSON,
      FALSE },
    { { "timeline", "SCENARIO", "--from", "2012-01-01", "--to", "2016-01-01", "--format", "svg" },
      KIND_XML,
      FALSE },
    { { "report", "SCENARIO", "--no-diagram" }, KIND_HTML, FALSE },
    { { "report", "SCENARIO" }, KIND_HTML, TRUE },
};

static FsimTestRun *
run_case (const Case *c, const char *scenario)
{
    const char *argv[G_N_ELEMENTS (c->args) + 1] = { NULL };
    for (size_t i = 0; i < G_N_ELEMENTS (c->args) && c->args[i]; i++)
        argv[i] = strcmp (c->args[i], "SCENARIO") == 0 ? scenario : c->args[i];
    return fsim_test_run (NULL, NULL, argv);
}

static size_t
count_char (const char *s, char c)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == c;
    return n;
}

static size_t
count_str (const char *s, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr (s, needle); p; p = strstr (p + 1, needle))
        n++;
    return n;
}

/* @svg without its <text> elements whose content holds no markup: a long label is wrapped
 * over more lines (more <text> elements) than a short one, so the evil file's pictures have
 * more of them than the benign file's; what is left must have the same structure. A '<' that
 * got into a label unescaped keeps its element from matching, and is counted. */
static char *
without_text_elements (const char *svg)
{
    g_autoptr (GRegex) re = g_regex_new ("<text[^<>]*>[^<]*</text>", 0, 0, NULL);
    return g_regex_replace_literal (re, svg, -1, 0, "", 0, NULL);
}

static void
check_text (const char *out)
{
    g_assert_true (g_utf8_validate (out, -1, NULL));
    for (const char *p = out; *p; p = g_utf8_next_char (p)) {
        gunichar c = g_utf8_get_char (p);
        if ((g_unichar_iscntrl (c) && c != '\n') || (c >= 0x202a && c <= 0x202e) ||
            (c >= 0x2066 && c <= 0x2069))
            g_error ("character U+%04X in text output at byte %td", c, p - out);
    }
}

/* The "node" and "edge" lines of `dot -Tplain` for @dot (transfer full), or NULL without dot. */
static char *
dot_layout (const char *dot_text)
{
    g_autofree char *dot = g_find_program_in_path ("dot");
    if (!dot)
        return NULL;
    g_autofree char *dir = fsim_test_scratch_new ();
    g_autofree char *in = fsim_test_write (dir, "g.dot", dot_text, -1);
    const char *argv[] = { dot, "-Tplain", in, NULL };
    g_autofree char *out = NULL, *err = NULL;
    int status = 0;
    g_autoptr (GError) error = NULL;
    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                  &error);
    g_assert_no_error (error);
    if (!g_spawn_check_wait_status (status, NULL))
        g_error ("dot refused the DOT output: %s", err);
    fsim_test_scratch_free (g_steal_pointer (&dir));
    GString *shape = g_string_new (NULL);
    g_auto (GStrv) lines = g_strsplit (out, "\n", -1);
    for (char **l = lines; *l; l++)
        if (g_str_has_prefix (*l, "node ") || g_str_has_prefix (*l, "edge "))
            g_string_append_printf (shape, "%.4s\n", *l);
    return g_string_free (shape, FALSE);
}

static void
check_xml_well_formed (const char *xml)
{
    g_autofree char *xmllint = g_find_program_in_path ("xmllint");
    if (!xmllint)
        return;
    g_autofree char *dir = fsim_test_scratch_new ();
    g_autofree char *in = fsim_test_write (dir, "x.xml", xml, -1);
    const char *argv[] = { xmllint, "--noout", "--nonet", in, NULL };
    g_autofree char *err = NULL;
    int status = 0;
    g_autoptr (GError) error = NULL;
    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err,
                  &status, &error);
    g_assert_no_error (error);
    if (!g_spawn_check_wait_status (status, NULL))
        g_error ("not well-formed XML: %s", err);
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

static void
test_case (gconstpointer data)
{
    const Case *c = data;
    g_autofree char *evil = fsim_test_data_path ("output", "evil.json", NULL);
    g_autofree char *benign = fsim_test_data_path ("output", "benign.json", NULL);
    g_autofree char *dot = g_find_program_in_path ("dot");
    g_autofree char *why = NULL;

    if (c->needs_dot && !dot) {
        g_test_skip ("needs Graphviz's dot");
        return;
    }
    g_autoptr (FsimTestRun) e = run_case (c, evil);
    g_autoptr (FsimTestRun) b = run_case (c, benign);
    g_assert_cmpint (e->status, ==, b->status);
    g_assert_cmpint (e->status, <=, 1); /* check's failing expectation gives 1 */
    g_assert_cmpuint (e->out_len, >, 0);
    g_assert_true (g_utf8_validate (e->out, (gssize) e->out_len, NULL));
    switch (c->kind) {
    case KIND_TEXT:
        check_text (e->out);
        break;
    case KIND_JSON:
        if (!fsim_check_json (e->out, e->out_len, &why))
            g_error ("invalid JSON: %s", why);
        break;
    case KIND_CSV: {
        size_t er = 0, br = 0;
        if (!fsim_check_csv (e->out, e->out_len, &er, NULL, &why))
            g_error ("invalid CSV: %s", why);
        g_assert_true (fsim_check_csv (b->out, b->out_len, &br, NULL, NULL));
        g_assert_cmpuint (er, ==, br);
        break;
    }
    case KIND_DOT: {
        if (!fsim_check_dot (e->out, e->out_len, &why))
            g_error ("invalid DOT: %s", why);
        g_autofree char *es = dot_layout (e->out);
        g_autofree char *bs = dot_layout (b->out);
        g_assert_cmpstr (es, ==, bs);
        break;
    }
    case KIND_XML:
    case KIND_HTML: {
        g_autofree char *es = without_text_elements (e->out);
        g_autofree char *bs = without_text_elements (b->out);
        g_assert_cmpuint (count_char (es, '<'), ==, count_char (bs, '<'));
        g_assert_cmpuint (count_char (es, '"'), ==, count_char (bs, '"'));
        g_assert_cmpuint (count_str (e->out, "<script"), ==, count_str (b->out, "<script"));
        g_assert_null (strstr (e->out, "alert(1)</script>"));
        if (c->kind == KIND_XML)
            check_xml_well_formed (e->out);
        break;
    }
    }
}

/* ---- atomic outputs ------------------------------------------------------------------------ */

/*
 * --output replaces the file by renaming a complete temporary file over it: a reader never
 * sees half a report, and another name for the old file (a hard link) keeps the old contents.
 * A failed write leaves nothing behind.
 */
static void
test_atomic (void)
{
    g_autofree char *dir = fsim_test_scratch_new ();
    g_autofree char *scenario = fsim_test_data_path ("output", "benign.json", NULL);
    g_autofree char *out = fsim_test_write (dir, "report.txt", "old", -1);
    g_autofree char *other = g_build_filename (dir, "link.txt", NULL);
    g_assert_cmpint (link (out, other), ==, 0);
    const char *const commands[][10] = {
        { "run", scenario, "-o", out },
        { "population", scenario, "-o", out },
        { "timeline", scenario, "--from", "2012-01-01", "--to", "2013-01-01", "-o", out },
        { "report", scenario, "--no-diagram", "-o", out },
        { "possible", scenario, "-o", out },
    };
    for (size_t i = 0; i < G_N_ELEMENTS (commands); i++) {
        g_autoptr (FsimTestRun) r = fsim_test_run (NULL, NULL, commands[i]);
        g_autofree char *text = NULL, *old = NULL;
        g_assert_cmpint (r->status, ==, 0);
        g_assert_cmpstr (r->out, ==, "");
        g_assert_true (g_file_get_contents (out, &text, NULL, NULL));
        g_assert_cmpuint (strlen (text), >, 3);
        g_assert_true (g_file_get_contents (other, &old, NULL, NULL));
        g_assert_cmpstr (old, ==, "old");
    }
    /* into a folder that does not exist: an error, and nothing written anywhere */
    g_autofree char *missing = g_build_filename (dir, "no", "such", "report.txt", NULL);
    g_autoptr (FsimTestRun) r =
        fsim_test_run (NULL, NULL, (const char *const[]){ "run", scenario, "-o", missing, NULL });
    g_assert_cmpint (r->status, ==, 4);
    g_assert_nonnull (strstr (r->err, "cannot write"));
    g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
    guint n = 0;
    while (g_dir_read_name (d))
        n++;
    g_assert_cmpuint (n, ==, 2); /* report.txt and link.txt, no temporary file */
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

/* Nothing in a scenario makes flowsim write a file: every command, run in an empty folder with
 * TMPDIR pointing at another, leaves both empty (Graphviz's input is a removed temp file). */
static void
test_no_files_written (void)
{
    g_autofree char *cwd = fsim_test_scratch_new ();
    g_autofree char *tmp = fsim_test_scratch_new ();
    g_autofree char *evil = fsim_test_data_path ("output", "evil.json", NULL);
    g_autofree char *env_tmp = g_strconcat ("TMPDIR=", tmp, NULL);
    const char *const env[] = { env_tmp, NULL };

    for (size_t i = 0; i < G_N_ELEMENTS (cases); i++) {
        const Case *c = &cases[i];
        const char *argv[G_N_ELEMENTS (c->args) + 1] = { NULL };
        for (size_t k = 0; k < G_N_ELEMENTS (c->args) && c->args[k]; k++)
            argv[k] = strcmp (c->args[k], "SCENARIO") == 0 ? evil : c->args[k];
        g_autoptr (FsimTestRun) r = fsim_test_run (cwd, env, argv);
        (void) r;
    }
    const char *const dirs[] = { cwd, tmp };
    for (size_t i = 0; i < G_N_ELEMENTS (dirs); i++) {
        g_autoptr (GDir) d = g_dir_open (dirs[i], 0, NULL);
        const char *name = g_dir_read_name (d);
        if (name)
            g_error ("flowsim left '%s' in %s", name, dirs[i]);
    }
    fsim_test_scratch_free (g_steal_pointer (&cwd));
    fsim_test_scratch_free (g_steal_pointer (&tmp));
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    for (size_t i = 0; i < G_N_ELEMENTS (cases); i++) {
        const Case *c = &cases[i];
        GString *name = g_string_new ("/output/");
        g_string_append (name, c->args[0]);
        for (size_t k = 1; k < G_N_ELEMENTS (c->args) && c->args[k]; k++)
            if (g_str_has_prefix (c->args[k - 1], "--format"))
                g_string_append_printf (name, "/%s", c->args[k]);
        if (c->kind == KIND_HTML)
            g_string_append (name, c->needs_dot ? "/html" : "/html-no-diagram");
        else if (!strstr (name->str + 8, "/"))
            g_string_append (name, "/text");
        g_test_add_data_func (name->str, c, test_case);
        g_string_free (name, TRUE);
    }
    g_test_add_func ("/output/atomic", test_atomic);
    g_test_add_func ("/output/no-files-written", test_no_files_written);
    return g_test_run ();
}
