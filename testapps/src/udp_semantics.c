/* UDP semantics on the loopback, one case per line, printing only what real Linux determines
 * (no port numbers, no times), so the same binary can run natively and under simulation and
 * both outputs can be compared line for line.
 * usage: udp_semantics */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "call_results.h"
#include <sys/uio.h>

static unsigned char buf[70000], data[70000];

static int udp(void)
{
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0) {
        perror("socket");
        exit(1);
    }
    return fd;
}

static struct sockaddr_in loop(int port)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    return a;
}

/* A socket bound to 127.0.0.1 on an ephemeral port; its address in *a. */
static int bound(struct sockaddr_in *a)
{
    int fd = udp();
    *a = loop(0);
    socklen_t len = sizeof *a;
    if (bind(fd, (struct sockaddr *)a, sizeof *a) < 0 || getsockname(fd, (struct sockaddr *)a, &len) < 0) {
        perror("bind");
        exit(1);
    }
    return fd;
}

static long send_to(int fd, size_t n, struct sockaddr_in *to)
{
    return E(sendto(fd, data, n, 0, (struct sockaddr *)to, sizeof *to));
}

/* Lets datagrams in flight arrive (a no-op for real loopback, which delivers at once). */
static void settle(void)
{
    usleep(100000);
}

static void name_of(int fd, int peer, char *out)
{
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    int r = peer ? getpeername(fd, (struct sockaddr *)&a, &len) : getsockname(fd, (struct sockaddr *)&a, &len);
    if (r < 0)
        sprintf(out, "%s", strerrorname_np(errno));
    else
        sprintf(out, "%s:%s", inet_ntoa(a.sin_addr), ntohs(a.sin_port) ? "port" : "0");
}

static int get_int(int fd, int level, int name)
{
    int v = -1;
    socklen_t len = sizeof v;
    if (getsockopt(fd, level, name, &v, &len) < 0)
        return -errno;
    return v;
}

static void boundaries(void)
{
    struct sockaddr_in ra, sa;
    int r = bound(&ra), s = udp();
    for (int i = 0; i < (int)sizeof data; i++)
        data[i] = (unsigned char)(i * 31 + 7);
    long s1 = send_to(s, 100, &ra), s2 = send_to(s, 1, &ra), s3 = send_to(s, 0, &ra), s4 = send_to(s, 2000, &ra),
         s5 = send_to(s, 70, &ra);
    settle();
    int inq = -1;
    ioctl(r, FIONREAD, &inq);
    long peek = E(recv(r, buf, 50, MSG_PEEK));
    struct iovec iov = {buf, 50};
    struct sockaddr_in from;
    struct msghdr m = {.msg_name = &from, .msg_namelen = sizeof from, .msg_iov = &iov, .msg_iovlen = 1};
    long got = E(recvmsg(r, &m, 0));
    socklen_t slen = sizeof sa;
    getsockname(s, (struct sockaddr *)&sa, &slen);
    int same = memcmp(buf, data, 50) == 0;
    int from_sender = m.msg_namelen == sizeof from && from.sin_port == sa.sin_port
                      && from.sin_addr.s_addr == htonl(INADDR_LOOPBACK);
    long one = E(recv(r, buf, 10, MSG_TRUNC));
    long empty = E(recv(r, buf, 10, 0));
    long full = E(recv(r, buf, 100, MSG_TRUNC));
    long rd = E(read(r, buf, 100));
    long none = E(recv(r, buf, 100, MSG_DONTWAIT));
    char sname[64];
    name_of(s, 0, sname);
    printf("RESULT case=boundaries sent=%ld,%ld,%ld,%ld,%ld fionread=%d peek=%ld recvmsg=%ld trunc=%d same=%d "
           "from_sender=%d one=%ld empty=%ld full=%ld read=%ld none=%s sender=%s\n",
           s1, s2, s3, s4, s5, inq, peek, got, (m.msg_flags & MSG_TRUNC) != 0, same, from_sender, one, empty, full, rd,
           res(none), sname);
    close(r);
    close(s);
}

