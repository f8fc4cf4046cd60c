/* SPDX-License-Identifier: MIT */
/* cmd-check.c: `flowsim check`: verifies the "expect" assertions of scenario files. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "analysis-private.h"
#include "claims-report.h"
#include "cli-mpi.h"
#include "cmd-analysis.h"
#include "expect.h"
#include "json-writer.h"
#include "loader.h"
#include "markup.h"
#include "sim.h"
#include "table.h"

typedef enum { FORMAT_TEXT, FORMAT_TAP, FORMAT_JUNIT, FORMAT_JSON } Format;

typedef struct {
    char *format;
    char *output;
    char **sets;
    char **claims;
    char **args;
    gboolean help;
} CheckOptions;

/* One checked file. */
typedef struct {
    char *path;
    FsimSim *sim;        /* the scenario and its population (api/sim.h), owned */
    FsimScenario *s;     /* sim's, for short; NULL when it could not be loaded */
    FsimPopulation *pop; /* sim's, NULL when nothing is checked */
    FsimCheck *check;
    GArray *shown; /* under mpirun: FsimCliNeighbourhood of each result (cli-mpi.h), else NULL */
    GError *error; /* the file could not be checked (it is reported as a failed case) */
} Checked;

static void
checked_free (gpointer data)
{
    Checked *c = data;
    g_free (c->path);
    fsim_check_free (c->check);
    if (c->shown)
        g_array_unref (c->shown);
    fsim_sim_free (c->sim);
    g_clear_error (&c->error);
    g_free (c);
}

static GOptionContext *
check_context (CheckOptions *o)
{
    const GOptionEntry entries[] = {
        { "format", 'f', 0, G_OPTION_ARG_FILENAME, &o->format,
          "text (the default), tap (TAP 13), junit (JUnit XML) or json", "FORMAT" },
        { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o->output,
          "Write to FILE (replaced atomically; '-' is standard output)", "FILE" },
        { "set", 's', 0, G_OPTION_ARG_FILENAME_ARRAY, &o->sets,
          "Override a value of every scenario (repeatable)", "PATH=VALUE" },
        FSIM_CLI_CLAIM_OPTION (&o->claims),
        FSIM_CLI_MAX_GRAPH_SIZE_OPTION,
        { "help", 'h', 0, G_OPTION_ARG_NONE, &o->help, "Show this help", NULL },
        { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o->args, NULL, "FILE..." },
        { 0 },
    };
    return fsim_i_cmd_context (
        "check", NULL, entries,
        "Checks the assertions in the \"expect\" array of each scenario FILE on its population: "
        "no\nsensitive field reaches a jurisdiction, at most N users reached without consent, a "
        "field\nreaches a partner, a partner receives nothing after a date. Prints each with "
        "PASS or FAIL\nand, for a failure, a counterexample user with the route their data "
        "took. Exits with 1 if\nany assertion fails.",
        "Examples:\n"
        "  flowsim check scenarios/*.json\n"
        "  flowsim check --format junit --output check.xml scenarios/tour.json\n");
}

static char *
check_help (void)
{
    CheckOptions o = { 0 };
    g_autoptr (GOptionContext) context = check_context (&o);
    return fsim_i_cmd_help (context, "check");
}

static FsimExit
check_parse (int argc, char **argv, CheckOptions *o, Format *format, GError **error)
{
    static const char *const names[] = { "text", "tap", "junit", "json" };
    g_autoptr (GOptionContext) context = check_context (o);
    FsimExit status = fsim_i_cmd_parse (context, "check", argc, argv, error);
    if (status != FSIM_EXIT_OK || o->help)
        return status;
    if (!o->args || !o->args[0])
        return fsim_i_cli_usage_error (error, "no scenario file given");
    *format = FORMAT_TEXT;
    gboolean known = !o->format;
    for (size_t i = 0; o->format && i < G_N_ELEMENTS (names); i++)
        if (strcmp (o->format, names[i]) == 0) {
            *format = (Format) i;
            known = TRUE;
        }
    if (!known)
        return fsim_i_cli_usage_error (
            error, "unknown format '%s' (expected text, tap, junit or json)", o->format);
    return fsim_i_cmd_check_overrides (&o->sets, o->claims, error);
}

