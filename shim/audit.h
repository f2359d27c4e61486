/* SPDX-License-Identifier: Apache-2.0 */
/* The audit log: one JSON line per decision, what changed and which rules
 * matched (hardened-runc(8), AUDIT LOG). */
#ifndef HARDENED_AUDIT_H
#define HARDENED_AUDIT_H

#include "error.h"
#include "decision.h"
#include "policy.h"

struct audit_record
{
  const char *subcommand;
  const char *container_id;
  const char *bundle;
  const char *profile;
  enum policy_mode mode;
  const char *outcome; /* "allowed", "changed", "would-change", "refused", "error" */
  const struct changes *changes;
  const struct findings *findings;
  const char *reason; /* refusal or error message, or NULL */
};

/* Open (creating it and its directory, mode 0600/0700) the audit log for
 * appending.  Returns the descriptor. */
int audit_open (const char *path, hr_err *err);
/* Build the record's JSON line and write it with one write(2). */
int audit_write (int fd, const char *path, const struct audit_record *r, hr_err *err);

#endif
