/* SPDX-License-Identifier: MIT */
/* import.h: friendship graphs read from files: SNAP edge lists, GraphML and GML. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#include "comm.h"
#include "friends.h"

/*
 * Formats:
 *   EDGE_LIST  SNAP style: one friendship "u v" per line, ids any 64-bit integers separated by
 *              spaces or tabs; blank lines and lines starting with '#' or '%' are skipped, and a
 *              '#' after the two ids starts a comment. Any other third field is an error. Users
 *              are numbered 0..n-1 in order of first appearance; `ids` keeps the file's ids.
 *   GRAPHML    through igraph_read_graph_graphml (the first graph in the file)
 *   GML        through igraph_read_graph_gml
 * For GraphML and GML users keep the file's vertex order; directions, self-loops and repeated
 * edges are dropped (friendship is mutual), and the vertex attributes are kept by name in
 * `attrs` (GraphML's node ids are the string attribute "id", GML's the number "id").
 * AUTO picks GRAPHML for ".graphml" or ".xml", GML for ".gml", EDGE_LIST otherwise.
 */
/* The largest graph file flowsim reads: the same 256 MiB as any other input file
 * (docs/format.md#limits), checked by size before reading. An edge list's limit may be raised
 * (fsim_import_set_edge_list_max_bytes()); GraphML's and GML's may not (igraph reads them whole
 * on every rank, GML at up to 42 s for 256 MiB of long strings: docs/robustness.md). */
#define FSIM_IMPORT_MAX_BYTES ((guint64) 256 << 20)

/* The most that fsim_import_set_edge_list_max_bytes() lets one process read of an edge list.
 * At 15 bytes a line, the friendships of a 16 GiB part sent to their users' ranks come near the
 * 2^31 items that one MPI exchange carries to a rank; past it, more ranks are the way. */
#define FSIM_IMPORT_EDGE_LIST_CEILING ((guint64) 16 << 30)

/* The most one process reads of an edge list: FSIM_IMPORT_MAX_BYTES unless raised (or lowered)
 * with fsim_import_set_edge_list_max_bytes(). Under N ranks each reads its part of at most that
 * (fsim_import_edge_list_part()). Can't fail. */
guint64 fsim_import_edge_list_max_bytes (void);

/**
 * fsim_import_set_edge_list_max_bytes:
 * @bytes: the most one process may read of an edge list, 1 .. FSIM_IMPORT_EDGE_LIST_CEILING;
 *   0 restores FSIM_IMPORT_MAX_BYTES
 * For a large graph its user trusts (the command line's --max-graph-size, libflowsim's
 * flowsim_set_max_graph_size()); never from a scenario, which may come from anyone. The check
 * that the file fits in memory still applies. Process-wide: call it before reading on other
 * threads. Returns: FALSE (the limit unchanged) when @bytes is over the ceiling.
 */
gboolean fsim_import_set_edge_list_max_bytes (guint64 bytes);

/* The longest string flowsim lets igraph's GML reader parse: its time grows with the square of
 * a string's length (a string of 6.4 MB took 21 s), so longer ones are refused before reading. */
#define FSIM_IMPORT_GML_MAX_STRING ((gsize) 64 << 10)
/* Lists nested deeper than this in a GML file are refused before igraph reads it (igraph
 * 0.10's lexer stops at the 32nd with a bare "syntax error"). */
#define FSIM_IMPORT_GML_MAX_DEPTH 31
/* The most attributes of one GraphML tag, and namespaces declared and in scope at once: libxml2
 * 2.9 compares each attribute of a tag with the others, and looks each prefix up among the
 * namespaces in scope, so either count's square is its time (80,000 of either, 2 MB, took
 * 2 s of CPU; a file at the 256 MiB limit would take hours). More is refused before reading. */
#define FSIM_IMPORT_GRAPHML_MAX_ATTRIBUTES 256
#define FSIM_IMPORT_GRAPHML_MAX_NAMESPACES 64

typedef enum {
    FSIM_IMPORT_AUTO,
    FSIM_IMPORT_EDGE_LIST,
    FSIM_IMPORT_GRAPHML,
    FSIM_IMPORT_GML,
    _FSIM_IMPORT_FORMAT_MAX
} FsimImportFormat;

/* "auto", "edge_list", "graphml", "gml"; NULL for a value out of range. */
const char *fsim_import_format_to_string (FsimImportFormat format);
/* FALSE (and @out_format untouched) for an unknown name. */
gboolean fsim_import_format_from_string (const char *name, FsimImportFormat *out_format);
/* The format FSIM_IMPORT_AUTO picks for @path (never AUTO). Can't fail. */
FsimImportFormat fsim_import_format_of_path (const char *path);

