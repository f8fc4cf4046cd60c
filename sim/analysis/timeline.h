/* SPDX-License-Identifier: MIT */
/* timeline.h: one population evaluated at a series of dates, and its table, JSON and chart. */
#pragma once

#include <glib.h>

#include "engine.h"
#include "population.h"
#include "scenario.h"

#define FSIM_TIMELINE_ERROR (fsim_timeline_error_quark ())
GQuark fsim_timeline_error_quark (void);

typedef enum {
    FSIM_TIMELINE_ERROR_RANGE, /* from after to, or too many dates */
} FsimTimelineError;

#define FSIM_TIMELINE_MAX_POINTS 2000
/*
 * The time budget (docs/robustness.md): the dates that need the model evaluated again (a window
 * opens or closes before them) times the model's (partner, API, scope) triples and (field,
 * partner) pairs may not exceed this. At the model limits (2^24 + 2^21) that is 3 evaluations;
 * a model of a thousand partners with 500 scopes each and 100 fields, over a hundred.
 */
#define FSIM_TIMELINE_MAX_WORK ((size_t) 1 << 26)
/* The work of deciding and tracing @s once, in the units of FSIM_TIMELINE_MAX_WORK: its
 * (partner, API, scope) triples plus its (field, partner) pairs (at least 1). `flowsim claims
 * --effect` spends the same budget on its runs. */
size_t fsim_timeline_model_work (const FsimScenario *s);

/* A step between dates: @count days, or @count months when @months ("1y" is 12 months). */
typedef struct {
    guint count;
    gboolean months;
} FsimTimelineStep;

/* Parses "Nd", "Nw", "Nm" or "Ny" (N from 1 to 1000) into @out; FALSE for anything else. */
gboolean fsim_timeline_step_parse (const char *text, FsimTimelineStep *out);
/* "3m", "1y", "2w", "10d" (transfer full). */
char *fsim_timeline_step_format (FsimTimelineStep step);

/* A change of policy inside the range: an API, a rule or a share starting or ending. */
typedef struct {
    FsimDay day;
    char
        *what; /* e.g. "rule 'v2-cutoff' (deny) comes into force for 12 partners on API graph-v2" */
} FsimTimelineEvent;

/*
 * Distinct users reached at each date. Per-date arrays are indexed [t], per-date-and-group
 * arrays [t * n_groups + g]. Jurisdictions ("device": on device) and partner kinds are sorted
 * and the same at every date.
 */
typedef struct {
    size_t n_points;
    FsimDay *days;
    FsimDay from, to;
    FsimTimelineStep step;
    size_t n_users;
    size_t *users, *no_consent;
    size_t n_jurisdictions;
    char **jurisdictions;
    size_t *jur_users, *jur_no_consent;
    size_t n_kinds;
    char **kinds;
    size_t *kind_users, *kind_no_consent;
    size_t *partners;                           /* [t]: partners that reached at least one user */
    size_t *kind_partners;                      /* [t * n_kinds + k]: ... of that kind */
    size_t n_partners;                          /* the scenario's, in model order */
    size_t *partner_users, *partner_no_consent; /* [t * n_partners + p]: users it reached */
    size_t n_events;
    FsimTimelineEvent *events; /* sorted by day */
    size_t n_evaluations;      /* dates whose decisions were made (a window changed before) */
    size_t n_traced;           /* ... and whose model was traced (its decisions differed) */
    char *focus;               /* what was counted (FsimFocus.description), or NULL: all */
} FsimTimeline;

void fsim_timeline_free (FsimTimeline *t);

/* The policy changes of @s inside (@from, @to], sorted by day: those of fsim_timeline_new(),
 * without simulating. Returns: (transfer full): *@out_n events, each `what` to g_free(), then
 * the array. Can't fail. */
FsimTimelineEvent *fsim_timeline_events (const FsimScenario *s, FsimDay from, FsimDay to,
                                         size_t *out_n);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsimTimeline, fsim_timeline_free)

/**
 * fsim_timeline_new:
 * Evaluates @pop (built once, from @scenario) at @from, @from + @step, ... up to and including
 * @to: the decisions and the onward sharing are those of each date, the users, friendships,
 * settings and partner use stay the same. Months are added to @from (31 January + 1 month is
 * the last day of February).
 * The model is decided again only on dates with a window opening or closing since the date
 * before, and traced again only when those decisions allow other triples (or other shares are
 * active) than the last traced date's.
 * Returns: (transfer full): the timeline, or NULL with @error set: FSIM_TIMELINE_ERROR_RANGE
 *   when @from is after @to, there would be more than FSIM_TIMELINE_MAX_POINTS dates or the
 *   evaluations would exceed FSIM_TIMELINE_MAX_WORK, or the engine's error.
 */
FsimTimeline *fsim_timeline_new (const FsimScenario *scenario, const FsimPopulation *pop,
                                 FsimDay from, FsimDay to, FsimTimelineStep step, GError **error);

/* fsim_timeline_new() counting only the flows @focus (nullable) selects, as
 * fsim_engine_run_focused() does. */
