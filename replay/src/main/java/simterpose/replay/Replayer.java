package simterpose.replay;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import simterpose.tracer.ExitStatus;
import simterpose.tracer.LaunchSpec;
import simterpose.tracer.Regs;
import simterpose.tracer.Resume;
import simterpose.tracer.Stop;
import simterpose.tracer.StopHandler;
import simterpose.tracer.Tracee;
import simterpose.tracer.TraceeSignals;
import simterpose.tracer.Tracer;
import simterpose.tracer.events.StopEvent;
import simterpose.tracer.memory.TraceeMemory;
import simterpose.tracer.syscall.Syscall;
import simterpose.tracer.syscall.SyscallTable;

/**
 * Re-runs a recorded program against its recording. At each syscall entry it checks the call is
 * the recorded one (number, argument registers, the strings and a CRC of the buffers it reads),
 * then follows {@link ReplayRule}: most calls are annulled and given the recorded result and
 * memory writes; those that make the process what it is (its memory map, signal handlers,
 * threads, exit) run for real and their results are checked. Writes to fds 1 and 2 are
 * re-emitted on the replayer's own stdout and stderr. Signals are raised again after the
 * syscall they followed, and {@code rdtsc} returns the recorded values.
 *
 * <p><b>Order.</b> Events are consumed strictly in the recorded order (a cursor over the one
 * event list): a thread whose next event is not at the cursor waits at its stop (a DEFERRED
 * verdict) until the others have passed theirs. So syscalls, their results and the signals
 * come in the same order in every thread as recorded; what threads do between syscalls (plain
 * memory races, spinning) is not ordered, and a program whose syscalls depend on such races
 * may diverge: then the divergence is reported, not hidden.
 *
 * <p>Thread rule: runs on the tracer's owner thread (INLINE dispatch), which alone touches this
 * state.
 */
public final class Replayer implements StopHandler {
    /** How a replay ended: the program's exit status, and the first divergence if any. */
    public record Outcome(int exitStatus, Divergence divergence, List<String> warnings, HandOver handOver) {}

    /** The replayed process was left stopped for a debugger before syscall {@code syscallIndex} of its first thread. */
    public record HandOver(int pid, long syscallIndex, String nextCall) {}

    private static final int SIGSTOP = 19;
    private static final int EINTR = 4, EAGAIN = 11, SYSCALL_INSN_LENGTH = 2;
    private static final int NR_RT_SIGRETURN = SyscallTable.number("rt_sigreturn");

    private final RecordingFile.Recording recording;
    private final List<Event> events;
    private final ProgramOutput output;
    private final List<String> warnings = new ArrayList<>();
    private int cursor;
    /** Recorded futex calls this replay's threads did not make (see {@link #skipRecordedFutexes}). */
    private final boolean[] skipped;
    /** Per recorded thread: the indexes of its events not yet consumed. */
    private final Map<Integer, ArrayDeque<Integer>> pending = new HashMap<>();
    private final Map<Integer, ThreadState> byRecorded = new HashMap<>(), byReal = new HashMap<>();
    private Divergence divergence;
    private long stopAt = -1;
    private HandOver handOver;
    private Tracee tracee;
    private boolean started;

    private enum Phase { AT_CALL, EXECUTING, AWAITING_RESULT }

    /** A replayed thread: its recorded and real ids, where it is in its recorded calls. */
    private static final class ThreadState {
        final int recorded;
        final int real;
        Phase phase = Phase.AT_CALL;
        Event.Entry call;
        ReplayRule rule;
        Event.MappedFile mapped;
        long syscalls;
        Stop parked;
        boolean gone;
        boolean tscPending;

        ThreadState(int recorded, int real) {
            this.recorded = recorded;
            this.real = real;
        }
    }

    private Replayer(RecordingFile.Recording recording, OutputStream stdout, OutputStream stderr) {
        this.recording = recording;
        this.events = recording.events();
        this.output = new ProgramOutput(stdout, stderr);
        this.skipped = new boolean[events.size()];
        for (int i = 0; i < events.size(); i++) {
            pending.computeIfAbsent(events.get(i).tid(), k -> new ArrayDeque<>()).add(i);
        }
    }

