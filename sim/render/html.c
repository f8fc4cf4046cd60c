/* SPDX-License-Identifier: MIT */
/* html.c: the shareable report: one self-contained, offline HTML page about a run. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "html.h"
#include "svg.h"
#include "table.h"

/*
 * The page is polyglot HTML5 / XML (void elements closed, only character references), so the
 * tests can check it with a strict XML parser. Nothing in it runs or loads: no script, no
 * external style, font or image, and a Content-Security-Policy that forbids them anyway, so
 * even a string that slipped through escaping could not act.
 */

static const char page_style[] =
    "body{font-family:system-ui,-apple-system,\"Segoe UI\",Helvetica,Arial,sans-serif;"
    "margin:0 auto;max-width:1100px;padding:1.5em;color:#222;line-height:1.45}"
    "h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:1px solid #ddd;padding-bottom:.2em;"
    "margin-top:1.8em}.meta{color:#666}.note{color:#555;font-size:.9em}"
    "table{border-collapse:collapse;margin:.6em 0;font-size:.92em}"
    "th,td{padding:.25em .7em;border-bottom:1px solid #eee;vertical-align:top}"
    "th{text-align:left;background:#f6f6f6}td.r,th.r{text-align:right}"
    ".cards{display:flex;flex-wrap:wrap;gap:.8em}.card{border:1px solid #ddd;border-radius:6px;"
    "padding:.6em 1em;min-width:9em}.card b{display:block;font-size:1.5em}"
    "figure{margin:0;overflow-x:auto;border:1px solid #eee;padding:.5em}"
    "figure svg{max-width:100%;height:auto}figure.wide "
    "svg{max-width:none}.route{white-space:pre-wrap;font-size:.88em;"
    "background:#fafafa;border-left:3px solid #ddd;padding:.4em .8em;margin:.3em 0 1em}"
    "footer{margin-top:3em;color:#777;font-size:.85em}";

void
fsim_i_html_element (GString *out, const char *tag, const char *cls, const char *text)
{
    if (cls)
        g_string_append_printf (out, "<%s class=\"%s\">", tag, cls);
    else
        g_string_append_printf (out, "<%s>", tag);
    fsim_markup_append (out, text);
    g_string_append_printf (out, "</%s>\n", tag);
}

void
fsim_i_html_table_open (GString *out, const char *align, const char *const *headers)
{
    g_string_append (out, "<table><thead><tr>");
    for (size_t i = 0; headers[i]; i++) {
        g_string_append (out, align[i] == 'r' ? "<th class=\"r\">" : "<th>");
        fsim_markup_append (out, headers[i]);
        g_string_append (out, "</th>");
    }
    g_string_append (out, "</tr></thead><tbody>\n");
}

void
fsim_i_html_row (GString *out, const char *align, const char *const *cells)
{
    g_string_append (out, "<tr>");
    for (size_t i = 0; i < strlen (align); i++) {
        g_string_append (out, align[i] == 'r' ? "<td class=\"r\">" : "<td>");
        fsim_markup_append (out, cells[i]);
        g_string_append (out, "</td>");
    }
    g_string_append (out, "</tr>\n");
}

void
fsim_i_html_table_close (GString *out)
{
    g_string_append (out, "</tbody></table>\n");
}

/* ---- sections ---- */

static void
head (const FsimScenario *s, GString *out)
{
    g_string_append (out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
                          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
                          "'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
                          "form-action 'none'\"/>\n<meta name=\"viewport\" "
                          "content=\"width=device-width, initial-scale=1\"/>\n"
                          "<meta name=\"generator\" content=\"flowsim " FSIM_VERSION "\"/>\n");
    g_autofree char *title = g_strdup_printf ("flowsim report: %s", s->title ? s->title
                                                                    : s->id  ? s->id
                                                                             : "policy file");
    fsim_i_html_element (out, "title", NULL, title);
    g_string_append_printf (out, "<style>%s</style>\n</head>\n<body>\n", page_style);
}

