/* SPDX-License-Identifier: MIT */
/* expect.c: evaluates a scenario's "expect" assertions and finds counterexample users. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "analysis-private.h"
#include "expect.h"
#include "explain.h"
#include "memory.h"
#include "text.h"

#define MAX_DAYS 256 /* days a nothing_after is checked on; beyond, see collect_days() */

void
fsim_check_free (FsimCheck *c)
{
    if (!c)
        return;
    for (guint i = 0; c->results && i < c->results->len; i++)
        g_free (g_array_index (c->results, FsimCheckResult, i).description);
    if (c->results)
        g_array_unref (c->results);
    g_free (c);
}

gboolean
fsim_check_passed (const FsimCheck *c)
{
    for (guint i = 0; i < c->results->len; i++)
        if (!g_array_index (c->results, FsimCheckResult, i).passed)
            return FALSE;
    return TRUE;
}

/* ---- describing an expectation ---------------------------------------------------------- */

static void
describe_fields (const FsimScenario *s, const FsimExpectation *x, GString *out)
{
    size_t n = fsim_bits_count (x->fields, s->field_words);
    if (n == s->n_fields || (x->sensitive && n > 3)) {
        g_string_append (out, x->sensitive ? "sensitive fields" : "any field");
        return;
    }
    size_t shown = 0;
    for (size_t f = 0; f < s->n_fields; f++) {
        if (!fsim_bits_get (x->fields, f))
            continue;
        if (shown == 3) {
            g_string_append_printf (out, " and %zu more", n - 3);
            break;
        }
        g_string_append (out, shown ? (shown + 1 == n ? " or " : ", ") : "");
        fsim_i_append_clean (out, s->fields[f].id);
        shown++;
    }
    if (n == 0)
        g_string_append (out, "no field (none is selected)");
}

static void
describe_target (const FsimExpectation *x, GString *out)
{
    if (x->partner) {
        g_string_append (out, strcmp (x->partner, "*") == 0 ? "any partner" : "");
        if (strcmp (x->partner, "*") != 0)
            fsim_i_append_clean (out, x->partner);
    } else {
        g_string_append (out, "any partner");
    }
    if (x->jurisdiction) {
        g_string_append (out, strcmp (x->jurisdiction, "device") == 0 ? " on a device" : " in ");
        if (strcmp (x->jurisdiction, "device") != 0)
            fsim_i_append_clean (out, x->jurisdiction);
    }
}

char *
fsim_expectation_describe (const FsimScenario *s, const FsimExpectation *x)
{
    GString *out = g_string_new (NULL);
    switch (x->kind) {
    case FSIM_EXPECT_AT_MOST:
        g_string_append_printf (out, "at most %" G_GUINT64_FORMAT " user%s with ", x->count,
                                x->count == 1 ? "" : "s");
        break;
    case FSIM_EXPECT_REACHES:
        g_string_append_printf (out, "at least %" G_GUINT64_FORMAT " user%s with ", x->count,
                                x->count == 1 ? "" : "s");
        break;
    default:
        g_string_append (out, "no user with ");
    }
    describe_fields (s, x, out);
    g_string_append (out, " reaching ");
    describe_target (x, out);
    if (x->without_consent)
        g_string_append (out, " without consent");
    if (x->kind == FSIM_EXPECT_NOTHING_AFTER) {
        g_autofree char *day = fsim_day_format (x->date);
        g_string_append_printf (out, " after %s", day);
    }
    return g_string_free (out, FALSE);
}

/* ---- matching --------------------------------------------------------------------------- */

/* What an expectation selects, resolved against the scenario. */
typedef struct {
    FsimCheckResult *r;
    FsimWord *partners; /* partner bit set */
    guint8 *lands;      /* [f * np + p]: p has a destination in the jurisdiction receiving f */
    gboolean evaluated; /* on the current day */
} Target;

/* FALSE with @error when its byte per (field, partner) (16 MiB at the limits, for each of up
 * to 4,096 expectations) cannot be had: tried. */
