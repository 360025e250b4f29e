package simterpose.simulator.mediation.handlers;

import static simterpose.bindings.Errno.EINVAL;

import simterpose.simulator.mediation.tracee.HandlerResult;
import simterpose.simulator.mediation.tracee.Call;
import simterpose.tracer.abi.Timespec;
import simterpose.tracer.abi.Timeval;

/**
 * Clocks and sleeps in simulated time. The realtime clocks read {@code epoch + now}, the
 * monotonic and boot-time ones {@code BOOT_OFFSET_NANOS + now} (every host has been up for
 * {@link #BOOT_OFFSET_SECONDS} when the run starts); the CPU-time clocks read the CPU time
 * accounted to the thread or its process (zero with CpuMode.NONE), and so do getrusage's and
 * times()'s CPU times. Sleeps wait on a simulated timer. Dynamic clock ids (negative: another
 * process's CPU clock) run natively.
 */
public final class TimeHandlers {
    private TimeHandlers() {}

    static final int CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1, CLOCK_PROCESS_CPUTIME_ID = 2,
            CLOCK_THREAD_CPUTIME_ID = 3, CLOCK_MONOTONIC_RAW = 4, CLOCK_REALTIME_COARSE = 5,
            CLOCK_MONOTONIC_COARSE = 6, CLOCK_BOOTTIME = 7, CLOCK_REALTIME_ALARM = 8,
            CLOCK_BOOTTIME_ALARM = 9, CLOCK_TAI = 11;
    static final int TIMER_ABSTIME = 1;

    /**
     * How long every simulated host has been up at simulated date 0: CLOCK_MONOTONIC (and _RAW,
     * _COARSE), CLOCK_BOOTTIME (and _ALARM) and times() count from boot, so they read this plus
     * the simulated date. Never 0, as on Linux, whose monotonic clock counts from boot (Go's
     * runtime dies with "nanotime returning zero" when its first read is 0); the same on every
     * host and in every run, so runs repeat; round, so a program's monotonic reading minus 1000 s
     * is the simulated date. Every conversion between a monotonic value and a simulated date goes
     * through {@link #clockNanos}: absolute deadlines (clock_nanosleep TIMER_ABSTIME,
     * timer_settime TIMER_ABSTIME, FUTEX_WAIT_BITSET) become delays as {@code deadline -
     * clockNanos(clock)}, so the offset cancels out.
     */
    public static final long BOOT_OFFSET_SECONDS = 1000;
    public static final long BOOT_OFFSET_NANOS = BOOT_OFFSET_SECONDS * 1_000_000_000L;

    private static final int RUSAGE_SELF = 0, RUSAGE_THREAD = 1;
    /** sysconf(_SC_CLK_TCK) on Linux x86_64: the unit of times(). */
    private static final long CLOCK_TICKS = 100;

    /**
     * getrusage: the real kernel fills the struct (memory, faults, context switches), then its
     * CPU times (ru_utime, ru_stime: the first two timevals) become the accounted CPU time, all
     * user time; RUSAGE_CHILDREN reports none (children's CPU time is not gathered). So a
     * program's own CPU report repeats from run to run, like its clocks.
     */
    static HandlerResult getrusage(Call c) {
        int who = c.intArg(0);
        long usage = c.arg(1);
        double seconds = who == RUSAGE_SELF ? c.thread.process.cpuSeconds()
                : who == RUSAGE_THREAD ? c.thread.cpuSeconds : 0;
        return new HandlerResult.NativeThen(result -> {
            if (result == 0) {
                long us = Math.round(seconds * 1e6);
                if (new Timeval(us / 1_000_000, us % 1_000_000).write(c.mem(), usage)) {
                    new Timeval(0, 0).write(c.mem(), usage + Timeval.SIZE);
                }
            }
            return result;
        });
    }

    /**
     * times: accounted CPU time in clock ticks (all user time, none for children); returns the
     * ticks since boot of the simulated host ({@link #BOOT_OFFSET_SECONDS} + the simulated date).
     */
    static HandlerResult times(Call c) {
        long ticks = Math.round(c.thread.process.cpuSeconds() * CLOCK_TICKS);
        if (c.arg(0) != 0 && !c.writeLongs(c.arg(0), ticks, 0, 0, 0)) {
            return Call.fault();
        }
        return HandlerResult.done(clockNanos(c, CLOCK_MONOTONIC) * CLOCK_TICKS / 1_000_000_000L);
    }

