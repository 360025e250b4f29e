/* Threads that end at the same simulated date while the main thread joins them in order, for
 * ROUNDS rounds: each round starts THREADS threads that sleep 10 ms (they all wake at the same
 * date), read the clock READS times (a stop each under simulation) and exit. glibc's pthread_join waits on the thread's tid with an
 * untimed futex only while the thread is alive, so how many futex calls the main thread makes
 * shows whether it ran before or after the threads that were due at that date.
 * usage: join_together [ROUNDS [THREADS [READS]]] */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long reads;

static void *worker(void *arg)
{
    (void)arg;
    struct timespec ten_ms = {0, 10 * 1000 * 1000};
    nanosleep(&ten_ms, NULL);
    struct timespec now;
    for (long i = 0; i < reads; i++)
        clock_gettime(CLOCK_MONOTONIC, &now);
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
    pthread_t threads[64];
    for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < count; i++)
            if (pthread_create(&threads[i], NULL, worker, NULL) != 0) {
                perror("pthread_create");
                return 1;
            }
        for (int i = 0; i < count; i++)
            pthread_join(threads[i], NULL);
    }
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    printf("joined %d rounds of %d threads at %ld.%09ld\n", rounds, count, (long)now.tv_sec, now.tv_nsec);
    return 0;
}
