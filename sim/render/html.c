/* SPDX-License-Identifier: MIT */
/* html.c: the shareable report: one self-contained, offline HTML page about a run. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "findings.h"
#include "html.h"
#include "room.h"
#include "svg.h"
#include "table.h"

/*
 * The page is polyglot HTML5 / XML (void elements closed, only character references), so the
 * tests can check it with a strict XML parser. Nothing in it runs or loads: no script, no
 * external style, font or image, and a Content-Security-Policy that forbids them anyway, so
 * even a string that slipped through escaping could not act.
 */

/* Fits a 1,280 px screen and an A4 or Letter sheet (12 mm margins): pictures scale to the
 * column, long words and addresses wrap, wide tables shrink their type when printed. */
static const char page_style[] =
    "body{font-family:system-ui,-apple-system,\"Segoe UI\",Helvetica,Arial,sans-serif;"
    "margin:0 auto;max-width:1100px;padding:1.5em;color:#222;line-height:1.45}"
    "h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:1px solid #ddd;padding-bottom:.2em;"
    "margin-top:1.8em}.meta{color:#666}.note{color:#555;font-size:.9em}"
    "nav a{margin-right:1em}"
    ".findings li{margin:.3em 0;font-size:1.08em}.lead{font-weight:600;margin-bottom:0}"
    "table{border-collapse:collapse;margin:.6em 0;font-size:.92em;max-width:100%}"
    "th,td{padding:.25em .7em;border-bottom:1px solid #eee;vertical-align:top;"
    "overflow-wrap:break-word}td:first-child{overflow-wrap:anywhere}"
    "th{text-align:left;background:#f6f6f6}td.r,th.r{text-align:right}td.r{white-space:nowrap}"
    "tr.folded td{font-style:italic;color:#444}"
    ".cards{display:flex;flex-wrap:wrap;gap:.8em}.card{border:1px solid #ddd;border-radius:6px;"
    "padding:.6em 1em;min-width:9em}.card b{display:block;font-size:1.5em}"
    "figure{margin:0;border:1px solid #eee;padding:.5em}"
    "figure svg{display:block;width:100%;height:auto}"
    "figure.diagram:target{overflow:auto}figure.diagram:target svg{width:auto;max-width:none}"
    ".fullsize{font-size:.9em}"
    ".route{white-space:pre-wrap;overflow-wrap:anywhere;font-size:.88em;"
    "background:#fafafa;border-left:3px solid #ddd;padding:.4em .8em;margin:.3em 0 1em}"
    "li,a{overflow-wrap:anywhere}"
    ".tabs>input{position:absolute;opacity:0}"
    ".tabs>label{display:inline-block;padding:.4em 1em;margin:0 .3em 0 0;border:1px solid #bbb;"
    "border-bottom:none;border-radius:6px 6px 0 0;background:#eee;cursor:pointer}"
    ".variant{display:none;border-top:2px solid #888;padding-top:.5em}"
    "footer{margin-top:3em;color:#777;font-size:.85em}"
    "@page{margin:12mm}"
    "@media print{body{max-width:none;padding:0;font-size:10pt}nav,.fullsize,.tabs>label,"
    ".tabs>input{display:none}.variant{display:block}table{font-size:.85em}"
    "th,td{padding:.15em .4em}h2{break-after:avoid}figure{break-inside:avoid}"
    "a{color:inherit;text-decoration:none}}";

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

/* A row of class @cls (nullable). */
static void
row_of_class (GString *out, const char *cls, const char *align, const char *const *cells)
{
    if (cls)
        g_string_append_printf (out, "<tr class=\"%s\">", cls);
    else
        g_string_append (out, "<tr>");
    for (size_t i = 0; i < strlen (align); i++) {
        g_string_append (out, align[i] == 'r' ? "<td class=\"r\">" : "<td>");
        fsim_markup_append (out, cells[i]);
        g_string_append (out, "</td>");
    }
    g_string_append (out, "</tr>\n");
}

void
fsim_i_html_row (GString *out, const char *align, const char *const *cells)
{
    row_of_class (out, NULL, align, cells);
}

void
fsim_i_html_table_close (GString *out)
{
    g_string_append (out, "</tbody></table>\n");
}

/* ---- sections ---- */

