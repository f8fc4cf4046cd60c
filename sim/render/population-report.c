/* SPDX-License-Identifier: MIT */
/* population-report.c: measures a built population and describes it as text or JSON. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "bits.h"
#include "claims-report.h"
#include "json-writer.h"
#include "population-private.h"
#include "population-report.h"
#include "room.h"
#include "table.h"

static const char *const audience_keys[FSIM_N_AUDIENCES] = {
    "only_me",
    "friends",
    "friends_of_friends",
    "public",
};

/* Adds @pop's users to the counts of settings and partner use in @st. */
static void
count_users (const FsimPopulation *pop, FsimPopulationStats *st)
{
    g_autofree FsimWord *all = fsim_bits_new (pop->field_words);

    for (size_t f = 0; f < pop->n_fields; f++)
        fsim_bits_set (all, f);
    for (size_t u = 0; u < pop->n_users; u++) {
        const FsimWord *uses = pop->uses + u * pop->partner_words;
        const guint8 *aud = pop->audience + u * pop->n_fields;
        st->platform_off += pop->platform[u] == 0;
        st->restricted += memcmp (pop->apps_others + u * pop->field_words, all,
                                  pop->field_words * sizeof (FsimWord)) != 0;
        for (size_t p = fsim_bits_next (uses, pop->partner_words, 0); p != SIZE_MAX;
             p = fsim_bits_next (uses, pop->partner_words, p + 1))
            st->partner_users[p]++;
        for (size_t f = 0; f < pop->n_fields; f++)
            st->audience[f * FSIM_N_AUDIENCES + MIN (aud[f], FSIM_N_AUDIENCES - 1)]++;
    }
}

static FsimPopulationStats *
stats_alloc (size_t n_partners, size_t n_fields)
{
    FsimPopulationStats *st = g_new0 (FsimPopulationStats, 1);

    st->partner_users = g_new0 (size_t, n_partners + 1);
    st->audience = g_new0 (size_t, (n_fields + 1) * FSIM_N_AUDIENCES);
    return st;
}

FsimPopulationStats *
fsim_population_stats_new (const FsimScenario *s, const FsimPopulation *pop,
                           size_t clustering_sample, GError **error)
{
    g_return_val_if_fail (pop->friends != NULL && clustering_sample > 0, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);
    FsimPopulationStats *st = stats_alloc (pop->n_partners, pop->n_fields);

    if (!fsim_friends_stats (pop->friends, clustering_sample, s->seed, 0, &st->friends, error)) {
        g_prefix_error (error, "measuring the friendships: ");
        fsim_population_stats_free (st);
        return NULL;
    }
    st->n_groups = pop->friends->n_groups;
    count_users (pop, st);
    return st;
}

/* The counts of settings and partner use in @st, summed over the ranks (every rank's @st). */
static gboolean
sum_counts (const FsimComm *comm, size_t n_partners, size_t n_fields, FsimPopulationStats *st,
            GError **error)
{
    size_t n_aud = n_fields * FSIM_N_AUDIENCES, n = 2 + n_partners + n_aud;
    g_autofree guint64 *mine = g_new (guint64, n);
    g_autofree guint64 *all = g_new (guint64, n * (size_t) comm->size);

    mine[0] = st->platform_off, mine[1] = st->restricted;
    for (size_t p = 0; p < n_partners; p++)
        mine[2 + p] = st->partner_users[p];
    for (size_t a = 0; a < n_aud; a++)
        mine[2 + n_partners + a] = st->audience[a];
    if (!comm->allgatherv (comm, mine, n, all, sizeof (guint64), error))
        return FALSE;
    memset (mine, 0, n * sizeof *mine);
    for (int r = 0; r < comm->size; r++)
        for (size_t k = 0; k < n; k++)
            mine[k] += all[(size_t) r * n + k];
    st->platform_off = (size_t) mine[0], st->restricted = (size_t) mine[1];
    for (size_t p = 0; p < n_partners; p++)
        st->partner_users[p] = (size_t) mine[2 + p];
    for (size_t a = 0; a < n_aud; a++)
        st->audience[a] = (size_t) mine[2 + n_partners + a];
    return TRUE;
}

