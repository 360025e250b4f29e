/*
 * Forks a child with clone(CLONE_UNTRACED | SIGCHLD), which a tracer does not follow unless it
 * clears the flag. The child prints its pid and the date time(2) gives it (the simulated one
 * when it is followed: no vDSO under simterpose, so time is a real syscall; -1 ENOSYS when it
 * is not: seccomp's RET_TRACE without a tracer), then blocks for ever reading a pipe nobody
 * writes. The parent exits 0 at once: the child must not outlive the run.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void) {
    int fds[2];
    if (pipe(fds) < 0) {
        perror("pipe");
        return 1;
    }
    setvbuf(stdout, NULL, _IONBF, 0);
    long pid = syscall(SYS_clone, 0x00800000L /* CLONE_UNTRACED */ | SIGCHLD, 0L, 0L, 0L, 0L);
    if (pid < 0) {
        perror("clone");
        return 1;
    }
    if (pid == 0) {
        long now = syscall(SYS_time, 0L);
        printf("child %d time %ld\n", (int) getpid(), now);
        char c;
        read(fds[0], &c, 1);
        _exit(0);
    }
    return 0;
}
