/* A known sequence of file, socket and time syscalls, one of which fails on purpose:
 *   file:   openat(missing) -> ENOENT; getpid; openat(O_CREAT|O_EXCL) a temp file, write, lseek, read, fstat,
 *           close, unlink
 *   socket: a loopback AF_INET TCP server and client in one process: socket, setsockopt,
 *           bind 127.0.0.1:0, listen, getsockname, socket, connect, accept, sendto, recvfrom,
 *           shutdown, close x3
 *   time:   clock_gettime through syscall(2) (the vDSO would not stop), nanosleep 1 ms,
 *           gettimeofday through syscall(2)
 * Exits 0 when every step behaved as expected, 1 otherwise (message on stderr). Used by the
 * differential tests against strace. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static int fail(const char *what)
{
    fprintf(stderr, "syscall_mix: %s: %s\n", what, strerror(errno));
    return 1;
}

int main(void)
{
    /* file */
    if (open("/nonexistent/simterpose-missing", O_RDONLY) != -1 || errno != ENOENT)
        return fail("open of a missing file should fail with ENOENT");
    /* Not mkstemp: glibc's mkstemp calls getrandom only when a clock-derived value is
     * rejected, which would make the syscall sequence vary from run to run. */
    char path[64];
    snprintf(path, sizeof path, "/tmp/simterpose-mix-%ld", (long)getpid());
    int tmp = open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
    if (tmp < 0)
        return fail("open of a new temporary file");
    if (write(tmp, "hello, file\n", 12) != 12)
        return fail("write");
    if (lseek(tmp, 0, SEEK_SET) != 0)
        return fail("lseek");
    char buf[64];
    if (read(tmp, buf, sizeof buf) != 12)
        return fail("read");
    struct stat st;
    if (fstat(tmp, &st) != 0 || st.st_size != 12)
        return fail("fstat");
    close(tmp);
    if (unlink(path) != 0)
        return fail("unlink");

    /* socket: loopback TCP, server and client in this process */
    int srv = socket(AF_INET, SOCK_STREAM, 0);
    if (srv < 0)
        return fail("socket");
    int one = 1;
    setsockopt(srv, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (bind(srv, (struct sockaddr *)&addr, sizeof addr) != 0)
        return fail("bind");
    if (listen(srv, 1) != 0)
        return fail("listen");
    socklen_t len = sizeof addr;
    if (getsockname(srv, (struct sockaddr *)&addr, &len) != 0)
        return fail("getsockname");
    int cli = socket(AF_INET, SOCK_STREAM, 0);
    if (cli < 0 || connect(cli, (struct sockaddr *)&addr, sizeof addr) != 0)
        return fail("connect");
    struct sockaddr_in peer;
    socklen_t plen = sizeof peer;
    int conn = accept(srv, (struct sockaddr *)&peer, &plen);
    if (conn < 0)
        return fail("accept");
    if (send(cli, "ping", 4, 0) != 4)
        return fail("send");
    if (recv(conn, buf, sizeof buf, 0) != 4 || memcmp(buf, "ping", 4) != 0)
        return fail("recv");
    shutdown(cli, SHUT_WR);
    close(conn);
    close(cli);
    close(srv);

    /* time */
    struct timespec ts;
    if (syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts) != 0)
        return fail("clock_gettime");
    struct timespec nap = {0, 1000000};
    if (nanosleep(&nap, NULL) != 0)
        return fail("nanosleep");
    struct timeval tv;
    if (syscall(SYS_gettimeofday, &tv, NULL) != 0)
        return fail("gettimeofday");
    return 0;
}