static gboolean
target_init (Target *t, const FsimScenario *s, FsimCheckResult *r, GError **error)
{
    const FsimExpectation *x = r->x;
    t->r = r;
    t->partners = fsim_bits_new (s->partner_words);
    for (size_t p = 0; p < s->n_partners; p++)
        if (!x->partner || fsim_partner_selector_matches (&s->partners[p], x->partner))
            fsim_bits_set (t->partners, p);
    t->lands = fsim_try_new0 (s->n_fields * s->n_partners + 1, 1,
                              "an expectation's fields and partners", error);
    if (t->lands == NULL)
        return FALSE;
    for (size_t p = 0; p < s->n_partners; p++)
        for (size_t d = 0; d < s->partners[p].n_destinations; d++) {
            const FsimDestination *dest = &s->partners[p].destinations[d];
            if (x->jurisdiction && strcmp (fsim_i_dest_jurisdiction (dest), x->jurisdiction))
                continue;
            for (size_t f = 0; f < s->n_fields; f++)
                if (fsim_bits_get (dest->fields, f))
                    t->lands[f * s->n_partners + p] = 1;
        }
    return TRUE;
}

static void
target_clear (Target *t)
{
    g_free (t->partners);
    g_free (t->lands);
}

/* The first matching flow of a user's channel masks: TRUE and its (f, p). */
static gboolean
user_matches (const FsimScenario *s, const Target *t, const guint8 *masks, size_t *f_out,
              size_t *p_out)
{
    const FsimExpectation *x = t->r->x;
    size_t np = s->n_partners;
    for (size_t f = fsim_bits_next (x->fields, s->field_words, 0); f < s->n_fields;
         f = fsim_bits_next (x->fields, s->field_words, f + 1))
        for (size_t p = 0; p < np; p++) {
            guint8 m = masks[f * np + p];
            if (!m || !t->lands[f * np + p] || !fsim_bits_get (t->partners, p))
                continue;
            if (x->without_consent && (m & FSIM_CHANNEL_BIT (FSIM_CHANNEL_SELF)))
                continue;
            *f_out = f;
            *p_out = p;
            return TRUE;
        }
    return FALSE;
}

/* ---- days ------------------------------------------------------------------------------- */

static void
add_boundary (GArray *days, FsimDay after, FsimDay b)
{
    if (b > after && b > FSIM_DAY_MIN && b < FSIM_DAY_MAX)
        g_array_append_val (days, b);
}

static int
compare_days (gconstpointer a, gconstpointer b)
{
    FsimDay x = *(const FsimDay *) a, y = *(const FsimDay *) b;
    return (x > y) - (x < y);
}

/* The days an expectation is checked on, sorted, without repeats. */
static GArray *
collect_days (const FsimScenario *s, const FsimExpectation *x)
{
    GArray *days = g_array_new (FALSE, FALSE, sizeof (FsimDay));
    if (x->kind != FSIM_EXPECT_NOTHING_AFTER) {
        g_array_append_val (days, s->date);
        return days;
    }
    FsimDay first = x->date + 1;
    g_array_append_val (days, first);
    add_boundary (days, first, s->date);
    for (size_t r = 0; r < s->n_rules; r++) {
        add_boundary (days, first, s->rules[r].window.from);
        add_boundary (days, first, s->rules[r].window.until);
    }
    for (size_t a = 0; a < s->n_apis; a++) {
        add_boundary (days, first, s->apis[a].active.from);
        add_boundary (days, first, s->apis[a].active.until);
    }
    for (size_t p = 0; p < s->n_partners; p++)
        for (size_t i = 0; i < s->partners[p].n_shares; i++) {
            add_boundary (days, first, s->partners[p].shares[i].active.from);
            add_boundary (days, first, s->partners[p].shares[i].active.until);
        }
    g_array_sort (days, compare_days);
    guint n = 0;
    for (guint i = 0; i < days->len; i++)
        if (n == 0 || g_array_index (days, FsimDay, i) != g_array_index (days, FsimDay, n - 1))
            g_array_index (days, FsimDay, n++) = g_array_index (days, FsimDay, i);
    g_array_set_size (days, MIN (n, (guint) MAX_DAYS));
    return days;
}

