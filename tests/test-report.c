/* SPDX-License-Identifier: MIT */
/* test-report.c: the text, JSON and CSV renderings of a hand-made scenario and result. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "friends.h"
#include "json-check.h"
#include "report.h"
#include "room.h"
#include "test-util.h"

/*
 * The fixture is built by hand (no loader, no engine), with strings no loader would accept,
 * so the report's escaping is tested on its own. The counts are arbitrary but chosen so that
 * every case of a destination count shows: exact because the destination receives every field
 * that reached its partner, exact because it receives only one, and a lower bound.
 *
 * Fields: 0 profile.birthday, 1 profile.religion (sensitive), 2 a formula-like id.
 * Partners: 0 quiz (cloud: US server, all fields; archive: IE server, fields 0 1),
 *           1 huawei (handset: device, fields 0 1; +backup: CN server, field 1),
 *           2 @idle (-x: IE server, field 0), reached by nobody.
 */
enum { N_FIELDS = 3, N_PARTNERS = 3, N_JURISDICTIONS = 5 };

/* String literals are const (-Wwrite-strings); the model's strings are not. */
#define S(literal) ((char *) (literal))

#define EVIL_NAME "Quiz \"Co\", back\\slash\nnew\ttab\x01\x1b[31mred\x7f"

typedef struct {
    FsimScenario scenario;
    FsimField fields[N_FIELDS];
    FsimPartner partners[N_PARTNERS];
    FsimDestination destinations[5];
    FsimWord dest_fields[5];
    FsimPopulation pop;
    guint8 platform[4];
    FsimResult result;
    size_t counts[64 + 8 * N_FIELDS * N_PARTNERS];
    char *jurisdictions[N_JURISDICTIONS];
} Fixture;

static FsimDestination
make_destination (const char *id, const char *jurisdiction, FsimWord *fields, FsimWord bits)
{
    *fields = bits;
    return (FsimDestination){ .id = (char *) id,
                              .on_device = jurisdiction == NULL,
                              .jurisdiction = (char *) jurisdiction,
                              .fields = fields };
}

static void
fixture_model (Fixture *x)
{
    FsimScenario *s = &x->scenario;
    x->fields[0] = (FsimField){ .id = S ("profile.birthday"), .label = S ("Birthday") };
    x->fields[1] = (FsimField){ .id = S ("profile.religion"),
                                .label = S ("Religious views"),
                                .sensitive = TRUE };
    x->fields[2] =
        (FsimField){ .id = S ("=HYPERLINK(\"x\")"), .label = S ("Label\x1b]0;pwned\x07") };
    x->destinations[0] = make_destination ("cloud", "US", &x->dest_fields[0], 7);
    x->destinations[1] = make_destination ("archive", "IE", &x->dest_fields[1], 3);
    x->destinations[2] = make_destination ("handset", NULL, &x->dest_fields[2], 3);
    x->destinations[3] = make_destination ("+backup", "CN", &x->dest_fields[3], 2);
    x->destinations[4] = make_destination ("-x", "IE", &x->dest_fields[4], 1);
    x->partners[0] = (FsimPartner){ .id = S ("quiz"),
                                    .name = S (EVIL_NAME),
                                    .kind = S ("app"),
                                    .country = S ("US"),
                                    .destinations = &x->destinations[0],
                                    .n_destinations = 2 };
    x->partners[1] = (FsimPartner){ .id = S ("huawei"),
                                    .name = S ("Huawei"),
                                    .kind = S ("device_maker"),
                                    .country = S ("CN"),
                                    .destinations = &x->destinations[2],
                                    .n_destinations = 2 };
    x->partners[2] = (FsimPartner){ .id = S ("@idle"),
                                    .name = S ("Idle"),
                                    .kind = S ("analytics"),
                                    .destinations = &x->destinations[4],
                                    .n_destinations = 1 };
    *s = (FsimScenario){ .id = S ("test-report"),
                         .title = S ("A \"title\"\n\\ with\ttabs"),
                         .date = 1,
                         .date_string = S ("2018-06-05"),
                         .seed = 42,
                         .fields = x->fields,
                         .n_fields = N_FIELDS,
                         .field_words = 1,
                         .partners = x->partners,
                         .n_partners = N_PARTNERS,
                         .partner_words = 1 };
}

/* Takes n counts from the fixture's pool, filled from @values. */
static size_t *
take (Fixture *x, size_t *used, const size_t *values, size_t n)
{
    size_t *a = &x->counts[*used];
    g_assert_cmpuint (*used + n, <=, G_N_ELEMENTS (x->counts));
    memcpy (a, values, n * sizeof *a);
    *used += n;
    return a;
}

