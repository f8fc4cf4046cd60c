/* SPDX-License-Identifier: MIT */
/* table.c: aligned text tables and terminal-safe strings for the text outputs. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "table.h"

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


static gboolean
is_unsafe_for_terminal (gunichar c)
{
    /* C0, DEL, C1 (terminal escapes) and the bidi controls that reorder what a reader sees. */
    return g_unichar_iscntrl (c) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

/* A copy of @s that is valid UTF-8 and safe to print (transfer full). NULL gives "". */
char *
fsim_text_clean (const char *s)
{
    g_autofree char *valid = g_utf8_make_valid (s ? s : "", -1);
    GString *out = g_string_sized_new (strlen (valid));
    for (const char *p = valid; *p; p = g_utf8_next_char (p)) {
        gunichar c = g_utf8_get_char (p);
        if (is_unsafe_for_terminal (c))
            g_string_append_c (out, '?');
        else
            g_string_append_len (out, p, g_utf8_next_char (p) - p);
    }
    return g_string_free (out, FALSE);
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


void
fsim_table_init (FsimTable *t, const char *align, const char *const *headers)
{
    t->n_cols = strlen (align);
    g_assert (t->n_cols > 0 && t->n_cols <= FSIM_TABLE_MAX_COLS);
    t->align = align;
    t->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
    g_ptr_array_add (t->rows, g_strdupv ((char **) headers));
}

/* A new row whose n_cols cells the caller fills with owned strings. */
char **
fsim_table_row (FsimTable *t)
{
    char **row = g_new0 (char *, t->n_cols + 1);
    g_ptr_array_add (t->rows, row);
    return row;
}

static void
table_render_row (const FsimTable *t, char *const *row, const size_t *widths, GString *out)
{
    g_string_append (out, "  ");
    for (size_t c = 0; c < t->n_cols; c++) {
        const char *cell = row[c] ? row[c] : "";
        size_t pad = widths[c] - fsim_text_width (cell);
        if (c > 0)
            g_string_append (out, "  ");
        if (t->align[c] == 'r')
            fsim_append_spaces (out, pad);
        g_string_append (out, cell);
        if (t->align[c] != 'r' && c + 1 < t->n_cols)
            fsim_append_spaces (out, pad);
    }
    g_string_append_c (out, '\n');
}

/* Appends @title and the table (or "(none)"), and frees the table's rows. */
void
fsim_table_finish (FsimTable *t, const char *title, GString *out)
{
    size_t widths[FSIM_TABLE_MAX_COLS] = { 0 };

    g_string_append (out, title);
    if (t->rows->len <= 1) {
        g_string_append (out, "  (none)\n");
        g_clear_pointer (&t->rows, g_ptr_array_unref);
        return;
    }
    for (guint i = 0; i < t->rows->len; i++) {
        char **row = g_ptr_array_index (t->rows, i);
        for (size_t c = 0; c < t->n_cols; c++)
            widths[c] = MAX (widths[c], fsim_text_width (row[c] ? row[c] : ""));
    }
    table_render_row (t, g_ptr_array_index (t->rows, 0), widths, out);
    g_string_append (out, "  ");
    for (size_t c = 0; c < t->n_cols; c++) {
        if (c > 0)
            g_string_append (out, "  ");
        for (size_t i = 0; i < widths[c]; i++)
            g_string_append_c (out, '-');
    }
    g_string_append_c (out, '\n');
    for (guint i = 1; i < t->rows->len; i++)
        table_render_row (t, g_ptr_array_index (t->rows, i), widths, out);
    g_clear_pointer (&t->rows, g_ptr_array_unref);
}
