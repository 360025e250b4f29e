package simterpose.simulator.mediation.tracee;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import simterpose.simulator.engine.Signal;

/**
 * Conditions the simulation cannot be told about, only look at: a real fd becoming ready
 * ({@link simterpose.tracer.RealFdProbe}) or a signal becoming pending on a thread waiting in simulated time
 * ({@code PendingSignals}). A wait that depends on one blocks on its simulated signals plus a
 * {@link Signal} registered here with a probe.
 *
 * <p><b>The rule.</b> Such conditions change only when some tracee runs (one at a time, while
 * the engine waits for it) or from outside the run. So whenever the engine is idle (nothing
 * ready, the clock about to move: {@code Run.advance}, after the parked tracees it released
 * have run) every live probe runs, and the waits whose probe says true are woken, in
 * registration order, at the current simulated date. A wait is never woken for nothing, so the
 * clock keeps moving for the others. A change from outside the run (an external writer, a
 * timerfd on an _ALARM clock) is seen at the next idle point only; if the simulation has
 * nothing left to do then, the wait counts as a deadlock.
 *
 * <p>Threading: the tracer's owner thread, which runs the whole simulation.
 */
public final class IdleProbes {
    /** @param forSignals a pending-signal probe: run only when a signal may have come ({@link #signalMayHaveCome}) */
    private record Probe(Signal signal, BooleanSupplier ready, boolean forSignals) {
        /** Each registration is its own probe: removal compares identities, not the lambdas inside. */
        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }

    /** How often at most the signal probes run without a known sender (real-time timers, outsiders). */
    private static final long SIGNAL_SWEEP_NANOS = 50_000_000;

    private final List<Probe> probes = new ArrayList<>();
    /** Signals possibly sent (kill-family calls, process exits) so far, and up to the last sweep. */
    private volatile long signalsSent;
    private long signalsSwept;
    private long lastSignalSweep = System.nanoTime();

    /**
     * A signal fired at an idle point once {@code ready} says true; the caller blocks on it
     * with its simulated ones. The probe lasts until it fires or its wait ends otherwise.
     */
    public Signal watch(BooleanSupplier ready) {
        return add(ready, false);
    }

    /**
     * As {@link #watch}, for a pending signal: reading a thread's signal state costs a /proc read,
     * so these probes run only after a tracee sent a signal or a process ended (SIGCHLD) since
     * the last sweep, or every {@value #SIGNAL_SWEEP_NANOS} ns of wall time at most (a real-time
     * timer, a sender outside the run: not deterministic anyway).
     */
    public Signal watchSignals(BooleanSupplier pending) {
        return add(pending, true);
    }

    /** A tracee called kill/tkill/tgkill/rt_(tg)sigqueueinfo/pidfd_send_signal, or a process ended. */
    public void signalMayHaveCome() {
        signalsSent++;
    }

    private Signal add(BooleanSupplier ready, boolean forSignals) {
        Signal s = new Signal();
        synchronized (probes) {
            probes.add(new Probe(s, ready, forSignals));
        }
        return s;
    }

    /**
     * Engine idle hook: runs every live probe, wakes the waits whose condition holds and forgets
     * the waits that ended otherwise. True when it woke one.
     */
    public boolean wakeReady() {
        List<Probe> now;
        synchronized (probes) {
            now = List.copyOf(probes);
        }
        boolean woke = false;
        long sent = signalsSent;
        boolean sweepSignals = sent != signalsSwept || System.nanoTime() - lastSignalSweep > SIGNAL_SWEEP_NANOS;
        if (sweepSignals) {
            signalsSwept = sent;
            lastSignalSweep = System.nanoTime();
        }
        for (Probe p : now) {
            if (p.forSignals() && !sweepSignals && p.signal().hasWaiters()) {
                continue;
            }
            boolean fire = p.signal().hasWaiters() && p.ready().getAsBoolean();
            if (fire || !p.signal().hasWaiters()) {
                synchronized (probes) {
                    probes.remove(p);
                }
            }
            if (fire) {
                p.signal().signalAll();
                woke = true;
            }
        }
        return woke;
    }
}
