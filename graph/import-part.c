/* SPDX-License-Identifier: MIT */
/* import-part.c: an edge list read by byte ranges over ranks, each keeping its users' rows. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>

#include "comm.h"
#include "friends.h"
#include "graph-private.h"
#include "import.h"
#include "memory.h"

/*
 * One process numbers the users of an edge list in order of first appearance (import.c). Over
 * N ranks (docs/scaling.md, "Importing by parts"):
 *
 *  1. rank r reads the lines that start in bytes len * r / N .. len * (r + 1) / N - 1 of the
 *     file (moved on to the next line start), so every line is read by exactly one rank and
 *     the ranks' lines follow each other in file order; it counts its lines first, and an
 *     exclusive sum of the counts gives its first line's number, so that a bad line is
 *     reported with the file's line number; every rank takes the error of the lowest rank that
 *     found one, which is the first bad line of the file, the one a single process reports;
 *  2. the parser numbers the rank's ids in order of their first appearance in its range;
 *  3. each distinct id goes, with that order, to a rank chosen by a hash of the id (its
 *     "keeper"). A keeper receives the ids in rank order, each rank's in its order, which is
 *     file order: the first time it sees an id is the id's first appearance in the file. It
 *     answers each sender, for each id, whether this was it;
 *  4. each rank counts the ids that first appear in its range; an exclusive sum of the counts
 *     numbers them, in its order, as one process does;
 *  5. each rank sends those numbers to the keepers, which answer every sender with the number
 *     of each of its ids;
 *  6. every pair (u, v) but a self-loop goes, renamed, to the owner of u and to the owner of v
 *     (once if they are the same rank; MPI_Alltoallv), and each owner sorts its rows and drops
 *     repeats, as fsim_friends_new_from_pairs() does;
 *  7. (before 6) each rank sends the (number, file id) pair of each of its ids to the owner of
 *     the number, so that every rank knows its users' names (the file's ids: 8 bytes per own
 *     user, 16 per distinct id of its range while sent).
 *
 * A rank holds its range's pairs (8 bytes each) and ids (8 bytes per distinct id, plus the
 * parser's tables), the ids it keeps (16 bytes each while sorted), then the pairs it sends (8
 * bytes each, its own freed once packed) and those it receives (8 bytes each: the friendships
 * of its users), then its rows (4 bytes per friend). A rank reads only its bytes of the file
 * (and the few before and after them that place its line starts), and frees them once parsed.
 * No rank holds the whole graph, nor the whole file.
 */
#define NO_USER UINT32_MAX

/* The rank that keeps file id @id (a hash: any rank may meet any id). */
static int
keeper (int64_t id, int size)
{
    uint64_t z = (uint64_t) id * UINT64_C (0x9e3779b97f4a7c15);

    z = (z ^ (z >> 31)) * UINT64_C (0xbf58476d1ce4e5b9);
    return (int) ((z ^ (z >> 29)) % (uint64_t) size);
}

/* Collective. FALSE on every rank if @ok is FALSE on any: this rank's error is then
 * "out of memory WHAT", the others' FSIM_GRAPH_ERROR_OTHER_RANK. */
static gboolean
agree (const FsimComm *comm, gboolean ok, const char *what, GError **error)
{
    if (fsim_comm_agree (comm, ok, "ran out of memory importing friendships", error))
        return TRUE;
    if (!ok)
        g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_NOMEM, "out of memory %s", what);
    return FALSE;
}

/*
 * Collective. FALSE on every rank if @local (this rank's error, or NULL; consumed) is set on
 * any rank: every rank's @error is then the lowest failing rank's, its code and message (in
 * FSIM_GRAPH_ERROR), so that the ranks report one error, the one a single process meets first.
 * A bad line or an unreadable file is the file's, whichever rank met it; running out of memory
 * is that rank's own: the others then fail with FSIM_GRAPH_ERROR_OTHER_RANK, so that the
 * failing rank is the one named (sim/cli/cli-mpi.c, agree()).
 */
