package simterpose.simulator.mediation.run;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import simterpose.simulator.mediation.RunReport;
import simterpose.simulator.mediation.tracee.DeployedActor;
import simterpose.simulator.mediation.tracee.TracedThread;

/** How a run ends: threads whose process died under them, deadlock detection, the report. */
final class EndOfRun {
    private EndOfRun() {}

    /**
     * The engine has nothing left to do but some threads still wait in the simulation: if a
     * process died under them (killed from outside, exit_group we did not see), let them go.
     */
    static boolean reapDeadThreads(Collection<TracedThread> threads) {
        boolean any = false;
        for (TracedThread t : List.copyOf(threads)) {
            if (t.state == TracedThread.State.BLOCKED && !t.dying && t.deadInReality()) {
                t.interrupt();
                any = true;
            }
        }
        return any;
    }

    /**
     * The engine has nothing left to do: the threads still blocked in the simulation or parked
     * natively make a deadlock; the actors still alive are marked ended by it.
     */
    static Optional<RunReport.Deadlock> deadlock(Collection<TracedThread> threads, List<DeployedActor> deployed, double now) {
        List<RunReport.BlockedActor> blocked = new ArrayList<>();
        for (TracedThread t : threads) {
            if (t.state == TracedThread.State.BLOCKED || t.state == TracedThread.State.PARKED) {
                blocked.add(new RunReport.BlockedActor(t.process.owner.name, t.tid, t.describeBlockedCall(), t.blockedSince));
            }
        }
        if (blocked.isEmpty()) {
            return Optional.empty();
        }
        for (DeployedActor d : deployed) {
            if (d.started && !d.ended) {
                d.killedByDeadlock = true;
                d.end = now;
            }
        }
        return Optional.of(new RunReport.Deadlock(now, blocked));
    }

    /**
     * A livelock (the clock stood still past --spin-limit while threads burnt CPU): the spinning
     * threads' rows first, then those blocked or parked; the actors still alive end by it.
     */
    static RunReport.Deadlock livelock(Collection<TracedThread> threads, List<DeployedActor> deployed, double now,
                                       List<RunReport.BlockedActor> spinning) {
        List<RunReport.BlockedActor> rows = new ArrayList<>(spinning);
        deadlock(threads, deployed, now).ifPresent(d -> rows.addAll(d.blocked()));
        for (DeployedActor d : deployed) {
            if (d.started && !d.ended) {
                d.killedByDeadlock = true;
                d.end = now;
            }
        }
        return new RunReport.Deadlock(now, rows);
    }

    /**
     * The report: each actor's row, the makespan (the latest end), the deadlock if any, the wall
     * time since {@code wallStart} (System.nanoTime), the payload bytes the tool copied; closes
     * the run's real streams.
     */
    static RunReport report(List<DeployedActor> deployed, Optional<RunReport.Deadlock> deadlock, long wallStart, long mediated,
                            simterpose.simulator.mediation.tracee.RealStreams streams, long notified) {
        Duration wall = Duration.ofNanos(System.nanoTime() - wallStart);
        long payloadBytesCopied = streams.payloadBytesCopied();
        streams.close();
        double makespan = 0;
        List<RunReport.ActorReport> reports = new ArrayList<>();
        for (DeployedActor d : deployed) {
            reports.add(d.report());
            makespan = Math.max(makespan, d.end);
        }
        return new RunReport(makespan, reports, deadlock, wall, mediated, payloadBytesCopied, notified);
    }
}
