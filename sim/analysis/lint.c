/* SPDX-License-Identifier: MIT */
/* lint.c: finds rules, scopes, fields, partners and windows of a model that can do nothing. */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include <glib.h>

#include "lint-private.h"
#include "memory.h"
#include "policy.h"

static const char *const kind_names[] = {
    [FSIM_LINT_RULE_MATCHES_NOTHING] = "rule-matches-nothing",
    [FSIM_LINT_ALLOW_SHADOWED] = "allow-shadowed",
    [FSIM_LINT_SCOPE_NOT_OFFERED] = "scope-not-offered",
    [FSIM_LINT_FIELD_NOT_RECEIVED] = "field-not-received",
    [FSIM_LINT_PARTNER_NO_DESTINATION] = "partner-no-destination",
    [FSIM_LINT_PARTNER_UNREACHABLE] = "partner-unreachable",
    [FSIM_LINT_EMPTY_WINDOW] = "empty-window",
    [FSIM_LINT_SHARE_NEVER_CARRIES] = "share-never-carries",
    [FSIM_LINT_API_NOT_INTEGRATED] = "api-not-integrated",
};
G_STATIC_ASSERT (G_N_ELEMENTS (kind_names) == _FSIM_LINT_MAX);

const char *
fsim_lint_kind_to_string (FsimLintKind k)
{
    g_return_val_if_fail ((unsigned) k < _FSIM_LINT_MAX, NULL);
    return kind_names[k];
}

static void warn (GArray *out, FsimLintKind kind, FsimLoc loc, const char *fmt, ...)
    G_GNUC_PRINTF (4, 5);

static void
warn (GArray *out, FsimLintKind kind, FsimLoc loc, const char *fmt, ...)
{
    va_list ap;
    va_start (ap, fmt);
    FsimLintWarning w = { .kind = kind, .loc = loc, .message = g_strdup_vprintf (fmt, ap) };
    va_end (ap);
    g_array_append_val (out, w);
}

static gboolean
is_glob (const char *s)
{
    return strpbrk (s, "*?") != NULL;
}

/* Does partner p request scope sc of its k-th API? */
static gboolean
requests (const FsimScenario *s, size_t p, size_t k, size_t sc)
{
    return fsim_bits_get (s->partners[p].requested[k], sc);
}

/*
 * The rule checks below look at every (partner, integrated API, scope) triple a rule matches:
 * up to 2^24 triples for each of thousands of rules at the limits. So they work from the rule
 * index (policy.h) a partner's scopes of one API at a time, 64 scopes a word: Ctx holds the
 * index and, for the rule at hand, its scopes of every API.
 */
typedef struct {
    const FsimScenario *s;
    FsimRuleIndex *ix;
    size_t *api_word; /* [a]: API a's scopes start at this word of a rule's scope sets */
    FsimWord *scopes; /* the current rule's scopes, per API at api_word[a] */
    FsimLintShadow *shadow;
} Ctx;

static gboolean
ctx_init (Ctx *c, const FsimScenario *s, GError **error)
{
    *c = (Ctx){ .s = s, .ix = fsim_rule_index_try_new (s, error) };
    if (c->ix == NULL)
        return FALSE;
    c->api_word = g_new (size_t, s->n_apis + 1);
    c->api_word[0] = 0;
    for (size_t a = 0; a < s->n_apis; a++)
        c->api_word[a + 1] = c->api_word[a] + FSIM_BITS_WORDS (s->apis[a].n_scopes);
    c->scopes = fsim_bits_new (c->api_word[s->n_apis]);
    c->shadow = fsim_i_lint_shadow_new (s, c->ix, error);
    return c->shadow != NULL;
}

static void
ctx_clear (Ctx *c)
{
    fsim_rule_index_free (c->ix);
    g_free (c->api_word);
    g_free (c->scopes);
    fsim_i_lint_shadow_free (c->shadow);
}

/* Loads rule r's scopes of every API it names into c->scopes. */
static void
ctx_rule (Ctx *c, size_t r)
{
    for (size_t a = 0; a < c->s->n_apis; a++) {
        FsimWord *out = c->scopes + c->api_word[a];
        if (fsim_rule_index_selects_api (c->ix, r, a))
            fsim_rule_index_scopes (c->ix, r, a, out);
        else
            fsim_bits_zero (out, c->api_word[a + 1] - c->api_word[a]);
    }
}

