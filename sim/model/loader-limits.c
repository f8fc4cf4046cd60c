/* SPDX-License-Identifier: MIT */
/* loader-limits.c: limits on the size of a whole model, whose products cost memory and time. */
#include "config.h"

#include <math.h>
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
/* patterns x what they are matched against: a glob check costs about 0.3 us on this machine,
 * so 2^26 is about 20 s of converting (issue 11's fourth pass: 2^28 took lint over 91 s of CPU) */
#define MAX_PATTERN_WORK ((guint64) 1 << 26)
#define MAX_PAIRS (1u << 24) /* fields x partners: per-user tables, a byte each */

/* Entry @i of @arr (an array of the merged tree), or @arr itself when that entry has no place
 * of its own. An array merged from several files has no place, but each of its entries has
 * the place it was written at, in its own file. */
static const cJSON *
entry (FsimConv *c, const cJSON *arr, guint64 i)
{
    const cJSON *e = i <= G_MAXINT ? cJSON_GetArrayItem (arr, (int) i) : NULL;
    return e && fsim_i_json_loc (c->doc, e) ? e : arr;
}

/* The first of @n entries over a limit, when @rest is spent already and each entry costs
 * @each: the first i (from 0) with @rest + (i + 1) * @each > @limit, at most @n - 1. */
static guint64
first_over (double rest, double each, guint64 n, double limit)
{
    if (n == 0)
        return 0;
    if (each <= 0 || rest > limit)
        return 0;
    double i = floor ((limit - rest) / each);
    while (i > 0 && rest + i * each > limit) /* rounding */
        i--;
    return i >= (double) n ? n - 1 : (guint64) i;
}

/* The scope numbered @k (from 0) over every API of @apis in order. */
static const cJSON *
nth_scope (FsimConv *c, const cJSON *apis, guint64 k)
{
    for (const cJSON *a = cJSON_IsArray (apis) ? apis->child : NULL; a; a = a->next) {
        const cJSON *scopes = cJSON_GetObjectItemCaseSensitive (a, "scopes");
        guint64 n = cJSON_IsArray (scopes) ? (guint64) cJSON_GetArraySize (scopes) : 0;
        if (k < n)
            return entry (c, scopes, k);
        k -= n;
    }
    return apis;
}

/*
 * A model too large: "FILE:LINE:COL: the model is too large: @what make @value @unit, more
 * than the limit of @limit (@why; the first @noun over, number @index + 1, is here)", located
 * at @at, the entry of the array whose length makes the product exceed the limit.
 */
