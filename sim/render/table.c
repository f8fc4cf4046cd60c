/* SPDX-License-Identifier: MIT */
/* table.c: aligned text tables for the text outputs. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "table.h"
#include "text.h"

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
