/* SPDX-License-Identifier: MIT */
/* random-scenario.h: small random scenario files (JSON text) for differential tests. */
#pragma once

#include <glib.h>

/**
 * fsim_random_scenario:
 * @seed: the same seed gives the same text
 * @generated: an erdos_renyi population (30 to 80 users) instead of 2 to 10 explicit users
 *
 * A valid scenario (docs/format.md) with 2 to 6 fields, 1 to 3 APIs, 2 to 8 partners, 1 to 6
 * rules, random windows, gates, requests, destinations and shares.
 * Returns: (transfer full): the JSON text.
 */
char *fsim_random_scenario (guint32 seed, gboolean generated);
