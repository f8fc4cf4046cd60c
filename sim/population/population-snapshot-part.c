/* SPDX-License-Identifier: MIT */
/* population-snapshot-part.c: a snapshot written from the ranks' parts of a population, the
 * bytes one process writes from the whole (docs/scaling.md, "Writing a snapshot by parts"). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "bits.h"
#include "checksum.h"
#include "parallel.h"
#include "population-private.h"
#include "population-slice.h"
#include "population-snapshot-private.h"

/*
 * Every byte of a section belongs to one rank: rank r's users' rows of the per-user sections
 * (its friend list offsets, and the last rank the closing one too; its friend lists; its
 * names), rank 0 all of the sections that belong to no user (the texts, the ids, the
 * communities). The padding between sections is zeros, which any rank writes.
 *
 * 1. The ranks gather their row counts, friend-list entries and names' bytes (one all-gather),
 *    so every rank knows the file's layout and which rank holds which bytes.
 * 2. The partners near each user need the partner use of its friends: each rank asks the other
 *    ranks for its ghosts' (one exchange of ids, one of their partner sets), then computes its
 *    users' rows of that section once, as one process does, and frees the ghosts' rows. A
 *    ghost's row is found in constant time: the ghosts are marked in a bit per user, and
 *    counted before each word of 64 users (before, a binary search among the ghosts for every
 *    friend-list entry, twice: for the checksums, then for the bytes sent).
 * 3. Checksums: a 512 KiB chunk whose bytes are all one rank's is hashed by that rank; a chunk
 *    across ranks (a few per section boundary between ranks) is sent to rank 0, which hashes
 *    it. The checksums go to rank 0 (16 bytes per chunk).
 * 4. Rank 0 writes the header, then the data ROUND_CHUNKS chunks at a time: every rank sends
 *    its bytes of those chunks (one exchange to rank 0 per round), rank 0 puts them in place
 *    and writes them; then the checksums. A rank holds at most a round's bytes besides its
 *    part; after each round the ranks learn whether rank 0's write failed, and stop.
 */

#define ROUND_CHUNKS 8  /* chunks per exchange to rank 0: 4 MiB */
#define NEAR_BLOCK 4096 /* users per parallel item of the partners near them */

typedef struct {
    const FsimPopulationSlice *s;
    const FsimComm *comm;
    int rank, size;
    guint64 *bounds; /* [size + 1]: the ranks' first users */
    guint64 *all;    /* [size * G_N_NUMBERS]: what every rank holds (part_init()) */
    guint64 *splits; /* [n_sec * (size + 1)]: rank r's bytes of section k start at
                                  * splits[k * (size + 1) + r] of the section */
    FsimSnapshotOut sec[FSIM_SNAPSHOT_MAX_SECTIONS];
    const void *mine[FSIM_SNAPSHOT_MAX_SECTIONS]; /* this rank's bytes; NULL: computed */
    size_t n_sec;
    FsimSnapshotLayout l;
    FsimSnapshotCounts counts;
    guint64 arcs_before; /* friend-list entries of the users before this rank's */
    /* what this rank writes */
    char *spec;
    GString *fields, *partners;
    char *names; /* its users' names, NUL-terminated, back to back (NULL: none) */
    size_t names_len;
    FsimWord *near; /* its users' rows of the partners near each user */
    /* while those are computed, its ghosts (friends on other ranks): a bit per user of the
     * population, the ghosts before each word of 64 users, and their partner use in
     * increasing order of id */
    FsimWord *ghost_bits;
    guint32 *ghost_before;
    size_t n_ghosts;
    FsimWord *ghost_uses;
} Part;

static void
ghosts_clear (Part *p)
{
    g_clear_pointer (&p->ghost_bits, g_free);
    g_clear_pointer (&p->ghost_before, g_free);
    g_clear_pointer (&p->ghost_uses, g_free);
}

static void
part_clear (Part *p)
{
    g_free (p->bounds);
    g_free (p->all);
    g_free (p->splits);
    g_free (p->l.offsets);
    g_free (p->spec);
    if (p->fields)
        g_string_free (p->fields, TRUE);
    if (p->partners)
        g_string_free (p->partners, TRUE);
    g_free (p->names);
    g_free (p->near);
    ghosts_clear (p);
}

/* FALSE on every rank if @ok is FALSE on any: this rank's error, or that another failed. */
static gboolean
all_ok (const FsimComm *comm, gboolean ok, GError **error)
{
    return fsim_comm_agree (comm, ok, "could not write its part of the snapshot", error);
}

