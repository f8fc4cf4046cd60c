/* SPDX-License-Identifier: MIT */
/* ego-network.c: write the two-hop friendship ball of one user of a scenario's population. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "loader.h"
#include "population.h"

/*
 * Not part of the test suite. (docs/validation.md's BlackBerry Hub test now counts with `flowsim
 * sweep` and its accounts[DEGREE,K] metrics; this tool writes the ball itself.) It builds a
 * scenario's population exactly as `flowsim run` does, picks the user whose number of friends
 * is closest to --degree (the lowest index on a tie), and writes, as GraphML, that user, their
 * friends, their friends' friends and every friendship that touches the user or one of their
 * friends. Nothing else is needed to count what one device user exposes through the friend and
 * friend-of-friend channels: a scenario that imports this file with the attribute mapped to
 * "uses:PARTNER" makes the chosen user the only user of PARTNER. A summary line (JSON) goes to
 * standard output, with the friends-of-friends count of the --sample users closest to --degree
 * ([degree, count] pairs) and their median count per friend:
 *
 *   build-bench/bench/ego-network scenarios/device-partners-2018.json \
 *       --set population.users=1000000 --degree 550 --attribute blackberry --output ego.graphml
 */
typedef struct {
    char **sets;
    gint64 degree;
    gint64 sample;
    char *attribute;
    char *output;
    char **args;
} Options;

