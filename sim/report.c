/* SPDX-License-Identifier: MIT */
/* report.c: renders a run as an aligned text report, a JSON document or a CSV flows table. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "report.h"

/*
 * Every string that comes from a scenario file is untrusted: names and labels may hold quotes,
 * control characters, terminal escapes or invalid UTF-8. Each format cleans them its own way
 * (text: replaced by '?', JSON: escaped, CSV: quoted and formula-neutralised), and every output
 * is valid UTF-8. Nothing here depends on the locale, so the same run gives the same bytes.
 */

/* The JSON "channels" keys and the CSV column names, fixed here so the formats stay stable. */
static const char *const channel_keys[FSIM_N_CHANNELS] = {
    [FSIM_CHANNEL_SELF] = "self",
    [FSIM_CHANNEL_FRIEND] = "friend",
    [FSIM_CHANNEL_FRIEND_OF_FRIEND] = "friend_of_friend",
    [FSIM_CHANNEL_DOWNSTREAM] = "downstream",
};

static const char *const format_names[_FSIM_REPORT_MAX] = {
    [FSIM_REPORT_TEXT] = "text",
    [FSIM_REPORT_JSON] = "json",
    [FSIM_REPORT_CSV] = "csv",
};

gboolean
fsim_report_format_from_string (const char *s, FsimReportFormat *out)
{
    g_return_val_if_fail (out != NULL, FALSE);
    for (int i = 0; s && i < _FSIM_REPORT_MAX; i++) {
        if (strcmp (s, format_names[i]) == 0) {
            *out = (FsimReportFormat) i;
            return TRUE;
        }
    }
    return FALSE;
}

const char *
fsim_report_format_to_string (FsimReportFormat format)
{
    g_return_val_if_fail (format < _FSIM_REPORT_MAX, NULL);
    return format_names[format];
}

/* ---- the model, as the report sees it ---- */

static inline size_t
fp_at (const FsimResult *r, const size_t *a, size_t f, size_t p)
{
    return a[f * r->n_partners + p];
}

/* The jurisdiction column: the ISO code of a server, "device" for on-device data. */
static const char *
destination_jurisdiction (const FsimDestination *d)
{
    if (d->on_device)
        return "device";
    return d->jurisdiction ? d->jurisdiction : "unknown";
}

static const char *
destination_location (const FsimDestination *d)
{
    return d->on_device ? "device" : "server";
}

/*
 * A destination's distinct-user count. The run keeps distinct users per partner and per
 * (field, partner) pair, not per destination; a destination's count is exact when it receives
 * every field with a non-zero count (then it is the partner's count) or only one of them (then
 * it is that field's count). Otherwise the largest per-field count is a lower bound.
 */
typedef struct {
    size_t value;
    gboolean exact;
} Count;

static Count
destination_count (const FsimScenario *s, const FsimResult *r, size_t p, size_t d,
                   const size_t *per_field, size_t partner_total)
{
    const FsimDestination *dest = &s->partners[p].destinations[d];
    size_t max = 0, n_here = 0;
    gboolean receives_all = TRUE;

    for (size_t f = 0; f < r->n_fields; f++) {
        size_t v = fp_at (r, per_field, f, p);
        if (v == 0)
            continue;
        if (fsim_bits_get (dest->fields, f)) {
            n_here++;
            max = MAX (max, v);
        } else {
            receives_all = FALSE;
        }
    }
    if (receives_all)
        return (Count) { .value = partner_total, .exact = TRUE };
    return (Count) { .value = max, .exact = n_here <= 1 };
}

/* ---- text ---- */

/* "1234567" -> "1,234,567" (transfer full). */
static char *
fmt_count (size_t n)
{
    char digits[32];
    g_snprintf (digits, sizeof digits, "%zu", n);
    size_t len = strlen (digits);
    GString *s = g_string_sized_new (len + len / 3 + 1);
    for (size_t i = 0; i < len; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            g_string_append_c (s, ',');
        g_string_append_c (s, digits[i]);
    }
    return g_string_free (s, FALSE);
}

