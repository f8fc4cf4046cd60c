/* SPDX-License-Identifier: MIT */
/* worst-case.h: scenarios at the documented limits, for the slow test and bench/limits.sh. */
#pragma once

#include <glib.h>

/*
 * The shape of a worst case. Every count is within its limit (docs/format.md#limits) and the
 * defaults put the products at theirs: 4096 partners, each integrating one API of 4096 scopes and
 * requesting all of them, make 2^24 decisions; 128 rules make 2^31 rule checks; 512 fields and
 * one destination per partner make 2^21 (field, destination) pairs.
 */
typedef struct {
    guint partners;       /* default 4096 */
    guint apis;           /* each partner integrates all of them; default 1 */
    guint scopes_per_api; /* default 4096 */
    guint fields;         /* default 512 */
    guint rules;          /* default 128 */
    guint users;          /* generated (erdos_renyi, mean degree 10); default 1000 */
    guint claims;         /* claims, each of @alternatives alternatives; default 0 (none) */
    guint alternatives;   /* alternatives per claim; default 64 (their limit) */
} FsimWorstCase;

/* The claims' limits (docs/format.md#limits): 256 claims of 64 alternatives. */
#define FSIM_WORST_CASE_CLAIMS 256
#define FSIM_WORST_CASE_ALTERNATIVES 64

#define FSIM_WORST_CASE_DEFAULTS                                                                   \
    {                                                                                              \
        .partners = 4096, .apis = 1, .scopes_per_api = 4096, .fields = 512, .rules = 128,          \
        .users = 1000, .claims = 0, .alternatives = FSIM_WORST_CASE_ALTERNATIVES                   \
    }

/**
 * fsim_worst_case_json:
 * @w: the shape
 *
 * A valid scenario of that shape (docs/format.md): every partner requests every scope ("*") of
 * every API and shares everything with the next partner; scopes cycle through the three subjects
 * and name one field each; rules mix allows and denies over ids, globs, kinds and tags, with
 * windows on distinct dates (so that `timeline` sees a change on each) and some that can never
 * apply (so that `lint` has something to say). Each claim (with @w->claims) contests a rule:
 * each of its alternatives sets that rule's effect and start, on its own date, with a source.
 * The same @w gives the same text.
 * Returns: (transfer full): the JSON text.
 */
char *fsim_worst_case_json (const FsimWorstCase *w);
