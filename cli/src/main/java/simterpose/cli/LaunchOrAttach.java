package simterpose.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import simterpose.tracer.LaunchException;
import simterpose.tracer.LaunchSpec;
import simterpose.tracer.StopHandler;
import simterpose.tracer.Tracee;
import simterpose.tracer.Tracer;

/**
 * What {@code trace} and {@code memtrace} follow (a picocli mixin): a command they launch
 * ({@code CMD ARG...}) or a running process they attach to ({@code -p PID}).
 */
final class LaunchOrAttach extends CommandToRun {
    @Option(names = "-p", paramLabel = "PID", description = "Attach to a running process; detach on exit or Ctrl-C.")
    Integer pid;

    /** A command or an existing -p PID, not both; else a {@link UserError} that names {@code tool}. */
    void check(String tool) {
        if (pid == null && command.isEmpty()) {
            throw new UserError(tool + ": give a command to run (simterpose " + tool + " [options] -- CMD ARGS...) or -p PID");
        }
        if (pid != null && !command.isEmpty()) {
            throw new UserError(tool + ": give either -p PID or a command, not both");
        }
        if (pid != null && (pid <= 0 || !Files.isDirectory(Path.of("/proc", Integer.toString(pid))))) {
            throw new UserError(tool + ": -p " + pid + ": no such process");
        }
    }

    boolean attaching() {
        return pid != null;
    }

    /** Attaches to -p PID or launches the command, its stops going to {@code handler}; a launch error is a {@link UserError}. */
    Tracee start(Tracer tracer, String tool, StopHandler handler) {
        try {
            return pid != null ? tracer.attach(pid, handler)
                    : tracer.launch(new LaunchSpec(command, null, null, null, null, null), handler);
        } catch (LaunchException e) {
            throw new UserError(tool + ": " + e.getMessage(), e);
        }
    }

    /** Where both commands write ({@code -o FILE}, buffered), or stderr when {@code output} is null. */
    static Writer openOutput(Path output) {
        if (output == null) {
            return new Utf8Output(System.err);
        }
        try {
            return new Utf8Output(Files.newOutputStream(output));
        } catch (IOException e) {
            throw new UserError("-o " + output + ": cannot open for writing: " + e.getMessage());
        }
    }

    /**
     * Ends a trace's output: {@code finish} writes what is left (its {@link UncheckedIOException}
     * becomes a UserError naming the -o file, or {@code what} on stderr), then a -o file is closed.
     */
    static void finishOutput(Runnable finish, Writer out, Path output, String tool, String what) {
        try {
            finish.run();
        } catch (UncheckedIOException e) {
            throw new UserError(tool + ": cannot write " + (output != null ? output : what) + ": "
                    + e.getCause().getMessage(), e);
        } finally {
            if (output != null) {
                try {
                    out.close();
                } catch (IOException ignored) {
                    // reported by finish if it mattered
                }
            }
        }
    }
}
