/* SPDX-License-Identifier: MIT */
/* import.c: reading friendship graphs: the SNAP edge-list parser and the format front end. */
#include "config.h"

#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "friends.h"
#include "graph-private.h"
#include "import.h"
#include "inputfile.h"
#include "memory.h"

/*
 * The edge-list parser is written for speed on SNAP-sized files (tens of millions of lines):
 * the file is mapped, not read; lines are found with memchr; ids are parsed by hand (no scanf,
 * no strtoll and its locale). The file's ids are renumbered in order of first appearance:
 * small non-negative ids (the usual case: SNAP numbers users densely) through a direct table
 * indexed by id, kept at most a few times larger than the number of users, and any other id
 * through an open-addressing hash table holding the id and its number side by side, so that
 * either lookup costs one cache miss. Memory: about 8 bytes per friendship for the pairs, 8 to
 * 40 per user, then the CSR builder.
 */
#define DENSE_SLACK 4 /* the direct table covers ids < DENSE_SLACK * users + DENSE_MIN */
#define DENSE_MIN (1 << 20)
#define EMPTY UINT32_MAX

typedef struct {
    int64_t id;
    uint32_t user; /* EMPTY: a free slot */
} IdSlot;

typedef struct {
    const char *name; /* for messages */
    const char *line_start;
    size_t line;  /* 1-based */
    int64_t *ids; /* n_ids, in order of first appearance */
    size_t n_ids, cap_ids;
    uint32_t *dense; /* cap_dense: user of id, or EMPTY */
    size_t cap_dense;
    IdSlot *slots; /* cap_slots (a power of two, or 0): the ids not in the dense table */
    size_t cap_slots, n_hashed;
    uint32_t *pairs; /* 2 * n_pairs */
    size_t n_pairs, cap_pairs;
    guint64 text;   /* the bytes of the text parsed (the file, or a rank's part), held meanwhile */
    guint64 limit;  /* fsim_memory_limit(), taken once */
    gboolean over;  /* a table's growth was refused by afford() */
    double refused; /* the peak it would have made */
} EdgeParser;

/*
 * The parse's peak with the tables at the capacities given: the text, the ids, the direct and
 * hash tables and the pairs (address space, what RLIMIT_AS counts). The check before reading
 * counted FSIM_I_IMPORT_EDGE_LIST_PEAK times the file, which a file of new ids outgrows: 64
 * bytes a user in the id tables, 10 to 13 times the file when every id is new. The friend
 * lists built after it are tried (friends.c) and the population's estimate follows.
 */
static double
peak_with (const EdgeParser *p, size_t ids, size_t dense, size_t slots, size_t pairs)
{
    return (double) p->text + (double) ids * sizeof (int64_t) +
           (double) pairs * 2 * sizeof (uint32_t) + (double) dense * sizeof (uint32_t) +
           (double) slots * sizeof (IdSlot);
}

/* Whether a table may grow by the entries given (more ids, direct entries, hash slots or
 * pairs): FALSE, and p->over and p->refused set, when the peak would then be over
 * fsim_memory_limit(), so that a file of new ids is refused as it is read, before it takes
 * more than the limit (where the machine's memory is the limit, its allocations would succeed
 * and the system would kill it). */
static gboolean
afford (EdgeParser *p, size_t ids, size_t dense, size_t slots, size_t pairs)
{
    double peak = peak_with (p, p->cap_ids + ids, p->cap_dense + dense, p->cap_slots + slots,
                             p->cap_pairs + pairs);

    if (peak <= (double) p->limit)
        return TRUE;
    p->over = TRUE;
    p->refused = peak;
    return FALSE;
}

