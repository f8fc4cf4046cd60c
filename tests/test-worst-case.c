/* SPDX-License-Identifier: MIT */
/* test-worst-case.c: every command on a model at the documented limits completes (slow suite). */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "run-util.h"
#include "worst-case.h"

/*
 * The model of tests/worst-case.h at its defaults: 4096 partners x 4096 scopes (2^24 decisions),
 * 128 rules (2^31 rule checks), 512 fields with a destination per partner (2^21 flows), shares
 * in a ring and 1000 users. Each command must finish with its answer (or, for possible and
 * explain without --field or --partner, with the error that asks for them). How long each takes
 * is the benchmark's business (bench/limits.sh, docs/robustness.md), not this test's.
 */
static char *dir;

static FsimTestRun *
run_in_dir (const char *const *args)
{
    gint64 start = g_get_monotonic_time ();
    FsimTestRun *r = fsim_test_run (dir, NULL, args);
    g_test_message ("flowsim %s: exit %d in %.1f s", args[0], r->status,
                    (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC);
    return r;
}

#define RUN(...) run_in_dir ((const char *const[]){ __VA_ARGS__, NULL })

static void
assert_ok (const FsimTestRun *r, const char *needle)
{
    if (r->status != 0)
        g_error ("exit %d; stderr:\n%s", r->status, r->err);
    fsim_assert_contains (r->out, needle);
}

static void
test_run (void)
{
    g_autoptr (FsimTestRun) r = RUN ("run", "worst.json");
    assert_ok (r, "Users reached");
}

static void
test_lint (void)
{
    g_autoptr (FsimTestRun) r = RUN ("lint", "worst.json");
    assert_ok (r, "rule 'r15': scope pattern 'nowhere*' matches no scope");
}

static void
test_possible (void)
{
    g_autoptr (FsimTestRun) r = RUN ("possible", "worst.json", "--field", "g0.f0");
    assert_ok (r, "g0.f0");
    g_autoptr (FsimTestRun) all = RUN ("possible", "worst.json");
    g_assert_cmpint (all->status, ==, 2);
    fsim_assert_contains (all->err, "512 fields times 4096 partners make 2097152 (field, "
                                    "partner) pairs, more than the 65536");
}

static void
test_explain (void)
{
    g_autoptr (FsimTestRun) r = RUN ("explain", "worst.json", "--user", "u1", "--partner", "p1");
    assert_ok (r, "u1");
    g_autoptr (FsimTestRun) all = RUN ("explain", "worst.json", "--user", "u1");
    g_assert_cmpint (all->status, ==, 2);
    fsim_assert_contains (all->err, "more than the 65536 that explain analyses at a time");
}

static void
test_timeline (void)
{
    g_autoptr (FsimTestRun) r =
        RUN ("timeline", "worst.json", "--from", "2014-01-01", "--to", "2015-01-01");
    assert_ok (r, "2015-01-01");
}

/* diff: 1,977,010 of the changed decisions not listed, "for any user" not analysed, and a
 * timeline range that needs too many evaluations refused at once (issue 11). */
static void
test_diff (void)
{
    g_autoptr (FsimTestRun) r = RUN ("diff", "worst.json", "--set", "date=2010-03-01");
    assert_ok (r, "  (1,977,010 more changed decisions not listed: at most 65,536 are;");
    fsim_assert_contains (r->out, "(\"For any user\" is not analysed: 2,097,152 (field, "
                                  "partner) pairs, over 65,536;");
    g_autoptr (FsimTestRun) t = RUN ("timeline", "worst.json", "--from", "2010-01-01", "--to",
                                     "2014-01-01", "--step", "1m");
    g_assert_cmpint (t->status, ==, 2);
    fsim_assert_contains (t->err, "allows 3 in the time budget");
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    dir = fsim_test_scratch_new ();
    FsimWorstCase shape = FSIM_WORST_CASE_DEFAULTS;
    g_autofree char *text = fsim_worst_case_json (&shape);
    g_autofree char *path = g_build_filename (dir, "worst.json", NULL);
    g_assert_true (g_file_set_contents (path, text, -1, NULL));
    g_test_add_func ("/worst-case/run", test_run);
    g_test_add_func ("/worst-case/lint", test_lint);
    g_test_add_func ("/worst-case/possible", test_possible);
    g_test_add_func ("/worst-case/explain", test_explain);
    g_test_add_func ("/worst-case/timeline", test_timeline);
    g_test_add_func ("/worst-case/diff", test_diff);
    int status = g_test_run ();
    fsim_test_scratch_free (dir);
    return status;
}
