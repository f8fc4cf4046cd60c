/* SPDX-License-Identifier: MIT */
/* test-history.c: the bundled policies and scenarios load and run, and the dated record holds. */
#include <string.h>

#include <glib.h>

#include "engine.h"
#include "history-util.h"
#include "loader.h"
#include "policy.h"
#include "population.h"
#include "test-util.h"

/*
 * The dated facts of policies/ and scenarios/ (the sources are cited in those files), checked
 * on small populations (the bundled scenarios cut to SMALL users; their mean of 190 friends is
 * kept): Graph API v1.0's friend permissions, the rule for apps created after 30 April 2014,
 * the cut-off of 30 April 2015 and its exceptions (extensions, whitelists), Cambridge
 * Analytica's downstream sharing, the April 2018 restrictions, and the device partners'
 * partners from 2007 and their wind-down over 2018 (22 of about 60 ended by 3 June, more than
 * half by 5 June, Huawei that week; 52 disclosed, 38 ended by 29 June, 7 by the end of July, 1
 * by the end of October). tests/test-corrections.c checks the rest of the December 2026 review.
 */

/* ---- every bundled file loads and runs -------------------------------------------------- */

/* A policy file on its own has no date or population: it runs inside a small scenario. */
static const char wrapper[] =
    "{ \"scenario\": \"wrap\", \"date\": \"%s\", \"include\": [\"%s\"],\n"
    "  \"population\": { \"generator\": \"erdos_renyi\", \"users\": 300, \"mean_degree\": 20,\n"
    "                  \"adoption\": { \"*\": 0.05 } } }\n";

static void
test_history_policies_load_run (void)
{
    g_autofree char *dir_path = fsim_test_source_path ("policies", NULL);
    g_autoptr (GDir) dir = g_dir_open (dir_path, 0, NULL);
    g_assert_nonnull (dir);
    static const char *const dates[] = { "2013-06-01", "2015-05-01", "2018-06-01" };
    size_t n = 0;
    for (const char *name; (name = g_dir_read_name (dir));) {
        if (!g_str_has_suffix (name, ".json"))
            continue;
        g_autofree char *path = g_build_filename (dir_path, name, NULL);
        if (strcmp (name, "device-partners.json") == 0) {
            /* Its partners integrate an API that device-integrated.json declares: it only
             * loads when included there, and runs as part of that file below. */
            g_test_message ("%s: skipped, only loads when included by device-integrated.json",
                            name);
            continue;
        }
        g_autoptr (GError) error = NULL;
        g_autoptr (FsimScenario) alone = fsim_loader_load (path, NULL, &error);
        g_assert_no_error (error);
        g_assert_nonnull (alone);
        g_assert_null (alone->id);
        for (size_t i = 0; i < G_N_ELEMENTS (dates); i++) {
            g_test_message ("%s on %s", name, dates[i]);
            g_autofree char *text = g_strdup_printf (wrapper, dates[i], name);
            g_autofree char *wrap_path = g_build_filename (dir_path, "wrap.json", NULL);
            FsimScenario *s = fsim_loader_load_string (wrap_path, text, NULL, &error);
            g_assert_no_error (error);
            g_auto (Run) run = { 0 };
            run_scenario (&run, s);
        }
        n++;
    }
    g_assert_cmpuint (n, >=, 8);
}

static void
test_history_scenarios_load_run (void)
{
    g_autofree char *dir_path = fsim_test_source_path ("scenarios", NULL);
    g_autoptr (GDir) dir = g_dir_open (dir_path, 0, NULL);
    g_assert_nonnull (dir);
    size_t n = 0;
    for (const char *name; (name = g_dir_read_name (dir));) {
        if (!g_str_has_suffix (name, ".json"))
            continue;
        g_autofree char *path = g_build_filename (dir_path, name, NULL);
        g_autoptr (GError) error = NULL;
        g_autoptr (FsimScenario) s = fsim_loader_load (path, NULL, &error);
        g_assert_no_error (error);
        /* what a student reads first: a title, a description, sources, assumptions */
        g_assert_nonnull (s->title);
        g_assert_cmpuint (strlen (s->description ? s->description : ""), >, 200);
        g_assert_cmpuint (s->sources.n, >, 0);
        gboolean generated = s->population.kind == FSIM_POPULATION_GENERATED;
        if (generated)
            g_assert_true (s->assumptions && s->assumptions[0]);
        const char *small[] = { SMALL, NULL };
        g_test_message ("%s", name);
        FsimScenario *cut = fsim_loader_load (path, generated ? small : NULL, &error);
        g_assert_no_error (error);
        g_auto (Run) run = { 0 };
        run_scenario (&run, cut);
        n++;
    }
    /* the nine the issue names, and the tour */
    g_assert_cmpuint (n, >=, 10);
}