#if FSIM_HAVE_MPI
/* check_file() over the ranks; FSIM_EXIT_USAGE (with @error) ends the command. */
static FsimExit
check_file_ranks (Checked *c, const CheckOptions *o, GError **error)
{
    FsimExit status = fsim_i_cli_mpi_check (c->path, (const char *const *) o->sets, &c->sim,
                                            &c->check, &c->shown, &c->error);
    if (status == FSIM_EXIT_USAGE)
        g_propagate_error (error, g_steal_pointer (&c->error));
    if (status == FSIM_EXIT_OK)
        c->s = c->sim->scenario;
    return status;
}
#endif

/* Loads and checks one file; FALSE with c->error set when it cannot be checked. */
static gboolean
check_file (Checked *c, const CheckOptions *o)
{
    const FsimSimOptions options = { .sets = (const char *const *) o->sets };
    c->sim = fsim_sim_load (c->path, &options, &c->error);
    if (c->sim && !c->sim->scenario->id)
        g_set_error (&c->error, FSIM_CLI_ERROR, FSIM_CLI_ERROR_INPUT,
                     "%s: a policy file, not a scenario: it has no expectations", c->path);
    if (c->error) {
        g_clear_pointer (&c->sim, fsim_sim_free);
        return FALSE;
    }
    c->s = c->sim->scenario;
    if (c->s->n_expects == 0) { /* nothing to check: no population to build */
        c->check = g_new0 (FsimCheck, 1);
        c->check->results = g_array_new (FALSE, TRUE, sizeof (FsimCheckResult));
        return TRUE;
    }
    if (fsim_sim_build (c->sim, &options, &c->error))
        c->check = fsim_check_run (c->s, c->sim->pop, &c->error);
    if (c->check) {
        c->pop = c->sim->pop;
        return TRUE;
    }
    g_clear_pointer (&c->sim, fsim_sim_free);
    c->s = NULL;
    return FALSE;
}

/* Loads and checks every file, in order, going on past those that cannot be checked: they are
 * failed cases of the report, and @failures gets their errors (one located line each). Under
 * mpirun, FALSE with @error set when a file's counterexample cannot be shown over the ranks. */
static gboolean
check_files (const CheckOptions *o, GPtrArray *done, GString *failures, GError **error)
{
#if !FSIM_HAVE_MPI
    (void) error; /* only a check over the ranks can end the command */
#endif
    for (char **a = o->args; *a; a++) {
        Checked *c = g_new0 (Checked, 1);
        g_ptr_array_add (done, c);
        c->path = g_strdup (*a);
#if FSIM_HAVE_MPI
        if (fsim_i_cli_mpi_active ()) {
            FsimExit status = check_file_ranks (c, o, error);
            if (status == FSIM_EXIT_USAGE)
                return FALSE;
            if (status != FSIM_EXIT_OK)
                g_string_append_printf (failures, "%s%s", failures->len ? "\n" : "",
                                        c->error->message);
            continue;
        }
#endif
        if (!check_file (c, o))
            g_string_append_printf (failures, "%s%s", failures->len ? "\n" : "", c->error->message);
    }
    return TRUE;
}

/* The population and user that result @r's counterexample names: the checked population's, or
 * under mpirun the neighbourhood gathered for it (with @r's user renumbered in @out_r). */
static const FsimPopulation *
counterexample_pop (const Checked *c, const FsimCheckResult *r, FsimCheckResult *out_r)
{
    *out_r = *r;
    if (c->shown == NULL)
        return c->pop;
    const FsimCliNeighbourhood *n =
        &g_array_index (c->shown, FsimCliNeighbourhood,
                        (guint) (r - &g_array_index (c->check->results, FsimCheckResult, 0)));
    out_r->user = (gssize) n->user;
    return n->pop;
}

static const FsimCheckResult *
result_at (const Checked *c, guint i)
{
    return &g_array_index (c->check->results, FsimCheckResult, i);
}

/* "4 users" or "4 users on 2018-06-09" (transfer full). */
static char *
outcome (const FsimCheckResult *r)
{
    g_autofree char *n = fsim_fmt_count (r->users);
    const char *unit = r->users == 1 ? "user" : "users";
    if (r->x->kind != FSIM_EXPECT_NOTHING_AFTER)
        return g_strdup_printf ("%s %s", n, unit);
    g_autofree char *day = fsim_day_format (r->day);
    g_autofree char *first = fsim_day_format (r->x->date + 1);
    if (r->passed && r->n_days == 1)
        return g_strdup_printf ("0 users on %s (the only day to check)", day);
    if (r->passed)
        return g_strdup_printf ("0 users on each of the %zu days checked, %s to %s", r->n_days,
                                first, day);
    return g_strdup_printf ("%s %s on %s", n, unit, day);
}

