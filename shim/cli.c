/* SPDX-License-Identifier: Apache-2.0 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

struct option_def
{
  const char *name;  /* long name without dashes */
  const char *alias; /* short alias, or NULL */
  bool takes_value;
};

/* runc's global options (runc 1.0-1.2). */
static const struct option_def global_options[] = {
  { "debug", NULL, false },   { "log", NULL, true },     { "log-format", NULL, true },
  { "root", NULL, true },     { "criu", NULL, true },    { "systemd-cgroup", NULL, false },
  { "rootless", NULL, true }, { "help", "h", false },    { "version", "v", false },
  { NULL, NULL, false },
};

static const struct option_def create_options[] = {
  { "bundle", "b", true },      { "console-socket", NULL, true }, { "pid-file", NULL, true },
  { "no-pivot", NULL, false },  { "no-new-keyring", NULL, false }, { "preserve-fds", NULL, true },
  { "help", "h", false },       { NULL, NULL, false },
};

static const struct option_def run_options[] = {
  { "bundle", "b", true },         { "console-socket", NULL, true }, { "pid-file", NULL, true },
  { "no-pivot", NULL, false },     { "no-new-keyring", NULL, false }, { "preserve-fds", NULL, true },
  { "detach", "d", false },        { "keep", NULL, false },          { "no-subreaper", NULL, false },
  { "help", "h", false },          { NULL, NULL, false },
};

static const struct option_def exec_options[] = {
  { "console-socket", NULL, true }, { "cwd", NULL, true },           { "env", "e", true },
  { "tty", "t", false },            { "user", "u", true },           { "additional-gids", "g", true },
  { "process", "p", true },         { "detach", "d", false },        { "pid-file", NULL, true },
  { "process-label", NULL, true },  { "apparmor", NULL, true },      { "no-new-privs", NULL, false },
  { "cap", "c", true },             { "preserve-fds", NULL, true },  { "ignore-paused", NULL, false },
  { "cgroup", NULL, true },         { "help", "h", false },          { NULL, NULL, false },
};

static const struct option_def update_options[] = {
  { "resources", "r", true },       { "blkio-weight", NULL, true },    { "cpu-period", NULL, true },
  { "cpu-quota", NULL, true },      { "cpu-share", NULL, true },       { "cpu-rt-period", NULL, true },
  { "cpu-rt-runtime", NULL, true }, { "cpuset-cpus", NULL, true },     { "cpuset-mems", NULL, true },
  { "kernel-memory", NULL, true },  { "kernel-memory-tcp", NULL, true }, { "memory", NULL, true },
  { "memory-reservation", NULL, true }, { "memory-swap", NULL, true }, { "pids-limit", NULL, true },
  { "l3-cache-schema", NULL, true }, { "mem-bw-schema", NULL, true },  { "help", "h", false },
  { NULL, NULL, false },
};

/* runc 1.1's restore. */
static const struct option_def restore_options[] = {
  { "console-socket", NULL, true },  { "image-path", NULL, true },   { "work-path", NULL, true },
  { "tcp-established", NULL, false }, { "ext-unix-sk", NULL, false }, { "shell-job", NULL, false },
  { "file-locks", NULL, false },      { "manage-cgroups-mode", NULL, true }, { "bundle", "b", true },
  { "detach", "d", false },           { "pid-file", NULL, true },     { "no-subreaper", NULL, false },
  { "no-pivot", NULL, false },        { "empty-ns", NULL, true },     { "auto-dedup", NULL, false },
  { "lazy-pages", NULL, false },      { "lsm-profile", NULL, true },  { "lsm-mount-context", NULL, true },
  { "help", "h", false },             { NULL, NULL, false },
};

static const struct
{
  const char *name;
  enum cli_command command;
  const struct option_def *options;
  bool reorder; /* urfave/cli moves options given after the arguments */
} hardened_commands[] = {
  { "create", CLI_CREATE, create_options, true },
  { "run", CLI_RUN, run_options, true },
  { "exec", CLI_EXEC, exec_options, false }, /* runc: SkipArgReorder */
  { "update", CLI_UPDATE, update_options, true },
  { "restore", CLI_RESTORE, restore_options, true },
};

/* A token that looks like an option: "-x", "--x", "-x=v", "--x=v".  Go's
 * flag package accepts one or two dashes. */
