/* SPDX-License-Identifier: MIT */
/* loader-partners.c: converting the partners of the merged JSON: their destinations, onward
 * shares, consent, the APIs they integrate and the scopes they request. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include <cjson/cJSON.h>

#include "loader-private.h"

#define MAX_PARTNERS 16384

static gboolean
convert_destination (FsimConv *c, const cJSON *e, const FsimJPath *p, FsimDestination *d,
                     GError **error)
{
    static const char *const keys[] = { "id", "location", "jurisdiction", "fields", NULL };
    static const char *const req[] = { "id", "location", "fields", NULL };
    g_autofree char *location = NULL;
    if (!fsim_i_check_object (c, e, p, keys, req, error) ||
        !fsim_i_get_id (c, e, "id", p, &d->id, error) ||
        !fsim_i_get_string (c, e, "location", p, &location, error) ||
        !fsim_i_get_string (c, e, "jurisdiction", p, &d->jurisdiction, error) ||
        !fsim_i_get_fields (c, e, "fields", p, &d->fields, error))
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
        return fsim_i_fail_unknown (c, error, cJSON_GetObjectItemCaseSensitive (e, "location"), &lp,
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
                            "3166-1 alpha-2, such as \"US\" or \"CN\")",
                            j);
    return TRUE;
}

static gboolean
convert_share (FsimConv *c, const cJSON *e, const FsimJPath *p, FsimShare *sh, GError **error)
{
    static const char *const keys[] = { "with", "fields", "active", "sources", NULL };
    static const char *const req[] = { "with", "fields", NULL };
    g_autofree char *with = NULL;
    if (!fsim_i_check_object (c, e, p, keys, req, error) ||
        !fsim_i_get_id (c, e, "with", p, &with, error) ||
        !fsim_i_get_fields (c, e, "fields", p, &sh->fields, error) ||
        !fsim_i_get_window (c, e, "active", p, &sh->active, error) ||
        !fsim_i_get_sources (c, e, "sources", p, &sh->sources, error))
        return FALSE;
    sh->loc = fsim_i_loc_of (c, e);
    gssize q = fsim_i_lookup (c->partner_ix, with);
    if (q < 0) {
        g_autofree const char **ids = g_new0 (const char *, c->s->n_partners + 1);
        for (size_t i = 0; i < c->s->n_partners; i++)
            ids[i] = c->s->partners[i].id;
        FsimJPath wp = FSIM_JP_KEY (p, "with");
        return fsim_i_fail_unknown_name (c, error, FSIM_I_NAME_PARTNER,
                                         cJSON_GetObjectItemCaseSensitive (e, "with"), &wp,
                                         "partner", with, ids, c->s->n_partners);
    }
    sh->partner = (size_t) q;
    return TRUE;
}

/* "consent": {"kind": "unchallenged"|"deceptive", "note", "sources"}; absent: unchallenged. */
static gboolean
convert_consent (FsimConv *c, const cJSON *e, const FsimJPath *p, FsimConsent *out, GError **error)
{
    static const char *const keys[] = { "kind", "note", "sources", NULL };
    static const char *const req[] = { "kind", NULL };
    const cJSON *o = cJSON_GetObjectItemCaseSensitive (e, "consent");
    FsimJPath cp = FSIM_JP_KEY (p, "consent");
    g_autofree char *kind = NULL;
    if (!o)
        return TRUE;
    if (!fsim_i_check_object (c, o, &cp, keys, req, error) ||
        !fsim_i_get_string (c, o, "kind", &cp, &kind, error) ||
        !fsim_i_get_string (c, o, "note", &cp, &out->note, error) ||
        !fsim_i_get_sources (c, o, "sources", &cp, &out->sources, error))
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
                        "\"deceptive\")",
                        kind);
}

