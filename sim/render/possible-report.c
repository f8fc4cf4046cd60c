/* SPDX-License-Identifier: MIT */
/* possible-report.c: `flowsim possible` as text and JSON (the analysis is analysis/possible.c). */
#include "config.h"

#include <string.h>

#include "analysis-private.h"
#include "claims-report.h"
#include "explain.h"
#include "json-writer.h"
#include "policy.h"
#include "possible-report.h"
#include "render-private.h"
#include "room.h"
#include "table.h"

/* ---- text ------------------------------------------------------------------------------- */

static const char *const channel_words[FSIM_N_CHANNELS] = {
    [FSIM_CHANNEL_SELF] = "self",
    [FSIM_CHANNEL_FRIEND] = "friend",
    [FSIM_CHANNEL_FRIEND_OF_FRIEND] = "friend of friend",
    [FSIM_CHANNEL_DOWNSTREAM] = "downstream",
};

static char *
channels_text (guint8 channels)
{
    GString *out = g_string_new (NULL);
    for (int c = 0; c < FSIM_N_CHANNELS; c++)
        if (channels & FSIM_CHANNEL_BIT (c))
            g_string_append_printf (out, "%s%s", out->len ? ", " : "", channel_words[c]);
    if (!out->len)
        g_string_append (out, "-");
    return g_string_free (out, FALSE);
}

static void
text_situation (const FsimScenario *s, const FsimPossibleFlow *flow, const FsimSituation *x,
                GString *out)
{
    const char *f = s->fields[flow->field].id;
    const char *p = s->partners[x->partner].id;
    switch (x->kind) {
    case FSIM_SITUATION_NOT_USES:
        g_string_append (out, "does not use ");
        break;
    case FSIM_SITUATION_NO_FRIEND_USES:
        g_string_append (out, "no friend uses ");
        break;
    case FSIM_SITUATION_NO_FRIEND_OF_FRIEND_USES:
        g_string_append (out, "no friend of a friend uses ");
        break;
    case FSIM_SITUATION_PLATFORM_OFF:
        g_string_append (out, "platform switch off");
        return;
    case FSIM_SITUATION_NOT_IN_APPS_OTHERS:
        fsim_i_append_clean (out, f);
        g_string_append (out, " not in \"apps others use\"");
        return;
    case FSIM_SITUATION_AUDIENCE_FRIENDS:
        g_string_append (out, "shows ");
        fsim_i_append_clean (out, f);
        g_string_append (out, " to friends at most");
        return;
    default:
        g_string_append (out, "shows ");
        fsim_i_append_clean (out, f);
        g_string_append (out, " to only_me");
        return;
    }
    fsim_i_append_clean (out, p);
}

/* One blocking combination: "does not use quiz; platform switch off". */
static void
text_blocker (const FsimScenario *s, const FsimPossibleFlow *flow, guint32 x, GString *out)
{
    guint32 only_me = 0;
    for (guint i = 0; i < flow->situations->len; i++)
        if (g_array_index (flow->situations, FsimSituation, i).kind ==
            FSIM_SITUATION_AUDIENCE_ONLY_ME)
            only_me = 1u << i;
    gboolean first = TRUE;
    for (guint i = 0; i < flow->situations->len; i++) {
        const FsimSituation *sit = &g_array_index (flow->situations, FsimSituation, i);
        if (!(x & (1u << i)) || (sit->kind == FSIM_SITUATION_AUDIENCE_FRIENDS && (x & only_me)))
            continue;
        g_string_append (out, first ? "" : "; ");
        text_situation (s, flow, sit, out);
        first = FALSE;
    }
}

/* Why an impossible flow cannot happen, in one line. */
static void
text_impossible (const FsimPossible *pp, const FsimPossibleFlow *flow, GString *out)
{
    const FsimScenario *s = fsim_possible_scenario (pp);
    const FsimPartner *p = &s->partners[flow->partner];
    if (!flow->receives) {
        g_string_append (out, "no destination receives it");
        return;
    }
    size_t shown = 0;
    g_string_append (out, "no allowed route");
    for (size_t k = 0; k < p->n_apis; k++) {
        const FsimApi *api = &s->apis[p->apis[k]];
        for (size_t sc = 0; sc < api->n_scopes; sc++) {
            if (!fsim_bits_get (api->scopes[sc].fields, flow->field) || shown++ >= 4)
                continue;
            g_string_append (out, shown == 1 ? " (" : ", ");
            fsim_i_append_clean (out, api->id);
            g_string_append_c (out, '/');
            fsim_i_append_clean (out, api->scopes[sc].id);
            g_string_append_printf (
                out, ": %s",
                fsim_verdict_to_string (
                    fsim_decisions_get (fsim_possible_decisions (pp), flow->partner, k, sc)
                        ->verdict));
        }
    }
    if (shown > 4)
        g_string_append_printf (out, " and %zu more", shown - 4);
    g_string_append (out, shown ? ")"
                                : ": no API it integrates offers it, and no partner "
                                  "that could receive it passes it on");
}

