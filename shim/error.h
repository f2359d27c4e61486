/* SPDX-License-Identifier: Apache-2.0 */
/* Errors travel up: a failing function fills an hr_error and returns a
 * negative value; callers may prefix context; only main() reports. */
#ifndef HARDENED_ERROR_H
#define HARDENED_ERROR_H

/* What kind of failure, so main() can pick the exit code. */
enum hr_error_kind
{
  HR_ERR_INTERNAL = 1, /* I/O, system call, unexpected state */
  HR_ERR_USAGE,        /* bad command line */
  HR_ERR_INPUT,        /* malformed config.json, process.json, policy */
  HR_ERR_REFUSED,      /* the policy refuses the container */
  HR_ERR_FORBIDDEN,    /* refused in every mode (CVE-2024-21626 paths) */
};

struct hr_error
{
  enum hr_error_kind kind;
  int errnum; /* errno of the failing call, or 0 */
  char *msg;
};

typedef struct hr_error *hr_err;

/* Record an error (if *err is unset) and return -1.  With errnum != 0
 * ": strerror(errnum)" is appended. */
int hr_error_set (hr_err *err, enum hr_error_kind kind, int errnum, const char *fmt, ...)
    __attribute__ ((format (printf, 4, 5)));

/* Prepend "context: " to an existing error; returns -1. */
int hr_error_prefix (hr_err *err, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));

void hr_error_free (hr_err err);
/* Free *ERR and leave it unset. */
void hr_error_clear (hr_err *err);
/* The policy refused (in audit mode or not), as opposed to a failure. */
#define hr_error_is_refusal(e) ((e)->kind == HR_ERR_REFUSED || (e)->kind == HR_ERR_FORBIDDEN)
void cleanup_hr_errorp (hr_err *err);
#define cleanup_hr_error __attribute__ ((cleanup (cleanup_hr_errorp)))

#endif
