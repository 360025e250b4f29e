package simterpose.simulator.mediation.handlers;

import static simterpose.simulator.mediation.handlers.MediationTable.Family.*;
import static simterpose.simulator.mediation.handlers.MediationTable.Support.*;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import simterpose.tracer.syscall.Syscall;
import simterpose.tracer.syscall.SyscallTable;
import simterpose.simulator.mediation.tracee.Handler;

/**
 * What a simulation does with each syscall, one row each (gVisor's {@code linux64.go} in spirit):
 * the syscall (a row of the tracer's {@link SyscallTable}, which holds the kernel's facts), the
 * handler family, its {@link Support} level, the handler and one line saying what it does and
 * what it leaves out. A syscall without a row is {@link Support#NATIVE}: the tracee is not even
 * stopped for it.
 *
 * <p>Everything that depends on that choice reads this table: the seccomp filter
 * ({@link #stopped()}: exactly the rows), the dispatch of a stop to its handler ({@link #handler}),
 * the {@code --unmediated} diagnostics ({@link Support#UNMEDIATED} rows, {@link #support}), the spin
 * rule ({@link Row#progress()}) and the support table in {@code docs/syscalls.md}
 * ({@link #markdown()}, kept up to date by a test). Adding a syscall is adding its row here, its
 * handler in its family, and its test.
 *
 * <p>Immutable after class initialisation.
 */
public final class MediationTable {
    private MediationTable() {}

    /** How much of a syscall the simulation answers. */
    public enum Support {
        /** Answered by the simulation on simulated objects (sockets, clocks, timers); native on real fds. */
        MEDIATED("mediated"),
        /** Mediated, with a gap the note names (a flag, a clock or a case left to the real kernel). */
        PARTIAL("partial"),
        /** Run by the real kernel; the simulation watches it to keep its own state right (fds, signals). */
        OBSERVED("observed"),
        /**
         * Not mediated, but it may name a simulated socket: on one it is reported once and fails
         * with EOPNOTSUPP (or runs on the placeholder fd with {@code --unmediated=pass}); native elsewhere.
         */
        UNMEDIATED("unmediated"),
        /**
         * Refused by the sandbox, wholly or in the cases the note names, with the errno of a
         * kernel without the feature, so programs take their fallback path.
         */
        REFUSED("refused"),
        /** Run by the real kernel; the tracee is not stopped for it (every syscall without a row). */
        NATIVE("native");

        final String label;

        Support(String label) {
            this.label = label;
        }

        /** How docs/syscalls.md and the diagnostics name it. */
        public String label() {
            return label;
        }
    }

    /** When a row's calls may be answered by seccomp user notification (its handler needs no registers then). */
    public enum Notified {
        NEVER,
        ALWAYS,
        /**
         * Under full mediation only: under {@code --mediation=address} its handler rewrites the
         * call's registers (a native send or receive on the real stream).
         */
        FULL_MEDIATION
    }

    /** The handler families, one class each. */
    public enum Family {
        SOCKET("sockets: set-up, addresses, options", "SocketHandlers"),
        IO("reads and writes on simulated sockets", "IoHandlers"),
        FD("the virtual fd table", "FdHandlers"),
        FILE("files opened by path: the platform's names, random devices", "FileHandlers"),
        NAME("the simulated host's name", "NameHandlers"),
        RANDOM("the run's seeded generator", "RandomHandlers"),
        TIME("clocks, sleeps, CPU time", "TimeHandlers"),
        ALARM("the process's real-time interval timer", "AlarmHandlers"),
        POSIX_TIMER("POSIX timers", "PosixTimerHandlers"),
        TIMERFD("timerfds", "TimerFdHandlers"),
        POLL("poll and select", "PollHandlers"),
        EPOLL("epoll", "EpollHandlers"),
        FUTEX("futex waits with a timeout", "FutexHandlers"),
        SIGNAL("signals sent, handlers returning", "PendingSignals"),
        PROCESS("process ends and the waits for them", "ProcessHandlers"),
        UNMEDIATED_CALLS("calls that must not reach a simulated socket", "UnmediatedHandlers"),
        SANDBOX("the sandbox: every way past the simulated kernel refused", "SandboxHandlers");

        final String what;
        final String handlerClass;

