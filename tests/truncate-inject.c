/* SPDX-License-Identifier: MIT */
/*
 * truncate-inject.c: an LD_PRELOAD module that empties a file while flowsim reads it.
 *
 * The file named by FLOWSIM_TRUNCATE_FILE is truncated to 0 bytes right after the process
 * first maps it (mmap) or first reads bytes of it (read): what another program truncating
 * it at that moment would do, without a race. A mapped file so cut kills the process with
 * SIGBUS when its pages are touched; a read one must give "changed while being read".
 * Once only. Used by tests/test-import.c; not part of flowsim.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

static int done;

/* Is @fd the file to truncate? Then truncate it (once). */
static void
maybe_truncate (int fd)
{
    const char *path = getenv ("FLOWSIM_TRUNCATE_FILE");
    struct stat a, b;
    if (done || fd < 0 || !path || fstat (fd, &a) != 0 || stat (path, &b) != 0)
        return;
    if (a.st_dev == b.st_dev && a.st_ino == b.st_ino && S_ISREG (a.st_mode)) {
        done = 1;
        if (truncate (path, 0) != 0)
            abort ();
    }
}

ssize_t
read (int fd, void *buf, size_t n)
{
    static ssize_t (*real) (int, void *, size_t);
    if (!real)
        *(void **) &real = dlsym (RTLD_NEXT, "read");
    ssize_t got = real (fd, buf, n);
    if (got > 0)
        maybe_truncate (fd);
    return got;
}

void *
mmap (void *addr, size_t len, int prot, int flags, int fd, off_t offset)
{
    static void *(*real) (void *, size_t, int, int, int, off_t);
    if (!real)
        *(void **) &real = dlsym (RTLD_NEXT, "mmap");
    void *p = real (addr, len, prot, flags, fd, offset);
    if (p != MAP_FAILED)
        maybe_truncate (fd);
    return p;
}
