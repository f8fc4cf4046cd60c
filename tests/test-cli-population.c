/* SPDX-License-Identifier: MIT */
/* test-cli-population.c: `flowsim population`, its export, and the progress line of long runs. */
/* posix_openpt, grantpt, unlockpt, ptsname */
#define _XOPEN_SOURCE 700

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "cli.h"
#include "json-check.h"
#include "run-util.h"
#include "test-util.h"

/*
 * The tests run the built binary ($FLOWSIM) on tests/data/scale/ (a six-user GraphML graph
 * with attributes, a five-user edge list) and on bench/scenario.json. The progress tests give
 * the child a pseudo-terminal as stderr, since progress is only ever shown on a terminal.
 */

static char *
scale_data (const char *name)
{
    return fsim_test_data_path ("scale", name, NULL);
}

static void
test_population_text (void)
{
    g_autofree char *path = scale_data ("import-graphml.json");
    g_autoptr (FsimTestRun) r = FSIM_RUN ("population", path);

    g_assert_cmpint (r->status, ==, FSIM_EXIT_OK);
    g_assert_cmpstr (r->err, ==, ""); /* no progress: stderr is not a terminal */
    g_assert_true (g_str_has_prefix (r->out, "flowsim " FSIM_VERSION " population\n"));
    g_assert_nonnull (strstr (r->out, "imported from "));
    g_assert_nonnull (strstr (r->out, "friends.graphml (auto)"));
    g_assert_nonnull (strstr (r->out, "  Users                       6\n"));
    g_assert_nonnull (strstr (r->out, "  Friendships                 5\n"));
    g_assert_nonnull (
        strstr (r->out, "  Friends per user            min 1, median 2, mean 1.7, p99 2, max 2\n"));
    g_assert_nonnull (strstr (r->out, "  Average clustering          0.0000 (exact, all users)\n"));
    g_assert_nonnull (strstr (r->out, "  Largest component           6 users (100.0%)\n"));
    g_assert_nonnull (strstr (r->out, "  Platform switch off         1 (16.7%)\n"));
    g_assert_nonnull (strstr (r->out, "  huawei   device_maker      2  33.33%\n"));
}

static void
test_population_json (void)
{
    g_autofree char *path = scale_data ("import-graphml.json");
    g_autoptr (FsimTestRun) r = FSIM_RUN ("population", path, "--format", "json");
    g_autoptr (GHashTable) doc = NULL;

    g_assert_cmpint (r->status, ==, FSIM_EXIT_OK);
    doc = json_check_parse (r->out);
    g_assert_nonnull (doc);
    g_assert_cmpstr (g_hash_table_lookup (doc, "population.source"), ==, "imported");
    g_assert_cmpstr (g_hash_table_lookup (doc, "population.users"), ==, "6");
    g_assert_cmpstr (g_hash_table_lookup (doc, "population.friendships"), ==, "5");
    g_assert_cmpstr (g_hash_table_lookup (doc, "population.degree.max"), ==, "2");
    g_assert_cmpstr (g_hash_table_lookup (doc, "population.clustering.sampled"), ==, "false");
    g_assert_cmpstr (g_hash_table_lookup (doc, "population.components.count"), ==, "1");
    g_assert_cmpstr (g_hash_table_lookup (doc, "adoption#"), ==, "3");
    g_assert_cmpstr (g_hash_table_lookup (doc, "adoption[2].partner"), ==, "huawei");
    g_assert_cmpstr (g_hash_table_lookup (doc, "adoption[2].users"), ==, "2");
    g_assert_cmpstr (g_hash_table_lookup (doc, "settings.platform_off"), ==, "1");
    g_assert_cmpstr (g_hash_table_lookup (doc, "settings.apps_others_narrowed"), ==, "1");
    g_assert_cmpstr (g_hash_table_lookup (doc, "settings.audience[2].field"), ==,
                     "profile.religion");
    g_assert_cmpstr (g_hash_table_lookup (doc, "settings.audience[2].public"), ==, "1");
    g_assert_cmpstr (g_hash_table_lookup (doc, "settings.audience[2].only_me"), ==, "1");
}

