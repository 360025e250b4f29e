package simterpose.simulator.mediation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import simterpose.bindings.Errno;
import simterpose.simulator.engine.Simulation;
import simterpose.simulator.kernel.Kernel;
import simterpose.simulator.model.ModelConfig;
import simterpose.simulator.platform.ActorSpec;
import simterpose.simulator.platform.Deployment;
import simterpose.simulator.platform.Host;
import simterpose.simulator.platform.Platform;
import simterpose.simulator.platform.PlatformException;
import simterpose.tracer.LaunchException;
import simterpose.tracer.LaunchSpec;
import simterpose.tracer.Resume;
import simterpose.tracer.Stop;
import simterpose.tracer.StopHandler;
import simterpose.tracer.Tracee;
import simterpose.tracer.Tracer;
import simterpose.tracer.TracerOptions;
import simterpose.tracer.events.StopEvent;
import simterpose.tracer.launch.ProgramPath;
import simterpose.tracer.syscall.SyscallFormatter;

/**
 * One run of a deployment: the simulation, its virtual kernel, the tracer, and one
 * {@link TracedThread} (engine actor) per traced thread.
 *
 * <p><b>Threads.</b> The caller's thread is the engine thread ({@link #execute}); actors run on
 * virtual threads one at a time (the engine's rule); the tracer's owner thread makes every
 * ptrace call and runs {@link #onStop} (INLINE dispatch): it answers a stop itself when the
 * thread's actor is the running one and only awaits it, else puts it in
 * {@link TracedThread#queue} and the actor posts the verdict later ({@link Stop#resume}).
 * Every field here belongs to the simulation's single logical thread except {@link #queues},
 * {@link #outstanding}, {@link #live} and {@link #closing}, which the owner thread touches.
 */
final class Run implements StopHandler {
    /** A stop waiting for its verdict (given once, from the actor or at close). */
    final class Pending {
        private final Stop stop;
        private final java.util.concurrent.atomic.AtomicBoolean decided = new java.util.concurrent.atomic.AtomicBoolean();

        Pending(Stop stop) {
            this.stop = stop;
        }

        Stop stop() { return stop; }

        void decide(Resume r) {
            if (!decided.compareAndSet(false, true)) {
                return;
            }
            outstanding.remove(this);
            StopEvent e = stop.event();
            if (!(e instanceof StopEvent.Exited || e instanceof StopEvent.Killed)) {
                try {
                    stop.resume(r);
                } catch (IllegalStateException closed) {
                    // the tracer is closed: its close killed the tracee
                }
            }
        }
    }

    final Platform platform;
    final RunOptions options;
    final RunListener listener;
    final Simulation sim;
    final Kernel kernel;
    final long epochNanos;
    final double localSpeed;
    final SyscallFormatter formatter = new SyscallFormatter();
    /** getrandom's source: seeded, used in the engine's fixed order (see {@link RandomHandlers}). */
    final java.util.SplittableRandom random;
    final List<DeployedActor> deployed = new ArrayList<>();
    private final Map<Integer, TracedThread> threads = new LinkedHashMap<>();
    private final Set<String> diagnosed = new HashSet<>();
    private final Map<Integer, BlockingQueue<Pending>> queues = new ConcurrentHashMap<>();
    private final Set<Pending> outstanding = ConcurrentHashMap.newKeySet();
    private volatile boolean closing;
    /** Threads parked while their tracee blocks natively, in the order they parked. */
    private final java.util.LinkedHashSet<TracedThread> parked = new java.util.LinkedHashSet<>();
    private Tracer tracer;
    /** Waits on real fds or pending signals, probed at each idle point ({@link IdleProbes}). */
    final IdleProbes idleProbes = new IdleProbes();
    final java.util.concurrent.atomic.AtomicLong mediated = new java.util.concurrent.atomic.AtomicLong();
    /** Live traced threads by tid, for the owner thread's inline answers. */
    private final Map<Integer, TracedThread> live = new ConcurrentHashMap<>();