static gboolean
has_day (const GArray *days, FsimDay day)
{
    for (guint i = 0; i < days->len; i++)
        if (g_array_index (days, FsimDay, i) == day)
            return TRUE;
    return FALSE;
}

/* ---- evaluation ------------------------------------------------------------------------- */

typedef struct {
    Target target;
    GArray *days;
    size_t day_users;
    gssize day_user;
    size_t day_f, day_p;
} Eval;

/* The part's own users, on @day, for every expectation checked that day: how many match and
 * the first: its global id in @firsts[i], its (field, partner) in @flows[i] (f * n_partners +
 * p). FALSE with @error set when the day cannot be traced. */
static gboolean
trace_day (const FsimScenario *s, const FsimPopulation *pop, const FsimCheckParts *parts,
           FsimDay day, Eval *evals, size_t n, uint64_t *counts, uint64_t *firsts, uint64_t *flows,
           GError **error)
{
    g_autoptr (FsimDecisions) d = fsim_decisions_try_new (s, day, error);
    if (!d)
        return FALSE;
    g_autoptr (FsimTracer) t = fsim_tracer_new_near (s, pop, d, parts->near, error);
    if (!t)
        return FALSE;
    g_autofree guint8 *masks =
        fsim_try_new0 (s->n_fields * s->n_partners + 1, 1, "a user's fields and partners", error);
    if (masks == NULL)
        return FALSE;
    for (size_t u = 0; u < parts->n_own; u++) {
        if (!fsim_tracer_user (t, u, masks, error))
            return FALSE;
        for (size_t i = 0; i < n; i++) {
            size_t f, p;
            if (!evals[i].target.evaluated || !user_matches (s, &evals[i].target, masks, &f, &p))
                continue;
            if (counts[i]++ == 0) {
                firsts[i] = parts->first + u;
                flows[i] = f * s->n_partners + p;
            }
        }
    }
    return TRUE;
}

/* Counts, on @day, the users of every expectation checked that day, over every part. */
static gboolean
evaluate_day (const FsimScenario *s, const FsimPopulation *pop, const FsimCheckParts *parts,
              FsimDay day, Eval *evals, size_t n, GError **error)
{
    g_autofree uint64_t *counts = g_new0 (uint64_t, n + 1); /* and, last, the parts failed */
    g_autofree uint64_t *firsts = g_new (uint64_t, n + 1), *flows = g_new (uint64_t, n + 1);
    g_autofree uint64_t *mine = g_new (uint64_t, n + 1);
    for (size_t i = 0; i < n; i++) {
        evals[i].target.evaluated = has_day (evals[i].days, day);
        firsts[i] = flows[i] = UINT64_MAX;
    }
    /* a part that fails still takes part in the sums, so that no other waits for it */
    counts[n] = !trace_day (s, pop, parts, day, evals, n, counts, firsts, flows, error);
    parts->sum (counts, n + 1, parts->data);
    /* the lowest matching user over the parts, then the flow of the part that has it */
    memcpy (mine, firsts, n * sizeof (uint64_t));
    parts->min (firsts, n, parts->data);
    for (size_t i = 0; i < n; i++)
        if (mine[i] != firsts[i])
            flows[i] = UINT64_MAX;
    parts->min (flows, n, parts->data);
    if (counts[n] != 0) {
        if (error && *error == NULL)
            g_set_error_literal (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_OTHER_RANK,
                                 "another rank failed");
        return FALSE;
    }
    for (size_t i = 0; i < n; i++) {
        Eval *e = &evals[i];
        e->day_users = (size_t) counts[i];
        e->day_user = -1;
        if (firsts[i] == UINT64_MAX)
            continue;
        e->day_user = (gssize) firsts[i];
        e->day_f = (size_t) (flows[i] / s->n_partners);
        e->day_p = (size_t) (flows[i] % s->n_partners);
    }
    return TRUE;
}

