/* SPDX-License-Identifier: MIT */
/* graphml-scan.h: the scan of a GraphML file's text that import-graphml.c runs before igraph
 * reads it, shared with graphml-keys.c, which checks its <key>s and their values. Private to
 * those two files. */
#ifndef FLOWSIM_GRAPHML_SCAN_H
#define FLOWSIM_GRAPHML_SCAN_H

#include <glib.h>

#include "graph-private.h"
#include "import.h"

/* A GraphML <key>'s attr.type, as igraph reads it (graphml-keys.c). */
typedef enum {
    FSIM_GRAPHML_UNSPECIFIED, /* none given: igraph skips the attribute */
    FSIM_GRAPHML_BOOLEAN,
    FSIM_GRAPHML_STRING,
    FSIM_GRAPHML_NUMBER, /* float, double, int, long */
    FSIM_GRAPHML_BAD     /* igraph refuses it */
} FsimGraphmlType;
/* A <key>'s 'for': the three kinds of attribute, those igraph skips, or one it refuses. */
typedef enum {
    FSIM_GRAPHML_FOR_GRAPH,
    FSIM_GRAPHML_FOR_NODE,
    FSIM_GRAPHML_FOR_EDGE,
    FSIM_GRAPHML_SKIPPED,
    FSIM_GRAPHML_TARGET_BAD
} FsimGraphmlTarget;

/* The scan's passes: counting; the node ids, keys and values; the edges */
typedef enum { PASS_COUNT, PASS_NODES, PASS_EDGES } Pass;

/* igraph's parser states (the ones that matter here) */
typedef enum {
    ST_START,
    ST_GRAPHML,
    ST_GRAPH,
    ST_KEY,
    ST_DEFAULT,
    ST_NODE,
    ST_EDGE,
    ST_DATA,
    ST_UNKNOWN,
    ST_FINISH
} State;

typedef struct {
    const char *quote; /* the id's opening quote; NULL: a free slot */
    gsize at;          /* its node's '<' */
} IdSlot;

/* A <key> igraph keeps, by its kind and id (the first of an id: igraph looks that one up). */
typedef struct {
    const char *quote; /* the id's opening quote; NULL: a free slot */
    FsimGraphmlTarget kind;
    FsimGraphmlType type;
    gsize index; /* among the ids of keys of its kind */
} KeySlot;

typedef struct {
    const char *prefix; /* NULL: the default namespace */
    gsize prefix_len;
    const char *uri; /* the value's opening quote */
    gsize depth;     /* of the element declaring it */
} Binding;

typedef struct {
    const char *path, *data;
    gsize len;
    Pass pass;
    gsize nodes;                /* <node>s igraph reads */
    gsize graphs;               /* <graph>s directly inside <graphml> */
    gsize edges;                /* <edge>s igraph reads */
    gsize node_keys, edge_keys; /* <key>s of node and of edge attributes */
    gboolean by_count;          /* an id was not comparable as written */
    gboolean id_key;  /* a <key> declares a node attribute "id", which igraph reads as ids */
    IdSlot *ids;      /* the nodes' ids, open addressing: a power of two of slots */
    gsize mask;       /* slots - 1 */
    gsize n_keys;     /* <key>s igraph reads */
    gsize named_keys; /* of them, those typed for nodes or edges: their names are kept too */
    KeySlot *keys;    /* the <key>s seen so far, as ids; key_mask + 1 slots */
    gsize key_mask;
    gsize kind_keys[FSIM_GRAPHML_FOR_EDGE + 1]; /* the ids of keys of each kind so far */
    gboolean keys_unsure;     /* a key's id or 'for' is not comparable as written: keys unchecked */
    gboolean names_unsure;    /* so is the name of an attribute: names unchecked */
    FsimGraphmlType key_type; /* the last <key>'s, for its <default> */
    Binding bind[FSIM_IMPORT_GRAPHML_MAX_NAMESPACES]; /* in scope, innermost last */
    gsize n_bind;
    gsize depth;                  /* elements open */
    State st, stack[8];           /* igraph's state and the ones it returns to */
    gsize n_stack, unknown_depth; /* unknown elements open */
    gboolean lenient;             /* the root has no namespace: nor need the rest */
    GError **error;
} Scan;

typedef struct {
    const char *name; /* a qualified name: prefix:local, or local */
    gsize name_len;
    const char *quote; /* an attribute's value; NULL for the element */
} Name;

/* next_attr()'s *j when the tag does not end */
#define NO_END G_MAXSIZE

/* 1-based line and byte column of @off in the scanned text. */
void fsim_i_graphml_locate (const Scan *s, gsize off, gsize *line, gsize *col);
/* Sets the scan's error, PATH:LINE:COL (of @at) and the message; returns FALSE. */
gboolean fsim_i_graphml_refuse (Scan *s, gsize at, const char *format, ...) G_GNUC_PRINTF (3, 4);
/* An attribute value given by its opening quote: its hash (unmasked), whether two are written
 * alike, and whether it may equal another written differently (a reference, white space). */
gsize fsim_i_graphml_value_hash (const char *quote);
gboolean fsim_i_graphml_value_equal (const char *p, const char *q);
gboolean fsim_i_graphml_not_comparable (const char *quote);
gboolean fsim_i_graphml_name_is (const char *p, gsize n, const char *name);
/* The next attribute of a start tag from *@j (see import-graphml.c). */
gboolean fsim_i_graphml_next_attr (const Scan *s, gsize *j, Name *a, gboolean *empty);
void fsim_i_graphml_split_name (const Name *n, const char **prefix, gsize *prefix_len,
                                const char **local, gsize *local_len);
/* Whether @n is in GraphML's namespace, as igraph reads it (*@none: in no namespace). */
gboolean fsim_i_graphml_in_ns (Scan *s, const Name *n, gboolean *none);

/* graphml-keys.c: the <key>s, as igraph reads them. */
/* The attr.type (@is_type) or 'for' @a of the <key> at @at; FALSE with the error set when
 * igraph would refuse it. */
gboolean fsim_i_graphml_key_attribute_ok (Scan *s, gsize at, const Name *a, gboolean is_type);
/* The <key> at @at, its id, attr.name, attr.type and 'for' (each an opening quote or NULL):
 * checked as a whole on the first pass, kept for its values and its attribute's type on the
 * second; *@target what igraph makes of its 'for' (FSIM_GRAPHML_TARGET_BAD also for none, or
 * one written with a reference). FALSE with the error set when igraph would refuse it. */
gboolean fsim_i_graphml_on_key (Scan *s, gsize at, const char *id, const char *name,
                                const char *type, const char *target, FsimGraphmlTarget *kind);
/* The <default> (@parent ST_KEY) or <data> just entered, whose start tag at @at has its
 * attributes from @j and ends at @end: its text checked against its key's type. FALSE with the
 * error set when igraph would refuse it. */
gboolean fsim_i_graphml_value_entered (Scan *s, gsize at, gsize j, gsize end, State parent);

#endif
