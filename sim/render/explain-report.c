/* SPDX-License-Identifier: MIT */
/* explain-report.c: one user's routes in plain English or as JSON. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "analysis-private.h"
#include "claims-report.h"
#include "explain.h"
#include "json-writer.h"
#include "render-private.h"
#include "room.h"
#include "table.h"

/*
 * Every string that comes from a scenario file is cleaned for the terminal (text) or escaped
 * (JSON). A route is a short paragraph: who carried it, which API, scope and rule, which of the
 * user's settings the API looked at, and for a closed route the first gate that closed it.
 */

#define MAX_NAMES 5       /* carriers named per route in text; the rest are counted */
#define MAX_JSON_NAMES 20 /* ... in JSON */

static const char *const channel_words[FSIM_N_CHANNELS] = {
    [FSIM_CHANNEL_SELF] = "self",
    [FSIM_CHANNEL_FRIEND] = "friend",
    [FSIM_CHANNEL_FRIEND_OF_FRIEND] = "friend of friend",
    [FSIM_CHANNEL_DOWNSTREAM] = "downstream",
};

static const char *const audience_needed[FSIM_N_CHANNELS] = {
    [FSIM_CHANNEL_FRIEND] = "friends",
    [FSIM_CHANNEL_FRIEND_OF_FRIEND] = "friends_of_friends",
};

typedef struct {
    const FsimTracer *t;
    const FsimScenario *s;
    const FsimPopulation *pop;
    size_t u;
    char *user; /* cleaned display name */
    char *date;
} Ctx;

static void
ctx_init (Ctx *c, const FsimTracer *t, size_t u)
{
    c->t = t;
    c->s = fsim_tracer_scenario (t);
    c->pop = fsim_tracer_population (t);
    c->u = u;
    g_autofree char *name = fsim_population_user_name (c->pop, u);
    c->user = fsim_text_clean (name);
    c->date = fsim_day_format (fsim_decisions_get_day (fsim_tracer_decisions (t)));
}

static void
ctx_clear (Ctx *c)
{
    g_free (c->user);
    g_free (c->date);
}

gboolean
fsim_explain_destination_matches (const FsimPartner *p, const FsimDestination *d,
                                  const char *filter)
{
    if (!filter)
        return TRUE;
    if (strcmp (fsim_i_dest_jurisdiction (d), filter) == 0)
        return TRUE;
    size_t n = strlen (p->id);
    return strncmp (filter, p->id, n) == 0 && filter[n] == '/' &&
           strcmp (filter + n + 1, d->id) == 0;
}

/* Does the flow land in a destination the filter shows? */
static gboolean
flow_shown (const FsimScenario *s, const FsimFlowExplanation *flow, const char *filter)
{
    const FsimPartner *p = &s->partners[flow->partner];
    if (!filter)
        return TRUE;
    for (size_t d = 0; d < p->n_destinations; d++)
        if (fsim_bits_get (p->destinations[d].fields, flow->field) &&
            fsim_explain_destination_matches (p, &p->destinations[d], filter))
            return TRUE;
    return FALSE;
}

static void
append_user (GString *out, const FsimPopulation *pop, size_t u)
{
    g_autofree char *name = fsim_population_user_name (pop, u);
    fsim_i_append_clean (out, name);
}

/* ---- text: the sentences ---------------------------------------------------------------- */

static void
text_carriers (const Ctx *c, const FsimRoute *r, GString *out)
{
    if (r->channel == FSIM_CHANNEL_SELF) {
        g_string_append_printf (out, "%s uses the partner", c->user);
        return;
    }
    g_string_append (out, r->channel == FSIM_CHANNEL_FRIEND ? "friends who use it: "
                                                            : "friends of friends who use it: ");
    for (size_t i = 0; i < r->n_carriers && i < MAX_NAMES; i++) {
        if (i)
            g_string_append (out, ", ");
        append_user (out, c->pop, r->carriers[i]);
        if (r->through) {
            g_string_append (out, " (through ");
            append_user (out, c->pop, r->through[i]);
            g_string_append_c (out, ')');
        }
    }
    if (r->n_carriers > MAX_NAMES)
        g_string_append_printf (out, " and %zu more", r->n_carriers - MAX_NAMES);
}

