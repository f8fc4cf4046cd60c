/* SPDX-License-Identifier: MIT */
/* diff.c: compares a base and a what-if scenario on the same people, user by user. */
#include "config.h"

#include <string.h>

#include "analysis-private.h"
#include "diff-private.h"
#include "explain.h"
#include "possible.h"
#include "text.h"

/* The quark's name is G_DEFINE_QUARK's first argument, spelt as it stands. */
/* clang-format off */
G_DEFINE_QUARK (fsim-diff-error-quark, fsim_diff_error)
/* clang-format on */

static const char *const verdict_names[] = {
    [FSIM_DIFF_EQUIVALENT] = "equivalent",
    [FSIM_DIFF_MORE_PERMISSIVE] = "more_permissive",
    [FSIM_DIFF_LESS_PERMISSIVE] = "less_permissive",
    [FSIM_DIFF_INCOMPARABLE] = "incomparable",
    [FSIM_DIFF_ADDED] = "added",
    [FSIM_DIFF_REMOVED] = "removed",
    [FSIM_DIFF_NOT_ANALYSED] = "not_analysed",
};
G_STATIC_ASSERT (G_N_ELEMENTS (verdict_names) == _FSIM_DIFF_VERDICT_MAX);

const char *
fsim_diff_verdict_to_string (FsimDiffVerdict v)
{
    g_return_val_if_fail ((unsigned) v < _FSIM_DIFF_VERDICT_MAX, NULL);
    return verdict_names[v];
}

void
fsim_diff_free (FsimDiff *d)
{
    if (!d)
        return;
    g_free (d->population);
    if (d->flows)
        g_array_unref (d->flows);
    if (d->jurisdictions)
        g_array_unref (d->jurisdictions);
    if (d->decisions)
        g_array_unref (d->decisions);
    if (d->partners)
        g_array_unref (d->partners);
    if (d->newly_examples)
        g_ptr_array_unref (d->newly_examples);
    if (d->no_longer_examples)
        g_ptr_array_unref (d->no_longer_examples);
    g_free (d);
}

/* ---- the same people -------------------------------------------------------------------- */

static gboolean
same_friends (const FsimFriends *a, const FsimFriends *b)
{
    size_t ea = a ? a->n_edges : 0, eb = b ? b->n_edges : 0;
    if (ea != eb)
        return FALSE;
    if (ea == 0)
        return TRUE;
    return memcmp (a->offsets, b->offsets, (a->n_users + 1) * sizeof *a->offsets) == 0 &&
           memcmp (a->adj, b->adj, 2 * ea * sizeof *a->adj) == 0;
}

/* Does user @u have different names in @a and @b? (Names of one kind are compared as they
 * are: imported populations have millions of users.) */
static gboolean
names_differ (const FsimPopulation *a, const FsimPopulation *b, size_t u)
{
    if (a->user_ids && b->user_ids)
        return strcmp (a->user_ids[u], b->user_ids[u]) != 0;
    if (a->file_names && b->file_names)
        return strcmp (a->file_names[u], b->file_names[u]) != 0;
    if (a->file_ids && b->file_ids)
        return a->file_ids[u] != b->file_ids[u];
    g_autofree char *na = fsim_population_user_name (a, u);
    g_autofree char *nb = fsim_population_user_name (b, u);
    return strcmp (na, nb) != 0;
}

