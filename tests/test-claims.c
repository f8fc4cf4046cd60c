/* SPDX-License-Identifier: MIT */
/* test-claims.c: competing claims: loading, choosing (choices, --claim), reports, the effect table. */
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <glib.h>
#include <glib/gstdio.h>

#include "claims-report.h"
#include "lint.h"
#include "loader.h"
#include "room.h"
#include "run-util.h"
#include "sim-claims.h"
#include "sim.h"
#include "test-util.h"

/*
 * tests/data/claims/phones.json, counted by hand: alice uses phone-a and has two friends (bob,
 * carol); dave uses phone-b and has one friend (erin); frank uses phone-c alone. Every field's
 * audience is "friends", and the device API gives the user's and the friends' data. So on
 * 2018-06-01, as in force: phone-a reaches 3 (2 without consent), phone-b 2 (1), phone-c 1 (0).
 * Claim a-end = maker ends phone-a's rule on 2017-09-01: phone-a reaches 0. Claim b-friends =
 * self-only narrows phone-b's requests to device_self: phone-b reaches dave only, 1 (0).
 * phone-c rests on no claim. The tests run in tests/data/claims.
 */

static FsimScenario *
load (const char *file, const char *const *sets)
{
    g_autoptr (GError) error = NULL;
    FsimScenario *s = fsim_loader_load (file, sets, &error);
    g_assert_no_error (error);
    g_assert_nonnull (s);
    return s;
}

static FsimDay
rule_until (const FsimScenario *s, const char *rule)
{
    gssize r = fsim_scenario_find_rule (s, rule);
    g_assert_cmpint (r, >=, 0);
    return s->rules[r].window.until;
}

static FsimDay
day (const char *text)
{
    FsimDay d = 0;
    g_assert_true (fsim_day_parse (text, &d));
    return d;
}

static void
test_claims_load_default (void)
{
    g_autoptr (FsimScenario) s = load ("phones.json", NULL);
    g_assert_cmpuint (s->n_claims, ==, 2);
    const FsimClaim *a = &s->claims[0];
    g_assert_cmpstr (a->id, ==, "a-end");
    g_assert_cmpstr (a->question, ==, "When did phone-a's access end?");
    g_assert_cmpuint (a->n_alternatives, ==, 2);
    g_assert_cmpuint (a->default_alternative, ==, 0);
    g_assert_cmpuint (a->chosen, ==, 0);
    const FsimAlternative *platform = &a->alternatives[0];
    g_assert_cmpstr (platform->id, ==, "platform");
    g_assert_cmpint (platform->evidence, ==, FSIM_EVIDENCE_STATED);
    g_assert_cmpstr (platform->party, ==, "the platform");
    g_assert_cmpuint (platform->sources.n, ==, 1);
    g_assert_cmpstr (platform->sources.items[0].read_at, ==, "https://archive.example/answers");
    /* the path of the alternative in force is still listed after its value moved */
    g_assert_cmpstr (platform->set_paths[0], ==, "rules[a-allowed].until");
    g_assert_null (platform->set_paths[1]);
    g_assert_cmpstr (a->alternatives[1].set_paths[0], ==, "rules[a-allowed].until");
    const FsimClaim *b = &s->claims[1];
    g_assert_cmpint (b->alternatives[1].evidence, ==, FSIM_EVIDENCE_ASSUMED);
    g_assert_null (b->alternatives[1].party);
    g_assert_cmpuint (b->alternatives[1].sources.n, ==, 0);
    g_assert_cmpint (rule_until (s, "a-allowed"), ==, day ("2018-11-01"));
    g_assert_cmpint (fsim_scenario_find_claim (s, "b-friends"), ==, 1);
    g_assert_cmpint (fsim_claim_find_alternative (b, "self-only"), ==, 1);
}

/* maker.json extends phones.json with "choices": {"a-end": "maker"} */
static void
test_claims_load_choices (void)
{
    g_autoptr (FsimScenario) s = load ("maker.json", NULL);
    g_assert_cmpuint (s->claims[0].chosen, ==, 1);
    g_assert_cmpuint (s->claims[0].default_alternative, ==, 0);
    g_assert_cmpuint (s->claims[1].chosen, ==, 0);
    g_assert_cmpint (rule_until (s, "a-allowed"), ==, day ("2017-09-01"));
    /* --claim (choices.CLAIM=ALT) overrides the file's choice */
    const char *const back[] = { "choices.a-end=platform", NULL };
    g_autoptr (FsimScenario) t = load ("maker.json", back);
    g_assert_cmpuint (t->claims[0].chosen, ==, 0);
    g_assert_cmpint (rule_until (t, "a-allowed"), ==, day ("2018-11-01"));
}

