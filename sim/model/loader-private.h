/* SPDX-License-Identifier: MIT */
/* loader-private.h: internals shared by the two halves of the loader (JSON layer, conversion). */
#pragma once

#include <glib.h>

#include <cjson/cJSON.h>

#include "loader.h"
#include "text.h"

/* Hard limits: a file over them is refused with FSIM_LOADER_ERROR_LIMIT. */
#define FSIM_LOADER_MAX_FILE_BYTES (256u << 20)
#define FSIM_LOADER_MAX_STRING 4096
#define FSIM_LOADER_MAX_DEPTH 64
#define FSIM_LOADER_MAX_INCLUDES 256
/* All the files of one load together (and the --set values): bytes read, and JSON values
 * parsed (each costs about 170 bytes of memory while loading: 16 Mi values, about 3 GB). */
#define FSIM_LOADER_MAX_TOTAL_BYTES FSIM_LOADER_MAX_FILE_BYTES
#define FSIM_LOADER_MAX_VALUES (16u << 20)

/* Where a JSON value (and, for object members, its key) was written. */
typedef struct {
    const char *file; /* interned in FsimJsonDoc.strings */
    int line, col;
    int key_line, key_col;
    int index; /* position in its array as written in the file, or -1 */
} FsimNodeLoc;

/*
 * The JSON side of loading: every parsed node's position, and the nodes that were replaced
 * while merging (kept alive until the end so that no address is reused while positions are
 * looked up by address).
 */
typedef struct FsimJsonDoc {
    /* the doc of the merge this load shares values with (fsim_i_json_doc_over()), or NULL:
     * the positions not in locs are looked up there */
    const struct FsimJsonDoc *base;
    GHashTable *locs;      /* cJSON* -> FsimNodeLoc* (in loc_blocks) */
    GPtrArray *loc_blocks; /* the FsimNodeLoc, LOC_BLOCK at a time (fsim_i_json_set_loc()) */
    guint loc_used;        /* of the last block */
    GStringChunk *strings; /* file names */
    GPtrArray *graveyard;  /* detached cJSON trees, freed with the doc */
    GPtrArray *stack;      /* canonical paths being resolved, for cycle detection */
    GHashTable *included;  /* canonical paths of the policy files already included */
    GPtrArray *file_sets;  /* the scenario files' "set" objects, base first (buried) */
    guint n_files;
    GPtrArray *read;   /* canonical paths of the files read, in order (FsimScenario.files) */
    GArray *overrides; /* FsimOverride: every set applied, in order (FsimScenario.overrides) */
    guint64 n_bytes;   /* read so far, for FSIM_LOADER_MAX_TOTAL_BYTES */
    guint64 n_values;  /* an upper bound of the values parsed so far (FSIM_LOADER_MAX_VALUES) */
    /* Every error of the load, up to FSIM_LOADER_MAX_ERRORS (GError*): resolving goes on past
     * a file, an include, a set that fails (fsim_i_doc_keep()), and converting adds its own. */
    GPtrArray *errors;
    gboolean incomplete; /* a file to include or extend was not read: any name may be in it */
    gboolean no_convert; /* the claims could not be read: the merge is not converted */
    /* The claims failed: the top-level keys that an alternative of any claim sets (static or
     * doc-owned strings), whose conversion is skipped (their values may be the ones a claim
     * was to replace); NULL when the claims did not fail. */
    GHashTable *claim_keys;
    gboolean claims_failed; /* the claims failed (fsim_i_apply_claims()): not applied */
    /* ... and the nodes (cJSON*) whose errors are left out: what an alternative sets, deeper
     * than a top-level value (fsim_i_set_path_region()); the top-level keys of kinds whose
     * names an alternative may change (-> 1: kinds, tags or scopes; 2: ids), which
     * fsim_i_unmatched_name() treats as failed (FsimConv.failed, and .unnamed for 2). */
    GHashTable *claimed;
    GHashTable *claim_names;
    gboolean base_unread; /* a base scenario was not read: the merge is converted without what
                           * the base may hold (docs/format.md, "Error messages") */
    GHashTable *misspelt; /* top-level keys that an unknown key was taken for (static strings) */
} FsimJsonDoc;

