/* SPDX-License-Identifier: Apache-2.0 */
/* Finding and starting the real OCI runtime. */
#ifndef HARDENED_RUNTIME_H
#define HARDENED_RUNTIME_H

#include "error.h"
#include "util.h"

/* CONFIGURED (the policy's "runtime", may be NULL) or "runc" searched on
 * PATH and then the usual sbin/bin directories; never this program itself. */
int runtime_resolve (const char *configured, char **out, hr_err *err);

/* Replace this process with PATH (same pid, stdio and environment).
 * Returns only on failure. */
int runtime_exec (const char *path, char **argv, hr_err *err);

/* Where runtime_check_spec remembers each runtime binary's answer. */
#define RUNTIME_SPEC_CACHE_DIR HR_STATE_DIR "/runtimes"

/* The newest runtime-spec version RUNTIME implements (runc features'
 * ociVersionMax; "spec:" of --version for runtimes without "features"),
 * remembered in CACHE_DIR (may be NULL) per binary (device, inode, size,
 * mtime). */
int runtime_spec_version (const char *runtime, const char *cache_dir, char **out, hr_err *err);
/* Refuse (HR_ERR_REFUSED) a runtime newer than the spec surface table
 * covers: it could read fields no row decides. */
int runtime_check_spec (const char *runtime, const char *cache_dir, hr_err *err);

#endif
