/* SPDX-License-Identifier: MIT */
/* lint-shadow.c: lint's allow-shadowed check: allow rules that deny rules override wherever
 * and whenever they apply. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "lint-private.h"
#include "memory.h"

/*
 * Checking each allow rule against every rule was quadratic in the rules: 262,144 rules over
 * one (partner, API) pair did not finish in 300 s (docs/robustness.md). The pair's classes
 * (its requested scopes split by the deny rules that match them), their denies and the union
 * of their windows are the same for every allow rule, so they are built once per pair; an
 * allow rule is then shadowed when each class its scopes meet has its window inside one of
 * the class's merged windows (a binary search).
 *
 * With every rule selecting every partner, that still gathered the denies of every (allow
 * rule, partner) pair for the warning: allow rules x partners x deny rules, 16.6 s for 3,200
 * partners and 2,000 + 2,000 rules, hours at the limits. So the pairs of the same API, requested
 * scopes and deny rules share their classes, each allow rule goes over a shared class once, and
 * the denies it names are kept for the last sets of classes met: rules that meet the same
 * classes name the same denies.
 */

#define SHADOW_CACHE_BYTES ((size_t) 256 << 20) /* pair classes kept before all are dropped */

/* The requested scopes of one (partner, API) pair, split into classes by their deny rules; shared
 * by the pairs of the same API, requested scopes and deny rules (all the partners, when every
 * rule selects every partner). */
typedef struct {
    size_t api, nd;         /* the API, and the pair's deny rules: */
    size_t *pair_denies;    /* nd rule indices, ascending */
    const FsimWord *wanted; /* the pair's requested scopes (the scenario's) */
    guint64 hash;           /* of api, nd, pair_denies and wanted */
    size_t serial;          /* tells it apart from every other built (never reused) */
    size_t visit;           /* sh->visit when each_class last went over it */
    size_t n;               /* classes */
    FsimWord *scopes;       /* n rows of the API's words: class i's scopes */
    size_t *start;          /* n + 1: class i's denies are denies[start[i] .. start[i + 1]) */
    size_t *denies;         /* rule indices, ascending within a class */
    FsimWindow *spans;      /* class i's windows merged: spans[start[i] ..], n_spans[i] of them */
    size_t *n_spans;
} PairClasses;

static void
pair_classes_free (PairClasses *pc)
{
    if (pc == NULL)
        return;
    g_free (pc->pair_denies);
    g_free (pc->scopes);
    g_free (pc->start);
    g_free (pc->denies);
    g_free (pc->spans);
    g_free (pc->n_spans);
    g_free (pc);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PairClasses, pair_classes_free)

/* A class an allow rule meets: class cls of the pair classes numbered serial. */
typedef struct {
    size_t serial, cls;
} Touched;

/* The deny rules a shadowed allow rule's warning names, for the last rules that meet the same
 * classes: with every rule over every partner, gathering them costs the deny rules each. */
#define SHADOW_MEMO 16

typedef struct {
    Touched *key; /* the classes met, sorted; NULL while unused */
    size_t len, cap, n, first[FSIM_I_LINT_MAX_NAMED];
} ShadowMemo;

struct FsimLintShadow {
    const FsimScenario *s;
    const FsimRuleIndex *ix;
    size_t *pair_base;   /* [p]: partner p's k-th API is pair pair_base[p] + k */
    PairClasses **pairs; /* built when first needed, borrowed from table */
    PairClasses **table; /* the distinct pairs' classes, by hash (open addressing) */
    size_t table_mask;   /* its size - 1 (a power of 2, over twice the pairs) */
    size_t visit;        /* counts each_class's passes */
    size_t serials;      /* pair classes built so far */
    Touched *trail;      /* the classes the allow rule at hand meets, n_trail of them */
    size_t n_trail, trail_cap;
    gboolean trail_lost; /* memory ran out for the trail: no memo for this rule */
    ShadowMemo memo[SHADOW_MEMO];
    size_t **api_denies;    /* [a]: the deny rules selecting API a, in rule order */
    size_t *api_n;          /* [a]: how many */
    size_t *pair_denies;    /* n_rules: the denies of the pair being built */
    size_t *by, *stamp;     /* n_rules each: the denies of the warning at hand, and which */
    FsimWord *in, *outside; /* the largest API's words each */
    size_t cached;          /* bytes held by pairs and api_denies */
    size_t rule, touched, n_by, first[FSIM_I_LINT_MAX_NAMED]; /* the allow rule at hand */
};

