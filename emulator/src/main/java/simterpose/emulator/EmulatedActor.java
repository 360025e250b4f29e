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
    volatile Process nsenter;
    volatile int pid = -1;
    volatile double start = -1;
    volatile double end = -1;
    volatile int exitValue;
    volatile boolean killedAtKillTime;
    volatile boolean interrupted;

    EmulatedActor(int index, ActorSpec spec, String name, List<String> argv, Map<String, String> env, Path cwd,
                  Path stdin, Path stdout, Path stderr) {
        this.index = index;
        this.spec = spec;
        this.name = name;
        this.argv = List.copyOf(argv);
        this.env = Map.copyOf(env);
        this.cwd = cwd;
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    boolean started() {
        return nsenter != null;
    }

    boolean ended() {
        return end >= 0;
    }

    /**
     * The row of the report. Bytes and syscalls are not counted under emulation (-1). nsenter
     * passes on its child's end: its exit status, or the same signal (which the JDK reports as
     * 128 + signal, so an exit status above 128 reads as a signal).
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
        } else if (exitValue > 128 && exitValue < 128 + 65) {
            outcome = RunReport.Outcome.KILLED_BY_SIGNAL;
            signal = simterpose.tracer.syscall.SyscallFormatter.signalName(exitValue - 128);
        } else {
            outcome = RunReport.Outcome.EXITED;
            code = exitValue;
        }
        return new RunReport.ActorReport(name, spec.host(), spec.function(), pid, outcome, code, signal,
                start, end, -1, -1, -1, stdout, stderr);
    }
}
