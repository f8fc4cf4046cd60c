/* SPDX-License-Identifier: MIT */
/* test-cli.c: the flowsim program end to end: usage, exit codes, --output, formats. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "cli.h"
#include "json-check.h"
#include "run-util.h"
#include "test-util.h"

/*
 * Each test runs the built binary ($FLOWSIM) in a child process with g_spawn_sync, so exit
 * codes and the exact stdout / stderr are what a user sees. The scenarios are under
 * tests/data/cli/: small.json (4 users, a quiz app sharing with a broker), broken.json (a
 * JSON syntax error), and datadir/ (a stand-in for the bundled default scenario).
 */

/* Runs flowsim with @args (NULL-terminated) and, if @datadir is set, FLOWSIM_DATADIR (else
 * without it). */
static FsimTestRun *
run_flowsim_env (const char *datadir, const char *const *args)
{
    g_autofree char *set = datadir ? g_strconcat ("FLOWSIM_DATADIR=", datadir, NULL) : NULL;
    const char *const env[] = { set ? set : "FLOWSIM_DATADIR", NULL };
    return fsim_test_run (NULL, env, args);
}

#define RUN(...) run_flowsim_env (NULL, (const char *const[]){ __VA_ARGS__, NULL })

static char *
data (const char *name)
{
    return fsim_test_data_path ("cli", name, NULL);
}

/* The common shape of a usage error: one message, one hint (the help of @command, a
 * subcommand, or NULL: the top help), nothing on stdout. */
static void
assert_usage_error (const FsimTestRun *r, const char *command, const char *message)
{
    g_autofree char *expected =
        g_strdup_printf ("flowsim: error: %s\nTry 'flowsim %s%s--help'.\n", message,
                         command ? command : "", command ? " " : "");
    g_assert_cmpint (r->status, ==, FSIM_EXIT_USAGE);
    g_assert_cmpstr (r->out, ==, "");
    g_assert_cmpstr (r->err, ==, expected);
}

/* An error printed exactly once, on one line, with no hint. */
static void
assert_single_error (const FsimTestRun *r, int status)
{
    g_assert_cmpint (r->status, ==, status);
    g_assert_cmpstr (r->out, ==, "");
    g_assert_true (g_str_has_prefix (r->err, "flowsim: error: "));
    g_assert_null (strstr (r->err + 1, "flowsim: error: "));
    g_assert_null (strstr (r->err, "Try 'flowsim"));
}

/* ---- usage ---- */

static void
test_cli_usage_help (void)
{
    const char *const options[] = { "--help", "-h" };
    for (size_t i = 0; i < G_N_ELEMENTS (options); i++) {
        g_autoptr (FsimTestRun) r = RUN (options[i]);
        g_assert_cmpint (r->status, ==, FSIM_EXIT_OK);
        g_assert_cmpstr (r->err, ==, "");
        g_assert_true (g_str_has_prefix (r->out, "Usage:\n  flowsim COMMAND"));
        g_assert_nonnull (strstr (r->out, "\n  run "));
        g_assert_nonnull (strstr (r->out, "\n  help "));
        g_assert_nonnull (strstr (r->out, "Exit status:\n"));
    }
}

static void
test_cli_usage_version (void)
{
    g_autoptr (FsimTestRun) r = RUN ("--version");
    g_assert_cmpint (r->status, ==, FSIM_EXIT_OK);
    g_assert_cmpstr (r->out, ==, "flowsim " FSIM_VERSION "\n");
    g_assert_cmpstr (r->err, ==, "");
}

static void
test_cli_usage_help_run (void)
{
    g_autoptr (FsimTestRun) r = RUN ("help", "run");
    g_autoptr (FsimTestRun) r2 = RUN ("run", "--help");
    g_autoptr (FsimTestRun) r3 = RUN ("run", "-h", "--format", "json");

    g_assert_cmpint (r->status, ==, FSIM_EXIT_OK);
    g_assert_cmpstr (r->err, ==, "");
    g_assert_true (g_str_has_prefix (r->out, "Usage:\n  flowsim run [OPTION"));
    for (const char *const *o = (const char *const[]){ "--format", "--output", "--set", "--quiet",
                                                       "Exit status:", NULL };
         *o; o++)
        g_assert_nonnull (strstr (r->out, *o));
    g_assert_cmpint (r2->status, ==, FSIM_EXIT_OK);
    g_assert_cmpstr (r2->out, ==, r->out);
    g_assert_cmpint (r3->status, ==, FSIM_EXIT_OK);
    g_assert_cmpstr (r3->out, ==, r->out);
}

static void
test_cli_usage_help_topics (void)
{
    g_autoptr (FsimTestRun) top = RUN ("--help");
    g_autoptr (FsimTestRun) help = RUN ("help");
    g_autoptr (FsimTestRun) help_help = RUN ("help", "help");

    g_assert_cmpint (help->status, ==, FSIM_EXIT_OK);
    g_assert_cmpstr (help->out, ==, top->out);
    g_assert_cmpint (help_help->status, ==, FSIM_EXIT_OK);
    g_assert_true (g_str_has_prefix (help_help->out, "Usage:\n  flowsim help"));
}

/* ---- misuse: exit 2 ---- */