    Run(Platform platform, Deployment deployment, RunOptions options, RunListener listener) {
        this.platform = platform;
        this.options = options;
        this.listener = listener;
        ModelConfig config;
        try {
            config = ModelConfig.resolve(platform.config(), options.modelOverrides());
        } catch (IllegalArgumentException e) {
            throw new PlatformException("bad model configuration: " + e.getMessage());
        }
        this.sim = new Simulation(platform, config);
        sim.onIdle(this::wakeParked);
        try {
            this.kernel = new Kernel(sim);
        } catch (IllegalArgumentException e) {
            throw new PlatformException(e.getMessage());
        }
        this.epochNanos = Math.round(options.epoch() * 1e9);
        this.random = new java.util.SplittableRandom(options.seed());
        this.localSpeed = options.cpuMode() == RunOptions.CpuMode.MEASURED
                ? (Double.isNaN(options.localSpeed()) ? CpuMeter.measure() : options.localSpeed()) : 0;
        deployment.validate(platform);
        Path out = options.outputDirectory();
        int index = 0;
        for (ActorSpec spec : deployment.actors()) {
            Host host = platform.host(spec.host()).orElseThrow();
            deployed.add(prepare(index++, spec, host, out));
        }
        try {
            Files.createDirectories(out);
        } catch (java.io.IOException e) {
            throw new PlatformException("cannot create output directory " + out + ": " + e.getMessage());
        }
    }

