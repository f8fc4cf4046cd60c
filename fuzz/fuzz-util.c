/* SPDX-License-Identifier: MIT */
/* fuzz-util.c: the scratch tree of seed files and the strict logging the fuzz targets share. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "fuzz-util.h"
#include "parallel.h"

static char *scratch; /* the tree's root */
static char *workdir; /* scratch/w */

void
fsim_fuzz_remove_tree (const char *path)
{
    GDir *dir = g_dir_open (path, 0, NULL);
    if (dir) {
        const char *name;
        while ((name = g_dir_read_name (dir)) != NULL) {
            g_autofree char *child = g_build_filename (path, name, NULL);
            if (g_file_test (child, G_FILE_TEST_IS_DIR) &&
                !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
                fsim_fuzz_remove_tree (child);
            else
                g_unlink (child);
        }
        g_dir_close (dir);
    }
    g_rmdir (path);
}

static void
cleanup (void)
{
    if (scratch)
        fsim_fuzz_remove_tree (scratch);
}

/* Copies the regular files of @from (recursively) into @to, keeping files already there. */
static void
copy_tree (const char *from, const char *to)
{
    GDir *dir = g_dir_open (from, 0, NULL);
    const char *name;
    if (!dir)
        return;
    g_mkdir_with_parents (to, 0700);
    while ((name = g_dir_read_name (dir)) != NULL) {
        g_autofree char *src = g_build_filename (from, name, NULL);
        g_autofree char *dst = g_build_filename (to, name, NULL);
        g_autofree char *text = NULL;
        gsize len = 0;
        if (g_file_test (src, G_FILE_TEST_IS_DIR)) {
            copy_tree (src, dst);
        } else if (!g_file_test (dst, G_FILE_TEST_EXISTS) &&
                   g_file_get_contents (src, &text, &len, NULL)) {
            g_file_set_contents (dst, text, (gssize) len, NULL);
        }
    }
    g_dir_close (dir);
}

static void
copy_source (const char *sub, const char *to)
{
    g_autofree char *src = g_build_filename (FSIM_SOURCE_DIR, sub, NULL);
    g_autofree char *dst = g_build_filename (scratch, to, NULL);
    copy_tree (src, dst);
}

void
fsim_fuzz_init (void)
{
    if (scratch)
        return;
    g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
    fsim_parallel_set_default_workers (1);
    scratch = g_dir_make_tmp ("flowsim-fuzz-XXXXXX", NULL);
    g_assert (scratch != NULL);
    atexit (cleanup);
    copy_source ("policies", "policies");
    copy_source ("scenarios", "scenarios");
    copy_source ("tests/data/errors", "w");
    copy_source ("tests/data/import", "w");
    copy_source ("tests/data/scale", "w");
    copy_source ("tests/data/errors", "errors"); /* for "../errors/model.json" */
    copy_source ("tests/data/loader", "loader");
    workdir = g_build_filename (scratch, "w", NULL);
    g_mkdir_with_parents (workdir, 0700);
}

const char *
fsim_fuzz_workdir (void)
{
    fsim_fuzz_init ();
    return workdir;
}

char *
fsim_fuzz_write (const char *name, const uint8_t *data, size_t size)
{
    char *path = g_build_filename (fsim_fuzz_workdir (), name, NULL);
    g_autoptr (GError) error = NULL;
    /* no fsync: this runs once per input */
    if (!g_file_set_contents_full (path, (const char *) data, (gssize) size,
                                   G_FILE_SET_CONTENTS_NONE, 0600, &error))
        g_error ("fuzz harness: %s", error->message);
    return path;
}

char *
fsim_fuzz_text (const uint8_t *data, size_t size)
{
    if (memchr (data, '\0', size))
        return NULL;
    return g_strndup ((const char *) data, size);
}

void
fsim_fuzz_check_error (gboolean ok, const GError *error, GQuark domain)
{
    if (ok) {
        g_assert (error == NULL);
        return;
    }
    g_assert (error != NULL);
    if (error->domain != domain)
        g_error ("error from an unexpected domain %s: %s", g_quark_to_string (error->domain),
                 error->message);
    g_assert (error->message[0] != '\0');
    g_assert (g_utf8_validate (error->message, -1, NULL));
}

void
fsim_fuzz_check_friends (const FsimFriends *f)
{
    g_assert (f != NULL);
    g_assert (f->offsets != NULL);
    g_assert_cmpuint (f->offsets[0], ==, 0);
    g_assert_cmpuint (f->offsets[f->n_users], ==, 2 * f->n_edges);
    for (size_t u = 0; u < f->n_users; u++) {
        g_assert_cmpuint (f->offsets[u], <=, f->offsets[u + 1]);
        for (size_t i = f->offsets[u]; i < f->offsets[u + 1]; i++) {
            uint32_t v = f->adj[i];
            g_assert_cmpuint (v, <, f->n_users);
            g_assert_cmpuint (v, !=, u);
            if (i > f->offsets[u])
                g_assert_cmpuint (f->adj[i - 1], <, v);
            g_assert (fsim_friends_has (f, v, (uint32_t) u));
        }
    }
}

void
fsim_fuzz_check_attrs (const FsimAttrTable *t, size_t n_users)
{
    g_assert_cmpuint (t->n_users, ==, n_users);
    for (size_t i = 0; i < t->n_attrs; i++) {
        const FsimAttr *a = &t->attrs[i];
        g_assert (a->name != NULL);
        g_assert (fsim_attr_table_lookup (t, a->name) != NULL);
        for (size_t u = 0; u < n_users; u++) {
            if (a->type == FSIM_ATTR_STRING)
                g_assert (a->strings[u] != NULL);
            else if (a->type == FSIM_ATTR_BOOLEAN)
                g_assert (a->numbers[u] == 0.0 || a->numbers[u] == 1.0);
            else
                (void) a->numbers[u]; /* readable: ASan checks the bound */
        }
    }
}
