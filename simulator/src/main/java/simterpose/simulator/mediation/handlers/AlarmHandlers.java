package simterpose.simulator.mediation.handlers;

import static simterpose.bindings.Errno.EINVAL;

import simterpose.bindings.linux.Linux;
import simterpose.simulator.kernel.IntervalTimer;
import simterpose.simulator.mediation.tracee.HandlerResult;
import simterpose.simulator.mediation.tracee.Call;
import simterpose.simulator.mediation.tracee.IdleProbes;
import simterpose.simulator.mediation.tracee.ProcessState;
import simterpose.tracer.TraceeSignals;
import simterpose.tracer.abi.Itimerval;
import simterpose.tracer.abi.Timeval;

/**
 * The process's real-time interval timer in simulated time: alarm, setitimer and getitimer on
 * ITIMER_REAL (one timer per process, shared by alarm and ITIMER_REAL, as in Linux). When it
 * expires the real kernel gets SIGALRM for the process at that simulated date, so a handler runs
 * or the default action ends the process, and a wait in the simulation ends with EINTR
 * ({@link PendingSignals}). ITIMER_VIRTUAL and ITIMER_PROF (CPU-time timers) run natively.
 * A forked child starts without the timer; an exec keeps it (both as Linux).
 */
final class AlarmHandlers {
    private AlarmHandlers() {}

    private static final int ITIMER_REAL = 0;
    private static final int SIGALRM = Linux.SIGALRM();

    /** A process's ITIMER_REAL: SIGALRM to the process at each expiry. */
    private static IntervalTimer realTimer(ProcessState p, IdleProbes probes) {
        return new IntervalTimer(() -> {
            if (p.threads.isEmpty()) {
                return; // the process is gone
            }
            if (!TraceeSignals.kill(p.tgid, SIGALRM)) {
                return; // gone
            }
            probes.signalMayHaveCome();
        });
    }

    private static IntervalTimer realTimer(Call c) {
        IdleProbes probes = c.idleProbes();
        return c.thread.process.realTimer(p -> realTimer(p, probes));
    }

    /** alarm(seconds): the seconds left on the previous timer, rounded as Linux (up to 1 if any). */
    static HandlerResult alarm(Call c) {
        IntervalTimer timer = realTimer(c);
        double left = timer.remaining(c.now());
        long seconds = c.arg(0) & 0xFFFFFFFFL;
        timer.arm(c.sim(), seconds > 0 ? seconds : -1, 0);
        long old = left <= 0 ? 0 : Math.max(1, Math.round(left));
        return HandlerResult.done(old);
    }

    static HandlerResult setitimer(Call c) {
        if (c.intArg(0) != ITIMER_REAL) {
            return HandlerResult.NATIVE;
        }
        double[] set = null;
        if (c.arg(1) != 0) {
            Itimerval v = Itimerval.read(c.mem(), c.arg(1));
            if (v == null) {
                return Call.fault();
            }
            long isec = v.interval().sec(), iusec = v.interval().usec(), vsec = v.value().sec(), vusec = v.value().usec();
            if (iusec < 0 || iusec >= 1_000_000 || vusec < 0 || vusec >= 1_000_000 || isec < 0 || vsec < 0) {
                return HandlerResult.errno(EINVAL);
            }
            set = new double[] {vsec + vusec / 1e6, isec + iusec / 1e6};
        }
        if (c.arg(2) != 0 && !writeCurrent(c, c.arg(2))) {
            return Call.fault();
        }
        if (set != null) {
            realTimer(c).arm(c.sim(), set[0] > 0 ? set[0] : -1, set[1]);
        }
        return HandlerResult.done(0);
    }

    static HandlerResult getitimer(Call c) {
        if (c.intArg(0) != ITIMER_REAL) {
            return HandlerResult.NATIVE;
        }
        return writeCurrent(c, c.arg(1)) ? HandlerResult.done(0) : Call.fault();
    }

    private static boolean writeCurrent(Call c, long address) {
        IntervalTimer t = realTimer(c);
        long interval = Math.round(t.interval() * 1e6);
        long value = Math.round(t.remaining(c.now()) * 1e6);
        return new Itimerval(new Timeval(interval / 1_000_000, interval % 1_000_000),
                new Timeval(value / 1_000_000, value % 1_000_000)).write(c.mem(), address);
    }
}
