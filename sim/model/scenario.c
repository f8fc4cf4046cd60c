/* SPDX-License-Identifier: MIT */
/* scenario.c: lifetime, lookups and small value helpers of the loaded model. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "scenario.h"

const char *
fsim_subject_to_string (FsimSubject s)
{
    static const char *const names[] = { "self", "friends", "friends_of_friends" };
    return (unsigned) s < G_N_ELEMENTS (names) ? names[s] : "?";
}

const char *
fsim_audience_to_string (FsimAudience a)
{
    static const char *const names[] = { "only_me", "friends", "friends_of_friends", "public" };
    return (unsigned) a < G_N_ELEMENTS (names) ? names[a] : "?";
}

struct FsimGlob {
    char *literal; /* no wildcard: compared as a string */
    gboolean any;  /* "*" */
    char *pattern; /* otherwise */
};

/*
 * Does @text match the glob @pattern ('*' any run of characters, '?' one character; the
 * semantics of g_pattern_match_simple())? Without allocating: GLib compiles the pattern on every
 * call of g_pattern_match_simple(), and reverses the text (g_utf8_strreverse(), a malloc) on
 * every match of a pattern that ends in a literal, such as "*.birthday": at the limit of 2^28
 * pattern checks that was most of 5 minutes of `flowsim lint` (issue 11's fourth pass). The
 * greedy walk goes back only to the last '*' seen: enough for '*' and '?' alone. Both strings
 * are valid UTF-8, so literal bytes compared one by one keep the two at character boundaries
 * wherever a '?' or a '*' is met.
 */
static gboolean
glob_match_text (const char *pattern, const char *text)
{
    const char *p = pattern, *s = text;
    const char *star = NULL, *resume = NULL; /* the last '*' and where its run would end */

    while (*s) {
        if (*p == '*') {
            star = p++;
            resume = s;
        } else if (*p == '?') {
            p++;
            s = g_utf8_next_char (s);
        } else if (*p != '\0' && *p == *s) {
            p++;
            s++;
        } else if (star != NULL) {
            p = star + 1; /* the '*' takes one more character */
            resume = g_utf8_next_char (resume);
            s = resume;
        } else {
            return FALSE;
        }
    }
    while (*p == '*')
        p++;
    return *p == '\0';
}

FsimGlob *
fsim_glob_new (const char *pattern)
{
    g_return_val_if_fail (pattern != NULL, NULL);
    FsimGlob *g = g_new0 (FsimGlob, 1);
    if (strcmp (pattern, "*") == 0)
        g->any = TRUE;
    else if (strpbrk (pattern, "*?") == NULL)
        g->literal = g_strdup (pattern);
    else
        g->pattern = g_strdup (pattern);
    return g;
}

void
fsim_glob_free (FsimGlob *glob)
{
    if (!glob)
        return;
    g_free (glob->literal);
    g_free (glob->pattern);
    g_free (glob);
}

gboolean
fsim_glob_match (const FsimGlob *glob, const char *text)
{
    g_return_val_if_fail (glob != NULL && text != NULL, FALSE);
    if (glob->any)
        return TRUE;
    if (glob->literal)
        return strcmp (glob->literal, text) == 0;
    return glob_match_text (glob->pattern, text);
}

gboolean
fsim_partner_selector_matches (const FsimPartner *p, const char *selector)
{
    if (strcmp (selector, "*") == 0)
        return TRUE;
    if (g_str_has_prefix (selector, "kind:"))
        return glob_match_text (selector + 5, p->kind);
    if (g_str_has_prefix (selector, "tag:")) {
        for (char **t = p->tags; t && *t; t++)
            if (glob_match_text (selector + 4, *t))
                return TRUE;
        return FALSE;
    }
    return glob_match_text (selector, p->id);
}

