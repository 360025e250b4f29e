package simterpose.simulator.mediation;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import simterpose.bindings.ErrnoException;
import simterpose.bindings.LibC;
import simterpose.simulator.engine.Actor;
import simterpose.simulator.engine.Signal;
import simterpose.tracer.Resume;
import simterpose.tracer.Stop;
import simterpose.tracer.events.StopEvent;
import simterpose.tracer.syscall.PendingCall;

/**
 * One traced thread and the engine {@link Actor} that speaks for it.
 *
 * <p><b>How a stop flows.</b> The tracer's owner thread puts each {@link Stop} it cannot answer
 * at once in {@link #queue} ({@link Run#onStop}); the tracee stays stopped. This thread's actor
 * body ({@link #loop}) takes it, decides — possibly blocking in simulated time on a
 * {@link Signal}, which lets the engine run other actors and move the clock — and posts the
 * verdict ({@link Run.Pending#decide}); the tracee then runs natively until its next stop while
 * the actor waits on the queue, holding the engine (its stops meanwhile are answered by the
 * owner thread itself when no waiting is needed: {@link #inline}). So exactly one tracee runs at a time, in the engine's fixed order:
 * the run is deterministic whatever the wall-clock timing.
 *
 * <p>Threading: everything but {@link #queue} belongs to the simulation's single logical thread
 * (this actor, or the engine thread while the actor is blocked).
 */
final class TracedThread {
    final Run run;
    final int tid;
    ProcessState process;
    final BlockingQueue<Run.Pending> queue;
    /** Fires to cut a sleep short (kill, process exit). */
    final Signal alarm = new Signal();
    Actor actor;
    /** Simulated CPU seconds accounted to this thread. */
    double cpuSeconds;
    private FileChannel schedstat;
    private final ByteBuffer schedBuffer = ByteBuffer.allocate(128);
    private long lastCpuNanos = -1;
    private HandlerResult.ExitHook exitHook;
    /** The signal the actor waits on now, to cut the wait short; null when not waiting. */
    private Signal waitingOn;
    /** The call the thread is blocked in, and since when (for the deadlock report). */
    Call blockedIn;
    double blockedSince;
    /** The process is ending: stop mediating, let the kernel finish it. */
    boolean dying;

    TracedThread(Run run, int tid, ProcessState process) {
        this.run = run;
        this.tid = tid;
        this.process = process;
        this.queue = run.queueOf(tid);
        process.threads.add(this);
        process.owner.liveThreads++;
        run.registerLive(this);
    }

    /** The actor body: one stop after another until the thread is gone. */
    void loop(Actor self) throws InterruptedException {
        actor = self;
        while (true) {
            Run.Pending p = awaitStop(); // the tracee runs natively meanwhile; the engine waits
            awaiting = false;
            if (p == null) { // vanished without an exit report (e.g. a non-leader exec took its place)
                vanished();
                return;
            }
            StopEvent event = p.stop().event();
            if (event instanceof StopEvent.Exited || event instanceof StopEvent.Killed) {
                gone(event);
                p.decide(Resume.CONTINUE);
                return;
            }
            Resume r;
            try {
                r = switch (event) {
                    case StopEvent.SyscallEntry e -> entry(p.stop(), e);
                    case StopEvent.SyscallExit x -> exit(p.stop(), x);
                    case StopEvent.Exec _ -> exec(p.stop());
                    case StopEvent.NewChild n -> newChild(n);
                    default -> Resume.CONTINUE;
                };
            } catch (RuntimeException e) {
                p.decide(Resume.CONTINUE);
                throw e;
            }
            awaiting = true; // from here until the next stop is taken, this actor touches nothing
            p.decide(r);
        }
    }

