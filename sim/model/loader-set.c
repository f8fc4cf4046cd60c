/* SPDX-License-Identifier: MIT */
/* loader-set.c: `set` and `--set`: paths into the merged JSON tree (docs/format.md, "set
 * paths"), the overrides a file keeps for later layers, and the command line's, applied in
 * order. The merging itself (include, extends) is loader-merge.c. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include <cjson/cJSON.h>

#include "loader-private.h"

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
    g_autoptr (GArray) segs = g_array_new (FALSE, TRUE, sizeof (Segment));
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
    /* digits only: strtoull skips blanks and a sign, so "[ 1]" and "[+1]" chose element 1 */
    if (g_ascii_isdigit (*selector) && end && *end == '\0') {
        int n = cJSON_GetArraySize (array);
        return idx < (guint64) n ? cJSON_GetArrayItem (array, (int) idx) : NULL;
    }
    return fsim_i_find_by_id (array, selector);
}

/* " (...)" telling what an array selector could have been, or NULL. */
static char *
missing_element_hint (const cJSON *array, const char *selector)
{
    int n = cJSON_GetArraySize (array);
    if (g_ascii_isdigit (*selector))
        return g_strdup_printf (" (the array has %d element%s)", n, n == 1 ? "" : "s");
    g_autoptr (GPtrArray) ids = g_ptr_array_new ();
    for (const cJSON *c = array->child; c; c = c->next)
        if (fsim_i_entity_id (c))
            g_ptr_array_add (ids, (gpointer) fsim_i_entity_id (c));
    const char *near = fsim_i_closest (selector, (const char *const *) ids->pdata, ids->len);
    if (near)
        return g_strdup_printf ("; did you mean '%s'?", near);
    if (ids->len == 0 || ids->len > 12)
        return NULL;
    g_autoptr (GString) list = g_string_new (" (ids: ");
    for (guint i = 0; i < ids->len; i++)
        g_string_append_printf (list, "%s'%s'", i ? ", " : "", (char *) ids->pdata[i]);
    g_string_append_c (list, ')');
    return g_string_free (g_steal_pointer (&list), FALSE);
}

/* Does @selector pick many elements: "*", "kind:K", "tag:T" or a glob over ids? */
static gboolean
is_multi_selector (const char *selector)
{
    return strpbrk (selector, "*?") != NULL || g_str_has_prefix (selector, "kind:") ||
           g_str_has_prefix (selector, "tag:");
}

/* Does the multi-selector @selector pick @element (an object with "id", "kind", "tags")? */
static gboolean
multi_selects (const cJSON *element, const char *selector)
{
    if (strcmp (selector, "*") == 0)
        return TRUE;
    if (g_str_has_prefix (selector, "kind:")) {
        const cJSON *k = cJSON_GetObjectItemCaseSensitive (element, "kind");
        return cJSON_IsString (k) && g_pattern_match_simple (selector + 5, k->valuestring);
    }
    if (g_str_has_prefix (selector, "tag:")) {
        const cJSON *tags = cJSON_GetObjectItemCaseSensitive (element, "tags");
        for (const cJSON *t = cJSON_IsArray (tags) ? tags->child : NULL; t; t = t->next)
            if (cJSON_IsString (t) && g_pattern_match_simple (selector + 4, t->valuestring))
                return TRUE;
        return FALSE;
    }
    const char *id = fsim_i_entity_id (element);
    return id && g_pattern_match_simple (selector, id);
}

/* A deep copy of @node that keeps the positions of every value, for the errors they may cause. */
cJSON *
fsim_i_json_duplicate_located (FsimJsonDoc *doc, const cJSON *node)
{
    cJSON *copy = cJSON_Duplicate (node, TRUE);
    g_autoptr (GPtrArray) from = g_ptr_array_new ();
    g_autoptr (GPtrArray) to = g_ptr_array_new ();
    g_ptr_array_add (from, (gpointer) node);
    g_ptr_array_add (to, copy);
    for (guint i = 0; i < from->len; i++) {
        const cJSON *a = from->pdata[i];
        cJSON *b = to->pdata[i];
        const FsimNodeLoc *loc = fsim_i_json_loc (doc, a);
        if (loc)
            fsim_i_json_set_loc (doc, b, loc);
        for (const cJSON *x = a->child, *y = b->child; x && y; x = x->next, y = y->next) {
            g_ptr_array_add (from, (gpointer) x);
            g_ptr_array_add (to, (gpointer) y);
        }
    }
    return copy;
}

