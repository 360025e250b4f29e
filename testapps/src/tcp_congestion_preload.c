/* LD_PRELOAD library: every TCP socket the program creates gets the congestion control named by
 * $TCP_CONGESTION (setsockopt TCP_CONGESTION), whatever the kernel's default. bin/bench-fidelity
 * runs the emulated programs with Linux's default, cubic, on a machine set to another.
 * With $TCP_INFO_AT_CLOSE set, close() of a TCP socket first prints its TCP_INFO on stderr (one
 * "TCPINFO ..." line: retransmissions, congestion window and slow-start threshold in segments,
 * smoothed RTT): what the real kernel's congestion control did, to compare with run's model. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

int socket(int domain, int type, int protocol)
{
    static int (*real)(int, int, int);
    if (!real)
        real = (int (*)(int, int, int))dlsym(RTLD_NEXT, "socket");
    int fd = real(domain, type, protocol);
    const char *cc = getenv("TCP_CONGESTION");
    if (fd >= 0 && cc && (domain == AF_INET || domain == AF_INET6) && (type & 0xf) == SOCK_STREAM)
        setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, cc, strlen(cc));
    return fd;
}

int close(int fd)
{
    static int (*real)(int);
    if (!real)
        real = (int (*)(int))dlsym(RTLD_NEXT, "close");
    struct tcp_info ti;
    socklen_t len = sizeof ti;
    if (getenv("TCP_INFO_AT_CLOSE") && getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) == 0
            && ti.tcpi_state != TCP_LISTEN)
        fprintf(stderr, "TCPINFO fd=%d total_retrans=%u lost=%u snd_cwnd=%u snd_ssthresh=%u rtt_us=%u"
                " rttvar_us=%u reordering=%u snd_mss=%u\n", fd, ti.tcpi_total_retrans,
                ti.tcpi_lost, ti.tcpi_snd_cwnd, ti.tcpi_snd_ssthresh, ti.tcpi_rtt, ti.tcpi_rttvar,
                ti.tcpi_reordering, ti.tcpi_snd_mss);
    return real(fd);
}
