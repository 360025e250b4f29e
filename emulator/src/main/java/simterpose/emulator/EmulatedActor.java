package simterpose.emulator;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import simterpose.simulator.mediation.RunReport;
import simterpose.simulator.platform.ActorSpec;

/**
 * One actor of the deployment as {@code emulate} starts it: its real process (nsenter's child,
 * in its host's namespaces) and what the report says of it. Written by the emulation's thread
 * and, for the end, by the JDK's process reaper (hence volatile).
 */
final class EmulatedActor {
    final int index;
    final ActorSpec spec;
    final String name;
    final List<String> argv;
    final Map<String, String> env;
    final Path cwd;
    final Path stdin;
    final Path stdout;
    final Path stderr;
    /** Written by {@link ExitWrapper} if the program dies of a signal. */
    final Path signalFile;
    /** The {@link StartGate} file the program waits on before its exec: one per start time. */
    final Path gateFile;
    volatile Process nsenter;
    volatile int pid = -1;
    /** Finds {@link #pid} once the program is started. */
    volatile Thread pidLookup;
    volatile double start = -1;
    volatile double end = -1;
    volatile int exitValue;
    /** The signal the program died of ({@link ExitWrapper}), 0 if it exited. */
    volatile int signal;
    volatile boolean killedAtKillTime;
    volatile boolean interrupted;

    EmulatedActor(int index, ActorSpec spec, String name, List<String> argv, Map<String, String> env, Path cwd,
                  Path stdin, Path stdout, Path stderr, Path signalFile, Path gateFile) {
        this.index = index;
        this.spec = spec;
        this.name = name;
        this.argv = List.copyOf(argv);
        this.env = Map.copyOf(env);
        this.cwd = cwd;
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
        this.signalFile = signalFile;
        this.gateFile = gateFile;
    }

    boolean started() {
        return nsenter != null;
    }

    void awaitPid() {
        Thread lookup = pidLookup;
        if (lookup != null) {
            try {
                lookup.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    boolean ended() {
        return end >= 0;
    }

    /**
     * The row of the report. Bytes and syscalls are not counted under emulation (-1). Death by a
     * signal is what {@link ExitWrapper} saw, so a program that exits with a status above 128
     * shows that status.
     */
    RunReport.ActorReport report() {
        RunReport.Outcome outcome;
        int code = 0;
        String signal = null;
        if (!started()) {
            outcome = RunReport.Outcome.NEVER_STARTED;
        } else if (interrupted) {
            outcome = RunReport.Outcome.INTERRUPTED;
        } else if (killedAtKillTime) {
            outcome = RunReport.Outcome.KILLED_AT_KILL_TIME;
        } else if (this.signal > 0) {
            outcome = RunReport.Outcome.KILLED_BY_SIGNAL;
            signal = simterpose.tracer.syscall.SyscallFormatter.signalName(this.signal);
        } else {
            outcome = RunReport.Outcome.EXITED;
            code = exitValue;
        }
        return new RunReport.ActorReport(name, spec.host(), spec.function(), pid, outcome, code, signal,
                start, end, -1, -1, -1, stdout, stderr);
    }
}