FsimJsonDoc *fsim_i_json_doc_new (void);
void fsim_i_json_doc_free (FsimJsonDoc *doc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsimJsonDoc, fsim_i_json_doc_free)

const FsimNodeLoc *fsim_i_json_loc (const FsimJsonDoc *doc, const cJSON *node);
/* Records where @node was written: a copy of *@from, or zeros (index -1) when @from is NULL,
 * replacing what was recorded. Returns: the record, owned by @doc, to fill in. */
FsimNodeLoc *fsim_i_json_set_loc (FsimJsonDoc *doc, const cJSON *node, const FsimNodeLoc *from);

/* Keep *@local (stolen) in doc->errors (an error marked by fsim_i_mark_caused() is dropped);
 * FALSE once FSIM_LOADER_MAX_ERRORS are kept, or for an error of a limit (LIMIT): then the
 * caller stops. */
gboolean fsim_i_doc_keep (FsimJsonDoc *doc, GError **local);

/* Resolves @path (or @text standing for it) with includes, extends and set, then applies
 * @sets. What fails on the way is kept in doc->errors and resolving goes on (a file that cannot
 * be read, a set that names nothing). Returns: (transfer full) the merged top-level object to
 * convert (doc->errors may hold errors: conversion adds its own), or NULL when it cannot be
 * converted: the errors are in doc->errors, or @error is set (the top file cannot be read). */
cJSON *fsim_i_json_resolve (FsimJsonDoc *doc, const char *path, const char *text,
                            const char *const *sets, GError **error);
/* The two halves of fsim_i_json_resolve(): the files merged (NULL as it says), then the
 * choices, claims and sets applied to @result (FALSE: it cannot be converted; the caller frees
 * it). */
cJSON *fsim_i_json_merge (FsimJsonDoc *doc, const char *path, const char *text, GError **error);
gboolean fsim_i_json_finish (FsimJsonDoc *doc, cJSON *result, const char *const *sets);

/* A doc for one more load of what @base merged (fsim_loader_base_load()): its state after the
 * merge, its positions looked up in @base for the values the load shares (borrowed: @base must
 * outlive it), its files' sets copied. (transfer full) */
FsimJsonDoc *fsim_i_json_doc_over (const FsimJsonDoc *base);

/* Shared by loader-json.c (which defines them) and loader-merge.c. */
const char *fsim_i_display_name (FsimJsonDoc *doc, const char *canon);
void fsim_i_bury (FsimJsonDoc *doc, cJSON *node);
cJSON *fsim_i_parse_text (FsimJsonDoc *doc, const char *file, const char *text, int line0, int col0,
                          GError **error);
cJSON *fsim_i_parse_file (FsimJsonDoc *doc, const char *path, const char *text, const cJSON *from,
                          GError **error);
/* Keeps an error for each unknown key of the file's top-level object @root and takes the key
 * out (the others are read all the same). FALSE when the loader must stop (fsim_i_doc_keep). */
gboolean fsim_i_check_top_keys (FsimJsonDoc *doc, cJSON *root, gboolean scenario);

/* "did you mean" helper: the candidate closest to @word, or NULL if none is close. */
#define fsim_i_closest fsim_text_closest

/* loader-merge.c: an entity's "id" (NULL if it has none), the entity of @array with @id, and
 * @value put where @old was in @parent (an array, or an object at @key), @old buried. */
const char *fsim_i_entity_id (const cJSON *entity);
cJSON *fsim_i_find_by_id (const cJSON *array, const char *id);
void fsim_i_json_replace (FsimJsonDoc *doc, cJSON *parent, cJSON *old, const char *key,
                          cJSON *value);

/* loader-set.c: a file's own `set`, kept in doc for the layers above it; applied to the merged
 * @result (the "choices" paths alone, or all the others); the command line's --set, in order. */
