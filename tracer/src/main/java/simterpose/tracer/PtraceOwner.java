package simterpose.tracer;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.tinylog.Logger;

import simterpose.bindings.Errno;
import simterpose.bindings.ErrnoException;
import simterpose.bindings.LibC;
import simterpose.bindings.linux.cpu_set_t;
import simterpose.bindings.linux.sock_filter;
import simterpose.bindings.linux.sock_fprog;
import simterpose.bindings.linux.user_regs_struct;
import simterpose.tracer.events.StopEvent;
import simterpose.tracer.launch.Spawn;
import simterpose.tracer.memory.ProcessVmMemory;
import simterpose.tracer.seccomp.BpfProgram;

import static simterpose.tracer.Ptrace.*;

/**
 * The ptrace owner: one platform thread that makes every ptrace and waitpid call.
 *
 * <p><b>Implementation overview.</b> The kernel accepts ptrace requests on a tracee only from
 * the thread that attached it, and a wait in another thread could steal its stops. So:
 * <ul>
 * <li>Only the owner thread ({@link #thread}) spawns tracees, seizes, calls ptrace and
 *     {@code waitpid(-1, __WALL|__WNOTHREAD)}. Every field below the "owner-thread state" line
 *     is read and written by it alone.</li>
 * <li>Other threads ask through {@link #post}: a {@link Request} record goes into
 *     {@link #requests}; if the owner is blocked in waitpid ({@link #inWait}), the poster rings
 *     the doorbell: a SIGWINCH to a seized {@code sleep} child, whose signal stop makes the
 *     owner's waitpid return. The owner drains requests before every wait.</li>
 * <li>Stops become {@link StopEvent}s wrapped in a {@link Stop}, and the handler runs right
 *     here, on the owner thread: the thread resumes as soon as it returns. A handler that
 *     cannot decide yet answers {@link Resume#DEFERRED}; the thread stays stopped (the others
 *     go on) until some thread gives the verdict with {@link Stop#resume}, which comes back as a
 *     {@link Request.Decide}. When every tracee awaits a verdict the owner parks on the request
 *     queue instead of waitpid (no doorbell needed). There is no thread per tracee: handing a
 *     stop to a virtual thread and its verdict back cost 2-4 times an inline stop here
 *     (bin/bench-tracer; the figures are in ARCHITECTURE.md).</li>
 * <li>Register changes travel inside the Stop and are applied here (SETREGS) on resume;
 *     memory goes through process_vm_readv/writev from whichever thread handles the stop.</li>
 * <li>Launched tracees carry PTRACE_O_EXITKILL: if this thread (or the JVM) dies, the kernel
 *     kills them. Close kills the launched process groups and detaches attached processes.</li>
 * </ul>
 */
final class PtraceOwner {
    /** What other threads may ask of the owner. */
    sealed interface Request {
        record Launch(LaunchSpec spec, Path program, List<String> envp, StopHandler handler,
                      CompletableFuture<Tracee> result) implements Request {}
        record Attach(int pid, StopHandler handler, CompletableFuture<Tracee> result) implements Request {}
        /** The verdict of a stop its handler answered {@link Resume#DEFERRED}. */
        record Decide(Tid tid, Stop stop, Resume resume) implements Request {}
        record Inject(Tid tid, Stop stop, long nr, long[] args, CompletableFuture<Long> result) implements Request {}
        record Poke(Stop stop, long address, byte[] bytes, CompletableFuture<Void> done) implements Request {}
        record Detach(Tracee tracee) implements Request {}
        record Kill(Tracee tracee) implements Request {}
        record Close(CompletableFuture<Void> done) implements Request {}
        /** Code the tracer's user runs on the owner thread (it may ptrace, launch and resume). */
        record Task(Runnable task) implements Request {}
    }

    /** personality(2): the argument that only queries, and the flag that turns ASLR off for new images. */
    private static final long QUERY_PERSONALITY = 0xffffffffL;
    private static final int ADDR_NO_RANDOMIZE = 0x0040000;

    private final TracerOptions options;
    private final byte[] filter;
    final Thread thread;
    private final LinkedBlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    private final AtomicBoolean inWait = new AtomicBoolean();
    private volatile int doorbellPid = -1;
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final long epochBase = System.currentTimeMillis() * 1_000_000L - System.nanoTime();

