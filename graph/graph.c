/* SPDX-License-Identifier: MIT */
/* graph.c: igraph start-up (no aborts), the FSIM_GRAPH_ERROR domain and igraph error mapping. */
#include "config.h"

#include <setjmp.h>

#include <glib.h>
#include <igraph.h>

#include "friends.h"
#include "graph-private.h"

/* The quark's name is a dashed string, not an expression: keep clang-format off it. */
/* clang-format off */
/* The quark's name is G_DEFINE_QUARK's first argument, spelt as it stands. */
/* clang-format off */
G_DEFINE_QUARK (fsim-graph-error-quark, fsim_graph_error)
/* clang-format on */
/* clang-format on */

G_LOCK_DEFINE_STATIC (fsim_igraph);

void
fsim_i_graph_lock (void)
{
    G_LOCK (fsim_igraph);
}

void
fsim_i_graph_unlock (void)
{
    G_UNLOCK (fsim_igraph);
}

/* Under the igraph lock: where fatal_to_error() jumps during fsim_i_graph_call(), and what
 * the handlers below are doing. */
static jmp_buf fatal_jump;
static gboolean fatal_armed;      /* inside fsim_i_graph_call() */
static gboolean in_error_handler; /* igraph's error handling is freeing its stack */
static enum { FATAL_NONE, FATAL_FREEING, FATAL_RESETTING } fatal_state;
static char fatal_reason[FSIM_I_GRAPH_REASON_SIZE];

/*
 * igraph calls its fatal handler, which must not return, when one of its internal assertions
 * fails: the default prints and aborts. Inside fsim_i_graph_call() flowsim jumps back to the
 * call instead, the way igraph's documentation suggests for programs that want to report the
 * failure (found by tests/test-faults.c: igraph 0.10.2's GML reader fails assertions when an
 * allocation fails inside it). Outside one, igraph is not running flowsim's work: abort as
 * igraph would.
 *
 * Before jumping, everything on igraph's IGRAPH_FINALLY stack is freed here, while the frames
 * whose local variables its entries point at still exist:
 * - IGRAPH_FINALLY_FREE() frees one level of the stack (igraph_add_edges() and the file readers
 *   open levels); IGRAPH_FINALLY_EXIT() steps down to the next, until the stack is empty.
 * - A destructor may fail an assertion too (the GML reader's do, on objects broken by the
 *   first failure), inside our freeing or inside igraph's own error handling. Its entry is on
 *   top of the stack, and igraph pops an entry only after its destructor returns: drop it
 *   (its object is lost) and go on with the rest, never running a destructor twice.
 * - Then the level count is reset: IGRAPH_FINALLY_EXIT() below the outermost level makes igraph
 *   reset its stack and call this handler once more, which jumps.
 */
static void
fatal_to_error (const char *reason, const char *file, int line)
{
    if (!fatal_armed)
        igraph_fatal_handler_abort (reason, file, line);
    if (fatal_state == FATAL_RESETTING)
        longjmp (fatal_jump, 1); /* igraph has reset its stack and levels */
    if (fatal_state == FATAL_NONE)
        g_snprintf (fatal_reason, sizeof fatal_reason, "%s (igraph's %s:%d)",
                    reason != NULL ? reason : "internal error", file != NULL ? file : "?", line);
    if (fatal_state == FATAL_FREEING || in_error_handler)
        IGRAPH_FINALLY_CLEAN (1); /* the entry whose destructor failed */
    in_error_handler = FALSE;
    fatal_state = FATAL_FREEING;
    for (;;) {
        IGRAPH_FINALLY_FREE ();
        if (IGRAPH_FINALLY_STACK_SIZE () == 0)
            break;
        IGRAPH_FINALLY_EXIT (); /* what is left is on a lower level, so this is not the last */
    }
    fatal_state = FATAL_RESETTING;
    for (;;)
        IGRAPH_FINALLY_EXIT (); /* ends in this handler, at the latest below level 0 */
}

/* igraph_error_handler_ignore, telling fatal_to_error() that igraph is freeing its stack. */
void
fsim_i_graph_error_ignore (const char *reason, const char *file, int line,
                           igraph_error_t igraph_errno)
{
    in_error_handler = TRUE;
    igraph_error_handler_ignore (reason, file, line, igraph_errno);
    in_error_handler = FALSE;
}

/*
 * igraph's default error handler aborts the process and its default warning handler prints to
 * stderr; a library must do neither. With igraph_error_handler_ignore (through
 * fsim_i_graph_error_ignore) an igraph function that fails frees everything on the
 * IGRAPH_FINALLY stack and returns its error code, which the public graph/ functions turn into
 * a GError.
 */
void
fsim_graph_init (void)
{
    static gsize initialised = 0;

    if (g_once_init_enter (&initialised)) {
        fsim_i_graph_lock ();
        igraph_set_error_handler (fsim_i_graph_error_ignore);
        igraph_set_warning_handler (igraph_warning_handler_ignore);
        igraph_set_fatal_handler (fatal_to_error);
        fsim_i_graph_unlock ();
        g_once_init_leave (&initialised, 1);
    }
}

igraph_error_t
fsim_i_graph_call (FsimIgraphBody body, void *data, char *reason)
{
    igraph_error_t rc;

    fsim_graph_init ();
    fsim_i_graph_lock ();
    fatal_armed = TRUE;
    fatal_state = FATAL_NONE;
    if (setjmp (fatal_jump) == 0) {
        rc = body (data);
    } else {
        rc = IGRAPH_EINTERNAL; /* fatal_to_error() has emptied the IGRAPH_FINALLY stack */
        if (reason != NULL)
            g_strlcpy (reason, fatal_reason, FSIM_I_GRAPH_REASON_SIZE);
    }
    fatal_armed = FALSE;
    fatal_state = FATAL_NONE;
    /* a body may swap these (import-igraph.c) and may not have swapped them back */
    igraph_set_error_handler (fsim_i_graph_error_ignore);
    igraph_set_attribute_table (NULL);
    fsim_i_graph_unlock ();
    return rc;
}

gboolean
fsim_i_graph_error_from_igraph (igraph_error_t rc, const char *reason, GError **error)
{
    FsimGraphError code;

    g_return_val_if_fail (rc != IGRAPH_SUCCESS, FALSE);

    switch (rc) {
    case IGRAPH_ENOMEM:
        code = FSIM_GRAPH_ERROR_NOMEM;
        break;
    case IGRAPH_EINVAL:
    case IGRAPH_EINVVID:
    case IGRAPH_EINVMODE:
    case IGRAPH_ERANGE:
    case IGRAPH_EOVERFLOW:
        code = FSIM_GRAPH_ERROR_INVALID;
        break;
    default:
        code = FSIM_GRAPH_ERROR_FAILED;
        break;
    }
    if (reason != NULL && reason[0] != '\0')
        g_set_error (error, FSIM_GRAPH_ERROR, code, "igraph: %s: %s (error %d)",
                     igraph_strerror (rc), reason, (int) rc);
    else
        g_set_error (error, FSIM_GRAPH_ERROR, code, "igraph: %s (error %d)", igraph_strerror (rc),
                     (int) rc);
    return FALSE;
}
