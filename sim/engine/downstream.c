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
    FsimWord **down; /* [f * n_partners + q]: NULL when empty (most are); not owned */
    FsimWord **sets; /* [n_sets]: the sets down points into, owned */
    size_t n_sets, cap_sets;
    struct Group **groups; /* [n_groups]: a group per distinct set of shares, at most per field */
    size_t n_groups;
    guint32 *slots; /* [n_slots]: index into groups by their shares (UINT32_MAX: empty) */
    size_t n_slots;
    const struct Group **field_group; /* [f]: the Group of f's shares, NULL when none carries f */
    size_t *share_from, *share_to;    /* [global share]: its ends */
    FsimWord *empty;                  /* the empty set, pw words */
    FsimWord *receive;                /* [f * pw] */
    FsimWord *server;                 /* [f * pw] */
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

/* The memory of the model's maps, said as one thing. */
#define MODEL_WHAT "the model's map of its APIs, scopes, partners, destinations and shares"

static gboolean
add_apis (FsimModel *m, const FsimScenario *s, GError **error)
{
    if (!(m->api_vertex = fsim_try_new (s->n_apis + 1, sizeof (size_t), MODEL_WHAT, error)) ||
        !(m->scope_base = fsim_try_new (s->n_apis + 1, sizeof (size_t), MODEL_WHAT, error)))
        return FALSE;
    m->scope_base[0] = 0;
    for (size_t a = 0; a < s->n_apis; a++)
        m->scope_base[a + 1] = m->scope_base[a] + s->apis[a].n_scopes;
    m->scope_vertex =
        fsim_try_new (m->scope_base[s->n_apis] + 1, sizeof (size_t), MODEL_WHAT, error);
    if (!m->scope_vertex)
        return FALSE;

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
    return TRUE;
}

/* The partners' arrays of @m: by partner, and their destinations' and shares'. */
static gboolean
alloc_partners (FsimModel *m, const FsimScenario *s, GError **error)
{
    size_t n = s->n_partners + 1;
    if (!(m->partner_vertex = fsim_try_new (n, sizeof (size_t), MODEL_WHAT, error)) ||
        !(m->destination_base = fsim_try_new (n, sizeof (size_t), MODEL_WHAT, error)) ||
        !(m->share_base = fsim_try_new (n, sizeof (size_t), MODEL_WHAT, error)))
        return FALSE;
    m->destination_base[0] = m->share_base[0] = 0;
    for (size_t p = 0; p < s->n_partners; p++) {
        m->destination_base[p + 1] = m->destination_base[p] + s->partners[p].n_destinations;
        m->share_base[p + 1] = m->share_base[p] + s->partners[p].n_shares;
    }
    m->destination_vertex =
        fsim_try_new (m->destination_base[s->n_partners] + 1, sizeof (size_t), MODEL_WHAT, error);
    m->share_edge = m->destination_vertex ? fsim_try_new (m->share_base[s->n_partners] + 1,
                                                          sizeof (size_t), MODEL_WHAT, error)
                                          : NULL;
    return m->share_edge != NULL;
}

