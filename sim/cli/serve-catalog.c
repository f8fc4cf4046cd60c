/* SPDX-License-Identifier: MIT */
/* serve-catalog.c: the scenarios `flowsim serve` offers, by id, and their /api/scenarios entry. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "claims-report.h"
#include "json-writer.h"
#include "loader.h"
#include "serve.h"
#include "text.h"
#include "timeline.h"

/*
 * A client names a scenario by its id and nothing else: the catalog is the only map from what
 * a request says to a file. It is built once, at startup, from the folders on the command line,
 * and only read afterwards (by every worker thread at once).
 */

/* Explicit users listed for the page's explain picker; more are typed as ids. */
#define MAX_LISTED_USERS 200

struct FsimServeCatalog {
    GPtrArray *entries;  /* FsimServeEntry*, in folder then file name order */
    GHashTable *by_id;   /* id -> entry (borrowed) */
    GPtrArray *prefixes; /* "DIR/" strings taken out of messages, longest first */
    char *json;          /* /api/scenarios */
};

static void
entry_free (FsimServeEntry *e)
{
    if (!e)
        return;
    g_free (e->id);
    g_free (e->path);
    g_free (e->import_file);
    g_free (e->snapshot);
    g_free (e->json);
    g_free (e);
}

void
fsim_serve_catalog_free (FsimServeCatalog *c)
{
    if (!c)
        return;
    g_clear_pointer (&c->by_id, g_hash_table_unref);
    g_clear_pointer (&c->entries, g_ptr_array_unref);
    g_clear_pointer (&c->prefixes, g_ptr_array_unref);
    g_free (c->json);
    g_free (c);
}

static void
jw_double (FsimJsonWriter *w, const char *key, double value)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    fsim_jw_key (w, key);
    g_string_append (w->out, g_ascii_formatd (buf, sizeof buf, "%.6g", value));
}

static void
jw_strv (FsimJsonWriter *w, const char *key, char *const *strv)
{
    fsim_jw_key (w, key);
    fsim_jw_open (w, '[');
    for (char *const *s = strv; s && *s; s++) {
        fsim_jw_item (w);
        fsim_json_string (w->out, *s);
    }
    fsim_jw_close (w, ']');
}

static void
jw_day (FsimJsonWriter *w, const char *key, FsimDay day)
{
    g_autofree char *text = fsim_day_format (day);
    fsim_jw_str (w, key, text);
}

static void
widen (FsimWindow win, FsimDay *lo, FsimDay *hi)
{
    FsimDay ends[2] = { win.from, win.until };
    for (int i = 0; i < 2; i++)
        if (ends[i] != FSIM_DAY_MIN && ends[i] != FSIM_DAY_MAX) {
            *lo = MIN (*lo, ends[i]);
            *hi = MAX (*hi, ends[i]);
        }
}

/* The date slider's range: from 1 January of the year before the first policy change (an API,
 * rule or share starting or ending) to 31 December of the year of the last, the scenario's
 * date included. */
static void
write_range (FsimJsonWriter *w, const FsimScenario *s)
{
    FsimDay lo = s->date, hi = s->date;
    for (size_t a = 0; a < s->n_apis; a++)
        widen (s->apis[a].active, &lo, &hi);
    for (size_t r = 0; r < s->n_rules; r++)
        widen (s->rules[r].window, &lo, &hi);
    for (size_t p = 0; p < s->n_partners; p++)
        for (size_t k = 0; k < s->partners[p].n_shares; k++)
            widen (s->partners[p].shares[k].active, &lo, &hi);
    GDate first, last;
    g_date_set_julian (&first, (guint32) lo);
    g_date_set_julian (&last, (guint32) hi);
    g_date_set_dmy (&first, 1, G_DATE_JANUARY, (GDateYear) (g_date_get_year (&first) - 1));
    g_date_set_dmy (&last, 31, G_DATE_DECEMBER, g_date_get_year (&last));
    FsimDay from = (FsimDay) g_date_get_julian (&first), to = (FsimDay) g_date_get_julian (&last);
    fsim_jw_key (w, "range");
    fsim_jw_open (w, '{');
    jw_day (w, "from", from);
    jw_day (w, "to", to);
    fsim_jw_close (w, '}');
    /* the policy changes, to mark on the slider: those `flowsim timeline` lists */
    size_t n = 0;
    FsimTimelineEvent *events = fsim_timeline_events (s, from, to, &n);
    fsim_jw_key (w, "events");
    fsim_jw_open (w, '[');
    for (size_t i = 0; i < n; i++) {
        fsim_jw_item (w);
        fsim_jw_open (w, '{');
        jw_day (w, "date", events[i].day);
        fsim_jw_str (w, "what", events[i].what);
        fsim_jw_close (w, '}');
        g_free (events[i].what);
    }
    fsim_jw_close (w, ']');
    g_free (events);
}

