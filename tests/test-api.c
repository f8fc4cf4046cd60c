/* SPDX-License-Identifier: MIT */
/*
 * test-api.c: libflowsim's facade (include/flowsim/flowsim.h), linked against the shared
 * library alone, as a program that embeds flowsim would be: the report is the CLI's, byte for
 * byte; the structures hold the tour's numbers (docs/semantics.md works them by hand); errors
 * carry the CLI's kinds and messages; nothing but the API is exported.
 */
#include <string.h>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include <flowsim/flowsim.h>

#include "worst-case.h"

static char *
source_path (const char *relative)
{
    return g_build_filename (g_getenv ("FLOWSIM_SOURCE_DIR"), relative, NULL);
}

/* Writes the scenario of @shape (tests/worst-case.h) to model.json in a new temporary folder,
 * *@out_dir (transfer full), and returns its path (transfer full). */
static char *
write_worst_case (const FsimWorstCase *shape, char **out_dir)
{
    g_autofree char *text = fsim_worst_case_json (shape);
    g_autoptr (GError) error = NULL;
    *out_dir = g_dir_make_tmp ("flowsim-api-XXXXXX", &error);
    g_assert_no_error (error);
    char *path = g_build_filename (*out_dir, "model.json", NULL);
    g_assert_true (g_file_set_contents (path, text, -1, NULL));
    return path;
}

/* Runs `$FLOWSIM ARGS...`, which must exit @want; returns its stderr if @err, else its stdout. */
static char *
cli_run (const char *const *args, int want, gboolean err)
{
    g_autoptr (GPtrArray) argv = g_ptr_array_new ();
    g_ptr_array_add (argv, (gpointer) g_getenv ("FLOWSIM"));
    for (; *args; args++)
        g_ptr_array_add (argv, (gpointer) *args);
    g_ptr_array_add (argv, NULL);
    g_autoptr (GError) error = NULL;
    char *out = NULL;
    int status = 0;
    g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL,
                                 err ? G_SPAWN_STDOUT_TO_DEV_NULL : G_SPAWN_STDERR_TO_DEV_NULL,
                                 NULL, NULL, err ? NULL : &out, err ? &out : NULL, &status,
                                 &error));
    g_assert_no_error (error);
    g_assert_true (WIFEXITED (status));
    g_assert_cmpint (WEXITSTATUS (status), ==, want);
    return out;
}

/* stdout of `$FLOWSIM ARGS...`, which must exit 0. */
static char *
cli_output (const char *const *args)
{
    return cli_run (args, 0, FALSE);
}

static void
test_report_is_the_cli_report (void)
{
    g_autofree char *tour = source_path ("scenarios/tour.json");
    const char *formats[] = { "text", "json", "csv" };
    for (int f = 0; f < 3; f++) {
        FlowsimOptions *options = flowsim_options_new ();
        flowsim_options_add_set (options, "date=2015-05-01");
        flowsim_options_set_threads (options, 1 + (unsigned) f);
        FlowsimError *error = NULL;
        FlowsimSimulation *sim = flowsim_simulate (tour, options, &error);
        flowsim_options_free (options);
        g_assert_null (error);
        g_assert_nonnull (sim);
        char *report = flowsim_simulation_report (sim, (FlowsimFormat) f);
        g_autofree char *cli = cli_output ((const char *const[]){
            "run", tour, "--set", "date=2015-05-01", "--format", formats[f], NULL });
        g_assert_cmpstr (report, ==, cli);
        flowsim_free (report);
        flowsim_simulation_free (sim);
    }
}

static void
record_phase (const char *phase, double fraction, void *user_data)
{
    GString *seen = user_data;
    g_assert_true (fraction >= 0.0 && fraction <= 1.0);
    if (seen->len == 0 || !g_str_has_suffix (seen->str, phase))
        g_string_append_printf (seen, "%s%s", seen->len ? "," : "", phase);
}

/* Progress names the two long phases, in order, on the calling thread. */
static void
test_progress (void)
{
    g_autofree char *tour = source_path ("scenarios/tour.json");
    g_autoptr (GString) seen = g_string_new (NULL);
    FlowsimOptions *options = flowsim_options_new ();
    flowsim_options_set_progress (options, record_phase, seen);
    FlowsimSimulation *sim = flowsim_simulate (tour, options, NULL);
    flowsim_options_free (options);
    g_assert_nonnull (sim);
    g_assert_cmpstr (seen->str, ==, "building the population,tracing");
    flowsim_simulation_free (sim);
}

