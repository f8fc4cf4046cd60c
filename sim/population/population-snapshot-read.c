/* SPDX-License-Identifier: MIT */
/* population-snapshot-read.c: maps a population snapshot, checks it, and uses it in place. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "bits.h"
#include "friends.h"
#include "inputfile.h"
#include "memory.h"
#include "population-private.h"
#include "population-snapshot-private.h"
#include "population.h"

/*
 * Loading is: open, fstat, map (read-only, shared with the page cache), then check, in this
 * order, so that each message names the first thing wrong: the magic (a foreign file), the
 * version, the byte order, the size against the header's (truncation), the header's checksum,
 * the section table (kinds, bounds, sizes against the counts), then in one pass on all
 * processors the checksum of every chunk and what the engine relies on to stay in bounds
 * (friend ids below the user count, offsets that never decrease, audiences and bit sets in
 * range: population-snapshot-check.c). Only then are
 * the scenario's fields, partners and population text compared with the snapshot's.
 *
 * A file that passed is remembered for the life of the process (keyed by its device, inode,
 * size and modification time), so `diff`, `sweep` and the other commands that build the same
 * population more than once map and check it once.
 */

G_LOCK_DEFINE_STATIC (checked);
static GHashTable *checked; /* key -> GMappedFile (a reference) */

static guint64
get64 (const char *at)
{
    guint64 v;
    memcpy (&v, at, 8);
    return GUINT64_FROM_LE (v);
}

static guint32
get32 (const char *at)
{
    guint32 v;
    memcpy (&v, at, 4);
    return GUINT32_FROM_LE (v);
}

/* Magic, version, byte order, size, header checksum. */
static gboolean
read_header (const char *display, const char *f, guint64 len, FsimSnapshotHeader *h, GError **error)
{
    if (len < FSIM_SNAPSHOT_MAGIC_SIZE ||
        memcmp (f, fsim_i_snapshot_magic, FSIM_SNAPSHOT_MAGIC_SIZE) != 0) {
        g_set_error (error, FSIM_POPULATION_ERROR, FSIM_POPULATION_ERROR_SNAPSHOT_FOREIGN,
                     "%s is not a flowsim population snapshot (it does not start with the "
                     "snapshot's signature; save one with `flowsim population SCENARIO --save "
                     "FILE`)",
                     display);
        return FALSE;
    }
    if (len < FSIM_SNAPSHOT_HEADER_SIZE)
        return fsim_i_snapshot_corrupt (error, display,
                                        "truncated: %" G_GUINT64_FORMAT " bytes, shorter than "
                                        "the %u-byte header",
                                        len, FSIM_SNAPSHOT_HEADER_SIZE);
    h->version = get32 (f + 16);
    if (h->version < 1 || h->version > FSIM_SNAPSHOT_VERSION) {
        g_set_error (error, FSIM_POPULATION_ERROR, FSIM_POPULATION_ERROR_SNAPSHOT_FOREIGN,
                     "%s is a population snapshot of format version %u; this flowsim reads "
                     "versions 1 to %u only (save it again with this flowsim)",
                     display, h->version, FSIM_SNAPSHOT_VERSION);
        return FALSE;
    }
    if (get32 (f + 20) != FSIM_SNAPSHOT_BYTE_ORDER_MARK)
        return fsim_i_snapshot_corrupt (error, display, "the byte-order mark is 0x%08x, not 0x%08x",
                                        get32 (f + 20), FSIM_SNAPSHOT_BYTE_ORDER_MARK);
    h->file_size = get64 (f + 24);
    if (h->file_size != len)
        return fsim_i_snapshot_corrupt (
            error, display,
            "%s: %" G_GUINT64_FORMAT " bytes, but the header says %" G_GUINT64_FORMAT,
            len < h->file_size ? "truncated" : "wrong size", len, h->file_size);
    h->n_users = get64 (f + 32);
    h->n_edges = get64 (f + 40);
    h->n_fields = get64 (f + 48);
    h->n_partners = get64 (f + 56);
    h->n_groups = get64 (f + 64);
    h->seed = get64 (f + 72);
    h->n_sections = get32 (f + 80);
    h->chunk_log2 = get32 (f + 84);
    h->checksums_offset = get64 (f + 88);
    h->data_offset = get64 (f + 96);
    h->data_checksum = get64 (f + 104);
    if (h->n_sections > FSIM_SNAPSHOT_MAX_SECTIONS ||
        h->data_offset !=
            FSIM_SNAPSHOT_ALIGN_UP (FSIM_SNAPSHOT_HEADER_SIZE +
                                    (guint64) h->n_sections * FSIM_SNAPSHOT_ENTRY_SIZE) ||
        h->data_offset > len)
        return fsim_i_snapshot_corrupt (error, display, "the header is corrupt (%u sections)",
                                        h->n_sections);
    if (fsim_i_snapshot_header_checksum (f, h->n_sections) != get64 (f + 112))
        return fsim_i_snapshot_corrupt (error, display,
                                        "the header's checksum differs: the header or the "
                                        "section table is corrupt");
    return TRUE;
}