    /**
     * The next stop of this thread. While the tracee runs natively the engine waits (one
     * tracee at a time). If the tracee blocks natively instead (state S: a pthread_join, a
     * pipe, a waitpid — something only another tracee can end), the actor parks on
     * {@link #arrival} so others can run; {@link Run#wakeParked} wakes it, in a fixed order,
     * when its stop is there. While it waits (not parked), {@link #awaiting} lets the tracer's
     * owner thread answer non-blocking stops itself ({@link #inline}).
     */
    private Run.Pending awaitStop() throws InterruptedException {
        awaiting = true;
        long goneSince = 0;
        while (true) {
            Run.Pending p = queue.poll(2, java.util.concurrent.TimeUnit.MILLISECONDS);
            if (p != null) {
                return p;
            }
            awaiting = false; // before looking: an inline answer under way keeps the tracee stopped ('t')
            char st = state();
            if (st == 'X' && queue.isEmpty()) {
                goneSince = goneSince == 0 ? System.nanoTime() : goneSince;
                if (System.nanoTime() - goneSince > 2_000_000_000L) {
                    return null; // no exit report will come
                }
            } else {
                goneSince = 0;
            }
            if (st == 'S' && queue.isEmpty()) {
                run.park(this);
                waitingOn = arrival;
                try {
                    actor.waitFor(arrival, -1);
                } finally {
                    waitingOn = null;
                    run.unpark(this);
                }
            }
            awaiting = true;
        }
    }

    /**
     * True while this thread's actor is the engine's running actor and only waits for its
     * tracee's next stop: then the simulation is quiescent and the owner thread may answer a
     * stop here, exactly as the actor would, saving the hand-offs to and from virtual threads.
     */
    volatile boolean awaiting;
    /** A stop answered inline up to a Block: the actor takes over with this call and result. */
    private Stop stashedStop;
    private Call stashedCall;
    private HandlerResult stashedResult;
    /** MEASURED CPU time not yet turned into an execution. */
    private long cpuDebtNanos;
    private static final long INLINE_CPU_DEBT_NANOS = 20_000;

    /**
     * On the tracer's owner thread, while {@link #awaiting}: answers the stop if no simulated
     * waiting is needed; null hands it to the actor (with the first answer stashed, so side
     * effects happen once).
     */
    Resume inline(Stop stop) {
        if (dying || process.owner.killedAtKillTime || process.owner.killedByDeadlock) {
            return null;
        }
        switch (stop.event()) {
            case StopEvent.SyscallExit x -> {
                return exit(stop, x);
            }
            case StopEvent.SyscallEntry e -> {
                if (run.options.cpuMode() == RunOptions.CpuMode.MEASURED) {
                    addCpuDebt();
                    if (cpuDebtNanos > INLINE_CPU_DEBT_NANOS) {
                        return null;
                    }
                }
                Handler h = Handlers.of(e.nr());
                if (h == null) {
                    return Resume.NO_EXIT_STOP;
                }
                Call call = new Call(this, stop, (int) e.nr(), e.args());
                HandlerResult r = h.handle(call);
                count(r);
                if (r instanceof HandlerResult.Block || r instanceof HandlerResult.BlockAny) {
                    stashedStop = stop;
                    stashedCall = call;
                    stashedResult = r;
                    return null;
                }
                return finish(stop, call, r);
            }
            default -> {
                return null;
            }
        }
    }

    private void count(HandlerResult r) {
        if (!(r instanceof HandlerResult.Native)) {
            process.owner.syscalls.incrementAndGet();
            run.mediated.incrementAndGet();
        }
    }

    /** The verdict for a result that needs no waiting. */
    private Resume finish(Stop stop, Call call, HandlerResult r) {
        switch (r) {
            case HandlerResult.Done d -> {
                stop.emulate(d.value());
                return Resume.NO_EXIT_STOP;
            }
            case HandlerResult.Errno x -> {
                stop.emulate(-x.errno());
                return Resume.NO_EXIT_STOP;
            }
            case HandlerResult.NativeThen n -> {
                exitHook = n.hook();
                return Resume.CONTINUE;
            }
            default -> {
                return Resume.NO_EXIT_STOP;
            }
        }
    }

    /** Fires when a parked thread's stop has arrived. */
    final Signal arrival = new Signal();

    /** The tracee's scheduler state letter from /proc (R, S, D, t, Z...), 'X' if gone. */
    char state() {
        try {
            String stat = Files.readString(Path.of("/proc", Integer.toString(process.tgid), "task", Integer.toString(tid), "stat"));
            int close = stat.lastIndexOf(')');
            return close > 0 && close + 2 < stat.length() ? stat.charAt(close + 2) : 'X';
        } catch (IOException e) {
            return 'X';
        }
    }