static void
fixture_result (Fixture *x)
{
    FsimResult *r = &x->result;
    size_t used = 0;
    /* [f * N_PARTNERS + p] */
    static const size_t fp_users[] = { 4000, 6000, 0, 3000, 5000, 0, 100, 0, 0 };
    static const size_t fp_nc[] = { 3100, 3900, 0, 2500, 3000, 0, 100, 0, 0 };
    static const size_t fp_ch[FSIM_N_CHANNELS][9] = {
        { 900, 2100, 0, 500, 2000, 0, 0, 0, 0 },
        { 3000, 3900, 0, 2500, 3000, 0, 90, 0, 0 },
        { 1200, 0, 0, 800, 0, 0, 10, 0, 0 },
        { 17, 0, 0, 0, 0, 0, 0, 0, 0 },
    };
    static const char *const juris[N_JURISDICTIONS] = { "CN", "DE", "IE", "US", "device" };

    *r = (FsimResult){ .n_users = 1234567,
                       .n_friendships = 2345678,
                       .platform_off = 308642,
                       .n_fields = N_FIELDS,
                       .n_partners = N_PARTNERS,
                       .n_jurisdictions = N_JURISDICTIONS };
    r->partner_users = take (x, &used, (size_t[]){ 1000, 2500, 0 }, 3);
    r->partner_reached = take (x, &used, (size_t[]){ 5000, 7000, 0 }, 3);
    r->partner_reached_no_consent = take (x, &used, (size_t[]){ 4000, 4500, 0 }, 3);
    r->fp_users = take (x, &used, fp_users, 9);
    r->fp_no_consent = take (x, &used, fp_nc, 9);
    for (int c = 0; c < FSIM_N_CHANNELS; c++)
        r->fp_channel[c] = take (x, &used, fp_ch[c], 9);
    r->field_users = take (x, &used, (size_t[]){ 9000, 7500, 100 }, 3);
    r->field_no_consent = take (x, &used, (size_t[]){ 6000, 5000, 100 }, 3);
    for (int j = 0; j < N_JURISDICTIONS; j++)
        x->jurisdictions[j] = (char *) juris[j];
    r->jurisdictions = x->jurisdictions;
    r->jurisdiction_users = take (x, &used, (size_t[]){ 5000, 0, 4000, 5000, 7000 }, 5);
    r->jurisdiction_no_consent = take (x, &used, (size_t[]){ 3000, 0, 3100, 4000, 4500 }, 5);
}

static void
fixture_setup (Fixture *x, gconstpointer data)
{
    (void) data;
    memset (x, 0, sizeof *x);
    fixture_model (x);
    fixture_result (x);
    x->platform[1] = 1;
    x->platform[2] = 1;
    x->platform[3] = 1;
    x->pop = (FsimPopulation){ .n_users = 4,
                               .n_fields = N_FIELDS,
                               .field_words = 1,
                               .n_partners = N_PARTNERS,
                               .partner_words = 1,
                               .platform = x->platform };
}

static void
fixture_teardown (Fixture *x, gconstpointer data)
{
    (void) x;
    (void) data;
}

static char *
render (const Fixture *x, FsimReportFormat format)
{
    GString *out = g_string_new (NULL);
    fsim_report_render (&x->scenario, &x->pop, &x->result, format, out);
    return g_string_free (out, FALSE);
}

/* No byte below 0x20 but \n (and, where allowed, \r), no DEL; valid UTF-8. */
static void
assert_no_control_bytes (const char *text)
{
    g_assert_true (g_utf8_validate (text, -1, NULL));
    for (const unsigned char *p = (const unsigned char *) text; *p; p++)
        if (*p != '\n')
            g_assert_true (*p >= 0x20 && *p != 0x7f);
}

static void
test_report_format_from_string (void)
{
    FsimReportFormat f = FSIM_REPORT_CSV;
    g_assert_true (fsim_report_format_from_string ("text", &f));
    g_assert_cmpint (f, ==, FSIM_REPORT_TEXT);
    g_assert_true (fsim_report_format_from_string ("json", &f));
    g_assert_cmpint (f, ==, FSIM_REPORT_JSON);
    g_assert_true (fsim_report_format_from_string ("csv", &f));
    g_assert_cmpint (f, ==, FSIM_REPORT_CSV);
    g_assert_false (fsim_report_format_from_string ("JSON", &f));
    g_assert_false (fsim_report_format_from_string ("", &f));
    g_assert_false (fsim_report_format_from_string (NULL, &f));
    g_assert_cmpint (f, ==, FSIM_REPORT_CSV);
    for (int i = 0; i < _FSIM_REPORT_MAX; i++) {
        g_assert_true (fsim_report_format_from_string (fsim_report_format_to_string (i), &f));
        g_assert_cmpint (f, ==, i);
    }
}

