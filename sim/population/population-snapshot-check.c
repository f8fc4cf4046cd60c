/* SPDX-License-Identifier: MIT */
/* population-snapshot-check.c: every byte of a mapped snapshot checked, in one parallel pass. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "bits.h"
#include "checksum.h"
#include "parallel.h"
#include "population-snapshot-private.h"
#include "population.h"

/*
 * The data is checked a checksum chunk at a time, on all processors: each chunk's XXH64 against
 * the one saved with it, and then, while the chunk is still in the processor's cache, the
 * values in it that the engine indexes with (friend ids below the user count, offsets that
 * never decrease, audiences and the last word of each bit set in range). Reading the file once
 * rather than once for the checksums and again for the values is what makes a load cost about
 * one pass over memory. Each kind of failure remembers the first chunk it was seen in, and the
 * messages are then given in a fixed order (the checksums first, then the values in the order
 * of the sections), so that the message for a damaged file does not depend on the threads.
 */

typedef enum {
    BAD_SUM,
    BAD_OFFSETS,
    BAD_ADJ,
    BAD_AUDIENCE,
    BAD_APPS_OTHERS,
    BAD_USES,
    BAD_NEAR,
    N_BAD
} Bad;

typedef struct {
    const char *f;
    const FsimSnapshotHeader *h;
    guint64 chunk;
    const size_t *list;  /* the chunks to check, or NULL: all */
    gint64 first[N_BAD]; /* the first chunk each failure was seen in, else -1 */
    GMutex lock;
} Pass;

static void
note (Pass *p, Bad what, size_t chunk)
{
    g_mutex_lock (&p->lock);
    if (p->first[what] < 0 || (gint64) chunk < p->first[what])
        p->first[what] = (gint64) chunk;
    g_mutex_unlock (&p->lock);
}

/* The elements [*out_from, *out_to) of section @kind inside bytes [at, end); FALSE if none.
 * Elements never straddle chunks: sections and chunks start at multiples of 64. */
static gboolean
elements_in (const Pass *p, guint32 kind, guint64 at, guint64 end, guint64 *out_from,
             guint64 *out_to)
{
    const FsimSnapshotSection *s = fsim_i_snapshot_section (p->h, kind);
    if (s == NULL || s->elem_size == 0)
        return FALSE;
    guint64 a = MAX (at, s->offset), b = MIN (end, s->offset + s->bytes);
    if (a >= b)
        return FALSE;
    *out_from = (a - s->offset) / s->elem_size;
    *out_to = (b - s->offset) / s->elem_size;
    return TRUE;
}

static const void *
elements (const Pass *p, guint32 kind)
{
    return p->f + fsim_i_snapshot_section (p->h, kind)->offset;
}

/* The largest of @v[from .. to - 1] (a plain loop: it vectorises). */
static guint32
max_u32 (const guint32 *v, guint64 from, guint64 to)
{
    guint32 m = 0;
    for (guint64 i = from; i < to; i++)
        m = v[i] > m ? v[i] : m;
    return m;
}

/* Every byte of @v[from .. to - 1] below @limit. */
static gboolean
bytes_below (const guint8 *v, guint64 from, guint64 to, guint8 limit)
{
    guint8 bad = 0;
    for (guint64 i = from; i < to; i++)
        bad |= v[i] >= limit;
    return bad == 0;
}

/* Offsets [from, to) each at least the one before it (the one before @from may lie in the
 * chunk before: it is in the mapping all the same). */
static gboolean
offsets_rise (const guint64 *off, guint64 from, guint64 to)
{
    guint64 bad = 0;
    for (guint64 i = MAX (from, 1); i < to; i++)
        bad |= off[i - 1] > off[i];
    return bad == 0;
}

/* No bit at or beyond @n_bits in the last word of any bit set of @words words whose last word
 * is among the words [from, to). */
static gboolean
tails_clear (const guint64 *b, guint64 from, guint64 to, guint64 words, guint64 n_bits)
{
    guint64 mask = n_bits % 64 ? ~(guint64) 0 << (n_bits % 64) : 0, bad = 0;
    if (words == 0 || mask == 0)
        return TRUE;
    for (guint64 i = from + (words - 1 - from % words); i < to; i += words)
        bad |= b[i] & mask;
    return bad == 0;
}

