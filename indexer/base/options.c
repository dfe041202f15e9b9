#include "options.h"

#include <errno.h>
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

/* Whether the command-list only (see ws_option) names cmd. */
static int takes(const char *only, const char *cmd)
{
    if (!only || !cmd)
        return 1;
    size_t n = strlen(cmd);
    if (!n) /* (no command names none; strstr would find "" everywhere) */
        return 0;
    for (const char *w = only; (w = strstr(w, cmd)) != NULL; w++)
        if ((w == only || w[-1] == ' ') && w[n] == ' ')
            return 1;
    return 0;
}

/* Sets option o from its value (NULL for a flag). 0, or -1 after saying why. */
static int set(const char *prog, const ws_option *o, const char *value)
{
    switch (o->kind) {
    case WS_OPT_FLAG:
        *(int *)o->dest = 1;
        return 0;
    case WS_OPT_STRING:
        *(const char **)o->dest = value;
        return 0;
    case WS_OPT_NUMBER:
        if (ws_options_number(value, o->min, o->max, (long *)o->dest) != 0) {
            fprintf(stderr, "%s: --%s %s: not a number from %ld to %ld\n", prog, o->name, value,
                    o->min, o->max);
            return -1;
        }
        return 0;
    case WS_OPT_CALL: {
        const ws_opt_call *call = o->dest;
        return call->read(value, call->ctx) != 0 ? -1 : 0;
    }
    }
    return -1;
}

/* Reads one option at argv[*i] (which begins with '-'), moving *i past its
 * value. 0, 1 for help, -1 after saying why. */
static int option(const char *prog, const char *cmd, int argc, char **argv, int *i,
                  const ws_option *opts)
{
    const char *a = argv[*i];
    if (!strcmp(a, "--help") || !strcmp(a, "-h"))
        return 1;
    if (a[1] != '-') {
        fprintf(stderr,
                "%s: unknown option %s (see --help; a word that begins with - goes after --)\n",
                prog, a);
        return -1;
    }
    const char *name = a + 2, *eq = strchr(name, '=');
    size_t len = eq ? (size_t)(eq - name) : strlen(name);
    const ws_option *o = opts;
    while (o->name && (strlen(o->name) != len || memcmp(o->name, name, len)))
        o++;
    if (!o->name) {
        fprintf(stderr, "%s: unknown option --%.*s (see --help)\n", prog, (int)len, name);
        return -1;
    }
    if (!takes(o->only, cmd)) {
        fprintf(stderr, "%s: --%s is not an option of %s %s (see --help)\n", prog, o->name, prog,
                cmd);
        return -1;
    }
    if (o->kind == WS_OPT_FLAG) {
        if (eq) {
            fprintf(stderr, "%s: --%s takes no value\n", prog, o->name);
            return -1;
        }
        return set(prog, o, NULL);
    }
    const char *value = eq ? eq + 1 : NULL;
    if (!eq) {
        if (*i + 1 >= argc) {
            fprintf(stderr, "%s: --%s needs a value\n", prog, o->name);
            return -1;
        }
        value = argv[++*i];
    }
    return set(prog, o, value);
}

static int parse(const char *prog, const char *cmd, int argc, char **argv, const ws_option *opts,
                 int *first)
{
    /* where the operands are: argv is permuted once all is read */
    char *operand = calloc(argc > 0 ? (size_t)argc : 1, 1);
    char **was = malloc((argc > 0 ? (size_t)argc : 1) * sizeof *was);
    if (!operand || !was) {
        free(operand);
        free(was);
        fprintf(stderr, "%s: out of memory\n", prog);
        return -1;
    }
    int rc = 0, i = 1;
    for (; i < argc && rc == 0; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--")) {
            for (i++; i < argc; i++)
                operand[i] = 1;
            break;
        }
        /* "-" alone, and a word that begins with '-' and a character past
         * ASCII (a query's NOT), are operands */
        if (a[0] != '-' || !a[1] || (unsigned char)a[1] >= 0x80)
            operand[i] = 1;
        else
            rc = option(prog, cmd, argc, argv, &i, opts);
    }
    if (rc == 0) {
        /* the options (and their values) first, as read, then the
         * operands in their order ("--" goes with the options) */
        memcpy(was, argv, (size_t)argc * sizeof *was);
        int w = 1;
        for (int r = 1; r < argc; r++)
            if (!operand[r])
                argv[w++] = was[r];
        *first = w;
        for (int r = 1; r < argc; r++)
            if (operand[r])
                argv[w++] = was[r];
    }
    free(operand);
    free(was);
    return rc;
}

int ws_options_parse(const char *prog, int argc, char **argv, const ws_option *opts, int *first)
{
    return parse(prog, NULL, argc, argv, opts, first);
}

int ws_options_parse_command(const char *prog, int argc, char **argv, const ws_option *opts,
                             void (*usage)(FILE *), int *first)
{
    int rc = parse(prog, argv[1], argc - 1, argv + 1, opts, first);
    if (rc > 0) {
        usage(stdout);
        exit(0);
    }
    if (rc < 0)
        return -1;
    *first += 1;
    return 0;
}