static gboolean
same_people (const FsimPopulation *a, const FsimPopulation *b, GError **error)
{
    if (a->n_users != b->n_users) {
        g_set_error (error, FSIM_DIFF_ERROR, FSIM_DIFF_ERROR_PEOPLE,
                     "the base has %zu users and the what-if %zu: diff compares the same "
                     "people",
                     a->n_users, b->n_users);
        return FALSE;
    }
    /* named people (explicit, or a graph file's) must have the same names */
    gboolean named =
        a->user_ids || a->file_names || a->file_ids || b->user_ids || b->file_names || b->file_ids;
    for (size_t u = 0; named && u < a->n_users; u++)
        if (names_differ (a, b, u)) {
            g_autofree char *na = fsim_population_user_name (a, u);
            g_autofree char *nb = fsim_population_user_name (b, u);
            g_set_error (error, FSIM_DIFF_ERROR, FSIM_DIFF_ERROR_PEOPLE,
                         "user %zu is '%s' in the base and '%s' in the what-if: diff compares "
                         "the same people, in the same order",
                         u, na, nb);
            return FALSE;
        }
    if (!same_friends (a->friends, b->friends)) {
        g_set_error_literal (error, FSIM_DIFF_ERROR, FSIM_DIFF_ERROR_PEOPLE,
                             "the what-if's friendships differ from the base's (another "
                             "generator, seed, size or friend list): diff compares the same "
                             "people with the same friends");
        return FALSE;
    }
    return TRUE;
}

static gboolean
same_layout (const FsimScenario *a, const FsimScenario *b)
{
    if (a->n_fields != b->n_fields || a->n_partners != b->n_partners)
        return FALSE;
    for (size_t f = 0; f < a->n_fields; f++)
        if (strcmp (a->fields[f].id, b->fields[f].id) != 0)
            return FALSE;
    for (size_t p = 0; p < a->n_partners; p++)
        if (strcmp (a->partners[p].id, b->partners[p].id) != 0)
            return FALSE;
    return TRUE;
}

/* Copies the base's settings and partner use into @w for every field and partner both have. */
static void
overlay_base (const FsimScenario *base, const FsimPopulation *b, const FsimScenario *whatif,
              FsimPopulation *w)
{
    memcpy (w->platform, b->platform, b->n_users);
    for (size_t fw = 0; fw < whatif->n_fields; fw++) {
        gssize fb = fsim_scenario_find_field (base, whatif->fields[fw].id);
        for (size_t u = 0; fb >= 0 && u < w->n_users; u++) {
            FsimWord *aw = w->apps_others + u * w->field_words;
            if (fsim_bits_get (b->apps_others + u * b->field_words, (size_t) fb))
                fsim_bits_set (aw, fw);
            else
                fsim_bits_clear_bit (aw, fw);
            w->audience[u * w->n_fields + fw] = b->audience[u * b->n_fields + (size_t) fb];
        }
    }
    for (size_t pw = 0; pw < whatif->n_partners; pw++) {
        gssize pb = fsim_scenario_find_partner (base, whatif->partners[pw].id);
        for (size_t u = 0; pb >= 0 && u < w->n_users; u++) {
            FsimWord *uw = w->uses + u * w->partner_words;
            if (fsim_bits_get (b->uses + u * b->partner_words, (size_t) pb))
                fsim_bits_set (uw, pw);
            else
                fsim_bits_clear_bit (uw, pw);
        }
    }
}

/* Does user u have other settings or partner use, on the fields and partners both have?
 * @fb[fw], @pb[pw]: the base's index of the what-if's field fw and partner pw, or -1. */
static gboolean
user_differs (const FsimPopulation *b, const FsimPopulation *w, const gssize *fb, const gssize *pb,
              size_t u)
{
    if (b->platform[u] != w->platform[u])
        return TRUE;
    for (size_t fw = 0; fw < w->n_fields; fw++)
        if (fb[fw] >= 0 &&
            (fsim_bits_get (b->apps_others + u * b->field_words, (size_t) fb[fw]) !=
                 fsim_bits_get (w->apps_others + u * w->field_words, fw) ||
             b->audience[u * b->n_fields + (size_t) fb[fw]] != w->audience[u * w->n_fields + fw]))
            return TRUE;
    for (size_t pw = 0; pw < w->n_partners; pw++)
        if (pb[pw] >= 0 && fsim_bits_get (b->uses + u * b->partner_words, (size_t) pb[pw]) !=
                               fsim_bits_get (w->uses + u * w->partner_words, pw))
            return TRUE;
    return FALSE;
}