/* Typed array of sub-objects: allocate *out (n elements) and convert each. */
#define CONVERT_LIST(c, e, p, key, max, type, out, n_out, fn, error)                               \
    do {                                                                                           \
        const cJSON *arr_;                                                                         \
        size_t n_;                                                                                 \
        if (!fsim_i_get_array (c, e, key, p, max, &arr_, &n_, error))                              \
            return FALSE;                                                                          \
        FsimJPath lp_ = FSIM_JP_KEY (p, key);                                                      \
        *(out) = g_new0 (type, n_ ? n_ : 1);                                                       \
        size_t i_ = 0;                                                                             \
        for (const cJSON *x_ = arr_ ? arr_->child : NULL; x_; x_ = x_->next, i_++) {               \
            FsimJPath ip_ = FSIM_JP_IDX (&lp_, (int) i_);                                          \
            *(n_out) = i_ + 1;                                                                     \
            if (!fn (c, x_, &ip_, &(*(out))[i_], error))                                           \
                return FALSE;                                                                      \
        }                                                                                          \
    } while (0)

static gboolean
convert_integrates (FsimConv *c, const cJSON *e, const FsimJPath *p, FsimPartner *pa,
                    GError **error)
{
    g_auto (GStrv) apis = NULL;
    if (!fsim_i_get_strv (c, e, "integrates", p, TRUE, &apis, error))
        return FALSE;
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive (e, "integrates");
    FsimJPath ap = FSIM_JP_KEY (p, "integrates");
    pa->n_apis = g_strv_length (apis);
    pa->apis = g_new0 (size_t, pa->n_apis ? pa->n_apis : 1);
    for (size_t k = 0; k < pa->n_apis; k++) {
        gssize a = fsim_i_lookup (c->api_ix, apis[k]);
        FsimJPath ip = FSIM_JP_IDX (&ap, (int) k);
        if (a < 0) {
            g_autofree const char **ids = g_new0 (const char *, c->s->n_apis + 1);
            for (size_t i = 0; i < c->s->n_apis; i++)
                ids[i] = c->s->apis[i].id;
            return fsim_i_fail_unknown_name (c, error, FSIM_I_NAME_API,
                                             cJSON_GetArrayItem (arr, (int) k), &ip, "API", apis[k],
                                             ids, c->s->n_apis);
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
                                    "not integrate (add it to 'integrates')",
                                    scope, c->s->apis[k].id);
    return fsim_i_fail_unknown_name (c, error, FSIM_I_NAME_SCOPE, node, path, "scope", scope,
                                     (const char *const *) offered->pdata, offered->len);
}

/* Resolve the request patterns against the scopes of the integrated APIs. */
static gboolean
resolve_requests (FsimConv *c, const cJSON *e, const FsimJPath *p, FsimPartner *pa, GError **error)
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
convert_partner (FsimConv *c, const cJSON *e, const FsimJPath *p, FsimPartner *pa, GError **error)
{
    static const char *const keys[] = { "id",     "name",       "kind",     "country",
                                        "tags",   "integrates", "requests", "destinations",
                                        "shares", "consent",    "sources",  NULL };
    static const char *const req[] = {
        "id", "kind", "integrates", "requests", "destinations", NULL
    };
    /* pa->id was read by convert_partners' first pass (and is a key of partner_ix) */
    if (!fsim_i_check_object (c, e, p, keys, req, error) ||
        !fsim_i_get_string (c, e, "name", p, &pa->name, error) ||
        !fsim_i_get_id (c, e, "kind", p, &pa->kind, error) ||
        !fsim_i_get_string (c, e, "country", p, &pa->country, error) ||
        !fsim_i_get_strv (c, e, "tags", p, TRUE, &pa->tags, error) ||
        !fsim_i_get_strv (c, e, "requests", p, FALSE, &pa->requests, error) ||
        !fsim_i_get_sources (c, e, "sources", p, &pa->sources, error) ||
        !convert_consent (c, e, p, &pa->consent, error) ||
        !convert_integrates (c, e, p, pa, error) || !resolve_requests (c, e, p, pa, error))
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
                            "capital letters)",
                            co);
    }
    CONVERT_LIST (c, e, p, "destinations", 1024, FsimDestination, &pa->destinations,
                  &pa->n_destinations, convert_destination, error);
    FsimJPath dp = FSIM_JP_KEY (p, "destinations");
    if (pa->n_destinations == 0)
        return fsim_i_fail (c, error, cJSON_GetObjectItemCaseSensitive (e, "destinations"), FALSE,
                            FSIM_LOADER_ERROR_SCHEMA, &dp,
                            "a partner needs at least one destination");
    for (size_t i = 1; i < pa->n_destinations; i++) {
        for (size_t j = 0; j < i; j++) {
            if (strcmp (pa->destinations[i].id, pa->destinations[j].id) != 0)
                continue;
            const cJSON *dn =
                cJSON_GetArrayItem (cJSON_GetObjectItemCaseSensitive (e, "destinations"), (int) i);
            FsimJPath ip = FSIM_JP_IDX (&dp, (int) i);
            FsimJPath idp = FSIM_JP_KEY (&ip, "id");
            return fsim_i_fail (c, error, cJSON_GetObjectItemCaseSensitive (dn, "id"), FALSE,
                                FSIM_LOADER_ERROR_REFERENCE, &idp,
                                "duplicate destination id '%s' (first defined at %d:%d)",
                                pa->destinations[i].id, pa->destinations[j].loc.line,
                                pa->destinations[j].loc.col);
        }
    }
    CONVERT_LIST (c, e, p, "shares", 4096, FsimShare, &pa->shares, &pa->n_shares, convert_share,
                  error);
    return TRUE;
}

