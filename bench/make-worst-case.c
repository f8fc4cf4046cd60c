/* SPDX-License-Identifier: MIT */
/* make-worst-case.c: prints a scenario at the documented limits (bench/limits.sh). */
#include <stdio.h>
#include <stdlib.h>

#include <glib.h>

#include "worst-case.h"

int
main (int argc, char **argv)
{
    FsimWorstCase w = FSIM_WORST_CASE_DEFAULTS;
    gint partners = w.partners, apis = w.apis, scopes = w.scopes_per_api, fields = w.fields,
         rules = w.rules, users = w.users, claims = (gint) w.claims,
         alternatives = (gint) w.alternatives;
    GOptionEntry entries[] = {
        { "partners", 0, 0, G_OPTION_ARG_INT, &partners, "Partners (4096)", "N" },
        { "apis", 0, 0, G_OPTION_ARG_INT, &apis, "APIs, each integrated by every partner (1)",
          "N" },
        { "scopes", 0, 0, G_OPTION_ARG_INT, &scopes, "Scopes per API (4096)", "N" },
        { "fields", 0, 0, G_OPTION_ARG_INT, &fields, "Fields (512)", "N" },
        { "rules", 0, 0, G_OPTION_ARG_INT, &rules, "Rules (128)", "N" },
        { "users", 0, 0, G_OPTION_ARG_INT, &users, "Generated users (1000)", "N" },
        { "claims", 0, 0, G_OPTION_ARG_INT, &claims,
          "Claims, each contesting a rule (0; their limit: 256)", "N" },
        { "alternatives", 0, 0, G_OPTION_ARG_INT, &alternatives,
          "Alternatives per claim (64, their limit)", "N" },
        { 0 }
    };
    g_autoptr (GOptionContext) ctx = g_option_context_new ("- a scenario at the limits");
    g_option_context_add_main_entries (ctx, entries, NULL);
    g_autoptr (GError) error = NULL;
    if (!g_option_context_parse (ctx, &argc, &argv, &error) || partners < 1 || apis < 1 ||
        scopes < 1 || fields < 1 || rules < 0 || users < 1 || claims < 0 || alternatives < 1) {
        fprintf (stderr, "make-worst-case: %s\n", error ? error->message : "counts must be >= 1");
        return 2;
    }
    w = (FsimWorstCase){ .partners = partners,
                         .apis = apis,
                         .scopes_per_api = scopes,
                         .fields = fields,
                         .rules = rules,
                         .users = users,
                         .claims = (guint) claims,
                         .alternatives = (guint) alternatives };
    g_autofree char *text = fsim_worst_case_json (&w);
    fputs (text, stdout);
    return fflush (stdout) == 0 ? 0 : 1;
}