/* ---- Graph API v1.0 and v2.0 ------------------------------------------------------------ */

/* 2013: a friend's app gets your data; without friends_* permissions it gets only its users'. */
static void
test_history_graph_v1_friends (void)
{
    g_auto (Run) v1 = { 0 };
    run_bundled (&v1, "graph-api-v1-2013", NULL, NULL);
    g_assert_cmpuint (friend_data (&v1, "quiz-app"), >, 10 * users_of (&v1, "quiz-app"));
    g_assert_cmpuint (reached_no_consent (&v1, "quiz-app"), >, 0);

    g_auto (Run) none = { 0 };
    run_bundled (&none, "no-friend-permissions-2013", NULL, NULL);
    for (size_t p = 0; p < none.s->n_partners; p++) {
        const char *id = none.s->partners[p].id;
        g_assert_cmpuint (friend_data (&none, id), ==, 0);
        g_assert_cmpuint (reached_no_consent (&none, id), ==, 0);
        g_assert_cmpuint (reached (&none, id), <=, users_of (&none, id));
    }
}

/* An app created after 30 April 2014 could not call v1.0; an older one could, for a year. */
static void
test_history_graph_v2_new_app_rule (void)
{
    const char *const adopt[] = { "population.adoption.new-app-2014=0.02", NULL };
    g_auto (Run) before = { 0 };
    run_bundled (&before, "graph-api-v2-2015", "2014-04-29", adopt);
    g_assert_cmpuint (friend_data (&before, "new-app-2014"), >, 0);
    g_assert_cmpuint (users_of (&before, "new-app-2014"), >, 0);

    static const char *const after_dates[] = { "2014-04-30", "2014-05-01", "2015-01-01" };
    for (size_t i = 0; i < G_N_ELEMENTS (after_dates); i++) {
        g_auto (Run) after = { 0 };
        run_bundled (&after, "graph-api-v2-2015", after_dates[i], adopt);
        g_assert_cmpuint (friend_data (&after, "new-app-2014"), ==, 0);
        g_assert_cmpuint (reached_no_consent (&after, "new-app-2014"), ==, 0);
        /* v2.0 still gives it its own users' data, with their consent */
        g_assert_cmpuint (through (&after, "new-app-2014", FSIM_CHANNEL_SELF), >, 0);
        /* an app created before F8 2014 keeps friends_* */
        g_assert_cmpuint (friend_data (&after, "quiz-app"), >, 0);
    }

    /* the deciding rule, by name */
    g_autofree char *path = fsim_test_source_path ("scenarios", "graph-api-v2-2015.json", NULL);
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimScenario) s = fsim_loader_load (path, NULL, &error);
    g_assert_no_error (error);
    FsimDay day;
    g_assert_true (fsim_day_parse ("2014-04-30", &day));
    g_autoptr (FsimDecisions) d = fsim_decisions_new (s, day);
    size_t p = (size_t) fsim_scenario_find_partner (s, "new-app-2014");
    const FsimPartner *pa = &s->partners[p];
    for (size_t k = 0; k < pa->n_apis; k++) {
        const FsimApi *api = &s->apis[pa->apis[k]];
        if (strcmp (api->id, "graph-v1") != 0)
            continue;
        for (size_t sc = 0; sc < api->n_scopes; sc++) {
            const FsimDecision *x = fsim_decisions_get (d, p, k, sc);
            if (x->verdict == FSIM_VERDICT_NOT_REQUESTED)
                continue;
            g_assert_cmpint (x->verdict, ==, FSIM_VERDICT_DENIED);
            g_assert_cmpstr (s->rules[x->rule].id, ==, "v1-closed-to-new-apps");
        }
    }
}

static const char *const exception_apps[] = { "rbc", "nissan", "nuance-fca", "other-extension-apps",
                                              NULL };