        Family(String what, String handlerClass) {
            this.what = what;
            this.handlerClass = handlerClass;
        }
    }

    /**
     * One mediated syscall.
     *
     * @param syscall  the tracer's row: number, name, decoders
     * @param family   the handler family
     * @param support  how much of it is answered
     * @param handler  what a stop of it does
     * @param note     one line: what the simulation does, and what it leaves to the kernel
     * @param progress whether the call counts as the process doing something, for the spin rule
     *                 ({@link SpinGuard}): false for the readiness calls and clock reads a
     *                 polling loop repeats
     * @param notified when its handler never needs the thread's registers nor its exit stop (it
     *                 answers, or lets the kernel run the call): with {@code -Dsimterpose.notify=true}
     *                 the filter then hands it to the tool by seccomp user notification, without a
     *                 ptrace stop (see the tracer's {@code Notifications}), when no view follows the calls
     */
    public record Row(Syscall syscall, Family family, Support support, Handler handler, String note, boolean progress,
                      Notified notified) {
        public Row {
            if (support == Support.NATIVE) {
                throw new IllegalArgumentException(syscall.name() + ": a native syscall has no row");
            }
        }

        public String name() {
            return syscall.name();
        }

        /** The same row, not counting as progress for the spin rule. */
        Row idle() {
            return new Row(syscall, family, support, handler, note, false, notified);
        }

        /** The same row, answered by seccomp user notification when notification is on. */
        Row byNotification() {
            return new Row(syscall, family, support, handler, note, progress, Notified.ALWAYS);
        }

        /** The same row, answered by seccomp user notification when notification is on, under full mediation. */
        Row byNotificationInFullMediation() {
            return new Row(syscall, family, support, handler, note, progress, Notified.FULL_MEDIATION);
        }
    }

    private static Row row(String name, Family family, Support support, Handler handler, String note) {
        Syscall s = SyscallTable.byName(name).orElseThrow(() -> new IllegalStateException("no syscall named " + name));
        return new Row(s, family, support, handler, note, true, Notified.NEVER);
    }

    private static final String ON_VIRTUAL = "simulated socket when the fd is virtual, else native";
    private static final String OPEN = "native; /etc/hosts, /etc/hostname, /proc/sys/kernel/hostname, /etc/resolv.conf, "
            + "/etc/nsswitch.conf become the platform's files; "
            + "an fd of /dev/urandom or /dev/random is recorded as a seeded random device";
    private static final String CHECKED = "native on real fds; on a virtual fd reported once, then fails (EOPNOTSUPP) or passes";
    private static final String WAIT_CHILD = "native; a blocking wait (not WNOHANG) is held at its exit stop: "
            + "a parent woken by a child's end goes on at its turn, not beside the running tracee";
    private static final String SIGNAL_SENT = "native; observed so that waits in simulated time look for the signal (EINTR)";
    private static final String ACCEPT_REAL = "; on a real socket (AF_UNIX) held at its exit stop until its turn";
    private static final String RECEIVE_REAL = "; a real socket (AF_UNIX): waits in the simulation until the receive "
            + "returns at once (MSG_DONTWAIT: at once), then native";
    private static final String READ = "simulated byte stream or one datagram; " + ON_VIRTUAL
            + "; seeded bytes from a random device; a simulated timerfd's expiration count; "
            + "a real pipe, socket or terminal: waits in the simulation until a read returns at once, then native";

