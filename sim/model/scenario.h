/* SPDX-License-Identifier: MIT */
/* scenario.h: the typed, validated model a scenario file resolves to (read-only after loading). */
#pragma once

#include <stddef.h>

#include <glib.h>

#include "bits.h"

/*
 * The structs in this header are deliberately public and plain: the loader fills them once,
 * and every other module (policy, population, engine, report) only reads them. Indices refer
 * to the arrays of the same FsimScenario (partner 3 is scenario->partners[3]). All strings and
 * arrays are owned by the scenario and freed by fsim_scenario_free().
 */

/* Days are GDate Julian day numbers (1 = 0001-01-01). */
typedef gint32 FsimDay;
#define FSIM_DAY_MIN 0          /* "since always" */
#define FSIM_DAY_MAX G_MAXINT32 /* "for ever" */

typedef struct {
    FsimDay from;  /* inclusive */
    FsimDay until; /* exclusive */
} FsimWindow;

static inline gboolean
fsim_window_contains (FsimWindow w, FsimDay d)
{
    return w.from <= d && d < w.until;
}

/* Where something was defined, for messages: "FILE:LINE:COL". file is owned by the scenario. */
typedef struct {
    const char *file;
    int line;
    int col;
} FsimLoc;

typedef enum {
    FSIM_SUBJECT_SELF,
    FSIM_SUBJECT_FRIENDS,
    FSIM_SUBJECT_FRIENDS_OF_FRIENDS,
    FSIM_N_SUBJECTS
} FsimSubject;

/* Ordered: a larger audience sees more. */
typedef enum {
    FSIM_AUDIENCE_ONLY_ME,
    FSIM_AUDIENCE_FRIENDS,
    FSIM_AUDIENCE_FRIENDS_OF_FRIENDS,
    FSIM_AUDIENCE_PUBLIC,
    FSIM_N_AUDIENCES
} FsimAudience;

/* Which user settings an API respects (flags). */
typedef enum {
    FSIM_RESPECTS_PLATFORM = 1 << 0,
    FSIM_RESPECTS_APPS_OTHERS = 1 << 1,
    FSIM_RESPECTS_AUDIENCE = 1 << 2,
} FsimRespects;
#define FSIM_RESPECTS_ALL 7u

/*
 * A citation (docs/format.md, "Sources"). In the bundled files every source is a publication:
 * publisher, title and date are set. A user's own file may still give a bare URL string, which
 * loads as a source with only @url set.
 */
typedef struct {
    char *publisher; /* NULL for a bare URL */
    char *title;     /* NULL for a bare URL */
    char *date;      /* "YYYY-MM-DD", "YYYY-MM" or "YYYY" (validated); NULL for a bare URL */
    char *url;       /* the original publication; may be NULL (a printed source) */
    char *read_at;   /* the copy it was read in (syndication, archive, repost), or NULL */
    char *note;      /* may be NULL */
    FsimLoc loc;
} FsimSource;

typedef struct {
    FsimSource *items;
    size_t n;
} FsimSources;

/* Frees the sources' strings and array and empties @sources (NULL-safe, can't fail). */
void fsim_sources_clear (FsimSources *sources);
/* One line a reader can follow: 'Publisher, "Title", DATE, URL (read at: COPY)' or the bare URL.
 * Returns: (transfer full); can't fail. */
char *fsim_source_to_string (const FsimSource *source);

const char *fsim_subject_to_string (FsimSubject s);
const char *fsim_audience_to_string (FsimAudience a);

typedef struct {
    char *id;
    char *label;
    gboolean sensitive;
    FsimLoc loc;
} FsimField;

typedef struct {
    char *id;
    char *label;
    FsimSubject subject;
    FsimWord *fields; /* field bit set, field_words long */
    FsimLoc loc;
} FsimScope;

typedef struct {
    char *id;
    char *title;
    FsimWindow active;
    guint respects; /* FsimRespects flags */
    FsimScope *scopes;
    size_t n_scopes;
    FsimSources sources;
    FsimLoc loc;
} FsimApi;

typedef struct {
    char *id;
    gboolean on_device;
    char *jurisdiction; /* ISO 3166-1 alpha-2 for servers, NULL on device */
    FsimWord *fields;
    FsimLoc loc;
} FsimDestination;

typedef struct {
    size_t partner; /* receiving partner */
    FsimWord *fields;
    FsimWindow active;
    FsimSources sources;
    FsimLoc loc;
} FsimShare;

/*
 * How the partner's own users agreed to give it their data (the self channel). The model
 * counts that channel as "with consent" either way; DECEPTIVE records a published finding or
 * allegation that the notice they agreed to misled them (the FTC on GSR's app), which reports
 * state next to the count.
 */
