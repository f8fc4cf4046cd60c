/* SPDX-License-Identifier: MIT */
/* text.c: terminal-safe strings and number formatting for every text output. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "text.h"

/* @v formatted with the printf @format ("%.1f"), with a decimal point whatever the locale
 * (transfer full). */
char *
fsim_fmt_double (const char *format, double v)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];

    return g_strdup (g_ascii_formatd (buf, sizeof buf, format, v));
}

/* "1234567" -> "1,234,567" (transfer full). */
char *
fsim_fmt_count (size_t n)
{
    char digits[32];
    g_snprintf (digits, sizeof digits, "%zu", n);
    size_t len = strlen (digits);
    GString *s = g_string_sized_new (len + len / 3 + 1);
    for (size_t i = 0; i < len; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            g_string_append_c (s, ',');
        g_string_append_c (s, digits[i]);
    }
    return g_string_free (s, FALSE);
}

gboolean
fsim_text_unsafe (gunichar c)
{
    /* C0, DEL, C1 (terminal escapes) and the bidi controls that reorder what a reader sees. */
    return g_unichar_iscntrl (c) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

/* A copy of @s, valid UTF-8, with the unsafe characters but (if @lines) newlines and tabs
 * shown as '?' (transfer full). NULL gives "". */
static char *
clean (const char *s, gboolean lines)
{
    g_autofree char *valid = g_utf8_make_valid (s ? s : "", -1);
    GString *out = g_string_sized_new (strlen (valid));
    for (const char *p = valid; *p; p = g_utf8_next_char (p)) {
        gunichar c = g_utf8_get_char (p);
        if (fsim_text_unsafe (c) && !(lines && (c == '\n' || c == '\t')))
            g_string_append_c (out, '?');
        else
            g_string_append_len (out, p, g_utf8_next_char (p) - p);
    }
    return g_string_free (out, FALSE);
}

/* A copy of @s that is valid UTF-8 and safe to print (transfer full). NULL gives "". */
char *
fsim_text_clean (const char *s)
{
    return clean (s, FALSE);
}

/* Columns a cleaned string takes on a terminal (East Asian wide characters take two). */
size_t
fsim_text_width (const char *s)
{
    size_t w = 0;
    for (const char *p = s; *p; p = g_utf8_next_char (p)) {
        gunichar c = g_utf8_get_char (p);
        if (!g_unichar_iszerowidth (c))
            w += g_unichar_iswide (c) ? 2 : 1;
    }
    return w;
}

/* @s (cleaned) cut to @max columns, "..." marking the cut (transfer full). */
char *
fsim_text_truncate (char *s, size_t max)
{
    size_t w = 0;

    if (fsim_text_width (s) <= max)
        return s;
    for (char *p = s; *p; p = g_utf8_next_char (p)) {
        gunichar c = g_utf8_get_char (p);
        size_t cw = g_unichar_iszerowidth (c) ? 0 : g_unichar_iswide (c) ? 2 : 1;
        if (w + cw > max - 3) {
            *p = '\0';
            break;
        }
        w += cw;
    }
    char *cut = g_strconcat (s, "...", NULL);
    g_free (s);
    return cut;
}

void
fsim_append_spaces (GString *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        g_string_append_c (out, ' ');
}

/* ---- "did you mean" ---------------------------------------------------------------------- */

static size_t
edit_distance (const char *a, const char *b)
{
    size_t la = strlen (a), lb = strlen (b);
    if (la > 64 || lb > 64)
        return G_MAXSIZE;
    size_t row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t cost = g_ascii_tolower (a[i - 1]) == g_ascii_tolower (b[j - 1]) ? 0 : 1;
            row[j] = MIN (MIN (row[j] + 1, row[j - 1] + 1), diag + cost);
            diag = up;
        }
    }
    return row[lb];
}

const char *
fsim_text_closest (const char *word, const char *const *candidates, size_t n)
{
    const char *best = NULL;
    size_t best_d = G_MAXSIZE;
    for (size_t i = 0; i < n; i++) {
        if (candidates[i] == NULL) /* no name to suggest */
            continue;
        size_t d = edit_distance (word, candidates[i]);
        if (d < best_d) {
            best_d = d;
            best = candidates[i];
        }
    }
    size_t limit = MAX ((size_t) 2, strlen (word) / 3);
    return best_d <= limit ? best : NULL;
}

char *
fsim_text_clean_message (const char *s)
{
    return clean (s, TRUE);
}
