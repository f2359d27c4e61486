/* SPDX-License-Identifier: Apache-2.0 */
/* A JSON document tree that keeps what it does not understand: key order,
 * duplicate-free objects, numbers as their original text, strings as their
 * decoded bytes (NUL allowed).  Parsed with yajl's event parser, written
 * back with yajl's generator. */
#ifndef HARDENED_JSON_H
#define HARDENED_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <yajl/yajl_gen.h>

#include "error.h"

enum json_type
{
  JSON_NULL,
  JSON_FALSE,
  JSON_TRUE,
  JSON_NUMBER,
  JSON_STRING,
  JSON_OBJECT,
  JSON_ARRAY,
};

struct json_value;

struct json_member
{
  char *key;
  size_t keylen;
  uint32_t line, col; /* where the key starts in the source, 0 if built */
  struct json_value *value;
};

struct json_value
{
  enum json_type type;
  uint32_t line, col; /* where the value starts in the source, 0 if built */
  union
  {
    struct
    {
      char *s; /* NUL-terminated; for numbers the original text */
      size_t len;
    } str;
    struct
    {
      struct json_member *members;
      size_t len, cap;
    } obj;
    struct
    {
      struct json_value **items;
      size_t len, cap;
    } arr;
  } u;
};

struct json_limits
{
  size_t max_depth; /* containers nested deeper than this are refused */
};

/* Parse LEN bytes.  NAME is used in messages ("NAME:LINE:COL: reason").
 * Refuses invalid UTF-8, trailing data, duplicate keys in one object, and
 * nesting deeper than limits->max_depth. */
int json_parse (const char *buf, size_t len, const char *name, const struct json_limits *limits,
                struct json_value **out, hr_err *err);

void json_free (struct json_value *v);
/* From now on, allocate trees from large blocks and never free them one
 * by one (json_free does nothing).  For a process that handles one
 * document and exits; there is no way back. */
void json_use_arena (void);
void cleanup_json_freep (struct json_value **v);
#define cleanup_json __attribute__ ((cleanup (cleanup_json_freep)))

/* Serialise compactly.  *out is NUL-terminated and malloc'd. */
int json_generate (const struct json_value *v, char **out, size_t *len, hr_err *err);
/* The same, writing into one buffer of HINT bytes to start with. */
int json_generate_sized (const struct json_value *v, size_t hint, char **out, size_t *len, hr_err *err);

/* Emit V into an open yajl generator (for embedding in other JSON). */
yajl_gen_status json_gen (yajl_gen g, const struct json_value *v);

void cleanup_yajl_genp (yajl_gen *g);
#define cleanup_yajl_gen __attribute__ ((cleanup (cleanup_yajl_genp)))

/* Builders: every returned value is owned by the caller. */
struct json_value *json_new (enum json_type type);
struct json_value *json_new_string (const char *s);
struct json_value *json_new_stringn (const char *s, size_t len);
struct json_value *json_new_bool (bool b);
struct json_value *json_new_i64 (int64_t n);
struct json_value *json_new_u64 (uint64_t n);
struct json_value *json_clone (const struct json_value *v);

/* Object access by exact key; NULL when absent. */
struct json_member *json_object_member (const struct json_value *obj, const char *key);
struct json_value *json_object_get (const struct json_value *obj, const char *key);
/* Replace the value of KEY in place (order kept) or append it; takes VALUE. */
void json_object_set (struct json_value *obj, const char *key, struct json_value *value);
/* Remove KEY; true if it was there. */
bool json_object_remove (struct json_value *obj, const char *key);

/* Arrays: append / insert at INDEX / remove INDEX; take ownership. */
void json_array_append (struct json_value *arr, struct json_value *item);
void json_array_insert (struct json_value *arr, size_t index, struct json_value *item);
void json_array_remove (struct json_value *arr, size_t index);

bool json_is_string (const struct json_value *v, const char *s);
/* ARR (an array, or NULL) holds the string S. */
bool json_array_has_string (const struct json_value *arr, const char *s);
bool json_equal (const struct json_value *a, const struct json_value *b);
const char *json_type_name (enum json_type type);

/* Keys that Go's encoding/json (and so runc) would match to FIELD: ASCII
 * case folding plus the two non-ASCII runes that fold to ASCII letters. */
bool json_key_folds_to (const char *key, size_t keylen, const char *field);

#endif
