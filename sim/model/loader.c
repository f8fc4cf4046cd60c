/* SPDX-License-Identifier: MIT */
/* loader.c: converts the merged JSON of a scenario into the typed, validated FsimScenario. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include <cjson/cJSON.h>

#include "loader-private.h"

#define MAX_FIELDS 16384
#define MAX_APIS 4096
#define MAX_SCOPES 4096
#define MAX_RULES 262144

/* ---- top level and fields ------------------------------------------------------------------ */

/* The scenario lacks top-level @key: an error, unless an unknown key was taken for it (then
 * that one was reported, and this one is its consequence), or a base scenario that was not
 * read may have it. */
static gboolean
missing_top (FsimConv *c, GError **error, const cJSON *root, const char *key, const char *why)
{
    fsim_i_fail (c, error, root, FALSE, FSIM_LOADER_ERROR_SCHEMA, NULL,
                 "missing required key '%s'%s", key, why);
    if ((g_hash_table_contains (c->doc->misspelt, key) || c->doc->base_unread) && error && *error)
        fsim_i_mark_caused (*error);
    return FALSE;
}

static gboolean
convert_top (FsimConv *c, const cJSON *root, GError **error)
{
    FsimScenario *s = c->s;
    guint64 seed = 1;
    if (!fsim_i_get_id (c, root, "scenario", NULL, &s->id, error) ||
        !fsim_i_get_string (c, root, "title", NULL, &s->title, error) ||
        !fsim_i_get_string (c, root, "description", NULL, &s->description, error) ||
        !fsim_i_get_sources (c, root, "sources", NULL, &s->sources, error) ||
        !fsim_i_get_strv (c, root, "assumptions", NULL, FALSE, &s->assumptions, error) ||
        !fsim_i_get_integer (c, root, "seed", NULL, 0, ((guint64) 1 << 53) - 1, &seed, error))
        return FALSE;
    s->seed = seed;
    if (!s->id)
        return TRUE;
    const cJSON *date = cJSON_GetObjectItemCaseSensitive (root, "date");
    if (!date)
        return missing_top (c, error, root, "date", " (the day the scenario simulates)");
    if (!fsim_i_get_date (c, root, "date", NULL, &s->date, error))
        return FALSE;
    s->date_string = fsim_day_format (s->date);
    if (!cJSON_GetObjectItemCaseSensitive (root, "population"))
        return missing_top (c, error, root, "population", "");
    return TRUE;
}

static gboolean
convert_fields (FsimConv *c, const cJSON *root, GError **error)
{
    static const char *const keys[] = { "id", "label", "sensitive", NULL };
    static const char *const req[] = { "id", NULL };
    FsimJPath top = FSIM_JP_KEY (NULL, "fields");
    const cJSON *arr;
    size_t n;
    if (!fsim_i_get_array (c, root, "fields", NULL, MAX_FIELDS, &arr, &n, error))
        return FALSE;
    c->s->fields = g_new0 (FsimField, n ? n : 1);
    size_t i = 0;
    for (const cJSON *e = arr ? arr->child : NULL; e; e = e->next, i++) {
        FsimJPath p = FSIM_JP_IDX (&top, fsim_i_file_index (c, e, i));
        FsimField *f = &c->s->fields[i];
        c->s->n_fields = i + 1;
        g_autoptr (GError) local = NULL;
        FsimParts parts = FSIM_PARTS_INIT (c);
        if (fsim_i_part (&parts, fsim_i_check_object (c, e, &p, keys, req, &local), &local) ||
            cJSON_IsObject (e)) {
            fsim_i_part (&parts, fsim_i_get_id (c, e, "id", &p, &f->id, &local), &local);
            fsim_i_part (&parts, fsim_i_get_string (c, e, "label", &p, &f->label, &local), &local);
            fsim_i_part (&parts, fsim_i_get_bool (c, e, "sensitive", &p, &f->sensitive, &local),
                         &local);
        }
        if (!fsim_i_parts_end (&parts, &local)) {
            fsim_i_register_failed (c, c->field_ix, f->id, i);
            if (!fsim_i_keep_error (c, &local))
                break;
            continue;
        }
        if (!f->label)
            f->label = g_strdup (f->id);
        f->loc = fsim_i_loc_of (c, e);
        FsimJPath ip = FSIM_JP_KEY (&p, "id");
        if (!fsim_i_register_id (c, c->field_ix, f->id, i, e, &ip, "field", &local) &&
            !fsim_i_keep_error (c, &local))
            break;
    }
    c->s->field_words = FSIM_BITS_WORDS (c->s->n_fields);
    return fsim_i_stage_ok (c);
}

