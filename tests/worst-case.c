/* SPDX-License-Identifier: MIT */
/* worst-case.c: scenarios at the documented limits, for the slow test and bench/limits.sh. */
#include <glib.h>

#include "worst-case.h"

static const char *const SUBJECTS[] = { "self", "friends", "friends_of_friends" };
static const char *const KINDS[] = { "app", "device_maker", "data_broker" };
static const char *const COUNTRIES[] = { "US", "IE", "GB", "DE", "CN", "IN", "SG", "RU" };

static void
append_fields (GString *out, const FsimWorstCase *w)
{
    g_string_append (out, "  \"fields\": [\n");
    for (guint f = 0; f < w->fields; f++)
        g_string_append_printf (out, "    { \"id\": \"g%u.f%u\"%s }%s\n", f % 16, f,
                                f % 7 == 3 ? ", \"sensitive\": true" : "",
                                f + 1 < w->fields ? "," : "");
    g_string_append (out, "  ],\n");
}

static void
append_apis (GString *out, const FsimWorstCase *w)
{
    g_string_append (out, "  \"apis\": [\n");
    for (guint a = 0; a < w->apis; a++) {
        g_string_append_printf (out,
                                "    { \"id\": \"a%u\", \"active\": { \"from\": \"2010-01-01\""
                                "%s }, \"respects\": [%s], \"scopes\": [\n",
                                a, a % 2 ? ", \"until\": \"2018-01-01\"" : "",
                                a % 3 == 2 ? "\"audience\""
                                           : "\"platform\", \"apps_others\", "
                                             "\"audience\"");
        for (guint s = 0; s < w->scopes_per_api; s++) {
            /* one field each, and every 64th scope a whole group of fields */
            g_autofree char *fields =
                s % 64 == 63 ? g_strdup_printf ("\"g%u\"", s % 16)
                             : g_strdup_printf ("\"g%u.f%u\"", (s % w->fields) % 16, s % w->fields);
            g_string_append_printf (out,
                                    "      { \"id\": \"s%u\", \"subject\": \"%s\", "
                                    "\"fields\": [%s] }%s\n",
                                    s, SUBJECTS[s % 3], fields,
                                    s + 1 < w->scopes_per_api ? "," : "");
        }
        g_string_append_printf (out, "    ] }%s\n", a + 1 < w->apis ? "," : "");
    }
    g_string_append (out, "  ],\n");
}

static void
append_partners (GString *out, const FsimWorstCase *w)
{
    g_autoptr (GString) integrates = g_string_new (NULL);
    for (guint a = 0; a < w->apis; a++)
        g_string_append_printf (integrates, "%s\"a%u\"", a ? ", " : "", a);
    g_string_append (out, "  \"partners\": [\n");
    for (guint p = 0; p < w->partners; p++) {
        g_string_append_printf (
            out,
            "    { \"id\": \"p%u\", \"kind\": \"%s\", \"tags\": [\"t%u\"], "
            "\"integrates\": [%s], \"requests\": [\"*\"], \"destinations\": [{ \"id\": \"d\", "
            "\"location\": \"server\", \"jurisdiction\": \"%s\", \"fields\": [\"*\"] }]",
            p, KINDS[p % 3], p % 16, integrates->str, COUNTRIES[p % G_N_ELEMENTS (COUNTRIES)]);
        if (w->partners > 1)
            g_string_append_printf (out,
                                    ", \"shares\": [{ \"with\": \"p%u\", \"fields\": [\"*\"] }]",
                                    (p + 1) % w->partners);
        g_string_append_printf (out, " }%s\n", p + 1 < w->partners ? "," : "");
    }
    g_string_append (out, "  ],\n");
}

/* Rule r's partner selector: all, a kind, a tag, one id, or a glob over ids. Partner p has
 * kind p mod 3 and tag p mod 16: with fewer partners, only the kinds and tags they have are
 * named (a name that names nothing does not load). */
static char *
rule_partners (guint r, const FsimWorstCase *w)
{
    switch (r % 5) {
    case 0:
        return g_strdup ("\"*\"");
    case 1:
        return g_strdup_printf ("\"kind:%s\"", KINDS[r % 3 % MIN (w->partners, 3)]);
    case 2:
        return g_strdup_printf ("\"tag:t%u\"", r % 16 % MIN (w->partners, 16));
    case 3:
        return g_strdup_printf ("\"p%u\"", (r * 97) % w->partners);
    default:
        return g_strdup_printf ("\"p%u*\"", r % 10);
    }
}

