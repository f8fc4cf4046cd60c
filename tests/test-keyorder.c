/* SPDX-License-Identifier: MIT */
/* test-keyorder.c: results never depend on the order of a JSON object's keys (issue 15, part 5). */
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include <cjson/cJSON.h>

#include "loader.h"
#include "random-scenario.h"
#include "run-util.h"
#include "test-util.h"

/* ---- shuffling ------------------------------------------------------------------------------ */

/* Reorders the members of every object under @node at random (arrays keep their order). */
static void
shuffle_node (cJSON *node, GRand *rand)
{
    g_autoptr (GPtrArray) kids = g_ptr_array_new ();
    for (cJSON *c = node->child; c; c = c->next)
        g_ptr_array_add (kids, c);
    for (guint i = 0; i < kids->len; i++)
        shuffle_node (kids->pdata[i], rand);
    if (!cJSON_IsObject (node) || kids->len < 2)
        return;
    for (guint i = kids->len - 1; i > 0; i--) {
        guint j = (guint) g_rand_int_range (rand, 0, (gint32) i + 1);
        gpointer t = kids->pdata[i];
        kids->pdata[i] = kids->pdata[j];
        kids->pdata[j] = t;
    }
    /* relink: a cJSON list's first prev is its last element */
    for (guint i = 0; i < kids->len; i++) {
        cJSON *c = kids->pdata[i];
        c->next = i + 1 < kids->len ? kids->pdata[i + 1] : NULL;
        c->prev = kids->pdata[i ? i - 1 : kids->len - 1];
    }
    node->child = kids->pdata[0];
}

/* @text with every object's keys shuffled (transfer full). */
static char *
shuffle_text (const char *text, guint32 seed)
{
    cJSON *root = cJSON_Parse (text);
    g_assert_nonnull (root);
    g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
    shuffle_node (root, rand);
    char *printed = cJSON_Print (root);
    cJSON_Delete (root);
    char *out = g_strdup (printed);
    cJSON_free (printed);
    return out;
}

/* Copies the .json files of @src/@folder into @dst/@folder, each with its keys shuffled. */
static void
copy_shuffled (const char *src, const char *dst, const char *folder, guint32 seed)
{
    g_autofree char *from = g_build_filename (src, folder, NULL);
    g_autofree char *to = g_build_filename (dst, folder, NULL);
    g_assert_cmpint (g_mkdir_with_parents (to, 0700), ==, 0);
    g_autoptr (GDir) dir = g_dir_open (from, 0, NULL);
    g_assert_nonnull (dir);
    for (const char *name; (name = g_dir_read_name (dir));) {
        if (!g_str_has_suffix (name, ".json"))
            continue;
        g_autofree char *path = g_build_filename (from, name, NULL);
        g_autofree char *text = NULL;
        g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
        g_autofree char *shuffled = shuffle_text (text, seed + g_str_hash (name));
        g_free (fsim_test_write (to, name, shuffled, -1));
    }
}

/* `flowsim run FILE --format json` in @cwd, first with @set (for a generated population, to
 * keep the test quick) and without it when it does not apply. */
static FsimTestRun *
run_json (const char *cwd, const char *file, const char *set)
{
    const char *const with[] = { "run", file, "--format", "json", "--set", set, NULL };
    const char *const without[] = { "run", file, "--format", "json", NULL };
    FsimTestRun *r = fsim_test_run (cwd, NULL, with);
    if (r->status == 3 && strstr (r->err, "population")) {
        fsim_test_run_free (r);
        r = fsim_test_run (cwd, NULL, without);
    }
    return r;
}

static void
assert_same_run (const char *dir_a, const char *dir_b, const char *file)
{
    g_autoptr (FsimTestRun) a = run_json (dir_a, file, "population.users=2000");
    g_autoptr (FsimTestRun) b = run_json (dir_b, file, "population.users=2000");
    if (a->status != 0)
        g_test_message ("%s: %s", file, a->err);
    g_assert_cmpint (a->status, ==, 0);
    if (b->status != 0)
        g_test_message ("%s (shuffled): %s", file, b->err);
    g_assert_cmpint (b->status, ==, 0);
    g_assert_cmpuint (a->out_len, >, 100);
    if (a->out_len != b->out_len || memcmp (a->out, b->out, a->out_len) != 0)
        g_test_message ("%s: the shuffled file gives another result", file);
    g_assert_cmpmem (a->out, a->out_len, b->out, b->out_len);
}

