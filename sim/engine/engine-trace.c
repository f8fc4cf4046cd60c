/* SPDX-License-Identifier: MIT */
/* engine-trace.c: the trace pass, 64 users at a time in lanes (see engine-lanes.c). */
#include "config.h"

#include <string.h>

#include "engine-private.h"

#define LANE 64
#define PREFETCH 16 /* friends ahead in the second hop */

/* One group's lanes and working sets (per worker, reused from group to group). */
typedef struct {
    size_t pw, fw, nf, np;
    FsimWord *rows;                 /* [LANE * pw]: the friend-of-friend set of each user */
    FsimWord *u0, *f1, *f2;         /* [pw * LANE]: lanes per partner */
    FsimWord *ao;                   /* [fw * LANE]: "apps others use" ticked, per field */
    FsimWord *af, *aff;             /* [nf]: audience >= friends, >= friends of friends */
    FsimWord pl;                    /* platform on */
    FsimWord *any_reach, *any_nc;   /* [pw * LANE] */
    FsimWord *jur, *jur_nc;         /* [n_jur] */
    FsimWord *direct, *self, *down; /* [max entries of a field] */
    FsimWord g_fr[256], g_fof[256];
} Group;

/* Transposes a 64 x 64 bit matrix: afterwards a[63 - b] bit 63 - i is what a[i] bit b was
 * (Warren, Hacker's Delight, 2nd ed., section 7-3, widened to 64 bits). */
static void
transpose64 (FsimWord a[LANE])
{
    FsimWord m = UINT64_C (0x00000000FFFFFFFF);

    for (unsigned j = 32; j != 0; j >>= 1, m ^= m << j) {
        for (unsigned k = 0; k < LANE; k = ((k | j) + 1) & ~j) {
            FsimWord t = (a[k] ^ (a[k | j] >> j)) & m;
            a[k] ^= t;
            a[k | j] ^= t << j;
        }
    }
}

/* lanes[w * 64 + b] bit i = bit b of word w of row i (rows[i * stride ..]); rows i >= n are 0. */
static void
to_lanes (const FsimWord *rows, size_t stride, size_t n, size_t words, FsimWord *lanes)
{
    FsimWord a[LANE];

    for (size_t w = 0; w < words; w++) {
        for (size_t i = 0; i < LANE; i++)
            a[LANE - 1 - i] = i < n ? rows[i * stride + w] : 0;
        transpose64 (a);
        for (size_t b = 0; b < LANE; b++)
            lanes[w * LANE + b] = a[LANE - 1 - b];
    }
}

/*
 * Partners used by some w != u two steps away via a friend (w may itself be a friend): the
 * partners of ONE[v] over u's friends v, except that a partner u uses itself needs TWO[v] (u
 * is one of v's friends). The set grows to its bound quickly (a friend of friends reaches
 * thousands of users), so the scan stops as soon as nothing more can be added: every partner
 * anybody uses, and of u's own those that two users use.
 */
static void
friends_of_friends_use (const FsimLaneInput *in, size_t u, FsimWord *f2)
{
    const FsimFriends *fr = in->pop->friends;
    size_t pw = in->plan->pw;
    const FsimWord *u0 = in->pop->uses + u * pw;
    const uint32_t *nb = fr ? fr->adj + fr->offsets[u] : NULL;
    const uint32_t *end = fr ? fr->adj + fr->offsets[u + 1] : NULL;

    if (pw == 1) { /* the common case, kept in registers */
        FsimWord a = 0, b = 0, mine = u0[0];
        FsimWord all = in->used_once[0], all_mine = in->used_twice[0] & mine;
        for (; nb < end && (a != all || b != all_mine); nb++) {
            if (nb + PREFETCH < end)
                __builtin_prefetch (in->near + (size_t) nb[PREFETCH] * 2);
            const FsimWord *n = in->near + (size_t) *nb * 2;
            a |= n[0];
            b |= n[1] & mine;
        }
        f2[0] = (a & ~mine) | b;
        return;
    }
    fsim_bits_zero (f2, pw);
    for (; nb < end; nb++) {
        const FsimWord *one = in->near + (size_t) *nb * 2 * pw, *two = one + pw;
        gboolean full = TRUE;
        for (size_t w = 0; w < pw; w++) {
            f2[w] |= (one[w] & ~u0[w]) | (two[w] & u0[w]);
            full &= f2[w] == ((in->used_once[w] & ~u0[w]) | (in->used_twice[w] & u0[w]));
        }
        if (full)
            break;
    }
}

