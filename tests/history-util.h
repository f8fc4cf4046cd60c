/* SPDX-License-Identifier: MIT */
/* history-util.h: running the bundled scenarios on a date, small, and reading who got what. */
#pragma once

#include <glib.h>

#include "engine.h"
#include "policy.h"

/* The bundled scenarios cut to this many users (their mean of 190 friends is kept). */
#define SMALL "population.users=2000"

typedef struct {
    FsimScenario *s;
    FsimResult *r;
} Run;

void run_clear (Run *run);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* Builds @s's population, runs it on its date; takes @s. Fails the test on error. */
void run_scenario (Run *run, FsimScenario *s);
/* scenarios/NAME.json, cut to SMALL users, on @date (NULL: its own), plus @more sets
 * ("choices.CLAIM=ALT" picks an alternative of a claim). */
void run_bundled (Run *run, const char *name, const char *date, const char *const *more);
size_t partner_index (const Run *run, const char *id);
/* Users whose data reached @partner through channel @c, for the field where most did. */
size_t through (const Run *run, const char *partner, FsimChannel c);
/* Users reached through a friend or a friend of a friend: data its users did not give. */
size_t friend_data (const Run *run, const char *partner);
size_t reached (const Run *run, const char *partner);
size_t reached_no_consent (const Run *run, const char *partner);
size_t users_of (const Run *run, const char *partner);
gboolean has_tag (const FsimPartner *p, const char *tag);
/* Partners with at least one scope allowed on @date; those tagged @tag among them. */
size_t partners_with_access (const FsimScenario *s, const char *date, const char *tag,
                             size_t *out_tagged);