/* Every bundled scenario, with every object of it and of the policies it includes shuffled
 * (three different shuffles), gives the same report byte for byte. */
static void
test_keyorder_bundled (void)
{
    g_autofree char *root = fsim_test_source_path ("scenarios", NULL);
    g_autofree char *scen = g_steal_pointer (&root);
    root = g_path_get_dirname (scen);
    g_autoptr (GDir) dir = g_dir_open (scen, 0, NULL);
    g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
    for (const char *name; dir && (name = g_dir_read_name (dir));)
        if (g_str_has_suffix (name, ".json"))
            g_ptr_array_add (files, g_build_filename ("scenarios", name, NULL));
    g_assert_cmpuint (files->len, >=, 10);
    guint rounds = fsim_test_under_valgrind () ? 1 : 2;
    for (guint round = 0; round < rounds; round++) {
        char *scratch = fsim_test_scratch_new ();
        copy_shuffled (root, scratch, "policies", 17 * round + 1);
        copy_shuffled (root, scratch, "scenarios", 17 * round + 2);
        for (guint i = 0; i < files->len; i++)
            assert_same_run (root, scratch, files->pdata[i]);
        fsim_test_scratch_free (scratch);
    }
}

/*
 * A random scenario with patterns whose ranks differ only by the rules of docs/semantics.md
 * ("Which pattern wins"): two globs of different specificity over the fields ("f*" and "f?")
 * and a glob over the partners ("p*") beside "*" and an exact id. Key position decided between
 * such patterns before issue 15.
 */
static char *
enriched_scenario (guint32 seed, gboolean generated)
{
    static const char *const audiences[] = { "only_me", "friends", "friends_of_friends", "public" };
    g_autofree char *text = fsim_random_scenario (seed, generated);
    cJSON *root = cJSON_Parse (text);
    g_assert_nonnull (root);
    g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
    cJSON *pop = cJSON_GetObjectItemCaseSensitive (root, "population");
    cJSON *users = cJSON_GetObjectItemCaseSensitive (pop, "users");
    for (cJSON *u = cJSON_IsArray (users) ? users->child : NULL; u; u = u->next) {
        cJSON *aud = cJSON_GetObjectItemCaseSensitive (
            cJSON_GetObjectItemCaseSensitive (u, "settings"), "audience");
        cJSON_AddStringToObject (aud, "f*", audiences[g_rand_int_range (rand, 0, 4)]);
        cJSON_AddStringToObject (aud, "f?", audiences[g_rand_int_range (rand, 0, 4)]);
    }
    if (generated) {
        cJSON *aud = cJSON_GetObjectItemCaseSensitive (
            cJSON_GetObjectItemCaseSensitive (pop, "settings"), "audience");
        cJSON *a = cJSON_AddObjectToObject (aud, "f*");
        cJSON_AddNumberToObject (a, audiences[g_rand_int_range (rand, 0, 4)], 1);
        cJSON *b = cJSON_AddObjectToObject (aud, "f?");
        cJSON_AddNumberToObject (b, "only_me", 0.5);
        cJSON_AddNumberToObject (b, "public", 0.5);
        cJSON *ad = cJSON_GetObjectItemCaseSensitive (pop, "adoption");
        cJSON_AddNumberToObject (ad, "p*", 0.05 * g_rand_int_range (rand, 1, 6));
        cJSON_AddNumberToObject (ad, "p0", 0.5);
    }
    char *printed = cJSON_Print (root);
    cJSON_Delete (root);
    char *out = g_strdup (printed);
    cJSON_free (printed);
    return out;
}

/* Random scenarios (tests/random-scenario.c, enriched), explicit and generated, shuffled. */
static void
test_keyorder_random (void)
{
    guint n = fsim_test_under_valgrind () ? 4 : 30;
    char *scratch = fsim_test_scratch_new ();
    g_autofree char *a_dir = g_build_filename (scratch, "a", NULL);
    g_autofree char *b_dir = g_build_filename (scratch, "b", NULL);
    g_assert_cmpint (g_mkdir (a_dir, 0700), ==, 0);
    g_assert_cmpint (g_mkdir (b_dir, 0700), ==, 0);
    for (guint32 seed = 1; seed <= n; seed++) {
        g_autofree char *text = enriched_scenario (seed, seed % 2 == 0);
        g_autofree char *shuffled = shuffle_text (text, seed);
        g_free (fsim_test_write (a_dir, "random.json", text, -1));
        g_free (fsim_test_write (b_dir, "random.json", shuffled, -1));
        assert_same_run (a_dir, b_dir, "random.json");
    }
    fsim_test_scratch_free (scratch);
}

