/* SPDX-License-Identifier: MIT */
/* test-limits.c: what a scenario may make flowsim read, limits with clear errors, big models. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "import.h"
#include "loader.h"
#include "output-check.h"
#include "population.h"
#include "run-util.h"
#include "test-util.h"

/* ---- helpers ------------------------------------------------------------------------------- */

/* A scenario in @dir that includes @target (a path, quoted here) and the test model. */
static char *
write_including (const char *dir, const char *key, const char *target)
{
    g_autofree char *model = fsim_test_data_path ("errors", "model.json", NULL);
    g_autofree char *text = NULL;
    if (strcmp (key, "include") == 0)
        text = g_strdup_printf ("{ \"scenario\": \"t\", \"date\": \"2014-06-01\",\n"
                                "  \"include\": [\"%s\", \"%s\"],\n"
                                "  \"population\": { \"users\": [ { \"id\": \"a\" } ] } }\n",
                                model, target);
    else
        text = g_strdup_printf ("{ \"extends\": \"%s\" }\n", target);
    return fsim_test_write (dir, "top.json", text, -1);
}

/* Loading @path fails with @code and a message holding @what. */
static void
assert_load_fails (const char *path, FsimLoaderError code, const char *what)
{
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimScenario) s = fsim_loader_load (path, NULL, &error);
    g_assert_null (s);
    g_assert_error (error, FSIM_LOADER_ERROR, (gint) code);
    g_test_message ("%s", error->message);
    if (!strstr (error->message, what))
        g_error ("message '%s' lacks '%s'", error->message, what);
}

