/* SPDX-License-Identifier: MIT */
/* json-writer.c: a small pretty-printing JSON writer with safe string escaping. */
#include "config.h"

#include <glib.h>

#include "json-writer.h"
#include "text.h"

void
fsim_json_string (GString *out, const char *s)
{
    g_autofree char *valid = g_utf8_make_valid (s, -1);
    g_string_append_c (out, '"');
    for (const char *p = valid; *p; p = g_utf8_next_char (p)) {
        gunichar c = g_utf8_get_char (p);
        switch (c) {
        case '"':
            g_string_append (out, "\\\"");
            break;
        case '\\':
            g_string_append (out, "\\\\");
            break;
        case '\b':
            g_string_append (out, "\\b");
            break;
        case '\f':
            g_string_append (out, "\\f");
            break;
        case '\n':
            g_string_append (out, "\\n");
            break;
        case '\r':
            g_string_append (out, "\\r");
            break;
        case '\t':
            g_string_append (out, "\\t");
            break;
        default:
            /* Control characters must be escaped; DEL and U+2028/9 are escaped so the output
             * is also safe to paste into JavaScript. */
            if (c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029)
                g_string_append_printf (out, "\\u%04x", (unsigned) c);
            else
                g_string_append_len (out, p, g_utf8_next_char (p) - p);
        }
    }
    g_string_append_c (out, '"');
}

static void
jw_newline (FsimJsonWriter *w)
{
    g_string_append_c (w->out, '\n');
    fsim_append_spaces (w->out, 2 * (size_t) w->depth);
}

/* Before an array element or an object member. */
void
fsim_jw_item (FsimJsonWriter *w)
{
    if (!w->first[w->depth])
        g_string_append_c (w->out, ',');
    w->first[w->depth] = FALSE;
    jw_newline (w);
}

void
fsim_jw_key (FsimJsonWriter *w, const char *key)
{
    fsim_jw_item (w);
    fsim_json_string (w->out, key);
    g_string_append (w->out, ": ");
}

void
fsim_jw_open (FsimJsonWriter *w, char bracket)
{
    g_assert (w->depth + 1 < FSIM_JSON_MAX_DEPTH);
    g_string_append_c (w->out, bracket);
    w->first[++w->depth] = TRUE;
}

void
fsim_jw_close (FsimJsonWriter *w, char bracket)
{
    gboolean empty = w->first[w->depth];
    w->depth--;
    if (!empty)
        jw_newline (w);
    g_string_append_c (w->out, bracket);
}

void
fsim_jw_str (FsimJsonWriter *w, const char *key, const char *value)
{
    fsim_jw_key (w, key);
    if (value)
        fsim_json_string (w->out, value);
    else
        g_string_append (w->out, "null");
}

void
fsim_jw_uint (FsimJsonWriter *w, const char *key, guint64 value)
{
    fsim_jw_key (w, key);
    g_string_append_printf (w->out, "%" G_GUINT64_FORMAT, value);
}

void
fsim_jw_bool (FsimJsonWriter *w, const char *key, gboolean value)
{
    fsim_jw_key (w, key);
    g_string_append (w->out, value ? "true" : "false");
}

void
fsim_jw_null (FsimJsonWriter *w, const char *key)
{
    fsim_jw_key (w, key);
    g_string_append (w->out, "null");
}

void
fsim_jw_elem (FsimJsonWriter *w, const char *value)
{
    fsim_jw_item (w);
    fsim_json_string (w->out, value);
}
