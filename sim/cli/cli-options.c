/* SPDX-License-Identifier: MIT */
/* cli-options.c: option parsing, help and output shared by the subcommands (sim/cmd-*.c). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "cli-private.h"
#include "import.h"
#include "lint.h"
#include "loader.h"
#include "memory.h"
#include "scenario.h"
#include "text.h"

/* Accepted by every command: --version (answered by the dispatcher before the command runs,
 * listed here for the help) and --quiet where a command has no --quiet of its own (it then
 * prints nothing but its output and errors anyway). */
static gboolean common_version, common_quiet;

static gboolean
has_long (const GOptionEntry *entries, const char *name)
{
    for (const GOptionEntry *e = entries; e->long_name; e++)
        if (strcmp (e->long_name, name) == 0)
            return TRUE;
    return FALSE;
}

/*
 * The numbers options take (--port, --jobs, --sample, --threads, --timeout ...) are read here,
 * not by GLib: GLib reads integers with strtol's base 0, so `--port 017761` listened on port
 * 8177 (octal) and `--jobs 0x10` ran 16 jobs, and it says what is wrong in its own words and
 * quotes ("Cannot parse integer value “x” for --port", translated where the rest is English).
 * A whole number is decimal digits with an optional sign; a number of seconds is written as in
 * JSON. Each command still checks the range it accepts.
 */
typedef struct {
    GArray *entries; /* the numeric GOptionEntry of the command, as it gave them */
} NumberOptions;

static void
number_options_free (gpointer data)
{
    NumberOptions *n = data;
    g_array_unref (n->entries);
    g_free (n);
}

static const GOptionEntry *
number_entry (const NumberOptions *n, const char *option_name)
{
    for (guint i = 0; i < n->entries->len; i++) {
        const GOptionEntry *e = &g_array_index (n->entries, GOptionEntry, i);
        if (g_str_has_prefix (option_name, "--") ? strcmp (option_name + 2, e->long_name) == 0
                                                 : option_name[1] == e->short_name)
            return e;
    }
    return NULL;
}

/* A number as JSON writes it ("-0.5", "30", "1e3"): not " 30", "0x1e", "inf" or "30s". */
static gboolean
json_number_text (const char *text)
{
    const char *p = text + (*text == '-');
    if (!g_ascii_isdigit (*p))
        return FALSE;
    while (g_ascii_isdigit (*p))
        p++;
    if (*p == '.' && !g_ascii_isdigit (*++p))
        return FALSE;
    while (g_ascii_isdigit (*p))
        p++;
    if (*p == 'e' || *p == 'E') {
        p += p[1] == '+' || p[1] == '-' ? 2 : 1;
        if (!g_ascii_isdigit (*p))
            return FALSE;
        while (g_ascii_isdigit (*p))
            p++;
    }
    return *p == '\0';
}

static gboolean
number_option (const char *option_name, const char *value, gpointer data, GError **error)
{
    const GOptionEntry *e = number_entry (data, option_name);
    g_return_val_if_fail (e != NULL, FALSE);
    if (e->arg == G_OPTION_ARG_DOUBLE) {
        double v = json_number_text (value) ? g_ascii_strtod (value, NULL) : NAN;
        if (isnan (v))
            g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                         "%s '%s' is not a number (expected decimal digits, as in 30 or 0.5)",
                         option_name, value);
        else if (isinf (v))
            g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                         "%s '%s': too large a number", option_name, value);
        else
            *(double *) e->arg_data = v;
        return isfinite (v);
    }
    gint64 lo = e->arg == G_OPTION_ARG_INT ? G_MININT : G_MININT64;
    gint64 hi = e->arg == G_OPTION_ARG_INT ? G_MAXINT : G_MAXINT64;
    gint64 v = 0;
    g_autoptr (GError) local = NULL;
    if (!g_ascii_string_to_signed (value, 10, lo, hi, &v, &local)) {
        if (g_error_matches (local, G_NUMBER_PARSER_ERROR, G_NUMBER_PARSER_ERROR_OUT_OF_BOUNDS))
            g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                         "%s '%s': too %s a number", option_name, value,
                         *value == '-' ? "small" : "large");
        else
            g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                         "%s '%s' is not a whole number (expected decimal digits only)",
                         option_name, value);
        return FALSE;
    }
    if (e->arg == G_OPTION_ARG_INT)
        *(int *) e->arg_data = (int) v;
    else
        *(gint64 *) e->arg_data = v;
    return TRUE;
}

