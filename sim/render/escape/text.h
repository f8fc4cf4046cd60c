/* SPDX-License-Identifier: MIT */
/* text.h: terminal-safe strings and number formatting for every text output (the text
 * escaping module; it depends on nothing but GLib, so every layer may use it for messages). */
#pragma once

#include <stddef.h>

#include <glib.h>

#define FSIM_LABEL_MAX_WIDTH 40 /* free-text columns are cut to this many terminal columns */

/* @v formatted with the printf @format ("%.1f"), with a decimal point whatever the locale
 * (transfer full). Every number flowsim writes goes through this or fsim_fmt_count(). */
char *fsim_fmt_double (const char *format, double v);
/* "1234567" -> "1,234,567" (transfer full). */
char *fsim_fmt_count (size_t n);
/* Characters no output shows as they are: C0 and C1 controls, DEL, and the bidi controls that
 * reorder what a reader sees (U+202A..U+202E, U+2066..U+2069). */
gboolean fsim_text_unsafe (gunichar c);
/* A message for a terminal: as fsim_text_clean() but keeping newlines and tabs
 * (transfer full). */
char *fsim_text_clean_message (const char *s);
/* A copy of @s that is valid UTF-8 with control and bidi characters replaced by '?'
 * (transfer full). NULL gives "". */
char *fsim_text_clean (const char *s);
/* Terminal columns of a cleaned string (East Asian wide characters take two). */
size_t fsim_text_width (const char *s);
/* Takes @s (cleaned) and returns it cut to @max columns, "..." marking a cut (transfer full). */
char *fsim_text_truncate (char *s, size_t max);
/* @s (cleaned) broken at spaces into lines of at most @width columns, at most @max_lines of
 * them: the last holds the rest, and a word wider than @width stays whole on its line (both
 * for fsim_text_truncate() to cut). Returns: (transfer full) the lines, NULL-terminated. */
char **fsim_text_wrap (const char *s, size_t width, size_t max_lines);
void fsim_append_spaces (GString *out, size_t n);
/* "Did you mean": the candidate closest to @word by edit distance (owned by @candidates; NULL
 * candidates are skipped), or NULL if none is close (more than max(2, length / 3) edits away). */
const char *fsim_text_closest (const char *word, const char *const *candidates, size_t n);
