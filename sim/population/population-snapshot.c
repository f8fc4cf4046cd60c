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
#include "memory.h"
#include "parallel.h"
#include "population-private.h"
#include "population-snapshot-private.h"
#include "population.h"

/* ---- the format (docs/format.md) ---------------------------------------------------------- */

/* PNG's trick: a high byte (7-bit channels), the name, CR LF (line-ending conversions), ^Z, LF. */
const char fsim_i_snapshot_magic[FSIM_SNAPSHOT_MAGIC_SIZE] = "\x89"
                                                             "flowsim-pop\r\n\x1a\n";

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
    [FSIM_SNAPSHOT_NEAR] = { "partners near each user", 8 },
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

#define NEAR_BLOCK 4096 /* users per parallel item */

/**
 * fsim_i_snapshot_strings:
 * See population-snapshot-private.h.
 */
GString *
fsim_i_snapshot_strings (char *const *v, size_t n)
{
    GString *b = g_string_new (NULL);

    for (size_t i = 0; i < n; i++)
        g_string_append_len (b, v[i], (gssize) strlen (v[i]) + 1);
    return b;
}

/* The same in one tried allocation of their size (*out_len), or NULL with @error set when out
 * of memory (transfer full): a million explicit users' ids, or a GraphML file's node ids, are
 * the input's to size. */