/* FSIM_GRAPH_ERROR_NOMEM for the growth afford() refused last; returns FALSE. */
static gboolean
over_limit (const EdgeParser *p, GError **error)
{
    g_autofree char *whose = fsim_memory_whose ();
    g_autofree char *needs = fsim_memory_size_text (p->refused);
    g_autofree char *can = fsim_memory_size_text ((double) p->limit);

    if (strcmp (needs, can) == 0) { /* "1.0 GiB, more than … (1.0 GiB)": exact bytes then */
        g_free (needs);
        g_free (can);
        needs = g_strdup_printf ("%.0f bytes", p->refused);
        can = g_strdup_printf ("%" G_GUINT64_FORMAT " bytes", p->limit);
    }

    g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_NOMEM,
                 "%s:%zu: out of memory: importing the %zu users and %zu friendships read up to "
                 "this line needs about %s, more than %s (%s)",
                 p->name, p->line, p->n_ids, p->n_pairs, needs, whose, can);
    return FALSE;
}

static void
parser_clear (EdgeParser *p)
{
    g_clear_pointer (&p->ids, g_free);
    g_clear_pointer (&p->dense, g_free);
    g_clear_pointer (&p->slots, g_free);
    g_clear_pointer (&p->pairs, g_free);
}

static inline size_t
id_hash (int64_t id, size_t mask)
{
    uint64_t z = (uint64_t) id * UINT64_C (0x9e3779b97f4a7c15);

    z = (z ^ (z >> 30)) * UINT64_C (0xbf58476d1ce4e5b9);
    return (size_t) (z ^ (z >> 31)) & mask;
}

/* Rebuilds the hash table with @cap slots (a power of two), moving to the direct table the ids
 * it now covers. */
static gboolean
rehash (EdgeParser *p, size_t cap)
{
    IdSlot *slots = afford (p, 0, 0, cap, 0) ? g_try_new (IdSlot, cap) : NULL;

    if (slots == NULL)
        return FALSE;
    for (size_t h = 0; h < cap; h++)
        slots[h].user = EMPTY;
    p->n_hashed = 0;
    for (size_t i = 0; i < p->cap_slots; i++) {
        const IdSlot *old = &p->slots[i];
        size_t h;

        if (old->user == EMPTY)
            continue;
        if (old->id >= 0 && (uint64_t) old->id < p->cap_dense) {
            p->dense[old->id] = old->user;
            continue;
        }
        h = id_hash (old->id, cap - 1);
        while (slots[h].user != EMPTY)
            h = (h + 1) & (cap - 1);
        slots[h] = *old;
        p->n_hashed++;
    }
    g_free (p->slots);
    p->slots = slots;
    p->cap_slots = cap;
    return TRUE;
}

/* Appends @id to ids[] and returns its new number, or EMPTY when out of memory. */
static uint32_t
add_id (EdgeParser *p, int64_t id)
{
    if (p->n_ids == p->cap_ids) {
        size_t cap = MAX (p->cap_ids * 2, 1024);
        int64_t *ids =
            afford (p, cap - p->cap_ids, 0, 0, 0) ? g_try_renew (int64_t, p->ids, cap) : NULL;

        if (ids == NULL)
            return EMPTY;
        p->ids = ids;
        p->cap_ids = cap;
    }
    p->ids[p->n_ids] = id;
    return (uint32_t) p->n_ids++;
}

/* Makes the direct table cover @id if @id is below DENSE_SLACK entries per user (the table
 * may then double past that), and moves there the hashed ids it now covers; FALSE if it does
 * not cover @id. */
static gboolean
cover_dense (EdgeParser *p, int64_t id)
{
    size_t limit = DENSE_SLACK * p->n_ids + DENSE_MIN;
    size_t cap;
    uint32_t *dense;

    if (id < 0 || (uint64_t) id >= limit)
        return FALSE;
    if ((size_t) id < p->cap_dense)
        return TRUE;
    cap = MAX ((size_t) id + 1, 2 * p->cap_dense); /* doubling: O(log) rehashes */
    if (!afford (p, 0, cap - p->cap_dense, 0, 0))
        return FALSE; /* the hash table will do, if it can (lookup_id() tries it) */
    dense = g_try_renew (uint32_t, p->dense, cap);
    if (dense == NULL)
        return FALSE; /* the hash table will do */
    memset (dense + p->cap_dense, 0xff, (cap - p->cap_dense) * sizeof *dense);
    p->dense = dense;
    p->cap_dense = cap;
    /* Failing to rebuild loses nothing: the old table stays and lookups try both. */
    if (p->n_hashed > 0)
        rehash (p, p->cap_slots);
    return TRUE;
}