static void
write_population (FsimJsonWriter *w, const FsimScenario *s)
{
    const FsimPopulationSpec *ps = &s->population;
    static const char *const kinds[] = { "explicit", "generated", "imported" };

    fsim_jw_key (w, "population");
    fsim_jw_open (w, '{');
    fsim_jw_str (w, "kind", kinds[ps->kind]);
    if (ps->kind != FSIM_POPULATION_IMPORTED)
        fsim_jw_uint (w, "users",
                      ps->kind == FSIM_POPULATION_GENERATED ? ps->gen_users : ps->n_users);
    if (ps->kind != FSIM_POPULATION_EXPLICIT) {
        jw_double (w, "platform_off", ps->platform_off);
        jw_double (w, "apps_others_restricted", ps->apps_others_restricted);
    }
    fsim_jw_close (w, '}');
    if (ps->kind != FSIM_POPULATION_EXPLICIT)
        return;
    /* explicit users: their ids and the platform switch, for the explain and settings pickers */
    fsim_jw_key (w, "users");
    fsim_jw_open (w, '[');
    for (size_t u = 0; u < ps->n_users && u < MAX_LISTED_USERS; u++) {
        fsim_jw_item (w);
        fsim_jw_open (w, '{');
        fsim_jw_str (w, "id", ps->users[u].id);
        fsim_jw_key (w, "platform");
        g_string_append (w->out, ps->users[u].settings.platform ? "true" : "false");
        fsim_jw_close (w, '}');
    }
    fsim_jw_close (w, ']');
}

static void
write_model (FsimJsonWriter *w, const FsimScenario *s)
{
    static const char *const respects[] = { "platform", "apps_others", "audience" };

    fsim_jw_key (w, "fields");
    fsim_jw_open (w, '[');
    for (size_t f = 0; f < s->n_fields; f++) {
        fsim_jw_item (w);
        fsim_jw_open (w, '{');
        fsim_jw_str (w, "id", s->fields[f].id);
        fsim_jw_str (w, "label", s->fields[f].label);
        fsim_jw_key (w, "sensitive");
        g_string_append (w->out, s->fields[f].sensitive ? "true" : "false");
        fsim_jw_close (w, '}');
    }
    fsim_jw_close (w, ']');
    fsim_jw_key (w, "apis");
    fsim_jw_open (w, '[');
    for (size_t a = 0; a < s->n_apis; a++) {
        fsim_jw_item (w);
        fsim_jw_open (w, '{');
        fsim_jw_str (w, "id", s->apis[a].id);
        fsim_jw_str (w, "title", s->apis[a].title);
        fsim_jw_key (w, "respects");
        fsim_jw_open (w, '[');
        for (guint b = 0; b < G_N_ELEMENTS (respects); b++)
            if (s->apis[a].respects & (1u << b)) {
                fsim_jw_item (w);
                fsim_json_string (w->out, respects[b]);
            }
        fsim_jw_close (w, ']');
        fsim_jw_close (w, '}');
    }
    fsim_jw_close (w, ']');
    fsim_jw_key (w, "partners");
    fsim_jw_open (w, '[');
    for (size_t p = 0; p < s->n_partners; p++) {
        const FsimPartner *pa = &s->partners[p];
        fsim_jw_item (w);
        fsim_jw_open (w, '{');
        fsim_jw_str (w, "id", pa->id);
        fsim_jw_str (w, "name", pa->name);
        fsim_jw_str (w, "kind", pa->kind);
        fsim_jw_str (w, "country", pa->country);
        fsim_jw_key (w, "destinations");
        fsim_jw_open (w, '[');
        for (size_t d = 0; d < pa->n_destinations; d++) {
            fsim_jw_item (w);
            fsim_jw_open (w, '{');
            fsim_jw_str (w, "id", pa->destinations[d].id);
            fsim_jw_str (w, "location", pa->destinations[d].on_device ? "device" : "server");
            fsim_jw_str (w, "jurisdiction", pa->destinations[d].jurisdiction);
            /* the fields it keeps, to rewrite it whole as a device destination */
            fsim_jw_key (w, "fields");
            fsim_jw_open (w, '[');
            for (size_t f = 0; f < s->n_fields; f++)
                if (fsim_bits_get (pa->destinations[d].fields, f)) {
                    fsim_jw_item (w);
                    fsim_json_string (w->out, s->fields[f].id);
                }
            fsim_jw_close (w, ']');
            fsim_jw_close (w, '}');
        }
        fsim_jw_close (w, ']');
        fsim_jw_close (w, '}');
    }
    fsim_jw_close (w, ']');
}

