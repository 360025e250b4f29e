/* A family of processes that show their pids: the parent starts a thread, then forks CHILDREN
 * children (argv[1], default 3) one after the other and waits for each; the last child forks a
 * grandchild and exits without waiting, so the grandchild is re-parented (to the pid
 * namespace's init under simterpose run). Each process prints one line: its pid, ppid, tid,
 * what /proc/self names and /proc/self/stat's first field, and a random number seeded with its
 * pid, as programs that seed with getpid() do. The parent also prints what waitpid returned. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void show(const char *who)
{
    char self[64] = "?";
    ssize_t n = readlink("/proc/self", self, sizeof self - 1);
    if (n >= 0) {
        self[n] = '\0';
    }
    int statPid = -1;
    FILE *f = fopen("/proc/self/stat", "r");
    if (f != NULL) {
        if (fscanf(f, "%d", &statPid) != 1) {
            statPid = -1;
        }
        fclose(f);
    }
    srand((unsigned)getpid());
    printf("%s pid=%d ppid=%d tid=%ld proc_self=%s stat_pid=%d rand=%d\n", who, (int)getpid(), (int)getppid(),
           (long)syscall(SYS_gettid), self, statPid, rand());
    fflush(stdout);
}

static void *thread_main(void *arg)
{
    (void)arg;
    printf("thread tid=%ld\n", (long)syscall(SYS_gettid));
    fflush(stdout);
    return NULL;
}

int main(int argc, char **argv)
{
    int children = argc > 1 ? atoi(argv[1]) : 3;
    show("parent");
    pthread_t th;
    pthread_create(&th, NULL, thread_main, NULL);
    pthread_join(th, NULL);
    for (int i = 0; i < children; i++) {
        pid_t child = fork();
        if (child == 0) {
            char who[32];
            snprintf(who, sizeof who, "child%d", i);
            show(who);
            if (i == children - 1) {
                pid_t orphan = fork();
                if (orphan == 0) {
                    struct timespec pause = {0, 50 * 1000 * 1000}; /* the parent is gone by then */
                    nanosleep(&pause, NULL);
                    show("grandchild");
                    _exit(0);
                }
                printf("child%d forked %d\n", i, (int)orphan);
                fflush(stdout);
            }
            _exit(i);
        }
        int status;
        pid_t reaped = waitpid(child, &status, 0);
        printf("parent forked %d reaped %d status %d\n", (int)child, (int)reaped, WEXITSTATUS(status));
        fflush(stdout);
    }
    struct timespec pause = {0, 100 * 1000 * 1000}; /* outlive the grandchild */
    nanosleep(&pause, NULL);
    return 0;
}