static void
test_report_json_document (Fixture *x, gconstpointer data)
{
    g_autofree char *json = render (x, FSIM_REPORT_JSON);
    g_autoptr (GHashTable) doc = json_check_parse (json);
    (void) data;

    g_assert_nonnull (doc);
    g_assert_true (g_str_has_prefix (json, "{\n  \"flowsim\": \"" FSIM_VERSION "\",\n"));
    g_assert_true (g_str_has_suffix (json, "\n}\n"));
    g_assert_cmpstr (json_check_get (doc, "scenario"), ==, "test-report");
    g_assert_cmpstr (json_check_get (doc, "date"), ==, "2018-06-05");
    g_assert_cmpstr (json_check_get (doc, "seed"), ==, "42");
    g_assert_cmpstr (json_check_get (doc, "population.users"), ==, "1234567");
    g_assert_cmpstr (json_check_get (doc, "population.friendships"), ==, "2345678");
    g_assert_cmpstr (json_check_get (doc, "partners#"), ==, "3");
    g_assert_cmpstr (json_check_get (doc, "partners[1].users_reached"), ==, "7000");
    g_assert_cmpstr (json_check_get (doc, "partners[1].users_reached_without_consent"), ==, "4500");
    g_assert_cmpstr (json_check_get (doc, "partners[1].users"), ==, "2500");
    g_assert_cmpstr (json_check_get (doc, "partners[2].country"), ==, "null");
    g_assert_cmpstr (json_check_get (doc, "fields[1].sensitive"), ==, "true");
    g_assert_cmpstr (json_check_get (doc, "fields[0].sensitive"), ==, "false");
    g_assert_cmpstr (json_check_get (doc, "fields[0].users_without_consent"), ==, "6000");
    g_assert_cmpstr (json_check_get (doc, "jurisdictions#"), ==, "5");
    g_assert_cmpstr (json_check_get (doc, "jurisdictions[4].jurisdiction"), ==, "device");
    g_assert_cmpstr (json_check_get (doc, "jurisdictions[1].users"), ==, "0");
}

/* One row per (field, partner, destination receiving it), fields outermost, in model order. */
static void
test_report_json_flows (Fixture *x, gconstpointer data)
{
    static const char *const expected[][3] = {
        { "profile.birthday", "quiz", "cloud" },     { "profile.birthday", "quiz", "archive" },
        { "profile.birthday", "huawei", "handset" }, { "profile.birthday", "@idle", "-x" },
        { "profile.religion", "quiz", "cloud" },     { "profile.religion", "quiz", "archive" },
        { "profile.religion", "huawei", "handset" }, { "profile.religion", "huawei", "+backup" },
        { "=HYPERLINK(\"x\")", "quiz", "cloud" },
    };
    g_autofree char *json = render (x, FSIM_REPORT_JSON);
    g_autoptr (GHashTable) doc = json_check_parse (json);
    (void) data;

    g_assert_nonnull (doc);
    g_assert_cmpstr (json_check_get (doc, "flows#"), ==, "9");
    for (size_t i = 0; i < G_N_ELEMENTS (expected); i++) {
        g_autofree char *field = g_strdup_printf ("flows[%zu].field", i);
        g_autofree char *partner = g_strdup_printf ("flows[%zu].partner", i);
        g_autofree char *dest = g_strdup_printf ("flows[%zu].destination", i);
        g_assert_cmpstr (json_check_get (doc, field), ==, expected[i][0]);
        g_assert_cmpstr (json_check_get (doc, partner), ==, expected[i][1]);
        g_assert_cmpstr (json_check_get (doc, dest), ==, expected[i][2]);
    }
    g_assert_cmpstr (json_check_get (doc, "flows[2].location"), ==, "device");
    g_assert_cmpstr (json_check_get (doc, "flows[2].jurisdiction"), ==, "device");
    g_assert_cmpstr (json_check_get (doc, "flows[7].location"), ==, "server");
    g_assert_cmpstr (json_check_get (doc, "flows[7].jurisdiction"), ==, "CN");
    g_assert_cmpstr (json_check_get (doc, "flows[7].users"), ==, "5000");
    g_assert_cmpstr (json_check_get (doc, "flows[7].users_without_consent"), ==, "3000");
    g_assert_cmpstr (json_check_get (doc, "flows[0].channels.self"), ==, "900");
    g_assert_cmpstr (json_check_get (doc, "flows[0].channels.friend"), ==, "3000");
    g_assert_cmpstr (json_check_get (doc, "flows[0].channels.friend_of_friend"), ==, "1200");
    g_assert_cmpstr (json_check_get (doc, "flows[0].channels.downstream"), ==, "17");
}

