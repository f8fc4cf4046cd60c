/* SPDX-License-Identifier: MIT */
/* test-output-file.c: what --output and --export do to the file they write (sim/output.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "run-util.h"
#include "test-util.h"

#define NOBODY 65534

/* The scenario, copied into @dir so that any user can read it. */
static char *
scenario_in (const char *dir)
{
    g_autofree char *src = fsim_test_data_path ("output", "benign.json", NULL);
    g_autofree char *text = NULL;
    gsize len = 0;
    g_assert_true (g_file_get_contents (src, &text, &len, NULL));
    char *path = fsim_test_write (dir, "scenario.json", text, (gssize) len);
    g_assert_cmpint (g_chmod (path, 0644), ==, 0);
    return path;
}

static char *
read_text (const char *path)
{
    char *text = NULL;
    g_autoptr (GError) error = NULL;
    g_file_get_contents (path, &text, NULL, &error);
    g_assert_no_error (error);
    return text;
}

/* The report `flowsim run` prints for @scenario. */
static char *
expected_report (const char *scenario)
{
    g_autoptr (FsimTestRun) r = FSIM_RUN ("run", scenario);
    g_assert_cmpint (r->status, ==, 0);
    g_assert_cmpuint (r->out_len, >, 100);
    return g_strdup (r->out);
}

/* ---- regular files ------------------------------------------------------------------------- */

