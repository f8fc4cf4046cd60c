/* SPDX-License-Identifier: MIT */
/* loader-expect.c: the `expect` array of scenario files: assertions `flowsim check` verifies. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include <cjson/cJSON.h>

#include "loader-private.h"

#define MAX_EXPECTATIONS 4096

static const char *const kind_names[] = {
    [FSIM_EXPECT_NO_FLOW] = "no_flow",
    [FSIM_EXPECT_AT_MOST] = "at_most",
    [FSIM_EXPECT_REACHES] = "reaches",
    [FSIM_EXPECT_NOTHING_AFTER] = "nothing_after",
};
G_STATIC_ASSERT (G_N_ELEMENTS (kind_names) == _FSIM_EXPECT_MAX);

static gboolean
convert_kind (FsimConv *c, const cJSON *e, const FsimJPath *p, FsimExpectation *x, GError **error)
{
    g_autofree char *kind = NULL;
    if (!fsim_i_get_string (c, e, "kind", p, &kind, error))
        return FALSE;
    for (int k = 0; k < _FSIM_EXPECT_MAX; k++)
        if (strcmp (kind, kind_names[k]) == 0) {
            x->kind = (FsimExpectKind) k;
            return TRUE;
        }
    FsimJPath kp = FSIM_JP_KEY (p, "kind");
    const cJSON *node = cJSON_GetObjectItemCaseSensitive (e, "kind");
    const char *near = fsim_i_closest (kind, kind_names, _FSIM_EXPECT_MAX);
    if (near)
        return fsim_i_fail (c, error, node, FALSE, FSIM_LOADER_ERROR_VALUE, &kp,
                            "unknown kind '%s'; did you mean '%s'?", kind, near);
    return fsim_i_fail (c, error, node, FALSE, FSIM_LOADER_ERROR_VALUE, &kp,
                        "unknown kind '%s' (expected no_flow, at_most, reaches or "
                        "nothing_after)",
                        kind);
}

/* A key that only some kinds take, given to another kind. */
static gboolean
check_applies (FsimConv *c, const cJSON *e, const FsimJPath *p, const char *key, gboolean applies,
               const char *kinds, GError **error)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive (e, key);
    if (!v || applies)
        return TRUE;
    FsimJPath kp = FSIM_JP_KEY (p, key);
    return fsim_i_fail (c, error, v, TRUE, FSIM_LOADER_ERROR_SCHEMA, &kp,
                        "'%s' only applies to %s expectations", key, kinds);
}

static gboolean
require_key (FsimConv *c, const cJSON *e, const FsimJPath *p, const char *key, const char *why,
             GError **error)
{
    if (cJSON_GetObjectItemCaseSensitive (e, key))
        return TRUE;
    return fsim_i_fail (c, error, e, FALSE, FSIM_LOADER_ERROR_SCHEMA, p,
                        "missing required key '%s' (%s)", key, why);
}

/* The keys that depend on the kind: count, date, and their defaults. */
static gboolean
convert_kind_keys (FsimConv *c, const cJSON *e, const FsimJPath *p, FsimExpectation *x,
                   GError **error)
{
    gboolean counts = x->kind == FSIM_EXPECT_AT_MOST || x->kind == FSIM_EXPECT_REACHES;
    if (!check_applies (c, e, p, "count", counts, "at_most and reaches", error) ||
        !check_applies (c, e, p, "date", x->kind == FSIM_EXPECT_NOTHING_AFTER, "nothing_after",
                        error))
        return FALSE;
    if (x->kind == FSIM_EXPECT_AT_MOST &&
        !require_key (c, e, p, "count", "the most users allowed", error))
        return FALSE;
    if (x->kind == FSIM_EXPECT_NOTHING_AFTER &&
        !require_key (c, e, p, "date", "the last day the partner may receive data", error))
        return FALSE;
    x->count = x->kind == FSIM_EXPECT_REACHES ? 1 : 0;
    return fsim_i_get_integer (c, e, "count", p, x->kind == FSIM_EXPECT_REACHES ? 1 : 0,
                               G_MAXUINT32, &x->count, error) &&
           fsim_i_get_date (c, e, "date", p, &x->date, error);
}

static gboolean
convert_jurisdiction (FsimConv *c, const cJSON *e, const FsimJPath *p, FsimExpectation *x,
                      GError **error)
{
    if (!fsim_i_get_string (c, e, "jurisdiction", p, &x->jurisdiction, error))
        return FALSE;
    const char *j = x->jurisdiction;
    if (!j || strcmp (j, "device") == 0 ||
        (strlen (j) == 2 && g_ascii_isupper (j[0]) && g_ascii_isupper (j[1])))
        return TRUE;
    FsimJPath jp = FSIM_JP_KEY (p, "jurisdiction");
    return fsim_i_fail (c, error, cJSON_GetObjectItemCaseSensitive (e, "jurisdiction"), FALSE,
                        FSIM_LOADER_ERROR_VALUE, &jp,
                        "'%s' is not a jurisdiction (expected an ISO 3166-1 alpha-2 code such "
                        "as \"CN\", or \"device\")",
                        j);
}

