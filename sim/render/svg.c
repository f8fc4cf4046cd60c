/* SPDX-License-Identifier: MIT */
/* svg.c: markup escaping, a strict well-formedness check and an SVG allowlist for inlining. */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

#include <glib.h>

#include "room.h"
#include "svg.h"

/*
 * Everything that reaches an SVG or HTML output from a scenario file is untrusted. Text goes
 * through fsim_markup_append(); SVG that another program wrote (Graphviz) is parsed and
 * rebuilt from an allowlist by fsim_svg_sanitize(), so that even a bug in that program cannot
 * put a <script>, an event handler or a link to the network into the report.
 */

/* The quark's name is G_DEFINE_QUARK's first argument, spelt as it stands. */
/* clang-format off */
G_DEFINE_QUARK (fsim-svg-error-quark, fsim_svg_error)
/* clang-format on */

void
fsim_svg_number (GString *out, double v)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    if (!isfinite (v))
        v = 0;
    v = round (v * 100) / 100;
    if (v == 0)
        v = 0; /* no "-0" */
    g_ascii_formatd (buf, sizeof buf, "%.2f", v);
    /* trim trailing zeros: "12.50" -> "12.5", "3.00" -> "3" */
    char *dot = strchr (buf, '.');
    if (dot) {
        char *end = buf + strlen (buf) - 1;
        while (end > dot && *end == '0')
            *end-- = '\0';
        if (end == dot)
            *end = '\0';
    }
    g_string_append (out, buf);
}

/* ---- parsing ---- */

static const char *const allowed_elements[] = {
    "svg",    "g",    "title", "path", "polygon", "polyline", "ellipse",
    "circle", "rect", "line",  "text", "tspan",   NULL,
};

static const char *const allowed_attributes[] = {
    "class",
    "width",
    "height",
    "viewBox",
    "transform",
    "fill",
    "stroke",
    "stroke-width",
    "stroke-dasharray",
    "stroke-opacity",
    "fill-opacity",
    "opacity",
    "points",
    "d",
    "x",
    "y",
    "cx",
    "cy",
    "rx",
    "ry",
    "r",
    "x1",
    "y1",
    "x2",
    "y2",
    "text-anchor",
    "font-family",
    "font-size",
    "font-weight",
    "font-style",
    "preserveAspectRatio",
    "dominant-baseline",
    NULL,
};

static gboolean
in_list (const char *const *list, const char *name)
{
    for (size_t i = 0; list[i]; i++)
        if (strcmp (list[i], name) == 0)
            return TRUE;
    return FALSE;
}

typedef struct {
    GString *out;   /* NULL: check only */
    guint64 *count; /* non-NULL: @out is scratch, emptied into this count after each piece */
    int depth;      /* element depth */
    int skip_depth; /* > 0: inside a dropped element, at this depth */
    gboolean root_seen;
} Parse;

/* When only counting, the bytes appended since the last piece are counted and dropped. */
static void
piece_done (Parse *p)
{
    if (p->count != NULL && p->out != NULL) {
        *p->count += p->out->len;
        g_string_truncate (p->out, 0);
    }
}

static void
on_start (GMarkupParseContext *context, const char *name, const char **attr_names,
          const char **attr_values, gpointer data, GError **error)
{
    Parse *p = data;
    (void) context;
    p->depth++;
    if (p->depth == 1) {
        if (strcmp (name, "svg") != 0) {
            g_set_error (error, FSIM_SVG_ERROR, FSIM_SVG_ERROR_EMPTY,
                         "the root element is <%s>, not <svg>", name);
            return;
        }
        p->root_seen = TRUE;
    }
    if (!p->out || p->skip_depth > 0)
        return;
    if (!in_list (allowed_elements, name)) {
        p->skip_depth = p->depth;
        return;
    }
    g_string_append_printf (p->out, "<%s", name);
    if (p->depth == 1)
        g_string_append (p->out, " xmlns=\"http://www.w3.org/2000/svg\"");
    for (size_t i = 0; attr_names[i]; i++) {
        if (!in_list (allowed_attributes, attr_names[i]) || strstr (attr_values[i], "url("))
            continue;
        g_string_append_printf (p->out, " %s=\"", attr_names[i]);
        fsim_markup_append (p->out, attr_values[i]);
        g_string_append_c (p->out, '"');
    }
    g_string_append_c (p->out, '>');
    piece_done (p);
}

static void
on_end (GMarkupParseContext *context, const char *name, gpointer data, GError **error)
{
    Parse *p = data;
    (void) context;
    (void) error;
    if (p->out && p->skip_depth == 0)
        g_string_append_printf (p->out, "</%s>", name);
    piece_done (p);
    if (p->skip_depth == p->depth)
        p->skip_depth = 0;
    p->depth--;
}

static void
on_text (GMarkupParseContext *context, const char *text, gsize len, gpointer data, GError **error)
{
    Parse *p = data;
    (void) context;
    (void) error;
    if (!p->out || p->skip_depth > 0 || p->depth == 0)
        return;
    g_autofree char *copy = g_strndup (text, len);
    fsim_markup_append (p->out, copy);
    piece_done (p);
}

/* Where the piece of @text (@len bytes) that starts at @i ends (one past its last byte), as
 * GMarkup reads it, or an end no earlier than GMarkup's: a text runs to the next '<'; a
 * comment to the first "-->", a CDATA section to "]]>", a processing instruction to "?>", a
 * DOCTYPE to the '>' that balances its '<'s, any other "<!" to the end (GMarkup's passthrough
 * ends at nothing else); a tag to the first '>' outside a quoted attribute value. */
