/* SPDX-License-Identifier: MIT */
/* number.c: a number as a message shows it, the same in every locale. */
#include "config.h"

#include <math.h>

#include <glib.h>

#include "number.h"

char *
fsim_number_text (double v)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];

    if (isnan (v))
        return g_strdup ("nan");
    if (isinf (v))
        return g_strdup (v > 0 ? "inf" : "-inf");
    /* a whole number as such ("5000", not "5e+03"), up to where doubles stop being exact */
    if (v == floor (v) && fabs (v) < 1e17)
        return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.0f", v));
    /* 17 significant digits always read back: stop at the fewest that do */
    for (int digits = 1; digits <= 17; digits++) {
        char format[8];
        g_snprintf (format, sizeof format, "%%.%dg", digits);
        g_ascii_formatd (buf, sizeof buf, format, v);
        if (g_ascii_strtod (buf, NULL) == v)
            break;
    }
    return g_strdup (buf);
}
