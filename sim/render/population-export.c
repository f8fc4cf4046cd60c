/* SPDX-License-Identifier: MIT */
/* population-export.c: writes a built population as an edge list and a table of users. */
#include "config.h"

#include <errno.h>
#include <stdio.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "bits.h"
#include "output.h"
#include "population-report.h"

static const char audience_digits[FSIM_N_AUDIENCES] = { '0', '1', '2', '3' };

typedef void (*WriteFunc) (const FsimScenario *s, const FsimPopulation *pop, FILE *fp);

/* Writes @path by the rules of output.h: a temporary file renamed into place, nothing left on
 * failure or interruption. */
static gboolean
write_file (const char *path, WriteFunc fn, const FsimScenario *s, const FsimPopulation *pop,
            GError **error)
{
    g_autoptr (FsimOutput) out = fsim_output_open (path, error);

    if (out == NULL)
        return FALSE;
    fn (s, pop, fsim_output_stream (out));
    return fsim_output_commit (out, error);
}

static void
write_friendships (const FsimScenario *s, const FsimPopulation *pop, FILE *fp)
{
    const FsimFriends *f = pop->friends;

    fprintf (fp, "# flowsim population of scenario '%s', seed %" G_GUINT64_FORMAT "\n",
             s->id ? s->id : "", s->seed);
    fprintf (fp, "# %zu users (0 .. %zu), %zu friendships, one per line: u v with u < v\n",
             pop->n_users, pop->n_users ? pop->n_users - 1 : 0, f ? f->n_edges : 0);
    for (size_t u = 0; f != NULL && u < f->n_users; u++)
        for (size_t i = f->offsets[u]; i < f->offsets[u + 1]; i++)
            if (f->adj[i] > u)
                fprintf (fp, "%zu %u\n", u, f->adj[i]);
}

static void
write_user (const FsimScenario *s, const FsimPopulation *pop, size_t u, GString *line)
{
    const FsimWord *ao = pop->apps_others + u * pop->field_words;
    const FsimWord *uses = pop->uses + u * pop->partner_words;
    gboolean first = TRUE;

    g_string_printf (line, "%zu\t%d\t", u, pop->platform[u] ? 1 : 0);
    for (size_t f = 0; f < pop->n_fields; f++)
        g_string_append_c (line, fsim_bits_get (ao, f) ? '1' : '0');
    g_string_append_c (line, '\t');
    for (size_t f = 0; f < pop->n_fields; f++)
        g_string_append_c (line, audience_digits[MIN (pop->audience[u * pop->n_fields + f], 3)]);
    g_string_append_c (line, '\t');
    for (size_t p = fsim_bits_next (uses, pop->partner_words, 0); p != SIZE_MAX;
         p = fsim_bits_next (uses, pop->partner_words, p + 1), first = FALSE)
        g_string_append_printf (line, "%s%s", first ? "" : ",", s->partners[p].id);
    g_string_append_c (line, '\n');
}

static void
write_users (const FsimScenario *s, const FsimPopulation *pop, FILE *fp)
{
    g_autoptr (GString) line = g_string_new (NULL);

    fprintf (fp, "# flowsim population of scenario '%s': one user per line\n", s->id ? s->id : "");
    fputs ("# audience digits: 0 only_me, 1 friends, 2 friends_of_friends, 3 public\n", fp);
    fputs ("# fields:", fp);
    for (size_t f = 0; f < pop->n_fields; f++)
        fprintf (fp, " %s", s->fields[f].id);
    fputs ("\nuser\tplatform\tapps_others\taudience\tuses\n", fp);
    for (size_t u = 0; u < pop->n_users; u++) {
        write_user (s, pop, u, line);
        fwrite (line->str, 1, line->len, fp);
    }
}

gboolean
fsim_population_export (const FsimScenario *s, const FsimPopulation *pop, const char *dir,
                        GError **error)
{
    g_autofree char *edges = g_build_filename (dir, "friendships.txt", NULL);
    g_autofree char *users = g_build_filename (dir, "users.tsv", NULL);

    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
    if (g_mkdir_with_parents (dir, 0777) != 0) {
        int saved = errno;
        g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                     "cannot create the folder '%s': %s", dir, g_strerror (saved));
        return FALSE;
    }
    return write_file (edges, write_friendships, s, pop, error) &&
           write_file (users, write_users, s, pop, error);
}
