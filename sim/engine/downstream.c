/* SPDX-License-Identifier: MIT */
/* downstream.c: builds the model graph and computes onward-sharing reach per field. */
#include "config.h"

#include <string.h>

#include "downstream.h"
#include "friends.h"
#include "memory.h"

struct FsimDownstream {
    size_t n_fields, n_partners, pw;
    gboolean any;
    FsimWord **down;               /* [f * n_partners + q]: NULL when empty (most are); not owned */
    GPtrArray *sets;               /* the sets down points into, owned */
    GHashTable *groups;            /* Group by its shares */
    const void **field_group;      /* [f]: the Group of f's shares, NULL when none carries f */
    size_t *share_from, *share_to; /* [global share]: its ends */
    FsimWord *empty;               /* the empty set, pw words */
    FsimWord *receive;             /* [f * pw] */
    FsimWord *server;              /* [f * pw] */
};

static const char *const vertex_kind_names[] = {
    [FSIM_MODEL_VERTEX_FIELD] = "field",
    [FSIM_MODEL_VERTEX_API] = "api",
    [FSIM_MODEL_VERTEX_SCOPE] = "scope",
    [FSIM_MODEL_VERTEX_PARTNER] = "partner",
    [FSIM_MODEL_VERTEX_DESTINATION] = "destination",
};
G_STATIC_ASSERT (G_N_ELEMENTS (vertex_kind_names) == _FSIM_MODEL_VERTEX_MAX);

static const char *const edge_kind_names[] = {
    [FSIM_MODEL_EDGE_OFFERS] = "offers",         [FSIM_MODEL_EDGE_COVERS] = "covers",
    [FSIM_MODEL_EDGE_INTEGRATES] = "integrates", [FSIM_MODEL_EDGE_STORES] = "stores",
    [FSIM_MODEL_EDGE_RECEIVES] = "receives",     [FSIM_MODEL_EDGE_SHARES] = "shares",
};
G_STATIC_ASSERT (G_N_ELEMENTS (edge_kind_names) == _FSIM_MODEL_EDGE_MAX);

const char *
fsim_model_vertex_kind_to_string (FsimModelVertexKind k)
{
    g_return_val_if_fail ((unsigned) k < _FSIM_MODEL_VERTEX_MAX, NULL);
    return vertex_kind_names[k];
}

const char *
fsim_model_edge_kind_to_string (FsimModelEdgeKind k)
{
    g_return_val_if_fail ((unsigned) k < _FSIM_MODEL_EDGE_MAX, NULL);
    return edge_kind_names[k];
}

/* Edges from @from to the vertex of every field in @fields. */
static void
add_field_edges (FsimModel *m, const FsimScenario *s, size_t from, const FsimWord *fields,
                 FsimModelEdgeKind kind)
{
    for (size_t f = fsim_bits_next (fields, s->field_words, 0); f < s->n_fields;
         f = fsim_bits_next (fields, s->field_words, f + 1))
        fsim_model_graph_add_edge (m->graph, from, m->field_vertex[f], (int) kind);
}

static void
add_apis (FsimModel *m, const FsimScenario *s)
{
    m->api_vertex = g_new (size_t, s->n_apis + 1);
    m->scope_base = g_new (size_t, s->n_apis + 1);
    m->scope_base[0] = 0;
    for (size_t a = 0; a < s->n_apis; a++)
        m->scope_base[a + 1] = m->scope_base[a] + s->apis[a].n_scopes;
    m->scope_vertex = g_new (size_t, m->scope_base[s->n_apis] + 1);

    for (size_t a = 0; a < s->n_apis; a++) {
        const FsimApi *api = &s->apis[a];
        m->api_vertex[a] = fsim_model_graph_add_vertex (m->graph, FSIM_MODEL_VERTEX_API, api->id);
        for (size_t sc = 0; sc < api->n_scopes; sc++) {
            g_autofree char *name = g_strdup_printf ("%s/%s", api->id, api->scopes[sc].id);
            size_t v = fsim_model_graph_add_vertex (m->graph, FSIM_MODEL_VERTEX_SCOPE, name);
            m->scope_vertex[m->scope_base[a] + sc] = v;
            fsim_model_graph_add_edge (m->graph, m->api_vertex[a], v, FSIM_MODEL_EDGE_OFFERS);
            add_field_edges (m, s, v, api->scopes[sc].fields, FSIM_MODEL_EDGE_COVERS);
        }
    }
}

