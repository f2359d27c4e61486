/* SPDX-License-Identifier: Apache-2.0 */
/* The bundle's config.json: load it safely, read typed fields with clear
 * errors, and save it atomically. */
#ifndef HARDENED_SPEC_H
#define HARDENED_SPEC_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

#include "error.h"
#include "json.h"

/* Documented in hardened-runc(8). */
#define SPEC_MAX_BYTES (64u * 1024 * 1024)
#define SPEC_MAX_DEPTH 64

struct spec
{
  char *display; /* "BUNDLE/config.json", for messages */
  int dirfd;     /* the bundle directory, or -1 */
  struct stat st;
  char *raw; /* the original bytes */
  size_t rawlen;
  struct json_value *root;
};

/* Load BUNDLE/config.json (BUNDLE NULL means the current directory). */
int spec_load (const char *bundle, struct spec **out, hr_err *err);
/* Load any JSON file as a spec (explain, exec --process). */
int spec_load_file (const char *path, struct spec **out, hr_err *err);
/* Parse a buffer that was read elsewhere (stdin, fuzzing). */
int spec_load_buffer (const char *buf, size_t len, const char *display, struct spec **out, hr_err *err);

/* Serialise root; atomically replace config.json in the bundle with a file
 * owned by root (when run as root), mode 0600 or the original mode,
 * whichever is stricter. */
int spec_save (struct spec *s, hr_err *err);
/* Put the original bytes back (used when a later step fails). */
int spec_restore (struct spec *s, hr_err *err);

void spec_free (struct spec *s);
void cleanup_spec_freep (struct spec **s);
#define cleanup_spec __attribute__ ((cleanup (cleanup_spec_freep)))

/* Typed access.  Kinds a field may be required to have: */
enum spec_kind
{
  SPEC_OBJECT,
  SPEC_ARRAY,
  SPEC_STRING,
  SPEC_BOOL,
  SPEC_NUMBER,
};

/* Find KEY in OBJ (whose dotted path is PATH, for messages).  Absent:
 * *out = NULL, returns 0.  Present with the wrong type, or spelled in a
 * different case that runc would still accept: error. */
int spec_get (const char *source, const struct json_value *obj, const char *path, const char *key,
              enum spec_kind kind, struct json_value **out, hr_err *err);

/* Like spec_get for an object, creating an empty one when absent. */
int spec_get_object (const char *source, struct json_value *obj, const char *path, const char *key,
                     struct json_value **out, hr_err *err);

/* Read an integer field value (already known to be a number). */
int spec_number_i64 (const char *source, const struct json_value *v, const char *path, int64_t *out, hr_err *err);
int spec_number_u64 (const char *source, const struct json_value *v, const char *path, uint64_t *out, hr_err *err);

/* Check that every element of ARR is a string. */
int spec_string_array (const char *source, const struct json_value *arr, const char *path, hr_err *err);

#endif