static void
test_cli_exit_usage (void)
{
    struct {
        const char *args[6];
        const char *message;
    } cases[] = {
        { { NULL }, "no command given" },
        { { "frobnicate" }, "unknown command 'frobnicate'" },
        { { "--bogus" }, "unknown option '--bogus'" },
        { { "--version", "x" }, "unexpected argument 'x' after '--version'" },
        { { "help", "nope" }, "unknown command 'nope'" },
        { { "help", "run", "x" }, "unexpected argument 'x'" },
        { { "run", "--bogus" }, "Unknown option --bogus" },
        { { "run", "--format", "xml" }, "unknown format 'xml' (expected text, json or csv)" },
        { { "run", "--format=JSON" }, "unknown format 'JSON' (expected text, json or csv)" },
        { { "run", "--format" }, "Missing argument for --format" },
        { { "run", "--set", "population.users" }, "--set 'population.users' is not PATH=VALUE" },
        { { "run", "--set", "=1" }, "--set '=1' is not PATH=VALUE" },
        { { "run", "a.json", "b.json" }, "unexpected argument 'b.json'" },
        /* every command that takes --set checks it the same way, before reading any file */
        { { "population", "--set", "x" }, "--set 'x' is not PATH=VALUE" },
        { { "diagram", "--set", "x" }, "--set 'x' is not PATH=VALUE" },
        { { "timeline", "--set", "x" }, "--set 'x' is not PATH=VALUE" },
        { { "report", "--set", "x" }, "--set 'x' is not PATH=VALUE" },
        { { "explain", "--user", "a", "--set", "x" }, "--set 'x' is not PATH=VALUE" },
        { { "possible", "--set", "x" }, "--set 'x' is not PATH=VALUE" },
        { { "check", "a.json", "--set", "x" }, "--set 'x' is not PATH=VALUE" },
        { { "diff", "a.json", "b.json", "--set", "x" }, "--set 'x' is not PATH=VALUE" },
    };
    for (size_t i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autoptr (FsimTestRun) r = run_flowsim_env (NULL, cases[i].args);
        /* the hint names the help that says what the subcommand takes */
        const char *first = cases[i].args[0];
        gboolean sub = first && first[0] != '-' && strcmp (first, "frobnicate") != 0 &&
                       strcmp (first, "help") != 0;
        assert_usage_error (r, sub ? first : NULL, cases[i].message);
    }
}

/* Numbers given to options are decimal and said in flowsim's words (issue 11, seventh pass):
 * GLib read them with strtol's base 0, so `serve --port 070000` listened on port 28672 (octal),
 * and said "Cannot parse integer value “x” for --port" or "Integer value “4294967296” for
 * --threads out of range". Here the port is refused as 70000, not taken as 28672 (on the code
 * before, --jobs was the one refused). */
static void
test_cli_exit_numbers (void)
{
    struct {
        const char *args[6];
        const char *message;
    } cases[] = {
        { { "serve", "--port", "070000", "--jobs", "0" }, "--port 70000 is not from 0 to 65535" },
        { { "serve", "--jobs", "0x10" },
          "--jobs '0x10' is not a whole number (expected decimal digits only)" },
        { { "serve", "-p", " 80" },
          "-p ' 80' is not a whole number (expected decimal digits only)" },
        { { "serve", "--port=" },
          "--port '' is not a whole number (expected decimal digits only)" },
        { { "serve", "--max-users", "99999999999999999999" },
          "--max-users '99999999999999999999': too large a number" },
        { { "serve", "--timeout", "1e400" }, "--timeout '1e400': too large a number" },
        { { "serve", "--timeout", "0x10" },
          "--timeout '0x10' is not a number (expected decimal digits, as in 30 or 0.5)" },
        { { "serve", "--timeout", "nan" },
          "--timeout 'nan' is not a number (expected decimal digits, as in 30 or 0.5)" },
        /* "--timeout 0 is not a number of seconds from 0 to 86400" (0 itself is refused) */
        { { "serve", "--timeout", "0" },
          "--timeout 0 is not a number of seconds more than 0 and at most 86400" },
        { { "sweep", "--threads", "4294967296" }, "--threads '4294967296': too large a number" },
        { { "population", "--sample", "1x" },
          "--sample '1x' is not a whole number (expected decimal digits only)" },
        /* "'2014-02-29' is not a date (YYYY-MM-DD)": it is of that form, not a real day */
        { { "possible", "--date", "2014-02-29" },
          "--date '2014-02-29' is not a date (expected YYYY-MM-DD, a real calendar day)" },
        { { "timeline", "--from", "2014-06-31", "--to", "2015-01-01" },
          "--from '2014-06-31' is not a date (expected YYYY-MM-DD, a real calendar day)" },
        /* "'100000:1' is not W:H (e.g. 16:9)" did not say what W and H may be */
        { { "diagram", "--aspect", "100000:1" },
          "--aspect '100000:1' is not W:H, two whole numbers from 1 to 100 (e.g. 16:9)" },
        { { "diagram", "--aspect", "16.5:9" },
          "--aspect '16.5:9' is not W:H, two whole numbers from 1 to 100 (e.g. 16:9)" },
    };
    for (size_t i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autoptr (FsimTestRun) r = run_flowsim_env (NULL, cases[i].args);
        assert_usage_error (r, cases[i].args[0], cases[i].message);
    }
}

/* One error is one line: a line break in a name or a value it quotes (an argument, a file's
 * name) made two "flowsim: error:" lines, the second a fragment (issue 11, seventh pass). */
