/* Connects to HOST:PORT, reads TCP_INFO, sends BYTES bytes, shuts down its sending side, waits
 * for the server's close and reads TCP_INFO again. Prints one RESULT line per reading: the
 * state, rtt (us), snd_mss, snd_cwnd (segments), total_retrans, bytes_acked, bytes_sent and
 * notsent_bytes.
 * usage: tcp_info HOST PORT BYTES */
#include "tcp_common.h"
#include <linux/tcp.h> /* the full struct tcp_info (glibc's stops early) */

static void report(int fd, const char *when)
{
    struct tcp_info ti;
    socklen_t len = sizeof ti;
    memset(&ti, 0, sizeof ti);
    if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0)
        die("getsockopt TCP_INFO");
    printf("RESULT when=%s len=%u state=%u rtt=%u snd_mss=%u snd_cwnd=%u total_retrans=%u bytes_acked=%llu "
           "bytes_sent=%llu notsent=%u\n",
           when, len, ti.tcpi_state, ti.tcpi_rtt, ti.tcpi_snd_mss, ti.tcpi_snd_cwnd, ti.tcpi_total_retrans,
           (unsigned long long)ti.tcpi_bytes_acked, (unsigned long long)ti.tcpi_bytes_sent, ti.tcpi_notsent_bytes);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s HOST PORT BYTES\n", argv[0]);
        return 2;
    }
    long bytes = atol(argv[3]);
    int fd = connect_to(argv[1], atoi(argv[2]));
    report(fd, "connected");
    unsigned char *buf = malloc(bytes ? bytes : 1);
    for (long i = 0; i < bytes; i++)
        buf[i] = pattern_byte(i);
    send_all(fd, buf, bytes);
    shutdown(fd, SHUT_WR);
    char c;
    while (recv(fd, &c, 1, 0) > 0)
        ;
    report(fd, "closed");
    return 0;
}
