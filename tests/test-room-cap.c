/* SPDX-License-Identifier: MIT */
/*
 * test-room-cap.c: the room estimates of the claims, the sweep and the diagram (room.h) under a
 * capped address space (issue 11). The population statistics' room is not here: see the end of
 * this comment.
 *
 * Each case runs in a child (g_test_trap_subprocess): the model is loaded and run without a
 * cap, then the address space (RLIMIT_AS) is capped 1 MiB above what the child uses and the
 * output is made as the command line makes it: its estimate, then its room with a tried
 * allocation. The estimate of each model here is several MiB (strings of control characters,
 * counted at 6 bytes a byte; many partners; many rows), so the room cannot be had and the
 * error says so, for what (the message the command line prints, which then exits 4: see
 * `sim/cli/cmd-*.c`). The cap lifted, the same steps give the output, which must fit in the
 * room it made. Run as whole commands, these caps would fall on loading, not on the room (the
 * text is small next to the rest of each command's memory), so the cap is set in-process
 * between the two.
 *
 * The population statistics' room cannot be tested this way: at its largest (16,384 partners
 * with ids and kinds of 128 characters, about 11 MB) it is smaller than the memory the loader
 * has freed into glibc's heap by then (the parse tree of those partners), and glibc serves a
 * large block from a free chunk of the heap before it maps a new one, so no cap on the address
 * space makes that allocation fail; `/scale/stats-room` checks the estimate against the render
 * instead.
 */
#include "config.h"

#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <glib.h>

#include "claims-report.h"
#include "cli-sim.h"
#include "diagram.h"
#include "room.h"
#include "run-util.h"
#include "sweep-report.h"
#include "sweep.h"
#include "test-util.h"

#define CAP_SLACK (1 << 20)

/* @n control characters as JSON escapes: a string of @n bytes that every renderer escapes. */
static void
append_control (GString *s, guint n)
{
    for (guint i = 0; i < n; i++)
        g_string_append (s, "\\u0001");
}

/* An id of 120 characters starting with @prefix and @i (transfer full). */
static char *
id_text (const char *prefix, guint i)
{
    g_autofree char *head = g_strdup_printf ("%s%05u-", prefix, i);
    g_autofree char *pad = g_strnfill (120 - strlen (head), 'x');
    return g_strconcat (head, pad, NULL);
}

/* The same, quoted. */
static void
append_id (GString *s, const char *prefix, guint i)
{
    g_autofree char *id = id_text (prefix, i);
    g_string_append_printf (s, "\"%s\"", id);
}

/* A scenario of @n_partners partners (ids and kinds of 120 characters, names of @name_len
 * control characters), all used by the first of two users, and @n_claims claims of
 * @n_alternatives alternatives each (ids of 120 characters, questions and summaries of
 * @text_len control characters); written in @dir (transfer full: its path). */
static char *
wide_scenario (const char *dir, guint n_partners, guint name_len, guint n_claims,
               guint n_alternatives, guint text_len)
{
    GString *s = g_string_new ("{ \"scenario\": \"wide\", \"date\": \"2014-06-01\",\n"
                               "  \"fields\": [{ \"id\": \"f\" }],\n"
                               "  \"apis\": [{ \"id\": \"api\", \"scopes\": [{ \"id\": \"s\", "
                               "\"subject\": \"self\", \"fields\": [\"f\"] }] }],\n"
                               "  \"partners\": [\n");
    for (guint p = 0; p < n_partners; p++) {
        g_string_append (s, p ? ",\n    { \"id\": " : "    { \"id\": ");
        append_id (s, "p", p);
        g_string_append (s, ", \"kind\": ");
        append_id (s, "k", p);
        g_string_append (s, ", \"name\": \"");
        append_control (s, name_len);
        g_string_append (s,
                         "\", \"country\": \"FR\", \"integrates\": [\"api\"], \"requests\": "
                         "[\"*\"], \"destinations\": [{ \"id\": \"d\", \"location\": \"server\", "
                         "\"jurisdiction\": \"FR\", \"fields\": [\"*\"] }] }");
    }
    g_string_append (s, "\n  ],\n  \"rules\": [{ \"id\": \"r\", \"effect\": \"allow\", "
                        "\"partners\": [\"*\"] }],\n  \"claims\": [\n");
    for (guint c = 0; c < n_claims; c++) {
        g_string_append (s, c ? ",\n    { \"id\": " : "    { \"id\": ");
        append_id (s, "c", c);
        g_string_append (s, ", \"question\": \"");
        append_control (s, text_len);
        g_string_append (s, "\", \"default\": ");
        append_id (s, "a", 0);
        g_string_append (s, ", \"alternatives\": [");
        for (guint a = 0; a < n_alternatives; a++) {
            g_string_append (s, a ? ", { \"id\": " : "{ \"id\": ");
            append_id (s, "a", a);
            g_string_append (s, ", \"evidence\": \"assumed\", \"summary\": \"");
            append_control (s, text_len);
            g_string_append (s, "\" }");
        }
        g_string_append (s, "] }");
    }
    g_string_append (s, "\n  ],\n  \"population\": { \"users\": [{ \"id\": \"u1\", \"uses\": [");
    for (guint p = 0; p < n_partners; p++) {
        g_string_append (s, p ? ", " : "");
        append_id (s, "p", p);
    }
    g_string_append (s, "] }, { \"id\": \"u2\" }] }\n}\n");
    char *path = fsim_test_write (dir, "wide.json", s->str, (gssize) s->len);
    g_string_free (s, TRUE);
    return path;
}

