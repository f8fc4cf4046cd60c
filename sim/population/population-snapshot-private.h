/* SPDX-License-Identifier: MIT */
/* population-snapshot-private.h: the snapshot file's layout (docs/format.md), shared by the
 * writer (population-snapshot.c) and the reader (population-snapshot-read.c). */
#pragma once

#include <stdint.h>

#include <glib.h>

#include "comm.h"
#include "population.h"

#define FSIM_SNAPSHOT_MAGIC_SIZE 16
#define FSIM_SNAPSHOT_VERSION 2u /* 1: without the partners near each user; still read */
#define FSIM_SNAPSHOT_BYTE_ORDER_MARK 0x01020304u
#define FSIM_SNAPSHOT_HEADER_SIZE 128u
#define FSIM_SNAPSHOT_ENTRY_SIZE 32u
#define FSIM_SNAPSHOT_ALIGN 64u
#define FSIM_SNAPSHOT_ALIGN_UP(x)                                                                  \
    (((x) + FSIM_SNAPSHOT_ALIGN - 1) / FSIM_SNAPSHOT_ALIGN * FSIM_SNAPSHOT_ALIGN)
#define FSIM_SNAPSHOT_CHUNK_LOG2 19u /* 512 KiB per checksum (files with other sizes load) */
#define FSIM_SNAPSHOT_MAX_SECTIONS 16u

extern const char fsim_i_snapshot_magic[FSIM_SNAPSHOT_MAGIC_SIZE];

/* Section kinds, as stored; numbers are part of the format. */
typedef enum {
    FSIM_SNAPSHOT_SPEC = 1,    /* the population text (fsim_population_spec_text), NUL-ended */
    FSIM_SNAPSHOT_FIELDS,      /* field ids, NUL-terminated strings */
    FSIM_SNAPSHOT_PARTNERS,    /* partner ids, NUL-terminated strings */
    FSIM_SNAPSHOT_OFFSETS,     /* u64[n_users + 1]: CSR row starts */
    FSIM_SNAPSHOT_ADJ,         /* u32[2 n_friendships]: the sorted friend lists */
    FSIM_SNAPSHOT_GROUPS,      /* u64[n_groups + 1]: facebook_like communities (optional) */
    FSIM_SNAPSHOT_PLATFORM,    /* u8[n_users] */
    FSIM_SNAPSHOT_APPS_OTHERS, /* u64[n_users x field words]: field bit sets */
    FSIM_SNAPSHOT_AUDIENCE,    /* u8[n_users x n_fields] */
    FSIM_SNAPSHOT_USES,        /* u64[n_users x partner words]: partner bit sets */
    FSIM_SNAPSHOT_USER_IDS,    /* explicit users' ids, strings (optional) */
    FSIM_SNAPSHOT_FILE_NAMES,  /* imported users' GraphML node ids, strings (optional) */
    FSIM_SNAPSHOT_FILE_IDS,    /* imported users' edge-list/GML ids, i64[n_users] (optional) */
    FSIM_SNAPSHOT_NEAR,        /* u64[n_users x 2 x partner words]: fsim_population_near()
                                * (optional; version 2) */
    _FSIM_SNAPSHOT_KIND_MAX
} FsimSnapshotKind;

typedef struct {
    guint32 kind, elem_size;
    guint64 offset, count, bytes;
} FsimSnapshotSection;

/* The header and section table, read and checked (population-snapshot-read.c). */
typedef struct {
    guint32 version;
    guint64 file_size, n_users, n_edges, n_fields, n_partners, n_groups, seed;
    guint32 n_sections, chunk_log2;
    guint64 checksums_offset, data_offset, data_checksum;
    FsimSnapshotSection sections[FSIM_SNAPSHOT_MAX_SECTIONS];
    /* [kind]: index into sections + 1, 0 when absent */
    guint8 by_kind[_FSIM_SNAPSHOT_KIND_MAX];
} FsimSnapshotHeader;

/* The section of @kind, or NULL when the file has none. */
static inline const FsimSnapshotSection *
fsim_i_snapshot_section (const FsimSnapshotHeader *h, guint32 kind)
{
    return h->by_kind[kind] ? &h->sections[h->by_kind[kind] - 1] : NULL;
}

/* Bytes per element of a section kind; 0 for strings and text. */
guint32 fsim_i_snapshot_elem_size (guint32 kind);
/* The readable name of a section kind ("friend lists"), static. */
const char *fsim_i_snapshot_kind_name (guint32 kind);
/* XXH64 of the header without its checksum (bytes 0-111 and 120-127) followed by the
 * @n_sections table entries. */
guint64 fsim_i_snapshot_header_checksum (const char *file, size_t n_sections);
/* The names of the sections with bytes in @from .. @to - 1, for messages (transfer full). */
char *fsim_i_snapshot_sections_in (const FsimSnapshotHeader *h, guint64 from, guint64 to);
/* FALSE with FSIM_POPULATION_ERROR_SNAPSHOT_IO on hosts the format does not support (big-endian,
 * 32-bit size_t: the arrays are used in place). */
