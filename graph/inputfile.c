/* SPDX-License-Identifier: MIT */
/* inputfile.c: which files an input may make flowsim read, and reading them within a limit. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/vfs.h>
#endif

#include <glib.h>
#include <glib/gstdio.h>

#include "inputfile.h"
#include "memory.h"

/* Every regular file this process has opened as an input, by device and inode: an output must
 * not replace one (fsim_input_file_was_read()). Keys are "DEV:INO" strings. */
G_LOCK_DEFINE_STATIC (inputs);
static GHashTable *inputs;

static char *
file_key (guint64 dev, guint64 ino)
{
    return g_strdup_printf ("%" G_GUINT64_FORMAT ":%" G_GUINT64_FORMAT, dev, ino);
}

static void
remember_input (const struct stat *st)
{
    char *key = file_key ((guint64) st->st_dev, (guint64) st->st_ino);
    G_LOCK (inputs);
    if (inputs == NULL)
        inputs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    g_hash_table_add (inputs, key);
    G_UNLOCK (inputs);
}

gboolean
fsim_input_file_was_read (guint64 dev, guint64 ino)
{
    g_autofree char *key = file_key (dev, ino);
    G_LOCK (inputs);
    gboolean read = inputs != NULL && g_hash_table_contains (inputs, key);
    G_UNLOCK (inputs);
    return read;
}

void
fsim_input_file_note (int fd)
{
    struct stat st;
    if (fd >= 0 && fstat (fd, &st) == 0 && S_ISREG (st.st_mode))
        remember_input (&st);
}

/* Is @fd on a kernel pseudo file system, whose "regular" files have no real size? */
static gboolean
is_pseudo_file (int fd)
{
#ifdef __linux__
    struct statfs fs;
    if (fstatfs (fd, &fs) != 0)
        return FALSE;
    return fs.f_type == 0x9fa0         /* PROC_SUPER_MAGIC */
           || fs.f_type == 0x62656572  /* SYSFS_MAGIC */
           || fs.f_type == 0x64626720  /* DEBUGFS_MAGIC */
           || fs.f_type == 0x73636673; /* SECURITYFS_MAGIC */
#else
    (void) fd;
    return FALSE;
#endif
}

static FsimInputStatus
fail_errno (int saved, char **out_reason)
{
    *out_reason = g_strdup (g_strerror (saved));
    return FSIM_INPUT_FAILED;
}

static FsimInputStatus
fail_memory (gsize bytes, char **out_reason)
{
    *out_reason =
        g_strdup_printf ("out of memory: needed %" G_GSIZE_FORMAT " bytes to read it", bytes);
    return FSIM_INPUT_FAILED;
}

FsimInputStatus
fsim_input_file_open (const char *path, gboolean allow_pipe, int *out_fd, guint64 *out_size,
                      char **out_reason)
{
    g_return_val_if_fail (path != NULL && out_fd != NULL && out_reason != NULL, FSIM_INPUT_FAILED);

    /* O_NONBLOCK: opening a FIFO must not wait for a writer before it is refused */
    int fd = g_open (path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC, 0);
    struct stat st;
    const char *refused = NULL;

    if (fd < 0)
        return fail_errno (errno, out_reason);
    if (fstat (fd, &st) != 0) {
        int saved = errno;
        close (fd);
        return fail_errno (saved, out_reason);
    }
    if (S_ISDIR (st.st_mode))
        refused = "it is a directory";
    else if (S_ISFIFO (st.st_mode) && !allow_pipe)
        refused = "it is a FIFO or pipe, not a regular file";
    else if (!S_ISREG (st.st_mode) && !S_ISFIFO (st.st_mode))
        refused = "it is a device or socket, not a regular file";
    else if (is_pseudo_file (fd))
        refused = "files of /proc and /sys are never read";
    if (refused == NULL && S_ISFIFO (st.st_mode)) {
        /* opened without blocking, a FIFO reads as empty until its writer comes: open it
         * again, now waiting for the writer, and check it is the same FIFO */
        struct stat again;
        int blocking = g_open (path, O_RDONLY | O_NOCTTY | O_CLOEXEC, 0);
        if (blocking < 0 || fstat (blocking, &again) != 0 || again.st_dev != st.st_dev ||
            again.st_ino != st.st_ino) {
            if (blocking >= 0)
                close (blocking);
            refused = "it changed while being opened";
        } else {
            close (fd);
            fd = blocking;
        }
    } else if (refused == NULL && fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) & ~O_NONBLOCK) != 0) {
        refused = "cannot read it in blocking mode";
    }
    if (refused != NULL) {
        close (fd);
        *out_reason = g_strdup (refused);
        return FSIM_INPUT_REFUSED;
    }
    *out_fd = fd;
    if (S_ISREG (st.st_mode))
        remember_input (&st);
    if (out_size != NULL)
        *out_size = S_ISREG (st.st_mode) ? (guint64) st.st_size : 0;
    return FSIM_INPUT_OK;
}

