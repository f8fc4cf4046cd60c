/* SPDX-License-Identifier: MIT */
/* test-errors.c: every malformed input under tests/data/errors gives a located, useful error. */
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "loader.h"
#include "test-util.h"

/*
 * One row per case; the test is /errors/<name>. The file loaded is tests/data/errors/<name>.json
 * unless @file names another one (the --set cases load valid.json), or @text is given: then that
 * text is loaded with fsim_loader_load_string() under the name <name>.json. The tests run in
 * tests/data/errors, so messages name files relative to it.
 */
typedef struct {
    const char *name;
    const char *file;
    const char *text;
    const char *set; /* one --set PATH=VALUE, or NULL */
    FsimLoaderError code;
    /* the exact start of the message: "FILE:LINE:COL: " */
    const char *where;
    /* fragments the rest must contain: the JSON path, what was wrong and what was expected */
    const char *what[4];
} ErrorCase;

#define E(code) FSIM_LOADER_ERROR_##code

static const ErrorCase cases[] = {
    /* ---- the JSON text ------------------------------------------------------------------ */
    { "parse-truncated", .code = E (PARSE),
      .where = "parse-truncated.json:5:1: ", .what = { "invalid JSON: unexpected end of file" } },
    { "parse-trailing-garbage", .code = E (PARSE), .where = "parse-trailing-garbage.json:2:1: ",
      .what = { "invalid JSON: unexpected 'a' after the end of the top-level value" } },
    { "parse-empty", .code = E (PARSE),
      .where = "parse-empty.json:1:1: ", .what = { "invalid JSON: the file is empty" } },
    { "parse-blank", .code = E (PARSE),
      .where = "parse-blank.json:1:1: ", .what = { "invalid JSON: the file is empty" } },
    { "parse-top-array", .code = E (SCHEMA), .where = "parse-top-array.json:1:1: ",
      .what = { "expected a JSON object at the top level, got an array" } },
    { "parse-nul-byte", .code = E (PARSE),
      .where = "parse-nul-byte.json:2:14: ", .what = { "invalid JSON: unexpected NUL byte" } },
    { "parse-not-utf8", .code = E (PARSE), .where = "parse-not-utf8.json:2:16: ",
      .what = { "invalid JSON: byte 0xE9 is not UTF-8", "must be UTF-8" } },
    { "parse-not-utf8-key", .code = E (PARSE), .where = "parse-not-utf8-key.json:3:7: ",
      .what = { "invalid JSON: byte 0xE9 is not UTF-8" } },
    { "parse-comment", .code = E (PARSE), .where = "parse-comment.json:2:4: ",
      .what = { "invalid JSON: unexpected '/' (JSON has no comments)" } },
    { "parse-single-quotes", .code = E (PARSE), .where = "parse-single-quotes.json:2:12: ",
      .what = { "unexpected ''' (JSON strings take straight double quotes)" } },
    { "parse-smart-quotes", .code = E (PARSE), .where = "parse-smart-quotes.json:2:12: ",
      .what = { "unexpected '\u201c' (JSON strings take straight double quotes)" } },
    /* a byte order mark is skipped, and columns still count from the '{' */
    { "parse-bom", .code = E (SCHEMA),
      .where = "parse-bom.json:3:3: ", .what = { "unknown key 'colour'" } },
    { "parse-trailing-comma", .code = E (PARSE),
      .where = "parse-trailing-comma.json:2:24: ", .what = { "invalid JSON: unexpected ']'" } },
    { "include-parse-error", .code = E (PARSE),
      .where = "parts/broken.json:3:45: ", .what = { "invalid JSON: unexpected ']'" } },
    /* issue 11: "\u0000" would cut a string (cJSON stops at it): the id "quiz" would pass */
    { "inline-nul-escape-id",
      .text = "{\n  \"partners\": [{ \"id\": \"quiz\\u0000 not an id <x>\" }]\n}",
      .code = E (VALUE), .where = "inline-nul-escape-id.json:2:29: ",
      .what = { "'\\u0000' in a string: a NUL character is not allowed" } },
    { "inline-nul-escape-key", .text = "{ \"title\\u0000x\": \"t\" }", .code = E (VALUE),
      .where = "inline-nul-escape-key.json:1:9: ", .what = { "'\\u0000' in a string" } },
    /* issue 11's fourth pass: RFC 8259 forbids a raw control character in a string, and cJSON
     * took one (a tab, U+0001, a line break: a title across two lines loaded) */
    { "inline-raw-tab", .text = "{\n  \"title\": \"a\tb\"\n}", .code = E (PARSE),
      .where = "inline-raw-tab.json:2:14: ",
      .what = { "invalid JSON: a raw tab in a string (JSON writes it as '\\t')" } },
    { "inline-raw-control", .text = "{ \"title\": \"ab\001\" }", .code = E (PARSE),
      .where = "inline-raw-control.json:1:15: ",
      .what = { "a raw control character U+0001 in a string (JSON writes it as '\\u0001')" } },
    { "inline-raw-line-break", .text = "{ \"title\": \"a\nb\", \"seed\": 1 }", .code = E (PARSE),
      .where = "inline-raw-line-break.json:1:12: ",
      .what = { "invalid JSON: unterminated string (no closing '\"' on its line)" } },
    { "cli-set-raw-tab", "valid.json", .set = "title=\"a\tb\"", .code = E (PARSE),
      .where = "--set title:1:9: ", .what = { "a raw tab in a string" } },
    /* issue 11: 9007199254740993 arrived as ...992; above 2^53 - 1 a seed is refused, and the
     * message does not quote the rounded number the user did not write */
    { "cli-set-seed-2-53", "valid.json", .set = "seed=9007199254740993", .code = E (VALUE),
      .where = "--set seed:1:6: ",
      .what = { "seed: out of range: 2^53 or more, where JSON numbers stop being exact",
                "(expected an integer from 0 to 9007199254740991)" } },
    { "cli-set-seed-2-53-exact", "valid.json", .set = "seed=9007199254740992", .code = E (VALUE),
      .where = "--set seed:1:6: ", .what = { "seed: out of range: 2^53 or more" } },
    /* and below -2^53: -1e300 was quoted as its 301 digits (seventh pass) */
    { "cli-set-seed-minus-2-53", "valid.json", .set = "seed=-1e300", .code = E (VALUE),
      .where = "--set seed:1:6: ",
      .what = { "seed: out of range: -2^53 or less, where JSON numbers stop being exact",
                "(expected an integer from 0 to 9007199254740991)" } },
    { "cli-set-nul-escape", "valid.json", .set = "title=\"a\\u0000b\"", .code = E (VALUE),
      .where = "--set title:1:9: ", .what = { "'\\u0000' in a string" } },
    /* a value that starts with '"' is meant as a JSON string: without its closing quote it used
     * to be taken as text, and the title became '"A tour' */
    { "cli-set-unterminated", "valid.json", .set = "title=\"A tour", .code = E (PARSE),
      .where = "--set title:1:7: ",
      .what = { "invalid JSON: unterminated string (no closing '\"' on its line)" } },
    { "cli-set-string-then-text", "valid.json", .set = "title=\"A\" tour", .code = E (PARSE),
      .where = "--set title:1:11: ",
      .what = { "invalid JSON: unexpected 't' after the end of the top-level value" } },
    /* issue 11, seventh pass: an escape cJSON refuses read "unexpected '\\'"; each is said for
     * what it is, at its backslash, quoting nothing after it */
    { "inline-lone-low-surrogate", .text = "{\n  \"title\": \"a\\uDC00b\"\n}", .code = E (PARSE),
      .where = "inline-lone-low-surrogate.json:2:14: ",
      .what = { "invalid JSON: a lone low surrogate (\\uDC00 to \\uDFFF)",
                "must follow a high surrogate (\\uD800 to \\uDBFF)" } },
    { "inline-lone-high-surrogate", .text = "{ \"a\\ud800\": 1 }", .code = E (PARSE),
      .where = "inline-lone-high-surrogate.json:1:5: ",
      .what = { "invalid JSON: a lone high surrogate (\\uD800 to \\uDBFF): it must be followed by "
                "a "
                "low surrogate" } },
    { "inline-surrogate-pair", .text = "{ \"scenario\": \"\\uD83D\\uDE00\" }", .code = E (VALUE),
      .where = "inline-surrogate-pair.json:1:15: ", .what = { "is not a valid id" } },
    { "inline-bad-escape", .text = "{ \"title\": \"C:\\Users\" }", .code = E (PARSE),
      .where = "inline-bad-escape.json:1:15: ",
      .what = { "invalid JSON: an escape JSON does not have: a backslash is followed by one of",
                "(a backslash itself is written '\\\\')" } },
    { "cli-set-short-u-escape", "valid.json", .set = "title=\"a\\u00\"", .code = E (PARSE),
      .where = "--set title:1:9: ",
      .what = { "invalid JSON: '\\u' not followed by four hex digits (expected \\uXXXX)" } },
    /* a line break in a quoted value made two "flowsim: error:" lines of one error (seventh
     * pass): shown as '?' */
    { "cli-set-line-break", "valid.json", .set = "date=\"2014-06-01\\n\"", .code = E (VALUE),
      .where = "--set date:1:6: ", .what = { "date: '2014-06-01?' is not a valid date" } },
    { "cli-set-line-break-path", "valid.json", .set = "tit\nle=\"a\"", .code = E (SCHEMA),
      .where = "--set tit?le:1:1: ", .what = { "unknown key 'tit?le'" } },
    /* an index is digits: strtoull skipped a blank and a sign, and "[+1]" set element 1 */
    { "cli-set-index-sign", "valid.json", .set = "partners[+0].name=x", .code = E (SET),
      .where = "--set partners[+0].name:1:1: ", .what = { "no element '+0'" } },
    /* an escaped backslash then "u0000" is text, not a NUL */
    { "inline-escaped-backslash", .text = "{ \"scenario\": \"a\\\\u0000\" }", .code = E (VALUE),
      .where = "inline-escaped-backslash.json:1:15: ", .what = { "'a\\u0000' is not a valid id" } },
    /* issue 11: a string that does not end is reported as such, at its opening quote */
    { "inline-unterminated", .text = "{\n  \"title\": \"no end,\n  \"date\": 1\n}",
      .code = E (PARSE), .where = "inline-unterminated.json:2:12: ",
      .what = { "invalid JSON: unterminated string (no closing '\"' on its line)" } },
    { "inline-unterminated-last", .text = "{ \"title\": \"abc", .code = E (PARSE),
      .where = "inline-unterminated-last.json:1:12: ", .what = { "unterminated string" } },
    { "inline-empty", .text = "", .code = E (PARSE),
      .where = "inline-empty.json:1:1: ", .what = { "invalid JSON: the file is empty" } },
    { "inline-top-string", .text = "\n  \"a policy\"\n", .code = E (SCHEMA),
      .where = "inline-top-string.json:2:3: ",
      .what = { "expected a JSON object at the top level, got a string" } },

    /* ---- limits ----------------------------------------------------------------------- */
    { "limit-depth", .code = E (LIMIT),
      .where = "limit-depth.json:2:77: ", .what = { "JSON nested deeper than 64 levels" } },
    { "limit-depth-huge", .code = E (LIMIT),
      .where = "limit-depth-huge.json:2:77: ", .what = { "JSON nested deeper than 64 levels" } },
    /* 64 levels are allowed: what is wrong here is the type */
    { "limit-depth-ok", .code = E (SCHEMA), .where = "limit-depth-ok.json:2:15: ",
      .what = { "sources[0]: expected a source (an object with 'publisher', 'title' and 'date', or "
                "a URL string), got an array" } },
    { "limit-string", .code = E (LIMIT), .where = "limit-string.json:2:12: ",
      .what = { "title: string of 5000 bytes is longer than the limit of 4096" } },
    { "limit-string-key", .code = E (LIMIT), .where = "limit-string-key.json:2:3: ",
      .what = { "key of 5000 bytes is longer than the limit of 4096" } },

    /* ---- keys ----------------------------------------------------------------------------- */
    { "dup-key-top", .code = E (SCHEMA),
      .where = "dup-key-top.json:4:3: ", .what = { "duplicate key 'title' (first given at 2:3)" } },
    { "dup-key-nested", .code = E (SCHEMA), .where = "dup-key-nested.json:4:68: ",
      .what = { "fields[0]: duplicate key 'label' (first given at 4:30)" } },
    { "dup-key-set", .code = E (SCHEMA), .where = "dup-key-set.json:8:5: ",
      .what = { "set: duplicate key 'seed' (first given at 7:5)" } },
    { "dup-key-audience", .code = E (SCHEMA), .where = "dup-key-audience.json:6:49: ",
      .what = { "population.defaults.audience: duplicate key '*' (first given at 6:33)" } },
    { "dup-key-extends", .code = E (SCHEMA), .where = "dup-key-extends.json:6:5: ",
      .what = { "population: duplicate key 'users' (first given at 5:5)" } },
    { "unknown-key-scenaro", .code = E (SCHEMA), .where = "unknown-key-scenaro.json:2:3: ",
      .what = { "unknown key 'scenaro'; did you mean 'scenario'?" } },
    { "unknown-key-top", .code = E (SCHEMA), .where = "unknown-key-top.json:5:3: ",
      .what = { "unknown key 'popluation'; did you mean 'population'?" } },
    { "unknown-key-top-policy", .code = E (SCHEMA), .where = "unknown-key-top-policy.json:3:3: ",
      .what = { "unknown key 'partner'; did you mean 'partners'?" } },
    { "unknown-key-nested", .code = E (SCHEMA), .where = "unknown-key-nested.json:7:7: ",
      .what = { "partners[0].destination: unknown key 'destination'",
                "did you mean 'destinations'?" } },
    { "unknown-key-nested-list", .code = E (SCHEMA), .where = "unknown-key-nested-list.json:7:66: ",
      .what = { "partners[0].destinations[0].colour: unknown key 'colour'",
                "(known keys: 'id', 'location', 'jurisdiction', 'fields')" } },
    { "share-unknown-key", .code = E (SCHEMA), .where = "share-unknown-key.json:8:56: ",
      .what = { "partners[0].shares[0].colour: unknown key 'colour'",
                "'with', 'fields', 'active', 'sources'" } },
    { "settings-unknown-key", .code = E (SCHEMA), .where = "settings-unknown-key.json:7:38: ",
      .what = { "population.users[0].settings.platfrom: unknown key 'platfrom'",
                "did you mean 'platform'?" } },
    { "population-unknown-key", .code = E (SCHEMA), .where = "population-unknown-key.json:7:5: ",
      .what = { "population.default: unknown key 'default'; did you mean 'defaults'?" } },
    { "policy-scenario-key", .code = E (SCHEMA), .where = "policy-scenario-key.json:3:3: ",
      .what = { "unknown key 'date' in a policy file", "no 'scenario' id" } },
    { "include-scenario", .code = E (SCHEMA), .where = "valid.json:2:3: ",
      .what = { "unknown key 'scenario' in a policy file", "included as a policy file" } },

    /* ---- types ------------------------------------------------------------------------ */
    { "type-string-for-number", .code = E (SCHEMA), .where = "type-string-for-number.json:4:11: ",
      .what = { "seed: expected an integer, got a string" } },
    { "type-number-for-array", .code = E (SCHEMA), .where = "type-number-for-array.json:5:55: ",
      .what = { "partners[0].tags: expected an array of strings, got a number" } },
    { "type-object-for-string", .code = E (SCHEMA), .where = "type-object-for-string.json:2:12: ",
      .what = { "title: expected a string, got an object" } },
    { "type-string-for-entities", .code = E (SCHEMA),
      .where = "type-string-for-entities.json:3:13: ",
      .what = { "fields: expected an array, got a string" } },
    { "type-string-for-window", .code = E (SCHEMA), .where = "type-string-for-window.json:5:35: ",
      .what = { "apis[0].active: expected an object, got a string" } },
    { "type-bool-for-population", .code = E (SCHEMA),
      .where = "type-bool-for-population.json:5:17: ",
      .what = { "population: expected an object, got a boolean" } },
    { "type-number-for-bool", .code = E (SCHEMA), .where = "type-number-for-bool.json:5:73: ",
      .what = { "population.users[0].settings.platform: expected true or false, got a number" } },
    { "date-number", .code = E (SCHEMA),
      .where = "date-number.json:3:11: ", .what = { "date: expected a string, got a number" } },
    { "effect-type", .code = E (SCHEMA), .where = "effect-type.json:4:29: ",
      .what = { "rules[0].effect: expected a string, got a boolean" } },
    { "jurisdiction-number", .code = E (SCHEMA), .where = "jurisdiction-number.json:8:64: ",
      .what = { "partners[0].destinations[0].jurisdiction: expected a string, got a number" } },
    { "users-not-array", .code = E (SCHEMA), .where = "users-not-array.json:5:28: ",
      .what = { "population.users: expected an array of users, or a number of users to "
                "generate, got a string" } },
    { "users-object", .code = E (SCHEMA), .where = "users-object.json:5:28: ",
      .what = { "population.users: expected an array of users", "got an object" } },
    { "seed-fraction", .code = E (SCHEMA), .where = "seed-fraction.json:4:11: ",
      .what = { "seed: expected an integer, got a fraction" } },
    { "seed-negative", .code = E (VALUE), .where = "seed-negative.json:4:11: ",
      .what = { "seed: -1 is out of range (expected an integer from 0 to" } },
    { "id-invalid", .code = E (VALUE), .where = "id-invalid.json:5:13: ",
      .what = { "partners[0].id: 'quiz app' is not a valid id",
                "letters, digits, '_', '-', '.' or ':'" } },

    /* ---- missing and empty ---------------------------------------------------------------- */
    { "missing-date", .code = E (SCHEMA), .where = "missing-date.json:1:1: ",
      .what = { "missing required key 'date' (the day the scenario simulates)" } },
    { "missing-population", .code = E (SCHEMA),
      .where = "missing-population.json:1:1: ", .what = { "missing required key 'population'" } },
    { "missing-destinations", .code = E (SCHEMA), .where = "missing-destinations.json:4:5: ",
      .what = { "partners[0]: missing required key 'destinations'" } },
    { "missing-effect", .code = E (SCHEMA),
      .where = "missing-effect.json:4:5: ", .what = { "rules[0]: missing required key 'effect'" } },
    { "missing-scope-subject", .code = E (SCHEMA), .where = "missing-scope-subject.json:4:37: ",
      .what = { "apis[0].scopes[0]: missing required key 'subject'" } },
    { "missing-user-id", .code = E (SCHEMA), .where = "missing-user-id.json:5:49: ",
      .what = { "population.users[1]: missing required key 'id'" } },
    { "generator-missing", .code = E (SCHEMA), .where = "generator-missing.json:5:17: ",
      .what = { "population: missing required key 'generator'" } },
    { "empty-destinations", .code = E (SCHEMA), .where = "empty-destinations.json:7:23: ",
      .what = { "partners[0].destinations: a partner needs at least one destination" } },
    { "empty-scopes", .code = E (SCHEMA), .where = "empty-scopes.json:4:35: ",
      .what = { "apis[0].scopes: an API needs at least one scope" } },
    { "empty-rule-partners", .code = E (SCHEMA), .where = "empty-rule-partners.json:4:53: ",
      .what = { "rules[0].partners: empty: a rule must select partners (use \"*\" for all)" } },
    { "users-empty", .code = E (VALUE), .where = "users-empty.json:5:28: ",
      .what = { "population.users: a population needs at least one user" } },

    /* ---- dates and windows ------------------------------------------------------------ */
    { "date-feb29", .code = E (VALUE), .where = "date-feb29.json:3:11: ",
      .what = { "date: '2015-02-29' is not a valid date", "expected YYYY-MM-DD" } },
    { "date-unpadded", .code = E (VALUE), .where = "date-unpadded.json:4:71: ",
      .what = { "rules[0].from: '2015-4-1' is not a valid date", "expected YYYY-MM-DD" } },
    { "date-word", .code = E (VALUE), .where = "date-word.json:6:27: ",
      .what = { "apis[0].active.from: 'yesterday' is not a valid date" } },
    { "window-empty", .code = E (VALUE), .where = "window-empty.json:6:17: ",
      .what = { "apis[0].active: empty window: 'from' must be before 'until'" } },
    { "window-rule-empty", .code = E (VALUE), .where = "window-rule-empty.json:6:38: ",
      .what = { "rules[0].until: empty window: 'from' must be before 'until'" } },
    { "window-share-empty", .code = E (VALUE), .where = "window-share-empty.json:9:56: ",
      .what = { "partners[0].shares[0].active: empty window" } },

    /* ---- destinations ------------------------------------------------------------------- */
    { "jurisdiction-name", .code = E (VALUE), .where = "jurisdiction-name.json:8:64: ",
      .what = { "partners[0].destinations[0].jurisdiction: 'China' is not a country code",
                "ISO 3166-1 alpha-2" } },
    { "jurisdiction-lowercase", .code = E (VALUE), .where = "jurisdiction-lowercase.json:8:64: ",
      .what = { "partners[0].destinations[0].jurisdiction: 'cn' is not a country code",
                "two capital letters" } },
    { "device-jurisdiction", .code = E (SCHEMA), .where = "device-jurisdiction.json:8:50: ",
      .what = { "partners[0].destinations[0].jurisdiction: a 'device' destination has no "
                "jurisdiction" } },
    { "server-no-jurisdiction", .code = E (SCHEMA), .where = "server-no-jurisdiction.json:8:9: ",
      .what = { "partners[0].destinations[0]: a 'server' destination needs a 'jurisdiction'",
                "ISO 3166-1 alpha-2" } },
    { "location-unknown", .code = E (REFERENCE), .where = "location-unknown.json:8:38: ",
      .what = { "partners[0].destinations[0].location: unknown location 'servers'",
                "did you mean 'server'?" } },

    /* ---- sources ---------------------------------------------------------------------- */
    { "source-missing-publisher", .text = "{\"sources\": [{\"title\": \"T\", \"date\": \"2018\"}]}",
      .code = E (SCHEMA), .where = "source-missing-publisher.json:1:14: ",
      .what = { "sources[0]: missing required key 'publisher'" } },
    { "source-bad-day",
      .text = "{\"sources\": [{\"publisher\": \"P\", \"title\": \"T\", \"date\": \"2018-02-30\"}]}",
      .code = E (VALUE), .where = "source-bad-day.json:1:55: ",
      .what = { "sources[0].date: '2018-02-30' is not a valid date",
                "expected YYYY-MM-DD, YYYY-MM or YYYY" } },
    { "source-bad-month",
      .text = "{\"sources\": [\"https://a.example/\", {\"publisher\": \"P\", \"title\": \"T\", "
              "\"date\": \"2018-13\"}]}",
      .code = E (VALUE), .where = "source-bad-month.json:1:77: ",
      .what = { "sources[1].date: '2018-13' is not a valid date" } },
    { "source-bad-url",
      .text = "{\"sources\": [{\"publisher\": \"P\", \"title\": \"T\", \"date\": \"2018-06\", "
              "\"url\": \"www.nytimes.com/x\"}]}",
      .code = E (VALUE), .where = "source-bad-url.json:1:73: ",
      .what = { "sources[0].url: 'www.nytimes.com/x' is not a URL", "https:" } },
    { "source-unknown-key",
      .text = "{\"sources\": [{\"publisher\": \"P\", \"title\": \"T\", \"date\": \"2018\", "
              "\"read-at\": \"https://a.example/\"}]}",
      .code = E (SCHEMA), .where = "source-unknown-key.json:1:63: ",
      .what = { "sources[0].read-at: unknown key 'read-at'; did you mean 'read_at'?" } },
    { "source-blank-title",
      .text = "{\"sources\": [{\"publisher\": \"P\", \"title\": \" \", \"date\": \"2018\"}]}",
      .code = E (VALUE), .where = "source-blank-title.json:1:42: ",
      .what = { "sources[0].title: expected a non-empty title" } },
    { "source-number", .text = "{\"sources\": [3]}", .code = E (SCHEMA),
      .where = "source-number.json:1:14: ",
      .what = { "sources[0]: expected a source (an object with 'publisher', 'title' and 'date', "
                "or a URL string), got a number" } },

    /* ---- references ------------------------------------------------------------------- */
    { "integrates-suggest", .code = E (REFERENCE), .where = "integrates-suggest.json:6:22: ",
      .what = { "partners[0].integrates[0]: unknown API 'device-integrate'",
                "did you mean 'device-integrated'?" } },
    { "integrates-known-list", .code = E (REFERENCE), .where = "integrates-known-list.json:6:22: ",
      .what = { "partners[0].integrates[0]: unknown API 'marketing-api'",
                "(known: 'graph-v1', 'device-integrated')" } },
    { "integrates-no-apis", .code = E (REFERENCE), .where = "integrates-no-apis.json:7:22: ",
      .what = { "partners[0].integrates[0]: unknown API 'device-integrated'",
                "(none is declared: is an 'include' missing?)" } },
    { "integrates-twice", .code = E (REFERENCE), .where = "integrates-twice.json:6:55: ",
      .what = { "partners[0].integrates[2]: API 'device-integrated' listed twice" } },
    { "requests-unknown-scope", .code = E (REFERENCE),
      .where = "requests-unknown-scope.json:6:65: ",
      .what = { "partners[0].requests[1]: unknown scope 'user_birthdy'",
                "did you mean 'user_birthday'?" } },
    { "requests-not-offered", .code = E (REFERENCE), .where = "requests-not-offered.json:6:57: ",
      .what = { "partners[0].requests[0]: scope 'user_birthday' is offered by API 'graph-v1', "
                "which the partner does not integrate" } },
    { "share-unknown-partner", .code = E (REFERENCE), .where = "share-unknown-partner.json:8:29: ",
      .what = { "partners[0].shares[0].with: unknown partner 'brokr'", "did you mean 'broker'?" } },
    { "rule-unknown-partner", .code = E (REFERENCE), .where = "rule-unknown-partner.json:4:50: ",
      .what = { "rules[0].partners[0]: unknown partner 'quizz'; did you mean 'quiz'?" } },
    { "rule-unknown-partner-list", .code = E (REFERENCE),
      .where = "rule-unknown-partner-list.json:4:50: ",
      .what = { "rules[0].partners[0]: unknown partner 'facebook'",
                "(known: 'quiz', 'broker', 'huawei')" } },
    { "rule-unknown-kind", .code = E (REFERENCE), .where = "rule-unknown-kind.json:4:51: ",
      .what = { "rules[0].partners[0]: unknown partner kind 'device-maker'",
                "did you mean 'device_maker'?" } },
    { "rule-unknown-tag", .code = E (REFERENCE), .where = "rule-unknown-tag.json:4:51: ",
      .what = { "rules[0].partners[0]: unknown partner tag 'china'",
                "(known: 'research', 'device-integrated')" } },
    { "rule-unknown-api", .code = E (REFERENCE), .where = "rule-unknown-api.json:4:65: ",
      .what = { "rules[0].apis[0]: unknown API 'graph-v2'; did you mean 'graph-v1'?" } },
    { "rule-unknown-scope", .code = E (REFERENCE), .where = "rule-unknown-scope.json:4:67: ",
      .what = { "rules[0].scopes[0]: unknown scope 'friends_religion' (no API offers it)" } },
    { "effect-unknown", .code = E (REFERENCE), .where = "effect-unknown.json:4:29: ",
      .what = { "rules[0].effect: unknown effect 'alow'; did you mean 'allow'?" } },
    { "subject-unknown", .code = E (REFERENCE), .where = "subject-unknown.json:6:58: ",
      .what = { "apis[0].scopes[0].subject: unknown subject 'friend'",
                "did you mean 'friends'?" } },
    { "respects-unknown", .code = E (REFERENCE), .where = "respects-unknown.json:6:32: ",
      .what = { "apis[0].respects[1]: unknown setting 'audiences'", "did you mean 'audience'?" } },
    { "field-pattern-suggest", .code = E (REFERENCE), .where = "field-pattern-suggest.json:8:81: ",
      .what = { "partners[0].destinations[0].fields[0]: field pattern 'profile.birthdy' selects "
                "no field",
                "did you mean 'profile.birthday'?" } },
    { "field-pattern-none", .code = E (REFERENCE), .where = "field-pattern-none.json:8:81: ",
      .what = { "partners[0].destinations[0].fields[0]: field pattern 'contacts.*' selects no "
                "field (3 fields are declared)" } },

    /* ---- duplicate ids ------------------------------------------------------------------ */
    { "dup-field-id", .code = E (REFERENCE), .where = "dup-field-id.json:5:5: ",
      .what = { "fields[2].id: duplicate id 'profile.birthday'",
                "(first defined at dup-field-id.json:3:5)" } },
    { "dup-api-id", .code = E (REFERENCE), .where = "dup-api-id.json:4:5: ",
      .what = { "apis[0].id: duplicate id 'graph-v1' (first defined at model.json:9:5)" } },
    { "dup-partner-include", .code = E (REFERENCE), .where = "parts/apps.json:8:5: ",
      .what = { "partners[1].id: duplicate id 'quiz' (first defined at model.json:24:5)" } },
    { "dup-rule-id", .code = E (REFERENCE), .where = "dup-rule-id.json:4:5: ",
      .what = { "rules[0].id: duplicate id 'v1-apps' (first defined at model.json:45:5)" } },
    { "dup-scope-id", .code = E (REFERENCE), .where = "dup-scope-id.json:9:9: ",
      .what = { "apis[0].scopes[2]: duplicate scope id 'user_birthday' in API 'graph-v2'" } },
    { "dup-destination-id", .code = E (REFERENCE), .where = "dup-destination-id.json:9:17: ",
      .what = { "partners[0].destinations[1].id: duplicate destination id 'cloud'",
                "(first defined at 8:9)" } },
    { "dup-user-id", .code = E (REFERENCE), .where = "dup-user-id.json:9:15: ",
      .what = { "population.users[2].id: duplicate user id 'alice'" } },

    /* ---- population ------------------------------------------------------------------- */
    { "friends-unknown", .code = E (REFERENCE), .where = "friends-unknown.json:7:43: ",
      .what = { "population.users[0].friends[1]: unknown user 'carol'" } },
    { "friends-self", .code = E (REFERENCE), .where = "friends-self.json:8:34: ",
      .what = { "population.users[1].friends[0]: a user cannot be their own friend" } },
    { "uses-unknown", .code = E (REFERENCE), .where = "uses-unknown.json:7:41: ",
      .what = { "population.users[0].uses[1]: unknown partner 'huwei'; did you mean 'huawei'?" } },
    { "uses-pattern", .code = E (REFERENCE), .where = "uses-pattern.json:7:33: ",
      .what = { "population.users[0].uses[0]: 'uses' takes partner ids, not patterns" } },
    { "audience-unknown", .code = E (VALUE), .where = "audience-unknown.json:6:38: ",
      .what = { "population.defaults.audience.*: unknown audience 'frends'",
                "did you mean 'friends'?",
                "\"public\", \"friends_of_friends\", \"friends\" or \"only_me\"" } },
    { "audience-pattern", .code = E (REFERENCE), .where = "audience-pattern.json:7:52: ",
      .what = { "population.users[0].settings.audience.profile.religon: field pattern "
                "'profile.religon' selects no field",
                "did you mean 'profile.religion'?" } },
    { "audience-mix-sum", .code = E (VALUE), .where = "audience-mix-sum.json:11:14: ",
      .what = { "population.settings.audience.*: audience shares sum to 0.9, expected 1" } },
    /* issue 11, seventh pass: "%g" kept six digits, and the messages contradicted themselves:
     * "5000 is out of range (expected a number from 0 to 5000)", "sum to 1, expected 1" */
    { "cli-set-number-digits", "valid.json",
      .set = "population={\"generator\":\"erdos_renyi\",\"users\":10,\"mean_degree\":5000.0000001}",
      .code = E (VALUE), .where = "--set population:1:64: ",
      .what = { "5000.0000001 is out of range (expected a number from 0 to 5000)" } },
    { "cli-set-mean-degree-digits", "valid.json",
      .set = "population={\"generator\":\"erdos_renyi\",\"users\":10,\"mean_degree\":9.0000001}",
      .code = E (VALUE), .where = "--set population:1:64: ",
      .what = { "mean degree 9.0000001 is more than users - 1 (9)" } },
    { "cli-set-audience-sum-digits", "audience-mix-sum.json",
      .set = "population.settings.audience.*.only_me=0.2500001", .code = E (VALUE),
      .where = "audience-mix-sum.json:11:14: ",
      .what = { "audience shares sum to 1.0000001, expected 1" } },
    { "audience-mix-unknown", .code = E (SCHEMA), .where = "audience-mix-unknown.json:11:31: ",
      .what = { "population.settings.audience.*.everyone: unknown key 'everyone'",
                "'only_me', 'friends', 'friends_of_friends', 'public'" } },
    { "share-out-of-range", .code = E (VALUE), .where = "share-out-of-range.json:9:35: ",
      .what = { "population.settings.platform_off: 1.5 is out of range",
                "(expected a number from 0 to 1)" } },
    { "share-negative", .code = E (VALUE), .where = "share-negative.json:9:27: ",
      .what = { "population.adoption.quiz: -0.1 is out of range",
                "(expected a number from 0 to 1)" } },
    { "adoption-unknown", .code = E (REFERENCE), .where = "adoption-unknown.json:9:19: ",
      .what = { "population.adoption.huwei: unknown partner 'huwei'; did you mean 'huawei'?" } },
    /* ---- every error of a file, up to FSIM_LOADER_MAX_ERRORS, one located line each ------- */
    { "many-errors", .code = E (REFERENCE), .where = "many-errors.json:7:29: ",
      .what = { "rules[0].effect: unknown effect 'alow'; did you mean 'allow'?\n"
                "many-errors.json:8:51: rules[1].partners[0]: unknown partner 'huwei'",
                "\nmany-errors.json:10:87: rules[3].until: empty window" } },
    { "many-errors-limit", .code = E (SCHEMA), .where = "many-errors-limit.json:6:17: ",
      .what = { "fields[0].sensitive: expected true or false, got a string\n",
                "\nmany-errors-limit.json:82:17: fields[19].sensitive: expected true or false, "
                "got a string\nmany-errors-limit.json: stopped after 20 errors" } },
    /* issue 15: every kind of entity is converted, so an error in a field does not hide the
     * ones in the APIs, partners, rules, population and expectations; the unknown partner
     * 'nobody' of rule r2 is reported too: the partner that failed is 'quiz', not 'nobody' */
    { "many-errors-kinds", .code = E (SCHEMA), .where = "many-errors-kinds.json:6:38: ",
      .what = { "fields[1].sensitive: expected true or false, got a string\n"
                "many-errors-kinds.json:9:60: apis[0].scopes[0].subject: unknown subject 'me'",
                "\nmany-errors-kinds.json:12:47: partners[0].country: 'usa' is not a country "
                "code",
                "\nmany-errors-kinds.json:16:29: rules[0].effect: unknown effect "
                "'alow'; did you mean 'allow'?\nmany-errors-kinds.json:17:51: "
                "rules[1].partners[0]: unknown partner 'nobody' (known: 'quiz')\n"
                "many-errors-kinds.json:19:47: population.users[0].platform: unknown key "
                "'platform'",
                "\nmany-errors-kinds.json:20:37: expect[0].kind: unknown kind 'no_flows'; did "
                "you mean 'no_flow'?" } },
    /* ---- key order carries no meaning (docs/semantics.md, "Which pattern wins") -------- */
    { "keyorder-audience-tie", .code = E (VALUE), .where = "keyorder-audience-tie.json:6:58: ",
      .what = { "population.defaults.audience.p*religion: '*.religion' and 'p*religion' both "
                "select field 'profile.religion' with the same specificity",
                "add an entry for 'profile.religion' itself" } },
    { "keyorder-adoption-clash", .code = E (VALUE), .where = "keyorder-adoption-clash.json:9:19: ",
      .what = { "population.adoption.tag:device-integrated: 'kind:device_maker' and "
                "'tag:device-integrated' both select partner 'huawei' and give it different "
                "shares",
                "write adoption as an array" } },
    { "keyorder-adoption-entry", .code = E (SCHEMA), .where = "keyorder-adoption-entry.json:9:49: ",
      .what = { "population.adoption[1]: expected an object with one key {partner selector: "
                "share}" } },
    { "keyorder-set-clash", .code = E (SET), .where = "keyorder-set-clash.json:7:5: ",
      .what = { "set: 'partners[2].destinations[dc].jurisdiction' and "
                "'partners[huawei].destinations' may change the same value",
                "write set as an array of {PATH: VALUE} objects" } },
    { "keyorder-set-entry", .code = E (SCHEMA), .where = "keyorder-set-entry.json:6:38: ",
      .what = { "set[1]: expected an object with one key {PATH: VALUE}" } },
    { "keyorder-import-clash", .code = E (VALUE), .where = "keyorder-import-clash.json:6:60: ",
      .what = { "population.import.attributes.phone: attributes 'huawei_user' and 'phone' can "
                "set the same thing for one user",
                "write attributes as an array" } },
    { "generator-unknown", .code = E (VALUE), .where = "generator-unknown.json:6:18: ",
      .what = { "population.generator: unknown generator 'erdos-renyi'",
                "did you mean 'erdos_renyi'?" } },
    { "generator-far", .code = E (VALUE), .where = "generator-far.json:6:18: ",
      .what = { "population.generator: unknown generator 'small_world' (known: 'erdos_renyi', "
                "'barabasi_albert', 'watts_strogatz', 'facebook_like')" } },
    { "model-key-other-generator", .code = E (SCHEMA),
      .where = "model-key-other-generator.json:9:5: ",
      .what = { "population.clustering: 'clustering' is a parameter of the facebook_like "
                "generator, not of erdos_renyi" } },
    { "cli-set-model-key", "valid-generated.json", .set = "population.rewire=0.2",
      .code = E (SCHEMA), .where = "--set population.rewire:1:1: ",
      .what = { "'rewire' is a parameter of the watts_strogatz generator, not of erdos_renyi" } },
    { "model-key-range", .code = E (VALUE), .where = "model-key-range.json:9:15: ",
      .what = { "population.spread: 5 is out of range (expected a number from 0 to 4)" } },
    { "max-degree-low", .code = E (VALUE), .where = "max-degree-low.json:8:20: ",
      .what = { "population.mean_degree: mean degree 40 is more than max_degree (30)" } },
    { "adoption-model-unknown", .code = E (VALUE), .where = "adoption-model-unknown.json:9:23: ",
      .what = { "population.adoption_model: unknown adoption model 'clusterd'",
                "did you mean 'clustered'?", "(expected \"random\" or \"clustered\")" } },
    { "import-with-generator", .code = E (SCHEMA), .where = "import-with-generator.json:7:5: ",
      .what = { "population.generator: 'generator' cannot be used with 'import'" } },
    { "import-file-missing", .code = E (SCHEMA), .where = "import-file-missing.json:6:15: ",
      .what = { "population.import: missing required key 'file'" } },
    { "import-format-unknown", .code = E (VALUE), .where = "import-format-unknown.json:6:50: ",
      .what = { "population.import.format: unknown graph format 'graphxml'",
                "did you mean 'graphml'?" } },
    { "import-setting-unknown", .code = E (VALUE), .where = "import-setting-unknown.json:6:69: ",
      .what = { "population.import.attributes.fb_on: unknown setting 'platfrom'",
                "did you mean 'platform'?" } },
    { "import-uses-unknown", .code = E (REFERENCE), .where = "import-uses-unknown.json:6:69: ",
      .what = { "population.import.attributes.phone: unknown partner 'huwei'",
                "did you mean 'huawei'?" } },
    { "import-audience-pattern", .code = E (REFERENCE),
      .where = "import-audience-pattern.json:6:69: ",
      .what = { "population.import.attributes.faith: field pattern 'profile.religon' selects "
                "no field",
                "did you mean 'profile.religion'?" } },
    { "mean-degree-high", .code = E (VALUE), .where = "mean-degree-high.json:8:20: ",
      .what = { "population.mean_degree: mean degree 12 is more than users - 1 (9)" } },
    { "users-zero", .code = E (VALUE), .where = "users-zero.json:7:14: ",
      .what = { "population.users: 0 is out of range (expected an integer from 1 to" } },

    /* ---- include and extends ------------------------------------------------------------ */
    { "include-missing", .code = E (IO), .where = "include-missing.json:4:29: ",
      .what = { "include 'polices/huawei.json': cannot read", "polices/huawei.json" } },
    /* located at the include that names the missing file, not at the top file's include */
    { "include-missing-nested", .code = E (IO), .where = "parts/includes-missing.json:3:15: ",
      .what = { "include 'no-such-file.json': cannot read", "parts/no-such-file.json" } },
    { "inline-include-missing", .text = "{ \"include\": [\"nope.json\"] }", .code = E (IO),
      .where = "inline-include-missing.json:1:15: ",
      .what = { "include 'nope.json': cannot read" } },
    { "include-directory", .code = E (IO),
      .where = "include-directory.json:3:15: ", .what = { "include 'parts': cannot read" } },
    { "include-not-array", .code = E (SCHEMA), .where = "include-not-array.json:3:14: ",
      .what = { "include: expected an array of file names" } },
    { "include-not-string", .code = E (SCHEMA), .where = "include-not-string.json:3:29: ",
      .what = { "include[1]: expected a file name (a non-empty string)" } },
    { "include-cycle", .code = E (CYCLE), .where = "parts/cycle-b.json:3:32: ",
      .what = { "include cycle: parts/cycle-a.json -> parts/cycle-b.json -> "
                "parts/cycle-a.json" } },
    { "include-self", .code = E (CYCLE), .where = "include-self.json:3:15: ",
      .what = { "include cycle: include-self.json -> include-self.json" } },
    { "extends-cycle", .code = E (CYCLE), .where = "parts/extends-cycle-base.json:3:14: ",
      .what = { "extends cycle: extends-cycle.json -> parts/extends-cycle-base.json -> "
                "extends-cycle.json" } },
    { "extends-policy", .code = E (SCHEMA), .where = "extends-policy.json:3:14: ",
      .what = { "extends: 'model.json' is not a scenario (it has no 'scenario' key)" } },
    { "extends-missing", .code = E (IO), .where = "extends-missing.json:3:14: ",
      .what = { "extends 'bsae.json': cannot read", "bsae.json" } },
    { "extends-not-string", .code = E (SCHEMA), .where = "extends-not-string.json:3:14: ",
      .what = { "extends: expected the file name of a base scenario, got an array" } },

    /* ---- set, in the file ------------------------------------------------------------- */
    { "set-malformed-path", .code = E (SET), .where = "set-malformed-path.json:7:5: ",
      .what = { "set: malformed path 'partners[quiz.name'",
                "expected keys separated by '.', with [N], [ID], [*], [kind:K], [tag:T] or "
                "a glob" } },
    { "set-empty-segment", .code = E (SET),
      .where = "set-empty-segment.json:7:5: ", .what = { "set: malformed path 'partners..name'" } },
    { "set-missing-element", .code = E (SET), .where = "set-missing-element.json:7:5: ",
      .what = { "set 'partners[quiz].destinations[cloud].jurisdiction': no element 'cloud'",
                "(ids: 'servers')" } },
    { "set-index-range", .code = E (SET), .where = "set-index-range.json:7:5: ",
      .what = { "set 'rules[5].effect': no element '5' (the array has 1 element)" } },
    { "set-missing-key", .code = E (SET), .where = "set-missing-key.json:7:5: ",
      .what = { "set 'population.defaults.platform': no key 'defaults'" } },
    { "set-key-of-number", .code = E (SET), .where = "set-key-of-number.json:8:5: ",
      .what = { "set 'seed.value': cannot take key 'value' of a number" } },
    { "set-bad-value", .code = E (VALUE),
      .where = "set-bad-value.json:7:13: ", .what = { "date: '2015-02-30' is not a valid date" } },
    { "set-new-key", .code = E (SCHEMA), .where = "set-new-key.json:7:5: ",
      .what = { "partners[0].destinations[0].region: unknown key 'region'" } },
    { "set-not-object", .code = E (SCHEMA), .where = "set-not-object.json:6:10: ",
      .what = { "set: expected an object of PATH: VALUE overrides" } },

    /* ---- --set ----------------------------------------------------------------------- */
    { "cli-set-malformed", "valid.json", .set = "partners..name=x", .code = E (SET),
      .where = "--set partners..name:1:1: ", .what = { "set: malformed path 'partners..name'" } },
    { "cli-set-missing-element", "valid.json", .set = "rules[nope].effect=deny", .code = E (SET),
      .where = "--set rules[nope].effect:1:1: ",
      .what = { "set 'rules[nope].effect': no element 'nope' (ids: 'v1-apps')" } },
    { "cli-set-key-of-string", "valid.json", .set = "date.year=2015", .code = E (SET),
      .where = "--set date.year:1:1: ",
      .what = { "set 'date.year': cannot take key 'year' of a string" } },
    { "cli-set-bad-value", "valid.json", .set = "date=2015-13-01", .code = E (VALUE),
      .where = "--set date:1:6: ", .what = { "date: '2015-13-01' is not a valid date" } },
    { "cli-set-unknown-key", "valid.json", .set = "partners[quiz].kin=app", .code = E (SCHEMA),
      .where = "--set partners[quiz].kin:1:1: ",
      .what = { "partners[0].kin: unknown key 'kin'; did you mean 'kind'?" } },
    { "cli-set-dup-key", "valid.json", .set = "title={\"a\": 1, \"a\": 2}", .code = E (SCHEMA),
      .where = "--set title:1:16: ", .what = { "duplicate key 'a' (first given at 1:8)" } },
    { "cli-set-not-utf8", "valid.json", .set = "title=caf\xe9", .code = E (VALUE),
      .where = "--set title:1:7: ", .what = { "title: string is not valid UTF-8" } },
    { "cli-set-no-equals", "valid.json", .set = "seed", .code = E (SET),
      .where = "--set 'seed': ", .what = { "expected PATH=VALUE" } },
};

