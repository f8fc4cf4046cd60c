/* SPDX-License-Identifier: MIT */
/* reference.c: a slow, obviously-correct engine to check fsim_engine_run() against. */
#include <string.h>

#include <glib.h>

#include "reference.h"

typedef struct {
    const FsimScenario *s;
    const FsimPopulation *pop;
    const FsimDecisions *d;
    FsimDay day;
    size_t np;
    guint8 *down; /* [(f * np + q) * np + r]: r reached downstream of q for field f */
} Ref;

static gboolean
uses (const Ref *r, size_t u, size_t p)
{
    return fsim_bits_get (r->pop->uses + u * r->pop->partner_words, p);
}

static size_t
degree (const Ref *r, size_t u)
{
    return r->pop->friends->offsets[u + 1] - r->pop->friends->offsets[u];
}

static size_t
friend_at (const Ref *r, size_t u, size_t i)
{
    return r->pop->friends->adj[r->pop->friends->offsets[u] + i];
}

static gboolean
receives (const Ref *r, size_t p, size_t f)
{
    const FsimPartner *partner = &r->s->partners[p];
    for (size_t i = 0; i < partner->n_destinations; i++)
        if (fsim_bits_get (partner->destinations[i].fields, f))
            return TRUE;
    return FALSE;
}

static gboolean
server_holds (const Ref *r, size_t p, size_t f)
{
    const FsimPartner *partner = &r->s->partners[p];
    for (size_t i = 0; i < partner->n_destinations; i++)
        if (!partner->destinations[i].on_device &&
            fsim_bits_get (partner->destinations[i].fields, f))
            return TRUE;
    return FALSE;
}

/* Does u pass the gates of an API respecting @respects, for field f through subject k? */
static gboolean
gates_pass (const Ref *r, guint respects, size_t u, size_t f, FsimSubject k)
{
    const FsimPopulation *pop = r->pop;
    if ((respects & FSIM_RESPECTS_PLATFORM) && !pop->platform[u])
        return FALSE;
    if (k == FSIM_SUBJECT_SELF)
        return TRUE;
    if ((respects & FSIM_RESPECTS_APPS_OTHERS) &&
        !fsim_bits_get (pop->apps_others + u * pop->field_words, f))
        return FALSE;
    FsimAudience need =
        k == FSIM_SUBJECT_FRIENDS ? FSIM_AUDIENCE_FRIENDS : FSIM_AUDIENCE_FRIENDS_OF_FRIENDS;
    if ((respects & FSIM_RESPECTS_AUDIENCE) && pop->audience[u * pop->n_fields + f] < need)
        return FALSE;
    return TRUE;
}

/* Is there an allowed scope of subject k covering f on an API of p whose gates u passes? */
static gboolean
channel_open (const Ref *r, size_t u, size_t p, size_t f, FsimSubject k)
{
    const FsimPartner *partner = &r->s->partners[p];
    for (size_t i = 0; i < partner->n_apis; i++) {
        const FsimApi *api = &r->s->apis[partner->apis[i]];
        for (size_t sc = 0; sc < api->n_scopes; sc++) {
            const FsimScope *scope = &api->scopes[sc];
            if (scope->subject != k || !fsim_bits_get (scope->fields, f))
                continue;
            if (fsim_decisions_get (r->d, p, i, sc)->verdict != FSIM_VERDICT_ALLOWED)
                continue;
            if (gates_pass (r, api->respects, u, f, k))
                return TRUE;
        }
    }
    return FALSE;
}

static gboolean
friend_uses (const Ref *r, size_t u, size_t p)
{
    for (size_t i = 0; i < degree (r, u); i++)
        if (uses (r, friend_at (r, u, i), p))
            return TRUE;
    return FALSE;
}

static gboolean
friend_of_friend_uses (const Ref *r, size_t u, size_t p)
{
    for (size_t i = 0; i < degree (r, u); i++) {
        size_t v = friend_at (r, u, i);
        for (size_t j = 0; j < degree (r, v); j++) {
            size_t w = friend_at (r, v, j);
            if (w != u && uses (r, w, p))
                return TRUE;
        }
    }
    return FALSE;
}