static void
head (const FsimScenario *s, size_t n_runs, GString *out)
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
    g_string_append_printf (out, "<style>%s", page_style);
    /* the tabs: radio button i shows panel i (our own numbers, nothing from the input) */
    for (size_t i = 1; i <= n_runs && n_runs > 1; i++)
        g_string_append_printf (out,
                                "#variant-%zu:checked~#panel-%zu{display:block}"
                                "#variant-%zu:checked+label{background:#fff;font-weight:bold}",
                                i, i, i);
    g_string_append (out, "</style>\n</head>\n<body>\n");
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
append_link (GString *out, const char *url, const char *text)
{
    if (is_link (url)) {
        g_string_append (out, "<a rel=\"noreferrer noopener\" href=\"");
        fsim_markup_append (out, url);
        g_string_append (out, "\">");
    }
    fsim_markup_append (out, text);
    if (is_link (url))
        g_string_append (out, "</a>");
}

/* A publication: "Publisher, <title linked to the original>, date (read at: copy); note". */
static void
sources (const FsimSources *list, const char *heading, GString *out)
{
    if (list->n == 0)
        return;
    if (heading)
        fsim_i_html_element (out, "h3", NULL, heading);
    g_string_append (out, "<ol>\n");
    for (size_t i = 0; i < list->n; i++) {
        const FsimSource *src = &list->items[i];
        g_string_append (out, "<li>");
        if (!src->publisher) {
            append_link (out, src->url, src->url);
        } else {
            fsim_markup_append (out, src->publisher);
            g_string_append (out, ", ");
            if (src->url)
                append_link (out, src->url, src->title);
            else
                fsim_markup_append (out, src->title);
            g_string_append (out, ", ");
            fsim_markup_append (out, src->date);
            if (src->read_at) {
                g_string_append (out, " (read at: ");
                append_link (out, src->read_at, src->read_at);
                g_string_append (out, ")");
            }
            if (src->note) {
                g_string_append (out, "; ");
                fsim_markup_append (out, src->note);
            }
        }
        g_string_append (out, "</li>\n");
    }
    g_string_append (out, "</ol>\n");
}

/* One alternative: "In force: SUMMARY (ID; the default; stated by PARTY)" and its sources. */
static void
claim_alternative (const FsimClaim *c, size_t a, GString *out)
{
    const FsimAlternative *alt = &c->alternatives[a];
    g_autoptr (GString) tail = g_string_new (alt->id);
    if (a == c->chosen && a == c->default_alternative)
        g_string_append (tail, "; the default");
    else if (a == c->chosen)
        g_string_append_printf (tail, "; chosen, the default is %s",
                                c->alternatives[c->default_alternative].id);
    g_string_append_printf (tail, "; %s", fsim_evidence_to_string (alt->evidence));
    if (alt->party)
        g_string_append_printf (tail, " by %s", alt->party);
    g_string_append (out, "<li>");
    fsim_i_html_element (out, "b", NULL, a == c->chosen ? "In force:" : "Alternative:");
    g_string_append_c (out, ' ');
    fsim_markup_append (out, alt->summary);
    g_string_append (out, " (");
    fsim_markup_append (out, tail->str);
    g_string_append (out, ")\n");
    sources (&alt->sources, NULL, out);
    g_string_append (out, "</li>\n");
}

/* The contested facts the numbers rest on, the alternative in force first. */
static void
claims (const FsimScenario *s, GString *out)
{
    if (s->n_claims == 0)
        return;
    fsim_i_html_element (out, "h3", NULL, "Claims in force");
    fsim_i_html_element (out, "p", "note",
                         "Contested facts: the numbers below take the alternative in force "
                         "for each. flowsim claims lists them; --claim CLAIM=ALTERNATIVE "
                         "takes another.");
    g_string_append (out, "<ul class=\"claims\">\n");
    for (size_t i = 0; i < s->n_claims; i++) {
        const FsimClaim *c = &s->claims[i];
        g_string_append (out, "<li>");
        fsim_i_html_element (out, "b", NULL, c->question);
        g_string_append (out, " <span class=\"meta\">");
        fsim_markup_append (out, c->id);
        g_string_append (out, "</span>\n<ul>\n");
        claim_alternative (c, c->chosen, out);
        for (size_t a = 0; a < c->n_alternatives; a++)
            if (a != c->chosen)
                claim_alternative (c, a, out);
        g_string_append (out, "</ul>\n</li>\n");
    }
    g_string_append (out, "</ul>\n");
}