static gboolean
add_partners (FsimModel *m, const FsimScenario *s, GError **error)
{
    if (!alloc_partners (m, s, error))
        return FALSE;
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
    return TRUE;
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
    g_autoptr (FsimModel) m = g_new0 (FsimModel, 1);
    m->graph = graph;
    m->field_vertex = fsim_try_new (scenario->n_fields + 1, sizeof (size_t), MODEL_WHAT, error);
    if (!m->field_vertex)
        return NULL;
    for (size_t f = 0; f < scenario->n_fields; f++)
        m->field_vertex[f] =
            fsim_model_graph_add_vertex (m->graph, FSIM_MODEL_VERTEX_FIELD, scenario->fields[f].id);
    if (!add_apis (m, scenario, error) || !add_partners (m, scenario, error))
        return NULL;
    return g_steal_pointer (&m);
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
typedef struct Group {
    size_t *shares; /* the enabled shares (global share indices, ascending), the group's key */
    size_t n_shares;
    FsimWord **reach; /* [q]: the partners q reaches, NULL if none; shared within a component */
    guint32 *comp;    /* [q]: q's component, numbered in Tarjan's order (see the header) */
    guint32 *out_start, *out_to; /* the shares as lists by sharing partner: [q] .. [q + 1] */
} Group;

typedef struct {
    const FsimScenario *s;
    FsimDownstream *d;
    size_t pw;
    size_t *share_from; /* [global share]: the sharing partner */
    size_t *share_to;   /* [global share]: the receiving partner */
    size_t *enabled;    /* [global share]: the shares enabled for the field at hand */
    guint64 bytes, limit;
    /* Tarjan's scratch, n_partners each */
    size_t *off, *to, *index, *low, *comp, *stack, *calls, *edge_pos;
    guint8 *on_stack;
} Closure;

static FsimWord *
new_set (Closure *c, GError **error)
{
    FsimDownstream *d = c->d;
    size_t bytes = c->pw * sizeof (FsimWord);
    if (d->n_sets == d->cap_sets) {
        size_t cap = MAX (d->cap_sets * 2, (size_t) 64);
        FsimWord **grown = c->bytes + bytes <= c->limit && cap > d->cap_sets
                               ? fsim_try_renew (d->sets, cap, sizeof *d->sets)
                               : NULL;
        if (grown) {
            d->sets = grown;
            d->cap_sets = cap;
        }
    }
    FsimWord *set =
        d->n_sets < d->cap_sets && c->bytes + bytes <= c->limit ? g_try_malloc0 (bytes) : NULL;
    if (!set) {
        g_set_error (
            error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_NOMEM,
            "out of memory for the onward-sharing reach of %zu partners (%" G_GUINT64_FORMAT
            " MiB of sets so far)",
            c->s->n_partners, c->bytes >> 20);
        return NULL;
    }
    c->bytes += bytes + sizeof *d->sets;
    d->sets[d->n_sets++] = set;
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

static void
group_free (Group *g)
{
    if (!g)
        return;
    g_free (g->shares);
    g_free (g->reach);
    g_free (g->comp);
    g_free (g->out_start);
    g_free (g->out_to);
    g_free (g);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Group, group_free)

/* A new group for the @n shares of c->enabled: its adjacency, then its closure; NULL with
 * @error set when it does not fit in memory. */
static Group *
group_new (Closure *c, size_t n_shares, GError **error)
{
    size_t n = c->s->n_partners;
    const char *what = "the onward sharing of the partners";
    g_autoptr (Group) g = g_new0 (Group, 1);
    if (!(g->shares = fsim_try_new (n_shares + 1, sizeof (size_t), what, error)) ||
        !(g->reach = fsim_try_new0 (n + 1, sizeof (FsimWord *), what, error)) ||
        !(g->comp = fsim_try_new0 (n + 1, sizeof (guint32), what, error)) ||
        !(g->out_start = fsim_try_new (n + 1, sizeof (guint32), what, error)) ||
        !(g->out_to = fsim_try_new (n_shares + 1, sizeof (guint32), what, error)))
        return NULL;
    memcpy (g->shares, c->enabled, n_shares * sizeof (size_t));
    g->n_shares = n_shares;
    memset (c->off, 0, (n + 1) * sizeof *c->off);
    for (size_t i = 0; i < n_shares; i++) {
        size_t e = g->shares[i], q = c->share_from[e];
        c->off[q + 1]++;
        c->to[i] = c->share_to[e];
    }
    for (size_t q = 0; q < n; q++)
        c->off[q + 1] += c->off[q];
    for (size_t q = 0; q <= n; q++)
        g->out_start[q] = (guint32) c->off[q];
    for (size_t i = 0; i < n_shares; i++)
        g->out_to[i] = (guint32) c->to[i];
    if (!close_group (c, g, error))
        return NULL;
    return g_steal_pointer (&g);
}

static size_t
shares_hash (const size_t *shares, size_t n)
{
    size_t h = n;
    for (size_t i = 0; i < n; i++)
        h = h * 31u + shares[i];
    return h;
}

/* The group whose shares are the @n of c->enabled, made and indexed if new; NULL with @error set
 * when out of memory. The groups are at most one per field, indexed by open addressing in
 * d->slots (twice as many slots as fields). */
static const Group *
group_get (Closure *c, size_t n, GError **error)
{
    FsimDownstream *d = c->d;
    size_t mask = d->n_slots - 1, i = shares_hash (c->enabled, n) & mask;
    for (; d->slots[i] != UINT32_MAX; i = (i + 1) & mask) {
        const Group *g = d->groups[d->slots[i]];
        if (g->n_shares == n && memcmp (g->shares, c->enabled, n * sizeof (size_t)) == 0)
            return g;
    }
    Group *g = group_new (c, n, error);
    if (!g)
        return NULL;
    d->slots[i] = (guint32) d->n_groups;
    d->groups[d->n_groups++] = g;
    return g;
}

/* The shares that carry @f on @day out of a server holder, ascending, into c->enabled: how many. */
static size_t
enabled_shares (const Closure *c, FsimDay day, size_t f)
{
    const FsimScenario *s = c->s;
    size_t e = 0, n = 0;
    for (size_t q = 0; q < s->n_partners; q++) {
        const FsimPartner *partner = &s->partners[q];
        gboolean server = fsim_bits_get (c->d->server + f * c->pw, q);
        for (size_t i = 0; i < partner->n_shares; i++, e++)
            if (server && fsim_window_contains (partner->shares[i].active, day) &&
                fsim_bits_get (partner->shares[i].fields, f))
                c->enabled[n++] = e;
    }
    return n;
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
closure_clear (Closure *c)
{
    g_free (c->share_from);
    g_free (c->share_to);
    g_free (c->enabled);
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
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Closure, closure_clear)

/* The closure's arrays, by share and by partner (tried: shares are millions at the limits). */
static gboolean
closure_init (Closure *c, const FsimScenario *s, FsimDownstream *d, GError **error)
{
    size_t n = s->n_partners + 1, n_shares = 1;
    for (size_t q = 0; q < s->n_partners; q++)
        n_shares += s->partners[q].n_shares;
    *c = (Closure){ .s = s, .d = d, .pw = d->pw, .limit = fsim_memory_limit () / 2 };
    const char *what = "the onward sharing of the partners";
    size_t **by_share[] = { &c->share_from, &c->share_to, &c->enabled, &c->to };
    size_t **by_partner[] = { &c->off,   &c->index, &c->low,     &c->comp,
                              &c->stack, &c->calls, &c->edge_pos };
    for (size_t i = 0; i < G_N_ELEMENTS (by_share); i++)
        if (!(*by_share[i] = fsim_try_new (n_shares, sizeof (size_t), what, error)))
            return FALSE;
    for (size_t i = 0; i < G_N_ELEMENTS (by_partner); i++)
        if (!(*by_partner[i] = fsim_try_new (n, sizeof (size_t), what, error)))
            return FALSE;
    if (!(c->on_stack = fsim_try_new (n, sizeof (guint8), what, error)))
        return FALSE;
    for (size_t q = 0, e = 0; q < s->n_partners; q++)
        for (size_t i = 0; i < s->partners[q].n_shares; i++, e++) {
            c->share_from[e] = q;
            c->share_to[e] = s->partners[q].shares[i].partner;
        }
    return TRUE;
}

/* Groups the fields by their enabled shares and closes each group once. */
static gboolean
compute_down (FsimDownstream *d, const FsimScenario *s, FsimDay day, GError **error)
{
    g_auto (Closure) c = { 0 };
    if (!closure_init (&c, s, d, error))
        return FALSE;
    for (size_t f = 0; f < d->n_fields; f++) {
        size_t n = enabled_shares (&c, day, f);
        if (n == 0)
            continue;
        const Group *g = group_get (&c, n, error);
        if (!g)
            return FALSE;
        d->field_group[f] = g;
        if (!fill_field (d, &c, g, f, error))
            return FALSE;
    }
    d->share_from = g_steal_pointer (&c.share_from);
    d->share_to = g_steal_pointer (&c.share_to);
    return TRUE;
}

/* The arrays of @d by field and partner, tried: fields x partners pointers (2^24 at the limits),
 * a word set per field, and the groups' index. */
static gboolean
downstream_alloc (FsimDownstream *d, GError **error)
{
    const char *what = "the onward sharing of the fields";
    size_t words = d->n_fields * d->pw + 1;
    d->n_slots = 2;
    while (d->n_slots < 2 * (d->n_fields + 1))
        d->n_slots *= 2;
    if (!(d->down =
              fsim_try_new0 (d->n_fields * d->n_partners + 1, sizeof (FsimWord *), what, error)) ||
        !(d->groups = fsim_try_new0 (d->n_fields + 1, sizeof (Group *), what, error)) ||
        !(d->slots = fsim_try_new (d->n_slots, sizeof (guint32), what, error)) ||
        !(d->field_group = fsim_try_new0 (d->n_fields + 1, sizeof (Group *), what, error)) ||
        !(d->empty = fsim_try_new0 (d->pw + 1, sizeof (FsimWord), what, error)) ||
        !(d->receive = fsim_try_new0 (words, sizeof (FsimWord), what, error)) ||
        !(d->server = fsim_try_new0 (words, sizeof (FsimWord), what, error)))
        return FALSE;
    memset (d->slots, 0xff, d->n_slots * sizeof (guint32));
    return TRUE;
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
    if (!downstream_alloc (d, error))
        return NULL;
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
    for (size_t i = 0; i < d->n_sets; i++)
        g_free (d->sets[i]);
    g_free (d->sets);
    for (size_t i = 0; i < d->n_groups; i++)
        group_free (d->groups[i]);
    g_free (d->groups);
    g_free (d->slots);
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
    *out_n = g ? g->n_shares : 0;
    return g ? g->shares : NULL;
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
