/* SPDX-License-Identifier: MIT */
/* test-policy.c: rule evaluation into per (partner, API, scope) decisions. */
#include <string.h>

#include <glib.h>

#include "loader.h"
#include "policy.h"
#include "test-util.h"

static FsimScenario *
load_rules (void)
{
    g_autofree char *path = fsim_test_data_path ("policy", "rules.json", NULL);
    return fsim_test_load (path, NULL);
}

static FsimDay
day (const char *text)
{
    FsimDay d = 0;
    g_assert_true (fsim_day_parse (text, &d));
    return d;
}

/* Index of @api_id among @partner's integrated APIs, and of @scope_id in that API. */
static void
locate (const FsimScenario *s, size_t p, const char *api_id, const char *scope_id, size_t *out_k,
        size_t *out_scope)
{
    const FsimPartner *partner = &s->partners[p];
    for (size_t k = 0; k < partner->n_apis; k++) {
        const FsimApi *api = &s->apis[partner->apis[k]];
        if (strcmp (api->id, api_id) != 0)
            continue;
        for (size_t sc = 0; sc < api->n_scopes; sc++)
            if (strcmp (api->scopes[sc].id, scope_id) == 0) {
                *out_k = k;
                *out_scope = sc;
                return;
            }
    }
    g_error ("%s does not integrate %s/%s", partner->id, api_id, scope_id);
}

typedef struct {
    const char *date, *partner, *api, *scope;
    FsimVerdict verdict;
    const char *rule; /* NULL: rule -1 */
} Expect;

static void
check (const FsimScenario *s, const Expect *x)
{
    g_autoptr (FsimDecisions) d = fsim_decisions_new (s, day (x->date));
    gssize p = fsim_scenario_find_partner (s, x->partner);
    g_assert_cmpint (p, >=, 0);
    size_t k = 0, sc = 0;
    locate (s, (size_t) p, x->api, x->scope, &k, &sc);
    const FsimDecision *got = fsim_decisions_get (d, (size_t) p, k, sc);
    g_assert_nonnull (got);
    g_test_message ("%s %s/%s/%s: %s", x->date, x->partner, x->api, x->scope,
                    fsim_verdict_to_string (got->verdict));
    g_assert_cmpstr (fsim_verdict_to_string (got->verdict), ==,
                     fsim_verdict_to_string (x->verdict));
    gssize rule = x->rule ? fsim_scenario_find_rule (s, x->rule) : -1;
    g_assert_cmpint (got->rule, ==, rule);
}

static void
check_all (const Expect *table, size_t n)
{
    g_autoptr (FsimScenario) s = load_rules ();
    for (size_t i = 0; i < n; i++)
        check (s, &table[i]);
}

#define CHECK_ALL(table) check_all (table, G_N_ELEMENTS (table))

static void
test_policy_verdict_to_string (void)
{
    g_assert_cmpstr (fsim_verdict_to_string (FSIM_VERDICT_ALLOWED), ==, "allowed");
    g_assert_cmpstr (fsim_verdict_to_string (FSIM_VERDICT_DENIED), ==, "denied");
    g_assert_cmpstr (fsim_verdict_to_string (FSIM_VERDICT_NO_ALLOW), ==, "no_allow");
    g_assert_cmpstr (fsim_verdict_to_string (FSIM_VERDICT_NOT_REQUESTED), ==, "not_requested");
    g_assert_cmpstr (fsim_verdict_to_string (FSIM_VERDICT_API_INACTIVE), ==, "api_inactive");
}

static void
test_policy_decide_deny_over_allow (void)
{
    static const Expect table[] = {
        /* allow-apps allows, deny-b-again (later in the file) still wins */
        { "2011-06-01", "quiz", "graph", "user_b", FSIM_VERDICT_DENIED, "deny-b-again" },
        /* allow-devices and allow-all-hua allow, deny-b denies */
        { "2012-06-01", "huawei", "device", "user_b", FSIM_VERDICT_DENIED, "deny-b" },
        { "2011-06-01", "huawei", "device", "user_b", FSIM_VERDICT_ALLOWED, "allow-devices" },
    };
    CHECK_ALL (table);
}

static void
test_policy_decide_first_rule (void)
{
    static const Expect table[] = {
        /* two denies: the first in file order is recorded */
        { "2012-06-01", "quiz", "graph", "user_b", FSIM_VERDICT_DENIED, "deny-b" },
        /* several allows: the first is recorded */
        { "2011-06-01", "huawei", "device", "user_a", FSIM_VERDICT_ALLOWED, "allow-devices" },
        { "2011-06-01", "huawei", "graph", "friends_a", FSIM_VERDICT_ALLOWED, "allow-china-graph" },
    };
    CHECK_ALL (table);
}

