/* SPDX-License-Identifier: MIT */
/* test-snapshot.c: population snapshots: round trips, damaged and foreign files, mismatches. */
#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "checksum.h"
#include "cli.h"
#include "comm-threads.h"
#include "engine.h"
#include "json-check.h"
#include "loader.h"
#include "policy.h"
#include "population-slice.h"
#include "population-snapshot-private.h"
#include "population.h"
#include "report.h"
#include "run-util.h"
#include "test-util.h"

/*
 * Snapshots are saved in-process (fsim_population_snapshot_write) or with `flowsim population
 * --save`, then loaded through population.snapshot. Damaged files are made by changing bytes of
 * a good one; "resealed" ones also get their checksums recomputed (as a forger would), to reach
 * the checks behind the checksums.
 */

static char *scratch;

static char *
scenario_path (const char *name)
{
    return fsim_test_source_path ("scenarios", name, NULL);
}

/* device-partners-2018 at 1,500 users: facebook_like with communities, 60 partners. */
static const char *const small[] = { "population.users=1500", NULL };

static GString *
snapshot_of (const FsimScenario *s, const FsimPopulation *pop)
{
    g_autoptr (GError) error = NULL;
    GString *bytes = g_string_new (NULL);

    g_assert_true (fsim_population_snapshot_write (s, pop, bytes, &error));
    g_assert_no_error (error);
    return bytes;
}

static char *
save (const char *name, const GString *bytes)
{
    return fsim_test_write (scratch, name, bytes->str, (gssize) bytes->len);
}

/* Loads @path with @sets plus population.snapshot=@snap and builds it; NULL with @error. */
static FsimPopulation *
load_with (const char *path, const char *const *sets, const char *snap, FsimScenario **out_s,
           GError **error)
{
    g_autoptr (GPtrArray) all = g_ptr_array_new_with_free_func (g_free);

    for (size_t i = 0; sets && sets[i]; i++)
        g_ptr_array_add (all, g_strdup (sets[i]));
    if (snap != NULL)
        g_ptr_array_add (all, g_strdup_printf ("population.snapshot=%s", snap));
    g_ptr_array_add (all, NULL);
    FsimScenario *s = fsim_test_load (path, (const char *const *) all->pdata);
    FsimPopulation *pop = fsim_population_build (s, error);
    if (out_s)
        *out_s = s;
    else
        fsim_scenario_free (s);
    return pop;
}

/* The report of @s on @pop, without the echo of the overrides (the reports compared differ in
 * the override that names the snapshot, and in nothing else). */
static char *
render (FsimScenario *s, const FsimPopulation *pop, FsimReportFormat format)
{
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimDecisions) d = fsim_decisions_new (s, s->date);
    g_autoptr (FsimResult) r = fsim_engine_run (s, pop, d, &error);
    GString *out = g_string_new (NULL);
    size_t n_overrides = s->n_overrides;

    g_assert_no_error (error);
    s->n_overrides = 0;
    fsim_report_render (s, pop, r, format, out);
    s->n_overrides = n_overrides;
    return g_string_free (out, FALSE);
}

static void
assert_same_population (const FsimPopulation *a, const FsimPopulation *b)
{
    size_t n = a->n_users;

    g_assert_cmpuint (a->n_users, ==, b->n_users);
    g_assert_true (fsim_test_friends_equal (a->friends, b->friends));
    g_assert_cmpuint (a->friends->n_groups, ==, b->friends->n_groups);
    if (a->friends->n_groups > 0)
        g_assert_cmpmem (a->friends->group_offsets, (a->friends->n_groups + 1) * sizeof (size_t),
                         b->friends->group_offsets, (b->friends->n_groups + 1) * sizeof (size_t));
    g_assert_cmpmem (a->platform, n, b->platform, n);
    g_assert_cmpmem (a->audience, n * a->n_fields, b->audience, n * b->n_fields);
    g_assert_cmpmem (a->apps_others, n * a->field_words * 8, b->apps_others,
                     n * b->field_words * 8);
    g_assert_cmpmem (a->uses, n * a->partner_words * 8, b->uses, n * b->partner_words * 8);
    for (size_t u = 0; u < n; u++) {
        g_autofree char *x = fsim_population_user_name (a, u);
        g_autofree char *y = fsim_population_user_name (b, u);
        g_assert_cmpstr (x, ==, y);
    }
}

/* Saves the population of @path (with @sets), loads it back both with the scenario's own
 * population keys and as the only key, and compares populations and every report format. */
static void
round_trip (const char *path, const char *const *sets, const char *name)
{
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimScenario) s = NULL, s2 = NULL, s3 = NULL;
    g_autoptr (FsimPopulation) pop = load_with (path, sets, NULL, &s, &error);
    g_assert_no_error (error);
    g_autoptr (GString) bytes = snapshot_of (s, pop);
    g_autofree char *file = save (name, bytes);
    g_autoptr (FsimPopulation) back = load_with (path, sets, file, &s2, &error);
    g_assert_no_error (error);
    g_assert_nonnull (back->snapshot);
    assert_same_population (pop, back);
    /* the engine's first hop comes with the snapshot, as the engine computes it */
    size_t words = 2 * pop->n_users * pop->partner_words;
    g_autofree FsimWord *near = g_new0 (FsimWord, words + 1);
    fsim_population_near (pop, near, 0, pop->n_users);
    g_assert_null (pop->near);
    g_assert_nonnull (back->near);
    g_assert_cmpmem (back->near, words * sizeof (FsimWord), near, words * sizeof (FsimWord));

    /* only the snapshot: a scenario without population keys of its own */
    g_autoptr (GPtrArray) only = g_ptr_array_new_with_free_func (g_free);
    g_ptr_array_add (only, g_strdup_printf ("population={\"snapshot\": \"%s\"}", file));
    g_ptr_array_add (only, NULL);
    s3 = fsim_test_load (path, (const char *const *) only->pdata);
    g_assert_cmpint (s3->population.kind, ==, FSIM_POPULATION_SNAPSHOT);
    g_autoptr (FsimPopulation) alone = fsim_population_build (s3, &error);
    g_assert_no_error (error);
    assert_same_population (pop, alone);

    for (int f = FSIM_REPORT_TEXT; f <= FSIM_REPORT_CSV; f++) {
        g_autofree char *want = render (s, pop, (FsimReportFormat) f);
        g_autofree char *got = render (s2, back, (FsimReportFormat) f);
        g_autofree char *got3 = render (s3, alone, (FsimReportFormat) f);
        g_assert_cmpstr (got, ==, want);
        g_assert_cmpstr (got3, ==, want);
    }

    /* a snapshot of a snapshot is the same file */
    g_autoptr (GString) again = snapshot_of (s2, back);
    g_assert_cmpmem (again->str, again->len, bytes->str, bytes->len);
}

