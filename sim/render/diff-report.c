/* SPDX-License-Identifier: MIT */
/* diff-report.c: a base/what-if comparison as text or JSON. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "analysis-private.h"
#include "claims-report.h"
#include "diff.h"
#include "json-writer.h"
#include "policy.h"
#include "render-private.h"
#include "room.h"
#include "table.h"

static const char *const verdict_words[] = {
    [FSIM_DIFF_EQUIVALENT] = "equivalent",
    [FSIM_DIFF_MORE_PERMISSIVE] = "more permissive",
    [FSIM_DIFF_LESS_PERMISSIVE] = "less permissive",
    [FSIM_DIFF_INCOMPARABLE] = "incomparable",
    [FSIM_DIFF_ADDED] = "added",
    [FSIM_DIFF_REMOVED] = "removed",
    [FSIM_DIFF_NOT_ANALYSED] = "not analysed",
};
G_STATIC_ASSERT (G_N_ELEMENTS (verdict_words) == _FSIM_DIFF_VERDICT_MAX);

static gboolean
is_allowed (gboolean present, FsimVerdict v)
{
    return present && v == FSIM_VERDICT_ALLOWED;
}

#define focus_partner fsim_diff_focus_partner
#define focus_jurisdiction fsim_diff_focus_jurisdiction
#define focus_flow fsim_diff_focus_flow

/* Is override @o of the what-if one the base does not have (the what-if's own)? */
static gboolean
own_override (const FsimDiff *d, const FsimOverride *o)
{
    for (size_t i = 0; i < d->base->n_overrides; i++)
        if (strcmp (d->base->overrides[i].path, o->path) == 0 &&
            strcmp (d->base->overrides[i].value, o->value) == 0)
            return FALSE;
    return TRUE;
}

/* The alternative of @claim (a what-if's) in force in the what-if when it is not the one in
 * force in the base (or, for a claim the base does not have, not the default), or NULL. */
static const char *
chosen_claim (const FsimDiff *d, const FsimClaim *claim)
{
    const char *alt = claim->alternatives[claim->chosen].id;
    gssize b = fsim_scenario_find_claim (d->base, claim->id);
    for (size_t i = 0; i < d->whatif->n_overrides; i++) /* a set of choices.CLAIM: listed */
        if (g_str_has_prefix (d->whatif->overrides[i].path, "choices.") &&
            strcmp (d->whatif->overrides[i].path + 8, claim->id) == 0)
            return NULL;
    const char *before = b >= 0 ? d->base->claims[b].alternatives[d->base->claims[b].chosen].id
                                : claim->alternatives[claim->default_alternative].id;
    return strcmp (alt, before) != 0 ? alt : NULL;
}

/* ---- text ------------------------------------------------------------------------------- */

static void
text_side (GString *out, const char *label, const FsimScenario *s)
{
    g_string_append_printf (out, "  %-10s  ", label);
    fsim_i_append_clean (out, s->id ? s->id : "(policy file)");
    g_string_append (out, " (");
    fsim_i_append_clean (out, s->path);
    g_string_append_printf (out, "), %s\n", s->date_string ? s->date_string : "no date");
    if (s->n_claims) {
        g_autofree char *claims = fsim_claims_report_csv_cell (s);
        g_string_append (out, "              claims: ");
        fsim_i_append_clean (out, claims);
        g_string_append_c (out, '\n');
    }
}

static void
text_examples (GString *out, const GPtrArray *names, size_t total)
{
    for (guint i = 0; i < names->len; i++) {
        g_string_append (out, i ? ", " : ": ");
        fsim_i_append_clean (out, names->pdata[i]);
    }
    if (total > names->len) {
        g_autofree char *more = fsim_fmt_count (total - names->len);
        g_string_append_printf (out, " and %s more", more);
    }
}

