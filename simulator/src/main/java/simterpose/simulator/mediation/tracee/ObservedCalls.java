package simterpose.simulator.mediation.tracee;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import simterpose.simulator.kernel.WakeCause;
import simterpose.simulator.mediation.RunObserver;
import simterpose.simulator.mediation.RunObserver.Wake;
import simterpose.tracer.events.StopEvent;
import simterpose.tracer.syscall.PendingCall;
import simterpose.tracer.syscall.SyscallFormatter;
import simterpose.tracer.memory.TraceeMemory;

/**
 * Tells a run's {@link RunObserver} what its traced threads do, decoded as {@code trace} decodes
 * it: each call's start and end, its wait and what ended it, each process's start and each
 * thread's end. The run makes one only when someone observes (else {@code RunContext.calls()}
 * is null and no call is decoded).
 *
 * <p>A call is decoded at its entry (its in-arguments, before the tracee's memory changes) and
 * told to the observer when it blocks or ends: a call that ends at once is one line, and a call
 * the handler passes to the real kernel unseen (not mediated, not selected) is never told.
 *
 * <p>Threading: the tracer's owner thread only.
 */
public final class ObservedCalls {
    /** A call entered and not yet ended: its decoded entry, its start, its wait if any. */
    private static final class Open {
        final PendingCall call;
        final long start;
        boolean told;
        long blockedSince = -1;
        Wake wake = Wake.READY;

        Open(PendingCall call, long start) {
            this.call = call;
            this.start = start;
        }
    }

    /** Where {@code = } is aligned, counting the {@code -ttt} date strace writes before each line. */
    private static final int DATE_COLUMN = 18;

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

    /** A call's entry stop: its in-arguments decoded now. */
    public void entered(TracedThread t, int nr, long[] args, TraceeMemory mem) {
        open.put(t, new Open(formatter.onEntry(t.tid, nr, args, mem), nanos(t)));
    }

    /** The call blocked in simulated time (a retry that blocks again continues the same wait). */
    public void blocked(TracedThread t) {
        Open o = open.get(t);
        if (o == null || o.blockedSince >= 0) {
            return;
        }
        tell(t, o);
        o.blockedSince = nanos(t);
        observer.blocked(o.blockedSince, t.process.tgid, t.tid, o.call.name());
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
                : childCall(o.call.name()) ? Wake.CHILD_EXITED
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
            observer.unblocked(now, o.blockedSince, t.process.tgid, t.tid, o.call.name(), o.wake);
        }
        String line;
        String resumed;
        try {
            line = formatter.onExit(o.call, result, mem, DATE_COLUMN);
            resumed = formatter.resumedText(o.call, result, mem);
        } catch (RuntimeException e) {
            line = formatter.noReturn(o.call, DATE_COLUMN);
            resumed = ") = ?";
        }
        tell(t, o);
        observer.callEnded(now, t.process.tgid, t.tid, line, resumed);
    }

    /** The call is not shown: the real kernel runs it and nobody selected it. */
    public void dropped(TracedThread t) {
        open.remove(t);
    }

    /** A thread ended; a call it was in stays unfinished, as strace leaves it. */
    public void gone(TracedThread t, StopEvent how) {
        Open o = open.remove(t);
        long now = nanos(t);
        if (o != null && o.blockedSince >= 0) {
            observer.unblocked(now, o.blockedSince, t.process.tgid, t.tid, o.call.name(), Wake.END_OF_RUN);
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
            observer.callStarted(o.start, t.process.tgid, t.tid, o.call.name(), formatter.unfinishedText(o.call));
        }
    }
}
