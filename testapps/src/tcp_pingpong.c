/* Ping-pong over one TCP connection: the client sends SIZE bytes, the server answers with the
 * same SIZE bytes, ROUNDS times. The client prints the mean round-trip time on its clock, and the
 * distribution of the round trips (median, min, 10th/90th/99th percentiles, max).
 * usage: tcp_pingpong server PORT ROUNDS SIZE
 *        tcp_pingpong client HOST PORT ROUNDS SIZE */
#include "tcp_common.h"

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    int server = argc == 5 && strcmp(argv[1], "server") == 0;
    int client = argc == 6 && strcmp(argv[1], "client") == 0;
    if (!server && !client) {
        fprintf(stderr, "usage: %s server PORT ROUNDS SIZE | client HOST PORT ROUNDS SIZE\n", argv[0]);
        return 2;
    }
    int rounds = atoi(argv[client ? 4 : 3]);
    size_t size = (size_t)atol(argv[client ? 5 : 4]);
    unsigned char *buf = malloc(size ? size : 1);
    if (server) {
        int lfd = listen_on(atoi(argv[2]), 1);
        int fd = accept(lfd, NULL, NULL);
        if (fd < 0)
            die("accept");
        for (int r = 0; r < rounds; r++) {
            if (recv_all(fd, buf, size) != size) {
                fprintf(stderr, "short read at round %d\n", r);
                return 1;
            }
            send_all(fd, buf, size);
        }
        close(fd);
        close(lfd);
        printf("RESULT rounds=%d\n", rounds);
        return 0;
    }
    int fd = connect_to(argv[2], atoi(argv[3]));
    for (size_t i = 0; i < size; i++)
        buf[i] = pattern_byte(i);
    double *rtt = calloc(rounds > 0 ? rounds : 1, sizeof *rtt);
    double start = now_s();
    for (int r = 0; r < rounds; r++) {
        double sent = now_s();
        send_all(fd, buf, size);
        if (recv_all(fd, buf, size) != size) {
            fprintf(stderr, "short read at round %d\n", r);
            return 1;
        }
        rtt[r] = now_s() - sent;
    }
    double end = now_s();
    close(fd);
    qsort(rtt, rounds, sizeof *rtt, by_value);
#define RTT_AT(q) (rounds > 0 ? rtt[(int)((rounds - 1) * (q))] : 0.0)
    printf("RESULT rounds=%d size=%zu start=%.9f end=%.9f mean_rtt=%.9f median_rtt=%.9f min_rtt=%.9f"
           " p10_rtt=%.9f p90_rtt=%.9f p99_rtt=%.9f max_rtt=%.9f\n",
           rounds, size, start, end, (end - start) / rounds, rounds > 0 ? rtt[rounds / 2] : 0.0, RTT_AT(0.0),
           RTT_AT(0.10), RTT_AT(0.90), RTT_AT(0.99), RTT_AT(1.0));
    return 0;
}