    // ---- owner-thread state ----
    private final Map<Integer, Tid> tids = new HashMap<>();
    /** Threads in {@link #tids} marked killed (their deaths are still to be reaped). */
    private int killedTids;
    /** Stops of auto-attached children that arrived before their parent's clone/fork event. */
    private final Map<Integer, Integer> earlyStops = new HashMap<>();
    private int pendingDecisions;
    private boolean closing;
    private CompletableFuture<Void> closed;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment status = arena.allocate(ValueLayout.JAVA_INT);
    private final MemorySegment regsBuffer = user_regs_struct.allocate(arena);
    private final MemorySegment eventMsg = arena.allocate(ValueLayout.JAVA_LONG);

    /** Owner-thread state of one traced thread. */
    static final class Tid {
        int tid;
        final Tracee tracee;
        boolean inSyscall;
        long entryNr;
        long[] entryArgs;
        /** The current syscall is not selected (Java-side filter) or its exit was not wanted. */
        boolean quietExit;
        boolean hiddenUntilExec;
        boolean newborn;
        boolean detachPending;
        boolean awaitingDecision;
        /** SIGKILL was sent: its death report will come through waitpid whatever its verdict. */
        boolean killed;
        boolean swallowSeccomp;
        Path launchPath;
        final List<Integer> deferredSignals = new ArrayList<>();

        Tid(int tid, Tracee tracee) {
            this.tid = tid;
            this.tracee = tracee;
        }
    }

    /** The tracee vanished during an owner-internal sequence (its death is already handled). */
    private static final class Gone extends RuntimeException {
        Gone() {
            super(null, null, false, false);
        }
    }

    PtraceOwner(TracerOptions options) {
        this.options = options;
        this.filter = options.syscalls() == null ? null : BpfProgram.tracing(options.syscalls());
        this.thread = Thread.ofPlatform().name("ptrace-owner").daemon(true).unstarted(this::run);
    }

    void start() {
        thread.start();
        started.join();
    }

    /**
     * Hands a request to the owner; callable from any thread. On the owner thread itself a
     * launch or attach is served at once (its caller waits for the result), anything else after
     * the current stop's handler returns.
     */
    void post(Request request) {
        if ((request instanceof Request.Launch || request instanceof Request.Attach) && onOwnerThread()) {
            serve(request);
            return;
        }
        requests.add(request);
        if (!thread.isAlive()) {
            // The owner is gone (closed or failed): nobody will serve it.
            if (requests.remove(request)) {
                refuse(request);
            }
            return;
        }
        if (inWait.getAndSet(false)) {
            int bell = doorbellPid;
            if (bell > 0) {
                try {
                    LibC.kill(bell, SIGWINCH);
                } catch (ErrnoException e) {
                    // the doorbell is gone only when the owner is shutting down
                }
            }
        }
    }

    boolean onOwnerThread() {
        return Thread.currentThread() == thread;
    }

    // ------------------------------------------------------------------ main loop

    private void run() {
        try {
            if (options.cpu() >= 0) {
                MemorySegment mask = cpu_set_t.allocate(arena);
                mask.set(ValueLayout.JAVA_LONG, (options.cpu() / 64) * 8L, 1L << (options.cpu() % 64));
                LibC.schedSetaffinity(0, cpu_set_t.sizeof(), mask);
            }
            if (options.noAslr()) {
                // personality is per thread and copied by clone: only what this thread spawns
                // gets it (and keeps it across its forks and execs); the JVM's layout is already fixed.
                LibC.personality(LibC.personality(QUERY_PERSONALITY) | ADDR_NO_RANDOMIZE);
            }
            int bell = Spawn.spawn(Path.of("/bin/sleep"), List.of("sleep", "2147483647"), List.of(),
                    null, Path.of("/dev/null"), Path.of("/dev/null"), null, true);
            LibC.ptrace(SEIZE, bell, 0, O_EXITKILL);
            doorbellPid = bell;
            started.complete(null);
        } catch (Throwable t) {
            started.completeExceptionally(t);
            return;
        }
        try {
            loop();
        } catch (Throwable t) {
            Logger.error(t, "ptrace owner failed; tracees with EXITKILL die with it");
            for (Tid t2 : tids.values()) {
                t2.tracee.exit.completeExceptionally(t);
            }
        } finally {
            int bell = doorbellPid;
            doorbellPid = -1;
            try {
                LibC.kill(bell, SIGKILL);
                LibC.waitpid(bell, status, WALL);
            } catch (ErrnoException ignored) {
                // already reaped
            }
            if (closed != null) {
                closed.complete(null);
            }
            for (Request r; (r = requests.poll()) != null; ) {
                refuse(r);
            }
        }
    }

