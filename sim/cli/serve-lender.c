/* SPDX-License-Identifier: MIT */
/* serve-lender.c: what `flowsim serve` keeps between requests (populations, traced
 * simulations), by key: built once, lent to the workers, freed when no longer kept or lent. */
#include "config.h"

#include <glib.h>

#include "serve.h"

/*
 * A value is kept under its key and lent to every request that asks for it, read-only; a
 * request that finds it being built waits for it instead of building it a second time (the
 * page asks for the run and the diagram of one state at once). A failed build keeps nothing:
 * each waiter then tries itself and gets the same error. At most max_entries values are kept,
 * the least recently used leaving first; one that leaves while lent is freed when its last
 * borrower gives it back.
 */

typedef struct {
    char *key;
    gpointer value; /* NULL while building */
    guint borrowers;
    gboolean cached; /* still in the map */
    gboolean building;
    GList link;
} Holder;

struct FsimServeLender {
    GMutex lock;
    GCond built;          /* a build ended */
    GHashTable *by_key;   /* key -> holder, the cached ones and those being built */
    GHashTable *by_value; /* value -> holder, every one built and not freed */
    GQueue lru;           /* cached holders that are built, most recent first */
    guint max_entries;
    GFunc free_value;
    gpointer free_data;
};

static void
holder_free (FsimServeLender *l, Holder *h)
{
    if (h->value)
        l->free_value (h->value, l->free_data);
    g_free (h->key);
    g_free (h);
}

FsimServeLender *
fsim_serve_lender_new (guint max_entries, GFunc free_value, gpointer free_data)
{
    FsimServeLender *l = g_new0 (FsimServeLender, 1);
    g_mutex_init (&l->lock);
    g_cond_init (&l->built);
    l->by_key = g_hash_table_new (g_str_hash, g_str_equal);
    l->by_value = g_hash_table_new (g_direct_hash, g_direct_equal);
    g_queue_init (&l->lru);
    l->max_entries = max_entries;
    l->free_value = free_value;
    l->free_data = free_data;
    return l;
}

void
fsim_serve_lender_free (FsimServeLender *l)
{
    if (!l)
        return;
    /* only when no worker runs: nothing is being built or lent */
    GHashTableIter iter;
    gpointer holder;
    g_hash_table_iter_init (&iter, l->by_value);
    while (g_hash_table_iter_next (&iter, NULL, &holder))
        holder_free (l, holder);
    g_hash_table_unref (l->by_key);
    g_hash_table_unref (l->by_value);
    g_cond_clear (&l->built);
    g_mutex_clear (&l->lock);
    g_free (l);
}

/* Drops least recently used holders past max_entries; those still lent are freed on return. */
static void
evict (FsimServeLender *l)
{
    while (l->lru.length > l->max_entries) {
        Holder *h = l->lru.tail->data;
        g_queue_unlink (&l->lru, &h->link);
        g_hash_table_remove (l->by_key, h->key);
        h->cached = FALSE;
        if (h->borrowers == 0) {
            g_hash_table_remove (l->by_value, h->value);
            holder_free (l, h);
        }
    }
}

gpointer
fsim_serve_lender_get (FsimServeLender *l, const char *key, FsimServeBuild build, void *data,
                       GError **error)
{
    g_mutex_lock (&l->lock);
    Holder *h = g_hash_table_lookup (l->by_key, key);
    while (h && h->building) { /* another request builds it: wait for that one */
        g_cond_wait (&l->built, &l->lock);
        h = g_hash_table_lookup (l->by_key, key);
    }
    if (h) {
        h->borrowers++;
        g_queue_unlink (&l->lru, &h->link);
        g_queue_push_head_link (&l->lru, &h->link);
        g_mutex_unlock (&l->lock);
        return h->value;
    }
    h = g_new0 (Holder, 1);
    h->key = g_strdup (key);
    h->building = TRUE;
    h->link.data = h;
    g_hash_table_insert (l->by_key, h->key, h);
    g_mutex_unlock (&l->lock);

    gpointer value = build (data, error);

    g_mutex_lock (&l->lock);
    h->building = FALSE;
    if (!value) {
        g_hash_table_remove (l->by_key, h->key);
        holder_free (l, h);
    } else {
        h->value = value;
        h->borrowers = 1;
        h->cached = TRUE;
        g_hash_table_insert (l->by_value, value, h);
        g_queue_push_head_link (&l->lru, &h->link);
        evict (l);
    }
    g_cond_broadcast (&l->built);
    g_mutex_unlock (&l->lock);
    return value;
}

void
fsim_serve_lender_release (FsimServeLender *l, gpointer value)
{
    g_mutex_lock (&l->lock);
    Holder *h = g_hash_table_lookup (l->by_value, value);
    g_assert (h != NULL && h->borrowers > 0);
    if (--h->borrowers == 0 && !h->cached) {
        g_hash_table_remove (l->by_value, value);
        holder_free (l, h);
    }
    g_mutex_unlock (&l->lock);
}
