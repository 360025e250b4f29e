package simterpose.simulator.mediation.tracee;

import java.util.SplittableRandom;
import simterpose.simulator.engine.Simulation;
import simterpose.simulator.kernel.Kernel;
import simterpose.simulator.mediation.RunListener;
import simterpose.simulator.mediation.RunOptions;
import simterpose.tracer.Resume;
import simterpose.tracer.Stop;
import simterpose.tracer.syscall.SyscallFormatter;

/**
 * What a traced thread and its calls see of the run that drives them: the simulation and its
 * virtual kernel, the run's options and services, the dispatch of a syscall to its handler, and
 * the scheduler's four entry points (a thread appears, is resumed, spawns, is gone). The run
 * ({@code run.Run}) implements it; handlers reach it only through {@link Call}.
 *
 * <p>Threading: the tracer's owner thread only.
 */
public interface RunContext {
    public Simulation sim();

    public Kernel kernel();

    public RunOptions options();

    public RunListener listener();

    /** Flops per second of one core of this machine (CPU time → executions); 0 without a CPU model. */
    public double localSpeed();

    /** What the run reads from the real world (CPU time, real fds' readiness): live, recorded or replayed. */
    public simterpose.simulator.mediation.inputs.RunInputs inputs();

    /** CLOCK_REALTIME at simulated date 0, in nanoseconds. */
    public long epochNanos();

    /** Decodes a call as strace prints it (diagnostics, the deadlock report). */
    public SyscallFormatter formatter();

    /** Tells the run's observer what its threads do; null when nobody observes (then nothing is decoded). */
    public ObservedCalls calls();

    /** Waits on real fds or pending signals, probed at each idle point of the engine. */
    public IdleProbes idleProbes();

    /** The run's seeded generator: getrandom, random devices, AT_RANDOM. */
    public SplittableRandom random();

    /** The platform's /etc files, written when first opened. */
    public HostFiles hostFiles();

    /** The real streams of {@code --mediation=address} (none adopted under full mediation). */
    public RealStreams realStreams();

    /** What a stop of syscall {@code nr} runs, or null (the tracee is not stopped for it). */
    public Handler handler(long nr);

    /** At an exec stop: the new image's set-up (its AT_RANDOM bytes from the seeded generator). */
    public void atExec(TracedThread thread, Stop stop);

    /** A syscall the simulation does not mediate names a simulated socket: reported once, then failed or passed. */
    public HandlerResult unmediated(Call call);

    /**
     * On the owner thread: a ptrace stop of {@code tid} waits in the kernel for the owner's next
     * wait (collected by nothing). False on other threads (the watchdog), which only hint.
     */
    boolean hasUncollectedStop(int tid);

    /**
     * Whether thread {@code tid} sleeps in a seccomp user notification the tracer has not handed
     * over yet (its call is on its way: it is not blocked); false off the owner thread.
     */
    boolean hasUncollectedNotification(int tid);

    /** True when {@code tid} is a thread (or process) of this run (the sandbox's test). */
    boolean traces(int tid);

    /**
     * The tid this machine (and the tracer) knows the run's thread or process by whom the run's
     * programs call {@code visibleTid} (they live in a PID namespace of their own), or -1 when
     * no thread of the run has that number.
     */
    int hostTid(int visibleTid);

    /** One more syscall mediated (the report's count). */
    public void countMediated();

    /** A new traced thread exists. */
    public void registerLive(TracedThread thread);

    /** The thread's turn: its tracee resumes from {@code stop} (null: none to resume) with {@code verdict}. */
    public void resumeThread(TracedThread thread, Stop stop, Resume verdict);

    /** A traced thread appeared (clone/fork): its turn comes after what is ready now. */
    public void spawnThread(int tid, ProcessState process);

    /**
     * A preempted thread with nothing to compute in simulated time (--cpu-model=none, or no CPU
     * time to charge) gives up its turn: {@code turn} runs after the turns ready at this date.
     * The clock moves to its next event before it runs only when every thread that gave up its
     * turn has spun {@link SpinSigns#SPIN_QUANTA} quanta without a syscall (see
     * {@link SpinSigns#quanta}): a thread spinning until a simulated date comes does not
     * hold the clock, and a thread that merely computes long does not see the clock jump.
     */
    public void yieldTurn(TracedThread thread, Runnable turn);

    /**
     * The thread runs natively without being the running one (born by clone/fork before its
     * first turn, or parked in a native block that may end), or no longer does: the watchdog
     * preempts such a thread too once it burns a quantum of CPU time.
     */
    public void runsFree(TracedThread thread, boolean free);

    /** The thread is gone (exited, killed, vanished). */
    public void threadGone(TracedThread thread);
}
