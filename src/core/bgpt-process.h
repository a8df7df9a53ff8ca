/* bgpt-process.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Set to 1 to let a crash leave a core dump, for debugging: a core dump
 * holds the secrets the process had in memory. */
#define BGPT_ALLOW_CORE_DUMPS_ENV "BGPT_ALLOW_CORE_DUMPS"

/* At start: makes the process not dumpable (no core dump, no ptrace by
 * other processes of the user) and its core size limit zero, unless
 * BGPT_ALLOW_CORE_DUMPS_ENV is "1". */
void                bgpt_process_forbid_core_dumps (void);

/* The environment variables that override an account for --check, some of
 * them secrets: a program the app starts does not inherit them. */
const char * const *bgpt_process_override_variables (void);

/* Removes bgpt_process_override_variables() from the process's own
 * environment: for the windowed app, which never reads them, so that no
 * program it starts, however started, inherits them. Call early: the
 * environment is not thread-safe. */
void                bgpt_process_unset_override_variables (void);

/* Removes bgpt_process_override_variables() from what @context passes on. */
void                bgpt_process_clean_launch_context (GAppLaunchContext *context);

G_END_DECLS
