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

#include <glib.h>
#include <glib/gstdio.h>

#include "inputfile.h"
#include "output-private.h"
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

/* Refuses (TRUE, @error set) the regular file @st if this run read it as an input or wrote it as
 * another of its outputs. */
static gboolean
refuse_known (const char *path, const struct stat *st, GError **error)
{
    g_autofree char *shown = fsim_text_clean (path);

    if (fsim_input_file_was_read ((guint64) st->st_dev, (guint64) st->st_ino)) {
        g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_EXIST,
                     "will not write '%s': it is an input of this run (the scenario, or a "
                     "file it includes, extends, imports or loads as its snapshot); choose "
                     "another output file",
                     shown);
        return TRUE;
    }
    if (written_has (st)) {
        g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_EXIST,
                     "will not write '%s': this run has already written that file as another "
                     "of its outputs (--output, --save, --export); choose a file of its own "
                     "for each",
                     shown);
        return TRUE;
    }
    return FALSE;
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

/* Opens the file @place names itself for writing, for @path: through /proc's link, at its end
 * (an open file has no name to replace); else not through a symbolic link put there since it was
 * looked at. An input of this run reached through /proc (`-o /dev/stdin < scenario.json`) is
 * refused as it is by name. */
static FsimOutput *
open_in_place (const char *path, const FsimOutputPlace *place, GError **error)
{
    int flags = O_WRONLY | O_NOCTTY | O_CLOEXEC | (place->proc ? O_APPEND : O_NOFOLLOW);
    int fd = openat (place->dirfd, place->name, flags);
    struct stat st;
    if (fd >= 0 && place->proc && fstat (fd, &st) == 0 && S_ISREG (st.st_mode) &&
        refuse_known (path, &st, error)) {
        close (fd);
        return NULL;
    }
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

/* A temporary file in @place's folder (replacing @old, NULL if there is none), for @path; takes
 * @place's folder. */
static FsimOutput *
open_replace (const char *path, FsimOutputPlace *place, const struct stat *old, GError **error)
{
    g_autofree char *prefix = g_strdup_printf (".%.200s.flowsim-", place->name);
    g_autoptr (FsimOutput) out = output_new (KIND_REPLACE, path);
    int fd = -1;

    out->dirfd = place->dirfd;
    place->dirfd = -1;
    fd = open_anonymous (out->dirfd, O_WRONLY, 0666);
    out->anonymous = fd >= 0;
    if (fd < 0 && errno == 0)
        fd = create_unique (out->dirfd, prefix, "", old != NULL ? 0600 : 0666, -1, &out->tmp,
                            &out->slot); /* a file's new contents readable by no one else until its
                                          * mode is the old one's (keep_mode_and_owner()) */
    if (fd < 0) {
        int saved = errno;
        g_autofree char *shown = fsim_text_clean (path);
        g_autofree char *shown_dir = fsim_text_clean (place->dir ? place->dir : ".");
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
    out->name = g_strdup (place->name);
    out->prefix = g_steal_pointer (&prefix);
    return g_steal_pointer (&out);
}

FsimOutput *
fsim_output_open (const char *path, GError **error)
{
    g_auto (FsimOutputPlace) place = { .dirfd = -1 };
    const struct stat *st = &place.st;

    g_return_val_if_fail (path != NULL, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);
    if (!fsim_i_output_place_find (path, FALSE, &place)) {
        cannot_write (error, path, errno);
        return NULL;
    }
    if (!place.exists)
        return open_replace (path, &place, NULL, error);
    if (place.proc || !S_ISREG (st->st_mode))
        return open_in_place (path, &place, error);
    if (refuse_known (path, st, error))
        return NULL;
    /* The system's own answer to "may this user write this file?" (permissions, ACLs, a
     * read-only mount, an immutable file): open(2) without O_TRUNC changes nothing. */
    int probe =
        openat (place.dirfd, place.name, O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW);
    if (probe < 0) {
        cannot_write (error, path, errno);
        return NULL;
    }
    close (probe);
    return open_replace (path, &place, st, error);
}

gboolean
fsim_output_check_stdout (GError **error)
{
    struct stat st;

    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
    if (fstat (STDOUT_FILENO, &st) != 0 || !S_ISREG (st.st_mode) ||
        !fsim_input_file_was_read ((guint64) st.st_dev, (guint64) st.st_ino))
        return TRUE;
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_EXIST,
                 "will not write to standard output: it is an input of this run (the scenario, "
                 "or a file it includes, extends, imports or loads as its snapshot), opened by "
                 "the shell ('>>'); choose another output file");
    return FALSE;
}

gboolean
fsim_output_make_folder (const char *path, GError **error)
{
    g_auto (FsimOutputPlace) place = { .dirfd = -1 };

    g_return_val_if_fail (path != NULL, FALSE);
    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
    if (fsim_i_output_place_find (path, TRUE, &place))
        return TRUE;
    int saved = errno;
    g_autofree char *shown = fsim_text_clean (path);
    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                 "cannot create the folder '%s': %s", shown, g_strerror (saved));
    return FALSE;
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
        g_autofree char *shown = fsim_text_clean (dir); /* $TMPDIR "a\nb": one line */
        g_autofree char *what = g_strdup_printf ("cannot create a temporary file in '%s'", shown);
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
