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
 * usage: mediation_floor CPU|-1 PORT -- SERVER ARGS... -- CLIENT ARGS...
 * The client starts once something listens on TCP PORT. Prints "floor: WALL s, STOPS stops" and
 * exits 0 when both programs exited 0. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
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

/* The child stops itself, is seized, installs the filter (sendto and recvfrom stop it) and execs. */
static pid_t launch(char **argv)
{
    pid_t pid = fork();
    if (pid < 0)
        die("fork");
    if (pid == 0) {
        struct sock_filter filter[] = {
            BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
            BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_sendto, 1, 0),
            BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_recvfrom, 0, 1),
            BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE),
            BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        };
        struct sock_fprog program = {sizeof filter / sizeof filter[0], filter};
        raise(SIGSTOP);
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &program) < 0)
            _exit(126);
        execvp(argv[0], argv);
        _exit(127);
    }
    int status;
    if (waitpid(pid, &status, WUNTRACED) < 0)
        die("waitpid");
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

/* Serves a stopped sendto/recvfrom: 1 if answered, 0 if it must wait for the other side. */
static int serve(pid_t pid, struct user_regs_struct *regs, int peer_alive)
{
    long result;
    if (regs->orig_rax == SYS_sendto) {
        size_t n = regs->rdx < CAPACITY - queued ? regs->rdx : CAPACITY - queued;
        if (n == 0 && regs->rdx > 0)
            return 0;
        result = copy(pid, regs->rsi, n, 0);
        if (result > 0)
            queued += result;
    } else {
        size_t n = regs->rdx < queued ? regs->rdx : queued;
        if (n == 0 && regs->rdx > 0 && peer_alive)
            return 0;
        result = n == 0 ? 0 : copy(pid, regs->rsi, n, 1); /* the sender is gone: EOF */
        if (result > 0) {
            head = (head + result) % CAPACITY;
            queued -= result;
        }
    }
    regs->orig_rax = -1; /* skip the real call; rax is its result */
    regs->rax = result < 0 ? -errno : result;
    if (ptrace(PTRACE_SETREGS, pid, 0, regs) < 0 || ptrace(PTRACE_CONT, pid, 0, 0) < 0)
        die("resume");
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 6 || strcmp(argv[3], "--") != 0) {
        fprintf(stderr, "usage: %s CPU|-1 PORT -- SERVER ARGS... -- CLIENT ARGS...\n", argv[0]);
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
    pid_t pids[2] = {launch(server), 0};
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
    pids[1] = launch(client);

    int alive = 2, failed = 0;
    long stops = 0;
    pid_t waiting = 0; /* a tracee stopped in a call that waits for the other side */
    struct user_regs_struct waiting_regs;
    while (alive > 0) {
        int status;
        pid_t pid = waitpid(-1, &status, __WALL);
        if (pid < 0)
            die("waitpid");
        if (WIFEXITED(status) || WIFSIGNALED(status)) {
            failed |= !WIFEXITED(status) || WEXITSTATUS(status) != 0;
            alive--;
            if (waiting && alive == 1 && serve(waiting, &waiting_regs, 0))
                waiting = 0; /* its peer is gone: a receive gets EOF */
            continue;
        }
        if (status >> 8 != (SIGTRAP | (PTRACE_EVENT_SECCOMP << 8))) {
            int sig = status >> 16 ? 0 : WSTOPSIG(status); /* re-inject a signal, not an event */
            ptrace(PTRACE_CONT, pid, 0, sig);
            continue;
        }
        stops++;
        struct user_regs_struct regs;
        if (ptrace(PTRACE_GETREGS, pid, 0, &regs) < 0)
            die("PTRACE_GETREGS");
        if (!serve(pid, &regs, alive == 2)) {
            waiting = pid;
            waiting_regs = regs;
        } else if (waiting && serve(waiting, &waiting_regs, alive == 2)) {
            waiting = 0; /* this call made room (or bytes) for the waiting one */
        }
    }
    printf("floor: %.3f s, %ld stops\n", now_s() - start, stops);
    return failed;
}
