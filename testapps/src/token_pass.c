/* Two threads that compute, then hand a token back and forth through an atomic flag, spinning
 * (no syscall) while they wait for it: a program that needs preemption when only one traced
 * thread runs at a time. Usage: token_pass [work] [rounds]. Phase 1 ("compute"): each thread
 * burns `work` iterations on its own (in parallel on a multi-core host). Phase 2 ("token"): the
 * token goes round `rounds` times; the holder burns work/rounds/10 iterations before passing
 * it. Prints each phase's CLOCK_MONOTONIC duration in ns, the token's final count, the
 * process's CPU time in ns (CLOCK_PROCESS_CPUTIME_ID, which the kernel answers), and each
 * thread's CPU time at the end of its compute phase (CLOCK_THREAD_CPUTIME_ID). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long work = 200000000, rounds = 20;
static atomic_long turn;           /* which thread holds the token: 0 or 1 */
static atomic_long passes;
static volatile unsigned long sink;

static void burn(long n)
{
    unsigned long x = 1;
    for (long i = 0; i < n; i++)
        x = x * 6364136223846793005UL + 1442695040888963407UL;
    sink += x;
}

static long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static pthread_barrier_t phase;
static long compute_cpu[2];

static long thread_cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static void *player(void *arg)
{
    long me = (long)arg;
    burn(work);
    compute_cpu[me] = thread_cpu_ns();
    pthread_barrier_wait(&phase);
    for (long r = 0; r < rounds; r++) {
        while (atomic_load(&turn) != me)
            ; /* spin: no syscall */
        burn(work / rounds / 10);
        atomic_fetch_add(&passes, 1);
        atomic_store(&turn, 1 - me);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        work = atol(argv[1]);
    if (argc > 2)
        rounds = atol(argv[2]);
    pthread_barrier_init(&phase, NULL, 3);
    pthread_t t[2];
    long start = now_ns();
    for (long i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, player, (void *)i);
    pthread_barrier_wait(&phase);
    long computed = now_ns();
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    long end = now_ns();
    struct timespec cpu;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
    printf("compute %ld\ntoken %ld\npasses %ld\ncpu %ld\ncompute_cpu0 %ld\ncompute_cpu1 %ld\n", computed - start,
           end - computed, atomic_load(&passes), cpu.tv_sec * 1000000000L + cpu.tv_nsec, compute_cpu[0], compute_cpu[1]);
    return 0;
}
