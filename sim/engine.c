/* SPDX-License-Identifier: MIT */
/* engine.c: bit-parallel tracing of every user's fields to partners, split across threads. */
#include "config.h"

#include <string.h>

#include "downstream.h"
#include "engine.h"

/*
 * Every set below is a partner bit set (partner_words long). A gate profile is a combination
 * of FsimRespects flags; an API with profile g opens a channel for user u when no gate of g
 * fails for u. The engine precomputes, per subject k, field f and set of failing gates x,
 * avail[k][f][x]: partners whose channel k is open for f when exactly the gates x fail, already
 * restricted to partners with a destination receiving f. Tracing a user is then a handful of
 * word operations per field.
 */
#define N_PROFILES (FSIM_RESPECTS_ALL + 1u)
#define MAX_THREADS 64u
#define MAX_COUNTER_BYTES ((size_t) 1 << 30) /* per-thread counters, all threads */

typedef struct {
    const FsimScenario *scenario;
    const FsimPopulation *pop;
    size_t nf, np, pw;
    FsimDownstream *down;
    gboolean any_down;
    FsimWord *avail; /* [((k * nf + f) * N_PROFILES + x) * pw] */
    size_t n_jur;
    char **jur;         /* sorted with strcmp, NULL-terminated */
    FsimWord *jur_mask; /* [(j * nf + f) * pw]: partners with a destination in j receiving f */
    FsimWord *one;      /* [v * pw]: partners used by some neighbour of v */
    FsimWord *two;      /* [v * pw]: partners used by two or more neighbours of v */
} Engine;

/* Per-thread working sets for one user. */
typedef struct {
    FsimWord *f2, *tmp, *direct;
    FsimWord *channel[FSIM_N_CHANNELS];
    FsimWord *reach, *nc; /* [f * pw] */
    FsimWord *any_reach, *any_nc;
} Scratch;

static const char *const channel_names[] = {
    [FSIM_CHANNEL_SELF] = "self",
    [FSIM_CHANNEL_FRIEND] = "friend",
    [FSIM_CHANNEL_FRIEND_OF_FRIEND] = "friend_of_friend",
    [FSIM_CHANNEL_DOWNSTREAM] = "downstream",
};
G_STATIC_ASSERT (G_N_ELEMENTS (channel_names) == FSIM_N_CHANNELS);

const char *
fsim_channel_to_string (FsimChannel c)
{
    g_return_val_if_fail ((unsigned) c < FSIM_N_CHANNELS, NULL);
    return channel_names[c];
}

/* ---- results ---------------------------------------------------------------------------- */

static FsimResult *
result_new (size_t n_fields, size_t n_partners, size_t n_jur)
{
    FsimResult *r = g_new0 (FsimResult, 1);
    size_t nfp = n_fields * n_partners + 1;
    r->n_fields = n_fields;
    r->n_partners = n_partners;
    r->partner_users = g_new0 (size_t, n_partners + 1);
    r->partner_reached = g_new0 (size_t, n_partners + 1);
    r->partner_reached_no_consent = g_new0 (size_t, n_partners + 1);
    r->fp_users = g_new0 (size_t, nfp);
    r->fp_no_consent = g_new0 (size_t, nfp);
    for (size_t c = 0; c < FSIM_N_CHANNELS; c++)
        r->fp_channel[c] = g_new0 (size_t, nfp);
    r->field_users = g_new0 (size_t, n_fields + 1);
    r->field_no_consent = g_new0 (size_t, n_fields + 1);
    r->n_jurisdictions = n_jur;
    r->jurisdiction_users = g_new0 (size_t, n_jur + 1);
    r->jurisdiction_no_consent = g_new0 (size_t, n_jur + 1);
    return r;
}

