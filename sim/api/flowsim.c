/* SPDX-License-Identifier: MIT */
/* flowsim.c: libflowsim's facade (include/flowsim/flowsim.h) over the pipeline of sim.c. */
#include "config.h"

#include <string.h>

#include <flowsim/flowsim.h>

#include "analysis-private.h"
#include "claims-report.h"
#include "diagram.h"
#include "diff.h"
#include "explain.h"
#include "graphviz.h"
#include "import.h"
#include "memory.h"
#include "report.h"
#include "room.h"
#include "sim.h"

struct FlowsimError {
    FlowsimErrorKind kind;
    char *message;
};

struct FlowsimOptions {
    GPtrArray *sets; /* char *, NULL-terminated */
    unsigned threads;
    char *graphviz;
    FlowsimProgressFunc progress;
    void *progress_data;
};

typedef struct {
    size_t field, partner, destination;
} FlowRow;

struct FlowsimSimulation {
    FsimSim *sim;
    char *date;
    char *graphviz; /* the options' Graphviz program, or NULL */
    FlowRow *flows; /* in report order */
    size_t n_flows;
};

const char *
flowsim_version (void)
{
    return FSIM_VERSION;
}

/* ---- errors ---------------------------------------------------------------------------- */

/* Moves @gerror (may be NULL: out of memory) into *@error, when the caller asked for it. */
static void
set_error (FlowsimError **error, FlowsimErrorKind kind, GError *gerror)
{
    if (error != NULL) {
        FlowsimError *e = g_new0 (FlowsimError, 1);
        e->kind = kind;
        e->message = g_strdup (gerror ? gerror->message : "unknown error");
        *error = e;
    }
    g_clear_error (&gerror);
}

const char *
flowsim_error_message (const FlowsimError *error)
{
    g_return_val_if_fail (error != NULL, NULL);
    return error->message;
}

FlowsimErrorKind
flowsim_error_kind (const FlowsimError *error)
{
    g_return_val_if_fail (error != NULL, FLOWSIM_ERROR_INTERNAL);
    return error->kind;
}

void
flowsim_error_free (FlowsimError *error)
{
    if (!error)
        return;
    g_free (error->message);
    g_free (error);
}

void
flowsim_free (void *p)
{
    g_free (p);
}

/* ---- options --------------------------------------------------------------------------- */

FlowsimOptions *
flowsim_options_new (void)
{
    FlowsimOptions *o = g_new0 (FlowsimOptions, 1);
    o->sets = g_ptr_array_new_with_free_func (g_free);
    g_ptr_array_add (o->sets, NULL);
    return o;
}

void
flowsim_options_free (FlowsimOptions *options)
{
    if (!options)
        return;
    g_ptr_array_unref (options->sets);
    g_free (options->graphviz);
    g_free (options);
}

void
flowsim_options_add_set (FlowsimOptions *options, const char *path_value)
{
    g_return_if_fail (options != NULL && path_value != NULL);
    g_ptr_array_insert (options->sets, (gint) options->sets->len - 1, g_strdup (path_value));
}

void
flowsim_options_add_claim (FlowsimOptions *options, const char *claim_alternative)
{
    g_return_if_fail (options != NULL && claim_alternative != NULL);
    g_autofree char *set = g_strconcat ("choices.", claim_alternative, NULL);
    flowsim_options_add_set (options, set);
}

void
flowsim_options_set_graphviz (FlowsimOptions *options, const char *program)
{
    g_return_if_fail (options != NULL);
    g_free (options->graphviz);
    options->graphviz = g_strdup (program);
}

void
flowsim_set_memory_limit (unsigned long long bytes)
{
    fsim_memory_set_limit (bytes, "the limit of flowsim_set_memory_limit()");
}

int
flowsim_set_max_graph_size (unsigned long long bytes)
{
    return fsim_import_set_edge_list_max_bytes (bytes) ? 1 : 0;
}

void
flowsim_options_set_threads (FlowsimOptions *options, unsigned threads)
{
    g_return_if_fail (options != NULL);
    options->threads = threads;
}

void
flowsim_options_set_progress (FlowsimOptions *options, FlowsimProgressFunc progress,
                              void *user_data)
{
    g_return_if_fail (options != NULL);
    options->progress = progress;
    options->progress_data = user_data;
}

static FsimSimOptions
sim_options (const FlowsimOptions *o)
{
    if (o == NULL)
        return (FsimSimOptions){ 0 };
    return (FsimSimOptions){ .sets = (const char *const *) o->sets->pdata,
                             .threads = o->threads,
                             .progress = o->progress,
                             .progress_data = o->progress_data };
}

/* ---- simulations ----------------------------------------------------------------------- */

/* The (field, partner, destination) rows of @fs's scenario, up to 2^21 (the loader's limit on
 * fields times destinations: 48 MiB), counted and then tried. */