static void
test_report_json_escaping (Fixture *x, gconstpointer data)
{
    g_autofree char *json = render (x, FSIM_REPORT_JSON);
    g_autoptr (GHashTable) doc = json_check_parse (json);
    (void) data;

    g_assert_nonnull (doc);
    assert_no_control_bytes (json);
    /* Every string survives the round trip exactly. */
    g_assert_cmpstr (json_check_get (doc, "partners[0].name"), ==, EVIL_NAME);
    g_assert_cmpstr (json_check_get (doc, "title"), ==, x->scenario.title);
    g_assert_cmpstr (json_check_get (doc, "fields[2].id"), ==, "=HYPERLINK(\"x\")");
    /* ... written the expected way. */
    g_assert_nonnull (strstr (json, "\"name\": \"Quiz \\\"Co\\\", back\\\\slash\\nnew\\ttab"
                                    "\\u0001\\u001b[31mred\\u007f\""));
    g_assert_nonnull (strstr (json, "\"title\": \"A \\\"title\\\"\\n\\\\ with\\ttabs\""));
}

static void
test_report_json_invalid_utf8 (Fixture *x, gconstpointer data)
{
    (void) data;
    x->partners[1].name = S ("Hua\xffwei \xe2\x80\xa8 \xc3\xa9");
    g_autofree char *json = render (x, FSIM_REPORT_JSON);
    g_autoptr (GHashTable) doc = json_check_parse (json);

    g_assert_nonnull (doc);
    /* The invalid byte becomes U+FFFD, U+2028 is escaped, é stays as it is. */
    g_assert_cmpstr (json_check_get (doc, "partners[1].name"), ==,
                     "Hua\xef\xbf\xbdwei \xe2\x80\xa8 \xc3\xa9");
    g_assert_nonnull (strstr (json, "wei \\u2028 \xc3\xa9\""));
}

static void
test_report_json_empty (void)
{
    FsimScenario s = { .id = NULL, .title = NULL, .date_string = S ("2015-04-30"), .seed = 1 };
    FsimResult r = { 0 };
    g_autoptr (GString) out = g_string_new (NULL);

    fsim_report_render (&s, NULL, &r, FSIM_REPORT_JSON, out);
    g_autoptr (GHashTable) doc = json_check_parse (out->str);
    g_assert_nonnull (doc);
    g_assert_cmpstr (json_check_get (doc, "scenario"), ==, "null");
    g_assert_cmpstr (json_check_get (doc, "title"), ==, "null");
    g_assert_cmpstr (json_check_get (doc, "flows#"), ==, "0");
    g_assert_nonnull (strstr (out->str, "\"flows\": [],\n"));
    g_assert_nonnull (strstr (out->str, "\"jurisdictions\": []\n}\n"));
}

/* Splits CSV text into records of cells (RFC 4180, LF line ends), strictly. */
static GPtrArray *
csv_parse (const char *text)
{
    GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
    GPtrArray *cells = g_ptr_array_new ();
    GString *cell = g_string_new (NULL);
    const char *p = text;

    while (*p) {
        if (*p == '"') {
            for (p++; !(*p == '"' && p[1] != '"'); p++) {
                g_assert_true (*p != '\0');
                if (*p == '"')
                    p++;
                g_string_append_c (cell, *p);
            }
            p++;
            g_assert_true (*p == ',' || *p == '\n');
        }
        if (*p == ',' || *p == '\n') {
            g_ptr_array_add (cells, g_strdup (cell->str));
            g_string_truncate (cell, 0);
            if (*p == '\n') {
                g_ptr_array_add (cells, NULL);
                g_ptr_array_add (rows, g_ptr_array_free (cells, FALSE));
                cells = g_ptr_array_new ();
            }
        } else {
            g_assert_true (*p != '"' && *p != '\r');
            g_string_append_c (cell, *p);
        }
        p++;
    }
    g_assert_cmpuint (cells->len, ==, 0); /* the text ends with a line end */
    g_ptr_array_free (cells, TRUE);
    g_string_free (cell, TRUE);
    return rows;
}