typedef enum {
    FSIM_CONSENT_UNCHALLENGED, /* nobody published that the notice misled users (default) */
    FSIM_CONSENT_DECEPTIVE,    /* a regulator or court found or alleged a deceptive notice */
    _FSIM_CONSENT_MAX
} FsimConsentKind;

typedef struct {
    FsimConsentKind kind;
    char *note; /* may be NULL */
    FsimSources sources;
} FsimConsent;

/* "unchallenged" or "deceptive" (static string). */
const char *fsim_consent_kind_to_string (FsimConsentKind kind);

typedef struct {
    char *id;
    char *name;
    char *kind;
    char *country; /* may be NULL */
    char **tags;   /* NULL-terminated */
    size_t *apis;  /* indices of integrated APIs */
    size_t n_apis;
    char **requests;      /* scope patterns as written, NULL-terminated */
    FsimWord **requested; /* [k]: scope bit set of apis[k] that the requests select */
    FsimDestination *destinations;
    size_t n_destinations;
    FsimShare *shares;
    size_t n_shares;
    FsimConsent consent;
    FsimSources sources;
    FsimLoc loc;
} FsimPartner;

typedef struct {
    char *id;
    gboolean allow;
    char **partners; /* selectors: "*", id glob, "kind:K", "tag:T" */
    char **apis;     /* id globs */
    char **scopes;   /* scope globs */
    FsimWindow window;
    FsimSources sources;
    char *note;
    FsimLoc loc;
} FsimRule;

/* One override applied by `set` or `--set`: PATH, the VALUE as JSON, and how many values it
 * changed (a path with [*], [kind:K], [tag:T] or a glob picks several); unchanged: how many of
 * them already were VALUE (equal as JSON), so that one changing nothing can say so. */
typedef struct {
    char *path;
    char *value;
    size_t changed;
    size_t unchanged;
} FsimOverride;

void fsim_override_clear (FsimOverride *o);

/* Per-user settings. audience is indexed by field; apps_others is a field bit set. */
typedef struct {
    gboolean platform;
    FsimWord *apps_others;
    guint8 *audience;
} FsimSettings;

typedef struct {
    char *id;
    size_t *friends; /* user indices; symmetric closure is taken by the population builder */
    size_t n_friends;
    FsimWord *uses; /* partner bit set */
    FsimSettings settings;
    FsimLoc loc;
} FsimUserSpec;

typedef enum {
    FSIM_POPULATION_EXPLICIT,
    FSIM_POPULATION_GENERATED,
    FSIM_POPULATION_IMPORTED, /* friendships read from a graph file (population.import) */
    FSIM_POPULATION_SNAPSHOT, /* only "snapshot": everything comes from the snapshot file */
} FsimPopulationKind;

/* How generated and imported users come to use partners (docs/populations.md). */
typedef enum {
    FSIM_ADOPTION_RANDOM,    /* each user independently, with the partner's share */
    FSIM_ADOPTION_CLUSTERED, /* whole communities (or friendship clusters) at a time */
} FsimAdoptionModel;

/* What a vertex attribute of an imported graph sets (population.import.attributes). */
typedef enum {
    FSIM_IMPORT_SETS_PLATFORM,     /* "platform": boolean or number, non-zero = on */
    FSIM_IMPORT_SETS_RESTRICTED,   /* "apps_others_restricted": boolean or number */
    FSIM_IMPORT_SETS_AUDIENCE,     /* "audience" or "audience:PATTERN": an audience name */
    FSIM_IMPORT_SETS_USES,         /* "uses": partner ids separated by commas or spaces */
    FSIM_IMPORT_SETS_USES_PARTNER, /* "uses:PARTNER": boolean or number, non-zero = uses */
} FsimImportTarget;

typedef struct {
    char *attribute; /* the vertex attribute's name in the file */
    FsimImportTarget target;
    size_t partner;   /* USES_PARTNER */
    FsimWord *fields; /* AUDIENCE: the fields it sets (field_words long), else NULL */
    FsimLoc loc;
} FsimImportAttribute;