static void
text_table (const FsimPossible *pp, GString *out)
{
    static const char *const headers[] = { "Field",    "Partner",  "Destination", "Where",
                                           "Possible", "Channels", NULL };
    const FsimScenario *s = fsim_possible_scenario (pp);
    FsimTable t;
    fsim_table_init (&t, "llllll", headers);
    for (guint i = 0; i < fsim_possible_flows (pp)->len; i++) {
        const FsimPossibleFlow *flow =
            &g_array_index (fsim_possible_flows (pp), FsimPossibleFlow, i);
        const FsimPartner *p = &s->partners[flow->partner];
        for (size_t d = 0; d < p->n_destinations; d++) {
            if (!fsim_bits_get (p->destinations[d].fields, flow->field))
                continue;
            char **row = fsim_table_row (&t);
            row[0] = fsim_text_clean (s->fields[flow->field].id);
            row[1] = fsim_text_clean (p->id);
            row[2] = fsim_text_clean (p->destinations[d].id);
            row[3] = fsim_i_dest_where (&p->destinations[d]);
            row[4] = g_strdup (flow->channels ? "yes" : "no");
            row[5] = channels_text (flow->channels);
        }
    }
    fsim_table_finish (&t, "\nFlows (one row per field, partner and destination receiving it)\n",
                       out);
}

static void
text_pair_head (const FsimScenario *s, const FsimPossibleFlow *flow, GString *out)
{
    g_string_append (out, "  ");
    fsim_i_append_clean (out, s->fields[flow->field].id);
    g_string_append (out, " -> ");
    fsim_i_append_clean (out, s->partners[flow->partner].id);
}

void
fsim_possible_render_text (const FsimPossible *pp, GString *out)
{
    const FsimScenario *s = fsim_possible_scenario (pp);
    g_autofree char *day = fsim_day_format (fsim_possible_day (pp));
    g_string_append (out, "flowsim " FSIM_VERSION " possible\n\n  Scenario  ");
    fsim_i_append_clean (out, s->id ? s->id : "(policy file, no scenario)");
    g_string_append_printf (out, "\n  Date      %s\n", day);
    fsim_claims_report_header_line (s, out);
    g_string_append (out, "  No population is built: each answer holds for any user, whoever "
                          "their friends are.\n");
    text_table (pp, out);
    g_string_append (out, "\nBlocked for a user when (each line: one least restrictive "
                          "situation that blocks the flow)\n");
    for (guint i = 0; i < fsim_possible_flows (pp)->len; i++) {
        const FsimPossibleFlow *flow =
            &g_array_index (fsim_possible_flows (pp), FsimPossibleFlow, i);
        if (!flow->channels)
            continue;
        text_pair_head (s, flow, out);
        g_string_append (out, "\n");
        for (guint j = 0; j < flow->blockers->len; j++) {
            g_string_append (out, "    - ");
            text_blocker (s, flow, g_array_index (flow->blockers, guint32, j), out);
            g_string_append_c (out, '\n');
        }
        if (!flow->complete)
            g_string_append (out, "    (too many restrictions matter to list them all)\n");
    }
    g_string_append (out, "\nNot possible on this date\n");
    size_t none = 0;
    for (guint i = 0; i < fsim_possible_flows (pp)->len; i++) {
        const FsimPossibleFlow *flow =
            &g_array_index (fsim_possible_flows (pp), FsimPossibleFlow, i);
        if (flow->channels)
            continue;
        none++;
        text_pair_head (s, flow, out);
        g_string_append (out, ": ");
        text_impossible (pp, flow, out);
        g_string_append_c (out, '\n');
    }
    if (none == 0)
        g_string_append (out, "  (none)\n");
}

/* ---- JSON ------------------------------------------------------------------------------- */