static gboolean
no_memory (GError **error, const char *what, guint64 bytes)
{
    g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_NOMEM,
                 "out of memory writing the snapshot: needed %" G_GUINT64_FORMAT " bytes for %s",
                 bytes, what);
    return FALSE;
}

/* comm->alltoallv(), its error (out of memory for what this rank receives) said of the
 * snapshot. Collective. */
static gboolean
exchange (const Part *p, const void *send, const size_t *counts, void **out_recv,
          size_t *recv_counts, size_t unit, GError **error)
{
    if (p->comm->alltoallv (p->comm, send, counts, out_recv, recv_counts, unit, error))
        return TRUE;
    g_prefix_error (error, "writing the snapshot: ");
    return FALSE;
}

/* The @n strings of @v back to back, each with its NUL, in *@out (*@out_len bytes); FALSE when
 * out of memory. */
static gboolean
strings_tried (char *const *v, size_t n, char **out, size_t *out_len)
{
    size_t len = 0;

    for (size_t i = 0; i < n; i++)
        len += strlen (v[i]) + 1;
    char *b = g_try_malloc (MAX (len, 1));
    *out_len = len;
    if (b == NULL)
        return FALSE;
    for (size_t i = 0, at = 0; i < n; i++) {
        size_t k = strlen (v[i]) + 1;
        memcpy (b + at, v[i], k);
        at += k;
    }
    *out = b;
    return TRUE;
}

/* ---- 1. the layout ------------------------------------------------------------------------ */

enum { G_FIRST, G_N, G_ARCS, G_NAMES_KIND, G_NAMES_BYTES, G_N_NUMBERS };

/* Adds section @kind: @count elements, rank r holding its bytes from splits[r] on (@split,
 * size + 1 entries), this rank's at @mine (NULL: computed). */
static void
add (Part *p, guint32 kind, guint64 count, const guint64 *split, const void *mine)
{
    size_t k = p->n_sec++;

    g_assert (k < FSIM_SNAPSHOT_MAX_SECTIONS);
    memcpy (p->splits + k * ((size_t) p->size + 1), split, ((size_t) p->size + 1) * 8);
    p->sec[k] = (FsimSnapshotOut){ kind, NULL, count, split[p->size] };
    p->mine[k] = mine;
}

/* A section of rank 0's alone, of @bytes. */
static void
add_whole (Part *p, guint32 kind, guint64 count, guint64 bytes, const void *data, guint64 *split)
{
    split[0] = 0;
    for (int r = 1; r <= p->size; r++)
        split[r] = bytes;
    add (p, kind, count, split, p->rank == 0 ? data : NULL);
}

/* A section of @row bytes per user (plus @extra bytes on the last rank). */
static void
add_rows (Part *p, guint32 kind, guint64 per_user, guint64 row, guint64 extra, const void *mine,
          guint64 *split)
{
    guint64 n = p->bounds[p->size];

    for (int r = 0; r <= p->size; r++)
        split[r] = p->bounds[r] * row + (r == p->size ? extra : 0);
    add (p, kind, n * per_user + (extra ? 1 : 0), split, mine);
}

/* The kind of names this rank's users have (0: none). */
static guint64
names_kind (const FsimPopulationSlice *s)
{
    if (s->names != NULL)
        return s->names_are_user_ids ? FSIM_SNAPSHOT_USER_IDS : FSIM_SNAPSHOT_FILE_NAMES;
    return s->file_ids != NULL ? FSIM_SNAPSHOT_FILE_IDS : 0;
}