typedef struct {
    FsimPopulationKind kind;
    FsimLoc loc;

    /* explicit */
    FsimUserSpec *users;
    size_t n_users;

    /* generated */
    char *generator; /* "erdos_renyi" */
    size_t gen_users;
    double mean_degree;
    double platform_off;           /* share */
    double apps_others_restricted; /* share */
    FsimWord *restricted_fields;   /* fields unticked by restricted users */
    double *audience_mix; /* [field * FSIM_N_AUDIENCES]: cumulative-free shares per field */
    double *adoption;     /* [partner]: share of users using it */

    /* generated: the model's own parameters (graph/friends.h FsimGenParams); the loader fills
     * in the defaults, and a model reads only its own */
    double spread, clustering, community_size, rewire;
    size_t max_degree; /* 0: FSIM_GEN_DEFAULT_MAX_DEGREE */

    /* generated and imported */
    FsimAdoptionModel adoption_model;

    /* imported */
    char *import_file;   /* resolved against the folder of the file that names it */
    char *import_format; /* "auto", "edge_list", "graphml" or "gml" */
    FsimImportAttribute *import_attributes;
    size_t n_import_attributes;
    FsimLoc import_loc; /* the "import" object: where an error reading its file is said */

    /* population.snapshot: a saved population (docs/format.md), resolved like import_file, or
     * NULL. With the keys of another kind, the snapshot must have been saved from them. */
    char *snapshot;
    FsimLoc snapshot_loc; /* its "snapshot" key: where an error reading the file is said */
} FsimPopulationSpec;

/* An assertion of a scenario's "expect" array, checked by `flowsim check` (docs/analysis.md).
 * A flow (user, field, partner, destination) matches when the field is in `fields`, the
 * partner matches `partner` (if set), the destination is in `jurisdiction` (if set), and the
 * flow is without consent (if `without_consent`). */
typedef enum {
    FSIM_EXPECT_NO_FLOW,       /* no user has a matching flow */
    FSIM_EXPECT_AT_MOST,       /* at most `count` users have one */
    FSIM_EXPECT_REACHES,       /* at least `count` users (1 by default) have one */
    FSIM_EXPECT_NOTHING_AFTER, /* no user has one on any day after `date` */
    _FSIM_EXPECT_MAX
} FsimExpectKind;

/* "no_flow", "at_most", "reaches", "nothing_after" (static; loader-expect.c). */
const char *fsim_expect_kind_to_string (FsimExpectKind k);

typedef struct {
    char *id;
    FsimExpectKind kind;
    char *note;         /* may be NULL */
    FsimWord *fields;   /* field bit set (already narrowed by `sensitive`) */
    gboolean sensitive; /* only sensitive fields were kept */
    char *partner;      /* partner selector, NULL: any partner */
    char *jurisdiction; /* ISO code or "device", NULL: anywhere */
    gboolean without_consent;
    guint64 count; /* at_most, reaches */
    FsimDay date;  /* nothing_after */
    FsimLoc loc;
} FsimExpectation;

/* How an alternative of a claim is known (docs/format.md, "Claims"). */
typedef enum {
    FSIM_EVIDENCE_TESTED,   /* someone ran it and published the result */
    FSIM_EVIDENCE_STATED,   /* a party's own statement (the party is named) */
    FSIM_EVIDENCE_REPORTED, /* a journalist's or regulator's finding */
    FSIM_EVIDENCE_ASSUMED,  /* nobody published it: our reasoning */
    _FSIM_EVIDENCE_MAX
} FsimEvidence;

/* "tested", "stated", "reported", "assumed" (static); "?" out of range. */
const char *fsim_evidence_to_string (FsimEvidence e);
/* The name to the kind; FALSE (and @out untouched) for anything else. */
gboolean fsim_evidence_from_string (const char *s, FsimEvidence *out);

/* One answer to a contested question: what it says, who says it, and where. */
typedef struct {
    char *id;
    FsimEvidence evidence;
    char *party;   /* whose statement (required for "stated"), or NULL */
    char *summary; /* one line for reports */
    FsimSources sources;
    char **set_paths; /* the model paths it sets, in order, NULL-terminated */
    FsimLoc loc;
} FsimAlternative;

/* A contested fact: the model takes one alternative (the scenario's choice or the default). */
typedef struct {
    char *id;
    char *question;
    FsimAlternative *alternatives;
    size_t n_alternatives;
    size_t default_alternative; /* index into alternatives */
    size_t chosen;              /* index of the alternative in force in this scenario */
    FsimLoc loc;
} FsimClaim;

typedef struct {
    char *id; /* NULL for a bare policy file */
    char *title;
    char *description;
    char *path;              /* the file it was loaded from */
    char **files;            /* every file read for it (canonical paths), the top file first */
    FsimOverride *overrides; /* every `set` and `--set` applied, in order */
    size_t n_overrides;
    FsimDay date;
    char *date_string; /* YYYY-MM-DD */
    guint64 seed;
    FsimSources sources;
    char **assumptions;

    FsimField *fields;
    size_t n_fields;
    size_t field_words;

    FsimApi *apis;
    size_t n_apis;

    FsimPartner *partners;
    size_t n_partners;
    size_t partner_words;

    FsimRule *rules;
    size_t n_rules;

    FsimPopulationSpec population;

    FsimExpectation *expects; /* the "expect" array, in file order */
    size_t n_expects;

    FsimClaim *claims; /* the contested facts, in file order, each with its alternative in force */
    size_t n_claims;

    GStringChunk *strings; /* backing store for FsimLoc.file */

    /* id -> index + 1, for the lookups below (the loader's; NULL: searched in order) */
    GHashTable *field_ix, *api_ix, *partner_ix, *rule_ix;
} FsimScenario;