GOptionContext *
fsim_i_cmd_context (const char *name, const char *parameters, const GOptionEntry *entries,
                    const char *summary, const char *description)
{
    GOptionContext *context = g_option_context_new (parameters);
    const GOptionEntry common[] = {
        { "quiet", 'q', 0, G_OPTION_ARG_NONE, &common_quiet,
          "Print nothing but the output and errors", NULL },
        { "version", 0, 0, G_OPTION_ARG_NONE, &common_version, "Show the version", NULL },
    };
    g_autoptr (GArray) all = g_array_new (TRUE, TRUE, sizeof (GOptionEntry));
    NumberOptions *numbers = g_new0 (NumberOptions, 1);
    numbers->entries = g_array_new (FALSE, FALSE, sizeof (GOptionEntry));
    for (const GOptionEntry *e = entries; e->long_name; e++) {
        GOptionEntry copy = *e;
        if (e->arg == G_OPTION_ARG_INT || e->arg == G_OPTION_ARG_INT64 ||
            e->arg == G_OPTION_ARG_DOUBLE) {
            g_array_append_val (numbers->entries, *e);
            copy.arg = G_OPTION_ARG_CALLBACK;
            copy.arg_data = (gpointer) number_option;
        }
        g_array_append_val (all, copy);
    }
    for (size_t i = 0; i < G_N_ELEMENTS (common); i++)
        if (!has_long (entries, common[i].long_name))
            g_array_append_val (all, common[i]);
    /* Our own --help: GLib's would print and exit() from inside the parser. */
    g_option_context_set_help_enabled (context, FALSE);
    GOptionGroup *main_group = g_option_group_new (name, NULL, NULL, numbers, number_options_free);
    g_option_group_add_entries (main_group, (const GOptionEntry *) all->data);
    g_option_context_set_main_group (context, main_group);
    if (summary)
        g_option_context_set_summary (context, summary);
    if (description)
        g_option_context_set_description (context, description);
    return context;
}

/* GLib's help names the program by its prgname, in the usage line: make it "flowsim NAME". */
static void
set_prgname (const char *name)
{
    g_autofree char *prg = g_strconcat ("flowsim ", name, NULL);
    g_set_prgname (prg);
}

char *
fsim_i_cmd_help (GOptionContext *context, const char *name)
{
    set_prgname (name);
    g_autofree char *options = g_option_context_get_help (context, TRUE, NULL);
    return g_strconcat (options, fsim_i_cli_exit_status_help, NULL);
}

/* The long option of @context closest to the one GLib's @message ("Unknown option --fromat")
 * names, as "--format" (transfer full), or NULL. The options are read from the help text,
 * which lists every one of them. */
static char *
closest_option (GOptionContext *context, const char *message)
{
    const char *bad = strstr (message, "--");
    if (bad == NULL)
        return NULL;
    g_autofree char *word = g_strndup (bad + 2, strcspn (bad + 2, "= "));
    g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);
    g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
    for (const char *p = help; (p = strstr (p, " --")) != NULL; p += 3) {
        size_t n = strspn (p + 3, "abcdefghijklmnopqrstuvwxyz0123456789-");
        if (n > 0)
            g_ptr_array_add (names, g_strndup (p + 3, n));
    }
    const char *near = fsim_text_closest (word, (const char *const *) names->pdata, names->len);
    return near ? g_strconcat ("--", near, NULL) : NULL;
}

