/* bgpt-json.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Real documents nest a handful of levels; json-glib before 1.10 recurses
 * once per level with no limit of its own. */
#define BGPT_JSON_MAX_DEPTH 64

#define BGPT_JSON_ERROR (bgpt_json_error_quark ())

typedef enum
{
  BGPT_JSON_ERROR_INVALID,   /* not strict RFC 8259 JSON */
  BGPT_JSON_ERROR_TOO_DEEP,  /* nested deeper than BGPT_JSON_MAX_DEPTH */
} BgptJsonError;

GQuark    bgpt_json_error_quark (void);

/* The one way the app reads JSON: @length bytes of @text (-1: up to the
 * NUL) are first checked to be strict RFC 8259 JSON (no comments, no
 * single quotes, valid UTF-8, nothing after the value) nested at most
 * BGPT_JSON_MAX_DEPTH levels, and only then handed to json-glib. Returns
 * the root node, or NULL with @error set. */
JsonNode *bgpt_json_parse       (const char  *text,
                                 gssize       length,
                                 GError     **error);

/* The string member @name of @object, or NULL when it is absent or not a
 * string (json-glib's own getter warns on a wrong type, and a server or a
 * damaged file may send any type). */
const char *bgpt_json_object_get_string (JsonObject  *object,
                                         const char  *name);

/* Adds member @name to the object @builder is building: @value, or null
 * when @value is NULL. */
void        bgpt_json_builder_add_string_or_null (JsonBuilder *builder,
                                                  const char  *name,
                                                  const char  *value);

G_END_DECLS
