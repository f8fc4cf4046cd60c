/* SPDX-License-Identifier: MIT */
/* diagram.h: a layered flow diagram of a run (fields, APIs, partners, destinations) as DOT. */
#pragma once

#include <glib.h>

#include "engine.h"
#include "graphviz.h"
#include "policy.h"
#include "scenario.h"

/* Partners drawn one by one when there are more; the others share a box per group. */
#define FSIM_DIAGRAM_DEFAULT_TOP 8

/* The flow diagram's bounds for Graphviz (FSIM_GRAPHVIZ_MAX_NODES, _EDGES and _PASSES), with
 * the advice of `flowsim diagram` and `report`. */
extern const FsimGraphvizBounds fsim_diagram_layout;

/* How the partners beyond the top ones are grouped (--group-by); unnamed ones apart. */
typedef enum {
    FSIM_DIAGRAM_GROUP_KIND,         /* "other device makers", "unnamed device makers" */
    FSIM_DIAGRAM_GROUP_TAG,          /* the first tag that not every partner has */
    FSIM_DIAGRAM_GROUP_JURISDICTION, /* the partner's country */
    FSIM_DIAGRAM_GROUP_NONE,         /* one box for all of them */
    _FSIM_DIAGRAM_GROUP_MAX
} FsimDiagramGroup;

const char *fsim_diagram_group_to_string (FsimDiagramGroup g);
/* "kind", "tag", "jurisdiction" or "none"; FALSE (and @out untouched) for anything else. */
gboolean fsim_diagram_group_from_string (const char *s, FsimDiagramGroup *out);

typedef struct {
    size_t top;                  /* partners drawn one by one; 0: all of them */
    FsimDiagramGroup group_by;   /* the others, grouped */
    const char *const *partners; /* (nullable) only the partners these selectors select */
    const char *const *fields;   /* (nullable) only these fields (patterns, docs/format.md) */
    const char *jurisdiction;    /* (nullable) only destinations there (ISO code, "device") */
    double aspect;               /* height / width of the drawing (16:9 is 0.5625); 0: free */
} FsimDiagramOptions;

/*
 * The diagram (docs/diagrams.md) reads left to right:
 *   field groups (taxonomy prefix) -> API scopes by subject -> partners -> destinations,
 * destinations grouped by jurisdiction, with the on-device ones in a box of their own. Edge
 * colour is the channel (self, friend, friend of friend, onward sharing), a dashed edge
 * carries data without the user's consent, a dotted grey edge carried nothing (blocked, or no
 * users), and edge width grows with the users reached.
 */

/**
 * fsim_diagram_write_dot:
 * @scenario: the scenario that was run
 * @decisions: the decisions of the run (its day is the diagram's date)
 * @result: the run's counts
 * @options: (nullable): NULL for the defaults
 *
 * Appends the diagram as a Graphviz DOT digraph to @out. Deterministic; every string from the
 * scenario is escaped (a DOT quoted string, with '&' written as an entity), and control
 * characters become '?'. Its room is made first (room.h).
 * Returns: FALSE with @error set (FSIM_GRAPH_ERROR_NOMEM "out of memory: needed N bytes for the
 *   diagram") and @out unchanged when that room cannot be had.
 */
gboolean fsim_diagram_write_dot (const FsimScenario *scenario, const FsimDecisions *decisions,
                                 const FsimResult *result, const FsimDiagramOptions *options,
                                 GString *out, GError **error);

/* Appends @s to @out as a DOT quoted string ("..."), cleaned and escaped. Can't fail. */
void fsim_diagram_dot_string (GString *out, const char *s);
