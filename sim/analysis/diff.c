/* SPDX-License-Identifier: MIT */
/* diff.c: compares a base and a what-if scenario on the same people, user by user. */
#include "config.h"

#include <string.h>

#include "analysis-private.h"
#include "diff.h"
#include "explain.h"
#include "possible.h"
#include "text.h"

/* The quark's name is G_DEFINE_QUARK's first argument, spelt as it stands. */
/* clang-format off */
G_DEFINE_QUARK (fsim-diff-error-quark, fsim_diff_error)
/* clang-format on */

#define MAX_EXAMPLES 10

static const char *const verdict_names[] = {
    [FSIM_DIFF_EQUIVALENT] = "equivalent",
    [FSIM_DIFF_MORE_PERMISSIVE] = "more_permissive",
    [FSIM_DIFF_LESS_PERMISSIVE] = "less_permissive",
    [FSIM_DIFF_INCOMPARABLE] = "incomparable",
    [FSIM_DIFF_ADDED] = "added",
    [FSIM_DIFF_REMOVED] = "removed",
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
                     "people", a->n_users, b->n_users);
        return FALSE;
    }
    /* named people (explicit, or a graph file's) must have the same names */
    gboolean named = a->user_ids || a->file_names || a->file_ids || b->user_ids
                     || b->file_names || b->file_ids;
    for (size_t u = 0; named && u < a->n_users; u++)
        if (names_differ (a, b, u)) {
            g_autofree char *na = fsim_population_user_name (a, u);
            g_autofree char *nb = fsim_population_user_name (b, u);
            g_set_error (error, FSIM_DIFF_ERROR, FSIM_DIFF_ERROR_PEOPLE,
                         "user %zu is '%s' in the base and '%s' in the what-if: diff compares "
                         "the same people, in the same order", u, na, nb);
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

/* Does user u have other settings or partner use, on the fields and partners both have? */
static gboolean
user_differs (const FsimScenario *base, const FsimPopulation *b, const FsimScenario *whatif,
              const FsimPopulation *w, size_t u)
{
    if (b->platform[u] != w->platform[u])
        return TRUE;
    for (size_t fw = 0; fw < whatif->n_fields; fw++) {
        gssize fb = fsim_scenario_find_field (base, whatif->fields[fw].id);
        if (fb >= 0 &&
            (fsim_bits_get (b->apps_others + u * b->field_words, (size_t) fb) !=
                 fsim_bits_get (w->apps_others + u * w->field_words, fw) ||
             b->audience[u * b->n_fields + (size_t) fb] != w->audience[u * w->n_fields + fw]))
            return TRUE;
    }
    for (size_t pw = 0; pw < whatif->n_partners; pw++) {
        gssize pb = fsim_scenario_find_partner (base, whatif->partners[pw].id);
        if (pb >= 0 && fsim_bits_get (b->uses + u * b->partner_words, (size_t) pb) !=
                           fsim_bits_get (w->uses + u * w->partner_words, pw))
            return TRUE;
    }
    return FALSE;
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
    size_t n = 0;
    for (size_t u = 0; u < w->n_users; u++)
        n += user_differs (base, base_pop, whatif, w, u);
    g_autofree char *count = fsim_fmt_count (w->n_users);
    g_autofree char *users = g_strdup_printf ("%s user%s", count, w->n_users == 1 ? "" : "s");
    if (overlay)
        *out_note = g_strdup_printf (
            "%s, the same people and friendships; the what-if has other fields or partners, so "
            "it keeps the base's settings and partner use by id (only new fields and partners "
            "take the what-if's own draws)", users);
    else if (n == 0)
        *out_note = g_strdup_printf ("%s, the same people, friendships, settings and partner "
                                     "use in both", users);
    else
        *out_note = g_strdup_printf ("%s, the same people and friendships; %zu of them %s "
                                     "other settings or partner use in the what-if", users, n,
                                     n == 1 ? "has" : "have");
    return g_steal_pointer (&w);
}

/* ---- one side of the comparison --------------------------------------------------------- */

typedef struct {
    const FsimScenario *s;
    FsimDecisions *d;
    FsimTracer *t;
    guint8 *masks; /* one user's channel masks */
    GArray *row_fp; /* [row]: f * np + p, or -1 where the row is not in this model */
    guint32 *jur_start; /* [f * np + p]: its jurisdictions are jur_list[jur_start[fp] ..]; nfp + 1 */
    guint32 *jur_list;  /* the jurisdictions (indices into diff->jurisdictions) where p has a
                         * destination receiving f */
    guint8 *seen, *seen_nc; /* [j]: scratch for one user */
    GHashTable **scope_ix;  /* [a]: scope id -> index + 1, built when first needed */
} Side;

static gboolean
side_init (Side *side, const FsimScenario *s, const FsimPopulation *pop, GError **error)
{
    side->s = s;
    side->scope_ix = g_new0 (GHashTable *, s->n_apis + 1);
    side->d = fsim_decisions_new (s, s->date);
    side->t = fsim_tracer_new (s, pop, side->d, error);
    side->masks = g_new0 (guint8, s->n_fields * s->n_partners + 1);
    side->row_fp = g_array_new (FALSE, FALSE, sizeof (gssize));
    return side->t != NULL;
}

static void
side_clear (Side *side)
{
    fsim_tracer_free (side->t);
    fsim_decisions_free (side->d);
    g_free (side->masks);
    g_array_unref (side->row_fp);
    g_free (side->jur_start);
    g_free (side->jur_list);
    g_free (side->seen);
    g_free (side->seen_nc);
    for (size_t a = 0; side->scope_ix && a < side->s->n_apis; a++)
        if (side->scope_ix[a])
            g_hash_table_destroy (side->scope_ix[a]);
    g_free (side->scope_ix);
}

/* Builds the rows of both models (keyed by ids) and each side's map to them. */
static void
build_rows (FsimDiff *diff, Side *sides)
{
    g_autoptr (GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    for (int k = 0; k < 2; k++) {
        const FsimScenario *s = sides[k].s;
        for (size_t f = 0; f < s->n_fields; f++)
            for (size_t p = 0; p < s->n_partners; p++)
                for (size_t d = 0; d < s->partners[p].n_destinations; d++) {
                    const FsimDestination *dest = &s->partners[p].destinations[d];
                    if (!fsim_bits_get (dest->fields, f))
                        continue;
                    const char *j = fsim_i_dest_jurisdiction (dest);
                    char *key = g_strjoin ("\x1f", s->fields[f].id, s->partners[p].id, dest->id,
                                           j, NULL);
                    gpointer found = NULL;
                    if (!g_hash_table_lookup_extended (keys, key, NULL, &found)) {
                        FsimDiffFlow row = { .field = s->fields[f].id,
                                             .partner = s->partners[p].id,
                                             .destination = dest->id,
                                             .jurisdiction = j,
                                             .on_device = dest->on_device };
                        g_array_append_val (diff->flows, row);
                        found = GUINT_TO_POINTER (diff->flows->len);
                        g_hash_table_insert (keys, key, found);
                    } else {
                        g_free (key);
                    }
                    gssize fp = (gssize) (f * s->n_partners + p);
                    guint row = GPOINTER_TO_UINT (found) - 1;
                    for (int x = 0; x < 2; x++) {
                        gssize none = -1;
                        while (sides[x].row_fp->len <= row)
                            g_array_append_val (sides[x].row_fp, none);
                    }
                    g_array_index (sides[k].row_fp, gssize, row) = fp;
                }
    }
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
    return strcmp (((const FsimDiffJurisdiction *) a)->jurisdiction,
                   ((const FsimDiffJurisdiction *) b)->jurisdiction);
}

/* The jurisdictions of both models, sorted, and each side's landing table. */
static void
build_jurisdictions (FsimDiff *diff, Side *sides)
{
    for (guint i = 0; i < diff->flows->len; i++) {
        const char *j = g_array_index (diff->flows, FsimDiffFlow, i).jurisdiction;
        gboolean known = FALSE;
        for (guint k = 0; k < diff->jurisdictions->len && !known; k++)
            known = strcmp (g_array_index (diff->jurisdictions, FsimDiffJurisdiction, k)
                                .jurisdiction, j) == 0;
        if (!known) {
            FsimDiffJurisdiction row = { .jurisdiction = j };
            g_array_append_val (diff->jurisdictions, row);
        }
    }
    g_array_sort (diff->jurisdictions, compare_names);
    guint n_jur = diff->jurisdictions->len;
    g_autoptr (GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
    for (guint j = 0; j < n_jur; j++)
        g_hash_table_insert (index, (gpointer) g_array_index (diff->jurisdictions,
                                                              FsimDiffJurisdiction, j).jurisdiction,
                             GUINT_TO_POINTER (j));
    for (int k = 0; k < 2; k++) {
        const FsimScenario *s = sides[k].s;
        size_t nfp = s->n_fields * s->n_partners;
        Side *side = &sides[k];
        side->jur_start = g_new0 (guint32, nfp + 2);
        side->seen = g_new0 (guint8, n_jur + 1);
        side->seen_nc = g_new0 (guint8, n_jur + 1);
        for (guint r = 0; r < diff->flows->len; r++) { /* counts, shifted by one */
            gssize fp = g_array_index (side->row_fp, gssize, r);
            if (fp >= 0)
                side->jur_start[fp + 2]++;
        }
        for (size_t i = 2; i < nfp + 2; i++)
            side->jur_start[i] += side->jur_start[i - 1];
        side->jur_list = g_new (guint32, side->jur_start[nfp + 1] + 1);
        for (guint r = 0; r < diff->flows->len; r++) {
            gssize fp = g_array_index (side->row_fp, gssize, r);
            if (fp < 0)
                continue;
            const char *j = g_array_index (diff->flows, FsimDiffFlow, r).jurisdiction;
            side->jur_list[side->jur_start[fp + 1]++] =
                GPOINTER_TO_UINT (g_hash_table_lookup (index, j));
        }
    }
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

/* ---- users ------------------------------------------------------------------------------ */

static guint8
side_mask (const Side *side, guint row)
{
    gssize fp = g_array_index (side->row_fp, gssize, row);
    return fp < 0 ? 0 : side->masks[fp];
}

static gboolean
any_mask (const Side *side)
{
    size_t n = side->s->n_fields * side->s->n_partners;
    for (size_t i = 0; i < n; i++)
        if (side->masks[i])
            return TRUE;
    return FALSE;
}

/* Which jurisdictions the user has a field in (side->seen), and without consent (seen_nc). */
static void
user_jurisdictions (const Side *side, guint n_jur)
{
    size_t nfp = side->s->n_fields * side->s->n_partners;
    memset (side->seen, 0, n_jur);
    memset (side->seen_nc, 0, n_jur);
    for (size_t i = 0; i < nfp; i++) {
        guint8 m = side->masks[i];
        if (!m)
            continue;
        gboolean nc = !(m & FSIM_CHANNEL_BIT (FSIM_CHANNEL_SELF));
        for (guint32 x = side->jur_start[i]; x < side->jur_start[i + 1]; x++) {
            side->seen[side->jur_list[x]] = 1;
            side->seen_nc[side->jur_list[x]] |= (guint8) nc;
        }
    }
}

static void
count_jurisdictions (FsimDiff *diff, const Side *sides)
{
    user_jurisdictions (&sides[0], diff->jurisdictions->len);
    user_jurisdictions (&sides[1], diff->jurisdictions->len);
    for (guint j = 0; j < diff->jurisdictions->len; j++) {
        FsimDiffJurisdiction *row = &g_array_index (diff->jurisdictions, FsimDiffJurisdiction, j);
        row->before += sides[0].seen[j];
        row->after += sides[1].seen[j];
        row->before_no_consent += sides[0].seen_nc[j];
        row->after_no_consent += sides[1].seen_nc[j];
    }
}

static void
count_exposure (FsimDiff *diff, const Side *sides, const FsimPopulation *pop, size_t u)
{
    gboolean b = any_mask (&sides[0]), w = any_mask (&sides[1]);
    diff->exposed_before += b;
    diff->exposed_after += w;
    GPtrArray *examples = NULL;
    if (w && !b) {
        diff->newly_exposed++;
        examples = diff->newly_examples;
    } else if (b && !w) {
        diff->no_longer_exposed++;
        examples = diff->no_longer_examples;
    }
    if (examples && examples->len < MAX_EXAMPLES)
        g_ptr_array_add (examples, fsim_population_user_name (pop, u));
}

/* Who (people) and what (user, field) each partner gets before and after, for one user:
 * @fp_of_row maps a flow row to its (field, partner) pair, @seen[2 * n_fp] is scratch. */
static void
count_people (FsimDiff *diff, const Side *sides, const guint *row_partner,
              const guint *fp_of_row, guint n_fp, gboolean *seen)
{
    guint np = diff->partners->len;
    gboolean *fb = seen, *fw = seen + n_fp, *pb = seen + 2 * n_fp, *pw = pb + np;
    memset (seen, 0, (2 * n_fp + 2 * np) * sizeof *seen);
    for (guint r = 0; r < diff->flows->len; r++) {
        gboolean b = side_mask (&sides[0], r) != 0, w = side_mask (&sides[1], r) != 0;
        fb[fp_of_row[r]] |= b;
        fw[fp_of_row[r]] |= w;
        pb[row_partner[r]] |= b;
        pw[row_partner[r]] |= w;
    }
    for (guint r = 0; r < diff->flows->len; r++) {
        guint k = fp_of_row[r];
        FsimDiffPartner *p = &g_array_index (diff->partners, FsimDiffPartner, row_partner[r]);
        if (fb[k] == 2 || fw[k] == 2)
            continue; /* this (field, partner) is counted already */
        p->data_gained += fw[k] && !fb[k];
        p->data_lost += fb[k] && !fw[k];
        fb[k] = fw[k] = 2;
    }
    for (guint i = 0; i < np; i++) {
        FsimDiffPartner *p = &g_array_index (diff->partners, FsimDiffPartner, i);
        p->people_before += pb[i];
        p->people_after += pw[i];
        p->people_gained += pw[i] && !pb[i];
        p->people_lost += pb[i] && !pw[i];
    }
}

/* Each flow row's (field, partner) pair, numbered from 0 (transfer full); @out_n: how many. */
static guint *
fp_rows (const FsimDiff *diff, guint *out_n)
{
    g_autoptr (GHashTable) ix = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    guint *of = g_new0 (guint, diff->flows->len + 1);
    for (guint r = 0; r < diff->flows->len; r++) {
        const FsimDiffFlow *f = &g_array_index (diff->flows, FsimDiffFlow, r);
        char *key = g_strconcat (f->field, "\x1f", f->partner, NULL);
        gpointer v;
        if (g_hash_table_lookup_extended (ix, key, NULL, &v)) {
            of[r] = GPOINTER_TO_UINT (v);
            g_free (key);
        } else {
            of[r] = g_hash_table_size (ix);
            g_hash_table_insert (ix, key, GUINT_TO_POINTER (of[r]));
        }
    }
    *out_n = g_hash_table_size (ix);
    return of;
}

static void
compare_users (FsimDiff *diff, Side *sides, const FsimPopulation *pop, const guint *row_partner)
{
    guint n_fp = 0;
    g_autofree guint *fp_of_row = fp_rows (diff, &n_fp);
    g_autofree gboolean *seen = g_new0 (gboolean, 2 * (size_t) n_fp
                                                      + 2 * (size_t) diff->partners->len + 1);
    for (size_t u = 0; u < pop->n_users; u++) {
        fsim_tracer_user (sides[0].t, u, sides[0].masks);
        fsim_tracer_user (sides[1].t, u, sides[1].masks);
        count_people (diff, sides, row_partner, fp_of_row, n_fp, seen);
        for (guint r = 0; r < diff->flows->len; r++) {
            FsimDiffFlow *row = &g_array_index (diff->flows, FsimDiffFlow, r);
            gboolean b = side_mask (&sides[0], r) != 0, w = side_mask (&sides[1], r) != 0;
            FsimDiffPartner *p = &g_array_index (diff->partners, FsimDiffPartner,
                                                 row_partner[r]);
            row->before += b;
            row->after += w;
            row->gained += w && !b;
            row->lost += b && !w;
            p->gained += w && !b;
            p->lost += b && !w;
        }
        count_jurisdictions (diff, sides);
        count_exposure (diff, sides, pop, u);
    }
}

/* ---- decisions -------------------------------------------------------------------------- */

static gssize
api_slot (const FsimScenario *s, gssize p, const char *api)
{
    for (size_t k = 0; p >= 0 && k < s->partners[p].n_apis; k++)
        if (strcmp (s->apis[s->partners[p].apis[k]].id, api) == 0)
            return (gssize) k;
    return -1;
}

/* The index of @scope in API @a of @side, trying @hint first (the same index on the other side:
 * the usual case); otherwise through an index of the API's scopes built on first use. */
static gssize
scope_index (const Side *side, size_t a, const char *scope, size_t hint)
{
    const FsimApi *api = &side->s->apis[a];
    if (hint < api->n_scopes && strcmp (api->scopes[hint].id, scope) == 0)
        return (gssize) hint;
    if (!side->scope_ix[a]) {
        side->scope_ix[a] = g_hash_table_new (g_str_hash, g_str_equal);
        for (size_t sc = 0; sc < api->n_scopes; sc++)
            g_hash_table_insert (side->scope_ix[a], api->scopes[sc].id, GSIZE_TO_POINTER (sc + 1));
    }
    return (gssize) GPOINTER_TO_SIZE (g_hash_table_lookup (side->scope_ix[a], scope)) - 1;
}

static const char *
rule_id (const FsimScenario *s, gssize r)
{
    return r < 0 ? "" : s->rules[r].id;
}

/* One (partner, API, scope) triple on both sides; recorded if its decision changed. */
static void
compare_decision (FsimDiff *diff, const Side *sides, const char *partner, const char *api,
                  const char *scope, size_t hint)
{
    FsimDiffDecision row = { .partner = partner, .api = api, .scope = scope,
                             .rule_before = -1, .rule_after = -1 };
    for (int k = 0; k < 2; k++) {
        const FsimScenario *s = sides[k].s;
        gssize p = fsim_scenario_find_partner (s, partner);
        gssize slot = api_slot (s, p, api);
        gssize sc = slot < 0 ? -1 : scope_index (&sides[k], s->partners[p].apis[slot], scope, hint);
        if (sc < 0)
            continue;
        const FsimDecision *d =
            fsim_decisions_get (sides[k].d, (size_t) p, (size_t) slot, (size_t) sc);
        *(k ? &row.in_whatif : &row.in_base) = TRUE;
        *(k ? &row.after : &row.before) = d->verdict;
        *(k ? &row.rule_after : &row.rule_before) = d->rule;
    }
    if (row.in_base && row.in_whatif && row.before == row.after &&
        strcmp (rule_id (diff->base, row.rule_before), rule_id (diff->whatif, row.rule_after)) == 0)
        return;
    g_array_append_val (diff->decisions, row);
}

/* Every (partner, API, scope) of either side, partners in the order of diff->partners. */
static void
compare_decisions (FsimDiff *diff, const Side *sides)
{
    for (guint i = 0; i < diff->partners->len; i++) {
        const char *partner = g_array_index (diff->partners, FsimDiffPartner, i).partner;
        g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
        for (int k = 0; k < 2; k++) {
            const FsimScenario *s = sides[k].s;
            gssize p = fsim_scenario_find_partner (s, partner);
            for (size_t a = 0; p >= 0 && a < s->partners[p].n_apis; a++) {
                const FsimApi *api = &s->apis[s->partners[p].apis[a]];
                for (size_t sc = 0; sc < api->n_scopes; sc++) {
                    char *key = g_strconcat (api->id, "\x1f", api->scopes[sc].id, NULL);
                    if (g_hash_table_add (seen, key))
                        compare_decision (diff, sides, partner, api->id, api->scopes[sc].id, sc);
                }
            }
        }
    }
}

/* ---- verdicts --------------------------------------------------------------------------- */

static FsimDiffVerdict
verdict_of (gboolean gained, gboolean lost)
{
    if (gained && lost)
        return FSIM_DIFF_INCOMPARABLE;
    return gained ? FSIM_DIFF_MORE_PERMISSIVE : lost ? FSIM_DIFF_LESS_PERMISSIVE
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
                                    ? sa->partners[sit->partner].id : NULL;
        }
        if (!fsim_possible_blocks (pb, b, refs, n))
            return FALSE;
    }
    return TRUE;
}

/* For any population: compares, per partner, the rows some user could have and, for rows
 * both have, the situations that block them. */
static void
possible_verdict (FsimDiff *diff, FsimDiffPartner *p, const FsimPossible *pb,
                  const FsimPossible *pw)
{
    gboolean gained = FALSE, lost = FALSE;
    for (guint i = 0; i < diff->flows->len; i++) {
        const FsimDiffFlow *row = &g_array_index (diff->flows, FsimDiffFlow, i);
        if (strcmp (row->partner, p->partner) != 0)
            continue;
        const FsimPossibleFlow *b = possible_row (diff->base, pb, row);
        const FsimPossibleFlow *w = possible_row (diff->whatif, pw, row);
        gained |= w && !b;
        lost |= b && !w;
        if (!b || !w || !b->complete || !w->complete)
            continue;
        gained |= !blocks_all (b, diff->base, pw, w);
        lost |= !blocks_all (w, diff->whatif, pb, b);
    }
    p->verdict_any = verdict_of (gained, lost);
}

static gboolean
set_verdicts (FsimDiff *diff, GError **error)
{
    g_autoptr (FsimPossible) pb = fsim_possible_new (diff->base, diff->base->date, NULL, NULL,
                                                     error);
    if (!pb)
        return FALSE;
    g_autoptr (FsimPossible) pw = fsim_possible_new (diff->whatif, diff->whatif->date, NULL,
                                                     NULL, error);
    if (!pw)
        return FALSE;
    for (guint i = 0; i < diff->partners->len; i++) {
        FsimDiffPartner *row = &g_array_index (diff->partners, FsimDiffPartner, i);
        gboolean in_b = fsim_scenario_find_partner (diff->base, row->partner) >= 0;
        gboolean in_w = fsim_scenario_find_partner (diff->whatif, row->partner) >= 0;
        if (!in_b || !in_w) {
            row->verdict = row->verdict_any = in_b ? FSIM_DIFF_REMOVED : FSIM_DIFF_ADDED;
            continue;
        }
        row->verdict = verdict_of (row->gained > 0, row->lost > 0);
        possible_verdict (diff, row, pb, pw);
    }
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

FsimDiff *
fsim_diff_new (const FsimScenario *base, const FsimPopulation *base_pop,
               const FsimScenario *whatif, const FsimPopulation *whatif_pop, const char *note,
               GError **error)
{
    g_return_val_if_fail (base && base_pop && whatif && whatif_pop, NULL);
    g_return_val_if_fail (base_pop->n_users == whatif_pop->n_users, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);
    g_autoptr (FsimDiff) diff = diff_alloc (base, whatif, note);
    diff->n_users = base_pop->n_users;
    Side sides[2] = { { 0 }, { 0 } };
    gboolean ok = side_init (&sides[0], base, base_pop, error) &&
                  side_init (&sides[1], whatif, whatif_pop, error);
    if (ok) {
        build_rows (diff, sides);
        build_jurisdictions (diff, sides);
        build_partners (diff);
        g_autofree guint *row_partner = g_new (guint, diff->flows->len + 1);
        g_autoptr (GHashTable) partner_ix = g_hash_table_new (g_str_hash, g_str_equal);
        for (guint i = 0; i < diff->partners->len; i++)
            g_hash_table_insert (partner_ix,
                                 (gpointer) g_array_index (diff->partners, FsimDiffPartner, i).partner,
                                 GUINT_TO_POINTER (i));
        for (guint r = 0; r < diff->flows->len; r++)
            row_partner[r] = GPOINTER_TO_UINT (g_hash_table_lookup (
                partner_ix, g_array_index (diff->flows, FsimDiffFlow, r).partner));
        compare_users (diff, sides, base_pop, row_partner);
        compare_decisions (diff, sides);
        for (size_t u = 0; u < base_pop->n_users; u++)
            diff->users_other_settings += user_differs (base, base_pop, whatif, whatif_pop, u);
        ok = set_verdicts (diff, error);
    }
    for (int k = 0; k < 2; k++)
        if (sides[k].row_fp)
            side_clear (&sides[k]);
    return ok ? g_steal_pointer (&diff) : NULL;
}

gboolean
fsim_diff_any (const FsimDiff *d)
{
    if (d->decisions->len > 0)
        return TRUE;
    for (guint i = 0; i < d->partners->len; i++) {
        const FsimDiffPartner *p = &g_array_index (d->partners, FsimDiffPartner, i);
        if (p->verdict != FSIM_DIFF_EQUIVALENT || p->verdict_any != FSIM_DIFF_EQUIVALENT)
            return TRUE;
    }
    for (guint i = 0; i < d->flows->len; i++) {
        const FsimDiffFlow *f = &g_array_index (d->flows, FsimDiffFlow, i);
        if (f->before != f->after || f->gained || f->lost)
            return TRUE;
    }
    return FALSE;
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
