/* SPDX-License-Identifier: MIT */
/* memory.h: how much memory this process may use, to refuse work that would not fit. */
#pragma once

#include <glib.h>

/**
 * fsim_memory_limit:
 * The bytes this process can expect to use: the smallest of the physical memory, the cgroup
 * (v2 or v1) memory limit and RLIMIT_AS, whichever are known, and the caller's cap
 * (fsim_memory_set_limit()); G_MAXUINT64 if none is. Can't fail; the machine's part is
 * computed once.
 */
guint64 fsim_memory_limit (void);

/**
 * fsim_memory_set_limit:
 * @bytes: a cap on fsim_memory_limit(), for tests and shared machines; 0 removes it
 *
 * Sets the process's cap (the library reads no environment: the command line sets it from
 * FLOWSIM_MEMORY_LIMIT, libflowsim from flowsim_set_memory_limit()). Call it before starting
 * work on other threads.
 */
void fsim_memory_set_limit (guint64 bytes);

/**
 * fsim_memory_parse_size:
 * @text: a number of bytes with an optional K, M or G suffix ("512M")
 * Returns: the bytes, or 0 if @text is not such a number.
 */
guint64 fsim_memory_parse_size (const char *text);
