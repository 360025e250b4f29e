/* IPV6_V6ONLY on TCP sockets over the loopback, one case per line, printing only what real
 * Linux determines (errno names, option values, addresses without ports), so the same binary
 * can run natively and under simulation and both outputs can be compared line for line.
 * usage: v6only */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "call_results.h"

static int tcp(int family)
{
    int fd = socket(family, SOCK_STREAM, 0);
    if (fd < 0) {
        perror("socket");
        exit(1);
    }
    return fd;
}

static long get_v6only(int fd)
{
    int v = -1;
    socklen_t len = sizeof v;
    return getsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v, &len) < 0 ? -errno : v;
}

static long set_v6only(int fd, int v)
{
    return E(setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v, sizeof v));
}

static struct sockaddr_in in4(const char *ip, int port)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, ip, &a.sin_addr);
    return a;
}

static struct sockaddr_in6 in6(const char *ip, int port)
{
    struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_port = htons(port)};
    inet_pton(AF_INET6, ip, &a.sin6_addr);
    return a;
}

static long bind4(int fd, const char *ip, int port)
{
    struct sockaddr_in a = in4(ip, port);
    return E(bind(fd, (struct sockaddr *)&a, sizeof a));
}

static long bind6(int fd, const char *ip, int port)
{
    struct sockaddr_in6 a = in6(ip, port);
    return E(bind(fd, (struct sockaddr *)&a, sizeof a));
}

static long connect4(int fd, const char *ip, int port)
{
    struct sockaddr_in a = in4(ip, port);
    return E(connect(fd, (struct sockaddr *)&a, sizeof a));
}

static long connect6(int fd, const char *ip, int port)
{
    struct sockaddr_in6 a = in6(ip, port);
    return E(connect(fd, (struct sockaddr *)&a, sizeof a));
}

static int port_of(int fd)
{
    struct sockaddr_storage a;
    socklen_t len = sizeof a;
    if (getsockname(fd, (struct sockaddr *)&a, &len) < 0) {
        perror("getsockname");
        exit(1);
    }
    return ntohs(a.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&a)->sin6_port : ((struct sockaddr_in *)&a)->sin_port);
}

/* The address (no port) of a socket's local or peer name, or the errno's name. */
static const char *name_of(int fd, int peer)
{
    static char out[16][64];
    static int next;
    char *s = out[next++ & 15];
    struct sockaddr_storage a;
    socklen_t len = sizeof a;
    int r = peer ? getpeername(fd, (struct sockaddr *)&a, &len) : getsockname(fd, (struct sockaddr *)&a, &len);
    if (r < 0)
        snprintf(s, 64, "%s", strerrorname_np(errno));
    else if (a.ss_family == AF_INET6)
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&a)->sin6_addr, s, 64);
    else
        inet_ntop(AF_INET, &((struct sockaddr_in *)&a)->sin_addr, s, 64);
    return s;
}

/* A port free in both families: the real loopback is shared with other programs, and the port
 * the kernel picks for a V6ONLY or an AF_INET socket may be held in the other family (an IPv4
 * TIME_WAIT connection, say); a dual-stack [::]:0 gets one free in both, given back at once. */
static int free_port(void)
{
    int fd = tcp(AF_INET6);
    if (bind6(fd, "::", 0) < 0) {
        perror("bind");
        exit(1);
    }
    int port = port_of(fd);
    close(fd);
    return port;
}

/* A listener of {@code family} on {@code ip}, V6ONLY set to {@code v6only} first (AF_INET6), port 0 for any. */
static int listener(int family, const char *ip, int v6only, int port)
{
    int fd = tcp(family);
    if (family == AF_INET6)
        set_v6only(fd, v6only);
    long b = family == AF_INET6 ? bind6(fd, ip, port) : bind4(fd, ip, port);
    if (b < 0 || listen(fd, 8) < 0) {
        fprintf(stderr, "listener %s: %s\n", ip, res(b < 0 ? b : -errno));
        exit(1);
    }
    return fd;
}

/* Which of the listeners has a connection to accept within a second: "a", "b", "ab" or "none". */
static const char *ready(int a, int b)
{
    struct pollfd p[2] = {{.fd = a, .events = POLLIN}, {.fd = b, .events = POLLIN}};
    int n = poll(p, b < 0 ? 1 : 2, 1000);
    if (n <= 0)
        return "none";
    int ra = (p[0].revents & POLLIN) != 0, rb = b >= 0 && (p[1].revents & POLLIN) != 0;
    return ra && rb ? "ab" : ra ? "a" : rb ? "b" : "none";
}

/* Accepts one connection if there is one; -1 if none within a second. */
static int accepted(int l)
{
    struct pollfd p = {.fd = l, .events = POLLIN};
    return poll(&p, 1, 1000) == 1 ? accept(l, NULL, NULL) : -1;
}

