/* SPDX-License-Identifier: MIT */
/* loader-merge.c: resolving include and extends into one merged JSON tree (set: loader-set.c). */
#include "config.h"

#include <string.h>

#include <glib.h>

#include <cjson/cJSON.h>

#include "loader-private.h"

static const char *const entity_keys[] = { "fields", "apis", "partners", "rules", "claims" };

/* ---- merging --------------------------------------------------------------------------------- */

const char *
fsim_i_entity_id (const cJSON *entity)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive (entity, "id");
    return cJSON_IsString (id) ? id->valuestring : NULL;
}

cJSON *
fsim_i_find_by_id (const cJSON *array, const char *id)
{
    for (cJSON *c = array->child; c; c = c->next) {
        const char *cid = fsim_i_entity_id (c);
        if (cid && strcmp (cid, id) == 0)
            return c;
    }
    return NULL;
}

static cJSON *
ensure_array (cJSON *obj, const char *key)
{
    cJSON *a = cJSON_GetObjectItemCaseSensitive (obj, key);
    if (!a)
        a = cJSON_AddArrayToObject (obj, key);
    return a;
}

/*
 * Put @value where @old is in @parent (an array, or an object when @key is given) and bury @old:
 * the order of entities is the order of reports, and an audience map's order breaks ties.
 * Not cJSON_InsertItemInArray(): in Debian 12's cJSON 1.7.15 (since +deb12u1, the backport of
 * the CVE-2023-50471 checks) it refuses any position but the two ends, so @value is linked in
 * by hand, as cJSON itself does.
 */
void
fsim_i_json_replace (FsimJsonDoc *doc, cJSON *parent, cJSON *old, const char *key, cJSON *value)
{
    if (key) {
        /* give @value its key the way cJSON does */
        cJSON_AddItemToObject (parent, key, value);
        cJSON_DetachItemViaPointer (parent, value);
    }
    value->next = old;
    value->prev = old->prev;
    old->prev = value;
    if (old == parent->child)
        parent->child = value; /* the first child's prev is the last child */
    else
        value->prev->next = value;
    cJSON_DetachItemViaPointer (parent, old);
    fsim_i_bury (doc, old);
}

/* Move the entities of @src[key] into @dst[key]. With @replace an entity whose id exists
 * replaces it; otherwise that is an error naming both places, kept (fsim_i_doc_keep()) and the
 * entity left out. Returns FALSE when the loader must stop (the errors are kept). */