/* A generated population with a sampled clustering estimate. */
static void
test_population_generated (void)
{
    g_autofree char *bench = fsim_test_source_path ("bench", "scenario.json", NULL);
    g_autoptr (FsimTestRun) r = FSIM_RUN ("population", bench, "--set", "population.users=3000",
                                          "--sample", "500", "-f", "json");
    g_autoptr (GHashTable) doc = NULL;

    g_assert_cmpint (r->status, ==, FSIM_EXIT_OK);
    doc = json_check_parse (r->out);
    g_assert_nonnull (doc);
    g_assert_cmpstr (g_hash_table_lookup (doc, "population.generator"), ==, "facebook_like");
    g_assert_cmpstr (g_hash_table_lookup (doc, "population.clustering.sampled"), ==, "true");
    g_assert_cmpstr (g_hash_table_lookup (doc, "population.clustering.users_measured"), ==, "500");
    g_assert_cmpstr (g_hash_table_lookup (doc, "adoption#"), ==, "60");
    g_assert_cmpstr (g_hash_table_lookup (doc, "settings.audience#"), ==, "30");
}

static size_t
count_lines (const char *text, gboolean skip_comments)
{
    g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
    size_t n = 0;

    for (char **l = lines; *l; l++)
        n += **l != '\0' && !(skip_comments && **l == '#');
    return n;
}

/* --export writes an edge list that population.import reads back, and the users' table. */
static void
test_population_export (void)
{
    g_autofree char *dir = g_dir_make_tmp ("flowsim-export-XXXXXX", NULL);
    g_autofree char *path = scale_data ("import-graphml.json");
    g_autofree char *edges_path = g_build_filename (dir, "friendships.txt", NULL);
    g_autofree char *users_path = g_build_filename (dir, "users.tsv", NULL);
    g_autofree char *edges = NULL, *users = NULL, *set = NULL;
    g_autoptr (FsimTestRun) r = FSIM_RUN ("population", path, "--export", dir, "-q");

    g_assert_cmpint (r->status, ==, FSIM_EXIT_OK);
    g_assert_true (g_file_get_contents (edges_path, &edges, NULL, NULL));
    g_assert_true (g_file_get_contents (users_path, &users, NULL, NULL));
    g_assert_cmpuint (count_lines (edges, TRUE), ==, 5);
    g_assert_nonnull (strstr (edges, "\n0 1\n0 2\n1 3\n3 4\n4 5\n"));
    g_assert_cmpuint (count_lines (users, TRUE), ==, 1 + 6);
    g_assert_nonnull (
        strstr (users, "# fields: identity.name profile.birthday profile.religion\n"));
    g_assert_nonnull (
        strstr (users, "\n0\t1\t111\t113\tquiz\n1\t0\t110\t111\t\n2\t1\t111\t110\thuawei\n"));

    g_autofree char *edges_json = scale_data ("import-edges.json");
    set = g_strdup_printf ("population.import.file=%s", edges_path);
    g_autoptr (FsimTestRun) back = FSIM_RUN ("population", edges_json, "--set", set, "-f", "json");
    g_autoptr (GHashTable) doc = json_check_parse (back->out);
    g_assert_cmpint (back->status, ==, FSIM_EXIT_OK);
    g_assert_cmpstr (g_hash_table_lookup (doc, "population.users"), ==, "6");
    g_assert_cmpstr (g_hash_table_lookup (doc, "population.friendships"), ==, "5");
    g_unlink (edges_path);
    g_unlink (users_path);
    g_rmdir (dir);
}

static void
assert_usage (const FsimTestRun *r, const char *message)
{
    g_autofree char *expected =
        g_strdup_printf ("flowsim: error: %s\nTry 'flowsim population --help'.\n", message);
    g_assert_cmpint (r->status, ==, FSIM_EXIT_USAGE);
    g_assert_cmpstr (r->out, ==, "");
    g_assert_cmpstr (r->err, ==, expected);
}

/* `--save -` puts the snapshot alone on standard output (a scenario can load it back) and the
 * description on standard error; before, the text report followed the snapshot's bytes. The
 * snapshot holds NUL bytes, so the shell sends standard output to a file. */