static void
text_window (GString *out, FsimWindow w)
{
    g_autofree char *from = fsim_day_format (w.from);
    g_autofree char *until = fsim_day_format (w.until);
    if (w.from <= FSIM_DAY_MIN)
        g_string_append_printf (out, "until %s", until);
    else if (w.until >= FSIM_DAY_MAX)
        g_string_append_printf (out, "from %s", from);
    else
        g_string_append_printf (out, "from %s until %s", from, until);
}

static void
text_decision (const Ctx *c, const FsimRoute *r, size_t partner, GString *out)
{
    const FsimApi *api = &c->s->apis[r->api];
    switch (r->decision.verdict) {
    case FSIM_VERDICT_ALLOWED:
        g_string_append (out, "allowed by ");
        fsim_i_append_rule (out, c->s, (size_t) r->decision.rule);
        break;
    case FSIM_VERDICT_DENIED:
        g_string_append (out, "the scope is denied by ");
        fsim_i_append_rule (out, c->s, (size_t) r->decision.rule);
        break;
    case FSIM_VERDICT_NO_ALLOW:
        g_string_append (out, "no allow rule matches the scope: denied by default");
        break;
    case FSIM_VERDICT_NOT_REQUESTED:
        fsim_i_append_clean (out, c->s->partners[partner].id);
        g_string_append (out, " does not request the scope");
        break;
    default:
        g_string_append_printf (out, "the API is not active on %s (active ", c->date);
        text_window (out, api->active);
        g_string_append_c (out, ')');
    }
}

static void
text_audience (const Ctx *c, size_t f, GString *out)
{
    FsimAudience a = c->pop->audience[c->u * c->pop->n_fields + f];
    g_string_append_printf (out, "%s shows ", c->user);
    fsim_i_append_clean (out, c->s->fields[f].id);
    g_string_append_printf (out, " to %s", fsim_audience_to_string (a));
}

/* "a", "a and b", "a, b and c" */
static void
append_list (GString *out, const char *const *items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        g_string_append_printf (out, "%s%s", i == 0 ? "" : i + 1 == n ? " and " : ", ", items[i]);
}

/* The settings of the data subject that the route's API looked at, and those it ignored. */
static void
text_gates (const Ctx *c, const FsimRoute *r, size_t f, GString *out)
{
    const FsimApi *api = &c->s->apis[r->api];
    gboolean self = r->channel == FSIM_CHANNEL_SELF;
    const char *ignored[3];
    size_t n_ignored = 0, n_shown = 0;
    g_string_append (out, "settings: ");
    if (api->respects & FSIM_RESPECTS_PLATFORM) {
        g_string_append_printf (out, "platform switch %s", c->pop->platform[c->u] ? "on" : "off");
        n_shown++;
    } else {
        ignored[n_ignored++] = "the platform switch";
    }
    if (!self && (api->respects & FSIM_RESPECTS_APPS_OTHERS)) {
        gboolean in = fsim_bits_get (c->pop->apps_others + c->u * c->pop->field_words, f);
        g_string_append (out, n_shown++ ? "; " : "");
        fsim_i_append_clean (out, c->s->fields[f].id);
        g_string_append (out, in ? " is in \"apps others use\"" : " is not in \"apps others use\"");
    } else if (!self) {
        ignored[n_ignored++] = "\"apps others use\"";
    }
    if (!self && (api->respects & FSIM_RESPECTS_AUDIENCE)) {
        g_string_append (out, n_shown++ ? "; " : "");
        text_audience (c, f, out);
        g_string_append_printf (out, " (needs %s or wider)", audience_needed[r->channel]);
    } else if (!self) {
        ignored[n_ignored++] = "the audience";
    }
    if (n_ignored) {
        g_string_append_printf (out, "%sAPI ", n_shown ? "; " : "");
        fsim_i_append_clean (out, api->id);
        g_string_append (out, " ignores ");
        append_list (out, ignored, n_ignored);
    }
}

