/* SPDX-License-Identifier: MIT */
/* test-util.c: helpers shared by the test programs. */
#include <stdarg.h>

#include <glib.h>

#include "test-util.h"

static char *
build_path_va (const char *root, const char *first, va_list ap)
{
    g_autoptr(GPtrArray) parts = g_ptr_array_new ();
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
