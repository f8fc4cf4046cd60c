/* SPDX-License-Identifier: MIT */
/* table.h: aligned text tables for the text outputs. */
#pragma once

#include <stddef.h>

#include <glib.h>

#include "text.h"

#define FSIM_TABLE_MAX_COLS 8

/* An aligned table: a header row, then rows of owned, cleaned cells. */
typedef struct {
    size_t n_cols;
    const char *align; /* 'l' or 'r' per column */
    GPtrArray *rows;   /* char ** (n_cols cells, g_strfreev) */
} FsimTable;

/* @align has one 'l' or 'r' per column; @headers as many strings. */
void fsim_table_init (FsimTable *t, const char *align, const char *const *headers);
/* A new row whose n_cols cells the caller fills with owned, cleaned strings. */
char **fsim_table_row (FsimTable *t);
/* Appends @title and the table (or "(none)") to @out, and frees the rows. */
void fsim_table_finish (FsimTable *t, const char *title, GString *out);