/* The count each section kind must have, from the header's counts; G_MAXUINT64: any. */
static guint64
expected_count (const FsimSnapshotHeader *h, guint32 kind)
{
    switch (kind) {
    case FSIM_SNAPSHOT_SPEC:
        return G_MAXUINT64;
    case FSIM_SNAPSHOT_FIELDS:
        return h->n_fields;
    case FSIM_SNAPSHOT_PARTNERS:
        return h->n_partners;
    case FSIM_SNAPSHOT_OFFSETS:
        return h->n_users + 1;
    case FSIM_SNAPSHOT_ADJ:
        return 2 * h->n_edges;
    case FSIM_SNAPSHOT_GROUPS:
        return h->n_groups + 1;
    case FSIM_SNAPSHOT_APPS_OTHERS:
        return h->n_users * FSIM_BITS_WORDS (h->n_fields);
    case FSIM_SNAPSHOT_AUDIENCE:
        return h->n_users * h->n_fields;
    case FSIM_SNAPSHOT_USES:
        return h->n_users * FSIM_BITS_WORDS (h->n_partners);
    case FSIM_SNAPSHOT_NEAR:
        return 2 * h->n_users * FSIM_BITS_WORDS (h->n_partners);
    default: /* per user */
        return h->n_users;
    }
}