/* The sentence for a gate that closes a direct route. */
static void
text_block_direct (const Ctx *c, FsimBlock b, const FsimRoute *r, const FsimFlowExplanation *flow,
                   GString *out)
{
    const char *p = c->s->partners[flow->partner].id;
    switch (b) {
    case FSIM_BLOCK_PLATFORM:
        g_string_append_printf (out, "%s's platform switch is off", c->user);
        break;
    case FSIM_BLOCK_APPS_OTHERS:
        fsim_i_append_clean (out, c->s->fields[flow->field].id);
        g_string_append_printf (out, " is not in %s's \"apps others use\" list", c->user);
        break;
    case FSIM_BLOCK_AUDIENCE:
        text_audience (c, flow->field, out);
        g_string_append_printf (out, ", and this channel needs %s or wider",
                                audience_needed[r->channel]);
        break;
    case FSIM_BLOCK_NOT_USED:
        g_string_append_printf (out, "%s does not use ", c->user);
        fsim_i_append_clean (out, p);
        break;
    case FSIM_BLOCK_NO_FRIEND:
        g_string_append_printf (out, "no friend of %s uses ", c->user);
        fsim_i_append_clean (out, p);
        break;
    case FSIM_BLOCK_NO_FRIEND_OF_FRIEND:
        g_string_append_printf (out, "no friend of a friend of %s uses ", c->user);
        fsim_i_append_clean (out, p);
        break;
    default:
        text_decision (c, r, flow->partner, out);
    }
}

/* The sentence for a gate that closes a downstream route. */
static void
text_block_share (const Ctx *c, FsimBlock b, const FsimRoute *r, const FsimFlowExplanation *flow,
                  GString *out)
{
    const FsimPartner *q = &c->s->partners[r->from];
    const char *f = c->s->fields[flow->field].id;
    switch (b) {
    case FSIM_BLOCK_SHARE_INACTIVE:
        g_string_append_printf (out, "the share is not active on %s (active ", c->date);
        text_window (out, q->shares[r->share].active);
        g_string_append_c (out, ')');
        break;
    case FSIM_BLOCK_SHARE_FIELDS:
        g_string_append (out, "the share does not carry ");
        fsim_i_append_clean (out, f);
        break;
    case FSIM_BLOCK_NOT_HELD:
        fsim_i_append_clean (out, q->id);
        g_string_append (out, " has no destination receiving ");
        fsim_i_append_clean (out, f);
        break;
    case FSIM_BLOCK_DEVICE_ONLY:
        fsim_i_append_clean (out, q->id);
        g_string_append (out, " keeps ");
        fsim_i_append_clean (out, f);
        g_string_append (out, " on the device, and data kept on a device is never shared onward");
        break;
    default:
        fsim_i_append_clean (out, f);
        g_string_append_printf (out, " of %s never reached ", c->user);
        fsim_i_append_clean (out, q->id);
    }
}

static void
text_block (const Ctx *c, FsimBlock b, const FsimRoute *r, const FsimFlowExplanation *flow,
            GString *out)
{
    if (b >= FSIM_BLOCK_SHARE_INACTIVE)
        text_block_share (c, b, r, flow, out);
    else
        text_block_direct (c, b, r, flow, out);
}

/* ---- text: routes and flows ------------------------------------------------------------- */

static void
newline (GString *out, size_t indent)
{
    g_string_append_c (out, '\n');
    fsim_append_spaces (out, indent + 8);
}

static void
text_also (const Ctx *c, const FsimRoute *r, const FsimFlowExplanation *flow, size_t indent,
           GString *out)
{
    for (int b = 1; b < _FSIM_BLOCK_MAX; b++) {
        if (!(r->also & (1u << b)))
            continue;
        newline (out, indent);
        g_string_append (out, "also: ");
        text_block (c, (FsimBlock) b, r, flow, out);
    }
}

static void
text_share_route (const Ctx *c, const FsimRoute *r, const FsimFlowExplanation *flow, size_t indent,
                  GString *out)
{
    const FsimPartner *q = &c->s->partners[r->from];
    g_autofree char *at = fsim_i_loc_string (q->shares[r->share].loc);
    if (r->block == FSIM_BLOCK_NONE) {
        g_string_append (out, "downstream: ");
        for (size_t i = 0; i < r->n_path; i++) {
            g_string_append (out, i ? " -> " : "");
            fsim_i_append_clean (out, c->s->partners[r->path[i]].id);
        }
        newline (out, indent);
        g_string_append (out, "last hop: the share of ");
    } else {
        g_string_append (out, "downstream from ");
    }
    fsim_i_append_clean (out, q->id);
    g_string_append (out, " (");
    fsim_i_append_clean (out, at);
    g_string_append_c (out, ')');
    if (r->block != FSIM_BLOCK_NONE) {
        newline (out, indent);
        g_string_append (out, "blocked: ");
        text_block (c, r->block, r, flow, out);
    }
}