/* The hash slot of @id: its own, or the free one where it belongs. */
static IdSlot *
find_slot (const EdgeParser *p, int64_t id)
{
    size_t h = id_hash (id, p->cap_slots - 1);

    while (p->slots[h].user != EMPTY && p->slots[h].id != id)
        h = (h + 1) & (p->cap_slots - 1);
    return &p->slots[h];
}

/* The user number of file id @id, adding it if new; EMPTY when out of memory. The hash table
 * is kept at most half full. The caller has checked that n_ids < UINT32_MAX - 1. */
static uint32_t
lookup_id (EdgeParser *p, int64_t id)
{
    IdSlot *slot = NULL;

    if (id >= 0 && (uint64_t) id < p->cap_dense && p->dense[id] != EMPTY)
        return p->dense[id];
    if (p->n_hashed > 0) {
        slot = find_slot (p, id);
        if (slot->user != EMPTY)
            return slot->user;
    }
    if (cover_dense (p, id))
        return p->dense[id] = add_id (p, id);
    p->over = FALSE; /* the direct table's growth refused: the hash table's may pass */
    if (2 * (p->n_hashed + 1) > p->cap_slots && !rehash (p, MAX (2 * p->cap_slots, 1024)))
        return EMPTY;
    slot = find_slot (p, id);
    slot->id = id;
    slot->user = add_id (p, id);
    p->n_hashed += slot->user != EMPTY;
    return slot->user;
}

static gboolean
push_pair (EdgeParser *p, uint32_t u, uint32_t v)
{
    if (p->n_pairs == p->cap_pairs) {
        size_t cap = MAX (p->cap_pairs * 2, 4096);
        uint32_t *pairs = afford (p, 0, 0, 0, cap - p->cap_pairs)
                              ? g_try_renew (uint32_t, p->pairs, 2 * cap)
                              : NULL;

        if (pairs == NULL)
            return FALSE;
        p->pairs = pairs;
        p->cap_pairs = cap;
    }
    p->pairs[2 * p->n_pairs] = u;
    p->pairs[2 * p->n_pairs + 1] = v;
    p->n_pairs++;
    return TRUE;
}

/* ---- lines ---------------------------------------------------------------------------------- */

static inline gboolean
is_blank (char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static inline const char *
skip_blanks (const char *s, const char *end)
{
    while (s < end && is_blank (*s))
        s++;
    return s;
}

/*
 * FSIM_GRAPH_ERROR_PARSE "NAME:LINE:COL: WHAT, found C", C being the one character at @at:
 * 'x' when it is printable ASCII, else "a NUL byte", "byte 0xC3", or "the end of the line".
 * Nothing more of the file is quoted: it may be a secret that someone else's scenario named
 * (/etc/shadow), and the user running flowsim must not see it in a message.
 */
static gboolean
parse_error (const EdgeParser *p, const char *at, const char *end, const char *what, GError **error)
{
    size_t col = (size_t) (at - p->line_start) + 1;
    g_autofree char *found = NULL;

    if (at == end)
        found = g_strdup ("the end of the line");
    else if (*at == '\0')
        found = g_strdup ("a NUL byte");
    else if (is_blank (*at))
        found = g_strdup ("a blank");
    else if (g_ascii_isgraph (*at))
        found = g_strdup_printf ("'%c'", *at);
    else
        found = g_strdup_printf ("byte 0x%02X", (guchar) *at);
    g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_PARSE, "%s:%zu:%zu: %s, found %s",
                 p->name, p->line, col, what, found);
    return FALSE;
}

