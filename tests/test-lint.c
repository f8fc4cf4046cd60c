/* SPDX-License-Identifier: MIT */
/* test-lint.c: each lint warning at its line, clean files, the bundled policies, the command. */
#include <string.h>

#include <glib.h>

#include "cli.h"
#include "json-check.h"
#include "lint.h"
#include "loader.h"
#include "run-util.h"
#include "test-util.h"

/* The scenario is kept in @out_s: the warnings' locations point into it. */
static GArray *
lint_file (const char *dir, const char *file, FsimScenario **out_s)
{
    g_autoptr (GError) error = NULL;
    g_autofree char *path = fsim_test_data_path (dir, file, NULL);
    FsimScenario *s = *out_s = fsim_loader_load (path, NULL, &error);
    g_assert_no_error (error);
    GArray *w = fsim_lint_run (s, &error);
    g_assert_no_error (error);
    for (guint i = 0; i < w->len; i++) {
        const FsimLintWarning *x = &g_array_index (w, FsimLintWarning, i);
        g_test_message ("%s:%d:%d: %s [%s]", x->loc.file, x->loc.line, x->loc.col, x->message,
                        fsim_lint_kind_to_string (x->kind));
    }
    return w;
}

/* The one expected warning at @line: its kind and a piece of its message. */
static void
assert_warning (const GArray *w, int line, FsimLintKind kind, const char *text)
{
    for (guint i = 0; i < w->len; i++) {
        const FsimLintWarning *x = &g_array_index (w, FsimLintWarning, i);
        if (x->loc.line != line || x->kind != kind)
            continue;
        g_assert_true (g_str_has_suffix (x->loc.file, "warnings.json"));
        g_assert_cmpint (x->loc.col, ==, 5);
        fsim_assert_contains (x->message, text);
        return;
    }
    g_test_message ("no %s warning at line %d", fsim_lint_kind_to_string (kind), line);
    g_assert_not_reached ();
}

static void
test_lint_kinds (void)
{
    g_autoptr (FsimScenario) s = NULL;
    g_autoptr (GArray) w = lint_file ("lint", "warnings.json", &s);
    g_assert_cmpuint (w->len, ==, 11);
    assert_warning (w, 5, FSIM_LINT_FIELD_NOT_RECEIVED, "field 'orphan' is received by no");
    assert_warning (w, 13, FSIM_LINT_FIELD_NOT_RECEIVED, "(the first: 'c')");
    assert_warning (w, 13, FSIM_LINT_SCOPE_NOT_OFFERED, "request 'nope_*' matches no scope");
    assert_warning (w, 15, FSIM_LINT_PARTNER_NO_DESTINATION, "partner 'empty' has no");
    assert_warning (w, 16, FSIM_LINT_PARTNER_UNREACHABLE, "partner 'island' integrates no API");
    assert_warning (w, 19, FSIM_LINT_RULE_MATCHES_NOTHING, "selector 'tag:nomatch*'");
    assert_warning (w, 20, FSIM_LINT_RULE_MATCHES_NOTHING, "rule 'r-none' matches no (partner");
    assert_warning (w, 21, FSIM_LINT_RULE_MATCHES_NOTHING, "do not request");
    assert_warning (w, 22, FSIM_LINT_ALLOW_SHADOWED,
                    "'allow-dev' is overridden by deny "
                    "'deny-dev'");
    assert_warning (w, 24, FSIM_LINT_SCOPE_NOT_OFFERED, "scope pattern 'zz*'");
    assert_warning (w, 25, FSIM_LINT_EMPTY_WINDOW, "'r-late' is in force from 2012-01-01, when");
}

/* A deny that covers the allow's window only in part leaves it useful. */
static void
test_lint_partial_shadow (void)
{
    g_autoptr (GError) error = NULL;
    g_autofree char *path = fsim_test_data_path ("lint", "warnings.json", NULL);
    const char *const sets[] = { "rules[deny-dev].from=2013-01-01", NULL };
    g_autoptr (FsimScenario) s = fsim_loader_load (path, sets, &error);
    g_assert_no_error (error);
    g_autoptr (GArray) w = fsim_lint_run (s, NULL);
    g_assert_nonnull (w);
    g_assert_cmpuint (w->len, ==, 10);
    for (guint i = 0; i < w->len; i++)
        g_assert_cmpint (g_array_index (w, FsimLintWarning, i).kind, !=, FSIM_LINT_ALLOW_SHADOWED);
}

