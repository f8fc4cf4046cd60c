/* SPDX-License-Identifier: MIT */
/* loader-claims.c: competing claims: choosing and applying alternatives, then converting them. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include <cjson/cJSON.h>

#include "loader-private.h"

/*
 * A claim is a contested fact with named alternatives (docs/format.md, "Claims"). Claims are
 * merged by id like partners. After merging, the loader reads the choices (the files'
 * "choices", set entries under "choices", --claim) and applies the "set" of the alternative
 * in force of every claim, in claim order, to the merged JSON: an alternative changes the
 * model exactly as a scenario's "set" does, and before it (fsim_i_json_resolve). The
 * alternatives not in force have their paths checked (they must name something) but not
 * their values, which only a load that chooses them converts (`flowsim claims --effect` does
 * that for every alternative). Conversion then keeps the claims, with the alternative in
 * force, for the reports.
 */

#define MAX_CLAIMS 4096
#define MAX_ALTERNATIVES 64

/* ---- the JSON phase ------------------------------------------------------------------------ */

/* The index to show for element @i of an array: its position in the file it was written in. */
static int
shown_index (FsimJsonDoc *doc, const cJSON *e, int i)
{
    const FsimNodeLoc *l = fsim_i_json_loc (doc, e);
    return l && l->index >= 0 ? l->index : i;
}

static const char *
string_of (const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive (obj, key);
    return cJSON_IsString (v) ? v->valuestring : NULL;
}

/* obj[key] must be a valid id: returns it, or NULL with @error set (located, named @where). */
static const char *
require_id (FsimJsonDoc *doc, const cJSON *obj, const char *key, const char *where, GError **error)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive (obj, key);
    if (!v) {
        fsim_i_error_at (error, doc, obj, FALSE, FSIM_LOADER_ERROR_SCHEMA,
                         "%s: missing required key '%s'", where, key);
        return NULL;
    }
    if (!cJSON_IsString (v) || !fsim_i_is_valid_id (v->valuestring)) {
        fsim_i_error_at (error, doc, v, FALSE,
                         cJSON_IsString (v) ? FSIM_LOADER_ERROR_VALUE : FSIM_LOADER_ERROR_SCHEMA,
                         "%s.%s: expected an id (1 to 128 letters, digits, '_', '-', '.' or "
                         "':'), got %s",
                         where, key,
                         cJSON_IsString (v) ? "an invalid string" : fsim_i_json_type_name (v));
        return NULL;
    }
    return v->valuestring;
}

/* "; did you mean 'x'?" or " (NOUN: 'a', 'b')" for an unknown id among @ids. */
static char *
unknown_hint (const char *id, GPtrArray *ids, const char *noun)
{
    const char *near = fsim_i_closest (id, (const char *const *) ids->pdata, ids->len);
    if (near)
        return g_strdup_printf ("; did you mean '%s'?", near);
    if (ids->len == 0)
        return g_strdup_printf (" (no %s is declared)", noun);
    if (ids->len > 12)
        return g_strdup ("");
    g_autoptr (GString) list = g_string_new (NULL);
    for (guint i = 0; i < ids->len; i++)
        g_string_append_printf (list, "%s'%s'", i ? ", " : "", (char *) ids->pdata[i]);
    return g_strdup_printf (" (%ss: %s)", noun, list->str);
}

static GPtrArray *
alternative_ids (const cJSON *claim)
{
    GPtrArray *ids = g_ptr_array_new ();
    const cJSON *alts = cJSON_GetObjectItemCaseSensitive (claim, "alternatives");
    for (const cJSON *a = alts ? alts->child : NULL; a; a = a->next)
        g_ptr_array_add (ids, (gpointer) string_of (a, "id"));
    return ids;
}

static cJSON *
find_alternative (const cJSON *claim, const char *id)
{
    const cJSON *alts = cJSON_GetObjectItemCaseSensitive (claim, "alternatives");
    for (cJSON *a = alts->child; a; a = a->next)
        if (strcmp (string_of (a, "id"), id) == 0)
            return a;
    return NULL;
}

/* @node (a string, or anything) names an alternative of @claim: the alternative, or NULL with
 * a located error "WHERE: unknown alternative ...". */
