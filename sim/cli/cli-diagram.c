/* SPDX-License-Identifier: MIT */
/* cli-diagram.c: the diagram's options, shared by `flowsim diagram` and `flowsim report`. */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib.h>

#include "cli-commands.h"
#include "cli-private.h"
#include "diagram.h"

void
fsim_i_cli_diagram_add (GOptionContext *context, FsimCliDiagram *o)
{
    const GOptionEntry entries[] = {
        { "top", 'n', 0, G_OPTION_ARG_FILENAME, &o->top,
          "Draw the N partners that reach most users one by one, named ones first, the others "
          "in groups (default 8; 0: all)",
          "N" },
        { "group-by", 0, 0, G_OPTION_ARG_STRING, &o->group_by,
          "Group the other partners by kind (the default), tag, jurisdiction (country) or none",
          "HOW" },
        { "partner", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->partners,
          "Only the partners this selects: an id, a glob, kind:K or tag:T (repeatable)", "SEL" },
        { "field", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->fields,
          "Only this field or these fields: an id, a group (profile) or a glob (repeatable)",
          "SEL" },
        { "jurisdiction", 0, 0, G_OPTION_ARG_STRING, &o->jurisdiction,
          "Only data kept there: an ISO country code, or device", "J" },
        { "aspect", 0, 0, G_OPTION_ARG_STRING, &o->aspect,
          "Stretch the drawing to this shape, W:H (16:9 for slides)", "W:H" },
        { 0 },
    };
    g_option_context_add_main_entries (context, entries, NULL);
}

FsimExit
fsim_i_cli_diagram_parse (const FsimCliDiagram *o, FsimDiagramOptions *d, GError **error)
{
    guint64 w = 0, h = 0;
    d->top = FSIM_DIAGRAM_DEFAULT_TOP;
    if (o->top && !fsim_i_diagram_parse_top (o->top, &d->top, error))
        return FSIM_EXIT_USAGE;
    if (o->group_by && !fsim_diagram_group_from_string (o->group_by, &d->group_by))
        return fsim_i_cli_usage_error (
            error, "--group-by '%s' is not kind, tag, jurisdiction or none", o->group_by);
    if (o->aspect) {
        g_auto (GStrv) parts = g_strsplit (o->aspect, ":", -1);
        if (g_strv_length (parts) != 2 ||
            !g_ascii_string_to_unsigned (parts[0], 10, 1, 100, &w, NULL) ||
            !g_ascii_string_to_unsigned (parts[1], 10, 1, 100, &h, NULL))
            return fsim_i_cli_usage_error (error,
                                           "--aspect '%s' is not W:H, two whole numbers from 1 "
                                           "to 100 (e.g. 16:9)",
                                           o->aspect);
        d->aspect = (double) h / (double) w;
    }
    d->partners = (const char *const *) o->partners;
    d->fields = (const char *const *) o->fields;
    d->jurisdiction = o->jurisdiction;
    return FSIM_EXIT_OK;
}

FsimExit
fsim_i_cli_diagram_check (const FsimCliDiagram *o, const FsimScenario *s, GError **error)
{
    for (char **sel = o->partners; sel && *sel; sel++) {
        FsimExit status = fsim_i_cli_check_partner (s, "--partner", *sel, NULL, error);
        if (status != FSIM_EXIT_OK)
            return status;
    }
    for (char **sel = o->fields; sel && *sel; sel++) {
        gboolean any = FALSE;
        for (size_t f = 0; f < s->n_fields && !any; f++)
            any = fsim_field_pattern_match (*sel, s->fields[f].id, NULL);
        if (!any)
            return fsim_i_cli_usage_error (error, "--field '%s' selects no field of the scenario",
                                           *sel);
    }
    if (o->jurisdiction)
        return fsim_i_cli_check_jurisdiction (s, o->jurisdiction, error);
    return FSIM_EXIT_OK;
}

void
fsim_i_cli_diagram_clear (FsimCliDiagram *o)
{
    g_clear_pointer (&o->top, g_free);
    g_clear_pointer (&o->group_by, g_free);
    g_clear_pointer (&o->jurisdiction, g_free);
    g_clear_pointer (&o->aspect, g_free);
    g_clear_pointer (&o->partners, g_strfreev);
    g_clear_pointer (&o->fields, g_strfreev);
}
