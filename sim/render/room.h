/* SPDX-License-Identifier: MIT */
/* room.h: room for a report's text, made before it is rendered (issue 11). */
#pragma once

#include <glib.h>

/*
 * A report's text is a GString, and a GString grows through g_realloc, which aborts when the
 * system refuses it. The text of the large reports grows with the input (flows, dates times
 * partners, listed rows), so each renderer whose text does has an estimate function
 * (fsim_report_room(), fsim_timeline_room(), ...): an upper bound of the bytes it appends,
 * computed from the same structures without rendering. The caller makes that room with
 * fsim_room_reserve() before it renders; running out is then an error, not an abort, and the
 * render itself never grows the string.
 *
 *     if (!fsim_room_reserve (out, fsim_report_room (s, r, format), "the report", error))
 *         return FSIM_EXIT_INTERNAL;
 *     fsim_report_render (s, pop, r, format, out);
 */

/* The most bytes one escaped string of flowsim's writes for a byte of @s: JSON writes a control
 * byte as \u001f (markup's &quot; is 6 too; invalid UTF-8 becomes U+FFFD, 3). */
#define FSIM_ROOM_PER_BYTE 6

/**
 * fsim_room_text:
 * @s: (nullable): a string as a renderer gets it
 * Returns: the most bytes any of flowsim's escapers (JSON, markup, CSV, DOT, terminal text)
 *   writes for @s with its quotes: 6 per byte and 2; 4 ("null") for NULL. Can't fail.
 */
guint64 fsim_room_text (const char *s);

/**
 * fsim_room_json:
 * @s: (nullable): a string as a renderer gets it
 * Returns: the bytes fsim_json_string() writes for @s with its quotes (4, "null", for NULL), which
 *   is also at least what the terminal's cleaning (fsim_text_clean(): a control character is one
 *   '?', an invalid byte U+FFFD like JSON's) writes for it; plain ASCII without
 *   quotes or backslashes is counted without escaping it. Can't fail.
 */
guint64 fsim_room_json (const char *s);

/* The exact bytes @escape (fsim_json_string, fsim_csv_cell, ...) appends for @s (NULL: 4, as
 * "null"). Can't fail. */
guint64 fsim_room_escaped (void (*escape) (GString *, const char *), const char *s);
/* The digits of @n in decimal. Can't fail. */
guint64 fsim_room_digits (guint64 n);

/**
 * fsim_room_reserve:
 * @out: the text about to be appended to
 * @bytes: the most bytes the renderer will append (its estimate function)
 * @what: (nullable): what the text is, for the message ("the report")
 *
 * Grows @out's buffer with a tried allocation so that @bytes more fit without g_realloc (the
 * new memory is not touched: pages the render does not write cost no memory).
 * Returns: TRUE, or FALSE with FSIM_GRAPH_ERROR_NOMEM "out of memory: needed N bytes for @what"
 *   and @out unchanged.
 */
gboolean fsim_room_reserve (GString *out, guint64 bytes, const char *what, GError **error);

/*
 * A table of terminal text (table.h) in the making: each cell padded to the widest of its column,
 * so a bound is every cell's own bytes plus, per row, the widest of each column.
 */
#define FSIM_ROOM_COLUMNS 8
typedef struct {
    guint64 rows, bytes, widest[FSIM_ROOM_COLUMNS];
} FsimRoomTable;

/* Adds a row of @n cells of terminal text, each bounded by fsim_room_json() (NULL: a count, at
 * most 26 characters "18,446,744,073,709,551,615"). Can't fail. */
void fsim_room_table_row (FsimRoomTable *t, const char *const *cells, size_t n);
/* The bound of the whole table, its header and title included. Can't fail. */
guint64 fsim_room_table_bytes (const FsimRoomTable *t);
