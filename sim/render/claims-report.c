/* SPDX-License-Identifier: MIT */
/* claims-report.c: the contested facts in the reports, the claims listing and the effect table. */
#include "config.h"

#include <glib.h>

#include "claims-report.h"
#include "room.h"
#include "table.h"

/* ---- in every report ----------------------------------------------------------------------- */

/* "(ID; the default; stated by PARTY)" and the like, after an alternative's summary. */
static void
append_alternative_tail (GString *out, const FsimClaim *c, size_t a, gboolean in_force)
{
    const FsimAlternative *alt = &c->alternatives[a];
    g_autofree char *id = fsim_text_clean (alt->id);
    g_autofree char *party = alt->party ? fsim_text_clean (alt->party) : NULL;
    g_string_append_printf (out, " (%s", id);
    if (in_force && a == c->default_alternative)
        g_string_append (out, "; the default");
    else if (in_force)
        g_string_append_printf (out, "; chosen, the default is %s",
                                c->alternatives[c->default_alternative].id);
    g_string_append_printf (out, "; %s", fsim_evidence_to_string (alt->evidence));
    if (party)
        g_string_append_printf (out, " by %s", party);
    g_string_append (out, ")\n");
}

void
fsim_claims_report_text (const FsimScenario *s, GString *out)
{
    if (s->n_claims == 0)
        return;
    g_string_append (out, "\nClaims in force (contested facts the numbers rest on; flowsim "
                          "claims lists them, --claim CLAIM=ALTERNATIVE changes one)\n");
    for (size_t i = 0; i < s->n_claims; i++) {
        const FsimClaim *c = &s->claims[i];
        g_autofree char *id = fsim_text_clean (c->id);
        g_autofree char *question = fsim_text_clean (c->question);
        g_string_append_printf (out, "  %s: %s\n", id, question);
        for (int pass = 0; pass < 2; pass++) {
            for (size_t a = 0; a < c->n_alternatives; a++) {
                gboolean in_force = a == c->chosen;
                if (in_force != (pass == 0))
                    continue;
                g_autofree char *summary = fsim_text_clean (c->alternatives[a].summary);
                g_string_append_printf (out, "    %s: %s", in_force ? "in force" : "alternative",
                                        summary);
                append_alternative_tail (out, c, a, in_force);
            }
        }
    }
}

void
fsim_claims_report_json (FsimJsonWriter *w, const FsimScenario *s)
{
    fsim_jw_key (w, "claims");
    fsim_jw_open (w, '[');
    for (size_t i = 0; i < s->n_claims; i++) {
        const FsimClaim *c = &s->claims[i];
        const FsimAlternative *chosen = &c->alternatives[c->chosen];
        fsim_jw_item (w);
        fsim_jw_open (w, '{');
        fsim_jw_str (w, "id", c->id);
        fsim_jw_str (w, "question", c->question);
        fsim_jw_str (w, "in_force", chosen->id);
        fsim_jw_str (w, "default", c->alternatives[c->default_alternative].id);
        fsim_jw_bool (w, "is_default", c->chosen == c->default_alternative);
        fsim_jw_str (w, "summary", chosen->summary);
        fsim_jw_str (w, "evidence", fsim_evidence_to_string (chosen->evidence));
        fsim_jw_str (w, "party", chosen->party);
        fsim_jw_key (w, "alternatives");
        fsim_jw_open (w, '[');
        for (size_t a = 0; a < c->n_alternatives; a++) {
            fsim_jw_item (w);
            fsim_json_string (w->out, c->alternatives[a].id);
        }
        fsim_jw_close (w, ']');
        fsim_jw_close (w, '}');
    }
    fsim_jw_close (w, ']');
}

void
fsim_claims_report_header_line (const FsimScenario *s, GString *out)
{
    if (s->n_claims == 0)
        return;
    g_autofree char *cell = fsim_claims_report_csv_cell (s);
    g_autofree char *clean = fsim_text_clean (cell);
    g_string_append_printf (out, "  Claims    %s (flowsim claims)\n", clean);
}