static gint
compare_keys (gconstpointer a, gconstpointer b)
{
    return strcmp ((*(const cJSON *const *) a)->string, (*(const cJSON *const *) b)->string);
}

/* Sorts the members of @obj (only its own) by key (byte order). */
static void
sort_keys_top (cJSON *obj)
{
    g_autoptr (GPtrArray) kids = g_ptr_array_new ();
    for (cJSON *c = obj->child; c; c = c->next)
        g_ptr_array_add (kids, c);
    if (kids->len < 2)
        return;
    g_ptr_array_sort (kids, compare_keys);
    for (guint i = 0; i < kids->len; i++) {
        cJSON *c = kids->pdata[i];
        c->next = i + 1 < kids->len ? kids->pdata[i + 1] : NULL;
        c->prev = kids->pdata[i ? i - 1 : kids->len - 1];
    }
    obj->child = kids->pdata[0];
}

/* Sorts the members of every object in @node, at every depth, by key. */
static void
sort_keys (cJSON *node)
{
    for (cJSON *c = node->child; c; c = c->next)
        sort_keys (c);
    if (cJSON_IsObject (node))
        sort_keys_top (node);
}

/* @value as compact JSON with its objects' keys sorted, so that the text does not depend on
 * the order they were written in (transfer full). */
static char *
canonical_text (const cJSON *value)
{
    cJSON *copy = cJSON_Duplicate (value, TRUE);
    sort_keys (copy);
    char *text = cJSON_PrintUnformatted (copy);
    char *out = g_strdup (text);
    cJSON_free (text);
    cJSON_Delete (copy);
    return out;
}

typedef struct {
    FsimJsonDoc *doc;
    const char *path;
    GArray *segs;
    const cJSON *value; /* the new value (each target gets a located copy); NULL: a dry run */
    const cJSON *where;
    guint changed;      /* values replaced or added */
    guint unchanged;    /* ... of which were that value already */
    GHashTable *region; /* non-NULL: a dry run that collects what the path sets (set_region) */
    gboolean top;       /* ... and a whole top-level value was one of them */
} SetWalk;

/* A dry run's target: the value of key @key (NULL: an element) of @cur, at depth @depth (the
 * root is 0), whose container is @up. What the value may change is collected: the object that
 * holds it (its other values may be checked against it), or, for an element or an id, the
 * array that holds it (a sibling may repeat the id). A whole top-level value (depth 1) is not
 * collected: w->top says so. */
static void
set_region (SetWalk *w, cJSON *cur, cJSON *up, guint depth, const char *key)
{
    cJSON *r = cur;
    if (key && strcmp (key, "id") == 0) {
        r = up;
        depth--;
    }
    if (depth <= 1 || !r)
        w->top = TRUE;
    else
        g_hash_table_add (w->region, r);
}

/* After an error that a set path names nothing: when a file was not read, what it names may be
 * in that file, so the error is marked as caused by that one (fsim_i_doc_keep() drops it).
 * Returns FALSE. */
static gboolean
names_nothing (const FsimJsonDoc *doc, GError **error)
{
    if (doc->incomplete && error && *error)
        fsim_i_mark_caused (*error);
    return FALSE;
}

/* Applies segments @i.. of the walk under @cur. FALSE with @error set when the path names
 * nothing there; a multi-selector that picks no element is such an error too. */
