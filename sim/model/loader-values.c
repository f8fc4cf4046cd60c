/* SPDX-License-Identifier: MIT */
/* loader-values.c: typed, located reading of JSON values for the loader's conversion. */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include <cjson/cJSON.h>

#include "loader-private.h"
#include "memory.h"
#include "number.h"

static void
render (const FsimJPath *p, GString *out)
{
    if (!p)
        return;
    render (p->up, out);
    if (p->key)
        g_string_append_printf (out, "%s%s", out->len ? "." : "", p->key);
    else
        g_string_append_printf (out, "[%d]", p->index);
}

char *
fsim_i_jpath_render (const FsimJPath *path)
{
    GString *out = g_string_new (NULL);
    render (path, out);
    return g_string_free (out, FALSE);
}

/* fsim_i_fail() with @msg formatted already. */
static gboolean
fail_message (FsimConv *c, GError **error, const cJSON *node, gboolean at_key, FsimLoaderError code,
              const FsimJPath *path, const char *msg)
{
    g_autofree char *where = fsim_i_jpath_render (path);
    if (*where)
        fsim_i_error_at (error, c->doc, node, at_key, code, "%s: %s", where, msg);
    else
        fsim_i_error_at (error, c->doc, node, at_key, code, "%s", msg);
    /* after claims that failed, a value an alternative sets may be the one it was to replace */
    if (c->doc->claimed && node && error && *error && g_hash_table_contains (c->doc->claimed, node))
        fsim_i_mark_caused (*error);
    return FALSE;
}

gboolean
fsim_i_fail (FsimConv *c, GError **error, const cJSON *node, gboolean at_key, FsimLoaderError code,
             const FsimJPath *path, const char *fmt, ...)
{
    va_list ap;
    va_start (ap, fmt);
    g_autofree char *msg = g_strdup_vprintf (fmt, ap);
    va_end (ap);
    return fail_message (c, error, node, at_key, code, path, msg);
}

/* The domain of the errors fsim_i_unmatched_name() marks: never seen outside the loader. */
static GQuark
caused_quark (void)
{
    return g_quark_from_static_string ("fsim-loader-caused-error");
}

void
fsim_i_mark_caused (GError *error)
{
    error->domain = caused_quark ();
}

gboolean
fsim_i_unmatched_name (FsimConv *c, GError **error, FsimIName what)
{
    static const struct {
        FsimIKind kind;
        gboolean beyond_ids; /* matched against more than the ids of the entities */
    } names[] = {
        [FSIM_I_NAME_FIELD] = { FSIM_I_FIELDS, FALSE },
        [FSIM_I_NAME_API] = { FSIM_I_APIS, FALSE },
        [FSIM_I_NAME_SCOPE] = { FSIM_I_APIS, TRUE },
        [FSIM_I_NAME_PARTNER] = { FSIM_I_PARTNERS, FALSE },
        [FSIM_I_NAME_PARTNER_GROUP] = { FSIM_I_PARTNERS, TRUE },
    };
    FsimIKind k = names[what].kind;
    gboolean caused = c->incomplete || c->unnamed[k] || (names[what].beyond_ids && c->failed[k]);
    if (caused && error && *error)
        fsim_i_mark_caused (*error);
    return FALSE;
}

gboolean
fsim_i_fail_name (FsimConv *c, GError **error, FsimIName what, const cJSON *node, gboolean at_key,
                  FsimLoaderError code, const FsimJPath *path, const char *fmt, ...)
{
    va_list ap;
    va_start (ap, fmt);
    g_autofree char *msg = g_strdup_vprintf (fmt, ap);
    va_end (ap);
    fail_message (c, error, node, at_key, code, path, msg);
    return fsim_i_unmatched_name (c, error, what);
}

gboolean
fsim_i_is_caused (const GError *error)
{
    return error->domain == caused_quark ();
}

gboolean
fsim_i_fail_count (FsimConv *c, GError **error, const cJSON *arr, const FsimJPath *path, int n,
                   const char *what, int max, const char *hint)
{
    const cJSON *over = cJSON_GetArrayItem (arr, max);
    const cJSON *at = fsim_i_json_loc (c->doc, over) ? over : arr;

    return fsim_i_fail (c, error, at, FALSE, FSIM_LOADER_ERROR_LIMIT, path,
                        "%d %s, more than the limit of %d%s (the first one over, number %d, is "
                        "here)",
                        n, what, max, hint, max + 1);
}