/* The option's default (net.ipv6.bindv6only) and where it exists. */
static void defaults(void)
{
    int s6 = tcp(AF_INET6), s4 = tcp(AF_INET);
    printf("RESULT case=defaults inet6=%s inet=%s set_inet=%s\n", res(get_v6only(s6)), res(get_v6only(s4)),
           res(set_v6only(s4, 1)));
    close(s6);
    close(s4);
}

/* A V6ONLY listener on :: takes IPv6 connections only; IPv4 ones are refused. */
static void only_ipv6_reaches(void)
{
    int port = free_port();
    int l = listener(AF_INET6, "::", 1, port);
    int c4 = tcp(AF_INET), c46 = tcp(AF_INET6), c6 = tcp(AF_INET6);
    long r4 = connect4(c4, "127.0.0.1", port);
    long r46 = connect6(c46, "::ffff:127.0.0.1", port);
    long r6 = connect6(c6, "::1", port);
    int a = accepted(l);
    printf("RESULT case=only_ipv6 inet=%s mapped=%s ipv6=%s accepted=%d child_v6only=%s local=%s peer=%s "
           "client_local=%s client_peer=%s\n",
           res(r4), res(r46), res(r6), a >= 0, res(get_v6only(a)), name_of(a, 0), name_of(a, 1), name_of(c6, 0),
           name_of(c6, 1));
    close(a);
    close(c4);
    close(c46);
    close(c6);
    close(l);
}

/* Without V6ONLY, a listener on :: takes both, IPv4 peers seen IPv4-mapped. */
static void dual_stack_reaches(void)
{
    int l = listener(AF_INET6, "::", 0, 0);
    int port = port_of(l);
    int c4 = tcp(AF_INET), c46 = tcp(AF_INET6), c6 = tcp(AF_INET6);
    long r4 = connect4(c4, "127.0.0.1", port);
    int a4 = accepted(l);
    long r46 = connect6(c46, "::ffff:127.0.0.1", port);
    int a46 = accepted(l);
    long r6 = connect6(c6, "::1", port);
    int a6 = accepted(l);
    printf("RESULT case=dual_stack inet=%s mapped=%s ipv6=%s accepted=%d,%d,%d peer4=%s local4=%s peer46=%s "
           "client46_local=%s client46_peer=%s peer6=%s\n",
           res(r4), res(r46), res(r6), a4 >= 0, a46 >= 0, a6 >= 0, name_of(a4, 1), name_of(a4, 0), name_of(a46, 1),
           name_of(c46, 0), name_of(c46, 1), name_of(a6, 1));
    close(a4);
    close(a46);
    close(a6);
    close(c4);
    close(c46);
    close(c6);
    close(l);
}

/* A V6ONLY socket cannot speak IPv4: connect and bind to an IPv4-mapped address fail. */
static void mapped_from_v6only(void)
{
    int l = listener(AF_INET, "0.0.0.0", 0, 0);
    int port = port_of(l);
    int c = tcp(AF_INET6);
    set_v6only(c, 1);
    long conn = connect6(c, "::ffff:127.0.0.1", port);
    long unplatformed = connect6(c, "::ffff:192.0.2.1", port);
    int b = tcp(AF_INET6);
    set_v6only(b, 1);
    long bound = bind6(b, "::ffff:127.0.0.1", 0);
    long bound_any = bind6(b, "::ffff:0.0.0.0", 0);
    int d = tcp(AF_INET6);
    long plain = connect6(d, "::ffff:127.0.0.1", port);
    printf("RESULT case=mapped_from_v6only connect=%s outside=%s bind=%s bind_any=%s state=%s dual_connect=%s "
           "dual_v6only=%s\n",
           res(conn), res(unplatformed), res(bound), res(bound_any), name_of(c, 1), res(plain), res(get_v6only(d)));
    close(c);
    close(b);
    close(d);
    close(accepted(l));
    close(l);
}

/* A socket bound to ::1 is IPv6-only by the bind (Linux sets the option); it cannot reach IPv4. */
static void loopback6_is_v6only(void)
{
    int s = tcp(AF_INET6);
    long b = bind6(s, "::1", free_port());
    int port = port_of(s);
    long v = get_v6only(s);
    int s4 = tcp(AF_INET);
    long b4 = bind4(s4, "127.0.0.1", port);
    int l = listener(AF_INET, "0.0.0.0", 0, 0);
    long conn = connect6(s, "::ffff:127.0.0.1", port_of(l));
    int m = tcp(AF_INET6);
    long bm = bind6(m, "::ffff:127.0.0.1", 0);
    long vm = get_v6only(m);
    printf("RESULT case=loopback6 bind=%s v6only=%s inet_same_port=%s connect_mapped=%s bind_mapped=%s "
           "mapped_v6only=%s mapped_name=%s\n",
           res(b), res(v), res(b4), res(conn), res(bm), res(vm), name_of(m, 0));
    close(s);
    close(s4);
    close(l);
    close(m);
}

