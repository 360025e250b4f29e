/* Threads that hand their results to the main thread at the same simulated date, for ROUNDS
 * rounds: each round starts THREADS threads that sleep 10 ms (they all wake at the same date),
 * read the clock READS times (a stop each under simulation), count themselves done in shared
 * memory and write one byte into a pipe, then exit. The main thread blocks on the pipe (WAIT:
 * in read, the default, or in poll or epoll_wait without a timeout before reading); once woken,
 * it looks at the shared count (memory: no syscall, so nothing stops it there). Whether it sees
 * every thread done shows whether it ran after the threads due at that date or beside them.
 * Prints "saw every thread done in R of C rounds".
 * With "accept", each thread connects to an AF_UNIX socket instead of writing, and the main
 * thread waits in accept.
 * usage: pipe_together [ROUNDS [THREADS [READS [read|poll|epoll|accept]]]] */
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static long reads;
static int token[2];
static atomic_int done;
static int accepting;
static struct sockaddr_un listen_at;
static socklen_t listen_length;

static void *worker(void *arg)
{
    (void)arg;
    struct timespec ten_ms = {0, 10 * 1000 * 1000};
    nanosleep(&ten_ms, NULL);
    struct timespec now;
    for (long i = 0; i < reads; i++)
        clock_gettime(CLOCK_MONOTONIC, &now);
    atomic_fetch_add(&done, 1);
    if (accepting) {
        int s = socket(AF_UNIX, SOCK_STREAM, 0);
        if (s < 0 || connect(s, (struct sockaddr *)&listen_at, listen_length) != 0)
            perror("connect");
        close(s);
    } else if (write(token[1], "x", 1) != 1) {
        perror("write");
    }
    return NULL;
}

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 20;
    int count = argc > 2 ? atoi(argv[2]) : 4;
    reads = argc > 3 ? atol(argv[3]) : 0;
    const char *how = argc > 4 ? argv[4] : "read";
    if (rounds < 1 || count < 1 || count > 64
        || (strcmp(how, "read") != 0 && strcmp(how, "poll") != 0 && strcmp(how, "epoll") != 0
            && strcmp(how, "accept") != 0)) {
        fprintf(stderr, "usage: %s [ROUNDS [THREADS(1-64) [READS [read|poll|epoll|accept]]]]\n", argv[0]);
        return 2;
    }
    accepting = strcmp(how, "accept") == 0;
    int listener = -1;
    if (accepting) { /* an abstract address, this process's own */
        listen_at.sun_family = AF_UNIX;
        int n = snprintf(listen_at.sun_path + 1, sizeof listen_at.sun_path - 1, "pipe_together.%d", (int)getpid());
        listen_length = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n);
        listener = socket(AF_UNIX, SOCK_STREAM, 0);
        if (listener < 0 || bind(listener, (struct sockaddr *)&listen_at, listen_length) != 0 || listen(listener, 64) != 0) {
            perror("listen");
            return 1;
        }
    }
    if (pipe(token) != 0) {
        perror("pipe");
        return 1;
    }
    int ep = epoll_create1(0);
    struct epoll_event readable = {.events = EPOLLIN};
    if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, token[0], &readable) != 0) {
        perror("epoll");
        return 1;
    }
    pthread_t threads[64];
    int together = 0;
    for (int r = 0; r < rounds; r++) {
        atomic_store(&done, 0);
        for (int i = 0; i < count; i++)
            if (pthread_create(&threads[i], NULL, worker, NULL) != 0) {
                perror("pthread_create");
                return 1;
            }
        /* the wait: a read of the first byte, or poll or epoll_wait until it is there */
        char bytes[64];
        long left = count;
        if (accepting) {
            int first = accept(listener, NULL, NULL);
            if (first < 0) {
                perror("accept");
                return 1;
            }
            if (atomic_load(&done) == count) /* right after the wait, before any other call */
                together++;
            close(first);
            for (int i = 1; i < count; i++) {
                int next = accept(listener, NULL, NULL);
                if (next < 0) {
                    perror("accept");
                    return 1;
                }
                close(next);
            }
            for (int i = 0; i < count; i++)
                pthread_join(threads[i], NULL);
            continue;
        } else if (strcmp(how, "read") == 0) {
            if (read(token[0], bytes, 1) != 1) {
                perror("read");
                return 1;
            }
            left--;
        } else if (strcmp(how, "poll") == 0) {
            struct pollfd p = {.fd = token[0], .events = POLLIN};
            if (poll(&p, 1, -1) != 1) {
                perror("poll");
                return 1;
            }
        } else {
            struct epoll_event e;
            if (epoll_wait(ep, &e, 1, -1) != 1) {
                perror("epoll_wait");
                return 1;
            }
        }
        if (atomic_load(&done) == count) /* right after the wait, before any other call */
            together++;
        while (left > 0) {
            ssize_t got = read(token[0], bytes, left);
            if (got <= 0) {
                perror("read");
                return 1;
            }
            left -= got;
        }
        for (int i = 0; i < count; i++)
            pthread_join(threads[i], NULL);
    }
    printf("saw every thread done in %d of %d rounds\n", together, rounds);
    return 0;
}
