/* SPDX-License-Identifier: MIT */
/* loader-json.c: reading JSON files with positions, and resolving include, extends and set. */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include <glib.h>

#include <cjson/cJSON.h>

#include "loader-private.h"

G_DEFINE_QUARK (fsim-loader-error-quark, fsim_loader_error)

static const char *const policy_keys[] = {
    "title", "description", "sources", "include", "fields", "apis", "partners", "rules",
};
static const char *const scenario_keys[] = {
    "scenario", "title", "description", "date", "seed", "include", "extends", "population",
    "set", "sources", "assumptions", "fields", "apis", "partners", "rules",
};
static const char *const entity_keys[] = { "fields", "apis", "partners", "rules" };

FsimJsonDoc *
fsim_i_json_doc_new (void)
{
    FsimJsonDoc *doc = g_new0 (FsimJsonDoc, 1);
    doc->locs = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
    doc->strings = g_string_chunk_new (256);
    doc->graveyard = g_ptr_array_new_with_free_func ((GDestroyNotify) cJSON_Delete);
    doc->stack = g_ptr_array_new_with_free_func (g_free);
    return doc;
}

void
fsim_i_json_doc_free (FsimJsonDoc *doc)
{
    if (!doc)
        return;
    g_hash_table_destroy (doc->locs);
    g_string_chunk_free (doc->strings);
    g_ptr_array_free (doc->graveyard, TRUE);
    g_ptr_array_free (doc->stack, TRUE);
    g_free (doc);
}

const FsimNodeLoc *
fsim_i_json_loc (const FsimJsonDoc *doc, const cJSON *node)
{
    return node ? g_hash_table_lookup (doc->locs, node) : NULL;
}

void
fsim_i_error_at (GError **error, const FsimJsonDoc *doc, const cJSON *node, gboolean at_key,
                 FsimLoaderError code, const char *fmt, ...)
{
    va_list ap;
    va_start (ap, fmt);
    g_autofree char *msg = g_strdup_vprintf (fmt, ap);
    va_end (ap);
    const FsimNodeLoc *loc = fsim_i_json_loc (doc, node);
    if (!loc) {
        g_set_error_literal (error, FSIM_LOADER_ERROR, code, msg);
        return;
    }
    gboolean key = at_key && loc->key_line > 0;
    g_set_error (error, FSIM_LOADER_ERROR, code, "%s:%d:%d: %s", loc->file,
                 key ? loc->key_line : loc->line, key ? loc->key_col : loc->col, msg);
}

/* ---- "did you mean" ---------------------------------------------------------------------- */

static size_t
edit_distance (const char *a, const char *b)
{
    size_t la = strlen (a), lb = strlen (b);
    if (la > 64 || lb > 64)
        return G_MAXSIZE;
    size_t row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t cost = g_ascii_tolower (a[i - 1]) == g_ascii_tolower (b[j - 1]) ? 0 : 1;
            row[j] = MIN (MIN (row[j] + 1, row[j - 1] + 1), diag + cost);
            diag = up;
        }
    }
    return row[lb];
}

const char *
fsim_i_closest (const char *word, const char *const *candidates, size_t n)
{
    const char *best = NULL;
    size_t best_d = G_MAXSIZE;
    for (size_t i = 0; i < n; i++) {
        size_t d = edit_distance (word, candidates[i]);
        if (d < best_d) {
            best_d = d;
            best = candidates[i];
        }
    }
    size_t limit = MAX ((size_t) 2, strlen (word) / 3);
    return best_d <= limit ? best : NULL;
}

/* Files are named relative to the working directory when they lie under it. */
static const char *
display_name (FsimJsonDoc *doc, const char *canon)
{
    g_autofree char *cwd = g_get_current_dir ();
    size_t n = strlen (cwd);
    if (strncmp (canon, cwd, n) == 0 && canon[n] == '/' && canon[n + 1])
        canon += n + 1;
    return g_string_chunk_insert_const (doc->strings, canon);
}

/* ---- positions ------------------------------------------------------------------------- */

