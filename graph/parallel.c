/* SPDX-License-Identifier: MIT */
/* parallel.c: a minimal parallel-for over independent items, for the generators and stats. */
#include "config.h"

#include <stdatomic.h>
#include <stddef.h>

#include <glib.h>

#include "graph-private.h"

/* Hard upper bound on threads, whatever is asked for. */
#define MAX_THREADS 64

typedef struct {
    atomic_size_t next;
    size_t n_items;
    FsimParallelFunc fn;
    void *data;
} ParallelRun;

static gpointer
parallel_worker (gpointer user_data)
{
    ParallelRun *run = user_data;

    for (;;) {
        size_t i = atomic_fetch_add (&run->next, 1);

        if (i >= run->n_items)
            break;
        run->fn (i, run->data);
    }
    return NULL;
}

/* The number of threads fsim_i_parallel_for() uses for @requested (0: one per processor). */
unsigned
fsim_i_thread_count (unsigned requested, size_t n_items)
{
    unsigned n = requested > 0 ? requested : (unsigned) g_get_num_processors ();

    n = MIN (n, MAX_THREADS);
    if ((size_t) n > n_items)
        n = (unsigned) MAX (n_items, 1);
    return MAX (n, 1);
}

/*
 * The calling thread works too. If a thread cannot be created the others (at least the caller)
 * take its share, so the result does not change, only the time.
 */
void
fsim_i_parallel_for (size_t n_items, unsigned n_threads, FsimParallelFunc fn, void *data)
{
    ParallelRun run = { .n_items = n_items, .fn = fn, .data = data };
    GThread *threads[MAX_THREADS];
    unsigned n = fsim_i_thread_count (n_threads, n_items);
    unsigned started = 0;

    g_return_if_fail (fn != NULL);

    atomic_init (&run.next, 0);
    for (unsigned t = 1; t < n; t++) {
        GThread *th = g_thread_try_new ("fsim-graph", parallel_worker, &run, NULL);

        if (th == NULL)
            break;
        threads[started++] = th;
    }
    parallel_worker (&run);
    for (unsigned t = 0; t < started; t++)
        g_thread_join (threads[t]);
}
