/* SPDX-License-Identifier: Apache-2.0 */
#include "json.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_parse.h>

#include "util.h"

/* ------------------------------------------------------------------ */
/* Memory.  A process that builds one document, writes it and exits (the
 * shim on create, run, exec and update) turns on the arena: every node,
 * string and member array then comes from large blocks by bumping a
 * pointer, and nothing is freed one by one.  That is a third of a
 * create's instructions and most of its heap pages saved.  Everything
 * else (explain over many files, report, tests, fuzzing) frees as it
 * goes.  Once on, the arena stays on: memory from it must never reach
 * free(). */

#define ARENA_BLOCK (128u * 1024u)

static struct
{
  bool on;
  char *cur, *end; /* the free part of the block in use */
  char *last;      /* the newest allocation from it, which can grow in place */
} arena;

void
json_use_arena (void)
{
  arena.on = true;
}

static size_t
round16 (size_t n)
{
  if (n > SIZE_MAX - 16)
    oom ();
  return n ? (n + 15) & ~(size_t) 15 : 16;
}

/* Mapped with its pages in one call: one fault per page costs more, on
 * every machine (13 us each on the CI VM). */
static void *
map_populated (size_t n)
{
  void *b = mmap (NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
  if (b == MAP_FAILED)
    oom ();
  return b;
}

static void *
jalloc (size_t n)
{
  if (!arena.on)
    return xmalloc (n ? n : 1);
  n = round16 (n);
  if ((size_t) (arena.end - arena.cur) < n)
    {
      /* a big one gets a mapping of its own; the block in use stays */
      if (n > ARENA_BLOCK / 4)
        return map_populated (n);
      arena.cur = map_populated (ARENA_BLOCK);
      arena.end = arena.cur + ARENA_BLOCK;
    }
  arena.last = arena.cur;
  arena.cur += n;
  return arena.last;
}

static void *
jzalloc (size_t n)
{
  if (!arena.on)
    return xcalloc (1, n ? n : 1);
  return memset (jalloc (n), 0, n);
}

static void
jfree (void *p)
{
  if (!arena.on)
    free (p);
}

static char *
jstrndup (const char *s, size_t n)
{
  char *d;

  if (n > SIZE_MAX - 32)
    oom ();
  d = jalloc (n + 1);
  memcpy (d, s, n);
  d[n] = '\0';
  return d;
}

/* grow P from OLDN to N elements of SIZE */
static void *
jgrow (void *p, size_t oldn, size_t n, size_t size)
{
  char *q;

  if (!arena.on)
    return xreallocarray (p, n, size);
  if (n > SIZE_MAX / size - 16)
    oom ();
  /* the newest allocation of the block grows where it is */
  if (p != NULL && p == arena.last && arena.cur == (char *) p + round16 (oldn * size)
      && (size_t) (arena.end - (char *) p) >= round16 (n * size))
    {
      arena.cur = (char *) p + round16 (n * size);
      return p;
    }
  q = jalloc (n * size);
  if (oldn)
    memcpy (q, p, oldn * size);
  return q;
}

/* ------------------------------------------------------------------ */
/* Tree */

struct json_value *
json_new (enum json_type type)
{
  struct json_value *v = jzalloc (sizeof *v);
  v->type = type;
  return v;
}

struct json_value *
json_new_stringn (const char *s, size_t len)
{
  struct json_value *v = json_new (JSON_STRING);
  v->u.str.s = jstrndup (s, len);
  v->u.str.len = len;
  return v;
}

struct json_value *
json_new_string (const char *s)
{
  return json_new_stringn (s, strlen (s));
}

struct json_value *
json_new_bool (bool b)
{
  return json_new (b ? JSON_TRUE : JSON_FALSE);
}

static struct json_value *
new_number_text (char *text)
{
  struct json_value *v = json_new (JSON_NUMBER);
  v->u.str.len = strlen (text);
  v->u.str.s = jstrndup (text, v->u.str.len);
  free (text);
  return v;
}

struct json_value *
json_new_i64 (int64_t n)
{
  return new_number_text (xasprintf ("%" PRId64, n));
}

struct json_value *
json_new_u64 (uint64_t n)
{
  return new_number_text (xasprintf ("%" PRIu64, n));
}

void
json_free (struct json_value *v)
{
  if (v == NULL || arena.on)
    return;
  switch (v->type)
    {
    case JSON_NUMBER:
    case JSON_STRING:
      jfree (v->u.str.s);
      break;
    case JSON_OBJECT:
      for (size_t i = 0; i < v->u.obj.len; i++)
        {
          jfree (v->u.obj.members[i].key);
          json_free (v->u.obj.members[i].value);
        }
      jfree (v->u.obj.members);
      break;
    case JSON_ARRAY:
      for (size_t i = 0; i < v->u.arr.len; i++)
        json_free (v->u.arr.items[i]);
      jfree (v->u.arr.items);
      break;
    case JSON_NULL:
    case JSON_FALSE:
    case JSON_TRUE:
    default:
      break;
    }
  jfree (v);
}

void
cleanup_json_freep (struct json_value **v)
{
  json_free (*v);
}

struct json_value *
json_clone (const struct json_value *v)
{
  struct json_value *c;

  if (v == NULL)
    return NULL;
  c = json_new (v->type);
  c->line = v->line;
  c->col = v->col;
  switch (v->type)
    {
    case JSON_NUMBER:
    case JSON_STRING:
      c->u.str.s = jstrndup (v->u.str.s, v->u.str.len);
      c->u.str.len = v->u.str.len;
      break;
    case JSON_OBJECT:
      c->u.obj.members = jzalloc (v->u.obj.len * sizeof (struct json_member));
      c->u.obj.len = c->u.obj.cap = v->u.obj.len;
      for (size_t i = 0; i < v->u.obj.len; i++)
        {
          const struct json_member *m = &v->u.obj.members[i];
          c->u.obj.members[i] = *m;
          c->u.obj.members[i].key = jstrndup (m->key, m->keylen);
          c->u.obj.members[i].value = json_clone (m->value);
        }
      break;
    case JSON_ARRAY:
      c->u.arr.items = jzalloc (v->u.arr.len * sizeof (struct json_value *));
      c->u.arr.len = c->u.arr.cap = v->u.arr.len;
      for (size_t i = 0; i < v->u.arr.len; i++)
        c->u.arr.items[i] = json_clone (v->u.arr.items[i]);
      break;
    case JSON_NULL:
    case JSON_FALSE:
    case JSON_TRUE:
    default:
      break;
    }
  return c;
}

struct json_member *
json_object_member (const struct json_value *obj, const char *key)
{
  size_t keylen = strlen (key);

  if (obj == NULL || obj->type != JSON_OBJECT)
    return NULL;
  for (size_t i = 0; i < obj->u.obj.len; i++)
    {
      struct json_member *m = &obj->u.obj.members[i];
      if (m->keylen == keylen && memcmp (m->key, key, keylen) == 0)
        return m;
    }
  return NULL;
}

struct json_value *
json_object_get (const struct json_value *obj, const char *key)
{
  struct json_member *m = json_object_member (obj, key);
  return m ? m->value : NULL;
}

static void
object_add (struct json_value *obj, char *key, size_t keylen, struct json_value *value, uint32_t line,
            uint32_t col)
{
  struct json_member *m;

  if (obj->u.obj.len == obj->u.obj.cap)
    {
      size_t old = obj->u.obj.cap;
      obj->u.obj.cap = old ? old * 2 : 4;
      obj->u.obj.members = jgrow (obj->u.obj.members, old, obj->u.obj.cap, sizeof *m);
    }
  m = &obj->u.obj.members[obj->u.obj.len++];
  m->key = key;
  m->keylen = keylen;
  m->line = line;
  m->col = col;
  m->value = value;
}

void
json_object_set (struct json_value *obj, const char *key, struct json_value *value)
{
  struct json_member *m = json_object_member (obj, key);

  if (m)
    {
      json_free (m->value);
      m->value = value;
      return;
    }
  object_add (obj, jstrndup (key, strlen (key)), strlen (key), value, 0, 0);
}

bool
json_object_remove (struct json_value *obj, const char *key)
{
  struct json_member *m = json_object_member (obj, key);
  size_t i;

  if (m == NULL)
    return false;
  i = (size_t) (m - obj->u.obj.members);
  jfree (m->key);
  json_free (m->value);
  memmove (m, m + 1, (obj->u.obj.len - i - 1) * sizeof *m);
  obj->u.obj.len--;
  return true;
}

void
json_array_insert (struct json_value *arr, size_t index, struct json_value *item)
{
  if (index > arr->u.arr.len)
    index = arr->u.arr.len;
  if (arr->u.arr.len == arr->u.arr.cap)
    {
      size_t old = arr->u.arr.cap;
      arr->u.arr.cap = old ? old * 2 : 4;
      arr->u.arr.items = jgrow (arr->u.arr.items, old, arr->u.arr.cap, sizeof *arr->u.arr.items);
    }
  memmove (arr->u.arr.items + index + 1, arr->u.arr.items + index,
           (arr->u.arr.len - index) * sizeof *arr->u.arr.items);
  arr->u.arr.items[index] = item;
  arr->u.arr.len++;
}

void
json_array_append (struct json_value *arr, struct json_value *item)
{
  json_array_insert (arr, arr->u.arr.len, item);
}

void
json_array_remove (struct json_value *arr, size_t index)
{
  if (index >= arr->u.arr.len)
    return;
  json_free (arr->u.arr.items[index]);
  memmove (arr->u.arr.items + index, arr->u.arr.items + index + 1,
           (arr->u.arr.len - index - 1) * sizeof *arr->u.arr.items);
  arr->u.arr.len--;
}

bool
json_array_has_string (const struct json_value *arr, const char *s)
{
  for (size_t i = 0; arr && arr->type == JSON_ARRAY && i < arr->u.arr.len; i++)
    if (json_is_string (arr->u.arr.items[i], s))
      return true;
  return false;
}

bool
json_is_string (const struct json_value *v, const char *s)
{
  return v && v->type == JSON_STRING && v->u.str.len == strlen (s) && memcmp (v->u.str.s, s, v->u.str.len) == 0;
}

bool
json_equal (const struct json_value *a, const struct json_value *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  if (a->type != b->type)
    return false;
  switch (a->type)
    {
    case JSON_NUMBER:
    case JSON_STRING:
      return a->u.str.len == b->u.str.len && memcmp (a->u.str.s, b->u.str.s, a->u.str.len) == 0;
    case JSON_OBJECT:
      if (a->u.obj.len != b->u.obj.len)
        return false;
      for (size_t i = 0; i < a->u.obj.len; i++)
        {
          const struct json_member *ma = &a->u.obj.members[i], *mb = &b->u.obj.members[i];
          if (ma->keylen != mb->keylen || memcmp (ma->key, mb->key, ma->keylen) != 0
              || !json_equal (ma->value, mb->value))
            return false;
        }
      return true;
    case JSON_ARRAY:
      if (a->u.arr.len != b->u.arr.len)
        return false;
      for (size_t i = 0; i < a->u.arr.len; i++)
        if (!json_equal (a->u.arr.items[i], b->u.arr.items[i]))
          return false;
      return true;
    case JSON_NULL:
    case JSON_FALSE:
    case JSON_TRUE:
    default:
      return true;
    }
}

const char *
json_type_name (enum json_type type)
{
  switch (type)
    {
    case JSON_NULL:
      return "null";
    case JSON_FALSE:
    case JSON_TRUE:
      return "a boolean";
    case JSON_NUMBER:
      return "a number";
    case JSON_STRING:
      return "a string";
    case JSON_OBJECT:
      return "an object";
    case JSON_ARRAY:
      return "an array";
    default:
      return "an unknown type";
    }
}

/* Next byte of KEY under Go's field-name folding, advancing *i. */
static int
next_folded (const char *key, size_t len, size_t *i)
{
  const unsigned char *s = (const unsigned char *) key;
  unsigned char c = s[*i];

  if (c == 0xC5 && *i + 1 < len && s[*i + 1] == 0xBF)
    {
      *i += 2; /* U+017F LATIN SMALL LETTER LONG S */
      return 's';
    }
  if (c == 0xE2 && *i + 2 < len && s[*i + 1] == 0x84 && s[*i + 2] == 0xAA)
    {
      *i += 3; /* U+212A KELVIN SIGN */
      return 'k';
    }
  *i += 1;
  if (c >= 'A' && c <= 'Z')
    return c - 'A' + 'a';
  return c;
}

bool
json_key_folds_to (const char *key, size_t keylen, const char *field)
{
  size_t i = 0, j = 0, flen = strlen (field);

  while (i < keylen && j < flen)
    {
      size_t jj = j;
      if (next_folded (key, keylen, &i) != next_folded (field, flen, &jj))
        return false;
      j = jj;
    }
  return i == keylen && j == flen;
}

/* ------------------------------------------------------------------ */
/* Parser */

#define MAX_STACK_HINT 16

struct parser
{
  yajl_handle handle;
  const char *buf;
  const char *name;
  size_t max_depth;
  hr_err *err;

  size_t prev_end; /* where the previous token ended */

  /* incremental offset -> line/column */
  size_t scan_pos;
  uint32_t line;
  size_t line_start;

  struct json_value *root;
  struct json_value **stack;
  size_t depth, stack_cap;

  char *pending_key;
  size_t pending_keylen;
  uint32_t key_line, key_col;
};

static void
locate (struct parser *p, size_t off, uint32_t *line, uint32_t *col)
{
  if (off < p->scan_pos)
    {
      /* Never happens for in-order tokens; recount from the start. */
      p->scan_pos = 0;
      p->line = 1;
      p->line_start = 0;
    }
  while (p->scan_pos < off)
    {
      const char *nl = memchr (p->buf + p->scan_pos, '\n', off - p->scan_pos);
      if (nl == NULL)
        {
          p->scan_pos = off;
          break;
        }
      p->line++;
      p->line_start = (size_t) (nl - p->buf) + 1;
      p->scan_pos = p->line_start;
    }
  *line = p->line;
  *col = (uint32_t) (off - p->line_start + 1);
}

/* Start offset of the token that yajl just consumed: skip whitespace and
 * the separators between the previous token's end and this one. */
static size_t
token_start (struct parser *p)
{
  size_t off = p->prev_end;
  size_t end = yajl_get_bytes_consumed (p->handle);

  while (off < end)
    {
      char c = p->buf[off];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ':' || c == ',')
        off++;
      else
        break;
    }
  p->prev_end = end;
  return off;
}