    private void loop() {
        while (true) {
            drainRequests();
            if (closing && tids.isEmpty()) {
                return;
            }
            if (pendingDecisions > 0 && pendingDecisions == tids.size() && noneKilled()) {
                // Every tracee waits for a verdict: no stop can come, so wait for requests only.
                // (Not once one was killed: its death must still be reaped by waitpid.)
                awaitRequest();
                continue;
            }
            inWait.set(true);
            if (!requests.isEmpty()) {
                inWait.set(false);
                continue;
            }
            int pid;
            try {
                pid = LibC.waitpid(-1, status, WALL | WNOTHREAD);
            } catch (ErrnoException e) {
                inWait.set(false);
                if (e.errno() == Errno.EINTR) {
                    continue;
                }
                throw e;
            }
            inWait.set(false);
            handleWait(pid, status.get(ValueLayout.JAVA_INT, 0), System.nanoTime());
        }
    }

    /** No known thread was killed and not yet reaped (O(1): the loop asks at every turn with thousands of tracees). */
    private boolean noneKilled() {
        return killedTids == 0;
    }

    /** Drops a thread from {@link #tids}, keeping {@link #killedTids} right. */
    private Tid forget(int tid) {
        Tid t = tids.remove(tid);
        if (t != null && t.killed) {
            killedTids--;
        }
        return t;
    }

    /** Parks on the request queue (a verdict is sure to come). */
    private void awaitRequest() {
        try {
            serve(requests.take());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void drainRequests() {
        for (Request r; (r = requests.poll()) != null; ) {
            try {
                serve(r);
            } catch (RuntimeException e) {
                Logger.error(e, "request {} failed", r);
            }
        }
    }

    private void serve(Request request) {
        switch (request) {
            case Request.Launch l -> {
                try {
                    l.result().complete(launch(l));
                } catch (RuntimeException e) {
                    l.result().completeExceptionally(e);
                }
            }
            case Request.Attach a -> {
                try {
                    a.result().complete(attach(a.pid(), a.handler()));
                } catch (RuntimeException e) {
                    a.result().completeExceptionally(e);
                }
            }
            case Request.Decide d -> {
                if (d.tid().awaitingDecision) { // not if the thread died meanwhile (gone() counted it)
                    pendingDecisions--;
                    d.tid().awaitingDecision = false;
                }
                decided(d.tid(), d.stop(), d.resume());
            }
            case Request.Inject i -> {
                try {
                    i.result().complete(doInject(i.tid(), i.stop(), i.nr(), i.args()));
                } catch (RuntimeException e) {
                    i.result().completeExceptionally(e);
                }
            }
            case Request.Poke p -> {
                try {
                    doPoke(p.stop().tid(), p.address(), p.bytes());
                    p.done().complete(null);
                } catch (RuntimeException e) {
                    p.done().completeExceptionally(e);
                }
            }
            case Request.Task t -> t.task().run();
            case Request.Detach d -> detach(d.tracee());
            case Request.Kill k -> kill(k.tracee());
            case Request.Close c -> {
                closed = c.done();
                closing = true;
                Set<Tracee> trees = new HashSet<>();
                for (Tid t : tids.values()) {
                    trees.add(t.tracee);
                }
                for (Tracee tree : trees) {
                    if (tree.attached()) {
                        detach(tree);
                    } else {
                        kill(tree);
                    }
                }
            }
        }
    }

    private void refuse(Request r) {
        IllegalStateException closedError = new IllegalStateException("tracer is closed");
        switch (r) {
            case Request.Launch l -> l.result().completeExceptionally(closedError);
            case Request.Attach a -> a.result().completeExceptionally(closedError);
            case Request.Inject i -> i.result().completeExceptionally(closedError);
            case Request.Poke p -> p.done().completeExceptionally(closedError);
            case Request.Close c -> c.done().complete(null);
            default -> { }
        }
    }

    // ------------------------------------------------------------------ launch / attach

    private Tracee launch(Request.Launch l) {
        if (closing) {
            throw new IllegalStateException("tracer is closing");
        }
        LaunchSpec spec = l.spec();
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", "kill -STOP $$; exec \"$0\" \"$@\""));
        argv.add(l.program().toString());
        argv.addAll(spec.argv().subList(1, spec.argv().size()));
        int pid;
        try {
            pid = Spawn.spawn(Path.of("/bin/sh"), argv, l.envp(), spec.cwd(), spec.stdin(), spec.stdout(),
                    spec.stderr(), true);
        } catch (Spawn.SpawnException e) {
            throw new LaunchException("cannot run '" + spec.argv().getFirst() + "': " + e.getMessage(), e);
        }
        LibC.waitpid(pid, status, WUNTRACED);
        int st = status.get(ValueLayout.JAVA_INT, 0);
        if (!stopped(st)) {
            throw new LaunchException("cannot run '" + spec.argv().getFirst() + "': the launch shell ended early (status " + st + ")");
        }
        try {
            LibC.ptrace(SEIZE, pid, 0, FOLLOW_OPTIONS | O_EXITKILL);
            LibC.kill(pid, SIGCONT);
        } catch (ErrnoException e) {
            // Leave nothing behind: the shell is stopped and not traced.
            LibC.kill(pid, SIGKILL);
            LibC.waitpid(pid, status, 0);
            throw new LaunchException("cannot trace '" + spec.argv().getFirst() + "': " + e.getMessage(), e);
        }
        Tracee tracee = new Tracee(this, pid, false, l.handler(), filter != null);
        Tid t = new Tid(pid, tracee);
        t.hiddenUntilExec = true;
        t.launchPath = l.program();
        tids.put(pid, t);
        tracee.live = 1;
        return tracee;
    }

