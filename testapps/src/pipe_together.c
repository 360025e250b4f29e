/* Threads that hand their results to the main thread at the same simulated date, for ROUNDS
 * rounds: each round starts THREADS threads that sleep 10 ms (they all wake at the same date),
 * read the clock READS times (a stop each under simulation), count themselves done in shared
 * memory and write one byte into a pipe, then exit. The main thread blocks reading the pipe;
 * once woken, it looks at the shared count (memory: no syscall, so nothing stops it there).
 * Whether it sees every thread done shows whether it ran after the threads due at that date or
 * beside them. Prints "saw every thread done in R of C rounds".
 * usage: pipe_together [ROUNDS [THREADS [READS]]] */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static long reads;
static int token[2];
static atomic_int done;

static void *worker(void *arg)
{
    (void)arg;
    struct timespec ten_ms = {0, 10 * 1000 * 1000};
    nanosleep(&ten_ms, NULL);
    struct timespec now;
    for (long i = 0; i < reads; i++)
        clock_gettime(CLOCK_MONOTONIC, &now);
    atomic_fetch_add(&done, 1);
    if (write(token[1], "x", 1) != 1)
        perror("write");
    return NULL;
}

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 20;
    int count = argc > 2 ? atoi(argv[2]) : 4;
    reads = argc > 3 ? atol(argv[3]) : 0;
    if (rounds < 1 || count < 1 || count > 64) {
        fprintf(stderr, "usage: %s [ROUNDS [THREADS(1-64) [READS]]]\n", argv[0]);
        return 2;
    }
    if (pipe(token) != 0) {
        perror("pipe");
        return 1;
    }
    pthread_t threads[64];
    int together = 0;
    for (int r = 0; r < rounds; r++) {
        atomic_store(&done, 0);
        for (int i = 0; i < count; i++)
            if (pthread_create(&threads[i], NULL, worker, NULL) != 0) {
                perror("pthread_create");
                return 1;
            }
        char bytes[64];
        ssize_t got = read(token[0], bytes, 1);
        if (got != 1) {
            perror("read");
            return 1;
        }
        if (atomic_load(&done) == count)
            together++;
        for (long left = count - 1; left > 0; left -= got) {
            got = read(token[0], bytes, left);
            if (got <= 0) {
                perror("read");
                return 1;
            }
        }
        for (int i = 0; i < count; i++)
            pthread_join(threads[i], NULL);
    }
    printf("saw every thread done in %d of %d rounds\n", together, rounds);
    return 0;
}