static gboolean
set_at (SetWalk *w, cJSON *cur, cJSON *up, guint i, GError **error)
{
    Segment *s = &g_array_index (w->segs, Segment, i);
    gboolean last = i + 1 == w->segs->len;
    const char *what = s->key ? s->key : s->selector;
    if (s->key ? !cJSON_IsObject (cur) : !cJSON_IsArray (cur)) {
        fsim_i_error_at (error, w->doc, w->where, TRUE, FSIM_LOADER_ERROR_SET,
                         "set '%s': cannot take %s '%s' of %s", w->path, s->key ? "key" : "element",
                         what, fsim_i_json_type_name (cur));
        return FALSE;
    }
    if (!s->key && is_multi_selector (s->selector)) {
        gboolean any = FALSE;
        for (cJSON *e = cur->child, *next; e; e = next) {
            next = e->next;
            if (!multi_selects (e, s->selector))
                continue;
            any = TRUE;
            if (last && w->region) {
                set_region (w, cur, up, i, NULL);
            } else if (last) {
                w->unchanged += w->value && cJSON_Compare (e, w->value, TRUE);
                if (w->value) /* else a dry run */
                    fsim_i_json_replace (w->doc, cur, e, NULL,
                                         fsim_i_json_duplicate_located (w->doc, w->value));
                w->changed++;
            } else if (!set_at (w, e, cur, i + 1, error)) {
                return FALSE;
            }
        }
        if (any)
            return TRUE;
        fsim_i_error_at (error, w->doc, w->where, TRUE, FSIM_LOADER_ERROR_SET,
                         "set '%s': '[%s]' selects no element", w->path, s->selector);
        return names_nothing (w->doc, error);
    }
    cJSON *next =
        s->key ? cJSON_GetObjectItemCaseSensitive (cur, s->key) : select_element (cur, s->selector);
    if (last && (next || s->key)) {
        if (w->region)
            set_region (w, cur, up, i, s->key);
        w->unchanged += next && w->value && cJSON_Compare (next, w->value, TRUE);
        if (w->value) { /* else a dry run */
            cJSON *copy = fsim_i_json_duplicate_located (w->doc, w->value);
            if (next)
                fsim_i_json_replace (w->doc, cur, next, s->key, copy);
            else
                cJSON_AddItemToObject (cur, s->key, copy);
        }
        w->changed++;
        return TRUE;
    }
    if (!next) {
        g_autofree char *hint = s->key ? NULL : missing_element_hint (cur, s->selector);
        fsim_i_error_at (error, w->doc, w->where, TRUE, FSIM_LOADER_ERROR_SET,
                         "set '%s': no %s '%s'%s", w->path, s->key ? "key" : "element", what,
                         hint ? hint : "");
        return names_nothing (w->doc, error);
    }
    return set_at (w, next, cur, i + 1, error);
}

/* Walk @path in @root and, unless @value is NULL (a dry run, which changes nothing), replace
 * the value it names by a located copy of @value, at every element the path's selectors pick
 * ([*], [kind:K], [tag:T], [glob]). With @record (an override), @value is taken (kept alive
 * with the doc), and the override and how many values it changed are kept in doc->overrides;
 * without, @value is borrowed (a claim's alternative, which stays as written: a load that
 * shares the claims with others, fsim_loader_base_load(), leaves them unchanged). */
static gboolean
walk_set (FsimJsonDoc *doc, cJSON *root, const char *path, const cJSON *value, const cJSON *where,
          gboolean record, GError **error)
{
    g_autoptr (GArray) segs = parse_set_path (path);
    if (value && record)
        fsim_i_bury (doc, (cJSON *) value); /* the targets get located copies */
    if (!segs) {
        fsim_i_error_at (error, doc, where, TRUE, FSIM_LOADER_ERROR_SET,
                         "set: malformed path '%s' (expected keys separated by '.', with [N], "
                         "[ID], [*], [kind:K], [tag:T] or a glob to pick array elements)",
                         path);
        return FALSE;
    }
    /* the claims were applied before any set: changing one now would make the reports
     * disagree with the values in force */
    const Segment *first = &g_array_index (segs, Segment, 0);
    if (first->key && strcmp (first->key, "claims") == 0) {
        fsim_i_error_at (error, doc, where, TRUE, FSIM_LOADER_ERROR_SET,
                         "set '%s': claims cannot be set; choose an alternative with "
                         "'choices' or --claim CLAIM=ALTERNATIVE",
                         path);
        return FALSE;
    }
    SetWalk w = { .doc = doc, .path = path, .segs = segs, .value = value, .where = where };
    if (!set_at (&w, root, NULL, 0, error))
        return FALSE;
    if (value && record) {
        FsimOverride o = { .path = g_strdup (path),
                           .value = canonical_text (value),
                           .changed = w.changed,
                           .unchanged = w.unchanged };
        g_array_append_val (doc->overrides, o);
    }
    return TRUE;
}

