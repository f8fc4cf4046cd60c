/* SPDX-License-Identifier: MIT */
/* render-private.h: small helpers shared by the renderers of the analyses. */
#pragma once

#include "json-writer.h"
#include "scenario.h"

/* {"id": ID, "effect": "allow"|"deny", "at": "FILE:LINE:COL"} under @key, or null when
 * @rule < 0. */
void fsim_i_jw_rule (FsimJsonWriter *w, const char *key, const FsimScenario *s, gssize rule);
/* The most bytes fsim_i_jw_rule() (or a sentence naming a rule and where it is) takes for any
 * rule of @s (room.h). Can't fail. */
guint64 fsim_i_room_rule (const FsimScenario *s);
