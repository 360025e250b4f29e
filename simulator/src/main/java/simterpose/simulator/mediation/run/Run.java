package simterpose.simulator.mediation.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import simterpose.bindings.Errno;
import simterpose.simulator.engine.Simulation;
import simterpose.simulator.engine.Wait;
import simterpose.simulator.kernel.Kernel;
import simterpose.simulator.mediation.RunListener;
import simterpose.simulator.mediation.RunOptions;
import simterpose.simulator.mediation.RunReport;
import simterpose.simulator.mediation.handlers.MediationTable;
import simterpose.simulator.mediation.handlers.RandomHandlers;
import simterpose.simulator.mediation.tracee.Call;
import simterpose.simulator.mediation.tracee.DeployedActor;
import simterpose.simulator.mediation.tracee.Handler;
import simterpose.simulator.mediation.tracee.HandlerResult;
import simterpose.simulator.mediation.tracee.HostFiles;
import simterpose.simulator.mediation.tracee.IdleProbes;
import simterpose.simulator.mediation.tracee.ProcessState;
import simterpose.simulator.mediation.tracee.RunContext;
import simterpose.simulator.mediation.tracee.TracedThread;
import simterpose.simulator.model.ModelConfig;
import simterpose.simulator.platform.ActorSpec;
import simterpose.simulator.platform.Deployment;
import simterpose.simulator.platform.Host;
import simterpose.simulator.platform.Platform;
import simterpose.simulator.platform.PlatformException;
import simterpose.tracer.Resume;
import simterpose.tracer.Stop;
import simterpose.tracer.StopHandler;
import simterpose.tracer.Tracee;
import simterpose.tracer.Tracer;
import simterpose.tracer.TracerOptions;
import simterpose.tracer.events.StopEvent;
import simterpose.tracer.syscall.SyscallFormatter;

/**
 * One run of a deployment: the simulation, its virtual kernel, the tracer, and one
 * {@link TracedThread} per traced thread.
 *
 * <p><b>Threads.</b> Everything runs on the tracer's owner thread: the stop handler
 * ({@link #onStop}, INLINE dispatch), the engine ({@link #advance}) and the launches. The
 * caller's thread ({@link #execute}) only starts the run, watches the running tracee for a
 * native block ({@link #watch}) and prints progress; it talks to the owner through
 * {@link Tracer#runOnOwner}. So a syscall that blocks in simulated time costs no thread
 * hand-off: the owner registers the wait, moves the engine on, and resumes whichever tracee
 * is due next, all in the same call.
 *
 * <p><b>One tracee at a time.</b> At most one thread is {@link TracedThread.State#RUNNING}:
 * its tracee runs natively until its next stop, while everything else waits. When it blocks
 * in the simulation, the engine runs ready continuations (in a fixed order) and moves the clock
 * until one of them resumes a tracee. So the run does not depend on wall-clock timing.
 * Threads created by clone/fork run natively from their birth, but their stops wait for their
 * turn. A tracee that blocks natively (state S in /proc for two watchdog looks in a row) is
 * parked; parked threads are looked at again, in parking order, whenever the engine is about
 * to move the clock.
 */
final class Run implements StopHandler, RunContext {
    private final Platform platform;
    private final RunOptions options;
    private final RunListener listener;
    private final Simulation sim;
    private final Kernel kernel;
    private final long epochNanos;
    private final double localSpeed;
    /** The real world's answers: live, or recorded to / replayed from a directory (run --record/--replay). */
    private final simterpose.simulator.mediation.inputs.RunInputs inputs;
    private final SyscallFormatter formatter = new SyscallFormatter();
    /** Tells the listener's observer what the threads do (null: nobody observes, nothing is decoded). */
    private final simterpose.simulator.mediation.tracee.ObservedCalls calls;
    /** getrandom's source: seeded, used in the engine's fixed order (see {@link RandomHandlers}). */
    private final java.util.SplittableRandom random;
    /** The platform's /etc/hosts, hostname and resolver files, written when first opened. */
    private final HostFiles hostFiles = new HostFiles(this);
    private final simterpose.simulator.mediation.tracee.RealStreams realStreams = new simterpose.simulator.mediation.tracee.RealStreams();
    private final List<DeployedActor> deployed = new ArrayList<>();
    private final Map<Integer, TracedThread> threads = new LinkedHashMap<>();
    /** A copy of {@link #threads}' values for the watchdog (the spin diagnosis). */
    private volatile List<TracedThread> liveView = List.of();
    /** Parked threads stopped by a signal (written by the owner, read by the progress line). */
    private volatile int stoppedThreads;
    private final Set<String> diagnosed = new HashSet<>();
    /** Threads parked while their tracee blocks natively, in the order they parked. */
    private final java.util.LinkedHashSet<TracedThread> parked = new java.util.LinkedHashSet<>();
    /** Turns of threads preempted with nothing to compute ({@link #yieldTurn}). */
    private final YieldedTurns yielded = new YieldedTurns();

