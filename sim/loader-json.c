/* SPDX-License-Identifier: MIT */
/* loader-json.c: reading JSON files with positions, and resolving include, extends and set. */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

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

/* Keep a detached tree alive until the doc is freed (see FsimJsonDoc.graveyard). */
static void
bury (FsimJsonDoc *doc, cJSON *node)
{
    g_ptr_array_add (doc->graveyard, node);
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
    loc->index = -1;
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
        int index = 0;
        s->p++;
        for (cJSON *child = node->child; child; child = child->next, index++) {
            scan_ws (s);
            int kl = 0, kc = 0;
            if (object) {
                scan_pos (s, s->p, &kl, &kc);
                scan_string (s);
                scan_ws (s);
                s->p++; /* ':' */
            }
            scan_value (s, child);
            FsimNodeLoc *loc = g_hash_table_lookup (s->doc->locs, child);
            if (object) {
                loc->key_line = kl;
                loc->key_col = kc;
            } else {
                loc->index = index;
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

/* Before cJSON sees @text: it must be UTF-8 (RFC 8259) and nest at most FSIM_LOADER_MAX_DEPTH
 * levels (counting brackets outside strings, so that the error points at the bracket that goes
 * too deep and cJSON's own, larger, nesting limit is never what the user meets). */
static gboolean
precheck_text (Scan *s, const char *text, GError **error)
{
    const char *bad = NULL;
    int line, col;
    if (!g_utf8_validate (text, -1, &bad)) {
        scan_pos (s, bad, &line, &col);
        g_set_error (error, FSIM_LOADER_ERROR, FSIM_LOADER_ERROR_PARSE,
                     "%s:%d:%d: invalid JSON: byte 0x%02X is not UTF-8 (JSON text must be UTF-8)",
                     s->file, line, col, (unsigned char) *bad);
        return FALSE;
    }
    int depth = 0;
    gboolean in_string = FALSE;
    for (const char *p = text; *p; p++) {
        if (in_string) {
            if (*p == '\\' && p[1])
                p++;
            else if (*p == '"')
                in_string = FALSE;
        } else if (*p == '"') {
            in_string = TRUE;
        } else if (*p == '{' || *p == '[') {
            if (++depth > FSIM_LOADER_MAX_DEPTH) {
                scan_pos (s, p, &line, &col);
                g_set_error (error, FSIM_LOADER_ERROR, FSIM_LOADER_ERROR_LIMIT,
                             "%s:%d:%d: JSON nested deeper than %d levels", s->file, line, col,
                             FSIM_LOADER_MAX_DEPTH);
                return FALSE;
            }
        } else if (*p == '}' || *p == ']') {
            depth--;
        }
    }
    return TRUE;
}

/* cJSON refused @text at @end: say why as precisely as we can. */
static void
parse_error (Scan *s, const char *text, const char *end, GError **error)
{
    int line, col;
    const char *what = "unexpected end of file";
    g_autofree char *msg = NULL;
    if (!end)
        end = text;
    if (text[strspn (text, " \t\r\n")] == '\0') {
        end = text;
        what = "the file is empty";
    } else if (*end) {
        const char *tail = NULL;
        cJSON *prefix = cJSON_ParseWithOpts (text, &tail, FALSE);
        gunichar ch = g_utf8_get_char (end); /* the text is valid UTF-8 */
        const char *hint = prefix ? " after the end of the top-level value"
                           : ch == '/' ? " (JSON has no comments)"
                           : ch == '\'' || ch == 0x2018 || ch == 0x201C
                               ? " (JSON strings take straight double quotes)" : "";
        cJSON_Delete (prefix);
        if (g_unichar_isprint (ch))
            msg = g_strdup_printf ("unexpected '%.*s'%s", (int) (g_utf8_next_char (end) - end),
                                   end, hint);
        else
            msg = g_strdup_printf ("unexpected character U+%04X%s", ch, hint);
        what = msg;
    }
    scan_pos (s, end, &line, &col);
    g_set_error (error, FSIM_LOADER_ERROR, FSIM_LOADER_ERROR_PARSE, "%s:%d:%d: invalid JSON: %s",
                 s->file, line, col, what);
}

/* Checks every key and string of a freshly parsed tree: no key twice in one object (cJSON keeps
 * both, and a later merge would silently pick one), no string or key over the length limit.
 * @path is the path inside this file. */
static gboolean
check_tree (FsimJsonDoc *doc, cJSON *node, const FsimJPath *path, GError **error)
{
    if (cJSON_IsString (node) && strlen (node->valuestring) > FSIM_LOADER_MAX_STRING) {
        g_autofree char *where = fsim_i_jpath_render (path);
        fsim_i_error_at (error, doc, node, FALSE, FSIM_LOADER_ERROR_LIMIT,
                         "%s%sstring of %zu bytes is longer than the limit of %d", where,
                         *where ? ": " : "", strlen (node->valuestring), FSIM_LOADER_MAX_STRING);
        return FALSE;
    }
    gboolean object = cJSON_IsObject (node);
    g_autoptr(GHashTable) seen = object ? g_hash_table_new (g_str_hash, g_str_equal) : NULL;
    int i = 0;
    for (cJSON *c = node->child; c; c = c->next, i++) {
        FsimJPath p = object ? FSIM_JP_KEY (path, c->string) : FSIM_JP_IDX (path, i);
        if (object && strlen (c->string) > FSIM_LOADER_MAX_STRING) {
            g_autofree char *where = fsim_i_jpath_render (path);
            fsim_i_error_at (error, doc, c, TRUE, FSIM_LOADER_ERROR_LIMIT,
                             "%s%skey of %zu bytes is longer than the limit of %d", where,
                             *where ? ": " : "", strlen (c->string), FSIM_LOADER_MAX_STRING);
            return FALSE;
        }
        const cJSON *first = object ? g_hash_table_lookup (seen, c->string) : NULL;
        if (first) {
            const FsimNodeLoc *fl = fsim_i_json_loc (doc, first);
            g_autofree char *where = fsim_i_jpath_render (path);
            fsim_i_error_at (error, doc, c, TRUE, FSIM_LOADER_ERROR_SCHEMA,
                             "%s%sduplicate key '%s' (first given at %d:%d)", where,
                             *where ? ": " : "", c->string, fl->key_line, fl->key_col);
            return FALSE;
        }
        if (object)
            g_hash_table_insert (seen, c->string, c);
        if (!check_tree (doc, c, &p, error))
            return FALSE;
    }
    return TRUE;
}

/* Parse @text named @file; positions start at @line0:@col0 (for values given on the command
 * line). */
static cJSON *
parse_text (FsimJsonDoc *doc, const char *file, const char *text, int line0, int col0,
            GError **error)
{
    Scan s = { .doc = doc, .file = g_string_chunk_insert_const (doc->strings, file),
               .p = text, .at = text, .line = line0, .col = col0 };
    if (g_str_has_prefix (text, "\xEF\xBB\xBF"))
        s.p = s.at = text + 3; /* cJSON skips a UTF-8 byte order mark: so does the scan */
    Scan pre = s;
    if (!precheck_text (&pre, text, error))
        return NULL;
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithOpts (text, &end, TRUE);
    if (!root) {
        parse_error (&s, text, end, error);
        return NULL;
    }
    scan_value (&s, root);
    if (!check_tree (doc, root, NULL, error)) {
        bury (doc, root); /* positions were recorded: keep the addresses taken */
        return NULL;
    }
    return root;
}

/* Reads and parses @path (or @text standing for it). @from is the "include" or "extends" string
 * that names the file (NULL for the top file): a file that cannot be read is reported there. */
static cJSON *
parse_file (FsimJsonDoc *doc, const char *path, const char *text, const cJSON *from,
            GError **error)
{
    g_autofree char *owned = NULL;
    const char *name = display_name (doc, path);
    if (!text) {
        gsize len = 0;
        g_autoptr(GError) local = NULL;
        GStatBuf st;
        /* refuse a huge regular file before reading it; pipes are read, then measured */
        gboolean huge = g_stat (path, &st) == 0
                        && (guint64) st.st_size > FSIM_LOADER_MAX_FILE_BYTES;
        if (!huge && !g_file_get_contents (path, &owned, &len, &local)) {
            const FsimNodeLoc *l = fsim_i_json_loc (doc, from);
            if (l)
                g_set_error (error, FSIM_LOADER_ERROR, FSIM_LOADER_ERROR_IO,
                             "%s:%d:%d: %s '%s': cannot read: %s", l->file, l->line, l->col,
                             from->string ? from->string : "include", from->valuestring,
                             local->message);
            else
                g_set_error (error, FSIM_LOADER_ERROR, FSIM_LOADER_ERROR_IO,
                             "%s: cannot read: %s", name, local->message);
            return NULL;
        }
        if (huge || len > FSIM_LOADER_MAX_FILE_BYTES) {
            g_set_error (error, FSIM_LOADER_ERROR, FSIM_LOADER_ERROR_LIMIT,
                         "%s: file is %" G_GUINT64_FORMAT " bytes, more than the limit of %u",
                         name, huge ? (guint64) st.st_size : (guint64) len,
                         FSIM_LOADER_MAX_FILE_BYTES);
            return NULL;
        }
        if (strlen (owned) != len) {
            Scan s = { .doc = doc, .file = name, .at = owned, .line = 1, .col = 1 };
            int line, col;
            scan_pos (&s, owned + strlen (owned), &line, &col);
            g_set_error (error, FSIM_LOADER_ERROR, FSIM_LOADER_ERROR_PARSE,
                         "%s:%d:%d: invalid JSON: unexpected NUL byte", name, line, col);
            return NULL;
        }
        text = owned;
    }
    doc->n_files++;
    cJSON *root = parse_text (doc, name, text, 1, 1, error);
    if (root && !cJSON_IsObject (root)) {
        fsim_i_error_at (error, doc, root, FALSE, FSIM_LOADER_ERROR_SCHEMA,
                         "expected a JSON object at the top level, got %s",
                         fsim_i_json_type_name (root));
        bury (doc, root);
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
        const char *scen = scenario ? NULL : fsim_i_closest (c->string, scenario_keys,
                                                             G_N_ELEMENTS (scenario_keys));
        gboolean scen_only = scen && strcmp (scen, c->string) == 0;
        if (!near && !scen_only)
            near = scen; /* a misspelt scenario key, such as 'scenaro' */
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

/*
 * Put @value where @old is in @parent (an array, or an object when @key is given) and bury @old:
 * the order of entities is the order of reports, and an audience map's order breaks ties.
 * Not cJSON_InsertItemInArray(): in Debian 12's cJSON 1.7.15 (since +deb12u1, the backport of
 * the CVE-2023-50471 checks) it refuses any position but the two ends, so @value is linked in
 * by hand, as cJSON itself does.
 */
static void
replace_in_place (FsimJsonDoc *doc, cJSON *parent, cJSON *old, const char *key, cJSON *value)
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
    bury (doc, old);
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
                         "%s: expected an array, got %s", key, fsim_i_json_type_name (from));
        return FALSE;
    }
    cJSON *to = ensure_array (dst, key);
    while (from->child) {
        cJSON *item = cJSON_DetachItemViaPointer (from, from->child);
        const char *id = entity_id (item);
        cJSON *old = id ? find_by_id (to, id) : NULL;
        if (old && !replace) {
            const FsimNodeLoc *ol = fsim_i_json_loc (doc, old);
            const FsimNodeLoc *il = fsim_i_json_loc (doc, item);
            g_autofree char *where = il && il->index >= 0
                                         ? g_strdup_printf ("%s[%d].id", key, il->index)
                                         : g_strdup (key);
            fsim_i_error_at (error, doc, item, FALSE, FSIM_LOADER_ERROR_REFERENCE,
                             "%s: duplicate id '%s' (first defined at %s:%d:%d)", where, id,
                             ol ? ol->file : "?", ol ? ol->line : 0, ol ? ol->col : 0);
            bury (doc, item);
            return FALSE;
        }
        if (old) {
            /* replace in place, so that reports keep the base's order */
            replace_in_place (doc, to, old, NULL, item);
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
    if (!push_file (doc, path, from, error))
        return FALSE;
    cJSON *root = parse_file (doc, path, NULL, from, error);
    gboolean ok = root && check_top_keys (doc, root, FALSE, error)
                  && resolve_includes (doc, path, root, layer, error);
    for (size_t k = 0; ok && k < G_N_ELEMENTS (entity_keys); k++)
        ok = merge_entities (doc, layer, root, entity_keys[k], FALSE, error);
    if (root)
        bury (doc, root);
    pop_file (doc);
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

/* " (...)" telling what an array selector could have been, or NULL. */
static char *
missing_element_hint (const cJSON *array, const char *selector)
{
    int n = cJSON_GetArraySize (array);
    if (g_ascii_isdigit (*selector))
        return g_strdup_printf (" (the array has %d element%s)", n, n == 1 ? "" : "s");
    g_autoptr(GPtrArray) ids = g_ptr_array_new ();
    for (const cJSON *c = array->child; c; c = c->next)
        if (entity_id (c))
            g_ptr_array_add (ids, (gpointer) entity_id (c));
    const char *near = fsim_i_closest (selector, (const char *const *) ids->pdata, ids->len);
    if (near)
        return g_strdup_printf ("; did you mean '%s'?", near);
    if (ids->len == 0 || ids->len > 12)
        return NULL;
    g_autoptr(GString) list = g_string_new (" (ids: ");
    for (guint i = 0; i < ids->len; i++)
        g_string_append_printf (list, "%s'%s'", i ? ", " : "", (char *) ids->pdata[i]);
    g_string_append_c (list, ')');
    return g_string_free (g_steal_pointer (&list), FALSE);
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
        if (last && next) {
            replace_in_place (doc, cur, next, s->key, value);
            return TRUE;
        }
        if (last && s->key) {
            cJSON_AddItemToObject (cur, s->key, value);
            return TRUE;
        }
        if (!next) {
            g_autofree char *hint = s->key ? NULL : missing_element_hint (cur, s->selector);
            bury (doc, value);
            fsim_i_error_at (error, doc, where, TRUE, FSIM_LOADER_ERROR_SET,
                             "set '%s': no %s '%s'%s", path, s->key ? "key" : "element", what,
                             hint ? hint : "");
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
        g_autoptr(GError) local = NULL;
        cJSON *value = parse_text (doc, name, eq + 1, 1, (int) (eq - sets[i]) + 2, &local);
        if (!value && local->code != FSIM_LOADER_ERROR_PARSE) {
            g_propagate_error (error, g_steal_pointer (&local)); /* JSON, but too long, ... */
            return FALSE;
        }
        if (!value) {
            /* not JSON: the text itself is the value */
            value = cJSON_CreateString (eq + 1);
            FsimNodeLoc *loc = g_new0 (FsimNodeLoc, 1);
            loc->file = g_string_chunk_insert_const (doc->strings, name);
            loc->index = -1;
            loc->line = 1;
            loc->col = (int) (eq - sets[i]) + 2;
            g_hash_table_replace (doc->locs, value, loc);
        }
        /* the "key" of a --set is its path, at column 1 */
        FsimNodeLoc *loc = g_hash_table_lookup (doc->locs, value);
        loc->key_line = 1;
        loc->key_col = 1;
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
                         "extends: expected the file name of a base scenario, got %s",
                         cJSON_IsString (ext) ? "an empty string" : fsim_i_json_type_name (ext));
        return NULL;
    }
    g_autofree char *base_path = resolve_relative (path, ext->valuestring);
    return resolve_scenario (doc, base_path, NULL, ext, error);
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
    cJSON *root = parse_file (doc, path, text, from, error);
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
            /* the merged object stands where this file's top-level object was written (errors
             * about the whole scenario, such as a missing 'date', are reported there) */
            const FsimNodeLoc *rl = fsim_i_json_loc (doc, root);
            if (result && rl) {
                FsimNodeLoc *loc = g_new (FsimNodeLoc, 1);
                *loc = *rl;
                g_hash_table_replace (doc->locs, result, loc);
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