    private Resume entry(Stop stop, StopEvent.SyscallEntry e) {
        if (dying || process.owner.killedAtKillTime || process.owner.killedByDeadlock) {
            return Resume.NO_EXIT_STOP;
        }
        Handler h = Handlers.of(e.nr());
        if (h == null) {
            return Resume.NO_EXIT_STOP;
        }
        Call call;
        HandlerResult r;
        if (stashedStop == stop) { // the owner answered it up to a Block
            call = stashedCall;
            r = stashedResult;
            stashedStop = null;
            stashedCall = null;
            stashedResult = null;
        } else {
            accountCpu();
            call = new Call(this, stop, (int) e.nr(), e.args());
            r = h.handle(call);
            count(r);
        }
        while (r instanceof HandlerResult.Block || r instanceof HandlerResult.BlockAny) {
            if (r instanceof HandlerResult.BlockAny any) {
                blockAny(call, any);
                if (dying || process.owner.killedAtKillTime || process.owner.killedByDeadlock) {
                    return Resume.NO_EXIT_STOP;
                }
                r = h.handle(call);
                continue;
            }
            HandlerResult.Block b = (HandlerResult.Block) r;
            boolean signalled = block(call, b);
            if (dying || process.owner.killedAtKillTime || process.owner.killedByDeadlock) {
                return Resume.NO_EXIT_STOP;
            }
            if (!signalled && b.timeoutErrno() != 0) {
                stop.emulate(call.progress > 0 ? call.progress : -b.timeoutErrno());
                return Resume.NO_EXIT_STOP;
            }
            r = h.handle(call); // signalled (or a sleep's timer): call the handler again
        }
        return finish(stop, call, r);
    }

    private boolean block(Call call, HandlerResult.Block b) {
        blockedIn = call;
        blockedSince = run.sim.now();
        waitingOn = b.on();
        try {
            return actor.waitFor(b.on(), b.timeout());
        } finally {
            waitingOn = null;
            blockedIn = null;
        }
    }

    private void blockAny(Call call, HandlerResult.BlockAny b) {
        blockedIn = call;
        blockedSince = run.sim.now();
        waitingOn = alarm; // interrupt() fires it
        java.util.List<Signal> on = new java.util.ArrayList<>(b.on());
        on.add(alarm);
        try {
            actor.waitForAny(on, b.timeout());
        } finally {
            waitingOn = null;
            blockedIn = null;
        }
    }

    /** Cuts a simulated wait short (the thread is dying or killed); engine logical thread only. */
    void interrupt() {
        dying = true;
        Signal s = waitingOn;
        if (s != null) {
            s.signalAll(); // spurious wake-ups are allowed: other waiters just retry
        }
    }

    private Resume exit(Stop stop, StopEvent.SyscallExit x) {
        HandlerResult.ExitHook hook = exitHook;
        exitHook = null;
        if (hook != null && !x.restarting()) {
            long result = hook.atExit(x.result());
            if (result != x.result()) {
                stop.setRegs(stop.regs().withRax(result));
            }
        }
        return Resume.CONTINUE;
    }

    private Resume exec(Stop stop) {
        RandomHandlers.atExec(this, stop);
        if (process.virtual.fds().fds().isEmpty()) {
            return Resume.CONTINUE;
        }
        process.virtual.fds().exec(); // the real kernel closes the CLOEXEC placeholders itself
        return Resume.CONTINUE;
    }

    private Resume newChild(StopEvent.NewChild n) {
        int child = n.childTid();
        ProcessState target = process;
        if (n.kind() != StopEvent.NewChild.Kind.CLONE || tgidOf(child) != process.tgid) {
            target = new ProcessState(child, run.kernel.fork(process.virtual, child, false), process.owner);
            var parentEpolls = run.epolls.get(process.virtual);
            if (parentEpolls != null) {
                run.epolls.put(target.virtual, parentEpolls); // the instances are shared across fork
            }
        }
        run.spawnThread(child, target);
        return Resume.CONTINUE;
    }

    private void gone(StopEvent event) {
        if (event instanceof StopEvent.Killed k && process.threads.size() > 1) {
            process.dying(this); // a fatal signal ends the whole thread group
        }
        if (tid == process.owner.pid) {
            switch (event) {
                case StopEvent.Exited e -> {
                    process.owner.outcome = RunReport.Outcome.EXITED;
                    process.owner.exitCode = e.status();
                }
                case StopEvent.Killed k -> {
                    process.owner.outcome = RunReport.Outcome.KILLED_BY_SIGNAL;
                    process.owner.signal = simterpose.tracer.syscall.SyscallFormatter.signalName(k.signal());
                }
                default -> { }
            }
        }
        process.threadGone(this);
        closeSchedstat();
        run.threadGone(this);
    }

