/* timerfd semantics, for a line-by-line comparison of a native run with a simulated one: one-shot
 * and periodic timers, absolute deadlines on CLOCK_MONOTONIC and CLOCK_REALTIME, gettime,
 * old_value, disarm, non-blocking reads, short buffers, poll, select, epoll with a socket, dup
 * and fork. Outcome lines carry no time; the dates the test checks are on RESULT lines
 * (t: CLOCK_MONOTONIC when the event was seen, from: when its timer was set). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "call_results.h"

static double now(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static struct itimerspec spec(double value, double interval)
{
    struct itimerspec s;
    s.it_value.tv_sec = (time_t)value;
    s.it_value.tv_nsec = (long)((value - (time_t)value) * 1e9 + 0.5);
    s.it_interval.tv_sec = (time_t)interval;
    s.it_interval.tv_nsec = (long)((interval - (time_t)interval) * 1e9 + 0.5);
    return s;
}

static double secs(struct timespec t)
{
    return t.tv_sec + t.tv_nsec / 1e9;
}

/* Reads the count: "case=NAME read=RESULT count=N". */
static void count(const char *name, int fd)
{
    uint64_t n = 0;
    long r = E(read(fd, &n, sizeof n));
    printf("case=%s read=%s count=%llu\n", name, res(r), r == 8 ? (unsigned long long)n : 0ULL);
}

static void date(const char *ev, double from)
{
    printf("RESULT ev=%s from=%.9f t=%.9f\n", ev, from, now(CLOCK_MONOTONIC));
}

