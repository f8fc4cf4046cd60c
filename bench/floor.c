/* SPDX-License-Identifier: MIT */
/* floor.c: the benchmark's floor: a minimal CSR build and two hops of OR over a partner mask. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <glib.h>

#include "friends.h"

/*
 * Not part of the test suite; bench/run.sh runs it. Usage:
 *
 *   floor USERS MEAN_DEGREE SEED PARTNERS ADOPTION
 *
 * The least work any tool must do for the same question: it takes the friendships of the same
 * facebook_like graph flowsim builds for (USERS, MEAN_DEGREE, SEED), as a list of pairs u < v
 * sorted as a SNAP file is (prepared untimed; with FLOOR_SHUFFLE set in the environment, in a
 * random order instead), then, timed:
 *   csr:  a counting-sort CSR build, both directions, one thread (from a sorted list the rows
 *         come out sorted, which makes the hops as cache-friendly as flowsim's);
 *   hop1: m1[v] = OR of mask[w] over the friends w of v, where mask[w] is a random 64-bit set
 *         of the PARTNERS partners w uses (each with probability ADOPTION);
 *   hop2: m2[v] = OR of m1[w] over the friends w of v (partners two steps away);
 * each hop on all processors (contiguous ranges of users, one per thread). No settings, no
 * fields, no counts but a checksum. With BENCH_REPEAT=N the hops run N times and the fastest
 * of each is reported. Prints one JSON object with the seconds of each step.
 */

typedef struct {
    size_t n;
    const size_t *off;
    const uint32_t *adj;
    const uint64_t *in;
    uint64_t *out;
    size_t from, to;
} Hop;

