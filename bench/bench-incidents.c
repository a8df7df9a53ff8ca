/* bench-incidents.c: the incident store with a full history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Times, with BGPT_INCIDENT_STORE_DEFAULT_MAX_INCIDENTS incidents stored:
 * loading the file into a new store, walking the model as the Notificações
 * view does when it binds its rows, one report (a repeat) and one save.
 */

#define G_LOG_DOMAIN "bench-incidents"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "core/bgpt-i18n.h"
#include "core/bgpt-incident-store.h"

#define ROUNDS 30

static gboolean loaded;

static void
on_load (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!bgpt_incident_store_load_finish (BGPT_INCIDENT_STORE (object), result, &error))
    g_error ("%s", error->message);
  loaded = TRUE;
}

static void
load (BgptIncidentStore *store)
{
  loaded = FALSE;
  bgpt_incident_store_load_async (store, NULL, on_load, NULL);
  while (!loaded)
    g_main_context_iteration (NULL, TRUE);
}

static void
fill (const char *path,
      guint       n)
{
  g_autoptr(BgptIncidentStore) store = bgpt_incident_store_new (path);
  const char *errors[] = { "openai.auth", "openai.quota", "openai.timeout", "kommo.auth" };
  g_autoptr(GError) error = NULL;

  load (store);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *account = g_strdup_printf ("account-%u", i);
      g_autoptr(BgptDiagnosis) diagnosis = bgpt_diagnosis_new (BGPT_CHECK_OPENAI_KEY, errors[i % 4]);

      diagnosis->http_status = 401;
      diagnosis->api_type = g_strdup ("invalid_request_error");
      diagnosis->api_code = g_strdup ("invalid_api_key");
      diagnosis->api_message = g_strdup ("Incorrect API key provided: sk-…[hidden]. You can find your API key at "
                                         "https://platform.openai.com/account/api-keys.");
      diagnosis->request_id = g_strdup_printf ("req_%032u", i);
      diagnosis->detail = g_strdup ("HTTP 401 from /v1/models");
      bgpt_incident_store_report (store, account, diagnosis);
      if (i % 3 != 0)
        bgpt_incident_store_resolve (store, account, BGPT_CHECK_OPENAI_KEY);
    }

  if (!bgpt_incident_store_flush (store, &error))
    g_error ("%s", error->message);
}

/* What a row's bind reads, for every row (a list view binds only the
 * visible ones, so this is the worst case). */
static gsize
walk (GListModel *model)
{
  gsize total = 0;
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BgptIncident) incident = g_list_model_get_item (model, i);

      total += strlen (bgpt_incident_get_title (incident));
      total += strlen (bgpt_incident_get_account_id (incident));
      total += bgpt_incident_get_count (incident) + bgpt_incident_get_read (incident);
      total += bgpt_incident_get_first_seen (incident) != bgpt_incident_get_last_seen (incident);
      total += bgpt_incident_get_api_message (incident) != NULL;
    }

  return total;
}

/* "Copy details" on every row: the same worst case. */
static gsize
format_all (GListModel *model)
{
  gsize total = 0;
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BgptIncident) incident = g_list_model_get_item (model, i);
      g_autofree char *details = bgpt_incident_format_details (incident);

      total += strlen (details);
    }

  return total;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
print_figure (const char *what,
              double     *samples)
{
  qsort (samples, ROUNDS, sizeof (double), compare_doubles);
  g_print ("%-36s median %7.2f ms   max %7.2f ms\n", what, samples[ROUNDS / 2], samples[ROUNDS - 1]);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = g_dir_make_tmp ("bgpt-bench-incidents-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "incidents.json", NULL);
  guint n = BGPT_INCIDENT_STORE_DEFAULT_MAX_INCIDENTS;
  double load_ms[ROUNDS];
  double walk_ms[ROUNDS];
  double format_ms[ROUNDS];
  double report_ms[ROUNDS];
  double save_ms[ROUNDS];
  GStatBuf st;

  bgpt_i18n_init ();
  fill (path, n);
  g_stat (path, &st);
  g_print ("%u incidents, %" G_GINT64_FORMAT " bytes on disk\n", n, (gint64) st.st_size);

  for (guint round = 0; round < ROUNDS; round++)
    {
      g_autoptr(BgptIncidentStore) store = bgpt_incident_store_new (path);
      g_autoptr(BgptDiagnosis) diagnosis = bgpt_diagnosis_new (BGPT_CHECK_OPENAI_KEY, "openai.auth");
      g_autoptr(GError) error = NULL;
      gint64 start;

      start = g_get_monotonic_time ();
      load (store);
      load_ms[round] = (g_get_monotonic_time () - start) / 1000.0;
      g_assert (g_list_model_get_n_items (G_LIST_MODEL (store)) == n);

      start = g_get_monotonic_time ();
      walk (G_LIST_MODEL (store));
      walk_ms[round] = (g_get_monotonic_time () - start) / 1000.0;

      start = g_get_monotonic_time ();
      format_all (G_LIST_MODEL (store));
      format_ms[round] = (g_get_monotonic_time () - start) / 1000.0;

      /* The oldest account: the repeat is found at the end of the list. */
      start = g_get_monotonic_time ();
      bgpt_incident_store_report (store, "account-0", diagnosis);
      report_ms[round] = (g_get_monotonic_time () - start) / 1000.0;

      start = g_get_monotonic_time ();
      if (!bgpt_incident_store_flush (store, &error))
        g_error ("%s", error->message);
      save_ms[round] = (g_get_monotonic_time () - start) / 1000.0;
    }

  print_figure ("load (read + parse + model)", load_ms);
  print_figure ("walk the model (rows' fields)", walk_ms);
  print_figure ("format details of every row", format_ms);
  print_figure ("report a repeat", report_ms);
  print_figure ("save (serialize + fsync + rename)", save_ms);

  g_remove (path);
  g_rmdir (dir);
  return 0;
}