/* Drops every pair's classes and API's denies (they are built again when needed). */
static void
shadow_flush (FsimLintShadow *sh)
{
    memset (sh->pairs, 0, sh->pair_base[sh->s->n_partners] * sizeof (PairClasses *));
    for (size_t i = 0; i <= sh->table_mask; i++)
        g_clear_pointer (&sh->table[i], pair_classes_free);
    for (size_t a = 0; a < sh->s->n_apis; a++)
        g_clear_pointer (&sh->api_denies[a], g_free);
    sh->cached = 0;
}

void
fsim_i_lint_shadow_free (FsimLintShadow *sh)
{
    if (sh == NULL)
        return;
    if (sh->pairs && sh->table && sh->api_denies)
        shadow_flush (sh);
    for (size_t i = 0; i < SHADOW_MEMO; i++)
        g_free (sh->memo[i].key);
    g_free (sh->pair_base);
    g_free (sh->pairs);
    g_free (sh->table);
    g_free (sh->trail);
    g_free (sh->api_denies);
    g_free (sh->api_n);
    g_free (sh->pair_denies);
    g_free (sh->by);
    g_free (sh->stamp);
    g_free (sh->in);
    g_free (sh->outside);
    g_free (sh);
}

FsimLintShadow *
fsim_i_lint_shadow_new (const FsimScenario *s, const FsimRuleIndex *ix, GError **error)
{
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);
    const char *what = "the allow-shadowed check of lint";
    g_autoptr (FsimLintShadow) sh = g_new0 (FsimLintShadow, 1);
    sh->s = s;
    sh->ix = ix;
    size_t words = 1, n_rules = s->n_rules;
    for (size_t a = 0; a < s->n_apis; a++)
        words = MAX (words, FSIM_BITS_WORDS (s->apis[a].n_scopes));
    sh->pair_base = fsim_try_new (s->n_partners + 1, sizeof (size_t), what, error);
    if (sh->pair_base == NULL)
        return NULL;
    sh->pair_base[0] = 0;
    for (size_t p = 0; p < s->n_partners; p++)
        sh->pair_base[p + 1] = sh->pair_base[p] + s->partners[p].n_apis;
    size_t n_pairs = sh->pair_base[s->n_partners];
    sh->table_mask = 1;
    while (sh->table_mask < 2 * n_pairs)
        sh->table_mask = 2 * sh->table_mask + 1;
    if (!(sh->pairs = fsim_try_new0 (n_pairs, sizeof (PairClasses *), what, error)) ||
        !(sh->table = fsim_try_new0 (sh->table_mask + 1, sizeof (PairClasses *), what, error)) ||
        !(sh->api_denies = fsim_try_new0 (s->n_apis, sizeof (size_t *), what, error)) ||
        !(sh->api_n = fsim_try_new0 (s->n_apis, sizeof (size_t), what, error)) ||
        !(sh->pair_denies = fsim_try_new (n_rules, sizeof (size_t), what, error)) ||
        !(sh->by = fsim_try_new (n_rules, sizeof (size_t), what, error)) ||
        !(sh->stamp = fsim_try_new0 (n_rules, sizeof (size_t), what, error)) ||
        !(sh->in = fsim_try_new0 (words, sizeof (FsimWord), what, error)) ||
        !(sh->outside = fsim_try_new0 (words, sizeof (FsimWord), what, error)))
        return NULL;
    return g_steal_pointer (&sh);
}

/* Do the bit sets @x and @y of @words words meet? */
static gboolean
meets (const FsimWord *x, const FsimWord *y, size_t words)
{
    for (size_t w = 0; w < words; w++)
        if (x[w] & y[w])
            return TRUE;
    return FALSE;
}

