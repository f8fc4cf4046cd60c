/* SPDX-License-Identifier: MIT */
/* comm-threads.h: graph/comm.h's collectives between threads, to test split generation
 * without MPI (comm-threads.c). */
#pragma once

#include <glib.h>

#include "comm.h"

/* Runs @fn on @size threads at once, thread r seeing rank r of @size; returns when all end. */
void fsim_test_comm_run (int size, void (*fn) (const FsimComm *comm, void *data), void *data);
