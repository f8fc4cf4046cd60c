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
    FsimParts parts = FSIM_PARTS_INIT (c);
    g_autoptr (GError) local = NULL;
    if (!fsim_i_part (&parts, fsim_i_check_object (c, e, p, keys, req, &local), &local) &&
        !cJSON_IsObject (e))
        return fsim_i_parts_end (&parts, error);
    fsim_i_part (&parts, fsim_i_get_id (c, e, "id", p, &d->id, &local), &local);
    fsim_i_part (&parts, fsim_i_get_string (c, e, "location", p, &location, &local), &local);
    gboolean jread = fsim_i_part (
        &parts, fsim_i_get_string (c, e, "jurisdiction", p, &d->jurisdiction, &local), &local);
    fsim_i_part (&parts, fsim_i_get_fields (c, e, "fields", p, &d->fields, &local), &local);
    d->loc = fsim_i_loc_of (c, e);
    FsimJPath lp = FSIM_JP_KEY (p, "location");
    FsimJPath jp = FSIM_JP_KEY (p, "jurisdiction");
    const cJSON *jn = cJSON_GetObjectItemCaseSensitive (e, "jurisdiction");
    /* the jurisdiction is checked against a location that was read (an unknown location may
     * have been meant as 'device', which has none) */
    const char *j = d->jurisdiction;
    if (!location) {
    } else if (strcmp (location, "device") == 0) {
        d->on_device = TRUE;
        if (jn)
            fsim_i_part (&parts,
                         fsim_i_fail (c, &local, jn, TRUE, FSIM_LOADER_ERROR_SCHEMA, &jp,
                                      "a 'device' destination has no jurisdiction (the data "
                                      "stays on the user's device)"),
                         &local);
    } else if (strcmp (location, "server") != 0) {
        static const char *const locs[] = { "device", "server" };
        fsim_i_part (&parts,
                     fsim_i_fail_unknown (c, &local,
                                          cJSON_GetObjectItemCaseSensitive (e, "location"), &lp,
                                          "location", location, locs, 2),
                     &local);
    } else if (!jn) {
        fsim_i_part (&parts,
                     fsim_i_fail (c, &local, e, FALSE, FSIM_LOADER_ERROR_SCHEMA, p,
                                  "a 'server' destination needs a 'jurisdiction' (an ISO 3166-1 "
                                  "alpha-2 country code such as \"US\" or \"CN\")"),
                     &local);
    } else if (jread && (strlen (j) != 2 || !g_ascii_isupper (j[0]) || !g_ascii_isupper (j[1]))) {
        fsim_i_part (&parts,
                     fsim_i_fail (c, &local, jn, FALSE, FSIM_LOADER_ERROR_VALUE, &jp,
                                  "'%s' is not a country code (expected two capital letters, ISO "
                                  "3166-1 alpha-2, such as \"US\" or \"CN\")",
                                  j),
                     &local);
    }
    return fsim_i_parts_end (&parts, error);
}

