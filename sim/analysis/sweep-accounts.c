/* SPDX-License-Identifier: MIT */
/* sweep-accounts.c: the accounts nearest a number of friends, and their friends of friends. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "memory.h"
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
fsim_accounts_nearest (const FsimFriends *f, size_t degree, size_t k, size_t *out_n, GError **error)
{
    g_return_val_if_fail (f != NULL && out_n != NULL, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);
    size_t n = MIN (k, f->n_users);
    g_autofree size_t *out =
        fsim_try_new (n + 1, sizeof (size_t), "the accounts nearest a number of friends", error);
    if (out == NULL)
        return NULL;

    /* the smallest gap g with at least k users within it: then every user with a smaller gap,
     * and the lowest-numbered users with gap g, in two passes over the users. The gaps are
     * counted from the smallest to the largest, a span of at most the users (the degrees differ
     * by less), however far DEGREE lies from them. */
    size_t lo = SIZE_MAX, hi = 0;
    for (size_t u = 0; u < f->n_users; u++) {
        size_t d = gap_of (f, u, degree);
        lo = MIN (lo, d);
        hi = MAX (hi, d);
    }
    if (n == 0) {
        *out_n = 0;
        return g_steal_pointer (&out);
    }
    g_autofree size_t *count = fsim_try_new0 (hi - lo + 2, sizeof (size_t),
                                              "the accounts by their number of friends", error);
    if (count == NULL)
        return NULL;
    for (size_t u = 0; u < f->n_users; u++)
        count[gap_of (f, u, degree) - lo]++;
    size_t g = 0, within = 0;
    while (within + count[g] < n)
        within += count[g++];
    /* within: users with a gap below lo + g; take n - within of those with gap lo + g. count[i]
     * becomes where gap lo + i's users go in @out. */
    for (size_t i = 0, sum = 0; i <= g; i++) {
        size_t c = count[i];
        count[i] = sum;
        sum += c;
    }
    size_t left = n - within;
    for (size_t u = 0; u < f->n_users; u++) {
        size_t d = gap_of (f, u, degree) - lo;
        if (d < g || (d == g && left > 0)) {
            out[count[d]++] = u;
            left -= d == g;
        }
    }
    *out_n = n;
    return g_steal_pointer (&out);
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

/* A bit per user, cleared (transfer full), or NULL with the error set. */
static guint8 *
seen_new (const FsimFriends *f, GError **error)
{
    return fsim_try_new0 (f->n_users / 8 + 1, 1, "a bit per user for friends of friends", error);
}

gboolean
fsim_accounts_friends_of_friends (const FsimFriends *f, size_t u, size_t *out_n, GError **error)
{
    g_return_val_if_fail (f != NULL && u < f->n_users && out_n != NULL, FALSE);
    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
    g_autofree guint8 *seen = seen_new (f, error);

    if (seen == NULL)
        return FALSE;
    *out_n = count_friends_of_friends (f, u, seen);
    return TRUE;
}

static int
compare_doubles (const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

gboolean
fsim_accounts_stat (const FsimFriends *f, size_t degree, size_t k, int quantity, int statistic,
                    double *out_value, GError **error)
{
    g_return_val_if_fail (f != NULL && quantity >= 0 && quantity < 3, FALSE);
    g_return_val_if_fail (statistic >= 0 && statistic < 3 && out_value != NULL, FALSE);
    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
    size_t n_users = 0, n = 0;
    g_autofree size_t *users = fsim_accounts_nearest (f, degree, k, &n_users, error);
    g_autofree double *v =
        users ? fsim_try_new (n_users + 1, sizeof (double), "the accounts' numbers", error) : NULL;
    g_autofree guint8 *seen = v && quantity ? seen_new (f, error) : NULL;

    if (v == NULL || (quantity && seen == NULL))
        return FALSE;
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
    if (n == 0) {
        *out_value = NAN;
        return TRUE;
    }
    qsort (v, n, sizeof *v, compare_doubles);
    *out_value = statistic == 0   ? (n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2)
                 : statistic == 1 ? v[0]
                                  : v[n - 1];
    return TRUE;
}
