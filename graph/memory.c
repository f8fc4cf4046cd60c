/* SPDX-License-Identifier: MIT */
/* memory.c: how much memory this process may use, to refuse work that would not fit. */
#include "config.h"

#include <errno.h>

#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <glib.h>

#include "friends.h"
#include "memory.h"

/* The caller's own cap (fsim_memory_set_limit()); 0: none. And its name for the messages. */
static guint64 caller_limit;
static const char *caller_name = "the memory limit set";
/* The processes sharing this machine's memory (fsim_memory_set_share()); 1 alone. */
static guint share = 1;

/* A number of bytes with an optional K, M or G suffix; 0 if @s is not one. Decimal digits
 * first: strtoull would take "-1" as 2^64 - 1 and a number past 2^64 as 2^64 - 1, and the shift
 * would wrap "17179869185G" round to 1 GiB, each a limit the user did not ask for and never
 * told of (FLOWSIM_MEMORY_LIMIT=-1 removed the limit without a word). */
static guint64
parse_bytes (const char *s)
{
    char *end = NULL;
    if (!g_ascii_isdigit (*s))
        return 0;
    errno = 0;
    guint64 v = g_ascii_strtoull (s, &end, 10);
    if (errno == ERANGE)
        return 0;
    unsigned shift = 0;
    switch (g_ascii_toupper (*end)) {
    case 'G':
        shift += 10; /* fall through */
        G_GNUC_FALLTHROUGH;
    case 'M':
        shift += 10;
        G_GNUC_FALLTHROUGH;
    case 'K':
        shift += 10;
        end++;
        break;
    default:
        break;
    }
    if (shift > 0 && v > (G_MAXUINT64 >> shift))
        return 0;
    return *end == '\0' ? v << shift : 0; /* "1M\nx" is not 1M (a file's text is stripped) */
}

/* The number in the first line of @path ("max" and unreadable files give 0). */
static guint64
read_limit_file (const char *path)
{
    g_autofree char *text = NULL;
    if (!g_file_get_contents (path, &text, NULL, NULL))
        return 0;
    return parse_bytes (g_strstrip (text));
}

/* What the machine gives all its processes: the physical memory and the cgroup's limit;
 * *@out_cgroup: whether the cgroup's is the smaller. */
static guint64
compute_machine (gboolean *out_cgroup)
{
    guint64 limit = G_MAXUINT64;
    *out_cgroup = FALSE;
    long pages = sysconf (_SC_PHYS_PAGES), page = sysconf (_SC_PAGESIZE);
    guint64 v;

    if (pages > 0 && page > 0)
        limit = (guint64) pages * (guint64) page;
#ifdef __linux__
    /* the process's own cgroup would be more exact; the root of the namespace is what a
     * container sees */
    if ((v = read_limit_file ("/sys/fs/cgroup/memory.max")) == 0)
        v = read_limit_file ("/sys/fs/cgroup/memory/memory.limit_in_bytes");
    *out_cgroup = v > 0 && v < limit;
    if (*out_cgroup)
        limit = v;
#else
    (void) v;
#endif
    return limit;
}

