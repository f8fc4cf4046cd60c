/* SPDX-License-Identifier: MIT */
/* output.c: writes a file in place or through a temporary file renamed over it (output.h). */
#define _GNU_SOURCE /* O_TMPFILE (Linux 3.11) */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/vfs.h>
#endif

#include <glib.h>
#include <glib/gstdio.h>

#include "inputfile.h"
#include "output.h"
#include "text.h"

typedef enum {
    KIND_REPLACE,  /* a temporary file renamed over the target */
    KIND_IN_PLACE, /* the target itself: a device, a FIFO, an open file through /proc */
} Kind;

struct FsimOutput {
    Kind kind;
    char *path;         /* as given */
    int dirfd;          /* the folder of the target and the temporary file; -1 in place */
    char *name;         /* the target's name in dirfd */
    char *tmp;          /* the temporary file's name in dirfd, NULL once renamed or removed */
    int slot;           /* its entry in the cleanup list, -1 if none */
    gboolean sync;      /* fsync before the rename: an existing file is replaced */
    char *prefix;       /* KIND_REPLACE: the temporary file's name before its random digits */
    gboolean anonymous; /* made with O_TMPFILE: no name (tmp NULL) until committed */
    FILE *fp;
    int write_errno; /* why a write failed, when the stream has forgotten it (0: none) */
};

/* ---- the cleanup list: temporary files a signal must remove -------------------------------- */

/*
 * A signal handler may call only async-signal-safe functions (unlinkat is one) and must not take
 * a lock, so the list is a fixed array of names that are written before `used` is set and not
 * touched again until it is cleared. The lock only serialises writers of the array.
 */
#define N_SLOTS 32
#define MAX_TMP_NAME 256

typedef struct {
    volatile sig_atomic_t used;
    int dirfd;
    char name[MAX_TMP_NAME];
} Slot;

static Slot slots[N_SLOTS];
static GMutex slots_lock;
/* Every signal whose default action ends the process: Ctrl-C and Ctrl-\ (SIGQUIT), kill and
 * timeout(1) (which can send any, SIGPWR, SIGIO and the real-time ones included), a hang-up,
 * `ulimit -f` and `ulimit -t` (SIGXFSZ, SIGXCPU), a closed pipe, GLib's abort on a failed
 * allocation, and the signals of a crash, which kill(1) can send too (SIGBUS is the command
 * line's: main.c removes the files itself). Those whose action is not the default when the first
 * temporary file is made (ASan's SIGSEGV, Open MPI's) are left alone. */
static const int cleanup_signals[] = {
    SIGINT,    SIGTERM, SIGHUP,    SIGQUIT, SIGALRM, SIGUSR1, SIGUSR2, SIGXFSZ, SIGXCPU, SIGPIPE,
    SIGABRT,   SIGTRAP, SIGVTALRM, SIGPROF, SIGIO,   SIGSYS,  SIGSEGV, SIGILL,  SIGFPE,
#ifdef SIGPWR
    SIGPWR,
#endif
#ifdef SIGSTKFLT
    SIGSTKFLT,
#endif
};
/* The action each signal had before, by signal number (the real-time ones are known only at
 * run time: SIGRTMIN is a function call). */
static struct sigaction previous_actions[NSIG];

/**
 * fsim_output_remove_temporaries:
 * See output.h.
 */
void
fsim_output_remove_temporaries (void)
{
    for (size_t i = 0; i < N_SLOTS; i++)
        if (slots[i].used)
            unlinkat (slots[i].dirfd, slots[i].name, 0);
}

static void
on_signal (int sig)
{
    int saved = errno;
    fsim_output_remove_temporaries ();
    if (sig > 0 && sig < NSIG)
        sigaction (sig, &previous_actions[sig], NULL);
    errno = saved;
    raise (sig); /* delivered when this handler returns: the default action ends flowsim */
}

/* Handles @sig where it would end the process: a program that embeds libflowsim and handles or
 * ignores the signal keeps its handler, and the temporary files are removed when it unwinds
 * (fsim_output_free()). */