static void
test_policy_decide_wildcards (void)
{
    static const Expect table[] = {
        /* "kind:app" */
        { "2011-06-01", "quiz", "graph", "user_a", FSIM_VERDICT_ALLOWED, "allow-apps" },
        /* "kind:device_maker" */
        { "2011-06-01", "lenovo", "device", "friends_b", FSIM_VERDICT_ALLOWED, "allow-devices" },
        /* "tag:china" with API glob "gr*" and scope glob "friends_?" */
        { "2011-06-01", "huawei", "graph", "friends_a", FSIM_VERDICT_ALLOWED, "allow-china-graph" },
        /* partner glob "hua*" with the default API and scope patterns */
        { "2011-06-01", "huawei", "graph", "user_a", FSIM_VERDICT_ALLOWED, "allow-all-hua" },
        /* partner "*" */
        { "2012-06-01", "lenovo", "device", "user_b", FSIM_VERDICT_DENIED, "deny-b" },
        /* scope glob "*_b" */
        { "2011-06-01", "quiz", "graph", "user_b", FSIM_VERDICT_DENIED, "deny-b-again" },
        /* no selector matches the broker */
        { "2011-06-01", "broker", "graph", "user_a", FSIM_VERDICT_NO_ALLOW, NULL },
        { "2011-06-01", "broker", "graph", "friends_a", FSIM_VERDICT_NO_ALLOW, NULL },
    };
    CHECK_ALL (table);
}

static void
test_policy_decide_windows (void)
{
    static const Expect table[] = {
        /* rule from: inclusive */
        { "2011-12-31", "huawei", "device", "user_b", FSIM_VERDICT_ALLOWED, "allow-devices" },
        { "2012-01-01", "huawei", "device", "user_b", FSIM_VERDICT_DENIED, "deny-b" },
        /* rule until: exclusive */
        { "2018-06-07", "lenovo", "device", "user_a", FSIM_VERDICT_ALLOWED, "allow-devices" },
        { "2018-06-08", "lenovo", "device", "user_a", FSIM_VERDICT_NO_ALLOW, NULL },
        { "2018-06-08", "huawei", "device", "user_a", FSIM_VERDICT_ALLOWED, "allow-all-hua" },
        /* a window with both ends */
        { "2017-12-31", "lenovo", "device", "friends_b", FSIM_VERDICT_ALLOWED, "allow-devices" },
        { "2018-01-01", "lenovo", "device", "friends_b", FSIM_VERDICT_DENIED,
          "deny-lenovo-friends" },
        { "2018-02-28", "lenovo", "device", "friends_b", FSIM_VERDICT_DENIED,
          "deny-lenovo-friends" },
        { "2018-03-01", "lenovo", "device", "friends_b", FSIM_VERDICT_ALLOWED, "allow-devices" },
    };
    CHECK_ALL (table);
}

static void
test_policy_decide_api_inactive (void)
{
    static const Expect table[] = {
        /* API active from: inclusive; until: exclusive */
        { "2009-12-31", "quiz", "graph", "user_a", FSIM_VERDICT_API_INACTIVE, NULL },
        { "2010-01-01", "quiz", "graph", "user_a", FSIM_VERDICT_ALLOWED, "allow-apps" },
        { "2015-04-30", "quiz", "graph", "user_a", FSIM_VERDICT_ALLOWED, "allow-apps" },
        { "2015-05-01", "quiz", "graph", "user_a", FSIM_VERDICT_API_INACTIVE, NULL },
        /* inactive comes before a deny and before "not requested" */
        { "2016-01-01", "quiz", "graph", "user_b", FSIM_VERDICT_API_INACTIVE, NULL },
        { "2016-01-01", "quiz", "graph", "friends_a", FSIM_VERDICT_API_INACTIVE, NULL },
        { "2011-06-01", "quiz", "old", "user_a", FSIM_VERDICT_API_INACTIVE, NULL },
        { "2008-12-31", "quiz", "old", "user_a", FSIM_VERDICT_NO_ALLOW, NULL },
    };
    CHECK_ALL (table);
}