static void
text_direct_route (const Ctx *c, const FsimRoute *r, const FsimFlowExplanation *flow, size_t indent,
                   GString *out)
{
    const FsimApi *api = &c->s->apis[r->api];
    g_string_append_printf (out, "%s: API ", channel_words[r->channel]);
    fsim_i_append_clean (out, api->id);
    g_string_append (out, ", scope ");
    fsim_i_append_clean (out, api->scopes[r->scope].id);
    if (r->block == FSIM_BLOCK_NONE) {
        newline (out, indent);
        text_carriers (c, r, out);
        newline (out, indent);
        text_decision (c, r, flow->partner, out);
        newline (out, indent);
        text_gates (c, r, flow->field, out);
        return;
    }
    newline (out, indent);
    g_string_append (out, "blocked: ");
    text_block (c, r->block, r, flow, out);
}

void
fsim_explain_route_text (const FsimTracer *t, size_t u, const FsimFlowExplanation *flow,
                         const FsimRoute *route, size_t indent, GString *out)
{
    Ctx c;
    ctx_init (&c, t, u);
    fsim_append_spaces (out, indent);
    g_string_append (out, route->block == FSIM_BLOCK_NONE ? "open    " : "closed  ");
    if (route->channel == FSIM_CHANNEL_DOWNSTREAM)
        text_share_route (&c, route, flow, indent, out);
    else
        text_direct_route (&c, route, flow, indent, out);
    text_also (&c, route, flow, indent, out);
    g_string_append_c (out, '\n');
    ctx_clear (&c);
}

/* "servers (server, GB), handset (on device)": the destinations shown that receive f. */
static void
text_destinations (const Ctx *c, const FsimFlowExplanation *flow, const char *filter, GString *out)
{
    const FsimPartner *p = &c->s->partners[flow->partner];
    gboolean first = TRUE;
    for (size_t d = 0; d < p->n_destinations; d++) {
        const FsimDestination *dest = &p->destinations[d];
        if (!fsim_bits_get (dest->fields, flow->field) ||
            !fsim_explain_destination_matches (p, dest, filter))
            continue;
        g_autofree char *where = fsim_i_dest_where (dest);
        g_string_append (out, first ? "" : ", ");
        fsim_i_append_clean (out, dest->id);
        g_string_append_printf (out, " (%s)", where);
        first = FALSE;
    }
}

static void
text_flow_head (const Ctx *c, const FsimFlowExplanation *flow, const char *filter, GString *out)
{
    g_string_append (out, "  ");
    fsim_i_append_partner (out, &c->s->partners[flow->partner]);
    if (!flow->receives) {
        g_string_append (out, ": not reached: no destination of it receives ");
        fsim_i_append_clean (out, c->s->fields[flow->field].id);
        g_string_append_c (out, '\n');
        return;
    }
    if (flow->channels) {
        gboolean consent = flow->channels & FSIM_CHANNEL_BIT (FSIM_CHANNEL_SELF);
        g_string_append_printf (out, ": REACHED, %s; via ",
                                consent ? "with consent" : "without consent");
        gboolean first = TRUE;
        for (int ch = 0; ch < FSIM_N_CHANNELS; ch++)
            if (flow->channels & FSIM_CHANNEL_BIT (ch)) {
                g_string_append_printf (out, "%s%s", first ? "" : ", ", channel_words[ch]);
                first = FALSE;
            }
        g_string_append (out, "; lands in ");
    } else {
        g_string_append (out, ": not reached; would land in ");
    }
    text_destinations (c, flow, filter, out);
    g_string_append_c (out, '\n');
    if (flow->n_routes == 0)
        g_string_append (out, "    (no route: no API of this partner offers the field, and no "
                              "partner shares it with this one)\n");
}

static void
text_header (const Ctx *c, GString *out)
{
    g_string_append (out, "flowsim " FSIM_VERSION " explain\n\n");
    g_string_append (out, "  Scenario  ");
    fsim_i_append_clean (out, c->s->id ? c->s->id : "(policy file, no scenario)");
    g_string_append_printf (out, "\n  Date      %s\n  User      %s (platform switch %s)\n", c->date,
                            c->user, c->pop->platform[c->u] ? "on" : "off");
    fsim_claims_report_header_line (c->s, out);
}

