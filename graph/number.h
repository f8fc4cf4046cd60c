/* SPDX-License-Identifier: MIT */
/* number.h: a number as a message shows it, the same in every locale. */
#pragma once

#include <glib.h>

/**
 * fsim_number_text:
 * @v: any double
 *
 * @v as the shortest decimal text that reads back as @v ("0.5", "5000.0000001", "1e-300",
 * "9007199254740992"), with a decimal point whatever the locale: what a message says of a
 * number the user wrote in JSON or on the command line. printf's "%g" keeps six digits, so
 * 5000.0000001 read "5000 is out of range (expected a number from 0 to 5000)", and under a
 * German locale 0.5 read "0,5". NaN and the infinities are "nan", "inf" and "-inf".
 * Returns: (transfer full): the text. Can't fail.
 */
char *fsim_number_text (double v);
