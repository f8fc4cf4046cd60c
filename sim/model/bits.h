/* SPDX-License-Identifier: MIT */
/* bits.h: fixed-width bit sets over partners or fields, the engine's unit of parallelism. */
#pragma once

#include <stdint.h>
#include <string.h>

#include <glib.h>

/*
 * A bit set is a plain array of 64-bit words whose length the owner knows (the model keeps
 * the word counts for partners and fields). Nothing here allocates except fsim_bits_new().
 */
typedef uint64_t FsimWord;

#define FSIM_WORD_BITS 64
#define FSIM_BITS_WORDS(n) (((n) + FSIM_WORD_BITS - 1) / FSIM_WORD_BITS)

static inline FsimWord *
fsim_bits_new (size_t n_words)
{
    return g_new0 (FsimWord, n_words ? n_words : 1);
}

static inline void
fsim_bits_set (FsimWord *b, size_t i)
{
    b[i / FSIM_WORD_BITS] |= (FsimWord) 1 << (i % FSIM_WORD_BITS);
}

static inline void
fsim_bits_clear_bit (FsimWord *b, size_t i)
{
    b[i / FSIM_WORD_BITS] &= ~((FsimWord) 1 << (i % FSIM_WORD_BITS));
}

static inline int
fsim_bits_get (const FsimWord *b, size_t i)
{
    return (int) ((b[i / FSIM_WORD_BITS] >> (i % FSIM_WORD_BITS)) & 1u);
}

/* Sets bits 0 to @n - 1. */
static inline void
fsim_bits_set_first (FsimWord *b, size_t n)
{
    for (size_t w = 0; w < n / FSIM_WORD_BITS; w++)
        b[w] = ~(FsimWord) 0;
    if (n % FSIM_WORD_BITS)
        b[n / FSIM_WORD_BITS] |= ((FsimWord) 1 << (n % FSIM_WORD_BITS)) - 1;
}

/* Are bits 0 to @n - 1 all set? */
static inline int
fsim_bits_all_first (const FsimWord *b, size_t n)
{
    for (size_t w = 0; w < n / FSIM_WORD_BITS; w++)
        if (b[w] != ~(FsimWord) 0)
            return 0;
    FsimWord tail = ((FsimWord) 1 << (n % FSIM_WORD_BITS)) - 1;
    return n % FSIM_WORD_BITS == 0 || (b[n / FSIM_WORD_BITS] & tail) == tail;
}

static inline void
fsim_bits_zero (FsimWord *b, size_t n_words)
{
    memset (b, 0, n_words * sizeof *b);
}

static inline void
fsim_bits_or (FsimWord *dst, const FsimWord *src, size_t n_words)
{
    for (size_t w = 0; w < n_words; w++)
        dst[w] |= src[w];
}

static inline int
fsim_bits_any (const FsimWord *b, size_t n_words)
{
    for (size_t w = 0; w < n_words; w++)
        if (b[w])
            return 1;
    return 0;
}

static inline int
fsim_bits_intersects (const FsimWord *a, const FsimWord *b, size_t n_words)
{
    for (size_t w = 0; w < n_words; w++)
        if (a[w] & b[w])
            return 1;
    return 0;
}

/* The bits set in @x. Without a popcount instruction in the target (-mpopcnt), GCC calls a
 * library function for __builtin_popcountll; the SWAR count (Hacker's Delight, 5-1) is faster
 * than the call. The one popcount of flowsim. */
static inline size_t
fsim_word_popcount (FsimWord x)
{
#ifdef __POPCNT__
    return (size_t) __builtin_popcountll (x);
#else
    x = x - ((x >> 1) & UINT64_C (0x5555555555555555));
    x = (x & UINT64_C (0x3333333333333333)) + ((x >> 2) & UINT64_C (0x3333333333333333));
    x = (x + (x >> 4)) & UINT64_C (0x0F0F0F0F0F0F0F0F);
    return (size_t) ((x * UINT64_C (0x0101010101010101)) >> 56);
#endif
}

static inline size_t
fsim_bits_count (const FsimWord *b, size_t n_words)
{
    size_t n = 0;
    for (size_t w = 0; w < n_words; w++)
        n += fsim_word_popcount (b[w]);
    return n;
}

/* Iterate set bits: for (size_t i = fsim_bits_next (b, nw, 0); i != SIZE_MAX; i = fsim_bits_next (b, nw, i + 1)) */
static inline size_t
fsim_bits_next (const FsimWord *b, size_t n_words, size_t from)
{
    size_t w = from / FSIM_WORD_BITS;
    if (w >= n_words)
        return SIZE_MAX;
    FsimWord cur = b[w] & (~(FsimWord) 0 << (from % FSIM_WORD_BITS));
    for (;;) {
        if (cur)
            return w * FSIM_WORD_BITS + (size_t) __builtin_ctzll (cur);
        if (++w >= n_words)
            return SIZE_MAX;
        cur = b[w];
    }
}
