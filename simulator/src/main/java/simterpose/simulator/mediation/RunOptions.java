package simterpose.simulator.mediation;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * How a {@code Runner} runs a deployment.
 *
 * @param outputDirectory where each actor's stdout/stderr files go (created if absent)
 * @param cpuMode         MEASURED: CPU time a tracee burns becomes an execution on its host;
 *                        NONE: computation is free (runs repeat exactly)
 * @param localSpeed      flop/s of one core of this machine, for scaling measured CPU time;
 *                        NaN means measure it at start
 * @param seed            seeds every random source handed to tracees
 * @param epoch           the simulated wall-clock time (seconds since 1970) at simulated date 0
 * @param modelOverrides  SimGrid configuration items given on the command line (--cfg)
 * @param echoOutput      also copy the actors' output to the terminal, prefixed by actor name
 * @param unmediated      what to do when a tracee applies a syscall we do not mediate to a
 *                        mediated file descriptor
 * @param progressEvery   how often (wall time) to report progress; zero disables
 * @param keepAslr        launch the programs with the machine's address space layout
 *                        randomization; false (the default) turns it off (personality
 *                        ADDR_NO_RANDOMIZE) so that the same seed gives byte-identical runs
 */
public record RunOptions(Path outputDirectory, CpuMode cpuMode, double localSpeed, long seed,
                         double epoch, Map<String, String> modelOverrides, boolean echoOutput,
                         UnmediatedPolicy unmediated, Duration progressEvery, boolean keepAslr) {

    /** 2000-01-01T00:00:00Z: a fixed default so that runs repeat. */
    public static final double DEFAULT_EPOCH = 946_684_800.0;

    public RunOptions {
        modelOverrides = Map.copyOf(modelOverrides);
    }

    /** ASLR off (see {@code keepAslr}). */
    public RunOptions(Path outputDirectory, CpuMode cpuMode, double localSpeed, long seed, double epoch,
                      Map<String, String> modelOverrides, boolean echoOutput, UnmediatedPolicy unmediated,
                      Duration progressEvery) {
        this(outputDirectory, cpuMode, localSpeed, seed, epoch, modelOverrides, echoOutput, unmediated, progressEvery, false);
    }

    public RunOptions withSeed(long newSeed) {
        return new RunOptions(outputDirectory, cpuMode, localSpeed, newSeed, epoch, modelOverrides, echoOutput, unmediated,
                progressEvery, keepAslr);
    }

    public RunOptions withAslrKept(boolean keep) {
        return new RunOptions(outputDirectory, cpuMode, localSpeed, seed, epoch, modelOverrides, echoOutput, unmediated,
                progressEvery, keep);
    }

    public enum CpuMode { MEASURED, NONE }

    public enum UnmediatedPolicy {
        /** Fail the syscall (EOPNOTSUPP) and report it once. */
        FAIL,
        /** Let the real kernel run it on the placeholder fd (reported once). */
        PASS
    }
}
