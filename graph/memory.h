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
