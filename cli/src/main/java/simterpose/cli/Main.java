package simterpose.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import simterpose.simulator.mediation.run.Runner;
import simterpose.simulator.platform.PlatformLoader;
import simterpose.tracer.Tracer;

/**
 * The {@code simterpose} command. Each subcommand lives in its own class; this class only
 * wires them and turns user errors into one clear message and an exit code.
 */
@Command(name = "simterpose", mixinStandardHelpOptions = true, version = "simterpose 0.1.0",
        description = "Runs real Linux programs as if deployed on a simulated SimGrid platform.")
public final class Main {

    /** Exit code for bad input (usage, malformed files, missing programs). */
    public static final int EXIT_USAGE = 2;

    public static void main(String[] args) {
        linkAhead(args.length > 0 ? args[0] : "");
        System.exit(run(args));
    }

    /**
     * Start-up on two CPUs: while this thread parses the command line (picocli's reflection,
     * about 60 ms, or TraceArgs/RunArgs for plain lines, then the command's own first work),
     * spare threads link what the command will need next: the
     * platform reader (about 60 ms); the tracer's native calls (about 50 ms); for a run, also
     * the syscall handler table and the heap watch (about 35 ms); then the logger the exit asks
     * ({@link #findExitLogger}). Nothing it does
     * is visible; a failure there is ignored, as the command meets and reports it itself.
     */
    private static void linkAhead(String command) {
        switch (command) {
            case "run" -> {
                linkAhead(() -> {
                    PlatformLoader.link();
                    findExitLogger();
                });
                linkAhead(() -> {
                    Runner.link();
                    HeapPeak.link();
                });
            }
            case "trace", "memtrace", "record", "replay" -> linkAhead(() -> {
                Tracer.link();
                findExitLogger();
            });
            case "platform", "predict" -> linkAhead(() -> {
                PlatformLoader.link();
                findExitLogger();
            });
            default -> {
                // help, version, a usage error: nothing worth linking
            }
        }
    }

    /**
     * System.exit asks the JDK's System.Logger whether to log the exit (JDK 21 and later): the
     * first such question looks for a logging back end, a ServiceLoader scan of every jar on
     * the class path, 10-20 ms at the end of every command. Asked by a link-ahead thread once its
     * linking is done, it is answered long before the exit, on a spare CPU.
     */
    private static void findExitLogger() {
        System.getLogger("java.lang.Runtime").isLoggable(System.Logger.Level.DEBUG);
    }

    private static void linkAhead(Runnable link) {
        Thread.ofPlatform().daemon(true).name("link-ahead").start(() -> {
            try {
                link.run();
            } catch (RuntimeException | LinkageError e) {
                // the command itself meets the same problem and reports it
            }
        });
    }

    /** The subcommands, in the order the help lists them. */
    private static final Map<String, Class<?>> SUBCOMMANDS = new LinkedHashMap<>();

    static {
        SUBCOMMANDS.put("run", RunCommand.class);
        SUBCOMMANDS.put("emulate", EmulateCommand.class);
        SUBCOMMANDS.put("compare", CompareCommand.class);
        SUBCOMMANDS.put("trace", TraceCommand.class);
        SUBCOMMANDS.put("memtrace", MemtraceCommand.class);
        SUBCOMMANDS.put("record", RecordCommand.class);
        SUBCOMMANDS.put("replay", ReplayCommand.class);
        SUBCOMMANDS.put("platform", PlatformCommand.class);
        SUBCOMMANDS.put("predict", PredictCommand.class);
    }

    /** Runs the CLI and returns its exit code (tests call this instead of main). */
    public static int run(String... args) {
        if (args.length > 0 && args[0].equals("trace")) {
            TraceCommand plain = TraceArgs.parse(java.util.List.of(args).subList(1, args.length));
            if (plain != null) {
                return execute(plain::call);
            }
        }
        if (args.length > 0 && args[0].equals("run")) {
            RunCommand plain = RunArgs.parse(java.util.List.of(args).subList(1, args.length));
            if (plain != null) {
                return execute(plain::call);
            }
        }
        return commandLine(args).execute(args);
    }

    /**
     * A command that {@link TraceArgs} or {@link RunArgs} parsed, run as picocli's execute would: a user error is
     * one line and exit 2; anything else unexpected, a stack trace and exit 1.
     */
    private static int execute(java.util.function.IntSupplier command) {
        try {
            return command.getAsInt();
        } catch (UserError | simterpose.tracer.LaunchException e) {
            System.err.println("simterpose: " + e.getMessage());
            System.err.flush();
            return EXIT_USAGE;
        } catch (RuntimeException e) {
            e.printStackTrace();
            return CommandLine.ExitCode.SOFTWARE;
        }
    }

    /** picocli's model of the command line {@code args} (only the subcommand it names, if any). */
    static CommandLine commandLine(String... args) {
        CommandLine cli = new CommandLine(new Main());
        // picocli reflects over every option of every subcommand it is given (tens of ms at
        // start-up): a command line that names one gets only that one; anything else (help,
        // version, a typo to suggest a fix for) gets them all.
        String first = args.length > 0 ? args[0] : "";
        SUBCOMMANDS.forEach((name, command) -> {
            if (!SUBCOMMANDS.containsKey(first) || first.equals(name)) {
                cli.addSubcommand(name, command);
                // Adding a subcommand gives it the parent's parser settings: apply its own again.
                CommandSpec spec = cli.getSubcommands().get(name).getCommandSpec();
                if (spec.modelTransformer() != null) {
                    spec.modelTransformer().transform(spec);
                }
            }
        });
        // A subcommand's option mistake is one line naming its help (picocli would print the
        // whole usage); a mistyped subcommand keeps picocli's answer, which lists them all.
        CommandLine.IParameterExceptionHandler standard = cli.getParameterExceptionHandler();
        cli.setParameterExceptionHandler((ex, rest) -> {
            CommandLine where = ex.getCommandLine();
            if (where == cli) {
                return standard.handleParseException(ex, rest);
            }
            where.getErr().println("simterpose: " + ex.getMessage().replace('\n', ' ').strip()
                    + " (see '" + where.getCommandSpec().qualifiedName() + " --help')");
            return EXIT_USAGE;
        });
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof UserError userError) {
                cmd.getErr().println("simterpose: " + userError.getMessage());
                return EXIT_USAGE;
            }
            if (ex instanceof simterpose.tracer.LaunchException cannotTrace) { // e.g. the tracer cannot start
                cmd.getErr().println("simterpose: " + cannotTrace.getMessage());
                return EXIT_USAGE;
            }
            throw ex;
        });
        return cli;
    }
}