/* A what-if override (a file's set, --set): applied and kept in doc->overrides. */
static gboolean
apply_override (FsimJsonDoc *doc, cJSON *root, const char *path, cJSON *value, const cJSON *where,
                GError **error)
{
    return walk_set (doc, root, path, value, where, TRUE, error);
}

/* The set of a claim's alternative in force: part of the scenario, reported with the claims,
 * not as an override. */
gboolean
fsim_i_apply_set (FsimJsonDoc *doc, cJSON *root, const char *path, const cJSON *value,
                  const cJSON *where, GError **error)
{
    g_return_val_if_fail (value != NULL, FALSE);
    return walk_set (doc, root, path, value, where, FALSE, error);
}

gboolean
fsim_i_check_set_path (FsimJsonDoc *doc, cJSON *root, const char *path, const cJSON *where,
                       GError **error)
{
    return walk_set (doc, root, path, NULL, where, FALSE, error);
}

gboolean
fsim_i_set_path_region (FsimJsonDoc *doc, cJSON *root, const char *path, GHashTable *region)
{
    g_autoptr (GArray) segs = parse_set_path (path);
    if (!segs)
        return FALSE;
    g_autoptr (GHashTable) found = g_hash_table_new (NULL, NULL);
    SetWalk w = { .doc = doc, .path = path, .segs = segs, .region = found };
    g_autoptr (GError) local = NULL; /* a path that names nothing was reported with the claims */
    if (!set_at (&w, root, NULL, 0, &local) || w.top)
        return FALSE;
    /* every node under what the path sets */
    GHashTableIter it;
    gpointer node;
    g_autoptr (GPtrArray) todo = g_ptr_array_new ();
    g_hash_table_iter_init (&it, found);
    while (g_hash_table_iter_next (&it, &node, NULL))
        g_ptr_array_add (todo, node);
    while (todo->len > 0) {
        cJSON *n = g_ptr_array_steal_index_fast (todo, todo->len - 1);
        if (!g_hash_table_add (region, n))
            continue; /* collected already */
        for (cJSON *k = n->child; k; k = k->next)
            g_ptr_array_add (todo, k);
    }
    return TRUE;
}

gboolean
fsim_i_is_choice_path (const char *path)
{
    return g_str_has_prefix (path, "choices") &&
           (path[7] == '\0' || path[7] == '.' || path[7] == '[');
}

/* Can selectors @a and @b ("[...]" contents) pick the same element? Only two different plain
 * ids, or two different indices, cannot. */
static gboolean
selectors_may_meet (const char *a, const char *b)
{
    if (strcmp (a, b) == 0)
        return TRUE;
    gboolean plain_a = !strpbrk (a, "*?:"), plain_b = !strpbrk (b, "*?:");
    gboolean num_a = a[strspn (a, "0123456789")] == '\0';
    gboolean num_b = b[strspn (b, "0123456789")] == '\0';
    return !(plain_a && plain_b && num_a == num_b);
}

/* Could set paths @a and @b change the same value (one is, or could be, inside the other)? */
static gboolean
set_paths_may_meet (const char *a, const char *b)
{
    g_autoptr (GArray) x = parse_set_path (a);
    g_autoptr (GArray) y = parse_set_path (b);
    if (!x || !y)
        return FALSE; /* reported as malformed when applied */
    for (guint i = 0; i < MIN (x->len, y->len); i++) {
        const Segment *s = &g_array_index (x, Segment, i), *t = &g_array_index (y, Segment, i);
        if (s->key ? !t->key || strcmp (s->key, t->key) != 0
                   : t->key || !selectors_may_meet (s->selector, t->selector))
            return FALSE;
    }
    return TRUE;
}

/*
 * A scenario file's "set" is kept for later (fsim_i_json_resolve applies it after the
 * claims); its form is checked now, where the file is read: an object {PATH: VALUE} (no two
 * paths may meet: the order of keys carries no meaning; applied in byte order of the paths)
 * or an array [{PATH: VALUE}, ...] applied in order.
 */