static void
test_population_save_stdout (void)
{
    g_autofree char *path = scale_data ("import-graphml.json");
    g_autofree char *dir = fsim_test_scratch_new ();
    g_autofree char *snap = g_build_filename (dir, "pop.fsp", NULL);
    g_autofree char *set = g_strconcat ("population.snapshot=", snap, NULL);
    const char *argv[] = { "/bin/sh",
                           "-c",
                           "exec \"$0\" population \"$1\" --save - >\"$2\"",
                           g_getenv ("FLOWSIM"),
                           path,
                           snap,
                           NULL };
    g_autofree char *out = NULL, *err = NULL, *bytes = NULL;
    g_autoptr (GError) error = NULL;
    gsize len = 0;
    int wait_status = 0;

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &wait_status,
                  &error);
    g_assert_no_error (error);
    g_assert_true (WIFEXITED (wait_status) && WEXITSTATUS (wait_status) == FSIM_EXIT_OK);
    g_assert_true (g_str_has_prefix (err, "flowsim " FSIM_VERSION " population\n"));
    fsim_assert_contains (err, "  Users                       6\n");
    g_assert_true (g_file_get_contents (snap, &bytes, &len, NULL));
    g_assert_true (len > 128 && memcmp (bytes, "\211flowsim-pop\r\n", 14) == 0);
    g_assert_null (g_strstr_len (bytes, (gssize) len, " population\n"));

    g_autoptr (FsimTestRun) loaded = FSIM_RUN ("population", path, "--set", set);
    g_assert_cmpint (loaded->status, ==, FSIM_EXIT_OK);
    fsim_assert_contains (loaded->out, "  Users                       6\n");
    fsim_assert_contains (loaded->out, "  Friendships                 5\n");
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

/* Issue 11's third pass: `--save /dev/stdout > FILE` wrote the snapshot through a descriptor of
 * its own and the description through standard output's, both from offset 0: FILE held the
 * description over the snapshot's start. /dev/stdout is standard output, as `--save -` is: the
 * description goes to standard error. And `--save X -o X` replaced the snapshot with the
 * description, silently: a usage error now. */
static void
test_population_save_dev_stdout (void)
{
    g_autofree char *path = scale_data ("import-graphml.json");
    g_autofree char *dir = fsim_test_scratch_new ();
    g_autofree char *snap = g_build_filename (dir, "pop.fsp", NULL);
    const char *argv[] = { "/bin/sh",
                           "-c",
                           "exec \"$0\" population \"$1\" -q --save /dev/stdout >\"$2\"",
                           g_getenv ("FLOWSIM"),
                           path,
                           snap,
                           NULL };
    g_autofree char *err = NULL, *bytes = NULL;
    g_autoptr (GError) error = NULL;
    gsize len = 0;
    int wait_status = 0;

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, &err, &wait_status,
                  &error);
    g_assert_no_error (error);
    g_assert_true (WIFEXITED (wait_status) && WEXITSTATUS (wait_status) == FSIM_EXIT_OK);
    g_assert_true (g_str_has_prefix (err, "flowsim " FSIM_VERSION " population\n"));
    g_assert_true (g_file_get_contents (snap, &bytes, &len, NULL));
    g_assert_true (len > 128 && memcmp (bytes, "\211flowsim-pop\r\n", 14) == 0);
    g_assert_null (g_strstr_len (bytes, (gssize) len, " population\n"));

    g_autoptr (FsimTestRun) same = FSIM_RUN ("population", path, "--save", snap, "-o", snap);
    g_autofree char *want =
        g_strdup_printf ("--save and --output name the same file '%s': the description would "
                         "replace the snapshot",
                         snap);
    assert_usage (same, want);
    g_autofree char *kept = NULL;
    g_assert_true (g_file_get_contents (snap, &kept, &len, NULL));
    g_assert_true (len > 128 && memcmp (kept, "\211flowsim-pop\r\n", 14) == 0);
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