static gboolean
share_error (const FsimComm *comm, GError *local, GError **error)
{
    guint64 mine[2] = { local ? (guint64) local->code + 1 : 0,
                        local ? (guint64) strlen (local->message) : 0 };
    g_autofree guint64 *all = g_new (guint64, 2 * (size_t) comm->size);
    g_autofree char *message = NULL;
    int first = -1;
    gboolean ok;

    g_warn_if_fail (local == NULL || local->domain == FSIM_GRAPH_ERROR);
    ok = comm->allgatherv (comm, mine, 2, all, sizeof (guint64), error);
    for (int r = 0; ok && r < comm->size && first < 0; r++)
        if (all[2 * r] != 0)
            first = r;
    if (first >= 0) {
        size_t len = (size_t) all[2 * first + 1];
        gboolean sender = comm->rank == first;

        message = g_malloc (len + 1);
        ok = comm->allgatherv (comm, sender ? local->message : "", sender ? len : 0, message, 1,
                               error);
        if (ok) {
            int code = (int) all[2 * first] - 1;

            message[len] = '\0';
            if (code == FSIM_GRAPH_ERROR_NOMEM && !sender)
                g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_OTHER_RANK,
                             "rank %d ran out of memory importing friendships", first);
            else
                g_set_error_literal (error, FSIM_GRAPH_ERROR, code, message);
        }
    }
    g_clear_error (&local);
    return ok && first < 0;
}

/* Where rank @r's lines start: the first line start at or after its share of the bytes. */
static size_t
range_start (const char *data, size_t len, size_t start0, int r, int size)
{
    size_t lo = (size_t) ((guint64) len * (guint64) r / (guint64) size);
    const char *nl;

    if (r >= size)
        return len;
    if (lo <= start0)
        return start0;
    nl = memchr (data + lo - 1, '\n', len - (lo - 1));
    return nl != NULL ? (size_t) (nl - data) + 1 : len;
}

/* The lines that start in [@from, @to), as fsim_i_edge_list_parse() counts them. */
static guint64
count_lines (const char *data, size_t len, size_t from, size_t to)
{
    const char *s = data + from, *stop = data + to, *end = data + len;
    guint64 n = 0;

    while (s < stop) {
        const char *eol = memchr (s, '\n', (size_t) (end - s));

        n++;
        if (eol == NULL)
            break;
        s = eol + 1;
    }
    return n;
}

/* Collective: the sum of @mine over the ranks below this one (*@out_before) and over all. */
static gboolean
scan (const FsimComm *comm, guint64 mine, guint64 *out_before, guint64 *out_total, GError **error)
{
    g_autofree guint64 *all = g_new (guint64, (size_t) comm->size);

    if (!comm->allgatherv (comm, &mine, 1, all, sizeof (guint64), error))
        return FALSE;
    *out_before = *out_total = 0;
    for (int r = 0; r < comm->size; r++) {
        if (r < comm->rank)
            *out_before += all[r];
        *out_total += all[r];
    }
    return TRUE;
}

typedef struct {
    int64_t id;
    size_t at; /* where the keeper received it */
} Kept;

static int
kept_cmp (const void *a, const void *b)
{
    const Kept *x = a, *y = b;

    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    return x->at < y->at ? -1 : x->at > y->at;
}

/* Where each rank's values start in a buffer grouped by rank: @counts summed. */
static void
starts (const size_t *counts, int size, size_t *out_cursor)
{
    size_t at = 0;

    for (int r = 0; r < size; r++) {
        out_cursor[r] = at;
        at += counts[r];
    }
}

/* Step 3's answer: 1 for an id's first arrival, else 0. */
static void
answer_first (const Kept *kept, size_t n, guint8 *first)
{
    for (size_t k = 0; k < n; k++)
        first[kept[k].at] = k == 0 || kept[k].id != kept[k - 1].id;
}

/* Step 5's answer: every arrival of an id gets the number its first arrival brought. */
static void
answer_number (const Kept *kept, size_t n, const uint32_t *number, uint32_t *out)
{
    uint32_t current = NO_USER;

    for (size_t k = 0; k < n; k++) {
        if (k == 0 || kept[k].id != kept[k - 1].id)
            current = number[kept[k].at];
        out[kept[k].at] = current;
    }
}

/* Steps 3 to 5: *@out_global (transfer full) numbers this rank's ids (@e) as one process
 * does; *@out_n_users is the whole file's number of users. Collective. */