static void
append_rules (GString *out, const FsimWorstCase *w)
{
    GDate *d = g_date_new_dmy (1, G_DATE_JANUARY, 2010);
    g_string_append (out, "  \"rules\": [\n");
    for (guint r = 0; r < w->rules; r++) {
        g_autofree char *partners = rule_partners (r, w);
        char from[16], until[16];
        g_date_strftime (from, sizeof from, "%Y-%m-%d", d);
        g_date_add_days (d, 11);
        g_date_strftime (until, sizeof until, "%Y-%m-%d", d);
        /* every 4th a deny; every 16th names a scope no API has (lint warns) */
        g_autofree char *scopes = r % 16 == 15 ? g_strdup ("\"nowhere*\"")
                                  : r % 2      ? g_strdup_printf ("\"s%u*\"", r % 10)
                                               : g_strdup ("\"*\"");
        g_string_append_printf (out,
                                "    { \"id\": \"r%u\", \"effect\": \"%s\", \"partners\": [%s], "
                                "\"apis\": [\"*\"], \"scopes\": [%s], \"from\": \"%s\"%s%s%s }%s\n",
                                r, r % 4 == 3 ? "deny" : "allow", partners, scopes,
                                r % 3 ? from : "2010-01-01", r % 4 == 3 ? ", \"until\": \"" : "",
                                r % 4 == 3 ? until : "", r % 4 == 3 ? "\"" : "",
                                r + 1 < w->rules ? "," : "");
    }
    g_string_append (out, "  ],\n");
    g_date_free (d);
}

/* Claim c contests rule r(c mod rules): alternative a sets its effect (allow for even a) and
 * its start, a days after 2010-01-01; the first alternative is the default. Without rules, the
 * alternatives set nothing. */
static void
append_claims (GString *out, const FsimWorstCase *w)
{
    guint alternatives = w->alternatives ? w->alternatives : 1;
    g_string_append (out, "  \"claims\": [\n");
    for (guint c = 0; c < w->claims; c++) {
        g_string_append_printf (out,
                                "    { \"id\": \"c%u\", \"question\": \"When did rule r%u apply, "
                                "and did it allow or deny?\", \"default\": \"a0\", "
                                "\"alternatives\": [\n",
                                c, w->rules ? c % w->rules : 0);
        for (guint a = 0; a < alternatives; a++) {
            GDate *d = g_date_new_dmy (1, G_DATE_JANUARY, 2010);
            char from[16];
            g_date_add_days (d, a);
            g_date_strftime (from, sizeof from, "%Y-%m-%d", d);
            g_date_free (d);
            g_autofree char *set =
                w->rules
                    ? g_strdup_printf ("{ \"rules[r%u].effect\": \"%s\", "
                                       "\"rules[r%u].from\": \"%s\" }",
                                       c % w->rules, a % 2 ? "deny" : "allow", c % w->rules, from)
                    : g_strdup ("{}");
            g_string_append_printf (
                out,
                "      { \"id\": \"a%u\", \"evidence\": \"%s\", \"party\": \"Party %u\", "
                "\"summary\": \"Rule r%u %s from %s\", \"sources\": [{ \"publisher\": "
                "\"Publisher %u\", \"title\": \"Claim %u, alternative %u\", \"date\": \"%s\", "
                "\"url\": \"https://example.org/c%u/a%u\" }], \"set\": %s }%s\n",
                a, a % 3 ? "stated" : "reported", a, w->rules ? c % w->rules : 0,
                a % 2 ? "denies" : "allows", from, a, c, a, from, c, a, set,
                a + 1 < alternatives ? "," : "");
        }
        g_string_append_printf (out, "    ] }%s\n", c + 1 < w->claims ? "," : "");
    }
    g_string_append (out, "  ],\n");
}

char *
fsim_worst_case_json (const FsimWorstCase *w)
{
    g_return_val_if_fail (w && w->partners && w->apis && w->scopes_per_api && w->fields, NULL);
    GString *out = g_string_new ("{\n  \"scenario\": \"worst-case\",\n");
    g_string_append_printf (out,
                            "  \"title\": \"At the limits: %u partners, %u APIs of %u scopes, "
                            "%u fields, %u rules\",\n  \"date\": \"2014-06-01\",\n"
                            "  \"seed\": 1,\n",
                            w->partners, w->apis, w->scopes_per_api, w->fields, w->rules);
    append_fields (out, w);
    append_apis (out, w);
    append_partners (out, w);
    append_rules (out, w);
    if (w->claims > 0)
        append_claims (out, w);
    g_string_append_printf (out,
                            "  \"population\": { \"generator\": \"erdos_renyi\", \"users\": %u, "
                            "\"mean_degree\": %u, \"settings\": { \"platform_off\": 0.05, "
                            "\"apps_others_restricted\": 0.2, \"audience\": { \"*\": { "
                            "\"public\": 0.3, \"friends\": 0.6, \"only_me\": 0.1 } } }, "
                            "\"adoption\": { \"*\": 0.01, \"kind:app\": 0.05 } }\n}\n",
                            w->users ? w->users : 1, w->users > 10 ? 10 : 0);
    return g_string_free (out, FALSE);
}