/* A 64-bit integer at *@s, which must be followed by a blank, '#' or the end of the line. */
static gboolean
parse_id (const EdgeParser *p, const char **s, const char *end, int64_t *out_id, GError **error)
{
    const char *c = *s;
    gboolean negative = FALSE;
    uint64_t value = 0;
    uint64_t limit;

    if (c < end && (*c == '-' || *c == '+'))
        negative = *c++ == '-';
    if (c == end || *c < '0' || *c > '9')
        return parse_error (p, c, end, "expected a user id (an integer)", error);
    limit = negative ? (uint64_t) INT64_MAX + 1 : (uint64_t) INT64_MAX;
    for (; c < end && *c >= '0' && *c <= '9'; c++) {
        unsigned digit = (unsigned) (*c - '0');

        if (value > (limit - digit) / 10) {
            g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_PARSE,
                         "%s:%zu:%zu: user id out of the 64-bit range", p->name, p->line,
                         (size_t) (*s - p->line_start) + 1);
            return FALSE;
        }
        value = value * 10 + digit;
    }
    if (c < end && !is_blank (*c) && *c != '#')
        return parse_error (p, c, end, "expected a blank after the user id", error);
    *out_id = negative ? (int64_t) (0 - value) : (int64_t) value;
    *s = c;
    return TRUE;
}

/* Maps @id to a user number; errors for too many users or no memory. */
static gboolean
user_of (EdgeParser *p, int64_t id, uint32_t *out_user, GError **error)
{
    if (p->n_ids >= UINT32_MAX - 1) {
        g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_INVALID,
                     "%s:%zu: more than %u users", p->name, p->line, UINT32_MAX - 1);
        return FALSE;
    }
    p->over = FALSE;
    *out_user = lookup_id (p, id);
    if (*out_user == EMPTY && p->over)
        return over_limit (p, error);
    if (*out_user == EMPTY) {
        g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_NOMEM,
                     "%s:%zu: out of memory after %zu users", p->name, p->line, p->n_ids);
        return FALSE;
    }
    return TRUE;
}

/* A comment, [s, end): any text but a NUL byte, which no edge list may hold (the NUL rule). */
static gboolean
check_comment (const EdgeParser *p, const char *s, const char *end, GError **error)
{
    const char *nul = memchr (s, '\0', (size_t) (end - s));

    if (nul == NULL)
        return TRUE;
    g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_PARSE,
                 "%s:%zu:%zu: a NUL byte in a comment, which an edge list cannot contain", p->name,
                 p->line, (size_t) (nul - p->line_start) + 1);
    return FALSE;
}

/* One line, [s, end) without its '\n'. */
static gboolean
parse_line (EdgeParser *p, const char *s, const char *end, GError **error)
{
    int64_t a, b;
    uint32_t u, v;

    p->line_start = s;
    s = skip_blanks (s, end);
    if (s == end || *s == '#' || *s == '%')
        return check_comment (p, s, end, error);
    if (!parse_id (p, &s, end, &a, error))
        return FALSE;
    s = skip_blanks (s, end);
    if (s == end || *s == '#')
        return parse_error (p, s, end, "expected a second user id", error);
    if (!parse_id (p, &s, end, &b, error))
        return FALSE;
    s = skip_blanks (s, end);
    if (s < end && *s != '#')
        return parse_error (p, s, end, "expected the end of the line after two user ids", error);
    if (!check_comment (p, s, end, error))
        return FALSE;
    if (!user_of (p, a, &u, error) || !user_of (p, b, &v, error))
        return FALSE;
    p->over = FALSE;
    if (!push_pair (p, u, v)) {
        if (p->over)
            return over_limit (p, error);
        g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_NOMEM,
                     "%s:%zu: out of memory after %zu friendships", p->name, p->line, p->n_pairs);
        return FALSE;
    }
    return TRUE;
}

/* Where line 1 starts: after a UTF-8 byte order mark, which some editors write first and which
 * is not a character of line 1. */