/* The counterexample text of a failed result, each line indented by @indent. */
static gboolean
counterexample (const Checked *c, const FsimCheckResult *r, size_t indent, GString *out,
                GError **error)
{
    if (r->passed)
        return TRUE;
    if (r->user < 0) {
        fsim_append_spaces (out, indent);
        g_string_append (out, "counterexample: none (no destination matches, or no users)\n");
        return TRUE;
    }
    FsimCheckResult shown;
    const FsimPopulation *pop = counterexample_pop (c, r, &shown);
    return fsim_check_counterexample (c->s, pop, &shown, indent, out, error);
}

/* ---- text ------------------------------------------------------------------------------- */

static gboolean
render_text (GPtrArray *done, GString *out, GError **error)
{
    size_t n = 0, failed = 0;
    size_t broken = 0;
    for (guint i = 0; i < done->len; i++) {
        const Checked *c = done->pdata[i];
        g_string_append_printf (out, "%s", i ? "\n" : "");
        if (c->error) {
            fsim_i_append_clean (out, c->path);
            g_string_append (out, ": could not be checked\n");
            g_auto (GStrv) lines = g_strsplit (c->error->message, "\n", -1);
            for (char **l = lines; *l; l++) {
                g_string_append (out, "  ERROR  ");
                fsim_i_append_clean (out, *l);
                g_string_append_c (out, '\n');
            }
            broken++;
            continue;
        }
        fsim_i_append_clean (out, c->path);
        g_string_append (out, " (");
        fsim_i_append_clean (out, c->s->id);
        g_string_append_printf (out, ", %s): %u expectation%s\n", c->s->date_string,
                                c->check->results->len, c->check->results->len == 1 ? "" : "s");
        if (c->s->n_claims > 0) {
            g_autofree char *claims = fsim_claims_report_csv_cell (c->s);
            g_string_append (out, "  claims in force: ");
            fsim_i_append_clean (out, claims);
            g_string_append_c (out, '\n');
        }
        for (guint j = 0; j < c->check->results->len; j++) {
            const FsimCheckResult *r = result_at (c, j);
            g_autofree char *what = outcome (r);
            g_autofree char *at = fsim_i_loc_string (r->x->loc);
            g_string_append_printf (out, "  %s  ", r->passed ? "PASS" : "FAIL");
            fsim_i_append_clean (out, r->x->id);
            g_string_append (out, ": ");
            fsim_i_append_clean (out, r->description);
            g_string_append_printf (out, ": %s\n", what);
            if (!r->passed) {
                g_string_append (out, "        at ");
                fsim_i_append_clean (out, at);
                g_string_append_c (out, '\n');
            }
            if (!counterexample (c, r, 8, out, error))
                return FALSE;
            n++;
            failed += !r->passed;
        }
    }
    g_string_append_printf (out, "\n%zu of %zu expectation%s failed", failed, n, n == 1 ? "" : "s");
    if (broken)
        g_string_append_printf (out, "; %zu of %u files could not be checked", broken, done->len);
    g_string_append_c (out, '\n');
    return TRUE;
}

/* ---- TAP -------------------------------------------------------------------------------- */

/* One YAML line "key: VALUE" with VALUE as a double-quoted (JSON) string. */
static void
yaml_pair (GString *out, const char *key, const char *value)
{
    g_string_append_printf (out, "  %s: ", key);
    fsim_json_string (out, value);
    g_string_append_c (out, '\n');
}

