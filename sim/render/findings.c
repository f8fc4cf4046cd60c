/* SPDX-License-Identifier: MIT */
/* findings.c: what a run found, in a few plain sentences, for the top of the reports. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "findings.h"
#include "table.h"

#define MAX_NAMED 3
#define MAX_SENSITIVE 3

gboolean
fsim_partner_is_unnamed (const FsimPartner *p)
{
    for (char **t = p->tags; t && *t; t++)
        if (strcmp (*t, "unnamed") == 0)
            return TRUE;
    return FALSE;
}

gboolean
fsim_unnamed_range (const FsimScenario *s, const size_t *values, size_t *out_lo, size_t *out_hi)
{
    size_t lo = SIZE_MAX, hi = 0;
    for (size_t p = 0; p < s->n_partners; p++)
        if (fsim_partner_is_unnamed (&s->partners[p])) {
            lo = MIN (lo, values[p]);
            hi = MAX (hi, values[p]);
        }
    if (lo == SIZE_MAX)
        return FALSE;
    *out_lo = lo;
    *out_hi = hi;
    return TRUE;
}

static char *
percent (size_t part, size_t whole)
{
    return g_strdup_printf ("%.0f%%", whole ? 100.0 * (double) part / (double) whole : 0.0);
}

/* "10,000 users", "1 user" (transfer full). */
static char *
users (size_t n)
{
    g_autofree char *count = fsim_fmt_count (n);
    return g_strdup_printf ("%s %s", count, n == 1 ? "user" : "users");
}

static void
add (GPtrArray *out, char *sentence)
{
    g_ptr_array_add (out, sentence);
}

/* The partners a focused run counted (all of them when it is not focused), and the one of
 * them when there is exactly one (else -1). */
static size_t
focused_partners (const FsimScenario *s, const FsimResult *r, gssize *out_only)
{
    const FsimWord *sel = r->focus_sets.partners;
    size_t n = 0;
    *out_only = -1;
    for (size_t p = 0; p < s->n_partners; p++)
        if (!sel || fsim_bits_get (sel, p)) {
            *out_only = n == 0 ? (gssize) p : -1;
            n++;
        }
    return n;
}

/* "Huawei", "at least one of the 4 partners" / "any of the 4 partners": what the data reached,
 * named when the focus is one partner (transfer full). */
static char *
target (const FsimScenario *s, const FsimResult *r, const char *quantifier)
{
    gssize only = -1;
    size_t n = focused_partners (s, r, &only);
    if (r->focus && only >= 0)
        return g_strdup (s->partners[only].name ? s->partners[only].name : s->partners[only].id);
    return g_strdup_printf ("%s %zu %s%s", quantifier, n, n == 1 ? "partner" : "partners",
                            r->focus && r->focus_sets.partners ? " in focus" : "");
}

static void
overall (const FsimScenario *s, const FsimResult *r, GPtrArray *out)
{
    size_t partners = 0;
    gssize only = -1;
    size_t n_focused = focused_partners (s, r, &only);
    for (size_t p = 0; p < r->n_partners; p++)
        partners += r->partner_reached[p] > 0;
    g_autofree char *date = fsim_day_format (s->date);
    g_autofree char *reached = fsim_fmt_count (r->users_reached);
    g_autofree char *all = users (r->n_users);
    g_autofree char *share = percent (r->users_reached, r->n_users);
    g_autofree char *nc = fsim_fmt_count (r->users_reached_no_consent);
    g_autofree char *nc_share = percent (r->users_reached_no_consent, r->n_users);
    /* a focused run counts only its flows: say so first, and name what they reached */
    g_autofree char *counting =
        r->focus ? g_strdup_printf ("Counting only the focus (%s): o", r->focus) : g_strdup ("O");
    if (r->users_reached == 0) {
        g_autofree char *none = target (s, r, "any of the");
        add (out,
             g_strdup_printf ("%sn %s, no data of the %s reached %s.", counting, date, all, none));
        return;
    }
    g_autofree char *some = target (s, r, "at least one of");
    g_autofree char *got = n_focused > 1 || !r->focus
                               ? g_strdup_printf (" (%zu of them got someone's data)", partners)
                               : g_strdup ("");
    add (out, g_strdup_printf ("%sn %s, the data of %s of the %s (%s) reached %s%s.", counting,
                               date, reached, all, share, some, got));
    if (r->users_reached_no_consent > 0)
        add (out, g_strdup_printf ("For %s users (%s of all) some of it went without their own "
                                   "consent: through a friend's use of a partner, a friend of a "
                                   "friend's, or onward sharing between partners.",
                                   nc, nc_share));
    else
        add (out, g_strdup ("All of it went with the users' own consent: through their own use "
                            "of a partner."));
}

static int
compare_reach (gconstpointer pa, gconstpointer pb, gpointer data)
{
    size_t a = *(const size_t *) pa, b = *(const size_t *) pb;
    const FsimResult *r = data;
    if (r->partner_reached[a] != r->partner_reached[b])
        return r->partner_reached[a] > r->partner_reached[b] ? -1 : 1;
    return a < b ? -1 : a > b;
}

