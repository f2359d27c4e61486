/* SPDX-License-Identifier: Apache-2.0 */
/* Rule privileged: every capability and every device (--privileged). */
#include "controls.h"
#include "spec.h"
#include "util.h"

static bool
has_all_capabilities (const struct json_value *process)
{
  const struct json_value *caps = json_object_get (process, "capabilities");
  const struct json_value *bounding = json_object_get (caps, "bounding");
  /* every capability up to CAP_AUDIT_READ (37), what every Docker knows */
  static const char *const names[] = {
    "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID",
    "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN",
    "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT",
    "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE",
    "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL",
    "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND",
    "CAP_AUDIT_READ",
  };
  if (bounding == NULL || bounding->type != JSON_ARRAY)
    return false;
  for (size_t i = 0; i < ARRAY_SIZE (names); i++)
    if (!json_array_has_string (bounding, names[i]))
      return false;
  return true;
}

/* sysfs and cgroup mounts writable under --privileged: make them ro. */
static void
readonly_kernel_mounts (struct harden_ctx *ctx, struct json_value *root)
{
  struct json_value *mounts = json_object_get (root, "mounts");

  for (size_t i = 0; mounts && mounts->type == JSON_ARRAY && i < mounts->u.arr.len; i++)
    {
      struct json_value *m = mounts->u.arr.items[i], *opts;
      const struct json_value *type = json_object_get (m, "type");
      if (!json_is_string (type, "sysfs") && !json_is_string (type, "cgroup") && !json_is_string (type, "cgroup2"))
        continue;
      opts = json_object_get (m, "options");
      if (opts && opts->type != JSON_ARRAY)
        continue;
      if (mounts_options_readonly (opts))
        continue;
      {
        const struct json_value *dest = json_object_get (m, "destination");
        cleanup_free char *control
            = xasprintf ("mounts[%s].options", dest && dest->type == JSON_STRING ? dest->u.str.s : "?");
        mounts_add_option (ctx, m, control, "ro");
      }
    }
}

int
privileged_check (struct harden_ctx *ctx, struct json_value *root, struct json_value *process, hr_err *err)
{
  enum rule_action action = policy_rule_action (ctx->profile, RULE_PRIVILEGED);
  static const char detail[] = "the container is privileged (--privileged: every capability and every host "
                               "device); run it without --privileged and add only the capabilities it needs";

  if (action == RULE_ALLOW || !has_all_capabilities (process) || !devices_allow_all (root))
    return 0;
  if (decision_match (ctx, RULE_PRIVILEGED, action, detail, err) < 0)
    return -1;
  if (action != RULE_MUTATE)
    return 0;
  /* Strip it back to the profile: devices and kernel mounts here; the
   * controls that follow reduce capabilities and restore masked paths. */
  if (devices_check (ctx, root, RULE_MUTATE, true, err) < 0)
    return -1;
  readonly_kernel_mounts (ctx, root);
  return 0;
}
