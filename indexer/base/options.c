#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ws_options_number(const char *s, long min, long max, long *out)
{
    if (!s || *s < '0' || *s > '9')
        return -1;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

/* getopt_long's value for option i of the table: its short name, or a code
 * above every character. */
static int code_of(const ws_option *o, int i)
{
    return o->short_name ? (unsigned char)o->short_name : 256 + i;
}

int ws_options_parse(const char *prog, int argc, char **argv, const ws_option *opts, int *first)
{
    struct option lo[WS_OPTIONS_MAX + 2];
    char shorts[3 * WS_OPTIONS_MAX + 4];
    size_t n = 0, ns = 0;
    shorts[ns++] = ':'; /* a missing argument is ':' rather than '?' */
    for (; opts[n].name; n++) {
        if (n == WS_OPTIONS_MAX) {
            fprintf(stderr, "%s: too many options for the parser\n", prog);
            return -1;
        }
        int arg = opts[n].kind != WS_OPT_FLAG;
        lo[n] = (struct option){opts[n].name, arg ? required_argument : no_argument, NULL,
                                code_of(&opts[n], (int)n)};
        if (opts[n].short_name) {
            shorts[ns++] = opts[n].short_name;
            if (arg)
                shorts[ns++] = ':';
        }
    }
    lo[n] = (struct option){"help", no_argument, NULL, 'h'};
    lo[n + 1] = (struct option){NULL, 0, NULL, 0};
    shorts[ns++] = 'h';
    shorts[ns] = '\0';

    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, shorts, lo, NULL)) != -1) {
        if (c == 'h')
            return 1;
        if (c == '?' || c == ':') {
            const char *what = argv[optind - 1];
            if (c == ':')
                fprintf(stderr, "%s: %s needs a value\n", prog, what);
            else
                fprintf(stderr, "%s: unknown option %s (see --help)\n", prog, what);
            return -1;
        }
        size_t i = 0;
        while (i < n && code_of(&opts[i], (int)i) != c)
            i++;
        if (i == n)
            return -1;
        const ws_option *o = &opts[i];
        switch (o->kind) {
        case WS_OPT_FLAG:
            *(int *)o->dest = 1;
            break;
        case WS_OPT_STRING:
            *(const char **)o->dest = optarg;
            break;
        case WS_OPT_NUMBER:
            if (ws_options_number(optarg, o->min, o->max, (long *)o->dest) != 0) {
                fprintf(stderr, "%s: --%s %s: not a number from %ld to %ld\n", prog, o->name,
                        optarg, o->min, o->max);
                return -1;
            }
            break;
        case WS_OPT_CALL: {
            const ws_opt_call *call = o->dest;
            if (call->read(optarg, call->ctx) != 0)
                return -1;
            break;
        }
        }
    }
    *first = optind;
    return 0;
}

int ws_options_parse_command(const char *prog, int argc, char **argv, const ws_option *opts,
                             void (*usage)(FILE *), int *first)
{
    int rc = ws_options_parse(prog, argc - 1, argv + 1, opts, first);
    if (rc > 0) {
        usage(stdout);
        exit(0);
    }
    if (rc < 0)
        return -1;
    *first += 1;
    return 0;
}