/* Enough users of every exception that a small population has some, whatever the seed. */
static const char *const exception_adoption[] = {
    "population.adoption.rbc=0.01",
    "population.adoption.nissan=0.01",
    "population.adoption.nuance-fca=0.01",
    "population.adoption.other-extension-apps=0.01",
    "population.adoption.whitelisted-unnamed=0.01",
    "population.adoption.thisisyourdigitallife=0.01",
    NULL,
};

/* 30 April 2015: friend data to ordinary apps drops to zero, the exceptions continue. */
static void
test_history_graph_v2_cutoff (void)
{
    g_auto (Run) before = { 0 };
    run_bundled (&before, "graph-api-v2-2015", "2015-04-29", exception_adoption);
    g_assert_cmpuint (friend_data (&before, "quiz-app"), >, 0);
    g_assert_cmpuint (friend_data (&before, "social-game"), >, 0);
    g_assert_cmpuint (friend_data (&before, "thisisyourdigitallife"), >, 0);

    static const char *const dates[] = { "2015-04-30", "2015-05-01" };
    for (size_t i = 0; i < G_N_ELEMENTS (dates); i++) {
        g_auto (Run) after = { 0 };
        run_bundled (&after, "graph-api-v2-2015", dates[i], exception_adoption);
        size_t ordinary = 0;
        for (size_t p = 0; p < after.s->n_partners; p++) {
            const FsimPartner *pa = &after.s->partners[p];
            /* the exceptions: extensions (six months; Serotek's eight), beta tests, whitelists */
            if (has_tag (pa, "v1-extension-2015") || has_tag (pa, "v1-extension-8-months") ||
                has_tag (pa, "beta-test-2018") || has_tag (pa, "whitelisted"))
                continue;
            g_assert_cmpuint (friend_data (&after, pa->id), ==, 0);
            g_assert_cmpuint (reached_no_consent (&after, pa->id), ==, 0);
            ordinary++;
        }
        g_assert_cmpuint (ordinary, >=, 5);
        for (size_t i2 = 0; exception_apps[i2]; i2++)
            g_assert_cmpuint (friend_data (&after, exception_apps[i2]), >, 0);
        g_assert_cmpuint (friend_data (&after, "whitelisted-unnamed"), >, 0);
        /* the Cambridge Analytica quiz gets nothing at all, so nothing moves downstream */
        g_assert_cmpuint (reached (&after, "thisisyourdigitallife"), ==, 0);
        g_assert_cmpuint (reached (&after, "scl-cambridge-analytica"), ==, 0);
    }
}

/* The six-month extensions end on 1 November 2015; the long whitelist deals in April 2018. */
static void
test_history_graph_v2_exceptions_end (void)
{
    g_auto (Run) last = { 0 };
    run_bundled (&last, "graph-api-v2-2015", "2015-10-31", exception_adoption);
    for (size_t i = 0; exception_apps[i]; i++)
        g_assert_cmpuint (friend_data (&last, exception_apps[i]), >, 0);

    g_auto (Run) ended = { 0 };
    run_bundled (&ended, "whitelists-2016", "2015-11-01", exception_adoption);
    for (size_t i = 0; exception_apps[i]; i++) {
        g_assert_cmpuint (friend_data (&ended, exception_apps[i]), ==, 0);
        g_assert_cmpuint (reached_no_consent (&ended, exception_apps[i]), ==, 0);
    }
    g_assert_cmpuint (friend_data (&ended, "whitelisted-unnamed"), >, 0);

    g_auto (Run) y2016 = { 0 };
    run_bundled (&y2016, "whitelists-2016", NULL, exception_adoption);
    g_assert_cmpuint (friend_data (&y2016, "whitelisted-unnamed"), >, 0);
    g_assert_cmpuint (friend_data (&y2016, "quiz-app"), ==, 0);

    g_auto (Run) y2018 = { 0 };
    run_bundled (&y2018, "whitelists-2016", "2018-04-04", exception_adoption);
    g_assert_cmpuint (friend_data (&y2018, "whitelisted-unnamed"), ==, 0);
}

/* April 2018 (Schroepfer's list): religion and politics, relationships and their details,
 * education and work closed to new apps; unused apps lose sensitive fields. */
