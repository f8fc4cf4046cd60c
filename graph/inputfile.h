/* SPDX-License-Identifier: MIT */
/* inputfile.h: which files an input may make flowsim read, and reading them within a limit. */
#pragma once

#include <glib.h>

/*
 * The rule (docs/robustness.md): a file that a scenario names (include, extends, a graph to
 * import) must be a regular file, symbolic links followed, and not on /proc or /sys. A device
 * (/dev/zero), FIFO, socket or directory is refused before anything is read from it, so that
 * naming one can neither exhaust memory nor block. Only a file the user names on the command
 * line may also be a pipe or FIFO (`flowsim run <(generate)`): pass @allow_pipe for it.
 */
typedef enum {
    FSIM_INPUT_OK,
    FSIM_INPUT_FAILED,    /* cannot open or read (or no memory to read it): *out_reason says why */
    FSIM_INPUT_REFUSED,   /* not a file the rule allows: *out_reason says what it is */
    FSIM_INPUT_TOO_LARGE, /* more than @max_bytes */
} FsimInputStatus;

/**
 * fsim_input_file_open:
 * @path: the file
 * @allow_pipe: also accept a pipe or FIFO
 * @out_fd: (out): on FSIM_INPUT_OK, an open, blocking, read-only descriptor (close-on-exec)
 *   that the caller must close
 * @out_size: (out) (optional): on FSIM_INPUT_OK, the size of a regular file, 0 for a pipe
 * @out_reason: (out): otherwise, why (transfer full), without the file's name
 * Opens @path if the rule allows it, without blocking on a FIFO.
 */
FsimInputStatus fsim_input_file_open (const char *path, gboolean allow_pipe, int *out_fd,
                                      guint64 *out_size, char **out_reason);

/**
 * fsim_input_file_was_read:
 * Whether this process has opened the regular file with device @dev and inode @ino as an input
 * (through fsim_input_file_open() or fsim_input_file_note()): the output writer refuses to
 * replace such a file, so that `-o` naming the scenario, or a file it includes or imports,
 * cannot destroy it. Thread-safe.
 */
gboolean fsim_input_file_was_read (guint64 dev, guint64 ino);

/* Records @fd (when it is a regular file) as an input opened some other way (a snapshot). */
void fsim_input_file_note (int fd);

/**
 * fsim_input_file_read:
 * @max_bytes: the most it reads; a larger file, or a pipe that gives more, is TOO_LARGE
 * @out_data: (out): on FSIM_INPUT_OK, the contents and a NUL byte after them (transfer full)
 * @out_len: (out): their length, without the added NUL
 * As fsim_input_file_open(), then reads the whole file.
 */
FsimInputStatus fsim_input_file_read (const char *path, gboolean allow_pipe, guint64 max_bytes,
                                      char **out_data, gsize *out_len, char **out_reason);

/**
 * fsim_input_fd_read:
 * @fd: an open descriptor (fsim_input_file_open()), closed here whatever happens
 * As fsim_input_file_read(), from @fd: reads it into memory to its end. Nothing is mapped, so
 * a file truncated meanwhile cannot kill the process (SIGBUS); a regular file found shorter
 * than what was read is FSIM_INPUT_FAILED, "it changed while being read (it is shorter now)".
 */
FsimInputStatus fsim_input_fd_read (int fd, guint64 max_bytes, char **out_data, gsize *out_len,
                                    char **out_reason);
