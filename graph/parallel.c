/* SPDX-License-Identifier: MIT */
/* parallel.c: the one parallel for over independent items (see parallel.h). */
#include "config.h"

#include <stdatomic.h>

#include "parallel.h"

#define MAX_WORKERS 64u

typedef struct {
    atomic_size_t next;
    atomic_size_t done;
    size_t n_items;
    FsimParallelFunc fn;
    void *data;
} Run;

typedef struct {
    Run *run;
    unsigned worker;
} Worker;

static void
work (Run *run, unsigned worker, FsimParallelTick tick, void *tick_data)
{
    for (;;) {
        size_t i = atomic_fetch_add (&run->next, 1);
        if (i >= run->n_items)
            return;
        run->fn (i, worker, run->data);
        size_t done = atomic_fetch_add (&run->done, 1) + 1;
        if (tick != NULL)
            tick (done, run->n_items, tick_data);
    }
}

static gpointer
worker_main (gpointer data)
{
    Worker *w = data;
    work (w->run, w->worker, NULL, NULL);
    return NULL;
}

static atomic_uint default_workers; /* 0: one per processor */

void
fsim_parallel_set_default_workers (unsigned n)
{
    atomic_store (&default_workers, n);
}

unsigned
fsim_parallel_workers (unsigned requested, size_t n_items)
{
    unsigned fallback = atomic_load (&default_workers);
    guint64 n = requested > 0  ? requested
                : fallback > 0 ? fallback
                               : (guint64) g_get_num_processors ();
    n = MIN (n, (guint64) MAX_WORKERS);
    n = MIN (n, (guint64) MAX (n_items, (size_t) 1));
    return (unsigned) MAX (n, (guint64) 1);
}

void
fsim_parallel_for (size_t n_items, unsigned n_workers, FsimParallelFunc fn, void *data,
                   FsimParallelTick tick, void *tick_data)
{
    Run run = { .n_items = n_items, .fn = fn, .data = data };
    Worker workers[MAX_WORKERS];
    GThread *threads[MAX_WORKERS];
    unsigned started = 0;

    g_return_if_fail (fn != NULL);
    atomic_init (&run.next, 0);
    atomic_init (&run.done, 0);
    n_workers = CLAMP (n_workers, 1u, MAX_WORKERS);
    for (unsigned t = 1; t < n_workers; t++) {
        workers[started] = (Worker){ &run, started + 1 };
        threads[started] =
            g_thread_try_new ("flowsim-worker", worker_main, &workers[started], NULL);
        if (threads[started] == NULL)
            break;
        started++;
    }
    work (&run, 0, tick, tick_data);
    for (unsigned t = 0; t < started; t++)
        g_thread_join (threads[t]);
}
