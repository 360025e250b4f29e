package simterpose.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code simterpose} command. Each subcommand lives in its own class; this class only
 * wires them and turns user errors into one clear message and an exit code.
 */
@Command(name = "simterpose", mixinStandardHelpOptions = true, version = "simterpose 0.1.0",
        description = "Runs real Linux programs as if deployed on a simulated SimGrid platform.",
        subcommands = {RunCommand.class, TraceCommand.class, PlatformCommand.class, PredictCommand.class})
public final class Main {

    /** Exit code for bad input (usage, malformed files, missing programs). */
    public static final int EXIT_USAGE = 2;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (tests call this instead of main). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof UserError userError) {
                cmd.getErr().println("simterpose: " + userError.getMessage());
                return EXIT_USAGE;
            }
            throw ex;
        });
        return cli.execute(args);
    }
}