/* Fills the group's lanes for users first .. first + n - 1 (n <= 64). */
static void
load_group (const FsimLaneInput *in, Group *g, size_t first, size_t n)
{
    const FsimPopulation *pop = in->pop;
    size_t pw = g->pw;

    for (size_t i = 0; i < n; i++)
        friends_of_friends_use (in, first + i, g->rows + i * pw);
    to_lanes (pop->uses + first * pw, pw, n, pw, g->u0);
    to_lanes (in->near + first * 2 * pw, 2 * pw, n, pw, g->f1);
    to_lanes (g->rows, pw, n, pw, g->f2);
    to_lanes (pop->apps_others + first * g->fw, g->fw, n, g->fw, g->ao);
    g->pl = 0;
    memset (g->af, 0, g->nf * sizeof (FsimWord));
    memset (g->aff, 0, g->nf * sizeof (FsimWord));
    for (size_t i = 0; i < n; i++) {
        const guint8 *aud = pop->audience + (first + i) * g->nf;
        g->pl |= (FsimWord) (pop->platform[first + i] != 0) << i;
        for (size_t f = 0; f < g->nf; f++) {
            g->af[f] |= (FsimWord) (aud[f] >= FSIM_AUDIENCE_FRIENDS) << i;
            g->aff[f] |= (FsimWord) (aud[f] >= FSIM_AUDIENCE_FRIENDS_OF_FRIENDS) << i;
        }
    }
}

/* G for each of field f's distinct tables: the users whose failing gates x the table opens. */
static void
eval_tables (const FsimLanePlan *l, Group *g, size_t f)
{
    FsimWord pf = ~g->pl, af = ~g->ao[f], dfr = ~g->af[f], dfof = ~g->aff[f];
    FsimWord mfr[FSIM_N_PROFILES], mfof[FSIM_N_PROFILES];

    for (unsigned x = 0; x < FSIM_N_PROFILES; x++) {
        FsimWord base = ((x & FSIM_RESPECTS_PLATFORM) ? pf : ~pf) &
                        ((x & FSIM_RESPECTS_APPS_OTHERS) ? af : ~af);
        mfr[x] = base & ((x & FSIM_RESPECTS_AUDIENCE) ? dfr : ~dfr);
        mfof[x] = base & ((x & FSIM_RESPECTS_AUDIENCE) ? dfof : ~dfof);
    }
    for (size_t t = l->fr_start[f]; t < l->fr_start[f + 1]; t++) {
        FsimWord v = 0;
        for (unsigned x = 0; x < FSIM_N_PROFILES; x++)
            if (l->fr_tables[t] & (1u << x))
                v |= mfr[x];
        g->g_fr[t - l->fr_start[f]] = v;
    }
    for (size_t t = l->fof_start[f]; t < l->fof_start[f + 1]; t++) {
        FsimWord v = 0;
        for (unsigned x = 0; x < FSIM_N_PROFILES; x++)
            if (l->fof_tables[t] & (1u << x))
                v |= mfof[x];
        g->g_fof[t - l->fof_start[f]] = v;
    }
}

/* The direct channels of every entry of field f (counted into @r unless NULL), into g->direct
 * and g->self. */
static void
direct_channels (const FsimLaneInput *in, Group *g, size_t f, FsimResult *r)
{
    const FsimLanePlan *l = in->plan->lanes;
    const FsimLaneEntry *es = l->entries + l->field_start[f];
    size_t n = l->field_start[f + 1] - l->field_start[f];
    const FsimWord gs[4] = { 0, g->pl, ~g->pl, ~(FsimWord) 0 };
    size_t row = f * g->np;
    const gboolean *counted = in->plan->counted ? in->plan->counted + l->field_start[f] : NULL;

    for (size_t i = 0; i < n; i++) {
        size_t p = es[i].partner;
        FsimWord self = g->u0[p] & gs[es[i].self_t];
        FsimWord fr = g->f1[p] & g->g_fr[es[i].fr_t];
        FsimWord fof = g->f2[p] & g->g_fof[es[i].fof_t];
        g->self[i] = self;
        g->direct[i] = self | fr | fof;
        if (r == NULL || (counted && !counted[i]))
            continue;
        r->fp_channel[FSIM_CHANNEL_SELF][row + p] += fsim_word_popcount (self);
        r->fp_channel[FSIM_CHANNEL_FRIEND][row + p] += fsim_word_popcount (fr);
        r->fp_channel[FSIM_CHANNEL_FRIEND_OF_FRIEND][row + p] += fsim_word_popcount (fof);
    }
}