/* ---- the rules themselves ------------------------------------------------------------------- */

static const char *model =
    "\"fields\": [{\"id\": \"identity.name\"}, {\"id\": \"profile.birthday\"}, "
    "{\"id\": \"profile.religion\"}, {\"id\": \"profile.basic.gender\"}],"
    "\"apis\": [{\"id\": \"api\", \"scopes\": [{\"id\": \"s\", \"subject\": \"self\", "
    "\"fields\": [\"*\"]}]}],"
    "\"partners\": ["
    "{\"id\": \"huawei\", \"kind\": \"device_maker\", \"tags\": [\"china\"], \"integrates\": "
    "[\"api\"], \"requests\": [\"*\"], \"destinations\": [{\"id\": \"d\", \"location\": "
    "\"device\", \"fields\": [\"*\"]}]},"
    "{\"id\": \"apple\", \"kind\": \"device_maker\", \"integrates\": [\"api\"], \"requests\": "
    "[\"*\"], \"destinations\": [{\"id\": \"d\", \"location\": \"device\", \"fields\": [\"*\"]}]},"
    "{\"id\": \"quiz\", \"kind\": \"app\", \"integrates\": [\"api\"], \"requests\": [\"*\"], "
    "\"destinations\": [{\"id\": \"d\", \"location\": \"server\", \"jurisdiction\": \"GB\", "
    "\"fields\": [\"*\"]}]}],";

/* Loads a scenario made of @model and @rest (the population and anything else). */
static FsimScenario *
load_inline (const char *rest, GError **error)
{
    g_autofree char *text = g_strdup_printf ("{\"scenario\": \"k\", \"date\": \"2014-06-01\", "
                                             "%s %s}",
                                             model, rest);
    return fsim_loader_load_string ("inline.json", text, NULL, error);
}

static guint8
audience_of (const FsimScenario *s, size_t user, const char *field)
{
    gssize f = fsim_scenario_find_field (s, field);
    g_assert_cmpint (f, >=, 0);
    return s->population.users[user].settings.audience[f];
}

/* Exact id > longer prefix > "profile.*" > "profile" > globs by literal characters > "*". */
static void
test_keyorder_audience_ranks (void)
{
    static const char *const orders[] = {
        "\"*\": \"only_me\", \"profile\": \"public\", \"*.religion\": \"friends\", "
        "\"profile.*\": \"friends_of_friends\", \"profile.basic\": \"friends\", "
        "\"*.birthday\": \"only_me\", \"identity.name\": \"friends\"",
        "\"identity.name\": \"friends\", \"*.birthday\": \"only_me\", \"profile.basic\": "
        "\"friends\", \"profile.*\": \"friends_of_friends\", \"*.religion\": \"friends\", "
        "\"profile\": \"public\", \"*\": \"only_me\"",
    };
    for (size_t i = 0; i < G_N_ELEMENTS (orders); i++) {
        g_autofree char *pop = g_strdup_printf (
            "\"population\": {\"defaults\": {\"audience\": {%s}}, \"users\": [{\"id\": \"a\"}]}",
            orders[i]);
        g_autoptr (GError) error = NULL;
        g_autoptr (FsimScenario) s = load_inline (pop, &error);
        g_assert_no_error (error);
        g_assert_cmpint (audience_of (s, 0, "identity.name"), ==, FSIM_AUDIENCE_FRIENDS);
        /* a prefix outranks a glob: profile.* beats *.religion and *.birthday */
        g_assert_cmpint (audience_of (s, 0, "profile.religion"), ==,
                         FSIM_AUDIENCE_FRIENDS_OF_FRIENDS);
        g_assert_cmpint (audience_of (s, 0, "profile.birthday"), ==,
                         FSIM_AUDIENCE_FRIENDS_OF_FRIENDS);
        g_assert_cmpint (audience_of (s, 0, "profile.basic.gender"), ==, FSIM_AUDIENCE_FRIENDS);
    }
    /* the example: "profile" beats "*.religion" */
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimScenario) s =
        load_inline ("\"population\": {\"defaults\": {\"audience\": {\"*.religion\": \"only_me\", "
                     "\"profile\": \"public\"}}, \"users\": [{\"id\": \"a\"}]}",
                     &error);
    g_assert_no_error (error);
    g_assert_cmpint (audience_of (s, 0, "profile.religion"), ==, FSIM_AUDIENCE_PUBLIC);
    /* globs: more literal characters first */
    g_autoptr (FsimScenario) t =
        load_inline ("\"population\": {\"defaults\": {\"audience\": {\"*.religion\": \"only_me\", "
                     "\"*e*\": \"public\"}}, \"users\": [{\"id\": \"a\"}]}",
                     &error);
    g_assert_no_error (error);
    g_assert_cmpint (audience_of (t, 0, "profile.religion"), ==, FSIM_AUDIENCE_ONLY_ME);
    g_assert_cmpint (audience_of (t, 0, "identity.name"), ==, FSIM_AUDIENCE_PUBLIC);
    /* two globs of one rank that agree are fine */
    g_autoptr (FsimScenario) u =
        load_inline ("\"population\": {\"defaults\": {\"audience\": {\"*.religion\": \"only_me\", "
                     "\"p*religion\": \"only_me\"}}, \"users\": [{\"id\": \"a\"}]}",
                     &error);
    g_assert_no_error (error);
    g_assert_cmpint (audience_of (u, 0, "profile.religion"), ==, FSIM_AUDIENCE_ONLY_ME);
}

