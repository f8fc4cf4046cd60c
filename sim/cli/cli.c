/* SPDX-License-Identifier: MIT */
/* cli.c: the flowsim command line: subcommands, option parsing, exit codes, error printing. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "cli-mpi.h"
#include "cli-private.h"
#include "cli.h"
#include "graphviz.h"
#include "import.h"
#include "memory.h"
#include "output.h"
#include "parallel.h"
#include "text.h"

/*
 * Every diagnostic goes through one place, fsim_cli_run(), which prints it once: library code
 * sets a GError and returns; the subcommands add context and return an FsimExit saying what
 * kind of failure it was. Usage errors also print a hint to --help.
 */

/* The quark's name is G_DEFINE_QUARK's first argument, spelt as it stands. */
/* clang-format off */
G_DEFINE_QUARK (fsim-cli-error-quark, fsim_cli_error)
/* clang-format on */

static FsimExit cmd_help (int argc, char **argv, GError **error);
static char *cmd_help_help (void);

static const FsimCommand help_command = {
    "help",
    "Show help for a command",
    cmd_help,
    cmd_help_help,
};

/* The subcommands, in the order `flowsim --help` lists them. Each lives in sim/cmd-NAME.c. */
static const FsimCommand *const commands[] = {
    &fsim_cmd_run,   &fsim_cmd_population, &fsim_cmd_diff,    &fsim_cmd_explain,  &fsim_cmd_check,
    &fsim_cmd_lint,  &fsim_cmd_possible,   &fsim_cmd_diagram, &fsim_cmd_timeline, &fsim_cmd_report,
    &fsim_cmd_sweep, &fsim_cmd_serve,      &fsim_cmd_claims,  &help_command,
};

const char fsim_i_cli_exit_status_help[] =
    "Exit status:\n"
    "  0  success\n"
    "  1  a check failed: check, lint --strict, diff --exit-code\n"
    "  2  usage error: unknown command or option, bad option value\n"
    "  3  bad input: a scenario or policy file, or the population it describes\n"
    "  4  internal error, or the report could not be written\n";

FsimExit
fsim_i_cli_usage_error (GError **error, const char *format, ...)
{
    va_list ap;
    va_start (ap, format);
    g_autofree char *message = g_strdup_vprintf (format, ap);
    va_end (ap);
    /* one error, one line: an argument's line break ("--partner $'a\nb'") made a second
     * "flowsim: error:" line of a fragment */
    g_set_error_literal (error, FSIM_CLI_ERROR, FSIM_CLI_ERROR_USAGE,
                         g_strdelimit (message, "\r\n", '?'));
    return FSIM_EXIT_USAGE;
}

static const FsimCommand *
find_command (const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS (commands); i++)
        if (strcmp (commands[i]->name, name) == 0)
            return commands[i];
    return NULL;
}

gboolean
fsim_i_cli_write_stdout (const char *text, size_t len, GError **error)
{
    /* under mpirun every rank has the same text to write (a help, the version): rank 0 alone
     * writes it, once */
    if (fsim_i_cli_mpi_rank () != 0)
        return TRUE;
    if (!fsim_output_check_stdout (error))
        return FALSE;
    if (fwrite (text, 1, len, stdout) != len || fflush (stdout) != 0) {
        int saved = errno;
        g_set_error (error, FSIM_CLI_ERROR, FSIM_CLI_ERROR_OUTPUT,
                     "cannot write to standard output: %s", g_strerror (saved));
        return FALSE;
    }
    return TRUE;
}

/* ---- top level: --help, --version, help ---- */

static char *
top_help (void)
{
    GString *s = g_string_new ("Usage:\n  flowsim COMMAND [OPTION…] [ARG…]\n"
                               "  flowsim --help | --version\n\n"
                               "Simulates how users' personal data flowed from platform APIs to "
                               "third-party partners\nunder access policies, and reports who "
                               "was reached, where, and without consent.\n\nCommands:\n");
    for (size_t i = 0; i < G_N_ELEMENTS (commands); i++)
        g_string_append_printf (s, "  %-8s  %s\n", commands[i]->name, commands[i]->summary);
    g_string_append (s, "\nOptions:\n"
                        "  -h, --help     Show this help\n"
                        "  --version      Show the version\n\n"
                        "Run 'flowsim help COMMAND' for the options of a command.\n\n");
    g_string_append (s, fsim_i_cli_exit_status_help);
    g_string_append (s, "\nEnvironment:\n"
                        "  FLOWSIM_THREADS       threads to use (default: one per processor); "
                        "results never depend on it\n"
                        "  FLOWSIM_MEMORY_LIMIT  memory to count on, below the machine's "
                        "(512M, 4G): larger work is refused\n"
                        "  FLOWSIM_DOT           the Graphviz dot program for SVG and PNG "
                        "(default: dot in PATH)\n"
                        "  FLOWSIM_DATADIR       where the bundled scenarios and policies are "
                        "(default: found from the program)\n"
                        "A value that is not what it should be is said in a warning and "
                        "ignored.\n");
    return g_string_free (s, FALSE);
}