static gboolean
flow_rows (FlowsimSimulation *fs, GError **error)
{
    const FsimScenario *s = fs->sim->scenario;
    size_t n = 0;
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1) {
            fs->flows = fsim_try_new (n + 1, sizeof (FlowRow), "the simulation's flow rows", error);
            if (fs->flows == NULL)
                return FALSE;
        }
        for (size_t f = 0; f < s->n_fields; f++)
            for (size_t p = 0; p < s->n_partners; p++)
                for (size_t d = 0; d < s->partners[p].n_destinations; d++)
                    if (fsim_bits_get (s->partners[p].destinations[d].fields, f)) {
                        if (pass == 1)
                            fs->flows[fs->n_flows++] = (FlowRow){ f, p, d };
                        else
                            n++;
                    }
    }
    return TRUE;
}

FlowsimSimulation *
flowsim_simulate (const char *scenario_path, const FlowsimOptions *options, FlowsimError **error)
{
    g_return_val_if_fail (scenario_path != NULL, NULL);
    GError *local = NULL;
    FsimSimOptions o = sim_options (options);
    FsimSimFailure failure = FSIM_SIM_FAILED_INTERNAL;
    FsimSim *sim = fsim_sim_new (scenario_path, &o, &failure, &local);

    if (sim == NULL) {
        set_error (error, (FlowsimErrorKind) failure, local);
        return NULL;
    }
    FlowsimSimulation *fs = g_new0 (FlowsimSimulation, 1);
    fs->sim = sim;
    fs->date = fsim_day_format (sim->scenario->date);
    fs->graphviz = options ? g_strdup (options->graphviz) : NULL;
    if (!flow_rows (fs, &local)) {
        flowsim_simulation_free (fs);
        set_error (error, FLOWSIM_ERROR_INTERNAL, local);
        return NULL;
    }
    return fs;
}

void
flowsim_simulation_free (FlowsimSimulation *sim)
{
    if (!sim)
        return;
    fsim_sim_free (sim->sim);
    g_free (sim->date);
    g_free (sim->graphviz);
    g_free (sim->flows);
    g_free (sim);
}

static const FsimReportFormat report_formats[] = {
    [FLOWSIM_FORMAT_TEXT] = FSIM_REPORT_TEXT,
    [FLOWSIM_FORMAT_JSON] = FSIM_REPORT_JSON,
    [FLOWSIM_FORMAT_CSV] = FSIM_REPORT_CSV,
};

/* Makes room for @bytes more of @out with a tried allocation (room.h); on failure frees @out and
 * sets @error (FLOWSIM_ERROR_INTERNAL, "out of memory: needed N bytes for @what"). */
static gboolean
reserve (GString *out, guint64 bytes, const char *what, FlowsimError **error)
{
    GError *local = NULL;
    if (fsim_room_reserve (out, bytes, what, &local))
        return TRUE;
    g_string_free (out, TRUE);
    set_error (error, FLOWSIM_ERROR_INTERNAL, local);
    return FALSE;
}

char *
flowsim_simulation_report_checked (const FlowsimSimulation *sim, FlowsimFormat format,
                                   FlowsimError **error)
{
    g_return_val_if_fail (sim != NULL, NULL);
    g_return_val_if_fail ((unsigned) format < G_N_ELEMENTS (report_formats), NULL);
    const FsimSim *s = sim->sim;
    GString *out = g_string_new (NULL);
    if (!reserve (out, fsim_report_room (s->scenario, s->result, report_formats[format]),
                  "the report", error))
        return NULL;
    fsim_report_render (s->scenario, s->pop, s->result, report_formats[format], out);
    return g_string_free (out, FALSE);
}

char *
flowsim_simulation_report (const FlowsimSimulation *sim, FlowsimFormat format)
{
    return flowsim_simulation_report_checked (sim, format, NULL);
}

