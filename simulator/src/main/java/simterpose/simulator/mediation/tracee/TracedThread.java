package simterpose.simulator.mediation.tracee;

import static simterpose.bindings.Errno.EINTR;
import static simterpose.bindings.Errno.ERESTARTSYS;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import simterpose.bindings.linux.Linux;
import simterpose.simulator.engine.Activity;
import simterpose.simulator.engine.Signal;
import simterpose.simulator.engine.Wait;
import simterpose.tracer.Regs;
import simterpose.tracer.Resume;
import simterpose.tracer.Stop;
import simterpose.tracer.TraceeSignals;
import simterpose.tracer.events.StopEvent;
import simterpose.simulator.kernel.SignalMasks;
import simterpose.simulator.mediation.RunListener;
import simterpose.simulator.mediation.RunReport;
import simterpose.simulator.mediation.RunOptions;

/**
 * One traced thread, driven by its stops: a small state machine that the tracer's owner thread
 * runs (see {@code Run} for the scheduling rule: one tracee runs at a time).
 *
 * <p><b>How a stop flows.</b> While the thread is {@link State#RUNNING}, {@code Run.onStop}
 * hands each of its stops to {@link #onStop}, which answers at once when no simulated waiting
 * is needed (the tracee goes on running). When the handler says Block, the thread registers a
 * {@link Wait} on the kernel's {@link Signal} and becomes {@link State#BLOCKED}; the engine then
 * runs others and moves the clock, and when the wait fires its continuation calls the handler
 * again with the same {@link Call} and, once answered, resumes the tracee
 * ({@code Run.resumeThread}). No thread hand-off anywhere: it all runs on the owner thread.
 *
 * <p>A thread whose tracee blocks natively (a pthread_join, a pipe) is {@link State#PARKED}
 * by the run's watchdog; one created by clone/fork, or woken from a wait, is
 * {@link State#READY} until its turn. A stop that arrives while the thread is not running waits
 * in {@link #pendingStop} until its turn comes.
 *
 * <p>Threading: the tracer's owner thread only.
 */
public final class TracedThread {
    public enum State { READY, RUNNING, BLOCKED, PARKED, GONE }

    public final RunContext run;
    /** The kernel's thread id; changes once if the thread execs while not the leader. */
    public int tid;
    /** Its number within its actor, in creation order (0: the launched process): the same every run. */
    public final int ordinal;
    /** The tid the run's programs know this thread by (their PID namespace's), read when first asked; 0 until then. */
    private int visibleTid;
    public ProcessState process;
    public State state = State.READY;
    /** A stop that came while not RUNNING; taken when the thread's turn comes. */
    public Stop pendingStop;
    /** Fires to cut a simulated wait short (kill, process exit). */
    public final Signal alarm = new Signal();
    /** Simulated CPU seconds accounted to this thread. */
    public double cpuSeconds;
    private FileChannel schedstat;
    private final ByteBuffer schedBuffer = ByteBuffer.allocate(128);
    private long lastCpuNanos = -1;
    private HandlerResult.ExitHook exitHook;
    /** The call now running natively is observed: its line is written at its exit stop. */
    private boolean observedAtExit;
    /** The number of a socket call interrupted by a signal, to put back at its exit stop; -1 if none. */
    private long restartNr = -1;
    /**
     * A socket call ended with ERESTARTSYS, whose entry comes back if the kernel restarts it
     * (after a SA_RESTART handler, or when no handler runs): that entry is the same call, not
     * counted again. Null if none is due; dropped when the handler's rt_sigreturn shows the call
     * ended with EINTR instead (see {@link #handlerReturns}).
     */
    private Restart restart;

    /**
     * A call's entry as a restart brings it back: its number, and the ip and stack pointer of its
     * first entry (a handler's calls run on a deeper stack, so even the same call made by the
     * handler through the same wrapper is told apart).
     */
    private record Restart(long nr, long rip, long rsp) {
        boolean is(long nr, long rip, long rsp) {
            return nr == this.nr && rip == this.rip && rsp == this.rsp;
        }
    }