static int
add_value (struct parser *p, struct json_value *v)
{
  struct json_value *top;
  size_t start = token_start (p);

  locate (p, start, &v->line, &v->col);

  if (p->depth == 0)
    {
      p->root = v;
      return 1;
    }
  top = p->stack[p->depth - 1];
  if (top->type == JSON_ARRAY)
    json_array_append (top, v);
  else
    {
      object_add (top, p->pending_key, p->pending_keylen, v, p->key_line, p->key_col);
      p->pending_key = NULL;
    }
  return 1;
}

static int
cb_null (void *ctx)
{
  return add_value (ctx, json_new (JSON_NULL));
}

static int
cb_boolean (void *ctx, int b)
{
  return add_value (ctx, json_new_bool (b));
}

static int
cb_number (void *ctx, const char *s, size_t len)
{
  struct json_value *v = json_new (JSON_NUMBER);
  v->u.str.s = jstrndup (s, len);
  v->u.str.len = len;
  return add_value (ctx, v);
}

static int
cb_string (void *ctx, const unsigned char *s, size_t len)
{
  return add_value (ctx, json_new_stringn ((const char *) s, len));
}

static int
push (struct parser *p, enum json_type type)
{
  struct json_value *v = json_new (type);

  if (p->depth >= p->max_depth)
    {
      uint32_t line, col;
      locate (p, token_start (p), &line, &col);
      json_free (v);
      hr_error_set (p->err, HR_ERR_INPUT, 0, "%s:%u:%u: nested deeper than %zu levels", p->name, line, col,
                    p->max_depth);
      return 0;
    }
  add_value (p, v);
  if (p->depth == p->stack_cap)
    {
      p->stack_cap = p->stack_cap ? p->stack_cap * 2 : MAX_STACK_HINT;
      p->stack = xreallocarray (p->stack, p->stack_cap, sizeof *p->stack);
    }
  p->stack[p->depth++] = v;
  return 1;
}