/* Depth-first search from q's share targets for field f (so q counts only on a cycle). */
static void
downstream_from (Ref *r, size_t f, size_t q, guint8 *seen, GArray *stack)
{
    memset (seen, 0, r->np);
    g_array_set_size (stack, 0);
    g_array_append_val (stack, q);
    gboolean first = TRUE;
    while (stack->len > 0) {
        size_t x = g_array_index (stack, size_t, stack->len - 1);
        g_array_set_size (stack, stack->len - 1);
        if (!first) {
            if (seen[x])
                continue;
            seen[x] = 1;
        }
        first = FALSE;
        if (!server_holds (r, x, f))
            continue;
        const FsimPartner *partner = &r->s->partners[x];
        for (size_t i = 0; i < partner->n_shares; i++) {
            const FsimShare *share = &partner->shares[i];
            if (fsim_window_contains (share->active, r->day) && fsim_bits_get (share->fields, f))
                g_array_append_val (stack, share->partner);
        }
    }
    for (size_t x = 0; x < r->np; x++)
        r->down[(f * r->np + q) * r->np + x] = seen[x] && receives (r, x, f);
}

static void
compute_downstream (Ref *r)
{
    r->down = g_new0 (guint8, r->s->n_fields * r->np * r->np + 1);
    g_autofree guint8 *seen = g_new0 (guint8, r->np + 1);
    g_autoptr (GArray) stack = g_array_new (FALSE, FALSE, sizeof (size_t));
    for (size_t f = 0; f < r->s->n_fields; f++)
        for (size_t q = 0; q < r->np; q++)
            downstream_from (r, f, q, seen, stack);
}

