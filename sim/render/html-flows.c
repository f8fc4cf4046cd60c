/* SPDX-License-Identifier: MIT */
/* html-flows.c: the report's top flows, each explained by the route of one example user. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "explain.h"
#include "findings.h"
#include "html.h"
#include "memory.h"
#include "room.h"
#include "svg.h"
#include "table.h"

#define MAX_EXAMPLES 5

/* The quark's name is G_DEFINE_QUARK's first argument, spelt as it stands. */
/* clang-format off */
G_DEFINE_QUARK (fsim-html-error-quark, fsim_html_error)
/* clang-format on */

typedef struct {
    size_t field, partner;
    size_t users, no_consent;
    gssize example;   /* a user reached without consent (or at all), -1: none found yet */
    gboolean unnamed; /* the partner is one of the unnamed look-alikes */
    gboolean sensitive;
} Flow;

/* Named partners first, sensitive fields next, then the most users without consent. */
static int
compare_flows (gconstpointer a, gconstpointer b)
{
    const Flow *x = a, *y = b;
    if (x->unnamed != y->unnamed)
        return x->unnamed ? 1 : -1;
    if (x->sensitive != y->sensitive)
        return x->sensitive ? -1 : 1;
    if (x->no_consent != y->no_consent)
        return x->no_consent > y->no_consent ? -1 : 1;
    if (x->users != y->users)
        return x->users > y->users ? -1 : 1;
    if (x->field != y->field)
        return x->field < y->field ? -1 : 1;
    return x->partner < y->partner ? -1 : x->partner > y->partner;
}

/* Moves @heap[i] down to its place in a heap of @n flows whose root is the last in
 * compare_flows() order. */
static void
sift_down (Flow *heap, size_t n, size_t i)
{
    for (;;) {
        size_t worst = i, l = 2 * i + 1, r = l + 1;
        if (l < n && compare_flows (&heap[l], &heap[worst]) > 0)
            worst = l;
        if (r < n && compare_flows (&heap[r], &heap[worst]) > 0)
            worst = r;
        if (worst == i)
            return;
        Flow t = heap[i];
        heap[i] = heap[worst];
        heap[worst] = t;
        i = worst;
    }
}

/* The (field, partner) pairs that reached someone, in compare_flows() order; without @all, the
 * unnamed partners' only when no named partner got anything. Only the first @top are kept, in a
 * heap whose root is the last of them: at the limits there are 2^21 pairs, and sorting them all
 * (twice a report) to keep 15 took longer than drawing the diagram. */
static GArray *
top_flows (const FsimScenario *s, const FsimResult *r, size_t top, gboolean all)
{
    GArray *flows = g_array_new (FALSE, FALSE, sizeof (Flow));
    g_autofree gboolean *unnamed = g_new0 (gboolean, r->n_partners + 1);
    gboolean named = FALSE;
    for (size_t p = 0; p < r->n_partners; p++)
        unnamed[p] = fsim_partner_is_unnamed (&s->partners[p]);
    for (size_t i = 0; i < r->n_fields * r->n_partners && !named; i++)
        named = r->fp_users[i] > 0 && !unnamed[i % r->n_partners];
    for (size_t f = 0; f < r->n_fields && top > 0; f++)
        for (size_t p = 0; p < r->n_partners; p++) {
            size_t i = f * r->n_partners + p;
            Flow flow = { f,  p,          r->fp_users[i],        r->fp_no_consent[i],
                          -1, unnamed[p], s->fields[f].sensitive };
            if (flow.users == 0 || (!all && named && flow.unnamed))
                continue;
            if (flows->len < top) {
                g_array_append_val (flows, flow);
                if (flows->len == top) /* heapify */
                    for (size_t k = top / 2; k-- > 0;)
                        sift_down ((Flow *) (void *) flows->data, top, k);
            } else if (compare_flows (&flow, &g_array_index (flows, Flow, 0)) < 0) {
                g_array_index (flows, Flow, 0) = flow;
                sift_down ((Flow *) (void *) flows->data, top, 0);
            }
        }
    g_array_sort (flows, compare_flows);
    return flows;
}

/* One example user per flow among the first MAX_EXAMPLES: one reached without consent if the
 * flow has such users, else one reached at all. Users are tried in order. FALSE with @error
 * when a user's byte per (field, partner) (16 MiB at the limits) or the tracer's scratch
 * cannot be had (tried). */