    private static final List<Row> ROWS = List.of(
        row("socket", SOCKET, MEDIATED, SocketHandlers::socket, "AF_INET SOCK_STREAM/SOCK_DGRAM (and AF_INET6 SOCK_STREAM, dual-stack over IPv4) is simulated behind an AF_UNIX placeholder fd; "
                + "AF_UNIX native; every other family (AF_PACKET, AF_NETLINK...) refused: EAFNOSUPPORT, as on a kernel without it (sandbox)"),
        row("bind", SOCKET, MEDIATED, SocketHandlers::bind, "per-host port table; " + ON_VIRTUAL),
        row("listen", SOCKET, MEDIATED, SocketHandlers::listen, "backlog in the simulated kernel; " + ON_VIRTUAL),
        row("accept", SOCKET, MEDIATED, SocketHandlers::accept, "waits for a simulated handshake, then a placeholder fd; " + ON_VIRTUAL + ACCEPT_REAL),
        row("accept4", SOCKET, MEDIATED, SocketHandlers::accept4, "as accept, with SOCK_NONBLOCK/SOCK_CLOEXEC; " + ON_VIRTUAL + ACCEPT_REAL),
        row("connect", SOCKET, MEDIATED, SocketHandlers::connect, "TCP: simulated handshake (2 x latency); UDP: default peer (AF_UNSPEC dissolves it); " + ON_VIRTUAL),
        row("shutdown", SOCKET, MEDIATED, SocketHandlers::shutdown, "half-close in the simulated stream; " + ON_VIRTUAL),
        row("getsockname", SOCKET, MEDIATED, SocketHandlers::getsockname, "simulated address; " + ON_VIRTUAL),
        row("getpeername", SOCKET, MEDIATED, SocketHandlers::getpeername, "simulated address; " + ON_VIRTUAL),
        row("setsockopt", SOCKET, MEDIATED, SocketHandlers::setsockopt, "options kept by the simulated socket; " + ON_VIRTUAL),
        row("getsockopt", SOCKET, MEDIATED, SocketHandlers::getsockopt, "options kept by the simulated socket; " + ON_VIRTUAL),

        row("read", IO, MEDIATED, IoHandlers::read, READ).byNotificationInFullMediation(),
        row("write", IO, MEDIATED, IoHandlers::write, "simulated byte stream or one datagram; " + ON_VIRTUAL).byNotificationInFullMediation(),
        row("readv", IO, MEDIATED, IoHandlers::readv, READ).byNotificationInFullMediation(),
        row("writev", IO, MEDIATED, IoHandlers::writev, "simulated byte stream or one datagram; " + ON_VIRTUAL).byNotificationInFullMediation(),
        row("sendto", IO, MEDIATED, IoHandlers::sendto, "TCP: byte stream (address ignored); UDP: one datagram to the address; " + ON_VIRTUAL).byNotificationInFullMediation(),
        row("recvfrom", IO, MEDIATED, IoHandlers::recvfrom, "TCP: byte stream (no source address); UDP: one datagram, its source, MSG_TRUNC; " + ON_VIRTUAL + RECEIVE_REAL).byNotificationInFullMediation(),
        row("sendmsg", IO, PARTIAL, IoHandlers::sendmsg, "byte stream or one datagram to msg_name (no control data); " + ON_VIRTUAL).byNotificationInFullMediation(),
        row("recvmsg", IO, PARTIAL, IoHandlers::recvmsg, "byte stream or one datagram, its source and msg_flags (no control data); " + ON_VIRTUAL + RECEIVE_REAL).byNotificationInFullMediation(),
        row("sendmmsg", IO, PARTIAL, IoHandlers::sendmmsg, "UDP: one datagram per message; on a virtual TCP socket reported as unmediated; " + ON_VIRTUAL),
        row("recvmmsg", IO, PARTIAL, IoHandlers::recvmmsg, "UDP: one datagram per message; its timeout checked after each datagram, as Linux does; on a virtual TCP socket reported as unmediated; " + ON_VIRTUAL),
        row("sendfile", IO, PARTIAL, IoHandlers::sendfile, "from a regular file to a virtual socket: the simulated send; " + ON_VIRTUAL),

        row("ioctl", FD, PARTIAL, FdHandlers::ioctl, "FIONREAD/SIOCOUTQ/SIOCOUTQNSD/FIONBIO on a virtual socket, else native"),
        row("fcntl", FD, MEDIATED, FdHandlers::fcntl, "F_GETFL/F_SETFL simulated on a virtual socket; F_DUPFD*/F_SETFD native and mirrored"),
        row("close", FD, OBSERVED, FdHandlers::close, "native on the placeholder; mirrored in the virtual fd table"),
        row("dup", FD, OBSERVED, FdHandlers::dup, "native on the placeholder; the new fd mirrored at exit"),
        row("dup2", FD, OBSERVED, FdHandlers::dup2, "native; a virtual old fd is copied, a virtual new fd closed, at exit"),
        row("dup3", FD, OBSERVED, FdHandlers::dup2, "native; as dup2 with O_CLOEXEC"),

        row("open", FILE, OBSERVED, FileHandlers::open, OPEN),
        row("openat", FILE, OBSERVED, FileHandlers::openat, OPEN),
        row("openat2", FILE, OBSERVED, FileHandlers::openat2, OPEN),
        row("uname", NAME, MEDIATED, NameHandlers::uname, "native; nodename is the simulated host's name (so is gethostname)"),
        row("getrandom", RANDOM, MEDIATED, RandomHandlers::getrandom, "bytes from the run's seeded generator, so runs repeat").byNotification(),

        row("clock_gettime", TIME, MEDIATED, TimeHandlers::clockGettime, "simulated clock: realtime epoch + now, monotonic/boottime host uptime at date 0 + now; CPU clocks give accounted CPU time").idle().byNotification(),
        row("gettimeofday", TIME, MEDIATED, TimeHandlers::gettimeofday, "simulated clock (epoch + now)").idle().byNotification(),
        row("time", TIME, MEDIATED, TimeHandlers::time, "simulated clock (epoch + now)").idle().byNotification(),
        row("nanosleep", TIME, MEDIATED, TimeHandlers::nanosleep, "sleeps in simulated time; EINTR (rem written) on signals").byNotification(),
        row("clock_nanosleep", TIME, MEDIATED, TimeHandlers::clockNanosleep, "sleeps in simulated time (relative or TIMER_ABSTIME)").byNotification(),
        row("getrusage", TIME, MEDIATED, TimeHandlers::getrusage, "native, then its CPU times become the accounted CPU time (none for RUSAGE_CHILDREN)"),
        row("times", TIME, MEDIATED, TimeHandlers::times, "accounted CPU time in ticks; returns simulated ticks since boot"),

        row("alarm", ALARM, MEDIATED, AlarmHandlers::alarm, "the process's real-time timer in simulated time: SIGALRM at the simulated date"),
        row("setitimer", ALARM, PARTIAL, AlarmHandlers::setitimer, "ITIMER_REAL in simulated time (shared with alarm); ITIMER_VIRTUAL/PROF native"),
        row("getitimer", ALARM, PARTIAL, AlarmHandlers::getitimer, "ITIMER_REAL in simulated time; others native"),

        row("timer_create", POSIX_TIMER, PARTIAL, PosixTimerHandlers::create, "timers on the wall-clock and monotonic clocks run in simulated time (SI_TIMER signal at expiry); CPU-time clocks native"),
        row("timer_settime", POSIX_TIMER, MEDIATED, PosixTimerHandlers::settime, "simulated timers: relative or TIMER_ABSTIME, with an interval"),
        row("timer_gettime", POSIX_TIMER, MEDIATED, PosixTimerHandlers::gettime, "simulated timers: time left in simulated time"),
        row("timer_getoverrun", POSIX_TIMER, MEDIATED, PosixTimerHandlers::getoverrun, "simulated timers: 0 (every expiry is delivered)"),
        row("timer_delete", POSIX_TIMER, MEDIATED, PosixTimerHandlers::delete, "simulated timers: disarmed and forgotten"),

        row("timerfd_create", TIMERFD, PARTIAL, TimerFdHandlers::create, "native (a real timerfd, never armed, holds the fd); on CLOCK_MONOTONIC, CLOCK_BOOTTIME and CLOCK_REALTIME the fd becomes a simulated timer (its read, readv, poll, select and epoll in simulated time); _ALARM clocks native"),
        row("timerfd_settime", TIMERFD, MEDIATED, TimerFdHandlers::settime, "simulated timerfds: relative or TFD_TIMER_ABSTIME, with an interval; old_value; 0 disarms; real timerfds native"),
        row("timerfd_gettime", TIMERFD, MEDIATED, TimerFdHandlers::gettime, "simulated timerfds: time left and interval in simulated time; real timerfds native"),

        row("poll", POLL, MEDIATED, PollHandlers::poll, "simulated wait over virtual and real fds (real readiness polled on a pidfd_getfd duplicate); real fds only and no timeout: native, held at its exit until its turn; EINTR on signals; a pure spin waits for a change").idle().byNotification(),
        row("ppoll", POLL, MEDIATED, PollHandlers::ppoll, "as poll, with a timespec timeout").idle(),
        row("select", POLL, MEDIATED, PollHandlers::select, "as poll, over fd_set bitmaps").idle().byNotification(),
        row("pselect6", POLL, MEDIATED, PollHandlers::pselect6, "as select, with a timespec timeout").idle(),

        row("epoll_create", EPOLL, OBSERVED, EpollHandlers::create, "native; forgets a stale simulated instance under the new number"),
        row("epoll_create1", EPOLL, OBSERVED, EpollHandlers::create, "as epoll_create"),
        row("epoll_ctl", EPOLL, MEDIATED, EpollHandlers::ctl, "a virtual fd joins the instance's simulated interest list (LT, ET, ONESHOT, RDHUP, EXCLUSIVE); real fds native (noted)"),
        row("epoll_wait", EPOLL, MEDIATED, EpollHandlers::epollWait, "simulated when the instance watches a virtual fd (its real fds' events from the real instance) or has a timeout; real fds only and no timeout: native, held at its exit until its turn; EINTR on signals").idle().byNotification(),
        row("epoll_pwait", EPOLL, MEDIATED, EpollHandlers::epollWait, "as epoll_wait").idle(),
        row("epoll_pwait2", EPOLL, MEDIATED, EpollHandlers::pwait2, "as epoll_wait, with a timespec timeout").idle(),

        row("futex", FUTEX, PARTIAL, FutexHandlers::futex, "WAIT/WAIT_BITSET with a timeout wait in simulated time (simulated waiters keyed by process and address, or shared mapping and offset); "
                + "WAKE/WAKE_BITSET/REQUEUE/CMP_REQUEUE/WAKE_OP wake those first, then native waiters natively; waits without a timeout and PI ops native"),

        row("kill", SIGNAL, OBSERVED, PendingSignals::signalSent, SIGNAL_SENT),
        row("tkill", SIGNAL, OBSERVED, PendingSignals::signalSent, SIGNAL_SENT),
        row("tgkill", SIGNAL, OBSERVED, PendingSignals::signalSent, SIGNAL_SENT),
        row("rt_sigqueueinfo", SIGNAL, OBSERVED, PendingSignals::signalSent, SIGNAL_SENT),
        row("rt_tgsigqueueinfo", SIGNAL, OBSERVED, PendingSignals::signalSent, SIGNAL_SENT),
        row("pidfd_send_signal", SIGNAL, OBSERVED, PendingSignals::signalSent, SIGNAL_SENT),
        row("rt_sigreturn", SIGNAL, OBSERVED, PendingSignals::sigreturn, "native; read to tell a socket call the kernel restarts after a SA_RESTART handler (counted once) from one the handler's return ends with EINTR"),

        row("exit", PROCESS, OBSERVED, ProcessHandlers::threadExit, "native; stopped so that the CPU the thread burnt since its last stop becomes an execution on its host before it ends (--cpu-model=measured)"),
        row("exit_group", PROCESS, OBSERVED, ProcessHandlers::exitGroup, "native; sibling threads blocked in the simulation are let go"),
        row("wait4", PROCESS, OBSERVED, ProcessHandlers::wait4, WAIT_CHILD).idle(),
        row("waitid", PROCESS, OBSERVED, ProcessHandlers::waitid, WAIT_CHILD).idle(),

        row("splice", UNMEDIATED_CALLS, UNMEDIATED, UnmediatedHandlers.fds(0, 2), CHECKED),
        row("tee", UNMEDIATED_CALLS, UNMEDIATED, UnmediatedHandlers.fds(0, 1), CHECKED),
        row("copy_file_range", UNMEDIATED_CALLS, UNMEDIATED, UnmediatedHandlers.fds(0, 2), CHECKED),
        row("mmap", UNMEDIATED_CALLS, UNMEDIATED, UnmediatedHandlers::mmap, CHECKED),
        row("pread64", UNMEDIATED_CALLS, UNMEDIATED, UnmediatedHandlers::pread, CHECKED + "; seeded bytes from a random device"),
        row("pwrite64", UNMEDIATED_CALLS, UNMEDIATED, UnmediatedHandlers.fds(0), CHECKED),
        row("preadv", UNMEDIATED_CALLS, UNMEDIATED, UnmediatedHandlers::preadv, CHECKED + "; seeded bytes from a random device"),
        row("pwritev", UNMEDIATED_CALLS, UNMEDIATED, UnmediatedHandlers.fds(0), CHECKED),
        row("preadv2", UNMEDIATED_CALLS, UNMEDIATED, UnmediatedHandlers::preadv, CHECKED + "; seeded bytes from a random device"),
        row("pwritev2", UNMEDIATED_CALLS, UNMEDIATED, UnmediatedHandlers.fds(0), CHECKED),

        // Not rows: every i386 (int 0x80, sysenter) and x32 syscall fails with ENOSYS in the seccomp filter itself.
        row("io_uring_setup", SANDBOX, REFUSED, SandboxHandlers::noIoUring, "ENOSYS, as on a kernel without io_uring: its ring would run socket, connect and send unseen; programs fall back"),
        row("io_uring_enter", SANDBOX, REFUSED, SandboxHandlers::noIoUring, "ENOSYS (no ring can exist)"),
        row("io_uring_register", SANDBOX, REFUSED, SandboxHandlers::noIoUring, "ENOSYS (no ring can exist)"),
        row("seccomp", SANDBOX, REFUSED, SandboxHandlers::seccomp, "SET_MODE_FILTER with FLAG_NEW_LISTENER: EINVAL, as before Linux 5.0 (a USER_NOTIF supervisor would run calls past our RET_TRACE); "
                + "GET_ACTION_AVAIL of RET_USER_NOTIF: EOPNOTSUPP; other filters native (they rank below our TRACE or only stop calls)"),
        row("clone", SANDBOX, OBSERVED, SandboxHandlers::clone, "native with CLONE_UNTRACED cleared, so every child is followed and ends with the run"),
        row("clone3", SANDBOX, OBSERVED, SandboxHandlers::clone3, "native with CLONE_UNTRACED cleared in struct clone_args, so every child is followed"),
        row("fork", SANDBOX, OBSERVED, SandboxHandlers::newProcess, "native; stopped so that every process is created in the run's turn order, as clone: its pid repeats from run to run"),
        row("vfork", SANDBOX, OBSERVED, SandboxHandlers::newProcess, "native; stopped so that every process is created in the run's turn order, as clone: its pid repeats from run to run"),
        row("ptrace", SANDBOX, REFUSED, SandboxHandlers::noPtrace, "EPERM, as under Yama ptrace_scope 3: a program could attach to a process outside the run and make it do what is refused"),
        row("process_vm_readv", SANDBOX, REFUSED, SandboxHandlers::otherProcessMemory, "native between the run's own processes; on any other pid EPERM (sandbox)"),
        row("process_vm_writev", SANDBOX, REFUSED, SandboxHandlers::otherProcessMemory, "native between the run's own processes; on any other pid EPERM (sandbox)"),
        row("pidfd_getfd", SANDBOX, REFUSED, SandboxHandlers::pidfdGetfd, "native on a pidfd of the run's own processes; on any other EPERM: it could copy a real socket in (sandbox)"));