static gboolean
convert_share (FsimConv *c, const cJSON *e, const FsimJPath *p, FsimShare *sh, GError **error)
{
    static const char *const keys[] = { "with", "fields", "active", "sources", NULL };
    static const char *const req[] = { "with", "fields", NULL };
    g_autofree char *with = NULL;
    FsimParts parts = FSIM_PARTS_INIT (c);
    g_autoptr (GError) local = NULL;
    if (!fsim_i_part (&parts, fsim_i_check_object (c, e, p, keys, req, &local), &local) &&
        !cJSON_IsObject (e))
        return fsim_i_parts_end (&parts, error);
    fsim_i_part (&parts, fsim_i_get_id (c, e, "with", p, &with, &local), &local);
    sh->loc = fsim_i_loc_of (c, e);
    gssize q = with ? fsim_i_lookup (c->partner_ix, with) : -1;
    if (with && q < 0) {
        g_autofree const char **ids = g_new0 (const char *, c->s->n_partners + 1);
        for (size_t i = 0; i < c->s->n_partners; i++)
            ids[i] = c->s->partners[i].id;
        FsimJPath wp = FSIM_JP_KEY (p, "with");
        fsim_i_part (&parts,
                     fsim_i_fail_unknown_name (c, &local, FSIM_I_NAME_PARTNER,
                                               cJSON_GetObjectItemCaseSensitive (e, "with"), &wp,
                                               "partner", with, ids, c->s->n_partners),
                     &local);
    }
    sh->partner = q >= 0 ? (size_t) q : 0;
    fsim_i_part (&parts, fsim_i_get_fields (c, e, "fields", p, &sh->fields, &local), &local);
    fsim_i_part (&parts, fsim_i_get_window (c, e, "active", p, &sh->active, &local), &local);
    fsim_i_part (&parts, fsim_i_get_sources (c, e, "sources", p, &sh->sources, &local), &local);
    return fsim_i_parts_end (&parts, error);
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
    FsimParts parts = FSIM_PARTS_INIT (c);
    g_autoptr (GError) local = NULL;
    if (!fsim_i_part (&parts, fsim_i_check_object (c, o, &cp, keys, req, &local), &local) &&
        !cJSON_IsObject (o))
        return fsim_i_parts_end (&parts, error);
    fsim_i_part (&parts, fsim_i_get_string (c, o, "kind", &cp, &kind, &local), &local);
    fsim_i_part (&parts, fsim_i_get_string (c, o, "note", &cp, &out->note, &local), &local);
    fsim_i_part (&parts, fsim_i_get_sources (c, o, "sources", &cp, &out->sources, &local), &local);
    gboolean known = kind == NULL;
    for (int k = 0; k < _FSIM_CONSENT_MAX && !known; k++)
        if (strcmp (kind, fsim_consent_kind_to_string ((FsimConsentKind) k)) == 0) {
            out->kind = (FsimConsentKind) k;
            known = TRUE;
        }
    FsimJPath kp = FSIM_JP_KEY (&cp, "kind");
    if (!known)
        fsim_i_part (&parts,
                     fsim_i_fail (c, &local, cJSON_GetObjectItemCaseSensitive (o, "kind"), FALSE,
                                  FSIM_LOADER_ERROR_VALUE, &kp,
                                  "'%s' is not a kind of consent (expected \"unchallenged\" or "
                                  "\"deceptive\")",
                                  kind),
                     &local);
    return fsim_i_parts_end (&parts, error);
}

/* Typed array of sub-objects: allocate *out (n elements) and convert each, whatever the others
 * gave (FsimParts). @ok is FALSE when the array itself could not be read. */
#define CONVERT_LIST(c, parts, e, p, key, max, type, out, n_out, fn, ok)                           \
    do {                                                                                           \
        const cJSON *arr_;                                                                         \
        size_t n_;                                                                                 \
        g_autoptr (GError) l_ = NULL;                                                              \
        ok = fsim_i_part (parts, fsim_i_get_array (c, e, key, p, max, &arr_, &n_, &l_), &l_);      \
        FsimJPath lp_ = FSIM_JP_KEY (p, key);                                                      \
        *(out) = g_new0 (type, n_ ? n_ : 1);                                                       \
        size_t i_ = 0;                                                                             \
        for (const cJSON *x_ = ok && arr_ ? arr_->child : NULL; x_; x_ = x_->next, i_++) {         \
            FsimJPath ip_ = FSIM_JP_IDX (&lp_, (int) i_);                                          \
            *(n_out) = i_ + 1;                                                                     \
            fsim_i_part (parts, fn (c, x_, &ip_, &(*(out))[i_], &l_), &l_);                        \
        }                                                                                          \
    } while (0)

/* The APIs the partner integrates, each named one that exists (the others are errors). FALSE
 * when one failed: its requests are then not resolved (they may be scopes of the API it
 * meant). */
