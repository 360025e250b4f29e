package simterpose.simulator.mediation.run;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import simterpose.simulator.mediation.RunListener;
import simterpose.simulator.mediation.RunOptions;
import simterpose.simulator.mediation.RunReport;
import simterpose.simulator.mediation.tracee.SpinSigns;
import simterpose.simulator.mediation.tracee.TracedThread;
import simterpose.tracer.ThreadCpuClock;

/**
 * The caller's thread while a run goes on (everything else runs on the tracer's owner thread):
 * waits for the run's outcome, looks at the running tracee every millisecond, has the owner
 * park it when it stays blocked natively (its next stop would never come, and with it the
 * engine would never move) and preempt it when it has run a quantum without a stop (a thread
 * spinning on a flag another thread sets would otherwise keep the CPU for ever), prints
 * progress (naming a thread that spins while the simulated clock stands still), and turns an interrupt (Ctrl-C) into the end of the
 * run. It only reads the run's volatile fields and asks the owner through
 * {@link simterpose.tracer.Tracer#runOnOwner}.
 */
final class Watchdog {
    private final Run run;
    private TracedThread seen;
    private long seenStops = -1;
    /** The running thread's CPU clock and where its slice began, in its CPU time. */
    private ThreadCpuClock seenCpu;
    private long sliceStart;
    /** Its stop count when it was last interrupted: one interrupt per slice. */
    private long interruptedAt = -1;
    /** The caller's thread was interrupted: re-assert it when the run is over. */
    private boolean interruptedFromOutside;
    /** The replayed inputs diverged and the run was asked to stop. */
    private boolean divergenceSeen;

    private final long quantumNanos;

    /**
     * A thread running natively without being the running one ({@link Run#freeThreads}): its CPU
     * clock, its CPU time when it was first seen free, and whether it has been interrupted.
     */
    private static final class FreeSlice {
        final ThreadCpuClock cpu;
        final long start;
        /** Which of its free spells this is ({@link SpinSigns#freeSpells}). */
        final long spell;
        boolean interrupted;

        FreeSlice(ThreadCpuClock cpu, long spell) {
            this.cpu = cpu;
            this.start = cpu == null ? 0 : cpu.nanos();
            this.spell = spell;
        }
    }

    private final java.util.Map<TracedThread, FreeSlice> freeSlices = new java.util.HashMap<>();

    private final SpinWatch spinWatch;
    private final BlockedLooks blockedLooks = new BlockedLooks();

    Watchdog(Run run) {
        this.run = run;
        this.spinWatch = new SpinWatch(run);
        this.quantumNanos = run.options().quantum().toNanos();
    }

    /** Now on the running thread's slice clock: its CPU time. */
    private long sliceClock() {
        if (seenCpu != null) {
            long ns = seenCpu.nanos();
            return ns >= 0 ? ns : sliceStart; // gone: no quantum runs out
        }
        return sliceStart;
    }

    private void closeCpuClock() {
        if (seenCpu != null) {
            seenCpu.close();
            seenCpu = null;
        }
        for (FreeSlice f : freeSlices.values()) {
            if (f.cpu != null) {
                f.cpu.close();
            }
        }
        freeSlices.clear();
    }

    /** True when the run was stopped from outside: the caller re-asserts its interrupt. */
    boolean interruptedFromOutside() {
        return interruptedFromOutside;
    }

    /**
     * Until the run ends: looks at the running tracee every millisecond and has the owner park
     * it when it stays blocked natively (its stop would never come); prints progress.
     */
    Optional<RunReport.Deadlock> watch(long wallStart) {
        try {
            return watchUntilTheEnd(wallStart);
        } finally {
            closeCpuClock();
        }
    }