    /**
     * Where rt_sigreturn finds the interrupted registers: at its entry the handler's ret has
     * popped the frame's return address, so the stack pointer is at the frame's ucontext, whose
     * uc_mcontext (after uc_flags, uc_link and a 24-byte stack_t) holds r8..r15, rdi, rsi, rbp,
     * rbx, rdx, rax, rcx, rsp, rip (arch/x86 rt_sigframe and sigcontext).
     */
    private static final int SIGFRAME_RIP = 40 + 16 * 8;
    /** {@code syscall} is 0f 05. */
    private static final int SYSCALL_INSTRUCTION_LENGTH = 2;
    /** The simulated wait under way (BLOCKED), to cut it short. */
    private Wait wait;
    /** The call the thread is blocked in, and since when (for the deadlock report). */
    public Call blockedIn;
    public double blockedSince;
    /** The process is ending: stop mediating, let the kernel finish it. */
    public boolean dying;
    /** Bumped at every stop taken: the watchdog parks a thread only if none came since it looked. */
    public volatile long stopsTaken;
    /** What its CPU use shows the watchdog and the spin diagnosis (written on the owner, read anywhere). */
    public final SpinSigns spin = new SpinSigns();
    /** MEASURED CPU time not yet turned into an execution. */
    private long cpuDebtNanos;
    /** CPU time below this is carried to a later stop rather than making an execution (and a wait) now. */
    private static final long CPU_DEBT_NANOS = 20_000;

    public TracedThread(RunContext run, int tid, ProcessState process) {
        this.run = run;
        this.tid = tid;
        this.process = process;
        this.ordinal = process.owner.threadsCreated++;
        process.threads.add(this);
        process.owner.liveThreads++;
        run.registerLive(this);
    }

    private boolean ending() {
        return dying || process.owner.killedAtKillTime || process.owner.killedByDeadlock;
    }

    /** Whether the last stop was a group-stop (see {@link #stoppedBySignal}). */
    private boolean groupStopped;
    /** Parked because stopped by a signal (counted in the run's progress line). */
    public boolean parkedStopped;

    /**
     * A stop of this RUNNING thread: its verdict, or null when the thread now waits (BLOCKED
     * in the simulation, or GONE) and the engine must run others.
     */
    public Resume onStop(Stop stop) {
        stopsTaken++;
        StopEvent event = stop.event();
        groupStopped = event instanceof StopEvent.GroupStop;
        if (!(event instanceof StopEvent.Interrupted)) {
            spin.quanta = 0;
        }
        return switch (event) {
            case StopEvent.Exited e -> {
                gone(event);
                yield null;
            }
            case StopEvent.Killed k -> {
                gone(event);
                yield null;
            }
            case StopEvent.SyscallEntry e -> entry(stop, e);
            case StopEvent.SyscallExit x -> exit(stop, x);
            case StopEvent.Exec x -> exec(stop);
            case StopEvent.NewChild n -> newChild(n);
            case StopEvent.Interrupted i -> preempted(stop);
            case StopEvent.SignalDelivery d -> {
                if (run.calls() != null) {
                    run.calls().signalDelivered(this, d.signal(), stop.siginfo());
                }
                yield Resume.CONTINUE;
            }
            default -> Resume.CONTINUE;
        };
    }

    /**
     * Its quantum ran out (the watchdog had it interrupted: it ran natively that long without a
     * stop). MEASURED: the CPU it burnt becomes an execution on its host, which it waits for, as
     * at a syscall; NONE: it yields, behind the threads ready at this date, without moving the
     * clock unless it spins ({@link RunContext#yieldTurn}). Either way the others get their
     * turn, and it resumes where it was (a syscall it was in is restarted).
     */
    private Resume preempted(Stop stop) {
        spin.preemptions++;
        spin.quanta++;
        Regs regs = stop.regs();
        if (regs != null) {
            spin.lastPreemptedIp = regs.rip();
        }
        if (ending()) {
            return Resume.CONTINUE;
        }
        Activity exec = null;
        if (run.options().cpuMode() == RunOptions.CpuMode.MEASURED) {
            addCpuDebt();
            if (cpuDebtNanos > 0) {
                double flops = cpuDebtNanos / 1e9 * run.localSpeed();
                cpuDebtNanos = 0;
                cpuSeconds += flops / process.owner.host.speed();
                exec = run.sim().startExecution(process.owner.host, flops);
            }
        }
        state = State.BLOCKED;
        Runnable turn = () -> {
            wait = null;
            run.resumeThread(this, stop, Resume.CONTINUE);
        };
        if (exec != null && !exec.test()) {
            wait = Wait.forActivity(run.sim(), exec, turn);
        } else {
            run.yieldTurn(this, turn);
        }
        return null;
    }

