/* init.c - PID 1 of the sandbox's PID namespace.
 *
 * A process signalled from a terminal gets the signal directly (it is in
 * the terminal's foreground process group), so init forwards only signals
 * that another process sent (SI_USER/SI_QUEUE: the monitor, a kill(1)),
 * never the terminal's own (SI_KERNEL), which would arrive twice. */
#include "config.h"

#include <signal.h>
#include <sys/signalfd.h>
#include <sys/wait.h>

#include "init.h"
#include "util.h"

void sbx_forwarded_signals(sigset_t *set)
{
    sigemptyset(set);
    int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH};
    for (size_t i = 0; i < ARRAY_SIZE(sigs); i++)
        sigaddset(set, sigs[i]);
}

int sbx_exit_code(int wstatus)
{
    if (WIFEXITED(wstatus))
        return WEXITSTATUS(wstatus);
    if (WIFSIGNALED(wstatus))
        return 128 + WTERMSIG(wstatus);
    return 1;
}

/* Reap every child that has exited; returns true once `command` is gone. */
static bool reap(pid_t command, int *code)
{
    bool done = false;
    for (;;) {
        int st;
        pid_t p = waitpid(-1, &st, WNOHANG);
        if (p <= 0)
            break;
        if (p == command) {
            *code = sbx_exit_code(st);
            done = true;
        }
    }
    return done;
}

int sbx_init_run(pid_t command)
{
    sigset_t set;
    sbx_forwarded_signals(&set);
    sigaddset(&set, SIGCHLD);
    int sfd = signalfd(-1, &set, SFD_CLOEXEC);
    if (sfd < 0)
        return 1;
    int code = 1;
    for (;;) {
        struct signalfd_siginfo si;
        ssize_t n = read(sfd, &si, sizeof(si));
        if (n < 0 && errno == EINTR)
            continue;
        if (n != sizeof(si))
            return 1;
        if (si.ssi_signo == SIGCHLD) {
            if (reap(command, &code))
                return code;
        } else if (si.ssi_code != SI_KERNEL) {
            kill(command, (int)si.ssi_signo);
        }
    }
}