/* Each entry: a known kind once, inside the data, aligned, of the size its counts give. */
static gboolean
read_table (const char *display, const char *f, FsimSnapshotHeader *h, GError **error)
{
    guint64 chunk = (guint64) 1 << MIN (h->chunk_log2, 40);

    if (h->chunk_log2 < 12 || h->chunk_log2 > 34 || h->checksums_offset < h->data_offset ||
        h->checksums_offset > h->file_size ||
        (h->file_size - h->checksums_offset) / 8 !=
            (h->checksums_offset - h->data_offset + chunk - 1) / chunk ||
        (h->file_size - h->checksums_offset) % 8 != 0)
        return fsim_i_snapshot_corrupt (error, display, "the header's layout is inconsistent");
    /* counts whose products could overflow are refused here (the engine's limits are lower) */
    if (h->n_users > G_MAXUINT32 || h->n_fields > 1u << 20 || h->n_partners > 1u << 20 ||
        h->n_edges > h->file_size || h->n_groups > h->n_users)
        return fsim_i_snapshot_corrupt (error, display, "the header's counts are out of range");
    for (guint32 i = 0; i < h->n_sections; i++) {
        const char *e = f + FSIM_SNAPSHOT_HEADER_SIZE + i * FSIM_SNAPSHOT_ENTRY_SIZE;
        FsimSnapshotSection *s = &h->sections[i];
        s->kind = get32 (e);
        s->elem_size = get32 (e + 4);
        s->offset = get64 (e + 8);
        s->count = get64 (e + 16);
        s->bytes = get64 (e + 24);
        if (s->kind == 0 || s->kind >= _FSIM_SNAPSHOT_KIND_MAX)
            return fsim_i_snapshot_corrupt (error, display, "section %u has an unknown kind %u", i,
                                            s->kind);
        const char *name = fsim_i_snapshot_kind_name (s->kind);
        guint64 want = expected_count (h, s->kind);
        if (h->by_kind[s->kind] != 0)
            return fsim_i_snapshot_corrupt (error, display, "two sections of %s", name);
        h->by_kind[s->kind] = (guint8) (i + 1);
        if (s->elem_size != fsim_i_snapshot_elem_size (s->kind) ||
            s->offset % FSIM_SNAPSHOT_ALIGN != 0 || s->offset < h->data_offset ||
            s->offset > h->checksums_offset || s->bytes > h->checksums_offset - s->offset ||
            (s->elem_size > 0 && s->bytes != s->count * s->elem_size) ||
            (want != G_MAXUINT64 && s->count != want))
            return fsim_i_snapshot_corrupt (error, display,
                                            "the %s section's entry is inconsistent with the "
                                            "header",
                                            name);
    }
    static const guint32 required[] = { FSIM_SNAPSHOT_SPEC,        FSIM_SNAPSHOT_FIELDS,
                                        FSIM_SNAPSHOT_PARTNERS,    FSIM_SNAPSHOT_OFFSETS,
                                        FSIM_SNAPSHOT_ADJ,         FSIM_SNAPSHOT_PLATFORM,
                                        FSIM_SNAPSHOT_APPS_OTHERS, FSIM_SNAPSHOT_AUDIENCE,
                                        FSIM_SNAPSHOT_USES };
    for (size_t i = 0; i < G_N_ELEMENTS (required); i++)
        if (h->by_kind[required[i]] == 0)
            return fsim_i_snapshot_corrupt (error, display, "the %s section is missing",
                                            fsim_i_snapshot_kind_name (required[i]));
    if ((h->n_groups > 0) != (h->by_kind[FSIM_SNAPSHOT_GROUPS] != 0))
        return fsim_i_snapshot_corrupt (error, display,
                                        "the communities section does not match the header");
    return TRUE;
}

/* ---- opening, with the process-wide record of checked files ------------------------------- */

/**
 * fsim_i_snapshot_parse:
 * See population-snapshot-private.h.
 */
gboolean
fsim_i_snapshot_parse (const char *display, GMappedFile *m, FsimSnapshotHeader *h, GError **error)
{
    const char *f = g_mapped_file_get_contents (m);
    guint64 len = g_mapped_file_get_length (m);

    memset (h, 0, sizeof *h);
    return read_header (display, f ? f : "", len, h, error) && read_table (display, f, h, error);
}

/**
 * fsim_i_snapshot_map:
 * See population-snapshot-private.h.
 */
GMappedFile *
fsim_i_snapshot_map (const char *path, const char *display, char **out_key, GError **error)
{
    g_autoptr (GError) local = NULL;
    struct stat st;
    /* O_NONBLOCK: a FIFO must be refused, not waited on for a writer */
    int fd = g_open (path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC, 0);
    const char *why = NULL;

    if (fd < 0 || fstat (fd, &st) != 0)
        why = g_strerror (errno);
    else if (!S_ISREG (st.st_mode))
        why = "not a regular file";
    if (why != NULL) {
        g_set_error (error, FSIM_POPULATION_ERROR, FSIM_POPULATION_ERROR_SNAPSHOT_IO,
                     "cannot open the snapshot %s: %s", display, why);
        if (fd >= 0)
            g_close (fd, NULL);
        return NULL;
    }
    fsim_input_file_note (fd); /* an output must not replace it (inputfile.h) */
    g_autofree char *key = g_strdup_printf (
        "%ju:%ju:%jd:%jd.%09ld", (uintmax_t) st.st_dev, (uintmax_t) st.st_ino,
        (intmax_t) st.st_size, (intmax_t) st.st_mtim.tv_sec, (long) st.st_mtim.tv_nsec);
    G_LOCK (checked);
    GMappedFile *m = checked && out_key ? g_hash_table_lookup (checked, key) : NULL;
    if (m != NULL)
        g_mapped_file_ref (m);
    G_UNLOCK (checked);
    if (m == NULL) {
        m = g_mapped_file_new_from_fd (fd, FALSE, &local);
        if (m == NULL)
            g_set_error (error, FSIM_POPULATION_ERROR, FSIM_POPULATION_ERROR_SNAPSHOT_IO,
                         "cannot map the snapshot %s: %s", display, local->message);
    }
    g_close (fd, NULL);
    if (out_key != NULL)
        *out_key = g_steal_pointer (&key);
    return m;
}

