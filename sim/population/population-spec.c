/* SPDX-License-Identifier: MIT */
/* population-spec.c: what a population is built from, as text (snapshots and sweeps compare it). */
#include "config.h"

#include <inttypes.h>
#include <string.h>

#include <glib.h>

#include "bits.h"
#include "checksum.h"
#include "population.h"

static const char *const audience_names[] = { "only_me", "friends", "friends_of_friends",
                                              "public" };
G_STATIC_ASSERT (G_N_ELEMENTS (audience_names) == FSIM_N_AUDIENCES);

static void
add_number (GString *out, const char *key, double v)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];

    g_string_append_printf (out, "%s=%s\n", key, g_ascii_dtostr (buf, sizeof buf, v));
}

/* The ids of the fields in @bits, comma-separated. */
static void
add_fields (GString *out, const char *key, const FsimScenario *s, const FsimWord *bits)
{
    g_string_append_printf (out, "%s=", key);
    for (size_t f = 0, n = 0; f < s->n_fields; f++)
        if (bits != NULL && fsim_bits_get (bits, f))
            g_string_append_printf (out, "%s%s", n++ ? "," : "", s->fields[f].id);
    g_string_append_c (out, '\n');
}

/* Settings and adoption: what generated and imported populations draw. */
static void
add_draws (GString *out, const FsimScenario *s)
{
    const FsimPopulationSpec *ps = &s->population;

    add_number (out, "settings.platform_off", ps->platform_off);
    add_number (out, "settings.apps_others_restricted", ps->apps_others_restricted);
    add_fields (out, "settings.apps_others_restricted_fields", s, ps->restricted_fields);
    for (size_t f = 0; f < s->n_fields && ps->audience_mix != NULL; f++) {
        g_autofree char *key = NULL;
        for (int a = 0; a < FSIM_N_AUDIENCES; a++) {
            key = (g_free (key),
                   g_strdup_printf ("settings.audience.%s.%s", s->fields[f].id, audience_names[a]));
            add_number (out, key, ps->audience_mix[f * FSIM_N_AUDIENCES + (size_t) a]);
        }
    }
    for (size_t p = 0; p < s->n_partners && ps->adoption != NULL; p++) {
        g_autofree char *key = g_strdup_printf ("adoption.%s", s->partners[p].id);
        add_number (out, key, ps->adoption[p]);
    }
    g_string_append_printf (out, "adoption_model=%s\n",
                            ps->adoption_model == FSIM_ADOPTION_CLUSTERED ? "clustered" : "random");
}

/* Explicit users are described by a checksum of everything the builder reads from them, fed
 * user by user: at the loader's limits (a million users, each a bit set of 16,384 partners and
 * its settings) the bytes checksummed are GiBs, never held at once (issue 11). */
static void
add_explicit (GString *out, const FsimScenario *s)
{
    const FsimPopulationSpec *ps = &s->population;
    g_autoptr (GString) head = g_string_new (NULL); /* one user's id, switch and friends */
    FsimChecksum64 sum;

    fsim_checksum64_init (&sum, 0);
    for (size_t u = 0; u < ps->n_users; u++) {
        const FsimUserSpec *us = &ps->users[u];
        g_string_printf (head, "%s:%d:", us->id ? us->id : "", us->settings.platform);
        for (size_t i = 0; i < us->n_friends; i++)
            g_string_append_printf (head, "%zu,", us->friends[i]);
        fsim_checksum64_update (&sum, head->str, head->len);
        if (us->uses != NULL)
            fsim_checksum64_update (&sum, us->uses, s->partner_words * sizeof (FsimWord));
        if (us->settings.apps_others != NULL)
            fsim_checksum64_update (&sum, us->settings.apps_others,
                                    s->field_words * sizeof (FsimWord));
        if (us->settings.audience != NULL)
            fsim_checksum64_update (&sum, us->settings.audience, s->n_fields);
        fsim_checksum64_update (&sum, "\n", 1);
    }
    g_string_append_printf (out, "users=%zu\nusers.checksum=%016" PRIx64 "\n", ps->n_users,
                            fsim_checksum64_final (&sum));
}

static void
add_generated (GString *out, const FsimScenario *s)
{
    const FsimPopulationSpec *ps = &s->population;

    g_string_append_printf (out, "generator=%s\nusers=%zu\n", ps->generator, ps->gen_users);
    add_number (out, "mean_degree", ps->mean_degree);
    if (strcmp (ps->generator, "facebook_like") == 0) {
        add_number (out, "spread", ps->spread);
        add_number (out, "clustering", ps->clustering);
        g_string_append_printf (out, "max_degree=%zu\n", ps->max_degree);
        add_number (out, "community_size", ps->community_size);
    } else if (strcmp (ps->generator, "watts_strogatz") == 0) {
        add_number (out, "rewire", ps->rewire);
    }
}

static void
add_imported (GString *out, const FsimScenario *s)
{
    const FsimPopulationSpec *ps = &s->population;

    g_string_append_printf (out, "import.file=%s\nimport.format=%s\n", ps->import_file,
                            ps->import_format ? ps->import_format : "auto");
    for (size_t i = 0; i < ps->n_import_attributes; i++) {
        const FsimImportAttribute *a = &ps->import_attributes[i];
        g_autofree char *key = g_strdup_printf ("import.attributes.%s.fields", a->attribute);
        g_string_append_printf (out, "import.attributes.%s=%d:%zu\n", a->attribute, (int) a->target,
                                a->partner);
        add_fields (out, key, s, a->fields);
    }
}

/**
 * fsim_population_spec_text:
 * @scenario: read only
 *
 * Everything fsim_population_build() reads from @scenario to build its population, as
 * "key=value" lines in a fixed order: the kind, the seed, the generator and its parameters (or
 * the imported file, or a checksum of the explicit users), the settings and adoption shares,
 * and the ids of the fields and partners. Two scenarios with the same text get the same
 * population; a snapshot keeps the text it was saved from and refuses a scenario whose own
 * text differs (docs/format.md). A scenario that only names a snapshot has no text of its own
 * (NULL).
 * Returns: (transfer full) (nullable): the text. Can't fail.
 */
char *
fsim_population_spec_text (const FsimScenario *scenario)
{
    const FsimScenario *s = scenario;
    const FsimPopulationSpec *ps;
    GString *out;

    g_return_val_if_fail (s != NULL, NULL);
    ps = &s->population;
    if (ps->kind == FSIM_POPULATION_SNAPSHOT)
        return NULL;
    out = g_string_new (NULL);
    if (ps->kind == FSIM_POPULATION_EXPLICIT) {
        g_string_append (out, "kind=explicit\n");
        add_explicit (out, s);
    } else {
        g_string_append_printf (out, "kind=%s\nseed=%" G_GUINT64_FORMAT "\n",
                                ps->kind == FSIM_POPULATION_IMPORTED ? "imported" : "generated",
                                s->seed);
        if (ps->kind == FSIM_POPULATION_IMPORTED)
            add_imported (out, s);
        else
            add_generated (out, s);
        add_draws (out, s);
    }
    g_string_append (out, "fields=");
    for (size_t f = 0; f < s->n_fields; f++)
        g_string_append_printf (out, "%s%s", f ? "," : "", s->fields[f].id);
    g_string_append (out, "\npartners=");
    for (size_t p = 0; p < s->n_partners; p++)
        g_string_append_printf (out, "%s%s", p ? "," : "", s->partners[p].id);
    g_string_append_c (out, '\n');
    return g_string_free (out, FALSE);
}