static void
add_partners (FsimModel *m, const FsimScenario *s)
{
    m->partner_vertex = g_new (size_t, s->n_partners + 1);
    m->destination_base = g_new (size_t, s->n_partners + 1);
    m->share_base = g_new (size_t, s->n_partners + 1);
    m->destination_base[0] = m->share_base[0] = 0;
    for (size_t p = 0; p < s->n_partners; p++) {
        m->destination_base[p + 1] = m->destination_base[p] + s->partners[p].n_destinations;
        m->share_base[p + 1] = m->share_base[p] + s->partners[p].n_shares;
    }
    m->destination_vertex = g_new (size_t, m->destination_base[s->n_partners] + 1);
    m->share_edge = g_new (size_t, m->share_base[s->n_partners] + 1);

    for (size_t p = 0; p < s->n_partners; p++)
        m->partner_vertex[p] =
            fsim_model_graph_add_vertex (m->graph, FSIM_MODEL_VERTEX_PARTNER, s->partners[p].id);
    for (size_t p = 0; p < s->n_partners; p++) {
        const FsimPartner *partner = &s->partners[p];
        size_t pv = m->partner_vertex[p];
        for (size_t k = 0; k < partner->n_apis; k++)
            fsim_model_graph_add_edge (m->graph, pv, m->api_vertex[partner->apis[k]],
                                       FSIM_MODEL_EDGE_INTEGRATES);
        for (size_t d = 0; d < partner->n_destinations; d++) {
            const FsimDestination *dest = &partner->destinations[d];
            g_autofree char *name = g_strdup_printf ("%s/%s", partner->id, dest->id);
            size_t v = fsim_model_graph_add_vertex (m->graph, FSIM_MODEL_VERTEX_DESTINATION, name);
            m->destination_vertex[m->destination_base[p] + d] = v;
            fsim_model_graph_add_edge (m->graph, pv, v, FSIM_MODEL_EDGE_STORES);
            add_field_edges (m, s, v, dest->fields, FSIM_MODEL_EDGE_RECEIVES);
        }
        for (size_t i = 0; i < partner->n_shares; i++)
            m->share_edge[m->share_base[p] + i] = fsim_model_graph_add_edge (
                m->graph, pv, m->partner_vertex[partner->shares[i].partner],
                FSIM_MODEL_EDGE_SHARES);
    }
}

/* The vertices and edges fsim_model_try_new() adds for @s. */
static void
count_model (const FsimScenario *s, size_t *out_vertices, size_t *out_edges)
{
    size_t v = s->n_fields + s->n_apis + s->n_partners, e = 0;
    for (size_t a = 0; a < s->n_apis; a++)
        for (size_t sc = 0; sc < s->apis[a].n_scopes; sc++)
            e += 1 + fsim_bits_count (s->apis[a].scopes[sc].fields, s->field_words), v++;
    for (size_t p = 0; p < s->n_partners; p++) {
        const FsimPartner *partner = &s->partners[p];
        e += partner->n_apis + partner->n_shares;
        for (size_t d = 0; d < partner->n_destinations; d++)
            e += 1 + fsim_bits_count (partner->destinations[d].fields, s->field_words), v++;
    }
    *out_vertices = v;
    *out_edges = e;
}

FsimModel *
fsim_model_new (const FsimScenario *scenario)
{
    g_autoptr (GError) error = NULL;
    FsimModel *m = fsim_model_try_new (scenario, &error);
    if (!m)
        g_error ("%s", error->message); /* as g_new: see fsim_model_try_new */
    return m;
}

FsimModel *
fsim_model_try_new (const FsimScenario *scenario, GError **error)
{
    g_return_val_if_fail (scenario != NULL, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);

    size_t n_vertices = 0, n_edges = 0;
    count_model (scenario, &n_vertices, &n_edges);
    FsimModelGraph *graph = fsim_model_graph_try_new (n_vertices, n_edges, error);
    if (!graph)
        return NULL;
    FsimModel *m = g_new0 (FsimModel, 1);
    m->graph = graph;
    m->field_vertex = g_new (size_t, scenario->n_fields + 1);
    for (size_t f = 0; f < scenario->n_fields; f++)
        m->field_vertex[f] =
            fsim_model_graph_add_vertex (m->graph, FSIM_MODEL_VERTEX_FIELD, scenario->fields[f].id);
    add_apis (m, scenario);
    add_partners (m, scenario);
    return m;
}

