/* Children that exit at the same simulated date while their parent waits for them, for ROUNDS
 * rounds: each round forks CHILDREN children that sleep 10 ms (they all wake at the same date),
 * read the clock READS times (a stop each under simulation) and exit. The parent blocks in
 * waitpid(-1) until one ends, then reaps with WNOHANG the ones already gone, and counts them.
 * How many it finds together shows whether it ran after the children due at that date, or
 * beside them. The parent blocks SIGCHLD (as a program that takes it from a signalfd does): a
 * SIGCHLD delivered to a traced parent would stop it anyway, so only a blocked one leaves the
 * woken wait alone. Prints "reaped together R of C" (R summed over the rounds, C children in all).
 * usage: reap_together [ROUNDS [CHILDREN [READS]]] */
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void child(long reads)
{
    struct timespec ten_ms = {0, 10 * 1000 * 1000};
    nanosleep(&ten_ms, NULL);
    struct timespec now;
    for (long i = 0; i < reads; i++)
        clock_gettime(CLOCK_MONOTONIC, &now);
    _exit(0);
}

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 20;
    int count = argc > 2 ? atoi(argv[2]) : 4;
    long reads = argc > 3 ? atol(argv[3]) : 0;
    if (rounds < 1 || count < 1) {
        fprintf(stderr, "usage: %s [ROUNDS [CHILDREN [READS]]]\n", argv[0]);
        return 2;
    }
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, NULL);
    long together = 0;
    for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < count; i++) {
            pid_t pid = fork();
            if (pid < 0) {
                perror("fork");
                return 1;
            }
            if (pid == 0) {
                sigprocmask(SIG_UNBLOCK, &chld, NULL);
                child(reads);
            }
        }
        for (int left = count; left > 0;) {
            int status;
            if (waitpid(-1, &status, 0) < 0) {
                perror("waitpid");
                return 1;
            }
            left--;
            int found = 1;
            while (left > 0 && waitpid(-1, &status, WNOHANG) > 0) {
                left--;
                found++;
            }
            if (found == count)
                together += found;
        }
    }
    printf("reaped together %ld of %ld\n", together, (long)rounds * count);
    return 0;
}