static gboolean
find_examples (const FsimTracer *t, const FsimPopulation *pop, GArray *flows, GError **error)
{
    size_t n = MIN ((size_t) flows->len, (size_t) MAX_EXAMPLES), missing = n;
    size_t np = pop->n_partners;
    g_autofree guint8 *mask =
        n > 0 ? fsim_try_new0 (pop->n_fields * np + 1, 1, "a user's fields and partners", error)
              : NULL;
    if (n > 0 && mask == NULL)
        return FALSE;
    for (size_t u = 0; u < pop->n_users && missing > 0; u++) {
        if (!fsim_tracer_user (t, u, mask, error))
            return FALSE;
        for (size_t i = 0; i < n; i++) {
            Flow *flow = &g_array_index (flows, Flow, i);
            guint8 m = mask[flow->field * np + flow->partner];
            gboolean wanted = flow->no_consent > 0
                                  ? m != 0 && !(m & FSIM_CHANNEL_BIT (FSIM_CHANNEL_SELF))
                                  : m != 0;
            if (flow->example < 0 && wanted) {
                flow->example = (gssize) u;
                missing--;
            }
        }
    }
    return TRUE;
}

static void
flow_table (const FsimScenario *s, const FsimResult *r, const GArray *flows, GString *out)
{
    static const char *const headers[] = {
        "Field",      "Partner", "Users", "Without consent", "Self", "Friend", "Friend of friend",
        "Downstream", NULL
    };
    fsim_i_html_table_open (out, "llrrrrrr", headers);
    for (size_t i = 0; i < flows->len; i++) {
        const Flow *flow = &g_array_index (flows, Flow, i);
        size_t at = flow->field * r->n_partners + flow->partner;
        g_autofree char *users = fsim_fmt_count (flow->users);
        g_autofree char *nc = fsim_fmt_count (flow->no_consent);
        char *ch[FSIM_N_CHANNELS];
        for (size_t c = 0; c < FSIM_N_CHANNELS; c++)
            ch[c] = fsim_fmt_count (r->fp_channel[c][at]);
        const char *cells[] = { s->fields[flow->field].label,
                                s->partners[flow->partner].name,
                                users,
                                nc,
                                ch[0],
                                ch[1],
                                ch[2],
                                ch[3] };
        fsim_i_html_row (out, "llrrrrrr", cells);
        for (size_t c = 0; c < FSIM_N_CHANNELS; c++)
            g_free (ch[c]);
    }
    fsim_i_html_table_close (out);
}

/* The example user's explanation of @flow's (field, partner) pair (transfer full), or NULL with
 * @error set when its byte per (field, partner) cannot be had. */
static FsimExplanation *
example_explain (const FsimTracer *t, const Flow *flow, GError **error)
{
    const FsimScenario *s = fsim_tracer_scenario (t);
    g_autofree FsimWord *fields = fsim_bits_new (s->field_words);
    g_autofree FsimWord *partners = fsim_bits_new (s->partner_words);
    fsim_bits_set (fields, flow->field);
    fsim_bits_set (partners, flow->partner);
    return fsim_explain_user (t, (size_t) flow->example, fields, partners, error);
}

/* The heading and the open routes of @flow's example user in plain English. The routes' text
 * (one user's routes for one pair: a few hundred bytes, or megabytes for a pair with thousands
 * of scopes) is made in a room reserved to its bound (tried); FALSE with @error if it cannot
 * be had, and nothing appended to @out. */
static gboolean
example (const FsimTracer *t, const FsimPopulation *pop, const Flow *flow, GString *out,
         GError **error)
{
    const FsimScenario *s = fsim_tracer_scenario (t);
    g_autoptr (FsimExplanation) e = example_explain (t, flow, error);
    if (e == NULL)
        return FALSE;
    g_autoptr (GString) text = g_string_new (NULL);
    if (!fsim_room_reserve (text, fsim_explain_open_routes_room (t, e, 0), "an example route",
                            error))
        return FALSE;
    size_t allocated = text->allocated_len;
    for (size_t i = 0; i < e->n_flows; i++) {
        const FsimFlowExplanation *fe = &e->flows[i];
        for (size_t k = 0; k < fe->n_routes; k++) {
            const FsimRoute *route = &fe->routes[k];
            if (route->block == FSIM_BLOCK_NONE)
                fsim_explain_route_text (t, (size_t) flow->example, fe, route, 0, text);
        }
    }
    g_warn_if_fail (text->allocated_len == allocated); /* the room held it */
    g_autofree char *user = fsim_population_user_name (pop, (size_t) flow->example);
    g_autofree char *heading =
        g_strdup_printf ("%s to %s: for example %s", s->fields[flow->field].label,
                         s->partners[flow->partner].name, user);
    fsim_i_html_element (out, "h3", NULL, heading);
    fsim_i_html_element (out, "div", "route", text->str);
    return TRUE;
}

