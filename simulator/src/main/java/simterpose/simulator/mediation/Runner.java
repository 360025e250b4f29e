package simterpose.simulator.mediation;

import simterpose.simulator.platform.Deployment;
import simterpose.simulator.platform.Platform;

/** Runs a deployment's real programs on a simulated platform. */
public final class Runner {
    private Runner() {}

    /**
     * Launches every actor at its start time, mediates their network and time syscalls, and
     * returns when all have ended (or a deadlock was detected). Never leaves a process behind.
     *
     * @throws simterpose.simulator.platform.PlatformException for bad input, before launching anything
     */
    public static RunReport run(Platform platform, Deployment deployment, RunOptions options, RunListener listener) {
        throw new UnsupportedOperationException("mediation not built yet");
    }
}
