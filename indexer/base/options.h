/* options.h - what the programs' command lines share. */
#ifndef WS_OPTIONS_H
#define WS_OPTIONS_H

/* Reads s as a decimal number in [min, max] (min >= 0): digits only, no sign,
 * no trailing text. 0 with *out set, or -1 (and *out untouched). */
int ws_options_number(const char *s, long min, long max, long *out);

#endif
