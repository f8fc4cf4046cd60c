/* SPDX-License-Identifier: MIT */
/* memory.h: how much memory this process may use, to refuse work that would not fit. */
#pragma once

#include <glib.h>

/**
 * fsim_memory_limit:
 * The bytes this process can expect to use: the smallest of the physical memory, the cgroup
 * (v2 or v1) memory limit and the caller's cap (fsim_memory_set_limit()), divided among the
 * processes that share the machine (fsim_memory_set_share(): MPI ranks on one node), and
 * RLIMIT_AS, the process's own; G_MAXUINT64 if none is known. Can't fail; the machine's part
 * is computed once.
 */
guint64 fsim_memory_limit (void);

/**
 * fsim_memory_set_share:
 * @n: the processes of this machine that share its memory and the caller's cap, this one
 *   included (1, the default: alone; 0 is taken as 1)
 *
 * Makes fsim_memory_limit() this process's part of the machine: under mpirun, each rank of a
 * node gets 1/@n of its memory (sim/cli/cli-mpi.c counts the ranks of the node). Call it
 * before starting work on other threads.
 */
void fsim_memory_set_share (guint n);
/**
 * fsim_memory_whose:
 * The limit that gives fsim_memory_limit(), with its verb, for the messages that refuse work by
 * it ("… more than %s (SIZE)"): "this machine can give" (its physical memory), "this machine's
 * cgroup memory limit allows", the caller's cap by the name fsim_memory_set_limit() was given
 * ("FLOWSIM_MEMORY_LIMIT allows"), or "the address-space limit (ulimit -v) allows" (RLIMIT_AS);
 * when the machine is shared (fsim_memory_set_share(): under mpirun), "this process's share of
 * this machine (1 of the N processes on it) can give" and the like. Can't fail.
 * Returns: (transfer full): the words, to free with g_free().
 */
char *fsim_memory_whose (void);
/**
 * fsim_memory_size_text:
 * @bytes: an amount of memory (a count of bytes; an estimate may have a fraction)
 *
 * @bytes for the messages that refuse work by fsim_memory_limit(), read right at any size: in
 * bytes below 1 KiB ("512 bytes"), else in the largest of KiB, MiB, GiB, TiB, PiB and EiB that
 * leaves at least 1, with one decimal ("1.5 KiB", "3.0 GiB"); a plain space between, not GLib's
 * g_format_size() no-break space (which some GLib versions write and terminals show oddly).
 * Can't fail.
 * Returns: (transfer full): the text, to free with g_free().
 */
char *fsim_memory_size_text (double bytes);

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
/**
 * fsim_memory_reserve:
 * @bytes: what a GLib container (GArray, GString, GHashTable) is about to grow to, or what a
 *     step (parsing, building rows) will allocate in all through GLib, whose allocations abort
 * @what: (nullable): what the memory is for, for the message
 *
 * Checks that @bytes can be had now: tries to allocate them (without touching them) and frees
 * them at once. Under `ulimit -v` (RLIMIT_AS) the address space freed is then there for the
 * container; it is a check, not a promise (another thread may take the memory in between).
 * Returns: TRUE, or FALSE with FSIM_GRAPH_ERROR_NOMEM "out of memory: needed @bytes bytes for
 * @what".
 */
gboolean fsim_memory_reserve (guint64 bytes, const char *what, GError **error);
/* The bytes a GArray (or GPtrArray) of @n elements of @size bytes takes: GLib rounds it up to
 * a power of two. Can't fail (saturates). */
guint64 fsim_memory_array_bytes (size_t n, size_t size);
/* Sets FSIM_GRAPH_ERROR_NOMEM "out of memory: needed N bytes for @what" (N = @n x @size; "N
 * times S bytes" when that overflows) and returns NULL. */
gpointer fsim_set_out_of_memory (size_t n, size_t size, const char *what, GError **error);

/**
 * fsim_memory_set_limit:
 * @bytes: a cap on fsim_memory_limit(), for tests and shared machines; 0 removes it
 * @name: (nullable): what the messages call the cap when it binds (fsim_memory_whose()):
 *   "FLOWSIM_MEMORY_LIMIT"; NULL: "the memory limit set". Must stay valid (a literal).
 *
 * Sets the process's cap (the library reads no environment: the command line sets it from
 * FLOWSIM_MEMORY_LIMIT, libflowsim from flowsim_set_memory_limit()). Call it before starting
 * work on other threads.
 */
void fsim_memory_set_limit (guint64 bytes, const char *name);

/**
 * fsim_memory_parse_size:
 * @text: a number of bytes with an optional K, M or G suffix ("512M")
 * Returns: the bytes, or 0 if @text is not such a number.
 */
guint64 fsim_memory_parse_size (const char *text);
