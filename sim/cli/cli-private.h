/* SPDX-License-Identifier: MIT */
/* cli-private.h: what the subcommands (sim/cmd-*.c) share with the dispatcher (sim/cli/cli.c). */
#pragma once

#include <glib.h>

#include "cli.h"
#include "diagram.h"
#include "loader.h"
#include "progress.h"
#include "report.h"

/*
 * --partner SEL, --field SEL and --jurisdiction J, shared by the commands that can focus on
 * part of a result (run, diff, timeline; report and diagram may take them the same way): add
 * the options with fsim_i_focus_add_entries(), resolve them against the loaded scenario with
 * fsim_i_focus_resolve() (docs/analysis.md, "Focus").
 */
typedef struct {
    char **partner; /* repeatable: the partners any of them selects */
    char **field;   /* repeatable, the same */
    char *jurisdiction;
} FsimFocusOptions;

void fsim_i_focus_add_entries (GOptionContext *context, FsimFocusOptions *o);
void fsim_i_focus_options_clear (FsimFocusOptions *o);
/* Whether any focus option was given. */
gboolean fsim_i_focus_given (const FsimFocusOptions *o);
/* Fills @out from @o: a selector that selects nothing, or a jurisdiction where no destination
 * of @s keeps data, is a usage error (FSIM_EXIT_USAGE). @out is cleared first. */
FsimExit fsim_i_focus_resolve (const FsimFocusOptions *o, const FsimScenario *s, FsimFocus *out,
                               GError **error);
/* A usage error, one wording for every command, unless @sel (given as @option) selects a
 * partner of @s; the partners it selects go to @bits (nullable). */
FsimExit fsim_i_cli_check_partner (const FsimScenario *s, const char *option, const char *sel,
                                   FsimWord **bits, GError **error);
/* A usage error naming the places where @s keeps data, unless one of them is @j. */
FsimExit fsim_i_cli_check_jurisdiction (const FsimScenario *s, const char *j, GError **error);

/* Warns on stderr ("flowsim: warning: LOC: MESSAGE [kind]") about each lint warning that the
 * command-line overrides @sets cause in @with_sets (the scenario @path loaded with them): an
 * override that can have no effect, with the reason. Nothing when @sets is empty. */
void fsim_i_warn_overrides (const char *path, const char *const *sets,
                            const FsimScenario *with_sets);
/* ... leaving out the lines in @said (a set of strings, nullable), and adding those printed:
 * a command that loads the scenario several times (report's variants) says each once. */
void fsim_i_warn_overrides_once (const char *path, const char *const *sets,
                                 const FsimScenario *with_sets, GHashTable *said);
/* Warns on stderr about each of @sets under a top-level key of @keys (NULL-terminated: "rules",
 * "apis" or "expect"), which the command never reads: "flowsim: warning: --set PATH: REASON
 * [set-never-read]". With @said as in fsim_i_warn_overrides_once(). fsim_i_warn_overrides()
 * does it for "expect" (only `check` evaluates the expectations). */
void fsim_i_warn_unread_sets (const char *const *sets, const char *const *keys, GHashTable *said);
void fsim_i_warn_same_value_sets (const char *const *sets, const FsimScenario *with_sets,
                                  GHashTable *said);
/* The same for the paths of another option (@option, such as "--vary"): @sets may be
 * "PATH=VALUE" or a bare PATH; the line names "@option PATH". */
void fsim_i_warn_unread_option (const char *option, const char *const *sets,
                                const char *const *keys, GHashTable *said);
/* The same for commands that load @path (NULL: the default scenario) themselves: loads it with
 * @sets first. Nothing when @sets is empty or the file does not load (the command says why). */
void fsim_i_warn_overrides_of (const char *path, const char *const *sets);
/* Warns on stderr about each lint warning of @after that @before (nullable) does not have: what
 * the change from one to the other makes that can have no effect. Each line is "flowsim:
 * warning: [@prefix: ]LOC: MESSAGE [kind]" (with @prefix, LOC is left out when it is a --set,
 * which @prefix names better); with @said (a set of strings, nullable), a line
 * already in it is not printed again, and the lines printed are added. */
void fsim_i_warn_new_lint (const FsimScenario *before, const FsimScenario *after,
                           const char *prefix, GHashTable *said);
