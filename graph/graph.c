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
G_DEFINE_QUARK (fsim-graph-error-quark, fsim_graph_error)
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

/* Under the igraph lock: where fatal_to_error() jumps during fsim_i_graph_call(). */
static jmp_buf fatal_jump;
static gboolean fatal_armed, fatal_freeing;
static char fatal_reason[FSIM_I_GRAPH_REASON_SIZE];

/*
 * igraph calls its fatal handler, which must not return, when one of its internal assertions
 * fails: the default prints and aborts. Inside fsim_i_graph_call() flowsim jumps back to the
 * call instead, the way igraph's documentation suggests for programs that want to report the
 * failure (found by tests/test-faults.c: igraph 0.10.2's GML reader fails assertions when an
 * allocation fails inside it). Outside one, igraph is not running flowsim's work: abort as
 * igraph would.
 *
 * What igraph registered on its IGRAPH_FINALLY stack is freed here, before jumping: the entries
 * point at local variables of the frames the jump leaves. Those objects may be broken too, and
 * a destructor may fail another assertion (the GML reader's do): then the rest is forgotten
 * (lost; the process should end soon after).
 */
static void
fatal_to_error (const char *reason, const char *file, int line)
{
    if (!fatal_armed)
        igraph_fatal_handler_abort (reason, file, line);
    if (!fatal_freeing) {
        g_snprintf (fatal_reason, sizeof fatal_reason, "%s (igraph's %s:%d)",
                    reason != NULL ? reason : "internal error", file != NULL ? file : "?", line);
        fatal_freeing = TRUE;
        IGRAPH_FINALLY_FREE ();
    }
    IGRAPH_FINALLY_CLEAN (IGRAPH_FINALLY_STACK_SIZE ());
    fatal_freeing = FALSE;
    longjmp (fatal_jump, 1);
}

/*
 * igraph's default error handler aborts the process and its default warning handler prints to
 * stderr; a library must do neither. With igraph_error_handler_ignore an igraph function that
 * fails frees everything on the IGRAPH_FINALLY stack and returns its error code, which the
 * public graph/ functions turn into a GError.
 */
void
fsim_graph_init (void)
{
    static gsize initialised = 0;

    if (g_once_init_enter (&initialised)) {
        fsim_i_graph_lock ();
        igraph_set_error_handler (igraph_error_handler_ignore);
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
    if (setjmp (fatal_jump) == 0) {
        rc = body (data);
    } else {
        rc = IGRAPH_EINTERNAL; /* fatal_to_error() has emptied the IGRAPH_FINALLY stack */
        if (reason != NULL)
            g_strlcpy (reason, fatal_reason, FSIM_I_GRAPH_REASON_SIZE);
    }
    fatal_armed = FALSE;
    /* a body may swap these (import-igraph.c) and may not have swapped them back */
    igraph_set_error_handler (igraph_error_handler_ignore);
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