gboolean fsim_i_snapshot_host_supported (GError **error);
/* Maps @path (read only, shared with the page cache; not yet checked) or, with @out_key, returns
 * the mapping of the same file checked before, if any, and sets *@out_key to the file's key
 * (its device, inode, size and modification time). Returns: (transfer full): NULL with
 * FSIM_POPULATION_ERROR_SNAPSHOT_IO when it cannot be opened (a FIFO, a device) or mapped. */
GMappedFile *fsim_i_snapshot_map (const char *path, const char *display, char **out_key,
                                  GError **error);
/* Reads and checks the header and the section table of the mapped @m into @h: FALSE with
 * FSIM_POPULATION_ERROR_SNAPSHOT_FOREIGN or _CORRUPT naming the first thing wrong. */
gboolean fsim_i_snapshot_parse (const char *display, GMappedFile *m, FsimSnapshotHeader *h,
                                GError **error);
/* Whether the checked snapshot @m (@h its header) was saved for @s: the same fields and
 * partners in the same order and the same population text; else FALSE with
 * FSIM_POPULATION_ERROR_SNAPSHOT_MISMATCH naming the first difference. */
gboolean fsim_i_snapshot_matches (const FsimScenario *s, const char *display, GMappedFile *m,
                                  const FsimSnapshotHeader *h, GError **error);
/* Sets FSIM_POPULATION_ERROR_SNAPSHOT_CORRUPT "DISPLAY: what" and returns FALSE
 * (population-snapshot-check.c). */
gboolean fsim_i_snapshot_corrupt (GError **error, const char *display, const char *format, ...)
    G_GNUC_PRINTF (3, 4);
/* Checks every byte of the data of @file (its header @h read and checked): each chunk's
 * checksum, then the values the engine relies on to stay in bounds, in one pass on @n_threads
 * threads (0: the process default) (population-snapshot-check.c). Returns: FALSE with
 * FSIM_POPULATION_ERROR_SNAPSHOT_CORRUPT saying what is wrong and, for a checksum, where. */
gboolean fsim_i_snapshot_check (const char *display, const char *file, const FsimSnapshotHeader *h,
                                unsigned n_threads, GError **error);
/* As fsim_i_snapshot_check(), collective over the ranks of @comm, this one owning users
 * @first .. @last - 1: it checks only the chunks holding those users' bytes (and its share of
 * the chunks holding no user's: the names and texts), and the ranks then agree on the first
 * failure of each kind, so that every rank gives the message one process gives for the file. */
gboolean fsim_i_snapshot_check_part (const char *display, const char *file,
                                     const FsimSnapshotHeader *h, const FsimComm *comm,
                                     guint64 first, guint64 last, unsigned n_threads,
                                     GError **error);
/* The population text stored in a mapped snapshot already checked (transfer none: it points
 * into @file; NULL when the snapshot has none) (population-snapshot-read.c). */
const char *fsim_i_snapshot_spec_of (GMappedFile *file);

/* ---- writing (population-snapshot.c; by parts: population-snapshot-part.c) ---------------- */

/* A section to write: its kind, its bytes (@data: NULL when written by parts), its count. */
typedef struct {
    guint32 kind;
    const void *data;
    guint64 count, bytes;
} FsimSnapshotOut;

/* The file's layout: its sections, where each starts, the chunks of the data. */
typedef struct {
    const FsimSnapshotOut *sec;
    size_t n_sec;
    guint64 *offsets; /* [n_sec], g_free */
    guint64 data_at, sums_at, size, chunk;
    size_t n_sums;
} FsimSnapshotLayout;

/* The header's numbers. */
typedef struct {
    guint64 n_users, n_edges, n_fields, n_partners, n_groups, seed;
} FsimSnapshotCounts;

/* Where the bytes of the file go: appended to a GString (@target), or written to a stream
 * (a FILE *). FALSE with @error set when a write fails. */
typedef gboolean (*FsimSnapshotEmit) (const void *data, size_t len, void *target, GError **error);
gboolean fsim_i_snapshot_emit_gstring (const void *data, size_t len, void *target, GError **error);
gboolean fsim_i_snapshot_emit_stream (const void *data, size_t len, void *target, GError **error);

/* The NUL-terminated strings @v[0 .. n - 1], one after another (transfer full). */
GString *fsim_i_snapshot_strings (char *const *v, size_t n);
/* Lays out @sec (kept, not copied) as the file places them. Can't fail. */
void fsim_i_snapshot_layout_init (FsimSnapshotLayout *l, const FsimSnapshotOut *sec, size_t n_sec);
/* The header and section table (l->data_at bytes) into @f, with the chunk checksums @sums
 * (8 * l->n_sums bytes, little-endian). */
void fsim_i_snapshot_fill_header (const FsimSnapshotCounts *c, const FsimSnapshotLayout *l,
                                  const char *sums, char *f);