static char *
cmd_help_help (void)
{
    return g_strdup ("Usage:\n  flowsim help [COMMAND]\n\n"
                     "Shows the help of COMMAND, or the general help.\n");
}

static FsimExit
cmd_help (int argc, char **argv, GError **error)
{
    const FsimCommand *command = NULL;
    g_autofree char *text = NULL;

    if (argc > 2)
        return fsim_i_cli_usage_error (error, "unexpected argument '%s'", argv[2]);
    if (argc == 2) {
        command = find_command (argv[1]);
        if (command == NULL)
            return fsim_i_cli_usage_error (error, "unknown command '%s'", argv[1]);
    }
    text = command ? command->help () : top_help ();
    return fsim_i_cli_write_stdout (text, strlen (text), error) ? FSIM_EXIT_OK : FSIM_EXIT_INTERNAL;
}

static FsimExit
top_option (int argc, char **argv, GError **error)
{
    const char *option = argv[1];
    g_autofree char *text = NULL;

    if (strcmp (option, "--help") == 0 || strcmp (option, "-h") == 0)
        text = top_help ();
    else if (strcmp (option, "--version") == 0)
        text = g_strdup ("flowsim " FSIM_VERSION "\n");
    else
        return fsim_i_cli_usage_error (error, "unknown option '%s'", option);
    if (argc > 2)
        return fsim_i_cli_usage_error (error, "unexpected argument '%s' after '%s'", argv[2],
                                       option);
    return fsim_i_cli_write_stdout (text, strlen (text), error) ? FSIM_EXIT_OK : FSIM_EXIT_INTERNAL;
}

/* ---- shared by the commands ---- */

char *
fsim_cli_default_scenario_path (void)
{
    const char *env = g_getenv ("FLOWSIM_DATADIR");
    g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);

    if (env != NULL && *env != '\0')
        return g_build_filename (env, FSIM_CLI_DEFAULT_SCENARIO, NULL);
    if (exe != NULL) {
        g_autofree char *bindir = g_path_get_dirname (exe);
        g_autofree char *path =
            g_build_filename (bindir, FSIM_DATADIR_FROM_BINDIR, FSIM_CLI_DEFAULT_SCENARIO, NULL);
        /* the real path: in a build, build/share/flowsim links to the source tree, whose files
         * then read as policies/... in messages and reports, not build/share/flowsim/... */
        char *real = g_file_test (path, G_FILE_TEST_IS_REGULAR) ? realpath (path, NULL) : NULL;
        if (real != NULL) {
            char *copy = g_strdup (real);
            free (real);
            return copy;
        }
    }
    return g_build_filename (FSIM_DATADIR, FSIM_CLI_DEFAULT_SCENARIO, NULL);
}

/* Writes @text to @output (by the rules of output.h) or to stdout. */
gboolean
fsim_i_cli_write_output (const char *output, const GString *text, GError **error)
{
    if (output == NULL || strcmp (output, "-") == 0)
        return fsim_i_cli_write_stdout (text->str, text->len, error);
    return fsim_output_set_contents (output, text->str, text->len, error);
}

/* ---- entry point ---- */

/* The command name closest to @name ("did you mean"), or NULL. */
static const char *
closest_command (const char *name)
{
    const char *names[G_N_ELEMENTS (commands)];
    for (size_t i = 0; i < G_N_ELEMENTS (commands); i++)
        names[i] = commands[i]->name;
    return fsim_text_closest (name, names, G_N_ELEMENTS (names));
}

/* Whether @command runs over MPI ranks (docs/scaling.md); the others refuse to. */
static gboolean
runs_over_ranks (const FsimCommand *command)
{
    return command == &fsim_cmd_run || command == &fsim_cmd_timeline ||
           command == &fsim_cmd_check || command == &fsim_cmd_population;
}