/* The sections in the order fsim_population_snapshot_write() gives them. */
static void
add_sections (Part *p, const FsimScenario *sc, const guint64 *all)
{
    const FsimPopulationSlice *s = p->s;
    size_t size = (size_t) p->size, pw = s->partner_words * 8;
    g_autofree guint64 *split = g_new (guint64, size + 1);
    guint64 kind = 0;

    add_whole (p, FSIM_SNAPSHOT_SPEC, p->spec ? 1 : 0, p->spec ? strlen (p->spec) + 1 : 0, p->spec,
               split);
    add_whole (p, FSIM_SNAPSHOT_FIELDS, sc->n_fields, p->fields->len, p->fields->str, split);
    add_whole (p, FSIM_SNAPSHOT_PARTNERS, sc->n_partners, p->partners->len, p->partners->str,
               split);
    add_rows (p, FSIM_SNAPSHOT_OFFSETS, 1, 8, 8, NULL, split);
    split[0] = 0;
    for (size_t r = 0; r < size; r++)
        split[r + 1] = split[r] + 4 * all[r * G_N_NUMBERS + G_ARCS];
    add (p, FSIM_SNAPSHOT_ADJ, split[size] / 4, split, s->adj);
    if (s->n_groups > 0)
        add_whole (p, FSIM_SNAPSHOT_GROUPS, s->n_groups + 1, (s->n_groups + 1) * 8,
                   s->group_offsets, split);
    add_rows (p, FSIM_SNAPSHOT_PLATFORM, 1, 1, 0, s->platform, split);
    add_rows (p, FSIM_SNAPSHOT_APPS_OTHERS, s->field_words, s->field_words * 8, 0, s->apps_others,
              split);
    add_rows (p, FSIM_SNAPSHOT_AUDIENCE, s->n_fields, s->n_fields, 0, s->audience, split);
    add_rows (p, FSIM_SNAPSHOT_USES, s->partner_words, pw, 0, s->uses, split);
    for (size_t r = 0; r < size; r++)
        kind = MAX (kind, all[r * G_N_NUMBERS + G_NAMES_KIND]);
    if (kind == FSIM_SNAPSHOT_FILE_IDS) {
        add_rows (p, FSIM_SNAPSHOT_FILE_IDS, 1, 8, 0, s->file_ids, split);
    } else if (kind != 0) {
        split[0] = 0;
        for (size_t r = 0; r < size; r++)
            split[r + 1] = split[r] + all[r * G_N_NUMBERS + G_NAMES_BYTES];
        add (p, (guint32) kind, p->bounds[size], split, p->names);
    }
    add_rows (p, FSIM_SNAPSHOT_NEAR, 2 * s->partner_words, 2 * pw, 0, p->near, split);
}

/* Gathers what every rank holds; the file is laid out once the partners near each user are
 * computed (part_layout()). Collective. */
static gboolean
part_init (Part *p, const FsimScenario *sc, GError **error)
{
    const FsimPopulationSlice *s = p->s;
    size_t size = (size_t) p->size;
    guint64 mine[G_N_NUMBERS] = { s->first, s->n_own, s->offsets[s->n_own], names_kind (s), 0 };
    guint64 arcs = 0;
    g_autofree guint64 *all = g_new (guint64, G_N_NUMBERS * size);

    gboolean ok = s->names == NULL || strings_tried (s->names, s->n_own, &p->names, &p->names_len);
    if (!ok)
        no_memory (error, "the users' names", p->names_len);
    mine[G_NAMES_BYTES] = p->names_len;
    if (!all_ok (p->comm, ok, error) ||
        !p->comm->allgatherv (p->comm, mine, G_N_NUMBERS, all, 8, error))
        return FALSE;
    p->bounds = g_new (guint64, size + 1);
    for (size_t r = 0; r < size; r++) {
        p->bounds[r] = all[r * G_N_NUMBERS + G_FIRST];
        if (r > 0 && p->bounds[r] != p->bounds[r - 1] + all[(r - 1) * G_N_NUMBERS + G_N])
            g_return_val_if_reached (FALSE); /* the slices must follow each other */
        if ((int) r < p->rank)
            p->arcs_before += all[r * G_N_NUMBERS + G_ARCS];
        arcs += all[r * G_N_NUMBERS + G_ARCS];
    }
    p->bounds[size] = p->bounds[size - 1] + all[(size - 1) * G_N_NUMBERS + G_N];
    g_return_val_if_fail (p->bounds[0] == 0 && p->bounds[size] == s->n_total, FALSE);
    p->counts = (FsimSnapshotCounts){ .n_users = s->n_total,
                                      .n_edges = arcs / 2,
                                      .n_fields = sc->n_fields,
                                      .n_partners = sc->n_partners,
                                      .n_groups = s->n_groups,
                                      .seed = sc->seed };

    /* a snapshot of a snapshot keeps the text it was saved from */
    p->spec = fsim_population_spec_text (sc);
    if (p->spec == NULL && s->spec != NULL)
        p->spec = g_strdup (s->spec);
    g_autofree const char **ids = g_new0 (const char *, MAX (sc->n_fields, sc->n_partners) + 1);
    for (size_t f = 0; f < sc->n_fields; f++)
        ids[f] = sc->fields[f].id;
    p->fields = fsim_i_snapshot_strings ((char *const *) ids, sc->n_fields);
    for (size_t q = 0; q < sc->n_partners; q++)
        ids[q] = sc->partners[q].id;
    p->partners = fsim_i_snapshot_strings ((char *const *) ids, sc->n_partners);

    p->all = g_steal_pointer (&all);
    return TRUE;
}

