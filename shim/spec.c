/* SPDX-License-Identifier: Apache-2.0 */
#include "spec.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"
#include "util.h"

static const struct json_limits spec_limits = { .max_depth = SPEC_MAX_DEPTH };

void
spec_free (struct spec *s)
{
  if (s == NULL)
    return;
  if (s->dirfd >= 0)
    close (s->dirfd);
  free (s->display);
  free (s->raw);
  json_free (s->root);
  free (s);
}

void
cleanup_spec_freep (struct spec **s)
{
  spec_free (*s);
}

static int
parse_into (struct spec *s, hr_err *err)
{
  return json_parse (s->raw, s->rawlen, s->display, &spec_limits, &s->root, err);
}

static int
check_root (struct spec *s, hr_err *err)
{
  if (s->root->type != JSON_OBJECT)
    return hr_error_set (err, HR_ERR_INPUT, 0, "%s:%u:%u: expected a JSON object at the top level, found %s",
                         s->display, s->root->line, s->root->col, json_type_name (s->root->type));
  return 0;
}

int
spec_load (const char *bundle, struct spec **out, hr_err *err)
{
  cleanup_spec struct spec *s = xcalloc (1, sizeof *s);
  const char *dir = bundle ? bundle : ".";

  s->dirfd = -1;
  s->display = xasprintf ("%s/config.json", dir);
  s->dirfd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (s->dirfd < 0)
    return hr_error_set (err, HR_ERR_INPUT, errno, "bundle %s", dir);
  if (file_read_regular (s->dirfd, "config.json", s->display, SPEC_MAX_BYTES, &s->raw, &s->rawlen, &s->st, err) < 0)
    return -1;
  if (parse_into (s, err) < 0 || check_root (s, err) < 0)
    return -1;
  *out = steal_pointer (&s);
  return 0;
}

int
spec_load_file (const char *path, struct spec **out, hr_err *err)
{
  cleanup_spec struct spec *s = xcalloc (1, sizeof *s);

  s->dirfd = -1;
  s->display = xstrdup (path);
  if (file_read_regular (AT_FDCWD, path, path, SPEC_MAX_BYTES, &s->raw, &s->rawlen, &s->st, err) < 0)
    return -1;
  if (parse_into (s, err) < 0 || check_root (s, err) < 0)
    return -1;
  *out = steal_pointer (&s);
  return 0;
}

int
spec_load_buffer (const char *buf, size_t len, const char *display, struct spec **out, hr_err *err)
{
  cleanup_spec struct spec *s = xcalloc (1, sizeof *s);

  s->dirfd = -1;
  s->display = xstrdup (display);
  if (len > SPEC_MAX_BYTES)
    return hr_error_set (err, HR_ERR_INPUT, 0, "%s: larger than the limit of %u bytes", display, SPEC_MAX_BYTES);
  s->raw = xstrndup (buf, len);
  s->rawlen = len;
  if (parse_into (s, err) < 0 || check_root (s, err) < 0)
    return -1;
  *out = steal_pointer (&s);
  return 0;
}

int
spec_save (struct spec *s, hr_err *err)
{
  cleanup_free char *data = NULL;
  size_t len = 0;

  if (s->dirfd < 0)
    return hr_error_set (err, HR_ERR_INTERNAL, 0, "%s: not loaded from a bundle; cannot save", s->display);
  /* the rewrite is about as long as the compact form of the original */
  if (json_generate_sized (s->root, s->rawlen + 4096, &data, &len, err) < 0)
    return hr_error_prefix (err, "%s", s->display);
  /* root's, and 0600 or the original mode, whichever is stricter: the
   * hardened file is read by runc (root) and says what the container may
   * do; nobody else needs to read it, nobody but root to change it */
  return file_replace_atomic (s->dirfd, "config.json", s->display, data, len, s->st.st_mode & 0600, 0, 0, err);
}

int
spec_restore (struct spec *s, hr_err *err)
{
  if (s->dirfd < 0)
    return 0;
  return file_replace_atomic (s->dirfd, "config.json", s->display, s->raw, s->rawlen, s->st.st_mode, s->st.st_uid,
                              s->st.st_gid, err);
}

