/* SPDX-License-Identifier: MIT */
/* fuzz-util.h: what the libFuzzer targets share: a scratch tree of seed files, strict logging. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#include "friends.h"
#include "import.h"

/*
 * fsim_fuzz_init:
 * Once per process: makes every GLib warning and critical fatal (a g_return_if_fail that fires
 * on some input is a bug the fuzzer should report), sets FLOWSIM_THREADS=1, and builds a scratch
 * tree under $TMPDIR (removed at exit):
 *   policies/   the bundled policies          scenarios/  the bundled scenarios
 *   w/          tests/data/errors (with parts/), tests/data/import and tests/data/scale: the
 *               files that include, extends and population.import of a fuzzed scenario name
 *   errors/     tests/data/errors again, for "../errors/model.json"
 *   loader/     tests/data/loader
 * A fuzzed scenario is named w/input.json, so "include": ["model.json"] and
 * "../policies/fields.json" resolve as they do in the seeds.
 */
void fsim_fuzz_init (void);

/* Removes @path and everything below it (symbolic links, not what they point at). The tests'
 * scratch directories use it too. */
void fsim_fuzz_remove_tree (const char *path);

/* The scratch directory w/ (owned, valid for the process). */
const char *fsim_fuzz_workdir (void);

/* Writes @data to w/@name (replacing it) and returns its path (transfer full). Aborts if the
 * file cannot be written: that is the harness failing, not the code under test. */
char *fsim_fuzz_write (const char *name, const uint8_t *data, size_t size);

/* @data as a NUL-terminated string (transfer full); NULL if it holds a NUL byte. */
char *fsim_fuzz_text (const uint8_t *data, size_t size);

/* Checks the contract of a fallible call: @ok xor @error; an error is in @domain, with a
 * non-empty UTF-8 message. Aborts (a finding) otherwise. */
void fsim_fuzz_check_error (gboolean ok, const GError *error, GQuark domain);

/* libFuzzer's entry points (fuzz-main.c), declared for -Wmissing-prototypes. */
int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* Checks the invariants of friend lists (friends.h): offsets ascending, neighbours sorted,
 * in range, no self-loop, no repeat, symmetric, n_edges right. Aborts otherwise. The tests of
 * graph/ use it too. */
void fsim_fuzz_check_friends (const FsimFriends *f);

/* Checks an attribute table has @n_users values per attribute, of its type. */
void fsim_fuzz_check_attrs (const FsimAttrTable *t, size_t n_users);