void
fsim_result_free (FsimResult *r)
{
    if (!r)
        return;
    g_free (r->partner_users);
    g_free (r->partner_reached);
    g_free (r->partner_reached_no_consent);
    g_free (r->fp_users);
    g_free (r->fp_no_consent);
    for (size_t c = 0; c < FSIM_N_CHANNELS; c++)
        g_free (r->fp_channel[c]);
    g_free (r->field_users);
    g_free (r->field_no_consent);
    for (size_t j = 0; r->jurisdictions && j < r->n_jurisdictions; j++)
        g_free (r->jurisdictions[j]);
    g_free (r->jurisdictions);
    g_free (r->jurisdiction_users);
    g_free (r->jurisdiction_no_consent);
    g_free (r);
}

static void
add_counts (size_t *dst, const size_t *src, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dst[i] += src[i];
}

static void
result_add (FsimResult *dst, const FsimResult *src)
{
    size_t nfp = dst->n_fields * dst->n_partners;
    dst->n_users += src->n_users;
    add_counts (dst->partner_users, src->partner_users, dst->n_partners);
    add_counts (dst->partner_reached, src->partner_reached, dst->n_partners);
    add_counts (dst->partner_reached_no_consent, src->partner_reached_no_consent, dst->n_partners);
    add_counts (dst->fp_users, src->fp_users, nfp);
    add_counts (dst->fp_no_consent, src->fp_no_consent, nfp);
    for (size_t c = 0; c < FSIM_N_CHANNELS; c++)
        add_counts (dst->fp_channel[c], src->fp_channel[c], nfp);
    add_counts (dst->field_users, src->field_users, dst->n_fields);
    add_counts (dst->field_no_consent, src->field_no_consent, dst->n_fields);
    add_counts (dst->jurisdiction_users, src->jurisdiction_users, dst->n_jurisdictions);
    add_counts (dst->jurisdiction_no_consent, src->jurisdiction_no_consent, dst->n_jurisdictions);
}

/* ---- precomputation --------------------------------------------------------------------- */

static void
engine_free (Engine *e)
{
    if (!e)
        return;
    fsim_downstream_free (e->down);
    g_free (e->avail);
    g_strfreev (e->jur);
    g_free (e->jur_mask);
    g_free (e->one);
    g_free (e->two);
    g_free (e);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Engine, engine_free)

/* open[k][f][g]: partners with an ALLOWED scope of subject k covering f, on an API of profile g. */
static FsimWord *
compute_open (const Engine *e, const FsimDecisions *decisions)
{
    const FsimScenario *s = e->scenario;
    FsimWord *open = fsim_bits_new (FSIM_N_SUBJECTS * e->nf * N_PROFILES * e->pw);
    for (size_t p = 0; p < s->n_partners; p++) {
        const FsimPartner *partner = &s->partners[p];
        for (size_t k = 0; k < partner->n_apis; k++) {
            const FsimApi *api = &s->apis[partner->apis[k]];
            size_t g = api->respects & FSIM_RESPECTS_ALL;
            for (size_t sc = 0; sc < api->n_scopes; sc++) {
                const FsimScope *scope = &api->scopes[sc];
                if (fsim_decisions_get (decisions, p, k, sc)->verdict != FSIM_VERDICT_ALLOWED)
                    continue;
                for (size_t f = fsim_bits_next (scope->fields, s->field_words, 0); f < e->nf;
                     f = fsim_bits_next (scope->fields, s->field_words, f + 1))
                    fsim_bits_set (open + ((scope->subject * e->nf + f) * N_PROFILES + g) * e->pw,
                                   p);
            }
        }
    }
    return open;
}

/* avail[k][f][x] = receivers(f) & OR of open[k][f][g] over the profiles g that avoid x. */
static void
compute_avail (Engine *e, const FsimDecisions *decisions)
{
    g_autofree FsimWord *open = compute_open (e, decisions);
    e->avail = fsim_bits_new (FSIM_N_SUBJECTS * e->nf * N_PROFILES * e->pw);
    for (size_t k = 0; k < FSIM_N_SUBJECTS; k++)
        for (size_t f = 0; f < e->nf; f++) {
            const FsimWord *receive = fsim_downstream_receivers (e->down, f);
            const FsimWord *o = open + (k * e->nf + f) * N_PROFILES * e->pw;
            FsimWord *a = e->avail + (k * e->nf + f) * N_PROFILES * e->pw;
            for (size_t x = 0; x < N_PROFILES; x++)
                for (size_t g = 0; g < N_PROFILES; g++)
                    if ((g & x) == 0)
                        fsim_bits_or (a + x * e->pw, o + g * e->pw, e->pw);
            for (size_t x = 0; x < N_PROFILES; x++)
                for (size_t w = 0; w < e->pw; w++)
                    a[x * e->pw + w] &= receive[w];
        }
}