static void
install_one (int sig)
{
    struct sigaction action = { .sa_handler = on_signal }, now;
    sigemptyset (&action.sa_mask);
    /* only the default is replaced, and remembered: on_signal() gives it back before raising
     * (a second call, fsim_output_catch_signals(), must not remember on_signal() itself) */
    if (sig > 0 && sig < NSIG && sigaction (sig, NULL, &now) == 0 && !(now.sa_flags & SA_SIGINFO) &&
        now.sa_handler == SIG_DFL) {
        previous_actions[sig] = now;
        sigaction (sig, &action, NULL);
    }
}

static gpointer
install_handler (gpointer data)
{
    (void) data;
    for (size_t i = 0; i < G_N_ELEMENTS (cleanup_signals); i++)
        install_one (cleanup_signals[i]);
    for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++)
        install_one (sig);
    return NULL;
}

/**
 * fsim_output_catch_signals:
 * See output.h.
 */
void
fsim_output_catch_signals (void)
{
    install_handler (NULL);
}

/* Enters @name (in @dirfd) in the list. Returns: its slot, or -1 when the list is full (which
 * 32 outputs open at once would take; the file is then only removed on errors, not on signals). */
static int
slot_add (int dirfd, const char *name)
{
    static GOnce once = G_ONCE_INIT;
    int found = -1;

    g_once (&once, install_handler, NULL);
    g_mutex_lock (&slots_lock);
    for (int i = 0; i < N_SLOTS && found < 0; i++)
        if (!slots[i].used) {
            slots[i].dirfd = dirfd;
            g_strlcpy (slots[i].name, name, sizeof slots[i].name);
            __atomic_thread_fence (__ATOMIC_SEQ_CST);
            slots[i].used = 1;
            found = i;
        }
    g_mutex_unlock (&slots_lock);
    return found;
}

static void
slot_remove (int slot)
{
    if (slot < 0)
        return;
    g_mutex_lock (&slots_lock);
    slots[slot].used = 0;
    __atomic_thread_fence (__ATOMIC_SEQ_CST);
    g_mutex_unlock (&slots_lock);
}

/* ---- the files this process has written ---------------------------------------------------- */

/*
 * Every regular file an output of this process has put in place, by device and inode: a later
 * output must not replace it. One command may write several files (population's --export, --save
 * and --output), and two of its paths can name one file in ways a check of the names made before
 * anything is written cannot see: `--save s.fss -o ./s.fss` for a new file, `--export d -o
 * d/users.tsv`, a link to a file not yet made. Without this the last write replaced the others'
 * work with exit 0. A handful of entries per run: not input-sized.
 */
typedef struct {
    dev_t dev;
    ino_t ino;
} Written;

static GArray *written; /* of Written, under written_lock */
static GMutex written_lock;

static void
written_add (const struct stat *st)
{
    Written w = { .dev = st->st_dev, .ino = st->st_ino };
    g_mutex_lock (&written_lock);
    if (written == NULL)
        written = g_array_new (FALSE, FALSE, sizeof (Written));
    g_array_append_val (written, w);
    g_mutex_unlock (&written_lock);
}

static gboolean
written_has (const struct stat *st)
{
    gboolean found = FALSE;
    g_mutex_lock (&written_lock);
    for (guint i = 0; written != NULL && i < written->len && !found; i++) {
        const Written *w = &g_array_index (written, Written, i);
        found = w->dev == st->st_dev && w->ino == st->st_ino;
    }
    g_mutex_unlock (&written_lock);
    return found;
}

/* ---- errors -------------------------------------------------------------------------------- */

/* Sets @error to "WHAT: the system's message for @saved". */
static void
set_errno_error (GError **error, int saved, const char *what)
{
    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s: %s", what,
                 g_strerror (saved));
}

static void
cannot_write (GError **error, const char *path, int saved)
{
    g_autofree char *shown = fsim_text_clean (path); /* a newline in a name is one message */
    g_autofree char *what = g_strdup_printf ("cannot write '%s'", shown);
    set_errno_error (error, saved, what);
}

/* ---- where to write ------------------------------------------------------------------------ */

