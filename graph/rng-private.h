/* SPDX-License-Identifier: MIT */
/* rng-private.h: xoshiro256** seeded through splitmix64, the generators' own PRNG. */
#pragma once

#include <math.h>
#include <stdint.h>

/*
 * The generators draw from their own small PRNG rather than igraph's process-wide one, so that
 * independent streams can run on several threads: a stream is keyed by (seed, phase, index),
 * e.g. one stream per block of users, and a block's draws never depend on which thread ran it
 * or on any other block. xoshiro256** (Blackman and Vigna, https://prng.di.unimi.it/) is fast
 * and statistically strong; its state is filled by splitmix64 as its authors recommend.
 */
typedef struct {
    uint64_t s[4];
} FsimRng;

static inline uint64_t
fsim_i_splitmix64 (uint64_t *x)
{
    uint64_t z = (*x += UINT64_C (0x9e3779b97f4a7c15));

    z = (z ^ (z >> 30)) * UINT64_C (0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C (0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* A stream keyed by (seed, phase, index): different keys give unrelated streams. */
static inline void
fsim_i_rng_init (FsimRng *r, uint64_t seed, uint64_t phase, uint64_t index)
{
    uint64_t x = seed;

    x = fsim_i_splitmix64 (&x) ^ (phase * UINT64_C (0xd1b54a32d192ed03));
    x = fsim_i_splitmix64 (&x) ^ (index * UINT64_C (0x8cb92ba72f3d8dd7));
    for (int i = 0; i < 4; i++)
        r->s[i] = fsim_i_splitmix64 (&x);
}

static inline uint64_t
fsim_i_rng_rotl (uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static inline uint64_t
fsim_i_rng_next (FsimRng *r)
{
    uint64_t *s = r->s;
    uint64_t result = fsim_i_rng_rotl (s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;

    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = fsim_i_rng_rotl (s[3], 45);
    return result;
}

/* Uniform in [0, 1), 53 bits. */
static inline double
fsim_i_rng_double (FsimRng *r)
{
    return (double) (fsim_i_rng_next (r) >> 11) * 0x1.0p-53;
}

/* Uniform in 0 .. bound - 1 (1 <= bound <= 2^32), by Lemire's multiply-shift on the top 32
 * bits (bias < bound / 2^32, immaterial for the generators). */
static inline uint32_t
fsim_i_rng_below (FsimRng *r, uint64_t bound)
{
    return (uint32_t) (((fsim_i_rng_next (r) >> 32) * bound) >> 32);
}

/* Uniform in 0 .. bound - 1 (1 <= bound <= 2^64 - 1): Lemire's below 2^32, else by rejection
 * under the next power of two. */
static inline uint64_t
fsim_i_rng_below64 (FsimRng *r, uint64_t bound)
{
    if (bound <= (UINT64_C (1) << 32))
        return fsim_i_rng_below (r, bound);
    uint64_t mask = bound - 1;
    for (int s = 1; s < 64; s *= 2)
        mask |= mask >> s;
    for (;;) {
        uint64_t x = fsim_i_rng_next (r) & mask;
        if (x < bound)
            return x;
    }
}

/* Standard normal deviate by the Box-Muller transform (one of the pair is discarded). */
static inline double
fsim_i_rng_normal (FsimRng *r)
{
    double u1 = 1.0 - fsim_i_rng_double (r); /* (0, 1]: log is finite */
    double u2 = fsim_i_rng_double (r);

    return sqrt (-2.0 * log (u1)) * cos (6.283185307179586 * u2);
}
