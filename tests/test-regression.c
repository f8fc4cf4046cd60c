/* SPDX-License-Identifier: MIT */
/* test-regression.c: each input kept in tests/data/regression/TARGET/ goes through its target. */
#include <string.h>

#include <glib.h>

#include "fuzz-targets.h"
#include "fuzz-util.h"
#include "test-util.h"

/*
 * Each file under tests/data/regression/TARGET/ is an input that once crashed, hung, leaked or
 * broke a check (docs/robustness.md says what each was). It runs through the same function the
 * fuzzer TARGET calls (fuzz/fuzz-targets.h), so this test fails, or ASan / valgrind report,
 * if the bug comes back. A README or *.md file in those folders is documentation, not input.
 */
static const char *const targets[] = { "scenario", "set", "run", "edgelist", "graphml", "gml" };

static int
compare_names (gconstpointer a, gconstpointer b)
{
    return strcmp (*(char *const *) a, *(char *const *) b);
}

static void
run_one (gconstpointer data)
{
    const char *path = data;
    g_autofree char *dir = g_path_get_dirname (path);
    g_autofree char *name = g_path_get_basename (dir);
    FsimFuzzTarget fn = fsim_fuzz_target (name);
    g_autofree char *contents = NULL;
    gsize len = 0;
    g_autoptr (GError) error = NULL;

    g_assert_nonnull (fn);
    g_assert_true (g_file_get_contents (path, &contents, &len, &error));
    g_assert_no_error (error);
    fn ((const guint8 *) contents, len);
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    fsim_fuzz_init ();
    for (size_t t = 0; t < G_N_ELEMENTS (targets); t++) {
        g_autofree char *dir = fsim_test_data_path ("regression", targets[t], NULL);
        g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
        if (!d)
            continue;
        g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
        const char *name;
        while ((name = g_dir_read_name (d)) != NULL)
            if (!g_str_has_suffix (name, ".md") && strcmp (name, "README") != 0)
                g_ptr_array_add (names, g_strdup (name));
        g_ptr_array_sort (names, compare_names);
        for (guint i = 0; i < names->len; i++) {
            g_autofree char *test =
                g_strdup_printf ("/regression/%s/%s", targets[t], (char *) names->pdata[i]);
            char *path = g_build_filename (dir, names->pdata[i], NULL);
            g_test_add_data_func_full (test, path, run_one, g_free);
        }
    }
    return g_test_run ();
}
