/* SPDX-License-Identifier: MIT */
/* main.c: the flowsim program; everything but igraph's start-up is in cli.c. */
#include "config.h"

#include <locale.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "cli-mpi.h"
#include "cli.h"
#include "friends.h"
#include "output.h"

/*
 * A population snapshot is used mapped (population-snapshot-read.c): if another program cuts it
 * short while flowsim runs, touching a page past the new end raises SIGBUS (BUS_ADRERR). That is
 * the input changing under flowsim, not a crash: say so, remove the temporary files of the
 * outputs not yet in place (their targets are untouched), and end with the input status, 3.
 * Any other SIGBUS (one sent by kill(1)) keeps its default action, once the temporary files are
 * removed as for every signal that ends flowsim (output.c).
 */
static void
on_bus_error (int sig, siginfo_t *info, void *context)
{
    static const char message[] =
        "flowsim: error: a file flowsim had mapped (a population snapshot) was cut short while "
        "it was being read; no output was written\n";

    (void) context;
    if (info == NULL || info->si_code != BUS_ADRERR) {
        fsim_output_remove_temporaries ();
        signal (sig, SIG_DFL);
        raise (sig);
        return;
    }
    fsim_output_remove_temporaries ();
    if (write (STDERR_FILENO, message, sizeof message - 1) < 0) {
        /* nothing more can be said */
    }
    _exit (3); /* FSIM_EXIT_INPUT */
}

int
main (int argc, char **argv)
{
    /* The user's locale for GLib's conversions and help; no output depends on it (every number
     * is written with fsim_fmt_double() or fsim_fmt_count(): /determinism/locale). */
    setlocale (LC_ALL, "");
    struct sigaction bus = { .sa_sigaction = on_bus_error, .sa_flags = SA_SIGINFO };
    sigemptyset (&bus.sa_mask);
    sigaction (SIGBUS, &bus, NULL);
    fsim_graph_init ();
    fsim_i_cli_mpi_start (&argc, &argv);
    return fsim_i_cli_mpi_finish (fsim_cli_run (argc, argv));
}