static bool
kind_matches (enum spec_kind kind, enum json_type type)
{
  switch (kind)
    {
    case SPEC_OBJECT:
      return type == JSON_OBJECT;
    case SPEC_ARRAY:
      return type == JSON_ARRAY;
    case SPEC_STRING:
      return type == JSON_STRING;
    case SPEC_BOOL:
      return type == JSON_TRUE || type == JSON_FALSE;
    case SPEC_NUMBER:
      return type == JSON_NUMBER;
    default:
      return false;
    }
}

static const char *
kind_name (enum spec_kind kind)
{
  switch (kind)
    {
    case SPEC_OBJECT:
      return "an object";
    case SPEC_ARRAY:
      return "an array";
    case SPEC_STRING:
      return "a string";
    case SPEC_BOOL:
      return "a boolean";
    case SPEC_NUMBER:
      return "a number";
    default:
      return "?";
    }
}

int
spec_get (const char *source, const struct json_value *obj, const char *path, const char *key, enum spec_kind kind,
          struct json_value **out, hr_err *err)
{
  struct json_member *found = NULL;

  *out = NULL;
  for (size_t i = 0; i < obj->u.obj.len; i++)
    {
      struct json_member *m = &obj->u.obj.members[i];
      if (!json_key_folds_to (m->key, m->keylen, key))
        continue;
      if (m->keylen != strlen (key) || memcmp (m->key, key, m->keylen) != 0)
        return hr_error_set (err, HR_ERR_INPUT, 0,
                             "%s:%u:%u: key \"%s\" in %s is not spelled \"%s\" but runc would read it as that; "
                             "refusing an ambiguous configuration",
                             source, m->line, m->col, m->key, path[0] ? path : "the top level", key);
      found = m;
    }
  if (found == NULL)
    return 0;
  if (found->value->type == JSON_NULL)
    return 0; /* Go treats null like an absent field */
  if (!kind_matches (kind, found->value->type))
    return hr_error_set (err, HR_ERR_INPUT, 0, "%s:%u:%u: %s%s%s: expected %s, found %s", source, found->value->line,
                         found->value->col, path, path[0] ? "." : "", key, kind_name (kind),
                         json_type_name (found->value->type));
  *out = found->value;
  return 0;
}

int
spec_get_object (const char *source, struct json_value *obj, const char *path, const char *key,
                 struct json_value **out, hr_err *err)
{
  if (spec_get (source, obj, path, key, SPEC_OBJECT, out, err) < 0)
    return -1;
  if (*out == NULL)
    {
      json_object_set (obj, key, json_new (JSON_OBJECT));
      *out = json_object_get (obj, key);
    }
  return 0;
}

int
spec_number_i64 (const char *source, const struct json_value *v, const char *path, int64_t *out, hr_err *err)
{
  if (v->type != JSON_NUMBER || !parse_i64 (v->u.str.s, v->u.str.len, out))
    return hr_error_set (err, HR_ERR_INPUT, 0, "%s:%u:%u: %s: expected a 64-bit integer, found %s", source, v->line,
                         v->col, path, v->type == JSON_NUMBER ? v->u.str.s : json_type_name (v->type));
  return 0;
}

int
spec_number_u64 (const char *source, const struct json_value *v, const char *path, uint64_t *out, hr_err *err)
{
  if (v->type != JSON_NUMBER || !parse_u64 (v->u.str.s, v->u.str.len, out))
    return hr_error_set (err, HR_ERR_INPUT, 0, "%s:%u:%u: %s: expected an unsigned 64-bit integer, found %s",
                         source, v->line, v->col, path, v->type == JSON_NUMBER ? v->u.str.s : json_type_name (v->type));
  return 0;
}

int
spec_string_array (const char *source, const struct json_value *arr, const char *path, hr_err *err)
{
  for (size_t i = 0; i < arr->u.arr.len; i++)
    {
      const struct json_value *it = arr->u.arr.items[i];
      if (it->type != JSON_STRING)
        return hr_error_set (err, HR_ERR_INPUT, 0, "%s:%u:%u: %s[%zu]: expected a string, found %s", source, it->line,
                             it->col, path, i, json_type_name (it->type));
    }
  return 0;
}
