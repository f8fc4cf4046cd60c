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

/* "N (M)", or "N" when @no_consent is NULL. */
static char *
cell (const size_t *users, const size_t *no_consent, size_t i)
{
    g_autofree char *a = fsim_fmt_count (users[i]);
    g_autofree char *b = no_consent ? fsim_fmt_count (no_consent[i]) : NULL;
    return b ? g_strdup_printf ("%s (%s)", a, b) : g_steal_pointer (&a);
}

/* The counts of one table: per group [t * stride + g] (stride: the groups, or with @pick,
 * group g's counts at [t * stride + pick[g]]) and, if @all, for all partners [t]. */
typedef struct {
    const size_t *users, *nc;
    const size_t *all, *all_nc;
    size_t stride;      /* 0: the groups */
    const size_t *pick; /* NULL: group g at g */
} Counts;

/* A wide table: "Date", then, with c.all, "All partners", then one column per group of @names;
 * cells "N (M)". Its cells (dates times groups: up to 2,000 times 16,384 kinds) are formatted
 * when written, twice (for the widths, then the text), never all kept at once. */
typedef struct {
    const FsimTimeline *t;
    char **names;
    size_t n;
    Counts c;
} Wide;

/* Row @i's cell of column @col (transfer full). */
static char *
wide_cell (const Wide *w, size_t i, size_t col)
{
    gboolean all = w->c.all != NULL;
    if (col == 0)
        return fsim_day_format (w->t->days[i]);
    if (all && col == 1)
        return cell (w->c.all, w->c.all_nc, i);
    size_t g = col - 1 - all;
    return cell (w->c.users, w->c.nc,
                 i * (w->c.stride ? w->c.stride : w->n) + (w->c.pick ? w->c.pick[g] : g));
}

/* Column @col's heading (transfer full). */
static char *
wide_header (const Wide *w, size_t col)
{
    gboolean all = w->c.all != NULL;
    if (col == 0)
        return g_strdup ("Date");
    if (all && col == 1)
        return g_strdup ("All partners");
    const char *name = w->names[col - 1 - all];
    return strcmp (name, "device") == 0 && w->c.all_nc ? g_strdup ("on device")
                                                       : fsim_text_clean (name);
}

/* One table: groups @names; with c->all, a first column for all partners. */
static void
text_table (const FsimTimeline *t, const char *title, char **names, size_t n, Counts c,
            GString *out)
{
    const Wide w = { t, names, n, c };
    size_t n_cols = n + 1 + (c.all != NULL), n_rows = t->n_points;
    g_autofree size_t *width = g_new0 (size_t, n_cols); /* the groups: partners or kinds */
    for (size_t col = 0; col < n_cols; col++) {
        g_autofree char *head = wide_header (&w, col);
        width[col] = fsim_text_width (head);
        for (size_t r = 0; r < n_rows; r++) {
            g_autofree char *text = wide_cell (&w, r, col);
            width[col] = MAX (width[col], fsim_text_width (text));
        }
    }
    g_string_append_printf (out, "%s\n", title);
    for (size_t r = 0; r <= n_rows + 1; r++) {
        g_string_append (out, "  ");
        for (size_t col = 0; col < n_cols; col++) {
            if (col > 0)
                g_string_append (out, "  ");
            if (r == 1) {
                for (size_t i = 0; i < width[col]; i++)
                    g_string_append_c (out, '-');
                continue;
            }
            g_autofree char *text = r == 0 ? wide_header (&w, col) : wide_cell (&w, r - 2, col);
            wide_append (out, text, width[col], col > 0 && r > 0);
        }
        while (out->len && out->str[out->len - 1] == ' ')
            g_string_truncate (out, out->len - 1);
        g_string_append_c (out, '\n');
    }
    g_string_append_c (out, '\n');
}

/* The per-partner table: one column per partner of @partners (a bit set). */
static void
text_partners (const FsimScenario *s, const FsimTimeline *t, const FsimWord *partners, GString *out)
{
    size_t n = fsim_bits_count (partners, s->partner_words), c = 0;
    /* the partners' names and numbers (the loader's limit: 16,384): the counts are read where
     * the timeline keeps them, not copied by date and partner */
    g_autofree char **names = g_new0 (char *, n + 1);
    g_autofree size_t *pick = g_new0 (size_t, n + 1);
    for (size_t p = fsim_bits_next (partners, s->partner_words, 0); p != SIZE_MAX;
         p = fsim_bits_next (partners, s->partner_words, p + 1), c++) {
        names[c] = s->partners[p].id;
        pick[c] = p;
    }
    text_table (t, "Users reached (without consent), by partner", names, n,
                (Counts){ .users = t->partner_users,
                          .nc = t->partner_no_consent,
                          .stride = t->n_partners,
                          .pick = pick },
                out);
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
                (Counts){ .users = t->jur_users,
                          .nc = t->jur_no_consent,
                          .all = t->users,
                          .all_nc = t->no_consent },
                out);
    text_table (
        t, "Users reached (without consent), by partner kind", t->kinds, t->n_kinds,
        (Counts){ .users = t->kind_users, .nc = t->kind_no_consent, .all = NULL, .all_nc = NULL },
        out);
    text_table (
        t, "Partners that reached anyone, by kind", t->kinds, t->n_kinds,
        (Counts){ .users = t->kind_partners, .nc = NULL, .all = t->partners, .all_nc = NULL }, out);
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