void
fsim_partners_sort_by_reach (const FsimResult *r, GArray *partners)
{
    g_return_if_fail (r != NULL && partners != NULL);
    g_array_sort_with_data (partners, compare_reach, (gpointer) r);
}

static void
largest (const FsimScenario *s, const FsimResult *r, GPtrArray *out)
{
    g_autoptr (GArray) named = g_array_new (FALSE, FALSE, sizeof (size_t));
    size_t unnamed = 0, unnamed_max = 0;
    for (size_t p = 0; p < s->n_partners; p++) {
        if (r->partner_reached[p] == 0)
            continue;
        if (fsim_partner_is_unnamed (&s->partners[p])) {
            unnamed++;
            unnamed_max = MAX (unnamed_max, r->partner_reached[p]);
        } else {
            g_array_append_val (named, p);
        }
    }
    fsim_partners_sort_by_reach (r, named);
    if (named->len == 0 && unnamed == 0)
        return;
    g_autoptr (GString) text = g_string_new (NULL);
    for (size_t i = 0; i < MIN ((size_t) named->len, (size_t) MAX_NAMED); i++) {
        size_t p = g_array_index (named, size_t, i);
        g_autofree char *n = fsim_fmt_count (r->partner_reached[p]);
        g_autofree char *nc = fsim_fmt_count (r->partner_reached_no_consent[p]);
        g_string_append_printf (text, "%s%s (%s, %s without consent)",
                                i == 0                                                   ? ""
                                : i + 1 == MIN ((size_t) named->len, (size_t) MAX_NAMED) ? " and "
                                                                                         : ", ",
                                s->partners[p].name, n, nc);
    }
    GString *sentence = g_string_new (NULL);
    if (named->len > 0)
        g_string_append_printf (sentence, "Reached most users: %s", text->str);
    if (unnamed > 0) {
        g_autofree char *max = users (unnamed_max);
        g_string_append_printf (sentence, "%s%zu unnamed %s reached up to %s each",
                                named->len ? "; " : "", unnamed,
                                unnamed == 1 ? "partner" : "partners", max);
    }
    g_string_append_c (sentence, '.');
    add (out, g_string_free (sentence, FALSE));
}

static void
where (const FsimResult *r, GPtrArray *out)
{
    g_autoptr (GString) servers = g_string_new (NULL);
    size_t device = SIZE_MAX, n_servers = 0, last = 0;
    for (size_t j = 0; j < r->n_jurisdictions; j++)
        if (strcmp (r->jurisdictions[j], "device") != 0 && r->jurisdiction_users[j] > 0)
            last = j;
    for (size_t j = 0; j < r->n_jurisdictions; j++) {
        if (strcmp (r->jurisdictions[j], "device") == 0) {
            device = j;
            continue;
        }
        if (r->jurisdiction_users[j] == 0)
            continue;
        g_autofree char *n = users (r->jurisdiction_users[j]);
        g_string_append_printf (servers, "%s%s (%s)",
                                n_servers == 0 ? ""
                                : j == last    ? " and "
                                               : ", ",
                                r->jurisdictions[j], n);
        n_servers++;
    }
    gboolean on_device = device != SIZE_MAX && r->jurisdiction_users[device] > 0;
    g_autofree char *kept = on_device ? users (r->jurisdiction_users[device]) : NULL;
    if (n_servers > 0 && on_device)
        add (out, g_strdup_printf ("The data landed on servers in %s; for %s it stayed on the "
                                   "devices where it was read.",
                                   servers->str, kept));
    else if (n_servers > 0)
        add (out, g_strdup_printf ("The data landed on servers in %s.", servers->str));
    else if (on_device)
        add (out, g_strdup_printf ("None of it landed on a partner's servers: for all %s it "
                                   "stayed on the devices where it was read.",
                                   kept));
}

static void
sensitive (const FsimScenario *s, const FsimResult *r, GPtrArray *out)
{
    size_t shown = 0;
    gssize only = -1;
    focused_partners (s, r, &only);
    g_autofree char *to = r->focus && only >= 0 ? target (s, r, "") : g_strdup ("a partner");
    for (size_t f = 0; f < r->n_fields && shown < MAX_SENSITIVE; f++) {
        if (!s->fields[f].sensitive || r->field_users[f] == 0)
            continue;
        g_autofree char *n = users (r->field_users[f]);
        g_autofree char *nc = fsim_fmt_count (r->field_no_consent[f]);
        add (out, g_strdup_printf ("The sensitive field \u201c%s\u201d of %s reached %s, "
                                   "for %s of them without their consent.",
                                   s->fields[f].label ? s->fields[f].label : s->fields[f].id, n, to,
                                   nc));
        shown++;
    }
}

GPtrArray *
fsim_findings_new (const FsimScenario *scenario, const FsimResult *result)
{
    g_return_val_if_fail (scenario != NULL && result != NULL, NULL);
    GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
    overall (scenario, result, out);
    if (result->users_reached == 0)
        return out;
    largest (scenario, result, out);
    where (result, out);
    sensitive (scenario, result, out);
    return out;
}