char *
fsim_claims_report_choice (const FsimClaim *c, size_t chosen)
{
    g_return_val_if_fail (chosen < c->n_alternatives, NULL);
    if (chosen == c->default_alternative)
        return g_strdup_printf ("%s (default)", c->alternatives[chosen].id);
    return g_strdup_printf ("%s (chosen; default %s)", c->alternatives[chosen].id,
                            c->alternatives[c->default_alternative].id);
}

char *
fsim_claims_report_csv_cell_with (const FsimScenario *s, const size_t *chosen)
{
    GString *out = g_string_new (NULL);
    for (size_t i = 0; i < s->n_claims; i++) {
        const FsimClaim *c = &s->claims[i];
        g_autofree char *choice = fsim_claims_report_choice (c, chosen ? chosen[i] : c->chosen);
        g_string_append_printf (out, "%s%s=%s", i ? "; " : "", c->id, choice);
    }
    return g_string_free (out, FALSE);
}

char *
fsim_claims_report_csv_cell (const FsimScenario *s)
{
    return fsim_claims_report_csv_cell_with (s, NULL);
}

/* ---- flowsim claims ------------------------------------------------------------------------ */

static void
list_text (const FsimScenario *s, GString *out)
{
    if (s->n_claims == 0) {
        g_string_append (out, "No claims: nothing in this model is marked as contested.\n");
        return;
    }
    for (size_t i = 0; i < s->n_claims; i++) {
        const FsimClaim *c = &s->claims[i];
        g_autofree char *id = fsim_text_clean (c->id);
        g_autofree char *question = fsim_text_clean (c->question);
        g_string_append_printf (out, "%s%s: %s\n", i ? "\n" : "", id, question);
        for (size_t a = 0; a < c->n_alternatives; a++) {
            const FsimAlternative *alt = &c->alternatives[a];
            g_autofree char *aid = fsim_text_clean (alt->id);
            g_autofree char *summary = fsim_text_clean (alt->summary);
            g_autofree char *party = alt->party ? fsim_text_clean (alt->party) : NULL;
            g_string_append_printf (out, "  %s %s%s%s\n", a == c->chosen ? "*" : "-", aid,
                                    a == c->default_alternative ? " (default)" : "",
                                    a == c->chosen ? " [in force]" : "");
            g_string_append_printf (out, "      %s\n", summary);
            g_string_append_printf (out, "      evidence: %s%s%s\n",
                                    fsim_evidence_to_string (alt->evidence),
                                    party ? "; party: " : "", party ? party : "");
            for (char **path = alt->set_paths; path && *path; path++) {
                g_autofree char *p = fsim_text_clean (*path);
                g_string_append_printf (out, "      sets: %s\n", p);
            }
            for (size_t k = 0; k < alt->sources.n; k++) {
                g_autofree char *line = fsim_source_to_string (&alt->sources.items[k]);
                g_autofree char *clean = fsim_text_clean (line);
                g_string_append_printf (out, "      source: %s\n", clean);
            }
        }
    }
}

static void
jw_sources (FsimJsonWriter *w, const FsimSources *sources)
{
    fsim_jw_key (w, "sources");
    fsim_jw_open (w, '[');
    for (size_t k = 0; k < sources->n; k++) {
        const FsimSource *src = &sources->items[k];
        fsim_jw_item (w);
        fsim_jw_open (w, '{');
        fsim_jw_str (w, "publisher", src->publisher);
        fsim_jw_str (w, "title", src->title);
        fsim_jw_str (w, "date", src->date);
        fsim_jw_str (w, "url", src->url);
        fsim_jw_str (w, "read_at", src->read_at);
        fsim_jw_str (w, "note", src->note);
        fsim_jw_close (w, '}');
    }
    fsim_jw_close (w, ']');
}