/* Is the symbolic link @link one of /proc's links to an open file (/proc/self/fd/1)? */
static gboolean
on_proc (const char *link)
{
#ifdef __linux__
    g_autofree char *dir = g_path_get_dirname (link);
    struct statfs fs;
    return statfs (dir, &fs) == 0 && fs.f_type == 0x9fa0; /* PROC_SUPER_MAGIC */
#else
    (void) link;
    return FALSE;
#endif
}

/*
 * May this process follow the symbolic link @link (whose lstat is @st)? The kernel's rule for
 * fs.protected_symlinks, applied whatever the setting: a link in a sticky folder that everyone
 * may write (/tmp) is followed only if this user or the folder's owner owns it. The kernel
 * checks this when open(2) follows a link, but follow_links() reads the links itself, so without
 * this root's `-o /tmp/report.txt` would replace whatever file another user's link there names
 * (/etc/passwd). Returns: FALSE with errno EACCES when it may not.
 */
static gboolean
may_follow (const char *link, const struct stat *st)
{
    g_autofree char *dir = g_path_get_dirname (link);
    struct stat d;

    if (st->st_uid == geteuid () || stat (dir, &d) != 0)
        return TRUE;
    if ((d.st_mode & (S_ISVTX | S_IWOTH)) != (S_ISVTX | S_IWOTH) || d.st_uid == st->st_uid)
        return TRUE;
    errno = EACCES;
    return FALSE;
}

/*
 * Follows the symbolic links from @path. Returns: (transfer full): the path of what they lead
 * to, which may not exist; NULL with errno set (EACCES for a link may_follow() refuses).
 * *@out_proc is TRUE (and the result @path) when a link is one of /proc's links to an open
 * file, which has no name to replace.
 */
static char *
follow_links (const char *path, gboolean *out_proc)
{
    g_autofree char *p = g_strdup (path);

    *out_proc = FALSE;
    for (int hops = 0; hops <= 40; hops++) {
        struct stat st;
        if (lstat (p, &st) != 0)
            return errno == ENOENT ? g_steal_pointer (&p) : NULL;
        if (!S_ISLNK (st.st_mode))
            return g_steal_pointer (&p);
        if (on_proc (p)) {
            *out_proc = TRUE;
            return g_strdup (path);
        }
        if (!may_follow (p, &st))
            return NULL;
        g_autofree char *target = g_file_read_link (p, NULL);
        if (target == NULL)
            return NULL;
        if (!g_path_is_absolute (target)) {
            g_autofree char *dir = g_path_get_dirname (p);
            char *joined = g_build_filename (dir, target, NULL);
            g_free (target);
            target = joined;
        }
        g_free (p);
        p = g_steal_pointer (&target);
    }
    errno = ELOOP;
    return NULL;
}

static FsimOutput *
output_new (Kind kind, const char *path)
{
    FsimOutput *out = g_new0 (FsimOutput, 1);
    out->kind = kind;
    out->path = g_strdup (path);
    out->dirfd = -1;
    out->slot = -1;
    return out;
}

/* Opens @target itself for writing, for @path: through /proc's link @path, at its end; else
 * @target, not through a symbolic link someone put there since it was looked at. */
static FsimOutput *
open_in_place (const char *path, const char *target, gboolean proc, GError **error)
{
    int fd = open (target, O_WRONLY | O_NOCTTY | O_CLOEXEC | (proc ? O_APPEND : O_NOFOLLOW));
    FILE *fp = fd >= 0 ? fdopen (fd, "w") : NULL;
    if (fp == NULL) {
        int saved = errno;
        if (fd >= 0)
            close (fd);
        cannot_write (error, path, saved);
        return NULL;
    }
    FsimOutput *out = output_new (KIND_IN_PLACE, path);
    out->fp = fp;
    return out;
}

/* Gives the file @fd, made with O_TMPFILE, the name @name in @dirfd; a name already there, a
 * symbolic link included, is EEXIST (linkat() never follows the new name). Returns: 0, or -1
 * with errno set. */