static void
text_header (const FsimDiff *d, const FsimFocus *focus, GString *out)
{
    g_string_append (out, "flowsim " FSIM_VERSION " diff\n\n");
    text_side (out, "Base", d->base);
    text_side (out, "What-if", d->whatif);
    for (size_t i = 0; i < d->whatif->n_overrides; i++) {
        const FsimOverride *o = &d->whatif->overrides[i];
        if (!own_override (d, o))
            continue;
        g_string_append (out, "  Override    ");
        fsim_i_append_clean (out, o->path);
        g_string_append_c (out, '=');
        fsim_i_append_clean (out, o->value);
        g_string_append_printf (out, " (%zu value%s)\n", o->changed, o->changed == 1 ? "" : "s");
    }
    if (focus && focus->description) {
        g_string_append (out, "  Focus       ");
        fsim_i_append_clean (out, focus->description);
        g_string_append_c (out, '\n');
    }
    g_string_append (out, "  Population  ");
    fsim_i_append_clean (out, d->population);
    g_autofree char *before = fsim_fmt_count (d->exposed_before);
    g_autofree char *after = fsim_fmt_count (d->exposed_after);
    g_autofree char *newly = fsim_fmt_count (d->newly_exposed);
    g_autofree char *no_longer = fsim_fmt_count (d->no_longer_exposed);
    g_string_append_printf (out,
                            "\n\nUsers with at least one field reaching a partner%s: %s "
                            "before, %s after\n",
                            focus && focus->description ? " (in focus)" : "", before, after);
    g_string_append_printf (out, "  newly exposed: %s", newly);
    text_examples (out, d->newly_examples, d->newly_exposed);
    g_string_append_printf (out, "\n  no longer exposed: %s", no_longer);
    text_examples (out, d->no_longer_examples, d->no_longer_exposed);
    g_string_append_c (out, '\n');
}

static void
text_partners (const FsimDiff *d, gboolean all, const FsimFocus *focus, GString *out)
{
    static const char *const headers[] = {
        "Partner",    "In words", "On this population", "For any user", "Flows gained",
        "Flows lost", NULL
    };
    FsimTable t;
    size_t same = 0;
    fsim_table_init (&t, "llllrr", headers);
    for (guint i = 0; i < d->partners->len; i++) {
        const FsimDiffPartner *p = &g_array_index (d->partners, FsimDiffPartner, i);
        if (!focus_partner (d, focus, p->partner))
            continue;
        if (!all && p->verdict == FSIM_DIFF_EQUIVALENT &&
            (p->verdict_any == FSIM_DIFF_EQUIVALENT || p->verdict_any == FSIM_DIFF_NOT_ANALYSED)) {
            same++;
            continue;
        }
        char **row = fsim_table_row (&t);
        row[0] = fsim_text_clean (p->partner);
        row[1] = g_strdup (fsim_diff_partner_words (p));
        row[2] = g_strdup (verdict_words[p->verdict]);
        row[3] = g_strdup (verdict_words[p->verdict_any]);
        row[4] = fsim_fmt_count (p->gained);
        row[5] = fsim_fmt_count (p->lost);
    }
    fsim_table_finish (&t,
                       "\nWhat changes per partner (the what-if against the base; flows "
                       "are (user, field, destination))\n",
                       out);
    if (same > 0) {
        g_autofree char *n = fsim_fmt_count (same);
        g_string_append_printf (out,
                                "  (%s partner%s with no change left out; --all shows "
                                "%s)\n",
                                n, same == 1 ? "" : "s", same == 1 ? "it" : "them");
    }
    if (d->any_pairs > FSIM_DIFF_MAX_ANY_PAIRS) {
        g_autofree char *pairs = fsim_fmt_count (d->any_pairs);
        g_autofree char *cap = fsim_fmt_count (FSIM_DIFF_MAX_ANY_PAIRS);
        g_string_append_printf (out,
                                "  (\"For any user\" is not analysed: %s (field, partner) "
                                "pairs, over %s; --partner or --field chooses fewer)\n",
                                pairs, cap);
    }
}