/**
 * fsim_population_stats_new_part:
 * See population-report.h.
 */
FsimPopulationStats *
fsim_population_stats_new_part (const FsimScenario *s, const FsimPopulationSlice *slice,
                                const FsimComm *comm, size_t clustering_sample, GError **error)
{
    g_return_val_if_fail (s != NULL && slice != NULL && comm != NULL, NULL);
    g_return_val_if_fail (clustering_sample > 0, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);
    g_autoptr (FsimPopulationStats) st = stats_alloc (slice->n_partners, slice->n_fields);
    const FsimFriendsPart part = { .n_total = slice->n_total,
                                   .first = slice->first,
                                   .n_own = slice->n_own,
                                   .offsets = slice->offsets,
                                   .adj = slice->adj };
    const FsimPopulation rows = { .n_users = slice->n_own,
                                  .n_fields = slice->n_fields,
                                  .field_words = slice->field_words,
                                  .n_partners = slice->n_partners,
                                  .partner_words = slice->partner_words,
                                  .platform = slice->platform,
                                  .apps_others = slice->apps_others,
                                  .audience = slice->audience,
                                  .uses = slice->uses };

    if (!fsim_friends_stats_part (&part, comm, clustering_sample, s->seed, &st->friends, error)) {
        g_prefix_error (error, "measuring the friendships of %zu users: ", slice->n_total);
        return NULL;
    }
    st->n_groups = slice->n_groups;
    count_users (&rows, st);
    if (!sum_counts (comm, slice->n_partners, slice->n_fields, st, error))
        return NULL;
    return g_steal_pointer (&st);
}

void
fsim_population_stats_free (FsimPopulationStats *st)
{
    if (st == NULL)
        return;
    g_free (st->partner_users);
    g_free (st->audience);
    g_free (st);
}

/* ---- text ------------------------------------------------------------------------------- */

/* "1,234UNIT (5.6%)" (transfer full) */
static char *
fmt_share_of (size_t n, size_t total, const char *unit)
{
    g_autofree char *count = fsim_fmt_count (n);
    g_autofree char *pct =
        fsim_fmt_double ("%.1f", total ? 100.0 * (double) n / (double) total : 0);

    return g_strdup_printf ("%s%s (%s%%)", count, unit, pct);
}

static char *
fmt_share (size_t n, size_t total)
{
    return fmt_share_of (n, total, "");
}

static void
pair (GString *out, const char *key, char *value)
{
    g_autofree char *owned = value;
    g_autofree char *clean = fsim_text_clean (owned);

    g_string_append_printf (out, "  %-26s  %s\n", key, clean);
}

/* Where the friendships come from, in words (transfer full). */
static char *
source_text (const FsimScenario *s)
{
    const FsimPopulationSpec *ps = &s->population;
    g_autofree char *mean = fsim_fmt_double ("%g", ps->mean_degree);
    g_autofree char *snap = ps->snapshot ? fsim_i_population_display_path (ps->snapshot) : NULL;

    if (ps->kind == FSIM_POPULATION_SNAPSHOT)
        return g_strdup_printf ("snapshot %s", snap);
    if (snap != NULL) {
        FsimScenario copy = *s;
        copy.population.snapshot = NULL;
        g_autofree char *from = source_text (&copy);
        return g_strdup_printf ("snapshot %s (saved from: %s)", snap, from);
    }
    if (ps->kind == FSIM_POPULATION_EXPLICIT)
        return g_strdup ("explicit list of users");
    if (ps->kind == FSIM_POPULATION_IMPORTED) {
        g_autofree char *file = fsim_i_population_display_path (ps->import_file);
        return g_strdup_printf ("imported from %s (%s)", file, ps->import_format);
    }
    return g_strdup_printf ("generated: %s, mean degree %s", ps->generator, mean);
}