/* What this process alone may map: RLIMIT_AS. */
static guint64
compute_process (void)
{
    struct rlimit rl;

    if (getrlimit (RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
        return (guint64) rl.rlim_cur;
    return G_MAXUINT64;
}

/* Which of the limits binds (fsim_memory_whose()). */
typedef enum { BY_MACHINE, BY_CGROUP, BY_CALLER, BY_ADDRESS_SPACE } Binding;

/* fsim_memory_limit(), and in *@out_by (nullable) the limit that gives it. */
static guint64
limit_by (Binding *out_by)
{
    static gsize once = 0;
    static guint64 machine, process;
    static gboolean cgroup;

    if (g_once_init_enter (&once)) {
        machine = compute_machine (&cgroup);
        process = compute_process ();
        g_once_init_leave (&once, 1);
    }
    gboolean capped = caller_limit > 0 && caller_limit < machine;
    guint64 shared = capped ? caller_limit : machine;
    guint64 part = shared == G_MAXUINT64 ? shared : shared / share;
    if (out_by != NULL)
        *out_by = process < part ? BY_ADDRESS_SPACE
                  : capped       ? BY_CALLER
                  : cgroup       ? BY_CGROUP
                                 : BY_MACHINE;
    return MIN (part, process);
}

guint64
fsim_memory_limit (void)
{
    return limit_by (NULL);
}

void
fsim_memory_set_share (guint n)
{
    share = MAX (n, 1u);
}

char *
fsim_memory_whose (void)
{
    Binding by = BY_MACHINE;

    limit_by (&by);
    switch (by) {
    case BY_ADDRESS_SPACE: /* the process's own: never shared */
        return g_strdup ("the address-space limit (ulimit -v) allows");
    case BY_CALLER:
        if (share > 1)
            return g_strdup_printf ("this process's share of %s (1 of the %u processes on this "
                                    "machine) allows",
                                    caller_name, share);
        return g_strdup_printf ("%s allows", caller_name);
    case BY_CGROUP:
        if (share > 1)
            return g_strdup_printf ("this process's share of this machine's cgroup memory limit "
                                    "(1 of the %u processes on it) allows",
                                    share);
        return g_strdup ("this machine's cgroup memory limit allows");
    default:
        if (share > 1)
            return g_strdup_printf (
                "this process's share of this machine (1 of the %u processes on it) can give",
                share);
        return g_strdup ("this machine can give");
    }
}

char *
fsim_memory_size_text (double bytes)
{
    static const char *const units[] = { "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
    size_t u = 0;

    char number[G_ASCII_DTOSTR_BUF_SIZE]; /* "1.9 GiB" in every locale, not "1,9 GiB" */

    if (!(bytes >= 1024)) /* NaN and negatives too, which no estimate gives */
        return g_strdup_printf ("%s %s", g_ascii_formatd (number, sizeof number, "%.0f", bytes),
                                bytes == 1 ? "byte" : "bytes");
    bytes /= 1024;
    /* 1023.96 KiB would print as "1024.0 KiB": the next unit then */
    while (bytes >= 1023.95 && u + 1 < G_N_ELEMENTS (units)) {
        bytes /= 1024;
        u++;
    }
    return g_strdup_printf ("%s %s", g_ascii_formatd (number, sizeof number, "%.1f", bytes),
                            units[u]);
}

void
fsim_memory_set_limit (guint64 bytes, const char *name)
{
    caller_limit = bytes;
    caller_name = name != NULL ? name : "the memory limit set";
}

guint64
fsim_memory_parse_size (const char *text)
{
    g_return_val_if_fail (text != NULL, 0);
    return parse_bytes (text);
}

gpointer
fsim_set_out_of_memory (size_t n, size_t size, const char *what, GError **error)
{
    size_t bytes;
    if (g_size_checked_mul (&bytes, n, size))
        g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_NOMEM,
                     "out of memory: needed %zu bytes for %s", bytes, what ? what : "the model");
    else
        g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_NOMEM,
                     "out of memory: needed %zu times %zu bytes for %s", n, size,
                     what ? what : "the model");
    return NULL;
}

#define HUGE_PAGE ((size_t) 2 << 20)

/*
 * Asks for transparent huge pages (2 MiB) under the large arrays flowsim fills right away (a
 * population's, the engine's partners near each user), where the system enables them on request
 * (/sys/kernel/mm/transparent_hugepage/enabled "madvise", Debian's default). Fresh memory is
 * otherwise faulted in 4 KiB at a time, each fault zeroing a page: 4,096 faults for the 16 MiB
 * of a million users' near sets, a large part of a what-if on a snapshot on a virtual machine,
 * where a fault costs tens of microseconds. Only advice: the contents and results are the same
 * without it. Called before the memory is first written (calloc leaves a fresh mapping alone).
 */
static void
advise_huge (gpointer p, size_t bytes)
{
#ifdef MADV_HUGEPAGE
    uintptr_t from = ((uintptr_t) p + HUGE_PAGE - 1) & ~(uintptr_t) (HUGE_PAGE - 1);
    uintptr_t to = ((uintptr_t) p + bytes) & ~(uintptr_t) (HUGE_PAGE - 1);
    if (p != NULL && bytes >= 2 * HUGE_PAGE && to > from)
        (void) madvise ((void *) from, to - from, MADV_HUGEPAGE);
#else
    (void) p;
    (void) bytes;
#endif
}

/* calloc and malloc themselves rather than g_try_malloc (g_free frees either, GLib >= 2.46):
 * the call is then made from flowsim's code, where tests/fault-inject.c can fail it. */
gpointer
fsim_try_new0 (size_t n, size_t size, const char *what, GError **error)
{
    gpointer p = calloc (n ? n : 1, size ? size : 1);
    if (p != NULL && n > 0 && size > 0 && n <= SIZE_MAX / size)
        advise_huge (p, n * size);
    return p ? p : fsim_set_out_of_memory (n, size, what, error);
}

gpointer
fsim_try_new (size_t n, size_t size, const char *what, GError **error)
{
    size_t bytes;
    gpointer p = g_size_checked_mul (&bytes, n ? n : 1, size ? size : 1) ? malloc (bytes) : NULL;
    if (p != NULL)
        advise_huge (p, bytes);
    return p ? p : fsim_set_out_of_memory (n, size, what, error);
}

gpointer
fsim_try_renew (gpointer mem, size_t n, size_t size)
{
    size_t bytes;
    return g_size_checked_mul (&bytes, n ? n : 1, size ? size : 1) ? realloc (mem, bytes) : NULL;
}

/* calloc, not malloc: with MALLOC_PERTURB_ set (meson test sets it) malloc writes over what it
 * gives, calloc of a fresh mapping touches nothing. */
gboolean
fsim_memory_reserve (guint64 bytes, const char *what, GError **error)
{
    /* calloc() called through a pointer the compiler cannot see through: clang -O2 removes a
     * calloc() whose block is only freed (heap elision), and the check then passed for any
     * size. */
    static void *(*volatile probe) (size_t, size_t) = calloc;

    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
    gpointer p = bytes <= G_MAXSIZE ? probe (1, (size_t) MAX (bytes, 1)) : NULL;
    if (!p) {
        fsim_set_out_of_memory (1, (size_t) MIN (bytes, G_MAXSIZE), what, error);
        return FALSE;
    }
    free (p);
    return TRUE;
}

guint64
fsim_memory_array_bytes (size_t n, size_t size)
{
    guint64 want = (guint64) n * size, bytes = 16;
    while (bytes < want && bytes < G_MAXUINT64 / 2)
        bytes *= 2;
    return bytes;
}
