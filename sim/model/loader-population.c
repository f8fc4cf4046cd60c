/* SPDX-License-Identifier: MIT */
/* loader-population.c: converts a scenario's "population" (explicit users or a generator). */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib.h>

#include <cjson/cJSON.h>

#include "friends.h"
#include "loader-private.h"
#include "memory.h"
#include "number.h"

#define MAX_EXPLICIT_USERS 1000000
#define MAX_GENERATED_USERS 100000000
#define MAX_MEAN_DEGREE 5000.0

static const char *const audiences[] = { "only_me", "friends", "friends_of_friends", "public" };

/*
 * The parts of a population that do not depend on each other (its keys, its defaults, each
 * user, the generator, the settings, the adoption) are converted whatever the others gave:
 * part() keeps the error of one that failed (fsim_i_keep_error) and says whether it succeeded.
 * fsim_i_convert_population() then succeeds when no part failed.
 */
static gboolean
part (FsimConv *c, gboolean ok, GError **local)
{
    if (!ok && *local)
        fsim_i_keep_error (c, local);
    g_clear_error (local);
    return ok;
}

static gboolean
parse_audience (FsimConv *c, const cJSON *v, const FsimJPath *p, guint8 *out, GError **error)
{
    if (!cJSON_IsString (v))
        return fsim_i_fail (c, error, v, FALSE, FSIM_LOADER_ERROR_SCHEMA, p,
                            "expected an audience (\"public\", \"friends_of_friends\", "
                            "\"friends\" or \"only_me\"), got %s",
                            fsim_i_json_type_name (v));
    for (guint8 a = 0; a < FSIM_N_AUDIENCES; a++) {
        if (strcmp (v->valuestring, audiences[a]) == 0) {
            *out = a;
            return TRUE;
        }
    }
    const char *near = fsim_i_closest (v->valuestring, audiences, FSIM_N_AUDIENCES);
    return fsim_i_fail (c, error, v, FALSE, FSIM_LOADER_ERROR_VALUE, p,
                        "unknown audience '%s'%s%s%s (expected \"public\", "
                        "\"friends_of_friends\", \"friends\" or \"only_me\")",
                        v->valuestring, near ? "; did you mean '" : "", near ? near : "",
                        near ? "'?" : "");
}

/* A field that two patterns of equal rank select with different values: an error naming both
 * (the first two in byte order, so that the message does not depend on key order either). */
static gboolean
fail_tie (FsimConv *c, const cJSON *obj, const FsimJPath *p, size_t f, int rank, GError **error)
{
    const cJSON *a = NULL, *b = NULL;
    for (const cJSON *m = obj->child; m; m = m->next) {
        int r;
        if (!fsim_field_pattern_match (m->string, c->s->fields[f].id, &r) || r != rank)
            continue;
        if (!a || strcmp (m->string, a->string) < 0) {
            b = a;
            a = m;
        } else if (!b || strcmp (m->string, b->string) < 0) {
            b = m;
        }
    }
    g_assert (a && b);
    if (strcmp (a->string, b->string) > 0) {
        const cJSON *t = a;
        a = b;
        b = t;
    }
    FsimJPath bp = FSIM_JP_KEY (p, b->string);
    return fsim_i_fail (c, error, b, TRUE, FSIM_LOADER_ERROR_VALUE, &bp,
                        "'%s' and '%s' both select field '%s' with the same specificity and "
                        "give it different values; the order of keys carries no meaning in "
                        "JSON, so add an entry for '%s' itself (docs/semantics.md, \"Which "
                        "pattern wins\")",
                        a->string, b->string, c->s->fields[f].id, c->s->fields[f].id);
}

/* For every field, the member of @obj ({field pattern: ...}) whose pattern selects it most
 * specifically (fsim_field_pattern_match's rank), or NULL. Never by position: two members of
 * the same rank that select one field must have equal values. Fails on a pattern that selects
 * nothing, and on such a tie. */
static gboolean
most_specific (FsimConv *c, const cJSON *obj, const FsimJPath *p, const cJSON **out, GError **error)
{
    const FsimScenario *s = c->s;
    g_autofree int *best = g_new (int, s->n_fields ? s->n_fields : 1);
    g_autofree gboolean *tie = g_new0 (gboolean, s->n_fields ? s->n_fields : 1);
    for (size_t f = 0; f < s->n_fields; f++) {
        best[f] = -1;
        out[f] = NULL;
    }
    for (const cJSON *m = obj->child; m; m = m->next) {
        gboolean any = FALSE;
        for (size_t f = 0; f < s->n_fields; f++) {
            int rank;
            if (!fsim_field_pattern_match (m->string, s->fields[f].id, &rank))
                continue;
            any = TRUE;
            if (rank == best[f]) {
                tie[f] = tie[f] || !cJSON_Compare (m, out[f], TRUE);
                if (strcmp (m->string, out[f]->string) < 0)
                    out[f] = m; /* equal values: the same choice whatever the order */
            } else if (rank > best[f]) {
                best[f] = rank;
                out[f] = m;
                tie[f] = FALSE;
            }
        }
        FsimJPath mp = FSIM_JP_KEY (p, m->string);
        if (any)
            continue;
        g_autofree const char **ids = g_new0 (const char *, s->n_fields + 1);
        for (size_t f = 0; f < s->n_fields; f++)
            ids[f] = s->fields[f].id;
        const char *near = fsim_i_closest (m->string, ids, s->n_fields);
        return fsim_i_fail_name (c, error, FSIM_I_NAME_FIELD, m, TRUE, FSIM_LOADER_ERROR_REFERENCE,
                                 &mp, "field pattern '%s' selects no field%s%s%s", m->string,
                                 near ? "; did you mean '" : "", near ? near : "",
                                 near ? "'?" : "");
    }
    for (size_t f = 0; f < s->n_fields; f++)
        if (tie[f])
            return fail_tie (c, obj, p, f, best[f], error);
    return TRUE;
}