/* What each entry of field f gets downstream (g->down), step by step, upstream first. */
static void
onward (const FsimLanePlan *l, Group *g, size_t f, size_t n)
{
    memset (g->down, 0, n * sizeof *g->down);
    for (size_t s = l->step_start[f]; s < l->step_start[f + 1]; s++) {
        const FsimLaneStep *st = &l->steps[s];
        FsimWord acc = 0;
        for (size_t k = st->sources; k < st->sources + st->n_sources; k++)
            acc |= g->direct[l->source_list[k]] | g->down[l->source_list[k]];
        for (size_t k = st->members; st->cyclic && k < st->members + st->n_members; k++)
            acc |= g->direct[l->member_list[k]];
        for (size_t k = st->members; k < st->members + st->n_members; k++)
            g->down[l->member_list[k]] = acc;
    }
}

static void
trace_field (const FsimLaneInput *in, Group *g, size_t f, FsimResult *r)
{
    const FsimLanePlan *l = in->plan->lanes;
    const FsimLaneEntry *es = l->entries + l->field_start[f];
    size_t n = l->field_start[f + 1] - l->field_start[f];
    size_t row = f * g->np;
    FsimWord any = 0, any_nc = 0;
    const gboolean *counted = in->plan->counted ? in->plan->counted + l->field_start[f] : NULL;
    gssize only_jur = in->plan->focus_jur;

    if (n == 0)
        return;
    eval_tables (l, g, f);
    direct_channels (in, g, f, r);
    onward (l, g, f, n);
    for (size_t i = 0; i < n; i++) {
        size_t p = es[i].partner;
        FsimWord down = g->down[i], reach, nc;
        reach = g->direct[i] | down;
        if (reach == 0 || (counted && !counted[i]))
            continue;
        nc = reach & ~g->self[i];
        r->fp_users[row + p] += fsim_word_popcount (reach);
        r->fp_no_consent[row + p] += fsim_word_popcount (nc);
        r->fp_channel[FSIM_CHANNEL_DOWNSTREAM][row + p] += fsim_word_popcount (down);
        g->any_reach[p] |= reach;
        g->any_nc[p] |= nc;
        any |= reach;
        any_nc |= nc;
        for (size_t k = es[i].jur; k < es[i].jur + es[i].n_jur; k++) {
            if (only_jur >= 0 && (gssize) l->jur_list[k] != only_jur)
                continue;
            g->jur[l->jur_list[k]] |= reach;
            g->jur_nc[l->jur_list[k]] |= nc;
        }
    }
    r->field_users[f] += fsim_word_popcount (any);
    r->field_no_consent[f] += fsim_word_popcount (any_nc);
}

/* The rows that are per user, not per field: partners, kinds, jurisdictions, anyone. */
static void
count_group (const FsimEnginePlan *plan, Group *g, size_t n, FsimResult *r)
{
    FsimWord all = 0, all_nc = 0;

    r->n_users += n;
    r->platform_off += n - (size_t) fsim_word_popcount (g->pl);
    for (size_t p = 0; p < plan->np; p++) {
        r->partner_users[p] += fsim_word_popcount (g->u0[p]);
        r->partner_reached[p] += fsim_word_popcount (g->any_reach[p]);
        r->partner_reached_no_consent[p] += fsim_word_popcount (g->any_nc[p]);
        all |= g->any_reach[p];
        all_nc |= g->any_nc[p];
    }
    r->users_reached += fsim_word_popcount (all);
    r->users_reached_no_consent += fsim_word_popcount (all_nc);
    for (size_t k = 0; k < plan->n_kinds; k++) {
        const FsimWord *mask = plan->kind_mask + k * plan->pw;
        FsimWord kr = 0, knc = 0;
        for (size_t p = fsim_bits_next (mask, plan->pw, 0); p != SIZE_MAX;
             p = fsim_bits_next (mask, plan->pw, p + 1)) {
            kr |= g->any_reach[p];
            knc |= g->any_nc[p];
        }
        r->kind_users[k] += fsim_word_popcount (kr);
        r->kind_no_consent[k] += fsim_word_popcount (knc);
    }
    for (size_t j = 0; j < plan->n_jur; j++) {
        r->jurisdiction_users[j] += fsim_word_popcount (g->jur[j]);
        r->jurisdiction_no_consent[j] += fsim_word_popcount (g->jur_nc[j]);
    }
}