    /** Resolves the program, environment and directory: bad input fails here, before any launch. */
    private static DeployedActor prepare(int index, ActorSpec spec, Host host, Path out) {
        Map<String, String> env = new HashMap<>(System.getenv());
        String extra = spec.properties().get("env");
        if (extra != null) {
            for (String kv : extra.trim().split("\\s+")) {
                int eq = kv.indexOf('=');
                if (eq <= 0) {
                    throw spec.location().error("actor '" + spec.function() + "': prop env expects NAME=VALUE pairs separated by spaces, got '" + kv + "'");
                }
                env.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        Path cwd = Path.of(spec.properties().getOrDefault("cwd", "")).toAbsolutePath();
        if (!Files.isDirectory(cwd)) {
            throw spec.location().error("actor '" + spec.function() + "': directory " + cwd + " does not exist");
        }
        try {
            ProgramPath.resolve(spec.function(), env, cwd);
        } catch (LaunchException e) {
            throw spec.location().error(e.getMessage());
        }
        List<String> argv = new ArrayList<>();
        argv.add(spec.function());
        argv.addAll(spec.args());
        String base = host.name() + "-" + simpleName(spec.function()) + "-" + index;
        Path stdout = out.resolve(base + ".stdout");
        Path stderr = out.resolve(base + ".stderr");
        LaunchSpec launch = new LaunchSpec(argv, env, cwd, Path.of("/dev/null"), stdout, stderr);
        return new DeployedActor(index, spec, host, launch, stdout, stderr);
    }

    static String simpleName(String function) {
        return function.substring(function.lastIndexOf('/') + 1);
    }

    // ---- tracer side (tracer threads) ----

    BlockingQueue<Pending> queueOf(int tid) {
        return queues.computeIfAbsent(tid, t -> new LinkedBlockingQueue<>());
    }

    /**
     * On the tracer's owner thread (INLINE dispatch), for every stop: the fast path answers it
     * at once when the stopped thread's actor is the engine's running actor and only awaits this
     * stop ({@link TracedThread#inline}); otherwise the stop goes to the thread's queue and the
     * verdict comes later from its actor ({@link Resume#DEFERRED}, {@link Stop#resume}).
     */
    @Override
    public Resume onStop(Stop stop) {
        if (closing) {
            return Resume.CONTINUE;
        }
        TracedThread t = live.get(stop.tid());
        if (t != null && t.awaiting) {
            Resume r = t.inline(stop);
            if (r != null) {
                return r;
            }
        }
        Pending p = new Pending(stop);
        outstanding.add(p);
        queueOf(stop.tid()).add(p);
        return Resume.DEFERRED;
    }

    void registerLive(TracedThread t) {
        live.put(t.tid, t);
    }

    // ---- engine side ----

    RunReport execute() {
        long wallStart = System.nanoTime();
        TracerOptions to = new TracerOptions(Handlers.filter(), TracerOptions.Dispatch.INLINE, pinnedCpu()).withVdsoHidden();
        Optional<RunReport.Deadlock> deadlock = Optional.empty();
        OutputEcho echo = options.echoOutput() ? new OutputEcho(deployed) : null;
        try (Tracer t = Tracer.open(to)) {
            tracer = t;
            for (DeployedActor d : deployed) {
                schedule(d);
            }
            long nextProgress = System.nanoTime() + options.progressEvery().toNanos();
            while (true) {
                if (!sim.step()) {
                    if (reapDeadThreads()) {
                        continue;
                    }
                    break;
                }
                if (!options.progressEvery().isZero() && System.nanoTime() >= nextProgress) {
                    nextProgress = System.nanoTime() + options.progressEvery().toNanos();
                    listener.progress(new RunListener.Progress(sim.now(), Duration.ofNanos(System.nanoTime() - wallStart),
                            alive(), deployed.size()));
                }
            }
            deadlock = detectDeadlock();
        } finally {
            close();
            if (echo != null) {
                echo.close();
            }
        }
        double makespan = 0;
        List<RunReport.ActorReport> reports = new ArrayList<>();
        for (DeployedActor d : deployed) {
            reports.add(d.report());
            makespan = Math.max(makespan, d.end);
        }
        return new RunReport(makespan, reports, deadlock, Duration.ofNanos(System.nanoTime() - wallStart), mediated.get());
    }

    /**
     * The CPU the tracer's owner thread and the tracees share: stops are about 3× cheaper when
     * they do not cross CPUs (MediationBench: 65 → 19-22 µs per clock read), and only one tracee
     * runs at a time anyway. The last CPU by default; {@code -Dsimterpose.pinCpu=N} chooses,
     * -1 disables pinning.
     */
    private static int pinnedCpu() {
        return Integer.getInteger("simterpose.pinCpu", Runtime.getRuntime().availableProcessors() - 1);
    }

    private int alive() {
        int n = 0;
        for (DeployedActor d : deployed) {
            if (d.started && !d.ended) {
                n++;
            }
        }
        return n;
    }

    private void schedule(DeployedActor d) {
        double start = Math.max(0, d.spec.startTime());
        if (d.spec.killTime() >= 0) {
            sim.at(Math.max(start, d.spec.killTime()), () -> killAtKillTime(d));
        }
        sim.spawn(d.name, d.host, self -> {
            if (start > 0) {
                self.sleep(start);
            }
            if (d.killedAtKillTime) {
                return; // killed before it started
            }
            d.started = true;
            d.start = sim.now();
            // The launch stops the program at its exec; its first stop waits in the queue below.
            Tracee tracee = tracer.launch(d.launch, this);
            d.tracee = tracee;
            d.pid = tracee.pid();
            ProcessState root = new ProcessState(tracee.pid(), kernel.newProcess(tracee.pid(), d.host), d);
            TracedThread thread = new TracedThread(this, tracee.pid(), root);
            threads.put(thread.tid, thread);
            thread.loop(self);
        });
    }

    /** epoll instances by process and epoll fd (a forked child shares its parent's map). */
    final Map<simterpose.simulator.kernel.VirtualProcess, Map<Integer, EpollHandlers.Instance>> epolls = new HashMap<>();

    EpollHandlers.Instance epoll(simterpose.simulator.kernel.VirtualProcess p, int epfd) {
        return epolls.computeIfAbsent(p, x -> new HashMap<>()).computeIfAbsent(epfd, x -> new EpollHandlers.Instance());
    }

    EpollHandlers.Instance existingEpoll(simterpose.simulator.kernel.VirtualProcess p, int epfd) {
        Map<Integer, EpollHandlers.Instance> m = epolls.get(p);
        return m == null ? null : m.get(epfd);
    }

    void park(TracedThread t) {
        parked.add(t);
    }

    void unpark(TracedThread t) {
        parked.remove(t);
    }

    /**
     * Engine idle hook (no actor ready, the clock about to move): a parked tracee that another
     * tracee released is running or stopped by now; wait until each parked one is either
     * blocked again (S) or has its stop queued, and wake the latter in parking order. So the
     * clock never moves past a date at which a released tracee still had something to do.
     */
    boolean wakeParked() {
        boolean woke = false;
        for (TracedThread t : List.copyOf(parked)) {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (true) {
                if (!t.queue.isEmpty()) {
                    t.arrival.signalAll();
                    woke = true;
                    break;
                }
                char st = t.state();
                if (st == 'S' || st == 'X' || st == 'Z' || System.nanoTime() > deadline) {
                    break;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(20_000);
            }
        }
        return woke || idleProbes.wakeReady(); // released tracees first: they may make real fds ready
    }

    /** A traced thread appeared (clone/fork): its own actor, started after the current one blocks. */
    void spawnThread(int tid, ProcessState process) {
        TracedThread t = new TracedThread(this, tid, process);
        threads.put(tid, t);
        sim.spawn(process.owner.name + "#" + tid, process.owner.host, t::loop);
    }

    void threadGone(TracedThread t) {
        threads.remove(t.tid);
        live.remove(t.tid);
        queues.remove(t.tid);
        DeployedActor d = t.process.owner;
        if (--d.liveThreads == 0) {
            d.ended = true;
            d.end = sim.now();
        }
    }

    private void killAtKillTime(DeployedActor d) {
        if (d.ended) {
            return;
        }
        d.killedAtKillTime = true;
        if (d.started) {
            d.end = sim.now();
            killTree(d);
        }
    }

    private void killTree(DeployedActor d) {
        Tracee t = d.tracee;
        if (t != null) {
            t.kill();
        }
        for (TracedThread th : d.threads()) {
            th.interrupt();
        }
    }

    /**
     * The engine has nothing left to do but some threads still wait in the simulation: if a
     * process died under them (killed from outside, exit_group we did not see), let them go.
     */
    private boolean reapDeadThreads() {
        boolean any = false;
        for (TracedThread t : List.copyOf(threads.values())) {
            if (t.actor != null && t.actor.state() == simterpose.simulator.engine.Actor.State.BLOCKED && !t.dying
                    && t.deadInReality()) {
                t.interrupt();
                any = true;
            }
        }
        return any;
    }

    private Optional<RunReport.Deadlock> detectDeadlock() {
        List<RunReport.BlockedActor> blocked = new ArrayList<>();
        for (TracedThread t : threads.values()) {
            if (t.actor != null && t.actor.state() == simterpose.simulator.engine.Actor.State.BLOCKED) {
                blocked.add(new RunReport.BlockedActor(t.process.owner.name, t.tid, t.describeBlockedCall(), t.blockedSince));
            }
        }
        if (blocked.isEmpty()) {
            return Optional.empty();
        }
        for (DeployedActor d : deployed) {
            if (d.started && !d.ended) {
                d.killedByDeadlock = true;
                d.end = sim.now();
            }
        }
        return Optional.of(new RunReport.Deadlock(sim.now(), blocked));
    }

    /** Kills whatever is left, answers every stop still waiting, closes the tracer. */
    private void close() {
        closing = true;
        for (DeployedActor d : deployed) {
            Tracee t = d.tracee;
            if (t != null && !t.exitStatus().isDone()) {
                t.kill();
            }
        }
        for (Pending p : List.copyOf(outstanding)) {
            p.decide(Resume.CONTINUE);
        }
        for (DeployedActor d : deployed) {
            Tracee t = d.tracee;
            if (t != null) {
                try {
                    t.exitStatus().get(5, TimeUnit.SECONDS);
                } catch (Exception e) {
                    // the tracer's close kills what is left
                }
            }
        }
    }

    /** A syscall we do not mediate names a virtual socket: report once, then fail or pass. */
    HandlerResult unmediated(Call c) {
        String key = c.thread.process.owner.index + "/" + c.nr;
        boolean fail = options.unmediated() == RunOptions.UnmediatedPolicy.FAIL;
        if (diagnosed.add(key)) {
            String call;
            try {
                call = formatter.noReturn(formatter.onEntry(c.thread.tid, c.nr, c.args, c.mem()), 0);
                call = call.substring(0, call.lastIndexOf(" = ?")).strip();
            } catch (RuntimeException e) {
                call = simterpose.tracer.syscall.SyscallTable.name(c.nr) + "(...)";
            }
            listener.diagnostic("actor " + c.thread.process.owner.name + " on " + c.thread.process.owner.host.name()
                    + ": " + call + " applies a syscall the simulation does not mediate to a simulated socket; "
                    + (fail ? "it fails with EOPNOTSUPP" : "it runs on the placeholder fd") + " (reported once)");
        }
        return fail ? HandlerResult.errno(Errno.EOPNOTSUPP) : HandlerResult.NATIVE;
    }
}