/* ---- APIs ---------------------------------------------------------------------------------- */

static gboolean
convert_respects (FsimConv *c, const cJSON *e, const FsimJPath *p, guint *out, GError **error)
{
    static const char *const names[] = { "platform", "apps_others", "audience" };
    g_auto (GStrv) v = NULL;
    if (!fsim_i_get_strv (c, e, "respects", p, FALSE, &v, error))
        return FALSE;
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive (e, "respects");
    FsimJPath rp = FSIM_JP_KEY (p, "respects");
    FsimParts parts = FSIM_PARTS_INIT (c);
    *out = 0;
    for (int i = 0; v[i]; i++) {
        size_t k = 0;
        while (k < G_N_ELEMENTS (names) && strcmp (v[i], names[k]) != 0)
            k++;
        FsimJPath ip = FSIM_JP_IDX (&rp, i);
        g_autoptr (GError) local = NULL;
        if (k < G_N_ELEMENTS (names))
            *out |= 1u << k;
        else
            fsim_i_part (&parts,
                         fsim_i_fail_unknown (c, &local, cJSON_GetArrayItem (arr, i), &ip,
                                              "setting", v[i], names, G_N_ELEMENTS (names)),
                         &local);
    }
    return fsim_i_parts_end (&parts, error);
}

static gboolean
convert_scope (FsimConv *c, const cJSON *e, const FsimJPath *p, FsimScope *sc, GError **error)
{
    static const char *const keys[] = { "id", "label", "subject", "fields", NULL };
    static const char *const req[] = { "id", "subject", "fields", NULL };
    static const char *const subjects[] = { "self", "friends", "friends_of_friends" };
    g_autofree char *subject = NULL;
    FsimParts parts = FSIM_PARTS_INIT (c);
    g_autoptr (GError) local = NULL;
    if (!fsim_i_part (&parts, fsim_i_check_object (c, e, p, keys, req, &local), &local) &&
        !cJSON_IsObject (e))
        return fsim_i_parts_end (&parts, error);
    fsim_i_part (&parts, fsim_i_get_id (c, e, "id", p, &sc->id, &local), &local);
    fsim_i_part (&parts, fsim_i_get_string (c, e, "label", p, &sc->label, &local), &local);
    fsim_i_part (&parts, fsim_i_get_string (c, e, "subject", p, &subject, &local), &local);
    fsim_i_part (&parts, fsim_i_get_fields (c, e, "fields", p, &sc->fields, &local), &local);
    sc->loc = fsim_i_loc_of (c, e);
    size_t k = 0;
    while (subject && k < G_N_ELEMENTS (subjects) && strcmp (subject, subjects[k]) != 0)
        k++;
    FsimJPath sp = FSIM_JP_KEY (p, "subject");
    if (subject && k == G_N_ELEMENTS (subjects))
        fsim_i_part (&parts,
                     fsim_i_fail_unknown (c, &local,
                                          cJSON_GetObjectItemCaseSensitive (e, "subject"), &sp,
                                          "subject", subject, subjects, G_N_ELEMENTS (subjects)),
                     &local);
    else if (subject)
        sc->subject = (FsimSubject) k;
    return fsim_i_parts_end (&parts, error);
}