/**
 * fsim_i_lanes_scratch_words:
 * The words of scratch fsim_i_lanes_trace() and fsim_i_lanes_group() need: partners x 64 six
 * times, fields x 64, and three per entry of a field's lanes (up to the partners). Can't fail.
 */
size_t
fsim_i_lanes_scratch_words (const FsimLaneInput *in)
{
    const FsimEnginePlan *plan = in->plan;
    size_t lp = plan->pw * LANE, fw = in->pop->field_words;
    return LANE * plan->pw + 5 * lp + fw * LANE + 2 * plan->nf + 2 * plan->n_jur +
           3 * plan->lanes->max_entries + 1;
}

/* @buf: fsim_i_lanes_scratch_words() words, cleared here */
static void
group_init (Group *g, const FsimLaneInput *in, FsimWord *buf)
{
    const FsimEnginePlan *plan = in->plan;
    size_t lp = plan->pw * LANE, fw = in->pop->field_words;
    FsimWord *w = buf;

    memset (buf, 0, fsim_i_lanes_scratch_words (in) * sizeof (FsimWord));

    *g = (Group){ .pw = plan->pw, .fw = fw, .nf = plan->nf, .np = plan->np };
    g->rows = w, w += LANE * plan->pw;
    g->u0 = w, w += lp;
    g->f1 = w, w += lp;
    g->f2 = w, w += lp;
    g->any_reach = w, w += lp;
    g->any_nc = w, w += lp;
    g->ao = w, w += fw * LANE;
    g->af = w, w += plan->nf;
    g->aff = w, w += plan->nf;
    g->jur = w, w += plan->n_jur;
    g->jur_nc = w, w += plan->n_jur;
    g->direct = w, w += plan->lanes->max_entries;
    g->self = w, w += plan->lanes->max_entries;
    g->down = w;
}

/**
 * fsim_i_lanes_trace:
 * Traces users [@from, @to) (@from a multiple of 64) and adds their counts to @r, working in
 * @scratch (fsim_i_lanes_scratch_words() words: a caller's tried allocation, one per thread).
 */
void
fsim_i_lanes_trace (const FsimLaneInput *in, FsimWord *scratch, size_t from, size_t to,
                    FsimResult *r)
{
    Group g;

    g_assert (from % LANE == 0);
    group_init (&g, in, scratch);
    for (size_t first = from; first < to; first += LANE) {
        size_t n = MIN ((size_t) LANE, to - first);
        load_group (in, &g, first, n);
        memset (g.any_reach, 0, g.pw * LANE * sizeof (FsimWord));
        memset (g.any_nc, 0, g.pw * LANE * sizeof (FsimWord));
        memset (g.jur, 0, in->plan->n_jur * sizeof (FsimWord));
        memset (g.jur_nc, 0, in->plan->n_jur * sizeof (FsimWord));
        for (size_t f = 0; f < g.nf; f++)
            trace_field (in, &g, f, r);
        count_group (in->plan, &g, n, r);
    }
}

/**
 * fsim_i_lanes_group:
 * The lanes of users [@first, @first + 64) (those below the population's size): for every
 * entry e of the lane plan, @reach[e] and @self[e] (engine.h, fsim_lanes_trace()).
 */
void
fsim_i_lanes_group (const FsimLaneInput *in, FsimWord *scratch, size_t first, FsimWord *reach,
                    FsimWord *self)
{
    const FsimLanePlan *l = in->plan->lanes;
    Group g;

    g_assert (first % LANE == 0 && first < in->pop->n_users);
    group_init (&g, in, scratch);
    load_group (in, &g, first, MIN ((size_t) LANE, in->pop->n_users - first));
    for (size_t f = 0; f < g.nf; f++) {
        size_t e0 = l->field_start[f], n = l->field_start[f + 1] - e0;
        if (n == 0)
            continue;
        eval_tables (l, &g, f);
        direct_channels (in, &g, f, NULL);
        onward (l, &g, f, n);
        for (size_t i = 0; i < n; i++) {
            reach[e0 + i] = g.direct[i] | g.down[i];
            self[e0 + i] = g.self[i];
        }
    }
}
