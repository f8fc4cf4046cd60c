/* SPDX-License-Identifier: MIT */
/* loader-import.c: converts "population.import": a graph file and what its attributes set. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include <cjson/cJSON.h>

#include "loader-private.h"

/* What "attributes" may map an attribute to; "audience:" and "uses:" take a suffix. */
static const char *const settings_names[] = {
    "platform", "apps_others_restricted", "audience", "audience:", "uses", "uses:",
};

/*
 * The folder relative file names are resolved against: that of the file @node was written in,
 * or the working directory for a value given with --set (whose "file" is "--set PATH").
 */
static char *
base_folder (FsimConv *c, const cJSON *node)
{
    const FsimNodeLoc *loc = fsim_i_json_loc (c->doc, node);
    if (loc == NULL || loc->file == NULL || g_str_has_prefix (loc->file, "--set "))
        return g_get_current_dir ();
    g_autofree char *dir = g_path_get_dirname (loc->file);
    return g_canonicalize_filename (dir, NULL);
}

gboolean
fsim_i_get_file_name (FsimConv *c, const cJSON *obj, const char *key, const FsimJPath *p,
                      char **out, GError **error)
{
    g_autofree char *name = NULL;
    const cJSON *node = cJSON_GetObjectItemCaseSensitive (obj, key);
    FsimJPath fp = FSIM_JP_KEY (p, key);
    if (!fsim_i_get_string (c, obj, key, p, &name, error))
        return FALSE;
    if (name == NULL)
        return TRUE;
    if (*name == '\0')
        return fsim_i_fail (c, error, node, FALSE, FSIM_LOADER_ERROR_VALUE, &fp,
                            "expected a file name, got an empty string");
    g_autofree char *base = base_folder (c, node);
    *out = g_canonicalize_filename (name, base);
    return TRUE;
}

static gboolean
convert_file (FsimConv *c, const cJSON *imp, const FsimJPath *p, GError **error)
{
    return fsim_i_get_file_name (c, imp, "file", p, &c->s->population.import_file, error);
}

static gboolean
convert_format (FsimConv *c, const cJSON *imp, const FsimJPath *p, GError **error)
{
    static const char *const formats[] = { "auto", "edge_list", "graphml", "gml" };
    FsimPopulationSpec *ps = &c->s->population;
    if (!fsim_i_get_string (c, imp, "format", p, &ps->import_format, error))
        return FALSE;
    if (ps->import_format == NULL)
        ps->import_format = g_strdup ("auto");
    for (size_t i = 0; i < G_N_ELEMENTS (formats); i++)
        if (strcmp (ps->import_format, formats[i]) == 0)
            return TRUE;
    const char *near = fsim_i_closest (ps->import_format, formats, G_N_ELEMENTS (formats));
    FsimJPath fp = FSIM_JP_KEY (p, "format");
    return fsim_i_fail (c, error, cJSON_GetObjectItemCaseSensitive (imp, "format"), FALSE,
                        FSIM_LOADER_ERROR_VALUE, &fp,
                        "unknown graph format '%s'%s%s%s (expected \"auto\", \"edge_list\", "
                        "\"graphml\" or \"gml\")",
                        ps->import_format, near ? "; did you mean '" : "", near ? near : "",
                        near ? "'?" : "");
}