/* The users with other settings or partner use in the what-if. */
static size_t
count_differing (const FsimScenario *base, const FsimPopulation *b, const FsimScenario *whatif,
                 const FsimPopulation *w)
{
    g_autofree gssize *fb = g_new (gssize, whatif->n_fields + 1);
    g_autofree gssize *pb = g_new (gssize, whatif->n_partners + 1);
    size_t n = 0;
    for (size_t f = 0; f < whatif->n_fields; f++)
        fb[f] = fsim_scenario_find_field (base, whatif->fields[f].id);
    for (size_t p = 0; p < whatif->n_partners; p++)
        pb[p] = fsim_scenario_find_partner (base, whatif->partners[p].id);
    for (size_t u = 0; u < w->n_users; u++)
        n += user_differs (b, w, fb, pb, u);
    return n;
}

FsimPopulation *
fsim_diff_population (const FsimScenario *base, const FsimPopulation *base_pop,
                      const FsimScenario *whatif, FsimPopulation *whatif_pop, char **out_note,
                      GError **error)
{
    g_autoptr (FsimPopulation) w = whatif_pop;
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);
    if (!same_people (base_pop, w, error))
        return NULL;
    gboolean overlay = !same_layout (base, whatif) && !base_pop->user_ids;
    if (overlay)
        overlay_base (base, base_pop, whatif, w);
    size_t n = count_differing (base, base_pop, whatif, w);
    g_autofree char *count = fsim_fmt_count (w->n_users);
    g_autofree char *users = g_strdup_printf ("%s user%s", count, w->n_users == 1 ? "" : "s");
    if (overlay)
        *out_note = g_strdup_printf (
            "%s, the same people and friendships; the what-if has other fields or partners, so "
            "it keeps the base's settings and partner use by id (only new fields and partners "
            "take the what-if's own draws)",
            users);
    else if (n == 0)
        *out_note = g_strdup_printf ("%s, the same people, friendships, settings and partner "
                                     "use in both",
                                     users);
    else
        *out_note = g_strdup_printf ("%s, the same people and friendships; %zu of them %s "
                                     "other settings or partner use in the what-if",
                                     users, n, n == 1 ? "has" : "have");
    return g_steal_pointer (&w);
}

/* ---- focus ------------------------------------------------------------------------------ */

gboolean
fsim_diff_focus_partner (const FsimDiff *d, const FsimFocus *focus, const char *partner)
{
    gssize p = focus ? fsim_scenario_find_partner (d->whatif, partner) : -1;
    return p < 0 || fsim_focus_has_partner (focus, (size_t) p);
}

gboolean
fsim_diff_focus_field (const FsimDiff *d, const FsimFocus *focus, const char *field)
{
    gssize f = focus ? fsim_scenario_find_field (d->whatif, field) : -1;
    return f < 0 || fsim_focus_has_field (focus, (size_t) f);
}

gboolean
fsim_diff_focus_jurisdiction (const FsimFocus *focus, const char *jurisdiction)
{
    return !focus || !focus->jurisdiction || strcmp (focus->jurisdiction, jurisdiction) == 0;
}

gboolean
fsim_diff_focus_flow (const FsimDiff *d, const FsimFocus *focus, const FsimDiffFlow *f)
{
    return fsim_diff_focus_partner (d, focus, f->partner) &&
           fsim_diff_focus_field (d, focus, f->field) &&
           fsim_diff_focus_jurisdiction (focus, f->on_device ? "device" : f->jurisdiction);
}

/* ---- verdicts --------------------------------------------------------------------------- */

static FsimDiffVerdict
verdict_of (gboolean gained, gboolean lost)
{
    if (gained && lost)
        return FSIM_DIFF_INCOMPARABLE;
    return gained ? FSIM_DIFF_MORE_PERMISSIVE
           : lost ? FSIM_DIFF_LESS_PERMISSIVE
                  : FSIM_DIFF_EQUIVALENT;
}

