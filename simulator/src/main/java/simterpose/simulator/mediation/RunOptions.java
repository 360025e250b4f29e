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
 * @param quantum         how long a traced thread runs natively without a stop before it is
 *                        preempted, of its own CPU time (under MEASURED that CPU time then
 *                        becomes an execution on its host; under NONE it costs no simulated
 *                        time); the other threads of the run get their turn meanwhile. Default
 *                        {@link #DEFAULT_QUANTUM}
 * @param spinLimit       end the run, with the spinning threads named, once the simulated clock
 *                        has stood still this long in wall time while traced threads burn CPU
 *                        (a livelock); zero: never (the spinning threads are named anyway)
 * @param mediation       FULL: the tool carries every byte of a simulated connection; ADDRESS:
 *                        a TCP connection's bytes go through a real AF_UNIX stream between the
 *                        two placeholder fds, the simulator deciding only when each side sees
 *                        them (UDP stays fully mediated)
 */
public record RunOptions(Path outputDirectory, CpuMode cpuMode, double localSpeed, long seed,
                         double epoch, Map<String, String> modelOverrides, boolean echoOutput,
                         UnmediatedPolicy unmediated, Duration progressEvery, boolean keepAslr,
                         Duration quantum, Duration spinLimit, Mediation mediation) {

    /** 2000-01-01T00:00:00Z: a fixed default so that runs repeat. */
    public static final double DEFAULT_EPOCH = 946_684_800.0;

    /**
     * 4 ms, a time slice of the order of a Linux kernel's (one tick at HZ=250; EEVDF's base slice
     * is 0.75-3 ms): short enough that a thread spinning on a flag gives the CPU back soon, long
     * enough that the interrupt stop (tens of µs) costs about 1 % of a CPU-bound program
     * (bin/bench-preempt).
     */
    public static final Duration DEFAULT_QUANTUM = Duration.ofMillis(4);

    public RunOptions {
        modelOverrides = Map.copyOf(modelOverrides);
        if (quantum == null) {
            quantum = DEFAULT_QUANTUM;
        }
        if (quantum.isNegative() || quantum.isZero()) {
            throw new IllegalArgumentException("quantum must be positive: " + quantum);
        }
        if (spinLimit == null) {
            spinLimit = Duration.ZERO;
        }
        if (spinLimit.isNegative()) {
            throw new IllegalArgumentException("spin limit must not be negative: " + spinLimit);
        }
        if (mediation == null) {
            mediation = Mediation.FULL;
        }
    }

    /** Full mediation. */
    public RunOptions(Path outputDirectory, CpuMode cpuMode, double localSpeed, long seed, double epoch,
                      Map<String, String> modelOverrides, boolean echoOutput, UnmediatedPolicy unmediated,
                      Duration progressEvery, boolean keepAslr, Duration quantum, Duration spinLimit) {
        this(outputDirectory, cpuMode, localSpeed, seed, epoch, modelOverrides, echoOutput, unmediated, progressEvery,
                keepAslr, quantum, spinLimit, Mediation.FULL);
    }

    /** No spin limit. */
    public RunOptions(Path outputDirectory, CpuMode cpuMode, double localSpeed, long seed, double epoch,
                      Map<String, String> modelOverrides, boolean echoOutput, UnmediatedPolicy unmediated,
                      Duration progressEvery, boolean keepAslr, Duration quantum) {
        this(outputDirectory, cpuMode, localSpeed, seed, epoch, modelOverrides, echoOutput, unmediated, progressEvery,
                keepAslr, quantum, Duration.ZERO);
    }

    /** The default quantum. */
    public RunOptions(Path outputDirectory, CpuMode cpuMode, double localSpeed, long seed, double epoch,
                      Map<String, String> modelOverrides, boolean echoOutput, UnmediatedPolicy unmediated,
                      Duration progressEvery, boolean keepAslr) {
        this(outputDirectory, cpuMode, localSpeed, seed, epoch, modelOverrides, echoOutput, unmediated, progressEvery,
                keepAslr, DEFAULT_QUANTUM);
    }

    /** ASLR off (see {@code keepAslr}). */
    public RunOptions(Path outputDirectory, CpuMode cpuMode, double localSpeed, long seed, double epoch,
                      Map<String, String> modelOverrides, boolean echoOutput, UnmediatedPolicy unmediated,
                      Duration progressEvery) {
        this(outputDirectory, cpuMode, localSpeed, seed, epoch, modelOverrides, echoOutput, unmediated, progressEvery, false);
    }

    public RunOptions withSeed(long newSeed) {
        return new RunOptions(outputDirectory, cpuMode, localSpeed, newSeed, epoch, modelOverrides, echoOutput, unmediated,
                progressEvery, keepAslr, quantum, spinLimit, mediation);
    }

    public RunOptions withQuantum(Duration newQuantum) {
        return new RunOptions(outputDirectory, cpuMode, localSpeed, seed, epoch, modelOverrides, echoOutput, unmediated,
                progressEvery, keepAslr, newQuantum, spinLimit, mediation);
    }

    public RunOptions withSpinLimit(Duration limit) {
        return new RunOptions(outputDirectory, cpuMode, localSpeed, seed, epoch, modelOverrides, echoOutput, unmediated,
                progressEvery, keepAslr, quantum, limit, mediation);
    }

    public RunOptions withAslrKept(boolean keep) {
        return new RunOptions(outputDirectory, cpuMode, localSpeed, seed, epoch, modelOverrides, echoOutput, unmediated,
                progressEvery, keep, quantum, spinLimit, mediation);
    }

    public RunOptions withMediation(Mediation newMediation) {
        return new RunOptions(outputDirectory, cpuMode, localSpeed, seed, epoch, modelOverrides, echoOutput, unmediated,
                progressEvery, keepAslr, quantum, spinLimit, newMediation);
    }

    public enum CpuMode { MEASURED, NONE }

    /** Who carries a simulated TCP connection's bytes (see {@code mediation}). */
    public enum Mediation { FULL, ADDRESS }

    public enum UnmediatedPolicy {
        /** Fail the syscall (EOPNOTSUPP) and report it once. */
        FAIL,
        /** Let the real kernel run it on the placeholder fd (reported once). */
        PASS
    }
}
