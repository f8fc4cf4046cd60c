/* SPDX-License-Identifier: MIT */
/* loader-limits.c: limits on the size of a whole model, whose products cost memory and time. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include <cjson/cJSON.h>

#include "loader-private.h"
#include "memory.h"

/*
 * Each count has its own limit (loader.c), but a model's cost is in their products: a 3 MB file
 * of 16384 fields and 16384 partners asks for 268 million (field, partner) counters and report
 * rows, one of 262144 rules and 16384 partners for 4 GB of rule matches, and thousands of rules
 * over millions of decisions for hours of work. So the products are limited too; the bundled
 * scenarios are thousands of times below each (docs/robustness.md).
 */
#define MAX_FLOWS (1u << 21)              /* fields x destinations: report rows, engine counters */
#define MAX_RULE_MATCHES (1u << 28)       /* rules x (partners + APIs + scopes): bytes */
#define MAX_DECISIONS (1u << 24)          /* (partner, integrated API, scope) triples */
#define MAX_RULE_WORK ((guint64) 1 << 31) /* decisions x rules: rule checks on one day */
#define MAX_PATTERN_WORK ((guint64) 1 << 28) /* patterns x what they are matched against */
#define MAX_PAIRS (1u << 24)              /* fields x partners: per-user tables, a byte each */

static gboolean
fail_size (FsimConv *c, const cJSON *root, GError **error, const char *what, guint64 value,
           const char *unit, guint64 limit, const char *why)
{
    return fsim_i_fail (c, error, root, FALSE, FSIM_LOADER_ERROR_LIMIT, NULL,
                        "the model is too large: %s make %" G_GUINT64_FORMAT " %s, more than "
                        "the limit of %" G_GUINT64_FORMAT " (%s)", what, value, unit, limit, why);
}

/* ---- before converting: the cost of converting ------------------------------------------- */

static guint64
array_size (const cJSON *obj, const char *key)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive (obj, key);
    return cJSON_IsArray (a) ? (guint64) cJSON_GetArraySize (a) : 0;
}

/* The strings in every array named @key at any depth under @node. */
static guint64
count_in_arrays (const cJSON *node, const char *key)
{
    guint64 n = 0;
    for (const cJSON *c = node ? node->child : NULL; c; c = c->next) {
        if (c->string && strcmp (c->string, key) == 0 && cJSON_IsArray (c)) {
            for (const cJSON *e = c->child; e; e = e->next)
                n += cJSON_IsString (e) ? 1 : 0;
        } else {
            n += count_in_arrays (c, key); /* depth is limited to 64 */
        }
    }
    return n;
}

/* The field patterns of a population: the keys of every "audience" object and the strings of
 * every "apps_others..." array. */
static guint64
count_population_patterns (const cJSON *node)
{
    guint64 n = 0;
    for (const cJSON *c = node ? node->child : NULL; c; c = c->next) {
        if (c->string && strcmp (c->string, "audience") == 0 && cJSON_IsObject (c))
            n += (guint64) cJSON_GetArraySize (c);
        else if (c->string && g_str_has_prefix (c->string, "apps_others") && cJSON_IsArray (c))
            n += (guint64) cJSON_GetArraySize (c);
        else
            n += count_population_patterns (c);
    }
    return n;
}

/*
 * Converting matches every pattern against what it may name: a field pattern (of a scope, a
 * destination, a share, an expectation, the population's settings) against every field, a
 * request against the scopes, a rule's selectors against the partners, APIs and scopes. Refuse
 * models where that alone would take minutes, before starting. (Ids are looked up by hash.)
 */
