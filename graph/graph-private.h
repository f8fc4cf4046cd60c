/* SPDX-License-Identifier: MIT */
/* graph-private.h: internals shared by the graph/ sources (igraph errors and lock, CSR builder). */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <glib.h>
#include <igraph.h>

#include "friends.h"
#include "import.h"
#include "parallel.h"
#include "stats.h"

/*
 * fsim_i_graph_error_from_igraph:
 * @rc: an igraph error code other than IGRAPH_SUCCESS
 * @reason: (nullable): what went wrong, e.g. from fsim_i_graph_call(); added to the message
 * Sets @error in FSIM_GRAPH_ERROR: IGRAPH_ENOMEM becomes FSIM_GRAPH_ERROR_NOMEM,
 * IGRAPH_EINVAL / IGRAPH_EINVVID / IGRAPH_EINVMODE / IGRAPH_ERANGE / IGRAPH_EOVERFLOW become
 * FSIM_GRAPH_ERROR_INVALID, anything else FSIM_GRAPH_ERROR_FAILED. The message carries
 * igraph_strerror()'s text and the numeric code. Does nothing if @error is NULL.
 * Returns: FALSE always, so callers can write `return fsim_i_graph_error_from_igraph (...)`.
 */
gboolean fsim_i_graph_error_from_igraph (igraph_error_t rc, const char *reason, GError **error);

/*
 * igraph 0.10 as packaged is built without thread-local storage (IGRAPH_THREAD_SAFE == 0): its
 * IGRAPH_FINALLY stack, error handlers and default RNG are process-wide. Every public graph/
 * function that calls into igraph does so between fsim_i_graph_lock() and
 * fsim_i_graph_unlock(), so graph/ can be used from several threads. The lock is not
 * recursive: static helpers that run under it must not take it again.
 */
void fsim_i_graph_lock (void);
void fsim_i_graph_unlock (void);

/*
 * fsim_i_graph_call:
 * @reason: (nullable): FSIM_I_GRAPH_REASON_SIZE bytes, set when an assertion failed
 * Runs body (data) under the igraph lock, so @body must not take it. If igraph fails one of its
 * internal assertions inside @body (which would abort the process), the call returns
 * IGRAPH_EINTERNAL instead, with igraph's reason, after freeing igraph's IGRAPH_FINALLY stack.
 * Leaves igraph's error handler and attribute table at flowsim's defaults (ignore, none).
 * Every graph/ function that runs igraph code other than igraph_destroy() goes through here.
 */
#define FSIM_I_GRAPH_REASON_SIZE 256
typedef igraph_error_t (*FsimIgraphBody) (void *data);
igraph_error_t fsim_i_graph_call (FsimIgraphBody body, void *data, char *reason);

/* flowsim's igraph error handler: igraph_error_handler_ignore (free igraph's stack, return the
 * code). A handler that replaces it for a while (import-igraph.c) must end by calling it. */
void fsim_i_graph_error_ignore (const char *reason, const char *file, int line,
                                igraph_error_t igraph_errno);

/*
 * The CSR builder behind fsim_friends_new_from_pairs(), shared so that each edge source
 * (explicit pairs, an igraph graph, the facebook_like generator) runs its own tight loops:
 *
 *     CsrBuilder b;
 *     if (!fsim_i_csr_begin (&b, n_users)) ...                out of memory
 *     for each pair: fsim_i_csr_count (&b, u, v);
 *     if (!fsim_i_csr_reserve (&b)) ...                       out of memory, @b cleared
 *     for the same pairs: fsim_i_csr_place (&b, u, v);
 *     FsimFriends *f = fsim_i_csr_finish (&b);                NULL: out of memory, @b cleared
 *
 * The pairs must be the same in both passes (order may differ); ids must be < n_users.
 * Self-loops are skipped, duplicates removed, rows come out sorted, so the result depends only
 * on the set of pairs. fsim_i_csr_clear() frees a builder abandoned before finish.
 */
typedef struct {
    size_t n_users;
    size_t *offsets;  /* n_users + 1 */
    uint32_t *bucket; /* offsets[n_users] arcs, rows unsorted */
} CsrBuilder;

