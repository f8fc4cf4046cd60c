/* SPDX-License-Identifier: MIT */
/* engine-plan.c: what the engine precomputes from the scenario: open channels, destinations. */
#include "config.h"

#include <string.h>

#include "downstream.h"
#include "engine-private.h"
#include "memory.h"

/* The bit sets of partners per subject, field and settings profile (open, avail): sized by
 * fields x partners, so tried. */
static FsimWord *
profile_sets_new (const FsimEnginePlan *e, const char *what, GError **error)
{
    return fsim_try_new0 (FSIM_N_SUBJECTS * e->nf * FSIM_N_PROFILES * e->pw, sizeof (FsimWord),
                          what, error);
}

/* open[k][f][g]: partners with an ALLOWED scope of subject k covering f, on an API of profile g.
 * NULL with @error set when out of memory. */
static FsimWord *
compute_open (const FsimEnginePlan *e, const FsimScenario *s, const FsimDecisions *decisions,
              GError **error)
{
    FsimWord *open = profile_sets_new (e, "the open channels of each field", error);
    if (open == NULL)
        return NULL;
    for (size_t p = 0; p < s->n_partners; p++) {
        const FsimPartner *partner = &s->partners[p];
        for (size_t k = 0; k < partner->n_apis; k++) {
            const FsimApi *api = &s->apis[partner->apis[k]];
            size_t g = api->respects & FSIM_RESPECTS_ALL;
            for (size_t sc = 0; sc < api->n_scopes; sc++) {
                const FsimScope *scope = &api->scopes[sc];
                if (fsim_decisions_get (decisions, p, k, sc)->verdict != FSIM_VERDICT_ALLOWED)
                    continue;
                for (size_t f = fsim_bits_next (scope->fields, s->field_words, 0); f < e->nf;
                     f = fsim_bits_next (scope->fields, s->field_words, f + 1))
                    fsim_bits_set (
                        open + ((scope->subject * e->nf + f) * FSIM_N_PROFILES + g) * e->pw, p);
            }
        }
    }
    return open;
}

/* avail[k][f][x] = receivers(f) & OR of open[k][f][g] over the profiles g that avoid x. */
static gboolean
compute_avail (FsimEnginePlan *e, const FsimScenario *s, const FsimDecisions *decisions,
               GError **error)
{
    g_autofree FsimWord *open = compute_open (e, s, decisions, error);
    if (open == NULL || !(e->avail = profile_sets_new (e, "the channels of each field", error)))
        return FALSE;
    for (size_t k = 0; k < FSIM_N_SUBJECTS; k++)
        for (size_t f = 0; f < e->nf; f++) {
            const FsimWord *receive = fsim_downstream_receivers (e->down, f);
            const FsimWord *o = open + (k * e->nf + f) * FSIM_N_PROFILES * e->pw;
            FsimWord *a = e->avail + (k * e->nf + f) * FSIM_N_PROFILES * e->pw;
            for (size_t x = 0; x < FSIM_N_PROFILES; x++)
                for (size_t g = 0; g < FSIM_N_PROFILES; g++)
                    if ((g & x) == 0)
                        fsim_bits_or (a + x * e->pw, o + g * e->pw, e->pw);
            for (size_t x = 0; x < FSIM_N_PROFILES; x++)
                for (size_t w = 0; w < e->pw; w++)
                    a[x * e->pw + w] &= receive[w];
        }
    return TRUE;
}

