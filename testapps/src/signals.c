/* Signals: installs a SIGUSR1 handler (SA_RESTART) and an alarm, then blocks in read() on a
 * pipe. The alarm handler sends SIGUSR1 to itself and writes a byte into the pipe, so read()
 * is interrupted (ERESTARTSYS), restarted, and returns 1. Prints how often each handler ran. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t usr1_count, alarm_count;
static int fds[2];

static void on_usr1(int sig) { (void)sig; usr1_count++; }
static void on_alarm(int sig) { (void)sig; alarm_count++; kill(getpid(), SIGUSR1); write(fds[1], "x", 1); }

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_flags = SA_RESTART;
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    pipe(fds);
    alarm(1);
    char c;
    ssize_t n = read(fds[0], &c, 1);
    printf("read=%zd usr1=%d alarm=%d\n", n, (int)usr1_count, (int)alarm_count);
    return 0;
}