gboolean fsim_i_csr_begin (CsrBuilder *b, size_t n_users);
gboolean fsim_i_csr_reserve (CsrBuilder *b);
FsimFriends *fsim_i_csr_finish (CsrBuilder *b);
void fsim_i_csr_clear (CsrBuilder *b);

static inline void
fsim_i_csr_count (CsrBuilder *b, uint32_t u, uint32_t v)
{
    if (u != v) {
        b->offsets[(size_t) u + 1]++;
        b->offsets[(size_t) v + 1]++;
    }
}

static inline void
fsim_i_csr_place (CsrBuilder *b, uint32_t u, uint32_t v)
{
    if (u != v) {
        b->bucket[b->offsets[v]++] = u;
        b->bucket[b->offsets[u]++] = v;
    }
}

/* Sets FSIM_GRAPH_ERROR_NOMEM "out of memory building friend lists for N users and M ...". */
void fsim_i_set_nomem (GError **error, size_t n_users, size_t n_pairs);
/* fsim_friends_new_from_pairs() taking @pairs (transfer full: freed, on success and on error),
 * freed as soon as they are placed, so that they and the transposed friend lists are never held
 * at once: 8 bytes per friendship less at the peak of an edge list's import. */
FsimFriends *fsim_i_friends_take_pairs (size_t n_users, uint32_t *pairs, size_t n_pairs,
                                        GError **error);

/* The models behind fsim_friends_generate_params(), which has checked the model name,
 * n_users <= UINT32_MAX and a finite mean degree >= 0. games.c and fblike.c. */
FsimFriends *fsim_i_generate_erdos_renyi (const FsimGenParams *p, GError **error);
FsimFriends *fsim_i_generate_barabasi_albert (const FsimGenParams *p, GError **error);
FsimFriends *fsim_i_generate_watts_strogatz (const FsimGenParams *p, GError **error);
FsimFriends *fsim_i_generate_facebook_like (const FsimGenParams *p, GError **error);
/* facebook_like's rows of users @first .. @first + @n_rows - 1 over the ranks of @comm
 * (fblike-part.c; friends.h's fsim_friends_generate_part()). */
FsimFriends *fsim_i_generate_facebook_like_part (const FsimGenParams *p, const FsimComm *comm,
                                                 size_t first, size_t n_rows, GError **error);

/* erdos_renyi's rows of users @first .. @first + @n_rows - 1 over the ranks of @comm (gnm.c). */
FsimFriends *fsim_i_generate_erdos_renyi_part (const FsimGenParams *p, const FsimComm *comm,
                                               size_t first, size_t n_rows, GError **error);

/* watts_strogatz's rows of users @first .. @first + @n_rows - 1 over the ranks of @comm (games.c
 * checks the parameters, ws.c draws). */
FsimFriends *fsim_i_generate_watts_strogatz_part (const FsimGenParams *p, const FsimComm *comm,
                                                  size_t first, size_t n_rows, GError **error);
/* ws.c: the rows @first .. @first + @n_rows - 1 of watts_strogatz with @nei ring neighbours on
 * each side (2 nei < n_users) over @comm, NULL for one process and every row. NULL with @error
 * set (on every rank) when out of memory. */
FsimFriends *fsim_i_ws_generate (const FsimGenParams *p, size_t nei, const FsimComm *comm,
                                 size_t first, size_t n_rows, GError **error);

/* barabasi_albert's rows of users @first .. @first + @n_rows - 1 over the ranks of @comm (games.c
 * checks the parameters, ba.c replays the process on every rank). */
FsimFriends *fsim_i_generate_barabasi_albert_part (const FsimGenParams *p, const FsimComm *comm,
                                                   size_t first, size_t n_rows, GError **error);
/* ba.c: the rows @first .. @first + @n_rows - 1 of barabasi_albert with @m friendships per
 * arriving user over @comm, NULL for one process and every row. NULL with @error set (on every
 * rank) when out of memory. */
