/* SPDX-License-Identifier: MIT */
/* output-path.c: where an output's path leads, walked one name at a time (output-private.h). */
#define _GNU_SOURCE /* O_PATH */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/vfs.h>
#endif

#include <glib.h>

#include "output-private.h"

#ifdef O_PATH /* a folder that may be searched but not read is walked through, as by the kernel */
#define FOLDER_FLAGS (O_PATH | O_DIRECTORY | O_CLOEXEC)
#else
#define FOLDER_FLAGS (O_RDONLY | O_DIRECTORY | O_CLOEXEC)
#endif
#define MAX_LINKS 40

/* Is the folder @dirfd /proc's (whose links to open files have no name to replace)? */
static gboolean
on_proc (int dirfd)
{
#ifdef __linux__
    struct statfs fs;
    return fstatfs (dirfd, &fs) == 0 && fs.f_type == 0x9fa0; /* PROC_SUPER_MAGIC */
#else
    (void) dirfd;
    return FALSE;
#endif
}

/* Is @place's folder a /proc/PID/fd, whose missing names are descriptors not open? */
static gboolean
on_proc_fd (const FsimOutputPlace *place)
{
    return place->dir != NULL && g_str_has_suffix (place->dir, "/fd") && on_proc (place->dirfd);
}

/*
 * Is @dirfd a sticky folder that everyone may write (/tmp), and @owner neither this user nor the
 * folder's owner? The kernel's rule for fs.protected_symlinks, protected_regular and
 * protected_fifos, applied to folders too. Without it, root's `-o /tmp/report.txt` would follow
 * another user's link there to /etc/passwd, `-o /tmp/out/r.txt` a link /tmp/out to /etc, or write
 * the report into a FIFO or a 0666 file that user made to read it; and `--export /tmp/ex` would
 * write into a folder that user made there beforehand, through the links they put in it
 * (friendships.txt -> /etc/shadow), which the kernel's rule follows (their folder, their link).
 */
static gboolean
foreign_in_sticky (int dirfd, uid_t owner)
{
    struct stat d;

    if (owner == geteuid () || fstat (dirfd, &d) != 0)
        return FALSE;
    return (d.st_mode & (S_ISVTX | S_IWOTH)) == (S_ISVTX | S_IWOTH) && d.st_uid != owner;
}

/* The text of the link @name in @dirfd: (transfer full), or NULL with errno set. */
static char *
read_link_at (int dirfd, const char *name)
{
    char buf[PATH_MAX];
    ssize_t n = readlinkat (dirfd, name, buf, sizeof buf);

    if (n < 0)
        return NULL;
    if ((size_t) n >= sizeof buf || n == 0) {
        errno = n == 0 ? ENOENT : ENAMETOOLONG;
        return NULL;
    }
    return g_strndup (buf, (gsize) n);
}

/* Starts @place at "/" (@absolute) or at the working folder. */
static gboolean
start_at (FsimOutputPlace *place, gboolean absolute)
{
    int fd = open (absolute ? "/" : ".", FOLDER_FLAGS);

    if (fd < 0)
        return FALSE;
    if (place->dirfd >= 0)
        close (place->dirfd);
    place->dirfd = fd;
    g_free (place->dir);
    place->dir = absolute ? g_strdup ("/") : NULL;
    return TRUE;
}

/* Moves @place into the folder @name of its folder; never through a link put there meanwhile
 * (ELOOP or ENOTDIR). */
static gboolean
enter (FsimOutputPlace *place, const char *name)
{
    int fd = openat (place->dirfd, name, FOLDER_FLAGS | O_NOFOLLOW);

    if (fd < 0)
        return FALSE;
    close (place->dirfd);
    place->dirfd = fd;
    char *dir = place->dir ? g_build_filename (place->dir, name, NULL) : g_strdup (name);
    g_free (place->dir);
    place->dir = dir;
    return TRUE;
}

/* The last name, @name, which exists as @st: a regular file or a FIFO planted by another user in
 * a sticky folder is refused, as a link is. */
static gboolean
found (FsimOutputPlace *place, char *name, const struct stat *st, gboolean trailing_slash)
{
    place->name = name;
    place->exists = TRUE;
    place->st = *st;
    if (trailing_slash && !S_ISDIR (st->st_mode)) {
        errno = ENOTDIR;
        return FALSE;
    }
    if ((S_ISREG (st->st_mode) || S_ISFIFO (st->st_mode)) &&
        foreign_in_sticky (place->dirfd, st->st_uid)) {
        errno = EACCES;
        return FALSE;
    }
    return TRUE;
}