static gboolean
fail_size (FsimConv *c, const cJSON *at, GError **error, const char *what, guint64 value,
           const char *unit, guint64 limit, const char *why, const char *noun, guint64 index)
{
    return fsim_i_fail (c, error, at, FALSE, FSIM_LOADER_ERROR_LIMIT, NULL,
                        "the model is too large: %s make %" G_GUINT64_FORMAT " %s, more than "
                        "the limit of %" G_GUINT64_FORMAT
                        " (%s; the first %s over, number %" G_GUINT64_FORMAT ", is here)",
                        what, value, unit, limit, why, noun, index + 1);
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
/*
 * The arrays converting makes by field, API, scope, partner, destination, share and rule (each
 * count at most 16384 or 262144, a bit set of the fields for each scope, destination and share,
 * and per field the loader's lists of ids), checked first at the model's object: they are
 * GLib's allocations, small one by one but tens of MiB at the limits.
 */
/* An entity's small allocations, at most (check_entities_memory()). */
#define FSIM_LOADER_ENTITY_SMALL_BYTES 512

static gboolean
check_entities_memory (FsimConv *c, const cJSON *root, guint64 fields, guint64 apis, guint64 scopes,
                       guint64 partners, GError **error)
{
    const cJSON *ps = cJSON_GetObjectItemCaseSensitive (root, "partners");
    guint64 destinations = 0, shares = 0, integrates = 0;
    for (const cJSON *p = cJSON_IsArray (ps) ? ps->child : NULL; p; p = p->next) {
        destinations += array_size (p, "destinations");
        shares += array_size (p, "shares");
        integrates += array_size (p, "integrates");
    }
    guint64 field_set = 8 * FSIM_BITS_WORDS (fields) + 16, header = 16;
    guint64 bytes = fields * (sizeof (FsimField) + 4 * sizeof (char *)) + apis * sizeof (FsimApi) +
                    scopes * (sizeof (FsimScope) + field_set + header) +
                    partners * (sizeof (FsimPartner) + 2 * sizeof (char *)) +
                    integrates * (sizeof (size_t) + sizeof (FsimWord *) + header) +
                    ((guint64) 1 << 21) /* the requested scopes' bits: 2^24 decisions at most */ +
                    destinations * (sizeof (FsimDestination) + field_set) +
                    shares * (sizeof (FsimShare) + field_set) +
                    array_size (root, "rules") * sizeof (FsimRule);
    /* and each entity's strings and small arrays (ids, names, lists of ids, locations): up to
     * a dozen allocations of a few bytes each, 32 to 48 with malloc's header and rounding.
     * Without them the estimate was half the conversion's memory, which GLib then aborted in:
     * 255 included files of 64 partners under `ulimit -v` 116 to 118 MB (seventh pass). */
    bytes +=
        (fields + apis + scopes + partners + destinations + shares + array_size (root, "rules")) *
        FSIM_LOADER_ENTITY_SMALL_BYTES;
    g_autoptr (GError) nomem = NULL;
    if (fsim_memory_reserve (bytes, "the model's fields, APIs, scopes, partners and rules", &nomem))
        return TRUE;
    return fsim_i_fail (c, error, root, FALSE, FSIM_LOADER_ERROR_LIMIT, NULL, "%s", nomem->message);
}

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
        count_in_arrays (apis, "fields") + count_in_arrays (partners, "fields") +
        count_in_arrays (cJSON_GetObjectItemCaseSensitive (root, "expect"), "fields") +
        count_population_patterns (cJSON_GetObjectItemCaseSensitive (root, "population"));
    guint64 requests = count_in_arrays (partners, "requests");
    guint64 rule_partners = count_in_arrays (rules, "partners");
    guint64 rule_apis = count_in_arrays (rules, "apis");
    guint64 rule_scopes = count_in_arrays (rules, "scopes");
    guint64 n_partners = array_size (root, "partners"), n_apis = array_size (root, "apis");
    guint64 work = field_patterns * fields + requests * scopes + rule_partners * n_partners +
                   rule_apis * n_apis + rule_scopes * scopes;

    if (work <= MAX_PATTERN_WORK)
        return check_entities_memory (c, root, fields, n_apis, scopes, n_partners, error);
    /* Located at the array that multiplies the largest term: the field list for the field
     * patterns, the scopes for the requests and the rules' scope selectors, the partners and
     * APIs for the rules' selectors of them; at its first entry over the limit. */
    const struct {
        guint64 term, n;
        const cJSON *arr; /* NULL: the scopes */
        const char *noun;
    } terms[] = {
        { field_patterns * fields, fields, cJSON_GetObjectItemCaseSensitive (root, "fields"),
          "field" },
        { (requests + rule_scopes) * scopes, scopes, NULL, "scope" },
        { rule_partners * n_partners, n_partners, partners, "partner" },
        { rule_apis * n_apis, n_apis, apis, "API" },
    };
    size_t big = 0;
    for (size_t i = 1; i < G_N_ELEMENTS (terms); i++)
        if (terms[i].term > terms[big].term)
            big = i;
    guint64 at = first_over ((double) (work - terms[big].term),
                             (double) terms[big].term / (double) terms[big].n, terms[big].n,
                             (double) MAX_PATTERN_WORK);
    return fail_size (c, terms[big].arr ? entry (c, terms[big].arr, at) : nth_scope (c, apis, at),
                      error,
                      "the field patterns, requests and rule selectors, each times what "
                      "it may select,",
                      work, "pattern checks", MAX_PATTERN_WORK, "converting would take minutes",
                      terms[big].noun, at);
}

/* ---- after converting: the cost of running ------------------------------------------------- */

/* A converted model's counts and the products that are limited. */
typedef struct {
    guint64 dests, scopes, decisions;
    guint64 flows, matches, work, pairs;
} ModelSize;

static ModelSize
model_size (const FsimScenario *s)
{
    ModelSize m = { 0 };
    for (size_t p = 0; p < s->n_partners; p++) {
        m.dests += s->partners[p].n_destinations;
        for (size_t k = 0; k < s->partners[p].n_apis; k++)
            m.decisions += s->apis[s->partners[p].apis[k]].n_scopes;
    }
    for (size_t a = 0; a < s->n_apis; a++)
        m.scopes += s->apis[a].n_scopes;
    m.flows = (guint64) s->n_fields * m.dests;
    m.matches = (guint64) s->n_rules * (s->n_partners + s->n_apis + m.scopes);
    m.work = m.decisions * s->n_rules;
    m.pairs = (guint64) s->n_fields * s->n_partners;
    return m;
}

/* The partner whose integrated scopes take the decisions over MAX_DECISIONS. */
static guint64
partner_over_decisions (const FsimScenario *s)
{
    guint64 sum = 0, p = 0;
    for (; p + 1 < s->n_partners; p++) {
        for (size_t k = 0; k < s->partners[p].n_apis; k++)
            sum += s->apis[s->partners[p].apis[k]].n_scopes;
        if (sum > MAX_DECISIONS)
            break;
    }
    return p;
}