/* The /api/scenarios entry of @s: what the page needs to draw its controls. */
static char *
entry_json (const FsimScenario *s)
{
    GString *out = g_string_new (NULL);
    FsimJsonWriter w = { .out = out };
    fsim_jw_open (&w, '{');
    fsim_jw_str (&w, "id", s->id);
    fsim_jw_str (&w, "title", s->title);
    fsim_jw_str (&w, "description", s->description);
    fsim_jw_str (&w, "date", s->date_string);
    /* each source as the one line the reports print (publisher, title, date, URL, copy) */
    g_autoptr (GPtrArray) sources = g_ptr_array_new_with_free_func (g_free);
    for (size_t i = 0; i < s->sources.n; i++)
        g_ptr_array_add (sources, fsim_source_to_string (&s->sources.items[i]));
    g_ptr_array_add (sources, NULL);
    jw_strv (&w, "sources", (char *const *) sources->pdata);
    jw_strv (&w, "assumptions", s->assumptions);
    write_range (&w, s);
    write_population (&w, s);
    write_model (&w, s);
    /* The claims hook: the contested claims, the alternative in force of each and the ids of
     * the others (claims-report.h); `set=choices.CLAIM=ALT` chooses one, as --claim does. */
    fsim_claims_report_json (&w, s);
    fsim_jw_close (&w, '}');
    return g_string_free (out, FALSE);
}

static void
add_prefix (FsimServeCatalog *c, const char *dir)
{
    g_autofree char *canonical = g_canonicalize_filename (dir, NULL);
    g_ptr_array_add (c->prefixes, g_strconcat (canonical, G_DIR_SEPARATOR_S, NULL));
    if (strcmp (canonical, dir) != 0)
        g_ptr_array_add (c->prefixes, g_strconcat (dir, G_DIR_SEPARATOR_S, NULL));
}

static int
compare_longest_first (gconstpointer a, gconstpointer b)
{
    size_t la = strlen (*(char *const *) a), lb = strlen (*(char *const *) b);
    return la == lb ? 0 : la > lb ? -1 : 1;
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
    return strcmp (*(char *const *) a, *(char *const *) b);
}

/* The *.json files of @dir, sorted (transfer full). */
static GPtrArray *
list_json (const char *dir, GError **error)
{
    g_autoptr (GError) local = NULL;
    g_autoptr (GDir) d = g_dir_open (dir, 0, &local);
    if (!d) { /* a line break in the name is '?': one line, as every error */
        g_autofree char *shown = fsim_text_clean (dir), *why = fsim_text_clean (local->message);
        g_set_error (error, local->domain, local->code, "cannot read the folder '%s': %s", shown,
                     why);
        return NULL;
    }
    GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
    for (const char *name; (name = g_dir_read_name (d));)
        if (g_str_has_suffix (name, ".json"))
            g_ptr_array_add (names, g_strdup (name));
    g_ptr_array_sort (names, compare_names);
    return names;
}

