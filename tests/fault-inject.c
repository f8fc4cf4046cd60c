/* SPDX-License-Identifier: MIT */
/*
 * fault-inject.c: an LD_PRELOAD module that makes one allocation by a chosen library fail.
 *
 * malloc, calloc and realloc are replaced by wrappers around glibc's own (__libc_malloc, ...).
 * A call made from code inside the library whose file name contains FLOWSIM_FAULT_LIB
 * (default "libigraph.so"; "program" is the executable itself; its executable segments are
 * found once with dl_iterate_phdr, and the call's return address must lie in one) is counted; the one numbered FLOWSIM_FAULT_FAIL
 * (1-based) returns NULL, as does every later one when the value ends in '+'. With
 * FLOWSIM_FAULT_MIN_SIZE=BYTES only calls asking for at least that many bytes are counted.
 * Allocations from other code are never failed. GLib aborts by design when g_malloc fails;
 * flowsim's large allocations call calloc, malloc and realloc themselves (fsim_try_new0,
 * graph/memory.h), so "program" with a minimum size fails exactly those.
 *
 * At exit the module writes "COUNT FAILED FOUND\n" to FLOWSIM_FAULT_REPORT if set: how many of
 * the library's allocations the process made, how many it refused, and how many executable
 * segments of the library it found (0: the library is not loaded, and nothing was tested). It
 * allocates nothing. With FLOWSIM_FAULT_LOG=PATH it also writes one line "N BYTES" to PATH for
 * every counted call, as it is made, so that a test can find the number of the allocation it
 * means to fail by its size in a counting run rather than hard-code it.
 *
 * Used by tests/test-faults.c; not part of flowsim.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <link.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern void *__libc_malloc (size_t size);
extern void *__libc_calloc (size_t n, size_t size);
extern void *__libc_realloc (void *p, size_t size);

#define MAX_RANGES 8

static struct {
    uintptr_t start, end;
} ranges[MAX_RANGES];
static int n_ranges;
static unsigned long fail_at; /* 0: fail nothing */
static int fail_after;        /* fail every call from fail_at on */
static size_t min_size;       /* count only calls asking for at least this */
static atomic_ulong n_calls;
static atomic_ulong n_failed;
static int log_fd = -1; /* FLOWSIM_FAULT_LOG, or -1 */

static int
find_library (struct dl_phdr_info *info, size_t size, void *data)
{
    (void) size;
    /* "program": the executable itself, which dl_iterate_phdr lists first, with no name */
    int program = strcmp ((const char *) data, "program") == 0;
    if (program ? info->dlpi_name && info->dlpi_name[0] != '\0'
                : !info->dlpi_name || !strstr (info->dlpi_name, (const char *) data))
        return 0;
    for (int i = 0; i < info->dlpi_phnum && n_ranges < MAX_RANGES; i++) {
        const ElfW (Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X)) {
            ranges[n_ranges].start = info->dlpi_addr + ph->p_vaddr;
            ranges[n_ranges].end = ranges[n_ranges].start + ph->p_memsz;
            n_ranges++;
        }
    }
    return 1;
}

static void
write_report (void)
{
    const char *path = getenv ("FLOWSIM_FAULT_REPORT");
    if (!path)
        return;
    char line[64];
    int len = snprintf (line, sizeof line, "%lu %lu %d\n", atomic_load (&n_calls),
                        atomic_load (&n_failed), n_ranges);
    int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return;
    if (write (fd, line, (size_t) len) != len)
        (void) 0; /* the test reads the file and fails on a short one */
    close (fd);
}

__attribute__ ((constructor)) static void
fault_inject_init (void)
{
    const char *at = getenv ("FLOWSIM_FAULT_FAIL");
    if (at) {
        char *end = NULL;
        fail_at = strtoul (at, &end, 10);
        fail_after = end && *end == '+';
    }
    const char *min = getenv ("FLOWSIM_FAULT_MIN_SIZE");
    if (min)
        min_size = strtoul (min, NULL, 10);
    const char *lib = getenv ("FLOWSIM_FAULT_LIB");
    dl_iterate_phdr (find_library, (void *) (lib && *lib ? lib : "libigraph.so"));
    const char *log = getenv ("FLOWSIM_FAULT_LOG");
    if (log && *log)
        log_fd = open (log, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
    atexit (write_report);
}

/* Whether this call for @size bytes, from @caller, is to fail. */
static int
inject (const void *caller, size_t size)
{
    uintptr_t a = (uintptr_t) caller;
    int from_library = 0;
    if (size < min_size)
        return 0;
    for (int i = 0; i < n_ranges; i++)
        from_library |= a >= ranges[i].start && a < ranges[i].end;
    if (!from_library)
        return 0;
    unsigned long k = atomic_fetch_add (&n_calls, 1) + 1;
    if (log_fd >= 0) {
        char line[48];
        int len = snprintf (line, sizeof line, "%lu %zu\n", k, size);
        if (write (log_fd, line, (size_t) len) != len)
            (void) 0; /* the test finds a short log wanting */
    }
    if (fail_at == 0 || k < fail_at || (k > fail_at && !fail_after))
        return 0;
    atomic_fetch_add (&n_failed, 1);
    return 1;
}

void *
malloc (size_t size)
{
    if (inject (__builtin_return_address (0), size))
        return NULL;
    return __libc_malloc (size);
}

void *
calloc (size_t n, size_t size)
{
    size_t bytes = n > 0 && size > (size_t) -1 / n ? (size_t) -1 : n * size;
    if (inject (__builtin_return_address (0), bytes))
        return NULL;
    return __libc_calloc (n, size);
}

void *
realloc (void *p, size_t size)
{
    if (inject (__builtin_return_address (0), size))
        return NULL;
    return __libc_realloc (p, size);
}