static char *
fmt_bound (Count c)
{
    g_autofree char *n = fmt_count (c.value);
    return c.exact ? g_steal_pointer (&n) : g_strconcat (">= ", n, NULL);
}

static gboolean
is_unsafe_for_terminal (gunichar c)
{
    /* C0, DEL, C1 (terminal escapes) and the bidi controls that reorder what a reader sees. */
    return g_unichar_iscntrl (c) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

/* A copy of @s that is valid UTF-8 and safe to print (transfer full). NULL gives "". */
static char *
text_clean (const char *s)
{
    g_autofree char *valid = g_utf8_make_valid (s ? s : "", -1);
    GString *out = g_string_sized_new (strlen (valid));
    for (const char *p = valid; *p; p = g_utf8_next_char (p)) {
        gunichar c = g_utf8_get_char (p);
        if (is_unsafe_for_terminal (c))
            g_string_append_c (out, '?');
        else
            g_string_append_len (out, p, g_utf8_next_char (p) - p);
    }
    return g_string_free (out, FALSE);
}

/* Columns a cleaned string takes on a terminal (East Asian wide characters take two). */
static size_t
text_width (const char *s)
{
    size_t w = 0;
    for (const char *p = s; *p; p = g_utf8_next_char (p)) {
        gunichar c = g_utf8_get_char (p);
        if (!g_unichar_iszerowidth (c))
            w += g_unichar_iswide (c) ? 2 : 1;
    }
    return w;
}

/* @s (cleaned) cut to @max columns, "..." marking the cut (transfer full). */
static char *
text_truncate (char *s, size_t max)
{
    size_t w = 0;

    if (text_width (s) <= max)
        return s;
    for (char *p = s; *p; p = g_utf8_next_char (p)) {
        gunichar c = g_utf8_get_char (p);
        size_t cw = g_unichar_iszerowidth (c) ? 0 : g_unichar_iswide (c) ? 2 : 1;
        if (w + cw > max - 3) {
            *p = '\0';
            break;
        }
        w += cw;
    }
    char *cut = g_strconcat (s, "...", NULL);
    g_free (s);
    return cut;
}

static void
append_spaces (GString *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        g_string_append_c (out, ' ');
}

#define TABLE_MAX_COLS 8
#define LABEL_MAX_WIDTH 40 /* free-text columns are cut to this many terminal columns */

/* An aligned table: a header row, then rows of owned, cleaned cells. */
typedef struct {
    size_t n_cols;
    const char *align; /* 'l' or 'r' per column */
    GPtrArray *rows;   /* char ** (n_cols cells, g_strfreev) */
} Table;

static void
table_init (Table *t, const char *align, const char *const *headers)
{
    t->n_cols = strlen (align);
    g_assert (t->n_cols > 0 && t->n_cols <= TABLE_MAX_COLS);
    t->align = align;
    t->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
    g_ptr_array_add (t->rows, g_strdupv ((char **) headers));
}

/* A new row whose n_cols cells the caller fills with owned strings. */
static char **
table_row (Table *t)
{
    char **row = g_new0 (char *, t->n_cols + 1);
    g_ptr_array_add (t->rows, row);
    return row;
}

static void
table_render_row (const Table *t, char *const *row, const size_t *widths, GString *out)
{
    g_string_append (out, "  ");
    for (size_t c = 0; c < t->n_cols; c++) {
        const char *cell = row[c] ? row[c] : "";
        size_t pad = widths[c] - text_width (cell);
        if (c > 0)
            g_string_append (out, "  ");
        if (t->align[c] == 'r')
            append_spaces (out, pad);
        g_string_append (out, cell);
        if (t->align[c] != 'r' && c + 1 < t->n_cols)
            append_spaces (out, pad);
    }
    g_string_append_c (out, '\n');
}

/* Appends @title and the table (or "(none)"), and frees the table's rows. */
static void
table_finish (Table *t, const char *title, GString *out)
{
    size_t widths[TABLE_MAX_COLS] = { 0 };

    g_string_append (out, title);
    if (t->rows->len <= 1) {
        g_string_append (out, "  (none)\n");
        g_clear_pointer (&t->rows, g_ptr_array_unref);
        return;
    }
    for (guint i = 0; i < t->rows->len; i++) {
        char **row = g_ptr_array_index (t->rows, i);
        for (size_t c = 0; c < t->n_cols; c++)
            widths[c] = MAX (widths[c], text_width (row[c] ? row[c] : ""));
    }
    table_render_row (t, g_ptr_array_index (t->rows, 0), widths, out);
    g_string_append (out, "  ");
    for (size_t c = 0; c < t->n_cols; c++) {
        if (c > 0)
            g_string_append (out, "  ");
        for (size_t i = 0; i < widths[c]; i++)
            g_string_append_c (out, '-');
    }
    g_string_append_c (out, '\n');
    for (guint i = 1; i < t->rows->len; i++)
        table_render_row (t, g_ptr_array_index (t->rows, i), widths, out);
    g_clear_pointer (&t->rows, g_ptr_array_unref);
}

/* "  Key           value" with the value cleaned. */
static void
text_pair (GString *out, const char *key, const char *value)
{
    g_autofree char *clean = text_clean (value);
    g_string_append_printf (out, "  %-22s  %s\n", key, clean);
}

static void
text_header (const FsimScenario *s, GString *out)
{
    char seed[32];
    g_snprintf (seed, sizeof seed, "%" G_GUINT64_FORMAT, s->seed);
    g_string_append (out, "flowsim " FSIM_VERSION " report\n\n");
    text_pair (out, "Scenario", s->id ? s->id : "(policy file, no scenario)");
    if (s->title)
        text_pair (out, "Title", s->title);
    text_pair (out, "Date", s->date_string ? s->date_string : "");
    text_pair (out, "Seed", seed);
}

static void
text_platform_off (const FsimPopulation *pop, GString *out)
{
    size_t off = 0;
    char pct[G_ASCII_DTOSTR_BUF_SIZE];

    if (pop == NULL || pop->platform == NULL || pop->n_users == 0)
        return;
    for (size_t u = 0; u < pop->n_users; u++)
        off += pop->platform[u] == 0;
    g_ascii_formatd (pct, sizeof pct, "%.1f", 100.0 * (double) off / (double) pop->n_users);
    g_autofree char *n = fmt_count (off);
    g_autofree char *value = g_strdup_printf ("%s (%s%%)", n, pct);
    text_pair (out, "Platform switch off", value);
}

static void
text_partner_users (const FsimScenario *s, const FsimResult *r, GString *out)
{
    static const char *const headers[] = { "Partner", "Name", "Kind", "Country", "Users", NULL };
    Table t;
    table_init (&t, "llllr", headers);
    for (size_t p = 0; p < s->n_partners; p++) {
        const FsimPartner *partner = &s->partners[p];
        if (r->partner_users[p] == 0)
            continue;
        char **row = table_row (&t);
        row[0] = text_clean (partner->id);
        row[1] = text_truncate (text_clean (partner->name), LABEL_MAX_WIDTH);
        row[2] = text_clean (partner->kind);
        row[3] = text_clean (partner->country ? partner->country : "-");
        row[4] = fmt_count (r->partner_users[p]);
    }
    table_finish (&t, "\n  Users of each partner (who use it: installed the app, own the device)\n",
                  out);
}

static void
text_population (const FsimScenario *s, const FsimPopulation *pop, const FsimResult *r,
                 GString *out)
{
    char mean[G_ASCII_DTOSTR_BUF_SIZE];
    double m = r->n_users ? 2.0 * (double) r->n_friendships / (double) r->n_users : 0.0;
    g_autofree char *users = fmt_count (r->n_users);
    g_autofree char *friendships = fmt_count (r->n_friendships);

    g_ascii_formatd (mean, sizeof mean, "%.1f", m);
    g_string_append (out, "\nPopulation\n");
    text_pair (out, "Users", users);
    text_pair (out, "Friendships", friendships);
    text_pair (out, "Mean friends per user", mean);
    text_platform_off (pop, out);
    text_partner_users (s, r, out);
}

static char *
partner_label (const FsimPartner *partner)
{
    if (partner->name == NULL || g_strcmp0 (partner->name, partner->id) == 0)
        return text_clean (partner->id);
    g_autofree char *id = text_clean (partner->id);
    g_autofree char *name = text_truncate (text_clean (partner->name), LABEL_MAX_WIDTH);
    return g_strdup_printf ("%s (%s)", id, name);
}

static char *
destination_where (const FsimDestination *d)
{
    if (d->on_device)
        return g_strdup ("on device");
    g_autofree char *where = g_strconcat ("server, ", destination_jurisdiction (d), NULL);
    return text_clean (where);
}

/* Adds the destination rows of partner @p; returns TRUE if any count is a lower bound. */
static gboolean
text_destination_rows (const FsimScenario *s, const FsimResult *r, size_t p, Table *t)
{
    const FsimPartner *partner = &s->partners[p];
    gboolean bounded = FALSE;

    for (size_t d = 0; d < partner->n_destinations; d++) {
        Count all = destination_count (s, r, p, d, r->fp_users, r->partner_reached[p]);
        Count nc = destination_count (s, r, p, d, r->fp_no_consent,
                                      r->partner_reached_no_consent[p]);
        if (all.value == 0)
            continue;
        g_autofree char *id = text_clean (partner->destinations[d].id);
        char **row = table_row (t);
        row[0] = g_strconcat ("  ", id, NULL);
        row[1] = destination_where (&partner->destinations[d]);
        row[2] = fmt_bound (all);
        row[3] = fmt_bound (nc);
        bounded |= !all.exact || !nc.exact;
    }
    return bounded;
}

static void
text_partners (const FsimScenario *s, const FsimResult *r, GString *out)
{
    static const char *const headers[] = { "Partner / destination", "Kind / where",
                                           "Users reached", "Without consent", NULL };
    gboolean bounded = FALSE;
    Table t;

    table_init (&t, "llrr", headers);
    for (size_t p = 0; p < s->n_partners; p++) {
        if (r->partner_reached[p] == 0)
            continue;
        char **row = table_row (&t);
        row[0] = partner_label (&s->partners[p]);
        row[1] = text_clean (s->partners[p].kind);
        row[2] = fmt_count (r->partner_reached[p]);
        row[3] = fmt_count (r->partner_reached_no_consent[p]);
        bounded |= text_destination_rows (s, r, p, &t);
    }
    table_finish (&t,
                  "\nReach by partner and destination (distinct users with at least one field "
                  "there)\n",
                  out);
    if (bounded)
        g_string_append (out, "  \">= N\": a lower bound, the largest count over the fields "
                              "that destination receives\n  (the run counts distinct users per "
                              "partner and per field, not per destination).\n");
}

static void
text_fields (const FsimScenario *s, const FsimResult *r, GString *out)
{
    static const char *const headers[] = { "Field", "Label", "Sensitive", "Users reached",
                                           "Without consent", NULL };
    Table t;

    table_init (&t, "lllrr", headers);
    for (size_t f = 0; f < s->n_fields; f++) {
        const FsimField *field = &s->fields[f];
        if (r->field_users[f] == 0)
            continue;
        char **row = table_row (&t);
        row[0] = text_clean (field->id);
        row[1] = text_truncate (text_clean (field->label ? field->label : field->id),
                                LABEL_MAX_WIDTH);
        row[2] = g_strdup (field->sensitive ? "yes" : "");
        row[3] = fmt_count (r->field_users[f]);
        row[4] = fmt_count (r->field_no_consent[f]);
    }
    table_finish (&t,
                  "\nReach by field (distinct users whose field reached at least one partner)\n",
                  out);
}

static void
text_jurisdictions (const FsimResult *r, GString *out)
{
    static const char *const headers[] = { "Jurisdiction", "Users reached", "Without consent",
                                           NULL };
    Table t;

    table_init (&t, "lrr", headers);
    for (size_t j = 0; j < r->n_jurisdictions; j++) {
        if (r->jurisdiction_users[j] == 0)
            continue;
        char **row = table_row (&t);
        gboolean device = strcmp (r->jurisdictions[j], "device") == 0;
        row[0] = device ? g_strdup ("on device") : text_clean (r->jurisdictions[j]);
        row[1] = fmt_count (r->jurisdiction_users[j]);
        row[2] = fmt_count (r->jurisdiction_no_consent[j]);
    }
    table_finish (&t,
                  "\nReach by jurisdiction (distinct users with at least one field stored there)\n",
                  out);
}

static void
render_text (const FsimScenario *s, const FsimPopulation *pop, const FsimResult *r,
             GString *out)
{
    text_header (s, out);
    text_population (s, pop, r, out);
    text_partners (s, r, out);
    text_fields (s, r, out);
    text_jurisdictions (r, out);
    g_string_append (out,
                     "\nNotes\n"
                     "  Each user is counted once per row, however many fields or channels "
                     "carried their data.\n"
                     "  \"Without consent\": the data did not come through the user's own use "
                     "of that partner\n"
                     "  (it came through a friend, a friend of a friend, or onward sharing).\n"
                     "  Rows with no users are left out.\n");
}

/* ---- JSON ---- */

/*
 * A minimal pretty printer: 2-space indent, one member per line, "[]" / "{}" when empty.
 * first[depth] says whether the container at that depth has had a member yet.
 */
#define JSON_MAX_DEPTH 8

typedef struct {
    GString *out;
    int depth;
    gboolean first[JSON_MAX_DEPTH];
} JsonWriter;

static void
json_string (GString *out, const char *s)
{
    g_autofree char *valid = g_utf8_make_valid (s, -1);
    g_string_append_c (out, '"');
    for (const char *p = valid; *p; p = g_utf8_next_char (p)) {
        gunichar c = g_utf8_get_char (p);
        switch (c) {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
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
jw_newline (JsonWriter *w)
{
    g_string_append_c (w->out, '\n');
    append_spaces (w->out, 2 * (size_t) w->depth);
}

/* Before an array element or an object member. */
static void
jw_item (JsonWriter *w)
{
    if (!w->first[w->depth])
        g_string_append_c (w->out, ',');
    w->first[w->depth] = FALSE;
    jw_newline (w);
}

static void
jw_key (JsonWriter *w, const char *key)
{
    jw_item (w);
    json_string (w->out, key);
    g_string_append (w->out, ": ");
}

static void
jw_open (JsonWriter *w, char bracket)
{
    g_assert (w->depth + 1 < JSON_MAX_DEPTH);
    g_string_append_c (w->out, bracket);
    w->first[++w->depth] = TRUE;
}

static void
jw_close (JsonWriter *w, char bracket)
{
    gboolean empty = w->first[w->depth];
    w->depth--;
    if (!empty)
        jw_newline (w);
    g_string_append_c (w->out, bracket);
}

static void
jw_str (JsonWriter *w, const char *key, const char *value)
{
    jw_key (w, key);
    if (value)
        json_string (w->out, value);
    else
        g_string_append (w->out, "null");
}

static void
jw_uint (JsonWriter *w, const char *key, guint64 value)
{
    jw_key (w, key);
    g_string_append_printf (w->out, "%" G_GUINT64_FORMAT, value);
}

static void
json_partners (JsonWriter *w, const FsimScenario *s, const FsimResult *r)
{
    jw_key (w, "partners");
    jw_open (w, '[');
    for (size_t p = 0; p < s->n_partners; p++) {
        const FsimPartner *partner = &s->partners[p];
        jw_item (w);
        jw_open (w, '{');
        jw_str (w, "id", partner->id);
        jw_str (w, "name", partner->name ? partner->name : partner->id);
        jw_str (w, "kind", partner->kind);
        jw_str (w, "country", partner->country);
        jw_uint (w, "users", r->partner_users[p]);
        jw_uint (w, "users_reached", r->partner_reached[p]);
        jw_uint (w, "users_reached_without_consent", r->partner_reached_no_consent[p]);
        jw_close (w, '}');
    }
    jw_close (w, ']');
}

static void
json_flow (JsonWriter *w, const FsimScenario *s, const FsimResult *r, size_t f, size_t p,
           size_t d)
{
    const FsimDestination *dest = &s->partners[p].destinations[d];
    jw_item (w);
    jw_open (w, '{');
    jw_str (w, "field", s->fields[f].id);
    jw_str (w, "partner", s->partners[p].id);
    jw_str (w, "destination", dest->id);
    jw_str (w, "location", destination_location (dest));
    jw_str (w, "jurisdiction", destination_jurisdiction (dest));
    jw_uint (w, "users", fp_at (r, r->fp_users, f, p));
    jw_uint (w, "users_without_consent", fp_at (r, r->fp_no_consent, f, p));
    jw_key (w, "channels");
    jw_open (w, '{');
    for (int c = 0; c < FSIM_N_CHANNELS; c++)
        jw_uint (w, channel_keys[c], fp_at (r, r->fp_channel[c], f, p));
    jw_close (w, '}');
    jw_close (w, '}');
}

static void
json_flows (JsonWriter *w, const FsimScenario *s, const FsimResult *r)
{
    jw_key (w, "flows");
    jw_open (w, '[');
    for (size_t f = 0; f < s->n_fields; f++)
        for (size_t p = 0; p < s->n_partners; p++)
            for (size_t d = 0; d < s->partners[p].n_destinations; d++)
                if (fsim_bits_get (s->partners[p].destinations[d].fields, f))
                    json_flow (w, s, r, f, p, d);
    jw_close (w, ']');
}

static void
json_fields (JsonWriter *w, const FsimScenario *s, const FsimResult *r)
{
    jw_key (w, "fields");
    jw_open (w, '[');
    for (size_t f = 0; f < s->n_fields; f++) {
        jw_item (w);
        jw_open (w, '{');
        jw_str (w, "id", s->fields[f].id);
        jw_key (w, "sensitive");
        g_string_append (w->out, s->fields[f].sensitive ? "true" : "false");
        jw_uint (w, "users", r->field_users[f]);
        jw_uint (w, "users_without_consent", r->field_no_consent[f]);
        jw_close (w, '}');
    }
    jw_close (w, ']');
}

static void
json_jurisdictions (JsonWriter *w, const FsimResult *r)
{
    jw_key (w, "jurisdictions");
    jw_open (w, '[');
    for (size_t j = 0; j < r->n_jurisdictions; j++) {
        jw_item (w);
        jw_open (w, '{');
        jw_str (w, "jurisdiction", r->jurisdictions[j]);
        jw_uint (w, "users", r->jurisdiction_users[j]);
        jw_uint (w, "users_without_consent", r->jurisdiction_no_consent[j]);
        jw_close (w, '}');
    }
    jw_close (w, ']');
}

static void
render_json (const FsimScenario *s, const FsimResult *r, GString *out)
{
    JsonWriter w = { .out = out, .depth = 0, .first = { TRUE } };

    jw_open (&w, '{');
    jw_str (&w, "flowsim", FSIM_VERSION);
    jw_str (&w, "scenario", s->id);
    jw_str (&w, "title", s->title);
    jw_str (&w, "date", s->date_string);
    jw_uint (&w, "seed", s->seed);
    jw_key (&w, "population");
    jw_open (&w, '{');
    jw_uint (&w, "users", r->n_users);
    jw_uint (&w, "friendships", r->n_friendships);
    jw_close (&w, '}');
    json_partners (&w, s, r);
    json_flows (&w, s, r);
    json_fields (&w, s, r);
    json_jurisdictions (&w, r);
    jw_close (&w, '}');
    g_string_append_c (out, '\n');
}

/* ---- CSV ---- */

/*
 * One cell, RFC 4180: quoted when it holds a comma, quote, CR or LF, quotes doubled. A cell
 * a spreadsheet would run as a formula (starting with = + - @, or tab / CR, per OWASP) gets a
 * leading single quote and is quoted.
 */
static void
csv_cell (GString *out, const char *s)
{
    g_autofree char *valid = g_utf8_make_valid (s ? s : "", -1);
    gboolean formula = valid[0] != '\0' && strchr ("=+-@\t\r", valid[0]) != NULL;
    gboolean quote = formula || strpbrk (valid, ",\"\r\n") != NULL;

    if (quote)
        g_string_append_c (out, '"');
    if (formula)
        g_string_append_c (out, '\'');
    for (const char *p = valid; *p; p++) {
        if (*p == '"')
            g_string_append_c (out, '"');
        g_string_append_c (out, *p);
    }
    if (quote)
        g_string_append_c (out, '"');
}

static void
csv_count (GString *out, size_t n)
{
    g_string_append_printf (out, ",%zu", n);
}

static void
csv_flow (GString *out, const FsimScenario *s, const FsimResult *r, size_t f, size_t p,
          size_t d)
{
    const FsimDestination *dest = &s->partners[p].destinations[d];
    const char *text[] = { s->fields[f].id, s->partners[p].id, dest->id,
                           destination_location (dest), destination_jurisdiction (dest) };

    for (size_t i = 0; i < G_N_ELEMENTS (text); i++) {
        if (i > 0)
            g_string_append_c (out, ',');
        csv_cell (out, text[i]);
    }
    csv_count (out, fp_at (r, r->fp_users, f, p));
    csv_count (out, fp_at (r, r->fp_no_consent, f, p));
    for (int c = 0; c < FSIM_N_CHANNELS; c++)
        csv_count (out, fp_at (r, r->fp_channel[c], f, p));
    g_string_append_c (out, '\n');
}

static void
render_csv (const FsimScenario *s, const FsimResult *r, GString *out)
{
    g_string_append (out, "field,partner,destination,location,jurisdiction,users,"
                          "users_without_consent");
    for (int c = 0; c < FSIM_N_CHANNELS; c++)
        g_string_append_printf (out, ",%s", channel_keys[c]);
    g_string_append_c (out, '\n');
    for (size_t f = 0; f < s->n_fields; f++)
        for (size_t p = 0; p < s->n_partners; p++)
            for (size_t d = 0; d < s->partners[p].n_destinations; d++)
                if (fsim_bits_get (s->partners[p].destinations[d].fields, f))
                    csv_flow (out, s, r, f, p, d);
}

void
fsim_report_render (const FsimScenario *scenario, const FsimPopulation *pop,
                    const FsimResult *result, FsimReportFormat format, GString *out)
{
    g_return_if_fail (scenario != NULL && result != NULL && out != NULL);
    g_return_if_fail (result->n_fields == scenario->n_fields);
    g_return_if_fail (result->n_partners == scenario->n_partners);

    switch (format) {
    case FSIM_REPORT_TEXT:
        render_text (scenario, pop, result, out);
        break;
    case FSIM_REPORT_JSON:
        render_json (scenario, result, out);
        break;
    case FSIM_REPORT_CSV:
        render_csv (scenario, result, out);
        break;
    default:
        g_return_if_reached ();
    }
}