size_t
fsim_i_edge_list_start (const char *data, size_t len)
{
    return len >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

/**
 * fsim_i_edge_list_parse:
 * See graph-private.h.
 */
gboolean
fsim_i_edge_list_parse (const char *name, const char *data, size_t len, size_t from, size_t to,
                        size_t first_line, FsimIEdges *out, GError **error)
{
    EdgeParser p = {
        .name = name, .line = first_line, .text = to - from, .limit = fsim_memory_limit ()
    };
    const char *s = data + from, *stop = data + to, *end = data + len;

    while (s < stop) {
        const char *eol = memchr (s, '\n', (size_t) (end - s));

        if (eol == NULL)
            eol = end;
        p.line++;
        if (!parse_line (&p, s, eol, error)) {
            parser_clear (&p);
            return FALSE;
        }
        if (eol == end)
            break;
        s = eol + 1;
    }
    g_clear_pointer (&p.slots, g_free);
    g_clear_pointer (&p.dense, g_free);
    *out = (FsimIEdges){ .ids = p.ids, .n_ids = p.n_ids, .pairs = p.pairs, .n_pairs = p.n_pairs };
    return TRUE;
}

/* The graph of the parsed @e (consumed: its pairs freed as they are placed, its ids kept);
 * NULL with @error set. */
static FsimImported *
imported_from_edges (const char *name, FsimIEdges *e, GError **error)
{
    g_autofree int64_t *ids = g_steal_pointer (&e->ids);
    FsimFriends *friends =
        fsim_i_friends_take_pairs (e->n_ids, g_steal_pointer (&e->pairs), e->n_pairs, error);

    if (friends == NULL) {
        g_prefix_error (error, "%s: ", name);
        return NULL;
    }
    FsimImported *imp = g_new0 (FsimImported, 1);
    imp->format = FSIM_IMPORT_EDGE_LIST;
    imp->friends = friends;
    if (e->n_ids > 0)
        imp->ids = g_steal_pointer (&ids);
    return imp;
}

/**
 * fsim_import_edge_list_data:
 * Returns: (transfer full): the graph with `ids`, or NULL with @error set (see import.h).
 */
FsimImported *
fsim_import_edge_list_data (const char *name, const char *data, size_t len, GError **error)
{
    FsimIEdges e = { 0 };

    g_return_val_if_fail (name != NULL, NULL);
    g_return_val_if_fail (data != NULL || len == 0, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);

    if (!fsim_i_edge_list_parse (name, data, len, len ? fsim_i_edge_list_start (data, len) : 0, len,
                                 0, &e, error))
        return NULL;
    return imported_from_edges (name, &e, error);
}

/* ---- front end ------------------------------------------------------------------------------ */

static const char *const format_names[] = { "auto", "edge_list", "graphml", "gml" };
G_STATIC_ASSERT (G_N_ELEMENTS (format_names) == _FSIM_IMPORT_FORMAT_MAX);

const char *
fsim_import_format_to_string (FsimImportFormat format)
{
    return (unsigned) format < _FSIM_IMPORT_FORMAT_MAX ? format_names[format] : NULL;
}

gboolean
fsim_import_format_from_string (const char *name, FsimImportFormat *out_format)
{
    g_return_val_if_fail (name != NULL && out_format != NULL, FALSE);

    for (int i = 0; i < _FSIM_IMPORT_FORMAT_MAX; i++) {
        if (strcmp (name, format_names[i]) == 0) {
            *out_format = (FsimImportFormat) i;
            return TRUE;
        }
    }
    return FALSE;
}

FsimImportFormat
fsim_import_format_of_path (const char *path)
{
    g_autofree char *lower = g_ascii_strdown (path, -1);

    if (g_str_has_suffix (lower, ".graphml") || g_str_has_suffix (lower, ".xml"))
        return FSIM_IMPORT_GRAPHML;
    if (g_str_has_suffix (lower, ".gml"))
        return FSIM_IMPORT_GML;
    return FSIM_IMPORT_EDGE_LIST;
}

/* The most one process reads of an edge list (fsim_import_set_edge_list_max_bytes()). */
static guint64 edge_list_max = FSIM_IMPORT_MAX_BYTES;

guint64
fsim_import_edge_list_max_bytes (void)
{
    return edge_list_max;
}

gboolean
fsim_import_set_edge_list_max_bytes (guint64 bytes)
{
    if (bytes > FSIM_IMPORT_EDGE_LIST_CEILING)
        return FALSE;
    edge_list_max = bytes > 0 ? bytes : FSIM_IMPORT_MAX_BYTES;
    return TRUE;
}

guint64
fsim_i_import_max_bytes (FsimImportFormat format)
{
    return format == FSIM_IMPORT_EDGE_LIST ? edge_list_max : FSIM_IMPORT_MAX_BYTES;
}

char *
fsim_i_import_limit_hint (FsimImportFormat format, int ranks)
{
    g_autofree char *ceiling = fsim_memory_size_text ((double) FSIM_IMPORT_EDGE_LIST_CEILING);

    if (format != FSIM_IMPORT_EDGE_LIST)
        return g_strdup ("igraph reads a GraphML or GML file whole, on every rank: only an edge "
                         "list may be larger (--max-graph-size)");
    if (edge_list_max >= FSIM_IMPORT_EDGE_LIST_CEILING)
        return g_strdup_printf ("%s is the most one process reads of an edge list: under mpirun "
                                "each rank reads its part, so more ranks read more",
                                ceiling);
    if (ranks > 1)
        return g_strdup_printf (
            "each of the %d processes reads its part, at most %" G_GUINT64_FORMAT
            " bytes: more ranks read more, and for an edge list you trust "
            "--max-graph-size SIZE raises what each reads, up to %s",
            ranks, edge_list_max, ceiling);
    return g_strdup_printf ("for an edge list you trust, --max-graph-size SIZE raises it, up to %s "
                            "a process, and under mpirun each rank reads its part",
                            ceiling);
}

/* Opens @path if graph/inputfile.h's rule allows it (a regular file: no device, FIFO, /proc)
 * and it is within @max_bytes; *@out_size (nullable): its bytes. Returns the descriptor, or -1
 * with FSIM_GRAPH_ERROR_IO set. */
int
fsim_i_import_open_unchecked (const char *path, FsimImportFormat format, int ranks,
                              guint64 max_bytes, guint64 *out_size, GError **error)
{
    g_autofree char *reason = NULL;
    guint64 size = 0;
    int fd = -1;

    if (fsim_input_file_open (path, FALSE, &fd, &size, &reason) != FSIM_INPUT_OK) {
        g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_IO, "cannot read '%s': %s", path,
                     reason);
        return -1;
    }
    if (size > max_bytes) {
        g_autofree char *hint = fsim_i_import_limit_hint (format, ranks);

        close (fd);
        g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_IO,
                     "'%s' holds %" G_GUINT64_FORMAT
                     " bytes, more than the limit of %" G_GUINT64_FORMAT " bytes for one file; %s",
                     path, size, max_bytes, hint);
        return -1;
    }
    if (out_size != NULL)
        *out_size = size;
    return fd;
}