static void
json_routes (const FsimPossible *pp, const FsimPossibleFlow *flow, FsimJsonWriter *w)
{
    const FsimScenario *s = fsim_possible_scenario (pp);
    fsim_jw_key (w, "routes");
    fsim_jw_open (w, '[');
    for (guint i = 0; i < flow->n_routes; i++) {
        const FsimPossibleRoute *r = &flow->routes[i];
        gboolean down = r->partner != flow->partner;
        fsim_jw_item (w);
        fsim_jw_open (w, '{');
        fsim_jw_str (w, "channel",
                     fsim_channel_to_string (down ? FSIM_CHANNEL_DOWNSTREAM : r->channel));
        fsim_jw_str (w, "via", s->partners[r->partner].id);
        fsim_jw_str (w, "via_channel", fsim_channel_to_string (r->channel));
        fsim_jw_str (w, "api", s->apis[r->api].id);
        fsim_jw_str (w, "scope", s->apis[r->api].scopes[r->scope].id);
        fsim_i_jw_rule (w, "rule", s, r->rule);
        fsim_jw_close (w, '}');
    }
    fsim_jw_close (w, ']');
}

static void
json_blockers (const FsimPossible *pp, const FsimPossibleFlow *flow, FsimJsonWriter *w)
{
    fsim_jw_key (w, "blocked_when");
    fsim_jw_open (w, '[');
    for (guint j = 0; j < flow->blockers->len; j++) {
        guint32 x = g_array_index (flow->blockers, guint32, j);
        fsim_jw_item (w);
        fsim_jw_open (w, '[');
        for (guint i = 0; i < flow->situations->len; i++) {
            const FsimSituation *sit = &g_array_index (flow->situations, FsimSituation, i);
            if (!(x & (1u << i)))
                continue;
            fsim_jw_item (w);
            fsim_jw_open (w, '{');
            fsim_jw_str (w, "situation", fsim_situation_kind_to_string (sit->kind));
            if (sit->kind <= FSIM_SITUATION_NO_FRIEND_OF_FRIEND_USES)
                fsim_jw_str (w, "partner", fsim_possible_scenario (pp)->partners[sit->partner].id);
            fsim_jw_close (w, '}');
        }
        fsim_jw_close (w, ']');
    }
    fsim_jw_close (w, ']');
    fsim_jw_bool (w, "complete", flow->complete);
}

static void
json_row (const FsimPossible *pp, const FsimPossibleFlow *flow, const FsimDestination *dest,
          FsimJsonWriter *w)
{
    const FsimScenario *s = fsim_possible_scenario (pp);
    fsim_jw_item (w);
    fsim_jw_open (w, '{');
    fsim_jw_str (w, "field", s->fields[flow->field].id);
    fsim_jw_str (w, "partner", s->partners[flow->partner].id);
    fsim_jw_str (w, "destination", dest->id);
    fsim_jw_str (w, "location", dest->on_device ? "device" : "server");
    fsim_jw_str (w, "jurisdiction", fsim_i_dest_jurisdiction (dest));
    fsim_jw_bool (w, "possible", flow->channels != 0);
    fsim_jw_key (w, "channels");
    fsim_jw_open (w, '[');
    for (int c = 0; c < FSIM_N_CHANNELS; c++)
        if (flow->channels & FSIM_CHANNEL_BIT (c))
            fsim_jw_elem (w, fsim_channel_to_string ((FsimChannel) c));
    fsim_jw_close (w, ']');
    json_routes (pp, flow, w);
    json_blockers (pp, flow, w);
    fsim_jw_close (w, '}');
}

void
fsim_possible_render_json (const FsimPossible *pp, GString *out)
{
    const FsimScenario *s = fsim_possible_scenario (pp);
    g_autofree char *day = fsim_day_format (fsim_possible_day (pp));
    FsimJsonWriter w = { .out = out };
    fsim_jw_open (&w, '{');
    fsim_jw_str (&w, "flowsim", FSIM_VERSION);
    fsim_jw_str (&w, "scenario", s->id);
    fsim_jw_str (&w, "date", day);
    fsim_claims_report_json (&w, s);
    fsim_jw_key (&w, "flows");
    fsim_jw_open (&w, '[');
    for (guint i = 0; i < fsim_possible_flows (pp)->len; i++) {
        const FsimPossibleFlow *flow =
            &g_array_index (fsim_possible_flows (pp), FsimPossibleFlow, i);
        const FsimPartner *p = &s->partners[flow->partner];
        for (size_t d = 0; d < p->n_destinations; d++)
            if (fsim_bits_get (p->destinations[d].fields, flow->field))
                json_row (pp, flow, &p->destinations[d], &w);
    }
    fsim_jw_close (&w, ']');
    fsim_jw_close (&w, '}');
    g_string_append_c (out, '\n');
}