gboolean
fsim_i_check_model_work (FsimConv *c, const cJSON *root, GError **error)
{
    const cJSON *apis = cJSON_GetObjectItemCaseSensitive (root, "apis");
    const cJSON *partners = cJSON_GetObjectItemCaseSensitive (root, "partners");
    const cJSON *rules = cJSON_GetObjectItemCaseSensitive (root, "rules");
    guint64 scopes = 0;
    for (const cJSON *a = cJSON_IsArray (apis) ? apis->child : NULL; a; a = a->next)
        scopes += array_size (a, "scopes");
    guint64 fields = array_size (root, "fields");
    guint64 field_patterns =
        count_in_arrays (apis, "fields") + count_in_arrays (partners, "fields")
        + count_in_arrays (cJSON_GetObjectItemCaseSensitive (root, "expect"), "fields")
        + count_population_patterns (cJSON_GetObjectItemCaseSensitive (root, "population"));
    guint64 work = field_patterns * fields + count_in_arrays (partners, "requests") * scopes
                   + count_in_arrays (rules, "partners") * array_size (root, "partners")
                   + count_in_arrays (rules, "apis") * array_size (root, "apis")
                   + count_in_arrays (rules, "scopes") * scopes;

    if (work > MAX_PATTERN_WORK)
        return fail_size (c, root, error,
                          "the field patterns, requests and rule selectors, each times what it "
                          "may select,", work, "pattern checks", MAX_PATTERN_WORK,
                          "converting would take minutes");
    return TRUE;
}

/* ---- after converting: the cost of running ------------------------------------------------- */

gboolean
fsim_i_check_model_size (FsimConv *c, const cJSON *root, GError **error)
{
    const FsimScenario *s = c->s;
    guint64 dests = 0, scopes = 0, decisions = 0;
    g_autofree char *what = NULL;

    for (size_t p = 0; p < s->n_partners; p++) {
        dests += s->partners[p].n_destinations;
        for (size_t k = 0; k < s->partners[p].n_apis; k++)
            decisions += s->apis[s->partners[p].apis[k]].n_scopes;
    }
    for (size_t a = 0; a < s->n_apis; a++)
        scopes += s->apis[a].n_scopes;

    guint64 flows = (guint64) s->n_fields * dests;
    guint64 matches = (guint64) s->n_rules * (s->n_partners + s->n_apis + scopes);
    guint64 work = decisions * s->n_rules;
    if (flows > MAX_FLOWS) {
        what = g_strdup_printf ("%zu fields times %" G_GUINT64_FORMAT " destinations",
                                s->n_fields, dests);
        return fail_size (c, root, error, what, flows, "flows", MAX_FLOWS,
                          "each is a row of the report and a set of counters");
    }
    if (matches > MAX_RULE_MATCHES) {
        what = g_strdup_printf ("%zu rules times %" G_GUINT64_FORMAT " partners, APIs and scopes",
                                s->n_rules, s->n_partners + s->n_apis + scopes);
        return fail_size (c, root, error, what, matches, "rule matches", MAX_RULE_MATCHES,
                          "each rule is matched against each of them");
    }
    if (decisions > MAX_DECISIONS)
        return fail_size (c, root, error, "the scopes of the APIs that the partners integrate",
                          decisions, "decisions", MAX_DECISIONS, "each is decided");
    if (work > MAX_RULE_WORK) {
        what = g_strdup_printf ("%" G_GUINT64_FORMAT " decisions times %zu rules", decisions,
                                s->n_rules);
        return fail_size (c, root, error, what, work, "rule checks", MAX_RULE_WORK,
                          "each decision checks every rule");
    }
    guint64 pairs = (guint64) s->n_fields * s->n_partners;
    if (pairs > MAX_PAIRS) {
        what = g_strdup_printf ("%zu fields times %zu partners", s->n_fields, s->n_partners);
        return fail_size (c, root, error, what, pairs, "(field, partner) pairs", MAX_PAIRS,
                          "explain, diff and check keep a table of them per user");
    }
    /* What running needs besides the population, which is estimated when it is built: the
     * decisions (8 bytes each, twice for diff), the rule index (a bit per rule match), the
     * per-user tables of the analyses (a few bytes per pair) and the engine's counters per
     * flow. Refused here, as out of memory, rather than aborted on in an allocation. */
    double need = (double) decisions * 16 + (double) matches / 8 + (double) pairs * 8 +
                  (double) flows * 64;
    if (need > (double) fsim_memory_limit ())
        return fsim_i_fail (c, error, root, FALSE, FSIM_LOADER_ERROR_LIMIT, NULL,
                            "out of memory: running this model needs about %.2f GiB (%"
                            G_GUINT64_FORMAT " decisions, %" G_GUINT64_FORMAT " (field, partner) "
                            "pairs), more than this machine can give (%.2f GiB)",
                            need / (1 << 30), decisions, pairs,
                            (double) fsim_memory_limit () / (1 << 30));
    return TRUE;
}