static void
options_clear (Options *o)
{
    g_strfreev (o->sets);
    g_free (o->attribute);
    g_free (o->output);
    g_strfreev (o->args);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

static size_t
degree_of (const FsimFriends *f, size_t u)
{
    return f->offsets[u + 1] - f->offsets[u];
}

typedef struct {
    size_t gap, user;
} Candidate;

static int
candidate_cmp (gconstpointer a, gconstpointer b)
{
    const Candidate *x = a, *y = b;
    if (x->gap != y->gap)
        return x->gap < y->gap ? -1 : 1;
    return x->user < y->user ? -1 : x->user > y->user;
}

/* The @k users whose degree is closest to @target, closest first (lower index on a tie). */
static GArray *
pick_users (const FsimFriends *f, size_t target, size_t k)
{
    GArray *all = g_array_sized_new (FALSE, FALSE, sizeof (Candidate), f->n_users);
    for (size_t u = 0; u < f->n_users; u++) {
        size_t d = degree_of (f, u);
        Candidate c = { d > target ? d - target : target - d, u };
        g_array_append_val (all, c);
    }
    g_array_sort (all, candidate_cmp);
    g_array_set_size (all, MIN (k, all->len));
    return all;
}

/* Distinct users w != @u with a friend in common with @u (a friend may count: a triangle). */
static size_t
count_friends_of_friends (const FsimFriends *f, size_t u, guint32 *mark, guint32 stamp)
{
    size_t n = 0;
    for (size_t i = f->offsets[u]; i < f->offsets[u + 1]; i++) {
        size_t v = f->adj[i];
        for (size_t j = f->offsets[v]; j < f->offsets[v + 1]; j++) {
            size_t w = f->adj[j];
            if (w != u && mark[w] != stamp) {
                mark[w] = stamp;
                n++;
            }
        }
    }
    return n;
}

/* The sample as JSON: [[degree, friends of friends], ...], and the median FoF per friend. */
static char *
sample_json (const FsimFriends *f, const GArray *picked, double *out_median_per_friend)
{
    g_autofree guint32 *mark = g_new0 (guint32, f->n_users);
    g_autoptr (GString) out = g_string_new ("[");
    g_autofree double *ratio = g_new0 (double, picked->len + 1);
    for (guint i = 0; i < picked->len; i++) {
        size_t u = g_array_index (picked, Candidate, i).user;
        size_t n = count_friends_of_friends (f, u, mark, i + 1);
        size_t d = degree_of (f, u);
        ratio[i] = d ? (double) n / (double) d : 0;
        g_string_append_printf (out, "%s[%zu, %zu]", i ? ", " : "", d, n);
    }
    g_string_append (out, "]");
    for (guint i = 1; i < picked->len; i++)
        for (guint j = i; j > 0 && ratio[j - 1] > ratio[j]; j--) {
            double t = ratio[j];
            ratio[j] = ratio[j - 1];
            ratio[j - 1] = t;
        }
    *out_median_per_friend = picked->len ? ratio[picked->len / 2] : 0;
    return g_string_free (g_steal_pointer (&out), FALSE);
}

typedef struct {
    size_t ego;
    GHashTable *index;           /* user -> GraphML node number + 1 */
    GArray *nodes;               /* node number -> user */
    size_t n_friends;            /* the ego's friends: nodes 1 .. n_friends */
    size_t n_friends_of_friends; /* distinct w != ego adjacent to a friend */
    size_t n_strict;             /* ... that are not friends of ego */
    size_t n_edges;
} Ball;

static size_t
node_of (Ball *b, size_t user)
{
    gpointer v = g_hash_table_lookup (b->index, GSIZE_TO_POINTER (user + 1));
    if (v)
        return GPOINTER_TO_SIZE (v) - 1;
    size_t n = b->nodes->len;
    g_array_append_val (b->nodes, user);
    g_hash_table_insert (b->index, GSIZE_TO_POINTER (user + 1), GSIZE_TO_POINTER (n + 1));
    return n;
}

/* Numbers the nodes (ego first, then friends, then friends of friends) and counts them. */
static void
ball_collect (Ball *b, const FsimFriends *f)
{
    size_t ego = b->ego;
    node_of (b, ego);
    for (size_t i = f->offsets[ego]; i < f->offsets[ego + 1]; i++)
        node_of (b, f->adj[i]);
    b->n_friends = b->nodes->len - 1;
    g_autoptr (GHashTable) fof = g_hash_table_new (NULL, NULL);
    for (size_t i = f->offsets[ego]; i < f->offsets[ego + 1]; i++) {
        size_t v = f->adj[i];
        for (size_t j = f->offsets[v]; j < f->offsets[v + 1]; j++) {
            size_t w = f->adj[j];
            if (w == ego)
                continue;
            g_hash_table_add (fof, GSIZE_TO_POINTER (w + 1));
            node_of (b, w);
        }
    }
    b->n_friends_of_friends = g_hash_table_size (fof);
    b->n_strict = b->nodes->len - 1 - b->n_friends;
}

/* The ego and its friends: the users whose every friendship is written. */
static gboolean
is_inner (const Ball *b, size_t user)
{
    gpointer v = g_hash_table_lookup (b->index, GSIZE_TO_POINTER (user + 1));
    return v && GPOINTER_TO_SIZE (v) - 1 <= b->n_friends;
}

static gboolean
write_graphml (Ball *b, const FsimFriends *f, const char *attribute, const char *path,
               GError **error)
{
    g_autoptr (GString) out = g_string_new (NULL);
    g_string_append_printf (out,
                            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                            "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n"
                            "  <key id=\"a\" for=\"node\" attr.name=\"%s\" attr.type=\"int\"/>\n"
                            "  <graph id=\"ego\" edgedefault=\"undirected\">\n",
                            attribute);
    for (size_t n = 0; n < b->nodes->len; n++)
        g_string_append_printf (out, "    <node id=\"u%zu\"><data key=\"a\">%d</data></node>\n",
                                g_array_index (b->nodes, size_t, n), n == 0 ? 1 : 0);
    /* every friendship that touches an inner user, once: between two inner users, from the
     * lower id's side */
    for (size_t n = 0; n <= b->n_friends; n++) {
        size_t v = g_array_index (b->nodes, size_t, n);
        for (size_t j = f->offsets[v]; j < f->offsets[v + 1]; j++) {
            size_t w = f->adj[j];
            if (w < v && is_inner (b, w))
                continue;
            g_string_append_printf (out, "    <edge source=\"u%zu\" target=\"u%zu\"/>\n", v, w);
            b->n_edges++;
        }
    }
    g_string_append (out, "  </graph>\n</graphml>\n");
    return g_file_set_contents (path, out->str, (gssize) out->len, error);
}

static gboolean
run (const Options *o, GError **error)
{
    g_autoptr (FsimScenario) s =
        fsim_loader_load (o->args[0], (const char *const *) o->sets, error);
    if (s == NULL)
        return FALSE;
    g_autoptr (FsimPopulation) pop = fsim_population_build (s, error);
    if (pop == NULL)
        return FALSE;
    const FsimFriends *f = pop->friends;
    if (f->n_users == 0) {
        g_set_error_literal (error, g_quark_from_static_string ("ego-network"), 1,
                             "the population is empty");
        return FALSE;
    }
    g_autoptr (GArray) picked = pick_users (f, (size_t) o->degree, (size_t) o->sample);
    double median_per_friend = 0;
    g_autofree char *sample = sample_json (f, picked, &median_per_friend);
    Ball b = { .ego = g_array_index (picked, Candidate, 0).user };
    b.index = g_hash_table_new (NULL, NULL);
    b.nodes = g_array_new (FALSE, FALSE, sizeof (size_t));
    ball_collect (&b, f);
    gboolean ok = write_graphml (&b, f, o->attribute, o->output, error);
    if (ok)
        printf ("{\"user\": \"u%zu\", \"degree\": %zu, \"friends_of_friends\": %zu, "
                "\"friends_of_friends_not_friends\": %zu, \"population\": %zu, "
                "\"nodes\": %u, \"edges\": %zu, \"sample\": %s, "
                "\"sample_median_per_friend\": %.1f}\n",
                b.ego, degree_of (f, b.ego), b.n_friends_of_friends, b.n_strict, f->n_users,
                b.nodes->len, b.n_edges, sample, median_per_friend);
    g_hash_table_unref (b.index);
    g_array_unref (b.nodes);
    return ok;
}

int
main (int argc, char *argv[])
{
    g_auto (Options) o = { .degree = 550, .sample = 1 };
    const GOptionEntry entries[] = {
        { "set", 's', 0, G_OPTION_ARG_STRING_ARRAY, &o.sets, "Override a scenario value",
          "PATH=VALUE" },
        { "degree", 'd', 0, G_OPTION_ARG_INT64, &o.degree, "Target number of friends (550)", "N" },
        { "sample", 'k', 0, G_OPTION_ARG_INT64, &o.sample,
          "Also count the friends of friends of the N users closest to --degree (1)", "N" },
        { "attribute", 'a', 0, G_OPTION_ARG_STRING, &o.attribute,
          "Node attribute set to 1 on the chosen user (required)", "NAME" },
        { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o.output, "GraphML file (required)", "FILE" },
        { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o.args, NULL, "SCENARIO" },
        { 0 },
    };
    g_autoptr (GOptionContext) context = g_option_context_new ("SCENARIO");
    g_option_context_add_main_entries (context, entries, NULL);
    g_autoptr (GError) error = NULL;
    if (!g_option_context_parse (context, &argc, &argv, &error) || o.args == NULL ||
        o.args[0] == NULL || o.attribute == NULL || o.output == NULL || o.degree < 0 ||
        o.sample < 1) {
        fprintf (stderr, "ego-network: %s\n",
                 error ? error->message
                       : "usage: ego-network SCENARIO --attribute NAME "
                         "--output FILE [--degree N] [--set PATH=VALUE...]");
        return 2;
    }
    fsim_graph_init ();
    if (!run (&o, &error)) {
        fprintf (stderr, "ego-network: %s\n", error->message);
        return 1;
    }
    return 0;
}