static gboolean
render_tap (GPtrArray *done, GString *out, GError **error)
{
    size_t n = 0, k = 0;
    for (guint i = 0; i < done->len; i++) {
        const Checked *c = done->pdata[i];
        n += c->error ? 1 : c->check->results->len;
    }
    g_string_append_printf (out, "TAP version 13\n1..%zu\n", n);
    for (guint i = 0; i < done->len; i++) {
        const Checked *c = done->pdata[i];
        if (c->error) {
            g_string_append_printf (out, "not ok %zu - ", ++k);
            fsim_i_append_clean (out, c->path);
            g_string_append (out, ": could not be checked\n  ---\n");
            yaml_pair (out, "error", c->error->message);
            g_string_append (out, "  ...\n");
            continue;
        }
        g_autofree char *claims = c->s->n_claims ? fsim_claims_report_csv_cell (c->s) : NULL;
        if (claims) { /* a diagnostic line, and in each case's YAML block below */
            g_string_append (out, "# ");
            fsim_i_append_clean (out, c->s->id);
            g_string_append (out, ": claims in force: ");
            fsim_i_append_clean (out, claims);
            g_string_append_c (out, '\n');
        }
        for (guint j = 0; j < c->check->results->len; j++) {
            const FsimCheckResult *r = result_at (c, j);
            g_autofree char *what = outcome (r);
            g_autofree char *at = fsim_i_loc_string (r->x->loc);
            g_string_append_printf (out, "%sok %zu - ", r->passed ? "" : "not ", ++k);
            fsim_i_append_clean (out, c->s->id);
            g_string_append (out, ": ");
            fsim_i_append_clean (out, r->x->id);
            g_string_append (out, "\n  ---\n");
            yaml_pair (out, "assertion", r->description);
            yaml_pair (out, "result", what);
            yaml_pair (out, "at", at);
            if (claims)
                yaml_pair (out, "claims", claims);
            if (!r->passed && r->user >= 0) {
                g_string_append (out, "  counterexample: |\n");
                if (!counterexample (c, r, 4, out, error))
                    return FALSE;
            }
            g_string_append (out, "  ...\n");
        }
    }
    return TRUE;
}

/* ---- JUnit XML -------------------------------------------------------------------------- */

static size_t
count_failed (const Checked *c)
{
    size_t n = 0;
    if (c->error)
        return 0;
    for (guint j = 0; j < c->check->results->len; j++)
        n += !result_at (c, j)->passed;
    return n;
}

static gboolean
junit_case (const Checked *c, const FsimCheckResult *r, GString *out, GError **error)
{
    g_string_append (out, "    <testcase classname=\"");
    fsim_markup_append (out, c->s->id);
    g_string_append (out, "\" name=\"");
    fsim_markup_append (out, r->x->id);
    g_string_append (out, "\" file=\"");
    fsim_markup_append (out, r->x->loc.file);
    g_string_append_printf (out, "\" line=\"%d\"", r->x->loc.line);
    if (r->passed) {
        g_string_append (out, "/>\n");
        return TRUE;
    }
    g_autofree char *what = outcome (r);
    g_autofree char *message = g_strdup_printf ("%s: %s", r->description, what);
    g_autoptr (GString) detail = g_string_new (NULL);
    if (!counterexample (c, r, 0, detail, error))
        return FALSE;
    g_string_append (out, ">\n      <failure type=\"expectation\" message=\"");
    fsim_markup_append (out, message);
    g_string_append (out, "\">");
    fsim_markup_append (out, detail->str);
    g_string_append (out, "</failure>\n    </testcase>\n");
    return TRUE;
}

/* The claims in force as the suite's properties: one "claim:ID" per claim, its value the
 * alternative in force ("ALT (default)" or "ALT (chosen; default ALT)"). */
static void
junit_claims (const FsimScenario *s, GString *out)
{
    if (s->n_claims == 0)
        return;
    g_string_append (out, "    <properties>\n");
    for (size_t i = 0; i < s->n_claims; i++) {
        g_autofree char *choice = fsim_claims_report_choice (&s->claims[i], s->claims[i].chosen);
        g_string_append (out, "      <property name=\"claim:");
        fsim_markup_append (out, s->claims[i].id);
        g_string_append (out, "\" value=\"");
        fsim_markup_append (out, choice);
        g_string_append (out, "\"/>\n");
    }
    g_string_append (out, "    </properties>\n");
}

