/* SPDX-License-Identifier: MIT */
/* timeline.c: one population evaluated at a series of dates: the runs and the policy changes. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "engine.h"
#include "memory.h"
#include "policy.h"
#include "scenario.h"
#include "text.h"
#include "timeline.h"

/* The quark's name is G_DEFINE_QUARK's first argument, spelt as it stands. */
/* clang-format off */
G_DEFINE_QUARK (fsim-timeline-error-quark, fsim_timeline_error)
/* clang-format on */

gboolean
fsim_timeline_step_parse (const char *text, FsimTimelineStep *out)
{
    guint64 n = 0;
    size_t len = text ? strlen (text) : 0;
    g_return_val_if_fail (out != NULL, FALSE);
    if (len < 2)
        return FALSE;
    g_autofree char *number = g_strndup (text, len - 1);
    if (!g_ascii_string_to_unsigned (number, 10, 1, 1000, &n, NULL))
        return FALSE;
    switch (text[len - 1]) {
    case 'd':
        *out = (FsimTimelineStep){ (guint) n, FALSE };
        return TRUE;
    case 'w':
        *out = (FsimTimelineStep){ (guint) n * 7, FALSE };
        return TRUE;
    case 'm':
        *out = (FsimTimelineStep){ (guint) n, TRUE };
        return TRUE;
    case 'y':
        *out = (FsimTimelineStep){ (guint) n * 12, TRUE };
        return TRUE;
    default:
        return FALSE;
    }
}

char *
fsim_timeline_step_format (FsimTimelineStep step)
{
    if (step.months)
        return step.count % 12 == 0 ? g_strdup_printf ("%uy", step.count / 12)
                                    : g_strdup_printf ("%um", step.count);
    return step.count % 7 == 0 ? g_strdup_printf ("%uw", step.count / 7)
                               : g_strdup_printf ("%ud", step.count);
}

void
fsim_timeline_free (FsimTimeline *t)
{
    if (!t)
        return;
    g_free (t->days);
    g_free (t->users);
    g_free (t->no_consent);
    g_strfreev (t->jurisdictions);
    g_free (t->jur_users);
    g_free (t->jur_no_consent);
    g_strfreev (t->kinds);
    g_free (t->kind_users);
    g_free (t->kind_no_consent);
    g_free (t->partners);
    g_free (t->kind_partners);
    g_free (t->partner_users);
    g_free (t->partner_no_consent);
    for (size_t i = 0; i < t->n_events; i++)
        g_free (t->events[i].what);
    g_free (t->events);
    g_free (t->focus);
    g_free (t);
}

/* The @i-th date from @from, or -1 past the largest date GDate handles. */
static gint64
nth_day (FsimDay from, FsimTimelineStep step, size_t i)
{
    guint64 add = (guint64) step.count * i;
    if (!step.months)
        return (gint64) from + (gint64) add;
    if (add > 12 * 9000)
        return -1;
    GDate date;
    g_date_clear (&date, 1);
    g_date_set_julian (&date, (guint32) from);
    g_date_add_months (&date, (guint) add);
    return g_date_valid (&date) ? (gint64) g_date_get_julian (&date) : -1;
}

static gboolean
make_days (FsimTimeline *t, GError **error)
{
    g_autoptr (GArray) days = g_array_new (FALSE, FALSE, sizeof (FsimDay));
    if (t->from > t->to) {
        g_set_error_literal (error, FSIM_TIMELINE_ERROR, FSIM_TIMELINE_ERROR_RANGE,
                             "the start date is after the end date");
        return FALSE;
    }
    for (size_t i = 0;; i++) {
        gint64 day = nth_day (t->from, t->step, i);
        if (day < 0 || day > t->to)
            break;
        if (days->len == FSIM_TIMELINE_MAX_POINTS) {
            g_set_error (error, FSIM_TIMELINE_ERROR, FSIM_TIMELINE_ERROR_RANGE,
                         "more than %d dates: choose a larger step or a shorter range",
                         FSIM_TIMELINE_MAX_POINTS);
            return FALSE;
        }
        FsimDay d = (FsimDay) day;
        g_array_append_val (days, d);
    }
    t->n_points = days->len;
    t->days = (FsimDay *) g_array_free (g_steal_pointer (&days), FALSE);
    return TRUE;
}