/* Lays out the file, once this rank's rows of every section are known. */
static void
part_layout (Part *p, const FsimScenario *sc)
{
    p->splits = g_new (guint64, FSIM_SNAPSHOT_MAX_SECTIONS * ((size_t) p->size + 1));
    add_sections (p, sc, p->all);
    fsim_i_snapshot_layout_init (&p->l, p->sec, p->n_sec);
}

/* ---- 2. the partners near each user -------------------------------------------------------- */

static int
owner_of (const Part *p, guint64 v)
{
    int lo = 0, hi = p->size - 1;

    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (p->bounds[mid] <= v)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

static gboolean
is_own (const Part *p, guint64 v)
{
    return v >= p->s->first && v < p->s->first + p->s->n_own;
}

/* The ghosts marked in a bit per user of the population, and counted before each word of 64
 * users; FALSE with @error set when out of memory (this rank's alone). */
static gboolean
find_ghosts (Part *p, GError **error)
{
    const FsimPopulationSlice *s = p->s;
    size_t n_arcs = s->offsets[s->n_own], n_words = s->n_total / FSIM_WORD_BITS + 1;

    p->ghost_bits = g_try_new0 (FsimWord, n_words);
    p->ghost_before = p->ghost_bits ? g_try_new (guint32, n_words) : NULL;
    if (p->ghost_before == NULL)
        return no_memory (error, "a bit per user, to find the friends on other ranks",
                          12 * (guint64) n_words);
    for (size_t a = 0; a < n_arcs; a++)
        if (!is_own (p, s->adj[a]))
            fsim_bits_set (p->ghost_bits, s->adj[a]);
    for (size_t w = 0; w < n_words; w++) {
        p->ghost_before[w] = (guint32) p->n_ghosts;
        p->n_ghosts += fsim_word_popcount (p->ghost_bits[w]);
    }
    return TRUE;
}

/* The ghosts' ids, increasing, in a new array of n_ghosts (NULL when out of memory). */
static uint32_t *
ghost_ids (const Part *p)
{
    size_t n_words = p->s->n_total / FSIM_WORD_BITS + 1, k = 0;
    uint32_t *ids = g_try_new (uint32_t, MAX (p->n_ghosts, 1));

    for (size_t v = fsim_bits_next (p->ghost_bits, n_words, 0); ids != NULL && v != SIZE_MAX;
         v = fsim_bits_next (p->ghost_bits, n_words, v + 1))
        ids[k++] = (uint32_t) v;
    return ids;
}

/* Asks each ghost's owner for its partner use, into p->ghost_uses (two exchanges).
 * Collective. */
static gboolean
fetch_ghosts (Part *p, GError **error)
{
    const FsimPopulationSlice *s = p->s;
    size_t size = (size_t) p->size, row = s->partner_words * sizeof (FsimWord);
    g_autofree size_t *counts = g_new0 (size_t, size), *asked = g_new0 (size_t, size);
    g_autofree size_t *got = g_new0 (size_t, size);
    g_autofree uint32_t *mine = NULL, *ids = NULL;
    g_autofree FsimWord *rows = NULL;
    size_t n_asked = 0;

    gboolean ok = find_ghosts (p, error);
    if (ok && (mine = ghost_ids (p)) == NULL)
        ok = no_memory (error, "the ids of the friends on other ranks", 4 * (guint64) p->n_ghosts);
    if (!all_ok (p->comm, ok, error))
        return FALSE;
    for (size_t i = 0; i < p->n_ghosts; i++)
        counts[owner_of (p, mine[i])]++;
    if (!exchange (p, mine, counts, (void **) &ids, asked, 4, error))
        return FALSE;
    g_clear_pointer (&mine, g_free);
    for (size_t r = 0; r < size; r++)
        n_asked += asked[r];
    rows = g_try_malloc (MAX (n_asked * row, 1));
    if (rows == NULL)
        no_memory (error, "the partner use other ranks need", n_asked * row);
    if (!all_ok (p->comm, rows != NULL, error))
        return FALSE;
    for (size_t i = 0; i < n_asked; i++)
        memcpy ((char *) rows + i * row, (const char *) s->uses + (ids[i] - s->first) * row, row);
    return exchange (p, rows, asked, (void **) &p->ghost_uses, got, row, error);
}

/* The partner use of user @v, this rank's or a ghost: the ghost's row is the number of ghosts
 * before it, counted from its word of p->ghost_bits. */
static const FsimWord *
uses_of (const Part *p, uint32_t v)
{
    size_t pw = p->s->partner_words;

    if (is_own (p, v))
        return p->s->uses + (v - p->s->first) * pw;
    size_t w = v / FSIM_WORD_BITS;
    FsimWord below = p->ghost_bits[w] & (((FsimWord) 1 << (v % FSIM_WORD_BITS)) - 1);
    size_t k = p->ghost_before[w] + fsim_word_popcount (below);
    g_assert (k < p->n_ghosts);
    return p->ghost_uses + k * pw;
}

/* The partners near this rank's users of block @b (NEAR_BLOCK users), as
 * fsim_population_near() computes them. */
static void
near_block (size_t b, unsigned worker, void *data)
{
    Part *p = data;
    const FsimPopulationSlice *s = p->s;
    size_t pw = s->partner_words;

    (void) worker;
    for (size_t i = b * NEAR_BLOCK; i < MIN ((b + 1) * NEAR_BLOCK, s->n_own); i++) {
        FsimWord *one = p->near + 2 * pw * i, *two = one + pw;
        memset (one, 0, 2 * pw * sizeof (FsimWord));
        for (size_t a = s->offsets[i]; a < s->offsets[i + 1]; a++) {
            const FsimWord *x = uses_of (p, s->adj[a]);
            for (size_t w = 0; w < pw; w++) {
                two[w] |= one[w] & x[w];
                one[w] |= x[w];
            }
        }
    }
}

/* This rank's rows of the partners near each user, in p->near; the ghosts freed. Collective. */
static gboolean
compute_near (Part *p, GError **error)
{
    const FsimPopulationSlice *s = p->s;
    guint64 bytes = 2 * (guint64) s->partner_words * sizeof (FsimWord) * s->n_own;

    if (!fetch_ghosts (p, error))
        return FALSE;
    p->near = g_try_malloc (MAX (bytes, 1));
    if (p->near == NULL)
        no_memory (error, "the partners near this rank's users", bytes);
    if (!all_ok (p->comm, p->near != NULL, error))
        return FALSE;
    size_t n_blocks = (s->n_own + NEAR_BLOCK - 1) / NEAR_BLOCK;
    fsim_parallel_for (n_blocks, fsim_parallel_workers (0, n_blocks), near_block, p, NULL, NULL);
    ghosts_clear (p);
    return TRUE;
}

/* ---- this rank's bytes --------------------------------------------------------------------- */

/* The global row start of this rank's user @i (the friend list offsets), into @out. */
static void
element (const Part *p, size_t i, char *out)
{
    guint64 v = GUINT64_TO_LE ((guint64) p->s->offsets[i] + p->arcs_before);

    memcpy (out, &v, 8);
}

/* Bytes @off .. @off + @len - 1 of this rank's part of section @k, into @dst. */
static void
my_bytes (const Part *p, size_t k, guint64 off, guint64 len, char *dst)
{
    if (len == 0)
        return;
    if (p->mine[k] != NULL) {
        memcpy (dst, (const char *) p->mine[k] + off, len);
        return;
    }
    const size_t elem = 8; /* the friend list offsets, the one section computed */
    char tmp[8];
    g_assert (p->sec[k].kind == FSIM_SNAPSHOT_OFFSETS);
    for (guint64 i = off / elem; i * elem < off + len; i++) {
        guint64 a = MAX (off, i * elem), b = MIN (off + len, (i + 1) * elem);
        element (p, (size_t) i, tmp);
        memcpy (dst + (a - off), tmp + (a - i * elem), b - a);
    }
}

/* Calls @fn for every piece of the file's bytes @from .. @to - 1 holding data, in file order:
 * @len bytes at @at of section @k, rank @r's from @off of its part. */
typedef void (*PieceFunc) (const Part *p, size_t k, int r, guint64 at, guint64 off, guint64 len,
                           void *data);

static void
for_pieces (const Part *p, guint64 from, guint64 to, PieceFunc fn, void *data)
{
    size_t stride = (size_t) p->size + 1;

    for (size_t k = 0; k < p->n_sec; k++) {
        guint64 start = p->l.offsets[k];
        guint64 a = MAX (start, from), b = MIN (start + p->sec[k].bytes, to);
        const guint64 *split = p->splits + k * stride;
        int r = 0;
        while (a < b && split[r + 1] <= a - start) /* rank r's bytes hold a */
            r++;
        for (; a < b; r++) {
            guint64 e = MIN (b, start + split[r + 1]);
            if (e > a)
                fn (p, k, r, a, a - start - split[r], e - a, data);
            a = MAX (a, e);
        }
    }
}

/* ---- 3. the checksums ---------------------------------------------------------------------- */

typedef struct {
    int owner; /* -1: none yet; -2: several */
} Owner;

static void
note_owner (const Part *p, size_t k, int r, guint64 at, guint64 off, guint64 len, void *data)
{
    Owner *o = data;

    (void) p, (void) k, (void) at, (void) off, (void) len;
    o->owner = o->owner == -1 || o->owner == r ? r : -2;
}

/* The rank that holds every byte of chunk @i, 0 for one of padding alone, -2 for several. */
static int
chunk_owner (const Part *p, size_t i)
{
    guint64 from = p->l.data_at + i * p->l.chunk, to = MIN (from + p->l.chunk, p->l.sums_at);
    Owner o = { -1 };

    for_pieces (p, from, to, note_owner, &o);
    return o.owner == -1 ? 0 : o.owner;
}

typedef struct {
    char *dst;
    guint64 base;
} Fill;

static void
fill_mine (const Part *p, size_t k, int r, guint64 at, guint64 off, guint64 len, void *data)
{
    Fill *f = data;

    g_assert (r == p->rank);
    my_bytes (p, k, off, len, f->dst + (at - f->base));
}

typedef struct {
    const Part *p;
    const int *owners;
    const size_t *items; /* the chunks this rank hashes */
    guint64 *sums;       /* per item */
    char **buffers;      /* per worker */
} Hashing;

static void
hash_item (size_t j, unsigned worker, void *data)
{
    Hashing *h = data;
    const Part *p = h->p;
    size_t i = h->items[j];
    guint64 from = p->l.data_at + i * p->l.chunk, to = MIN (from + p->l.chunk, p->l.sums_at);
    Fill f = { h->buffers[worker], from };

    memset (f.dst, 0, to - from);
    for_pieces (p, from, to, fill_mine, &f);
    h->sums[j] = fsim_checksum64 (f.dst, to - from, 0);
}

/* This rank's chunks hashed, as (chunk, checksum) pairs in *@out_pairs (*@out_n of them).
 * FALSE when out of memory. */
static gboolean
hash_own (const Part *p, const int *owners, guint64 **out_pairs, size_t *out_n, GError **error)
{
    g_autofree size_t *items = g_try_new (size_t, p->l.n_sums + 1);
    size_t n = 0;

    if (items == NULL)
        return no_memory (error, "the chunks' numbers", 8 * (guint64) p->l.n_sums);
    for (size_t i = 0; i < p->l.n_sums; i++)
        if (owners[i] == p->rank)
            items[n++] = i;
    unsigned workers = fsim_parallel_workers (0, n);
    g_autofree guint64 *sums = g_try_new (guint64, n + 1);
    g_autofree guint64 *pairs = g_try_new (guint64, 2 * n + 1);
    g_autofree char **buffers = g_new0 (char *, workers + 1);
    gboolean ok = sums != NULL && pairs != NULL;
    for (unsigned w = 0; ok && w < workers; w++)
        ok = (buffers[w] = g_try_malloc (p->l.chunk)) != NULL;
    if (ok) {
        Hashing h = { p, owners, items, sums, buffers };
        fsim_parallel_for (n, workers, hash_item, &h, NULL, NULL);
        for (size_t j = 0; j < n; j++) {
            pairs[2 * j] = items[j];
            pairs[2 * j + 1] = sums[j];
        }
    }
    for (unsigned w = 0; w < workers; w++)
        g_free (buffers[w]);
    if (!ok)
        return no_memory (error, "hashing the chunks", (guint64) workers * p->l.chunk);
    *out_pairs = g_steal_pointer (&pairs);
    *out_n = n;
    return TRUE;
}

/* ---- sending ranges to rank 0 -------------------------------------------------------------- */

typedef struct {
    char *buf;
    size_t len;
} Pack;

static void
pack_mine (const Part *p, size_t k, int r, guint64 at, guint64 off, guint64 len, void *data)
{
    Pack *pk = data;

    (void) at;
    if (r != p->rank)
        return;
    my_bytes (p, k, off, len, pk->buf + pk->len);
    pk->len += len;
}

typedef struct {
    const char *recv;
    size_t *cursor; /* per rank: where its next bytes are in @recv */
    char *dst;
    guint64 base;
} Place;

static void
place (const Part *p, size_t k, int r, guint64 at, guint64 off, guint64 len, void *data)
{
    Place *pl = data;

    (void) p, (void) k, (void) off;
    memcpy (pl->dst + (at - pl->base), pl->recv + pl->cursor[r], len);
    pl->cursor[r] += len;
}

/* Rank 0 gets the file's bytes of the @n ranges @ranges[2j] .. @ranges[2j + 1] - 1 (at most a
 * round's in all), back to back in @dst (rank 0's; the others' NULL); every rank sends its own
 * from @send (a round's room). Collective; FALSE on every rank when the exchange fails. */
static gboolean
gather_ranges (const Part *p, const guint64 *ranges, size_t n, char *send, char *dst,
               GError **error)
{
    size_t size = (size_t) p->size;
    g_autofree size_t *counts = g_new0 (size_t, size), *got = g_new0 (size_t, size);
    g_autofree size_t *cursor = g_new0 (size_t, size);
    g_autofree char *recv = NULL;
    Pack pk = { send, 0 };

    for (size_t j = 0; j < n; j++)
        for_pieces (p, ranges[2 * j], ranges[2 * j + 1], pack_mine, &pk);
    counts[0] = pk.len;
    if (!exchange (p, send, counts, (void **) &recv, got, 1, error))
        return FALSE;
    if (p->rank != 0)
        return TRUE;
    for (size_t r = 1; r < size; r++)
        cursor[r] = cursor[r - 1] + got[r - 1];
    Place pl = { recv, cursor, dst, 0 };
    for (size_t j = 0; j < n; j++) {
        memset (pl.dst, 0, ranges[2 * j + 1] - ranges[2 * j]);
        pl.base = ranges[2 * j];
        for_pieces (p, ranges[2 * j], ranges[2 * j + 1], place, &pl);
        pl.dst += ranges[2 * j + 1] - ranges[2 * j];
    }
    return TRUE;
}

/* Every chunk's checksum, on rank 0 into @sums (8 bytes each, little-endian; the others' is
 * NULL). Collective. */
static gboolean
checksums (const Part *p, char *send, char *dst, char *sums, GError **error)
{
    g_autofree int *owners = g_try_new (int, p->l.n_sums + 1);
    g_autofree guint64 *pairs = NULL, *got = NULL;
    g_autofree size_t *counts = g_new0 (size_t, (size_t) p->size);
    g_autofree size_t *recv_counts = g_new0 (size_t, (size_t) p->size);
    guint64 ranges[2 * ROUND_CHUNKS], mixed[ROUND_CHUNKS];
    size_t n_pairs = 0, n_mixed = 0;

    if (owners == NULL)
        no_memory (error, "the chunks' owners", 4 * (guint64) p->l.n_sums);
    if (!all_ok (p->comm, owners != NULL, error))
        return FALSE;
    for (size_t i = 0; i < p->l.n_sums; i++)
        owners[i] = chunk_owner (p, i);
    if (!all_ok (p->comm, hash_own (p, owners, &pairs, &n_pairs, error), error))
        return FALSE;
    counts[0] = n_pairs;
    if (!exchange (p, pairs, counts, (void **) &got, recv_counts, 16, error))
        return FALSE;
    if (p->rank == 0) {
        size_t n_got = 0;
        for (int r = 0; r < p->size; r++)
            n_got += recv_counts[r];
        for (size_t j = 0; j < n_got; j++) {
            guint64 v = GUINT64_TO_LE (got[2 * j + 1]);
            memcpy (sums + 8 * got[2 * j], &v, 8);
        }
    }
    /* the chunks across ranks, a round at a time, hashed by rank 0 */
    for (size_t i = 0; i <= p->l.n_sums; i++) {
        if (i < p->l.n_sums && owners[i] == -2) {
            guint64 from = p->l.data_at + i * p->l.chunk;
            ranges[2 * n_mixed] = from;
            ranges[2 * n_mixed + 1] = MIN (from + p->l.chunk, p->l.sums_at);
            mixed[n_mixed++] = i;
        }
        if (n_mixed == 0 || (n_mixed < ROUND_CHUNKS && i < p->l.n_sums))
            continue;
        if (!gather_ranges (p, ranges, n_mixed, send, dst, error))
            return FALSE;
        for (size_t j = 0, at = 0; p->rank == 0 && j < n_mixed; j++) {
            guint64 len = ranges[2 * j + 1] - ranges[2 * j];
            guint64 v = GUINT64_TO_LE (fsim_checksum64 (dst + at, len, 0));
            memcpy (sums + 8 * mixed[j], &v, 8);
            at += len;
        }
        n_mixed = 0;
    }
    return TRUE;
}

/* ---- 4. writing ---------------------------------------------------------------------------- */

static gboolean
write_part (const FsimScenario *sc, const FsimPopulationSlice *s, const FsimComm *comm,
            FsimSnapshotEmit emit, void *target, GError **error)
{
    Part p = { .s = s, .comm = comm, .rank = comm->rank, .size = comm->size };
    gboolean ok = part_init (&p, sc, error) && compute_near (&p, error);
    g_autofree char *send = NULL, *dst = NULL, *sums = NULL, *header = NULL;
    guint64 round = 0;

    if (ok) {
        part_layout (&p, sc);
        round = ROUND_CHUNKS * p.l.chunk;
        send = g_try_malloc (round);
        if (comm->rank == 0) {
            dst = g_try_malloc (round);
            sums = g_try_malloc0 (8 * p.l.n_sums + 8);
            header = g_try_malloc (p.l.data_at);
        }
        gboolean have = send != NULL && (comm->rank != 0 || (dst && sums && header));
        if (!have)
            no_memory (error,
                       comm->rank == 0 ? "the bytes of a round, the checksums and the header"
                                       : "the bytes of a round",
                       round + (comm->rank == 0 ? round + 8 * p.l.n_sums + p.l.data_at : 0));
        ok = all_ok (comm, have, error);
    }
    ok = ok && checksums (&p, send, dst, sums, error);
    gboolean written = TRUE; /* rank 0's writes so far */
    if (ok && comm->rank == 0) {
        fsim_i_snapshot_fill_header (&p.counts, &p.l, sums, header);
        written = emit (header, p.l.data_at, target, error);
    }
    for (guint64 from = p.l.data_at; ok && from < p.l.sums_at; from += round) {
        guint64 range[2] = { from, MIN (from + round, p.l.sums_at) };
        ok = all_ok (comm, written, error) && gather_ranges (&p, range, 1, send, dst, error);
        /* chunk by chunk, as one process writes them */
        for (guint64 at = range[0]; ok && comm->rank == 0 && written && at < range[1];
             at += p.l.chunk)
            written = emit (dst + (at - from), MIN (p.l.chunk, range[1] - at), target, error);
    }
    if (ok && comm->rank == 0 && written)
        written = emit (sums, 8 * p.l.n_sums, target, error);
    ok = ok && all_ok (comm, written, error);
    part_clear (&p);
    return ok;
}

/**
 * fsim_population_snapshot_write_part:
 * See population-slice.h.
 */
gboolean
fsim_population_snapshot_write_part (const FsimScenario *scenario, const FsimPopulationSlice *slice,
                                     const FsimComm *comm, GString *out, GError **error)
{
    g_return_val_if_fail (scenario != NULL && slice != NULL && comm != NULL, FALSE);
    g_return_val_if_fail ((comm->rank == 0) == (out != NULL), FALSE);
    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
    size_t len = out ? out->len : 0;
    if (!fsim_i_snapshot_host_supported (error))
        return FALSE;
    if (write_part (scenario, slice, comm, fsim_i_snapshot_emit_gstring, out, error))
        return TRUE;
    if (out != NULL)
        g_string_truncate (out, len);
    return FALSE;
}

/**
 * fsim_population_snapshot_save_part:
 * See population-slice.h.
 */
gboolean
fsim_population_snapshot_save_part (const FsimScenario *scenario, const FsimPopulationSlice *slice,
                                    const FsimComm *comm, FILE *out, GError **error)
{
    g_return_val_if_fail (scenario != NULL && slice != NULL && comm != NULL, FALSE);
    g_return_val_if_fail ((comm->rank == 0) == (out != NULL), FALSE);
    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
    if (!fsim_i_snapshot_host_supported (error))
        return FALSE;
    return write_part (scenario, slice, comm, fsim_i_snapshot_emit_stream, out, error);
}
