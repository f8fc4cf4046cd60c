/* SPDX-License-Identifier: MIT */
/* cmd-claims.c: `flowsim claims`: the contested facts of a model, and how much each one moves. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "claims-report.h"
#include "cli-commands.h"
#include "cli-private.h"
#include "loader.h"
#include "room.h"
#include "sim-claims.h"
#include "text.h"
#include "timeline.h"

typedef struct {
    char *format;
    char *output;
    char **sets;
    char **claims;
    char **args;
    gboolean effect;
    gboolean help;
} ClaimsOptions;

static GOptionContext *
claims_context (ClaimsOptions *o)
{
    const GOptionEntry entries[] = {
        { "effect", 'e', 0, G_OPTION_ARG_NONE, &o->effect,
          "Simulate every alternative of each claim, one claim at a time, and show per partner "
          "how much each claim moves the users reached and reached without consent",
          NULL },
        { "format", 'f', 0, G_OPTION_ARG_FILENAME, &o->format, "text (the default) or json",
          "FORMAT" },
        { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o->output,
          "Write to FILE (replaced atomically; '-' is standard output)", "FILE" },
        { "set", 's', 0, G_OPTION_ARG_FILENAME_ARRAY, &o->sets,
          "Override a scenario value (repeatable)", "PATH=VALUE" },
        FSIM_CLI_CLAIM_OPTION (&o->claims),
        FSIM_CLI_MAX_GRAPH_SIZE_OPTION,
        { "help", 'h', 0, G_OPTION_ARG_NONE, &o->help, "Show this help", NULL },
        { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o->args, NULL, "[SCENARIO]" },
        { 0 },
    };
    return fsim_i_cmd_context (
        "claims", NULL, entries,
        "Lists the contested facts (claims) of SCENARIO: for each, its alternatives, the "
        "evidence\nfor each (tested, stated by a named party, reported, assumed), their sources, "
        "and which\none is in force. With --effect, runs the scenario once per alternative and "
        "shows which\npartners' numbers are solid and which rest on one party's word. Without "
        "SCENARIO, the\nbundled " FSIM_CLI_DEFAULT_SCENARIO ".",
        "Examples:\n"
        "  flowsim claims\n"
        "  flowsim claims --effect --set date=2018-11-01\n"
        "  flowsim run --claim apple-access=apple-2017-09\n");
}

static char *
claims_help (void)
{
    ClaimsOptions o = { 0 };
    g_autoptr (GOptionContext) context = claims_context (&o);
    return fsim_i_cmd_help (context, "claims");
}

static void
options_clear (ClaimsOptions *o)
{
    g_free (o->format);
    g_free (o->output);
    g_strfreev (o->sets);
    g_strfreev (o->claims);
    g_strfreev (o->args);
}

static FsimExit
claims_parse (int argc, char **argv, ClaimsOptions *o, gboolean *json, GError **error)
{
    g_autoptr (GOptionContext) context = claims_context (o);
    FsimExit status = fsim_i_cmd_parse (context, "claims", argc, argv, error);
    if (status != FSIM_EXIT_OK || o->help)
        return status;
    if (!fsim_i_cmd_check_scenario_args (o->args, error))
        return FSIM_EXIT_USAGE;
    *json = o->format && strcmp (o->format, "json") == 0;
    if (o->format && !*json && strcmp (o->format, "text") != 0)
        return fsim_i_cli_usage_error (error, "unknown format '%s' (expected text or json)",
                                       o->format);
    return fsim_i_cmd_check_overrides (&o->sets, o->claims, error);
}

/* `--effect` runs the whole model once per alternative not in force: at most this many runs,
 * and at most as many as FSIM_TIMELINE_MAX_WORK allows for the model's size (timeline's time
 * budget, docs/robustness.md). */
#define MAX_EFFECT_RUNS 64

/* FALSE with a usage error when @s has more alternatives not in force than --effect may run. */
static gboolean
effect_within_budget (const FsimScenario *s, GError **error)
{
    size_t runs = 0, work = fsim_timeline_model_work (s);
    size_t most = MIN (MAX (FSIM_TIMELINE_MAX_WORK / work, (size_t) 1), (size_t) MAX_EFFECT_RUNS);
    for (size_t c = 0; c < s->n_claims; c++)
        runs += s->claims[c].n_alternatives - 1;
    if (runs <= most)
        return TRUE;
    g_autofree char *size = fsim_fmt_count (work);
    g_autofree char *allowed =
        most == MAX_EFFECT_RUNS
            ? g_strdup_printf ("more than the %d it runs at most", MAX_EFFECT_RUNS)
            : g_strdup_printf ("and this model (%s decisions and (field, partner) pairs) "
                               "allows %zu in the time budget",
                               size, most);
    fsim_i_cli_usage_error (error,
                            "--effect runs the model once per alternative not in force: this "
                            "scenario has %zu, %s; choose alternatives with --claim and compare "
                            "their runs instead",
                            runs, allowed);
    return FALSE;
}