static void
check_chunk (size_t i, unsigned worker, void *data)
{
    Pass *p = data;
    const FsimSnapshotHeader *h = p->h;

    i = p->list ? p->list[i] : i;
    guint64 at = h->data_offset + i * p->chunk, end = MIN (at + p->chunk, h->checksums_offset);
    guint64 want, a, b;

    (void) worker;
    memcpy (&want, p->f + h->checksums_offset + 8 * i, 8);
    if (fsim_checksum64 (p->f + at, end - at, 0) != GUINT64_FROM_LE (want))
        note (p, BAD_SUM, i);
    if (elements_in (p, FSIM_SNAPSHOT_OFFSETS, at, end, &a, &b) &&
        !offsets_rise (elements (p, FSIM_SNAPSHOT_OFFSETS), a, b))
        note (p, BAD_OFFSETS, i);
    if (elements_in (p, FSIM_SNAPSHOT_ADJ, at, end, &a, &b) &&
        max_u32 (elements (p, FSIM_SNAPSHOT_ADJ), a, b) >= h->n_users)
        note (p, BAD_ADJ, i);
    if (elements_in (p, FSIM_SNAPSHOT_AUDIENCE, at, end, &a, &b) &&
        !bytes_below (elements (p, FSIM_SNAPSHOT_AUDIENCE), a, b, FSIM_N_AUDIENCES))
        note (p, BAD_AUDIENCE, i);
    if (elements_in (p, FSIM_SNAPSHOT_APPS_OTHERS, at, end, &a, &b) &&
        !tails_clear (elements (p, FSIM_SNAPSHOT_APPS_OTHERS), a, b, FSIM_BITS_WORDS (h->n_fields),
                      h->n_fields))
        note (p, BAD_APPS_OTHERS, i);
    if (elements_in (p, FSIM_SNAPSHOT_USES, at, end, &a, &b) &&
        !tails_clear (elements (p, FSIM_SNAPSHOT_USES), a, b, FSIM_BITS_WORDS (h->n_partners),
                      h->n_partners))
        note (p, BAD_USES, i);
    if (elements_in (p, FSIM_SNAPSHOT_NEAR, at, end, &a, &b) &&
        !tails_clear (elements (p, FSIM_SNAPSHOT_NEAR), a, b, FSIM_BITS_WORDS (h->n_partners),
                      h->n_partners))
        note (p, BAD_NEAR, i);
}

gboolean
fsim_i_snapshot_corrupt (GError **error, const char *display, const char *format, ...)
{
    va_list ap;
    va_start (ap, format);
    g_autofree char *what = g_strdup_vprintf (format, ap);
    va_end (ap);
    g_set_error (error, FSIM_POPULATION_ERROR, FSIM_POPULATION_ERROR_SNAPSHOT_CORRUPT, "%s: %s",
                 display, what);
    return FALSE;
}

/* @count NUL-terminated UTF-8 strings filling @bytes exactly. With @plain, without control
 * characters but the line feeds of @plain's own (the ids and the population text, which
 * messages quote). */
static gboolean
strings_ok (const char *p, guint64 bytes, guint64 count, const char *plain)
{
    guint64 seen = 0;
    const char *end = p + bytes;

    while (p < end) {
        const char *nul = memchr (p, '\0', (size_t) (end - p));
        if (nul == NULL || !g_utf8_validate (p, nul - p, NULL))
            return FALSE;
        for (const char *c = p; plain != NULL && c < nul; c++)
            if (((guchar) *c < 0x20 || *c == 0x7f) && strchr (plain, *c) == NULL)
                return FALSE;
        seen++;
        p = nul + 1;
    }
    return seen == count;
}

/* The first and last offsets, and non-decreasing ones in between (the communities: few). */
static gboolean
offsets_ok (const guint64 *off, guint64 n, guint64 end)
{
    return off[0] == 0 && off[n] == end && offsets_rise (off, 0, n + 1);
}

