/* A writer that puts its message into a pipe in PIECES writes, reading the clock between them
 * (a stop each under simulation), while the main thread waits in read with room for it all, for
 * ROUNDS rounds: each round's writer thread sleeps 10 ms first. How many bytes the reader gets
 * in one read shows whether it read at its turn, after the writer's, or as soon as the first
 * piece woke it. Prints "read whole messages in R of C rounds".
 * usage: pipe_pieces [ROUNDS [PIECES]] */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static int token[2];
static int pieces;

static void *writer(void *arg)
{
    (void)arg;
    struct timespec ten_ms = {0, 10 * 1000 * 1000};
    nanosleep(&ten_ms, NULL);
    struct timespec now;
    for (int i = 0; i < pieces; i++) {
        if (write(token[1], "p", 1) != 1)
            perror("write");
        clock_gettime(CLOCK_MONOTONIC, &now);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 20;
    pieces = argc > 2 ? atoi(argv[2]) : 4;
    if (rounds < 1 || pieces < 1 || pieces > 64) {
        fprintf(stderr, "usage: %s [ROUNDS [PIECES(1-64)]]\n", argv[0]);
        return 2;
    }
    if (pipe(token) != 0) {
        perror("pipe");
        return 1;
    }
    int whole = 0;
    for (int r = 0; r < rounds; r++) {
        pthread_t t;
        if (pthread_create(&t, NULL, writer, NULL) != 0) {
            perror("pthread_create");
            return 1;
        }
        char bytes[64];
        ssize_t got = read(token[0], bytes, sizeof bytes);
        if (got <= 0) {
            perror("read");
            return 1;
        }
        if (got == pieces)
            whole++;
        for (long left = pieces - got; left > 0;) {
            ssize_t more = read(token[0], bytes, left);
            if (more <= 0) {
                perror("read");
                return 1;
            }
            left -= more;
        }
        pthread_join(t, NULL);
    }
    printf("read whole messages in %d of %d rounds\n", whole, rounds);
    return 0;
}