const char *
fsim_i_json_type_name (const cJSON *n)
{
    if (!n)
        return "nothing";
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

static gboolean
strv_contains (const char *const *v, const char *s)
{
    for (; v && *v; v++)
        if (strcmp (*v, s) == 0)
            return TRUE;
    return FALSE;
}

gboolean
fsim_i_part (FsimParts *parts, gboolean ok, GError **local)
{
    if (ok)
        return TRUE;
    g_assert (local && *local);
    parts->failed = TRUE;
    fsim_i_keep_error (parts->c, local);
    return FALSE;
}

gboolean
fsim_i_parts_end (FsimParts *parts, GError **error)
{
    if (!parts->failed)
        return TRUE;
    g_set_error_literal (error, caused_quark (), 0, "the errors of the parts, kept already");
    return FALSE;
}

/* Key @m of an object is not in @allowed; *@near is the key it was taken for, or NULL. */
static gboolean
fail_unknown_key (FsimConv *c, const cJSON *m, const FsimJPath *path, const char *const *allowed,
                  const char **near_out, GError **error)
{
    FsimJPath mp = FSIM_JP_KEY (path, m->string);
    const char *near = fsim_i_closest (m->string, allowed, g_strv_length ((char **) allowed));
    *near_out = near;
    if (near)
        return fsim_i_fail (c, error, m, TRUE, FSIM_LOADER_ERROR_SCHEMA, &mp,
                            "unknown key '%s'; did you mean '%s'?", m->string, near);
    g_autofree char *known = g_strjoinv ("', '", (char **) allowed);
    return fsim_i_fail (c, error, m, TRUE, FSIM_LOADER_ERROR_SCHEMA, &mp,
                        "unknown key '%s' (known keys: '%s')", m->string, known);
}

gboolean
fsim_i_check_object (FsimConv *c, const cJSON *node, const FsimJPath *path,
                     const char *const *allowed, const char *const *required, GError **error)
{
    if (!cJSON_IsObject (node))
        return fsim_i_fail (c, error, node, FALSE, FSIM_LOADER_ERROR_SCHEMA, path,
                            "expected an object, got %s", fsim_i_json_type_name (node));
    FsimParts parts = FSIM_PARTS_INIT (c);
    g_autoptr (GPtrArray) meant = g_ptr_array_new (); /* the keys unknown keys were taken for */
    for (const cJSON *m = node->child; m; m = m->next) {
        g_autoptr (GError) local = NULL;
        FsimJPath mp = FSIM_JP_KEY (path, m->string);
        gboolean twice = FALSE;
        for (const cJSON *d = node->child; d != m && !twice; d = d->next)
            twice = strcmp (d->string, m->string) == 0;
        if (twice)
            fsim_i_part (
                &parts,
                fsim_i_fail (c, &local, m, TRUE, FSIM_LOADER_ERROR_SCHEMA, &mp, "duplicate key"),
                &local);
        else if (!strv_contains (allowed, m->string)) {
            const char *near = NULL;
            fsim_i_part (&parts, fail_unknown_key (c, m, path, allowed, &near, &local), &local);
            if (near)
                g_ptr_array_add (meant, (gpointer) near);
        }
    }
    /* a missing key that an unknown one was taken for ("did you mean") is that error again */
    for (; required && *required; required++) {
        g_autoptr (GError) local = NULL;
        if (!cJSON_GetObjectItemCaseSensitive (node, *required) &&
            !g_ptr_array_find_with_equal_func (meant, *required, g_str_equal, NULL))
            fsim_i_part (&parts,
                         fsim_i_fail (c, &local, node, FALSE, FSIM_LOADER_ERROR_SCHEMA, path,
                                      "missing required key '%s'", *required),
                         &local);
    }
    return fsim_i_parts_end (&parts, error);
}

static gboolean
check_string (FsimConv *c, const cJSON *v, const FsimJPath *path, GError **error)
{
    if (!cJSON_IsString (v))
        return fsim_i_fail (c, error, v, FALSE, FSIM_LOADER_ERROR_SCHEMA, path,
                            "expected a string, got %s", fsim_i_json_type_name (v));
    size_t len = strlen (v->valuestring);
    if (len > FSIM_LOADER_MAX_STRING)
        return fsim_i_fail (c, error, v, FALSE, FSIM_LOADER_ERROR_LIMIT, path,
                            "string of %zu bytes is longer than the limit of %d", len,
                            FSIM_LOADER_MAX_STRING);
    if (!g_utf8_validate (v->valuestring, -1, NULL))
        return fsim_i_fail (c, error, v, FALSE, FSIM_LOADER_ERROR_VALUE, path,
                            "string is not valid UTF-8");
    return TRUE;
}

gboolean
fsim_i_is_valid_id (const char *s)
{
    if (!*s || strlen (s) > 128)
        return FALSE;
    for (; *s; s++)
        if (!g_ascii_isalnum (*s) && !strchr ("_-.:", *s))
            return FALSE;
    return TRUE;
}

static gboolean
check_id (FsimConv *c, const cJSON *v, const FsimJPath *path, GError **error)
{
    if (!check_string (c, v, path, error))
        return FALSE;
    if (!fsim_i_is_valid_id (v->valuestring))
        return fsim_i_fail (c, error, v, FALSE, FSIM_LOADER_ERROR_VALUE, path,
                            "'%s' is not a valid id (expected 1 to 128 letters, digits, "
                            "'_', '-', '.' or ':')",
                            v->valuestring);
    return TRUE;
}

gboolean
fsim_i_get_string (FsimConv *c, const cJSON *obj, const char *key, const FsimJPath *path,
                   char **out, GError **error)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive (obj, key);
    FsimJPath p = FSIM_JP_KEY (path, key);
    if (!v)
        return TRUE;
    if (!check_string (c, v, &p, error))
        return FALSE;
    g_free (*out);
    *out = g_strdup (v->valuestring);
    return TRUE;
}