    /**
     * Threads whose tracee runs natively without being {@link #running} (see {@link #runsFree}),
     * and the copy the watchdog reads: it preempts them too when they burn a quantum.
     */
    private final java.util.LinkedHashSet<TracedThread> free = new java.util.LinkedHashSet<>();
    private volatile List<TracedThread> freeView = List.of();
    /** Stops answered DEFERRED and not resumed yet (resumed at close). */
    private final Set<Stop> deferred = new HashSet<>();
    private Tracer tracer;
    /**
     * {@code -Dsimterpose.machinePids=true}: the programs see this machine's pids, as before the
     * run had its own PID namespace; only for measuring what that namespace costs (bin/bench-pids).
     */
    private static final boolean MACHINE_PIDS = Boolean.getBoolean("simterpose.machinePids");
    /** The tracees live in a PID namespace of their own (see {@link #hostTid}); false when the machine refused it. */
    private boolean ownPids;
    /** Waits on real fds or pending signals, probed at each idle point ({@link IdleProbes}). */
    private final IdleProbes idleProbes = new IdleProbes();
    private final java.util.concurrent.atomic.AtomicLong mediated = new java.util.concurrent.atomic.AtomicLong();
    /** The thread whose tracee runs now, or null while the engine decides. */
    private TracedThread running;
    private boolean finished;
    private boolean closing;
    /** The end of the run (with a deadlock, if any), completed on the owner thread. */
    final java.util.concurrent.CompletableFuture<Optional<RunReport.Deadlock>> outcome =
            new java.util.concurrent.CompletableFuture<>();
    /** For the watchdog and the progress line (written by the owner thread). */
    private volatile TracedThread watched;
    private volatile double simNow;

    Run(Platform platform, Deployment deployment, RunOptions options, RunListener listener,
        simterpose.simulator.mediation.inputs.RunInputs inputs) {
        this.platform = platform;
        this.inputs = inputs;
        this.options = options;
        this.listener = listener;
        ModelConfig config;
        try {
            config = ModelConfig.resolveForRun(platform.config(), options.modelOverrides());
        } catch (IllegalArgumentException e) {
            throw new PlatformException("bad model configuration: " + e.getMessage());
        }
        this.sim = new Simulation(platform, config);
        try {
            this.kernel = new Kernel(sim);
        } catch (IllegalArgumentException e) {
            throw new PlatformException(e.getMessage());
        }
        this.epochNanos = Math.round(options.epoch() * 1e9);
        simterpose.simulator.mediation.RunObserver observer = listener.observer();
        this.calls = observer == simterpose.simulator.mediation.RunObserver.NONE ? null
                : new simterpose.simulator.mediation.tracee.ObservedCalls(observer, formatter);
        if (calls != null) {
            kernel.observe(new ObservedPackets(observer, kernel.addresses()));
        }
        this.random = new java.util.SplittableRandom(options.seed());
        this.localSpeed = options.cpuMode() == RunOptions.CpuMode.MEASURED
                ? (Double.isNaN(options.localSpeed()) ? inputs.localSpeed(CpuMeter::measure) : options.localSpeed()) : 0;
        deployment.validate(platform);
        Path out = options.outputDirectory();
        int index = 0;
        for (ActorSpec spec : deployment.actors()) {
            Host host = platform.host(spec.host()).orElseThrow();
            deployed.add(ActorPreparation.prepare(index++, spec, host, out));
        }
        try {
            Files.createDirectories(out);
        } catch (java.io.IOException e) {
            throw new PlatformException("cannot create output directory " + out + ": " + e.getMessage());
        }
    }

