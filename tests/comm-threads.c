/* SPDX-License-Identifier: MIT */
/* comm-threads.c: graph/comm.h's collectives between threads (comm-threads.h). */
#include "config.h"

#include <string.h>

#include "comm-threads.h"

/*
 * Every collective posts this rank's arguments in its slot, waits for every rank (a
 * barrier), reads the other ranks' slots, and waits again so that no rank changes or frees
 * what another is still reading.
 */
typedef struct {
    int size;
    GMutex lock;
    GCond cond;
    int arrived;
    guint generation;
    const void **send;
    const size_t **counts;
    size_t *count;
    gboolean *ok;
} Shared;

typedef struct {
    FsimComm comm;
    Shared *shared;
    void (*fn) (const FsimComm *comm, void *data);
    void *data;
} Rank;

static void
barrier (Shared *s)
{
    g_mutex_lock (&s->lock);
    guint generation = s->generation;
    if (++s->arrived == s->size) {
        s->arrived = 0;
        s->generation++;
        g_cond_broadcast (&s->cond);
    } else {
        while (generation == s->generation)
            g_cond_wait (&s->cond, &s->lock);
    }
    g_mutex_unlock (&s->lock);
}

static gboolean
threads_all_ok (const FsimComm *c, gboolean ok)
{
    Shared *s = c->data;
    gboolean all = TRUE;

    s->ok[c->rank] = ok;
    barrier (s);
    for (int r = 0; r < s->size; r++)
        all &= s->ok[r];
    barrier (s);
    return all;
}

static gboolean
threads_allgatherv (const FsimComm *c, const void *send, size_t count, void *recv, size_t unit,
                    GError **error)
{
    Shared *s = c->data;
    size_t at = 0;

    (void) error;
    s->send[c->rank] = send;
    s->count[c->rank] = count;
    barrier (s);
    for (int r = 0; r < s->size; r++) {
        if (s->count[r] > 0)
            memcpy ((char *) recv + at * unit, s->send[r], s->count[r] * unit);
        at += s->count[r];
    }
    barrier (s);
    return TRUE;
}

static gboolean
threads_alltoallv (const FsimComm *c, const void *send, const size_t *send_counts, void **out_recv,
                   size_t *recv_counts, size_t unit, GError **error)
{
    Shared *s = c->data;
    size_t total = 0, at = 0;

    (void) error;
    s->send[c->rank] = send;
    s->counts[c->rank] = send_counts;
    barrier (s);
    for (int r = 0; r < s->size; r++)
        total += recv_counts[r] = s->counts[r][c->rank];
    char *recv = g_malloc (MAX (total * unit, 1));
    for (int r = 0; r < s->size; r++) {
        size_t from = 0;
        for (int d = 0; d < c->rank; d++)
            from += s->counts[r][d];
        if (recv_counts[r] > 0)
            memcpy (recv + at * unit, (const char *) s->send[r] + from * unit,
                    recv_counts[r] * unit);
        at += recv_counts[r];
    }
    barrier (s);
    *out_recv = recv;
    return TRUE;
}

static gpointer
rank_main (gpointer data)
{
    Rank *rank = data;

    rank->fn (&rank->comm, rank->data);
    return NULL;
}

void
fsim_test_comm_run (int size, void (*fn) (const FsimComm *comm, void *data), void *data)
{
    Shared s = { .size = size };
    g_autofree Rank *ranks = g_new0 (Rank, (size_t) size);
    g_autofree GThread **threads = g_new0 (GThread *, (size_t) size);

    g_mutex_init (&s.lock);
    g_cond_init (&s.cond);
    s.send = g_new0 (const void *, (size_t) size);
    s.counts = g_new0 (const size_t *, (size_t) size);
    s.count = g_new0 (size_t, (size_t) size);
    s.ok = g_new0 (gboolean, (size_t) size);
    for (int r = 0; r < size; r++) {
        ranks[r] = (Rank){ .comm = { .rank = r,
                                     .size = size,
                                     .data = &s,
                                     .all_ok = threads_all_ok,
                                     .allgatherv = threads_allgatherv,
                                     .alltoallv = threads_alltoallv },
                           .shared = &s,
                           .fn = fn,
                           .data = data };
        threads[r] = g_thread_new ("rank", rank_main, &ranks[r]);
    }
    for (int r = 0; r < size; r++)
        g_thread_join (threads[r]);
    g_free (s.send);
    g_free (s.counts);
    g_free (s.count);
    g_free (s.ok);
    g_mutex_clear (&s.lock);
    g_cond_clear (&s.cond);
}