gboolean
fsim_field_pattern_match (const char *pattern, const char *field, int *out_rank)
{
    size_t len = strlen (pattern);
    int rank = 0;
    gboolean match;
    if (strcmp (pattern, "*") == 0) {
        match = TRUE;
    } else if (len > 2 && g_str_has_suffix (pattern, ".*") && !strpbrk (pattern, "?") &&
               memchr (pattern, '*', len - 1) == NULL) {
        /* "profile.*": the prefix "profile." (strictly under profile) */
        match = strncmp (field, pattern, len - 1) == 0 && field[len - 1] != '\0';
        rank = FSIM_RANK_PREFIX + 2 * (int) (len - 1) + 1;
    } else if (strpbrk (pattern, "*?")) {
        /* a glob: more literal characters first, then fewer '*' (docs/semantics.md); the rank
         * only when asked, as selecting calls this for every field */
        int literals = 0, stars = 0;
        for (const char *q = out_rank ? pattern : ""; *q; q++) {
            literals += *q != '*' && *q != '?';
            stars += *q == '*';
        }
        match = glob_match_text (pattern, field);
        rank = 1 + literals * 64 + (63 - MIN (stars, 63));
    } else {
        size_t fl = strlen (field);
        match = strcmp (pattern, field) == 0 ||
                (fl > len && strncmp (field, pattern, len) == 0 && field[len] == '.');
        rank = strcmp (pattern, field) == 0 ? FSIM_RANK_EXACT : FSIM_RANK_PREFIX + 2 * (int) len;
    }
    if (out_rank)
        *out_rank = rank;
    return match;
}

static void
free_api (FsimApi *a)
{
    g_free (a->id);
    g_free (a->title);
    for (size_t i = 0; i < a->n_scopes; i++) {
        g_free (a->scopes[i].id);
        g_free (a->scopes[i].label);
        g_free (a->scopes[i].fields);
    }
    g_free (a->scopes);
    fsim_sources_clear (&a->sources);
}

const char *
fsim_consent_kind_to_string (FsimConsentKind kind)
{
    static const char *const names[] = { "unchallenged", "deceptive" };
    G_STATIC_ASSERT (G_N_ELEMENTS (names) == _FSIM_CONSENT_MAX);
    g_return_val_if_fail ((unsigned) kind < _FSIM_CONSENT_MAX, "unchallenged");
    return names[kind];
}

static void
free_partner (FsimPartner *p)
{
    g_free (p->consent.note);
    fsim_sources_clear (&p->consent.sources);
    g_free (p->id);
    g_free (p->name);
    g_free (p->kind);
    g_free (p->country);
    g_strfreev (p->tags);
    g_strfreev (p->requests);
    for (size_t k = 0; k < p->n_apis && p->requested; k++)
        g_free (p->requested[k]);
    g_free (p->requested);
    g_free (p->apis);
    for (size_t i = 0; i < p->n_destinations; i++) {
        g_free (p->destinations[i].id);
        g_free (p->destinations[i].jurisdiction);
        g_free (p->destinations[i].fields);
    }
    g_free (p->destinations);
    for (size_t i = 0; i < p->n_shares; i++) {
        g_free (p->shares[i].fields);
        fsim_sources_clear (&p->shares[i].sources);
    }
    g_free (p->shares);
    fsim_sources_clear (&p->sources);
}

static void
free_rule (FsimRule *r)
{
    g_free (r->id);
    g_strfreev (r->partners);
    g_strfreev (r->apis);
    g_strfreev (r->scopes);
    fsim_sources_clear (&r->sources);
    g_free (r->note);
}

static void
free_claim (FsimClaim *c)
{
    g_free (c->id);
    g_free (c->question);
    for (size_t i = 0; i < c->n_alternatives; i++) {
        FsimAlternative *a = &c->alternatives[i];
        g_free (a->id);
        g_free (a->party);
        g_free (a->summary);
        fsim_sources_clear (&a->sources);
        g_strfreev (a->set_paths);
    }
    g_free (c->alternatives);
}

static void
free_population (FsimPopulationSpec *p)
{
    for (size_t i = 0; i < p->n_users; i++) {
        FsimUserSpec *u = &p->users[i];
        g_free (u->id);
        g_free (u->friends);
        g_free (u->uses);
        g_free (u->settings.apps_others);
        g_free (u->settings.audience);
    }
    g_free (p->users);
    g_free (p->generator);
    g_free (p->restricted_fields);
    g_free (p->audience_mix);
    g_free (p->adoption);
    g_free (p->import_file);
    g_free (p->import_format);
    g_free (p->snapshot);
    for (size_t i = 0; i < p->n_import_attributes; i++) {
        g_free (p->import_attributes[i].attribute);
        g_free (p->import_attributes[i].fields);
    }
    g_free (p->import_attributes);
}