    private Tracee attach(int pid, StopHandler handler) {
        Path tasks = Path.of("/proc", Integer.toString(pid), "task");
        Tracee tracee = new Tracee(this, pid, true, handler, false);
        Set<Integer> seen = new HashSet<>();
        boolean found = true;
        while (found) {
            found = false;
            List<Integer> now;
            try (Stream<Path> s = Files.list(tasks)) {
                now = s.map(p -> Integer.parseInt(p.getFileName().toString())).toList();
            } catch (IOException e) {
                if (seen.isEmpty()) {
                    throw new LaunchException("cannot attach to pid " + pid + ": no such process");
                }
                break;
            }
            for (int tid : now) {
                if (!seen.add(tid)) {
                    continue;
                }
                try {
                    LibC.ptrace(SEIZE, tid, 0, FOLLOW_OPTIONS);
                    LibC.ptrace(INTERRUPT, tid, 0, 0);
                } catch (ErrnoException e) {
                    if (e.errno() == Errno.ESRCH && !tids.isEmpty()) {
                        continue;
                    }
                    if (tracee.live == 0) {
                        throw new LaunchException("cannot attach to pid " + pid + ": " + e.errnoName()
                                + " (" + Errno.describe(e.errno()) + ")");
                    }
                    continue;
                }
                Tid t = new Tid(tid, tracee);
                t.newborn = true;
                tids.put(tid, t);
                tracee.live++;
                found = true;
            }
        }
        return tracee;
    }

    // ------------------------------------------------------------------ stops

