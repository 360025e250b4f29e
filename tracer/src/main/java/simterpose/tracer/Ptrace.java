package simterpose.tracer;

import simterpose.bindings.linux.Linux;

/**
 * The ptrace, wait and signal constants the engine uses, read once from the jextract bindings
 * ({@link Linux}) into static finals so switch labels and hot paths can use them.
 */
final class Ptrace {
    private Ptrace() {}

    static final int PEEKTEXT = Linux.PTRACE_PEEKTEXT(), POKETEXT = Linux.PTRACE_POKETEXT(),
            CONT = Linux.PTRACE_CONT(), GETREGS = Linux.PTRACE_GETREGS(), SETREGS = Linux.PTRACE_SETREGS(),
            DETACH = Linux.PTRACE_DETACH(), SYSCALL = Linux.PTRACE_SYSCALL(),
            GETEVENTMSG = Linux.PTRACE_GETEVENTMSG(), SEIZE = Linux.PTRACE_SEIZE(),
            INTERRUPT = Linux.PTRACE_INTERRUPT(), LISTEN = Linux.PTRACE_LISTEN(),
            GETSIGINFO = Linux.PTRACE_GETSIGINFO(), POKEUSER = Linux.PTRACE_POKEUSER(),
            PEEKUSER = Linux.PTRACE_PEEKUSER(), GET_SYSCALL_INFO = Linux.PTRACE_GET_SYSCALL_INFO();

    static final int O_EXITKILL = Linux.PTRACE_O_EXITKILL();
    /** What every tracee gets; launched ones add EXITKILL (attached ones must survive us). */
    static final int FOLLOW_OPTIONS = Linux.PTRACE_O_TRACESYSGOOD() | Linux.PTRACE_O_TRACEFORK()
            | Linux.PTRACE_O_TRACEVFORK() | Linux.PTRACE_O_TRACECLONE() | Linux.PTRACE_O_TRACEEXEC()
            | Linux.PTRACE_O_TRACESECCOMP();

    // Event numbers are switch labels, so they must be compile-time constants; the bindings'
    // tests check these against the headers (PTRACE_EVENT_FORK = 1 ... PTRACE_EVENT_STOP = 128).
    static final int EVENT_FORK = 1, EVENT_VFORK = 2, EVENT_CLONE = 3, EVENT_EXEC = 4,
            EVENT_SECCOMP = 7, EVENT_STOP = 128;

    static final int WUNTRACED = Linux.WUNTRACED(), WNOHANG = Linux.WNOHANG(), WNOWAIT = Linux.WNOWAIT(),
            WNOTHREAD = Linux.__WNOTHREAD(), WALL = Linux.__WALL();

    static final int SIGKILL = Linux.SIGKILL(), SIGTRAP = Linux.SIGTRAP(), SIGCONT = Linux.SIGCONT(),
            SIGSTOP = Linux.SIGSTOP(), SIGTSTP = Linux.SIGTSTP(), SIGTTIN = Linux.SIGTTIN(),
            SIGTTOU = Linux.SIGTTOU(), SIGWINCH = Linux.SIGWINCH();
    static final int SYSCALL_STOP = SIGTRAP | 0x80;

    static final int PR_SET_NO_NEW_PRIVS = Linux.PR_SET_NO_NEW_PRIVS(),
            SECCOMP_SET_MODE_FILTER = Linux.SECCOMP_SET_MODE_FILTER();

    static boolean exited(int status) { return (status & 0x7f) == 0; }
    static int exitCode(int status) { return (status >> 8) & 0xff; }
    static int termSignal(int status) { return status & 0x7f; }
    static boolean stopped(int status) { return (status & 0xff) == 0x7f; }
    static int stopSignal(int status) { return (status >> 8) & 0xff; }
    static int event(int status) { return status >>> 16; }

    static boolean isStopSignal(int sig) {
        return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
    }

    static {
        if (Linux.PTRACE_EVENT_FORK() != EVENT_FORK || Linux.PTRACE_EVENT_VFORK() != EVENT_VFORK
                || Linux.PTRACE_EVENT_CLONE() != EVENT_CLONE || Linux.PTRACE_EVENT_EXEC() != EVENT_EXEC
                || Linux.PTRACE_EVENT_SECCOMP() != EVENT_SECCOMP || Linux.PTRACE_EVENT_STOP() != EVENT_STOP) {
            throw new AssertionError("PTRACE_EVENT_* differ from the bindings");
        }
    }
}
