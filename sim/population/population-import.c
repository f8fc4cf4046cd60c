/* SPDX-License-Identifier: MIT */
/* population-import.c: a population read from a graph file, its attributes laid over the draws. */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "bits.h"
#include "import.h"
#include "memory.h"
#include "population-private.h"

static const char *const target_names[] = {
    [FSIM_IMPORT_SETS_PLATFORM] = "platform",
    [FSIM_IMPORT_SETS_RESTRICTED] = "apps_others_restricted",
    [FSIM_IMPORT_SETS_AUDIENCE] = "audience",
    [FSIM_IMPORT_SETS_USES] = "uses",
    [FSIM_IMPORT_SETS_USES_PARTNER] = "uses:PARTNER",
};

static const char *const audience_names[] = { "only_me", "friends", "friends_of_friends",
                                              "public" };

char *
fsim_i_population_display_path (const char *path)
{
    g_autofree char *cwd = g_get_current_dir ();
    size_t n = strlen (cwd);

    if (strncmp (path, cwd, n) == 0 && path[n] == G_DIR_SEPARATOR && path[n + 1] != '\0')
        return g_strdup (path + n + 1);
    return g_strdup (path);
}

/* Sets a located error: "FILE:LINE:COL: population.import.attributes.NAME: MESSAGE". */
static gboolean G_GNUC_PRINTF (3, 4)
    fail (GError **error, const FsimImportAttribute *a, const char *fmt, ...)
{
    va_list ap;
    va_start (ap, fmt);
    g_autofree char *msg = g_strdup_vprintf (fmt, ap);
    va_end (ap);
    g_set_error (error, FSIM_POPULATION_ERROR, FSIM_POPULATION_ERROR_IMPORT,
                 "%s:%d:%d: population.import.attributes.%s: %s", a->loc.file, a->loc.line,
                 a->loc.col, a->attribute, msg);
    return FALSE;
}

/* The file's attribute for mapping @a, of a type the mapping can read. */
static const FsimAttr *
find_attr (const FsimImported *imp, const char *file, const FsimImportAttribute *a, GError **error)
{
    const FsimAttr *attr = fsim_attr_table_lookup (&imp->attrs, a->attribute);
    gboolean wants_string =
        a->target == FSIM_IMPORT_SETS_AUDIENCE || a->target == FSIM_IMPORT_SETS_USES;

    if (attr == NULL && imp->format == FSIM_IMPORT_EDGE_LIST) {
        fail (error, a,
              "'%s' is an edge list, which has no user attributes (use GraphML or "
              "GML)",
              file);
        return NULL;
    }
    if (attr == NULL) {
        /* counted, not listed: the names are the file's, and the file may be someone else's,
         * named by a scenario from anywhere (docs/robustness.md, "at most one character") */
        size_t n = imp->attrs.n_attrs;
        if (n == 0)
            fail (error, a, "'%s' has no user attribute '%s' (it has none)", file, a->attribute);
        else
            fail (error, a,
                  "'%s' has no user attribute '%s' (it has %zu, whose names are not shown: "
                  "they are the graph file's own)",
                  file, a->attribute, n);
        return NULL;
    }
    if (wants_string != (attr->type == FSIM_ATTR_STRING)) {
        fail (error, a, "'%s' needs a %s attribute, but '%s' holds %s", target_names[a->target],
              wants_string ? "string" : "boolean or number", a->attribute,
              attr->type == FSIM_ATTR_STRING ? "strings" : "numbers");
        return NULL;
    }
    return attr;
}

static gboolean
apply_audience (const FsimImportAttribute *a, const FsimAttr *attr, FsimPopulation *pop, size_t u,
                GError **error)
{
    const char *value = attr->strings[u];
    if (*value == '\0')
        return TRUE;
    for (guint8 k = 0; k < FSIM_N_AUDIENCES; k++) {
        if (strcmp (value, audience_names[k]) != 0)
            continue;
        for (size_t f = 0; f < pop->n_fields; f++)
            if (fsim_bits_get (a->fields, f))
                pop->audience[u * pop->n_fields + f] = k;
        return TRUE;
    }
    /* The value is not quoted: it comes from a graph file the scenario named, which may not be
     * the user's own (docs/robustness.md, the echo rule). */
    return fail (error, a,
                 "user %zu: its value is not an audience (expected \"public\", "
                 "\"friends_of_friends\", \"friends\" or \"only_me\"; values of a graph "
                 "file are not shown)",
                 u);
}

