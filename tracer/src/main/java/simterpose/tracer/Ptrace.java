package simterpose.tracer;

/**
 * ptrace, wait and signal constants of Linux x86_64 (linux/ptrace.h, sys/wait.h, signal.h).
 * Kept here until the jextract bindings provide them.
 */
final class Ptrace {
    private Ptrace() {}

    static final int PEEKTEXT = 1, POKETEXT = 4, CONT = 7, GETREGS = 12, SETREGS = 13, DETACH = 17,
            SYSCALL = 24, GETEVENTMSG = 0x4201, SEIZE = 0x4206, INTERRUPT = 0x4207, LISTEN = 0x4208;

    static final int O_TRACESYSGOOD = 1, O_TRACEFORK = 2, O_TRACEVFORK = 4, O_TRACECLONE = 8,
            O_TRACEEXEC = 0x10, O_TRACESECCOMP = 0x80, O_EXITKILL = 0x100000;
    /** What every tracee gets; launched ones add EXITKILL (attached ones must survive us). */
    static final int FOLLOW_OPTIONS = O_TRACESYSGOOD | O_TRACEFORK | O_TRACEVFORK | O_TRACECLONE
            | O_TRACEEXEC | O_TRACESECCOMP;

    static final int EVENT_FORK = 1, EVENT_VFORK = 2, EVENT_CLONE = 3, EVENT_EXEC = 4,
            EVENT_SECCOMP = 7, EVENT_STOP = 128;

    static final int WNOHANG = 1, WUNTRACED = 2, WNOTHREAD = 0x20000000, WALL = 0x40000000;

    static final int SIGINT = 2, SIGKILL = 9, SIGTRAP = 5, SIGTERM = 15, SIGCONT = 18, SIGSTOP = 19,
            SIGTSTP = 20, SIGTTIN = 21, SIGTTOU = 22, SIGWINCH = 28;
    static final int SYSCALL_STOP = SIGTRAP | 0x80;

    static final int NR_PRCTL = 157, NR_SECCOMP = 317;
    static final int PR_SET_NO_NEW_PRIVS = 38, SECCOMP_SET_MODE_FILTER = 1;

    static boolean exited(int status) { return (status & 0x7f) == 0; }
    static int exitCode(int status) { return (status >> 8) & 0xff; }
    static boolean signaled(int status) { return ((status & 0x7f) + 1) >> 1 > 0 && (status & 0xff) != 0x7f; }
    static int termSignal(int status) { return status & 0x7f; }
    static boolean stopped(int status) { return (status & 0xff) == 0x7f; }
    static int stopSignal(int status) { return (status >> 8) & 0xff; }
    static int event(int status) { return status >>> 16; }

    static boolean isStopSignal(int sig) {
        return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
    }
}