/* writev/sendmsg gather their pieces into one datagram; readv/recvmsg scatter one. */
static void vectors(void)
{
    struct sockaddr_in ra, sa;
    int r = bound(&ra), s = bound(&sa);
    long conn = E(connect(s, (struct sockaddr *)&ra, sizeof ra));
    struct iovec two[2] = {{(void *)"abc", 3}, {(void *)"defg", 4}};
    long wv = E(writev(s, two, 2));
    struct iovec three[3] = {{(void *)"hi", 2}, {(void *)"", 0}, {(void *)"jklmn", 5}};
    struct msghdr m = {.msg_name = &ra, .msg_namelen = sizeof ra, .msg_iov = three, .msg_iovlen = 3};
    long sm = E(sendmsg(s, &m, 0));
    struct msghdr none = {.msg_iov = two, .msg_iovlen = 1};
    long sm2 = E(sendmsg(s, &none, 0)); /* no name: the connected peer */
    settle();
    char a[3] = {0}, b[3] = {0};
    struct iovec in[2] = {{a, 2}, {b, 2}};
    long rv = E(readv(r, in, 2)); /* 7 bytes into 4: cut, the rest is lost */
    char c[8] = {0}, d[8] = {0};
    struct iovec in2[2] = {{c, 3}, {d, 8}};
    struct msghdr mr = {.msg_iov = in2, .msg_iovlen = 2};
    long rm = E(recvmsg(r, &mr, 0));
    long last = E(recv(r, buf, sizeof buf, 0));
    printf("RESULT case=vectors connect=%s writev=%s sendmsg=%s sendmsg_peer=%s readv=%s:%s|%s recvmsg=%s:%s|%s "
           "flags=%#x last=%s\n",
           res(conn), res(wv), res(sm), res(sm2), res(rv), a, b, res(rm), c, d, mr.msg_flags, res(last));
    close(r);
    close(s);
}

/* sendmmsg sends one datagram per message; recvmmsg takes one per message. */
static void multiple(void)
{
    struct sockaddr_in ra;
    int r = bound(&ra), s = udp();
    struct iovec iov[3] = {{(void *)"a", 1}, {(void *)"bb", 2}, {(void *)"ccc", 3}};
    struct mmsghdr out[3];
    memset(out, 0, sizeof out);
    for (int i = 0; i < 3; i++) {
        out[i].msg_hdr.msg_name = &ra;
        out[i].msg_hdr.msg_namelen = sizeof ra;
        out[i].msg_hdr.msg_iov = &iov[i];
        out[i].msg_hdr.msg_iovlen = 1;
    }
    long sent = E(sendmmsg(s, out, 3, 0));
    settle();
    char in[4][8];
    struct iovec iin[4];
    struct mmsghdr got[4];
    memset(got, 0, sizeof got);
    for (int i = 0; i < 4; i++) {
        iin[i].iov_base = in[i];
        iin[i].iov_len = 2;
        got[i].msg_hdr.msg_iov = &iin[i];
        got[i].msg_hdr.msg_iovlen = 1;
    }
    long n = E(recvmmsg(r, got, 4, MSG_WAITFORONE, NULL));
    long empty = E(recvmmsg(r, got, 4, MSG_DONTWAIT, NULL));
    printf("RESULT case=mmsg sent=%s lens=%u,%u,%u received=%s lens=%u,%u,%u trunc=%d,%d,%d empty=%s\n", res(sent),
           out[0].msg_len, out[1].msg_len, out[2].msg_len, res(n), got[0].msg_len, got[1].msg_len, got[2].msg_len,
           !!(got[0].msg_hdr.msg_flags & MSG_TRUNC), !!(got[1].msg_hdr.msg_flags & MSG_TRUNC),
           !!(got[2].msg_hdr.msg_flags & MSG_TRUNC), res(empty));
    close(r);
    close(s);
}

static void sizes(void)
{
    struct sockaddr_in ra;
    int r = bound(&ra), s = udp();
    long max = send_to(s, 65507, &ra), over = send_to(s, 65508, &ra), far = send_to(s, 70000, &ra);
    long got = E(recv(r, buf, sizeof buf, 0));
    printf("RESULT case=sizes max=%s over=%s far=%s got=%s\n", res(max), res(over), res(far), res(got));
    close(r);
    close(s);
}