FsimExit
fsim_i_cmd_parse (GOptionContext *context, const char *name, int argc, char **argv, GError **error)
{
    /* The parser rearranges and frees what it consumes: give it a copy, argv is the caller's. */
    g_auto (GStrv) args = g_new0 (char *, (size_t) argc + 1);
    g_autoptr (GError) local = NULL;
    for (int i = 0; i < argc; i++)
        args[i] = g_strdup (argv[i]);
    set_prgname (name);
    if (!g_option_context_parse_strv (context, &args, &local)) {
        g_autofree char *near = NULL;
        if (g_error_matches (local, G_OPTION_ERROR, G_OPTION_ERROR_UNKNOWN_OPTION))
            near = closest_option (context, local->message);
        return near ? fsim_i_cli_usage_error (error, "%s (did you mean %s?)", local->message, near)
                    : fsim_i_cli_usage_error (error, "%s", local->message);
    }
    return FSIM_EXIT_OK;
}

FsimExit
fsim_i_cmd_check_sets (char **sets, GError **error)
{
    for (char **set = sets; set && *set; set++)
        if (strchr (*set, '=') == NULL || **set == '=')
            return fsim_i_cli_usage_error (error, "--set '%s' is not PATH=VALUE", *set);
    return FSIM_EXIT_OK;
}

FsimExit
fsim_i_cmd_check_overrides (char ***sets, char **claims, GError **error)
{
    FsimExit status = fsim_i_cmd_check_sets (*sets, error);
    if (status != FSIM_EXIT_OK || !claims || !claims[0])
        return status;
    for (char **claim = claims; *claim; claim++) {
        const char *eq = strchr (*claim, '=');
        if (eq == NULL || eq == *claim || eq[1] == '\0')
            return fsim_i_cli_usage_error (error, "--claim '%s' is not CLAIM=ALTERNATIVE", *claim);
        /* two alternatives of one claim: the reader could not tell which one the numbers use */
        for (char **before = claims; before < claim; before++)
            if (strncmp (*before, *claim, (size_t) (eq - *claim) + 1) == 0 &&
                strcmp (*before, *claim) != 0)
                return fsim_i_cli_usage_error (error,
                                               "--claim '%s' and --claim '%s' choose two "
                                               "alternatives of one claim: choose one",
                                               *before, *claim);
    }
    GPtrArray *all = g_ptr_array_new ();
    for (char **set = *sets; set && *set; set++)
        g_ptr_array_add (all, g_steal_pointer (set));
    for (char **claim = claims; *claim; claim++)
        g_ptr_array_add (all, g_strconcat ("choices.", *claim, NULL));
    g_ptr_array_add (all, NULL);
    g_free (*sets); /* its strings moved into @all */
    *sets = (char **) g_ptr_array_free (all, FALSE);
    return FSIM_EXIT_OK;
}

gboolean
fsim_i_cmd_check_scenario_args (char *const *args, GError **error)
{
    if (args && args[0] && args[1]) {
        fsim_i_cli_usage_error (error, "unexpected argument '%s'", args[1]);
        return FALSE;
    }
    return TRUE;
}

char *
fsim_i_cmd_scenario_path (char *const *args)
{
    return args && args[0] ? g_strdup (args[0]) : fsim_cli_default_scenario_path ();
}

FsimExit
fsim_i_cmd_print_help (GOptionContext *context, const char *name, GError **error)
{
    g_autofree char *help = fsim_i_cmd_help (context, name);
    return fsim_i_cli_write_stdout (help, strlen (help), error) ? FSIM_EXIT_OK : FSIM_EXIT_INTERNAL;
}

FsimExit
fsim_i_cmd_output (const char *output, const GString *text, GError **error)
{
    return fsim_i_cli_write_output (output, text, error) ? FSIM_EXIT_OK : FSIM_EXIT_INTERNAL;
}

/* ---- --max-graph-size ---------------------------------------------------------------------- */