FsimFriends *fsim_i_ba_generate (const FsimGenParams *p, size_t m, const FsimComm *comm,
                                 size_t first, size_t n_rows, GError **error);

/* Collective: every rank's range of users lo .. hi - 1, gathered into *out_bounds (transfer
 * full, @comm->size + 1 entries: rank r owns bounds[r] .. bounds[r + 1] - 1). FALSE with @error
 * set on every rank if the ranges do not tile 0 .. @n - 1 in rank order (comm.c). */
gboolean fsim_i_comm_gather_bounds (const FsimComm *comm, size_t lo, size_t hi, size_t n,
                                    size_t **out_bounds, GError **error);
/* @n_rows rows without friends (transfer full), what a rank generates when there are no
 * friendships (comm.c). */
FsimFriends *fsim_i_friends_empty_rows (size_t n_rows);
/* The rank owning user @v under @bounds (from fsim_i_comm_gather_bounds()). Can't fail. */
int fsim_i_comm_owner (const size_t *bounds, int size, size_t v);

/* Runs under fsim_i_graph_lock(): feeds @graph's edges (directions ignored) to a fresh builder
 * for igraph_vcount (graph) users: count, reserve, place. On IGRAPH_ENOMEM @b is cleared. */
igraph_error_t fsim_i_igraph_into_builder (const igraph_t *graph, CsrBuilder *b);

/* GraphML or GML through igraph (import-igraph.c), for fsim_import_file(). */
FsimImported *fsim_i_import_igraph (const char *path, FsimImportFormat format, GError **error);
/* GraphML's namespace: igraph reads its elements, and no others but where the root has none. */
#define FSIM_I_GRAPHML_NS "http://graphml.graphdrawing.org/xmlns"
/* What fsim_i_check_graphml_ids() found of a GraphML file (import-graphml.c). */
typedef struct {
    gsize nodes;       /* the <node>s igraph reads */
    gsize graphs;      /* <graph>s directly inside the root <graphml> (igraph reads the first) */
    gboolean by_count; /* some id compares only by igraph's vertex count, which must be nodes */
    gboolean id_key;   /* igraph's "id" attribute comes from a <key>, not from the node ids */
    gsize node_keys, edge_keys; /* <key>s of node and of edge attributes */
    gsize edges;                /* the <edge>s igraph reads */
} FsimGraphmlIds;
/* A GraphML file's node ids, checked before igraph reads it (import-graphml.c). */
gboolean fsim_i_check_graphml_ids (const char *path, const char *data, gsize len,
                                   FsimGraphmlIds *out, GError **error);
/* What fsim_i_count_gml_attributes() counts of a GML file (import-gml.c). */
typedef struct {
    guint64 nodes, edges;         /* the node and edge lists of the top-level graph */
    guint64 node_keys, edge_keys; /* the distinct keys directly inside them */
} FsimGmlCounts;
gboolean fsim_i_count_gml_attributes (const char *data, gsize len, FsimGmlCounts *out,
                                      GError **error);
/* Each "&#38;" of the @n strings (igraph's node ids) back to '&', in place (import-graphml.c). */
void fsim_i_graphml_unescape_ids (char **ids, size_t n);
/* import.c: the most one process reads of a file of @format (EDGE_LIST, GRAPHML or GML). */
guint64 fsim_i_import_max_bytes (FsimImportFormat format);
/* The end of a message about a file of @format over its limit, read by @ranks processes
 * (transfer full): how a user who trusts the file can read it. */
char *fsim_i_import_limit_hint (FsimImportFormat format, int ranks);
/* Opens a graph file of @format that graph/inputfile.h's rule allows, within its limit
 * (fsim_i_import_max_bytes()), and whose whole reading fits in memory
 * (fsim_i_import_check_read()); -1 with error set. */
int fsim_i_import_open (const char *path, FsimImportFormat format, GError **error);
/* The same without the memory check, for a reader of part of the file (import-part.c), which
 * checks its part, and with @max_bytes for the file's size (fsim_i_import_max_bytes() for a
 * reader of the whole file, times the ranks for a reader of a part, which checks its part
 * against that); *@out_size (nullable): the file's bytes. A file over @max_bytes is refused
 * with fsim_i_import_limit_hint (@format, @ranks). */