static bool
split_option (const char *tok, const char **name, size_t *namelen, const char **value)
{
  const char *eq;

  if (tok[0] != '-' || tok[1] == '\0')
    return false;
  tok += tok[1] == '-' ? 2 : 1;
  if (*tok == '\0' || *tok == '-' || *tok == '=')
    return false;
  eq = strchr (tok, '=');
  *name = tok;
  *namelen = eq ? (size_t) (eq - tok) : strlen (tok);
  *value = eq ? eq + 1 : NULL;
  return true;
}

static const struct option_def *
find_option (const struct option_def *defs, const char *name, size_t len)
{
  for (const struct option_def *d = defs; d->name; d++)
    if ((strlen (d->name) == len && strncmp (d->name, name, len) == 0)
        || (d->alias && strlen (d->alias) == len && strncmp (d->alias, name, len) == 0))
      return d;
  return NULL;
}

/* Parse the subcommand's options; FIRST is the argv index after the
 * subcommand.  "--" ends options. */
static int
parse_subcommand (struct runc_cli *cli, const struct option_def *defs, bool reorder, size_t first, hr_err *err)
{
  size_t positional = 0;
  bool only_args = false;

  cli->options = xcalloc (cli->argc + 1, sizeof *cli->options);
  for (size_t i = first; i < cli->argc; i++)
    {
      const char *tok = cli->argv[i], *name, *value;
      size_t namelen, value_index = i;
      const struct option_def *d;
      bool inline_value;

      if (!only_args && strcmp (tok, "--") == 0)
        {
          only_args = true;
          continue;
        }
      if (only_args || !split_option (tok, &name, &namelen, &value))
        {
          if (positional++ == 0)
            {
              cli->container_id = tok;
              cli->container_id_index = i;
            }
          if (!reorder)
            break; /* exec: the rest is the command to run */
          continue;
        }
      d = find_option (defs, name, namelen);
      if (d == NULL)
        return hr_error_set (err, HR_ERR_USAGE, 0,
                             "unknown option \"%s\" for \"%s\"; refusing rather than guessing what it means", tok,
                             cli->subcommand);
      inline_value = value != NULL;
      if (d->takes_value && value == NULL)
        {
          if (i + 1 >= cli->argc)
            return hr_error_set (err, HR_ERR_USAGE, 0, "option \"%s\" of \"%s\" needs a value", tok, cli->subcommand);
          value_index = ++i;
          value = cli->argv[i];
        }
      if (strcmp (d->name, "help") == 0)
        {
          /* runc prints help and does nothing: nothing to harden. */
          cli->command = CLI_PASSTHROUGH;
          return 0;
        }
      cli->options[cli->n_options++] = (struct cli_option){
        .name = d->name,
        .value = d->takes_value ? value : NULL,
        .value_index = value_index,
        .inline_value = inline_value,
      };
      if (strcmp (d->name, "bundle") == 0)
        {
          if (value[0] == '\0')
            return hr_error_set (err, HR_ERR_USAGE, 0, "empty --bundle");
          cli->bundle = value;
        }
    }
  if (positional == 0 || (reorder && positional != 1))
    return hr_error_set (err, HR_ERR_USAGE, 0, "\"%s\" needs exactly one container id, got %zu", cli->subcommand,
                         positional);
  return 0;
}