/* The messages, in a fixed order, once the pass is done. */
static gboolean
report (const Pass *p, const char *display, GError **error)
{
    const FsimSnapshotHeader *h = p->h;
    const FsimSnapshotSection *s;

    if (p->first[BAD_SUM] >= 0) {
        guint64 at = h->data_offset + (guint64) p->first[BAD_SUM] * p->chunk;
        guint64 end = MIN (at + p->chunk, h->checksums_offset);
        g_autofree char *where = fsim_i_snapshot_sections_in (h, at, end);
        return fsim_i_snapshot_corrupt (error, display,
                                        "corrupt data: the checksum of bytes %" G_GUINT64_FORMAT
                                        " to %" G_GUINT64_FORMAT
                                        " (%s) differs from the one saved with it",
                                        at, end - 1, where);
    }
    const guint64 *off = elements (p, FSIM_SNAPSHOT_OFFSETS);
    if (p->first[BAD_OFFSETS] >= 0 || off[0] != 0 || off[h->n_users] != 2 * h->n_edges)
        return fsim_i_snapshot_corrupt (error, display, "the friend list offsets are not in order");
    if (p->first[BAD_ADJ] >= 0)
        return fsim_i_snapshot_corrupt (
            error, display, "a friend list names a user beyond the %" G_GUINT64_FORMAT " users",
            h->n_users);
    if ((s = fsim_i_snapshot_section (h, FSIM_SNAPSHOT_GROUPS)) != NULL &&
        !offsets_ok ((const guint64 *) (p->f + s->offset), h->n_groups, h->n_users))
        return fsim_i_snapshot_corrupt (error, display, "the communities are not in order");
    if (p->first[BAD_AUDIENCE] >= 0) { /* the first value out of range, for the message */
        guint64 at = h->data_offset + (guint64) p->first[BAD_AUDIENCE] * p->chunk, a = 0, b = 0;
        const guint8 *aud = elements (p, FSIM_SNAPSHOT_AUDIENCE);
        elements_in (p, FSIM_SNAPSHOT_AUDIENCE, at, at + p->chunk, &a, &b);
        while (a < b && aud[a] < FSIM_N_AUDIENCES)
            a++;
        return fsim_i_snapshot_corrupt (error, display, "an audience is out of range (%u)",
                                        a < b ? aud[a] : 0u);
    }
    if (p->first[BAD_APPS_OTHERS] >= 0 || p->first[BAD_USES] >= 0 || p->first[BAD_NEAR] >= 0)
        return fsim_i_snapshot_corrupt (error, display,
                                        "a bit set names a field or partner that does not exist");
    static const guint32 text[] = { FSIM_SNAPSHOT_FIELDS, FSIM_SNAPSHOT_PARTNERS,
                                    FSIM_SNAPSHOT_USER_IDS, FSIM_SNAPSHOT_FILE_NAMES };
    for (size_t i = 0; i < G_N_ELEMENTS (text); i++)
        if ((s = fsim_i_snapshot_section (h, text[i])) != NULL &&
            !strings_ok (p->f + s->offset, s->bytes, s->count, i < 2 ? "" : NULL))
            return fsim_i_snapshot_corrupt (error, display,
                                            "the %s are not %" G_GUINT64_FORMAT " strings",
                                            fsim_i_snapshot_kind_name (text[i]), s->count);
    s = fsim_i_snapshot_section (h, FSIM_SNAPSHOT_SPEC);
    if (s->count > 1 || !strings_ok (p->f + s->offset, s->bytes, s->count, "\n"))
        return fsim_i_snapshot_corrupt (error, display, "the population text is not a string");
    return TRUE;
}

/* The table of checksums against the header's checksum of it; then the chunks @list (NULL:
 * all @n) checked on @n_threads threads into @p. */
static gboolean
pass (Pass *p, const char *display, const size_t *list, size_t n, unsigned n_threads,
      GError **error)
{
    const FsimSnapshotHeader *h = p->h;
    size_t n_chunks = (size_t) ((h->checksums_offset - h->data_offset + p->chunk - 1) / p->chunk);

    if (fsim_checksum64 (p->f + h->checksums_offset, 8 * n_chunks, 0) != h->data_checksum)
        return fsim_i_snapshot_corrupt (error, display,
                                        "the table of checksums at byte %" G_GUINT64_FORMAT
                                        " is corrupt "
                                        "(its checksum differs from the header's)",
                                        h->checksums_offset);
    for (size_t k = 0; k < N_BAD; k++)
        p->first[k] = -1;
    p->list = list;
    g_mutex_init (&p->lock);
    fsim_parallel_for (list ? n : n_chunks, fsim_parallel_workers (n_threads, n), check_chunk, p,
                       NULL, NULL);
    g_mutex_clear (&p->lock);
    return TRUE;
}

/**
 * fsim_i_snapshot_check:
 * See population-snapshot-private.h.
 */
gboolean
fsim_i_snapshot_check (const char *display, const char *file, const FsimSnapshotHeader *h,
                       unsigned n_threads, GError **error)
{
    Pass p = { .f = file, .h = h, .chunk = (guint64) 1 << h->chunk_log2 };

    return pass (&p, display, NULL, 0, n_threads, error) && report (&p, display, error);
}

/* ---- one rank's part ------------------------------------------------------------------------ */

