/* SPDX-License-Identifier: MIT */
/* cmd-lint.c: `flowsim lint`: warnings about rules, scopes, fields and windows that do nothing. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "analysis-private.h"
#include "claims-report.h"
#include "cmd-analysis.h"
#include "json-writer.h"
#include "lint.h"
#include "loader.h"

typedef struct {
    char *format;
    char *output;
    char **args;
    gboolean strict;
    gboolean help;
} LintOptions;

static GOptionContext *
lint_context (LintOptions *o)
{
    const GOptionEntry entries[] = {
        { "strict", 0, 0, G_OPTION_ARG_NONE, &o->strict, "Exit with 1 if there is any warning",
          NULL },
        { "format", 'f', 0, G_OPTION_ARG_FILENAME, &o->format, "text (the default) or json",
          "FORMAT" },
        { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o->output,
          "Write to FILE (replaced atomically; '-' is standard output)", "FILE" },
        { "help", 'h', 0, G_OPTION_ARG_NONE, &o->help, "Show this help", NULL },
        { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o->args, NULL, "FILE..." },
        { 0 },
    };
    return fsim_i_cmd_context (
        "lint", NULL, entries,
        "Loads each policy or scenario FILE (with what it includes) and warns, with FILE:LINE, "
        "about\nwhat loads but can do nothing: rules that match no partner, API or scope; "
        "allows a deny\noverrides wherever they apply; scope patterns no API offers; fields no "
        "destination receives;\npartners that nothing can reach; rules in force only while "
        "their APIs are inactive. What\ncannot load at all (a name that names nothing, such as "
        "a setting naming an unknown field,\nor an empty window) is an error, as for every "
        "command. A file with claims is linted with\nthe alternatives in force, then with each "
        "of the others: each must load and pass the\nsame checks.",
        "Examples:\n"
        "  flowsim lint policies/device-integrated.json scenarios/tour.json\n"
        "  flowsim lint --strict --format json scenarios/*.json\n");
}

static char *
lint_help (void)
{
    LintOptions o = { 0 };
    g_autoptr (GOptionContext) context = lint_context (&o);
    return fsim_i_cmd_help (context, "lint");
}

static FsimExit
lint_parse (int argc, char **argv, LintOptions *o, gboolean *json, GError **error)
{
    g_autoptr (GOptionContext) context = lint_context (o);
    FsimExit status = fsim_i_cmd_parse (context, "lint", argc, argv, error);
    if (status != FSIM_EXIT_OK || o->help)
        return status;
    if (!o->args || !o->args[0])
        return fsim_i_cli_usage_error (error, "no file given");
    *json = o->format && strcmp (o->format, "json") == 0;
    if (o->format && !*json && strcmp (o->format, "text") != 0)
        return fsim_i_cli_usage_error (error, "unknown format '%s' (expected text or json)",
                                       o->format);
    return FSIM_EXIT_OK;
}

/* An alternative of a claim that is not in force, applied and linted: the file must load with
 * it too, and what it adds to the warnings in force is reported under its name. */
typedef struct {
    const char *claim, *alternative; /* borrowed from the Linted's scenario */
    GError *error;                   /* why it does not load (the loader's lines) */
    GArray *warnings; /* those not given in force too, or NULL; their files interned */
} AltLinted;

static void
alt_linted_free (gpointer data)
{
    AltLinted *a = data;
    g_clear_error (&a->error);
    if (a->warnings)
        g_array_unref (a->warnings);
    g_free (a);
}

/* One FILE argument: loaded and linted, linted in the context of a file that includes it (a
 * fragment that cannot load alone), or failed. */
typedef struct {
    const char *path;
    char *canon;
    FsimScenario *s;      /* what was linted: the file itself or its context */
    char *context;        /* the including file linted instead, or NULL */
    GError *error;        /* why the file could not be loaded (alone), or linted */
    gboolean lint_failed; /* it loaded, but memory ran out for lint (error says so) */
    GArray *warnings;
    GPtrArray *alternatives;     /* (element-type AltLinted): the alternatives not in force */
    size_t alternatives_skipped; /* those beyond MAX_ALTERNATIVES, not linted */
    gboolean out_of_memory;      /* the alternatives stopped where memory ran out */
} Linted;

static void
linted_clear (Linted *l)
{
    g_free (l->canon);
    g_free (l->context);
    g_clear_error (&l->error);
    if (l->warnings)
        g_array_unref (l->warnings);
    if (l->alternatives)
        g_ptr_array_unref (l->alternatives);
    fsim_scenario_free (l->s);
}

