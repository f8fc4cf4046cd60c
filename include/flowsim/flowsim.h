/* SPDX-License-Identifier: MIT */
/*
 * flowsim.h: the libflowsim API. Load a scenario (with what-if overrides), build its
 * population, trace who could reach which partner, and read the answer as structures or as
 * the exact JSON, text or CSV that `flowsim run` prints.
 *
 * The header needs nothing but the C standard library. Every function that can fail takes a
 * `FlowsimError **` last: on failure it returns NULL (or FALSE-like 0) and, when @error is not
 * NULL, sets *@error, which the caller frees with flowsim_error_free(). Strings returned as
 * `char *` are the caller's, freed with flowsim_free(). No function reads the environment or
 * writes to stdout or stderr; every option is a parameter (FlowsimOptions).
 *
 * Thread safety: distinct objects may be used from distinct threads at once; one object is not
 * to be used by two threads at a time.
 */
#ifndef FLOWSIM_FLOWSIM_H
#define FLOWSIM_FLOWSIM_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) && !defined(FLOWSIM_STATIC)
#define FLOWSIM_API __attribute__ ((visibility ("default")))
#else
#define FLOWSIM_API
#endif

/* The library's version, "MAJOR.MINOR.MICRO" (static). */
FLOWSIM_API const char *flowsim_version (void);

/* ---- errors ---------------------------------------------------------------------------- */

/* What failed; the values are those of flowsim's exit statuses. */
typedef enum {
    FLOWSIM_ERROR_USAGE = 2,    /* an argument is wrong (a malformed override, an unknown user),
                                 * or asks for too much (a diagram too large for Graphviz) */
    FLOWSIM_ERROR_INPUT = 3,    /* a scenario or policy file, or its population */
    FLOWSIM_ERROR_INTERNAL = 4, /* anything else: out of memory, the engine, Graphviz failing */
} FlowsimErrorKind;

typedef struct FlowsimError FlowsimError;

/* "FILE:LINE:COL: PATH: what was expected" and the like (owned by @error). */
FLOWSIM_API const char *flowsim_error_message (const FlowsimError *error);
FLOWSIM_API FlowsimErrorKind flowsim_error_kind (const FlowsimError *error);
/* Accepts NULL. */
FLOWSIM_API void flowsim_error_free (FlowsimError *error);

/* Frees a string or buffer the library returned (accepts NULL). */
FLOWSIM_API void flowsim_free (void *p);

/* ---- options --------------------------------------------------------------------------- */

/* Called on the calling thread while the population is built and traced: @phase is
 * "building the population" or "tracing", @fraction in [0, 1]. */
typedef void (*FlowsimProgressFunc) (const char *phase, double fraction, void *user_data);

typedef struct FlowsimOptions FlowsimOptions;

/* New options: no overrides, one thread per processor, no progress. */
FLOWSIM_API FlowsimOptions *flowsim_options_new (void);
/* Accepts NULL. */
FLOWSIM_API void flowsim_options_free (FlowsimOptions *options);
/* Adds a what-if override `PATH=VALUE`, as `flowsim run --set` (docs/format.md, "set paths");
 * applied in the order added, after the file's own `set`. Checked when the scenario loads.
 * `choices.CLAIM=ALTERNATIVE` chooses an alternative of a contested fact, as `--claim` does. */
FLOWSIM_API void flowsim_options_add_set (FlowsimOptions *options, const char *path_value);
/* Chooses @claim_alternative, `CLAIM=ALTERNATIVE`, of a contested fact, as `flowsim run --claim`
 * does (the same as adding the set `choices.CLAIM=ALTERNATIVE`); checked when the scenario
 * loads. */
FLOWSIM_API void flowsim_options_add_claim (FlowsimOptions *options, const char *claim_alternative);
/* Threads for the population and the trace (0: one per processor). Results never depend on it. */
FLOWSIM_API void flowsim_options_set_threads (FlowsimOptions *options, unsigned threads);
/* The Graphviz program that lays out SVG diagrams: a path, or a name looked up in PATH; NULL
 * (the default) for `dot`. */
FLOWSIM_API void flowsim_options_set_graphviz (FlowsimOptions *options, const char *program);
FLOWSIM_API void flowsim_options_set_progress (FlowsimOptions *options,
                                               FlowsimProgressFunc progress, void *user_data);