static void
text_friendships (const FsimPopulation *pop, const FsimPopulationStats *st, GString *out)
{
    const FsimDegreeStats *d = &st->friends.degree;
    const FsimClustering *c = &st->friends.clustering;
    g_autofree char *median = fsim_fmt_double ("%g", d->median);
    g_autofree char *mean = fsim_fmt_double ("%.1f", d->mean);
    g_autofree char *min = fsim_fmt_count (d->min), *p99 = fsim_fmt_count (d->p99);
    g_autofree char *max = fsim_fmt_count (d->max);
    g_autofree char *cl = fsim_fmt_double ("%.4f", c->average);
    g_autofree char *sample = fsim_fmt_count (c->n_measured);

    g_string_append (out, "\nFriendships\n");
    pair (out, "Users", fsim_fmt_count (pop->n_users));
    pair (out, "Friendships", fsim_fmt_count (d->n_edges));
    pair (out, "Friends per user",
          g_strdup_printf ("min %s, median %s, mean %s, p99 %s, max %s", min, median, mean, p99,
                           max));
    pair (out, "Users without friends", fmt_share (d->n_isolated, pop->n_users));
    pair (out, "Average clustering",
          c->sampled ? g_strdup_printf ("%s (estimated from a sample of %s users)", cl, sample)
                     : g_strdup_printf ("%s (exact, all users)", cl));
    pair (out, "Components", fsim_fmt_count (st->friends.components.n_components));
    pair (out, "Largest component",
          fmt_share_of (st->friends.components.giant_size, pop->n_users, " users"));
    if (st->n_groups > 0) {
        g_autofree char *groups = fsim_fmt_count (st->n_groups);
        g_autofree char *size =
            fsim_fmt_double ("%.1f", (double) pop->n_users / (double) st->n_groups);
        pair (out, "Communities (the model's)", g_strdup_printf ("%s, mean size %s", groups, size));
    }
}

static void
text_adoption (const FsimScenario *s, const FsimPopulation *pop, const FsimPopulationStats *st,
               GString *out)
{
    static const char *const headers[] = { "Partner", "Kind", "Users", "Share", NULL };
    FsimTable t;

    fsim_table_init (&t, "llrr", headers);
    for (size_t p = 0; p < s->n_partners; p++) {
        char **row = fsim_table_row (&t);
        row[0] = fsim_text_clean (s->partners[p].id);
        row[1] = fsim_text_clean (s->partners[p].kind);
        row[2] = fsim_fmt_count (st->partner_users[p]);
        g_autofree char *pct = fsim_fmt_double (
            "%.2f",
            pop->n_users ? 100.0 * (double) st->partner_users[p] / (double) pop->n_users : 0);
        row[3] = g_strconcat (pct, "%", NULL);
    }
    fsim_table_finish (&t, "\nAdoption (users of each partner)\n", out);
}

static void
text_settings (const FsimScenario *s, const FsimPopulation *pop, const FsimPopulationStats *st,
               GString *out)
{
    static const char *const headers[] = { "Field",  "Only me", "Friends", "Friends of friends",
                                           "Public", NULL };
    FsimTable t;

    g_string_append (out, "\nSettings\n");
    pair (out, "Platform switch off", fmt_share (st->platform_off, pop->n_users));
    pair (out, "\"Apps others use\" narrowed", fmt_share (st->restricted, pop->n_users));
    fsim_table_init (&t, "lrrrr", headers);
    for (size_t f = 0; f < s->n_fields; f++) {
        char **row = fsim_table_row (&t);
        row[0] = fsim_text_clean (s->fields[f].id);
        for (size_t a = 0; a < FSIM_N_AUDIENCES; a++) {
            size_t n = st->audience[f * FSIM_N_AUDIENCES + a];
            g_autofree char *pct = fsim_fmt_double (
                "%.1f", pop->n_users ? 100.0 * (double) n / (double) pop->n_users : 0);
            row[1 + a] = g_strconcat (pct, "%", NULL);
        }
    }
    fsim_table_finish (&t, "\n  Audience of each field (share of users)\n", out);
}

static void
render_text (const FsimScenario *s, const FsimPopulation *pop, const FsimPopulationStats *st,
             GString *out)
{
    g_string_append (out, "flowsim " FSIM_VERSION " population\n\n");
    pair (out, "Scenario", g_strdup (s->id ? s->id : "(policy file, no scenario)"));
    pair (out, "Seed", g_strdup_printf ("%" G_GUINT64_FORMAT, s->seed));
    pair (out, "Source", source_text (s));
    fsim_claims_report_text (s, out); /* as in run's report: the population may rest on them */
    text_friendships (pop, st, out);
    text_adoption (s, pop, st, out);
    text_settings (s, pop, st, out);
}