static uint64_t
splitmix (uint64_t *x)
{
    uint64_t z = (*x += UINT64_C (0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C (0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C (0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static gpointer
hop_range (gpointer data)
{
    Hop *h = data;
    for (size_t v = h->from; v < h->to; v++) {
        uint64_t m = 0;
        for (size_t i = h->off[v]; i < h->off[v + 1]; i++)
            m |= h->in[h->adj[i]];
        h->out[v] = m;
    }
    return NULL;
}

/* CPU seconds (user + system) of all threads so far. */
static double
cpu_seconds (void)
{
    struct rusage ru;

    getrusage (RUSAGE_SELF, &ru);
    return (double) ru.ru_utime.tv_sec + (double) ru.ru_utime.tv_usec * 1e-6 +
           (double) ru.ru_stime.tv_sec + (double) ru.ru_stime.tv_usec * 1e-6;
}

static double
hop (size_t n, const size_t *off, const uint32_t *adj, const uint64_t *in, uint64_t *out)
{
    unsigned nt = MIN (g_get_num_processors (), 64u);
    Hop jobs[64];
    GThread *threads[64];
    g_autoptr (GTimer) timer = g_timer_new ();

    for (unsigned t = 0; t < nt; t++) {
        jobs[t] = (Hop){ n, off, adj, in, out, n * t / nt, n * (t + 1) / nt };
        threads[t] = t ? g_thread_new ("hop", hop_range, &jobs[t]) : NULL;
    }
    hop_range (&jobs[0]);
    for (unsigned t = 1; t < nt; t++)
        g_thread_join (threads[t]);
    return g_timer_elapsed (timer, NULL);
}

/* The friendships of @f as pairs u < v, sorted (as SNAP files are), or in a seeded random
 * order when @shuffle. */
static uint32_t *
edge_stream (const FsimFriends *f, uint64_t seed, gboolean shuffle)
{
    uint32_t *pairs = g_new (uint32_t, 2 * MAX (f->n_edges, 1));
    size_t k = 0;
    uint64_t x = seed;

    for (size_t u = 0; u < f->n_users; u++)
        for (size_t i = f->offsets[u]; i < f->offsets[u + 1]; i++)
            if (f->adj[i] > u) {
                pairs[2 * k] = (uint32_t) u;
                pairs[2 * k + 1] = f->adj[i];
                k++;
            }
    for (size_t i = shuffle ? k : 0; i > 1; i--) {
        size_t j = (size_t) ((splitmix (&x) >> 32) * i >> 32);
        uint32_t a = pairs[2 * (i - 1)], b = pairs[2 * (i - 1) + 1];
        pairs[2 * (i - 1)] = pairs[2 * j];
        pairs[2 * (i - 1) + 1] = pairs[2 * j + 1];
        pairs[2 * j] = a;
        pairs[2 * j + 1] = b;
    }
    return pairs;
}

/* The minimal CSR build: degrees, prefix sums, scatter (rows unsorted, which hops don't need). */
static double
csr_build (size_t n, const uint32_t *pairs, size_t m, size_t **out_off, uint32_t **out_adj)
{
    g_autoptr (GTimer) timer = g_timer_new ();
    size_t *off = g_new0 (size_t, n + 1);
    uint32_t *adj = g_new (uint32_t, 2 * MAX (m, 1));

    for (size_t k = 0; k < 2 * m; k++)
        off[pairs[k] + 1]++;
    for (size_t v = 0; v < n; v++)
        off[v + 1] += off[v];
    g_autofree size_t *cur = g_memdup2 (off, MAX (n, 1) * sizeof *off);
    for (size_t k = 0; k < m; k++) {
        uint32_t u = pairs[2 * k], v = pairs[2 * k + 1];
        adj[cur[u]++] = v;
        adj[cur[v]++] = u;
    }
    *out_off = off;
    *out_adj = adj;
    return g_timer_elapsed (timer, NULL);
}

int
main (int argc, char **argv)
{
    g_autoptr (GError) error = NULL;
    FsimGenParams p = FSIM_GEN_PARAMS_INIT;
    struct rusage ru;

    if (argc != 6) {
        fprintf (stderr, "usage: floor USERS MEAN_DEGREE SEED PARTNERS ADOPTION\n");
        return 2;
    }
    fsim_graph_init ();
    p.model = "facebook_like";
    p.n_users = strtoull (argv[1], NULL, 10);
    p.mean_degree = strtod (argv[2], NULL);
    p.seed = strtoull (argv[3], NULL, 10);
    unsigned partners = (unsigned) MIN (strtoul (argv[4], NULL, 10), 64ul);
    double adoption = strtod (argv[5], NULL);
    g_autoptr (FsimFriends) f = fsim_friends_generate_params (&p, &error);
    if (f == NULL) {
        fprintf (stderr, "floor: %s\n", error->message);
        return 1;
    }
    size_t n = f->n_users, m = f->n_edges;
    g_autofree uint32_t *pairs = edge_stream (f, p.seed, g_getenv ("FLOOR_SHUFFLE") != NULL);
    g_clear_pointer (&f, fsim_friends_free);

    g_autofree uint64_t *mask = g_new0 (uint64_t, MAX (n, 1));
    uint64_t x = p.seed ^ 0xf1001;
    for (size_t v = 0; v < n; v++)
        for (unsigned b = 0; b < partners; b++)
            if ((double) (splitmix (&x) >> 11) * 0x1.0p-53 < adoption)
                mask[v] |= (uint64_t) 1 << b;

    g_autofree size_t *off = NULL;
    g_autofree uint32_t *adj = NULL;
    double t_csr = csr_build (n, pairs, m, &off, &adj);
    g_autofree uint64_t *m1 = g_new (uint64_t, MAX (n, 1));
    g_autofree uint64_t *m2 = g_new (uint64_t, MAX (n, 1));
    const char *env = g_getenv ("BENCH_REPEAT");
    int repeat = env != NULL ? MAX (atoi (env), 1) : 1;
    double t_hop1 = G_MAXDOUBLE, t_hop2 = G_MAXDOUBLE, c_prop = G_MAXDOUBLE;
    for (int i = 0; i < repeat; i++) { /* the best of BENCH_REPEAT, as bench/phases */
        double c0 = cpu_seconds ();
        t_hop1 = MIN (t_hop1, hop (n, off, adj, mask, m1));
        t_hop2 = MIN (t_hop2, hop (n, off, adj, m1, m2));
        c_prop = MIN (c_prop, cpu_seconds () - c0);
    }
    size_t check = 0;
    for (size_t v = 0; v < n; v++)
        check += (size_t) __builtin_popcountll (m2[v]);
    getrusage (RUSAGE_SELF, &ru);
    printf ("{\"users\": %zu, \"friendships\": %zu, \"csr\": %.3f, \"hop1\": %.3f, "
            "\"hop2\": %.3f, \"propagation\": %.3f, \"cpu_propagation\": %.3f, "
            "\"pipeline\": %.3f, \"checksum\": %zu, \"peak_rss_mib\": %.0f}\n",
            n, m, t_csr, t_hop1, t_hop2, t_hop1 + t_hop2, c_prop, t_csr + t_hop1 + t_hop2, check,
            (double) ru.ru_maxrss / 1024.0);
    return 0;
}
