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

    /** @param threadsStopped threads stopped by SIGSTOP/SIGTSTP, blocked until SIGCONT */
    record Progress(double simulatedTime, Duration wall, int actorsAlive, int actorsTotal, int threadsStopped) {}
}