/* "allowed (rule R, FILE:LINE:COL)", "denied (rule R, ...)", "no_allow", "-" (absent). */
static char *
decision_cell (const FsimScenario *s, gboolean present, FsimVerdict v, gssize rule)
{
    if (!present)
        return g_strdup ("-");
    if (rule < 0)
        return g_strdup (fsim_verdict_to_string (v));
    g_autoptr (GString) cell = g_string_new (fsim_verdict_to_string (v));
    g_string_append (cell, " by ");
    fsim_i_append_rule (cell, s, (size_t) rule);
    return g_string_free (g_steal_pointer (&cell), FALSE);
}

/* What kind of change a decision row is, in words. */
static const char *
change_words (const FsimDiffDecision *x, gboolean b, gboolean w)
{
    if (!x->in_base)
        return "new triple";
    if (!x->in_whatif)
        return "triple gone";
    if (b == w)
        return b ? "other rule" : "other reason";
    return b ? "allowed -> denied" : "denied -> allowed";
}

/* The same, for JSON. */
static const char *
change_key (const FsimDiffDecision *x, gboolean b, gboolean w)
{
    if (!x->in_base)
        return "added";
    if (!x->in_whatif)
        return "removed";
    if (b == w)
        return b ? "other_rule" : "other_reason";
    return b ? "allowed_to_denied" : "denied_to_allowed";
}

/* "  (N more not listed: ...)" when @n > 0. */
static void
not_listed (GString *out, size_t n, const char *one, const char *many)
{
    if (n == 0)
        return;
    g_autofree char *count = fsim_fmt_count (n);
    g_autofree char *cap = fsim_fmt_count (FSIM_DIFF_MAX_LISTED);
    g_string_append_printf (out,
                            "  (%s more changed %s not listed: at most %s are; --partner or "
                            "--field chooses fewer)\n",
                            count, n == 1 ? one : many, cap);
}

static void
text_decisions (const FsimDiff *d, const FsimFocus *focus, GString *out)
{
    static const char *const headers[] = { "Partner", "API",   "Scope", "Change",
                                           "Before",  "After", NULL };
    FsimTable t;
    fsim_table_init (&t, "llllll", headers);
    for (guint i = 0; i < d->decisions->len; i++) {
        const FsimDiffDecision *x = &g_array_index (d->decisions, FsimDiffDecision, i);
        gboolean b = is_allowed (x->in_base, x->before), w = is_allowed (x->in_whatif, x->after);
        if (!focus_partner (d, focus, x->partner))
            continue;
        char **row = fsim_table_row (&t);
        row[0] = fsim_text_clean (x->partner);
        row[1] = fsim_text_clean (x->api);
        row[2] = fsim_text_clean (x->scope);
        row[3] = g_strdup (change_words (x, b, w));
        row[4] = decision_cell (d->base, x->in_base, x->before, x->rule_before);
        row[5] = decision_cell (d->whatif, x->in_whatif, x->after, x->rule_after);
    }
    fsim_table_finish (&t,
                       "\nDecisions that changed (partner, API, scope; 'denied' covers "
                       "every verdict but allowed)\n",
                       out);
    not_listed (out, d->decisions_changed - d->decisions->len, "decision", "decisions");
}

static char *
flow_where (const FsimDiffFlow *f)
{
    if (f->on_device)
        return g_strdup ("on device");
    g_autofree char *j = fsim_text_clean (f->jurisdiction);
    return g_strconcat ("server, ", j, NULL);
}

static void
text_flows (const FsimDiff *d, const FsimFocus *focus, GString *out)
{
    static const char *const headers[] = { "Field", "Partner", "Destination", "Where", "Before",
                                           "After", "Gained",  "Lost",        NULL };
    FsimTable t;
    size_t listed = 0;
    fsim_table_init (&t, "llllrrrr", headers);
    for (guint i = 0; i < d->flows->len && listed < FSIM_DIFF_MAX_LISTED; i++) {
        const FsimDiffFlow *f = &g_array_index (d->flows, FsimDiffFlow, i);
        if ((!f->gained && !f->lost && f->before == f->after) || !focus_flow (d, focus, f))
            continue;
        listed++;
        char **row = fsim_table_row (&t);
        row[0] = fsim_text_clean (f->field);
        row[1] = fsim_text_clean (f->partner);
        row[2] = fsim_text_clean (f->destination);
        row[3] = flow_where (f);
        row[4] = fsim_fmt_count (f->before);
        row[5] = fsim_fmt_count (f->after);
        row[6] = fsim_fmt_count (f->gained);
        row[7] = fsim_fmt_count (f->lost);
    }
    fsim_table_finish (&t,
                       "\nFlows gained and lost (users per field, partner and destination; "
                       "unchanged rows left out)\n",
                       out);
    /* d->flows holds the first changed rows in focus; all are counted */
    not_listed (out, d->flows_changed - MIN (listed, d->flows_changed), "flow row", "flow rows");
}