void
fsim_scenario_free (FsimScenario *s)
{
    if (!s)
        return;
    g_clear_pointer (&s->field_ix, g_hash_table_destroy);
    g_clear_pointer (&s->api_ix, g_hash_table_destroy);
    g_clear_pointer (&s->partner_ix, g_hash_table_destroy);
    g_clear_pointer (&s->rule_ix, g_hash_table_destroy);
    g_free (s->id);
    g_free (s->title);
    g_free (s->description);
    g_free (s->path);
    g_strfreev (s->files);
    for (size_t i = 0; i < s->n_overrides; i++)
        fsim_override_clear (&s->overrides[i]);
    g_free (s->overrides);
    g_free (s->date_string);
    fsim_sources_clear (&s->sources);
    g_strfreev (s->assumptions);
    for (size_t i = 0; i < s->n_fields; i++) {
        g_free (s->fields[i].id);
        g_free (s->fields[i].label);
    }
    g_free (s->fields);
    for (size_t i = 0; i < s->n_apis; i++)
        free_api (&s->apis[i]);
    g_free (s->apis);
    for (size_t i = 0; i < s->n_partners; i++)
        free_partner (&s->partners[i]);
    g_free (s->partners);
    for (size_t i = 0; i < s->n_rules; i++)
        free_rule (&s->rules[i]);
    g_free (s->rules);
    free_population (&s->population);
    for (size_t i = 0; i < s->n_expects; i++) {
        g_free (s->expects[i].id);
        g_free (s->expects[i].note);
        g_free (s->expects[i].fields);
        g_free (s->expects[i].partner);
        g_free (s->expects[i].jurisdiction);
    }
    g_free (s->expects);
    for (size_t i = 0; i < s->n_claims; i++)
        free_claim (&s->claims[i]);
    g_free (s->claims);
    if (s->strings)
        g_string_chunk_free (s->strings);
    g_free (s);
}