static void
test_cli_exit_line_breaks (void)
{
    g_autofree char *tour = fsim_test_source_path ("scenarios", "tour.json", NULL);
    g_autoptr (FsimTestRun) partner = RUN ("run", tour, "--partner", "a\nb");
    assert_usage_error (partner, "run",
                        "--partner 'a?b' selects no partner of the scenario (an id, a glob, "
                        "kind:K or tag:T)");
    g_autoptr (FsimTestRun) set = RUN ("run", tour, "--set", "x\ny");
    assert_usage_error (set, "run", "--set 'x?y' is not PATH=VALUE");
    g_autoptr (FsimTestRun) vary = RUN ("sweep", tour, "--vary", "x\ny");
    assert_usage_error (vary, "sweep", "--vary 'x?y': expected PATH=VALUE,VALUE,...");
    g_autoptr (FsimTestRun) highlight = RUN ("report", tour, "--highlight", "x\ny");
    assert_usage_error (highlight, "report",
                        "highlight 'x?y' is not PARTNER:FIELD (e.g. huawei:profile.religion)");
    g_autoptr (FsimTestRun) snapshot =
        RUN ("run", tour, "--set", "population.snapshot=\"x\\ny.fss\"");
    g_assert_cmpint (snapshot->status, ==, FSIM_EXIT_INPUT);
    g_assert_cmpstr (snapshot->err, ==,
                     "flowsim: error: --set population.snapshot:1:21: population.snapshot: "
                     "cannot open the snapshot x?y.fss: No such file or directory\n");
    /* and several errors stay one a line: `check` gives each of a file's its own */
    g_autofree char *many = fsim_test_data_path ("errors", "many-errors-cascade.json", NULL);
    g_autoptr (FsimTestRun) check = RUN ("check", many);
    g_auto (GStrv) lines = g_strsplit (check->err, "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, 5); /* four errors, then "" */
    for (guint i = 0; i < 4; i++)
        g_assert_true (g_str_has_prefix (lines[i], "flowsim: error: ") &&
                       strstr (lines[i], "many-errors-cascade.json:") != NULL);
    /* eighth pass: a --vary value and serve's folder were still quoted as given */
    g_autoptr (FsimTestRun) vary_value =
        RUN ("sweep", tour, "--seeds", "2", "--vary", "seed=1,2\n3");
    assert_single_error (vary_value, FSIM_EXIT_INPUT);
    g_assert_cmpstr (vary_value->err, ==,
                     "flowsim: error: --vary seed=2?3: --set seed:1:6: seed: expected an integer, "
                     "got a string\n");
    g_autoptr (FsimTestRun) folder = RUN ("serve", "/nonexistent/flowsim/a\nb");
    assert_single_error (folder, FSIM_EXIT_INPUT);
    g_assert_true (g_str_has_prefix (
        folder->err, "flowsim: error: cannot read the folder '/nonexistent/flowsim/a?b': "));
    g_autoptr (FsimTestRun) value = RUN ("run", tour, "--set", "date=\"2014-06-01\\r\"");
    g_assert_cmpint (value->status, ==, FSIM_EXIT_INPUT);
    g_assert_cmpstr (value->err, ==,
                     "flowsim: error: --set date:1:6: date: '2014-06-01?' is not a valid date "
                     "(expected YYYY-MM-DD, a real calendar day)\n");
}

/* ---- bad input: exit 3 ---- */

static void
test_cli_exit_missing_file (void)
{
    g_autoptr (FsimTestRun) r = RUN ("run", "/nonexistent/flowsim/none.json");
    assert_single_error (r, FSIM_EXIT_INPUT);
    g_assert_nonnull (strstr (r->err, "/nonexistent/flowsim/none.json"));
}

static void
test_cli_exit_bad_json (void)
{
    g_autofree char *broken = data ("broken.json");
    g_autoptr (FsimTestRun) r = RUN ("run", broken);
    g_autofree char *escaped = g_regex_escape_string (broken, -1);
    g_autofree char *pattern = g_strdup_printf ("^flowsim: error: %s:[0-9]+:[0-9]+: ", escaped);

    assert_single_error (r, FSIM_EXIT_INPUT);
    g_assert_true (g_regex_match_simple (pattern, r->err, 0, 0));
}

static void
test_cli_exit_bad_set (void)
{
    g_autofree char *small = data ("small.json");
    g_autoptr (FsimTestRun) r = RUN ("run", small, "--set", "nosuchkey.deeper=1");
    assert_single_error (r, FSIM_EXIT_INPUT);
    g_assert_nonnull (strstr (r->err, "nosuchkey"));
}

/* A policy file has no date and no population: every command that simulates says so (issue
 * 15), instead of reporting 0 users. */
static void
test_cli_exit_policy_file (void)
{
    static const char *const commands[] = { "run", "report", "diagram", "population" };
    g_autofree char *policy = fsim_test_source_path ("policies", "fields.json", NULL);
    for (size_t i = 0; i < G_N_ELEMENTS (commands); i++) {
        g_autoptr (FsimTestRun) r = RUN (commands[i], policy);
        assert_single_error (r, FSIM_EXIT_INPUT);
        g_assert_nonnull (strstr (r->err, "fields.json: a policy file, not a scenario: it has "
                                          "no date and no population"));
        g_assert_cmpuint (r->out_len, ==, 0);
    }
    g_autoptr (FsimTestRun) t =
        RUN ("timeline", policy, "--from", "2014-01-01", "--to", "2015-01-01");
    assert_single_error (t, FSIM_EXIT_INPUT);
}

/* ---- --output ---- */

/* A fresh empty directory, removed (with its plain files) by tmpdir_remove(). */
static char *
tmpdir_new (void)
{
    g_autoptr (GError) error = NULL;
    char *dir = g_dir_make_tmp ("flowsim-cli-XXXXXX", &error);
    g_assert_no_error (error);
    return dir;
}

static void
tmpdir_remove (const char *dir)
{
    g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name (d)) != NULL) {
        g_autofree char *path = g_build_filename (dir, name, NULL);
        g_unlink (path);
    }
    g_rmdir (dir);
}

