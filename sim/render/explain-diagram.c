/* SPDX-License-Identifier: MIT */
/* explain-diagram.c: one user's routes (open and closed) as a DOT diagram. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "diagram-private.h"
#include "explain-diagram.h"
#include "graphviz.h"

#define MAX_CARRIERS 2 /* carriers named on an edge; the rest are counted */

typedef struct {
    const FsimTracer *t;
    const FsimScenario *s;
    const FsimPopulation *pop;
    const char *destination;
    FsimIDiagram *d;
    size_t user, fields, partners; /* node, clusters */
    size_t *partner_node;          /* [p], SIZE_MAX: not drawn yet */
    GHashTable *clusters;          /* jurisdiction -> cluster + 1 */
} Draw;

static size_t
partner_node (Draw *w, size_t p)
{
    if (w->partner_node[p] != SIZE_MAX)
        return w->partner_node[p];
    const FsimPartner *partner = &w->s->partners[p];
    g_autofree char *id = g_strconcat ("partner:", partner->id, NULL);
    size_t n = fsim_i_diagram_node (w->d, id, w->partners, FSIM_I_NODE_PARTNER, NULL);
    FsimINode *node = g_ptr_array_index (w->d->nodes, n);
    g_autofree char *kind = g_strdelimit (g_strdup (partner->kind), "_", ' ');
    fsim_i_node_line (node, "%s", partner->name);
    fsim_i_node_line (node, "%s%s%s", kind, partner->country ? " in " : "",
                      partner->country ? partner->country : "");
    w->partner_node[p] = n;
    return n;
}

static size_t
field_node (Draw *w, size_t f)
{
    const FsimField *field = &w->s->fields[f];
    g_autofree char *id = g_strconcat ("field:", field->id, NULL);
    gboolean created = FALSE;
    size_t n = fsim_i_diagram_node (w->d, id, w->fields, FSIM_I_NODE_FIELDS, &created);
    FsimINode *node = g_ptr_array_index (w->d->nodes, n);
    if (created) {
        fsim_i_node_line (node, "%s", field->label);
        fsim_i_node_line (node, "%s%s", field->id, field->sensitive ? " (sensitive)" : "");
        node->highlight = field->sensitive;
        fsim_i_diagram_edge (w->d, w->user, n, -1, 0, 0, FALSE, NULL);
    }
    return n;
}

/* "friend bob, carol and 3 more" */
static void
append_carriers (const Draw *w, const FsimRoute *r, GString *out)
{
    for (size_t i = 0; i < r->n_carriers && i < MAX_CARRIERS; i++) {
        g_autofree char *name = fsim_population_user_name (w->pop, r->carriers[i]);
        g_string_append_printf (out, "%s%s", i ? ", " : " ", name);
    }
    if (r->n_carriers > MAX_CARRIERS)
        g_string_append_printf (out, " and %zu more", r->n_carriers - MAX_CARRIERS);
}

/* Why a route was closed, in words (the analysis's codes are for JSON and scripts). */
static const char *
block_words (FsimBlock block)
{
    static const char *const words[] = {
        [FSIM_BLOCK_NONE] = "open",
        [FSIM_BLOCK_API_INACTIVE] = "the API was closed that day",
        [FSIM_BLOCK_NOT_REQUESTED] = "the partner did not ask for it",
        [FSIM_BLOCK_DENIED] = "denied",
        [FSIM_BLOCK_NO_ALLOW] = "no rule allowed it",
        [FSIM_BLOCK_PLATFORM] = "the user turned the platform off",
        [FSIM_BLOCK_APPS_OTHERS] = "not in the user's \"apps others use\" list",
        [FSIM_BLOCK_AUDIENCE] = "the user's audience setting is narrower",
        [FSIM_BLOCK_NOT_USED] = "the user does not use the partner",
        [FSIM_BLOCK_NO_FRIEND] = "no friend uses the partner",
        [FSIM_BLOCK_NO_FRIEND_OF_FRIEND] = "no friend of a friend uses the partner",
        [FSIM_BLOCK_SHARE_INACTIVE] = "the sharing was not in force",
        [FSIM_BLOCK_SHARE_FIELDS] = "the sharing does not carry the field",
        [FSIM_BLOCK_NOT_HELD] = "the sharing partner did not keep it",
        [FSIM_BLOCK_DEVICE_ONLY] = "the sharing partner keeps it on the device",
        [FSIM_BLOCK_UPSTREAM] = "it never reached the sharing partner",
    };
    G_STATIC_ASSERT (G_N_ELEMENTS (words) == _FSIM_BLOCK_MAX);
    return (unsigned) block < G_N_ELEMENTS (words) ? words[block] : "?";
}

