/* SPDX-License-Identifier: MIT */
/* serve-population.c: populations `flowsim serve` keeps between requests, shared by workers. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "serve.h"

/*
 * Building the population is most of a simulation's time (at 100,000 users, about three
 * quarters). Moving the date, the storage of a partner or the settings an API respects does
 * not change who the users are: the population of a scenario depends on its population spec,
 * seed, fields and partners, not on its dates, APIs, rules, destinations or sharing. So the
 * key of a population is the scenario file and its overrides but those that cannot touch it:
 *
 *   date=...   apis...   rules...   partners[P].destinations...   partners[P].shares...
 *
 * Every other override (population.*, seed, fields, partners[P].kind, ...) is part of the key,
 * so a request gets the population it would have built itself: test-serve checks it against
 * the CLI, which always builds its own.
 *
 * A population is lent to the workers that use it (a count of borrowers), and freed when it
 * has left the cache (least recently used first) and its last borrower gives it back. Two
 * workers asking for the same new key at once may both build it; the first one in is kept.
 */

typedef struct {
    char *key;
    FsimPopulation *pop;
    guint borrowers;
    gboolean cached; /* still in the map */
    GList link;
} Holder;

struct FsimServePopCache {
    GMutex lock;
    GHashTable *by_key; /* key -> holder, the cached ones */
    GHashTable *by_pop; /* pop -> holder, every one lent or cached */
    GQueue lru;         /* cached holders, most recent first */
    guint max_entries;
};

static void
holder_free (Holder *h)
{
    fsim_population_free (h->pop);
    g_free (h->key);
    g_free (h);
}

FsimServePopCache *
fsim_serve_pop_cache_new (guint max_entries)
{
    FsimServePopCache *c = g_new0 (FsimServePopCache, 1);
    g_mutex_init (&c->lock);
    c->by_key = g_hash_table_new (g_str_hash, g_str_equal);
    c->by_pop = g_hash_table_new (g_direct_hash, g_direct_equal);
    g_queue_init (&c->lru);
    c->max_entries = max_entries;
    return c;
}

void
fsim_serve_pop_cache_free (FsimServePopCache *c)
{
    if (!c)
        return;
    /* only when no worker runs: every holder is cached and lent to no one */
    GHashTableIter iter;
    gpointer holder;
    g_hash_table_iter_init (&iter, c->by_pop);
    while (g_hash_table_iter_next (&iter, NULL, &holder))
        holder_free (holder);
    g_hash_table_unref (c->by_key);
    g_hash_table_unref (c->by_pop);
    g_mutex_clear (&c->lock);
    g_free (c);
}

/* Does override @set leave the population as it is? (see the comment at the top) */
static gboolean
population_neutral (const char *set)
{
    size_t n = strcspn (set, "=");
    if (n == 4 && strncmp (set, "date", 4) == 0)
        return TRUE;
    if (g_str_has_prefix (set, "apis[") || g_str_has_prefix (set, "apis.") ||
        g_str_has_prefix (set, "apis=") || g_str_has_prefix (set, "rules[") ||
        g_str_has_prefix (set, "rules.") || g_str_has_prefix (set, "rules="))
        return TRUE;
    if (!g_str_has_prefix (set, "partners["))
        return FALSE;
    const char *close = memchr (set, ']', n);
    return close && (g_str_has_prefix (close, "].destinations") ||
                     g_str_has_prefix (close, "].shares"));
}

char *
fsim_serve_pop_key (const char *path, const char *const *sets)
{
    GString *key = g_string_new (path);
    for (const char *const *s = sets; s && *s; s++)
        if (!population_neutral (*s)) {
            g_string_append_c (key, '\n');
            g_string_append (key, *s);
        }
    return g_string_free (key, FALSE);
}

/* Drops least recently used holders past max_entries; those still lent are freed on return. */
static void
evict (FsimServePopCache *c)
{
    while (c->lru.length > c->max_entries) {
        Holder *h = c->lru.tail->data;
        g_queue_unlink (&c->lru, &h->link);
        g_hash_table_remove (c->by_key, h->key);
        h->cached = FALSE;
        if (h->borrowers == 0) {
            g_hash_table_remove (c->by_pop, h->pop);
            holder_free (h);
        }
    }
}

FsimPopulation *
fsim_serve_pop_cache_get (FsimServePopCache *c, const char *key, const FsimScenario *scenario,
                          GError **error)
{
    g_mutex_lock (&c->lock);
    Holder *h = g_hash_table_lookup (c->by_key, key);
    if (h) {
        h->borrowers++;
        g_queue_unlink (&c->lru, &h->link);
        g_queue_push_head_link (&c->lru, &h->link);
        g_mutex_unlock (&c->lock);
        return h->pop;
    }
    g_mutex_unlock (&c->lock);

    FsimPopulation *pop = fsim_population_build (scenario, error);
    if (!pop)
        return NULL;
    g_mutex_lock (&c->lock);
    h = g_hash_table_lookup (c->by_key, key);
    if (h) { /* built meanwhile by another worker: use that one */
        fsim_population_free (pop);
        h->borrowers++;
        g_mutex_unlock (&c->lock);
        return h->pop;
    }
    h = g_new0 (Holder, 1);
    h->key = g_strdup (key);
    h->pop = pop;
    h->borrowers = 1;
    h->cached = TRUE;
    h->link.data = h;
    g_hash_table_insert (c->by_key, h->key, h);
    g_hash_table_insert (c->by_pop, pop, h);
    g_queue_push_head_link (&c->lru, &h->link);
    evict (c);
    g_mutex_unlock (&c->lock);
    return pop;
}

void
fsim_serve_pop_cache_release (FsimServePopCache *c, FsimPopulation *pop)
{
    g_mutex_lock (&c->lock);
    Holder *h = g_hash_table_lookup (c->by_pop, pop);
    g_assert (h != NULL && h->borrowers > 0);
    if (--h->borrowers == 0 && !h->cached) {
        g_hash_table_remove (c->by_pop, pop);
        holder_free (h);
    }
    g_mutex_unlock (&c->lock);
}
