/* SPDX-License-Identifier: MIT */
/* test-diff.c: a base against what-ifs that change one thing, with hand-computed answers. */
#include <string.h>
#include <sys/wait.h>

#include <glib.h>

#include "cli.h"
#include "diff-diagram.h"
#include "diff.h"
#include "engine.h"
#include "json-check.h"
#include "loader.h"
#include "room.h"
#include "run-util.h"
#include "test-util.h"
#include "worst-case.h"

/*
 * tests/data/diff/base.json: ann uses the quiz (servers in GB), which passes names and likes to
 * the broker (US); ben and cat are ann's friends, cat shows her religion to no one, dan knows
 * nobody. By hand: the quiz gets ann's three fields (self), ben's three and cat's name and likes
 * (friend); the broker gets the names and likes of all three. 3 users exposed; GB 3 (2 without
 * consent), US 3 (3).
 */

typedef struct {
    FsimScenario *base, *whatif;
    FsimPopulation *base_pop, *whatif_pop;
    FsimDiff *diff;
} Pair;

static void
pair_clear (Pair *p)
{
    fsim_diff_free (p->diff);
    fsim_population_free (p->whatif_pop);
    fsim_population_free (p->base_pop);
    fsim_scenario_free (p->whatif);
    fsim_scenario_free (p->base);
    memset (p, 0, sizeof *p);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Pair, pair_clear)

static FsimScenario *
load (const char *file)
{
    g_autofree char *path = fsim_test_data_path ("diff", file, NULL);
    return fsim_test_load (path, NULL);
}

/* Diffs two files; returns FALSE (with @error) where the populations cannot be matched. */
static gboolean
pair_diff (Pair *p, const char *base, const char *whatif, GError **error)
{
    g_autoptr (GError) local = NULL;
    p->base = load (base);
    p->whatif = load (whatif);
    p->base_pop = fsim_population_build (p->base, &local);
    g_assert_no_error (local);
    FsimPopulation *own = fsim_population_build (p->whatif, &local);
    g_assert_no_error (local);
    g_autofree char *note = NULL;
    p->whatif_pop = fsim_diff_population (p->base, p->base_pop, p->whatif, own, &note, error);
    if (!p->whatif_pop)
        return FALSE;
    p->diff = fsim_diff_new (p->base, p->base_pop, p->whatif, p->whatif_pop, note, &local);
    g_assert_no_error (local);
    return TRUE;
}

static void
pair_ok (Pair *p, const char *base, const char *whatif)
{
    g_autoptr (GError) error = NULL;
    g_assert_true (pair_diff (p, base, whatif, &error));
    g_assert_no_error (error);
}

/* The room the estimate makes (room.h) holds the text (with --all) and the JSON of @d: rendering
 * never grows the string. */
static void
check_room (const FsimDiff *d)
{
    for (int json = 0; json <= 1; json++) {
        g_autoptr (GString) out = g_string_new (NULL);
        g_autoptr (GError) error = NULL;
        guint64 room = fsim_diff_room (d, NULL);
        g_assert_true (fsim_room_reserve (out, room, "the comparison", &error));
        g_assert_no_error (error);
        const char *buffer = out->str;
        if (json)
            fsim_diff_render_json_focused (d, NULL, out);
        else
            fsim_diff_render_text_full (d, TRUE, NULL, out);
        g_test_message ("%s: %zu bytes of %" G_GUINT64_FORMAT, json ? "json" : "text", out->len,
                        room);
        g_assert_cmpuint (out->len, <=, room);
        g_assert_true (out->str == buffer);
    }
}

static const FsimDiffPartner *
partner (const FsimDiff *d, const char *id)
{
    for (guint i = 0; i < d->partners->len; i++)
        if (strcmp (g_array_index (d->partners, FsimDiffPartner, i).partner, id) == 0)
            return &g_array_index (d->partners, FsimDiffPartner, i);
    g_assert_not_reached ();
    return NULL;
}

static const FsimDiffFlow *
row (const FsimDiff *d, const char *field, const char *p, const char *jurisdiction)
{
    for (guint i = 0; i < d->flows->len; i++) {
        const FsimDiffFlow *f = &g_array_index (d->flows, FsimDiffFlow, i);
        if (strcmp (f->field, field) == 0 && strcmp (f->partner, p) == 0 &&
            strcmp (f->jurisdiction, jurisdiction) == 0)
            return f;
    }
    g_assert_not_reached ();
    return NULL;
}

static const FsimDiffJurisdiction *
jurisdiction (const FsimDiff *d, const char *name)
{
    for (guint i = 0; i < d->jurisdictions->len; i++)
        if (strcmp (g_array_index (d->jurisdictions, FsimDiffJurisdiction, i).jurisdiction, name) ==
            0)
            return &g_array_index (d->jurisdictions, FsimDiffJurisdiction, i);
    g_assert_not_reached ();
    return NULL;
}

static void
assert_row (const FsimDiff *d, const char *field, const char *p, const char *j, size_t before,
            size_t after, size_t gained, size_t lost)
{
    const FsimDiffFlow *f = row (d, field, p, j);
    g_test_message ("%s/%s/%s", field, p, j);
    g_assert_cmpuint (f->before, ==, before);
    g_assert_cmpuint (f->after, ==, after);
    g_assert_cmpuint (f->gained, ==, gained);
    g_assert_cmpuint (f->lost, ==, lost);
}

