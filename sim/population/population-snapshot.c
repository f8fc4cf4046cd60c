/* SPDX-License-Identifier: MIT */
/* population-snapshot.c: a built population saved to a file and mapped back (docs/format.md). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <string.h>
#include <sys/stat.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "bits.h"
#include "checksum.h"
#include "friends.h"
#include "parallel.h"
#include "population-private.h"
#include "population.h"
#include "population-snapshot-private.h"

/* ---- the format (docs/format.md) ---------------------------------------------------------- */

/* PNG's trick: a high byte (7-bit channels), the name, CR LF (line-ending conversions), ^Z, LF. */
const char fsim_i_snapshot_magic[FSIM_SNAPSHOT_MAGIC_SIZE] = "\x89" "flowsim-pop\r\n\x1a\n";

static const struct {
    const char *name;
    guint32 elem_size;
} kinds[_FSIM_SNAPSHOT_KIND_MAX] = {
    [FSIM_SNAPSHOT_SPEC] = { "population text", 0 },
    [FSIM_SNAPSHOT_FIELDS] = { "field ids", 0 },
    [FSIM_SNAPSHOT_PARTNERS] = { "partner ids", 0 },
    [FSIM_SNAPSHOT_OFFSETS] = { "friend list offsets", 8 },
    [FSIM_SNAPSHOT_ADJ] = { "friend lists", 4 },
    [FSIM_SNAPSHOT_GROUPS] = { "communities", 8 },
    [FSIM_SNAPSHOT_PLATFORM] = { "platform switches", 1 },
    [FSIM_SNAPSHOT_APPS_OTHERS] = { "apps-others checklists", 8 },
    [FSIM_SNAPSHOT_AUDIENCE] = { "audiences", 1 },
    [FSIM_SNAPSHOT_USES] = { "partner use", 8 },
    [FSIM_SNAPSHOT_USER_IDS] = { "user ids", 0 },
    [FSIM_SNAPSHOT_FILE_NAMES] = { "graph file's node ids", 0 },
    [FSIM_SNAPSHOT_FILE_IDS] = { "graph file's ids", 8 },
};

guint32
fsim_i_snapshot_elem_size (guint32 kind)
{
    g_return_val_if_fail (kind > 0 && kind < _FSIM_SNAPSHOT_KIND_MAX, 0);
    return kinds[kind].elem_size;
}

const char *
fsim_i_snapshot_kind_name (guint32 kind)
{
    g_return_val_if_fail (kind > 0 && kind < _FSIM_SNAPSHOT_KIND_MAX, "?");
    return kinds[kind].name;
}

guint64
fsim_i_snapshot_header_checksum (const char *file, size_t n_sections)
{
    size_t table = n_sections * FSIM_SNAPSHOT_ENTRY_SIZE;
    g_autofree char *copy = g_malloc (120 + table);

    /* the header without its own checksum (bytes 112 to 119), then the table */
    memcpy (copy, file, 112);
    memcpy (copy + 112, file + 120, 8);
    memcpy (copy + 120, file + FSIM_SNAPSHOT_HEADER_SIZE, table);
    return fsim_checksum64 (copy, 120 + table, 0);
}

char *
fsim_i_snapshot_sections_in (const FsimSnapshotHeader *h, guint64 from, guint64 to)
{
    g_autoptr (GString) names = g_string_new (NULL);
    size_t n = 0;

    for (guint32 i = 0; i < h->n_sections; i++) {
        const FsimSnapshotSection *s = &h->sections[i];
        if (s->bytes == 0 || s->offset >= to || s->offset + s->bytes <= from)
            continue;
        g_string_append_printf (names, "%s%s", n++ ? ", " : "",
                                fsim_i_snapshot_kind_name (s->kind));
    }
    return g_strdup (n ? names->str : "padding between sections");
}