static void
text_jurisdictions (const FsimDiff *d, gboolean all, const FsimFocus *focus, GString *out)
{
    static const char *const headers[] = {
        "Jurisdiction", "Before", "After", "Before w/o consent", "After w/o consent", NULL
    };
    FsimTable t;
    fsim_table_init (&t, "lrrrr", headers);
    for (guint i = 0; i < d->jurisdictions->len; i++) {
        const FsimDiffJurisdiction *j = &g_array_index (d->jurisdictions, FsimDiffJurisdiction, i);
        if (!focus_jurisdiction (focus, j->jurisdiction) ||
            (!all && j->before == j->after && j->before_no_consent == j->after_no_consent))
            continue;
        char **row = fsim_table_row (&t);
        row[0] = strcmp (j->jurisdiction, "device") == 0 ? g_strdup ("on device")
                                                         : fsim_text_clean (j->jurisdiction);
        row[1] = fsim_fmt_count (j->before);
        row[2] = fsim_fmt_count (j->after);
        row[3] = fsim_fmt_count (j->before_no_consent);
        row[4] = fsim_fmt_count (j->after_no_consent);
    }
    fsim_table_finish (&t,
                       all ? "\nJurisdictions (users with at least one field stored "
                             "there)\n"
                           : "\nJurisdictions (users with at least one field stored there; "
                             "unchanged rows left out)\n",
                       out);
}

void
fsim_diff_render_text_full (const FsimDiff *d, gboolean all, const FsimFocus *focus, GString *out)
{
    text_header (d, focus, out);
    text_partners (d, all, focus, out);
    text_decisions (d, focus, out);
    text_flows (d, focus, out);
    text_jurisdictions (d, all, focus, out);
    if (!fsim_diff_any (d))
        g_string_append (out, "\nNo difference: the what-if is equivalent to the base.\n");
}

void
fsim_diff_render_text (const FsimDiff *d, GString *out)
{
    fsim_diff_render_text_full (d, FALSE, NULL, out);
}

/* ---- JSON ------------------------------------------------------------------------------- */

static void
json_side (FsimJsonWriter *w, const char *key, const FsimScenario *s)
{
    fsim_jw_key (w, key);
    fsim_jw_open (w, '{');
    fsim_jw_str (w, "scenario", s->id);
    fsim_jw_str (w, "file", s->path);
    fsim_jw_str (w, "date", s->date_string);
    fsim_jw_key (w, "claims");
    fsim_jw_open (w, '[');
    for (size_t i = 0; i < s->n_claims; i++) {
        const FsimClaim *c = &s->claims[i];
        fsim_jw_item (w);
        fsim_jw_open (w, '{');
        fsim_jw_str (w, "id", c->id);
        fsim_jw_str (w, "in_force", c->alternatives[c->chosen].id);
        fsim_jw_str (w, "default", c->alternatives[c->default_alternative].id);
        fsim_jw_close (w, '}');
    }
    fsim_jw_close (w, ']');
    fsim_jw_close (w, '}');
}

static void
json_names (FsimJsonWriter *w, const char *key, const GPtrArray *names)
{
    fsim_jw_key (w, key);
    fsim_jw_open (w, '[');
    for (guint i = 0; i < names->len; i++)
        fsim_jw_elem (w, names->pdata[i]);
    fsim_jw_close (w, ']');
}

