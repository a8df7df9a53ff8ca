/* fuzz-replay.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs a fuzz target over every file of its corpus once, as a TAP test, so
 * the seeds and every input that once crashed stay tested in the ordinary and
 * the sanitizer builds, without clang or libFuzzer.
 *
 * usage: fuzz-replay-TARGET FILE-OR-DIRECTORY…
 */

#define G_LOG_DOMAIN "bgpt-fuzz"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "fuzz-common.h"

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

static void
collect (const char *path,
         GPtrArray  *files)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_ptr_array_add (files, g_strdup (path));
      return;
    }

  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = NULL;

      if (name[0] == '.')
        continue;
      child = g_build_filename (path, name, NULL);
      collect (child, files);
    }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  guint failed = 0;

  LLVMFuzzerInitialize (&argc, &argv);

  for (int i = 1; i < argc; i++)
    collect (argv[i], files);
  g_ptr_array_sort (files, compare_strings);

  printf ("TAP version 13\n1..%u\n", files->len);
  if (files->len == 0)
    {
      printf ("Bail out! no corpus file found\n");
      return 1;
    }

  for (guint i = 0; i < files->len; i++)
    {
      const char *file = g_ptr_array_index (files, i);
      g_autoptr(GError) error = NULL;
      g_autofree char *contents = NULL;
      g_autofree guint8 *input = NULL;
      gsize length = 0;

      if (!g_file_get_contents (file, &contents, &length, &error))
        {
          printf ("not ok %u - %s\n# %s\n", i + 1, file, error->message);
          failed++;
          continue;
        }

      /* Exactly the file's bytes, without the trailing NUL, so that ASan
       * catches a read one past the end as libFuzzer would. */
      input = g_malloc (MAX (length, 1));
      memcpy (input, contents, length);
      printf ("# %s\n", file);
      fflush (stdout);
      LLVMFuzzerTestOneInput (input, length);
      printf ("ok %u - %s\n", i + 1, file);
    }

  return failed > 0 ? 1 : 0;
}
