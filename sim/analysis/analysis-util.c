/* SPDX-License-Identifier: MIT */
/* analysis-util.c: small helpers shared by the analysis commands (explain, diff, check, ...). */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "analysis-private.h"
#include "text.h"

/* clang-format off */
G_DEFINE_QUARK (fsim-analysis-error-quark, fsim_analysis_error)
/* clang-format on */

gboolean
fsim_i_check_pairs (const FsimScenario *s, const FsimWord *fields, const FsimWord *partners,
                    const char *command, GError **error)
{
    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
    size_t n_fields = fields ? fsim_bits_count (fields, s->field_words) : s->n_fields;
    size_t n_partners = partners ? fsim_bits_count (partners, s->partner_words) : s->n_partners;
    guint64 pairs = (guint64) n_fields * n_partners;
    if (pairs <= FSIM_ANALYSIS_MAX_PAIRS)
        return TRUE;
    g_set_error (error, FSIM_ANALYSIS_ERROR, FSIM_ANALYSIS_ERROR_TOO_MANY_PAIRS,
                 "%zu fields times %zu partners make %" G_GUINT64_FORMAT " (field, partner) "
                 "pairs, more than the %u that %s analyses at a time: choose some with --field "
                 "or --partner",
                 n_fields, n_partners, pairs, FSIM_ANALYSIS_MAX_PAIRS, command);
    return FALSE;
}

char *
fsim_i_loc_string (FsimLoc loc)
{
    if (!loc.file || !*loc.file)
        return g_strdup ("");
    return g_strdup_printf ("%s:%d:%d", loc.file, loc.line, loc.col);
}

const char *
fsim_i_dest_jurisdiction (const FsimDestination *d)
{
    if (d->on_device)
        return "device";
    return d->jurisdiction ? d->jurisdiction : "unknown";
}

char *
fsim_i_dest_where (const FsimDestination *d)
{
    if (d->on_device)
        return g_strdup ("on device");
    g_autofree char *j = fsim_text_clean (fsim_i_dest_jurisdiction (d));
    return g_strdup_printf ("server, %s", j);
}

void
fsim_i_append_clean (GString *out, const char *s)
{
    g_autofree char *clean = fsim_text_clean (s);
    g_string_append (out, clean);
}

void
fsim_i_append_partner (GString *out, const FsimPartner *p)
{
    fsim_i_append_clean (out, p->id);
    if (p->name && strcmp (p->name, p->id) != 0) {
        g_autofree char *name =
            fsim_text_truncate (fsim_text_clean (p->name), FSIM_LABEL_MAX_WIDTH);
        g_string_append_printf (out, " (%s)", name);
    }
}

void
fsim_i_append_rule (GString *out, const FsimScenario *s, size_t rule)
{
    g_autofree char *at = fsim_i_loc_string (s->rules[rule].loc);
    g_string_append (out, "rule ");
    fsim_i_append_clean (out, s->rules[rule].id);
    if (*at) {
        g_string_append (out, " (");
        fsim_i_append_clean (out, at);
        g_string_append_c (out, ')');
    }
}