static void
test_snapshot_round_trip_generated (void)
{
    g_autofree char *path = scenario_path ("device-partners-2018.json");
    round_trip (path, small, "generated.fsp");
}

static void
test_snapshot_round_trip_clustered (void)
{
    g_autofree char *path = scenario_path ("device-partners-2018.json");
    const char *const sets[] = { "population.users=700", "population.adoption_model=clustered",
                                 "population.generator=erdos_renyi", "population.mean_degree=12",
                                 NULL };
    round_trip (path, sets, "clustered.fsp");
}

static void
test_snapshot_round_trip_explicit (void)
{
    g_autofree char *path = scenario_path ("tour.json");
    round_trip (path, NULL, "tour.fsp");
}

static void
test_snapshot_round_trip_imported (void)
{
    g_autofree char *graphml = fsim_test_data_path ("scale", "import-graphml.json", NULL);
    g_autofree char *edges = fsim_test_data_path ("scale", "import-edges.json", NULL);
    round_trip (graphml, NULL, "graphml.fsp");
    round_trip (edges, NULL, "edges.fsp");
}

/* The XXH64 reference values (seed 0) of the xxHash specification. */
static void
test_snapshot_checksum_vectors (void)
{
    const char *nobody = "Nobody inspects the spammish repetition";

    g_assert_cmphex (fsim_checksum64 (NULL, 0, 0), ==, G_GUINT64_CONSTANT (0xEF46DB3751D8E999));
    g_assert_cmphex (fsim_checksum64 ("a", 1, 0), ==, G_GUINT64_CONSTANT (0xD24EC4F1A98C6E5B));
    g_assert_cmphex (fsim_checksum64 ("abc", 3, 0), ==, G_GUINT64_CONSTANT (0x44BC2CF5AD770999));
    g_assert_cmphex (fsim_checksum64 (nobody, strlen (nobody), 0), ==,
                     G_GUINT64_CONSTANT (0xFBCEA83C8A378BF1));
}

/* Issue 11: fed piece by piece, XXH64 gives the one-shot value whatever the pieces (empty,
 * shorter than a stripe, across stripes, NULL with no bytes), for lengths around 32 and on. */
static void
test_snapshot_checksum_streamed (void)
{
    g_autoptr (GRand) rand = g_rand_new_with_seed (11);
    guchar data[300];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (guchar) g_rand_int (rand);
    for (size_t len = 0; len <= sizeof data; len += len < 70 ? 1 : 23)
        for (int trial = 0; trial < 20; trial++) {
            FsimChecksum64 c;
            fsim_checksum64_init (&c, trial == 0 ? 0 : 7);
            fsim_checksum64_update (&c, NULL, 0);
            for (size_t at = 0; at < len;) {
                size_t n = (size_t) g_rand_int_range (rand, 0, 40);
                n = MIN (n, len - at);
                fsim_checksum64_update (&c, data + at, n);
                at += n;
            }
            g_assert_cmphex (fsim_checksum64_final (&c), ==,
                             fsim_checksum64 (data, len, trial == 0 ? 0 : 7));
        }
}

/* ---- damaged and foreign files ------------------------------------------------------------ */

static GString *good;    /* a snapshot of device-partners-2018 at 1,500 users */
static size_t n_written; /* for unique file names */

/* Loads @bytes as the snapshot of device-partners-2018 with @sets; NULL with @error. */
static FsimPopulation *
load_bytes_with (const char *const *sets, const char *bytes, size_t len, GError **error)
{
    g_autofree char *name = g_strdup_printf ("damaged-%zu.fsp", n_written++);
    g_autofree char *file = fsim_test_write (scratch, name, bytes, (gssize) len);
    g_autofree char *path = scenario_path ("device-partners-2018.json");

    return load_with (path, sets, file, NULL, error);
}

/* Loads @bytes as the snapshot of the scenario it was saved from: the error. */
static GError *
load_bytes (const char *bytes, size_t len)
{
    GError *error = NULL;
    g_autoptr (FsimPopulation) pop = load_bytes_with (small, bytes, len, &error);

    g_assert_null (pop);
    g_assert_nonnull (error);
    return error;
}

static void
good_init (void)
{
    g_autoptr (GError) error = NULL;
    g_autofree char *path = scenario_path ("device-partners-2018.json");
    g_autoptr (FsimScenario) s = NULL;
    g_autoptr (FsimPopulation) pop = load_with (path, small, NULL, &s, &error);

    g_assert_no_error (error);
    good = snapshot_of (s, pop);
}

static void
test_snapshot_truncated (void)
{
    const size_t lengths[] = {
        0, 1, 15, 16, 100, 127, 128, 4096, good->len / 2, good->len - 8, good->len - 1
    };

    for (size_t i = 0; i < G_N_ELEMENTS (lengths); i++) {
        g_autoptr (GError) e = load_bytes (good->str, lengths[i]);
        if (lengths[i] < 16) {
            g_assert_error (e, FSIM_POPULATION_ERROR, FSIM_POPULATION_ERROR_SNAPSHOT_FOREIGN);
            continue;
        }
        g_assert_error (e, FSIM_POPULATION_ERROR, FSIM_POPULATION_ERROR_SNAPSHOT_CORRUPT);
        fsim_assert_contains (e->message, "truncated");
    }
    /* longer than the header says */
    g_autoptr (GString) longer = g_string_new_len (good->str, (gssize) good->len);
    g_string_append (longer, "extra");
    g_autoptr (GError) e = load_bytes (longer->str, longer->len);
    g_assert_error (e, FSIM_POPULATION_ERROR, FSIM_POPULATION_ERROR_SNAPSHOT_CORRUPT);
    fsim_assert_contains (e->message, "wrong size");
}

