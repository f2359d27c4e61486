/* SPDX-License-Identifier: Apache-2.0 */
/* Telling the caller what happened: runc-style log lines (containerd
 * reads the last "error" line of --log). */
#ifndef HARDENED_RUNC_LOG_H
#define HARDENED_RUNC_LOG_H

/* Append one line in runc's format (FORMAT "json" or "text") to LOG_PATH;
 * also to stderr.  LEVEL is "error" or "warning".  Never fails loudly:
 * this is the last resort. */
void runc_log (const char *log_path, const char *format, const char *level, const char *msg);

#endif