/* The deny rules selecting API a, in rule order, in sh->api_denies[a]. */
static gboolean
api_denies (FsimLintShadow *sh, size_t a, GError **error)
{
    const FsimScenario *s = sh->s;
    if (sh->api_denies[a])
        return TRUE;
    size_t n = 0;
    for (size_t d = 0; d < s->n_rules; d++)
        if (!s->rules[d].allow && fsim_rule_index_selects_api (sh->ix, d, a))
            sh->pair_denies[n++] = d;
    sh->api_denies[a] =
        fsim_try_new (n, sizeof (size_t), "the deny rules of an API, for lint", error);
    if (sh->api_denies[a] == NULL)
        return FALSE;
    memcpy (sh->api_denies[a], sh->pair_denies, n * sizeof (size_t));
    sh->api_n[a] = n;
    sh->cached += n * sizeof (size_t);
    return TRUE;
}

/* Splits @pc's classes (at first, the pair's requested scopes) by the @nd denies in
 * sh->pair_denies: each deny either contains a class or misses it, afterwards. */
static void
split_classes (FsimLintShadow *sh, PairClasses *pc, size_t a, size_t words, size_t nd)
{
    FsimWord *in = sh->in, *outside = sh->outside;
    for (size_t j = 0; j < nd; j++) {
        fsim_rule_index_scopes (sh->ix, sh->pair_denies[j], a, in);
        for (size_t i = 0, n = pc->n; i < n; i++) {
            FsimWord *x = pc->scopes + i * words;
            gboolean any_in = FALSE, any_out = FALSE;
            for (size_t w = 0; w < words; w++) {
                outside[w] = x[w] & ~in[w];
                any_in = any_in || (x[w] & in[w]) != 0;
                any_out = any_out || outside[w] != 0;
            }
            if (!any_in || !any_out)
                continue;
            memcpy (pc->scopes + pc->n++ * words, outside, words * sizeof (FsimWord));
            for (size_t w = 0; w < words; w++)
                x[w] &= in[w];
        }
    }
}

/* Lists each class's denies (of the @nd in sh->pair_denies) in rule order. */
static gboolean
list_denies (FsimLintShadow *sh, PairClasses *pc, size_t a, size_t words, size_t nd, GError **error)
{
    const char *what = "the deny rules of a (partner, API) pair, for lint";
    size_t n = pc->n;
    if (!(pc->start = fsim_try_new0 (n + 1, sizeof (size_t), what, error)) ||
        !(pc->n_spans = fsim_try_new0 (n, sizeof (size_t), what, error)))
        return FALSE;
    for (size_t j = 0; j < nd; j++) {
        fsim_rule_index_scopes (sh->ix, sh->pair_denies[j], a, sh->in);
        for (size_t i = 0; i < n; i++)
            pc->start[i + 1] += meets (pc->scopes + i * words, sh->in, words);
    }
    for (size_t i = 0; i < n; i++)
        pc->start[i + 1] += pc->start[i];
    if (!(pc->denies = fsim_try_new (pc->start[n], sizeof (size_t), what, error)) ||
        !(pc->spans = fsim_try_new (pc->start[n], sizeof (FsimWindow), what, error)))
        return FALSE;
    for (size_t j = 0; j < nd; j++) { /* n_spans counts the denies listed so far */
        fsim_rule_index_scopes (sh->ix, sh->pair_denies[j], a, sh->in);
        for (size_t i = 0; i < n; i++)
            if (meets (pc->scopes + i * words, sh->in, words))
                pc->denies[pc->start[i] + pc->n_spans[i]++] = sh->pair_denies[j];
    }
    sh->cached +=
        (2 * n + 1) * sizeof (size_t) + pc->start[n] * (sizeof (size_t) + sizeof (FsimWindow));
    return TRUE;
}

static int
compare_from (const void *a, const void *b)
{
    FsimDay x = ((const FsimWindow *) a)->from, y = ((const FsimWindow *) b)->from;
    return (x > y) - (x < y);
}