/* Lay a settings object over *st (which holds the defaults). */
static gboolean
parse_settings (FsimConv *c, const cJSON *node, const FsimJPath *p, FsimSettings *st,
                GError **error)
{
    static const char *const keys[] = { "platform", "apps_others", "audience", NULL };
    if (!node)
        return TRUE;
    if (!fsim_i_check_object (c, node, p, keys, NULL, error) ||
        !fsim_i_get_bool (c, node, "platform", p, &st->platform, error))
        return FALSE;
    const cJSON *ao = cJSON_GetObjectItemCaseSensitive (node, "apps_others");
    if (ao && cJSON_IsArray (ao) && !ao->child) {
        fsim_bits_zero (st->apps_others, c->s->field_words); /* an empty checklist */
    } else if (!fsim_i_get_fields (c, node, "apps_others", p, &st->apps_others, error)) {
        return FALSE;
    }
    const cJSON *aud = cJSON_GetObjectItemCaseSensitive (node, "audience");
    if (!aud)
        return TRUE;
    FsimJPath ap = FSIM_JP_KEY (p, "audience");
    if (!cJSON_IsObject (aud))
        return fsim_i_fail (c, error, aud, FALSE, FSIM_LOADER_ERROR_SCHEMA, &ap,
                            "expected an object {field pattern: audience}, got %s",
                            fsim_i_json_type_name (aud));
    g_autofree const cJSON **pick = g_new0 (const cJSON *, c->s->n_fields + 1);
    if (!most_specific (c, aud, &ap, pick, error))
        return FALSE;
    for (const cJSON *m = aud->child; m; m = m->next) {
        FsimJPath mp = FSIM_JP_KEY (&ap, m->string);
        guint8 dummy;
        if (!parse_audience (c, m, &mp, &dummy, error))
            return FALSE;
    }
    for (size_t f = 0; f < c->s->n_fields; f++)
        if (pick[f])
            parse_audience (c, pick[f], &ap, &st->audience[f], NULL);
    return TRUE;
}

static void
settings_init (FsimSettings *st, const FsimSettings *from, const FsimScenario *s)
{
    st->platform = from ? from->platform : TRUE;
    st->apps_others = fsim_bits_new (s->field_words);
    st->audience = g_new (guint8, s->n_fields ? s->n_fields : 1);
    for (size_t f = 0; f < s->n_fields; f++) {
        if (from) {
            st->audience[f] = from->audience[f];
            if (fsim_bits_get (from->apps_others, f))
                fsim_bits_set (st->apps_others, f);
        } else {
            st->audience[f] = FSIM_AUDIENCE_FRIENDS;
            fsim_bits_set (st->apps_others, f);
        }
    }
}

static void
settings_clear (FsimSettings *st)
{
    g_clear_pointer (&st->apps_others, g_free);
    g_clear_pointer (&st->audience, g_free);
}