    // ---- what traced threads and their calls see of the run (RunContext) ----

    @Override public Simulation sim() { return sim; }
    @Override public Kernel kernel() { return kernel; }
    @Override public RunOptions options() { return options; }
    @Override public RunListener listener() { return listener; }
    @Override public double localSpeed() { return localSpeed; }
    @Override public simterpose.simulator.mediation.inputs.RunInputs inputs() { return inputs; }
    @Override public long epochNanos() { return epochNanos; }
    @Override public SyscallFormatter formatter() { return formatter; }
    @Override public simterpose.simulator.mediation.tracee.ObservedCalls calls() { return calls; }
    @Override public IdleProbes idleProbes() { return idleProbes; }
    @Override public java.util.SplittableRandom random() { return random; }
    @Override public HostFiles hostFiles() { return hostFiles; }
    @Override public simterpose.simulator.mediation.tracee.RealStreams realStreams() { return realStreams; }
    @Override public Handler handler(long nr) { return MediationTable.handler(nr); }
    @Override public void atExec(TracedThread thread, Stop stop) { RandomHandlers.atExec(thread, stop); }
    @Override public void countMediated() { mediated.incrementAndGet(); }

    // ---- the owner thread: stops and the engine ----

    /**
     * Every stop, on the tracer's owner thread. A stop of the running thread is answered at
     * once unless the thread must wait; then the engine runs until some tracee is due, and this
     * stop is {@link Resume#DEFERRED}: its verdict is given by {@link Stop#resume} when its
     * thread's turn comes ({@link #resumeThread}) — during this very call if that turn comes
     * before the engine stops (the tracer then applies it as this returns), else later.
     * Stops of other threads wait for their turn.
     */
    @Override
    public Resume onStop(Stop stop) {
        if (closing || outcome.isDone()) {
            return Resume.CONTINUE;
        }
        try {
            if (stop.event() instanceof StopEvent.Exec x && x.formerTid() != x.tid()) {
                execFromOtherThread(x);
            }
            TracedThread t = threads.get(stop.tid());
            if (t == null) {
                return Resume.CONTINUE;
            }
            if (t == running) {
                Resume r = t.onStop(stop);
                if (r != null) {
                    return r;
                }
                running = null;
            } else {
                t.pendingStop = stop;
                runsFree(t, false); // held at this stop until its turn
                StopEvent e = stop.event();
                if (!(e instanceof StopEvent.Exited || e instanceof StopEvent.Killed)) {
                    deferred.add(stop);
                }
                if ((e instanceof StopEvent.Exited || e instanceof StopEvent.Killed) && t.state == TracedThread.State.BLOCKED) {
                    t.interrupt(); // it died in a simulated wait: its turn comes at the current date
                }
                if (running != null) {
                    return Resume.DEFERRED;
                }
            }
            StopEvent e = stop.event();
            if (!(e instanceof StopEvent.Exited || e instanceof StopEvent.Killed)) {
                deferred.add(stop); // until its thread's turn gives its verdict
            }
            advance();
            return Resume.DEFERRED;
        } catch (RuntimeException | Error e) {
            outcome.completeExceptionally(e);
            return Resume.CONTINUE;
        }
    }

    /**
     * Runs the engine until a tracee runs again or nothing is left to happen: ready
     * continuations first (they may resume a tracee), then parked threads whose tracee moved,
     * then the clock.
     */
    private void advance() {
        while (running == null && !finished) {
            if (sim.runNextReady()) {
                continue;
            }
            if (resumeParked()) {
                continue;
            }
            if (idleProbes.wakeReady()) { // after the parked ones: a released tracee may have made a real fd ready
                continue;
            }
            if (yielded.someMayBeComputing() && yielded.giveBack(sim)) { // no clock move for a computing thread
                continue;
            }
            if (sim.advanceClock()) {
                simNow = sim.now();
                yielded.clockMoved();
                yielded.giveBack(sim);
                continue;
            }
            if (yielded.giveBack(sim)) { // the clock cannot move: they spin on at this date
                continue;
            }
            if (EndOfRun.reapDeadThreads(threads.values())) {
                continue;
            }
            if (!parked.isEmpty() && parkedWokeLate()) {
                continue;
            }
            finished = true;
            outcome.complete(EndOfRun.deadlock(threads.values(), deployed, sim.now()));
        }
        watched = running;
    }