FsimInputStatus
fsim_input_fd_read (int fd, guint64 max_bytes, char **out_data, gsize *out_len, char **out_reason)
{
    g_return_val_if_fail (fd >= 0 && out_data != NULL && out_len != NULL && out_reason != NULL,
                          FSIM_INPUT_FAILED);

    struct stat st;
    if (fstat (fd, &st) != 0) {
        int saved = errno;
        close (fd);
        return fail_errno (saved, out_reason);
    }
    guint64 size = S_ISREG (st.st_mode) ? (guint64) st.st_size : 0;
    if (size > max_bytes) {
        close (fd);
        return FSIM_INPUT_TOO_LARGE;
    }
    /* read to the end, not st_size bytes: a file may change, a pipe has no size. Read, not
     * mapped: a mapped file that someone truncates kills the process with SIGBUS when the
     * pages past its new end are touched. The buffer is tried, not assumed (GLib's arrays
     * abort when memory runs out); a regular file's fits at once (with a byte to see its end
     * and one for the NUL), a pipe's doubles. */
    gsize cap = (gsize) size + 2, len = 0;
    g_autofree char *buf = fsim_try_new (cap, 1, NULL, NULL);
    if (!buf) {
        close (fd);
        return fail_memory (cap, out_reason);
    }
    for (;;) {
        if (cap - len == 1) {
            gsize want = (gsize) MIN ((guint64) len + MAX (len, 65536), max_bytes + 1) + 1;
            char *bigger = fsim_try_renew (buf, want, 1);
            if (!bigger) {
                close (fd);
                return fail_memory (want, out_reason);
            }
            buf = bigger;
            cap = want;
        }
        ssize_t n = read (fd, buf + len, MIN (cap - len - 1, (gsize) 1 << 20));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int saved = errno;
            close (fd);
            return fail_errno (saved, out_reason);
        }
        if (n == 0)
            break;
        if (len + (guint64) n > max_bytes) {
            close (fd);
            return FSIM_INPUT_TOO_LARGE;
        }
        len += (gsize) n;
    }
    /* a regular file now shorter than what was read was cut while being read: its bytes are
     * from two versions of it */
    gboolean cut = S_ISREG (st.st_mode) && fstat (fd, &st) == 0 && (guint64) st.st_size < len;
    close (fd);
    if (cut) {
        *out_reason = g_strdup ("it changed while being read (it is shorter now)");
        return FSIM_INPUT_FAILED;
    }
    buf[len] = '\0';
    *out_len = len;
    *out_data = g_steal_pointer (&buf);
    return FSIM_INPUT_OK;
}

FsimInputStatus
fsim_input_file_read (const char *path, gboolean allow_pipe, guint64 max_bytes, char **out_data,
                      gsize *out_len, char **out_reason)
{
    g_return_val_if_fail (out_data != NULL && out_len != NULL, FSIM_INPUT_FAILED);

    int fd = -1;
    FsimInputStatus status = fsim_input_file_open (path, allow_pipe, &fd, NULL, out_reason);

    if (status != FSIM_INPUT_OK)
        return status;
    return fsim_input_fd_read (fd, max_bytes, out_data, out_len, out_reason);
}
