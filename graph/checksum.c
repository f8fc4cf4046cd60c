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

uint64_t
fsim_checksum64 (const void *data, size_t len, uint64_t seed)
{
    const unsigned char *p = data, *end = p + len;
    uint64_t h;

    if (len >= 32) {
        /* four lanes over 32-byte stripes, then merged */
        uint64_t v1 = seed + P1 + P2, v2 = seed + P2, v3 = seed, v4 = seed - P1;
        const unsigned char *limit = end - 32;
        do {
            v1 = round64 (v1, read64 (p));
            v2 = round64 (v2, read64 (p + 8));
            v3 = round64 (v3, read64 (p + 16));
            v4 = round64 (v4, read64 (p + 24));
            p += 32;
        } while (p <= limit);
        h = rotl (v1, 1) + rotl (v2, 7) + rotl (v3, 12) + rotl (v4, 18);
        h = merge (merge (merge (merge (h, v1), v2), v3), v4);
    } else {
        h = seed + P5;
    }
    h += (uint64_t) len;
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
