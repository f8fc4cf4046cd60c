/* SPDX-License-Identifier: MIT */
/* test-lessons.c: every command of the lessons and the teaching kit runs and shows what the text
 * promises, and every lesson has its four parts. */
#include <string.h>
#include <sys/wait.h>

#include <glib.h>

#include "test-util.h"

/*
 * docs/lessons.md is for a class: each "## Lesson" section has a question, the exact commands
 * (in ```sh blocks), what to look at and the point it makes. Every line of a ```sh block is
 * either a comment (#...) or a flowsim command, possibly continued with a trailing backslash;
 * each command runs here against the built binary ($FLOWSIM) from the source tree, and must
 * succeed and print a report. Nothing in a ```sh block goes untested. The same holds for the
 * teaching kit (docs/teaching/worksheet.md and answer-key.md).
 *
 * A lesson's claim must stay true, not only its commands: comment lines right after a command
 * state what its output shows, and each is checked here:
 *   # expect: TEXT                       the output contains TEXT
 *   # expect-not: TEXT                   it does not
 *   # expect-number: REGEX in LO..HI     REGEX (multi-line, against the output) matches and its
 *                                        first group, a number with or without thousands
 *                                        commas, is within [LO, HI]
 *   # expect-ratio: REGEX / REGEX in LO..HI   the ratio of two such numbers is within [LO, HI]
 * Every command of the answer key has at least one: its answers are what the suite checks.
 */

typedef struct {
    const char *file;   /* relative to the source root (static) */
    char *lesson;       /* the lesson's heading */
    char *command;      /* as written, continuation lines joined */
    int line;           /* where it starts in the file */
    GPtrArray *expects; /* of char *: "FILE:LINE\texpect...", the lines that follow it */
} Command;

static GPtrArray *commands; /* of Command */
static char *lessons_text;

static void
command_free (gpointer data)
{
    Command *c = data;
    g_free (c->lesson);
    g_free (c->command);
    g_ptr_array_unref (c->expects);
    g_free (c);
}

static char *
read_doc (const char *file)
{
    g_autofree char *path = fsim_test_source_path (file, NULL);
    g_autoptr (GError) error = NULL;
    char *text = NULL;
    if (!g_file_get_contents (path, &text, NULL, &error))
        g_error ("%s", error->message);
    return text;
}

/* The command already collected that runs the same argv as @command, or NULL. */
static Command *
find_same (const char *command)
{
    g_auto (GStrv) argv = NULL;
    g_assert_true (g_shell_parse_argv (command, NULL, &argv, NULL));
    for (guint i = 0; i < commands->len; i++) {
        Command *c = g_ptr_array_index (commands, i);
        g_auto (GStrv) other = NULL;
        g_assert_true (g_shell_parse_argv (c->command, NULL, &other, NULL));
        if (g_strv_equal ((const char *const *) argv, (const char *const *) other))
            return c;
    }
    return NULL;
}

/*
 * Collects the commands of every ```sh block of @file; fails on a line that is not one. A
 * command written again (the worksheet repeats the lessons' commands) runs once, with the
 * expectations of every place it appears. In the answer key every command has expectations.
 */