gboolean
fsim_i_get_id (FsimConv *c, const cJSON *obj, const char *key, const FsimJPath *path, char **out,
               GError **error)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive (obj, key);
    FsimJPath p = FSIM_JP_KEY (path, key);
    if (!v)
        return TRUE;
    if (!check_id (c, v, &p, error))
        return FALSE;
    g_free (*out);
    *out = g_strdup (v->valuestring);
    return TRUE;
}

gboolean
fsim_i_get_bool (FsimConv *c, const cJSON *obj, const char *key, const FsimJPath *path,
                 gboolean *out, GError **error)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive (obj, key);
    FsimJPath p = FSIM_JP_KEY (path, key);
    if (!v)
        return TRUE;
    if (!cJSON_IsBool (v))
        return fsim_i_fail (c, error, v, FALSE, FSIM_LOADER_ERROR_SCHEMA, &p,
                            "expected true or false, got %s", fsim_i_json_type_name (v));
    *out = cJSON_IsTrue (v);
    return TRUE;
}

gboolean
fsim_i_get_number (FsimConv *c, const cJSON *obj, const char *key, const FsimJPath *path,
                   double min, double max, double *out, GError **error)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive (obj, key);
    FsimJPath p = FSIM_JP_KEY (path, key);
    if (!v)
        return TRUE;
    if (!cJSON_IsNumber (v))
        return fsim_i_fail (c, error, v, FALSE, FSIM_LOADER_ERROR_SCHEMA, &p,
                            "expected a number, got %s", fsim_i_json_type_name (v));
    if (!isfinite (v->valuedouble) || v->valuedouble < min || v->valuedouble > max) {
        g_autofree char *given = fsim_number_text (v->valuedouble);
        g_autofree char *lo = fsim_number_text (min);
        g_autofree char *hi = fsim_number_text (max);
        return fsim_i_fail (c, error, v, FALSE, FSIM_LOADER_ERROR_VALUE, &p,
                            "%s is out of range (expected a number from %s to %s)", given, lo, hi);
    }
    *out = v->valuedouble;
    return TRUE;
}

