/* SPDX-License-Identifier: MIT */
/* engine-plan.c: what the engine precomputes from the scenario: open channels, destinations. */
#include "config.h"

#include <stdlib.h>
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

/*
 * The distinct strings of @all (@n, which it sorts), as a sorted NULL-ended vector of copies:
 * there are as many as partners or destinations (16384 each at most, up to 128 bytes each), so
 * the vector is tried and the copies' bytes checked first. NULL with @error set when out of
 * memory.
 */
static char **
sorted_distinct (const char **all, size_t n, size_t *out_n, const char *what, GError **error)
{
    size_t n_distinct = 0;
    guint64 bytes = 0;

    qsort (all, n, sizeof *all, compare_strings);
    for (size_t i = 0; i < n; i++)
        if (i == 0 || strcmp (all[i], all[i - 1]) != 0) {
            all[n_distinct++] = all[i];
            bytes += strlen (all[i]) + 1 + 2 * sizeof (size_t); /* and malloc's header */
        }
    char **out = fsim_try_new0 (n_distinct + 1, sizeof (char *), what, error);
    if (out == NULL || !fsim_memory_reserve (bytes, what, error)) {
        g_free (out);
        return NULL;
    }
    for (size_t i = 0; i < n_distinct; i++)
        out[i] = g_strdup (all[i]);
    *out_n = n_distinct;
    return out;
}

static size_t
find_jurisdiction (const FsimEnginePlan *e, const char *name)
{
    const char *key = name;
    const char **at = bsearch (&key, e->jur, e->n_jur, sizeof *e->jur, compare_strings);
    g_assert (at != NULL);
    return (size_t) (at - (const char **) e->jur);
}

static gboolean
compute_jurisdictions (FsimEnginePlan *e, const FsimScenario *s, GError **error)
{
    size_t n = 0;
    for (size_t p = 0; p < s->n_partners; p++)
        n += s->partners[p].n_destinations;
    g_autofree const char **names =
        fsim_try_new0 (n + 1, sizeof (char *), "the jurisdictions of the destinations", error);
    if (names == NULL)
        return FALSE;
    n = 0;
    for (size_t p = 0; p < s->n_partners; p++)
        for (size_t d = 0; d < s->partners[p].n_destinations; d++)
            names[n++] = destination_jurisdiction (&s->partners[p].destinations[d]);
    if (!(e->jur = sorted_distinct (names, n, &e->n_jur, "the jurisdictions of the destinations",
                                    error)))
        return FALSE;

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

/* The sorted partner kinds, and kind_mask[k]: the partners of kind k. A kind is any id, so there
 * may be one per partner: kind_mask is then partners^2 bits (32 MiB at 16384), tried. */
static gboolean
compute_kinds (FsimEnginePlan *e, const FsimScenario *s, GError **error)
{
    g_autofree const char **names =
        fsim_try_new0 (s->n_partners + 1, sizeof (char *), "the kinds of the partners", error);
    if (names == NULL)
        return FALSE;
    for (size_t p = 0; p < s->n_partners; p++)
        names[p] = s->partners[p].kind;
    if (!(e->kinds = sorted_distinct (names, s->n_partners, &e->n_kinds,
                                      "the kinds of the partners", error)))
        return FALSE;
    e->kind_mask =
        fsim_try_new0 (e->n_kinds * e->pw, sizeof (FsimWord), "the partners of each kind", error);
    if (e->kind_mask == NULL)
        return FALSE;
    for (size_t p = 0; p < s->n_partners; p++) {
        const char *key = s->partners[p].kind;
        const char **at = bsearch (&key, e->kinds, e->n_kinds, sizeof *e->kinds, compare_strings);
        g_assert (at != NULL);
        fsim_bits_set (e->kind_mask + (size_t) (at - (const char **) e->kinds) * e->pw, p);
    }
    return TRUE;
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
    e->jur_any = fsim_try_new0 (e->n_jur * e->pw, sizeof (FsimWord),
                                "the partners of each jurisdiction", error);
    if (e->jur_any == NULL)
        return FALSE;
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
    if (!compute_kinds (e, scenario, error) || !compute_onward (e, error) ||
        !fsim_i_lane_plan_init (e, error))
        return NULL;
    return g_steal_pointer (&e);
}