    /** Nanoseconds of clock {@code clock} now, or -1 for a clock id we do not simulate. */
    static long clockNanos(Call c, int clock) {
        long now = Math.round(c.now() * 1e9);
        return switch (clock) {
            case CLOCK_REALTIME, CLOCK_REALTIME_COARSE, CLOCK_REALTIME_ALARM, CLOCK_TAI -> c.epochNanos() + now;
            case CLOCK_MONOTONIC, CLOCK_MONOTONIC_RAW, CLOCK_MONOTONIC_COARSE, CLOCK_BOOTTIME,
                 CLOCK_BOOTTIME_ALARM -> BOOT_OFFSET_NANOS + now;
            case CLOCK_THREAD_CPUTIME_ID -> Math.round(c.thread.cpuSeconds * 1e9);
            case CLOCK_PROCESS_CPUTIME_ID -> Math.round(c.thread.process.cpuSeconds() * 1e9);
            default -> -1;
        };
    }

    static HandlerResult clockGettime(Call c) {
        int clock = c.intArg(0);
        if (clock < 0) {
            return HandlerResult.NATIVE;
        }
        long ns = clockNanos(c, clock);
        if (ns < 0) {
            return HandlerResult.errno(EINVAL);
        }
        if (c.arg(1) == 0) {
            return Call.fault();
        }
        return new Timespec(ns / 1_000_000_000L, ns % 1_000_000_000L).write(c.mem(), c.arg(1)) ? HandlerResult.done(0) : Call.fault();
    }

    static HandlerResult gettimeofday(Call c) {
        long ns = clockNanos(c, CLOCK_REALTIME);
        if (c.arg(0) != 0 && !new Timeval(ns / 1_000_000_000L, ns % 1_000_000_000L / 1000).write(c.mem(), c.arg(0))) {
            return Call.fault();
        }
        if (c.arg(1) != 0 && !c.write(c.arg(1), new byte[8])) { // struct timezone: UTC
            return Call.fault();
        }
        return HandlerResult.done(0);
    }

    static HandlerResult time(Call c) {
        long seconds = clockNanos(c, CLOCK_REALTIME) / 1_000_000_000L;
        if (c.arg(0) != 0 && !c.writeLongs(c.arg(0), seconds)) {
            return Call.fault();
        }
        return HandlerResult.done(seconds);
    }

    static HandlerResult nanosleep(Call c) {
        return sleep(c, CLOCK_MONOTONIC, false, c.arg(0), c.arg(1));
    }

    static HandlerResult clockNanosleep(Call c) {
        int clock = c.intArg(0);
        if (clock < 0) {
            return HandlerResult.NATIVE;
        }
        if (clock == CLOCK_THREAD_CPUTIME_ID || clockNanos(c, clock) < 0) {
            return HandlerResult.errno(EINVAL);
        }
        boolean absolute = (c.intArg(1) & TIMER_ABSTIME) != 0;
        return sleep(c, clock, absolute, c.arg(2), absolute ? 0 : c.arg(3));
    }

    /**
     * The first attempt reads the request and arms the call's deadline; each attempt blocks
     * until it.
     */
    private static HandlerResult sleep(Call c, int clock, boolean absolute, long reqAddress, long remAddress) {
        if (c.deadlineArmed()) {
            return untilDeadline(c, remAddress);
        }
        return c.withTimespec(reqAddress, (sec, nsec) -> {
            long request = Math.multiplyHigh(sec, 1_000_000_000L) != 0 ? Long.MAX_VALUE / 2 : sec * 1_000_000_000L + nsec;
            long delta = absolute ? request - clockNanos(c, clock) : request;
            long nowNs = Math.round(c.now() * 1e9);
            c.armDeadline(Math.max(nowNs, nowNs + Math.max(0, delta)));
            return untilDeadline(c, remAddress);
        });
    }

    /**
     * Done once the call's deadline is reached; until then, blocked. A
     * signal cuts it short ({@link PendingSignals}): EINTR, and the time left goes to
     * {@code remAddress} (a relative sleep's rem, when given).
     */
    private static HandlerResult untilDeadline(Call c, long remAddress) {
        double remaining = c.remaining();
        if (remaining <= 1e-9) {
            return HandlerResult.done(0);
        }
        HandlerResult r = PendingSignals.waitOrInterrupt(c, 0, java.util.List.of(), remaining);
        if (r instanceof HandlerResult.Errno && remAddress != 0) {
            long left = Math.round(remaining * 1e9);
            if (!new Timespec(left / 1_000_000_000L, left % 1_000_000_000L).write(c.mem(), remAddress)) {
                return Call.fault();
            }
        }
        return r;
    }
}
