/* SPDX-License-Identifier: Apache-2.0 */
#include "sysfilter_gate.h"

#include <cap-ng.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Syscalls the kernel or Docker gate on a capability.  The capability,
 * not the profile, decides them: allowed by the policy's side when the
 * container's final bounding set keeps one of their capabilities (the
 * policy kept it on purpose), denied whatever the profiles say when it
 * keeps none (dockerd opened them for a capability the shim dropped).
 * The incoming profile must still allow them. */
static const struct
{
  const char *cap;
  const char *const names[24];
} cap_gated[] = {
  { "sys_admin", { "bpf", "fanotify_init", "fsconfig", "fsmount", "fsopen", "fspick", "mount", "mount_setattr",
                   "move_mount", "open_tree", "perf_event_open", "quotactl", "quotactl_fd", "setdomainname",
                   "sethostname", "setns", "syslog", "umount", "umount2", "unshare", "lookup_dcookie",
                   "name_to_handle_at", NULL } },
  { "sys_boot", { "reboot", "kexec_load", "kexec_file_load", NULL } },
  { "sys_chroot", { "chroot", NULL } },
  { "sys_module", { "init_module", "finit_module", "delete_module", NULL } },
  { "sys_pacct", { "acct", NULL } },
  { "sys_ptrace", { "ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_getfd", NULL } },
  { "sys_rawio", { "iopl", "ioperm", NULL } },
  { "sys_time", { "settimeofday", "stime", "clock_settime", "clock_settime64", "adjtimex", "clock_adjtime",
                  "clock_adjtime64", NULL } },
  { "sys_tty_config", { "vhangup", NULL } },
  { "sys_nice", { "mbind", "set_mempolicy", "migrate_pages", "move_pages", NULL } },
  { "dac_read_search", { "open_by_handle_at", NULL } },
  { "syslog", { "syslog", NULL } },
  { "bpf", { "bpf", NULL } },
  { "perfmon", { "perf_event_open", NULL } },
};

/* cap_gated flattened, each name once: in the table's order (gated_order)
 * and sorted by name (gated_sorted), built on first use: one binary
 * search per syscall instead of a scan of the table */
struct gated_name
{
  const char *name;
  uint64_t caps; /* the capabilities any of which opens it */
};
static struct gated_name gated_sorted[64];
static const char *gated_order[64];
static size_t n_gated;

static int
gated_cmp (const void *a, const void *b)
{
  return strcmp (((const struct gated_name *) a)->name, ((const struct gated_name *) b)->name);
}

static void
gated_build (void)
{
  if (n_gated > 0)
    return;
  for (size_t i = 0; i < ARRAY_SIZE (cap_gated); i++)
    {
      int cap = capng_name_to_capability (cap_gated[i].cap);
      for (size_t j = 0; cap_gated[i].names[j]; j++)
        {
          size_t k = 0;
          while (k < n_gated && strcmp (gated_sorted[k].name, cap_gated[i].names[j]) != 0)
            k++;
          if (k == n_gated)
            {
              if (n_gated == ARRAY_SIZE (gated_sorted))
                abort (); /* the table outgrew the array: a build-time mistake */
              gated_sorted[n_gated] = (struct gated_name){ .name = cap_gated[i].names[j] };
              gated_order[n_gated++] = cap_gated[i].names[j];
            }
          gated_sorted[k].caps |= CAP_BIT (cap);
        }
    }
  qsort (gated_sorted, n_gated, sizeof gated_sorted[0], gated_cmp);
}

enum sysfilter_gate
sysfilter_gate_of (const char *name, uint64_t caps_mask)
{
  struct gated_name key = { .name = name }, *g;
  gated_build ();
  g = bsearch (&key, gated_sorted, n_gated, sizeof gated_sorted[0], gated_cmp);
  if (g == NULL)
    return SYSFILTER_GATE_NONE;
  return (g->caps & caps_mask) ? SYSFILTER_GATE_KEPT : SYSFILTER_GATE_DROPPED;
}

int
sysfilter_cap_gate (const char *name, uint64_t caps_mask)
{
  enum sysfilter_gate g = sysfilter_gate_of (name, caps_mask);
  return g == SYSFILTER_GATE_KEPT ? 1 : g == SYSFILTER_GATE_DROPPED ? -1 : 0;
}

size_t
sysfilter_gated_count (void)
{
  gated_build ();
  return n_gated;
}

const char *
sysfilter_gated_name (size_t i)
{
  gated_build ();
  return i < n_gated ? gated_order[i] : NULL;
}

uint64_t
sysfilter_bounding_mask (const struct json_value *root)
{
  const struct json_value *b
      = json_object_get (json_object_get (json_object_get (root, "process"), "capabilities"), "bounding");
  uint64_t mask = 0;
  for (size_t i = 0; b && b->type == JSON_ARRAY && i < b->u.arr.len; i++)
    {
      const struct json_value *n = b->u.arr.items[i];
      int cap;
      if (n->type != JSON_STRING || strncmp (n->u.str.s, "CAP_", 4) != 0)
        continue;
      cap = capng_name_to_capability (n->u.str.s + 4);
      mask |= CAP_BIT (cap);
    }
  return mask;
}