void fsim_scenario_free (FsimScenario *scenario);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsimScenario, fsim_scenario_free)

/* Lookups by id; return -1 when absent. */
gssize fsim_scenario_find_field (const FsimScenario *s, const char *id);
gssize fsim_scenario_find_api (const FsimScenario *s, const char *id);
gssize fsim_scenario_find_partner (const FsimScenario *s, const char *id);
gssize fsim_scenario_find_rule (const FsimScenario *s, const char *id);
gssize fsim_scenario_find_claim (const FsimScenario *s, const char *id);
/* The alternative @id of @claim, or -1. */
gssize fsim_claim_find_alternative (const FsimClaim *claim, const char *id);

/* Does field pattern @pattern ("*", "profile", "profile.*" or a glob; docs/format.md) select
 * @field? @out_rank (nullable) orders specificity, whatever the order the patterns were
 * written in (docs/semantics.md, "Which pattern wins"): the exact id (FSIM_RANK_EXACT) > a
 * prefix, longer first, "profile.*" just above "profile" (FSIM_RANK_PREFIX + ...) > a glob, more
 * literal characters first, then fewer '*' (1 .. FSIM_RANK_PREFIX - 1) > "*" (0). Two globs of
 * one rank can both select a field: the caller decides what that means. */
#define FSIM_RANK_EXACT (1 << 30)
#define FSIM_RANK_PREFIX (1 << 24)
gboolean fsim_field_pattern_match (const char *pattern, const char *field, int *out_rank);

/* A glob ("*" and "?") compiled once, for matching it against many ids: matches exactly as
 * g_pattern_match_simple() does, without compiling the pattern on every call. */
typedef struct FsimGlob FsimGlob;
/* (transfer full) Can't fail. */
FsimGlob *fsim_glob_new (const char *pattern);
void fsim_glob_free (FsimGlob *glob);
gboolean fsim_glob_match (const FsimGlob *glob, const char *text);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsimGlob, fsim_glob_free)

/* Does a partner selector ("*", "kind:K", "tag:T", an id or a glob over ids) select @p? */
gboolean fsim_partner_selector_matches (const FsimPartner *p, const char *selector);
/* Does any of the NULL-terminated scope or id @patterns (exact ids or globs with * and ?)
 * match @text? The one glob matcher of rules, requests and lint. NULL matches nothing. */
gboolean fsim_any_glob_matches (char *const *patterns, const char *text);

/* Bit set of the fields selected by the field pattern @pattern (the format's pattern rules),
 * or NULL if it selects none. (transfer full) Can't fail. */
FsimWord *fsim_scenario_select_fields (const FsimScenario *s, const char *pattern);
/* Bit set of the partners selected by the selector @selector ("*", "kind:K", "tag:T", an id or
 * a glob), or NULL if it selects none. (transfer full) Can't fail. */
FsimWord *fsim_scenario_select_partners (const FsimScenario *s, const char *selector);

/*
 * What a focused command (run, diff, timeline --partner/--field/--jurisdiction) counts: only
 * the flows of a selected field to a selected partner that land in the jurisdiction. A plain
 * struct; NULL members select everything. docs/analysis.md, "Focus".
 */
typedef struct {
    FsimWord *partners; /* partner bit set (partner_words), or NULL: every partner */
    FsimWord *fields;   /* field bit set (field_words), or NULL: every field */
    char *jurisdiction; /* an ISO code or "device", or NULL: anywhere */
    char *description;  /* "partner tag:china, jurisdiction CN" (for reports), or NULL */
} FsimFocus;

/* Frees the members of @focus (not @focus itself). Accepts NULL. */
void fsim_focus_clear (FsimFocus *focus);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FsimFocus, fsim_focus_clear)
/* Whether @focus selects partner @p, field @f (can't fail; a NULL focus selects all). */
gboolean fsim_focus_has_partner (const FsimFocus *focus, size_t p);
gboolean fsim_focus_has_field (const FsimFocus *focus, size_t f);

/* Parse "YYYY-MM-DD" strictly; FALSE if malformed or not a real date. */
gboolean fsim_day_parse (const char *text, FsimDay *out_day);
/* Format a day as "YYYY-MM-DD" (transfer full). FSIM_DAY_MIN/MAX give "-inf"/"+inf". */
char *fsim_day_format (FsimDay day);
