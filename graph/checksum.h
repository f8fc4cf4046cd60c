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