static void
assert_verdicts (const FsimDiff *d, const char *p, FsimDiffVerdict on_pop, FsimDiffVerdict any)
{
    const FsimDiffPartner *x = partner (d, p);
    g_assert_cmpstr (fsim_diff_verdict_to_string (x->verdict), ==,
                     fsim_diff_verdict_to_string (on_pop));
    g_assert_cmpstr (fsim_diff_verdict_to_string (x->verdict_any), ==,
                     fsim_diff_verdict_to_string (any));
}

/* ---- one rule changes ------------------------------------------------------------------------- */

static void
test_diff_one_rule (void)
{
    g_auto (Pair) p = { 0 };
    pair_ok (&p, "base.json", "deny-one.json");
    const FsimDiff *d = p.diff;
    check_room (d);
    g_assert_true (fsim_diff_any (d));
    /* only ben's religion is lost: it reached the quiz through ann, a friend */
    assert_row (d, "religion", "quiz", "GB", 2, 1, 0, 1);
    assert_row (d, "name", "quiz", "GB", 3, 3, 0, 0);
    assert_row (d, "name", "broker", "US", 3, 3, 0, 0);
    assert_row (d, "religion", "broker", "US", 0, 0, 0, 0);
    assert_verdicts (d, "quiz", FSIM_DIFF_LESS_PERMISSIVE, FSIM_DIFF_LESS_PERMISSIVE);
    assert_verdicts (d, "broker", FSIM_DIFF_EQUIVALENT, FSIM_DIFF_EQUIVALENT);
    g_assert_cmpuint (partner (d, "quiz")->lost, ==, 1);
    g_assert_cmpuint (d->decisions->len, ==, 1);
    const FsimDiffDecision *x = &g_array_index (d->decisions, FsimDiffDecision, 0);
    g_assert_cmpstr (x->partner, ==, "quiz");
    g_assert_cmpstr (x->scope, ==, "friends_religion");
    g_assert_cmpint (x->before, ==, FSIM_VERDICT_ALLOWED);
    g_assert_cmpint (x->after, ==, FSIM_VERDICT_DENIED);
    g_assert_cmpstr (d->base->rules[x->rule_before].id, ==, "allow-apps");
    g_assert_cmpstr (d->whatif->rules[x->rule_after].id, ==, "deny-friends-religion");
    g_assert_cmpuint (d->exposed_before, ==, 3);
    g_assert_cmpuint (d->exposed_after, ==, 3);
    g_assert_cmpuint (d->newly_exposed + d->no_longer_exposed, ==, 0);
    g_assert_cmpuint (jurisdiction (d, "GB")->before, ==, 3);
    g_assert_cmpuint (jurisdiction (d, "GB")->after, ==, 3);
    g_assert_cmpuint (jurisdiction (d, "GB")->before_no_consent, ==, 2);
    g_assert_cmpuint (jurisdiction (d, "US")->after_no_consent, ==, 3);
}

static void
test_diff_equivalent (void)
{
    g_auto (Pair) p = { 0 };
    pair_ok (&p, "base.json", "base.json");
    g_assert_false (fsim_diff_any (p.diff));
    assert_verdicts (p.diff, "quiz", FSIM_DIFF_EQUIVALENT, FSIM_DIFF_EQUIVALENT);
    g_assert_cmpuint (p.diff->users_other_settings, ==, 0);
}

/* The quiz now passes religions on: the broker gets ann's and ben's. */
static void
test_diff_more_permissive (void)
{
    g_auto (Pair) p = { 0 };
    pair_ok (&p, "base.json", "more.json");
    assert_row (p.diff, "religion", "broker", "US", 0, 2, 2, 0);
    assert_verdicts (p.diff, "broker", FSIM_DIFF_MORE_PERMISSIVE, FSIM_DIFF_MORE_PERMISSIVE);
    assert_verdicts (p.diff, "quiz", FSIM_DIFF_EQUIVALENT, FSIM_DIFF_EQUIVALENT);
    g_assert_cmpuint (p.diff->decisions->len, ==, 0);
}

/* The quiz's servers move to Russia: the same users, in another jurisdiction. */
static void
test_diff_incomparable (void)
{
    g_auto (Pair) p = { 0 };
    pair_ok (&p, "base.json", "move.json");
    assert_row (p.diff, "name", "quiz", "GB", 3, 0, 0, 3);
    assert_row (p.diff, "name", "quiz", "RU", 0, 3, 3, 0);
    assert_verdicts (p.diff, "quiz", FSIM_DIFF_INCOMPARABLE, FSIM_DIFF_INCOMPARABLE);
    g_assert_cmpuint (partner (p.diff, "quiz")->gained, ==, 8);
    g_assert_cmpuint (partner (p.diff, "quiz")->lost, ==, 8);
    g_assert_cmpuint (jurisdiction (p.diff, "RU")->after, ==, 3);
    g_assert_cmpuint (jurisdiction (p.diff, "GB")->after, ==, 0);
}

/* cat turns the platform off in the what-if: compared user by user, she is no longer exposed. */
static void
test_diff_settings (void)
{
    g_auto (Pair) p = { 0 };
    pair_ok (&p, "base.json", "settings.json");
    g_assert_cmpuint (p.diff->users_other_settings, ==, 1);
    fsim_assert_contains (p.diff->population, "1 of them has other settings");
    g_assert_cmpuint (p.diff->no_longer_exposed, ==, 1);
    g_assert_cmpstr (p.diff->no_longer_examples->pdata[0], ==, "cat");
    assert_verdicts (p.diff, "quiz", FSIM_DIFF_LESS_PERMISSIVE, FSIM_DIFF_EQUIVALENT);
}

