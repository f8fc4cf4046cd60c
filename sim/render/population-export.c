/* SPDX-License-Identifier: MIT */
/* population-export.c: writes a built population as an edge list and a table of users. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "bits.h"
#include "output.h"
#include "population-report.h"

static const char audience_digits[FSIM_N_AUDIENCES] = { '0', '1', '2', '3' };

typedef void (*WriteFunc) (const FsimScenario *s, const FsimPopulation *pop, FILE *fp);

/* Writes @path by the rules of output.h: a temporary file renamed into place, nothing left on
 * failure or interruption. */
static gboolean
write_file (const char *path, WriteFunc fn, const FsimScenario *s, const FsimPopulation *pop,
            GError **error)
{
    g_autoptr (FsimOutput) out = fsim_output_open (path, error);

    if (out == NULL)
        return FALSE;
    fn (s, pop, fsim_output_stream (out));
    return fsim_output_commit (out, error);
}

static void
friendships_header (const FsimScenario *s, size_t n_users, size_t n_edges, FILE *fp)
{
    fprintf (fp, "# flowsim population of scenario '%s', seed %" G_GUINT64_FORMAT "\n",
             s->id ? s->id : "", s->seed);
    fprintf (fp, "# %zu users (0 .. %zu), %zu friendships, one per line: u v with u < v\n", n_users,
             n_users ? n_users - 1 : 0, n_edges);
}

static void
write_friendships (const FsimScenario *s, const FsimPopulation *pop, FILE *fp)
{
    const FsimFriends *f = pop->friends;

    friendships_header (s, pop->n_users, f ? f->n_edges : 0, fp);
    for (size_t u = 0; f != NULL && u < f->n_users; u++)
        for (size_t i = f->offsets[u]; i < f->offsets[u + 1]; i++)
            if (f->adj[i] > u)
                fprintf (fp, "%zu %u\n", u, f->adj[i]);
}

/* User @u's line of users.tsv, from its rows (row @i of the arrays: a population's or a
 * slice's). */
typedef struct {
    size_t n_fields, field_words, partner_words;
    const guint8 *platform, *audience;
    const FsimWord *apps_others, *uses;
} Rows;

static void
write_row (const FsimScenario *s, const Rows *r, size_t i, size_t u, GString *line)
{
    const FsimWord *ao = r->apps_others + i * r->field_words;
    const FsimWord *uses = r->uses + i * r->partner_words;
    gboolean first = TRUE;

    g_string_printf (line, "%zu\t%d\t", u, r->platform[i] ? 1 : 0);
    for (size_t f = 0; f < r->n_fields; f++)
        g_string_append_c (line, fsim_bits_get (ao, f) ? '1' : '0');
    g_string_append_c (line, '\t');
    for (size_t f = 0; f < r->n_fields; f++)
        g_string_append_c (line, audience_digits[MIN (r->audience[i * r->n_fields + f], 3)]);
    g_string_append_c (line, '\t');
    for (size_t p = fsim_bits_next (uses, r->partner_words, 0); p != SIZE_MAX;
         p = fsim_bits_next (uses, r->partner_words, p + 1), first = FALSE)
        g_string_append_printf (line, "%s%s", first ? "" : ",", s->partners[p].id);
    g_string_append_c (line, '\n');
}

static void
write_user (const FsimScenario *s, const FsimPopulation *pop, size_t u, GString *line)
{
    const Rows r = { pop->n_fields, pop->field_words, pop->partner_words, pop->platform,
                     pop->audience, pop->apps_others, pop->uses };
    write_row (s, &r, u, u, line);
}

static void
users_header (const FsimScenario *s, FILE *fp)
{
    fprintf (fp, "# flowsim population of scenario '%s': one user per line\n", s->id ? s->id : "");
    fputs ("# audience digits: 0 only_me, 1 friends, 2 friends_of_friends, 3 public\n", fp);
    fputs ("# fields:", fp);
    for (size_t f = 0; f < s->n_fields; f++)
        fprintf (fp, " %s", s->fields[f].id);
    fputs ("\nuser\tplatform\tapps_others\taudience\tuses\n", fp);
}

static void
write_users (const FsimScenario *s, const FsimPopulation *pop, FILE *fp)
{
    g_autoptr (GString) line = g_string_new (NULL);

    users_header (s, fp);
    for (size_t u = 0; u < pop->n_users; u++) {
        write_user (s, pop, u, line);
        fwrite (line->str, 1, line->len, fp);
    }
}