static gboolean
apply_uses (const FsimScenario *s, const FsimImportAttribute *a, const FsimAttr *attr,
            FsimPopulation *pop, size_t u, GError **error)
{
    g_auto (GStrv) ids = g_strsplit_set (attr->strings[u], ",; \t", -1);

    for (char **id = ids; *id != NULL; id++) {
        gssize p = **id ? fsim_scenario_find_partner (s, *id) : -2;
        if (p == -1) /* not quoted, as in apply_audience() */
            return fail (error, a,
                         "user %zu: word %zu of its value is not a partner id of the scenario "
                         "(values of a graph file are not shown)",
                         u, (size_t) (id - ids) + 1);
        if (p >= 0)
            fsim_bits_set (pop->uses + u * pop->partner_words, (size_t) p);
    }
    return TRUE;
}

/* Where the attribute has a value, it replaces what was drawn. */
static gboolean
apply_number (const FsimScenario *s, const FsimImportAttribute *a, double v, FsimPopulation *pop,
              size_t u)
{
    FsimWord *ao = pop->apps_others + u * pop->field_words;
    const FsimWord *restricted = s->population.restricted_fields;

    if (isnan (v))
        return TRUE;
    if (a->target == FSIM_IMPORT_SETS_PLATFORM)
        pop->platform[u] = v != 0;
    else if (a->target == FSIM_IMPORT_SETS_USES_PARTNER && v != 0)
        fsim_bits_set (pop->uses + u * pop->partner_words, a->partner);
    else if (a->target == FSIM_IMPORT_SETS_USES_PARTNER)
        fsim_bits_clear_bit (pop->uses + u * pop->partner_words, a->partner);
    else if (a->target == FSIM_IMPORT_SETS_RESTRICTED) {
        for (size_t f = 0; f < s->n_fields; f++)
            fsim_bits_set (ao, f);
        for (size_t f = 0; v != 0 && f < s->n_fields; f++)
            if (restricted == NULL || fsim_bits_get (restricted, f))
                fsim_bits_clear_bit (ao, f);
    }
    return TRUE;
}

static gboolean
apply_attribute (const FsimScenario *s, const FsimImported *imp, const FsimImportAttribute *a,
                 FsimPopulation *pop, GError **error)
{
    g_autofree char *file = fsim_i_population_display_path (s->population.import_file);
    const FsimAttr *attr = find_attr (imp, file, a, error);

    if (attr == NULL)
        return FALSE;
    for (size_t u = 0; u < pop->n_users; u++) {
        gboolean ok = TRUE;
        if (a->target == FSIM_IMPORT_SETS_AUDIENCE)
            ok = apply_audience (a, attr, pop, u, error);
        else if (a->target == FSIM_IMPORT_SETS_USES)
            ok = apply_uses (s, a, attr, pop, u, error);
        else
            ok = apply_number (s, a, attr->numbers[u], pop, u);
        if (!ok)
            return FALSE;
    }
    return TRUE;
}

