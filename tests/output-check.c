/* SPDX-License-Identifier: MIT */
/* output-check.c: strict validators for what flowsim writes (JSON, CSV), for tests and fuzzing. */
#include <string.h>

#include <glib.h>

#include "output-check.h"

/* ---- JSON ---------------------------------------------------------------------------------- */

#define JSON_MAX_DEPTH 256

typedef struct {
    const char *p, *end, *start;
    char *error;
} Json;

static gboolean
json_fail (Json *j, const char *what)
{
    if (!j->error)
        j->error = g_strdup_printf ("byte %td: %s", j->p - j->start, what);
    return FALSE;
}

static void
json_ws (Json *j)
{
    while (j->p < j->end && strchr (" \t\r\n", *j->p) && *j->p)
        j->p++;
}

static gboolean
json_literal (Json *j, const char *word)
{
    size_t n = strlen (word);
    if ((size_t) (j->end - j->p) < n || memcmp (j->p, word, n) != 0)
        return json_fail (j, "expected a value");
    j->p += n;
    return TRUE;
}

static gboolean
json_digits (Json *j)
{
    const char *from = j->p;
    while (j->p < j->end && g_ascii_isdigit (*j->p))
        j->p++;
    return j->p > from || json_fail (j, "expected a digit");
}

static gboolean
json_number (Json *j)
{
    if (*j->p == '-')
        j->p++;
    if (j->p < j->end && *j->p == '0')
        j->p++;
    else if (!json_digits (j))
        return FALSE;
    if (j->p < j->end && *j->p == '.') {
        j->p++;
        if (!json_digits (j))
            return FALSE;
    }
    if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
        j->p++;
        if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
            j->p++;
        if (!json_digits (j))
            return FALSE;
    }
    return TRUE;
}

static gboolean
json_string (Json *j)
{
    j->p++; /* the opening quote */
    while (j->p < j->end && *j->p != '"') {
        unsigned char c = (unsigned char) *j->p;
        if (c < 0x20)
            return json_fail (j, "raw control character in a string");
        if (c != '\\') {
            j->p++;
            continue;
        }
        if (++j->p == j->end)
            break;
        if (*j->p == 'u') {
            for (int i = 1; i <= 4; i++)
                if (j->p + i >= j->end || !g_ascii_isxdigit (j->p[i]))
                    return json_fail (j, "bad \\u escape");
            j->p += 5;
        } else if (strchr ("\"\\/bfnrt", *j->p) && *j->p) {
            j->p++;
        } else {
            return json_fail (j, "bad escape");
        }
    }
    if (j->p == j->end)
        return json_fail (j, "unterminated string");
    j->p++;
    return TRUE;
}

static gboolean json_value (Json *j, int depth);

/* An object or array; *j->p is its opening bracket. */
static gboolean
json_container (Json *j, int depth)
{
    gboolean object = *j->p == '{';
    char close = object ? '}' : ']';
    if (depth >= JSON_MAX_DEPTH)
        return json_fail (j, "nested too deep");
    j->p++;
    json_ws (j);
    if (j->p < j->end && *j->p == close) {
        j->p++;
        return TRUE;
    }
    for (;;) {
        if (object) {
            json_ws (j);
            if (j->p == j->end || *j->p != '"')
                return json_fail (j, "expected a key");
            if (!json_string (j))
                return FALSE;
            json_ws (j);
            if (j->p == j->end || *j->p != ':')
                return json_fail (j, "expected ':'");
            j->p++;
        }
        if (!json_value (j, depth + 1))
            return FALSE;
        json_ws (j);
        if (j->p < j->end && *j->p == ',') {
            j->p++;
            continue;
        }
        if (j->p < j->end && *j->p == close) {
            j->p++;
            return TRUE;
        }
        return json_fail (j, object ? "expected ',' or '}'" : "expected ',' or ']'");
    }
}

static gboolean
json_value (Json *j, int depth)
{
    json_ws (j);
    if (j->p == j->end)
        return json_fail (j, "expected a value, found the end");
    switch (*j->p) {
    case '{':
    case '[':
        return json_container (j, depth);
    case '"':
        return json_string (j);
    case 't':
        return json_literal (j, "true");
    case 'f':
        return json_literal (j, "false");
    case 'n':
        return json_literal (j, "null");
    default:
        if (*j->p == '-' || g_ascii_isdigit (*j->p))
            return json_number (j);
        return json_fail (j, "expected a value");
    }
}

