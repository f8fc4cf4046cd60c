/* SPDX-License-Identifier: MIT */
/* loader-ids.c: the ids of a model's entities while it is converted: registering them (a
 * duplicate is an error), looking them up, and the error for a name that names nothing, with
 * the closest one suggested. */
#include "config.h"

#include <glib.h>

#include <cjson/cJSON.h>

#include "loader-private.h"

/* The index to show in the path of top-level entity @e (merged position @i): its position in
 * the file that the message's location names, when it was written in one. */
int
fsim_i_file_index (FsimConv *c, const cJSON *e, size_t i)
{
    const FsimNodeLoc *l = fsim_i_json_loc (c->doc, e);
    return l && l->index >= 0 ? l->index : (int) i;
}

/* Register @id in @ix, failing on a duplicate. */
gboolean
fsim_i_register_id (FsimConv *c, GHashTable *ix, const char *id, size_t index, const cJSON *node,
                    const FsimJPath *path, const char *what, GError **error)
{
    if (g_hash_table_contains (ix, id))
        return fsim_i_fail (c, error, node, FALSE, FSIM_LOADER_ERROR_REFERENCE, path,
                            "duplicate %s id '%s'", what, id);
    g_hash_table_insert (ix, (gpointer) id, GSIZE_TO_POINTER (index + 1));
    return TRUE;
}

/* An entity that failed to convert keeps the id it was given, if it was read and is not taken,
 * so that what refers to it is not reported as naming nothing (issue 15: errors of later kinds
 * are reported too, without the ones this failure would cause). */
void
fsim_i_register_failed (FsimConv *c, GHashTable *ix, const char *id, size_t index)
{
    (void) c;
    if (id && !g_hash_table_contains (ix, id))
        g_hash_table_insert (ix, (gpointer) id, GSIZE_TO_POINTER (index + 1));
}

gssize
fsim_i_lookup (GHashTable *ix, const char *id)
{
    return (gssize) GPOINTER_TO_SIZE (g_hash_table_lookup (ix, id)) - 1;
}

/* fail_unknown() for the name of an entity (an API, scope or partner), which may be one that
 * failed to convert. */
gboolean
fsim_i_fail_unknown_name (FsimConv *c, GError **error, FsimIName name, const cJSON *node,
                          const FsimJPath *path, const char *what, const char *id,
                          const char *const *known, size_t n)
{
    fsim_i_fail_unknown (c, error, node, path, what, id, known, n);
    return fsim_i_unmatched_name (c, error, name);
}

/* Error for an id that names nothing: suggest the closest, or list the few there are. An
 * entity whose own id could not be read (it failed, and the loader went on) has a NULL id in
 * @known: it is left out. */
gboolean
fsim_i_fail_unknown (FsimConv *c, GError **error, const cJSON *node, const FsimJPath *path,
                     const char *what, const char *id, const char *const *all, size_t n_all)
{
    g_autofree const char **known = g_new (const char *, n_all + 1);
    size_t n = 0;
    for (size_t i = 0; i < n_all; i++)
        if (all[i] != NULL)
            known[n++] = all[i];
    known[n] = NULL;
    const char *near = fsim_i_closest (id, known, n);
    if (near)
        return fsim_i_fail (c, error, node, FALSE, FSIM_LOADER_ERROR_REFERENCE, path,
                            "unknown %s '%s'; did you mean '%s'?", what, id, near);
    if (n > 0 && n <= 12) {
        g_autoptr (GString) list = g_string_new (NULL);
        for (size_t i = 0; i < n; i++)
            g_string_append_printf (list, "%s'%s'", i ? ", " : "", known[i]);
        return fsim_i_fail (c, error, node, FALSE, FSIM_LOADER_ERROR_REFERENCE, path,
                            "unknown %s '%s' (known: %s)", what, id, list->str);
    }
    if (n == 0)
        return fsim_i_fail (c, error, node, FALSE, FSIM_LOADER_ERROR_REFERENCE, path,
                            "unknown %s '%s' (none is declared: is an 'include' missing?)", what,
                            id);
    return fsim_i_fail (c, error, node, FALSE, FSIM_LOADER_ERROR_REFERENCE, path, "unknown %s '%s'",
                        what, id);
}