static void
test_structures (void)
{
    g_autofree char *tour = source_path ("scenarios/tour.json");
    FlowsimSimulation *sim = flowsim_simulate (tour, NULL, NULL);
    g_assert_nonnull (sim);
    g_assert_cmpstr (flowsim_simulation_scenario (sim), ==, "tour");
    g_assert_cmpstr (flowsim_simulation_date (sim), ==, "2014-06-01");
    g_assert_cmpuint (flowsim_simulation_users (sim), ==, 6);
    g_assert_cmpuint (flowsim_simulation_friendships (sim), ==, 6);

    /* The tour's reach (README): quiz 3 (2 without consent), broker 3 (3), phoneco 5 (4). */
    const struct {
        const char *id;
        size_t reached, without;
    } want[] = {
        { "quiz", 3, 2 },
        { "broker", 3, 3 },
        { "phoneco", 5, 4 },
    };
    g_assert_cmpuint (flowsim_simulation_n_partners (sim), ==, G_N_ELEMENTS (want));
    FlowsimPartnerReach p;
    for (size_t i = 0; i < G_N_ELEMENTS (want); i++) {
        g_assert_true (flowsim_simulation_partner (sim, i, &p));
        g_assert_cmpstr (p.id, ==, want[i].id);
        g_assert_cmpuint (p.users_reached, ==, want[i].reached);
        g_assert_cmpuint (p.users_reached_without_consent, ==, want[i].without);
    }
    g_assert_false (flowsim_simulation_partner (sim, G_N_ELEMENTS (want), &p));

    /* The CSV rows, in order: the first is identity.name to quiz's servers in GB. */
    g_assert_cmpuint (flowsim_simulation_n_flows (sim), ==, 12);
    FlowsimFlow f;
    g_assert_true (flowsim_simulation_flow (sim, 0, &f));
    g_assert_cmpstr (f.field, ==, "identity.name");
    g_assert_cmpstr (f.partner, ==, "quiz");
    g_assert_cmpstr (f.location, ==, "server");
    g_assert_cmpstr (f.jurisdiction, ==, "GB");
    g_assert_cmpuint (f.users, ==, 3);
    g_assert_cmpuint (f.self, ==, 1);
    g_assert_cmpuint (f.friend_, ==, 2);
    g_assert_true (flowsim_simulation_flow (sim, 11, &f));
    g_assert_cmpstr (f.field, ==, "profile.religion");
    g_assert_cmpstr (f.partner, ==, "phoneco");
    g_assert_cmpstr (f.jurisdiction, ==, "device");
    g_assert_cmpuint (f.users, ==, 3);
    g_assert_false (flowsim_simulation_flow (sim, 12, &f));

    /* GB 3, US 3, on device 5 */
    g_assert_cmpuint (flowsim_simulation_n_jurisdictions (sim), ==, 3);
    FlowsimJurisdiction j;
    g_assert_true (flowsim_simulation_jurisdiction (sim, 2, &j));
    g_assert_cmpstr (j.jurisdiction, ==, "device");
    g_assert_cmpuint (j.users, ==, 5);
    g_assert_cmpuint (j.users_without_consent, ==, 4);
    flowsim_simulation_free (sim);
}

