/* SPDX-License-Identifier: MIT */
/* markup.h: the escaping module of XML, SVG and HTML. */
#pragma once

#include <glib.h>

/**
 * fsim_markup_append:
 * Appends @s (NULL: nothing) as XML / HTML text or attribute content: invalid UTF-8 becomes
 * U+FFFD, control characters other than TAB and LF, and the bidi controls, become '?', and & < > " ' are written as
 * character references. The result is safe in element content and in quoted attributes of
 * both XML and HTML. Can't fail.
 */
void fsim_markup_append (GString *out, const char *s);

/* Like fsim_markup_append(), formatted with printf-style @format (use plain %s for strings). */
void fsim_markup_append_printf (GString *out, const char *format, ...) G_GNUC_PRINTF (2, 3);
