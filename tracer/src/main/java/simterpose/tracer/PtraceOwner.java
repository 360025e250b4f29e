package simterpose.tracer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import org.tinylog.Logger;

import simterpose.bindings.Errno;
import simterpose.bindings.ErrnoException;
import simterpose.bindings.LibC;
import simterpose.tracer.events.StopEvent;
import simterpose.tracer.launch.Spawn;
import simterpose.tracer.seccomp.BpfProgram;

import static simterpose.tracer.Ptrace.*;

/**
 * The ptrace owner: one platform thread that makes every ptrace and waitpid call.
 *
 * <p><b>Implementation overview.</b> The kernel accepts ptrace requests on a tracee only from
 * the thread that attached it, and a wait in another thread could steal its stops. So:
 * <ul>
 * <li>Only the owner thread ({@link #thread}) seizes, calls ptrace and
 *     {@code waitpid(-1, __WALL|__WNOTHREAD)}. Launch shells are spawned and watched until they
 *     stop themselves by {@link ShellSpawner}'s two threads (so that they are not the owner
 *     thread's children, which its waits would walk twice); the owner seizes each when told
 *     and does not wait for it meanwhile, so launches overlap. Every field below the "owner-thread state" line
 *     is read and written by it alone, and so are the package-private pieces it is made of,
 *     which only this class creates and only its loop calls:
 *     {@link Launcher} (launch and attach), {@link WaitDecoder} (a waitpid status → a
 *     {@link StopEvent}), {@link StopDispatch} (the handler call and the resuming request),
 *     {@link ExecSetup} (seccomp filter injection and vDSO hiding at exec),
 *     {@link SyscallInjector} (syscalls run inside a tracee, POKEDATA), on top of
 *     {@link PtraceCalls} (the calls and their native buffers) and {@link TracedThreads}
 *     (the table of traced threads).</li>
 * <li>Other threads ask through {@link #post}: a {@link Request} record goes into
 *     {@link #requests}; if the owner is blocked in waitpid ({@link #inWait}), the poster rings
 *     the doorbell: a SIGWINCH to a seized {@code sleep} child, whose signal stop makes the
 *     owner's waitpid return. The owner drains requests before every wait.</li>
 * <li>With notified calls ({@link TracerOptions#notified()}), once the first filter's listener
 *     is taken the owner waits in {@link Notifications#pollOnce} instead (listeners, and an
 *     eventfd that a stop-watcher thread and posters ring), still making every ptrace and
 *     waitpid call itself; without them this loop is unchanged.</li>
 * <li>Stops become {@link StopEvent}s wrapped in a {@link Stop}, and the handler runs right
 *     here, on the owner thread: the thread resumes as soon as it returns. A handler that
 *     cannot decide yet answers {@link Resume#DEFERRED}; the thread stays stopped (the others
 *     go on) until some thread gives the verdict with {@link Stop#resume}, which comes back as a
 *     {@link Request.Decide} — or, given on this thread while the stop's own handler still runs
 *     (the simulator's engine reached that thread's turn), is applied as the handler returns. When every tracee awaits a verdict the owner parks on the request
 *     queue instead of waitpid (no doorbell needed). There is no thread per tracee: handing a
 *     stop to a virtual thread and its verdict back cost 2-3 times an inline stop on this
 *     2-CPU VM (bin/bench-tracer 50000, pinned, entry only: 25.9 µs against 8.8 inline; a
 *     jdk.internal.vm.Continuation per tid run on this thread, 9.4).</li>
 * <li>A syscall stop reads the registers (PTRACE_GETREGS) for the handler, except for a handler
 *     that asks for them on demand ({@link StopHandler#registersOnDemand}, {@code trace}): then
 *     PTRACE_GET_SYSCALL_INFO gives number, arguments and result, and a handler that needs nothing
 *     at an entry ({@link StopHandler#entriesAtExit}) gets it at the exit stop, whose one GETREGS
 *     serves both; {@link StopHandler#afterStop} runs once the thread resumed (trace prints there).</li>
 * <li>Register changes travel inside the Stop and are applied here on resume (an emulated
 *     answer alone as two POKEUSER words, other changes with SETREGS);
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
        record Inject(Stop stop, long nr, long[] args, CompletableFuture<Long> result) implements Request {}
        record Poke(Stop stop, long address, byte[] bytes, CompletableFuture<Void> done) implements Request {}
        record Detach(Tracee tracee) implements Request {}
        record Kill(Tracee tracee) implements Request {}
        record Close(CompletableFuture<Void> done) implements Request {}
        /** {@link Tracer#interrupt}: stop a running thread with PTRACE_INTERRUPT. */
        record Interrupt(int tid, CompletableFuture<Boolean> sent) implements Request {}
        /** Code the tracer's user runs on the owner thread (it may ptrace, launch and resume). */
        record Task(Runnable task) implements Request {}
    }

    /** personality(2): the argument that only queries, and the flag that turns ASLR off for new images. */
    private static final long QUERY_PERSONALITY = 0xffffffffL;
    private static final int ADDR_NO_RANDOMIZE = 0x0040000;

    private final TracerOptions options;
    final Thread thread;
    private final LinkedBlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    private final AtomicBoolean inWait = new AtomicBoolean();
    /** The owner waits in {@link Notifications#pollOnce}, not in waitpid: a request rings its eventfd, not the doorbell. */
    private volatile boolean polling;
    private volatile int doorbellPid = -1;
    /** With {@code ownPids}: the namespace launches go into, or null when the machine refused it ({@link #ownPidsRefused}). */
    private PidNamespace pidNamespace;
    private volatile String ownPidsRefused;
    private final CompletableFuture<Void> started = new CompletableFuture<>();

    // ---- owner-thread state ----
    private final Arena arena = Arena.ofShared();
    private final TracedThreads threads = new TracedThreads();
    private final PtraceCalls calls;
    private final StopDispatch dispatch;
    private final SyscallInjector injector;
    private final WaitDecoder decoder;
    private final Launcher launcher;
    private final ShellSpawner spawner;
    /** Seccomp user notification, when options name notified calls; else null (the waitpid loop only). */
    private final Notifications notifications;
    private boolean closing;
    private CompletableFuture<Void> closed;

    /**
     * glibc's cpu_set_t: 1024 bits. A constant, not jextract's layout class, whose VarHandle
     * costs about 10 ms of every run's start (RegsTest checks it against the layout).
     */
    static final long CPU_SET_BYTES = 128;

    PtraceOwner(TracerOptions options) {
        this.options = options;
        byte[] filter = options.syscalls() == null ? null
                : BpfProgram.tracing(options.syscalls(), options.notified(), options.refuseForeignAbis());
        this.thread = Thread.ofPlatform().name("ptrace-owner").daemon(true).unstarted(this::run);
        this.calls = new PtraceCalls(arena, thread);
        this.notifications = options.notified().isEmpty() ? null : new Notifications(arena, threads, calls);
        this.dispatch = new StopDispatch(this, threads, calls, notifications);
        if (notifications != null) {
            notifications.dispatchTo(dispatch);
        }
        this.injector = new SyscallInjector(threads, calls, dispatch);
        ExecSetup execSetup = new ExecSetup(options, filter, calls, injector, dispatch, notifications);
        this.decoder = new WaitDecoder(options, threads, calls, dispatch, execSetup, notifications);
        this.spawner = new ShellSpawner(this::shellStatus);
        this.launcher = new Launcher(this, threads, calls, dispatch, spawner, filter != null);
    }

    void start() {
        thread.start();
        try {
            started.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /**
     * Hands a request to the owner; callable from any thread. On the owner thread itself a
     * launch or attach is served at once (its caller waits for the result), anything else after
     * the current stop's handler returns.
     */
    void post(Request request) {
        if (request instanceof Request.Launch l && onOwnerThread()) {
            launchInline(l);
            return;
        }
        if (request instanceof Request.Attach && onOwnerThread()) {
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
            if (polling) {
                notifications.wake();
                return;
            }
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

    boolean alive() {
        return thread.isAlive();
    }

    boolean onOwnerThread() {
        return Thread.currentThread() == thread;
    }

    /** A launch shell stopped itself or ended (from {@link ShellSpawner}'s watcher): the owner seizes it. */
    private void shellStatus(int pid, int status) {
        post(new Request.Task(() -> launcher.shellReported(pid, status)));
    }

    /** {@link Stop#injectSyscall}: on the owner thread at once, else through a request. */
    long inject(Stop stop, long nr, long[] args) {
        if (onOwnerThread()) {
            return injector.inject(stop, nr, args);
        }
        CompletableFuture<Long> result = new CompletableFuture<>();
        post(new Request.Inject(stop, nr, args, result));
        return result.join();
    }

    /** {@link Stop#writeReadOnly}: on the owner thread at once, else through a request. */
    void poke(Stop stop, long address, byte[] bytes) {
        if (onOwnerThread()) {
            injector.poke(stop.tid(), address, bytes);
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        post(new Request.Poke(stop, address, bytes, done));
        done.join();
    }

    /** {@link Stop#regs()} at a signal-delivery stop: owner thread only (the caller checks). */
    Regs registers(int tid) {
        return calls.getRegs(tid);
    }

    /** {@link Stop#siginfo()}: owner thread only (the caller checks). */
    SignalInfo siginfo(int tid) {
        return calls.getSiginfo(tid);
    }

    // ------------------------------------------------------------------ main loop

    private void run() {
        try {
            if (options.cpu() >= 0) {
                MemorySegment mask = arena.allocate(CPU_SET_BYTES, 8);
                mask.set(ValueLayout.JAVA_LONG, (options.cpu() / 64) * 8L, 1L << (options.cpu() % 64));
                LibC.schedSetaffinity(0, CPU_SET_BYTES, mask);
            }
            if (options.noAslr()) {
                // personality is per thread and copied by clone: only what this thread spawns
                // gets it (and keeps it across its forks and execs); the JVM's layout is already fixed.
                LibC.personality(LibC.personality(QUERY_PERSONALITY) | ADDR_NO_RANDOMIZE);
            }
            int bell = Spawn.spawn(Path.of("/bin/sleep"), List.of("sleep", "2147483647"), List.of(),
                    null, Path.of("/dev/null"), Path.of("/dev/null"), null, true);
            try {
                calls.ptrace(SEIZE, bell, 0, O_EXITKILL);
            } catch (ErrnoException e) {
                // e.g. this JVM runs under strace -f or gdb, whose tracer took the child first:
                // end the doorbell (it must not outlive us) and say so in one line
                LibC.kill(bell, SIGKILL);
                calls.waitpid(bell, WALL);
                throw new LaunchException("cannot trace programs: ptrace(PTRACE_SEIZE) fails with " + e.errnoName()
                        + " (is simterpose itself run under strace, gdb or another tracer? a process has one tracer at most;"
                        + " or kernel.yama.ptrace_scope is 3)");
            }
            doorbellPid = bell;
            if (options.ownPids()) {
                try {
                    pidNamespace = PidNamespace.create(calls);
                    launcher.launchInto(pidNamespace);
                } catch (LaunchException e) {
                    ownPidsRefused = e.getMessage();
                }
            }
            spawner.start();
            started.complete(null);
        } catch (Throwable t) {
            started.completeExceptionally(t);
            return;
        }
        try {
            loop();
        } catch (Throwable t) {
            Logger.error(t, "ptrace owner failed; tracees with EXITKILL die with it");
            for (Tid t2 : threads.all()) {
                t2.tracee.exit.completeExceptionally(t);
            }
        } finally {
            if (pidNamespace != null) {
                pidNamespace.close(calls);
            }
            int bell = doorbellPid;
            doorbellPid = -1;
            try {
                LibC.kill(bell, SIGKILL);
                calls.waitpid(bell, WALL);
            } catch (ErrnoException ignored) {
                // already reaped
            }
            if (notifications != null) {
                notifications.close();
            }
            if (closed != null) {
                closed.complete(null);
            }
            for (Request r; (r = requests.poll()) != null; ) {
                refuse(r);
            }
        }
    }

    /**
     * One {@link #turn} per stop. The turn is a method of its own because the JIT compiles a
     * method after a few thousand calls, while a loop entered once waits for on-stack replacement
     * (tens of thousands of iterations more): inlined here, the turn ran interpreted for a whole
     * trace (≈ 0.5 µs per stop).
     */
    private void loop() {
        while (turn()) {
            // the turn did the work
        }
    }

    /** Waits for and handles one report or request; false once closing and no tracee is left. */
    private boolean turn() {
        drainRequests();
        if (closing && threads.isEmpty()) {
            return false;
        }
        if (threads.allAwaitVerdicts()) {
            // No stop can come: wait for requests only.
            awaitRequest();
            return true;
        }
        if (notifications != null && notifications.active()) {
            polling = true;
            inWait.set(true);
            if (!requests.isEmpty()) {
                inWait.set(false);
                return true;
            }
            notifications.pollOnce(this::reapReadyStops);
            inWait.set(false);
            return true;
        }
        if (options.spinNanos() > 0 && spinForAStop()) {
            return true;
        }
        inWait.set(true);
        if (!requests.isEmpty()) {
            inWait.set(false);
            return true;
        }
        int pid;
        try {
            pid = calls.waitpid(-1, WALL | WNOTHREAD);
        } catch (ErrnoException e) {
            inWait.set(false);
            if (e.errno() == Errno.EINTR) {
                return true;
            }
            throw e;
        }
        inWait.set(false);
        onReport(pid);
        return true;
    }

    /** A report waitpid returned (its status in {@code calls}): the doorbell's, or a tracee's. */
    private void onReport(int pid) {
        int st = calls.status();
        if (pid == doorbellPid) {
            doorbellRang(pid, st);
        } else {
            decoder.onWait(pid, st, System.nanoTime());
        }
    }

    /**
     * Polls for a stop for up to {@link TracerOptions#spinNanos} before the blocking wait: whether
     * one (or a request) came. The doorbell is not needed meanwhile: requests are looked at here.
     */
    private boolean spinForAStop() {
        long until = System.nanoTime() + options.spinNanos();
        do {
            if (!requests.isEmpty()) {
                return true;
            }
            int pid;
            try {
                pid = calls.waitpid(-1, WALL | WNOTHREAD | WNOHANG);
            } catch (ErrnoException e) {
                return false;
            }
            if (pid > 0) {
                onReport(pid);
                return true;
            }
            Thread.onSpinWait();
        } while (System.nanoTime() < until);
        return false;
    }

    /** In poll mode: reaps every report ready (waitpid WNOHANG); whether there was any. */
    private boolean reapReadyStops() {
        boolean any = false;
        while (true) {
            int pid;
            try {
                pid = calls.waitpid(-1, WALL | WNOTHREAD | WNOHANG);
            } catch (ErrnoException e) {
                if (e.errno() == Errno.EINTR) {
                    continue;
                }
                if (e.errno() == Errno.ECHILD) {
                    return any;
                }
                throw e;
            }
            if (pid == 0) {
                return any;
            }
            any = true;
            onReport(pid);
        }
    }

    /** {@link Tracer#hasUncollectedStop}'s notification half: owner thread. */
    boolean notificationPending(int tid) {
        return notifications != null && notifications.pendingFor(tid);
    }

    /** Seccomp notifications answered so far (0 without notified calls); owner thread. */
    long notificationsAnswered() {
        return notifications == null ? 0 : notifications.answered();
    }

    /** Why tracees get this machine's pids although {@code ownPids} was asked for, or null. */
    String ownPidsRefused() {
        return ownPidsRefused;
    }

    private void doorbellRang(int pid, int st) {
        if (stopped(st)) {
            calls.ptrace(CONT, pid, 0, 0);
        } else {
            doorbellPid = -1;
        }
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
                    if (closing) {
                        throw new IllegalStateException("tracer is closing");
                    }
                    launcher.launch(l, l.result()); // completed once the shell is seized
                } catch (RuntimeException e) {
                    l.result().completeExceptionally(e);
                }
            }
            case Request.Attach a -> {
                try {
                    a.result().complete(launcher.attach(a.pid(), a.handler()));
                } catch (RuntimeException e) {
                    a.result().completeExceptionally(e);
                }
            }
            case Request.Decide d -> {
                threads.verdictNoLongerAwaited(d.tid()); // (already done if the thread died meanwhile)
                dispatch.decided(d.tid(), d.stop(), d.resume());
            }
            case Request.Inject i -> {
                try {
                    i.result().complete(injector.inject(i.stop(), i.nr(), i.args()));
                } catch (RuntimeException e) {
                    i.result().completeExceptionally(e);
                }
            }
            case Request.Poke p -> {
                try {
                    injector.poke(p.stop().tid(), p.address(), p.bytes());
                    p.done().complete(null);
                } catch (RuntimeException e) {
                    p.done().completeExceptionally(e);
                }
            }
            case Request.Task t -> t.task().run();
            case Request.Interrupt i -> i.sent().complete(interrupt(i.tid()));
            case Request.Detach d -> detach(d.tracee());
            case Request.Kill k -> kill(k.tracee());
            case Request.Close c -> {
                closed = c.done();
                closing = true;
                Set<Tracee> trees = new HashSet<>();
                for (Tid t : threads.all()) {
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

    /**
     * A launch asked on the owner thread (a handler starting an actor) returns as soon as the
     * shell is spawned: the owner cannot wait for the shell to stop itself, and launches
     * overlap. Asked from another thread, it returns once the shell is seized.
     */
    private void launchInline(Request.Launch l) {
        try {
            if (closing) {
                throw new IllegalStateException("tracer is closing");
            }
            l.result().complete(launcher.launch(l, null));
        } catch (RuntimeException e) {
            l.result().completeExceptionally(e);
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
            case Request.Interrupt i -> i.sent().complete(false);
            default -> { }
        }
    }

    // ------------------------------------------------------------------ interrupt

    /**
     * Sends PTRACE_INTERRUPT to a running traced thread; false (nothing sent) if it is not traced,
     * awaits a verdict (it is stopped already), is being detached, or has an interrupt in flight.
     */
    boolean interrupt(int tid) {
        Tid t = threads.get(tid);
        if (t == null || t.awaitingDecision || t.detachPending || t.killed || t.hiddenUntilExec || t.newborn
                || t.interruptInFlight) {
            return false;
        }
        try {
            calls.ptrace(INTERRUPT, t.tid, 0, 0);
        } catch (ErrnoException e) {
            return false; // ESRCH: it is dying
        }
        t.interruptInFlight = true;
        t.interruptWanted = true;
        return true;
    }

    // ------------------------------------------------------------------ detach / kill

    /** Marks every thread of the tree; each is detached at its next stop (now, for running ones). */
    private void detach(Tracee tree) {
        tree.detaching = true;
        for (Tid t : threads.snapshot()) {
            if (t.tracee == tree && !t.detachPending) {
                t.detachPending = true;
                if (!t.awaitingDecision) {
                    calls.ptraceQuiet(INTERRUPT, t.tid, 0);
                }
            }
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
        for (Tid t : threads.all()) {
            if (t.tracee == tree) {
                threads.markKilled(t);
                try {
                    LibC.kill(t.tid, SIGKILL);
                } catch (ErrnoException ignored) {
                    // already dead
                }
            }
        }
    }
}