static void
test_report_csv_table (Fixture *x, gconstpointer data)
{
    g_autofree char *csv = render (x, FSIM_REPORT_CSV);
    g_autoptr (GPtrArray) rows = csv_parse (csv);
    (void) data;

    g_assert_true (g_str_has_prefix (csv, "field,partner,destination,location,jurisdiction,"
                                          "users,users_without_consent,self,friend,"
                                          "friend_of_friend,downstream\n"));
    g_assert_cmpuint (rows->len, ==, 10);
    for (guint i = 0; i < rows->len; i++)
        g_assert_cmpuint (g_strv_length (g_ptr_array_index (rows, i)), ==, 11);
    const char *const row0[] = { "profile.birthday",
                                 "quiz",
                                 "cloud",
                                 "server",
                                 "US",
                                 "4000",
                                 "3100",
                                 "900",
                                 "3000",
                                 "1200",
                                 "17",
                                 NULL };
    g_assert_true (g_strv_equal ((const char *const *) g_ptr_array_index (rows, 1), row0));
    const char *const row3[] = { "profile.birthday",
                                 "huawei",
                                 "handset",
                                 "device",
                                 "device",
                                 "6000",
                                 "3900",
                                 "2100",
                                 "3900",
                                 "0",
                                 "0",
                                 NULL };
    g_assert_true (g_strv_equal ((const char *const *) g_ptr_array_index (rows, 3), row3));
}

/* Formula-like cells get a leading ' and quotes; quotes inside are doubled. */
static void
test_report_csv_injection (Fixture *x, gconstpointer data)
{
    g_autofree char *csv = render (x, FSIM_REPORT_CSV);
    g_autoptr (GPtrArray) rows = csv_parse (csv);
    (void) data;

    g_assert_nonnull (strstr (csv, "\n\"'=HYPERLINK(\"\"x\"\")\",quiz,cloud,server,US,100,"));
    g_assert_nonnull (strstr (csv, ",\"'@idle\",\"'-x\",server,IE,0,"));
    g_assert_nonnull (strstr (csv, ",huawei,\"'+backup\",server,CN,5000,"));
    g_assert_cmpstr (((char **) g_ptr_array_index (rows, 9))[0], ==, "'=HYPERLINK(\"x\")");
    for (guint i = 1; i < rows->len; i++) {
        char **row = g_ptr_array_index (rows, i);
        for (int c = 0; row[c]; c++)
            g_assert_null (strchr ("=+-@\t\r", row[c][0] ? row[c][0] : 'x'));
    }
}

/* Cells holding separators, quotes or line ends are quoted; nothing else is. */
static void
test_report_csv_quoting (Fixture *x, gconstpointer data)
{
    (void) data;
    x->partners[0].id = S ("a,b");
    x->destinations[0].id = S ("say \"hi\"");
    x->destinations[1].id = S ("two\nlines");
    x->destinations[1].jurisdiction = S ("I\rE");
    g_autofree char *csv = render (x, FSIM_REPORT_CSV);
    g_autoptr (GPtrArray) rows = csv_parse (csv);

    g_assert_nonnull (strstr (csv, "\nprofile.birthday,\"a,b\",\"say \"\"hi\"\"\",server,US,"));
    g_assert_nonnull (strstr (csv, ",\"two\nlines\",server,\"I\rE\",4000,"));
    char **row = g_ptr_array_index (rows, 1);
    g_assert_cmpstr (row[1], ==, "a,b");
    g_assert_cmpstr (row[2], ==, "say \"hi\"");
    g_assert_cmpuint (rows->len, ==, 10);
}

/* The lines of the section that follows @title, up to the next blank line. */
static char **
text_section (const char *text, const char *title)
{
    const char *start = strstr (text, title);
    g_assert_nonnull (start);
    start = strchr (start, '\n') + 1;
    const char *end = strstr (start, "\n\n");
    g_autofree char *block = end ? g_strndup (start, (size_t) (end - start)) : g_strdup (start);
    return g_strsplit (block, "\n", -1);
}

