/* SPDX-License-Identifier: Apache-2.0 */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "fileio.h"
#include "util.h"

struct option_def
{
  const char *name;  /* long name without dashes */
  const char *alias; /* short alias, or NULL */
  enum cli_kind kind;
};

/* runc 1.1's global options; help and version are urfave/cli's. */
static const struct option_def global_options[] = {
  { "debug", NULL, CLI_BOOL },   { "log", NULL, CLI_STRING },  { "log-format", NULL, CLI_STRING },
  { "root", NULL, CLI_STRING },  { "criu", NULL, CLI_STRING }, { "systemd-cgroup", NULL, CLI_BOOL },
  { "rootless", NULL, CLI_STRING }, { "help", "h", CLI_BOOL }, { "version", "v", CLI_BOOL },
  { NULL, NULL, CLI_BOOL },
};

static const struct option_def create_options[] = {
  { "bundle", "b", CLI_STRING },    { "console-socket", NULL, CLI_STRING }, { "pid-file", NULL, CLI_STRING },
  { "no-pivot", NULL, CLI_BOOL },   { "no-new-keyring", NULL, CLI_BOOL },   { "preserve-fds", NULL, CLI_INT },
  { "help", "h", CLI_BOOL },        { NULL, NULL, CLI_BOOL },
};

static const struct option_def run_options[] = {
  { "bundle", "b", CLI_STRING },    { "console-socket", NULL, CLI_STRING }, { "detach", "d", CLI_BOOL },
  { "keep", NULL, CLI_BOOL },       { "pid-file", NULL, CLI_STRING },       { "no-subreaper", NULL, CLI_BOOL },
  { "no-pivot", NULL, CLI_BOOL },   { "no-new-keyring", NULL, CLI_BOOL },   { "preserve-fds", NULL, CLI_INT },
  { "help", "h", CLI_BOOL },        { NULL, NULL, CLI_BOOL },
};

static const struct option_def exec_options[] = {
  { "console-socket", NULL, CLI_STRING }, { "cwd", NULL, CLI_STRING },          { "env", "e", CLI_STRINGS },
  { "tty", "t", CLI_BOOL },               { "user", "u", CLI_STRING },          { "additional-gids", "g", CLI_INT64S },
  { "process", "p", CLI_STRING },         { "detach", "d", CLI_BOOL },          { "pid-file", NULL, CLI_STRING },
  { "process-label", NULL, CLI_STRING },  { "apparmor", NULL, CLI_STRING },     { "no-new-privs", NULL, CLI_BOOL },
  { "cap", "c", CLI_STRINGS },            { "preserve-fds", NULL, CLI_INT },    { "cgroup", NULL, CLI_STRINGS },
  { "ignore-paused", NULL, CLI_BOOL },    { "help", "h", CLI_BOOL },            { NULL, NULL, CLI_BOOL },
};

static const struct option_def update_options[] = {
  { "resources", "r", CLI_STRING },        { "blkio-weight", NULL, CLI_INT },       { "cpu-period", NULL, CLI_STRING },
  { "cpu-quota", NULL, CLI_STRING },       { "cpu-share", NULL, CLI_STRING },       { "cpu-rt-period", NULL, CLI_STRING },
  { "cpu-rt-runtime", NULL, CLI_STRING },  { "cpuset-cpus", NULL, CLI_STRING },     { "cpuset-mems", NULL, CLI_STRING },
  { "kernel-memory", NULL, CLI_STRING },   { "kernel-memory-tcp", NULL, CLI_STRING }, { "memory", NULL, CLI_STRING },
  { "memory-reservation", NULL, CLI_STRING }, { "memory-swap", NULL, CLI_STRING }, { "pids-limit", NULL, CLI_INT },
  { "l3-cache-schema", NULL, CLI_STRING }, { "mem-bw-schema", NULL, CLI_STRING },  { "help", "h", CLI_BOOL },
  { NULL, NULL, CLI_BOOL },
};

