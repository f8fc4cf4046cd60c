/* SPDX-License-Identifier: MIT */
/* engine-count.c: the engine's results: allocation, sums of the workers' parts, freeing. */
#include "config.h"

#include "engine-private.h"
#include "memory.h"

FsimResult *
fsim_i_result_try_new (size_t n_fields, size_t n_partners, size_t n_jur, size_t n_kinds,
                       GError **error)
{
    g_autoptr (FsimResult) r = g_new0 (FsimResult, 1);
    size_t nfp = n_fields * n_partners + 1; /* at most 2^24 + 1 (the loader's limit) */
    g_autofree char *what =
        g_strdup_printf ("the counters of %zu fields times %zu partners", n_fields, n_partners);

    r->n_fields = n_fields;
    r->n_partners = n_partners;
    /* per partner, field, jurisdiction and kind (each count at most 16384, a jurisdiction and a
     * kind per destination and partner): tried like the rest */
    struct {
        size_t **out, n;
    } small[] = {
        { &r->partner_users, n_partners },
        { &r->partner_reached, n_partners },
        { &r->partner_reached_no_consent, n_partners },
        { &r->field_users, n_fields },
        { &r->field_no_consent, n_fields },
        { &r->jurisdiction_users, n_jur },
        { &r->jurisdiction_no_consent, n_jur },
        { &r->kind_users, n_kinds },
        { &r->kind_no_consent, n_kinds },
    };
    for (size_t i = 0; i < G_N_ELEMENTS (small); i++)
        if (!(*small[i].out = fsim_try_new0 (small[i].n + 1, sizeof (size_t), what, error)))
            return NULL;
    if (!(r->fp_users = fsim_try_new0 (nfp, sizeof (size_t), what, error)) ||
        !(r->fp_no_consent = fsim_try_new0 (nfp, sizeof (size_t), what, error)))
        return NULL;
    for (size_t c = 0; c < FSIM_N_CHANNELS; c++)
        if (!(r->fp_channel[c] = fsim_try_new0 (nfp, sizeof (size_t), what, error)))
            return NULL;
    r->n_jurisdictions = n_jur;
    r->n_kinds = n_kinds;
    return g_steal_pointer (&r);
}

FsimResult *
fsim_i_result_new (size_t n_fields, size_t n_partners, size_t n_jur, size_t n_kinds)
{
    g_autoptr (GError) error = NULL;
    FsimResult *r = fsim_i_result_try_new (n_fields, n_partners, n_jur, n_kinds, &error);
    if (r == NULL)
        g_error ("%s", error->message); /* as g_new */
    return r;
}

void
fsim_result_free (FsimResult *r)
{
    if (!r)
        return;
    g_free (r->partner_users);
    g_free (r->partner_reached);
    g_free (r->partner_reached_no_consent);
    g_free (r->fp_users);
    g_free (r->fp_no_consent);
    for (size_t c = 0; c < FSIM_N_CHANNELS; c++)
        g_free (r->fp_channel[c]);
    g_free (r->field_users);
    g_free (r->field_no_consent);
    for (size_t j = 0; r->jurisdictions && j < r->n_jurisdictions; j++)
        g_free (r->jurisdictions[j]);
    g_free (r->jurisdictions);
    g_free (r->jurisdiction_users);
    g_free (r->jurisdiction_no_consent);
    g_strfreev (r->kinds);
    g_free (r->kind_users);
    g_free (r->kind_no_consent);
    g_free (r->focus);
    fsim_focus_clear (&r->focus_sets);
    g_free (r);
}

static void
add_counts (size_t *dst, const size_t *src, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dst[i] += src[i];
}

void
fsim_i_result_add (FsimResult *dst, const FsimResult *src)
{
    size_t nfp = dst->n_fields * dst->n_partners;

    dst->n_users += src->n_users;
    dst->platform_off += src->platform_off;
    add_counts (dst->partner_users, src->partner_users, dst->n_partners);
    add_counts (dst->partner_reached, src->partner_reached, dst->n_partners);
    add_counts (dst->partner_reached_no_consent, src->partner_reached_no_consent, dst->n_partners);
    add_counts (dst->fp_users, src->fp_users, nfp);
    add_counts (dst->fp_no_consent, src->fp_no_consent, nfp);
    for (size_t c = 0; c < FSIM_N_CHANNELS; c++)
        add_counts (dst->fp_channel[c], src->fp_channel[c], nfp);
    add_counts (dst->field_users, src->field_users, dst->n_fields);
    add_counts (dst->field_no_consent, src->field_no_consent, dst->n_fields);
    add_counts (dst->jurisdiction_users, src->jurisdiction_users, dst->n_jurisdictions);
    add_counts (dst->jurisdiction_no_consent, src->jurisdiction_no_consent, dst->n_jurisdictions);
    dst->users_reached += src->users_reached;
    dst->users_reached_no_consent += src->users_reached_no_consent;
    add_counts (dst->kind_users, src->kind_users, dst->n_kinds);
    add_counts (dst->kind_no_consent, src->kind_no_consent, dst->n_kinds);
}