    /**
     * A thread's turn (from a ready continuation): its tracee resumes from {@code stop} with
     * {@code verdict} and runs until its next stop (or, if that stop already came, it is taken now).
     */
    @Override
    public void resumeThread(TracedThread t, Stop stop, Resume verdict) {
        t.state = TracedThread.State.RUNNING;
        running = t;
        runsFree(t, false); // watched as the running thread now
        if (stop != null) {
            deferred.remove(stop);
            try {
                stop.resume(verdict); // within the stop's own onStop, the tracer applies it as onStop returns
            } catch (IllegalStateException closed) {
                // the tracer is closed: its close killed the tracee
            }
        }
        takePending(t);
    }

    /** The running thread's stop came while it waited for its turn: handle it now. */
    private void takePending(TracedThread t) {
        while (running == t && t.pendingStop != null) {
            Stop p = t.pendingStop;
            t.pendingStop = null;
            Resume r = t.onStop(p);
            if (r == null) {
                if (running == t) {
                    running = null;
                }
                if (!(p.event() instanceof StopEvent.Exited || p.event() instanceof StopEvent.Killed)) {
                    deferred.add(p);
                }
                return;
            }
            resumeThread(t, p, r);
            return;
        }
    }

    /** A thread's turn without a stop to resume: a new thread, or a parked one that moved. */
    private void runThread(TracedThread t) {
        if (t.state == TracedThread.State.GONE) {
            return;
        }
        resumeThread(t, null, null);
    }

    /**
     * Engine idle (no continuation ready, the clock about to move): a parked thread whose stop
     * came, or whose tracee is no longer blocked (another tracee released it), runs now, in
     * parking order. So the clock never moves past a date at which it still had something to do.
     */
    private boolean resumeParked() {
        for (TracedThread t : parked) {
            char st = inputs.threadState(t::state);
            if (t.pendingStop != null || st != 'S' && !t.stoppedBySignal(st)) {
                parked.remove(t);
                if (t.parkedStopped) {
                    t.parkedStopped = false;
                    stoppedThreads--;
                }
                runThread(t);
                return true;
            }
        }
        return false;
    }

    /**
     * Before a run with parked threads is called a deadlock: a native wait can end just after the
     * engine looked (the kernel wakes a parent's wait4 only once the tracer has reaped its traced
     * child, and the woken parent then needs a CPU), so parked threads get a few more looks, 2 ms
     * apart, to show that they moved. Each look is a run input like any other (recorded, replayed).
     */
    private boolean parkedWokeLate() {
        for (int look = 0; look < 10; look++) {
            java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
            if (resumeParked()) {
                return true;
            }
        }
        return false;
    }

    /** On the owner (from the watchdog): the running thread has been blocked natively; park it. */
    void parkIfStillBlocked(TracedThread t, long stopsSeen) {
        if (running != t || t.stopsTaken != stopsSeen || outcome.isDone() || closing) {
            return;
        }
        char st = t.state();
        if (st == 'S' || t.stoppedBySignal(st)) { // a SIGSTOPped tracee blocks until SIGCONT: the others go on
            if (t.stoppedBySignal(st)) {
                t.parkedStopped = true;
                stoppedThreads++;
            }
            t.state = TracedThread.State.PARKED;
            parked.add(t);
            runsFree(t, true); // released natively, it runs without a turn until its next stop
        } else if (st == 'X') {
            t.vanished(); // replaced by a non-leader exec: no exit report will come
        } else {
            return;
        }
        running = null;
        advance();
    }