/* After merging: choices, the claims' sets, the files' set, then --set. */
static void
test_claims_load_order (void)
{
    /* --set wins over the alternative in force, whatever the order on the command line */
    const char *const sets[] = { "rules[a-allowed].until=2016-01-01", "choices.a-end=maker", NULL };
    g_autoptr (FsimScenario) s = load ("phones.json", sets);
    g_assert_cmpuint (s->claims[0].chosen, ==, 1);
    g_assert_cmpint (rule_until (s, "a-allowed"), ==, day ("2016-01-01"));
    /* a scenario's own set wins over the claims too, and a set may choose */
    g_autoptr (GError) error = NULL;
    const char *text = "{\"scenario\": \"x\", \"extends\": \"maker.json\", \"set\": "
                       "{\"rules[a-allowed].until\": \"2015-01-01\", \"choices.b-friends\": "
                       "\"self-only\"}}";
    g_autoptr (FsimScenario) t = fsim_loader_load_string ("x.json", text, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (rule_until (t, "a-allowed"), ==, day ("2015-01-01"));
    g_assert_cmpuint (t->claims[0].chosen, ==, 1);
    g_assert_cmpuint (t->claims[1].chosen, ==, 1);
    gssize b = fsim_scenario_find_partner (t, "phone-b");
    g_assert_cmpstr (t->partners[b].requests[0], ==, "device_self");
    g_assert_null (t->partners[b].requests[1]);
}

static void
test_claims_load_set_forms (void)
{
    /* a set array applies its entries in order, those under choices before the claims; a
     * selector reaches every element it picks; the claims' alternatives are no overrides */
    g_autoptr (GError) error = NULL;
    const char *text = "{\"scenario\": \"x\", \"extends\": \"phones.json\", \"set\": ["
                       "{\"partners[kind:device_*].name\": \"X\"}, {\"choices.a-end\": \"maker\"}, "
                       "{\"partners[phone-a].name\": \"Y\"}]}";
    g_autoptr (FsimScenario) s = fsim_loader_load_string ("x.json", text, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (s->claims[0].chosen, ==, 1);
    g_assert_cmpint (rule_until (s, "a-allowed"), ==, day ("2017-09-01"));
    g_assert_cmpstr (s->partners[fsim_scenario_find_partner (s, "phone-a")].name, ==, "Y");
    g_assert_cmpstr (s->partners[fsim_scenario_find_partner (s, "phone-c")].name, ==, "X");
    g_assert_cmpuint (s->n_overrides, ==, 3);
    g_assert_cmpstr (s->overrides[0].path, ==, "choices.a-end");
    g_assert_cmpstr (s->overrides[1].path, ==, "partners[kind:device_*].name");
    g_assert_cmpuint (s->overrides[1].changed, ==, 3);
    g_assert_cmpstr (s->overrides[2].path, ==, "partners[phone-a].name");
    /* as an object: in byte order of the paths, choices first all the same */
    const char *obj = "{\"scenario\": \"x\", \"extends\": \"phones.json\", \"set\": {"
                      "\"rules[a-allowed].until\": \"2015-01-01\", \"choices.a-end\": \"maker\", "
                      "\"date\": \"2018-07-01\"}}";
    g_autoptr (FsimScenario) t = fsim_loader_load_string ("y.json", obj, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (t->claims[0].chosen, ==, 1);
    g_assert_cmpint (rule_until (t, "a-allowed"), ==, day ("2015-01-01"));
    g_assert_cmpuint (t->n_overrides, ==, 3);
    g_assert_cmpstr (t->overrides[0].path, ==, "choices.a-end");
    g_assert_cmpstr (t->overrides[1].path, ==, "date");
    g_assert_cmpstr (t->overrides[2].path, ==, "rules[a-allowed].until");
}

typedef struct {
    const char *name;
    const char *text;
    FsimLoaderError code;
    const char *where;
    const char *what[3];
} ErrorCase;

#define E(code) FSIM_LOADER_ERROR_##code

static const ErrorCase cases[] = {
    { "choice-unknown-claim",
      .text = "{\"scenario\": \"x\", \"extends\": \"phones.json\", \"choices\": {\"a-edn\": "
              "\"maker\"}}",
      .code = E (REFERENCE), .where = "choice-unknown-claim.json:1:57: ",
      .what = { "choices.a-edn: unknown claim 'a-edn'; did you mean 'a-end'?" } },
    { "choice-unknown-alternative",
      .text =
          "{\"scenario\": \"x\", \"extends\": \"phones.json\", \"choices\": {\"a-end\": \"mker\"}}",
      .code = E (REFERENCE), .where = "choice-unknown-alternative.json:1:66: ",
      .what = { "choices.a-end: unknown alternative 'mker' of claim 'a-end'; did you mean "
                "'maker'?" } },
    { "default-unknown",
      .text =
          "{\"scenario\": \"x\", \"extends\": \"phones.json\", \"claims\": [{\"id\": \"c\", \"ques"
          "tion\": \"q?\", \"default\": \"nope\", \"alternatives\": [{\"id\": \"a\", \"evidence\":"
          " \"assumed\", \"summary\": \"s\"}]}]}",
      .code = E (REFERENCE), .where = "default-unknown.json:1:97: ",
      .what = { "claims[0].default: unknown alternative 'nope' of claim 'c' (alternatives: "
                "'a')" } },
    { "stated-no-party",
      .text =
          "{\"scenario\": \"x\", \"extends\": \"phones.json\", \"claims\": [{\"id\": \"c\", \"ques"
          "tion\": \"q?\", \"default\": \"a\", \"alternatives\": [{\"id\": \"a\", \"evidence\": \""
          "stated\", \"summary\": \"s\"}]}]}",
      .code = E (SCHEMA), .where = "stated-no-party.json:1:119: ",
      .what = { "claims[0].alternatives[0]: missing required key 'party'",
                "names who stated it" } },
    { "evidence-typo",
      .text =
          "{\"scenario\": \"x\", \"extends\": \"phones.json\", \"claims\": [{\"id\": \"c\", \"ques"
          "tion\": \"q?\", \"default\": \"a\", \"alternatives\": [{\"id\": \"a\", \"evidence\": \""
          "testd\", \"summary\": \"s\"}]}]}",
      .code = E (VALUE), .where = "evidence-typo.json:1:143: ",
      .what = { "claims[0].alternatives[0].evidence: unknown evidence 'testd'; did you mean "
                "'tested'?" } },
    { "alternative-duplicate",
      .text =
          "{\"scenario\": \"x\", \"extends\": \"phones.json\", \"claims\": [{\"id\": \"c\", \"ques"
          "tion\": \"q?\", \"default\": \"a\", \"alternatives\": [{\"id\": \"a\", \"evidence\": \""
          "assumed\", \"summary\": \"s\"}, {\"id\": \"a\", \"evidence\": \"assumed\", \"summary\":"
          " \"t\"}]}]}",
      .code = E (REFERENCE), .where = "alternative-duplicate.json:1:178: ",
      .what = { "claims[0].alternatives[1].id: duplicate alternative id 'a' (first defined at "
                "1:119)" } },
    { "set-path-in-force",
      .text =
          "{\"scenario\": \"x\", \"extends\": \"phones.json\", \"claims\": [{\"id\": \"c\", \"ques"
          "tion\": \"q?\", \"default\": \"a\", \"alternatives\": [{\"id\": \"a\", \"evidence\": \""
          "assumed\", \"summary\": \"s\", \"set\": {\"rules[a-alowed].until\": "
          "\"2017-01-01\"}}]}]}",
      .code = E (SET), .where = "set-path-in-force.json:1:178: ",
      .what = { "set 'rules[a-alowed].until': no element 'a-alowed'; did you mean 'a-allowed'?" } },
    { "set-path-not-in-force",
      .text =
          "{\"scenario\": \"x\", \"extends\": \"phones.json\", \"claims\": [{\"id\": \"c\", \"ques"
          "tion\": \"q?\", \"default\": \"a\", \"alternatives\": [{\"id\": \"a\", \"evidence\": \""
          "assumed\", \"summary\": \"s\"}, {\"id\": \"b\", \"evidence\": \"assumed\", \"summary\":"
          " \"t\", \"set\": {\"rules[a-alowed].until\": \"2017-01-01\"}}]}]}",
      .code = E (SET), .where = "set-path-not-in-force.json:1:230: ",
      .what = { "set 'rules[a-alowed].until': no element 'a-alowed'; did you mean 'a-allowed'?" } },
    { "set-selector-not-in-force",
      .text =
          "{\"scenario\": \"x\", \"extends\": \"phones.json\", \"claims\": [{\"id\": \"c\", \"ques"
          "tion\": \"q?\", \"default\": \"a\", \"alternatives\": [{\"id\": \"a\", \"evidence\": \""
          "assumed\", \"summary\": \"s\"}, {\"id\": \"b\", \"evidence\": \"assumed\", \"summary\":"
          " \"t\", \"set\": {\"partners[tag:none].name\": \"n\"}}]}]}",
      .code = E (SET), .where = "set-selector-not-in-force.json:1:230: ",
      .what = { "set 'partners[tag:none].name': '[tag:none]' selects no element" } },
    { "set-claims",
      .text = "{\"scenario\": \"x\", \"extends\": \"phones.json\", \"set\": [{\"claims[a-end]."
              "default\": \"maker\"}]}",
      .code = E (SET), .where = "set-claims.json:1:",
      .what = { "set 'claims[a-end].default': claims cannot be set" } },
    { "set-choices",
      .text =
          "{\"scenario\": \"x\", \"extends\": \"phones.json\", \"claims\": [{\"id\": \"c\", \"ques"
          "tion\": \"q?\", \"default\": \"a\", \"alternatives\": [{\"id\": \"a\", \"evidence\": \""
          "assumed\", \"summary\": \"s\", \"set\": {\"choices.a-end\": \"maker\"}}]}]}",
      .code = E (SET), .where = "set-choices.json:1:178: ",
      .what = { "claims[0].alternatives[0].set: 'choices.a-end': an alternative sets the model, "
                "not the claims or the choices" } },
    { "claim-unknown-key",
      .text =
          "{\"scenario\": \"x\", \"extends\": \"phones.json\", \"claims\": [{\"id\": \"c\", \"ques"
          "tion\": \"q?\", \"default\": \"a\", \"questoin\": \"q\", \"alternatives\": [{\"id\": \""
          "a\", \"evidence\": \"assumed\", \"summary\": \"s\"}]}]}",
      .code = E (SCHEMA), .where = "claim-unknown-key.json:1:102: ",
      .what = { "claims[0].questoin: unknown key 'questoin'; did you mean 'question'?" } },
    { "set-value-invalid",
      .text =
          "{\"scenario\": \"x\", \"extends\": \"phones.json\", \"claims\": [{\"id\": \"c\", \"ques"
          "tion\": \"q?\", \"default\": \"a\", \"alternatives\": [{\"id\": \"a\", \"evidence\": \""
          "assumed\", \"summary\": \"s\", \"set\": {\"rules[a-allowed].until\": \"2017-02-30\"}}]}"
          "]}",
      .code = E (VALUE),
      .where = "set-value-invalid.json:1:204: ", .what = { "'2017-02-30' is not a valid date" } },
    { "no-alternatives",
      .text =
          "{\"scenario\": \"x\", \"extends\": \"phones.json\", \"claims\": [{\"id\": \"c\", \"ques"
          "tion\": \"q?\", \"default\": \"a\", \"alternatives\": []}]}",
      .code = E (SCHEMA), .where = "no-alternatives.json:1:118: ",
      .what = { "claims[0].alternatives: expected an array of 1 to 64 alternatives, got an empty "
                "one" } },
};

static void
test_claims_error (gconstpointer data)
{
    const ErrorCase *c = data;
    g_autofree char *file = g_strconcat (c->name, ".json", NULL);
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimScenario) s = fsim_loader_load_string (file, c->text, NULL, &error);
    g_assert_null (s);
    g_assert_nonnull (error);
    g_test_message ("%s", error->message);
    g_assert_error (error, FSIM_LOADER_ERROR, (int) c->code);
    g_assert_true (g_str_has_prefix (error->message, c->where));
    for (size_t i = 0; i < G_N_ELEMENTS (c->what) && c->what[i]; i++)
        fsim_assert_contains (error->message, c->what[i]);
}

/* What a load gives, as text: the rules, partners, claims and overrides, and lint's warnings
 * (each with its place). (transfer full) */
static char *
describe (const FsimScenario *s)
{
    GString *out = g_string_new (NULL);
    g_string_append_printf (out, "%s %zu fields %zu apis\n", s->date_string ? s->date_string : "",
                            s->n_fields, s->n_apis);
    for (size_t r = 0; r < s->n_rules; r++)
        g_string_append_printf (out, "rule %s %d %d-%d %s:%d:%d\n", s->rules[r].id,
                                s->rules[r].allow, (int) s->rules[r].window.from,
                                (int) s->rules[r].window.until, s->rules[r].loc.file,
                                s->rules[r].loc.line, s->rules[r].loc.col);
    for (size_t p = 0; p < s->n_partners; p++)
        g_string_append_printf (out, "partner %s %s %s:%d:%d\n", s->partners[p].id,
                                s->partners[p].name, s->partners[p].loc.file,
                                s->partners[p].loc.line, s->partners[p].loc.col);
    for (size_t c = 0; c < s->n_claims; c++) {
        const FsimClaim *claim = &s->claims[c];
        g_string_append_printf (out, "claim %s chosen %zu of %zu %s:%d\n", claim->id, claim->chosen,
                                claim->n_alternatives, claim->loc.file, claim->loc.line);
        for (size_t a = 0; a < claim->n_alternatives; a++) {
            g_autofree char *paths = g_strjoinv (",", claim->alternatives[a].set_paths);
            g_string_append_printf (out, "  %s %s %d\n", claim->alternatives[a].id, paths,
                                    claim->alternatives[a].loc.line);
        }
    }
    for (size_t o = 0; o < s->n_overrides; o++)
        g_string_append_printf (out, "override %s=%s %zu %zu\n", s->overrides[o].path,
                                s->overrides[o].value, s->overrides[o].changed,
                                s->overrides[o].unchanged);
    g_autoptr (GArray) warnings = fsim_lint_run (s, NULL);
    for (guint i = 0; warnings && i < warnings->len; i++) {
        const FsimLintWarning *w = &g_array_index (warnings, FsimLintWarning, i);
        g_string_append_printf (out, "%s:%d:%d: %s\n", w->loc.file, w->loc.line, w->loc.col,
                                w->message);
    }
    return g_string_free (out, FALSE);
}

/* @file with @sets, loaded from @base and by itself: the same scenario, or the same errors. */
static void
assert_base_load (FsimLoaderBase *base, const char *file, const char *const *sets)
{
    g_autoptr (GError) alone_error = NULL, base_error = NULL;
    g_autoptr (FsimScenario) alone = fsim_loader_load (file, sets, &alone_error);
    g_autoptr (FsimScenario) shared = fsim_loader_base_load (base, sets, &base_error);
    if (alone == NULL) {
        g_assert_nonnull (alone_error);
        g_assert_null (shared);
        g_assert_error (base_error, alone_error->domain, alone_error->code);
        g_assert_cmpstr (base_error->message, ==, alone_error->message);
        return;
    }
    g_assert_no_error (base_error);
    g_autofree char *want = describe (alone), *got = describe (shared);
    g_assert_cmpstr (got, ==, want);
}

/* fsim_loader_base_load() gives what fsim_loader_load() gives, for each alternative of each
 * claim chosen, for --set (under what it shares, the partners, and not), and for what does not
 * load; and it leaves the base as it was (the claims it shares: each load the same again). */
static void
test_claims_load_base (void)
{
    static const char *const files[] = { "phones.json", "bad-alternative.json", "lint-warns.json",
                                         "maker.json", "expect.json" };
    static const char *const extra[][3] = {
        { NULL },
        { "partners[phone-a].name=Z", NULL },
        { "partners[*].name=Z", "choices.a-end=maker", NULL },
        { "date=2016-02-30", NULL },
        { "claims[0].id=x", NULL },
        { "choices.no-such-claim=x", NULL },
        { "rules[a-allowed].until=2015-01-01", "fields.x=1", NULL },
    };
    for (size_t f = 0; f < G_N_ELEMENTS (files); f++) {
        g_autoptr (FsimLoaderBase) base = fsim_loader_base_new (files[f]);
        g_assert_nonnull (base);
        g_autoptr (FsimScenario) s = fsim_loader_load (files[f], NULL, NULL);
        for (size_t c = 0; s && c < s->n_claims; c++)
            for (size_t a = 0; a < s->claims[c].n_alternatives; a++) {
                g_autofree char *set = g_strdup_printf ("choices.%s=%s", s->claims[c].id,
                                                        s->claims[c].alternatives[a].id);
                const char *const sets[] = { set, NULL };
                assert_base_load (base, files[f], sets);
            }
        for (size_t k = 0; k < G_N_ELEMENTS (extra); k++)
            assert_base_load (base, files[f], extra[k]);
        assert_base_load (base, files[f], NULL);
    }
    /* a file that does not merge has no base (a load says why) */
    g_assert_null (fsim_loader_base_new ("no-such-file.json"));
}

/* 65 alternatives: over the limit of 64, refused before any is applied */
static void
test_claims_error_too_many_alternatives (void)
{
    g_autoptr (GString) text = g_string_new ("{\"scenario\": \"x\", \"extends\": \"phones.json\", "
                                             "\"claims\": [{\"id\": \"c\", \"question\": \"q?\", "
                                             "\"default\": \"a0\", \"alternatives\": [");
    for (int i = 0; i < 65; i++)
        g_string_append_printf (text,
                                "%s{\"id\": \"a%d\", \"evidence\": \"assumed\", "
                                "\"summary\": \"s\"}",
                                i ? ", " : "", i);
    g_string_append (text, "]}]}");
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimScenario) s = fsim_loader_load_string ("many.json", text->str, NULL, &error);
    g_assert_null (s);
    g_assert_error (error, FSIM_LOADER_ERROR, FSIM_LOADER_ERROR_LIMIT);
    g_assert_cmpstr (error->message, ==,
                     "many.json:1:119: claims[0].alternatives: 65 "
                     "alternatives, more than the limit of 64");
}

/* --claim on the command line: located like --set, but named after the claim */
static void
test_claims_cli_claim (void)
{
    g_autoptr (FsimTestRun) bad = FSIM_RUN ("run", "-q", "phones.json", "--claim", "a-end=makr");
    g_assert_cmpint (bad->status, ==, 3);
    fsim_assert_contains (bad->err, "--claim a-end:1:7: choices.a-end: unknown alternative "
                                    "'makr' of claim 'a-end'; did you mean 'maker'?");
    g_autoptr (FsimTestRun) unknown = FSIM_RUN ("report", "phones.json", "--claim", "a-ed=maker");
    g_assert_cmpint (unknown->status, ==, 3);
    fsim_assert_contains (unknown->err, "--claim a-ed:1:1: choices.a-ed: unknown claim 'a-ed'; "
                                        "did you mean 'a-end'?");
    g_autoptr (FsimTestRun) usage =
        FSIM_RUN ("explain", "phones.json", "--user", "alice", "--claim", "a-end");
    g_assert_cmpint (usage->status, ==, 2);
    fsim_assert_contains (usage->err, "--claim 'a-end' is not CLAIM=ALTERNATIVE");
    /* two alternatives of one claim: refused, not the last one silently in force; the same
     * one twice is harmless */
    g_autoptr (FsimTestRun) twice =
        FSIM_RUN ("run", "-q", "phones.json", "--claim", "a-end=maker", "--claim", "a-end=2017");
    g_assert_cmpint (twice->status, ==, 2);
    fsim_assert_contains (twice->err, "--claim 'a-end=maker' and --claim 'a-end=2017' choose "
                                      "two alternatives of one claim: choose one");
    g_autoptr (FsimTestRun) same =
        FSIM_RUN ("run", "-q", "phones.json", "--claim", "a-end=maker", "--claim", "a-end=maker");
    g_assert_cmpint (same->status, ==, 0);
    /* the claims were applied before any set: a set cannot change them afterwards */
    g_autoptr (FsimTestRun) set =
        FSIM_RUN ("run", "-q", "phones.json", "--set", "claims[a-end].default=maker");
    g_assert_cmpint (set->status, ==, 3);
    fsim_assert_contains (set->err, "--set claims[a-end].default:1:1: set "
                                    "'claims[a-end].default': claims cannot be set; choose an "
                                    "alternative with 'choices' or --claim CLAIM=ALTERNATIVE");
    /* an id that reads as JSON is still an id */
    g_autoptr (FsimTestRun) number = FSIM_RUN ("run", "-q", "phones.json", "--claim", "a-end=2017");
    g_assert_cmpint (number->status, ==, 3);
    fsim_assert_contains (number->err, "unknown alternative '2017' of claim 'a-end'");
}

/* Users reached by partner @id in a run's JSON report. */
static guint64
json_reached (const char *json, const char *id)
{
    g_autofree char *key = g_strdup_printf ("\"id\": \"%s\",", id);
    const char *p = strstr (json, key);
    g_assert_nonnull (p);
    p = strstr (p, "\"users_reached\": ");
    g_assert_nonnull (p);
    return g_ascii_strtoull (p + strlen ("\"users_reached\": "), NULL, 10);
}

/* The bundled model: Apple's access after September 2017 is a claim, Facebook's answer the
 * default; Apple's statement leaves Apple nobody on the default scenario's date. */
static void
test_claims_bundled_apple (void)
{
    g_autofree char *path = fsim_test_source_path ("scenarios", "device-partners-2018.json", NULL);
    const char *const small[] = { "population.users=2000", NULL };
    g_autoptr (FsimScenario) s = load (path, small);
    gssize c = fsim_scenario_find_claim (s, "apple-access");
    g_assert_cmpint (c, >=, 0);
    const FsimClaim *claim = &s->claims[c];
    g_assert_cmpstr (claim->alternatives[claim->default_alternative].id, ==, "facebook-2018-06");
    g_assert_cmpuint (claim->chosen, ==, claim->default_alternative);
    gssize apple = fsim_claim_find_alternative (claim, "apple-2017-09");
    g_assert_cmpint (apple, >=, 0);
    g_assert_cmpstr (claim->alternatives[claim->default_alternative].party, ==, "Facebook");
    g_assert_cmpstr (claim->alternatives[apple].party, ==, "Apple");
    g_assert_cmpuint (claim->alternatives[apple].sources.n, >, 0);
    g_assert_nonnull (claim->alternatives[apple].sources.items[0].publisher);
    g_autoptr (FsimTestRun) fb =
        FSIM_RUN ("run", "-q", "-f", "json", path, "--set", "population.users=2000");
    g_autoptr (FsimTestRun) ap =
        FSIM_RUN ("run", "-q", "-f", "json", path, "--set", "population.users=2000", "--claim",
                  "apple-access=apple-2017-09");
    g_assert_cmpint (fb->status, ==, 0);
    g_assert_cmpint (ap->status, ==, 0);
    g_assert_cmpuint (json_reached (fb->out, "apple"), >, 1000);
    g_assert_cmpuint (json_reached (ap->out, "apple"), ==, 0);
    /* the other partners do not rest on this claim */
    g_assert_cmpuint (json_reached (fb->out, "samsung"), ==, json_reached (ap->out, "samsung"));
    fsim_assert_contains (ap->out, "\"in_force\": \"apple-2017-09\",\n"
                                   "      \"default\": \"facebook-2018-06\",\n"
                                   "      \"is_default\": false,");
}

/* Rendering into the room its estimate made (room.h) never grows the text: a render that does
 * not fit moves the buffer or outgrows it. */
#define ASSERT_FITS(room, render)                                                                  \
    do {                                                                                           \
        g_autoptr (GString) out_ = g_string_new ("kept");                                          \
        g_autoptr (GError) error_ = NULL;                                                          \
        guint64 room_ = (room);                                                                    \
        g_assert_true (fsim_room_reserve (out_, room_, "the claims", &error_));                    \
        const char *buffer_ = out_->str;                                                           \
        GString *out = out_;                                                                       \
        render;                                                                                    \
        g_test_message ("%s: %zu bytes of %" G_GUINT64_FORMAT, #render, out_->len - 4, room_);     \
        g_assert_cmpuint (out_->len - 4, <=, room_);                                               \
        g_assert_true (out_->str == buffer_);                                                      \
    } while (0)

/* Issue 11: the claims' listing and effect table fit the room made for them before they are
 * rendered, with the hand-counted model and with names of control bytes and invalid UTF-8
 * (escaped 6 and 3 bytes a byte), in both formats. */
static void
test_claims_room (void)
{
    g_autoptr (FsimSim) sim = fsim_sim_new ("phones.json", NULL, NULL, NULL);
    g_assert_nonnull (sim);
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimClaimEffects) e =
        fsim_sim_claim_effects (sim, "phones.json", NULL, NULL, &error);
    g_assert_no_error (error);
    FsimScenario *s = sim->scenario;
    static char controls[300], invalid[300];
    memset (controls, '\x1f', sizeof controls - 1);
    memset (invalid, '\xff', sizeof invalid - 1);
    FsimClaim *c = &s->claims[0];
    char *kept[] = { c->question, c->alternatives[0].summary, c->alternatives[1].id,
                     s->partners[0].id };
    for (int hostile = 0; hostile < 2; hostile++) {
        if (hostile) {
            c->question = controls;
            c->alternatives[0].summary = invalid;
            c->alternatives[1].id = controls;
            s->partners[0].id = invalid;
        }
        for (int json = 0; json < 2; json++) {
            ASSERT_FITS (fsim_claims_room_list (s), fsim_claims_render_list (s, json, out));
            ASSERT_FITS (fsim_claims_room_effects (s, e),
                         fsim_claims_render_effects (s, e, json, out));
        }
    }
    c->question = kept[0];
    c->alternatives[0].summary = kept[1];
    c->alternatives[1].id = kept[2];
    s->partners[0].id = kept[3];
}

/* Issue 11: the effect table holds two counts per partner for every alternative of every
 * claim, tried allocations. 256 claims (the limit) of 2 alternatives on 8,192 partners (64 MiB
 * of counts), in a child whose address space is capped 4 MiB above what it uses once the
 * scenario has run, is an out-of-memory error (main made them with g_new0 and aborted). */
static void
test_claims_effect_out_of_memory (void)
{
    if (fsim_test_under_valgrind ()) { /* skipped at the cap: not worth building the input */
        g_test_skip ("valgrind's address space is its own");
        return;
    }
    if (!fsim_test_capped_child ())
        return;
#ifdef __GLIBC__
    /* blocks of 128 KiB or more mapped on their own and given back when freed, one arena: the
     * counts cannot come from memory the loader freed (tests/test-room-cap.c says why) */
    mallopt (M_MMAP_THRESHOLD, 128 * 1024);
    mallopt (M_ARENA_MAX, 1);
#endif
    g_autofree char *dir = fsim_test_scratch_new ();
    GString *text = g_string_new (
        "{ \"scenario\": \"c\", \"date\": \"2014-06-01\", \"fields\": [{ \"id\": \"f\" }],\n"
        "  \"apis\": [{ \"id\": \"a\", \"scopes\": [{ \"id\": \"s\", \"subject\": \"self\", "
        "\"fields\": [\"f\"] }] }],\n  \"partners\": [\n");
    for (guint p = 0; p < 8192; p++)
        g_string_append_printf (text,
                                "%s    { \"id\": \"p%u\", \"kind\": \"app\", \"integrates\": "
                                "[\"a\"], \"requests\": [\"*\"], \"destinations\": [{ \"id\": "
                                "\"d\", \"location\": \"device\", \"fields\": [\"*\"] }] }",
                                p ? ",\n" : "", p);
    g_string_append (text, "\n  ],\n  \"claims\": [\n");
    for (guint c = 0; c < 256; c++)
        g_string_append_printf (
            text,
            "%s    { \"id\": \"c%u\", \"question\": \"q\", \"default\": \"x\", "
            "\"alternatives\": [{ \"id\": \"x\", \"evidence\": \"stated\", \"party\": \"p\", "
            "\"summary\": \"s\", \"sources\": [{ \"publisher\": \"p\", \"title\": \"t\", "
            "\"date\": \"2018\" }], \"set\": { \"date\": \"2014-06-01\" } }, { \"id\": \"y\", "
            "\"evidence\": \"stated\", \"party\": \"p\", \"summary\": \"s\", \"sources\": "
            "[{ \"publisher\": \"p\", \"title\": \"t\", \"date\": \"2018\" }], \"set\": { "
            "\"date\": \"2014-06-02\" } }] }",
            c ? ",\n" : "", c);
    g_string_append (text, "\n  ],\n  \"population\": { \"users\": [{ \"id\": \"u\" }] } }\n");
    g_autofree char *path = fsim_test_write (dir, "many.json", text->str, (gssize) text->len);
    g_string_free (text, TRUE);
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimSim) sim = fsim_sim_new (path, NULL, NULL, &error);
    g_assert_no_error (error);
    fsim_test_scratch_free (g_steal_pointer (&dir));
    if (!fsim_test_address_space_cap (4 << 20))
        return;
    g_autoptr (FsimClaimEffects) e = fsim_claim_effects_new (sim->scenario, sim->result, &error);
    fsim_test_address_space_uncap ();
    g_assert_null (e);
    g_assert_nonnull (error);
    g_assert_cmpstr (error->message, ==,
                     "out of memory: needed 65536 bytes for the claims' runs by partner");
}

int
main (int argc, char *argv[])
{
    g_test_init (&argc, &argv, NULL);
    g_autofree char *dir = fsim_test_data_path ("claims", NULL);
    g_assert_cmpint (g_chdir (dir), ==, 0);
    g_test_add_func ("/claims/load/default", test_claims_load_default);
    g_test_add_func ("/claims/load/choices", test_claims_load_choices);
    g_test_add_func ("/claims/load/order", test_claims_load_order);
    g_test_add_func ("/claims/load/set-forms", test_claims_load_set_forms);
    g_test_add_func ("/claims/load/base", test_claims_load_base);
    for (size_t i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autofree char *name = g_strconcat ("/claims/error/", cases[i].name, NULL);
        g_test_add_data_func (name, &cases[i], test_claims_error);
    }
    g_test_add_func ("/claims/error/too-many-alternatives",
                     test_claims_error_too_many_alternatives);
    g_test_add_func ("/claims/cli/claim", test_claims_cli_claim);
    g_test_add_func ("/claims/bundled/apple", test_claims_bundled_apple);
    g_test_add_func ("/claims/room", test_claims_room);
    g_test_add_func ("/claims/effect-out-of-memory", test_claims_effect_out_of_memory);
    return g_test_run ();
}
