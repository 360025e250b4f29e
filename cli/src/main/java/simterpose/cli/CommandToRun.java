package simterpose.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The command line that {@code trace}, {@code memtrace} and {@code record} run under the tracer
 * (a picocli mixin): {@code [--] CMD ARG...}, and their {@code -h}.
 */
class CommandToRun {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    @Parameters(paramLabel = "CMD", arity = "0..*", description = "The command to run and its arguments.")
    List<String> command = new ArrayList<>();

    /** {@code --cpu CPU}'s check: CPU must be one of this machine's (null: not pinned). */
    static void checkCpu(Integer cpu) {
        int cpus = Runtime.getRuntime().availableProcessors();
        if (cpu != null && (cpu < 0 || cpu >= cpus)) {
            throw new UserError("--cpu " + cpu + ": this machine has CPUs 0.." + (cpus - 1));
        }
    }
}