static void
test_history_restrictions_2018 (void)
{
    g_autofree char *path = fsim_test_source_path ("scenarios", "graph-api-v2-2015.json", NULL);
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimScenario) s = fsim_loader_load (path, NULL, &error);
    g_assert_no_error (error);
    static const struct {
        const char *partner, *scope, *date;
        FsimVerdict verdict;
        const char *rule;
    } cases[] = {
        { "new-app-2018", "user_religion_politics", "2018-04-03", FSIM_VERDICT_ALLOWED,
          "graph-v2-open" },
        { "new-app-2018", "user_religion_politics", "2018-04-04", FSIM_VERDICT_DENIED,
          "closed-to-new-apps-2018-04-04" },
        { "new-app-2018", "user_relationships", "2018-04-04", FSIM_VERDICT_DENIED,
          "closed-to-new-apps-2018-04-04" },
        { "new-app-2018", "user_relationship_details", "2018-04-04", FSIM_VERDICT_DENIED,
          "closed-to-new-apps-2018-04-04" },
        { "new-app-2018", "user_education_history", "2018-04-04", FSIM_VERDICT_DENIED,
          "closed-to-new-apps-2018-04-04" },
        { "new-app-2018", "user_work_history", "2018-04-04", FSIM_VERDICT_DENIED,
          "closed-to-new-apps-2018-04-04" },
        { "new-app-2018", "user_relationships", "2018-04-03", FSIM_VERDICT_ALLOWED,
          "graph-v2-open" },
        { "new-app-2018", "user_likes", "2018-04-04", FSIM_VERDICT_ALLOWED, "graph-v2-open" },
        { "dormant-app", "user_friends", "2018-04-04", FSIM_VERDICT_DENIED,
          "unused-apps-lose-access" },
        { "dormant-app", "user_religion_politics", "2018-04-03", FSIM_VERDICT_ALLOWED,
          "graph-v2-open" },
        { "quiz-app", "user_religion_politics", "2018-04-04", FSIM_VERDICT_ALLOWED,
          "graph-v2-open" },
    };
    for (size_t i = 0; i < G_N_ELEMENTS (cases); i++) {
        FsimDay day;
        g_assert_true (fsim_day_parse (cases[i].date, &day));
        g_autoptr (FsimDecisions) d = fsim_decisions_new (s, day);
        gssize p = fsim_scenario_find_partner (s, cases[i].partner);
        gssize api = fsim_scenario_find_api (s, "graph-v2");
        g_assert_cmpint (p, >=, 0);
        g_assert_cmpint (api, >=, 0);
        const FsimPartner *pa = &s->partners[p];
        size_t k = 0;
        while (k < pa->n_apis && pa->apis[k] != (size_t) api)
            k++;
        g_assert_cmpuint (k, <, pa->n_apis);
        const FsimApi *a = &s->apis[api];
        size_t sc = 0;
        while (sc < a->n_scopes && strcmp (a->scopes[sc].id, cases[i].scope) != 0)
            sc++;
        g_assert_cmpuint (sc, <, a->n_scopes);
        const FsimDecision *x = fsim_decisions_get (d, (size_t) p, k, sc);
        g_test_message ("%s %s %s: %s", cases[i].partner, cases[i].scope, cases[i].date,
                        fsim_verdict_to_string (x->verdict));
        g_assert_cmpint (x->verdict, ==, cases[i].verdict);
        g_assert_cmpint (x->rule, >=, 0);
        g_assert_cmpstr (s->rules[x->rule].id, ==, cases[i].rule);
    }
}

/* ---- Cambridge Analytica ---------------------------------------------------------------- */

