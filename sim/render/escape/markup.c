/* SPDX-License-Identifier: MIT */
/* markup.c: text for XML, SVG and HTML (element content and quoted attributes). */
#include "config.h"

#include <stdarg.h>

#include "markup.h"
#include "text.h"

void
fsim_markup_append (GString *out, const char *s)
{
    if (s == NULL)
        return;
    g_autofree char *valid = g_utf8_make_valid (s, -1);
    for (const char *p = valid; *p; p = g_utf8_next_char (p)) {
        gunichar c = g_utf8_get_char (p);
        switch (c) {
        case '&':
            g_string_append (out, "&amp;");
            break;
        case '<':
            g_string_append (out, "&lt;");
            break;
        case '>':
            g_string_append (out, "&gt;");
            break;
        case '"':
            g_string_append (out, "&quot;");
            break;
        case '\'':
            g_string_append (out, "&#39;");
            break;
        default:
            if ((fsim_text_unsafe (c) && c != '\n' && c != '\t') || c == 0xFFFE || c == 0xFFFF)
                g_string_append_c (out, '?');
            else
                g_string_append_len (out, p, g_utf8_next_char (p) - p);
        }
    }
}

void
fsim_markup_append_printf (GString *out, const char *format, ...)
{
    va_list ap;
    va_start (ap, format);
    g_autofree char *text = g_strdup_vprintf (format, ap);
    va_end (ap);
    fsim_markup_append (out, text);
}
