/* SPDX-License-Identifier: MIT */
/* test-corrections.c: each correction of the December 2026 review holds as a dated fact. */
#include <string.h>

#include <glib.h>

#include "engine.h"
#include "history-util.h"
#include "loader.h"
#include "policy.h"
#include "population.h"
#include "report.h"
#include "test-util.h"

/*
 * The fact-check of the bundled model (issue 12) found places where it was wrong or took one
 * side of a disputed fact without saying so. Each test here runs a bundled scenario on a small
 * population on the day the correction is about, and checks who got what, so that a later edit
 * of policies/ that undoes a correction fails here. The sources are in the policy files.
 */

/* Users whose @field reached @partner through channel @c. */
static size_t
field_through (const Run *run, const char *partner, const char *field, FsimChannel c)
{
    gssize f = fsim_scenario_find_field (run->s, field);
    g_assert_cmpint (f, >=, 0);
    return run->r->fp_channel[c][(size_t) f * run->s->n_partners + partner_index (run, partner)];
}

static size_t
field_from_friends (const Run *run, const char *partner, const char *field)
{
    return MAX (field_through (run, partner, field, FSIM_CHANNEL_FRIEND),
                field_through (run, partner, field, FSIM_CHANNEL_FRIEND_OF_FRIEND));
}

static const FsimClaim *
claim (const FsimScenario *s, const char *id)
{
    gssize c = fsim_scenario_find_claim (s, id);
    if (c < 0)
        g_error ("no claim '%s' in %s", id, s->id);
    return &s->claims[c];
}

static FsimScenario *
load_bundled (const char *name)
{
    g_autoptr (GError) error = NULL;
    g_autofree char *file = g_strconcat (name, ".json", NULL);
    g_autofree char *path = fsim_test_source_path ("scenarios", file, NULL);
    FsimScenario *s = fsim_loader_load (path, NULL, &error);
    g_assert_no_error (error);
    return s;
}

/* Facebook dated its device partnerships to 2007 (not 2010); Microsoft its own to 2008. */
static void
test_corrections_device_since_2007 (void)
{
    const char *const everyone[] = { "population.adoption={\"*\": 0.02}", NULL };
    g_auto (Run) before = { 0 };
    run_bundled (&before, "device-partners-2018", "2006-12-31", everyone);
    g_assert_cmpuint (reached (&before, "blackberry"), ==, 0);

    g_auto (Run) y2007 = { 0 };
    run_bundled (&y2007, "device-partners-2018", "2007-06-01", everyone);
    g_assert_cmpuint (friend_data (&y2007, "blackberry"), >, 0);
    g_assert_cmpuint (friend_data (&y2007, "huawei"), >, 0);
    g_assert_cmpuint (users_of (&y2007, "microsoft"), >, 0);
    g_assert_cmpuint (reached (&y2007, "microsoft"), ==, 0);

    g_auto (Run) y2008 = { 0 };
    run_bundled (&y2008, "device-partners-2018", "2008-01-01", everyone);
    g_assert_cmpuint (friend_data (&y2008, "microsoft"), >, 0);
}

/* Apple's end is a claim: Facebook (continued past October 2018, the default) or Apple (ended
 * in September 2017). Both alternatives are stated, each by its party. */