/* Class i's deny windows, sorted and merged into disjoint spans ([a, b) and [b, c) make one). */
static void
merge_windows (const FsimScenario *s, PairClasses *pc, size_t i)
{
    FsimWindow *w = pc->spans + pc->start[i];
    size_t n = 0, m = 0;
    for (size_t j = pc->start[i]; j < pc->start[i + 1]; j++) {
        FsimWindow x = s->rules[pc->denies[j]].window;
        if (x.from < x.until)
            w[n++] = x;
    }
    if (n > 0)
        qsort (w, n, sizeof *w, compare_from);
    for (size_t j = 0; j < n; j++) {
        if (m > 0 && w[j].from <= w[m - 1].until)
            w[m - 1].until = MAX (w[m - 1].until, w[j].until);
        else
            w[m++] = w[j];
    }
    pc->n_spans[i] = m;
}

static guint64
mix (guint64 h, guint64 x)
{
    h ^= x + 0x9e3779b97f4a7c15u + (h << 6) + (h >> 2);
    return h * 0xff51afd7ed558ccdu;
}

/* The classes of the pair of API a wanting @wanted with the @nd denies in sh->pair_denies,
 * hashing @h, if another pair has built them; else the empty slot of the table for them. */
static PairClasses **
table_find (FsimLintShadow *sh, guint64 h, size_t a, const FsimWord *wanted, size_t words,
            size_t nd)
{
    for (size_t i = (size_t) h & sh->table_mask;; i = (i + 1) & sh->table_mask) {
        PairClasses *pc = sh->table[i];
        if (pc == NULL || (pc->hash == h && pc->api == a && pc->nd == nd &&
                           memcmp (pc->wanted, wanted, words * sizeof (FsimWord)) == 0 &&
                           memcmp (pc->pair_denies, sh->pair_denies, nd * sizeof (size_t)) == 0))
            return &sh->table[i];
    }
}

/* The classes of @partner's k-th API, given its @nd denies in sh->pair_denies. */
static PairClasses *
pair_classes_new (FsimLintShadow *sh, const FsimPartner *partner, size_t k, size_t nd, guint64 h,
                  GError **error)
{
    const char *what = "the scopes of a pair, for lint";
    size_t a = partner->apis[k], words = FSIM_BITS_WORDS (sh->s->apis[a].n_scopes);
    /* a class is never empty: at most as many as the pair's requested scopes */
    size_t cap = MAX (fsim_bits_count (partner->requested[k], words), 1);
    g_autoptr (PairClasses) pc = g_new0 (PairClasses, 1);
    *pc = (PairClasses){
        .api = a, .nd = nd, .wanted = partner->requested[k], .hash = h, .serial = sh->serials++
    };
    if (!(pc->pair_denies = fsim_try_new (MAX (nd, 1), sizeof (size_t), what, error)) ||
        !(pc->scopes = fsim_try_new (cap, words * sizeof (FsimWord), what, error)))
        return NULL;
    memcpy (pc->pair_denies, sh->pair_denies, nd * sizeof (size_t));
    memcpy (pc->scopes, partner->requested[k], words * sizeof (FsimWord));
    pc->n = 1;
    split_classes (sh, pc, a, words, nd);
    if (!list_denies (sh, pc, a, words, nd, error))
        return NULL;
    for (size_t i = 0; i < pc->n; i++)
        merge_windows (sh->s, pc, i);
    sh->cached += cap * words * sizeof (FsimWord) + nd * sizeof (size_t);
    return g_steal_pointer (&pc);
}

/* Partner p's k-th API's classes, built when first asked for, or shared with a pair of the
 * same API, requested scopes and denies. */
