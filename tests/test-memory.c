/* SPDX-License-Identifier: MIT */
/*
 * test-memory.c: under `ulimit -v` (RLIMIT_AS) flowsim either answers as without the limit or
 * says that memory ran out; it never aborts in an allocation (slow suite).
 *
 * GLib's g_new, GArray and GString abort when an allocation fails, so every allocation whose
 * size comes from the input is tried (graph/memory.h). Each case here runs one command first
 * without a limit, then under a ladder of address-space caps between what the up-front
 * estimates let through and what the command needs. At each cap the command must end either
 * exactly as without the cap (same status, same output file, same messages) or with exit 3 or
 * 4, one `flowsim: error:` line saying "out of memory", no output file and no signal (no core);
 * and at least one cap of the ladder must make it run out, so that the path is exercised.
 * Before the allocations were tried, each cap marked (abort) below ended with GLib's "failed to
 * allocate N bytes" and exit 133 (SIGTRAP).
 */
#include "config.h"

#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "run-util.h"
#include "test-util.h"
#include "worst-case.h"

#define MIB ((rlim_t) 1 << 20)

/* The scratch folder the cases share: the inputs are written once. */
static char *dir;

typedef struct {
    const char *name;
    const char *const *args; /* flowsim's arguments; each writes to out.txt with --output */
    const unsigned *caps;    /* MiB, 0-ended */
    const char *where;       /* what the error must also say (its location), or NULL */
    const char *known;       /* non-NULL: the case is not run without a cap (too slow); it ends
                              * with exit 3 and this message there */
} MemoryCase;

typedef struct {
    int status; /* exit status, or -signal */
    char *out, *err, *file;
} Outcome;

static void
outcome_clear (Outcome *o)
{
    g_free (o->out);
    g_free (o->err);
    g_free (o->file);
}

/* Between fork and exec: no allocation, no assertion. */
static void
cap_child (gpointer data)
{
    rlim_t cap = (rlim_t) GPOINTER_TO_SIZE (data) * MIB;
    struct rlimit as = { cap, cap }, core = { 0, 0 };
    if (cap > 0)
        (void) setrlimit (RLIMIT_AS, &as);
    (void) setrlimit (RLIMIT_CORE, &core);
}

