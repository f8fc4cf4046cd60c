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
    FSIM_SVG_ERROR_PIECE, /* an element, a text or a comment over FSIM_SVG_MAX_PIECE bytes */
} FsimSvgError;

/* The bytes of one piece of an SVG document that fsim_svg_check() and fsim_svg_sanitize() take:
 * a tag (with its attributes), the text between two tags, a comment, a CDATA section, a
 * processing instruction or the DOCTYPE. GMarkup copies each piece into GLib memory (and the
 * sanitizer escapes it, up to 6 bytes a byte), whose allocations abort when they fail: a piece
 * is refused over this size, before GMarkup sees the text, so that no such copy exceeds a few
 * MiB. Graphviz writes pieces of a few KiB (a path's "d" is the largest). */
#define FSIM_SVG_MAX_PIECE (1 << 20)

/**
 * fsim_svg_check:
 * Checks that @text (@len bytes, or -1 for NUL-terminated) is a well-formed XML document
 * (GMarkup: UTF-8, balanced tags, the five predefined entities and character references only)
 * whose root element is <svg>. A leading XML declaration, DOCTYPE and comments are allowed.
 * Returns: FALSE with @error set (FSIM_SVG_ERROR_PARSE or _EMPTY) otherwise, or
 *   FSIM_SVG_ERROR_PIECE for a piece over FSIM_SVG_MAX_PIECE bytes.
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
 *   well-formed (FSIM_SVG_ERROR_PIECE: a piece over FSIM_SVG_MAX_PIECE bytes), or
 *   FSIM_GRAPH_ERROR_NOMEM "out of memory: needed N bytes for the diagram's
 *   SVG" when its room, counted in a first pass, cannot be had (a tried allocation).
 */
char *fsim_svg_sanitize (const char *text, gssize len, GError **error);

/* Appends a number for an SVG attribute: at most 2 decimals, '.' whatever the locale. */
void fsim_svg_number (GString *out, double v);