/* Is the flow (field id, partner id) possible and does it land in (destination, jurisdiction)? */
static const FsimPossibleFlow *
possible_row (const FsimScenario *s, const FsimPossible *pp, const FsimDiffFlow *row)
{
    gssize f = fsim_scenario_find_field (s, row->field);
    gssize p = fsim_scenario_find_partner (s, row->partner);
    if (f < 0 || p < 0)
        return NULL;
    const FsimPartner *partner = &s->partners[p];
    for (size_t d = 0; d < partner->n_destinations; d++) {
        const FsimDestination *dest = &partner->destinations[d];
        if (strcmp (dest->id, row->destination) == 0 &&
            strcmp (fsim_i_dest_jurisdiction (dest), row->jurisdiction) == 0 &&
            fsim_bits_get (dest->fields, (size_t) f)) {
            const FsimPossibleFlow *flow = fsim_possible_get (pp, (size_t) f, (size_t) p);
            return flow && flow->channels ? flow : NULL;
        }
    }
    return NULL;
}

/* Does every least restrictive blocking situation of @a (a flow of @sa) block @b (of @pb)? That is,
 * does @b block at least whenever @a does? */
static gboolean
blocks_all (const FsimPossibleFlow *a, const FsimScenario *sa, const FsimPossible *pb,
            const FsimPossibleFlow *b)
{
    g_autofree FsimSituationRef *refs = g_new0 (FsimSituationRef, a->situations->len + 1);
    for (guint j = 0; j < a->blockers->len; j++) {
        guint32 x = g_array_index (a->blockers, guint32, j);
        size_t n = 0;
        for (guint i = 0; i < a->situations->len; i++) {
            const FsimSituation *sit = &g_array_index (a->situations, FsimSituation, i);
            if (!(x & (1u << i)))
                continue;
            refs[n].kind = sit->kind;
            refs[n++].partner = sit->kind <= FSIM_SITUATION_NO_FRIEND_OF_FRIEND_USES
                                    ? sa->partners[sit->partner].id
                                    : NULL;
        }
        if (!fsim_possible_blocks (pb, b, refs, n))
            return FALSE;
    }
    return TRUE;
}

/* For any population: compares, per partner, the rows in focus (@rows) some user could have
 * and, for rows both have, the situations that block them. */
static void
possible_verdicts (FsimDiff *diff, const FsimIDiffRows *rows, const FsimPossible *pb,
                   const FsimPossible *pw)
{
    guint np = diff->partners->len;
    g_autofree gboolean *gained = g_new0 (gboolean, np + 1);
    g_autofree gboolean *lost = g_new0 (gboolean, np + 1);
    for (size_t i = 0; i < rows->n_rows; i++) {
        FsimDiffFlow row;
        fsim_i_diff_row_flow (diff, rows, i, &row);
        guint k = rows->pairs[rows->rows[i].pair].partner;
        const FsimPossibleFlow *b = possible_row (diff->base, pb, &row);
        const FsimPossibleFlow *w = possible_row (diff->whatif, pw, &row);
        gained[k] |= w && !b;
        lost[k] |= b && !w;
        if (!b || !w || !b->complete || !w->complete)
            continue;
        gained[k] |= !blocks_all (b, diff->base, pw, w);
        lost[k] |= !blocks_all (w, diff->whatif, pb, b);
    }
    for (guint i = 0; i < np; i++) {
        FsimDiffPartner *p = &g_array_index (diff->partners, FsimDiffPartner, i);
        if (p->verdict != FSIM_DIFF_ADDED && p->verdict != FSIM_DIFF_REMOVED)
            p->verdict_any = verdict_of (gained[i], lost[i]);
    }
}

/* The fields and partners of @s that @focus (resolved against the what-if) selects, as bit
 * sets (NULL: all); returns how many (field, partner) pairs that makes. */
