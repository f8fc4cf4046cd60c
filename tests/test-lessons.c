/* SPDX-License-Identifier: MIT */
/* test-lessons.c: every command in docs/lessons.md runs, and every lesson has its four parts. */
#include <string.h>
#include <sys/wait.h>

#include <glib.h>

#include "test-util.h"

/*
 * docs/lessons.md is for a class: each "## Lesson" section has a question, the exact commands
 * (in ```sh blocks), what to look at and the point it makes. Every line of a ```sh block is
 * either a comment (#...) or a flowsim command, possibly continued with a trailing backslash;
 * each command runs here against the built binary ($FLOWSIM) from the source tree, and must
 * succeed and print a report. Nothing in a ```sh block goes untested.
 */

typedef struct {
    char *lesson;  /* the lesson's heading */
    char *command; /* as written, continuation lines joined */
    int line;      /* where it starts in docs/lessons.md */
} Command;

static GPtrArray *commands; /* of Command */
static char *lessons_text;

static void
command_free (gpointer data)
{
    Command *c = data;
    g_free (c->lesson);
    g_free (c->command);
    g_free (c);
}

static char *
read_lessons (void)
{
    g_autofree char *path = fsim_test_source_path ("docs", "lessons.md", NULL);
    g_autoptr (GError) error = NULL;
    char *text = NULL;
    if (!g_file_get_contents (path, &text, NULL, &error))
        g_error ("%s", error->message);
    return text;
}

/* Collects the commands of every ```sh block; fails on a line that is not one. */
static void
collect_commands (const char *text)
{
    g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
    gboolean in_sh = FALSE;
    const char *lesson = "(before the first lesson)";
    g_autoptr (GString) pending = NULL;
    int start = 0;
    for (int i = 0; lines[i]; i++) {
        const char *l = lines[i];
        if (!in_sh && g_str_has_prefix (l, "## "))
            lesson = l + 3;
        if (g_str_has_prefix (l, "```")) {
            in_sh = !in_sh && strcmp (l, "```sh") == 0;
            g_assert_null (pending);
            continue;
        }
        if (!in_sh)
            continue;
        g_autofree char *t = g_strstrip (g_strdup (l));
        if (pending == NULL && (*t == '\0' || *t == '#'))
            continue;
        if (pending == NULL) {
            if (!g_str_has_prefix (t, "flowsim "))
                g_error ("docs/lessons.md:%d: a ```sh line that is not a flowsim command: %s",
                         i + 1, t);
            pending = g_string_new (NULL);
            start = i + 1;
        }
        gboolean more = g_str_has_suffix (t, "\\");
        if (more)
            t[strlen (t) - 1] = ' ';
        g_string_append (pending, t);
        if (!more) {
            Command *c = g_new0 (Command, 1);
            c->lesson = g_strdup (lesson);
            c->command = g_string_free (g_steal_pointer (&pending), FALSE);
            c->line = start;
            g_ptr_array_add (commands, c);
        }
    }
    g_assert_false (in_sh);
    g_assert_null (pending);
}

static void
test_lessons_structure (void)
{
    g_auto (GStrv) sections = g_strsplit (lessons_text, "\n## ", -1);
    size_t n = 0;
    for (size_t i = 1; sections[i]; i++) {
        if (!g_str_has_prefix (sections[i], "Lesson"))
            continue;
        g_test_message ("%.60s", sections[i]);
        static const char *const parts[] = { "**Question.**", "**Commands.**",
                                             "**What to look at.**", "**The point.**" };
        for (size_t k = 0; k < G_N_ELEMENTS (parts); k++)
            g_assert_nonnull (strstr (sections[i], parts[k]));
        g_assert_nonnull (strstr (sections[i], "```sh\nflowsim "));
        n++;
    }
    g_assert_cmpuint (n, >=, 6);
    g_assert_cmpuint (commands->len, >=, n);
}

static void
test_lessons_command (gconstpointer data)
{
    const Command *c = data;
    const char *flowsim = g_getenv ("FLOWSIM");
    g_assert_nonnull (flowsim);
    g_autoptr (GError) error = NULL;
    g_auto (GStrv) argv = NULL;
    g_test_message ("docs/lessons.md:%d (%s): %s", c->line, c->lesson, c->command);
    g_assert_true (g_shell_parse_argv (c->command, NULL, &argv, &error));
    g_assert_no_error (error);
    g_free (argv[0]);
    argv[0] = g_strdup (flowsim);
    g_autofree char *root = fsim_test_source_path (".", NULL);
    g_autofree char *out = NULL, *err = NULL;
    int status = 0;
    g_assert_true (
        g_spawn_sync (root, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error));
    g_assert_no_error (error);
    int code = WIFEXITED (status) ? WEXITSTATUS (status) : -1;
    if (code != 0)
        g_test_message ("exit status %d, stderr: %s", code, err);
    g_assert_cmpint (code, ==, 0);
    g_assert_cmpuint (strlen (out), >, 100);
}

int
main (int argc, char *argv[])
{
    g_test_init (&argc, &argv, NULL);
    lessons_text = read_lessons ();
    commands = g_ptr_array_new_with_free_func (command_free);
    collect_commands (lessons_text);
    g_test_add_func ("/lessons/structure", test_lessons_structure);
    for (guint i = 0; i < commands->len; i++) {
        const Command *c = g_ptr_array_index (commands, i);
        g_autofree char *path = g_strdup_printf ("/lessons/command/line-%d", c->line);
        g_test_add_data_func (path, c, test_lessons_command);
    }
    int rc = g_test_run ();
    g_ptr_array_unref (commands);
    g_free (lessons_text);
    return rc;
}
