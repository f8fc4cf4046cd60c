/* SPDX-License-Identifier: MIT */
/* random-scenario.c: small random scenario files (JSON text) for differential tests. */
#include "random-scenario.h"

typedef struct {
    GRand *rng;
    GString *out;
    size_t nf, na, np;
    gboolean kinds[3];
    gboolean tags[2];
} Gen;

static const char *const kinds[] = { "app", "device_maker", "data_broker" };
static const char *const tags[] = { "t1", "t2" };
static const char *const subjects[] = { "self", "friends", "friends_of_friends" };
static const char *const audiences[] = { "only_me", "friends", "friends_of_friends", "public" };
static const char *const respects[] = { "platform", "apps_others", "audience" };
static const char *const jurisdictions[] = { "US", "CN", "IE" };
static const char *const boundaries[] = { "2010-01-01", "2012-01-01", "2014-01-01", "2016-01-01",
                                          "2018-01-01" };
static const char *const dates[] = { "2011-06-01", "2013-06-01", "2015-06-01", "2017-06-01" };

static size_t
below (Gen *g, size_t n)
{
    return (size_t) g_rand_int_range (g->rng, 0, (gint32) n);
}

static gboolean
chance (Gen *g, double p)
{
    return g_rand_double (g->rng) < p;
}

/* "from": ..., "until": ... (either, both or none), without braces. */
static void
window_keys (Gen *g, const char *from_key, const char *until_key, gboolean leading_comma)
{
    size_t kind = below (g, 4), i = below (g, 4);
    size_t j = i + 1 + below (g, 4 - i);
    const char *sep = leading_comma ? ", " : "";
    if (kind & 1) {
        g_string_append_printf (g->out, "%s\"%s\": \"%s\"", sep, from_key, boundaries[i]);
        sep = ", ";
    }
    if (kind & 2)
        g_string_append_printf (g->out, "%s\"%s\": \"%s\"", sep, until_key, boundaries[j]);
}

/* A JSON array of "<prefix><i>" for a random subset of [0, n); never empty if @nonempty. */
static void
id_list (Gen *g, const char *prefix, size_t n, double p, gboolean nonempty)
{
    size_t forced = nonempty ? below (g, n) : n;
    gboolean first = TRUE;
    g_string_append_c (g->out, '[');
    for (size_t i = 0; i < n; i++)
        if (i == forced || chance (g, p)) {
            g_string_append_printf (g->out, "%s\"%s%zu\"", first ? "" : ", ", prefix, i);
            first = FALSE;
        }
    g_string_append_c (g->out, ']');
}

static void
field_list (Gen *g)
{
    if (chance (g, 0.15))
        g_string_append (g->out, "[\"*\"]");
    else
        id_list (g, "f", g->nf, 0.4, TRUE);
}

static void
string_subset (Gen *g, const char *const *items, size_t n, double p)
{
    gboolean first = TRUE;
    g_string_append_c (g->out, '[');
    for (size_t i = 0; i < n; i++)
        if (chance (g, p)) {
            g_string_append_printf (g->out, "%s\"%s\"", first ? "" : ", ", items[i]);
            first = FALSE;
        }
    g_string_append_c (g->out, ']');
}

static void
gen_apis (Gen *g)
{
    g_string_append (g->out, "  \"apis\": [\n");
    for (size_t a = 0; a < g->na; a++) {
        g_string_append_printf (g->out, "    { \"id\": \"api%zu\", \"active\": {", a);
        window_keys (g, "from", "until", FALSE);
        g_string_append (g->out, "}, \"respects\": ");
        string_subset (g, respects, G_N_ELEMENTS (respects), 0.5);
        g_string_append (g->out, ", \"scopes\": [");
        size_t ns = 1 + below (g, 4);
        for (size_t s = 0; s < ns; s++) {
            g_string_append_printf (g->out,
                                    "%s\n      { \"id\": \"s%zu\", \"subject\": \"%s\", "
                                    "\"fields\": ",
                                    s ? "," : "", s, subjects[below (g, G_N_ELEMENTS (subjects))]);
            field_list (g);
            g_string_append (g->out, " }");
        }
        g_string_append_printf (g->out, " ] }%s\n", a + 1 < g->na ? "," : "");
    }
    g_string_append (g->out, "  ],\n");
}