    private Optional<RunReport.Deadlock> watchUntilTheEnd(long wallStart) {
        long nextProgress = System.nanoTime() + run.options().progressEvery().toNanos();
        while (true) {
            try {
                return run.outcome.get(1, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // still running
            } catch (java.util.concurrent.ExecutionException e) {
                switch (e.getCause()) {
                    case RuntimeException r -> throw r;
                    case Error r -> throw r;
                    default -> throw new IllegalStateException("run failed", e.getCause());
                }
            } catch (InterruptedException e) {
                // Stopped from outside (Ctrl-C): end the run where it is and report it.
                interruptedFromOutside = true;
                run.tracer().runOnOwner(run::stopHere);
                continue;
            }
            if (!run.tracer().alive()) { // its failure was logged; no stop will come: do not wait for ever
                throw new IllegalStateException("the tracer stopped during the run (see its error above)");
            }
            lookAtRunning();
            lookAtFreeThreads();
            java.util.List<SpinWatch.Spinner> spinning = spinWatch.look(System.nanoTime());
            if (spinning != null) {
                java.util.List<RunReport.BlockedActor> rows = spinWatch.rows(spinning);
                run.tracer().runOnOwner(() -> run.endSpinning(rows));
            }
            if (!divergenceSeen && run.inputs().divergence().isPresent()) { // run --replay: stop where it diverged
                divergenceSeen = true;
                run.tracer().runOnOwner(run::stopHere);
            }
            if (!run.options().progressEvery().isZero() && System.nanoTime() >= nextProgress) {
                nextProgress = System.nanoTime() + run.options().progressEvery().toNanos();
                run.listener().progress(new RunListener.Progress(run.simNow(), Duration.ofNanos(System.nanoTime() - wallStart),
                        run.alive(), run.actorCount(), run.stoppedThreads()));
            }
        }
    }

    /**
     * The threads running natively besides the running one (newborns before their first turn,
     * parked threads released natively): one interrupted once it burns a quantum of CPU time is
     * held at its Interrupted stop until its turn, so that only the running thread computes.
     */
    private void lookAtFreeThreads() {
        java.util.List<TracedThread> now = run.freeThreads();
        if (now.isEmpty() && freeSlices.isEmpty()) {
            return;
        }
        freeSlices.entrySet().removeIf(e -> {
            if (now.contains(e.getKey()) && e.getKey().spin.freeSpells == e.getValue().spell) {
                return false;
            }
            if (e.getValue().cpu != null) {
                e.getValue().cpu.close();
            }
            return true;
        });
        for (TracedThread t : now) {
            FreeSlice f = freeSlices.computeIfAbsent(t, x -> new FreeSlice(ThreadCpuClock.of(x.process.tgid, x.tid), x.spin.freeSpells));
            if (f.interrupted || f.cpu == null) {
                continue;
            }
            long ns = f.cpu.nanos();
            if (ns >= 0 && ns - f.start >= quantumNanos) {
                try {
                    f.interrupted = run.tracer().interrupt(t.tid);
                } catch (IllegalStateException closed) {
                    return; // the run is ending
                }
            }
        }
    }

    /**
     * One look of the watchdog at the running thread: if it took no stop since the previous
     * look and its tracee sleeps in the kernel (S) twice in a row, the owner parks it; if it
     * vanished (X) for 2 s, the owner retires it.
     */
    private void lookAtRunning() {
        TracedThread t = run.watched();
        if (t == null) {
            blockedLooks.reset();
            return;
        }
        long stops = t.stopsTaken;
        if (t != seen || stops != seenStops) { // it made progress: no need to look into /proc; a new slice
            if (t != seen) {
                interruptedAt = -1; // the stop count it was interrupted at was another thread's
                if (seenCpu != null) {
                    seenCpu.close();
                }
                seenCpu = ThreadCpuClock.of(t.process.tgid, t.tid);
            }
            seen = t;
            seenStops = stops;
            sliceStart = sliceClock();
            blockedLooks.reset();
            return;
        }
        // A quantum of its own CPU time under both CPU models: wall time would preempt a thread
        // the machine's load or a native file read delayed, and runs that must repeat would not.
        if (sliceClock() - sliceStart >= quantumNanos && interruptedAt != stops) {
            // Its quantum is used up without a stop: the owner interrupts it (if it is still
            // running natively); its Interrupted stop gives the others their turn.
            try {
                if (run.tracer().interrupt(t.tid)) {
                    interruptedAt = stops;
                }
            } catch (IllegalStateException closed) {
                // the run is ending
            }
            blockedLooks.reset();
            return;
        }
        char st = t.state();
        if (blockedLooks.askOwner(st, t.stoppedBySignal(st))) {
            run.tracer().runOnOwner(() -> {
                try {
                    run.parkIfStillBlocked(t, stops);
                } catch (RuntimeException | Error e) {
                    run.outcome.completeExceptionally(e);
                }
            });
        }
    }
}