static gboolean
number_users (const char *name, const FsimComm *comm, const FsimIEdges *e, uint32_t **out_global,
              size_t *out_n_users, GError **error)
{
    int size = comm->size;
    g_autofree size_t *counts = g_new0 (size_t, (size_t) size);
    g_autofree size_t *cursor = g_new (size_t, (size_t) size);
    g_autofree size_t *recv_counts = g_new (size_t, (size_t) size);
    g_autofree size_t *back_counts = g_new (size_t, (size_t) size);
    g_autofree int64_t *send = g_try_new (int64_t, MAX (e->n_ids, 1));
    g_autofree uint32_t *global = g_try_new (uint32_t, MAX (e->n_ids, 1));
    g_autofree void *recv = NULL;
    g_autofree Kept *kept = NULL;
    g_autofree guint8 *reply = NULL;
    g_autofree guint8 *first = NULL;
    g_autofree uint32_t *answer = NULL;
    g_autofree uint32_t *numbers = NULL;
    size_t n_kept = 0, n_first = 0;
    guint64 before, total;

    if (!agree (comm, send != NULL && global != NULL, "for the users' ids", error))
        return FALSE;
    for (size_t i = 0; i < e->n_ids; i++)
        counts[keeper (e->ids[i], size)]++;
    starts (counts, size, cursor);
    for (size_t i = 0; i < e->n_ids; i++)
        send[cursor[keeper (e->ids[i], size)]++] = e->ids[i];

    /* the keepers learn which arrival of each id is its first, and say so (step 3) */
    if (!comm->alltoallv (comm, send, counts, &recv, recv_counts, sizeof (int64_t), error))
        return FALSE;
    for (int r = 0; r < size; r++)
        n_kept += recv_counts[r];
    kept = g_try_new (Kept, MAX (n_kept, 1));
    reply = g_try_new (guint8, MAX (n_kept, 1));
    if (!agree (comm, kept != NULL && reply != NULL, "keeping the users' ids", error))
        return FALSE;
    for (size_t k = 0; k < n_kept; k++)
        kept[k] = (Kept){ ((const int64_t *) recv)[k], k };
    g_clear_pointer (&recv, g_free);
    qsort (kept, n_kept, sizeof *kept, kept_cmp);
    answer_first (kept, n_kept, reply);
    if (!comm->alltoallv (comm, reply, recv_counts, (void **) &first, back_counts, 1, error))
        return FALSE;
    g_clear_pointer (&reply, g_free);

    /* the ids first met here, numbered in this rank's order after the ranks below (step 4) */
    starts (counts, size, cursor);
    for (size_t i = 0; i < e->n_ids; i++)
        n_first += first[cursor[keeper (e->ids[i], size)]++];
    if (!scan (comm, n_first, &before, &total, error))
        return FALSE;
    if (total >= UINT32_MAX - 1) {
        /* one process stops at the line where the count passes this (import.c); a file within
         * 256 MiB a rank holds fewer users, a raised limit may hold more */
        g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_INVALID, "%s: more than %u users",
                     name, UINT32_MAX - 1);
        return FALSE;
    }

    /* the keepers pass each id's number to every rank that met it (step 5) */
    g_clear_pointer (&send, g_free);
    uint32_t *own = g_try_new (uint32_t, MAX (e->n_ids, 1));
    answer = g_try_new (uint32_t, MAX (n_kept, 1));
    if (!agree (comm, own != NULL && answer != NULL, "numbering the users", error)) {
        g_free (own);
        return FALSE;
    }
    starts (counts, size, cursor);
    for (size_t i = 0; i < e->n_ids; i++) {
        size_t at = cursor[keeper (e->ids[i], size)]++;
        own[at] = first[at] ? (uint32_t) before++ : NO_USER;
    }
    gboolean ok = comm->alltoallv (comm, own, counts, &recv, recv_counts, sizeof (uint32_t), error);
    g_free (own);
    if (!ok)
        return FALSE;
    answer_number (kept, n_kept, recv, answer);
    if (!comm->alltoallv (comm, answer, recv_counts, (void **) &numbers, back_counts,
                          sizeof (uint32_t), error))
        return FALSE;
    starts (counts, size, cursor);
    for (size_t i = 0; i < e->n_ids; i++)
        global[i] = numbers[cursor[keeper (e->ids[i], size)]++];
    *out_global = g_steal_pointer (&global);
    *out_n_users = (size_t) total;
    return TRUE;
}

static int
u32_cmp (const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *) a, y = *(const uint32_t *) b;

    return x < y ? -1 : x > y;
}

