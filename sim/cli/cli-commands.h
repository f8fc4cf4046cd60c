/* SPDX-License-Identifier: MIT */
/* cli-commands.h: the bodies of the commands that print a result, callable without a command
 * line, so that `flowsim serve` (docs/serve.md) answers with exactly what the CLI prints. */
#pragma once

#include <glib.h>

#include "cli-private.h"
#include "cli-sim.h"
#include "cli.h"
#include "diagram.h"
#include "report.h"
#include "timeline.h"

/*
 * Each function takes the scenario file @path and its `--set` overrides @sets (nullable,
 * NULL-terminated "PATH=VALUE", already checked by fsim_i_cmd_check_sets()), where to get the
 * population from (@source, nullable: built from the scenario, as the CLI does), appends the
 * output to @out and returns FSIM_EXIT_OK, or the exit status of the step that failed with
 * @error set (the message the CLI prints after "flowsim: error: "). @out may then hold a part.
 */

/* `flowsim run --format FORMAT`, without progress. */
FsimExit fsim_i_run_render (const char *path, const char *const *sets,
                            const FsimPopulationSource *source, FsimReportFormat format,
                            GString *out, GError **error);

/* What `flowsim explain` is asked; the strings are the caller's. */
typedef struct {
    const char *user;        /* --user, required */
    const char *field;       /* --field, nullable */
    const char *partner;     /* --partner, nullable */
    const char *destination; /* --destination, nullable; not with @partner */
    const char *format;      /* text (NULL), json, dot or svg */
} FsimExplainRequest;

/* The checks `flowsim explain` makes of its options before loading anything: a usage error
 * (FSIM_EXIT_USAGE) or FSIM_EXIT_OK. */
FsimExit fsim_i_explain_check (const FsimExplainRequest *rq, GError **error);
/* `flowsim explain`: @rq must have passed fsim_i_explain_check(). */
FsimExit fsim_i_explain_render (const char *path, const char *const *sets,
                                const FsimPopulationSource *source, const FsimExplainRequest *rq,
                                GString *out, GError **error);

/* Is @format one `flowsim diff` draws or prints (text, json, dot, svg)? NULL is text. */
gboolean fsim_i_diff_format_ok (const char *format);
/* `flowsim diff BASE [WHATIF] --set ...` (always builds both populations): @whatif_path NULL
 * is BASE with @sets. Sets
 * *@out_changed (nullable) to whether the what-if differs. */
FsimExit fsim_i_diff_render (const char *base_path, const char *whatif_path,
                             const char *const *sets, const char *format, gboolean *out_changed,
                             GString *out, GError **error);

/* The dates, step and format of `flowsim timeline`. */
typedef struct {
    FsimDay from, to;
    FsimTimelineStep step;
    FsimTimelineFormat format;
    const char *const *series;     /* --series values, NULL-terminated, or NULL */
    const FsimFocusOptions *focus; /* --partner, --field, --jurisdiction, or NULL */
    gboolean warn; /* warn on stderr about --set overrides that can have no effect */
} FsimTimelineArgs;

/* The default step: one year. */
#define FSIM_TIMELINE_ARGS_INIT                                                                    \
    {                                                                                              \
        .step = { 12, TRUE }, .format = FSIM_TIMELINE_TEXT                                         \
    }

/* Checks --from, --to (both required) and --step (nullable) as `flowsim timeline` does and
 * fills @a: FSIM_EXIT_OK or a usage error. */
FsimExit fsim_i_timeline_check_range (const char *from, const char *to, const char *step,
                                      FsimTimelineArgs *a, GError **error);
/* Every --series of @a is one @scenario can draw: FALSE with the usage error of the first that
 * is not. Checked before the population is built (by every rank under mpirun). */
gboolean fsim_i_timeline_series_ok (const FsimScenario *scenario, const FsimTimelineArgs *a,
                                    GError **error);
/* `flowsim timeline`. */
FsimExit fsim_i_timeline_render_to (const char *path, const char *const *sets,
                                    const FsimPopulationSource *source, const FsimTimelineArgs *a,
                                    GString *out, GError **error);

/* `flowsim claims [--effect] --format json|text`: @json FALSE is text. */
FsimExit fsim_i_claims_render (const char *path, const char *const *sets, gboolean effect,
                               gboolean json, GString *out, GError **error);

/* Parses `flowsim diagram --top N`: FALSE with a usage error if not 0..100000. */
gboolean fsim_i_diagram_parse_top (const char *text, size_t *out_top, GError **error);
/* `flowsim diagram --format FORMAT` (dot, svg or png); @focus (nullable): the --partner,
 * --field and --jurisdiction options, checked against the scenario. */
FsimExit fsim_i_diagram_render (const char *path, const char *const *sets,
                                const FsimPopulationSource *source, const FsimDiagramOptions *d,
                                const FsimCliDiagram *focus, const char *format, GString *out,
                                GError **error);
