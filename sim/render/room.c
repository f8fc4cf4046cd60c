/* SPDX-License-Identifier: MIT */
/* room.c: room for a report's text, made before it is rendered (issue 11). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "json-writer.h"
#include "memory.h"
#include "room.h"

guint64
fsim_room_text (const char *s)
{
    return s ? FSIM_ROOM_PER_BYTE * (guint64) strlen (s) + 2 : 4;
}

guint64
fsim_room_escaped (void (*escape) (GString *, const char *), const char *s)
{
    if (s == NULL)
        return 4;
    g_autoptr (GString) scratch = g_string_new (NULL);
    escape (scratch, s);
    return scratch->len;
}

guint64
fsim_room_json (const char *s)
{
    if (s == NULL)
        return 4;
    size_t n = 0;
    for (; s[n]; n++)
        if ((guchar) s[n] < 0x20 || (guchar) s[n] >= 0x7f || s[n] == '"' || s[n] == '\\')
            return fsim_room_escaped (fsim_json_string, s);
    return n + 2;
}

guint64
fsim_room_digits (guint64 n)
{
    guint64 d = 1;
    while (n >= 10) {
        n /= 10;
        d++;
    }
    return d;
}

/* calloc and a copy rather than realloc: a fresh mapping is not touched, where malloc (under
 * MALLOC_PERTURB_, which meson test sets) would write over all of it. */
gboolean
fsim_room_reserve (GString *out, guint64 bytes, const char *what, GError **error)
{
    g_return_val_if_fail (out != NULL, FALSE);
    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
    if (bytes >= G_MAXSIZE - out->len - 1) {
        fsim_set_out_of_memory (1, G_MAXSIZE, what, error);
        return FALSE;
    }
    size_t want = out->len + (size_t) bytes + 1;
    if (want <= out->allocated_len)
        return TRUE;
    char *str = fsim_try_new0 (want, 1, what, error);
    if (str == NULL)
        return FALSE;
    memcpy (str, out->str, out->len + 1);
    g_free (out->str);
    out->str = str;
    out->allocated_len = want;
    return TRUE;
}

#define ROOM_COUNT 26 /* "18,446,744,073,709,551,615" */

void
fsim_room_table_row (FsimRoomTable *t, const char *const *cells, size_t n)
{
    g_return_if_fail (t != NULL && n <= FSIM_ROOM_COLUMNS);
    for (size_t i = 0; i < n; i++) {
        guint64 len = cells[i] ? fsim_room_json (cells[i]) : ROOM_COUNT;
        t->bytes += len + 8; /* the separator, an indent, ">= ", "server, " */
        t->widest[i] = MAX (t->widest[i], len);
    }
    t->rows++;
}

guint64
fsim_room_table_bytes (const FsimRoomTable *t)
{
    g_return_val_if_fail (t != NULL, 0);
    guint64 widest = 0;
    for (size_t i = 0; i < FSIM_ROOM_COLUMNS; i++)
        widest += t->widest[i] + 8;
    /* the header and the rule under it are rows too; the title is at most 1 KiB */
    return t->bytes + (t->rows + 2) * widest + 1024;
}
