/* A burst of datagrams: the sender sends COUNT datagrams of SIZE bytes back to back, each
 * starting with its sequence number; the receiver prints, for each datagram, its sequence number,
 * its length and when it arrived on its clock.
 * usage: udp_burst recv PORT COUNT
 *        udp_burst send HOST PORT COUNT SIZE */
#include "tcp_common.h"

int main(int argc, char **argv)
{
    static unsigned char buf[65536];
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0)
        die("socket");
    if (argc == 4 && strcmp(argv[1], "recv") == 0) {
        struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[2])),
                                   .sin_addr.s_addr = htonl(INADDR_ANY)};
        if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0)
            die("bind");
        int count = atoi(argv[3]);
        for (int i = 0; i < count; i++) {
            ssize_t n = recv(fd, buf, sizeof buf, 0);
            if (n < 0)
                die("recv");
            uint32_t seq = 0;
            memcpy(&seq, buf, n >= 4 ? 4 : 0);
            printf("RESULT seq=%u len=%zd at=%.9f\n", seq, n, now_s());
        }
        return 0;
    }
    if (argc == 6 && strcmp(argv[1], "send") == 0) {
        struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[3]))};
        if (inet_pton(AF_INET, argv[2], &to.sin_addr) != 1)
            return 2;
        int count = atoi(argv[4]);
        size_t size = (size_t)atol(argv[5]);
        printf("RESULT start=%.9f\n", now_s());
        for (uint32_t i = 0; i < (uint32_t)count; i++) {
            memcpy(buf, &i, 4);
            if (sendto(fd, buf, size, 0, (struct sockaddr *)&to, sizeof to) != (ssize_t)size)
                die("sendto");
        }
        printf("RESULT end=%.9f\n", now_s());
        return 0;
    }
    fprintf(stderr, "usage: %s recv PORT COUNT | send HOST PORT COUNT SIZE\n", argv[0]);
    return 2;
}
