/* Blocking socket calls interrupted by signals whose handlers have SA_RESTART, or not.
 *
 *   restarted_calls server <port> restart|interrupt|timeout
 *   restarted_calls client <host> <port> [restart|interrupt|timeout <signal date>]
 *
 * The server installs SIGUSR1 and SIGCHLD handlers (with SA_RESTART, or without), forks two
 * children and blocks in turn:
 *   accept  (0 .. 0.2 s): child A exits at 0.1 s -> SIGCHLD
 *   recv    (0.2 .. 0.5): child B sends SIGUSR1 at 0.4
 *   send    (0.5 .. 1.0): both socket buffers are full (filled without blocking); child B
 *                         exits at 0.7 -> SIGCHLD
 * With SA_RESTART each call goes on after the handler and returns once; without, it returns
 * EINTR and the server calls it again. "timeout" is "restart" plus SO_RCVTIMEO and SO_SNDTIMEO
 * of 5 s on the sockets: Linux then ends the calls with EINTR all the same (signal(7)).
 *
 * The client connects at 0.2, sends 5 bytes at 0.5 and from 1.0 on reads everything until EOF.
 * Given a mode and a date, it also has a SIGUSR1 handler (as the server's; "timeout" sets
 * SO_SNDTIMEO, connect's timeout) and a child that sends it SIGUSR1 at that date: over a slow
 * link, while it blocks in connect, which Linux restarts as well.
 *
 * Prints "RESULT call=.. ret=.. errno=.. handled=<handler runs so far> t=<CLOCK_REALTIME>" per
 * call (ret 0 for an accepted socket), then "RESULT sent=.." (server) or "RESULT received=.."
 * (client).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include "tcp_common.h"

static volatile sig_atomic_t handled;

static void on_signal(int sig)
{
    if (sig == SIGCHLD) {
        while (waitpid(-1, NULL, WNOHANG) > 0) {
        }
    }
    handled++;
}

static void nap(double s)
{
    struct timespec ts = {.tv_sec = (time_t)s, .tv_nsec = (long)((s - (time_t)s) * 1e9)};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {
    }
}

static void report(const char *call, long ret, int err)
{
    if (ret < 0) {
        printf("RESULT call=%s ret=-1 errno=%s handled=%d t=%.6f\n", call, strerrorname_np(err), (int)handled,
               now_s());
    } else {
        printf("RESULT call=%s ret=%ld errno=0 handled=%d t=%.6f\n", call, ret, (int)handled, now_s());
    }
}

/* Sends without blocking until the socket buffer is full; returns the bytes taken. */
static long fill(int fd)
{
    static unsigned char chunk[65536];
    long total = 0;
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    for (;;) {
        ssize_t n = send(fd, chunk, sizeof chunk, 0);
        if (n < 0) {
            if (errno == EAGAIN)
                break;
            die("send (fill)");
        }
        total += n;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    return total;
}

static void timeouts(int fd)
{
    struct timeval five = {.tv_sec = 5};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &five, sizeof five);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &five, sizeof five);
}

static int server(int port, int restart, int timeout)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = restart ? SA_RESTART : 0;
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGCHLD, &sa, NULL);
    int ls = listen_on(port, 4);
    if (timeout)
        timeouts(ls);
    pid_t parent = getpid();
    if (fork() == 0) {
        nap(0.1);
        _exit(0);
    }
    if (fork() == 0) {
        nap(0.4);
        kill(parent, SIGUSR1);
        nap(0.3);
        _exit(0);
    }
    int c, err;
    do {
        c = accept(ls, NULL, NULL);
        err = errno;
        report("accept", c < 0 ? -1 : 0, err);
    } while (c < 0 && err == EINTR);
    if (c < 0)
        return 1;
    if (timeout)
        timeouts(c);
    char buf[64];
    ssize_t n;
    do {
        n = recv(c, buf, sizeof buf, 0);
        err = errno;
        report("recv", n, err);
    } while (n < 0 && err == EINTR);
    long sent = fill(c);
    nap(0.05); /* the bytes in flight land in the peer's buffer: fill again */
    sent += fill(c);
    do {
        n = send(c, "!", 1, 0);
        err = errno;
        report("send", n, err);
    } while (n < 0 && err == EINTR);
    sent += n > 0 ? n : 0;
    close(c);
    printf("RESULT sent=%ld\n", sent);
    return 0;
}

/* With a mode, SIGUSR1 comes from a child at signal_at (during connect when the link is slow). */
static int client(const char *host, int port, const char *mode, double signal_at)
{
    if (mode != NULL) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sa.sa_flags = strcmp(mode, "interrupt") != 0 ? SA_RESTART : 0;
        sigaction(SIGUSR1, &sa, NULL);
        pid_t parent = getpid();
        if (fork() == 0) {
            nap(signal_at);
            kill(parent, SIGUSR1);
            _exit(0);
        }
    }
    nap(0.2);
    int fd;
    if (mode == NULL) {
        fd = connect_to(host, port);
    } else {
        fd = socket(AF_INET, SOCK_STREAM, 0);
        if (strcmp(mode, "timeout") == 0)
            timeouts(fd);
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
        inet_pton(AF_INET, host, &a.sin_addr);
        int r, err;
        do {
            r = connect(fd, (struct sockaddr *)&a, sizeof a);
            err = errno;
            report("connect", r, err);
        } while (r < 0 && err == EINTR);
        if (r < 0)
            return 1;
    }
    nap(0.3);
    send_all(fd, (const unsigned char *)"hello", 5);
    nap(0.5);
    static unsigned char buf[65536];
    long received = 0;
    ssize_t n;
    while ((n = recv(fd, buf, sizeof buf, 0)) != 0) {
        if (n < 0 && errno != EINTR)
            die("recv");
        received += n > 0 ? n : 0;
    }
    printf("RESULT received=%ld\n", received);
    return 0;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc == 4 && strcmp(argv[1], "server") == 0)
        return server(atoi(argv[2]), strcmp(argv[3], "interrupt") != 0, strcmp(argv[3], "timeout") == 0);
    if ((argc == 4 || argc == 6) && strcmp(argv[1], "client") == 0)
        return client(argv[2], atoi(argv[3]), argc == 6 ? argv[4] : NULL, argc == 6 ? atof(argv[5]) : 0);
    fprintf(stderr, "usage: %s server <port> restart|interrupt|timeout | client <host> <port> [restart|interrupt|timeout <signal at>]\n",
            argv[0]);
    return 2;
}