/* docs/semantics.md's worked example: a user's own pattern beats every default pattern. */
static void
test_keyorder_audience_user_over_defaults (void)
{
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimScenario) s = load_inline (
        "\"population\": {\"defaults\": {\"audience\": {\"*\": \"friends\", \"identity\": "
        "\"public\", \"profile.religion\": \"only_me\"}}, \"users\": [{\"id\": \"gina\", "
        "\"settings\": {\"audience\": {\"profile\": \"friends_of_friends\"}}}, {\"id\": "
        "\"hal\"}]}",
        &error);
    g_assert_no_error (error);
    g_assert_cmpint (audience_of (s, 0, "identity.name"), ==, FSIM_AUDIENCE_PUBLIC);
    g_assert_cmpint (audience_of (s, 0, "profile.birthday"), ==, FSIM_AUDIENCE_FRIENDS_OF_FRIENDS);
    g_assert_cmpint (audience_of (s, 0, "profile.religion"), ==, FSIM_AUDIENCE_FRIENDS_OF_FRIENDS);
    g_assert_cmpint (audience_of (s, 1, "profile.religion"), ==, FSIM_AUDIENCE_ONLY_ME);
    g_assert_cmpint (audience_of (s, 1, "profile.birthday"), ==, FSIM_AUDIENCE_FRIENDS);
}

static double
adoption_of (const FsimScenario *s, const char *partner)
{
    gssize p = fsim_scenario_find_partner (s, partner);
    g_assert_cmpint (p, >=, 0);
    return s->population.adoption[p];
}

static FsimScenario *
load_adoption (const char *adoption, GError **error)
{
    g_autofree char *pop = g_strdup_printf (
        "\"population\": {\"generator\": \"erdos_renyi\", \"users\": 10, \"mean_degree\": 2, "
        "\"adoption\": %s}",
        adoption);
    return load_inline (pop, error);
}

/* The object form: "*" < kind:/tag:/globs < an exact id, in any order; the array form: later
 * entries win. */