static const char *
destination_jurisdiction (const FsimDestination *d)
{
    if (d->on_device)
        return "device";
    return d->jurisdiction ? d->jurisdiction : "unknown";
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
    return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static size_t
find_jurisdiction (const FsimEnginePlan *e, const char *name)
{
    for (size_t j = 0; j < e->n_jur; j++)
        if (strcmp (e->jur[j], name) == 0)
            return j;
    g_assert_not_reached ();
    return 0;
}

static gboolean
compute_jurisdictions (FsimEnginePlan *e, const FsimScenario *s, GError **error)
{
    g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
    g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
    for (size_t p = 0; p < s->n_partners; p++)
        for (size_t d = 0; d < s->partners[p].n_destinations; d++) {
            const char *name = destination_jurisdiction (&s->partners[p].destinations[d]);
            if (g_hash_table_add (seen, (gpointer) name))
                g_ptr_array_add (names, g_strdup (name));
        }
    g_ptr_array_sort (names, compare_strings);
    e->n_jur = names->len;
    g_ptr_array_add (names, NULL);
    e->jur = (char **) g_ptr_array_steal (names, NULL);

    e->jur_mask = fsim_try_new0 (e->n_jur * e->nf * e->pw, sizeof (FsimWord),
                                 "the jurisdictions of each field", error);
    if (e->jur_mask == NULL)
        return FALSE;
    for (size_t p = 0; p < s->n_partners; p++)
        for (size_t d = 0; d < s->partners[p].n_destinations; d++) {
            const FsimDestination *dest = &s->partners[p].destinations[d];
            size_t j = find_jurisdiction (e, destination_jurisdiction (dest));
            for (size_t f = fsim_bits_next (dest->fields, s->field_words, 0); f < e->nf;
                 f = fsim_bits_next (dest->fields, s->field_words, f + 1))
                fsim_bits_set (e->jur_mask + (j * e->nf + f) * e->pw, p);
        }
    return TRUE;
}

/* The sorted partner kinds, and kind_mask[k]: the partners of kind k. */
static void
compute_kinds (FsimEnginePlan *e, const FsimScenario *s)
{
    g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
    g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
    for (size_t p = 0; p < s->n_partners; p++)
        if (g_hash_table_add (seen, s->partners[p].kind))
            g_ptr_array_add (names, g_strdup (s->partners[p].kind));
    g_ptr_array_sort (names, compare_strings);
    e->n_kinds = names->len;
    g_ptr_array_add (names, NULL);
    e->kinds = (char **) g_ptr_array_steal (names, NULL);
    e->kind_mask = fsim_bits_new (e->n_kinds * e->pw);
    for (size_t k = 0; k < e->n_kinds; k++)
        for (size_t p = 0; p < s->n_partners; p++)
            if (strcmp (s->partners[p].kind, e->kinds[k]) == 0)
                fsim_bits_set (e->kind_mask + k * e->pw, p);
}

/* onward[f]: partners q holding f on a server whose Down[f][q] is not empty; jur_any[j]. */
static gboolean
compute_onward (FsimEnginePlan *e, GError **error)
{
    e->onward =
        fsim_try_new0 (e->nf * e->pw, sizeof (FsimWord), "the onward sharers of each field", error);
    if (e->onward == NULL)
        return FALSE;
    for (size_t f = 0; e->any_down && f < e->nf; f++) {
        const FsimWord *server = fsim_downstream_server_holders (e->down, f);
        for (size_t q = fsim_bits_next (server, e->pw, 0); q != SIZE_MAX;
             q = fsim_bits_next (server, e->pw, q + 1))
            if (fsim_bits_any (fsim_downstream_get (e->down, f, q), e->pw))
                fsim_bits_set (e->onward + f * e->pw, q);
    }
    e->jur_any = fsim_bits_new (e->n_jur * e->pw);
    for (size_t j = 0; j < e->n_jur; j++)
        for (size_t f = 0; f < e->nf; f++)
            fsim_bits_or (e->jur_any + j * e->pw, e->jur_mask + (j * e->nf + f) * e->pw, e->pw);
    return TRUE;
}

void
fsim_i_engine_plan_free (FsimEnginePlan *e)
{
    if (!e)
        return;
    fsim_downstream_free (e->down);
    g_free (e->avail);
    g_free (e->onward);
    g_strfreev (e->jur);
    g_free (e->jur_mask);
    g_free (e->jur_any);
    g_strfreev (e->kinds);
    g_free (e->kind_mask);
    fsim_i_lane_plan_free (e->lanes);
    g_free (e->counted);
    g_free (e);
}

/**
 * fsim_i_engine_plan_new:
 * @decisions: the policy decisions on the day to trace (their day is used for the shares)
 * Returns: (transfer full): the plan, or NULL with @error set if the model graph walk fails or
 *   memory runs out (FSIM_GRAPH_ERROR_NOMEM).
 */
FsimEnginePlan *
fsim_i_engine_plan_new (const FsimScenario *scenario, const FsimDecisions *decisions,
                        GError **error)
{
    g_autoptr (FsimEnginePlan) e = g_new0 (FsimEnginePlan, 1);
    e->focus_jur = -1; /* not focused: every jurisdiction counts (see plan_focus in engine.c) */
    e->nf = scenario->n_fields;
    e->np = scenario->n_partners;
    e->pw = scenario->partner_words;

    g_autoptr (FsimModel) model = fsim_model_try_new (scenario, error);
    if (!model)
        return NULL;
    e->down = fsim_downstream_new (scenario, model, fsim_decisions_get_day (decisions), error);
    if (!e->down)
        return NULL;
    e->any_down = fsim_downstream_any (e->down);
    if (!compute_avail (e, scenario, decisions, error) ||
        !compute_jurisdictions (e, scenario, error))
        return NULL;
    compute_kinds (e, scenario);
    if (!compute_onward (e, error) || !fsim_i_lane_plan_init (e, error))
        return NULL;
    return g_steal_pointer (&e);
}
