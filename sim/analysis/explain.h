/* SPDX-License-Identifier: MIT */
/* explain.h: one user at a time: which fields reached which partner, by which route, and why not. */
#pragma once

#include <glib.h>

#include "engine.h"
#include "policy.h"
#include "population.h"
#include "scenario.h"

/*
 * The engine (engine.h) counts users; this module follows ONE user through the same semantics
 * (docs/semantics.md) and keeps what the counts throw away: the friend who used the partner,
 * the API, scope and rule that opened the channel, the settings that let the data through, and
 * for every route that stayed closed the first gate that closed it.
 *
 * A tracer is built once per (scenario, population, decisions) and is read-only afterwards:
 * any number of threads may call fsim_tracer_user() and fsim_explain_user() on it at once.
 */
typedef struct FsimTracer FsimTracer;

/**
 * fsim_tracer_new:
 * @scenario, @pop, @decisions: read only, and must outlive the tracer; @decisions is for the
 *   day the routes are traced on (usually the scenario date)
 *
 * Returns: (transfer full): the tracer, or NULL with @error set if the downstream closure
 *   cannot be computed (the model graph walk failed).
 */
FsimTracer *fsim_tracer_new (const FsimScenario *scenario, const FsimPopulation *pop,
                             const FsimDecisions *decisions, GError **error);
/**
 * fsim_tracer_new_near:
 * @near: (nullable): read only, outlives the tracer: the ONE and TWO sets of every user of
 *   @pop, in fsim_population_near()'s layout (2 * partner_words words per user), or NULL to
 *   compute them from @pop's friend lists. Given under MPI (docs/scaling.md): a rank's @pop
 *   holds its own users then its ghosts, which have no friend lists, and @near the sets the
 *   engine exchanged for them (fsim_engine_mpi_new()); only the own users may then be traced.
 * fsim_tracer_new() with the neighbour sets given.
 */
FsimTracer *fsim_tracer_new_near (const FsimScenario *scenario, const FsimPopulation *pop,
                                  const FsimDecisions *decisions, const FsimWord *near,
                                  GError **error);
void fsim_tracer_free (FsimTracer *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsimTracer, fsim_tracer_free)

const FsimScenario *fsim_tracer_scenario (const FsimTracer *t);
const FsimPopulation *fsim_tracer_population (const FsimTracer *t);
const FsimDecisions *fsim_tracer_decisions (const FsimTracer *t);

/* Channel masks: bit (1 << FsimChannel) set for every channel that carries a flow. */
#define FSIM_CHANNEL_BIT(c) ((guint8) (1u << (c)))

/**
 * fsim_tracer_user:
 * @out: n_fields * n_partners bytes; out[f * n_partners + p] receives the channel mask of
 *   user @u's field f at partner p (0: not reached). Reached with consent iff the self bit
 *   is set.
 * Returns: TRUE, or FALSE with FSIM_GRAPH_ERROR_NOMEM when its scratch (a few bit sets of the
 *   partners, and a queue of two entries a partner when the model shares) cannot be had
 *   (tried); @out is then undefined.
 */
gboolean fsim_tracer_user (const FsimTracer *t, size_t u, guint8 *out, GError **error);

/* Does partner @p have a destination receiving field @f? */
gboolean fsim_tracer_receives (const FsimTracer *t, size_t f, size_t p);

/* Finds a user by display name (an explicit id, or "u<N>" for a generated population).
 * Returns: the index, or -1. */
gssize fsim_tracer_find_user (const FsimTracer *t, const char *name);

/* ---- explanations ---------------------------------------------------------------------- */

/*
 * Why a route is closed: the FIRST gate that closed it, in this order. A flow first needs a
 * destination; then, for a direct route, the policy decides (API window, request, rules),
 * then the data subject's settings gate it (only those the API respects), and last someone
 * must use the partner. For a downstream route the share must carry the field on the day,
 * the sharing partner must hold it on a server, and the data must have reached that partner.
 */
typedef enum {
    FSIM_BLOCK_NONE,                /* open: the route carried the flow */
    FSIM_BLOCK_API_INACTIVE,        /* the day is outside the API's active window */
    FSIM_BLOCK_NOT_REQUESTED,       /* the partner does not request the scope */
    FSIM_BLOCK_DENIED,              /* a deny rule (route.decision.rule) */
    FSIM_BLOCK_NO_ALLOW,            /* no allow rule: denied by default */
    FSIM_BLOCK_PLATFORM,            /* the user's platform switch is off (the API respects it) */
    FSIM_BLOCK_APPS_OTHERS,         /* the field is not in the user's "apps others use" list */
    FSIM_BLOCK_AUDIENCE,            /* the user's audience for the field is below the channel's */
    FSIM_BLOCK_NOT_USED,            /* self: the user does not use the partner */
    FSIM_BLOCK_NO_FRIEND,           /* friend: no friend of the user uses the partner */
    FSIM_BLOCK_NO_FRIEND_OF_FRIEND, /* friend of friend: no friend of a friend uses it */
    FSIM_BLOCK_SHARE_INACTIVE,      /* downstream: the share is not active on the day */
    FSIM_BLOCK_SHARE_FIELDS,        /* downstream: the share does not carry the field */
    FSIM_BLOCK_NOT_HELD,            /* downstream: the sharing partner has no destination for it */
    FSIM_BLOCK_DEVICE_ONLY,         /* downstream: the sharing partner keeps it on the device */
    FSIM_BLOCK_UPSTREAM,            /* downstream: the field never reached the sharing partner */
    _FSIM_BLOCK_MAX
} FsimBlock;

