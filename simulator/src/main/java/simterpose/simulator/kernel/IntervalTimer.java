package simterpose.simulator.kernel;

import simterpose.simulator.engine.Activity;
import simterpose.simulator.engine.Simulation;
import simterpose.simulator.engine.Timer;

/**
 * A process's timer in simulated time, as alarm/setitimer and timer_create know it: armed for a
 * first expiry, then every {@code interval} seconds (0: once), calling {@code expired} at each.
 * What an expiry does (a signal to the process) is the caller's.
 */
public final class IntervalTimer {
    private final Runnable expired;
    private Timer pending;
    private double expiry;
    private double interval;

    public IntervalTimer(Runnable expired) {
        this.expired = expired;
    }

    /** Arms to expire in {@code delay} seconds (negative: disarmed), then every {@code interval}. */
    public void arm(Simulation sim, double delay, double interval) {
        disarm();
        this.interval = interval;
        if (delay < 0) {
            return;
        }
        expiry = sim.now() + delay;
        Timer timer = sim.startTimer(delay);
        pending = timer;
        timer.onCompletion(a -> {
            if (a.state() == Activity.State.DONE && pending == timer) { // not when disarmed (cancelled)
                pending = null;
                expired.run();
                if (this.interval > 0 && pending == null) {
                    arm(sim, this.interval, this.interval);
                }
            }
        });
    }

    public void disarm() {
        if (pending != null) {
            Timer t = pending;
            pending = null;
            t.cancel();
        }
    }

    /** Seconds to the next expiry (0 when disarmed). */
    public double remaining(double now) {
        return pending == null ? 0 : Math.max(0, expiry - now);
    }

    public double interval() {
        return interval;
    }
}
