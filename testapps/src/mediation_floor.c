/* The least a ptrace-based full mediation of a TCP stream can cost on this machine: a reference
 * for bin/bench-run, not part of simterpose.
 *
 * It runs a server and a client (two programs that talk over one TCP connection with send and
 * recv), traced the way `simterpose run` traces them, and does only the unavoidable work: a
 * seccomp stop at every sendto and recvfrom, the registers read and written, the bytes copied
 * with process_vm_readv into a 4 MiB buffer and from there with process_vm_writev into the
 * receiver; a send that finds the buffer full, or a receive that finds it empty, waits for the
 * other side. No simulation, no clock, no JVM. Everything else (socket, connect, accept) runs
 * natively, so the real connection exists but carries no byte.
 *
 * With a CPU number, the floor and both programs run on that one CPU, as simterpose does.
 *
 * How a call is answered (--answer=, for issue 18's hot path: what each way costs at the least):
 *   pokeuser  (default, as simterpose does) the seccomp stop's answer is two PTRACE_POKEUSER
 *             (orig_rax = -1, rax = result), then PTRACE_CONT;
 *   setregs   one PTRACE_SETREGS of all the registers instead;
 *   notify    no ptrace stop: the filter answers SECCOMP_RET_USER_NOTIF, each program's listener
 *             fd (SECCOMP_FILTER_FLAG_NEW_LISTENER, installed before exec, taken with
 *             pidfd_getfd) is polled, and a call is answered with SECCOMP_IOCTL_NOTIF_SEND
 *             (the programs stay ptrace-seized, as they would for exec, clone and signals).
 *
 * usage: mediation_floor [--answer=pokeuser|setregs|notify] CPU|-1 PORT -- SERVER ARGS... -- CLIENT ARGS...
 * The client starts once something listens on TCP PORT. Prints "floor: WALL s, STOPS stops" and
 * the CPU time per stop of the tracer and of the programs, and exits 0 when both programs exited 0. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#define CAPACITY (4u << 20)

static char *buffer;
static size_t head, queued;

enum answer { POKEUSER, SETREGS, NOTIFY };
static enum answer answer_by = POKEUSER;

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void die(const char *what)
{
    fprintf(stderr, "mediation_floor: %s: %s\n", what, strerror(errno));
    exit(2);
}

/* The child installs the filter (sendto and recvfrom stop it, or notify), stops itself, is seized
 * (its listener fd taken first, under notify) and execs. */
static pid_t launch(char **argv, int *listener)
{
    pid_t pid = fork();
    if (pid < 0)
        die("fork");
    if (pid == 0) {
        struct sock_filter filter[] = {
            BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
            BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_sendto, 1, 0),
            BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_recvfrom, 0, 1),
            BPF_STMT(BPF_RET | BPF_K, answer_by == NOTIFY ? SECCOMP_RET_USER_NOTIF : SECCOMP_RET_TRACE),
            BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        };
        struct sock_fprog program = {sizeof filter / sizeof filter[0], filter};
        unsigned flags = answer_by == NOTIFY ? SECCOMP_FILTER_FLAG_NEW_LISTENER : 0;
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &program) < 0)
            _exit(126);
        raise(SIGSTOP); /* the listener (close-on-exec) is fd 3 until then */
        execvp(argv[0], argv);
        _exit(127);
    }
    int status;
    if (waitpid(pid, &status, WUNTRACED) < 0)
        die("waitpid");
    if (!WIFSTOPPED(status)) {
        fprintf(stderr, "mediation_floor: %s could not install its filter\n", argv[0]);
        exit(2);
    }
    if (answer_by == NOTIFY) {
        int pidfd = syscall(SYS_pidfd_open, pid, 0);
        if (pidfd < 0 || (*listener = syscall(SYS_pidfd_getfd, pidfd, 3, 0)) < 0)
            die("pidfd_getfd of the listener");
        close(pidfd);
    }
    if (ptrace(PTRACE_SEIZE, pid, 0, PTRACE_O_TRACESECCOMP | PTRACE_O_EXITKILL) < 0)
        die("PTRACE_SEIZE");
    kill(pid, SIGCONT);
    return pid;
}

static int listening(int port)
{
    char want[16], line[512];
    snprintf(want, sizeof want, ":%04X", port);
    FILE *f = fopen("/proc/net/tcp", "r");
    int found = 0;
    while (f && fgets(line, sizeof line, f)) {
        char local[64], remote[64], state[8];
        if (sscanf(line, "%*s %63s %63s %7s", local, remote, state) == 3 && strcmp(state, "0A") == 0) {
            size_t n = strlen(local), m = strlen(want);
            found |= n >= m && strcmp(local + n - m, want) == 0;
        }
    }
    if (f)
        fclose(f);
    return found;
}

