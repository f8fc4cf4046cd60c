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

/* 256 claims of 64 alternatives: `flowsim claims` and `lint` load the file once per
 * alternative they check (at most 64), and at 4096 claims each load took seconds
 * (docs/robustness.md, "Claims, bounded") */
#define MAX_CLAIMS 256
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
        if (string_of (a, "id")) /* an id that could not be read is no name to suggest */
            g_ptr_array_add (ids, (gpointer) string_of (a, "id"));
    return ids;
}

static cJSON *
find_alternative (const cJSON *claim, const char *id)
{
    const cJSON *alts = cJSON_GetObjectItemCaseSensitive (claim, "alternatives");
    for (cJSON *a = alts->child; a; a = a->next)
        if (string_of (a, "id") && strcmp (string_of (a, "id"), id) == 0)
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

/* The key of @obj that is not in @allowed and was taken for @key ("did you mean"), or NULL:
 * then the unknown key is the error (fsim_i_check_object() reports it), not a missing @key. */
static gboolean
misspelt_for (const cJSON *obj, const char *key, const char *const *allowed)
{
    guint n = g_strv_length ((char **) allowed);
    for (const cJSON *m = obj->child; m; m = m->next) {
        if (g_strv_contains (allowed, m->string))
            continue;
        const char *near = fsim_i_closest (m->string, allowed, n);
        if (near && strcmp (near, key) == 0)
            return TRUE;
    }
    return FALSE;
}

/* One error of the claims found (*@local, stolen): kept, the part it was found in failed. */
static void
found (FsimParts *parts, GError **local)
{
    fsim_i_part (parts, FALSE, local);
}

/* Alternative @a of @alts (at @p), checked as far as the JSON phase needs it: an object with
 * its keys, a unique id, a `set` that overrides the model only. Every error is kept. Returns
 * FALSE when its id cannot be read (then a default or a choice may name it). */
static gboolean
check_alternative (FsimParts *parts, const cJSON *alts, const cJSON *a, const FsimJPath *p)
{
    static const char *const keys[] = {
        "id", "evidence", "party", "summary", "sources", "set", NULL
    };
    static const char *const req[] = { "id", "evidence", "summary", NULL };
    FsimConv *c = parts->c;
    g_autoptr (GError) local = NULL;
    if (!cJSON_IsObject (a)) {
        fsim_i_fail (c, &local, a, FALSE, FSIM_LOADER_ERROR_SCHEMA, p,
                     "expected an alternative (an object), got %s", fsim_i_json_type_name (a));
        found (parts, &local);
        return FALSE;
    }
    fsim_i_part (parts, fsim_i_check_object (c, a, p, keys, req, &local), &local);
    const char *id = string_of (a, "id");
    FsimJPath ip = FSIM_JP_KEY (p, "id");
    const cJSON *idv = cJSON_GetObjectItemCaseSensitive (a, "id");
    if (idv && (!id || !fsim_i_is_valid_id (id))) {
        fsim_i_fail (c, &local, idv, FALSE, id ? FSIM_LOADER_ERROR_VALUE : FSIM_LOADER_ERROR_SCHEMA,
                     &ip, "expected an id (1 to 128 letters, digits, '_', '-', '.' or ':'), got %s",
                     id ? "an invalid string" : fsim_i_json_type_name (idv));
        found (parts, &local);
    }
    for (const cJSON *b = alts->child; id && fsim_i_is_valid_id (id) && b != a; b = b->next) {
        const char *bid = string_of (b, "id");
        if (!bid || strcmp (bid, id) != 0)
            continue;
        const FsimNodeLoc *bl = fsim_i_json_loc (c->doc, b);
        fsim_i_fail (c, &local, idv, FALSE, FSIM_LOADER_ERROR_REFERENCE, &ip,
                     "duplicate alternative id '%s' (first defined at %d:%d)", id,
                     bl ? bl->line : 0, bl ? bl->col : 0);
        found (parts, &local);
        break;
    }
    const cJSON *set = cJSON_GetObjectItemCaseSensitive (a, "set");
    FsimJPath sp = FSIM_JP_KEY (p, "set");
    if (set && !cJSON_IsObject (set)) {
        fsim_i_fail (c, &local, set, FALSE, FSIM_LOADER_ERROR_SCHEMA, &sp,
                     "expected an object of PATH: VALUE overrides, got %s",
                     fsim_i_json_type_name (set));
        found (parts, &local);
    }
    for (const cJSON *m = cJSON_IsObject (set) ? set->child : NULL; m; m = m->next) {
        if (g_str_has_prefix (m->string, "claims") || fsim_i_is_choice_path (m->string)) {
            fsim_i_fail (c, &local, m, TRUE, FSIM_LOADER_ERROR_SET, &sp,
                         "'%s': an alternative sets the model, not the claims or the choices",
                         m->string);
            found (parts, &local);
        }
    }
    return id != NULL;
}

/*
 * What the JSON phase needs of claim @claim (at @p): its keys, an id, 1 to MAX_ALTERNATIVES
 * alternatives with unique ids, a default that names one. Every independent error is kept; a
 * check that needs what failed is not made (the default is looked up only among alternatives
 * whose ids were all read: *@out_read says whether they were). Returns FALSE when the claim
 * failed.
 */
static gboolean
check_claim (FsimConv *c, const cJSON *claim, const FsimJPath *p, gboolean *out_read)
{
    static const char *const keys[] = { "id", "question", "default", "alternatives", NULL };
    static const char *const req[] = { "id", "question", "alternatives", NULL };
    FsimParts parts = FSIM_PARTS_INIT (c);
    g_autoptr (GError) local = NULL;
    if (!cJSON_IsObject (claim)) {
        fsim_i_fail (c, &local, claim, FALSE, FSIM_LOADER_ERROR_SCHEMA, p,
                     "expected a claim (an object), got %s", fsim_i_json_type_name (claim));
        found (&parts, &local);
        *out_read = FALSE;
        return FALSE;
    }
    fsim_i_part (&parts, fsim_i_check_object (c, claim, p, keys, req, &local), &local);
    g_autofree char *where = fsim_i_jpath_render (p);
    const cJSON *idv = cJSON_GetObjectItemCaseSensitive (claim, "id");
    if (idv && !require_id (c->doc, claim, "id", where, &local))
        found (&parts, &local);
    const cJSON *alts = cJSON_GetObjectItemCaseSensitive (claim, "alternatives");
    FsimJPath ap = FSIM_JP_KEY (p, "alternatives");
    gboolean readable = alts != NULL; /* every alternative's id was read */
    if (alts && (!cJSON_IsArray (alts) || !alts->child)) {
        fsim_i_fail (c, &local, alts, FALSE, FSIM_LOADER_ERROR_SCHEMA, &ap,
                     "expected an array of 1 to %d alternatives, got %s", MAX_ALTERNATIVES,
                     cJSON_IsArray (alts) ? "an empty one" : fsim_i_json_type_name (alts));
        found (&parts, &local);
        readable = FALSE;
    } else if (alts && cJSON_GetArraySize (alts) > MAX_ALTERNATIVES) {
        fsim_i_fail (c, &local, alts, FALSE, FSIM_LOADER_ERROR_LIMIT, &ap,
                     "%d alternatives, more than the limit of %d", cJSON_GetArraySize (alts),
                     MAX_ALTERNATIVES);
        found (&parts, &local);
        readable = FALSE;
    }
    int ai = 0;
    for (const cJSON *a = readable ? alts->child : NULL; a; a = a->next, ai++) {
        FsimJPath ep = FSIM_JP_IDX (&ap, ai);
        readable = check_alternative (&parts, alts, a, &ep) && readable;
    }
    const cJSON *def = cJSON_GetObjectItemCaseSensitive (claim, "default");
    if (!def && !misspelt_for (claim, "default", keys)) {
        fsim_i_error_at (&local, c->doc, claim, FALSE, FSIM_LOADER_ERROR_SCHEMA,
                         "%s: missing required key 'default' (the alternative the model takes "
                         "unless a scenario chooses)",
                         where);
        found (&parts, &local);
    }
    g_autofree char *dw = g_strdup_printf ("%s.default", where);
    if (def && (readable || !cJSON_IsString (def)) &&
        !lookup_alternative (c->doc, claim, def, dw, &local))
        found (&parts, &local);
    *out_read = readable;
    return !parts.failed;
}

static cJSON *
find_claim (const cJSON *claims, const char *id)
{
    for (cJSON *c = claims ? claims->child : NULL; c; c = c->next) {
        const char *cid = string_of (c, "id");
        if (cid && strcmp (cid, id) == 0)
            return c;
    }
    return NULL;
}

/* Every choice names a claim and one of its alternatives; a choice of a claim in @unread (whose
 * alternatives' ids were not all read), or of an unknown claim when a claim's id could not be
 * read (@unnamed), is not checked: it may name what could not be read. */
static gboolean
check_choices (FsimParts *parts, const cJSON *claims, const cJSON *choices, GHashTable *unread,
               gboolean unnamed)
{
    FsimJsonDoc *doc = parts->c->doc;
    g_autoptr (GError) local = NULL;
    if (!cJSON_IsObject (choices)) {
        fsim_i_error_at (&local, doc, choices, FALSE, FSIM_LOADER_ERROR_SCHEMA,
                         "choices: expected an object {CLAIM: ALTERNATIVE}, got %s",
                         fsim_i_json_type_name (choices));
        found (parts, &local);
        return FALSE;
    }
    for (const cJSON *m = choices->child; m; m = m->next) {
        g_autofree char *where = g_strdup_printf ("choices.%s", m->string);
        const cJSON *claim = find_claim (claims, m->string);
        if (claim && g_hash_table_contains (unread, claim))
            continue;
        if (!claim && (doc->incomplete || unnamed))
            continue; /* it may be a claim of a file that was not read, or one with no id */
        if (!claim) {
            g_autoptr (GPtrArray) ids = g_ptr_array_new ();
            for (const cJSON *c = claims ? claims->child : NULL; c; c = c->next)
                if (string_of (c, "id"))
                    g_ptr_array_add (ids, (gpointer) string_of (c, "id"));
            g_autofree char *hint = unknown_hint (m->string, ids, "claim");
            fsim_i_error_at (&local, doc, m, TRUE, FSIM_LOADER_ERROR_REFERENCE,
                             "%s: unknown claim '%s'%s", where, m->string, hint);
            found (parts, &local);
        } else if (!lookup_alternative (doc, claim, m, where, &local)) {
            found (parts, &local);
        }
    }
    return !parts->failed;
}

/* The alternative in force of @claim: the choice, or the default (both checked). */
static cJSON *
in_force (const cJSON *claim, const cJSON *choices)
{
    const char *chosen = string_of (choices, string_of (claim, "id"));
    return find_alternative (claim, chosen ? chosen : string_of (claim, "default"));
}

/* Every claim and every choice checked (their errors kept), or FALSE. */
static gboolean
check_claims (FsimConv *c, const cJSON *claims, const cJSON *choices)
{
    FsimParts parts = FSIM_PARTS_INIT (c);
    g_autoptr (GHashTable) unread = g_hash_table_new (NULL, NULL);
    gboolean unnamed = FALSE;
    FsimJPath top = FSIM_JP_KEY (NULL, "claims");
    int i = 0;
    for (const cJSON *e = claims ? claims->child : NULL; e; e = e->next, i++) {
        FsimJPath p = FSIM_JP_IDX (&top, shown_index (c->doc, e, i));
        gboolean read = TRUE;
        if (!check_claim (c, e, &p, &read))
            parts.failed = TRUE;
        if (!read)
            g_hash_table_add (unread, (gpointer) e);
        unnamed = unnamed || !string_of (e, "id");
    }
    if (choices)
        check_choices (&parts, claims, choices, unread, unnamed);
    return !parts.failed;
}

/* Applies the set of the alternative in force of every claim, in claim order, then checks
 * that the paths of the others name something of the model. Every error is kept. The checks
 * change nothing, so a path that named something once does again: the alternatives of a
 * claim mostly set the same paths, and at 256 claims of 64 alternatives walking each path
 * into the model (an id looked up among the rules) was a tenth of every load. At most
 * NAMED_PATHS are remembered (GLib's table cannot fail softly as it grows). */
#define NAMED_PATHS 4096

static gboolean
apply_in_force (FsimJsonDoc *doc, cJSON *root, const cJSON *claims, const cJSON *choices)
{
    gboolean ok = TRUE;
    for (const cJSON *c = claims ? claims->child : NULL; c; c = c->next) {
        const cJSON *set = cJSON_GetObjectItemCaseSensitive (in_force (c, choices), "set");
        /* the model gets a copy of each value: the claims stay as written (the paths are
         * listed, FsimAlternative.set_paths; other loads may share them) */
        for (const cJSON *m = set ? set->child : NULL; m; m = m->next) {
            g_autoptr (GError) local = NULL;
            if (!fsim_i_apply_set (doc, root, m->string, m, m, &local)) {
                ok = FALSE;
                if (!fsim_i_doc_keep (doc, &local))
                    return FALSE;
            }
        }
    }
    g_autoptr (GHashTable) named = g_hash_table_new (g_str_hash, g_str_equal); /* paths that do */
    for (const cJSON *c = claims ? claims->child : NULL; c; c = c->next) {
        const cJSON *chosen = in_force (c, choices);
        const cJSON *alts = cJSON_GetObjectItemCaseSensitive (c, "alternatives");
        for (const cJSON *a = alts->child; a; a = a->next) {
            const cJSON *set = cJSON_GetObjectItemCaseSensitive (a, "set");
            for (const cJSON *m = set && a != chosen ? set->child : NULL; m; m = m->next) {
                g_autoptr (GError) local = NULL;
                if (g_hash_table_contains (named, m->string))
                    continue;
                if (fsim_i_check_set_path (doc, root, m->string, m, &local)) {
                    if (g_hash_table_size (named) < NAMED_PATHS)
                        g_hash_table_add (named, m->string);
                    continue;
                }
                ok = FALSE;
                if (!fsim_i_doc_keep (doc, &local))
                    return FALSE;
            }
        }
    }
    return ok;
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
        /* at the first claim over, as every count limit: the merged array has no place */
        const cJSON *over = cJSON_GetArrayItem (claims, MAX_CLAIMS);
        fsim_i_error_at (error, doc, fsim_i_json_loc (doc, over) ? over : claims, FALSE,
                         FSIM_LOADER_ERROR_LIMIT,
                         "claims: %d claims, more than the limit of %d (the first one over, "
                         "number %d, is here)",
                         cJSON_GetArraySize (claims), MAX_CLAIMS, MAX_CLAIMS + 1);
        return FALSE;
    }
    /* every claim and every choice is checked, each error kept (the conversion's helpers, on
     * the doc's errors: the claims are converted later, without checking these again); then
     * the alternatives in force are applied, in claim order */
    FsimConv c = { .doc = doc, .errors = doc->errors, .incomplete = doc->incomplete };
    if (!check_claims (&c, claims, choices) || !apply_in_force (doc, root, claims, choices)) {
        GError *kept = g_error_new_literal (FSIM_LOADER_ERROR, FSIM_LOADER_ERROR_SCHEMA,
                                            "the claims' errors, kept already");
        fsim_i_mark_caused (kept); /* dropped when kept */
        g_propagate_error (error, kept);
        return FALSE;
    }
    return TRUE;
}