static void
test_cli_output_not_written_on_error (void)
{
    g_autofree char *dir = tmpdir_new ();
    g_autofree char *out = g_build_filename (dir, "report.json", NULL);
    g_autofree char *broken = data ("broken.json");
    g_autoptr (FsimTestRun) r = RUN ("run", broken, "--format", "json", "--output", out);

    assert_single_error (r, FSIM_EXIT_INPUT);
    g_autofree char *listing = fsim_test_dir_listing (dir);
    g_assert_cmpstr (listing, ==, "");
    tmpdir_remove (dir);
}

static void
test_cli_output_unwritable (void)
{
    g_autofree char *dir = tmpdir_new ();
    g_autofree char *out = g_build_filename (dir, "no-such-dir", "report.txt", NULL);
    g_autofree char *small = data ("small.json");
    g_autoptr (FsimTestRun) r = RUN ("run", small, "--output", out);

    g_autofree char *expected = g_strdup_printf ("flowsim: error: cannot write '%s': No such "
                                                 "file or directory\n",
                                                 out);
    g_autofree char *listing = NULL;

    assert_single_error (r, FSIM_EXIT_INTERNAL);
    g_assert_cmpstr (r->err, ==, expected);
    listing = fsim_test_dir_listing (dir);
    g_assert_cmpstr (listing, ==, "");
    tmpdir_remove (dir);
}

/* A directory is refused with the system's error: it is untouched, no temporary file is left. */
static void
test_cli_output_onto_directory (void)
{
    g_autofree char *dir = tmpdir_new ();
    g_autofree char *sub = g_build_filename (dir, "sub", NULL);
    g_autofree char *small = data ("small.json");
    g_autofree char *listing = NULL;

    g_assert_cmpint (g_mkdir (sub, 0700), ==, 0);
    g_autoptr (FsimTestRun) r = RUN ("run", small, "--output", sub);
    g_autofree char *expected = g_strdup_printf ("flowsim: error: cannot write '%s': Is a "
                                                 "directory\n",
                                                 sub);
    assert_single_error (r, FSIM_EXIT_INTERNAL);
    g_assert_cmpstr (r->err, ==, expected);
    g_assert_true (g_file_test (sub, G_FILE_TEST_IS_DIR));
    listing = fsim_test_dir_listing (dir);
    g_assert_cmpstr (listing, ==, "sub");
    g_rmdir (sub);
    tmpdir_remove (dir);
}

/* For every format: the file holds exactly what stdout would, and nothing else is left. */
static void
test_cli_output_matches_stdout (void)
{
    const char *const formats[] = { "text", "json", "csv" };
    g_autofree char *dir = tmpdir_new ();
    g_autofree char *out = g_build_filename (dir, "report", NULL);
    g_autofree char *small = data ("small.json");

    g_assert_true (g_file_set_contents (out, "old content\n", -1, NULL));
    for (size_t i = 0; i < G_N_ELEMENTS (formats); i++) {
        g_autoptr (FsimTestRun) plain = RUN ("run", small, "--format", formats[i]);
        g_autoptr (FsimTestRun) to_file = RUN ("run", "--output", out, small, "-f", formats[i]);
        g_autoptr (FsimTestRun) to_dash = RUN ("run", "--output", "-", small, "-f", formats[i]);
        g_autofree char *content = NULL;

        g_assert_cmpint (plain->status, ==, FSIM_EXIT_OK);
        g_assert_cmpint (to_file->status, ==, FSIM_EXIT_OK);
        g_assert_cmpstr (to_file->out, ==, "");
        g_assert_cmpstr (to_file->err, ==, "");
        g_assert_true (g_file_get_contents (out, &content, NULL, NULL));
        g_assert_cmpstr (content, ==, plain->out);
        g_assert_cmpstr (to_dash->out, ==, plain->out);
        g_autofree char *listing = fsim_test_dir_listing (dir);
        g_assert_cmpstr (listing, ==, "report");
    }
    tmpdir_remove (dir);
}

/* ---- the reports of a small scenario, end to end ---- */

/*
 * small.json by hand: alice uses the quiz (self: birthday); her friends bob and carol lose
 * their birthdays to it, bob also his religion (carol's is only_me); dave is no friend of a
 * quiz user. The quiz shares birthdays with the broker, so alice, bob and carol reach it
 * downstream, none with consent.
 */
