/* SPDX-License-Identifier: MIT */
/* loader-json.c: reading JSON files with the position of every value, and the checks on them. */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include <glib.h>

#include <cjson/cJSON.h>

#include "friends.h"
#include "inputfile.h"
#include "loader-private.h"
#include "memory.h"

/* What one JSON value costs while loading: cJSON's node, the position table, the merge. */
#define FSIM_LOADER_VALUE_BYTES 200.0

/* The quark's name is G_DEFINE_QUARK's first argument, spelt as it stands. */
/* clang-format off */
G_DEFINE_QUARK (fsim-loader-error-quark, fsim_loader_error)
/* clang-format on */

static const char *const policy_keys[] = {
    "title", "description", "sources", "include", "fields", "apis", "partners", "rules", "claims",
};
static const char *const scenario_keys[] = {
    "scenario", "title",      "description", "date",    "seed",        "include",
    "extends",  "population", "set",         "sources", "assumptions", "fields",
    "apis",     "partners",   "rules",       "expect",  "claims",      "choices",
};

FsimJsonDoc *
fsim_i_json_doc_new (void)
{
    static gsize hooks_set = 0;
    if (g_once_init_enter (&hooks_set)) {
        /*
         * cJSON allocates through GLib, like the rest of flowsim: a failed allocation ends the
         * process with GLib's "failed to allocate N bytes" (the limits in loader-json.c bound
         * what a file can ask for). With malloc, cJSON turns one into a NULL that reads like a
         * syntax error, or silently drops a key while merging files (found by
         * tests/test-faults.c).
         */
        cJSON_Hooks hooks = { g_malloc, g_free };
        cJSON_InitHooks (&hooks);
        g_once_init_leave (&hooks_set, 1);
    }
    FsimJsonDoc *doc = g_new0 (FsimJsonDoc, 1);
    doc->locs = g_hash_table_new (g_direct_hash, g_direct_equal);
    doc->loc_blocks = g_ptr_array_new_with_free_func (g_free);
    doc->strings = g_string_chunk_new (256);
    doc->graveyard = g_ptr_array_new_with_free_func ((GDestroyNotify) cJSON_Delete);
    doc->stack = g_ptr_array_new_with_free_func (g_free);
    doc->included = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    doc->read = g_ptr_array_new_with_free_func (g_free);
    doc->overrides = g_array_new (FALSE, TRUE, sizeof (FsimOverride));
    g_array_set_clear_func (doc->overrides, (GDestroyNotify) fsim_override_clear);
    doc->file_sets = g_ptr_array_new ();
    doc->errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
    doc->misspelt = g_hash_table_new (g_str_hash, g_str_equal);
    return doc;
}

void
fsim_i_json_doc_free (FsimJsonDoc *doc)
{
    if (!doc)
        return;
    g_hash_table_destroy (doc->locs);
    g_ptr_array_free (doc->loc_blocks, TRUE);
    g_string_chunk_free (doc->strings);
    g_ptr_array_free (doc->graveyard, TRUE);
    g_ptr_array_free (doc->stack, TRUE);
    g_hash_table_destroy (doc->included);
    g_ptr_array_free (doc->read, TRUE);
    g_array_unref (doc->overrides);
    g_ptr_array_free (doc->file_sets, TRUE);
    g_ptr_array_unref (doc->errors);
    g_hash_table_destroy (doc->misspelt);
    g_clear_pointer (&doc->claim_keys, g_hash_table_destroy);
    g_clear_pointer (&doc->claim_names, g_hash_table_destroy);
    g_clear_pointer (&doc->claimed, g_hash_table_destroy);
    g_free (doc);
}

const FsimNodeLoc *
fsim_i_json_loc (const FsimJsonDoc *doc, const cJSON *node)
{
    const FsimNodeLoc *loc = node ? g_hash_table_lookup (doc->locs, node) : NULL;
    return loc || !node || !doc->base ? loc : g_hash_table_lookup (doc->base->locs, node);
}

