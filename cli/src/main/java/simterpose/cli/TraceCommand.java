package simterpose.cli;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import simterpose.tracer.ExitStatus;
import simterpose.tracer.Tracer;
import simterpose.tracer.TracerOptions;
import simterpose.tracer.syscall.SyscallFormatter;
import simterpose.tracer.syscall.SyscallTable;
import simterpose.tracer.syscall.TraceExpression;

/**
 * {@code simterpose trace}: strace's job on the simterpose engine. The selected syscalls become
 * the tracee's seccomp filter, so the others never stop it. Exit status is the traced command's
 * (128 + signal if it was killed), as strace's.
 */
@Command(name = "trace", modelTransformer = TraceCommand.StopAtCommand.class,
        description = "Trace the syscalls of a command, printing them as strace does.",
        customSynopsis = "simterpose trace [-fcrT] [-t[t[t]]] [--step] [-e trace=EXPR] [-o FILE] [-s STRSIZE] [--cpu CPU] (-p PID | [--] CMD [ARG...])")
final class TraceCommand implements Callable<Integer> {

    /** Options end at the command's name: {@code trace ls -l} passes -l to ls. */
    static final class StopAtCommand implements IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            spec.parser().stopAtPositional(true);
            return spec;
        }
    }

    @Option(names = "-f", description = "Follow threads and children (forks, vforks, clones).")
    boolean follow;

    @Option(names = "-e", paramLabel = "trace=EXPR",
            description = "Which syscalls to trace: names, %%class, /regex, !negation, all, none (strace syntax).")
    String expression;

    @Option(names = "-o", paramLabel = "FILE", description = "Write the trace to FILE instead of stderr.")
    Path output;

    @Option(names = "-s", paramLabel = "STRSIZE", description = "Show at most STRSIZE bytes of strings (default: 32).")
    int strsize = SyscallFormatter.DEFAULT_STRSIZE;

    @Option(names = "-t", description = "Print the time of day before each line; -tt adds microseconds, -ttt gives seconds since the epoch.")
    boolean[] timeOfDay = new boolean[0];

    @Option(names = "-r", description = "Print the time since the previous line before each line.")
    boolean relative;

    @Option(names = "-T", description = "Print the time spent in each call at the end of its line: <seconds>.")
    boolean spent;

    @Option(names = "-c", description = "Count time, calls and errors per syscall; print a summary at the end.")
    boolean summary;

    @Option(names = "--step", description = "Stop at each selected syscall's entry and exit and read commands from the terminal (regs, maps, process, system, next, continue, detach, quit, help).")
    boolean step;

    @Option(names = "--cpu", paramLabel = "CPU",
            description = "Pin the tracer and the traced command to CPU (stops get 2-3x cheaper; the command then runs on that CPU only).")
    Integer cpu;

    @Mixin
    LaunchOrAttach target;

    @Override
    public Integer call() {
        Set<Integer> selected = selection();
        if (strsize < 0) {
            throw new UserError("-s: string size must be >= 0, got " + strsize);
        }
        target.check("trace");
        simterpose.cli.memtrace.StepConsole console = null;
        if (step) {
            if (summary) {
                throw new UserError("trace: --step and -c do not go together (-c prints no calls to step through)");
            }
            try {
                console = simterpose.cli.memtrace.StepConsole.onTerminal("trace");
            } catch (IOException e) {
                throw new UserError("trace --step: no terminal to read commands from (/dev/tty: " + e.getMessage() + ")");
            }
        }
        Writer out = LaunchOrAttach.openOutput(output);
        TracePrinter.Prefix prefix = !follow ? TracePrinter.Prefix.NONE
                : output != null ? TracePrinter.Prefix.PID_COLUMN : TracePrinter.Prefix.PID_BRACKETS;
        TracePrinter printer = new TracePrinter(out, output == null, follow, prefix, strsize, summary, selected);
        CommandToRun.checkCpu(cpu);
        printer.timesWith(TraceTimes.of(timeOfDay.length, relative, spent));
        if (console != null) {
            printer.stepWith(console);
        }
        // A detached program must keep working: stepping uses no seccomp filter (one left
        // behind would fail the selected calls with ENOSYS); the printer filters instead.
        TracerOptions options = step ? TracerOptions.traceAll() : engineOptions(selected);
        if (cpu != null) {
            options = options.pinnedTo(cpu);
        } else if (Runtime.getRuntime().availableProcessors() > 1) {
            // The tracee runs on another CPU than the owner: polling for its next stop saves the
            // wake-up of an idle CPU at each stop (getppid_loop 100 000 calls traced, this machine:
            // 8.9 s wall / 6.5 s CPU blocking at once, 3.1 s / 3.6 s polling 30 µs; strace 7.9 / 5.6)
            options = options.spinningFor(STOP_POLL_NANOS);
        }
        // Ctrl-C ends the JVM (the engine's own hook detaches or kills the tracees): write out
        // what the trace holds so far. The writer locks internally, so this may race the owner.
        Thread flusher = new Thread(() -> {
            try {
                out.flush();
            } catch (IOException ignored) {
                // nothing more can be done while the JVM exits
            }
        }, "simterpose-trace-flush");
        Runtime.getRuntime().addShutdownHook(flusher);
        // A file written with -o is buffered for speed but flushed every 200 ms, so that
        // `tail -f` follows a long trace as it does strace's. A platform thread: the first virtual
        // thread would start the JVM's carrier pool, a few ms of every traced command's start.
        Thread periodicFlush = output == null ? null : Thread.ofPlatform().daemon().name("simterpose-trace-tick").start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(200);
                    out.flush();
                }
            } catch (InterruptedException | IOException done) {
                // the trace ended, or the file can no longer be written: the final flush reports it
            }
        });
        ExitStatus status;
        try (Tracer tracer = Tracer.open(options)) {
            if (target.attaching()) {
                printer.setRoot(target.pid);
            } else {
                printer.setLaunchPath(target.command.getFirst());
            }
            status = target.start(tracer, "trace", printer).waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("trace: interrupted");
        }
        try {
            Runtime.getRuntime().removeShutdownHook(flusher);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to run: fine either way
        }
        if (periodicFlush != null) {
            periodicFlush.interrupt();
        }
        LaunchOrAttach.finishOutput(printer::finish, out, output, "trace", "the trace");
        return status.shellCode();
    }

    /**
     * The selected set becomes the seccomp filter, so other syscalls never stop the command;
     * "all" needs no filter (the engine then stops at every syscall).
     */
    /** How long the owner polls for the next stop before blocking, when the tracee is not pinned. */
    static final long STOP_POLL_NANOS = 30_000;

    private static TracerOptions engineOptions(Set<Integer> selected) {
        return selected.size() == SyscallTable.all().size() ? TracerOptions.traceAll() : TracerOptions.filter(selected);
    }

    /** -e: {@code trace=EXPR} or a bare {@code EXPR}, as strace accepts. */
    private Set<Integer> selection() {
        return expression == null ? TraceExpression.parse("all") : selection(expression);
    }

    /** An -e option's syscalls ({@code trace=EXPR}, {@code t=EXPR} or a bare {@code EXPR}); run --strace's -e too. */
    static Set<Integer> selection(String expression) {
        String expr = expression;
        int eq = expr.indexOf('=');
        if (eq >= 0) {
            String qualifier = expr.substring(0, eq);
            if (!qualifier.equals("trace") && !qualifier.equals("t")) {
                throw new UserError("-e " + expression + ": only trace=EXPR is supported (not '" + qualifier + "=')");
            }
            expr = expr.substring(eq + 1);
        }
        try {
            return TraceExpression.parse(expr);
        } catch (IllegalArgumentException e) {
            throw new UserError("-e " + expression + ": " + e.getMessage());
        }
    }
}