static void
json_users (const FsimDiff *d, FsimJsonWriter *w)
{
    fsim_jw_key (w, "population");
    fsim_jw_open (w, '{');
    fsim_jw_uint (w, "users", d->n_users);
    fsim_jw_uint (w, "users_with_other_settings", d->users_other_settings);
    fsim_jw_str (w, "note", d->population);
    fsim_jw_close (w, '}');
    fsim_jw_key (w, "exposure");
    fsim_jw_open (w, '{');
    fsim_jw_uint (w, "before", d->exposed_before);
    fsim_jw_uint (w, "after", d->exposed_after);
    fsim_jw_uint (w, "newly_exposed", d->newly_exposed);
    fsim_jw_uint (w, "no_longer_exposed", d->no_longer_exposed);
    json_names (w, "newly_exposed_examples", d->newly_examples);
    json_names (w, "no_longer_exposed_examples", d->no_longer_examples);
    fsim_jw_close (w, '}');
}

static void
json_partners (const FsimDiff *d, const FsimFocus *focus, FsimJsonWriter *w)
{
    fsim_jw_key (w, "partners");
    fsim_jw_open (w, '[');
    for (guint i = 0; i < d->partners->len; i++) {
        const FsimDiffPartner *p = &g_array_index (d->partners, FsimDiffPartner, i);
        if (!focus_partner (d, focus, p->partner))
            continue;
        fsim_jw_item (w);
        fsim_jw_open (w, '{');
        fsim_jw_str (w, "id", p->partner);
        fsim_jw_str (w, "in_words", fsim_diff_partner_words (p));
        fsim_jw_uint (w, "people_before", p->people_before);
        fsim_jw_uint (w, "people_after", p->people_after);
        fsim_jw_str (w, "verdict", fsim_diff_verdict_to_string (p->verdict));
        fsim_jw_str (w, "verdict_any_population", fsim_diff_verdict_to_string (p->verdict_any));
        fsim_jw_uint (w, "flows_gained", p->gained);
        fsim_jw_uint (w, "flows_lost", p->lost);
        fsim_jw_close (w, '}');
    }
    fsim_jw_close (w, ']');
}

static void
json_decision_side (FsimJsonWriter *w, const char *key, const FsimScenario *s, gboolean present,
                    FsimVerdict v, gssize rule)
{
    if (!present) {
        fsim_jw_null (w, key);
        return;
    }
    fsim_jw_key (w, key);
    fsim_jw_open (w, '{');
    fsim_jw_str (w, "verdict", fsim_verdict_to_string (v));
    fsim_i_jw_rule (w, "rule", s, rule);
    fsim_jw_close (w, '}');
}

static void
json_decisions (const FsimDiff *d, const FsimFocus *focus, FsimJsonWriter *w)
{
    fsim_jw_key (w, "decisions");
    fsim_jw_open (w, '[');
    for (guint i = 0; i < d->decisions->len; i++) {
        const FsimDiffDecision *x = &g_array_index (d->decisions, FsimDiffDecision, i);
        if (!focus_partner (d, focus, x->partner))
            continue;
        gboolean b = is_allowed (x->in_base, x->before), a = is_allowed (x->in_whatif, x->after);
        fsim_jw_item (w);
        fsim_jw_open (w, '{');
        fsim_jw_str (w, "partner", x->partner);
        fsim_jw_str (w, "api", x->api);
        fsim_jw_str (w, "scope", x->scope);
        fsim_jw_str (w, "change", change_key (x, b, a));
        json_decision_side (w, "before", d->base, x->in_base, x->before, x->rule_before);
        json_decision_side (w, "after", d->whatif, x->in_whatif, x->after, x->rule_after);
        fsim_jw_close (w, '}');
    }
    fsim_jw_close (w, ']');
    fsim_jw_uint (w, "decisions_changed", d->decisions_changed);
    fsim_jw_uint (w, "decisions_not_listed", d->decisions_changed - d->decisions->len);
}