FsimJsonDoc *
fsim_i_json_doc_over (const FsimJsonDoc *base)
{
    FsimJsonDoc *doc = fsim_i_json_doc_new ();
    doc->base = base;
    doc->n_files = base->n_files;
    doc->n_bytes = base->n_bytes;
    doc->n_values = base->n_values;
    doc->incomplete = base->incomplete;
    doc->base_unread = base->base_unread;
    for (guint i = 0; i < base->read->len; i++)
        g_ptr_array_add (doc->read, g_strdup (base->read->pdata[i]));
    GHashTableIter it;
    gpointer key;
    g_hash_table_iter_init (&it, base->misspelt);
    while (g_hash_table_iter_next (&it, &key, NULL))
        g_hash_table_add (doc->misspelt, key); /* static strings */
    /* applying a file's set takes its values: each load applies its own copy */
    for (guint i = 0; i < base->file_sets->len; i++) {
        cJSON *copy = fsim_i_json_duplicate_located (doc, base->file_sets->pdata[i]);
        fsim_i_bury (doc, copy);
        g_ptr_array_add (doc->file_sets, copy);
    }
    return doc;
}

/* A position per JSON value: allocated one by one, a file of 400,000 values spent a seventh of
 * its load freeing them (docs/robustness.md, "lint and claims on 256 x 64 claims"). */
#define LOC_BLOCK 2048

FsimNodeLoc *
fsim_i_json_set_loc (FsimJsonDoc *doc, const cJSON *node, const FsimNodeLoc *from)
{
    if (doc->loc_blocks->len == 0 || doc->loc_used == LOC_BLOCK) {
        g_ptr_array_add (doc->loc_blocks, g_new (FsimNodeLoc, LOC_BLOCK));
        doc->loc_used = 0;
    }
    FsimNodeLoc *loc =
        (FsimNodeLoc *) g_ptr_array_index (doc->loc_blocks, doc->loc_blocks->len - 1) +
        doc->loc_used++;
    *loc = from ? *from : (FsimNodeLoc){ .index = -1 };
    g_hash_table_replace (doc->locs, (gpointer) node, loc);
    return loc;
}

gboolean
fsim_i_doc_keep (FsimJsonDoc *doc, GError **local)
{
    g_assert (local && *local);
    /* past a limit, or out of memory (a file's values not reserved), reading on would only
     * say the same of each file after it: one line, not one per included file (seventh pass) */
    gboolean limit = g_error_matches (*local, FSIM_LOADER_ERROR, FSIM_LOADER_ERROR_LIMIT) ||
                     g_error_matches (*local, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_NOMEM);
    if (fsim_i_is_caused (*local) || doc->errors->len >= FSIM_LOADER_MAX_ERRORS)
        g_clear_error (local);
    else
        g_ptr_array_add (doc->errors, g_steal_pointer (local));
    return !limit && doc->errors->len < FSIM_LOADER_MAX_ERRORS;
}

void
fsim_i_error_at (GError **error, const FsimJsonDoc *doc, const cJSON *node, gboolean at_key,
                 FsimLoaderError code, const char *fmt, ...)
{
    va_list ap;
    va_start (ap, fmt);
    g_autofree char *msg = g_strdup_vprintf (fmt, ap);
    va_end (ap);
    const FsimNodeLoc *loc = fsim_i_json_loc (doc, node);
    if (!loc) {
        g_set_error_literal (error, FSIM_LOADER_ERROR, code, msg);
        return;
    }
    gboolean key = at_key && loc->key_line > 0;
    g_set_error (error, FSIM_LOADER_ERROR, code, "%s:%d:%d: %s", loc->file,
                 key ? loc->key_line : loc->line, key ? loc->key_col : loc->col, msg);
}

/* Files are named relative to the working directory when they lie under it. */
const char *
fsim_i_display_name (FsimJsonDoc *doc, const char *canon)
{
    g_autofree char *cwd = g_get_current_dir ();
    size_t n = strlen (cwd);
    if (strncmp (canon, cwd, n) == 0 && canon[n] == '/' && canon[n + 1])
        canon += n + 1;
    return g_string_chunk_insert_const (doc->strings, canon);
}