static size_t
piece_end (const char *text, size_t len, size_t i)
{
    const char *p = text + i, *end = text + len, *found = NULL;
    size_t left = len - i;

    if (*p != '<') {
        found = memchr (p, '<', left);
        return found ? (size_t) (found - text) : len;
    }
    const struct {
        const char *open, *close;
        size_t from; /* where the close may start, after the '<' */
    } kinds[] = { { "<!--", "-->", 2 }, { "<![CDATA[", "]]>", 9 }, { "<?", "?>", 1 } };
    for (size_t k = 0; k < G_N_ELEMENTS (kinds); k++)
        if (left >= strlen (kinds[k].open) &&
            memcmp (p, kinds[k].open, strlen (kinds[k].open)) == 0) {
            found = left > kinds[k].from
                        ? g_strstr_len (p + kinds[k].from, (gssize) (left - kinds[k].from),
                                        kinds[k].close)
                        : NULL;
            return found ? (size_t) (found - text) + strlen (kinds[k].close) : len;
        }
    if (left >= 2 && p[1] == '!' && !(left >= 9 && memcmp (p, "<!DOCTYPE", 9) == 0))
        return len;
    gboolean doctype = left >= 2 && p[1] == '!';
    size_t depth = 0;
    char quote = 0;
    for (const char *q = p; q < end; q++) {
        if (doctype) {
            depth += *q == '<';
            if (*q == '>' && --depth == 0)
                return (size_t) (q - text) + 1;
        } else if (quote != 0) {
            quote = *q == quote ? 0 : quote;
        } else if (*q == '"' || *q == '\'') {
            quote = *q;
        } else if (*q == '>') {
            return (size_t) (q - text) + 1;
        }
    }
    return len;
}

/* Refuses a control character GMarkup would take, and a piece (piece_end()) over
 * FSIM_SVG_MAX_PIECE bytes: GMarkup copies each into a GString that GLib grows, aborting if it
 * cannot. *@out_longest: the longest piece's bytes. */
static gboolean
check_pieces (const char *text, size_t len, size_t *out_longest, GError **error)
{
    size_t longest = 0;

    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char) text[i];
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
            g_set_error (error, FSIM_SVG_ERROR, FSIM_SVG_ERROR_PARSE,
                         "not well-formed SVG: control character 0x%02x at byte %zu", c, i);
            return FALSE;
        }
    }
    for (size_t i = 0, next = 0; i < len; i = next) {
        next = piece_end (text, len, i);
        if (next - i > FSIM_SVG_MAX_PIECE) {
            g_set_error (error, FSIM_SVG_ERROR, FSIM_SVG_ERROR_PIECE,
                         "the SVG has a piece (an element, a text or a comment) of %zu bytes at "
                         "byte %zu, more than the %d bytes a piece may have",
                         next - i, i, FSIM_SVG_MAX_PIECE);
            return FALSE;
        }
        longest = MAX (longest, next - i);
    }
    *out_longest = longest;
    return TRUE;
}

/* Parses @text into @out (NULL: checks only), or with @count only counts what it would
 * append, @out then being scratch, made room for here (a piece is escaped into it at once). */
static gboolean
parse (const char *text, gssize len, GString *out, guint64 *count, GError **error)
{
    size_t longest = 0;
    static const GMarkupParser parser = { on_start, on_end, on_text, NULL, NULL };
    Parse p = { .out = out, .count = count };
    g_autoptr (GMarkupParseContext) context = NULL;
    g_autoptr (GError) local = NULL;

    if (len < 0)
        len = (gssize) strlen (text);
    if (!check_pieces (text, (size_t) len, &longest, error))
        return FALSE;
    /* a piece's output: its bytes escaped, and the root's xmlns */
    if (count != NULL && out != NULL &&
        !fsim_room_reserve (out, (guint64) longest * FSIM_ROOM_PER_BYTE + 64,
                            "a piece of the diagram's SVG", error))
        return FALSE;
    context = g_markup_parse_context_new (&parser, G_MARKUP_TREAT_CDATA_AS_TEXT, &p, NULL);
    if (!g_markup_parse_context_parse (context, text, len, &local) ||
        !g_markup_parse_context_end_parse (context, &local)) {
        if (g_error_matches (local, FSIM_SVG_ERROR, FSIM_SVG_ERROR_EMPTY))
            g_propagate_error (error, g_steal_pointer (&local));
        else
            g_set_error (error, FSIM_SVG_ERROR, FSIM_SVG_ERROR_PARSE, "not well-formed SVG: %s",
                         local->message);
        return FALSE;
    }
    if (!p.root_seen) {
        g_set_error_literal (error, FSIM_SVG_ERROR, FSIM_SVG_ERROR_EMPTY, "no <svg> element");
        return FALSE;
    }
    return TRUE;
}

gboolean
fsim_svg_check (const char *text, gssize len, GError **error)
{
    g_return_val_if_fail (text != NULL, FALSE);
    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
    return parse (text, len, NULL, NULL, error);
}

char *
fsim_svg_sanitize (const char *text, gssize len, GError **error)
{
    g_return_val_if_fail (text != NULL, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);
    /* the drawing is another program's, up to FSIM_GRAPHVIZ_MAX_BYTES: what it becomes is
     * counted in a first pass, a piece at a time, then written into a room made for it with
     * a tried allocation, so that no buffer of its size grows through GLib */
    guint64 bytes = 0;
    g_autoptr (GString) scratch = g_string_new (NULL);
    if (!parse (text, len, scratch, &bytes, error))
        return NULL;
    g_autoptr (GString) out = g_string_new (NULL);
    if (!fsim_room_reserve (out, bytes, "the diagram's SVG", error))
        return NULL;
    const char *room = out->str;
    gboolean ok = parse (text, len, out, NULL, error);
    g_assert (ok && out->str == room); /* the same text, parsed the same way */
    return g_string_free (g_steal_pointer (&out), FALSE);
}