/* One byte changed anywhere past the magic and version is caught, whatever it hit. */
static void
test_snapshot_corrupt_anywhere (void)
{
    g_autoptr (GString) bad = g_string_new_len (good->str, (gssize) good->len);
    size_t step = good->len / 97 + 1;
    guint64 sums_at;

    memcpy (&sums_at, good->str + 88, 8);
    /* every header field, the table, the last checksum, and bytes all over the data */
    const size_t fixed[] = { 20,  24,  32,  40,  48,      56,      64,           72,
                             80,  84,  88,  96,  104,     112,     120,          127,
                             128, 136, 144, 159, 160 + 8, sums_at, good->len - 1 };
    for (size_t i = 0; i < G_N_ELEMENTS (fixed); i++) {
        bad->str[fixed[i]] ^= 0x10;
        g_autoptr (GError) e = load_bytes (bad->str, bad->len);
        bad->str[fixed[i]] ^= 0x10;
        g_assert_error (e, FSIM_POPULATION_ERROR, FSIM_POPULATION_ERROR_SNAPSHOT_CORRUPT);
    }
    for (size_t at = 20; at < good->len; at += step) {
        bad->str[at] ^= 0x10;
        g_autoptr (GError) e = load_bytes (bad->str, bad->len);
        bad->str[at] ^= 0x10;
        g_assert_error (e, FSIM_POPULATION_ERROR, FSIM_POPULATION_ERROR_SNAPSHOT_CORRUPT);
    }
    /* in the friend lists: the message names the section */
    FsimSnapshotHeader h = { 0 };
    memcpy (&h.data_offset, good->str + 96, 8);
    bad->str[h.data_offset + 4096] ^= 1;
    g_autoptr (GError) e = load_bytes (bad->str, bad->len);
    g_assert_error (e, FSIM_POPULATION_ERROR, FSIM_POPULATION_ERROR_SNAPSHOT_CORRUPT);
    fsim_assert_contains (e->message, "corrupt data: the checksum of bytes");
}

/* A snapshot that cannot be used is said at the scenario's "snapshot" key, FILE:LINE:COL, as an
 * import's error is at its "import" object: main said only "cut.fsp: truncated: ..." (issue
 * 11's fourth pass). */
static void
test_snapshot_located (void)
{
    g_autofree char *cut = fsim_test_write (scratch, "cut.fsp", good->str, 100);
    g_assert_true (g_file_test (cut, G_FILE_TEST_IS_REGULAR));
    g_autofree char *tour = scenario_path ("tour.json");
    g_autofree char *scen = g_strdup_printf ("{\n  \"extends\": \"%s\",\n  \"population\": "
                                             "{ \"snapshot\": \"cut.fsp\" }\n}\n",
                                             tour);
    g_autofree char *path = fsim_test_write (scratch, "snap-cut.json", scen, -1);
    g_autoptr (FsimTestRun) r = FSIM_RUN ("run", path);

    g_assert_cmpint (r->status, ==, FSIM_EXIT_INPUT);
    fsim_assert_contains (r->err, "snap-cut.json:3:31: population.snapshot: ");
    fsim_assert_contains (r->err, "cut.fsp: truncated: 100 bytes");
}

static void
test_snapshot_foreign (void)
{
    g_autofree char *json = scenario_path ("tour.json");
    g_autofree char *text = NULL;
    gsize len = 0;

    g_assert_true (g_file_get_contents (json, &text, &len, NULL));
    g_autoptr (GError) e1 = load_bytes (text, len);
    g_assert_error (e1, FSIM_POPULATION_ERROR, FSIM_POPULATION_ERROR_SNAPSHOT_FOREIGN);
    fsim_assert_contains (e1->message, "is not a flowsim population snapshot");
    /* said where the scenario names it, as an import's error is (issue 11's fourth pass) */
    g_assert_true (
        g_str_has_prefix (e1->message, "--set population.snapshot:1:21: population.snapshot: "));

    /* the magic with a line-ending conversion (CR LF -> LF) is foreign too */
    g_autoptr (GString) lf = g_string_new_len (good->str, (gssize) good->len);
    g_string_erase (lf, 12, 1);
    g_autoptr (GError) e2 = load_bytes (lf->str, lf->len);
    g_assert_error (e2, FSIM_POPULATION_ERROR, FSIM_POPULATION_ERROR_SNAPSHOT_FOREIGN);

    /* another version: a later one, or 0 */
    g_autoptr (GString) v3 = g_string_new_len (good->str, (gssize) good->len);
    v3->str[16] = 3;
    g_autoptr (GError) e3 = load_bytes (v3->str, v3->len);
    g_assert_error (e3, FSIM_POPULATION_ERROR, FSIM_POPULATION_ERROR_SNAPSHOT_FOREIGN);
    fsim_assert_contains (e3->message, "format version 3; this flowsim reads versions 1 to 2 only");
    v3->str[16] = 0;
    g_autoptr (GError) e0 = load_bytes (v3->str, v3->len);
    g_assert_error (e0, FSIM_POPULATION_ERROR, FSIM_POPULATION_ERROR_SNAPSHOT_FOREIGN);
    fsim_assert_contains (e0->message, "format version 0;");
}

/* Recomputes every checksum of @f, as a forger (or a bug) would: what is behind them. */
static void
reseal (GString *f)
{
    guint64 data_at, sums_at, v;
    guint32 n_sections;

    memcpy (&data_at, f->str + 96, 8);
    memcpy (&sums_at, f->str + 88, 8);
    memcpy (&n_sections, f->str + 80, 4);
    guint32 chunk_log2;
    memcpy (&chunk_log2, f->str + 84, 4);
    guint64 chunk = (guint64) 1 << chunk_log2;
    size_t n = 0;
    for (guint64 at = data_at; at < sums_at; at += chunk, n++) {
        v = fsim_checksum64 (f->str + at, MIN (chunk, sums_at - at), 0);
        memcpy (f->str + sums_at + 8 * n, &v, 8);
    }
    v = fsim_checksum64 (f->str + sums_at, 8 * n, 0);
    memcpy (f->str + 104, &v, 8);
    v = fsim_i_snapshot_header_checksum (f->str, n_sections);
    memcpy (f->str + 112, &v, 8);
}

