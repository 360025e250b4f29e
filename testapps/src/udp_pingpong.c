/* UDP ping-pong: the client sends ROUNDS datagrams of SIZE bytes to the server, which echoes
 * each one back to its sender; the client checks every echo byte for byte and prints the
 * round-trip times it measured on its clock. The server prints when it got the first datagram
 * and sent the last echo.
 * usage: udp_pingpong server PORT ROUNDS
 *        udp_pingpong client HOST PORT ROUNDS SIZE [connect]
 * With "connect" the client connect()s and uses send/recv; otherwise sendto/recvfrom, checking
 * that each echo comes from the server's address. */
#include "tcp_common.h"

#define MAX_DATAGRAM 65507

int main(int argc, char **argv)
{
    int server = argc == 4 && strcmp(argv[1], "server") == 0;
    int client = (argc == 6 || argc == 7) && strcmp(argv[1], "client") == 0;
    if (!server && !client) {
        fprintf(stderr, "usage: %s server PORT ROUNDS | client HOST PORT ROUNDS SIZE [connect]\n", argv[0]);
        return 2;
    }
    static unsigned char buf[MAX_DATAGRAM + 1], expect[MAX_DATAGRAM + 1];
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0)
        die("socket");
    if (server) {
        int rounds = atoi(argv[3]);
        struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[2])),
                                   .sin_addr.s_addr = htonl(INADDR_ANY)};
        if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0)
            die("bind");
        double first = 0, last = 0;
        long bytes = 0;
        for (int r = 0; r < rounds; r++) {
            struct sockaddr_in from;
            socklen_t fromlen = sizeof from;
            ssize_t n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &fromlen);
            if (n < 0)
                die("recvfrom");
            if (r == 0)
                first = now_s();
            bytes += n;
            if (sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from, fromlen) != n)
                die("sendto");
            last = now_s();
        }
        printf("RESULT rounds=%d bytes=%ld first=%.9f last=%.9f\n", rounds, bytes, first, last);
        return 0;
    }
    int rounds = atoi(argv[4]);
    size_t size = (size_t)atol(argv[5]);
    int connected = argc == 7 && strcmp(argv[6], "connect") == 0;
    if (size > MAX_DATAGRAM) {
        fprintf(stderr, "size above %d\n", MAX_DATAGRAM);
        return 2;
    }
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[3]))};
    if (inet_pton(AF_INET, argv[2], &to.sin_addr) != 1) {
        fprintf(stderr, "not an address: %s\n", argv[2]);
        return 2;
    }
    if (connected && connect(fd, (struct sockaddr *)&to, sizeof to) < 0)
        die("connect");
    double min_rtt = 1e9, max_rtt = 0;
    double start = now_s();
    int ok = 1;
    for (int r = 0; r < rounds; r++) {
        for (size_t i = 0; i < size; i++)
            expect[i] = pattern_byte(i + (uint64_t)r * 7919);
        double t0 = now_s();
        ssize_t sent = connected ? send(fd, expect, size, 0)
                                 : sendto(fd, expect, size, 0, (struct sockaddr *)&to, sizeof to);
        if (sent != (ssize_t)size)
            die("send");
        struct sockaddr_in from;
        socklen_t fromlen = sizeof from;
        ssize_t n = connected ? recv(fd, buf, sizeof buf, 0)
                              : recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &fromlen);
        if (n < 0)
            die("recv");
        double rtt = now_s() - t0;
        if (n != (ssize_t)size || memcmp(buf, expect, size) != 0)
            ok = 0;
        if (!connected && (fromlen != sizeof from || from.sin_port != to.sin_port
                           || from.sin_addr.s_addr != to.sin_addr.s_addr))
            ok = 0;
        if (rtt < min_rtt)
            min_rtt = rtt;
        if (rtt > max_rtt)
            max_rtt = rtt;
    }
    double end = now_s();
    printf("RESULT rounds=%d size=%zu ok=%d start=%.9f end=%.9f mean_rtt=%.9f min_rtt=%.9f max_rtt=%.9f\n", rounds,
           size, ok, start, end, (end - start) / rounds, min_rtt, max_rtt);
    return ok ? 0 : 1;
}
