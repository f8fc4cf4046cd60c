/* SPDX-License-Identifier: MIT */
/* main.c: the flowsim program; everything but igraph's start-up is in cli.c. */
#include <locale.h>

#include "cli.h"
#include "friends.h"

int
main (int argc, char **argv)
{
    /* The user's locale for GLib's conversions and help; no output depends on it (every number
     * is written with fsim_fmt_double() or fsim_fmt_count(): /determinism/locale). */
    setlocale (LC_ALL, "");
    fsim_graph_init ();
    return fsim_cli_run (argc, argv);
}