void
fsim_explain_render_text (const FsimTracer *t, const FsimExplanation *e, const char *destination,
                          GString *out)
{
    Ctx c;
    ctx_init (&c, t, e->user);
    text_header (&c, out);
    gssize field = -1;
    size_t shown = 0;
    for (guint i = 0; i < e->n_flows; i++) {
        const FsimFlowExplanation *flow = &e->flows[i];
        if (!flow_shown (c.s, flow, destination))
            continue;
        if ((gssize) flow->field != field) {
            const FsimField *f = &c.s->fields[flow->field];
            field = (gssize) flow->field;
            g_string_append_c (out, '\n');
            fsim_i_append_clean (out, f->id);
            if (strcmp (f->label, f->id) != 0) {
                g_string_append (out, " (");
                fsim_i_append_clean (out, f->label);
                g_string_append_c (out, ')');
            }
            g_string_append (out, f->sensitive ? ", sensitive\n" : "\n");
        }
        text_flow_head (&c, flow, destination, out);
        for (guint j = 0; flow->receives && j < flow->n_routes; j++)
            fsim_explain_route_text (t, e->user, flow, &flow->routes[j], 4, out);
        shown++;
    }
    if (shown == 0)
        g_string_append (out, "\n(no flow matches the filters)\n");
    ctx_clear (&c);
}

/* ---- JSON ------------------------------------------------------------------------------- */

static void
json_settings (const Ctx *c, const FsimRoute *r, size_t f, FsimJsonWriter *w)
{
    const FsimApi *api = &c->s->apis[r->api];
    fsim_jw_key (w, "settings");
    fsim_jw_open (w, '{');
    fsim_jw_key (w, "platform");
    fsim_jw_open (w, '{');
    fsim_jw_bool (w, "respected", (api->respects & FSIM_RESPECTS_PLATFORM) != 0);
    fsim_jw_bool (w, "on", c->pop->platform[c->u] != 0);
    fsim_jw_close (w, '}');
    if (r->channel != FSIM_CHANNEL_SELF) {
        fsim_jw_key (w, "apps_others");
        fsim_jw_open (w, '{');
        fsim_jw_bool (w, "respected", (api->respects & FSIM_RESPECTS_APPS_OTHERS) != 0);
        fsim_jw_bool (w, "listed",
                      fsim_bits_get (c->pop->apps_others + c->u * c->pop->field_words, f));
        fsim_jw_close (w, '}');
        fsim_jw_key (w, "audience");
        fsim_jw_open (w, '{');
        fsim_jw_bool (w, "respected", (api->respects & FSIM_RESPECTS_AUDIENCE) != 0);
        fsim_jw_str (w, "value",
                     fsim_audience_to_string (c->pop->audience[c->u * c->pop->n_fields + f]));
        fsim_jw_str (w, "needed", audience_needed[r->channel]);
        fsim_jw_close (w, '}');
    }
    fsim_jw_close (w, '}');
}

static void
json_carriers (const Ctx *c, const FsimRoute *r, FsimJsonWriter *w)
{
    fsim_jw_uint (w, "n_carriers", r->n_carriers);
    fsim_jw_key (w, "carriers");
    fsim_jw_open (w, '[');
    for (size_t i = 0; i < r->n_carriers && i < MAX_JSON_NAMES; i++) {
        g_autofree char *name = fsim_population_user_name (c->pop, r->carriers[i]);
        fsim_jw_item (w);
        fsim_jw_open (w, '{');
        fsim_jw_str (w, "user", name);
        if (r->through) {
            g_autofree char *via = fsim_population_user_name (c->pop, r->through[i]);
            fsim_jw_str (w, "through", via);
        } else {
            fsim_jw_null (w, "through");
        }
        fsim_jw_close (w, '}');
    }
    fsim_jw_close (w, ']');
}

