/* Two threads that each read the clock and random bytes and print them, joined by main:
 * a replay must give each thread its own recorded inputs, in the recorded order. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

static void *work(void *arg) {
    const char *name = arg;
    for (int i = 0; i < 3; i++) {
        struct timespec ts;
        unsigned int r;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        getrandom(&r, sizeof r, 0);
        char line[128];
        int n = snprintf(line, sizeof line, "%s %d: %lld.%09ld %08x\n", name, i, (long long) ts.tv_sec, ts.tv_nsec, r);
        write(1, line, n);
    }
    return NULL;
}

int main(void) {
    pthread_t t;
    pthread_create(&t, NULL, work, "worker");
    work("main");
    pthread_join(t, NULL);
    write(1, "joined\n", 7);
    return 0;
}