/* The counts by date, tried: the dates (up to FSIM_TIMELINE_MAX_POINTS) times the partners
 * and kinds (up to 16,384 each) make up to 1.3 GB. FALSE with @error when out of memory. */
static gboolean
allocate (FsimTimeline *t, const FsimResult *r, GError **error)
{
    size_t n = t->n_points;
    struct {
        size_t **at;
        size_t n;
    } const arrays[] = {
        { &t->users, n + 1 },
        { &t->no_consent, n + 1 },
        { &t->jur_users, n * r->n_jurisdictions + 1 },
        { &t->jur_no_consent, n * r->n_jurisdictions + 1 },
        { &t->kind_users, n * r->n_kinds + 1 },
        { &t->kind_no_consent, n * r->n_kinds + 1 },
        { &t->partners, n + 1 },
        { &t->kind_partners, n * r->n_kinds + 1 },
        { &t->partner_users, n * r->n_partners + 1 },
        { &t->partner_no_consent, n * r->n_partners + 1 },
    };
    for (size_t i = 0; i < G_N_ELEMENTS (arrays); i++) {
        *arrays[i].at =
            fsim_try_new0 (arrays[i].n, sizeof (size_t), "the timeline's counts by date", error);
        if (*arrays[i].at == NULL)
            return FALSE;
    }
    t->jurisdictions = g_strdupv (r->jurisdictions);
    t->n_jurisdictions = r->n_jurisdictions;
    t->kinds = g_strdupv (r->kinds);
    t->n_kinds = r->n_kinds;
    t->n_partners = r->n_partners;
    return TRUE;
}

/* Partners that reached anyone, in all and per kind. */
static void
count_partners (FsimTimeline *t, size_t i, const FsimScenario *s, const FsimResult *r)
{
    for (size_t p = 0; p < r->n_partners; p++) {
        if (r->partner_reached[p] == 0)
            continue;
        t->partners[i]++;
        for (size_t k = 0; k < t->n_kinds; k++)
            if (strcmp (t->kinds[k], s->partners[p].kind) == 0)
                t->kind_partners[i * t->n_kinds + k]++;
    }
}

static gboolean
record (FsimTimeline *t, size_t i, const FsimScenario *s, const FsimResult *r, GError **error)
{
    if (i == 0 && !allocate (t, r, error))
        return FALSE;
    g_assert (r->n_jurisdictions == t->n_jurisdictions && r->n_kinds == t->n_kinds);
    t->users[i] = r->users_reached;
    t->no_consent[i] = r->users_reached_no_consent;
    memcpy (t->jur_users + i * t->n_jurisdictions, r->jurisdiction_users,
            t->n_jurisdictions * sizeof (size_t));
    memcpy (t->jur_no_consent + i * t->n_jurisdictions, r->jurisdiction_no_consent,
            t->n_jurisdictions * sizeof (size_t));
    memcpy (t->kind_users + i * t->n_kinds, r->kind_users, t->n_kinds * sizeof (size_t));
    memcpy (t->kind_no_consent + i * t->n_kinds, r->kind_no_consent, t->n_kinds * sizeof (size_t));
    memcpy (t->partner_users + i * t->n_partners, r->partner_reached,
            t->n_partners * sizeof (size_t));
    memcpy (t->partner_no_consent + i * t->n_partners, r->partner_reached_no_consent,
            t->n_partners * sizeof (size_t));
    count_partners (t, i, s, r);
    return TRUE;
}

/* ---- policy changes ---- */

static void
add_event (GArray *events, const FsimTimeline *t, FsimDay day, char *what)
{
    if (day <= t->from || day > t->to || day == FSIM_DAY_MIN || day == FSIM_DAY_MAX) {
        g_free (what);
        return;
    }
    FsimTimelineEvent e = { day, what };
    g_array_append_val (events, e);
}

static void
add_window_events (GArray *events, const FsimTimeline *t, FsimWindow w, const char *thing,
                   const char *starts, const char *ends)
{
    add_event (events, t, w.from, g_strdup_printf ("%s %s", thing, starts));
    add_event (events, t, w.until, g_strdup_printf ("%s %s", thing, ends));
}