/* Runs flowsim with @args in dir under a cap of @cap_mib MiB (0: none). */
static Outcome
run_capped (const char *const *args, unsigned cap_mib)
{
    g_autofree char *target = g_build_filename (dir, "out.txt", NULL);
    g_autoptr (GPtrArray) argv = g_ptr_array_new ();
    g_ptr_array_add (argv, (gpointer) g_getenv ("FLOWSIM"));
    for (size_t i = 0; args[i]; i++)
        g_ptr_array_add (argv, (gpointer) args[i]);
    g_ptr_array_add (argv, (gpointer) "--output");
    g_ptr_array_add (argv, (gpointer) "out.txt");
    g_ptr_array_add (argv, NULL);
    /* the same threads on every machine: each has a stack and a malloc arena in the space */
    g_auto (GStrv) env = g_environ_setenv (g_get_environ (), "FLOWSIM_THREADS", "2", TRUE);
    Outcome o = { 0 };
    int status = 0;
    g_autoptr (GError) error = NULL;
    (void) g_unlink (target);
    gint64 start = g_get_monotonic_time ();
    g_spawn_sync (dir, (char **) argv->pdata, env, G_SPAWN_DEFAULT, cap_child,
                  GSIZE_TO_POINTER ((gsize) cap_mib), &o.out, &o.err, &status, &error);
    g_assert_no_error (error);
    o.status = WIFEXITED (status) ? WEXITSTATUS (status) : -WTERMSIG (status);
    if (!g_file_get_contents (target, &o.file, NULL, NULL))
        o.file = NULL;
    g_test_message ("%s under %u MiB: %d in %.1f s: %s", args[0], cap_mib, o.status,
                    (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC, o.err);
    return o;
}

static gboolean
same (const char *a, const char *b)
{
    return g_strcmp0 (a, b) == 0;
}

static void
test_case (gconstpointer data)
{
    const MemoryCase *c = data;
#ifdef UNDER_ASAN
    g_test_skip ("AddressSanitizer reserves more address space than the caps");
    return;
#endif
    if (fsim_test_under_valgrind ()) {
        g_test_skip ("valgrind needs more address space than the caps");
        return;
    }
    Outcome ref = c->known ? (Outcome){ .status = 3 } : run_capped (c->args, 0);
    g_assert_cmpint (ref.status, >=, 0);
    g_assert_cmpint (ref.status, <=, 3);
    unsigned refused = 0;
    for (size_t i = 0; c->caps[i]; i++) {
        Outcome o = run_capped (c->args, c->caps[i]);
        if (o.status < 0)
            g_error ("%s under %u MiB was killed by signal %d; stderr:\n%s", c->name, c->caps[i],
                     -o.status, o.err);
        gboolean as_known = c->known && o.status == 3 && o.file == NULL && strstr (o.err, c->known);
        if (as_known || (!c->known && o.status == ref.status && same (o.file, ref.file) &&
                         same (o.err, ref.err))) {
            outcome_clear (&o);
            continue; /* it fitted */
        }
        if (o.status != 3 && o.status != 4)
            g_error ("%s under %u MiB: exit %d; stderr:\n%s", c->name, c->caps[i], o.status, o.err);
        if (strcmp (c->args[0], "lint") == 0)
            /* a batch command reports a file it could not load as a failed case, then exits 3
             * (docs/analysis.md, "Batch behaviour") */
            fsim_assert_contains (o.file, "out of memory");
        else
            g_assert_null (o.file); /* nothing half-written */
        g_assert_true (g_str_has_prefix (o.err, "flowsim: error: "));
        fsim_assert_contains (o.err, "out of memory");
        if (c->where)
            fsim_assert_contains (o.err, c->where);
        g_assert_true (strchr (o.err, '\n') == o.err + strlen (o.err) - 1); /* one line */
        refused++;
        outcome_clear (&o);
    }
    g_assert_cmpuint (refused, >, 0);
    outcome_clear (&ref);
}

/* ---- the inputs ---------------------------------------------------------------------------- */

static void
write_file (const char *name, const char *text, gssize len)
{
    g_autofree char *path = g_build_filename (dir, name, NULL);
    g_autoptr (GError) error = NULL;
    g_file_set_contents (path, text, len, &error);
    g_assert_no_error (error);
}

/* A scenario @name of @n numbers in "sources" (which the loader refuses only after parsing them
 * all: exit 3 without a cap), and 6 other JSON values (the object, its 3 keys, 2 strings, the
 * array). */
static void
write_values (const char *name, guint n)
{
    GString *text =
        g_string_new ("{ \"scenario\": \"v\", \"date\": \"2014-01-01\", \"sources\": [0");
    for (guint i = 1; i < n; i++)
        g_string_append (text, ",0");
    g_string_append (text, "] }");
    write_file (name, text->str, (gssize) text->len);
    g_string_free (text, TRUE);
}

/* An edge list of @m friendships among @n people and a graph of @gn people and @gm friendships
 * as GraphML and GML (a fixed pseudo-random pick each), and a scenario importing each. */
static void
write_graphs (guint n, guint m, guint gn, guint gm)
{
    g_autoptr (GRand) rand = g_rand_new_with_seed (1);
    GString *edges = g_string_new (NULL), *graphml = g_string_new (NULL),
            *gml = g_string_new (NULL);
    for (guint k = 0; k < m; k++)
        g_string_append_printf (edges, "%d %d\n", g_rand_int_range (rand, 0, (gint32) n),
                                g_rand_int_range (rand, 0, (gint32) n));
    g_string_append (graphml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                              "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n"
                              "<graph id=\"G\" edgedefault=\"undirected\">\n");
    g_string_append (gml, "graph [\n directed 0\n");
    for (guint i = 0; i < gn; i++) {
        g_string_append_printf (graphml, "<node id=\"n%u\"/>\n", i);
        g_string_append_printf (gml, " node [ id %u ]\n", i);
    }
    for (guint k = 0; k < gm; k++) {
        gint32 a = g_rand_int_range (rand, 0, (gint32) gn),
               b = g_rand_int_range (rand, 0, (gint32) gn);
        g_string_append_printf (graphml, "<edge source=\"n%d\" target=\"n%d\"/>\n", a, b);
        g_string_append_printf (gml, " edge [ source %d target %d ]\n", a, b);
    }
    g_string_append (graphml, "</graph>\n</graphml>\n");
    g_string_append (gml, "]\n");
    write_file ("edges.txt", edges->str, (gssize) edges->len);
    write_file ("friends.graphml", graphml->str, (gssize) graphml->len);
    write_file ("friends.gml", gml->str, (gssize) gml->len);
    g_string_free (edges, TRUE);
    g_string_free (graphml, TRUE);
    g_string_free (gml, TRUE);
    const char *files[] = { "edges.txt", "friends.graphml", "friends.gml" };
    const char *names[] = { "import-edges.json", "import-graphml.json", "import-gml.json" };
    for (size_t i = 0; i < G_N_ELEMENTS (files); i++) {
        g_autofree char *text = g_strdup_printf (
            "{ \"scenario\": \"i\", \"date\": \"2014-01-01\", \"fields\": [{ \"id\": \"f\" }],\n"
            "  \"population\": { \"import\": { \"file\": \"%s\" } } }\n",
            files[i]);
        write_file (names[i], text, -1);
    }
}

/* A GraphML graph of @n people in a line, each with a string attribute of @len bytes (igraph
 * holds them, then flowsim copies each), and a scenario importing it. */
static void
write_labelled (guint n, guint len)
{
    GString *graphml =
        g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                      "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n"
                      "<key id=\"label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n"
                      "<graph id=\"G\" edgedefault=\"undirected\">\n");
    g_autofree char *label = g_strnfill (len, 'x');
    for (guint i = 0; i < n; i++)
        g_string_append_printf (
            graphml, "<node id=\"n%u\"><data key=\"label\">%u-%s</data></node>\n", i, i, label);
    for (guint i = 0; i + 1 < n; i++)
        g_string_append_printf (graphml, "<edge source=\"n%u\" target=\"n%u\"/>\n", i, i + 1);
    g_string_append (graphml, "</graph>\n</graphml>\n");
    write_file ("labels.graphml", graphml->str, (gssize) graphml->len);
    g_string_free (graphml, TRUE);
    write_file (
        "import-labels.json",
        "{ \"scenario\": \"i\", \"date\": \"2014-01-01\", \"fields\": [{ \"id\": \"f\" }],\n"
        "  \"population\": { \"import\": { \"file\": \"labels.graphml\" } } }\n",
        -1);
}

