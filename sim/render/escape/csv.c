/* SPDX-License-Identifier: MIT */
/* csv.c: the escaping module of CSV. */
#include "config.h"

#include <string.h>

#include "csv.h"

/*
 * One cell, RFC 4180: quoted when it holds a comma, quote, CR or LF, quotes doubled. A cell
 * a spreadsheet would run as a formula (starting with = + - @, or tab / CR, per OWASP) gets a
 * leading single quote and is quoted.
 */
void
fsim_csv_cell (GString *out, const char *s)
{
    g_autofree char *valid = g_utf8_make_valid (s ? s : "", -1);
    gboolean formula = valid[0] != '\0' && strchr ("=+-@\t\r", valid[0]) != NULL;
    gboolean quote = formula || strpbrk (valid, ",\"\r\n") != NULL;

    if (quote)
        g_string_append_c (out, '"');
    if (formula)
        g_string_append_c (out, '\'');
    for (const char *p = valid; *p; p++) {
        if (*p == '"')
            g_string_append_c (out, '"');
        g_string_append_c (out, *p);
    }
    if (quote)
        g_string_append_c (out, '"');
}