static void
add_file (FsimServeCatalog *c, const char *path, GPtrArray *skipped)
{
    g_autoptr (GError) local = NULL;
    g_autoptr (FsimScenario) s = fsim_loader_load (path, NULL, &local);
    if (!s) {
        g_ptr_array_add (skipped, g_strdup (local->message));
        return;
    }
    if (!s->id) {
        g_ptr_array_add (skipped, g_strdup_printf ("%s: a policy file, not a scenario", path));
        return;
    }
    const FsimServeEntry *seen = g_hash_table_lookup (c->by_id, s->id);
    if (seen) {
        g_ptr_array_add (skipped, g_strdup_printf ("%s: scenario '%s' is already served from %s",
                                                   path, s->id, seen->path));
        return;
    }
    FsimServeEntry *e = g_new0 (FsimServeEntry, 1);
    e->id = g_strdup (s->id);
    e->path = g_strdup (path);
    e->import_file = g_strdup (s->population.import_file);
    e->snapshot = g_strdup (s->population.snapshot);
    e->json = entry_json (s);
    g_ptr_array_add (c->entries, e);
    g_hash_table_insert (c->by_id, e->id, e);
}

static char *
catalog_json (const FsimServeCatalog *c)
{
    GString *out = g_string_new ("{\n  \"flowsim\": \"" FSIM_VERSION "\",\n  \"scenarios\": [");
    for (guint i = 0; i < c->entries->len; i++) {
        const FsimServeEntry *e = c->entries->pdata[i];
        g_string_append (out, i ? ",\n" : "\n");
        g_string_append (out, e->json);
    }
    g_string_append (out, "\n  ]\n}\n");
    return g_string_free (out, FALSE);
}

FsimServeCatalog *
fsim_serve_catalog_new (const char *const *dirs, GPtrArray **out_skipped, GError **error)
{
    g_return_val_if_fail (dirs != NULL && dirs[0] != NULL, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);
    g_autoptr (FsimServeCatalog) c = g_new0 (FsimServeCatalog, 1);
    g_autoptr (GPtrArray) skipped = g_ptr_array_new_with_free_func (g_free);

    c->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
    c->by_id = g_hash_table_new (g_str_hash, g_str_equal);
    c->prefixes = g_ptr_array_new_with_free_func (g_free);
    for (const char *const *dir = dirs; *dir; dir++) {
        g_autofree char *canonical = g_canonicalize_filename (*dir, NULL);
        g_autoptr (GPtrArray) names = list_json (canonical, error);
        if (!names)
            return NULL;
        add_prefix (c, *dir);
        for (guint i = 0; i < names->len; i++) {
            g_autofree char *path = g_build_filename (canonical, names->pdata[i], NULL);
            add_file (c, path, skipped);
        }
    }
    if (c->entries->len == 0) {
        g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                     "no scenario file in %s%s (a .json file with a 'scenario' id)", dirs[0],
                     dirs[1] ? " and the other folders" : "");
        return NULL;
    }
    g_ptr_array_sort (c->prefixes, compare_longest_first);
    c->json = catalog_json (c);
    if (out_skipped)
        *out_skipped = g_steal_pointer (&skipped);
    return g_steal_pointer (&c);
}

const FsimServeEntry *
fsim_serve_catalog_find (const FsimServeCatalog *c, const char *id)
{
    g_return_val_if_fail (c != NULL, NULL);
    return id ? g_hash_table_lookup (c->by_id, id) : NULL;
}

size_t
fsim_serve_catalog_size (const FsimServeCatalog *c)
{
    return c ? c->entries->len : 0;
}

const char *
fsim_serve_catalog_json (const FsimServeCatalog *c)
{
    return c->json;
}

char *
fsim_serve_catalog_clean_message (const FsimServeCatalog *c, const char *message)
{
    g_autoptr (GString) out = g_string_new (message);
    for (guint i = 0; i < c->prefixes->len; i++)
        g_string_replace (out, c->prefixes->pdata[i], "", 0);
    return g_string_free (g_steal_pointer (&out), FALSE);
}