static void refused(void)
{
    struct sockaddr_in gone;
    close(bound(&gone)); /* a port nobody holds any more */
    int c = udp();
    long conn = E(connect(c, (struct sockaddr *)&gone, sizeof gone));
    long first = E(send(c, data, 10, 0));
    long rcv = E(recv(c, buf, 10, 0));
    long again = E(send(c, data, 10, 0));
    settle();
    long third = E(send(c, data, 10, 0));
    long fourth = E(send(c, data, 10, 0));
    settle();
    struct pollfd p = {c, POLLIN | POLLOUT, 0};
    poll(&p, 1, 0);
    int soerr = get_int(c, SOL_SOCKET, SO_ERROR);
    int soerr2 = get_int(c, SOL_SOCKET, SO_ERROR);
    int u = udp();
    long u1 = send_to(u, 10, &gone);
    settle();
    long u2 = send_to(u, 10, &gone);
    printf("RESULT case=refused connect=%s send=%s recv=%s again=%s third=%s fourth=%s revents=%#x so_error=%s "
           "so_error_after=%d unconnected=%s,%s\n",
           res(conn), res(first), res(rcv), res(again), res(third), res(fourth), p.revents,
           soerr > 0 ? strerrorname_np(soerr) : "0", soerr2, res(u1), res(u2));
    close(c);
    close(u);
}

static void connected_filter(void)
{
    struct sockaddr_in ra, s1a, s2a;
    int r = bound(&ra), s1 = bound(&s1a), s2 = bound(&s2a);
    long conn = E(connect(r, (struct sockaddr *)&s1a, sizeof s1a));
    long from2 = send_to(s2, 20, &ra), from1 = send_to(s1, 10, &ra);
    settle();
    long a = E(recv(r, buf, sizeof buf, MSG_DONTWAIT)), b = E(recv(r, buf, sizeof buf, MSG_DONTWAIT));
    int s2err = get_int(s2, SOL_SOCKET, SO_ERROR);
    struct sockaddr unspec = {.sa_family = AF_UNSPEC};
    long dis = E(connect(r, &unspec, sizeof unspec));
    char peer[64], name[64];
    name_of(r, 1, peer);
    name_of(r, 0, name);
    long again = send_to(s2, 30, &ra);
    settle();
    long c = E(recv(r, buf, sizeof buf, MSG_DONTWAIT));
    printf("RESULT case=connected connect=%s sent=%s,%s got=%s then=%s s2_error=%d unspec=%s peer=%s name=%s "
           "after=%s got_after=%s\n",
           res(conn), res(from2), res(from1), res(a), res(b), s2err, res(dis), peer, name, res(again), res(c));
    close(r);
    close(s1);
    close(s2);
}