/* For a `reaches` that failed: a user to show why not (the lowest who uses a matching partner,
 * else the lowest with a friend who does, else the first user), and the first (field, partner)
 * it could be. */
static void
why_not_user (const FsimScenario *s, const FsimPopulation *pop, const FsimCheckParts *parts,
              const Target *t, FsimCheckResult *r)
{
    size_t np = s->n_partners;
    r->user = -1;
    for (size_t f = 0; f < s->n_fields && r->user < 0; f++)
        for (size_t p = 0; p < np && r->user < 0; p++)
            if (fsim_bits_get (t->r->x->fields, f) && fsim_bits_get (t->partners, p) &&
                t->lands[f * np + p] && parts->n_total > 0) {
                r->field = f;
                r->partner = p;
                r->user = 0;
            }
    if (r->user < 0) /* the same on every part: no exchange */
        return;
    uint64_t lowest[2] = { UINT64_MAX, UINT64_MAX }; /* a user of it, one with a friend who is */
    for (size_t u = 0; u < parts->n_own && lowest[0] == UINT64_MAX; u++)
        if (fsim_bits_get (pop->uses + u * pop->partner_words, r->partner))
            lowest[0] = parts->first + u;
    for (size_t u = 0; pop->friends && u < parts->n_own && lowest[1] == UINT64_MAX; u++)
        for (size_t i = pop->friends->offsets[u]; i < pop->friends->offsets[u + 1]; i++)
            if (fsim_bits_get (pop->uses + pop->friends->adj[i] * pop->partner_words, r->partner)) {
                lowest[1] = parts->first + u;
                break;
            }
    parts->min (lowest, 2, parts->data);
    if (lowest[0] != UINT64_MAX)
        r->user = (gssize) lowest[0];
    else if (lowest[1] != UINT64_MAX)
        r->user = (gssize) lowest[1];
}

/* After a day: the result of every expectation evaluated on it. */
static void
settle_day (const FsimScenario *s, const FsimPopulation *pop, const FsimCheckParts *parts,
            FsimDay day, Eval *e)
{
    FsimCheckResult *r = e->target.r;
    const FsimExpectation *x = r->x;
    if (!e->target.evaluated || (x->kind == FSIM_EXPECT_NOTHING_AFTER && !r->passed))
        return;
    r->n_days++;
    r->day = day;
    r->users = e->day_users;
    r->user = e->day_user;
    r->field = e->day_f;
    r->partner = e->day_p;
    switch (x->kind) {
    case FSIM_EXPECT_AT_MOST:
        r->passed = e->day_users <= x->count;
        break;
    case FSIM_EXPECT_REACHES:
        r->passed = e->day_users >= x->count;
        break;
    default:
        r->passed = e->day_users == 0;
    }
    if (x->kind == FSIM_EXPECT_REACHES)
        r->user = -1;
    if (x->kind == FSIM_EXPECT_REACHES && !r->passed)
        why_not_user (s, pop, parts, &e->target, r);
    if (r->passed && x->kind != FSIM_EXPECT_REACHES)
        r->user = -1;
}

static int
compare_day_values (gconstpointer a, gconstpointer b)
{
    return compare_days (a, b);
}

/* One process: one part, the whole population; nothing to sum. */
static void
reduce_none (uint64_t *values, size_t n, void *data)
{
    (void) values, (void) n, (void) data;
}

FsimCheck *
fsim_check_run (const FsimScenario *s, const FsimPopulation *pop, GError **error)
{
    g_return_val_if_fail (s != NULL && pop != NULL, NULL);
    const FsimCheckParts whole = {
        .n_own = pop->n_users, .n_total = pop->n_users, .sum = reduce_none, .min = reduce_none
    };
    return fsim_check_run_parts (s, pop, &whole, error);
}