static void
test_keyorder_adoption (void)
{
    static const char *const objects[] = {
        "{\"*\": 0.1, \"kind:device_maker\": 0.2, \"huawei\": 0.3}",
        "{\"huawei\": 0.3, \"kind:device_maker\": 0.2, \"*\": 0.1}",
        "{\"kind:device_maker\": 0.2, \"huawei\": 0.3, \"*\": 0.1}",
    };
    for (size_t i = 0; i < G_N_ELEMENTS (objects); i++) {
        g_autoptr (GError) error = NULL;
        g_autoptr (FsimScenario) s = load_adoption (objects[i], &error);
        g_assert_no_error (error);
        g_assert_cmpfloat (adoption_of (s, "huawei"), ==, 0.3);
        g_assert_cmpfloat (adoption_of (s, "apple"), ==, 0.2);
        g_assert_cmpfloat (adoption_of (s, "quiz"), ==, 0.1);
    }
    /* two selectors of one rank that agree, and a clash that an exact id settles */
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimScenario) s = load_adoption (
        "{\"tag:china\": 0.2, \"kind:device_maker\": 0.1, \"huawei\": 0.05}", &error);
    g_assert_no_error (error);
    g_assert_cmpfloat (adoption_of (s, "huawei"), ==, 0.05);
    g_assert_cmpfloat (adoption_of (s, "apple"), ==, 0.1);
    g_autoptr (FsimScenario) t = load_adoption (
        "[{\"tag:china\": 0.2}, {\"kind:device_maker\": 0.1}, {\"quiz\": 0.3}]", &error);
    g_assert_no_error (error);
    g_assert_cmpfloat (adoption_of (t, "huawei"), ==, 0.1);
    g_autoptr (FsimScenario) u = load_adoption (
        "[{\"kind:device_maker\": 0.1}, {\"tag:china\": 0.2}, {\"*\": 0.0}, {\"apple\": 0.4}]",
        &error);
    g_assert_no_error (error);
    g_assert_cmpfloat (adoption_of (u, "huawei"), ==, 0.0);
    g_assert_cmpfloat (adoption_of (u, "apple"), ==, 0.4);
    g_autoptr (FsimScenario) v =
        load_adoption ("{\"tag:china\": 0.2, \"kind:device_maker\": 0.1}", &error);
    g_assert_null (v);
    g_assert_error (error, FSIM_LOADER_ERROR, FSIM_LOADER_ERROR_VALUE);
}

/* "set" as an array applies in order; as an object, its paths must not meet. */
static void
test_keyorder_set (void)
{
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimScenario) s =
        load_inline ("\"population\": {\"users\": [{\"id\": \"a\"}]}, \"set\": [{\"seed\": 2}, "
                     "{\"partners[huawei].destinations[d].location\": \"server\"}, "
                     "{\"partners[huawei].destinations[d].jurisdiction\": \"CN\"}, {\"seed\": 3}]",
                     &error);
    g_assert_no_error (error);
    g_assert_cmpuint (s->seed, ==, 3);
    g_assert_cmpstr (s->partners[0].destinations[0].jurisdiction, ==, "CN");
    /* different keys of one element do not meet */
    g_autoptr (FsimScenario) t =
        load_inline ("\"population\": {\"users\": [{\"id\": \"a\"}]}, \"set\": {\"seed\": 2, "
                     "\"partners[huawei].destinations[d].jurisdiction\": \"CN\", "
                     "\"partners[huawei].destinations[d].location\": \"server\", "
                     "\"partners[apple].kind\": \"phone\"}",
                     &error);
    g_assert_no_error (error);
    g_assert_cmpuint (t->seed, ==, 2);
    static const char *const meet[] = {
        "{\"partners[huawei]\": {}, \"partners[huawei].kind\": \"x\"}",
        "{\"partners[0].kind\": \"x\", \"partners[huawei].kind\": \"y\"}",
        "{\"population\": {}, \"population.users\": []}",
    };
    for (size_t i = 0; i < G_N_ELEMENTS (meet); i++) {
        g_autofree char *rest = g_strdup_printf (
            "\"population\": {\"users\": [{\"id\": \"a\"}]}, \"set\": %s", meet[i]);
        g_autoptr (GError) local = NULL;
        g_autoptr (FsimScenario) x = load_inline (rest, &local);
        g_assert_null (x);
        g_assert_error (local, FSIM_LOADER_ERROR, FSIM_LOADER_ERROR_SET);
        g_assert_nonnull (strstr (local->message, "may change the same value"));
    }
}

int
main (int argc, char *argv[])
{
    g_test_init (&argc, &argv, NULL);
    g_test_add_func ("/keyorder/audience/ranks", test_keyorder_audience_ranks);
    g_test_add_func ("/keyorder/audience/user-over-defaults",
                     test_keyorder_audience_user_over_defaults);
    g_test_add_func ("/keyorder/adoption", test_keyorder_adoption);
    g_test_add_func ("/keyorder/set", test_keyorder_set);
    g_test_add_func ("/keyorder/random", test_keyorder_random);
    g_test_add_func ("/keyorder/bundled", test_keyorder_bundled);
    return g_test_run ();
}