gboolean
fsim_check_json (const char *text, size_t len, char **out_error)
{
    Json j = { .p = text, .end = text + len, .start = text };
    const char *bad = NULL;
    gboolean ok;
    if (!g_utf8_validate_len (text, len, &bad)) {
        j.p = bad;
        ok = json_fail (&j, "invalid UTF-8");
    } else {
        ok = json_value (&j, 0);
        json_ws (&j);
        if (ok && j.p != j.end)
            ok = json_fail (&j, "text after the value");
    }
    if (out_error)
        *out_error = g_steal_pointer (&j.error);
    g_free (j.error);
    return ok;
}

/* ---- CSV ----------------------------------------------------------------------------------- */

/* Reads one cell at *p (a row's cells are separated by ','); its value into @value if not NULL.
 * Leaves *p on the ',' or '\n' after it. */
static gboolean
csv_cell (const char **p, const char *end, GString *value, const char **why)
{
    const char *s = *p;
    if (value)
        g_string_truncate (value, 0);
    if (s < end && *s == '"') {
        s++;
        for (;;) {
            if (s == end) {
                *why = "unterminated quoted cell";
                return FALSE;
            }
            if (*s == '"') {
                if (s + 1 < end && s[1] == '"') {
                    if (value)
                        g_string_append_c (value, '"');
                    s += 2;
                    continue;
                }
                s++;
                break;
            }
            if (value)
                g_string_append_c (value, *s);
            s++;
        }
        if (s < end && *s != ',' && *s != '\n') {
            *why = "text after a quoted cell";
            return FALSE;
        }
    } else {
        while (s < end && *s != ',' && *s != '\n') {
            if (*s == '"' || *s == '\r') {
                *why = "quote or CR in an unquoted cell";
                return FALSE;
            }
            if (value)
                g_string_append_c (value, *s);
            s++;
        }
    }
    *p = s;
    return TRUE;
}

gboolean
fsim_check_csv (const char *text, size_t len, size_t *out_n_rows, size_t *out_n_cols,
                char **out_error)
{
    const char *p = text, *end = text + len, *why = NULL;
    size_t rows = 0, cols = 0;
    g_autoptr (GString) value = g_string_new (NULL);
    if (!g_utf8_validate_len (text, len, NULL))
        why = "invalid UTF-8";
    else if (len == 0 || text[len - 1] != '\n')
        why = "the table does not end with a newline";
    while (!why && p < end) {
        size_t n = 0;
        for (;;) {
            if (!csv_cell (&p, end, value, &why))
                break;
            n++;
            if (value->len > 0 && strchr ("=+-@\t\r", value->str[0]))
                why = "a cell starts like a spreadsheet formula";
            if (why || *p == '\n')
                break;
            p++; /* ',' */
        }
        if (why)
            break;
        p++; /* '\n' */
        if (rows == 0)
            cols = n;
        else if (n != cols)
            why = "a row has a different number of cells";
        rows++;
    }
    if (why) {
        if (out_error)
            *out_error = g_strdup_printf ("row %zu: %s", rows + 1, why);
        return FALSE;
    }
    if (out_n_rows)
        *out_n_rows = rows;
    if (out_n_cols)
        *out_n_cols = cols;
    return TRUE;
}

char *
fsim_check_csv_cell (const char *text, size_t len, size_t row, size_t col)
{
    const char *p = text, *end = text + len, *why = NULL;
    g_autoptr (GString) value = g_string_new (NULL);
    for (size_t r = 0; p < end; r++) {
        for (size_t c = 0;; c++) {
            if (!csv_cell (&p, end, value, &why))
                return NULL;
            if (r == row && c == col)
                return g_strdup (value->str);
            if (p == end || *p == '\n')
                break;
            p++;
        }
        p++;
    }
    return NULL;
}

/* ---- DOT ----------------------------------------------------------------------------------- */

gboolean
fsim_check_dot (const char *text, size_t len, char **out_error)
{
    const char *why = NULL;
    gboolean in = FALSE;
    int braces = 0, brackets = 0;
    size_t i = 0;
    if (!g_utf8_validate_len (text, len, NULL))
        why = "invalid UTF-8";
    for (; !why && i < len; i++) {
        char c = text[i];
        if (in) {
            if (c == '\\' && i + 1 < len)
                i++;
            else if (c == '"')
                in = FALSE;
            else if (c == '\n')
                why = "raw newline in a quoted string";
            continue;
        }
        if (c == '"')
            in = TRUE;
        else if (c == '{' || c == '}')
            braces += c == '{' ? 1 : -1;
        else if (c == '[' || c == ']')
            brackets += c == '[' ? 1 : -1;
        if (braces < 0 || brackets < 0)
            why = "a closing brace or bracket without its opening one";
    }
    if (!why && in)
        why = "a quoted string does not end";
    if (!why && (braces || brackets))
        why = "unbalanced braces or brackets";
    if (why && out_error)
        *out_error = g_strdup_printf ("byte %zu: %s", i, why);
    return why == NULL;
}
