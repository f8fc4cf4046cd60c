/* SPDX-License-Identifier: MIT */
/* test-worst-case.c: every command on a model at the documented limits completes (slow suite). */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "loader.h"
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

/* The flow diagram at the limits: the 8 partners that reached the most users alone, the 4,088
 * others in three groups by kind, and the scopes folded; as DOT and, through Graphviz, as SVG in
 * the report. Every partner (--top 0) is more than Graphviz is given to lay out: refused at once
 * by `diagram --format svg`, left out with a note by `report`. */
static void
test_diagram (void)
{
    g_autoptr (FsimTestRun) r = RUN ("diagram", "worst.json");
    assert_ok (r, "digraph flowsim {\n");
    g_assert_true (g_str_has_suffix (r->out, "}\n"));
    fsim_assert_contains (r->out, "label=\"At the limits: 4096 partners, 1 APIs of 4096 scopes");
    fsim_assert_contains (r->out, "2014-06-01: of 1,000 users, 953 reached, 953 without consent");
    fsim_assert_contains (r->out, "label=\"1363 other data brokers\\neach reached at most");
    fsim_assert_contains (r->out, "label=\"1363 other apps\\n");
    fsim_assert_contains (r->out, "label=\"1362 other device makers\\n");
    fsim_assert_contains (r->out, "\\nand 1363 more scopes\"");
    fsim_assert_contains (r->out, "\"partner:p0\" -> \"partner:p1\" [color=\"#e7298a\"");
    for (int p = 0; p < 9; p++) {
        g_autofree char *node = g_strdup_printf ("    \"partner:p%d\" [", p);
        if (p < 8)
            fsim_assert_contains (r->out, node);
        else
            g_assert_null (strstr (r->out, node));
    }
    g_autofree char *have_dot = g_find_program_in_path ("dot");
    if (!have_dot) {
        g_test_skip ("no Graphviz dot");
        return;
    }
    g_autoptr (FsimTestRun) report = RUN ("report", "worst.json", "-o", "worst.html");
    assert_ok (report, "");
    g_autofree char *html_path = g_build_filename (dir, "worst.html", NULL);
    g_autofree char *html = NULL;
    g_assert_true (g_file_get_contents (html_path, &html, NULL, NULL));
    fsim_assert_contains (html, "<figure class=\"diagram\" id=\"diagram-full\">\n<svg");
    fsim_assert_contains (html, ">1363 other data brokers</text>");
    fsim_assert_contains (html, "<h2>Top flows</h2>");

    g_autoptr (FsimTestRun) all = RUN ("diagram", "worst.json", "--top", "0", "--format", "svg");
    g_assert_cmpint (all->status, ==, 2);
    g_assert_cmpstr (all->out, ==, "");
    fsim_assert_contains (all->err, "the graph has 8212 boxes and 20528 lines, more than the");
    g_autoptr (FsimTestRun) left = RUN ("report", "worst.json", "--top", "0", "-o", "all.html");
    assert_ok (left, "");
    g_autofree char *all_path = g_build_filename (dir, "all.html", NULL);
    g_autofree char *all_html = NULL;
    g_assert_true (g_file_get_contents (all_path, &all_html, NULL, NULL));
    fsim_assert_contains (all_html, "The diagram was left out: the graph has 8212 boxes and "
                                    "20528 lines");
    g_assert_null (strstr (all_html, "<figure class=\"diagram\""));
}

/* Claims at their limit (256 of 64 alternatives) on a small model: listed whole, and all but 64
 * of the 16,128 alternatives not in force left unchecked, with a note; --effect refused at once;
 * lint loads and lints each of the 64 (the files read once for all: FsimLoaderBase), each
 * warning as the alternatives in force do. (On the model at the limits `claims` and `lint`
 * took 47 s of CPU each, about 10 s now: the benchmark's.) */
