package simterpose.tracer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import simterpose.bindings.ErrnoException;
import simterpose.bindings.LibC;
import simterpose.tracer.launch.ProgramPath;
import simterpose.tracer.launch.Spawn;

/**
 * The tracing engine's entry point: launches or attaches tracees and runs a
 * {@link StopHandler} at each of their stops. See {@code package-info.java} for an example.
 *
 * <p>Thread rule: any thread may call these methods; they post requests to the single ptrace
 * owner thread ({@link PtraceOwner}), which alone talks to the kernel. {@link #close()} kills
 * launched tracees (their whole process groups) and detaches attached ones; a JVM shutdown
 * hook does the same on SIGINT/SIGTERM, and PTRACE_O_EXITKILL covers SIGKILL of the JVM.
 */
public final class Tracer implements AutoCloseable {
    private final TracerOptions options;
    private final PtraceOwner owner;
    private final Thread shutdownHook;
    private volatile boolean closed;

    private Tracer(TracerOptions options) {
        this.options = options;
        this.owner = new PtraceOwner(options);
        owner.start();
        this.shutdownHook = new Thread(this::closeQuietly, "simterpose-tracer-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Links, without calling anything, the native functions a tracer uses (its two libc
     * downcall handles): generated code the first {@link #open} would otherwise
     * wait for. Any thread, any time, idempotent: a start-up runs it on a spare thread while it
     * parses its input.
     */
    public static void link() {
        LibC.link();
        Spawn.link();
    }

    /** Starts the owner thread; close the tracer to stop it. */
    public static Tracer open(TracerOptions options) {
        return new Tracer(options);
    }

    public TracerOptions options() {
        return options;
    }

    /**
     * Why launched tracees see this machine's pids although {@link TracerOptions#ownPids} was
     * asked for (e.g. not root), or empty when they get the namespace's.
     */
    public java.util.Optional<String> ownPidsRefused() {
        return java.util.Optional.ofNullable(owner.ownPidsRefused());
    }

    /**
     * Launches a command stopped before its first instruction (after execve), installs the
     * seccomp filter if the options select syscalls, and traces it and all its threads and
     * children. The first event the handler sees is {@link simterpose.tracer.events.StopEvent.Exec}.
     * Called from a stop handler (on the owner thread) it returns once the process is spawned,
     * before it is seized (launches then overlap: the owner does not wait for each to start);
     * from any other thread, once it is seized.
     *
     * @throws LaunchException if the program is missing or not executable, the directory does
     *         not exist, or a redirection cannot be opened; nothing is left running then
     */
    public Tracee launch(LaunchSpec spec, StopHandler handler) {
        ensureOpen();
        Map<String, String> env = spec.env() != null ? spec.env() : System.getenv();
        Path cwd = spec.cwd() != null ? spec.cwd().toAbsolutePath() : Path.of("").toAbsolutePath();
        if (!Files.isDirectory(cwd)) {
            throw new LaunchException("cannot run '" + spec.argv().getFirst() + "': directory " + cwd + " does not exist");
        }
        if (spec.stdin() != null && !Files.isReadable(cwd.resolve(spec.stdin()))) {
            throw new LaunchException("cannot run '" + spec.argv().getFirst() + "': cannot read input file " + spec.stdin());
        }
        Path program = ProgramPath.resolve(spec.argv().getFirst(), env, cwd);
        simterpose.tracer.launch.ArgumentLimits.check(spec.argv(), env);
        List<String> envp = new ArrayList<>();
        env.forEach((k, v) -> envp.add(k + "=" + v));
        CompletableFuture<Tracee> result = new CompletableFuture<>();
        owner.post(new PtraceOwner.Request.Launch(spec.withCwd(cwd), program, envp, handler, result));
        return join(result);
    }

    /**
     * Attaches to every thread of a running process (PTRACE_SEIZE + PTRACE_INTERRUPT) and its
     * future children. It is traced with PTRACE_SYSCALL (a filter cannot be injected into a
     * process stopped at an arbitrary point); unselected syscalls are filtered here. A child
     * of this JVM cannot be attached: the kernel gives its stops to the JVM's process reaper,
     * which waits on it from the same thread group.
     * {@link Tracee#detach()} leaves it running.
     *
     * @throws LaunchException if there is no such process or it cannot be traced
     */
    public Tracee attach(int pid, StopHandler handler) {
        ensureOpen();
        CompletableFuture<Tracee> result = new CompletableFuture<>();
        owner.post(new PtraceOwner.Request.Attach(pid, handler, result));
        return join(result);
    }

    /**
     * Runs {@code task} on the owner thread, between stops (waking it from waitpid if needed):
     * there it may launch, resume deferred stops and drive its own logic without any hand-off.
     * A task that throws is logged; callable from any thread.
     */
    public void runOnOwner(Runnable task) {
        ensureOpen();
        owner.post(new PtraceOwner.Request.Task(task));
    }

    /**
     * Stops traced thread {@code tid}, which is running, with PTRACE_INTERRUPT: its handler then
     * gets a {@link simterpose.tracer.events.StopEvent.Interrupted} stop (unless another stop of
     * the thread comes first, which stands for it). Callable from any thread (the owner sends
     * it); true if the interrupt was sent, false if the thread is not traced, is stopped awaiting
     * a verdict, or already has an interrupt on its way.
     */
    public boolean interrupt(int tid) {
        ensureOpen();
        if (owner.onOwnerThread()) {
            return owner.interrupt(tid);
        }
        CompletableFuture<Boolean> sent = new CompletableFuture<>();
        owner.post(new PtraceOwner.Request.Interrupt(tid, sent));
        return sent.join();
    }

    /**
     * Whether traced thread {@code tid} sits in a ptrace stop that the owner has not collected
     * yet. /proc then shows it 't', as it shows a thread left in PTRACE_LISTEN (stopped by
     * SIGSTOP until SIGCONT), but this one is on its way: a SIGCONT has just ended its LISTEN,
     * say, and the owner will see its stop at its next wait. The look collects nothing
     * (WNOWAIT). On the owner thread only, which makes every wait.
     */
    public boolean hasUncollectedStop(int tid) {
        if (!owner.onOwnerThread()) {
            throw new IllegalStateException("hasUncollectedStop: only the owner thread waits");
        }
        MemorySegment info = UNCOLLECTED_INFO.get();
        info.set(ValueLayout.JAVA_INT, 0, 0);
        try {
            LibC.waitid(P_PID, tid, info, Ptrace.WUNTRACED | Ptrace.WNOHANG | Ptrace.WNOWAIT | Ptrace.WALL);
        } catch (ErrnoException e) {
            return false; // not a tracee of ours (gone, or detached)
        }
        return info.get(ValueLayout.JAVA_INT, 0) != 0; // si_signo: SIGCHLD when a stop is there to collect
    }

    /**
     * Whether traced thread {@code tid} waits in a seccomp user notification that the owner has not
     * handed to its handler yet: /proc shows it sleeping ('S'), but it is not blocked, its call is
     * on its way as a stop not yet collected is. On the owner thread only.
     */
    public boolean hasUncollectedNotification(int tid) {
        if (!owner.onOwnerThread()) {
            throw new IllegalStateException("hasUncollectedNotification: only the owner thread receives notifications");
        }
        return owner.notificationPending(tid);
    }

    private static final int P_PID = 1; // idtype_t, <sys/wait.h>
    private static final ThreadLocal<MemorySegment> UNCOLLECTED_INFO =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(128, 8));

    /**
     * How many syscalls have been answered by seccomp user notification, without a ptrace stop
     * (see {@link TracerOptions#notified()}); any thread.
     */
    public long notificationsAnswered() {
        return owner.notificationsAnswered();
    }

    /** False once the owner thread has ended (closed, or failed: its error was logged); no stop will come then. */
    public boolean alive() {
        return owner.alive();
    }

    /** True on the owner thread (where stop handlers run). */
    public boolean onOwnerThread() {
        return owner.onOwnerThread();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("tracer is closed");
        }
    }

    private static Tracee join(CompletableFuture<Tracee> result) {
        try {
            return result.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /** Kills launched tracees, detaches attached ones, waits for them and stops the owner thread. */
    @Override
    public void close() {
        closeQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down
        }
    }

    private void closeQuietly() {
        if (closed) {
            return;
        }
        closed = true;
        CompletableFuture<Void> done = new CompletableFuture<>();
        owner.post(new PtraceOwner.Request.Close(done));
        try {
            done.get(5, TimeUnit.SECONDS);
            owner.thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            // The owner is stuck: its thread ending (with the JVM) still kills EXITKILL tracees.
        }
    }
}