static gboolean
render_junit (GPtrArray *done, GString *out, GError **error)
{
    size_t n = 0, failed = 0, errors = 0;
    for (guint i = 0; i < done->len; i++) {
        const Checked *c = done->pdata[i];
        n += c->error ? 1 : c->check->results->len;
        errors += c->error != NULL;
        failed += count_failed (c);
    }
    g_string_append_printf (out,
                            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites "
                            "name=\"flowsim check\" tests=\"%zu\" failures=\"%zu\" "
                            "errors=\"%zu\">\n",
                            n, failed, errors);
    for (guint i = 0; i < done->len; i++) {
        const Checked *c = done->pdata[i];
        if (c->error) {
            g_auto (GStrv) lines = g_strsplit (c->error->message, "\n", 2);
            g_string_append (out, "  <testsuite name=\"");
            fsim_markup_append (out, c->path);
            g_string_append (out, "\" tests=\"1\" failures=\"0\" errors=\"1\" file=\"");
            fsim_markup_append (out, c->path);
            g_string_append (out, "\">\n    <testcase classname=\"");
            fsim_markup_append (out, c->path);
            g_string_append (out, "\" name=\"load\" file=\"");
            fsim_markup_append (out, c->path);
            g_string_append (out, "\">\n      <error type=\"input\" message=\"");
            fsim_markup_append (out, lines[0]);
            g_string_append (out, "\">");
            fsim_markup_append (out, c->error->message);
            g_string_append (out, "</error>\n    </testcase>\n  </testsuite>\n");
            continue;
        }
        g_string_append (out, "  <testsuite name=\"");
        fsim_markup_append (out, c->s->id);
        g_string_append_printf (out, "\" tests=\"%u\" failures=\"%zu\" file=\"",
                                c->check->results->len, count_failed (c));
        fsim_markup_append (out, c->path);
        g_string_append (out, "\">\n");
        junit_claims (c->s, out);
        for (guint j = 0; j < c->check->results->len; j++)
            if (!junit_case (c, result_at (c, j), out, error))
                return FALSE;
        g_string_append (out, "  </testsuite>\n");
    }
    g_string_append (out, "</testsuites>\n");
    return TRUE;
}

/* ---- JSON ------------------------------------------------------------------------------- */

static gboolean
json_result (const Checked *c, const FsimCheckResult *r, FsimJsonWriter *w, GError **error)
{
    g_autofree char *at = fsim_i_loc_string (r->x->loc);
    g_autofree char *day = fsim_day_format (r->day);
    fsim_jw_item (w);
    fsim_jw_open (w, '{');
    fsim_jw_str (w, "file", c->path);
    fsim_jw_str (w, "scenario", c->s->id);
    fsim_jw_str (w, "id", r->x->id);
    fsim_jw_str (w, "kind", fsim_expect_kind_to_string (r->x->kind));
    fsim_jw_str (w, "assertion", r->description);
    fsim_jw_str (w, "at", at);
    fsim_jw_bool (w, "passed", r->passed);
    fsim_jw_uint (w, "users", r->users);
    fsim_jw_str (w, "day", day);
    fsim_jw_uint (w, "days_checked", r->n_days);
    if (r->passed || r->user < 0) {
        fsim_jw_null (w, "counterexample");
    } else {
        FsimCheckResult shown;
        const FsimPopulation *pop = counterexample_pop (c, r, &shown);
        g_autofree char *user = fsim_population_user_name (pop, (size_t) shown.user);
        g_autoptr (GString) text = g_string_new (NULL);
        if (!counterexample (c, r, 0, text, error))
            return FALSE;
        fsim_jw_key (w, "counterexample");
        fsim_jw_open (w, '{');
        fsim_jw_str (w, "user", user);
        fsim_jw_str (w, "field", c->s->fields[r->field].id);
        fsim_jw_str (w, "partner", c->s->partners[r->partner].id);
        fsim_jw_str (w, "explanation", text->str);
        fsim_jw_close (w, '}');
    }
    fsim_jw_close (w, '}');
    return TRUE;
}

