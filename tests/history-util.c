/* SPDX-License-Identifier: MIT */
/* history-util.c: running the bundled scenarios on a date, small, and reading who got what. */
#include <string.h>

#include <glib.h>

#include "history-util.h"
#include "loader.h"
#include "population.h"
#include "test-util.h"

void
run_clear (Run *run)
{
    fsim_result_free (run->r);
    fsim_scenario_free (run->s);
    memset (run, 0, sizeof *run);
}

void
run_scenario (Run *run, FsimScenario *s)
{
    g_autoptr (GError) error = NULL;
    run->s = s;
    g_autoptr (FsimPopulation) pop = fsim_population_build (s, &error);
    g_assert_no_error (error);
    g_autoptr (FsimDecisions) d = fsim_decisions_new (s, s->date);
    run->r = fsim_engine_run (s, pop, d, &error);
    g_assert_no_error (error);
    g_assert_nonnull (run->r);
}

/* scenarios/NAME.json, cut to SMALL users, on @date (NULL: its own), plus @more sets. */
void
run_bundled (Run *run, const char *name, const char *date, const char *const *more)
{
    g_autoptr (GError) error = NULL;
    g_autofree char *file = g_strconcat (name, ".json", NULL);
    g_autofree char *path = fsim_test_source_path ("scenarios", file, NULL);
    g_autofree char *date_set = date ? g_strconcat ("date=", date, NULL) : NULL;
    g_autoptr (GPtrArray) sets = g_ptr_array_new ();
    g_ptr_array_add (sets, (gpointer) SMALL);
    if (date_set)
        g_ptr_array_add (sets, date_set);
    for (size_t i = 0; more && more[i]; i++)
        g_ptr_array_add (sets, (gpointer) more[i]);
    g_ptr_array_add (sets, NULL);
    g_test_message ("%s on %s", name, date ? date : "its date");
    FsimScenario *s = fsim_loader_load (path, (const char *const *) sets->pdata, &error);
    g_assert_no_error (error);
    g_assert_nonnull (s);
    run_scenario (run, s);
}

size_t
partner_index (const Run *run, const char *id)
{
    gssize p = fsim_scenario_find_partner (run->s, id);
    if (p < 0)
        g_error ("no partner '%s' in %s", id, run->s->id);
    return (size_t) p;
}

/* Users whose data reached @partner through channel @c, for the field where most did. */
size_t
through (const Run *run, const char *partner, FsimChannel c)
{
    size_t p = partner_index (run, partner), most = 0;
    for (size_t f = 0; f < run->s->n_fields; f++)
        most = MAX (most, run->r->fp_channel[c][f * run->s->n_partners + p]);
    return most;
}

/* Users reached through a friend or a friend of a friend: data its users did not give. */
size_t
friend_data (const Run *run, const char *partner)
{
    return MAX (through (run, partner, FSIM_CHANNEL_FRIEND),
                through (run, partner, FSIM_CHANNEL_FRIEND_OF_FRIEND));
}

size_t
reached (const Run *run, const char *partner)
{
    return run->r->partner_reached[partner_index (run, partner)];
}

size_t
reached_no_consent (const Run *run, const char *partner)
{
    return run->r->partner_reached_no_consent[partner_index (run, partner)];
}

size_t
users_of (const Run *run, const char *partner)
{
    return run->r->partner_users[partner_index (run, partner)];
}

gboolean
has_tag (const FsimPartner *p, const char *tag)
{
    return p->tags && g_strv_contains ((const char *const *) p->tags, tag);
}

/* Partners with at least one scope allowed on @date; those tagged @tag among them. */
size_t
partners_with_access (const FsimScenario *s, const char *date, const char *tag, size_t *out_tagged)
{
    FsimDay day;
    g_assert_true (fsim_day_parse (date, &day));
    g_autoptr (FsimDecisions) d = fsim_decisions_new (s, day);
    size_t n = 0, tagged = 0;
    for (size_t p = 0; p < s->n_partners; p++) {
        const FsimPartner *pa = &s->partners[p];
        gboolean any = FALSE;
        for (size_t k = 0; k < pa->n_apis && !any; k++)
            for (size_t sc = 0; sc < s->apis[pa->apis[k]].n_scopes && !any; sc++)
                any = fsim_decisions_get (d, p, k, sc)->verdict == FSIM_VERDICT_ALLOWED;
        n += any;
        tagged += any && has_tag (pa, tag);
    }
    *out_tagged = tagged;
    return n;
}
