/* SPDX-License-Identifier: MIT */
/* loader.h: reads scenario and policy files (JSON) into a validated FsimScenario. */
#pragma once

#include <glib.h>

#include "scenario.h"

#define FSIM_LOADER_ERROR (fsim_loader_error_quark ())
GQuark fsim_loader_error_quark (void);

typedef enum {
    FSIM_LOADER_ERROR_IO,        /* a file could not be read */
    FSIM_LOADER_ERROR_PARSE,     /* not valid JSON */
    FSIM_LOADER_ERROR_SCHEMA,    /* wrong type, missing or unknown key, duplicate key */
    FSIM_LOADER_ERROR_REFERENCE, /* an id that names nothing, a duplicate id */
    FSIM_LOADER_ERROR_VALUE,     /* a bad date, share, code or window */
    FSIM_LOADER_ERROR_CYCLE,     /* include / extends cycle */
    FSIM_LOADER_ERROR_LIMIT,     /* a file, string, count or depth over its limit */
    FSIM_LOADER_ERROR_SET,       /* a --set / set path that names nothing */
} FsimLoaderError;

/**
 * fsim_loader_load:
 * @path: a scenario or policy file
 * @sets: (nullable): NULL-terminated "PATH=VALUE" overrides (`--set`), applied after the
 *   file's own `set`; those under "choices." (`--claim CLAIM=ALT` is "choices.CLAIM=ALT")
 *   choose claims' alternatives instead, before the claims are applied (docs/format.md)
 * @error: return location for a GError
 *
 * Reads @path with its includes and base scenarios, applies the alternative in force of every
 * claim and the overrides, and validates every key, value and reference. Error messages have
 * the form "FILE:LINE:COL: MESSAGE".
 *
 * Returns: (transfer full): the scenario, or NULL with @error set. A bare policy file gives a
 *   scenario whose id is NULL.
 */
FsimScenario *fsim_loader_load (const char *path, const char *const *sets, GError **error);

/**
 * fsim_loader_load_string:
 * Like fsim_loader_load() but reads the top file from @text; @path names it in messages and
 * anchors relative includes.
 */
FsimScenario *fsim_loader_load_string (const char *path, const char *text, const char *const *sets,
                                       GError **error);

/**
 * FsimLoaderBase:
 * A file read and merged once (with its includes and base scenarios) for many loads that differ
 * only in their overrides, such as each alternative of its claims chosen in turn.
 */
typedef struct FsimLoaderBase FsimLoaderBase;

/**
 * fsim_loader_base_new:
 * @path: a scenario or policy file
 *
 * Reads and merges @path once. Returns: (transfer full) (nullable): the merged files, or NULL
 *   when they do not merge without an error (fsim_loader_load() then says what is wrong).
 */
FsimLoaderBase *fsim_loader_base_new (const char *path);
void fsim_loader_base_free (FsimLoaderBase *base);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsimLoaderBase, fsim_loader_base_free)

/**
 * fsim_loader_base_load:
 * @base: the merged file, not changed
 * @sets: (nullable): as for fsim_loader_load()
 *
 * Returns: (transfer full): what fsim_loader_load() gives for the file and @sets (byte for byte
 *   the same scenario and errors, the files being read once, when @base was made), or NULL
 *   with @error set.
 */
FsimScenario *fsim_loader_base_load (FsimLoaderBase *base, const char *const *sets, GError **error);

/**
 * fsim_loader_load_scenario:
 * Like fsim_loader_load(), for the commands that simulate (`run`, `report`, `diagram`,
 * `timeline`, `population`, `diff`): a bare policy file, which has no date and no population,
 * is an error (FSIM_LOADER_ERROR_SCHEMA) that says so and what to run instead.
 *
 * Returns: (transfer full): the scenario (its id non-NULL), or NULL with @error set.
 */
FsimScenario *fsim_loader_load_scenario (const char *path, const char *const *sets, GError **error);
