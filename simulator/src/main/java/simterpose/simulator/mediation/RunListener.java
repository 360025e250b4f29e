package simterpose.simulator.mediation;

import java.time.Duration;

/** What a run tells its caller while it goes on. Called from the engine thread. */
public interface RunListener {
    /** Periodic progress (every {@link RunOptions#progressEvery()}). */
    default void progress(Progress progress) {}

    /** A one-time diagnostic a user should see (e.g. an unmediated syscall on a mediated fd). */
    default void diagnostic(String message) {}

    /** Who sees the run's calls, waits and packets as they happen; {@link RunObserver#NONE} (the default) costs nothing. */
    default RunObserver observer() {
        return RunObserver.NONE;
    }
    /**
     * True when the caller wants {@link #syscall} for every stopped syscall (run --verify): off by
     * default, as each one is then also decoded. Apart from {@link RunObserver} on purpose: this
     * feed names a thread by actor and creation order (the same every run), gives the raw call and
     * one event at its answer, and includes the native calls the views never show; the observer
     * names real pids and tids and tells each call's start, wait and end at simulated dates.
     */
    default boolean followsSyscalls() { return false; }

    /**
     * A stopped syscall of a traced thread got its answer, in the run's order (owner thread).
     * Only when {@link #followsSyscalls}.
     */
    default void syscall(SyscallSeen call) {}

    /**
     * One stopped syscall and its answer.
     *
     * @param actorIndex the actor's index in the deployment
     * @param thread     the thread's number within its actor, in creation order (0: the launched process)
     * @param nr         the syscall number
     * @param args       its six argument registers as the tracee gave them
     * @param result     what the simulation answered (a value, or -errno), when {@code answered}
     * @param answered   false when the call ran natively (its result is the kernel's, not seen here)
     * @param text       the call as strace prints it, its out-arguments decoded after the answer
     */
    record SyscallSeen(int actorIndex, String actor, int thread, int nr, long[] args, long result, boolean answered,
                       String text) {}

    /** @param threadsStopped threads stopped by SIGSTOP/SIGTSTP, blocked until SIGCONT */
    record Progress(double simulatedTime, Duration wall, int actorsAlive, int actorsTotal, int threadsStopped) {}
}
