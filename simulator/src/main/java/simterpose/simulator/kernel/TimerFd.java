package simterpose.simulator.kernel;

import simterpose.simulator.engine.Activity;
import simterpose.simulator.engine.Signal;
import simterpose.simulator.engine.Simulation;
import simterpose.simulator.engine.Timer;

/**
 * A timerfd on a simulated clock (CLOCK_MONOTONIC, CLOCK_BOOTTIME, CLOCK_REALTIME): the real
 * timerfd stays open, never armed, in the tracee under the fd (so fstat, write's EINVAL and
 * F_GETFD are the real kernel's), and the fd is recorded in the process's {@link FdTable} so
 * that dup, close, fork and CLOEXEC are followed; this object keeps the timer in simulated time.
 *
 * <p>As Linux's fs/timerfd.c: an expiry counts one tick and wakes the waiters once; a periodic
 * timer is not re-armed by its expiry but when the count is read (or the time left asked): the
 * periods that went by meanwhile are added then ({@link #forward}). Setting the timer clears
 * the count. Dates are nanoseconds of simulated time (the engine's seconds, rounded).
 *
 * <p>Threading: engine thread or the running actor only (like the whole kernel).
 */
public final class TimerFd implements VirtualFile {
    private final Simulation sim;
    private final int clock;
    private final Signal changed = new Signal();
    /** The armed deadline, in simulated nanoseconds; -1: disarmed. */
    private long deadline = -1;
    private long interval;
    /** The deadline passed and the timer waits for a read to be forwarded. */
    private boolean expired;
    private long ticks;
    private long edges;
    private Timer pending;

    /** {@code clock}: the clock id whose dates an absolute setting is given in. */
    public TimerFd(Simulation sim, int clock) {
        this.sim = sim;
        this.clock = clock;
    }

    public int clock() {
        return clock;
    }

    private long now() {
        return Math.round(sim.now() * 1e9);
    }

    /**
     * timerfd_settime: first expiry in {@code delayNanos} (0 or less, an absolute date gone by:
     * at once), then every {@code intervalNanos} (0: once); or, {@code disarm}, none. The count
     * is cleared.
     */
    public void arm(long delayNanos, long intervalNanos, boolean disarm) {
        cancel();
        ticks = 0;
        expired = false;
        interval = disarm ? 0 : intervalNanos;
        deadline = disarm ? -1 : now() + delayNanos; // in the past: expires at once, and the periods since count at the read
        if (!disarm) {
            schedule();
        }
    }

    /** Nanoseconds to the next expiry (0 when disarmed or expired once and for all). */
    public long remaining() {
        forward();
        return deadline < 0 || expired ? 0 : Math.max(0, deadline - now());
    }

    public long interval() {
        return interval;
    }

    /** The expirations since the last read, cleared (0: none yet, the caller waits or fails with EAGAIN). */
    public long take() {
        forward();
        long n = ticks;
        ticks = 0;
        return n;
    }

    /** The wait queue a blocking read waits on. */
    public Signal waitQueue() {
        return changed;
    }

    /** A periodic timer that expired: counts the periods gone by since, and re-arms for the next one. */
    private void forward() {
        if (!expired || interval == 0) {
            return;
        }
        long now = now();
        long periods = (now - deadline) / interval + 1; // moves the deadline strictly past now
        ticks += periods - 1;
        deadline += periods * interval;
        expired = false;
        schedule();
    }

    private void schedule() {
        Timer t = sim.startTimer(Math.max(0, deadline - now()) / 1e9);
        pending = t;
        t.onCompletion(a -> {
            if (a.state() == Activity.State.DONE && pending == t) {
                pending = null;
                expired = true;
                if (interval == 0) {
                    deadline = -1;
                }
                ticks++;
                edges++;
                changed.signalAll(WakeCause.TIMER_EXPIRED);
            }
        });
    }

    private void cancel() {
        if (pending != null) {
            Timer t = pending;
            pending = null;
            t.cancel();
        }
    }

    @Override
    public Readiness readiness() {
        return new Readiness(ticks > 0, false, false, false, false);
    }

    @Override
    public Signal changed() {
        return changed;
    }

    @Override
    public long edges() {
        return edges;
    }

    @Override
    public void release() {
        cancel();
        deadline = -1;
        expired = false;
    }
}
