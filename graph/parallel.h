/* SPDX-License-Identifier: MIT */
/* parallel.h: the one parallel for of flowsim (generators, statistics, population draws, the
 * engine): independent items, with progress seen by the calling thread. */
#pragma once

#include <stddef.h>

#include <glib.h>

/* Runs item @item on worker @worker (0 .. n_workers - 1); items of one worker never overlap. */
typedef void (*FsimParallelFunc) (size_t item, unsigned worker, void *data);

/* Called on the calling thread only, after each item it ran: @done items of @total finished. */
typedef void (*FsimParallelTick) (size_t done, size_t total, void *data);

/*
 * The number of workers for @n_items items: @requested if positive, else the default set with
 * fsim_parallel_set_default_workers() if any, else one per processor; at most 64 and at most
 * @n_items (at least 1). Results never depend on it.
 */
unsigned fsim_parallel_workers (unsigned requested, size_t n_items);

/* The workers a parallel for uses when its caller asks for none in particular (0: one per
 * processor, the default). The flowsim program sets it from FLOWSIM_THREADS; the library
 * reads no environment variable. */
void fsim_parallel_set_default_workers (unsigned n);

/**
 * fsim_parallel_for:
 * Runs @fn over items 0 .. @n_items - 1 on @n_workers workers (the calling thread is worker 0),
 * handing items out in increasing order as workers become free. Which worker runs an item
 * varies from run to run: results must not depend on it. If a thread cannot be started, the
 * others take its share. @tick may be NULL. Can't fail.
 */
void fsim_parallel_for (size_t n_items, unsigned n_workers, FsimParallelFunc fn, void *data,
                        FsimParallelTick tick, void *tick_data);