static void
test_cli_json_small (void)
{
    g_autofree char *small = data ("small.json");
    g_autoptr (FsimTestRun) r = RUN ("run", small, "--format", "json");
    g_autoptr (GHashTable) doc = NULL;
    static const char *const expected[][2] = {
        { "flowsim", FSIM_VERSION },
        { "scenario", "cli-small" },
        { "date", "2014-06-01" },
        { "seed", "7" },
        { "population.users", "4" },
        { "population.friendships", "3" },
        { "partners#", "2" },
        { "partners[0].id", "quiz" },
        { "partners[0].users", "1" },
        { "partners[0].users_reached", "3" },
        { "partners[0].users_reached_without_consent", "2" },
        { "partners[1].users_reached", "3" },
        { "partners[1].users_reached_without_consent", "3" },
        { "flows#", "4" },
        { "flows[0].field", "profile.birthday" },
        { "flows[0].users", "3" },
        { "flows[0].channels.self", "1" },
        { "flows[0].channels.friend", "2" },
        { "flows[1].partner", "broker" },
        { "flows[1].channels.downstream", "3" },
        { "flows[2].field", "profile.religion" },
        { "flows[2].users", "1" },
        { "fields[1].sensitive", "true" },
        { "jurisdictions[0].jurisdiction", "GB" },
        { "jurisdictions[1].users_without_consent", "2" },
    };

    g_assert_cmpint (r->status, ==, FSIM_EXIT_OK);
    g_assert_cmpstr (r->err, ==, "");
    doc = json_check_parse (r->out);
    g_assert_nonnull (doc);
    for (size_t i = 0; i < G_N_ELEMENTS (expected); i++) {
        g_test_message ("%s", expected[i][0]);
        g_assert_cmpstr (json_check_get (doc, expected[i][0]), ==, expected[i][1]);
    }
    for (const char *const *k =
             (const char *const[]){
                 "title", "partners[0].name", "partners[0].kind", "partners[0].country",
                 "flows[0].destination", "flows[0].location", "flows[0].jurisdiction",
                 "flows[0].users_without_consent", "flows[0].channels.friend_of_friend",
                 "fields[0].id", "fields[0].users", "fields[0].users_without_consent",
                 "jurisdictions[0].users", NULL };
         *k; k++)
        g_assert_nonnull (json_check_get (doc, *k));
}

static void
test_cli_text_small (void)
{
    g_autofree char *small = data ("small.json");
    g_autoptr (FsimTestRun) r = RUN ("run", small);

    g_assert_cmpint (r->status, ==, FSIM_EXIT_OK);
    g_assert_cmpstr (r->err, ==, "");
    g_assert_nonnull (strstr (r->out, "  Scenario                cli-small\n"));
    g_assert_nonnull (strstr (r->out, "  Mean friends per user   1.5\n"));
    g_assert_nonnull (strstr (r->out, "  Platform switch off     1 (25.0%)\n"));
    g_assert_true (g_regex_match_simple ("\n  quiz \\(Quiz\\) +app +3 +2\n", r->out, 0, 0));
    g_assert_true (
        g_regex_match_simple ("\n  profile.religion +Religious views +yes +1 +1\n", r->out, 0, 0));
}

static void
test_cli_csv_small (void)
{
    g_autofree char *small = data ("small.json");
    g_autoptr (FsimTestRun) r = RUN ("run", small, "--format=csv");

    g_assert_cmpint (r->status, ==, FSIM_EXIT_OK);
    g_assert_cmpstr (r->out, ==,
                     "field,partner,destination,location,jurisdiction,users,"
                     "users_without_consent,self,friend,friend_of_friend,downstream\n"
                     "profile.birthday,quiz,servers,server,US,3,2,1,2,0,0\n"
                     "profile.birthday,broker,db,server,GB,3,3,0,0,0,3\n"
                     "profile.religion,quiz,servers,server,US,1,1,0,1,0,0\n"
                     "profile.religion,broker,db,server,GB,0,0,0,0,0,0\n");
}

/* run --partner/--field/--jurisdiction: only the focused flows are counted (the tour's numbers,
 * docs/semantics.md), a downstream partner still gets what came through the others. */
