/* SPDX-License-Identifier: MIT */
/* comm.c: what the generators split over ranks share: the ranks' ranges of users, empty rows. */
#include "config.h"

#include <glib.h>

#include "comm.h"
#include "friends.h"
#include "graph-private.h"

/**
 * fsim_i_comm_gather_bounds:
 * See graph-private.h.
 */
gboolean
fsim_i_comm_gather_bounds (const FsimComm *comm, size_t lo, size_t hi, size_t n,
                           size_t **out_bounds, GError **error)
{
    int size = comm->size;
    guint64 mine[2] = { lo, hi };
    g_autofree guint64 *all = g_new (guint64, 2 * (size_t) size);
    g_autofree size_t *bounds = NULL;

    if (!comm->allgatherv (comm, mine, 2, all, sizeof (guint64), error))
        return FALSE;
    bounds = g_new (size_t, (size_t) size + 1);
    for (int r = 0; r < size; r++) {
        if (all[2 * r] != (r == 0 ? 0 : all[2 * r - 1]) || all[2 * r + 1] < all[2 * r]) {
            g_set_error (
                error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_INVALID,
                "the ranks' users do not follow each other (rank %d starts at %" G_GUINT64_FORMAT
                ")",
                r, all[2 * r]);
            return FALSE;
        }
        bounds[r] = (size_t) all[2 * r];
    }
    bounds[size] = (size_t) all[2 * size - 1];
    if (bounds[size] != n) {
        g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_INVALID,
                     "the ranks hold %zu users, not %zu", bounds[size], n);
        return FALSE;
    }
    *out_bounds = g_steal_pointer (&bounds);
    return TRUE;
}

/**
 * fsim_i_friends_empty_rows:
 * See graph-private.h.
 */
FsimFriends *
fsim_i_friends_empty_rows (size_t n_rows)
{
    FsimFriends *f = g_new0 (FsimFriends, 1);

    f->n_users = n_rows;
    f->offsets = g_new0 (size_t, n_rows + 1);
    f->adj = g_new (uint32_t, 1);
    return f;
}

/**
 * fsim_i_comm_owner:
 * See graph-private.h.
 */
int
fsim_i_comm_owner (const size_t *bounds, int size, size_t v)
{
    int lo = 0, hi = size - 1;

    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (bounds[mid] <= v)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

/**
 * fsim_comm_agree:
 * See comm.h.
 */
gboolean
fsim_comm_agree (const FsimComm *comm, gboolean ok, const char *failed, GError **error)
{
    if (comm == NULL ? ok : comm->all_ok (comm, ok))
        return TRUE;
    if (ok)
        g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_OTHER_RANK, "another rank %s",
                     failed);
    return FALSE;
}
