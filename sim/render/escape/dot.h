/* SPDX-License-Identifier: MIT */
/* dot.h: the escaping module of Graphviz's DOT. */
#pragma once

#include <glib.h>

/* Appends one label line of a quoted DOT string: cleaned (valid UTF-8, no control or bidi
 * characters), cut to a readable width, with the characters DOT or Graphviz would interpret
 * (" \ &) escaped. Can't fail. */
void fsim_dot_append_escaped (GString *out, const char *s);