static char *
strings_blob (char *const *v, size_t n, const char *what, size_t *out_len, GError **error)
{
    size_t len = 0;

    for (size_t i = 0; i < n; i++)
        len += strlen (v[i]) + 1;
    char *blob = fsim_try_new (len ? len : 1, 1, what, error), *at = blob;
    for (size_t i = 0; blob != NULL && i < n; i++) {
        size_t one = strlen (v[i]) + 1;
        memcpy (at, v[i], one);
        at += one;
    }
    *out_len = len;
    return blob;
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

static size_t
n_chunks (guint64 from, guint64 to, guint64 chunk)
{
    return (size_t) ((to - from + chunk - 1) / chunk);
}

/**
 * fsim_i_snapshot_layout_init:
 * See population-snapshot-private.h.
 */
void
fsim_i_snapshot_layout_init (FsimSnapshotLayout *l, const FsimSnapshotOut *sec, size_t n_sec)
{
    *l = (FsimSnapshotLayout){ .sec = sec,
                               .n_sec = n_sec,
                               .offsets = g_new (guint64, n_sec ? n_sec : 1),
                               .chunk = (guint64) 1 << FSIM_SNAPSHOT_CHUNK_LOG2 };
    l->data_at =
        FSIM_SNAPSHOT_ALIGN_UP (FSIM_SNAPSHOT_HEADER_SIZE + n_sec * FSIM_SNAPSHOT_ENTRY_SIZE);
    guint64 at = l->data_at;
    for (size_t i = 0; i < n_sec; i++) {
        l->offsets[i] = at;
        at = FSIM_SNAPSHOT_ALIGN_UP (at + sec[i].bytes);
    }
    l->sums_at = at;
    l->n_sums = n_chunks (l->data_at, l->sums_at, l->chunk);
    l->size = l->sums_at + 8 * (guint64) l->n_sums;
}

/* The file's bytes [from, to) of the data region, sections and their zero padding, into @dst. */
static void
fill_range (const FsimSnapshotLayout *l, guint64 from, guint64 to, char *dst)
{
    for (size_t i = 0; i < l->n_sec; i++) {
        guint64 start = l->offsets[i], end = i + 1 < l->n_sec ? l->offsets[i + 1] : l->sums_at;
        guint64 data_end = start + l->sec[i].bytes;
        guint64 a = MAX (start, from), b = MIN (end, to);
        if (a >= b)
            continue;
        guint64 d = MIN (b, MAX (a, data_end)); /* [a, d) is data, [d, b) padding */
        if (d > a)
            memcpy (dst + (a - from), (const char *) l->sec[i].data + (a - start), d - a);
        if (b > d)
            memset (dst + (d - from), 0, b - d);
    }
}

typedef struct {
    const FsimSnapshotLayout *l;
    guint64 *sums;
    char **buffers; /* one chunk per worker */
} Hashing;

static void
chunk_hash (size_t i, unsigned worker, void *data)
{
    Hashing *h = data;
    guint64 from = h->l->data_at + i * h->l->chunk, to = MIN (from + h->l->chunk, h->l->sums_at);
    fill_range (h->l, from, to, h->buffers[worker]);
    h->sums[i] = fsim_checksum64 (h->buffers[worker], to - from, 0);
}

/**
 * fsim_i_snapshot_fill_header:
 * See population-snapshot-private.h.
 */
void
fsim_i_snapshot_fill_header (const FsimSnapshotCounts *c, const FsimSnapshotLayout *l,
                             const char *sums, char *f)
{
    memset (f, 0, l->data_at);
    for (size_t i = 0; i < l->n_sec; i++) {
        char *e = f + FSIM_SNAPSHOT_HEADER_SIZE + i * FSIM_SNAPSHOT_ENTRY_SIZE;
        put32 (e, l->sec[i].kind);
        put32 (e + 4, fsim_i_snapshot_elem_size (l->sec[i].kind));
        put64 (e + 8, l->offsets[i]);
        put64 (e + 16, l->sec[i].count);
        put64 (e + 24, l->sec[i].bytes);
    }
    memcpy (f, fsim_i_snapshot_magic, FSIM_SNAPSHOT_MAGIC_SIZE);
    put32 (f + 16, FSIM_SNAPSHOT_VERSION);
    put32 (f + 20, FSIM_SNAPSHOT_BYTE_ORDER_MARK);
    put64 (f + 24, l->size);
    put64 (f + 32, c->n_users);
    put64 (f + 40, c->n_edges);
    put64 (f + 48, c->n_fields);
    put64 (f + 56, c->n_partners);
    put64 (f + 64, c->n_groups);
    put64 (f + 72, c->seed);
    put32 (f + 80, (guint32) l->n_sec);
    put32 (f + 84, FSIM_SNAPSHOT_CHUNK_LOG2);
    put64 (f + 88, l->sums_at);
    put64 (f + 96, l->data_at);
    put64 (f + 104, fsim_checksum64 (sums, 8 * l->n_sums, 0));
    put64 (f + 112, fsim_i_snapshot_header_checksum (f, l->n_sec));
}

/*
 * Writes the file (docs/format.md has the layout) in order, a chunk at a time: the chunk
 * checksums first (each worker fills and hashes its chunks in a buffer of its own), then the
 * header and table, the data, the checksums. At most a chunk (512 KiB) per worker is held
 * besides the population, not the whole file.
 */
static gboolean
write_file (const FsimScenario *s, const FsimPopulation *pop, const FsimSnapshotOut *sec,
            size_t n_sec, FsimSnapshotEmit emit, void *target, GError **error)
{
    FsimSnapshotLayout l;
    const FsimSnapshotCounts counts = { pop->n_users,    pop->friends->n_edges,  pop->n_fields,
                                        pop->n_partners, pop->friends->n_groups, s->seed };
    fsim_i_snapshot_layout_init (&l, sec, n_sec);
    unsigned workers = fsim_parallel_workers (pop->n_threads, l.n_sums);
    g_autofree char *sums = g_new0 (char, 8 * l.n_sums + 8);
    g_autofree guint64 *sum = g_new0 (guint64, l.n_sums + 1);
    Hashing h = { &l, sum, g_new0 (char *, workers + 1) };
    /* a chunk (512 KiB) per worker: as many workers as get one, at least one */
    for (unsigned w = 0; w < workers; w++)
        if ((h.buffers[w] = g_try_malloc (l.chunk)) == NULL) {
            if (w == 0) {
                g_free (h.buffers);
                g_free (l.offsets);
                fsim_set_out_of_memory (1, l.chunk, "a chunk of the snapshot", error);
                return FALSE;
            }
            workers = w;
        }
    fsim_parallel_for (l.n_sums, workers, chunk_hash, &h, NULL, NULL);
    for (size_t i = 0; i < l.n_sums; i++)
        put64 (sums + 8 * i, sum[i]);

    g_autofree char *header = g_malloc (l.data_at);
    fsim_i_snapshot_fill_header (&counts, &l, sums, header);
    gboolean ok = emit (header, l.data_at, target, error);
    for (size_t i = 0; ok && i < l.n_sums; i++) {
        guint64 from = l.data_at + i * l.chunk, to = MIN (from + l.chunk, l.sums_at);
        fill_range (&l, from, to, h.buffers[0]);
        ok = emit (h.buffers[0], to - from, target, error);
    }
    ok = ok && emit (sums, 8 * l.n_sums, target, error);
    for (unsigned w = 0; w < workers; w++)
        g_free (h.buffers[w]);
    g_free (h.buffers);
    g_free (l.offsets);
    return ok;
}

typedef struct {
    const FsimPopulation *pop;
    FsimWord *near;
} Near;

static void
near_block (size_t i, unsigned worker, void *data)
{
    const Near *n = data;
    (void) worker;
    fsim_population_near (n->pop, n->near, i * NEAR_BLOCK,
                          MIN ((i + 1) * NEAR_BLOCK, n->pop->n_users));
}

/* The partners near each user of @pop (fsim_population_near()) on its threads, or NULL with
 * @error set when out of memory (transfer full). */
static FsimWord *
near_of (const FsimPopulation *pop, GError **error)
{
    size_t n_blocks = (pop->n_users + NEAR_BLOCK - 1) / NEAR_BLOCK;
    Near n = { pop, fsim_try_new0 (2 * pop->n_users * pop->partner_words, sizeof (FsimWord),
                                   "the partners near each user", error) };
    if (n.near != NULL)
        fsim_parallel_for (n_blocks, fsim_parallel_workers (pop->n_threads, n_blocks), near_block,
                           &n, NULL, NULL);
    return n.near;
}

/* The sections of @pop's snapshot, written through @emit. */
static gboolean
snapshot_emit (const FsimScenario *scenario, const FsimPopulation *pop, FsimSnapshotEmit emit,
               void *target, GError **error)
{
    const FsimScenario *s = scenario;

    g_return_val_if_fail (s != NULL && pop != NULL && pop->friends != NULL, FALSE);
    g_return_val_if_fail (pop->n_fields == s->n_fields && pop->n_partners == s->n_partners, FALSE);
    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
    if (!fsim_i_snapshot_host_supported (error))
        return FALSE;

    size_t n = pop->n_users, field_len = 0, partner_len = 0, names_len = 0;
    g_autofree char *own_spec = fsim_population_spec_text (s);
    /* the loader's limits bound these two (16,384 ids each) */
    g_autofree const char **fields = g_new0 (const char *, s->n_fields + 1);
    g_autofree const char **partners = g_new0 (const char *, s->n_partners + 1);
    for (size_t f = 0; f < s->n_fields; f++)
        fields[f] = s->fields[f].id;
    for (size_t p = 0; p < s->n_partners; p++)
        partners[p] = s->partners[p].id;
    g_autofree char *field_blob =
        strings_blob ((char *const *) fields, s->n_fields, "the field ids", &field_len, error);
    g_autofree char *partner_blob = field_blob
                                        ? strings_blob ((char *const *) partners, s->n_partners,
                                                        "the partner ids", &partner_len, error)
                                        : NULL;
    g_autofree char *names = NULL;
    const FsimFriends *fr = pop->friends;
    FsimSnapshotOut sec[FSIM_SNAPSHOT_MAX_SECTIONS];
    size_t k = 0;

    if (partner_blob == NULL)
        return FALSE;
    /* A snapshot of a snapshot keeps the text it was saved from (in its mapping). */
    const char *spec = own_spec != NULL        ? own_spec
                       : pop->snapshot != NULL ? fsim_i_snapshot_spec_of (pop->snapshot)
                                               : NULL;
    sec[k++] =
        (FsimSnapshotOut){ FSIM_SNAPSHOT_SPEC, spec, spec ? 1 : 0, spec ? strlen (spec) + 1 : 0 };
    sec[k++] = (FsimSnapshotOut){ FSIM_SNAPSHOT_FIELDS, field_blob, s->n_fields, field_len };
    sec[k++] =
        (FsimSnapshotOut){ FSIM_SNAPSHOT_PARTNERS, partner_blob, s->n_partners, partner_len };
    sec[k++] = (FsimSnapshotOut){ FSIM_SNAPSHOT_OFFSETS, fr->offsets, n + 1, (n + 1) * 8 };
    sec[k++] =
        (FsimSnapshotOut){ FSIM_SNAPSHOT_ADJ, fr->adj, 2 * fr->n_edges, 2 * fr->n_edges * 4 };
    if (fr->n_groups > 0)
        sec[k++] = (FsimSnapshotOut){ FSIM_SNAPSHOT_GROUPS, fr->group_offsets, fr->n_groups + 1,
                                      (fr->n_groups + 1) * 8 };
    sec[k++] = (FsimSnapshotOut){ FSIM_SNAPSHOT_PLATFORM, pop->platform, n, n };
    sec[k++] = (FsimSnapshotOut){ FSIM_SNAPSHOT_APPS_OTHERS, pop->apps_others, n * pop->field_words,
                                  n * pop->field_words * 8 };
    sec[k++] = (FsimSnapshotOut){ FSIM_SNAPSHOT_AUDIENCE, pop->audience, n * pop->n_fields,
                                  n * pop->n_fields };
    sec[k++] = (FsimSnapshotOut){ FSIM_SNAPSHOT_USES, pop->uses, n * pop->partner_words,
                                  n * pop->partner_words * 8 };
    if (pop->user_ids != NULL || pop->file_names != NULL) {
        names = strings_blob (pop->user_ids ? pop->user_ids : pop->file_names, n,
                              "the users' names", &names_len, error);
        if (names == NULL)
            return FALSE;
        sec[k++] =
            (FsimSnapshotOut){ pop->user_ids ? FSIM_SNAPSHOT_USER_IDS : FSIM_SNAPSHOT_FILE_NAMES,
                               names, n, names_len };
    } else if (pop->file_ids != NULL) {
        sec[k++] = (FsimSnapshotOut){ FSIM_SNAPSHOT_FILE_IDS, pop->file_ids, n, n * 8 };
    }
    /* the engine's first hop, the same for every what-if on these users */
    g_autofree FsimWord *near = pop->near ? NULL : near_of (pop, error);
    if (pop->near == NULL && near == NULL)
        return FALSE;
    sec[k++] = (FsimSnapshotOut){ FSIM_SNAPSHOT_NEAR, pop->near ? pop->near : near,
                                  2 * n * pop->partner_words, 2 * n * pop->partner_words * 8 };
    g_assert (k <= G_N_ELEMENTS (sec));
    return write_file (s, pop, sec, k, emit, target, error);
}

gboolean
fsim_i_snapshot_emit_gstring (const void *data, size_t len, void *target, GError **error)
{
    (void) error;
    g_string_append_len (target, data, (gssize) len);
    return TRUE;
}

gboolean
fsim_i_snapshot_emit_stream (const void *data, size_t len, void *target, GError **error)
{
    if (len == 0 || fwrite (data, 1, len, target) == len)
        return TRUE;
    int code = errno;
    g_set_error (error, FSIM_POPULATION_ERROR, FSIM_POPULATION_ERROR_SNAPSHOT_IO,
                 "writing the snapshot: %s", g_strerror (code));
    return FALSE;
}

/**
 * fsim_population_snapshot_write:
 * See population.h. Needs the file's size again in memory (tests; the command streams it).
 */
gboolean
fsim_population_snapshot_write (const FsimScenario *scenario, const FsimPopulation *pop,
                                GString *out, GError **error)
{
    g_return_val_if_fail (out != NULL, FALSE);
    size_t len = out->len;
    if (snapshot_emit (scenario, pop, fsim_i_snapshot_emit_gstring, out, error))
        return TRUE;
    g_string_truncate (out, len);
    return FALSE;
}

/**
 * fsim_population_snapshot_save:
 * See population.h.
 */
gboolean
fsim_population_snapshot_save (const FsimScenario *scenario, const FsimPopulation *pop, FILE *out,
                               GError **error)
{
    g_return_val_if_fail (out != NULL, FALSE);
    return snapshot_emit (scenario, pop, fsim_i_snapshot_emit_stream, out, error);
}