/* Maps @path and checks all of it on @n_threads threads, or returns the mapping checked
 * before. */
static GMappedFile *
open_checked (const char *path, const char *display, unsigned n_threads, GError **error)
{
    g_autofree char *key = NULL;
    GMappedFile *m = fsim_i_snapshot_map (path, display, &key, error);

    if (m == NULL)
        return NULL;
    G_LOCK (checked);
    gboolean seen = checked != NULL && g_hash_table_lookup (checked, key) == m;
    G_UNLOCK (checked);
    if (seen)
        return m;
    FsimSnapshotHeader h;
    const char *f = g_mapped_file_get_contents (m);
    gboolean ok = fsim_i_snapshot_parse (display, m, &h, error);
    /* A snapshot by its header: all of it is about to be read, so ask for it at once, and a
     * file not in the page cache streams from the disk instead of faulting in a readahead
     * window at a time. Huge pages first, where the system has them for files: the page cache
     * then reads the file in 2 MiB pieces and maps each with one entry instead of 512 (most of
     * what mapping a large file costs, on a virtual machine above all). Both only advice. */
    if (ok) {
#ifdef MADV_HUGEPAGE
        (void) madvise ((void *) f, g_mapped_file_get_length (m), MADV_HUGEPAGE);
#endif
        posix_madvise ((void *) f, g_mapped_file_get_length (m), POSIX_MADV_WILLNEED);
    }
    if (!ok || !fsim_i_snapshot_check (display, f, &h, n_threads, error)) {
        g_mapped_file_unref (m);
        return NULL;
    }
    G_LOCK (checked);
    if (checked == NULL)
        checked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_mapped_file_unref);
    g_hash_table_replace (checked, g_steal_pointer (&key), g_mapped_file_ref (m));
    G_UNLOCK (checked);
    return m;
}

const char *
fsim_i_snapshot_spec_of (GMappedFile *file)
{
    FsimSnapshotHeader h;
    const FsimSnapshotSection *s;

    if (!fsim_i_snapshot_parse ("snapshot", file, &h, NULL))
        g_return_val_if_reached (NULL);
    s = fsim_i_snapshot_section (&h, FSIM_SNAPSHOT_SPEC);
    return s->count ? g_mapped_file_get_contents (file) + s->offset : NULL;
}

/* ---- against the scenario ----------------------------------------------------------------- */

/* The @n strings from @p (a checked section: @n is at most its bytes); NULL-terminated,
 * pointing into the file (free the array only); NULL with @error set when out of memory (the
 * count comes from the file: 8 bytes a string, 800 MB for 100 million users' names). */
static const char **
strings_of (const char *p, guint64 n, const char *what, GError **error)
{
    const char **v = fsim_try_new0 ((size_t) n + 1, sizeof (char *), what, error);

    for (guint64 i = 0; v != NULL && i < n; i++, p += strlen (p) + 1)
        v[i] = p;
    return v;
}