/* Lowers the memory the library counts on for this process (bytes; 0: the machine's own
 * limit, the default): scenarios and populations that would need more are refused with an
 * error, as `FLOWSIM_MEMORY_LIMIT` makes the command line do. Process-wide: call it before
 * simulating on other threads. */
FLOWSIM_API void flowsim_set_memory_limit (unsigned long long bytes);

/* Sets the most one process reads of an edge list that a scenario imports (bytes; 0: the
 * default, 256 MiB), as `flowsim --max-graph-size` does: for a large graph you trust. It is
 * the caller's choice, never a scenario's (a scenario may come from anyone). At most 16 GiB;
 * GraphML and GML files stay within 256 MiB, and a file must still fit in memory.
 * Process-wide: call it before simulating on other threads. Returns 1, or 0 (the limit
 * unchanged) for more than 16 GiB. */
FLOWSIM_API int flowsim_set_max_graph_size (unsigned long long bytes);

/* ---- simulations ----------------------------------------------------------------------- */

typedef struct FlowsimSimulation FlowsimSimulation;

/**
 * flowsim_simulate:
 * @scenario_path: a scenario or policy file
 * @options: (nullable): NULL for the defaults
 *
 * Loads @scenario_path with the overrides of @options, builds its population, decides what
 * each partner may use on the scenario's date and traces every user.
 * Returns: (transfer full): the simulation, or NULL with @error set.
 */
FLOWSIM_API FlowsimSimulation *
flowsim_simulate (const char *scenario_path, const FlowsimOptions *options, FlowsimError **error);
/* Accepts NULL. */
FLOWSIM_API void flowsim_simulation_free (FlowsimSimulation *sim);

typedef enum {
    FLOWSIM_FORMAT_TEXT,
    FLOWSIM_FORMAT_JSON,
    FLOWSIM_FORMAT_CSV,
} FlowsimFormat;

/**
 * flowsim_simulation_report_checked:
 *
 * The report `flowsim run --format FORMAT` prints, byte for byte. Its room is made before it is
 * written, to an estimate, with an allocation that is tried: running out of memory is an error,
 * never an abort.
 * Returns: (transfer full): the report, or NULL with @error set (FLOWSIM_ERROR_INTERNAL, "out of
 *   memory: needed N bytes for the report").
 */
FLOWSIM_API char *flowsim_simulation_report_checked (const FlowsimSimulation *sim,
                                                     FlowsimFormat format, FlowsimError **error);
/* flowsim_simulation_report_checked() without its error, as in libflowsim 0.1 (transfer full):
 * NULL when memory runs out. */
FLOWSIM_API char *flowsim_simulation_report (const FlowsimSimulation *sim, FlowsimFormat format);

/**
 * flowsim_simulation_diagram:
 * @format: "dot" or "svg"
 *
 * The flow diagram `flowsim diagram --format FORMAT` draws, with its default options; SVG is
 * laid out by Graphviz (flowsim_options_set_graphviz()), within the command's bounds: a diagram
 * of more than 200 boxes, 4,200 lines or 1,500 passes of its lines through columns (a chain of
 * partners sharing with partners) is not given to Graphviz, and Graphviz is stopped after 30 s
 * of CPU time (docs/diagrams.md). "dot" is never refused.
 * Returns: (transfer full): the drawing, or NULL with @error set (FLOWSIM_ERROR_USAGE for an
 *   unknown format, and for a diagram too large for Graphviz: "the graph has N boxes and M
 *   lines, more than the ...", "the graph is N columns deep ..." or "Graphviz '...' was stopped after 30 s of CPU time ...", as
 *   `flowsim diagram` says with exit status 2; FLOWSIM_ERROR_INTERNAL when Graphviz is missing
 *   or fails).
 */
FLOWSIM_API char *flowsim_simulation_diagram (const FlowsimSimulation *sim, const char *format,
                                              FlowsimError **error);

/* The scenario's id and date ("YYYY-MM-DD"), owned by @sim. */
FLOWSIM_API const char *flowsim_simulation_scenario (const FlowsimSimulation *sim);
FLOWSIM_API const char *flowsim_simulation_date (const FlowsimSimulation *sim);
FLOWSIM_API size_t flowsim_simulation_users (const FlowsimSimulation *sim);
FLOWSIM_API size_t flowsim_simulation_friendships (const FlowsimSimulation *sim);

/* A partner's reach; strings owned by the simulation. */
typedef struct {
    const char *id, *name, *kind;
    const char *country;  /* ISO code, or NULL */
    size_t users;         /* users who use the partner */
    size_t users_reached; /* users with at least one field reaching it */
    size_t users_reached_without_consent;
} FlowsimPartnerReach;