/* Each error is kept (fsim_i_doc_keep()) and the next entry tried; FALSE when the loader must
 * stop. A path that names nothing is no error of its own when a file was not read
 * (doc->incomplete): it may name what that file held. */
gboolean fsim_i_keep_file_sets (FsimJsonDoc *doc, cJSON *root);
gboolean fsim_i_apply_file_sets (FsimJsonDoc *doc, cJSON *result, gboolean choices);
gboolean fsim_i_apply_cli_sets (FsimJsonDoc *doc, cJSON *result, const char *const *sets,
                                gboolean choices);

/* Apply one set path of a claim's alternative (loader-set.c): replace the value(s) at @path
 * in @root by located copies of @value (borrowed: the alternative is left as written), without
 * recording an override (doc->overrides); messages are located at @where's key. */
gboolean fsim_i_apply_set (FsimJsonDoc *doc, cJSON *root, const char *path, const cJSON *value,
                           const cJSON *where, GError **error);
/* A deep copy of @node, each value's position recorded for its copy (loader-set.c). */
cJSON *fsim_i_json_duplicate_located (FsimJsonDoc *doc, const cJSON *node);
/* Check that @path could be set in @root (every key before the last exists, every
 * multi-selector selects something) without setting it: the alternatives of a claim that are
 * not in force. */
gboolean fsim_i_check_set_path (FsimJsonDoc *doc, cJSON *root, const char *path, const cJSON *where,
                                GError **error);
/* For claims that failed: adds to @region (a set of cJSON nodes) every node of @root that the
 * set path @path may change or have checked against what it sets: the object that holds the
 * value it names, or, for an array element or an "id", the array that holds it, with all they
 * contain. FALSE (nothing added) when the path names nothing, or what it sets is a whole
 * top-level value (its key is then not converted at all). */
gboolean fsim_i_set_path_region (FsimJsonDoc *doc, cJSON *root, const char *path,
                                 GHashTable *region);
/* Is @path a path under the top-level "choices" (it then chooses a claim's alternative, and
 * is applied before the claims are)? */
gboolean fsim_i_is_choice_path (const char *path);

/* loader-claims.c: check the claims and choices of the merged tree, and apply the set of the
 * alternative in force of every claim, in claim order (before the scenario's own set). */
gboolean fsim_i_apply_claims (FsimJsonDoc *doc, cJSON *root, GError **error);

/* The scenario of the resolved @root (NULL: it could not be resolved, with the errors in @doc
 * and *@local, which is kept), or NULL with @error set (loader.c). Does not free @root. */
FsimScenario *fsim_i_convert_resolved (FsimJsonDoc *doc, const cJSON *root, GError **local,
                                       const char *path, GError **error);

/* Converts the merged tree into a scenario (loader.c). */
FsimScenario *fsim_i_convert (FsimJsonDoc *doc, const cJSON *root, const char *path,
                              GError **error);

/* Set an error located at @node: "FILE:LINE:COL: MESSAGE" (at the key if @at_key and known). */
void fsim_i_error_at (GError **error, const FsimJsonDoc *doc, const cJSON *node, gboolean at_key,
                      FsimLoaderError code, const char *fmt, ...) G_GNUC_PRINTF (6, 7);

/* ---- conversion helpers (loader-values.c) -------------------------------------------------- */

/* A JSON path such as partners[3].destinations[0].jurisdiction, built on the stack. */
typedef struct FsimJPath {
    const struct FsimJPath *up;
    const char *key; /* NULL for an array index */
    int index;
} FsimJPath;

#define FSIM_JP_KEY(parent, k) ((FsimJPath){ .up = (parent), .key = (k), .index = -1 })
#define FSIM_JP_IDX(parent, i) ((FsimJPath){ .up = (parent), .key = NULL, .index = (i) })

char *fsim_i_jpath_render (const FsimJPath *path);