static gboolean
resolve_refs (FsimConv *c, const cJSON *u, const FsimJPath *p, GHashTable *user_ix,
              gboolean unnamed, FsimUserSpec *us, size_t self, GError **error)
{
    g_auto (GStrv) friends = NULL, uses = NULL;
    if (!fsim_i_get_strv (c, u, "friends", p, TRUE, &friends, error) ||
        !fsim_i_get_strv (c, u, "uses", p, TRUE, &uses, error))
        return FALSE;
    us->n_friends = g_strv_length (friends);
    us->friends = g_new0 (size_t, us->n_friends ? us->n_friends : 1);
    FsimJPath fp = FSIM_JP_KEY (p, "friends");
    for (size_t i = 0; i < us->n_friends; i++) {
        FsimJPath ip = FSIM_JP_IDX (&fp, (int) i);
        const cJSON *node =
            cJSON_GetArrayItem (cJSON_GetObjectItemCaseSensitive (u, "friends"), (int) i);
        gpointer v = g_hash_table_lookup (user_ix, friends[i]);
        if (!v) {
            fsim_i_fail (c, error, node, FALSE, FSIM_LOADER_ERROR_REFERENCE, &ip,
                         "unknown user '%s'", friends[i]);
            if (unnamed && error && *error)
                fsim_i_mark_caused (*error); /* it may be the user whose id was not read */
            return FALSE;
        }
        us->friends[i] = GPOINTER_TO_SIZE (v) - 1;
        if (us->friends[i] == self)
            return fsim_i_fail (c, error, node, FALSE, FSIM_LOADER_ERROR_REFERENCE, &ip,
                                "a user cannot be their own friend");
    }
    us->uses = fsim_bits_new (c->s->partner_words);
    FsimJPath up = FSIM_JP_KEY (p, "uses");
    for (int i = 0; uses[i]; i++) {
        FsimJPath ip = FSIM_JP_IDX (&up, i);
        /* the loader's index, not fsim_scenario_find_partner (linear: users x partners) */
        gssize q = (gssize) GPOINTER_TO_SIZE (g_hash_table_lookup (c->partner_ix, uses[i])) - 1;
        const cJSON *node = cJSON_GetArrayItem (cJSON_GetObjectItemCaseSensitive (u, "uses"), i);
        if (q < 0 && !fsim_i_check_partner_selector (c, node, uses[i], FALSE, &ip, error))
            return FALSE;
        if (q < 0)
            return fsim_i_fail (c, error, node, FALSE, FSIM_LOADER_ERROR_REFERENCE, &ip,
                                "'uses' takes partner ids, not patterns ('%s')", uses[i]);
        fsim_bits_set (us->uses, (size_t) q);
    }
    return TRUE;
}

/* One user's keys and id, registered in @user_ix. */
static gboolean
convert_user_id (FsimConv *c, const cJSON *u, const FsimJPath *p, FsimUserSpec *us,
                 GHashTable *user_ix, size_t i, GError **error)
{
    static const char *const keys[] = { "id", "friends", "uses", "settings", NULL };
    static const char *const req[] = { "id", NULL };
    if (!fsim_i_check_object (c, u, p, keys, req, error) ||
        !fsim_i_get_id (c, u, "id", p, &us->id, error))
        return FALSE;
    us->loc = fsim_i_loc_of (c, u);
    FsimJPath ip = FSIM_JP_KEY (p, "id");
    if (g_hash_table_contains (user_ix, us->id))
        return fsim_i_fail (c, error, cJSON_GetObjectItemCaseSensitive (u, "id"), FALSE,
                            FSIM_LOADER_ERROR_REFERENCE, &ip, "duplicate user id '%s'", us->id);
    g_hash_table_insert (user_ix, us->id, GSIZE_TO_POINTER (i + 1));
    return TRUE;
}

/* Every user's id; a user that failed is marked in @failed, and keeps its id in @user_ix when
 * it could be read (so that its friends are not told it is unknown). Whether a user failed
 * whose id could not be read. */
static gboolean
convert_user_ids (FsimConv *c, const cJSON *arr, const FsimJPath *up, GHashTable *user_ix,
                  gboolean *failed)
{
    FsimPopulationSpec *ps = &c->s->population;
    gboolean unnamed = FALSE;
    size_t i = 0;
    for (const cJSON *u = arr->child; u; u = u->next, i++) {
        FsimJPath p = FSIM_JP_IDX (up, (int) i);
        FsimUserSpec *us = &ps->users[i];
        g_autoptr (GError) local = NULL;
        if (part (c, convert_user_id (c, u, &p, us, user_ix, i, &local), &local))
            continue;
        failed[i] = TRUE;
        if (!us->id)
            fsim_i_get_id (c, u, "id", &p, &us->id, NULL);
        if (us->id && !g_hash_table_contains (user_ix, us->id))
            g_hash_table_insert (user_ix, us->id, GSIZE_TO_POINTER (i + 1));
        unnamed = unnamed || !us->id;
    }
    return unnamed;
}

/*
 * What converting the listed users @arr takes, checked before it starts: each user's partners
 * are a bit set of every partner (2 KiB at 16384 partners, so 2 GiB for the limit of a million
 * users), its settings a bit and a byte per field, its friends a number each, and the index of
 * the ids a hash table (GLib's allocations, which abort, hence the check).
 */
static guint64
users_bytes (const FsimScenario *s, const cJSON *arr)
{
    guint64 n = 0, friends = 0;
    for (const cJSON *u = arr->child; u; u = u->next, n++)
        friends +=
            (guint64) MAX (cJSON_GetArraySize (cJSON_GetObjectItemCaseSensitive (u, "friends")), 0);
    guint64 each = sizeof (FsimUserSpec) + 8 * (s->partner_words + s->field_words) + s->n_fields +
                   4 * 16 /* malloc's headers */ + 64 /* the id */ + 48 /* the index */ +
                   sizeof (gboolean);
    return n * each + 8 * friends;
}

