/* One readiness API at a time, in a small TCP exchange whose events are printed with their
 * (virtual) times.
 *
 *   readiness server API PORT CHUNK
 *       API: poll | select | epoll (level-triggered) | epollet (EPOLLET) | oneshot | rdhup.
 *       Waits with API for the listening socket, accepts, then waits for the connection and on
 *       each wake-up reads at most CHUNK bytes and echoes them; ends at end of stream.
 *       Prints "RESULT ev=accept t=..", "RESULT ev=in n=.. t=.." per read,
 *       "RESULT ev=rdhup t=.." (rdhup, epollet), "RESULT ev=timeout t=.." (oneshot),
 *       "RESULT ev=eof t=..".
 *       epollet: EPOLLIN|EPOLLRDHUP|EPOLLET; reads CHUNK bytes per wake-up until EPOLLRDHUP, then
 *       drains. oneshot: EPOLLIN|EPOLLONESHOT; after the first report waits 250 ms without
 *       re-arming (must time out), then re-arms with EPOLL_CTL_MOD each time.
 *   readiness client IP PORT COUNT GAP_MS SIZE
 *       Non-blocking connect (prints errno name), waits for POLLOUT with poll, prints SO_ERROR;
 *       then COUNT times: sleep GAP_MS, send SIZE bytes; sleeps GAP_MS, shutdown(SHUT_WR);
 *       reads the echo to the end. Prints "RESULT ev=connect errno=EINPROGRESS t=..", "RESULT ev=writable
 *       revents=.. so_error=.. t=..", "RESULT ev=sent n=.. t=..", "RESULT ev=echoed n=.. t=..".
 *   readiness refused IP PORT
 *       Non-blocking connect to a port nobody listens on; epoll_wait for EPOLLOUT; prints the
 *       events and SO_ERROR ("RESULT ev=refused events=.. so_error=ECONNREFUSED t=..").
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include "tcp_common.h"

/* CLOCK_MONOTONIC: seconds since boot (under simterpose: the hosts' uptime at date 0, plus the simulated date). */
static double t(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char *errname(int e)
{
    switch (e) {
    case 0: return "0";
    case EINPROGRESS: return "EINPROGRESS";
    case ECONNREFUSED: return "ECONNREFUSED";
    default: return strerror(e);
    }
}

static void nonblocking(int fd)
{
    if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0)
        die("fcntl");
}

/* Waits with poll or select for fd to be readable; returns the poll-style events seen. */
static int wait_readable(const char *api, int fd)
{
    if (strcmp(api, "select") == 0) {
        fd_set r;
        FD_ZERO(&r);
        FD_SET(fd, &r);
        if (select(fd + 1, &r, NULL, NULL, NULL) != 1 || !FD_ISSET(fd, &r))
            die("select");
        return POLLIN;
    }
    struct pollfd p = {.fd = fd, .events = POLLIN | POLLRDHUP};
    if (poll(&p, 1, -1) != 1)
        die("poll");
    return p.revents;
}

static int epoll_one(int ep, int timeout_ms)
{
    struct epoll_event ev;
    int n = epoll_wait(ep, &ev, 1, timeout_ms);
    if (n < 0)
        die("epoll_wait");
    return n == 0 ? 0 : (int)ev.events;
}