/* ---- conversion ---------------------------------------------------------------------------- */

/* @obj[@key] when it is a valid id (the JSON phase reported it otherwise), else NULL. */
static char *
read_id (const cJSON *obj, const char *key)
{
    const char *id = string_of (obj, key);
    return id && fsim_i_is_valid_id (id) ? g_strdup (id) : NULL;
}

/* The values of alternative @e that the JSON phase did not check (its keys, id and set it did);
 * every error is kept. */
static gboolean
convert_alternative (FsimConv *c, const cJSON *e, const FsimJPath *p, FsimAlternative *a,
                     GError **error)
{
    static const char *const kinds[] = { "tested", "stated", "reported", "assumed", NULL };
    a->loc = fsim_i_loc_of (c, e);
    a->id = read_id (e, "id");
    FsimParts parts = FSIM_PARTS_INIT (c);
    g_autoptr (GError) local = NULL;
    g_autofree char *evidence = NULL;
    gboolean ev =
        fsim_i_part (&parts, fsim_i_get_string (c, e, "evidence", p, &evidence, &local), &local);
    gboolean party =
        fsim_i_part (&parts, fsim_i_get_string (c, e, "party", p, &a->party, &local), &local);
    fsim_i_part (&parts, fsim_i_get_string (c, e, "summary", p, &a->summary, &local), &local);
    fsim_i_part (&parts, fsim_i_get_sources (c, e, "sources", p, &a->sources, &local), &local);
    if (evidence && !fsim_evidence_from_string (evidence, &a->evidence)) {
        FsimJPath ep = FSIM_JP_KEY (p, "evidence");
        const char *near = fsim_i_closest (evidence, kinds, _FSIM_EVIDENCE_MAX);
        g_autofree char *hint = near ? g_strdup_printf ("; did you mean '%s'?", near) : NULL;
        fsim_i_fail (c, &local, cJSON_GetObjectItemCaseSensitive (e, "evidence"), FALSE,
                     FSIM_LOADER_ERROR_VALUE, &ep,
                     "unknown evidence '%s'%s (expected \"tested\", \"stated\", "
                     "\"reported\" or \"assumed\")",
                     evidence, hint ? hint : "");
        fsim_i_part (&parts, FALSE, &local);
    } else if (ev && evidence && party && a->evidence == FSIM_EVIDENCE_STATED && !a->party) {
        fsim_i_fail (c, &local, e, FALSE, FSIM_LOADER_ERROR_SCHEMA, p,
                     "missing required key 'party': a \"stated\" alternative names who "
                     "stated it");
        fsim_i_part (&parts, FALSE, &local);
    }
    const cJSON *set = cJSON_GetObjectItemCaseSensitive (e, "set");
    GPtrArray *paths = g_ptr_array_new ();
    for (const cJSON *m = cJSON_IsObject (set) ? set->child : NULL; m; m = m->next)
        g_ptr_array_add (paths, g_strdup (m->string));
    g_ptr_array_add (paths, NULL);
    a->set_paths = (char **) g_ptr_array_free (paths, FALSE);
    return fsim_i_parts_end (&parts, error);
}