/* The messages of @s's lint warnings (a set of strings; empty for NULL, or when memory runs
 * out for lint: the warnings are advice), for fsim_i_warn_lint_not_in(). (transfer full) */
GHashTable *fsim_i_lint_messages (const FsimScenario *s);
/* fsim_i_warn_new_lint() with the messages of @before linted once (fsim_i_lint_messages()):
 * a command that compares many variants with one base lints the base once. */
void fsim_i_warn_lint_not_in (GHashTable *known, const FsimScenario *after, const char *prefix,
                              GHashTable *said);
/* fsim_i_warn_lint_not_in() for the scenario @path loaded with @sets and then @extra (one
 * more PATH=VALUE): nothing when that does not load. @base: (nullable): @path read and merged
 * once (fsim_loader_base_new()), for a command that loads it many times. */
void fsim_i_warn_one_more_set (FsimLoaderBase *base, const char *path, const char *const *sets,
                               const char *extra, GHashTable *known, const char *prefix,
                               GHashTable *said);

/* A subcommand: `flowsim NAME ...` calls run() with argv[0] == NAME. */
typedef struct {
    const char *name;
    const char *summary;
    FsimExit (*run) (int argc, char **argv, GError **error);
    char *(*help) (void); /* transfer full */
} FsimCommand;

extern const FsimCommand fsim_cmd_run;
extern const FsimCommand fsim_cmd_population;
extern const FsimCommand fsim_cmd_diff;
extern const FsimCommand fsim_cmd_explain;
extern const FsimCommand fsim_cmd_check;
extern const FsimCommand fsim_cmd_lint;
extern const FsimCommand fsim_cmd_possible;
extern const FsimCommand fsim_cmd_diagram;
extern const FsimCommand fsim_cmd_timeline;
extern const FsimCommand fsim_cmd_report;
extern const FsimCommand fsim_cmd_sweep;
extern const FsimCommand fsim_cmd_serve;
extern const FsimCommand fsim_cmd_claims;

/* The "Exit status:" paragraph every help text ends with. */
extern const char fsim_i_cli_exit_status_help[];

/* Sets a usage error (printed with a hint to --help) and returns FSIM_EXIT_USAGE. */
FsimExit fsim_i_cli_usage_error (GError **error, const char *format, ...) G_GNUC_PRINTF (2, 3);

gboolean fsim_i_cli_write_stdout (const char *text, size_t len, GError **error);
/* The Graphviz program to run for SVG and PNG: $FLOWSIM_DOT, or NULL for `dot` in PATH. */
const char *fsim_i_cli_dot_program (void);
/* After a diagram that could not be drawn: moves *@local into @error and returns its status,
 * FSIM_EXIT_USAGE for a graph too large for Graphviz (FSIM_GRAPHVIZ_ERROR_TOO_LARGE: refused
 * before `dot` ran, or `dot` stopped at its CPU time), as a timeline over its budget is, and
 * FSIM_EXIT_INTERNAL for anything else (no Graphviz, `dot` failed, out of memory). */
FsimExit fsim_i_cli_draw_failed (GError **local, GError **error);

/* Writes @text to @output by the rules of output.h (a regular file is replaced atomically, a
 * device or FIFO written in place), or to stdout when @output is NULL or "-". Nothing is left
 * behind on failure. */
gboolean fsim_i_cli_write_output (const char *output, const GString *text, GError **error);

/* cli-progress.c: the same with a progress line on stderr while the population is built and
 * traced, shown only when stderr is a terminal and not @quiet. */
FsimExit fsim_i_cli_render_progress (const char *path, const char *const *sets,
                                     const FsimFocusOptions *focus, FsimReportFormat format,
                                     const FsimReportOptions *report, gboolean quiet, GString *out,
                                     GError **error);

/* Loads @path with @sets and builds its population, reporting the build on @progress.
 * Returns FSIM_EXIT_OK with both outputs set, else FSIM_EXIT_INPUT with @error set. */
FsimExit fsim_i_cli_load_population (const char *path, const char *const *sets,
                                     FsimProgress *progress, FsimScenario **out_scenario,
                                     FsimPopulation **out_pop, GError **error);

/* cli-options.c: the option handling every subcommand shares. @name is the command, as in
 * `flowsim NAME`, which the usage line of its help names. */