static int
link_name (int fd, int dirfd, const char *name)
{
    char proc[64];
    g_snprintf (proc, sizeof proc, "/proc/self/fd/%d", fd);
    return linkat (AT_FDCWD, proc, dirfd, name, AT_SYMLINK_FOLLOW);
}

/*
 * Creates a new file named @prefix, 8 random hex digits and @suffix in @dirfd with O_EXCL and
 * O_NOFOLLOW (so nothing that is already there, a symbolic link included, is ever opened) and
 * enters it in the cleanup list; or, when @link_fd is a file made with O_TMPFILE, gives it such
 * a name. Signals are blocked in this thread from the creation to the entry. Returns: the
 * descriptor (0 for @link_fd), its name in *@out_name and its slot in *@out_slot; or -1 with
 * errno set.
 */
static int
create_unique (int dirfd, const char *prefix, const char *suffix, mode_t mode, int link_fd,
               char **out_name, int *out_slot)
{
    g_autoptr (GRand) rand = g_rand_new (); /* seeded from /dev/urandom */
    sigset_t block, old;

    sigemptyset (&block);
    for (size_t i = 0; i < G_N_ELEMENTS (cleanup_signals); i++)
        sigaddset (&block, cleanup_signals[i]);
    for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++)
        sigaddset (&block, sig);
    for (int attempt = 0; attempt < 100; attempt++) {
        g_autofree char *name =
            g_strdup_printf ("%s%08" G_GINT32_MODIFIER "x%s", prefix, g_rand_int (rand), suffix);
        pthread_sigmask (SIG_BLOCK, &block, &old);
        int fd =
            link_fd >= 0
                ? link_name (link_fd, dirfd, name)
                : openat (dirfd, name,
                          O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC, mode);
        int saved = errno;
        if (fd >= 0)
            *out_slot = slot_add (dirfd, name);
        pthread_sigmask (SIG_SETMASK, &old, NULL);
        if (fd >= 0) {
            *out_name = g_steal_pointer (&name);
            return fd;
        }
        if (saved != EEXIST) {
            errno = saved;
            return -1;
        }
    }
    errno = EEXIST;
    return -1;
}

/* Gives the new file @fd the permission bits of @old, and its owner and group where the system
 * lets this user. Returns: 0, or -1 with errno set when the permission bits could not be set. */
static int
keep_mode_and_owner (int fd, const struct stat *old)
{
    struct stat now;
    if (fstat (fd, &now) == 0 && (now.st_uid != old->st_uid || now.st_gid != old->st_gid)) {
        /* Only root may give a file away; a group the user belongs to is allowed to all. */
        if (fchown (fd, old->st_uid, old->st_gid) != 0 && now.st_gid != old->st_gid &&
            fchown (fd, (uid_t) -1, old->st_gid) != 0) {
            /* not permitted: the new file keeps this user as owner */
        }
    }
    return fchmod (fd, old->st_mode & 0777); /* after fchown, which may clear mode bits */
}

static void
remove_temp (FsimOutput *out)
{
    if (out->tmp != NULL)
        unlinkat (out->dirfd, out->tmp, 0);
    slot_remove (out->slot);
    out->slot = -1;
    g_clear_pointer (&out->tmp, g_free);
}

/*
 * A file in @dirfd without a name (O_TMPFILE), opened with @flags (O_WRONLY or O_RDWR, and
 * O_EXCL for one that may never be named) and @mode. An output's is named only when it is
 * complete, just before it is renamed over the target (fsim_output_commit()): until then nothing
 * in the folder shows it, and if the process is killed by a signal no handler sees (SIGKILL: the
 * OOM killer, `kill -9`, mpirun ending the ranks left once some have died), or the power goes,
 * the system frees it. Returns: the descriptor; or -1 with errno 0 where the file system (or the
 * kernel) has no O_TMPFILE, or /proc, through which a file is named, is not mounted: then a
 * named temporary file is made instead; or -1 with errno set when the folder refuses a new file.
 */
static int
open_anonymous (int dirfd, int flags, mode_t mode)
{
#ifdef O_TMPFILE
    if ((flags & O_EXCL) || access ("/proc/self/fd", X_OK) == 0) {
        int fd = openat (dirfd, ".", flags | O_TMPFILE | O_NOCTTY | O_CLOEXEC, mode);
        if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL))
            return fd;
    }