static void
assert_include_refused (const char *target, const char *what)
{
    g_autofree char *dir = fsim_test_scratch_new ();
    for (int k = 0; k < 2; k++) {
        g_autofree char *top = write_including (dir, k ? "extends" : "include", target);
        assert_load_fails (top, FSIM_LOADER_ERROR_IO, what);
    }
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

/* ---- /limits/input: what include and extends may read ------------------------------------ */

static void
test_input_device (void)
{
    assert_include_refused ("/dev/zero", "a device or socket, not a regular file");
    assert_include_refused ("/dev/null", "a device or socket, not a regular file");
}

static void
test_input_fifo (void)
{
    g_autofree char *dir = fsim_test_scratch_new ();
    g_autofree char *fifo = g_build_filename (dir, "fifo.json", NULL);
    g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
    /* refused at once: a FIFO without a writer would block for ever */
    assert_include_refused (fifo, "a FIFO or pipe, not a regular file");
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

static void
test_input_proc (void)
{
    if (!g_file_test ("/proc/self/environ", G_FILE_TEST_EXISTS)) {
        g_test_skip ("no /proc");
        return;
    }
    assert_include_refused ("/proc/self/environ", "files of /proc and /sys are never read");
    /* not /proc/self/cmdline: valgrind serves its own copy from $TMPDIR */
    assert_include_refused ("/proc/self/status", "files of /proc and /sys are never read");
    if (g_file_test ("/sys/kernel/mm/transparent_hugepage/enabled", G_FILE_TEST_EXISTS))
        assert_include_refused ("/sys/kernel/mm/transparent_hugepage/enabled", "never read");
}

static void
test_input_directory (void)
{
    g_autofree char *dir = fsim_test_scratch_new ();
    assert_include_refused (dir, "it is a directory");
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

/* A symbolic link is followed: to a regular file it is read, to a device it is refused. */
static void
test_input_symlink (void)
{
    g_autofree char *dir = fsim_test_scratch_new ();
    g_autofree char *model = fsim_test_data_path ("errors", "model.json", NULL);
    g_autofree char *good = g_build_filename (dir, "good.json", NULL);
    g_autofree char *bad = g_build_filename (dir, "bad.json", NULL);
    g_assert_cmpint (symlink (model, good), ==, 0);
    g_assert_cmpint (symlink ("/dev/zero", bad), ==, 0);
    g_autofree char *top =
        fsim_test_write (dir, "top.json", "{ \"include\": [\"good.json\"] }", -1);
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimScenario) s = fsim_loader_load (top, NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (s);
    assert_include_refused (bad, "a device or socket, not a regular file");
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

static gpointer
write_fifo (gpointer data)
{
    const char *path = data;
    FILE *f = fopen (path, "w");
    g_assert_nonnull (f);
    fputs ("{ \"title\": \"from a pipe\" }\n", f);
    fclose (f);
    return NULL;
}

/* The top file, which the user names, may be a pipe: `flowsim run <(generate)`. */
static void
test_input_top_fifo (void)
{
    g_autofree char *dir = fsim_test_scratch_new ();
    g_autofree char *fifo = g_build_filename (dir, "top.json", NULL);
    g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
    GThread *writer = g_thread_new ("writer", write_fifo, fifo);
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimScenario) s = fsim_loader_load (fifo, NULL, &error);
    g_thread_join (writer);
    g_assert_no_error (error);
    g_assert_cmpstr (s->title, ==, "from a pipe");
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

/* A file over the size limit is refused before it is read (the file is sparse: no disk). */
static void
test_input_too_large (void)
{
    g_autofree char *dir = fsim_test_scratch_new ();
    g_autofree char *big = g_build_filename (dir, "big.json", NULL);
    int fd = g_open (big, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    g_assert_cmpint (fd, >=, 0);
    g_assert_cmpint (ftruncate (fd, (off_t) 300 << 20), ==, 0);
    close (fd);
    assert_load_fails (big, FSIM_LOADER_ERROR_LIMIT, "more than the limit of 268435456 bytes");
    g_autofree char *top = write_including (dir, "include", big);
    assert_load_fails (top, FSIM_LOADER_ERROR_LIMIT, "big.json is too large");
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

/* Too many JSON values are refused before cJSON allocates them (each costs ~170 bytes). */
static void
test_values (void)
{
    const size_t n = (16u << 20) + 1;
    g_autoptr (GString) text = g_string_sized_new (2 * n + 32);
    g_string_append (text, "{ \"sources\": [0");
    for (size_t i = 1; i < n; i++)
        g_string_append (text, ",0");
    g_string_append (text, "] }");
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimScenario) s = fsim_loader_load_string ("values.json", text->str, NULL, &error);
    g_assert_null (s);
    g_assert_error (error, FSIM_LOADER_ERROR, FSIM_LOADER_ERROR_LIMIT);
    g_assert_nonnull (strstr (error->message, "more than 16777216 JSON values"));
}

/* Control characters between tokens: cJSON takes them for white space; we refuse them. */
static void
test_control_between_tokens (void)
{
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimScenario) s = fsim_loader_load_string (
        "ctl.json", "{ \"title\": \"x\",\x01 \"title\": \"y\" }", NULL, &error);
    g_assert_null (s);
    g_assert_error (error, FSIM_LOADER_ERROR, FSIM_LOADER_ERROR_PARSE);
    g_assert_cmpstr (error->message, ==,
                     "ctl.json:1:16: invalid JSON: unexpected character U+0001");
}

/* Counts over their limits: an error naming the array and the limit. */
static void
test_counts (void)
{
    const struct {
        const char *key;
        const char *element;
        int n;
    } cases[] = {
        { "fields", "{ \"id\": \"f%d\" }", 16385 },
        { "partners", "{ \"id\": \"p%d\" }", 16385 },
        { "apis", "{ \"id\": \"a%d\" }", 4097 },
    };
    for (size_t i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autoptr (GString) text = g_string_new (NULL);
        size_t col = 0; /* of the last element, the first one over the limit */
        g_string_append_printf (text, "{ \"%s\": [", cases[i].key);
        for (int k = 0; k < cases[i].n; k++) {
            if (k)
                g_string_append_c (text, ',');
            col = text->len + 1;
            g_string_append_printf (text, cases[i].element, k);
        }
        g_string_append (text, "] }");
        g_autoptr (GError) error = NULL;
        g_autoptr (FsimScenario) s =
            fsim_loader_load_string ("counts.json", text->str, NULL, &error);
        /* issue 11: located (the array is a merged one, which had no place of its own) */
        g_autofree char *what = g_strdup_printf (
            "counts.json:1:%zu: %s: %d entries, more than the limit of %d (the first one over, "
            "number %d, is here)",
            col, cases[i].key, cases[i].n, cases[i].n - 1, cases[i].n);
        g_assert_null (s);
        g_assert_error (error, FSIM_LOADER_ERROR, FSIM_LOADER_ERROR_LIMIT);
        g_assert_cmpstr (error->message, ==, what);
    }
}

/* Issue 11's third pass: the limit on claims said no FILE:LINE:COL (the merged array has no
 * place of its own); it is said at the first claim over, as every other count limit. The limit
 * went from 4096 to 256 for the time budget (docs/robustness.md, "Claims, bounded"). */
static void
test_counts_claims (void)
{
    g_autoptr (GString) text = g_string_new ("{ \"claims\": [\n");
    for (int k = 0; k < 260; k++)
        g_string_append_printf (text, "%s{ \"id\": \"c%d\" }\n", k ? "," : "", k);
    g_string_append (text, "] }");
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimScenario) s = fsim_loader_load_string ("claims.json", text->str, NULL, &error);
    /* claim 257 (index 256) is on line 256 + 2, after ',' */
    g_assert_null (s);
    g_assert_error (error, FSIM_LOADER_ERROR, FSIM_LOADER_ERROR_LIMIT);
    g_assert_cmpstr (error->message, ==,
                     "claims.json:258:2: claims: 260 claims, more than the limit of 256 (the "
                     "first one over, number 257, is here)");
}

/* Issue 11: entries merged from two included files are counted together, and the error points
 * into the file that holds the first one over the limit. */
static void
test_counts_merged (void)
{
    g_autofree char *dir = fsim_test_scratch_new ();
    g_autoptr (GString) a = g_string_new ("{ \"partners\": [");
    g_autoptr (GString) b = g_string_new ("{ \"partners\": [\n");
    for (int k = 0; k < 10000; k++)
        g_string_append_printf (a, "%s{ \"id\": \"a%d\" }", k ? "," : "", k);
    for (int k = 0; k < 6400; k++)
        g_string_append_printf (b, "%s{ \"id\": \"b%d\" }\n", k ? "," : "", k);
    g_string_append (a, "] }");
    g_string_append (b, "] }");
    g_free (fsim_test_write (dir, "a.json", a->str, -1));
    g_autofree char *pb = fsim_test_write (dir, "b.json", b->str, -1);
    g_autofree char *top =
        fsim_test_write (dir, "top.json", "{ \"include\": [\"a.json\", \"b.json\"] }", -1);
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimScenario) s = fsim_loader_load (top, NULL, &error);
    /* entry 16385 is b.json's entry 6385 (index 6384), on line 6385 + 1, after ',' */
    g_autofree char *want = g_strdup_printf ("%s:6386:2: partners: 16400 entries, more than the "
                                             "limit of 16384 (the first one over, number 16385, "
                                             "is here)",
                                             pb);
    g_assert_null (s);
    g_assert_error (error, FSIM_LOADER_ERROR, FSIM_LOADER_ERROR_LIMIT);
    g_assert_cmpstr (error->message, ==, want);
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

/* A model whose counts are each allowed but whose products are not (docs/robustness.md), one
 * entry a line at column 3: field f on line 2 + f, scope k on n_fields + 3 + k, partner p on
 * n_fields + n_scopes + 4 + p, rule r on n_fields + n_scopes + n_partners + 5 + r. */
static char *
wide_model (int n_fields, int n_scopes, int n_partners, int n_rules)
{
    GString *s = g_string_new ("{ \"fields\": [\n");
    for (int f = 0; f < n_fields; f++)
        g_string_append_printf (s, "  { \"id\": \"f%d\" }%s\n", f, f + 1 < n_fields ? "," : "");
    g_string_append (s, "], \"apis\": [ { \"id\": \"api\", \"scopes\": [\n");
    for (int k = 0; k < n_scopes; k++)
        g_string_append_printf (s,
                                "  { \"id\": \"s%d\", \"subject\": \"self\", "
                                "\"fields\": [\"f0\"] }%s\n",
                                k, k + 1 < n_scopes ? "," : "");
    g_string_append (s, "] } ], \"partners\": [\n");
    for (int p = 0; p < n_partners; p++)
        g_string_append_printf (s,
                                "  { \"id\": \"p%d\", \"kind\": \"app\", \"integrates\": "
                                "[\"api\"], \"requests\": [\"*\"], \"destinations\": [ { "
                                "\"id\": \"d\", \"location\": \"device\", \"fields\": "
                                "[\"*\"] } ] }%s\n",
                                p, p + 1 < n_partners ? "," : "");
    g_string_append (s, "], \"rules\": [\n");
    for (int r = 0; r < n_rules; r++)
        g_string_append_printf (s,
                                "  { \"id\": \"r%d\", \"effect\": \"allow\", "
                                "\"partners\": [\"*\"] }%s\n",
                                r, r + 1 < n_rules ? "," : "");
    g_string_append (s, "] }\n");
    return g_string_free (s, FALSE);
}

/*
 * Issue 11: a product over its limit is reported at the entry that takes it over (the first
 * field, scope, partner or rule too many), not at wide.json:1:1; so is the memory a model
 * needs to run. Each line is worked out from the limits of docs/robustness.md.
 */
static void
test_model_size (void)
{
    const struct {
        int fields, scopes, partners, rules;
        const char *what;
    } cases[] = {
        /* 2046 x 1025 <= 2^21 < 2047 x 1025: field number 2047 (f2046), line 2048 */
        { 2048, 1, 1025, 1,
          "wide.json:2048:3: the model is too large: 2048 fields times 1025 destinations make "
          "2099200 flows, more than the limit of 2097152 (each is a row of the report and a set "
          "of counters; the first field over, number 2047, is here)" },
        /* 873 x 2457600 <= 2^31 < 874 x 2457600: rule number 874, line 1 + 4096 + 600 + 5 + 873 */
        { 1, 4096, 600, 1000,
          "wide.json:5575:3: the model is too large: 2457600 decisions times 1000 rules make "
          "2457600000 rule checks, more than the limit of 2147483648 (each decision checks every "
          "rule; the first rule over, number 874, is here)" },
        /* 4096 partners of 4096 scopes are 2^24 decisions: partner number 4097, line 8197 */
        { 1, 4096, 4097, 1,
          "wide.json:8197:3: the model is too large: the scopes of the APIs that the partners "
          "integrate make 16781312 decisions, more than the limit of 16777216 (each is "
          "decided; the first partner over, number 4097, is here)" },
        /* 65266 x 4113 > 2^28 >= 65265 x 4113: rule number 65266, line 1 + 4096 + 16 + 5 +
         * 65265 */
        { 1, 4096, 16, 70000,
          "wide.json:69383:3: the model is too large: 70000 rules times 4113 partners, APIs "
          "and scopes make 287910000 rule matches, more than the limit of 268435456 (each rule "
          "is matched against each of them; the first rule over, number 65266, is here)" },
        { 1, 1, 1, 1, NULL },
    };
    for (size_t i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autofree char *text =
            wide_model (cases[i].fields, cases[i].scopes, cases[i].partners, cases[i].rules);
        g_autoptr (GError) error = NULL;
        g_autoptr (FsimScenario) s = fsim_loader_load_string ("wide.json", text, NULL, &error);
        if (!cases[i].what) {
            g_assert_no_error (error);
            continue;
        }
        g_assert_null (s);
        g_assert_error (error, FSIM_LOADER_ERROR, FSIM_LOADER_ERROR_LIMIT);
        g_assert_cmpstr (error->message, ==, cases[i].what);
    }
    /* 16384 fields and one scope listing 20000 field patterns: refused before converting, at
     * field number 3356 (3355 x 20000 <= 2^26 < 3356 x 20000) on line 3357 */
    g_autoptr (GString) text = g_string_new ("{ \"fields\": [\n");
    for (int f = 0; f < 16384; f++)
        g_string_append_printf (text, "%s  { \"id\": \"f%d\" }", f ? ",\n" : "", f);
    g_string_append (text, "], \"apis\": [ { \"id\": \"a\", \"scopes\": [ { \"id\": \"s\", "
                           "\"subject\": \"self\", \"fields\": [");
    for (int k = 0; k < 20000; k++)
        g_string_append_printf (text, "%s\"f%d\"", k ? "," : "", k % 16384);
    g_string_append (text, "] } ] } ] }");
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimScenario) s = fsim_loader_load_string ("patterns.json", text->str, NULL, &error);
    g_assert_null (s);
    g_assert_error (error, FSIM_LOADER_ERROR, FSIM_LOADER_ERROR_LIMIT);
    g_assert_cmpstr (error->message, ==,
                     "patterns.json:3357:3: the model is too large: the field patterns, "
                     "requests and rule selectors, each times what it may select, make "
                     "327680000 pattern checks, more than the limit of 67108864 (converting "
                     "would take minutes; the first field over, number 3356, is here)");
}

/* The memory a model needs to run, against FLOWSIM_MEMORY_LIMIT (read once per process, so
 * through the command): 2^24 decisions x 16 bytes against 64 MiB. The rest (pairs x 8 +
 * flows x 64 + 8193 rule matches / 8) is 295936 bytes and each partner's 4096 decisions cost
 * 65536, so partner number 1020 (line 1 + 4096 + 4 + 1019) is the first over. */
static void
test_model_memory (void)
{
    g_autofree char *dir = fsim_test_scratch_new ();
    g_autofree char *text = wide_model (1, 4096, 4096, 1);
    g_autofree char *path = fsim_test_write (dir, "wide.json", text, -1);
    g_autoptr (FsimTestRun) r =
        fsim_test_run (NULL, (const char *const[]){ "FLOWSIM_MEMORY_LIMIT=64M", NULL },
                       (const char *const[]){ "lint", path, NULL });
    g_autofree char *want = g_strdup_printf (
        "flowsim: error: %s:5120:3: out of memory: running this model needs about 256.3 MiB "
        "(16777216 decisions, 4096 (field, partner) pairs), more than FLOWSIM_MEMORY_LIMIT "
        "allows (64.0 MiB; the first partner over, number 1020, is here)\n",
        path);
    g_assert_cmpint (r->status, ==, 3);
    fsim_assert_contains (r->err, want);
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

/* The entry over a product's limit is located in the file that holds it: the fields come from
 * an included file, the partners from the scenario. */
static void
test_model_size_included (void)
{
    g_autofree char *dir = fsim_test_scratch_new ();
    g_autoptr (GString) fields = g_string_new ("{ \"fields\": [\n");
    for (int f = 0; f < 2048; f++)
        g_string_append_printf (fields, "  { \"id\": \"f%d\" }%s\n", f, f < 2047 ? "," : "");
    g_string_append (fields, "] }\n");
    g_autofree char *pf = fsim_test_write (dir, "fields.json", fields->str, -1);
    g_autofree char *wide = wide_model (0, 1, 1025, 1);
    /* the scenario's own field list is empty: the include's come first */
    g_autofree char *top_text = g_strdup_printf ("{ \"include\": [\"fields.json\"],%s", wide + 1);
    g_autofree char *top = fsim_test_write (dir, "top.json", top_text, -1);
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimScenario) s = fsim_loader_load (top, NULL, &error);
    g_assert_null (s);
    g_assert_error (error, FSIM_LOADER_ERROR, FSIM_LOADER_ERROR_LIMIT);
    g_autofree char *want = g_strdup_printf (
        "%s:2048:3: the model is too large: 2048 fields times 1025 destinations make 2099200 "
        "flows, more than the limit of 2097152 (each is a row of the report and a set of "
        "counters; the first field over, number 2047, is here)",
        pf);
    g_assert_cmpstr (error->message, ==, want);
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

/* ---- /limits/graph-input: the same rule for graph files ------------------------------------ */

static void
test_graph_input (void)
{
    g_autofree char *dir = fsim_test_scratch_new ();
    g_autofree char *fifo = g_build_filename (dir, "g.txt", NULL);
    g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
    const struct {
        const char *path;
        const char *what;
    } cases[] = {
        { "/dev/zero", "not a regular file" },
        { fifo, "a FIFO or pipe" },
        { dir, "it is a directory" },
        { "/proc/self/maps", "files of /proc and /sys are never read" },
    };
    for (size_t i = 0; i < G_N_ELEMENTS (cases); i++) {
        for (int f = FSIM_IMPORT_EDGE_LIST; f <= FSIM_IMPORT_GML; f++) {
            g_autoptr (GError) error = NULL;
            g_autoptr (FsimImported) imp =
                fsim_import_file (cases[i].path, (FsimImportFormat) f, &error);
            g_assert_null (imp);
            g_assert_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_IO);
            g_assert_nonnull (strstr (error->message, cases[i].what));
        }
    }
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

/* GraphML entities are never expanded, and external ones never fetched (libxml2 through
 * igraph): a graph file cannot pull another file's contents into the attributes. */
static void
test_graphml_entities (void)
{
    g_autofree char *dir = fsim_test_scratch_new ();
    g_autofree char *secret = fsim_test_write (dir, "secret.txt", "TOPSECRET", -1);
    g_autofree char *text = g_strdup_printf (
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE graphml [ <!ENTITY xxe SYSTEM \"file://%s\"> ]>\n"
        "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n"
        "  <key id=\"name\" for=\"node\" attr.name=\"name\" attr.type=\"string\"/>\n"
        "  <graph edgedefault=\"undirected\">\n"
        "    <node id=\"a\"><data key=\"name\">&xxe;</data></node>\n"
        "    <node id=\"b\"/><edge source=\"a\" target=\"b\"/>\n"
        "  </graph>\n</graphml>\n",
        secret);
    g_autofree char *path = fsim_test_write (dir, "g.graphml", text, -1);
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimImported) imp = fsim_import_file (path, FSIM_IMPORT_AUTO, &error);
    if (imp) {
        const FsimAttr *name = fsim_attr_table_lookup (&imp->attrs, "name");
        g_assert_nonnull (name);
        for (size_t u = 0; u < imp->attrs.n_users; u++)
            g_assert_null (strstr (name->strings[u], "TOPSECRET"));
    } else {
        g_assert_null (strstr (error->message, "TOPSECRET"));
    }
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

/* ---- /limits/big: more than 64 of everything, end to end ----------------------------------- */

#define N_BIG 200

/*
 * N_BIG fields and N_BIG partners (four 64-bit words each). alice uses every partner, bob uses
 * only the last and is alice's friend. So every partner receives every field of alice (self,
 * with consent) and of bob (through his friend alice, without consent), except the last,
 * which bob uses himself.
 */
static char *
big_scenario (void)
{
    GString *s = g_string_new ("{ \"scenario\": \"big\", \"date\": \"2014-06-01\",\n"
                               "  \"fields\": [");
    for (int f = 0; f < N_BIG; f++)
        g_string_append_printf (s, "%s{ \"id\": \"f%d\" }", f ? ", " : "", f);
    g_string_append (s, "],\n  \"apis\": [ { \"id\": \"api\", \"scopes\": [\n"
                        "    { \"id\": \"own\", \"subject\": \"self\", \"fields\": [\"*\"] },\n"
                        "    { \"id\": \"friends\", \"subject\": \"friends\", \"fields\": [\"*\"] }"
                        " ] } ],\n  \"partners\": [\n");
    for (int p = 0; p < N_BIG; p++)
        g_string_append_printf (s,
                                "%s    { \"id\": \"p%d\", \"kind\": \"app\", \"integrates\": "
                                "[\"api\"], \"requests\": [\"*\"], \"destinations\": [ { "
                                "\"id\": \"dc\", \"location\": \"server\", \"jurisdiction\": "
                                "\"US\", \"fields\": [\"*\"] } ] }",
                                p ? ",\n" : "", p);
    g_string_append (s, " ],\n  \"rules\": [ { \"id\": \"all\", \"effect\": \"allow\", "
                        "\"partners\": [\"*\"] } ],\n  \"population\": { \"users\": [\n"
                        "    { \"id\": \"alice\", \"uses\": [");
    for (int p = 0; p < N_BIG; p++)
        g_string_append_printf (s, "%s\"p%d\"", p ? ", " : "", p);
    g_string_append_printf (s,
                            "] },\n    { \"id\": \"bob\", \"friends\": [\"alice\"], "
                            "\"uses\": [\"p%d\"] } ] } }\n",
                            N_BIG - 1);
    return g_string_free (s, FALSE);
}

static void
test_big (void)
{
    g_autofree char *dir = fsim_test_scratch_new ();
    g_autofree char *text = big_scenario ();
    g_autofree char *path = fsim_test_write (dir, "big.json", text, -1);
    g_autoptr (FsimTestRun) csv =
        fsim_test_run (NULL, NULL, (const char *const[]){ "run", path, "--format", "csv", NULL });
    g_autofree char *why = NULL;
    size_t rows = 0, cols = 0;

    g_assert_cmpint (csv->status, ==, 0);
    if (!fsim_check_csv (csv->out, csv->out_len, &rows, &cols, &why))
        g_error ("%s", why);
    g_assert_cmpuint (rows, ==, 1 + N_BIG * N_BIG);
    g_assert_cmpuint (cols, ==, 11);
    /* row 1 + f * N_BIG + p is (field f, partner p): field, partner, ..., users, without
     * consent (the ids need no quoting, so the rows split plainly) */
    g_auto (GStrv) lines = g_strsplit (csv->out, "\n", -1);
    for (int f = 0; f < N_BIG; f++) {
        for (int p = 0; p < N_BIG; p++) {
            g_auto (GStrv) cell = g_strsplit (lines[1 + f * N_BIG + p], ",", -1);
            g_autofree char *fid = g_strdup_printf ("f%d", f);
            g_autofree char *pid = g_strdup_printf ("p%d", p);
            g_assert_cmpstr (cell[0], ==, fid);
            g_assert_cmpstr (cell[1], ==, pid);
            g_assert_cmpstr (cell[5], ==, "2");
            g_assert_cmpstr (cell[6], ==, p == N_BIG - 1 ? "0" : "1");
        }
    }
    g_autoptr (FsimTestRun) json =
        fsim_test_run (NULL, NULL, (const char *const[]){ "run", path, "--format", "json", NULL });
    g_assert_cmpint (json->status, ==, 0);
    if (!fsim_check_json (json->out, json->out_len, &why))
        g_error ("%s", why);
    g_autoptr (FsimTestRun) txt =
        fsim_test_run (NULL, NULL, (const char *const[]){ "run", path, NULL });
    g_assert_cmpint (txt->status, ==, 0);
    g_assert_nonnull (strstr (txt->out, "p199"));
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

/* ---- /limits/population: too large for memory is an error, not an OOM kill ---------------- */

static void
test_population_memory (void)
{
    g_autoptr (FsimTestRun) r =
        fsim_test_run (NULL, (const char *const[]){ "FLOWSIM_MEMORY_LIMIT=64M", NULL },
                       (const char *const[]){ "run", "--set", "population.users=2000000", "--set",
                                              "population.mean_degree=100", NULL });
    g_assert_cmpint (r->status, ==, 3);
    g_assert_nonnull (strstr (r->err, "more than FLOWSIM_MEMORY_LIMIT allows (64.0 MiB)"));
    g_assert_cmpstr (r->out, ==, "");

    /* Issue 11: located at the scenario's "population" object */
    g_autofree char *dir = fsim_test_scratch_new ();
    g_autofree char *model = fsim_test_data_path ("errors", "model.json", NULL);
    g_autofree char *text = g_strdup_printf (
        "{ \"scenario\": \"big\", \"date\": \"2014-06-01\",\n  \"include\": [\"%s\"],\n"
        "  \"population\": { \"generator\": \"erdos_renyi\", \"users\": 2000000, "
        "\"mean_degree\": 100 } }\n",
        model);
    g_autofree char *path = fsim_test_write (dir, "pop.json", text, -1);
    g_autoptr (FsimTestRun) located =
        fsim_test_run (NULL, (const char *const[]){ "FLOWSIM_MEMORY_LIMIT=64M", NULL },
                       (const char *const[]){ "run", path, NULL });
    g_autofree char *want = g_strdup_printf (
        "flowsim: error: %s:3:17: a population of 2000000 users with 3 fields and 3 partners "
        "needs about 4.8 GiB of memory, more than FLOWSIM_MEMORY_LIMIT allows (64.0 MiB); use "
        "fewer "
        "users or a smaller mean degree\n",
        path);
    g_assert_cmpint (located->status, ==, 3);
    g_assert_cmpstr (located->err, ==, want);
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

/* The smallest cap refuses the tour with sizes that read right, not "about 0.0 GiB while
 * loading, more than this machine can give (0.0 GiB)" (third pass, 6 December 2026). */
static void
test_memory_tiny_cap (void)
{
    g_autoptr (FsimTestRun) r =
        fsim_test_run (NULL, (const char *const[]){ "FLOWSIM_MEMORY_LIMIT=1", NULL },
                       (const char *const[]){ "run", NULL });
    g_assert_cmpint (r->status, ==, 3);
    g_assert_cmpstr (r->out, ==, "");
    g_assert_nonnull (strstr (r->err, " KiB while loading, more than "
                                      "FLOWSIM_MEMORY_LIMIT allows (1 byte)\n"));
    g_assert_null (strstr (r->err, "GiB"));
}

/* Issue 11: the documented maximum of 100 million generated users is refused only for want of
 * memory, with the memory message (a fixed 16 GiB cap said "at most 4294967295 users"). */
static void
test_population_100m (void)
{
    g_autoptr (FsimTestRun) r =
        fsim_test_run (NULL, (const char *const[]){ "FLOWSIM_MEMORY_LIMIT=64M", NULL },
                       (const char *const[]){ "run", "--set", "population.users=100000000", NULL });
    g_assert_cmpint (r->status, ==, 3);
    g_assert_nonnull (strstr (r->err, "a population of 100000000 users with "));
    g_assert_nonnull (strstr (r->err, "more than FLOWSIM_MEMORY_LIMIT allows (64.0 MiB)"));
    g_assert_null (strstr (r->err, "4294967295"));
    g_assert_cmpstr (r->out, ==, "");
}

/* A graph file too big for the machine is refused before it is read (the file is sparse). */
static void
test_population_import_memory (void)
{
    g_autofree char *dir = fsim_test_scratch_new ();
    g_autofree char *model = fsim_test_data_path ("errors", "model.json", NULL);
    g_autofree char *edges = g_build_filename (dir, "edges.txt", NULL);
    int fd = g_open (edges, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    g_assert_cmpint (fd, >=, 0);
    g_assert_cmpint (ftruncate (fd, (off_t) 100 << 20), ==, 0);
    close (fd);
    g_autofree char *text = g_strdup_printf (
        "{ \"scenario\": \"big-import\", \"date\": \"2014-06-01\", \"include\": [\"%s\"],\n"
        "  \"population\": { \"import\": { \"file\": \"edges.txt\" } } }\n",
        model);
    g_autofree char *path = fsim_test_write (dir, "s.json", text, -1);
    g_autoptr (FsimTestRun) r =
        fsim_test_run (NULL, (const char *const[]){ "FLOWSIM_MEMORY_LIMIT=64M", NULL },
                       (const char *const[]){ "run", path, NULL });
    g_assert_cmpint (r->status, ==, 3);
    g_assert_nonnull (strstr (r->err, "reading it needs about 3.5 times that, more than "
                                      "FLOWSIM_MEMORY_LIMIT allows (64.0 MiB)"));
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

/* A graph file over 256 MiB is refused by its size, whatever the memory (sparse: no disk); a
 * GML string over 64 KiB before igraph's GML reader, quadratic in it, sees the file. */
static void
test_graph_file_limits (void)
{
    g_autofree char *dir = fsim_test_scratch_new ();
    g_autofree char *model = fsim_test_data_path ("errors", "model.json", NULL);
    g_autofree char *edges = g_build_filename (dir, "edges.txt", NULL);
    int fd = g_open (edges, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    g_assert_cmpint (fd, >=, 0);
    g_assert_cmpint (ftruncate (fd, ((off_t) 256 << 20) + 1), ==, 0);
    close (fd);
    GString *gml = g_string_new ("graph [\n  node [ id 0 label \"a\" ]\n  node [ id 1 label \"");
    for (int i = 0; i < 70000; i++)
        g_string_append_c (gml, 'x');
    g_string_append (gml, "\" ]\n  edge [ source 0 target 1 ]\n]\n");
    g_free (fsim_test_write (dir, "long.gml", gml->str, (gssize) gml->len));
    g_string_free (gml, TRUE);

    const char *files[] = { "edges.txt", "long.gml" };
    const char *expect[] = { "holds 268435457 bytes, more than the limit of 268435456 bytes for "
                             "one file; for an edge list you trust, --max-graph-size SIZE raises "
                             "it, up to 16.0 GiB a process, and under mpirun each rank reads its "
                             "part",
                             "long.gml:3:21: a string longer than 65536 bytes (igraph's GML reader "
                             "takes time in the square of a string's length)" };
    for (size_t i = 0; i < G_N_ELEMENTS (files); i++) {
        g_autofree char *text = g_strdup_printf (
            "{ \"scenario\": \"big-import\", \"date\": \"2014-06-01\", \"include\": [\"%s\"],\n"
            "  \"population\": { \"import\": { \"file\": \"%s\" } } }\n",
            model, files[i]);
        g_autofree char *path = fsim_test_write (dir, "s.json", text, -1);
        g_autoptr (FsimTestRun) r =
            fsim_test_run (NULL, NULL, (const char *const[]){ "population", path, NULL });
        g_assert_cmpint (r->status, ==, 3);
        fsim_assert_contains (r->err, expect[i]);
    }
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

/* A scenario in @dir importing @file with the test model, as "s-FILE.json" (transfer full). */
static char *
import_scenario (const char *dir, const char *file)
{
    g_autofree char *model = fsim_test_data_path ("errors", "model.json", NULL);
    g_autofree char *name = g_strdup_printf ("s-%s.json", file);
    g_autofree char *text = g_strdup_printf (
        "{ \"scenario\": \"big-import\", \"date\": \"2014-06-01\", \"include\": [\"%s\"],\n"
        "  \"population\": { \"import\": { \"file\": \"%s\" } } }\n",
        model, file);
    return fsim_test_write (dir, name, text, -1);
}

/* A sparse file of @bytes in @dir (no disk), its path (transfer full). */
static char *
sparse_file (const char *dir, const char *name, off_t bytes)
{
    char *path = g_build_filename (dir, name, NULL);
    int fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    g_assert_cmpint (fd, >=, 0);
    g_assert_cmpint (ftruncate (fd, bytes), ==, 0);
    close (fd);
    return path;
}

/* --max-graph-size SIZE: the user running flowsim sets the most one process reads of an edge
 * list (docs/robustness.md), lower or higher; GraphML and GML keep 256 MiB; a bad SIZE is a
 * usage error. */
static void
test_graph_size_option (void)
{
    g_autofree char *dir = fsim_test_scratch_new ();
    g_autoptr (GString) edges = g_string_new (NULL);
    for (int i = 0; i < 40; i++)
        g_string_append_printf (edges, "%d %d\n", i, (i * 7 + 3) % 40);
    g_autofree char *small = fsim_test_write (dir, "small.txt", edges->str, (gssize) edges->len);
    g_autofree char *s_small = import_scenario (dir, "small.txt");
    g_autofree char *s_edges = import_scenario (dir, "edges.txt");
    g_autofree char *s_gml = import_scenario (dir, "big.gml");
    g_autofree char *big = sparse_file (dir, "edges.txt", ((off_t) 256 << 20) + 1);
    g_autofree char *gml = sparse_file (dir, "big.gml", ((off_t) 256 << 20) + 1);

    /* lowered below the file: refused with the way to raise it; raised again: the same report */
    g_autoptr (FsimTestRun) plain = FSIM_RUN ("run", "-q", s_small);
    g_assert_cmpint (plain->status, ==, 0);
    g_autoptr (FsimTestRun) low = FSIM_RUN ("run", "-q", s_small, "--max-graph-size", "64");
    g_autofree char *want = g_strdup_printf (
        "'%s' holds %zu bytes, more than the limit of 64 bytes for one file; for an edge list you "
        "trust, --max-graph-size SIZE raises it, up to 16.0 GiB a process, and under mpirun each "
        "rank reads its part\n",
        small, edges->len);
    g_assert_cmpint (low->status, ==, 3);
    fsim_assert_contains (low->err, want);
    g_autoptr (FsimTestRun) fits = FSIM_RUN ("run", "-q", "--max-graph-size", "1 KiB", s_small);
    g_assert_cmpint (fits->status, ==, 0);
    g_assert_cmpstr (fits->out, ==, plain->out);

    /* GraphML and GML stay within 256 MiB whatever the option says */
    g_autoptr (FsimTestRun) r_gml = FSIM_RUN ("population", s_gml, "--max-graph-size", "1GiB");
    g_assert_cmpint (r_gml->status, ==, 3);
    g_autofree char *want_gml = g_strdup_printf (
        "'%s' holds 268435457 bytes, more than the limit of 268435456 bytes for one file; igraph "
        "reads a GraphML or GML file whole, on every rank: only an edge list may be larger "
        "(--max-graph-size)",
        gml);
    fsim_assert_contains (r_gml->err, want_gml);

    /* an edge list over 256 MiB, read with the option: past the size, its first line is read
     * (the file is NUL bytes); 256 MiB read, so not under valgrind */
    if (!fsim_test_under_valgrind ()) {
        g_autoptr (FsimTestRun) r = FSIM_RUN ("population", s_edges, "--max-graph-size", "257M");
        g_assert_cmpint (r->status, ==, 3);
        g_autofree char *nul =
            g_strdup_printf ("%s:1:1: expected a user id (an integer), found a NUL byte\n", big);
        fsim_assert_contains (r->err, nul);
    }

    /* bad values: usage errors (exit 2), before anything is read; lint builds no population */
    const char *bad[][2] = {
        { "4GB", "the units are powers of 1024, written K, M, G, T or KiB, MiB, GiB, TiB (4G or "
                 "4GiB)" },
        { "1.5GiB", "expected a whole number (4096MiB, not 4.0GiB)" },
        { "-1", "expected a whole number of bytes, with K, M, G or T (KiB, MiB, GiB, TiB) after "
                "it if you like: 4GiB" },
        { "0", "the limit must be at least 1 byte" },
        { "17G", "more than 16.0 GiB, the most one process reads of an edge list (under mpirun "
                 "each rank reads its part: more ranks read more)" },
        { "99999999999999999999", "too large a number" },
    };
    for (size_t i = 0; i < G_N_ELEMENTS (bad); i++) {
        g_autoptr (FsimTestRun) r = FSIM_RUN ("check", s_small, "--max-graph-size", bad[i][0]);
        g_autofree char *line =
            g_strdup_printf ("flowsim: error: --max-graph-size '%s': %s\n", bad[i][0], bad[i][1]);
        g_assert_cmpint (r->status, ==, 2);
        g_assert_cmpstr (r->out, ==, "");
        fsim_assert_contains (r->err, line);
    }
    g_autoptr (FsimTestRun) lint = FSIM_RUN ("lint", s_small, "--max-graph-size", "1G");
    g_assert_cmpint (lint->status, ==, 2);
    g_autoptr (FsimTestRun) top = FSIM_RUN ("run", s_small, "--max-graph-size=16GiB", "-q");
    g_assert_cmpint (top->status, ==, 0);
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    g_test_add_func ("/limits/input/device", test_input_device);
    g_test_add_func ("/limits/input/fifo", test_input_fifo);
    g_test_add_func ("/limits/input/proc", test_input_proc);
    g_test_add_func ("/limits/input/directory", test_input_directory);
    g_test_add_func ("/limits/input/symlink", test_input_symlink);
    g_test_add_func ("/limits/input/top-fifo", test_input_top_fifo);
    g_test_add_func ("/limits/input/too-large", test_input_too_large);
    g_test_add_func ("/limits/input/values", test_values);
    g_test_add_func ("/limits/input/control-between-tokens", test_control_between_tokens);
    g_test_add_func ("/limits/input/counts", test_counts);
    g_test_add_func ("/limits/input/counts-merged", test_counts_merged);
    g_test_add_func ("/limits/input/counts-claims", test_counts_claims);
    g_test_add_func ("/limits/input/model-size", test_model_size);
    g_test_add_func ("/limits/input/model-size-included", test_model_size_included);
    g_test_add_func ("/limits/input/model-memory", test_model_memory);
    g_test_add_func ("/limits/graph-input/not-regular", test_graph_input);
    g_test_add_func ("/limits/graph-input/graphml-entities", test_graphml_entities);
    g_test_add_func ("/limits/big/200-fields-200-partners", test_big);
    g_test_add_func ("/limits/population/memory", test_population_memory);
    g_test_add_func ("/limits/population/100m-users", test_population_100m);
    g_test_add_func ("/limits/memory/tiny-cap", test_memory_tiny_cap);
    g_test_add_func ("/limits/population/import-memory", test_population_import_memory);
    g_test_add_func ("/limits/graph-input/file-limits", test_graph_file_limits);
    g_test_add_func ("/limits/graph-input/size-option", test_graph_size_option);
    return g_test_run ();
}
