/* options.h - what the programs' command lines share: one table-driven
 * parser of options, so that each program lists its options instead of
 * writing a getopt loop, and every number is checked the same way. */
#ifndef WS_OPTIONS_H
#define WS_OPTIONS_H

#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ws_opt_kind {
    WS_OPT_FLAG,   /* no argument: *(int *)dest = 1 */
    WS_OPT_STRING, /* *(const char **)dest = the argument (argv's, not copied) */
    WS_OPT_NUMBER, /* *(long *)dest = the argument read by ws_options_number */
    WS_OPT_CALL,   /* dest is a ws_opt_call: its read is given the argument */
} ws_opt_kind;

/* An option whose argument the program reads itself, at the moment it
 * comes (so that its refusal is the first error in the order of argv, in
 * the program's own words): read returns 0, or -1 after printing why. */
typedef struct ws_opt_call {
    int (*read)(const char *arg, void *ctx);
    void *ctx;
} ws_opt_call;

typedef struct ws_option {
    const char *name; /* the long name, without "--"; NULL ends a table */
    ws_opt_kind kind;
    void *dest;
    long min, max;    /* WS_OPT_NUMBER: the range */
    const char *only; /* with ws_options_parse_command: the commands that take it,
                         each followed by a space ("kwic trend "); NULL: every one */
} ws_option;

/* Reads argv's options by opts (which ends with a NULL name; --help is
 * always known, -h too). An option is --name VALUE or --name=VALUE; there
 * are no one-letter options, so that an operand that begins with '-' and a
 * character past ASCII (`-草案`, a NOT in a query) is an operand, and one
 * that begins with '-' and an ASCII character (`-type`) is refused as an
 * unknown option rather than read as letters. Options and operands may
 * come in any order; "--" ends the options, and "-" alone is an operand.
 * Returns 0 with *first the index in argv of the first operand (argv is
 * permuted so that the operands come last, in their order); 1 when --help
 * was asked; -1 when an option is unknown, lacks its argument, has one it
 * does not take or has a bad number, after printing "prog: what is wrong"
 * on stderr, when a WS_OPT_CALL's read refused its argument (read said
 * why), or when there is no memory. */
int ws_options_parse(const char *prog, int argc, char **argv, const ws_option *opts, int *first);

/* ws_options_parse for a program whose argv[1] names a command (`wensuo
 * search ...`): its options and operands follow it, *first indexing argv;
 * an option whose `only` does not name the command is refused ("--limit is
 * not an option of wensuo export"), so that none is taken and ignored.
 * --help prints usage on stdout and exits 0. */
int ws_options_parse_command(const char *prog, int argc, char **argv, const ws_option *opts,
                             void (*usage)(FILE *), int *first);

/* Reads s as a decimal number in [min, max] (min >= 0): digits only, no sign,
 * no trailing text. 0 with *out set, or -1 (and *out untouched). */
int ws_options_number(const char *s, long min, long max, long *out);

#ifdef __cplusplus
}
#endif
#endif