/* The rows of users @first .. @first + @n - 1 from @n_pairs friendships (pairs of uint32, at
 * least one end of each among those users), sorted, repeats dropped; NULL when out of memory. */
static FsimFriends *
rows_from_pairs (const uint32_t *pairs, size_t n_pairs, size_t first, size_t n)
{
    g_autofree size_t *offsets = g_try_new0 (size_t, n + 1);
    g_autofree uint32_t *adj = NULL;
    FsimFriends *f;
    size_t w = 0, start = 0;

    if (offsets == NULL)
        return NULL;
    for (size_t k = 0; k < 2 * n_pairs; k++)
        if (pairs[k] - first < n) /* unsigned: also FALSE below @first */
            offsets[pairs[k] - first + 1]++;
    for (size_t i = 0; i < n; i++)
        offsets[i + 1] += offsets[i];
    adj = g_try_new (uint32_t, MAX (offsets[n], 1));
    if (adj == NULL)
        return NULL;
    for (size_t k = 0; k < 2 * n_pairs; k++) /* offsets[i] ends at row i + 1's start */
        if (pairs[k] - first < n)
            adj[offsets[pairs[k] - first]++] = pairs[k ^ 1];
    for (size_t i = 0; i < n; i++) {
        size_t end = offsets[i];
        uint32_t last = NO_USER;

        qsort (adj + start, end - start, sizeof *adj, u32_cmp);
        offsets[i] = w;
        for (size_t k = start; k < end; k++)
            if (adj[k] != last)
                adj[w++] = last = adj[k];
        start = end;
    }
    offsets[n] = w;
    f = g_new0 (FsimFriends, 1);
    f->n_users = n;
    f->offsets = g_steal_pointer (&offsets);
    f->adj = g_steal_pointer (&adj);
    return f;
}

/* Step 6: this rank's rows from every rank's pairs (@e renamed by @global; its pairs are freed
 * once packed). Each friendship is sent once to the owner of each end (once when the two ends
 * have the same owner). Collective. */
static FsimFriends *
exchange_pairs (const FsimComm *comm, FsimIEdges *e, const uint32_t *global, size_t n_users,
                size_t *out_first, GError **error)
{
    int size = comm->size;
    g_autofree size_t *bounds = g_new (size_t, (size_t) size + 1);
    g_autofree size_t *counts = g_new0 (size_t, (size_t) size);
    g_autofree size_t *cursor = g_new (size_t, (size_t) size);
    g_autofree size_t *recv_counts = g_new (size_t, (size_t) size);
    g_autofree uint32_t *send = NULL;
    g_autofree uint32_t *pairs = NULL;
    size_t n_send = 0, n_pairs = 0;
    FsimFriends *rows;

    for (int r = 0; r <= size; r++)
        bounds[r] = (size_t) ((guint64) n_users * (guint64) r / (guint64) size);
    for (size_t k = 0; k < e->n_pairs; k++) {
        uint32_t u = global[e->pairs[2 * k]], v = global[e->pairs[2 * k + 1]];
        int ru, rv;

        if (u == v)
            continue;
        ru = fsim_i_comm_owner (bounds, size, u), rv = fsim_i_comm_owner (bounds, size, v);
        counts[ru]++;
        counts[rv] += rv != ru;
        n_send += 1 + (rv != ru);
    }
    send = g_try_new (uint32_t, MAX (2 * n_send, 1));
    if (!agree (comm, send != NULL, "sending the friendships to their users' ranks", error))
        return NULL;
    starts (counts, size, cursor);
    for (size_t k = 0; k < e->n_pairs; k++) {
        uint32_t u = global[e->pairs[2 * k]], v = global[e->pairs[2 * k + 1]];
        int ru, rv;
        size_t at;

        if (u == v)
            continue;
        ru = fsim_i_comm_owner (bounds, size, u), rv = fsim_i_comm_owner (bounds, size, v);
        at = cursor[ru]++;
        send[2 * at] = u, send[2 * at + 1] = v;
        if (rv != ru) {
            at = cursor[rv]++;
            send[2 * at] = u, send[2 * at + 1] = v;
        }
    }
    g_clear_pointer (&e->pairs, g_free);
    if (!comm->alltoallv (comm, send, counts, (void **) &pairs, recv_counts, 2 * sizeof (uint32_t),
                          error))
        return NULL;
    g_clear_pointer (&send, g_free);
    for (int r = 0; r < size; r++)
        n_pairs += recv_counts[r];
    rows = rows_from_pairs (pairs, n_pairs, bounds[comm->rank],
                            bounds[comm->rank + 1] - bounds[comm->rank]);
    if (!agree (comm, rows != NULL, "building the friend lists of this rank's users", error)) {
        fsim_friends_free (rows);
        return NULL;
    }
    *out_first = bounds[comm->rank];
    return rows;
}

