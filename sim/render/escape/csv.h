/* SPDX-License-Identifier: MIT */
/* csv.h: the escaping module of CSV (RFC 4180, and safe to open in a spreadsheet). */
#pragma once

#include <glib.h>

/* Appends @s (NULL: empty) as one CSV cell: quoted when it holds a comma, quote, CR or LF,
 * quotes doubled; a cell a spreadsheet would run as a formula (starting with = + - @, tab or
 * CR, per OWASP) gets a leading single quote and is quoted. Can't fail. */
void fsim_csv_cell (GString *out, const char *s);
