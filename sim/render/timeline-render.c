/* SPDX-License-Identifier: MIT */
/* timeline-render.c: a timeline as text tables or a JSON document. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "claims-report.h"
#include "json-writer.h"
#include "room.h"
#include "table.h"
#include "timeline.h"

static const char *const format_names[_FSIM_TIMELINE_MAX] = {
    [FSIM_TIMELINE_TEXT] = "text",
    [FSIM_TIMELINE_JSON] = "json",
    [FSIM_TIMELINE_SVG] = "svg",
};

gboolean
fsim_timeline_format_from_string (const char *s, FsimTimelineFormat *out)
{
    g_return_val_if_fail (out != NULL, FALSE);
    for (int i = 0; s && i < _FSIM_TIMELINE_MAX; i++)
        if (strcmp (s, format_names[i]) == 0) {
            *out = (FsimTimelineFormat) i;
            return TRUE;
        }
    return FALSE;
}

/* ---- text ---- */

/* A wide table: "Date", then one column per group; cells "N (M)". */
typedef struct {
    GPtrArray *headers; /* char *, cleaned */
    GPtrArray *cells;   /* char *, row-major, n_cols per row */
} Wide;

static void
wide_append (GString *out, const char *s, size_t width, gboolean right)
{
    size_t w = fsim_text_width (s);
    if (right)
        fsim_append_spaces (out, width > w ? width - w : 0);
    g_string_append (out, s);
    if (!right)
        fsim_append_spaces (out, width > w ? width - w : 0);
}

static void
wide_finish (const Wide *t, GString *out)
{
    size_t n_cols = t->headers->len, n_rows = t->cells->len / n_cols;
    g_autofree size_t *width = g_new0 (size_t, n_cols);
    for (size_t c = 0; c < n_cols; c++) {
        width[c] = fsim_text_width (g_ptr_array_index (t->headers, c));
        for (size_t r = 0; r < n_rows; r++)
            width[c] =
                MAX (width[c], fsim_text_width (g_ptr_array_index (t->cells, r * n_cols + c)));
    }
    for (size_t r = 0; r <= n_rows + 1; r++) {
        g_string_append (out, "  ");
        for (size_t c = 0; c < n_cols; c++) {
            if (c > 0)
                g_string_append (out, "  ");
            if (r == 1) {
                for (size_t i = 0; i < width[c]; i++)
                    g_string_append_c (out, '-');
                continue;
            }
            const char *cell = r == 0 ? g_ptr_array_index (t->headers, c)
                                      : g_ptr_array_index (t->cells, (r - 2) * n_cols + c);
            wide_append (out, cell, width[c], c > 0 && r > 0);
        }
        while (out->len && out->str[out->len - 1] == ' ')
            g_string_truncate (out, out->len - 1);
        g_string_append_c (out, '\n');
    }
}

/* "N (M)", or "N" when @no_consent is NULL. */
static char *
cell (const size_t *users, const size_t *no_consent, size_t i)
{
    g_autofree char *a = fsim_fmt_count (users[i]);
    g_autofree char *b = no_consent ? fsim_fmt_count (no_consent[i]) : NULL;
    return b ? g_strdup_printf ("%s (%s)", a, b) : g_steal_pointer (&a);
}

/* The counts of one table: per group [t * n + g] and, if @all, for all partners [t]. */
typedef struct {
    const size_t *users, *nc;
    const size_t *all, *all_nc;
} Counts;

/* One table: groups @names; with c->all, a first column for all partners. */
static void
text_table (const FsimTimeline *t, const char *title, char **names, size_t n, Counts c,
            GString *out)
{
    gboolean all = c.all != NULL;
    Wide w = { g_ptr_array_new_with_free_func (g_free), g_ptr_array_new_with_free_func (g_free) };
    g_ptr_array_add (w.headers, g_strdup ("Date"));
    if (all)
        g_ptr_array_add (w.headers, g_strdup ("All partners"));
    for (size_t g = 0; g < n; g++)
        g_ptr_array_add (w.headers, strcmp (names[g], "device") == 0 && c.all_nc
                                        ? g_strdup ("on device")
                                        : fsim_text_clean (names[g]));
    for (size_t i = 0; i < t->n_points; i++) {
        g_ptr_array_add (w.cells, fsim_day_format (t->days[i]));
        if (all)
            g_ptr_array_add (w.cells, cell (c.all, c.all_nc, i));
        for (size_t g = 0; g < n; g++)
            g_ptr_array_add (w.cells, cell (c.users, c.nc, i * n + g));
    }
    g_string_append_printf (out, "%s\n", title);
    wide_finish (&w, out);
    g_string_append_c (out, '\n');
    g_ptr_array_unref (w.headers);
    g_ptr_array_unref (w.cells);
}