static void
list_json (const FsimScenario *s, GString *out)
{
    FsimJsonWriter w = { .out = out, .depth = 0, .first = { TRUE } };
    fsim_jw_open (&w, '{');
    fsim_jw_str (&w, "scenario", s->id);
    fsim_jw_key (&w, "claims");
    fsim_jw_open (&w, '[');
    for (size_t i = 0; i < s->n_claims; i++) {
        const FsimClaim *c = &s->claims[i];
        fsim_jw_item (&w);
        fsim_jw_open (&w, '{');
        fsim_jw_str (&w, "id", c->id);
        fsim_jw_str (&w, "question", c->question);
        fsim_jw_str (&w, "default", c->alternatives[c->default_alternative].id);
        fsim_jw_str (&w, "chosen", c->alternatives[c->chosen].id);
        fsim_jw_key (&w, "alternatives");
        fsim_jw_open (&w, '[');
        for (size_t a = 0; a < c->n_alternatives; a++) {
            const FsimAlternative *alt = &c->alternatives[a];
            fsim_jw_item (&w);
            fsim_jw_open (&w, '{');
            fsim_jw_str (&w, "id", alt->id);
            fsim_jw_str (&w, "evidence", fsim_evidence_to_string (alt->evidence));
            fsim_jw_str (&w, "party", alt->party);
            fsim_jw_str (&w, "summary", alt->summary);
            fsim_jw_key (&w, "sets");
            fsim_jw_open (&w, '[');
            for (char **path = alt->set_paths; path && *path; path++) {
                fsim_jw_item (&w);
                fsim_json_string (out, *path);
            }
            fsim_jw_close (&w, ']');
            jw_sources (&w, &alt->sources);
            fsim_jw_close (&w, '}');
        }
        fsim_jw_close (&w, ']');
        fsim_jw_close (&w, '}');
    }
    fsim_jw_close (&w, ']');
    fsim_jw_close (&w, '}');
    g_string_append_c (out, '\n');
}

void
fsim_claims_render_list (const FsimScenario *s, gboolean json, GString *out)
{
    g_return_if_fail (s != NULL && out != NULL);
    if (json)
        list_json (s, out);
    else
        list_text (s, out);
}

/* ---- flowsim claims --effect --------------------------------------------------------------- */

static gboolean
claim_moves (const FsimClaimEffects *e, size_t c, size_t p)
{
    size_t lo_r, hi_r, lo_n, hi_n;
    fsim_claim_effects_range (e, c, p, &lo_r, &hi_r, &lo_n, &hi_n);
    return lo_r != hi_r || lo_n != hi_n;
}

static void
effects_text (const FsimScenario *s, const FsimClaimEffects *e, GString *out)
{
    if (s->n_claims == 0) {
        g_string_append (out, "No claims: nothing in this model is marked as contested, so no "
                              "alternative was run.\n");
        return;
    }
    FsimTable t;
    static const char *const headers[] = { "Partner",     "Reached", "Without consent", "Claim",
                                           "Alternative", "Reached", "Without consent" };
    fsim_table_init (&t, "lrrllrr", headers);
    size_t n_solid = 0;
    for (size_t p = 0; p < s->n_partners; p++) {
        gboolean first = TRUE;
        for (size_t c = 0; c < s->n_claims; c++) {
            if (!claim_moves (e, c, p))
                continue;
            for (size_t i = 0; i < e->n_runs; i++) {
                const FsimEffectRun *run = &e->runs[i];
                if (run->claim != c)
                    continue;
                const FsimClaim *claim = &s->claims[c];
                char **row = fsim_table_row (&t);
                row[0] = first ? fsim_text_clean (s->partners[p].id) : g_strdup ("");
                row[1] = first ? fsim_fmt_count (e->reached[p]) : g_strdup ("");
                row[2] = first ? fsim_fmt_count (e->no_consent[p]) : g_strdup ("");
                row[3] = run->alternative == 0 ? fsim_text_clean (claim->id) : g_strdup ("");
                g_autofree char *alt = fsim_text_clean (claim->alternatives[run->alternative].id);
                row[4] =
                    g_strdup_printf ("%s%s", alt, run->alternative == claim->chosen ? " *" : "");
                row[5] = fsim_fmt_count (run->reached[p]);
                row[6] = fsim_fmt_count (run->no_consent[p]);
                first = FALSE;
            }
        }
        if (first) {
            n_solid++;
            char **row = fsim_table_row (&t);
            row[0] = fsim_text_clean (s->partners[p].id);
            row[1] = fsim_fmt_count (e->reached[p]);
            row[2] = fsim_fmt_count (e->no_consent[p]);
            row[3] = g_strdup ("solid");
            row[4] = g_strdup ("no claim moves it");
            for (int k = 5; k < 7; k++)
                row[k] = g_strdup ("");
        }
    }
    g_autofree char *title = g_strdup_printf (
        "How much each claim moves the users reached (each claim's alternatives in turn, the "
        "others as in force; * marks the one in force)\n"
        "%zu of %zu partners rest on no claim (solid); the others' numbers depend on whose "
        "word is taken\n",
        n_solid, s->n_partners);
    fsim_table_finish (&t, title, out);
}