static cJSON *
lookup_alternative (FsimJsonDoc *doc, const cJSON *claim, const cJSON *node, const char *where,
                    GError **error)
{
    const char *claim_id = string_of (claim, "id");
    if (!cJSON_IsString (node)) {
        fsim_i_error_at (error, doc, node, FALSE, FSIM_LOADER_ERROR_SCHEMA,
                         "%s: expected the id of an alternative of claim '%s' (a string), got %s",
                         where, claim_id, fsim_i_json_type_name (node));
        return NULL;
    }
    cJSON *alt = find_alternative (claim, node->valuestring);
    if (alt)
        return alt;
    g_autoptr (GPtrArray) ids = alternative_ids (claim);
    g_autofree char *hint = unknown_hint (node->valuestring, ids, "alternative");
    fsim_i_error_at (error, doc, node, FALSE, FSIM_LOADER_ERROR_REFERENCE,
                     "%s: unknown alternative '%s' of claim '%s'%s", where, node->valuestring,
                     claim_id, hint);
    return NULL;
}

/* What the JSON phase needs of a claim: an id, alternatives with unique ids, a default. */
/* Alternative @a of the claim's @alts, named @aw in messages: an object with a unique id,
 * whose `set` (if any) overrides the model only. */
static gboolean
check_alternative (FsimJsonDoc *doc, const cJSON *alts, const cJSON *a, const char *aw,
                   GError **error)
{
    if (!cJSON_IsObject (a)) {
        fsim_i_error_at (error, doc, a, FALSE, FSIM_LOADER_ERROR_SCHEMA,
                         "%s: expected an alternative (an object), got %s", aw,
                         fsim_i_json_type_name (a));
        return FALSE;
    }
    const char *id = require_id (doc, a, "id", aw, error);
    if (!id)
        return FALSE;
    for (const cJSON *b = alts->child; b != a; b = b->next) {
        if (strcmp (string_of (b, "id"), id) == 0) {
            const FsimNodeLoc *bl = fsim_i_json_loc (doc, b);
            fsim_i_error_at (error, doc, cJSON_GetObjectItemCaseSensitive (a, "id"), FALSE,
                             FSIM_LOADER_ERROR_REFERENCE,
                             "%s.id: duplicate alternative id '%s' (first defined at %d:%d)", aw,
                             id, bl ? bl->line : 0, bl ? bl->col : 0);
            return FALSE;
        }
    }
    const cJSON *set = cJSON_GetObjectItemCaseSensitive (a, "set");
    if (set && !cJSON_IsObject (set)) {
        fsim_i_error_at (error, doc, set, FALSE, FSIM_LOADER_ERROR_SCHEMA,
                         "%s.set: expected an object of PATH: VALUE overrides, got %s", aw,
                         fsim_i_json_type_name (set));
        return FALSE;
    }
    for (const cJSON *m = set ? set->child : NULL; m; m = m->next) {
        if (g_str_has_prefix (m->string, "claims") || fsim_i_is_choice_path (m->string)) {
            fsim_i_error_at (error, doc, m, TRUE, FSIM_LOADER_ERROR_SET,
                             "%s.set: '%s': an alternative sets the model, not the claims or "
                             "the choices",
                             aw, m->string);
            return FALSE;
        }
    }
    return TRUE;
}

