/* SPDX-License-Identifier: MIT */
/* diff.h: compares two scenarios (a base and a what-if) on the same people, user by user. */
#pragma once

#include <glib.h>

#include "policy.h"
#include "population.h"
#include "scenario.h"

#define FSIM_DIFF_ERROR (fsim_diff_error_quark ())
GQuark fsim_diff_error_quark (void);

typedef enum {
    FSIM_DIFF_ERROR_PEOPLE, /* the two populations are not the same people and friendships */
} FsimDiffError;

typedef enum {
    FSIM_DIFF_EQUIVALENT,      /* the same flows */
    FSIM_DIFF_MORE_PERMISSIVE, /* every flow of the base, and more */
    FSIM_DIFF_LESS_PERMISSIVE, /* some flows of the base, nothing new */
    FSIM_DIFF_INCOMPARABLE,    /* flows gained and flows lost */
    FSIM_DIFF_ADDED,           /* the partner is only in the what-if */
    FSIM_DIFF_REMOVED,         /* the partner is only in the base */
    FSIM_DIFF_NOT_ANALYSED,    /* verdict_any: more than FSIM_DIFF_MAX_ANY_PAIRS pairs in focus */
    _FSIM_DIFF_VERDICT_MAX
} FsimDiffVerdict;

/*
 * Bounds at the model limits (docs/robustness.md, "Time and memory at the limits"): at most
 * FSIM_DIFF_MAX_LISTED changed decisions are kept in FsimDiff.decisions (all are counted in
 * decisions_changed), and the verdict for any population (possible.h, which lists routes per
 * (field, partner) pair) is worked out only when the focus holds at most FSIM_DIFF_MAX_ANY_PAIRS
 * pairs in each model; renderers list at most FSIM_DIFF_MAX_LISTED flow rows, and the diagram
 * draws the changed partners' rows (at most 16 partners, diff-diagram.c), with the first
 * FSIM_DIFF_MAX_DRAWN unchanged rows kept for a diagram of no change.
 */
#define FSIM_DIFF_MAX_LISTED 65536u
#define FSIM_DIFF_MAX_DRAWN 64u
#define FSIM_DIFF_MAX_ANY_PAIRS 65536u

/* "equivalent", "more_permissive", ... (static) */
const char *fsim_diff_verdict_to_string (FsimDiffVerdict v);

/* A flow row: users whose field reached the partner and so this destination. Rows are keyed
 * by ids (field, partner, destination, jurisdiction) so that both models can be compared. */
typedef struct {
    const char *field, *partner, *destination, *jurisdiction; /* borrowed from the scenarios */
    gboolean on_device;
    size_t before, after, gained, lost;
    /* the (field, partner) pair's users, wherever the partner stores the field: a destination
     * moved from the device to a server is two rows (one lost, one gained) of one pair whose
     * users did not change */
    size_t pair_before, pair_after, pair_gained, pair_lost;
} FsimDiffFlow;

typedef struct {
    const char *jurisdiction;
    size_t before, after, before_no_consent, after_no_consent;
} FsimDiffJurisdiction;

/* A (partner, API, scope) whose decision changed. in_base / in_whatif: the triple exists there. */
typedef struct {
    const char *partner, *api, *scope;
    gboolean in_base, in_whatif;
    FsimVerdict before, after;
    gssize rule_before, rule_after; /* indices into base / whatif rules, -1: none */
} FsimDiffDecision;

typedef struct {
    const char *partner;
    FsimDiffVerdict verdict;     /* on this population */
    FsimDiffVerdict verdict_any; /* for any population (the possible flows, possible.h) */
    size_t gained, lost;         /* (user, field, destination) flows */
    /* people: users with any field reaching the partner; data: (user, field) pairs reaching it
     * (anywhere), for the verdict in words (fsim_diff_partner_words) */
    size_t people_before, people_after, people_gained, people_lost;
    size_t data_gained, data_lost;
} FsimDiffPartner;

/* The change for one partner in plain words: "no change", "reaches more people", "reaches the
 * same people, stored elsewhere", ... (static). Can't fail. */
const char *fsim_diff_partner_words (const FsimDiffPartner *p);