    /**
     * Replays {@code recording}, launching {@code spec} (the recorded command and environment,
     * or another build of the program).
     *
     * @param cpu a CPU to pin the tracer and the program to, or -1
     */
    public static Outcome replay(RecordingFile.Recording recording, LaunchSpec spec, OutputStream stdout,
                                 OutputStream stderr, int cpu) throws InterruptedException {
        return replay(recording, spec, stdout, stderr, cpu, -1);
    }

    /**
     * As {@link #replay(RecordingFile.Recording, LaunchSpec, OutputStream, OutputStream, int)},
     * but when the first thread reaches its syscall number {@code stopAt} (0-based), the process
     * is left stopped (SIGSTOP) just before that syscall instruction and detached, for a debugger
     * to attach ({@code gdb -p PID}); from there on it runs natively.
     */
    public static Outcome replay(RecordingFile.Recording recording, LaunchSpec spec, OutputStream stdout,
                                 OutputStream stderr, int cpu, long stopAt) throws InterruptedException {
        Replayer replayer = new Replayer(recording, stdout, stderr);
        replayer.stopAt = stopAt;
        ExitStatus status;
        try (Tracer tracer = Tracer.open(Recorder.options(cpu))) {
            replayer.tracee = tracer.launch(spec, replayer);
            Thread watchdog = Thread.ofVirtual().name("replay-watchdog").start(() -> replayer.watch(tracer));
            try {
                status = replayer.tracee.waitFor();
            } finally {
                watchdog.interrupt();
            }
        }
        return replayer.finish(status.shellCode());
    }

