package simterpose.simulator.mediation.handlers;

import static simterpose.bindings.Errno.EINVAL;

import simterpose.tracer.Auxv;
import simterpose.tracer.Stop;
import simterpose.simulator.mediation.tracee.HandlerResult;
import simterpose.simulator.mediation.tracee.Call;
import simterpose.simulator.mediation.tracee.TracedThread;

/**
 * Randomness from the run's generator, seeded by {@code RunOptions.seed()}: getrandom, reads of
 * an open /dev/urandom or /dev/random (read, readv, pread64, preadv, preadv2 on an fd the
 * table marks as a {@link simterpose.simulator.kernel.RandomDevice}, see {@link FileHandlers}),
 * and the 16 bytes AT_RANDOM points at in every new image (glibc's stack canary and pointer
 * guard). Calls are served in the engine's fixed order, so the same seed gives every tracee the
 * same bytes.
 */
public final class RandomHandlers {
    private RandomHandlers() {}

    /** Largest answer to one call (Linux caps a getrandom or urandom read near 32 MiB; any cap is allowed). */
    private static final int MAX = 1 << 20;
    private static final int GRND_NONBLOCK = 1, GRND_RANDOM = 2, GRND_INSECURE = 4;

    static HandlerResult getrandom(Call c) {
        long len = c.arg(1);
        if ((c.arg(2) & ~(long) (GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE)) != 0 || len < 0) {
            return HandlerResult.errno(EINVAL);
        }
        return fill(c, new long[] {c.arg(0), len});
    }

    /** read(fd, buf, count) or pread64 on a random device. */
    static HandlerResult read(Call c) {
        return fill(c, new long[] {c.arg(1), c.arg(2)});
    }

    /** readv(fd, iov, iovcnt), preadv, preadv2 on a random device. */
    static HandlerResult readVector(Call c) {
        return IoHandlers.vector(c, c.arg(1), c.intArg(2), iov -> fill(c, iov));
    }

    /** Fills the buffers {base, len, base, len...} with up to {@link #MAX} bytes in all. */
    private static HandlerResult fill(Call c, long[] iov) {
        long total = IoHandlers.total(iov);
        if (total < 0) {
            return HandlerResult.errno(EINVAL);
        }
        byte[] bytes = new byte[(int) Math.min(total, MAX)];
        c.random().nextBytes(bytes);
        return IoHandlers.scatter(c, iov, bytes) ? HandlerResult.done(bytes.length) : Call.fault();
    }

    /** At an exec stop: the new image's AT_RANDOM bytes come from the generator. */
    public static void atExec(TracedThread thread, Stop stop) {
        if (stop.regs() == null) {
            return; // gone already
        }
        byte[] bytes = new byte[Auxv.RANDOM_BYTES];
        thread.run.random().nextBytes(bytes);
        Auxv.replaceRandomBytes(stop.memory(), stop.regs().rsp(), bytes);
    }
}