/* The offset of section @kind in @f. */
static guint64
section_offset (const GString *f, guint32 kind)
{
    guint32 n;

    memcpy (&n, f->str + 80, 4);
    for (guint32 i = 0; i < n; i++) {
        const char *e = f->str + FSIM_SNAPSHOT_HEADER_SIZE + i * FSIM_SNAPSHOT_ENTRY_SIZE;
        guint32 k;
        guint64 off;
        memcpy (&k, e, 4);
        memcpy (&off, e + 8, 8);
        if (k == kind)
            return off;
    }
    g_assert_not_reached ();
}

static void
test_snapshot_resealed (void)
{
    struct {
        guint32 kind;
        size_t at;
        guint8 value;
        const char *message;
    } cases[] = {
        { FSIM_SNAPSHOT_ADJ, 8, 0xff, "a friend list names a user beyond the 1500 users" },
        { FSIM_SNAPSHOT_OFFSETS, 8 * 7 + 7, 0x7f, "the friend list offsets are not in order" },
        { FSIM_SNAPSHOT_AUDIENCE, 3, 9, "an audience is out of range (9)" },
        { FSIM_SNAPSHOT_USES, 7, 0x80, "a bit set names a field or partner that does not exist" },
        { FSIM_SNAPSHOT_NEAR, 15, 0x80, "a bit set names a field or partner that does not exist" },
        { FSIM_SNAPSHOT_PARTNERS, 0, 0xff, "the partner ids are not 60 strings" },
        /* an escape sequence in an id (messages quote ids) */
        { FSIM_SNAPSHOT_PARTNERS, 1, 0x1b, "the partner ids are not 60 strings" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autoptr (GString) f = g_string_new_len (good->str, (gssize) good->len);
        f->str[section_offset (f, cases[i].kind) + cases[i].at] = (char) cases[i].value;
        if (cases[i].kind == FSIM_SNAPSHOT_ADJ)
            memset (f->str + section_offset (f, cases[i].kind) + cases[i].at, 0xff, 4);
        reseal (f);
        g_autoptr (GError) e = load_bytes (f->str, f->len);
        g_assert_error (e, FSIM_POPULATION_ERROR, FSIM_POPULATION_ERROR_SNAPSHOT_CORRUPT);
        fsim_assert_contains (e->message, cases[i].message);
    }
}

/* The offset and size of section @kind in @f. */
static void
section_bytes (const GString *f, guint32 kind, guint64 *out_offset, guint64 *out_bytes)
{
    guint64 off = section_offset (f, kind);
    guint32 n;

    memcpy (&n, f->str + 80, 4);
    for (guint32 i = 0; i < n; i++) {
        const char *e = f->str + FSIM_SNAPSHOT_HEADER_SIZE + i * FSIM_SNAPSHOT_ENTRY_SIZE;
        guint64 at;
        memcpy (&at, e + 8, 8);
        if (at == off)
            memcpy (out_bytes, e + 24, 8);
    }
    *out_offset = off;
}

/* @f cut into checksum chunks of 2^@log2 bytes instead (as a flowsim of another chunk size
 * saves them), resealed. */
static void
rechunk (GString *f, guint32 log2)
{
    guint64 data_at, sums_at, size;

    memcpy (&data_at, f->str + 96, 8);
    memcpy (&sums_at, f->str + 88, 8);
    size = sums_at + 8 * ((sums_at - data_at + ((guint64) 1 << log2) - 1) >> log2);
    g_string_set_size (f, size);
    memcpy (f->str + 24, &size, 8);
    memcpy (f->str + 84, &log2, 4);
    reseal (f);
}

/* 70,000 users of 4 friends: the file spans several checksum chunks, with a chunk boundary
 * inside the friend list offsets, the friend lists and the audiences. */
/* Issue 11: the population text of a snapshot is compared where it lies in the file, without
 * copying or splitting it (its size is the file's to choose), and a message quotes at most 200
 * bytes of a value. Forged and resealed: a key renamed, and the last field of the long
 * "fields=" line changed (main quoted the whole line, and split the text to find it). */
static void
test_snapshot_resealed_text (void)
{
    g_autoptr (GString) f = g_string_new_len (good->str, (gssize) good->len);
    guint64 at, bytes;
    section_bytes (f, FSIM_SNAPSHOT_SPEC, &at, &bytes);
    char *seed = g_strstr_len (f->str + at, (gssize) bytes, "\nseed=");
    g_assert_nonnull (seed);
    seed[2] = 'E';
    reseal (f);
    g_autoptr (GError) e = load_bytes (f->str, f->len);
    g_assert_error (e, FSIM_POPULATION_ERROR, FSIM_POPULATION_ERROR_SNAPSHOT_MISMATCH);
    fsim_assert_contains (e->message, "another population: the seed is '20180603' in the "
                                      "scenario and '(nothing)' in the snapshot (");

    g_string_overwrite_len (f, 0, good->str, (gssize) good->len);
    char *fields = g_strstr_len (f->str + at, (gssize) bytes, "\nfields=");
    g_assert_nonnull (fields);
    char *end = strchr (fields + 1, '\n');
    g_assert_cmpint (end - fields, >, 300);
    end[-1] = end[-1] == 'x' ? 'y' : 'x';
    reseal (f);
    g_autoptr (GError) e2 = load_bytes (f->str, f->len);
    g_assert_error (e2, FSIM_POPULATION_ERROR, FSIM_POPULATION_ERROR_SNAPSHOT_MISMATCH);
    g_autofree char *mine = g_strdup_printf ("population.fields is '%.200s...' in the scenario "
                                             "and '%.200s...' in the snapshot (",
                                             good->str + (fields - f->str) + 8, fields + 8);
    fsim_assert_contains (e2->message, mine);
}

static const char *const wide[] = { "population.users=70000", "population.mean_degree=4", NULL };

/* The population of device-partners-2018 with @wide, and its snapshot in *@out_file. */
static FsimPopulation *
wide_population (GString **out_file)
{
    g_autofree char *path = scenario_path ("device-partners-2018.json");
    g_autoptr (FsimScenario) s = NULL;
    g_autoptr (GError) error = NULL;
    FsimPopulation *pop = load_with (path, wide, NULL, &s, &error);

    g_assert_no_error (error);
    *out_file = snapshot_of (s, pop);
    return pop;
}

/*
 * The values behind the checksums are checked a chunk at a time, in parallel (population-
 * snapshot-check.c): a bad value is found in whichever chunk it lies, including an offset that
 * falls below the one before it across a chunk boundary, and of two bad audiences in different
 * chunks the message names the first in the file. A file cut into another chunk size (16 MiB,
 * as the first flowsim saved them) loads the same, and is checked the same.
 */
static void
test_snapshot_resealed_chunks (void)
{
    g_autoptr (GString) file = NULL;
    g_autoptr (FsimPopulation) pop = wide_population (&file);
    guint64 chunk = (guint64) 1 << FSIM_SNAPSHOT_CHUNK_LOG2, data_at, sums_at;
    guint64 off_at, off_bytes, adj_at, adj_bytes, aud_at, aud_bytes, uses_at, uses_bytes;
    memcpy (&data_at, file->str + 96, 8);
    memcpy (&sums_at, file->str + 88, 8);
    section_bytes (file, FSIM_SNAPSHOT_OFFSETS, &off_at, &off_bytes);
    section_bytes (file, FSIM_SNAPSHOT_ADJ, &adj_at, &adj_bytes);
    section_bytes (file, FSIM_SNAPSHOT_AUDIENCE, &aud_at, &aud_bytes);
    section_bytes (file, FSIM_SNAPSHOT_USES, &uses_at, &uses_bytes);
    /* the first offset of the second chunk, and the audiences over three chunks at least */
    guint64 boundary = data_at + chunk;
    g_assert_cmpuint (off_at, <, boundary);
    g_assert_cmpuint (off_at + off_bytes, >, boundary + 8);
    g_assert_cmpuint (aud_bytes, >, 2 * chunk);
    g_assert_cmpuint ((sums_at - data_at) / chunk, >=, 4);
    struct {
        guint64 at, also; /* bytes set to 0xff, 0 for none */
        guint8 value;
        size_t len;
        const char *message;
    } cases[] = {
        { boundary, 0, 0, 8, "the friend list offsets are not in order" },
        { adj_at + adj_bytes - 4, 0, 0xff, 4, "a friend list names a user beyond the 70000 users" },
        { aud_at + aud_bytes - 1, 0, 9, 1, "an audience is out of range (9)" },
        { aud_at + aud_bytes - 1, aud_at + chunk, 9, 1, "an audience is out of range (255)" },
        { uses_at + uses_bytes - 1, 0, 0x80, 1,
          "a bit set names a field or partner that does not exist" },
    };

    for (int sizes = 0; sizes < 2; sizes++) {
        for (size_t i = 0; i < G_N_ELEMENTS (cases); i++) {
            g_autoptr (GString) f = g_string_new_len (file->str, (gssize) file->len);
            memset (f->str + cases[i].at, cases[i].value, cases[i].len);
            if (cases[i].also)
                f->str[cases[i].also] = (char) 0xff;
            if (sizes == 1)
                rechunk (f, 24);
            else
                reseal (f);
            g_autoptr (GError) e = NULL;
            g_autoptr (FsimPopulation) bad = load_bytes_with (wide, f->str, f->len, &e);
            g_assert_null (bad);
            g_assert_error (e, FSIM_POPULATION_ERROR, FSIM_POPULATION_ERROR_SNAPSHOT_CORRUPT);
            fsim_assert_contains (e->message, cases[i].message);
        }
    }
    /* 16 MiB chunks load, and a byte changed in them is caught by its checksum */
    g_autoptr (GString) old = g_string_new_len (file->str, (gssize) file->len);
    rechunk (old, 24);
    g_assert_cmpuint (old->len, <, file->len);
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimPopulation) back = load_bytes_with (wide, old->str, old->len, &error);
    g_assert_no_error (error);
    assert_same_population (pop, back);
    old->str[aud_at + 5] ^= 1;
    g_autoptr (GError) e = NULL;
    g_autoptr (FsimPopulation) bad = load_bytes_with (wide, old->str, old->len, &e);
    g_assert_null (bad);
    fsim_assert_contains (e->message, "corrupt data: the checksum of bytes");
}

