/* A writer that puts its message into a pipe in PIECES writes, reading the clock between them
 * (a stop each under simulation), while the main thread waits in read with room for it all, for
 * ROUNDS rounds: each round's writer thread sleeps 10 ms first. How many bytes the reader gets
 * in one read shows whether it read at its turn, after the writer's, or as soon as the first
 * piece woke it. With "socketpair" the message goes through an AF_UNIX stream socket pair
 * instead, written with send and received with recv. Prints "read whole messages in R of C rounds".
 * usage: pipe_pieces [ROUNDS [PIECES [pipe|socketpair]]] */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int token[2];
static int pieces;
static int sockets;

static ssize_t put(const char *byte)
{
    return sockets ? send(token[1], byte, 1, 0) : write(token[1], byte, 1);
}

static ssize_t take(char *bytes, size_t room)
{
    return sockets ? recv(token[0], bytes, room, 0) : read(token[0], bytes, room);
}

static void *writer(void *arg)
{
    (void)arg;
    struct timespec ten_ms = {0, 10 * 1000 * 1000};
    nanosleep(&ten_ms, NULL);
    struct timespec now;
    for (int i = 0; i < pieces; i++) {
        if (put("p") != 1)
            perror("write");
        clock_gettime(CLOCK_MONOTONIC, &now);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 20;
    pieces = argc > 2 ? atoi(argv[2]) : 4;
    sockets = argc > 3 && strcmp(argv[3], "socketpair") == 0;
    if (rounds < 1 || pieces < 1 || pieces > 64 || (argc > 3 && !sockets && strcmp(argv[3], "pipe") != 0)) {
        fprintf(stderr, "usage: %s [ROUNDS [PIECES(1-64) [pipe|socketpair]]]\n", argv[0]);
        return 2;
    }
    if (sockets ? socketpair(AF_UNIX, SOCK_STREAM, 0, token) != 0 : pipe(token) != 0) {
        perror(sockets ? "socketpair" : "pipe");
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
        ssize_t got = take(bytes, sizeof bytes);
        if (got <= 0) {
            perror("read");
            return 1;
        }
        if (got == pieces)
            whole++;
        for (long left = pieces - got; left > 0;) {
            ssize_t more = take(bytes, left);
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