/* An AF_INET and a V6ONLY AF_INET6 socket share a port, in either order; a dual-stack one does not. */
static void port_sharing(void)
{
    /* IPv4 first */
    int port = free_port();
    int s4 = tcp(AF_INET);
    bind4(s4, "0.0.0.0", port);
    int only = tcp(AF_INET6), dual = tcp(AF_INET6), only2 = tcp(AF_INET6);
    set_v6only(only, 1);
    set_v6only(only2, 1);
    long after4_only = bind6(only, "::", port);
    long after4_dual = bind6(dual, "::", port);
    long two_only = bind6(only2, "::", port);
    int lo6 = tcp(AF_INET6);
    long loop6 = bind6(lo6, "::1", port);
    printf("RESULT case=sharing_inet_first v6only=%s dual=%s second_v6only=%s loopback6=%s\n", res(after4_only),
           res(after4_dual), res(two_only), res(loop6));
    close(s4);
    close(only);
    close(dual);
    close(only2);
    close(lo6);

    /* IPv6 first */
    port = free_port();
    only = tcp(AF_INET6);
    set_v6only(only, 1);
    bind6(only, "::", port);
    int s4l = tcp(AF_INET);
    long after_only_loop = bind4(s4l, "127.0.0.1", port);
    close(s4l);
    s4 = tcp(AF_INET);
    long after_only_any = bind4(s4, "0.0.0.0", port);
    close(s4);
    int mapped = tcp(AF_INET6);
    long after_only_mapped = bind6(mapped, "::ffff:127.0.0.1", port);
    close(mapped);
    close(only);
    dual = tcp(AF_INET6);
    bind6(dual, "::", 0);
    port = port_of(dual);
    s4 = tcp(AF_INET);
    long after_dual_any = bind4(s4, "0.0.0.0", port);
    s4l = tcp(AF_INET);
    long after_dual_loop = bind4(s4l, "127.0.0.1", port);
    printf("RESULT case=sharing_inet6_first after_v6only=%s,%s,%s after_dual=%s,%s\n", res(after_only_loop),
           res(after_only_any), res(after_only_mapped), res(after_dual_any), res(after_dual_loop));
    close(s4);
    close(s4l);
    close(dual);
}

/* Both listening on one port: IPv4 connections reach the AF_INET one, IPv6 the V6ONLY one. */
static void shared_port_routes(void)
{
    int port = free_port();
    int l6 = listener(AF_INET6, "::", 1, port);
    int l4 = listener(AF_INET, "0.0.0.0", 0, port);
    int c4 = tcp(AF_INET);
    long r4 = connect4(c4, "127.0.0.1", port);
    const char *first = ready(l4, l6);
    int a4 = accepted(l4);
    int c6 = tcp(AF_INET6);
    long r6 = connect6(c6, "::1", port);
    const char *second = ready(l4, l6);
    int a6 = accepted(l6);
    printf("RESULT case=shared_port inet=%s ready=%s ipv6=%s ready=%s\n", res(r4), first, res(r6), second);
    close(a4);
    close(a6);
    close(c4);
    close(c6);
    close(l4);
    close(l6);
}

/* The option changes only while the socket has no port: EINVAL after bind, listen or connect. */
static void only_before_bind(void)
{
    int s = tcp(AF_INET6);
    long before = set_v6only(s, 1);
    long back = set_v6only(s, 0);
    long v = get_v6only(s);
    bind6(s, "::", 0);
    long after_bind = set_v6only(s, 1);
    long kept = get_v6only(s);
    int l = tcp(AF_INET6);
    listen(l, 1);
    long after_listen = set_v6only(l, 1);
    int c = tcp(AF_INET6);
    long conn = connect6(c, "::1", port_of(l));
    long after_connect = set_v6only(c, 1);
    int f = tcp(AF_INET6);
    int z = 0;
    long short_len = E(setsockopt(f, IPPROTO_IPV6, IPV6_V6ONLY, &z, 2));
    long nonzero = set_v6only(f, 7);
    long read_back = get_v6only(f);
    printf("RESULT case=before_bind before=%s back=%s value=%s after_bind=%s kept=%s after_listen=%s connect=%s "
           "after_connect=%s short=%s nonzero=%s read=%s\n",
           res(before), res(back), res(v), res(after_bind), res(kept), res(after_listen), res(conn),
           res(after_connect), res(short_len), res(nonzero), res(read_back));
    close(s);
    close(accepted(l));
    close(l);
    close(c);
    close(f);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    defaults();
    only_ipv6_reaches();
    dual_stack_reaches();
    mapped_from_v6only();
    loopback6_is_v6only();
    port_sharing();
    shared_port_routes();
    only_before_bind();
    return 0;
}