    private void handleWait(int pid, int st, long now) {
        if (pid == doorbellPid) {
            if (stopped(st)) {
                LibC.ptrace(CONT, pid, 0, 0);
            } else {
                doorbellPid = -1;
            }
            return;
        }
        Tid t = tids.get(pid);
        if (t == null) {
            if (stopped(st)) {
                earlyStops.put(pid, st);
            }
            return;
        }
        if (!stopped(st)) {
            gone(t, st, now);
            return;
        }
        int sig = stopSignal(st);
        int event = event(st);
        if (t.detachPending) {
            detachNow(t, event == 0 && sig != SYSCALL_STOP ? sig : 0);
            return;
        }
        if (t.swallowSeccomp) {
            t.swallowSeccomp = false;
            if (event == EVENT_SECCOMP) {
                ptraceQuiet(SYSCALL, t.tid, 0);
                return;
            }
        }
        if (t.newborn && event == EVENT_STOP) {
            t.newborn = false;
            restart(t, 0);
            return;
        }
        if (t.hiddenUntilExec) {
            if (event == EVENT_EXEC) {
                startAfterExec(t, now);
            } else {
                ptraceQuiet(CONT, t.tid, event == 0 && !isStopSignal(sig) ? sig : 0);
            }
            return;
        }
        if (sig == SYSCALL_STOP) {
            syscallStop(t, now);
            return;
        }
        switch (event) {
            case EVENT_SECCOMP -> {
                Regs regs = getRegs(t.tid);
                t.inSyscall = true;
                t.quietExit = false;
                t.entryNr = regs.nr();
                t.entryArgs = regs.args();
                dispatch(t, new StopEvent.SyscallEntry(t.tid, now, regs.nr(), t.entryArgs, true), regs, now);
            }
            case EVENT_EXEC -> exec(t, now);
            case EVENT_CLONE, EVENT_FORK, EVENT_VFORK -> newChild(t, event, now);
            case EVENT_STOP -> {
                if (isStopSignal(sig)) {
                    dispatch(t, new StopEvent.GroupStop(t.tid, now, sig), null, now);
                } else {
                    restart(t, 0); // PTRACE_INTERRUPT or the end of a LISTEN
                }
            }
            case 0 -> dispatch(t, new StopEvent.SignalDelivery(t.tid, now, sig), null, now);
            default -> restart(t, 0);
        }
    }

    private void syscallStop(Tid t, long now) {
        Regs regs = getRegs(t.tid);
        if (!t.inSyscall) {
            t.inSyscall = true;
            t.entryNr = regs.nr();
            if (!options.selects(regs.nr())) {
                t.quietExit = true;
                ptraceQuiet(SYSCALL, t.tid, 0);
                return;
            }
            t.quietExit = false;
            t.entryArgs = regs.args();
            dispatch(t, new StopEvent.SyscallEntry(t.tid, now, regs.nr(), t.entryArgs, false), regs, now);
        } else {
            t.inSyscall = false;
            if (t.quietExit) {
                t.quietExit = false;
                restart(t, 0);
                return;
            }
            long rax = regs.rax();
            boolean restarting = rax <= -Errno.ERESTARTSYS && rax >= -Errno.ERESTART_RESTARTBLOCK;
            dispatch(t, new StopEvent.SyscallExit(t.tid, now, t.entryNr,
                    t.entryArgs != null ? t.entryArgs : regs.args(), rax, restarting), regs, now);
        }
    }

    private void exec(Tid t, long now) {
        int former = (int) eventMessage(t.tid);
        if (former != t.tid) {
            Tid execer = forget(former);
            if (execer != null) {
                // The old leader vanished without an exit report; the execing thread takes its tid.
                forget(t.tid);
                t.tracee.live--;
                if (t.awaitingDecision) { // its verdict will never be asked for: stop counting it
                    t.awaitingDecision = false;
                    pendingDecisions--;
                }
                execer.tid = t.tid;
                tids.put(execer.tid, execer);
                if (execer.killed) {
                    killedTids++; // still to be reaped, under its new tid
                }
                t = execer;
            }
        }
        dispatch(t, new StopEvent.Exec(t.tid, now, former, exePath(t.tid)), execRegs(t), now);
    }

    /**
     * The registers at an exec stop (rsp points at the new image's argc, so handlers can find its
     * auxv), after hiding the vDSO if {@link TracerOptions#hideVdso()}; null if the thread is gone.
     */
    private Regs execRegs(Tid t) {
        try {
            Regs regs = getRegs(t.tid);
            if (options.hideVdso()) {
                Auxv.hideVdso(new ProcessVmMemory(t.tid), regs.rsp());
            }
            return regs;
        } catch (ErrnoException e) {
            if (e.errno() != Errno.ESRCH) {
                throw e;
            }
            return null;
        }
    }

    private void startAfterExec(Tid t, long now) {
        t.hiddenUntilExec = false;
        try {
            stepToSyscallStop(t); // execve's exit stop: the new image is in place
            if (t.tracee.kernelFiltered) {
                installFilter(t);
            }
        } catch (Gone g) {
            return;
        }
        t.inSyscall = false;
        reraiseDeferred(t);
        dispatch(t, new StopEvent.Exec(t.tid, now, t.tid, t.launchPath.toString()), execRegs(t), now);
    }