/* ---- the room the text takes (room.h) ---------------------------------------------------- */

/* A route's JSON object besides its five strings and its rule (at most 269 bytes with both
 * channels "friend_of_friend", measured) or its sentence. */
#define ROOM_ROUTE 184

/* What a pair says besides its rows: its routes (JSON only) and its blocking situations (JSON
 * repeats them in each row, text says them once), or why it is impossible. */
static guint64
room_pair (const FsimScenario *s, const FsimPossibleFlow *flow, guint64 rule, gboolean routes)
{
    guint64 bytes = 128;
    for (guint i = 0; routes && i < flow->n_routes; i++) {
        const FsimPossibleRoute *r = &flow->routes[i];
        bytes += ROOM_ROUTE + rule + fsim_room_json (s->partners[r->partner].id) +
                 fsim_room_json (s->apis[r->api].id) +
                 fsim_room_json (s->apis[r->api].scopes[r->scope].id);
    }
    for (guint j = 0; j < flow->blockers->len; j++) {
        guint32 x = g_array_index (flow->blockers, guint32, j);
        bytes += 32;
        for (guint i = 0; i < flow->situations->len; i++)
            if (x & (1u << i))
                bytes += 96 +
                         fsim_room_json (
                             s->partners[g_array_index (flow->situations, FsimSituation, i).partner]
                                 .id) +
                         fsim_room_json (s->fields[flow->field].id);
    }
    /* "no allowed route (API/SCOPE: VERDICT, ... 4 of them) and N more" */
    const FsimPartner *p = &s->partners[flow->partner];
    guint64 longest = 0;
    for (size_t k = 0; k < p->n_apis; k++) {
        const FsimApi *api = &s->apis[p->apis[k]];
        for (size_t sc = 0; sc < api->n_scopes; sc++)
            longest = MAX (longest, fsim_room_json (api->id) + fsim_room_json (api->scopes[sc].id));
    }
    return bytes + 4 * (longest + 32) + 256;
}

guint64
fsim_possible_room (const FsimPossible *pp, gboolean json_format)
{
    g_return_val_if_fail (pp != NULL, 0);
    const FsimScenario *s = fsim_possible_scenario (pp);
    const GArray *flows = fsim_possible_flows (pp);
    guint64 rule = fsim_i_room_rule (s), bytes = 8192;
    g_autoptr (GString) claims = g_string_new (NULL);
    FsimJsonWriter w = { .out = claims, .depth = 1, .first = { TRUE, TRUE } };
    fsim_claims_report_json (&w, s);
    fsim_claims_report_header_line (s, claims);
    bytes += claims->len;
    /* JSON repeats a pair's routes and situations in each of its rows; text says them once,
     * after a table whose cells are padded to the widest of their column */
    guint64 json = 0, text = 0;
    FsimRoomTable table = { 0 };
    for (guint i = 0; i < flows->len; i++) {
        const FsimPossibleFlow *flow = &g_array_index (flows, FsimPossibleFlow, i);
        const FsimPartner *p = &s->partners[flow->partner];
        const char *field = s->fields[flow->field].id;
        guint64 pair = room_pair (s, flow, rule, json_format),
                head = 448 + fsim_room_json (field) + fsim_room_json (p->id);
        text += pair + head;
        for (size_t d = 0; d < p->n_destinations; d++) {
            const FsimDestination *dest = &p->destinations[d];
            if (!fsim_bits_get (dest->fields, flow->field))
                continue;
            json += pair + head + fsim_room_json (dest->id) +
                    fsim_room_json (fsim_i_dest_jurisdiction (dest));
            const char *row[] = { field,    p->id,
                                  dest->id, fsim_i_dest_jurisdiction (dest),
                                  "no",     "self, friend, friend_of_friend, downstream" };
            fsim_room_table_row (&table, row, G_N_ELEMENTS (row));
        }
    }
    return bytes + (json_format ? json : text + fsim_room_table_bytes (&table));
}