/* The same in GML: @n people with labels of @len bytes, which igraph's GML reader keeps twice
 * (its tree of the file and the attribute's strings) before flowsim copies them. */
static void
write_labelled_gml (guint n, guint len)
{
    GString *gml = g_string_new ("graph [\n directed 0\n");
    g_autofree char *label = g_strnfill (len, 'x');
    for (guint i = 0; i < n; i++)
        g_string_append_printf (gml, " node [ id %u label \"%u-%s\" ]\n", i, i, label);
    for (guint i = 0; i + 1 < n; i++)
        g_string_append_printf (gml, " edge [ source %u target %u ]\n", i, i + 1);
    g_string_append (gml, "]\n");
    write_file ("labels.gml", gml->str, (gssize) gml->len);
    g_string_free (gml, TRUE);
    write_file (
        "import-labels-gml.json",
        "{ \"scenario\": \"i\", \"date\": \"2014-01-01\", \"fields\": [{ \"id\": \"f\" }],\n"
        "  \"population\": { \"import\": { \"file\": \"labels.gml\" } } }\n",
        -1);
}

/* The ladders: from below what the estimates let through to about what each command needs with
 * two threads (measured on the project's machine; a cap that fits is a pass too). */
static const unsigned loader_caps[] = { 600, 780, 860, 0 };
/* at the limit of 16,777,216 values: 3,100 MiB is refused by the estimate of the values (200 bytes
 * each, 3.1 GiB), 3,400 MiB lets cJSON parse them all (2.8 GB) and runs out in the sources (a
 * tried allocation of 1 GiB); without a cap the file is refused for its first source (one
 * minute at load, so that run is left out) */