gboolean
fsim_i_import_check_read (const char *path, guint64 from, guint64 to, guint64 size, double factor,
                          GError **error)
{
    guint64 limit = fsim_memory_limit ();
    double bytes = (double) (to - from);

    if (bytes * factor <= (double) limit)
        return TRUE;
    g_autofree char *whose = fsim_memory_whose (); /* under mpirun, a rank's share */
    g_autofree char *has = fsim_memory_size_text (bytes);
    g_autofree char *can = fsim_memory_size_text ((double) limit);
    char number[G_ASCII_DTOSTR_BUF_SIZE]; /* "1.5 times" in every locale */
    g_autofree char *times =
        factor == 2
            ? g_strdup ("twice")
            : g_strdup_printf ("%s times", g_ascii_formatd (number, sizeof number, "%.1f", factor));
    if (from == 0 && to == size)
        g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_NOMEM,
                     "out of memory: '%s' holds %s: reading it needs about %s that, "
                     "more than %s (%s)",
                     path, has, times, whose, can);
    else /* a part may be small: exact bytes */
        g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_NOMEM,
                     "out of memory: reading bytes %" G_GUINT64_FORMAT " .. %" G_GUINT64_FORMAT
                     " of '%s', this process's part of its %" G_GUINT64_FORMAT
                     " bytes, needs about %s that, %.0f bytes, more than %s (%" G_GUINT64_FORMAT
                     " bytes)",
                     from, to, path, size, times, bytes * factor, whose, limit);
    return FALSE;
}