static gboolean
reads_file (const FsimScenario *s, const char *canon)
{
    for (char **f = s->files; f && *f; f++)
        if (strcmp (*f, canon) == 0)
            return TRUE;
    return FALSE;
}

static gint
compare_paths (gconstpointer a, gconstpointer b)
{
    return strcmp (*(char *const *) a, *(char *const *) b);
}

/* The .json files that may include @canon: in its folder and the folders beside it (policies/
 * and scenarios/), sorted; only those whose text names it, to keep the search cheap. */
static GPtrArray *
neighbours (const char *canon)
{
    g_autoptr (GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
    g_autofree char *base = g_path_get_basename (canon);
    g_autofree char *dir = g_path_get_dirname (canon);
    g_autofree char *up = g_path_get_dirname (dir);
    g_autoptr (GPtrArray) dirs = g_ptr_array_new_with_free_func (g_free);
    g_ptr_array_add (dirs, g_strdup (dir));
    g_autoptr (GDir) d = g_dir_open (up, 0, NULL);
    for (const char *n; d && (n = g_dir_read_name (d));) {
        char *sub = g_build_filename (up, n, NULL);
        if (strcmp (sub, dir) != 0 && g_file_test (sub, G_FILE_TEST_IS_DIR))
            g_ptr_array_add (dirs, sub);
        else
            g_free (sub);
    }
    for (guint i = 0; i < dirs->len && found->len < 256; i++) {
        g_autoptr (GDir) dd = g_dir_open (dirs->pdata[i], 0, NULL);
        for (const char *n; dd && (n = g_dir_read_name (dd)) && found->len < 256;) {
            g_autofree char *f = g_build_filename (dirs->pdata[i], n, NULL);
            g_autofree char *text = NULL;
            gsize len = 0;
            if (!g_str_has_suffix (n, ".json") || strcmp (f, canon) == 0 ||
                !g_file_test (f, G_FILE_TEST_IS_REGULAR) ||
                !g_file_get_contents (f, &text, &len, NULL) || !strstr (text, base))
                continue;
            g_ptr_array_add (found, g_steal_pointer (&f));
        }
    }
    g_ptr_array_sort (found, compare_paths);
    return g_steal_pointer (&found);
}

/* A file that includes @l (another argument that loaded, else a neighbour that loads): lint
 * that one instead, keeping the warnings written in @l's file. */
static gboolean
find_context (Linted *l, Linted *all, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (all[i].s && !all[i].context && reads_file (all[i].s, l->canon)) {
            l->context = g_strdup (all[i].path);
            l->s = fsim_loader_load (all[i].path, NULL, NULL);
            return l->s != NULL;
        }
    g_autoptr (GPtrArray) near = neighbours (l->canon);
    for (guint i = 0; i < near->len; i++) {
        FsimScenario *s = fsim_loader_load (near->pdata[i], NULL, NULL);
        if (s && reads_file (s, l->canon)) {
            g_autofree char *cwd = g_get_current_dir ();
            const char *f = near->pdata[i];
            size_t k = strlen (cwd);
            l->context = g_strdup (strncmp (f, cwd, k) == 0 && f[k] == '/' ? f + k + 1 : f);
            l->s = s;
            return TRUE;
        }
        fsim_scenario_free (s);
    }
    return FALSE;
}

/* "LOC\x1fMESSAGE": a warning told apart from the others (transfer full). */
static char *
warning_key (const FsimLintWarning *w)
{
    g_autofree char *loc = fsim_i_loc_string (w->loc);
    return g_strconcat (loc, "\x1f", w->message, NULL);
}

/* The warnings of @s for @l: all of them, or in a context only those written in @l's own file
 * (transfer full); NULL when memory runs out, with @error naming the file. */
static GArray *
lint_warnings (const Linted *l, const FsimScenario *s, GError **error)
{
    GArray *warnings = fsim_lint_run (s, error);
    if (warnings == NULL) {
        g_prefix_error (error, "%s: ", l->context ? l->context : l->path);
        return NULL;
    }
    for (guint i = warnings->len; l->context && i-- > 0;) {
        const FsimLintWarning *w = &g_array_index (warnings, FsimLintWarning, i);
        g_autofree char *canon = g_canonicalize_filename (w->loc.file, NULL);
        if (strcmp (canon, l->canon) != 0)
            g_array_remove_index (warnings, i);
    }
    return warnings;
}

/* Whether @error says memory ran out (the loader's estimates and tried allocations, lint's). */
static gboolean
ran_out (const GError *error)
{
    return g_error_matches (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_NOMEM) ||
           strstr (error->message, "out of memory") != NULL;
}

/* Each alternative costs a load and a lint: a file with thousands of claims (the loader allows
 * 256 of 64 alternatives) would take minutes, so beyond this many the rest are counted, and
 * the summary says they were not linted. */
#define MAX_ALTERNATIVES 64

/* Every alternative that is not in force, applied alone (the other claims as in force) to what
 * @l linted: it must load, and its warnings that the alternatives in force do not give are
 * kept. The same file, with "choices.CLAIM=ALT" as --claim gives it. */
static void
lint_alternatives (Linted *l)
{
    const char *path = l->context ? l->context : l->path;
    g_autoptr (GHashTable) in_force = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    for (guint i = 0; i < l->warnings->len; i++)
        g_hash_table_add (in_force, warning_key (&g_array_index (l->warnings, FsimLintWarning, i)));
    l->alternatives = g_ptr_array_new_with_free_func (alt_linted_free);
    g_autoptr (FsimLoaderBase) base = NULL; /* the files read once for all the alternatives */
    for (size_t c = 0; c < l->s->n_claims; c++) {
        const FsimClaim *claim = &l->s->claims[c];
        for (size_t a = 0; a < claim->n_alternatives; a++) {
            if (a == claim->chosen)
                continue;
            if (l->alternatives->len == MAX_ALTERNATIVES || l->out_of_memory) {
                l->alternatives_skipped++;
                continue;
            }
            AltLinted *alt = g_new0 (AltLinted, 1);
            alt->claim = claim->id;
            alt->alternative = claim->alternatives[a].id;
            g_ptr_array_add (l->alternatives, alt);
            g_autofree char *set = g_strdup_printf ("choices.%s=%s", alt->claim, alt->alternative);
            const char *const sets[] = { set, NULL };
            if (!base)
                base = fsim_loader_base_new (path);
            /* freed once linted: 64 models at the limits held at once took 1.1 GB (seventh
             * pass); the warnings keep their files' names interned (a name a file) */
            g_autoptr (FsimScenario) s = base ? fsim_loader_base_load (base, sets, &alt->error)
                                              : fsim_loader_load (path, sets, &alt->error);
            if (s == NULL) {
                l->out_of_memory = ran_out (alt->error);
                continue;
            }
            alt->warnings = lint_warnings (l, s, &alt->error);
            for (guint i = alt->warnings ? alt->warnings->len : 0; i-- > 0;) {
                FsimLintWarning *w = &g_array_index (alt->warnings, FsimLintWarning, i);
                g_autofree char *key = warning_key (w);
                if (g_hash_table_contains (in_force, key))
                    g_array_remove_index (alt->warnings, i);
                else
                    w->loc.file = g_intern_string (w->loc.file);
            }
            /* the next would run out too: one error, not one per alternative (seventh pass) */
            l->out_of_memory = alt->error != NULL && ran_out (alt->error);
        }
    }
}

/* Lints @l with the alternatives in force, then with each of the others. */
static void
lint_one (Linted *l)
{
    g_autoptr (GError) error = NULL;
    l->warnings = lint_warnings (l, l->s, &error);
    if (l->warnings == NULL) {
        g_clear_error (&l->error); /* the file's own, when it was to be linted in a context */
        l->error = g_steal_pointer (&error);
        l->lint_failed = TRUE;
        g_clear_pointer (&l->s, fsim_scenario_free);
        return;
    }
    lint_alternatives (l);
}

/* A warning already printed for an earlier file (a policy two files include)? @alt: the
 * alternative it was found under, or NULL for those in force. */
static gboolean
seen_before (GHashTable *seen, const FsimLintWarning *w, const AltLinted *alt)
{
    g_autofree char *key = warning_key (w);
    if (alt == NULL)
        return !g_hash_table_add (seen, g_steal_pointer (&key));
    return !g_hash_table_add (
        seen, g_strconcat (key, "\x1f", alt->claim, "\x1f", alt->alternative, NULL));
}

/* "with claim 'C' = 'A': ", before a message found under an alternative not in force. */
static void
append_alt_name (GString *out, const AltLinted *alt)
{
    g_string_append (out, "with claim '");
    fsim_i_append_clean (out, alt->claim);
    g_string_append (out, "' = '");
    fsim_i_append_clean (out, alt->alternative);
    g_string_append (out, "': ");
}

/* "FILE:LINE:COL: error: MESSAGE" for each line of a load error; @alt: the alternative not in
 * force it came with ("error: with claim 'C' = 'A': MESSAGE"), or NULL. */
static void
text_errors (const GError *error, const AltLinted *alt, GString *out)
{
    g_auto (GStrv) lines = g_strsplit (error->message, "\n", -1);
    for (char **l = lines; *l; l++) {
        const char *sep = strstr (*l, ": ");
        g_autofree char *loc = sep ? g_strndup (*l, (gsize) (sep - *l)) : NULL;
        if (loc)
            fsim_i_append_clean (out, loc);
        g_string_append (out, loc ? ": error: " : "error: ");
        if (alt)
            append_alt_name (out, alt);
        fsim_i_append_clean (out, loc ? sep + 2 : *l);
        g_string_append_c (out, '\n');
    }
}

/* The lines of @alt's load error, each "claim 'C', alternative 'A': FILE:LINE:COL: MESSAGE",
 * as claims --effect words it (transfer full). */
static char *
alt_error_text (const AltLinted *alt)
{
    g_auto (GStrv) lines = g_strsplit (alt->error->message, "\n", -1);
    GString *out = g_string_new (NULL);
    for (char **l = lines; *l; l++)
        g_string_append_printf (out, "%sclaim '%s', alternative '%s': %s", l == lines ? "" : "\n",
                                alt->claim, alt->alternative, *l);
    return g_string_free (out, FALSE);
}

/* The alternatives not in force: their errors and new warnings, each naming the claim and the
 * alternative, then one summary line. */
static void
text_alternatives (const Linted *l, GHashTable *seen, size_t *n, GString *out)
{
    if (l->alternatives == NULL || l->alternatives->len == 0)
        return;
    size_t warned = 0, failed = 0;
    g_autoptr (GString) names = g_string_new (NULL);
    for (guint k = 0; k < l->alternatives->len; k++) {
        const AltLinted *alt = l->alternatives->pdata[k];
        g_string_append_printf (names, "%s%s=%s", k ? ", " : "", alt->claim, alt->alternative);
        if (alt->error) {
            text_errors (alt->error, alt, out);
            failed++;
            continue;
        }
        for (guint i = 0; i < alt->warnings->len; i++) {
            const FsimLintWarning *w = &g_array_index (alt->warnings, FsimLintWarning, i);
            if (seen_before (seen, w, alt))
                continue;
            g_autofree char *loc = fsim_i_loc_string (w->loc);
            fsim_i_append_clean (out, loc);
            g_string_append (out, ": warning: ");
            append_alt_name (out, alt);
            fsim_i_append_clean (out, w->message);
            g_string_append_printf (out, " [%s]\n", fsim_lint_kind_to_string (w->kind));
            warned++;
        }
    }
    fsim_i_append_clean (out, l->path);
    g_string_append_printf (out, ": %u alternative%s not in force linted too (",
                            l->alternatives->len, l->alternatives->len == 1 ? "" : "s");
    fsim_i_append_clean (out, names->str);
    g_string_append_printf (out, "): %zu more warning%s", warned, warned == 1 ? "" : "s");
    if (failed)
        g_string_append_printf (out, "; %zu do%s not load", failed, failed == 1 ? "es" : "");
    if (l->alternatives_skipped && l->out_of_memory)
        g_string_append_printf (out, "; %zu more not linted (memory ran out)",
                                l->alternatives_skipped);
    else if (l->alternatives_skipped)
        g_string_append_printf (out, "; %zu more not linted (at most %d are)",
                                l->alternatives_skipped, MAX_ALTERNATIVES);
    g_string_append_c (out, '\n');
    *n += warned;
}

static void
text_file (const Linted *l, GHashTable *seen, size_t *n, GString *out)
{
    if (!l->s) {
        text_errors (l->error, NULL, out);
        fsim_i_append_clean (out, l->path);
        g_string_append (out, l->lint_failed ? ": could not be linted: memory ran out\n"
                                             : ": could not be linted: it does not load, and no "
                                               "file that includes it was found\n");
        return;
    }
    size_t here = 0;
    for (guint i = 0; i < l->warnings->len; i++) {
        const FsimLintWarning *w = &g_array_index (l->warnings, FsimLintWarning, i);
        if (seen_before (seen, w, NULL))
            continue;
        g_autofree char *loc = fsim_i_loc_string (w->loc);
        fsim_i_append_clean (out, loc);
        g_string_append (out, ": warning: ");
        fsim_i_append_clean (out, w->message);
        g_string_append_printf (out, " [%s]\n", fsim_lint_kind_to_string (w->kind));
        here++;
    }
    fsim_i_append_clean (out, l->path);
    g_string_append_printf (out, ": %zu warning%s", here, here == 1 ? "" : "s");
    if (l->context) {
        g_string_append (out, " (a fragment that does not load alone: linted as part of ");
        fsim_i_append_clean (out, l->context);
        g_string_append (out, ", which includes it)");
    }
    g_string_append_c (out, '\n');
    if (l->s->n_claims > 0) { /* what the warnings rest on, as every report says */
        g_autofree char *claims = fsim_claims_report_csv_cell (l->s);
        fsim_i_append_clean (out, l->path);
        g_string_append (out, ": claims in force: ");
        fsim_i_append_clean (out, claims);
        g_string_append_c (out, '\n');
    }
    *n += here;
    text_alternatives (l, seen, n, out);
}

/* The warnings of @warnings not printed before; @alt: the alternative they were found under
 * (its "claim" and "alternative" keys), or NULL for those in force. */
static void
json_warning_list (const GArray *warnings, const AltLinted *alt, GHashTable *seen, size_t *n,
                   FsimJsonWriter *w)
{
    for (guint i = 0; warnings && i < warnings->len; i++) {
        const FsimLintWarning *x = &g_array_index (warnings, FsimLintWarning, i);
        if (seen_before (seen, x, alt))
            continue;
        fsim_jw_item (w);
        fsim_jw_open (w, '{');
        fsim_jw_str (w, "kind", fsim_lint_kind_to_string (x->kind));
        fsim_jw_str (w, "file", x->loc.file);
        fsim_jw_uint (w, "line", (guint64) MAX (x->loc.line, 0));
        fsim_jw_uint (w, "col", (guint64) MAX (x->loc.col, 0));
        fsim_jw_str (w, "message", x->message);
        if (alt) {
            fsim_jw_str (w, "claim", alt->claim);
            fsim_jw_str (w, "alternative", alt->alternative);
        }
        fsim_jw_close (w, '}');
        (*n)++;
    }
}

static void
json_warnings (const Linted *l, GHashTable *seen, size_t *n, FsimJsonWriter *w)
{
    json_warning_list (l->warnings, NULL, seen, n, w);
    for (guint k = 0; l->alternatives && k < l->alternatives->len; k++) {
        const AltLinted *alt = l->alternatives->pdata[k];
        json_warning_list (alt->warnings, alt, seen, n, w);
    }
}

/* A "errors" member: the lines of @text, one located error each. */
static void
json_errors (const char *text, FsimJsonWriter *w)
{
    g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
    fsim_jw_key (w, "errors");
    fsim_jw_open (w, '[');
    for (char **x = lines; *x; x++) {
        fsim_jw_item (w);
        fsim_json_string (w->out, *x);
    }
    fsim_jw_close (w, ']');
}

/* "alternatives": each alternative not in force, "linted" (with its "warnings" count, those the
 * alternatives in force do not give) or "failed" (with "errors"). */
static void
json_alternatives (const Linted *l, FsimJsonWriter *w)
{
    if (l->alternatives == NULL)
        return;
    fsim_jw_key (w, "alternatives");
    fsim_jw_open (w, '[');
    for (guint k = 0; k < l->alternatives->len; k++) {
        const AltLinted *alt = l->alternatives->pdata[k];
        fsim_jw_item (w);
        fsim_jw_open (w, '{');
        fsim_jw_str (w, "claim", alt->claim);
        fsim_jw_str (w, "alternative", alt->alternative);
        fsim_jw_str (w, "status", alt->error ? "failed" : "linted");
        g_autofree char *errors = alt->error ? alt_error_text (alt) : NULL;
        if (errors)
            json_errors (errors, w);
        else
            fsim_jw_uint (w, "warnings", alt->warnings->len);
        fsim_jw_close (w, '}');
    }
    fsim_jw_close (w, ']');
    fsim_jw_uint (w, "alternatives_not_linted", l->alternatives_skipped);
}

/* "files": one entry per argument: "linted", "linted_in_context" (with "context") or
 * "failed" (with "errors", one located line each). */
static void
json_files (const Linted *all, size_t n, FsimJsonWriter *w)
{
    fsim_jw_key (w, "files");
    fsim_jw_open (w, '[');
    for (size_t i = 0; i < n; i++) {
        const Linted *l = &all[i];
        fsim_jw_item (w);
        fsim_jw_open (w, '{');
        fsim_jw_str (w, "file", l->path);
        fsim_jw_str (w, "status", !l->s ? "failed" : l->context ? "linted_in_context" : "linted");
        if (l->context)
            fsim_jw_str (w, "context", l->context);
        if (l->s) {
            fsim_claims_report_json (w, l->s);
            json_alternatives (l, w);
        }
        if (l->error)
            json_errors (l->error->message, w);
        fsim_jw_close (w, '}');
    }
    fsim_jw_close (w, ']');
}

/* Lints every file, going on past those that cannot load. Returns: FSIM_EXIT_OK, or
 * FSIM_EXIT_INPUT with @error listing the files that failed (the report is still made). */
static FsimExit
lint_run (const LintOptions *o, gboolean json, size_t *n, GString *out, GError **error)
{
    g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    size_t count = g_strv_length (o->args);
    Linted *all = g_new0 (Linted, count);
    for (size_t i = 0; i < count; i++) {
        all[i].path = o->args[i];
        all[i].canon = g_canonicalize_filename (o->args[i], NULL);
        all[i].s = fsim_loader_load (o->args[i], NULL, &all[i].error);
    }
    g_autoptr (GString) failures = g_string_new (NULL);
    for (size_t i = 0; i < count; i++) {
        if (!all[i].s && !find_context (&all[i], all, count))
            g_string_append_printf (failures, "%s%s", failures->len ? "\n" : "",
                                    all[i].error->message);
        if (all[i].s)
            lint_one (&all[i]);
        if (all[i].lint_failed)
            g_string_append_printf (failures, "%s%s", failures->len ? "\n" : "",
                                    all[i].error->message);
        for (guint k = 0; all[i].alternatives && k < all[i].alternatives->len; k++) {
            const AltLinted *alt = all[i].alternatives->pdata[k];
            g_autofree char *errors = alt->error ? alt_error_text (alt) : NULL;
            if (errors)
                g_string_append_printf (failures, "%s%s", failures->len ? "\n" : "", errors);
        }
    }
    FsimJsonWriter w = { .out = out };
    if (json) {
        fsim_jw_open (&w, '{');
        fsim_jw_str (&w, "flowsim", FSIM_VERSION);
        fsim_jw_key (&w, "warnings");
        fsim_jw_open (&w, '[');
    }
    for (size_t i = 0; i < count; i++) {
        if (json)
            json_warnings (&all[i], seen, n, &w);
        else
            text_file (&all[i], seen, n, out);
    }
    if (json) {
        fsim_jw_close (&w, ']');
        fsim_jw_uint (&w, "count", *n);
        json_files (all, count, &w);
        fsim_jw_close (&w, '}');
        g_string_append_c (out, '\n');
    }
    for (size_t i = 0; i < count; i++)
        linted_clear (&all[i]);
    g_free (all);
    if (failures->len == 0)
        return FSIM_EXIT_OK;
    g_set_error_literal (error, FSIM_CLI_ERROR, FSIM_CLI_ERROR_INPUT, failures->str);
    return FSIM_EXIT_INPUT;
}

static FsimExit
cmd_lint (int argc, char **argv, GError **error)
{
    LintOptions o = { 0 };
    gboolean json = FALSE;
    size_t n = 0;
    g_autoptr (GString) out = g_string_new (NULL);
    FsimExit status = lint_parse (argc, argv, &o, &json, error);
    if (status == FSIM_EXIT_OK && o.help) {
        g_autoptr (GOptionContext) context = lint_context (&o);
        status = fsim_i_cmd_print_help (context, "lint", error);
    } else if (status == FSIM_EXIT_OK) {
        g_autoptr (GError) failed = NULL;
        status = lint_run (&o, json, &n, out, &failed);
        /* the report is written even when some file failed: CI shows it as a failed case */
        if (status == FSIM_EXIT_OK || failed)
            status = fsim_i_cmd_output (o.output, out, error);
        if (status == FSIM_EXIT_OK && failed) {
            g_propagate_error (error, g_steal_pointer (&failed));
            status = FSIM_EXIT_INPUT;
        }
        if (status == FSIM_EXIT_OK && o.strict && n > 0)
            status = FSIM_EXIT_CHECKS_FAILED;
    }
    g_free (o.format);
    g_free (o.output);
    g_strfreev (o.args);
    return status;
}

const FsimCommand fsim_cmd_lint = {
    "lint",
    "Warn about rules, scopes and fields that can do nothing",
    cmd_lint,
    lint_help,
};