/* The per-partner table: one column per partner of @partners (a bit set). */
static void
text_partners (const FsimScenario *s, const FsimTimeline *t, const FsimWord *partners, GString *out)
{
    size_t n = fsim_bits_count (partners, s->partner_words), np = t->n_partners, c = 0;
    g_autofree char **names = g_new0 (char *, n + 1);
    g_autofree size_t *users = g_new0 (size_t, t->n_points * n + 1);
    g_autofree size_t *nc = g_new0 (size_t, t->n_points * n + 1);
    for (size_t p = fsim_bits_next (partners, s->partner_words, 0); p != SIZE_MAX;
         p = fsim_bits_next (partners, s->partner_words, p + 1), c++) {
        names[c] = s->partners[p].id;
        for (size_t i = 0; i < t->n_points; i++) {
            users[i * n + c] = t->partner_users[i * np + p];
            nc[i * n + c] = t->partner_no_consent[i * np + p];
        }
    }
    text_table (t, "Users reached (without consent), by partner", names, n,
                (Counts){ users, nc, NULL, NULL }, out);
}

static void
render_text (const FsimScenario *s, const FsimTimeline *t, const FsimWord *partners, GString *out)
{
    g_autofree char *id = fsim_text_clean (s->id ? s->id : "(policy file, no scenario)");
    g_autofree char *title = fsim_text_clean (s->title);
    g_autofree char *from = fsim_day_format (t->from), *to = fsim_day_format (t->to);
    g_autofree char *step = fsim_timeline_step_format (t->step);
    g_autofree char *users = fsim_fmt_count (t->n_users);

    g_string_append_printf (out, "flowsim " FSIM_VERSION " timeline\n\n  Scenario  %s\n", id);
    if (s->title)
        g_string_append_printf (out, "  Title     %s\n", title);
    g_string_append_printf (out, "  Dates     %s to %s, every %s (%zu dates)\n", from, to, step,
                            t->n_points);
    g_string_append_printf (out, "  Users     %s (one population, built once)\n", users);
    if (t->focus) {
        g_autofree char *focus = fsim_text_clean (t->focus);
        g_string_append_printf (out, "  Focus     %s\n", focus);
    }
    g_string_append_printf (out,
                            "  Runs      %zu of the dates decided again (a window opened or "
                            "closed before them), %zu traced\n",
                            t->n_evaluations, t->n_traced);
    fsim_claims_report_header_line (s, out);
    g_string_append_c (out, '\n');
    text_table (t, "Users reached (without consent), by jurisdiction", t->jurisdictions,
                t->n_jurisdictions,
                (Counts){ t->jur_users, t->jur_no_consent, t->users, t->no_consent }, out);
    text_table (t, "Users reached (without consent), by partner kind", t->kinds, t->n_kinds,
                (Counts){ t->kind_users, t->kind_no_consent, NULL, NULL }, out);
    text_table (t, "Partners that reached anyone, by kind", t->kinds, t->n_kinds,
                (Counts){ t->kind_partners, NULL, t->partners, NULL }, out);
    if (partners)
        text_partners (s, t, partners, out);
    g_string_append (out, "Policy changes in the range\n");
    if (t->n_events == 0)
        g_string_append (out, "  (none)\n");
    for (size_t i = 0; i < t->n_events; i++) {
        g_autofree char *day = fsim_day_format (t->events[i].day);
        g_autofree char *what = fsim_text_clean (t->events[i].what);
        g_string_append_printf (out, "  %s  %s\n", day, what);
    }
    g_string_append (out, "\nNotes\n  Each user is counted once per cell. \"Without consent\": "
                          "not through the user's own use\n  of that partner. A column's "
                          "users may also appear in other columns.\n");
}

