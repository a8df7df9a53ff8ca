/* fuzz-common.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What every fuzz target shares with the libFuzzer runtime and with
 * fuzz-replay.c, the driver that runs a corpus as an ordinary test.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

int  LLVMFuzzerInitialize   (int           *argc,
                             char        ***argv);
int  LLVMFuzzerTestOneInput (const guint8  *data,
                             size_t         size);

/* A critical or a warning means a broken promise: make it a crash the
 * fuzzer reports, and keep the logs quiet otherwise. */
static inline void
bgpt_fuzz_init (void)
{
  g_log_set_always_fatal (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  g_setenv ("G_MESSAGES_DEBUG", "", TRUE);
}

/* LLVMFuzzerInitialize for a target that needs nothing more than
 * bgpt_fuzz_init (). */
#define BGPT_FUZZ_DEFINE_INITIALIZE()             \
  int                                             \
  LLVMFuzzerInitialize (int    *argc,             \
                        char ***argv)             \
  {                                               \
    bgpt_fuzz_init ();                            \
    return 0;                                     \
  }

G_END_DECLS