static const char *
jurisdiction_of (const FsimDestination *d)
{
    return d->on_device ? "device" : d->jurisdiction;
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
    return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static FsimResult *
result_new (const Ref *r)
{
    const FsimScenario *s = r->s;
    FsimResult *res = g_new0 (FsimResult, 1);
    size_t nfp = s->n_fields * r->np + 1;
    res->n_users = r->pop->n_users;
    for (size_t u = 0; u < r->pop->n_users; u++)
        res->platform_off += r->pop->platform[u] == 0;
    res->n_friendships = r->pop->friends->n_edges;
    res->n_fields = s->n_fields;
    res->n_partners = r->np;
    res->partner_users = g_new0 (size_t, r->np + 1);
    res->partner_reached = g_new0 (size_t, r->np + 1);
    res->partner_reached_no_consent = g_new0 (size_t, r->np + 1);
    res->fp_users = g_new0 (size_t, nfp);
    res->fp_no_consent = g_new0 (size_t, nfp);
    for (size_t c = 0; c < FSIM_N_CHANNELS; c++)
        res->fp_channel[c] = g_new0 (size_t, nfp);
    res->field_users = g_new0 (size_t, s->n_fields + 1);
    res->field_no_consent = g_new0 (size_t, s->n_fields + 1);

    GPtrArray *names = g_ptr_array_new ();
    for (size_t p = 0; p < r->np; p++)
        for (size_t i = 0; i < s->partners[p].n_destinations; i++) {
            char *name = g_strdup (jurisdiction_of (&s->partners[p].destinations[i]));
            if (!g_ptr_array_find_with_equal_func (names, name, g_str_equal, NULL))
                g_ptr_array_add (names, name);
            else
                g_free (name);
        }
    g_ptr_array_sort (names, compare_strings);
    res->n_jurisdictions = names->len;
    g_ptr_array_add (names, NULL);
    res->jurisdictions = (char **) g_ptr_array_free (names, FALSE);
    res->jurisdiction_users = g_new0 (size_t, res->n_jurisdictions + 1);
    res->jurisdiction_no_consent = g_new0 (size_t, res->n_jurisdictions + 1);
    return res;
}

/* chan[c * np + p] for user u and field f. */
static void
trace_field (const Ref *r, size_t u, size_t f, guint8 *chan)
{
    size_t np = r->np;
    memset (chan, 0, FSIM_N_CHANNELS * np);
    for (size_t p = 0; p < np; p++) {
        if (!receives (r, p, f))
            continue;
        chan[FSIM_CHANNEL_SELF * np + p] =
            uses (r, u, p) && channel_open (r, u, p, f, FSIM_SUBJECT_SELF);
        chan[FSIM_CHANNEL_FRIEND * np + p] =
            friend_uses (r, u, p) && channel_open (r, u, p, f, FSIM_SUBJECT_FRIENDS);
        chan[FSIM_CHANNEL_FRIEND_OF_FRIEND * np + p] =
            friend_of_friend_uses (r, u, p) &&
            channel_open (r, u, p, f, FSIM_SUBJECT_FRIENDS_OF_FRIENDS);
    }
    for (size_t q = 0; q < np; q++) {
        gboolean direct = chan[FSIM_CHANNEL_SELF * np + q] || chan[FSIM_CHANNEL_FRIEND * np + q] ||
                          chan[FSIM_CHANNEL_FRIEND_OF_FRIEND * np + q];
        if (!direct || !server_holds (r, q, f))
            continue;
        for (size_t p = 0; p < np; p++)
            if (r->down[(f * np + q) * np + p])
                chan[FSIM_CHANNEL_DOWNSTREAM * np + p] = 1;
    }
}

/* Does partner p have a destination in jurisdiction @j receiving f? */
static gboolean
lands_in (const Ref *r, size_t p, size_t f, const char *j)
{
    const FsimPartner *partner = &r->s->partners[p];
    for (size_t i = 0; i < partner->n_destinations; i++)
        if (fsim_bits_get (partner->destinations[i].fields, f) &&
            strcmp (jurisdiction_of (&partner->destinations[i]), j) == 0)
            return TRUE;
    return FALSE;
}

/* reach / nc: [f * np + p] for one user. */
static void
count_user (const Ref *r, const guint8 *reach, const guint8 *nc, FsimResult *res)
{
    size_t nf = r->s->n_fields, np = r->np;
    for (size_t p = 0; p < np; p++) {
        gboolean any = FALSE, any_nc = FALSE;
        for (size_t f = 0; f < nf; f++) {
            any = any || reach[f * np + p];
            any_nc = any_nc || nc[f * np + p];
        }
        res->partner_reached[p] += any;
        res->partner_reached_no_consent[p] += any_nc;
    }
    for (size_t f = 0; f < nf; f++) {
        gboolean any = FALSE, any_nc = FALSE;
        for (size_t p = 0; p < np; p++) {
            any = any || reach[f * np + p];
            any_nc = any_nc || nc[f * np + p];
        }
        res->field_users[f] += any;
        res->field_no_consent[f] += any_nc;
    }
    for (size_t j = 0; j < res->n_jurisdictions; j++) {
        gboolean any = FALSE, any_nc = FALSE;
        for (size_t f = 0; f < nf; f++)
            for (size_t p = 0; p < np; p++)
                if (lands_in (r, p, f, res->jurisdictions[j])) {
                    any = any || reach[f * np + p];
                    any_nc = any_nc || nc[f * np + p];
                }
        res->jurisdiction_users[j] += any;
        res->jurisdiction_no_consent[j] += any_nc;
    }
}

static void
trace_user (const Ref *r, size_t u, guint8 *chan, guint8 *reach, guint8 *nc, FsimResult *res)
{
    size_t np = r->np;
    for (size_t p = 0; p < np; p++)
        res->partner_users[p] += uses (r, u, p);
    for (size_t f = 0; f < r->s->n_fields; f++) {
        trace_field (r, u, f, chan);
        for (size_t p = 0; p < np; p++) {
            size_t i = f * np + p;
            gboolean any = FALSE;
            for (size_t c = 0; c < FSIM_N_CHANNELS; c++) {
                res->fp_channel[c][i] += chan[c * np + p];
                any = any || chan[c * np + p];
            }
            reach[i] = any;
            nc[i] = any && !chan[FSIM_CHANNEL_SELF * np + p];
            res->fp_users[i] += reach[i];
            res->fp_no_consent[i] += nc[i];
        }
    }
    count_user (r, reach, nc, res);
}

FsimResult *
fsim_reference_run (const FsimScenario *scenario, const FsimPopulation *pop,
                    const FsimDecisions *decisions)
{
    Ref r = { .s = scenario,
              .pop = pop,
              .d = decisions,
              .np = scenario->n_partners,
              .day = fsim_decisions_get_day (decisions) };
    compute_downstream (&r);
    FsimResult *res = result_new (&r);
    size_t nfp = scenario->n_fields * r.np + 1;
    g_autofree guint8 *chan = g_new0 (guint8, FSIM_N_CHANNELS * r.np + 1);
    g_autofree guint8 *reach = g_new0 (guint8, nfp);
    g_autofree guint8 *nc = g_new0 (guint8, nfp);
    for (size_t u = 0; u < pop->n_users; u++)
        trace_user (&r, u, chan, reach, nc, res);
    g_free (r.down);
    return res;
}

static void
assert_array (const char *what, const size_t *a, const size_t *b, size_t n, size_t np,
              const FsimScenario *s)
{
    for (size_t i = 0; i < n; i++) {
        if (a[i] == b[i])
            continue;
        if (np)
            g_test_message ("%s differs at field '%s', partner '%s'", what, s->fields[i / np].id,
                            s->partners[i % np].id);
        else
            g_test_message ("%s differs at index %zu", what, i);
        g_assert_cmpuint (a[i], ==, b[i]);
    }
}

void
fsim_reference_assert_equal (const FsimScenario *s, const FsimResult *a, const FsimResult *b)
{
    g_assert_cmpuint (a->n_users, ==, b->n_users);
    g_assert_cmpuint (a->platform_off, ==, b->platform_off);
    g_assert_cmpuint (a->n_friendships, ==, b->n_friendships);
    g_assert_cmpuint (a->n_fields, ==, b->n_fields);
    g_assert_cmpuint (a->n_partners, ==, b->n_partners);
    size_t nf = a->n_fields, np = a->n_partners;
    assert_array ("partner_users", a->partner_users, b->partner_users, np, 0, s);
    assert_array ("partner_reached", a->partner_reached, b->partner_reached, np, 0, s);
    assert_array ("partner_reached_no_consent", a->partner_reached_no_consent,
                  b->partner_reached_no_consent, np, 0, s);
    assert_array ("fp_users", a->fp_users, b->fp_users, nf * np, np, s);
    assert_array ("fp_no_consent", a->fp_no_consent, b->fp_no_consent, nf * np, np, s);
    for (size_t c = 0; c < FSIM_N_CHANNELS; c++)
        assert_array (fsim_channel_to_string ((FsimChannel) c), a->fp_channel[c], b->fp_channel[c],
                      nf * np, np, s);
    assert_array ("field_users", a->field_users, b->field_users, nf, 0, s);
    assert_array ("field_no_consent", a->field_no_consent, b->field_no_consent, nf, 0, s);
    g_assert_cmpuint (a->n_jurisdictions, ==, b->n_jurisdictions);
    for (size_t j = 0; j < a->n_jurisdictions; j++)
        g_assert_cmpstr (a->jurisdictions[j], ==, b->jurisdictions[j]);
    assert_array ("jurisdiction_users", a->jurisdiction_users, b->jurisdiction_users,
                  a->n_jurisdictions, 0, s);
    assert_array ("jurisdiction_no_consent", a->jurisdiction_no_consent, b->jurisdiction_no_consent,
                  a->n_jurisdictions, 0, s);
}