/* The units a size may end with: powers of 1024, so that "4G" and "4GiB" are the same. */
static const struct {
    const char *name;
    unsigned shift;
} size_units[] = {
    { "", 0 },     { "B", 0 },  { "K", 10 },   { "KiB", 10 }, { "M", 20 },
    { "MiB", 20 }, { "G", 30 }, { "GiB", 30 }, { "T", 40 },   { "TiB", 40 },
};

/* @text as a number of bytes: digits, then one of size_units (any case). FALSE with *@out_why
 * (static) when it is not one. */
static gboolean
parse_size (const char *text, guint64 *out_bytes, const char **out_why)
{
    const char *unit = text;
    guint64 n = 0;

    while (g_ascii_isdigit (*unit)) {
        if (n > (G_MAXUINT64 - 9) / 10) {
            *out_why = "too large a number";
            return FALSE;
        }
        n = n * 10 + (guint64) (*unit++ - '0');
    }
    if (unit == text) {
        *out_why = "expected a whole number of bytes, with K, M, G or T (KiB, MiB, GiB, TiB) after "
                   "it if you like: 4GiB";
        return FALSE;
    }
    while (*unit == ' ')
        unit++;
    for (size_t i = 0; i < G_N_ELEMENTS (size_units); i++) {
        if (g_ascii_strcasecmp (unit, size_units[i].name) != 0)
            continue;
        if (n > G_MAXUINT64 >> size_units[i].shift) {
            *out_why = "too large a number";
            return FALSE;
        }
        *out_bytes = n << size_units[i].shift;
        return TRUE;
    }
    /* "4GB" could mean 4 * 10^9 or 4 * 2^30: said, not guessed */
    if (*unit == '.' || *unit == ',')
        *out_why = "expected a whole number (4096MiB, not 4.0GiB)";
    else if (strchr (unit, 'b') || strchr (unit, 'B'))
        *out_why = "the units are powers of 1024, written K, M, G, T or KiB, MiB, GiB, TiB (4G or "
                   "4GiB)";
    else
        *out_why = "expected a whole number of bytes, with K, M, G or T (KiB, MiB, GiB, TiB) after "
                   "it if you like: 4GiB";
    return FALSE;
}

/* GOptionArgFunc of --max-graph-size: sets the limit at once (a usage error if it cannot). */
static gboolean
max_graph_size_arg (const char *option, const char *value, gpointer data, GError **error)
{
    const char *why = NULL;
    guint64 bytes = 0;

    (void) data;
    if (!parse_size (value, &bytes, &why) || bytes == 0) {
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "%s '%s': %s", option, value,
                     why ? why : "the limit must be at least 1 byte");
        return FALSE;
    }
    if (!fsim_import_set_edge_list_max_bytes (bytes)) {
        g_autofree char *most = fsim_memory_size_text ((double) FSIM_IMPORT_EDGE_LIST_CEILING);
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                     "%s '%s': more than %s, the most one process reads of an edge list (under "
                     "mpirun each rank reads its part: more ranks read more)",
                     option, value, most);
        return FALSE;
    }
    return TRUE;
}

gpointer
fsim_i_cli_max_graph_size_callback (void)
{
    /* GOptionEntry keeps a callback in a gpointer, which ISO C cannot cast a function to */
    union {
        GOptionArgFunc func;
        gpointer data;
    } u = { .func = max_graph_size_arg };
    return u.data;
}

/* ---- focus: --partner, --field, --jurisdiction ------------------------------------------ */

void
fsim_i_focus_add_entries (GOptionContext *context, FsimFocusOptions *o)
{
    const GOptionEntry entries[] = {
        { "partner", 'p', 0, G_OPTION_ARG_FILENAME_ARRAY, &o->partner,
          "Only this partner, or those a selector selects (an id, a glob, kind:K, tag:T; "
          "repeatable)",
          "SEL" },
        { "field", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o->field,
          "Only this field, or the fields a field pattern selects (profile, profile.*, *.name; "
          "repeatable)",
          "SEL" },
        { "jurisdiction", 'j', 0, G_OPTION_ARG_FILENAME, &o->jurisdiction,
          "Only flows that land in this jurisdiction (a country code such as CN, or device)", "J" },
        { 0 },
    };
    g_option_context_add_main_entries (context, entries, NULL);
}

