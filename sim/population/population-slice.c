/* SPDX-License-Identifier: MIT */
/* population-slice.c: one MPI rank's share of a population (population-slice.h). */
#include "config.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "import.h"
#include "population-private.h"
#include "population-slice.h"
#include "population-snapshot-private.h"

size_t
fsim_population_slice_first (size_t n_total, size_t n_parts, size_t part)
{
    g_return_val_if_fail (n_parts > 0 && part <= n_parts, 0);
    /* n_total < 2^32 and n_parts < 2^31: the product fits */
    return (size_t) ((guint64) n_total * part / n_parts);
}

void
fsim_population_slice_free (FsimPopulationSlice *s)
{
    if (s == NULL)
        return;
    g_free (s->offsets);
    g_free (s->adj);
    g_free (s->platform);
    g_free (s->apps_others);
    g_free (s->audience);
    g_free (s->uses);
    g_free (s->file_ids);
    g_strfreev (s->names);
    g_free (s->group_offsets);
    g_free (s->spec);
    g_free (s);
}

/* A copy of @n rows of @size bytes from row @first of @src, never NULL on success. */
static gpointer
copy_rows (const void *src, size_t first, size_t n, size_t size)
{
    size_t bytes = n * size;
    void *dst = g_try_malloc (bytes != 0 ? bytes : 1);

    if (dst != NULL && bytes != 0)
        memcpy (dst, (const char *) src + first * size, bytes);
    return dst;
}

/* A tried copy of @text, or NULL (a name's length is the input's). */
static char *
try_strdup (const char *text)
{
    size_t len = strlen (text) + 1;
    char *copy = g_try_malloc (len);

    return copy ? memcpy (copy, text, len) : NULL;
}

/* @s's users' names and the communities, copied from @pop when it has them. FALSE when out of
 * memory. */
static gboolean
copy_names (FsimPopulationSlice *s, const FsimPopulation *pop)
{
    char *const *names = pop->user_ids ? pop->user_ids : pop->file_names;
    const FsimFriends *fr = pop->friends;

    if (fr != NULL && fr->n_groups > 0 && fr->group_offsets != NULL &&
        (s->group_offsets = copy_rows (fr->group_offsets, 0, fr->n_groups + 1, sizeof (size_t))) ==
            NULL)
        return FALSE;
    if (pop->file_ids != NULL &&
        (s->file_ids = copy_rows (pop->file_ids, s->first, s->n_own, sizeof (int64_t))) == NULL)
        return FALSE;
    if (names == NULL)
        return TRUE;
    s->names_are_user_ids = pop->user_ids != NULL;
    s->names = g_try_new0 (char *, s->n_own + 1);
    for (size_t i = 0; s->names != NULL && i < s->n_own; i++)
        if ((s->names[i] = try_strdup (names[s->first + i])) == NULL)
            return FALSE; /* the names so far, NULL-ended, are freed with @s */
    return s->names != NULL;
}

/**
 * fsim_population_slice_new:
 * See population-slice.h.
 */
FsimPopulationSlice *
fsim_population_slice_new (const FsimPopulation *pop, size_t first, size_t n, GError **error)
{
    g_return_val_if_fail (pop != NULL && first <= pop->n_users && n <= pop->n_users - first, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);
    g_autoptr (FsimPopulationSlice) s = g_new0 (FsimPopulationSlice, 1);
    const FsimFriends *fr = pop->friends;
    size_t base = fr ? fr->offsets[first] : 0;
    size_t arcs = fr ? fr->offsets[first + n] - base : 0;

    *s = (FsimPopulationSlice){ .n_total = pop->n_users,
                                .first = first,
                                .n_own = n,
                                .n_groups = fr ? fr->n_groups : 0,
                                .n_fields = pop->n_fields,
                                .field_words = pop->field_words,
                                .n_partners = pop->n_partners,
                                .partner_words = pop->partner_words };
    s->offsets = g_try_new (size_t, n + 1);
    s->adj = copy_rows (fr ? fr->adj : NULL, base, arcs, sizeof (uint32_t));
    s->platform = copy_rows (pop->platform, first, n, 1);
    s->apps_others = copy_rows (pop->apps_others, first, n, pop->field_words * sizeof (FsimWord));
    s->audience = copy_rows (pop->audience, first, n, pop->n_fields);
    s->uses = copy_rows (pop->uses, first, n, pop->partner_words * sizeof (FsimWord));
    gboolean names_ok = copy_names (s, pop);
    if (!s->offsets || !s->adj || !s->platform || !s->apps_others || !s->audience || !s->uses ||
        !names_ok) {
        g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_NOMEM,
                     "out of memory for users %zu .. %zu of %zu", first, first + n, pop->n_users);
        return NULL;
    }
    for (size_t i = 0; i <= n; i++)
        s->offsets[i] = fr ? fr->offsets[first + i] - base : 0;
    return g_steal_pointer (&s);
}