static void
test_corrections_apple_claim (void)
{
    const char *const apple_says[] = { "choices.apple-access=apple-2017-09", NULL };
    g_auto (Run) fb = { 0 };
    run_bundled (&fb, "device-partners-2018", "2018-11-01", NULL);
    g_assert_cmpuint (users_of (&fb, "apple"), >, 0);
    g_assert_cmpuint (friend_data (&fb, "apple"), >, 0);
    const FsimClaim *c = claim (fb.s, "apple-access");
    g_assert_cmpstr (c->alternatives[c->chosen].id, ==, "facebook-2018-06");

    g_auto (Run) sept = { 0 };
    run_bundled (&sept, "device-partners-2018", "2017-09-30", apple_says);
    g_assert_cmpuint (friend_data (&sept, "apple"), >, 0);
    g_auto (Run) oct = { 0 };
    run_bundled (&oct, "device-partners-2018", "2017-10-01", apple_says);
    g_assert_cmpuint (users_of (&oct, "apple"), >, 0);
    g_assert_cmpuint (reached (&oct, "apple"), ==, 0);
    g_auto (Run) nov = { 0 };
    run_bundled (&nov, "device-partners-2018", "2018-11-01", apple_says);
    g_assert_cmpuint (reached (&nov, "apple"), ==, 0);
    g_assert_cmpuint (reached (&nov, "amazon"), >, 0);
    const FsimClaim *c2 = claim (nov.s, "apple-access");
    g_assert_cmpstr (c2->alternatives[c2->chosen].id, ==, "apple-2017-09");
    for (size_t a = 0; a < c2->n_alternatives; a++) {
        g_assert_cmpint (c2->alternatives[a].evidence, ==, FSIM_EVIDENCE_STATED);
        g_assert_nonnull (c2->alternatives[a].party);
    }
}

/* NYT, 18 December 2018: Apple devices got the contact numbers of people who had disabled all
 * sharing; Amazon friends' contact details. No other device partner got friends' contacts. */
static void
test_corrections_contact_sync (void)
{
    const char *const hidden[] = { "population.settings.audience.contact={\"only_me\": 1}",
                                   "population.settings.platform_off=1",
                                   "population.settings.apps_others_restricted=1", NULL };
    g_auto (Run) run = { 0 };
    run_bundled (&run, "device-partners-2018", "2017-06-01", hidden);
    g_assert_cmpuint (field_from_friends (&run, "apple", "contact.phone"), >, 0);
    g_assert_cmpuint (field_from_friends (&run, "amazon", "contact.email"), >, 0);
    g_assert_cmpuint (field_from_friends (&run, "samsung", "contact.phone"), ==, 0);
    g_assert_cmpuint (field_from_friends (&run, "blackberry", "contact.phone"), ==, 0);
    /* the device API proper respects the audience: nobody's hidden religion reached Samsung */
    g_assert_cmpuint (field_from_friends (&run, "apple", "messages.inbox"), ==, 0);
}

/* Browser deals were notification integrations without friends' data; Tobii is assumed to
 * read friends' names only; nobody but the tested BlackBerry is said to have asked for more. */
static void
test_corrections_browsers_accessibility (void)
{
    const char *const some[] = { "population.adoption.mozilla=0.02",
                                 "population.adoption.opera=0.02",
                                 "population.adoption.alibaba=0.02",
                                 "population.adoption.tobii=0.02", NULL };
    g_auto (Run) run = { 0 };
    run_bundled (&run, "device-partners-2018", "2018-06-01", some);
    static const char *const browsers[] = { "mozilla", "opera", "alibaba" };
    for (size_t i = 0; i < G_N_ELEMENTS (browsers); i++) {
        const FsimPartner *p = &run.s->partners[partner_index (&run, browsers[i])];
        g_assert_true (has_tag (p, "requests-stated"));
        g_assert_cmpuint (users_of (&run, browsers[i]), >, 0);
        g_assert_cmpuint (friend_data (&run, browsers[i]), ==, 0);
        g_assert_cmpuint (reached_no_consent (&run, browsers[i]), ==, 0);
    }
    g_assert_true (has_tag (&run.s->partners[partner_index (&run, "tobii")], "requests-assumed"));
    g_assert_cmpuint (field_from_friends (&run, "tobii", "identity.name"), >, 0);
    g_assert_cmpuint (field_from_friends (&run, "tobii", "profile.religion"), ==, 0);
    g_assert_cmpuint (through (&run, "tobii", FSIM_CHANNEL_FRIEND_OF_FRIEND), ==, 0);
    g_assert_true (
        has_tag (&run.s->partners[partner_index (&run, "blackberry")], "requests-tested"));
}