static gboolean
check_claim (FsimJsonDoc *doc, const cJSON *claim, int ci, GError **error)
{
    g_autofree char *where = g_strdup_printf ("claims[%d]", ci);
    if (!cJSON_IsObject (claim)) {
        fsim_i_error_at (error, doc, claim, FALSE, FSIM_LOADER_ERROR_SCHEMA,
                         "%s: expected a claim (an object), got %s", where,
                         fsim_i_json_type_name (claim));
        return FALSE;
    }
    if (!require_id (doc, claim, "id", where, error))
        return FALSE;
    const cJSON *alts = cJSON_GetObjectItemCaseSensitive (claim, "alternatives");
    if (!alts) {
        fsim_i_error_at (error, doc, claim, FALSE, FSIM_LOADER_ERROR_SCHEMA,
                         "%s: missing required key 'alternatives'", where);
        return FALSE;
    }
    if (!cJSON_IsArray (alts) || !alts->child) {
        fsim_i_error_at (error, doc, alts, FALSE, FSIM_LOADER_ERROR_SCHEMA,
                         "%s.alternatives: expected an array of 1 to %d alternatives, got %s",
                         where, MAX_ALTERNATIVES,
                         cJSON_IsArray (alts) ? "an empty one" : fsim_i_json_type_name (alts));
        return FALSE;
    }
    if (cJSON_GetArraySize (alts) > MAX_ALTERNATIVES) {
        fsim_i_error_at (error, doc, alts, FALSE, FSIM_LOADER_ERROR_LIMIT,
                         "%s.alternatives: %d alternatives, more than the limit of %d", where,
                         cJSON_GetArraySize (alts), MAX_ALTERNATIVES);
        return FALSE;
    }
    int ai = 0;
    for (const cJSON *a = alts->child; a; a = a->next, ai++) {
        g_autofree char *aw = g_strdup_printf ("%s.alternatives[%d]", where, ai);
        if (!check_alternative (doc, alts, a, aw, error))
            return FALSE;
    }
    const cJSON *def = cJSON_GetObjectItemCaseSensitive (claim, "default");
    if (!def) {
        fsim_i_error_at (error, doc, claim, FALSE, FSIM_LOADER_ERROR_SCHEMA,
                         "%s: missing required key 'default' (the alternative the model takes "
                         "unless a scenario chooses)",
                         where);
        return FALSE;
    }
    g_autofree char *dw = g_strdup_printf ("%s.default", where);
    return lookup_alternative (doc, claim, def, dw, error) != NULL;
}

static cJSON *
find_claim (const cJSON *claims, const char *id)
{
    for (cJSON *c = claims ? claims->child : NULL; c; c = c->next)
        if (strcmp (string_of (c, "id"), id) == 0)
            return c;
    return NULL;
}

/* Every choice names a claim and one of its alternatives. */
static gboolean
check_choices (FsimJsonDoc *doc, const cJSON *claims, const cJSON *choices, GError **error)
{
    if (!cJSON_IsObject (choices)) {
        fsim_i_error_at (error, doc, choices, FALSE, FSIM_LOADER_ERROR_SCHEMA,
                         "choices: expected an object {CLAIM: ALTERNATIVE}, got %s",
                         fsim_i_json_type_name (choices));
        return FALSE;
    }
    for (const cJSON *m = choices->child; m; m = m->next) {
        g_autofree char *where = g_strdup_printf ("choices.%s", m->string);
        const cJSON *claim = find_claim (claims, m->string);
        if (!claim && doc->incomplete)
            continue; /* it may be a claim of a file that was not read */
        if (!claim) {
            g_autoptr (GPtrArray) ids = g_ptr_array_new ();
            for (const cJSON *c = claims ? claims->child : NULL; c; c = c->next)
                g_ptr_array_add (ids, (gpointer) string_of (c, "id"));
            g_autofree char *hint = unknown_hint (m->string, ids, "claim");
            fsim_i_error_at (error, doc, m, TRUE, FSIM_LOADER_ERROR_REFERENCE,
                             "%s: unknown claim '%s'%s", where, m->string, hint);
            return FALSE;
        }
        if (!lookup_alternative (doc, claim, m, where, error))
            return FALSE;
    }
    return TRUE;
}

/* The alternative in force of @claim: the choice, or the default (both checked). */
static cJSON *
in_force (const cJSON *claim, const cJSON *choices)
{
    const char *chosen = string_of (choices, string_of (claim, "id"));
    return find_alternative (claim, chosen ? chosen : string_of (claim, "default"));
}