/* One (field, partner, destination) flow, as a row of `flowsim run --format csv`. */
typedef struct {
    const char *field, *partner, *destination;
    const char *location;     /* "device" or "server" */
    const char *jurisdiction; /* ISO code, or "device" */
    size_t users, users_without_consent;
    size_t self, friend_, friend_of_friend, downstream; /* users through each channel */
} FlowsimFlow;

typedef struct {
    const char *jurisdiction; /* ISO code, or "device" */
    size_t users, users_without_consent;
} FlowsimJurisdiction;

/* Partners in model order; FALSE-like 0 when @i is out of range (then *@out is untouched). */
FLOWSIM_API size_t flowsim_simulation_n_partners (const FlowsimSimulation *sim);
FLOWSIM_API int flowsim_simulation_partner (const FlowsimSimulation *sim, size_t i,
                                            FlowsimPartnerReach *out);
/* Flows, fields outermost, in model order (zero rows included, as in the JSON report). */
FLOWSIM_API size_t flowsim_simulation_n_flows (const FlowsimSimulation *sim);
FLOWSIM_API int flowsim_simulation_flow (const FlowsimSimulation *sim, size_t i, FlowsimFlow *out);
/* Jurisdictions with data, sorted by code. */
FLOWSIM_API size_t flowsim_simulation_n_jurisdictions (const FlowsimSimulation *sim);
FLOWSIM_API int flowsim_simulation_jurisdiction (const FlowsimSimulation *sim, size_t i,
                                                 FlowsimJurisdiction *out);

/**
 * flowsim_simulation_explain:
 * @user: a user's name (as `flowsim explain --user`)
 * @field: (nullable): a field selector (`profile.*`); NULL for every field
 * @partner: (nullable): a partner selector (an id, a glob, `kind:K`, `tag:T`); NULL for all
 * @format: FLOWSIM_FORMAT_TEXT or FLOWSIM_FORMAT_JSON
 *
 * Why @user's data reached each partner, or what stopped it: what `flowsim explain` prints.
 * At most 65,536 (field, partner) pairs are explained at a time, as by the command: more is
 * refused with the command's message, and @field or @partner choose fewer.
 * Returns: (transfer full): the explanation, or NULL with @error set (FLOWSIM_ERROR_USAGE for
 *   an unknown user, a selector that selects nothing, or too many pairs; FLOWSIM_ERROR_INTERNAL
 *   "out of memory: needed N bytes for the explanation" when its room, made before it is
 *   written, cannot be had).
 */
FLOWSIM_API char *flowsim_simulation_explain (const FlowsimSimulation *sim, const char *user,
                                              const char *field, const char *partner,
                                              FlowsimFormat format, FlowsimError **error);

/**
 * flowsim_diff:
 * @base_path: the base scenario, run as it is
 * @whatif_path: (nullable): the what-if scenario; NULL for the base with @whatif_options' overrides
 * @whatif_options: (nullable): the what-if's overrides and options
 * @format: FLOWSIM_FORMAT_TEXT or FLOWSIM_FORMAT_JSON
 *
 * Runs both on the same people and compares them: what `flowsim diff BASE [WHATIF] --set ...
 * --format FORMAT` prints.
 * Returns: (transfer full): the comparison, or NULL with @error set (FLOWSIM_ERROR_INTERNAL "out
 *   of memory: ..." when memory runs out, for the comparison's text as for the runs).
 */
FLOWSIM_API char *flowsim_diff (const char *base_path, const char *whatif_path,
                                const FlowsimOptions *whatif_options, FlowsimFormat format,
                                FlowsimError **error);

/**
 * flowsim_claims:
 * @scenario_path: a scenario or policy file
 * @options: (nullable): overrides and claims chosen (which alternative is in force)
 * @format: FLOWSIM_FORMAT_TEXT or FLOWSIM_FORMAT_JSON
 *
 * The contested facts of the scenario's model, their alternatives, evidence and sources, and
 * which alternative is in force: what `flowsim claims --format FORMAT` prints.
 * Returns: (transfer full): the listing, or NULL with @error set.
 */
FLOWSIM_API char *flowsim_claims (const char *scenario_path, const FlowsimOptions *options,
                                  FlowsimFormat format, FlowsimError **error);

#ifdef __cplusplus
}
#endif

#endif /* FLOWSIM_FLOWSIM_H */