/* ---- by parts, as MPI ranks read it (threads here) ---------------------------------------- */

typedef struct {
    const FsimScenario *s;
    FsimPopulationSlice **slices; /* per rank */
    GError **errors;              /* per rank */
} Parts;

static void
load_part (const FsimComm *comm, void *data)
{
    Parts *p = data;

    p->slices[comm->rank] = fsim_population_slice_load (p->s, comm, 1, &p->errors[comm->rank]);
}

/* Loads @file as the snapshot of device-partners-2018 with @sets over @size ranks, and checks
 * that either every rank has the rows fsim_population_slice_new() takes from @whole, or every
 * rank fails with @message (the one the whole load gives). */
static void
check_parts (const char *const *sets, const GString *file, int size, const FsimPopulation *whole,
             const char *message)
{
    g_autofree char *name = g_strdup_printf ("parts-%zu.fsp", n_written++);
    g_autofree char *snap = save (name, file);
    g_autofree char *path = scenario_path ("device-partners-2018.json");
    g_autoptr (GPtrArray) all = g_ptr_array_new_with_free_func (g_free);
    for (size_t i = 0; sets[i]; i++)
        g_ptr_array_add (all, g_strdup (sets[i]));
    g_ptr_array_add (all, g_strdup_printf ("population.snapshot=%s", snap));
    g_ptr_array_add (all, NULL);
    g_autoptr (FsimScenario) s = fsim_test_load (path, (const char *const *) all->pdata);
    g_autofree FsimPopulationSlice **slices = g_new0 (FsimPopulationSlice *, (size_t) size);
    g_autofree GError **errors = g_new0 (GError *, (size_t) size);
    Parts parts = { s, slices, errors };

    fsim_test_comm_run (size, load_part, &parts);
    for (int r = 0; r < size; r++) {
        g_autoptr (FsimPopulationSlice) got = slices[r];
        g_autoptr (GError) e = errors[r];
        if (message != NULL) {
            g_assert_null (got);
            g_assert_error (e, FSIM_POPULATION_ERROR, FSIM_POPULATION_ERROR_SNAPSHOT_CORRUPT);
            /* the same message, but for the file's name */
            g_assert_nonnull (strstr (e->message, ".fsp: "));
            g_assert_cmpstr (strstr (e->message, ".fsp: "), ==, strstr (message, ".fsp: "));
            continue;
        }
        g_assert_no_error (e);
        size_t first = fsim_population_slice_first (whole->n_users, (size_t) size, (size_t) r);
        size_t last = fsim_population_slice_first (whole->n_users, (size_t) size, (size_t) r + 1);
        g_autoptr (FsimPopulationSlice) want =
            fsim_population_slice_new (whole, first, last - first, NULL);
        g_assert_cmpuint (got->n_total, ==, whole->n_users);
        fsim_test_assert_same_slice (got, want);
    }
}

