/* SPDX-License-Identifier: MIT */
/* json-writer.h: a small pretty-printing JSON writer (2-space indent, stable key order). */
#pragma once

#include <glib.h>

/*
 * A minimal pretty printer: 2-space indent, one member per line, "[]" / "{}" when empty.
 * first[depth] says whether the container at that depth has had a member yet. Start with
 * FsimJsonWriter w = { .out = out }; then fsim_jw_open (&w, '{').
 */
#define FSIM_JSON_MAX_DEPTH 8

typedef struct {
    GString *out;
    int depth;
    gboolean first[FSIM_JSON_MAX_DEPTH];
} FsimJsonWriter;

/* Appends @s as a JSON string: valid UTF-8, control characters and U+2028/9 escaped. */
void fsim_json_string (GString *out, const char *s);
/* Before an array element / an object member ("key": ). */
void fsim_jw_item (FsimJsonWriter *w);
void fsim_jw_key (FsimJsonWriter *w, const char *key);
/* Open or close an object ('{' / '}') or array ('[' / ']'). */
void fsim_jw_open (FsimJsonWriter *w, char bracket);
void fsim_jw_close (FsimJsonWriter *w, char bracket);
/* A member with a string (NULL: null) or an unsigned value. */
void fsim_jw_str (FsimJsonWriter *w, const char *key, const char *value);
void fsim_jw_uint (FsimJsonWriter *w, const char *key, guint64 value);
/* A member true/false or null; an array element that is a string. */
void fsim_jw_bool (FsimJsonWriter *w, const char *key, gboolean value);
void fsim_jw_null (FsimJsonWriter *w, const char *key);
void fsim_jw_elem (FsimJsonWriter *w, const char *value);