/* A GOptionContext for `flowsim NAME`, with our own --help (GLib's exits from the parser). */
GOptionContext *fsim_i_cmd_context (const char *name, const char *parameters,
                                    const GOptionEntry *entries, const char *summary,
                                    const char *description);
/* The help text of a command (transfer full): options, then the exit statuses. */
char *fsim_i_cmd_help (GOptionContext *context, const char *name);
/* Parses @argv (argv[0] is the command; not modified) with @context; a failure is a usage
 * error. */
FsimExit fsim_i_cmd_parse (GOptionContext *context, const char *name, int argc, char **argv,
                           GError **error);
/* Every --set must be PATH=VALUE; a usage error otherwise. */
FsimExit fsim_i_cmd_check_sets (char **sets, GError **error);
/* The same, and every --claim must be CLAIM=ALTERNATIVE: the claims are then appended to
 * *@sets as "choices.CLAIM=ALTERNATIVE", which the loader applies before the claims
 * (docs/format.md, "Claims"). */
FsimExit fsim_i_cmd_check_overrides (char ***sets, char **claims, GError **error);

/* The --claim option of every command that runs a scenario (@claims: a char ***). */
#define FSIM_CLI_CLAIM_OPTION(claims)                                                              \
    {                                                                                              \
        "claim", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, (claims),                                      \
            "Take ALTERNATIVE for the contested fact CLAIM, after the scenario's choices "         \
            "(repeatable; see flowsim claims)",                                                    \
            "CLAIM=ALTERNATIVE"                                                                    \
    }
/* --max-graph-size SIZE of every command that builds a population: the most one process
 * reads of an edge list (graph/import.h, fsim_import_set_edge_list_max_bytes()), set while
 * the options are parsed; a bad SIZE is a usage error. Never a scenario key: a scenario may
 * come from anyone, the option only from the user running flowsim (docs/robustness.md). */
#define FSIM_CLI_MAX_GRAPH_SIZE_OPTION                                                             \
    {                                                                                              \
        "max-graph-size", 0, 0, G_OPTION_ARG_CALLBACK, fsim_i_cli_max_graph_size_callback (),      \
            "Read an edge list you trust of up to SIZE per process (default 256MiB, at most "      \
            "16GiB; under mpirun each rank reads its part)",                                       \
            "SIZE"                                                                                 \
    }
/* The arg_data of FSIM_CLI_MAX_GRAPH_SIZE_OPTION: its GOptionArgFunc. */
gpointer fsim_i_cli_max_graph_size_callback (void);
/* The positional arguments of a command that takes at most one SCENARIO: a usage error
 * (FALSE) for a second one. */
gboolean fsim_i_cmd_check_scenario_args (char *const *args, GError **error);
/* The SCENARIO argument, or the bundled default when none was given (transfer full). */
char *fsim_i_cmd_scenario_path (char *const *args);
/* Writes the help of @context (fsim_i_cmd_help()) to stdout; FSIM_EXIT_INTERNAL on failure. */
FsimExit fsim_i_cmd_print_help (GOptionContext *context, const char *name, GError **error);
/* Writes @text to @output (output.h) or stdout; FSIM_EXIT_INTERNAL on failure. */
FsimExit fsim_i_cmd_output (const char *output, const GString *text, GError **error);

/* cli-diagram.c: the diagram's options (--top, --group-by, --partner, --field, --jurisdiction,
 * --aspect), shared by `flowsim diagram` and `flowsim report`. */
typedef struct {
    char *top, *group_by, *jurisdiction, *aspect;
    char **partners, **fields;
} FsimCliDiagram;

/* Adds the options to @context, parsed into @o (which must outlive the parse). */
void fsim_i_cli_diagram_add (GOptionContext *context, FsimCliDiagram *o);
/* Checks the parsed options and fills @d (which then points into @o); a usage error else. */
FsimExit fsim_i_cli_diagram_parse (const FsimCliDiagram *o, FsimDiagramOptions *d, GError **error);
/* After the run: a usage error for a --partner or --field that selects nothing, or a
 * --jurisdiction where nothing is kept. */
FsimExit fsim_i_cli_diagram_check (const FsimCliDiagram *o, const FsimScenario *s, GError **error);
void fsim_i_cli_diagram_clear (FsimCliDiagram *o);