/* Rule r's scopes of API a (after ctx_rule). */
static const FsimWord *
rule_scopes (const Ctx *c, size_t a)
{
    return c->scopes + c->api_word[a];
}

/* ---- rules ------------------------------------------------------------------------------ */

/* Each selector and pattern of rule r must match something. */
static void
check_rule_patterns (const FsimScenario *s, size_t r, GArray *out)
{
    const FsimRule *rule = &s->rules[r];
    for (size_t i = 0; s->n_partners && rule->partners[i]; i++) {
        gboolean any = FALSE;
        for (size_t p = 0; p < s->n_partners && !any; p++)
            any = fsim_partner_selector_matches (&s->partners[p], rule->partners[i]);
        if (!any)
            warn (out, FSIM_LINT_RULE_MATCHES_NOTHING, rule->loc,
                  "rule '%s': partner selector '%s' matches no partner", rule->id,
                  rule->partners[i]);
    }
    for (size_t i = 0; rule->apis[i]; i++) {
        gboolean any = FALSE;
        for (size_t a = 0; a < s->n_apis && !any; a++)
            any = g_pattern_match_simple (rule->apis[i], s->apis[a].id);
        if (!any)
            warn (out, FSIM_LINT_RULE_MATCHES_NOTHING, rule->loc,
                  "rule '%s': API pattern '%s' matches no API", rule->id, rule->apis[i]);
    }
    for (size_t i = 0; rule->scopes[i]; i++) {
        gboolean any = FALSE;
        for (size_t a = 0; a < s->n_apis && !any; a++)
            for (size_t sc = 0;
                 fsim_any_glob_matches (rule->apis, s->apis[a].id) && sc < s->apis[a].n_scopes;
                 sc++)
                any = any || g_pattern_match_simple (rule->scopes[i], s->apis[a].scopes[sc].id);
        if (!any)
            warn (out, FSIM_LINT_SCOPE_NOT_OFFERED, rule->loc,
                  "rule '%s': scope pattern '%s' matches no scope of the APIs it names", rule->id,
                  rule->scopes[i]);
    }
}

/* Whether rule r matches some (partner, integrated API, scope) triple, and some requested
 * one: the walk stops at the first requested one (counting them all was rules x partners x
 * scope words on every lint, a tenth of linting the model at the limits). */
static void
rule_triples (const Ctx *c, size_t r, gboolean *out_any, gboolean *out_requested)
{
    const FsimScenario *s = c->s;
    const FsimWord *partners = fsim_rule_index_partners (c->ix, r);
    gboolean any = FALSE, requested = FALSE;
    for (size_t p = fsim_bits_next (partners, s->partner_words, 0); p < s->n_partners && !requested;
         p = fsim_bits_next (partners, s->partner_words, p + 1)) {
        const FsimPartner *partner = &s->partners[p];
        for (size_t k = 0; k < partner->n_apis && !requested; k++) {
            size_t a = partner->apis[k], words = FSIM_BITS_WORDS (s->apis[a].n_scopes);
            const FsimWord *scopes = rule_scopes (c, a);
            for (size_t w = 0; w < words && !requested; w++) {
                any = any || scopes[w] != 0;
                requested = (scopes[w] & partner->requested[k][w]) != 0;
            }
        }
    }
    *out_any = any;
    *out_requested = requested;
}

static void
check_rule_reach (const Ctx *c, size_t r, GArray *out)
{
    const FsimScenario *s = c->s;
    const FsimRule *rule = &s->rules[r];
    gboolean any, requested;
    if (s->n_partners == 0)
        return;
    rule_triples (c, r, &any, &requested);
    if (!any)
        warn (out, FSIM_LINT_RULE_MATCHES_NOTHING, rule->loc,
              "rule '%s' matches no (partner, API, scope): none of the partners it selects "
              "integrates an API it names with a scope it names",
              rule->id);
    else if (!requested)
        warn (out, FSIM_LINT_RULE_MATCHES_NOTHING, rule->loc,
              "rule '%s' only matches scopes that its partners do not request: it never "
              "decides anything",
              rule->id);
}