typedef enum {
    FSIM_ATTR_NUMBER,  /* numbers[]: NAN where a user has no value */
    FSIM_ATTR_BOOLEAN, /* numbers[]: 0 or 1 (0 where a user has no value) */
    FSIM_ATTR_STRING,  /* strings[]: "" where a user has no value */
} FsimAttrType;

/* One vertex attribute: a value per user. */
typedef struct {
    char *name;
    FsimAttrType type;
    double *numbers; /* NUMBER and BOOLEAN: n_users values, else NULL */
    char **strings;  /* STRING: n_users strings, else NULL */
} FsimAttr;

typedef struct {
    size_t n_users;
    size_t n_attrs;
    FsimAttr *attrs; /* in igraph's order */
} FsimAttrTable;

/* The attribute named @name, or NULL. Owned by @t. */
const FsimAttr *fsim_attr_table_lookup (const FsimAttrTable *t, const char *name);

typedef struct {
    FsimFriends *friends;
    FsimImportFormat format; /* the format actually read (never AUTO) */
    int64_t *ids;            /* EDGE_LIST: the file's id of user u is ids[u]; else NULL */
    FsimAttrTable attrs;     /* GRAPHML, GML: vertex attributes; empty for EDGE_LIST */
} FsimImported;

/**
 * fsim_import_file:
 * @path: the file to read
 * @format: its format, or FSIM_IMPORT_AUTO to go by the extension
 * Returns: (transfer full): the graph, or NULL with @error set: FSIM_GRAPH_ERROR_IO when the
 *   file cannot be read, FSIM_GRAPH_ERROR_PARSE for a malformed file (edge lists say
 *   PATH:LINE:COL; GraphML / GML carry igraph's message), FSIM_GRAPH_ERROR_INVALID for more
 *   than UINT32_MAX users, FSIM_GRAPH_ERROR_NOMEM when out of memory, FSIM_GRAPH_ERROR_FAILED
 *   for any other igraph failure.
 */
FsimImported *fsim_import_file (const char *path, FsimImportFormat format, GError **error);

/**
 * fsim_import_edge_list_data:
 * @name: used in error messages as the file name
 * @data: (array length=len): the text, need not be NUL-terminated; read only
 * The edge-list parser over a buffer. Returns: as fsim_import_file().
 */
FsimImported *fsim_import_edge_list_data (const char *name, const char *data, size_t len,
                                          GError **error);

/* Frees @imp and everything it holds. Accepts NULL. */
void fsim_imported_free (FsimImported *imp);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsimImported, fsim_imported_free)

/*
 * An edge list read over the ranks of a FsimComm (import-part.c, docs/scaling.md): each rank
 * reads the lines that start in its share of the file's bytes and keeps, in the end, only the
 * friend lists of its own users. Users are numbered as fsim_import_file() numbers them (first
 * appearance in the file), and rank r of N owns users n_users * r / N .. n_users * (r + 1) / N
 * - 1 (the split of fsim_population_slice_first()).
 */
typedef struct {
    FsimFriends *rows; /* this rank's users: row i is user first + i, its friends as sorted
                        * global numbers; n_edges is 0 */
    size_t first;
    size_t n_users; /* the whole graph's */
    size_t n_edges; /* the whole graph's friendships, self-loops and repeats dropped */
    int64_t *ids;   /* this rank's users' ids in the file (their names), row i user first + i */
} FsimImportedPart;

/**
 * fsim_import_edge_list_part_data:
 * @name: used in error messages as the file name
 * @data: (array length=len): the whole file's text, the same on every rank; read only
 * @comm: the ranks; collective: every rank calls it with the same text
 * The friend lists of this rank's users of the graph fsim_import_edge_list_data() gives, the
 * same rows for any number of ranks; no rank holds the whole graph.
 * Returns: (transfer full): this rank's part, or NULL with @error set on every rank: for a bad
 *   line, the error fsim_import_edge_list_data() gives (the same message, the file's line
 *   number), on every rank; FSIM_GRAPH_ERROR_NOMEM on a rank out of memory, and on the others
 *   FSIM_GRAPH_ERROR_OTHER_RANK, or that rank's message when it failed before the exchanges.
 */
FsimImportedPart *fsim_import_edge_list_part_data (const char *name, const char *data, size_t len,
                                                   const FsimComm *comm, GError **error);

/**
 * fsim_import_edge_list_part:
 * fsim_import_edge_list_part_data() over the file @path, of which each rank reads (never maps)
 * only its bytes: from its first line start to the end of its last line. The errors are
 * fsim_import_file()'s (the first failing rank's, on every rank); a file found shorter than its
 * size was when opened is "cannot read 'FILE': it changed while being read (it is shorter now)".
 */
FsimImportedPart *fsim_import_edge_list_part (const char *path, const FsimComm *comm,
                                              GError **error);

/* Frees @part and its rows. Accepts NULL. */
void fsim_imported_part_free (FsimImportedPart *part);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsimImportedPart, fsim_imported_part_free)
