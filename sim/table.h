/* SPDX-License-Identifier: MIT */
/* table.h: aligned text tables and terminal-safe strings for the text outputs. */
#pragma once

#include <stddef.h>

#include <glib.h>

#define FSIM_TABLE_MAX_COLS 8
#define FSIM_LABEL_MAX_WIDTH 40 /* free-text columns are cut to this many terminal columns */

/* An aligned table: a header row, then rows of owned, cleaned cells. */
typedef struct {
    size_t n_cols;
    const char *align; /* 'l' or 'r' per column */
    GPtrArray *rows;   /* char ** (n_cols cells, g_strfreev) */
} FsimTable;

/* "1234567" -> "1,234,567" (transfer full). */
char *fsim_fmt_count (size_t n);
/* A copy of @s that is valid UTF-8 with control and bidi characters replaced by '?'
 * (transfer full). NULL gives "". */
char *fsim_text_clean (const char *s);
/* Terminal columns of a cleaned string (East Asian wide characters take two). */
size_t fsim_text_width (const char *s);
/* Takes @s (cleaned) and returns it cut to @max columns, "..." marking a cut (transfer full). */
char *fsim_text_truncate (char *s, size_t max);
void fsim_append_spaces (GString *out, size_t n);

/* @align has one 'l' or 'r' per column; @headers as many strings. */
void fsim_table_init (FsimTable *t, const char *align, const char *const *headers);
/* A new row whose n_cols cells the caller fills with owned, cleaned strings. */
char **fsim_table_row (FsimTable *t);
/* Appends @title and the table (or "(none)") to @out, and frees the rows. */
void fsim_table_finish (FsimTable *t, const char *title, GString *out);