    private void newChild(Tid parent, int event, long now) {
        int child = (int) eventMessage(parent.tid);
        if (!tids.containsKey(child)) {
            Tid c = new Tid(child, parent.tracee);
            c.newborn = true;
            tids.put(child, c);
            parent.tracee.live++;
        }
        StopEvent.NewChild.Kind kind = switch (event) {
            case EVENT_FORK -> StopEvent.NewChild.Kind.FORK;
            case EVENT_VFORK -> StopEvent.NewChild.Kind.VFORK;
            default -> StopEvent.NewChild.Kind.CLONE;
        };
        dispatch(parent, new StopEvent.NewChild(parent.tid, now, child, kind), null, now);
        Integer early = earlyStops.remove(child);
        if (early != null) {
            handleWait(child, early, now);
        }
    }

    private void gone(Tid t, int st, long now) {
        forget(t.tid);
        Tracee tree = t.tracee;
        tree.live--;
        StopEvent ev;
        if (exited(st)) {
            ev = new StopEvent.Exited(t.tid, now, exitCode(st));
            if (t.tid == tree.pid()) {
                tree.rootStatus = new ExitStatus.Exited(exitCode(st));
            }
        } else {
            ev = new StopEvent.Killed(t.tid, now, termSignal(st), (st & 0x80) != 0);
            if (t.tid == tree.pid()) {
                tree.rootStatus = new ExitStatus.Killed(termSignal(st));
            }
        }
        if (t.awaitingDecision) {
            t.awaitingDecision = false;
            pendingDecisions--;
        }
        dispatch(t, ev, null, now);
    }

    // ------------------------------------------------------------------ dispatch and resume

    private void dispatch(Tid t, StopEvent event, Regs regs, long now) {
        boolean gone = event instanceof StopEvent.Exited || event instanceof StopEvent.Killed;
        Stop stop = new Stop(this, t.tracee, event, regs, epochBase + now, gone && t.tracee.live == 0);
        stop.tid = t;
        Resume r = callHandler(t.tracee, stop);
        if (gone) {
            if (stop.lastOfTree) {
                complete(t.tracee);
            }
        } else if (r == Resume.DEFERRED) {
            // Stop.resume() posts the verdict; it is served after this returns.
            t.awaitingDecision = true;
            pendingDecisions++;
        } else {
            decided(t, stop, r);
        }
    }

    private static Resume callHandler(Tracee tracee, Stop stop) {
        try {
            Resume r = tracee.handler.onStop(stop);
            return r == null ? Resume.CONTINUE : r;
        } catch (Throwable e) {
            Logger.error(e, "stop handler failed at {}", stop);
            return Resume.CONTINUE;
        }
    }

    private static void complete(Tracee tree) {
        tree.exit.complete(tree.rootStatus != null ? tree.rootStatus : new ExitStatus.Detached());
    }

    private void decided(Tid t, Stop stop, Resume r) {
        if (tids.get(t.tid) != t) {
            return; // it died (or was detached) while the handler ran
        }
        try {
            if (stop.regsChanged()) {
                setRegs(t.tid, stop.regs());
            }
            if (t.detachPending) {
                int sig = stop.event() instanceof StopEvent.SignalDelivery s && r != Resume.SUPPRESS_SIGNAL ? s.signal() : 0;
                detachNow(t, sig);
                return;
            }
            switch (stop.event()) {
                case StopEvent.GroupStop g -> LibC.ptrace(LISTEN, t.tid, 0, 0);
                case StopEvent.SignalDelivery s -> restart(t, r == Resume.SUPPRESS_SIGNAL ? 0 : s.signal());
                case StopEvent.SyscallEntry e when r == Resume.NO_EXIT_STOP -> {
                    if (t.tracee.kernelFiltered) {
                        t.inSyscall = false;
                    } else {
                        t.quietExit = true;
                    }
                    restart(t, 0);
                }
                default -> restart(t, 0);
            }
        } catch (ErrnoException e) {
            if (e.errno() != Errno.ESRCH) {
                throw e;
            }
        }
    }

    /** PTRACE_SYSCALL when the exit stop is wanted or everything is traced, else PTRACE_CONT. */
    private void restart(Tid t, int sig) {
        int request = t.tracee.kernelFiltered && !t.inSyscall ? CONT : SYSCALL;
        ptraceQuiet(request, t.tid, sig);
    }

