/* SPDX-License-Identifier: MIT */
/* comm.h: the collective operations a generator split over ranks needs, without naming MPI. */
#pragma once

#include <stddef.h>

#include <glib.h>

/*
 * The generators that build only one rank's users (fsim_friends_generate_part()) talk to the
 * other ranks through these three collectives. graph/ never includes mpi.h: the flowsim program
 * passes an implementation over MPI_COMM_WORLD (sim/cli/cli-mpi.c), and the tests one over
 * threads (tests/comm-threads.c), so the same code is tested with and without MPI.
 *
 * Every operation is collective: every rank of the group calls it, in the same order, with the
 * same @unit. Counts are in units of @unit bytes.
 */
typedef struct FsimComm FsimComm;
struct FsimComm {
    int rank, size;
    void *data; /* the implementation's */

    /* TRUE on every rank if @ok is TRUE on every rank. Used before a collective that a rank
     * which failed (out of memory) would not reach, so that no rank waits for it. Can't fail. */
    gboolean (*all_ok) (const FsimComm *c, gboolean ok);

    /* Every rank contributes @count units from @send; every rank receives the contributions
     * back to back in rank order in @recv, which holds the total (the caller knows it). FALSE
     * with @error set (on every rank) if a count exceeds what the implementation can carry. */
    gboolean (*allgatherv) (const FsimComm *c, const void *send, size_t count, void *recv,
                            size_t unit, GError **error);

    /* Sends send_counts[r] units to rank r (@send holds them back to back in rank order) and
     * receives, in *out_recv (transfer full, g_free), what every rank sent to this one, back to
     * back in rank order, recv_counts[r] units from rank r (@recv_counts: @size entries, set
     * here). FALSE with @error set on every rank when a rank is out of memory for what it
     * receives or a count is too large; *out_recv is then NULL. */
    gboolean (*alltoallv) (const FsimComm *c, const void *send, const size_t *send_counts,
                           void **out_recv, size_t *recv_counts, size_t unit, GError **error);
};

/* Collective: TRUE on every rank if @ok is TRUE on every rank (with @comm NULL, one process:
 * @ok). Else FALSE on every rank, and a rank whose @ok was TRUE gets
 * FSIM_GRAPH_ERROR_OTHER_RANK, "another rank @failed" (a rank that failed has its own error
 * already, or sets it after). Used before a collective that a failed rank would not reach. */
gboolean fsim_comm_agree (const FsimComm *comm, gboolean ok, const char *failed, GError **error);
