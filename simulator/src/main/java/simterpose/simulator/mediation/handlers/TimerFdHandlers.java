package simterpose.simulator.mediation.handlers;

import static simterpose.bindings.Errno.EAGAIN;
import static simterpose.bindings.Errno.EINVAL;
import static simterpose.simulator.kernel.LinuxNet.O_NONBLOCK;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import simterpose.simulator.kernel.OpenFile;
import simterpose.simulator.kernel.TimerFd;
import simterpose.simulator.mediation.tracee.HandlerResult;
import simterpose.simulator.mediation.tracee.Call;

/**
 * timerfds on CLOCK_MONOTONIC, CLOCK_BOOTTIME and CLOCK_REALTIME in simulated time
 * ({@link TimerFd}): timerfd_create runs natively (the real kernel checks the clock and flags
 * and gives the fd, a real timerfd never armed), and the fd is recorded in the virtual fd table
 * with TFD_NONBLOCK as its O_NONBLOCK and TFD_CLOEXEC as its FD_CLOEXEC; timerfd_settime,
 * timerfd_gettime, read and readv on it are answered here, and poll, select and epoll see it
 * readable while its count is not zero. Other clocks (the _ALARM ones) stay the real kernel's,
 * in real time. TFD_TIMER_CANCEL_ON_SET is accepted and never fires: the simulated wall clock
 * is never set.
 */
final class TimerFdHandlers {
    private TimerFdHandlers() {}

    private static final int TFD_TIMER_ABSTIME = 1, TFD_TIMER_CANCEL_ON_SET = 2;
    private static final int TFD_CLOEXEC = 0x80000, TFD_NONBLOCK = 0x800;

    private static boolean simulatedClock(int clock) {
        return clock == TimeHandlers.CLOCK_MONOTONIC || clock == TimeHandlers.CLOCK_BOOTTIME
                || clock == TimeHandlers.CLOCK_REALTIME;
    }

    static HandlerResult create(Call c) {
        int clock = c.intArg(0);
        int flags = c.intArg(1);
        if (!simulatedClock(clock)) {
            return HandlerResult.NATIVE;
        }
        return new HandlerResult.NativeThen(fd -> {
            if (fd >= 0) {
                TimerFd t = new TimerFd(c.sim(), clock);
                int status = (flags & TFD_NONBLOCK) != 0 ? O_NONBLOCK : 0;
                c.proc().fds().install((int) fd, new OpenFile(t, status), (flags & TFD_CLOEXEC) != 0);
            }
            return fd;
        });
    }

    static HandlerResult settime(Call c) {
        TimerFd t = c.timerFd(0);
        if (t == null) {
            return HandlerResult.NATIVE; // a real timerfd, or EBADF/EINVAL from the real kernel
        }
        int flags = c.intArg(1);
        if ((flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET)) != 0) {
            return HandlerResult.errno(EINVAL);
        }
        return Itimerspec.settime(c, old -> writeCurrent(c, t, old), spec -> {
            long value = spec.valueNanos();
            long delay = value;
            if (value != 0 && (flags & TFD_TIMER_ABSTIME) != 0) {
                delay = value - TimeHandlers.clockNanos(c, t.clock());
            }
            t.arm(delay, spec.intervalNanos(), value == 0);
            return HandlerResult.done(0);
        });
    }

    static HandlerResult gettime(Call c) {
        TimerFd t = c.timerFd(0);
        if (t == null) {
            return HandlerResult.NATIVE;
        }
        return writeCurrent(c, t, c.arg(1)) ? HandlerResult.done(0) : Call.fault();
    }

    private static boolean writeCurrent(Call c, TimerFd t, long address) {
        return Itimerspec.write(c, address, t.interval(), t.remaining());
    }

    /**
     * read or readv of the buffers {base, len...}: the 8-byte count of expirations since the
     * last read; EINVAL under 8 bytes; blocks in simulated time until an expiry, or EAGAIN
     * when non-blocking.
     */
    static HandlerResult read(Call c, long[] iov) {
        TimerFd t = c.timerFd(0);
        OpenFile f = c.file(0);
        long total = IoHandlers.total(iov);
        if (total < 8) { // or negative: an iovec too long
            return HandlerResult.errno(EINVAL);
        }
        long n = t.take();
        if (n == 0) {
            return f.nonBlocking() ? HandlerResult.errno(EAGAIN) : new HandlerResult.Block(t.waitQueue(), -1, EAGAIN);
        }
        byte[] bytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(n).array();
        long[] first = firstBytes(iov, 8);
        return IoHandlers.scatter(c, first, bytes) ? HandlerResult.done(8) : Call.fault();
    }

    /** The leading part of {@code iov} that holds {@code count} bytes. */
    private static long[] firstBytes(long[] iov, long count) {
        long[] out = iov.clone();
        long left = count;
        for (int i = 1; i < out.length; i += 2) {
            out[i] = Math.min(out[i], left);
            left -= out[i];
        }
        return out;
    }
}