/* The 2015 extensions: friends' name, gender, birthdate, city, hometown, photos and likes only;
 * six months for most, eight for Serotek; five beta-test companies. */
static void
test_corrections_extensions (void)
{
    const char *const adopt[] = { "population.adoption.other-extension-apps=0.02",
                                  "population.adoption.serotek=0.02",
                                  "population.adoption.nike=0.02",
                                  "population.adoption.beta-test-companies=0.02", NULL };
    g_auto (Run) oct = { 0 };
    run_bundled (&oct, "graph-api-v2-2015", "2015-10-31", adopt);
    g_assert_cmpuint (field_from_friends (&oct, "other-extension-apps", "profile.birthday"), >, 0);
    g_assert_cmpuint (field_from_friends (&oct, "other-extension-apps", "profile.likes"), >, 0);
    g_assert_cmpuint (field_from_friends (&oct, "other-extension-apps", "profile.religion"), ==, 0);
    g_assert_cmpuint (field_from_friends (&oct, "other-extension-apps", "profile.status"), ==, 0);
    g_assert_cmpuint (friend_data (&oct, "nike"), >, 0);
    g_assert_cmpuint (friend_data (&oct, "beta-test-companies"), >, 0);

    g_auto (Run) nov = { 0 };
    run_bundled (&nov, "graph-api-v2-2015", "2015-11-01", adopt);
    g_assert_cmpuint (friend_data (&nov, "nike"), ==, 0);
    g_assert_cmpuint (friend_data (&nov, "other-extension-apps"), ==, 0);
    g_assert_cmpuint (friend_data (&nov, "serotek"), >, 0);
    g_auto (Run) dec = { 0 };
    run_bundled (&dec, "graph-api-v2-2015", "2015-12-31", adopt);
    g_assert_cmpuint (friend_data (&dec, "serotek"), >, 0);
    g_auto (Run) jan = { 0 };
    run_bundled (&jan, "graph-api-v2-2015", "2016-01-01", adopt);
    g_assert_cmpuint (friend_data (&jan, "serotek"), ==, 0);
}

/* TRUE when one of @p's sources has @word in its note or title. */
static gboolean
cited_for (const FsimPartner *p, const char *word)
{
    for (size_t i = 0; i < p->sources.n; i++) {
        const FsimSource *src = &p->sources.items[i];
        if ((src->note != NULL && strstr (src->note, word) != NULL) ||
            (src->title != NULL && strstr (src->title, word) != NULL))
            return TRUE;
    }
    return FALSE;
}

/*
 * Oracle, Panasonic and AOL, named among the 61 extension apps in the reporting of Facebook's
 * answers of 29 June 2018 (Fox News; Nextgov, PYMNTS), are named partners, each cited for its
 * name; the unnamed group is what is left of the 61, and the three took their share of its
 * adoption: the counts add up. With users, they get friends' birthdays and likes (not religion)
 * until 1 November 2015, and nothing from friends after.
 */