/* The byte range [*out_at, *out_end) of section @kind that users first .. last - 1 of @n own,
 * stretched to the section's start for the first part and to its end for the last, so that
 * the parts cover the section whatever its offsets say. FALSE if the section is absent or not
 * per user. */
static gboolean
owned_bytes (const FsimSnapshotHeader *h, const char *f, guint32 kind, guint64 first, guint64 last,
             guint64 *out_at, guint64 *out_end)
{
    const FsimSnapshotSection *s = fsim_i_snapshot_section (h, kind);
    guint64 a, b;

    if (s == NULL || kind == FSIM_SNAPSHOT_SPEC || kind == FSIM_SNAPSHOT_FIELDS ||
        kind == FSIM_SNAPSHOT_PARTNERS || kind == FSIM_SNAPSHOT_GROUPS ||
        kind == FSIM_SNAPSHOT_USER_IDS || kind == FSIM_SNAPSHOT_FILE_NAMES)
        return FALSE;
    if (kind == FSIM_SNAPSHOT_ADJ) { /* offsets not yet checked: clamped */
        const guint64 *off =
            (const guint64 *) (f + fsim_i_snapshot_section (h, FSIM_SNAPSHOT_OFFSETS)->offset);
        a = MIN (off[first], s->count) * s->elem_size;
        b = MIN (off[last], s->count) * s->elem_size;
        b = MAX (a, b);
    } else { /* rows of count / n_users elements; the offsets' row last too */
        guint64 row = h->n_users
                          ? s->bytes / (kind == FSIM_SNAPSHOT_OFFSETS ? h->n_users + 1 : h->n_users)
                          : 0;
        a = first * row;
        b = (last + (kind == FSIM_SNAPSHOT_OFFSETS)) * row;
    }
    *out_at = s->offset + (first == 0 ? 0 : a);
    *out_end = s->offset + (last == h->n_users ? s->bytes : b);
    return TRUE;
}

/**
 * fsim_i_snapshot_check_part:
 * See population-snapshot-private.h.
 */
gboolean
fsim_i_snapshot_check_part (const char *display, const char *file, const FsimSnapshotHeader *h,
                            const FsimComm *comm, guint64 first, guint64 last, unsigned n_threads,
                            GError **error)
{
    Pass p = { .f = file, .h = h, .chunk = (guint64) 1 << h->chunk_log2 };
    size_t n_chunks = (size_t) ((h->checksums_offset - h->data_offset + p.chunk - 1) / p.chunk);
    g_autofree size_t *list = g_new (size_t, n_chunks + 1); /* 8 bytes per 512 KiB */
    guint64 mine[2 * _FSIM_SNAPSHOT_KIND_MAX], whole[2 * _FSIM_SNAPSHOT_KIND_MAX];
    size_t n = 0, n_mine = 0, n_whole = 0;

    /* this part's bytes, and those of every part together */
    for (guint32 k = 1; k < _FSIM_SNAPSHOT_KIND_MAX; k++) {
        if (owned_bytes (h, file, k, first, last, &mine[n_mine], &mine[n_mine + 1]))
            n_mine += 2;
        if (owned_bytes (h, file, k, 0, h->n_users, &whole[n_whole], &whole[n_whole + 1]))
            n_whole += 2;
    }
    /* a chunk is checked by the parts whose bytes it holds; one that holds no part's (the
     * names, the text, the communities) by part chunk % size alone */
    for (size_t c = 0; c < n_chunks; c++) {
        guint64 at = h->data_offset + c * p.chunk, end = at + p.chunk;
        gboolean own = FALSE, anyone = FALSE;
        for (size_t r = 0; r < n_mine; r += 2)
            own |= mine[r] < end && at < mine[r + 1];
        for (size_t r = 0; r < n_whole; r += 2)
            anyone |= whole[r] < end && at < whole[r + 1];
        if (own || (!anyone && c % (size_t) comm->size == (size_t) comm->rank))
            list[n++] = c;
    }
    if (!pass (&p, display, list, n, n_threads, error))
        return FALSE;
    /* the first chunk of each failure over all parts, so that every part gives the message
     * one process gives */
    g_autofree gint64 *got = g_new (gint64, (size_t) comm->size * N_BAD);
    if (!comm->allgatherv (comm, p.first, N_BAD, got, sizeof (gint64), error))
        return FALSE;
    for (size_t i = 0; i < (size_t) comm->size * N_BAD; i++) {
        gint64 v = got[i], *f = &p.first[i % N_BAD];
        if (v >= 0 && (*f < 0 || v < *f))
            *f = v;
    }
    return report (&p, display, error);
}
