/* SPDX-License-Identifier: MIT */
/* games.c: the parameters of barabasi_albert (ba.c) and watts_strogatz (ws.c), and igraph's
 * edges into a CSR builder (import-igraph.c). */
#include "config.h"

#include <math.h>
#include <stdint.h>

#include <glib.h>
#include <igraph.h>

#include "friends.h"
#include "graph-private.h"
#include "number.h"

/*
 * fsim_i_igraph_into_builder:
 * Runs under fsim_i_graph_lock(). Feeds the edges of @graph (directions ignored) to @b:
 * count, reserve, place. Reads the endpoints in place (IGRAPH_FROM/IGRAPH_TO) rather than
 * copying them out with igraph_get_edgelist(), which would need another 16 bytes per edge at
 * the peak. On IGRAPH_ENOMEM @b is cleared.
 */
igraph_error_t
fsim_i_igraph_into_builder (const igraph_t *graph, CsrBuilder *b)
{
    igraph_integer_t n_edges = igraph_ecount (graph);

    if ((size_t) igraph_vcount (graph) != b->n_users)
        IGRAPH_ERROR ("Builder and graph disagree on the number of vertices.", IGRAPH_EINTERNAL);
    for (igraph_integer_t e = 0; e < n_edges; e++)
        fsim_i_csr_count (b, (uint32_t) IGRAPH_FROM (graph, e), (uint32_t) IGRAPH_TO (graph, e));
    if (!fsim_i_csr_reserve (b))
        IGRAPH_ERROR ("Cannot allocate the friend lists.", IGRAPH_ENOMEM);
    for (igraph_integer_t e = 0; e < n_edges; e++)
        fsim_i_csr_place (b, (uint32_t) IGRAPH_FROM (graph, e), (uint32_t) IGRAPH_TO (graph, e));
    return IGRAPH_SUCCESS;
}

/* Half the mean degree, rounded, as the per-user parameter of the BA and WS models. */
static gboolean
half_degree (const FsimGenParams *p, size_t *out_half, GError **error)
{
    double half = round (p->mean_degree / 2.0);

    if (p->n_users > 0 && 2.0 * half > (double) (p->n_users - 1)) {
        /* Neither model can give every user more friends than there are other users. The
         * model's degree is 2 round(mean / 2): say so, since 1 rounds to 2, and say which mean
         * degrees fit: 2 round(mean / 2) <= n - 1 holds for mean < 2 floor((n - 1) / 2) + 1. */
        size_t others = p->n_users - 1;
        g_autofree char *mean = fsim_number_text (p->mean_degree);
        g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_INVALID,
                     "%s: mean degree %s is too high for %zu users: the model gives each user "
                     "2 \u00d7 round(%s / 2) = %.0f friends, more than the %zu other user%s (the "
                     "mean degree must be below %zu)",
                     p->model, mean, p->n_users, mean, 2.0 * half, others, others == 1 ? "" : "s",
                     2 * (others / 2) + 1);
        return FALSE;
    }
    *out_half = (size_t) half;
    return TRUE;
}

/* Barabási–Albert: m = round(mean_degree / 2) friendships per arriving user, to existing users
 * chosen in proportion to degree + 1 (the first users get fewer: the mean is 2m minus a small
 * start-up deficit); igraph's process, replayed by every rank (ba.c). */
FsimFriends *
fsim_i_generate_barabasi_albert (const FsimGenParams *p, GError **error)
{
    size_t m;

    if (!half_degree (p, &m, error))
        return NULL;
    return fsim_i_ba_generate (p, m, NULL, 0, p->n_users, error);
}

/**
 * fsim_i_generate_barabasi_albert_part:
 * See graph-private.h.
 */
FsimFriends *
fsim_i_generate_barabasi_albert_part (const FsimGenParams *p, const FsimComm *comm, size_t first,
                                      size_t n_rows, GError **error)
{
    size_t m;

    if (!half_degree (p, &m, error))
        return NULL; /* on every rank alike */
    return fsim_i_ba_generate (p, m, comm, first, n_rows, error);
}

/* Watts–Strogatz's parameters: rewire a probability, nei = round(mean_degree / 2) < n / 2. */
static gboolean
ws_check (const FsimGenParams *p, size_t *out_nei, GError **error)
{
    if (!isfinite (p->rewire) || p->rewire < 0 || p->rewire > 1) {
        g_autofree char *rewire = fsim_number_text (p->rewire);
        g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_INVALID,
                     "watts_strogatz: rewire must be a probability in 0..1, not %s", rewire);
        return FALSE;
    }
    return half_degree (p, out_nei, error);
}

/* Watts–Strogatz: a ring where each user befriends nei = round(mean_degree / 2) users on each
 * side (so the mean is 2 nei), then each end of each friendship moved with probability
 * p->rewire to a user who is not a friend (ws.c, drawn by users as over ranks). */
FsimFriends *
fsim_i_generate_watts_strogatz (const FsimGenParams *p, GError **error)
{
    size_t nei;

    if (!ws_check (p, &nei, error))
        return NULL;
    return fsim_i_ws_generate (p, nei, NULL, 0, p->n_users, error);
}

/**
 * fsim_i_generate_watts_strogatz_part:
 * See graph-private.h.
 */
FsimFriends *
fsim_i_generate_watts_strogatz_part (const FsimGenParams *p, const FsimComm *comm, size_t first,
                                     size_t n_rows, GError **error)
{
    size_t nei;

    if (!ws_check (p, &nei, error))
        return NULL; /* on every rank alike */
    return fsim_i_ws_generate (p, nei, comm, first, n_rows, error);
}