int
cli_parse (int argc, char **argv, struct runc_cli *out, hr_err *err)
{
  struct runc_cli cli = { 0 };
  size_t i;
  int ret = 0;

  cli.argv = xcalloc ((size_t) argc + 1 + CLI_SPARE_ARGS, sizeof (char *));
  cli.argv[cli.argc++] = argv[0];
  cli.log_format = "text";

  for (i = 1; i < (size_t) argc; i++)
    {
      const char *tok = argv[i], *name, *value;
      size_t namelen;
      const struct option_def *d;

      if (!split_option (tok, &name, &namelen, &value))
        break;

      /* The shim's own options. */
      if ((namelen == 6 && strncmp (name, "policy", 6) == 0) || (namelen == 7 && strncmp (name, "profile", 7) == 0))
        {
          bool is_policy = namelen == 6;
          if (value == NULL)
            {
              if (i + 1 >= (size_t) argc)
                {
                  ret = hr_error_set (err, HR_ERR_USAGE, 0, "option \"%s\" needs a value", tok);
                  goto out;
                }
              value = argv[++i];
            }
          if (value[0] == '\0')
            {
              ret = hr_error_set (err, HR_ERR_USAGE, 0, "option \"%s\" needs a non-empty value", tok);
              goto out;
            }
          if (is_policy)
            cli.policy_path = value;
          else
            cli.profile = value;
          continue;
        }

      d = find_option (global_options, name, namelen);
      if (d == NULL)
        {
          ret = hr_error_set (err, HR_ERR_USAGE, 0,
                              "unknown runc global option \"%s\"; refusing rather than guessing the subcommand", tok);
          goto out;
        }
      cli.argv[cli.argc++] = argv[i];
      if (d->takes_value && value == NULL)
        {
          if (i + 1 >= (size_t) argc)
            {
              ret = hr_error_set (err, HR_ERR_USAGE, 0, "option \"%s\" needs a value", tok);
              goto out;
            }
          value = argv[++i];
          cli.argv[cli.argc++] = argv[i];
        }
      if (strcmp (d->name, "log") == 0)
        cli.log_path = value;
      else if (strcmp (d->name, "log-format") == 0)
        cli.log_format = value;
      else if (strcmp (d->name, "root") == 0)
        cli.root = value;
    }

  if (i < (size_t) argc)
    {
      cli.subcommand_index = cli.argc;
      cli.subcommand = argv[i];
      for (; i < (size_t) argc; i++)
        cli.argv[cli.argc++] = argv[i];
      for (size_t k = 0; k < sizeof hardened_commands / sizeof hardened_commands[0]; k++)
        if (strcmp (cli.subcommand, hardened_commands[k].name) == 0)
          {
            cli.command = hardened_commands[k].command;
            ret = parse_subcommand (&cli, hardened_commands[k].options, hardened_commands[k].reorder,
                                    cli.subcommand_index + 1, err);
            break;
          }
    }

out:
  /* What was parsed (the --log file above all) is handed back even on
   * failure so the caller can report where runc's caller looks. */
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
  free (cli->argv);
  memset (cli, 0, sizeof *cli);
}

const struct cli_option *
cli_find (const struct runc_cli *cli, const char *name)
{
  const struct cli_option *found = NULL;
  for (size_t i = 0; i < cli->n_options; i++)
    if (strcmp (cli->options[i].name, name) == 0)
      found = &cli->options[i];
  return found;
}

static char *
own (struct runc_cli *cli, char *s)
{
  cli->owned = xreallocarray (cli->owned, cli->n_owned + 1, sizeof *cli->owned);
  cli->owned[cli->n_owned++] = s;
  return s;
}

void
cli_set_value (struct runc_cli *cli, const struct cli_option *opt, const char *value)
{
  char *tok = opt->inline_value ? xasprintf ("--%s=%s", opt->name, value) : xstrdup (value);
  cli->argv[opt->value_index] = own (cli, tok);
  ((struct cli_option *) opt)->value = value;
}

static void
shift_indexes (struct runc_cli *cli, size_t from, long delta)
{
  for (size_t i = 0; i < cli->n_options; i++)
    if (cli->options[i].value_index >= from)
      cli->options[i].value_index = (size_t) ((long) cli->options[i].value_index + delta);
  if (cli->container_id_index >= from)
    cli->container_id_index = (size_t) ((long) cli->container_id_index + delta);
}

void
cli_insert_before_id (struct runc_cli *cli, const char *token)
{
  size_t at = cli->container_id_index;
  memmove (cli->argv + at + 1, cli->argv + at, (cli->argc - at + 1) * sizeof *cli->argv);
  cli->argv[at] = own (cli, xstrdup (token));
  cli->argc++;
  shift_indexes (cli, at, 1);
}

void
cli_remove_option (struct runc_cli *cli, const struct cli_option *opt)
{
  size_t last = opt->value_index;
  size_t first = opt->inline_value || opt->value == NULL ? last : last - 1;
  size_t n = last - first + 1;

  memmove (cli->argv + first, cli->argv + last + 1, (cli->argc - last) * sizeof *cli->argv);
  cli->argc -= n;
  shift_indexes (cli, last + 1, -(long) n);
  ((struct cli_option *) opt)->value_index = (size_t) -1;
}
