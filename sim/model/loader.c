/* SPDX-License-Identifier: MIT */
/* loader.c: converts the merged JSON of a scenario into the typed, validated FsimScenario. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include <cjson/cJSON.h>

#include "loader-private.h"

#define MAX_FIELDS 16384
#define MAX_APIS 4096
#define MAX_SCOPES 4096
#define MAX_PARTNERS 16384
#define MAX_RULES 262144

/* The array root[key] (absent: NULL with *n = 0), checked for type and size. */
static gboolean
get_array (FsimConv *c, const cJSON *obj, const char *key, const FsimJPath *path, int max,
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

/* The index to show in the path of top-level entity @e (merged position @i): its position in
 * the file that the message's location names, when it was written in one. */
static int
file_index (FsimConv *c, const cJSON *e, size_t i)
{
    const FsimNodeLoc *l = fsim_i_json_loc (c->doc, e);
    return l && l->index >= 0 ? l->index : (int) i;
}

/* Register @id in @ix, failing on a duplicate. */
static gboolean
register_id (FsimConv *c, GHashTable *ix, const char *id, size_t index, const cJSON *node,
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
static void
register_failed (FsimConv *c, GHashTable *ix, const char *id, size_t index)
{
    (void) c;
    if (id && !g_hash_table_contains (ix, id))
        g_hash_table_insert (ix, (gpointer) id, GSIZE_TO_POINTER (index + 1));
}

static gssize
lookup (GHashTable *ix, const char *id)
{
    return (gssize) GPOINTER_TO_SIZE (g_hash_table_lookup (ix, id)) - 1;
}

static gboolean fail_unknown (FsimConv *c, GError **error, const cJSON *node,
                              const FsimJPath *path, const char *what, const char *id,
                              const char *const *known, size_t n);

/* fail_unknown() for the name of an entity (an API, scope or partner), which may be one that
 * failed to convert. */
static gboolean
fail_unknown_name (FsimConv *c, GError **error, const cJSON *node, const FsimJPath *path,
                   const char *what, const char *id, const char *const *known, size_t n)
{
    fail_unknown (c, error, node, path, what, id, known, n);
    return fsim_i_unmatched_name (c, error);
}

/* Error for an id that names nothing: suggest the closest, or list the few there are. */
static gboolean
fail_unknown (FsimConv *c, GError **error, const cJSON *node, const FsimJPath *path,
              const char *what, const char *id, const char *const *known, size_t n)
{
    const char *near = fsim_i_closest (id, known, n);
    if (near)
        return fsim_i_fail (c, error, node, FALSE, FSIM_LOADER_ERROR_REFERENCE, path,
                            "unknown %s '%s'; did you mean '%s'?", what, id, near);
    if (n > 0 && n <= 12) {
        g_autoptr(GString) list = g_string_new (NULL);
        for (size_t i = 0; i < n; i++)
            g_string_append_printf (list, "%s'%s'", i ? ", " : "", known[i]);
        return fsim_i_fail (c, error, node, FALSE, FSIM_LOADER_ERROR_REFERENCE, path,
                            "unknown %s '%s' (known: %s)", what, id, list->str);
    }
    if (n == 0)
        return fsim_i_fail (c, error, node, FALSE, FSIM_LOADER_ERROR_REFERENCE, path,
                            "unknown %s '%s' (none is declared: is an 'include' missing?)",
                            what, id);
    return fsim_i_fail (c, error, node, FALSE, FSIM_LOADER_ERROR_REFERENCE, path,
                        "unknown %s '%s'", what, id);
}

/* ---- top level and fields ------------------------------------------------------------------ */

static gboolean
convert_top (FsimConv *c, const cJSON *root, GError **error)
{
    FsimScenario *s = c->s;
    guint64 seed = 1;
    if (!fsim_i_get_id (c, root, "scenario", NULL, &s->id, error)
        || !fsim_i_get_string (c, root, "title", NULL, &s->title, error)
        || !fsim_i_get_string (c, root, "description", NULL, &s->description, error)
        || !fsim_i_get_sources (c, root, "sources", NULL, &s->sources, error)
        || !fsim_i_get_strv (c, root, "assumptions", NULL, FALSE, &s->assumptions, error)
        || !fsim_i_get_integer (c, root, "seed", NULL, 0, ((guint64) 1 << 53) - 1, &seed, error))
        return FALSE;
    s->seed = seed;
    if (!s->id)
        return TRUE;
    const cJSON *date = cJSON_GetObjectItemCaseSensitive (root, "date");
    if (!date)
        return fsim_i_fail (c, error, root, FALSE, FSIM_LOADER_ERROR_SCHEMA, NULL,
                            "missing required key 'date' (the day the scenario simulates)");
    if (!fsim_i_get_date (c, root, "date", NULL, &s->date, error))
        return FALSE;
    s->date_string = fsim_day_format (s->date);
    if (!cJSON_GetObjectItemCaseSensitive (root, "population"))
        return fsim_i_fail (c, error, root, FALSE, FSIM_LOADER_ERROR_SCHEMA, NULL,
                            "missing required key 'population'");
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
    if (!get_array (c, root, "fields", NULL, MAX_FIELDS, &arr, &n, error))
        return FALSE;
    c->s->fields = g_new0 (FsimField, n ? n : 1);
    size_t i = 0;
    for (const cJSON *e = arr ? arr->child : NULL; e; e = e->next, i++) {
        FsimJPath p = FSIM_JP_IDX (&top, file_index (c, e, i));
        FsimField *f = &c->s->fields[i];
        c->s->n_fields = i + 1;
        g_autoptr(GError) local = NULL;
        if (!fsim_i_check_object (c, e, &p, keys, req, &local)
            || !fsim_i_get_id (c, e, "id", &p, &f->id, &local)
            || !fsim_i_get_string (c, e, "label", &p, &f->label, &local)
            || !fsim_i_get_bool (c, e, "sensitive", &p, &f->sensitive, &local)) {
            register_failed (c, c->field_ix, f->id, i);
            if (!fsim_i_keep_error (c, &local))
                break;
            continue;
        }
        if (!f->label)
            f->label = g_strdup (f->id);
        f->loc = fsim_i_loc_of (c, e);
        FsimJPath ip = FSIM_JP_KEY (&p, "id");
        if (!register_id (c, c->field_ix, f->id, i, e, &ip, "field", &local)
            && !fsim_i_keep_error (c, &local))
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
    g_auto(GStrv) v = NULL;
    if (!fsim_i_get_strv (c, e, "respects", p, FALSE, &v, error))
        return FALSE;
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive (e, "respects");
    FsimJPath rp = FSIM_JP_KEY (p, "respects");
    *out = 0;
    for (int i = 0; v[i]; i++) {
        size_t k = 0;
        while (k < G_N_ELEMENTS (names) && strcmp (v[i], names[k]) != 0)
            k++;
        FsimJPath ip = FSIM_JP_IDX (&rp, i);
        if (k == G_N_ELEMENTS (names))
            return fail_unknown (c, error, cJSON_GetArrayItem (arr, i), &ip, "setting", v[i],
                                 names, G_N_ELEMENTS (names));
        *out |= 1u << k;
    }
    return TRUE;
}

static gboolean
convert_scope (FsimConv *c, const cJSON *e, const FsimJPath *p, FsimScope *sc, GError **error)
{
    static const char *const keys[] = { "id", "label", "subject", "fields", NULL };
    static const char *const req[] = { "id", "subject", "fields", NULL };
    static const char *const subjects[] = { "self", "friends", "friends_of_friends" };
    g_autofree char *subject = NULL;
    if (!fsim_i_check_object (c, e, p, keys, req, error)
        || !fsim_i_get_id (c, e, "id", p, &sc->id, error)
        || !fsim_i_get_string (c, e, "label", p, &sc->label, error)
        || !fsim_i_get_string (c, e, "subject", p, &subject, error)
        || !fsim_i_get_fields (c, e, "fields", p, &sc->fields, error))
        return FALSE;
    size_t k = 0;
    while (k < G_N_ELEMENTS (subjects) && strcmp (subject, subjects[k]) != 0)
        k++;
    FsimJPath sp = FSIM_JP_KEY (p, "subject");
    if (k == G_N_ELEMENTS (subjects))
        return fail_unknown (c, error, cJSON_GetObjectItemCaseSensitive (e, "subject"), &sp,
                             "subject", subject, subjects, G_N_ELEMENTS (subjects));
    sc->subject = (FsimSubject) k;
    sc->loc = fsim_i_loc_of (c, e);
    return TRUE;
}

static gboolean
convert_api (FsimConv *c, const cJSON *e, const FsimJPath *p, FsimApi *a, GError **error)
{
    static const char *const keys[] = { "id", "title", "active", "respects", "scopes",
                                        "sources", NULL };
    static const char *const req[] = { "id", "scopes", NULL };
    const cJSON *arr;
    size_t n;
    if (!fsim_i_check_object (c, e, p, keys, req, error)
        || !fsim_i_get_id (c, e, "id", p, &a->id, error)
        || !fsim_i_get_string (c, e, "title", p, &a->title, error)
        || !fsim_i_get_window (c, e, "active", p, &a->active, error)
        || !convert_respects (c, e, p, &a->respects, error)
        || !fsim_i_get_sources (c, e, "sources", p, &a->sources, error)
        || !get_array (c, e, "scopes", p, MAX_SCOPES, &arr, &n, error))
        return FALSE;
    if (!a->title)
        a->title = g_strdup (a->id);
    a->loc = fsim_i_loc_of (c, e);
    FsimJPath sp = FSIM_JP_KEY (p, "scopes");
    if (n == 0)
        return fsim_i_fail (c, error, arr, FALSE, FSIM_LOADER_ERROR_SCHEMA, &sp,
                            "an API needs at least one scope");
    a->scopes = g_new0 (FsimScope, n);
    size_t i = 0;
    for (const cJSON *s = arr->child; s; s = s->next, i++) {
        FsimJPath ip = FSIM_JP_IDX (&sp, (int) i);
        a->n_scopes = i + 1;
        if (!convert_scope (c, s, &ip, &a->scopes[i], error))
            return FALSE;
        for (size_t j = 0; j < i; j++)
            if (strcmp (a->scopes[j].id, a->scopes[i].id) == 0)
                return fsim_i_fail (c, error, s, FALSE, FSIM_LOADER_ERROR_REFERENCE, &ip,
                                    "duplicate scope id '%s' in API '%s'", a->scopes[i].id,
                                    a->id);
    }
    return TRUE;
}

static gboolean
convert_apis (FsimConv *c, const cJSON *root, GError **error)
{
    FsimJPath top = FSIM_JP_KEY (NULL, "apis");
    const cJSON *arr;
    size_t n;
    if (!get_array (c, root, "apis", NULL, MAX_APIS, &arr, &n, error))
        return FALSE;
    c->s->apis = g_new0 (FsimApi, n ? n : 1);
    size_t i = 0;
    for (const cJSON *e = arr ? arr->child : NULL; e; e = e->next, i++) {
        FsimJPath p = FSIM_JP_IDX (&top, file_index (c, e, i));
        c->s->n_apis = i + 1;
        g_autoptr(GError) local = NULL;
        FsimJPath ip = FSIM_JP_KEY (&p, "id");
        if (!convert_api (c, e, &p, &c->s->apis[i], &local))
            register_failed (c, c->api_ix, c->s->apis[i].id, i);
        else
            register_id (c, c->api_ix, c->s->apis[i].id, i, e, &ip, "API", &local);
        if (local && !fsim_i_keep_error (c, &local))
            break;
    }
    return fsim_i_stage_ok (c);
}

/* ---- partners -------------------------------------------------------------------------------- */

static gboolean
convert_destination (FsimConv *c, const cJSON *e, const FsimJPath *p, FsimDestination *d,
                     GError **error)
{
    static const char *const keys[] = { "id", "location", "jurisdiction", "fields", NULL };
    static const char *const req[] = { "id", "location", "fields", NULL };
    g_autofree char *location = NULL;
    if (!fsim_i_check_object (c, e, p, keys, req, error)
        || !fsim_i_get_id (c, e, "id", p, &d->id, error)
        || !fsim_i_get_string (c, e, "location", p, &location, error)
        || !fsim_i_get_string (c, e, "jurisdiction", p, &d->jurisdiction, error)
        || !fsim_i_get_fields (c, e, "fields", p, &d->fields, error))
        return FALSE;
    d->loc = fsim_i_loc_of (c, e);
    FsimJPath lp = FSIM_JP_KEY (p, "location");
    FsimJPath jp = FSIM_JP_KEY (p, "jurisdiction");
    const cJSON *jn = cJSON_GetObjectItemCaseSensitive (e, "jurisdiction");
    if (strcmp (location, "device") == 0) {
        d->on_device = TRUE;
        if (jn)
            return fsim_i_fail (c, error, jn, TRUE, FSIM_LOADER_ERROR_SCHEMA, &jp,
                                "a 'device' destination has no jurisdiction (the data stays "
                                "on the user's device)");
        return TRUE;
    }
    if (strcmp (location, "server") != 0) {
        static const char *const locs[] = { "device", "server" };
        return fail_unknown (c, error, cJSON_GetObjectItemCaseSensitive (e, "location"), &lp,
                             "location", location, locs, 2);
    }
    if (!jn)
        return fsim_i_fail (c, error, e, FALSE, FSIM_LOADER_ERROR_SCHEMA, p,
                            "a 'server' destination needs a 'jurisdiction' (an ISO 3166-1 "
                            "alpha-2 country code such as \"US\" or \"CN\")");
    const char *j = d->jurisdiction;
    if (strlen (j) != 2 || !g_ascii_isupper (j[0]) || !g_ascii_isupper (j[1]))
        return fsim_i_fail (c, error, jn, FALSE, FSIM_LOADER_ERROR_VALUE, &jp,
                            "'%s' is not a country code (expected two capital letters, ISO "
                            "3166-1 alpha-2, such as \"US\" or \"CN\")", j);
    return TRUE;
}

static gboolean
convert_share (FsimConv *c, const cJSON *e, const FsimJPath *p, FsimShare *sh, GError **error)
{
    static const char *const keys[] = { "with", "fields", "active", "sources", NULL };
    static const char *const req[] = { "with", "fields", NULL };
    g_autofree char *with = NULL;
    if (!fsim_i_check_object (c, e, p, keys, req, error)
        || !fsim_i_get_id (c, e, "with", p, &with, error)
        || !fsim_i_get_fields (c, e, "fields", p, &sh->fields, error)
        || !fsim_i_get_window (c, e, "active", p, &sh->active, error)
        || !fsim_i_get_sources (c, e, "sources", p, &sh->sources, error))
        return FALSE;
    sh->loc = fsim_i_loc_of (c, e);
    gssize q = lookup (c->partner_ix, with);
    if (q < 0) {
        g_autofree const char **ids = g_new0 (const char *, c->s->n_partners + 1);
        for (size_t i = 0; i < c->s->n_partners; i++)
            ids[i] = c->s->partners[i].id;
        FsimJPath wp = FSIM_JP_KEY (p, "with");
        return fail_unknown_name (c, error, cJSON_GetObjectItemCaseSensitive (e, "with"), &wp,
                             "partner", with, ids, c->s->n_partners);
    }
    sh->partner = (size_t) q;
    return TRUE;
}

/* "consent": {"kind": "unchallenged"|"deceptive", "note", "sources"}; absent: unchallenged. */
static gboolean
convert_consent (FsimConv *c, const cJSON *e, const FsimJPath *p, FsimConsent *out,
                 GError **error)
{
    static const char *const keys[] = { "kind", "note", "sources", NULL };
    static const char *const req[] = { "kind", NULL };
    const cJSON *o = cJSON_GetObjectItemCaseSensitive (e, "consent");
    FsimJPath cp = FSIM_JP_KEY (p, "consent");
    g_autofree char *kind = NULL;
    if (!o)
        return TRUE;
    if (!fsim_i_check_object (c, o, &cp, keys, req, error)
        || !fsim_i_get_string (c, o, "kind", &cp, &kind, error)
        || !fsim_i_get_string (c, o, "note", &cp, &out->note, error)
        || !fsim_i_get_sources (c, o, "sources", &cp, &out->sources, error))
        return FALSE;
    for (int k = 0; k < _FSIM_CONSENT_MAX; k++)
        if (strcmp (kind, fsim_consent_kind_to_string ((FsimConsentKind) k)) == 0) {
            out->kind = (FsimConsentKind) k;
            return TRUE;
        }
    FsimJPath kp = FSIM_JP_KEY (&cp, "kind");
    return fsim_i_fail (c, error, cJSON_GetObjectItemCaseSensitive (o, "kind"), FALSE,
                        FSIM_LOADER_ERROR_VALUE, &kp,
                        "'%s' is not a kind of consent (expected \"unchallenged\" or "
                        "\"deceptive\")", kind);
}

/* Typed array of sub-objects: allocate *out (n elements) and convert each. */
#define CONVERT_LIST(c, e, p, key, max, type, out, n_out, fn, error)                           \
    do {                                                                                       \
        const cJSON *arr_;                                                                     \
        size_t n_;                                                                             \
        if (!get_array (c, e, key, p, max, &arr_, &n_, error))                                 \
            return FALSE;                                                                      \
        FsimJPath lp_ = FSIM_JP_KEY (p, key);                                                  \
        *(out) = g_new0 (type, n_ ? n_ : 1);                                                   \
        size_t i_ = 0;                                                                         \
        for (const cJSON *x_ = arr_ ? arr_->child : NULL; x_; x_ = x_->next, i_++) {           \
            FsimJPath ip_ = FSIM_JP_IDX (&lp_, (int) i_);                                      \
            *(n_out) = i_ + 1;                                                                 \
            if (!fn (c, x_, &ip_, &(*(out))[i_], error))                                       \
                return FALSE;                                                                  \
        }                                                                                      \
    } while (0)

static gboolean
convert_integrates (FsimConv *c, const cJSON *e, const FsimJPath *p, FsimPartner *pa,
                    GError **error)
{
    g_auto(GStrv) apis = NULL;
    if (!fsim_i_get_strv (c, e, "integrates", p, TRUE, &apis, error))
        return FALSE;
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive (e, "integrates");
    FsimJPath ap = FSIM_JP_KEY (p, "integrates");
    pa->n_apis = g_strv_length (apis);
    pa->apis = g_new0 (size_t, pa->n_apis ? pa->n_apis : 1);
    for (size_t k = 0; k < pa->n_apis; k++) {
        gssize a = lookup (c->api_ix, apis[k]);
        FsimJPath ip = FSIM_JP_IDX (&ap, (int) k);
        if (a < 0) {
            g_autofree const char **ids = g_new0 (const char *, c->s->n_apis + 1);
            for (size_t i = 0; i < c->s->n_apis; i++)
                ids[i] = c->s->apis[i].id;
            return fail_unknown_name (c, error, cJSON_GetArrayItem (arr, (int) k), &ip, "API",
                                 apis[k], ids, c->s->n_apis);
        }
        for (size_t j = 0; j < k; j++)
            if (pa->apis[j] == (size_t) a)
                return fsim_i_fail (c, error, cJSON_GetArrayItem (arr, (int) k), FALSE,
                                    FSIM_LOADER_ERROR_REFERENCE, &ip, "API '%s' listed twice",
                                    apis[k]);
        pa->apis[k] = (size_t) a;
    }
    return TRUE;
}

/* A requested scope that no integrated API offers: name the API that does, if one does. */
static gboolean
fail_request (FsimConv *c, GError **error, const cJSON *node, const FsimJPath *path,
              const char *scope, GPtrArray *offered)
{
    for (size_t k = 0; k < c->s->n_apis; k++)
        for (size_t s = 0; s < c->s->apis[k].n_scopes; s++)
            if (strcmp (c->s->apis[k].scopes[s].id, scope) == 0)
                return fsim_i_fail (c, error, node, FALSE, FSIM_LOADER_ERROR_REFERENCE, path,
                                    "scope '%s' is offered by API '%s', which the partner does "
                                    "not integrate (add it to 'integrates')", scope,
                                    c->s->apis[k].id);
    return fail_unknown_name (c, error, node, path, "scope", scope,
                         (const char *const *) offered->pdata, offered->len);
}

/* Resolve the request patterns against the scopes of the integrated APIs. */
static gboolean
resolve_requests (FsimConv *c, const cJSON *e, const FsimJPath *p, FsimPartner *pa,
                  GError **error)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive (e, "requests");
    FsimJPath rp = FSIM_JP_KEY (p, "requests");
    pa->requested = g_new0 (FsimWord *, pa->n_apis ? pa->n_apis : 1);
    for (size_t k = 0; k < pa->n_apis; k++)
        pa->requested[k] = fsim_bits_new (FSIM_BITS_WORDS (c->s->apis[pa->apis[k]].n_scopes));
    for (int r = 0; pa->requests[r]; r++) {
        const char *pat = pa->requests[r];
        gboolean any = FALSE;
        g_autoptr (FsimGlob) glob = fsim_glob_new (pat);
        for (size_t k = 0; k < pa->n_apis; k++) {
            const FsimApi *a = &c->s->apis[pa->apis[k]];
            for (size_t s = 0; s < a->n_scopes; s++) {
                if (fsim_glob_match (glob, a->scopes[s].id)) {
                    fsim_bits_set (pa->requested[k], s);
                    any = TRUE;
                }
            }
        }
        if (any || strpbrk (pat, "*?"))
            continue;
        g_autoptr (GPtrArray) offered = g_ptr_array_new ();
        for (size_t k = 0; k < pa->n_apis; k++)
            for (size_t s = 0; s < c->s->apis[pa->apis[k]].n_scopes; s++)
                g_ptr_array_add (offered, c->s->apis[pa->apis[k]].scopes[s].id);
        FsimJPath ip = FSIM_JP_IDX (&rp, r);
        return fail_request (c, error, cJSON_GetArrayItem (arr, r), &ip, pat, offered);
    }
    return TRUE;
}

static gboolean
convert_partner (FsimConv *c, const cJSON *e, const FsimJPath *p, FsimPartner *pa,
                 GError **error)
{
    static const char *const keys[] = { "id", "name", "kind", "country", "tags", "integrates",
                                        "requests", "destinations", "shares", "consent",
                                        "sources", NULL };
    static const char *const req[] = { "id", "kind", "integrates", "requests", "destinations",
                                       NULL };
    /* pa->id was read by convert_partners' first pass (and is a key of partner_ix) */
    if (!fsim_i_check_object (c, e, p, keys, req, error)
        || !fsim_i_get_string (c, e, "name", p, &pa->name, error)
        || !fsim_i_get_id (c, e, "kind", p, &pa->kind, error)
        || !fsim_i_get_string (c, e, "country", p, &pa->country, error)
        || !fsim_i_get_strv (c, e, "tags", p, TRUE, &pa->tags, error)
        || !fsim_i_get_strv (c, e, "requests", p, FALSE, &pa->requests, error)
        || !fsim_i_get_sources (c, e, "sources", p, &pa->sources, error)
        || !convert_consent (c, e, p, &pa->consent, error)
        || !convert_integrates (c, e, p, pa, error) || !resolve_requests (c, e, p, pa, error))
        return FALSE;
    if (!pa->name)
        pa->name = g_strdup (pa->id);
    pa->loc = fsim_i_loc_of (c, e);
    const char *co = pa->country;
    if (co && (strlen (co) != 2 || !g_ascii_isupper (co[0]) || !g_ascii_isupper (co[1]))) {
        FsimJPath cp = FSIM_JP_KEY (p, "country");
        return fsim_i_fail (c, error, cJSON_GetObjectItemCaseSensitive (e, "country"), FALSE,
                            FSIM_LOADER_ERROR_VALUE, &cp,
                            "'%s' is not a country code (expected ISO 3166-1 alpha-2, two "
                            "capital letters)", co);
    }
    CONVERT_LIST (c, e, p, "destinations", 1024, FsimDestination, &pa->destinations,
                  &pa->n_destinations, convert_destination, error);
    FsimJPath dp = FSIM_JP_KEY (p, "destinations");
    if (pa->n_destinations == 0)
        return fsim_i_fail (c, error, cJSON_GetObjectItemCaseSensitive (e, "destinations"),
                            FALSE, FSIM_LOADER_ERROR_SCHEMA, &dp,
                            "a partner needs at least one destination");
    for (size_t i = 1; i < pa->n_destinations; i++) {
        for (size_t j = 0; j < i; j++) {
            if (strcmp (pa->destinations[i].id, pa->destinations[j].id) != 0)
                continue;
            const cJSON *dn = cJSON_GetArrayItem (
                cJSON_GetObjectItemCaseSensitive (e, "destinations"), (int) i);
            FsimJPath ip = FSIM_JP_IDX (&dp, (int) i);
            FsimJPath idp = FSIM_JP_KEY (&ip, "id");
            return fsim_i_fail (c, error, cJSON_GetObjectItemCaseSensitive (dn, "id"), FALSE,
                                FSIM_LOADER_ERROR_REFERENCE, &idp,
                                "duplicate destination id '%s' (first defined at %d:%d)",
                                pa->destinations[i].id, pa->destinations[j].loc.line,
                                pa->destinations[j].loc.col);
        }
    }
    CONVERT_LIST (c, e, p, "shares", 4096, FsimShare, &pa->shares, &pa->n_shares,
                  convert_share, error);
    return TRUE;
}

static gboolean
convert_partners (FsimConv *c, const cJSON *root, GError **error)
{
    FsimJPath top = FSIM_JP_KEY (NULL, "partners");
    const cJSON *arr;
    size_t n;
    if (!get_array (c, root, "partners", NULL, MAX_PARTNERS, &arr, &n, error))
        return FALSE;
    c->s->partners = g_new0 (FsimPartner, n ? n : 1);
    c->s->n_partners = n;
    c->s->partner_words = FSIM_BITS_WORDS (n);
    /* First the ids, so that shares can name partners defined later. */
    size_t i = 0;
    for (const cJSON *e = arr ? arr->child : NULL; e; e = e->next, i++) {
        FsimJPath p = FSIM_JP_IDX (&top, file_index (c, e, i));
        static const char *const req[] = { "id", NULL };
        const char *const *any = (const char *const[]) { "id", "name", "kind", "country",
            "tags", "integrates", "requests", "destinations", "shares", "consent", "sources",
            NULL };
        g_autoptr(GError) local = NULL;
        FsimJPath ip = FSIM_JP_KEY (&p, "id");
        if ((!fsim_i_check_object (c, e, &p, any, req, &local)
             || !fsim_i_get_id (c, e, "id", &p, &c->s->partners[i].id, &local)
             || !register_id (c, c->partner_ix, c->s->partners[i].id, i, e, &ip, "partner",
                              &local))
            && !fsim_i_keep_error (c, &local))
            return FALSE;
    }
    if (!fsim_i_stage_ok (c))
        return FALSE; /* the ids are what the partners refer to each other by */
    i = 0;
    for (const cJSON *e = arr ? arr->child : NULL; e; e = e->next, i++) {
        FsimJPath p = FSIM_JP_IDX (&top, file_index (c, e, i));
        g_autoptr(GError) local = NULL;
        if (!convert_partner (c, e, &p, &c->s->partners[i], &local)
            && !fsim_i_keep_error (c, &local))
            break;
    }
    return fsim_i_stage_ok (c);
}

/* ---- rules --------------------------------------------------------------------------------- */

static gboolean
check_rule_patterns (FsimConv *c, const cJSON *e, const FsimJPath *p, const FsimRule *r,
                     GError **error)
{
    const cJSON *parr = cJSON_GetObjectItemCaseSensitive (e, "partners");
    FsimJPath pp = FSIM_JP_KEY (p, "partners");
    for (int i = 0; r->partners[i]; i++) {
        FsimJPath ip = FSIM_JP_IDX (&pp, i);
        if (!fsim_i_check_partner_selector (c, cJSON_GetArrayItem (parr, i), r->partners[i],
                                            FALSE, &ip, error))
            return FALSE;
    }
    const cJSON *aarr = cJSON_GetObjectItemCaseSensitive (e, "apis");
    FsimJPath ap = FSIM_JP_KEY (p, "apis");
    for (int i = 0; r->apis[i]; i++) {
        if (strpbrk (r->apis[i], "*?") || lookup (c->api_ix, r->apis[i]) >= 0)
            continue;
        g_autofree const char **ids = g_new0 (const char *, c->s->n_apis + 1);
        for (size_t k = 0; k < c->s->n_apis; k++)
            ids[k] = c->s->apis[k].id;
        FsimJPath ip = FSIM_JP_IDX (&ap, i);
        return fail_unknown_name (c, error, cJSON_GetArrayItem (aarr, i), &ip, "API", r->apis[i],
                             ids, c->s->n_apis);
    }
    const cJSON *sarr = cJSON_GetObjectItemCaseSensitive (e, "scopes");
    FsimJPath sp = FSIM_JP_KEY (p, "scopes");
    for (int i = 0; r->scopes[i]; i++) {
        gboolean found = strpbrk (r->scopes[i], "*?") != NULL;
        for (size_t k = 0; k < c->s->n_apis && !found; k++)
            for (size_t s = 0; s < c->s->apis[k].n_scopes && !found; s++)
                found = strcmp (c->s->apis[k].scopes[s].id, r->scopes[i]) == 0;
        FsimJPath ip = FSIM_JP_IDX (&sp, i);
        if (!found)
            return fsim_i_fail (c, error, cJSON_GetArrayItem (sarr, i), FALSE,
                                FSIM_LOADER_ERROR_REFERENCE, &ip,
                                "unknown scope '%s' (no API offers it)", r->scopes[i]);
    }
    return TRUE;
}

static gboolean
convert_rule (FsimConv *c, const cJSON *e, const FsimJPath *p, FsimRule *r, GError **error)
{
    static const char *const keys[] = { "id", "effect", "partners", "apis", "scopes", "from",
                                        "until", "sources", "note", NULL };
    static const char *const req[] = { "id", "effect", "partners", NULL };
    g_autofree char *effect = NULL;
    r->window = (FsimWindow) { FSIM_DAY_MIN, FSIM_DAY_MAX };
    if (!fsim_i_check_object (c, e, p, keys, req, error)
        || !fsim_i_get_id (c, e, "id", p, &r->id, error)
        || !fsim_i_get_string (c, e, "effect", p, &effect, error)
        || !fsim_i_get_strv (c, e, "partners", p, FALSE, &r->partners, error)
        || !fsim_i_get_strv (c, e, "apis", p, FALSE, &r->apis, error)
        || !fsim_i_get_strv (c, e, "scopes", p, FALSE, &r->scopes, error)
        || !fsim_i_get_date (c, e, "from", p, &r->window.from, error)
        || !fsim_i_get_date (c, e, "until", p, &r->window.until, error)
        || !fsim_i_get_sources (c, e, "sources", p, &r->sources, error)
        || !fsim_i_get_string (c, e, "note", p, &r->note, error))
        return FALSE;
    r->loc = fsim_i_loc_of (c, e);
    if (!cJSON_GetObjectItemCaseSensitive (e, "apis")) {
        g_strfreev (r->apis);
        r->apis = g_strsplit ("*", ",", -1);
    }
    if (!cJSON_GetObjectItemCaseSensitive (e, "scopes")) {
        g_strfreev (r->scopes);
        r->scopes = g_strsplit ("*", ",", -1);
    }
    FsimJPath ep = FSIM_JP_KEY (p, "effect");
    if (strcmp (effect, "allow") != 0 && strcmp (effect, "deny") != 0) {
        static const char *const effects[] = { "allow", "deny" };
        return fail_unknown (c, error, cJSON_GetObjectItemCaseSensitive (e, "effect"), &ep,
                             "effect", effect, effects, 2);
    }
    r->allow = strcmp (effect, "allow") == 0;
    FsimJPath up = FSIM_JP_KEY (p, "until");
    if (r->window.from >= r->window.until)
        return fsim_i_fail (c, error, cJSON_GetObjectItemCaseSensitive (e, "until"), FALSE,
                            FSIM_LOADER_ERROR_VALUE, &up,
                            "empty window: 'from' must be before 'until'");
    FsimJPath pp = FSIM_JP_KEY (p, "partners");
    if (!r->partners[0])
        return fsim_i_fail (c, error, cJSON_GetObjectItemCaseSensitive (e, "partners"), FALSE,
                            FSIM_LOADER_ERROR_SCHEMA, &pp,
                            "empty: a rule must select partners (use \"*\" for all)");
    return check_rule_patterns (c, e, p, r, error);
}

static gboolean
convert_rules (FsimConv *c, const cJSON *root, GError **error)
{
    FsimJPath top = FSIM_JP_KEY (NULL, "rules");
    const cJSON *arr;
    size_t n;
    if (!get_array (c, root, "rules", NULL, MAX_RULES, &arr, &n, error))
        return FALSE;
    c->s->rules = g_new0 (FsimRule, n ? n : 1);
    size_t i = 0;
    for (const cJSON *e = arr ? arr->child : NULL; e; e = e->next, i++) {
        FsimJPath p = FSIM_JP_IDX (&top, file_index (c, e, i));
        c->s->n_rules = i + 1;
        g_autoptr(GError) local = NULL;
        FsimJPath ip = FSIM_JP_KEY (&p, "id");
        if ((!convert_rule (c, e, &p, &c->s->rules[i], &local)
             || !register_id (c, c->rule_ix, c->s->rules[i].id, i, e, &ip, "rule", &local))
            && !fsim_i_keep_error (c, &local))
            break;
    }
    return fsim_i_stage_ok (c);
}

/* ---- entry points ---------------------------------------------------------------------------- */

gboolean
fsim_i_keep_error (FsimConv *c, GError **local)
{
    g_assert (local && *local);
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

/* Every kept error in one GError (the code of the first): one "FILE:LINE:COL: MESSAGE" line
 * each, and a last line when the limit stopped the loader. */
static void
combine_errors (GPtrArray *errors, const char *path, GError **error)
{
    const GError *first = errors->pdata[0];
    if (errors->len == 1) {
        g_propagate_error (error, g_error_copy (first));
        return;
    }
    g_autoptr(GString) all = g_string_new (NULL);
    for (guint i = 0; i < errors->len; i++)
        g_string_append_printf (all, "%s%s", i ? "\n" : "",
                                ((const GError *) errors->pdata[i])->message);
    if (errors->len >= FSIM_LOADER_MAX_ERRORS)
        g_string_append_printf (all, "\n%s: stopped after %u errors", path, errors->len);
    g_set_error_literal (error, first->domain, first->code, all->str);
}

/* ---- the stages ----------------------------------------------------------------------------- */

/* Runs one stage; an error it returns (rather than keeps) is kept. Whether it had no error. */
static gboolean
run_stage (FsimConv *c, gboolean (*fn) (FsimConv *, const cJSON *, GError **),
           const cJSON *node)
{
    g_autoptr (GError) local = NULL;
    c->stage_start = c->errors->len;
    if (!fn (c, node, &local) && local)
        fsim_i_keep_error (c, &local);
    return fsim_i_stage_ok (c);
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

static gboolean
convert_population_stage (FsimConv *c, const cJSON *root, GError **error)
{
    const cJSON *pop = cJSON_GetObjectItemCaseSensitive (root, "population");
    return pop == NULL || fsim_i_convert_population (c, pop, error);
}

/*
 * Converts every kind of entity in turn and keeps the errors of all of them, up to
 * FSIM_LOADER_MAX_ERRORS: an error in a field does not hide one in a rule. A kind whose
 * entities failed is made readable (make_readable) before the next kind refers to it; a failed
 * entity keeps its id, and a later name that matches nothing is left out
 * (fsim_i_unmatched_name), so that no error is reported that a failure before it caused.
 */
static gboolean
convert_stages (FsimConv *c, const cJSON *root)
{
    gboolean (*const stages[]) (FsimConv *, const cJSON *, GError **) = {
        convert_top, convert_fields, convert_apis, convert_partners, convert_rules,
        convert_population_stage, fsim_i_convert_expect, fsim_i_convert_claims,
    };
    for (size_t i = 0; i < G_N_ELEMENTS (stages); i++) {
        if (c->errors->len >= FSIM_LOADER_MAX_ERRORS)
            break;
        run_stage (c, stages[i], root);
        if (c->errors->len > 0) {
            make_readable (c);
            c->after_failure = TRUE;
        }
    }
    return c->errors->len == 0;
}

FsimScenario *
fsim_i_convert (FsimJsonDoc *doc, const cJSON *root, const char *path, GError **error)
{
    g_autoptr(FsimScenario) s = g_new0 (FsimScenario, 1);
    s->strings = g_string_chunk_new (256);
    s->path = g_strdup (path);
    s->files = g_new0 (char *, doc->read->len + 1);
    for (guint i = 0; i < doc->read->len; i++)
        s->files[i] = g_strdup (doc->read->pdata[i]);
    s->n_overrides = doc->overrides->len;
    s->overrides = g_new0 (FsimOverride, s->n_overrides + 1);
    for (guint i = 0; i < doc->overrides->len; i++) {
        const FsimOverride *o = &g_array_index (doc->overrides, FsimOverride, i);
        s->overrides[i] = (FsimOverride) { g_strdup (o->path), g_strdup (o->value), o->changed };
    }
    FsimConv c = {
        .doc = doc,
        .s = s,
        .field_ix = g_hash_table_new (g_str_hash, g_str_equal),
        .api_ix = g_hash_table_new (g_str_hash, g_str_equal),
        .partner_ix = g_hash_table_new (g_str_hash, g_str_equal),
        .rule_ix = g_hash_table_new (g_str_hash, g_str_equal),
        .errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free),
    };
    /* include / extends / set are consumed by the merge; a key that a set added must be
     * checked here (the files' own keys were checked as they were read). */
    static const char *const merged_keys[] = {
        "scenario", "title", "description", "date", "seed", "population", "sources",
        "assumptions", "fields", "apis", "partners", "rules", "expect", "claims", "choices",
        NULL,
    };
    gboolean ok = fsim_i_check_object (&c, root, NULL, merged_keys, NULL, error)
                  && fsim_i_check_model_work (&c, root, error);
    if (ok)
        ok = convert_stages (&c, root) && fsim_i_check_model_size (&c, root, error);
    if (c.errors->len > 0)
        combine_errors (c.errors, path, error);
    g_ptr_array_unref (c.errors);
    /* the id indexes serve the scenario's lookups (their keys are its ids) */
    s->field_ix = c.field_ix;
    s->api_ix = c.api_ix;
    s->partner_ix = c.partner_ix;
    s->rule_ix = c.rule_ix;
    return ok ? g_steal_pointer (&s) : NULL;
}

FsimScenario *
fsim_loader_load_string (const char *path, const char *text, const char *const *sets,
                         GError **error)
{
    g_return_val_if_fail (path != NULL, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);
    g_autoptr(FsimJsonDoc) doc = fsim_i_json_doc_new ();
    cJSON *root = fsim_i_json_resolve (doc, path, text, sets, error);
    if (!root)
        return NULL;
    FsimScenario *s = fsim_i_convert (doc, root, path, error);
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
    g_autoptr(FsimScenario) s = fsim_loader_load (path, sets, error);
    if (s && !s->id) {
        g_set_error (error, FSIM_LOADER_ERROR, FSIM_LOADER_ERROR_SCHEMA,
                     "%s: a policy file, not a scenario: it has no date and no population, so "
                     "there is nothing to simulate; give a scenario file that includes it "
                     "(a 'scenario' id, a 'date' and a 'population': docs/format.md, "
                     "\"Scenario files\")", path);
        return NULL;
    }
    return g_steal_pointer (&s);
}