static const char *
channel_words (FsimChannel c)
{
    return c == FSIM_CHANNEL_SELF               ? "own use"
           : c == FSIM_CHANNEL_FRIEND           ? "a friend's use"
           : c == FSIM_CHANNEL_FRIEND_OF_FRIEND ? "a friend of a friend's use"
                                                : "onward sharing";
}

static char *
route_label (const Draw *w, const FsimRoute *r)
{
    GString *s = g_string_new (NULL);
    if (r->block != FSIM_BLOCK_NONE) {
        g_string_append_printf (s, "closed (%s): %s", channel_words (r->channel),
                                block_words (r->block));
        if (r->block == FSIM_BLOCK_DENIED && r->decision.rule >= 0)
            g_string_append_printf (s, " by rule %s", w->s->rules[r->decision.rule].id);
    } else if (r->channel == FSIM_CHANNEL_DOWNSTREAM) {
        g_string_append_printf (s, "shared by %s", w->s->partners[r->from].name);
    } else {
        g_string_append (s, r->channel == FSIM_CHANNEL_SELF     ? "own use"
                            : r->channel == FSIM_CHANNEL_FRIEND ? "friend"
                                                                : "friend of friend");
        if (r->channel != FSIM_CHANNEL_SELF)
            append_carriers (w, r, s);
        const FsimApi *api = &w->s->apis[r->api];
        const FsimScope *scope = &api->scopes[r->scope];
        g_autofree char *scope_words =
            g_strdelimit (g_strdup (scope->label ? scope->label : scope->id), "_", ' ');
        g_string_append_printf (s, " via %s: %s", api->title ? api->title : api->id, scope_words);
    }
    return g_string_free (s, FALSE);
}

static size_t
destination_cluster (Draw *w, const FsimDestination *dest)
{
    const char *key = dest->on_device ? "device" : dest->jurisdiction;
    gpointer found = g_hash_table_lookup (w->clusters, key);
    if (found)
        return GPOINTER_TO_SIZE (found) - 1;
    size_t c = fsim_i_diagram_cluster (w->d, dest->on_device ? "On the user's device" : key,
                                       dest->on_device);
    g_hash_table_insert (w->clusters, (gpointer) key, GSIZE_TO_POINTER (c + 1));
    return c;
}

/* Storage edges from partner @p to its destinations receiving field @f (those shown). */
static void
add_destinations (Draw *w, size_t p, size_t f)
{
    const FsimPartner *partner = &w->s->partners[p];
    for (size_t i = 0; i < partner->n_destinations; i++) {
        const FsimDestination *dest = &partner->destinations[i];
        if (!fsim_bits_get (dest->fields, f) ||
            !fsim_explain_destination_matches (partner, dest, w->destination))
            continue;
        g_autofree char *id = g_strdup_printf ("dest:%s/%s", partner->id, dest->id);
        gboolean created = FALSE;
        size_t n = fsim_i_diagram_node (w->d, id, destination_cluster (w, dest),
                                        dest->on_device ? FSIM_I_NODE_DEVICE : FSIM_I_NODE_SERVER,
                                        &created);
        if (created)
            fsim_i_node_line (g_ptr_array_index (w->d->nodes, n), "%s: %s", partner->id, dest->id);
        fsim_i_diagram_edge (w->d, partner_node (w, p), n, -1, 1, 0, FALSE, NULL);
    }
}