gboolean
fsim_i_get_integer (FsimConv *c, const cJSON *obj, const char *key, const FsimJPath *path,
                    guint64 min, guint64 max, guint64 *out, GError **error)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive (obj, key);
    FsimJPath p = FSIM_JP_KEY (path, key);
    if (!v)
        return TRUE;
    if (!cJSON_IsNumber (v) || v->valuedouble != floor (v->valuedouble))
        return fsim_i_fail (c, error, v, FALSE, FSIM_LOADER_ERROR_SCHEMA, &p,
                            "expected an integer, got %s",
                            cJSON_IsNumber (v) ? "a fraction" : fsim_i_json_type_name (v));
    if (v->valuedouble > (double) max && v->valuedouble >= 0x1p53)
        /* cJSON reads numbers as doubles: 9007199254740993 arrives as ...992, so quoting the
         * value would show a number the user did not write */
        return fsim_i_fail (c, error, v, FALSE, FSIM_LOADER_ERROR_VALUE, &p,
                            "out of range: 2^53 or more, where JSON numbers stop being exact "
                            "(expected an integer from %" G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT
                            ")",
                            min, max);
    if (v->valuedouble < (double) min && v->valuedouble <= -0x1p53)
        /* and below: -1e300 was quoted as its 301 digits, -1e400 as "-inf" */
        return fsim_i_fail (c, error, v, FALSE, FSIM_LOADER_ERROR_VALUE, &p,
                            "out of range: -2^53 or less, where JSON numbers stop being exact "
                            "(expected an integer from %" G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT
                            ")",
                            min, max);
    if (v->valuedouble < (double) min || v->valuedouble > (double) max)
        return fsim_i_fail (c, error, v, FALSE, FSIM_LOADER_ERROR_VALUE, &p,
                            "%.0f is out of range (expected an integer from %" G_GUINT64_FORMAT
                            " to %" G_GUINT64_FORMAT ")",
                            v->valuedouble, min, max);
    *out = (guint64) v->valuedouble;
    return TRUE;
}

gboolean
fsim_i_get_date (FsimConv *c, const cJSON *obj, const char *key, const FsimJPath *path,
                 FsimDay *out, GError **error)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive (obj, key);
    FsimJPath p = FSIM_JP_KEY (path, key);
    if (!v)
        return TRUE;
    if (!check_string (c, v, &p, error))
        return FALSE;
    if (!fsim_day_parse (v->valuestring, out))
        return fsim_i_fail (c, error, v, FALSE, FSIM_LOADER_ERROR_VALUE, &p,
                            "'%s' is not a valid date (expected YYYY-MM-DD, a real calendar "
                            "day)",
                            v->valuestring);
    return TRUE;
}

gboolean
fsim_i_get_strv (FsimConv *c, const cJSON *obj, const char *key, const FsimJPath *path,
                 gboolean ids, char ***out, GError **error)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive (obj, key);
    FsimJPath p = FSIM_JP_KEY (path, key);
    if (!v) {
        if (!*out)
            *out = g_new0 (char *, 1);
        return TRUE;
    }
    if (!cJSON_IsArray (v))
        return fsim_i_fail (c, error, v, FALSE, FSIM_LOADER_ERROR_SCHEMA, &p,
                            "expected an array of strings, got %s", fsim_i_json_type_name (v));
    g_autoptr (GPtrArray) arr = g_ptr_array_new_with_free_func (g_free);
    FsimParts parts = FSIM_PARTS_INIT (c);
    int i = 0;
    for (const cJSON *e = v->child; e; e = e->next, i++) {
        FsimJPath ep = FSIM_JP_IDX (&p, i);
        g_autoptr (GError) local = NULL;
        if (fsim_i_part (&parts,
                         ids ? check_id (c, e, &ep, &local) : check_string (c, e, &ep, &local),
                         &local))
            g_ptr_array_add (arr, g_strdup (e->valuestring));
    }
    if (!fsim_i_parts_end (&parts, error))
        return FALSE;
    g_ptr_array_add (arr, NULL);
    g_strfreev (*out);
    *out = (char **) g_ptr_array_steal (arr, NULL);
    return TRUE;
}