    /**
     * A thread other than the leader execed: the kernel removed the leader without an exit
     * report and gave its tid to the execing thread, whose record now goes by that tid.
     */
    private void execFromOtherThread(StopEvent.Exec x) {
        TracedThread execer = threads.remove(x.formerTid());
        if (execer == null) {
            return;
        }
        TracedThread leader = threads.get(x.tid());
        if (leader != null && leader != execer) {
            deferred.removeIf(s -> s.tid() == x.tid()); // the leader's stop is void: never resume it
            leader.vanished();
        }
        execer.takeTid(x.tid());
        threads.put(x.tid(), execer);
        liveView = List.copyOf(threads.values());
    }

    @Override
    public void registerLive(TracedThread t) {
        threads.put(t.tid, t);
        liveView = List.copyOf(threads.values());
        if (calls != null) {
            calls.threadStarted(t);
        }
    }

    // ---- what the watchdog reads (the caller's thread) ----

    Tracer tracer() { return tracer; }

    TracedThread watched() { return watched; }

    List<TracedThread> liveThreads() { return liveView; }

    double simNow() { return simNow; }

    int actorCount() { return deployed.size(); }

    int stoppedThreads() { return stoppedThreads; }

    // ---- the caller's thread ----

    RunReport execute() {
        long wallStart = System.nanoTime();
        Set<Integer> logged = simterpose.simulator.mediation.tracee.ProbedMemory.alsoStopped(options.mediation() == RunOptions.Mediation.ADDRESS,
                calls == null ? Set.of() : calls.observer().nativeCalls()); // run --strace -e trace=; address mode's mapping changes
        TracerOptions to = TracerOptions.filter(MediationTable.stoppedAlso(logged)).pinnedTo(pinnedCpu()).withVdsoHidden()
                .withForeignAbisRefused(); // the sandbox: see BpfProgram
        to = options.keepAslr() ? to : to.withoutAslr();
        to = MACHINE_PIDS ? to : to.withOwnPids(); // the same pids every run: see PidNamespace
        to = to.withNotified(MediationTable.notifiedIn(options.mediation(), calls != null)); // -Dsimterpose.notify=true
        Optional<RunReport.Deadlock> deadlock;
        OutputEcho echo = options.echoOutput() ? new OutputEcho(deployed) : null;
        Watchdog watchdog = new Watchdog(this);
        try (Tracer t = Tracer.open(to)) {
            tracer = t;
            ownPids = t.options().ownPids() && t.ownPidsRefused().isEmpty();
            t.ownPidsRefused().ifPresent(why -> listener.diagnostic(why + "; the programs see this machine's pids,"
                    + " so a program that uses its pid may differ from run to run"));
            t.runOnOwner(() -> {
                try {
                    for (DeployedActor d : deployed) {
                        schedule(d);
                    }
                    advance();
                } catch (RuntimeException | Error e) {
                    outcome.completeExceptionally(e);
                }
            });
            deadlock = watchdog.watch(wallStart);
        } finally {
            if (watchdog.interruptedFromOutside()) {
                Thread.currentThread().interrupt();
            }
            close();
            if (echo != null) {
                echo.close();
            }
            if (calls != null) {
                calls.observer().end(Math.round(sim.now() * 1e9)); // whatever ended the run: the views write what they hold
            }
        }
        return EndOfRun.report(deployed, deadlock, wallStart, mediated.get(), realStreams, tracer == null ? 0 : tracer.notificationsAnswered());
    }

    /** On the owner: the run ends now; actors still alive are reported INTERRUPTED and then killed. */
    void stopHere() {
        if (outcome.isDone()) {
            return;
        }
        for (DeployedActor d : deployed) {
            if (d.started && !d.ended) {
                d.interrupted = true;
                d.end = sim.now();
            }
        }
        finished = true;
        outcome.complete(Optional.empty());
    }