static void
collect_commands (const char *file, const char *text)
{
    Command *last = NULL;  /* the previous command of the current block */
    int last_line = 0;     /* where it was written here */
    size_t last_added = 0; /* expectations written under it here */
    gboolean key = g_str_has_suffix (file, "answer-key.md");
    g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
    gboolean in_sh = FALSE;
    const char *lesson = "(before the first lesson)";
    g_autoptr (GString) pending = NULL;
    int start = 0;
    for (int i = 0; lines[i]; i++) {
        const char *l = lines[i];
        if (!in_sh && g_str_has_prefix (l, "## "))
            lesson = l + 3;
        g_autofree char *t = g_strstrip (g_strdup (l));
        gboolean expect = in_sh && pending == NULL && g_str_has_prefix (t, "# expect");
        gboolean ends_command = g_str_has_prefix (l, "```") ||
                                (in_sh && pending == NULL && g_str_has_prefix (t, "flowsim "));
        if (key && last && ends_command && last_added == 0)
            g_error ("%s:%d: an answer-key command without '# expect' lines", file, last_line);
        if (g_str_has_prefix (l, "```")) {
            in_sh = !in_sh && strcmp (l, "```sh") == 0;
            g_assert_null (pending);
            last = NULL;
            continue;
        }
        if (!in_sh)
            continue;
        if (expect) {
            if (last == NULL)
                g_error ("%s:%d: an expectation before any command: %s", file, i + 1, t);
            g_ptr_array_add (last->expects, g_strdup_printf ("%s:%d\t%s", file, i + 1, t + 2));
            last_added++;
            continue;
        }
        if (pending == NULL && (*t == '\0' || *t == '#'))
            continue;
        if (pending == NULL) {
            if (!g_str_has_prefix (t, "flowsim "))
                g_error ("%s:%d: a ```sh line that is not a flowsim command: %s", file, i + 1, t);
            pending = g_string_new (NULL);
            start = i + 1;
        }
        gboolean more = g_str_has_suffix (t, "\\");
        if (more)
            t[strlen (t) - 1] = ' ';
        g_string_append (pending, t);
        if (!more) {
            g_autofree char *command = g_string_free (g_steal_pointer (&pending), FALSE);
            Command *c = find_same (command);
            if (c == NULL) {
                c = g_new0 (Command, 1);
                c->file = file;
                c->lesson = g_strdup (lesson);
                c->command = g_steal_pointer (&command);
                c->line = start;
                c->expects = g_ptr_array_new_with_free_func (g_free);
                g_ptr_array_add (commands, c);
            }
            last = c;
            last_line = start;
            last_added = 0;
        }
    }
    g_assert_false (in_sh);
    g_assert_null (pending);
}

/* The number REGEX's first group matches in @out (thousands commas dropped); fails if none. */
static double
number_in (const char *out, const char *regex, const char *where)
{
    g_autoptr (GError) error = NULL;
    g_autoptr (GRegex) re = g_regex_new (regex, G_REGEX_MULTILINE, 0, &error);
    if (!re)
        g_error ("%s: bad expression '%s': %s", where, regex, error->message);
    g_autoptr (GMatchInfo) m = NULL;
    if (!g_regex_match (re, out, 0, &m))
        g_error ("%s: the output has nothing matching '%s'", where, regex);
    g_autofree char *text = g_match_info_fetch (m, 1);
    if (!text || !*text)
        g_error ("%s: '%s' captured no number", where, regex);
    g_autoptr (GString) digits = g_string_new (NULL);
    for (const char *c = text; *c; c++)
        if (*c != ',')
            g_string_append_c (digits, *c);
    char *end = NULL;
    double v = g_ascii_strtod (digits->str, &end);
    if (end == digits->str || *end != '\0')
        g_error ("%s: '%s' captured '%s', not a number", where, regex, text);
    return v;
}

/* "REST in LO..HI": splits off the range. */
static char *
split_range (const char *spec, double *lo, double *hi, const char *where)
{
    const char *in = g_strrstr (spec, " in ");
    g_auto (GStrv) ends = in ? g_strsplit (in + 4, "..", 2) : NULL;
    if (!in || !ends[0] || !ends[1])
        g_error ("%s: '%s' has no ' in LO..HI'", where, spec);
    *lo = g_ascii_strtod (ends[0], NULL);
    *hi = g_ascii_strtod (ends[1], NULL);
    return g_strndup (spec, (size_t) (in - spec));
}

