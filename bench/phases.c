/* SPDX-License-Identifier: MIT */
/* phases.c: times each step of `flowsim run` (load, build, decide, trace, report) separately. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include <glib.h>

#include "engine.h"
#include "friends.h"
#include "loader.h"
#include "policy.h"
#include "population.h"
#include "report.h"

/*
 * Not part of the test suite; bench/run.sh runs it. Usage:
 *
 *   phases SCENARIO [PATH=VALUE ...]
 *
 * With BENCH_REPEAT=N in the environment the trace runs N times and the fastest is reported
 * (the machine is shared: the best of a few is the least disturbed). Prints one JSON object:
 * the seconds of each step (wall and CPU), the peak RSS and the counts, e.g.
 *   {"users": 1000000, "friendships": 49960354, "load": 0.01, "build": 2.9, ...}
 * The report is rendered (as JSON) but not printed; its length is.
 */

static double
peak_rss_mib (void)
{
    struct rusage ru;

    getrusage (RUSAGE_SELF, &ru);
    return (double) ru.ru_maxrss / 1024.0;
}

/* CPU seconds (user + system) of all threads so far. */
static double
cpu_seconds (void)
{
    struct rusage ru;

    getrusage (RUSAGE_SELF, &ru);
    return (double) ru.ru_utime.tv_sec + (double) ru.ru_utime.tv_usec * 1e-6 +
           (double) ru.ru_stime.tv_sec + (double) ru.ru_stime.tv_usec * 1e-6;
}

/* Wall seconds since the last lap; *cpu gets the CPU seconds since the last lap. */
static double
lap (GTimer *timer, double *cpu)
{
    static double last_cpu;
    double s = g_timer_elapsed (timer, NULL), now = cpu_seconds ();

    *cpu = now - last_cpu;
    last_cpu = now;
    g_timer_start (timer);
    return s;
}

int
main (int argc, char **argv)
{
    g_autoptr (GError) error = NULL;
    g_autoptr (GTimer) timer = g_timer_new ();
    g_autoptr (GString) out = g_string_new (NULL);
    double t_load, t_build, t_decide, t_trace, t_report;
    double c_load, c_build, c_decide, c_trace, c_report;

    if (argc < 2) {
        fprintf (stderr, "usage: phases SCENARIO [PATH=VALUE ...]\n");
        return 2;
    }
    const char *env = g_getenv ("BENCH_REPEAT");
    int repeat = env != NULL ? MAX (atoi (env), 1) : 1;

    fsim_graph_init ();
    g_autoptr (FsimScenario) s = fsim_loader_load (argv[1], (const char *const *) argv + 2, &error);
    t_load = lap (timer, &c_load);
    g_autoptr (FsimPopulation) pop = s ? fsim_population_build (s, &error) : NULL;
    t_build = lap (timer, &c_build);
    g_autoptr (FsimDecisions) d = pop ? fsim_decisions_new (s, s->date) : NULL;
    t_decide = lap (timer, &c_decide);
    g_autoptr (FsimResult) r = d ? fsim_engine_run (s, pop, d, &error) : NULL;
    t_trace = lap (timer, &c_trace);
    for (int i = 1; r != NULL && i < repeat; i++) { /* the best of REPEAT traces */
        double c;
        FsimResult *again = fsim_engine_run (s, pop, d, NULL);
        double t = lap (timer, &c); /* the trace's time, not the freeing's */
        fsim_result_free (again);
        if (t < t_trace) {
            t_trace = t;
            c_trace = c;
        }
    }
    if (r == NULL) {
        fprintf (stderr, "phases: %s\n", error->message);
        return 1;
    }
    fsim_report_render (s, pop, r, FSIM_REPORT_JSON, out);
    t_report = lap (timer, &c_report);
    printf ("{\"users\": %zu, \"friendships\": %zu, \"load\": %.3f, \"build\": %.3f, "
            "\"decide\": %.3f, \"trace\": %.3f, \"report\": %.3f, \"cpu_load\": %.3f, "
            "\"cpu_build\": %.3f, \"cpu_decide\": %.3f, \"cpu_trace\": %.3f, "
            "\"cpu_report\": %.3f, \"report_bytes\": %zu, \"peak_rss_mib\": %.0f, "
            "\"threads\": %u}\n",
            pop->n_users, pop->friends->n_edges, t_load, t_build, t_decide, t_trace, t_report,
            c_load, c_build, c_decide, c_trace, c_report, out->len, peak_rss_mib (),
            g_get_num_processors ());
    return 0;
}