FsimExit
fsim_i_claims_render (const char *path, const char *const *sets, gboolean effect, gboolean json,
                      GString *out, GError **error)
{
    const FsimSimOptions options = { .sets = sets };
    g_autoptr (FsimSim) sim = fsim_sim_load (path, &options, error);
    if (!sim)
        return FSIM_EXIT_INPUT;
    if (!effect) {
        if (!fsim_room_reserve (out, fsim_claims_room_list (sim->scenario), "the claims", error))
            return FSIM_EXIT_INTERNAL;
        fsim_claims_render_list (sim->scenario, json, out);
        return FSIM_EXIT_OK;
    }
    if (!sim->scenario->id)
        return fsim_i_cli_usage_error (error,
                                       "%s is a policy file, which has no date or "
                                       "population to simulate: --effect needs a "
                                       "scenario",
                                       path);
    if (!effect_within_budget (sim->scenario, error))
        return FSIM_EXIT_USAGE;
    FsimSimFailure failure = FSIM_SIM_FAILED_INTERNAL;
    if (!fsim_sim_build (sim, &options, error))
        return FSIM_EXIT_INPUT;
    if (!fsim_sim_trace (sim, &options, error))
        return FSIM_EXIT_INTERNAL;
    g_autoptr (FsimClaimEffects) e = fsim_sim_claim_effects (sim, path, &options, &failure, error);
    if (!e)
        return failure == FSIM_SIM_FAILED_INPUT ? FSIM_EXIT_INPUT : FSIM_EXIT_INTERNAL;
    if (!fsim_room_reserve (out, fsim_claims_room_effects (sim->scenario, e), "the claims' effects",
                            error))
        return FSIM_EXIT_INTERNAL;
    fsim_claims_render_effects (sim->scenario, e, json, out);
    return FSIM_EXIT_OK;
}

/* Each alternative checked costs a load and a lint of the whole file (as in `flowsim lint`,
 * which checks as many): beyond this many, the rest are counted in a note, not checked. */
#define MAX_CHECKED_ALTERNATIVES 64

/* Warns about each alternative of a claim of the scenario @path (not of a policy file) that,
 * chosen instead of the one in force, can have no effect there (what lint says of it, as for
 * --set), named by claim and alternative; the first MAX_CHECKED_ALTERNATIVES only. */
static void
warn_alternatives (const char *path, const char *const *sets)
{
    g_autoptr (FsimScenario) before = fsim_loader_load (path, sets, NULL);
    g_autoptr (GHashTable) said = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    g_autoptr (GHashTable) known = NULL;    /* the warnings in force, linted once */
    g_autoptr (FsimLoaderBase) base = NULL; /* the files read once for all the alternatives */
    size_t checked = 0, skipped = 0;
    for (size_t c = 0; before && before->id && c < before->n_claims; c++) {
        const FsimClaim *claim = &before->claims[c];
        for (size_t a = 0; a < claim->n_alternatives; a++) {
            if (a == claim->chosen)
                continue;
            if (checked == MAX_CHECKED_ALTERNATIVES) {
                skipped++;
                continue;
            }
            checked++;
            if (!known) {
                known = fsim_i_lint_messages (before);
                base = fsim_loader_base_new (path);
            }
            g_autofree char *set =
                g_strdup_printf ("choices.%s=%s", claim->id, claim->alternatives[a].id);
            g_autofree char *prefix = g_strdup_printf ("claim '%s', alternative '%s'", claim->id,
                                                       claim->alternatives[a].id);
            fsim_i_warn_one_more_set (base, path, sets, set, known, prefix, said);
        }
    }
    if (skipped)
        fprintf (stderr,
                 "flowsim: warning: %zu more alternatives not in force were not checked for "
                 "what they leave without effect (at most %d are; `flowsim lint` checks as "
                 "many)\n",
                 skipped, MAX_CHECKED_ALTERNATIVES);
}

static FsimExit
cmd_claims (int argc, char **argv, GError **error)
{
    ClaimsOptions o = { 0 };
    gboolean json = FALSE;
    g_autoptr (GString) out = g_string_new (NULL);
    FsimExit status = claims_parse (argc, argv, &o, &json, error);
    if (status == FSIM_EXIT_OK && o.help) {
        g_autoptr (GOptionContext) context = claims_context (&o);
        status = fsim_i_cmd_print_help (context, "claims", error);
    } else if (status == FSIM_EXIT_OK) {
        g_autofree char *path = fsim_i_cmd_scenario_path (o.args);
        status =
            fsim_i_claims_render (path, (const char *const *) o.sets, o.effect, json, out, error);
        if (status == FSIM_EXIT_OK)
            fsim_i_warn_overrides_of (path, (const char *const *) o.sets);
        if (status == FSIM_EXIT_OK && o.args && o.args[0])
            warn_alternatives (path, (const char *const *) o.sets);
        if (status == FSIM_EXIT_OK)
            status = fsim_i_cmd_output (o.output, out, error);
    }
    options_clear (&o);
    return status;
}

const FsimCommand fsim_cmd_claims = {
    "claims",
    "The contested facts (claims) a scenario rests on, and how much each moves",
    cmd_claims,
    claims_help,
};