/* Steps 1 and 2: this rank's lines of @data, parsed into @out; the ranks' one error if any
 * line is bad. Collective. */
static gboolean
parse_part (const char *name, const char *data, size_t len, const FsimComm *comm, FsimIEdges *out,
            GError **error)
{
    size_t start0, from, to;
    guint64 before = 0, total = 0;
    GError *local = NULL;

    if (data == NULL) /* an empty file's mapping */
        data = "";
    start0 = len > 0 ? fsim_i_edge_list_start (data, len) : 0;
    from = range_start (data, len, start0, comm->rank, comm->size);
    to = range_start (data, len, start0, comm->rank + 1, comm->size);
    /* the first line number of this rank's range; then its lines, one error for all */
    if (!scan (comm, count_lines (data, len, from, to), &before, &total, error))
        return FALSE;
    fsim_i_edge_list_parse (name, data, len, from, to, (size_t) before, out, &local);
    if (share_error (comm, local, error))
        return TRUE;
    g_clear_pointer (&out->ids, g_free);
    g_clear_pointer (&out->pairs, g_free);
    return FALSE;
}

/* Step 7: the file id of each of this rank's users, from the ranks that met it (every rank
 * sends the (number, id) pairs of its ids to the numbers' owners; an id met by several ranks
 * arrives once from each, the same). Into part->ids. Collective. */
static gboolean
exchange_ids (const FsimComm *comm, const FsimIEdges *e, const uint32_t *global,
              FsimImportedPart *part, GError **error)
{
    int size = comm->size;
    g_autofree size_t *bounds = g_new (size_t, (size_t) size + 1);
    g_autofree size_t *counts = g_new0 (size_t, (size_t) size);
    g_autofree size_t *cursor = g_new (size_t, (size_t) size);
    g_autofree size_t *recv_counts = g_new (size_t, (size_t) size);
    g_autofree int64_t *send = g_try_new (int64_t, 2 * MAX (e->n_ids, 1));
    g_autofree int64_t *got = NULL;
    size_t n_got = 0;

    for (int r = 0; r <= size; r++)
        bounds[r] = (size_t) ((guint64) part->n_users * (guint64) r / (guint64) size);
    part->ids = g_try_new0 (int64_t, MAX (bounds[comm->rank + 1] - bounds[comm->rank], 1));
    if (!agree (comm, send != NULL && part->ids != NULL, "for the users' ids", error))
        return FALSE;
    for (size_t i = 0; i < e->n_ids; i++)
        counts[fsim_i_comm_owner (bounds, size, global[i])]++;
    starts (counts, size, cursor);
    for (size_t i = 0; i < e->n_ids; i++) {
        size_t at = cursor[fsim_i_comm_owner (bounds, size, global[i])]++;
        send[2 * at] = (int64_t) global[i];
        send[2 * at + 1] = e->ids[i];
    }
    if (!comm->alltoallv (comm, send, counts, (void **) &got, recv_counts, 2 * sizeof (int64_t),
                          error))
        return FALSE;
    for (int r = 0; r < size; r++)
        n_got += recv_counts[r];
    for (size_t k = 0; k < n_got; k++)
        part->ids[(size_t) got[2 * k] - bounds[comm->rank]] = got[2 * k + 1];
    return TRUE;
}