static void
test_history_cambridge_analytica (void)
{
    /* more installers than the real 0.02%, so that 2,000 users have some */
    const char *const adopt[] = { "population.adoption.thisisyourdigitallife=0.01", NULL };
    g_auto (Run) run = { 0 };
    run_bundled (&run, "cambridge-analytica-2014", NULL, adopt);
    size_t installers = users_of (&run, "thisisyourdigitallife");
    size_t gsr = reached (&run, "thisisyourdigitallife");
    g_assert_cmpuint (installers, >, 0);
    /* hundreds of people per installer, nearly all without consent */
    g_assert_cmpuint (reached_no_consent (&run, "thisisyourdigitallife"), >, 10 * installers);
    /* SCL / Cambridge Analytica and Eunoia hold what GSR got, none with consent */
    g_assert_cmpuint (reached (&run, "scl-cambridge-analytica"), ==, gsr);
    g_assert_cmpuint (reached_no_consent (&run, "scl-cambridge-analytica"), ==, gsr);
    g_assert_cmpuint (through (&run, "scl-cambridge-analytica", FSIM_CHANNEL_DOWNSTREAM), ==, gsr);
    g_assert_cmpuint (reached (&run, "eunoia"), ==, gsr);

    /* before the sharing (summer 2014) SCL has nothing; after the cut-off GSR has nothing */
    g_auto (Run) spring = { 0 };
    run_bundled (&spring, "cambridge-analytica-2014", "2014-05-31", adopt);
    g_assert_cmpuint (reached (&spring, "thisisyourdigitallife"), >, 0);
    g_assert_cmpuint (reached (&spring, "scl-cambridge-analytica"), ==, 0);
    g_auto (Run) cut = { 0 };
    run_bundled (&cut, "cambridge-analytica-2014", "2015-04-30", adopt);
    g_assert_cmpuint (reached (&cut, "thisisyourdigitallife"), ==, 0);
    g_assert_cmpuint (reached (&cut, "scl-cambridge-analytica"), ==, 0);
}

/* ---- device partners -------------------------------------------------------------------- */

/* Huawei reaches people on 7 June 2018 and nobody from 8 June; the others go on. */
static void
test_history_device_huawei_wind_down (void)
{
    g_auto (Run) last = { 0 };
    run_bundled (&last, "device-partners-2018", "2018-06-07", NULL);
    g_assert_cmpuint (users_of (&last, "huawei"), >, 0);
    g_assert_cmpuint (reached (&last, "huawei"), >, 0);
    g_assert_cmpuint (friend_data (&last, "huawei"), >, 0);

    g_auto (Run) after = { 0 };
    run_bundled (&after, "huawei-wound-down-2018", NULL, NULL);
    g_assert_cmpstr (after.s->date_string, ==, "2018-06-08");
    g_assert_cmpuint (users_of (&after, "huawei"), >, 0);
    g_assert_cmpuint (reached (&after, "huawei"), ==, 0);
    g_assert_cmpuint (reached (&after, "apple"), >, 0);
    g_assert_cmpuint (reached (&after, "lenovo"), >, 0);

    /* the deciding rule */
    FsimDay day;
    g_assert_true (fsim_day_parse ("2018-06-08", &day));
    g_autoptr (FsimDecisions) d = fsim_decisions_new (after.s, day);
    size_t p = partner_index (&after, "huawei");
    const FsimDecision *x = fsim_decisions_get (d, p, 0, 0);
    g_assert_cmpint (x->verdict, ==, FSIM_VERDICT_DENIED);
    g_assert_cmpstr (after.s->rules[x->rule].id, ==, "huawei-wound-down");
}

/* 60 partners from 2007 (Microsoft from 2008); 52 disclosed; 22 of about 60 ended by 3 June
 * 2018, more than half by 5 June, 38 of the 52 by 29 June, 7 more by July, 1 by October. */
