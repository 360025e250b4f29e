/* CPU-bound threads: usage cpu_threads N work. N threads each burn `work` iterations with no
 * syscall; main joins them and prints the CLOCK_MONOTONIC elapsed ns ("elapsed N") and its own
 * process CPU time ("cpu N"). On an N-core host the threads compute at once. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long work = 100000000;
static volatile unsigned long sink;

static void *burn(void *arg)
{
    (void)arg;
    unsigned long x = 1;
    for (long i = 0; i < work; i++)
        x = x * 6364136223846793005UL + 1442695040888963407UL;
    sink += x;
    return NULL;
}

static long ns(clockid_t c)
{
    struct timespec ts;
    clock_gettime(c, &ts);
    return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 4;
    if (argc > 2)
        work = atol(argv[2]);
    if (n < 1 || n > 256) {
        fprintf(stderr, "cpu_threads: N must be 1..256\n");
        return 2;
    }
    pthread_t t[256];
    long start = ns(CLOCK_MONOTONIC);
    for (int i = 0; i < n; i++)
        pthread_create(&t[i], NULL, burn, NULL);
    for (int i = 0; i < n; i++)
        pthread_join(t[i], NULL);
    printf("elapsed %ld\ncpu %ld\n", ns(CLOCK_MONOTONIC) - start, ns(CLOCK_PROCESS_CPUTIME_ID));
    return 0;
}