static const char *
destination_jurisdiction (const FsimDestination *d)
{
    if (d->on_device)
        return "device";
    return d->jurisdiction ? d->jurisdiction : "unknown";
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
    return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static size_t
find_jurisdiction (const Engine *e, const char *name)
{
    for (size_t j = 0; j < e->n_jur; j++)
        if (strcmp (e->jur[j], name) == 0)
            return j;
    g_assert_not_reached ();
    return 0;
}

static void
compute_jurisdictions (Engine *e)
{
    const FsimScenario *s = e->scenario;
    g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
    g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
    for (size_t p = 0; p < s->n_partners; p++)
        for (size_t d = 0; d < s->partners[p].n_destinations; d++) {
            const char *name = destination_jurisdiction (&s->partners[p].destinations[d]);
            if (g_hash_table_add (seen, (gpointer) name))
                g_ptr_array_add (names, g_strdup (name));
        }
    g_ptr_array_sort (names, compare_strings);
    e->n_jur = names->len;
    g_ptr_array_add (names, NULL);
    e->jur = (char **) g_ptr_array_steal (names, NULL);

    e->jur_mask = fsim_bits_new (e->n_jur * e->nf * e->pw);
    for (size_t p = 0; p < s->n_partners; p++)
        for (size_t d = 0; d < s->partners[p].n_destinations; d++) {
            const FsimDestination *dest = &s->partners[p].destinations[d];
            size_t j = find_jurisdiction (e, destination_jurisdiction (dest));
            for (size_t f = fsim_bits_next (dest->fields, s->field_words, 0); f < e->nf;
                 f = fsim_bits_next (dest->fields, s->field_words, f + 1))
                fsim_bits_set (e->jur_mask + (j * e->nf + f) * e->pw, p);
        }
}

static Engine *
engine_new (const FsimScenario *scenario, const FsimPopulation *pop, const FsimDecisions *decisions,
            GError **error)
{
    g_autoptr (Engine) e = g_new0 (Engine, 1);
    e->scenario = scenario;
    e->pop = pop;
    e->nf = scenario->n_fields;
    e->np = scenario->n_partners;
    e->pw = pop->partner_words;

    g_autoptr (FsimModel) model = fsim_model_new (scenario);
    e->down = fsim_downstream_new (scenario, model, fsim_decisions_get_day (decisions), error);
    if (!e->down)
        return NULL;
    e->any_down = fsim_downstream_any (e->down);
    compute_avail (e, decisions);
    compute_jurisdictions (e);
    e->one = fsim_bits_new (pop->n_users * e->pw);
    e->two = fsim_bits_new (pop->n_users * e->pw);
    return g_steal_pointer (&e);
}

/* ---- neighbourhoods --------------------------------------------------------------------- */

static size_t
n_neighbours (const FsimPopulation *pop, size_t v)
{
    return pop->friends ? pop->friends->offsets[v + 1] - pop->friends->offsets[v] : 0;
}

static size_t
neighbour (const FsimPopulation *pop, size_t v, size_t i)
{
    return pop->friends->adj[pop->friends->offsets[v] + i];
}

/* ONE[v] and TWO[v] for v in [from, to): a saturating count (0, 1, 2+) per partner. */
static void
neighbour_range (const Engine *e, size_t from, size_t to, void *out)
{
    (void) out;
    for (size_t v = from; v < to; v++) {
        FsimWord *one = e->one + v * e->pw, *two = e->two + v * e->pw;
        for (size_t i = 0; i < n_neighbours (e->pop, v); i++) {
            const FsimWord *uses = e->pop->uses + neighbour (e->pop, v, i) * e->pw;
            for (size_t w = 0; w < e->pw; w++) {
                two[w] |= one[w] & uses[w];
                one[w] |= uses[w];
            }
        }
    }
}

/* Partners used by some w != u two steps away via a friend (w may itself be a friend). */
static void
friends_of_friends_use (const Engine *e, size_t u, FsimWord *f2)
{
    const FsimWord *u0 = e->pop->uses + u * e->pw;
    fsim_bits_zero (f2, e->pw);
    for (size_t i = 0; i < n_neighbours (e->pop, u); i++) {
        size_t v = neighbour (e->pop, u, i);
        const FsimWord *one = e->one + v * e->pw, *two = e->two + v * e->pw;
        for (size_t w = 0; w < e->pw; w++)
            f2[w] |= (one[w] & ~u0[w]) | (two[w] & u0[w]);
    }
}

/* ---- tracing ---------------------------------------------------------------------------- */

static void
count_bits (size_t *counts, const FsimWord *b, size_t pw)
{
    for (size_t p = fsim_bits_next (b, pw, 0); p != SIZE_MAX; p = fsim_bits_next (b, pw, p + 1))
        counts[p]++;
}

/* The gates of the friend (k = friends) or friend-of-friend channel that fail for (u, f). */
static unsigned
failing_gates (const FsimPopulation *pop, size_t u, size_t f, FsimAudience need)
{
    unsigned x = pop->platform[u] ? 0u : FSIM_RESPECTS_PLATFORM;
    if (!fsim_bits_get (pop->apps_others + u * pop->field_words, f))
        x |= FSIM_RESPECTS_APPS_OTHERS;
    if (pop->audience[u * pop->n_fields + f] < need)
        x |= FSIM_RESPECTS_AUDIENCE;
    return x;
}

static const FsimWord *
avail (const Engine *e, FsimSubject k, size_t f, unsigned x)
{
    return e->avail + ((k * e->nf + f) * N_PROFILES + x) * e->pw;
}

/* Fills s->channel[*] for (u, f). */
static void
open_channels (const Engine *e, size_t u, size_t f, Scratch *s)
{
    const FsimPopulation *pop = e->pop;
    const FsimWord *u0 = pop->uses + u * e->pw, *f1 = e->one + u * e->pw;
    const FsimWord *a_self =
        avail (e, FSIM_SUBJECT_SELF, f, pop->platform[u] ? 0u : FSIM_RESPECTS_PLATFORM);
    const FsimWord *a_fr =
        avail (e, FSIM_SUBJECT_FRIENDS, f, failing_gates (pop, u, f, FSIM_AUDIENCE_FRIENDS));
    const FsimWord *a_fof = avail (e, FSIM_SUBJECT_FRIENDS_OF_FRIENDS, f,
                                   failing_gates (pop, u, f, FSIM_AUDIENCE_FRIENDS_OF_FRIENDS));
    const FsimWord *server = fsim_downstream_server_holders (e->down, f);
    for (size_t w = 0; w < e->pw; w++) {
        s->channel[FSIM_CHANNEL_SELF][w] = u0[w] & a_self[w];
        s->channel[FSIM_CHANNEL_FRIEND][w] = f1[w] & a_fr[w];
        s->channel[FSIM_CHANNEL_FRIEND_OF_FRIEND][w] = s->f2[w] & a_fof[w];
        s->direct[w] = s->channel[FSIM_CHANNEL_SELF][w] | s->channel[FSIM_CHANNEL_FRIEND][w] |
                       s->channel[FSIM_CHANNEL_FRIEND_OF_FRIEND][w];
        s->tmp[w] = s->direct[w] & server[w];
    }
    FsimWord *down = s->channel[FSIM_CHANNEL_DOWNSTREAM];
    fsim_bits_zero (down, e->pw);
    if (!e->any_down)
        return;
    for (size_t q = fsim_bits_next (s->tmp, e->pw, 0); q != SIZE_MAX;
         q = fsim_bits_next (s->tmp, e->pw, q + 1))
        fsim_bits_or (down, fsim_downstream_get (e->down, f, q), e->pw);
}

static void
trace_field (const Engine *e, size_t u, size_t f, Scratch *s, FsimResult *r)
{
    open_channels (e, u, f, s);
    FsimWord *reach = s->reach + f * e->pw, *nc = s->nc + f * e->pw;
    for (size_t w = 0; w < e->pw; w++) {
        reach[w] = s->direct[w] | s->channel[FSIM_CHANNEL_DOWNSTREAM][w];
        nc[w] = reach[w] & ~s->channel[FSIM_CHANNEL_SELF][w];
        s->any_reach[w] |= reach[w];
        s->any_nc[w] |= nc[w];
    }
    if (!fsim_bits_any (reach, e->pw))
        return;
    size_t row = f * e->np;
    count_bits (r->fp_users + row, reach, e->pw);
    count_bits (r->fp_no_consent + row, nc, e->pw);
    for (size_t c = 0; c < FSIM_N_CHANNELS; c++)
        count_bits (r->fp_channel[c] + row, s->channel[c], e->pw);
    r->field_users[f]++;
    if (fsim_bits_any (nc, e->pw))
        r->field_no_consent[f]++;
}

/* Does any field f of @sets (one set per field) meet jurisdiction j's receivers of f? */
static gboolean
jurisdiction_hit (const Engine *e, size_t j, const FsimWord *sets)
{
    for (size_t f = 0; f < e->nf; f++)
        if (fsim_bits_intersects (sets + f * e->pw, e->jur_mask + (j * e->nf + f) * e->pw, e->pw))
            return TRUE;
    return FALSE;
}

static void
trace_user (const Engine *e, size_t u, Scratch *s, FsimResult *r)
{
    r->n_users++;
    count_bits (r->partner_users, e->pop->uses + u * e->pw, e->pw);
    friends_of_friends_use (e, u, s->f2);
    fsim_bits_zero (s->any_reach, e->pw);
    fsim_bits_zero (s->any_nc, e->pw);
    for (size_t f = 0; f < e->nf; f++)
        trace_field (e, u, f, s, r);
    if (!fsim_bits_any (s->any_reach, e->pw))
        return;
    count_bits (r->partner_reached, s->any_reach, e->pw);
    count_bits (r->partner_reached_no_consent, s->any_nc, e->pw);
    for (size_t j = 0; j < e->n_jur; j++) {
        if (jurisdiction_hit (e, j, s->reach))
            r->jurisdiction_users[j]++;
        if (jurisdiction_hit (e, j, s->nc))
            r->jurisdiction_no_consent[j]++;
    }
}

static void
trace_range (const Engine *e, size_t from, size_t to, void *out)
{
    size_t pw = e->pw;
    size_t base = 5 + FSIM_N_CHANNELS;
    g_autofree FsimWord *buf = fsim_bits_new ((base + 2 * e->nf) * pw);
    Scratch s = {
        .f2 = buf,
        .tmp = buf + pw,
        .direct = buf + 2 * pw,
        .any_reach = buf + 3 * pw,
        .any_nc = buf + 4 * pw,
        .reach = buf + base * pw,
        .nc = buf + (base + e->nf) * pw,
    };
    for (size_t c = 0; c < FSIM_N_CHANNELS; c++)
        s.channel[c] = buf + (5 + c) * pw;
    for (size_t u = from; u < to; u++)
        trace_user (e, u, &s, out);
}

/* ---- threads ---------------------------------------------------------------------------- */

typedef void (*RangeFunc) (const Engine *e, size_t from, size_t to, void *out);

typedef struct {
    const Engine *e;
    RangeFunc fn;
    size_t from, to;
    void *out;
} Job;

static gpointer
job_run (gpointer data)
{
    const Job *job = data;
    job->fn (job->e, job->from, job->to, job->out);
    return NULL;
}

/* FLOWSIM_THREADS if set to a positive integer, else the processor count; at most one per
 * user, and few enough that the per-thread counters fit in MAX_COUNTER_BYTES. */
static size_t
thread_count (size_t n_users, size_t counter_bytes)
{
    size_t n = (size_t) g_get_num_processors ();
    const char *env = g_getenv ("FLOWSIM_THREADS");
    if (env && *env) {
        char *end = NULL;
        guint64 v = g_ascii_strtoull (env, &end, 10);
        if (end && *end == '\0' && v > 0)
            n = (size_t) MIN (v, (guint64) MAX_THREADS);
    }
    n = MIN (n, (size_t) MAX_THREADS);
    /* each thread keeps its own counters: about 6 * n_fields * n_partners of them */
    n = MIN (n, MAX_COUNTER_BYTES / MAX (counter_bytes, (size_t) 1));
    return MAX ((size_t) 1, MIN (n, n_users));
}

/* Runs @fn over [0, n_items) split into @n_jobs contiguous ranges, job t writing outs[t]. */
static gboolean
run_parallel (const Engine *e, RangeFunc fn, size_t n_items, size_t n_jobs, void **outs,
              GError **error)
{
    g_autofree Job *jobs = g_new0 (Job, n_jobs);
    g_autofree GThread **threads = g_new0 (GThread *, n_jobs);
    gboolean ok = TRUE;
    for (size_t t = 0; t < n_jobs; t++)
        jobs[t] = (Job){ .e = e,
                         .fn = fn,
                         .from = n_items * t / n_jobs,
                         .to = n_items * (t + 1) / n_jobs,
                         .out = outs ? outs[t] : NULL };
    for (size_t t = 1; t < n_jobs && ok; t++) {
        threads[t] = g_thread_try_new ("flowsim-engine", job_run, &jobs[t], error);
        ok = threads[t] != NULL;
    }
    if (ok)
        job_run (&jobs[0]);
    for (size_t t = 1; t < n_jobs; t++)
        if (threads[t])
            g_thread_join (threads[t]);
    if (!ok)
        g_prefix_error (error, "cannot start an engine thread: ");
    return ok;
}

FsimResult *
fsim_engine_run (const FsimScenario *scenario, const FsimPopulation *pop,
                 const FsimDecisions *decisions, GError **error)
{
    g_return_val_if_fail (scenario != NULL && pop != NULL && decisions != NULL, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);
    g_return_val_if_fail (pop->n_fields == scenario->n_fields, NULL);
    g_return_val_if_fail (pop->n_partners == scenario->n_partners, NULL);
    g_return_val_if_fail (pop->partner_words == scenario->partner_words, NULL);

    g_autoptr (Engine) e = engine_new (scenario, pop, decisions, error);
    if (!e)
        return NULL;
    size_t n_jobs =
        thread_count (pop->n_users, (FSIM_N_CHANNELS + 2) * e->nf * e->np * sizeof (size_t));
    if (!run_parallel (e, neighbour_range, pop->n_users, n_jobs, NULL, error))
        return NULL;

    g_autoptr (GPtrArray) parts =
        g_ptr_array_new_with_free_func ((GDestroyNotify) fsim_result_free);
    for (size_t t = 0; t < n_jobs; t++)
        g_ptr_array_add (parts, result_new (e->nf, e->np, e->n_jur));
    if (!run_parallel (e, trace_range, pop->n_users, n_jobs, parts->pdata, error))
        return NULL;

    g_autoptr (FsimResult) r = result_new (e->nf, e->np, e->n_jur);
    for (size_t t = 0; t < n_jobs; t++)
        result_add (r, g_ptr_array_index (parts, t));
    g_assert (r->n_users == pop->n_users);
    r->n_friendships = pop->friends ? pop->friends->n_edges : 0;
    r->jurisdictions = g_steal_pointer (&e->jur);
    return g_steal_pointer (&r);
}