void
fsim_i_focus_options_clear (FsimFocusOptions *o)
{
    g_clear_pointer (&o->partner, g_strfreev);
    g_clear_pointer (&o->field, g_strfreev);
    g_clear_pointer (&o->jurisdiction, g_free);
}

gboolean
fsim_i_focus_given (const FsimFocusOptions *o)
{
    return o && (o->partner || o->field || o->jurisdiction);
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
    return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* The places where the destinations of @s keep data ("device" for a device), sorted, each once. */
static GPtrArray *
jurisdictions_of (const FsimScenario *s)
{
    GPtrArray *seen = g_ptr_array_new ();
    for (size_t p = 0; p < s->n_partners; p++)
        for (size_t d = 0; d < s->partners[p].n_destinations; d++) {
            const FsimDestination *x = &s->partners[p].destinations[d];
            const char *here = x->on_device ? "device" : x->jurisdiction;
            if (here)
                g_ptr_array_add (seen, (gpointer) here);
        }
    g_ptr_array_sort (seen, compare_strings);
    guint kept = 0;
    for (guint i = 0; i < seen->len; i++)
        if (kept == 0 || strcmp (seen->pdata[kept - 1], seen->pdata[i]) != 0)
            seen->pdata[kept++] = seen->pdata[i];
    g_ptr_array_set_size (seen, kept);
    return seen;
}

FsimExit
fsim_i_cli_check_partner (const FsimScenario *s, const char *option, const char *sel,
                          FsimWord **bits, GError **error)
{
    g_autofree FsimWord *found = fsim_scenario_select_partners (s, sel);
    if (!found)
        return fsim_i_cli_usage_error (error,
                                       "%s '%s' selects no partner of the scenario (an id, a "
                                       "glob, kind:K or tag:T)",
                                       option, sel);
    if (bits)
        *bits = g_steal_pointer (&found);
    return FSIM_EXIT_OK;
}

FsimExit
fsim_i_cli_check_jurisdiction (const FsimScenario *s, const char *j, GError **error)
{
    g_autoptr (GPtrArray) known = jurisdictions_of (s);
    g_autoptr (GString) list = g_string_new (NULL);
    for (guint i = 0; i < known->len; i++) {
        if (strcmp (known->pdata[i], j) == 0)
            return FSIM_EXIT_OK;
        g_string_append_printf (list, "%s%s", i ? ", " : "", (const char *) known->pdata[i]);
    }
    if (!known->len)
        return fsim_i_cli_usage_error (
            error, "--jurisdiction '%s': no destination of the scenario keeps data anywhere", j);
    return fsim_i_cli_usage_error (error,
                                   "--jurisdiction '%s': no destination of the scenario keeps "
                                   "data there (data is kept in: %s)",
                                   j, list->str);
}

FsimExit
fsim_i_focus_resolve (const FsimFocusOptions *o, const FsimScenario *s, FsimFocus *out,
                      GError **error)
{
    fsim_focus_clear (out);
    if (!fsim_i_focus_given (o))
        return FSIM_EXIT_OK;
    g_autoptr (GString) what = g_string_new (NULL);
    /* each selector must select something; the focus is what any of them selects */
    for (char **sel = o->partner; sel && *sel; sel++) {
        g_autofree FsimWord *bits = NULL;
        FsimExit status = fsim_i_cli_check_partner (s, "--partner", *sel, &bits, error);
        if (status != FSIM_EXIT_OK)
            return status;
        if (out->partners)
            fsim_bits_or (out->partners, bits, s->partner_words);
        else
            out->partners = g_steal_pointer (&bits);
        g_string_append_printf (what, "%s%s", sel == o->partner ? "partner " : " or ", *sel);
    }
    for (char **sel = o->field; sel && *sel; sel++) {
        g_autofree FsimWord *bits = fsim_scenario_select_fields (s, *sel);
        if (!bits)
            return fsim_i_cli_usage_error (error, "--field '%s' selects no field of the scenario",
                                           *sel);
        if (out->fields)
            fsim_bits_or (out->fields, bits, s->field_words);
        else
            out->fields = g_steal_pointer (&bits);
        g_string_append_printf (what, "%s%s",
                                sel != o->field ? " or "
                                : what->len     ? ", field "
                                                : "field ",
                                *sel);
    }
    if (o->jurisdiction) {
        FsimExit status = fsim_i_cli_check_jurisdiction (s, o->jurisdiction, error);
        if (status != FSIM_EXIT_OK)
            return status;
        out->jurisdiction = g_strdup (o->jurisdiction);
        g_string_append_printf (what, "%sjurisdiction %s", what->len ? ", " : "", o->jurisdiction);
    }
    out->description = g_strdup (what->str);
    return FSIM_EXIT_OK;
}

/* ---- overrides that can do nothing ------------------------------------------------------ */

void
fsim_i_warn_overrides_of (const char *path, const char *const *sets)
{
    if (!sets || !sets[0])
        return;
    g_autofree char *default_path = path ? NULL : fsim_cli_default_scenario_path ();
    g_autoptr (FsimScenario) with_sets = fsim_loader_load (path ? path : default_path, sets, NULL);
    if (with_sets)
        fsim_i_warn_overrides (with_sets->path, sets, with_sets);
}

void
fsim_i_warn_overrides (const char *path, const char *const *sets, const FsimScenario *with_sets)
{
    fsim_i_warn_overrides_once (path, sets, with_sets, NULL);
}

void
fsim_i_warn_overrides_once (const char *path, const char *const *sets,
                            const FsimScenario *with_sets, GHashTable *said)
{
    static const char *const unread[] = { "expect", NULL };
    if (!sets || !sets[0] || !with_sets)
        return;
    fsim_i_warn_unread_sets (sets, unread, said);
    fsim_i_warn_same_value_sets (sets, with_sets, said);
    g_autoptr (FsimScenario) without = fsim_loader_load (path, NULL, NULL);
    fsim_i_warn_new_lint (without, with_sets, NULL, said);
}

/* A --set each of whose values already was what it sets: a what-if identical to its base,
 * which a user who mistyped or misremembered the model would otherwise take for an answer. */
void
fsim_i_warn_same_value_sets (const char *const *sets, const FsimScenario *with_sets,
                             GHashTable *said)
{
    size_t n = sets ? g_strv_length ((char **) sets) : 0;
    /* the --set overrides are the last ones applied, in the order given */
    for (size_t i = 0; i < n && n <= with_sets->n_overrides; i++) {
        const FsimOverride *o = &with_sets->overrides[with_sets->n_overrides - n + i];
        if (o->changed == 0 || o->unchanged < o->changed)
            continue;
        g_autofree char *line =
            o->changed == 1
                ? g_strdup_printf ("--set %s: the value it sets already is %s: this override "
                                   "changes nothing [set-same-value]",
                                   o->path, o->value)
                : g_strdup_printf ("--set %s: each of the %zu values it sets already is %s: this "
                                   "override changes nothing [set-same-value]",
                                   o->path, o->changed, o->value);
        g_autofree char *clean = fsim_text_clean (line);
        if (said && !g_hash_table_add (said, g_strdup (clean)))
            continue; /* said already */
        fprintf (stderr, "flowsim: warning: %s\n", clean);
    }
}

void
fsim_i_warn_unread_sets (const char *const *sets, const char *const *keys, GHashTable *said)
{
    fsim_i_warn_unread_option ("--set", sets, keys, said);
}

void
fsim_i_warn_unread_option (const char *option, const char *const *sets, const char *const *keys,
                           GHashTable *said)
{
    static const struct {
        const char *key, *why;
    } reasons[] = {
        { "expect", "only 'flowsim check' evaluates the expectations" },
        { "rules", "'flowsim population' builds the users alone and never evaluates the rules" },
        { "apis", "'flowsim population' builds the users alone and never reads the APIs" },
    };
    for (size_t i = 0; sets && sets[i]; i++) {
        size_t n = strcspn (sets[i], ".[=");
        const char *why = NULL;
        for (size_t k = 0; keys[k] && !why; k++)
            for (size_t r = 0; r < G_N_ELEMENTS (reasons) && !why; r++)
                if (strcmp (keys[k], reasons[r].key) == 0 && strlen (keys[k]) == n &&
                    strncmp (sets[i], keys[k], n) == 0)
                    why = reasons[r].why;
        if (!why)
            continue;
        size_t path = strcspn (sets[i], "=");
        g_autofree char *line = g_strdup_printf ("%s %.*s: %s: this override changes nothing "
                                                 "here [set-never-read]",
                                                 option, (int) path, sets[i], why);
        g_autofree char *clean = fsim_text_clean (line);
        if (said && !g_hash_table_add (said, g_strdup (clean)))
            continue; /* said already */
        fprintf (stderr, "flowsim: warning: %s\n", clean);
    }
}

GHashTable *
fsim_i_lint_messages (const FsimScenario *s)
{
    GHashTable *known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    if (s) {
        /* the warnings are advice: without the memory for them, the command goes on */
        g_autoptr (GArray) w = fsim_lint_run (s, NULL);
        for (guint i = 0; w && i < w->len; i++) {
            const FsimLintWarning *x = &g_array_index (w, FsimLintWarning, i);
            g_hash_table_add (known, g_strdup (x->message));
        }
    }
    return known;
}

void
fsim_i_warn_new_lint (const FsimScenario *before, const FsimScenario *after, const char *prefix,
                      GHashTable *said)
{
    g_autoptr (GHashTable) known = fsim_i_lint_messages (before);
    fsim_i_warn_lint_not_in (known, after, prefix, said);
}

void
fsim_i_warn_lint_not_in (GHashTable *known, const FsimScenario *after, const char *prefix,
                         GHashTable *said)
{
    g_autoptr (GArray) w = fsim_lint_run (after, NULL);
    for (guint i = 0; w && i < w->len; i++) {
        const FsimLintWarning *x = &g_array_index (w, FsimLintWarning, i);
        if (g_hash_table_contains (known, x->message))
            continue;
        /* a prefix says where an override came from better than "--set PATH" does */
        g_autofree char *line =
            prefix && g_str_has_prefix (x->loc.file, "--set ")
                ? g_strdup_printf ("%s: %s [%s]", prefix, x->message,
                                   fsim_lint_kind_to_string (x->kind))
                : g_strdup_printf ("%s%s%s:%d:%d: %s [%s]", prefix ? prefix : "",
                                   prefix ? ": " : "", x->loc.file, x->loc.line, x->loc.col,
                                   x->message, fsim_lint_kind_to_string (x->kind));
        g_autofree char *clean = fsim_text_clean (line);
        if (said && !g_hash_table_add (said, g_strdup (clean)))
            continue; /* said already */
        fprintf (stderr, "flowsim: warning: %s\n", clean);
    }
}

void
fsim_i_warn_one_more_set (FsimLoaderBase *base, const char *path, const char *const *sets,
                          const char *extra, GHashTable *known, const char *prefix,
                          GHashTable *said)
{
    g_autoptr (GPtrArray) all = g_ptr_array_new ();
    for (size_t k = 0; sets && sets[k]; k++)
        g_ptr_array_add (all, (gpointer) sets[k]);
    g_ptr_array_add (all, (gpointer) extra);
    g_ptr_array_add (all, NULL);
    const char *const *with = (const char *const *) all->pdata;
    g_autoptr (FsimScenario) after =
        base ? fsim_loader_base_load (base, with, NULL) : fsim_loader_load (path, with, NULL);
    if (after)
        fsim_i_warn_lint_not_in (known, after, prefix, said);
}