void
fsim_model_free (FsimModel *m)
{
    if (!m)
        return;
    fsim_model_graph_free (m->graph);
    g_free (m->field_vertex);
    g_free (m->api_vertex);
    g_free (m->scope_base);
    g_free (m->scope_vertex);
    g_free (m->partner_vertex);
    g_free (m->destination_base);
    g_free (m->destination_vertex);
    g_free (m->share_base);
    g_free (m->share_edge);
    g_free (m);
}

/* receive[f] and server[f] from the destinations. */
static void
compute_holders (FsimDownstream *d, const FsimScenario *s)
{
    for (size_t p = 0; p < s->n_partners; p++) {
        const FsimPartner *partner = &s->partners[p];
        for (size_t i = 0; i < partner->n_destinations; i++) {
            const FsimDestination *dest = &partner->destinations[i];
            for (size_t f = 0; f < s->n_fields; f++) {
                if (!fsim_bits_get (dest->fields, f))
                    continue;
                fsim_bits_set (d->receive + f * d->pw, p);
                if (!dest->on_device)
                    fsim_bits_set (d->server + f * d->pw, p);
            }
        }
    }
}

/*
 * Down[f][q] is the transitive closure of the shares that carry f on the day. Fields whose
 * shares are the same (usually all of them: shares of "*") form one group, closed once: Tarjan's
 * algorithm finds the strongly connected components of the group's shares in an order where each
 * component comes after every component it reaches, so a component's reach is the union, over
 * its shares, of the receiving partner and that partner's component's reach, one OR of partner
 * words per share. A group costs O(partners + shares x partner words); a field then shares its
 * group's sets, or keeps a copy without the partners that receive nothing of it. The memory of
 * the sets is tried and counted against the machine's share (graph/memory.h).
 */
typedef struct {
    GArray *shares;   /* the enabled shares (global share indices, ascending), the group's key */
    FsimWord **reach; /* [q]: the partners q reaches, NULL if none; shared within a component */
    guint32 *comp;    /* [q]: q's component, numbered in Tarjan's order (see the header) */
    guint32 *out_start, *out_to; /* the shares as lists by sharing partner: [q] .. [q + 1] */
} Group;

typedef struct {
    const FsimScenario *s;
    size_t pw;
    size_t *share_from; /* [global share]: the sharing partner */
    size_t *share_to;   /* [global share]: the receiving partner */
    GPtrArray *owned;   /* every set allocated, freed with the FsimDownstream */
    guint64 bytes, limit;
    /* Tarjan's scratch, n_partners each */
    size_t *off, *to, *index, *low, *comp, *stack, *calls, *edge_pos;
    guint8 *on_stack;
} Closure;

static FsimWord *
new_set (Closure *c, GError **error)
{
    size_t bytes = c->pw * sizeof (FsimWord);
    FsimWord *set = c->bytes + bytes <= c->limit ? g_try_malloc0 (bytes) : NULL;
    if (!set) {
        g_set_error (
            error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_NOMEM,
            "out of memory for the onward-sharing reach of %zu partners (%" G_GUINT64_FORMAT
            " MiB of sets so far)",
            c->s->n_partners, c->bytes >> 20);
        return NULL;
    }
    c->bytes += bytes;
    g_ptr_array_add (c->owned, set);
    return set;
}

/* The component just completed (its members are stack[top..sp)): its reach, set for each. */
static gboolean
close_component (Closure *c, Group *g, size_t top, size_t sp, size_t id, GError **error)
{
    FsimWord *set = NULL;
    for (size_t i = top; i < sp; i++)
        c->comp[c->stack[i]] = id;
    for (size_t i = top; i < sp; i++) {
        size_t u = c->stack[i];
        for (size_t e = c->off[u]; e < c->off[u + 1]; e++) {
            size_t v = c->to[e];
            if (!set && !(set = new_set (c, error)))
                return FALSE;
            fsim_bits_set (set, v);
            if (c->comp[v] != id && g->reach[v])
                fsim_bits_or (set, g->reach[v], c->pw);
        }
    }
    for (size_t i = top; i < sp; i++) {
        g->reach[c->stack[i]] = set;
        g->comp[c->stack[i]] = (guint32) id;
    }
    return TRUE;
}