static gboolean
merge_entities (FsimJsonDoc *doc, cJSON *dst, cJSON *src, const char *key, gboolean replace)
{
    cJSON *from = cJSON_GetObjectItemCaseSensitive (src, key);
    g_autoptr (GError) local = NULL;
    if (!from)
        return TRUE;
    if (!cJSON_IsArray (from)) {
        fsim_i_error_at (&local, doc, from, FALSE, FSIM_LOADER_ERROR_SCHEMA,
                         "%s: expected an array, got %s", key, fsim_i_json_type_name (from));
        doc->incomplete = TRUE; /* its entities are missing */
        return fsim_i_doc_keep (doc, &local);
    }
    cJSON *to = ensure_array (dst, key);
    /* id -> entity of @to, so that merging n entities costs O(n), not O(n^2) (find_by_id) */
    g_autoptr (GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
    for (cJSON *c = to->child; c; c = c->next)
        if (fsim_i_entity_id (c) && !g_hash_table_contains (index, fsim_i_entity_id (c)))
            g_hash_table_insert (index, (gpointer) fsim_i_entity_id (c), c);
    while (from->child) {
        cJSON *item = cJSON_DetachItemViaPointer (from, from->child);
        const char *id = fsim_i_entity_id (item);
        cJSON *old = id ? g_hash_table_lookup (index, id) : NULL;
        if (old && !replace) {
            const FsimNodeLoc *ol = fsim_i_json_loc (doc, old);
            const FsimNodeLoc *il = fsim_i_json_loc (doc, item);
            g_autofree char *where = il && il->index >= 0
                                         ? g_strdup_printf ("%s[%d].id", key, il->index)
                                         : g_strdup (key);
            fsim_i_error_at (&local, doc, item, FALSE, FSIM_LOADER_ERROR_REFERENCE,
                             "%s: duplicate id '%s' (first defined at %s:%d:%d)", where, id,
                             ol ? ol->file : "?", ol ? ol->line : 0, ol ? ol->col : 0);
            fsim_i_bury (doc, item);
            if (!fsim_i_doc_keep (doc, &local))
                return FALSE;
            continue;
        }
        if (old) {
            /* replace in place, so that reports keep the base's order */
            fsim_i_json_replace (doc, to, old, NULL, item);
        } else {
            cJSON_AddItemToArray (to, item);
        }
        if (id)
            g_hash_table_replace (index, (gpointer) id, item); /* @old stays buried, alive */
    }
    return TRUE;
}

/* Deep-merge object @src into @dst (objects merge, everything else replaces). */
static void
merge_object (FsimJsonDoc *doc, cJSON *dst, cJSON *src)
{
    while (src->child) {
        cJSON *item = cJSON_DetachItemViaPointer (src, src->child);
        cJSON *old = cJSON_GetObjectItemCaseSensitive (dst, item->string);
        if (old && cJSON_IsObject (old) && cJSON_IsObject (item)) {
            merge_object (doc, old, item);
            fsim_i_bury (doc, item);
            continue;
        }
        if (old) {
            cJSON_DetachItemViaPointer (dst, old);
            fsim_i_bury (doc, old);
        }
        cJSON_AddItemToObject (dst, item->string, item);
    }
}

static gboolean resolve_policy (FsimJsonDoc *doc, const char *path, const cJSON *from,
                                cJSON *layer);

static char *
resolve_relative (const char *including, const char *name)
{
    if (g_path_is_absolute (name))
        return g_canonicalize_filename (name, NULL);
    g_autofree char *dir = g_path_get_dirname (including);
    return g_canonicalize_filename (name, dir);
}

static gboolean
push_file (FsimJsonDoc *doc, const char *canon, const cJSON *from, GError **error)
{
    for (guint i = 0; i < doc->stack->len; i++) {
        if (strcmp (doc->stack->pdata[i], canon) != 0)
            continue;
        g_autoptr (GString) chain = g_string_new (NULL);
        for (guint j = i; j < doc->stack->len; j++)
            g_string_append_printf (chain, "%s -> ",
                                    fsim_i_display_name (doc, doc->stack->pdata[j]));
        g_string_append (chain, fsim_i_display_name (doc, canon));
        fsim_i_error_at (error, doc, from, FALSE, FSIM_LOADER_ERROR_CYCLE, "%s cycle: %s",
                         from->string ? from->string : "include", chain->str);
        return FALSE;
    }
    if (doc->n_files >= FSIM_LOADER_MAX_INCLUDES) {
        fsim_i_error_at (error, doc, from, FALSE, FSIM_LOADER_ERROR_LIMIT,
                         "more than %d files included", FSIM_LOADER_MAX_INCLUDES);
        return FALSE;
    }
    g_ptr_array_add (doc->stack, g_strdup (canon));
    return TRUE;
}

static void
pop_file (FsimJsonDoc *doc)
{
    g_ptr_array_remove_index (doc->stack, doc->stack->len - 1);
}

/* A file named by include or extends was not read because of *@local: keep the error (every
 * name in that file is now unknown: doc->incomplete). Whether to go on. */
static gboolean
keep_unread (FsimJsonDoc *doc, GError **local)
{
    doc->incomplete = TRUE;
    return fsim_i_doc_keep (doc, local);
}

/* Read every file named in @root's "include" into @layer (entities appended, no replace). A
 * file that cannot be read is an error kept, and the others are read. Returns FALSE when the
 * loader must stop (the errors are kept). */
static gboolean
resolve_includes (FsimJsonDoc *doc, const char *path, cJSON *root, cJSON *layer)
{
    const cJSON *inc = cJSON_GetObjectItemCaseSensitive (root, "include");
    g_autoptr (GError) local = NULL;
    if (!inc)
        return TRUE;
    if (!cJSON_IsArray (inc)) {
        fsim_i_error_at (&local, doc, inc, FALSE, FSIM_LOADER_ERROR_SCHEMA,
                         "include: expected an array of file names");
        return keep_unread (doc, &local);
    }
    int i = 0;
    for (const cJSON *c = inc->child; c; c = c->next, i++) {
        if (!cJSON_IsString (c) || !*c->valuestring) {
            fsim_i_error_at (&local, doc, c, FALSE, FSIM_LOADER_ERROR_SCHEMA,
                             "include[%d]: expected a file name (a non-empty string)", i);
            if (!keep_unread (doc, &local))
                return FALSE;
            continue;
        }
        g_autofree char *child = resolve_relative (path, c->valuestring);
        if (!resolve_policy (doc, child, c, layer))
            return FALSE;
    }
    return TRUE;
}

/* Read the policy file @path (named by the include string @from) and what it includes into
 * @layer; its errors are kept. Returns FALSE when the loader must stop. */
static gboolean
resolve_policy (FsimJsonDoc *doc, const char *path, const cJSON *from, cJSON *layer)
{
    g_autoptr (GError) local = NULL;
    if (!push_file (doc, path, from, &local))
        return keep_unread (doc, &local);
    /* A policy file included twice (two policies sharing the field taxonomy, say) is read
     * once: its entities are already in. */
    if (g_hash_table_contains (doc->included, path)) {
        pop_file (doc);
        return TRUE;
    }
    g_hash_table_add (doc->included, g_strdup (path));
    cJSON *root = fsim_i_parse_file (doc, path, NULL, from, &local);
    gboolean ok = root ? fsim_i_check_top_keys (doc, root, FALSE) : keep_unread (doc, &local);
    ok = ok && (!root || resolve_includes (doc, path, root, layer));
    for (size_t k = 0; ok && root && k < G_N_ELEMENTS (entity_keys); k++)
        ok = merge_entities (doc, layer, root, entity_keys[k], FALSE);
    if (root)
        fsim_i_bury (doc, root);
    pop_file (doc);
    return ok;
}

/* ---- scenarios ---------------------------------------------------------------------------- */

/* The merged scenario of file @path (named by the extends string @from, or NULL); NULL with
 * @error set when the file cannot be read or is not a scenario, NULL alone when the loader must
 * stop (errors kept). The errors of what it includes, extends and sets are kept. */
static cJSON *resolve_scenario (FsimJsonDoc *doc, const char *path, const char *text,
                                const cJSON *from, GError **error);

/* The merged base scenario of @root (an empty object when it extends none). A base that
 * cannot be read is an error kept: the scenario is then built on an empty object, and
 * converted without what the base may hold (doc->base_unread, doc->incomplete). NULL when the
 * loader must stop (the errors are kept). */
static cJSON *
load_base (FsimJsonDoc *doc, const char *path, cJSON *root)
{
    cJSON *ext = cJSON_GetObjectItemCaseSensitive (root, "extends");
    g_autoptr (GError) local = NULL;
    cJSON *base = NULL;
    if (!ext)
        return cJSON_CreateObject ();
    if (!cJSON_IsString (ext) || !*ext->valuestring) {
        fsim_i_error_at (&local, doc, ext, FALSE, FSIM_LOADER_ERROR_SCHEMA,
                         "extends: expected the file name of a base scenario, got %s",
                         cJSON_IsString (ext) ? "an empty string" : fsim_i_json_type_name (ext));
    } else {
        g_autofree char *base_path = resolve_relative (path, ext->valuestring);
        base = resolve_scenario (doc, base_path, NULL, ext, &local);
    }
    if (base)
        return base;
    if (!local)
        return NULL; /* stop */
    doc->base_unread = TRUE;
    return keep_unread (doc, &local) ? cJSON_CreateObject () : NULL;
}

/* Lay this file's own keys (not include / extends / set / entities) over @result. */
static void
overlay_keys (FsimJsonDoc *doc, cJSON *result, cJSON *root)
{
    cJSON *c = root->child;
    while (c) {
        cJSON *next = c->next;
        gboolean skip = strcmp (c->string, "include") == 0 || strcmp (c->string, "extends") == 0 ||
                        strcmp (c->string, "set") == 0;
        for (size_t k = 0; k < G_N_ELEMENTS (entity_keys) && !skip; k++)
            skip = strcmp (c->string, entity_keys[k]) == 0;
        if (!skip) {
            cJSON *item = cJSON_DetachItemViaPointer (root, c);
            cJSON *old = cJSON_GetObjectItemCaseSensitive (result, item->string);
            if (old && cJSON_IsObject (old) && cJSON_IsObject (item)) {
                merge_object (doc, old, item);
                fsim_i_bury (doc, item);
            } else {
                if (old) {
                    cJSON_DetachItemViaPointer (result, old);
                    fsim_i_bury (doc, old);
                }
                cJSON_AddItemToObject (result, item->string, item);
            }
        }
        c = next;
    }
}

/* Lay the scenario file @root over @result; errors are kept. FALSE when the loader must stop. */
static gboolean
build_scenario (FsimJsonDoc *doc, const char *path, cJSON *root, cJSON *result)
{
    cJSON *layer = cJSON_CreateObject ();
    fsim_i_bury (doc, layer);
    if (!resolve_includes (doc, path, root, layer))
        return FALSE;
    for (size_t k = 0; k < G_N_ELEMENTS (entity_keys); k++)
        if (!merge_entities (doc, layer, root, entity_keys[k], FALSE))
            return FALSE;
    for (size_t k = 0; k < G_N_ELEMENTS (entity_keys); k++)
        if (!merge_entities (doc, result, layer, entity_keys[k], TRUE))
            return FALSE;
    overlay_keys (doc, result, root);
    return fsim_i_keep_file_sets (doc, root);
}

static cJSON *
resolve_scenario (FsimJsonDoc *doc, const char *path, const char *text, const cJSON *from,
                  GError **error)
{
    if (!push_file (doc, path, from, error))
        return NULL;
    cJSON *root = fsim_i_parse_file (doc, path, text, from, error);
    cJSON *result = NULL;
    if (root) {
        fsim_i_bury (doc, root);
        gboolean scenario = cJSON_GetObjectItemCaseSensitive (root, "scenario") != NULL ||
                            cJSON_GetObjectItemCaseSensitive (root, "extends") != NULL;
        if (from && !scenario) {
            fsim_i_error_at (error, doc, from, FALSE, FSIM_LOADER_ERROR_SCHEMA,
                             "extends: '%s' is not a scenario (it has no 'scenario' key)",
                             fsim_i_display_name (doc, path));
        } else {
            result =
                fsim_i_check_top_keys (doc, root, scenario) ? load_base (doc, path, root) : NULL;
            if (result && !build_scenario (doc, path, root, result)) {
                cJSON_Delete (result);
                result = NULL;
            }
            /* the merged object stands where this file's top-level object was written (errors
             * about the whole scenario, such as a missing 'date', are reported there) */
            const FsimNodeLoc *rl = fsim_i_json_loc (doc, root);
            if (result && rl)
                fsim_i_json_set_loc (doc, result, rl);
        }
    }
    pop_file (doc);
    return result;
}

/* Where a choice is set (by a file's set or --claim) before the scenario chose anything. */
static void
ensure_choices (FsimJsonDoc *doc, cJSON *result)
{
    if (cJSON_GetObjectItemCaseSensitive (result, "choices"))
        return;
    cJSON *choices = cJSON_AddObjectToObject (result, "choices");
    const FsimNodeLoc *rl = fsim_i_json_loc (doc, result);
    if (rl)
        fsim_i_json_set_loc (doc, choices, rl);
}

/* What set path @path, under a kind of entity, may change of the names of its entities: 2 for
 * their ids (an "id", or whole elements), 1 for their kinds, tags or scopes, else 0. */
static int
changes_names (const char *path)
{
    static const char *const naming[] = { "kind", "tags", "scopes", NULL };
    if (path[strlen (path) - 1] == ']' || !strpbrk (path, ".["))
        return 2;
    g_auto (GStrv) keys = g_regex_split_simple ("\\[[^]]*\\]|\\.", path, 0, 0);
    int what = 0;
    for (char **k = keys; *k; k++)
        what = MAX (what, strcmp (*k, "id") == 0 ? 2 : g_strv_contains (naming, *k) ? 1 : 0);
    return what;
}

/* One path that an alternative of claims that failed sets: what it may change is not converted
 * (doc->claimed, or its whole top-level key in doc->claim_keys), and what names entities of its
 * kind may name one it changes (doc->claim_names). */
static void
claim_path (FsimJsonDoc *doc, cJSON *result, const char *path)
{
    if (g_str_has_prefix (path, "claims") || fsim_i_is_choice_path (path) || !*path)
        return; /* an error of its own: it sets nothing */
    g_autofree char *top = g_strndup (path, strcspn (path, ".["));
    if (!fsim_i_set_path_region (doc, result, path, doc->claimed))
        g_hash_table_add (doc->claim_keys, g_strdup (top));
    int what = changes_names (path);
    if (what > GPOINTER_TO_INT (g_hash_table_lookup (doc->claim_names, top)))
        g_hash_table_insert (doc->claim_names, g_steal_pointer (&top), GINT_TO_POINTER (what));
}

/* After claims that failed (their alternatives were not applied): what any alternative of any
 * claim sets, whose values may be the ones a claim was to replace. An alternative's `set` is
 * any object-valued key of it, a claim's alternatives any array-valued key (a misspelt key
 * may hold them). FALSE when the claims cannot be read that far (then nothing is converted). */
static gboolean
claims_failed (FsimJsonDoc *doc, cJSON *result)
{
    const cJSON *claims = cJSON_GetObjectItemCaseSensitive (result, "claims");
    if (!cJSON_IsArray (claims))
        return FALSE;
    doc->claims_failed = TRUE;
    doc->claim_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    doc->claim_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    doc->claimed = g_hash_table_new (NULL, NULL);
    for (const cJSON *c = claims->child; c; c = c->next)
        for (const cJSON *alts = cJSON_IsObject (c) ? c->child : NULL; alts; alts = alts->next)
            for (const cJSON *a = cJSON_IsArray (alts) ? alts->child : NULL; a; a = a->next)
                for (const cJSON *set = cJSON_IsObject (a) ? a->child : NULL; set; set = set->next)
                    for (const cJSON *m = cJSON_IsObject (set) ? set->child : NULL; m; m = m->next)
                        claim_path (doc, result, m->string);
    return TRUE;
}

cJSON *
fsim_i_json_merge (FsimJsonDoc *doc, const char *path, const char *text, GError **error)
{
    g_autofree char *canon = g_canonicalize_filename (path, NULL);
    return resolve_scenario (doc, canon, text, NULL, error);
}

/*
 * After merging: the choices (the files' "choices", then set entries under "choices", then
 * --claim), the alternative in force of every claim, the files' "set", then --set.
 */
gboolean
fsim_i_json_finish (FsimJsonDoc *doc, cJSON *result, const char *const *sets)
{
    ensure_choices (doc, result);
    /* Every set is tried, whatever the ones before it gave (their errors are kept). The claims
     * are checked as a whole: when they fail, what an alternative sets is not converted
     * (doc->claim_keys), or nothing when the claims cannot be read that far. */
    g_autoptr (GError) local = NULL;
    gboolean go_on = fsim_i_apply_file_sets (doc, result, TRUE) &&
                     fsim_i_apply_cli_sets (doc, result, sets, TRUE);
    if (go_on && !fsim_i_apply_claims (doc, result, &local)) {
        doc->no_convert = !claims_failed (doc, result);
        go_on = fsim_i_doc_keep (doc, &local);
    }
    go_on = go_on && fsim_i_apply_file_sets (doc, result, FALSE) &&
            fsim_i_apply_cli_sets (doc, result, sets, FALSE);
    return go_on && !doc->no_convert;
}

cJSON *
fsim_i_json_resolve (FsimJsonDoc *doc, const char *path, const char *text, const char *const *sets,
                     GError **error)
{
    cJSON *result = fsim_i_json_merge (doc, path, text, error);
    if (result && !fsim_i_json_finish (doc, result, sets)) {
        cJSON_Delete (result);
        return NULL;
    }
    return result;
}
