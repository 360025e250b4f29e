/* Waits in simulated time cut short by signals. A child sends SIGUSR1 to its parent four times,
 * 50 ms apart (simulated), then exits; the parent, with a SIGUSR1 handler (SA_RESTART, which
 * these calls ignore), waits in turn:
 *   1. poll on no fd, 1 s          -> EINTR at 0.05
 *   2. nanosleep 1 s with rem       -> EINTR at 0.10, rem = 0.95 s
 *   3. epoll_wait, empty set, 1 s   -> EINTR at 0.15
 *   4. SIGUSR1 blocked; ppoll 1 s with an empty mask -> the handler runs under ppoll's mask,
 *      EINTR at 0.20
 *   5. poll on no fd, 300 ms: the child's exit (SIGCHLD, ignored by default) does not cut it
 *      -> 0 at 0.50
 * Prints "RESULT call=.. ret=.. errno=.. handled=<handler runs so far> t=.." per wait.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t handled;

static void on_usr1(int sig)
{
    (void)sig;
    handled++;
}

static double t(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void report(const char *call, int ret, int err)
{
    printf("RESULT call=%s ret=%d errno=%s handled=%d t=%.6f\n", call, ret, ret < 0 ? strerrorname_np(err) : "0",
           (int)handled, t());
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_flags = SA_RESTART;
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    pid_t parent = getpid();
    pid_t child = fork();
    if (child == 0) {
        struct timespec gap = {.tv_nsec = 50000000L};
        for (int i = 0; i < 4; i++) {
            nanosleep(&gap, NULL);
            kill(parent, SIGUSR1);
        }
        _exit(0);
    }
    int r = poll(NULL, 0, 1000);
    report("poll", r, errno);
    struct timespec second = {.tv_sec = 1}, rem = {0, 0};
    r = nanosleep(&second, &rem);
    report("nanosleep", r, errno);
    printf("RESULT call=rem sec=%ld nsec=%ld\n", (long)rem.tv_sec, rem.tv_nsec);
    int ep = epoll_create1(0);
    struct epoll_event ev;
    r = epoll_wait(ep, &ev, 1, 1000);
    report("epoll_wait", r, errno);
    sigset_t usr1, none;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigemptyset(&none);
    sigprocmask(SIG_BLOCK, &usr1, NULL);
    struct timespec one = {.tv_sec = 1};
    r = ppoll(NULL, 0, &one, &none);
    report("ppoll", r, errno);
    r = poll(NULL, 0, 300);
    report("poll", r, errno);
    waitpid(child, NULL, 0);
    return 0;
}
