/* Seccomp user notification tests (NotificationsTest): getppid() answered by the tracer.
 *   notified_calls signal   : SIGUSR1 handler without SA_RESTART; one getppid(), during which the
 *                             test sends SIGUSR1; prints the call's result and errno once the
 *                             handler has run.
 *   notified_calls threads T N : T threads make N getppid() calls each, and N write(2)s of 0 bytes
 *                             to stdout's fd (ptrace stops when the test traces write); prints the
 *                             sum of the getppid results.
 *   notified_calls alarm N   : N alarm(0) calls (mediated, never notified: what a ptrace
 *                             stop costs once a listener exists; bench use). */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static volatile sig_atomic_t handled;

static void on_usr1(int sig) { (void) sig; handled = 1; }

static long n_calls;

static void *calls(void *arg)
{
    long sum = 0;
    (void) arg;
    for (long i = 0; i < n_calls; i++) {
        sum += syscall(SYS_getppid);
        if (write(1, "", 0) < 0)
            return NULL;
    }
    return (void *) sum;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "signal") == 0) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_usr1;
        sigaction(SIGUSR1, &sa, NULL);
        long r = syscall(SYS_getppid);
        int e = r < 0 ? errno : 0;
        while (!handled) /* a signal sent by the test during the call is delivered as it returns */
            usleep(1000);
        printf("getppid=%ld errno=%d handled\n", r, e);
        return 0;
    }
    if (argc > 2 && strcmp(argv[1], "alarm") == 0) {
        long n = atol(argv[2]);
        for (long i = 0; i < n; i++)
            alarm(0);
        printf("calls=%ld\n", n);
        return 0;
    }
    int t = argc > 2 ? atoi(argv[2]) : 4;
    n_calls = argc > 3 ? atol(argv[3]) : 100;
    pthread_t th[64];
    long total = 0;
    for (int i = 0; i < t; i++)
        pthread_create(&th[i], NULL, calls, NULL);
    for (int i = 0; i < t; i++) {
        void *s;
        pthread_join(th[i], &s);
        total += (long) s;
    }
    printf("sum=%ld\n", total);
    return 0;
}