static void
test_report_text_numbers (Fixture *x, gconstpointer data)
{
    g_autofree char *text = render (x, FSIM_REPORT_TEXT);
    (void) data;

    g_assert_true (g_str_has_prefix (text, "flowsim " FSIM_VERSION " report\n"));
    g_assert_nonnull (strstr (text, "  Scenario                test-report\n"));
    g_assert_nonnull (strstr (text, "  Date                    2018-06-05\n"));
    g_assert_nonnull (strstr (text, "  Seed                    42\n"));
    g_assert_nonnull (strstr (text, "  Users                   1,234,567\n"));
    g_assert_nonnull (strstr (text, "  Friendships             2,345,678\n"));
    g_assert_nonnull (strstr (text, "  Mean friends per user   3.8\n"));
    g_assert_nonnull (strstr (text, "  Platform switch off     308,642 (25.0%)\n"));
    /* partner rows: partner-level distinct counts */
    g_assert_true (
        g_regex_match_simple ("\n  huawei \\(Huawei\\) +device_maker +7,000 +4,500\n", text, 0, 0));
    /* a destination receiving every field that reached its partner: the partner's count */
    g_assert_true (g_regex_match_simple ("\n    handset +on device +7,000 +4,500\n", text, 0, 0));
    /* one field only: that field's count, exact */
    g_assert_true (
        g_regex_match_simple ("\n    \\+backup +server, CN +5,000 +3,000\n", text, 0, 0));
    g_assert_true (g_regex_match_simple ("\n    cloud +server, US +5,000 +4,000\n", text, 0, 0));
    /* some but not all of several fields: a lower bound, explained */
    g_assert_true (
        g_regex_match_simple ("\n    archive +server, IE +>= 4,000 +>= 3,100\n", text, 0, 0));
    g_assert_nonnull (strstr (text, "\">= N\": a lower bound"));
    g_assert_true (g_regex_match_simple (
        "\n  profile.religion +Religious views +yes +7,500 +5,000\n", text, 0, 0));
    g_assert_true (g_regex_match_simple ("\n  on device +7,000 +4,500\n", text, 0, 0));
    g_assert_true (
        g_regex_match_simple ("\n  huawei +Huawei +device_maker +CN +2,500\n", text, 0, 0));
}

static void
test_report_text_skips_zero_rows (Fixture *x, gconstpointer data)
{
    g_autofree char *text = render (x, FSIM_REPORT_TEXT);
    (void) data;

    g_assert_null (strstr (text, "@idle"));
    g_assert_null (strstr (text, "-x"));
    g_assert_false (g_regex_match_simple ("\n  DE ", text, 0, 0));
    g_assert_true (g_regex_match_simple ("\n  IE +4,000 +3,100\n", text, 0, 0));
}

/* Names cannot move the cursor, change colours or reorder text on a terminal. */
static void
test_report_text_sanitised (Fixture *x, gconstpointer data)
{
    (void) data;
    x->partners[1].name = S ("Hua\xe2\x80\xaewei\xc2\x9b");
    g_autofree char *text = render (x, FSIM_REPORT_TEXT);

    assert_no_control_bytes (text);
    g_assert_nonnull (strstr (text, "Quiz \"Co\", back\\slash?new?tab??[31mred?"));
    g_assert_nonnull (strstr (text, "huawei (Hua?wei?)"));
    g_assert_nonnull (strstr (text, "A \"title\"?\\ with?tabs"));
    g_assert_nonnull (strstr (text, "Label?]0;pwned?"));
}

/* Free text is cut to 40 columns, counting wide characters as two. */
static void
test_report_text_truncated (Fixture *x, gconstpointer data)
{
    (void) data;
    x->fields[0].label = S ("A label far longer than anybody would like to read in a table");
    x->partners[1].name = S ("\xe5\x8d\x8e\xe4\xb8\xba\xe5\x8d\x8e\xe4\xb8\xba\xe5\x8d\x8e"
                             "\xe4\xb8\xba\xe5\x8d\x8e\xe4\xb8\xba\xe5\x8d\x8e\xe4\xb8\xba"
                             "\xe5\x8d\x8e\xe4\xb8\xba\xe5\x8d\x8e\xe4\xb8\xba\xe5\x8d\x8e"
                             "\xe4\xb8\xba\xe5\x8d\x8e\xe4\xb8\xba\xe5\x8d\x8e\xe4\xb8\xba"
                             "\xe5\x8d\x8e\xe4\xb8\xba"); /* 22 wide characters */
    g_autofree char *text = render (x, FSIM_REPORT_TEXT);

    /* 37 columns and "..." */
    g_assert_nonnull (
        strstr (text, "  profile.birthday  A label far longer than anybody would...  "));
    /* 18 wide characters (36 columns), then "..." */
    g_assert_nonnull (strstr (text, "huawei (\xe5\x8d\x8e\xe4\xb8\xba\xe5\x8d\x8e\xe4\xb8\xba"
                                    "\xe5\x8d\x8e\xe4\xb8\xba\xe5\x8d\x8e\xe4\xb8\xba\xe5\x8d\x8e"
                                    "\xe4\xb8\xba\xe5\x8d\x8e\xe4\xb8\xba\xe5\x8d\x8e\xe4\xb8\xba"
                                    "\xe5\x8d\x8e\xe4\xb8\xba\xe5\x8d\x8e\xe4\xb8\xba...)"));
}

