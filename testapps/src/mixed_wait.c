/* A readiness wait over a simulated socket and real fds at once, in one process with two threads.
 *
 *   mixed_wait API IP PORT      (API: poll | select | epoll)
 *
 * Connects (blocking) to an echo server, starts a writer thread that three times sleeps 50 ms
 * and writes one byte into a pipe, sends "hello", then waits with API on {pipe, socket} until
 * it has the 3 pipe bytes and the 5 echoed ones, printing each wake-up:
 *   "RESULT ev=ready pipe=0|1 sock=0|1 t=.."
 * Then: a wait on the pipe alone with a 100 ms timeout ("RESULT ev=timeout n=0 t=..", simulated
 * time), a wait on a regular file plus the socket, which a file answers at once
 * ("RESULT ev=file revents=.. t=.."), and a busy wait (poll with timeout 0 in a loop) for the
 * writer thread's next byte ("RESULT ev=spun n=1 t=..", 50 ms later).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include "tcp_common.h"

static int pipefd[2];

static double t(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *writer(void *arg)
{
    (void)arg;
    for (int i = 0; i < 3; i++) {
        struct timespec gap = {.tv_nsec = 50000000L};
        nanosleep(&gap, NULL);
        if (write(pipefd[1], "x", 1) != 1)
            die("write pipe");
    }
    return NULL;
}

/* Waits with api for the pipe's read end and the socket; sets which are readable. */
static void wait_both(const char *api, int ep, int sock, int *pipe_ready, int *sock_ready)
{
    *pipe_ready = *sock_ready = 0;
    if (strcmp(api, "select") == 0) {
        fd_set r;
        FD_ZERO(&r);
        FD_SET(pipefd[0], &r);
        FD_SET(sock, &r);
        int max = pipefd[0] > sock ? pipefd[0] : sock;
        if (select(max + 1, &r, NULL, NULL, NULL) < 1)
            die("select");
        *pipe_ready = FD_ISSET(pipefd[0], &r);
        *sock_ready = FD_ISSET(sock, &r);
    } else if (strcmp(api, "epoll") == 0) {
        struct epoll_event evs[2];
        int n = epoll_wait(ep, evs, 2, -1);
        if (n < 1)
            die("epoll_wait");
        for (int i = 0; i < n; i++) {
            if (evs[i].data.fd == pipefd[0])
                *pipe_ready = 1;
            else
                *sock_ready = 1;
        }
    } else {
        struct pollfd p[2] = {{.fd = pipefd[0], .events = POLLIN}, {.fd = sock, .events = POLLIN}};
        if (poll(p, 2, -1) < 1)
            die("poll");
        *pipe_ready = (p[0].revents & POLLIN) != 0;
        *sock_ready = (p[1].revents & POLLIN) != 0;
    }
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc != 4) {
        fprintf(stderr, "usage: mixed_wait poll|select|epoll IP PORT\n");
        return 2;
    }
    const char *api = argv[1];
    if (pipe(pipefd) < 0)
        die("pipe");
    int sock = connect_to(argv[2], atoi(argv[3]));
    printf("RESULT ev=connected t=%.6f\n", t());
    int ep = -1;
    if (strcmp(api, "epoll") == 0) {
        ep = epoll_create1(0);
        struct epoll_event a = {.events = EPOLLIN, .data.fd = pipefd[0]};
        struct epoll_event b = {.events = EPOLLIN, .data.fd = sock};
        if (epoll_ctl(ep, EPOLL_CTL_ADD, pipefd[0], &a) < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, sock, &b) < 0)
            die("epoll_ctl");
    }
    pthread_t w;
    pthread_create(&w, NULL, writer, NULL);
    send_all(sock, (const unsigned char *)"hello", 5);
    int piped = 0, echoed = 0;
    while (piped < 3 || echoed < 5) {
        int pr, sr;
        wait_both(api, ep, sock, &pr, &sr);
        printf("RESULT ev=ready pipe=%d sock=%d t=%.6f\n", pr, sr, t());
        char buf[16];
        if (pr) {
            ssize_t n = read(pipefd[0], buf, sizeof buf);
            piped += n > 0 ? (int)n : 0;
        }
        if (sr) {
            ssize_t n = recv(sock, buf, sizeof buf, 0);
            if (n <= 0)
                die("recv");
            echoed += (int)n;
        }
    }
    pthread_join(w, NULL);
    struct pollfd alone = {.fd = pipefd[0], .events = POLLIN};
    int n = poll(&alone, 1, 100);
    printf("RESULT ev=timeout n=%d t=%.6f\n", n, t());
    int file = open(argv[0], O_RDONLY);
    struct pollfd withfile[2] = {{.fd = file, .events = POLLIN}, {.fd = sock, .events = POLLIN}};
    n = poll(withfile, 2, -1);
    printf("RESULT ev=file n=%d revents=%d t=%.6f\n", n, withfile[0].revents, t());
    /* a busy wait: poll with timeout 0 on the pipe until the writer's next byte (50 ms) */
    pthread_t w2;
    pthread_create(&w2, NULL, writer, NULL);
    long spins = 0;
    while (poll(&alone, 1, 0) == 0)
        spins++;
    printf("RESULT ev=spun n=%d t=%.6f\n", spins > 0, t());
    pthread_join(w2, NULL);
    close(sock);
    return 0;
}