/*
 * An MPI rank reads and checks only the chunks of its users (fsim_population_slice_load): its
 * rows are those of the whole population, and a damaged file gives every rank the message the
 * whole load gives, whichever rank saw the damage. Two changed bytes, one in the first users'
 * uses (the first rank's, late in the file) and one at four fifths of the friend lists (the last
 * rank's, earlier): the ranks agree on the earlier, as one process reports it.
 */
static void
test_snapshot_parts (void)
{
    g_autoptr (GString) file = NULL;
    g_autoptr (FsimPopulation) pop = wide_population (&file);
    guint64 adj_at, adj_bytes, aud_at, aud_bytes, uses_at, uses_bytes;
    section_bytes (file, FSIM_SNAPSHOT_ADJ, &adj_at, &adj_bytes);
    section_bytes (file, FSIM_SNAPSHOT_AUDIENCE, &aud_at, &aud_bytes);
    section_bytes (file, FSIM_SNAPSHOT_USES, &uses_at, &uses_bytes);
    struct {
        guint64 at, also;
        gboolean reseal;
    } cases[] = {
        { uses_at + 3, adj_at + adj_bytes * 4 / 5, FALSE }, /* two checksums */
        { aud_at + 2, aud_at + aud_bytes - 1, TRUE },       /* two audiences: the first */
        { adj_at + adj_bytes - 1, 0, TRUE },                /* a friend beyond the users */
    };

    for (int size = 1; size <= 4; size++)
        check_parts (wide, file, size, pop, NULL);
    for (size_t i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autoptr (GString) f = g_string_new_len (file->str, (gssize) file->len);
        f->str[cases[i].at] = (char) 0x7f;
        if (cases[i].also)
            f->str[cases[i].also] = (char) 0x7e;
        if (cases[i].reseal)
            reseal (f);
        g_autoptr (GError) e = NULL;
        g_autoptr (FsimPopulation) bad = load_bytes_with (wide, f->str, f->len, &e);
        g_assert_null (bad);
        g_assert_error (e, FSIM_POPULATION_ERROR, FSIM_POPULATION_ERROR_SNAPSHOT_CORRUPT);
        for (int size = 2; size <= 4; size++)
            check_parts (wide, f, size, pop, e->message);
    }
}

/*
 * A rank reading a snapshot by parts carries its users' names (explicit users' ids, GraphML node
 * ids, an edge list's ids), the names the whole population gives them, for 1 to 3 ranks.
 */
static void
test_snapshot_parts_names (void)
{
    g_autofree char *tour = scenario_path ("tour.json");
    g_autofree char *graphml = fsim_test_data_path ("scale", "import-graphml.json", NULL);
    g_autofree char *edges = fsim_test_data_path ("scale", "import-edges.json", NULL);
    const char *paths[] = { tour, graphml, edges };

    for (size_t i = 0; i < G_N_ELEMENTS (paths); i++) {
        g_autoptr (GError) error = NULL;
        g_autoptr (FsimScenario) s = NULL, s2 = NULL;
        g_autoptr (FsimPopulation) pop = load_with (paths[i], NULL, NULL, &s, &error);
        g_assert_no_error (error);
        g_assert_true (pop->user_ids || pop->file_names || pop->file_ids);
        g_autoptr (GString) bytes = snapshot_of (s, pop);
        g_autofree char *name = g_strdup_printf ("names-%zu.fsp", i);
        g_autofree char *file = save (name, bytes);
        g_autofree char *use = g_strdup_printf ("population.snapshot=%s", file);
        s2 = fsim_test_load (paths[i], (const char *const[]){ use, NULL });
        for (int size = 1; size <= 3; size++) {
            g_autofree FsimPopulationSlice **slices = g_new0 (FsimPopulationSlice *, (size_t) size);
            g_autofree GError **errors = g_new0 (GError *, (size_t) size);
            Parts parts = { s2, slices, errors };
            fsim_test_comm_run (size, load_part, &parts);
            for (int r = 0; r < size; r++) {
                g_autoptr (FsimPopulationSlice) got = slices[r];
                g_assert_no_error (errors[r]);
                g_assert_true ((got->names != NULL) == (pop->user_ids || pop->file_names));
                g_assert_true ((got->file_ids != NULL) == (pop->file_ids != NULL));
                for (size_t u = 0; u < got->n_own; u++) {
                    g_autofree char *want = fsim_population_user_name (pop, got->first + u);
                    g_autofree char *have =
                        got->names ? g_strdup (got->names[u])
                                   : g_strdup_printf ("%" G_GINT64_FORMAT, got->file_ids[u]);
                    g_assert_cmpstr (have, ==, want);
                }
                if (got->names)
                    g_assert_null (got->names[got->n_own]);
            }
        }
    }
}

/*
 * A snapshot is used mapped: one cut short by another program while flowsim runs (here by
 * tests/truncate-inject.c, right after flowsim maps it) raises SIGBUS when a page past the new end
 * is touched. flowsim says so and ends with status 3; the output named by -o is left as it was,
 * and no temporary file is left beside it.
 */