static gboolean
is_link (const char *url)
{
    if (!g_str_has_prefix (url, "https://") && !g_str_has_prefix (url, "http://"))
        return FALSE;
    for (const char *p = url; *p; p++)
        if ((unsigned char) *p <= ' ' || *p == '"' || *p == '<' || *p == '>' || *p == '\\')
            return FALSE;
    return TRUE;
}

static void
sources (char **urls, GString *out)
{
    if (!urls || !urls[0])
        return;
    g_string_append (out, "<h3>Sources</h3>\n<ol>\n");
    for (char **u = urls; *u; u++) {
        g_string_append (out, "<li>");
        if (is_link (*u)) {
            g_string_append (out, "<a rel=\"noreferrer noopener\" href=\"");
            fsim_markup_append (out, *u);
            g_string_append (out, "\">");
        }
        fsim_markup_append (out, *u);
        g_string_append (out, is_link (*u) ? "</a></li>\n" : "</li>\n");
    }
    g_string_append (out, "</ol>\n");
}

static void
about (const FsimScenario *s, GString *out)
{
    g_autofree char *meta = g_strdup_printf (
        "Scenario %s, simulated on %s, seed %" G_GUINT64_FORMAT ", flowsim " FSIM_VERSION,
        s->id ? s->id : "(policy file)", s->date_string ? s->date_string : "", s->seed);
    g_string_append (out, "<header>\n");
    fsim_i_html_element (out, "h1", NULL, s->title ? s->title : s->id ? s->id : "flowsim report");
    fsim_i_html_element (out, "p", "meta", meta);
    g_string_append (out, "</header>\n<section id=\"about\">\n<h2>About this scenario</h2>\n");
    if (s->description)
        fsim_i_html_element (out, "p", NULL, s->description);
    if (s->assumptions && s->assumptions[0]) {
        g_string_append (out, "<h3>Assumptions</h3>\n<ul>\n");
        for (char **a = s->assumptions; *a; a++)
            fsim_i_html_element (out, "li", NULL, *a);
        g_string_append (out, "</ul>\n");
    }
    sources (s->sources, out);
    g_string_append (out, "</section>\n");
}

static char *
percent (size_t part, size_t whole)
{
    g_autofree char *n = fsim_fmt_count (part);
    if (whole == 0)
        return g_steal_pointer (&n);
    g_autofree char *share = fsim_fmt_double ("%.1f", 100.0 * (double) part / (double) whole);
    return g_strdup_printf ("%s (%s%%)", n, share);
}

static void
card (GString *out, const char *label, char *value)
{
    g_string_append (out, "<div class=\"card\"><b>");
    fsim_markup_append (out, value);
    g_string_append (out, "</b>");
    fsim_markup_append (out, label);
    g_string_append (out, "</div>\n");
    g_free (value);
}

static void
key_numbers (const FsimScenario *s, const FsimResult *r, GString *out)
{
    size_t partners = 0, sensitive = 0;
    for (size_t p = 0; p < r->n_partners; p++)
        partners += r->partner_reached[p] > 0;
    for (size_t f = 0; f < r->n_fields; f++)
        if (s->fields[f].sensitive)
            sensitive = MAX (sensitive, r->field_users[f]);
    g_string_append (out,
                     "<section id=\"key-numbers\">\n<h2>Key numbers</h2>\n<div class=\"cards\">\n");
    card (out, "users in the population", fsim_fmt_count (r->n_users));
    card (out, "users whose data reached a partner", percent (r->users_reached, r->n_users));
    card (out, "of them without their own consent",
          percent (r->users_reached_no_consent, r->n_users));
    card (out, "partners that got someone's data",
          g_strdup_printf ("%zu of %zu", partners, r->n_partners));
    card (out, "users whose most-shared sensitive field got out", percent (sensitive, r->n_users));
    g_string_append (out, "</div>\n</section>\n");
}

