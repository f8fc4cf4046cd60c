/* SPDX-License-Identifier: MIT */
/* report.h: renders a run as text, JSON or CSV. */
#pragma once

#include <glib.h>

#include "engine.h"

typedef enum {
    FSIM_REPORT_TEXT,
    FSIM_REPORT_JSON,
    FSIM_REPORT_CSV,
    _FSIM_REPORT_MAX
} FsimReportFormat;

gboolean fsim_report_format_from_string (const char *s, FsimReportFormat *out);

/* Appends the report to @out. Can't fail. Deterministic. */
void fsim_report_render (const FsimScenario *scenario, const FsimPopulation *pop,
                         const FsimResult *result, FsimReportFormat format, GString *out);
