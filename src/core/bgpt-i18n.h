/* bgpt-i18n.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Sets the locale from the environment and binds the text domain, to the
 * installed catalog or to $BGPT_LOCALEDIR (set by the build tree's devenv
 * and by the tests). Safe to call more than once. */
void bgpt_i18n_init (void);

G_END_DECLS