gboolean
fsim_i_keep_file_sets (FsimJsonDoc *doc, cJSON *root)
{
    cJSON *set = cJSON_GetObjectItemCaseSensitive (root, "set");
    g_autoptr (GError) local = NULL;
    if (!set)
        return TRUE;
    if (cJSON_IsArray (set)) {
        int i = 0;
        for (cJSON *e = set->child, *next; e; e = next, i++) {
            next = e->next;
            if (cJSON_IsObject (e) && cJSON_GetArraySize (e) == 1)
                continue;
            fsim_i_error_at (&local, doc, e, FALSE, FSIM_LOADER_ERROR_SCHEMA,
                             "set[%d]: expected an object with one key {PATH: VALUE}", i);
            fsim_i_bury (doc, cJSON_DetachItemViaPointer (set, e)); /* the others are applied */
            if (!fsim_i_doc_keep (doc, &local))
                return FALSE;
        }
        g_ptr_array_add (doc->file_sets, set); /* @root, and so @set, is buried: alive */
        return TRUE;
    }
    if (!cJSON_IsObject (set)) {
        fsim_i_error_at (&local, doc, set, FALSE, FSIM_LOADER_ERROR_SCHEMA,
                         "set: expected an object of PATH: VALUE overrides, or an array of "
                         "{PATH: VALUE} objects applied in order");
        return fsim_i_doc_keep (doc, &local);
    }
    /* every pair that may meet is an error, and then none is applied (what one would find
     * depends on which came first) */
    gboolean clash = FALSE;
    for (const cJSON *a = set->child; a; a = a->next)
        for (const cJSON *b = a->next; b; b = b->next) {
            if (!set_paths_may_meet (a->string, b->string))
                continue;
            const cJSON *x = strcmp (a->string, b->string) < 0 ? a : b;
            const cJSON *y = x == a ? b : a;
            fsim_i_error_at (&local, doc, y, TRUE, FSIM_LOADER_ERROR_SET,
                             "set: '%s' and '%s' may change the same value, so their order "
                             "would matter, and the order of keys carries no meaning in JSON; "
                             "write set as an array of {PATH: VALUE} objects (applied in "
                             "order)",
                             x->string, y->string);
            clash = TRUE;
            if (!fsim_i_doc_keep (doc, &local))
                return FALSE;
        }
    if (clash)
        return TRUE;
    /* no two paths meet, so the order does not change the result: apply (and record) them in
     * byte order of the paths, whatever order they were written in */
    sort_keys_top (set);
    g_ptr_array_add (doc->file_sets, set); /* @root, and so @set, is buried: alive */
    return TRUE;
}

/* Apply the entries of @obj (a kept set object, or one entry of a set array) that are under
 * "choices" when @choices, the others otherwise, in their order. */
static gboolean
apply_set_members (FsimJsonDoc *doc, cJSON *result, cJSON *obj, gboolean choices)
{
    cJSON *c = obj->child;
    while (c) {
        cJSON *next = c->next;
        if (fsim_i_is_choice_path (c->string) == choices) {
            cJSON *value = cJSON_DetachItemViaPointer (obj, c);
            g_autofree char *path = g_strdup (value->string);
            g_autoptr (GError) local = NULL;
            if (!apply_override (doc, result, path, value, value, &local) &&
                !fsim_i_doc_keep (doc, &local))
                return FALSE;
        }
        c = next;
    }
    return TRUE;
}

/* Apply the kept "set" entries, base file first, each file's in its order (an array's in
 * order, an object's in byte order of the paths): those under "choices" when @choices, the
 * others otherwise. */
gboolean
fsim_i_apply_file_sets (FsimJsonDoc *doc, cJSON *result, gboolean choices)
{
    for (guint i = 0; i < doc->file_sets->len; i++) {
        cJSON *set = doc->file_sets->pdata[i];
        if (cJSON_IsArray (set)) {
            for (cJSON *e = set->child; e; e = e->next)
                if (!apply_set_members (doc, result, e, choices))
                    return FALSE;
        } else if (!apply_set_members (doc, result, set, choices)) {
            return FALSE;
        }
    }
    return TRUE;
}

/* choices[@claim] = @value (taking it): the whole rest of the path is the claim's id, dots
 * included. */