int fsim_i_import_open_unchecked (const char *path, FsimImportFormat format, int ranks,
                                  guint64 max_bytes, guint64 *out_size, GError **error);
/* Whether reading bytes @from .. @to - 1 of @path (@size in all) fits in memory: it takes about
 * @factor times those bytes at its peak (2 for a rank's part of an edge list, whose text it
 * frees once parsed; FSIM_I_IMPORT_EDGE_LIST_PEAK for one process's whole edge list). FALSE with
 * FSIM_GRAPH_ERROR_NOMEM set, naming the part unless it is all. */
gboolean fsim_i_import_check_read (const char *path, guint64 from, guint64 to, guint64 size,
                                   double factor, GError **error);
/*
 * The peak of one process's import of a whole edge list, per byte of the file: its text, then
 * the parser's pairs (8 bytes per friendship, grown by doubling), ids and id tables while it
 * reads; the text freed, the friend lists built (8 bytes per friendship twice, 24 per user),
 * the pairs freed as soon as they are placed. Measured: 1.7 to 2.3 times the file's bytes
 * resident, up to 2.7 in address space (what RLIMIT_AS counts: capacity grown by doubling,
 * never touched), for files whose users come back on more than one line (docs/robustness.md,
 * "The MPI trace and graph imports, tried"); 3.5 is a third over the most.
 * A file whose every id is new (a friendship per user) takes more, 64 bytes per user for the
 * parser's id tables (10 to 13 times the file): the parser checks its peak against
 * fsim_memory_limit() before each table grows, and refuses the file there (exit 3).
 */
#define FSIM_I_IMPORT_EDGE_LIST_PEAK 3.5
/* fsim_i_import_open(), then the whole file read into memory (never mapped: a file truncated
 * while it is read is an error, not a SIGBUS). Returns: (transfer full): its bytes and a NUL
 * after them, or NULL with @error set (FSIM_GRAPH_ERROR_IO or _NOMEM). */
char *fsim_i_import_read (const char *path, FsimImportFormat format, gsize *out_len,
                          GError **error);

/* An edge list's lines, parsed (import.c): the file's ids in order of first appearance and the
 * pairs (2 * n_pairs entries) as indices into them. The caller frees both arrays. */
typedef struct {
    int64_t *ids;
    size_t n_ids;
    uint32_t *pairs;
    size_t n_pairs;
} FsimIEdges;

/* Where line 1 of an edge list starts in @data: 3 after a UTF-8 byte order mark, else 0. */
size_t fsim_i_edge_list_start (const char *data, size_t len);

/* Parses the lines of @data (@len bytes) that start at offsets @from .. @to - 1 (@from a line
 * start: fsim_i_edge_list_start() or just after a '\n'), the first being line @first_line + 1
 * of the file for messages; a line may run past @to. Users are numbered in order of first
 * appearance within the range. FALSE with @error set as fsim_import_edge_list_data() sets it
 * for the first bad line (*@out untouched). */
gboolean fsim_i_edge_list_parse (const char *name, const char *data, size_t len, size_t from,
                                 size_t to, size_t first_line, FsimIEdges *out, GError **error);

/* stats.c, for stats-part.c. The median, 99th percentile and mean of @out, whose n_users,
 * n_edges and max are set (n_users > 0), from @count[0 .. max], the users of each degree. */
void fsim_i_degree_stats_ranks (const size_t *count, FsimDegreeStats *out);
/* The users average clustering measures, in the order their values are added: all @n_users
 * when at most @sample, else @sample drawn from @seed. fsim_i_clustering_n() says how many and
 * whether drawn; fsim_i_clustering_draw() writes them into @users (that many). */
size_t fsim_i_clustering_n (size_t n_users, size_t sample, gboolean *out_sampled);
void fsim_i_clustering_draw (uint32_t *users, size_t n_users, size_t sample, uint64_t seed);