static const unsigned limit_caps[] = { 3100, 3400, 0 };
static const unsigned worst_caps[] = { 300, 420, 470, 0 };
static const unsigned diff_caps[] = { 420, 750, 0 };
static const unsigned import_caps[] = { 75, 90, 100, 120, 0 };
/* the CSV of 2 million flow rows (80 MB): main's GString doubled to 128 MiB at 320 MiB and
 * aborted; the report's room is now made once, to its estimate (room.h) */
/* 800 labels of 60 KB: main copied them with g_strdup and aborted from 168 to 204 MiB
 * (`failed to allocate 60001 bytes`) */
static const unsigned labels_caps[] = { 150, 168, 186, 204, 0 };
/* 1,500 GML labels of 16 KB (24 MB): igraph lost the out-of-memory in its string vectors at 150
 * and 160 MiB (`Assertion failed: sv->stor_begin != NULL`, no location); its need is now checked
 * before it reads (graph/import-igraph.c), and 175 MiB fits */
static const unsigned gml_labels_caps[] = { 120, 150, 160, 175, 0 };
static const unsigned report_caps[] = { 300, 320, 0 };

static const MemoryCase cases[] = {
    { "loader", (const char *const[]){ "run", "values.json", NULL }, loader_caps, "values.json",
      NULL },
    { "loader-limit", (const char *const[]){ "run", "limit.json", NULL }, limit_caps, "limit.json",
      "sources[0]: expected a source" },
    { "possible", (const char *const[]){ "possible", "worst.json", "--field", "g0.f0", NULL },
      worst_caps, NULL, NULL },
    { "explain",
      (const char *const[]){ "explain", "worst.json", "--user", "u1", "--field", "g0.f0", NULL },
      worst_caps, NULL, NULL },
    { "lint", (const char *const[]){ "lint", "worst.json", NULL }, worst_caps, NULL, NULL },
    { "report-csv", (const char *const[]){ "run", "flows.json", "--format", "csv", NULL },
      report_caps, NULL, NULL },
    { "diff", (const char *const[]){ "diff", "worst.json", "--set", "date=2016-06-01", NULL },
      diff_caps, NULL, NULL },
    /* said at the scenario's "import" object */
    { "import-edges", (const char *const[]){ "population", "import-edges.json", NULL }, import_caps,
      "import-edges.json:2:", NULL },
    { "import-graphml", (const char *const[]){ "population", "import-graphml.json", NULL },
      import_caps, "import-graphml.json:2:", NULL },
    { "import-gml", (const char *const[]){ "population", "import-gml.json", NULL }, import_caps,
      "import-gml.json:2:", NULL },
    { "import-graphml-strings", (const char *const[]){ "population", "import-labels.json", NULL },
      labels_caps, "import-labels.json:2:", NULL },
    { "import-gml-strings", (const char *const[]){ "population", "import-labels-gml.json", NULL },
      gml_labels_caps, "import-labels-gml.json:2:", NULL },
};

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    dir = fsim_test_scratch_new ();
    write_values ("values.json", 4000000);     /* a quarter of the limit: 0.7 GiB while loading */
    write_values ("limit.json", 16777216 - 6); /* the limit (one more is refused) */
    FsimWorstCase shape = FSIM_WORST_CASE_DEFAULTS;
    g_autofree char *worst = fsim_worst_case_json (&shape);
    write_file ("worst.json", worst, -1);
    /* the flows at their limit (512 fields times 4096 destinations), decided quickly */
    FsimWorstCase wide = FSIM_WORST_CASE_DEFAULTS;
    wide.scopes_per_api = 16;
    wide.rules = 8;
    g_autofree char *flows = fsim_worst_case_json (&wide);
    write_file ("flows.json", flows, -1);
    write_graphs (200000, 1000000, 20000, 100000);
    write_labelled (800, 60000);
    write_labelled_gml (1500, 16000);
    for (size_t i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autofree char *path = g_strdup_printf ("/memory/capped/%s", cases[i].name);
        g_test_add_data_func (path, &cases[i], test_case);
    }
    int status = g_test_run ();
    fsim_test_scratch_free (g_steal_pointer (&dir));
    return status;
}
