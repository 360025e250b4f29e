package simterpose.simulator.mediation.run;

import simterpose.simulator.mediation.RunListener;
import simterpose.simulator.mediation.RunOptions;
import simterpose.simulator.mediation.RunReport;
import simterpose.simulator.mediation.handlers.MediationTable;
import simterpose.simulator.platform.Deployment;
import simterpose.simulator.platform.Platform;

/**
 * Runs a deployment's real programs on a simulated platform.
 *
 * <p>Each actor's {@code function} is the program (a path, or a name searched in PATH) and its
 * {@code argument}s its argv. Optional actor props: {@code cwd} (the directory it starts in;
 * default the tool's) and {@code env} (extra {@code NAME=VALUE} pairs separated by spaces, added
 * to the tool's environment). Its stdin is /dev/null; its stdout and stderr go to
 * {@code <host>-<program>-<index>.stdout|stderr} in {@link RunOptions#outputDirectory()}
 * (index: the actor's position in the deployment). See {@code TracedThread} for how a stop
 * flows, and the handler families ({@code SocketHandlers}, {@code IoHandlers},
 * {@code FdHandlers}, {@code TimeHandlers}, {@code UnmediatedHandlers}) for what is mediated.
 */
public final class Runner {
    private Runner() {}

    /**
     * Builds the syscall handler table and links the tracer's native calls now (about 50 ms
     * the first run would otherwise spend), so that a start-up can do it on a spare thread.
     * Idempotent, no visible effect.
     */
    public static void link() {
        simterpose.tracer.Tracer.link(); // first: the tracer's owner thread waits for it
        MediationTable.rows();
    }

    /**
     * Launches every actor at its start time, mediates their network and time syscalls, and
     * returns when all have ended (or a deadlock was detected). Never leaves a process behind.
     * Interrupting the calling thread stops the run where it is: the report then shows the
     * actors still alive as INTERRUPTED (and the thread's interrupt status is set again).
     *
     * @throws simterpose.simulator.platform.PlatformException for bad input, before launching anything
     */
    public static RunReport run(Platform platform, Deployment deployment, RunOptions options, RunListener listener) {
        // The run itself happens on the tracer's owner thread; this thread only watches it.
        return run(platform, deployment, options, listener, simterpose.simulator.mediation.inputs.RunInputs.live());
    }

    /**
     * The same, with the run's real-world inputs (CPU time, local speed, real fds' readiness) read
     * through {@code inputs}: live, recorded ({@code RecordingInputs}) or replayed
     * ({@code ReplayingInputs}). The caller closes {@code inputs}.
     */
    public static RunReport run(Platform platform, Deployment deployment, RunOptions options, RunListener listener,
                                simterpose.simulator.mediation.inputs.RunInputs inputs) {
        return new Run(platform, deployment, options, listener, inputs).execute();
    }
}
