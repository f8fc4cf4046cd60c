/* SPDX-License-Identifier: MIT */
/* test-determinism.c: the same command gives the same bytes on every run and thread count. */
#include <string.h>

#include <glib.h>

#include "run-util.h"
#include "test-util.h"

/*
 * Each command runs with FLOWSIM_THREADS=1, 2, 4 and 3, and again with 1: every output must be
 * byte-identical to the first. The bundled default scenario with 4000 users (facebook_like,
 * several thousand per engine block) and the tour scenario (explicit users) cover the generated
 * and explicit paths. The same comparison across builds (a plain one, one with ASan and UBSan,
 * valgrind) is .ci/run's `tests/cross-build.sh`.
 */
typedef struct {
    const char *name;
    const char *args[14]; /* SCENARIO / TOUR stand for the bundled files */
} Case;

static const Case cases[] = {
    { "run-json", { "run", "SCENARIO", "--set", "population.users=4000", "--format", "json" } },
    { "run-csv",
      { "run", "SCENARIO", "--set", "population.users=4000", "--set",
        "population.generator=erdos_renyi", "--format", "csv" } },
    { "run-text-tour", { "run", "TOUR" } },
    { "population",
      { "population", "SCENARIO", "--set", "population.users=4000", "--format", "json" } },
    { "explain",
      { "explain", "SCENARIO", "--set", "population.users=2000", "--user", "u17", "--format",
        "json" } },
    { "diff", { "diff", "TOUR", "--set", "date=2019-01-01", "--format", "json" } },
    { "timeline",
      { "timeline", "SCENARIO", "--set", "population.users=1000", "--from", "2012-01-01", "--to",
        "2019-01-01", "--format", "json" } },
    { "diagram", { "diagram", "SCENARIO", "--set", "population.users=2000", "--format", "dot" } },
    { "possible", { "possible", "TOUR", "--format", "json" } },
};

static void
test_case (gconstpointer data)
{
    const Case *c = data;
    g_autofree char *scenario =
        fsim_test_source_path ("scenarios", "device-partners-2018.json", NULL);
    g_autofree char *tour = fsim_test_source_path ("scenarios", "tour.json", NULL);
    const char *argv[G_N_ELEMENTS (c->args) + 1] = { NULL };
    static const char *const threads[] = { "1", "2", "4", "3", "1" };
    g_autofree char *first = NULL;

    /* under valgrind (50 times slower) fewer users and thread counts */
    gboolean slow = fsim_test_under_valgrind ();
    size_t n_threads = slow ? 2 : G_N_ELEMENTS (threads);
    static const char *const slow_threads[] = { "1", "4" };

    for (size_t i = 0; i < G_N_ELEMENTS (c->args) && c->args[i]; i++)
        argv[i] = strcmp (c->args[i], "SCENARIO") == 0 ? scenario
                  : strcmp (c->args[i], "TOUR") == 0   ? tour
                  : slow && g_str_has_prefix (c->args[i], "population.users=")
                      ? "population.users=300"
                      : c->args[i];
    for (size_t t = 0; t < n_threads; t++) {
        const char *n = slow ? slow_threads[t] : threads[t];
        g_autofree char *env = g_strconcat ("FLOWSIM_THREADS=", n, NULL);
        g_autoptr (FsimTestRun) r =
            fsim_test_run (NULL, (const char *const[]){ env, "LC_ALL=C", NULL }, argv);
        g_assert_cmpint (r->status, ==, 0);
        g_assert_cmpuint (r->out_len, >, 0);
        if (!first) {
            first = g_steal_pointer (&r->out);
            continue;
        }
        if (strcmp (first, r->out) != 0)
            g_error ("%s: the output with %s threads differs from the output with 1", c->name, n);
    }
}

/*
 * A German locale (decimal comma) compiled into a scratch LOCPATH with localedef, from the
 * sources of Debian's `locales` package (build.sh installs it). Returns the LOCPATH, or NULL
 * (the test is then skipped, saying why).
 */
static char *
german_locale (void)
{
    if (!g_file_test ("/usr/share/i18n/locales/de_DE", G_FILE_TEST_EXISTS))
        return NULL;
    g_autofree char *dir = fsim_test_scratch_new ();
    g_autofree char *out = g_build_filename (dir, "de_DE.UTF-8", NULL);
    const char *argv[] = { "localedef", "-i", "de_DE", "-f", "UTF-8", out, NULL };
    int status = 0;
    if (!g_spawn_sync (NULL, (char **) argv, NULL,
                       G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL |
                           G_SPAWN_STDERR_TO_DEV_NULL,
                       NULL, NULL, NULL, NULL, &status, NULL) ||
        !g_file_test (out, G_FILE_TEST_IS_DIR))
        return NULL;
    return g_steal_pointer (&dir);
}

