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
} FsimHtmlOptions;

/**
 * fsim_html_report:
 * Appends an HTML5 page (also well-formed XML) about the run of @scenario: its description,
 * assumptions and sources, the population, the key numbers, the diagram, where the data went
 * (jurisdictions), the partners, the timeline if given, and the top flows, each explained by
 * the route of one example user (explain.h).
 *
 * The page is self-contained: CSS and SVG are inline, it has no script, and its
 * Content-Security-Policy forbids scripts and fetching anything. Every string from the
 * scenario is escaped; links are made only of http(s) sources.
 *
 * Returns: FALSE with @error set if the example routes cannot be traced (explain.h);
 *   nothing is appended to @out then.
 */
gboolean fsim_html_report (const FsimScenario *scenario, const FsimPopulation *pop,
                           const FsimDecisions *decisions, const FsimResult *result,
                           const FsimHtmlOptions *options, GString *out, GError **error);

/* ---- shared by html.c and html-flows.c ---- */

/* <tag class="cls">escaped text</tag> (cls nullable). */
void fsim_i_html_element (GString *out, const char *tag, const char *cls, const char *text);
/* "<table><thead><tr><th>h1</th>...</tr></thead><tbody>": @align has 'l' or 'r' per column. */
void fsim_i_html_table_open (GString *out, const char *align, const char *const *headers);
/* One row of cells (escaped), aligned like the header. */
void fsim_i_html_row (GString *out, const char *align, const char *const *cells);
void fsim_i_html_table_close (GString *out);

/* The top-flows section, with one example route per flow. FALSE with @error on failure. */
gboolean fsim_i_html_flows (const FsimScenario *scenario, const FsimPopulation *pop,
                            const FsimDecisions *decisions, const FsimResult *result, size_t top,
                            GString *out, GError **error);