/* "YYYY-MM-DD" (a real day), "YYYY-MM" or "YYYY": the precision a publication gives. */
static gboolean
is_source_date (const char *t)
{
    size_t n = strlen (t);
    for (size_t i = 0; i < n; i++)
        if (!(i == 4 || i == 7 ? t[i] == '-' : g_ascii_isdigit (t[i])))
            return FALSE;
    if (n == 10) {
        FsimDay day;
        return fsim_day_parse (t, &day);
    }
    if (n != 4 && n != 7)
        return FALSE;
    int month = n == 7 ? atoi (t + 5) : 1;
    return atoi (t) >= 1 && month >= 1 && month <= 12;
}

/* An absolute URL: a scheme, ':' and no white space (as policies/schema/ says). */
static gboolean
is_url (const char *t)
{
    if (!g_ascii_isalpha (*t))
        return FALSE;
    const char *p = t + 1;
    while (g_ascii_isalnum (*p) || *p == '+' || *p == '.' || *p == '-')
        p++;
    if (*p != ':' || !p[1])
        return FALSE;
    for (p++; *p; p++)
        if (g_ascii_isspace (*p))
            return FALSE;
    return TRUE;
}

static gboolean
get_url (FsimConv *c, const cJSON *obj, const char *key, const FsimJPath *path, char **out,
         GError **error)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive (obj, key);
    FsimJPath p = FSIM_JP_KEY (path, key);
    if (!fsim_i_get_string (c, obj, key, path, out, error))
        return FALSE;
    if (v && !is_url (v->valuestring))
        return fsim_i_fail (c, error, v, FALSE, FSIM_LOADER_ERROR_VALUE, &p,
                            "'%s' is not a URL (expected a scheme such as https: and no spaces)",
                            v->valuestring);
    return TRUE;
}

static gboolean
is_blank (const char *t)
{
    while (g_ascii_isspace (*t))
        t++;
    return *t == '\0';
}

static gboolean
convert_source (FsimConv *c, const cJSON *e, const FsimJPath *p, FsimSource *src, GError **error)
{
    static const char *const keys[] = {
        "publisher", "title", "date", "url", "read_at", "note", NULL
    };
    static const char *const req[] = { "publisher", "title", "date", NULL };
    src->loc = fsim_i_loc_of (c, e);
    if (cJSON_IsString (e)) {
        /* a bare URL, as users' own files may still give it: not checked, as before */
        if (!check_string (c, e, p, error))
            return FALSE;
        src->url = g_strdup (e->valuestring);
        return TRUE;
    }
    if (!cJSON_IsObject (e))
        return fsim_i_fail (c, error, e, FALSE, FSIM_LOADER_ERROR_SCHEMA, p,
                            "expected a source (an object with 'publisher', 'title' and "
                            "'date', or a URL string), got %s",
                            fsim_i_json_type_name (e));
    FsimParts parts = FSIM_PARTS_INIT (c);
    g_autoptr (GError) local = NULL;
    fsim_i_part (&parts, fsim_i_check_object (c, e, p, keys, req, &local), &local);
    fsim_i_part (&parts, fsim_i_get_string (c, e, "publisher", p, &src->publisher, &local), &local);
    fsim_i_part (&parts, fsim_i_get_string (c, e, "title", p, &src->title, &local), &local);
    fsim_i_part (&parts, fsim_i_get_string (c, e, "date", p, &src->date, &local), &local);
    fsim_i_part (&parts, get_url (c, e, "url", p, &src->url, &local), &local);
    fsim_i_part (&parts, get_url (c, e, "read_at", p, &src->read_at, &local), &local);
    fsim_i_part (&parts, fsim_i_get_string (c, e, "note", p, &src->note, &local), &local);
    const char *const named[] = { src->publisher, src->title };
    for (size_t k = 0; k < G_N_ELEMENTS (named); k++) {
        const char *key = k == 0 ? "publisher" : "title";
        FsimJPath kp = FSIM_JP_KEY (p, key);
        if (named[k] && is_blank (named[k]))
            fsim_i_part (&parts,
                         fsim_i_fail (c, &local, cJSON_GetObjectItemCaseSensitive (e, key), FALSE,
                                      FSIM_LOADER_ERROR_VALUE, &kp, "expected a non-empty %s", key),
                         &local);
    }
    FsimJPath dp = FSIM_JP_KEY (p, "date");
    if (src->date && !is_source_date (src->date))
        fsim_i_part (&parts,
                     fsim_i_fail (c, &local, cJSON_GetObjectItemCaseSensitive (e, "date"), FALSE,
                                  FSIM_LOADER_ERROR_VALUE, &dp,
                                  "'%s' is not a valid date (expected YYYY-MM-DD, YYYY-MM or "
                                  "YYYY, a real calendar day)",
                                  src->date),
                     &local);
    return fsim_i_parts_end (&parts, error);
}