/* Every row of a table is as wide as its rule when the last column is right-aligned. */
static void
test_report_text_aligned (Fixture *x, gconstpointer data)
{
    static const char *const sections[] = { "Reach by partner and destination", "Reach by field",
                                            "Reach by jurisdiction" };
    (void) data;
    x->partners[1].name = S ("\xe5\x8d\x8e\xe4\xb8\xba"); /* 华为: two wide characters */
    g_autofree char *text = render (x, FSIM_REPORT_TEXT);

    for (size_t i = 0; i < G_N_ELEMENTS (sections); i++) {
        g_auto (GStrv) lines = text_section (text, sections[i]);
        g_assert_cmpuint (g_strv_length (lines), >=, 3);
        size_t width = strlen (lines[1]); /* the rule: ASCII */
        g_assert_true (g_str_has_prefix (lines[1], "  ---"));
        for (size_t l = 0; lines[l] && g_str_has_prefix (lines[l], "  ") &&
                           !g_str_has_prefix (lines[l], "  \">=");
             l++) {
            size_t w = 0;
            for (const char *p = lines[l]; *p; p = g_utf8_next_char (p))
                w += g_unichar_iswide (g_utf8_get_char (p)) ? 2 : 1;
            g_assert_cmpuint (w, ==, width);
        }
    }
}

static void
test_report_text_empty (void)
{
    FsimScenario s = { .id = NULL, .date_string = S ("2015-04-30"), .seed = 1 };
    FsimResult r = { 0 };
    g_autoptr (GString) out = g_string_new (NULL);

    fsim_report_render (&s, NULL, &r, FSIM_REPORT_TEXT, out);
    g_assert_nonnull (strstr (out->str, "(policy file, no scenario)"));
    g_assert_nonnull (strstr (out->str, "Reach by field (distinct users whose field reached at "
                                        "least one partner)\n  (none)\n"));
    g_assert_null (strstr (out->str, "Platform switch off"));
}

static void
test_report_deterministic (Fixture *x, gconstpointer data)
{
    (void) data;
    for (int f = 0; f < _FSIM_REPORT_MAX; f++) {
        g_autofree char *a = render (x, f);
        g_autofree char *b = render (x, f);
        g_assert_cmpstr (a, ==, b);
    }
}

static void
test_report_appends (Fixture *x, gconstpointer data)
{
    g_autoptr (GString) out = g_string_new ("KEEP\n");
    g_autofree char *csv = render (x, FSIM_REPORT_CSV);
    (void) data;

    fsim_report_render (&x->scenario, &x->pop, &x->result, FSIM_REPORT_CSV, out);
    g_assert_true (g_str_has_prefix (out->str, "KEEP\n"));
    g_assert_cmpstr (out->str + 5, ==, csv);
}

/* A partner whose users agreed through a deceptive notice: the text report says so, with the
 * count of its users, the note (cleaned of control characters) and its sources; JSON names the
 * kind for every partner; nothing is said of a partner without users. */
static void
test_report_consent (Fixture *x, gconstpointer data)
{
    (void) data;
    FsimSource src = { .publisher = S ("FTC"),
                       .title = S ("Complaint"),
                       .date = S ("2019-07-24"),
                       .read_at = S ("https://example.org/complaint") };
    x->partners[0].consent = (FsimConsent){ .kind = FSIM_CONSENT_DECEPTIVE,
                                            .note = S ("Told users it would not\x1b[31m download"),
                                            .sources = { .items = &src, .n = 1 } };
    x->partners[2].consent.kind = FSIM_CONSENT_DECEPTIVE; /* no users: not mentioned */
    g_autofree char *text = render (x, FSIM_REPORT_TEXT);
    assert_no_control_bytes (text);
    g_test_message ("%s", text);
    g_assert_nonnull (strstr (text, "\nConsent through a deceptive notice\n"
                                    "  quiz: its 1,000 users gave their own data through a "
                                    "notice alleged to be deceptive, not\n  informed consent "
                                    "(counted above as \"with consent\").\n"
                                    "  Told users it would not?[31m download\n"
                                    "  Source: FTC, \"Complaint\", 2019-07-24 (read at: "
                                    "https://example.org/complaint)\n"));
    g_assert_null (strstr (text, "@idle: its"));
    g_assert_true (strstr (text, "Consent through") > strstr (text, "Reach by partner"));
    g_assert_true (strstr (text, "Consent through") < strstr (text, "Reach by field"));

    g_autofree char *json = render (x, FSIM_REPORT_JSON);
    g_autoptr (GHashTable) doc = json_check_parse (json);
    g_assert_cmpstr (json_check_get (doc, "partners[0].consent"), ==, "deceptive");
    g_assert_cmpstr (json_check_get (doc, "partners[1].consent"), ==, "unchallenged");

    /* without a deceptive partner with users the section is absent */
    x->partners[0].consent.kind = FSIM_CONSENT_UNCHALLENGED;
    g_autofree char *plain = render (x, FSIM_REPORT_TEXT);
    g_assert_null (strstr (plain, "Consent through"));
}

