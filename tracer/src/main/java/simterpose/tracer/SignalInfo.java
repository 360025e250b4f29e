package simterpose.tracer;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import simterpose.bindings.linux.siginfo_t;

/**
 * The siginfo of a signal about to be delivered (PTRACE_GETSIGINFO at a signal-delivery stop),
 * with the union's members that strace shows. Which members mean something depends on
 * {@code code} and {@code signo} (asm-generic/siginfo.h): the sender's pid and uid for
 * {@code SI_USER}, {@code SI_TKILL}, {@code SI_QUEUE} and {@code SIGCHLD}; a child's status and
 * CPU ticks for {@code SIGCHLD}; the faulting address for SIGSEGV, SIGBUS, SIGILL, SIGFPE; a
 * timer's id and overrun for {@code SI_TIMER}; the sigval for {@code SI_QUEUE} and timers.
 */
public record SignalInfo(int signo, int errno, int code, int pid, int uid, int status,
                         long utime, long stime, long addr, int timerId, int overrun, long value) {

    /** sizeof(siginfo_t), the kernel's 128 bytes (RegsTest checks it against the jextract layout). */
    static final long NATIVE_SIZE = 128;

    static SignalInfo of(MemorySegment s) {
        long u = siginfo_t._sifields$offset();
        // The union's members share its first words: kill {pid, uid}, timer {tid, overrun,
        // sigval}, rt {pid, uid, sigval}, sigchld {pid, uid, status, utime, stime}, fault {addr}.
        return new SignalInfo(siginfo_t.si_signo(s), siginfo_t.si_errno(s), siginfo_t.si_code(s),
                s.get(ValueLayout.JAVA_INT, u), s.get(ValueLayout.JAVA_INT, u + 4),
                s.get(ValueLayout.JAVA_INT, u + 8), s.get(ValueLayout.JAVA_LONG, u + 16),
                s.get(ValueLayout.JAVA_LONG, u + 24), s.get(ValueLayout.JAVA_LONG, u),
                s.get(ValueLayout.JAVA_INT, u), s.get(ValueLayout.JAVA_INT, u + 4),
                s.get(ValueLayout.JAVA_LONG, u + 8));
    }

    private static final int SI_USER = 0, SI_KERNEL = 0x80, SI_QUEUE = -1, SI_TIMER = -2, SI_MESGQ = -3,
            SI_ASYNCIO = -4, SI_SIGIO = -5, SI_TKILL = -6;
    private static final String[] CLD = {null, "CLD_EXITED", "CLD_KILLED", "CLD_DUMPED", "CLD_TRAPPED",
        "CLD_STOPPED", "CLD_CONTINUED"};
    private static final String[] SEGV = {null, "SEGV_MAPERR", "SEGV_ACCERR", "SEGV_BNDERR", "SEGV_PKUERR"};
    private static final String[] BUS = {null, "BUS_ADRALN", "BUS_ADRERR", "BUS_OBJERR", "BUS_MCEERR_AR", "BUS_MCEERR_AO"};
    private static final String[] ILL = {null, "ILL_ILLOPC", "ILL_ILLOPN", "ILL_ILLADR", "ILL_ILLTRP", "ILL_PRVOPC",
        "ILL_PRVREG", "ILL_COPROC", "ILL_BADSTK"};
    private static final String[] FPE = {null, "FPE_INTDIV", "FPE_INTOVF", "FPE_FLTDIV", "FPE_FLTOVF", "FPE_FLTUND",
        "FPE_FLTRES", "FPE_FLTINV", "FPE_FLTSUB"};
    private static final String[] TRAP = {null, "TRAP_BRKPT", "TRAP_TRACE", "TRAP_BRANCH", "TRAP_HWBKPT"};

    /**
     * As strace prints it between {@code ---} marks:
     * {@code {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=42, si_uid=0, si_status=0, si_utime=0, si_stime=0}}.
     */
    public String straceText() {
        String name = simterpose.tracer.syscall.SyscallFormatter.signalName(signo);
        StringBuilder sb = new StringBuilder("{si_signo=").append(name);
        if (errno != 0) {
            sb.append(", si_errno=").append(errno);
        }
        sb.append(", si_code=").append(codeName(name));
        switch (code) {
            case SI_USER, SI_TKILL -> sb.append(", si_pid=").append(pid).append(", si_uid=").append(Integer.toUnsignedString(uid));
            case SI_QUEUE, SI_MESGQ -> sb.append(", si_pid=").append(pid).append(", si_uid=").append(Integer.toUnsignedString(uid))
                    .append(", si_int=").append((int) value).append(", si_ptr=").append(pointer(value));
            case SI_TIMER -> sb.append(", si_timerid=").append(Integer.toHexString(timerId)).append(", si_overrun=").append(overrun)
                    .append(", si_int=").append((int) value).append(", si_ptr=").append(pointer(value));
            default -> {
                if (code > 0) {
                    switch (name) {
                        case "SIGCHLD" -> sb.append(", si_pid=").append(pid).append(", si_uid=")
                                .append(Integer.toUnsignedString(uid)).append(", si_status=")
                                .append(code == 1 ? Integer.toString(status)
                                        : simterpose.tracer.syscall.SyscallFormatter.signalName(status))
                                .append(", si_utime=").append(clockTicks(utime)).append(", si_stime=").append(clockTicks(stime));
                        case "SIGSEGV", "SIGBUS", "SIGILL", "SIGFPE" -> sb.append(", si_addr=").append(pointer(addr));
                        default -> { }
                    }
                }
            }
        }
        return sb.append('}').toString();
    }

    /**
     * A clock_t of CPU time as strace prints it: the ticks, and when there are some, the seconds
     * in a comment ({@code 1 /* 0.01 s *}{@code /}). The kernel counts them in USER_HZ, 100 per
     * second on x86_64 whatever its own tick rate (sysconf(_SC_CLK_TCK)), hence two digits.
     */
    static String clockTicks(long ticks) {
        if (ticks == 0) {
            return "0";
        }
        long hundredths = ticks % USER_HZ;
        return ticks + " /* " + ticks / USER_HZ + "." + (hundredths < 10 ? "0" : "") + hundredths + " s */";
    }

    private static final long USER_HZ = 100;

    private String codeName(String signal) {
        String known = switch (code) {
            case SI_USER -> "SI_USER";
            case SI_KERNEL -> "SI_KERNEL";
            case SI_QUEUE -> "SI_QUEUE";
            case SI_TIMER -> "SI_TIMER";
            case SI_MESGQ -> "SI_MESGQ";
            case SI_ASYNCIO -> "SI_ASYNCIO";
            case SI_SIGIO -> "SI_SIGIO";
            case SI_TKILL -> "SI_TKILL";
            default -> code > 0 ? named(switch (signal) {
                case "SIGCHLD" -> CLD;
                case "SIGSEGV" -> SEGV;
                case "SIGBUS" -> BUS;
                case "SIGILL" -> ILL;
                case "SIGFPE" -> FPE;
                case "SIGTRAP" -> TRAP;
                default -> new String[0];
            }) : null;
        };
        return known != null ? known : Integer.toString(code);
    }

    private String named(String[] names) {
        return code < names.length ? names[code] : null;
    }

    private static String pointer(long p) {
        return p == 0 ? "NULL" : "0x" + Long.toHexString(p);
    }
}