static void
test_explain_and_diff (void)
{
    g_autofree char *tour = source_path ("scenarios/tour.json");
    FlowsimSimulation *sim = flowsim_simulate (tour, NULL, NULL);
    FlowsimError *error = NULL;
    char *json = flowsim_simulation_explain (sim, "dave", "profile.religion", "phoneco",
                                             FLOWSIM_FORMAT_JSON, &error);
    g_assert_null (error);
    g_autofree char *cli = cli_output (
        (const char *const[]){ "explain", tour, "--user", "dave", "--field", "profile.religion",
                               "--partner", "phoneco", "--format", "json", NULL });
    g_assert_cmpstr (json, ==, cli);
    flowsim_free (json);

    g_assert_null (
        flowsim_simulation_explain (sim, "zoe", NULL, NULL, FLOWSIM_FORMAT_TEXT, &error));
    g_assert_cmpint (flowsim_error_kind (error), ==, FLOWSIM_ERROR_USAGE);
    g_assert_nonnull (strstr (flowsim_error_message (error), "no user 'zoe'"));
    flowsim_error_free (error);
    flowsim_simulation_free (sim);

    FlowsimOptions *options = flowsim_options_new ();
    flowsim_options_add_set (options, "date=2015-05-01");
    error = NULL;
    char *diff = flowsim_diff (tour, NULL, options, FLOWSIM_FORMAT_JSON, &error);
    flowsim_options_free (options);
    g_assert_null (error);
    g_autofree char *cli_diff = cli_output ((const char *const[]){
        "diff", tour, "--set", "date=2015-05-01", "--format", "json", NULL });
    g_assert_cmpstr (diff, ==, cli_diff);
    flowsim_free (diff);
}

/* A scenario of @n_fields fields and @n_partners partners with two users, alice and bob. */
static char *
wide_scenario (const char *dir, int n_fields, int n_partners)
{
    g_autoptr (GString) s = g_string_new ("{ \"scenario\": \"wide\", \"date\": \"2014-06-01\",\n"
                                          "  \"fields\": [");
    for (int f = 0; f < n_fields; f++)
        g_string_append_printf (s, "%s{ \"id\": \"f%d\" }", f ? ", " : "", f);
    g_string_append (s, "],\n  \"apis\": [ { \"id\": \"api\", \"scopes\": [ { \"id\": "
                        "\"own\", \"subject\": \"self\", \"fields\": [\"*\"] } ] } ],\n"
                        "  \"partners\": [");
    for (int p = 0; p < n_partners; p++)
        g_string_append_printf (s,
                                "%s{ \"id\": \"p%d\", \"kind\": \"app\", \"integrates\": "
                                "[\"api\"], \"requests\": [\"*\"], \"destinations\": [ { "
                                "\"id\": \"d\", \"location\": \"device\", \"fields\": "
                                "[\"*\"] } ] }",
                                p ? ",\n    " : "", p);
    g_string_append (s, "],\n  \"rules\": [ { \"id\": \"all\", \"effect\": \"allow\", "
                        "\"partners\": [\"*\"] } ],\n  \"population\": { \"users\": [ "
                        "{ \"id\": \"alice\", \"uses\": [\"p0\"] }, "
                        "{ \"id\": \"bob\", \"friends\": [\"alice\"] } ] } }\n");
    char *path = g_build_filename (dir, "wide.json", NULL);
    g_autoptr (GError) error = NULL;
    g_assert_true (g_file_set_contents (path, s->str, (gssize) s->len, &error));
    g_assert_no_error (error);
    return path;
}

/* explain analyses at most 65,536 (field, partner) pairs at a time, through the library as
 * through the command (issue 11): 257 fields x 256 partners are refused with the CLI's words,
 * one field fewer is explained. */