static int
cb_start_map (void *ctx)
{
  return push (ctx, JSON_OBJECT);
}

static int
cb_start_array (void *ctx)
{
  return push (ctx, JSON_ARRAY);
}

static int
member_cmp (const void *a, const void *b)
{
  const struct json_member *ma = *(const struct json_member *const *) a;
  const struct json_member *mb = *(const struct json_member *const *) b;
  size_t n = ma->keylen < mb->keylen ? ma->keylen : mb->keylen;
  int r = memcmp (ma->key, mb->key, n);
  if (r != 0)
    return r;
  return ma->keylen < mb->keylen ? -1 : ma->keylen > mb->keylen;
}

static const struct json_member *
find_duplicate (const struct json_value *obj)
{
  size_t n = obj->u.obj.len;
  const struct json_member *m = obj->u.obj.members;

  if (n < 2)
    return NULL;
  if (n <= 8)
    {
      for (size_t i = 1; i < n; i++)
        for (size_t j = 0; j < i; j++)
          if (m[i].keylen == m[j].keylen && memcmp (m[i].key, m[j].key, m[i].keylen) == 0)
            return &m[i];
      return NULL;
    }
  {
    cleanup_free const struct json_member **sorted = xcalloc (n, sizeof *sorted);
    const struct json_member *dup = NULL;
    for (size_t i = 0; i < n; i++)
      sorted[i] = &m[i];
    qsort (sorted, n, sizeof *sorted, member_cmp);
    for (size_t i = 1; i < n; i++)
      if (member_cmp (&sorted[i - 1], &sorted[i]) == 0)
        {
          /* report the later one in the source */
          const struct json_member *a = sorted[i - 1], *b = sorted[i];
          const struct json_member *later = a > b ? a : b;
          if (dup == NULL || later < dup)
            dup = later;
        }
    return dup;
  }
}