static gboolean
convert_explicit (FsimConv *c, const cJSON *pop, const FsimJPath *p)
{
    static const char *const keys[] = { "defaults", "users", "snapshot", NULL };
    static const char *const req[] = { "users", NULL };
    FsimPopulationSpec *ps = &c->s->population;
    ps->kind = FSIM_POPULATION_EXPLICIT;
    g_autoptr (GError) local = NULL;
    part (c, fsim_i_check_object (c, pop, p, keys, req, &local), &local);
    FsimSettings defaults = { 0 };
    settings_init (&defaults, NULL, c->s);
    FsimJPath dp = FSIM_JP_KEY (p, "defaults");
    part (c,
          parse_settings (c, cJSON_GetObjectItemCaseSensitive (pop, "defaults"), &dp, &defaults,
                          &local),
          &local);
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive (pop, "users");
    FsimJPath up = FSIM_JP_KEY (p, "users");
    int n = cJSON_GetArraySize (arr);
    gboolean ok = arr != NULL; /* else the missing key was reported */
    if (ok && !cJSON_IsArray (arr))
        ok = fsim_i_fail (c, &local, arr, FALSE, FSIM_LOADER_ERROR_SCHEMA, &up,
                          "expected an array of users, or a number of users to generate, got %s",
                          fsim_i_json_type_name (arr));
    if (ok && n > MAX_EXPLICIT_USERS)
        ok = fsim_i_fail_count (c, &local, arr, &up, n, "users", MAX_EXPLICIT_USERS,
                                " for a list (use a generator)");
    if (ok && n == 0)
        ok = fsim_i_fail (c, &local, arr, FALSE, FSIM_LOADER_ERROR_VALUE, &up,
                          "a population needs at least one user");
    part (c, ok, &local);
    g_autoptr (GHashTable) user_ix = g_hash_table_new (g_str_hash, g_str_equal);
    g_autofree gboolean *failed = g_new0 (gboolean, ok ? (size_t) n : 1);
    gboolean unnamed = FALSE;
    if (ok) {
        g_autoptr (GError) nomem = NULL;
        if (fsim_memory_reserve (users_bytes (c->s, arr),
                                 "the users, their friends, partners and "
                                 "settings",
                                 &nomem))
            ps->users = fsim_try_new0 ((size_t) n, sizeof (FsimUserSpec), "the users", &nomem);
        if (!ps->users)
            ok = part (c,
                       fsim_i_fail (c, &local, arr, FALSE, FSIM_LOADER_ERROR_LIMIT, &up, "%s",
                                    nomem->message),
                       &local);
    }
    if (ok) {
        ps->n_users = (size_t) n;
        unnamed = convert_user_ids (c, arr, &up, user_ix, failed);
    }
    size_t i = 0;
    for (const cJSON *u = ok ? arr->child : NULL; u; u = u->next, i++) {
        FsimJPath ip = FSIM_JP_IDX (&up, (int) i);
        FsimJPath sp = FSIM_JP_KEY (&ip, "settings");
        FsimUserSpec *us = &ps->users[i];
        settings_init (&us->settings, &defaults, c->s);
        if (failed[i])
            continue;
        if (!part (c,
                   resolve_refs (c, u, &ip, user_ix, unnamed, us, i, &local) &&
                       parse_settings (c, cJSON_GetObjectItemCaseSensitive (u, "settings"), &sp,
                                       &us->settings, &local),
                   &local) &&
            c->errors->len >= FSIM_LOADER_MAX_ERRORS)
            break;
    }
    settings_clear (&defaults);
    return fsim_i_stage_ok (c);
}

/* ---- generated ---------------------------------------------------------------------------- */

static gboolean
parse_mix (FsimConv *c, const cJSON *m, const FsimJPath *p, double *mix, GError **error)
{
    static const char *const keys[] = { "only_me", "friends", "friends_of_friends", "public",
                                        NULL };
    if (!fsim_i_check_object (c, m, p, keys, NULL, error))
        return FALSE;
    double sum = 0;
    for (int a = 0; a < FSIM_N_AUDIENCES; a++) {
        mix[a] = 0;
        if (!fsim_i_get_number (c, m, audiences[a], p, 0, 1, &mix[a], error))
            return FALSE;
        sum += mix[a];
    }
    if (fabs (sum - 1.0) > 1e-9) {
        /* 12 digits show a sum that is off by more than 1e-9, not the sum's rounding error
         * (0.5 + 0.5000001 is 1.0000000999999998) */
        char total[G_ASCII_DTOSTR_BUF_SIZE];
        g_ascii_formatd (total, sizeof total, "%.12g", sum);
        return fsim_i_fail (c, error, m, FALSE, FSIM_LOADER_ERROR_VALUE, p,
                            "audience shares sum to %s, expected 1", total);
    }
    return TRUE;
}

