/* SPDX-License-Identifier: Apache-2.0 */
/* Work that must not hang the shim, run in a child process with a
 * deadline: the answer (a JSON document, or an error) comes back through
 * a pipe; a child still working at the deadline is killed and the work
 * refused.  The child never outlives its deadline, nor the shim. */
#ifndef HARDENED_BOUNDED_H
#define HARDENED_BOUNDED_H

#include "error.h"
#include "json.h"

/* What runs in the child: fills *OUT (may stay NULL: no document). */
typedef int (*bounded_fn) (void *arg, struct json_value **out, hr_err *err);

struct bounded_work
{
  const char *what;        /* the work's subject, at the head of messages */
  const char *worker;      /* the child in messages: "the process compiling it" */
  const char *timeout_msg; /* the whole refusal (HR_ERR_REFUSED) when the deadline passes */
  int seconds;             /* the deadline */
};

/* Run FN (ARG) in a child; its document in *OUT (may be NULL when FN
 * makes none), its error in ERR with its kind. */
int bounded_run (const struct bounded_work *work, bounded_fn fn, void *arg, struct json_value **out, hr_err *err);

#endif