    /**
     * On the owner (from the watchdog, at --spin-limit): the clock has stood still that long while
     * {@code spinning} burn CPU; the run ends as a deadlock whose rows are the spinning threads,
     * then the threads blocked or parked.
     */
    void endSpinning(List<RunReport.BlockedActor> spinning) {
        if (outcome.isDone()) {
            return;
        }
        finished = true;
        outcome.complete(Optional.of(EndOfRun.livelock(threads.values(), deployed, sim.now(), spinning)));
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

    /** Actors started and not ended; read by the watchdog for the progress line (racy reads are fine there). */
    int alive() {
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
        Wait.after(sim, start, () -> launch(d));
    }

    /** The actor's turn at its start time: launched, it stops at its exec, where its thread takes over. */
    private void launch(DeployedActor d) {
        if (d.killedAtKillTime) {
            return; // killed before it started
        }
        d.started = true;
        d.start = sim.now();
        Tracee tracee = tracer.launch(d.launch, this);
        d.tracee = tracee;
        d.pid = tracee.pid();
        ProcessState root = new ProcessState(tracee.pid(), kernel.newProcess(tracee.pid(), d.host), d, inputs);
        runThread(new TracedThread(this, tracee.pid(), root));
    }

    @Override
    public boolean hasUncollectedStop(int tid) {
        return tracer.onOwnerThread() && tracer.hasUncollectedStop(tid);
    }
    @Override public boolean hasUncollectedNotification(int tid) { return tracer.onOwnerThread() && tracer.hasUncollectedNotification(tid); }

    /** True when {@code tid} is a thread (or process) of this run; owner thread only. */
    @Override
    public boolean traces(int tid) {
        return threads.containsKey(tid);
    }

    @Override
    public int hostTid(int visibleTid) {
        if (!ownPids) {
            return threads.containsKey(visibleTid) ? visibleTid : -1;
        }
        for (TracedThread t : threads.values()) {
            if (t.visibleTid() == visibleTid) {
                return t.tid;
            }
        }
        return -1;
    }

    @Override
    public void yieldTurn(TracedThread thread, Runnable turn) {
        yielded.add(thread, turn);
    }

    @Override
    public void runsFree(TracedThread t, boolean isFree) {
        if (isFree ? free.add(t) : free.remove(t)) {
            if (isFree) {
                t.spin.freeSpells++;
            }
            freeView = List.copyOf(free);
        }
    }

    /** For the watchdog: the threads running natively besides the running one (a copy). */
    List<TracedThread> freeThreads() {
        return freeView;
    }

    /** A traced thread appeared (clone/fork): its turn comes after what is ready now. */
    @Override
    public void spawnThread(int tid, ProcessState process) {
        TracedThread t = new TracedThread(this, tid, process);
        t.countCpuFromBirth();
        runsFree(t, true); // it runs natively from its birth until its first stop
        Wait.soon(sim, () -> runThread(t));
    }

    @Override
    public void threadGone(TracedThread t) {
        threads.remove(t.tid);
        liveView = List.copyOf(threads.values());
        parked.remove(t);
        runsFree(t, false);
        if (running == t) {
            running = null;
        }
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

    /** Kills whatever is left and answers every stop still waiting, before the tracer closes. */
    private void close() {
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        try {
            tracer.runOnOwner(() -> {
                closing = true;
                for (DeployedActor d : deployed) {
                    Tracee t = d.tracee;
                    if (t != null && !t.exitStatus().isDone()) {
                        t.kill();
                    }
                }
                for (Stop s : deferred) {
                    try {
                        s.resume(Resume.CONTINUE);
                    } catch (IllegalStateException closed) {
                        // already gone
                    }
                }
                deferred.clear();
                done.complete(null);
            });
            done.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the owner is gone or stuck: the tracer's close kills what is left
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
    @Override
    public HandlerResult unmediated(Call c) {
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
            String support = MediationTable.support(c.nr).label(); // docs/syscalls.md says the same
            listener.diagnostic("actor " + c.thread.process.owner.name + " on " + c.thread.process.owner.host.name()
                    + ": " + call + " applies a syscall the simulation does not mediate to a simulated socket ("
                    + simterpose.tracer.syscall.SyscallTable.name(c.nr) + ": " + support + "); "
                    + (fail ? "it fails with EOPNOTSUPP" : "it runs on the placeholder fd") + " (reported once)");
        }
        return fail ? HandlerResult.errno(Errno.EOPNOTSUPP) : HandlerResult.NATIVE;
    }
}
