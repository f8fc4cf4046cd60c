/* SPDX-License-Identifier: MIT */
/* cli.h: the flowsim command line (subcommands, options, exit codes, error printing). */
#pragma once

#include <glib.h>

/*
 * Exit statuses of the flowsim program, documented in `flowsim --help`.
 */
typedef enum {
    FSIM_EXIT_OK = 0,            /* success; --help, --version */
    FSIM_EXIT_CHECKS_FAILED = 1, /* reserved: a check the user asked for failed */
    FSIM_EXIT_USAGE = 2,         /* misuse: unknown command or option, bad option value */
    FSIM_EXIT_INPUT = 3,         /* bad input: a scenario or policy file, or its population */
    FSIM_EXIT_INTERNAL = 4,      /* anything else: the engine failed, output not written, ... */
} FsimExit;

#define FSIM_CLI_ERROR (fsim_cli_error_quark ())
GQuark fsim_cli_error_quark (void);

typedef enum {
    FSIM_CLI_ERROR_USAGE,  /* the command line is wrong */
    FSIM_CLI_ERROR_OUTPUT, /* the report could not be written */
    FSIM_CLI_ERROR_INPUT,  /* files of a batch (lint, check) could not be loaded; reported */
} FsimCliError;

/* The scenario `flowsim run` uses without a SCENARIO argument, relative to the data dir. */
#define FSIM_CLI_DEFAULT_SCENARIO "scenarios/device-partners-2018.json"

/**
 * fsim_cli_default_scenario_path:
 *
 * Where the default scenario is: under $FLOWSIM_DATADIR if set, else under the data dir next
 * to the running program (BINDIR/../share/flowsim; in the build tree, build/share/flowsim
 * links to the source tree) if the file is there, else under the configured data dir
 * (FSIM_DATADIR). Can't fail; the file may not exist.
 *
 * Returns: (transfer full): the path
 */
char *fsim_cli_default_scenario_path (void);

/**
 * fsim_cli_run:
 * @argc: number of arguments in @argv
 * @argv: the arguments, @argv[0] being the program name; not modified
 *
 * Runs the command line: `flowsim run [SCENARIO] [OPTION...]`, `flowsim help [COMMAND]`,
 * `flowsim --help`, `flowsim --version`. Writes the result to stdout (or --output) and every
 * diagnostic, once, to stderr as "flowsim: error: MESSAGE". Sets the program name.
 *
 * Returns: an FsimExit status for exit()
 */
int fsim_cli_run (int argc, char **argv);
