package simterpose.simulator.mediation;

import static simterpose.bindings.Errno.EOPNOTSUPP;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

/**
 * Syscalls the simulated kernel does not mediate but that may name a virtual socket (sendfile,
 * splice, mmap, pread, poll...). On real fds they run natively; on a virtual fd the run reports
 * it once per actor and syscall ({@link RunListener#diagnostic}) and fails it with EOPNOTSUPP
 * or lets it run on the placeholder, as {@link RunOptions#unmediated()} says.
 */
final class UnmediatedHandlers {
    private UnmediatedHandlers() {}

    static Map<String, Handler> handlers() {
        return Map.ofEntries(
                Map.entry("sendfile", fds(0, 1)),
                Map.entry("splice", fds(0, 2)),
                Map.entry("tee", fds(0, 1)),
                Map.entry("copy_file_range", fds(0, 2)),
                Map.entry("mmap", c -> (c.arg(3) & 0x20) != 0 ? HandlerResult.NATIVE : check(c, 4)), // MAP_ANONYMOUS
                Map.entry("pread64", fds(0)),
                Map.entry("pwrite64", fds(0)),
                Map.entry("preadv", fds(0)),
                Map.entry("pwritev", fds(0)),
                Map.entry("preadv2", fds(0)),
                Map.entry("pwritev2", fds(0)),
                Map.entry("sendmmsg", fds(0)),
                Map.entry("recvmmsg", fds(0)),
                Map.entry("epoll_ctl", fds(2)),
                Map.entry("poll", c -> pollFds(c)),
                Map.entry("ppoll", c -> pollFds(c)));
    }

    private static Handler fds(int... positions) {
        return c -> check(c, positions);
    }

    private static HandlerResult check(Call c, int... positions) {
        for (int i : positions) {
            if (c.virtualFd(i)) {
                return c.thread.run.unmediated(c);
            }
        }
        return HandlerResult.NATIVE;
    }

    private static HandlerResult pollFds(Call c) {
        long n = c.arg(1);
        if (n <= 0 || n > 4096) {
            return HandlerResult.NATIVE;
        }
        byte[] raw = c.read(c.arg(0), (int) (8 * n));
        if (raw == null) {
            return HandlerResult.NATIVE;
        }
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            int fd = b.getInt(8 * i);
            if (fd >= 0 && c.proc().fds().contains(fd)) {
                return c.thread.run.unmediated(c);
            }
        }
        return HandlerResult.NATIVE;
    }

    static final int FAIL_ERRNO = EOPNOTSUPP;
}
