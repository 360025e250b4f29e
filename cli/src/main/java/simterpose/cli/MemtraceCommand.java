package simterpose.cli;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import simterpose.cli.memtrace.MemoryTracker;
import simterpose.cli.memtrace.StepConsole;
import simterpose.tracer.ExitStatus;
import simterpose.tracer.Tracee;
import simterpose.tracer.Tracer;
import simterpose.tracer.TracerOptions;
import simterpose.tracer.syscall.SyscallFormatter;

/**
 * {@code simterpose memtrace}: how a program's memory changes, event by event, with running
 * totals by kind and a per-process summary; {@code -s} steps through its syscalls from a
 * console on the terminal. Exit status is the program's (128 + signal if it was killed).
 */
@Command(name = "memtrace", modelTransformer = TraceCommand.StopAtCommand.class,
        description = "Watch how a command's memory changes (brk, mmap, munmap, mremap, mprotect, shm, madvise), with a step console.",
        customSynopsis = "simterpose memtrace [-fs] [-o FILE] (-p PID | [--] CMD [ARG...])")
final class MemtraceCommand implements Callable<Integer> {

    @Option(names = "-f", description = "Follow children (forks, vforks) too; threads of a reported process are always followed.")
    boolean follow;

    @Option(names = "-s", description = "Step mode: stop before and after every syscall and read commands from the terminal (help lists them).")
    boolean step;

    @Option(names = "-o", paramLabel = "FILE", description = "Write the events and the summary to FILE instead of stderr.")
    Path output;

    @Mixin
    LaunchOrAttach target;

    @Override
    public Integer call() {
        target.check("memtrace");
        StepConsole console = null;
        if (step) {
            try {
                console = StepConsole.onTerminal("memtrace");
            } catch (IOException e) {
                throw new UserError("memtrace -s: no terminal to read commands from (/dev/tty: " + e.getMessage() + ")");
            }
        }
        Writer out = LaunchOrAttach.openOutput(output);
        MemoryTracker tracker = new MemoryTracker(out, output == null, follow, SyscallFormatter.DEFAULT_STRSIZE);
        if (console != null) {
            tracker.stepWith(console);
        }
        // Stepping stops at every syscall, and a detached program must keep working: no seccomp
        // filter then (a filter left behind would fail its traced calls with ENOSYS).
        TracerOptions options = step || target.attaching() ? TracerOptions.traceAll() : TracerOptions.filter(MemoryTracker.syscalls());
        ExitStatus status;
        try (Tracer tracer = Tracer.open(options)) {
            if (target.attaching()) {
                tracker.setRoot(target.pid);
            }
            status = waitOrStop(target.start(tracer, "memtrace", tracker));
        }
        boolean detached = status instanceof ExitStatus.Detached;
        LaunchOrAttach.finishOutput(() -> tracker.finish(detached), out, output, "memtrace", "the events");
        return interrupted ? RunReportFormat.EXIT_INTERRUPTED : status.shellCode();
    }

    private boolean interrupted;

    /**
     * Waits for the end of the traced tree. The first Ctrl-C detaches an attached process (it
     * goes on) or ends a launched one, and the summary still prints; a second one quits at once.
     * In step mode the console holds the tracer while it reads: answer it with {@code quit}.
     */
    private ExitStatus waitOrStop(Tracee tracee) {
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        try (CtrlC ctrlC = CtrlC.interrupting(Thread.currentThread(), err)) {
            try {
                return tracee.waitFor();
            } catch (InterruptedException e) {
                interrupted = true;
                if (tracee.attached()) {
                    tracee.detach();
                } else {
                    tracee.kill();
                }
            }
            while (true) {
                try {
                    return tracee.waitFor();
                } catch (InterruptedException again) {
                    // a late interrupt: the second Ctrl-C halts the JVM itself
                }
            }
        }
    }
}
