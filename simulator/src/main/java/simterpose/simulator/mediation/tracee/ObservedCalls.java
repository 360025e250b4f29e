package simterpose.simulator.mediation.tracee;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import simterpose.simulator.kernel.WakeCause;
import simterpose.simulator.mediation.RunObserver;
import simterpose.simulator.mediation.RunObserver.Wake;
import simterpose.tracer.SignalInfo;
import simterpose.tracer.events.StopEvent;
import simterpose.tracer.syscall.LaterLine;
import simterpose.tracer.syscall.PendingCall;
import simterpose.tracer.syscall.SyscallFormatter;
import simterpose.tracer.memory.TraceeMemory;

/**
 * Tells a run's {@link RunObserver} what its traced threads do, decoded as {@code trace} decodes
 * it: each call's start and end, its wait and what ended it, each process's start and each
 * thread's end. The run makes one only when someone observes (else {@code RunContext.calls()}
 * is null and no call is decoded).
 *
 * <p>A call is told to the observer when it blocks or ends: a call that ends at once is one
 * line, and a call the handler passes to the real kernel unseen (not mediated, not selected) is
 * never told. Most lines show of the tracee's memory only a buffer's first bytes (reads, writes,
 * sends, receives): for those only raw values are taken at the stops, the registers, the
 * result and those bytes (from what the handler moved to or from a simulated socket when it
 * did, else read from the tracee), and the observer's thread makes the text
 * ({@link LaterLine}), off the owner thread that every tracee waits for. Any other call is
 * decoded at its stops: its in-arguments at entry, before the tracee's memory changes.
 *
 * <p>Threading: the tracer's owner thread only (the texts given to the observer are made on
 * whichever thread asks for them).
 */
public final class ObservedCalls {
    /**
     * A call entered and not yet ended: its entry (decoded at the stop, or values for a line made
     * on the observer's thread), the mediated call whose handler may have moved its buffer's
     * bytes (null for a native call), its start, its wait if any.
     */
    private static final class Open {
        final String name;
        final PendingCall decoded;
        final LaterLine later;
        final Call call;
        final long start;
        boolean told;
        long blockedSince = -1;
        Wake wake = Wake.READY;

        Open(PendingCall decoded, LaterLine later, Call call, long start) {
            this.name = decoded != null ? decoded.name() : later.name();
            this.decoded = decoded;
            this.later = later;
            this.call = call;
            this.start = start;
        }
    }

    /** Where {@code = } is aligned, counting the {@code -ttt} date strace writes before each line. */
    private static final int DATE_COLUMN = 18;

    private static final int EINTR = 4;

    private final RunObserver observer;
    private final SyscallFormatter formatter;
    private final Set<Integer> nativeCalls;
    private final Map<TracedThread, Open> open = new HashMap<>();
    private final Set<Integer> processes = new HashSet<>();

    public ObservedCalls(RunObserver observer, SyscallFormatter formatter) {
        this.observer = observer;
        this.formatter = formatter;
        this.nativeCalls = Set.copyOf(observer.nativeCalls());
    }

    public RunObserver observer() {
        return observer;
    }

    /** True when {@code nr} is logged though it runs natively ({@code -e trace=EXPR}). */
    public boolean logsNative(long nr) {
        return nativeCalls.contains((int) nr);
    }

    private static long nanos(TracedThread t) {
        return Math.round(t.run.sim().now() * 1e9);
    }

    /** A traced thread exists: its process's start is told the first time. */
    public void threadStarted(TracedThread t) {
        if (processes.add(t.process.tgid)) {
            observer.processStarted(nanos(t), t.process.owner.name, t.process.owner.host.name(), t.process.tgid);
        }
    }

    /** How many bytes of a buffer the lines show (strace's -s). */
    public int shownBytes() {
        return formatter.strsize();
    }

    /**
     * A mediated call's entry stop, before its handler runs: its in-arguments decoded now, or
     * only its registers kept when its line can be made later (its in-buffer's bytes are taken
     * at {@link #handled}).
     */
    public void entered(Call call) {
        open(call.thread, call.nr, call.args, call.mem(), call);
    }

    private Open open(TracedThread t, int nr, long[] args, TraceeMemory mem, Call call) {
        LaterLine later = formatter.later(t.tid, nr, args);
        Open o = new Open(later == null ? formatter.onEntry(t.tid, nr, args, mem) : null, later, call, nanos(t));
        open.put(t, o);
        return o;
    }

    /**
     * The handler's first attempt is over, at the entry stop still: the in-buffer's first bytes
     * are taken, from what the handler moved to a socket when it did (no second read of the
     * tracee), else from the tracee's memory.
     */
    public void handled(Call call) {
        Open o = open.get(call.thread);
        if (o != null && o.call == call) {
            takeEntryBytes(o, call.mem());
        }
    }

    private void takeEntryBytes(Open o, TraceeMemory mem) {
        if (o.later != null && !o.later.entryGiven()) {
            int n = o.later.entryBytesShown();
            o.later.entryBuffer(n < 0 ? null : bytes(o.call, o.later.bufferAddress(), n, mem));
        }
    }

    /** The {@code n} bytes at {@code address}: those the call's handler moved there or from there, else read now. */
    private static byte[] bytes(Call call, long address, int n, TraceeMemory mem) {
        if (call != null && call.movedBytes != null && call.movedAddress == address && call.movedBytes.length >= n) {
            return java.util.Arrays.copyOf(call.movedBytes, n);
        }
        return mem.readFully(address, n);
    }