static void
population (const FsimScenario *s, const FsimPopulation *pop, const FsimResult *r, GString *out)
{
    static const char *const headers[] = { "Partner", "Name", "Kind", "Country", "Users", NULL };
    size_t off = 0;
    for (size_t u = 0; u < pop->n_users; u++)
        off += pop->platform[u] == 0;
    g_autofree char *users = fsim_fmt_count (r->n_users),
                    *friendships = fsim_fmt_count (r->n_friendships);
    g_autofree char *mean = fsim_fmt_double (
        "%.1f", r->n_users ? 2.0 * (double) r->n_friendships / (double) r->n_users : 0.0);
    g_autofree char *platform = percent (off, r->n_users);
    const char *const rows[][2] = {
        { "Users", users },
        { "Friendships", friendships },
        { "Mean friends per user", mean },
        { "Platform switch off", platform },
    };
    g_string_append (out, "<section id=\"population\">\n<h2>Population</h2>\n");
    fsim_i_html_element (out, "p", NULL,
                         s->population.kind == FSIM_POPULATION_SNAPSHOT
                             ? "A population loaded from a snapshot."
                         : s->population.kind == FSIM_POPULATION_GENERATED
                             ? "A generated population (see the assumptions)."
                             : "An explicit list of users.");
    fsim_i_html_table_open (out, "lr", (const char *const[]){ "", "", NULL });
    for (size_t i = 0; i < G_N_ELEMENTS (rows); i++)
        fsim_i_html_row (out, "lr", rows[i]);
    fsim_i_html_table_close (out);
    fsim_i_html_element (out, "h3", NULL,
                         "Who uses each partner (installed the app, owns the device)");
    fsim_i_html_table_open (out, "llllr", headers);
    for (size_t p = 0; p < s->n_partners; p++) {
        const FsimPartner *partner = &s->partners[p];
        g_autofree char *n = fsim_fmt_count (r->partner_users[p]);
        const char *cells[] = { partner->id, partner->name, partner->kind,
                                partner->country ? partner->country : "", n };
        fsim_i_html_row (out, "llllr", cells);
    }
    fsim_i_html_table_close (out);
    g_string_append (out, "</section>\n");
}

static void
diagram (const FsimHtmlOptions *o, GString *out)
{
    g_string_append (out, "<section id=\"diagram\">\n<h2>Flow diagram</h2>\n");
    fsim_i_html_element (
        out, "p", "note",
        "Left to right: fields (by taxonomy), the API scopes that offered them, "
        "the partners that got them, and where they stored them. Colour: the "
        "channel (green self, orange friend, purple friend of friend, pink onward "
        "sharing); dashed: without consent; dotted: nothing flowed; width: users.");
    if (o->diagram_svg) {
        g_string_append (out, "<figure class=\"wide\">\n");
        g_string_append (out, o->diagram_svg); /* sanitized by fsim_svg_sanitize() */
        g_string_append (out, "\n</figure>\n");
    } else {
        fsim_i_html_element (out, "p", "note", o->diagram_note ? o->diagram_note : "(no diagram)");
    }
    g_string_append (out, "</section>\n");
}

static void
jurisdictions (const FsimResult *r, GString *out)
{
    static const char *const headers[] = { "Jurisdiction", "Users reached", "Without consent",
                                           NULL };
    g_string_append (out, "<section id=\"jurisdictions\">\n<h2>Where the data went</h2>\n");
    fsim_i_html_element (out, "p", "note",
                         "Distinct users with at least one field stored in each jurisdiction "
                         "(ISO country code of the servers), or kept on the user's device.");
    fsim_i_html_table_open (out, "lrr", headers);
    for (size_t j = 0; j < r->n_jurisdictions; j++) {
        g_autofree char *users = fsim_fmt_count (r->jurisdiction_users[j]);
        g_autofree char *nc = fsim_fmt_count (r->jurisdiction_no_consent[j]);
        const char *name =
            strcmp (r->jurisdictions[j], "device") == 0 ? "on the device" : r->jurisdictions[j];
        const char *cells[] = { name, users, nc };
        fsim_i_html_row (out, "lrr", cells);
    }
    fsim_i_html_table_close (out);
    g_string_append (out, "</section>\n");
}