static gboolean
convert_audience_mix (FsimConv *c, const cJSON *settings, const FsimJPath *p, GError **error)
{
    FsimPopulationSpec *ps = &c->s->population;
    size_t nf = c->s->n_fields;
    ps->audience_mix = g_new0 (double, (nf ? nf : 1) * FSIM_N_AUDIENCES);
    for (size_t f = 0; f < nf; f++)
        ps->audience_mix[f * FSIM_N_AUDIENCES + FSIM_AUDIENCE_FRIENDS] = 1.0;
    const cJSON *aud = settings ? cJSON_GetObjectItemCaseSensitive (settings, "audience") : NULL;
    if (!aud)
        return TRUE;
    FsimJPath ap = FSIM_JP_KEY (p, "audience");
    if (!cJSON_IsObject (aud))
        return fsim_i_fail (c, error, aud, FALSE, FSIM_LOADER_ERROR_SCHEMA, &ap,
                            "expected an object {field pattern: {audience: share}}, got %s",
                            fsim_i_json_type_name (aud));
    double mix[FSIM_N_AUDIENCES];
    for (const cJSON *m = aud->child; m; m = m->next) {
        FsimJPath mp = FSIM_JP_KEY (&ap, m->string);
        if (!parse_mix (c, m, &mp, mix, error))
            return FALSE;
    }
    g_autofree const cJSON **pick = g_new0 (const cJSON *, nf + 1);
    if (!most_specific (c, aud, &ap, pick, error))
        return FALSE;
    for (size_t f = 0; f < nf; f++)
        if (pick[f])
            parse_mix (c, pick[f], &ap, &ps->audience_mix[f * FSIM_N_AUDIENCES], NULL);
    return TRUE;
}

static gboolean
convert_gen_settings (FsimConv *c, const cJSON *pop, const FsimJPath *p, GError **error)
{
    static const char *const keys[] = { "platform_off", "apps_others_restricted",
                                        "apps_others_restricted_fields", "audience", NULL };
    FsimPopulationSpec *ps = &c->s->population;
    const cJSON *st = cJSON_GetObjectItemCaseSensitive (pop, "settings");
    FsimJPath sp = FSIM_JP_KEY (p, "settings");
    ps->restricted_fields = fsim_bits_new (c->s->field_words);
    for (size_t f = 0; f < c->s->n_fields; f++)
        fsim_bits_set (ps->restricted_fields, f);
    if (st && (!fsim_i_check_object (c, st, &sp, keys, NULL, error) ||
               !fsim_i_get_number (c, st, "platform_off", &sp, 0, 1, &ps->platform_off, error) ||
               !fsim_i_get_number (c, st, "apps_others_restricted", &sp, 0, 1,
                                   &ps->apps_others_restricted, error) ||
               !fsim_i_get_fields (c, st, "apps_others_restricted_fields", &sp,
                                   &ps->restricted_fields, error)))
        return FALSE;
    return convert_audience_mix (c, st, &sp, error);
}

/* How specific an adoption selector is: "*" < kind:, tag: and globs < an exact partner id. */
static int
selector_rank (const FsimScenario *s, const char *sel)
{
    if (strcmp (sel, "*") == 0)
        return 0;
    return fsim_scenario_find_partner (s, sel) >= 0 ? 2 : 1;
}

/* Where the object form of adoption stands for each partner: the rank of the selector that set
 * its share, that selector, and another of the same rank with a different share (a conflict,
 * unless a more specific selector comes). */
typedef struct {
    int *rank;
    const cJSON **by;
    const cJSON **clash;
} AdoptRanks;

/* One adoption entry SELECTOR: share, applied to every partner it selects. In the object form
 * (@r non-NULL) a more specific selector wins; in the array form, later entries win. */
static gboolean
adopt_entry (FsimConv *c, const cJSON *holder, const cJSON *m, const FsimJPath *hp, AdoptRanks *r,
             GError **error)
{
    const FsimScenario *s = c->s;
    FsimPopulationSpec *ps = &c->s->population;
    FsimJPath mp = FSIM_JP_KEY (hp, m->string);
    double share = 0;
    if (!fsim_i_get_number (c, holder, m->string, hp, 0, 1, &share, error) ||
        !fsim_i_check_partner_selector (c, m, m->string, TRUE, &mp, error))
        return FALSE;
    int rank = r ? selector_rank (s, m->string) : 0;
    for (size_t i = 0; i < s->n_partners; i++) {
        if (!fsim_partner_selector_matches (&s->partners[i], m->string))
            continue;
        if (r && r->by[i] && rank < r->rank[i])
            continue;
        if (r && r->by[i] && rank == r->rank[i]) {
            if (ps->adoption[i] != share && !r->clash[i])
                r->clash[i] = m;
            continue;
        }
        ps->adoption[i] = share;
        if (r) {
            r->rank[i] = rank;
            r->by[i] = m;
            r->clash[i] = NULL;
        }
    }
    return TRUE;
}