static void
json_route (const Ctx *c, const FsimFlowExplanation *flow, const FsimRoute *r, FsimJsonWriter *w)
{
    fsim_jw_item (w);
    fsim_jw_open (w, '{');
    fsim_jw_str (w, "channel", fsim_channel_to_string (r->channel));
    fsim_jw_bool (w, "open", r->block == FSIM_BLOCK_NONE);
    if (r->block == FSIM_BLOCK_NONE)
        fsim_jw_null (w, "blocked_by");
    else
        fsim_jw_str (w, "blocked_by", fsim_block_to_string (r->block));
    fsim_jw_key (w, "also_blocked_by");
    fsim_jw_open (w, '[');
    for (int b = 1; b < _FSIM_BLOCK_MAX; b++)
        if (r->also & (1u << b))
            fsim_jw_elem (w, fsim_block_to_string ((FsimBlock) b));
    fsim_jw_close (w, ']');
    if (r->channel == FSIM_CHANNEL_DOWNSTREAM) {
        const FsimPartner *q = &c->s->partners[r->from];
        g_autofree char *at = fsim_i_loc_string (q->shares[r->share].loc);
        fsim_jw_str (w, "from", q->id);
        fsim_jw_str (w, "share_at", at);
        fsim_jw_key (w, "path");
        fsim_jw_open (w, '[');
        for (size_t i = 0; i < r->n_path; i++)
            fsim_jw_elem (w, c->s->partners[r->path[i]].id);
        fsim_jw_close (w, ']');
    } else {
        const FsimApi *api = &c->s->apis[r->api];
        fsim_jw_str (w, "api", api->id);
        fsim_jw_str (w, "scope", api->scopes[r->scope].id);
        fsim_jw_str (w, "decision", fsim_verdict_to_string (r->decision.verdict));
        fsim_i_jw_rule (w, "rule", c->s, r->decision.rule);
        json_carriers (c, r, w);
        json_settings (c, r, flow->field, w);
    }
    fsim_jw_close (w, '}');
}

static void
json_flow (const Ctx *c, const FsimFlowExplanation *flow, const char *filter, FsimJsonWriter *w)
{
    const FsimPartner *p = &c->s->partners[flow->partner];
    fsim_jw_item (w);
    fsim_jw_open (w, '{');
    fsim_jw_str (w, "field", c->s->fields[flow->field].id);
    fsim_jw_bool (w, "sensitive", c->s->fields[flow->field].sensitive);
    fsim_jw_str (w, "partner", p->id);
    fsim_jw_bool (w, "reached", flow->channels != 0);
    fsim_jw_bool (w, "with_consent", (flow->channels & FSIM_CHANNEL_BIT (FSIM_CHANNEL_SELF)) != 0);
    fsim_jw_key (w, "channels");
    fsim_jw_open (w, '[');
    for (int ch = 0; ch < FSIM_N_CHANNELS; ch++)
        if (flow->channels & FSIM_CHANNEL_BIT (ch))
            fsim_jw_elem (w, fsim_channel_to_string ((FsimChannel) ch));
    fsim_jw_close (w, ']');
    fsim_jw_key (w, "destinations");
    fsim_jw_open (w, '[');
    for (size_t d = 0; d < p->n_destinations; d++) {
        const FsimDestination *dest = &p->destinations[d];
        if (!fsim_bits_get (dest->fields, flow->field) ||
            !fsim_explain_destination_matches (p, dest, filter))
            continue;
        fsim_jw_item (w);
        fsim_jw_open (w, '{');
        fsim_jw_str (w, "id", dest->id);
        fsim_jw_str (w, "location", dest->on_device ? "device" : "server");
        fsim_jw_str (w, "jurisdiction", fsim_i_dest_jurisdiction (dest));
        fsim_jw_close (w, '}');
    }
    fsim_jw_close (w, ']');
    fsim_jw_key (w, "routes");
    fsim_jw_open (w, '[');
    for (guint j = 0; j < flow->n_routes; j++)
        json_route (c, flow, &flow->routes[j], w);
    fsim_jw_close (w, ']');
    fsim_jw_close (w, '}');
}

void
fsim_explain_render_json (const FsimTracer *t, const FsimExplanation *e, const char *destination,
                          GString *out)
{
    Ctx c;
    ctx_init (&c, t, e->user);
    g_autofree char *user = fsim_population_user_name (c.pop, e->user);
    FsimJsonWriter w = { .out = out };
    fsim_jw_open (&w, '{');
    fsim_jw_str (&w, "flowsim", FSIM_VERSION);
    fsim_jw_str (&w, "scenario", c.s->id);
    fsim_jw_str (&w, "date", c.date);
    fsim_jw_str (&w, "user", user);
    fsim_jw_bool (&w, "platform", c.pop->platform[e->user] != 0);
    fsim_claims_report_json (&w, c.s);
    fsim_jw_key (&w, "flows");
    fsim_jw_open (&w, '[');
    for (guint i = 0; i < e->n_flows; i++) {
        const FsimFlowExplanation *flow = &e->flows[i];
        if (flow_shown (c.s, flow, destination))
            json_flow (&c, flow, destination, &w);
    }
    fsim_jw_close (&w, ']');
    fsim_jw_close (&w, '}');
    g_string_append_c (out, '\n');
    ctx_clear (&c);
}