    /** Rows by syscall number; the dispatch's handler wraps the row's with the spin rule's count. */
    private static final Row[] BY_NUMBER = new Row[SyscallTable.maxNumber() + 1];
    private static final Handler[] DISPATCH = new Handler[SyscallTable.maxNumber() + 1];

    static {
        for (Row r : ROWS) {
            int nr = r.syscall().number();
            if (BY_NUMBER[nr] != null) {
                throw new IllegalStateException("two rows for " + r.name());
            }
            BY_NUMBER[nr] = r;
            DISPATCH[nr] = r.progress() ? SpinGuard.countingProgress(r.handler()) : r.handler();
        }
    }

    /** The row of syscall {@code nr}, or empty when it runs natively. */
    public static Optional<Row> row(long nr) {
        return nr >= 0 && nr < BY_NUMBER.length ? Optional.ofNullable(BY_NUMBER[(int) nr]) : Optional.empty();
    }

    /** The support level of syscall {@code nr}: its row's, else NATIVE. */
    public static Support support(long nr) {
        return row(nr).map(Row::support).orElse(Support.NATIVE);
    }

    /** What a stop of syscall {@code nr} runs, or null when it has no row. */
    public static Handler handler(long nr) {
        return nr >= 0 && nr < DISPATCH.length ? DISPATCH[(int) nr] : null;
    }

