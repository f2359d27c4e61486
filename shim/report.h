/* SPDX-License-Identifier: Apache-2.0 */
/* hardened-runc report [--policy FILE] [--json] [--top N] [AUDIT_LOG... | -]:
 * a summary of the audit log's decisions for rolling a policy out. */
#ifndef HARDENED_REPORT_H
#define HARDENED_REPORT_H

int report_main (int argc, char **argv);

#endif