/* Claim @e: its question and each alternative's values (what the JSON phase checked, its
 * keys, ids, default and choice, is read, not checked again); every error is kept. With
 * @sound (the claims passed the JSON phase), the default and the choice are taken. */
static gboolean
convert_claim (FsimConv *c, const cJSON *e, const FsimJPath *p, const cJSON *choices,
               gboolean sound, FsimClaim *claim, GError **error)
{
    claim->loc = fsim_i_loc_of (c, e);
    claim->id = read_id (e, "id");
    FsimParts parts = FSIM_PARTS_INIT (c);
    g_autoptr (GError) local = NULL;
    fsim_i_part (&parts, fsim_i_get_string (c, e, "question", p, &claim->question, &local), &local);
    const cJSON *alts = cJSON_GetObjectItemCaseSensitive (e, "alternatives");
    FsimJPath ap = FSIM_JP_KEY (p, "alternatives");
    int n = cJSON_IsArray (alts) ? cJSON_GetArraySize (alts) : 0;
    claim->alternatives = g_new0 (FsimAlternative, (size_t) MAX (n, 1));
    int i = 0;
    for (const cJSON *a = n <= MAX_ALTERNATIVES && n > 0 ? alts->child : NULL; a;
         a = a->next, i++) {
        FsimJPath ep = FSIM_JP_IDX (&ap, i);
        claim->n_alternatives = (size_t) i + 1;
        if (cJSON_IsObject (a))
            fsim_i_part (&parts, convert_alternative (c, a, &ep, &claim->alternatives[i], &local),
                         &local);
    }
    if (!sound || parts.failed)
        return fsim_i_parts_end (&parts, error);
    /* both were checked by fsim_i_apply_claims, and no set can change them since (claims
     * cannot be set; choices are set before the claims apply): checked again all the same */
    g_autofree char *def = read_id (e, "default");
    const cJSON *choice = cJSON_GetObjectItemCaseSensitive (choices, claim->id);
    gssize d = def && claim->id ? fsim_claim_find_alternative (claim, def) : -1;
    gssize chosen =
        cJSON_IsString (choice) ? fsim_claim_find_alternative (claim, choice->valuestring) : d;
    if (d < 0 || chosen < 0)
        return fsim_i_fail (c, error, e, FALSE, FSIM_LOADER_ERROR_REFERENCE, p,
                            "the default or the chosen alternative names no alternative");
    claim->default_alternative = (size_t) d;
    claim->chosen = (size_t) chosen;
    return TRUE;
}

/* The claims, after fsim_i_apply_claims(): converted also when they failed there (then only
 * for the errors of their other values: the scenario is not made). */
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
        g_autoptr (GError) local = NULL;
        if (cJSON_IsObject (e) &&
            !convert_claim (c, e, &p, choices, !c->doc->claims_failed, &c->s->claims[i], &local) &&
            !fsim_i_keep_error (c, &local))
            break;
    }
    return fsim_i_stage_ok (c);
}