/* Steps 3 to 7 on the parsed @e, which is freed. Collective. */
static FsimImportedPart *
build_part (const char *name, const FsimComm *comm, FsimIEdges *e, GError **error)
{
    g_autoptr (FsimImportedPart) part = g_new0 (FsimImportedPart, 1);
    g_autofree uint32_t *global = NULL;
    guint64 before = 0, total = 0;
    gboolean ok = number_users (name, comm, e, &global, &part->n_users, error);

    ok = ok && exchange_ids (comm, e, global, part, error);
    g_clear_pointer (&e->ids, g_free);
    if (ok)
        part->rows = exchange_pairs (comm, e, global, part->n_users, &part->first, error);
    g_clear_pointer (&e->pairs, g_free);
    if (part->rows == NULL)
        return NULL;
    if (!scan (comm, part->rows->offsets[part->rows->n_users], &before, &total, error))
        return NULL;
    part->n_edges = (size_t) (total / 2);
    return g_steal_pointer (&part);
}

/**
 * fsim_import_edge_list_part_data:
 * See import.h.
 */
FsimImportedPart *
fsim_import_edge_list_part_data (const char *name, const char *data, size_t len,
                                 const FsimComm *comm, GError **error)
{
    g_return_val_if_fail (name != NULL && comm != NULL, NULL);
    g_return_val_if_fail (data != NULL || len == 0, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);
    FsimIEdges e = { 0 };

    if (!parse_part (name, data, len, comm, &e, error))
        return NULL;
    return build_part (name, comm, &e, error);
}

/* ---- reading a rank's bytes ---------------------------------------------------------------- */

/* A rank's lines of a file: bytes base .. base + len - 1 of it, holding the lines that start at
 * file offsets from .. to - 1 (each ended within them). */
typedef struct {
    char *data;
    size_t base, len, from, to;
} Range;

/* Reads @n bytes of @fd at @at into @buf. FALSE with @error set if it cannot, or if the file
 * is shorter than @at + @n now (it was cut since its size was taken). */
static gboolean
read_at (const char *path, int fd, char *buf, size_t n, size_t at, GError **error)
{
    while (n > 0) {
        ssize_t got = pread (fd, buf, MIN (n, (size_t) 1 << 24), (off_t) at);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) {
            g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_IO, "cannot read '%s': %s", path,
                         got == 0 ? "it changed while being read (it is shorter now)"
                                  : g_strerror (errno));
            return FALSE;
        }
        buf += got;
        at += (size_t) got;
        n -= (size_t) got;
    }
    return TRUE;
}

/* The first line start at or after offset @lo of a file of @len bytes whose line 1 starts at
 * @start0 (range_start() of the whole text), read from @fd from @lo - 1 on, 64 KiB at a time.
 * Sets *@out_end to it; FALSE with @error set if the file cannot be read. */
static gboolean
line_start_at (const char *path, int fd, size_t len, size_t start0, size_t lo, size_t *out_end,
               GError **error)
{
    char chunk[1 << 16];

    if (lo <= start0 || lo >= len) {
        *out_end = lo <= start0 ? start0 : len;
        return TRUE;
    }
    for (size_t at = lo - 1; at < len;) {
        size_t n = MIN (sizeof chunk, len - at);
        if (!read_at (path, fd, chunk, n, at, error))
            return FALSE;
        const char *nl = memchr (chunk, '\n', n);
        if (nl != NULL) {
            *out_end = at + (size_t) (nl - chunk) + 1;
            return TRUE;
        }
        at += n;
    }
    *out_end = len;
    return TRUE;
}

/* Rank @r of @size's lines of the edge list @path: only the bytes from its first line start to
 * the end of its last line are read (with pread: never mapped, so that a file cut meanwhile is
 * an error, not a SIGBUS). The limit (fsim_import_edge_list_max_bytes(), 256 MiB unless the
 * user raised it) is on what one process reads, so @size ranks read a file of up to @size
 * times that, each its part (docs/scaling.md). FALSE with @error set (this rank's own). */
