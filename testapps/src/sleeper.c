/* Runs for argv[1] tenths of a second in short nanosleep steps, printing "tick" to stdout every
 * step, then exits 7: a target for attach/detach and for "nothing outlives the tool" tests. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
    long tenths = argc > 1 ? atol(argv[1]) : 10;
    struct timespec step = {0, 100 * 1000 * 1000};
    for (long i = 0; i < tenths; i++) {
        nanosleep(&step, NULL);
        printf("tick %ld\n", i);
        fflush(stdout);
    }
    return 7;
}