/**
 * fsim_population_slice_can_build:
 * See population-slice.h.
 */
gboolean
fsim_population_slice_can_build (const FsimScenario *scenario)
{
    const FsimPopulationSpec *ps = &scenario->population;

    g_return_val_if_fail (scenario != NULL, FALSE);
    if (ps->snapshot != NULL || ps->kind != FSIM_POPULATION_GENERATED || ps->generator == NULL ||
        !fsim_friends_generate_part_supported (ps->generator))
        return FALSE;
    /* clustered adoption visits facebook_like's communities (which it has only with
     * friendships: without them it is built whole), else friendship clusters grown over the
     * ranks (fsim_i_population_adopt_clustered_part()) */
    return ps->adoption_model != FSIM_ADOPTION_CLUSTERED ||
           strcmp (ps->generator, "facebook_like") != 0 ||
           (ps->gen_users >= 2 && ps->mean_degree > 0);
}

/* The per-user arrays of @s and its settings and partner use, drawn as the whole population's
 * are (population-draw.c). */
static gboolean
draw_slice (const FsimScenario *scenario, FsimPopulationSlice *s, GError **error)
{
    FsimPopulation view = { .n_users = s->n_own,
                            .n_fields = s->n_fields,
                            .field_words = s->field_words,
                            .n_partners = s->n_partners,
                            .partner_words = s->partner_words };

    if (!fsim_i_population_alloc (scenario, &view, error))
        return FALSE;
    fsim_i_population_draw_rows (scenario, &view, s->first);
    s->platform = view.platform;
    s->apps_others = view.apps_others;
    s->audience = view.audience;
    s->uses = view.uses;
    return TRUE;
}

/*
 * With clustered adoption over friendship clusters (a population without communities), the
 * ranks grow them together (fsim_i_population_adopt_clustered_part()): collective, so every rank
 * first learns whether all have drawn their rows (@ok: this one has; else @error is set and
 * @s may be NULL). Without clustered adoption, @ok alone. FALSE with @error set on failure.
 */
static gboolean
adopt_part (const FsimScenario *scenario, const FsimComm *comm, FsimPopulationSlice *s, gboolean ok,
            GError **error)
{
    if (scenario->population.adoption_model != FSIM_ADOPTION_CLUSTERED)
        return ok;
    if (!comm->all_ok (comm, ok)) {
        if (ok)
            g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_OTHER_RANK,
                         "another rank could not build its users");
        return FALSE;
    }
    return fsim_i_population_adopt_clustered_part (scenario, comm, s->n_total, s->first, s->n_own,
                                                   s->offsets, s->adj, s->uses, error);
}

/**
 * fsim_population_slice_build:
 * See population-slice.h.
 */