/* Each scope of API @a (the array @arr at @sp) is converted whatever the others gave. */
static void
convert_scopes (FsimConv *c, FsimParts *parts, const cJSON *arr, const FsimJPath *sp, FsimApi *a)
{
    a->scopes = g_new0 (FsimScope, (size_t) cJSON_GetArraySize (arr));
    /* the ids so far: each scope compared with every one before it was 8 million comparisons
     * for an API of 4096 scopes, on every load */
    g_autoptr (GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
    size_t i = 0;
    for (const cJSON *s = arr->child; s; s = s->next, i++) {
        FsimJPath ip = FSIM_JP_IDX (sp, (int) i);
        g_autoptr (GError) local = NULL;
        a->n_scopes = i + 1;
        if (!fsim_i_part (parts, convert_scope (c, s, &ip, &a->scopes[i], &local), &local) &&
            !a->scopes[i].id)
            continue;
        if (g_hash_table_add (ids, a->scopes[i].id))
            continue;
        fsim_i_part (parts,
                     fsim_i_fail (c, &local, s, FALSE, FSIM_LOADER_ERROR_REFERENCE, &ip,
                                  "duplicate scope id '%s' in API '%s'", a->scopes[i].id,
                                  a->id ? a->id : ""),
                     &local);
    }
}

static gboolean
convert_api (FsimConv *c, const cJSON *e, const FsimJPath *p, FsimApi *a, GError **error)
{
    static const char *const keys[] = { "id",     "title",   "active", "respects",
                                        "scopes", "sources", NULL };
    static const char *const req[] = { "id", "scopes", NULL };
    const cJSON *arr;
    size_t n;
    FsimParts parts = FSIM_PARTS_INIT (c);
    g_autoptr (GError) local = NULL;
    if (!fsim_i_part (&parts, fsim_i_check_object (c, e, p, keys, req, &local), &local) &&
        !cJSON_IsObject (e))
        return fsim_i_parts_end (&parts, error);
    fsim_i_part (&parts, fsim_i_get_id (c, e, "id", p, &a->id, &local), &local);
    fsim_i_part (&parts, fsim_i_get_string (c, e, "title", p, &a->title, &local), &local);
    fsim_i_part (&parts, fsim_i_get_window (c, e, "active", p, &a->active, &local), &local);
    fsim_i_part (&parts, convert_respects (c, e, p, &a->respects, &local), &local);
    fsim_i_part (&parts, fsim_i_get_sources (c, e, "sources", p, &a->sources, &local), &local);
    gboolean scopes = fsim_i_part (
        &parts, fsim_i_get_array (c, e, "scopes", p, MAX_SCOPES, &arr, &n, &local), &local);
    if (!a->title && a->id)
        a->title = g_strdup (a->id);
    a->loc = fsim_i_loc_of (c, e);
    FsimJPath sp = FSIM_JP_KEY (p, "scopes");
    if (scopes && arr && n == 0)
        fsim_i_part (&parts,
                     fsim_i_fail (c, &local, arr, FALSE, FSIM_LOADER_ERROR_SCHEMA, &sp,
                                  "an API needs at least one scope"),
                     &local);
    else if (scopes && arr)
        convert_scopes (c, &parts, arr, &sp, a);
    return fsim_i_parts_end (&parts, error);
}

static gboolean
convert_apis (FsimConv *c, const cJSON *root, GError **error)
{
    FsimJPath top = FSIM_JP_KEY (NULL, "apis");
    const cJSON *arr;
    size_t n;
    if (!fsim_i_get_array (c, root, "apis", NULL, MAX_APIS, &arr, &n, error))
        return FALSE;
    c->s->apis = g_new0 (FsimApi, n ? n : 1);
    size_t i = 0;
    for (const cJSON *e = arr ? arr->child : NULL; e; e = e->next, i++) {
        FsimJPath p = FSIM_JP_IDX (&top, fsim_i_file_index (c, e, i));
        c->s->n_apis = i + 1;
        g_autoptr (GError) local = NULL;
        FsimJPath ip = FSIM_JP_KEY (&p, "id");
        if (!convert_api (c, e, &p, &c->s->apis[i], &local))
            fsim_i_register_failed (c, c->api_ix, c->s->apis[i].id, i);
        else
            fsim_i_register_id (c, c->api_ix, c->s->apis[i].id, i, e, &ip, "API", &local);
        if (local && !fsim_i_keep_error (c, &local))
            break;
    }
    return fsim_i_stage_ok (c);
}

/* ---- rules --------------------------------------------------------------------------------- */

/* The names of rule @r that select nothing, each an error (FsimParts); only the lists that
 * were read (a list that failed is NULL). */
static void
check_rule_patterns (FsimConv *c, FsimParts *parts, const cJSON *e, const FsimJPath *p,
                     const FsimRule *r)
{
    const cJSON *parr = cJSON_GetObjectItemCaseSensitive (e, "partners");
    FsimJPath pp = FSIM_JP_KEY (p, "partners");
    for (int i = 0; r->partners && r->partners[i]; i++) {
        FsimJPath ip = FSIM_JP_IDX (&pp, i);
        g_autoptr (GError) local = NULL;
        fsim_i_part (parts,
                     fsim_i_check_partner_selector (c, cJSON_GetArrayItem (parr, i), r->partners[i],
                                                    FALSE, &ip, &local),
                     &local);
    }
    const cJSON *aarr = cJSON_GetObjectItemCaseSensitive (e, "apis");
    FsimJPath ap = FSIM_JP_KEY (p, "apis");
    for (int i = 0; r->apis && r->apis[i]; i++) {
        if (strpbrk (r->apis[i], "*?") || fsim_i_lookup (c->api_ix, r->apis[i]) >= 0)
            continue;
        g_autofree const char **ids = g_new0 (const char *, c->s->n_apis + 1);
        for (size_t k = 0; k < c->s->n_apis; k++)
            ids[k] = c->s->apis[k].id;
        FsimJPath ip = FSIM_JP_IDX (&ap, i);
        g_autoptr (GError) local = NULL;
        fsim_i_part (parts,
                     fsim_i_fail_unknown_name (c, &local, FSIM_I_NAME_API,
                                               cJSON_GetArrayItem (aarr, i), &ip, "API", r->apis[i],
                                               ids, c->s->n_apis),
                     &local);
    }
    const cJSON *sarr = cJSON_GetObjectItemCaseSensitive (e, "scopes");
    FsimJPath sp = FSIM_JP_KEY (p, "scopes");
    for (int i = 0; r->scopes && r->scopes[i]; i++) {
        gboolean found = strpbrk (r->scopes[i], "*?") != NULL;
        for (size_t k = 0; k < c->s->n_apis && !found; k++)
            for (size_t s = 0; s < c->s->apis[k].n_scopes && !found; s++)
                found = strcmp (c->s->apis[k].scopes[s].id, r->scopes[i]) == 0;
        FsimJPath ip = FSIM_JP_IDX (&sp, i);
        g_autoptr (GError) local = NULL;
        if (!found)
            fsim_i_part (parts,
                         fsim_i_fail_name (c, &local, FSIM_I_NAME_SCOPE,
                                           cJSON_GetArrayItem (sarr, i), FALSE,
                                           FSIM_LOADER_ERROR_REFERENCE, &ip,
                                           "unknown scope '%s' (no API offers it)", r->scopes[i]),
                         &local);
    }
}

/* A rule's "apis" or "scopes" that is absent means all of them. */
static void
default_all (const cJSON *e, const char *key, char ***list)
{
    if (cJSON_GetObjectItemCaseSensitive (e, key))
        return;
    g_strfreev (*list);
    *list = g_strsplit ("*", ",", -1);
}

static gboolean
convert_rule (FsimConv *c, const cJSON *e, const FsimJPath *p, FsimRule *r, GError **error)
{
    static const char *const keys[] = { "id",   "effect", "partners", "apis", "scopes",
                                        "from", "until",  "sources",  "note", NULL };
    static const char *const req[] = { "id", "effect", "partners", NULL };
    g_autofree char *effect = NULL;
    r->window = (FsimWindow){ FSIM_DAY_MIN, FSIM_DAY_MAX };
    FsimParts parts = FSIM_PARTS_INIT (c);
    g_autoptr (GError) local = NULL;
    if (!fsim_i_part (&parts, fsim_i_check_object (c, e, p, keys, req, &local), &local) &&
        !cJSON_IsObject (e))
        return fsim_i_parts_end (&parts, error);
    fsim_i_part (&parts, fsim_i_get_id (c, e, "id", p, &r->id, &local), &local);
    fsim_i_part (&parts, fsim_i_get_string (c, e, "effect", p, &effect, &local), &local);
    fsim_i_part (&parts, fsim_i_get_strv (c, e, "partners", p, FALSE, &r->partners, &local),
                 &local);
    fsim_i_part (&parts, fsim_i_get_strv (c, e, "apis", p, FALSE, &r->apis, &local), &local);
    fsim_i_part (&parts, fsim_i_get_strv (c, e, "scopes", p, FALSE, &r->scopes, &local), &local);
    gboolean window =
        fsim_i_part (&parts, fsim_i_get_date (c, e, "from", p, &r->window.from, &local), &local);
    window = fsim_i_part (&parts, fsim_i_get_date (c, e, "until", p, &r->window.until, &local),
                          &local) &&
             window;
    fsim_i_part (&parts, fsim_i_get_sources (c, e, "sources", p, &r->sources, &local), &local);
    fsim_i_part (&parts, fsim_i_get_string (c, e, "note", p, &r->note, &local), &local);
    r->loc = fsim_i_loc_of (c, e);
    default_all (e, "apis", &r->apis);
    default_all (e, "scopes", &r->scopes);
    FsimJPath ep = FSIM_JP_KEY (p, "effect");
    if (effect && strcmp (effect, "allow") != 0 && strcmp (effect, "deny") != 0) {
        static const char *const effects[] = { "allow", "deny" };
        fsim_i_part (&parts,
                     fsim_i_fail_unknown (c, &local, cJSON_GetObjectItemCaseSensitive (e, "effect"),
                                          &ep, "effect", effect, effects, 2),
                     &local);
    }
    r->allow = effect && strcmp (effect, "allow") == 0;
    FsimJPath pp = FSIM_JP_KEY (p, "partners");
    const cJSON *parr = cJSON_GetObjectItemCaseSensitive (e, "partners");
    if (parr && r->partners && !r->partners[0])
        fsim_i_part (&parts,
                     fsim_i_fail (c, &local, parr, FALSE, FSIM_LOADER_ERROR_SCHEMA, &pp,
                                  "empty: a rule must select partners (use \"*\" for all)"),
                     &local);
    check_rule_patterns (c, &parts, e, p, r);
    FsimJPath up = FSIM_JP_KEY (p, "until");
    if (window && r->window.from >= r->window.until)
        fsim_i_part (&parts,
                     fsim_i_fail (c, &local, cJSON_GetObjectItemCaseSensitive (e, "until"), FALSE,
                                  FSIM_LOADER_ERROR_VALUE, &up,
                                  "empty window: 'from' must be before 'until'"),
                     &local);
    return fsim_i_parts_end (&parts, error);
}

static gboolean
convert_rules (FsimConv *c, const cJSON *root, GError **error)
{
    FsimJPath top = FSIM_JP_KEY (NULL, "rules");
    const cJSON *arr;
    size_t n;
    if (!fsim_i_get_array (c, root, "rules", NULL, MAX_RULES, &arr, &n, error))
        return FALSE;
    c->s->rules = g_new0 (FsimRule, n ? n : 1);
    size_t i = 0;
    for (const cJSON *e = arr ? arr->child : NULL; e; e = e->next, i++) {
        FsimJPath p = FSIM_JP_IDX (&top, fsim_i_file_index (c, e, i));
        c->s->n_rules = i + 1;
        g_autoptr (GError) local = NULL;
        FsimJPath ip = FSIM_JP_KEY (&p, "id");
        if ((!convert_rule (c, e, &p, &c->s->rules[i], &local) ||
             !fsim_i_register_id (c, c->rule_ix, c->s->rules[i].id, i, e, &ip, "rule", &local)) &&
            !fsim_i_keep_error (c, &local))
            break;
    }
    return fsim_i_stage_ok (c);
}

/* ---- entry points ---------------------------------------------------------------------------- */

gboolean
fsim_i_keep_error (FsimConv *c, GError **local)
{
    g_assert (local && *local);
    c->stage_failed++;
    if (c->errors->len >= FSIM_LOADER_MAX_ERRORS) {
        g_clear_error (local); /* past the limit: the message says the loader stopped */
        return FALSE;
    }
    if (fsim_i_is_caused (*local)) {
        g_clear_error (local);
        return TRUE;
    }
    g_ptr_array_add (c->errors, g_steal_pointer (local));
    return c->errors->len < FSIM_LOADER_MAX_ERRORS;
}

gboolean
fsim_i_stage_ok (const FsimConv *c)
{
    return c->errors->len == c->stage_start;
}

/* Where error message @msg is located: the length of its "FILE" in "FILE:LINE:COL: ", its line
 * and column; FALSE when it has no location. */
static gboolean
error_position (const char *msg, size_t *out_file, long *out_line, long *out_col)
{
    for (const char *p = strchr (msg, ':'); p; p = strchr (p + 1, ':')) {
        char *end = NULL;
        if (!g_ascii_isdigit (p[1]))
            continue;
        long line = strtol (p + 1, &end, 10);
        if (*end != ':' || !g_ascii_isdigit (end[1]))
            continue;
        long col = strtol (end + 1, &end, 10);
        if (end[0] != ':' || end[1] != ' ')
            continue;
        *out_file = (size_t) (p - msg);
        *out_line = line;
        *out_col = col;
        return TRUE;
    }
    return FALSE;
}

typedef struct {
    const GError *error;
    guint file; /* rank of its file among the errors' files, in the order they first come */
    long line, col;
} Placed;

static gint
compare_placed (gconstpointer a, gconstpointer b)
{
    const Placed *x = a, *y = b;
    if (x->file != y->file)
        return x->file < y->file ? -1 : 1;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    return x->col < y->col ? -1 : x->col > y->col;
}

/* The kept errors in the order they were written: file by file (in the order each file first
 * has an error), each file's by line and column. An error with no location keeps its place
 * among its file's (it is a file of its own, such as a --set that is not PATH=VALUE). */
static GArray *
errors_in_order (const GPtrArray *errors)
{
    GArray *placed = g_array_sized_new (FALSE, FALSE, sizeof (Placed), errors->len);
    g_autoptr (GHashTable) files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    for (guint i = 0; i < errors->len; i++) {
        const GError *e = errors->pdata[i];
        Placed p = { .error = e, .line = 0, .col = 0 };
        size_t n = 0;
        g_autofree char *file = error_position (e->message, &n, &p.line, &p.col)
                                    ? g_strndup (e->message, n)
                                    : g_strdup_printf ("\n%u", i); /* no file is named so */
        gpointer rank = NULL;
        if (!g_hash_table_lookup_extended (files, file, NULL, &rank)) {
            rank = GUINT_TO_POINTER (g_hash_table_size (files));
            g_hash_table_insert (files, g_steal_pointer (&file), rank);
        }
        p.file = GPOINTER_TO_UINT (rank);
        g_array_append_val (placed, p);
    }
    g_array_sort (placed, compare_placed); /* stable (GLib >= 2.32): ties keep their order */
    return placed;
}

/* Every kept error in one GError (the code of the first): one "FILE:LINE:COL: MESSAGE" line
 * each, in the order written (errors_in_order()), and a last line when the limit stopped the
 * loader. */
static void
combine_errors (const FsimJsonDoc *doc, const char *path, GError **error)
{
    const GPtrArray *errors = doc->errors;
    g_autoptr (GArray) placed = errors_in_order (errors);
    const GError *first = g_array_index (placed, Placed, 0).error;
    /* one line each: a line break in one (a file, a --set path or a value holding one,
     * "date": "x\n") would read as two errors, and the command line prints each line as one;
     * shown as '?', as the command line shows the other control characters */
    g_autoptr (GString) all = g_string_new (NULL);
    for (guint i = 0; i < placed->len; i++) {
        g_autofree char *line = g_strdup (g_array_index (placed, Placed, i).error->message);
        g_string_append_printf (all, "%s%s", i ? "\n" : "", g_strdelimit (line, "\r\n", '?'));
    }
    if (errors->len >= FSIM_LOADER_MAX_ERRORS) {
        g_autofree char *name = g_strdelimit (g_strdup (path), "\r\n", '?');
        g_string_append_printf (all, "\n%s: stopped after %u errors", name, errors->len);
    }
    g_set_error_literal (error, first->domain, first->code, all->str);
}

/* ---- the stages ----------------------------------------------------------------------------- */

typedef struct {
    gboolean (*fn) (FsimConv *, const cJSON *, GError **);
    int kind;        /* FsimIKind of the entities converted, or -1 */
    const char *key; /* the top-level key converted, or NULL for the scenario's own keys */
} Stage;

/* After claims that failed, a stage that converts a key whose whole value an alternative sets
 * (for the scenario's own keys: any key no other stage converts) is skipped: its values may be
 * the ones a claim was to replace. What an alternative sets deeper is left out value by value
 * (FsimJsonDoc.claimed). */
static gboolean
stage_skipped (const FsimJsonDoc *doc, const Stage *st, const Stage *stages, size_t n)
{
    if (!doc->claim_keys)
        return FALSE;
    if (st->key)
        return g_hash_table_contains (doc->claim_keys, st->key);
    GHashTableIter it;
    gpointer key;
    g_hash_table_iter_init (&it, doc->claim_keys);
    while (g_hash_table_iter_next (&it, &key, NULL)) {
        gboolean other = FALSE;
        for (size_t i = 0; i < n && !other; i++)
            other = stages[i].key && strcmp (stages[i].key, key) == 0;
        if (!other)
            return TRUE;
    }
    return FALSE;
}

/* Whether an entity of @kind has no id (its id could not be read). */
static gboolean
any_unnamed (const FsimScenario *s, FsimIKind kind)
{
    gboolean none = FALSE;
    for (size_t i = 0; kind == FSIM_I_FIELDS && i < s->n_fields; i++)
        none = none || !s->fields[i].id;
    for (size_t i = 0; kind == FSIM_I_APIS && i < s->n_apis; i++)
        none = none || !s->apis[i].id;
    for (size_t i = 0; kind == FSIM_I_PARTNERS && i < s->n_partners; i++)
        none = none || !s->partners[i].id;
    for (size_t i = 0; kind == FSIM_I_RULES && i < s->n_rules; i++)
        none = none || !s->rules[i].id;
    return none;
}

/* Runs one stage; an error it returns (rather than keeps: the whole array is wrong) is kept.
 * Then notes what its failed entities may hide from the later stages (FsimConv.failed). */
static void
run_stage (FsimConv *c, const Stage *st, const cJSON *node)
{
    g_autoptr (GError) local = NULL;
    c->stage_start = c->errors->len;
    c->stage_failed = 0;
    gboolean whole = !st->fn (c, node, &local) && local != NULL;
    if (whole)
        fsim_i_keep_error (c, &local);
    if (st->kind < 0 || c->stage_failed == 0)
        return;
    c->failed[st->kind] = TRUE;
    if (whole || any_unnamed (c->s, (FsimIKind) st->kind))
        c->unnamed[st->kind] = TRUE;
}

static const char EMPTY_ID[] = "";

/* What failed to convert is left so that the later stages can read it: every id, kind and
 * field set of an entity exists (an id that could not be read is "", which no id equals). */
static void
make_readable (FsimConv *c)
{
    FsimScenario *s = c->s;
    for (size_t f = 0; f < s->n_fields; f++)
        if (!s->fields[f].id)
            s->fields[f].id = g_strdup (EMPTY_ID);
    for (size_t a = 0; a < s->n_apis; a++) {
        FsimApi *api = &s->apis[a];
        if (!api->id)
            api->id = g_strdup (EMPTY_ID);
        for (size_t k = 0; k < api->n_scopes; k++) {
            if (!api->scopes[k].id)
                api->scopes[k].id = g_strdup (EMPTY_ID);
            if (!api->scopes[k].fields)
                api->scopes[k].fields = fsim_bits_new (s->field_words);
        }
    }
    for (size_t p = 0; p < s->n_partners; p++) {
        if (!s->partners[p].id)
            s->partners[p].id = g_strdup (EMPTY_ID);
        if (!s->partners[p].kind)
            s->partners[p].kind = g_strdup (EMPTY_ID);
    }
}

/* The population, unless a base scenario that was not read may hold part of it (a scenario's
 * "population" is laid over its base's, key by key). */
static gboolean
convert_population_stage (FsimConv *c, const cJSON *root, GError **error)
{
    const cJSON *pop = cJSON_GetObjectItemCaseSensitive (root, "population");
    return pop == NULL || c->doc->base_unread || fsim_i_convert_population (c, pop, error);
}

/*
 * Converts every kind of entity in turn and keeps the errors of all of them, up to
 * FSIM_LOADER_MAX_ERRORS: an error in a field does not hide one in a rule. A kind whose
 * entities failed is made readable (make_readable) before the next kind refers to it; a failed
 * entity keeps its id, and a later name that matches nothing is left out only when it may name
 * what failed (fsim_i_unmatched_name), so that no error is reported that a failure before it
 * caused, and every other one is.
 */
static gboolean
convert_stages (FsimConv *c, const cJSON *root)
{
    static const Stage stages[] = {
        { convert_top, -1, NULL },
        { convert_fields, FSIM_I_FIELDS, "fields" },
        { convert_apis, FSIM_I_APIS, "apis" },
        { fsim_i_convert_partners, FSIM_I_PARTNERS, "partners" },
        { convert_rules, FSIM_I_RULES, "rules" },
        { convert_population_stage, -1, "population" },
        { fsim_i_convert_expect, -1, "expect" },
        { fsim_i_convert_claims, -1, "claims" },
    };
    for (size_t i = 0; i < G_N_ELEMENTS (stages); i++) {
        if (c->errors->len >= FSIM_LOADER_MAX_ERRORS)
            break;
        if (stage_skipped (c->doc, &stages[i], stages, G_N_ELEMENTS (stages))) {
            /* what names its entities may name one that was not converted */
            if (stages[i].kind >= 0)
                c->failed[stages[i].kind] = c->unnamed[stages[i].kind] = TRUE;
            continue;
        }
        /* an alternative of the claims that failed may change what names its entities */
        int names = stages[i].kind >= 0 && c->doc->claim_names
                        ? GPOINTER_TO_INT (g_hash_table_lookup (c->doc->claim_names, stages[i].key))
                        : 0;
        if (names > 0)
            c->failed[stages[i].kind] = TRUE; /* its kinds, tags, scopes */
        if (names > 1)
            c->unnamed[stages[i].kind] = TRUE; /* its ids */
        run_stage (c, &stages[i], root);
        if (c->errors->len > 0 || c->stage_failed > 0)
            make_readable (c);
    }
    return c->errors->len == 0;
}

FsimScenario *
fsim_i_convert (FsimJsonDoc *doc, const cJSON *root, const char *path, GError **error)
{
    g_autoptr (FsimScenario) s = g_new0 (FsimScenario, 1);
    s->strings = g_string_chunk_new (256);
    s->path = g_strdup (path);
    s->files = g_new0 (char *, doc->read->len + 1);
    for (guint i = 0; i < doc->read->len; i++)
        s->files[i] = g_strdup (doc->read->pdata[i]);
    s->n_overrides = doc->overrides->len;
    s->overrides = g_new0 (FsimOverride, s->n_overrides + 1);
    for (guint i = 0; i < doc->overrides->len; i++) {
        const FsimOverride *o = &g_array_index (doc->overrides, FsimOverride, i);
        s->overrides[i] =
            (FsimOverride){ g_strdup (o->path), g_strdup (o->value), o->changed, o->unchanged };
    }
    FsimConv c = {
        .doc = doc,
        .s = s,
        .field_ix = g_hash_table_new (g_str_hash, g_str_equal),
        .api_ix = g_hash_table_new (g_str_hash, g_str_equal),
        .partner_ix = g_hash_table_new (g_str_hash, g_str_equal),
        .rule_ix = g_hash_table_new (g_str_hash, g_str_equal),
        .errors = doc->errors, /* with those of resolving, if any */
        .incomplete = doc->incomplete,
    };
    /* include / extends / set are consumed by the merge; a key that a set added must be
     * checked here (the files' own keys were checked as they were read). */
    static const char *const merged_keys[] = {
        "scenario", "title",       "description", "date", "seed",     "population",
        "sources",  "assumptions", "fields",      "apis", "partners", "rules",
        "expect",   "claims",      "choices",     NULL,
    };
    g_autoptr (GError) local = NULL;
    gboolean ok = fsim_i_check_object (&c, root, NULL, merged_keys, NULL, &local) &&
                  fsim_i_check_model_work (&c, root, &local);
    if (ok)
        ok = convert_stages (&c, root) && fsim_i_check_model_size (&c, root, &local);
    if (local)
        fsim_i_doc_keep (doc, &local);
    if (c.errors->len > 0) {
        combine_errors (doc, path, error);
        ok = FALSE;
    }
    g_clear_pointer (&c.field_parents, g_hash_table_destroy);
    /* the id indexes serve the scenario's lookups (their keys are its ids) */
    s->field_ix = c.field_ix;
    s->api_ix = c.api_ix;
    s->partner_ix = c.partner_ix;
    s->rule_ix = c.rule_ix;
    return ok ? g_steal_pointer (&s) : NULL;
}

FsimScenario *
fsim_i_convert_resolved (FsimJsonDoc *doc, const cJSON *root, GError **local, const char *path,
                         GError **error)
{
    if (*local)
        fsim_i_doc_keep (doc, local);
    if (!root && doc->errors->len == 0) /* (every way to NULL keeps an error: defensive) */
        g_set_error (error, FSIM_LOADER_ERROR, FSIM_LOADER_ERROR_SCHEMA, "%s: cannot be loaded",
                     path);
    else if (!root)
        combine_errors (doc, path, error);
    return root ? fsim_i_convert (doc, root, path, error) : NULL;
}

FsimScenario *
fsim_loader_load_string (const char *path, const char *text, const char *const *sets,
                         GError **error)
{
    g_return_val_if_fail (path != NULL, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);
    g_autoptr (FsimJsonDoc) doc = fsim_i_json_doc_new ();
    g_autoptr (GError) local = NULL;
    cJSON *root = fsim_i_json_resolve (doc, path, text, sets, &local);
    FsimScenario *s = fsim_i_convert_resolved (doc, root, &local, path, error);
    cJSON_Delete (root);
    return s;
}

FsimScenario *
fsim_loader_load (const char *path, const char *const *sets, GError **error)
{
    return fsim_loader_load_string (path, NULL, sets, error);
}

FsimScenario *
fsim_loader_load_scenario (const char *path, const char *const *sets, GError **error)
{
    g_return_val_if_fail (path != NULL, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);
    g_autoptr (FsimScenario) s = fsim_loader_load (path, sets, error);
    if (s && !s->id) {
        g_set_error (error, FSIM_LOADER_ERROR, FSIM_LOADER_ERROR_SCHEMA,
                     "%s: a policy file, not a scenario: it has no date and no population, so "
                     "there is nothing to simulate; give a scenario file that includes it "
                     "(a 'scenario' id, a 'date' and a 'population': docs/format.md, "
                     "\"Scenario files\")",
                     path);
        return NULL;
    }
    return g_steal_pointer (&s);
}