    /** A thread born by clone or fork: its CPU time counts from 0 (its schedstat starts there). */
    public void countCpuFromBirth() {
        lastCpuNanos = 0;
    }

    private void count(HandlerResult r) {
        if (!(r instanceof HandlerResult.Native n) || n.mediated()) {
            process.owner.syscalls.incrementAndGet();
            run.countMediated();
        }
    }

    /** The verdict for a result that needs no waiting. */
    private Resume finish(Stop stop, Call call, HandlerResult r) {
        switch (r) {
            case HandlerResult.Done d -> {
                answer(stop, call, d.value());
                return Resume.NO_EXIT_STOP;
            }
            case HandlerResult.Errno x -> {
                answer(stop, call, -x.errno());
                return Resume.NO_EXIT_STOP;
            }
            case HandlerResult.NativeThen n -> {
                exitHook = n.hook();
                observedAtExit = run.calls() != null;
                seen(call, 0, false);
                return Resume.CONTINUE;
            }
            default -> {
                seen(call, 0, false);
                if (run.calls() != null && r instanceof HandlerResult.Native && run.calls().logsNative(call.nr)) {
                    observedAtExit = true; // the real kernel runs it; its line is written at its exit stop
                    return Resume.CONTINUE;
                }
                if (run.calls() != null) {
                    run.calls().dropped(this);
                }
                return r instanceof HandlerResult.Native n && n.heldAtExit() ? Resume.CONTINUE : Resume.NO_EXIT_STOP;
            }
        }
    }

    /** The call returns {@code result} without running in the kernel. */
    private void answer(Stop stop, Call call, long result) {
        stop.emulate(result);
        if (run.calls() != null) {
            run.calls().ended(this, result, stop.memory());
        }
        seen(call, result, true);
    }

    /** Tells a listener that follows every call (run --verify) what this one got. */
    private void seen(Call call, long result, boolean answered) {
        if (call == null || !run.listener().followsSyscalls()) {
            return;
        }
        String text;
        try {
            var pending = run.formatter().onEntry(call.thread.tid, call.nr, call.args, call.mem());
            text = answered ? run.formatter().onExit(pending, result, call.mem()) : run.formatter().entryText(pending);
        } catch (RuntimeException e) {
            text = simterpose.tracer.syscall.SyscallTable.name(call.nr) + "(…)";
        }
        run.listener().syscall(new RunListener.SyscallSeen(process.owner.index, process.owner.name, ordinal, call.nr,
                call.args, result, answered, text.strip()));
    }

    private Resume entry(Stop stop, StopEvent.SyscallEntry e) {
        spin.lastSyscallNr = (int) e.nr();
        if (ending()) {
            return Resume.NO_EXIT_STOP;
        }
        Handler h = run.handler(e.nr());
        if (h == null) { // stopped for only if -e trace= selected it (logged at its exit), or a mapping change (address mode)
            boolean remaps = run.realStreams().probed().entering(this, e.nr());
            observedAtExit = run.calls() != null && run.calls().enteredNative(this, e, stop.memory());
            return observedAtExit || remaps ? Resume.CONTINUE : Resume.NO_EXIT_STOP;
        }
        if (run.options().cpuMode() == RunOptions.CpuMode.MEASURED) {
            addCpuDebt();
            if (cpuDebtNanos > CPU_DEBT_NANOS) {
                // The CPU burnt since the last stop becomes an execution on the host first.
                double flops = cpuDebtNanos / 1e9 * run.localSpeed();
                cpuDebtNanos = 0;
                cpuSeconds += flops / process.owner.host.speed();
                Activity exec = run.sim().startExecution(process.owner.host, flops);
                if (!exec.test()) {
                    state = State.BLOCKED;
                    wait = Wait.forActivity(run.sim(), exec, () -> {
                        wait = null;
                        Resume r = ending() ? Resume.NO_EXIT_STOP : handle(stop, e, h);
                        if (r != null) {
                            run.resumeThread(this, stop, r);
                        }
                    });
                    return null;
                }
            }
        }
        return handle(stop, e, h);
    }