/* Keep a detached tree alive until the doc is freed (see FsimJsonDoc.graveyard). */
void
fsim_i_bury (FsimJsonDoc *doc, cJSON *node)
{
    g_ptr_array_add (doc->graveyard, node);
}

/* ---- positions ------------------------------------------------------------------------- */

typedef struct {
    FsimJsonDoc *doc;
    const char *file;
    const char *p;  /* scan position */
    const char *at; /* position that line/col describe */
    int line, col;
} Scan;

static void
scan_pos (Scan *s, const char *to, int *line, int *col)
{
    for (; s->at < to; s->at++) {
        unsigned char ch = (unsigned char) *s->at;
        if (ch == '\n') {
            s->line++;
            s->col = 1;
        } else if ((ch & 0xC0) != 0x80) {
            s->col++; /* count characters, not UTF-8 continuation bytes */
        }
    }
    *line = s->line;
    *col = s->col;
}

static void
scan_ws (Scan *s)
{
    while (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r')
        s->p++;
}

static void
scan_string (Scan *s)
{
    s->p++; /* opening quote */
    while (*s->p && *s->p != '"') {
        if (*s->p == '\\' && s->p[1])
            s->p++;
        s->p++;
    }
    if (*s->p)
        s->p++;
}

static FsimNodeLoc *
scan_record (Scan *s, cJSON *node)
{
    FsimNodeLoc *loc = fsim_i_json_set_loc (s->doc, node, NULL);
    loc->file = s->file;
    scan_pos (s, s->p, &loc->line, &loc->col);
    return loc;
}

/* The text is valid JSON (cJSON accepted it) and cJSON keeps members in text order, so the
 * tree and the text can be walked together. */
static void
scan_value (Scan *s, cJSON *node)
{
    scan_ws (s);
    scan_record (s, node);
    if (*s->p == '{' || *s->p == '[') {
        gboolean object = *s->p == '{';
        int index = 0;
        s->p++;
        for (cJSON *child = node->child; child; child = child->next, index++) {
            scan_ws (s);
            int kl = 0, kc = 0;
            if (object) {
                scan_pos (s, s->p, &kl, &kc);
                scan_string (s);
                scan_ws (s);
                s->p++; /* ':' */
            }
            scan_value (s, child);
            FsimNodeLoc *loc = g_hash_table_lookup (s->doc->locs, child);
            if (object) {
                loc->key_line = kl;
                loc->key_col = kc;
            } else {
                loc->index = index;
            }
            scan_ws (s);
            if (*s->p == ',')
                s->p++;
        }
        scan_ws (s);
        s->p++; /* closing bracket */
    } else if (*s->p == '"') {
        scan_string (s);
    } else {
        while (*s->p && !strchr (",]} \t\r\n", *s->p))
            s->p++;
    }
}

/* The four hex digits at @p as a number, or -1 when they are not four hex digits. */
static int
hex4 (const char *p)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        int d = g_ascii_xdigit_value (p[i]);
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

/* What is wrong with the escape at @p (a backslash, then a character that is not a control
 * character), or NULL when cJSON takes it, with *@out_len its length (2, 6, or 12 for a surrogate
 * pair). cJSON refuses the others, and where it stopped made them read "unexpected '\\'". Nothing
 * after the backslash is quoted: the file may be someone else's secret. */
static const char *
bad_escape (const char *p, size_t *out_len)
{
    *out_len = 2;
    if (strchr ("\"\\/bfnrt", p[1]) != NULL)
        return NULL;
    if (p[1] != 'u')
        return "an escape JSON does not have: a backslash is followed by one of \" \\ / b f n r t "
               "or by uXXXX (a backslash itself is written '\\\\')";
    int code = hex4 (p + 2);
    if (code < 0)
        return "'\\u' not followed by four hex digits (expected \\uXXXX)";
    *out_len = 6;
    if (code >= 0xDC00 && code <= 0xDFFF)
        return "a lone low surrogate (\\uDC00 to \\uDFFF): it is the second half of a UTF-16 "
               "pair and must follow a high surrogate (\\uD800 to \\uDBFF)";
    if (code >= 0xD800 && code <= 0xDBFF) {
        int low = p[6] == '\\' && p[7] == 'u' ? hex4 (p + 8) : -1;
        if (low < 0xDC00 || low > 0xDFFF)
            return "a lone high surrogate (\\uD800 to \\uDBFF): it must be followed by a low "
                   "surrogate (\\uDC00 to \\uDFFF), the second half of its UTF-16 pair";
        *out_len = 12;
    }
    return NULL;
}

/* The string whose opening quote is at @open. Returns: its closing quote, or the end of the text
 * when it has none (cJSON reports that, parse_error() says what it is); NULL with @error set for
 * a "\u0000" in it, which is valid JSON but which cJSON would silently cut the string at (the
 * partner id "quiz\u0000 <x>" would be "quiz"), and for a raw control character in it, which
 * RFC 8259 forbids and cJSON takes: a line break there is a string left open (said at its
 * opening quote, as parse_error() says it), any other (a tab) is said where it is. */
static const char *
precheck_string (Scan *s, const char *open, GError **error)
{
    const char *p = open + 1;

    for (; *p && *p != '"'; p++) {
        if ((unsigned char) *p < 0x20) {
            int line, col;
            gboolean brk = *p == '\n' || *p == '\r';
            scan_pos (s, brk ? open : p, &line, &col);
            if (brk)
                g_set_error (error, FSIM_LOADER_ERROR, FSIM_LOADER_ERROR_PARSE,
                             "%s:%d:%d: invalid JSON: unterminated string (no closing '\"' on its "
                             "line)",
                             s->file, line, col);
            else if (*p == '\t')
                g_set_error (error, FSIM_LOADER_ERROR, FSIM_LOADER_ERROR_PARSE,
                             "%s:%d:%d: invalid JSON: a raw tab in a string (JSON writes it as "
                             "'\\t')",
                             s->file, line, col);
            else
                g_set_error (error, FSIM_LOADER_ERROR, FSIM_LOADER_ERROR_PARSE,
                             "%s:%d:%d: invalid JSON: a raw control character U+%04X in a string "
                             "(JSON writes it as '\\u%04X')",
                             s->file, line, col, (unsigned) *p, (unsigned) *p);
            return NULL;
        }
        if (*p != '\\' || (unsigned char) p[1] < 0x20)
            continue; /* a control character after it is said as such, next */
        if (p[1] == 'u' && strncmp (p + 2, "0000", 4) == 0) {
            int line, col;
            scan_pos (s, p, &line, &col);
            g_set_error (error, FSIM_LOADER_ERROR, FSIM_LOADER_ERROR_VALUE,
                         "%s:%d:%d: '\\u0000' in a string: a NUL character is not allowed (it "
                         "would cut the string short)",
                         s->file, line, col);
            return NULL;
        }
        size_t len;
        const char *what = bad_escape (p, &len);
        if (what != NULL) {
            int line, col;
            scan_pos (s, p, &line, &col);
            g_set_error (error, FSIM_LOADER_ERROR, FSIM_LOADER_ERROR_PARSE,
                         "%s:%d:%d: invalid JSON: %s", s->file, line, col, what);
            return NULL;
        }
        p += len - 1;
    }
    return p;
}

/*
 * Where cJSON failed at @end, was it because a string before that point has no closing quote?
 * Returns: the opening quote of the first string before @end that runs past the end of its line
 * or of the text, or NULL. (cJSON takes a raw line break inside a string, so a missing quote
 * pairs with the next quote, often lines later, and cJSON fails at what follows that.)
 */
static const char *
unterminated_string (const char *text, const char *end)
{
    const char *open = NULL; /* the opening quote of the string the walk is in */

    for (const char *p = text; *p && (open != NULL || p < end); p++) {
        if (open == NULL)
            open = *p == '"' ? p : NULL;
        else if (*p == '\n' || *p == '\r')
            return open;
        else if (*p == '\\' && p[1])
            p++;
        else if (*p == '"')
            open = NULL;
    }
    return open;
}

/* Before cJSON sees @text: it must be UTF-8 (RFC 8259), have no "\u0000" in a string, have no
 * control character between tokens but JSON's white space (cJSON skips any as white space, the
 * position scan would not), hold at most FSIM_LOADER_MAX_VALUES values with the files read before, and nest at most
 * FSIM_LOADER_MAX_DEPTH levels (counting brackets outside strings, so that the error points at
 * the bracket that goes too deep and cJSON's own, larger, nesting limit is never what the user
 * meets). */
static gboolean
precheck_text (Scan *s, const char *text, GError **error)
{
    const char *bad = NULL;
    int line, col;
    if (!g_utf8_validate (text, -1, &bad)) {
        scan_pos (s, bad, &line, &col);
        g_set_error (error, FSIM_LOADER_ERROR, FSIM_LOADER_ERROR_PARSE,
                     "%s:%d:%d: invalid JSON: byte 0x%02X is not UTF-8 (JSON text must be UTF-8)",
                     s->file, line, col, (unsigned char) *bad);
        return FALSE;
    }
    int depth = 0;
    guint64 values = s->doc->n_values + 1;
    for (const char *p = text; *p; p++) {
        if ((unsigned char) *p < 0x20 && !strchr ("\t\n\r", *p)) {
            /* cJSON would skip it as white space, and the positions would go wrong */
            scan_pos (s, p, &line, &col);
            g_set_error (error, FSIM_LOADER_ERROR, FSIM_LOADER_ERROR_PARSE,
                         "%s:%d:%d: invalid JSON: unexpected character U+%04X", s->file, line, col,
                         (unsigned) *p);
            return FALSE;
        }
        /* every value but the first follows a ',' or an opening bracket: counting both twice
         * bounds the values from above, before cJSON allocates anything */
        if ((*p == ',' || *p == '{' || *p == '[') &&
            (values += *p == ',' ? 1 : 2) > FSIM_LOADER_MAX_VALUES) {
            scan_pos (s, p, &line, &col);
            g_set_error (error, FSIM_LOADER_ERROR, FSIM_LOADER_ERROR_LIMIT,
                         "%s:%d:%d: more than %u JSON values in the files of this scenario",
                         s->file, line, col, FSIM_LOADER_MAX_VALUES);
            return FALSE;
        }
        if (*p == '"') {
            if ((p = precheck_string (s, p, error)) == NULL)
                return FALSE;
            if (*p == '\0')
                break;
        } else if (*p == '{' || *p == '[') {
            if (++depth > FSIM_LOADER_MAX_DEPTH) {
                scan_pos (s, p, &line, &col);
                g_set_error (error, FSIM_LOADER_ERROR, FSIM_LOADER_ERROR_LIMIT,
                             "%s:%d:%d: JSON nested deeper than %d levels", s->file, line, col,
                             FSIM_LOADER_MAX_DEPTH);
                return FALSE;
            }
        } else if (*p == '}' || *p == ']') {
            depth--;
        }
    }
    /* each value costs about 170 bytes while loading (docs/robustness.md): refuse what cannot
     * fit rather than let an allocation fail inside cJSON, where GLib aborts */
    if ((double) values * FSIM_LOADER_VALUE_BYTES > (double) fsim_memory_limit ()) {
        g_autofree char *whose = fsim_memory_whose (); /* under mpirun, a rank's share */
        g_autofree char *needs = fsim_memory_size_text ((double) values * FSIM_LOADER_VALUE_BYTES);
        g_autofree char *can = fsim_memory_size_text ((double) fsim_memory_limit ());
        g_set_error (error, FSIM_LOADER_ERROR, FSIM_LOADER_ERROR_LIMIT,
                     "%s: out of memory: the files of this scenario hold up to %" G_GUINT64_FORMAT
                     " JSON values, which need about %s while loading, more than %s (%s)",
                     s->file, values, needs, whose, can);
        return FALSE;
    }
    /* and what this file's values need must be free now: cJSON and the positions allocate
     * through GLib, which aborts when an allocation fails */
    guint64 mine = values - s->doc->n_values;
    g_autofree char *what = g_strdup_printf ("up to %" G_GUINT64_FORMAT " JSON values", mine);
    /* with the table of positions of every file's values grown to hold them all: GLib makes
     * the larger table before it frees the smaller (an included file's few values could need
     * megabytes: 255 included files under `ulimit -v` 83 to 122 MB aborted, sixth pass) */
    guint64 table = fsim_memory_array_bytes (values, 3 * sizeof (gpointer));
    /* and a block of positions, whatever the values (64 KiB: under `ulimit -v` 70 MB its
     * g_new aborted on a file of 20 values, seventh pass) */
    table += LOC_BLOCK * sizeof (FsimNodeLoc);
    if (!fsim_memory_reserve ((guint64) ((double) mine * FSIM_LOADER_VALUE_BYTES) + table, what,
                              error)) {
        g_prefix_error (error, "%s: ", s->file);
        return FALSE;
    }
    s->doc->n_values = values;
    return TRUE;
}

/* cJSON refused @text at @end: say why as precisely as we can. */
static void
parse_error (Scan *s, const char *text, const char *end, GError **error)
{
    int line, col;
    const char *what = "unexpected end of file";
    const char *open = NULL;
    g_autofree char *msg = NULL;
    if (!end)
        end = text;
    if (text[strspn (text, " \t\r\n")] == '\0') {
        end = text;
        what = "the file is empty";
    } else if ((open = unterminated_string (text, end)) != NULL) {
        end = open;
        what = "unterminated string (no closing '\"' on its line)";
    } else if (*end) {
        const char *tail = NULL;
        cJSON *prefix = cJSON_ParseWithOpts (text, &tail, FALSE);
        gunichar ch = g_utf8_get_char (end); /* the text is valid UTF-8 */
        const char *hint = prefix      ? " after the end of the top-level value"
                           : ch == '/' ? " (JSON has no comments)"
                           : ch == '\'' || ch == 0x2018 || ch == 0x201C
                               ? " (JSON strings take straight double quotes)"
                               : "";
        cJSON_Delete (prefix);
        if (g_unichar_isprint (ch))
            msg = g_strdup_printf ("unexpected '%.*s'%s", (int) (g_utf8_next_char (end) - end), end,
                                   hint);
        else
            msg = g_strdup_printf ("unexpected character U+%04X%s", ch, hint);
        what = msg;
    }
    scan_pos (s, end, &line, &col);
    g_set_error (error, FSIM_LOADER_ERROR, FSIM_LOADER_ERROR_PARSE, "%s:%d:%d: invalid JSON: %s",
                 s->file, line, col, what);
}

/* Checks every key and string of a freshly parsed tree: no key twice in one object (cJSON keeps
 * both, and a later merge would silently pick one), no string or key over the length limit.
 * @path is the path inside this file. */
static gboolean
check_tree (FsimJsonDoc *doc, cJSON *node, const FsimJPath *path, GError **error)
{
    if (cJSON_IsString (node) && strlen (node->valuestring) > FSIM_LOADER_MAX_STRING) {
        g_autofree char *where = fsim_i_jpath_render (path);
        fsim_i_error_at (error, doc, node, FALSE, FSIM_LOADER_ERROR_LIMIT,
                         "%s%sstring of %zu bytes is longer than the limit of %d", where,
                         *where ? ": " : "", strlen (node->valuestring), FSIM_LOADER_MAX_STRING);
        return FALSE;
    }
    gboolean object = cJSON_IsObject (node);
    g_autoptr (GHashTable) seen = object ? g_hash_table_new (g_str_hash, g_str_equal) : NULL;
    int i = 0;
    for (cJSON *c = node->child; c; c = c->next, i++) {
        FsimJPath p = object ? FSIM_JP_KEY (path, c->string) : FSIM_JP_IDX (path, i);
        if (object && strlen (c->string) > FSIM_LOADER_MAX_STRING) {
            g_autofree char *where = fsim_i_jpath_render (path);
            fsim_i_error_at (error, doc, c, TRUE, FSIM_LOADER_ERROR_LIMIT,
                             "%s%skey of %zu bytes is longer than the limit of %d", where,
                             *where ? ": " : "", strlen (c->string), FSIM_LOADER_MAX_STRING);
            return FALSE;
        }
        const cJSON *first = object ? g_hash_table_lookup (seen, c->string) : NULL;
        if (first) {
            const FsimNodeLoc *fl = fsim_i_json_loc (doc, first);
            g_autofree char *where = fsim_i_jpath_render (path);
            fsim_i_error_at (error, doc, c, TRUE, FSIM_LOADER_ERROR_SCHEMA,
                             "%s%sduplicate key '%s' (first given at %d:%d)", where,
                             *where ? ": " : "", c->string, fl->key_line, fl->key_col);
            return FALSE;
        }
        if (object)
            g_hash_table_insert (seen, c->string, c);
        if (!check_tree (doc, c, &p, error))
            return FALSE;
    }
    return TRUE;
}

/* Parse @text named @file; positions start at @line0:@col0 (for values given on the command
 * line). */
cJSON *
fsim_i_parse_text (FsimJsonDoc *doc, const char *file, const char *text, int line0, int col0,
                   GError **error)
{
    Scan s = { .doc = doc,
               .file = g_string_chunk_insert_const (doc->strings, file),
               .p = text,
               .at = text,
               .line = line0,
               .col = col0 };
    if (g_str_has_prefix (text, "\xEF\xBB\xBF"))
        s.p = s.at = text + 3; /* cJSON skips a UTF-8 byte order mark: so does the scan */
    Scan pre = s;
    if (!precheck_text (&pre, text, error))
        return NULL;
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithOpts (text, &end, TRUE);
    if (!root) {
        parse_error (&s, text, end, error);
        return NULL;
    }
    scan_value (&s, root);
    if (!check_tree (doc, root, NULL, error)) {
        fsim_i_bury (doc, root); /* positions were recorded: keep the addresses taken */
        return NULL;
    }
    return root;
}

/* Reads and parses @path (or @text standing for it). @from is the "include" or "extends" string
 * that names the file (NULL for the top file): a file that cannot be read is reported there. */
cJSON *
fsim_i_parse_file (FsimJsonDoc *doc, const char *path, const char *text, const cJSON *from,
                   GError **error)
{
    g_autofree char *owned = NULL;
    const char *name = fsim_i_display_name (doc, path);
    if (!text) {
        gsize len = 0;
        g_autofree char *reason = NULL;
        /* what may be read: graph/inputfile.h; the top file may be a pipe */
        guint64 budget =
            MIN ((guint64) FSIM_LOADER_MAX_FILE_BYTES,
                 FSIM_LOADER_MAX_TOTAL_BYTES - MIN (doc->n_bytes, FSIM_LOADER_MAX_TOTAL_BYTES));
        FsimInputStatus status =
            fsim_input_file_read (path, from == NULL, budget, &owned, &len, &reason);
        const FsimNodeLoc *l = fsim_i_json_loc (doc, from);
        if (status == FSIM_INPUT_TOO_LARGE) {
            g_autofree char *what =
                doc->n_bytes > 0
                    ? g_strdup_printf ("with the files read before it, more than the limit of %u "
                                       "bytes in all",
                                       FSIM_LOADER_MAX_TOTAL_BYTES)
                    : g_strdup_printf ("more than the limit of %u bytes",
                                       FSIM_LOADER_MAX_FILE_BYTES);
            if (l)
                g_set_error (error, FSIM_LOADER_ERROR, FSIM_LOADER_ERROR_LIMIT,
                             "%s:%d:%d: %s '%s': %s is too large: %s", l->file, l->line, l->col,
                             from->string ? from->string : "include", from->valuestring, name,
                             what);
            else
                g_set_error (error, FSIM_LOADER_ERROR, FSIM_LOADER_ERROR_LIMIT,
                             "%s: file is too large: %s", name, what);
            return NULL;
        }
        if (status != FSIM_INPUT_OK) {
            if (l)
                g_set_error (error, FSIM_LOADER_ERROR, FSIM_LOADER_ERROR_IO,
                             "%s:%d:%d: %s '%s': cannot read %s: %s", l->file, l->line, l->col,
                             from->string ? from->string : "include", from->valuestring, name,
                             reason);
            else
                g_set_error (error, FSIM_LOADER_ERROR, FSIM_LOADER_ERROR_IO, "%s: cannot read: %s",
                             name, reason);
            return NULL;
        }
        doc->n_bytes += len;
        if (strlen (owned) != len) {
            Scan s = { .doc = doc, .file = name, .at = owned, .line = 1, .col = 1 };
            int line, col;
            scan_pos (&s, owned + strlen (owned), &line, &col);
            g_set_error (error, FSIM_LOADER_ERROR, FSIM_LOADER_ERROR_PARSE,
                         "%s:%d:%d: invalid JSON: unexpected NUL byte", name, line, col);
            return NULL;
        }
        text = owned;
    }
    doc->n_files++;
    g_ptr_array_add (doc->read, g_strdup (path));
    cJSON *root = fsim_i_parse_text (doc, name, text, 1, 1, error);
    if (root && !cJSON_IsObject (root)) {
        fsim_i_error_at (error, doc, root, FALSE, FSIM_LOADER_ERROR_SCHEMA,
                         "expected a JSON object at the top level, got %s",
                         fsim_i_json_type_name (root));
        fsim_i_bury (doc, root);
        return NULL;
    }
    return root;
}

/* ---- top-level keys ------------------------------------------------------------------------ */

gboolean
fsim_i_check_top_keys (FsimJsonDoc *doc, cJSON *root, gboolean scenario)
{
    const char *const *keys = scenario ? scenario_keys : policy_keys;
    size_t n = scenario ? G_N_ELEMENTS (scenario_keys) : G_N_ELEMENTS (policy_keys);
    gboolean as_policy = FALSE; /* said that a scenario's key is in a file read as a policy */
    for (cJSON *c = root->child, *next; c; c = next) {
        next = c->next;
        gboolean known = FALSE;
        for (size_t i = 0; i < n && !known; i++)
            known = strcmp (c->string, keys[i]) == 0;
        if (known)
            continue; /* (no key is there twice: check_tree saw to that) */
        g_autoptr (GError) local = NULL;
        const char *near = fsim_i_closest (c->string, keys, n);
        const char *scen =
            scenario ? NULL
                     : fsim_i_closest (c->string, scenario_keys, G_N_ELEMENTS (scenario_keys));
        gboolean scen_only = scen && strcmp (scen, c->string) == 0;
        if (!near && !scen_only)
            near = scen; /* a misspelt scenario key, such as 'scenaro' */
        /* the other scenario keys of a file read as a policy have the same cause, and so
         * has a missing key that this one was meant to be (doc->misspelt) */
        gboolean again = as_policy && scen_only;
        as_policy = as_policy || scen_only || (near && near == scen);
        if (near)
            g_hash_table_add (doc->misspelt, (gpointer) near);
        if (again)
            (void) 0; /* taken out below, not reported */
        else if (near)
            fsim_i_error_at (&local, doc, c, TRUE, FSIM_LOADER_ERROR_SCHEMA,
                             "unknown key '%s'; did you mean '%s'?", c->string, near);
        else if (scen_only)
            fsim_i_error_at (&local, doc, c, TRUE, FSIM_LOADER_ERROR_SCHEMA,
                             "unknown key '%s' in a policy file (a scenario key: this file has "
                             "no 'scenario' id, or it is included as a policy file)",
                             c->string);
        else
            fsim_i_error_at (&local, doc, c, TRUE, FSIM_LOADER_ERROR_SCHEMA, "unknown key '%s'",
                             c->string);
        /* a misspelt "partners" or "include" (an array) held what other names may name */
        doc->incomplete = doc->incomplete || cJSON_IsArray (c);
        fsim_i_bury (doc, cJSON_DetachItemViaPointer (root, c));
        if (local && !fsim_i_doc_keep (doc, &local))
            return FALSE;
    }
    return TRUE;
}