static FsimSim *
load (const char *path)
{
    FsimExit status = FSIM_EXIT_OK;
    g_autoptr (GError) error = NULL;
    FsimSim *sim = fsim_i_cli_sim_new (path, NULL, &status, &error);
    g_assert_no_error (error);
    g_assert_nonnull (sim);
    return sim;
}

/* Under the cap: the estimate @room (computed by the caller under it) cannot be had for @what;
 * @out is left as it was. */
static void
assert_refused (GString *out, guint64 room, const char *what)
{
    g_autoptr (GError) error = NULL;
    gboolean ok = fsim_room_reserve (out, room, what, &error);
    fsim_test_address_space_uncap ();
    g_test_message ("%s: %" G_GUINT64_FORMAT " bytes", what, room);
    g_assert_false (ok);
    g_assert_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_NOMEM);
    /* the room and the text's terminating NUL */
    g_autofree char *want = g_strdup_printf (
        "out of memory: needed %" G_GUINT64_FORMAT " bytes for %s", room + 1, what);
    g_assert_cmpstr (error->message, ==, want);
    g_assert_cmpuint (out->len, ==, 0);
}

/* Uncapped: the same room is had and the render fits in it (never grows the text). */
static void
assert_fits (GString *out, guint64 room, const char *what)
{
    g_autoptr (GError) error = NULL;
    g_assert_true (fsim_room_reserve (out, room, what, &error));
    g_assert_no_error (error);
}

#define RENDERED_IN_ROOM(out, allocated)                                                           \
    do {                                                                                           \
        g_assert_cmpuint ((out)->allocated_len, ==, (allocated));                                  \
        g_assert_cmpuint ((out)->len, >, 0);                                                       \
    } while (0)

/* Runs the test's body in a child (its cap must not outlive it). */
static gboolean
in_child (void)
{
    if (!fsim_test_capped_child ())
        return FALSE;
#ifdef __GLIBC__
    /* A fixed threshold: every large block is its own mapping, given back when freed (glibc
     * raises it as large blocks are freed, and then keeps them in the heap, where a room could
     * be had under the cap from the loader's freed memory); and one arena: a thread's arena is a
     * reserved 64 MiB region that grows without growing the address space. */
    mallopt (M_MMAP_THRESHOLD, 128 * 1024);
    mallopt (M_ARENA_MAX, 1);
#endif
    return TRUE;
}

/* `flowsim claims`: 16 claims of 8 alternatives, 4,000 control characters in each question and
 * summary (6 bytes each in the text: about 3.5 MB). */