FsimWindow
fsim_i_lint_effective_window (const FsimScenario *s, size_t r, size_t a)
{
    FsimWindow w = s->rules[r].window, act = s->apis[a].active;
    return (FsimWindow){ MAX (w.from, act.from), MIN (w.until, act.until) };
}

static void
check_rule_window (const FsimScenario *s, size_t r, GArray *out)
{
    const FsimRule *rule = &s->rules[r];
    gboolean any_api = FALSE, any_open = FALSE;
    for (size_t a = 0; a < s->n_apis; a++) {
        if (!fsim_any_glob_matches (rule->apis, s->apis[a].id))
            continue;
        FsimWindow w = fsim_i_lint_effective_window (s, r, a);
        any_api = TRUE;
        any_open = any_open || w.from < w.until;
    }
    if (!any_api || any_open)
        return;
    g_autofree char *from = fsim_day_format (rule->window.from);
    g_autofree char *until = fsim_day_format (rule->window.until);
    g_autofree char *when = rule->window.from <= FSIM_DAY_MIN ? g_strdup_printf ("until %s", until)
                            : rule->window.until >= FSIM_DAY_MAX
                                ? g_strdup_printf ("from %s", from)
                                : g_strdup_printf ("from %s until %s", from, until);
    warn (out, FSIM_LINT_EMPTY_WINDOW, rule->loc,
          "rule '%s' is in force %s, when none of the APIs it names is active: it never "
          "applies",
          rule->id, when);
}

static gboolean
check_shadowed (const Ctx *c, size_t r, GArray *out, GError **error)
{
    const FsimScenario *s = c->s;
    const size_t *first = NULL;
    size_t n = 0;
    if (!s->rules[r].allow)
        return TRUE;
    if (!fsim_i_lint_shadowed (c->shadow, r, c->scopes, c->api_word, &first, &n, error))
        return FALSE;
    if (n == 0)
        return TRUE;
    /* the first FSIM_I_LINT_MAX_NAMED deny rules by rule order: one warning per allow rule
     * naming every deny was rules^2 of text (262,144 rules: 131,072 warnings of a megabyte each) */
    const char *names[FSIM_I_LINT_MAX_NAMED + 1] = { NULL };
    for (size_t j = 0; j < MIN (n, FSIM_I_LINT_MAX_NAMED); j++)
        names[j] = s->rules[first[j]].id;
    g_autofree char *joined = g_strjoinv ("', '", (char **) names);
    g_autofree char *more =
        n > FSIM_I_LINT_MAX_NAMED
            ? g_strdup_printf (" and %u more deny rules", (guint) (n - FSIM_I_LINT_MAX_NAMED))
            : g_strdup ("");
    warn (out, FSIM_LINT_ALLOW_SHADOWED, s->rules[r].loc,
          "allow rule '%s' is overridden by deny '%s'%s wherever and whenever it applies: it "
          "never allows anything",
          s->rules[r].id, joined, more);
    return TRUE;
}

/* ---- fields and partners ---------------------------------------------------------------- */

static gboolean
receives (const FsimPartner *p, size_t f)
{
    for (size_t d = 0; d < p->n_destinations; d++)
        if (fsim_bits_get (p->destinations[d].fields, f))
            return TRUE;
    return FALSE;
}

static void
check_fields (const FsimScenario *s, GArray *out)
{
    for (size_t f = 0; s->n_partners && f < s->n_fields; f++) {
        gboolean any = FALSE;
        for (size_t p = 0; p < s->n_partners && !any; p++)
            any = receives (&s->partners[p], f);
        if (!any)
            warn (out, FSIM_LINT_FIELD_NOT_RECEIVED, s->fields[f].loc,
                  "field '%s' is received by no destination of any partner: it can never flow",
                  s->fields[f].id);
    }
}

/* The fields of every scope of each API (field_words a row), or NULL when memory runs out
 * for them: a partner that requests every scope of an API (as most do) takes the API's row,
 * rather than a union over its scopes for every partner (4096 partners of 4096 scopes, each
 * 8 words, were a third of linting the model at the limits). */