static void server(const char *api, int port, size_t chunk)
{
    int l = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    int one = 1;
    setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof a) < 0 || listen(l, 4) < 0)
        die("listen");
    nonblocking(l);
    int use_epoll = strncmp(api, "epoll", 5) == 0 || strcmp(api, "oneshot") == 0 || strcmp(api, "rdhup") == 0;
    int ep = use_epoll ? epoll_create1(EPOLL_CLOEXEC) : -1;
    if (use_epoll) {
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = 1};
        if (epoll_ctl(ep, EPOLL_CTL_ADD, l, &ev) < 0 || epoll_one(ep, -1) != EPOLLIN)
            die("epoll accept");
    } else {
        wait_readable(api, l);
    }
    int c = accept(l, NULL, NULL);
    if (c < 0)
        die("accept");
    printf("RESULT ev=accept t=%.6f\n", t());
    nonblocking(c);
    unsigned events = EPOLLIN;
    if (strcmp(api, "epollet") == 0)
        events = EPOLLIN | EPOLLRDHUP | EPOLLET;
    else if (strcmp(api, "oneshot") == 0)
        events = EPOLLIN | EPOLLONESHOT;
    else if (strcmp(api, "rdhup") == 0)
        events = EPOLLIN | EPOLLRDHUP;
    if (use_epoll) {
        struct epoll_event ev = {.events = events, .data.u32 = 2};
        if (epoll_ctl(ep, EPOLL_CTL_DEL, l, NULL) < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev) < 0)
            die("epoll_ctl");
    }
    unsigned char buf[65536];
    int reports = 0;
    int draining = 0;
    for (;;) {
        int got = use_epoll ? epoll_one(ep, -1) : wait_readable(api, c);
        reports++;
        if (got & EPOLLRDHUP) {
            printf("RESULT ev=rdhup t=%.6f\n", t());
            draining = 1;
        }
        for (;;) {
            ssize_t n = read(c, buf, draining ? sizeof buf : chunk);
            if (n < 0 && errno == EAGAIN)
                break;
            if (n < 0)
                die("read");
            if (n == 0) {
                printf("RESULT ev=eof t=%.6f reports=%d\n", t(), reports);
                fflush(stdout);
                close(c);
                return;
            }
            printf("RESULT ev=in n=%zd t=%.6f\n", n, t());
            send_all(c, buf, (size_t)n);
            if (!draining)
                break;
        }
        if (strcmp(api, "oneshot") == 0) {
            if (reports == 1) { /* disarmed: nothing may be reported, whatever arrives */
                if (epoll_one(ep, 250) != 0)
                    die("oneshot reported twice");
                printf("RESULT ev=timeout t=%.6f\n", t());
            }
            struct epoll_event ev = {.events = events, .data.u32 = 2};
            if (epoll_ctl(ep, EPOLL_CTL_MOD, c, &ev) < 0)
                die("epoll_ctl MOD");
        }
    }
}

static int connect_nonblocking(const char *ip, int port)
{
    int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, ip, &a.sin_addr);
    int rc = connect(s, (struct sockaddr *)&a, sizeof a);
    printf("RESULT ev=connect errno=%s t=%.6f\n", errname(rc == 0 ? 0 : errno), t());
    return s;
}

static int so_error(int s)
{
    int e = -1;
    socklen_t len = sizeof e;
    if (getsockopt(s, SOL_SOCKET, SO_ERROR, &e, &len) < 0)
        die("getsockopt");
    return e;
}

static void client(const char *ip, int port, int count, int gap_ms, size_t size)
{
    int s = connect_nonblocking(ip, port);
    struct pollfd p = {.fd = s, .events = POLLOUT};
    if (poll(&p, 1, -1) != 1)
        die("poll");
    printf("RESULT ev=writable revents=%d so_error=%s t=%.6f\n", p.revents, errname(so_error(s)), t());
    fcntl(s, F_SETFL, fcntl(s, F_GETFL) & ~O_NONBLOCK);
    unsigned char *msg = malloc(size);
    for (size_t i = 0; i < size; i++)
        msg[i] = pattern_byte(i);
    struct timespec gap = {.tv_sec = gap_ms / 1000, .tv_nsec = (gap_ms % 1000) * 1000000L};
    for (int i = 0; i < count; i++) {
        nanosleep(&gap, NULL);
        send_all(s, msg, size);
        printf("RESULT ev=sent n=%zu t=%.6f\n", size, t());
    }
    nanosleep(&gap, NULL);
    shutdown(s, SHUT_WR);
    printf("RESULT ev=shutdown t=%.6f\n", t());
    unsigned char buf[65536];
    size_t echoed = 0;
    ssize_t n;
    while ((n = read(s, buf, sizeof buf)) > 0)
        echoed += (size_t)n;
    printf("RESULT ev=echoed n=%zu t=%.6f\n", echoed, t());
}

static void refused(const char *ip, int port)
{
    int s = connect_nonblocking(ip, port);
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLOUT};
    if (epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev) < 0)
        die("epoll_ctl");
    int got = epoll_one(ep, -1);
    printf("RESULT ev=refused events=%d so_error=%s t=%.6f\n", got, errname(so_error(s)), t());
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc == 5 && strcmp(argv[1], "server") == 0)
        server(argv[2], atoi(argv[3]), (size_t)atol(argv[4]));
    else if (argc == 7 && strcmp(argv[1], "client") == 0)
        client(argv[2], atoi(argv[3]), atoi(argv[4]), atoi(argv[5]), (size_t)atol(argv[6]));
    else if (argc == 4 && strcmp(argv[1], "refused") == 0)
        refused(argv[2], atoi(argv[3]));
    else {
        fprintf(stderr, "usage: see readiness.c\n");
        return 2;
    }
    return 0;
}
