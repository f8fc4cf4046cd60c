/* SPDX-License-Identifier: MIT */
/* diagram-private.h: the diagram as nodes, edges and clusters, between building and writing. */
#pragma once

#include <glib.h>

#include "diagram.h"
#include "engine.h"
#include "scenario.h"

typedef enum {
    FSIM_I_NODE_FIELDS,
    FSIM_I_NODE_SCOPES,
    FSIM_I_NODE_PARTNER,
    FSIM_I_NODE_SERVER,
    FSIM_I_NODE_DEVICE,
    FSIM_I_NODE_LEGEND,
    FSIM_I_NODE_USER,
} FsimINodeKind;

typedef struct {
    char *id;         /* DOT node id (built from validated ids) */
    GPtrArray *lines; /* label lines (char *, raw text, escaped when written) */
    size_t cluster;   /* index in clusters */
    FsimINodeKind kind;
    gboolean highlight; /* fields: holds a sensitive field */
    gboolean muted;     /* nothing reached it */
} FsimINode;

/* An edge: channel >= 0 for a channel edge, -1 for storage (partner -> destination). */
typedef struct {
    size_t from, to;
    int channel;
    size_t users;
    size_t no_consent;  /* storage edges */
    gboolean blocked;   /* requested or offered, but nothing allowed on the day */
    char *reason;       /* why blocked (nullable); with FsimIDiagram.uniform, the label */
    const char *colour; /* (nullable, static) a styled edge: this colour, @style, label @reason */
    const char *style;
} FsimIEdge;

typedef struct {
    char *label;
    gboolean device; /* the on-device box */
    gboolean plain;  /* no frame (the legend) */
} FsimICluster;

typedef struct {
    GPtrArray *nodes;       /* FsimINode * */
    GPtrArray *edges;       /* FsimIEdge * */
    GPtrArray *clusters;    /* FsimICluster * */
    GHashTable *node_index; /* id -> index + 1 */
    GHashTable *edge_index; /* FsimIEdge * (its from, to, channel) -> index + 1 */
    GPtrArray *title;       /* graph label lines */
    gboolean uniform;       /* one user's routes: no counts, equal widths, labels = reasons */
    gboolean quiet;         /* the flow diagram: counts in the boxes, edges labelled only when
                             * blocked or for onward sharing */
    double aspect;          /* height / width, 0: free */
} FsimIDiagram;

FsimIDiagram *fsim_i_diagram_new (void);
void fsim_i_diagram_free (FsimIDiagram *d);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsimIDiagram, fsim_i_diagram_free)

size_t fsim_i_diagram_cluster (FsimIDiagram *d, const char *label, gboolean device);
/* The node @id, created in @cluster with @kind if new. */
size_t fsim_i_diagram_node (FsimIDiagram *d, const char *id, size_t cluster, FsimINodeKind kind,
                            gboolean *out_created);
/* Adds or merges (users: max; blocked only if both were; first reason kept) an edge. */
void fsim_i_diagram_edge (FsimIDiagram *d, size_t from, size_t to, int channel, size_t users,
                          size_t no_consent, gboolean blocked, const char *reason);
/* Adds or merges (users: max) an edge drawn in @colour and @style (static strings) and labelled
 * @label (first one kept); @key separates edges between the same nodes. */
void fsim_i_diagram_edge_styled (FsimIDiagram *d, size_t from, size_t to, int key, size_t users,
                                 const char *colour, const char *style, const char *label);
void fsim_i_node_line (FsimINode *n, const char *format, ...) G_GNUC_PRINTF (2, 3);

/* The colour of a channel's edges; -1: storage, -2: nothing flowed (static string). */
const char *fsim_i_channel_colour (int channel);

/* Writes @d as DOT: the room its text takes is made first (fsim_i_diagram_room(), room.h), so
 * running out is FALSE with @error set ("out of memory: needed N bytes for the diagram"), not
 * g_realloc's abort; @out is then unchanged. */
gboolean fsim_i_diagram_write (const FsimIDiagram *d, GString *out, GError **error);
/* The most bytes fsim_i_diagram_write() appends for @d (every string counted at 6 bytes a byte, as
 * markup escapes it, and wrapped lines their separators). Can't fail. */
guint64 fsim_i_diagram_room (const FsimIDiagram *d);

/* ---- which partners are drawn (diagram-select.c) ---- */

typedef struct {
    char *name; /* plural words: "unnamed device makers" */
    size_t n;
    size_t max_reach;
} FsimIGroup;

typedef struct {
    gboolean *dropped; /* [p]: outside the focus, not drawn */
    gboolean *alone;   /* [p]: drawn one by one */
    size_t *group;     /* [p]: index in groups, when neither */
    GPtrArray *groups; /* FsimIGroup *, in the order of their first (largest) partner */
    size_t n_grouped;
} FsimIPick;

/* Orders the partners not dropped (@in_focus nullable: all in focus) named first, then by
 * @reach, draws the first @top (0: all) alone and groups the others by @by; a group of one
 * is drawn alone. (transfer full) */
FsimIPick *fsim_i_diagram_pick (const FsimScenario *s, const size_t *reach,
                                const gboolean *in_focus, size_t top, FsimDiagramGroup by);
void fsim_i_pick_free (FsimIPick *pick);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsimIPick, fsim_i_pick_free)
/* @code with '_' as spaces: "device_maker" -> "device maker" (transfer full). */
char *fsim_i_plain_words (const char *code);
