/* argv: N [M [K]]: N getppid() calls, M clock_gettime() calls (vDSO), K getpid() calls through
 * syscall(2) (never cached by libc). Prints the last getppid value. Used by tests and benchmarks. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 1;
    long m = argc > 2 ? atol(argv[2]) : 0;
    long k = argc > 3 ? atol(argv[3]) : 0;
    long ppid = 0;
    struct timespec ts;
    for (long i = 0; i < n; i++)
        ppid = syscall(SYS_getppid);
    for (long i = 0; i < m; i++)
        clock_gettime(CLOCK_MONOTONIC, &ts);
    for (long i = 0; i < k; i++)
        syscall(SYS_getpid);
    printf("ppid=%ld\n", ppid);
    return 0;
}