static void
test_claims (void)
{
    FsimWorstCase shape = { .partners = 16,
                            .apis = 1,
                            .scopes_per_api = 8,
                            .fields = 8,
                            .rules = 8,
                            .users = 50,
                            .claims = FSIM_WORST_CASE_CLAIMS,
                            .alternatives = FSIM_WORST_CASE_ALTERNATIVES };
    g_autofree char *text = fsim_worst_case_json (&shape);
    g_autofree char *path = g_build_filename (dir, "claims.json", NULL);
    g_assert_true (g_file_set_contents (path, text, -1, NULL));
    g_autoptr (FsimTestRun) r = RUN ("claims", "claims.json");
    assert_ok (r, "c255: When did rule r7 apply, and did it allow or deny?\n  * a0 (default) "
                  "[in force]\n      Rule r7 allows from 2010-01-01\n");
    fsim_assert_contains (r->out, "  - a63\n      Rule r7 denies from 2010-03-05\n");
    fsim_assert_contains (r->err, "flowsim: warning: 16064 more alternatives not in force were "
                                  "not checked");
    g_assert_null (strstr (r->err, "claim 'c")); /* no alternative leaves anything without effect */
    g_autoptr (FsimTestRun) e = RUN ("claims", "claims.json", "--effect");
    g_assert_cmpint (e->status, ==, 2);
    fsim_assert_contains (e->err, "this scenario has 16128, more than the 64 it runs at most");
    g_autoptr (FsimTestRun) l = RUN ("lint", "claims.json");
    assert_ok (l, "claims.json: 0 warnings\n");
    fsim_assert_contains (l->out, "claims.json: 64 alternatives not in force linted too (c0=a1, "
                                  "c0=a2, ");
    fsim_assert_contains (l->out, ", c0=a63, c1=a1): 0 more warnings; 16064 more not linted (at "
                                  "most 64 are)\n");
}

/* `flowsim lint NAME` on @text, written to NAME in the scratch folder. */
static FsimTestRun *
lint_text (const char *name, const GString *text)
{
    g_autofree char *path = g_build_filename (dir, name, NULL);
    g_assert_true (g_file_set_contents (path, text->str, (gssize) text->len, NULL));
    return RUN ("lint", name);
}

/* Rules at their limit (262,144) over one partner, API and scope, half allow, half deny: every
 * allow rule is overridden by the 131,072 denies. The allow-shadowed check compared each allow
 * rule with every rule (131,072 x 262,144 steps, and as many denies copied and sorted): lint
 * did not finish in 600 s; it takes about 5 s (docs/robustness.md, "lint on 262,144 rules").
 * No time is asserted (speed is a benchmark's to measure): main's lint runs into the suite's
 * timeout. */
static void
test_lint_rules (void)
{
    g_autoptr (GString) text = g_string_new (
        "{ \"scenario\": \"limit\", \"date\": \"2014-06-01\", \"seed\": 1,\n"
        " \"fields\": [{ \"id\": \"f0\" }],\n"
        " \"apis\": [{ \"id\": \"a0\", \"scopes\": [{ \"id\": \"s0\", \"subject\": \"self\", "
        "\"fields\": [\"f0\"] }] }],\n"
        " \"partners\": [{ \"id\": \"p0\", \"kind\": \"app\", \"integrates\": [\"a0\"], "
        "\"requests\": [\"*\"], \"destinations\": [{ \"id\": \"d\", \"location\": \"server\", "
        "\"jurisdiction\": \"US\", \"fields\": [\"*\"] }] }],\n \"rules\": [");
    for (guint i = 0; i < 262144; i++)
        g_string_append_printf (
            text,
            "%s{ \"id\": \"r%u\", \"effect\": \"%s\", \"partners\": [\"p0\"], "
            "\"apis\": [\"a0\"], \"scopes\": [\"s0\"], \"from\": \"2010-01-01\" }",
            i ? ",\n" : "", i, i % 2 ? "allow" : "deny");
    g_string_append (text, "],\n \"population\": { \"generator\": \"erdos_renyi\", "
                           "\"users\": 1000, \"mean_degree\": 10 } }\n");
    g_autoptr (FsimTestRun) r = lint_text ("rules.json", text);
    assert_ok (r, "rules.json:6:1: warning: allow rule 'r1' is overridden by deny 'r0', 'r2', "
                  "'r4', 'r6', 'r8', 'r10', 'r12', 'r14' and 131064 more deny rules wherever "
                  "and whenever it applies: it never allows anything [allow-shadowed]\n");
    fsim_assert_contains (r->out, "\nrules.json:262148:1: warning: allow rule 'r262143' is "
                                  "overridden by deny 'r0', 'r2', ");
    fsim_assert_contains (r->out, "\nrules.json: 131072 warnings\n");
}

/*
 * One API of 3 scopes, 252 partners and 262,140 rules, every rule selecting every partner: the
 * rules' "partners" times the partners reach the limit of 2^26 pattern checks. Each allow rule
 * is overridden by all 131,070 denies. The allow-shadowed check gathered the denies of every
 * (allow rule, partner) pair again (2^42 steps: hours); the same text as
 * `bench/make-lint-deny.py 252 262140`.
 */
