/* SPDX-License-Identifier: MIT */
/* lint-private.h: what lint.c shares with lint-shadow.c (the allow-shadowed check). */
#pragma once

#include <glib.h>

#include "lint.h"
#include "policy.h"
#include "scenario.h"

/* The part of rule r's window in which API a is active (may be empty). */
FsimWindow fsim_i_lint_effective_window (const FsimScenario *s, size_t r, size_t a);

/*
 * The allow-shadowed check's state: for each (partner, API) pair an allow rule needs, the
 * pair's requested scopes split into classes by the deny rules that match them, each class
 * with its denies (in rule order) and the union of their windows; built once per pair, or
 * once for the pairs with the same API, requested scopes and denies (kept up to a memory
 * budget), so that each allow rule only intersects its scopes with them.
 */
typedef struct FsimLintShadow FsimLintShadow;

/* Returns: (transfer full) (nullable): the state for @s and its rule index @ix (both must
 * outlive it), or NULL with FSIM_GRAPH_ERROR_NOMEM. */
FsimLintShadow *fsim_i_lint_shadow_new (const FsimScenario *s, const FsimRuleIndex *ix,
                                        GError **error);
void fsim_i_lint_shadow_free (FsimLintShadow *sh);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsimLintShadow, fsim_i_lint_shadow_free)

/* The deny rules named in an allow-shadowed warning: the first ones by rule order. */
#define FSIM_I_LINT_MAX_NAMED 8u

/* Is allow rule r, whose scopes of API a are at scopes + api_word[a], overridden by deny rules
 * on every requested (partner, API, scope) it matches and every day it and the API are in
 * force? Sets *out_n to the number of deny rules involved (0: it is not overridden) and
 * *out_first to the first MIN (*out_n, FSIM_I_LINT_MAX_NAMED) of them by rule order (owned by
 * @sh, valid until the next call). FALSE with FSIM_GRAPH_ERROR_NOMEM when memory runs out. */
gboolean fsim_i_lint_shadowed (FsimLintShadow *sh, size_t r, const FsimWord *scopes,
                               const size_t *api_word, const size_t **out_first, size_t *out_n,
                               GError **error);