static int
cb_end_map (void *ctx)
{
  struct parser *p = ctx;
  struct json_value *obj;

  p->prev_end = yajl_get_bytes_consumed (p->handle);
  obj = p->stack[--p->depth];
  const struct json_member *dup = find_duplicate (obj);

  if (dup)
    {
      hr_error_set (p->err, HR_ERR_INPUT, 0, "%s:%u:%u: duplicate key \"%s\"", p->name, dup->line, dup->col,
                    dup->key);
      return 0;
    }
  return 1;
}

static int
cb_end_array (void *ctx)
{
  struct parser *p = ctx;
  p->prev_end = yajl_get_bytes_consumed (p->handle);
  p->depth--;
  return 1;
}

static int
cb_map_key (void *ctx, const unsigned char *key, size_t len)
{
  struct parser *p = ctx;

  locate (p, token_start (p), &p->key_line, &p->key_col);
  jfree (p->pending_key);
  p->pending_key = jstrndup ((const char *) key, len);
  p->pending_keylen = len;
  return 1;
}

static const yajl_callbacks callbacks = {
  .yajl_null = cb_null,
  .yajl_boolean = cb_boolean,
  .yajl_number = cb_number,
  .yajl_string = cb_string,
  .yajl_start_map = cb_start_map,
  .yajl_map_key = cb_map_key,
  .yajl_end_map = cb_end_map,
  .yajl_start_array = cb_start_array,
  .yajl_end_array = cb_end_array,
};