static void
test_history_device_partners_2018 (void)
{
    g_autofree char *path = fsim_test_source_path ("scenarios", "device-partners-2018.json", NULL);
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimScenario) s = fsim_loader_load (path, NULL, &error);
    g_assert_no_error (error);
    size_t n_disclosed = 0, n_unnamed = 0;
    for (size_t p = 0; p < s->n_partners; p++) {
        n_disclosed += has_tag (&s->partners[p], "disclosed-2018-06-29");
        n_unnamed += has_tag (&s->partners[p], "unnamed");
        if (has_tag (&s->partners[p], "unnamed"))
            g_assert_true (g_str_has_prefix (s->partners[p].name, "Unnamed"));
    }
    g_assert_cmpuint (s->n_partners, ==, 60);
    g_assert_cmpuint (n_disclosed, ==, 52);
    g_assert_cmpuint (n_unnamed, ==, 37);
    static const char *const named[] = {
        "apple", "amazon", "blackberry", "microsoft", "samsung",      "huawei",        "lenovo",
        "oppo",  "tcl",    "qualcomm",   "pantech",   "nokia",        "yahoo-devices", "dell",
        "kodak", "lg",     "o2",         "orange",    "virgin-mobile"
    };
    for (size_t i = 0; i < G_N_ELEMENTS (named); i++)
        g_assert_cmpint (fsim_scenario_find_partner (s, named[i]), >=, 0);

    static const struct {
        const char *date;
        size_t all, disclosed;
    } timeline[] = {
        { "2006-12-31", 0, 0 },   { "2007-01-01", 59, 51 }, { "2008-01-01", 60, 52 },
        { "2013-06-01", 60, 52 }, { "2018-03-31", 60, 52 }, { "2018-04-01", 52, 52 },
        { "2018-06-02", 52, 52 }, { "2018-06-03", 38, 38 }, { "2018-06-04", 38, 38 },
        { "2018-06-05", 29, 29 }, { "2018-06-07", 29, 29 }, { "2018-06-08", 28, 28 },
        { "2018-06-28", 28, 28 }, { "2018-06-29", 14, 14 }, { "2018-07-31", 14, 14 },
        { "2018-08-01", 7, 7 },   { "2018-10-31", 7, 7 },   { "2018-11-01", 6, 6 },
        { "2019-06-01", 6, 6 },
    };
    for (size_t i = 0; i < G_N_ELEMENTS (timeline); i++) {
        size_t disclosed = 0;
        size_t all = partners_with_access (s, timeline[i].date, "disclosed-2018-06-29", &disclosed);
        g_test_message ("%s: %zu partners with access, %zu of the 52", timeline[i].date, all,
                        disclosed);
        g_assert_cmpuint (all, ==, timeline[i].all);
        g_assert_cmpuint (disclosed, ==, timeline[i].disclosed);
    }
    /* Archibong, 3 June: 'already ended 22' of about 60; a spokeswoman, 5 June: 'more than
     * half' of them */
    size_t ignored = 0;
    g_assert_cmpuint (60 - partners_with_access (s, "2018-06-03", "unnamed", &ignored), ==, 22);
    g_assert_cmpuint (60 - partners_with_access (s, "2018-06-02", "unnamed", &ignored), <, 22);
    g_assert_cmpuint (2 * (60 - partners_with_access (s, "2018-06-05", "unnamed", &ignored)), >,
                      60);
    g_assert_cmpuint (2 * (60 - partners_with_access (s, "2018-06-04", "unnamed", &ignored)), <,
                      60);
    /* 38 of the 52 ended by 29 June: 52 - 14 */
    size_t disclosed = 0;
    partners_with_access (s, "2018-06-29", "disclosed-2018-06-29", &disclosed);
    g_assert_cmpuint (52 - disclosed, ==, 38);
    /* those that continued are the six named ones */
    partners_with_access (s, "2018-11-01", "continued-2018-06-29", &disclosed);
    g_assert_cmpuint (disclosed, ==, 6);
}

/* The partners named by Facebook's list of 52 (BGR India, 3 July 2018) and placed by Fox News:
 * Nokia and Yahoo among the eight that ended after 29 June (one in July, one in October);
 * Dell, Kodak, LG, O2, Orange and Virgin Mobile among the 38 ended by 29 June, each on that
 * day, the latest it allows. */
static void
test_history_device_named_2018_07 (void)
{
    g_autofree char *path = fsim_test_source_path ("scenarios", "device-partners-2018.json", NULL);
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimScenario) s = fsim_loader_load (path, NULL, &error);
    g_assert_no_error (error);
    static const struct {
        const char *id, *name;
    } named[] = { { "dell", "Dell" },     { "kodak", "Kodak" },
                  { "lg", "LG" },         { "o2", "O2" },
                  { "orange", "Orange" }, { "virgin-mobile", "Virgin Mobile" },
                  { "nokia", "Nokia" },   { "yahoo-devices", "Yahoo (device integration)" } };
    for (size_t i = 0; i < G_N_ELEMENTS (named); i++) {
        gssize p = fsim_scenario_find_partner (s, named[i].id);
        g_assert_cmpint (p, >=, 0);
        const FsimPartner *pa = &s->partners[p];
        g_assert_cmpstr (pa->name, ==, named[i].name);
        g_assert_true (has_tag (pa, "disclosed-2018-06-29"));
        g_assert_false (has_tag (pa, "unnamed"));
        /* the list that names it, first after the answers' reports */
        gboolean listed = FALSE;
        for (size_t k = 0; k < pa->sources.n; k++)
            listed = listed || g_strcmp0 (pa->sources.items[k].publisher, "BGR India") == 0;
        g_assert_true (listed);
    }
    static const struct {
        const char *date;
        size_t with_access;
    } days[] = { { "2018-06-28", 8 }, { "2018-06-29", 2 }, { "2018-07-31", 2 },
                 { "2018-08-01", 1 }, { "2018-10-31", 1 }, { "2018-11-01", 0 } };
    for (size_t i = 0; i < G_N_ELEMENTS (days); i++) {
        size_t n = 0;
        partners_with_access (s, days[i].date, "named-2018-07", &n);
        g_assert_cmpuint (n, ==, days[i].with_access);
    }
}

