/* SPDX-License-Identifier: MIT */
/* render-private.h: small helpers shared by the renderers of the analyses. */
#pragma once

#include "json-writer.h"
#include "scenario.h"

/* {"id": ID, "effect": "allow"|"deny", "at": "FILE:LINE:COL"} under @key, or null when
 * @rule < 0. */
void fsim_i_jw_rule (FsimJsonWriter *w, const char *key, const FsimScenario *s, gssize rule);