static void
test_population_usage (void)
{
    g_autofree char *path = scale_data ("import-graphml.json");
    g_autoptr (FsimTestRun) csv = FSIM_RUN ("population", path, "--format", "csv");
    g_autoptr (FsimTestRun) sample = FSIM_RUN ("population", path, "--sample", "0");
    g_autoptr (FsimTestRun) extra = FSIM_RUN ("population", path, "other.json");
    g_autoptr (FsimTestRun) set = FSIM_RUN ("population", path, "--set", "users");

    assert_usage (csv, "unknown format 'csv' (expected text or json)");
    assert_usage (sample, "--sample must be at least 1, not 0");
    assert_usage (extra, "unexpected argument 'other.json'");
    assert_usage (set, "--set 'users' is not PATH=VALUE");
}

static void
test_population_bad_input (void)
{
    g_autofree char *path = scale_data ("import-graphml.json");
    g_autoptr (FsimTestRun) attr = FSIM_RUN (
        "population", path, "--set", "population.import.attributes={\"pet\": \"platform\"}");
    g_autoptr (FsimTestRun) missing =
        FSIM_RUN ("population", path, "--set", "population.import.file=nope.xml");

    g_assert_cmpint (attr->status, ==, FSIM_EXIT_INPUT);
    g_assert_cmpstr (attr->out, ==, "");
    g_assert_true (g_str_has_prefix (attr->err, "flowsim: error: --set population.import."
                                                "attributes:1:38: population.import.attributes."
                                                "pet: "));
    /* the file's names for its attributes are counted, never listed (issue 11, fifth pass) */
    g_assert_nonnull (strstr (attr->err, "has no user attribute 'pet' (it has 6, whose names are "
                                         "not shown: they are the graph file's own)"));
    g_assert_cmpint (missing->status, ==, FSIM_EXIT_INPUT);
    /* said where the scenario names the file, as an include's error is (issue 11) */
    g_assert_true (g_str_has_prefix (missing->err, "flowsim: error: "));
    fsim_assert_contains (missing->err, "import-graphml.json:6:15: importing friendships: cannot "
                                        "read '");

    /* a number of users for the tour, whose six users are listed: what to do instead, not
     * "unknown key 'defaults'" */
    g_autofree char *tour = fsim_test_source_path ("scenarios", "tour.json", NULL);
    g_autoptr (FsimTestRun) listed = FSIM_RUN ("population", tour, "--set", "population.users=5");
    g_assert_cmpint (listed->status, ==, FSIM_EXIT_INPUT);
    g_assert_true (g_str_has_prefix (listed->err, "flowsim: error: --set population.users:1:1: "
                                                  "population.users: this population lists its "
                                                  "users one by one"));
    g_assert_null (strstr (listed->err, "unknown key"));

    /* a generator that refuses its parameters names the population that gave them
     * (FILE:LINE:COL of its object), as the memory estimate does */
    g_autofree char *generated = fsim_test_data_path ("errors", "valid-generated.json", NULL);
    g_autoptr (FsimTestRun) ba =
        FSIM_RUN ("population", generated, "--set", "population.generator=barabasi_albert", "--set",
                  "population.users=2", "--set", "population.mean_degree=1");
    g_assert_cmpint (ba->status, ==, FSIM_EXIT_INPUT);
    g_assert_true (g_str_has_prefix (ba->err, "flowsim: error: "));
    fsim_assert_contains (ba->err, "valid-generated.json:5:17: generating friendships: "
                                   "barabasi_albert: mean degree 1 is too high for 2 users");
}

static void
test_population_help (void)
{
    g_autoptr (FsimTestRun) top = FSIM_RUN ("--help");
    g_autoptr (FsimTestRun) help = FSIM_RUN ("help", "population");

    g_assert_nonnull (
        strstr (top->out, "  population  Build a scenario's population and describe it\n"));
    g_assert_cmpint (help->status, ==, FSIM_EXIT_OK);
    g_assert_nonnull (strstr (help->out, "flowsim population"));
    g_assert_nonnull (strstr (help->out, "--export"));
    g_assert_nonnull (strstr (help->out, "--sample"));
    g_assert_nonnull (strstr (help->out, "--quiet"));
}

/* ---- progress on a terminal --------------------------------------------------------------- */