#else
    (void) dirfd;
    (void) flags;
    (void) mode;
#endif
    errno = 0;
    return -1;
}

/* A temporary file next to @target (replacing @old, NULL if there is none), for @path. */
static FsimOutput *
open_replace (const char *path, const char *target, const struct stat *old, GError **error)
{
    g_autofree char *dir = g_path_get_dirname (target);
    g_autofree char *name = g_path_get_basename (target);
    g_autofree char *prefix = g_strdup_printf (".%.200s.flowsim-", name);
    g_autoptr (FsimOutput) out = output_new (KIND_REPLACE, path);
    int fd = -1;

    out->dirfd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (out->dirfd < 0) {
        cannot_write (error, path, errno);
        return NULL;
    }
    fd = open_anonymous (out->dirfd, O_WRONLY, 0666);
    out->anonymous = fd >= 0;
    if (fd < 0 && errno == 0)
        fd = create_unique (out->dirfd, prefix, "", 0666, -1, &out->tmp, &out->slot);
    if (fd < 0) {
        int saved = errno;
        g_autofree char *shown = fsim_text_clean (path), *shown_dir = fsim_text_clean (dir);
        g_autofree char *what =
            g_strdup_printf ("cannot write '%s': cannot create a file in '%s'", shown, shown_dir);
        set_errno_error (error, saved, what);
        return NULL;
    }
    out->sync = old != NULL;
    if ((old != NULL && keep_mode_and_owner (fd, old) != 0) ||
        (out->fp = fdopen (fd, "w")) == NULL) {
        int saved = errno;
        close (fd);
        cannot_write (error, path, saved);
        return NULL; /* the autoptr removes the temporary file */
    }
    out->name = g_steal_pointer (&name);
    out->prefix = g_steal_pointer (&prefix);
    return g_steal_pointer (&out);
}

FsimOutput *
fsim_output_open (const char *path, GError **error)
{
    gboolean proc = FALSE;
    g_autofree char *target = NULL;
    struct stat st;
    int probe;

    g_return_val_if_fail (path != NULL, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);
    if (*path == '\0' || (target = follow_links (path, &proc)) == NULL) {
        cannot_write (error, path, *path ? errno : ENOENT);
        return NULL;
    }
    if (proc)
        return open_in_place (path, path, TRUE, error);
    if (stat (target, &st) != 0) {
        int saved =
            errno == ENOENT && g_str_has_suffix (target, G_DIR_SEPARATOR_S) ? EISDIR : errno;
        if (saved != ENOENT) {
            cannot_write (error, path, saved);
            return NULL;
        }
        return open_replace (path, target, NULL, error);
    }
    if (!S_ISREG (st.st_mode))
        return open_in_place (path, target, FALSE, error);
    g_autofree char *shown = fsim_text_clean (path);
    if (fsim_input_file_was_read ((guint64) st.st_dev, (guint64) st.st_ino)) {
        g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_EXIST,
                     "will not write '%s': it is an input of this run (the scenario, or a "
                     "file it includes, extends, imports or loads as its snapshot); choose "
                     "another output file",
                     shown);
        return NULL;
    }
    if (written_has (&st)) {
        g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_EXIST,
                     "will not write '%s': this run has already written that file as another "
                     "of its outputs (--output, --save, --export); choose a file of its own "
                     "for each",
                     shown);
        return NULL;
    }
    /* The system's own answer to "may this user write this file?" (permissions, ACLs, a
     * read-only mount, an immutable file): open(2) without O_TRUNC changes nothing. */
    probe = open (target, O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (probe < 0) {
        cannot_write (error, path, errno);
        return NULL;
    }
    close (probe);
    return open_replace (path, target, &st, error);
}

