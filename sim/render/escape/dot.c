/* SPDX-License-Identifier: MIT */
/* dot.c: the escaping module of Graphviz's DOT. */
#include "config.h"

#include "dot.h"
#include "text.h"

/* One label line: cleaned (valid UTF-8, no control characters), cut to a readable width,
 * with the characters DOT or Graphviz would interpret escaped. */
void
fsim_dot_append_escaped (GString *out, const char *s)
{
    char *clean = fsim_text_clean (s);
    g_autofree char *cut = fsim_text_truncate (clean, 2 * FSIM_LABEL_MAX_WIDTH);
    for (const char *p = cut; *p; p++) {
        switch (*p) {
        case '"':
            g_string_append (out, "\\\"");
            break;
        case '\\':
            g_string_append (out, "\\\\");
            break;
        case '&':
            g_string_append (out, "&amp;");
            break; /* Graphviz decodes entities */
        default:
            g_string_append_c (out, *p);
        }
    }
}