/* Can this process open a pseudo-terminal? (Not in every container or sandbox.) */
static gboolean
have_pty (void)
{
    int master = posix_openpt (O_RDWR | O_NOCTTY);
    if (master < 0)
        return FALSE;
    gboolean ok = grantpt (master) == 0 && unlockpt (master) == 0 && ptsname (master) != NULL;
    if (ok) {
        int slave = open (ptsname (master), O_RDWR | O_NOCTTY);
        ok = slave >= 0;
        if (ok)
            close (slave);
    }
    close (master);
    return ok;
}

/* Runs flowsim with a pseudo-terminal as stderr (stdout to /dev/null); returns what it wrote
 * there. */
static char *
run_on_tty (const char *const *args)
{
    const char *exe = g_getenv ("FLOWSIM");
    g_autoptr (GPtrArray) argv = g_ptr_array_new ();
    g_autoptr (GError) error = NULL;
    g_autoptr (GString) seen = g_string_new (NULL);
    int master = posix_openpt (O_RDWR | O_NOCTTY), slave, status = 0;
    GPid pid;
    char buf[1024];

    g_assert_cmpint (master, >=, 0);
    g_assert_cmpint (grantpt (master), ==, 0);
    g_assert_cmpint (unlockpt (master), ==, 0);
    slave = open (ptsname (master), O_RDWR | O_NOCTTY);
    g_assert_cmpint (slave, >=, 0);
    g_ptr_array_add (argv, (gpointer) exe);
    for (size_t i = 0; args[i]; i++)
        g_ptr_array_add (argv, (gpointer) args[i]);
    g_ptr_array_add (argv, NULL);
    g_spawn_async_with_fds (NULL, (char **) argv->pdata, NULL,
                            G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                            &pid, -1, -1, slave, &error);
    g_assert_no_error (error);
    close (slave);
    for (;;) { /* until the child has closed the terminal: EIO */
        ssize_t n = read (master, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        g_string_append_len (seen, buf, n);
    }
    g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
    g_spawn_close_pid (pid);
    close (master);
    g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
    return g_strdup (seen->str);
}

static void
test_progress_terminal (void)
{
    if (!have_pty ()) {
        g_test_skip ("no pseudo-terminal can be opened here");
        return;
    }
    g_autofree char *bench = fsim_test_source_path ("bench", "scenario.json", NULL);
    const char *users = "population.users=100001", *degree = "population.mean_degree=4";
    g_autofree char *run =
        run_on_tty ((const char *const[]){ "run", bench, "--set", users, "--set", degree, NULL });
    g_autofree char *run_q = run_on_tty (
        (const char *const[]){ "run", bench, "--set", users, "--set", degree, "-q", NULL });
    g_autofree char *pop = run_on_tty (
        (const char *const[]){ "population", bench, "--set", users, "--set", degree, NULL });
    g_autofree char *pop_q = run_on_tty ((const char *const[]){ "population", bench, "--set", users,
                                                                "--set", degree, "--quiet", NULL });

    /* a population of 100,000 users is announced at once; the line is erased at the end */
    g_assert_nonnull (strstr (run, "flowsim: building the population..."));
    g_assert_true (g_str_has_suffix (run, "\r\033[K"));
    g_assert_nonnull (strstr (pop, "flowsim: building the population..."));
    g_assert_nonnull (strstr (pop, "flowsim: measuring the friendships..."));
    g_assert_cmpstr (run_q, ==, "");
    g_assert_cmpstr (pop_q, ==, "");
}

/* An override that can have no effect is warned about, with the reason, as for run; one that
 * changes the population is not. */
static void
test_population_no_effect (void)
{
    g_autofree char *tour = fsim_test_source_path ("scenarios", "tour.json", NULL);
    g_autoptr (FsimTestRun) r =
        FSIM_RUN ("population", tour, "--set",
                  "partners[phoneco].shares=[{\"with\":\"broker\",\"fields\":[\"*\"]}]");
    g_assert_cmpint (r->status, ==, FSIM_EXIT_OK);
    g_assert_cmpstr (
        r->err, ==,
        "flowsim: warning: --set partners[phoneco].shares:1:27: "
        "share of 'phoneco' with 'broker' never carries anything: 'phoneco' keeps the fields "
        "it shares only on the device, and data kept on a device is never passed on "
        "[share-never-carries]\n");
    g_autoptr (FsimTestRun) quiet =
        FSIM_RUN ("population", tour, "--set", "population.defaults.platform=false");
    g_assert_cmpint (quiet->status, ==, FSIM_EXIT_OK);
    g_assert_cmpstr (quiet->err, ==, "");
}

/* population never evaluates the rules nor reads the APIs, and only check evaluates the
 * expectations: an override of them is said to change nothing, and changes nothing */
static void
test_population_no_effect_unread (void)
{
    g_autofree char *tour = fsim_test_source_path ("scenarios", "tour.json", NULL);
    g_autoptr (FsimTestRun) r = FSIM_RUN ("population", tour, "--set", "rules[0].effect=deny",
                                          "--set", "apis[0].title=\"Graph\"", "--set", "expect=[]",
                                          "--set", "population.defaults.platform=true");
    g_autoptr (FsimTestRun) plain = FSIM_RUN ("population", tour);
    g_assert_cmpint (r->status, ==, FSIM_EXIT_OK);
    g_assert_cmpstr (
        r->err, ==,
        "flowsim: warning: --set rules[0].effect: 'flowsim population' builds the users alone "
        "and never evaluates the rules: this override changes nothing here [set-never-read]\n"
        "flowsim: warning: --set apis[0].title: 'flowsim population' builds the users alone and "
        "never reads the APIs: this override changes nothing here [set-never-read]\n"
        "flowsim: warning: --set expect: only 'flowsim check' evaluates the expectations: this "
        "override changes nothing here [set-never-read]\n"
        "flowsim: warning: --set population.defaults.platform: the value it sets already is "
        "true: this override changes nothing [set-same-value]\n");
    g_assert_cmpstr (r->out, ==, plain->out);
    /* run evaluates the rules: only the expectations are said to change nothing */
    g_autoptr (FsimTestRun) run =
        FSIM_RUN ("run", tour, "--set", "rules[0].effect=deny", "--set", "expect=[]");
    g_assert_cmpint (run->status, ==, FSIM_EXIT_OK);
    g_assert_cmpstr (run->err, ==,
                     "flowsim: warning: --set expect: only 'flowsim check' evaluates the "
                     "expectations: this override changes nothing here [set-never-read]\n");
}

/* A snapshot that cannot be written names the file: one larger than stdio's buffer fails in the
 * snapshot's own write, which said only `writing the snapshot: No space left on device` (issue
 * 11's fifth pass), while a small one fails when the output is committed, naming it. */
static void
test_population_save_full (void)
{
    g_autofree char *path = fsim_test_source_path ("scenarios", "device-partners-2018.json", NULL);
    g_autoptr (FsimTestRun) r = FSIM_RUN ("population", path, "-q", "--save", "/dev/full");
    g_assert_cmpint (r->status, ==, FSIM_EXIT_INTERNAL);
    g_assert_cmpstr (r->err, ==,
                     "flowsim: error: cannot write '/dev/full': writing the snapshot: No space "
                     "left on device\n");
}

int
main (int argc, char *argv[])
{
    g_test_init (&argc, &argv, NULL);
    g_test_add_func ("/cli-population/text", test_population_text);
    g_test_add_func ("/cli-population/json", test_population_json);
    g_test_add_func ("/cli-population/generated", test_population_generated);
    g_test_add_func ("/cli-population/export", test_population_export);
    g_test_add_func ("/cli-population/save-stdout", test_population_save_stdout);
    g_test_add_func ("/cli-population/save-dev-stdout", test_population_save_dev_stdout);
    g_test_add_func ("/cli-population/save-full", test_population_save_full);
    g_test_add_func ("/cli-population/usage", test_population_usage);
    g_test_add_func ("/cli-population/bad-input", test_population_bad_input);
    g_test_add_func ("/cli-population/help", test_population_help);
    g_test_add_func ("/cli-population/no-effect", test_population_no_effect);
    g_test_add_func ("/cli-population/no-effect-unread", test_population_no_effect_unread);
    g_test_add_func ("/cli-population/progress-terminal", test_progress_terminal);
    return g_test_run ();
}