gboolean
fsim_i_get_sources (FsimConv *c, const cJSON *obj, const char *key, const FsimJPath *path,
                    FsimSources *out, GError **error)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive (obj, key);
    FsimJPath p = FSIM_JP_KEY (path, key);
    if (!v)
        return TRUE;
    if (!cJSON_IsArray (v))
        return fsim_i_fail (c, error, v, FALSE, FSIM_LOADER_ERROR_SCHEMA, &p,
                            "expected an array of sources, got %s", fsim_i_json_type_name (v));
    g_autoptr (GError) nomem = NULL;
    FsimSources got = { fsim_try_new0 ((size_t) cJSON_GetArraySize (v) + 1, sizeof (FsimSource),
                                       "the sources", &nomem),
                        0 };
    if (!got.items)
        return fsim_i_fail (c, error, v, FALSE, FSIM_LOADER_ERROR_LIMIT, &p, "%s", nomem->message);
    FsimParts parts = FSIM_PARTS_INIT (c);
    int i = 0;
    for (const cJSON *e = v->child; e; e = e->next, i++) {
        FsimJPath ep = FSIM_JP_IDX (&p, i);
        g_autoptr (GError) local = NULL;
        got.n++;
        fsim_i_part (&parts, convert_source (c, e, &ep, &got.items[i], &local), &local);
    }
    if (!fsim_i_parts_end (&parts, error)) {
        fsim_sources_clear (&got);
        return FALSE;
    }
    fsim_sources_clear (out);
    *out = got;
    return TRUE;
}

gboolean
fsim_i_get_window (FsimConv *c, const cJSON *obj, const char *key, const FsimJPath *path,
                   FsimWindow *out, GError **error)
{
    static const char *const keys[] = { "from", "until", NULL };
    const cJSON *v = cJSON_GetObjectItemCaseSensitive (obj, key);
    FsimJPath p = FSIM_JP_KEY (path, key);
    FsimWindow w = { FSIM_DAY_MIN, FSIM_DAY_MAX };
    if (v) {
        FsimParts parts = FSIM_PARTS_INIT (c);
        g_autoptr (GError) local = NULL;
        if (!fsim_i_part (&parts, fsim_i_check_object (c, v, &p, keys, NULL, &local), &local) &&
            !cJSON_IsObject (v))
            return fsim_i_parts_end (&parts, error);
        gboolean dates =
            fsim_i_part (&parts, fsim_i_get_date (c, v, "from", &p, &w.from, &local), &local);
        dates =
            fsim_i_part (&parts, fsim_i_get_date (c, v, "until", &p, &w.until, &local), &local) &&
            dates;
        if (dates && w.from >= w.until)
            fsim_i_part (&parts,
                         fsim_i_fail (c, &local, v, FALSE, FSIM_LOADER_ERROR_VALUE, &p,
                                      "empty window: 'from' must be before 'until'"),
                         &local);
        if (!fsim_i_parts_end (&parts, error))
            return FALSE;
    }
    *out = w;
    return TRUE;
}

/* At most this many parents (FsimConv.field_parents) are kept, else every pattern is matched
 * against every field as before (GLib's table cannot fail softly as it grows). */
#define MAX_FIELD_PARENTS 4096

