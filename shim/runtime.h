/* SPDX-License-Identifier: Apache-2.0 */
/* Finding and starting the real OCI runtime. */
#ifndef HARDENED_RUNTIME_H
#define HARDENED_RUNTIME_H

#include "error.h"

/* CONFIGURED (the policy's "runtime", may be NULL) or "runc" searched on
 * PATH and then the usual sbin/bin directories; never this program itself. */
int runtime_resolve (const char *configured, char **out, hr_err *err);

/* Replace this process with PATH (same pid, stdio and environment).
 * Returns only on failure. */
int runtime_exec (const char *path, char **argv, hr_err *err);

#endif
