/* Many short timeouts in a row from an odd date: 200 x poll(5 ms), 200 x select(5 ms),
 * 200 x epoll_wait(5 ms), on nothing that gets ready. Each must time out (return 0), so the
 * three loops end 1, 2 and 3 simulated seconds after they start.
 *   wait_timeouts [IP PORT]
 * With IP PORT, the odd date is the one an echo of one byte comes back at (a network date,
 * not a whole number of nanoseconds), and the waits include that idle socket; then one more
 * byte is echoed during a select of 1 s, which must write back the time it had left.
 * Prints "RESULT call=.. zeros=.. t=..". */
#include "tcp_common.h"
#include <poll.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <time.h>

static double t(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    int sock = -1;
    if (argc == 3) {
        sock = connect_to(argv[1], atoi(argv[2]));
        unsigned char b = 'x';
        send_all(sock, &b, 1);
        if (recv_all(sock, &b, 1) != 1)
            die("echo");
    } else {
        struct timespec odd = {.tv_nsec = 123456789};
        nanosleep(&odd, NULL);
    }
    struct pollfd p = {.fd = sock, .events = POLLIN};
    printf("RESULT call=start zeros=0 t=%.9f\n", t());
    int zeros = 0;
    for (int i = 0; i < 200; i++)
        zeros += poll(&p, 1, 5) == 0;
    printf("RESULT call=poll zeros=%d t=%.9f\n", zeros, t());
    zeros = 0;
    for (int i = 0; i < 200; i++) {
        struct timeval tv = {.tv_usec = 5000};
        fd_set r;
        FD_ZERO(&r);
        if (sock >= 0)
            FD_SET(sock, &r);
        zeros += select(sock + 1, &r, NULL, NULL, &tv) == 0;
    }
    printf("RESULT call=select zeros=%d t=%.9f\n", zeros, t());
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN};
    if (sock >= 0)
        epoll_ctl(ep, EPOLL_CTL_ADD, sock, &ev);
    zeros = 0;
    for (int i = 0; i < 200; i++)
        zeros += epoll_wait(ep, &ev, 1, 5) == 0;
    printf("RESULT call=epoll_wait zeros=%d t=%.9f\n", zeros, t());
    if (sock >= 0) { /* select writes back the time left: a 1 s wait that an echo ends early */
        unsigned char b = 'y';
        double before = t();
        send_all(sock, &b, 1);
        struct timeval tv = {.tv_sec = 1};
        fd_set r;
        FD_ZERO(&r);
        FD_SET(sock, &r);
        int n = select(sock + 1, &r, NULL, NULL, &tv);
        printf("RESULT call=select_left zeros=%d waited=%.9f left=%.6f t=%.9f\n", n == 0, t() - before,
               tv.tv_sec + tv.tv_usec / 1e6, t());
        if (recv_all(sock, &b, 1) != 1) /* unread data would make close() a reset */
            die("echo");
    }
    return 0;
}
