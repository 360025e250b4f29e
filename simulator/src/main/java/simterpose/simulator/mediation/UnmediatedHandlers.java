package simterpose.simulator.mediation;

import static simterpose.bindings.Errno.EOPNOTSUPP;

import java.util.Map;

/**
 * Syscalls the simulated kernel does not mediate but that may name a virtual socket (splice, mmap, pread...). On real fds they run natively; on a virtual fd the run reports
 * it once per actor and syscall ({@link RunListener#diagnostic}) and fails it with EOPNOTSUPP
 * or lets it run on the placeholder, as {@link RunOptions#unmediated()} says. (The positional
 * reads of a random device are answered from the seeded generator: {@link RandomHandlers}.)
 */
final class UnmediatedHandlers {
    private UnmediatedHandlers() {}

    static Map<String, Handler> handlers() {
        return Map.ofEntries(
                Map.entry("splice", fds(0, 2)),
                Map.entry("tee", fds(0, 1)),
                Map.entry("copy_file_range", fds(0, 2)),
                Map.entry("mmap", c -> (c.arg(3) & 0x20) != 0 ? HandlerResult.NATIVE : check(c, 4)), // MAP_ANONYMOUS
                Map.entry("pread64", c -> c.randomFd(0) ? RandomHandlers.read(c) : check(c, 0)),
                Map.entry("pwrite64", fds(0)),
                Map.entry("preadv", c -> c.randomFd(0) ? RandomHandlers.readVector(c) : check(c, 0)),
                Map.entry("pwritev", fds(0)),
                Map.entry("preadv2", c -> c.randomFd(0) ? RandomHandlers.readVector(c) : check(c, 0)),
                Map.entry("pwritev2", fds(0)));
    }

    private static Handler fds(int... positions) {
        return c -> check(c, positions);
    }

    private static HandlerResult check(Call c, int... positions) {
        for (int i : positions) {
            if (c.socketFd(i)) {
                return c.thread.run.unmediated(c);
            }
        }
        return HandlerResult.NATIVE;
    }

    static final int FAIL_ERRNO = EOPNOTSUPP;
}