    private void ptraceQuiet(int request, int tid, int sig) {
        try {
            LibC.ptrace(request, tid, 0, sig);
        } catch (ErrnoException e) {
            if (e.errno() != Errno.ESRCH) {
                throw e;
            }
        }
    }

    // ------------------------------------------------------------------ detach / kill

    private void detach(Tracee tree) {
        tree.detaching = true;
        for (Tid t : List.copyOf(tids.values())) {
            if (t.tracee == tree && !t.detachPending) {
                t.detachPending = true;
                if (!t.awaitingDecision) {
                    ptraceQuiet(INTERRUPT, t.tid, 0);
                }
            }
        }
    }

    private void detachNow(Tid t, int sig) {
        ptraceQuiet(DETACH, t.tid, sig);
        forget(t.tid);
        if (--t.tracee.live == 0) {
            complete(t.tracee);
        }
    }

    private void kill(Tracee tree) {
        if (!tree.attached()) {
            try {
                LibC.kill(-tree.pid(), SIGKILL); // the launched process group
            } catch (ErrnoException ignored) {
                // the group is already empty
            }
        }
        for (Tid t : tids.values()) {
            if (t.tracee == tree) {
                if (!t.killed) {
                    killedTids++;
                }
                t.killed = true;
                try {
                    LibC.kill(t.tid, SIGKILL);
                } catch (ErrnoException ignored) {
                    // already dead
                }
            }
        }
    }

    // ------------------------------------------------------------------ registers, memory, events

    Regs getRegs(int tid) {
        LibC.ptrace(GETREGS, tid, 0, regsBuffer.address());
        long[] words = new long[Regs.WORDS];
        MemorySegment.copy(regsBuffer, ValueLayout.JAVA_LONG, 0, words, 0, Regs.WORDS);
        return new Regs(words);
    }

    void setRegs(int tid, Regs regs) {
        regs.copyTo(regsBuffer);
        LibC.ptrace(SETREGS, tid, 0, regsBuffer.address());
    }

    private long eventMessage(int tid) {
        LibC.ptrace(GETEVENTMSG, tid, 0, eventMsg.address());
        return eventMsg.get(ValueLayout.JAVA_LONG, 0);
    }