static size_t
focused_sets (const FsimDiff *diff, const FsimFocus *focus, const FsimScenario *s,
              FsimWord **out_fields, FsimWord **out_partners)
{
    size_t nf = 0, np = 0;
    *out_fields = fsim_bits_new (s->field_words);
    *out_partners = fsim_bits_new (s->partner_words);
    for (size_t f = 0; f < s->n_fields; f++)
        if (fsim_diff_focus_field (diff, focus, s->fields[f].id)) {
            fsim_bits_set (*out_fields, f);
            nf++;
        }
    for (size_t p = 0; p < s->n_partners; p++)
        if (fsim_diff_focus_partner (diff, focus, s->partners[p].id)) {
            fsim_bits_set (*out_partners, p);
            np++;
        }
    return nf * np;
}

static gboolean
set_verdicts (FsimDiff *diff, const FsimFocus *focus, const FsimIDiffRows *rows, GError **error)
{
    g_autofree FsimWord *fb = NULL, *pb_set = NULL, *fw = NULL, *pw_set = NULL;
    /* two statements: MAX() would call one of them twice (and leak its sets) */
    size_t base_pairs = focused_sets (diff, focus, diff->base, &fb, &pb_set);
    size_t whatif_pairs = focused_sets (diff, focus, diff->whatif, &fw, &pw_set);
    size_t pairs = MAX (base_pairs, whatif_pairs);
    for (guint i = 0; i < diff->partners->len; i++) {
        FsimDiffPartner *row = &g_array_index (diff->partners, FsimDiffPartner, i);
        gboolean in_b = fsim_scenario_find_partner (diff->base, row->partner) >= 0;
        gboolean in_w = fsim_scenario_find_partner (diff->whatif, row->partner) >= 0;
        if (!in_b || !in_w)
            row->verdict = row->verdict_any = in_b ? FSIM_DIFF_REMOVED : FSIM_DIFF_ADDED;
        else
            row->verdict = verdict_of (row->gained > 0, row->lost > 0);
        if (in_b && in_w && pairs > FSIM_DIFF_MAX_ANY_PAIRS)
            row->verdict_any = FSIM_DIFF_NOT_ANALYSED;
    }
    diff->any_pairs = pairs;
    if (pairs > FSIM_DIFF_MAX_ANY_PAIRS)
        return TRUE; /* possible.h lists routes per pair: too many would take hours */
    g_autoptr (FsimPossible) pb =
        fsim_possible_new (diff->base, diff->base->date, fb, pb_set, error);
    if (!pb)
        return FALSE;
    g_autoptr (FsimPossible) pw =
        fsim_possible_new (diff->whatif, diff->whatif->date, fw, pw_set, error);
    if (!pw)
        return FALSE;
    possible_verdicts (diff, rows, pb, pw);
    return TRUE;
}

/* ---- the comparison --------------------------------------------------------------------- */

static FsimDiff *
diff_alloc (const FsimScenario *base, const FsimScenario *whatif, const char *note)
{
    FsimDiff *d = g_new0 (FsimDiff, 1);
    d->base = base;
    d->whatif = whatif;
    d->population = g_strdup (note);
    d->flows = g_array_new (FALSE, TRUE, sizeof (FsimDiffFlow));
    d->jurisdictions = g_array_new (FALSE, TRUE, sizeof (FsimDiffJurisdiction));
    d->decisions = g_array_new (FALSE, TRUE, sizeof (FsimDiffDecision));
    d->partners = g_array_new (FALSE, TRUE, sizeof (FsimDiffPartner));
    d->newly_examples = g_ptr_array_new_with_free_func (g_free);
    d->no_longer_examples = g_ptr_array_new_with_free_func (g_free);
    return d;
}