/* The kinds of entity that names refer to (FsimConv.failed). */
typedef enum {
    FSIM_I_FIELDS,
    FSIM_I_APIS,
    FSIM_I_PARTNERS,
    FSIM_I_RULES,
    FSIM_I_N_KINDS
} FsimIKind;

/* What a name that matches nothing was meant to name: an id of a field (or a field pattern,
 * which is matched against ids alone), of an API, of a partner; a scope (of some API); a
 * partner kind or tag (kind:K, tag:T). */
typedef enum {
    FSIM_I_NAME_FIELD,
    FSIM_I_NAME_API,
    FSIM_I_NAME_SCOPE,
    FSIM_I_NAME_PARTNER,
    FSIM_I_NAME_PARTNER_GROUP,
} FsimIName;

typedef struct {
    FsimJsonDoc *doc;
    FsimScenario *s;
    GHashTable *field_ix; /* id -> index + 1 */
    GHashTable *api_ix;
    GHashTable *partner_ix;
    GHashTable *rule_ix;
    GPtrArray *errors;  /* GError*: the failed entities of every stage so far */
    guint stage_start;  /* errors->len when the current stage began */
    guint stage_failed; /* entities of the current stage that failed (errors kept or dropped) */
    /* What the entities that failed may hide (fsim_i_unmatched_name()): per kind of entity
     * (FsimIKind), one failed (so what is not its id may be missing: its scopes, kind, tags),
     * and one failed whose id could not be read (so any name may be its); and a file of the
     * scenario that could not be read (so any name may be in it). */
    gboolean failed[FSIM_I_N_KINDS], unnamed[FSIM_I_N_KINDS];
    gboolean incomplete;
    /* Every field id's part before each '.' ("a" and "a.b" of "a.b.c"), made when a plain
     * field pattern is first matched (loader-values.c), or NULL. */
    GHashTable *field_parents;
    gboolean field_parents_over;              /* ... more than the loader keeps: not made */
    const char *loc_file, *loc_file_interned; /* the last file fsim_i_loc_of() interned */
} FsimConv;

/* Errors reported for one file before the loader stops (docs/format.md, "Error messages"). */
#define FSIM_LOADER_MAX_ERRORS 20

/* An entity of an array (a field, API, partner, rule, expectation) failed with *@local: keep
 * its error (stealing it) and say whether to go on with the next entity (FALSE once
 * FSIM_LOADER_MAX_ERRORS are kept). A stage ends with fsim_i_stage_ok(). An error marked by
 * fsim_i_unmatched_name() is dropped rather than kept. */
gboolean fsim_i_keep_error (FsimConv *c, GError **local);
/* No entity of the current stage failed (earlier stages may have). */
gboolean fsim_i_stage_ok (const FsimConv *c);

/* Called after an error that a name of @what matches nothing: when the entity named may be one
 * that failed to convert (an entity of that kind failed with no id read; for a scope, kind or
 * tag, any entity of that kind failed) or is in a file that could not be read, the error is
 * marked for fsim_i_keep_error() to drop (the error before it caused it). Returns FALSE. */
gboolean fsim_i_unmatched_name (FsimConv *c, GError **error, FsimIName what);
/* fsim_i_fail() then fsim_i_unmatched_name(): a name of @what that matches nothing. */
gboolean fsim_i_fail_name (FsimConv *c, GError **error, FsimIName what, const cJSON *node,
                           gboolean at_key, FsimLoaderError code, const FsimJPath *path,
                           const char *fmt, ...) G_GNUC_PRINTF (8, 9);
/* Marks @error as one that an earlier failure caused (fsim_i_is_caused()). */
void fsim_i_mark_caused (GError *error);
/* Was @error marked by fsim_i_unmatched_name()? */
gboolean fsim_i_is_caused (const GError *error);

/* Sets a located error "FILE:LINE:COL: PATH: MESSAGE" and returns FALSE. */
gboolean fsim_i_fail (FsimConv *c, GError **error, const cJSON *node, gboolean at_key,
                      FsimLoaderError code, const FsimJPath *path, const char *fmt, ...)
    G_GNUC_PRINTF (7, 8);