int
fsim_output_scratch (GError **error)
{
    const char *dir = g_get_tmp_dir ();
    int dirfd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int fd = -1, saved = dirfd < 0 ? errno : 0;

    g_return_val_if_fail (error == NULL || *error == NULL, -1);
    if (dirfd >= 0) {
        /* O_EXCL: the file can never be given a name, so nothing of it outlives the descriptor */
        fd = open_anonymous (dirfd, O_RDWR | O_EXCL, 0600);
        saved = fd < 0 ? errno : 0; /* 0: no O_TMPFILE here */
    }
    if (fd < 0 && saved == 0) {
        /* a new name (O_EXCL, entered in the cleanup list), removed as soon as it is open */
        g_autofree char *name = NULL;
        int slot = -1, made = create_unique (dirfd, "flowsim-", "", 0600, -1, &name, &slot);
        if (made >= 0) {
            fd = openat (dirfd, name, O_RDWR | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
            saved = fd < 0 ? errno : 0;
            close (made);
            unlinkat (dirfd, name, 0);
            slot_remove (slot);
        } else {
            saved = errno;
        }
    }
    if (dirfd >= 0)
        close (dirfd);
    if (fd < 0) {
        g_autofree char *what = g_strdup_printf ("cannot create a temporary file in '%s'", dir);
        set_errno_error (error, saved, what);
    }
    return fd;
}

FILE *
fsim_output_stream (FsimOutput *out)
{
    g_return_val_if_fail (out != NULL && out->fp != NULL, NULL);
    return out->fp;
}

const char *
fsim_output_path (const FsimOutput *out)
{
    g_return_val_if_fail (out != NULL, NULL);
    return out->path;
}

gboolean
fsim_output_commit (FsimOutput *out, GError **error)
{
    int saved = 0;

    g_return_val_if_fail (out != NULL && out->fp != NULL, FALSE);
    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
    errno = 0;
    /* a write that failed while the buffer was empty (a text larger than it goes straight to
     * write(2)) leaves fflush() nothing to fail on and errno at 0: its own errno is kept */
    if (fflush (out->fp) != 0 || ferror (out->fp))
        saved = out->write_errno ? out->write_errno : errno ? errno : EIO;
    if (saved == 0 && out->sync && fsync (fileno (out->fp)) != 0 && errno != EINVAL)
        saved = errno; /* the new contents on disk before the name points at them */
    if (saved == 0 && out->anonymous &&
        create_unique (out->dirfd, out->prefix, "", 0, fileno (out->fp), &out->tmp, &out->slot) < 0)
        saved = errno; /* nothing was named: the file goes with its descriptor */
    struct stat st = { 0 };
    gboolean known = saved == 0 && out->kind == KIND_REPLACE && fstat (fileno (out->fp), &st) == 0;
    if (fclose (out->fp) != 0 && saved == 0)
        saved = errno;
    out->fp = NULL;
    if (saved == 0 && out->kind == KIND_REPLACE &&
        renameat (out->dirfd, out->tmp, out->dirfd, out->name) != 0)
        saved = errno;
    if (saved != 0) {
        remove_temp (out);
        cannot_write (error, out->path, saved);
        return FALSE;
    }
    if (out->kind == KIND_REPLACE) {
        if (known) /* the temporary file is the target now */
            written_add (&st);
        slot_remove (out->slot); /* after the rename: the handler finds nothing by that name */
        out->slot = -1;
        g_clear_pointer (&out->tmp, g_free);
    }
    return TRUE;
}

void
fsim_output_free (FsimOutput *out)
{
    if (out == NULL)
        return;
    if (out->fp != NULL)
        fclose (out->fp);
    remove_temp (out);
    if (out->dirfd >= 0)
        close (out->dirfd);
    g_free (out->path);
    g_free (out->name);
    g_free (out->prefix);
    g_free (out);
}

gboolean
fsim_output_set_contents (const char *path, const void *data, size_t len, GError **error)
{
    g_autoptr (FsimOutput) out = fsim_output_open (path, error);

    if (out == NULL)
        return FALSE;
    errno = 0;
    if (len > 0 && fwrite (data, 1, len, out->fp) < len)
        out->write_errno = errno; /* -o /dev/full said "Input/output error", not ENOSPC */
    return fsim_output_commit (out, error);
}