static void
test_explain_pair_cap (void)
{
    g_autofree char *dir = g_dir_make_tmp ("flowsim-api-XXXXXX", NULL);
    g_assert_nonnull (dir);
    g_autofree char *wide = wide_scenario (dir, 257, 256);
    FlowsimError *error = NULL;
    FlowsimSimulation *sim = flowsim_simulate (wide, NULL, &error);
    g_assert_null (error);
    const char *want = "257 fields times 256 partners make 65792 (field, partner) pairs, more "
                       "than the 65536 that explain analyses at a time: choose some with --field "
                       "or --partner";
    g_assert_null (
        flowsim_simulation_explain (sim, "bob", NULL, NULL, FLOWSIM_FORMAT_TEXT, &error));
    g_assert_nonnull (error);
    g_assert_cmpint (flowsim_error_kind (error), ==, FLOWSIM_ERROR_USAGE);
    g_assert_cmpstr (flowsim_error_message (error), ==, want);
    flowsim_error_free (error);
    g_autofree char *cli = cli_run ((const char *const[]){ "explain", wide, "--user", "bob", NULL },
                                    FLOWSIM_ERROR_USAGE, TRUE);
    g_assert_nonnull (strstr (cli, want));

    /* a selector brings it under the cap: p0 is the one partner bob's friend uses */
    error = NULL;
    char *text = flowsim_simulation_explain (sim, "bob", NULL, "p0", FLOWSIM_FORMAT_JSON, &error);
    g_assert_null (error);
    g_autofree char *cli_json = cli_output ((const char *const[]){
        "explain", wide, "--user", "bob", "--partner", "p0", "--format", "json", NULL });
    g_assert_cmpstr (text, ==, cli_json);
    flowsim_free (text);
    /* f1, f10-f19 and f100-f199: 111 fields x 256 partners, under the cap */
    error = NULL;
    text = flowsim_simulation_explain (sim, "bob", "f1*", NULL, FLOWSIM_FORMAT_TEXT, &error);
    g_assert_null (error);
    g_assert_nonnull (text);
    flowsim_free (text);
    flowsim_simulation_free (sim);
    g_assert_cmpint (g_unlink (wide), ==, 0);
    g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* Claims: the listing is `flowsim claims`'s; choosing an alternative is `run --claim`. */
static void
test_claims (void)
{
    g_autofree char *model = source_path ("scenarios/device-partners-2018.json");
    FlowsimError *error = NULL;
    FlowsimOptions *options = flowsim_options_new ();
    flowsim_options_add_claim (options, "apple-access=apple-2017-09");
    char *json = flowsim_claims (model, options, FLOWSIM_FORMAT_JSON, &error);
    g_assert_null (error);
    g_autofree char *cli = cli_output ((const char *const[]){
        "claims", model, "--claim", "apple-access=apple-2017-09", "--format", "json", NULL });
    g_assert_cmpstr (json, ==, cli);
    g_assert_nonnull (strstr (json, "\"chosen\": \"apple-2017-09\""));
    flowsim_free (json);

    /* a small population keeps it quick; the report is the CLI's, choice included */
    flowsim_options_add_set (options, "population.users=2000");
    FlowsimSimulation *sim = flowsim_simulate (model, options, &error);
    g_assert_null (error);
    char *report = flowsim_simulation_report (sim, FLOWSIM_FORMAT_TEXT);
    g_autofree char *cli_run =
        cli_output ((const char *const[]){ "run", model, "--claim", "apple-access=apple-2017-09",
                                           "--set", "population.users=2000", NULL });
    g_assert_cmpstr (report, ==, cli_run);
    g_assert_nonnull (strstr (report, "apple-2017-09"));
    flowsim_free (report);
    flowsim_simulation_free (sim);
    flowsim_options_free (options);

    options = flowsim_options_new ();
    flowsim_options_add_claim (options, "apple-access=nobody-said-this");
    g_assert_null (flowsim_claims (model, options, FLOWSIM_FORMAT_TEXT, &error));
    g_assert_cmpint (flowsim_error_kind (error), ==, FLOWSIM_ERROR_INPUT);
    g_assert_nonnull (strstr (flowsim_error_message (error), "nobody-said-this"));
    flowsim_error_free (error);
    flowsim_options_free (options);
}

/* The diagram is `flowsim diagram`'s; SVG goes through the Graphviz program of the options,
 * never through the environment. */
static void
test_diagram (void)
{
    g_autofree char *tour = source_path ("scenarios/tour.json");
    FlowsimError *error = NULL;
    FlowsimOptions *options = flowsim_options_new ();
    flowsim_options_set_graphviz (options, "/nonexistent/dot");
    FlowsimSimulation *sim = flowsim_simulate (tour, options, &error);
    flowsim_options_free (options);
    g_assert_null (error);
    char *dot = flowsim_simulation_diagram (sim, "dot", &error);
    g_assert_null (error);
    g_autofree char *cli = cli_output ((const char *const[]){ "diagram", tour, NULL });
    g_assert_cmpstr (dot, ==, cli);
    flowsim_free (dot);

    g_setenv ("FLOWSIM_DOT", "dot", TRUE); /* read by the command line only */
    g_assert_null (flowsim_simulation_diagram (sim, "svg", &error));
    g_assert_cmpint (flowsim_error_kind (error), ==, FLOWSIM_ERROR_INTERNAL);
    g_assert_nonnull (strstr (flowsim_error_message (error), "'/nonexistent/dot' was not found"));
    flowsim_error_free (error);
    error = NULL;
    g_assert_null (flowsim_simulation_diagram (sim, "png", &error));
    g_assert_cmpint (flowsim_error_kind (error), ==, FLOWSIM_ERROR_USAGE);
    flowsim_error_free (error);
    flowsim_simulation_free (sim);

    g_autofree char *in_path = g_find_program_in_path ("dot");
    if (in_path == NULL) {
        g_test_skip ("no Graphviz dot");
        return;
    }
    sim = flowsim_simulate (tour, NULL, NULL);
    error = NULL;
    char *svg = flowsim_simulation_diagram (sim, "svg", &error);
    g_assert_null (error);
    g_assert_nonnull (strstr (svg, "<svg"));
    g_assert_nonnull (strstr (svg, "phoneco"));
    flowsim_free (svg);
    flowsim_simulation_free (sim);
}

/* Issue 11: a diagram too large for Graphviz is what the command line's exit status 2 says, a
 * usage error, not an internal one: one over the bounds (2 partners of 70 APIs: 231 boxes and
 * 634 lines by default) is refused before any `dot` is looked for, with the command's counts and
 * advice a library caller can follow; one whose `dot` is stopped at its CPU time (a stand-in
 * killed by SIGXCPU) says so. Its DOT is still given. Before, both were FLOWSIM_ERROR_INTERNAL,
 * and the first went to `dot`. */
static void
test_diagram_too_large (void)
{
    FsimWorstCase shape = FSIM_WORST_CASE_DEFAULTS;
    shape.partners = 2, shape.apis = 70, shape.scopes_per_api = 3, shape.fields = 16;
    shape.rules = 1, shape.users = 50;
    g_autofree char *dir = NULL;
    g_autofree char *path = write_worst_case (&shape, &dir);
    g_autofree char *xcpu = g_build_filename (dir, "xcpu-dot", NULL);
    g_assert_true (g_file_set_contents (xcpu, "#!/bin/sh\nkill -XCPU $$\n", -1, NULL));
    g_assert_cmpint (g_chmod (xcpu, 0700), ==, 0);

    FlowsimOptions *options = flowsim_options_new ();
    flowsim_options_set_graphviz (options, "/nonexistent/dot");
    FlowsimError *error = NULL;
    FlowsimSimulation *sim = flowsim_simulate (path, options, &error);
    g_assert_null (error);
    g_assert_null (flowsim_simulation_diagram (sim, "svg", &error));
    g_assert_cmpint (flowsim_error_kind (error), ==, FLOWSIM_ERROR_USAGE);
    g_assert_cmpstr (flowsim_error_message (error), ==,
                     "the graph has 231 boxes and 634 lines, more than the 200 boxes and 4200 "
                     "lines flowsim gives Graphviz to lay out (beyond them its layout can take "
                     "minutes and gigabytes): ask for it as \"dot\" and lay it out with Graphviz "
                     "yourself");
    flowsim_error_free (error);
    error = NULL;
    char *dot = flowsim_simulation_diagram (sim, "dot", &error);
    g_assert_null (error);
    g_assert_true (g_str_has_prefix (dot, "digraph flowsim {"));
    flowsim_free (dot);
    flowsim_simulation_free (sim);
    /* the command line refuses it with the same counts and status 2 */
    g_autofree char *cli =
        cli_run ((const char *const[]){ "diagram", path, "--format", "svg", NULL }, 2, TRUE);
    g_assert_nonnull (strstr (cli, "the graph has 231 boxes and 634 lines, more than the 200 "
                                   "boxes and 4200 lines flowsim gives Graphviz to lay out"));

    g_autofree char *tour = source_path ("scenarios/tour.json");
    flowsim_options_set_graphviz (options, xcpu);
    sim = flowsim_simulate (tour, options, &error);
    g_assert_null (error);
    g_assert_null (flowsim_simulation_diagram (sim, "svg", &error));
    g_assert_cmpint (flowsim_error_kind (error), ==, FLOWSIM_ERROR_USAGE);
    g_assert_nonnull (strstr (flowsim_error_message (error),
                              "was stopped after 30 s of CPU time laying out the graph: ask for "
                              "it as \"dot\" and lay it out with Graphviz yourself"));
    flowsim_error_free (error);
    flowsim_simulation_free (sim);
    flowsim_options_free (options);
    (void) g_unlink (xcpu);
    (void) g_unlink (path);
    (void) g_rmdir (dir);
}

/* The memory limit is a parameter: a population that would not fit is refused, then builds
 * once the limit is lifted. */
static void
test_memory_limit (void)
{
    g_autofree char *tour = source_path ("scenarios/device-partners-2018.json");
    FlowsimOptions *options = flowsim_options_new ();
    flowsim_options_add_set (options, "population.users=5000000");
    FlowsimError *error = NULL;
    flowsim_set_memory_limit (64ull << 20);
    g_assert_null (flowsim_simulate (tour, options, &error));
    flowsim_set_memory_limit (0);
    g_assert_nonnull (error);
    g_assert_cmpint (flowsim_error_kind (error), ==, FLOWSIM_ERROR_INPUT);
    g_assert_nonnull (strstr (flowsim_error_message (error), "memory"));
    flowsim_error_free (error);
    flowsim_options_free (options);
}

/* The limit of an edge list one process reads is the caller's (--max-graph-size): lowered
 * below the file, the import is refused with the way to raise it; past 16 GiB it is refused
 * and unchanged; 0 gives the default back. */
static void
test_max_graph_size (void)
{
    g_autofree char *scenario = source_path ("tests/data/scale/import-edges.json");
    FlowsimError *error = NULL;

    g_assert_cmpint (flowsim_set_max_graph_size (100), ==, 1);
    g_assert_cmpint (flowsim_set_max_graph_size ((16ull << 30) + 1), ==, 0);
    g_assert_null (flowsim_simulate (scenario, NULL, &error));
    g_assert_nonnull (error);
    g_assert_cmpint (flowsim_error_kind (error), ==, FLOWSIM_ERROR_INPUT);
    g_assert_nonnull (strstr (flowsim_error_message (error),
                              "holds 174 bytes, more than the limit of 100 bytes for one file; "
                              "for an edge list you trust, --max-graph-size SIZE raises it"));
    flowsim_error_free (error);
    g_assert_cmpint (flowsim_set_max_graph_size (0), ==, 1);
    FlowsimSimulation *sim = flowsim_simulate (scenario, NULL, NULL);
    g_assert_nonnull (sim);
    flowsim_simulation_free (sim);
}

/* The bytes of this process's address space (/proc/self/statm's first field), or 0. */
static guint64
address_space (void)
{
    g_autofree char *statm = NULL;
    if (!g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL))
        return 0;
    return g_ascii_strtoull (statm, NULL, 10) * (guint64) sysconf (_SC_PAGESIZE);
}

