/* Statically linked clock reader: prints CLOCK_REALTIME and CLOCK_MONOTONIC as libc reads them
 * (through the vDSO when there is one). Under simulation both are the virtual clock. */
#include <stdio.h>
#include <time.h>

int main(void)
{
    struct timespec r, m;
    clock_gettime(CLOCK_REALTIME, &r);
    clock_gettime(CLOCK_MONOTONIC, &m);
    printf("realtime=%lld.%09ld monotonic=%lld.%09ld\n", (long long)r.tv_sec, r.tv_nsec, (long long)m.tv_sec, m.tv_nsec);
    return 0;
}
