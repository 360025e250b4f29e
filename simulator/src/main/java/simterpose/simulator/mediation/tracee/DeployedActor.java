package simterpose.simulator.mediation.tracee;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import simterpose.simulator.platform.ActorSpec;
import simterpose.simulator.platform.Host;
import simterpose.tracer.LaunchSpec;
import simterpose.tracer.Tracee;
import simterpose.simulator.mediation.RunReport;

/**
 * One deployed actor: the program launched for it, every process and thread it creates, and
 * what the end report says about it. Engine thread or the running actor only, except
 * {@link #tracee} which is written once before any of its stops.
 */
public final class DeployedActor {
    public final int index;
    public final ActorSpec spec;
    public final String name;
    public final Host host;
    public final LaunchSpec launch;
    public final Path stdout;
    public final Path stderr;
    final List<ProcessState> processes = new ArrayList<>();
    public volatile Tracee tracee;
    public int pid = -1;
    public int liveThreads;
    /** Threads created so far: the next one's number ({@link TracedThread#ordinal}). */
    int threadsCreated;
    public boolean started;
    public boolean ended;
    public boolean killedAtKillTime;
    public boolean killedByDeadlock;
    public boolean interrupted;
    public RunReport.Outcome outcome = RunReport.Outcome.NEVER_STARTED;
    public int exitCode;
    public String signal;
    public double start = -1;
    public double end = -1;
    /** Counted on the tracer's owner thread; read by the report. */
    final java.util.concurrent.atomic.AtomicLong syscalls = new java.util.concurrent.atomic.AtomicLong();

    public DeployedActor(int index, ActorSpec spec, Host host, LaunchSpec launch, Path stdout, Path stderr) {
        this.index = index;
        this.spec = spec;
        this.name = spec.function().contains("/") ? spec.function().substring(spec.function().lastIndexOf('/') + 1)
                : spec.function();
        this.host = host;
        this.launch = launch;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    public List<TracedThread> threads() {
        List<TracedThread> all = new ArrayList<>();
        for (ProcessState p : processes) {
            all.addAll(p.threads);
        }
        return all;
    }

    public RunReport.ActorReport report() {
        long sent = 0;
        long received = 0;
        for (ProcessState p : processes) {
            sent += p.virtual.bytesSent();
            received += p.virtual.bytesReceived();
        }
        RunReport.Outcome o = outcome;
        if (started && interrupted) {
            o = RunReport.Outcome.INTERRUPTED;
        } else if (started && killedByDeadlock) {
            o = RunReport.Outcome.KILLED_BY_DEADLOCK;
        } else if (started && killedAtKillTime) {
            o = RunReport.Outcome.KILLED_AT_KILL_TIME;
        }
        return new RunReport.ActorReport(name, host.name(), spec.function(), pid, o, exitCode, signal,
                start, end, sent, received, syscalls.get(), stdout, stderr);
    }
}
