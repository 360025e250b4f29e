/*
 * Escape probes: each tries one way past a ptrace/seccomp sandbox to put a UDP datagram (or a
 * raw Ethernet frame) carrying "SIMTERPOSE-ESCAPE <route>" on the real network.
 *
 *   escape_probe ROUTE DST_IPV4 PORT [IFACE]
 *
 * ROUTE: i386 (socketcall through int $0x80 from this 64-bit process), io_uring (IORING_OP_SOCKET
 * then IORING_OP_SENDMSG), user_notif (a seccomp filter returning SECCOMP_RET_USER_NOTIF for
 * socket and sendto, answered SECCOMP_USER_NOTIF_FLAG_CONTINUE by a supervisor thread), packet
 * (an AF_PACKET frame on IFACE). Prints one line: "ROUTE: sent" when the kernel accepted the
 * datagram, or "ROUTE: STEP failed: ERRNO-NAME" at the first step refused. Exit 0 either way.
 * Compiled twice (escape_probe.c dynamic, escape_probe_static.c static) from this one body.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/io_uring.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char *route;
static char message[64];

static const char *errname(int e) {
    switch (e) {
    case ENOSYS: return "ENOSYS";
    case EINVAL: return "EINVAL";
    case EPERM: return "EPERM";
    case EAFNOSUPPORT: return "EAFNOSUPPORT";
    case EOPNOTSUPP: return "EOPNOTSUPP";
    case EACCES: return "EACCES";
    default: return strerror(e);
    }
}

static int failed(const char *step, int e) {
    printf("%s: %s failed: %s\n", route, step, errname(e));
    return 0;
}

static int sent(void) {
    printf("%s: sent\n", route);
    return 0;
}

/* i386 socketcall(2) through int $0x80: its arguments are 32-bit words in memory below 4 GiB. */
static long int80(long nr, long a, long b) {
    long ret;
    __asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a), "c"(b) : "memory");
    return ret;
}

static int probe_i386(struct sockaddr_in *to) {
    enum { NR_SOCKETCALL = 102, SYS_SOCKET_ = 1, SYS_SENDTO_ = 11 };
    uint32_t *low = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
    if (low == MAP_FAILED) return failed("mmap", errno);
    char *text = (char *) (low + 16);
    struct sockaddr_in *addr = (struct sockaddr_in *) (low + 64);
    memcpy(text, message, strlen(message));
    *addr = *to;
    low[0] = AF_INET; low[1] = SOCK_DGRAM; low[2] = 0;
    long fd = int80(NR_SOCKETCALL, SYS_SOCKET_, (long) (uintptr_t) low);
    if (fd < 0) return failed("socketcall(SOCKET)", (int) -fd);
    low[0] = (uint32_t) fd; low[1] = (uint32_t) (uintptr_t) text; low[2] = (uint32_t) strlen(message);
    low[3] = 0; low[4] = (uint32_t) (uintptr_t) addr; low[5] = sizeof *addr;
    long n = int80(NR_SOCKETCALL, SYS_SENDTO_, (long) (uintptr_t) low);
    if (n < 0) return failed("socketcall(SENDTO)", (int) -n);
    return sent();
}

/* A one-entry io_uring driven by raw syscalls (no liburing). */
struct ring {
    int fd;
    unsigned *sq_tail, *sq_mask, *sq_array, *cq_head, *cq_tail, *cq_mask;
    struct io_uring_sqe *sqes;
    struct io_uring_cqe *cqes;
};

static int ring_call(struct ring *r, struct io_uring_sqe *sqe, long *result) {
    unsigned tail = *r->sq_tail;
    r->sqes[0] = *sqe;
    r->sq_array[tail & *r->sq_mask] = 0;
    __atomic_store_n(r->sq_tail, tail + 1, __ATOMIC_RELEASE);
    if (syscall(__NR_io_uring_enter, r->fd, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0) < 0) return -errno;
    unsigned head = *r->cq_head;
    if (head == __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE)) return -EIO;
    *result = r->cqes[head & *r->cq_mask].res;
    __atomic_store_n(r->cq_head, head + 1, __ATOMIC_RELEASE);
    return 0;
}

