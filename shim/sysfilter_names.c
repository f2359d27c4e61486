/* SPDX-License-Identifier: Apache-2.0 */
#include "sysfilter_names.h"

#include "util.h"

static const struct
{
  const char *oci;
  uint32_t token;
} arch_table[] = {
  { "SCMP_ARCH_X86", SCMP_ARCH_X86 },         { "SCMP_ARCH_X86_64", SCMP_ARCH_X86_64 },
  { "SCMP_ARCH_X32", SCMP_ARCH_X32 },         { "SCMP_ARCH_ARM", SCMP_ARCH_ARM },
  { "SCMP_ARCH_AARCH64", SCMP_ARCH_AARCH64 }, { "SCMP_ARCH_MIPS", SCMP_ARCH_MIPS },
  { "SCMP_ARCH_MIPS64", SCMP_ARCH_MIPS64 },   { "SCMP_ARCH_MIPS64N32", SCMP_ARCH_MIPS64N32 },
  { "SCMP_ARCH_MIPSEL", SCMP_ARCH_MIPSEL },   { "SCMP_ARCH_MIPSEL64", SCMP_ARCH_MIPSEL64 },
  { "SCMP_ARCH_MIPSEL64N32", SCMP_ARCH_MIPSEL64N32 }, { "SCMP_ARCH_PPC", SCMP_ARCH_PPC },
  { "SCMP_ARCH_PPC64", SCMP_ARCH_PPC64 },     { "SCMP_ARCH_PPC64LE", SCMP_ARCH_PPC64LE },
  { "SCMP_ARCH_S390", SCMP_ARCH_S390 },       { "SCMP_ARCH_S390X", SCMP_ARCH_S390X },
  { "SCMP_ARCH_PARISC", SCMP_ARCH_PARISC },   { "SCMP_ARCH_PARISC64", SCMP_ARCH_PARISC64 },
  { "SCMP_ARCH_RISCV64", SCMP_ARCH_RISCV64 },
};

static const struct
{
  const char *oci;
  enum scmp_compare op;
} op_table[] = {
  { "SCMP_CMP_NE", SCMP_CMP_NE }, { "SCMP_CMP_LT", SCMP_CMP_LT }, { "SCMP_CMP_LE", SCMP_CMP_LE },
  { "SCMP_CMP_EQ", SCMP_CMP_EQ }, { "SCMP_CMP_GE", SCMP_CMP_GE }, { "SCMP_CMP_GT", SCMP_CMP_GT },
  { "SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ },
};

/* value: libseccomp's; with_errno: the rule's errnoRet goes in its low 16
 * bits (runc's default: EPERM) */
static const struct
{
  const char *oci;
  bool allows; /* the call runs as asked */
  uint32_t value;
  bool with_errno;
} action_table[] = {
  { "SCMP_ACT_ALLOW", true, SCMP_ACT_ALLOW, false },
  { "SCMP_ACT_LOG", true, SCMP_ACT_LOG, false },
  { "SCMP_ACT_ERRNO", false, SCMP_ACT_ERRNO (0), true },
  { "SCMP_ACT_KILL", false, SCMP_ACT_KILL_THREAD, false },
  { "SCMP_ACT_KILL_THREAD", false, SCMP_ACT_KILL_THREAD, false },
  { "SCMP_ACT_KILL_PROCESS", false, SCMP_ACT_KILL_PROCESS, false },
  { "SCMP_ACT_TRAP", false, SCMP_ACT_TRAP, false },
  { "SCMP_ACT_TRACE", false, SCMP_ACT_TRACE (0), true },
  { "SCMP_ACT_NOTIFY", false, SCMP_ACT_NOTIFY, false },
};

static int
action_index (const struct json_value *v)
{
  for (size_t i = 0; v && i < ARRAY_SIZE (action_table); i++)
    if (json_is_string (v, action_table[i].oci))
      return (int) i;
  return -1;
}

bool
sysfilter_action_known (const struct json_value *v)
{
  return action_index (v) >= 0;
}

bool
sysfilter_action_allows (const struct json_value *v)
{
  int i = action_index (v);
  return i >= 0 && action_table[i].allows;
}

uint32_t
sysfilter_arch_token (const struct json_value *v)
{
  for (size_t i = 0; i < ARRAY_SIZE (arch_table); i++)
    if (json_is_string (v, arch_table[i].oci))
      return arch_table[i].token;
  return 0;
}

bool
sysfilter_op (const struct json_value *v, enum scmp_compare *op)
{
  for (size_t i = 0; i < ARRAY_SIZE (op_table); i++)
    if (json_is_string (v, op_table[i].oci))
      {
        *op = op_table[i].op;
        return true;
      }
  return false;
}

bool
sysfilter_name_known (const char *name)
{
  if (seccomp_syscall_resolve_name (name) != __NR_SCMP_ERROR)
    return true;
  for (size_t i = 0; i < ARRAY_SIZE (arch_table); i++)
    if (seccomp_syscall_resolve_name_arch (arch_table[i].token, name) != __NR_SCMP_ERROR)
      return true;
  return false;
}

uint32_t
sysfilter_action_value (const struct json_value *act, const struct json_value *eno)
{
  uint64_t e = 1; /* runc's default errno: EPERM */
  int i = action_index (act);

  if (i < 0)
    return SCMP_ACT_KILL_THREAD;
  if (!action_table[i].with_errno)
    return action_table[i].value;
  if (eno)
    parse_u64 (eno->u.str.s, eno->u.str.len, &e);
  return action_table[i].value | ((uint32_t) e & 0xffffu);
}