static void
test_policy_decide_not_requested (void)
{
    static const Expect table[] = {
        /* quiz requests "user_*" only, and a matching allow rule does not change that */
        { "2011-06-01", "quiz", "graph", "friends_a", FSIM_VERDICT_NOT_REQUESTED, NULL },
        { "2011-06-01", "quiz", "graph", "user_a", FSIM_VERDICT_ALLOWED, "allow-apps" },
    };
    CHECK_ALL (table);
}

static void
test_policy_decide_default_deny (void)
{
    static const Expect table[] = {
        { "2011-06-01", "broker", "graph", "user_b", FSIM_VERDICT_NO_ALLOW, NULL },
        /* the only allow for lenovo has ended */
        { "2019-01-01", "lenovo", "device", "friends_b", FSIM_VERDICT_NO_ALLOW, NULL },
    };
    CHECK_ALL (table);
}

static void
test_policy_decide_requests_override (void)
{
    /* a --set on the requests changes the verdict */
    g_autoptr (GError) error = NULL;
    g_autofree char *path = fsim_test_data_path ("policy", "rules.json", NULL);
    const char *sets[] = { "partners[quiz].requests=[\"*\"]", NULL };
    g_autoptr (FsimScenario) s = fsim_loader_load (path, sets, &error);
    g_assert_no_error (error);
    check (s, &(Expect){ "2011-06-01", "quiz", "graph", "friends_a", FSIM_VERDICT_ALLOWED,
                         "allow-apps" });
}

static void
test_policy_rule_matches (void)
{
    g_autoptr (FsimScenario) s = load_rules ();
    size_t quiz = (size_t) fsim_scenario_find_partner (s, "quiz");
    size_t huawei = (size_t) fsim_scenario_find_partner (s, "huawei");
    size_t lenovo = (size_t) fsim_scenario_find_partner (s, "lenovo");
    size_t graph = (size_t) fsim_scenario_find_api (s, "graph");
    size_t device = (size_t) fsim_scenario_find_api (s, "device");
    const FsimRule *china = &s->rules[fsim_scenario_find_rule (s, "allow-china-graph")];
    const FsimRule *window = &s->rules[fsim_scenario_find_rule (s, "deny-lenovo-friends")];

    /* graph scopes: user_a, friends_a, user_b; device: user_a, user_b, friends_b */
    g_assert_true (fsim_rule_matches (s, china, huawei, graph, 1));
    g_assert_true (fsim_rule_matches (s, china, lenovo, graph, 1));
    g_assert_false (fsim_rule_matches (s, china, huawei, graph, 0));
    g_assert_false (fsim_rule_matches (s, china, huawei, device, 2));
    g_assert_false (fsim_rule_matches (s, china, quiz, graph, 1));
    /* dates are ignored */
    g_assert_true (fsim_rule_matches (s, window, lenovo, device, 2));
    g_assert_false (fsim_rule_matches (s, window, huawei, device, 2));
}

static void
test_policy_decisions_layout (void)
{
    g_autoptr (FsimScenario) s = load_rules ();
    g_autoptr (FsimDecisions) d = fsim_decisions_new (s, day ("2011-06-01"));
    g_assert_cmpint (fsim_decisions_get_day (d), ==, day ("2011-06-01"));
    /* every triple has a decision, the rule is -1 exactly when nothing decided, and "not
     * requested" agrees with the loader's requested sets */
    for (size_t p = 0; p < s->n_partners; p++)
        for (size_t k = 0; k < s->partners[p].n_apis; k++)
            for (size_t sc = 0; sc < s->apis[s->partners[p].apis[k]].n_scopes; sc++) {
                const FsimDecision *x = fsim_decisions_get (d, p, k, sc);
                g_assert_nonnull (x);
                gboolean by_rule =
                    x->verdict == FSIM_VERDICT_ALLOWED || x->verdict == FSIM_VERDICT_DENIED;
                g_assert_cmpint (by_rule, ==, x->rule >= 0);
                if (x->verdict == FSIM_VERDICT_API_INACTIVE)
                    continue;
                gboolean requested = fsim_bits_get (s->partners[p].requested[k], sc);
                g_assert_cmpint (requested, ==, x->verdict != FSIM_VERDICT_NOT_REQUESTED);
            }
}