typedef struct {
    const FsimScenario *base, *whatif;
    size_t n_users;
    char *population;            /* how the what-if's population was matched, in words */
    size_t users_other_settings; /* users whose settings or partner use differ */
    /* FsimDiffFlow rows in focus, in report order (the base's rows in model order, then the
     * what-if's new ones), but only those listed: the first FSIM_DIFF_MAX_LISTED rows (JSON), the
     * first FSIM_DIFF_MAX_LISTED changed rows (text) and the first FSIM_DIFF_MAX_DRAWN rows
     * reached but unchanged (the diagram, after the changed ones). All are counted: */
    GArray *flows;
    size_t flows_total;       /* rows in focus, of either model */
    size_t flows_changed;     /* ... with flows gained or lost */
    size_t flows_kept;        /* ... reached before or after, and unchanged */
    GArray *jurisdictions;    /* FsimDiffJurisdiction, sorted (strcmp) */
    GArray *decisions;        /* FsimDiffDecision, changed ones only: the first
                                * FSIM_DIFF_MAX_LISTED of them */
    size_t decisions_changed; /* all changed decisions (in focus), listed or not */
    size_t any_pairs;         /* (field, partner) pairs in focus, the larger of both models */
    GArray *partners;         /* FsimDiffPartner: the base's partners, then new ones */
    size_t exposed_before, exposed_after, newly_exposed, no_longer_exposed;
    GPtrArray *newly_examples, *no_longer_examples; /* user names, the first few */
} FsimDiff;

void fsim_diff_free (FsimDiff *d);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsimDiff, fsim_diff_free)

/**
 * fsim_diff_population:
 * @base_pop: the base's population
 * @whatif_pop: (transfer full): the what-if's own population, built from its file
 * @out_note: (out) (transfer full): how the populations were matched, in words
 *
 * The population the what-if is traced on. Both must be the same people with the same
 * friendships (same number of users, the same explicit ids, the same friend lists), or this
 * fails with FSIM_DIFF_ERROR_PEOPLE. When both models have the same fields and partners, in the
 * same order, the what-if's own population is used, so a what-if that changes settings or
 * adoption shares is compared user by user. When they differ, a generated population's draws
 * no longer line up, so the base's settings and partner use are carried over by field and
 * partner id, and only fields and partners new in the what-if take the what-if's own draws.
 *
 * Returns: (transfer full): the population, or NULL with @error set (then @whatif_pop is freed).
 */
FsimPopulation *fsim_diff_population (const FsimScenario *base, const FsimPopulation *base_pop,
                                      const FsimScenario *whatif, FsimPopulation *whatif_pop,
                                      char **out_note, GError **error);

/**
 * fsim_diff_new:
 * Traces every user under both scenarios (each on its own date) and compares.
 * @whatif_pop must be the result of fsim_diff_population(). @note is copied.
 * Returns: (transfer full) or NULL with @error set (a model graph walk failed).
 */
FsimDiff *fsim_diff_new (const FsimScenario *base, const FsimPopulation *base_pop,
                         const FsimScenario *whatif, const FsimPopulation *whatif_pop,
                         const char *note, GError **error);

/**
 * fsim_diff_new_focused:
 * @focus: (nullable): resolved against @whatif; only flows of the focused fields to the
 *   focused partners that land in the focused jurisdiction are counted (exposure, flows,
 *   jurisdictions, partners), and only the focused partners' decisions compared. A partner or
 *   field only the base has counts as focused.
 * @base_d, @whatif_d: (nullable): the decisions of each model on its date, if made already
 * fsim_diff_new() with a focus. Returns: as fsim_diff_new().
 */
FsimDiff *fsim_diff_new_focused (const FsimScenario *base, const FsimPopulation *base_pop,
                                 const FsimScenario *whatif, const FsimPopulation *whatif_pop,
                                 const char *note, const FsimFocus *focus,
                                 const FsimDecisions *base_d, const FsimDecisions *whatif_d,
                                 GError **error);

/* Whether @focus (nullable: everything) selects a partner, field, jurisdiction or flow row, as
 * fsim_diff_new_focused() counts them. Can't fail. */
gboolean fsim_diff_focus_partner (const FsimDiff *d, const FsimFocus *focus, const char *partner);
gboolean fsim_diff_focus_field (const FsimDiff *d, const FsimFocus *focus, const char *field);
gboolean fsim_diff_focus_jurisdiction (const FsimFocus *focus, const char *jurisdiction);
gboolean fsim_diff_focus_flow (const FsimDiff *d, const FsimFocus *focus, const FsimDiffFlow *f);

/* Did anything change (flows, decisions or verdicts)? */
gboolean fsim_diff_any (const FsimDiff *d);

/* Appends the comparison as text, or as one JSON document (docs/analysis.md). The text leaves
 * out what did not change (partners, jurisdictions); fsim_diff_render_text_full() can keep it
 * and show only what @focus (nullable, resolved against the what-if) selects. */
/* The most bytes fsim_diff_render_text_full() or fsim_diff_render_json_focused() appends for @d
 * with @focus (nullable), computed without rendering, for fsim_room_reserve() (room.h). Can't
 * fail. */
guint64 fsim_diff_room (const FsimDiff *d, const FsimFocus *focus);
void fsim_diff_render_text (const FsimDiff *d, GString *out);
void fsim_diff_render_text_full (const FsimDiff *d, gboolean all, const FsimFocus *focus,
                                 GString *out);
void fsim_diff_render_json (const FsimDiff *d, GString *out);
void fsim_diff_render_json_focused (const FsimDiff *d, const FsimFocus *focus, GString *out);