    /**
     * What a replay launches: the recorded argv, environment and directory (the directory this
     * one if the recorded one is gone), or {@code command} instead of the recorded argv.
     */
    public static LaunchSpec launchSpec(Header h, List<String> command) {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        for (String kv : h.env()) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                env.putIfAbsent(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        Path cwd = !h.cwd().isEmpty() && Files.isDirectory(Path.of(h.cwd())) ? Path.of(h.cwd()) : null;
        return new LaunchSpec(command.isEmpty() ? h.argv() : command, env, cwd, null, null, null);
    }

    /** How long the recorded order may stand still while a thread waits for its turn. */
    private static final long STUCK_NANOS = Long.getLong("simterpose.replay.stuckSeconds", 10) * 1_000_000_000L;

    /**
     * Ends a replay that cannot go on: a thread waits for its turn while the event at the cursor
     * belongs to a thread that never stops there (it blocks elsewhere, or went another way
     * without a syscall). Checked every second on the owner thread.
     */
    private void watch(Tracer tracer) {
        int lastCursor = -1;
        long since = System.nanoTime();
        try {
            while (true) {
                Thread.sleep(1000);
                int[] seen = new int[1];
                java.util.concurrent.CompletableFuture<Boolean> waiting = new java.util.concurrent.CompletableFuture<>();
                tracer.runOnOwner(() -> {
                    seen[0] = cursor;
                    waiting.complete(divergence == null && byReal.values().stream().anyMatch(t -> t.parked != null));
                });
                boolean someoneWaits = waiting.get();
                if (seen[0] != lastCursor || !someoneWaits) {
                    lastCursor = seen[0];
                    since = System.nanoTime();
                } else if (System.nanoTime() - since > STUCK_NANOS) {
                    tracer.runOnOwner(this::stuck);
                    return;
                }
            }
        } catch (InterruptedException | java.util.concurrent.ExecutionException | IllegalStateException e) {
            // the replay ended
        }
    }

    private void stuck() {
        if (divergence != null || cursor >= events.size()) {
            return;
        }
        Event next = events.get(cursor);
        ThreadState owner = byRecorded.get(next.tid());
        StringBuilder waiting = new StringBuilder();
        for (ThreadState t : byReal.values()) {
            if (t.parked != null) {
                waiting.append(waiting.isEmpty() ? "" : ", ").append("thread ").append(t.recorded).append(" at ").append(t.parked.event());
            }
        }
        divergence = new Divergence(next.tid(), owner == null ? 0 : owner.syscalls, "next: " + CallText.of(next),
                "that thread " + (owner == null ? "does not exist" : "never stopped there") + " in "
                        + STUCK_NANOS / 1_000_000_000L + " s (waiting for it: " + waiting + ")");
        tracee.kill();
    }

    private Outcome finish(int exitStatus) {
        if (handOver != null) {
            return new Outcome(exitStatus, divergence, warnings, handOver);
        }
        if (divergence == null && cursor < events.size()) {
            Event next = events.get(cursor);
            ThreadState t = byRecorded.get(next.tid());
            divergence = new Divergence(next.tid(), t == null ? 0 : t.syscalls, CallText.of(next),
                    "the program ended (exit status " + exitStatus + ")");
        }
        if (divergence == null && exitStatus != recording.exitStatus()) {
            divergence = new Divergence(recording.header().pid(), syscallsOf(recording.header().pid()),
                    "exit status " + recording.exitStatus(), "exit status " + exitStatus);
        }
        return new Outcome(exitStatus, divergence, warnings, handOver);
    }

    private long syscallsOf(int recordedTid) {
        ThreadState t = byRecorded.get(recordedTid);
        return t == null ? 0 : t.syscalls;
    }

    /** A divergence found while handling a stop: the replay ends there. */
    private static final class Diverged extends RuntimeException {
        Diverged() {
            super(null, null, false, false);
        }
    }

    private Diverged diverge(ThreadState t, String recorded, String actual) {
        if (divergence == null) {
            divergence = new Divergence(t.recorded, t.syscalls, recorded, actual);
        }
        return new Diverged();
    }

    // ------------------------------------------------------------------ stops

    @Override
    public Resume onStop(Stop stop) {
        if (divergence != null || handOver != null) {
            return Resume.CONTINUE;
        }
        Resume verdict;
        try {
            verdict = handle(stop);
        } catch (Diverged d) {
            stop.tracee().kill();
            return Resume.CONTINUE;
        }
        pump();
        return verdict;
    }

    private Resume handle(Stop stop) {
        if (stop.event() instanceof StopEvent.Exec x) {
            return exec(stop, x);
        }
        ThreadState t = byReal.get(stop.tid());
        if (t == null) {
            throw diverge(new ThreadState(0, stop.tid()), "no such thread", "thread " + stop.tid() + " " + stop.event());
        }
        return switch (stop.event()) {
            case StopEvent.SyscallEntry e -> entry(t, stop, e);
            case StopEvent.SyscallExit x -> exit(t, stop, x);
            case StopEvent.SignalDelivery s -> signal(t, stop, s);
            case StopEvent.NewChild c -> newChild(t, c);
            case StopEvent.Exited x -> gone(t);
            case StopEvent.Killed k -> gone(t);
            case StopEvent.GroupStop g -> Resume.CONTINUE;
            case StopEvent.Interrupted i -> Resume.CONTINUE; // the replayer never interrupts
            case StopEvent.Exec x -> throw new IllegalStateException("handled above");
        };
    }

    /** Serves the threads waiting for their turn, as long as the event at the cursor is theirs. */
    private void pump() {
        while (divergence == null && cursor < events.size()) {
            Event next = events.get(cursor);
            ThreadState t = byRecorded.get(next.tid());
            if (t == null) {
                return;
            }
            if (next instanceof Event.ThreadGone) {
                if (!t.gone) {
                    return;
                }
                consume(t);
                continue;
            }
            if (t.parked == null) {
                return;
            }
            Stop stop = t.parked;
            t.parked = null;
            int before = cursor;
            Resume verdict;
            try {
                verdict = handle(stop);
            } catch (Diverged d) {
                tracee.kill();
                stop.resume(Resume.CONTINUE);
                return;
            }
            if (verdict == Resume.DEFERRED) {
                if (cursor == before) {
                    return; // parked again where it was (it waits for a thread's end)
                }
                continue; // it passed its call's entry and waits for the result's turn: others may go now
            }
            stop.resume(verdict);
        }
    }

    private Resume park(ThreadState t, Stop stop) {
        t.parked = stop;
        return Resume.DEFERRED;
    }

    /** The index of the thread's next event, or -1 when its recording has no more. */
    private int next(ThreadState t) {
        Integer i = pending.getOrDefault(t.recorded, new ArrayDeque<>()).peek();
        return i == null ? -1 : i;
    }

    private void consume(ThreadState t) {
        int i = pending.get(t.recorded).poll();
        if (i != cursor) {
            throw new IllegalStateException("consumed event " + i + " at cursor " + cursor);
        }
        cursor++;
        skipOver();
    }

    private void skipOver() {
        while (cursor < events.size() && skipped[cursor]) {
            cursor++;
        }
    }

    // ------------------------------------------------------------------ futexes

    /**
     * A futex wait or wake the recording does not have at this point: whether a thread waits
     * (and so whether another wakes) depends on how threads interleave between syscalls, which a
     * replay does not enforce. A wait is answered EAGAIN (the word changed: the caller reads it
     * again), a wake 0 (nobody waits for real: every recorded wait is emulated). Null when the
     * call is the recorded one.
     */
    private Resume unrecordedFutex(ThreadState t, Stop stop, StopEvent.SyscallEntry e) {
        int i = next(t);
        if (i >= 0 && events.get(i) instanceof Event.Entry call && call.nr() == e.nr()
                && Arrays.equals(Arrays.copyOf(e.args(), call.args().length), call.args())) {
            return null;
        }
        if (!Futexes.isWaitOrWake(e.args()[1])) {
            return null; // other futex operations are checked like any call
        }
        stop.emulate(Futexes.isWait(e.args()[1]) ? -EAGAIN : 0);
        return Resume.NO_EXIT_STOP;
    }

    /** The thread made another call than the futex waits and wakes recorded next: they did not happen this time. */
    private void skipRecordedFutexes(ThreadState t) {
        ArrayDeque<Integer> own = pending.get(t.recorded);
        while (own != null && !own.isEmpty() && events.get(own.peek()) instanceof Event.Entry call
                && Futexes.timingDependent(call.nr()) && Futexes.isWaitOrWake(call.args()[1])) {
            skipped[own.poll()] = true;
            if (!own.isEmpty() && events.get(own.peek()) instanceof Event.Exit) {
                skipped[own.poll()] = true;
            }
        }
        skipOver();
    }

    // ------------------------------------------------------------------ exec

    private Resume exec(Stop stop, StopEvent.Exec x) {
        if (started) {
            ThreadState t = byReal.get(x.tid());
            throw diverge(t != null ? t : new ThreadState(0, x.tid()), "no exec (a replay follows one image)", "exec of " + x.path());
        }
        started = true;
        Header h = recording.header();
        ThreadState root = new ThreadState(h.pid(), x.tid());
        root.tscPending = true;
        byRecorded.put(root.recorded, root);
        byReal.put(root.real, root);
        try {
            Executable exe = Executable.of(Path.of(x.path()));
            if (!exe.sameBinary(h.executable())) {
                warnings.add("the program is not the recorded binary: " + x.path() + " (sha256 " + exe.sha256()
                        + ") was recorded as " + h.executable().path() + " (sha256 " + h.executable().sha256() + ")");
            }
            long sp = stop.regs().rsp();
            long end = StartImage.stackEnd(x.tid(), sp);
            Header now = StartImage.read(stop.memory(), x.tid(), sp, exe, Path.of("/proc", Integer.toString(x.tid()), "cwd"));
            if (!now.argv().equals(h.argv())) {
                warnings.add("the program runs with other arguments than recorded: " + now.argv() + ", recorded " + h.argv());
            } else if (!new java.util.HashSet<>(now.env()).equals(new java.util.HashSet<>(h.env()))) {
                warnings.add("the program runs in another environment than recorded");
            } else if (sp == h.stackPointer() && end - sp == h.initialStack().length) {
                // same strings, maybe in another order, other AT_RANDOM bytes: the recorded bytes exactly
                stop.memory().write(sp, h.initialStack(), 0, h.initialStack().length);
            } else {
                warnings.add("the program's start differs from the recording (argv or environment of another size: stack at 0x"
                        + Long.toHexString(sp) + ", recorded 0x" + Long.toHexString(h.stackPointer())
                        + "); its syscalls will likely diverge");
            }
        } catch (IOException e) {
            warnings.add("cannot check the program's start: " + e.getMessage());
        }
        return Resume.CONTINUE;
    }

    // ------------------------------------------------------------------ syscalls

    private Resume entry(ThreadState t, Stop stop, StopEvent.SyscallEntry e) {
        if (t.tscPending) {
            t.tscPending = false;
            stop.injectSyscall(Recorder.NR_PRCTL, Recorder.PR_SET_TSC, Recorder.PR_TSC_SIGSEGV);
        }
        if (t.phase == Phase.AT_CALL && t.recorded == recording.header().pid() && t.syscalls == stopAt && handOver == null) {
            return handOver(t, stop, e);
        }
        if (t.phase == Phase.AT_CALL) {
            if (Futexes.timingDependent(e.nr())) {
                Resume answered = unrecordedFutex(t, stop, e);
                if (answered != null) {
                    return answered;
                }
            } else {
                skipRecordedFutexes(t);
            }
            int i = next(t);
            Event ev = i < 0 ? null : events.get(i);
            if (ev instanceof Event.MappedFile m) {
                if (i != cursor) {
                    return park(t, stop);
                }
                consume(t);
                t.mapped = m;
                i = next(t);
                ev = i < 0 ? null : events.get(i);
            }
            if (!(ev instanceof Event.Entry call)) {
                if (ev instanceof Event.ThreadGone) {
                    throw diverge(t, "the thread ends", CallText.actual(stop, e));
                }
                throw diverge(t, ev == null ? "the recording of this thread ends" : CallText.of(ev), CallText.actual(stop, e));
            }
            if (i != cursor) {
                return park(t, stop);
            }
            check(t, call, stop, e);
            consume(t);
            t.call = call;
            t.rule = ReplayRule.of(call, stop.memory());
            switch (t.rule) {
                case UNSUPPORTED -> throw diverge(t, CallText.of(call) + " (replay does not support "
                        + SyscallTable.name(call.nr()) + " yet)", CallText.actual(stop, e));
                case EXIT -> {
                    t.syscalls++;
                    return Resume.CONTINUE;
                }
                case EXECUTE, EXECUTE_RECORDED_ID -> {
                    t.phase = Phase.EXECUTING;
                    return Resume.CONTINUE;
                }
                case MAP -> {
                    map(t, stop, call);
                    t.phase = Phase.AWAITING_RESULT;
                }
                case EMULATE -> t.phase = Phase.AWAITING_RESULT;
            }
        }
        // AWAITING_RESULT: the recorded result is given when its turn comes
        int i = next(t);
        Event ev = i < 0 ? null : events.get(i);
        if (ev instanceof Event.ThreadGone) {
            return park(t, stop); // it never returned: the process ended while it was in there
        }
        if (!(ev instanceof Event.Exit result)) {
            throw diverge(t, ev == null ? "the recording of this thread ends" : CallText.of(ev), "a result for " + CallText.of(t.call));
        }
        if (i != cursor) {
            return park(t, stop);
        }
        if (restartCode(result.result())) {
            interrupted(t, stop, e);
        } else {
            applyWrites(t, stop.memory(), result);
            output.reemit(t.call, result.result(), stop.memory());
            stop.emulate(result.result());
        }
        consume(t);
        t.phase = Phase.AT_CALL;
        t.syscalls++;
        raiseRecordedSignal(t);
        return Resume.NO_EXIT_STOP;
    }

    private Resume exit(ThreadState t, Stop stop, StopEvent.SyscallExit x) {
        if (t.phase != Phase.EXECUTING) {
            return Resume.CONTINUE;
        }
        int i = next(t);
        Event ev = i < 0 ? null : events.get(i);
        if (!(ev instanceof Event.Exit result)) {
            throw diverge(t, ev == null ? "the recording of this thread ends" : CallText.of(ev), CallText.of(t.call) + " = " + x.result());
        }
        if (i != cursor) {
            return park(t, stop);
        }
        if (t.rule == ReplayRule.EXECUTE_RECORDED_ID) {
            if (x.result() < 0 != result.result() < 0) {
                throw diverge(t, CallText.of(t.call) + " = " + result.result(), CallText.of(t.call) + " = " + x.result());
            }
            stop.setRegs(stop.regs().withRax(result.result()));
        } else if (x.result() != result.result()) {
            throw diverge(t, CallText.of(t.call) + " = " + result.result(), CallText.of(t.call) + " = " + x.result());
        }
        applyWrites(t, stop.memory(), result);
        consume(t);
        t.phase = Phase.AT_CALL;
        t.syscalls++;
        raiseRecordedSignal(t);
        return Resume.CONTINUE;
    }

    private Resume newChild(ThreadState parent, StopEvent.NewChild c) {
        // the parent is in its clone: the recorded result is the child's recorded tid
        int i = next(parent);
        if (parent.phase != Phase.EXECUTING || i < 0 || !(events.get(i) instanceof Event.Exit result)) {
            throw diverge(parent, "no new thread here", "new " + c.kind().name().toLowerCase() + " " + c.childTid());
        }
        ThreadState child = new ThreadState((int) result.result(), c.childTid());
        byRecorded.put(child.recorded, child);
        byReal.put(child.real, child);
        return Resume.CONTINUE;
    }

    private Resume gone(ThreadState t) {
        t.gone = true;
        if (t.parked != null) {
            t.parked = null; // killed while it waited (the process ended)
        }
        return Resume.CONTINUE;
    }

    private Resume signal(ThreadState t, Stop stop, StopEvent.SignalDelivery s) {
        int i = next(t);
        Event ev = i < 0 ? null : events.get(i);
        Regs regs = stop.regs();
        if (s.signal() == Recorder.SIGSEGV && regs != null) {
            int length = Rdtsc.instructionLength(stop.memory(), regs.rip());
            if (length > 0) {
                if (!(ev instanceof Event.Rdtsc tsc)) {
                    throw diverge(t, ev == null ? "the recording of this thread ends" : CallText.of(ev), "rdtsc at 0x" + Long.toHexString(regs.rip()));
                }
                if (i != cursor) {
                    return park(t, stop);
                }
                stop.setRegs(Rdtsc.emulate(regs, length, tsc.value()));
                consume(t);
                return Resume.SUPPRESS_SIGNAL;
            }
        }
        if (!(ev instanceof Event.Signal sig) || sig.signal() != s.signal()) {
            throw diverge(t, ev == null ? "the recording of this thread ends" : CallText.of(ev),
                    "signal " + s.signal() + (regs == null ? "" : " at 0x" + Long.toHexString(regs.rip())));
        }
        if (i != cursor) {
            return park(t, stop);
        }
        consume(t);
        return Resume.CONTINUE;
    }

    /**
     * Leaves the process for a debugger: the call is skipped and the thread rewound onto its
     * syscall instruction, SIGSTOP is sent, and the tracer detaches; the process then stops
     * there, untraced.
     */
    private Resume handOver(ThreadState t, Stop stop, StopEvent.SyscallEntry e) {
        int i = next(t);
        handOver = new HandOver(tracee.pid(), t.syscalls, i < 0 ? "(none recorded)" : CallText.of(events.get(i)));
        Regs regs = stop.regs();
        stop.setRegs(regs.withNr(-1).withRax(e.nr()).withRip(regs.rip() - SYSCALL_INSN_LENGTH));
        TraceeSignals.kill(tracee.pid(), SIGSTOP);
        tracee.detach();
        return Resume.CONTINUE;
    }

    /** A signal that came right after the syscall just replayed is raised again, so it arrives at the same point. */
    private void raiseRecordedSignal(ThreadState t) {
        int i = next(t);
        if (i >= 0 && events.get(i) instanceof Event.Signal s) {
            TraceeSignals.tgkill(tracee.pid(), t.real, s.signal());
        }
    }

    /**
     * The call was interrupted by a signal (a kernel restart code): the kernel then either made
     * it return EINTR or rewound the thread to run it again, depending on the handler's
     * SA_RESTART. What it did is in the recording: the handler's rt_sigreturn restored rax to
     * -EINTR or to the syscall number to run again. The replay leaves the thread in that state
     * (skipping the call), and the recorded signal, raised now, is delivered on top of it.
     */
    private void interrupted(ThreadState t, Stop stop, StopEvent.SyscallEntry e) {
        ArrayDeque<Integer> own = pending.get(t.recorded);
        boolean sigreturn = false;
        Long restored = null;
        for (int i : own) {
            Event ev = events.get(i);
            if (ev instanceof Event.Entry call && call.nr() == NR_RT_SIGRETURN) {
                sigreturn = true;
            } else if (sigreturn && ev instanceof Event.Exit x) {
                restored = x.result();
                break;
            }
        }
        if (restored == null) {
            throw diverge(t, CallText.of(t.call) + " interrupted by a signal whose handler never returned",
                    "(replay does not support it yet) " + CallText.actual(stop, e));
        }
        Regs regs = stop.regs();
        if (restored == -EINTR) {
            stop.emulate(-EINTR);
        } else {
            stop.setRegs(regs.withNr(-1).withRax(restored).withRip(regs.rip() - SYSCALL_INSN_LENGTH));
        }
    }

    private static boolean restartCode(long result) {
        return result <= -512 && result >= -516;
    }

    // ------------------------------------------------------------------ checks and effects

    private void check(ThreadState t, Event.Entry call, Stop stop, StopEvent.SyscallEntry e) {
        Syscall sc = SyscallTable.byNumber((int) e.nr()).orElse(null);
        long[] args = sc == null ? e.args() : Arrays.copyOf(e.args(), sc.argCount());
        boolean same = e.nr() == call.nr() && Arrays.equals(args, call.args());
        if (same && sc != null) {
            TraceeMemory mem = stop.memory();
            same = CallInputs.strings(sc, args, mem).equals(call.strings()) && CallInputs.crc(sc, args, mem) == call.inputCrc();
        }
        if (!same) {
            throw diverge(t, CallText.of(call), CallText.actual(stop, e));
        }
    }

    private void applyWrites(ThreadState t, TraceeMemory mem, Event.Exit result) {
        for (Event.Write w : result.writes()) {
            if (mem.write(w.address(), w.bytes(), 0, w.bytes().length) != w.bytes().length) {
                throw diverge(t, CallText.of(t.call) + " writes " + w.bytes().length + " bytes at 0x" + Long.toHexString(w.address()),
                        "that memory cannot be written");
            }
        }
    }

    /** mmap for real, where the recording has it (see {@link RealMapping}). */
    private void map(ThreadState t, Stop stop, Event.Entry call) {
        int i = next(t);
        Event.MappedFile file = t.mapped;
        t.mapped = null;
        if (i < 0 || !(events.get(i) instanceof Event.Exit result) || result.result() < 0 && result.result() >= -4095) {
            return; // a failed mmap is emulated like any call
        }
        RealMapping.Mismatch m = RealMapping.map(stop, call, file, result.result());
        if (m != null) {
            throw diverge(t, m.recorded(), m.actual());
        }
    }

    @Override
    public String toString() {
        return "Replayer[cursor " + cursor + "/" + events.size() + "]" + Objects.toString(divergence, "");
    }
}