    private Resume handle(Stop stop, StopEvent.SyscallEntry e, Handler h) {
        Call call = new Call(this, stop, (int) e.nr(), e.args());
        if (run.calls() != null) {
            run.calls().entered(call);
        }
        boolean restarted = false;
        long[] at = restart == null ? null : stop.notified() ? ProcStatus.syscallSpAndIp(process.tgid, tid) : new long[] {stop.regs().rsp(), stop.regs().rip()};
        if (at != null) {
            restarted = restart.is(e.nr(), at[1], at[0]);
            if (restarted || Long.compareUnsigned(at[0], restart.rsp()) >= 0) {
                restart = null; // restarted, or the thread is back in the call's frame or above (a longjmp)
            }
        }
        HandlerResult r = h.handle(call);
        if (run.calls() != null) {
            run.calls().handled(call);
        }
        if (!restarted) {
            count(r);
        }
        return settle(stop, call, h, r);
    }

    /** Finishes the call, or registers the wait it needs (then null: BLOCKED). */
    private Resume settle(Stop stop, Call call, Handler h, HandlerResult r) {
        if (!(r instanceof HandlerResult.Block || r instanceof HandlerResult.BlockAny)) {
            return finish(stop, call, r);
        }
        state = State.BLOCKED;
        blockedIn = call;
        blockedSince = run.sim().now();
        if (run.calls() != null) {
            run.calls().blocked(this);
        }
        if (r instanceof HandlerResult.BlockAny any) {
            java.util.List<Signal> on = new java.util.ArrayList<>(any.on());
            on.add(alarm);
            wait = Wait.forAny(run.sim(), on, any.timeout(), signalled -> retry(stop, call, h, null, signalled));
        } else {
            // A socket call blocked in the simulation is cut short when a signal comes for the
            // thread (SIGTERM from another tracee, a SIGCHLD...), as Linux's sock_intr_errno does:
            // it returns the bytes already moved, else EINTR under a SO_RCVTIMEO/SO_SNDTIMEO
            // timeout, else ERESTARTSYS, so that the kernel itself, delivering the signal as the
            // call returns, restarts it after a SA_RESTART handler (or when no handler runs) and
            // turns it into EINTR after another (see interruptedBySignal).
            HandlerResult.Block b = (HandlerResult.Block) r;
            boolean[] signalCame = {false};
            Signal interrupted = run.idleProbes().watchSignals(() -> signalCame[0] = signalInterrupts(-1));
            wait = Wait.forAny(run.sim(), java.util.List.of(b.on(), alarm, interrupted), b.timeout(),
                    signalled -> {
                        if (signalCame[0] && !ending()) {
                            if (run.calls() != null) {
                                run.calls().woken(this, true, null, true, false);
                            }
                            wait = null;
                            blockedIn = null;
                            run.resumeThread(this, stop, interruptedBySignal(stop, call, b));
                        } else {
                            retry(stop, call, h, b, signalled);
                        }
                    });
        }
        return null;
    }

    /**
     * Ends a socket call cut short by a signal (see settle). ERESTARTSYS needs the call's
     * number in orig_rax as the thread leaves the kernel (the kernel's restart puts it back in
     * rax and the ip back on the syscall instruction), but a skipped call has -1 there: so the
     * call is skipped now and given its number and ERESTARTSYS at its exit stop.
     */
    private Resume interruptedBySignal(Stop stop, Call call, HandlerResult.Block b) {
        if (call.progress > 0 || b.timeout() >= 0) {
            answer(stop, call, call.cutShort(-EINTR));
            return Resume.NO_EXIT_STOP;
        }
        if (stop.notified()) {
            // A notified call keeps its number in orig_rax (seccomp skipped it, the kernel did not
            // clear it): answered ERESTARTSYS, the kernel restarts it or makes it EINTR itself.
            long[] at = ProcStatus.syscallSpAndIp(process.tgid, tid);
            restart = at == null ? null : new Restart(call.nr, at[1], at[0]);
            answer(stop, call, -ERESTARTSYS);
            return Resume.NO_EXIT_STOP;
        }
        Regs regs = stop.regs();
        restart = new Restart(call.nr, regs.rip(), regs.rsp());
        answer(stop, call, -ERESTARTSYS);
        restartNr = call.nr;
        return Resume.CONTINUE;
    }