static void
jw_range (FsimJsonWriter *w, const char *key, size_t lo, size_t hi)
{
    fsim_jw_key (w, key);
    g_string_append_printf (w->out, "[%zu, %zu]", lo, hi);
}

static void
effects_json (const FsimScenario *s, const FsimClaimEffects *e, GString *out)
{
    FsimJsonWriter w = { .out = out, .depth = 0, .first = { TRUE } };
    fsim_jw_open (&w, '{');
    fsim_jw_str (&w, "scenario", s->id);
    fsim_jw_key (&w, "partners");
    fsim_jw_open (&w, '[');
    for (size_t p = 0; p < s->n_partners; p++) {
        gboolean solid = TRUE;
        for (size_t c = 0; c < s->n_claims && solid; c++)
            solid = !claim_moves (e, c, p);
        fsim_jw_item (&w);
        fsim_jw_open (&w, '{');
        fsim_jw_str (&w, "id", s->partners[p].id);
        fsim_jw_uint (&w, "users_reached", e->reached[p]);
        fsim_jw_uint (&w, "users_reached_without_consent", e->no_consent[p]);
        fsim_jw_bool (&w, "solid", solid);
        fsim_jw_key (&w, "claims");
        fsim_jw_open (&w, '[');
        for (size_t c = 0; c < s->n_claims; c++) {
            const FsimClaim *claim = &s->claims[c];
            size_t lo_r, hi_r, lo_n, hi_n;
            fsim_claim_effects_range (e, c, p, &lo_r, &hi_r, &lo_n, &hi_n);
            fsim_jw_item (&w);
            fsim_jw_open (&w, '{');
            fsim_jw_str (&w, "claim", claim->id);
            fsim_jw_bool (&w, "moves", lo_r != hi_r || lo_n != hi_n);
            jw_range (&w, "users_reached", lo_r, hi_r);
            jw_range (&w, "users_reached_without_consent", lo_n, hi_n);
            fsim_jw_key (&w, "alternatives");
            fsim_jw_open (&w, '[');
            for (size_t i = 0; i < e->n_runs; i++) {
                const FsimEffectRun *run = &e->runs[i];
                if (run->claim != c)
                    continue;
                fsim_jw_item (&w);
                fsim_jw_open (&w, '{');
                fsim_jw_str (&w, "id", claim->alternatives[run->alternative].id);
                fsim_jw_bool (&w, "in_force", run->alternative == claim->chosen);
                fsim_jw_uint (&w, "users_reached", run->reached[p]);
                fsim_jw_uint (&w, "users_reached_without_consent", run->no_consent[p]);
                fsim_jw_close (&w, '}');
            }
            fsim_jw_close (&w, ']');
            fsim_jw_close (&w, '}');
        }
        fsim_jw_close (&w, ']');
        fsim_jw_close (&w, '}');
    }
    fsim_jw_close (&w, ']');
    fsim_jw_close (&w, '}');
    g_string_append_c (out, '\n');
}

void
fsim_claims_render_effects (const FsimScenario *s, const FsimClaimEffects *e, gboolean json,
                            GString *out)
{
    g_return_if_fail (s != NULL && e != NULL && out != NULL);
    g_return_if_fail (e->n_partners == s->n_partners);
    if (json)
        effects_json (s, e, out);
    else
        effects_text (s, e, out);
}