/* "audience:PATTERN": the fields PATTERN selects (all of them for a bare "audience"). */
static gboolean
audience_fields (FsimConv *c, const cJSON *v, const FsimJPath *p, const char *pattern,
                 FsimImportAttribute *a, GError **error)
{
    const FsimScenario *s = c->s;
    g_autofree const char **ids = g_new0 (const char *, s->n_fields + 1);
    a->fields = fsim_bits_new (s->field_words);
    for (size_t f = 0; f < s->n_fields; f++) {
        int rank;
        ids[f] = s->fields[f].id;
        if (fsim_field_pattern_match (pattern, s->fields[f].id, &rank))
            fsim_bits_set (a->fields, f);
    }
    if (fsim_bits_any (a->fields, s->field_words))
        return TRUE;
    const char *near = fsim_i_closest (pattern, ids, s->n_fields);
    return fsim_i_fail_name (c, error, FSIM_I_NAME_FIELD, v, FALSE, FSIM_LOADER_ERROR_REFERENCE, p,
                             "field pattern '%s' selects no field%s%s%s", pattern,
                             near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
}

/* "uses:PARTNER": an exact partner id. */
static gboolean
uses_partner (FsimConv *c, const cJSON *v, const FsimJPath *p, const char *id,
              FsimImportAttribute *a, GError **error)
{
    const FsimScenario *s = c->s;
    gssize q = fsim_scenario_find_partner (s, id);
    if (q >= 0) {
        a->partner = (size_t) q;
        return TRUE;
    }
    g_autofree const char **ids = g_new0 (const char *, s->n_partners + 1);
    for (size_t i = 0; i < s->n_partners; i++)
        ids[i] = s->partners[i].id;
    const char *near = fsim_i_closest (id, ids, s->n_partners);
    return fsim_i_fail_name (c, error, FSIM_I_NAME_PARTNER, v, FALSE, FSIM_LOADER_ERROR_REFERENCE,
                             p, "unknown partner '%s'%s%s%s ('uses:' takes a partner id)", id,
                             near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
}

static gboolean
convert_setting (FsimConv *c, const cJSON *v, const FsimJPath *p, FsimImportAttribute *a,
                 GError **error)
{
    const char *name = v->valuestring;
    a->attribute = g_strdup (v->string);
    a->loc = fsim_i_loc_of (c, v);
    if (strcmp (name, "platform") == 0)
        a->target = FSIM_IMPORT_SETS_PLATFORM;
    else if (strcmp (name, "apps_others_restricted") == 0)
        a->target = FSIM_IMPORT_SETS_RESTRICTED;
    else if (strcmp (name, "uses") == 0)
        a->target = FSIM_IMPORT_SETS_USES;
    else if (strcmp (name, "audience") == 0 || g_str_has_prefix (name, "audience:")) {
        a->target = FSIM_IMPORT_SETS_AUDIENCE;
        return audience_fields (c, v, p, name[8] ? name + 9 : "*", a, error);
    } else if (g_str_has_prefix (name, "uses:")) {
        a->target = FSIM_IMPORT_SETS_USES_PARTNER;
        return uses_partner (c, v, p, name + 5, a, error);
    } else {
        const char *near = fsim_i_closest (name, settings_names, G_N_ELEMENTS (settings_names));
        return fsim_i_fail (c, error, v, FALSE, FSIM_LOADER_ERROR_VALUE, p,
                            "unknown setting '%s'%s%s%s (expected \"platform\", "
                            "\"apps_others_restricted\", \"audience\", \"audience:FIELDS\", "
                            "\"uses\" or \"uses:PARTNER\")",
                            name, near ? "; did you mean '" : "", near ? near : "",
                            near ? "'?" : "");
    }
    return TRUE;
}

/* Could @a and @b (applied in either order) leave a user different? "uses" only adds, so two
 * of them commute; everything else that can touch the same setting does not. */
static gboolean
attributes_clash (const FsimScenario *s, const FsimImportAttribute *a, const FsimImportAttribute *b)
{
    FsimImportTarget x = MIN (a->target, b->target), y = MAX (a->target, b->target);
    if (x == FSIM_IMPORT_SETS_USES && y == FSIM_IMPORT_SETS_USES_PARTNER)
        return TRUE;
    if (x != y || x == FSIM_IMPORT_SETS_USES)
        return FALSE;
    if (x == FSIM_IMPORT_SETS_USES_PARTNER)
        return a->partner == b->partner;
    if (x == FSIM_IMPORT_SETS_AUDIENCE) {
        for (size_t w = 0; w < s->field_words; w++)
            if (a->fields[w] & b->fields[w])
                return TRUE;
        return FALSE;
    }
    return TRUE;
}

/* One mapping ATTRIBUTE: SETTING (@m, a member of @holder). */
static gboolean
convert_mapping (FsimConv *c, const cJSON *holder, const cJSON *m, const FsimJPath *hp,
                 GError **error)
{
    FsimPopulationSpec *ps = &c->s->population;
    FsimJPath mp = FSIM_JP_KEY (hp, m->string);
    g_autofree char *setting = NULL;
    if (!fsim_i_get_string (c, holder, m->string, hp, &setting, error))
        return FALSE;
    if (*m->string == '\0')
        return fsim_i_fail (c, error, m, TRUE, FSIM_LOADER_ERROR_VALUE, &mp,
                            "expected an attribute name, got an empty string");
    /* counted first, so that a failure leaves nothing half-made for the free */
    FsimImportAttribute *a = &ps->import_attributes[ps->n_import_attributes++];
    return convert_setting (c, m, &mp, a, error);
}

/* "attributes": {ATTRIBUTE: SETTING} when no two mappings can touch the same setting, or
 * [{ATTRIBUTE: SETTING}, ...], applied in that order. */
static gboolean
convert_attributes (FsimConv *c, const cJSON *imp, const FsimJPath *p, GError **error)
{
    FsimPopulationSpec *ps = &c->s->population;
    const cJSON *attrs = cJSON_GetObjectItemCaseSensitive (imp, "attributes");
    FsimJPath ap = FSIM_JP_KEY (p, "attributes");
    if (attrs == NULL)
        return TRUE;
    if (!cJSON_IsObject (attrs) && !cJSON_IsArray (attrs))
        return fsim_i_fail (c, error, attrs, FALSE, FSIM_LOADER_ERROR_SCHEMA, &ap,
                            "expected an object {attribute: setting} or an array of them, "
                            "got %s",
                            fsim_i_json_type_name (attrs));
    size_t n = (size_t) cJSON_GetArraySize (attrs);
    ps->import_attributes = g_new0 (FsimImportAttribute, n ? n : 1);
    if (cJSON_IsArray (attrs)) {
        int i = 0;
        for (const cJSON *e = attrs->child; e; e = e->next, i++) {
            FsimJPath ep = FSIM_JP_IDX (&ap, i);
            if (!cJSON_IsObject (e) || cJSON_GetArraySize (e) != 1)
                return fsim_i_fail (c, error, e, FALSE, FSIM_LOADER_ERROR_SCHEMA, &ep,
                                    "expected an object with one key {attribute: setting}, "
                                    "got %s",
                                    cJSON_IsObject (e) ? "an object with another number of keys"
                                                       : fsim_i_json_type_name (e));
            if (!convert_mapping (c, e, e->child, &ep, error))
                return FALSE;
        }
        return TRUE;
    }
    for (const cJSON *m = attrs->child; m; m = m->next)
        if (!convert_mapping (c, attrs, m, &ap, error))
            return FALSE;
    /* the object form: the result must not depend on the order of its keys */
    const FsimImportAttribute *v = ps->import_attributes;
    for (size_t i = 0; i < ps->n_import_attributes; i++)
        for (size_t j = i + 1; j < ps->n_import_attributes; j++) {
            if (!attributes_clash (c->s, &v[i], &v[j]))
                continue;
            const char *x =
                strcmp (v[i].attribute, v[j].attribute) < 0 ? v[i].attribute : v[j].attribute;
            const char *y = x == v[i].attribute ? v[j].attribute : v[i].attribute;
            const cJSON *node = cJSON_GetObjectItemCaseSensitive (attrs, y);
            FsimJPath yp = FSIM_JP_KEY (&ap, y);
            return fsim_i_fail (c, error, node, TRUE, FSIM_LOADER_ERROR_VALUE, &yp,
                                "attributes '%s' and '%s' can set the same thing for one user, "
                                "so the order they are applied in would matter, and the order "
                                "of keys carries no meaning in JSON; write attributes as an "
                                "array of {attribute: setting} objects (applied in that order)",
                                x, y);
        }
    return TRUE;
}

/* population.import: {"file": PATH, "format": FORMAT, "attributes": {ATTR: SETTING}} */
gboolean
fsim_i_convert_import (FsimConv *c, const cJSON *imp, const FsimJPath *p, GError **error)
{
    static const char *const keys[] = { "file", "format", "attributes", NULL };
    static const char *const req[] = { "file", NULL };
    c->s->population.import_loc = fsim_i_loc_of (c, imp);
    return fsim_i_check_object (c, imp, p, keys, req, error) && convert_file (c, imp, p, error) &&
           convert_format (c, imp, p, error) && convert_attributes (c, imp, p, error);
}
