/* SPDX-License-Identifier: MIT */
/* report.c: renders a run as an aligned text report, a JSON document or a CSV flows table. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "claims-report.h"
#include "csv.h"
#include "findings.h"
#include "json-writer.h"
#include "report.h"
#include "room.h"
#include "table.h"

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
        return (Count){ .value = partner_total, .exact = TRUE };
    return (Count){ .value = max, .exact = n_here <= 1 };
}

/* ---- text ---- */

static char *
fmt_bound (Count c)
{
    g_autofree char *n = fsim_fmt_count (c.value);
    return c.exact ? g_steal_pointer (&n) : g_strconcat (">= ", n, NULL);
}
/* "  Key           value" with the value cleaned. */
static void
text_pair (GString *out, const char *key, const char *value)
{
    g_autofree char *clean = fsim_text_clean (value);
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

/* The count is the engine's (r->platform_off): an MPI rank holds only its own users. */
static void
text_platform_off (const FsimPopulation *pop, const FsimResult *r, GString *out)
{
    char pct[G_ASCII_DTOSTR_BUF_SIZE];

    if (pop == NULL || pop->platform == NULL || r->n_users == 0)
        return;
    g_ascii_formatd (pct, sizeof pct, "%.1f",
                     100.0 * (double) r->platform_off / (double) r->n_users);
    g_autofree char *n = fsim_fmt_count (r->platform_off);
    g_autofree char *value = g_strdup_printf ("%s (%s%%)", n, pct);
    text_pair (out, "Platform switch off", value);
}

/* The findings in sentences, wrapped at about 90 columns. */
static void
text_findings (const FsimScenario *s, const FsimResult *r, GString *out)
{
    g_autoptr (GPtrArray) sentences = fsim_findings_new (s, r);
    g_string_append (out, "\nFindings\n");
    for (size_t i = 0; i < sentences->len; i++) {
        g_autofree char *clean = fsim_text_clean (g_ptr_array_index (sentences, i));
        g_auto (GStrv) words = g_strsplit (clean, " ", -1);
        size_t column = 0;
        for (char **w = words; *w; w++) {
            size_t len = (size_t) g_utf8_strlen (*w, -1);
            if (column == 0) {
                g_string_append (out, w == words ? "  - " : "    ");
                column = 4;
            } else if (column + 1 + len > 90) {
                g_string_append (out, "\n    ");
                column = 4;
            } else {
                g_string_append_c (out, ' ');
                column++;
            }
            g_string_append (out, *w);
            column += len;
        }
        g_string_append_c (out, '\n');
    }
}

/* How many partners share the folded row: those tagged "unnamed" when there are several. */
static size_t
folded (const FsimScenario *s, const FsimReportOptions *o)
{
    size_t n = 0;
    for (size_t p = 0; p < s->n_partners && !o->all; p++)
        n += fsim_partner_is_unnamed (&s->partners[p]);
    return n > 1 ? n : 0;
}

/* "9,990" or "9,940-9,990" over the folded partners' @values (transfer full). */
static char *
folded_range (const FsimScenario *s, const size_t *values)
{
    size_t lo = 0, hi = 0;
    fsim_unnamed_range (s, values, &lo, &hi);
    g_autofree char *a = fsim_fmt_count (lo), *b = fsim_fmt_count (hi);
    return lo == hi ? g_strdup (a) : g_strdup_printf ("%s-%s", a, b);
}

static void
text_partner_users (const FsimScenario *s, const FsimResult *r, const FsimReportOptions *o,
                    GString *out)
{
    static const char *const headers[] = { "Partner", "Name", "Kind", "Country", "Users", NULL };
    size_t fold = folded (s, o);
    FsimTable t;
    fsim_table_init (&t, "llllr", headers);
    for (size_t p = 0; p < s->n_partners; p++) {
        const FsimPartner *partner = &s->partners[p];
        if (r->partner_users[p] == 0 || (fold && fsim_partner_is_unnamed (partner)))
            continue;
        char **row = fsim_table_row (&t);
        row[0] = fsim_text_clean (partner->id);
        row[1] = fsim_text_truncate (fsim_text_clean (partner->name), FSIM_LABEL_MAX_WIDTH);
        row[2] = fsim_text_clean (partner->kind);
        row[3] = fsim_text_clean (partner->country ? partner->country : "-");
        row[4] = fsim_fmt_count (r->partner_users[p]);
    }
    if (fold) {
        char **row = fsim_table_row (&t);
        row[0] = g_strdup_printf ("%zu unnamed", fold);
        row[1] = g_strdup ("one row (--all: each)");
        row[2] = g_strdup ("");
        row[3] = g_strdup ("-");
        row[4] = folded_range (s, r->partner_users);
    }
    fsim_table_finish (
        &t, "\n  Users of each partner (who use it: installed the app, own the device)\n", out);
}

static void
text_population (const FsimScenario *s, const FsimPopulation *pop, const FsimResult *r,
                 const FsimReportOptions *o, GString *out)
{
    char mean[G_ASCII_DTOSTR_BUF_SIZE];
    double m = r->n_users ? 2.0 * (double) r->n_friendships / (double) r->n_users : 0.0;
    g_autofree char *users = fsim_fmt_count (r->n_users);
    g_autofree char *friendships = fsim_fmt_count (r->n_friendships);

    g_ascii_formatd (mean, sizeof mean, "%.1f", m);
    g_string_append (out, "\nPopulation\n");
    text_pair (out, "Users", users);
    text_pair (out, "Friendships", friendships);
    text_pair (out, "Mean friends per user", mean);
    text_platform_off (pop, r, out);
    text_partner_users (s, r, o, out);
}

static char *
partner_label (const FsimPartner *partner)
{
    if (partner->name == NULL || g_strcmp0 (partner->name, partner->id) == 0)
        return fsim_text_clean (partner->id);
    g_autofree char *id = fsim_text_clean (partner->id);
    g_autofree char *name =
        fsim_text_truncate (fsim_text_clean (partner->name), FSIM_LABEL_MAX_WIDTH);
    return g_strdup_printf ("%s (%s)", id, name);
}

static char *
destination_where (const FsimDestination *d)
{
    if (d->on_device)
        return g_strdup ("on device");
    g_autofree char *where = g_strconcat ("server, ", destination_jurisdiction (d), NULL);
    return fsim_text_clean (where);
}

/* Adds the destination rows of partner @p; returns TRUE if any count is a lower bound. */
static gboolean
text_destination_rows (const FsimScenario *s, const FsimResult *r, size_t p, FsimTable *t)
{
    const FsimPartner *partner = &s->partners[p];
    gboolean bounded = FALSE;

    for (size_t d = 0; d < partner->n_destinations; d++) {
        Count all = destination_count (s, r, p, d, r->fp_users, r->partner_reached[p]);
        Count nc =
            destination_count (s, r, p, d, r->fp_no_consent, r->partner_reached_no_consent[p]);
        if (all.value == 0)
            continue;
        g_autofree char *id = fsim_text_clean (partner->destinations[d].id);
        char **row = fsim_table_row (t);
        row[0] = g_strconcat ("  ", id, NULL);
        row[1] = destination_where (&partner->destinations[d]);
        row[2] = fmt_bound (all);
        row[3] = fmt_bound (nc);
        bounded |= !all.exact || !nc.exact;
    }
    return bounded;
}

static void
text_partners (const FsimScenario *s, const FsimResult *r, const FsimReportOptions *o, GString *out)
{
    size_t fold = folded (s, o);
    static const char *const headers[] = { "Partner / destination", "Kind / where", "Users reached",
                                           "Without consent", NULL };
    gboolean bounded = FALSE;
    FsimTable t;

    fsim_table_init (&t, "llrr", headers);
    for (size_t p = 0; p < s->n_partners; p++) {
        if (r->partner_reached[p] == 0 || (fold && fsim_partner_is_unnamed (&s->partners[p])))
            continue;
        char **row = fsim_table_row (&t);
        row[0] = partner_label (&s->partners[p]);
        row[1] = fsim_text_clean (s->partners[p].kind);
        row[2] = fsim_fmt_count (r->partner_reached[p]);
        row[3] = fsim_fmt_count (r->partner_reached_no_consent[p]);
        bounded |= text_destination_rows (s, r, p, &t);
    }
    if (fold) {
        char **row = fsim_table_row (&t);
        row[0] = g_strdup_printf ("%zu unnamed partners, one row (--all: each)", fold);
        row[1] = g_strdup ("each");
        row[2] = folded_range (s, r->partner_reached);
        row[3] = folded_range (s, r->partner_reached_no_consent);
    }
    fsim_table_finish (&t,
                       "\nReach by partner and destination (distinct users with at least one field "
                       "there)\n",
                       out);
    if (bounded)
        g_string_append (out, "  \">= N\": a lower bound, the largest count over the fields "
                              "that destination receives\n  (the run counts distinct users per "
                              "partner and per field, not per destination).\n");
}

/* Appends @text as lines of at most @width columns, each indented by two spaces. */
static void
append_wrapped (GString *out, const char *text, size_t width)
{
    g_auto (GStrv) words = g_strsplit (text, " ", -1);
    size_t col = 0;
    for (size_t i = 0; words[i]; i++) {
        size_t len = (size_t) g_utf8_strlen (words[i], -1);
        if (len == 0)
            continue;
        if (col > 0 && col + 1 + len > width) {
            g_string_append_c (out, '\n');
            col = 0;
        }
        g_string_append (out, col == 0 ? "  " : " ");
        g_string_append (out, words[i]);
        col += (col == 0 ? 2 : 1) + len;
    }
    if (col > 0)
        g_string_append_c (out, '\n');
}

/*
 * Partners whose users agreed through a notice alleged or found to be deceptive: the count of
 * their own users above is "with consent" only in the model's sense, so the report says on
 * what that consent rests. Nothing is printed when no such partner received its users' own data.
 */
static void
text_consent (const FsimScenario *s, const FsimResult *r, GString *out)
{
    gboolean any = FALSE;
    for (size_t p = 0; p < s->n_partners; p++) {
        const FsimPartner *partner = &s->partners[p];
        size_t own = 0; /* users whose own data reached it, for the field where most did */
        for (size_t f = 0; f < s->n_fields; f++)
            own = MAX (own, fp_at (r, r->fp_channel[FSIM_CHANNEL_SELF], f, p));
        if (partner->consent.kind != FSIM_CONSENT_DECEPTIVE || own == 0)
            continue;
        if (!any)
            g_string_append (out, "\nConsent through a deceptive notice\n");
        any = TRUE;
        g_autofree char *id = fsim_text_clean (partner->id);
        g_autofree char *users = fsim_fmt_count (r->partner_users[p]);
        g_autofree char *line = g_strdup_printf (
            "%s: its %s users gave their own data through a notice alleged to be deceptive, "
            "not informed consent (counted above as \"with consent\").",
            id, users);
        append_wrapped (out, line, 96);
        if (partner->consent.note) {
            g_autofree char *note = fsim_text_clean (partner->consent.note);
            append_wrapped (out, note, 96);
        }
        for (size_t i = 0; i < partner->consent.sources.n; i++) {
            g_autofree char *src = fsim_source_to_string (&partner->consent.sources.items[i]);
            g_autofree char *clean = fsim_text_clean (src);
            g_autofree char *cite = g_strconcat ("Source: ", clean, NULL);
            append_wrapped (out, cite, 96);
        }
    }
}

static void
text_fields (const FsimScenario *s, const FsimResult *r, GString *out)
{
    static const char *const headers[] = { "Field",         "Label",           "Sensitive",
                                           "Users reached", "Without consent", NULL };
    FsimTable t;

    fsim_table_init (&t, "lllrr", headers);
    for (size_t f = 0; f < s->n_fields; f++) {
        const FsimField *field = &s->fields[f];
        if (r->field_users[f] == 0)
            continue;
        char **row = fsim_table_row (&t);
        row[0] = fsim_text_clean (field->id);
        row[1] = fsim_text_truncate (fsim_text_clean (field->label ? field->label : field->id),
                                     FSIM_LABEL_MAX_WIDTH);
        row[2] = g_strdup (field->sensitive ? "yes" : "");
        row[3] = fsim_fmt_count (r->field_users[f]);
        row[4] = fsim_fmt_count (r->field_no_consent[f]);
    }
    fsim_table_finish (
        &t, "\nReach by field (distinct users whose field reached at least one partner)\n", out);
}

static void
text_jurisdictions (const FsimResult *r, GString *out)
{
    static const char *const headers[] = { "Jurisdiction", "Users reached", "Without consent",
                                           NULL };
    FsimTable t;

    fsim_table_init (&t, "lrr", headers);
    for (size_t j = 0; j < r->n_jurisdictions; j++) {
        if (r->jurisdiction_users[j] == 0)
            continue;
        char **row = fsim_table_row (&t);
        gboolean device = strcmp (r->jurisdictions[j], "device") == 0;
        row[0] = device ? g_strdup ("on device") : fsim_text_clean (r->jurisdictions[j]);
        row[1] = fsim_fmt_count (r->jurisdiction_users[j]);
        row[2] = fsim_fmt_count (r->jurisdiction_no_consent[j]);
    }
    fsim_table_finish (
        &t, "\nReach by jurisdiction (distinct users with at least one field stored there)\n", out);
}

static void
render_text (const FsimScenario *s, const FsimPopulation *pop, const FsimResult *r,
             const FsimReportOptions *o, GString *out)
{
    text_header (s, out);
    if (r->focus) /* a focused run (run --partner/--field/--jurisdiction) */
        text_pair (out, "Focus", r->focus);
    for (size_t i = 0; i < s->n_overrides; i++) { /* the what-if, as applied */
        const FsimOverride *x = &s->overrides[i];
        g_autofree char *line = g_strdup_printf ("%s=%s (%zu value%s)", x->path, x->value,
                                                 x->changed, x->changed == 1 ? "" : "s");
        text_pair (out, "Override", line);
    }
    fsim_claims_report_text (s, out);
    text_findings (s, r, out);
    text_population (s, pop, r, o, out);
    text_partners (s, r, o, out);
    text_consent (s, r, out);
    text_fields (s, r, out);
    text_jurisdictions (r, out);
    g_string_append (out, "\nNotes\n"
                          "  Each user is counted once per row, however many fields or channels "
                          "carried their data.\n"
                          "  \"Without consent\": the data did not come through the user's own use "
                          "of that partner\n"
                          "  (it came through a friend, a friend of a friend, or onward sharing).\n"
                          "  Rows with no users are left out.\n");
}

/* ---- JSON ---- */

static void
json_partners (FsimJsonWriter *w, const FsimScenario *s, const FsimResult *r)
{
    fsim_jw_key (w, "partners");
    fsim_jw_open (w, '[');
    for (size_t p = 0; p < s->n_partners; p++) {
        const FsimPartner *partner = &s->partners[p];
        fsim_jw_item (w);
        fsim_jw_open (w, '{');
        fsim_jw_str (w, "id", partner->id);
        fsim_jw_str (w, "name", partner->name ? partner->name : partner->id);
        fsim_jw_str (w, "kind", partner->kind);
        fsim_jw_str (w, "country", partner->country);
        fsim_jw_uint (w, "users", r->partner_users[p]);
        fsim_jw_uint (w, "users_reached", r->partner_reached[p]);
        fsim_jw_uint (w, "users_reached_without_consent", r->partner_reached_no_consent[p]);
        fsim_jw_str (w, "consent", fsim_consent_kind_to_string (partner->consent.kind));
        fsim_jw_close (w, '}');
    }
    fsim_jw_close (w, ']');
}

static void
json_flow (FsimJsonWriter *w, const FsimScenario *s, const FsimResult *r, size_t f, size_t p,
           size_t d)
{
    const FsimDestination *dest = &s->partners[p].destinations[d];
    fsim_jw_item (w);
    fsim_jw_open (w, '{');
    fsim_jw_str (w, "field", s->fields[f].id);
    fsim_jw_str (w, "partner", s->partners[p].id);
    fsim_jw_str (w, "destination", dest->id);
    fsim_jw_str (w, "location", destination_location (dest));
    fsim_jw_str (w, "jurisdiction", destination_jurisdiction (dest));
    fsim_jw_uint (w, "users", fp_at (r, r->fp_users, f, p));
    fsim_jw_uint (w, "users_without_consent", fp_at (r, r->fp_no_consent, f, p));
    fsim_jw_key (w, "channels");
    fsim_jw_open (w, '{');
    for (int c = 0; c < FSIM_N_CHANNELS; c++)
        fsim_jw_uint (w, channel_keys[c], fp_at (r, r->fp_channel[c], f, p));
    fsim_jw_close (w, '}');
    fsim_jw_close (w, '}');
}

static void
json_flows (FsimJsonWriter *w, const FsimScenario *s, const FsimResult *r)
{
    fsim_jw_key (w, "flows");
    fsim_jw_open (w, '[');
    for (size_t f = 0; f < s->n_fields; f++)
        for (size_t p = 0; p < s->n_partners; p++)
            for (size_t d = 0; d < s->partners[p].n_destinations; d++)
                if (fsim_bits_get (s->partners[p].destinations[d].fields, f))
                    json_flow (w, s, r, f, p, d);
    fsim_jw_close (w, ']');
}

static void
json_fields (FsimJsonWriter *w, const FsimScenario *s, const FsimResult *r)
{
    fsim_jw_key (w, "fields");
    fsim_jw_open (w, '[');
    for (size_t f = 0; f < s->n_fields; f++) {
        fsim_jw_item (w);
        fsim_jw_open (w, '{');
        fsim_jw_str (w, "id", s->fields[f].id);
        fsim_jw_key (w, "sensitive");
        g_string_append (w->out, s->fields[f].sensitive ? "true" : "false");
        fsim_jw_uint (w, "users", r->field_users[f]);
        fsim_jw_uint (w, "users_without_consent", r->field_no_consent[f]);
        fsim_jw_close (w, '}');
    }
    fsim_jw_close (w, ']');
}

static void
json_jurisdictions (FsimJsonWriter *w, const FsimResult *r)
{
    fsim_jw_key (w, "jurisdictions");
    fsim_jw_open (w, '[');
    for (size_t j = 0; j < r->n_jurisdictions; j++) {
        fsim_jw_item (w);
        fsim_jw_open (w, '{');
        fsim_jw_str (w, "jurisdiction", r->jurisdictions[j]);
        fsim_jw_uint (w, "users", r->jurisdiction_users[j]);
        fsim_jw_uint (w, "users_without_consent", r->jurisdiction_no_consent[j]);
        fsim_jw_close (w, '}');
    }
    fsim_jw_close (w, ']');
}

static void
render_json (const FsimScenario *s, const FsimResult *r, GString *out)
{
    FsimJsonWriter w = { .out = out, .depth = 0, .first = { TRUE } };

    fsim_jw_open (&w, '{');
    fsim_jw_str (&w, "flowsim", FSIM_VERSION);
    fsim_jw_str (&w, "scenario", s->id);
    fsim_jw_str (&w, "title", s->title);
    fsim_jw_str (&w, "date", s->date_string);
    fsim_jw_uint (&w, "seed", s->seed);
    if (r->focus) /* a focused run: only these flows are counted */
        fsim_jw_str (&w, "focus", r->focus);
    if (s->n_overrides > 0) {
        fsim_jw_key (&w, "overrides");
        fsim_jw_open (&w, '[');
        for (size_t i = 0; i < s->n_overrides; i++) {
            fsim_jw_item (&w);
            fsim_jw_open (&w, '{');
            fsim_jw_str (&w, "path", s->overrides[i].path);
            fsim_jw_str (&w, "value", s->overrides[i].value);
            fsim_jw_uint (&w, "changed", s->overrides[i].changed);
            fsim_jw_close (&w, '}');
        }
        fsim_jw_close (&w, ']');
    }
    fsim_jw_key (&w, "population");
    fsim_jw_open (&w, '{');
    fsim_jw_uint (&w, "users", r->n_users);
    fsim_jw_uint (&w, "friendships", r->n_friendships);
    fsim_jw_close (&w, '}');
    fsim_claims_report_json (&w, s);
    json_partners (&w, s, r);
    json_flows (&w, s, r);
    json_fields (&w, s, r);
    json_jurisdictions (&w, r);
    fsim_jw_close (&w, '}');
    g_string_append_c (out, '\n');
}

/* ---- CSV ---- */

static void
csv_count (GString *out, size_t n)
{
    g_string_append_printf (out, ",%zu", n);
}

/* @claims: the "claims" cell of every row, or NULL when the scenario has no claims. */
static void
csv_flow (GString *out, const FsimScenario *s, const FsimResult *r, size_t f, size_t p, size_t d,
          const char *claims)
{
    const FsimDestination *dest = &s->partners[p].destinations[d];
    const char *text[] = { s->fields[f].id, s->partners[p].id, dest->id,
                           destination_location (dest), destination_jurisdiction (dest) };

    for (size_t i = 0; i < G_N_ELEMENTS (text); i++) {
        if (i > 0)
            g_string_append_c (out, ',');
        fsim_csv_cell (out, text[i]);
    }
    csv_count (out, fp_at (r, r->fp_users, f, p));
    csv_count (out, fp_at (r, r->fp_no_consent, f, p));
    for (int c = 0; c < FSIM_N_CHANNELS; c++)
        csv_count (out, fp_at (r, r->fp_channel[c], f, p));
    if (claims) {
        g_string_append_c (out, ',');
        fsim_csv_cell (out, claims);
    }
    g_string_append_c (out, '\n');
}

/* A flow row of a focused run's CSV: only the focused fields, partners and jurisdiction. */
static gboolean
in_focus (const FsimFocus *focus, const FsimDestination *d, size_t f, size_t p)
{
    const char *j = d->on_device ? "device" : d->jurisdiction;
    return fsim_focus_has_field (focus, f) && fsim_focus_has_partner (focus, p) &&
           (!focus->jurisdiction || (j && strcmp (j, focus->jurisdiction) == 0));
}

static void
render_csv (const FsimScenario *s, const FsimResult *r, GString *out)
{
    g_string_append (out, "field,partner,destination,location,jurisdiction,users,"
                          "users_without_consent");
    for (int c = 0; c < FSIM_N_CHANNELS; c++)
        g_string_append_printf (out, ",%s", channel_keys[c]);
    g_autofree char *claims = s->n_claims ? fsim_claims_report_csv_cell (s) : NULL;
    if (claims)
        g_string_append (out, ",claims");
    g_string_append_c (out, '\n');
    for (size_t f = 0; f < s->n_fields; f++)
        for (size_t p = 0; p < s->n_partners; p++)
            for (size_t d = 0; d < s->partners[p].n_destinations; d++)
                if (fsim_bits_get (s->partners[p].destinations[d].fields, f) &&
                    in_focus (&r->focus_sets, &s->partners[p].destinations[d], f, p))
                    csv_flow (out, s, r, f, p, d, claims);
}

void
fsim_report_render_with (const FsimScenario *scenario, const FsimPopulation *pop,
                         const FsimResult *result, FsimReportFormat format,
                         const FsimReportOptions *options, GString *out)
{
    g_return_if_fail (scenario != NULL && result != NULL && out != NULL);
    g_return_if_fail (result->n_fields == scenario->n_fields);
    g_return_if_fail (result->n_partners == scenario->n_partners);
    const FsimReportOptions defaults = { 0 };

    switch (format) {
    case FSIM_REPORT_TEXT:
        render_text (scenario, pop, result, options ? options : &defaults, out);
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

void
fsim_report_render (const FsimScenario *scenario, const FsimPopulation *pop,
                    const FsimResult *result, FsimReportFormat format, GString *out)
{
    fsim_report_render_with (scenario, pop, result, format, NULL, out);
}

/* ---- the room the text takes (room.h) ---- */

/* The claims' part, measured by rendering it: a few KiB at most (the claims of the files). */
static guint64
room_claims (const FsimScenario *s, FsimReportFormat format)
{
    g_autoptr (GString) text = g_string_new (NULL);
    FsimJsonWriter w = { .out = text, .depth = 2, .first = { TRUE, TRUE, TRUE } };
    if (format == FSIM_REPORT_JSON)
        fsim_claims_report_json (&w, s);
    else
        fsim_claims_report_text (s, text);
    return text->len + 64;
}

/* The text report: its tables, the findings and the consent paragraphs. */
static guint64
room_text (const FsimScenario *s, const FsimResult *r)
{
    FsimRoomTable t = { 0 };
    guint64 bytes = 8192; /* the header, the headings and the notes */
    for (size_t i = 0; i < s->n_overrides; i++)
        bytes +=
            fsim_room_json (s->overrides[i].path) + fsim_room_json (s->overrides[i].value) + 64;
    g_autoptr (GPtrArray) sentences = fsim_findings_new (s, r);
    for (size_t i = 0; i < sentences->len; i++) /* cleaned, wrapped: "\n    " for a space */
        bytes += 7 * (guint64) strlen (g_ptr_array_index (sentences, i)) + 8;
    for (size_t p = 0; p < s->n_partners; p++) {
        const FsimPartner *partner = &s->partners[p];
        const char *users[] = { partner->id, partner->name, partner->kind, partner->country, NULL };
        const char *label[] = { partner->id, partner->name, partner->kind, NULL, NULL };
        fsim_room_table_row (&t, users, G_N_ELEMENTS (users));
        fsim_room_table_row (&t, label, G_N_ELEMENTS (label));
        for (size_t d = 0; d < partner->n_destinations; d++) {
            const FsimDestination *dest = &partner->destinations[d];
            const char *row[] = { dest->id, destination_jurisdiction (dest), NULL, NULL };
            fsim_room_table_row (&t, row, G_N_ELEMENTS (row));
        }
        if (partner->consent.kind == FSIM_CONSENT_DECEPTIVE) {
            bytes += 3 * (guint64) strlen (partner->id) + 256;
            bytes += partner->consent.note ? 5 * (guint64) strlen (partner->consent.note) : 0;
            for (size_t i = 0; i < partner->consent.sources.n; i++) {
                g_autofree char *src = fsim_source_to_string (&partner->consent.sources.items[i]);
                bytes += 5 * (guint64) strlen (src) + 16;
            }
        }
    }
    for (size_t f = 0; f < s->n_fields; f++) {
        const char *row[] = { s->fields[f].id, s->fields[f].label, "yes", NULL, NULL };
        fsim_room_table_row (&t, row, G_N_ELEMENTS (row));
    }
    for (size_t j = 0; j < r->n_jurisdictions; j++) {
        const char *row[] = { r->jurisdictions[j], NULL, NULL };
        fsim_room_table_row (&t, row, G_N_ELEMENTS (row));
    }
    return bytes + fsim_room_table_bytes (&t);
}

/* The bytes a flow row of @format takes besides its strings and counts: JSON's keys,
 * indentation and punctuation (285), CSV's commas and line end. */
#define ROOM_JSON_FLOW 320
#define ROOM_CSV_FLOW 12

/* JSON and CSV: the flows, a row per (field, partner, destination), measured exactly from the
 * escaped ids and the counts' digits, and the rest (partners, fields, jurisdictions) bounded. */
static guint64
room_flows (const FsimScenario *s, const FsimResult *r, FsimReportFormat format)
{
    gboolean json = format == FSIM_REPORT_JSON;
    void (*escape) (GString *, const char *) = json ? fsim_json_string : fsim_csv_cell;
    g_autofree char *claims = s->n_claims ? fsim_claims_report_csv_cell (s) : NULL;
    guint64 per_row =
        json ? ROOM_JSON_FLOW : ROOM_CSV_FLOW + (claims ? fsim_room_escaped (escape, claims) : 0);
    guint64 bytes = 8192;
    for (size_t i = 0; i < s->n_overrides; i++)
        bytes +=
            fsim_room_json (s->overrides[i].path) + fsim_room_json (s->overrides[i].value) + 96;
    for (size_t j = 0; j < r->n_jurisdictions; j++)
        bytes += fsim_room_json (r->jurisdictions[j]) + 256;
    for (size_t p = 0; p < s->n_partners; p++) {
        const FsimPartner *partner = &s->partners[p];
        bytes += fsim_room_json (partner->id) + fsim_room_json (partner->name) +
                 fsim_room_json (partner->kind) + fsim_room_json (partner->country) + 512;
    }
    /* a field's escaped id, a few bytes per field: the rows below add it up */
    g_autofree guint64 *field = g_new (guint64, MAX (s->n_fields, 1));
    for (size_t f = 0; f < s->n_fields; f++) {
        field[f] = fsim_room_escaped (escape, s->fields[f].id);
        bytes += fsim_room_json (s->fields[f].id) + 256;
    }
    for (size_t p = 0; p < s->n_partners; p++) {
        const FsimPartner *partner = &s->partners[p];
        guint64 id = fsim_room_escaped (escape, partner->id);
        for (size_t d = 0; d < partner->n_destinations; d++) {
            const FsimDestination *dest = &partner->destinations[d];
            guint64 row = per_row + id + fsim_room_escaped (escape, dest->id) +
                          fsim_room_escaped (escape, destination_location (dest)) +
                          fsim_room_escaped (escape, destination_jurisdiction (dest));
            for (size_t f = 0; f < s->n_fields; f++) {
                if (!fsim_bits_get (dest->fields, f))
                    continue;
                bytes += row + field[f] + fsim_room_digits (fp_at (r, r->fp_users, f, p)) +
                         fsim_room_digits (fp_at (r, r->fp_no_consent, f, p));
                for (int c = 0; c < FSIM_N_CHANNELS; c++)
                    bytes += fsim_room_digits (fp_at (r, r->fp_channel[c], f, p));
            }
        }
    }
    return bytes;
}

guint64
fsim_report_room (const FsimScenario *scenario, const FsimResult *result, FsimReportFormat format)
{
    g_return_val_if_fail (scenario != NULL && result != NULL, 0);
    guint64 claims = room_claims (scenario, format);
    if (format == FSIM_REPORT_TEXT)
        return claims + room_text (scenario, result);
    return claims + room_flows (scenario, result, format);
}
