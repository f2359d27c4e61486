/* SPDX-License-Identifier: Apache-2.0 */
/* Reading untrusted files safely and replacing files atomically. */
#ifndef HARDENED_FILEIO_H
#define HARDENED_FILEIO_H

#include <stddef.h>
#include <sys/stat.h>

#include "error.h"

/* Read NAME relative to DIRFD (AT_FDCWD for a path).  Refuses symlinks in
 * the last component, anything but a regular file, and files larger than
 * MAX bytes.  DISPLAY names the file in messages.  *buf is NUL-terminated. */
int file_read_regular (int dirfd, const char *name, const char *display, size_t max, char **buf, size_t *len,
                       struct stat *st, hr_err *err);

/* An operator's file (policy, seccomp profile): symlinks are followed, the
 * target must still be a regular file of at most MAX bytes, owned by root
 * (or by the caller, when it is not root) and not writable by group or
 * others, and so must every directory above it (a root-owned sticky
 * directory such as /tmp is fine).  The file is opened once and the open
 * descriptor checked, so the file checked is the file read. */
int file_read_config (const char *path, size_t max, char **buf, size_t *len, hr_err *err);

/* The owner trusted besides root: by default the caller (geteuid ()); a
 * test names another ((uid_t) -1: the default again), so that files of
 * its own stand for a stranger's without root. */
void file_set_trusted_owner (uid_t uid);

/* The same ownership and mode rules for a file the shim does not read but
 * runs or trusts otherwise (the policy's runtime). */
int file_check_trusted (const char *path, hr_err *err);

/* PATH does not exist: may anyone but root (or the caller) create it?
 * The deepest part of it that exists must be owned by root and writable
 * only by its owner (a sticky /tmp is not enough: anyone creates entries
 * there), and every directory above it as for file_check_trusted. */
int file_check_no_other_creator (const char *path, hr_err *err);

/* Read all of an already open descriptor (stdin, a pipe) up to MAX bytes:
 * the one read loop (EINTR, short reads) every module uses.  *buf is
 * NUL-terminated. */
int file_read_fd (int fd, const char *display, size_t max, char **buf, size_t *len, hr_err *err);

/* Write all of DATA to FD, through short writes and EINTR: the one write
 * loop every module uses.  -1 with errno set on failure (EIO when the
 * descriptor takes nothing). */
int file_write_fd (int fd, const void *data, size_t len);

/* Replace NAME in DIRFD with DATA: a temporary file in the same directory
 * with MODE, UID and GID, written and renamed over NAME (not fsync'd:
 * atomic against a killed writer, not durable across a power cut).  On
 * failure NAME is untouched and no temporary file remains. */
int file_replace_atomic (int dirfd, const char *name, const char *display, const char *data, size_t len,
                         mode_t mode, uid_t uid, gid_t gid, hr_err *err);

#endif