char *
flowsim_simulation_diagram (const FlowsimSimulation *sim, const char *format, FlowsimError **error)
{
    g_return_val_if_fail (sim != NULL && format != NULL, NULL);
    if (strcmp (format, "dot") != 0 && strcmp (format, "svg") != 0) {
        set_error (error, FLOWSIM_ERROR_USAGE,
                   g_error_new (FSIM_SIM_ERROR, FSIM_SIM_ERROR_ARGUMENT,
                                "unknown diagram format '%s' (expected dot or svg)", format));
        return NULL;
    }
    /* the command line's bounds, with advice for a caller that has no --top to give */
    static const FsimGraphvizBounds bounds = {
        .max_nodes = FSIM_GRAPHVIZ_MAX_NODES,
        .max_edges = FSIM_GRAPHVIZ_MAX_EDGES,
        .max_passes = FSIM_GRAPHVIZ_MAX_PASSES,
        .advice = "ask for it as \"dot\" and lay it out with Graphviz yourself"
    };
    const FsimSim *s = sim->sim;
    GString *out = g_string_new (NULL);
    GError *local = NULL;
    if (!fsim_diagram_write_dot (s->scenario, s->decisions, s->result, NULL, out, &local) ||
        !fsim_graphviz_convert (sim->graphviz, out, format, &bounds, &local)) {
        g_string_free (out, TRUE);
        /* too large to lay out (refused, or `dot` stopped at its CPU time): what the command
         * line's exit status 2 says, a usage error */
        set_error (error,
                   g_error_matches (local, FSIM_GRAPHVIZ_ERROR, FSIM_GRAPHVIZ_ERROR_TOO_LARGE)
                       ? FLOWSIM_ERROR_USAGE
                       : FLOWSIM_ERROR_INTERNAL,
                   local);
        return NULL;
    }
    return g_string_free (out, FALSE);
}

const char *
flowsim_simulation_scenario (const FlowsimSimulation *sim)
{
    g_return_val_if_fail (sim != NULL, NULL);
    return sim->sim->scenario->id;
}

const char *
flowsim_simulation_date (const FlowsimSimulation *sim)
{
    g_return_val_if_fail (sim != NULL, NULL);
    return sim->date;
}

size_t
flowsim_simulation_users (const FlowsimSimulation *sim)
{
    g_return_val_if_fail (sim != NULL, 0);
    return sim->sim->result->n_users;
}

size_t
flowsim_simulation_friendships (const FlowsimSimulation *sim)
{
    g_return_val_if_fail (sim != NULL, 0);
    return sim->sim->result->n_friendships;
}

size_t
flowsim_simulation_n_partners (const FlowsimSimulation *sim)
{
    g_return_val_if_fail (sim != NULL, 0);
    return sim->sim->scenario->n_partners;
}

int
flowsim_simulation_partner (const FlowsimSimulation *sim, size_t i, FlowsimPartnerReach *out)
{
    g_return_val_if_fail (sim != NULL && out != NULL, 0);
    const FsimResult *r = sim->sim->result;
    if (i >= sim->sim->scenario->n_partners)
        return 0;
    const FsimPartner *p = &sim->sim->scenario->partners[i];
    *out = (FlowsimPartnerReach){
        .id = p->id,
        .name = p->name ? p->name : p->id,
        .kind = p->kind,
        .country = p->country,
        .users = r->partner_users[i],
        .users_reached = r->partner_reached[i],
        .users_reached_without_consent = r->partner_reached_no_consent[i],
    };
    return 1;
}

size_t
flowsim_simulation_n_flows (const FlowsimSimulation *sim)
{
    g_return_val_if_fail (sim != NULL, 0);
    return sim->n_flows;
}

int
flowsim_simulation_flow (const FlowsimSimulation *sim, size_t i, FlowsimFlow *out)
{
    g_return_val_if_fail (sim != NULL && out != NULL, 0);
    if (i >= sim->n_flows)
        return 0;
    const FlowRow *row = &sim->flows[i];
    const FsimScenario *s = sim->sim->scenario;
    const FsimResult *r = sim->sim->result;
    const FsimDestination *d = &s->partners[row->partner].destinations[row->destination];
    size_t fp = row->field * s->n_partners + row->partner;
    *out = (FlowsimFlow){
        .field = s->fields[row->field].id,
        .partner = s->partners[row->partner].id,
        .destination = d->id,
        .location = d->on_device ? "device" : "server",
        .jurisdiction = fsim_i_dest_jurisdiction (d),
        .users = r->fp_users[fp],
        .users_without_consent = r->fp_no_consent[fp],
        .self = r->fp_channel[FSIM_CHANNEL_SELF][fp],
        .friend_ = r->fp_channel[FSIM_CHANNEL_FRIEND][fp],
        .friend_of_friend = r->fp_channel[FSIM_CHANNEL_FRIEND_OF_FRIEND][fp],
        .downstream = r->fp_channel[FSIM_CHANNEL_DOWNSTREAM][fp],
    };
    return 1;
}

size_t
flowsim_simulation_n_jurisdictions (const FlowsimSimulation *sim)
{
    g_return_val_if_fail (sim != NULL, 0);
    return sim->sim->result->n_jurisdictions;
}

int
flowsim_simulation_jurisdiction (const FlowsimSimulation *sim, size_t i, FlowsimJurisdiction *out)
{
    g_return_val_if_fail (sim != NULL && out != NULL, 0);
    const FsimResult *r = sim->sim->result;
    if (i >= r->n_jurisdictions)
        return 0;
    *out = (FlowsimJurisdiction){
        .jurisdiction = r->jurisdictions[i],
        .users = r->jurisdiction_users[i],
        .users_without_consent = r->jurisdiction_no_consent[i],
    };
    return 1;
}