gboolean
fsim_i_convert_partners (FsimConv *c, const cJSON *root, GError **error)
{
    FsimJPath top = FSIM_JP_KEY (NULL, "partners");
    const cJSON *arr;
    size_t n;
    if (!fsim_i_get_array (c, root, "partners", NULL, MAX_PARTNERS, &arr, &n, error))
        return FALSE;
    c->s->partners = g_new0 (FsimPartner, n ? n : 1);
    c->s->n_partners = n;
    c->s->partner_words = FSIM_BITS_WORDS (n);
    /* First the ids, so that shares can name partners defined later. */
    size_t i = 0;
    for (const cJSON *e = arr ? arr->child : NULL; e; e = e->next, i++) {
        FsimJPath p = FSIM_JP_IDX (&top, fsim_i_file_index (c, e, i));
        static const char *const req[] = { "id", NULL };
        const char *const *any =
            (const char *const[]){ "id",     "name",       "kind",     "country",
                                   "tags",   "integrates", "requests", "destinations",
                                   "shares", "consent",    "sources",  NULL };
        g_autoptr (GError) local = NULL;
        FsimJPath ip = FSIM_JP_KEY (&p, "id");
        if ((!fsim_i_check_object (c, e, &p, any, req, &local) ||
             !fsim_i_get_id (c, e, "id", &p, &c->s->partners[i].id, &local) ||
             !fsim_i_register_id (c, c->partner_ix, c->s->partners[i].id, i, e, &ip, "partner",
                                  &local)) &&
            !fsim_i_keep_error (c, &local))
            return FALSE;
    }
    if (!fsim_i_stage_ok (c))
        return FALSE; /* the ids are what the partners refer to each other by */
    i = 0;
    for (const cJSON *e = arr ? arr->child : NULL; e; e = e->next, i++) {
        FsimJPath p = FSIM_JP_IDX (&top, fsim_i_file_index (c, e, i));
        g_autoptr (GError) local = NULL;
        if (!convert_partner (c, e, &p, &c->s->partners[i], &local) &&
            !fsim_i_keep_error (c, &local))
            break;
    }
    return fsim_i_stage_ok (c);
}
