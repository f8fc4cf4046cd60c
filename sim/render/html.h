/* SPDX-License-Identifier: MIT */
/* html.h: the shareable report: one self-contained, offline HTML page about a run. */
#pragma once

#include <glib.h>

#include "engine.h"
#include "policy.h"
#include "population.h"
#include "scenario.h"
#include "timeline.h"

typedef struct {
    const char *diagram_svg;      /* (nullable) the diagram as a sanitized <svg> element */
    const char *diagram_note;     /* (nullable) shown instead when there is no diagram */
    const FsimTimeline *timeline; /* (nullable) a timeline section when set */
    size_t top_flows;             /* rows in the top flows table (0: 15) */
    const char *const *highlight; /* (nullable) "PARTNER:FIELD" selector pairs: the flows the
                                   * page leads with, each with an example route */
    gboolean all;                 /* a row per partner: do not fold the unnamed ones into one */
} FsimHtmlOptions;

/* One run of a page of several (--variant): its name (the tab's title), the what-if as given
 * (nullable) and the run's inputs and outputs; all borrowed. */
typedef struct {
    const char *name;
    const char *args;
    const FsimScenario *scenario;
    const FsimPopulation *pop;
    const FsimDecisions *decisions;
    const FsimResult *result;
    const char *diagram_svg;      /* (nullable) */
    const char *diagram_note;     /* (nullable) why this run has no diagram, before the options' */
    const FsimTimeline *timeline; /* (nullable) */
} FsimHtmlRun;

/**
 * fsim_html_report:
 * Appends an HTML5 page (also well-formed XML) about the run of @scenario. It leads with the
 * findings in plain sentences (findings.h) and the flows of @options->highlight, each with an
 * example route; then the pictures: the diagram, scaled to the column with a link to it at
 * full size, and the timeline if given; then the tables: where the data went, the partners (the
 * ones tagged "unnamed" folded into one row unless @options->all), the top flows with example
 * routes (explain.h), the population; and last the scenario's description, assumptions and
 * sources. It prints on A4 and Letter (a print style sheet).
 *
 * The page is self-contained: CSS and SVG are inline, it has no script, and its
 * Content-Security-Policy forbids scripts and fetching anything. Every string from the
 * scenario is escaped; links are made only of http(s) sources.
 *
 * The room of the page's text is made before it is rendered, to an estimate of every part
 * (room.h; the embedded SVGs counted as given, the example routes' text bounded from their
 * explanation without rendering it). Each example's text is then made in a room of its own,
 * reserved to that bound with a tried allocation.
 *
 * Returns: FALSE with @error set if the example routes cannot be traced (explain.h), a
 *   highlight selects nothing, or the room cannot be had (FSIM_GRAPH_ERROR_NOMEM "out of
 *   memory: needed N bytes for the HTML report", or "... for an example route"); nothing is
 *   appended to @out then.
 */
gboolean fsim_html_report (const FsimScenario *scenario, const FsimPopulation *pop,
                           const FsimDecisions *decisions, const FsimResult *result,
                           const FsimHtmlOptions *options, GString *out, GError **error);

/**
 * fsim_html_report_variants:
 * Like fsim_html_report(), for @n_runs what-ifs of one scenario in one page: each run's
 * findings, pictures and tables in a panel of its own, switched by tabs that need no script
 * (radio buttons and CSS); printed, the panels follow each other. The description, assumptions
 * and sources are those of the first run. @options' diagram and timeline are not used (each
 * run has its own).
 * Returns: FALSE with @error set as fsim_html_report(); nothing is appended then.
 */
gboolean fsim_html_report_variants (const FsimHtmlRun *runs, size_t n_runs,
                                    const FsimHtmlOptions *options, GString *out, GError **error);

/**
 * fsim_html_report_room:
 * Sets @bytes to the most bytes fsim_html_report_variants() appends for @runs (every string
 * from the scenario counted at 6 bytes a byte, the SVGs as given, the timeline's chart by
 * fsim_timeline_room(), the example routes bounded from their explanations), the room it makes before it
 * renders. Returns: FALSE with @error set as fsim_html_report() (a highlight, the tracer).
 */
gboolean fsim_html_report_room (const FsimHtmlRun *runs, size_t n_runs,
                                const FsimHtmlOptions *options, guint64 *bytes, GError **error);

/* ---- shared by html.c and html-flows.c ---- */

/* <tag class="cls">escaped text</tag> (cls nullable). */
void fsim_i_html_element (GString *out, const char *tag, const char *cls, const char *text);
/* "<table><thead><tr><th>h1</th>...</tr></thead><tbody>": @align has 'l' or 'r' per column. */
void fsim_i_html_table_open (GString *out, const char *align, const char *const *headers);
/* One row of cells (escaped), aligned like the header. */
void fsim_i_html_row (GString *out, const char *align, const char *const *cells);
void fsim_i_html_table_close (GString *out);

/* The top-flows section, with one example route per flow (named partners first; without
 * @all, none of the unnamed ones unless there is nothing else); @suffix ("" or "-2") makes its
 * id unique in a page of several runs. FALSE with @error on failure. */
gboolean fsim_i_html_flows (const FsimScenario *scenario, const FsimPopulation *pop,
                            const FsimDecisions *decisions, const FsimResult *result, size_t top,
                            gboolean all, const char *suffix, GString *out, GError **error);
/* The flows the page leads with: for each "PARTNER:FIELD" of @highlight, the users whose
 * selected fields reached the selected partners, and one example route. A highlight that is
 * not PARTNER:FIELD or selects nothing is an error (FSIM_HTML_ERROR_HIGHLIGHT). */
gboolean fsim_i_html_highlights (const FsimScenario *scenario, const FsimPopulation *pop,
                                 const FsimDecisions *decisions, const FsimResult *result,
                                 const char *const *highlight, GString *out, GError **error);

/* The most bytes fsim_i_html_highlights() and fsim_i_html_flows() append: the highlights are
 * resolved, the example users found and their routes' text bounded unrendered; FALSE with @error as
 * they fail (a highlight that selects nothing, the tracer). */
gboolean fsim_i_html_flows_room (const FsimScenario *scenario, const FsimPopulation *pop,
                                 const FsimDecisions *decisions, const FsimResult *result,
                                 size_t top, gboolean all, const char *const *highlight,
                                 guint64 *bytes, GError **error);

#define FSIM_HTML_ERROR (fsim_html_error_quark ())
GQuark fsim_html_error_quark (void);
typedef enum {
    FSIM_HTML_ERROR_HIGHLIGHT, /* a highlight that is not PARTNER:FIELD, or selects nothing */
} FsimHtmlError;