static const struct option_def restore_options[] = {
  { "console-socket", NULL, CLI_STRING },   { "image-path", NULL, CLI_STRING },   { "work-path", NULL, CLI_STRING },
  { "tcp-established", NULL, CLI_BOOL },    { "ext-unix-sk", NULL, CLI_BOOL },    { "shell-job", NULL, CLI_BOOL },
  { "file-locks", NULL, CLI_BOOL },         { "manage-cgroups-mode", NULL, CLI_STRING }, { "bundle", "b", CLI_STRING },
  { "detach", "d", CLI_BOOL },              { "pid-file", NULL, CLI_STRING },     { "no-subreaper", NULL, CLI_BOOL },
  { "no-pivot", NULL, CLI_BOOL },           { "empty-ns", NULL, CLI_STRINGS },    { "auto-dedup", NULL, CLI_BOOL },
  { "lazy-pages", NULL, CLI_BOOL },         { "lsm-profile", NULL, CLI_STRING },  { "lsm-mount-context", NULL, CLI_STRING },
  { "help", "h", CLI_BOOL },                { NULL, NULL, CLI_BOOL },
};

static const struct
{
  const char *name;
  enum cli_command command;
  const struct option_def *options;
  bool reorder; /* urfave/cli moves options given after the arguments */
  bool one_arg; /* exactly one argument (the id); else at least one */
} hardened_commands[] = {
  { "create", CLI_CREATE, create_options, true, true },
  { "run", CLI_RUN, run_options, true, true },
  { "exec", CLI_EXEC, exec_options, false, false }, /* runc: SkipArgReorder */
  { "update", CLI_UPDATE, update_options, true, true },
  { "restore", CLI_RESTORE, restore_options, true, true },
};

/* ------------------------------------------------------------------ */
/* Go's strconv */