static void
test_policy_decisions_out_of_range (void)
{
    g_autoptr (FsimScenario) s = load_rules ();
    g_autoptr (FsimDecisions) d = fsim_decisions_new (s, day ("2011-06-01"));
    /* broker integrates one API with three scopes */
    size_t broker = (size_t) fsim_scenario_find_partner (s, "broker");
    g_assert_nonnull (fsim_decisions_get (d, broker, 0, 2));

    g_test_expect_message ("flowsim", G_LOG_LEVEL_CRITICAL, "*scope < *");
    g_assert_null (fsim_decisions_get (d, broker, 0, 3));
    g_test_assert_expected_messages ();
    g_test_expect_message ("flowsim", G_LOG_LEVEL_CRITICAL, "*pair < *");
    g_assert_null (fsim_decisions_get (d, broker, 1, 0));
    g_test_assert_expected_messages ();
    g_test_expect_message ("flowsim", G_LOG_LEVEL_CRITICAL, "*partner < *");
    g_assert_null (fsim_decisions_get (d, s->n_partners, 0, 0));
    g_test_assert_expected_messages ();
}

/* flowsim's own glob matcher (sim/model/scenario.c, issue 11's fourth pass: GLib's compiled the
 * pattern and reversed the text on every check) answers as g_pattern_match_simple() does, on
 * every pattern and text up to 6 characters over {a, b, é, *, ?}, and on long ones. */
static void
test_policy_glob_same_as_glib (void)
{
    static const char *const atoms[] = { "a", "b", "\xc3\xa9", "*", "?" };
    GRand *rand = g_rand_new_with_seed (11);
    guint checked = 0;

    for (int i = 0; i < 200000; i++) {
        g_autoptr (GString) pat = g_string_new ("");
        g_autoptr (GString) text = g_string_new ("");
        for (int n = g_rand_int_range (rand, 0, 7); n > 0; n--)
            g_string_append (pat, atoms[g_rand_int_range (rand, 0, 5)]);
        for (int n = g_rand_int_range (rand, 0, 7); n > 0; n--)
            g_string_append (text, atoms[g_rand_int_range (rand, 0, 3)]);
        gboolean want = g_pattern_match_simple (pat->str, text->str);
        g_autoptr (FsimGlob) glob = fsim_glob_new (pat->str);
        if (fsim_glob_match (glob, text->str) != want)
            g_error ("glob '%s' on '%s': GLib says %d", pat->str, text->str, want);
        if (strpbrk (pat->str, "*?") && strcmp (pat->str, "*") != 0 &&
            !g_str_has_suffix (pat->str, ".*") &&
            fsim_field_pattern_match (pat->str, text->str, NULL) != want)
            g_error ("field pattern '%s' on '%s': GLib says %d", pat->str, text->str, want);
        checked += want;
    }
    g_assert_cmpuint (checked, >, 10000); /* both answers occur */
    g_autoptr (GString) id = g_string_new ("");
    g_autoptr (GString) pat = g_string_new ("");
    for (int k = 0; k < 110; k++)
        g_string_append (id, "a");
    for (int k = 0; k < 55; k++)
        g_string_append (pat, "*a");
    g_autoptr (FsimGlob) no = fsim_glob_new (pat->str);
    g_string_append (pat, "*X");
    g_autoptr (FsimGlob) tail = fsim_glob_new (pat->str);
    g_assert_true (fsim_glob_match (no, id->str));
    g_assert_false (fsim_glob_match (tail, id->str));
    g_string_append (id, "X");
    g_assert_true (fsim_glob_match (tail, id->str));
    g_rand_free (rand);
}

int
main (int argc, char *argv[])
{
    g_test_init (&argc, &argv, NULL);
    g_test_add_func ("/policy/verdict/to-string", test_policy_verdict_to_string);
    g_test_add_func ("/policy/glob/same-as-glib", test_policy_glob_same_as_glib);
    g_test_add_func ("/policy/decide/deny-over-allow", test_policy_decide_deny_over_allow);
    g_test_add_func ("/policy/decide/first-rule", test_policy_decide_first_rule);
    g_test_add_func ("/policy/decide/wildcards", test_policy_decide_wildcards);
    g_test_add_func ("/policy/decide/windows", test_policy_decide_windows);
    g_test_add_func ("/policy/decide/api-inactive", test_policy_decide_api_inactive);
    g_test_add_func ("/policy/decide/not-requested", test_policy_decide_not_requested);
    g_test_add_func ("/policy/decide/default-deny", test_policy_decide_default_deny);
    g_test_add_func ("/policy/decide/requests-override", test_policy_decide_requests_override);
    g_test_add_func ("/policy/rule/matches", test_policy_rule_matches);
    g_test_add_func ("/policy/decisions/layout", test_policy_decisions_layout);
    g_test_add_func ("/policy/decisions/out-of-range", test_policy_decisions_out_of_range);
    return g_test_run ();
}
