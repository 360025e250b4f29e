/* A busy-polling client: a non-blocking connect to HOST:PORT, then poll(POLLOUT) with a zero
 * timeout in a loop until the connection is up, counting the polls. Prints the clock at the
 * connect call and when the connection was seen up, and the number of polls.
 * usage: poll_spin HOST PORT */
#include "tcp_common.h"
#include <fcntl.h>
#include <poll.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s HOST PORT\n", argv[0]);
        return 2;
    }
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (fd < 0)
        die("socket");
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[2]))};
    inet_pton(AF_INET, argv[1], &addr.sin_addr);
    double start = now_s();
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) == 0 || errno != EINPROGRESS)
        die("connect (expected EINPROGRESS)");
    long polls = 0;
    for (;;) {
        struct pollfd p = {.fd = fd, .events = POLLOUT};
        polls++;
        if (poll(&p, 1, 0) < 0)
            die("poll");
        if (p.revents & POLLOUT)
            break;
    }
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
    printf("RESULT start=%.9f connected=%.9f polls=%ld error=%d\n", start, now_s(), polls, err);
    close(fd);
    return err != 0;
}