static void
gen_destinations (Gen *g)
{
    size_t n = 1 + below (g, 2);
    g_string_append (g->out, "\"destinations\": [");
    for (size_t d = 0; d < n; d++) {
        g_string_append_printf (g->out, "%s{ \"id\": \"d%zu\", ", d ? ", " : "", d);
        if (chance (g, 0.35))
            g_string_append (g->out, "\"location\": \"device\", ");
        else
            g_string_append_printf (g->out, "\"location\": \"server\", \"jurisdiction\": \"%s\", ",
                                    jurisdictions[below (g, G_N_ELEMENTS (jurisdictions))]);
        g_string_append (g->out, "\"fields\": ");
        field_list (g);
        g_string_append (g->out, " }");
    }
    g_string_append (g->out, "]");
}

static void
gen_shares (Gen *g, size_t p)
{
    size_t n = below (g, 3);
    g_string_append (g->out, "\"shares\": [");
    for (size_t i = 0; i < n; i++) {
        size_t to = (p + 1 + below (g, g->np - 1)) % g->np;
        g_string_append_printf (g->out, "%s{ \"with\": \"p%zu\", \"fields\": ", i ? ", " : "", to);
        field_list (g);
        g_string_append (g->out, ", \"active\": {");
        window_keys (g, "from", "until", FALSE);
        g_string_append (g->out, "} }");
    }
    g_string_append (g->out, "]");
}

static void
gen_partners (Gen *g)
{
    static const char *const requests[] = { "[\"*\"]", "[\"s0\"]", "[\"s?\"]", "[\"s1*\", \"s0\"]",
                                            "[\"s*\"]" };
    g_string_append (g->out, "  \"partners\": [\n");
    for (size_t p = 0; p < g->np; p++) {
        size_t kind = below (g, G_N_ELEMENTS (kinds));
        g->kinds[kind] = TRUE;
        g_string_append_printf (g->out, "    { \"id\": \"p%zu\", \"kind\": \"%s\", \"tags\": [", p,
                                kinds[kind]);
        for (size_t t = 0, first = 1; t < G_N_ELEMENTS (tags); t++)
            if (chance (g, 0.4)) {
                g->tags[t] = TRUE;
                g_string_append_printf (g->out, "%s\"%s\"", first ? "" : ", ", tags[t]);
                first = 0;
            }
        g_string_append (g->out, "], \"integrates\": ");
        id_list (g, "api", g->na, 0.5, TRUE);
        g_string_append_printf (g->out, ", \"requests\": %s,\n      ",
                                requests[below (g, G_N_ELEMENTS (requests))]);
        gen_destinations (g);
        g_string_append (g->out, ",\n      ");
        gen_shares (g, p);
        g_string_append_printf (g->out, " }%s\n", p + 1 < g->np ? "," : "");
    }
    g_string_append (g->out, "  ],\n");
}

/* A partner selector naming something that exists. */
static char *
selector (Gen *g)
{
    for (;;) {
        size_t i = below (g, G_N_ELEMENTS (kinds));
        switch (below (g, 5)) {
        case 0:
            return g_strdup ("*");
        case 1:
            return g_strdup_printf ("p%zu", below (g, g->np));
        case 2:
            if (g->kinds[i])
                return g_strdup_printf ("kind:%s", kinds[i]);
            break;
        case 3:
            if (g->tags[i % 2])
                return g_strdup_printf ("tag:%s", tags[i % 2]);
            break;
        default:
            return g_strdup ("p*");
        }
    }
}