static void
cleanup_yajl_handlep (yajl_handle *h)
{
  if (*h)
    yajl_free (*h);
}
#define cleanup_yajl_handle __attribute__ ((cleanup (cleanup_yajl_handlep)))

/* yajl's own messages carry a trailing newline and a "parse error:" or
 * "lexical error:" prefix; keep the reason only. */
static char *
yajl_reason (yajl_handle h, const char *buf, size_t len)
{
  unsigned char *raw = yajl_get_error (h, 0, (const unsigned char *) buf, len);
  const char *s = (const char *) raw;
  char *ret;
  size_t n;

  if (s == NULL)
    return xstrdup ("invalid JSON");
  if (strncmp (s, "parse error: ", 13) == 0)
    s += 13;
  else if (strncmp (s, "lexical error: ", 15) == 0)
    s += 15;
  n = strlen (s);
  while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '.' || s[n - 1] == ' '))
    n--;
  ret = xstrndup (s, n);
  yajl_free_error (h, raw);
  return ret;
}

int
json_parse (const char *buf, size_t len, const char *name, const struct json_limits *limits,
            struct json_value **out, hr_err *err)
{
  cleanup_yajl_handle yajl_handle h = NULL;
  struct parser p = {
    .buf = buf,
    .name = name,
    .max_depth = limits->max_depth,
    .err = err,
    .line = 1,
  };
  yajl_status st;
  int ret = -1;

  h = yajl_alloc (&callbacks, NULL, &p);
  if (h == NULL)
    return hr_error_set (err, HR_ERR_INTERNAL, 0, "%s: cannot allocate a JSON parser", name);
  p.handle = h;

  /* Strings must be valid UTF-8 (the default, stated here on purpose). */
  yajl_config (h, yajl_dont_validate_strings, 0);