/* Fills c->field_parents; FALSE when the fields have more than MAX_FIELD_PARENTS. */
static gboolean
find_field_parents (FsimConv *c)
{
    const FsimScenario *s = c->s;
    c->field_parents = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    for (size_t f = 0; f < s->n_fields; f++)
        for (const char *dot = strchr (s->fields[f].id, '.'); dot; dot = strchr (dot + 1, '.')) {
            if (g_hash_table_size (c->field_parents) == MAX_FIELD_PARENTS)
                return FALSE;
            g_hash_table_add (c->field_parents,
                              g_strndup (s->fields[f].id, (gsize) (dot - s->fields[f].id)));
        }
    return TRUE;
}

/* The fields that @pattern selects when it is plain (no '*' or '?': the field of that id and
 * those under it, fsim_field_pattern_match()) and none has it before a '.', so that only the
 * field of that id can match: looked up rather than matched against every field (4096 scopes
 * times 512 fields were a tenth of a load of the model at the limits). Returns: FALSE when
 * the fields must be scanned (also when some field failed, or two have one id); else TRUE,
 * with the field set in @bits and *@out_any whether there is one. */
static gboolean
plain_pattern_to_bits (FsimConv *c, const char *pattern, FsimWord *bits, gboolean *out_any)
{
    const FsimScenario *s = c->s;
    if (strpbrk (pattern, "*?") || c->failed[FSIM_I_FIELDS] ||
        g_hash_table_size (c->field_ix) != s->n_fields || c->field_parents_over)
        return FALSE;
    if (!c->field_parents && !find_field_parents (c)) {
        c->field_parents_over = TRUE;
        return FALSE;
    }
    if (g_hash_table_contains (c->field_parents, pattern))
        return FALSE;
    gssize f = fsim_i_lookup (c->field_ix, pattern);
    if (f >= 0)
        fsim_bits_set (bits, (size_t) f);
    *out_any = f >= 0;
    return TRUE;
}

static gboolean
pattern_to_bits (FsimConv *c, const cJSON *e, const FsimJPath *ep, FsimWord *bits, GError **error)
{
    const FsimScenario *s = c->s;
    gboolean any = FALSE;
    if (plain_pattern_to_bits (c, e->valuestring, bits, &any) && any)
        return TRUE;
    for (size_t f = 0; f < s->n_fields; f++) {
        if (fsim_field_pattern_match (e->valuestring, s->fields[f].id, NULL)) {
            fsim_bits_set (bits, f);
            any = TRUE;
        }
    }
    if (any)
        return TRUE;
    g_autofree const char **ids = g_new0 (const char *, s->n_fields + 1);
    for (size_t f = 0; f < s->n_fields; f++)
        ids[f] = s->fields[f].id;
    const char *near = fsim_i_closest (e->valuestring, ids, s->n_fields);
    if (near)
        return fsim_i_fail_name (c, error, FSIM_I_NAME_FIELD, e, FALSE, FSIM_LOADER_ERROR_REFERENCE,
                                 ep, "field pattern '%s' selects no field; did you mean '%s'?",
                                 e->valuestring, near);
    return fsim_i_fail_name (c, error, FSIM_I_NAME_FIELD, e, FALSE, FSIM_LOADER_ERROR_REFERENCE, ep,
                             "field pattern '%s' selects no field (%zu fields are declared)",
                             e->valuestring, s->n_fields);
}

gboolean
fsim_i_get_fields (FsimConv *c, const cJSON *obj, const char *key, const FsimJPath *path,
                   FsimWord **out, GError **error)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive (obj, key);
    FsimJPath p = FSIM_JP_KEY (path, key);
    if (!v)
        return TRUE;
    if (!cJSON_IsArray (v))
        return fsim_i_fail (c, error, v, FALSE, FSIM_LOADER_ERROR_SCHEMA, &p,
                            "expected an array of field patterns, got %s",
                            fsim_i_json_type_name (v));
    g_autofree FsimWord *bits = fsim_bits_new (c->s->field_words);
    FsimParts parts = FSIM_PARTS_INIT (c);
    int i = 0;
    for (const cJSON *e = v->child; e; e = e->next, i++) {
        FsimJPath ep = FSIM_JP_IDX (&p, i);
        g_autoptr (GError) local = NULL;
        fsim_i_part (&parts,
                     check_string (c, e, &ep, &local) && pattern_to_bits (c, e, &ep, bits, &local),
                     &local);
    }
    if (!fsim_i_parts_end (&parts, error))
        return FALSE;
    g_free (*out);
    *out = g_steal_pointer (&bits);
    return TRUE;
}