/* Copies n bytes between the tracee's buffer at addr and the ring: one process_vm call. */
static long copy(pid_t pid, unsigned long addr, size_t n, int to_tracee)
{
    size_t at = to_tracee ? head : (head + queued) % CAPACITY;
    size_t first = n < CAPACITY - at ? n : CAPACITY - at;
    struct iovec local[2] = {{buffer + at, first}, {buffer, n - first}};
    struct iovec remote = {(void *)addr, n};
    int parts = n > first ? 2 : 1;
    return to_tracee ? process_vm_writev(pid, local, parts, &remote, 1, 0)
                     : process_vm_readv(pid, local, parts, &remote, 1, 0);
}

/* A call stopped or notified: who made it and its arguments, and for notify the request's id. */
struct call {
    pid_t pid;
    long nr;
    unsigned long buf;
    size_t len;
    int listener;
    __u64 id;
    struct user_regs_struct regs;
};

/* Answers a sendto/recvfrom: 1 if answered, 0 if it must wait for the other side. */
static int serve(struct call *c, int peer_alive)
{
    long result;
    if (c->nr == SYS_sendto) {
        size_t n = c->len < CAPACITY - queued ? c->len : CAPACITY - queued;
        if (n == 0 && c->len > 0)
            return 0;
        result = copy(c->pid, c->buf, n, 0);
        if (result > 0)
            queued += result;
    } else {
        size_t n = c->len < queued ? c->len : queued;
        if (n == 0 && c->len > 0 && peer_alive)
            return 0;
        result = n == 0 ? 0 : copy(c->pid, c->buf, n, 1); /* the sender is gone: EOF */
        if (result > 0) {
            head = (head + result) % CAPACITY;
            queued -= result;
        }
    }
    if (result < 0)
        result = -errno;
    if (answer_by == NOTIFY) {
        struct seccomp_notif_resp resp = {.id = c->id, .val = result < 0 ? -1 : result, .error = result < 0 ? (int)result : 0};
        if (ioctl(c->listener, SECCOMP_IOCTL_NOTIF_SEND, &resp) < 0 && errno != ENOENT)
            die("SECCOMP_IOCTL_NOTIF_SEND");
        return 1;
    }
    /* skip the real call (orig_rax = -1); rax is its result */
    if (answer_by == SETREGS) {
        c->regs.orig_rax = -1;
        c->regs.rax = result;
        if (ptrace(PTRACE_SETREGS, c->pid, 0, &c->regs) < 0)
            die("PTRACE_SETREGS");
    } else if (ptrace(PTRACE_POKEUSER, c->pid, offsetof(struct user_regs_struct, orig_rax), -1L) < 0
               || ptrace(PTRACE_POKEUSER, c->pid, offsetof(struct user_regs_struct, rax), result) < 0) {
        die("PTRACE_POKEUSER");
    }
    if (ptrace(PTRACE_CONT, c->pid, 0, 0) < 0)
        die("PTRACE_CONT");
    return 1;
}

static double cpu_s(int who)
{
    struct rusage u;
    getrusage(who, &u);
    return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

/* Reaps what waitpid reports without blocking (notify: ptrace stops are signals and exits only). */
static void reap(int *alive, int *failed)
{
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, __WALL | WNOHANG)) > 0) {
        if (WIFEXITED(status) || WIFSIGNALED(status)) {
            *failed |= !WIFEXITED(status) || WEXITSTATUS(status) != 0;
            (*alive)--;
        } else {
            ptrace(PTRACE_CONT, pid, 0, status >> 16 ? 0 : WSTOPSIG(status));
        }
    }
}