static FsimWord *
api_fields_new (const FsimScenario *s)
{
    FsimWord *all =
        fsim_try_new0 (MAX (s->n_apis, 1) * s->field_words, sizeof (FsimWord), NULL, NULL);
    for (size_t a = 0; all && a < s->n_apis; a++)
        for (size_t sc = 0; sc < s->apis[a].n_scopes; sc++)
            fsim_bits_or (all + a * s->field_words, s->apis[a].scopes[sc].fields, s->field_words);
    return all;
}

/* The fields partner p requests (through an offered scope) that none of its destinations
 * receives: they reach it and land nowhere. @api_fields: api_fields_new()'s, or NULL. */
static void
check_requested_fields (const FsimScenario *s, size_t p, const FsimWord *api_fields, GArray *out)
{
    const FsimPartner *partner = &s->partners[p];
    g_autofree FsimWord *lost = fsim_bits_new (s->field_words);
    for (size_t k = 0; k < partner->n_apis; k++) {
        const FsimApi *api = &s->apis[partner->apis[k]];
        if (api_fields && fsim_bits_all_first (partner->requested[k], api->n_scopes)) {
            fsim_bits_or (lost, api_fields + partner->apis[k] * s->field_words, s->field_words);
            continue;
        }
        for (size_t sc = 0; sc < api->n_scopes; sc++)
            if (requests (s, p, k, sc))
                fsim_bits_or (lost, api->scopes[sc].fields, s->field_words);
    }
    size_t n = 0;
    const char *first = NULL;
    for (size_t f = 0; f < s->n_fields; f++)
        if (fsim_bits_get (lost, f) && !receives (partner, f)) {
            first = first ? first : s->fields[f].id;
            n++;
        }
    gboolean any = FALSE;
    for (size_t f = 0; f < s->n_fields && !any; f++)
        any = receives (partner, f);
    if (n == 0 || !any) /* nothing received at all: reported as partner-no-destination */
        return;
    warn (out, FSIM_LINT_FIELD_NOT_RECEIVED, partner->loc,
          "partner '%s' requests scopes covering %zu field%s that none of its destinations "
          "receives (the first: '%s'): they can never reach it",
          partner->id, n, n == 1 ? "" : "s", first);
}

static void
check_partner (const FsimScenario *s, size_t p, const FsimWord *shared_with,
               const FsimWord *api_fields, GArray *out)
{
    const FsimPartner *partner = &s->partners[p];
    gboolean any = FALSE;
    for (size_t f = 0; f < s->n_fields && !any; f++)
        any = receives (partner, f);
    if (!any)
        warn (out, FSIM_LINT_PARTNER_NO_DESTINATION, partner->loc,
              "partner '%s' has no destination that receives any field: nothing can reach it",
              partner->id);
    gboolean shared = fsim_bits_get (shared_with, p);
    if (partner->n_apis == 0 && !shared)
        warn (out, FSIM_LINT_PARTNER_UNREACHABLE, partner->loc,
              "partner '%s' integrates no API and no partner shares with it: nothing can "
              "reach it",
              partner->id);
    for (size_t i = 0; partner->requests[i]; i++) {
        gboolean offered = FALSE;
        g_autoptr (FsimGlob) glob = fsim_glob_new (partner->requests[i]);
        for (size_t k = 0; k < partner->n_apis && !offered; k++)
            for (size_t sc = 0; sc < s->apis[partner->apis[k]].n_scopes && !offered; sc++)
                offered = fsim_glob_match (glob, s->apis[partner->apis[k]].scopes[sc].id);
        if (!offered && is_glob (partner->requests[i]))
            warn (out, FSIM_LINT_SCOPE_NOT_OFFERED, partner->loc,
                  "partner '%s': request '%s' matches no scope of the APIs it integrates",
                  partner->id, partner->requests[i]);
    }
    check_requested_fields (s, p, api_fields, out);
}

/* Shares that can carry nothing: data kept on a device is never passed on (docs/semantics.md,
 * "Downstream sharing"), and a partner receives only the fields its destinations take. */