gboolean
fsim_i_apply_claims (FsimJsonDoc *doc, cJSON *root, GError **error)
{
    cJSON *claims = cJSON_GetObjectItemCaseSensitive (root, "claims");
    const cJSON *choices = cJSON_GetObjectItemCaseSensitive (root, "choices");
    if (claims && !cJSON_IsArray (claims)) {
        fsim_i_error_at (error, doc, claims, FALSE, FSIM_LOADER_ERROR_SCHEMA,
                         "claims: expected an array of claims, got %s",
                         fsim_i_json_type_name (claims));
        return FALSE;
    }
    if (claims && cJSON_GetArraySize (claims) > MAX_CLAIMS) {
        fsim_i_error_at (error, doc, claims, FALSE, FSIM_LOADER_ERROR_LIMIT,
                         "claims: %d claims, more than the limit of %d",
                         cJSON_GetArraySize (claims), MAX_CLAIMS);
        return FALSE;
    }
    /* every claim is checked, its error kept; the choices only when every claim is sound (a
     * choice may name the claim that failed) */
    gboolean ok = TRUE;
    int i = 0;
    for (const cJSON *c = claims ? claims->child : NULL; c; c = c->next, i++) {
        g_autoptr (GError) local = NULL;
        if (check_claim (doc, c, shown_index (doc, c, i), &local))
            continue;
        ok = FALSE;
        if (!fsim_i_doc_keep (doc, &local))
            break;
    }
    if (!ok) {
        GError *kept = g_error_new_literal (FSIM_LOADER_ERROR, FSIM_LOADER_ERROR_SCHEMA,
                                            "the claims' errors, kept already");
        fsim_i_mark_caused (kept); /* dropped when kept */
        g_propagate_error (error, kept);
        return FALSE;
    }
    if (choices && !check_choices (doc, claims, choices, error))
        return FALSE;
    /* the alternatives in force, in claim order */
    for (const cJSON *c = claims ? claims->child : NULL; c; c = c->next) {
        cJSON *set = cJSON_GetObjectItemCaseSensitive (in_force (c, choices), "set");
        /* each value moves into the model; a null stays behind so that the path is still
         * listed (FsimAlternative.set_paths) */
        for (int n = set ? cJSON_GetArraySize (set) : 0; n > 0; n--) {
            cJSON *value = cJSON_DetachItemViaPointer (set, set->child);
            g_autofree char *path = g_strdup (value->string);
            if (!fsim_i_apply_set (doc, root, path, value, value, error))
                return FALSE;
            cJSON_AddItemToObject (set, path, cJSON_CreateNull ());
        }
    }
    /* the others must at least name something of the model */
    for (const cJSON *c = claims ? claims->child : NULL; c; c = c->next) {
        const cJSON *chosen = in_force (c, choices);
        const cJSON *alts = cJSON_GetObjectItemCaseSensitive (c, "alternatives");
        for (const cJSON *a = alts->child; a; a = a->next) {
            const cJSON *set = cJSON_GetObjectItemCaseSensitive (a, "set");
            for (const cJSON *m = set && a != chosen ? set->child : NULL; m; m = m->next)
                if (!fsim_i_check_set_path (doc, root, m->string, m, error))
                    return FALSE;
        }
    }
    return TRUE;
}

/* ---- conversion ---------------------------------------------------------------------------- */

static gboolean
convert_alternative (FsimConv *c, const cJSON *e, const FsimJPath *p, FsimAlternative *a,
                     GError **error)
{
    static const char *const keys[] = {
        "id", "evidence", "party", "summary", "sources", "set", NULL
    };
    static const char *const req[] = { "id", "evidence", "summary", NULL };
    static const char *const kinds[] = { "tested", "stated", "reported", "assumed", NULL };
    a->loc = fsim_i_loc_of (c, e);
    g_autofree char *evidence = NULL;
    if (!fsim_i_check_object (c, e, p, keys, req, error) ||
        !fsim_i_get_id (c, e, "id", p, &a->id, error) ||
        !fsim_i_get_string (c, e, "evidence", p, &evidence, error) ||
        !fsim_i_get_string (c, e, "party", p, &a->party, error) ||
        !fsim_i_get_string (c, e, "summary", p, &a->summary, error) ||
        !fsim_i_get_sources (c, e, "sources", p, &a->sources, error))
        return FALSE;
    if (!fsim_evidence_from_string (evidence, &a->evidence)) {
        FsimJPath ep = FSIM_JP_KEY (p, "evidence");
        const char *near = fsim_i_closest (evidence, kinds, _FSIM_EVIDENCE_MAX);
        g_autofree char *hint = near ? g_strdup_printf ("; did you mean '%s'?", near) : NULL;
        return fsim_i_fail (c, error, cJSON_GetObjectItemCaseSensitive (e, "evidence"), FALSE,
                            FSIM_LOADER_ERROR_VALUE, &ep,
                            "unknown evidence '%s'%s (expected \"tested\", \"stated\", "
                            "\"reported\" or \"assumed\")",
                            evidence, hint ? hint : "");
    }
    if (a->evidence == FSIM_EVIDENCE_STATED && !a->party)
        return fsim_i_fail (c, error, e, FALSE, FSIM_LOADER_ERROR_SCHEMA, p,
                            "missing required key 'party': a \"stated\" alternative names who "
                            "stated it");
    const cJSON *set = cJSON_GetObjectItemCaseSensitive (e, "set");
    GPtrArray *paths = g_ptr_array_new ();
    for (const cJSON *m = set ? set->child : NULL; m; m = m->next)
        g_ptr_array_add (paths, g_strdup (m->string));
    g_ptr_array_add (paths, NULL);
    a->set_paths = (char **) g_ptr_array_free (paths, FALSE);
    return TRUE;
}