static void
test_diff_people (void)
{
    g_auto (Pair) p = { 0 };
    g_autoptr (GError) error = NULL;
    g_assert_false (pair_diff (&p, "base.json", "people.json", &error));
    g_assert_error (error, FSIM_DIFF_ERROR, FSIM_DIFF_ERROR_PEOPLE);
    fsim_assert_contains (error->message, "the base has 4 users and the what-if 2");
}

/* A new partner changes the generated draws; the base's are kept by id, so nothing else moves. */
static void
test_diff_new_partner (void)
{
    g_auto (Pair) p = { 0 };
    pair_ok (&p, "base-gen.json", "new-partner.json");
    fsim_assert_contains (p.diff->population, "keeps the base's settings and partner use by id");
    assert_verdicts (p.diff, "quiz", FSIM_DIFF_EQUIVALENT, FSIM_DIFF_EQUIVALENT);
    assert_verdicts (p.diff, "broker", FSIM_DIFF_EQUIVALENT, FSIM_DIFF_EQUIVALENT);
    assert_verdicts (p.diff, "newapp", FSIM_DIFF_ADDED, FSIM_DIFF_ADDED);
    g_assert_cmpuint (p.diff->no_longer_exposed, ==, 0);
    g_assert_cmpuint (p.diff->users_other_settings, ==, 0);
    for (guint i = 0; i < p.diff->decisions->len; i++)
        g_assert_cmpstr (g_array_index (p.diff->decisions, FsimDiffDecision, i).partner, ==,
                         "newapp");
}

/* ---- the command ------------------------------------------------------------------------------ */

static void
test_diff_cli_text (void)
{
    g_autofree char *base = fsim_test_data_path ("diff", "base.json", NULL);
    g_autofree char *deny = fsim_test_data_path ("diff", "deny-one.json", NULL);
    g_autoptr (FsimTestRun) r = FSIM_RUN ("diff", base, deny);
    g_assert_cmpint (r->status, ==, FSIM_EXIT_OK);
    g_assert_cmpstr (r->err, ==, "");
    fsim_assert_contains (r->out, "  quiz     reaches the same people, gets less of their data  "
                                  "less permissive     less permissive");
    fsim_assert_contains (r->out, "  quiz     graph  friends_religion  allowed -> denied  "
                                  "allowed by rule allow-apps (");
    fsim_assert_contains (r->out, "  religion  quiz     servers      server, GB       2      1 "
                                  "      0     1\n");
    g_autoptr (FsimTestRun) e = FSIM_RUN ("diff", "--exit-code", base, deny);
    g_assert_cmpint (e->status, ==, FSIM_EXIT_CHECKS_FAILED);
    g_autoptr (FsimTestRun) same = FSIM_RUN ("diff", "--exit-code", base, base);
    g_assert_cmpint (same->status, ==, FSIM_EXIT_OK);
    fsim_assert_contains (same->out, "No difference");
}

/* Verdicts in plain words, the overrides echoed, unchanged rows left out unless --all, and a
 * focus (issue 15). */
static void
test_diff_cli_words (void)
{
    g_autofree char *tour = fsim_test_source_path ("scenarios", "tour.json", NULL);
    g_autoptr (FsimTestRun) r =
        FSIM_RUN ("diff", tour, "--set", "partners[phoneco].destinations[handset].location=server",
                  "--set", "partners[kind:device*].destinations[*].jurisdiction=CN");
    g_assert_cmpint (r->status, ==, FSIM_EXIT_OK);
    fsim_assert_contains (r->out, "  Override    partners[phoneco].destinations[handset].location="
                                  "\"server\" (1 value)\n  Override    partners[kind:device*]."
                                  "destinations[*].jurisdiction=\"CN\" (1 value)\n");
    fsim_assert_contains (r->out, "  phoneco  reaches the same people, stored elsewhere  "
                                  "incomparable");
    fsim_assert_contains (r->out, "  (2 partners with no change left out; --all shows them)\n");
    g_assert_null (strstr (r->out, "  quiz  "));
    fsim_assert_contains (r->out, "  CN                 0      5                   0            "
                                  "      4\n");
    g_assert_null (strstr (r->out, "  GB  ")); /* unchanged */
    g_autoptr (FsimTestRun) all = FSIM_RUN (
        "diff", tour, "--all", "--set", "partners[phoneco].destinations[handset].location=server",
        "--set", "partners[phoneco].destinations[handset].jurisdiction=CN");
    fsim_assert_contains (all->out, "  quiz     no change ");
    fsim_assert_contains (all->out, "  GB                 3      3");
    g_autoptr (FsimTestRun) date =
        FSIM_RUN ("diff", tour, "--set", "date=2015-05-01", "--partner", "broker");
    g_assert_cmpint (date->status, ==, FSIM_EXIT_OK);
    fsim_assert_contains (date->out, "  Focus       partner broker\n");
    fsim_assert_contains (date->out, "  broker   reaches fewer people  less permissive");
    g_assert_null (strstr (date->out, "  quiz  "));
    g_autoptr (FsimTestRun) j =
        FSIM_RUN ("diff", tour, "--set", "date=2015-05-01", "--format", "json");
    g_autoptr (GHashTable) t = json_check_parse (j->out);
    g_assert_cmpstr (g_hash_table_lookup (t, "overrides[0].path"), ==, "date");
    g_assert_cmpstr (g_hash_table_lookup (t, "overrides[0].value"), ==, "\"2015-05-01\"");
    g_assert_cmpstr (g_hash_table_lookup (t, "partners[0].in_words"), ==, "reaches fewer people");
    g_assert_cmpstr (g_hash_table_lookup (t, "partners[2].in_words"), ==, "no change");
}

