/* SPDX-License-Identifier: MIT */
/* test-util.h: helpers shared by the test programs. */
#pragma once

#include <glib.h>

#include "friends.h"
#include "population-slice.h"
#include "scenario.h"

/* UNDER_ASAN: this test program is built with AddressSanitizer (gcc or clang), whose runtime
 * must be preloaded first and whose quarantine keeps freed memory. */
#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

/* Absolute path of a file under tests/data (transfer full). */
char *fsim_test_data_path (const char *first, ...) G_GNUC_NULL_TERMINATED;

/* Absolute path of a file in the source tree, e.g. ("scenarios", "x.json", NULL). */
char *fsim_test_source_path (const char *first, ...) G_GNUC_NULL_TERMINATED;

/* Whether two friend lists are the same graph, byte for byte. */
gboolean fsim_test_friends_equal (const FsimFriends *a, const FsimFriends *b);

/* Loads the scenario @path with @sets (may be NULL), asserting that it loads (transfer full). */
FsimScenario *fsim_test_load (const char *path, const char *const *sets);

/* Asserts that the slice @got holds the same users, friend lists, settings and partner use as
 * @want (an MPI rank's part built or read by parts against the part of the whole). */
void fsim_test_assert_same_slice (const FsimPopulationSlice *got, const FsimPopulationSlice *want);