/* The partners of both models: the base's in order, then the what-if's new ones. */
static void
build_partners (FsimDiff *diff)
{
    for (size_t p = 0; p < diff->base->n_partners; p++) {
        FsimDiffPartner row = { .partner = diff->base->partners[p].id };
        g_array_append_val (diff->partners, row);
    }
    for (size_t p = 0; p < diff->whatif->n_partners; p++)
        if (fsim_scenario_find_partner (diff->base, diff->whatif->partners[p].id) < 0) {
            FsimDiffPartner row = { .partner = diff->whatif->partners[p].id };
            g_array_append_val (diff->partners, row);
        }
}

FsimDiff *
fsim_diff_new (const FsimScenario *base, const FsimPopulation *base_pop, const FsimScenario *whatif,
               const FsimPopulation *whatif_pop, const char *note, GError **error)
{
    return fsim_diff_new_focused (base, base_pop, whatif, whatif_pop, note, NULL, NULL, NULL,
                                  error);
}

FsimDiff *
fsim_diff_new_focused (const FsimScenario *base, const FsimPopulation *base_pop,
                       const FsimScenario *whatif, const FsimPopulation *whatif_pop,
                       const char *note, const FsimFocus *focus, const FsimDecisions *base_d,
                       const FsimDecisions *whatif_d, GError **error)
{
    g_return_val_if_fail (base && base_pop && whatif && whatif_pop, NULL);
    g_return_val_if_fail (base_pop->n_users == whatif_pop->n_users, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);
    g_autoptr (FsimDiff) diff = diff_alloc (base, whatif, note);
    diff->n_users = base_pop->n_users;
    g_autoptr (FsimDecisions) own_b =
        base_d ? NULL : fsim_decisions_try_new (base, base->date, error);
    if (!base_d && !own_b)
        return NULL;
    g_autoptr (FsimDecisions) own_w =
        whatif_d ? NULL : fsim_decisions_try_new (whatif, whatif->date, error);
    if (!whatif_d && !own_w)
        return NULL;
    base_d = base_d ? base_d : own_b;
    whatif_d = whatif_d ? whatif_d : own_w;
    build_partners (diff);
    g_autoptr (FsimIDiffRows) rows = NULL;
    if (!fsim_i_diff_users (diff, base_pop, base_d, whatif_pop, whatif_d, focus, &rows, error))
        return NULL;
    fsim_i_diff_rows_list (diff, rows);
    fsim_i_diff_decisions (diff, base_d, whatif_d, focus);
    diff->users_other_settings = count_differing (base, base_pop, whatif, whatif_pop);
    return set_verdicts (diff, focus, rows, error) ? g_steal_pointer (&diff) : NULL;
}

gboolean
fsim_diff_any (const FsimDiff *d)
{
    if (d->decisions_changed > 0)
        return TRUE;
    for (guint i = 0; i < d->partners->len; i++) {
        const FsimDiffPartner *p = &g_array_index (d->partners, FsimDiffPartner, i);
        if (p->verdict != FSIM_DIFF_EQUIVALENT ||
            (p->verdict_any != FSIM_DIFF_EQUIVALENT && p->verdict_any != FSIM_DIFF_NOT_ANALYSED))
            return TRUE;
    }
    return d->flows_changed > 0;
}

const char *
fsim_diff_partner_words (const FsimDiffPartner *p)
{
    g_return_val_if_fail (p != NULL, NULL);
    switch (p->verdict) {
    case FSIM_DIFF_EQUIVALENT:
        return "no change";
    case FSIM_DIFF_ADDED:
        return "a partner only the what-if has";
    case FSIM_DIFF_REMOVED:
        return "a partner only the base has";
    default:
        break;
    }
    if (p->people_gained && p->people_lost)
        return "reaches other people (some gained, some lost)";
    if (p->people_gained)
        return "reaches more people";
    if (p->people_lost)
        return "reaches fewer people";
    if (p->data_gained && p->data_lost)
        return "reaches the same people, gets other data of theirs";
    if (p->data_gained)
        return "reaches the same people, gets more of their data";
    if (p->data_lost)
        return "reaches the same people, gets less of their data";
    return "reaches the same people, stored elsewhere";
}