FsimTimeline *fsim_timeline_new_focused (const FsimScenario *scenario, const FsimPopulation *pop,
                                         FsimDay from, FsimDay to, FsimTimelineStep step,
                                         const FsimFocus *focus, GError **error);

/*
 * How fsim_timeline_new_traced() traces a date, when not by fsim_engine_run_focused() on one
 * population: over MPI ranks, each holding a part (sim/cli/cli-mpi.c, docs/scaling.md).
 */
typedef struct {
    size_t n_users; /* the whole population's */
    /* The counts of the whole population under @decisions, counting only @focus (nullable);
     * NULL with @error set. Called for the same dates, in the same order, on every process. */
    FsimResult *(*trace) (const FsimDecisions *decisions, const FsimFocus *focus, void *data,
                          GError **error);
    /* (nullable) TRUE if @ok on every process sharing the trace: called after each step that
     * could fail on one process alone (the decisions of a date: out of memory), so that none
     * waits in @trace for one that gave up. Can't fail. */
    gboolean (*all_ok) (gboolean ok, void *data);
    void *data;
} FsimTimelineTracer;

/* fsim_timeline_new_focused() with each traced date's counts from @tracer. On a failure of
 * another process (@tracer->all_ok) @error is FSIM_GRAPH_ERROR_OTHER_RANK. */
FsimTimeline *fsim_timeline_new_traced (const FsimScenario *scenario,
                                        const FsimTimelineTracer *tracer, FsimDay from, FsimDay to,
                                        FsimTimelineStep step, const FsimFocus *focus,
                                        GError **error);

typedef enum {
    FSIM_TIMELINE_TEXT,
    FSIM_TIMELINE_JSON,
    FSIM_TIMELINE_SVG,
    _FSIM_TIMELINE_MAX
} FsimTimelineFormat;

/* "text", "json" or "svg"; FALSE (and @out untouched) for anything else. */
gboolean fsim_timeline_format_from_string (const char *s, FsimTimelineFormat *out);

/*
 * Both name the claims in force (claims-report.h): text in the header, JSON as "claims".
 * text: a table per grouping (all partners and each jurisdiction; each partner kind), one row
 *   per date, cells "USERS (WITHOUT CONSENT)", a table of the partners that reached anyone
 *   (all, by kind), then the policy changes in the range.
 * json: { "flowsim", "scenario", "title", "from", "to", "step", "population": {"users"},
 *   "claims": [..], "jurisdictions": [..], "kinds": [..], "events": [{"date", "what"}],
 *   "points": [{"date", "users_reached", "users_reached_without_consent",
 *               "jurisdictions": [{"jurisdiction", "users", "users_without_consent"}],
 *               "kinds": [{"kind", "users", "users_without_consent"}],
 *               "partners_reaching": N, "partners_reaching_by_kind": [{"kind", "partners"}]}] }
 * svg: a line chart (fsim_timeline_write_svg).
 * Deterministic; every string from the scenario is cleaned or escaped. Can't fail.
 */
void fsim_timeline_render (const FsimScenario *scenario, const FsimTimeline *t,
                           FsimTimelineFormat format, GString *out);

/* fsim_timeline_render() with a per-partner series for the partners of the bit set @partners
 * (nullable: none): text, a table "by partner" (one column each); JSON, "partners": [{"partner",
 * "users", "users_without_consent"}] in every point. Text and JSON also say the focus and how
 * many dates were decided and traced ("dates_decided", "dates_traced"). */
/* The most bytes fsim_timeline_render_partners() (@partners) or fsim_timeline_write_svg() (with a
 * partner panel: @all_partners) appends for @t, computed without rendering, for
 * fsim_room_reserve() (room.h). Can't fail. */
guint64 fsim_timeline_room (const FsimScenario *scenario, const FsimTimeline *t,
                            const FsimWord *partners, gboolean all_partners);
void fsim_timeline_render_partners (const FsimScenario *scenario, const FsimTimeline *t,
                                    FsimTimelineFormat format, const FsimWord *partners,
                                    GString *out);

/* Which panels the chart draws (fsim_timeline_write_svg). */
typedef struct {
    gboolean no_jurisdictions;   /* leave out "by jurisdiction" */
    gboolean no_kinds;           /* leave out "by partner kind" and "partners that reached" */
    const char *const *partners; /* (nullable) partner selectors: a panel "by partner" */
} FsimTimelineChart;

/**
 * fsim_timeline_write_svg:
 * Appends a standalone SVG document: step charts (values change on the dates they change) of
 * the users reached by jurisdiction, by partner kind and (with @chart->partners) by partner,
 * solid, and without consent, dashed; a chart of the partners that reached anyone (all, by
 * kind); each entity in one colour in every panel, with a marker shape of its own and its name
 * at the end of its line. The policy changes are numbered vertical lines with a key below
 * that gives each one's date and what changed. @chart: (nullable): every panel but "by
 * partner". With @embedded, leaves out the XML declaration (for inlining in HTML). Can't fail.
 */
void fsim_timeline_write_svg (const FsimScenario *scenario, const FsimTimeline *t,
                              const FsimTimelineChart *chart, gboolean embedded, GString *out);