/* Tarjan's algorithm, iterative, over the partners and the group's shares (c->off, c->to). */
static gboolean
close_group (Closure *c, Group *g, GError **error)
{
    size_t n = c->s->n_partners, counter = 0, sp = 0, n_comps = 0;
    for (size_t v = 0; v < n; v++) {
        c->index[v] = SIZE_MAX;
        c->on_stack[v] = 0;
    }
    for (size_t root = 0; root < n; root++) {
        if (c->index[root] != SIZE_MAX || c->off[root] == c->off[root + 1])
            continue;
        size_t depth = 0;
        c->calls[depth] = root;
        c->edge_pos[depth] = c->off[root];
        c->index[root] = c->low[root] = counter++;
        c->stack[sp++] = root;
        c->on_stack[root] = 1;
        while (depth != SIZE_MAX) {
            size_t v = c->calls[depth];
            if (c->edge_pos[depth] < c->off[v + 1]) {
                size_t w = c->to[c->edge_pos[depth]++];
                if (c->index[w] == SIZE_MAX) {
                    c->index[w] = c->low[w] = counter++;
                    c->stack[sp++] = w;
                    c->on_stack[w] = 1;
                    depth++;
                    c->calls[depth] = w;
                    c->edge_pos[depth] = c->off[w];
                } else if (c->on_stack[w]) {
                    c->low[v] = MIN (c->low[v], c->index[w]);
                }
                continue;
            }
            if (c->low[v] == c->index[v]) {
                size_t top = sp;
                do
                    c->on_stack[c->stack[--top]] = 0;
                while (c->stack[top] != v);
                if (!close_component (c, g, top, sp, n_comps++, error))
                    return FALSE;
                sp = top;
            }
            depth = depth ? depth - 1 : SIZE_MAX;
            if (depth != SIZE_MAX)
                c->low[c->calls[depth]] = MIN (c->low[c->calls[depth]], c->low[v]);
        }
    }
    return TRUE;
}

/* A new group for @shares: its adjacency, then its closure. */
static Group *
group_new (Closure *c, GArray *shares, GError **error)
{
    size_t n = c->s->n_partners;
    Group *g = g_new0 (Group, 1);
    g->shares = shares;
    g->reach = g_try_new0 (FsimWord *, n + 1);
    g->comp = g_try_new0 (guint32, n + 1);
    if (!g->reach || !g->comp) {
        g_clear_pointer (&g->reach, g_free);
        g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_NOMEM,
                     "out of memory for the onward-sharing reach of %zu partners", n);
        return g;
    }
    memset (c->off, 0, (n + 1) * sizeof *c->off);
    for (guint i = 0; i < shares->len; i++) {
        size_t e = g_array_index (shares, size_t, i), q = c->share_from[e];
        c->off[q + 1]++;
        c->to[i] = c->share_to[e];
    }
    for (size_t q = 0; q < n; q++)
        c->off[q + 1] += c->off[q];
    g->out_start = g_try_new (guint32, n + 1);
    g->out_to = g_try_new (guint32, shares->len + 1);
    if (!g->out_start || !g->out_to) {
        g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_NOMEM,
                     "out of memory for the onward sharing of %zu partners", n);
        g_clear_pointer (&g->reach, g_free);
        return g;
    }
    for (size_t q = 0; q <= n; q++)
        g->out_start[q] = (guint32) c->off[q];
    for (guint i = 0; i < shares->len; i++)
        g->out_to[i] = (guint32) c->to[i];
    if (!close_group (c, g, error))
        g_clear_pointer (&g->reach, g_free);
    return g;
}

static void
group_free (gpointer data)
{
    Group *g = data;
    g_array_unref (g->shares);
    g_free (g->reach);
    g_free (g->comp);
    g_free (g->out_start);
    g_free (g->out_to);
    g_free (g);
}

static guint
shares_hash (gconstpointer key)
{
    const GArray *a = key;
    guint h = a->len;
    for (guint i = 0; i < a->len; i++)
        h = h * 31u + (guint) g_array_index (a, size_t, i);
    return h;
}

static gboolean
shares_equal (gconstpointer x, gconstpointer y)
{
    const GArray *a = x, *b = y;
    return a->len == b->len && memcmp (a->data, b->data, a->len * sizeof (size_t)) == 0;
}

