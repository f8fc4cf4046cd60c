/* SPDX-License-Identifier: MIT */
/* memory.h: how much memory this process may use, to refuse work that would not fit. */
#pragma once

#include <glib.h>

/**
 * fsim_memory_limit:
 * The bytes this process can expect to use: the smallest of the physical memory, the cgroup
 * (v2 or v1) memory limit and RLIMIT_AS, whichever are known; G_MAXUINT64 if none is. The
 * environment variable FLOWSIM_MEMORY_LIMIT (bytes, or with a K, M or G suffix) lowers it,
 * for tests and shared machines. Can't fail; computed once.
 */
guint64 fsim_memory_limit (void);

/**
 * fsim_try_new0:
 * @n, @size: @n elements of @size bytes (0 elements allocate one, so that NULL means failure)
 * @what: (nullable): what the memory is for, for the message ("the decisions of 4096 partners")
 *
 * The allocations whose size comes from the input are tried, not assumed (GLib's g_new aborts
 * by design): zeroed memory, or NULL with FSIM_GRAPH_ERROR_NOMEM "out of memory: needed N
 * bytes for @what" when the system refuses it or @n x @size overflows.
 * Returns: (transfer full) (nullable): the memory, to free with g_free().
 */
gpointer fsim_try_new0 (size_t n, size_t size, const char *what, GError **error);
/* The same, not zeroed. */
gpointer fsim_try_new (size_t n, size_t size, const char *what, GError **error);
/* @mem resized to @n elements of @size bytes, or NULL (@mem unchanged) when out of memory. */
gpointer fsim_try_renew (gpointer mem, size_t n, size_t size);
/* Sets FSIM_GRAPH_ERROR_NOMEM "out of memory: needed N bytes for @what" (N = @n x @size, or
 * "more than 2^64" when that overflows) and returns NULL. */
gpointer fsim_set_out_of_memory (size_t n, size_t size, const char *what, GError **error);
