/* SPDX-License-Identifier: MIT */
/* loader-base.c: a file read and merged once for many loads (FsimLoaderBase, loader.h). */
#include "config.h"

#include <string.h>

#include <glib.h>

#include <cjson/cJSON.h>

#include "loader-private.h"

/*
 * `lint` and `claims` load a file once per alternative of its claims that they check, with that
 * alternative chosen: up to 64 loads of the same files. The files are read, parsed and merged
 * once here (FsimLoaderBase); each load copies the merged model and applies the choices, the
 * claims and the sets to the copy as fsim_loader_load() does. What no set can change is shared
 * rather than copied (conversion only reads it): the claims (an alternative's values are
 * copied into the model, fsim_i_apply_set()), and the fields, APIs and partners when no path
 * of a set, an alternative or --set starts there. On 256 claims of 64 alternatives over the
 * model at the limits, reading and merging the 6.8 MB file was half of each load.
 */
static const char *const SHAREABLE[] = { "claims", "fields", "apis", "partners" };

struct FsimLoaderBase {
    char *path;
    FsimJsonDoc *doc; /* the files' positions, and the trees merged from them */
    cJSON *merged;    /* before the choices, the claims and the sets */
    guint touched;    /* bit k: a set or an alternative's set has a path under SHAREABLE[k] */
};

/* The bit of SHAREABLE under which set path @path starts, or 0. */
static guint
shareable_bit (const char *path)
{
    size_t n = strcspn (path, ".[=");
    for (size_t k = 0; k < G_N_ELEMENTS (SHAREABLE); k++)
        if (strlen (SHAREABLE[k]) == n && strncmp (path, SHAREABLE[k], n) == 0)
            return 1u << k;
    return 0;
}

/* The bits of the paths of @set (an object of PATH: VALUE, or an array of them). */
static guint
set_keys_bits (const cJSON *set)
{
    guint bits = 0;
    for (const cJSON *m = set->child; m; m = m->next)
        bits |= cJSON_IsArray (set) ? (cJSON_IsObject (m) ? set_keys_bits (m) : 0)
                                    : shareable_bit (m->string);
    return bits;
}

/* What the files' sets and every alternative of every claim may set (an alternative's set is
 * any object it holds, as for claims that fail: loader-merge.c). */
static guint
touched_bits (const FsimJsonDoc *doc, const cJSON *merged)
{
    const cJSON *claims = cJSON_GetObjectItemCaseSensitive (merged, "claims");
    guint bits = cJSON_IsArray (claims) ? 0 : 1; /* (SHAREABLE[0]: the claims) */
    for (guint i = 0; i < doc->file_sets->len; i++)
        bits |= set_keys_bits (doc->file_sets->pdata[i]);
    for (const cJSON *c = cJSON_IsArray (claims) ? claims->child : NULL; c; c = c->next)
        for (const cJSON *alts = cJSON_IsObject (c) ? c->child : NULL; alts; alts = alts->next)
            for (const cJSON *a = cJSON_IsArray (alts) ? alts->child : NULL; a; a = a->next)
                for (const cJSON *set = cJSON_IsObject (a) ? a->child : NULL; set; set = set->next)
                    if (cJSON_IsObject (set))
                        bits |= set_keys_bits (set);
    return bits;
}

FsimLoaderBase *
fsim_loader_base_new (const char *path)
{
    g_return_val_if_fail (path != NULL, NULL);
    g_autoptr (FsimJsonDoc) doc = fsim_i_json_doc_new ();
    g_autoptr (GError) local = NULL;
    cJSON *merged = fsim_i_json_merge (doc, path, NULL, &local);
    if (!merged || local || doc->errors->len > 0) {
        cJSON_Delete (merged);
        return NULL; /* fsim_loader_load() says why */
    }
    FsimLoaderBase *base = g_new0 (FsimLoaderBase, 1);
    base->path = g_strdup (path);
    base->touched = touched_bits (doc, merged);
    base->doc = g_steal_pointer (&doc);
    base->merged = merged;
    return base;
}

void
fsim_loader_base_free (FsimLoaderBase *base)
{
    if (!base)
        return;
    cJSON_Delete (base->merged);
    fsim_i_json_doc_free (base->doc);
    g_free (base->path);
    g_free (base);
}

FsimScenario *
fsim_loader_base_load (FsimLoaderBase *base, const char *const *sets, GError **error)
{
    g_return_val_if_fail (base != NULL, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);
    g_autoptr (FsimJsonDoc) doc = fsim_i_json_doc_over (base->doc);
    guint touched = base->touched;
    for (const char *const *set = sets; set && *set; set++)
        touched |= shareable_bit (*set);
    cJSON *root = cJSON_CreateObject ();
    if (fsim_i_json_loc (base->doc, base->merged))
        fsim_i_json_set_loc (doc, root, fsim_i_json_loc (base->doc, base->merged));
    cJSON *shared[G_N_ELEMENTS (SHAREABLE)] = { NULL }; /* their elements: base->merged's */
    for (const cJSON *m = base->merged->child; m; m = m->next) {
        guint bit = shareable_bit (m->string);
        cJSON *copy;
        if (bit && !(touched & bit) && (cJSON_IsArray (m) || cJSON_IsObject (m))) {
            copy = shared[g_bit_nth_lsf (bit, -1)] =
                cJSON_IsArray (m) ? cJSON_CreateArray () : cJSON_CreateObject ();
            copy->child = m->child;
            if (fsim_i_json_loc (base->doc, m))
                fsim_i_json_set_loc (doc, copy, fsim_i_json_loc (base->doc, m));
        } else {
            copy = fsim_i_json_duplicate_located (doc, m);
        }
        cJSON_AddItemToObject (root, m->string, copy);
    }
    g_autoptr (GError) local = NULL;
    gboolean ok = fsim_i_json_finish (doc, root, sets);
    FsimScenario *s = fsim_i_convert_resolved (doc, ok ? root : NULL, &local, base->path, error);
    for (size_t k = 0; k < G_N_ELEMENTS (shared); k++)
        if (shared[k])
            shared[k]->child = NULL;
    cJSON_Delete (root);
    return s;
}