/* The shares that carry @f on @day out of a server holder, ascending. */
static GArray *
enabled_shares (const FsimDownstream *d, const FsimScenario *s, FsimDay day, size_t f)
{
    GArray *out = g_array_new (FALSE, FALSE, sizeof (size_t));
    size_t e = 0;
    for (size_t q = 0; q < s->n_partners; q++) {
        const FsimPartner *partner = &s->partners[q];
        gboolean server = fsim_bits_get (d->server + f * d->pw, q);
        for (size_t i = 0; i < partner->n_shares; i++, e++)
            if (server && fsim_window_contains (partner->shares[i].active, day) &&
                fsim_bits_get (partner->shares[i].fields, f))
                g_array_append_val (out, e);
    }
    return out;
}

/* Down[f][q] from the group's reach: the same set when every partner in it receives @f. */
static gboolean
fill_field (FsimDownstream *d, Closure *c, const Group *g, size_t f, GError **error)
{
    const FsimWord *receive = d->receive + f * d->pw;
    for (size_t q = 0; q < d->n_partners; q++) {
        FsimWord *reach = g->reach[q];
        if (!reach)
            continue;
        gboolean all = TRUE, any = FALSE;
        for (size_t w = 0; w < d->pw; w++) {
            all = all && (reach[w] & ~receive[w]) == 0;
            any = any || (reach[w] & receive[w]) != 0;
        }
        if (!any)
            continue;
        if (!all) {
            FsimWord *masked = new_set (c, error);
            if (!masked)
                return FALSE;
            for (size_t w = 0; w < d->pw; w++)
                masked[w] = reach[w] & receive[w];
            reach = masked;
        }
        d->down[f * d->n_partners + q] = reach;
        d->any = TRUE;
    }
    return TRUE;
}

static void
closure_init (Closure *c, const FsimScenario *s, FsimDownstream *d)
{
    size_t n = s->n_partners, n_shares = 0;
    for (size_t q = 0; q < n; q++)
        n_shares += s->partners[q].n_shares;
    *c = (Closure){ .s = s, .pw = d->pw, .owned = d->sets, .limit = fsim_memory_limit () / 2 };
    c->share_from = g_new (size_t, n_shares + 1);
    c->share_to = g_new (size_t, n_shares + 1);
    for (size_t q = 0, e = 0; q < n; q++)
        for (size_t i = 0; i < s->partners[q].n_shares; i++, e++) {
            c->share_from[e] = q;
            c->share_to[e] = s->partners[q].shares[i].partner;
        }
    c->off = g_new (size_t, n + 1);
    c->to = g_new (size_t, n_shares + 1);
    c->index = g_new (size_t, n + 1);
    c->low = g_new (size_t, n + 1);
    c->comp = g_new (size_t, n + 1);
    c->stack = g_new (size_t, n + 1);
    c->calls = g_new (size_t, n + 1);
    c->edge_pos = g_new (size_t, n + 1);
    c->on_stack = g_new (guint8, n + 1);
}

static void
closure_clear (Closure *c)
{
    g_free (c->share_from);
    g_free (c->share_to);
    g_free (c->off);
    g_free (c->to);
    g_free (c->index);
    g_free (c->low);
    g_free (c->comp);
    g_free (c->stack);
    g_free (c->calls);
    g_free (c->edge_pos);
    g_free (c->on_stack);
}

/* Groups the fields by their enabled shares and closes each group once. */
static gboolean
compute_down (FsimDownstream *d, const FsimScenario *s, FsimDay day, GError **error)
{
    Closure c;
    closure_init (&c, s, d);
    gboolean ok = TRUE;
    for (size_t f = 0; f < d->n_fields && ok; f++) {
        GArray *shares = enabled_shares (d, s, day, f);
        if (shares->len == 0) {
            g_array_unref (shares);
            continue;
        }
        Group *g = g_hash_table_lookup (d->groups, shares);
        if (g) {
            g_array_unref (shares);
        } else {
            g = group_new (&c, shares, error);
            g_hash_table_insert (d->groups, g->shares, g);
            if (!g->reach) {
                ok = FALSE;
                break;
            }
        }
        d->field_group[f] = g;
        ok = fill_field (d, &c, g, f, error);
    }
    d->share_from = g_steal_pointer (&c.share_from);
    d->share_to = g_steal_pointer (&c.share_to);
    closure_clear (&c);
    return ok;
}