static gboolean
set_choice (FsimJsonDoc *doc, cJSON *result, const char *claim, cJSON *value, GError **error)
{
    cJSON *choices = cJSON_GetObjectItemCaseSensitive (result, "choices");
    if (!cJSON_IsObject (choices)) {
        fsim_i_bury (doc, value);
        fsim_i_error_at (error, doc, choices, FALSE, FSIM_LOADER_ERROR_SCHEMA,
                         "choices: expected an object {CLAIM: ALTERNATIVE}, got %s",
                         fsim_i_json_type_name (choices));
        return FALSE;
    }
    cJSON *old = cJSON_GetObjectItemCaseSensitive (choices, claim);
    if (old)
        fsim_i_json_replace (doc, choices, old, claim, value);
    else
        cJSON_AddItemToObject (choices, claim, value);
    return TRUE;
}

/* Apply one --set option @arg (PATH=VALUE) if its path is under "choices" exactly when
 * @choices. */
static gboolean
apply_cli_set (FsimJsonDoc *doc, cJSON *result, const char *arg, gboolean choices, GError **error)
{
    const char *eq = strchr (arg, '=');
    gboolean utf8 = g_utf8_validate (arg, eq ? eq - arg : -1, NULL);
    if ((!utf8 || !eq || eq == arg) && choices)
        return TRUE; /* reported in the second pass, in order with the other --set */
    if (!utf8) {
        /* a command-line argument is bytes; messages are UTF-8. (The value is checked
         * where it is used, with its position.) */
        g_autofree char *shown = g_utf8_make_valid (arg, -1);
        g_set_error (error, FSIM_LOADER_ERROR, FSIM_LOADER_ERROR_SET, "--set '%s': not valid UTF-8",
                     shown);
        return FALSE;
    }
    if (!eq || eq == arg) {
        g_autofree char *shown = g_utf8_make_valid (arg, -1); /* the value unchecked */
        g_set_error (error, FSIM_LOADER_ERROR, FSIM_LOADER_ERROR_SET,
                     "--set '%s': expected PATH=VALUE", shown);
        return FALSE;
    }
    g_autofree char *path = g_strndup (arg, (gsize) (eq - arg));
    if (fsim_i_is_choice_path (path) != choices)
        return TRUE;
    /* a choice is named as --claim CLAIM, its columns counted in CLAIM=ALT */
    gboolean claim = g_str_has_prefix (path, "choices.");
    g_autofree char *name =
        claim ? g_strdup_printf ("--claim %s", path + 8) : g_strdup_printf ("--set %s", path);
    int col0 = (int) (eq - arg) + 2 - (claim ? 8 : 0);
    g_autoptr (GError) local = NULL;
    /* an alternative's id is a string even when it reads as JSON ("2017") */
    cJSON *value = claim ? NULL : fsim_i_parse_text (doc, name, eq + 1, 1, col0, &local);
    /* JSON, but too long, ...; or meant as a JSON string (it starts with '"') but not one,
     * such as "abc without its closing quote: taken as text, that would silently become a
     * value with a quote in it */
    if (!value && local &&
        (local->code != FSIM_LOADER_ERROR_PARSE || eq[1 + strspn (eq + 1, " \t")] == '"')) {
        g_propagate_error (error, g_steal_pointer (&local));
        return FALSE;
    }
    if (!value) {
        /* not JSON: the text itself is the value */
        value = cJSON_CreateString (eq + 1);
        FsimNodeLoc *loc = fsim_i_json_set_loc (doc, value, NULL);
        loc->file = g_string_chunk_insert_const (doc->strings, name);
        loc->line = 1;
        loc->col = col0;
    }
    /* the "key" of a --set is its path, at column 1 */
    FsimNodeLoc *loc = g_hash_table_lookup (doc->locs, value);
    loc->key_line = 1;
    loc->key_col = 1;
    return claim ? set_choice (doc, result, path + 8, value, error)
                 : apply_override (doc, result, path, value, value, error);
}

/* Apply the --set options in order: those under "choices" (--claim CLAIM=ALT is
 * --set choices.CLAIM=ALT) when @choices, the others otherwise. */
gboolean
fsim_i_apply_cli_sets (FsimJsonDoc *doc, cJSON *result, const char *const *sets, gboolean choices)
{
    for (int i = 0; sets && sets[i]; i++) {
        g_autoptr (GError) local = NULL;
        if (!apply_cli_set (doc, result, sets[i], choices, &local) && local &&
            !fsim_i_doc_keep (doc, &local))
            return FALSE;
    }
    return TRUE;
}