static void
test_lint_deny_every (void)
{
    const guint partners = 252, rules = 262140;
    g_autoptr (GString) text = g_string_new (
        "{ \"scenario\": \"lint-deny\", \"date\": \"2014-06-01\", \"seed\": 1,\n"
        " \"fields\": [{ \"id\": \"f0\" }],\n \"apis\": [{ \"id\": \"a0\", \"scopes\": [");
    for (guint k = 0; k < 3; k++)
        g_string_append_printf (
            text, "%s{ \"id\": \"s%u\", \"subject\": \"self\", \"fields\": [\"f0\"] }",
            k ? ", " : "", k);
    g_string_append (text, "] }],\n \"partners\": [\n");
    for (guint i = 0; i < partners; i++)
        g_string_append_printf (
            text,
            "%s  { \"id\": \"p%u\", \"kind\": \"app\", \"integrates\": [\"a0\"], \"requests\": "
            "[\"*\"], \"destinations\": [{ \"id\": \"d\", \"location\": \"server\", "
            "\"jurisdiction\": \"US\", \"fields\": [\"*\"] }] }",
            i ? ",\n" : "", i);
    g_string_append (text, "],\n \"rules\": [\n");
    for (guint i = 0; i < rules; i++) {
        if (i % 2 == 0)
            g_string_append_printf (text,
                                    "  { \"id\": \"allow%u\", \"effect\": \"allow\", \"partners\": "
                                    "[\"*\"], \"apis\": [\"a0\"], \"scopes\": [\"*\"], \"from\": "
                                    "\"2012-01-01\" }",
                                    i / 2);
        else
            g_string_append_printf (text,
                                    "  { \"id\": \"deny%u\", \"effect\": \"deny\", \"partners\": "
                                    "[\"*\"], \"apis\": [\"a0\"], \"scopes\": [\"s%u\"], \"from\": "
                                    "\"2010-01-%02u\" }",
                                    i / 2, i / 2 % 3, 1 + i / 2 % 28);
        g_string_append (text, i + 1 < rules ? ",\n" : "\n");
    }
    g_string_append (text, "],\n \"population\": { \"generator\": \"erdos_renyi\", \"users\": "
                           "100, \"mean_degree\": 4 } }\n");
    g_autoptr (FsimTestRun) r = lint_text ("deny.json", text);
    assert_ok (r, "deny.json:258:3: warning: allow rule 'allow0' is overridden by deny 'deny0', "
                  "'deny1', 'deny2', 'deny3', 'deny4', 'deny5', 'deny6', 'deny7' and 131062 more "
                  "deny rules wherever and whenever it applies: it never allows anything "
                  "[allow-shadowed]\n");
    fsim_assert_contains (r->out, "\ndeny.json:262396:3: warning: allow rule 'allow131069' is "
                                  "overridden by deny 'deny0', 'deny1', 'deny2', 'deny3', "
                                  "'deny4', 'deny5', 'deny6', 'deny7' and 131062 more deny rules");
    fsim_assert_contains (r->out, "\ndeny.json: 131070 warnings\n");
}

/* With fewer than 16 partners (or 3), the rules named tags (and kinds) no partner had, and the
 * scenario did not load: 'unknown partner tag 't7''. Every count of partners loads now. */
static void
test_few_partners (void)
{
    for (guint n = 1; n <= 17; n++) {
        FsimWorstCase shape = { .partners = n,
                                .apis = 1,
                                .scopes_per_api = 8,
                                .fields = 8,
                                .rules = 40,
                                .users = 20,
                                .claims = 2,
                                .alternatives = 2 };
        g_autofree char *text = fsim_worst_case_json (&shape);
        g_autofree char *name = g_strdup_printf ("few-%u.json", n);
        g_autoptr (GError) error = NULL;
        g_autoptr (FsimScenario) s = fsim_loader_load_string (name, text, NULL, &error);
        g_assert_no_error (error);
        g_assert_cmpuint (s->n_partners, ==, n);
        g_assert_cmpuint (s->n_rules, ==, 40);
    }
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
    g_test_add_func ("/worst-case/diagram", test_diagram);
    g_test_add_func ("/worst-case/claims", test_claims);
    g_test_add_func ("/worst-case/lint-rules", test_lint_rules);
    g_test_add_func ("/worst-case/lint-deny-every", test_lint_deny_every);
    g_test_add_func ("/worst-case/few-partners", test_few_partners);
    int status = g_test_run ();
    fsim_test_scratch_free (dir);
    return status;
}