static int
compare_names (const void *a, const void *b)
{
    return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static int
compare_ids (const void *a, const void *b)
{
    gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
    return (x > y) - (x < y);
}

/*
 * Are the strings non-empty and all different? Sorted in a tried copy (there is one per person,
 * and a hash table's growth would abort): FALSE with @error set when out of memory.
 */
static gboolean
usable_names (char *const *names, size_t n, gboolean *out_usable, GError **error)
{
    g_autofree const char **sorted =
        fsim_try_new (MAX (n, 1), sizeof (char *), "checking the file's node ids", error);
    if (sorted == NULL)
        return FALSE;
    *out_usable = FALSE;
    for (size_t u = 0; u < n; u++) {
        if (names[u] == NULL || names[u][0] == '\0')
            return TRUE;
        sorted[u] = names[u];
    }
    qsort (sorted, n, sizeof *sorted, compare_names);
    for (size_t u = 1; u < n; u++)
        if (strcmp (sorted[u - 1], sorted[u]) == 0)
            return TRUE;
    *out_usable = TRUE;
    return TRUE;
}

/* Are the numbers integers (exactly representable) and all different? The same way. */
static gboolean
usable_ids (const double *ids, size_t n, gboolean *out_usable, GError **error)
{
    g_autofree gint64 *sorted =
        fsim_try_new (MAX (n, 1), sizeof (gint64), "checking the file's node ids", error);
    if (sorted == NULL)
        return FALSE;
    *out_usable = FALSE;
    for (size_t u = 0; u < n; u++) {
        if (!(fabs (ids[u]) < 0x1p53) || ids[u] != floor (ids[u]))
            return TRUE;
        sorted[u] = (gint64) ids[u];
    }
    qsort (sorted, n, sizeof *sorted, compare_ids);
    for (size_t u = 1; u < n; u++)
        if (sorted[u - 1] == sorted[u])
            return TRUE;
    *out_usable = TRUE;
    return TRUE;
}

/* The copies of @n names: a tried vector, and their bytes checked first (g_strdup each). */
static char **
copy_names (char *const *names, size_t n, GError **error)
{
    const char *what = "the file's node ids";
    guint64 bytes = 0;
    for (size_t u = 0; u < n; u++)
        bytes += strlen (names[u]) + 1 + 2 * sizeof (size_t); /* and malloc's header */
    char **out = fsim_try_new0 (n + 1, sizeof (char *), what, error);
    if (out == NULL || !fsim_memory_reserve (bytes, what, error)) {
        g_free (out);
        return NULL;
    }
    for (size_t u = 0; u < n; u++)
        out[u] = g_strdup (names[u]);
    return out;
}

/*
 * The file's names for its users: an edge list's ids (its users, so different); GraphML's
 * node ids (igraph's "id" attribute: it merges nodes with the same id); GML's "id" numbers
 * (igraph refuses repeated or fractional ones). A GraphML file may declare a node attribute of
 * its own called "id", which igraph reads in place of the node ids (NetworkX writes one when
 * its nodes have an "id"): names that are missing, empty or repeated are not used, and the
 * users are u0, u1, ... as for a generated population. There is a name per person, so every
 * array is tried: FALSE with @error set (FSIM_GRAPH_ERROR_NOMEM) when out of memory.
 */
static gboolean
take_names (FsimImported *imp, FsimPopulation *pop, GError **error)
{
    const FsimAttr *id = fsim_attr_table_lookup (&imp->attrs, "id");
    gboolean usable = FALSE;

    if (imp->ids != NULL) {
        G_STATIC_ASSERT (sizeof (gint64) == sizeof (int64_t));
        pop->file_ids = (gint64 *) g_steal_pointer (&imp->ids);
    } else if (id != NULL && id->type == FSIM_ATTR_STRING) {
        if (!usable_names (id->strings, pop->n_users, &usable, error))
            return FALSE;
        if (usable && !(pop->file_names = copy_names (id->strings, pop->n_users, error)))
            return FALSE;
    } else if (id != NULL && id->type == FSIM_ATTR_NUMBER) {
        if (!usable_ids (id->numbers, pop->n_users, &usable, error))
            return FALSE;
        if (usable && !(pop->file_ids = fsim_try_new (MAX (pop->n_users, 1), sizeof (gint64),
                                                      "the file's node ids", error)))
            return FALSE;
        for (size_t u = 0; usable && u < pop->n_users; u++)
            pop->file_ids[u] = (gint64) id->numbers[u];
    }
    return TRUE;
}

void
fsim_i_population_locate_import (const FsimPopulationSpec *ps, GError **error)
{
    if (ps->import_loc.file)
        g_prefix_error (error, "%s:%d:%d: ", ps->import_loc.file, ps->import_loc.line,
                        ps->import_loc.col);
    if (error != NULL && *error != NULL)
        g_strdelimit ((*error)->message, "\r\n", '?');
}

/**
 * fsim_i_population_import:
 * Reads the spec's graph file into @pop (n_users, friends), allocates and draws the settings and
 * partner use as for a generated population, then applies the file's attributes in the order
 * the scenario maps them. Returns: FALSE with @error set: an FSIM_GRAPH_ERROR from reading the
 * file, FSIM_POPULATION_ERROR_TOO_LARGE, or FSIM_POPULATION_ERROR_IMPORT for an attribute
 * that is missing, of the wrong type or holds a bad value.
 */
gboolean
fsim_i_population_import (const FsimScenario *s, FsimPopulation *pop, GError **error)
{
    const FsimPopulationSpec *ps = &s->population;
    FsimImportFormat format = FSIM_IMPORT_AUTO;
    g_autoptr (FsimImported) imp = NULL;

    if (ps->import_format != NULL && !fsim_import_format_from_string (ps->import_format, &format))
        g_return_val_if_reached (FALSE); /* the loader checked it */
    imp = fsim_import_file (ps->import_file, format, error);
    if (imp == NULL) {
        g_prefix_error (error, "importing friendships: ");
        fsim_i_population_locate_import (ps, error);
        return FALSE;
    }
    if (!fsim_i_population_check_size (s, imp->friends->n_users,
                                       2.0 * (double) imp->friends->n_edges, error))
        return FALSE;
    pop->n_users = imp->friends->n_users;
    pop->friends = g_steal_pointer (&imp->friends);
    if (!take_names (imp, pop, error)) {
        g_autofree char *file = fsim_i_population_display_path (ps->import_file);
        g_prefix_error (error, "importing friendships: %s: ", file);
        fsim_i_population_locate_import (ps, error);
        return FALSE;
    }
    if (!fsim_i_population_alloc (s, pop, error))
        return FALSE;
    fsim_i_population_draw (s, pop);
    if (ps->adoption_model == FSIM_ADOPTION_CLUSTERED &&
        !fsim_i_population_adopt_clustered (s, pop, error))
        return FALSE;
    for (size_t i = 0; i < ps->n_import_attributes; i++)
        if (!apply_attribute (s, imp, &ps->import_attributes[i], pop, error))
            return FALSE;
    return TRUE;
}
