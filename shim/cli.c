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
  { "debug", NULL, false },
  { "log", NULL, true },
  { "log-format", NULL, true },
  { "root", NULL, true },
  { "criu", NULL, true },
  { "systemd-cgroup", NULL, false },
  { "rootless", NULL, true },
  { "help", "h", false },
  { "version", "v", false },
  { NULL, NULL, false },
};

/* Options of create; run adds its own below. */
static const struct option_def create_options[] = {
  { "bundle", "b", true },
  { "console-socket", NULL, true },
  { "pid-file", NULL, true },
  { "no-pivot", NULL, false },
  { "no-new-keyring", NULL, false },
  { "preserve-fds", NULL, true },
  { "help", "h", false },
  { NULL, NULL, false },
};

static const struct option_def run_options[] = {
  { "bundle", "b", true },
  { "console-socket", NULL, true },
  { "pid-file", NULL, true },
  { "no-pivot", NULL, false },
  { "no-new-keyring", NULL, false },
  { "preserve-fds", NULL, true },
  { "detach", "d", false },
  { "keep", NULL, false },
  { "no-subreaper", NULL, false },
  { "help", "h", false },
  { NULL, NULL, false },
};

/* A token that looks like an option: "-x", "--x", "-x=v", "--x=v".
 * Returns the name (without dashes) and its length, and the inline value
 * if any.  Go's flag package accepts one or two dashes. */
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

static bool
is_option_named (const struct option_def *d, const char *name)
{
  return d && strcmp (d->name, name) == 0;
}

/* Parse create/run options.  urfave/cli moves options given after the
 * container id in front of it, so they are accepted anywhere; "--" ends
 * them. */
static int
parse_create (struct runc_cli *cli, const struct option_def *defs, char **args, size_t n, hr_err *err)
{
  size_t positional = 0;
  bool only_args = false;

  for (size_t i = 0; i < n; i++)
    {
      const char *tok = args[i], *name, *value;
      size_t namelen;
      const struct option_def *d;

      if (!only_args && strcmp (tok, "--") == 0)
        {
          only_args = true;
          continue;
        }
      if (only_args || !split_option (tok, &name, &namelen, &value))
        {
          if (positional++ == 0)
            cli->container_id = tok;
          continue;
        }
      d = find_option (defs, name, namelen);
      if (d == NULL)
        return hr_error_set (err, HR_ERR_USAGE, 0,
                             "unknown option \"%s\" for \"%s\"; refusing rather than guessing where the bundle is",
                             tok, cli->subcommand);
      if (d->takes_value && value == NULL)
        {
          if (i + 1 >= n)
            return hr_error_set (err, HR_ERR_USAGE, 0, "option \"%s\" of \"%s\" needs a value", tok, cli->subcommand);
          value = args[++i];
        }
      if (is_option_named (d, "bundle"))
        {
          if (value[0] == '\0')
            return hr_error_set (err, HR_ERR_USAGE, 0, "empty --bundle");
          cli->bundle = value;
        }
      else if (is_option_named (d, "help"))
        {
          /* runc prints help and creates nothing: nothing to harden. */
          cli->command = CLI_PASSTHROUGH;
          return 0;
        }
    }
  if (positional != 1)
    return hr_error_set (err, HR_ERR_USAGE, 0, "\"%s\" needs exactly one container id, got %zu", cli->subcommand,
                         positional);
  return 0;
}

int
cli_parse (int argc, char **argv, struct runc_cli *out, hr_err *err)
{
  struct runc_cli cli = { 0 };
  size_t i;

  cli.argv = xcalloc ((size_t) argc + 1, sizeof (char *));
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
                  hr_error_set (err, HR_ERR_USAGE, 0, "option \"%s\" needs a value", tok);
                  goto fail;
                }
              value = argv[++i];
            }
          if (value[0] == '\0')
            {
              hr_error_set (err, HR_ERR_USAGE, 0, "option \"%s\" needs a non-empty value", tok);
              goto fail;
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
          hr_error_set (err, HR_ERR_USAGE, 0,
                        "unknown runc global option \"%s\"; refusing rather than guessing the subcommand", tok);
          goto fail;
        }
      cli.argv[cli.argc++] = argv[i];
      if (d->takes_value && value == NULL)
        {
          if (i + 1 >= (size_t) argc)
            {
              hr_error_set (err, HR_ERR_USAGE, 0, "option \"%s\" needs a value", tok);
              goto fail;
            }
          value = argv[++i];
          cli.argv[cli.argc++] = argv[i];
        }
      if (is_option_named (d, "log"))
        cli.log_path = value;
      else if (is_option_named (d, "log-format"))
        cli.log_format = value;
    }

  if (i < (size_t) argc)
    {
      size_t sub = i;
      cli.subcommand = argv[sub];
      for (; i < (size_t) argc; i++)
        cli.argv[cli.argc++] = argv[i];
      if (strcmp (cli.subcommand, "create") == 0)
        {
          cli.command = CLI_CREATE;
          if (parse_create (&cli, create_options, argv + sub + 1, (size_t) argc - sub - 1, err) < 0)
            goto fail;
        }
      else if (strcmp (cli.subcommand, "run") == 0)
        {
          cli.command = CLI_RUN;
          if (parse_create (&cli, run_options, argv + sub + 1, (size_t) argc - sub - 1, err) < 0)
            goto fail;
        }
    }
  cli.argv[cli.argc] = NULL;
  *out = cli;
  return 0;

fail:
  /* What was parsed (the --log file above all) is still handed back so
   * the caller can report the error where runc's caller looks. */
  cli.argv[cli.argc] = NULL;
  *out = cli;
  return -1;
}

void
cli_release (struct runc_cli *cli)
{
  free (cli->argv);
  cli->argv = NULL;
}