gboolean
fsim_i_snapshot_host_supported (GError **error)
{
#if G_BYTE_ORDER == G_LITTLE_ENDIAN && GLIB_SIZEOF_SIZE_T == 8
    (void) error;
    return TRUE;
#else
    g_set_error (error, FSIM_POPULATION_ERROR, FSIM_POPULATION_ERROR_SNAPSHOT_IO,
                 "population snapshots are used in place and need a little-endian machine with "
                 "64-bit sizes; this one is not");
    return FALSE;
#endif
}

/* ---- writing ------------------------------------------------------------------------------ */

typedef struct {
    guint32 kind;
    const void *data;
    guint64 count, bytes;
} OutSection;

/* The NUL-terminated strings @v[0 .. n - 1], one after another. */
static GString *
strings_blob (char *const *v, size_t n)
{
    GString *b = g_string_new (NULL);

    for (size_t i = 0; i < n; i++)
        g_string_append_len (b, v[i], (gssize) strlen (v[i]) + 1);
    return b;
}

static void
put32 (char *at, guint32 v)
{
    v = GUINT32_TO_LE (v);
    memcpy (at, &v, 4);
}

static void
put64 (char *at, guint64 v)
{
    v = GUINT64_TO_LE (v);
    memcpy (at, &v, 8);
}

typedef struct {
    const char *base;
    guint64 from, to, chunk;
    guint64 *sums;
    gint64 first_bad; /* reading: the first chunk whose checksum differs, else -1 */
    GMutex lock;
} Chunks;

static void
chunk_sum (size_t i, unsigned worker, void *data)
{
    Chunks *c = data;
    guint64 at = c->from + i * c->chunk, len = MIN (c->chunk, c->to - at);

    (void) worker;
    c->sums[i] = fsim_checksum64 (c->base + at, len, 0);
}

static size_t
n_chunks (guint64 from, guint64 to, guint64 chunk)
{
    return (size_t) ((to - from + chunk - 1) / chunk);
}

/* Lays the sections out after the header and table, copies them in, then the chunk checksums
 * and the header (docs/format.md has the layout). */
static void
write_file (const FsimScenario *s, const FsimPopulation *pop, const OutSection *sec, size_t n_sec,
            GString *out)
{
    guint64 data_at = FSIM_SNAPSHOT_ALIGN_UP (FSIM_SNAPSHOT_HEADER_SIZE +
                                              n_sec * FSIM_SNAPSHOT_ENTRY_SIZE);
    guint64 at = data_at, chunk = (guint64) 1 << FSIM_SNAPSHOT_CHUNK_LOG2;
    g_autofree guint64 *offsets = g_new (guint64, n_sec);
    size_t base = out->len;

    for (size_t i = 0; i < n_sec; i++) {
        offsets[i] = at;
        at = FSIM_SNAPSHOT_ALIGN_UP (at + sec[i].bytes);
    }
    guint64 sums_at = at;
    size_t n_sums = n_chunks (data_at, sums_at, chunk);
    guint64 size = sums_at + 8 * (guint64) n_sums;

    g_string_set_size (out, base + size);
    char *f = out->str + base;
    memset (f, 0, data_at);
    for (size_t i = 0; i < n_sec; i++) {
        guint64 end = i + 1 < n_sec ? offsets[i + 1] : sums_at;
        if (sec[i].bytes > 0)
            memcpy (f + offsets[i], sec[i].data, sec[i].bytes);
        memset (f + offsets[i] + sec[i].bytes, 0, end - offsets[i] - sec[i].bytes);
        char *e = f + FSIM_SNAPSHOT_HEADER_SIZE + i * FSIM_SNAPSHOT_ENTRY_SIZE;
        put32 (e, sec[i].kind);
        put32 (e + 4, fsim_i_snapshot_elem_size (sec[i].kind));
        put64 (e + 8, offsets[i]);
        put64 (e + 16, sec[i].count);
        put64 (e + 24, sec[i].bytes);
    }

    Chunks c = { .base = f, .from = data_at, .to = sums_at, .chunk = chunk };
    c.sums = g_new (guint64, n_sums ? n_sums : 1);
    fsim_parallel_for (n_sums, fsim_parallel_workers (0, n_sums), chunk_sum, &c, NULL, NULL);
    for (size_t i = 0; i < n_sums; i++)
        put64 (f + sums_at + 8 * i, c.sums[i]);
    g_free (c.sums);

    memcpy (f, fsim_i_snapshot_magic, FSIM_SNAPSHOT_MAGIC_SIZE);
    put32 (f + 16, FSIM_SNAPSHOT_VERSION);
    put32 (f + 20, FSIM_SNAPSHOT_BYTE_ORDER_MARK);
    put64 (f + 24, size);
    put64 (f + 32, pop->n_users);
    put64 (f + 40, pop->friends->n_edges);
    put64 (f + 48, pop->n_fields);
    put64 (f + 56, pop->n_partners);
    put64 (f + 64, pop->friends->n_groups);
    put64 (f + 72, s->seed);
    put32 (f + 80, (guint32) n_sec);
    put32 (f + 84, FSIM_SNAPSHOT_CHUNK_LOG2);
    put64 (f + 88, sums_at);
    put64 (f + 96, data_at);
    put64 (f + 104, fsim_checksum64 (f + sums_at, 8 * (size_t) n_sums, 0));
    put64 (f + 112, fsim_i_snapshot_header_checksum (f, n_sec));
}