static gboolean
read_range (const char *path, int r, int size, Range *out, GError **error)
{
    guint64 max = fsim_import_edge_list_max_bytes ();
    guint64 all = max > G_MAXUINT64 / (guint64) size ? G_MAXUINT64 : max * (guint64) size;
    int fd = fsim_i_import_open_unchecked (path, FSIM_IMPORT_EDGE_LIST, size, all, NULL, error);
    struct stat st;
    char head[3];
    size_t len, start0 = 0;
    gboolean ok;

    memset (out, 0, sizeof *out);
    if (fd < 0)
        return FALSE;
    if (fstat (fd, &st) != 0) {
        g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_IO, "cannot read '%s': %s", path,
                     g_strerror (errno));
        close (fd);
        return FALSE;
    }
    len = (size_t) st.st_size;
    ok = len < 3 || read_at (path, fd, head, 3, 0, error);
    if (ok && len >= 3)
        start0 = fsim_i_edge_list_start (head, 3);
    ok = ok &&
         line_start_at (path, fd, len, start0,
                        (size_t) ((guint64) len * (guint64) r / (guint64) size), &out->from,
                        error) &&
         line_start_at (
             path, fd, len, start0,
             r + 1 >= size ? len : (size_t) ((guint64) len * (guint64) (r + 1) / (guint64) size),
             &out->to, error);
    if (ok) {
        out->to = MAX (out->to, out->from);
        out->base = out->from;
        out->len = out->to - out->from;
        if (out->len > max) {
            /* the file is within @size parts, but lines pushed this one over */
            g_autofree char *hint = fsim_i_import_limit_hint (FSIM_IMPORT_EDGE_LIST, 1);

            g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_IO,
                         "bytes %zu .. %zu of '%s', this process's part of its %zu bytes, are "
                         "more than the limit of %" G_GUINT64_FORMAT
                         " bytes that one process reads of one file; %s",
                         out->from, out->to, path, len, max, hint);
            ok = FALSE;
        }
    }
    if (ok) /* this rank reads its part alone, and holds about that part of the graph */
        ok = fsim_i_import_check_read (path, out->from, out->to, len, 2, error);
    if (ok) {
        out->data = fsim_try_new (out->len + 1, 1, NULL, NULL);
        if (out->data == NULL)
            g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_NOMEM,
                         "out of memory reading bytes %zu .. %zu of '%s'", out->from, out->to,
                         path);
        ok = out->data != NULL && read_at (path, fd, out->data, out->len, out->base, error);
    }
    /* a file shorter now than when its size was taken was cut while it was read */
    if (ok && fstat (fd, &st) == 0 && (size_t) st.st_size < len) {
        g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_IO,
                     "cannot read '%s': it changed while being read (it is shorter now)", path);
        ok = FALSE;
    }
    close (fd);
    if (!ok)
        g_clear_pointer (&out->data, g_free);
    return ok;
}

/* Steps 1 and 2 on this rank's bytes @range of @name: its lines parsed into @out; the ranks'
 * one error if any line is bad. Collective. */
static gboolean
parse_range (const char *name, const Range *range, const FsimComm *comm, FsimIEdges *out,
             GError **error)
{
    const char *data = range->data ? range->data : "";
    size_t from = range->from - range->base, to = range->to - range->base;
    guint64 before = 0, total = 0;
    GError *local = NULL;

    if (!scan (comm, count_lines (data, range->len, from, to), &before, &total, error))
        return FALSE;
    fsim_i_edge_list_parse (name, data, range->len, from, to, (size_t) before, out, &local);
    if (local != NULL && local->code == FSIM_GRAPH_ERROR_NOMEM && comm->size > 1) {
        /* "out of memory after N users": those this rank met, in its part */
        g_autofree char *message = g_steal_pointer (&local->message);
        local->message = g_strdup_printf ("%s in this process's part of the file (bytes %zu .. "
                                          "%zu)",
                                          message, range->from, range->to);
    }
    if (share_error (comm, local, error))
        return TRUE;
    g_clear_pointer (&out->ids, g_free);
    g_clear_pointer (&out->pairs, g_free);
    return FALSE;
}

/**
 * fsim_import_edge_list_part:
 * See import.h. Each rank reads only its bytes (read_range()), parses them, and frees them
 * before the exchanges.
 */
FsimImportedPart *
fsim_import_edge_list_part (const char *path, const FsimComm *comm, GError **error)
{
    g_return_val_if_fail (path != NULL && comm != NULL, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);
    GError *local = NULL;
    Range range;
    FsimIEdges e = { 0 };
    gboolean ok;

    read_range (path, comm->rank, comm->size, &range, &local);
    if (!share_error (comm, local, error)) {
        g_free (range.data);
        return NULL;
    }
    ok = parse_range (path, &range, comm, &e, error);
    g_free (range.data);
    if (!ok)
        return NULL;
    return build_part (path, comm, &e, error);
}

void
fsim_imported_part_free (FsimImportedPart *part)
{
    if (part == NULL)
        return;
    fsim_friends_free (part->rows);
    g_free (part->ids);
    g_free (part);
}