static void
test_corrections_extensions_named (void)
{
    static const char *const named[] = { "oracle", "panasonic", "aol" };
    static const char *const word[] = { "Oracle", "Panasonic", "AOL" };
    g_autoptr (FsimScenario) s = load_bundled ("graph-api-v2-2015");
    size_t n_named = 0, n_group = 0;
    double group_share = 0;

    for (size_t i = 0; i < G_N_ELEMENTS (named); i++) {
        gssize p = fsim_scenario_find_partner (s, named[i]);
        g_assert_cmpint (p, >=, 0);
        g_assert_true (has_tag (&s->partners[p], "v1-extension-2015"));
        g_assert_true (has_tag (&s->partners[p], "extension-named-2018"));
        g_assert_true (cited_for (&s->partners[p], word[i]));
        group_share += s->population.adoption[p];
    }
    for (size_t p = 0; p < s->n_partners; p++) {
        const FsimPartner *pa = &s->partners[p];
        if (!has_tag (pa, "v1-extension-2015") && !has_tag (pa, "v1-extension-8-months"))
            continue;
        if (has_tag (pa, "unnamed"))
            n_group = (size_t) g_ascii_strtoull (pa->name, NULL, 10);
        else
            n_named++;
    }
    /* 61 extensions (Facebook, 29 June 2018): 12 named, 49 in the group */
    g_assert_cmpuint (n_named, ==, 12);
    g_assert_cmpuint (n_named + n_group, ==, 61);
    /* the 1% the 52 unnamed apps had together, now 0.94% + 3 x 0.02% */
    group_share += s->population.adoption[fsim_scenario_find_partner (s, "other-extension-apps")];
    g_assert_cmpfloat_with_epsilon (group_share, 0.01, 1e-12);

    const char *const adopt[] = { "population.adoption.oracle=0.02",
                                  "population.adoption.panasonic=0.02",
                                  "population.adoption.aol=0.02", NULL };
    g_auto (Run) oct = { 0 };
    run_bundled (&oct, "graph-api-v2-2015", "2015-10-31", adopt);
    g_auto (Run) nov = { 0 };
    run_bundled (&nov, "graph-api-v2-2015", "2015-11-01", adopt);
    for (size_t i = 0; i < G_N_ELEMENTS (named); i++) {
        g_assert_cmpuint (field_from_friends (&oct, named[i], "profile.birthday"), >, 0);
        g_assert_cmpuint (field_from_friends (&oct, named[i], "profile.likes"), >, 0);
        g_assert_cmpuint (field_from_friends (&oct, named[i], "profile.religion"), ==, 0);
        g_assert_cmpuint (friend_data (&nov, named[i]), ==, 0);
        g_assert_cmpuint (users_of (&nov, named[i]), >, 0);
    }
}

/* Whitelists: the WSJ and the DCMS committee (friends' data, phone numbers, friend link; the
 * default) against Archibong (friends' lists only). */
static void
test_corrections_whitelist_claim (void)
{
    g_auto (Run) wsj = { 0 };
    run_bundled (&wsj, "whitelists-2016", NULL, NULL);
    g_assert_cmpuint (field_from_friends (&wsj, "whitelisted-unnamed", "profile.birthday"), >, 0);
    g_assert_cmpuint (field_from_friends (&wsj, "whitelisted-unnamed", "contact.phone"), >, 0);
    g_assert_cmpuint (field_from_friends (&wsj, "whitelisted-unnamed", "social.friend_link"), >, 0);

    const char *const fb[] = { "choices.whitelist-scope=facebook-archibong", NULL };
    g_auto (Run) arch = { 0 };
    run_bundled (&arch, "whitelists-2016", NULL, fb);
    g_assert_cmpuint (field_from_friends (&arch, "whitelisted-unnamed", "identity.name"), ==,
                      field_from_friends (&wsj, "whitelisted-unnamed", "identity.name"));
    g_assert_cmpuint (field_from_friends (&arch, "whitelisted-unnamed", "profile.birthday"), ==, 0);
    g_assert_cmpuint (field_from_friends (&arch, "whitelisted-unnamed", "contact.phone"), ==, 0);
    const FsimClaim *c = claim (arch.s, "whitelist-scope");
    g_assert_cmpstr (c->alternatives[c->chosen].party, ==, "Facebook");
}

/* The December 2018 integration partners: Bing (friends' names), Netflix, Spotify and RBC
 * (messages; each denied it), Yahoo (friends' posts into summer 2018). */