/* An allow rule over two partners and two APIs meets six classes of scopes, each overridden
 * by other denies at other times (tests/data/lint/shadow-classes.json): the warning names the
 * first 8 of the 12 denies by rule order (not by name: z10 comes after z9), each once (z4 and
 * z6 override several classes), and counts the rest; a rule meeting one class names its denies.
 * A gap in any one class's windows, or a class no deny covers, leaves the rule useful. */
static void
test_lint_shadow_classes (void)
{
    g_autoptr (FsimScenario) s = NULL;
    g_autoptr (GArray) w = lint_file ("lint", "shadow-classes.json", &s);
    g_assert_cmpuint (w->len, ==, 2);
    const FsimLintWarning *all = &g_array_index (w, FsimLintWarning, 0);
    g_assert_cmpint (all->kind, ==, FSIM_LINT_ALLOW_SHADOWED);
    g_assert_cmpint (all->loc.line, ==, 17);
    g_assert_cmpstr (all->message, ==,
                     "allow rule 'allow-all' is overridden by deny 'z0', 'z1', 'z2', 'z3', 'z4', "
                     "'z5', 'z6', 'z7' and 4 more deny rules wherever and whenever it applies: "
                     "it never allows anything");
    const FsimLintWarning *t0 = &g_array_index (w, FsimLintWarning, 1);
    g_assert_cmpint (t0->loc.line, ==, 28);
    g_assert_cmpstr (t0->message, ==,
                     "allow rule 'allow-t0' is overridden by deny 'z1', 'z2' wherever and "
                     "whenever it applies: it never allows anything");
    g_autofree char *path = fsim_test_data_path ("lint", "shadow-classes.json", NULL);
    const char *const gaps[][2] = {
        { "rules[z2].from=2012-02-01", NULL },  /* t0 of v2: neither allow is shadowed */
        { "rules[z6].scopes=[\"s1\"]", NULL },  /* s2 of p1: no deny at all */
        { "rules[z4].from=2015-02-01", NULL },  /* s1 and s2 of p0 */
        { "rules[z11].scopes=[\"s1\"]", NULL }, /* changes nothing: z6 covers s0 already */
    };
    const guint left[] = { 0, 1, 1, 2 };
    for (guint i = 0; i < G_N_ELEMENTS (gaps); i++) {
        g_autoptr (GError) error = NULL;
        g_autoptr (FsimScenario) t = fsim_loader_load (path, gaps[i], &error);
        g_assert_no_error (error);
        g_autoptr (GArray) v = fsim_lint_run (t, &error);
        g_assert_no_error (error);
        guint n = 0;
        for (guint j = 0; j < v->len; j++)
            n += g_array_index (v, FsimLintWarning, j).kind == FSIM_LINT_ALLOW_SHADOWED;
        g_test_message ("%s: %u allow-shadowed", gaps[i][0], n);
        g_assert_cmpuint (n, ==, left[i]);
    }
}

static void
test_lint_clean (void)
{
    g_autoptr (FsimScenario) s = NULL;
    g_autoptr (GArray) w = lint_file ("lint", "clean.json", &s);
    g_assert_cmpuint (w->len, ==, 0);
}

/* The bundled policies and scenarios. device-partners.json is not loadable alone (it says so:
 * device-integrated.json includes it), so it is linted through device-integrated.json. */
static void
test_lint_bundled (void)
{
    static const char *const files[] = {
        "policies/fields.json",
        "policies/graph-api-v1.json",
        "policies/device-integrated.json",
        "scenarios/tour.json",
        "scenarios/device-partners-2018.json",
    };
    for (size_t i = 0; i < G_N_ELEMENTS (files); i++) {
        g_autofree char *path = fsim_test_source_path (files[i], NULL);
        g_autoptr (FsimTestRun) r = FSIM_RUN ("lint", "--strict", path);
        g_test_message ("%s", r->out);
        g_assert_cmpint (r->status, ==, FSIM_EXIT_OK);
        fsim_assert_contains (r->out, ": 0 warnings\n");
    }
}