    /** Every row, in table order. */
    public static Collection<Row> rows() {
        return ROWS;
    }

    /** The seccomp filter: the syscalls that stop a tracee, exactly the rows. */
    public static Set<Integer> stopped() {
        return ROWS.stream().map(r -> r.syscall().number()).collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * The rows answered by seccomp user notification instead of a ptrace stop, when notification
     * is on: their handlers need neither registers nor an exit stop.
     */
    public static Set<Integer> notified(boolean addressMode) {
        return ROWS.stream().filter(r -> r.notified() == Notified.ALWAYS || r.notified() == Notified.FULL_MEDIATION && !addressMode)
                .map(r -> r.syscall().number()).collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * What a run's filter hands over by notification: nothing unless {@code -Dsimterpose.notify=true}
     * (read at each run's start), nor when a view follows the calls ({@code observed}: a view may
     * want a call's exit stop), nor under {@code --mediation=address}, whose sends and receives stay
     * ptrace stops: with a listener each ptrace stop pays the stop watcher's hand-off, so the
     * tracer keeps its plain waitpid loop there. Else {@link #notified(boolean) notified(false)}.
     */
    public static Set<Integer> notifiedIn(simterpose.simulator.mediation.RunOptions.Mediation mediation, boolean observed) {
        if (!Boolean.getBoolean("simterpose.notify") || observed
                || mediation == simterpose.simulator.mediation.RunOptions.Mediation.ADDRESS) {
            return Set.of();
        }
        return notified(false);
    }

    /** The seccomp filter when native calls are logged too ({@code run --strace -e trace=}): the rows and {@code logged}. */
    public static Set<Integer> stoppedAlso(Set<Integer> logged) {
        Set<Integer> all = stopped();
        all.addAll(logged);
        return all;
    }

    /** {@code docs/syscalls.md}: the table for users, generated from the rows. */
    public static String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("# Syscall support\n\n");
        b.append("Generated from `simulator/src/main/java/simterpose/simulator/mediation/handlers/MediationTable.java` "
                + "by `MediationTableTest` (re-run it with `-Dsimterpose.updateDocs=true` after changing a row); "
                + "do not edit by hand.\n\n");
        b.append("Support levels:\n\n");
        for (Support s : Support.values()) {
            b.append("- **").append(s.label).append("**: ").append(doc(s)).append('\n');
        }
        Map<Family, List<Row>> byFamily = new LinkedHashMap<>();
        for (Family f : Family.values()) {
            byFamily.put(f, ROWS.stream().filter(r -> r.family() == f).toList());
        }
        for (var e : byFamily.entrySet()) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            b.append("\n## ").append(e.getKey().what).append(" (`").append(e.getKey().handlerClass).append("`)\n\n");
            b.append("| nr | syscall | support | what the simulation does |\n|---:|---|---|---|\n");
            for (Row r : e.getValue().stream().sorted(java.util.Comparator.comparingInt(r -> r.syscall().number())).toList()) {
                b.append("| ").append(r.syscall().number()).append(" | `").append(r.name()).append("` | ")
                        .append(r.support().label).append(" | ").append(r.note().replace("|", "\\|")).append(" |\n");
            }
        }
        List<String> nativeNames = SyscallTable.all().stream().filter(s -> BY_NUMBER[s.number()] == null)
                .map(Syscall::name).toList();
        b.append("\n## Native\n\n").append(nativeNames.size())
                .append(" syscalls run on the real kernel; the tracee is not stopped for them:\n\n");
        b.append(nativeNames.stream().map(n -> "`" + n + "`").collect(Collectors.joining(", "))).append(".\n");
        return b.toString();
    }

    private static String doc(Support s) {
        return switch (s) {
            case MEDIATED -> "answered by the simulation on simulated objects (sockets, clocks, timers); native on real fds";
            case PARTIAL -> "mediated, with a gap the note names";
            case OBSERVED -> "run by the real kernel; the simulation watches it to keep its own state right";
            case REFUSED -> "refused by the sandbox (wholly or in the cases the note names) with the errno of a kernel without the feature";
            case UNMEDIATED -> "not mediated; on a simulated socket it is reported once and fails with EOPNOTSUPP "
                    + "(`--unmediated=pass`: runs on the placeholder fd); native elsewhere";
            case NATIVE -> "run by the real kernel; the tracee is not stopped for it";
        };
    }
}