static void
test_diff_cli_set (void)
{
    g_autofree char *tour = fsim_test_source_path ("scenarios", "tour.json", NULL);
    g_autoptr (FsimTestRun) r =
        FSIM_RUN ("diff", tour, "--set", "date=2015-05-01", "--format", "json");
    g_assert_cmpint (r->status, ==, FSIM_EXIT_OK);
    g_autoptr (GHashTable) j = json_check_parse (r->out);
    g_assert_nonnull (j);
    g_assert_cmpstr (g_hash_table_lookup (j, "whatif.date"), ==, "2015-05-01");
    g_assert_cmpstr (g_hash_table_lookup (j, "changed"), ==, "true");
    g_assert_cmpstr (g_hash_table_lookup (j, "partners[0].id"), ==, "quiz");
    g_assert_cmpstr (g_hash_table_lookup (j, "partners[0].verdict"), ==, "less_permissive");
    g_assert_cmpstr (g_hash_table_lookup (j, "partners[2].verdict"), ==, "equivalent");
    g_assert_cmpstr (g_hash_table_lookup (j, "decisions[0].change"), ==, "allowed_to_denied");
    g_assert_cmpstr (g_hash_table_lookup (j, "decisions[0].after.verdict"), ==, "api_inactive");
    g_assert_cmpstr (g_hash_table_lookup (j, "exposure.no_longer_exposed"), ==, "1");
    g_assert_cmpstr (g_hash_table_lookup (j, "exposure.no_longer_exposed_examples[0]"), ==,
                     "carol");
    /* without BASE, the bundled scenario with the overrides (as every command without SCENARIO);
     * without overrides either, nothing to compare */
    g_autoptr (FsimTestRun) bundled =
        FSIM_RUN ("diff", "--set", "partners[huawei].destinations[*].jurisdiction=CN", "--set",
                  "partners[huawei].destinations[*].location=server", "--partner", "huawei");
    g_assert_cmpint (bundled->status, ==, FSIM_EXIT_OK);
    fsim_assert_contains (bundled->out, "  Base        device-partners-2018 (");
    fsim_assert_contains (bundled->out, "  huawei   reaches the same people, stored elsewhere");
    g_autoptr (FsimTestRun) nothing = FSIM_RUN ("diff");
    g_assert_cmpint (nothing->status, ==, FSIM_EXIT_USAGE);
    fsim_assert_contains (nothing->err, "give a WHATIF scenario, or --set or --claim overrides");
}

/* flowsim @args under `ulimit -v @mib` MiB: its wait status, its stderr in *@err. */
static int
run_capped (unsigned mib, const char *const *args, char **err)
{
    g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
    g_ptr_array_add (argv, g_strdup ("/bin/sh"));
    g_ptr_array_add (argv, g_strdup ("-c"));
    g_ptr_array_add (argv, g_strdup_printf ("ulimit -v %u && exec \"$0\" \"$@\"", mib * 1024));
    g_ptr_array_add (argv, g_strdup (g_getenv ("FLOWSIM")));
    for (size_t i = 0; args[i]; i++)
        g_ptr_array_add (argv, g_strdup (args[i]));
    g_ptr_array_add (argv, NULL);
    int wait = 0;
    g_autoptr (GError) error = NULL;
    g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_STDOUT_TO_DEV_NULL,
                                 NULL, NULL, NULL, err, &wait, &error));
    g_assert_no_error (error);
    return wait;
}

/* Eighth pass: under `ulimit -v` of 85 to 120 MiB, diff on a bundled scenario died of SIGSEGV
 * (exit 139): the base loaded on a second thread, whose glibc arena reserved 64 MiB of the cap,
 * and a small allocation of the loader's failed there, inside GLib's own out-of-memory message.
 * Under a cap both sides now load one after the other: from the smallest cap that `lint` runs
 * under (the libraries and GLib's start; about 75 MiB here) to 80 MiB above it, each ends in a
 * result or an error, never a signal. */
static void
test_diff_capped (void)
{
#ifdef UNDER_ASAN
    g_test_skip ("AddressSanitizer reserves more address space than the cap");
    return;
#endif
    if (fsim_test_under_valgrind ()) {
        g_test_skip ("valgrind's address space is its own");
        return;
    }
    g_autofree char *tour = fsim_test_source_path ("scenarios", "tour.json", NULL);
    g_autofree char *scenario =
        fsim_test_source_path ("scenarios", "device-partners-2018.json", NULL);
    unsigned start = 40;
    for (;; start += 5) {
        g_assert_cmpuint (start, <, 1024);
        g_autofree char *err = NULL;
        int wait = run_capped (start, (const char *const[]){ "lint", tour, NULL }, &err);
        if (WIFEXITED (wait) && WEXITSTATUS (wait) == 0)
            break;
    }
    for (unsigned mib = start; mib <= start + 80; mib += 5) {
        g_autofree char *err = NULL;
        int wait = run_capped (
            mib, (const char *const[]){ "diff", scenario, "--set", "title=\"x\"", NULL }, &err);
        g_test_message ("%u MiB: wait status %d: %s", mib, wait, err);
        g_assert_true (WIFEXITED (wait));
        int status = WEXITSTATUS (wait);
        g_assert_true (status == 0 || status == FSIM_EXIT_INPUT || status == FSIM_EXIT_INTERNAL);
    }
}

