package simterpose.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.Stack;
import picocli.CommandLine.IParameterPreprocessor;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import simterpose.cli.views.RunViews;
import simterpose.simulator.platform.Units;

/**
 * The options of {@code run} that ask for views of the run as it goes ({@code --strace},
 * {@code --blocking}, {@code --pcap}, {@code --timeline}, {@code -e trace=}): a picocli mixin,
 * checked before anything is launched (a mistake is one line and exit 2).
 */
final class RunViewsOptions {
    @Option(names = "--strace", paramLabel = "DIR",
            description = "write one log per traced process to DIR/<host>.<actor>.<pid>.strace in strace's -ttt -T format "
                    + "at simulated dates (--epoch): every mediated call, decoded as trace decodes it")
    Path straceDir;

    @Option(names = "-e", paramLabel = "trace=EXPR",
            description = "with --strace: also log the native (not mediated) calls EXPR selects (strace's syntax: names, "
                    + "%%class, /regex, !negation, all)")
    String expression;

    @Option(names = "--blocking", paramLabel = "MIN", arity = "0..1", preprocessor = AttachedValueOnly.class,
            description = "add to the report, per actor, the calls that blocked for at least MIN simulated time (default "
                    + "1ms): start, duration, syscall and what ended the wait; also under \"blocking\" in --json")
    String blocking;

    @Option(names = "--pcap", paramLabel = "DIR",
            description = "write DIR/<host>.pcap per host: the simulated traffic as its interface would see it (TCP "
                    + "handshakes, data segments, ACKs, FIN/RST, UDP, ICMP) at simulated dates, with the payload bytes")
    Path pcapDir;

    @Option(names = "--pcap-headers-only", description = "with --pcap: keep only the IP and transport headers of each packet")
    boolean pcapHeadersOnly;

    @Option(names = "--timeline", paramLabel = "FILE",
            description = "write FILE.paje (Paje, for pj_dump and ViTE) and FILE.json (Chrome trace events, for Perfetto): "
                    + "host and thread containers, thread states (running, blocked in a call), transfers, link usage")
    Path timeline;

    /**
     * {@code --blocking} takes its MIN only as {@code --blocking=MIN}: {@code --blocking
     * platform.xml deployment.xml} shows the table at 1 ms and leaves the files to the command.
     */
    static final class AttachedValueOnly implements IParameterPreprocessor {
        @Override
        public boolean preprocess(Stack<String> args, CommandSpec command, ArgSpec option, Map<String, Object> info) {
            if (" ".equals(info.get("separator"))) {
                args.push("1ms");
            }
            return false;
        }
    }

    /** The views asked for; directories are created. */
    RunViews.Options resolve() {
        if (expression != null && straceDir == null) {
            throw new UserError("-e " + expression + ": selects native calls for --strace logs; give --strace=DIR too");
        }
        if (pcapHeadersOnly && pcapDir == null) {
            throw new UserError("--pcap-headers-only: give --pcap=DIR too");
        }
        long min = blocking == null ? -1 : blockingThreshold(blocking);
        directory("--strace", straceDir);
        directory("--pcap", pcapDir);
        if (timeline != null) {
            Path parent = timeline.toAbsolutePath().getParent();
            if (parent == null || !Files.isDirectory(parent)) {
                throw new UserError("--timeline=" + timeline + ": no such directory " + parent);
            }
        }
        return new RunViews.Options(straceDir, min, pcapDir, pcapHeadersOnly, timeline, nativeCalls());
    }

    /** {@code --blocking=MIN}'s threshold in nanoseconds (run's and compare's option). */
    static long blockingThreshold(String blocking) {
        double seconds;
        try {
            seconds = Units.time(blocking);
        } catch (Units.UnitException e) {
            throw new UserError("--blocking=" + blocking + ": " + e.getMessage());
        }
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            throw new UserError("--blocking=" + blocking + ": expected a time, e.g. 1ms");
        }
        return Math.round(seconds * 1e9);
    }

    private Set<Integer> nativeCalls() {
        return expression == null ? Set.of() : TraceCommand.selection(expression);
    }

    private static void directory(String option, Path dir) {
        if (dir == null) {
            return;
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UserError(option + "=" + dir + ": exists and is not a directory");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UserError(option + "=" + dir + ": cannot create the directory (" + e.getMessage() + ")");
        }
    }
}