/*
 * What running needs besides the population, which is estimated when it is built: the
 * decisions (8 bytes each, twice for diff), the rule index (a bit per rule match), the per-user
 * tables of the analyses (a few bytes per pair) and the engine's counters per flow. Refused
 * here, as out of memory, rather than aborted on in an allocation; located at the first entry
 * too many of the array that costs the most (partners for the decisions, rules for their
 * matches, fields for the pairs and flows).
 */
static gboolean
check_model_memory (FsimConv *c, const cJSON *root, const ModelSize *m, GError **error)
{
    const FsimScenario *s = c->s;
    double need = (double) m->decisions * 16 + (double) m->matches / 8 + (double) m->pairs * 8 +
                  (double) m->flows * 64;
    double limit = (double) fsim_memory_limit ();
    if (need <= limit)
        return TRUE;
    const struct {
        double cost;
        guint64 n;
        const char *key, *noun;
    } costs[] = {
        { (double) m->decisions * 16, s->n_partners, "partners", "partner" },
        { (double) m->matches / 8, s->n_rules, "rules", "rule" },
        { (double) m->pairs * 8 + (double) m->flows * 64, s->n_fields, "fields", "field" },
    };
    size_t big = 0;
    for (size_t i = 1; i < G_N_ELEMENTS (costs); i++)
        if (costs[i].cost > costs[big].cost)
            big = i;
    guint64 at = first_over (need - costs[big].cost, costs[big].cost / (double) costs[big].n,
                             costs[big].n, limit);
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive (root, costs[big].key);
    g_autofree char *whose = fsim_memory_whose (); /* under mpirun, a rank's share */
    g_autofree char *needs = fsim_memory_size_text (need);
    g_autofree char *can = fsim_memory_size_text (limit);
    return fsim_i_fail (c, error, entry (c, arr, at), FALSE, FSIM_LOADER_ERROR_LIMIT, NULL,
                        "out of memory: running this model needs about %s (%" G_GUINT64_FORMAT
                        " decisions, %" G_GUINT64_FORMAT " (field, partner) "
                        "pairs), more than %s (%s; the first %s over, "
                        "number %" G_GUINT64_FORMAT ", is here)",
                        needs, m->decisions, m->pairs, whose, can, costs[big].noun, at + 1);
}

/* Each error points at the first entry of the array whose length takes the product over its
 * limit: the first field, rule or partner too many. */
gboolean
fsim_i_check_model_size (FsimConv *c, const cJSON *root, GError **error)
{
    const FsimScenario *s = c->s;
    const ModelSize m = model_size (s);
    const cJSON *fields = cJSON_GetObjectItemCaseSensitive (root, "fields");
    const cJSON *rules = cJSON_GetObjectItemCaseSensitive (root, "rules");
    g_autofree char *what = NULL;
    guint64 at;

    if (m.flows > MAX_FLOWS) {
        what = g_strdup_printf ("%zu fields times %" G_GUINT64_FORMAT " destinations", s->n_fields,
                                m.dests);
        at = MAX_FLOWS / m.dests;
        return fail_size (c, entry (c, fields, at), error, what, m.flows, "flows", MAX_FLOWS,
                          "each is a row of the report and a set of counters", "field", at);
    }
    if (m.matches > MAX_RULE_MATCHES) {
        guint64 targets = s->n_partners + s->n_apis + m.scopes;
        what = g_strdup_printf ("%zu rules times %" G_GUINT64_FORMAT " partners, APIs and scopes",
                                s->n_rules, targets);
        at = MAX_RULE_MATCHES / targets;
        return fail_size (c, entry (c, rules, at), error, what, m.matches, "rule matches",
                          MAX_RULE_MATCHES, "each rule is matched against each of them", "rule",
                          at);
    }
    if (m.decisions > MAX_DECISIONS) {
        at = partner_over_decisions (s);
        return fail_size (c, entry (c, cJSON_GetObjectItemCaseSensitive (root, "partners"), at),
                          error, "the scopes of the APIs that the partners integrate", m.decisions,
                          "decisions", MAX_DECISIONS, "each is decided", "partner", at);
    }
    if (m.work > MAX_RULE_WORK) {
        what = g_strdup_printf ("%" G_GUINT64_FORMAT " decisions times %zu rules", m.decisions,
                                s->n_rules);
        at = MAX_RULE_WORK / m.decisions;
        return fail_size (c, entry (c, rules, at), error, what, m.work, "rule checks",
                          MAX_RULE_WORK, "each decision checks every rule", "rule", at);
    }
    if (m.pairs > MAX_PAIRS) {
        what = g_strdup_printf ("%zu fields times %zu partners", s->n_fields, s->n_partners);
        at = MAX_PAIRS / s->n_partners;
        return fail_size (c, entry (c, fields, at), error, what, m.pairs, "(field, partner) pairs",
                          MAX_PAIRS, "explain, diff and check keep a table of them per user",
                          "field", at);
    }
    return check_model_memory (c, root, &m, error);
}
