/* SPDX-License-Identifier: MIT */
/* output.h: the one way flowsim writes a file (--output, --export, Graphviz's input). */
#pragma once

#include <stdio.h>

#include <glib.h>

/*
 * What happens to the file a path names (docs/robustness.md, "Outputs"):
 *
 * - nothing there: a new file is made (mode 0666 less the umask), atomically as below;
 * - a regular file: it is replaced atomically, by renaming a complete temporary file over it, and
 *   the new file keeps the old one's permission bits (without set-user-ID and set-group-ID) and,
 *   where the system permits it (root, or a group the user belongs to), its owner and group.
 *   A file the user could not open for writing is refused with the system's error ("Permission
 *   denied", "Read-only file system"), before anything is written: the test is open(2) itself, so
 *   root, whom the system lets open a 0444 file, replaces it as `>` in a shell would;
 * - a symbolic link: followed (up to 40 links) and its target treated by these rules; the link
 *   stays a link. A link in a sticky folder everyone may write (/tmp), as the last name or a
 *   folder on the way, is followed only if this user or the folder's owner owns it, and a regular
 *   file or FIFO there is written only if one of them owns it (the kernel's protected_symlinks,
 *   protected_regular and protected_fifos rules, whatever the system's settings): EACCES.
 *   A link into /proc's descriptor links (/dev/stdout, /dev/fd/N, /proc/self/fd/N) is not
 *   followed by name: the open file it stands for is written in place, at its end (so
 *   `-o /dev/stdout >> log` appends), unless it is an input of this run (below);
 * - anything else (a device such as /dev/null, a FIFO, a terminal): written in place, never
 *   replaced; a folder or a socket is refused with the system's error;
 * - a regular file this process has read as an input (inputfile.h), or has already written as
 *   an output (`population --save s.fss -o ./s.fss`, `--export d -o d/users.tsv`): refused,
 *   G_FILE_ERROR_EXIST, before anything is written.
 *
 * Temporary files live in the target's folder, made without a name (O_TMPFILE) where the file
 * system allows it, so that a SIGKILL or a power cut leaves nothing, and named just before the
 * rename; elsewhere from the start. Their names are unique, ".NAME.flowsim-XXXXXXXX", given with
 * linkat() or O_CREAT | O_EXCL | O_NOFOLLOW (a name someone planted, or a symbolic link, is never
 * opened: another name is drawn). Named ones are removed on every error, when the FsimOutput is freed
 * uncommitted, and when a signal ends flowsim (every one whose default action does: output.c):
 * the first temporary file installs a handler for those whose action is still the default (a
 * program embedding libflowsim that handles or ignores them keeps its own), which removes every
 * temporary file still open, then lets the signal end the process. Concurrent writers never share a temporary file: each
 * target is replaced whole by one of them.
 */

#define FSIM_OUTPUT_ERROR G_FILE_ERROR /* errors carry the system's errno as a GFileError */

typedef struct FsimOutput FsimOutput;

/* Removes the temporary files of every output not yet committed, from a signal handler
 * (async-signal-safe: unlinkat() only), for a program that ends on a signal of its own
 * (the command line's SIGBUS). Can't fail. */
void fsim_output_remove_temporaries (void);

/* Takes, now, every signal that ends the process and whose action is the default, so that it
 * removes the temporary files first: for a program whose own handlers, in place when its first
 * temporary file was made, have since been given back to the default (flowsim serve stopping,
 * whose second Ctrl-C ends it while its Graphviz files exist). Can't fail. */
void fsim_output_catch_signals (void);

/**
 * fsim_output_open:
 * @path: where to write, by the rules above
 *
 * Checks the target and opens the file to write: the temporary file, or the target itself.
 * Returns: (transfer full): the output, to write through fsim_output_stream() and then
 *   fsim_output_commit(); or NULL with @error set (G_FILE_ERROR, "cannot write 'PATH': REASON").
 *   Nothing is left behind on failure.
 */
FsimOutput *fsim_output_open (const char *path, GError **error);

/**
 * fsim_output_check_stdout:
 *
 * Refuses standard output when it is a regular file this run has read as an input
 * (`flowsim run t.json >> t.json`), as `cat f >> f` does: the report would be appended to the
 * scenario. Call before writing anything to it.
 * Returns: TRUE, or FALSE with @error set (G_FILE_ERROR_EXIST).
 */
gboolean fsim_output_check_stdout (GError **error);

/**
 * fsim_output_make_folder:
 * @path: a folder to write files in (population's --export)
 *
 * Makes @path and every missing folder above it (mode 0777 less the umask), following links by
 * the rules above: a link in a sticky folder everyone may write that neither this user nor the
 * folder's owner owns is refused, wherever it is in @path.
 * Returns: TRUE, or FALSE with @error set (G_FILE_ERROR, "cannot create the folder 'PATH': REASON").
 */
gboolean fsim_output_make_folder (const char *path, GError **error);

/**
 * fsim_output_scratch:
 *
 * A new file without a name in g_get_tmp_dir(), readable and writable by the user only, for
 * another program to read or write through its descriptor (Graphviz's input and output): it
 * never appears in the folder, so nothing of it is left when the descriptor is closed, whatever
 * ends the process (SIGKILL included). Where the file system has no O_TMPFILE, it is made under a
 * new name (O_EXCL, never through a symbolic link) and that name removed at once.
 * Returns: the descriptor (close-on-exec), or -1 with @error set (G_FILE_ERROR).
 */
int fsim_output_scratch (GError **error);

/**
 * fsim_output_stream:
 * Returns: (transfer none): the stream to write to; write errors are reported by
 *   fsim_output_commit(). Can't fail. Do not fclose() it.
 */
FILE *fsim_output_stream (FsimOutput *out);

/**
 * fsim_output_path:
 * Returns: (transfer none): the path given to fsim_output_open(). Can't fail.
 */
const char *fsim_output_path (const FsimOutput *out);

/**
 * fsim_output_commit:
 *
 * Flushes and closes the stream, then renames the temporary file over the target (or, in place,
 * just closes it). Call once.
 * Returns: TRUE on success; FALSE with @error set when a write, the close or the rename failed,
 *   and then the temporary file is removed and the target is as it was (in place: as far as the
 *   writes went).
 */
gboolean fsim_output_commit (FsimOutput *out, GError **error);

/**
 * fsim_output_free:
 *
 * Frees @out, removing its temporary file unless it was committed into place. Accepts NULL.
 */
void fsim_output_free (FsimOutput *out);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsimOutput, fsim_output_free)

/**
 * fsim_output_set_contents:
 * @path: where to write, by the rules above
 * @data: (array length=len): the bytes
 *
 * fsim_output_open(), one write, fsim_output_commit().
 * Returns: TRUE, or FALSE with @error set and nothing left behind.
 */
gboolean fsim_output_set_contents (const char *path, const void *data, size_t len, GError **error);
