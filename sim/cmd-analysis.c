/* SPDX-License-Identifier: MIT */
/* cmd-analysis.c: option parsing and scenario loading shared by the analysis subcommands. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "cmd-analysis.h"
#include "loader.h"

void
fsim_i_world_clear (FsimWorld *w)
{
    g_clear_pointer (&w->tracer, fsim_tracer_free);
    g_clear_pointer (&w->decisions, fsim_decisions_free);
    g_clear_pointer (&w->pop, fsim_population_free);
    g_clear_pointer (&w->scenario, fsim_scenario_free);
}

FsimExit
fsim_i_world_take (FsimWorld *w, FsimScenario *scenario, FsimPopulation *pop, FsimDay day,
                   GError **error)
{
    fsim_i_world_clear (w);
    w->scenario = scenario;
    w->pop = pop ? pop : fsim_population_build (scenario, error);
    if (!w->pop)
        return FSIM_EXIT_INPUT;
    w->decisions = fsim_decisions_new (scenario, day);
    w->tracer = fsim_tracer_new (scenario, w->pop, w->decisions, error);
    return w->tracer ? FSIM_EXIT_OK : FSIM_EXIT_INTERNAL;
}

FsimExit
fsim_i_world_load (FsimWorld *w, const char *path, const char *const *sets, GError **error)
{
    FsimScenario *s = fsim_loader_load (path, sets, error);
    fsim_i_world_clear (w);
    if (!s)
        return FSIM_EXIT_INPUT;
    return fsim_i_world_take (w, s, NULL, s->date, error);
}

GOptionContext *
fsim_i_cmd_context (const char *name, const char *parameters, const GOptionEntry *entries,
                    const char *summary, const char *description)
{
    GOptionContext *context = g_option_context_new (parameters);
    (void) name;
    g_option_context_set_help_enabled (context, FALSE);
    g_option_context_add_main_entries (context, entries, NULL);
    if (summary)
        g_option_context_set_summary (context, summary);
    if (description)
        g_option_context_set_description (context, description);
    return context;
}

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

FsimExit
fsim_i_cmd_parse (GOptionContext *context, const char *name, int argc, char **argv,
                  GError **error)
{
    g_auto (GStrv) args = g_new0 (char *, (size_t) argc + 1);
    g_autoptr (GError) local = NULL;
    for (int i = 0; i < argc; i++)
        args[i] = g_strdup (argv[i]);
    set_prgname (name);
    if (!g_option_context_parse_strv (context, &args, &local))
        return fsim_i_cli_usage_error (error, "%s", local->message);
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
fsim_i_cmd_print_help (GOptionContext *context, const char *name, GError **error)
{
    g_autofree char *help = fsim_i_cmd_help (context, name);
    return fsim_i_cli_write_stdout (help, strlen (help), error) ? FSIM_EXIT_OK
                                                                 : FSIM_EXIT_INTERNAL;
}

FsimExit
fsim_i_cmd_output (const char *output, const GString *text, GError **error)
{
    return fsim_i_cli_write_output (output, text, error) ? FSIM_EXIT_OK : FSIM_EXIT_INTERNAL;
}
