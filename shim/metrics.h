/* SPDX-License-Identifier: Apache-2.0 */
/* Counters for node_exporter's textfile collector: decisions by
 * subcommand, profile and outcome, findings by rule, action and profile,
 * kept in the Prometheus text file the policy's "metrics_file" names. */
#ifndef HARDENED_METRICS_H
#define HARDENED_METRICS_H

#include "error.h"
#include "audit.h"

/* Add R to the counters in PATH (NULL: nothing to do): read under an
 * exclusive lock on PATH.lock, write PATH.tmp.PID (created exclusively), rename it over PATH. */
int metrics_record (const char *path, const struct audit_record *r, hr_err *err);

#endif
