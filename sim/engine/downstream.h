/* SPDX-License-Identifier: MIT */
/* downstream.h: the scenario's model graph, and which partners data reaches by onward sharing. */
#pragma once

#include <glib.h>

#include "bits.h"
#include "modelgraph.h"
#include "scenario.h"

/* Vertex kinds of the model graph (the FsimModelGraph kind integers). */
typedef enum {
    FSIM_MODEL_VERTEX_FIELD,
    FSIM_MODEL_VERTEX_API,
    FSIM_MODEL_VERTEX_SCOPE,
    FSIM_MODEL_VERTEX_PARTNER,
    FSIM_MODEL_VERTEX_DESTINATION,
    _FSIM_MODEL_VERTEX_MAX
} FsimModelVertexKind;

/* Edge kinds of the model graph. */
typedef enum {
    FSIM_MODEL_EDGE_OFFERS,     /* API -> scope */
    FSIM_MODEL_EDGE_COVERS,     /* scope -> field */
    FSIM_MODEL_EDGE_INTEGRATES, /* partner -> API */
    FSIM_MODEL_EDGE_STORES,     /* partner -> destination */
    FSIM_MODEL_EDGE_RECEIVES,   /* destination -> field */
    FSIM_MODEL_EDGE_SHARES,     /* partner -> partner, one per share (whatever its fields) */
    _FSIM_MODEL_EDGE_MAX
} FsimModelEdgeKind;

const char *fsim_model_vertex_kind_to_string (FsimModelVertexKind k);
const char *fsim_model_edge_kind_to_string (FsimModelEdgeKind k);

/*
 * The model graph of a scenario and where each entity sits in it. Vertex names are the ids,
 * qualified for scopes ("API/SCOPE") and destinations ("PARTNER/DESTINATION"). Read-only.
 */
typedef struct {
    FsimModelGraph *graph;
    size_t *field_vertex;       /* [f] */
    size_t *api_vertex;         /* [a] */
    size_t *scope_base;         /* [a]: scope s of API a is entry scope_base[a] + s; n_apis + 1 */
    size_t *scope_vertex;       /* [scope_base[a] + s] */
    size_t *partner_vertex;     /* [p] */
    size_t *destination_base;   /* [p]: as scope_base, over destinations; n_partners + 1 */
    size_t *destination_vertex; /* [destination_base[p] + d] */
    size_t *share_base;         /* [p]: as scope_base, over shares; n_partners + 1 */
    size_t *share_edge;         /* [share_base[p] + i]: the edge of share i of partner p */
} FsimModel;

/**
 * fsim_model_new:
 * Builds the model graph of @scenario (every entity, every edge, whatever the date).
 * Can't fail. Returns: (transfer full)
 */
FsimModel *fsim_model_new (const FsimScenario *scenario);
/* As fsim_model_new(), or NULL with FSIM_GRAPH_ERROR_NOMEM when the graph's arrays (an edge per
 * (scope, field), (destination, field) and share) would not fit: the commands use this one. */
FsimModel *fsim_model_try_new (const FsimScenario *scenario, GError **error);
void fsim_model_free (FsimModel *m);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsimModel, fsim_model_free)

/*
 * Downstream reach on one day. For field f and partner q, Down[f][q] is the set of partners
 * reached from q in one or more steps along the shares that carry f and are active on the day,
 * leaving only partners that hold f on a server, and keeping only partners with some
 * destination receiving f. Data held only on a device is never shared onward.
 */
typedef struct FsimDownstream FsimDownstream;

/**
 * fsim_downstream_new:
 * Computes Down for every field and partner of @scenario on @day, from the partners' shares
 * (@model is not walked: its shares are the scenario's; see downstream.c for the closure).
 * Returns: (transfer full): the sets, or NULL with @error set (FSIM_GRAPH_ERROR_NOMEM) when
 *   the sets would not fit in memory.
 */
FsimDownstream *fsim_downstream_new (const FsimScenario *scenario, const FsimModel *model,
                                     FsimDay day, GError **error);
void fsim_downstream_free (FsimDownstream *d);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsimDownstream, fsim_downstream_free)

/* Partner bit sets (partner_words long), owned by @d. */
const FsimWord *fsim_downstream_get (const FsimDownstream *d, size_t field, size_t partner);
/* Partners with some destination receiving @field. */
const FsimWord *fsim_downstream_receivers (const FsimDownstream *d, size_t field);
/* Partners with a server destination receiving @field. */
const FsimWord *fsim_downstream_server_holders (const FsimDownstream *d, size_t field);
/* Does any share carry anything onward on the day (is every Down set empty otherwise)? */
gboolean fsim_downstream_any (const FsimDownstream *d);

/*
 * The shares behind Down, for tracing many users at once without the partner x partner sets:
 * the shares that carry @field on the day (global indices: share i of partner q is the number of
 * shares of the partners before q, plus i; ascending), their ends, and the strongly connected
 * component of a partner among them. Partners of one component reach each other; when a share
 * leads from one component into another, the first's number is the greater. Components are
 * meaningful only for partners at an end of one of the field's shares. Can't fail.
 */
const size_t *fsim_downstream_shares (const FsimDownstream *d, size_t field, size_t *out_n);
void fsim_downstream_share_ends (const FsimDownstream *d, size_t share, size_t *out_from,
                                 size_t *out_to);
guint32 fsim_downstream_component (const FsimDownstream *d, size_t field, size_t partner);
/* The partners that @partner's shares carrying @field on the day lead to (*out_n of them, may
 * repeat), owned by @d: for walking the shares from a few partners instead of joining Down sets. */
const guint32 *fsim_downstream_shares_from (const FsimDownstream *d, size_t field, size_t partner,
                                            size_t *out_n);
