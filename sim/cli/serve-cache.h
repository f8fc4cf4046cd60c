/* SPDX-License-Identifier: MIT */
/* serve-cache.h: answers `flowsim serve` already gave, by request (least recently used out). */
#pragma once

#include <string.h>

#include <glib.h>

typedef struct FsimServeCache FsimServeCache;

/* A cached answer (status 200). Owned by the cache, valid until the next insert. */
typedef struct {
    const char *content_type; /* static */
    GBytes *body;
} FsimServeCached;

/* A cache of at most @max_bytes (keys and bodies); 0 keeps nothing. Can't fail. */
FsimServeCache *fsim_serve_cache_new (gsize max_bytes);
void fsim_serve_cache_free (FsimServeCache *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsimServeCache, fsim_serve_cache_free)

/* The answer for @key, or NULL; makes it the most recently used. */
const FsimServeCached *fsim_serve_cache_lookup (FsimServeCache *c, const char *key);
/* Keeps @body (a new reference is taken) for @key, dropping the least recently used answers
 * to make room; an answer over a quarter of the cache is not kept. */
void fsim_serve_cache_insert (FsimServeCache *c, const char *key, const char *content_type,
                              GBytes *body);