/**
 * fsim_population_snapshot_write:
 * See population.h. Needs the file's size again in memory while it runs (the caller then
 * writes @out atomically).
 */
gboolean
fsim_population_snapshot_write (const FsimScenario *scenario, const FsimPopulation *pop,
                                GString *out, GError **error)
{
    const FsimScenario *s = scenario;

    g_return_val_if_fail (s != NULL && pop != NULL && pop->friends != NULL && out != NULL, FALSE);
    g_return_val_if_fail (pop->n_fields == s->n_fields && pop->n_partners == s->n_partners, FALSE);
    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
    if (!fsim_i_snapshot_host_supported (error))
        return FALSE;

    size_t n = pop->n_users;
    g_autofree char *spec = fsim_population_spec_text (s);
    g_autofree const char **fields = g_new0 (const char *, s->n_fields + 1);
    g_autofree const char **partners = g_new0 (const char *, s->n_partners + 1);
    for (size_t f = 0; f < s->n_fields; f++)
        fields[f] = s->fields[f].id;
    for (size_t p = 0; p < s->n_partners; p++)
        partners[p] = s->partners[p].id;
    g_autoptr (GString) field_blob = strings_blob ((char *const *) fields, s->n_fields);
    g_autoptr (GString) partner_blob = strings_blob ((char *const *) partners, s->n_partners);
    g_autoptr (GString) names = NULL;
    const FsimFriends *fr = pop->friends;
    OutSection sec[FSIM_SNAPSHOT_MAX_SECTIONS];
    size_t k = 0;

    /* A snapshot of a snapshot keeps the text it was saved from. */
    if (spec == NULL && pop->snapshot != NULL)
        spec = fsim_i_snapshot_spec_of (pop->snapshot);
    sec[k++] = (OutSection){ FSIM_SNAPSHOT_SPEC, spec, spec ? 1 : 0, spec ? strlen (spec) + 1 : 0 };
    sec[k++] = (OutSection){ FSIM_SNAPSHOT_FIELDS, field_blob->str, s->n_fields, field_blob->len };
    sec[k++] = (OutSection){ FSIM_SNAPSHOT_PARTNERS, partner_blob->str, s->n_partners,
                             partner_blob->len };
    sec[k++] = (OutSection){ FSIM_SNAPSHOT_OFFSETS, fr->offsets, n + 1, (n + 1) * 8 };
    sec[k++] = (OutSection){ FSIM_SNAPSHOT_ADJ, fr->adj, 2 * fr->n_edges, 2 * fr->n_edges * 4 };
    if (fr->n_groups > 0)
        sec[k++] = (OutSection){ FSIM_SNAPSHOT_GROUPS, fr->group_offsets, fr->n_groups + 1,
                                 (fr->n_groups + 1) * 8 };
    sec[k++] = (OutSection){ FSIM_SNAPSHOT_PLATFORM, pop->platform, n, n };
    sec[k++] = (OutSection){ FSIM_SNAPSHOT_APPS_OTHERS, pop->apps_others, n * pop->field_words,
                             n * pop->field_words * 8 };
    sec[k++] = (OutSection){ FSIM_SNAPSHOT_AUDIENCE, pop->audience, n * pop->n_fields,
                             n * pop->n_fields };
    sec[k++] = (OutSection){ FSIM_SNAPSHOT_USES, pop->uses, n * pop->partner_words,
                             n * pop->partner_words * 8 };
    if (pop->user_ids != NULL || pop->file_names != NULL) {
        names = strings_blob (pop->user_ids ? pop->user_ids : pop->file_names, n);
        sec[k++] = (OutSection){ pop->user_ids ? FSIM_SNAPSHOT_USER_IDS : FSIM_SNAPSHOT_FILE_NAMES,
                                 names->str, n, names->len };
    } else if (pop->file_ids != NULL) {
        sec[k++] = (OutSection){ FSIM_SNAPSHOT_FILE_IDS, pop->file_ids, n, n * 8 };
    }
    g_assert (k <= G_N_ELEMENTS (sec));
    write_file (s, pop, sec, k, out);
    return TRUE;
}

