/* SPDX-License-Identifier: MIT */
/* main.c: the flowsim program; everything but igraph's start-up is in cli.c. */
#include "cli.h"
#include "friends.h"

int
main (int argc, char **argv)
{
    fsim_graph_init ();
    return fsim_cli_run (argc, argv);
}