static FsimScenario *
load_case (const ErrorCase *c, GError **error)
{
    g_autofree char *file = c->file ? g_strdup (c->file) : g_strconcat (c->name, ".json", NULL);
    const char *sets[] = { c->set, NULL };
    if (c->text)
        return fsim_loader_load_string (file, c->text, c->set ? sets : NULL, error);
    return fsim_loader_load (file, c->set ? sets : NULL, error);
}

static void
test_error_case (gconstpointer data)
{
    const ErrorCase *c = data;
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimScenario) s = load_case (c, &error);
    g_assert_null (s);
    g_assert_nonnull (error);
    g_test_message ("%s", error->message);
    g_assert_error (error, FSIM_LOADER_ERROR, (gint) c->code);
    /* valid UTF-8, whatever the input was; one line per error, each located */
    g_assert_true (g_utf8_validate (error->message, -1, NULL));
    g_auto (GStrv) lines = g_strsplit (error->message, "\n", -1);
    for (char **l = lines; *l; l++)
        g_assert_true (g_regex_match_simple ("^[^:]+(:[0-9]+:[0-9]+)?: ", *l, 0, 0));
    if (!g_str_has_prefix (c->name, "many-errors"))
        g_assert_null (strchr (error->message, '\n'));
    if (!g_str_has_prefix (error->message, c->where))
        g_error ("message '%s' does not start with '%s'", error->message, c->where);
    for (size_t i = 0; i < G_N_ELEMENTS (c->what) && c->what[i]; i++)
        if (!strstr (error->message + strlen (c->where), c->what[i]))
            g_error ("message '%s' lacks '%s'", error->message, c->what[i]);
}