FsimPopulationSlice *
fsim_population_slice_build (const FsimScenario *scenario, const FsimComm *comm, size_t first,
                             size_t n, GError **error)
{
    g_return_val_if_fail (scenario != NULL && comm != NULL, NULL);
    g_return_val_if_fail (fsim_population_slice_can_build (scenario), NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);
    const FsimPopulationSpec *ps = &scenario->population;
    g_autoptr (FsimPopulationSlice) s = g_new0 (FsimPopulationSlice, 1);
    g_autoptr (FsimFriends) rows = NULL;
    FsimGenParams params;

    g_return_val_if_fail (first <= ps->gen_users && n <= ps->gen_users - first, NULL);
    /* this rank's share of the size check; every rank must pass it before the generator's
     * collectives, or all stop */
    gboolean fits = fsim_i_population_check_part (scenario, n, ps->gen_users,
                                                  (double) n * ps->mean_degree, error);
    if (!comm->all_ok (comm, fits)) {
        if (fits)
            g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_OTHER_RANK,
                         "another rank's part of the population does not fit");
        return NULL;
    }
    fsim_i_population_gen_params (scenario, &params);
    rows = fsim_friends_generate_part (&params, comm, first, n, error);
    if (rows == NULL) {
        g_autofree char *where = fsim_i_population_where (scenario);
        g_prefix_error (error, "%sgenerating friendships: ", where);
        return NULL;
    }
    *s = (FsimPopulationSlice){ .n_total = ps->gen_users,
                                .first = first,
                                .n_own = n,
                                .n_groups = rows->n_groups,
                                .n_fields = scenario->n_fields,
                                .field_words = scenario->field_words,
                                .n_partners = scenario->n_partners,
                                .partner_words = scenario->partner_words };
    s->offsets = g_steal_pointer (&rows->offsets);
    s->adj = g_steal_pointer (&rows->adj);
    gboolean ok = draw_slice (scenario, s, error);
    if (strcmp (ps->generator, "facebook_like") != 0) /* no communities: friendship clusters */
        return adopt_part (scenario, comm, s, ok, error) ? g_steal_pointer (&s) : NULL;
    if (!ok)
        return NULL;
    if (ps->adoption_model == FSIM_ADOPTION_CLUSTERED &&
        !fsim_i_population_adopt_clustered_rows (scenario, rows->group_offsets, rows->n_groups,
                                                 s->n_total, first, n, s->uses, error))
        return NULL;
    /* the communities (8 bytes each), for a snapshot written by parts */
    if (rows->n_groups > 0)
        s->group_offsets = g_steal_pointer (&rows->group_offsets);
    return g_steal_pointer (&s);
}

/**
 * fsim_population_slice_can_load:
 * See population-slice.h.
 */
gboolean
fsim_population_slice_can_load (const FsimScenario *scenario)
{
    g_return_val_if_fail (scenario != NULL, FALSE);
    return scenario->population.snapshot != NULL;
}

/* Copies @bytes from @src into a new block (never NULL on success) and lets the mapping drop
 * the pages it read them from (the file stays in the page cache; only advice). */
static gpointer
take (const char *src, size_t bytes)
{
    void *dst = g_try_malloc (bytes != 0 ? bytes : 1);
    uintptr_t page = (uintptr_t) sysconf (_SC_PAGESIZE);
    uintptr_t a = (uintptr_t) src / page * page, b = ((uintptr_t) src + bytes) / page * page;

    if (dst != NULL && bytes != 0)
        memcpy (dst, src, bytes);
    if (b > a)
        (void) madvise ((void *) a, b - a, MADV_DONTNEED);
    return dst;
}

/* The names of @s's users in the checked snapshot @f (@h its header), if it holds any: the
 * rows of its file ids, or its rows of explicit users' or GraphML node ids (strings, checked to
 * be n_users: the rank's first is found by their ends); and the communities and the population
 * text, for a snapshot of this one written by parts. FALSE when out of memory. */
static gboolean
take_names (FsimPopulationSlice *s, const char *f, const FsimSnapshotHeader *h)
{
    const FsimSnapshotSection *sec = fsim_i_snapshot_section (h, FSIM_SNAPSHOT_FILE_IDS);

    if (sec != NULL) {
        s->file_ids =
            take (f + sec->offset + s->first * sizeof (int64_t), s->n_own * sizeof (int64_t));
        if (s->file_ids == NULL)
            return FALSE;
    }
    if ((sec = fsim_i_snapshot_section (h, FSIM_SNAPSHOT_GROUPS)) != NULL &&
        (s->group_offsets = take (f + sec->offset, sec->bytes)) == NULL)
        return FALSE;
    if ((sec = fsim_i_snapshot_section (h, FSIM_SNAPSHOT_SPEC))->count > 0 &&
        (s->spec = take (f + sec->offset, sec->bytes)) == NULL)
        return FALSE;
    s->names_are_user_ids = fsim_i_snapshot_section (h, FSIM_SNAPSHOT_USER_IDS) != NULL;
    if ((sec = fsim_i_snapshot_section (h, FSIM_SNAPSHOT_USER_IDS)) == NULL &&
        (sec = fsim_i_snapshot_section (h, FSIM_SNAPSHOT_FILE_NAMES)) == NULL)
        return TRUE;
    const char *p = f + sec->offset, *end = p + sec->bytes;
    for (size_t i = 0; i < s->first; i++)
        p = (const char *) memchr (p, '\0', (size_t) (end - p)) + 1;
    s->names = g_try_new0 (char *, s->n_own + 1);
    for (size_t i = 0; s->names != NULL && i < s->n_own; i++, p += strlen (p) + 1)
        if ((s->names[i] = try_strdup (p)) == NULL)
            return FALSE; /* the names so far, NULL-ended, are freed with @s */
    return s->names != NULL;
}