/* Fails with FSIM_LOADER_ERROR_LIMIT for the array @arr at @path: "@n @what, more than the limit
 * of @max@hint", located at the first entry over the limit (an array merged from several files
 * has no place of its own; its entries do). Returns FALSE. */
gboolean fsim_i_fail_count (FsimConv *c, GError **error, const cJSON *arr, const FsimJPath *path,
                            int n, const char *what, int max, const char *hint);

/*
 * The independent parts of one entity (its keys, each value, each sub-entity, each name it
 * gives), each of which may fail on its own: every failure is reported, not only the first.
 * fsim_i_part() keeps the error of a part that failed at once (fsim_i_keep_error()), so that
 * the errors are reported in the order they are found, nested parts included.
 * fsim_i_parts_end() then fails with an error marked as caused (fsim_i_mark_caused()): the
 * GError contract holds (FALSE <=> @error set) and the caller keeps it as it keeps any error,
 * which drops it. A part whose input another part failed to read is not converted (it would
 * only repeat that failure): the caller tests the part's inputs.
 */
typedef struct {
    FsimConv *c;
    gboolean failed;
} FsimParts;

#define FSIM_PARTS_INIT(conv) ((FsimParts){ .c = (conv), .failed = FALSE })

/* @ok, or the part failed with *@local (stolen). Returns @ok. */
gboolean fsim_i_part (FsimParts *parts, gboolean ok, GError **local);
/* TRUE when no part failed; else FALSE with @error set to an error that is dropped when kept. */
gboolean fsim_i_parts_end (FsimParts *parts, GError **error);

/* @node must be an object whose keys are all in @allowed (NULL-terminated) and that has every
 * key in @required (NULL-terminated, may be NULL). Every unknown and every missing key is an
 * error (FsimParts); the other keys can be read all the same when @node is an object. */
gboolean fsim_i_check_object (FsimConv *c, const cJSON *node, const FsimJPath *path,
                              const char *const *allowed, const char *const *required,
                              GError **error);

const char *fsim_i_json_type_name (const cJSON *node);

/* loader-values.c: the array @obj[@key] (absent: NULL with *n = 0), checked for type and
 * size (at most @max entries). */
gboolean fsim_i_get_array (FsimConv *c, const cJSON *obj, const char *key, const FsimJPath *path,
                           int max, const cJSON **out, size_t *n, GError **error);

/* loader-ids.c: the entities' ids while converting. The index of top-level entity @e (merged
 * position @i) in the file its messages name; registering an id (a duplicate is an error), an
 * entity that failed keeping its id, looking one up (-1: none); the error for @id that names
 * no @what among @known (with the closest suggested), and the same for the name of an
 * entity, which may be one that failed to convert (fsim_i_unmatched_name()). */
int fsim_i_file_index (FsimConv *c, const cJSON *e, size_t i);
gboolean fsim_i_register_id (FsimConv *c, GHashTable *ix, const char *id, size_t index,
                             const cJSON *node, const FsimJPath *path, const char *what,
                             GError **error);
void fsim_i_register_failed (FsimConv *c, GHashTable *ix, const char *id, size_t index);
gssize fsim_i_lookup (GHashTable *ix, const char *id);
gboolean fsim_i_fail_unknown (FsimConv *c, GError **error, const cJSON *node, const FsimJPath *path,
                              const char *what, const char *id, const char *const *known, size_t n);
gboolean fsim_i_fail_unknown_name (FsimConv *c, GError **error, FsimIName name, const cJSON *node,
                                   const FsimJPath *path, const char *what, const char *id,
                                   const char *const *known, size_t n);

/* loader-partners.c: the partners of the merged @root (a stage of fsim_i_convert()). */
gboolean fsim_i_convert_partners (FsimConv *c, const cJSON *root, GError **error);