static void
test_corrections_integration_partners (void)
{
    g_auto (Run) y2017 = { 0 };
    run_bundled (&y2017, "integration-partners-2017", NULL, NULL);
    g_assert_cmpstr (y2017.s->date_string, ==, "2017-06-01");
    g_assert_cmpuint (field_from_friends (&y2017, "bing", "identity.name"), >,
                      10 * users_of (&y2017, "bing"));
    g_assert_cmpuint (reached_no_consent (&y2017, "bing"), >, 0);
    static const char *const msg[] = { "netflix", "spotify", "rbc" };
    for (size_t i = 0; i < G_N_ELEMENTS (msg); i++)
        g_assert_cmpuint (field_through (&y2017, msg[i], "messages.inbox", FSIM_CHANNEL_SELF), >,
                          0);
    g_assert_cmpuint (field_from_friends (&y2017, "yahoo", "profile.status"), >, 0);

    const char *const denials[] = { "choices.messages-access=partners-denials", NULL };
    g_auto (Run) denied = { 0 };
    run_bundled (&denied, "integration-partners-2017", NULL, denials);
    for (size_t i = 0; i < G_N_ELEMENTS (msg); i++)
        g_assert_cmpuint (field_through (&denied, msg[i], "messages.inbox", FSIM_CHANNEL_SELF), ==,
                          0);
    const FsimClaim *c = claim (denied.s, "messages-access");
    g_assert_nonnull (strstr (c->alternatives[c->chosen].party, "Netflix"));

    g_auto (Run) summer = { 0 };
    run_bundled (&summer, "integration-partners-2017", "2018-08-31", NULL);
    g_assert_cmpuint (field_from_friends (&summer, "yahoo", "profile.status"), >, 0);
    g_assert_cmpuint (reached (&summer, "bing"), ==, 0);
    g_auto (Run) sept = { 0 };
    run_bundled (&sept, "integration-partners-2017", "2018-09-01", NULL);
    g_assert_cmpuint (reached (&sept, "yahoo"), ==, 0);
}

/* GSR's installers agreed through a notice the FTC alleges was deceptive; the report says so. */
static void
test_corrections_deceptive_consent (void)
{
    const char *const adopt[] = { "population.adoption.thisisyourdigitallife=0.01", NULL };
    g_auto (Run) run = { 0 };
    run_bundled (&run, "cambridge-analytica-2014", NULL, adopt);
    const FsimPartner *gsr = &run.s->partners[partner_index (&run, "thisisyourdigitallife")];
    g_assert_cmpint (gsr->consent.kind, ==, FSIM_CONSENT_DECEPTIVE);
    g_assert_cmpuint (gsr->consent.sources.n, >=, 1);
    g_assert_cmpstr (gsr->consent.sources.items[0].publisher, ==, "U.S. Federal Trade Commission");
    g_autoptr (GError) error = NULL;
    g_autoptr (FsimPopulation) pop = fsim_population_build (run.s, &error);
    g_assert_no_error (error);
    g_autoptr (GString) text = g_string_new (NULL);
    fsim_report_render (run.s, pop, run.r, FSIM_REPORT_TEXT, text);
    g_autofree char *line = g_strdup_printf ("  thisisyourdigitallife: its %zu users gave their "
                                             "own data through a notice alleged to be",
                                             users_of (&run, "thisisyourdigitallife"));
    g_assert_nonnull (strstr (text->str, "\nConsent through a deceptive notice\n"));
    g_assert_nonnull (strstr (text->str, line));
    g_assert_nonnull (strstr (text->str, "'download your name or"));
    /* SCL never had users: nothing is said of it */
    g_assert_null (strstr (text->str, "scl-cambridge-analytica: its"));
}

/* Claims whose alternatives change what a flow means, not whether it happens: the service-
 * provider position and Kogan's account. The numbers are the same under both. */