/* Users @first .. @last - 1 of the checked snapshot @m, copied into @s. */
static gboolean
take_rows (FsimPopulationSlice *s, GMappedFile *m, const FsimSnapshotHeader *h, GError **error)
{
    const char *f = g_mapped_file_get_contents (m);
    const guint64 *off =
        (const guint64 *) (f + fsim_i_snapshot_section (h, FSIM_SNAPSHOT_OFFSETS)->offset);
    size_t first = s->first, n = s->n_own;
    size_t base = off[first], arcs = off[first + n] - base;
    size_t fw = s->field_words * sizeof (FsimWord), pw = s->partner_words * sizeof (FsimWord);

#define ROWS(kind, size) (f + fsim_i_snapshot_section (h, kind)->offset + first * (size))
    s->offsets = g_try_new (size_t, n + 1);
    if (s->offsets != NULL)
        for (size_t i = 0; i <= n; i++)
            s->offsets[i] = off[first + i] - base;
    s->adj =
        take (f + fsim_i_snapshot_section (h, FSIM_SNAPSHOT_ADJ)->offset + base * sizeof (uint32_t),
              arcs * sizeof (uint32_t));
    s->platform = take (ROWS (FSIM_SNAPSHOT_PLATFORM, 1), n);
    s->apps_others = take (ROWS (FSIM_SNAPSHOT_APPS_OTHERS, fw), n * fw);
    s->audience = take (ROWS (FSIM_SNAPSHOT_AUDIENCE, s->n_fields), n * s->n_fields);
    s->uses = take (ROWS (FSIM_SNAPSHOT_USES, pw), n * pw);
#undef ROWS
    if (!s->offsets || !s->adj || !s->platform || !s->apps_others || !s->audience || !s->uses ||
        !take_names (s, f, h)) {
        g_set_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_NOMEM,
                     "out of memory for users %zu .. %zu of %zu of the snapshot", first, first + n,
                     s->n_total);
        return FALSE;
    }
    return TRUE;
}

/* FALSE on every rank if @ok is FALSE on any: this rank's error, or that another failed. */
static gboolean
all_ok (const FsimComm *comm, gboolean ok, GError **error)
{
    return fsim_comm_agree (comm, ok, "could not read the snapshot", error);
}

/**
 * fsim_population_slice_load:
 * See population-slice.h.
 */