/* The bytes example() appends for @flow, bounded without rendering its text (explain.h): its
 * heading's three names and its routes' text, each escaped at most FSIM_ROOM_PER_BYTE a byte. */
static gboolean
example_room (const FsimTracer *t, const FsimPopulation *pop, const Flow *flow, guint64 *room,
              GError **error)
{
    if (flow->example < 0)
        return TRUE;
    const FsimScenario *s = fsim_tracer_scenario (t);
    g_autoptr (FsimExplanation) e = example_explain (t, flow, error);
    if (e == NULL)
        return FALSE;
    g_autofree char *user = fsim_population_user_name (pop, (size_t) flow->example);
    *room += fsim_room_text (s->fields[flow->field].label) +
             fsim_room_text (s->partners[flow->partner].name) + fsim_room_text (user) +
             FSIM_ROOM_PER_BYTE * fsim_explain_open_routes_room (t, e, 0) + 128;
    return TRUE;
}

gboolean
fsim_i_html_flows (const FsimScenario *scenario, const FsimPopulation *pop,
                   const FsimDecisions *decisions, const FsimResult *result, size_t top,
                   gboolean all, const char *suffix, GString *out, GError **error)
{
    g_autoptr (GArray) flows = top_flows (scenario, result, top, all);
    g_autoptr (FsimTracer) tracer = fsim_tracer_new (scenario, pop, decisions, error);
    if (tracer == NULL)
        return FALSE;
    if (!find_examples (tracer, pop, flows, error))
        return FALSE;
    g_string_append_printf (out, "<section id=\"flows%s\">\n<h2>Top flows</h2>\n", suffix);
    fsim_i_html_element (out, "p", "note",
                         all ? "The field and partner pairs with the most users reached without "
                               "their own consent (named partners and sensitive fields first); a "
                               "user reached through several channels counts in each channel "
                               "column."
                             : "The field and partner pairs with the most users reached without "
                               "their own consent (named partners and sensitive fields first; the "
                               "unnamed partners are left out, --all lists them); a user reached "
                               "through several channels counts in each channel column.");
    if (flows->len == 0)
        fsim_i_html_element (out, "p", NULL, "No field of any user reached any partner.");
    else
        flow_table (scenario, result, flows, out);
    if (flows->len > 0)
        fsim_i_html_element (out, "h2", NULL, "How the data got there: example routes");
    for (size_t i = 0; i < MIN ((size_t) flows->len, (size_t) MAX_EXAMPLES); i++)
        if (g_array_index (flows, Flow, i).example >= 0 &&
            !example (tracer, pop, &g_array_index (flows, Flow, i), out, error))
            return FALSE;
    g_string_append (out, "</section>\n");
    return TRUE;
}

/* The flow of one highlight "PARTNER:FIELD": the (field, partner) pair among those selected with
 * the most users reached without consent, then the most users. FALSE when it selects nothing. */
static gboolean
highlight_flow (const FsimScenario *s, const FsimResult *r, const char *highlight, Flow *out,
                GError **error)
{
    gboolean found = FALSE, partner_any = FALSE, field_any = FALSE;
    /* a partner selector may itself hold a colon (kind:K, tag:T): split at the last one */
    const char *colon = strrchr (highlight, ':');
    g_autofree char *psel = colon ? g_strndup (highlight, (size_t) (colon - highlight)) : NULL;
    const char *fsel = colon ? colon + 1 : NULL;
    if (!psel || !*psel || !*fsel) {
        g_set_error (error, FSIM_HTML_ERROR, FSIM_HTML_ERROR_HIGHLIGHT,
                     "highlight '%s' is not PARTNER:FIELD (e.g. huawei:profile.religion)",
                     highlight);
        return FALSE;
    }
    for (size_t p = 0; p < s->n_partners; p++) {
        if (!fsim_partner_selector_matches (&s->partners[p], psel))
            continue;
        partner_any = TRUE;
        for (size_t f = 0; f < s->n_fields; f++) {
            size_t i = f * r->n_partners + p;
            if (!fsim_field_pattern_match (fsel, s->fields[f].id, NULL))
                continue;
            field_any = TRUE;
            Flow flow = { f, p, r->fp_users[i], r->fp_no_consent[i], -1, FALSE, FALSE };
            if (!found || compare_flows (&flow, out) < 0)
                *out = flow;
            found = TRUE;
        }
    }
    if (!found)
        g_set_error (error, FSIM_HTML_ERROR, FSIM_HTML_ERROR_HIGHLIGHT, "highlight '%s': %s",
                     highlight,
                     !partner_any ? "the partner selector selects no partner"
                     : !field_any ? "the field selector selects no field"
                                  : "nothing selected");
    return found;
}