static void
test_diff_cli_errors (void)
{
    g_autofree char *base = fsim_test_data_path ("diff", "base.json", NULL);
    g_autofree char *people = fsim_test_data_path ("diff", "people.json", NULL);
    g_autoptr (FsimTestRun) a = FSIM_RUN ("diff", base, people);
    g_assert_cmpint (a->status, ==, FSIM_EXIT_INPUT);
    fsim_assert_contains (a->err, "flowsim: error: the base has 4 users");
    g_autoptr (FsimTestRun) b = FSIM_RUN ("diff", base);
    g_assert_cmpint (b->status, ==, FSIM_EXIT_USAGE);
    g_autoptr (FsimTestRun) c = FSIM_RUN ("diff", base, base, base);
    g_assert_cmpint (c->status, ==, FSIM_EXIT_USAGE);
    g_autoptr (FsimTestRun) d = FSIM_RUN ("diff", base, "--set", "nonsense");
    g_assert_cmpint (d->status, ==, FSIM_EXIT_USAGE);
    g_autofree char *policy = fsim_test_source_path ("policies", "fields.json", NULL);
    g_autoptr (FsimTestRun) e = FSIM_RUN ("diff", base, policy);
    g_assert_cmpint (e->status, ==, FSIM_EXIT_INPUT);
    fsim_assert_contains (e->err, "fields.json: a policy file, not a scenario: it has no date "
                                  "and no population");
    /* both sides fail (they load at once): the base's error alone, as when it was loaded
     * first, whichever thread finishes first */
    g_autoptr (FsimTestRun) f = FSIM_RUN ("diff", "no-such-base.json", "no-such-whatif.json");
    g_assert_cmpint (f->status, ==, FSIM_EXIT_INPUT);
    fsim_assert_contains (f->err, "no-such-base.json");
    g_assert_null (strstr (f->err, "no-such-whatif.json"));
    g_autoptr (FsimTestRun) g = FSIM_RUN ("diff", base, "no-such-whatif.json");
    g_assert_cmpint (g->status, ==, FSIM_EXIT_INPUT);
    fsim_assert_contains (g->err, "no-such-whatif.json");
}

/* ---- bounded at the limits (issue 11) and focused (issue 15) ---------------------------- */

/* A model from tests/worst-case.h, written to @dir, and a diff of it against itself on another
 * date. */
static char *
write_worst (const char *dir, const FsimWorstCase *w)
{
    g_autofree char *text = fsim_worst_case_json (w);
    return fsim_test_write (dir, "worst.json", text, -1);
}

/* As pair_dates(), with both populations (and so the diff) on @threads threads (0: default). */
static void
pair_threads (Pair *p, const char *path, const char *whatif_date, const FsimFocus *focus,
              unsigned threads)
{
    g_autoptr (GError) error = NULL;
    const char *const sets[] = { whatif_date, NULL };
    p->base = fsim_test_load (path, NULL);
    p->whatif = fsim_test_load (path, sets);
    p->base_pop = fsim_population_build_threads (p->base, threads, &error);
    g_assert_no_error (error);
    g_autofree char *note = NULL;
    p->whatif_pop = fsim_diff_population (
        p->base, p->base_pop, p->whatif, fsim_population_build_threads (p->whatif, threads, &error),
        &note, &error);
    g_assert_no_error (error);
    p->diff = fsim_diff_new_focused (p->base, p->base_pop, p->whatif, p->whatif_pop, note, focus,
                                     NULL, NULL, &error);
    g_assert_no_error (error);
}

static void
pair_dates (Pair *p, const char *path, const char *whatif_date, const FsimFocus *focus)
{
    pair_threads (p, path, whatif_date, focus, 0);
}

/* Every count of a diff (traced 64 users at a time) against the engine's own run of each side,
 * on a model with shares in a ring, many partners and jurisdictions, and a focus. */
static void
check_against_engine (const Pair *p, const FsimFocus *focus)
{
    const FsimScenario *s[2] = { p->base, p->whatif };
    const FsimPopulation *pop[2] = { p->base_pop, p->whatif_pop };
    const FsimDiff *d = p->diff;
    for (int k = 0; k < 2; k++) {
        g_autoptr (GError) error = NULL;
        g_autoptr (FsimDecisions) dec = fsim_decisions_new (s[k], s[k]->date);
        g_autoptr (FsimResult) r =
            fsim_engine_run_focused (s[k], pop[k], dec, focus, 1, NULL, NULL, &error);
        g_assert_no_error (error);
        size_t np = s[k]->n_partners, rows = 0;
        g_assert_cmpuint (k ? d->exposed_after : d->exposed_before, ==, r->users_reached);
        for (guint i = 0; i < d->flows->len; i++) {
            const FsimDiffFlow *f = &g_array_index (d->flows, FsimDiffFlow, i);
            gssize fi = fsim_scenario_find_field (s[k], f->field);
            gssize pi = fsim_scenario_find_partner (s[k], f->partner);
            size_t want = r->fp_users[(size_t) fi * np + (size_t) pi];
            if (!fsim_diff_focus_flow (d, focus, f))
                continue;
            g_assert_cmpuint (k ? f->after : f->before, ==, want);
            rows += want > 0;
        }
        g_assert_cmpuint (rows, >, 10); /* the model reaches someone */
        for (size_t pi = 0; pi < np; pi++)
            g_assert_cmpuint (k ? partner (d, s[k]->partners[pi].id)->people_after
                                : partner (d, s[k]->partners[pi].id)->people_before,
                              ==, r->partner_reached[pi]);
        for (size_t j = 0; j < r->n_jurisdictions; j++) {
            const FsimDiffJurisdiction *x = jurisdiction (d, r->jurisdictions[j]);
            g_assert_cmpuint (k ? x->after : x->before, ==, r->jurisdiction_users[j]);
            g_assert_cmpuint (k ? x->after_no_consent : x->before_no_consent, ==,
                              r->jurisdiction_no_consent[j]);
        }
    }
}

