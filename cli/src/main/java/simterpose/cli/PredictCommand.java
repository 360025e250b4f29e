package simterpose.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.Stack;
import picocli.CommandLine.Command;
import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import simterpose.simulator.engine.Predictor;
import simterpose.simulator.model.ModelConfig;
import simterpose.simulator.platform.Host;
import simterpose.simulator.platform.Platform;
import simterpose.simulator.platform.PlatformException;
import simterpose.simulator.platform.PlatformLoader;
import simterpose.simulator.platform.Units;

/**
 * {@code simterpose predict}: runs flows and executions on a platform under SimGrid's models
 * and prints, per activity and in input order, one JSON object with its finish time.
 *
 * <p>Amounts: a plain number, or a number with a unit, read by SimGrid's own rules
 * ({@link Units}): bytes {@code B} (or bits {@code b}) with SI prefixes ({@code kB}=1e3,
 * {@code MB}, {@code GB}, {@code TB}) or binary ones ({@code KiB}=1024, {@code MiB},
 * {@code GiB}, {@code TiB}); flops {@code f} or {@code flops} with the same SI prefixes
 * ({@code Gf}, {@code Mflops}); start dates in seconds, or {@code s}, {@code ms}, {@code us},
 * {@code ns}, {@code m}, {@code h}, {@code d}, {@code w}.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Predicts when flows and executions finish on a SimGrid platform (CM02/LV08, Cas01).")
final class PredictCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "SimGrid platform file")
    Path platformFile;

    private final List<String> specs = new ArrayList<>(); // "flow ..." / "exec ...", input order
    private final Function<Path, Platform> loader;

    PredictCommand() {
        this(PlatformLoader::load);
    }

    /** Tests give their own platform loader. */
    PredictCommand(Function<Path, Platform> loader) {
        this.loader = loader;
    }

    // Checked in call(): errors raised while picocli parses get wrapped. Repeatable, as in SimGrid.
    @Option(names = "--cfg", paramLabel = "KEY:VALUE",
            description = "SimGrid configuration item, e.g. network/model:CM02 (overrides the platform's <config>); repeatable")
    List<String> cfgItems = new ArrayList<>();

    // The three options below feed one list so that activities keep their command-line order.
    @Option(names = "--flow", paramLabel = "SRC:DST:BYTES[@START]", parameterConsumer = InOrder.class,
            description = "a transfer between two hosts")
    List<String> flows;

    @Option(names = "--exec", paramLabel = "HOST:FLOPS[@START]", parameterConsumer = InOrder.class,
            description = "an execution on one core of a host")
    List<String> execs;

    @Option(names = "--flows-file", paramLabel = "FILE", parameterConsumer = InOrder.class,
            description = "activities, one per line: 'flow SRC:DST:BYTES[@START]' or 'exec HOST:FLOPS[@START]'"
                    + " ('#' starts a comment)")
    List<String> files;

    /** Appends each --flow/--exec/--flows-file value to {@link #specs} as it is parsed. */
    static final class InOrder implements IParameterConsumer {
        @Override
        public void consumeParameters(Stack<String> args, ArgSpec arg, CommandSpec command) {
            if (args.isEmpty()) {
                throw new ParameterException(command.commandLine(), "missing value for " + arg.paramLabel());
            }
            String name = ((OptionSpec) arg).longestName();
            String kind = switch (name) {
                case "--flow" -> "flow ";
                case "--exec" -> "exec ";
                default -> "file ";
            };
            ((PredictCommand) command.userObject()).specs.add(kind + args.pop());
        }
    }

    private List<String> expandFiles() {
        List<String> out = new ArrayList<>();
        for (String s : specs) {
            if (s.startsWith("file ")) {
                readFlowsFile(Path.of(s.substring(5)), out);
            } else {
                out.add(s);
            }
        }
        return out;
    }

    private static void readFlowsFile(Path file, List<String> specs) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UserError(file + ": cannot read (" + e.getMessage() + ")");
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash).strip();
            }
            if (line.isEmpty()) {
                continue;
            }
            if (!line.startsWith("flow ") && !line.startsWith("exec ")) {
                throw new UserError(file + ":" + (i + 1) + ": expected 'flow SRC:DST:BYTES[@START]' or "
                        + "'exec HOST:FLOPS[@START]', got '" + line + "'");
            }
            specs.add(line + "\0" + file + ":" + (i + 1));
        }
    }

    @Override
    public Integer call() {
        Map<String, String> cfg = CfgItems.parse(cfgItems);
        List<String> activities = expandFiles();
        Platform platform;
        try {
            platform = loader.apply(platformFile);
        } catch (PlatformException e) {
            throw new UserError(e.getMessage());
        }
        ModelConfig config = CfgItems.resolve(platform, cfg);
        if (config.linuxTcp()) { // predict's flows are SimGrid's, not connections: no window to grow
            throw new UserError("network/model: 'TCP' is run's model of TCP connections; predict computes"
                    + " SimGrid's flows (LV08, its default, or CM02)");
        }
        List<Predictor.Request> requests = new ArrayList<>(activities.size());
        for (String s : activities) {
            requests.add(parse(platform, s));
        }
        List<Predictor.Outcome> outcomes;
        try {
            outcomes = Predictor.run(platform, config, requests);
        } catch (PlatformException e) {
            throw new UserError(e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        StringBuilder sb = new StringBuilder();
        for (Predictor.Outcome o : outcomes) {
            sb.setLength(0);
            switch (o.request()) {
                case Predictor.Flow f -> sb.append("{\"kind\":\"flow\",\"src\":").append(json(f.src().name()))
                        .append(",\"dst\":").append(json(f.dst().name())).append(",\"bytes\":")
                        .append(number(f.bytes()));
                case Predictor.Exec e -> sb.append("{\"kind\":\"exec\",\"host\":").append(json(e.host().name()))
                        .append(",\"flops\":").append(number(e.flops()));
            }
            sb.append(",\"start\":").append(number(o.request().start())).append(",\"finish\":")
                    .append(number(o.finish())).append('}');
            out.println(sb);
        }
        out.flush();
        return 0;
    }

    /** Parses "flow SRC:DST:BYTES[@START]" or "exec HOST:FLOPS[@START]" (optionally "\0where"). */
    static Predictor.Request parse(Platform platform, String spec) {
        String where = "";
        int nul = spec.indexOf('\0');
        if (nul >= 0) {
            where = spec.substring(nul + 1) + ": ";
            spec = spec.substring(0, nul);
        }
        boolean flow = spec.startsWith("flow ");
        String body = spec.substring(5).strip();
        String option = flow ? "--flow " : "--exec ";
        double start = 0;
        int at = body.lastIndexOf('@');
        if (at >= 0) {
            start = amount(where + option + body, body.substring(at + 1), TIME, "a start date (e.g. 1.5, 20ms)");
            body = body.substring(0, at);
        }
        String[] parts = body.split(":", -1);
        if (flow) {
            if (parts.length != 3) {
                throw new UserError(where + option + body + ": expected SRC:DST:BYTES[@START]");
            }
            Host src = host(platform, where + option + body, parts[0]);
            Host dst = host(platform, where + option + body, parts[1]);
            double bytes = amount(where + option + body, parts[2], BYTES, "a size in bytes (e.g. 1000, 1MB, 4KiB)");
            return new Predictor.Flow(src, dst, bytes, start);
        }
        if (parts.length != 2) {
            throw new UserError(where + option + body + ": expected HOST:FLOPS[@START]");
        }
        Host host = host(platform, where + option + body, parts[0]);
        double flops = amount(where + option + body, parts[1], FLOPS, "an amount of flops (e.g. 1e9, 1Gf)");
        return new Predictor.Exec(host, flops, start);
    }

    private static Host host(Platform platform, String context, String name) {
        return platform.host(name).orElseThrow(() -> new UserError(context + ": unknown host '" + name + "'"));
    }

    /** How {@link #amount} reads one kind of quantity ({@link Units}: SimGrid's own unit tables). */
    @FunctionalInterface
    private interface Quantity {
        double parse(String text) throws Units.UnitException;
    }

    private static final Quantity BYTES = Units::size, FLOPS = Units::speed, TIME = Units::time;

    /** A non-negative amount with a unit, or one clear error naming {@code context} and what was expected. */
    private static double amount(String context, String text, Quantity quantity, String expected) {
        double value;
        try {
            value = quantity.parse(text.strip());
        } catch (Units.UnitException e) {
            throw new UserError(context + ": '" + text + "' is not " + expected);
        }
        if (Double.isNaN(value) || value < 0) {
            throw new UserError(context + ": '" + text + "' is not " + expected);
        }
        return value;
    }

    private static String json(String s) {
        return JsonWriter.quote(new StringBuilder(), s).toString();
    }

    /** Integral values without a fraction, others in Java's shortest round-trip form. */
    static String number(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return Double.toString(d);
    }
}
