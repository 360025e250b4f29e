package simterpose.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import simterpose.cli.views.RunViews;
import simterpose.emulator.EmulateOptions;
import simterpose.emulator.EmulationException;
import simterpose.emulator.Emulator;
import simterpose.emulator.LinkQueueDiscipline;
import simterpose.simulator.mediation.RunOptions;
import simterpose.simulator.mediation.RunReport;
import simterpose.simulator.mediation.RunReport.ActorReport;
import simterpose.simulator.mediation.run.Runner;

/**
 * {@code simterpose compare}: the prediction against the ground truth. Runs the deployment under
 * {@code run} (simulated) and under {@code emulate} (real kernels, emulated links) and prints, per
 * actor, both end times and their relative difference; with {@code --blocking}, both runs also
 * write strace logs ({@code run --strace}, {@code emulate --strace}) and the comparison adds each
 * actor's blocking calls side by side ({@link BlockingComparison}).
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {
                "Runs the deployment twice, simulated (run) and emulated (emulate), and prints per actor its end time "
                        + "under each and the relative difference (run - emulate) / emulate. Each run's files go to "
                        + "OUTPUT/run and OUTPUT/emulate. With --blocking, also each blocking call's duration under "
                        + "each, matched by actor and order. Needs what emulate needs.",
                ""},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
                "0:both runs ended with every actor successful",
                "1:an actor failed in one of the runs",
                "2:bad input, or this machine cannot emulate; nothing was launched",
                "130:interrupted by Ctrl-C"})
final class CompareCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DeploymentFiles files;

    @Mixin
    LinkQueueOption linkQueue;

    private final List<String> cfgItems = new ArrayList<>();

    @Option(names = "--cfg", paramLabel = "KEY:VALUE",
            description = "SimGrid configuration item for the simulated run, e.g. network/model:CM02")
    void cfg(String item) {
        cfgItems.add(item);
    }

    @Option(names = "--cpu-model", paramLabel = "measured|none", defaultValue = "measured",
            description = "the simulated run's CPU model (default: ${DEFAULT-VALUE}; see run)")
    String cpuModel;

    @Option(names = {"-o", "--output-dir"}, paramLabel = "DIR", defaultValue = "simterpose-out",
            description = "the two runs' files go to DIR/run and DIR/emulate (default: ${DEFAULT-VALUE})")
    Path outputDirectory;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the comparison as JSON to FILE")
    Path jsonFile;

    @Option(names = "--blocking", paramLabel = "MIN", arity = "0..1", fallbackValue = "1ms",
            description = "also compare, per actor and in order, the calls that blocked for at least MIN (default 1ms) "
                    + "in either run: both runs write strace logs to OUTPUT/run/strace and OUTPUT/emulate/strace "
                    + "(emulate's programs then run under strace, which slows their system calls)")
    String blocking;

    /** One actor in both runs. */
    record Row(ActorReport run, ActorReport emulated) {
        /** (run - emulate) / emulate of the end times; NaN when either did not end. */
        double relativeDifference() {
            return run.end() < 0 || emulated.end() <= 0 ? Double.NaN : (run.end() - emulated.end()) / emulated.end();
        }
    }

    @Override
    public Integer call() {
        DeploymentFiles.Loaded loaded = files.load();
        java.util.Map<String, String> cfg = CfgItems.parse(cfgItems);
        CfgItems.resolve(loaded.platform(), cfg);
        RunOptions.CpuMode cpu = RunCommand.cpuMode(cpuModel);
        LinkQueueDiscipline discipline = linkQueue.discipline();
        RunReportFormat.checkJsonFile(jsonFile);
        long blockingMin = blocking == null ? -1 : RunViewsOptions.blockingThreshold(blocking);
        Path out = outputDirectory.toAbsolutePath().normalize();
        // emulate makes its log directory (once it knows it can start) and removes its actors' old logs itself
        Path emulateStrace = blockingMin < 0 ? null : out.resolve("emulate").resolve("strace");
        Path runStrace = blockingMin < 0 ? null : out.resolve("run").resolve("strace");
        PrintWriter err = spec.commandLine().getErr();
        RunReport simulated;
        RunReport emulated;
        try (CtrlC ctrlC = CtrlC.interrupting(Thread.currentThread(), err)) {
            // emulate first: it is the one that can refuse to start (capabilities), before any work
            emulated = Emulator.run(loaded.platform(), loaded.deployment(),
                    new EmulateOptions(out.resolve("emulate"), emulateStrace, discipline)).report();
            if (Thread.currentThread().isInterrupted()) {
                return RunReportFormat.EXIT_INTERRUPTED;
            }
            RunOptions options = new RunOptions(out.resolve("run"), cpu, Double.NaN, 0, RunOptions.DEFAULT_EPOCH, cfg,
                    false, RunOptions.UnmediatedPolicy.FAIL, Duration.ZERO, false);
            try (RunViews views = runStrace == null ? null : new RunViews(
                    new RunViews.Options(emptied(runStrace), -1, null, false, null, Set.of()), loaded.platform(),
                    Math.round(options.epoch() * 1e9))) {
                simulated = RunCommand.load(() -> Runner.run(loaded.platform(), loaded.deployment(), options,
                        new RunCommand.Listener(err, views)));
            }
        } catch (EmulationException e) {
            throw new UserError(e.getMessage(), e);
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < simulated.actors().size(); i++) {
            rows.add(new Row(simulated.actors().get(i), emulated.actors().get(i)));
        }
        List<BlockingComparison.Row> calls = null;
        if (blockingMin >= 0) {
            try {
                calls = BlockingComparison.match(BlockingComparison.read(runStrace, blockingMin),
                        BlockingComparison.read(emulateStrace, blockingMin));
            } catch (IOException | RuntimeException e) {
                throw new UserError("cannot read the strace logs in " + runStrace + " and " + emulateStrace + " ("
                        + e.getMessage() + ")", e);
            }
        }
        PrintWriter o = spec.commandLine().getOut();
        o.print(text(rows, simulated, emulated));
        if (calls != null) {
            o.print('\n');
            o.print(BlockingComparison.text(calls, blockingMin, null));
        }
        o.flush();
        if (jsonFile != null) {
            try {
                Files.writeString(jsonFile, json(rows, simulated, emulated, calls));
            } catch (IOException e) {
                throw new UserError(jsonFile + ": cannot write the JSON report (" + e.getMessage() + ")");
            }
        }
        return Math.max(RunReportFormat.exitStatus(simulated), RunReportFormat.exitStatus(emulated)) == 0 ? 0
                : Math.max(RunReportFormat.exitStatus(simulated), RunReportFormat.exitStatus(emulated));
    }

    /** run's log directory, made, and emptied of an earlier compare's logs (other pids: they would read as more processes). */
    private static Path emptied(Path dir) {
        try {
            Files.createDirectories(dir);
            try (java.util.stream.Stream<Path> logs = Files.list(dir)) {
                for (Path log : logs.filter(f -> f.getFileName().toString().endsWith(".strace")).toList()) {
                    Files.delete(log);
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UserError("--blocking: cannot create " + dir + " (" + e.getMessage() + ")");
        }
    }

    static String text(List<Row> rows, RunReport simulated, RunReport emulated) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "makespan: run %s s, emulate %s s (%s)%n%n",
                PlatformCommand.number(simulated.makespan()), PlatformCommand.number(emulated.makespan()),
                percent((simulated.makespan() - emulated.makespan()) / emulated.makespan())));
        List<String[]> table = new ArrayList<>();
        table.add(new String[] {"actor", "host", "run end (s)", "emulate end (s)", "difference", "run outcome", "emulate outcome"});
        for (Row r : rows) {
            table.add(new String[] {r.run().name(), r.run().host(), end(r.run()), end(r.emulated()),
                    percent(r.relativeDifference()), RunReportFormat.outcome(r.run()), RunReportFormat.outcome(r.emulated())});
        }
        int[] width = new int[table.getFirst().length];
        for (String[] row : table) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (String[] row : table) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                String pad = " ".repeat(width[i] - row[i].length());
                line.append(i > 0 ? "  " : "").append(i >= 2 && i <= 4 ? pad + row[i] : row[i] + pad);
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        sb.append("\ndifference = (run - emulate) / emulate\n");
        return sb.toString();
    }

    private static String end(ActorReport a) {
        return a.end() < 0 ? "-" : PlatformCommand.number(a.end());
    }

    private static String percent(double x) {
        return Double.isNaN(x) || Double.isInfinite(x) ? "-" : String.format(Locale.ROOT, "%+.1f%%", 100 * x);
    }

    /** @param calls the per-blocking-call rows, or null without {@code --blocking} */
    static String json(List<Row> rows, RunReport simulated, RunReport emulated, List<BlockingComparison.Row> calls) {
        JsonWriter w = new JsonWriter().beginObject();
        w.name("makespan").beginObject().name("run").value(simulated.makespan()).name("emulate").value(emulated.makespan())
                .endObject();
        w.name("actors").beginArray();
        for (Row r : rows) {
            w.beginObject().name("name").value(r.run().name()).name("host").value(r.run().host());
            w.name("runEnd").value(r.run().end()).name("emulateEnd").value(r.emulated().end());
            double d = r.relativeDifference();
            w.name("relativeDifference");
            if (Double.isNaN(d)) {
                w.nullValue();
            } else {
                w.value(d);
            }
            w.name("runOutcome").value(RunReportFormat.outcome(r.run()));
            w.name("emulateOutcome").value(RunReportFormat.outcome(r.emulated()));
            w.endObject();
        }
        w.endArray();
        w.name("blockingCalls");
        if (calls == null) {
            w.nullValue();
        } else {
            BlockingComparison.json(w, calls);
        }
        return w.endObject().toJson();
    }
}