/* Nothing depends on the locale: a decimal comma changes no byte, in any format. */
static void
test_locale (void)
{
    char *locpath = german_locale ();
    if (locpath == NULL) {
        g_test_skip ("no German locale could be compiled (install 'locales')");
        return;
    }
    g_autofree char *locpath_env = g_strconcat ("LOCPATH=", locpath, NULL);
    const char *const german[] = { locpath_env, "LC_ALL=de_DE.UTF-8", NULL };
    const char *const c_locale[] = { "LC_ALL=C.UTF-8", NULL };

    /* The locale is real: the shell's printf writes a decimal comma with it. */
    const char *printf_argv[] = { "/usr/bin/printf", "%.1f", "1.5", NULL };
    g_autofree char *comma = NULL;
    g_autofree char *locpath_arg = g_strdup (locpath_env);
    char *envp[] = { locpath_arg, (char *) "LC_ALL=de_DE.UTF-8", NULL };
    g_assert_true (g_spawn_sync (NULL, (char **) printf_argv, envp, G_SPAWN_STDERR_TO_DEV_NULL,
                                 NULL, NULL, &comma, NULL, NULL, NULL));
    g_assert_cmpstr (comma, ==, "1,5");

    g_autofree char *scenario =
        fsim_test_source_path ("scenarios", "device-partners-2018.json", NULL);
    g_autofree char *tour = fsim_test_source_path ("scenarios", "tour.json", NULL);
    const char *const *commands[] = {
        (const char *const[]){ "run", scenario, "--set", "population.users=2000", NULL },
        (const char *const[]){ "run", scenario, "--set", "population.users=2000", "--format",
                               "json", NULL },
        (const char *const[]){ "population", scenario, "--set", "population.users=2000", NULL },
        (const char *const[]){ "report", tour, "--output", "-", NULL },
        (const char *const[]){ "timeline", tour, "--from", "2010-01-01", "--to", "2019-01-01",
                               "--format", "svg", NULL },
    };
    for (size_t i = 0; i < G_N_ELEMENTS (commands); i++) {
        g_autoptr (FsimTestRun) c = fsim_test_run (NULL, c_locale, commands[i]);
        g_autoptr (FsimTestRun) de = fsim_test_run (NULL, german, commands[i]);
        g_test_message ("flowsim %s %s", commands[i][0], commands[i][1]);
        g_assert_cmpint (c->status, ==, 0);
        g_assert_cmpint (de->status, ==, 0);
        g_assert_cmpstr (c->out, ==, de->out);
    }
    fsim_test_scratch_free (locpath);
}

/* Messages write numbers as the user writes them in JSON and on the command line, with a decimal
 * point, in every locale (issue 11, seventh pass: "-0,5 is out of range", "needs about 25,1 GiB
 * ... (1,0 GiB)", "--timeout -0,5 is not ..." under a German locale). */
static void
test_locale_messages (void)
{
    char *locpath = german_locale ();
    if (locpath == NULL) {
        g_test_skip ("no German locale could be compiled (install 'locales')");
        return;
    }
    g_autofree char *locpath_env = g_strconcat ("LOCPATH=", locpath, NULL);
    const char *const german[] = { locpath_env, "LC_ALL=de_DE.UTF-8", "FLOWSIM_MEMORY_LIMIT=1G",
                                   NULL };
    g_autofree char *scenario =
        fsim_test_source_path ("scenarios", "device-partners-2018.json", NULL);
    static const struct {
        const char *args[4];
        const char *said;
    } said[] = {
        { { "--set", "population.mean_degree=-0.5" },
          "population.mean_degree: -0.5 is out of range (expected a number from 0 to 5000)" },
        { { "--set", "population.users=100000000" },
          "more than FLOWSIM_MEMORY_LIMIT allows (1.0 GiB)" },
        { { "--set", "population.settings.platform_off=0.5", "--set",
            "population.settings.audience.*.public=1.25" },
          "1.25 is out of range (expected a number from 0 to 1)" },
    };
    for (size_t i = 0; i < G_N_ELEMENTS (said); i++) {
        const char *argv[8] = { "population", scenario, "-q" };
        for (size_t a = 0; a < 4 && said[i].args[a]; a++)
            argv[3 + a] = said[i].args[a];
        g_autoptr (FsimTestRun) de = fsim_test_run (NULL, german, argv);
        g_assert_cmpint (de->status, ==, 3);
        fsim_assert_contains (de->err, said[i].said);
    }
    const char *serve[] = { "serve", "--timeout=-0.5", NULL };
    g_autoptr (FsimTestRun) de = fsim_test_run (NULL, german, serve);
    g_assert_cmpint (de->status, ==, 2);
    fsim_assert_contains (de->err,
                          "--timeout -0.5 is not a number of seconds more than 0 and at most "
                          "86400");
    fsim_test_scratch_free (locpath);
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    for (size_t i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autofree char *name = g_strconcat ("/determinism/threads/", cases[i].name, NULL);
        g_test_add_data_func (name, &cases[i], test_case);
    }
    g_test_add_func ("/determinism/locale", test_locale);
    g_test_add_func ("/determinism/locale-messages", test_locale_messages);
    return g_test_run ();
}
