/* Multi-threaded: 3 threads each call getppid() 5 times and write one line; the main thread
 * joins them. The tracer must see every thread's syscalls under that thread's own tid. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static void *worker(void *arg)
{
    char line[64];
    for (int i = 0; i < 5; i++)
        syscall(SYS_getppid);
    int n = snprintf(line, sizeof line, "thread %ld tid %ld\n", (long)arg, (long)syscall(SYS_gettid));
    write(1, line, (size_t)n);
    return NULL;
}

int main(void)
{
    pthread_t t[3];
    for (long i = 0; i < 3; i++)
        pthread_create(&t[i], NULL, worker, (void *)i);
    for (int i = 0; i < 3; i++)
        pthread_join(t[i], NULL);
    return 0;
}