/* The flows of @highlight in its order (transfer full), or NULL with @error. */
static GArray *
highlight_flows (const FsimScenario *s, const FsimResult *r, const char *const *highlight,
                 GError **error)
{
    g_autoptr (GArray) flows = g_array_new (FALSE, FALSE, sizeof (Flow));
    for (const char *const *h = highlight; h && *h; h++) {
        Flow flow;
        if (!highlight_flow (s, r, *h, &flow, error))
            return NULL;
        g_array_append_val (flows, flow);
    }
    return g_steal_pointer (&flows);
}

gboolean
fsim_i_html_highlights (const FsimScenario *scenario, const FsimPopulation *pop,
                        const FsimDecisions *decisions, const FsimResult *result,
                        const char *const *highlight, GString *out, GError **error)
{
    g_autoptr (GArray) flows = highlight_flows (scenario, result, highlight, error);
    if (flows == NULL)
        return FALSE;
    if (flows->len == 0)
        return TRUE;
    g_autoptr (FsimTracer) tracer = fsim_tracer_new (scenario, pop, decisions, error);
    if (tracer == NULL)
        return FALSE;
    if (!find_examples (tracer, pop, flows, error))
        return FALSE;
    g_string_append (out, "<div class=\"highlights\">\n");
    for (size_t i = 0; i < flows->len; i++) {
        const Flow *flow = &g_array_index (flows, Flow, i);
        g_autofree char *users = fsim_fmt_count (flow->users);
        g_autofree char *nc = fsim_fmt_count (flow->no_consent);
        g_autofree char *lead = g_strdup_printf (
            "%s reached %s for %s %s, %s of them without consent.",
            scenario->fields[flow->field].label, scenario->partners[flow->partner].name, users,
            flow->users == 1 ? "user" : "users", nc);
        fsim_i_html_element (out, "p", "lead", lead);
        if (flow->example >= 0 && !example (tracer, pop, flow, out, error))
            return FALSE;
    }
    g_string_append (out, "</div>\n");
    return TRUE;
}

/* A row of the flow table or a highlight's lead: the field's label, the partner's name, six
 * counts and the markup around them. */
static guint64
flow_row_room (const FsimScenario *s, const Flow *flow)
{
    return fsim_room_text (s->fields[flow->field].label) +
           fsim_room_text (s->partners[flow->partner].name) + 6 * 26 + 256;
}

gboolean
fsim_i_html_flows_room (const FsimScenario *scenario, const FsimPopulation *pop,
                        const FsimDecisions *decisions, const FsimResult *result, size_t top,
                        gboolean all, const char *const *highlight, guint64 *bytes, GError **error)
{
    g_autoptr (GArray) lit = highlight_flows (scenario, result, highlight, error);
    if (lit == NULL)
        return FALSE;
    g_autoptr (FsimTracer) tracer = fsim_tracer_new (scenario, pop, decisions, error);
    if (tracer == NULL)
        return FALSE;
    g_autoptr (GArray) flows = top_flows (scenario, result, top, all);
    if (!find_examples (tracer, pop, lit, error) || !find_examples (tracer, pop, flows, error))
        return FALSE;
    /* the sections' own markup, notes and headings */
    guint64 room = 2048;
    for (size_t i = 0; i < lit->len; i++) {
        room += flow_row_room (scenario, &g_array_index (lit, Flow, i));
        if (!example_room (tracer, pop, &g_array_index (lit, Flow, i), &room, error))
            return FALSE;
    }
    for (size_t i = 0; i < flows->len; i++) {
        room += flow_row_room (scenario, &g_array_index (flows, Flow, i));
        if (i < MAX_EXAMPLES &&
            !example_room (tracer, pop, &g_array_index (flows, Flow, i), &room, error))
            return FALSE;
    }
    *bytes = room;
    return TRUE;
}
