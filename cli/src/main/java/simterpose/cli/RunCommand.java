package simterpose.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import org.tinylog.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import simterpose.cli.views.BlockingTable;
import simterpose.cli.views.RunViews;
import simterpose.simulator.mediation.RunListener;
import simterpose.simulator.mediation.RunObserver;
import simterpose.simulator.mediation.RunOptions;
import simterpose.simulator.mediation.RunOptions.CpuMode;
import simterpose.simulator.mediation.RunOptions.UnmediatedPolicy;
import simterpose.simulator.mediation.RunReport;
import simterpose.simulator.mediation.inputs.RunInputs;
import simterpose.simulator.mediation.run.Runner;
import simterpose.simulator.platform.Deployment;
import simterpose.simulator.platform.Platform;
import simterpose.simulator.platform.PlatformException;
import simterpose.simulator.platform.Units;

/**
 * {@code simterpose run}: the main job. Checks the platform, the deployment and every actor's
 * program before launching anything (bad input is one located line and exit 2), hands them to
 * the {@link Runner}, then prints the end report and maps it to an exit status.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {
                "Runs the real programs of a deployment as actors on a simulated SimGrid platform, mediating their "
                        + "network and time syscalls, and prints the end report: simulated makespan, one row per actor "
                        + "(host, outcome, simulated start and end, bytes sent and received, syscalls mediated), the "
                        + "deadlock if any, and the wall time.",
                "",
                "An actor's function is its program: a path containing '/' resolves against the current directory "
                        + "(like a shell; against the actor's cwd prop if it has one), a bare name is searched on PATH. Its <argument>s are its argv; start_time and "
                        + "kill_time are simulated seconds. Each actor's stdout and stderr go to files in the output "
                        + "directory.",
                ""},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
                "0:every actor exited 0 (or was killed at its planned kill_time)",
                "1:some actor exited non-zero, was killed by a signal, or never started",
                "2:bad input (options, platform, deployment, a program missing or not executable); nothing was launched",
                "3:deadlock: every live actor was blocked with nothing pending (see the report's deadlock section), "
                        + "or spinning with the clock still past --spin-limit",
                "4:run --verify: the two runs differ (the first difference is printed)",
                "130:interrupted by Ctrl-C: the report shows the run up to then (a second Ctrl-C quits without it)"})
final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DeploymentFiles files;

    /** Where the report goes: picocli's writers, or standard out and err when {@link RunArgs} parsed the line. */
    private PrintWriter out() {
        return spec != null ? spec.commandLine().getOut() : new PrintWriter(System.out, true);
    }

    private PrintWriter err() {
        return spec != null ? spec.commandLine().getErr() : new PrintWriter(System.err, true);
    }

    // Checked in call(): errors raised while picocli parses get wrapped. Repeatable, as in SimGrid.
    @Option(names = "--cfg", paramLabel = "KEY:VALUE",
            description = "SimGrid configuration item, e.g. network/model:CM02 (overrides the platform's <config>); repeatable")
    List<String> cfgItems = new ArrayList<>();

    @Option(names = "--cpu-model", paramLabel = "measured|none", defaultValue = "measured",
            description = "measured: CPU time a program burns becomes an execution on its host's CPU (default); "
                    + "none: computation is free, so runs repeat exactly")
    String cpuModel = "measured"; // each default also here: RunArgs fills the fields without picocli

    @Option(names = "--local-speed", paramLabel = "FLOPS",
            description = "speed of one core of this machine (e.g. 2.5Gf), to scale measured CPU time (default: measured at start)")
    String localSpeed;

    @Option(names = "--quantum", paramLabel = "TIME",
            description = "how long a program's thread runs without a syscall before it is preempted so that the "
                    + "other threads get their turn (e.g. 4ms), of its own CPU time (default: 4ms)")
    String quantum;

    @Option(names = "--spin-limit", paramLabel = "TIME",
            description = "end the run once the simulated clock has stood still this long (wall time, e.g. 30s) while "
                    + "traced threads burn CPU: a livelock, reported as a deadlock whose rows name the spinning threads "
                    + "(exit status 3). Without it the spinning threads are named on stderr and the run goes on")
    String spinLimit;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
            description = "seed of every random source the programs see (default: ${DEFAULT-VALUE})")
    long seed = 0;

    @Option(names = "--epoch", paramLabel = "SECONDS|ISO-8601",
            description = "wall-clock date at simulated time 0, as seconds since 1970 or e.g. 2024-05-01T12:00:00Z "
                    + "(default: 2000-01-01T00:00:00Z)")
    String epoch;

    @Option(names = {"-o", "--output-dir"}, paramLabel = "DIR", defaultValue = "simterpose-out",
            description = "where each actor's stdout and stderr files go (default: ${DEFAULT-VALUE})")
    Path outputDirectory = Path.of("simterpose-out");

    @Option(names = "--echo", description = "also copy the actors' output to the terminal as it comes, each line "
            + "prefixed by '[actor@host] ' (stdout to stdout, stderr to stderr)")
    boolean echo;

    @Option(names = "--unmediated", paramLabel = "fail|pass", defaultValue = "fail",
            description = "a syscall simterpose does not mediate, applied to a mediated fd: fail it with EOPNOTSUPP "
                    + "(default) or let the real kernel run it on the placeholder fd; either way it is reported once")
    String unmediated = "fail";

    @Option(names = "--mediation", paramLabel = "full|address", defaultValue = "full",
            description = "who carries a simulated TCP connection's bytes: the tool (full, default) or a real kernel "
                    + "stream between the two programs (address: the simulator only decides when each side sees them; "
                    + "same report and simulated times; UDP stays fully mediated)")
    String mediation = "full";

    @Option(names = "--aslr", description = "keep this machine's address space layout randomization for the programs "
            + "(default: off, so that two runs with the same --seed are byte-identical)")
    boolean aslr;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the end report as JSON to FILE")
    Path jsonFile;

    @Option(names = "--progress", paramLabel = "SECONDS",
            description = "print progress (simulated time, wall time, actors alive) on stderr every SECONDS of wall "
                    + "time; 0 disables (default: 1 when stderr is a terminal, else 0)")
    String progress;

    @Option(names = "--record", paramLabel = "DIR",
            description = "write the run's real-world inputs (measured CPU time and local speed, real fds' readiness) "
                    + "to DIR/run-inputs.sim, for --replay")
    Path recordDir;

    @Option(names = "--replay", paramLabel = "DIR",
            description = "take the run's real-world inputs from DIR (written by --record) instead of measuring them; "
                    + "a run that asks for other inputs stops at the end with a divergence message, exit status 3")
    Path replayDir;

    @picocli.CommandLine.Mixin
    RunViewsOptions views = new RunViewsOptions();
    @Option(names = "--verify", description = "run the deployment twice and compare the second run with the first, "
            + "syscall by syscall (each thread's stopped calls: number, arguments, answer, the bytes they read or wrote), "
            + "then the reports and output files: print the first difference (actor, thread, syscall index, what "
            + "differed) or 'identical'; exit status 4 when they differ. With --record=DIR the second run replays the "
            + "first one's inputs")
    boolean verify;

    @Override
    public Integer call() {
        RunOptions options = options();
        if (recordDir != null && replayDir != null) {
            throw new UserError("--record and --replay: give one of them");
        }
        Platform platform = files.platform();
        checkCfg(platform);
        Deployment deployment = files.deployment(platform);
        checkOutputs();
        RunViews.Options asked = views.resolve();

        PrintWriter err = err();
        if (verify) {
            return verified(platform, deployment, options, err);
        }
        RunReport report;
        long peakHeap;
        RunInputs inputs = RunInputsOption.open(recordDir, replayDir);
        RunViews shown = asked.any() ? new RunViews(asked, platform, Math.round(options.epoch() * 1e9)) : null;
        try (CtrlC ctrlC = CtrlC.interrupting(Thread.currentThread(), err); HeapPeak heap = new HeapPeak()) {
            report = load(() -> Runner.run(platform, deployment, options, new Listener(err, shown), inputs));
            peakHeap = heap.bytes();
        } finally {
            RunInputsOption.close(inputs, recordDir);
            if (shown != null) {
                shown.close(); // the run ended them already, unless it failed
            }
        }
        PrintWriter out = out();
        out.print(RunReportFormat.text(report));
        BlockingTable blockingTable = shown == null ? null : shown.blocking();
        if (blockingTable != null) {
            out.print(blockingTable.render());
        }
        out.flush();
        if (jsonFile != null) {
            try {
                Files.writeString(jsonFile, RunReportFormat.json(report, options.outputDirectory(), peakHeap, blockingTable));
            } catch (IOException e) {
                throw new UserError(jsonFile + ": cannot write the JSON report (" + e.getMessage() + ")");
            }
        }
        java.util.Optional<String> diverged = RunInputsOption.divergence(inputs);
        if (diverged.isPresent()) {
            err.println("simterpose run: " + diverged.get());
            err.flush();
            return RunInputsOption.DIVERGED;
        }
        return RunReportFormat.exitStatus(report);
    }

    /**
     * run --verify: the first run as usual (its report and outputs are the run's), the second into
     * a temporary directory, compared with the first as it goes (see {@link RunVerification}).
     */
    private int verified(Platform platform, Deployment deployment, RunOptions options, PrintWriter err) {
        Listener user = new Listener(err);
        RunVerification.Recorder first = new RunVerification.Recorder(user);
        RunVerification.Comparer second = new RunVerification.Comparer(user, first);
        RunReport one;
        RunReport two = null;
        long peakHeap;
        java.util.Optional<String> replayDiverged;
        Path secondOut;
        try {
            secondOut = Files.createTempDirectory("simterpose-verify-");
        } catch (IOException e) {
            throw new UserError("--verify: cannot create a directory for the second run's outputs: " + e.getMessage());
        }
        try (CtrlC ctrlC = CtrlC.interrupting(Thread.currentThread(), err); HeapPeak heap = new HeapPeak()) {
            RunInputs inputs = RunInputsOption.open(recordDir, replayDir);
            try {
                one = load(() -> Runner.run(platform, deployment, options, first, inputs));
            } finally {
                RunInputsOption.close(inputs, recordDir);
            }
            replayDiverged = RunInputsOption.divergence(inputs);
            if (RunReportFormat.exitStatus(one) != RunReportFormat.EXIT_INTERRUPTED && replayDiverged.isEmpty()) {
                RunInputs again = RunInputsOption.open(null, recordDir != null ? recordDir : replayDir);
                RunOptions secondOptions = new RunOptions(secondOut, options.cpuMode(), options.localSpeed(), options.seed(),
                        options.epoch(), options.modelOverrides(), false, options.unmediated(), options.progressEvery(),
                        options.keepAslr(), options.quantum());
                try {
                    two = load(() -> Runner.run(platform, deployment, secondOptions, second, again));
                } finally {
                    RunInputsOption.close(again, null);
                }
                replayDiverged = RunInputsOption.divergence(again);
            }
            peakHeap = heap.bytes();
        }
        PrintWriter out = out();
        out.print(RunReportFormat.text(one));
        if (jsonFile != null) {
            try {
                Files.writeString(jsonFile, RunReportFormat.json(one, options.outputDirectory(), peakHeap));
            } catch (IOException e) {
                throw new UserError(jsonFile + ": cannot write the JSON report (" + e.getMessage() + ")");
            }
        }
        try {
            if (replayDiverged.isPresent()) {
                out.flush();
                err.println("simterpose run: " + replayDiverged.get());
                err.flush();
                return RunInputsOption.DIVERGED;
            }
            if (two == null) {
                out.flush();
                return RunReportFormat.exitStatus(one);
            }
            RunReport b = two;
            java.util.Optional<RunVerification.Divergence> d = java.util.Optional.ofNullable(second.divergence)
                    .or(second::shorterStreams)
                    .or(() -> RunVerification.compareReports(one, b))
                    .or(() -> RunVerification.compareOutputs(one, b));
            boolean measuredLive = options.cpuMode() == CpuMode.MEASURED && recordDir == null && replayDir == null;
            out.print(RunVerification.verdict(d, measuredLive, RunVerification.calls(first),
                    one.wall().toNanos() / 1e9, b.wall().toNanos() / 1e9));
            out.flush();
            return d.isPresent() ? RunVerification.DIFFER : RunReportFormat.exitStatus(one);
        } finally {
            deleteTree(secondOut);
        }
    }

    private static void deleteTree(Path dir) {
        try (var all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temporary directory left behind is no reason to fail the run
        }
    }

    /** Turns the options into {@link RunOptions}; every mistake is a {@link UserError}. */
    RunOptions options() {
        CpuMode cpu = cpuMode(cpuModel);
        UnmediatedPolicy policy = switch (unmediated.toLowerCase(Locale.ROOT)) {
            case "fail" -> UnmediatedPolicy.FAIL;
            case "pass" -> UnmediatedPolicy.PASS;
            default -> throw new UserError("--unmediated=" + unmediated + ": expected 'fail' or 'pass'");
        };
        double speed = Double.NaN;
        if (localSpeed != null) {
            try {
                speed = Units.speed(localSpeed);
            } catch (Units.UnitException e) {
                throw new UserError("--local-speed=" + localSpeed + ": " + e.getMessage());
            }
            if (!(speed > 0) || Double.isInfinite(speed)) {
                throw new UserError("--local-speed=" + localSpeed + ": expected a positive speed, e.g. 2.5Gf");
            }
        }
        return new RunOptions(outputDirectory.toAbsolutePath().normalize(), cpu, speed, seed,
                epoch == null ? RunOptions.DEFAULT_EPOCH : parseEpoch(epoch), cfgMap(), echo, policy, progressEvery(), aslr,
                quantum()).withSpinLimit(spinLimit()).withMediation(mediation());
    }

    private RunOptions.Mediation mediation() {
        return switch (mediation.toLowerCase(Locale.ROOT)) {
            case "full" -> RunOptions.Mediation.FULL;
            case "address" -> RunOptions.Mediation.ADDRESS;
            default -> throw new UserError("--mediation=" + mediation + ": expected 'full' or 'address'");
        };
    }

    private java.time.Duration spinLimit() {
        return spinLimit == null ? java.time.Duration.ZERO
                : time("--spin-limit", spinLimit, 1, 1e6, "a time of at least 1s, e.g. 30s");
    }

    /** {@code --cpu-model} (run's and compare's): measured or none. */
    static CpuMode cpuMode(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "measured" -> CpuMode.MEASURED;
            case "none" -> CpuMode.NONE;
            default -> throw new UserError("--cpu-model=" + text + ": expected 'measured' or 'none'");
        };
    }

    private java.time.Duration quantum() {
        return quantum == null ? RunOptions.DEFAULT_QUANTUM
                : time("--quantum", quantum, 1e-4, 10, "a time between 100us and 10s, e.g. 4ms");
    }

    /** A time option's value (e.g. 4ms, 30s) between min and max seconds, or one clear error. */
    private static java.time.Duration time(String option, String value, double min, double max, String expected) {
        double seconds;
        try {
            seconds = Units.time(value);
        } catch (Units.UnitException e) {
            throw new UserError(option + "=" + value + ": " + e.getMessage());
        }
        if (!(seconds >= min) || seconds > max) {
            throw new UserError(option + "=" + value + ": expected " + expected);
        }
        return java.time.Duration.ofNanos(Math.round(seconds * 1e9));
    }

    private Map<String, String> cfgMap() {
        return CfgItems.parse(cfgItems);
    }

    private void checkCfg(Platform platform) {
        CfgItems.resolve(platform, cfgMap());
    }

    /**
     * The latest --epoch: 2100-01-01T00:00:00Z. The simulated wall clock counts nanoseconds in a
     * 64-bit integer (room until 2262) and must not wrap during a run, nor go before 1970 (Linux's
     * clock_settime refuses a negative CLOCK_REALTIME).
     */
    static final double MAX_EPOCH = 4_102_444_800d;

    /** Seconds since 1970, or an ISO-8601 date-time (UTC unless it says otherwise), or a date, in [1970, 2100]. */
    static double parseEpoch(String text) {
        double seconds = parseEpochText(text);
        if (!(seconds >= 0 && seconds <= MAX_EPOCH)) {
            throw new UserError("--epoch=" + text + ": expected a date between 1970-01-01T00:00:00Z (0) and "
                    + "2100-01-01T00:00:00Z (" + (long) MAX_EPOCH + ")");
        }
        return seconds;
    }

    private static double parseEpochText(String text) {
        String t = text.strip();
        try {
            double seconds = Double.parseDouble(t);
            if (Double.isFinite(seconds)) {
                return seconds;
            }
        } catch (NumberFormatException notANumber) {
            Instant instant = null;
            try {
                instant = OffsetDateTime.parse(t).toInstant();
            } catch (DateTimeParseException e1) {
                try {
                    instant = LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
                } catch (DateTimeParseException e2) {
                    try {
                        instant = LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC);
                    } catch (DateTimeParseException e3) {
                        // falls through to the error below
                    }
                }
            }
            if (instant != null) {
                return instant.getEpochSecond() + instant.getNano() / 1e9;
            }
        }
        throw new UserError("--epoch=" + text + ": expected seconds since 1970 (e.g. 946684800) or an ISO-8601 date-time "
                + "(e.g. 2000-01-01T00:00:00Z)");
    }

    private Duration progressEvery() {
        if (progress == null) {
            return stderrIsTerminal() ? Duration.ofSeconds(1) : Duration.ZERO;
        }
        double seconds;
        try {
            seconds = Double.parseDouble(progress.strip());
        } catch (NumberFormatException e) {
            seconds = Double.NaN;
        }
        if (!(seconds >= 0) || seconds > 1e9) {
            throw new UserError("--progress=" + progress + ": expected a number of seconds (0 disables)");
        }
        return Duration.ofNanos(Math.round(seconds * 1e9));
    }

    private static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Checked before the run so that a long run never ends in an unwritable report. */
    private void checkOutputs() {
        if (Files.exists(outputDirectory) && !Files.isDirectory(outputDirectory)) {
            throw new UserError("--output-dir=" + outputDirectory + ": exists and is not a directory");
        }
        RunReportFormat.checkJsonFile(jsonFile);
        if (jsonFile != null) {
            Path parent = jsonFile.toAbsolutePath().getParent();
            if (!Files.isWritable(parent) || Files.exists(jsonFile) && !Files.isWritable(jsonFile)) {
                throw new UserError("--json=" + jsonFile + ": not writable");
            }
            if (Files.exists(jsonFile) && !Files.isRegularFile(jsonFile)) {
                throw new UserError("--json=" + jsonFile + ": not a regular file");
            }
            try {
                // root may write anywhere; /proc and /sys files accept the open and refuse the write
                String store = Files.getFileStore(parent).type();
                if (store.equals("proc") || store.equals("sysfs")) {
                    throw new UserError("--json=" + jsonFile + ": on the " + store + " file system, where no report can be written");
                }
            } catch (IOException e) {
                throw new UserError("--json=" + jsonFile + ": " + e.getMessage());
            }
        }
    }

    interface Step<T> {
        T get();
    }

    /** Runs a step whose bad input arrives as a located {@link PlatformException}. */
    static <T> T load(Step<T> step) {
        try {
            return step.get();
        } catch (PlatformException e) {
            throw new UserError(e.getMessage(), e);
        }
    }

    /**
     * Progress and diagnostics from the run. The Runner calls it from its engine thread; the
     * set of diagnostics already shown is concurrent anyway, as the contract does not promise one
     * thread.
     */
    static final class Listener implements RunListener {
        private final PrintWriter err;
        private final Set<String> shown = ConcurrentHashMap.newKeySet();
        private final RunObserver observer;

        Listener(PrintWriter err) {
            this(err, null);
        }

        /** @param views the views asked for, or null */
        Listener(PrintWriter err, RunViews views) {
            this.err = err;
            this.observer = views == null ? RunObserver.NONE : views;
        }

        @Override
        public RunObserver observer() {
            return observer;
        }

        @Override
        public void progress(Progress p) {
            err.printf(Locale.ROOT, "simterpose: simulated %s s, wall %.1f s, %d/%d actors alive%s%n",
                    PlatformCommand.number(p.simulatedTime()), p.wall().toNanos() / 1e9, p.actorsAlive(), p.actorsTotal(),
                    p.threadsStopped() == 0 ? "" : ", " + p.threadsStopped() + " stopped by a signal (until SIGCONT)");
            err.flush();
        }

        @Override
        public void diagnostic(String message) {
            if (shown.add(message)) {
                Logger.warn(message);
            }
        }
    }
}
