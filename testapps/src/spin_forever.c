/* A livelock: a worker thread spins (no syscall) on a flag nobody ever sets while the main
 * thread waits for it in pthread_join. The run never ends by itself: under --cpu-model=none the
 * simulated clock stands still while the worker burns CPU, which is what run's spin diagnosis
 * names (and --spin-limit ends). Prints "started" once the worker runs.
 * Usage: spin_forever */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

static atomic_int never_set;

static __attribute__((noinline)) void wait_for_the_flag(void)
{
    while (!atomic_load_explicit(&never_set, memory_order_relaxed))
        ;
}

static void *worker(void *arg)
{
    (void)arg;
    puts("started");
    fflush(stdout);
    wait_for_the_flag();
    return NULL;
}

int main(void)
{
    pthread_t t;
    if (pthread_create(&t, NULL, worker, NULL) != 0)
        return 1;
    pthread_join(t, NULL);
    return 0;
}
