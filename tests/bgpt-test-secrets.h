/* bgpt-test-secrets.h: the secrets the keyring tests store, so that
 * test-no-secret-leak can look for every one of them afterwards.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <string.h>
#include <gio/gio.h>
#include "bgpt-test-utils.h"

#define TEST_OPENAI_KEY          "sk-proj-bgptLEAKCHECKopenai0f3a9c5e7b21"
#define TEST_OPENAI_KEY_REPLACED "sk-proj-bgptLEAKCHECKreplaced4d8e2a6c90"
#define TEST_KOMMO_TOKEN         "eyJbgptLEAKCHECKkommo.7c1e5a9d3b.f08e2"
#define TEST_ACME_OPENAI_KEY     "sk-proj-bgptLEAKCHECKacme5b2d8f1a4c7e"
#define TEST_ACME_KOMMO_TOKEN    "eyJbgptLEAKCHECKacmekommo.2f6b.9d4c1"
#define TEST_CLI_OPENAI_KEY      "sk-proj-bgptLEAKCHECKcli8a3f6c1d9e24b"
#define TEST_CLI_KOMMO_TOKEN     "eyJbgptLEAKCHECKclikommo.5e9a.1c7d3"
#define TEST_INTEROP_TOKEN       "eyJbgptLEAKCHECKinterop.0b4e.8a2f6"
#define TEST_ADMIN_KEY           "sk-admin-bgptLEAKCHECKadmin3e7c1a9f5d28"
/* Refused inputs: the part that must never show up either. */
#define TEST_REFUSED_FRAGMENT    "bgptLEAKCHECKrefused"

static const char * const test_secrets[] = {
  TEST_OPENAI_KEY,
  TEST_OPENAI_KEY_REPLACED,
  TEST_KOMMO_TOKEN,
  TEST_ACME_OPENAI_KEY,
  TEST_ACME_KOMMO_TOKEN,
  TEST_CLI_OPENAI_KEY,
  TEST_CLI_KOMMO_TOKEN,
  TEST_INTEROP_TOKEN,
  TEST_ADMIN_KEY,
  TEST_REFUSED_FRAGMENT,
  NULL
};

/* Every secret above shares this, so a scan can also catch a secret that
 * was cut or changed on the way. */
#define TEST_SECRET_MARKER "bgptLEAKCHECK"

/* Whether @needle occurs in the @length bytes at @data (which may hold
 * NUL bytes, like /proc/PID/environ or a binary file). */
static inline gboolean
test_bytes_contain (const char *data,
                    gsize       length,
                    const char *needle)
{
  gsize needle_length = strlen (needle);

  for (gsize i = 0; needle_length <= length && i <= length - needle_length; i++)
    if (data[i] == needle[0] && memcmp (data + i, needle, needle_length) == 0)
      return TRUE;
  return FALSE;
}