static gboolean
convert_partner (FsimConv *c, const cJSON *e, const FsimJPath *p, FsimExpectation *x,
                 GError **error)
{
    if (!fsim_i_get_string (c, e, "partner", p, &x->partner, error))
        return FALSE;
    FsimJPath pp = FSIM_JP_KEY (p, "partner");
    return !x->partner ||
           fsim_i_check_partner_selector (c, cJSON_GetObjectItemCaseSensitive (e, "partner"),
                                          x->partner, FALSE, &pp, error);
}

static gboolean
convert_expectation (FsimConv *c, const cJSON *e, const FsimJPath *p, FsimExpectation *x,
                     GError **error)
{
    static const char *const keys[] = { "id",
                                        "kind",
                                        "note",
                                        "fields",
                                        "sensitive",
                                        "partner",
                                        "jurisdiction",
                                        "without_consent",
                                        "count",
                                        "date",
                                        NULL };
    static const char *const req[] = { "id", "kind", NULL };
    x->fields = fsim_bits_new (c->s->field_words);
    for (size_t f = 0; f < c->s->n_fields; f++)
        fsim_bits_set (x->fields, f);
    if (!fsim_i_check_object (c, e, p, keys, req, error) ||
        !fsim_i_get_id (c, e, "id", p, &x->id, error) || !convert_kind (c, e, p, x, error) ||
        !fsim_i_get_string (c, e, "note", p, &x->note, error) ||
        !fsim_i_get_fields (c, e, "fields", p, &x->fields, error) ||
        !fsim_i_get_bool (c, e, "sensitive", p, &x->sensitive, error) ||
        !fsim_i_get_bool (c, e, "without_consent", p, &x->without_consent, error) ||
        !convert_partner (c, e, p, x, error) || !convert_jurisdiction (c, e, p, x, error) ||
        !convert_kind_keys (c, e, p, x, error))
        return FALSE;
    x->loc = fsim_i_loc_of (c, e);
    for (size_t f = 0; x->sensitive && f < c->s->n_fields; f++)
        if (!c->s->fields[f].sensitive)
            fsim_bits_clear_bit (x->fields, f);
    return TRUE;
}

static gboolean
check_unique (FsimConv *c, const cJSON *e, const FsimJPath *p, size_t i, GError **error)
{
    const FsimExpectation *x = &c->s->expects[i];
    for (size_t j = 0; j < i; j++) {
        /* an earlier entry that failed to load (kept error) may have no id */
        if (!c->s->expects[j].id || strcmp (c->s->expects[j].id, x->id) != 0)
            continue;
        FsimJPath ip = FSIM_JP_KEY (p, "id");
        return fsim_i_fail (c, error, cJSON_GetObjectItemCaseSensitive (e, "id"), FALSE,
                            FSIM_LOADER_ERROR_REFERENCE, &ip,
                            "duplicate expectation id '%s' (first defined at %d:%d)", x->id,
                            c->s->expects[j].loc.line, c->s->expects[j].loc.col);
    }
    return TRUE;
}

gboolean
fsim_i_convert_expect (FsimConv *c, const cJSON *root, GError **error)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive (root, "expect");
    FsimJPath top = FSIM_JP_KEY (NULL, "expect");
    if (!arr)
        return TRUE;
    if (!cJSON_IsArray (arr))
        return fsim_i_fail (c, error, arr, FALSE, FSIM_LOADER_ERROR_SCHEMA, &top,
                            "expected an array of expectations, got %s",
                            fsim_i_json_type_name (arr));
    int n = cJSON_GetArraySize (arr);
    if (n > MAX_EXPECTATIONS)
        return fsim_i_fail_count (c, error, arr, &top, n, "entries", MAX_EXPECTATIONS, "");
    c->s->expects = g_new0 (FsimExpectation, n ? (size_t) n : 1);
    size_t i = 0;
    for (const cJSON *e = arr->child; e; e = e->next, i++) {
        FsimJPath p = FSIM_JP_IDX (&top, (int) i);
        c->s->n_expects = i + 1;
        g_autoptr (GError) local = NULL;
        if ((!convert_expectation (c, e, &p, &c->s->expects[i], &local) ||
             !check_unique (c, e, &p, i, &local)) &&
            !fsim_i_keep_error (c, &local))
            break;
    }
    return fsim_i_stage_ok (c);
}

const char *
fsim_expect_kind_to_string (FsimExpectKind k)
{
    g_return_val_if_fail ((unsigned) k < _FSIM_EXPECT_MAX, NULL);
    return kind_names[k];
}