/* Issue 11: the report's room is made before it is written, with an allocation that is tried.
 * In a child whose address space is capped 1 MiB above what it already uses, the CSV of 2^17
 * flow rows (512 fields times 256 partners, about 8 MB) is an error of kind 4 that says so,
 * where g_realloc aborted (flowsim_simulation_report() said nothing: it could not fail). */
static void
test_report_out_of_memory (void)
{
#if defined(__SANITIZE_ADDRESS__)
    g_test_skip ("AddressSanitizer reserves more address space than the cap");
    return;
#endif
    const char *preload = g_getenv ("LD_PRELOAD");
    if (preload && strstr (preload, "vgpreload")) {
        g_test_skip ("valgrind's address space is its own");
        return;
    }
    if (!g_test_subprocess ()) {
        g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
        g_test_trap_assert_passed ();
        return;
    }
    FsimWorstCase shape = FSIM_WORST_CASE_DEFAULTS;
    shape.partners = 256;
    shape.scopes_per_api = 16;
    shape.rules = 8;
    shape.users = 200;
    g_autofree char *dir = NULL;
    g_autofree char *path = write_worst_case (&shape, &dir);
    FlowsimOptions *options = flowsim_options_new ();
    flowsim_options_set_threads (options, 1);
    FlowsimError *error = NULL;
    FlowsimSimulation *sim = flowsim_simulate (path, options, &error);
    g_assert_null (error);
    g_assert_cmpuint (flowsim_simulation_n_flows (sim), ==, 512 * 256);
    (void) g_unlink (path);
    (void) g_rmdir (dir);

    guint64 used = address_space ();
    g_assert_cmpuint (used, >, 0);
    struct rlimit old, cap;
    g_assert_cmpint (getrlimit (RLIMIT_AS, &old), ==, 0);
    cap = (struct rlimit){ (rlim_t) used + (1 << 20), old.rlim_max }; /* the soft limit alone */
    g_assert_cmpint (setrlimit (RLIMIT_AS, &cap), ==, 0);
    char *csv = flowsim_simulation_report_checked (sim, FLOWSIM_FORMAT_CSV, &error);
    char *unchecked = flowsim_simulation_report (sim, FLOWSIM_FORMAT_CSV);
    g_assert_cmpint (setrlimit (RLIMIT_AS, &old), ==, 0);
    g_assert_null (csv);
    g_assert_null (unchecked);
    g_assert_nonnull (error);
    g_test_message ("%s", flowsim_error_message (error));
    g_assert_cmpint (flowsim_error_kind (error), ==, FLOWSIM_ERROR_INTERNAL);
    g_assert_true (g_str_has_prefix (flowsim_error_message (error), "out of memory: needed "));
    g_assert_true (g_str_has_suffix (flowsim_error_message (error), " bytes for the report"));
    flowsim_error_free (error);

    /* with the limit lifted, the same call answers */
    error = NULL;
    csv = flowsim_simulation_report_checked (sim, FLOWSIM_FORMAT_CSV, &error);
    g_assert_null (error);
    g_assert_cmpuint (strlen (csv), >, 4 << 20);
    flowsim_free (csv);
    flowsim_simulation_free (sim);
    flowsim_options_free (options);
}