/* The same ids, in the same order. */
static gboolean
same_ids (const char *display, const char *what, const char *const *saved, size_t n_saved,
          const char *(*id) (const FsimScenario *, size_t), const FsimScenario *s, size_t n,
          GError **error)
{
    for (size_t i = 0; i < MAX (n, n_saved); i++) {
        const char *mine = i < n ? id (s, i) : NULL;
        if (mine != NULL && i < n_saved && strcmp (mine, saved[i]) == 0)
            continue;
        g_autofree char *why =
            mine == NULL
                ? g_strdup_printf ("the snapshot has a %s '%s' the scenario lacks", what, saved[i])
            : i >= n_saved
                ? g_strdup_printf ("the scenario has a %s '%s' the snapshot lacks", what, mine)
                : g_strdup_printf ("%s %zu is '%s' in the scenario and '%s' in the "
                                   "snapshot",
                                   what, i + 1, mine, saved[i]);
        g_set_error (error, FSIM_POPULATION_ERROR, FSIM_POPULATION_ERROR_SNAPSHOT_MISMATCH,
                     "%s was saved for other %ss: %s (a snapshot holds its users' settings and "
                     "partner use by %s; save a new one with `flowsim population SCENARIO "
                     "--save FILE`)",
                     display, what, why, what);
        return FALSE;
    }
    return TRUE;
}

static const char *
field_id (const FsimScenario *s, size_t i)
{
    return s->fields[i].id;
}

static const char *
partner_id (const FsimScenario *s, size_t i)
{
    return s->partners[i].id;
}

/* The end of the line at @line: its '\n' or the text's NUL. */
static const char *
line_end (const char *line)
{
    const char *nl = strchr (line, '\n');
    return nl ? nl : line + strlen (line);
}

/* The value of the first line "KEY=..." in the lines [@from, @to) of a text (@to NULL: to
 * its end), @key being
 * @key_len bytes (its length in *out_len), pointing into the text; NULL if none. */
static const char *
value_in (const char *from, const char *to, const char *key, size_t key_len, size_t *out_len)
{
    for (const char *line = from; (to == NULL || line < to) && *line != '\0';) {
        const char *end = line_end (line);
        if ((size_t) (end - line) > key_len && strncmp (line, key, key_len) == 0 &&
            line[key_len] == '=') {
            *out_len = (size_t) (end - line) - key_len - 1;
            return line + key_len + 1;
        }
        line = *end ? end + 1 : end;
    }
    return NULL;
}

/* The value of line "KEY=..." in @text, looked for from the line at *@hint on and then from
 * the start (the two texts list their keys in the same order: one pass over each, not one
 * per key), pointing into @text; *@hint moves past the line found. Allocates nothing: the
 * saved text comes from the file. */
static const char *
line_value (const char *text, const char **hint, const char *key, size_t key_len, size_t *out_len)
{
    const char *v = value_in (*hint, NULL, key, key_len, out_len);

    if (v == NULL)
        v = value_in (text, *hint, key, key_len, out_len);
    if (v != NULL)
        *hint = *line_end (v) ? line_end (v) + 1 : line_end (v);
    return v;
}

/* A piece of a text for a message: @len bytes at @at, cut at a character's start after
 * QUOTED_MAX bytes ("..." then follows). */
#define QUOTED_MAX 200
typedef struct {
    const char *at;
    int len;
    const char *more;
} Quoted;

static Quoted
quoted (const char *at, size_t len)
{
    size_t n = MIN (len, (size_t) QUOTED_MAX);
    while (n < len && n > 0 && ((guchar) at[n] & 0xc0) == 0x80)
        n--;
    return (Quoted){ at, (int) n, n < len ? "..." : "" };
}

/* The first line "KEY=VALUE" of @a whose key is not in @b with the same value: its key and
 * its value in @a and in @b (NULL: none). FALSE if every line of @a has its match. */
static gboolean
first_difference (const char *a, const char *b, Quoted *out_key, Quoted *out_a, const char **out_b,
                  size_t *out_b_len)
{
    const char *hint = b;

    for (const char *line = a; *line != '\0';) {
        const char *end = line_end (line), *eq = memchr (line, '=', (size_t) (end - line));
        size_t n = 0;
        if (eq != NULL) {
            const char *v = line_value (b, &hint, line, (size_t) (eq - line), &n);
            size_t mine = (size_t) (end - eq - 1);
            if (v == NULL || n != mine || memcmp (v, eq + 1, n) != 0) {
                *out_key = quoted (line, (size_t) (eq - line));
                *out_a = quoted (eq + 1, mine);
                *out_b = v;
                *out_b_len = n;
                return TRUE;
            }
        }
        line = *end ? end + 1 : end;
    }
    return FALSE;
}