/* Typed getters of obj[key]. An absent key leaves *out unchanged and succeeds. */
gboolean fsim_i_get_string (FsimConv *c, const cJSON *obj, const char *key, const FsimJPath *path,
                            char **out, GError **error);
gboolean fsim_i_get_id (FsimConv *c, const cJSON *obj, const char *key, const FsimJPath *path,
                        char **out, GError **error);
gboolean fsim_i_get_bool (FsimConv *c, const cJSON *obj, const char *key, const FsimJPath *path,
                          gboolean *out, GError **error);
gboolean fsim_i_get_number (FsimConv *c, const cJSON *obj, const char *key, const FsimJPath *path,
                            double min, double max, double *out, GError **error);
gboolean fsim_i_get_integer (FsimConv *c, const cJSON *obj, const char *key, const FsimJPath *path,
                             guint64 min, guint64 max, guint64 *out, GError **error);
gboolean fsim_i_get_date (FsimConv *c, const cJSON *obj, const char *key, const FsimJPath *path,
                          FsimDay *out, GError **error);
/* Array of strings -> NULL-terminated vector (an absent key gives an empty vector when
 * @empty_if_absent). With @ids each element must be a valid id. */
gboolean fsim_i_get_strv (FsimConv *c, const cJSON *obj, const char *key, const FsimJPath *path,
                          gboolean ids, char ***out, GError **error);
/* The array obj[key] of sources (objects, or bare URL strings) -> @out (replaced). */
gboolean fsim_i_get_sources (FsimConv *c, const cJSON *obj, const char *key, const FsimJPath *path,
                             FsimSources *out, GError **error);
gboolean fsim_i_get_window (FsimConv *c, const cJSON *obj, const char *key, const FsimJPath *path,
                            FsimWindow *out, GError **error);
/* The array obj[key] of field patterns -> field bit set (each pattern must select a field). */
gboolean fsim_i_get_fields (FsimConv *c, const cJSON *obj, const char *key, const FsimJPath *path,
                            FsimWord **out, GError **error);
/* Checks a partner selector ("*", "kind:K", "tag:T", id or glob) selects some partner. */
gboolean fsim_i_check_partner_selector (FsimConv *c, const cJSON *node, const char *selector,
                                        gboolean at_key, const FsimJPath *path, GError **error);
/* Where @node was written, with the file name interned in the scenario. */
FsimLoc fsim_i_loc_of (FsimConv *c, const cJSON *node);
gboolean fsim_i_is_valid_id (const char *s);

/* loader-limits.c: the products of the counts (fields x destinations, rules x partners, ...)
 * against their limits; after the partners and rules are converted. */
gboolean fsim_i_check_model_size (FsimConv *c, const cJSON *root, GError **error);
/* ... and, before converting, the patterns times what they are matched against. */
gboolean fsim_i_check_model_work (FsimConv *c, const cJSON *root, GError **error);

/* loader-claims.c: the claims, with the alternative in force of each (after the model). */
gboolean fsim_i_convert_claims (FsimConv *c, const cJSON *root, GError **error);

/* loader-population.c: the population (a stage of fsim_i_convert()). Its parts that do not
 * depend on each other are converted whatever the others gave, and their errors kept
 * (fsim_i_keep_error); FALSE when any failed, with @error set only when the population could
 * not be read at all. */
gboolean fsim_i_convert_population (FsimConv *c, const cJSON *pop, GError **error);

/* loader-expect.c: the scenario's "expect" array (after fields, partners and population) */
gboolean fsim_i_convert_expect (FsimConv *c, const cJSON *root, GError **error);
/* loader-import.c: population.import at @path */
gboolean fsim_i_convert_import (FsimConv *c, const cJSON *imp, const FsimJPath *path,
                                GError **error);
/* ... the file name string @key of @obj resolved against the folder of the file @obj was written
 * in (the working directory for --set), into *@out (transfer full; untouched when absent). */
gboolean fsim_i_get_file_name (FsimConv *c, const cJSON *obj, const char *key, const FsimJPath *p,
                               char **out, GError **error);