#define DEFINE_FIND(name, member, count)                                                           \
    gssize fsim_scenario_find_##name (const FsimScenario *s, const char *id)                       \
    {                                                                                              \
        if (s->name##_ix)                                                                          \
            return (gssize) GPOINTER_TO_SIZE (g_hash_table_lookup (s->name##_ix, id)) - 1;         \
        for (size_t i = 0; i < s->count; i++)                                                      \
            if (strcmp (s->member[i].id, id) == 0)                                                 \
                return (gssize) i;                                                                 \
        return -1;                                                                                 \
    }

DEFINE_FIND (field, fields, n_fields)
DEFINE_FIND (api, apis, n_apis)
DEFINE_FIND (partner, partners, n_partners)
DEFINE_FIND (rule, rules, n_rules)

/* Claims are few: no index. */
gssize
fsim_scenario_find_claim (const FsimScenario *s, const char *id)
{
    for (size_t i = 0; i < s->n_claims; i++)
        if (strcmp (s->claims[i].id, id) == 0)
            return (gssize) i;
    return -1;
}

gssize
fsim_claim_find_alternative (const FsimClaim *claim, const char *id)
{
    for (size_t i = 0; i < claim->n_alternatives; i++)
        if (strcmp (claim->alternatives[i].id, id) == 0)
            return (gssize) i;
    return -1;
}

static const char *const evidence_names[] = { "tested", "stated", "reported", "assumed" };
G_STATIC_ASSERT (G_N_ELEMENTS (evidence_names) == _FSIM_EVIDENCE_MAX);

const char *
fsim_evidence_to_string (FsimEvidence e)
{
    return (unsigned) e < _FSIM_EVIDENCE_MAX ? evidence_names[e] : "?";
}

gboolean
fsim_evidence_from_string (const char *s, FsimEvidence *out)
{
    for (int i = 0; i < _FSIM_EVIDENCE_MAX; i++) {
        if (strcmp (s, evidence_names[i]) == 0) {
            *out = (FsimEvidence) i;
            return TRUE;
        }
    }
    return FALSE;
}

gboolean
fsim_day_parse (const char *text, FsimDay *out_day)
{
    if (!text || strlen (text) != 10 || text[4] != '-' || text[7] != '-')
        return FALSE;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
            return FALSE;
    int y = atoi (text), m = atoi (text + 5), d = atoi (text + 8);
    if (y < 1 || m < 1 || m > 12 || d < 1 ||
        !g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
        return FALSE;
    GDate date;
    g_date_clear (&date, 1);
    g_date_set_dmy (&date, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
    *out_day = (FsimDay) g_date_get_julian (&date);
    return TRUE;
}

char *
fsim_day_format (FsimDay day)
{
    if (day <= FSIM_DAY_MIN)
        return g_strdup ("-inf");
    if (day >= FSIM_DAY_MAX)
        return g_strdup ("+inf");
    GDate date;
    g_date_clear (&date, 1);
    g_date_set_julian (&date, (guint32) day);
    return g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (&date), g_date_get_month (&date),
                            g_date_get_day (&date));
}

void
fsim_sources_clear (FsimSources *sources)
{
    if (!sources)
        return;
    for (size_t i = 0; i < sources->n; i++) {
        FsimSource *src = &sources->items[i];
        g_free (src->publisher);
        g_free (src->title);
        g_free (src->date);
        g_free (src->url);
        g_free (src->read_at);
        g_free (src->note);
    }
    g_free (sources->items);
    sources->items = NULL;
    sources->n = 0;
}

char *
fsim_source_to_string (const FsimSource *src)
{
    g_return_val_if_fail (src != NULL, NULL);
    GString *out = g_string_new (NULL);
    if (src->publisher)
        g_string_append_printf (out, "%s, \"%s\", %s", src->publisher, src->title, src->date);
    if (src->url)
        g_string_append_printf (out, "%s%s", out->len ? ", " : "", src->url);
    if (src->read_at)
        g_string_append_printf (out, " (read at: %s)", src->read_at);
    if (src->note)
        g_string_append_printf (out, "; %s", src->note);
    return g_string_free (out, FALSE);
}

gboolean
fsim_any_glob_matches (char *const *patterns, const char *text)
{
    for (size_t i = 0; patterns && patterns[i]; i++)
        if (g_pattern_match_simple (patterns[i], text))
            return TRUE;
    return FALSE;
}

FsimWord *
fsim_scenario_select_fields (const FsimScenario *s, const char *pattern)
{
    g_return_val_if_fail (s != NULL && pattern != NULL, NULL);
    g_autofree FsimWord *bits = fsim_bits_new (s->field_words);
    gboolean any = FALSE;
    for (size_t f = 0; f < s->n_fields; f++)
        if (fsim_field_pattern_match (pattern, s->fields[f].id, NULL)) {
            fsim_bits_set (bits, f);
            any = TRUE;
        }
    return any ? g_steal_pointer (&bits) : NULL;
}

FsimWord *
fsim_scenario_select_partners (const FsimScenario *s, const char *selector)
{
    g_return_val_if_fail (s != NULL && selector != NULL, NULL);
    g_autofree FsimWord *bits = fsim_bits_new (s->partner_words);
    gboolean any = FALSE;
    for (size_t p = 0; p < s->n_partners; p++)
        if (fsim_partner_selector_matches (&s->partners[p], selector)) {
            fsim_bits_set (bits, p);
            any = TRUE;
        }
    return any ? g_steal_pointer (&bits) : NULL;
}

void
fsim_focus_clear (FsimFocus *focus)
{
    if (!focus)
        return;
    g_clear_pointer (&focus->partners, g_free);
    g_clear_pointer (&focus->fields, g_free);
    g_clear_pointer (&focus->jurisdiction, g_free);
    g_clear_pointer (&focus->description, g_free);
}

gboolean
fsim_focus_has_partner (const FsimFocus *focus, size_t p)
{
    return !focus || !focus->partners || fsim_bits_get (focus->partners, p);
}

gboolean
fsim_focus_has_field (const FsimFocus *focus, size_t f)
{
    return !focus || !focus->fields || fsim_bits_get (focus->fields, f);
}

void
fsim_override_clear (FsimOverride *o)
{
    if (!o)
        return;
    g_clear_pointer (&o->path, g_free);
    g_clear_pointer (&o->value, g_free);
}