static gboolean
fail_adoption_clash (FsimConv *c, const FsimJPath *ap, const AdoptRanks *r, size_t i,
                     GError **error)
{
    const cJSON *x = r->by[i], *y = r->clash[i];
    if (strcmp (x->string, y->string) > 0) {
        const cJSON *t = x;
        x = y;
        y = t;
    }
    const char *id = c->s->partners[i].id;
    FsimJPath yp = FSIM_JP_KEY (ap, y->string);
    return fsim_i_fail (c, error, y, TRUE, FSIM_LOADER_ERROR_VALUE, &yp,
                        "'%s' and '%s' both select partner '%s' and give it different shares; "
                        "the order of keys carries no meaning in JSON, so give '%s' its own "
                        "entry, or write adoption as an array of {SELECTOR: share} objects "
                        "(later entries win)",
                        x->string, y->string, id, id);
}

/* "adoption": {SELECTOR: share} (by specificity) or [{SELECTOR: share}, ...] (in order). */
static gboolean
convert_adoption (FsimConv *c, const cJSON *pop, const FsimJPath *p, GError **error)
{
    FsimPopulationSpec *ps = &c->s->population;
    const FsimScenario *s = c->s;
    ps->adoption = g_new0 (double, s->n_partners ? s->n_partners : 1);
    const cJSON *ad = cJSON_GetObjectItemCaseSensitive (pop, "adoption");
    FsimJPath ap = FSIM_JP_KEY (p, "adoption");
    if (!ad)
        return TRUE;
    if (cJSON_IsArray (ad)) {
        int i = 0;
        for (const cJSON *e = ad->child; e; e = e->next, i++) {
            FsimJPath ep = FSIM_JP_IDX (&ap, i);
            if (!cJSON_IsObject (e) || cJSON_GetArraySize (e) != 1)
                return fsim_i_fail (c, error, e, FALSE, FSIM_LOADER_ERROR_SCHEMA, &ep,
                                    "expected an object with one key {partner selector: "
                                    "share}, got %s",
                                    cJSON_IsObject (e) ? "an object with another number of keys"
                                                       : fsim_i_json_type_name (e));
            if (!adopt_entry (c, e, e->child, &ep, NULL, error))
                return FALSE;
        }
        return TRUE;
    }
    if (!cJSON_IsObject (ad))
        return fsim_i_fail (c, error, ad, FALSE, FSIM_LOADER_ERROR_SCHEMA, &ap,
                            "expected an object {partner selector: share} or an array of "
                            "them, got %s",
                            fsim_i_json_type_name (ad));
    size_t n = s->n_partners ? s->n_partners : 1;
    g_autofree int *rank = g_new0 (int, n);
    g_autofree const cJSON **by = g_new0 (const cJSON *, n);
    g_autofree const cJSON **clash = g_new0 (const cJSON *, n);
    AdoptRanks r = { rank, by, clash };
    for (const cJSON *m = ad->child; m; m = m->next)
        if (!adopt_entry (c, ad, m, &ap, &r, error))
            return FALSE;
    for (size_t i = 0; i < s->n_partners; i++)
        if (clash[i])
            return fail_adoption_clash (c, &ap, &r, i, error);
    return TRUE;
}

/* The model keys and the generator that reads each (ranges: graph/friends.h). */
static const char *const model_keys[][2] = {
    { "spread", "facebook_like" },     { "clustering", "facebook_like" },
    { "max_degree", "facebook_like" }, { "community_size", "facebook_like" },
    { "rewire", "watts_strogatz" },
};

/* The model's own keys: read by the chosen generator, and in range. Absent keys keep the
 * defaults of graph/friends.h (community_size: 0, automatic). */
static gboolean
convert_model_keys (FsimConv *c, const cJSON *pop, const FsimJPath *p, GError **error)
{
    FsimPopulationSpec *ps = &c->s->population;
    guint64 max_degree = FSIM_GEN_DEFAULT_MAX_DEGREE;
    for (size_t i = 0; i < G_N_ELEMENTS (model_keys); i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive (pop, model_keys[i][0]);
        FsimJPath kp = FSIM_JP_KEY (p, model_keys[i][0]);
        if (v && strcmp (ps->generator, model_keys[i][1]) != 0)
            return fsim_i_fail (c, error, v, TRUE, FSIM_LOADER_ERROR_SCHEMA, &kp,
                                "'%s' is a parameter of the %s generator, not of %s",
                                model_keys[i][0], model_keys[i][1], ps->generator);
    }
    ps->spread = FSIM_GEN_DEFAULT_SPREAD;
    ps->clustering = FSIM_GEN_DEFAULT_CLUSTERING;
    ps->rewire = FSIM_GEN_DEFAULT_REWIRE;
    ps->community_size = 0;
    if (!fsim_i_get_number (c, pop, "spread", p, 0, 4, &ps->spread, error) ||
        !fsim_i_get_number (c, pop, "clustering", p, 0, 1, &ps->clustering, error) ||
        !fsim_i_get_integer (c, pop, "max_degree", p, 1, MAX_GENERATED_USERS, &max_degree, error) ||
        !fsim_i_get_number (c, pop, "community_size", p, 2, 1000, &ps->community_size, error) ||
        !fsim_i_get_number (c, pop, "rewire", p, 0, 1, &ps->rewire, error))
        return FALSE;
    ps->max_degree = (size_t) max_degree;
    return TRUE;
}