/* ---- JSON ---- */

static void
json_groups (FsimJsonWriter *w, const char *key, const char *name_key, char **names, size_t n,
             const size_t *users, const size_t *nc)
{
    fsim_jw_key (w, key);
    fsim_jw_open (w, '[');
    for (size_t g = 0; g < n; g++) {
        fsim_jw_item (w);
        fsim_jw_open (w, '{');
        fsim_jw_str (w, name_key, names[g]);
        fsim_jw_uint (w, "users", users[g]);
        fsim_jw_uint (w, "users_without_consent", nc[g]);
        fsim_jw_close (w, '}');
    }
    fsim_jw_close (w, ']');
}

static void
json_names (FsimJsonWriter *w, const char *key, char **names, size_t n)
{
    fsim_jw_key (w, key);
    fsim_jw_open (w, '[');
    for (size_t g = 0; g < n; g++) {
        fsim_jw_item (w);
        fsim_json_string (w->out, names[g]);
    }
    fsim_jw_close (w, ']');
}

static void
json_point (FsimJsonWriter *w, const FsimScenario *s, const FsimTimeline *t,
            const FsimWord *partners, size_t i)
{
    g_autofree char *date = fsim_day_format (t->days[i]);
    size_t nj = t->n_jurisdictions, nk = t->n_kinds;
    fsim_jw_item (w);
    fsim_jw_open (w, '{');
    fsim_jw_str (w, "date", date);
    fsim_jw_uint (w, "users_reached", t->users[i]);
    fsim_jw_uint (w, "users_reached_without_consent", t->no_consent[i]);
    json_groups (w, "jurisdictions", "jurisdiction", t->jurisdictions, nj, t->jur_users + i * nj,
                 t->jur_no_consent + i * nj);
    json_groups (w, "kinds", "kind", t->kinds, nk, t->kind_users + i * nk,
                 t->kind_no_consent + i * nk);
    fsim_jw_uint (w, "partners_reaching", t->partners[i]);
    fsim_jw_key (w, "partners_reaching_by_kind");
    fsim_jw_open (w, '[');
    for (size_t k = 0; k < nk; k++) {
        fsim_jw_item (w);
        fsim_jw_open (w, '{');
        fsim_jw_str (w, "kind", t->kinds[k]);
        fsim_jw_uint (w, "partners", t->kind_partners[i * nk + k]);
        fsim_jw_close (w, '}');
    }
    fsim_jw_close (w, ']');
    if (partners) {
        fsim_jw_key (w, "partners");
        fsim_jw_open (w, '[');
        for (size_t p = fsim_bits_next (partners, s->partner_words, 0); p != SIZE_MAX;
             p = fsim_bits_next (partners, s->partner_words, p + 1)) {
            fsim_jw_item (w);
            fsim_jw_open (w, '{');
            fsim_jw_str (w, "partner", s->partners[p].id);
            fsim_jw_uint (w, "users", t->partner_users[i * t->n_partners + p]);
            fsim_jw_uint (w, "users_without_consent", t->partner_no_consent[i * t->n_partners + p]);
            fsim_jw_close (w, '}');
        }
        fsim_jw_close (w, ']');
    }
    fsim_jw_close (w, '}');
}

static void
json_events (FsimJsonWriter *w, const FsimTimeline *t)
{
    fsim_jw_key (w, "events");
    fsim_jw_open (w, '[');
    for (size_t i = 0; i < t->n_events; i++) {
        g_autofree char *date = fsim_day_format (t->events[i].day);
        fsim_jw_item (w);
        fsim_jw_open (w, '{');
        fsim_jw_str (w, "date", date);
        fsim_jw_str (w, "what", t->events[i].what);
        fsim_jw_close (w, '}');
    }
    fsim_jw_close (w, ']');
}

