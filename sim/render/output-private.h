/* SPDX-License-Identifier: MIT */
/* output-private.h: where an output's path leads, shared by output.c and output-path.c. */
#pragma once

#include <sys/stat.h>

#include <glib.h>

/*
 * The place a path names: the folder its last name is in, held open, and that name, every
 * symbolic link on the way followed by flowsim itself, one name at a time, so that the rule of
 * the kernel's fs.protected_symlinks applies to each link (not only the last) and nothing can be
 * swapped for a link between the check and the use: every later call works in @dirfd.
 */
typedef struct {
    int dirfd;       /* the folder (O_PATH where the system has it); -1 if none */
    char *dir;       /* that folder as text, for messages; NULL for "." */
    char *name;      /* the last name in it, every link followed; NULL for a folder itself */
    gboolean proc;   /* @name is one of /proc's links to an open file (/dev/stdout) */
    gboolean exists; /* @st holds what @name is (lstat) */
    struct stat st;
} FsimOutputPlace;

/*
 * fsim_i_output_place_find:
 * @path: a path, relative to the working folder or absolute
 * @folder: TRUE for a folder to write files in: every missing name, the last included, is made a
 *   folder (mode 0777 less the umask), and @out_place holds that folder (name NULL)
 * @out_place: (out caller-allocates): cleared with fsim_i_output_place_clear(), also on failure
 *
 * Follows @path's links (at most 40), refusing with EACCES a link in a sticky folder everyone may
 * write (/tmp) that neither this user nor the folder's owner owns, and a regular file or FIFO
 * there that neither owns (the kernel's protected_symlinks, protected_regular and
 * protected_fifos rules, whatever the system's settings).
 * Returns: TRUE; or FALSE with errno set (ENOENT for a missing folder, EISDIR for a name ending
 *   in '/' that is not a folder yet, ENOTDIR, EACCES, ELOOP, ...).
 */
gboolean fsim_i_output_place_find (const char *path, gboolean folder, FsimOutputPlace *out_place);

/* fsim_i_output_place_clear: closes and frees what @place holds. Can't fail. */
void fsim_i_output_place_clear (FsimOutputPlace *place);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FsimOutputPlace, fsim_i_output_place_clear)
