/* init.h - the sandbox's PID 1: reaps zombies, forwards signals, exits
 * with the command's status. */
#ifndef SBX_INIT_H
#define SBX_INIT_H

#include <signal.h>
#include <sys/types.h>

/* Signals sbx forwards to the command. */
void sbx_forwarded_signals(sigset_t *set);

/* Status to exit with for a wait status: the code, or 128+N for signal N. */
int sbx_exit_code(int wstatus);

/* Run as PID 1 until `command` exits; returns its exit code.  The
 * forwarded signals and SIGCHLD must be blocked on entry. */
int sbx_init_run(pid_t command);

#endif