static void
test_cli_run_focus (void)
{
    g_autofree char *tour = fsim_test_source_path ("scenarios", "tour.json", NULL);
    g_autoptr (FsimTestRun) a = RUN ("run", tour, "--partner", "phoneco", "--field", "profile.*");
    g_assert_cmpint (a->status, ==, FSIM_EXIT_OK);
    fsim_assert_contains (a->out, "  Focus                   partner phoneco, field profile.*\n");
    fsim_assert_contains (
        a->out, "  phoneco (Phone maker)  device_maker              3                2\n");
    fsim_assert_contains (
        a->out, "  profile.religion  Religious views  yes                    3                2\n");
    fsim_assert_contains (a->out, "  on device                 3                2\n");
    g_assert_null (strstr (a->out, "quiz (Personality"));
    g_assert_null (strstr (a->out, "identity.name"));
    /* the findings say what they counted and name the one partner in focus */
    fsim_assert_contains (a->out, "  - Counting only the focus (partner phoneco, field profile.*): "
                                  "on 2014-06-01, the data of\n    3 of the 6 users (50%) "
                                  "reached Phone maker.\n");
    fsim_assert_contains (a->out, "  - The sensitive field \u201cReligious views\u201d of 3 users "
                                  "reached Phone maker, for 2 of them\n");
    g_assert_null (strstr (a->out, "of them got someone's data"));
    g_autoptr (FsimTestRun) b = RUN ("run", tour, "--jurisdiction", "US", "--format", "csv");
    g_assert_cmpint (b->status, ==, FSIM_EXIT_OK);
    g_assert_cmpstr (b->out, ==,
                     "field,partner,destination,location,jurisdiction,users,users_without_consent,"
                     "self,friend,friend_of_friend,downstream\n"
                     "identity.name,broker,servers,server,US,3,3,0,0,0,3\n"
                     "profile.birthday,broker,servers,server,US,3,3,0,0,0,3\n"
                     "profile.likes,broker,servers,server,US,3,3,0,0,0,3\n"
                     "profile.religion,broker,servers,server,US,0,0,0,0,0,0\n");
    g_autoptr (FsimTestRun) c =
        RUN ("run", tour, "--partner", "kind:data_broker", "--format", "json");
    g_assert_cmpint (c->status, ==, FSIM_EXIT_OK);
    fsim_assert_contains (c->out, "\"focus\": \"partner kind:data_broker\"");
    g_autoptr (FsimTestRun) d = RUN ("run", tour, "--partner", "huawei");
    assert_usage_error (
        d, "run",
        "--partner 'huawei' selects no partner of the scenario (an id, a glob, kind:K or tag:T)");
    /* repeated, the focus is what any of them selects (the last one alone was kept before),
     * and each must select something */
    g_autoptr (FsimTestRun) two = RUN ("run", tour, "--partner", "phoneco", "--partner", "broker",
                                       "--field", "profile.religion", "--format", "csv");
    g_assert_cmpint (two->status, ==, FSIM_EXIT_OK);
    g_assert_cmpstr (two->out, ==,
                     "field,partner,destination,location,jurisdiction,users,users_without_consent,"
                     "self,friend,friend_of_friend,downstream\n"
                     "profile.religion,broker,servers,server,US,0,0,0,0,0,0\n"
                     "profile.religion,phoneco,handset,device,device,3,2,1,2,0,0\n");
    g_autoptr (FsimTestRun) named = RUN ("run", tour, "--partner", "phoneco", "--partner", "broker",
                                         "--field", "profile.religion", "--field", "identity.*");
    fsim_assert_contains (named->out, "  Focus                   partner phoneco or broker, field "
                                      "profile.religion or identity.*\n");
    g_autoptr (FsimTestRun) one_bad =
        RUN ("run", tour, "--partner", "phoneco", "--partner", "huawei");
    assert_usage_error (
        one_bad, "run",
        "--partner 'huawei' selects no partner of the scenario (an id, a glob, kind:K or tag:T)");
    g_autoptr (FsimTestRun) e = RUN ("run", tour, "--jurisdiction", "CN");
    assert_usage_error (e, "run",
                        "--jurisdiction 'CN': no destination of the scenario keeps data there "
                        "(data is kept in: GB, US, device)");
    g_autoptr (FsimTestRun) f = RUN ("run", tour, "--field", "nothing.*");
    assert_usage_error (f, "run", "--field 'nothing.*' selects no field of the scenario");
}

/* A malformed FLOWSIM_THREADS or FLOWSIM_MEMORY_LIMIT is said, then ignored: the run is the
 * same as without it. */
static void
test_cli_environment_warnings (void)
{
    g_autofree char *tour = fsim_test_source_path ("scenarios", "tour.json", NULL);
    const char *const env[] = { "FLOWSIM_THREADS=abc", "FLOWSIM_MEMORY_LIMIT=lots", NULL };
    g_autoptr (FsimTestRun) plain = RUN ("run", tour);
    g_autoptr (FsimTestRun) r =
        fsim_test_run (NULL, env, (const char *const[]){ "run", tour, NULL });
    g_assert_cmpint (r->status, ==, FSIM_EXIT_OK);
    g_assert_cmpstr (r->out, ==, plain->out);
    fsim_assert_contains (r->err, "flowsim: warning: FLOWSIM_THREADS='abc' is not a number of "
                                  "threads, 1 to 65536; ignored\n");
    fsim_assert_contains (r->err, "flowsim: warning: FLOWSIM_MEMORY_LIMIT='lots' is not a number "
                                  "of bytes");
    /* issue 11, seventh pass: strtoull took "-1" as 2^64 - 1 (no limit) and a number past
     * 2^64 as 2^64 - 1, and the shift wrapped 17179869185G round to 1 GiB: each silently */
    const char *const wrapped[] = { "-1", "99999999999999999999", "17179869185G", " 4G" };
    for (size_t i = 0; i < G_N_ELEMENTS (wrapped); i++) {
        g_autofree char *limit = g_strconcat ("FLOWSIM_MEMORY_LIMIT=", wrapped[i], NULL);
        g_autofree char *said = g_strdup_printf (
            "flowsim: warning: FLOWSIM_MEMORY_LIMIT='%s' is not a number of bytes", wrapped[i]);
        g_autoptr (FsimTestRun) w = fsim_test_run (NULL, (const char *const[]){ limit, NULL },
                                                   (const char *const[]){ "run", tour, NULL });
        g_assert_cmpint (w->status, ==, FSIM_EXIT_OK);
        g_assert_cmpstr (w->out, ==, plain->out);
        fsim_assert_contains (w->err, said);
    }
    /* eighth pass: what followed a line break was dropped ("1M\nx" was 1M, silently), a
     * line break was printed as such (a second line, here one that reads as an error), and
     * "'0' is not a number of bytes" did not say why */
    const char *const broken[] = { "FLOWSIM_THREADS=2\nflowsim: error: fake",
                                   "FLOWSIM_MEMORY_LIMIT=1M\nx", NULL };
    g_autoptr (FsimTestRun) b =
        fsim_test_run (NULL, broken, (const char *const[]){ "run", tour, NULL });
    g_assert_cmpint (b->status, ==, FSIM_EXIT_OK);
    g_assert_cmpstr (b->err, ==,
                     "flowsim: warning: FLOWSIM_THREADS='2?flowsim: error: fake' is not a number "
                     "of threads, 1 to 65536; ignored\n"
                     "flowsim: warning: FLOWSIM_MEMORY_LIMIT='1M?x' is not a number of bytes "
                     "above 0, with K, M or G after it if you like: 512M; ignored\n");
    const char *const zero[] = { "FLOWSIM_MEMORY_LIMIT=0", NULL };
    g_autoptr (FsimTestRun) z =
        fsim_test_run (NULL, zero, (const char *const[]){ "run", tour, NULL });
    fsim_assert_contains (z->err, "FLOWSIM_MEMORY_LIMIT='0' is not a number of bytes above 0");
    const char *const good[] = { "FLOWSIM_THREADS=3", "FLOWSIM_MEMORY_LIMIT=4G", NULL };
    g_autoptr (FsimTestRun) g =
        fsim_test_run (NULL, good, (const char *const[]){ "run", tour, NULL });
    g_assert_cmpstr (g->err, ==, "");
    g_assert_cmpstr (g->out, ==, plain->out);
}

