/* SPDX-License-Identifier: MIT */
/* cli-options.c: option parsing, help and output shared by the subcommands (sim/cmd-*.c). */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "cli-private.h"

GOptionContext *
fsim_i_cmd_context (const char *name, const char *parameters, const GOptionEntry *entries,
                    const char *summary, const char *description)
{
    GOptionContext *context = g_option_context_new (parameters);
    (void) name;
    /* Our own --help: GLib's would print and exit() from inside the parser. */
    g_option_context_set_help_enabled (context, FALSE);
    g_option_context_add_main_entries (context, entries, NULL);
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

FsimExit
fsim_i_cmd_parse (GOptionContext *context, const char *name, int argc, char **argv, GError **error)
{
    /* The parser rearranges and frees what it consumes: give it a copy, argv is the caller's. */
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