/* ---- JSON ------------------------------------------------------------------------------- */

static void
jw_double (FsimJsonWriter *w, const char *key, double v)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];

    fsim_jw_key (w, key);
    g_string_append (w->out, g_ascii_formatd (buf, sizeof buf, "%.6g", v));
}

static void
jw_bool (FsimJsonWriter *w, const char *key, gboolean v)
{
    fsim_jw_key (w, key);
    g_string_append (w->out, v ? "true" : "false");
}

static void
json_friendships (const FsimPopulation *pop, const FsimPopulationStats *st, FsimJsonWriter *w)
{
    const FsimDegreeStats *d = &st->friends.degree;

    fsim_jw_uint (w, "users", pop->n_users);
    fsim_jw_uint (w, "friendships", d->n_edges);
    fsim_jw_key (w, "degree");
    fsim_jw_open (w, '{');
    fsim_jw_uint (w, "min", d->min);
    jw_double (w, "median", d->median);
    jw_double (w, "mean", d->mean);
    fsim_jw_uint (w, "p99", d->p99);
    fsim_jw_uint (w, "max", d->max);
    fsim_jw_uint (w, "without_friends", d->n_isolated);
    fsim_jw_close (w, '}');
    fsim_jw_key (w, "clustering");
    fsim_jw_open (w, '{');
    jw_double (w, "average", st->friends.clustering.average);
    jw_bool (w, "sampled", st->friends.clustering.sampled);
    fsim_jw_uint (w, "users_measured", st->friends.clustering.n_measured);
    fsim_jw_close (w, '}');
    fsim_jw_key (w, "components");
    fsim_jw_open (w, '{');
    fsim_jw_uint (w, "count", st->friends.components.n_components);
    fsim_jw_uint (w, "largest", st->friends.components.giant_size);
    fsim_jw_close (w, '}');
    fsim_jw_uint (w, "communities", st->n_groups);
}

static void
json_population (const FsimScenario *s, const FsimPopulation *pop, const FsimPopulationStats *st,
                 FsimJsonWriter *w)
{
    const FsimPopulationSpec *ps = &s->population;
    static const char *const kinds[] = { "explicit", "generated", "imported", "snapshot" };

    fsim_jw_key (w, "population");
    fsim_jw_open (w, '{');
    fsim_jw_str (w, "source", kinds[MIN ((size_t) ps->kind, G_N_ELEMENTS (kinds) - 1)]);
    fsim_jw_str (w, "generator", ps->kind == FSIM_POPULATION_GENERATED ? ps->generator : NULL);
    g_autofree char *file = ps->kind == FSIM_POPULATION_IMPORTED
                                ? fsim_i_population_display_path (ps->import_file)
                                : NULL;
    fsim_jw_str (w, "file", file);
    if (ps->snapshot != NULL) {
        g_autofree char *snap = fsim_i_population_display_path (ps->snapshot);
        fsim_jw_str (w, "snapshot", snap);
    }
    fsim_jw_str (w, "adoption_model",
                 ps->adoption_model == FSIM_ADOPTION_CLUSTERED ? "clustered" : "random");
    json_friendships (pop, st, w);
    fsim_jw_close (w, '}');
}

static void
json_adoption (const FsimScenario *s, const FsimPopulationStats *st, FsimJsonWriter *w)
{
    fsim_jw_key (w, "adoption");
    fsim_jw_open (w, '[');
    for (size_t p = 0; p < s->n_partners; p++) {
        fsim_jw_item (w);
        fsim_jw_open (w, '{');
        fsim_jw_str (w, "partner", s->partners[p].id);
        fsim_jw_str (w, "kind", s->partners[p].kind);
        fsim_jw_uint (w, "users", st->partner_users[p]);
        fsim_jw_close (w, '}');
    }
    fsim_jw_close (w, ']');
}