static void
test_snapshot_cut_while_mapped (void)
{
    g_autofree char *dir = fsim_test_scratch_new ();
    g_autofree char *snap = fsim_test_write (dir, "cut.fsp", good->str, (gssize) good->len);
    g_auto (GStrv) env = fsim_test_truncate_env (snap);
    if (env == NULL) {
        fsim_test_scratch_free (g_steal_pointer (&dir));
        return;
    }
    g_autofree char *report = fsim_test_write (dir, "report.txt", "the old report\n", -1);
    g_autofree char *path = scenario_path ("device-partners-2018.json");
    g_autofree char *use = g_strdup_printf ("population.snapshot=%s", snap);
    g_autoptr (FsimTestRun) run =
        fsim_test_run (NULL, (const char *const *) env,
                       (const char *const[]){ "run", path, "--set", "population.users=1500",
                                              "--set", use, "-o", report, NULL });
    g_assert_cmpint (run->status, ==, 3);
    g_assert_cmpstr (run->err, ==,
                     "flowsim: error: a file flowsim had mapped (a population snapshot) was cut "
                     "short while it was being read; no output was written\n");
    g_autofree char *kept = NULL;
    g_assert_true (g_file_get_contents (report, &kept, NULL, NULL));
    g_assert_cmpstr (kept, ==, "the old report\n");
    g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
    guint n = 0;
    while (g_dir_read_name (d))
        n++;
    g_assert_cmpuint (n, ==, 2); /* cut.fsp and report.txt */
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

/* A what-if that changes the population, or a scenario with other fields, is refused. */
static void
test_snapshot_mismatch (void)
{
    g_autofree char *path = scenario_path ("device-partners-2018.json");
    g_autofree char *tour = scenario_path ("tour.json");
    g_autofree char *file = save ("mismatch.fsp", good);
    struct {
        const char *path;
        const char *set;
        const char *message;
    } cases[] = {
        { path, "population.mean_degree=100", "population.mean_degree is '100' in the scenario" },
        { path, "seed=7", "the seed is" },
        { path, "population.settings.platform_off=0.5", "population.settings.platform_off is" },
        { path, "population.adoption_model=clustered", "population.adoption_model is 'clustered'" },
        { tour, NULL,
          "was saved for other fields: field 1 is 'identity.name' in the scenario and "
          "'identity.user_id' in the snapshot" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autoptr (GError) error = NULL;
        const char *sets[] = { "population.users=1500", cases[i].set, NULL };
        const char *const *use = cases[i].set ? sets : NULL;
        g_autoptr (FsimPopulation) pop = load_with (cases[i].path, use, file, NULL, &error);
        g_assert_null (pop);
        g_assert_error (error, FSIM_POPULATION_ERROR, FSIM_POPULATION_ERROR_SNAPSHOT_MISMATCH);
        fsim_assert_contains (error->message, cases[i].message);
    }
}

/* ---- streamed saving (issue 15) ------------------------------------------------------------ */

/*
 * `population --save` streams the file a checksum chunk (512 KiB) at a time through the output
 * writer, hashing each chunk from a buffer of its own: at 60,000 users of mean degree 100 the
 * file spans many chunks, and the streamed file is byte for byte the one made in memory, and
 * loads (every chunk's checksum is checked).
 */
static void
test_snapshot_streamed (void)
{
    g_autofree char *path = scenario_path ("device-partners-2018.json");
    const char *const big[] = { "population.users=60000", "population.mean_degree=100", NULL };
    g_autoptr (FsimScenario) s = fsim_test_load (path, big);
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimPopulation) pop = fsim_population_build (s, &error);
    g_assert_no_error (error);
    g_autoptr (GString) bytes = snapshot_of (s, pop);
    g_assert_cmpuint (bytes->len, >, (gsize) 1 << FSIM_SNAPSHOT_CHUNK_LOG2);

    g_autofree char *file = g_build_filename (scratch, "streamed.fsp", NULL);
    g_autoptr (FsimTestRun) saved =
        FSIM_RUN ("population", path, "--set", big[0], "--set", big[1], "--save", file);
    g_assert_cmpint (saved->status, ==, FSIM_EXIT_OK);
    g_autofree char *streamed = NULL;
    gsize len = 0;
    g_assert_true (g_file_get_contents (file, &streamed, &len, NULL));
    g_assert_cmpuint (len, ==, bytes->len);
    g_assert_true (memcmp (streamed, bytes->str, len) == 0);

    g_autoptr (FsimScenario) s2 = NULL;
    g_autoptr (FsimPopulation) loaded = load_with (path, big, file, &s2, &error);
    g_assert_no_error (error);
    g_assert_nonnull (loaded);
    g_assert_cmpuint (loaded->n_users, ==, 60000);
}

/* ---- the command line --------------------------------------------------------------------- */

static void
test_snapshot_cli (void)
{
    g_autofree char *path = scenario_path ("device-partners-2018.json");
    g_autofree char *file = g_build_filename (scratch, "cli.fsp", NULL);
    g_autofree char *use = g_strdup_printf ("population.snapshot=%s", file);
    g_autoptr (FsimTestRun) saved =
        FSIM_RUN ("population", path, "--set", "population.users=1500", "--save", file);

    g_assert_cmpint (saved->status, ==, FSIM_EXIT_OK);
    g_assert_true (g_file_test (file, G_FILE_TEST_IS_REGULAR));
    for (int json = 0; json < 2; json++) {
        g_autoptr (FsimTestRun) a = FSIM_RUN ("run", path, "--set", "population.users=1500",
                                              "--format", json ? "json" : "text");
        g_autoptr (FsimTestRun) b = FSIM_RUN ("run", path, "--set", "population.users=1500",
                                              "--set", use, "--format", json ? "json" : "text");
        g_assert_cmpint (a->status, ==, FSIM_EXIT_OK);
        g_assert_cmpint (b->status, ==, FSIM_EXIT_OK);
        /* the same report, but for the echo of the snapshot's own override */
        g_autofree char *quoted = g_strdup_printf (
            "  Override                population.snapshot=\"%s\" (1 value)\n", file);
        if (!json) {
            g_autoptr (GString) without = g_string_new (b->out);
            g_assert_cmpuint (g_string_replace (without, quoted, "", 1), ==, 1);
            g_assert_cmpstr (without->str, ==, a->out);
            continue;
        }
        g_autoptr (GHashTable) ja = json_check_parse (a->out);
        g_autoptr (GHashTable) jb = json_check_parse (b->out);
        g_assert_cmpstr (g_hash_table_lookup (jb, "overrides[1].path"), ==, "population.snapshot");
        GHashTableIter it;
        gpointer k, v;
        g_hash_table_iter_init (&it, ja);
        while (g_hash_table_iter_next (&it, &k, &v))
            if (strcmp (k, "overrides#") != 0) /* the overrides' count */
                g_assert_cmpstr (g_hash_table_lookup (jb, k), ==, v);
        g_hash_table_iter_init (&it, jb);
        while (g_hash_table_iter_next (&it, &k, &v))
            if (!g_hash_table_contains (ja, k) && !g_str_has_prefix (k, "overrides[1]"))
                g_assert_cmpstr (k, ==, "(a key only the snapshot's report has)");
    }
    /* diff and timeline on the snapshot (named by a scenario that extends the bundled one):
     * the same answers as on the generated population */
    g_autofree char *plain_text =
        g_strdup_printf ("{\"extends\": \"%s\", \"population\": {\"users\": 1500}}", path);
    g_autofree char *snap_text =
        g_strdup_printf ("{\"extends\": \"%s\", \"population\": {\"users\": 1500, \"snapshot\": "
                         "\"cli.fsp\"}}",
                         path);
    g_autofree char *plain = fsim_test_write (scratch, "plain.json", plain_text, -1);
    g_autofree char *snap = fsim_test_write (scratch, "snap.json", snap_text, -1);
    g_autoptr (FsimTestRun) d1 =
        FSIM_RUN ("diff", plain, "--exit-code", "--set", "date=2018-07-01", "--format", "json");
    g_autoptr (FsimTestRun) d2 =
        FSIM_RUN ("diff", snap, "--exit-code", "--set", "date=2018-07-01", "--format", "json");
    g_assert_cmpint (d1->status, ==, 1); /* the what-if changes something */
    g_assert_cmpint (d2->status, ==, d1->status);
    g_auto (GStrv) parts = g_strsplit (d2->out, "snap.json", -1);
    g_autofree char *d2_named = g_strjoinv ("plain.json", parts); /* the file names differ */
    g_assert_true (strcmp (d2_named, d1->out) == 0);
    g_autofree char *only = g_strdup_printf ("population={\"snapshot\": \"%s\"}", file);
    g_autoptr (FsimTestRun) t1 =
        FSIM_RUN ("timeline", plain, "--from", "2012-01-01", "--to", "2019-01-01");
    g_autoptr (FsimTestRun) t2 =
        FSIM_RUN ("timeline", path, "--set", only, "--from", "2012-01-01", "--to", "2019-01-01");
    g_assert_cmpint (t1->status, ==, FSIM_EXIT_OK);
    g_assert_cmpstr (t2->out, ==, t1->out);

    /* a damaged file: exit 3 and one line that says what is wrong */
    g_autofree char *cut = fsim_test_write (scratch, "cut.fsp", good->str, 5000);
    g_autofree char *use_cut = g_strdup_printf ("population.snapshot=%s", cut);
    g_autoptr (FsimTestRun) r =
        FSIM_RUN ("run", path, "--set", "population.users=1500", "--set", use_cut);
    g_assert_cmpint (r->status, ==, FSIM_EXIT_INPUT);
    g_assert_cmpstr (r->out, ==, "");
    fsim_assert_contains (r->err, "flowsim: error: ");
    fsim_assert_contains (r->err, "cut.fsp: truncated: 5000 bytes, but the header says");
    /* a FIFO is refused at once, not waited on */
    g_autofree char *fifo = g_build_filename (scratch, "fifo.fsp", NULL);
    g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
    g_autofree char *use_fifo = g_strdup_printf ("population.snapshot=%s", fifo);
    g_autoptr (FsimTestRun) ff =
        FSIM_RUN ("run", path, "--set", "population.users=1500", "--set", use_fifo);
    g_assert_cmpint (ff->status, ==, FSIM_EXIT_INPUT);
    fsim_assert_contains (ff->err, "fifo.fsp: not a regular file");
    /* a what-if on the population: exit 3 */
    g_autoptr (FsimTestRun) w = FSIM_RUN ("run", path, "--set", "population.users=1500", "--set",
                                          use, "--set", "population.mean_degree=50");
    g_assert_cmpint (w->status, ==, FSIM_EXIT_INPUT);
    fsim_assert_contains (w->err, "a what-if on a snapshot cannot change the population");
    /* the population description says where it came from */
    g_autoptr (FsimTestRun) p = FSIM_RUN ("population", path, "--set", only);
    g_assert_cmpint (p->status, ==, FSIM_EXIT_OK);
    fsim_assert_contains (p->out, "  Source                      snapshot ");
    fsim_assert_contains (p->out, "  Users                       1,500\n");
}

int
main (int argc, char *argv[])
{
    g_test_init (&argc, &argv, NULL);
    scratch = fsim_test_scratch_new ();
    good_init ();
    g_test_add_func ("/snapshot/checksum/vectors", test_snapshot_checksum_vectors);
    g_test_add_func ("/snapshot/checksum/streamed", test_snapshot_checksum_streamed);
    g_test_add_func ("/snapshot/round-trip/generated", test_snapshot_round_trip_generated);
    g_test_add_func ("/snapshot/round-trip/clustered", test_snapshot_round_trip_clustered);
    g_test_add_func ("/snapshot/round-trip/explicit", test_snapshot_round_trip_explicit);
    g_test_add_func ("/snapshot/round-trip/imported", test_snapshot_round_trip_imported);
    g_test_add_func ("/snapshot/damaged/truncated", test_snapshot_truncated);
    g_test_add_func ("/snapshot/damaged/any-byte", test_snapshot_corrupt_anywhere);
    g_test_add_func ("/snapshot/damaged/resealed", test_snapshot_resealed);
    g_test_add_func ("/snapshot/damaged/resealed-chunks", test_snapshot_resealed_chunks);
    g_test_add_func ("/snapshot/damaged/resealed-text", test_snapshot_resealed_text);
    g_test_add_func ("/snapshot/parts", test_snapshot_parts);
    g_test_add_func ("/snapshot/parts/names", test_snapshot_parts_names);
    g_test_add_func ("/snapshot/damaged/cut-while-mapped", test_snapshot_cut_while_mapped);
    g_test_add_func ("/snapshot/foreign", test_snapshot_foreign);
    g_test_add_func ("/snapshot/located", test_snapshot_located);
    g_test_add_func ("/snapshot/mismatch", test_snapshot_mismatch);
    g_test_add_func ("/snapshot/cli", test_snapshot_cli);
    g_test_add_func ("/snapshot/streamed", test_snapshot_streamed);
    int status = g_test_run ();
    g_string_free (good, TRUE);
    fsim_test_scratch_free (scratch);
    return status;
}
