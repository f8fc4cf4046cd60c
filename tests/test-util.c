/* SPDX-License-Identifier: MIT */
/* test-util.c: helpers shared by the test programs. */
#include <stdarg.h>
#include <string.h>

#include <glib.h>

#include "loader.h"
#include "test-util.h"

static char *
build_path_va (const char *root, const char *first, va_list ap)
{
    g_autoptr (GPtrArray) parts = g_ptr_array_new ();
    g_ptr_array_add (parts, (gpointer) root);
    for (const char *p = first; p; p = va_arg (ap, const char *))
        g_ptr_array_add (parts, (gpointer) p);
    g_ptr_array_add (parts, NULL);
    return g_build_filenamev ((char **) parts->pdata);
}

char *
fsim_test_data_path (const char *first, ...)
{
    g_autofree char *root = g_test_build_filename (G_TEST_DIST, "data", NULL);
    va_list ap;
    va_start (ap, first);
    char *path = build_path_va (root, first, ap);
    va_end (ap);
    return path;
}

char *
fsim_test_source_path (const char *first, ...)
{
    const char *root = g_getenv ("FLOWSIM_SOURCE_DIR");
    g_assert_nonnull (root);
    va_list ap;
    va_start (ap, first);
    char *path = build_path_va (root, first, ap);
    va_end (ap);
    return path;
}

gboolean
fsim_test_friends_equal (const FsimFriends *a, const FsimFriends *b)
{
    return a->n_users == b->n_users && a->n_edges == b->n_edges &&
           memcmp (a->offsets, b->offsets, (a->n_users + 1) * sizeof *a->offsets) == 0 &&
           memcmp (a->adj, b->adj, 2 * a->n_edges * sizeof *a->adj) == 0;
}

FsimScenario *
fsim_test_load (const char *path, const char *const *sets)
{
    g_autoptr (GError) error = NULL;
    FsimScenario *s = fsim_loader_load (path, sets, &error);
    g_assert_no_error (error);
    g_assert_nonnull (s);
    return s;
}

void
fsim_test_assert_same_slice (const FsimPopulationSlice *got, const FsimPopulationSlice *want)
{
    size_t n = want->n_own, fw = want->field_words * 8, pw = want->partner_words * 8;

    g_assert_cmpuint (got->n_total, ==, want->n_total);
    g_assert_cmpuint (got->first, ==, want->first);
    g_assert_cmpuint (got->n_own, ==, n);
    g_assert_cmpmem (got->offsets, (n + 1) * sizeof (size_t), want->offsets,
                     (n + 1) * sizeof (size_t));
    g_assert_cmpmem (got->adj, got->offsets[n] * 4, want->adj, want->offsets[n] * 4);
    g_assert_cmpmem (got->platform, n, want->platform, n);
    g_assert_cmpmem (got->apps_others, n * fw, want->apps_others, n * fw);
    g_assert_cmpmem (got->audience, n * got->n_fields, want->audience, n * want->n_fields);
    g_assert_cmpmem (got->uses, n * pw, want->uses, n * pw);
}
