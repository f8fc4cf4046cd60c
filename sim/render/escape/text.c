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

/* @words greedily into lines of at most @width columns; the @max_lines-th takes the rest. */
static GPtrArray *
wrap_greedy (char **words, size_t width, size_t max_lines)
{
    GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
    GString *line = NULL;
    size_t line_width = 0;

    for (char **w = words; *w; w++) {
        size_t ww = fsim_text_width (*w);
        gboolean last = max_lines > 0 && lines->len + 1 >= max_lines;
        if (line && !last && line_width + 1 + ww > width) {
            g_ptr_array_add (lines, g_string_free (line, FALSE));
            line = NULL;
        }
        if (line) {
            g_string_append_printf (line, " %s", *w);
            line_width += 1 + ww;
        } else {
            line = g_string_new (*w);
            line_width = ww;
        }
    }
    g_ptr_array_add (lines, line ? g_string_free (line, FALSE) : g_strdup (""));
    return lines;
}

/* As few lines as the width needs, of about equal widths: the narrowest width that still
 * needs no more lines, so that no last line holds a single word when it need not. */
char **
fsim_text_wrap (const char *s, size_t width, size_t max_lines)
{
    g_auto (GStrv) words = g_strsplit (s, " ", -1);
    size_t total = fsim_text_width (s), n = width ? (total + width - 1) / width : 1;
    GPtrArray *lines = NULL;

    if (max_lines > 0 && n > max_lines)
        n = max_lines;
    for (size_t t = n ? (total + n - 1) / n : width; !lines; t++) {
        GPtrArray *try = wrap_greedy (words, MIN (t, width), max_lines);
        if (try->len <= MAX (n, 1) || t >= width)
            lines = try;
        else
            g_ptr_array_unref (try);
    }
    g_ptr_array_set_free_func (lines, NULL);
    g_ptr_array_add (lines, NULL);
    return (char **) g_ptr_array_free (lines, FALSE);
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