static void
test_lint_cli_text (void)
{
    g_autofree char *path = fsim_test_data_path ("lint", "warnings.json", NULL);
    g_autofree char *clean = fsim_test_data_path ("lint", "clean.json", NULL);
    g_autoptr (FsimTestRun) r = FSIM_RUN ("lint", path, clean);
    g_assert_cmpint (r->status, ==, FSIM_EXIT_OK);
    g_assert_cmpstr (r->err, ==, "");
    /* locations name files as the loader does (relative to the working directory if below it) */
    fsim_assert_contains (r->out, "warnings.json:22:5: warning: allow rule 'allow-dev' is "
                                  "overridden by deny 'deny-dev' wherever and whenever it "
                                  "applies: it never allows anything [allow-shadowed]\n");
    g_autofree char *total = g_strdup_printf ("%s: 11 warnings\n%s: 0 warnings\n", path, clean);
    g_assert_true (g_str_has_suffix (r->out, total));
    g_autoptr (FsimTestRun) strict = FSIM_RUN ("lint", "--strict", clean, path);
    g_assert_cmpint (strict->status, ==, FSIM_EXIT_CHECKS_FAILED);
    g_autoptr (FsimTestRun) ok = FSIM_RUN ("lint", "--strict", clean);
    g_assert_cmpint (ok->status, ==, FSIM_EXIT_OK);
}

static void
test_lint_cli_json (void)
{
    g_autofree char *path = fsim_test_data_path ("lint", "warnings.json", NULL);
    g_autoptr (FsimTestRun) r = FSIM_RUN ("lint", "--format", "json", path, path);
    g_assert_cmpint (r->status, ==, FSIM_EXIT_OK);
    g_autoptr (GHashTable) j = json_check_parse (r->out);
    g_assert_nonnull (j);
    g_assert_cmpstr (g_hash_table_lookup (j, "count"), ==, "11"); /* the second copy adds none */
    g_assert_cmpstr (g_hash_table_lookup (j, "warnings[0].kind"), ==, "field-not-received");
    g_assert_cmpstr (g_hash_table_lookup (j, "warnings[0].line"), ==, "5");
    g_assert_cmpstr (g_hash_table_lookup (j, "warnings[0].col"), ==, "5");
    g_assert_true (g_str_has_suffix (g_hash_table_lookup (j, "warnings[0].file"), "warnings.json"));
}

/* Settings naming an unknown field do not load: the error has FILE:LINE:COL. */
static void
test_lint_cli_unknown_field (void)
{
    g_autofree char *path = fsim_test_data_path ("lint", "unknown-field.json", NULL);
    g_autoptr (FsimTestRun) r = FSIM_RUN ("lint", path);
    g_assert_cmpint (r->status, ==, FSIM_EXIT_INPUT);
    /* the report names the failure too, so that CI shows it */
    fsim_assert_contains (r->out, "unknown-field.json:9:33: error: population.defaults.");
    fsim_assert_contains (r->out, "unknown-field.json: could not be linted");
    g_assert_true (g_str_has_prefix (r->err, "flowsim: error: "));
    fsim_assert_contains (r->err, "unknown-field.json:9:33: population.defaults.audience."
                                  "profile.religon: field pattern 'profile.religon' selects no "
                                  "field; did you mean 'profile.religion'?\n");
}

/* What can have no effect, with the reason (issue 15): a share from a partner that keeps the
 * data only on devices, a share of fields the receiver does not take, an API nobody integrates;
 * and run warns when a --set override causes one. */