static void
gen_rules (Gen *g)
{
    static const char *const scopes[] = { "[\"*\"]", "[\"s0\"]", "[\"s?\"]", "[\"s1*\"]" };
    size_t n = 1 + below (g, 6);
    g_string_append (g->out, "  \"rules\": [\n");
    for (size_t r = 0; r < n; r++) {
        g_autofree char *sel = selector (g);
        g_string_append_printf (g->out,
                                "    { \"id\": \"r%zu\", \"effect\": \"%s\", "
                                "\"partners\": [\"%s\"], ",
                                r, chance (g, 0.75) ? "allow" : "deny", sel);
        if (chance (g, 0.3))
            g_string_append_printf (g->out, "\"apis\": [\"api%zu\"], ", below (g, g->na));
        g_string_append_printf (g->out, "\"scopes\": %s", scopes[below (g, G_N_ELEMENTS (scopes))]);
        window_keys (g, "from", "until", TRUE);
        g_string_append_printf (g->out, " }%s\n", r + 1 < n ? "," : "");
    }
    g_string_append (g->out, "  ],\n");
}

static void
gen_settings (Gen *g)
{
    g_string_append_printf (g->out, "\"settings\": { \"platform\": %s, \"apps_others\": ",
                            chance (g, 0.8) ? "true" : "false");
    if (chance (g, 0.5))
        g_string_append (g->out, "[\"*\"]");
    else
        id_list (g, "f", g->nf, 0.5, FALSE);
    g_string_append_printf (g->out, ", \"audience\": { \"*\": \"%s\"",
                            audiences[below (g, G_N_ELEMENTS (audiences))]);
    if (chance (g, 0.5))
        g_string_append_printf (g->out, ", \"f%zu\": \"%s\"", below (g, g->nf),
                                audiences[below (g, G_N_ELEMENTS (audiences))]);
    g_string_append (g->out, " } }");
}

static void
gen_explicit_users (Gen *g)
{
    size_t n = 2 + below (g, 9);
    g_string_append (g->out, "  \"population\": { \"users\": [\n");
    for (size_t u = 0; u < n; u++) {
        g_string_append_printf (g->out, "    { \"id\": \"u%zu\", \"friends\": [", u);
        for (size_t v = u + 1, first = 1; v < n; v++)
            if (chance (g, 0.35)) {
                g_string_append_printf (g->out, "%s\"u%zu\"", first ? "" : ", ", v);
                first = 0;
            }
        g_string_append (g->out, "], \"uses\": ");
        id_list (g, "p", g->np, 0.3, FALSE);
        g_string_append (g->out, ", ");
        gen_settings (g);
        g_string_append_printf (g->out, " }%s\n", u + 1 < n ? "," : "");
    }
    g_string_append (g->out, "  ] }\n");
}

static void
gen_generated_users (Gen *g)
{
    g_string_append_printf (g->out,
                            "  \"population\": { \"generator\": \"erdos_renyi\", \"users\": %zu, "
                            "\"mean_degree\": %zu,\n    \"settings\": { \"platform_off\": 0.2, "
                            "\"apps_others_restricted\": 0.3, "
                            "\"apps_others_restricted_fields\": [\"f0\"],\n"
                            "      \"audience\": { \"*\": { \"public\": 0.25, "
                            "\"friends_of_friends\": 0.25, \"friends\": 0.25, "
                            "\"only_me\": 0.25 } } },\n    \"adoption\": { \"*\": 0.%zu } }\n",
                            30 + below (g, 51), 2 + below (g, 5), 1 + below (g, 4));
}

char *
fsim_random_scenario (guint32 seed, gboolean generated)
{
    Gen g = { .rng = g_rand_new_with_seed (seed), .out = g_string_new (NULL) };
    g.nf = 2 + below (&g, 5);
    g.na = 1 + below (&g, 3);
    g.np = 2 + below (&g, 7);
    g_string_append_printf (g.out,
                            "{\n  \"scenario\": \"random-%u\", \"date\": \"%s\", "
                            "\"seed\": %u,\n  \"fields\": [",
                            seed, dates[below (&g, G_N_ELEMENTS (dates))], seed);
    for (size_t f = 0; f < g.nf; f++)
        g_string_append_printf (g.out, "%s{ \"id\": \"f%zu\" }", f ? ", " : "", f);
    g_string_append (g.out, "],\n");
    gen_apis (&g);
    gen_partners (&g);
    gen_rules (&g);
    if (generated)
        gen_generated_users (&g);
    else
        gen_explicit_users (&g);
    g_string_append (g.out, "}\n");
    g_rand_free (g.rng);
    return g_string_free (g.out, FALSE);
}