FsimDownstream *
fsim_downstream_new (const FsimScenario *scenario, const FsimModel *model, FsimDay day,
                     GError **error)
{
    g_return_val_if_fail (scenario != NULL && model != NULL, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);

    g_autoptr (FsimDownstream) d = g_new0 (FsimDownstream, 1);
    d->n_fields = scenario->n_fields;
    d->n_partners = scenario->n_partners;
    d->pw = scenario->partner_words;
    d->down = g_try_new0 (FsimWord *, d->n_fields * d->n_partners + 1);
    d->sets = g_ptr_array_new_with_free_func (g_free);
    d->groups = g_hash_table_new_full (shares_hash, shares_equal, NULL, group_free);
    d->field_group = g_new0 (const void *, d->n_fields + 1);
    d->empty = fsim_bits_new (d->pw);
    d->receive = g_try_new0 (FsimWord, d->n_fields * d->pw + 1);
    d->server = g_try_new0 (FsimWord, d->n_fields * d->pw + 1);
    if (!d->down || !d->receive || !d->server) {
        g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_NOMEM,
                     "out of memory for the onward sharing of %zu fields among %zu partners",
                     d->n_fields, d->n_partners);
        return NULL;
    }
    compute_holders (d, scenario);
    if (!compute_down (d, scenario, day, error))
        return NULL;
    return g_steal_pointer (&d);
}

void
fsim_downstream_free (FsimDownstream *d)
{
    if (!d)
        return;
    g_free (d->down);
    if (d->sets)
        g_ptr_array_unref (d->sets);
    if (d->groups)
        g_hash_table_unref (d->groups);
    g_free (d->field_group);
    g_free (d->share_from);
    g_free (d->share_to);
    g_free (d->empty);
    g_free (d->receive);
    g_free (d->server);
    g_free (d);
}

const FsimWord *
fsim_downstream_get (const FsimDownstream *d, size_t field, size_t partner)
{
    g_return_val_if_fail (d != NULL && field < d->n_fields && partner < d->n_partners, NULL);
    const FsimWord *set = d->down[field * d->n_partners + partner];
    return set ? set : d->empty;
}

const FsimWord *
fsim_downstream_receivers (const FsimDownstream *d, size_t field)
{
    g_return_val_if_fail (d != NULL && field < d->n_fields, NULL);
    return d->receive + field * d->pw;
}

const FsimWord *
fsim_downstream_server_holders (const FsimDownstream *d, size_t field)
{
    g_return_val_if_fail (d != NULL && field < d->n_fields, NULL);
    return d->server + field * d->pw;
}

gboolean
fsim_downstream_any (const FsimDownstream *d)
{
    g_return_val_if_fail (d != NULL, FALSE);
    return d->any;
}

const size_t *
fsim_downstream_shares (const FsimDownstream *d, size_t field, size_t *out_n)
{
    g_return_val_if_fail (d != NULL && field < d->n_fields && out_n != NULL, NULL);
    const Group *g = d->field_group[field];
    *out_n = g ? g->shares->len : 0;
    return g ? (const size_t *) (const void *) g->shares->data : NULL;
}

void
fsim_downstream_share_ends (const FsimDownstream *d, size_t share, size_t *out_from, size_t *out_to)
{
    g_return_if_fail (d != NULL && d->share_from != NULL && out_from != NULL && out_to != NULL);
    *out_from = d->share_from[share];
    *out_to = d->share_to[share];
}

guint32
fsim_downstream_component (const FsimDownstream *d, size_t field, size_t partner)
{
    g_return_val_if_fail (d != NULL && field < d->n_fields && partner < d->n_partners, 0);
    const Group *g = d->field_group[field];
    return g ? g->comp[partner] : 0;
}

const guint32 *
fsim_downstream_shares_from (const FsimDownstream *d, size_t field, size_t partner, size_t *out_n)
{
    g_return_val_if_fail (d != NULL && field < d->n_fields && partner < d->n_partners, NULL);
    g_return_val_if_fail (out_n != NULL, NULL);
    const Group *g = d->field_group[field];
    *out_n = g ? g->out_start[partner + 1] - g->out_start[partner] : 0;
    return g ? g->out_to + g->out_start[partner] : NULL;
}
