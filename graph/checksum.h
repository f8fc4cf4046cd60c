/* SPDX-License-Identifier: MIT */
/* checksum.h: XXH64, a fast non-cryptographic 64-bit checksum for files flowsim writes. */
#pragma once

#include <stddef.h>
#include <stdint.h>

/**
 * fsim_checksum64:
 * @data: (nullable): @len bytes (NULL only with @len 0)
 * @seed: 0 for the file formats of docs/format.md
 *
 * XXH64 (Yann Collet's xxHash, the 64-bit variant, as its specification defines it), written
 * out here because GLib's GChecksum offers only cryptographic digests, several times slower
 * than a disk (a population snapshot is checked each time it is loaded). It detects
 * corruption and truncation, not deliberate forgery. Can't fail.
 */
uint64_t fsim_checksum64 (const void *data, size_t len, uint64_t seed);

/**
 * FsimChecksum64:
 * The same XXH64 fed piece by piece, for data that is never in memory in one piece (a
 * scenario's listed users, checksummed user by user): fsim_checksum64_init(), then
 * fsim_checksum64_update() for each piece in order, then fsim_checksum64_final() gives what
 * fsim_checksum64() gives for the pieces put end to end. On the stack; nothing to free.
 */
typedef struct {
    uint64_t v[4], seed, total;
    unsigned char buffer[32];
    size_t buffered;
} FsimChecksum64;

void fsim_checksum64_init (FsimChecksum64 *c, uint64_t seed);
void fsim_checksum64_update (FsimChecksum64 *c, const void *data, size_t len);
uint64_t fsim_checksum64_final (const FsimChecksum64 *c);