static gboolean
selector_selects_any (const FsimScenario *s, const char *sel)
{
    for (size_t p = 0; p < s->n_partners; p++)
        if (fsim_partner_selector_matches (&s->partners[p], sel))
            return TRUE;
    return FALSE;
}

FsimLoc
fsim_i_loc_of (FsimConv *c, const cJSON *node)
{
    const FsimNodeLoc *l = fsim_i_json_loc (c->doc, node);
    FsimLoc loc = { "", 0, 0 };
    if (l) {
        /* the files' names are interned in the doc: most values are in the one before */
        if (l->file != c->loc_file) {
            c->loc_file = l->file;
            c->loc_file_interned = g_string_chunk_insert_const (c->s->strings, l->file);
        }
        loc.file = c->loc_file_interned;
        loc.line = l->line;
        loc.col = l->col;
    }
    return loc;
}

gboolean
fsim_i_check_partner_selector (FsimConv *c, const cJSON *node, const char *sel, gboolean at_key,
                               const FsimJPath *path, GError **error)
{
    const char *bare = g_str_has_prefix (sel, "kind:")  ? sel + 5
                       : g_str_has_prefix (sel, "tag:") ? sel + 4
                                                        : sel;
    if (strpbrk (bare, "*?") || selector_selects_any (c->s, sel))
        return TRUE;
    /* the names this selector could have meant: partner ids (unique), kinds or tags (once) */
    g_autoptr (GPtrArray) names = g_ptr_array_new ();
    for (size_t p = 0; p < c->s->n_partners; p++) {
        const FsimPartner *pa = &c->s->partners[p];
        char *one[] = { bare == sel ? pa->id : pa->kind, NULL };
        char **list = bare == sel || sel[0] == 'k' ? one : pa->tags;
        for (char **x = list; x && *x; x++)
            if (bare == sel || !g_ptr_array_find_with_equal_func (names, *x, g_str_equal, NULL))
                g_ptr_array_add (names, *x);
    }
    const char *near = fsim_i_closest (bare, (const char *const *) names->pdata, names->len);
    const char *what = bare == sel ? "partner" : sel[0] == 'k' ? "partner kind" : "partner tag";
    FsimIName group = bare == sel ? FSIM_I_NAME_PARTNER : FSIM_I_NAME_PARTNER_GROUP;
    if (near)
        return fsim_i_fail_name (c, error, group, node, at_key, FSIM_LOADER_ERROR_REFERENCE, path,
                                 "unknown %s '%s'; did you mean '%s'?", what, bare, near);
    if (names->len > 0 && names->len <= 12) {
        g_ptr_array_add (names, NULL);
        g_autofree char *known = g_strjoinv ("', '", (char **) names->pdata);
        return fsim_i_fail_name (c, error, group, node, at_key, FSIM_LOADER_ERROR_REFERENCE, path,
                                 "unknown %s '%s' (known: '%s')", what, bare, known);
    }
    return fsim_i_fail_name (c, error, group, node, at_key, FSIM_LOADER_ERROR_REFERENCE, path,
                             "%s '%s' selects no partner", what, bare);
}

/* The array root[key] (absent: NULL with *n = 0), checked for type and size. */
gboolean
fsim_i_get_array (FsimConv *c, const cJSON *obj, const char *key, const FsimJPath *path, int max,
                  const cJSON **out, size_t *n, GError **error)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive (obj, key);
    FsimJPath p = FSIM_JP_KEY (path, key);
    *out = v;
    *n = 0;
    if (!v)
        return TRUE;
    if (!cJSON_IsArray (v))
        return fsim_i_fail (c, error, v, FALSE, FSIM_LOADER_ERROR_SCHEMA, &p,
                            "expected an array, got %s", fsim_i_json_type_name (v));
    int size = cJSON_GetArraySize (v);
    if (size > max)
        return fsim_i_fail_count (c, error, v, &p, size, "entries", max, "");
    *n = (size_t) size;
    return TRUE;
}
