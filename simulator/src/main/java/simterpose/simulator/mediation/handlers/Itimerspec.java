package simterpose.simulator.mediation.handlers;

import static simterpose.bindings.Errno.EINVAL;

import java.util.function.Function;
import java.util.function.LongPredicate;
import simterpose.simulator.mediation.tracee.HandlerResult;
import simterpose.simulator.mediation.tracee.Call;
import simterpose.tracer.abi.Timespec;

/**
 * A {@code struct itimerspec} as a caller of timer_settime or timerfd_settime wrote it: the
 * interval, then the value, each seconds and nanoseconds.
 */
record Itimerspec(long intervalSec, long intervalNsec, long valueSec, long valueNsec) {
    /**
     * The part timer_settime and timerfd_settime share: reads and checks the new setting
     * (argument 2: EFAULT, EINVAL), has {@code writeOld} store the old one at argument 3 if
     * given (false: EFAULT), then lets {@code apply} arm the timer with the new one.
     */
    static HandlerResult settime(Call c, LongPredicate writeOld, Function<Itimerspec, HandlerResult> apply) {
        Itimerspec spec = read(c, c.arg(2));
        if (spec == null) {
            return Call.fault();
        }
        if (!spec.valid()) {
            return HandlerResult.errno(EINVAL);
        }
        if (c.arg(3) != 0 && !writeOld.test(c.arg(3))) {
            return Call.fault();
        }
        return apply.apply(spec);
    }

    /** The one at {@code address} in the caller's memory, or null if reading it faults. */
    static Itimerspec read(Call c, long address) {
        var raw = simterpose.tracer.abi.Itimerspec.read(c.mem(), address);
        return raw == null ? null : new Itimerspec(raw.interval().sec(), raw.interval().nsec(),
                raw.value().sec(), raw.value().nsec());
    }

    /** Writes an interval and a time left (ns) as a struct itimerspec at {@code address}; false if it faults. */
    static boolean write(Call c, long address, long intervalNanos, long leftNanos) {
        return new simterpose.tracer.abi.Itimerspec(
                new Timespec(intervalNanos / 1_000_000_000, intervalNanos % 1_000_000_000),
                new Timespec(leftNanos / 1_000_000_000, leftNanos % 1_000_000_000)).write(c.mem(), address);
    }

    /** As the kernel checks it: no negative field, nanoseconds under a second (else EINVAL). */
    boolean valid() {
        return intervalSec >= 0 && valueSec >= 0 && inSecond(intervalNsec) && inSecond(valueNsec);
    }

    /** The value in nanoseconds; 0 disarms. Saturates far beyond any run's length instead of overflowing. */
    long valueNanos() {
        return nanos(valueSec, valueNsec);
    }

    /** The interval in nanoseconds (0: one-shot), saturating as {@link #valueNanos}. */
    long intervalNanos() {
        return nanos(intervalSec, intervalNsec);
    }

    private static boolean inSecond(long nsec) {
        return nsec >= 0 && nsec < 1_000_000_000;
    }

    private static long nanos(long sec, long nsec) {
        return sec >= Long.MAX_VALUE / 1_000_000_000L - 1 ? Long.MAX_VALUE / 2 : sec * 1_000_000_000L + nsec;
    }
}