static void sleep_for(double s)
{
    struct timespec ts = {(time_t)s, (long)((s - (time_t)s) * 1e9)};
    nanosleep(&ts, NULL);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);

    /* one-shot, relative, blocking read */
    int fd = timerfd_create(CLOCK_MONOTONIC, 0);
    struct itimerspec s = spec(0.25, 0), cur;
    double from = now(CLOCK_MONOTONIC);
    printf("case=oneshot settime=%s\n", res(E(timerfd_settime(fd, 0, &s, NULL))));
    count("oneshot", fd);
    date("oneshot", from);
    timerfd_gettime(fd, &cur);
    printf("case=oneshot-after value=%.9f interval=%.9f\n", secs(cur.it_value), secs(cur.it_interval));
    uint32_t small;
    printf("case=short-buffer read=%s\n", res(E(read(fd, &small, sizeof small))));

    /* gettime, old_value, disarm */
    s = spec(10, 2);
    timerfd_settime(fd, 0, &s, NULL);
    sleep_for(0.5);
    timerfd_gettime(fd, &cur);
    printf("case=gettime interval=%.9f left-ok=%d\n", secs(cur.it_interval),
           secs(cur.it_value) > 9.4 && secs(cur.it_value) <= 9.5);
    struct itimerspec zero = spec(0, 0), old;
    long r = E(timerfd_settime(fd, 0, &zero, &old));
    printf("case=disarm settime=%s old-interval=%.9f old-left-ok=%d\n", res(r),
           secs(old.it_interval), secs(old.it_value) > 9.4 && secs(old.it_value) <= 9.5);
    timerfd_gettime(fd, &cur);
    printf("case=disarmed value=%.9f interval=%.9f\n", secs(cur.it_value), secs(cur.it_interval));
    printf("case=bad-flags settime=%s\n", res(E(timerfd_settime(fd, 8, &s, NULL))));
    struct itimerspec bad = spec(1, 0);
    bad.it_value.tv_nsec = 1000000000;
    printf("case=bad-nsec settime=%s\n", res(E(timerfd_settime(fd, 0, &bad, NULL))));
    close(fd);

    /* periodic, non-blocking: several periods between reads, then EAGAIN, then poll */
    fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    printf("case=flags fd-cloexec=%d nonblock=%d\n", fcntl(fd, F_GETFD) & FD_CLOEXEC, (fcntl(fd, F_GETFL) & O_NONBLOCK) != 0);
    count("nothing-yet", fd);
    s = spec(0.1, 0.1);
    from = now(CLOCK_MONOTONIC);
    timerfd_settime(fd, 0, &s, NULL);
    sleep_for(0.35);
    count("periodic", fd);
    count("periodic-again", fd);
    struct pollfd p = {fd, POLLIN, 0};
    r = E(poll(&p, 1, -1));
    printf("case=poll ready=%s revents=%d\n", res(r), p.revents);
    date("poll", from);
    count("after-poll", fd);
    fd_set rd;
    FD_ZERO(&rd);
    FD_SET(fd, &rd);
    r = E(select(fd + 1, &rd, NULL, NULL, NULL));
    printf("case=select ready=%s set=%d\n", res(r), FD_ISSET(fd, &rd) != 0);
    date("select", from);
    p.revents = 0;
    r = E(poll(&p, 1, 0));
    printf("case=poll-now ready=%s revents=%d\n", res(r), p.revents);
    close(fd);

    /* absolute deadlines */
    fd = timerfd_create(CLOCK_MONOTONIC, 0);
    from = now(CLOCK_MONOTONIC);
    s = spec(from + 0.2, 0);
    printf("case=absolute settime=%s\n", res(E(timerfd_settime(fd, TFD_TIMER_ABSTIME, &s, NULL))));
    count("absolute", fd);
    date("absolute", from);
    s = spec(from - 5, 0); /* long past: expires at once */
    timerfd_settime(fd, TFD_TIMER_ABSTIME, &s, NULL);
    count("past", fd);
    s = spec(from - 5, 1); /* periodic, first expiry 5 s ago: the periods since count */
    timerfd_settime(fd, TFD_TIMER_ABSTIME, &s, NULL);
    count("past-periodic", fd);
    close(fd);
    fd = timerfd_create(CLOCK_REALTIME, 0);
    from = now(CLOCK_MONOTONIC);
    s = spec(now(CLOCK_REALTIME) + 0.15, 0);
    printf("case=realtime settime=%s\n", res(E(timerfd_settime(fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &s, NULL))));
    count("realtime", fd);
    date("realtime", from);
    close(fd);
    fd = timerfd_create(CLOCK_BOOTTIME, 0);
    from = now(CLOCK_MONOTONIC);
    s = spec(0.05, 0);
    timerfd_settime(fd, 0, &s, NULL);
    count("boottime", fd);
    date("boottime", from);
    close(fd);

    /* epoll: a timerfd and a socket nothing arrives on */
    int sock = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0, .sin_addr.s_addr = htonl(INADDR_ANY)};
    bind(sock, (struct sockaddr *)&a, sizeof a);
    fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = 7};
    epoll_ctl(ep, EPOLL_CTL_ADD, sock, &ev);
    ev.data.u32 = 42;
    printf("case=epoll-add ctl=%s\n", res(E(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev))));
    from = now(CLOCK_MONOTONIC);
    s = spec(0.3, 0);
    timerfd_settime(fd, 0, &s, NULL);
    struct epoll_event out[4];
    long n = E(epoll_wait(ep, out, 4, -1));
    printf("case=epoll n=%s data=%u events=%u\n", res(n), n > 0 ? out[0].data.u32 : 0, n > 0 ? out[0].events : 0);
    date("epoll", from);
    count("epoll", fd);
    printf("case=epoll-drained n=%s\n", res(E(epoll_wait(ep, out, 4, 0))));
    close(ep);
    close(sock);

    /* dup and fork: the copies share one timer */
    s = spec(0.1, 0);
    timerfd_settime(fd, 0, &s, NULL);
    int copy = dup(fd);
    close(fd);
    int flags = fcntl(copy, F_GETFL);
    fcntl(copy, F_SETFL, flags & ~O_NONBLOCK);
    pid_t child = fork();
    if (child == 0) {
        count("child", copy);
        _exit(0);
    }
    int status;
    waitpid(child, &status, 0);
    fcntl(copy, F_SETFL, flags);
    count("parent-after-child", copy);
    fcntl(copy, F_SETFL, flags & ~O_NONBLOCK);
    s = spec(0.1, 0);
    timerfd_settime(copy, 0, &s, NULL);
    count("dup", copy);
    return 0;
}
