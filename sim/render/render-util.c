/* SPDX-License-Identifier: MIT */
/* render-util.c: small helpers shared by the renderers of the analyses. */
#include "config.h"

#include "analysis-private.h"
#include "render-private.h"
#include "room.h"

void
fsim_i_jw_rule (FsimJsonWriter *w, const char *key, const FsimScenario *s, gssize rule)
{
    if (rule < 0) {
        fsim_jw_null (w, key);
        return;
    }
    g_autofree char *at = fsim_i_loc_string (s->rules[rule].loc);
    fsim_jw_key (w, key);
    fsim_jw_open (w, '{');
    fsim_jw_str (w, "id", s->rules[rule].id);
    fsim_jw_str (w, "effect", s->rules[rule].allow ? "allow" : "deny");
    fsim_jw_str (w, "at", at);
    fsim_jw_close (w, '}');
}

guint64
fsim_i_room_rule (const FsimScenario *s)
{
    guint64 most = 16; /* null */
    for (size_t r = 0; r < s->n_rules; r++) {
        g_autofree char *at = fsim_i_loc_string (s->rules[r].loc);
        most = MAX (most, fsim_room_json (s->rules[r].id) + fsim_room_json (at) + 96);
    }
    return most;
}