static gboolean
check_generator (FsimConv *c, const cJSON *pop, const FsimJPath *p, GError **error)
{
    FsimPopulationSpec *ps = &c->s->population;
    const char *const *models = fsim_friends_models ();
    if (fsim_friends_model_is_known (ps->generator))
        return TRUE;
    g_autofree char *known = g_strjoinv ("', '", (char **) models);
    const char *near = fsim_i_closest (ps->generator, models, g_strv_length ((char **) models));
    FsimJPath gp = FSIM_JP_KEY (p, "generator");
    return fsim_i_fail (c, error, cJSON_GetObjectItemCaseSensitive (pop, "generator"), FALSE,
                        FSIM_LOADER_ERROR_VALUE, &gp, "unknown generator '%s'%s%s%s (known: '%s')",
                        ps->generator, near ? "; did you mean '" : "", near ? near : "",
                        near ? "'?" : "", known);
}

static gboolean
check_mean_degree (FsimConv *c, const cJSON *pop, const FsimJPath *p, GError **error)
{
    const FsimPopulationSpec *ps = &c->s->population;
    const cJSON *node = cJSON_GetObjectItemCaseSensitive (pop, "mean_degree");
    FsimJPath mp = FSIM_JP_KEY (p, "mean_degree");
    g_autofree char *mean = fsim_number_text (ps->mean_degree);
    if (ps->mean_degree > (double) (ps->gen_users - 1))
        return fsim_i_fail (c, error, node, FALSE, FSIM_LOADER_ERROR_VALUE, &mp,
                            "mean degree %s is more than users - 1 (%zu)", mean, ps->gen_users - 1);
    if (strcmp (ps->generator, "facebook_like") == 0 && ps->mean_degree > (double) ps->max_degree)
        return fsim_i_fail (c, error, node, FALSE, FSIM_LOADER_ERROR_VALUE, &mp,
                            "mean degree %s is more than max_degree (%zu)", mean, ps->max_degree);
    return TRUE;
}

