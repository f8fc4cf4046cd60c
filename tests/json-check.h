/* SPDX-License-Identifier: MIT */
/* json-check.h: a strict little JSON reader for the tests (the tests may not use cJSON). */
#pragma once

#include <string.h>

#include <glib.h>

/*
 * json_check_parse() validates a document against RFC 8259 (strings must be valid UTF-8, no
 * raw control characters, no duplicate keys, nothing after the value) and flattens it into a
 * table from paths to values:
 *
 *   {"a": {"b": [1, "x\n"]}}  ->  "" -> "{", "a" -> "{", "a.b" -> "[", "a.b[0]" -> "1",
 *                                 "a.b[1]" -> "x\n", "a.b#" -> "2"
 *
 * Containers map to "{" or "[", arrays also give "PATH#" -> their length, scalars map to their
 * decoded text (strings unescaped; numbers, true, false, null as written). Header-only so that
 * several test programs can use it without a build change; every function is static.
 */

#define JSON_CHECK_MAX_DEPTH 64

typedef struct {
    const char *p;
    GHashTable *paths;
    int depth;
} JsonCheck;

static gboolean json_check_value (JsonCheck *c, const char *path);

static void
json_check_ws (JsonCheck *c)
{
    while (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r')
        c->p++;
}

static gboolean
json_check_hex4 (const char *p, gunichar *out)
{
    gunichar v = 0;
    for (int i = 0; i < 4; i++) {
        int d = g_ascii_xdigit_value (p[i]);
        if (d < 0)
            return FALSE;
        v = v * 16 + (gunichar) d;
    }
    *out = v;
    return TRUE;
}

/* After "\u": one code point, a surrogate pair counting as one. */
static gboolean
json_check_unicode_escape (JsonCheck *c, GString *out)
{
    gunichar u, lo;
    if (!json_check_hex4 (c->p, &u))
        return FALSE;
    c->p += 4;
    if (u >= 0xdc00 && u <= 0xdfff)
        return FALSE;
    if (u >= 0xd800 && u < 0xdc00) {
        if (c->p[0] != '\\' || c->p[1] != 'u' || !json_check_hex4 (c->p + 2, &lo) || lo < 0xdc00 ||
            lo > 0xdfff)
            return FALSE;
        c->p += 6;
        u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
    }
    g_string_append_unichar (out, u);
    return TRUE;
}

static gboolean
json_check_escape (JsonCheck *c, GString *out)
{
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    const char *hit = *c->p ? strchr (from, *c->p) : NULL;

    if (*c->p == 'u') {
        c->p++;
        return json_check_unicode_escape (c, out);
    }
    if (hit == NULL)
        return FALSE;
    g_string_append_c (out, to[hit - from]);
    c->p++;
    return TRUE;
}

static gboolean
json_check_string (JsonCheck *c, GString *out)
{
    if (*c->p != '"')
        return FALSE;
    c->p++;
    for (;;) {
        unsigned char ch = (unsigned char) *c->p;
        if (ch == '"') {
            c->p++;
            return TRUE;
        }
        if (ch < 0x20) /* a raw control character, or the end of the text */
            return FALSE;
        if (ch == '\\') {
            c->p++;
            if (!json_check_escape (c, out))
                return FALSE;
            continue;
        }
        gunichar u = g_utf8_get_char_validated (c->p, -1);
        if (u == (gunichar) -1 || u == (gunichar) -2)
            return FALSE;
        const char *next = g_utf8_next_char (c->p);
        g_string_append_len (out, c->p, next - c->p);
        c->p = next;
    }
}

static gboolean
json_check_digits (JsonCheck *c)
{
    if (!g_ascii_isdigit (*c->p))
        return FALSE;
    while (g_ascii_isdigit (*c->p))
        c->p++;
    return TRUE;
}

static gboolean
json_check_number (JsonCheck *c, GString *out)
{
    const char *start = c->p;
    if (*c->p == '-')
        c->p++;
    if (*c->p == '0')
        c->p++;
    else if (!json_check_digits (c))
        return FALSE;
    if (*c->p == '.') {
        c->p++;
        if (!json_check_digits (c))
            return FALSE;
    }
    if (*c->p == 'e' || *c->p == 'E') {
        c->p++;
        if (*c->p == '+' || *c->p == '-')
            c->p++;
        if (!json_check_digits (c))
            return FALSE;
    }
    g_string_append_len (out, start, c->p - start);
    return TRUE;
}

static gboolean
json_check_add (JsonCheck *c, const char *path, const char *value)
{
    if (g_hash_table_contains (c->paths, path))
        return FALSE; /* a duplicate key */
    g_hash_table_insert (c->paths, g_strdup (path), g_strdup (value));
    return TRUE;
}

static gboolean
json_check_object (JsonCheck *c, const char *path)
{
    c->p++;
    json_check_ws (c);
    if (*c->p == '}') {
        c->p++;
        return TRUE;
    }
    for (;;) {
        g_autoptr (GString) key = g_string_new (NULL);
        json_check_ws (c);
        if (!json_check_string (c, key))
            return FALSE;
        json_check_ws (c);
        if (*c->p++ != ':')
            return FALSE;
        g_autofree char *sub =
            *path ? g_strdup_printf ("%s.%s", path, key->str) : g_strdup (key->str);
        if (!json_check_value (c, sub))
            return FALSE;
        json_check_ws (c);
        if (*c->p == '}') {
            c->p++;
            return TRUE;
        }
        if (*c->p++ != ',')
            return FALSE;
    }
}

static gboolean
json_check_array (JsonCheck *c, const char *path)
{
    size_t n = 0;
    gboolean ok = TRUE;

    c->p++;
    json_check_ws (c);
    if (*c->p == ']') {
        c->p++;
    } else {
        for (;;) {
            g_autofree char *sub = g_strdup_printf ("%s[%zu]", path, n++);
            if (!json_check_value (c, sub))
                return FALSE;
            json_check_ws (c);
            if (*c->p == ']') {
                c->p++;
                break;
            }
            if (*c->p++ != ',')
                return FALSE;
        }
    }
    g_autofree char *len_path = g_strdup_printf ("%s#", path);
    g_autofree char *len = g_strdup_printf ("%zu", n);
    ok = json_check_add (c, len_path, len);
    return ok;
}

static gboolean
json_check_literal (JsonCheck *c, GString *out)
{
    static const char *const literals[] = { "true", "false", "null" };
    for (size_t i = 0; i < G_N_ELEMENTS (literals); i++) {
        size_t n = strlen (literals[i]);
        if (strncmp (c->p, literals[i], n) == 0) {
            g_string_append (out, literals[i]);
            c->p += n;
            return TRUE;
        }
    }
    return FALSE;
}

static gboolean
json_check_value (JsonCheck *c, const char *path)
{
    g_autoptr (GString) scalar = g_string_new (NULL);
    gboolean ok;

    json_check_ws (c);
    if (*c->p == '{' || *c->p == '[') {
        char open = *c->p;
        if (++c->depth > JSON_CHECK_MAX_DEPTH || !json_check_add (c, path, open == '{' ? "{" : "["))
            return FALSE;
        ok = open == '{' ? json_check_object (c, path) : json_check_array (c, path);
        c->depth--;
        return ok;
    }
    if (*c->p == '"')
        ok = json_check_string (c, scalar);
    else if (*c->p == '-' || g_ascii_isdigit (*c->p))
        ok = json_check_number (c, scalar);
    else
        ok = json_check_literal (c, scalar);
    return ok && json_check_add (c, path, scalar->str);
}

/* Returns: (transfer full) (nullable): path -> value, or NULL if @text is not valid JSON. */
G_GNUC_UNUSED static GHashTable *
json_check_parse (const char *text)
{
    JsonCheck c = { .p = text, .depth = 0 };
    c.paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    if (!g_utf8_validate (text, -1, NULL) || !json_check_value (&c, "")) {
        g_hash_table_unref (c.paths);
        return NULL;
    }
    json_check_ws (&c);
    if (*c.p != '\0') {
        g_hash_table_unref (c.paths);
        return NULL;
    }
    return c.paths;
}

/* The value at @path, or NULL. */
G_GNUC_UNUSED static const char *
json_check_get (GHashTable *doc, const char *path)
{
    return g_hash_table_lookup (doc, path);
}