static void
json_flows (const FsimDiff *d, const FsimFocus *focus, FsimJsonWriter *w)
{
    size_t listed = 0;
    fsim_jw_key (w, "flows");
    fsim_jw_open (w, '[');
    for (guint i = 0; i < d->flows->len && listed < FSIM_DIFF_MAX_LISTED; i++) {
        const FsimDiffFlow *f = &g_array_index (d->flows, FsimDiffFlow, i);
        if (!focus_flow (d, focus, f))
            continue;
        listed++;
        fsim_jw_item (w);
        fsim_jw_open (w, '{');
        fsim_jw_str (w, "field", f->field);
        fsim_jw_str (w, "partner", f->partner);
        fsim_jw_str (w, "destination", f->destination);
        fsim_jw_str (w, "location", f->on_device ? "device" : "server");
        fsim_jw_str (w, "jurisdiction", f->jurisdiction);
        fsim_jw_uint (w, "users_before", f->before);
        fsim_jw_uint (w, "users_after", f->after);
        fsim_jw_uint (w, "users_gained", f->gained);
        fsim_jw_uint (w, "users_lost", f->lost);
        fsim_jw_close (w, '}');
    }
    fsim_jw_close (w, ']');
    /* d->flows holds the first rows in focus; all are counted */
    fsim_jw_uint (w, "flows_not_listed", d->flows_total - MIN (listed, d->flows_total));
}

static void
json_jurisdictions (const FsimDiff *d, const FsimFocus *focus, FsimJsonWriter *w)
{
    fsim_jw_key (w, "jurisdictions");
    fsim_jw_open (w, '[');
    for (guint i = 0; i < d->jurisdictions->len; i++) {
        const FsimDiffJurisdiction *j = &g_array_index (d->jurisdictions, FsimDiffJurisdiction, i);
        if (!focus_jurisdiction (focus, j->jurisdiction))
            continue;
        fsim_jw_item (w);
        fsim_jw_open (w, '{');
        fsim_jw_str (w, "jurisdiction", j->jurisdiction);
        fsim_jw_uint (w, "users_before", j->before);
        fsim_jw_uint (w, "users_after", j->after);
        fsim_jw_uint (w, "without_consent_before", j->before_no_consent);
        fsim_jw_uint (w, "without_consent_after", j->after_no_consent);
        fsim_jw_close (w, '}');
    }
    fsim_jw_close (w, ']');
}

static void
json_overrides (const FsimDiff *d, FsimJsonWriter *w)
{
    fsim_jw_key (w, "overrides");
    fsim_jw_open (w, '[');
    for (size_t i = 0; i < d->whatif->n_overrides; i++) {
        const FsimOverride *o = &d->whatif->overrides[i];
        if (!own_override (d, o))
            continue;
        fsim_jw_item (w);
        fsim_jw_open (w, '{');
        fsim_jw_str (w, "path", o->path);
        fsim_jw_str (w, "value", o->value);
        fsim_jw_uint (w, "changed", o->changed);
        fsim_jw_close (w, '}');
    }
    /* the claims the what-if takes another alternative of (--claim, choices), as the --set
     * choices.CLAIM=ALTERNATIVE they are */
    for (size_t i = 0; i < d->whatif->n_claims; i++) {
        const char *alt = chosen_claim (d, &d->whatif->claims[i]);
        if (!alt)
            continue;
        g_autofree char *path = g_strconcat ("choices.", d->whatif->claims[i].id, NULL);
        g_autoptr (GString) value = g_string_new (NULL);
        fsim_json_string (value, alt); /* JSON text, as the other overrides' values */
        fsim_jw_item (w);
        fsim_jw_open (w, '{');
        fsim_jw_str (w, "path", path);
        fsim_jw_str (w, "value", value->str);
        fsim_jw_uint (w, "changed", 1);
        fsim_jw_close (w, '}');
    }
    fsim_jw_close (w, ']');
}

void
fsim_diff_render_json (const FsimDiff *d, GString *out)
{
    fsim_diff_render_json_focused (d, NULL, out);
}