static void
test_cli_run_set (void)
{
    g_autofree char *small = data ("small.json");
    g_autoptr (FsimTestRun) r =
        RUN ("run", small, "--format", "json", "--set", "date=2014-07-01", "--set", "seed=9");
    g_autoptr (GHashTable) doc = NULL;

    g_assert_cmpint (r->status, ==, FSIM_EXIT_OK);
    doc = json_check_parse (r->out);
    g_assert_nonnull (doc);
    g_assert_cmpstr (json_check_get (doc, "date"), ==, "2014-07-01");
    g_assert_cmpstr (json_check_get (doc, "seed"), ==, "9");
}

/* Two runs give the same bytes, and --quiet changes nothing on stdout. */
static void
test_cli_run_deterministic (void)
{
    const char *const formats[] = { "text", "json", "csv" };
    g_autofree char *small = data ("small.json");

    for (size_t i = 0; i < G_N_ELEMENTS (formats); i++) {
        g_autoptr (FsimTestRun) a = RUN ("run", small, "--format", formats[i]);
        g_autoptr (FsimTestRun) b = RUN ("run", small, "--format", formats[i], "--quiet");
        g_assert_cmpint (a->status, ==, FSIM_EXIT_OK);
        g_assert_cmpint (b->status, ==, FSIM_EXIT_OK);
        g_assert_cmpstr (a->out, ==, b->out);
        g_assert_cmpstr (b->err, ==, "");
    }
}

/* Without SCENARIO: $FLOWSIM_DATADIR/scenarios/device-partners-2018.json. */
static void
test_cli_run_default_scenario (void)
{
    g_autofree char *datadir = data ("datadir");
    g_autoptr (FsimTestRun) r =
        run_flowsim_env (datadir, (const char *const[]){ "run", "-f", "json", NULL });
    g_autoptr (FsimTestRun) missing =
        run_flowsim_env ("/nonexistent/flowsim", (const char *const[]){ "run", NULL });

    g_assert_cmpint (r->status, ==, FSIM_EXIT_OK);
    g_assert_nonnull (strstr (r->out, "\"scenario\": \"cli-default\""));
    assert_single_error (missing, FSIM_EXIT_INPUT);
    g_assert_nonnull (strstr (missing->err, "/nonexistent/flowsim/" FSIM_CLI_DEFAULT_SCENARIO));
}

/* In-process: fsim_cli_run() finds the default scenario the same way. */
static void
test_cli_default_scenario_path (void)
{
    g_autofree char *path = NULL;
    g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
    g_autofree char *bindir = g_path_get_dirname (exe);
    /* build/tests/test-cli sits where build/sim/flowsim does: build/share/flowsim is the data */
    g_autofree char *beside =
        g_build_filename (bindir, FSIM_DATADIR_FROM_BINDIR, FSIM_CLI_DEFAULT_SCENARIO, NULL);

    g_setenv ("FLOWSIM_DATADIR", "/some/where", TRUE);
    path = fsim_cli_default_scenario_path ();
    g_assert_cmpstr (path, ==, "/some/where/" FSIM_CLI_DEFAULT_SCENARIO);
    g_unsetenv ("FLOWSIM_DATADIR");
    g_clear_pointer (&path, g_free);
    path = fsim_cli_default_scenario_path ();
    g_assert_true (g_file_test (beside, G_FILE_TEST_IS_REGULAR));
    char *real = realpath (beside, NULL);
    g_assert_cmpstr (path, ==, real);
    free (real);
}

/* fsim_cli_run() called directly (in a trap subprocess: it writes to the real stdout). */
static void
test_cli_in_process (void)
{
    if (g_test_subprocess ()) {
        g_autofree char *small = data ("small.json");
        char *args[] = { (char *) "flowsim", (char *) "run", small, (char *) "-f", (char *) "csv" };
        /* argc counts the arguments; the array need not end in NULL. */
        exit (fsim_cli_run (G_N_ELEMENTS (args), args));
    }
    g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed ();
    g_test_trap_assert_stdout ("field,partner,destination,*\nprofile.birthday,quiz,servers,*");
    g_test_trap_assert_stderr ("");
}