static void
test_lint_no_effect (void)
{
    FsimScenario *s = NULL;
    g_autoptr (GArray) w = lint_file ("lint", "no-effect.json", &s);
    g_autoptr (FsimScenario) owned = s; /* freed at the end: the warnings point into it */
    g_assert_nonnull (owned);
    g_assert_cmpuint (w->len, ==, 4);
    const FsimLintWarning *api = &g_array_index (w, FsimLintWarning, 0);
    g_assert_cmpint (api->kind, ==, FSIM_LINT_API_NOT_INTEGRATED);
    g_assert_cmpint (api->loc.line, ==, 6);
    const FsimLintWarning *device = &g_array_index (w, FsimLintWarning, 1);
    g_assert_cmpint (device->kind, ==, FSIM_LINT_SHARE_NEVER_CARRIES);
    g_assert_cmpint (device->loc.line, ==, 11);
    fsim_assert_contains (device->message, "'phone' keeps the fields it shares only on the "
                                           "device, and data kept on a device is never passed on");
    const FsimLintWarning *taken = &g_array_index (w, FsimLintWarning, 3);
    g_assert_cmpint (taken->kind, ==, FSIM_LINT_SHARE_NEVER_CARRIES);
    fsim_assert_contains (taken->message, "no destination of 'broker' receives the fields 'app' "
                                          "shares from its servers");
    g_autofree char *tour = fsim_test_source_path ("scenarios", "tour.json", NULL);
    g_autoptr (FsimTestRun) r = FSIM_RUN ("run", tour, "--quiet", "--set",
                                          "partners[phoneco].shares=[{\"with\": \"broker\", "
                                          "\"fields\": [\"*\"]}]");
    g_assert_cmpint (r->status, ==, FSIM_EXIT_OK);
    g_assert_cmpstr (r->err, ==,
                     "flowsim: warning: --set partners[phoneco].shares:1:27: share of "
                     "'phoneco' with 'broker' never carries anything: 'phoneco' keeps "
                     "the fields it shares only on the device, and data kept on a "
                     "device is never passed on [share-never-carries]\n");
    g_autoptr (FsimTestRun) quiet = FSIM_RUN ("run", tour, "--quiet", "--set", "date=2015-05-01");
    g_assert_cmpstr (quiet->err, ==, "");
    /* a rule moved outside every window of its APIs: warned at the rule, with the reason */
    g_autoptr (FsimTestRun) late =
        FSIM_RUN ("run", tour, "--quiet", "--set", "rules[apps-allowed].from=2016-01-01");
    g_assert_cmpint (late->status, ==, FSIM_EXIT_OK);
    fsim_assert_contains (late->err, "tour.json:76:5: rule 'apps-allowed' is in force from "
                                     "2016-01-01, when none of the APIs it names is active: it "
                                     "never applies [empty-window]\n");
    /* a what-if that sets each value to what it already was: the same answer as no what-if */
    g_autoptr (FsimTestRun) same =
        FSIM_RUN ("run", tour, "--quiet", "--set", "population.defaults.platform=true");
    g_assert_cmpint (same->status, ==, FSIM_EXIT_OK);
    g_assert_cmpstr (same->err, ==,
                     "flowsim: warning: --set population.defaults.platform: the value it sets "
                     "already is true: this override changes nothing [set-same-value]\n");
    g_autoptr (FsimTestRun) all =
        FSIM_RUN ("run", tour, "--quiet", "--set", "partners[*].destinations[*].location=device");
    g_assert_null (strstr (all->err, "[set-same-value]")); /* some were servers */
    g_autoptr (FsimTestRun) each = FSIM_RUN ("run", tour, "--quiet", "--set",
                                             "partners[phoneco].destinations[*].location=device");
    fsim_assert_contains (each->err, "flowsim: warning: --set partners[phoneco].destinations[*]."
                                     "location: the value it sets already is \"device\": this "
                                     "override changes nothing [set-same-value]\n");
}

/* A file that fails to load is a failed case; lint goes on with the others and exits 3. */
static void
test_lint_cli_batch (void)
{
    g_autofree char *warn = fsim_test_data_path ("lint", "warnings.json", NULL);
    g_autofree char *bad = fsim_test_data_path ("lint", "unknown-field.json", NULL);
    g_autofree char *clean = fsim_test_data_path ("lint", "clean.json", NULL);
    g_autoptr (FsimTestRun) r = FSIM_RUN ("lint", warn, bad, clean);
    g_assert_cmpint (r->status, ==, FSIM_EXIT_INPUT);
    fsim_assert_contains (r->out, "warnings.json: 11 warnings\n");
    fsim_assert_contains (r->out, "unknown-field.json: could not be linted");
    fsim_assert_contains (r->out, "clean.json: 0 warnings\n");
    fsim_assert_contains (r->err, "unknown-field.json:9:33: population.defaults.audience");
    g_autoptr (FsimTestRun) j = FSIM_RUN ("lint", "--format", "json", "--strict", warn, bad, clean);
    g_assert_cmpint (j->status, ==, FSIM_EXIT_INPUT); /* a failed file outranks --strict */
    g_autoptr (GHashTable) t = json_check_parse (j->out);
    g_assert_nonnull (t);
    g_assert_cmpstr (g_hash_table_lookup (t, "count"), ==, "11");
    g_assert_cmpstr (g_hash_table_lookup (t, "files[0].status"), ==, "linted");
    g_assert_cmpstr (g_hash_table_lookup (t, "files[1].status"), ==, "failed");
    g_assert_cmpstr (g_hash_table_lookup (t, "files[2].status"), ==, "linted");
    fsim_assert_contains (g_hash_table_lookup (t, "files[1].errors[0]"),
                          "unknown-field.json:9:33: population.defaults.audience");
}

/* A fragment that cannot load alone is linted as part of a file that includes it: another
 * argument, or a file beside it. */
