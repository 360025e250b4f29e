/* LD_PRELOAD library: every TCP socket the program creates gets the congestion control named by
 * $TCP_CONGESTION (setsockopt TCP_CONGESTION), whatever the kernel's default. bin/bench-fidelity
 * runs the emulated programs with Linux's default, cubic, on a machine set to another. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

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