FsimPopulationSlice *
fsim_population_slice_load (const FsimScenario *scenario, const FsimComm *comm, unsigned n_threads,
                            GError **error)
{
    g_return_val_if_fail (scenario != NULL && comm != NULL, NULL);
    g_return_val_if_fail (fsim_population_slice_can_load (scenario), NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);
    const char *path = scenario->population.snapshot;
    g_autofree char *display = fsim_i_population_display_path (path);
    g_autoptr (GMappedFile) m = NULL;
    FsimSnapshotHeader h;

    /* what fails here fails alike on every rank (the same file), or on this one alone */
    gboolean ok = fsim_i_snapshot_host_supported (error) &&
                  (m = fsim_i_snapshot_map (path, display, NULL, error)) != NULL &&
                  fsim_i_snapshot_parse (display, m, &h, error);
    fsim_i_population_locate_snapshot (&scenario->population, ok, error);
    if (!all_ok (comm, ok, error))
        return NULL;
    size_t first =
        fsim_population_slice_first (h.n_users, (size_t) comm->size, (size_t) comm->rank);
    size_t last =
        fsim_population_slice_first (h.n_users, (size_t) comm->size, (size_t) comm->rank + 1);
    const char *f = g_mapped_file_get_contents (m);
    ok = fsim_i_snapshot_check_part (display, f, &h, comm, first, last, n_threads, error) &&
         fsim_i_snapshot_matches (scenario, display, m, &h, error);
    fsim_i_population_locate_snapshot (&scenario->population, ok, error);
    if (!all_ok (comm, ok, error))
        return NULL;
    /* the part was read once to be checked: the copies below read it again */
    (void) madvise ((void *) f, g_mapped_file_get_length (m), MADV_DONTNEED);
    g_autoptr (FsimPopulationSlice) s = g_new0 (FsimPopulationSlice, 1);
    *s = (FsimPopulationSlice){ .n_total = h.n_users,
                                .first = first,
                                .n_own = last - first,
                                .n_groups = h.n_groups,
                                .n_fields = scenario->n_fields,
                                .field_words = scenario->field_words,
                                .n_partners = scenario->n_partners,
                                .partner_words = scenario->partner_words };
    return take_rows (s, m, &h, error) ? g_steal_pointer (&s) : NULL;
}

/**
 * fsim_population_slice_can_import:
 * See population-slice.h.
 */
gboolean
fsim_population_slice_can_import (const FsimScenario *scenario)
{
    g_return_val_if_fail (scenario != NULL, FALSE);
    const FsimPopulationSpec *ps = &scenario->population;
    FsimImportFormat format = FSIM_IMPORT_AUTO;

    if (ps->snapshot != NULL || ps->kind != FSIM_POPULATION_IMPORTED || ps->import_file == NULL ||
        ps->n_import_attributes > 0)
        return FALSE;
    if (ps->import_format != NULL && !fsim_import_format_from_string (ps->import_format, &format))
        return FALSE;
    if (format == FSIM_IMPORT_AUTO)
        format = fsim_import_format_of_path (ps->import_file);
    return format == FSIM_IMPORT_EDGE_LIST;
}

/**
 * fsim_population_slice_import:
 * See population-slice.h. The errors are prefixed as fsim_i_population_import() prefixes them.
 */
FsimPopulationSlice *
fsim_population_slice_import (const FsimScenario *scenario, const FsimComm *comm, GError **error)
{
    g_return_val_if_fail (scenario != NULL && comm != NULL, NULL);
    g_return_val_if_fail (fsim_population_slice_can_import (scenario), NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);
    const FsimPopulationSpec *ps = &scenario->population;
    g_autoptr (FsimImportedPart) part = fsim_import_edge_list_part (ps->import_file, comm, error);
    g_autoptr (FsimPopulationSlice) s = NULL;

    if (part == NULL) {
        g_prefix_error (error, "importing friendships: ");
        fsim_i_population_locate_import (ps, error);
        return NULL;
    }
    /* this rank's part of the population, as a population generated by parts is checked (with
     * one rank: the whole, as one process checks it) */
    gboolean ok =
        fsim_i_population_check_part (scenario, part->rows->n_users, part->n_users,
                                      (double) part->rows->offsets[part->rows->n_users], error);
    if (!ok) { /* the others may be waiting to grow the clusters: they learn it */
        (void) adopt_part (scenario, comm, NULL, FALSE, error);
        return NULL;
    }
    s = g_new0 (FsimPopulationSlice, 1);
    *s = (FsimPopulationSlice){ .n_total = part->n_users,
                                .first = part->first,
                                .n_own = part->rows->n_users,
                                .n_fields = scenario->n_fields,
                                .field_words = scenario->field_words,
                                .n_partners = scenario->n_partners,
                                .partner_words = scenario->partner_words };
    s->offsets = g_steal_pointer (&part->rows->offsets);
    s->adj = g_steal_pointer (&part->rows->adj);
    s->file_ids = g_steal_pointer (&part->ids);
    ok = draw_slice (scenario, s, error);
    return adopt_part (scenario, comm, s, ok, error) ? g_steal_pointer (&s) : NULL;
}