static void
check_shares (const FsimScenario *s, size_t q, GArray *out)
{
    const FsimPartner *from = &s->partners[q];
    for (size_t i = 0; i < from->n_shares; i++) {
        const FsimShare *sh = &from->shares[i];
        const FsimPartner *to = &s->partners[sh->partner];
        gboolean on_server = FALSE, received = FALSE;
        for (size_t f = 0; f < s->n_fields; f++) {
            if (!fsim_bits_get (sh->fields, f))
                continue;
            gboolean held = FALSE;
            for (size_t d = 0; d < from->n_destinations; d++)
                held = held || (!from->destinations[d].on_device &&
                                fsim_bits_get (from->destinations[d].fields, f));
            on_server = on_server || held;
            received = received || (held && receives (to, f));
        }
        if (!on_server)
            warn (out, FSIM_LINT_SHARE_NEVER_CARRIES, sh->loc,
                  "share of '%s' with '%s' never carries anything: '%s' keeps the fields it "
                  "shares only on the device, and data kept on a device is never passed on",
                  from->id, to->id, from->id);
        else if (!received)
            warn (out, FSIM_LINT_SHARE_NEVER_CARRIES, sh->loc,
                  "share of '%s' with '%s' never carries anything: no destination of '%s' "
                  "receives the fields '%s' shares from its servers",
                  from->id, to->id, to->id, from->id);
    }
}

/* APIs that no partner integrates: their scopes, and rules about them, can open nothing. */
static void
check_apis (const FsimScenario *s, GArray *out)
{
    for (size_t a = 0; s->n_partners && a < s->n_apis; a++) {
        gboolean used = FALSE;
        for (size_t p = 0; p < s->n_partners && !used; p++)
            for (size_t k = 0; k < s->partners[p].n_apis && !used; k++)
                used = s->partners[p].apis[k] == a;
        if (!used)
            warn (out, FSIM_LINT_API_NOT_INTEGRATED, s->apis[a].loc,
                  "API '%s' is integrated by no partner: none of its %zu scope%s can open a "
                  "channel",
                  s->apis[a].id, s->apis[a].n_scopes, s->apis[a].n_scopes == 1 ? "" : "s");
    }
}

/* ---- entry point ------------------------------------------------------------------------ */

static int
compare_warnings (gconstpointer a, gconstpointer b)
{
    const FsimLintWarning *x = a, *y = b;
    int c = g_strcmp0 (x->loc.file, y->loc.file);
    if (c)
        return c;
    if (x->loc.line != y->loc.line)
        return x->loc.line < y->loc.line ? -1 : 1;
    if (x->loc.col != y->loc.col)
        return x->loc.col < y->loc.col ? -1 : 1;
    return strcmp (x->message, y->message);
}

static void
warning_clear (gpointer data)
{
    g_free (((FsimLintWarning *) data)->message);
}

GArray *
fsim_lint_run (const FsimScenario *s, GError **error)
{
    g_return_val_if_fail (s != NULL, NULL);
    Ctx c;
    if (!ctx_init (&c, s, error)) {
        ctx_clear (&c);
        return NULL;
    }
    GArray *out = g_array_new (FALSE, TRUE, sizeof (FsimLintWarning));
    g_array_set_clear_func (out, warning_clear);
    for (size_t r = 0; r < s->n_rules; r++) {
        guint before = out->len;
        ctx_rule (&c, r);
        check_rule_patterns (s, r, out);
        if (out->len == before)
            check_rule_reach (&c, r, out);
        if (out->len == before)
            check_rule_window (s, r, out);
        if (out->len == before && !check_shadowed (&c, r, out, error)) {
            ctx_clear (&c);
            g_array_unref (out);
            return NULL;
        }
    }
    ctx_clear (&c);
    check_fields (s, out);
    g_autofree FsimWord *shared_with = fsim_bits_new (s->partner_words);
    for (size_t q = 0; q < s->n_partners; q++)
        for (size_t i = 0; i < s->partners[q].n_shares; i++)
            fsim_bits_set (shared_with, s->partners[q].shares[i].partner);
    g_autofree FsimWord *api_fields = api_fields_new (s);
    for (size_t p = 0; p < s->n_partners; p++) {
        check_partner (s, p, shared_with, api_fields, out);
        check_shares (s, p, out);
    }
    check_apis (s, out);
    g_array_sort (out, compare_warnings);
    return out;
}