/* A 0600 file stays 0600 (it was made 0644, world-readable, before). */
static void
test_mode_kept (void)
{
    g_autofree char *dir = fsim_test_scratch_new ();
    g_autofree char *scenario = scenario_in (dir);
    g_autofree char *want = expected_report (scenario);
    g_autofree char *out = fsim_test_write (dir, "secret.txt", "old", -1);
    struct stat st;

    g_assert_cmpint (g_chmod (out, 0600), ==, 0);
    g_autoptr (FsimTestRun) r = FSIM_RUN ("run", scenario, "-o", out);
    g_assert_cmpint (r->status, ==, 0);
    g_assert_cmpint (g_stat (out, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 07777, ==, 0600);
    g_autofree char *got = read_text (out);
    g_assert_cmpstr (got, ==, want);
    g_autofree char *names = fsim_test_dir_listing (dir);
    g_assert_cmpstr (names, ==, "scenario.json secret.txt");
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

/* strace's trace of `flowsim run SCENARIO -o OUT` in @dir (its calls on @dir's files), with
 * @inject (strace's -e inject=..., or NULL). NULL when the run could not be traced. */
static char *
strace_run (const char *strace, const char *dir, const char *scenario, const char *out,
            const char *inject)
{
    g_autofree char *log = g_build_filename (dir, "strace.log", NULL);
    const char *argv[] = { strace,
                           "-qq",
                           "-o",
                           log,
                           "-e",
                           "trace=openat",
                           "-P",
                           dir,
                           "-e",
                           inject ? inject : "trace=openat",
                           g_getenv ("FLOWSIM"),
                           "run",
                           scenario,
                           "-o",
                           out,
                           NULL };
    int status = -1;
    char *text = NULL;
    g_spawn_sync (NULL, (char **) argv, NULL,
                  G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL,
                  &status, NULL);
    if (!g_spawn_check_wait_status (status, NULL) || !g_file_get_contents (log, &text, NULL, NULL))
        return NULL;
    g_unlink (log);
    return text;
}

/* Where the file system has no O_TMPFILE, the temporary file that replaces a 0600 file is made
 * 0600, not 0666 less the umask (issue 11, seventh pass): between its creation and its fchmod()
 * another user could open it, and read the new contents through that descriptor. strace makes
 * the O_TMPFILE open fail (EOPNOTSUPP, as NFS does). */
static void
test_mode_kept_named (void)
{
    g_autofree char *strace = g_find_program_in_path ("strace");
    if (strace == NULL) {
        g_test_skip ("needs strace");
        return;
    }
    g_autofree char *dir = fsim_test_scratch_new ();
    g_autofree char *scenario = scenario_in (dir);
    g_autofree char *want = expected_report (scenario);
    g_autofree char *out = fsim_test_write (dir, "secret.txt", "old", -1);
    g_assert_cmpint (g_chmod (out, 0600), ==, 0);
    g_autofree char *plain = strace_run (strace, dir, scenario, out, NULL);
    if (plain == NULL) {
        g_test_skip ("strace cannot trace here");
        return;
    }
    /* which of the traced opens is the O_TMPFILE one */
    g_auto (GStrv) lines = g_strsplit (plain, "\n", -1);
    int which = 0;
    for (int i = 0; lines[i] != NULL && which == 0; i++)
        if (strstr (lines[i], "O_TMPFILE") != NULL)
            which = i + 1;
    g_assert_cmpint (which, >, 0);
    g_autofree char *inject = g_strdup_printf ("inject=openat:error=EOPNOTSUPP:when=%d", which);
    g_autofree char *trace = strace_run (strace, dir, scenario, out, inject);
    g_assert_nonnull (trace);
    g_test_message ("%s", trace);
    const char *named = strstr (trace, "O_CREAT|O_EXCL");
    g_assert_nonnull (named);
    g_assert_true (g_str_has_prefix (strchr (named, ')') - 6, ", 0600)"));
    struct stat st;
    g_assert_cmpint (g_stat (out, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 07777, ==, 0600);
    g_autofree char *got = read_text (out);
    g_assert_cmpstr (got, ==, want);
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

/* Replaced by root, a file keeps its owner and group. */
static void
test_owner_kept (void)
{
    if (geteuid () != 0) {
        g_test_skip ("only root can give a file to another user");
        return;
    }
    g_autofree char *dir = fsim_test_scratch_new ();
    g_autofree char *scenario = scenario_in (dir);
    g_autofree char *out = fsim_test_write (dir, "theirs.txt", "old", -1);
    struct stat st;

    g_assert_cmpint (chown (out, NOBODY, NOBODY), ==, 0);
    g_assert_cmpint (g_chmod (out, 0640), ==, 0);
    g_autoptr (FsimTestRun) r = FSIM_RUN ("run", scenario, "-o", out);
    g_assert_cmpint (r->status, ==, 0);
    g_assert_cmpint (g_stat (out, &st), ==, 0);
    g_assert_cmpuint (st.st_uid, ==, NOBODY);
    g_assert_cmpuint (st.st_gid, ==, NOBODY);
    g_assert_cmpint (st.st_mode & 07777, ==, 0640);
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

static void
become_nobody (gpointer data)
{
    (void) data;
    if (setgroups (0, NULL) != 0 || setgid (NOBODY) != 0 || setuid (NOBODY) != 0)
        _exit (125);
}

/* Runs flowsim with @args as the user 'nobody' when this test runs as root, else as this user. */
static FsimTestRun *
run_unprivileged (const char *const *args)
{
    g_autoptr (GPtrArray) argv = g_ptr_array_new ();
    FsimTestRun *r = g_new0 (FsimTestRun, 1);
    g_autoptr (GError) error = NULL;
    int wait_status = 0;

    g_ptr_array_add (argv, (gpointer) g_getenv ("FLOWSIM"));
    for (size_t i = 0; args[i]; i++)
        g_ptr_array_add (argv, (gpointer) args[i]);
    g_ptr_array_add (argv, NULL);
    if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT,
                       geteuid () == 0 ? become_nobody : NULL, NULL, &r->out, &r->err, &wait_status,
                       &error) &&
        g_error_matches (error, G_SPAWN_ERROR, G_SPAWN_ERROR_ACCES)) {
        /* the build is in a folder 'nobody' may not enter (a clone in `mktemp -d`, 0700):
         * reported as flowsim's own "cannot run as nobody", status 125, which skips */
        r->out = g_strdup ("");
        r->err = g_strdup ("");
        r->status = 125;
        return r;
    }
    g_assert_no_error (error);
    r->out_len = strlen (r->out);
    r->status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
    return r;
}

/*
 * A file the user may not open for writing is refused with the system's error, and left as it
 * was. Root may open a 0444 file for writing (as `>` in a shell does), so root replaces it: that
 * is the documented rule, checked too.
 */
static void
test_read_only (void)
{
    g_autofree char *dir = fsim_test_scratch_new ();
    g_autofree char *scenario = scenario_in (dir);
    g_autofree char *out = fsim_test_write (dir, "locked.txt", "old", -1);

    g_assert_cmpint (g_chmod (dir, 0777), ==, 0); /* the folder lets anyone make a file */
    g_assert_cmpint (g_chmod (out, 0444), ==, 0);
    g_autoptr (FsimTestRun) r =
        run_unprivileged ((const char *const[]){ "run", scenario, "-o", out, NULL });
    if (r->status == 125 || strstr (r->err, "cannot read")) {
        g_test_skip ("flowsim cannot run as the user 'nobody' here");
        fsim_test_scratch_free (g_steal_pointer (&dir));
        return;
    }
    g_assert_cmpint (r->status, ==, 4);
    g_autofree char *message =
        g_strdup_printf ("flowsim: error: cannot write '%s': %s\n", out, g_strerror (EACCES));
    g_assert_cmpstr (r->err, ==, message);
    g_autofree char *kept = read_text (out);
    g_assert_cmpstr (kept, ==, "old");
    g_autofree char *names = fsim_test_dir_listing (dir);
    g_assert_cmpstr (names, ==, "locked.txt scenario.json");

    if (geteuid () == 0) {
        g_autoptr (FsimTestRun) root = FSIM_RUN ("run", scenario, "-o", out);
        struct stat st;
        g_assert_cmpint (root->status, ==, 0);
        g_assert_cmpint (g_stat (out, &st), ==, 0);
        g_assert_cmpint (st.st_mode & 07777, ==, 0444);
        g_autofree char *replaced = read_text (out);
        g_assert_cmpstr (replaced, !=, "old");
    }
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

/* A file the user may write, in a folder where they may not make a file, cannot be replaced
 * atomically: refused, saying why, and left as it was. */
static void
test_folder_read_only (void)
{
    g_autofree char *dir = fsim_test_scratch_new ();
    g_autofree char *scenario = scenario_in (dir);
    g_autofree char *out = fsim_test_write (dir, "open.txt", "old", -1);

    g_assert_cmpint (g_chmod (out, 0666), ==, 0);
    g_assert_cmpint (g_chmod (dir, 0555), ==, 0);
    g_autoptr (FsimTestRun) r =
        run_unprivileged ((const char *const[]){ "run", scenario, "-o", out, NULL });
    g_assert_cmpint (g_chmod (dir, 0755), ==, 0);
    if (r->status == 125 || strstr (r->err, "cannot read")) {
        g_test_skip ("flowsim cannot run as the user 'nobody' here");
        fsim_test_scratch_free (g_steal_pointer (&dir));
        return;
    }
    g_autofree char *message =
        g_strdup_printf ("flowsim: error: cannot write '%s': cannot create a file in '%s': %s\n",
                         out, dir, g_strerror (EACCES));
    g_assert_cmpint (r->status, ==, 4);
    g_assert_cmpstr (r->err, ==, message);
    g_autofree char *kept = read_text (out);
    g_assert_cmpstr (kept, ==, "old");
    g_autofree char *names = fsim_test_dir_listing (dir);
    g_assert_cmpstr (names, ==, "open.txt scenario.json");
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

/* ---- symbolic links, devices, FIFOs -------------------------------------------------------- */

static void
assert_link (const char *path, const char *target)
{
    g_autofree char *now = g_file_read_link (path, NULL);
    g_assert_cmpstr (now, ==, target);
}

/* A symbolic link stays a link, and what it points to gets the report (keeping its mode); a
 * link to nothing makes the file it names. */
static void
test_symlink (void)
{
    g_autofree char *dir = fsim_test_scratch_new ();
    g_autofree char *scenario = scenario_in (dir);
    g_autofree char *want = expected_report (scenario);
    g_autofree char *sub = g_build_filename (dir, "sub", NULL);
    g_assert_cmpint (g_mkdir (sub, 0755), ==, 0);
    g_autofree char *target = fsim_test_write (sub, "target.txt", "old", -1);
    g_autofree char *link = g_build_filename (dir, "link.txt", NULL);
    g_autofree char *link2 = g_build_filename (dir, "link2.txt", NULL);
    g_autofree char *dangling = g_build_filename (dir, "dangling.txt", NULL);
    g_autofree char *made = g_build_filename (sub, "made.txt", NULL);
    struct stat st;

    g_assert_cmpint (g_chmod (target, 0600), ==, 0);
    g_assert_cmpint (symlink ("sub/target.txt", link), ==, 0); /* relative */
    g_assert_cmpint (symlink (link, link2), ==, 0);            /* a link to a link */
    g_assert_cmpint (symlink ("sub/made.txt", dangling), ==, 0);
    const char *outs[] = { link2, dangling };
    for (size_t i = 0; i < G_N_ELEMENTS (outs); i++) {
        g_autoptr (FsimTestRun) r = FSIM_RUN ("run", scenario, "-o", outs[i]);
        g_assert_cmpint (r->status, ==, 0);
    }
    assert_link (link, "sub/target.txt");
    assert_link (link2, link);
    assert_link (dangling, "sub/made.txt");
    g_autofree char *got = read_text (target);
    g_assert_cmpstr (got, ==, want);
    g_assert_cmpint (g_stat (target, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 07777, ==, 0600);
    g_autofree char *got2 = read_text (made);
    g_assert_cmpstr (got2, ==, want);
    g_autofree char *names = fsim_test_dir_listing (sub);
    g_assert_cmpstr (names, ==, "made.txt target.txt");
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

/* Root writing to /tmp/report.txt where the user 'nobody' planted a link to a file of root's:
 * refused (the kernel's fs.protected_symlinks rule), the file and the link left as they were.
 * flowsim reads links itself, so the kernel's check did not apply: the file was replaced. A
 * link that root owns, or the folder's owner, in the same folder is still followed. */
static void
test_symlink_sticky (void)
{
    if (geteuid () != 0) {
        g_test_skip ("only root can plant a link owned by another user");
        return;
    }
    g_autofree char *dir = fsim_test_scratch_new ();
    g_autofree char *scenario = scenario_in (dir);
    g_autofree char *want = expected_report (scenario);
    g_autofree char *shared = g_build_filename (dir, "tmp", NULL);
    g_autofree char *victim = fsim_test_write (dir, "passwd", "root:x:0:0\n", -1);
    g_autofree char *link = g_build_filename (shared, "report.txt", NULL);
    g_autofree char *own = g_build_filename (shared, "own.txt", NULL);
    g_autofree char *mine = fsim_test_write (dir, "mine.txt", "old", -1);

    g_assert_cmpint (g_mkdir (shared, 0755), ==, 0);
    g_assert_cmpint (g_chmod (shared, 01777), ==, 0);
    g_assert_cmpint (symlink (victim, link), ==, 0);
    g_assert_cmpint (lchown (link, NOBODY, NOBODY), ==, 0);
    g_autoptr (FsimTestRun) r = FSIM_RUN ("run", scenario, "-o", link);
    g_assert_cmpint (r->status, ==, 4);
    g_assert_nonnull (strstr (r->err, "report.txt': Permission denied"));
    g_autofree char *kept = read_text (victim);
    g_assert_cmpstr (kept, ==, "root:x:0:0\n");
    assert_link (link, victim);
    g_assert_cmpint (symlink (mine, own), ==, 0); /* root's own link: followed */
    g_autoptr (FsimTestRun) r2 = FSIM_RUN ("run", scenario, "-o", own);
    g_assert_cmpint (r2->status, ==, 0);
    g_autofree char *got = read_text (mine);
    g_assert_cmpstr (got, ==, want);
    g_autofree char *names = fsim_test_dir_listing (shared);
    g_assert_cmpstr (names, ==, "own.txt report.txt");
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

/* A sticky folder everyone may write, in @dir, as /tmp is. */
static char *
sticky_in (const char *dir)
{
    char *shared = g_build_filename (dir, "tmp", NULL);
    g_assert_cmpint (g_mkdir (shared, 0755), ==, 0);
    g_assert_cmpint (g_chmod (shared, 01777), ==, 0);
    return shared;
}

/* A link that another user planted in a sticky folder is not followed as a folder of the path
 * either (issue 11, seventh pass): root's `-o /tmp/out/r.txt` and `--export /tmp/out` over
 * `nobody`'s link /tmp/out to a root folder wrote there, and `--export /tmp/out/new` made a
 * folder in it. A link of root's own there is followed. */
static void
test_symlink_sticky_folder (void)
{
    if (geteuid () != 0) {
        g_test_skip ("only root can plant a link owned by another user");
        return;
    }
    g_autofree char *dir = fsim_test_scratch_new ();
    g_autofree char *scenario = scenario_in (dir);
    g_autofree char *shared = sticky_in (dir);
    g_autofree char *victim = g_build_filename (dir, "etc", NULL);
    g_autofree char *link = g_build_filename (shared, "out", NULL);
    g_autofree char *through = g_build_filename (link, "r.txt", NULL);
    g_autofree char *deeper = g_build_filename (link, "new", NULL);
    g_autofree char *own = g_build_filename (shared, "own", NULL);
    g_autofree char *own_file = g_build_filename (own, "r.txt", NULL);

    g_assert_cmpint (g_mkdir (victim, 0755), ==, 0);
    g_assert_cmpint (symlink (victim, link), ==, 0);
    g_assert_cmpint (lchown (link, NOBODY, NOBODY), ==, 0);
    g_autoptr (FsimTestRun) r = FSIM_RUN ("run", scenario, "-o", through);
    g_assert_cmpint (r->status, ==, 4);
    g_assert_nonnull (strstr (r->err, "out/r.txt': Permission denied"));
    g_autoptr (FsimTestRun) e = FSIM_RUN ("population", scenario, "--export", link, "-q");
    g_assert_cmpint (e->status, ==, 4);
    g_assert_nonnull (strstr (e->err, "cannot create the folder '"));
    g_assert_nonnull (strstr (e->err, "out': Permission denied"));
    g_autoptr (FsimTestRun) e2 = FSIM_RUN ("population", scenario, "--export", deeper, "-q");
    g_assert_cmpint (e2->status, ==, 4);
    g_autofree char *names = fsim_test_dir_listing (victim);
    g_assert_cmpstr (names, ==, "");
    assert_link (link, victim);
    g_assert_cmpint (symlink (victim, own), ==, 0); /* root's own link: followed */
    g_autoptr (FsimTestRun) r2 = FSIM_RUN ("run", scenario, "-o", own_file);
    g_assert_cmpint (r2->status, ==, 0);
    g_autofree char *names2 = fsim_test_dir_listing (victim);
    g_assert_cmpstr (names2, ==, "r.txt");
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

/* A regular file, FIFO or folder that another user made in a sticky folder is not written or
 * written into (the kernel's protected_regular and protected_fifos rules, and the same for
 * folders; issue 11, seventh pass): root's `-o /tmp/report.txt` replaced `nobody`'s 0666 file
 * there with one `nobody` owned and could read, wrote the report into `nobody`'s FIFO, and
 * `--export /tmp/ex` into `nobody`'s folder replaced the file that `nobody`'s link
 * ex/friendships.txt named. A file of the folder's owner there is replaced. */
static void
test_planted_sticky (void)
{
    if (geteuid () != 0) {
        g_test_skip ("only root can plant a file owned by another user");
        return;
    }
    g_autofree char *dir = fsim_test_scratch_new ();
    g_autofree char *scenario = scenario_in (dir);
    g_autofree char *want = expected_report (scenario);
    g_autofree char *shared = sticky_in (dir);
    g_autofree char *file = fsim_test_write (shared, "report.txt", "planted", -1);
    g_autofree char *fifo = g_build_filename (shared, "fifo.txt", NULL);
    g_autofree char *mine = fsim_test_write (shared, "mine.txt", "old", -1);
    char buf[64];
    struct stat st;

    g_assert_cmpint (chown (file, NOBODY, NOBODY), ==, 0);
    g_assert_cmpint (g_chmod (file, 0666), ==, 0);
    g_assert_cmpint (mkfifo (fifo, 0666), ==, 0);
    g_assert_cmpint (chown (fifo, NOBODY, NOBODY), ==, 0);
    /* held open, so that an open for writing would not block, and read without blocking */
    int reader = open (fifo, O_RDONLY | O_NONBLOCK);
    int hold = open (fifo, O_WRONLY);
    g_assert_cmpint (reader, >=, 0);
    g_assert_cmpint (hold, >=, 0);
    const char *targets[] = { file, fifo };
    for (size_t i = 0; i < G_N_ELEMENTS (targets); i++) {
        g_autoptr (FsimTestRun) r = FSIM_RUN ("run", scenario, "-o", targets[i]);
        g_assert_cmpint (r->status, ==, 4);
        g_assert_nonnull (strstr (r->err, ".txt': Permission denied"));
    }
    close (hold);
    g_assert_cmpint (read (reader, buf, sizeof buf), <=, 0); /* the FIFO's reader got nothing */
    close (reader);
    g_autofree char *kept = read_text (file);
    g_assert_cmpstr (kept, ==, "planted");
    g_assert_cmpint (stat (file, &st), ==, 0);
    g_assert_cmpuint (st.st_uid, ==, NOBODY);
    g_autoptr (FsimTestRun) r2 = FSIM_RUN ("run", scenario, "-o", mine);
    g_assert_cmpint (r2->status, ==, 0);
    g_autofree char *got = read_text (mine);
    g_assert_cmpstr (got, ==, want);

    /* a folder made there beforehand, holding a link to the victim under an export's name */
    g_autofree char *victim = fsim_test_write (dir, "shadow", "root:secret\n", -1);
    g_autofree char *ex = g_build_filename (shared, "ex", NULL);
    g_autofree char *trap = g_build_filename (ex, "friendships.txt", NULL);
    g_autofree char *inside = g_build_filename (ex, "r.txt", NULL);
    g_assert_cmpint (g_mkdir (ex, 0755), ==, 0);
    g_assert_cmpint (symlink (victim, trap), ==, 0);
    g_assert_cmpint (lchown (trap, NOBODY, NOBODY), ==, 0);
    g_assert_cmpint (chown (ex, NOBODY, NOBODY), ==, 0);
    g_autoptr (FsimTestRun) e = FSIM_RUN ("population", scenario, "--export", ex, "-q");
    g_assert_cmpint (e->status, ==, 4);
    g_assert_nonnull (strstr (e->err, "ex': Permission denied"));
    g_autoptr (FsimTestRun) r3 = FSIM_RUN ("run", scenario, "-o", inside);
    g_assert_cmpint (r3->status, ==, 4);
    g_autofree char *secret = read_text (victim);
    g_assert_cmpstr (secret, ==, "root:secret\n");
    g_autofree char *names = fsim_test_dir_listing (ex);
    g_assert_cmpstr (names, ==, "friendships.txt");
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

/* Runs the shell command @script in @dir with $FLOWSIM set; returns its exit status. */
static int
run_shell (const char *dir, const char *script)
{
    const char *argv[] = { "/bin/sh", "-c", script, NULL };
    int status = -1;
    g_autoptr (GError) error = NULL;
    g_spawn_sync (dir, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status,
                  &error);
    g_assert_no_error (error);
    return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

/* The scenario, opened by the shell as an open file that flowsim writes in place, is still an
 * input (issue 11, seventh pass): `-o /dev/stdin < s.json`, `-o /proc/self/fd/5 5>>s.json` and
 * `>> s.json` appended the report to the scenario, exit 0. */
static void
test_inputs_kept_open (void)
{
    g_autofree char *dir = fsim_test_scratch_new ();
    g_autofree char *scenario = scenario_in (dir);
    g_autofree char *before = read_text (scenario);
    const char *scripts[] = {
        "\"$FLOWSIM\" run scenario.json -o /dev/stdin < scenario.json 2>err",
        "\"$FLOWSIM\" run scenario.json -o /proc/self/fd/5 5>>scenario.json 2>err",
        "\"$FLOWSIM\" run scenario.json >> scenario.json 2>err",
        "\"$FLOWSIM\" population scenario.json -q --save - >> scenario.json 2>err",
    };

    g_assert_nonnull (g_getenv ("FLOWSIM"));
    for (size_t i = 0; i < G_N_ELEMENTS (scripts); i++) {
        g_test_message ("%s", scripts[i]);
        g_assert_cmpint (run_shell (dir, scripts[i]), ==, 4);
        g_autofree char *after = read_text (scenario);
        g_assert_cmpstr (after, ==, before);
        g_autofree char *err_path = g_build_filename (dir, "err", NULL);
        g_autofree char *err = read_text (err_path);
        g_assert_nonnull (strstr (err, "it is an input of this run"));
    }
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

/* An input of the run is never an output: `-o` naming the scenario (directly or through a
 * link), a file it includes, or `--export` over the edge list it imports is refused, exit 4,
 * and every file is left as it was. */
static void
test_inputs_kept (void)
{
    g_autofree char *dir = fsim_test_scratch_new ();
    g_autofree char *model_src = fsim_test_data_path ("errors", "model.json", NULL);
    g_autofree char *model_text = NULL;
    g_assert_true (g_file_get_contents (model_src, &model_text, NULL, NULL));
    g_autofree char *model = fsim_test_write (dir, "model.json", model_text, -1);
    const char *text = "{ \"scenario\": \"inputs\", \"date\": \"2014-06-01\",\n"
                       "  \"include\": [\"model.json\"],\n"
                       "  \"population\": { \"import\": { \"file\": \"friendships.txt\",\n"
                       "                  \"format\": \"edge_list\" } } }\n";
    g_autofree char *scenario = fsim_test_write (dir, "scenario.json", text, -1);
    g_autofree char *edges = fsim_test_write (dir, "friendships.txt", "0 1\n1 2\n", -1);
    g_autofree char *link = g_build_filename (dir, "link.json", NULL);
    g_assert_cmpint (symlink ("scenario.json", link), ==, 0);
    g_autofree char *free_out = g_build_filename (dir, "report.txt", NULL);
    g_autoptr (FsimTestRun) ok = FSIM_RUN ("run", scenario, "-o", free_out);
    g_assert_cmpint (ok->status, ==, 0); /* the scenario is good: only the outputs are refused */

    const char *outs[] = { scenario, link, model, edges };
    for (size_t i = 0; i < G_N_ELEMENTS (outs); i++) {
        g_autoptr (FsimTestRun) r = FSIM_RUN ("run", scenario, "-o", outs[i]);
        g_assert_cmpint (r->status, ==, 4);
        g_assert_nonnull (strstr (r->err, "it is an input of this run"));
    }
    g_autoptr (FsimTestRun) e = FSIM_RUN ("population", scenario, "--export", dir);
    g_assert_cmpint (e->status, ==, 4);
    g_assert_nonnull (strstr (e->err, "friendships.txt"));

    g_autofree char *got = read_text (scenario);
    g_assert_cmpstr (got, ==, text);
    g_autofree char *got_model = read_text (model);
    g_assert_cmpstr (got_model, ==, model_text);
    g_autofree char *got_edges = read_text (edges);
    g_assert_cmpstr (got_edges, ==, "0 1\n1 2\n");
    assert_link (link, "scenario.json");
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

/* The first bytes of @path, or "" if it cannot be read. */
static char *
head_of (const char *path, size_t n)
{
    g_autofree char *text = NULL;
    gsize len = 0;
    if (!g_file_get_contents (path, &text, &len, NULL))
        return g_strdup ("");
    return g_strndup (text, MIN (len, n));
}

/* No output of a run replaces another output of the same run, however the two paths name the
 * file: `population --save s.fss -o ./s.fss` for a new file (the check of the names before the
 * run sees two names and no file), `--export d -o d/users.tsv`, `--export d --save
 * d/friendships.txt`, `-o` through a link made to the snapshot's name before it exists. Each
 * used to end with exit 0 and the last file written in place of the other (issue 11's fifth
 * pass); now the later output is refused, exit 4, and the earlier one is kept whole. */
static void
test_outputs_kept (void)
{
    g_autofree char *dir = fsim_test_scratch_new ();
    g_autofree char *scenario = scenario_in (dir);
    g_autofree char *snap = g_build_filename (dir, "s.fss", NULL);
    g_autofree char *snap_dot = g_build_filename (dir, ".", "s.fss", NULL);
    g_autofree char *link = g_build_filename (dir, "l.fss", NULL);
    g_autofree char *ex = g_build_filename (dir, "ex", NULL);
    g_autofree char *users = g_build_filename (ex, "users.tsv", NULL);
    g_autofree char *edges = g_build_filename (ex, "friendships.txt", NULL);
    const char *refused = "this run has already written that file as another of its outputs";

    g_autoptr (FsimTestRun) a = FSIM_RUN ("population", scenario, "--save", snap, "-o", snap_dot);
    g_assert_cmpint (a->status, ==, 4);
    fsim_assert_contains (a->err, refused);
    g_autofree char *a_head = head_of (snap, 12);
    g_assert_cmpstr (a_head, ==, "\211flowsim-pop");
    g_assert_cmpint (g_unlink (snap), ==, 0);

    g_assert_cmpint (symlink ("s.fss", link), ==, 0); /* dangling until --save makes s.fss */
    g_autoptr (FsimTestRun) b = FSIM_RUN ("population", scenario, "--save", snap, "-o", link);
    g_assert_cmpint (b->status, ==, 4);
    fsim_assert_contains (b->err, refused);
    g_autofree char *b_head = head_of (snap, 12);
    g_assert_cmpstr (b_head, ==, "\211flowsim-pop");
    assert_link (link, "s.fss");

    g_autoptr (FsimTestRun) c = FSIM_RUN ("population", scenario, "--export", ex, "-o", users);
    g_assert_cmpint (c->status, ==, 4);
    fsim_assert_contains (c->err, refused);
    g_autofree char *c_head = head_of (users, 24);
    g_assert_cmpstr (c_head, ==, "# flowsim population of ");

    g_autoptr (FsimTestRun) d =
        FSIM_RUN ("population", scenario, "--export", ex, "--save", edges, "-o", "-");
    g_assert_cmpint (d->status, ==, 4);
    fsim_assert_contains (d->err, "saving the snapshot: will not write");
    g_autofree char *d_head = head_of (edges, 24);
    g_assert_cmpstr (d_head, ==, "# flowsim population of ");
    g_autofree char *names = fsim_test_dir_listing (ex);
    g_assert_cmpstr (names, ==, "friendships.txt users.tsv");
    g_autofree char *all = fsim_test_dir_listing (dir);
    g_assert_null (strstr (all, "flowsim-"));
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

/* A device is written in place, never replaced: /dev/null through a link; as root, a device
 * node of this test's own (which the old code turned into a regular file). */
static void
test_device (void)
{
    g_autofree char *dir = fsim_test_scratch_new ();
    g_autofree char *scenario = scenario_in (dir);
    g_autofree char *link = g_build_filename (dir, "null", NULL);
    g_autofree char *node = g_build_filename (dir, "mynull", NULL);
    struct stat st;

    g_assert_cmpint (symlink ("/dev/null", link), ==, 0);
    g_autoptr (FsimTestRun) r = FSIM_RUN ("run", scenario, "-o", link);
    g_assert_cmpint (r->status, ==, 0);
    assert_link (link, "/dev/null");
    g_assert_cmpint (g_stat ("/dev/null", &st), ==, 0);
    g_assert_true (S_ISCHR (st.st_mode));

    int fd = mknod (node, S_IFCHR | 0666, makedev (1, 3)) == 0 ? open (node, O_WRONLY) : -1;
    if (fd < 0) { /* not root, or a folder mounted nodev */
        g_test_message ("no device node of our own (%s): /dev/null through a link only",
                        g_strerror (errno));
    } else {
        close (fd);
        g_autoptr (FsimTestRun) r2 = FSIM_RUN ("run", scenario, "-o", node);
        g_assert_cmpint (r2->status, ==, 0);
        g_assert_cmpint (lstat (node, &st), ==, 0);
        g_assert_true (S_ISCHR (st.st_mode));
    }
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

/* A full device says why, whatever the text's size: a text larger than stdio's buffer goes
 * straight to write(2), and its errno was lost, so `-o /dev/full` on run's JSON said
 * "Input/output error" where the text said "No space left on device" (issue 11's fourth pass). */
static void
test_device_full (void)
{
    g_autofree char *dir = fsim_test_scratch_new ();
    g_autofree char *scenario = scenario_in (dir);
    const char *formats[] = { "text", "json", "csv" };
    struct stat st;

    if (g_stat ("/dev/full", &st) != 0 || !S_ISCHR (st.st_mode)) {
        g_test_skip ("no /dev/full");
        fsim_test_scratch_free (g_steal_pointer (&dir));
        return;
    }
    for (guint i = 0; i < G_N_ELEMENTS (formats); i++) {
        g_autoptr (FsimTestRun) r =
            FSIM_RUN ("run", scenario, "--format", formats[i], "-o", "/dev/full");
        g_test_message ("%s: %s", formats[i], r->err);
        g_assert_cmpint (r->status, ==, 4);
        g_assert_nonnull (strstr (r->err, "cannot write '/dev/full': No space left on device"));
    }
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

/* A name with a newline (or another control character) is shown with a '?' in its place, so
 * the refusal stays one message line: before, `-o 'missing/a<LF>b'` printed two lines, the
 * second "flowsim: error: b': No such file or directory" (issue 11's fifth pass). */
static void
test_control_name (void)
{
    g_autofree char *dir = fsim_test_scratch_new ();
    g_autofree char *scenario = scenario_in (dir);
    g_autofree char *bad = g_build_filename (dir, "missing", "a\nb\033[2J", NULL);
    g_autoptr (FsimTestRun) r = FSIM_RUN ("run", scenario, "-o", bad);
    g_assert_cmpint (r->status, ==, 4);
    g_assert_cmpstr (r->out, ==, "");
    g_autofree char *want =
        g_strdup_printf ("flowsim: error: cannot write '%s/missing/a?b?[2J': No such file or "
                         "directory\n",
                         dir);
    g_assert_cmpstr (r->err, ==, want);
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

/* /dev/stdout (here through a link to it) writes to flowsim's standard output. */
static void
test_stdout (void)
{
    g_autofree char *dir = fsim_test_scratch_new ();
    g_autofree char *scenario = scenario_in (dir);
    g_autofree char *want = expected_report (scenario);
    g_autofree char *link = g_build_filename (dir, "out", NULL);

    g_assert_cmpint (symlink ("/dev/stdout", link), ==, 0);
    g_autoptr (FsimTestRun) r = FSIM_RUN ("run", scenario, "-o", link);
    g_assert_cmpint (r->status, ==, 0);
    g_assert_cmpstr (r->out, ==, want);
    assert_link (link, "/dev/stdout");
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

/* A descriptor link whose descriptor is not open (`-o /dev/stdout >&-`, `-o /dev/fd/200`) is
 * refused as such (issue 11, seventh pass): it said "cannot create a file in '/proc/self/fd':
 * No such file or directory". */
static void
test_closed_descriptor (void)
{
    g_autofree char *dir = fsim_test_scratch_new ();
    g_autofree char *scenario = scenario_in (dir);
    g_autoptr (FsimTestRun) r = FSIM_RUN ("run", scenario, "-o", "/dev/fd/200");
    g_assert_cmpint (r->status, ==, 4);
    g_assert_cmpstr (r->err, ==,
                     "flowsim: error: cannot write '/dev/fd/200': Bad file descriptor\n");
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

/* A FIFO is written in place: it stays a FIFO and its reader gets the report. */
static void
test_fifo (void)
{
    g_autofree char *dir = fsim_test_scratch_new ();
    g_autofree char *scenario = scenario_in (dir);
    g_autofree char *want = expected_report (scenario);
    g_autofree char *fifo = g_build_filename (dir, "fifo", NULL);
    g_autoptr (GString) got = g_string_new (NULL);
    char buf[4096];
    ssize_t n;
    struct stat st;

    /* This end holds the FIFO open (so that neither open blocks) until flowsim is done; the
     * report is smaller than the pipe's buffer, so flowsim never waits for the reader. */
    g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
    int hold = open (fifo, O_RDWR);
    int reader = open (fifo, O_RDONLY);
    g_assert_cmpint (hold, >=, 0);
    g_assert_cmpint (reader, >=, 0);
    g_autoptr (FsimTestRun) r = FSIM_RUN ("run", scenario, "-o", fifo);
    close (hold);
    while ((n = read (reader, buf, sizeof buf)) > 0)
        g_string_append_len (got, buf, n);
    close (reader);
    g_assert_cmpint (r->status, ==, 0);
    g_assert_cmpint (lstat (fifo, &st), ==, 0);
    g_assert_true (S_ISFIFO (st.st_mode));
    g_assert_cmpstr (got->str, ==, want);
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

/* ---- population --export ------------------------------------------------------------------- */

/* A symbolic link planted where the old code put its temporary file is left alone, and so is
 * the file it points to. */
static void
test_export_planted_link (void)
{
    g_autofree char *dir = fsim_test_scratch_new ();
    g_autofree char *scenario = scenario_in (dir);
    g_autofree char *victim = fsim_test_write (dir, "victim.txt", "precious", -1);
    g_autofree char *out = g_build_filename (dir, "export", NULL);
    g_assert_cmpint (g_mkdir (out, 0755), ==, 0);
    const char *const planted[] = { "friendships.txt.tmp", "users.tsv.tmp" };
    for (size_t i = 0; i < G_N_ELEMENTS (planted); i++) {
        g_autofree char *p = g_build_filename (out, planted[i], NULL);
        g_assert_cmpint (symlink (victim, p), ==, 0);
    }
    g_autoptr (FsimTestRun) r = FSIM_RUN ("population", scenario, "--export", out, "-q");
    g_assert_cmpint (r->status, ==, 0);
    g_autofree char *kept = read_text (victim);
    g_assert_cmpstr (kept, ==, "precious");
    g_autofree char *names = fsim_test_dir_listing (out);
    g_assert_cmpstr (names, ==, "friendships.txt friendships.txt.tmp users.tsv users.tsv.tmp");
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

/* Eighth pass: each folder made on the way counted as a link followed, so a path of more
 * than 40 new folders failed with "Too many levels of symbolic links" (there were none), after
 * making the first 40. `mkdir -p` makes them; so does --export. */
static void
test_export_deep (void)
{
    g_autofree char *dir = fsim_test_scratch_new ();
    g_autofree char *scenario = scenario_in (dir);
    g_autoptr (GString) out = g_string_new (dir);
    for (int i = 0; i < 45; i++)
        g_string_append (out, "/d");
    g_autoptr (FsimTestRun) r = FSIM_RUN ("population", scenario, "--export", out->str, "-q");
    g_assert_cmpstr (r->err, ==, "");
    g_assert_cmpint (r->status, ==, 0);
    g_autofree char *names = fsim_test_dir_listing (out->str);
    g_assert_cmpstr (names, ==, "friendships.txt users.tsv");
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

static size_t
count_data_lines (const char *text)
{
    size_t n = 0;
    for (const char *p = text; *p; p = strchr (p, '\n') ? strchr (p, '\n') + 1 : p + strlen (p))
        n += *p != '#' && *p != '\n';
    return n;
}

/* What an export's friendships.txt says it holds agrees with what it holds. */
static void
assert_export_whole (const char *dir, size_t n_users)
{
    g_autofree char *edges_path = g_build_filename (dir, "friendships.txt", NULL);
    g_autofree char *users_path = g_build_filename (dir, "users.tsv", NULL);
    g_autofree char *edges = read_text (edges_path);
    g_autofree char *users = read_text (users_path);
    const char *second = strchr (edges, '\n');
    size_t n = 0, last = 0, friendships = 0;

    g_assert_nonnull (second);
    g_assert_cmpint (
        sscanf (second + 1, "# %zu users (0 .. %zu), %zu friendships", &n, &last, &friendships), ==,
        3);
    g_assert_cmpuint (n, ==, n_users);
    g_assert_cmpuint (count_data_lines (edges), ==, friendships);
    g_assert_cmpuint (count_data_lines (users), ==, 1 + n_users);
}

static GSubprocess *
spawn_export (const char *scenario, const char *dir, const char *users, const char *seed)
{
    g_autoptr (GError) error = NULL;
    g_autofree char *set_users = g_strconcat ("population.users=", users, NULL);
    g_autofree char *set_seed = g_strconcat ("seed=", seed, NULL);
    GSubprocess *p = g_subprocess_new (
        G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
        g_getenv ("FLOWSIM"), "population", scenario, "--export", dir, "-q", "--set", set_seed,
        "--set", set_users, "--set", "population.generator=erdos_renyi", "--set",
        "population.mean_degree=20", NULL);
    g_assert_no_error (error);
    return p;
}

/* Four exports into one folder at once: each succeeds, and each file left is whole (the old
 * code shared one temporary name: three failed with "No such file or directory"). */
static void
test_export_concurrent (void)
{
    g_autofree char *dir = fsim_test_scratch_new ();
    g_autofree char *scenario = scenario_in (dir);
    g_autofree char *out = g_build_filename (dir, "export", NULL);
    GSubprocess *procs[4];
    const char *seeds[] = { "1", "2", "3", "4" };

    for (size_t i = 0; i < G_N_ELEMENTS (procs); i++)
        procs[i] = spawn_export (scenario, out, "20000", seeds[i]);
    for (size_t i = 0; i < G_N_ELEMENTS (procs); i++) {
        g_autoptr (GError) error = NULL;
        g_autoptr (GBytes) err = NULL;
        g_subprocess_communicate (procs[i], NULL, NULL, NULL, &err, &error);
        g_assert_no_error (error);
        if (!g_subprocess_get_if_exited (procs[i]) || g_subprocess_get_exit_status (procs[i]))
            g_error ("export %zu failed: %.*s", i, (int) g_bytes_get_size (err),
                     (const char *) g_bytes_get_data (err, NULL));
        g_object_unref (procs[i]);
    }
    assert_export_whole (out, 20000);
    g_autofree char *names = fsim_test_dir_listing (out);
    g_assert_cmpstr (names, ==, "friendships.txt users.tsv");
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

/* The name of a file other than @except in @dir whose name contains @part, or NULL. */
static char *
find_file (const char *dir, const char *part, const char *except)
{
    g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name (d)) != NULL)
        if (strstr (name, part) && strcmp (name, except) != 0)
            return g_strdup (name);
    return NULL;
}

/* Whether process @p has a file open in @dir (its export, named or not yet: O_TMPFILE's show as
 * "DIR/#INODE (deleted)"). */
static gboolean
writing_into (GSubprocess *p, const char *dir)
{
    const char *pid = g_subprocess_get_identifier (p);
    g_autofree char *fds = pid ? g_build_filename ("/proc", pid, "fd", NULL) : NULL;
    g_autoptr (GDir) d = fds ? g_dir_open (fds, 0, NULL) : NULL;
    g_autofree char *prefix = g_strconcat (dir, "/", NULL);
    const char *name;
    while (d && (name = g_dir_read_name (d)) != NULL) {
        g_autofree char *link = g_build_filename (fds, name, NULL);
        g_autofree char *target = g_file_read_link (link, NULL);
        if (target && g_str_has_prefix (target, prefix))
            return TRUE;
    }
    return FALSE;
}

/* SIGINT or SIGTERM while friendships.txt is being written: flowsim dies of that signal and
 * leaves no temporary file (the old code left tens of MB in friendships.txt.tmp). */
static void
test_export_signal (gconstpointer data)
{
    int sig = GPOINTER_TO_INT (data);
    g_autofree char *dir = fsim_test_scratch_new ();
    g_autofree char *scenario = scenario_in (dir);
    g_autofree char *out = g_build_filename (dir, "export", NULL);
    gboolean caught = FALSE;

    /* Up to three tries: the signal must land while the temporary file exists. */
    for (int attempt = 0; attempt < 3 && !caught; attempt++) {
        g_autoptr (GSubprocess) p =
            spawn_export (scenario, out, fsim_test_under_valgrind () ? "20000" : "120000", "7");
        gboolean writing = FALSE;
        while (!(writing = writing_into (p, out)) && g_subprocess_get_identifier (p) != NULL)
            g_usleep (500);
        if (writing) {
            g_subprocess_send_signal (p, sig);
            caught = TRUE;
        }
        g_subprocess_wait (p, NULL, NULL);
        if (caught) {
            g_assert_true (g_subprocess_get_if_signaled (p));
            g_assert_cmpint (g_subprocess_get_term_sig (p), ==, sig);
            g_autofree char *left = find_file (out, "friendships.txt", "friendships.txt");
            if (left != NULL)
                g_error ("the export killed by signal %d left '%s'", sig, left);
            g_autofree char *names = fsim_test_dir_listing (out);
            g_assert_cmpstr (names, ==, "");
        }
    }
    if (!caught)
        g_test_skip ("the export finished before the signal could be sent");
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

static void
limit_file_size (gpointer data)
{
    (void) data;
    struct rlimit none = { 0, 0 }, size = { 1 << 20, 1 << 20 };
    setrlimit (RLIMIT_CORE, &none);
    setrlimit (RLIMIT_FSIZE, &size);
}

/* Under `ulimit -f` (1 MiB here; the export is 3 MB) the export is killed by SIGXFSZ when
 * friendships.txt grows past the limit: no temporary file is left (the old code removed them
 * only on SIGINT, SIGTERM and SIGHUP, and left a 1 MiB one here). */
static void
test_export_file_size (void)
{
    g_autofree char *dir = fsim_test_scratch_new ();
    g_autofree char *scenario = scenario_in (dir);
    g_autofree char *out = g_build_filename (dir, "export", NULL);
    const char *argv[] = { g_getenv ("FLOWSIM"),
                           "population",
                           scenario,
                           "--export",
                           out,
                           "-q",
                           "--set",
                           "population.users=30000",
                           "--set",
                           "population.generator=erdos_renyi",
                           "--set",
                           "population.mean_degree=20",
                           NULL };
    g_autoptr (GError) error = NULL;
    int wait_status = 0;

    g_spawn_sync (NULL, (char **) argv, NULL,
                  G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, limit_file_size, NULL,
                  NULL, NULL, &wait_status, &error);
    g_assert_no_error (error);
    g_assert_true (WIFSIGNALED (wait_status));
    g_assert_cmpint (WTERMSIG (wait_status), ==, SIGXFSZ);
    g_autofree char *names = fsim_test_dir_listing (out);
    g_assert_cmpstr (names, ==, "");
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    g_test_add_func ("/output-file/regular/mode-kept", test_mode_kept);
    g_test_add_func ("/output-file/regular/mode-kept-named", test_mode_kept_named);
    g_test_add_func ("/output-file/regular/owner-kept", test_owner_kept);
    g_test_add_func ("/output-file/regular/read-only", test_read_only);
    g_test_add_func ("/output-file/regular/folder-read-only", test_folder_read_only);
    g_test_add_func ("/output-file/symlink", test_symlink);
    g_test_add_func ("/output-file/symlink-sticky", test_symlink_sticky);
    g_test_add_func ("/output-file/symlink-sticky-folder", test_symlink_sticky_folder);
    g_test_add_func ("/output-file/planted-sticky", test_planted_sticky);
    g_test_add_func ("/output-file/inputs-kept", test_inputs_kept);
    g_test_add_func ("/output-file/inputs-kept-open", test_inputs_kept_open);
    g_test_add_func ("/output-file/outputs-kept", test_outputs_kept);
    g_test_add_func ("/output-file/device", test_device);
    g_test_add_func ("/output-file/device-full", test_device_full);
    g_test_add_func ("/output-file/control-name", test_control_name);
    g_test_add_func ("/output-file/stdout", test_stdout);
    g_test_add_func ("/output-file/closed-descriptor", test_closed_descriptor);
    g_test_add_func ("/output-file/fifo", test_fifo);
    g_test_add_func ("/output-file/export/planted-link", test_export_planted_link);
    g_test_add_func ("/output-file/export/deep", test_export_deep);
    g_test_add_func ("/output-file/export/concurrent", test_export_concurrent);
    g_test_add_data_func ("/output-file/export/sigint", GINT_TO_POINTER (SIGINT),
                          test_export_signal);
    g_test_add_data_func ("/output-file/export/sigterm", GINT_TO_POINTER (SIGTERM),
                          test_export_signal);
    g_test_add_data_func ("/output-file/export/sigalrm", GINT_TO_POINTER (SIGALRM),
                          test_export_signal);
    g_test_add_data_func ("/output-file/export/sigusr1", GINT_TO_POINTER (SIGUSR1),
                          test_export_signal);
    /* kill(1) can send any signal: these too end flowsim by default, and left the temporary
     * file before (issue 11's third pass) */
    g_test_add_data_func ("/output-file/export/sigpwr", GINT_TO_POINTER (SIGPWR),
                          test_export_signal);
    g_test_add_data_func ("/output-file/export/sigio", GINT_TO_POINTER (SIGIO), test_export_signal);
    g_test_add_data_func ("/output-file/export/sigkill", GINT_TO_POINTER (SIGKILL),
                          test_export_signal);
    g_test_add_data_func ("/output-file/export/sigrtmin", GINT_TO_POINTER (SIGRTMIN),
                          test_export_signal);
    g_test_add_func ("/output-file/export/file-size", test_export_file_size);
    return g_test_run ();
}
