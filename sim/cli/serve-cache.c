/* SPDX-License-Identifier: MIT */
/* serve-cache.c: answers `flowsim serve` already gave, by request, least recently used out. */
#include "config.h"

#include <glib.h>

#include "serve-cache.h"

/*
 * The same request gets the same bytes (a run is deterministic for its inputs), so a
 * successful answer can be given again without simulating: moving the date slider back and
 * forth, or a class opening the same shared URL, then costs nothing. A served file edited
 * while the server runs is therefore not seen by requests already answered: restart it.
 * Main thread only.
 */

struct FsimServeCache {
    GHashTable *map; /* key -> item */
    GQueue lru;      /* items, most recent first */
    gsize bytes, max_bytes;
};

typedef struct {
    char *key;
    FsimServeCached value;
    GList link;
} Item;

static void
item_free (Item *item)
{
    g_free (item->key);
    g_bytes_unref (item->value.body);
    g_free (item);
}

FsimServeCache *
fsim_serve_cache_new (gsize max_bytes)
{
    FsimServeCache *c = g_new0 (FsimServeCache, 1);
    c->map = g_hash_table_new (g_str_hash, g_str_equal);
    g_queue_init (&c->lru);
    c->max_bytes = max_bytes;
    return c;
}

void
fsim_serve_cache_free (FsimServeCache *c)
{
    if (!c)
        return;
    for (GList *l = c->lru.head, *next; l; l = next) {
        next = l->next;
        item_free (l->data);
    }
    g_hash_table_unref (c->map);
    g_free (c);
}

static gsize
item_size (const char *key, GBytes *body)
{
    return strlen (key) + g_bytes_get_size (body) + sizeof (Item);
}

static void
drop (FsimServeCache *c, Item *item)
{
    g_queue_unlink (&c->lru, &item->link);
    g_hash_table_remove (c->map, item->key);
    c->bytes -= item_size (item->key, item->value.body);
    item_free (item);
}

const FsimServeCached *
fsim_serve_cache_lookup (FsimServeCache *c, const char *key)
{
    Item *item = g_hash_table_lookup (c->map, key);
    if (!item)
        return NULL;
    g_queue_unlink (&c->lru, &item->link);
    g_queue_push_head_link (&c->lru, &item->link);
    return &item->value;
}

void
fsim_serve_cache_insert (FsimServeCache *c, const char *key, const char *content_type, GBytes *body)
{
    gsize size = item_size (key, body);
    Item *old = g_hash_table_lookup (c->map, key);
    if (old)
        drop (c, old);
    if (size > c->max_bytes / 4) /* one answer may not push out most of the others */
        return;
    while (c->bytes + size > c->max_bytes && c->lru.tail)
        drop (c, c->lru.tail->data);
    Item *item = g_new0 (Item, 1);
    item->key = g_strdup (key);
    item->value = (FsimServeCached){ content_type, g_bytes_ref (body) };
    item->link.data = item;
    g_queue_push_head_link (&c->lru, &item->link);
    g_hash_table_insert (c->map, item->key, item);
    c->bytes += size;
}