gboolean
fsim_population_export (const FsimScenario *s, const FsimPopulation *pop, const char *dir,
                        GError **error)
{
    g_autofree char *edges = g_build_filename (dir, "friendships.txt", NULL);
    g_autofree char *users = g_build_filename (dir, "users.tsv", NULL);

    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
    if (!fsim_output_make_folder (dir, error))
        return FALSE;
    return write_file (edges, write_friendships, s, pop, error) &&
           write_file (users, write_users, s, pop, error);
}

/* ---- from the ranks' parts ------------------------------------------------------------------ */

/*
 * Rank 0 writes each file; the ranks' lines follow in rank order, each rank sending its lines to
 * rank 0 a batch of at most EXPORT_ROUND bytes at a time (one exchange per batch; rank 0's own
 * are written without one). Every rank knows how many batches each rank sends (one all-gather),
 * so they take part in the same exchanges. The lines are the one process's, formatted alike.
 */

#define EXPORT_ROUND ((size_t) 4 << 20)
#define FRIENDSHIP_LINE 32 /* "u v\n": two ids of at most 20 digits and 10 */

/* Which file, and where a rank is in its rows. */
typedef struct {
    const FsimScenario *s;
    const FsimPopulationSlice *slice;
    gboolean users;   /* users.tsv, else friendships.txt */
    size_t per_batch; /* friend-list entries (friendships.txt) or users per batch */
    size_t line_max;  /* the longest line */
    GString *line;
} Lines;

/* The longest line of users.tsv for @s. */
static size_t
user_line_max (const FsimScenario *s)
{
    size_t n = 20 + 3 + 2 * s->n_fields + 3;

    for (size_t p = 0; p < s->n_partners; p++)
        n += strlen (s->partners[p].id) + 1;
    return n;
}