/* The name @name, missing from @place's folder: made a folder (@folder) or the new file's name. */
static gboolean
missing (FsimOutputPlace *place, char *name, gboolean last, gboolean trailing_slash)
{
    if (!last) {
        g_free (name);
        errno = ENOENT;
        return FALSE;
    }
    place->name = name;
    errno = EISDIR; /* "new/": a folder to be, not a file */
    return !trailing_slash;
}

/* Follows the link @name (@st) of @place's folder: the walk's text, *@todo, becomes the link's
 * text then @rest (which points into *@todo). */
static gboolean
follow (FsimOutputPlace *place, const char *name, const struct stat *st, const char *rest,
        char **todo, int *links)
{
    if (foreign_in_sticky (place->dirfd, st->st_uid)) {
        errno = EACCES;
        return FALSE;
    }
    if (++*links > MAX_LINKS) {
        errno = ELOOP;
        return FALSE;
    }
    g_autofree char *target = read_link_at (place->dirfd, name);
    if (target == NULL || (*target == '/' && !start_at (place, TRUE)))
        return FALSE;
    char *more = g_strconcat (target, rest, NULL);
    g_free (*todo);
    *todo = more;
    return TRUE;
}

/* Goes into the folder @name (@st) of @place's folder, made by another user in a sticky folder
 * only if that is allowed. */
static gboolean
go_into (FsimOutputPlace *place, const char *name, const struct stat *st)
{
    if (!S_ISDIR (st->st_mode))
        errno = ENOTDIR;
    else if (foreign_in_sticky (place->dirfd, st->st_uid))
        errno = EACCES;
    else
        return enter (place, name);
    return FALSE;
}

/* (free() keeps errno, as POSIX.1-2024 and glibc since 2.33 do: names are freed on the way out.) */
gboolean
fsim_i_output_place_find (const char *path, gboolean folder, FsimOutputPlace *place)
{
    g_autofree char *todo = g_strdup (path);
    const char *p = todo;
    int links = 0, made = 0; /* links followed; folders made for the name at p */

    *place = (FsimOutputPlace){ .dirfd = -1 };
    if (*path == '\0') {
        errno = ENOENT;
        return FALSE;
    }
    if (!start_at (place, *path == '/'))
        return FALSE;
    for (;;) {
        p += strspn (p, "/");
        size_t len = strcspn (p, "/");
        const char *rest = p + len; /* "" or "/..." */
        gboolean last = rest[strspn (rest, "/")] == '\0', slash = last && *rest != '\0';
        if (len == 0) { /* "/", or a link to it: the folder itself */
            errno = EISDIR;
            return folder;
        }
        g_autofree char *name = g_strndup (p, len);
        struct stat st;
        if (fstatat (place->dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
            if (errno == ENOENT && !folder && on_proc_fd (place))
                errno = EBADF; /* /dev/stdout with standard output closed, /dev/fd/7 */
            if (errno != ENOENT || !folder)
                return errno == ENOENT && missing (place, g_steal_pointer (&name), last, slash);
            if (mkdirat (place->dirfd, name, 0777) != 0 && errno != EEXIST)
                return FALSE;
            /* a name that comes and goes; each folder of a deep new path is made once */
            if (++made > MAX_LINKS) {
                errno = ELOOP;
                return FALSE;
            }
            continue; /* looked at again */
        }
        if (S_ISLNK (st.st_mode) && last && !folder && on_proc (place->dirfd)) {
            place->proc = TRUE;
            return found (place, g_steal_pointer (&name), &st, FALSE);
        }
        if (S_ISLNK (st.st_mode)) {
            if (!follow (place, name, &st, rest, &todo, &links))
                return FALSE;
            p = todo;
            continue;
        }
        if (last && !folder)
            return found (place, g_steal_pointer (&name), &st, slash);
        if (!go_into (place, name, &st))
            return FALSE;
        if (last)
            return TRUE;
        p = rest;
        made = 0;
    }
}

void
fsim_i_output_place_clear (FsimOutputPlace *place)
{
    if (place->dirfd >= 0)
        close (place->dirfd);
    place->dirfd = -1;
    g_clear_pointer (&place->dir, g_free);
    g_clear_pointer (&place->name, g_free);
}