static PairClasses *
pair_classes (FsimLintShadow *sh, size_t p, size_t k, GError **error)
{
    const FsimScenario *s = sh->s;
    const FsimPartner *partner = &s->partners[p];
    size_t slot = sh->pair_base[p] + k, a = partner->apis[k];
    size_t words = FSIM_BITS_WORDS (s->apis[a].n_scopes), nd = 0;
    if (sh->pairs[slot])
        return sh->pairs[slot];
    if (sh->cached > SHADOW_CACHE_BYTES)
        shadow_flush (sh);
    if (!api_denies (sh, a, error))
        return NULL;
    guint64 h = mix (0, a);
    for (size_t j = 0; j < sh->api_n[a]; j++)
        if (fsim_bits_get (fsim_rule_index_partners (sh->ix, sh->api_denies[a][j]), p)) {
            sh->pair_denies[nd++] = sh->api_denies[a][j];
            h = mix (h, sh->api_denies[a][j]);
        }
    for (size_t w = 0; w < words; w++)
        h = mix (h, partner->requested[k][w]);
    PairClasses **at = table_find (sh, h, a, partner->requested[k], words, nd);
    if (*at == NULL && !(*at = pair_classes_new (sh, partner, k, nd, h, error)))
        return NULL;
    return sh->pairs[slot] = *at;
}

/* Does a merged window of class i contain @eff? */
static gboolean
class_covers (const PairClasses *pc, size_t i, FsimWindow eff)
{
    const FsimWindow *w = pc->spans + pc->start[i];
    size_t lo = 0, hi = pc->n_spans[i]; /* the spans before lo start by eff.from */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (w[mid].from <= eff.from)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo > 0 && w[lo - 1].until >= eff.until;
}

typedef gboolean (*ClassFunc) (FsimLintShadow *sh, const PairClasses *pc, size_t i, FsimWindow eff);

/* Calls @f on every class that rule r's requested scopes meet, on each pair it matches with
 * an open window, until @f returns FALSE (*out_all FALSE then); once for the pairs that share
 * their classes (rule r's scopes and window are the same for every pair of an API). FALSE when
 * out of memory. */
static gboolean
each_class (FsimLintShadow *sh, size_t r, const FsimWord *scopes, const size_t *api_word,
            ClassFunc f, gboolean *out_all, GError **error)
{
    const FsimScenario *s = sh->s;
    const FsimWord *partners = fsim_rule_index_partners (sh->ix, r);
    *out_all = TRUE;
    sh->visit++;
    for (size_t p = fsim_bits_next (partners, s->partner_words, 0); p < s->n_partners;
         p = fsim_bits_next (partners, s->partner_words, p + 1)) {
        const FsimPartner *partner = &s->partners[p];
        for (size_t k = 0; k < partner->n_apis; k++) {
            size_t a = partner->apis[k], words = FSIM_BITS_WORDS (s->apis[a].n_scopes);
            const FsimWord *mine = scopes + api_word[a];
            FsimWindow eff = fsim_i_lint_effective_window (s, r, a);
            if (eff.from >= eff.until || !meets (mine, partner->requested[k], words))
                continue;
            PairClasses *pc = pair_classes (sh, p, k, error);
            if (pc == NULL)
                return FALSE;
            if (pc->visit == sh->visit)
                continue;
            pc->visit = sh->visit;
            for (size_t i = 0; i < pc->n; i++)
                if (meets (pc->scopes + i * words, mine, words) && !f (sh, pc, i, eff)) {
                    *out_all = FALSE;
                    return TRUE;
                }
        }
    }
    return TRUE;
}

/* Does class i cover @eff? Counts it and notes it in the trail (when memory allows: the trail
 * only keys the memo). */
static gboolean
class_check (FsimLintShadow *sh, const PairClasses *pc, size_t i, FsimWindow eff)
{
    sh->touched++;
    if (!sh->trail_lost && sh->n_trail == sh->trail_cap) {
        size_t cap = MAX (2 * sh->trail_cap, 64);
        Touched *t = fsim_try_renew (sh->trail, cap, sizeof (Touched));
        sh->trail = t ? t : sh->trail;
        sh->trail_cap = t ? cap : sh->trail_cap;
        sh->trail_lost = t == NULL;
    }
    if (!sh->trail_lost)
        sh->trail[sh->n_trail++] = (Touched){ pc->serial, i };
    return class_covers (pc, i, eff);
}

/* Gathers class i's denies: the class's own list when it is the only one, else into sh->by
 * those not there yet. */
