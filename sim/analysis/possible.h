/* SPDX-License-Identifier: MIT */
/* possible.h: which flows could happen to some user on a day, whatever the population. */
#pragma once

#include <glib.h>

#include "engine.h"
#include "scenario.h"

/*
 * No population is built. For a field f and a partner p, a user's situation is what the
 * semantics looks at: whether they use each partner, whether a friend or a friend of a friend
 * does, their platform switch, whether f is in their "apps others use" list and who they show
 * f to. The flow is possible when the most permissive situation (everyone uses everything,
 * every setting wide open) has it; its blocking situations are the least restrictive
 * combinations of restrictions ("does not use p", "no friend uses p", "platform off", "f not in
 * 'apps others use'", "shows f to friends at most", "shows f to only_me") under which it
 * does not happen. Only partners that matter for (f, p) appear: p itself, and the partners
 * that could pass f on to p.
 */
typedef enum {
    FSIM_SITUATION_NOT_USES,                 /* the user does not use the partner */
    FSIM_SITUATION_NO_FRIEND_USES,           /* no friend of the user uses it */
    FSIM_SITUATION_NO_FRIEND_OF_FRIEND_USES, /* no friend of a friend uses it */
    FSIM_SITUATION_PLATFORM_OFF,             /* the user's platform switch is off */
    FSIM_SITUATION_NOT_IN_APPS_OTHERS,       /* the field is not in "apps others use" */
    FSIM_SITUATION_AUDIENCE_FRIENDS,         /* the user shows the field to friends at most */
    FSIM_SITUATION_AUDIENCE_ONLY_ME,         /* ... to no one (implies the one above) */
    _FSIM_SITUATION_MAX
} FsimSituationKind;

/* "not_uses", "no_friend_uses", ... (static) */
const char *fsim_situation_kind_to_string (FsimSituationKind k);

typedef struct {
    FsimSituationKind kind;
    size_t partner; /* the first three kinds */
} FsimSituation;

/* A route open for the most permissive user. */
typedef struct {
    FsimChannel channel;
    size_t partner; /* the partner it reaches directly (p, or an upstream one for downstream) */
    size_t api_k, api, scope;
    gssize rule; /* the allowing rule */
} FsimPossibleRoute;

typedef struct {
    size_t field, partner;
    gboolean receives;         /* p has a destination receiving f */
    guint8 channels;           /* channels open for the most permissive user: 0 = impossible */
    FsimPossibleRoute *routes; /* the open routes, downstream through upstream partners'
                                * direct routes */
    size_t n_routes;
    GArray *situations; /* FsimSituation: the restrictions that matter */
    guint32 *closing;   /* per route: the situations (mask) that close it */
    size_t n_closing;   /* n_routes once the blockers were sought, else 0 */
    GArray *blockers;   /* guint32 masks over `situations`: each a least restrictive
                           * blocking combination (AUDIENCE_ONLY_ME comes with _FRIENDS) */
    gboolean complete;  /* FALSE: too many restrictions matter to list every combination */
} FsimPossibleFlow;

typedef struct FsimPossible FsimPossible;

/**
 * fsim_possible_new:
 * @fields, @partners: (nullable): bit sets of the pairs to analyse (NULL: all)
 *
 * Analyses every selected (field, partner) pair of @scenario on @day.
 * Returns: (transfer full) or NULL with @error set (the model graph walk failed).
 */
FsimPossible *fsim_possible_new (const FsimScenario *scenario, FsimDay day, const FsimWord *fields,
                                 const FsimWord *partners, GError **error);
void fsim_possible_free (FsimPossible *pp);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsimPossible, fsim_possible_free)

/* The analysed pairs, fields outermost, both in model order (FsimPossibleFlow). */
const GArray *fsim_possible_flows (const FsimPossible *pp);
/* The pair (f, p), or NULL if it was not selected. */
const FsimPossibleFlow *fsim_possible_get (const FsimPossible *pp, size_t f, size_t p);

/* A situation named by partner id, to ask about a flow of another model (diff does). */
typedef struct {
    FsimSituationKind kind;
    const char *partner; /* NULL for the settings */
} FsimSituationRef;

/* Is @flow (of @pp) blocked for a user in all @n situations @x? Situations the flow does not
 * depend on change nothing. Can't fail. */
gboolean fsim_possible_blocks (const FsimPossible *pp, const FsimPossibleFlow *flow,
                               const FsimSituationRef *x, size_t n);

/* The scenario, day and decisions @pp was made for (owned by @pp). */
const FsimScenario *fsim_possible_scenario (const FsimPossible *pp);
FsimDay fsim_possible_day (const FsimPossible *pp);
const FsimDecisions *fsim_possible_decisions (const FsimPossible *pp);
