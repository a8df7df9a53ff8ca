/* bgpt-plugin-output.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdio.h>
#include <glib.h>

G_BEGIN_DECLS

/* What the monitoring plugin protocol lets through (Nagios plugin API):
 * the first line and the long output are prose, performance data follows
 * the first '|'. Text from a server must never add a '|', a line break or
 * a byte the reader's charset cannot show. */

/* Notes the locale's charset for the output, then works in UTF-8 whatever
 * it is: the libraries' messages (a connection error's words from
 * strerror, libsoup, glib-networking) then reach the output whole instead
 * of already turned into '?' by gettext. Call once, after setlocale(). */
void     bgpt_plugin_output_init    (void);

/* Whether prose may go out as UTF-8: the locale's charset is UTF-8. Under
 * any other charset (LC_ALL=C, as negate and many daemons set it) prose is
 * transliterated to ASCII instead. */
gboolean bgpt_plugin_output_utf8_locale (void);

/* One line of prose: valid UTF-8 (or, with @ascii, printable ASCII), every
 * control or line-breaking character turned into a space, every '|' into a
 * look-alike. NULL in, NULL out. */
char    *bgpt_plugin_prose          (const char *text,
                                     gboolean    ascii);

/* At most @max_chars characters of @prose, the last an ellipsis when it
 * had to be cut. */
char    *bgpt_plugin_shorten        (const char *prose,
                                     guint       max_chars,
                                     gboolean    ascii);

/* A performance data label: printable ASCII without a quote, '=' or '|'. */
char    *bgpt_plugin_label          (const char *text);

/* Writes @text to @stream as it is: g_print() would convert it to the
 * locale's charset and turn what it cannot show into '?'. */
void     bgpt_plugin_write          (FILE       *stream,
                                     const char *text);

G_END_DECLS