    /** The thread disappeared without an exit report: end it as if it exited. */
    private void vanished() {
        process.threadGone(this);
        closeSchedstat();
        run.threadGone(this);
    }

    /** CpuMode.MEASURED: the CPU time burnt since the previous stop becomes an execution on the host. */
    private void accountCpu() {
        if (run.options.cpuMode() != RunOptions.CpuMode.MEASURED) {
            return;
        }
        addCpuDebt();
        long debt = cpuDebtNanos;
        cpuDebtNanos = 0;
        if (debt > 0) {
            double flops = debt / 1e9 * run.localSpeed;
            cpuSeconds += flops / process.owner.host.speed();
            actor.waitFor(run.sim.startExecution(process.owner.host, flops));
        }
    }

    private void addCpuDebt() {
        long ns = readCpuNanos();
        if (ns < 0) {
            return;
        }
        if (lastCpuNanos >= 0 && ns > lastCpuNanos) {
            cpuDebtNanos += ns - lastCpuNanos;
        }
        lastCpuNanos = ns;
    }

    /** First field of /proc/PID/task/TID/schedstat: ns on the CPU (pread at 0 of a kept fd). */
    private long readCpuNanos() {
        try {
            if (schedstat == null) {
                schedstat = FileChannel.open(Path.of("/proc", Integer.toString(process.tgid), "task",
                        Integer.toString(tid), "schedstat"));
            }
            schedBuffer.clear();
            int n = schedstat.read(schedBuffer, 0);
            long v = 0;
            for (int i = 0; i < n; i++) {
                byte b = schedBuffer.get(i);
                if (b < '0' || b > '9') {
                    break;
                }
                v = v * 10 + (b - '0');
            }
            return v;
        } catch (IOException e) {
            return -1;
        }
    }

    private void closeSchedstat() {
        if (schedstat != null) {
            try {
                schedstat.close();
            } catch (IOException ignored) {
                // nothing to do
            }
            schedstat = null;
        }
    }

    void raiseSigpipe() {
        try {
            LibC.tgkill(process.tgid, tid, 13); // SIGPIPE: delivered (or ignored) when it resumes
        } catch (ErrnoException ignored) {
            // already gone
        }
    }

    /** The blocked syscall, decoded as strace would print its entry (tracee still stopped there). */
    String describeBlockedCall() {
        Call c = blockedIn;
        if (c == null) {
            return describeNativeCall();
        }
        try {
            PendingCall p = run.formatter.onEntry(tid, c.nr, c.args, c.mem());
            String s = run.formatter.noReturn(p, 0);
            int eq = s.lastIndexOf(" = ?");
            return (eq > 0 ? s.substring(0, eq) : s).strip();
        } catch (RuntimeException e) {
            return simterpose.tracer.syscall.SyscallTable.name(c.nr) + "(...)";
        }
    }

    /** A natively blocked (parked) thread: its syscall from /proc/.../syscall, decoded. */
    private String describeNativeCall() {
        try {
            String[] f = Files.readString(Path.of("/proc", Integer.toString(process.tgid), "task", Integer.toString(tid),
                    "syscall")).trim().split("\\s+");
            int nr = Integer.parseInt(f[0]);
            long[] args = new long[6];
            for (int i = 0; i < 6 && i + 1 < f.length; i++) {
                args[i] = Long.parseUnsignedLong(f[i + 1].substring(2), 16);
            }
            PendingCall p = run.formatter.onEntry(tid, nr, args, new simterpose.tracer.memory.ProcessVmMemory(tid));
            String s = run.formatter.noReturn(p, 0);
            int eq = s.lastIndexOf(" = ?");
            return (eq > 0 ? s.substring(0, eq) : s).strip() + " (native)";
        } catch (IOException | RuntimeException e) {
            return "? (blocked natively)";
        }
    }

    static int tgidOf(int tid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Integer.toString(tid), "status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("Tgid:")) {
                    return Integer.parseInt(line.substring(5).strip());
                }
            }
        } catch (IOException | NumberFormatException e) {
            // gone already: treat as its own process
        }
        return tid;
    }

    /** True when the thread no longer runs (reaped or zombie). */
    boolean deadInReality() {
        char s = state();
        return s == 'Z' || s == 'X';
    }

    @Override
    public String toString() {
        return process.owner.name + "[" + tid + "]";
    }
}
