package simterpose.simulator.mediation.handlers;

import static simterpose.bindings.Errno.EOPNOTSUPP;

import simterpose.simulator.mediation.tracee.HandlerResult;
import simterpose.simulator.mediation.tracee.Call;
import simterpose.simulator.mediation.tracee.Handler;

/**
 * Syscalls the simulated kernel does not mediate but that may name a virtual socket (splice, mmap, pread...). On real fds they run natively; on a virtual fd the run reports
 * it once per actor and syscall ({@code RunListener.diagnostic}) and fails it with EOPNOTSUPP
 * or lets it run on the placeholder, as {@code RunOptions.unmediated()} says. (The positional
 * reads of a random device are answered from the seeded generator: {@link RandomHandlers}.)
 */
final class UnmediatedHandlers {
    private UnmediatedHandlers() {}

    private static final long MAP_FIXED = 0x10;

    /** mmap: anonymous mappings name no fd. One over existing pages (MAP_FIXED) may take them away. */
    static HandlerResult mmap(Call c) {
        if ((c.arg(3) & MAP_FIXED) != 0) {
            c.realStreams().probed().forget();
        }
        return (c.arg(3) & 0x20) != 0 ? HandlerResult.NATIVE : check(c, 4); // MAP_ANONYMOUS
    }

    /** pread64: seeded bytes from a random device. */
    static HandlerResult pread(Call c) {
        return c.randomFd(0) ? RandomHandlers.read(c) : check(c, 0);
    }

    /** preadv and preadv2: seeded bytes from a random device. */
    static HandlerResult preadv(Call c) {
        return c.randomFd(0) ? RandomHandlers.readVector(c) : check(c, 0);
    }

    /** The handler of a call that must not reach a simulated socket through the fd arguments at {@code positions}. */
    static Handler fds(int... positions) {
        return c -> check(c, positions);
    }

    private static HandlerResult check(Call c, int... positions) {
        for (int i : positions) {
            if (c.socketFd(i)) {
                return c.unmediated();
            }
        }
        return HandlerResult.NATIVE;
    }

    static final int FAIL_ERRNO = EOPNOTSUPP;
}