static int probe_io_uring(struct sockaddr_in *to) {
    struct io_uring_params p;
    memset(&p, 0, sizeof p);
    struct ring r;
    r.fd = (int) syscall(__NR_io_uring_setup, 4, &p);
    if (r.fd < 0) return failed("io_uring_setup", errno);
    size_t sq_size = p.sq_off.array + p.sq_entries * sizeof(unsigned);
    size_t cq_size = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
    char *sq = mmap(NULL, sq_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r.fd, IORING_OFF_SQ_RING);
    char *cq = mmap(NULL, cq_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r.fd, IORING_OFF_CQ_RING);
    r.sqes = mmap(NULL, p.sq_entries * sizeof(struct io_uring_sqe), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
                  r.fd, IORING_OFF_SQES);
    if (sq == MAP_FAILED || cq == MAP_FAILED || r.sqes == MAP_FAILED) return failed("mmap ring", errno);
    r.sq_tail = (unsigned *) (sq + p.sq_off.tail);
    r.sq_mask = (unsigned *) (sq + p.sq_off.ring_mask);
    r.sq_array = (unsigned *) (sq + p.sq_off.array);
    r.cq_head = (unsigned *) (cq + p.cq_off.head);
    r.cq_tail = (unsigned *) (cq + p.cq_off.tail);
    r.cq_mask = (unsigned *) (cq + p.cq_off.ring_mask);
    r.cqes = (struct io_uring_cqe *) (cq + p.cq_off.cqes);

    struct io_uring_sqe sqe;
    memset(&sqe, 0, sizeof sqe);
    sqe.opcode = IORING_OP_SOCKET;
    sqe.fd = AF_INET;
    sqe.off = SOCK_DGRAM;
    long fd;
    int e = ring_call(&r, &sqe, &fd);
    if (e < 0) return failed("io_uring_enter", -e);
    if (fd < 0) return failed("IORING_OP_SOCKET", (int) -fd);

    struct iovec iov = {message, strlen(message)};
    struct msghdr msg;
    memset(&msg, 0, sizeof msg);
    msg.msg_name = to;
    msg.msg_namelen = sizeof *to;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    memset(&sqe, 0, sizeof sqe);
    sqe.opcode = IORING_OP_SENDMSG;
    sqe.fd = (int) fd;
    sqe.addr = (uintptr_t) &msg;
    sqe.len = 1;
    long n;
    e = ring_call(&r, &sqe, &n);
    if (e < 0) return failed("io_uring_enter", -e);
    if (n < 0) return failed("IORING_OP_SENDMSG", (int) -n);
    return sent();
}

/* The supervisor: lets every notified call run in the real kernel. */
static void *supervise(void *arg) {
    int listener = *(int *) arg;
    for (;;) {
        struct seccomp_notif req;
        struct seccomp_notif_resp resp;
        memset(&req, 0, sizeof req);
        if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0) {
            if (errno == EINTR) continue;
            return NULL;
        }
        memset(&resp, 0, sizeof resp);
        resp.id = req.id;
        resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
        ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
    }
}

static int probe_user_notif(struct sockaddr_in *to) {
    struct sock_filter code[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_socket, 2, 0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_sendto, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
    };
    struct sock_fprog prog = {sizeof code / sizeof code[0], code};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) return failed("prctl(PR_SET_NO_NEW_PRIVS)", errno);
    static int listener;
    listener = (int) syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
    if (listener < 0) return failed("seccomp(NEW_LISTENER)", errno);
    pthread_t t;
    pthread_create(&t, NULL, supervise, &listener);
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0) return failed("socket", errno);
    if (sendto(fd, message, strlen(message), 0, (struct sockaddr *) to, sizeof *to) < 0) return failed("sendto", errno);
    return sent();
}

static int probe_packet(const char *iface) {
    int fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
    if (fd < 0) return failed("socket(AF_PACKET)", errno);
    char path[128];
    snprintf(path, sizeof path, "/sys/class/net/%s/ifindex", iface);
    FILE *f = fopen(path, "r");
    int ifindex = 0;
    if (f == NULL || fscanf(f, "%d", &ifindex) != 1) return failed("ifindex", errno ? errno : ENOENT);
    fclose(f);
    unsigned char frame[ETH_ZLEN + 64];
    memset(frame, 0, sizeof frame);
    memset(frame, 0xff, 6);                                  /* broadcast */
    memcpy(frame + 6, "\x02\x00\x00\x00\x00\x01", 6);        /* locally administered source */
    frame[12] = 0x88; frame[13] = 0xb5;                      /* IEEE local experimental EtherType */
    memcpy(frame + 14, message, strlen(message));
    struct sockaddr_ll to;
    memset(&to, 0, sizeof to);
    to.sll_family = AF_PACKET;
    to.sll_ifindex = ifindex;
    to.sll_halen = 6;
    memset(to.sll_addr, 0xff, 6);
    if (sendto(fd, frame, 14 + 64, 0, (struct sockaddr *) &to, sizeof to) < 0) return failed("sendto", errno);
    return sent();
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s i386|io_uring|user_notif|packet DST_IPV4 PORT [IFACE]\n", argv[0]);
        return 2;
    }
    setvbuf(stdout, NULL, _IONBF, 0);
    route = argv[1];
    snprintf(message, sizeof message, "SIMTERPOSE-ESCAPE %s", route);
    struct sockaddr_in to;
    memset(&to, 0, sizeof to);
    to.sin_family = AF_INET;
    to.sin_port = htons((uint16_t) atoi(argv[3]));
    if (inet_pton(AF_INET, argv[2], &to.sin_addr) != 1) {
        fprintf(stderr, "bad address %s\n", argv[2]);
        return 2;
    }
    if (strcmp(route, "i386") == 0) return probe_i386(&to);
    if (strcmp(route, "io_uring") == 0) return probe_io_uring(&to);
    if (strcmp(route, "user_notif") == 0) return probe_user_notif(&to);
    if (strcmp(route, "packet") == 0) return probe_packet(argc > 4 ? argv[4] : "eth0");
    fprintf(stderr, "unknown route %s\n", route);
    return 2;
}