    private static String exePath(int tid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Integer.toString(tid), "exe")).toString();
        } catch (IOException e) {
            return "?";
        }
    }

    /**
     * Resumes {@code t} with PTRACE_SYSCALL until its next syscall stop, inside an owner-internal
     * sequence. Signals arriving meanwhile are held and re-raised afterwards.
     */
    private void stepToSyscallStop(Tid t) {
        while (true) {
            LibC.ptrace(SYSCALL, t.tid, 0, 0);
            int pid = LibC.waitpid(t.tid, status, WALL);
            int st = status.get(ValueLayout.JAVA_INT, 0);
            if (!stopped(st)) {
                gone(t, st, System.nanoTime());
                throw new Gone();
            }
            int sig = stopSignal(st);
            if (sig == SYSCALL_STOP) {
                return;
            }
            if (event(st) == 0 && pid == t.tid) {
                t.deferredSignals.add(sig);
            }
        }
    }

    private void reraiseDeferred(Tid t) {
        for (int sig : t.deferredSignals) {
            try {
                LibC.kill(t.tid, sig);
            } catch (ErrnoException ignored) {
                // gone
            }
        }
        t.deferredSignals.clear();
    }

    /**
     * Installs the seccomp filter from inside the tracee, stopped at its execve exit: writes a
     * {@code syscall} instruction at rip and the BPF program below the red zone, runs
     * prctl(PR_SET_NO_NEW_PRIVS) and seccomp(SET_MODE_FILTER) there, then restores code and
     * registers.
     */
    private void installFilter(Tid t) {
        int tid = t.tid;
        Regs saved = getRegs(tid);
        long rip = saved.rip();
        long word = LibC.ptracePeek(PEEKTEXT, tid, rip);
        LibC.ptrace(POKETEXT, tid, rip, (word & ~0xffffL) | 0x050fL); // 0f 05 = syscall
        try {
            long r = runSyscall(t, saved, rip, NR_PRCTL, PR_SET_NO_NEW_PRIVS, 1, 0);
            if (r != 0) {
                throw new IllegalStateException("prctl(PR_SET_NO_NEW_PRIVS) in tracee " + tid + " returned " + r);
            }
            long program = (saved.rsp() - 128 - filter.length) & ~15L; // below the red zone
            long fprog = program - 16;
            MemorySegment header = MemorySegment.ofArray(new long[(int) (sock_fprog.sizeof() / 8)]);
            sock_fprog.len(header, (short) (filter.length / sock_filter.sizeof()));
            sock_fprog.filter(header, MemorySegment.ofAddress(program));
            byte[] headerBytes = header.toArray(ValueLayout.JAVA_BYTE);
            ProcessVmMemory mem = new ProcessVmMemory(tid);
            if (mem.write(program, filter, 0, filter.length) != filter.length
                    || mem.write(fprog, headerBytes, 0, headerBytes.length) != headerBytes.length) {
                throw new IllegalStateException("cannot write the seccomp program below rsp in tracee " + tid);
            }
            r = runSyscall(t, saved, rip, NR_SECCOMP, SECCOMP_SET_MODE_FILTER, 0, fprog);
            if (r != 0) {
                throw new IllegalStateException("seccomp(SET_MODE_FILTER) in tracee " + tid + " returned " + r);
            }
        } finally {
            LibC.ptrace(POKETEXT, tid, rip, word);
            setRegs(tid, saved);
        }
    }

    /** From a syscall-exit stop: runs one syscall at {@code at} (a syscall instruction), returns rax. */
    private long runSyscall(Tid t, Regs base, long at, long nr, long a0, long a1, long a2) {
        Regs r = base.withRip(at).withRax(nr).withNr(-1).withArg(0, a0).withArg(1, a1).withArg(2, a2);
        setRegs(t.tid, r);
        stepToSyscallStop(t); // entry
        stepToSyscallStop(t); // exit
        return getRegs(t.tid).rax();
    }

    // ------------------------------------------------------------------ read-only memory

    void poke(Stop stop, long address, byte[] bytes) {
        if (onOwnerThread()) {
            doPoke(stop.tid(), address, bytes);
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        post(new Request.Poke(stop, address, bytes, done));
        done.join();
    }

    /** Read-modify-write of whole aligned words, so bytes around the patch are kept. */
    private void doPoke(int tid, long address, byte[] bytes) {
        long first = address & ~7L;
        long end = address + bytes.length;
        for (long word = first; word < end; word += 8) {
            long value = LibC.ptracePeek(PEEKTEXT, tid, word);
            for (int i = 0; i < 8; i++) {
                long at = word + i;
                if (at >= address && at < end) {
                    long b = bytes[(int) (at - address)] & 0xffL;
                    value = (value & ~(0xffL << (8 * i))) | (b << (8 * i));
                }
            }
            LibC.ptrace(POKETEXT, tid, word, value);
        }
    }

    // ------------------------------------------------------------------ injection

    long inject(Stop stop, long nr, long[] args) {
        Tid t = null;
        if (onOwnerThread()) {
            t = tids.get(stop.tid());
            return doInject(t, stop, nr, args);
        }
        CompletableFuture<Long> result = new CompletableFuture<>();
        post(new Request.Inject(null, stop, nr, args, result));
        return result.join();
    }

    private long doInject(Tid t, Stop stop, long nr, long[] args) {
        if (t == null) {
            t = tids.get(stop.tid());
            if (t == null) {
                throw new IllegalStateException("thread " + stop.tid() + " is gone");
            }
        }
        Regs saved = stop.regs();
        Regs call = saved.withNr(nr);
        for (int i = 0; i < args.length; i++) {
            call = call.withArg(i, args[i]);
        }
        setRegs(t.tid, call);
        stepToSyscallStop(t); // the injected call's exit
        long result = getRegs(t.tid).rax();
        // Back to the syscall instruction: re-entering gives a PTRACE_SYSCALL entry stop
        // (reported before seccomp runs) with the original registers.
        setRegs(t.tid, saved.withRip(saved.rip() - 2).withRax(saved.nr()));
        stepToSyscallStop(t);
        if (t.tracee.kernelFiltered) {
            t.swallowSeccomp = true; // the filter will trace the re-entered call once more
        }
        reraiseDeferred(t);
        return result;
    }
}
