/* SPDX-License-Identifier: MIT */
/*
 * reach.c: a program built on libflowsim. It runs a scenario with what-if overrides and prints
 * each partner's reach, then the jurisdictions the data was stored in.
 *
 *   cc reach.c $(pkg-config --cflags --libs flowsim) -o reach
 *   ./reach scenarios/tour.json date=2015-05-01
 */
#include <stdio.h>

#include <flowsim/flowsim.h>

int
main (int argc, char **argv)
{
    if (argc < 2) {
        fprintf (stderr, "usage: %s SCENARIO [PATH=VALUE...]\n", argv[0]);
        return 2;
    }
    FlowsimOptions *options = flowsim_options_new ();
    for (int i = 2; i < argc; i++)
        flowsim_options_add_set (options, argv[i]);

    FlowsimError *error = NULL;
    FlowsimSimulation *sim = flowsim_simulate (argv[1], options, &error);
    flowsim_options_free (options);
    if (sim == NULL) {
        fprintf (stderr, "reach: %s\n", flowsim_error_message (error));
        int status = (int) flowsim_error_kind (error);
        flowsim_error_free (error);
        return status;
    }

    printf ("libflowsim %s: %s on %s, %zu users\n", flowsim_version (),
            flowsim_simulation_scenario (sim), flowsim_simulation_date (sim),
            flowsim_simulation_users (sim));
    FlowsimPartnerReach p;
    for (size_t i = 0; flowsim_simulation_partner (sim, i, &p); i++)
        printf ("%-12s %8zu reached %8zu without consent\n", p.id, p.users_reached,
                p.users_reached_without_consent);
    FlowsimJurisdiction j;
    for (size_t i = 0; flowsim_simulation_jurisdiction (sim, i, &j); i++)
        printf ("stored in %-6s %8zu users\n", j.jurisdiction, j.users);
    flowsim_simulation_free (sim);
    return 0;
}