static void
header (const FsimScenario *s, GString *out)
{
    g_autofree char *meta = g_strdup_printf (
        "Scenario %s, simulated on %s, seed %" G_GUINT64_FORMAT ", flowsim " FSIM_VERSION,
        s->id ? s->id : "(policy file)", s->date_string ? s->date_string : "", s->seed);
    g_string_append (out, "<header>\n");
    fsim_i_html_element (out, "h1", NULL, s->title ? s->title : s->id ? s->id : "flowsim report");
    fsim_i_html_element (out, "p", "meta", meta);
    g_string_append (out, "<nav><a href=\"#findings\">Findings</a><a href=\"#diagram\">Pictures</a>"
                          "<a href=\"#jurisdictions\">Tables</a>"
                          "<a href=\"#about\">About this scenario</a></nav>\n</header>\n");
}

static void
about (const FsimScenario *s, GString *out)
{
    g_string_append (out, "<section id=\"about\">\n<h2>About this scenario</h2>\n");
    if (s->description)
        fsim_i_html_element (out, "p", NULL, s->description);
    if (s->assumptions && s->assumptions[0]) {
        g_string_append (out, "<h3>Assumptions</h3>\n<ul>\n");
        for (char **a = s->assumptions; *a; a++)
            fsim_i_html_element (out, "li", NULL, *a);
        g_string_append (out, "</ul>\n");
    }
    claims (s, out);
    sources (&s->sources, "Sources", out);
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

/* The page opens with this: the findings in sentences, the key numbers, the highlights. */
static gboolean
findings (const FsimHtmlRun *run, const FsimHtmlOptions *o, const char *suffix, GString *out,
          GError **error)
{
    const FsimScenario *s = run->scenario;
    const FsimResult *r = run->result;
    g_autoptr (GPtrArray) sentences = fsim_findings_new (s, r);
    size_t partners = 0, sensitive = 0;
    for (size_t p = 0; p < r->n_partners; p++)
        partners += r->partner_reached[p] > 0;
    for (size_t f = 0; f < r->n_fields; f++)
        if (s->fields[f].sensitive)
            sensitive = MAX (sensitive, r->field_users[f]);
    g_string_append_printf (out, "<section id=\"findings%s\">\n<h2>Findings</h2>\n", suffix);
    if (run->args)
        fsim_i_html_element (out, "p", "meta", run->args);
    g_string_append (out, "<ul class=\"findings\">\n");
    for (size_t i = 0; i < sentences->len; i++)
        fsim_i_html_element (out, "li", NULL, g_ptr_array_index (sentences, i));
    g_string_append (out, "</ul>\n");
    if (!fsim_i_html_highlights (s, run->pop, run->decisions, r, o->highlight, out, error))
        return FALSE;
    g_string_append_printf (out,
                            "</section>\n<section id=\"key-numbers%s\">\n"
                            "<h2>Key numbers</h2>\n<div class=\"cards\">\n",
                            suffix);
    card (out, "users in the population", fsim_fmt_count (r->n_users));
    card (out, "users whose data reached a partner", percent (r->users_reached, r->n_users));
    card (out, "of them without their own consent",
          percent (r->users_reached_no_consent, r->n_users));
    card (out, "partners that got someone's data",
          g_strdup_printf ("%zu of %zu", partners, r->n_partners));
    card (out, "users whose most-shared sensitive field got out", percent (sensitive, r->n_users));
    g_string_append (out, "</div>\n</section>\n");
    return TRUE;
}

static void
diagram (const FsimHtmlRun *run, const FsimHtmlOptions *o, const char *suffix, GString *out)
{
    g_string_append_printf (out, "<section id=\"diagram%s\">\n<h2>Flow diagram</h2>\n", suffix);
    fsim_i_html_element (
        out, "p", "note",
        "Left to right: the data about the user, the API scopes that offered it, the partners "
        "that got it, and where they kept it. The legend in the picture gives the line styles.");
    if (run->diagram_svg) {
        g_string_append_printf (out,
                                "<p class=\"fullsize\"><a href=\"#diagram-full%s\">Show the "
                                "diagram at full size</a> (scroll it sideways; <a "
                                "href=\"#diagram%s\">fit it to the page</a> again)</p>\n"
                                "<figure class=\"diagram\" id=\"diagram-full%s\">\n",
                                suffix, suffix, suffix);
        g_string_append (out, run->diagram_svg); /* sanitized by fsim_svg_sanitize() */
        g_string_append (out, "\n</figure>\n");
    } else {
        fsim_i_html_element (out, "p", "note",
                             run->diagram_note ? run->diagram_note
                             : o->diagram_note ? o->diagram_note
                                               : "(no diagram)");
    }
    g_string_append (out, "</section>\n");
}

static void
timeline (const FsimScenario *s, const FsimTimeline *t, const char *suffix, GString *out)
{
    static const char *const headers[] = { "Date", "Users reached", "Without consent", NULL };
    g_string_append_printf (out, "<section id=\"timeline%s\">\n<h2>Timeline</h2>\n", suffix);
    fsim_i_html_element (out, "p", "note",
                         "The same population at each date: only the rules, APIs and sharing in "
                         "force change. Numbered lines mark the policy changes.");
    g_string_append (out, "<figure class=\"chart\">\n");
    fsim_timeline_write_svg (s, t, NULL, TRUE, out);
    g_string_append (out, "</figure>\n<details><summary>The numbers at each date</summary>\n");
    fsim_i_html_table_open (out, "lrr", headers);
    for (size_t i = 0; i < t->n_points; i++) {
        g_autofree char *date = fsim_day_format (t->days[i]);
        g_autofree char *users = fsim_fmt_count (t->users[i]);
        g_autofree char *nc = fsim_fmt_count (t->no_consent[i]);
        const char *cells[] = { date, users, nc };
        fsim_i_html_row (out, "lrr", cells);
    }
    fsim_i_html_table_close (out);
    g_string_append (out, "</details>\n</section>\n");
}

static void
jurisdictions (const FsimResult *r, const char *suffix, GString *out)
{
    static const char *const headers[] = { "Jurisdiction", "Users reached", "Without consent",
                                           NULL };
    g_string_append_printf (out, "<section id=\"jurisdictions%s\">\n<h2>Where the data went</h2>\n",
                            suffix);
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

/* "9,947 each" or "9,940 to 9,990 each" (transfer full). */
static char *
range_text (size_t lo, size_t hi)
{
    g_autofree char *a = fsim_fmt_count (lo), *b = fsim_fmt_count (hi);
    return lo == hi ? g_strdup_printf ("%s each", a) : g_strdup_printf ("%s to %s each", a, b);
}

/* "3 each" or "2 to 3 each" over the unnamed partners' @values (transfer full). */
static char *
unnamed_range (const FsimScenario *s, const size_t *values)
{
    size_t lo = 0, hi = 0;
    fsim_unnamed_range (s, values, &lo, &hi);
    return range_text (lo, hi);
}

/* The unnamed partners' kind in words, or "several" (transfer full). */
static char *
unnamed_kind (const FsimScenario *s)
{
    const char *kind = NULL;
    for (size_t p = 0; p < s->n_partners; p++)
        if (fsim_partner_is_unnamed (&s->partners[p])) {
            if (kind && strcmp (kind, s->partners[p].kind) != 0)
                return g_strdup ("several");
            kind = s->partners[p].kind;
        }
    return g_strdelimit (g_strdup (kind ? kind : ""), "_", ' ');
}

/* The row that stands for the @n unnamed partners (folded; --all lists them): @cells has the
 * name first, then the other columns. */
static void
folded_row (size_t n, const char *align, const char **cells, GString *out)
{
    g_autofree char *name = g_strdup_printf ("%zu unnamed partners (one row; --all lists each)", n);
    cells[0] = name;
    row_of_class (out, "folded", align, cells);
}

static size_t
count_unnamed (const FsimScenario *s)
{
    size_t n = 0;
    for (size_t p = 0; p < s->n_partners; p++)
        n += fsim_partner_is_unnamed (&s->partners[p]);
    return n;
}

static void
partners (const FsimScenario *s, const FsimResult *r, gboolean all, const char *suffix,
          GString *out)
{
    static const char *const headers[] = { "Partner", "Kind", "Users reached", "Without consent",
                                           NULL };
    size_t unnamed = count_unnamed (s);
    gboolean fold = !all && unnamed > 1;
    g_autoptr (GArray) order = g_array_new (FALSE, FALSE, sizeof (size_t));
    for (size_t p = 0; p < s->n_partners; p++)
        g_array_append_val (order, p);
    fsim_partners_sort_by_reach (r, order);
    g_string_append_printf (out, "<section id=\"partners%s\">\n<h2>Reach by partner</h2>\n",
                            suffix);
    fsim_i_html_table_open (out, "llrr", headers);
    for (size_t i = 0; i < order->len; i++) {
        size_t p = g_array_index (order, size_t, i);
        if (fold && fsim_partner_is_unnamed (&s->partners[p]))
            continue;
        g_autofree char *users = fsim_fmt_count (r->partner_reached[p]);
        g_autofree char *nc = fsim_fmt_count (r->partner_reached_no_consent[p]);
        g_autofree char *kind = g_strdelimit (g_strdup (s->partners[p].kind), "_", ' ');
        const char *cells[] = { s->partners[p].name, kind, users, nc };
        fsim_i_html_row (out, "llrr", cells);
    }
    if (fold) {
        g_autofree char *users = unnamed_range (s, r->partner_reached);
        g_autofree char *nc = unnamed_range (s, r->partner_reached_no_consent);
        g_autofree char *kind = unnamed_kind (s);
        const char *cells[] = { NULL, kind, users, nc };
        folded_row (unnamed, "llrr", cells, out);
    }
    fsim_i_html_table_close (out);
    g_string_append (out, "</section>\n");
}

static void
population (const FsimScenario *s, const FsimPopulation *pop, const FsimResult *r, gboolean all,
            const char *suffix, GString *out)
{
    static const char *const headers[] = { "Partner", "Kind", "Country", "Users", NULL };
    size_t off = 0, unnamed = count_unnamed (s);
    gboolean fold = !all && unnamed > 1;
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
    g_string_append_printf (out, "<section id=\"population%s\">\n<h2>Population</h2>\n", suffix);
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
    fsim_i_html_table_open (out, "lllr", headers);
    for (size_t p = 0; p < s->n_partners; p++) {
        const FsimPartner *partner = &s->partners[p];
        if (fold && fsim_partner_is_unnamed (partner))
            continue;
        g_autofree char *n = fsim_fmt_count (r->partner_users[p]);
        g_autofree char *kind = g_strdelimit (g_strdup (partner->kind), "_", ' ');
        const char *cells[] = { partner->name, kind, partner->country ? partner->country : "", n };
        fsim_i_html_row (out, "lllr", cells);
    }
    if (fold) {
        g_autofree char *each = unnamed_range (s, r->partner_users);
        g_autofree char *kind = unnamed_kind (s);
        const char *cells[] = { NULL, kind, "", each };
        folded_row (unnamed, "lllr", cells, out);
    }
    fsim_i_html_table_close (out);
    g_string_append (out, "</section>\n");
}

/* One run's findings, pictures and tables. */
static gboolean
run_body (const FsimHtmlRun *run, const FsimHtmlOptions *o, const char *suffix, GString *out,
          GError **error)
{
    if (!findings (run, o, suffix, out, error))
        return FALSE;
    diagram (run, o, suffix, out);
    if (run->timeline)
        timeline (run->scenario, run->timeline, suffix, out);
    jurisdictions (run->result, suffix, out);
    partners (run->scenario, run->result, o->all, suffix, out);
    if (!fsim_i_html_flows (run->scenario, run->pop, run->decisions, run->result,
                            o->top_flows ? o->top_flows : 15, o->all, suffix, out, error))
        return FALSE;
    if (run->timeline && run->timeline->n_events > 0) {
        g_string_append_printf (out, "<section id=\"changes%s\">\n", suffix);
        fsim_i_html_element (out, "h2", NULL, "Policy changes in the timeline's range");
        g_string_append (out, "<ol>\n");
        for (size_t i = 0; i < run->timeline->n_events; i++) {
            g_autofree char *day = fsim_day_format (run->timeline->events[i].day);
            g_autofree char *line = g_strdup_printf ("%s: %s", day, run->timeline->events[i].what);
            fsim_i_html_element (out, "li", NULL, line);
        }
        g_string_append (out, "</ol>\n</section>\n");
    }
    population (run->scenario, run->pop, run->result, o->all, suffix, out);
    return TRUE;
}

/* ---- the room of the page (room.h) ---- */

static guint64
sources_room (const FsimSources *list)
{
    guint64 bytes = 256;
    for (size_t i = 0; i < list->n; i++) {
        const FsimSource *src = &list->items[i];
        /* an address is written twice when it is its own text (href and text) */
        bytes += 256 + 2 * fsim_room_text (src->url) + fsim_room_text (src->publisher) +
                 fsim_room_text (src->title) + fsim_room_text (src->date) +
                 2 * fsim_room_text (src->read_at) + fsim_room_text (src->note);
    }
    return bytes;
}

static guint64
about_room (const FsimScenario *s)
{
    guint64 bytes = 2048 + fsim_room_text (s->description) + sources_room (&s->sources);
    for (char **a = s->assumptions; a && *a; a++)
        bytes += fsim_room_text (*a) + 32;
    for (size_t i = 0; i < s->n_claims; i++) {
        const FsimClaim *c = &s->claims[i];
        bytes += fsim_room_text (c->question) + fsim_room_text (c->id) + 128;
        for (size_t a = 0; a < c->n_alternatives; a++) {
            const FsimAlternative *alt = &c->alternatives[a];
            /* "(ID; chosen, the default is ID; EVIDENCE by PARTY)" */
            bytes += fsim_room_text (alt->summary) + fsim_room_text (alt->id) +
                     fsim_room_text (c->alternatives[c->default_alternative].id) +
                     fsim_room_text (fsim_evidence_to_string (alt->evidence)) +
                     fsim_room_text (alt->party) + 256 + sources_room (&alt->sources);
        }
    }
    return bytes;
}

/* The partner tables' rows: every partner listed (folded or not), and a folded row. */
static guint64
partners_room (const FsimScenario *s)
{
    guint64 bytes = 2048;
    for (size_t p = 0; p < s->n_partners; p++)
        bytes += fsim_room_text (s->partners[p].name) + fsim_room_text (s->partners[p].kind) +
                 fsim_room_text (s->partners[p].country) + 2 * 26 + 160;
    return bytes;
}

static gboolean
run_room (const FsimHtmlRun *run, const FsimHtmlOptions *o, guint64 *bytes, GError **error)
{
    const FsimScenario *s = run->scenario;
    const FsimResult *r = run->result;
    guint64 flows = 0;
    if (!fsim_i_html_flows_room (s, run->pop, run->decisions, r, o->top_flows ? o->top_flows : 15,
                                 o->all, o->highlight, &flows, error))
        return FALSE;
    /* the sections' markup, notes and headings; the key numbers' cards */
    guint64 room = flows + 8192 + 2 * fsim_room_text (run->name) + fsim_room_text (run->args);
    g_autoptr (GPtrArray) sentences = fsim_findings_new (s, r);
    for (size_t i = 0; i < sentences->len; i++)
        room += fsim_room_text (g_ptr_array_index (sentences, i)) + 16;
    room += run->diagram_svg
                ? strlen (run->diagram_svg)
                : fsim_room_text (run->diagram_note) + fsim_room_text (o->diagram_note);
    if (run->timeline) {
        const FsimTimeline *t = run->timeline;
        room += 1024 + fsim_timeline_room (s, t, NULL, FALSE) + t->n_points * (3 * 26 + 128);
        for (size_t i = 0; i < t->n_events; i++)
            room += fsim_room_text (t->events[i].what) + 64;
    }
    for (size_t j = 0; j < r->n_jurisdictions; j++)
        room += fsim_room_text (r->jurisdictions[j]) + 2 * 26 + 128;
    /* "Reach by partner" and "Who uses each partner" */
    *bytes += room + 2 * partners_room (s);
    return TRUE;
}

/* The page's head and style sheet, the tabs' rules, the header, every run's body, the
 * scenario's description, claims and sources, the footer. */
gboolean
fsim_html_report_room (const FsimHtmlRun *runs, size_t n_runs, const FsimHtmlOptions *options,
                       guint64 *bytes, GError **error)
{
    g_return_val_if_fail (runs != NULL && n_runs > 0 && bytes != NULL, FALSE);
    const FsimHtmlOptions defaults = { 0 };
    const FsimHtmlOptions *o = options ? options : &defaults;
    const FsimScenario *s = runs[0].scenario;
    /* the title is written in the head and the header; the id in their stead and in the meta */
    *bytes = 4096 + sizeof page_style + n_runs * 512 + 2 * fsim_room_text (s->title) +
             3 * fsim_room_text (s->id) + fsim_room_text (s->date_string) + about_room (s);
    for (size_t i = 0; i < n_runs; i++)
        if (!run_room (&runs[i], o, bytes, error))
            return FALSE;
    return TRUE;
}

static gboolean
page (const FsimHtmlRun *runs, size_t n_runs, const FsimHtmlOptions *o, GString *page,
      GError **error)
{
    head (runs[0].scenario, n_runs, page);
    header (runs[0].scenario, page);
    if (n_runs == 1 && !run_body (&runs[0], o, "", page, error))
        return FALSE;
    if (n_runs > 1) {
        g_string_append (page, "<div class=\"tabs\">\n");
        for (size_t i = 1; i <= n_runs; i++) {
            g_string_append_printf (page,
                                    "<input type=\"radio\" name=\"variant\" id=\"variant-%zu\"%s/>"
                                    "<label for=\"variant-%zu\">",
                                    i, i == 1 ? " checked=\"checked\"" : "", i);
            fsim_markup_append (page, runs[i - 1].name);
            g_string_append (page, "</label>\n");
        }
        for (size_t i = 1; i <= n_runs; i++) {
            g_autofree char *suffix = i == 1 ? g_strdup ("") : g_strdup_printf ("-%zu", i);
            g_string_append_printf (page, "<div class=\"variant\" id=\"panel-%zu\">\n", i);
            fsim_i_html_element (page, "h2", NULL, runs[i - 1].name);
            if (!run_body (&runs[i - 1], o, suffix, page, error))
                return FALSE;
            g_string_append (page, "</div>\n");
        }
        g_string_append (page, "</div>\n");
    }
    about (runs[0].scenario, page);
    g_string_append (page, "<footer>Made by flowsim " FSIM_VERSION
                           " from the scenario file; a simulation under stated assumptions, "
                           "not a measurement. This page loads nothing from the network."
                           "</footer>\n</body>\n</html>\n");
    return TRUE;
}

gboolean
fsim_html_report_variants (const FsimHtmlRun *runs, size_t n_runs, const FsimHtmlOptions *options,
                           GString *out, GError **error)
{
    g_return_val_if_fail (runs != NULL && n_runs > 0 && out != NULL, FALSE);
    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
    const FsimHtmlOptions defaults = { 0 };
    const FsimHtmlOptions *o = options ? options : &defaults;
    guint64 room = 0;
    if (!fsim_html_report_room (runs, n_runs, o, &room, error) ||
        !fsim_room_reserve (out, room, "the HTML report", error))
        return FALSE;
    /* the buffer's size, not its address: g_realloc may grow it in place */
    size_t start = out->len, allocated = out->allocated_len;
    if (!page (runs, n_runs, o, out, error)) {
        g_string_truncate (out, start);
        return FALSE;
    }
    g_warn_if_fail (out->allocated_len == allocated); /* the room held it: the text never grew */
    return TRUE;
}

gboolean
fsim_html_report (const FsimScenario *scenario, const FsimPopulation *pop,
                  const FsimDecisions *decisions, const FsimResult *result,
                  const FsimHtmlOptions *options, GString *out, GError **error)
{
    g_return_val_if_fail (scenario && pop && decisions && result && out, FALSE);
    const FsimHtmlOptions defaults = { 0 };
    const FsimHtmlOptions *o = options ? options : &defaults;
    const FsimHtmlRun run = { .scenario = scenario,
                              .pop = pop,
                              .decisions = decisions,
                              .result = result,
                              .diagram_svg = o->diagram_svg,
                              .timeline = o->timeline };
    return fsim_html_report_variants (&run, 1, o, out, error);
}