int
fsim_i_import_open (const char *path, FsimImportFormat format, GError **error)
{
    guint64 size = 0;
    int fd = fsim_i_import_open_unchecked (path, format, 1, fsim_i_import_max_bytes (format), &size,
                                           error);

    /* an edge list's import, measured; a GraphML or GML file's reading and scans (igraph's
     * reader is checked after them, by what they counted: import-igraph.c) */
    double factor = format == FSIM_IMPORT_EDGE_LIST ? FSIM_I_IMPORT_EDGE_LIST_PEAK : 2;
    if (fd >= 0 && !fsim_i_import_check_read (path, 0, size, size, factor, error)) {
        close (fd);
        return -1;
    }
    return fd;
}

char *
fsim_i_import_read (const char *path, FsimImportFormat format, gsize *out_len, GError **error)
{
    g_autofree char *reason = NULL;
    char *data = NULL;
    guint64 max = fsim_i_import_max_bytes (format);
    int fd = fsim_i_import_open (path, format, error);

    if (fd < 0)
        return NULL;
    switch (fsim_input_fd_read (fd, max, &data, out_len, &reason)) {
    case FSIM_INPUT_OK:
        return data;
    case FSIM_INPUT_TOO_LARGE: /* it grew past the limit after it was opened */
        g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_IO,
                     "'%s' holds more than the limit of %" G_GUINT64_FORMAT " bytes for one file",
                     path, max);
        return NULL;
    default:
        g_set_error (error, FSIM_GRAPH_ERROR,
                     g_str_has_prefix (reason, "out of memory") ? FSIM_GRAPH_ERROR_NOMEM
                                                                : FSIM_GRAPH_ERROR_IO,
                     "cannot read '%s': %s", path, reason);
        return NULL;
    }
}

/* An edge list's file: its bytes are freed once parsed, before the friend lists are built, so
 * that the file, the pairs and the friend lists are never held at once
 * (fsim_i_import_check_read()). */
static FsimImported *
import_edge_list_file (const char *path, GError **error)
{
    gsize len = 0;
    g_autofree char *data = fsim_i_import_read (path, FSIM_IMPORT_EDGE_LIST, &len, error);
    FsimIEdges e = { 0 };

    if (data == NULL || !fsim_i_edge_list_parse (
                            path, data, len, fsim_i_edge_list_start (data, len), len, 0, &e, error))
        return NULL;
    g_clear_pointer (&data, g_free);
    return imported_from_edges (path, &e, error);
}

FsimImported *
fsim_import_file (const char *path, FsimImportFormat format, GError **error)
{
    g_return_val_if_fail (path != NULL, NULL);
    g_return_val_if_fail ((unsigned) format < _FSIM_IMPORT_FORMAT_MAX, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);

    if (format == FSIM_IMPORT_AUTO)
        format = fsim_import_format_of_path (path);
    if (format == FSIM_IMPORT_EDGE_LIST)
        return import_edge_list_file (path, error);
    return fsim_i_import_igraph (path, format, error);
}

const FsimAttr *
fsim_attr_table_lookup (const FsimAttrTable *t, const char *name)
{
    g_return_val_if_fail (t != NULL && name != NULL, NULL);

    for (size_t i = 0; i < t->n_attrs; i++)
        if (strcmp (t->attrs[i].name, name) == 0)
            return &t->attrs[i];
    return NULL;
}

void
fsim_imported_free (FsimImported *imp)
{
    if (imp == NULL)
        return;
    fsim_friends_free (imp->friends);
    g_free (imp->ids);
    for (size_t i = 0; i < imp->attrs.n_attrs; i++) {
        FsimAttr *a = &imp->attrs.attrs[i];

        g_free (a->name);
        g_free (a->numbers);
        if (a->strings != NULL)
            for (size_t u = 0; u < imp->attrs.n_users; u++)
                g_free (a->strings[u]);
        g_free (a->strings);
    }
    g_free (imp->attrs.attrs);
    g_free (imp);
}
