/* A non-leader thread execs argv[1] (after 0.1 s) while the main thread sleeps: the kernel gives the new
 * image the leader's pid, so a tracer sees the exec reported with the thread's former tid. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static char *target;

static void *execer(void *arg)
{
    (void)arg;
    usleep(100000); /* let the main thread reach its sleep first: the same syscalls every run */
    execl(target, target, (char *)NULL);
    perror("execl");
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: thread_exec PROGRAM\n");
        return 2;
    }
    target = argv[1];
    pthread_t t;
    pthread_create(&t, NULL, execer, NULL);
    sleep(10);
    return 1;
}
