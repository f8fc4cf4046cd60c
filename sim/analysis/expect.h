/* SPDX-License-Identifier: MIT */
/* expect.h: checks a scenario's "expect" assertions on its population, with counterexamples. */
#pragma once

#include <glib.h>

#include "population.h"
#include "scenario.h"

/*
 * The outcome of one expectation (FsimExpectation, scenario.h). A flow (user, field, partner,
 * destination) matches an expectation when the field is one of its fields, the partner
 * matches its partner selector, the destination receives the field and lies in its
 * jurisdiction, and, if it asks for `without_consent`, the flow is without consent. `users`
 * counts the distinct users with at least one matching flow.
 *
 * nothing_after is checked on every day after its date on which the model can change: the day
 * after the date, each later day on which a rule, an API window or a share starts or ends, and
 * the scenario's date if it is later. Between two such days the decisions and shares are the
 * same, and the population does not depend on the day, so this covers every day after the
 * date (see docs/analysis.md).
 */
typedef struct {
    const FsimExpectation *x;
    gboolean passed;
    size_t users;          /* users with a matching flow (nothing_after: on `day`) */
    FsimDay day;           /* the day evaluated (nothing_after: the first failing day, or the
                            * last day checked when it passed) */
    size_t n_days;         /* days evaluated (1 but for nothing_after) */
    gssize user;           /* the counterexample user, -1 if none */
    size_t field, partner; /* the counterexample's flow */
    char *description;     /* the assertion in words (transfer: owned here) */
} FsimCheckResult;

typedef struct {
    GArray *results; /* FsimCheckResult, one per expectation, in file order */
} FsimCheck;

void fsim_check_free (FsimCheck *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsimCheck, fsim_check_free)

/**
 * fsim_check_run:
 * @scenario, @pop: read only; @pop is the scenario's population
 *
 * Evaluates every expectation of @scenario.
 * Returns: (transfer full): the results, or NULL with @error set (the model graph walk
 *   failed).
 */
FsimCheck *fsim_check_run (const FsimScenario *scenario, const FsimPopulation *pop, GError **error);

/*
 * The population in parts (MPI ranks, docs/scaling.md): each part holds users first ..
 * first + n_own - 1 of n_total, as its @pop's users 0 .. n_own - 1, followed by other users
 * (ghosts: the friends of its own users held elsewhere), of whom @pop holds the partner use
 * and @near the ONE and TWO sets (fsim_tracer_new_near()). Each day, every part traces its own
 * users; the counts are summed over the parts and the counterexample is the lowest global id.
 */
typedef struct {
    const FsimWord *near; /* nullable: computed from @pop's friend lists */
    size_t first, n_own, n_total;
    /* collective: sum (or take the minimum of) @n values over every part, in place */
    void (*sum) (uint64_t *values, size_t n, void *data);
    void (*min) (uint64_t *values, size_t n, void *data);
    void *data;
} FsimCheckParts;

/**
 * fsim_check_run_parts:
 * fsim_check_run() over parts (above): every part calls it, with the same scenario; the results
 * are the whole population's, the same in every part, users named by their global ids.
 * Returns: (transfer full), or NULL with @error set in every part (FSIM_GRAPH_ERROR_OTHER_RANK
 *   in those that did not fail themselves).
 */
FsimCheck *fsim_check_run_parts (const FsimScenario *scenario, const FsimPopulation *pop,
                                 const FsimCheckParts *parts, GError **error);

/* Did every expectation pass? */
gboolean fsim_check_passed (const FsimCheck *c);

/**
 * fsim_check_counterexample:
 * Appends the explanation of result @r's counterexample (its user, field and partner): the
 * routes that carried the flow, or for `reaches` the closed routes and why they stayed
 * closed. Each line starts with @indent spaces. Nothing when @r has no counterexample.
 * Returns: FALSE with @error set if the routes cannot be traced.
 */
gboolean fsim_check_counterexample (const FsimScenario *scenario, const FsimPopulation *pop,
                                    const FsimCheckResult *r, size_t indent, GString *out,
                                    GError **error);

/* The assertion in words: "no user's sensitive fields reach CN" (transfer full). */
char *fsim_expectation_describe (const FsimScenario *scenario, const FsimExpectation *x);
