/* research.h - the client's instruments for research: `wensuo kwic`
 * (concordance), locally (--db) or through the daemon (--server), printed
 * for people (aligned, coloured on a terminal) or as --json. */
#ifndef WS_RESEARCH_H
#define WS_RESEARCH_H

#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Prints the research commands' usage lines to f (each begins with
 * spaces, to follow a "usage:" line or the other commands'). */
void ws_research_usage(FILE *f);

/* 1 when cmd is one of the research commands. */
int ws_research_is_command(const char *cmd);

/* Runs the research command argv[1] with its options and arguments (argv as
 * main got it); returns the exit status: 0, 1 (failed), 2 (bad usage or
 * query). */
int ws_research_main(int argc, char **argv);

#ifdef __cplusplus
}
#endif
#endif