/* Issue 15: the seven errors of many-errors-kinds.json, one line each: rule r2's partner
 * 'nobody' is not the partner that failed ('quiz'), so it is reported. */
static void
test_error_kinds_counted (void)
{
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimScenario) s = fsim_loader_load ("many-errors-kinds.json", NULL, &error);
    g_assert_null (s);
    g_assert_nonnull (error);
    g_auto (GStrv) lines = g_strsplit (error->message, "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, 7);
    g_assert_nonnull (strstr (lines[4], "unknown partner 'nobody'"));
}

/*
 * Issue 15: every error of a file, each located, and none that an error before it caused. The
 * whole message is compared: one more line (a cascade) or one less (an error hidden) fails.
 */
typedef struct {
    const char *file;
    const char *sets[6];
    FsimLoaderError code; /* of the first error */
    const char *message;
} ManyCase;

static const ManyCase many[] = {
    /* only true cascades are left out: the API 'messenger' failed in its scopes (so rule r1's
     * scope 'inbox' may be one of them), partner 'Lender Co' has no valid id (so r2's
     * 'lender' may be it) and failed (so r3's 'kind:lender', which is its kind, may name one
     * that failed); r4's API and the user's key are errors of their own */
    { "many-errors-cascade.json",
      { NULL },
      E (REFERENCE),
      "many-errors-cascade.json:6:66: apis[0].scopes[0].subject: unknown subject 'me' (known: "
      "'self', 'friends', 'friends_of_friends')\n"
      "many-errors-cascade.json:9:13: partners[0].id: 'Lender Co' is not a valid id (expected 1 "
      "to 128 letters, digits, '_', '-', '.' or ':')\n"
      "many-errors-cascade.json:16:65: rules[3].apis[0]: unknown API 'graph-v2'; did you mean "
      "'graph-v1'?\n"
      "many-errors-cascade.json:18:65: population.users[0].age: unknown key 'age' (known keys: "
      "'id', 'friends', 'uses', 'settings')" },
    /* every independent error of one entity, in the order written (a key taken for a
     * required one stands for it: no "missing required key" for the share's misspelt
     * 'fields'): a field's label; an API's setting, two of its scopes and a
     * third's id; a partner's country, two destinations, a third's id, its share's partner and
     * window; a rule's effect, partner, API and window; every unknown key of the population.
     * Left out as a cascade: the request 'friends_religion' (the API 'messenger' failed, and
     * it may be the one offering it) */
    { "many-errors-entity.json",
      { NULL },
      E (SCHEMA),
      "many-errors-entity.json:5:45: fields[0].label: expected a string, got a number\n"
      "many-errors-entity.json:7:26: apis[0].titel: unknown key 'titel'; did you mean 'title'?\n"
      "many-errors-entity.json:7:61: apis[0].respects[0]: unknown setting 'platfrom'; did you "
      "mean 'platform'?\n"
      "many-errors-entity.json:8:47: apis[0].scopes[0].subject: unknown subject 'me' (known: "
      "'self', 'friends', 'friends_of_friends')\n"
      "many-errors-entity.json:9:67: apis[0].scopes[1].fields[0]: field pattern "
      "'profile.birthdya' selects no field; did you mean 'profile.birthday'?\n"
      "many-errors-entity.json:10:19: apis[0].scopes[2]: duplicate scope id 'inbox' in API "
      "'messenger'\n"
      "many-errors-entity.json:13:52: partners[0].country: 'usa' is not a country code (expected "
      "ISO 3166-1 alpha-2, two capital letters)\n"
      "many-errors-entity.json:15:51: partners[0].destinations[0].location: unknown location "
      "'cloud' (known: 'device', 'server')\n"
      "many-errors-entity.json:16:80: partners[0].destinations[1].jurisdiction: 'us' is not a "
      "country code (expected two capital letters, ISO 3166-1 alpha-2, such as \"US\" or \"CN\")\n"
      "many-errors-entity.json:17:33: partners[0].destinations[2].id: duplicate destination id "
      "'dc' (first defined at 15:25)\n"
      "many-errors-entity.json:18:29: partners[0].shares[0].with: unknown partner 'brokr'; did "
      "you mean 'broker'?\n"
      "many-errors-entity.json:18:38: partners[0].shares[0].feilds: unknown key 'feilds'; did you "
      "mean 'fields'?\n"
      "many-errors-entity.json:19:31: partners[0].shares[0].active: empty window: 'from' must be "
      "before 'until'\n"
      "many-errors-entity.json:22:29: rules[0].effect: unknown effect 'permit' (known: 'allow', "
      "'deny')\n"
      "many-errors-entity.json:22:60: rules[0].partners[1]: unknown partner 'lendr'; did you mean "
      "'lender'?\n"
      "many-errors-entity.json:22:79: rules[0].apis[0]: unknown API 'graph-v2'; did you mean "
      "'graph-v1'?\n"
      "many-errors-entity.json:23:38: rules[0].until: empty window: 'from' must be before "
      "'until'\n"
      "many-errors-entity.json:26:19: population.defauts: unknown key 'defauts'; did you mean "
      "'defaults'?\n"
      "many-errors-entity.json:26:34: population.colour: unknown key 'colour' (known keys: "
      "'defaults', 'users', 'snapshot')" },
    /* claims that fail (a choice names no alternative) leave unconverted only the values an
     * alternative sets (here huawei's destination 'handset'): lender's jurisdiction 'Moon',
     * the rule's effect and the user's key are reported */
    { "many-errors-claims.json",
      { NULL },
      E (REFERENCE),
      "many-errors-claims.json:12:27: choices.storage: unknown alternative 'chnia' of claim "
      "'storage'; did you mean 'china'?\n"
      "many-errors-claims.json:15:77: partners[0].destinations[0].jurisdiction: 'Moon' is not a "
      "country code (expected two capital letters, ISO 3166-1 alpha-2, such as \"US\" or \"CN\")\n"
      "many-errors-claims.json:17:38: rules[0].effect: unknown effect 'alow'; did you mean "
      "'allow'?\n"
      "many-errors-claims.json:18:75: population.users[0].color: unknown key 'color' (known keys: "
      "'id', 'friends', 'uses', 'settings')" },
    /* every claim that fails is an error of its own (a claim without a default, one with an
     * alternative id twice), and the model is converted but what an alternative sets */
    { "many-errors-claims-each.json",
      { NULL },
      E (SCHEMA),
      "many-errors-claims-each.json:6:5: claims[0]: missing required key 'default' (the "
      "alternative the model takes unless a scenario chooses)\n"
      "many-errors-claims-each.json:13:33: claims[1].alternatives[1].id: duplicate alternative id "
      "'adults' (first defined at 12:25)\n"
      "many-errors-claims-each.json:15:38: rules[0].effect: unknown effect 'alow'; did you mean "
      "'allow'?" },
    /* every independent error within one claim and its alternatives, in the order written:
     * the claim's id and unknown key, an alternative stated by no party, one that is no
     * object, an unknown evidence, a summary that is no string, a set of a choice, a duplicate
     * id, sources that are no array; another claim's misspelt key; a choice of a claim that
     * failed but whose alternatives were all read ('kids'), a choice of no claim. Left out:
     * the first claim's default 'devise' and its choice (they may name the alternative that
     * is no object) */
    { "many-errors-claim-inside.json",
      { NULL },
      E (VALUE),
      "many-errors-claim-inside.json:6:13: claims[0].id: expected an id (1 to 128 letters, "
      "digits, '_', '-', '.' or ':'), got an invalid string\n"
      "many-errors-claim-inside.json:6:29: claims[0].quesion: unknown key 'quesion'; did you mean "
      "'question'?\n"
      "many-errors-claim-inside.json:8:9: claims[0].alternatives[0]: missing required key "
      "'party': a \"stated\" alternative names who stated it\n"
      "many-errors-claim-inside.json:9:9: claims[0].alternatives[1]: expected an alternative (an "
      "object), got a string\n"
      "many-errors-claim-inside.json:10:38: claims[0].alternatives[2].evidence: unknown evidence "
      "'reportd'; did you mean 'reported'? (expected \"tested\", \"stated\", \"reported\" or "
      "\"assumed\")\n"
      "many-errors-claim-inside.json:10:60: claims[0].alternatives[2].summary: expected a string, "
      "got a number\n"
      "many-errors-claim-inside.json:12:20: claims[0].alternatives[2].set: 'choices.age': an "
      "alternative sets the model, not the claims or the choices\n"
      "many-errors-claim-inside.json:13:17: claims[0].alternatives[3].id: duplicate alternative "
      "id 'china' (first defined at 10:9)\n"
      "many-errors-claim-inside.json:13:81: claims[0].alternatives[3].sources: expected an array "
      "of sources, got a number\n"
      "many-errors-claim-inside.json:16:43: claims[1].alternatives[1].evidnce: unknown key "
      "'evidnce'; did you mean 'evidence'?\n"
      "many-errors-claim-inside.json:18:23: choices.age: unknown alternative 'kids' of claim "
      "'age' (alternatives: 'adults', 'minors')\n"
      "many-errors-claim-inside.json:18:56: choices.ages: unknown claim 'ages'; did you mean "
      "'age'?\n"
      "many-errors-claim-inside.json:19:38: rules[0].effect: unknown effect 'alow'; did you mean "
      "'allow'?" },
    /* claims that fail leave out only the values an alternative sets (and what is checked
     * against them: the object that holds them): the destination 'handset', whose location
     * ('cloud') and jurisdiction ('cn') the claim was to replace; every other error of the
     * partners is reported (the same partner's other destination, another partner, a rule's
     * partner) */
    { "many-errors-claims-values.json",
      { NULL },
      E (REFERENCE),
      "many-errors-claims-values.json:12:27: choices.storage: unknown alternative 'chnia' of "
      "claim 'storage'; did you mean 'china'?\n"
      "many-errors-claims-values.json:17:65: partners[0].destinations[1].jurisdiction: 'Moon' is "
      "not a country code (expected two capital letters, ISO 3166-1 alpha-2, such as \"US\" or "
      "\"CN\")\n"
      "many-errors-claims-values.json:18:52: partners[1].country: 'usa' is not a country code "
      "(expected ISO 3166-1 alpha-2, two capital letters)\n"
      "many-errors-claims-values.json:21:38: rules[0].effect: unknown effect 'alow'; did you mean "
      "'allow'?\n"
      "many-errors-claims-values.json:21:59: rules[0].partners[0]: unknown partner 'lendr'; did "
      "you mean 'lender'?" },
    /* an alternative that sets a partner's tags may change what a tag: names, so 'tag:china'
     * is left out; a partner's id it cannot change: 'huawie' is reported */
    { "many-errors-claims-names.json",
      { NULL },
      E (REFERENCE),
      "many-errors-claims-names.json:12:25: choices.group: unknown alternative 'maybe' of claim "
      "'group' (alternatives: 'yes', 'no')\n"
      "many-errors-claims-names.json:13:72: rules[0].partners[1]: unknown partner 'huawie'; did "
      "you mean 'huawei'?\n"
      "many-errors-claims-names.json:14:38: rules[1].effect: unknown effect 'alow'; did you mean "
      "'allow'?" },
    /* every part of a population: its keys, its defaults, each user; alice's friend 'bob' and
     * erin's 'frank' are left out: either may be the user whose id could not be read */
    { "many-errors-population.json",
      { NULL },
      E (SCHEMA),
      "many-errors-population.json:6:31: population.defaults.platform: expected true or false, "
      "got a string\n"
      "many-errors-population.json:9:15: population.users[1].id: 'Bob Smith' is not a valid id "
      "(expected 1 to 128 letters, digits, '_', '-', '.' or ':')\n"
      "many-errors-population.json:10:33: population.users[2].uses[0]: unknown partner 'quizz'; "
      "did you mean 'quiz'?\n"
      "many-errors-population.json:11:71: population.users[3].settings.audience.profile.birthday: "
      "unknown audience 'everyone' (expected \"public\", \"friends_of_friends\", \"friends\" or "
      "\"only_me\")\n"
      "many-errors-population.json:14:5: population.color: unknown key 'color' (known keys: "
      "'defaults', 'users', 'snapshot')" },
    /* a generated population: the numbers, the generator's keys, the settings, the adoption
     * and its model (the mean degree is not compared with max_degree when a key failed) */
    { "many-errors-generated.json",
      { NULL },
      E (VALUE),
      "many-errors-generated.json:8:20: population.mean_degree: -5 is out of range (expected a "
      "number from 0 to 5000)\n"
      "many-errors-generated.json:9:5: population.rewire: 'rewire' is a parameter of the "
      "watts_strogatz generator, not of erdos_renyi\n"
      "many-errors-generated.json:10:35: population.settings.platform_off: 2 is out of range "
      "(expected a number from 0 to 1)\n"
      "many-errors-generated.json:11:19: population.adoption.quizz: unknown partner 'quizz'; did "
      "you mean 'quiz'?\n"
      "many-errors-generated.json:12:23: population.adoption_model: unknown adoption model "
      "'clusterd'; did you mean 'clustered'? (expected \"random\" or \"clustered\")" },
    /* every include that fails, and the model converted all the same: the rule's effect is an
     * error of its own; alice's 'lender' is left out (it may be in the files not read) */
    { "many-errors-include.json",
      { NULL },
      E (IO),
      "many-errors-include.json:4:29: include 'polices/huawei.json': cannot read "
      "polices/huawei.json: No such file or directory\n"
      "many-errors-include.json:4:52: include[2]: expected a file name (a non-empty string)\n"
      "many-errors-include.json:6:38: rules[0].effect: unknown effect 'alow'; did you mean "
      "'allow'?\n"
      "parts/broken.json:3:45: invalid JSON: unexpected ']'" },
    /* every set entry that fails, the others applied, then the model converted */
    { "many-errors-set.json",
      { NULL },
      E (SET),
      "many-errors-set.json:7:7: set 'partners[quiz].destinations[cloud].jurisdiction': no "
      "element 'cloud' (ids: 'servers')\n"
      "many-errors-set.json:8:5: set[1]: expected an object with one key {PATH: VALUE}\n"
      "many-errors-set.json:10:7: set: malformed path 'partners..kind' (expected keys separated "
      "by '.', with [N], [ID], [*], [kind:K], [tag:T] or a glob to pick array elements)\n"
      "many-errors-set.json:11:7: set 'claims[0].default': claims cannot be set; choose an "
      "alternative with 'choices' or --claim CLAIM=ALTERNATIVE\n"
      "many-errors-set.json:12:15: seed: -1 is out of range (expected an integer from 0 to "
      "9007199254740991)" },
    /* a base that cannot be read: the file's own includes and sets are checked, and the model
     * is converted without what the base may hold: the rule's effect is an error of its own;
     * its partner 'quiz', the missing 'date', the population (laid over the base's, key by
     * key: 'users' may be there) and the choice of claim 'storage' are left out */
    { "many-errors-extends.json",
      { NULL },
      E (IO),
      "many-errors-extends.json:3:14: extends 'bsae.json': cannot read bsae.json: No such file or "
      "directory\n"
      "many-errors-extends.json:4:15: include 'polices/huawei.json': cannot read "
      "polices/huawei.json: No such file or directory\n"
      "many-errors-extends.json:5:12: set[0]: expected an object with one key {PATH: VALUE}\n"
      "many-errors-extends.json:6:38: rules[0].effect: unknown effect 'alow'; did you mean "
      "'allow'?" },
    /* every --set of the command line, then the values they gave, each located */
    { "valid.json",
      { "partners[nobody].kind=app", "seed", "seed=x",
        "partners[*].destinations[*].jurisdiction=us", NULL },
      E (SET),
      "--set partners[nobody].kind:1:1: set 'partners[nobody].kind': no element 'nobody' (ids: "
      "'quiz', 'broker', 'huawei')\n"
      "--set 'seed': expected PATH=VALUE\n"
      "--set seed:1:6: seed: expected an integer, got a string\n"
      "--set partners[*].destinations[*].jurisdiction:1:1: "
      "partners[2].destinations[0].jurisdiction: a 'device' destination has no jurisdiction (the "
      "data stays on the user's device)\n"
      "--set partners[*].destinations[*].jurisdiction:1:42: "
      "partners[0].destinations[0].jurisdiction: 'us' is not a country code (expected two capital "
      "letters, ISO 3166-1 alpha-2, such as \"US\" or \"CN\")\n"
      "--set partners[*].destinations[*].jurisdiction:1:42: "
      "partners[1].destinations[0].jurisdiction: 'us' is not a country code (expected two capital "
      "letters, ISO 3166-1 alpha-2, such as \"US\" or \"CN\")" },
};

