/* recvmmsg's timeout, as Linux checks it: after each datagram, not while waiting for one. A
 * child sends one datagram at once and three more 300 ms later; the parent's recvmmsg for 4
 * messages with a 100 ms timeout takes the first, waits for the second (the timeout does not cut
 * that wait), then finds its time up and returns 2, writing the time left (0) back. A second
 * call then takes the other two. An invalid timeout is EINVAL. Prints only what Linux determines (elapsed
 * time in tenths of a second), so a native run and a simulated one print the same lines.
 * usage: recvmmsg_timeout */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "call_results.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(void)
{
    int r = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    if (r < 0 || bind(r, (struct sockaddr *)&a, sizeof a) < 0 || getsockname(r, (struct sockaddr *)&a, &len) < 0) {
        perror("socket");
        return 1;
    }
    char bufs[4][100];
    struct iovec iov[4];
    struct mmsghdr got[4];
    memset(got, 0, sizeof got);
    for (int i = 0; i < 4; i++) {
        iov[i] = (struct iovec){.iov_base = bufs[i], .iov_len = sizeof bufs[i]};
        got[i].msg_hdr.msg_iov = &iov[i];
        got[i].msg_hdr.msg_iovlen = 1;
    }
    struct timespec bad = {.tv_sec = 0, .tv_nsec = 2000000000};
    printf("RESULT case=invalid recvmmsg=%s\n", res(E(recvmmsg(r, got, 4, 0, &bad))));

    double t0 = now();
    pid_t child = fork();
    if (child == 0) {
        int s = socket(AF_INET, SOCK_DGRAM, 0);
        sendto(s, "first", 5, 0, (struct sockaddr *)&a, sizeof a);
        struct timespec pause = {.tv_sec = 0, .tv_nsec = 300000000};
        nanosleep(&pause, NULL);
        sendto(s, "second", 6, 0, (struct sockaddr *)&a, sizeof a);
        sendto(s, "third", 5, 0, (struct sockaddr *)&a, sizeof a);
        sendto(s, "fourth", 6, 0, (struct sockaddr *)&a, sizeof a);
        _exit(0);
    }
    struct timespec timeout = {.tv_sec = 0, .tv_nsec = 100000000};
    long n = E(recvmmsg(r, got, 4, 0, &timeout));
    int tenths = (int)((now() - t0) * 10);
    printf("RESULT case=timeout received=%s lens=%u,%u left=%ld.%09ld tenths=%d\n", res(n), got[0].msg_len,
           got[1].msg_len, (long)timeout.tv_sec, timeout.tv_nsec, tenths);
    waitpid(child, NULL, 0);
    long rest = E(recvmmsg(r, got, 2, 0, NULL)); /* the two left (still in flight, simulated) */
    printf("RESULT case=drain received=%s lens=%u,%u\n", res(rest), got[0].msg_len, got[1].msg_len);
    return 0;
}
