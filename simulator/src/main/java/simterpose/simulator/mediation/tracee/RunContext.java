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

    /** True when {@code tid} is a thread (or process) of this run (the sandbox's test). */
    boolean traces(int tid);

    /** One more syscall mediated (the report's count). */
    public void countMediated();

    /** A new traced thread exists. */
    public void registerLive(TracedThread thread);

    /** The thread's turn: its tracee resumes from {@code stop} (null: none to resume) with {@code verdict}. */
    public void resumeThread(TracedThread thread, Stop stop, Resume verdict);

    /** A traced thread appeared (clone/fork): its turn comes after what is ready now. */
    public void spawnThread(int tid, ProcessState process);

    /**
     * A thread preempted with nothing to compute in simulated time (--cpu-model=none) gives up
     * its turn: {@code turn} runs once nothing else is ready at this date and the clock has moved
     * to its next event (or cannot move), so that a thread spinning until a simulated date comes
     * does not hold the clock.
     */
    public void yieldUntilTheClockMoves(Runnable turn);

    /** The thread is gone (exited, killed, vanished). */
    public void threadGone(TracedThread thread);
}