/* The room the estimate makes (room.h) holds the whole report: rendering into it never grows
 * the string (so never reaches g_realloc), even for names made of what escapes the longest
 * (control bytes: JSON's \u001f, six bytes each; invalid UTF-8: U+FFFD, three). */
static void
test_report_room (Fixture *x, gconstpointer data)
{
    (void) data;
    static char controls[200], invalid[200];
    memset (controls, '\x1f', sizeof controls - 1);
    controls[sizeof controls - 1] = '\0';
    memset (invalid, '\xff', sizeof invalid - 1);
    invalid[sizeof invalid - 1] = '\0';
    x->partners[0].consent.kind = FSIM_CONSENT_DECEPTIVE;
    x->partners[0].consent.note = controls;
    x->partners[1].name = controls;
    x->partners[2].kind = invalid;
    x->destinations[0].id = controls;
    x->destinations[3].jurisdiction = invalid;
    x->fields[0].id = controls;
    x->fields[1].label = invalid;
    for (int f = 0; f < _FSIM_REPORT_MAX; f++) {
        g_autoptr (GString) out = g_string_new ("kept");
        guint64 room = fsim_report_room (&x->scenario, &x->result, (FsimReportFormat) f);
        g_autoptr (GError) error = NULL;
        g_assert_true (fsim_room_reserve (out, room, "the report", &error));
        g_assert_no_error (error);
        g_assert_cmpuint (out->allocated_len, >, 4 + room);
        const char *buffer = out->str;
        size_t allocated = out->allocated_len;
        fsim_report_render (&x->scenario, &x->pop, &x->result, (FsimReportFormat) f, out);
        g_test_message ("%s: %zu bytes of %" G_GUINT64_FORMAT, fsim_report_format_to_string (f),
                        out->len - 4, room);
        g_assert_true (g_str_has_prefix (out->str, "kept"));
        g_assert_cmpuint (out->len - 4, <=, room);
        g_assert_true (out->str == buffer); /* never moved: never grown */
        g_assert_cmpuint (out->allocated_len, ==, allocated);
    }
}

/* More than the address space can give is an error, and the text is left as it was. */
static void
test_report_room_refused (void)
{
    g_autoptr (GString) out = g_string_new ("kept");
    g_autoptr (GError) error = NULL;
    /* more than the address space: refused without asking (ASan would abort on asking) */
    g_assert_false (fsim_room_reserve (out, G_MAXUINT64 - 1, "the report", &error));
    g_assert_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_NOMEM);
    g_assert_nonnull (strstr (error->message, "out of memory"));
    g_assert_nonnull (strstr (error->message, "the report"));
    g_assert_cmpstr (out->str, ==, "kept");
}

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)

int
main (int argc, char *argv[])
{
    g_test_init (&argc, &argv, NULL);
    g_test_add_func ("/report/format/from-string", test_report_format_from_string);
    ADD ("/report/json/document", test_report_json_document);
    ADD ("/report/json/flows", test_report_json_flows);
    ADD ("/report/json/escaping", test_report_json_escaping);
    ADD ("/report/json/invalid-utf8", test_report_json_invalid_utf8);
    g_test_add_func ("/report/json/empty", test_report_json_empty);
    ADD ("/report/csv/table", test_report_csv_table);
    ADD ("/report/csv/injection", test_report_csv_injection);
    ADD ("/report/csv/quoting", test_report_csv_quoting);
    ADD ("/report/text/numbers", test_report_text_numbers);
    ADD ("/report/text/skips-zero-rows", test_report_text_skips_zero_rows);
    ADD ("/report/text/sanitised", test_report_text_sanitised);
    ADD ("/report/text/aligned", test_report_text_aligned);
    ADD ("/report/text/truncated", test_report_text_truncated);
    g_test_add_func ("/report/text/empty", test_report_text_empty);
    ADD ("/report/deterministic", test_report_deterministic);
    ADD ("/report/appends", test_report_appends);
    ADD ("/report/consent/deceptive", test_report_consent);
    ADD ("/report/room", test_report_room);
    g_test_add_func ("/report/room/refused", test_report_room_refused);
    return g_test_run ();
}