/* The what-ifs on the device APIs move the numbers the way their descriptions say. */
static void
test_history_device_what_ifs (void)
{
    g_auto (Run) base = { 0 };
    run_bundled (&base, "device-partners-2018", NULL, NULL);
    gssize religion = fsim_scenario_find_field (base.s, "profile.religion");
    gssize messages = fsim_scenario_find_field (base.s, "messages.inbox");
    g_assert_cmpint (religion, >=, 0);
    g_assert_cmpint (messages, >=, 0);

    g_auto (Run) servers = { 0 };
    run_bundled (&servers, "device-partners-2018-huawei-servers", NULL, NULL);
    size_t cn = 0;
    for (size_t j = 0; j < servers.r->n_jurisdictions; j++)
        if (strcmp (servers.r->jurisdictions[j], "CN") == 0)
            cn = servers.r->jurisdiction_users[j];
    g_assert_cmpuint (cn, ==, reached (&servers, "huawei"));
    g_assert_cmpuint (reached (&servers, "huawei"), ==, reached (&base, "huawei"));
    for (size_t j = 0; j < base.r->n_jurisdictions; j++)
        g_assert_cmpstr (base.r->jurisdictions[j], !=, "CN");

    g_auto (Run) respect = { 0 };
    run_bundled (&respect, "device-partners-2018-respect-settings", NULL, NULL);
    g_assert_cmpuint (respect.r->field_users[religion], <, base.r->field_users[religion]);

    g_auto (Run) ignore = { 0 };
    run_bundled (&ignore, "device-partners-2018-ignore-audience", NULL, NULL);
    g_assert_cmpuint (ignore.r->field_users[religion], >, base.r->field_users[religion]);
    /* the device API never gave friends' messages, whatever the settings */
    g_assert_cmpuint (ignore.r->field_no_consent[messages], ==, 0);

    /* the platform switch is ignored by the device APIs: turning it off changes nothing (the
     * population draws the same use and audiences whatever the share) */
    const char *const off[] = { "population.settings.platform_off=0.5", NULL };
    g_auto (Run) switched = { 0 };
    run_bundled (&switched, "device-partners-2018", NULL, off);
    for (size_t f = 0; f < base.s->n_fields; f++) {
        g_assert_cmpuint (switched.r->field_users[f], ==, base.r->field_users[f]);
        g_assert_cmpuint (switched.r->field_no_consent[f], ==, base.r->field_no_consent[f]);
    }
}

int
main (int argc, char *argv[])
{
    g_test_init (&argc, &argv, NULL);
    g_test_add_func ("/history/policies/load-run", test_history_policies_load_run);
    g_test_add_func ("/history/scenarios/load-run", test_history_scenarios_load_run);
    g_test_add_func ("/history/graph-v1/friends", test_history_graph_v1_friends);
    g_test_add_func ("/history/graph-v2/new-app-rule", test_history_graph_v2_new_app_rule);
    g_test_add_func ("/history/graph-v2/cutoff", test_history_graph_v2_cutoff);
    g_test_add_func ("/history/graph-v2/exceptions-end", test_history_graph_v2_exceptions_end);
    g_test_add_func ("/history/restrictions-2018", test_history_restrictions_2018);
    g_test_add_func ("/history/cambridge-analytica", test_history_cambridge_analytica);
    g_test_add_func ("/history/device/huawei-wind-down", test_history_device_huawei_wind_down);
    g_test_add_func ("/history/device/partners-2018", test_history_device_partners_2018);
    g_test_add_func ("/history/device/named-2018-07", test_history_device_named_2018_07);
    g_test_add_func ("/history/device/what-ifs", test_history_device_what_ifs);
    return g_test_run ();
}
