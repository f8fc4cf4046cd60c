/* SPDX-License-Identifier: MIT */
/* serve-population.c: populations `flowsim serve` keeps between requests, shared by workers. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "serve.h"

/*
 * Building the population is most of a simulation's time (at 100,000 users, about three
 * quarters). Moving the date, the storage of a partner or the settings an API respects does
 * not change who the users are: the population of a scenario depends on its population spec,
 * seed, fields and partners, not on its dates, APIs, rules, destinations or sharing. So the
 * key of a population is the scenario file and its overrides but those that cannot touch it:
 *
 *   date=...   apis...   rules...   partners[P].destinations...   partners[P].shares...
 *
 * and the choice of a claim whose alternatives set only such paths (choices.CLAIM=ALT).
 *
 * Every other override (population.*, seed, fields, partners[P].kind, ...) is part of the key,
 * so a request gets the population it would have built itself: test-serve checks it against
 * the CLI, which always builds its own.
 *
 * Populations are kept and lent by a lender (serve-lender.c).
 */

/* Does override @set leave the population as it is? (see the comment at the top) */
static gboolean
population_neutral (const char *set)
{
    size_t n = strcspn (set, "=");
    if (n == 4 && strncmp (set, "date", 4) == 0)
        return TRUE;
    if (g_str_has_prefix (set, "apis[") || g_str_has_prefix (set, "apis.") ||
        g_str_has_prefix (set, "apis=") || g_str_has_prefix (set, "rules[") ||
        g_str_has_prefix (set, "rules.") || g_str_has_prefix (set, "rules="))
        return TRUE;
    if (!g_str_has_prefix (set, "partners["))
        return FALSE;
    const char *close = memchr (set, ']', n);
    return close &&
           (g_str_has_prefix (close, "].destinations") || g_str_has_prefix (close, "].shares"));
}

/* Does choosing any alternative of the claim @set chooses ("choices.CLAIM=ALT") leave the
 * population of @scenario as it is? Only if every alternative sets population-neutral paths
 * alone: the choice replaces the paths of one with those of another. */
static gboolean
choice_neutral (const char *set, const FsimScenario *scenario)
{
    if (!scenario || !g_str_has_prefix (set, "choices."))
        return FALSE;
    const char *id = set + strlen ("choices.");
    g_autofree char *claim_id = g_strndup (id, strcspn (id, "="));
    gssize i = fsim_scenario_find_claim (scenario, claim_id);
    if (i < 0)
        return FALSE;
    const FsimClaim *claim = &scenario->claims[i];
    for (size_t a = 0; a < claim->n_alternatives; a++)
        for (char **path = claim->alternatives[a].set_paths; path && *path; path++)
            if (!population_neutral (*path))
                return FALSE;
    return TRUE;
}

char *
fsim_serve_pop_key (const char *path, const char *const *sets, const FsimScenario *scenario)
{
    GString *key = g_string_new (path);
    for (const char *const *s = sets; s && *s; s++)
        if (!population_neutral (*s) && !choice_neutral (*s, scenario)) {
            g_string_append_c (key, '\n');
            g_string_append (key, *s);
        }
    return g_string_free (key, FALSE);
}

static gpointer
population_build (void *scenario, GError **error)
{
    return fsim_population_build (scenario, error);
}

static void
population_free (gpointer pop, gpointer unused)
{
    (void) unused;
    fsim_population_free (pop);
}

FsimServeLender *
fsim_serve_pop_cache_new (guint max_entries)
{
    return fsim_serve_lender_new (max_entries, population_free, NULL);
}

FsimPopulation *
fsim_serve_pop_cache_get (FsimServeLender *c, const char *key, const FsimScenario *scenario,
                          GError **error)
{
    return fsim_serve_lender_get (c, key, population_build, (void *) scenario, error);
}