static gboolean
convert_claim (FsimConv *c, const cJSON *e, const FsimJPath *p, const cJSON *choices,
               FsimClaim *claim, GError **error)
{
    static const char *const keys[] = { "id", "question", "default", "alternatives", NULL };
    static const char *const req[] = { "id", "question", "default", "alternatives", NULL };
    claim->loc = fsim_i_loc_of (c, e);
    if (!fsim_i_check_object (c, e, p, keys, req, error) ||
        !fsim_i_get_id (c, e, "id", p, &claim->id, error) ||
        !fsim_i_get_string (c, e, "question", p, &claim->question, error))
        return FALSE;
    const cJSON *alts = cJSON_GetObjectItemCaseSensitive (e, "alternatives");
    FsimJPath ap = FSIM_JP_KEY (p, "alternatives");
    if (!cJSON_IsArray (alts) || !alts->child)
        return fsim_i_fail (c, error, alts, FALSE, FSIM_LOADER_ERROR_SCHEMA, &ap,
                            "expected an array of 1 to %d alternatives", MAX_ALTERNATIVES);
    claim->alternatives = g_new0 (FsimAlternative, (size_t) cJSON_GetArraySize (alts));
    int i = 0;
    for (const cJSON *a = alts->child; a; a = a->next, i++) {
        FsimJPath ep = FSIM_JP_IDX (&ap, i);
        claim->n_alternatives = (size_t) i + 1;
        if (!convert_alternative (c, a, &ep, &claim->alternatives[i], error))
            return FALSE;
    }
    /* both were checked by fsim_i_apply_claims, and no set can change them since (claims
     * cannot be set; choices are set before the claims apply): checked again all the same */
    g_autofree char *def = NULL;
    if (!fsim_i_get_id (c, e, "default", p, &def, error))
        return FALSE;
    const cJSON *choice = cJSON_GetObjectItemCaseSensitive (choices, claim->id);
    gssize d = fsim_claim_find_alternative (claim, def);
    gssize chosen =
        cJSON_IsString (choice) ? fsim_claim_find_alternative (claim, choice->valuestring) : d;
    if (d < 0 || chosen < 0)
        return fsim_i_fail (c, error, e, FALSE, FSIM_LOADER_ERROR_REFERENCE, p,
                            "the default or the chosen alternative names no alternative");
    claim->default_alternative = (size_t) d;
    claim->chosen = (size_t) chosen;
    return TRUE;
}

gboolean
fsim_i_convert_claims (FsimConv *c, const cJSON *root, GError **error)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive (root, "claims");
    const cJSON *choices = cJSON_GetObjectItemCaseSensitive (root, "choices");
    FsimJPath top = FSIM_JP_KEY (NULL, "claims");
    if (arr && !cJSON_IsArray (arr))
        return fsim_i_fail (c, error, arr, FALSE, FSIM_LOADER_ERROR_SCHEMA, &top,
                            "expected an array of claims, got %s", fsim_i_json_type_name (arr));
    size_t n = arr ? (size_t) cJSON_GetArraySize (arr) : 0;
    c->s->claims = g_new0 (FsimClaim, n ? n : 1);
    size_t i = 0;
    for (const cJSON *e = arr ? arr->child : NULL; e; e = e->next, i++) {
        FsimJPath p = FSIM_JP_IDX (&top, shown_index (c->doc, e, (int) i));
        c->s->n_claims = i + 1;
        if (!convert_claim (c, e, &p, choices, &c->s->claims[i], error))
            return FALSE;
    }
    return TRUE;
}