    /** A syscall without a handler: decoded now and true when {@code -e trace=} selected it (logged at its exit). */
    public boolean enteredNative(TracedThread t, StopEvent.SyscallEntry e, TraceeMemory mem) {
        if (!logsNative(e.nr())) {
            return false;
        }
        takeEntryBytes(open(t, (int) e.nr(), e.args(), mem, null), mem);
        return true;
    }

    /** The call blocked in simulated time (a retry that blocks again continues the same wait). */
    public void blocked(TracedThread t) {
        Open o = open.get(t);
        if (o == null || o.blockedSince >= 0) {
            return;
        }
        if (o.call != null) {
            takeEntryBytes(o, o.call.mem()); // (handled took them already unless the handler failed)
        }
        tell(t, o);
        o.blockedSince = nanos(t);
        observer.blocked(o.blockedSince, t.process.tgid, t.tid, o.name);
    }

    /** The wait fired: why, as far as the run can tell (the last firing wins if the call blocks again). */
    public void woken(TracedThread t, boolean signalled, Object cause, boolean signal, boolean ending) {
        Open o = open.get(t);
        if (o == null) {
            return;
        }
        o.wake = ending ? Wake.END_OF_RUN
                : signal ? Wake.SIGNAL
                : !signalled ? Wake.TIMEOUT
                : cause instanceof WakeCause c ? Wake.valueOf(c.name())
                : childCall(o.name) ? Wake.CHILD_EXITED
                : Wake.READY;
    }

    private static boolean childCall(String name) {
        return name.equals("wait4") || name.equals("waitid");
    }

    /** The call ended with {@code result} (rax as the tracee sees it); its out-arguments are in its memory. */
    public void ended(TracedThread t, long result, TraceeMemory mem) {
        Open o = open.remove(t);
        if (o == null) {
            return;
        }
        long now = nanos(t);
        if (o.blockedSince >= 0) {
            // a poll or select whose retry found a signal pending ends with EINTR (or a restart
            // code the kernel turns into one): the signal, not readiness, ended its wait
            Wake why = o.wake == Wake.READY && interruptedBySignal(result) ? Wake.SIGNAL : o.wake;
            observer.unblocked(now, o.blockedSince, t.process.tgid, t.tid, o.name, why);
        } else if (now > o.start) {
            // a native call (a wait4 for a child that sleeps in simulated time) that the real
            // kernel held while the simulation went on: a wait, known only now that it is over
            observer.unblocked(now, o.start, t.process.tgid, t.tid, o.name,
                    childCall(o.name) ? Wake.CHILD_EXITED : Wake.READY);
        }
        takeEntryBytes(o, mem);
        tell(t, o);
        if (o.later != null) {
            int n = o.later.exitBytesShown(result);
            LaterLine.Ended ended = o.later.ended(result, n < 0 ? null : bytes(o.call, o.later.bufferAddress(), n, mem));
            observer.callEnded(now, t.process.tgid, t.tid, () -> ended.line(DATE_COLUMN), ended::resumed);
            return;
        }
        String line;
        String resumed;
        try {
            line = formatter.onExit(o.decoded, result, mem, DATE_COLUMN);
            resumed = formatter.resumedText(o.decoded, result, mem);
        } catch (RuntimeException e) {
            line = formatter.noReturn(o.decoded, DATE_COLUMN);
            resumed = ") = ?";
        }
        String l = line;
        String r = resumed;
        observer.callEnded(now, t.process.tgid, t.tid, () -> l, () -> r);
    }

    /** EINTR, or ERESTARTSYS, ERESTARTNOINTR, ERESTARTNOHAND, ERESTART_RESTARTBLOCK (Linux's restart codes). */
    private static boolean interruptedBySignal(long result) {
        return result == -EINTR || (result <= -512 && result >= -516 && result != -515);
    }

    /** The call is not shown: the real kernel runs it and nobody selected it. */
    public void dropped(TracedThread t) {
        open.remove(t);
    }

    /** A signal's delivery stop: its line with the siginfo the kernel gives (null: only its name), as trace writes it. */
    public void signalDelivered(TracedThread t, int signal, SignalInfo info) {
        String name = SyscallFormatter.signalName(signal);
        observer.signalDelivered(nanos(t), t.process.tgid, t.tid,
                "--- " + name + " " + (info != null ? info.straceText() : "{si_signo=" + name + "}") + " ---");
    }

    /** A thread ended; a call it was in stays unfinished, as strace leaves it. */
    public void gone(TracedThread t, StopEvent how) {
        Open o = open.remove(t);
        long now = nanos(t);
        if (o != null && o.blockedSince >= 0) {
            observer.unblocked(now, o.blockedSince, t.process.tgid, t.tid, o.name, Wake.END_OF_RUN);
        }
        String line = switch (how) {
            case StopEvent.Exited e -> "+++ exited with " + e.status() + " +++";
            case StopEvent.Killed k -> "+++ killed by " + SyscallFormatter.signalName(k.signal()) + " +++";
            case null, default -> "+++ exited +++";
        };
        observer.threadEnded(now, t.process.tgid, t.tid, line);
    }

    private void tell(TracedThread t, Open o) {
        if (!o.told) {
            o.told = true;
            if (o.later != null) {
                LaterLine later = o.later;
                observer.callStarted(o.start, t.process.tgid, t.tid, o.name, later::unfinished);
            } else {
                String unfinished = formatter.unfinishedText(o.decoded);
                observer.callStarted(o.start, t.process.tgid, t.tid, o.name, () -> unfinished);
            }
        }
    }
}