/* The row of friend-list entry @a (offsets[i] <= a < offsets[i + 1], @n rows). */
static size_t
row_of (const size_t *offsets, size_t n, size_t a)
{
    size_t lo = 0, hi = n - 1;

    while (lo < hi) {
        size_t mid = (lo + hi + 1) / 2;
        if (offsets[mid] <= a)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

/* The batches of this rank's lines. */
static size_t
n_batches (const Lines *l)
{
    const FsimPopulationSlice *sl = l->slice;
    size_t n = l->users ? sl->n_own : sl->offsets[sl->n_own];

    return (n + l->per_batch - 1) / l->per_batch;
}

/* Batch @b of this rank's lines into @buf (room for per_batch lines); returns its length. */
static size_t
batch (Lines *l, size_t b, char *buf)
{
    const FsimPopulationSlice *sl = l->slice;
    size_t len = 0;

    if (l->users) {
        const Rows r = { sl->n_fields, sl->field_words, sl->partner_words, sl->platform,
                         sl->audience, sl->apps_others, sl->uses };
        size_t end = MIN ((b + 1) * l->per_batch, sl->n_own);
        for (size_t i = b * l->per_batch; i < end; i++) {
            write_row (l->s, &r, i, sl->first + i, l->line);
            memcpy (buf + len, l->line->str, l->line->len);
            len += l->line->len;
        }
        return len;
    }
    /* the friend-list entries b * per_batch onwards, each friendship from its lower user */
    size_t a = b * l->per_batch, end = MIN (a + l->per_batch, sl->offsets[sl->n_own]);
    for (size_t i = row_of (sl->offsets, sl->n_own, a); a < end; a++) {
        while (sl->offsets[i + 1] <= a)
            i++;
        if (sl->adj[a] > sl->first + i)
            len += (size_t) g_snprintf (buf + len, FRIENDSHIP_LINE, "%zu %u\n", sl->first + i,
                                        sl->adj[a]);
    }
    return len;
}

/* FALSE on every rank if @ok is FALSE on any: this rank's error, or that another failed. */
static gboolean
all_ok (const FsimComm *comm, gboolean ok, GError **error)
{
    return fsim_comm_agree (comm, ok, "could not write its part of the export", error);
}

/* Writes @len bytes to @fp in pieces smaller than its buffer, as one process writes its lines,
 * so that a failing file (a full disk) fails as it does for one process: the stream keeps the
 * last bytes and fsim_output_commit() reports the system's error when it flushes them (a large
 * write bypasses the buffer, and its bytes are dropped when it fails). */
static void
put_lines (const char *buf, size_t len, FILE *fp)
{
    for (size_t at = 0; at < len; at += 256)
        fwrite (buf + at, 1, MIN (len - at, 256), fp);
}

/* The lines of every rank, in rank order, written by rank 0 to @fp (rank 0's). Collective. */
static gboolean
stream_lines (Lines *l, const FsimComm *comm, FILE *fp, char *buf, GError **error)
{
    size_t size = (size_t) comm->size;
    guint64 mine = n_batches (l);
    g_autofree guint64 *all = g_new (guint64, size);
    g_autofree size_t *counts = g_new0 (size_t, size), *got = g_new0 (size_t, size);

    if (!comm->allgatherv (comm, &mine, 1, all, sizeof (guint64), error))
        return FALSE;
    for (size_t r = 0; r < size; r++)
        for (size_t b = 0; b < all[r]; b++) {
            if (r == 0 && comm->rank == 0) { /* rank 0's own lines: no exchange */
                put_lines (buf, batch (l, b, buf), fp);
                continue;
            }
            if (r == 0)
                continue;
            g_autofree char *recv = NULL;
            counts[0] = (size_t) comm->rank == r ? batch (l, b, buf) : 0;
            if (!comm->alltoallv (comm, buf, counts, (void **) &recv, got, 1, error)) {
                g_prefix_error (error, "exporting the population: ");
                return FALSE;
            }
            if (comm->rank == 0) /* a write error is the stream's, reported when committed */
                put_lines (recv, got[r], fp);
        }
    return TRUE;
}

/* One file of the export, written from the ranks' lines. Collective. */
static gboolean
export_file (Lines *l, const FsimComm *comm, const char *path, guint64 n_edges, GError **error)
{
    const FsimPopulationSlice *sl = l->slice;
    size_t room = l->per_batch * l->line_max + 1;
    g_autofree char *buf = g_try_malloc (room);
    g_autoptr (FsimOutput) out = NULL;
    gboolean ok = buf != NULL;

    if (!ok)
        g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_NOMEM,
                     "out of memory exporting the population: needed %zu bytes", room);
    if (ok && comm->rank == 0)
        ok = (out = fsim_output_open (path, error)) != NULL;
    if (!all_ok (comm, ok, error))
        return FALSE;
    FILE *fp = out ? fsim_output_stream (out) : NULL;
    if (fp != NULL && l->users)
        users_header (l->s, fp);
    else if (fp != NULL)
        friendships_header (l->s, sl->n_total, (size_t) n_edges, fp);
    if (!stream_lines (l, comm, fp, buf, error))
        return FALSE;
    return all_ok (comm, out == NULL || fsim_output_commit (out, error), error);
}

/**
 * fsim_population_export_part:
 * See population-report.h.
 */
gboolean
fsim_population_export_part (const FsimScenario *s, const FsimPopulationSlice *slice,
                             const FsimComm *comm, const char *dir, GError **error)
{
    g_return_val_if_fail (s != NULL && slice != NULL && comm != NULL && dir != NULL, FALSE);
    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
    g_autofree char *edges = g_build_filename (dir, "friendships.txt", NULL);
    g_autofree char *users = g_build_filename (dir, "users.tsv", NULL);
    g_autofree guint64 *arcs = g_new (guint64, (size_t) comm->size);
    g_autoptr (GString) line = g_string_new (NULL);
    guint64 mine = slice->offsets[slice->n_own], n_arcs = 0;

    if (!all_ok (comm, comm->rank != 0 || fsim_output_make_folder (dir, error), error) ||
        !comm->allgatherv (comm, &mine, 1, arcs, sizeof (guint64), error))
        return FALSE;
    for (int r = 0; r < comm->size; r++)
        n_arcs += arcs[r];
    Lines l = { s, slice, FALSE, EXPORT_ROUND / FRIENDSHIP_LINE, FRIENDSHIP_LINE, line };
    if (!export_file (&l, comm, edges, n_arcs / 2, error))
        return FALSE;
    l.users = TRUE;
    l.line_max = user_line_max (s);
    l.per_batch = MAX (EXPORT_ROUND / l.line_max, 1);
    return export_file (&l, comm, users, 0, error);
}