/* The scenario's population text must be the snapshot's: the first key that differs. */
static gboolean
same_population (const char *display, const char *mine, const char *saved, GError **error)
{
    if (mine == NULL || saved == NULL || strcmp (mine, saved) == 0)
        return TRUE;
    Quoted key = { "", 0, "" }, here = { "", 0, "" }, there = { "", 0, "" };
    const char *v = NULL;
    size_t n = 0;
    gboolean found = FALSE;
    if (first_difference (mine, saved, &key, &here, &v, &n)) {
        found = TRUE;
        there = v ? quoted (v, n) : (Quoted){ "(nothing)", 9, "" };
    } else if (first_difference (saved, mine, &key, &there, &v, &n)) {
        found = TRUE; /* a key of the snapshot's the scenario lacks (v is NULL) */
        here = (Quoted){ "(nothing)", 9, "" };
    }
    gboolean seed = found && key.len == 4 && memcmp (key.at, "seed", 4) == 0;
    g_set_error (error, FSIM_POPULATION_ERROR, FSIM_POPULATION_ERROR_SNAPSHOT_MISMATCH,
                 "%s was saved from another population: %s%.*s%s is '%.*s%s' in the scenario and "
                 "'%.*s%s' in the snapshot (a what-if on a snapshot cannot change the population; "
                 "name only the snapshot, or save a new one with `flowsim population SCENARIO "
                 "--save FILE`)",
                 display,
                 !found ? ""
                 : seed ? "the "
                        : "population.",
                 found ? key.len : 8, found ? key.at : "its text", key.more, here.len, here.at,
                 here.more, there.len, there.at, there.more);
    return FALSE;
}

static void
release_mapping (gpointer m)
{
    g_mapped_file_unref (m);
}

/* Points @pop's arrays into the checked file @m; its users' names too (the array of them is
 * the one allocation whose size the file gives: tried first, @pop left as it was when it
 * fails). */
static gboolean
use_in_place (FsimPopulation *pop, GMappedFile *m, const FsimSnapshotHeader *h, GError **error)
{
    const char *f = g_mapped_file_get_contents (m);
    const FsimSnapshotSection *s;
    g_autofree const char **names = NULL;

    if ((s = fsim_i_snapshot_section (h, FSIM_SNAPSHOT_USER_IDS)) != NULL ||
        (s = fsim_i_snapshot_section (h, FSIM_SNAPSHOT_FILE_NAMES)) != NULL) {
        names = strings_of (f + s->offset, s->count, "the names of the snapshot's users", error);
        if (names == NULL)
            return FALSE;
        /* the strings stay in the file: fsim_population_free() frees the array alone */
        if (s->kind == FSIM_SNAPSHOT_USER_IDS)
            pop->user_ids = (char **) g_steal_pointer (&names);
        else
            pop->file_names = (char **) g_steal_pointer (&names);
    }
    FsimFriends *fr = g_new0 (FsimFriends, 1);

    pop->n_users = h->n_users;
    fr->n_users = h->n_users;
    fr->n_edges = h->n_edges;
    /* the file is mapped read-only; the population never writes through these */
    fr->offsets = (size_t *) (f + fsim_i_snapshot_section (h, FSIM_SNAPSHOT_OFFSETS)->offset);
    fr->adj = (uint32_t *) (f + fsim_i_snapshot_section (h, FSIM_SNAPSHOT_ADJ)->offset);
    if ((s = fsim_i_snapshot_section (h, FSIM_SNAPSHOT_GROUPS)) != NULL) {
        fr->n_groups = h->n_groups;
        fr->group_offsets = (size_t *) (f + s->offset);
    }
    fr->release = release_mapping;
    fr->release_data = g_mapped_file_ref (m);
    pop->friends = fr;
    pop->platform = (guint8 *) (f + fsim_i_snapshot_section (h, FSIM_SNAPSHOT_PLATFORM)->offset);
    pop->apps_others =
        (FsimWord *) (f + fsim_i_snapshot_section (h, FSIM_SNAPSHOT_APPS_OTHERS)->offset);
    pop->audience = (guint8 *) (f + fsim_i_snapshot_section (h, FSIM_SNAPSHOT_AUDIENCE)->offset);
    pop->uses = (FsimWord *) (f + fsim_i_snapshot_section (h, FSIM_SNAPSHOT_USES)->offset);
    if ((s = fsim_i_snapshot_section (h, FSIM_SNAPSHOT_FILE_IDS)) != NULL)
        pop->file_ids = (gint64 *) (f + s->offset);
    if ((s = fsim_i_snapshot_section (h, FSIM_SNAPSHOT_NEAR)) != NULL)
        pop->near = (const FsimWord *) (f + s->offset);
    pop->snapshot = g_mapped_file_ref (m);
    return TRUE;
}