/* "api_inactive", "not_requested", ... ("open" for FSIM_BLOCK_NONE). Static string. */
const char *fsim_block_to_string (FsimBlock b);

/* One route of (user, field) to a partner. */
typedef struct {
    FsimChannel channel;
    FsimBlock block; /* FSIM_BLOCK_NONE when open */
    guint also;      /* the other gates that would close it too: bit (1 << FsimBlock) */

    /* direct routes (self, friend, friend of friend) */
    size_t api_k; /* index into partner->apis */
    size_t api;   /* index into scenario->apis */
    size_t scope; /* index into that API's scopes */
    FsimDecision decision;
    size_t n_carriers; /* users who use the partner: the user (self), friends, friends of
                         * friends; all of them, whether or not the route is open */
    size_t *carriers;
    size_t *through; /* friend of friend: for each carrier, a friend of the user who is a
                       * friend of the carrier; NULL for the other channels */

    /* downstream routes */
    size_t from;   /* the partner the share leaves from (the upstream end) */
    size_t share;  /* index into scenario->partners[from].shares, the last hop */
    size_t n_path; /* open routes: the partners from the directly reached one to this one */
    size_t *path;
} FsimRoute;

/* Everything about one (field, partner) pair of the user. */
typedef struct {
    size_t field;
    size_t partner;
    gboolean receives; /* the partner has a destination receiving the field */
    guint8 channels;   /* mask of the open routes' channels (0: not reached) */
    FsimRoute *routes; /* open ones first, then closed, in model order */
    size_t n_routes;
} FsimFlowExplanation;

typedef struct {
    size_t user;
    FsimFlowExplanation *flows; /* fields outermost, both in model order */
    size_t n_flows;
} FsimExplanation;

void fsim_explanation_free (FsimExplanation *e);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsimExplanation, fsim_explanation_free)

/**
 * fsim_explain_user:
 * @fields: (nullable): field bit set (field_words long) to explain, NULL for every field
 * @partners: (nullable): partner bit set (partner_words long), NULL for every partner
 *
 * Every route of user @u's fields to the selected partners, open or closed. A pair with no
 * route at all (no API of the partner offers the field and nobody shares it with it) has an
 * empty route list.
 *
 * Returns: (transfer full): the explanation, or NULL with FSIM_GRAPH_ERROR_NOMEM when its byte
 * per (field, partner), its flows, their routes or their carriers cannot be had (all tried).
 */
FsimExplanation *fsim_explain_user (const FsimTracer *t, size_t u, const FsimWord *fields,
                                    const FsimWord *partners, GError **error);

/* ---- rendering (explain-report.c) ------------------------------------------------------ */

/*
 * Which destinations to show: all (NULL), or those whose "PARTNER/DESTINATION" name or
 * jurisdiction (an ISO code, or "device") equals the filter.
 */
gboolean fsim_explain_destination_matches (const FsimPartner *p, const FsimDestination *d,
                                           const char *filter);

/* Appends @e in plain English. Only flows with a shown destination are listed. */
void fsim_explain_render_text (const FsimTracer *t, const FsimExplanation *e,
                               const char *destination, GString *out);
/* Appends @e as one JSON document (see docs/analysis.md). */
void fsim_explain_render_json (const FsimTracer *t, const FsimExplanation *e,
                               const char *destination, GString *out);

/* The most bytes either of the two above appends for @e (any filter), computed without rendering,
 * for fsim_room_reserve() (room.h). Can't fail. */
guint64 fsim_explain_room (const FsimTracer *t, const FsimExplanation *e);

/* The most bytes fsim_explain_route_text() appends with @indent for all the open routes of @e
 * (the example routes of the HTML report), computed without rendering, for fsim_room_reserve().
 * Can't fail. */
guint64 fsim_explain_open_routes_room (const FsimTracer *t, const FsimExplanation *e,
                                       size_t indent);

/* One open or closed route in one paragraph of plain English, each line indented by @indent
 * spaces (used by `flowsim check` for its counterexamples). */
void fsim_explain_route_text (const FsimTracer *t, size_t u, const FsimFlowExplanation *flow,
                              const FsimRoute *route, size_t indent, GString *out);
