/* SPDX-License-Identifier: MIT */
/* cmd-analysis.h: what the analysis subcommands (explain, diff, check, lint, possible) share. */
#pragma once

#include <glib.h>

#include "cli-private.h"
#include "explain.h"
#include "policy.h"
#include "population.h"
#include "scenario.h"

/* A scenario made ready to trace: its population, decisions on its date and a tracer. */
typedef struct {
    FsimScenario *scenario;
    FsimPopulation *pop;
    FsimDecisions *decisions;
    FsimTracer *tracer;
} FsimWorld;

void fsim_i_world_clear (FsimWorld *w);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FsimWorld, fsim_i_world_clear)

/* Loads @path with @sets into @w (cleared first). Returns: FSIM_EXIT_OK, FSIM_EXIT_INPUT (bad
 * file or population) or FSIM_EXIT_INTERNAL, with @error set on failure. */
FsimExit fsim_i_world_load (FsimWorld *w, const char *path, const char *const *sets,
                            GError **error);
/* Makes @scenario (taken) ready in @w, using @pop (taken; NULL: built from @scenario) and
 * deciding on @day. */
FsimExit fsim_i_world_take (FsimWorld *w, FsimScenario *scenario, FsimPopulation *pop,
                            FsimDay day, GError **error);

/* A GOptionContext for `flowsim NAME`, with our own --help (GLib's exits from the parser). */
GOptionContext *fsim_i_cmd_context (const char *name, const char *parameters,
                                    const GOptionEntry *entries, const char *summary,
                                    const char *description);
/* The help text of a command (transfer full): options, then the exit statuses. */
char *fsim_i_cmd_help (GOptionContext *context, const char *name);
/* Parses @argv (argv[0] is the command) with @context; a failure is a usage error. */
FsimExit fsim_i_cmd_parse (GOptionContext *context, const char *name, int argc, char **argv,
                           GError **error);
/* Every --set must be PATH=VALUE; a usage error otherwise. */
FsimExit fsim_i_cmd_check_sets (char **sets, GError **error);
/* Writes @help to stdout. */
FsimExit fsim_i_cmd_print_help (GOptionContext *context, const char *name, GError **error);
/* Writes @text to @output (atomically) or stdout; FSIM_EXIT_INTERNAL on failure. */
FsimExit fsim_i_cmd_output (const char *output, const GString *text, GError **error);
