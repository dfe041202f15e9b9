/* research.h - the client's instruments for research: `wensuo kwic`
 * (concordance), locally (--db) or through the daemon (--server), printed
 * for people (aligned, coloured on a terminal) or as --json. */
#ifndef WS_RESEARCH_H
#define WS_RESEARCH_H

#ifdef __cplusplus
extern "C" {
#endif

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