static void
test_lint_cli_fragment (void)
{
    g_autofree char *root = fsim_test_source_path ("policies", NULL);
    g_autofree char *top = g_path_get_dirname (root);
    const char *const alone[] = { "lint", "policies/device-partners.json", NULL };
    g_autoptr (FsimTestRun) r = fsim_test_run (top, NULL, alone);
    g_assert_cmpint (r->status, ==, FSIM_EXIT_OK);
    fsim_assert_contains (r->out, "policies/device-partners.json: 0 warnings (a fragment that "
                                  "does not load alone: linted as part of "
                                  "policies/device-integrated.json, which includes it)\n");
    const char *const both[] = { "lint",
                                 "--format",
                                 "json",
                                 "policies/device-partners.json",
                                 "scenarios/device-partners-2018.json",
                                 NULL };
    g_autoptr (FsimTestRun) j = fsim_test_run (top, NULL, both);
    g_assert_cmpint (j->status, ==, FSIM_EXIT_OK);
    g_autoptr (GHashTable) t = json_check_parse (j->out);
    g_assert_cmpstr (g_hash_table_lookup (t, "files[0].status"), ==, "linted_in_context");
    g_assert_cmpstr (g_hash_table_lookup (t, "files[0].context"), ==,
                     "scenarios/device-partners-2018.json");
}

static void
test_lint_cli_usage (void)
{
    g_autoptr (FsimTestRun) a = FSIM_RUN ("lint");
    g_assert_cmpint (a->status, ==, FSIM_EXIT_USAGE);
    g_autoptr (FsimTestRun) b = FSIM_RUN ("lint", "--format", "tap", "x.json");
    g_assert_cmpint (b->status, ==, FSIM_EXIT_USAGE);
    g_autoptr (FsimTestRun) h = FSIM_RUN ("help", "lint");
    g_assert_cmpint (h->status, ==, FSIM_EXIT_OK);
    fsim_assert_contains (h->out, "--strict");
}

/* Partners whose pairs have the same deny rules share their classes (p0 and p1), and allow
 * rules of one selection (partners, and scopes where they are in force) share the denies named
 * (tests/data/lint/shadow-shared.json): 'all-again' names what 'all' does; 'three' leaves out
 * d3 and d4, which only p3 has; 's12' leaves out d0 (s0 only); p2 does not request s2, so
 * 'p2-s2' meets only p3's class of s2; 'early' is in force before every deny. */
static void
test_lint_shadow_shared (void)
{
    g_autoptr (FsimScenario) s = NULL;
    g_autoptr (GArray) w = lint_file ("lint", "shadow-shared.json", &s);
    const struct {
        int line;
        const char *rule, *denies;
    } want[] = {
        { 18, "all", "'d0', 'd1', 'd2', 'd3', 'd4'" },
        { 21, "all-again", "'d0', 'd1', 'd2', 'd3', 'd4'" },
        { 22, "three", "'d0', 'd1', 'd2'" },
        { 23, "s12", "'d1', 'd2', 'd3', 'd4'" },
        { 24, "p2-s2", "'d2', 'd4'" },
    };
    g_assert_cmpuint (w->len, ==, G_N_ELEMENTS (want));
    for (guint i = 0; i < G_N_ELEMENTS (want); i++) {
        const FsimLintWarning *x = &g_array_index (w, FsimLintWarning, i);
        g_autofree char *text = g_strdup_printf ("allow rule '%s' is overridden by deny %s "
                                                 "wherever and whenever it applies: it never "
                                                 "allows anything",
                                                 want[i].rule, want[i].denies);
        g_assert_cmpint (x->kind, ==, FSIM_LINT_ALLOW_SHADOWED);
        g_assert_cmpint (x->loc.line, ==, want[i].line);
        g_assert_cmpstr (x->message, ==, text);
    }
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    g_test_add_func ("/lint/kinds", test_lint_kinds);
    g_test_add_func ("/lint/partial-shadow", test_lint_partial_shadow);
    g_test_add_func ("/lint/shadow-classes", test_lint_shadow_classes);
    g_test_add_func ("/lint/shadow-shared", test_lint_shadow_shared);
    g_test_add_func ("/lint/clean", test_lint_clean);
    g_test_add_func ("/lint/bundled", test_lint_bundled);
    g_test_add_func ("/lint/cli/text", test_lint_cli_text);
    g_test_add_func ("/lint/cli/json", test_lint_cli_json);
    g_test_add_func ("/lint/cli/unknown-field", test_lint_cli_unknown_field);
    g_test_add_func ("/lint/cli/batch", test_lint_cli_batch);
    g_test_add_func ("/lint/no-effect", test_lint_no_effect);
    g_test_add_func ("/lint/cli/fragment", test_lint_cli_fragment);
    g_test_add_func ("/lint/cli/usage", test_lint_cli_usage);
    return g_test_run ();
}