FsimCheck *
fsim_check_run_parts (const FsimScenario *s, const FsimPopulation *pop, const FsimCheckParts *parts,
                      GError **error)
{
    g_return_val_if_fail (s != NULL && pop != NULL && parts != NULL, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);
    g_autoptr (FsimCheck) c = g_new0 (FsimCheck, 1);
    c->results = g_array_new (FALSE, TRUE, sizeof (FsimCheckResult));
    g_array_set_size (c->results, s->n_expects);
    g_autofree Eval *evals = g_new0 (Eval, s->n_expects + 1);
    g_autoptr (GArray) all = g_array_new (FALSE, FALSE, sizeof (FsimDay));
    gboolean ok = TRUE;
    size_t n_init = 0;
    for (size_t i = 0; ok && i < s->n_expects; i++) {
        FsimCheckResult *r = &g_array_index (c->results, FsimCheckResult, i);
        *r = (FsimCheckResult){ .x = &s->expects[i],
                                .passed = TRUE,
                                .user = -1,
                                .description = fsim_expectation_describe (s, &s->expects[i]) };
        ok = target_init (&evals[i].target, s, r, error);
        evals[i].days = collect_days (s, r->x);
        g_array_append_vals (all, evals[i].days->data, evals[i].days->len);
        n_init++;
    }
    g_array_sort (all, compare_day_values);
    for (guint i = 0; ok && i < all->len; i++) {
        FsimDay day = g_array_index (all, FsimDay, i);
        if (i > 0 && day == g_array_index (all, FsimDay, i - 1))
            continue;
        ok = evaluate_day (s, pop, parts, day, evals, s->n_expects, error);
        for (size_t j = 0; ok && j < s->n_expects; j++)
            settle_day (s, pop, parts, day, &evals[j]);
    }
    for (size_t i = 0; i < n_init; i++) {
        target_clear (&evals[i].target);
        g_array_unref (evals[i].days);
    }
    return ok ? g_steal_pointer (&c) : NULL;
}

/* ---- counterexamples -------------------------------------------------------------------- */

gboolean
fsim_check_counterexample (const FsimScenario *s, const FsimPopulation *pop,
                           const FsimCheckResult *r, size_t indent, GString *out, GError **error)
{
    if (r->user < 0)
        return TRUE;
    g_autoptr (FsimDecisions) d = fsim_decisions_try_new (s, r->day, error);
    if (!d)
        return FALSE;
    g_autoptr (FsimTracer) t = fsim_tracer_new (s, pop, d, error);
    if (!t)
        return FALSE;
    g_autofree FsimWord *fields = fsim_bits_new (s->field_words);
    g_autofree FsimWord *partners = fsim_bits_new (s->partner_words);
    fsim_bits_set (fields, r->field);
    fsim_bits_set (partners, r->partner);
    g_autoptr (FsimExplanation) e =
        fsim_explain_user (t, (size_t) r->user, fields, partners, error);
    if (e == NULL)
        return FALSE;
    const FsimFlowExplanation *flow = &e->flows[0];
    g_autofree char *user = fsim_population_user_name (pop, (size_t) r->user);
    g_autofree char *day = fsim_day_format (r->day);
    fsim_append_spaces (out, indent);
    g_string_append (out, "counterexample: ");
    fsim_i_append_clean (out, user);
    g_string_append (out, "'s ");
    fsim_i_append_clean (out, s->fields[r->field].id);
    g_string_append (out, flow->channels ? " reached " : " did not reach ");
    fsim_i_append_partner (out, &s->partners[r->partner]);
    if (flow->channels)
        g_string_append (out, flow->channels & FSIM_CHANNEL_BIT (FSIM_CHANNEL_SELF)
                                  ? " with consent"
                                  : " without consent");
    g_string_append_printf (out, " on %s\n", day);
    for (guint i = 0; i < flow->n_routes; i++) {
        const FsimRoute *route = &flow->routes[i];
        if (!flow->channels || route->block == FSIM_BLOCK_NONE)
            fsim_explain_route_text (t, (size_t) r->user, flow, route, indent + 2, out);
    }
    return TRUE;
}