static void
partners (const FsimScenario *s, const FsimResult *r, GString *out)
{
    static const char *const headers[] = { "Partner", "Kind", "Users reached", "Without consent",
                                           NULL };
    g_string_append (out, "<section id=\"partners\">\n<h2>Reach by partner</h2>\n");
    fsim_i_html_table_open (out, "llrr", headers);
    for (size_t p = 0; p < s->n_partners; p++) {
        g_autofree char *users = fsim_fmt_count (r->partner_reached[p]);
        g_autofree char *nc = fsim_fmt_count (r->partner_reached_no_consent[p]);
        const char *cells[] = { s->partners[p].name, s->partners[p].kind, users, nc };
        fsim_i_html_row (out, "llrr", cells);
    }
    fsim_i_html_table_close (out);
    g_string_append (out, "</section>\n");
}

static void
timeline (const FsimScenario *s, const FsimTimeline *t, GString *out)
{
    static const char *const headers[] = { "Date", "Users reached", "Without consent", NULL };
    g_string_append (out, "<section id=\"timeline\">\n<h2>Timeline</h2>\n");
    fsim_i_html_element (out, "p", "note",
                         "The same population at each date: only the rules, APIs and sharing in "
                         "force change. Vertical lines mark policy changes.");
    g_string_append (out, "<figure>\n");
    fsim_timeline_write_svg (s, t, TRUE, out);
    g_string_append (out, "</figure>\n");
    fsim_i_html_table_open (out, "lrr", headers);
    for (size_t i = 0; i < t->n_points; i++) {
        g_autofree char *date = fsim_day_format (t->days[i]);
        g_autofree char *users = fsim_fmt_count (t->users[i]);
        g_autofree char *nc = fsim_fmt_count (t->no_consent[i]);
        const char *cells[] = { date, users, nc };
        fsim_i_html_row (out, "lrr", cells);
    }
    fsim_i_html_table_close (out);
    if (t->n_events > 0) {
        fsim_i_html_element (out, "h3", NULL, "Policy changes in the range");
        g_string_append (out, "<ul>\n");
        for (size_t i = 0; i < t->n_events; i++) {
            g_autofree char *day = fsim_day_format (t->events[i].day);
            g_autofree char *line = g_strdup_printf ("%s: %s", day, t->events[i].what);
            fsim_i_html_element (out, "li", NULL, line);
        }
        g_string_append (out, "</ul>\n");
    }
    g_string_append (out, "</section>\n");
}

gboolean
fsim_html_report (const FsimScenario *scenario, const FsimPopulation *pop,
                  const FsimDecisions *decisions, const FsimResult *result,
                  const FsimHtmlOptions *options, GString *out, GError **error)
{
    g_return_val_if_fail (scenario && pop && decisions && result && out, FALSE);
    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
    const FsimHtmlOptions defaults = { 0 };
    const FsimHtmlOptions *o = options ? options : &defaults;
    g_autoptr (GString) page = g_string_new (NULL);

    head (scenario, page);
    about (scenario, page);
    key_numbers (scenario, result, page);
    population (scenario, pop, result, page);
    diagram (o, page);
    jurisdictions (result, page);
    partners (scenario, result, page);
    if (o->timeline)
        timeline (scenario, o->timeline, page);
    if (!fsim_i_html_flows (scenario, pop, decisions, result, o->top_flows ? o->top_flows : 15,
                            page, error))
        return FALSE;
    g_string_append (page, "<footer>Made by flowsim " FSIM_VERSION
                           " from the scenario file; a simulation under stated assumptions, "
                           "not a measurement. This page loads nothing from the network."
                           "</footer>\n</body>\n</html>\n");
    g_string_append_len (out, page->str, (gssize) page->len);
    return TRUE;
}