  bool at_end = false;

  st = yajl_parse (h, (const unsigned char *) buf, len);
  if (st == yajl_status_ok)
    {
      /* errors found here are about the end of the input */
      st = yajl_complete_parse (h);
      at_end = true;
    }

  if (st == yajl_status_ok && p.root != NULL)
    {
      *out = steal_pointer (&p.root);
      ret = 0;
    }
  else if (st != yajl_status_client_canceled)
    {
      cleanup_free char *reason = NULL;
      size_t off = yajl_get_bytes_consumed (h);
      uint32_t line, col;

      if (st == yajl_status_ok || at_end || off > len)
        off = len;
      if (len == 0)
        reason = xstrdup ("empty file");
      else if (st == yajl_status_ok)
        reason = xstrdup ("no JSON value");
      else
        reason = yajl_reason (h, buf, len);
      /* a premature end is reported at the end of the input */
      locate (&p, off, &line, &col);
      hr_error_set (err, HR_ERR_INPUT, 0, "%s:%u:%u: %s", name, line, col, reason);
    }

  json_free (p.root);
  free (p.stack);
  jfree (p.pending_key);
  return ret;
}

/* ------------------------------------------------------------------ */
/* Generator */

void
cleanup_yajl_genp (yajl_gen *g)
{
  if (*g)
    yajl_gen_free (*g);
}

yajl_gen_status
json_gen (yajl_gen g, const struct json_value *v)
{
  yajl_gen_status st = yajl_gen_status_ok;

  switch (v->type)
    {
    case JSON_NULL:
      return yajl_gen_null (g);
    case JSON_FALSE:
      return yajl_gen_bool (g, 0);
    case JSON_TRUE:
      return yajl_gen_bool (g, 1);
    case JSON_NUMBER:
      /* The original text, so 64-bit values and exponents survive. */
      return yajl_gen_number (g, v->u.str.s, v->u.str.len);
    case JSON_STRING:
      return yajl_gen_string (g, (const unsigned char *) v->u.str.s, v->u.str.len);
    case JSON_OBJECT:
      st = yajl_gen_map_open (g);
      for (size_t i = 0; st == yajl_gen_status_ok && i < v->u.obj.len; i++)
        {
          const struct json_member *m = &v->u.obj.members[i];
          st = yajl_gen_string (g, (const unsigned char *) m->key, m->keylen);
          if (st == yajl_gen_status_ok)
            st = json_gen (g, m->value);
        }
      return st == yajl_gen_status_ok ? yajl_gen_map_close (g) : st;
    case JSON_ARRAY:
      st = yajl_gen_array_open (g);
      for (size_t i = 0; st == yajl_gen_status_ok && i < v->u.arr.len; i++)
        st = json_gen (g, v->u.arr.items[i]);
      return st == yajl_gen_status_ok ? yajl_gen_array_close (g) : st;
    default:
      return yajl_gen_invalid_string;
    }
}

static void
gen_to_strbuf (void *ctx, const char *s, size_t len)
{
  strbuf_append (ctx, s, len);
}

int
json_generate_sized (const struct json_value *v, size_t hint, char **out, size_t *len, hr_err *err)
{
  cleanup_yajl_gen yajl_gen g = yajl_gen_alloc (NULL);
  struct strbuf sb = { 0 };
  yajl_gen_status st;

  if (g == NULL)
    return hr_error_set (err, HR_ERR_INTERNAL, 0, "cannot allocate a JSON generator");
  /* written straight into one buffer of about the right size: no copy,
   * no doubling */
  strbuf_reserve (&sb, hint ? hint : 4096);
  yajl_gen_config (g, yajl_gen_print_callback, gen_to_strbuf, &sb);
  /* yajl's default depth limit is 128; documents deeper than that were
   * refused when parsed, but built trees are bounded the same way. */
  st = json_gen (g, v);
  if (st != yajl_gen_status_ok)
    {
      strbuf_release (&sb);
      return hr_error_set (err, HR_ERR_INTERNAL, 0, "cannot serialise JSON (yajl generator status %d)", (int) st);
    }
  *out = sb.buf;
  *len = sb.len;
  return 0;
}

int
json_generate (const struct json_value *v, char **out, size_t *len, hr_err *err)
{
  return json_generate_sized (v, 0, out, len, err);
}