static void
add_flow (Draw *w, const FsimFlowExplanation *flow)
{
    if (flow->n_routes == 0)
        return;
    size_t fn = field_node (w, flow->field), pn = partner_node (w, flow->partner);
    for (size_t k = 0; k < flow->n_routes; k++) {
        const FsimRoute *r = &flow->routes[k];
        gboolean open = r->block == FSIM_BLOCK_NONE;
        size_t from = r->channel == FSIM_CHANNEL_DOWNSTREAM ? partner_node (w, r->from) : fn;
        g_autofree char *label = route_label (w, r);
        fsim_i_diagram_edge (w->d, from, pn, (int) r->channel, open, 0, !open, label);
    }
    if (flow->channels != 0)
        add_destinations (w, flow->partner, flow->field);
}

gboolean
fsim_explain_write_dot (const FsimTracer *t, const FsimExplanation *e, const char *destination,
                        GString *out, GError **error)
{
    g_return_val_if_fail (t != NULL && e != NULL && out != NULL, FALSE);
    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
    Draw w = { .t = t,
               .s = fsim_tracer_scenario (t),
               .pop = fsim_tracer_population (t),
               .destination = destination };
    g_autoptr (FsimIDiagram) d = w.d = fsim_i_diagram_new ();
    g_autofree char *name = fsim_population_user_name (w.pop, e->user);
    g_autofree char *date = fsim_day_format (fsim_decisions_get_day (fsim_tracer_decisions (t)));
    g_autofree size_t *nodes = g_new (size_t, w.s->n_partners + 1);
    g_autoptr (GHashTable) clusters = w.clusters = g_hash_table_new (g_str_hash, g_str_equal);

    (void) clusters; /* only frees w.clusters: clang's -Wunused-variable would fail -Werror */
    d->uniform = TRUE;
    for (size_t p = 0; p < w.s->n_partners; p++)
        nodes[p] = SIZE_MAX;
    w.partner_node = nodes;
    g_ptr_array_add (d->title, g_strdup_printf ("Routes of %s's data on %s", name, date));
    g_ptr_array_add (d->title, g_strdup ("coloured: open (by channel); dotted grey: closed"));
    size_t top = fsim_i_diagram_cluster (d, "", FALSE);
    ((FsimICluster *) g_ptr_array_index (d->clusters, top))->plain = TRUE;
    w.user = fsim_i_diagram_node (d, "user", top, FSIM_I_NODE_USER, NULL);
    fsim_i_node_line (g_ptr_array_index (d->nodes, w.user), "%s", name);
    w.fields = fsim_i_diagram_cluster (d, "Fields", FALSE);
    w.partners = fsim_i_diagram_cluster (d, "Partners", FALSE);
    for (size_t i = 0; i < e->n_flows; i++)
        add_flow (&w, &e->flows[i]);
    return fsim_i_diagram_write (d, out, error);
}

/* The explanation's bounds for Graphviz (explain-diagram.h), with `flowsim explain`'s advice. */
static const FsimGraphvizBounds explain_layout = {
    .max_nodes = FSIM_GRAPHVIZ_MAX_NODES,
    .max_edges = FSIM_GRAPHVIZ_MAX_EDGES,
    .max_passes = FSIM_GRAPHVIZ_MAX_PASSES,
    .advice =
        "draw less of it (--field, --partner, --destination), or write it as DOT and run dot on it "
        "yourself"
};

gboolean
fsim_explain_draw (const FsimTracer *t, const FsimExplanation *e, const char *destination,
                   const char *format, const char *program, GString *out, GError **error)
{
    g_return_val_if_fail (format != NULL && out != NULL, FALSE);
    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
    g_autoptr (GString) dot = g_string_new (NULL);
    if (!fsim_explain_write_dot (t, e, destination, dot, error))
        return FALSE;
    if (!fsim_graphviz_convert (program, dot, format, &explain_layout, error))
        return FALSE;
    g_string_append_len (out, dot->str, (gssize) dot->len);
    return TRUE;
}
