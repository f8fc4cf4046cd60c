/* SPDX-License-Identifier: MIT */
/* sweep-accounts.c: the accounts nearest a number of friends, and their friends of friends. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "sweep.h"

/*
 * The metric group accounts[DEGREE,K] of `flowsim sweep` (docs/analysis.md#sweep) asks the
 * question of the New York Times' BlackBerry Hub test: how many friends of friends does an
 * account with about DEGREE friends have? One account is one draw; the K accounts nearest
 * DEGREE show the spread. Everything here reads the friendship graph alone.
 */

static size_t
gap_of (const FsimFriends *f, size_t u, size_t degree)
{
    size_t d = fsim_friends_degree (f, u);
    return d > degree ? d - degree : degree - d;
}

size_t *
fsim_accounts_nearest (const FsimFriends *f, size_t degree, size_t k, size_t *out_n)
{
    g_return_val_if_fail (f != NULL && out_n != NULL, NULL);
    size_t n = MIN (k, f->n_users);
    size_t *out = g_new (size_t, n + 1);

    /* the smallest gap g with at least k users within it: then every user with a smaller gap,
     * and the lowest-numbered users with gap g, in two passes over the users */
    size_t max_gap = 0;
    for (size_t u = 0; u < f->n_users; u++)
        max_gap = MAX (max_gap, gap_of (f, u, degree));
    g_autofree size_t *count = g_new0 (size_t, max_gap + 2);
    for (size_t u = 0; u < f->n_users; u++)
        count[gap_of (f, u, degree)]++;
    size_t g = 0, within = 0;
    while (n > 0 && within + count[g] < n)
        within += count[g++];
    /* within: users with a gap below g; take n - within of those with gap g */
    size_t *start = g_new0 (size_t, g + 2); /* where each gap's users go in @out */
    for (size_t i = 1; i <= g; i++)
        start[i] = start[i - 1] + count[i - 1];
    size_t left = n - within;
    for (size_t u = 0; u < f->n_users && n > 0; u++) {
        size_t d = gap_of (f, u, degree);
        if (d < g || (d == g && left > 0)) {
            out[start[d]++] = u;
            left -= d == g;
        }
    }
    g_free (start);
    *out_n = n;
    return out;
}

/* As fsim_accounts_friends_of_friends(), with @seen a cleared bit set of the users. */
static size_t
count_friends_of_friends (const FsimFriends *f, size_t u, guint8 *seen)
{
    size_t n = 0;

    for (size_t i = f->offsets[u]; i < f->offsets[u + 1]; i++) {
        size_t v = f->adj[i];
        for (size_t j = f->offsets[v]; j < f->offsets[v + 1]; j++) {
            size_t w = f->adj[j];
            guint8 bit = (guint8) (1u << (w & 7));
            if (w != u && !(seen[w >> 3] & bit)) {
                seen[w >> 3] |= bit;
                n++;
            }
        }
    }
    return n;
}

size_t
fsim_accounts_friends_of_friends (const FsimFriends *f, size_t u)
{
    g_return_val_if_fail (f != NULL && u < f->n_users, 0);
    g_autofree guint8 *seen = g_new0 (guint8, f->n_users / 8 + 1);

    return count_friends_of_friends (f, u, seen);
}

static int
compare_doubles (const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

double
fsim_accounts_stat (const FsimFriends *f, size_t degree, size_t k, int quantity, int statistic)
{
    g_return_val_if_fail (f != NULL && quantity >= 0 && quantity < 3, NAN);
    size_t n_users = 0, n = 0;
    g_autofree size_t *users = fsim_accounts_nearest (f, degree, k, &n_users);
    g_autofree double *v = g_new (double, n_users + 1);
    g_autofree guint8 *seen = quantity ? g_new (guint8, f->n_users / 8 + 1) : NULL;

    for (size_t i = 0; i < n_users; i++) {
        size_t friends = fsim_friends_degree (f, users[i]), fof = 0;
        if (quantity) {
            memset (seen, 0, f->n_users / 8 + 1);
            fof = count_friends_of_friends (f, users[i], seen);
        }
        if (quantity == 2 && friends == 0) /* no friends: no number per friend */
            continue;
        v[n++] = quantity == 0   ? (double) friends
                 : quantity == 1 ? (double) fof
                                 : (double) fof / (double) friends;
    }
    if (n == 0)
        return NAN;
    qsort (v, n, sizeof *v, compare_doubles);
    switch (statistic) {
    case 0:
        return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    case 1:
        return v[0];
    case 2:
        return v[n - 1];
    default:
        g_return_val_if_reached (NAN);
    }
}