static int
lower (int c)
{
  return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

bool
cli_go_parse_bool (const char *s, bool *out)
{
  static const char *const yes[] = { "1", "t", "T", "TRUE", "true", "True" };
  static const char *const no[] = { "0", "f", "F", "FALSE", "false", "False" };

  for (size_t i = 0; i < 6; i++)
    {
      if (strcmp (s, yes[i]) == 0)
        {
          *out = true;
          return true;
        }
      if (strcmp (s, no[i]) == 0)
        {
          *out = false;
          return true;
        }
    }
  return false;
}

/* strconv's underscoreOK: "_" only between digits (a base prefix counts as
 * a digit). */
static bool
underscore_ok (const char *s)
{
  char saw = '^';
  size_t i = 0, n;
  bool hex = false;

  if (*s == '+' || *s == '-')
    s++;
  n = strlen (s);
  if (n >= 2 && s[0] == '0' && (lower (s[1]) == 'b' || lower (s[1]) == 'o' || lower (s[1]) == 'x'))
    {
      i = 2;
      saw = '0';
      hex = lower (s[1]) == 'x';
    }
  for (; i < n; i++)
    {
      if ((s[i] >= '0' && s[i] <= '9') || (hex && lower (s[i]) >= 'a' && lower (s[i]) <= 'f'))
        {
          saw = '0';
          continue;
        }
      if (s[i] == '_')
        {
          if (saw != '0')
            return false;
          saw = '_';
          continue;
        }
      if (saw == '_')
        return false;
      saw = '!';
    }
  return saw != '_';
}

/* strconv.ParseUint (S, BASE, 64), BASE 0 or 10 */
static bool
go_parse_uint (const char *s0, int base, uint64_t *out)
{
  const char *s = s0;
  bool base0 = base == 0, underscores = false;
  size_t n = strlen (s);
  uint64_t v = 0;

  if (n == 0)
    return false;
  if (base0)
    {
      base = 10;
      if (s[0] == '0')
        {
          if (n >= 3 && lower (s[1]) == 'b')
            base = 2, s += 2;
          else if (n >= 3 && lower (s[1]) == 'o')
            base = 8, s += 2;
          else if (n >= 3 && lower (s[1]) == 'x')
            base = 16, s += 2;
          else
            base = 8, s += 1;
        }
    }
  for (; *s; s++)
    {
      int c = lower ((unsigned char) *s), d;
      if (c == '_' && base0)
        {
          underscores = true;
          continue;
        }
      if (c >= '0' && c <= '9')
        d = c - '0';
      else if (c >= 'a' && c <= 'z')
        d = c - 'a' + 10;
      else
        return false;
      if (d >= base)
        return false;
      if (v > (UINT64_MAX - (uint64_t) d) / (uint64_t) base)
        return false; /* out of range */
      v = v * (uint64_t) base + (uint64_t) d;
    }
  if (underscores && !underscore_ok (s0))
    return false;
  *out = v;
  return true;
}

bool
cli_go_parse_uint (const char *s, uint64_t *out)
{
  return go_parse_uint (s, 10, out);
}

bool
cli_go_parse_int (const char *s, int base, int64_t *out)
{
  bool neg = false;
  uint64_t u;

  if (*s == '+')
    s++;
  else if (*s == '-')
    neg = true, s++;
  if (!go_parse_uint (s, base, &u))
    return false;
  if (!neg && u > (uint64_t) INT64_MAX)
    return false;
  if (neg && u > (uint64_t) INT64_MAX + 1)
    return false;
  *out = neg ? (u == (uint64_t) INT64_MAX + 1 ? INT64_MIN : -(int64_t) u) : (int64_t) u;
  return true;
}

/* go-units 0.4 RAMInBytes: ^(\d+(\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$, the
 * number through ParseFloat, times the binary unit, truncated to int64. */
bool
cli_go_ram_in_bytes (const char *s, int64_t *out)
{
  const char *p = s, *num_end;
  cleanup_free char *num = NULL;
  double size, mult = 1;
  int dots = 0;
  char *end;

  if (!(*p >= '0' && *p <= '9'))
    return false;
  while (*p >= '0' && *p <= '9')
    p++;
  while (p[0] == '.' && p[1] >= '0' && p[1] <= '9')
    {
      dots++;
      p++;
      while (*p >= '0' && *p <= '9')
        p++;
    }
  num_end = p;
  if (*p == ' ')
    p++;
  if (*p && strchr ("kKmMgGtTpP", *p))
    {
      mult = (double) size_suffix (*p);
      p++;
    }
  if (*p == 'i' || *p == 'I')
    p++;
  if (*p == 'b' || *p == 'B')
    p++;
  if (*p != '\0' || dots > 1) /* no match; or ParseFloat fails on "1.2.3" */
    return false;
  num = xstrndup (s, (size_t) (num_end - s));
  errno = 0;
  size = strtod (num, &end);
  if (errno == ERANGE || *end != '\0' || isinf (size))
    return false;
  size *= mult;
  if (!(size < 9223372036854775808.0))
    return false;
  *out = (int64_t) size;
  return true;
}

/* ------------------------------------------------------------------ */
/* the model */

static char *
own (struct runc_cli *cli, char *s)
{
  cli->owned = xreallocarray (cli->owned, cli->n_owned + 1, sizeof *cli->owned);
  cli->owned[cli->n_owned++] = s;
  return s;
}

static const struct option_def *
find_def (const struct option_def *defs, const char *name, size_t len)
{
  for (const struct option_def *d = defs; d->name; d++)
    if ((strlen (d->name) == len && strncmp (d->name, name, len) == 0)
        || (d->alias && strlen (d->alias) == len && strncmp (d->alias, name, len) == 0))
      return d;
  return NULL;
}

static const struct option_def *
command_defs (enum cli_command command)
{
  for (size_t k = 0; k < sizeof hardened_commands / sizeof hardened_commands[0]; k++)
    if (hardened_commands[k].command == command)
      return hardened_commands[k].options;
  return NULL;
}

/* Record VALUE for option D in LIST: scalars replace, slices append. */
static void
list_put (struct cli_option **list, size_t *n, const struct option_def *d, const struct cli_option *value)
{
  if (d->kind != CLI_STRINGS && d->kind != CLI_INT64S)
    for (size_t i = 0; i < *n; i++)
      if (strcmp ((*list)[i].name, d->name) == 0)
        {
          (*list)[i] = *value;
          return;
        }
  *list = xreallocarray (*list, *n + 1, sizeof **list);
  (*list)[(*n)++] = *value;
}

/* Go's flag.Value.Set for option D, as urfave/cli declares it. */
static int
set_value (struct runc_cli *cli, struct cli_option **list, size_t *n, const struct option_def *d, const char *flag,
           const char *value, const char *where, hr_err *err)
{
  struct cli_option o = { .name = d->name, .kind = d->kind, .value = value };

  switch (d->kind)
    {
    case CLI_BOOL:
      if (!cli_go_parse_bool (value, &o.on))
        return hr_error_set (err, HR_ERR_USAGE, 0,
                             "invalid boolean value \"%s\" for %s%s (runc takes 1, t, T, TRUE, true, True, 0, f, F, "
                             "FALSE, false or False)",
                             value, flag, where);
      o.value = o.on ? "true" : "false";
      break;
    case CLI_INT:
    case CLI_INT64S:
      if (!cli_go_parse_int (value, d->kind == CLI_INT ? 0 : 10, &o.number))
        return hr_error_set (err, HR_ERR_USAGE, 0, "invalid value \"%s\" for %s%s: not a%s integer runc accepts",
                             value, flag, where, d->kind == CLI_INT ? " 64-bit" : " decimal 64-bit");
      o.value = own (cli, xasprintf ("%lld", (long long) o.number));
      break;
    case CLI_STRING:
    case CLI_STRINGS:
    default:
      break;
    }
  list_put (list, n, d, &o);
  return 0;
}

/* Go's FlagSet.Parse over ARGS[0..N) with DEFS, then urfave/cli's
 * normalizeFlags.  *CONSUMED is where the arguments start. */
static int
go_flag_parse (struct runc_cli *cli, const struct option_def *defs, char **args, size_t n, const char *where,
               struct cli_option **list, size_t *n_list, size_t *consumed, bool *shim_tokens, hr_err *err)
{
  bool *long_used = NULL, *alias_used = NULL;
  size_t ndefs = 0, i = 0;
  int ret = -1;

  while (defs[ndefs].name)
    ndefs++;
  long_used = xcalloc (ndefs + 1, sizeof *long_used);
  alias_used = xcalloc (ndefs + 1, sizeof *alias_used);

  while (i < n)
    {
      const char *s = args[i], *name, *eq, *value = NULL;
      size_t namelen;
      const struct option_def *d;

      if (strlen (s) < 2 || s[0] != '-')
        break; /* the first argument */
      if (strcmp (s, "--") == 0)
        {
          i++;
          break;
        }
      name = s + (s[1] == '-' ? 2 : 1);
      if (name[0] == '\0' || name[0] == '-' || name[0] == '=')
        {
          hr_error_set (err, HR_ERR_USAGE, 0, "bad option syntax \"%s\"%s (runc refuses it)", s, where);
          goto out;
        }
      i++;
      eq = strchr (name + 1, '=');
      namelen = eq ? (size_t) (eq - name) : strlen (name);
      if (eq)
        value = eq + 1;

      if (shim_tokens
          && ((namelen == 6 && strncmp (name, "policy", 6) == 0) || (namelen == 7 && strncmp (name, "profile", 7) == 0)))
        {
          shim_tokens[i - 1] = true;
          if (value == NULL)
            {
              if (i >= n)
                {
                  hr_error_set (err, HR_ERR_USAGE, 0, "option \"%s\" needs a value", s);
                  goto out;
                }
              shim_tokens[i] = true;
              value = args[i++];
            }
          if (value[0] == '\0')
            {
              hr_error_set (err, HR_ERR_USAGE, 0, "option \"%s\" needs a non-empty value", s);
              goto out;
            }
          if (namelen == 6)
            cli->policy_path = value;
          else
            cli->profile = value;
          continue;
        }

      d = find_def (defs, name, namelen);
      if (d == NULL && where[0] == '\0')
        {
          hr_error_set (err, HR_ERR_USAGE, 0,
                        "unknown runc global option \"%s\"; refusing rather than guessing the subcommand", s);
          goto out;
        }
      if (d == NULL)
        {
          hr_error_set (err, HR_ERR_USAGE, 0, "unknown option \"%s\"%s; refusing rather than guessing what it means", s,
                        where);
          goto out;
        }
      if (strlen (d->name) == namelen && strncmp (d->name, name, namelen) == 0)
        long_used[d - defs] = true;
      else
        alias_used[d - defs] = true;
      if (d->kind == CLI_BOOL && value == NULL)
        value = "true";
      else if (value == NULL)
        {
          /* Go: the next argument is the value, whatever it looks like */
          if (i >= n)
            {
              hr_error_set (err, HR_ERR_USAGE, 0, "option \"%s\"%s needs a value", s, where);
              goto out;
            }
          value = args[i++];
        }
      if (set_value (cli, list, n_list, d, s, value, where, err) < 0)
        goto out;
    }

  /* urfave/cli: an option and its alias may not both be given */
  for (size_t k = 0; k < ndefs; k++)
    if (long_used[k] && alias_used[k])
      {
        hr_error_set (err, HR_ERR_USAGE, 0, "both --%s and -%s given%s; runc refuses two forms of the same option",
                      defs[k].name, defs[k].alias, where);
        goto out;
      }
  *consumed = i;
  ret = 0;
out:
  free (long_used);
  free (alias_used);
  return ret;
}

/* urfave/cli v1.22.1's reorderArgs: every token starting with "-" moves to
 * the front, with the token after it when that one does not start with
 * "-" and the option had no "="; from "--" on nothing moves. */
static char **
reorder (char **args, size_t n)
{
  char **flags = xcalloc (n + 1, sizeof *flags), **rest = xcalloc (n + 1, sizeof *rest);
  size_t nf = 0, nr = 0;
  bool read_value = false;

  for (size_t i = 0; i < n; i++)
    {
      const char *a = args[i];
      if (strcmp (a, "--") == 0)
        {
          while (i < n)
            rest[nr++] = args[i++];
          break;
        }
      if (read_value && a[0] != '-')
        {
          read_value = false;
          flags[nf++] = args[i];
          continue;
        }
      read_value = false;
      if (strcmp (a, "-") != 0 && a[0] == '-')
        {
          flags[nf++] = args[i];
          read_value = strchr (a, '=') == NULL;
        }
      else
        rest[nr++] = args[i];
    }
  memcpy (flags + nf, rest, nr * sizeof *rest);
  free (rest);
  return flags;
}

static const struct cli_option *
list_find (const struct cli_option *list, size_t n, const char *name)
{
  const struct cli_option *found = NULL;
  for (size_t i = 0; i < n; i++)
    if (strcmp (list[i].name, name) == 0)
      found = &list[i];
  return found;
}

static void
set_argv (struct runc_cli *cli, char *argv0, const char *const *tokens)
{
  size_t n = 0;
  while (tokens[n])
    n++;
  free (cli->argv);
  cli->argv = xcalloc (n + 2, sizeof *cli->argv);
  cli->argv[0] = argv0;
  for (size_t i = 0; i < n; i++)
    cli->argv[i + 1] = (char *) tokens[i];
  cli->argc = n + 1;
}

static int
parse_subcommand (struct runc_cli *cli, char **tail, size_t n, size_t k, hr_err *err)
{
  cleanup_free char **args = hardened_commands[k].reorder ? reorder (tail, n) : NULL;
  cleanup_free char *where = xasprintf (" for \"%s\"", cli->subcommand);
  const struct cli_option *o;
  size_t first = 0, positional;

  if (go_flag_parse (cli, hardened_commands[k].options, args ? args : tail, n, where, &cli->options, &cli->n_options,
                     &first, false, err)
      < 0)
    return -1;
  if (args == NULL)
    {
      args = xcalloc (n + 1, sizeof *args);
      memcpy (args, tail, n * sizeof *tail);
    }

  o = list_find (cli->options, cli->n_options, "help");
  if (o && o->on)
    {
      /* runc prints the subcommand's help and does nothing else */
      const char *tokens[] = { cli->subcommand, "--help", NULL };
      cli->help = true;
      cli->command = CLI_PASSTHROUGH;
      set_argv (cli, cli->argv[0], tokens);
      return 0;
    }

  positional = n - first;
  if (positional == 0 || (hardened_commands[k].one_arg && positional != 1))
    return hr_error_set (err, HR_ERR_USAGE, 0, "\"%s\" needs exactly one container id, got %zu", cli->subcommand,
                         positional);
  cli->container_id = args[first];
  cli->n_args = positional - 1;
  cli->args = xcalloc (cli->n_args + 1, sizeof *cli->args);
  memcpy (cli->args, args + first + 1, cli->n_args * sizeof *cli->args);

  o = list_find (cli->options, cli->n_options, "bundle");
  if (o)
    {
      if (o->value[0] == '\0')
        return hr_error_set (err, HR_ERR_USAGE, 0, "empty --bundle");
      cli->bundle = o->value;
    }
  return 0;
}

/* The file NAME is as Go's exec.LookPath finds it (runc starts criu that
 * way): itself when it holds a slash, else the first executable regular
 * file NAME in PATH.  False when there is none. */
static bool
look_path (const char *name, struct stat *st)
{
  const char *env = getenv ("PATH");
  cleanup_free char *dirs = NULL;
  char *save = NULL;

  if (strchr (name, '/'))
    return stat (name, st) == 0 && S_ISREG (st->st_mode);
  dirs = xstrdup (env ? env : "");
  for (char *d = strtok_r (dirs, ":", &save); d; d = strtok_r (NULL, ":", &save))
    {
      cleanup_free char *candidate = xasprintf ("%s/%s", *d ? d : ".", name);
      if (stat (candidate, st) == 0 && S_ISREG (st->st_mode) && access (candidate, X_OK) == 0)
        return true;
    }
  return false;
}

/* runc's --criu names the program runc runs as root for checkpoint and
 * restore ("criu swrk"): only the criu runc finds by itself may be named,
 * else any caller runs any program as root on the host. */
static int
criu_check (const char *value, hr_err *err)
{
  struct stat want, got;

  if (look_path (value, &got) && look_path ("criu", &want) && got.st_dev == want.st_dev && got.st_ino == want.st_ino)
    return 0;
  return hr_error_set (err, HR_ERR_FORBIDDEN, 0,
                       "refused: --criu %s names the program runc runs as root for checkpoint and restore, and it "
                       "is not the criu runc finds by itself; leave --criu out",
                       value);
}

/* runc's --root holds the state runc acts on for every subcommand: the
 * init pid it signals (kill, delete), the namespaces exec joins, the
 * cgroups it changes.  A directory another user can write lets them name
 * any host process there, so it is trusted like the policy. */
static int
root_dir_check (const char *value, hr_err *err)
{
  struct stat st;

  if (stat (value, &st) == 0 ? file_check_trusted (value, err) == 0 : file_check_no_other_creator (value, err) == 0)
    return 0;
  return hr_error_prefix (err, "refused: --root %s holds runc's state, which must be root's", value);
}

/* What may stand at a --log path that exists: runc opens it (as root,
 * following links, O_APPEND|O_CREAT) and writes lines holding text from
 * the caller (a bundle path, an id), and so does the shim on failure. */
static bool
log_target_ok (const char *path, const struct stat *st)
{
  struct stat fd_st, again;
  cleanup_close int fd = -1;
  char head[16];
  ssize_t n;

  if (S_ISFIFO (st->st_mode))
    return true;
  if (S_ISCHR (st->st_mode))
    {
      if (st->st_rdev == makedev (1, 3)) /* /dev/null */
        return true;
      for (int i = 1; i <= 2; i++)
        if (fstat (i, &fd_st) == 0 && fd_st.st_dev == st->st_dev && fd_st.st_ino == st->st_ino)
          return true;
      return false;
    }
  if (!S_ISREG (st->st_mode))
    return false;
  /* a runc log: empty, or runc's lines (text or json format) */
  fd = open (path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0 || fstat (fd, &again) < 0 || again.st_dev != st->st_dev || again.st_ino != st->st_ino)
    return false;
  if (again.st_size == 0)
    return true;
  n = read (fd, head, sizeof head);
  return (n >= 6 && memcmp (head, "time=\"", 6) == 0) || (n >= 10 && memcmp (head, "{\"level\":\"", 10) == 0);
}

/* runc's --log FILE, as root: an existing FILE must be a runc log (empty
 * or runc's lines), a pipe, /dev/null or the shim's own stdout/stderr;
 * a new FILE may be made only in a bundle directory, one holding a
 * config.json (containerd's BUNDLE/log.json, for every subcommand).
 * Anywhere else runc would create a root-owned file of the caller's text:
 * /etc/profile.d/x.sh runs a "$(...)" in it at the next root login,
 * /etc/ld.so.preload loads a path in it into every program. */
static int
log_file_check (const char *path, hr_err *err)
{
  struct stat st, dir, config;
  cleanup_free char *parent = NULL;
  const char *slash;

  if (strcmp (path, "/dev/stderr") == 0) /* the shim and runc write stderr */
    return 0;
  if (stat (path, &st) == 0)
    {
      if (log_target_ok (path, &st))
        return 0;
      return hr_error_set (err, HR_ERR_FORBIDDEN, 0,
                           "refused: --log %s exists and is not a runc log (empty, or runc's lines), a pipe or "
                           "/dev/null; runc would append lines of the caller's text to it as root",
                           path);
    }
  /* a dangling link: runc's O_CREAT would make the file it names */
  if (errno == ENOENT && lstat (path, &st) == 0)
    return hr_error_set (err, HR_ERR_FORBIDDEN, 0,
                         "refused: --log %s is a link to nothing; runc would create the file it names, as root", path);
  if (errno == ENOENT)
    {
      slash = strrchr (path, '/');
      parent = slash ? xstrndup (path, slash == path ? 1 : (size_t) (slash - path)) : xstrdup (".");
      if (stat (parent, &dir) < 0 && errno == ENOENT)
        return 0; /* runc cannot create it: it fails, as the shim does */
      {
        cleanup_free char *cfg = xasprintf ("%s/config.json", parent);
        if (lstat (cfg, &config) == 0)
          return 0;
      }
    }
  return hr_error_set (err, HR_ERR_FORBIDDEN, 0,
                       "refused: --log %s does not exist and is not in a bundle directory (one holding a "
                       "config.json); runc would create it as root with lines of the caller's text (name the "
                       "bundle's log.json, or an existing runc log)",
                       path);
}

int
cli_parse (int argc, char **argv, struct runc_cli *out, hr_err *err)
{
  struct runc_cli cli = { 0 };
  cleanup_free bool *shim_tokens = NULL;
  const struct cli_option *o;
  size_t first = 0, n = argc > 1 ? (size_t) argc - 1 : 0;
  int ret = 0;

  cli.argv = xcalloc ((size_t) argc + 1, sizeof (char *));
  cli.argv[cli.argc++] = argv[0];
  cli.log_format = "text";

  shim_tokens = xcalloc (n + 1, sizeof *shim_tokens);
  ret = go_flag_parse (&cli, global_options, argv + 1, n, "", &cli.globals, &cli.n_globals, &first, shim_tokens, err);
  /* what was parsed (the --log file above all) is handed back even on
   * failure so the caller can report where runc's caller looks */
  if ((o = list_find (cli.globals, cli.n_globals, "log")) != NULL)
    cli.log_path = o->value;
  if ((o = list_find (cli.globals, cli.n_globals, "log-format")) != NULL)
    cli.log_format = o->value;
  if ((o = list_find (cli.globals, cli.n_globals, "root")) != NULL)
    cli.root = o->value;
  if (ret < 0)
    goto out;
  if ((o = list_find (cli.globals, cli.n_globals, "criu")) != NULL && (ret = criu_check (o->value, err)) < 0)
    goto out;
  if (cli.root && (ret = root_dir_check (cli.root, err)) < 0)
    goto out;

  /* passthrough: the caller's tokens, the shim's options left out */
  for (size_t j = 0; j < n; j++)
    if (!shim_tokens[j])
      cli.argv[cli.argc++] = argv[j + 1];

  o = list_find (cli.globals, cli.n_globals, "help");
  if (o && o->on)
    {
      const char *tokens[] = { "--help", NULL };
      cli.help = true;
      set_argv (&cli, argv[0], tokens);
      goto out;
    }
  o = list_find (cli.globals, cli.n_globals, "version");
  if (o && o->on)
    {
      const char *tokens[] = { "--version", NULL };
      cli.version = true;
      set_argv (&cli, argv[0], tokens);
      goto out;
    }

  if (first < n)
    {
      cli.subcommand = argv[1 + first];
      for (size_t k = 0; k < sizeof hardened_commands / sizeof hardened_commands[0]; k++)
        if (strcmp (cli.subcommand, hardened_commands[k].name) == 0)
          {
            cli.command = hardened_commands[k].command;
            ret = parse_subcommand (&cli, argv + 2 + first, n - first - 1, k, err);
            break;
          }
    }

out:
  /* the shim writes its error there too: only once judged */
  if (cli.log_path && cli.log_path[0] && !cli.help && !cli.version)
    {
      hr_err lerr = NULL;
      if (log_file_check (cli.log_path, &lerr) < 0)
        {
          cli.log_path = NULL;
          if (ret == 0)
            {
              *err = lerr;
              ret = -1;
            }
          else
            hr_error_free (lerr);
        }
    }
  cli.argv[cli.argc] = NULL;
  *out = cli;
  return ret;
}

void
cli_release (struct runc_cli *cli)
{
  for (size_t i = 0; i < cli->n_owned; i++)
    free (cli->owned[i]);
  free (cli->owned);
  free (cli->options);
  free (cli->globals);
  free (cli->args);
  free (cli->argv);
  memset (cli, 0, sizeof *cli);
}

const struct cli_option *
cli_find (const struct runc_cli *cli, const char *name)
{
  return list_find (cli->options, cli->n_options, name);
}

static const struct option_def *
def_of (const struct runc_cli *cli, const char *name)
{
  const struct option_def *defs = command_defs (cli->command), *d;
  d = defs ? find_def (defs, name, strlen (name)) : NULL;
  if (d == NULL)
    abort (); /* a programming error: the shim sets only options runc has */
  return d;
}

void
cli_set (struct runc_cli *cli, const char *name, const char *value)
{
  const struct option_def *d = def_of (cli, name);
  struct cli_option o = { .name = d->name, .kind = d->kind, .value = own (cli, xstrdup (value)) };
  if (d->kind == CLI_INT || d->kind == CLI_INT64S)
    {
      if (!cli_go_parse_int (value, 10, &o.number))
        abort ();
    }
  list_put (&cli->options, &cli->n_options, d, &o);
}

void
cli_set_bool (struct runc_cli *cli, const char *name, bool on)
{
  const struct option_def *d = def_of (cli, name);
  struct cli_option o = { .name = d->name, .kind = CLI_BOOL, .value = on ? "true" : "false", .on = on };
  list_put (&cli->options, &cli->n_options, d, &o);
}

void
cli_remove (struct runc_cli *cli, const char *name)
{
  size_t j = 0;
  for (size_t i = 0; i < cli->n_options; i++)
    if (strcmp (cli->options[i].name, name) != 0)
      cli->options[j++] = cli->options[i];
  cli->n_options = j;
}

void
cli_drop_args (struct runc_cli *cli)
{
  cli->n_args = 0;
}

static void
emit (struct runc_cli *cli, size_t *n, const struct cli_option *o)
{
  if (o->kind == CLI_BOOL)
    {
      if (o->on)
        cli->argv[(*n)++] = own (cli, xasprintf ("--%s", o->name));
      return;
    }
  cli->argv[(*n)++] = own (cli, xasprintf ("--%s=%s", o->name, o->value));
}

void
cli_build_argv (struct runc_cli *cli)
{
  char *argv0 = cli->argv[0];
  size_t n = 0;

  free (cli->argv);
  cli->argv = xcalloc (cli->n_globals + cli->n_options + cli->n_args + 5, sizeof *cli->argv);
  cli->argv[n++] = argv0;
  for (size_t i = 0; i < cli->n_globals; i++)
    emit (cli, &n, &cli->globals[i]);
  cli->argv[n++] = (char *) cli->subcommand;
  for (size_t i = 0; i < cli->n_options; i++)
    emit (cli, &n, &cli->options[i]);
  /* the id may start with "-"; exec's command may too */
  cli->argv[n++] = (char *) "--";
  cli->argv[n++] = (char *) cli->container_id;
  for (size_t i = 0; i < cli->n_args; i++)
    cli->argv[n++] = cli->args[i];
  cli->argv[n] = NULL;
  cli->argc = n;
}