/* ---- the checks of a mapped file (population-snapshot-read.c maps it) -------------------------------- */

static void
chunk_check (size_t i, unsigned worker, void *data)
{
    Chunks *c = data;
    guint64 at = c->from + i * c->chunk, len = MIN (c->chunk, c->to - at);
    guint64 want;

    (void) worker;
    memcpy (&want, c->base + c->to + 8 * i, 8);
    if (fsim_checksum64 (c->base + at, len, 0) != GUINT64_FROM_LE (want)) {
        g_mutex_lock (&c->lock);
        if (c->first_bad < 0 || (gint64) i < c->first_bad)
            c->first_bad = (gint64) i;
        g_mutex_unlock (&c->lock);
    }
}

/**
 * fsim_i_snapshot_check_chunks:
 * Recomputes the checksum of every chunk of @file's data (on all processors) against its
 * stored checksums, whose own checksum the header holds (@h, already read and checked).
 * Returns: FALSE with FSIM_POPULATION_ERROR_SNAPSHOT_CORRUPT naming the section of the first
 *   chunk that differs.
 */
gboolean
fsim_i_snapshot_check_chunks (const char *display, const char *file, const FsimSnapshotHeader *h,
                              GError **error)
{
    guint64 chunk = (guint64) 1 << h->chunk_log2;
    size_t n = n_chunks (h->data_offset, h->checksums_offset, chunk);
    Chunks c = { .base = file, .from = h->data_offset, .to = h->checksums_offset, .chunk = chunk,
                 .first_bad = -1 };

    if (fsim_checksum64 (file + h->checksums_offset, 8 * n, 0) != h->data_checksum) {
        g_set_error (error, FSIM_POPULATION_ERROR, FSIM_POPULATION_ERROR_SNAPSHOT_CORRUPT,
                     "%s: the table of checksums at byte %" G_GUINT64_FORMAT " is corrupt "
                     "(its checksum differs from the header's)", display, h->checksums_offset);
        return FALSE;
    }
    g_mutex_init (&c.lock);
    fsim_parallel_for (n, fsim_parallel_workers (0, n), chunk_check, &c, NULL, NULL);
    g_mutex_clear (&c.lock);
    if (c.first_bad < 0)
        return TRUE;
    guint64 at = h->data_offset + (guint64) c.first_bad * chunk;
    guint64 end = MIN (at + chunk, h->checksums_offset);
    g_autofree char *where = fsim_i_snapshot_sections_in (h, at, end);
    g_set_error (error, FSIM_POPULATION_ERROR, FSIM_POPULATION_ERROR_SNAPSHOT_CORRUPT,
                 "%s: corrupt data: the checksum of bytes %" G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT
                 " (%s) differs from the one saved with it",
                 display, at, end - 1, where);
    return FALSE;
}
