/* SPDX-License-Identifier: MIT */
/* checksum.c: XXH64 (see checksum.h), following the xxHash specification's steps. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "checksum.h"

#define P1 UINT64_C (0x9E3779B185EBCA87)
#define P2 UINT64_C (0xC2B2AE3D27D4EB4F)
#define P3 UINT64_C (0x165667B19E3779F9)
#define P4 UINT64_C (0x85EBCA77C2B2AE63)
#define P5 UINT64_C (0x27D4EB2F165667C5)

static inline uint64_t
rotl (uint64_t x, int r)
{
    return (x << r) | (x >> (64 - r));
}

/* Little-endian reads at any alignment (memcpy compiles to one load). */
static inline uint64_t
read64 (const unsigned char *p)
{
    uint64_t v;
    memcpy (&v, p, 8);
#if G_BYTE_ORDER == G_BIG_ENDIAN
    v = GUINT64_SWAP_LE_BE (v);
#endif
    return v;
}

static inline uint32_t
read32 (const unsigned char *p)
{
    uint32_t v;
    memcpy (&v, p, 4);
#if G_BYTE_ORDER == G_BIG_ENDIAN
    v = GUINT32_SWAP_LE_BE (v);
#endif
    return v;
}

static inline uint64_t
round64 (uint64_t acc, uint64_t input)
{
    return rotl (acc + input * P2, 31) * P1;
}

static inline uint64_t
merge (uint64_t acc, uint64_t v)
{
    return (acc ^ round64 (0, v)) * P1 + P4;
}

/* The tail of the data after its last 32-byte stripe (@p .. @end, under 32 bytes), then the
 * avalanche: the end both forms share. */
static uint64_t
finish (uint64_t h, const unsigned char *p, const unsigned char *end)
{
    for (; p + 8 <= end; p += 8)
        h = rotl (h ^ round64 (0, read64 (p)), 27) * P1 + P4;
    if (p + 4 <= end) {
        h = rotl (h ^ ((uint64_t) read32 (p) * P1), 23) * P2 + P3;
        p += 4;
    }
    for (; p < end; p++)
        h = rotl (h ^ (*p * P5), 11) * P1;
    /* avalanche */
    h ^= h >> 33;
    h *= P2;
    h ^= h >> 29;
    h *= P3;
    h ^= h >> 32;
    return h;
}

/* The four lanes merged into one, once at least one stripe was read. */
static uint64_t
converge (const uint64_t v[4])
{
    uint64_t h = rotl (v[0], 1) + rotl (v[1], 7) + rotl (v[2], 12) + rotl (v[3], 18);
    return merge (merge (merge (merge (h, v[0]), v[1]), v[2]), v[3]);
}

uint64_t
fsim_checksum64 (const void *data, size_t len, uint64_t seed)
{
    const unsigned char *p = data, *end = p + len;
    uint64_t h;

    if (len >= 32) {
        /* four lanes over 32-byte stripes, then merged */
        uint64_t v[4] = { seed + P1 + P2, seed + P2, seed, seed - P1 };
        const unsigned char *limit = end - 32;
        do {
            v[0] = round64 (v[0], read64 (p));
            v[1] = round64 (v[1], read64 (p + 8));
            v[2] = round64 (v[2], read64 (p + 16));
            v[3] = round64 (v[3], read64 (p + 24));
            p += 32;
        } while (p <= limit);
        h = converge (v);
    } else {
        h = seed + P5;
    }
    return finish (h + (uint64_t) len, p, end);
}

void
fsim_checksum64_init (FsimChecksum64 *c, uint64_t seed)
{
    *c = (FsimChecksum64){ .v = { seed + P1 + P2, seed + P2, seed, seed - P1 }, .seed = seed };
}

static void
stripe (FsimChecksum64 *c, const unsigned char *p)
{
    for (int i = 0; i < 4; i++)
        c->v[i] = round64 (c->v[i], read64 (p + 8 * i));
}

void
fsim_checksum64_update (FsimChecksum64 *c, const void *data, size_t len)
{
    const unsigned char *p = data, *end = p + len;

    if (len == 0)
        return; /* @data may be NULL */
    c->total += len;
    if (c->buffered > 0) { /* fill the stripe begun before */
        size_t take = len < 32 - c->buffered ? len : 32 - c->buffered;
        memcpy (c->buffer + c->buffered, p, take);
        c->buffered += take;
        p += take;
        if (c->buffered < 32)
            return;
        stripe (c, c->buffer);
        c->buffered = 0;
    }
    for (; end - p >= 32; p += 32)
        stripe (c, p);
    memcpy (c->buffer, p, (size_t) (end - p));
    c->buffered = (size_t) (end - p);
}

uint64_t
fsim_checksum64_final (const FsimChecksum64 *c)
{
    uint64_t h = c->total >= 32 ? converge (c->v) : c->seed + P5;
    return finish (h + c->total, c->buffer, c->buffer + c->buffered);
}
