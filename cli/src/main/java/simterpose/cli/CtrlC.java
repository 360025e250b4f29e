package simterpose.cli;

import java.io.PrintWriter;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT) during {@code run}: the first one stops the run where it is, so the report
 * of what happened so far still prints (actors then alive show as interrupted, exit 130); a
 * second one quits at once. Either way no tracee survives: the run kills them, and the
 * tracer's exit hook and PTRACE_O_EXITKILL cover a quick exit.
 */
final class CtrlC implements AutoCloseable {
    private static final Signal INT = new Signal("INT");
    private final SignalHandler previous;
    private volatile boolean pressed;

    private CtrlC(Thread runner, PrintWriter err) {
        previous = Signal.handle(INT, sig -> {
            if (pressed) {
                Runtime.getRuntime().halt(RunReportFormat.EXIT_INTERRUPTED);
            }
            pressed = true;
            err.println("simterpose: interrupted: stopping the run (Ctrl-C again to quit at once)");
            err.flush();
            runner.interrupt();
        });
    }

    /** From now until {@link #close}, Ctrl-C interrupts {@code runner} (the thread running the run). */
    static CtrlC interrupting(Thread runner, PrintWriter err) {
        return new CtrlC(runner, err);
    }

    @Override
    public void close() {
        Signal.handle(INT, previous);
        Thread.interrupted(); // the run has ended: do not let a late Ctrl-C leak into what follows
    }
}