static int
compare_events (gconstpointer a, gconstpointer b)
{
    const FsimTimelineEvent *x = a, *y = b;
    if (x->day != y->day)
        return x->day < y->day ? -1 : 1;
    return strcmp (x->what, y->what);
}

/* What a rule applies to, for a reader of the key who does not know its id: "for 14 partners
 * on API device-integrated" or, for up to three, by id: "for amazon, apple on every API, scopes
 * friends_*, own" (the APIs and scopes as the rule writes them, the scopes only when not all). */
#define RULE_NAMES_MAX 3

/* @all when @globs is just "*", else @one or @several and the globs. */
static void
append_globs (GString *out, const char *all, const char *one, const char *several,
              char *const *globs)
{
    size_t n = globs ? g_strv_length ((char **) globs) : 0;
    if (n == 0 || (n == 1 && strcmp (globs[0], "*") == 0)) {
        g_string_append (out, all);
        return;
    }
    g_string_append (out, n == 1 ? one : several);
    for (size_t i = 0; i < n; i++)
        g_string_append_printf (out, "%s%s", i ? ", " : "", globs[i]);
}
static char *
rule_reach (const FsimScenario *s, const FsimRule *rule)
{
    g_autoptr (GString) out = g_string_new ("for ");
    g_autoptr (GPtrArray) names = g_ptr_array_new ();
    size_t n = 0;
    for (size_t p = 0; p < s->n_partners; p++) {
        gboolean match = FALSE;
        for (char **sel = rule->partners; sel && *sel && !match; sel++)
            match = fsim_partner_selector_matches (&s->partners[p], *sel);
        if (match && n++ < RULE_NAMES_MAX)
            g_ptr_array_add (names, s->partners[p].id);
    }
    if (n == 0)
        g_string_append (out, "no partner");
    else if (n > RULE_NAMES_MAX)
        g_string_append_printf (out, "%zu partners", n);
    for (size_t i = 0; n <= RULE_NAMES_MAX && i < names->len; i++)
        g_string_append_printf (out, "%s%s", i ? ", " : "", (const char *) names->pdata[i]);
    append_globs (out, " on every API", " on API ", " on APIs ", rule->apis);
    append_globs (out, "", ", scope ", ", scopes ", rule->scopes);
    return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The days inside (from, to] where an API, a rule or a share starts or stops. */
static void
find_events (FsimTimeline *t, const FsimScenario *s)
{
    t->events = fsim_timeline_events (s, t->from, t->to, &t->n_events);
}

FsimTimelineEvent *
fsim_timeline_events (const FsimScenario *s, FsimDay from, FsimDay to, size_t *out_n)
{
    const FsimTimeline range = { .from = from, .to = to }, *t = &range;
    g_autoptr (GArray) events = g_array_new (FALSE, FALSE, sizeof (FsimTimelineEvent));
    for (size_t a = 0; a < s->n_apis; a++) {
        g_autofree char *thing = g_strdup_printf ("API '%s'", s->apis[a].id);
        add_window_events (events, t, s->apis[a].active, thing, "opens", "closes");
    }
    for (size_t r = 0; r < s->n_rules; r++) {
        const FsimRule *rule = &s->rules[r];
        g_autofree char *thing =
            g_strdup_printf ("rule '%s' (%s)", rule->id, rule->allow ? "allow" : "deny");
        g_autofree char *whom = rule_reach (s, rule);
        g_autofree char *starts = g_strdup_printf ("comes into force %s", whom);
        g_autofree char *ends = g_strdup_printf ("ends %s", whom);
        add_window_events (events, t, rule->window, thing, starts, ends);
    }
    for (size_t p = 0; p < s->n_partners; p++)
        for (size_t i = 0; i < s->partners[p].n_shares; i++) {
            const FsimShare *share = &s->partners[p].shares[i];
            g_autofree char *thing = g_strdup_printf ("sharing '%s' -> '%s'", s->partners[p].id,
                                                      s->partners[share->partner].id);
            add_window_events (events, t, share->active, thing, "starts", "stops");
        }
    g_array_sort (events, compare_events);
    *out_n = events->len;
    return (FsimTimelineEvent *) g_array_free (g_steal_pointer (&events), FALSE);
}

static int
compare_days (gconstpointer a, gconstpointer b)
{
    FsimDay x = *(const FsimDay *) a, y = *(const FsimDay *) b;
    return (x > y) - (x < y);
}

/* Every day on which a window of the scenario opens or closes (rules, APIs, shares), sorted:
 * between two of them the decisions, the sharing and so the result stay the same. */
static GArray *
change_days (const FsimScenario *s)
{
    GArray *days = g_array_new (FALSE, FALSE, sizeof (FsimDay));
#define ADD_WINDOW(w) (g_array_append_val (days, (w).from), g_array_append_val (days, (w).until))
    for (size_t r = 0; r < s->n_rules; r++)
        ADD_WINDOW (s->rules[r].window);
    for (size_t a = 0; a < s->n_apis; a++)
        ADD_WINDOW (s->apis[a].active);
    for (size_t p = 0; p < s->n_partners; p++)
        for (size_t i = 0; i < s->partners[p].n_shares; i++)
            ADD_WINDOW (s->partners[p].shares[i].active);
#undef ADD_WINDOW
    g_array_sort (days, compare_days);
    return days;
}

/* Does some window open or close on a day in (@before, @day]? */
static gboolean
changes_between (const GArray *days, FsimDay before, FsimDay day)
{
    guint lo = 0, hi = days->len; /* the first change day > before */
    while (lo < hi) {
        guint mid = (lo + hi) / 2;
        if (g_array_index (days, FsimDay, mid) <= before)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < days->len && g_array_index (days, FsimDay, lo) <= day;
}

/* Whether the decisions @a and @b allow the same (partner, API, scope) triples and the same
 * shares are active on their days: then every count is the same (the engine looks at nothing
 * else that depends on the day). */
static gboolean
same_model (const FsimScenario *s, const FsimDecisions *a, const FsimDecisions *b)
{
    FsimDay da = fsim_decisions_get_day (a), db = fsim_decisions_get_day (b);
    for (size_t p = 0; p < s->n_partners; p++) {
        const FsimPartner *partner = &s->partners[p];
        for (size_t i = 0; i < partner->n_shares; i++)
            if (fsim_window_contains (partner->shares[i].active, da) !=
                fsim_window_contains (partner->shares[i].active, db))
                return FALSE;
        for (size_t k = 0; k < partner->n_apis; k++)
            for (size_t sc = 0; sc < s->apis[partner->apis[k]].n_scopes; sc++)
                if ((fsim_decisions_get (a, p, k, sc)->verdict == FSIM_VERDICT_ALLOWED) !=
                    (fsim_decisions_get (b, p, k, sc)->verdict == FSIM_VERDICT_ALLOWED))
                    return FALSE;
    }
    return TRUE;
}

size_t
fsim_timeline_model_work (const FsimScenario *s)
{
    size_t n = s->n_fields * s->n_partners;
    for (size_t p = 0; p < s->n_partners; p++)
        for (size_t k = 0; k < s->partners[p].n_apis; k++)
            n += s->apis[s->partners[p].apis[k]].n_scopes;
    return MAX (n, (size_t) 1);
}

/* The dates that need the model evaluated again: the first, and each with a window opening or
 * closing since the date before. FALSE with @error set when they exceed the budget. */
static gboolean
plan_evaluations (FsimTimeline *t, const FsimScenario *s, const GArray *changes, gboolean *eval,
                  GError **error)
{
    size_t n = 0, work = fsim_timeline_model_work (s),
           most = MAX (FSIM_TIMELINE_MAX_WORK / work, (size_t) 1);
    for (size_t i = 0; i < t->n_points; i++) {
        eval[i] = i == 0 || changes_between (changes, t->days[i - 1], t->days[i]);
        n += eval[i];
    }
    t->n_evaluations = n;
    if (n <= most)
        return TRUE;
    g_autofree char *size = fsim_fmt_count (work);
    g_set_error (error, FSIM_TIMELINE_ERROR, FSIM_TIMELINE_ERROR_RANGE,
                 "%zu of the %zu dates need the model evaluated again (a rule, API or share "
                 "window opens or closes before each), and this model (%s decisions and "
                 "(field, partner) pairs) allows %zu in the time budget: choose a larger --step "
                 "or a shorter range",
                 n, t->n_points, size, most);
    return FALSE;
}

FsimTimeline *
fsim_timeline_new (const FsimScenario *scenario, const FsimPopulation *pop, FsimDay from,
                   FsimDay to, FsimTimelineStep step, GError **error)
{
    return fsim_timeline_new_focused (scenario, pop, from, to, step, NULL, error);
}

typedef struct {
    const FsimScenario *scenario;
    const FsimPopulation *pop;
} Whole;

/* One process's trace: the engine on the whole population. */
static FsimResult *
trace_whole (const FsimDecisions *decisions, const FsimFocus *focus, void *data, GError **error)
{
    const Whole *w = data;
    return fsim_engine_run_focused (w->scenario, w->pop, decisions, focus, 0, NULL, NULL, error);
}

FsimTimeline *
fsim_timeline_new_focused (const FsimScenario *scenario, const FsimPopulation *pop, FsimDay from,
                           FsimDay to, FsimTimelineStep step, const FsimFocus *focus,
                           GError **error)
{
    g_return_val_if_fail (scenario != NULL && pop != NULL && step.count > 0, NULL);
    Whole w = { scenario, pop };
    const FsimTimelineTracer tracer = { .n_users = pop->n_users, .trace = trace_whole, .data = &w };
    return fsim_timeline_new_traced (scenario, &tracer, from, to, step, focus, error);
}

/* Whether every process sharing @tracer made @ok; when another did not, @error says so. */
static gboolean
all_ok (const FsimTimelineTracer *tracer, gboolean ok, GError **error)
{
    if (!tracer->all_ok)
        return ok;
    if (tracer->all_ok (ok, tracer->data))
        return TRUE;
    if (ok)
        g_set_error_literal (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_OTHER_RANK,
                             "another rank failed");
    return FALSE;
}

FsimTimeline *
fsim_timeline_new_traced (const FsimScenario *scenario, const FsimTimelineTracer *tracer,
                          FsimDay from, FsimDay to, FsimTimelineStep step, const FsimFocus *focus,
                          GError **error)
{
    g_return_val_if_fail (scenario != NULL && tracer != NULL && step.count > 0, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);
    g_autoptr (FsimTimeline) t = g_new0 (FsimTimeline, 1);
    t->from = from;
    t->to = to;
    t->step = step;
    t->n_users = tracer->n_users;
    t->focus = focus && focus->description ? g_strdup (focus->description) : NULL;
    if (!make_days (t, error))
        return NULL;
    /* a date with no window opening or closing since the one before has its result, and so
     * has one whose decisions allow what the last evaluated date's did: the cost is a decision
     * per change (bounded by FSIM_TIMELINE_MAX_WORK) and a trace per distinct model */
    g_autoptr (GArray) changes = change_days (scenario);
    g_autofree gboolean *eval = g_new0 (gboolean, t->n_points + 1);
    if (!plan_evaluations (t, scenario, changes, eval, error))
        return NULL;
    g_autoptr (FsimResult) r = NULL;
    g_autoptr (FsimDecisions) last = NULL;
    for (size_t i = 0; i < t->n_points; i++) {
        g_autoptr (FsimDecisions) decisions =
            eval[i] ? fsim_decisions_try_new (scenario, t->days[i], error) : NULL;
        if (eval[i] && !all_ok (tracer, decisions != NULL, error)) {
            g_autofree char *date = fsim_day_format (t->days[i]);
            g_prefix_error (error, "%s: ", date);
            return NULL;
        }
        if (decisions && (r == NULL || !same_model (scenario, last, decisions))) {
            g_clear_pointer (&r, fsim_result_free);
            r = tracer->trace (decisions, focus, tracer->data, error);
            if (r == NULL) {
                g_autofree char *date = fsim_day_format (t->days[i]);
                g_prefix_error (error, "%s: ", date);
                return NULL;
            }
            t->n_traced++;
            g_clear_pointer (&last, fsim_decisions_free);
            last = g_steal_pointer (&decisions);
        }
        if (!record (t, i, scenario, r, error))
            return NULL;
    }
    find_events (t, scenario);
    return g_steal_pointer (&t);
}