/* ---- the room the text takes (room.h) ---------------------------------------------------- */

/* A route's paragraph or object besides its names: the sentences of its gates and blocks (text)
 * or its keys and settings (JSON), 1.2 KiB at most, with the dates of windows. */
#define ROOM_ROUTE 2048

/* What route @r names: its carriers (and who they are reached through), its API, scope and rule,
 * or the share and the partners on its path; the user (@user bytes) and the pair's partner and
 * field (@pair bytes) in a few of its sentences. */
static guint64
room_route (const Ctx *c, const FsimRoute *r, guint64 user, guint64 pair, guint64 rule)
{
    guint64 bytes = ROOM_ROUTE + 8 * user + 4 * pair;
    for (size_t i = 0; i < r->n_carriers && i < MAX_JSON_NAMES; i++) {
        g_autofree char *name = fsim_population_user_name (c->pop, r->carriers[i]);
        g_autofree char *via =
            r->through ? fsim_population_user_name (c->pop, r->through[i]) : NULL;
        bytes += fsim_room_json (name) + fsim_room_json (via) + 64;
    }
    if (r->channel == FSIM_CHANNEL_DOWNSTREAM) {
        const FsimPartner *q = &c->s->partners[r->from];
        g_autofree char *at = fsim_i_loc_string (q->shares[r->share].loc);
        bytes += 2 * (fsim_room_json (q->id) + fsim_room_json (at));
        for (size_t i = 0; i < r->n_path; i++)
            bytes += 2 * fsim_room_json (c->s->partners[r->path[i]].id) + 16;
    } else {
        const FsimApi *api = &c->s->apis[r->api];
        bytes += 2 * (fsim_room_json (api->id) + fsim_room_json (api->scopes[r->scope].id)) + rule;
    }
    return bytes;
}

guint64
fsim_explain_room (const FsimTracer *t, const FsimExplanation *e)
{
    g_return_val_if_fail (t != NULL && e != NULL, 0);
    Ctx c;
    ctx_init (&c, t, e->user);
    g_autoptr (GString) claims = g_string_new (NULL);
    FsimJsonWriter w = { .out = claims, .depth = 1, .first = { TRUE, TRUE } };
    fsim_claims_report_json (&w, c.s);
    fsim_claims_report_header_line (c.s, claims);
    guint64 user = fsim_room_json (c.user), rule = fsim_i_room_rule (c.s);
    guint64 bytes = 8192 + claims->len + 4 * user;
    for (guint i = 0; i < e->n_flows; i++) {
        const FsimFlowExplanation *flow = &e->flows[i];
        const FsimPartner *p = &c.s->partners[flow->partner];
        guint64 pair = fsim_room_json (c.s->fields[flow->field].id) + fsim_room_json (p->id);
        bytes += 1024 + 2 * pair;
        for (size_t d = 0; d < p->n_destinations; d++)
            bytes += fsim_room_json (p->destinations[d].id) +
                     fsim_room_json (fsim_i_dest_jurisdiction (&p->destinations[d])) + 128;
        for (guint j = 0; j < flow->n_routes; j++)
            bytes += room_route (&c, &flow->routes[j], user, pair, rule);
    }
    ctx_clear (&c);
    return bytes;
}

/* A route's paragraph has at most four lines and one "also:" line per gate; each line's
 * indentation is @indent and 8 spaces, which room_route() counts for an indent of 0. */
guint64
fsim_explain_open_routes_room (const FsimTracer *t, const FsimExplanation *e, size_t indent)
{
    g_return_val_if_fail (t != NULL && e != NULL, 0);
    Ctx c;
    ctx_init (&c, t, e->user);
    guint64 user = fsim_room_json (c.user), rule = fsim_i_room_rule (c.s), bytes = 0;
    for (guint i = 0; i < e->n_flows; i++) {
        const FsimFlowExplanation *flow = &e->flows[i];
        guint64 pair = fsim_room_json (c.s->fields[flow->field].id) +
                       fsim_room_json (c.s->partners[flow->partner].id);
        for (guint j = 0; j < flow->n_routes; j++) {
            const FsimRoute *r = &flow->routes[j];
            if (r->block == FSIM_BLOCK_NONE)
                bytes +=
                    room_route (&c, r, user, pair, rule) + (guint64) (4 + _FSIM_BLOCK_MAX) * indent;
        }
    }
    ctx_clear (&c);
    return bytes;
}