static gboolean
convert_adoption_model (FsimConv *c, const cJSON *pop, const FsimJPath *p, GError **error)
{
    static const char *const models[] = { "random", "clustered" };
    FsimPopulationSpec *ps = &c->s->population;
    g_autofree char *name = NULL;
    if (!fsim_i_get_string (c, pop, "adoption_model", p, &name, error))
        return FALSE;
    ps->adoption_model = FSIM_ADOPTION_RANDOM;
    if (name == NULL || strcmp (name, "random") == 0)
        return TRUE;
    if (strcmp (name, "clustered") == 0) {
        ps->adoption_model = FSIM_ADOPTION_CLUSTERED;
        return TRUE;
    }
    const char *near = fsim_i_closest (name, models, G_N_ELEMENTS (models));
    FsimJPath mp = FSIM_JP_KEY (p, "adoption_model");
    return fsim_i_fail (c, error, cJSON_GetObjectItemCaseSensitive (pop, "adoption_model"), FALSE,
                        FSIM_LOADER_ERROR_VALUE, &mp,
                        "unknown adoption model '%s'%s%s%s (expected \"random\" or \"clustered\")",
                        name, near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
}

/* Settings, adoption and the adoption model: shared by generated and imported populations,
 * each converted whatever the others gave (part()). */
static void
convert_draws (FsimConv *c, const cJSON *pop, const FsimJPath *p)
{
    g_autoptr (GError) local = NULL;
    part (c, convert_gen_settings (c, pop, p, &local), &local);
    part (c, convert_adoption (c, pop, p, &local), &local);
    part (c, convert_adoption_model (c, pop, p, &local), &local);
}

/* A generated population: @error is set only for a failure that ends it at once; the errors
 * of its parts are kept (part()). */
static gboolean
convert_generated (FsimConv *c, const cJSON *pop, const FsimJPath *p, GError **error)
{
    static const char *const keys[] = { "generator",  "users",      "mean_degree",    "spread",
                                        "clustering", "max_degree", "community_size", "rewire",
                                        "settings",   "adoption",   "adoption_model", "snapshot",
                                        NULL };
    static const char *const req[] = { "generator", "users", "mean_degree", NULL };
    FsimPopulationSpec *ps = &c->s->population;
    const cJSON *users_value = cJSON_GetObjectItemCaseSensitive (pop, "users");
    guint64 users = 0;
    ps->kind = FSIM_POPULATION_GENERATED;
    /* `--set population.users=N` on a population that lists its users (the tour): say so,
     * rather than call its 'defaults' an unknown key of a generated population */
    if (cJSON_IsNumber (users_value) && !cJSON_GetObjectItemCaseSensitive (pop, "generator") &&
        cJSON_GetObjectItemCaseSensitive (pop, "defaults")) {
        FsimJPath up = FSIM_JP_KEY (p, "users");
        return fsim_i_fail (c, error, users_value, TRUE, FSIM_LOADER_ERROR_SCHEMA, &up,
                            "this population lists its users one by one (it has 'defaults'), "
                            "so a number of users cannot replace them: add or remove users in "
                            "the list, or make a generated population ('generator', 'users', "
                            "'mean_degree'; docs/format.md)");
    }
    g_autoptr (GError) local = NULL;
    part (c, fsim_i_check_object (c, pop, p, keys, req, &local), &local);
    /* the generator's name decides which model keys it reads; the model keys and the number
     * of users bound the mean degree */
    gboolean degree =
        part (c, fsim_i_get_integer (c, pop, "users", p, 1, MAX_GENERATED_USERS, &users, &local),
              &local) &&
        part (c,
              fsim_i_get_number (c, pop, "mean_degree", p, 0, MAX_MEAN_DEGREE, &ps->mean_degree,
                                 &local),
              &local);
    gboolean generator =
        part (c, fsim_i_get_string (c, pop, "generator", p, &ps->generator, &local), &local) &&
        ps->generator && part (c, check_generator (c, pop, p, &local), &local);
    gboolean model = generator && part (c, convert_model_keys (c, pop, p, &local), &local);
    ps->gen_users = (size_t) users;
    if (model && degree && users > 0 && cJSON_GetObjectItemCaseSensitive (pop, "mean_degree"))
        part (c, check_mean_degree (c, pop, p, &local), &local);
    convert_draws (c, pop, p);
    return fsim_i_stage_ok (c);
}

/* An imported population: the file gives the users and friendships, the rest is drawn. */
static gboolean
convert_imported (FsimConv *c, const cJSON *pop, const FsimJPath *p)
{
    static const char *const keys[] = { "import",         "settings", "adoption",
                                        "adoption_model", "snapshot", NULL };
    static const char *const generated[] = { "generator",  "users",      "mean_degree",    "spread",
                                             "clustering", "max_degree", "community_size", "rewire",
                                             "defaults",   NULL };
    c->s->population.kind = FSIM_POPULATION_IMPORTED;
    g_autoptr (GError) local = NULL;
    gboolean keys_ok = TRUE;
    for (size_t i = 0; generated[i]; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive (pop, generated[i]);
        FsimJPath kp = FSIM_JP_KEY (p, generated[i]);
        if (v)
            keys_ok = part (c,
                            fsim_i_fail (c, &local, v, TRUE, FSIM_LOADER_ERROR_SCHEMA, &kp,
                                         "'%s' cannot be used with 'import' (the file gives the "
                                         "users and their friendships)",
                                         generated[i]),
                            &local);
    }
    FsimJPath ip = FSIM_JP_KEY (p, "import");
    if (keys_ok) /* else it would call the same keys unknown */
        part (c, fsim_i_check_object (c, pop, p, keys, NULL, &local), &local);
    part (c,
          fsim_i_convert_import (c, cJSON_GetObjectItemCaseSensitive (pop, "import"), &ip, &local),
          &local);
    convert_draws (c, pop, p);
    return fsim_i_stage_ok (c);
}

gboolean
fsim_i_convert_population (FsimConv *c, const cJSON *pop, GError **error)
{
    FsimJPath p = FSIM_JP_KEY (NULL, "population");
    if (!cJSON_IsObject (pop))
        return fsim_i_fail (c, error, pop, FALSE, FSIM_LOADER_ERROR_SCHEMA, &p,
                            "expected an object, got %s", fsim_i_json_type_name (pop));
    c->s->population.loc = fsim_i_loc_of (c, pop);
    /* A snapshot alone is a population of its own; with the keys of another kind, the snapshot
     * must have been saved from them (sim/population-snapshot.c checks). */
    g_autoptr (GError) local = NULL;
    if (!part (c, fsim_i_get_file_name (c, pop, "snapshot", &p, &c->s->population.snapshot, &local),
               &local) &&
        cJSON_GetArraySize (pop) == 1)
        return FALSE;
    if (c->s->population.snapshot != NULL)
        c->s->population.snapshot_loc =
            fsim_i_loc_of (c, cJSON_GetObjectItemCaseSensitive (pop, "snapshot"));
    if (c->s->population.snapshot != NULL && cJSON_GetArraySize (pop) == 1) {
        c->s->population.kind = FSIM_POPULATION_SNAPSHOT;
        return TRUE;
    }
    /* each kind keeps the errors of its parts (part()) and says whether there were any */
    const cJSON *users = cJSON_GetObjectItemCaseSensitive (pop, "users");
    if (cJSON_GetObjectItemCaseSensitive (pop, "import"))
        return convert_imported (c, pop, &p);
    if (cJSON_GetObjectItemCaseSensitive (pop, "generator") || cJSON_IsNumber (users))
        return convert_generated (c, pop, &p, error);
    return convert_explicit (c, pop, &p);
}
