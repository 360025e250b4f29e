package simterpose.simulator.mediation.handlers;

import static simterpose.bindings.Errno.EINVAL;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import simterpose.bindings.linux.Linux;
import simterpose.simulator.kernel.PosixTimers;
import simterpose.simulator.mediation.tracee.HandlerResult;
import simterpose.simulator.mediation.tracee.Call;
import simterpose.simulator.mediation.tracee.IdleProbes;
import simterpose.simulator.mediation.tracee.ProcessState;
import simterpose.tracer.Siginfo;
import simterpose.tracer.TraceeSignals;

/**
 * POSIX per-process timers (timer_create, timer_settime, timer_gettime, timer_getoverrun,
 * timer_delete) on the wall-clock and monotonic clocks, in simulated time. At expiry the real
 * kernel gets the timer's signal with si_code SI_TIMER, the timer id and the sigev_value, as
 * its own timers send it: to the process (SIGEV_SIGNAL) or to one thread (SIGEV_THREAD_ID, which
 * glibc's SIGEV_THREAD timers use); SIGEV_NONE only counts down. So `timeout 5 cmd` ends cmd
 * after 5 simulated seconds. Timers on CPU-time clocks stay the real kernel's; the simulated
 * ones take ids from {@link PosixTimers#FIRST_ID} up so the two never meet (the timers
 * themselves are the virtual kernel's {@link PosixTimers}). A fork starts without timers
 * and an exec deletes them, as in Linux.
 */
final class PosixTimerHandlers {
    private PosixTimerHandlers() {}

    private static final int SIGEV_SIGNAL = 0, SIGEV_NONE = 1, SIGEV_THREAD_ID = 4;
    private static final int SIGALRM = Linux.SIGALRM();

    private static boolean simulatedClock(int clock) {
        return switch (clock) {
            case TimeHandlers.CLOCK_REALTIME, TimeHandlers.CLOCK_MONOTONIC, TimeHandlers.CLOCK_BOOTTIME,
                 TimeHandlers.CLOCK_REALTIME_ALARM, TimeHandlers.CLOCK_BOOTTIME_ALARM, TimeHandlers.CLOCK_TAI -> true;
            default -> false;
        };
    }

    static HandlerResult create(Call c) {
        int clock = c.intArg(0);
        if (!simulatedClock(clock)) {
            return HandlerResult.NATIVE;
        }
        PosixTimers timers = c.thread.process.timers;
        int id = timers.freeId();
        int signal = SIGALRM;
        int notify = SIGEV_SIGNAL;
        int threadId = 0;
        long value = id;
        if (c.arg(1) != 0) {
            byte[] raw = c.read(c.arg(1), 20); // struct sigevent: value, signo, notify, then _tid
            if (raw == null) {
                return Call.fault();
            }
            ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
            value = b.getLong(0);
            signal = b.getInt(8);
            notify = b.getInt(12);
            threadId = notify == SIGEV_THREAD_ID ? c.hostTid(b.getInt(16)) : 0; // signalled by the tracer: its tid
            if (notify == SIGEV_THREAD_ID && threadId < 0) {
                return HandlerResult.errno(EINVAL); // as the kernel: not a thread
            }
            if (notify != SIGEV_SIGNAL && notify != SIGEV_NONE && notify != SIGEV_THREAD_ID
                    || notify != SIGEV_NONE && (signal < 1 || signal > 64)) {
                return HandlerResult.errno(EINVAL);
            }
        }
        if (c.arg(2) == 0 || !c.writeInt(c.arg(2), id)) {
            return Call.fault();
        }
        ProcessState p = c.thread.process;
        IdleProbes probes = c.idleProbes();
        timers.create(id, clock, signal, notify, threadId, value, t -> expire(p, probes, t));
        return HandlerResult.done(0);
    }

    private static PosixTimers.Timer timer(Call c) {
        return c.thread.process.timers.get(c.intArg(0));
    }

    static HandlerResult settime(Call c) {
        PosixTimers.Timer t = timer(c);
        if (t == null) {
            return HandlerResult.NATIVE; // a real-kernel timer (or EINVAL from it)
        }
        return Itimerspec.settime(c, old -> writeCurrent(c, t, old), spec -> {
            long valueNanos = spec.valueNanos();
            double delay = valueNanos / 1e9;
            if (valueNanos != 0 && (c.intArg(1) & TimeHandlers.TIMER_ABSTIME) != 0) {
                delay = (valueNanos - TimeHandlers.clockNanos(c, t.clock)) / 1e9;
            }
            t.timer.arm(c.sim(), valueNanos == 0 ? -1 : Math.max(delay, 0),
                    spec.intervalSec() + spec.intervalNsec() / 1e9);
            return HandlerResult.done(0);
        });
    }

    static HandlerResult gettime(Call c) {
        PosixTimers.Timer t = timer(c);
        if (t == null) {
            return HandlerResult.NATIVE;
        }
        return writeCurrent(c, t, c.arg(1)) ? HandlerResult.done(0) : Call.fault();
    }

    static HandlerResult getoverrun(Call c) {
        return timer(c) == null ? HandlerResult.NATIVE : HandlerResult.done(0); // every expiry is delivered
    }

    static HandlerResult delete(Call c) {
        return c.thread.process.timers.delete(c.intArg(0)) == null ? HandlerResult.NATIVE : HandlerResult.done(0);
    }

    private static boolean writeCurrent(Call c, PosixTimers.Timer t, long address) {
        return Itimerspec.write(c, address, Math.round(t.timer.interval() * 1e9),
                Math.round(t.timer.remaining(c.now()) * 1e9));
    }

    private static void expire(ProcessState p, IdleProbes probes, PosixTimers.Timer t) {
        if (p.threads.isEmpty() || !p.timers.holds(t)) {
            return; // the process or the timer is gone
        }
        if (t.notify != SIGEV_NONE) {
            Siginfo info = Siginfo.timer(t.signal, t.id, t.value);
            if (!(t.notify == SIGEV_THREAD_ID ? TraceeSignals.rtTgsigqueueinfo(p.tgid, t.threadId, info)
                    : TraceeSignals.rtSigqueueinfo(p.tgid, info))) {
                return; // gone
            }
            probes.signalMayHaveCome();
        }
    }
}