static gboolean
class_collect (FsimLintShadow *sh, const PairClasses *pc, size_t i, FsimWindow eff)
{
    size_t from = pc->start[i], n = pc->start[i + 1] - from;
    (void) eff;
    if (sh->touched == 1) {
        sh->n_by = n;
        memcpy (sh->first, pc->denies + from, MIN (n, FSIM_I_LINT_MAX_NAMED) * sizeof (size_t));
        return TRUE;
    }
    for (size_t j = from; j < from + n; j++) {
        size_t d = pc->denies[j];
        if (sh->stamp[d] != sh->rule + 1) {
            sh->stamp[d] = sh->rule + 1;
            sh->by[sh->n_by++] = d;
        }
    }
    return TRUE;
}

static int
compare_index (const void *a, const void *b)
{
    size_t x = *(const size_t *) a, y = *(const size_t *) b;
    return (x > y) - (x < y);
}

static int
compare_touched (const void *a, const void *b)
{
    const Touched *x = a, *y = b;
    if (x->serial != y->serial)
        return (x->serial > y->serial) - (x->serial < y->serial);
    return (x->cls > y->cls) - (x->cls < y->cls);
}

/* Keeps the denies gathered for the classes in the trail in memo @m (unless memory runs out:
 * it is only a shortcut). */
static void
memo_keep (FsimLintShadow *sh, ShadowMemo *m)
{
    if (m->cap < sh->n_trail) {
        Touched *key = fsim_try_renew (m->key, sh->n_trail, sizeof (Touched));
        if (key == NULL)
            return;
        m->key = key;
        m->cap = sh->n_trail;
    }
    memcpy (m->key, sh->trail, sh->n_trail * sizeof (Touched));
    m->len = sh->n_trail;
    m->n = sh->n_by;
    memcpy (m->first, sh->first, sizeof sh->first);
}

/* Gathers the denies of the classes each_class meets for rule r (shadowed, touching more than
 * one class) into sh->first and sh->n_by, or takes them from the memo of the same classes. */
static gboolean
gather (FsimLintShadow *sh, size_t r, const FsimWord *scopes, const size_t *api_word,
        GError **error)
{
    gboolean all;
    ShadowMemo *m = NULL;
    if (!sh->trail_lost) {
        qsort (sh->trail, sh->n_trail, sizeof (Touched), compare_touched);
        guint64 h = 0;
        for (size_t j = 0; j < sh->n_trail; j++)
            h = mix (mix (h, sh->trail[j].serial), sh->trail[j].cls);
        m = &sh->memo[h % SHADOW_MEMO];
        if (m->key && m->len == sh->n_trail &&
            memcmp (m->key, sh->trail, sh->n_trail * sizeof (Touched)) == 0) {
            sh->n_by = m->n;
            memcpy (sh->first, m->first, sizeof sh->first);
            return TRUE;
        }
    }
    if (!each_class (sh, r, scopes, api_word, class_collect, &all, error))
        return FALSE;
    qsort (sh->by, sh->n_by, sizeof (size_t), compare_index);
    memcpy (sh->first, sh->by, MIN (sh->n_by, FSIM_I_LINT_MAX_NAMED) * sizeof (size_t));
    if (m)
        memo_keep (sh, m);
    return TRUE;
}

gboolean
fsim_i_lint_shadowed (FsimLintShadow *sh, size_t r, const FsimWord *scopes, const size_t *api_word,
                      const size_t **out_first, size_t *out_n, GError **error)
{
    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
    gboolean all;
    sh->rule = r;
    sh->touched = sh->n_by = sh->n_trail = 0;
    sh->trail_lost = FALSE;
    if (!each_class (sh, r, scopes, api_word, class_check, &all, error))
        return FALSE;
    if (!all || sh->touched == 0) {
        *out_first = sh->first;
        *out_n = 0;
        return TRUE;
    }
    if (sh->touched == 1 && !each_class (sh, r, scopes, api_word, class_collect, &all, error))
        return FALSE;
    if (sh->touched > 1 && !gather (sh, r, scopes, api_word, error))
        return FALSE;
    *out_first = sh->first;
    *out_n = sh->n_by;
    return TRUE;
}