static gboolean
render_json (GPtrArray *done, gboolean passed, GString *out, GError **error)
{
    FsimJsonWriter w = { .out = out };
    fsim_jw_open (&w, '{');
    fsim_jw_str (&w, "flowsim", FSIM_VERSION);
    fsim_jw_bool (&w, "passed", passed);
    fsim_jw_key (&w, "expectations");
    fsim_jw_open (&w, '[');
    for (guint i = 0; i < done->len; i++) {
        const Checked *c = done->pdata[i];
        for (guint j = 0; !c->error && j < c->check->results->len; j++)
            if (!json_result (c, result_at (c, j), &w, error))
                return FALSE;
    }
    fsim_jw_close (&w, ']');
    /* each checked scenario with the claims in force (claims-report.h) */
    fsim_jw_key (&w, "scenarios");
    fsim_jw_open (&w, '[');
    for (guint i = 0; i < done->len; i++) {
        const Checked *c = done->pdata[i];
        if (c->error)
            continue;
        fsim_jw_item (&w);
        fsim_jw_open (&w, '{');
        fsim_jw_str (&w, "file", c->path);
        fsim_jw_str (&w, "scenario", c->s->id);
        fsim_claims_report_json (&w, c->s);
        fsim_jw_close (&w, '}');
    }
    fsim_jw_close (&w, ']');
    /* the files that could not be checked: failed cases, each error one located line */
    fsim_jw_key (&w, "failed_files");
    fsim_jw_open (&w, '[');
    for (guint i = 0; i < done->len; i++) {
        const Checked *c = done->pdata[i];
        if (!c->error)
            continue;
        g_auto (GStrv) lines = g_strsplit (c->error->message, "\n", -1);
        fsim_jw_item (&w);
        fsim_jw_open (&w, '{');
        fsim_jw_str (&w, "file", c->path);
        fsim_jw_key (&w, "errors");
        fsim_jw_open (&w, '[');
        for (char **l = lines; *l; l++) {
            fsim_jw_item (&w);
            fsim_json_string (w.out, *l);
        }
        fsim_jw_close (&w, ']');
        fsim_jw_close (&w, '}');
    }
    fsim_jw_close (&w, ']');
    fsim_jw_close (&w, '}');
    g_string_append_c (out, '\n');
    return TRUE;
}

/* ---- the command ------------------------------------------------------------------------ */

/* Checks every file. Returns: FSIM_EXIT_OK or FSIM_EXIT_CHECKS_FAILED with the report in @out;
 * or FSIM_EXIT_INPUT with the report in @out too and @failed set, when some file could not
 * be checked; FSIM_EXIT_INTERNAL with @error set. */
static FsimExit
check_run (const CheckOptions *o, Format format, GString *out, GError **failed, GError **error)
{
    g_autoptr (GPtrArray) done = g_ptr_array_new_with_free_func (checked_free);
    g_autoptr (GString) failures = g_string_new (NULL);
    if (!check_files (o, done, failures, error))
        return FSIM_EXIT_USAGE;
    gboolean passed = failures->len == 0;
    for (guint i = 0; i < done->len; i++) {
        const Checked *c = done->pdata[i];
        passed = passed && c->check && fsim_check_passed (c->check);
    }
    /* under mpirun, rank 0 writes the report */
    gboolean ok = fsim_i_cli_mpi_rank () != 0 ? TRUE
                  : format == FORMAT_TAP      ? render_tap (done, out, error)
                  : format == FORMAT_JUNIT    ? render_junit (done, out, error)
                  : format == FORMAT_JSON     ? render_json (done, passed, out, error)
                                              : render_text (done, out, error);
    if (!ok)
        return FSIM_EXIT_INTERNAL;
    if (failures->len) {
        g_set_error_literal (failed, FSIM_CLI_ERROR, FSIM_CLI_ERROR_INPUT, failures->str);
        return FSIM_EXIT_INPUT;
    }
    return passed ? FSIM_EXIT_OK : FSIM_EXIT_CHECKS_FAILED;
}

static FsimExit
cmd_check (int argc, char **argv, GError **error)
{
    CheckOptions o = { 0 };
    Format format = FORMAT_TEXT;
    g_autoptr (GString) out = g_string_new (NULL);
    FsimExit status = check_parse (argc, argv, &o, &format, error);
    if (status == FSIM_EXIT_OK && o.help) {
        g_autoptr (GOptionContext) context = check_context (&o);
        status = fsim_i_cmd_print_help (context, "check", error);
    } else if (status == FSIM_EXIT_OK) {
        g_autoptr (GError) failed = NULL;
        status = check_run (&o, format, out, &failed, error);
        if ((status == FSIM_EXIT_OK || status == FSIM_EXIT_CHECKS_FAILED || failed) &&
            fsim_i_cli_mpi_rank () == 0 && fsim_i_cmd_output (o.output, out, error) != FSIM_EXIT_OK)
            status = FSIM_EXIT_INTERNAL;
        else if (failed) /* after the report: CI shows the failed cases, stderr the errors */
            g_propagate_error (error, g_steal_pointer (&failed));
    }
    g_free (o.format);
    g_free (o.output);
    g_strfreev (o.sets);
    g_strfreev (o.claims);
    g_strfreev (o.args);
    return status;
}

const FsimCommand fsim_cmd_check = {
    "check",
    "Check the expectations written in scenario files",
    cmd_check,
    check_help,
};