static void binding(void)
{
    struct sockaddr_in a;
    int x = bound(&a);
    int port = ntohs(a.sin_port);
    int y = udp();
    struct sockaddr_in same = loop(port), any = loop(port);
    any.sin_addr.s_addr = htonl(INADDR_ANY);
    long dup = E(bind(y, (struct sockaddr *)&same, sizeof same));
    long wild = E(bind(y, (struct sockaddr *)&any, sizeof any));
    int t = socket(AF_INET, SOCK_STREAM, 0);
    long tcp = E(bind(t, (struct sockaddr *)&same, sizeof same));
    long twice = E(bind(x, (struct sockaddr *)&same, sizeof same));
    int one = 1, p = udp(), q = udp();
    setsockopt(p, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    setsockopt(q, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in pa = loop(0);
    socklen_t len = sizeof pa;
    long pb = E(bind(p, (struct sockaddr *)&pa, sizeof pa));
    getsockname(p, (struct sockaddr *)&pa, &len);
    long qb = E(bind(q, (struct sockaddr *)&pa, sizeof pa));
    /* the last socket bound on a shared port gets unicast datagrams (Linux's chain order) */
    int s = udp();
    send_to(s, 5, &pa);
    settle();
    long atq = E(recv(q, buf, sizeof buf, MSG_DONTWAIT)), atp = E(recv(p, buf, sizeof buf, MSG_DONTWAIT));
    printf("RESULT case=bind same=%s wildcard=%s tcp_same_port=%s rebind=%s reuseaddr=%s,%s last_bound_gets=%s,%s\n",
           res(dup), res(wild), res(tcp), res(twice), res(pb), res(qb), res(atq), res(atp));
    close(x);
    close(y);
    close(t);
    close(p);
    close(q);
    close(s);
}

static void rcvbuf(void)
{
    struct sockaddr_in ra;
    int r = bound(&ra), s = udp();
    int sent = 0, got = 0;
    for (int i = 0; i < 300; i++)
        sent += send_to(s, 100, &ra) == 100;
    settle();
    while (recv(r, buf, sizeof buf, MSG_DONTWAIT) >= 0)
        got++;
    int small = 4000;
    setsockopt(r, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    int value = get_int(r, SOL_SOCKET, SO_RCVBUF);
    int sent2 = 0, got2 = 0;
    for (int i = 0; i < 20; i++)
        sent2 += send_to(s, 1000, &ra) == 1000;
    settle();
    while (recv(r, buf, sizeof buf, MSG_DONTWAIT) >= 0)
        got2++;
    printf("RESULT case=rcvbuf default=%d sndbuf=%d sent=%d kept=%d set=%d sent2=%d kept2=%d\n",
           get_int(s, SOL_SOCKET, SO_RCVBUF), get_int(s, SOL_SOCKET, SO_SNDBUF), sent, got, value, sent2, got2);
    close(r);
    close(s);
}

static void readiness(void)
{
    struct sockaddr_in ra;
    int r = bound(&ra), s = udp();
    struct pollfd p = {r, POLLIN | POLLOUT, 0};
    int n0 = poll(&p, 1, 0);
    int idle = p.revents;
    send_to(s, 10, &ra);
    struct pollfd in = {r, POLLIN, 0};
    int n1 = poll(&in, 1, 1000); /* waits for the datagram when it is still in flight */
    int ready = in.revents;
    recv(r, buf, sizeof buf, 0);
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = r}, out;
    epoll_ctl(ep, EPOLL_CTL_ADD, r, &ev);
    int e0 = epoll_wait(ep, &out, 1, 0);
    send_to(s, 10, &ra);
    int e1 = epoll_wait(ep, &out, 1, 1000);
    int eready = e1 == 1 ? (int)out.events : 0;
    long sh = E(shutdown(r, SHUT_RD));
    recv(r, buf, sizeof buf, 0);
    p.revents = 0;
    poll(&p, 1, 0);
    int after = p.revents;
    long eof = E(recv(r, buf, sizeof buf, 0));
    long eagain = E(recv(r, buf, sizeof buf, MSG_DONTWAIT));
    long shw = E(shutdown(r, SHUT_WR));
    long epipe = send_to(r, 1, &ra);
    p.revents = 0;
    poll(&p, 1, 0);
    printf("RESULT case=readiness idle=%d:%#x ready=%d:%#x epoll_idle=%d epoll=%d:%#x shut_rd=%s revents=%#x "
           "recv_after_shut=%s nonblock_after_shut=%s shut_wr=%s send_after_shut=%s revents_both=%#x\n",
           n0, idle, n1, ready, e0, e1, eready, res(sh), after, res(eof), res(eagain), res(shw), res(epipe),
           p.revents);
    close(ep);
    close(r);
    close(s);
}

static void names(void)
{
    int s = udp();
    char n0[64], p0[64], n1[64], p1[64], n2[64], p2[64];
    name_of(s, 0, n0);
    name_of(s, 1, p0);
    struct sockaddr_in to = loop(9);
    long c = E(connect(s, (struct sockaddr *)&to, sizeof to));
    name_of(s, 0, n1);
    name_of(s, 1, p1);
    struct sockaddr unspec = {.sa_family = AF_UNSPEC};
    long d = E(connect(s, &unspec, sizeof unspec));
    name_of(s, 0, n2);
    name_of(s, 1, p2);
    long nodest = E(send(s, data, 1, 0));
    int fl = fcntl(s, F_GETFL);
    fcntl(s, F_SETFL, fl | O_NONBLOCK);
    long nb = E(recv(s, buf, 1, 0));
    struct timeval tv = {0, 200000};
    fcntl(s, F_SETFL, fl);
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    long timed = E(recv(s, buf, 1, 0));
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double waited = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("RESULT case=names fresh=%s fresh_peer=%s connect=%s name=%s peer=%s unspec=%s name_after=%s "
           "peer_after=%s send_unconnected=%s type=%d protocol=%d nonblock=%s timeout=%s waited_ds=%.0f listen=%s\n",
           n0, p0, res(c), n1, p1, res(d), n2, p2, res(nodest), get_int(s, SOL_SOCKET, SO_TYPE),
           get_int(s, SOL_SOCKET, SO_PROTOCOL), res(nb), res(timed), waited * 10, res(E(listen(s, 1))));
    close(s);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    boundaries();
    vectors();
    multiple();
    sizes();
    refused();
    connected_filter();
    binding();
    rcvbuf();
    readiness();
    names();
    return 0;
}