/* ---- analyses -------------------------------------------------------------------------- */

static char *
usage_error (FlowsimError **error, const char *format, const char *what)
{
    set_error (error, FLOWSIM_ERROR_USAGE,
               g_error_new (FSIM_SIM_ERROR, FSIM_SIM_ERROR_ARGUMENT, format, what));
    return NULL;
}

char *
flowsim_simulation_explain (const FlowsimSimulation *sim, const char *user, const char *field,
                            const char *partner, FlowsimFormat format, FlowsimError **error)
{
    g_return_val_if_fail (sim != NULL && user != NULL, NULL);
    g_return_val_if_fail (format == FLOWSIM_FORMAT_TEXT || format == FLOWSIM_FORMAT_JSON, NULL);
    const FsimSim *s = sim->sim;
    GError *local = NULL;
    g_autoptr (FsimTracer) tracer = fsim_tracer_new (s->scenario, s->pop, s->decisions, &local);
    if (tracer == NULL) {
        set_error (error, FLOWSIM_ERROR_INTERNAL, local);
        return NULL;
    }
    gssize u = fsim_tracer_find_user (tracer, user);
    if (u < 0)
        return usage_error (error, "no user '%s' in the simulation", user);
    g_autofree FsimWord *fields = field ? fsim_scenario_select_fields (s->scenario, field) : NULL;
    if (field && !fields)
        return usage_error (error, "field selector '%s' selects no field of the scenario", field);
    g_autofree FsimWord *partners =
        partner ? fsim_scenario_select_partners (s->scenario, partner) : NULL;
    if (partner && !partners)
        return usage_error (error, "partner selector '%s' selects no partner", partner);
    if (!fsim_i_check_pairs (s->scenario, fields, partners, "explain", &local)) {
        set_error (error, FLOWSIM_ERROR_USAGE, local);
        return NULL;
    }
    g_autoptr (FsimExplanation) e =
        fsim_explain_user (tracer, (size_t) u, fields, partners, &local);
    if (e == NULL) {
        set_error (error, FLOWSIM_ERROR_INTERNAL, local);
        return NULL;
    }
    GString *out = g_string_new (NULL);
    if (!reserve (out, fsim_explain_room (tracer, e), "the explanation", error))
        return NULL;
    if (format == FLOWSIM_FORMAT_JSON)
        fsim_explain_render_json (tracer, e, NULL, out);
    else
        fsim_explain_render_text (tracer, e, NULL, out);
    return g_string_free (out, FALSE);
}

char *
flowsim_diff (const char *base_path, const char *whatif_path, const FlowsimOptions *whatif_options,
              FlowsimFormat format, FlowsimError **error)
{
    g_return_val_if_fail (base_path != NULL, NULL);
    g_return_val_if_fail (format == FLOWSIM_FORMAT_TEXT || format == FLOWSIM_FORMAT_JSON, NULL);
    GError *local = NULL;
    FsimSimOptions o = sim_options (whatif_options);
    FsimSimFailure failure = FSIM_SIM_FAILED_INTERNAL;
    g_autoptr (FsimSimDiff) diff = fsim_sim_diff (base_path, whatif_path, &o, &failure, &local);
    if (diff == NULL) {
        set_error (error, (FlowsimErrorKind) failure, local);
        return NULL;
    }
    GString *out = g_string_new (NULL);
    if (!reserve (out, fsim_diff_room (diff->diff, NULL), "the comparison", error))
        return NULL;
    if (format == FLOWSIM_FORMAT_JSON)
        fsim_diff_render_json (diff->diff, out);
    else
        fsim_diff_render_text (diff->diff, out);
    return g_string_free (out, FALSE);
}

char *
flowsim_claims (const char *scenario_path, const FlowsimOptions *options, FlowsimFormat format,
                FlowsimError **error)
{
    g_return_val_if_fail (scenario_path != NULL, NULL);
    g_return_val_if_fail (format == FLOWSIM_FORMAT_TEXT || format == FLOWSIM_FORMAT_JSON, NULL);
    GError *local = NULL;
    FsimSimOptions o = sim_options (options);
    g_autoptr (FsimSim) sim = fsim_sim_load (scenario_path, &o, &local);
    if (sim == NULL) {
        set_error (error, FLOWSIM_ERROR_INPUT, local);
        return NULL;
    }
    GString *out = g_string_new (NULL);
    if (!reserve (out, fsim_claims_room_list (sim->scenario), "the claims", error))
        return NULL;
    fsim_claims_render_list (sim->scenario, format == FLOWSIM_FORMAT_JSON, out);
    return g_string_free (out, FALSE);
}
