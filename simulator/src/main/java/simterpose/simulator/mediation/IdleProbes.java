package simterpose.simulator.mediation;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import simterpose.simulator.engine.Signal;

/**
 * Conditions the simulation cannot be told about, only look at: a real fd becoming ready
 * ({@link RealFds}) or a signal becoming pending on a thread waiting in simulated time
 * ({@link PendingSignals}). A wait that depends on one blocks on its simulated signals plus a
 * {@link Signal} registered here with a probe.
 *
 * <p><b>The rule.</b> Such conditions change only when some tracee runs (one at a time, while
 * the engine waits for it) or from outside the run. So whenever the engine is idle (no actor
 * ready, the clock about to move: {@link Run#wakeParked}, after the parked tracees it released
 * have settled) every live probe runs, and the waits whose probe says true are woken, in
 * registration order, at the current simulated date. A wait is never woken for nothing, so the
 * clock keeps moving for the others. A change from outside the run (an external writer, a
 * real-time timerfd or alarm) is seen at the next idle point only; if the simulation has
 * nothing left to do then, the wait counts as a deadlock.
 *
 * <p>Threading: the simulation's single logical thread (the running actor, the owner thread
 * answering inline for it, or the engine thread at idle); the list is synchronised because the
 * inline path runs on the owner thread.
 */
final class IdleProbes {
    private record Probe(Signal signal, BooleanSupplier ready) {}

    private final List<Probe> probes = new ArrayList<>();

    /**
     * A signal fired at an idle point once {@code ready} says true; the caller blocks on it
     * with its simulated ones. The probe lasts until it fires or its wait ends otherwise.
     */
    Signal watch(BooleanSupplier ready) {
        Signal s = new Signal();
        synchronized (probes) {
            probes.add(new Probe(s, ready));
        }
        return s;
    }

    /**
     * Engine idle hook: runs every live probe, wakes the waits whose condition holds and forgets
     * the waits that ended otherwise. True when it woke one.
     */
    boolean wakeReady() {
        List<Probe> now;
        synchronized (probes) {
            now = List.copyOf(probes);
        }
        boolean woke = false;
        for (Probe p : now) {
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
