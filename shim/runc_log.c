/* SPDX-License-Identifier: Apache-2.0 */
/* Error and warning lines in runc's own --log format (runc_log.h). */
#include "runc_log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <yajl/yajl_gen.h>

#include "fileio.h"
#include "json.h"
#include "util.h"

/* One "key": "value" pair (audit.c writes its records with its own:
 * this file's lines are runc's format, not the audit record's). */
static void
gen_kv (yajl_gen g, const char *k, const char *v)
{
  yajl_gen_string (g, (const unsigned char *) k, strlen (k));
  if (v)
    yajl_gen_string (g, (const unsigned char *) v, strlen (v));
  else
    yajl_gen_null (g);
}

/* runc's text format quotes msg like Go's %q; escape what matters. */
static void
text_quote (struct strbuf *sb, const char *s)
{
  strbuf_append (sb, "\"", 1);
  for (; *s; s++)
    {
      char esc[8];
      if (*s == '"' || *s == '\\')
        {
          esc[0] = '\\';
          esc[1] = *s;
          strbuf_append (sb, esc, 2);
        }
      else if ((unsigned char) *s < 0x20)
        {
          snprintf (esc, sizeof esc, "\\x%02x", (unsigned char) *s);
          strbuf_appends (sb, esc);
        }
      else
        strbuf_append (sb, s, 1);
    }
  strbuf_append (sb, "\"", 1);
}

void
runc_log (const char *log_path, const char *format, const char *level, const char *msg)
{
  char now[64];
  struct strbuf sb = { 0 };

  format_rfc3339 (now, sizeof now);
  if (log_path && log_path[0] && strcmp (log_path, "/dev/stderr") != 0)
    {
      cleanup_close int fd = open (log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
      if (fd >= 0)
        {
          if (format && strcmp (format, "json") == 0)
            {
              cleanup_yajl_gen yajl_gen g = yajl_gen_alloc (NULL);
              const unsigned char *buf;
              size_t len;
              if (g)
                {
                  yajl_gen_map_open (g);
                  gen_kv (g, "level", level);
                  gen_kv (g, "msg", msg);
                  gen_kv (g, "time", now);
                  yajl_gen_map_close (g);
                  if (yajl_gen_get_buf (g, &buf, &len) == yajl_gen_status_ok)
                    {
                      strbuf_append (&sb, (const char *) buf, len);
                      strbuf_append (&sb, "\n", 1);
                    }
                }
            }
          else
            {
              strbuf_appends (&sb, "time=\"");
              strbuf_appends (&sb, now);
              strbuf_appends (&sb, "\" level=");
              strbuf_appends (&sb, level);
              strbuf_appends (&sb, " msg=");
              text_quote (&sb, msg);
              strbuf_append (&sb, "\n", 1);
            }
          if (sb.len)
            (void) file_write_fd (fd, sb.buf, sb.len);
        }
    }
  strbuf_release (&sb);
  strbuf_appends (&sb, msg);
  strbuf_append (&sb, "\n", 1);
  (void) file_write_fd (STDERR_FILENO, sb.buf, sb.len);
  strbuf_release (&sb);
}