static void
test_room_cap_claims (void)
{
    if (!in_child ())
        return;
    g_autofree char *dir = fsim_test_scratch_new ();
    g_autofree char *path = wide_scenario (dir, 1, 1, 16, 8, 4000);
    g_autoptr (FsimSim) sim = load (path);
    g_autoptr (GString) out = g_string_new (NULL);
    if (!fsim_test_address_space_cap (CAP_SLACK))
        return;
    assert_refused (out, fsim_claims_room_list (sim->scenario), "the claims");
    guint64 room = fsim_claims_room_list (sim->scenario);
    assert_fits (out, room, "the claims");
    size_t allocated = out->allocated_len;
    fsim_claims_render_list (sim->scenario, FALSE, out);
    RENDERED_IN_ROOM (out, allocated);
    fsim_assert_contains (out->str, "c00015-xxx");
    g_test_message ("claims: %zu bytes in a room of %" G_GUINT64_FORMAT, out->len, room);
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

/* `flowsim sweep`: 8 settings (the alternatives of a claim) times 64 metrics, each row with the
 * claims' cell of 16 claims (about 4 MB). */
static void
test_room_cap_sweep (void)
{
    if (!in_child ())
        return;
    g_autofree char *dir = fsim_test_scratch_new ();
    g_autofree char *path = wide_scenario (dir, 64, 1, 16, 8, 1);
    g_autofree char *claim = id_text ("c", 0);
    g_autoptr (GString) vary = g_string_new (NULL);
    g_string_append_printf (vary, "choices.%s", claim);
    for (guint a = 0; a < 8; a++) {
        g_autofree char *alternative = id_text ("a", a);
        g_string_append_printf (vary, "%c%s", a ? ',' : '=', alternative);
    }
    const char *const varies[] = { vary->str, NULL };
    g_autoptr (GPtrArray) metrics =
        g_ptr_array_new_with_free_func ((GDestroyNotify) fsim_metric_free);
    g_autoptr (GError) error = NULL;
    for (guint p = 0; p < 64; p++) {
        g_autofree char *partner = id_text ("p", p);
        g_autofree char *text = g_strdup_printf ("partners[%s].users_reached", partner);
        FsimMetric *m = fsim_metric_parse (NULL, text, &error);
        g_assert_no_error (error);
        g_ptr_array_add (metrics, m);
    }
    const guint64 seeds[] = { 1 };
    const FsimSweepOptions so = { .path = path,
                                  .seeds = seeds,
                                  .n_seeds = 1,
                                  .vary = varies,
                                  .metrics = (FsimMetric *const *) metrics->pdata,
                                  .n_metrics = metrics->len,
                                  .n_threads = 1 };
    g_autoptr (FsimSweep) sweep = fsim_sweep_run (&so, &error);
    g_assert_no_error (error);
    g_autoptr (GString) out = g_string_new (NULL);
    if (!fsim_test_address_space_cap (CAP_SLACK))
        return;
    assert_refused (out, fsim_sweep_room (sweep), "the sweep's summaries");
    guint64 room = fsim_sweep_room (sweep);
    assert_fits (out, room, "the sweep's summaries");
    size_t allocated = out->allocated_len;
    fsim_sweep_render (sweep, FSIM_REPORT_CSV, -1, out);
    RENDERED_IN_ROOM (out, allocated);
    fsim_assert_contains (out->str, "p00063-xxx");
    g_test_message ("sweep: %zu bytes in a room of %" G_GUINT64_FORMAT, out->len, room);
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

/* `flowsim diagram --top 0`: 256 partners named with 4,000 control characters each (6 bytes a
 * byte in the room: about 6 MB). fsim_diagram_write_dot() builds its nodes, then makes its
 * room: under the cap it is an error with @out unchanged. */
static void
test_room_cap_diagram (void)
{
    if (!in_child ())
        return;
    g_autofree char *dir = fsim_test_scratch_new ();
    g_autofree char *path = wide_scenario (dir, 256, 4000, 0, 0, 0);
    g_autoptr (FsimSim) sim = load (path);
    const FsimDiagramOptions o = { .top = 0 };
    g_autoptr (GString) out = g_string_new ("kept");
    g_autoptr (GError) error = NULL;
    if (!fsim_test_address_space_cap (CAP_SLACK))
        return;
    gboolean ok =
        fsim_diagram_write_dot (sim->scenario, sim->decisions, sim->result, &o, out, &error);
    fsim_test_address_space_uncap ();
    g_assert_false (ok);
    g_assert_error (error, FSIM_GRAPH_ERROR, FSIM_GRAPH_ERROR_NOMEM);
    g_test_message ("%s", error->message);
    g_assert_true (g_str_has_prefix (error->message, "out of memory: needed "));
    g_assert_true (g_str_has_suffix (error->message, " bytes for the diagram"));
    g_assert_cmpstr (out->str, ==, "kept");
    g_clear_error (&error);
    g_assert_true (
        fsim_diagram_write_dot (sim->scenario, sim->decisions, sim->result, &o, out, &error));
    g_assert_no_error (error);
    fsim_assert_contains (out->str, "p00255-xxx");
    g_test_message ("diagram: %zu bytes", out->len);
    fsim_test_scratch_free (g_steal_pointer (&dir));
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    g_test_add_func ("/room-cap/claims", test_room_cap_claims);
    g_test_add_func ("/room-cap/sweep", test_room_cap_sweep);
    g_test_add_func ("/room-cap/diagram", test_room_cap_diagram);
    return g_test_run ();
}