/* Checks one "expect..." line (without its '# ') against a command's output. */
static void
check_expectation (const char *out, const char *e, const char *where)
{
    double lo = 0, hi = 0, v = 0;
    g_test_message ("%s: %s", where, e);
    if (g_str_has_prefix (e, "expect: ")) {
        if (!strstr (out, e + 8))
            g_error ("%s: the output lacks '%s'", where, e + 8);
        return;
    }
    if (g_str_has_prefix (e, "expect-not: ")) {
        if (strstr (out, e + 12))
            g_error ("%s: the output has '%s'", where, e + 12);
        return;
    }
    if (g_str_has_prefix (e, "expect-number: ")) {
        g_autofree char *re = split_range (e + 15, &lo, &hi, where);
        v = number_in (out, re, where);
    } else if (g_str_has_prefix (e, "expect-ratio: ")) {
        g_autofree char *both = split_range (e + 14, &lo, &hi, where);
        g_auto (GStrv) res = g_strsplit (both, " / ", 2);
        if (!res[0] || !res[1])
            g_error ("%s: '%s' is not 'REGEX / REGEX'", where, both);
        double den = number_in (out, res[1], where);
        g_assert_cmpfloat (den, >, 0);
        v = number_in (out, res[0], where) / den;
    } else {
        g_error ("%s: unknown expectation '%s'", where, e);
    }
    if (v < lo || v > hi)
        g_error ("%s: %s gives %g, outside %g..%g", where, e, v, lo, hi);
}

/* The checker itself: it accepts what the output shows and fails (in a subprocess) on what it
 * does not, so that a lesson whose claim stops being true fails the build. */
static void
test_lessons_expectations (void)
{
    static const char out[] = "  quiz-app (Quiz)  app  6,091  5,991\n  installers  29\n";
    check_expectation (out, "expect: quiz-app", "self-test");
    check_expectation (out, "expect-not: huawei", "self-test");
    check_expectation (out, "expect-number: quiz-app.* ([0-9,]+)$ in 5000..6000", "self-test");
    check_expectation (
        out, "expect-ratio: quiz-app.* ([0-9,]+)$ / installers +([0-9]+) in 200..210", "self-test");
    if (g_test_subprocess ()) {
        check_expectation (out, g_getenv ("LESSON_EXPECT"), "self-test");
        return;
    }
    static const char *const wrong[] = {
        "expect: huawei",
        "expect-not: quiz-app",
        "expect-number: quiz-app.* ([0-9,]+)$ in 6000..7000",
        "expect-number: nowhere ([0-9]+) in 0..1",
    };
    for (size_t i = 0; i < G_N_ELEMENTS (wrong); i++) {
        g_setenv ("LESSON_EXPECT", wrong[i], TRUE);
        g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
        g_test_trap_assert_failed ();
    }
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
    g_test_message ("%s:%d (%s): %s", c->file, c->line, c->lesson, c->command);
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
    for (guint i = 0; i < c->expects->len; i++) {
        g_auto (GStrv) parts = g_strsplit (g_ptr_array_index (c->expects, i), "\t", 2);
        check_expectation (out, parts[1], parts[0]);
    }
}

int
main (int argc, char *argv[])
{
    static const char *const docs[] = { "docs/lessons.md", "docs/teaching/worksheet.md",
                                        "docs/teaching/answer-key.md" };
    g_autofree char *texts[G_N_ELEMENTS (docs)] = { NULL };
    g_test_init (&argc, &argv, NULL);
    commands = g_ptr_array_new_with_free_func (command_free);
    for (size_t d = 0; d < G_N_ELEMENTS (docs); d++) {
        texts[d] = read_doc (docs[d]);
        collect_commands (docs[d], texts[d]);
    }
    lessons_text = texts[0];
    g_test_add_func ("/lessons/structure", test_lessons_structure);
    g_test_add_func ("/lessons/expectations", test_lessons_expectations);
    for (guint i = 0; i < commands->len; i++) {
        const Command *c = g_ptr_array_index (commands, i);
        g_autofree char *base = g_path_get_basename (c->file);
        *strrchr (base, '.') = '\0';
        g_autofree char *path = g_strdup_printf ("/lessons/command/%s/line-%d", base, c->line);
        g_test_add_data_func (path, c, test_lessons_command);
    }
    int rc = g_test_run ();
    g_ptr_array_unref (commands);
    for (size_t d = 0; d < G_N_ELEMENTS (docs); d++)
        g_free (g_steal_pointer (&texts[d]));
    return rc;
}
