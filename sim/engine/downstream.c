/* SPDX-License-Identifier: MIT */
/* downstream.c: builds the model graph and computes onward-sharing reach per field. */
#include "config.h"

#include <string.h>

#include "downstream.h"

struct FsimDownstream {
    size_t n_fields, n_partners, pw;
    gboolean any;
    FsimWord **down;   /* [f * n_partners + q]: NULL when empty (most are) */
    FsimWord *empty;   /* the empty set, pw words */
    FsimWord *receive; /* [f * pw] */
    FsimWord *server;  /* [f * pw] */
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

FsimModel *
fsim_model_new (const FsimScenario *scenario)
{
    g_return_val_if_fail (scenario != NULL, NULL);

    FsimModel *m = g_new0 (FsimModel, 1);
    m->graph = fsim_model_graph_new ();
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

/* Enables the share edges that carry @f on @day out of a server holder; returns how many. */
static size_t
enable_share_edges (const FsimDownstream *d, const FsimScenario *s, const FsimModel *m, FsimDay day,
                    size_t f, guint8 *enabled, guint8 *has_out)
{
    size_t n = 0;
    memset (has_out, 0, s->n_partners);
    for (size_t q = 0; q < s->n_partners; q++) {
        const FsimPartner *partner = &s->partners[q];
        gboolean server = fsim_bits_get (d->server + f * d->pw, q);
        for (size_t i = 0; i < partner->n_shares; i++) {
            const FsimShare *share = &partner->shares[i];
            gboolean on = server && fsim_window_contains (share->active, day) &&
                          fsim_bits_get (share->fields, f);
            enabled[m->share_edge[m->share_base[q] + i]] = (guint8) on;
            n += on;
            has_out[q] |= (guint8) on;
        }
    }
    return n;
}

/* Down[f][q] for every q with an outgoing share edge of @f enabled. */
static gboolean
compute_field (FsimDownstream *d, const FsimModel *m, size_t f, const guint8 *enabled,
               const guint8 *has_out, guint8 *reached, GError **error)
{
    const FsimWord *receive = d->receive + f * d->pw;
    for (size_t q = 0; q < d->n_partners; q++) {
        if (!has_out[q])
            continue;
        if (!fsim_model_graph_reachable (m->graph, m->partner_vertex[q], enabled, reached, error))
            return FALSE;
        FsimWord **out = &d->down[f * d->n_partners + q];
        for (size_t r = 0; r < d->n_partners; r++) {
            if (!reached[m->partner_vertex[r]] || !fsim_bits_get (receive, r))
                continue;
            if (!*out)
                *out = fsim_bits_new (d->pw);
            fsim_bits_set (*out, r);
            d->any = TRUE;
        }
    }
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
    d->down = g_new0 (FsimWord *, d->n_fields * d->n_partners + 1);
    d->empty = fsim_bits_new (d->pw);
    d->receive = fsim_bits_new (d->n_fields * d->pw);
    d->server = fsim_bits_new (d->n_fields * d->pw);
    compute_holders (d, scenario);

    size_t n_vertices = fsim_model_graph_n_vertices (model->graph);
    g_autofree guint8 *enabled = g_new0 (guint8, fsim_model_graph_n_edges (model->graph) + 1);
    g_autofree guint8 *reached = g_new0 (guint8, n_vertices + 1);
    g_autofree guint8 *has_out = g_new0 (guint8, d->n_partners + 1);
    for (size_t f = 0; f < d->n_fields; f++) {
        if (!enable_share_edges (d, scenario, model, day, f, enabled, has_out))
            continue;
        if (!compute_field (d, model, f, enabled, has_out, reached, error))
            return NULL;
    }
    return g_steal_pointer (&d);
}

void
fsim_downstream_free (FsimDownstream *d)
{
    if (!d)
        return;
    for (size_t i = 0; d->down && i < d->n_fields * d->n_partners; i++)
        g_free (d->down[i]);
    g_free (d->down);
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