int main(int argc, char **argv)
{
    if (argc > 1 && strncmp(argv[1], "--answer=", 9) == 0) {
        const char *how = argv[1] + 9;
        answer_by = strcmp(how, "setregs") == 0 ? SETREGS : strcmp(how, "notify") == 0 ? NOTIFY : POKEUSER;
        if (answer_by == POKEUSER && strcmp(how, "pokeuser") != 0) {
            fprintf(stderr, "mediation_floor: --answer= takes pokeuser, setregs or notify, not %s\n", how);
            return 2;
        }
        argv++;
        argc--;
    }
    if (argc < 6 || strcmp(argv[3], "--") != 0) {
        fprintf(stderr, "usage: %s [--answer=pokeuser|setregs|notify] CPU|-1 PORT -- SERVER ARGS... -- CLIENT ARGS...\n", argv[0]);
        return 2;
    }
    int cpu = atoi(argv[1]), port = atoi(argv[2]);
    char **server = argv + 4, **client = NULL;
    for (int i = 4; i < argc; i++)
        if (strcmp(argv[i], "--") == 0) {
            argv[i] = NULL;
            client = argv + i + 1;
        }
    if (client == NULL || client[0] == NULL) {
        fprintf(stderr, "mediation_floor: no client command after the second --\n");
        return 2;
    }
    if (cpu >= 0) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(cpu, &set);
        if (sched_setaffinity(0, sizeof set, &set) < 0)
            die("sched_setaffinity");
    }
    buffer = malloc(CAPACITY);
    if (buffer == NULL)
        die("malloc");
    memset(buffer, 0, CAPACITY); /* fault the pages in before the clock starts */

    double start = now_s();
    int listeners[2] = {-1, -1};
    pid_t pids[2] = {launch(server, &listeners[0]), 0};
    while (!listening(port)) {
        int status;
        if (waitpid(pids[0], &status, WNOHANG | __WALL) == pids[0]) {
            if (!WIFSTOPPED(status)) {
                fprintf(stderr, "mediation_floor: the server ended before it listened\n");
                return 1;
            }
            ptrace(PTRACE_CONT, pids[0], 0, status >> 16 ? 0 : WSTOPSIG(status)); /* SIGCONT's delivery */
        }
        usleep(200);
    }
    pids[1] = launch(client, &listeners[1]);

    int alive = 2, failed = 0;
    long stops = 0;
    int waits = 0; /* a call that waits for the other side */
    struct call waiting;
    while (alive > 0) {
        struct call c = {0};
        if (answer_by == NOTIFY) {
            struct pollfd ready[2] = {{listeners[0], POLLIN, 0}, {listeners[1], POLLIN, 0}};
            int n = poll(ready, 2, 1); /* the timeout only for the launch's SIGCONT stops */
            if (n < 0 && errno != EINTR)
                die("poll");
            int before = alive, got = 0;
            for (int i = 0; i < 2 && n > 0; i++) {
                if (ready[i].revents & (POLLHUP | POLLERR)) {
                    close(listeners[i]); /* that program is gone */
                    listeners[i] = -1;
                } else if (!got && (ready[i].revents & POLLIN)) {
                    struct seccomp_notif req;
                    memset(&req, 0, sizeof req);
                    if (ioctl(listeners[i], SECCOMP_IOCTL_NOTIF_RECV, &req) == 0) {
                        c = (struct call){.pid = req.pid, .nr = req.data.nr, .buf = req.data.args[1],
                                          .len = req.data.args[2], .listener = listeners[i], .id = req.id};
                        got = 1;
                    } else if (errno != ENOENT && errno != EINTR) {
                        die("SECCOMP_IOCTL_NOTIF_RECV");
                    }
                }
            }
            if (n == 0 || listeners[0] < 0 || listeners[1] < 0)
                reap(&alive, &failed);
            if (waits && alive == 1 && before == 2 && serve(&waiting, 0))
                waits = 0; /* its peer is gone: a receive gets EOF */
            if (!got)
                continue;
        } else {
            int status;
            pid_t pid = waitpid(-1, &status, __WALL);
            if (pid < 0)
                die("waitpid");
            if (WIFEXITED(status) || WIFSIGNALED(status)) {
                failed |= !WIFEXITED(status) || WEXITSTATUS(status) != 0;
                alive--;
                if (waits && alive == 1 && serve(&waiting, 0))
                    waits = 0; /* its peer is gone: a receive gets EOF */
                continue;
            }
            if (status >> 8 != (SIGTRAP | (PTRACE_EVENT_SECCOMP << 8))) {
                int sig = status >> 16 ? 0 : WSTOPSIG(status); /* re-inject a signal, not an event */
                ptrace(PTRACE_CONT, pid, 0, sig);
                continue;
            }
            c.pid = pid;
            if (ptrace(PTRACE_GETREGS, pid, 0, &c.regs) < 0)
                die("PTRACE_GETREGS");
            c.nr = c.regs.orig_rax;
            c.buf = c.regs.rsi;
            c.len = c.regs.rdx;
        }
        stops++;
        if (!serve(&c, alive == 2)) {
            waiting = c;
            waits = 1;
        } else if (waits && serve(&waiting, alive == 2)) {
            waits = 0; /* this call made room (or bytes) for the waiting one */
        }
    }
    double tracer = cpu_s(RUSAGE_SELF), programs = cpu_s(RUSAGE_CHILDREN);
    printf("floor: %.3f s, %ld stops; CPU per stop: tracer %.2f us, programs %.2f us, both %.2f us\n", now_s() - start,
           stops, tracer * 1e6 / stops, programs * 1e6 / stops, (tracer + programs) * 1e6 / stops);
    return failed;
}
