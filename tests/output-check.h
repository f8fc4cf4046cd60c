/* SPDX-License-Identifier: MIT */
/* output-check.h: strict validators for what flowsim writes (JSON, CSV), for tests and fuzzing. */
#pragma once

#include <stddef.h>

#include <glib.h>

/*
 * fsim_check_json:
 * Is @text (@len bytes) one JSON value per RFC 8259, in valid UTF-8, with no raw control
 * character in a string, optionally followed by whitespace? On failure *out_error (if not NULL)
 * says where and why (transfer full).
 */
gboolean fsim_check_json (const char *text, size_t len, char **out_error);

/*
 * fsim_check_csv:
 * Is @text (@len bytes) valid UTF-8 and a CSV table per RFC 4180 with LF line ends (a quoted
 * cell may hold any text, quotes doubled; an unquoted one no quote, comma, CR or LF), every row
 * with as many cells as the first, ending with a newline, and no cell whose value starts with
 * = + - @ TAB or CR (which a spreadsheet would run as a formula)? Sets *out_n_rows and
 * *out_n_cols (may be NULL) on success.
 */
gboolean fsim_check_csv (const char *text, size_t len, size_t *out_n_rows, size_t *out_n_cols,
                         char **out_error);

/*
 * fsim_check_csv_cell:
 * The value of cell @col of row @row (0 = the header) of a table fsim_check_csv() accepts,
 * unquoted (transfer full), or NULL if there is no such cell.
 */
char *fsim_check_csv_cell (const char *text, size_t len, size_t row, size_t col);

/*
 * fsim_check_dot:
 * Is @text valid UTF-8 with every DOT quoted string closed (backslash escapes honoured), no raw
 * newline inside one, and braces and brackets balanced outside them? A name that broke out of
 * its string would unbalance one of these. (A full check runs Graphviz: tests/test-output.c.)
 */
gboolean fsim_check_dot (const char *text, size_t len, char **out_error);