static gboolean
convert_integrates (FsimConv *c, FsimParts *parts, const cJSON *e, const FsimJPath *p,
                    FsimPartner *pa)
{
    g_auto (GStrv) apis = NULL;
    g_autoptr (GError) local = NULL;
    if (!fsim_i_part (parts, fsim_i_get_strv (c, e, "integrates", p, TRUE, &apis, &local), &local))
        return FALSE;
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive (e, "integrates");
    FsimJPath ap = FSIM_JP_KEY (p, "integrates");
    size_t n = g_strv_length (apis);
    pa->apis = g_new0 (size_t, n ? n : 1);
    gboolean ok = TRUE;
    for (size_t k = 0; k < n; k++) {
        gssize a = fsim_i_lookup (c->api_ix, apis[k]);
        FsimJPath ip = FSIM_JP_IDX (&ap, (int) k);
        gboolean twice = FALSE;
        for (size_t j = 0; a >= 0 && j < pa->n_apis && !twice; j++)
            twice = pa->apis[j] == (size_t) a;
        if (a < 0) {
            g_autofree const char **ids = g_new0 (const char *, c->s->n_apis + 1);
            for (size_t i = 0; i < c->s->n_apis; i++)
                ids[i] = c->s->apis[i].id;
            fsim_i_part (parts,
                         fsim_i_fail_unknown_name (c, &local, FSIM_I_NAME_API,
                                                   cJSON_GetArrayItem (arr, (int) k), &ip, "API",
                                                   apis[k], ids, c->s->n_apis),
                         &local);
            ok = FALSE;
        } else if (twice) {
            fsim_i_part (parts,
                         fsim_i_fail (c, &local, cJSON_GetArrayItem (arr, (int) k), FALSE,
                                      FSIM_LOADER_ERROR_REFERENCE, &ip, "API '%s' listed twice",
                                      apis[k]),
                         &local);
        } else {
            pa->apis[pa->n_apis++] = (size_t) a;
        }
    }
    return ok;
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

/* Resolve the request patterns against the scopes of the integrated APIs; each one that
 * names nothing is an error (FsimParts). */
static void
resolve_requests (FsimConv *c, FsimParts *parts, const cJSON *e, const FsimJPath *p,
                  FsimPartner *pa)
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
            if (strcmp (pat, "*") == 0 && a->n_scopes > 0) {
                /* every scope: 4096 partners requesting all of 4096 scopes were 16 million
                 * matches a load (docs/robustness.md, "lint and claims on 256 x 64 claims") */
                fsim_bits_set_first (pa->requested[k], a->n_scopes);
                any = TRUE;
                continue;
            }
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
        g_autoptr (GError) local = NULL;
        fsim_i_part (parts,
                     fail_request (c, &local, cJSON_GetArrayItem (arr, r), &ip, pat, offered),
                     &local);
    }
}

/* Two destinations of @pa with one id: the second is an error (FsimParts). */
static void
check_destination_ids (FsimConv *c, FsimParts *parts, const cJSON *e, const FsimJPath *p,
                       const FsimPartner *pa)
{
    FsimJPath dp = FSIM_JP_KEY (p, "destinations");
    for (size_t i = 1; i < pa->n_destinations; i++) {
        for (size_t j = 0; j < i && pa->destinations[i].id; j++) {
            if (!pa->destinations[j].id ||
                strcmp (pa->destinations[i].id, pa->destinations[j].id) != 0)
                continue;
            const cJSON *dn =
                cJSON_GetArrayItem (cJSON_GetObjectItemCaseSensitive (e, "destinations"), (int) i);
            FsimJPath ip = FSIM_JP_IDX (&dp, (int) i);
            FsimJPath idp = FSIM_JP_KEY (&ip, "id");
            g_autoptr (GError) local = NULL;
            fsim_i_part (parts,
                         fsim_i_fail (c, &local, cJSON_GetObjectItemCaseSensitive (dn, "id"), FALSE,
                                      FSIM_LOADER_ERROR_REFERENCE, &idp,
                                      "duplicate destination id '%s' (first defined at %d:%d)",
                                      pa->destinations[i].id, pa->destinations[j].loc.line,
                                      pa->destinations[j].loc.col),
                         &local);
            break;
        }
    }
}

static const char *const partner_keys[] = { "id",     "name",       "kind",     "country",
                                            "tags",   "integrates", "requests", "destinations",
                                            "shares", "consent",    "sources",  NULL };

/* Every part of a partner is converted whatever the others gave (FsimParts), except its
 * requests when an API it integrates is unknown (they may be scopes of the API it meant). */