/**
 * fsim_i_population_load_snapshot:
 * Maps @s->population.snapshot, checks it (see the top of this file) and points @pop's arrays
 * into it. @pop has its counts (fields, partners, words) set from @s.
 * Returns: FALSE with @error set: FSIM_POPULATION_ERROR_SNAPSHOT_IO, _FOREIGN, _CORRUPT or
 *   _MISMATCH; @pop is then left for fsim_population_free() as it was.
 */
gboolean
fsim_i_population_load_snapshot (const FsimScenario *s, FsimPopulation *pop, GError **error)
{
    g_autofree char *display = NULL;
    FsimSnapshotHeader h;
    GMappedFile *m;

    if (!fsim_i_snapshot_host_supported (error))
        return FALSE;
    display = fsim_i_population_display_path (s->population.snapshot);
    m = open_checked (s->population.snapshot, display, pop->n_threads, error);
    if (m == NULL)
        return FALSE;
    if (!fsim_i_snapshot_parse (display, m, &h, error))
        g_assert_not_reached (); /* checked when it was opened */
    gboolean ok =
        fsim_i_snapshot_matches (s, display, m, &h, error) && use_in_place (pop, m, &h, error);
    g_mapped_file_unref (m);
    return ok;
}

void
fsim_i_population_locate_snapshot (const FsimPopulationSpec *ps, gboolean ok, GError **error)
{
    if (!ok && ps->snapshot_loc.file != NULL && error != NULL && *error != NULL) {
        g_prefix_error (error, "%s:%d:%d: population.snapshot: ", ps->snapshot_loc.file,
                        ps->snapshot_loc.line, ps->snapshot_loc.col);
        /* one line: a line break in the snapshot's name is '?' (population-import.c) */
        g_strdelimit ((*error)->message, "\r\n", '?');
    }
}

/**
 * fsim_i_snapshot_matches:
 * See population-snapshot-private.h.
 */
gboolean
fsim_i_snapshot_matches (const FsimScenario *s, const char *display, GMappedFile *m,
                         const FsimSnapshotHeader *h, GError **error)
{
    const char *f = g_mapped_file_get_contents (m);
    g_autofree const char **fields =
        strings_of (f + fsim_i_snapshot_section (h, FSIM_SNAPSHOT_FIELDS)->offset, h->n_fields,
                    "the snapshot's field ids", error);
    g_autofree const char **partners =
        fields ? strings_of (f + fsim_i_snapshot_section (h, FSIM_SNAPSHOT_PARTNERS)->offset,
                             h->n_partners, "the snapshot's partner ids", error)
               : NULL;
    if (partners == NULL)
        return FALSE;
    g_autofree char *mine = fsim_population_spec_text (s);
    const char *saved = fsim_i_snapshot_spec_of (m);

    return same_ids (display, "field", fields, h->n_fields, field_id, s, s->n_fields, error) &&
           same_ids (display, "partner", partners, h->n_partners, partner_id, s, s->n_partners,
                     error) &&
           same_population (display, mine, saved, error);
}