typedef struct {
    FsimJsonDoc *doc;
    const char *file;
    const char *p;   /* scan position */
    const char *at;  /* position that line/col describe */
    int line, col;
} Scan;

static void
scan_pos (Scan *s, const char *to, int *line, int *col)
{
    for (; s->at < to; s->at++) {
        unsigned char ch = (unsigned char) *s->at;
        if (ch == '\n') {
            s->line++;
            s->col = 1;
        } else if ((ch & 0xC0) != 0x80) {
            s->col++; /* count characters, not UTF-8 continuation bytes */
        }
    }
    *line = s->line;
    *col = s->col;
}

static void
scan_ws (Scan *s)
{
    while (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r')
        s->p++;
}

static void
scan_string (Scan *s)
{
    s->p++; /* opening quote */
    while (*s->p && *s->p != '"') {
        if (*s->p == '\\' && s->p[1])
            s->p++;
        s->p++;
    }
    if (*s->p)
        s->p++;
}

static FsimNodeLoc *
scan_record (Scan *s, cJSON *node)
{
    FsimNodeLoc *loc = g_new0 (FsimNodeLoc, 1);
    loc->file = s->file;
    scan_pos (s, s->p, &loc->line, &loc->col);
    g_hash_table_replace (s->doc->locs, node, loc);
    return loc;
}

/* The text is valid JSON (cJSON accepted it) and cJSON keeps members in text order, so the
 * tree and the text can be walked together. */
static void
scan_value (Scan *s, cJSON *node)
{
    scan_ws (s);
    scan_record (s, node);
    if (*s->p == '{' || *s->p == '[') {
        gboolean object = *s->p == '{';
        s->p++;
        for (cJSON *child = node->child; child; child = child->next) {
            scan_ws (s);
            int kl = 0, kc = 0;
            if (object) {
                scan_pos (s, s->p, &kl, &kc);
                scan_string (s);
                scan_ws (s);
                s->p++; /* ':' */
            }
            scan_value (s, child);
            if (object) {
                FsimNodeLoc *loc = g_hash_table_lookup (s->doc->locs, child);
                loc->key_line = kl;
                loc->key_col = kc;
            }
            scan_ws (s);
            if (*s->p == ',')
                s->p++;
        }
        scan_ws (s);
        s->p++; /* closing bracket */
    } else if (*s->p == '"') {
        scan_string (s);
    } else {
        while (*s->p && !strchr (",]} \t\r\n", *s->p))
            s->p++;
    }
}

static int
json_depth (const cJSON *node)
{
    int depth = 0;
    for (const cJSON *c = node->child; c; c = c->next)
        depth = MAX (depth, json_depth (c));
    return depth + 1;
}

/* Parse @text named @file; positions start at @line0:@col0 (for values given on the command
 * line). */
static cJSON *
parse_text (FsimJsonDoc *doc, const char *file, const char *text, int line0, int col0,
            GError **error)
{
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithOpts (text, &end, TRUE);
    Scan s = { .doc = doc, .file = g_string_chunk_insert_const (doc->strings, file),
               .p = text, .at = text, .line = line0, .col = col0 };
    if (!root) {
        int line, col;
        if (!end)
            end = text;
        scan_pos (&s, end, &line, &col);
        if (*end == '\0')
            g_set_error (error, FSIM_LOADER_ERROR, FSIM_LOADER_ERROR_PARSE,
                         "%s:%d:%d: invalid JSON: unexpected end of file", s.file, line, col);
        else
            g_set_error (error, FSIM_LOADER_ERROR, FSIM_LOADER_ERROR_PARSE,
                         "%s:%d:%d: invalid JSON: unexpected '%c'", s.file, line, col,
                         g_ascii_isprint (*end) ? *end : '?');
        return NULL;
    }
    if (json_depth (root) > FSIM_LOADER_MAX_DEPTH) {
        g_set_error (error, FSIM_LOADER_ERROR, FSIM_LOADER_ERROR_LIMIT,
                     "%s:%d:%d: JSON nested deeper than %d levels", s.file, line0, col0,
                     FSIM_LOADER_MAX_DEPTH);
        cJSON_Delete (root);
        return NULL;
    }
    scan_value (&s, root);
    return root;
}

static cJSON *
parse_file (FsimJsonDoc *doc, const char *path, const char *text, GError **error)
{
    g_autofree char *owned = NULL;
    if (!text) {
        gsize len = 0;
        g_autoptr(GError) local = NULL;
        g_autoptr(GMappedFile) mf = g_mapped_file_new (path, FALSE, &local);
        if (!mf) {
            g_set_error (error, FSIM_LOADER_ERROR, FSIM_LOADER_ERROR_IO, "%s: cannot read: %s",
                         display_name (doc, path), local->message);
            return NULL;
        }
        len = g_mapped_file_get_length (mf);
        if (len > FSIM_LOADER_MAX_FILE_BYTES) {
            g_set_error (error, FSIM_LOADER_ERROR, FSIM_LOADER_ERROR_LIMIT,
                         "%s: file is %" G_GSIZE_FORMAT " bytes, more than the limit of %u",
                         display_name (doc, path), len, FSIM_LOADER_MAX_FILE_BYTES);
            return NULL;
        }
        owned = g_strndup (g_mapped_file_get_contents (mf), len);
        if (strlen (owned) != len) {
            g_set_error (error, FSIM_LOADER_ERROR, FSIM_LOADER_ERROR_PARSE,
                         "%s: invalid JSON: the file contains a NUL byte",
                         display_name (doc, path));
            return NULL;
        }
        text = owned;
    }
    doc->n_files++;
    cJSON *root = parse_text (doc, display_name (doc, path), text, 1, 1, error);
    if (root && !cJSON_IsObject (root)) {
        fsim_i_error_at (error, doc, root, FALSE, FSIM_LOADER_ERROR_SCHEMA,
                         "expected a JSON object at the top level");
        cJSON_Delete (root);
        return NULL;
    }
    return root;
}

/* ---- top-level keys ------------------------------------------------------------------------ */

static gboolean
check_top_keys (FsimJsonDoc *doc, const cJSON *root, gboolean scenario, GError **error)
{
    const char *const *keys = scenario ? scenario_keys : policy_keys;
    size_t n = scenario ? G_N_ELEMENTS (scenario_keys) : G_N_ELEMENTS (policy_keys);
    for (const cJSON *c = root->child; c; c = c->next) {
        gboolean known = FALSE;
        for (size_t i = 0; i < n && !known; i++)
            known = strcmp (c->string, keys[i]) == 0;
        for (const cJSON *d = root->child; d != c; d = d->next) {
            if (strcmp (d->string, c->string) == 0) {
                fsim_i_error_at (error, doc, c, TRUE, FSIM_LOADER_ERROR_SCHEMA,
                                 "duplicate key '%s'", c->string);
                return FALSE;
            }
        }
        if (known)
            continue;
        const char *near = fsim_i_closest (c->string, keys, n);
        gboolean scen_only = !scenario && fsim_i_closest (c->string, scenario_keys,
                                                           G_N_ELEMENTS (scenario_keys)) != NULL;
        if (near)
            fsim_i_error_at (error, doc, c, TRUE, FSIM_LOADER_ERROR_SCHEMA,
                             "unknown key '%s'; did you mean '%s'?", c->string, near);
        else if (scen_only)
            fsim_i_error_at (error, doc, c, TRUE, FSIM_LOADER_ERROR_SCHEMA,
                             "unknown key '%s' in a policy file (a scenario key: this file has "
                             "no 'scenario' id, or it is included as a policy file)", c->string);
        else
            fsim_i_error_at (error, doc, c, TRUE, FSIM_LOADER_ERROR_SCHEMA,
                             "unknown key '%s'", c->string);
        return FALSE;
    }
    return TRUE;
}

/* ---- merging --------------------------------------------------------------------------------- */

static void
bury (FsimJsonDoc *doc, cJSON *node)
{
    g_ptr_array_add (doc->graveyard, node);
}

static const char *
entity_id (const cJSON *entity)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive (entity, "id");
    return cJSON_IsString (id) ? id->valuestring : NULL;
}