static void
test_error_many (gconstpointer data)
{
    const ManyCase *m = data;
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimScenario) s =
        fsim_loader_load (m->file, m->sets[0] ? (const char *const *) m->sets : NULL, &error);
    g_assert_null (s);
    g_assert_error (error, FSIM_LOADER_ERROR, (gint) m->code);
    g_assert_cmpstr (error->message, ==, m->message);
}

/* The limit counts the errors of resolving too: 25 includes that cannot be read give the first
 * 20, in order, then the line that says the loader stopped (and nothing is converted). */
static void
test_error_many_limit_includes (void)
{
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimScenario) s = fsim_loader_load ("many-errors-include-limit.json", NULL, &error);
    g_assert_null (s);
    g_assert_error (error, FSIM_LOADER_ERROR, FSIM_LOADER_ERROR_IO);
    g_auto (GStrv) lines = g_strsplit (error->message, "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, 21);
    for (int i = 0; i < 20; i++) {
        g_autofree char *name = g_strdup_printf ("include 'missing/m%d.json': cannot read", i);
        g_assert_nonnull (strstr (lines[i], name));
    }
    g_assert_cmpstr (lines[20], ==, "many-errors-include-limit.json: stopped after 20 errors");
}

/* The files the cases are variations of load cleanly, so each case fails for its own reason. */
static void
test_error_controls (void)
{
    static const char *const valid[] = { "model.json", "valid.json", "valid-generated.json" };
    for (size_t i = 0; i < G_N_ELEMENTS (valid); i++) {
        g_autoptr (GError) error = NULL;
        g_autoptr (FsimScenario) s = fsim_loader_load (valid[i], NULL, &error);
        g_assert_no_error (error);
        g_assert_nonnull (s);
    }
}

