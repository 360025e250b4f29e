package simterpose.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import simterpose.emulator.EmulateOptions;
import simterpose.emulator.EmulationException;
import simterpose.emulator.Emulator;
import simterpose.simulator.mediation.RunOptions;
import simterpose.simulator.mediation.RunReport;
import simterpose.simulator.mediation.RunReport.ActorReport;
import simterpose.simulator.mediation.run.Runner;

/**
 * {@code simterpose compare}: the prediction against the ground truth. Runs the deployment under
 * {@code run} (simulated) and under {@code emulate} (real kernels, emulated links) and prints, per
 * actor, both end times and their relative difference. Per blocking call comes once {@code run}
 * logs its calls (issue 13's {@code --strace}).
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {
                "Runs the deployment twice, simulated (run) and emulated (emulate), and prints per actor its end time "
                        + "under each and the relative difference (run - emulate) / emulate. Each run's files go to "
                        + "OUTPUT/run and OUTPUT/emulate. Needs what emulate needs.",
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
        RunReportFormat.checkJsonFile(jsonFile);
        Path out = outputDirectory.toAbsolutePath().normalize();
        PrintWriter err = spec.commandLine().getErr();
        RunReport simulated;
        RunReport emulated;
        try (CtrlC ctrlC = CtrlC.interrupting(Thread.currentThread(), err)) {
            // emulate first: it is the one that can refuse to start (capabilities), before any work
            emulated = Emulator.run(loaded.platform(), loaded.deployment(), new EmulateOptions(out.resolve("emulate"), null))
                    .report();
            if (Thread.currentThread().isInterrupted()) {
                return RunReportFormat.EXIT_INTERRUPTED;
            }
            simulated = RunCommand.load(() -> Runner.run(loaded.platform(), loaded.deployment(),
                    new RunOptions(out.resolve("run"), cpu, Double.NaN, 0, RunOptions.DEFAULT_EPOCH, cfg, false,
                            RunOptions.UnmediatedPolicy.FAIL, Duration.ZERO, false), new RunCommand.Listener(err)));
        } catch (EmulationException e) {
            throw new UserError(e.getMessage(), e);
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < simulated.actors().size(); i++) {
            rows.add(new Row(simulated.actors().get(i), emulated.actors().get(i)));
        }
        PrintWriter o = spec.commandLine().getOut();
        o.print(text(rows, simulated, emulated));
        o.flush();
        if (jsonFile != null) {
            try {
                Files.writeString(jsonFile, json(rows, simulated, emulated));
            } catch (IOException e) {
                throw new UserError(jsonFile + ": cannot write the JSON report (" + e.getMessage() + ")");
            }
        }
        return Math.max(RunReportFormat.exitStatus(simulated), RunReportFormat.exitStatus(emulated)) == 0 ? 0
                : Math.max(RunReportFormat.exitStatus(simulated), RunReportFormat.exitStatus(emulated));
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
        sb.append("\ndifference = (run - emulate) / emulate; per blocking call: not yet (needs run --strace, issue 13)\n");
        return sb.toString();
    }

    private static String end(ActorReport a) {
        return a.end() < 0 ? "-" : PlatformCommand.number(a.end());
    }

    private static String percent(double x) {
        return Double.isNaN(x) || Double.isInfinite(x) ? "-" : String.format(Locale.ROOT, "%+.1f%%", 100 * x);
    }

    static String json(List<Row> rows, RunReport simulated, RunReport emulated) {
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
        w.name("blockingCalls").nullValue();
        return w.endObject().toJson();
    }
}