    /**
     * At the exit stop of a call skipped by {@link #interruptedBySignal}: the call as Linux ends
     * it, ERESTARTSYS with its number in orig_rax. If no signal is deliverable any more (another
     * thread of the process took it), the kernel would not look at ERESTARTSYS and the tracee
     * would see errno 512: then the thread just goes back to the syscall instruction, which
     * is what the kernel does for ERESTARTSYS when no handler runs.
     */
    private void restartAfterSignal(Stop stop) {
        Regs regs = stop.regs().withNr(restartNr);
        if (signalInterrupts(-1)) {
            stop.setRegs(regs.withRax(-ERESTARTSYS));
        } else {
            stop.setRegs(regs.withRax(restartNr).withRip(regs.rip() - SYSCALL_INSTRUCTION_LENGTH));
        }
        restartNr = -1;
    }

    /**
     * At a handler's rt_sigreturn: the registers it restores show what the kernel made of the
     * ERESTARTSYS of the call {@link #restart} names, as it ran the handler: the ip back on the
     * syscall instruction (restart: the call's entry comes again, one call) or left after it
     * (EINTR: the program may call again, a new call). Another frame (a nested handler's) leaves
     * the restart pending.
     */
    public void handlerReturns(Call c) {
        if (restart == null) {
            return;
        }
        byte[] rip = c.read(c.stop.regs().rsp() + SIGFRAME_RIP, 8);
        if (rip == null) {
            return;
        }
        long saved = ByteBuffer.wrap(rip).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        if (saved == restart.rip()) {
            restart = null; // ended with EINTR
        }
    }

    /** A wait fired (from the engine's ready queue): call the handler again, or time out. */
    private void retry(Stop stop, Call call, Handler h, HandlerResult.Block block, boolean signalled) {
        if (run.calls() != null) {
            run.calls().woken(this, signalled, wait == null ? null : wait.cause(), false, ending());
        }
        wait = null;
        blockedIn = null;
        Resume r;
        if (ending()) {
            r = Resume.NO_EXIT_STOP;
        } else if (block != null && !signalled && block.timeoutErrno() != 0) {
            answer(stop, call, call.cutShort(-block.timeoutErrno()));
            r = Resume.NO_EXIT_STOP;
        } else {
            r = settle(stop, call, h, h.handle(call)); // signalled (or a sleep's timer)
        }
        if (r != null) {
            run.resumeThread(this, stop, r);
        }
    }

    /** Cuts a simulated wait short (the thread is dying or killed). */
    public void interrupt() {
        dying = true;
        if (wait != null) {
            wait.fireNow();
        }
    }

    /**
     * Its last stop was a group-stop (SIGSTOP, SIGTSTP...: the owner answered PTRACE_LISTEN)
     * and {@code procState} shows it still stopped: blocked until SIGCONT, as on Linux, while
     * the other actors go on.
     */
    public boolean stoppedBySignal(char procState) {
        return groupStopped && (procState == 't' || procState == 'T');
    }

    /**
     * The tracee's scheduler state letter from /proc (R, S, D, t, Z...), 'X' if gone. On the
     * owner thread, 'R' when /proc says 't' after a group-stop but a ptrace stop of it waits for
     * the owner's next wait: a SIGCONT ended its PTRACE_LISTEN and it is moving, not stopped
     * until SIGCONT (else a SIGCONT from an actor that then exits looked like a deadlock).
     */
    public char state() {
        char st;
        try {
            String stat = Files.readString(Path.of("/proc", Integer.toString(process.tgid), "task", Integer.toString(tid), "stat"));
            int close = stat.lastIndexOf(')');
            st = close > 0 && close + 2 < stat.length() ? stat.charAt(close + 2) : 'X';
        } catch (IOException e) {
            return 'X';
        }
        if (st == 'S' && run.hasUncollectedNotification(tid)) {
            return 'R'; // its notified call is on its way to the owner, as an uncollected stop
        }
        return st == 't' && groupStopped && run.hasUncollectedStop(tid) ? 'R' : st;
    }