void
fsim_diff_render_json_focused (const FsimDiff *d, const FsimFocus *focus, GString *out)
{
    FsimJsonWriter w = { .out = out };
    fsim_jw_open (&w, '{');
    fsim_jw_str (&w, "flowsim", FSIM_VERSION);
    json_side (&w, "base", d->base);
    json_side (&w, "whatif", d->whatif);
    json_overrides (d, &w);
    if (focus && focus->description)
        fsim_jw_str (&w, "focus", focus->description);
    fsim_jw_bool (&w, "changed", fsim_diff_any (d));
    json_users (d, &w);
    json_partners (d, focus, &w);
    json_decisions (d, focus, &w);
    json_flows (d, focus, &w);
    json_jurisdictions (d, focus, &w);
    fsim_jw_close (&w, '}');
    g_string_append_c (out, '\n');
}

/* ---- the room the text takes (room.h) ---------------------------------------------------- */

/* The most bytes a row takes in JSON (its keys, indentation and counts) besides its strings. */
#define ROOM_DIFF_ROW 512

guint64
fsim_diff_room (const FsimDiff *d, const FsimFocus *focus)
{
    g_return_val_if_fail (d != NULL, 0);
    /* the header, the two sides, the overrides and the exposure: measured by rendering them */
    g_autoptr (GString) head = g_string_new (NULL);
    FsimJsonWriter w = { .out = head };
    text_header (d, focus, head);
    json_side (&w, "base", d->base);
    json_side (&w, "whatif", d->whatif);
    json_overrides (d, &w);
    json_users (d, &w);
    guint64 rule = MAX (fsim_i_room_rule (d->base), fsim_i_room_rule (d->whatif));
    guint64 json = 16384 + head->len;
    FsimRoomTable partners = { 0 }, decisions = { 0 }, flows = { 0 }, jurisdictions = { 0 };
    for (guint i = 0; i < d->partners->len; i++) {
        const FsimDiffPartner *p = &g_array_index (d->partners, FsimDiffPartner, i);
        const char *row[] = { p->partner,     fsim_diff_partner_words (p),
                              "not analysed", "not analysed",
                              NULL,           NULL };
        fsim_room_table_row (&partners, row, G_N_ELEMENTS (row));
        json += ROOM_DIFF_ROW + fsim_room_json (p->partner);
    }
    for (guint i = 0; i < d->decisions->len; i++) {
        const FsimDiffDecision *x = &g_array_index (d->decisions, FsimDiffDecision, i);
        guint64 ids =
            fsim_room_json (x->partner) + fsim_room_json (x->api) + fsim_room_json (x->scope);
        const char *row[] = { x->partner, x->api, x->scope, "allowed -> denied" };
        fsim_room_table_row (&decisions, row, G_N_ELEMENTS (row));
        json += ROOM_DIFF_ROW + ids + 2 * rule;
    }
    /* the two rule cells of a decision row, as wide as the widest rule */
    guint64 decision_rules = 2 * (decisions.rows + 2) * (rule + 32);
    for (guint i = 0; i < d->flows->len; i++) {
        const FsimDiffFlow *f = &g_array_index (d->flows, FsimDiffFlow, i);
        const char *row[] = { f->field, f->partner, f->destination, f->jurisdiction, NULL, NULL };
        fsim_room_table_row (&flows, row, G_N_ELEMENTS (row));
        json += ROOM_DIFF_ROW + fsim_room_json (f->field) + fsim_room_json (f->partner) +
                fsim_room_json (f->destination) + fsim_room_json (f->jurisdiction);
    }
    for (guint i = 0; i < d->jurisdictions->len; i++) {
        const FsimDiffJurisdiction *j = &g_array_index (d->jurisdictions, FsimDiffJurisdiction, i);
        const char *row[] = { j->jurisdiction, NULL, NULL, NULL, NULL };
        fsim_room_table_row (&jurisdictions, row, G_N_ELEMENTS (row));
        json += ROOM_DIFF_ROW + fsim_room_json (j->jurisdiction);
    }
    /* the flows table has 8 columns: the last two counts are a bound of their own */
    guint64 text = head->len + fsim_room_table_bytes (&partners) +
                   fsim_room_table_bytes (&decisions) + decision_rules +
                   fsim_room_table_bytes (&flows) + (flows.rows + 2) * 2 * 32 +
                   fsim_room_table_bytes (&jurisdictions) + 8192;
    return MAX (text, json);
}