static gboolean
convert_partner (FsimConv *c, const cJSON *e, const FsimJPath *p, gssize index, GError **error)
{
    FsimPartner *pa = &c->s->partners[index];
    static const char *const req[] = {
        "id", "kind", "integrates", "requests", "destinations", NULL
    };
    FsimParts parts = FSIM_PARTS_INIT (c);
    g_autoptr (GError) local = NULL;
    if (!fsim_i_part (&parts, fsim_i_check_object (c, e, p, partner_keys, req, &local), &local) &&
        !cJSON_IsObject (e))
        return fsim_i_parts_end (&parts, error);
    /* pa->id was read by convert_partners' first pass, and registered unless another partner
     * has it: read again for its errors */
    g_autofree char *id = NULL;
    FsimJPath ip = FSIM_JP_KEY (p, "id");
    if (fsim_i_part (&parts, fsim_i_get_id (c, e, "id", p, &id, &local), &local) && id &&
        fsim_i_lookup (c->partner_ix, id) != index)
        fsim_i_part (&parts,
                     fsim_i_fail (c, &local, e, FALSE, FSIM_LOADER_ERROR_REFERENCE, &ip,
                                  "duplicate partner id '%s'", id),
                     &local);
    fsim_i_part (&parts, fsim_i_get_string (c, e, "name", p, &pa->name, &local), &local);
    fsim_i_part (&parts, fsim_i_get_id (c, e, "kind", p, &pa->kind, &local), &local);
    fsim_i_part (&parts, fsim_i_get_string (c, e, "country", p, &pa->country, &local), &local);
    fsim_i_part (&parts, fsim_i_get_strv (c, e, "tags", p, TRUE, &pa->tags, &local), &local);
    gboolean requests = fsim_i_part (
        &parts, fsim_i_get_strv (c, e, "requests", p, FALSE, &pa->requests, &local), &local);
    fsim_i_part (&parts, fsim_i_get_sources (c, e, "sources", p, &pa->sources, &local), &local);
    fsim_i_part (&parts, convert_consent (c, e, p, &pa->consent, &local), &local);
    if (convert_integrates (c, &parts, e, p, pa) && requests)
        resolve_requests (c, &parts, e, p, pa);
    if (!pa->name && pa->id)
        pa->name = g_strdup (pa->id);
    pa->loc = fsim_i_loc_of (c, e);
    const char *co = pa->country;
    if (co && (strlen (co) != 2 || !g_ascii_isupper (co[0]) || !g_ascii_isupper (co[1]))) {
        FsimJPath cp = FSIM_JP_KEY (p, "country");
        fsim_i_part (&parts,
                     fsim_i_fail (c, &local, cJSON_GetObjectItemCaseSensitive (e, "country"), FALSE,
                                  FSIM_LOADER_ERROR_VALUE, &cp,
                                  "'%s' is not a country code (expected ISO 3166-1 alpha-2, two "
                                  "capital letters)",
                                  co),
                     &local);
    }
    gboolean read;
    CONVERT_LIST (c, &parts, e, p, "destinations", 1024, FsimDestination, &pa->destinations,
                  &pa->n_destinations, convert_destination, read);
    const cJSON *darr = cJSON_GetObjectItemCaseSensitive (e, "destinations");
    FsimJPath dp = FSIM_JP_KEY (p, "destinations");
    if (read && darr && pa->n_destinations == 0)
        fsim_i_part (&parts,
                     fsim_i_fail (c, &local, darr, FALSE, FSIM_LOADER_ERROR_SCHEMA, &dp,
                                  "a partner needs at least one destination"),
                     &local);
    check_destination_ids (c, &parts, e, p, pa);
    CONVERT_LIST (c, &parts, e, p, "shares", 4096, FsimShare, &pa->shares, &pa->n_shares,
                  convert_share, read);
    return fsim_i_parts_end (&parts, error);
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
    /* First the ids, so that shares can name partners defined later; their errors are said in
     * the second pass, with the partner's others. A partner whose id cannot be read may be the
     * one any name means (FsimConv.unnamed). */
    size_t i = 0;
    for (const cJSON *e = arr ? arr->child : NULL; e; e = e->next, i++) {
        FsimPartner *pa = &c->s->partners[i];
        if (cJSON_IsObject (e) && fsim_i_get_id (c, e, "id", NULL, &pa->id, NULL) && pa->id) {
            c->failed[FSIM_I_PARTNERS] |= g_hash_table_contains (c->partner_ix, pa->id);
            if (!g_hash_table_contains (c->partner_ix, pa->id))
                g_hash_table_insert (c->partner_ix, pa->id, GSIZE_TO_POINTER (i + 1));
            continue;
        }
        g_clear_pointer (&pa->id, g_free);
        c->failed[FSIM_I_PARTNERS] = c->unnamed[FSIM_I_PARTNERS] = TRUE;
    }
    i = 0;
    for (const cJSON *e = arr ? arr->child : NULL; e; e = e->next, i++) {
        FsimJPath p = FSIM_JP_IDX (&top, fsim_i_file_index (c, e, i));
        g_autoptr (GError) local = NULL;
        if (!convert_partner (c, e, &p, (gssize) i, &local) && !fsim_i_keep_error (c, &local))
            break;
    }
    return fsim_i_stage_ok (c);
}