    private Resume exit(Stop stop, StopEvent.SyscallExit x) {
        if (restartNr >= 0) {
            restartAfterSignal(stop);
            return Resume.CONTINUE;
        }
        HandlerResult.ExitHook hook = exitHook;
        exitHook = null;
        long result = x.result();
        if (hook != null && !x.restarting()) {
            result = hook.atExit(x.result());
            if (result != x.result()) {
                stop.setRegs(stop.regs().withRax(result));
            }
        }
        run.realStreams().probed().exited(this);
        if (observedAtExit) {
            observedAtExit = false;
            run.calls().ended(this, result, stop.memory()); // set only when calls are observed
        }
        return Resume.CONTINUE;
    }

    private Resume exec(Stop stop) {
        run.atExec(this, stop);
        run.realStreams().probed().forget(); // a new address space
        process.timers.deleteAll(); // execve deletes POSIX timers (an alarm survives it)
        process.realFdKinds.forgetAll();
        if (process.virtual.fds().fds().isEmpty()) {
            return Resume.CONTINUE;
        }
        process.virtual.fds().exec(); // the real kernel closes the CLOEXEC placeholders itself
        return Resume.CONTINUE;
    }

    private Resume newChild(StopEvent.NewChild n) {
        int child = n.childTid();
        ProcessState target = process;
        if (n.kind() != StopEvent.NewChild.Kind.CLONE || ProcStatus.tgid(child) != process.tgid) {
            target = new ProcessState(child, run.kernel().fork(process.virtual, child, false), process.owner, run.inputs());
        }
        run.spawnThread(child, target);
        return Resume.CONTINUE;
    }

    private void gone(StopEvent event) {
        run.realStreams().probed().exited(this);
        if (run.calls() != null) {
            run.calls().gone(this, event);
        }
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
        retire();
    }

    /** This thread execed as a non-leader: it now has the leader's tid. */
    public void takeTid(int leaderTid) {
        tid = leaderTid;
        visibleTid = 0;
        closeSchedstat(); // /proc/P/task/<old tid> is gone
        lastCpuNanos = -1;
    }

    /**
     * The tid the run's programs know this thread by: the last number of the {@code NSpid:}
     * line of its /proc status (the innermost namespace's), -1 if it is gone.
     */
    public int visibleTid() {
        if (visibleTid == 0) {
            int v = ProcStatus.innermostPid(process.tgid, tid);
            if (v < 0) {
                return -1;
            }
            visibleTid = v;
        }
        return visibleTid;
    }

    /** The thread disappeared without an exit report: end it as if it exited. */
    public void vanished() {
        if (run.calls() != null) {
            run.calls().gone(this, null);
        }
        retire();
    }

    private void retire() {
        state = State.GONE;
        if (wait != null) {
            wait.cancel();
            wait = null;
        }
        blockedIn = null;
        process.threadGone(this);
        closeSchedstat();
        run.threadGone(this);
    }

    private void addCpuDebt() {
        long ns = run.inputs().cpuNanos(this::readCpuNanos);
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

    public void raiseSigpipe() {
        TraceeSignals.tgkill(process.tgid, tid, Linux.SIGPIPE()); // delivered (or ignored) when it resumes (false: gone)
    }

    /** The call it is blocked in, as strace would print its entry: the deadlock report's row. */
    public String describeBlockedCall() {
        return BlockedCallText.of(this);
    }

    /** True when the thread no longer runs (reaped or zombie). */
    public boolean deadInReality() {
        char s = state();
        return s == 'Z' || s == 'X';
    }

    /**
     * True when a signal pending for this thread would end a wait in simulated time with EINTR
     * (the rule is the virtual kernel's {@link SignalMasks}; the masks are the real kernel's,
     * read from /proc).
     *
     * @param waitMask the blocked set during the wait, or -1 for the thread's own (SigBlk)
     */
    public boolean signalInterrupts(long waitMask) {
        SignalMasks masks = ProcStatus.signalMasks(process.tgid, tid);
        return masks != null && masks.interrupt(waitMask); // null: gone, its end is reported elsewhere
    }

    @Override
    public String toString() {
        return process.owner.name + "[" + tid + "]";
    }
}
