/* SPDX-License-Identifier: MIT */
/* gen-check.c: generate a friendship graph (or import one) and print its statistics and timings. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include <glib.h>

#include "friends.h"
#include "import.h"
#include "stats.h"

/*
 * Not part of the test suite: the 1M-user check of facebook_like and the import timing, e.g.
 *
 *   meson setup build-bench -Dbench=true -Dbuildtype=release && ninja -C build-bench
 *   build-bench/bench/gen-check --users 1000000 --mean 190
 *   build-bench/bench/gen-check --import ../shared/data/ego-facebook/facebook_combined.txt
 *
 * Exits 1 if generation or import fails, or (with --check) if a facebook_like target is
 * missed: mean within 5%, median / mean in 0.35 .. 0.65, clustering >= 0.10, giant >= 99%.
 */
typedef struct {
    char *model;
    char *import;
    gint64 users;
    double mean;
    gint64 seed;
    gint threads;
    double spread, clustering, community_size;
    gint64 max_degree;
    gint64 sample;
    gboolean check;
} Options;

static double
peak_rss_mib (void)
{
    struct rusage ru;

    getrusage (RUSAGE_SELF, &ru);
    return (double) ru.ru_maxrss / 1024.0;
}

static FsimFriends *
obtain (const Options *o, double *out_seconds, GError **error)
{
    g_autoptr (GTimer) timer = g_timer_new ();
    FsimFriends *f;

    if (o->import != NULL) {
        FsimImported *imp = fsim_import_file (o->import, FSIM_IMPORT_AUTO, error);
        f = imp != NULL ? g_steal_pointer (&imp->friends) : NULL;
        fsim_imported_free (imp);
    } else {
        FsimGenParams p = FSIM_GEN_PARAMS_INIT;
        p.model = o->model;
        p.n_users = (size_t) o->users;
        p.mean_degree = o->mean;
        p.seed = (uint64_t) o->seed;
        p.n_threads = (unsigned) o->threads;
        p.spread = o->spread;
        p.clustering = o->clustering;
        p.community_size = o->community_size;
        p.max_degree = (size_t) o->max_degree;
        f = fsim_friends_generate_params (&p, error);
    }
    *out_seconds = g_timer_elapsed (timer, NULL);
    return f;
}

static gboolean
report (const Options *o, const FsimFriends *f, double build_seconds)
{
    g_autoptr (GTimer) timer = g_timer_new ();
    FsimFriendsStats st;
    double ratio;

    g_autoptr (GError) error = NULL;
    if (!fsim_friends_stats (f, (size_t) o->sample, (uint64_t) o->seed, (unsigned) o->threads, &st,
                             &error)) {
        g_printerr ("gen-check: %s\n", error->message);
        return FALSE;
    }
    ratio = st.degree.mean > 0 ? st.degree.median / st.degree.mean : 0;
    printf ("source        %s\n", o->import != NULL ? o->import : o->model);
    printf ("users         %zu\nfriendships   %zu\n", st.degree.n_users, st.degree.n_edges);
    printf ("degree        min %zu  median %.1f  mean %.2f  p99 %zu  max %zu  isolated %zu\n",
            st.degree.min, st.degree.median, st.degree.mean, st.degree.p99, st.degree.max,
            st.degree.n_isolated);
    printf ("median/mean   %.3f\n", ratio);
    printf ("clustering    %.4f (%s, %zu users)\n", st.clustering.average,
            st.clustering.sampled ? "sampled" : "exact", st.clustering.n_measured);
    printf ("components    %zu  giant %zu (%.3f%%)\n", st.components.n_components,
            st.components.giant_size,
            st.degree.n_users
                ? 100.0 * (double) st.components.giant_size / (double) st.degree.n_users
                : 0.0);
    printf ("build         %.3f s\nstats         %.3f s\npeak RSS      %.0f MiB\n", build_seconds,
            g_timer_elapsed (timer, NULL), peak_rss_mib ());
    if (!o->check)
        return TRUE;
    return fabs (st.degree.mean / o->mean - 1) <= 0.05 && ratio >= 0.35 && ratio <= 0.65 &&
           st.clustering.average >= 0.10 &&
           (double) st.components.giant_size >= 0.99 * (double) st.degree.n_users;
}

int
main (int argc, char **argv)
{
    Options o = { .users = 1000000,
                  .mean = 190,
                  .seed = 1,
                  .spread = FSIM_GEN_DEFAULT_SPREAD,
                  .clustering = FSIM_GEN_DEFAULT_CLUSTERING,
                  .max_degree = FSIM_GEN_DEFAULT_MAX_DEGREE,
                  .sample = FSIM_CLUSTERING_DEFAULT_SAMPLE };
    GOptionEntry entries[] = {
        { "model", 'm', 0, G_OPTION_ARG_STRING, &o.model, "Model (facebook_like)", "NAME" },
        { "import", 'i', 0, G_OPTION_ARG_FILENAME, &o.import, "Import a graph file", "FILE" },
        { "users", 'n', 0, G_OPTION_ARG_INT64, &o.users, "Users (1000000)", "N" },
        { "mean", 'd', 0, G_OPTION_ARG_DOUBLE, &o.mean, "Mean degree (190)", "D" },
        { "seed", 's', 0, G_OPTION_ARG_INT64, &o.seed, "Seed (1)", "S" },
        { "threads", 't', 0, G_OPTION_ARG_INT, &o.threads, "Threads (0: all)", "T" },
        { "spread", 0, 0, G_OPTION_ARG_DOUBLE, &o.spread, "Lognormal sigma", "S" },
        { "clustering", 0, 0, G_OPTION_ARG_DOUBLE, &o.clustering, "Share inside", "C" },
        { "community-size", 0, 0, G_OPTION_ARG_DOUBLE, &o.community_size, "Mean size", "S" },
        { "max-degree", 0, 0, G_OPTION_ARG_INT64, &o.max_degree, "Degree cap", "K" },
        { "sample", 0, 0, G_OPTION_ARG_INT64, &o.sample, "Clustering sample", "N" },
        { "check", 0, 0, G_OPTION_ARG_NONE, &o.check, "Check the facebook_like targets", NULL },
        G_OPTION_ENTRY_NULL
    };
    g_autoptr (GOptionContext) ctx = g_option_context_new ("- friendship graph statistics");
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimFriends) f = NULL;
    double seconds = 0;
    int status;

    g_option_context_add_main_entries (ctx, entries, NULL);
    if (!g_option_context_parse (ctx, &argc, &argv, &error)) {
        fprintf (stderr, "gen-check: %s\n", error->message);
        return 2;
    }
    if (o.model == NULL)
        o.model = g_strdup ("facebook_like");
    fsim_graph_init ();
    f = obtain (&o, &seconds, &error);
    if (f == NULL)
        fprintf (stderr, "gen-check: %s\n", error->message);
    status = f == NULL || !report (&o, f, seconds) ? 1 : 0;
    g_free (o.model);
    g_free (o.import);
    return status;
}