static void
json_settings (const FsimScenario *s, const FsimPopulationStats *st, FsimJsonWriter *w)
{
    fsim_jw_key (w, "settings");
    fsim_jw_open (w, '{');
    fsim_jw_uint (w, "platform_off", st->platform_off);
    fsim_jw_uint (w, "apps_others_narrowed", st->restricted);
    fsim_jw_key (w, "audience");
    fsim_jw_open (w, '[');
    for (size_t f = 0; f < s->n_fields; f++) {
        fsim_jw_item (w);
        fsim_jw_open (w, '{');
        fsim_jw_str (w, "field", s->fields[f].id);
        for (size_t a = 0; a < FSIM_N_AUDIENCES; a++)
            fsim_jw_uint (w, audience_keys[a], st->audience[f * FSIM_N_AUDIENCES + a]);
        fsim_jw_close (w, '}');
    }
    fsim_jw_close (w, ']');
    fsim_jw_close (w, '}');
}

static void
render_json (const FsimScenario *s, const FsimPopulation *pop, const FsimPopulationStats *st,
             GString *out)
{
    FsimJsonWriter w = { .out = out };

    fsim_jw_open (&w, '{');
    fsim_jw_str (&w, "flowsim", FSIM_VERSION);
    fsim_jw_str (&w, "scenario", s->id);
    fsim_jw_uint (&w, "seed", s->seed);
    json_population (s, pop, st, &w);
    json_adoption (s, st, &w);
    json_settings (s, st, &w);
    fsim_claims_report_json (&w, s);
    fsim_jw_close (&w, '}');
    g_string_append_c (out, '\n');
}

void
fsim_population_stats_render (const FsimScenario *s, const FsimPopulation *pop,
                              const FsimPopulationStats *st, FsimReportFormat format, GString *out)
{
    g_return_if_fail (format == FSIM_REPORT_TEXT || format == FSIM_REPORT_JSON);
    if (format == FSIM_REPORT_JSON)
        render_json (s, pop, st, out);
    else
        render_text (s, pop, st, out);
}

/* ---- the room the text takes (room.h) ------------------------------------------------------ */

/* The paths and names source_text() and json_population() write, each bounded as JSON. */
static guint64
room_source (const FsimPopulationSpec *ps)
{
    guint64 bytes = 2 * (fsim_room_json (ps->generator) + fsim_room_json (ps->import_format));
    const char *paths[] = { ps->snapshot, ps->import_file };
    for (size_t i = 0; i < G_N_ELEMENTS (paths); i++) {
        g_autofree char *shown = paths[i] ? fsim_i_population_display_path (paths[i]) : NULL;
        bytes += 2 * fsim_room_json (shown);
    }
    return bytes;
}

guint64
fsim_population_stats_room (const FsimScenario *s, FsimReportFormat format)
{
    g_return_val_if_fail (s != NULL, 0);
    /* the heading, the pairs of counts and their keys, the JSON's fixed keys */
    guint64 bytes = 8192 + 2 * fsim_room_json (s->id) + room_source (&s->population) +
                    fsim_claims_room_report (s);
    if (format == FSIM_REPORT_JSON) {
        for (size_t p = 0; p < s->n_partners; p++)
            bytes +=
                fsim_room_json (s->partners[p].id) + fsim_room_json (s->partners[p].kind) + 128;
        for (size_t f = 0; f < s->n_fields; f++)
            bytes += fsim_room_json (s->fields[f].id) + 320;
        return bytes;
    }
    FsimRoomTable adoption = { 0 }, settings = { 0 };
    for (size_t p = 0; p < s->n_partners; p++) {
        const char *row[] = { s->partners[p].id, s->partners[p].kind, NULL, NULL };
        fsim_room_table_row (&adoption, row, G_N_ELEMENTS (row));
    }
    for (size_t f = 0; f < s->n_fields; f++) {
        const char *row[] = { s->fields[f].id, NULL, NULL, NULL, NULL };
        fsim_room_table_row (&settings, row, G_N_ELEMENTS (row));
    }
    return bytes + fsim_room_table_bytes (&adoption) + fsim_room_table_bytes (&settings);
}