static void
test_corrections_meaning_claims (void)
{
    g_auto (Run) fb = { 0 };
    run_bundled (&fb, "device-partners-2018", NULL, NULL);
    const FsimClaim *c = claim (fb.s, "device-partner-status");
    g_assert_cmpstr (c->alternatives[c->chosen].id, ==, "facebook-service-providers");
    g_assert_cmpstr (c->alternatives[c->chosen].party, ==, "Facebook");
    const char *const nyt[] = { "choices.device-partner-status=nyt-third-parties", NULL };
    g_auto (Run) other = { 0 };
    run_bundled (&other, "device-partners-2018", NULL, nyt);
    for (size_t f = 0; f < fb.s->n_fields; f++)
        g_assert_cmpuint (fb.r->field_users[f], ==, other.r->field_users[f]);

    g_autoptr (FsimScenario) ca = load_bundled ("cambridge-analytica-2014");
    const FsimClaim *k = claim (ca, "ca-data-source");
    gssize kogan = fsim_claim_find_alternative (k, "kogan-2018-06");
    g_assert_cmpint (kogan, >=, 0);
    g_assert_cmpstr (k->alternatives[kogan].party, ==, "Aleksandr Kogan");
    g_assert_nonnull (strstr (k->alternatives[kogan].summary, "30 million"));
}

/* Instant Personalization: launch partners from 22 April 2010, a second wave from late
 * September 2010, friends' basic information to sites the friends never visited. */
static void
test_corrections_instant_personalization (void)
{
    static const char fmt[] = "{ \"scenario\": \"ip\", \"date\": \"%s\", \"include\": "
                              "[\"instant-personalization.json\"],\n"
                              "  \"population\": { \"generator\": \"facebook_like\", \"users\": "
                              "2000, \"mean_degree\": 190,\n"
                              "                  \"adoption\": { \"*\": 0.02 } } }\n";
    static const struct {
        const char *date;
        gboolean launch, wave;
    } cases[] = {
        { "2010-04-21", FALSE, FALSE },
        { "2010-06-01", TRUE, FALSE },
        { "2011-06-01", TRUE, TRUE },
        { "2015-01-01", FALSE, FALSE },
    };
    g_autofree char *anchor = fsim_test_source_path ("policies", "ip-wrap.json", NULL);
    for (size_t i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autoptr (GError) error = NULL;
        g_autofree char *text = g_strdup_printf (fmt, cases[i].date);
        FsimScenario *s = fsim_loader_load_string (anchor, text, NULL, &error);
        g_assert_no_error (error);
        g_auto (Run) run = { 0 };
        run_scenario (&run, s);
        g_test_message ("%s: yelp %zu, scribd %zu", cases[i].date, reached (&run, "yelp"),
                        reached (&run, "scribd"));
        g_assert_cmpuint (users_of (&run, "yelp"), >, 0);
        g_assert_cmpuint (field_from_friends (&run, "yelp", "identity.name") > 0, ==,
                          cases[i].launch);
        g_assert_cmpuint (reached (&run, "scribd") > 0, ==, cases[i].wave);
        /* friends' names, never their religion */
        g_assert_cmpuint (field_from_friends (&run, "yelp", "profile.religion"), ==, 0);
    }
}

int
main (int argc, char *argv[])
{
    g_test_init (&argc, &argv, NULL);
    g_test_add_func ("/corrections/device/since-2007", test_corrections_device_since_2007);
    g_test_add_func ("/corrections/device/apple-claim", test_corrections_apple_claim);
    g_test_add_func ("/corrections/device/contact-sync", test_corrections_contact_sync);
    g_test_add_func ("/corrections/device/browsers-accessibility",
                     test_corrections_browsers_accessibility);
    g_test_add_func ("/corrections/extensions", test_corrections_extensions);
    g_test_add_func ("/corrections/extensions/named-2018", test_corrections_extensions_named);
    g_test_add_func ("/corrections/whitelist-claim", test_corrections_whitelist_claim);
    g_test_add_func ("/corrections/integration-partners", test_corrections_integration_partners);
    g_test_add_func ("/corrections/deceptive-consent", test_corrections_deceptive_consent);
    g_test_add_func ("/corrections/meaning-claims", test_corrections_meaning_claims);
    g_test_add_func ("/corrections/instant-personalization",
                     test_corrections_instant_personalization);
    return g_test_run ();
}
