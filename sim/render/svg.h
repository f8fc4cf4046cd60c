/* SPDX-License-Identifier: MIT */
/* svg.h: markup helpers for the SVG and HTML outputs: escaping, checking, a safe SVG subset. */
#pragma once

#include <glib.h>

#include "markup.h"

#define FSIM_SVG_ERROR (fsim_svg_error_quark ())
GQuark fsim_svg_error_quark (void);

typedef enum {
    FSIM_SVG_ERROR_PARSE, /* not well-formed XML */
    FSIM_SVG_ERROR_EMPTY, /* no <svg> element at the top */
} FsimSvgError;

/**
 * fsim_svg_check:
 * Checks that @text (@len bytes, or -1 for NUL-terminated) is a well-formed XML document
 * (GMarkup: UTF-8, balanced tags, the five predefined entities and character references only)
 * whose root element is <svg>. A leading XML declaration, DOCTYPE and comments are allowed.
 * Returns: FALSE with @error set (FSIM_SVG_ERROR_PARSE or _EMPTY) otherwise.
 */
gboolean fsim_svg_check (const char *text, gssize len, GError **error);

/**
 * fsim_svg_sanitize:
 * Re-writes the SVG document @text (as Graphviz writes it) for inlining in an HTML page:
 * drops the XML declaration, DOCTYPE and comments, keeps only drawing elements (svg, g, title,
 * path, polygon, polyline, ellipse, circle, rect, line, text, tspan) and presentation
 * attributes (no id, no event handlers, no links, no style), and re-escapes all text. Nothing
 * in the result can run script or fetch anything.
 * Returns: (transfer full): the <svg> element, or NULL with @error set if @text is not
 *   well-formed, or FSIM_GRAPH_ERROR_NOMEM "out of memory: needed N bytes for the diagram's
 *   SVG" when its room, counted in a first pass, cannot be had (a tried allocation).
 */
char *fsim_svg_sanitize (const char *text, gssize len, GError **error);

/* Appends a number for an SVG attribute: at most 2 decimals, '.' whatever the locale. */
void fsim_svg_number (GString *out, double v);