static void
render_json (const FsimScenario *s, const FsimTimeline *t, const FsimWord *partners, GString *out)
{
    FsimJsonWriter w = { .out = out };
    g_autofree char *from = fsim_day_format (t->from), *to = fsim_day_format (t->to);
    g_autofree char *step = fsim_timeline_step_format (t->step);

    fsim_jw_open (&w, '{');
    fsim_jw_str (&w, "flowsim", FSIM_VERSION);
    fsim_jw_str (&w, "scenario", s->id);
    fsim_jw_str (&w, "title", s->title);
    fsim_jw_str (&w, "from", from);
    fsim_jw_str (&w, "to", to);
    fsim_jw_str (&w, "step", step);
    fsim_jw_key (&w, "population");
    fsim_jw_open (&w, '{');
    fsim_jw_uint (&w, "users", t->n_users);
    fsim_jw_close (&w, '}');
    if (t->focus)
        fsim_jw_str (&w, "focus", t->focus);
    fsim_jw_uint (&w, "dates_decided", t->n_evaluations);
    fsim_jw_uint (&w, "dates_traced", t->n_traced);
    fsim_claims_report_json (&w, s);
    json_names (&w, "jurisdictions", t->jurisdictions, t->n_jurisdictions);
    json_names (&w, "kinds", t->kinds, t->n_kinds);
    json_events (&w, t);
    fsim_jw_key (&w, "points");
    fsim_jw_open (&w, '[');
    for (size_t i = 0; i < t->n_points; i++)
        json_point (&w, s, t, partners, i);
    fsim_jw_close (&w, ']');
    fsim_jw_close (&w, '}');
    g_string_append_c (out, '\n');
}

void
fsim_timeline_render (const FsimScenario *scenario, const FsimTimeline *t,
                      FsimTimelineFormat format, GString *out)
{
    fsim_timeline_render_partners (scenario, t, format, NULL, out);
}

void
fsim_timeline_render_partners (const FsimScenario *scenario, const FsimTimeline *t,
                               FsimTimelineFormat format, const FsimWord *partners, GString *out)
{
    g_return_if_fail (scenario != NULL && t != NULL && out != NULL);
    switch (format) {
    case FSIM_TIMELINE_TEXT:
        render_text (scenario, t, partners, out);
        break;
    case FSIM_TIMELINE_JSON:
        render_json (scenario, t, partners, out);
        break;
    case FSIM_TIMELINE_SVG:
        fsim_timeline_write_svg (scenario, t, NULL, FALSE, out);
        break;
    default:
        g_return_if_reached ();
    }
}

/* ---- the room the text takes (room.h) ---- */

/* A group's entry at one date: JSON's {"jurisdiction": NAME, "users": N,
 * "users_without_consent": N} at its indentation (at most 170 bytes besides the name), a text
 * cell "N (M)" padded to its column, or an SVG line's point. */
#define ROOM_TIMELINE_ENTRY 200
#define ROOM_TIMELINE_POINT 512 /* a date's own keys and counts */

guint64
fsim_timeline_room (const FsimScenario *scenario, const FsimTimeline *t, const FsimWord *partners,
                    gboolean all_partners)
{
    g_return_val_if_fail (scenario != NULL && t != NULL, 0);
    guint64 names = 0, bytes = 16384; /* the header, the notes, an SVG's frame and legend */
    for (size_t j = 0; j < t->n_jurisdictions; j++)
        names += ROOM_TIMELINE_ENTRY + fsim_room_text (t->jurisdictions[j]);
    for (size_t k = 0; k < t->n_kinds; k++) /* by kind, and partners reaching by kind */
        names += 2 * (ROOM_TIMELINE_ENTRY + fsim_room_text (t->kinds[k]));
    for (size_t p = 0; p < scenario->n_partners; p++)
        if (all_partners || (partners && fsim_bits_get (partners, p)))
            names += ROOM_TIMELINE_ENTRY + fsim_room_text (scenario->partners[p].id);
    for (size_t i = 0; i < t->n_events; i++)
        bytes += fsim_room_text (t->events[i].what) + 128;
    /* each name once more as a header, a legend or a list */
    return bytes + names + (guint64) t->n_points * (ROOM_TIMELINE_POINT + names);
}