static FsimExit
dispatch (int argc, char **argv, GError **error)
{
    const FsimCommand *command = NULL;

    if (argc < 2)
        return fsim_i_cli_usage_error (error, "no command given");
    if (argv[1][0] == '-')
        return top_option (argc, argv, error);
    command = find_command (argv[1]);
    if (command == NULL) {
        const char *near = closest_command (argv[1]);
        return near ? fsim_i_cli_usage_error (error, "unknown command '%s' (did you mean '%s'?)",
                                              argv[1], near)
                    : fsim_i_cli_usage_error (error, "unknown command '%s'", argv[1]);
    }
    if (fsim_i_cli_mpi_size () > 1 && !runs_over_ranks (command))
        return fsim_i_cli_usage_error (error,
                                       "only 'flowsim run', 'timeline', 'check' and 'population' "
                                       "run over MPI ranks, not '%s'",
                                       argv[1]);
    for (int i = 2; i < argc && strcmp (argv[i], "--") != 0; i++)
        if (strcmp (argv[i], "--version") == 0) {
            static const char version[] = "flowsim " FSIM_VERSION "\n";
            return fsim_i_cli_write_stdout (version, strlen (version), error) ? FSIM_EXIT_OK
                                                                              : FSIM_EXIT_INTERNAL;
        }
    return command->run (argc - 1, argv + 1, error);
}

/* A setting of the environment that is not what it should be: said once, then ignored (the
 * program still runs, as it would without it). */
static void
environment_warning (const char *name, const char *value, const char *expected)
{
    g_autofree char *clean = fsim_text_clean (value); /* a line break too: one line */
    if (fsim_i_cli_mpi_rank () == 0)
        fprintf (stderr, "flowsim: warning: %s='%s' is not %s; ignored\n", name, clean, expected);
}

/* The settings the environment gives the program (flowsim --help, "Environment"); the
 * library reads none of them. */
static void
configure_from_environment (void)
{
    const char *threads = g_getenv ("FLOWSIM_THREADS");
    const char *memory = g_getenv ("FLOWSIM_MEMORY_LIMIT");
    guint64 n = 0;
    if (threads && g_ascii_string_to_unsigned (threads, 10, 1, 64 * 1024, &n, NULL))
        fsim_parallel_set_default_workers ((unsigned) n);
    else if (threads && *threads)
        environment_warning ("FLOWSIM_THREADS", threads, "a number of threads, 1 to 65536");
    if (memory && (n = fsim_memory_parse_size (memory)) > 0)
        fsim_memory_set_limit (n, "FLOWSIM_MEMORY_LIMIT");
    else if (memory && *memory)
        environment_warning ("FLOWSIM_MEMORY_LIMIT", memory,
                             "a number of bytes above 0, with K, M or G after it if you like: "
                             "512M");
}

const char *
fsim_i_cli_dot_program (void)
{
    const char *dot = g_getenv ("FLOWSIM_DOT");
    return dot && *dot ? dot : NULL;
}

FsimExit
fsim_i_cli_draw_failed (GError **local, GError **error)
{
    FsimExit status = g_error_matches (*local, FSIM_GRAPHVIZ_ERROR, FSIM_GRAPHVIZ_ERROR_TOO_LARGE)
                          ? FSIM_EXIT_USAGE
                          : FSIM_EXIT_INTERNAL;
    g_propagate_error (error, g_steal_pointer (local));
    return status;
}

/* After a usage error: the help that says what was expected, the subcommand's own when the
 * error was in a subcommand's arguments (`flowsim help` is about commands: the top help).
 * A command refused over several ranks is not helped by its --help: the way out is to run it
 * as one process. */
static void
usage_hint (int argc, char **argv)
{
    const FsimCommand *command = argc >= 2 ? find_command (argv[1]) : NULL;
    if (command && fsim_i_cli_mpi_size () > 1 && !runs_over_ranks (command))
        fprintf (stderr, "Run 'flowsim %s' as one process, without mpirun.\n", command->name);
    else if (command && command != &help_command)
        fprintf (stderr, "Try 'flowsim %s --help'.\n", command->name);
    else
        fputs ("Try 'flowsim --help'.\n", stderr);
}

int
fsim_cli_run (int argc, char **argv)
{
    g_autoptr (GError) error = NULL;
    FsimExit status;

    g_return_val_if_fail (argc >= 0, FSIM_EXIT_INTERNAL);
    g_set_prgname ("flowsim");
    configure_from_environment ();
    fsim_import_set_edge_list_max_bytes (0); /* --max-graph-size sets it for this run alone */
    status = dispatch (argc, argv, &error);
    if (error != NULL && fsim_i_cli_mpi_rank () == 0) { /* under mpirun, rank 0 says it once */
        g_autofree char *message = fsim_text_clean_message (error->message);
        /* a file with several errors gives one located line each (`check` of several files,
         * one file's each): a line break inside one error (a name's or a value's: a file called
         * "a\nb") is made '?' where the error is made, so that it never reads as a second one
         * (the loader's combine_errors(), fsim_i_cli_usage_error(), the population's
         * locators) */
        g_auto (GStrv) lines = g_strsplit (message, "\n", -1);
        for (char **l = lines; *l; l++)
            fprintf (stderr, "flowsim: error: %s\n", *l);
        if (status == FSIM_EXIT_USAGE)
            usage_hint (argc, argv);
        fflush (stderr);
    }
    return (int) status;
}
