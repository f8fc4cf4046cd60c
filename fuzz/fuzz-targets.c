/* SPDX-License-Identifier: MIT */
/* fuzz-targets.c: one function per input format, shared by the fuzzers and the regression test. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "diagram.h"
#include "engine.h"
#include "friends.h"
#include "fuzz-targets.h"
#include "fuzz-util.h"
#include "import.h"
#include "lint.h"
#include "loader.h"
#include "output-check.h"
#include "policy.h"
#include "population.h"
#include "possible-report.h"
#include "report.h"

#define MAX_SETS 16
#define MAX_USERS 300 /* larger generated populations cost time, not coverage */

/* ---- loaders ------------------------------------------------------------------------------- */

void
fsim_fuzz_scenario (const uint8_t *data, size_t size)
{
    g_autofree char *path = fsim_fuzz_write ("input.json", data, size);
    g_autofree char *text = fsim_fuzz_text (data, size);
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimScenario) s = text ? fsim_loader_load_string (path, text, NULL, &error)
                                      : fsim_loader_load (path, NULL, &error);

    fsim_fuzz_check_error (s != NULL, error, FSIM_LOADER_ERROR);
}

void
fsim_fuzz_set (const uint8_t *data, size_t size)
{
    g_autofree char *text = fsim_fuzz_text (data, size);
    if (!text)
        return;
    g_auto (GStrv) sets = g_strsplit (text, "\n", MAX_SETS + 1);
    if (g_strv_length (sets) > MAX_SETS)
        return;
    g_autofree char *path = g_build_filename (fsim_fuzz_workdir (), "valid.json", NULL);
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimScenario) s = fsim_loader_load (path, (const char *const *) sets, &error);

    fsim_fuzz_check_error (s != NULL, error, FSIM_LOADER_ERROR);
}

/* ---- the whole run ------------------------------------------------------------------------- */

/* The text report: valid UTF-8, no control character but newlines. */
static void
check_text (const GString *out)
{
    g_assert (g_utf8_validate_len (out->str, out->len, NULL));
    for (const char *p = out->str; *p; p = g_utf8_next_char (p)) {
        gunichar c = g_utf8_get_char (p);
        g_assert (c == '\n' || !g_unichar_iscntrl (c));
    }
}

static void
render_all (const FsimScenario *s, const FsimPopulation *pop, const FsimResult *r)
{
    for (int f = 0; f < _FSIM_REPORT_MAX; f++) {
        g_autoptr (GString) out = g_string_new (NULL);
        g_autofree char *why = NULL;
        fsim_report_render (s, pop, r, (FsimReportFormat) f, out);
        if (f == FSIM_REPORT_JSON && !fsim_check_json (out->str, out->len, &why))
            g_error ("invalid JSON report: %s", why);
        if (f == FSIM_REPORT_CSV && !fsim_check_csv (out->str, out->len, NULL, NULL, &why))
            g_error ("invalid CSV report: %s", why);
        if (f == FSIM_REPORT_TEXT)
            check_text (out);
    }
}

/* The diagram (DOT), lint and possible: what needs no population beyond the run's. */
static void
render_analyses (const FsimScenario *s, const FsimDecisions *d, const FsimResult *r)
{
    g_autoptr (GString) dot = g_string_new (NULL);
    g_autofree char *why = NULL;
    (void) fsim_diagram_write_dot (s, d, r, NULL, dot, NULL);
    if (!fsim_check_dot (dot->str, dot->len, &why))
        g_error ("invalid DOT diagram: %s", why);
    g_autoptr (GArray) warnings = fsim_lint_run (s, NULL);
    for (guint i = 0; warnings && i < warnings->len; i++) {
        const FsimLintWarning *w = &g_array_index (warnings, FsimLintWarning, i);
        g_assert ((unsigned) w->kind < _FSIM_LINT_MAX);
        g_assert (g_utf8_validate (w->message, -1, NULL));
    }
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimPossible) pp = fsim_possible_new (s, s->date, NULL, NULL, &error);
    g_assert_no_error (error);
    g_autoptr (GString) text = g_string_new (NULL), json = g_string_new (NULL);
    fsim_possible_render_text (pp, text);
    check_text (text);
    fsim_possible_render_json (pp, json);
    if (!fsim_check_json (json->str, json->len, &why))
        g_error ("invalid possible JSON: %s", why);
}

void
fsim_fuzz_run (const uint8_t *data, size_t size)
{
    g_autofree char *path = fsim_fuzz_write ("input.json", data, size);
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimScenario) s = fsim_loader_load (path, NULL, &error);

    fsim_fuzz_check_error (s != NULL, error, FSIM_LOADER_ERROR);
    if (!s || !s->id)
        return;
    if (s->population.kind == FSIM_POPULATION_GENERATED && s->population.gen_users > MAX_USERS)
        return;
    g_autoptr (FsimPopulation) pop = fsim_population_build (s, &error);
    if (!pop) {
        /* a population may fail: too large, a graph file that does not parse */
        g_assert (error != NULL && error->message[0] != '\0');
        return;
    }
    fsim_fuzz_check_friends (pop->friends);
    g_autoptr (FsimDecisions) d = fsim_decisions_new (s, s->date);
    g_autoptr (FsimResult) r = fsim_engine_run (s, pop, d, &error);
    g_assert_no_error (error);
    render_all (s, pop, r);
    render_analyses (s, d, r);
}

/* ---- graph files --------------------------------------------------------------------------- */

static void
check_imported (const FsimImported *imp, const GError *error)
{
    fsim_fuzz_check_error (imp != NULL, error, FSIM_GRAPH_ERROR);
    if (!imp)
        return;
    fsim_fuzz_check_friends (imp->friends);
    if (imp->format == FSIM_IMPORT_EDGE_LIST)
        g_assert (imp->friends->n_users == 0 || imp->ids != NULL);
    else
        fsim_fuzz_check_attrs (&imp->attrs, imp->friends->n_users);
}

void
fsim_fuzz_edgelist (const uint8_t *data, size_t size)
{
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimImported) imp =
        fsim_import_edge_list_data ("input.txt", (const char *) data, size, &error);
    check_imported (imp, error);
}

static void
import_file (const char *name, FsimImportFormat format, const uint8_t *data, size_t size)
{
    g_autofree char *path = fsim_fuzz_write (name, data, size);
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimImported) imp = fsim_import_file (path, format, &error);
    check_imported (imp, error);
}

void
fsim_fuzz_graphml (const uint8_t *data, size_t size)
{
    import_file ("input.graphml", FSIM_IMPORT_GRAPHML, data, size);
}

void
fsim_fuzz_gml (const uint8_t *data, size_t size)
{
    import_file ("input.gml", FSIM_IMPORT_GML, data, size);
}

FsimFuzzTarget
fsim_fuzz_target (const char *name)
{
    static const struct {
        const char *name;
        FsimFuzzTarget fn;
    } targets[] = {
        { "scenario", fsim_fuzz_scenario }, { "set", fsim_fuzz_set },
        { "run", fsim_fuzz_run },           { "edgelist", fsim_fuzz_edgelist },
        { "graphml", fsim_fuzz_graphml },   { "gml", fsim_fuzz_gml },
    };
    for (size_t i = 0; i < G_N_ELEMENTS (targets); i++)
        if (strcmp (targets[i].name, name) == 0)
            return targets[i].fn;
    return NULL;
}