static void
test_cli_in_process_usage (void)
{
    if (g_test_subprocess ()) {
        char *args[] = { (char *) "flowsim", (char *) "run", (char *) "--format", (char *) "yaml" };
        exit (fsim_cli_run (G_N_ELEMENTS (args), args));
    }
    g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_failed ();
    g_test_trap_assert_stdout ("");
    g_test_trap_assert_stderr (
        "flowsim: error: unknown format 'yaml' *\nTry 'flowsim run --help'.\n");
}

/* Error messages reach the terminal without the bidi controls that would reorder what the
 * reader sees (U+202E RIGHT-TO-LEFT OVERRIDE in a file name), nor control characters. */
static void
test_cli_message_cleaned (void)
{
    g_autoptr (FsimTestRun) r = FSIM_RUN ("run", "/nonexistent/\xe2\x80\xae"
                                                 "evil\x1b[31m.json");
    g_assert_cmpint (r->status, ==, FSIM_EXIT_INPUT);
    fsim_assert_contains (r->err, "/nonexistent/?evil?[31m.json");
    g_assert_null (strstr (r->err, "\xe2\x80\xae"));
    g_assert_null (strchr (r->err, '\x1b'));
}

/* "Did you mean" for a mistyped command and option; --version and --quiet on every command. */
static void
test_cli_suggestions_and_common_options (void)
{
    g_autoptr (FsimTestRun) cmd = FSIM_RUN ("rnu");
    g_assert_cmpint (cmd->status, ==, FSIM_EXIT_USAGE);
    fsim_assert_contains (cmd->err, "unknown command 'rnu' (did you mean 'run'?)");
    g_autoptr (FsimTestRun) opt = FSIM_RUN ("run", "--fromat", "json");
    g_assert_cmpint (opt->status, ==, FSIM_EXIT_USAGE);
    fsim_assert_contains (opt->err, "(did you mean --format?)");
    const char *commands[] = { "run",  "population", "diff",    "explain",  "check",
                               "lint", "possible",   "diagram", "timeline", "report" };
    for (size_t i = 0; i < G_N_ELEMENTS (commands); i++) {
        g_autoptr (FsimTestRun) v = FSIM_RUN (commands[i], "--version");
        g_assert_cmpint (v->status, ==, FSIM_EXIT_OK);
        g_assert_cmpstr (v->out, ==, "flowsim " FSIM_VERSION "\n");
        g_autoptr (FsimTestRun) h = FSIM_RUN ("help", commands[i]);
        fsim_assert_contains (h->out, "--quiet");
        fsim_assert_contains (h->out, "--version");
    }
    g_autofree char *tour =
        g_build_filename (g_getenv ("FLOWSIM_SOURCE_DIR"), "scenarios", "tour.json", NULL);
    g_autoptr (FsimTestRun) lint = FSIM_RUN ("lint", "--quiet", tour);
    g_assert_cmpint (lint->status, ==, FSIM_EXIT_OK);
}

int
main (int argc, char *argv[])
{
    g_test_init (&argc, &argv, NULL);
    g_test_add_func ("/cli/usage/help", test_cli_usage_help);
    g_test_add_func ("/cli/usage/version", test_cli_usage_version);
    g_test_add_func ("/cli/usage/help-run", test_cli_usage_help_run);
    g_test_add_func ("/cli/usage/help-topics", test_cli_usage_help_topics);
    g_test_add_func ("/cli/exit/usage", test_cli_exit_usage);
    g_test_add_func ("/cli/exit/numbers", test_cli_exit_numbers);
    g_test_add_func ("/cli/exit/line-breaks", test_cli_exit_line_breaks);
    g_test_add_func ("/cli/exit/missing-file", test_cli_exit_missing_file);
    g_test_add_func ("/cli/exit/bad-json", test_cli_exit_bad_json);
    g_test_add_func ("/cli/exit/bad-set", test_cli_exit_bad_set);
    g_test_add_func ("/cli/exit/policy-file", test_cli_exit_policy_file);
    g_test_add_func ("/cli/output/not-written-on-error", test_cli_output_not_written_on_error);
    g_test_add_func ("/cli/output/unwritable", test_cli_output_unwritable);
    g_test_add_func ("/cli/output/onto-directory", test_cli_output_onto_directory);
    g_test_add_func ("/cli/output/matches-stdout", test_cli_output_matches_stdout);
    g_test_add_func ("/cli/run/json", test_cli_json_small);
    g_test_add_func ("/cli/run/text", test_cli_text_small);
    g_test_add_func ("/cli/run/csv", test_cli_csv_small);
    g_test_add_func ("/cli/run/set", test_cli_run_set);
    g_test_add_func ("/cli/run/focus", test_cli_run_focus);
    g_test_add_func ("/cli/environment-warnings", test_cli_environment_warnings);
    g_test_add_func ("/cli/run/deterministic", test_cli_run_deterministic);
    g_test_add_func ("/cli/run/default-scenario", test_cli_run_default_scenario);
    g_test_add_func ("/cli/default-scenario-path", test_cli_default_scenario_path);
    g_test_add_func ("/cli/in-process/run", test_cli_in_process);
    g_test_add_func ("/cli/in-process/usage", test_cli_in_process_usage);
    g_test_add_func ("/cli/message-cleaned", test_cli_message_cleaned);
    g_test_add_func ("/cli/suggestions-and-common-options",
                     test_cli_suggestions_and_common_options);
    return g_test_run ();
}