/* ---- the room the text takes (room.h) ------------------------------------------------------ */

/* A source in either form: its one-line text (cleaned) and its six JSON strings, with keys and
 * indentation. */
static guint64
room_source (const FsimSource *src)
{
    g_autofree char *line = fsim_source_to_string (src);
    return fsim_room_json (line) + fsim_room_json (src->publisher) + fsim_room_json (src->title) +
           fsim_room_json (src->date) + fsim_room_json (src->url) + fsim_room_json (src->read_at) +
           fsim_room_json (src->note) + 384;
}

/* A claim in either listing or report: its id and question, and each alternative's id, summary,
 * party, paths and sources; the default's id is written in each in-force line. */
static guint64
room_claim (const FsimClaim *c)
{
    guint64 bytes = fsim_room_json (c->id) + fsim_room_json (c->question) +
                    3 * fsim_room_json (c->alternatives[c->default_alternative].id) +
                    fsim_room_json (c->alternatives[c->chosen].id) + 256;
    for (size_t a = 0; a < c->n_alternatives; a++) {
        const FsimAlternative *alt = &c->alternatives[a];
        bytes += fsim_room_json (alt->id) + fsim_room_json (alt->summary) +
                 fsim_room_json (alt->party) + 512;
        for (char **path = alt->set_paths; path && *path; path++)
            bytes += fsim_room_json (*path) + 64;
        for (size_t k = 0; k < alt->sources.n; k++)
            bytes += room_source (&alt->sources.items[k]);
    }
    return bytes;
}

guint64
fsim_claims_room_report (const FsimScenario *s)
{
    g_return_val_if_fail (s != NULL, 0);
    guint64 bytes = 512;
    for (size_t i = 0; i < s->n_claims; i++)
        bytes += room_claim (&s->claims[i]);
    return bytes;
}

guint64
fsim_claims_room_list (const FsimScenario *s)
{
    g_return_val_if_fail (s != NULL, 0);
    return fsim_claims_room_report (s) + fsim_room_json (s->id);
}

guint64
fsim_claims_room_effects (const FsimScenario *s, const FsimClaimEffects *e)
{
    g_return_val_if_fail (s != NULL && e != NULL, 0);
    FsimRoomTable t = { 0 };
    /* JSON: per partner its object, per (partner, claim) a claim's, per (partner, run) a run's */
    guint64 per_partner = 640, json = 1024 + fsim_room_json (s->id);
    for (size_t c = 0; c < s->n_claims; c++)
        per_partner += fsim_room_json (s->claims[c].id) + 640;
    for (size_t i = 0; i < e->n_runs; i++) {
        const FsimClaim *claim = &s->claims[e->runs[i].claim];
        per_partner += fsim_room_json (claim->alternatives[e->runs[i].alternative].id) + 512;
    }
    /* text: the rows effects_text() makes, a moving claim's runs or one solid row */
    for (size_t p = 0; p < s->n_partners; p++) {
        json += fsim_room_json (s->partners[p].id) + per_partner;
        gboolean solid = TRUE;
        for (size_t c = 0; c < s->n_claims; c++) {
            if (!claim_moves (e, c, p))
                continue;
            for (size_t i = 0; i < e->n_runs; i++) {
                const FsimEffectRun *run = &e->runs[i];
                if (run->claim != c)
                    continue;
                const FsimClaim *claim = &s->claims[c];
                const char *row[] = { s->partners[p].id,
                                      NULL,
                                      NULL,
                                      claim->id,
                                      claim->alternatives[run->alternative].id,
                                      NULL,
                                      NULL };
                fsim_room_table_row (&t, row, G_N_ELEMENTS (row));
                t.bytes += 2; /* " *" after the alternative in force */
                solid = FALSE;
            }
        }
        if (solid) {
            const char *row[] = { s->partners[p].id, NULL, NULL, "solid", "no claim moves it" };
            fsim_room_table_row (&t, row, G_N_ELEMENTS (row));
        }
    }
    t.widest[4] += 2;
    guint64 text = fsim_room_table_bytes (&t) + 1024; /* the title with its two counts */
    return MAX (json, text);
}