static void
test_diff_lanes_engine (void)
{
    g_autofree char *dir = fsim_test_scratch_new ();
    const FsimWorstCase w = {
        .partners = 70, .apis = 2, .scopes_per_api = 40, .fields = 24, .rules = 40, .users = 300
    };
    g_autofree char *path = write_worst (dir, &w);
    g_auto (Pair) all = { 0 };
    pair_dates (&all, path, "population.settings.platform_off=0.5", NULL);
    g_assert_cmpuint (all.diff->newly_exposed + all.diff->no_longer_exposed, >, 0);
    check_against_engine (&all, NULL);
    /* a focus: p1 and the partners whose id starts p1, in IE (p1's country) */
    g_auto (FsimFocus) focus = { .partners = fsim_scenario_select_partners (all.whatif, "p1*"),
                                 .jurisdiction = g_strdup ("IE") };
    g_auto (Pair) some = { 0 };
    pair_dates (&some, path, "population.settings.platform_off=0.5", &focus);
    check_against_engine (&some, &focus);
    g_assert_cmpuint (jurisdiction (all.diff, "US")->before, >, 0);
    g_assert_cmpuint (jurisdiction (some.diff, "US")->before, ==, 0);
    g_assert_cmpuint (jurisdiction (some.diff, "IE")->before, ==,
                      jurisdiction (all.diff, "IE")->before);
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

/* The same diff, byte for byte in every format, on 1, 2 and 4 threads: its groups of 64 users
 * are shared out among workers, whose counts and first examples are merged. */
static void
test_diff_threads (void)
{
    g_autofree char *dir = fsim_test_scratch_new ();
    const FsimWorstCase w = {
        .partners = 40, .apis = 2, .scopes_per_api = 20, .fields = 16, .rules = 40, .users = 3000
    };
    g_autofree char *path = write_worst (dir, &w);
    static const unsigned threads[] = { 1, 2, 4 };
    /* fewer users off the platform: 85 newly exposed, one or two a group; more: 1,246 no longer */
    static const char *const sets[] = { "population.settings.platform_off=0.02",
                                        "population.settings.platform_off=0.5" };
    static const char *const want[] = {
        "  newly exposed: 85: u84, u156, u161, u211, u258, u263, u277, u334, u381, u390 and 75 "
        "more\n",
        "  no longer exposed: 1,246: u5, u9, u12, u13, u17, u20, u21, u25, u27, u31 and 1,236 "
        "more\n"
    };
    for (size_t k = 0; k < G_N_ELEMENTS (sets); k++) {
        g_autofree char *first = NULL;
        for (size_t i = 0; i < G_N_ELEMENTS (threads); i++) {
            g_auto (Pair) p = { 0 };
            pair_threads (&p, path, sets[k], NULL, threads[i]);
            g_assert_cmpuint (p.base_pop->n_threads, ==, threads[i]);
            g_autoptr (GString) out = g_string_new (NULL);
            fsim_diff_render_text_full (p.diff, TRUE, NULL, out);
            fsim_diff_render_json (p.diff, out);
            g_assert_true (fsim_diff_write_dot (p.diff, NULL, out, NULL));
            if (i == 0)
                first = g_strdup (out->str);
            else
                g_assert_cmpstr (out->str, ==, first);
        }
        fsim_assert_contains (first, want[k]);
    }
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

/* 200 partners x 4096 scopes: more changed decisions than are listed, all counted. */
static void
test_diff_decisions_cap (void)
{
    g_autofree char *dir = fsim_test_scratch_new ();
    const FsimWorstCase w = {
        .partners = 200, .apis = 1, .scopes_per_api = 4096, .fields = 16, .rules = 128, .users = 20
    };
    g_autofree char *path = write_worst (dir, &w);
    g_auto (Pair) p = { 0 };
    pair_dates (&p, path, "date=2010-03-01", NULL);
    check_room (p.diff);
    g_autoptr (FsimDecisions) db = fsim_decisions_new (p.base, p.base->date);
    g_autoptr (FsimDecisions) dw = fsim_decisions_new (p.whatif, p.whatif->date);
    size_t changed = 0;
    for (size_t pi = 0; pi < p.base->n_partners; pi++)
        for (size_t sc = 0; sc < 4096; sc++) {
            const FsimDecision *b = fsim_decisions_get (db, pi, 0, sc);
            const FsimDecision *a = fsim_decisions_get (dw, pi, 0, sc);
            changed += b->verdict != a->verdict || b->rule != a->rule;
        }
    g_assert_cmpuint (changed, >, FSIM_DIFF_MAX_LISTED);
    g_assert_cmpuint (p.diff->decisions_changed, ==, changed);
    g_assert_cmpuint (p.diff->decisions->len, ==, FSIM_DIFF_MAX_LISTED);
    /* 200 x 16 pairs: the verdict for any user is worked out */
    g_assert_cmpuint (p.diff->any_pairs, ==, 3200);
    g_assert_cmpint (partner (p.diff, "p0")->verdict_any, !=, FSIM_DIFF_NOT_ANALYSED);
    /* --field: the decisions are not focused by field, and possible.h has less to do */
    g_autoptr (FsimTestRun) r =
        FSIM_RUN ("diff", path, "--set", "date=2010-03-01", "--field", "g0.f0");
    g_assert_cmpint (r->status, ==, FSIM_EXIT_OK);
    /* fsim_fmt_count's separators: under a million */
    g_autofree char *n = g_strdup_printf ("%zu", changed - FSIM_DIFF_MAX_LISTED);
    g_autofree char *sep =
        strlen (n) > 3 ? g_strdup_printf ("%.*s,%s", (int) strlen (n) - 3, n, n + strlen (n) - 3)
                       : g_strdup (n);
    g_autofree char *want = g_strdup_printf ("  (%s more changed decisions not listed: at most "
                                             "65,536 are; --partner or --field chooses fewer)\n",
                                             sep);
    fsim_assert_contains (r->out, want);
    g_autoptr (FsimTestRun) j =
        FSIM_RUN ("diff", path, "--set", "date=2010-03-01", "--field", "g0.f0", "--format", "json");
    g_autofree char *total = g_strdup_printf ("\"decisions_changed\": %zu,", changed);
    g_autofree char *rest =
        g_strdup_printf ("\"decisions_not_listed\": %zu,", changed - FSIM_DIFF_MAX_LISTED);
    fsim_assert_contains (j->out, total);
    fsim_assert_contains (j->out, rest);
    /* 65,536 listed: one "change" key each */
    /* one pass (strstr() in a loop is quadratic under ASan, which measures the rest of the
     * string at every call: six minutes on this 30 MB report) */
    size_t listed = 0;
    static const char key[] = "\"change\": ";
    for (const char *c = j->out; *c; c++)
        listed += *c == '"' && strncmp (c, key, sizeof key - 1) == 0;
    g_assert_cmpuint (listed, ==, FSIM_DIFF_MAX_LISTED);
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

/* 4096 partners x 24 fields: 98,304 rows changed, more than are listed, all counted; only the
 * rows listed are kept as FsimDiffFlow rows (issue 11). */
static void
test_diff_flows_cap (void)
{
    g_autofree char *dir = fsim_test_scratch_new ();
    const FsimWorstCase w = {
        .partners = 4096, .apis = 1, .scopes_per_api = 24, .fields = 24, .rules = 4, .users = 130
    };
    g_autofree char *path = write_worst (dir, &w);
    g_auto (Pair) p = { 0 };
    pair_dates (&p, path, "population.settings.platform_off=0.5", NULL);
    const FsimDiff *d = p.diff;
    check_room (d);
    g_assert_cmpuint (d->flows_total, ==, 4096 * 24);
    g_assert_cmpuint (d->flows_changed, ==, 4096 * 24);
    g_assert_cmpuint (d->flows_kept, ==, 0);
    g_assert_cmpuint (d->flows->len, ==, FSIM_DIFF_MAX_LISTED);
    g_autoptr (GString) text = g_string_new (NULL);
    fsim_diff_render_text (d, text);
    fsim_assert_contains (text->str, "  g0.f0    p0       d            server, US     127     69"
                                     "       0    58\n");
    fsim_assert_contains (text->str, "  (32,768 more changed flow rows not listed: at most 65,536 "
                                     "are; --partner or --field chooses fewer)\n");
    g_autoptr (GString) json = g_string_new (NULL);
    fsim_diff_render_json (d, json);
    fsim_assert_contains (json->str, "\"flows_not_listed\": 32768");
    /* the diagram draws 16 partners with every row listed of theirs, and says so; the rows are
     * listed field by field, so 16 of the 24 fields of each (65,536 = 16 x 4,096) */
    g_autoptr (GString) dot = g_string_new (NULL);
    g_assert_true (fsim_diff_write_dot (d, NULL, dot, NULL));
    fsim_assert_contains (dot->str, "\\n98,048 more flow rows not drawn: at most 16 partners are, "
                                    "the changed ones first\\n(the text and JSON list more; "
                                    "--partner or --field chooses fewer)\"");
    g_auto (GStrv) lines = g_strsplit (dot->str, "\n", -1);
    size_t destinations = 0, partners = 0; /* node lines: "dest:p0/d@US" [...] */
    for (size_t i = 0; lines[i]; i++) {
        const char *line = g_strchug (lines[i]);
        destinations += g_str_has_prefix (line, "\"dest:") && !strstr (line, "->");
        partners += g_str_has_prefix (line, "\"partner:") && !strstr (line, "->");
    }
    g_assert_cmpuint (destinations, ==, 16);
    g_assert_cmpuint (partners, ==, 16);
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

/* More pairs than possible.h is asked about: "not analysed", said in words, not a change. */
static void
test_diff_any_not_analysed (void)
{
    g_autofree char *dir = fsim_test_scratch_new ();
    const FsimWorstCase w = {
        .partners = 300, .apis = 1, .scopes_per_api = 8, .fields = 300, .rules = 4, .users = 1100
    };
    g_autofree char *path = write_worst (dir, &w);
    g_autoptr (FsimTestRun) r = FSIM_RUN ("diff", path, "--set", "seed=1");
    g_assert_cmpint (r->status, ==, FSIM_EXIT_OK);
    fsim_assert_contains (r->out, "  (\"For any user\" is not analysed: 90,000 (field, partner) "
                                  "pairs, over 65,536; --partner or --field chooses fewer)\n");
    fsim_assert_contains (r->out, "No difference: the what-if is equivalent to the base.");
    fsim_assert_contains (r->out, "  Population  1,100 users, ");
    fsim_assert_contains (r->out, "Users with at least one field reaching a partner: 1,");
    g_autoptr (FsimTestRun) f =
        FSIM_RUN ("diff", path, "--set", "seed=1", "--partner", "p1*", "--format", "json");
    g_autoptr (GHashTable) t = json_check_parse (f->out);
    g_assert_cmpstr (g_hash_table_lookup (t, "partners[0].id"), ==, "p1");
    g_assert_cmpstr (g_hash_table_lookup (t, "partners[0].verdict_any_population"), ==,
                     "equivalent");
    g_autoptr (FsimTestRun) a = FSIM_RUN ("diff", path, "--set", "seed=1", "--format", "json");
    g_autoptr (GHashTable) u = json_check_parse (a->out);
    g_assert_cmpstr (g_hash_table_lookup (u, "partners[0].verdict_any_population"), ==,
                     "not_analysed");
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

/* The exposure line, with thousands separators, and the diagram follow the focus. */
static void
test_diff_cli_focus (void)
{
    g_autofree char *tour = fsim_test_source_path ("scenarios", "tour.json", NULL);
    g_autoptr (FsimTestRun) all = FSIM_RUN ("diff", tour, "--set", "date=2015-05-01");
    fsim_assert_contains (all->out, "Users with at least one field reaching a partner: 6 before, "
                                    "5 after\n");
    g_autoptr (FsimTestRun) r =
        FSIM_RUN ("diff", tour, "--set", "date=2015-05-01", "--partner", "broker");
    fsim_assert_contains (r->out, "Users with at least one field reaching a partner (in focus): "
                                  "3 before, 0 after\n  newly exposed: 0\n  no longer exposed: 3: "
                                  "alice, bob, carol\n");
    g_autoptr (FsimTestRun) dot = FSIM_RUN ("diff", tour, "--set", "date=2015-05-01", "--partner",
                                            "broker", "--format", "dot");
    g_assert_cmpint (dot->status, ==, FSIM_EXIT_OK);
    fsim_assert_contains (dot->out, "focus: partner broker");
    fsim_assert_contains (dot->out, "6 users: 0 newly exposed, 3 no longer");
    g_assert_null (strstr (dot->out, "quiz"));
    g_autoptr (FsimTestRun) whole =
        FSIM_RUN ("diff", tour, "--set", "date=2015-05-01", "--format", "dot");
    fsim_assert_contains (whole->out, "quiz");
}

/* A destination moved (Huawei's copies from the handset to servers in China): the partner keeps
 * every field it had, so the fields' edges to it are kept (grey), once per field group, and
 * only its edges to the two places show what moved: lost to the handset, gained in China.
 * They were drawn as a lost and a gained edge each, as if Huawei had lost the data. */
static void
test_diff_diagram_moved (void)
{
    g_autofree char *base = fsim_test_source_path ("scenarios", "device-partners-2018.json", NULL);
    g_autofree char *moved =
        fsim_test_source_path ("scenarios", "device-partners-2018-huawei-servers.json", NULL);
    g_autoptr (FsimTestRun) r = FSIM_RUN ("diff", base, moved, "--format", "dot");
    g_assert_cmpint (r->status, ==, FSIM_EXIT_OK);
    g_auto (GStrv) lines = g_strsplit (r->out, "\n", -1);
    size_t to_partner = 0;
    for (char **l = lines; *l; l++)
        if (strstr (*l, "-> \"partner:huawei\"")) {
            fsim_assert_contains (*l, "[color=\"#969696\", fontcolor=\"#969696\", style=solid");
            to_partner++;
        }
    g_assert_cmpuint (to_partner, ==, 5); /* identity, profile, contact, messages, social */
    fsim_assert_contains (r->out, "\"partner:huawei\" -> \"dest:huawei/handset@device\" "
                                  "[color=\"#d73027\", fontcolor=\"#d73027\", style=dashed, "
                                  "penwidth=8, label=\"-10,000\"];\n");
    fsim_assert_contains (r->out, "\"partner:huawei\" -> \"dest:huawei/handset@CN\" "
                                  "[color=\"#1a9850\", fontcolor=\"#1a9850\", style=solid, "
                                  "penwidth=8, label=\"+10,000\"];\n");
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    g_test_add_func ("/diff/one-rule", test_diff_one_rule);
    g_test_add_func ("/diff/equivalent", test_diff_equivalent);
    g_test_add_func ("/diff/more-permissive", test_diff_more_permissive);
    g_test_add_func ("/diff/incomparable", test_diff_incomparable);
    g_test_add_func ("/diff/population/settings", test_diff_settings);
    g_test_add_func ("/diff/population/people", test_diff_people);
    g_test_add_func ("/diff/population/new-partner", test_diff_new_partner);
    g_test_add_func ("/diff/cli/text", test_diff_cli_text);
    g_test_add_func ("/diff/cli/set", test_diff_cli_set);
    g_test_add_func ("/diff/cli/words", test_diff_cli_words);
    g_test_add_func ("/diff/cli/errors", test_diff_cli_errors);
    g_test_add_func ("/diff/cli/capped", test_diff_capped);
    g_test_add_func ("/diff/cli/focus", test_diff_cli_focus);
    g_test_add_func ("/diff/diagram/moved", test_diff_diagram_moved);
    g_test_add_func ("/diff/lanes/engine", test_diff_lanes_engine);
    g_test_add_func ("/diff/lanes/threads", test_diff_threads);
    g_test_add_func ("/diff/limits/decisions", test_diff_decisions_cap);
    g_test_add_func ("/diff/limits/flows", test_diff_flows_cap);
    g_test_add_func ("/diff/limits/any-population", test_diff_any_not_analysed);
    return g_test_run ();
}