static void
test_errors (void)
{
    g_autofree char *tour = source_path ("scenarios/tour.json");
    FlowsimError *error = NULL;
    g_assert_null (flowsim_simulate ("/nonexistent/scenario.json", NULL, &error));
    g_assert_cmpint (flowsim_error_kind (error), ==, FLOWSIM_ERROR_INPUT);
    g_assert_nonnull (strstr (flowsim_error_message (error), "/nonexistent/scenario.json"));
    flowsim_error_free (error);

    /* A bad override is the loader's located message, as with `flowsim run --set`. */
    FlowsimOptions *options = flowsim_options_new ();
    flowsim_options_add_set (options, "date=2015-02-30");
    error = NULL;
    g_assert_null (flowsim_simulate (tour, options, &error));
    g_assert_cmpint (flowsim_error_kind (error), ==, FLOWSIM_ERROR_INPUT);
    g_assert_nonnull (strstr (flowsim_error_message (error), "date"));
    flowsim_error_free (error);
    flowsim_options_free (options);

    /* without an error location, failures are still reported by the return value */
    g_assert_null (flowsim_simulate ("/nonexistent/scenario.json", NULL, NULL));
    g_autofree char *policy = source_path ("policies/apps.json");
    error = NULL;
    g_assert_null (flowsim_diff (policy, NULL, NULL, FLOWSIM_FORMAT_TEXT, &error));
    /* a policy file has no date and no population: bad input, as for every command (issue 15) */
    g_assert_cmpint (flowsim_error_kind (error), ==, FLOWSIM_ERROR_INPUT);
    g_assert_nonnull (strstr (flowsim_error_message (error), "a policy file, not a scenario"));
    flowsim_error_free (error);
    error = NULL;
    g_assert_null (flowsim_simulate (policy, NULL, &error));
    g_assert_cmpint (flowsim_error_kind (error), ==, FLOWSIM_ERROR_INPUT);
    flowsim_error_free (error);
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    g_test_add_func ("/api/report-is-the-cli-report", test_report_is_the_cli_report);
    g_test_add_func ("/api/structures", test_structures);
    g_test_add_func ("/api/progress", test_progress);
    g_test_add_func ("/api/explain-and-diff", test_explain_and_diff);
    g_test_add_func ("/api/errors", test_errors);
    g_test_add_func ("/api/explain-pair-cap", test_explain_pair_cap);
    g_test_add_func ("/api/claims", test_claims);
    g_test_add_func ("/api/diagram", test_diagram);
    g_test_add_func ("/api/diagram/too-large", test_diagram_too_large);
    g_test_add_func ("/api/memory-limit", test_memory_limit);
    g_test_add_func ("/api/max-graph-size", test_max_graph_size);
    g_test_add_func ("/api/report-out-of-memory", test_report_out_of_memory);
    return g_test_run ();
}
