/* SPDX-License-Identifier: MIT */
/* html-flows.c: the report's top flows, each explained by the route of one example user. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "explain.h"
#include "html.h"
#include "svg.h"
#include "table.h"

#define MAX_EXAMPLES 5

typedef struct {
    size_t field, partner;
    size_t users, no_consent;
    gssize example; /* a user reached without consent (or at all), -1: none found yet */
} Flow;

static int
compare_flows (gconstpointer a, gconstpointer b)
{
    const Flow *x = a, *y = b;
    if (x->no_consent != y->no_consent)
        return x->no_consent > y->no_consent ? -1 : 1;
    if (x->users != y->users)
        return x->users > y->users ? -1 : 1;
    if (x->field != y->field)
        return x->field < y->field ? -1 : 1;
    return x->partner < y->partner ? -1 : x->partner > y->partner;
}

/* The (field, partner) pairs that reached someone, most users without consent first. */
static GArray *
top_flows (const FsimResult *r, size_t top)
{
    GArray *flows = g_array_new (FALSE, FALSE, sizeof (Flow));
    for (size_t f = 0; f < r->n_fields; f++)
        for (size_t p = 0; p < r->n_partners; p++) {
            size_t i = f * r->n_partners + p;
            Flow flow = { f, p, r->fp_users[i], r->fp_no_consent[i], -1 };
            if (flow.users > 0)
                g_array_append_val (flows, flow);
        }
    g_array_sort (flows, compare_flows);
    if (flows->len > top)
        g_array_set_size (flows, (guint) top);
    return flows;
}

/* One example user per flow among the first MAX_EXAMPLES: one reached without consent if the
 * flow has such users, else one reached at all. Users are tried in order. */
static void
find_examples (const FsimTracer *t, const FsimPopulation *pop, GArray *flows)
{
    size_t n = MIN ((size_t) flows->len, (size_t) MAX_EXAMPLES), missing = n;
    size_t np = pop->n_partners;
    g_autofree guint8 *mask = g_new0 (guint8, pop->n_fields * np + 1);
    for (size_t u = 0; u < pop->n_users && missing > 0; u++) {
        fsim_tracer_user (t, u, mask);
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

/* The open routes of the example user's (field, partner) pair, in plain English. */
static void
example (const FsimTracer *t, const FsimPopulation *pop, const Flow *flow, GString *out)
{
    const FsimScenario *s = fsim_tracer_scenario (t);
    g_autofree FsimWord *fields = fsim_bits_new (s->field_words);
    g_autofree FsimWord *partners = fsim_bits_new (s->partner_words);
    g_autofree char *user = fsim_population_user_name (pop, (size_t) flow->example);
    g_autoptr (GString) text = g_string_new (NULL);

    fsim_bits_set (fields, flow->field);
    fsim_bits_set (partners, flow->partner);
    g_autoptr (FsimExplanation) e = fsim_explain_user (t, (size_t) flow->example, fields, partners);
    for (size_t i = 0; i < e->flows->len; i++) {
        const FsimFlowExplanation *fe = &g_array_index (e->flows, FsimFlowExplanation, i);
        for (size_t k = 0; k < fe->routes->len; k++) {
            const FsimRoute *route = &g_array_index (fe->routes, FsimRoute, k);
            if (route->block == FSIM_BLOCK_NONE)
                fsim_explain_route_text (t, (size_t) flow->example, fe, route, 0, text);
        }
    }
    g_autofree char *heading =
        g_strdup_printf ("%s to %s: for example %s", s->fields[flow->field].label,
                         s->partners[flow->partner].name, user);
    fsim_i_html_element (out, "h3", NULL, heading);
    fsim_i_html_element (out, "div", "route", text->str);
}

gboolean
fsim_i_html_flows (const FsimScenario *scenario, const FsimPopulation *pop,
                   const FsimDecisions *decisions, const FsimResult *result, size_t top,
                   GString *out, GError **error)
{
    g_autoptr (GArray) flows = top_flows (result, top);
    g_autoptr (FsimTracer) tracer = fsim_tracer_new (scenario, pop, decisions, error);
    if (tracer == NULL)
        return FALSE;
    find_examples (tracer, pop, flows);
    g_string_append (out, "<section id=\"flows\">\n<h2>Top flows</h2>\n");
    fsim_i_html_element (out, "p", "note",
                         "The field and partner pairs with the most users reached without their "
                         "own consent, then the most users; a user reached through several "
                         "channels counts in each channel column.");
    if (flows->len == 0)
        fsim_i_html_element (out, "p", NULL, "No field of any user reached any partner.");
    else
        flow_table (scenario, result, flows, out);
    if (flows->len > 0)
        fsim_i_html_element (out, "h2", NULL, "How the data got there: example routes");
    for (size_t i = 0; i < MIN ((size_t) flows->len, (size_t) MAX_EXAMPLES); i++)
        if (g_array_index (flows, Flow, i).example >= 0)
            example (tracer, pop, &g_array_index (flows, Flow, i), out);
    g_string_append (out, "</section>\n");
    return TRUE;
}
