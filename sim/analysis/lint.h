/* SPDX-License-Identifier: MIT */
/* lint.h: warnings about a loaded model: rules, scopes, fields and windows that do nothing. */
#pragma once

#include <glib.h>

#include "scenario.h"

/*
 * The loader already refuses what is plainly wrong: an exact partner, API, scope or field name
 * that names nothing (settings naming unknown fields among them), a window whose 'from' is not
 * before its 'until', a partner without destinations. Lint looks for what loads but cannot do
 * anything. A file without partners (a library of APIs or fields, such as a field taxonomy) is
 * not checked for what needs partners: lint the files that include it.
 */
typedef enum {
    FSIM_LINT_RULE_MATCHES_NOTHING, /* a selector or pattern, or the whole rule, matches nothing */
    FSIM_LINT_ALLOW_SHADOWED,       /* an allow that a deny overrides wherever it applies */
    FSIM_LINT_SCOPE_NOT_OFFERED,    /* a scope pattern (request or rule) no API offers */
    FSIM_LINT_FIELD_NOT_RECEIVED,   /* a field no destination receives */
    FSIM_LINT_PARTNER_NO_DESTINATION, /* a partner none of whose destinations receives anything */
    FSIM_LINT_PARTNER_UNREACHABLE,    /* a partner that integrates no API and nobody shares with */
    FSIM_LINT_EMPTY_WINDOW,           /* a rule in force only while its APIs are inactive */
    FSIM_LINT_SHARE_NEVER_CARRIES,    /* a share of fields the partner keeps only on devices */
    FSIM_LINT_API_NOT_INTEGRATED,     /* an API (its scopes) that no partner integrates */
    _FSIM_LINT_MAX
} FsimLintKind;

/* "rule-matches-nothing", "allow-shadowed", ... (static) */
const char *fsim_lint_kind_to_string (FsimLintKind k);

typedef struct {
    FsimLintKind kind;
    FsimLoc loc;   /* where the offending entity is written (loc.file belongs to the scenario) */
    char *message; /* one sentence, naming the entity by id (not cleaned) */
} FsimLintWarning;

/**
 * fsim_lint_run:
 * Checks @scenario (a loaded scenario or policy file). Fails only when memory runs out for the
 * rule index (up to 32 MiB at the limits), with @error set.
 * Returns: (transfer full) (element-type FsimLintWarning) (nullable): the warnings, sorted by
 *   file, line and column; the array frees its messages.
 */
GArray *fsim_lint_run (const FsimScenario *scenario, GError **error);