static cJSON *
find_by_id (const cJSON *array, const char *id)
{
    for (cJSON *c = array->child; c; c = c->next) {
        const char *cid = entity_id (c);
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

/* Move the entities of @src[key] into @dst[key]. With @replace an entity whose id exists
 * replaces it; otherwise that is an error naming both places. */
static gboolean
merge_entities (FsimJsonDoc *doc, cJSON *dst, cJSON *src, const char *key, gboolean replace,
                GError **error)
{
    cJSON *from = cJSON_GetObjectItemCaseSensitive (src, key);
    if (!from)
        return TRUE;
    if (!cJSON_IsArray (from)) {
        fsim_i_error_at (error, doc, from, FALSE, FSIM_LOADER_ERROR_SCHEMA,
                         "%s: expected an array", key);
        return FALSE;
    }
    cJSON *to = ensure_array (dst, key);
    while (from->child) {
        cJSON *item = cJSON_DetachItemViaPointer (from, from->child);
        const char *id = entity_id (item);
        cJSON *old = id ? find_by_id (to, id) : NULL;
        if (old && !replace) {
            const FsimNodeLoc *ol = fsim_i_json_loc (doc, old);
            fsim_i_error_at (error, doc, item, FALSE, FSIM_LOADER_ERROR_REFERENCE,
                             "%s: duplicate id '%s' (first defined at %s:%d:%d)", key, id,
                             ol ? ol->file : "?", ol ? ol->line : 0, ol ? ol->col : 0);
            bury (doc, item);
            return FALSE;
        }
        if (old) {
            /* replace in place, so that reports keep the base's order */
            int at = 0;
            for (const cJSON *x = to->child; x != old; x = x->next)
                at++;
            cJSON_InsertItemInArray (to, at, item);
            cJSON_DetachItemViaPointer (to, old);
            bury (doc, old);
        } else {
            cJSON_AddItemToArray (to, item);
        }
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
            bury (doc, item);
            continue;
        }
        if (old) {
            cJSON_DetachItemViaPointer (dst, old);
            bury (doc, old);
        }
        cJSON_AddItemToObject (dst, item->string, item);
    }
}

static gboolean resolve_policy (FsimJsonDoc *doc, const char *path, const cJSON *from,
                                cJSON *layer, GError **error);

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
        g_autoptr(GString) chain = g_string_new (NULL);
        for (guint j = i; j < doc->stack->len; j++)
            g_string_append_printf (chain, "%s -> ", display_name (doc, doc->stack->pdata[j]));
        g_string_append (chain, display_name (doc, canon));
        fsim_i_error_at (error, doc, from, FALSE, FSIM_LOADER_ERROR_CYCLE, "cycle: %s",
                         chain->str);
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

/* Read every file named in @root's "include" into @layer (entities appended, no replace). */
static gboolean
resolve_includes (FsimJsonDoc *doc, const char *path, cJSON *root, cJSON *layer,
                  GError **error)
{
    const cJSON *inc = cJSON_GetObjectItemCaseSensitive (root, "include");
    if (!inc)
        return TRUE;
    if (!cJSON_IsArray (inc)) {
        fsim_i_error_at (error, doc, inc, FALSE, FSIM_LOADER_ERROR_SCHEMA,
                         "include: expected an array of file names");
        return FALSE;
    }
    int i = 0;
    for (const cJSON *c = inc->child; c; c = c->next, i++) {
        if (!cJSON_IsString (c) || !*c->valuestring) {
            fsim_i_error_at (error, doc, c, FALSE, FSIM_LOADER_ERROR_SCHEMA,
                             "include[%d]: expected a file name (a non-empty string)", i);
            return FALSE;
        }
        g_autofree char *child = resolve_relative (path, c->valuestring);
        if (!resolve_policy (doc, child, c, layer, error))
            return FALSE;
    }
    return TRUE;
}

static gboolean
resolve_policy (FsimJsonDoc *doc, const char *path, const cJSON *from, cJSON *layer,
                GError **error)
{
    g_autoptr(GError) local = NULL;
    if (!push_file (doc, path, from, error))
        return FALSE;
    cJSON *root = parse_file (doc, path, NULL, &local);
    gboolean ok = root && check_top_keys (doc, root, FALSE, &local)
                  && resolve_includes (doc, path, root, layer, &local);
    for (size_t k = 0; ok && k < G_N_ELEMENTS (entity_keys); k++)
        ok = merge_entities (doc, layer, root, entity_keys[k], FALSE, &local);
    if (root)
        bury (doc, root);
    pop_file (doc);
    if (!ok) {
        if (local->code == FSIM_LOADER_ERROR_IO && from) {
            const FsimNodeLoc *l = fsim_i_json_loc (doc, from);
            g_set_error (error, FSIM_LOADER_ERROR, FSIM_LOADER_ERROR_IO,
                         "%s:%d:%d: include '%s': %s", l->file, l->line, l->col,
                         from->valuestring, local->message);
            return FALSE;
        }
        g_propagate_error (error, g_steal_pointer (&local));
    }
    return ok;
}

/* ---- set paths ------------------------------------------------------------------------------- */

typedef struct {
    char *key;      /* object key, or NULL for a selector */
    char *selector; /* "[...]" contents */
} Segment;

static void
segment_clear (gpointer p)
{
    Segment *s = p;
    g_free (s->key);
    g_free (s->selector);
}

static GArray *
parse_set_path (const char *path)
{
    g_autoptr(GArray) segs = g_array_new (FALSE, TRUE, sizeof (Segment));
    g_array_set_clear_func (segs, segment_clear);
    const char *p = path;
    while (*p) {
        Segment seg = { 0 };
        if (*p == '[') {
            const char *end = strchr (p, ']');
            if (!end || end == p + 1)
                return NULL;
            seg.selector = g_strndup (p + 1, (gsize) (end - p - 1));
            p = end + 1;
        } else {
            size_t n = strcspn (p, ".[");
            if (n == 0)
                return NULL;
            seg.key = g_strndup (p, n);
            p += n;
        }
        g_array_append_val (segs, seg);
        if (*p == '.') {
            p++;
            if (!*p || *p == '.' || *p == '[')
                return NULL;
        } else if (*p && *p != '[') {
            return NULL;
        }
    }
    return segs->len ? g_steal_pointer (&segs) : NULL;
}

static cJSON *
select_element (cJSON *array, const char *selector)
{
    char *end = NULL;
    guint64 idx = g_ascii_strtoull (selector, &end, 10);
    if (*selector && end && *end == '\0') {
        int n = cJSON_GetArraySize (array);
        return idx < (guint64) n ? cJSON_GetArrayItem (array, (int) idx) : NULL;
    }
    return find_by_id (array, selector);
}

static const char *
json_type_name (const cJSON *n)
{
    if (cJSON_IsObject (n))
        return "an object";
    if (cJSON_IsArray (n))
        return "an array";
    if (cJSON_IsString (n))
        return "a string";
    if (cJSON_IsNumber (n))
        return "a number";
    if (cJSON_IsBool (n))
        return "a boolean";
    return "null";
}

/* Apply one override: replace the value at @path in @root by @value (taking ownership). */
static gboolean
apply_set (FsimJsonDoc *doc, cJSON *root, const char *path, cJSON *value, const cJSON *where,
           GError **error)
{
    g_autoptr(GArray) segs = parse_set_path (path);
    if (!segs) {
        bury (doc, value);
        fsim_i_error_at (error, doc, where, TRUE, FSIM_LOADER_ERROR_SET,
                         "set: malformed path '%s' (expected keys separated by '.', with [N] or "
                         "[ID] to pick an array element)", path);
        return FALSE;
    }
    cJSON *cur = root;
    for (guint i = 0; i < segs->len; i++) {
        Segment *s = &g_array_index (segs, Segment, i);
        gboolean last = i + 1 == segs->len;
        const char *what = s->key ? s->key : s->selector;
        if (s->key ? !cJSON_IsObject (cur) : !cJSON_IsArray (cur)) {
            bury (doc, value);
            fsim_i_error_at (error, doc, where, TRUE, FSIM_LOADER_ERROR_SET,
                             "set '%s': cannot take %s '%s' of %s", path,
                             s->key ? "key" : "element", what, json_type_name (cur));
            return FALSE;
        }
        cJSON *next = s->key ? cJSON_GetObjectItemCaseSensitive (cur, s->key)
                             : select_element (cur, s->selector);
        if (last) {
            if (next) {
                cJSON_DetachItemViaPointer (cur, next);
                bury (doc, next);
            } else if (!s->key) {
                bury (doc, value);
                fsim_i_error_at (error, doc, where, TRUE, FSIM_LOADER_ERROR_SET,
                                 "set '%s': no element '%s'", path, what);
                return FALSE;
            }
            if (s->key)
                cJSON_AddItemToObject (cur, s->key, value);
            else
                cJSON_AddItemToArray (cur, value);
            return TRUE;
        }
        if (!next) {
            bury (doc, value);
            fsim_i_error_at (error, doc, where, TRUE, FSIM_LOADER_ERROR_SET,
                             "set '%s': no %s '%s'", path, s->key ? "key" : "element", what);
            return FALSE;
        }
        cur = next;
    }
    g_assert_not_reached ();
}

static gboolean
apply_file_sets (FsimJsonDoc *doc, cJSON *result, cJSON *root, GError **error)
{
    cJSON *set = cJSON_GetObjectItemCaseSensitive (root, "set");
    if (!set)
        return TRUE;
    if (!cJSON_IsObject (set)) {
        fsim_i_error_at (error, doc, set, FALSE, FSIM_LOADER_ERROR_SCHEMA,
                         "set: expected an object of PATH: VALUE overrides");
        return FALSE;
    }
    while (set->child) {
        cJSON *value = cJSON_DetachItemViaPointer (set, set->child);
        g_autofree char *path = g_strdup (value->string);
        if (!apply_set (doc, result, path, value, value, error))
            return FALSE;
    }
    return TRUE;
}

static gboolean
apply_cli_sets (FsimJsonDoc *doc, cJSON *result, const char *const *sets, GError **error)
{
    for (int i = 0; sets && sets[i]; i++) {
        const char *eq = strchr (sets[i], '=');
        if (!eq || eq == sets[i]) {
            g_set_error (error, FSIM_LOADER_ERROR, FSIM_LOADER_ERROR_SET,
                         "--set '%s': expected PATH=VALUE", sets[i]);
            return FALSE;
        }
        g_autofree char *path = g_strndup (sets[i], (gsize) (eq - sets[i]));
        g_autofree char *name = g_strdup_printf ("--set %s", path);
        cJSON *value = parse_text (doc, name, eq + 1, 1, (int) (eq - sets[i]) + 2, NULL);
        if (!value) {
            value = cJSON_CreateString (eq + 1);
            FsimNodeLoc *loc = g_new0 (FsimNodeLoc, 1);
            loc->file = g_string_chunk_insert_const (doc->strings, name);
            loc->line = 1;
            loc->col = (int) (eq - sets[i]) + 2;
            g_hash_table_replace (doc->locs, value, loc);
        }
        if (!apply_set (doc, result, path, value, value, error))
            return FALSE;
    }
    return TRUE;
}

/* ---- scenarios ---------------------------------------------------------------------------- */

static cJSON *resolve_scenario (FsimJsonDoc *doc, const char *path, const char *text,
                                const cJSON *from, GError **error);

static cJSON *
load_base (FsimJsonDoc *doc, const char *path, cJSON *root, GError **error)
{
    cJSON *ext = cJSON_GetObjectItemCaseSensitive (root, "extends");
    if (!ext)
        return cJSON_CreateObject ();
    if (!cJSON_IsString (ext) || !*ext->valuestring) {
        fsim_i_error_at (error, doc, ext, FALSE, FSIM_LOADER_ERROR_SCHEMA,
                         "extends: expected the file name of a base scenario");
        return NULL;
    }
    g_autofree char *base_path = resolve_relative (path, ext->valuestring);
    g_autoptr(GError) local = NULL;
    cJSON *base = resolve_scenario (doc, base_path, NULL, ext, &local);
    if (!base) {
        const FsimNodeLoc *l = fsim_i_json_loc (doc, ext);
        if (local->code == FSIM_LOADER_ERROR_IO && l)
            g_set_error (error, FSIM_LOADER_ERROR, FSIM_LOADER_ERROR_IO,
                         "%s:%d:%d: extends '%s': %s", l->file, l->line, l->col,
                         ext->valuestring, local->message);
        else
            g_propagate_error (error, g_steal_pointer (&local));
    }
    return base;
}

/* Lay this file's own keys (not include / extends / set / entities) over @result. */
static void
overlay_keys (FsimJsonDoc *doc, cJSON *result, cJSON *root)
{
    cJSON *c = root->child;
    while (c) {
        cJSON *next = c->next;
        gboolean skip = strcmp (c->string, "include") == 0 || strcmp (c->string, "extends") == 0
                        || strcmp (c->string, "set") == 0;
        for (size_t k = 0; k < G_N_ELEMENTS (entity_keys) && !skip; k++)
            skip = strcmp (c->string, entity_keys[k]) == 0;
        if (!skip) {
            cJSON *item = cJSON_DetachItemViaPointer (root, c);
            cJSON *old = cJSON_GetObjectItemCaseSensitive (result, item->string);
            if (old && cJSON_IsObject (old) && cJSON_IsObject (item)) {
                merge_object (doc, old, item);
                bury (doc, item);
            } else {
                if (old) {
                    cJSON_DetachItemViaPointer (result, old);
                    bury (doc, old);
                }
                cJSON_AddItemToObject (result, item->string, item);
            }
        }
        c = next;
    }
}

static gboolean
build_scenario (FsimJsonDoc *doc, const char *path, cJSON *root, cJSON *result, GError **error)
{
    cJSON *layer = cJSON_CreateObject ();
    bury (doc, layer);
    if (!resolve_includes (doc, path, root, layer, error))
        return FALSE;
    for (size_t k = 0; k < G_N_ELEMENTS (entity_keys); k++)
        if (!merge_entities (doc, layer, root, entity_keys[k], FALSE, error))
            return FALSE;
    for (size_t k = 0; k < G_N_ELEMENTS (entity_keys); k++)
        if (!merge_entities (doc, result, layer, entity_keys[k], TRUE, error))
            return FALSE;
    overlay_keys (doc, result, root);
    return apply_file_sets (doc, result, root, error);
}

static cJSON *
resolve_scenario (FsimJsonDoc *doc, const char *path, const char *text, const cJSON *from,
                  GError **error)
{
    if (!push_file (doc, path, from, error))
        return NULL;
    cJSON *root = parse_file (doc, path, text, error);
    cJSON *result = NULL;
    if (root) {
        bury (doc, root);
        gboolean scenario = cJSON_GetObjectItemCaseSensitive (root, "scenario") != NULL
                            || cJSON_GetObjectItemCaseSensitive (root, "extends") != NULL;
        if (from && !scenario) {
            fsim_i_error_at (error, doc, from, FALSE, FSIM_LOADER_ERROR_SCHEMA,
                             "extends: '%s' is not a scenario (it has no 'scenario' key)",
                             display_name (doc, path));
        } else if (check_top_keys (doc, root, scenario, error)) {
            result = load_base (doc, path, root, error);
            if (result && !build_scenario (doc, path, root, result, error)) {
                cJSON_Delete (result);
                result = NULL;
            }
        }
    }
    pop_file (doc);
    return result;
}

cJSON *
fsim_i_json_resolve (FsimJsonDoc *doc, const char *path, const char *text,
                     const char *const *sets, GError **error)
{
    g_autofree char *canon = g_canonicalize_filename (path, NULL);
    cJSON *result = resolve_scenario (doc, canon, text, NULL, error);
    if (!result)
        return NULL;
    /* Messages name the top file as the user wrote it. */
    if (!apply_cli_sets (doc, result, sets, error)) {
        cJSON_Delete (result);
        return NULL;
    }
    return result;
}