/* Replacing an entity (extends) or any value (set) keeps its place: indices in messages and the
 * order of reports stay those of the base. */
static void
test_error_replace_keeps_order (void)
{
    static const char *const files[] = { "control-replace.json", "control-set-replace.json" };
    static const char *const jurisdiction[] = { "RU", "DE" };
    for (size_t i = 0; i < G_N_ELEMENTS (files); i++) {
        g_autoptr (GError) error = NULL;
        g_autoptr (FsimScenario) s = fsim_loader_load (files[i], NULL, &error);
        g_assert_no_error (error);
        g_assert_cmpuint (s->n_partners, ==, 3);
        g_assert_cmpstr (s->partners[0].id, ==, "quiz");
        g_assert_cmpstr (s->partners[1].id, ==, "broker");
        g_assert_cmpstr (s->partners[2].id, ==, "huawei");
        g_assert_cmpstr (s->partners[1].destinations[0].jurisdiction, ==, jurisdiction[i]);
        g_assert_cmpuint (s->partners[0].shares[0].partner, ==, 1);
    }
    /* the nested set in control-replace.json reached the replacing broker */
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimScenario) s = fsim_loader_load (files[0], NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (s->partners[1].destinations[0].fields[0], ==, 2u); /* profile.birthday */
}

int
main (int argc, char *argv[])
{
    g_test_init (&argc, &argv, NULL);
    /* Run where the corpus is, so that messages name its files relatively. */
    g_autofree char *dir = fsim_test_data_path ("errors", NULL);
    if (g_chdir (dir) != 0)
        g_error ("cannot enter %s", dir);
    g_test_add_func ("/errors/control/valid", test_error_controls);
    g_test_add_func ("/errors/many-errors-kinds/counted", test_error_kinds_counted);
    g_test_add_func ("/errors/many-errors/limit-includes", test_error_many_limit_includes);
    g_test_add_func ("/errors/control/replace-keeps-order", test_error_replace_keeps_order);
    for (size_t i = 0; i < G_N_ELEMENTS (many); i++) {
        g_autofree char *name = g_path_get_basename (many[i].file);
        *strrchr (name, '.') = '\0';
        g_autofree char *path =
            g_strdup_printf ("/errors/exact/%s%s", name, many[i].sets[0] ? "-cli-sets" : "");
        g_test_add_data_func (path, &many[i], test_error_many);
    }
    for (size_t i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autofree char *path = g_strconcat ("/errors/", cases[i].name, NULL);
        g_test_add_data_func (path, &cases[i], test_error_case);
    }
    return g_test_run ();
}
