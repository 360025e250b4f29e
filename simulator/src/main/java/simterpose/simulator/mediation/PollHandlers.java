package simterpose.simulator.mediation;

import static simterpose.bindings.Errno.EINVAL;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import simterpose.simulator.engine.Signal;
import simterpose.simulator.kernel.LinuxNet;
import simterpose.simulator.kernel.OpenFile;

/**
 * poll, ppoll, select and pselect6 over simulated sockets: readiness comes from the simulated kernel and the
 * wait is in simulated time (on every file's wait queue at once). A set of real fds only runs
 * natively; an empty set is a sleep in simulated time; a set mixing virtual and real fds cannot be waited for in one world and is reported
 * as unmediated ({@link UnmediatedHandlers}).
 */
final class PollHandlers {
    private PollHandlers() {}

    private static final int MAX_FDS = 4096;
    private static final int POLLNVAL = 0x20;

    static Map<String, Handler> handlers() {
        return Map.of(
                "poll", c -> poll(c, c.intArg(2) < 0 ? -1 : c.intArg(2) / 1e3),
                "ppoll", PollHandlers::ppoll,
                "select", c -> select(c, 1000),
                "pselect6", c -> select(c, 1));
    }

    /**
     * select/pselect6: up to three fd_set bitmaps of {@code nfds} bits; the timeout is a timeval
     * (select, {@code unitNs} 1000) or a timespec (pselect6, 1); null means none.
     */
    private static HandlerResult select(Call c, long unitNs) {
        int nfds = c.intArg(0);
        if (nfds < 0 || nfds > MAX_FDS) {
            return HandlerResult.errno(EINVAL);
        }
        int bytes = (nfds + 63) / 64 * 8;
        long[] sets = {c.arg(1), c.arg(2), c.arg(3)};
        byte[][] in = new byte[3][];
        boolean virtual = false;
        boolean real = false;
        for (int k = 0; k < 3; k++) {
            if (sets[k] == 0 || bytes == 0) {
                continue;
            }
            in[k] = c.read(sets[k], bytes);
            if (in[k] == null) {
                return Call.fault();
            }
            for (int fd = 0; fd < nfds; fd++) {
                if ((in[k][fd >> 3] & (1 << (fd & 7))) != 0) {
                    if (c.proc().fds().contains(fd)) {
                        virtual = true;
                    } else {
                        real = true;
                    }
                }
            }
        }
        if (real) { // real fds are the real kernel's to wait for (with virtual ones too: unmediated)
            return virtual ? c.thread.run.unmediated(c) : HandlerResult.NATIVE;
        }
        double now = c.thread.run.sim.now();
        if (c.progress == 0) {
            double timeout = -1;
            if (c.arg(4) != 0) {
                byte[] t = c.read(c.arg(4), 16);
                if (t == null) {
                    return Call.fault();
                }
                ByteBuffer tb = ByteBuffer.wrap(t).order(ByteOrder.LITTLE_ENDIAN);
                long sec = tb.getLong();
                long frac = tb.getLong();
                if (sec < 0 || frac < 0 || frac * unitNs >= 1_000_000_000L) {
                    return HandlerResult.errno(EINVAL);
                }
                timeout = sec + frac * unitNs / 1e9;
            }
            c.progress = timeout < 0 ? Long.MAX_VALUE : Math.round((now + timeout) * 1e9) + 1;
        }
        int[] wanted = {LinuxNet.POLLIN | LinuxNet.POLLHUP | LinuxNet.POLLERR, LinuxNet.POLLOUT | LinuxNet.POLLERR,
            LinuxNet.POLLPRI};
        byte[][] out = new byte[3][];
        int ready = 0;
        List<Signal> queues = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            if (in[k] == null) {
                continue;
            }
            out[k] = new byte[bytes];
            for (int fd = 0; fd < nfds; fd++) {
                if ((in[k][fd >> 3] & (1 << (fd & 7))) == 0) {
                    continue;
                }
                OpenFile f = c.proc().fds().get(fd);
                if (!queues.contains(f.file().changed())) {
                    queues.add(f.file().changed());
                }
                if ((f.file().readiness().pollMask() & wanted[k]) != 0) {
                    out[k][fd >> 3] |= (byte) (1 << (fd & 7));
                    ready++;
                }
            }
        }
        double remaining = c.progress == Long.MAX_VALUE ? -1 : (c.progress - 1) / 1e9 - now;
        if (ready > 0 || c.deadlineOver(remaining)) {
            HandlerResult.BlockAny spinning = BusyPoll.holdIfSpinning(c, queues, remaining);
            if (spinning != null) {
                return spinning;
            }
            for (int k = 0; k < 3; k++) {
                if (out[k] != null && !c.write(sets[k], out[k])) {
                    return Call.fault();
                }
            }
            return HandlerResult.done(ready);
        }
        return new HandlerResult.BlockAny(queues, remaining);
    }

    private static HandlerResult ppoll(Call c) {
        if (c.arg(2) == 0) {
            return poll(c, -1);
        }
        return c.withTimespec(c.arg(2), (sec, nsec) -> poll(c, sec + nsec / 1e9));
    }

    /**
     * @param timeout seconds, negative for none; the deadline is fixed at the first attempt and
     *                kept in {@link Call#progress} (simulated ns + 1)
     */
    private static HandlerResult poll(Call c, double timeout) {
        long n = c.arg(1);
        if (n < 0 || n > MAX_FDS) {
            return HandlerResult.errno(EINVAL);
        }
        byte[] raw = n == 0 ? new byte[0] : c.read(c.arg(0), (int) (8 * n));
        if (raw == null) {
            return Call.fault();
        }
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        boolean virtual = false;
        boolean real = false;
        for (int i = 0; i < n; i++) {
            int fd = b.getInt(8 * i);
            if (fd >= 0) {
                if (c.proc().fds().contains(fd)) {
                    virtual = true;
                } else {
                    real = true;
                }
            }
        }
        if (real) { // real fds are the real kernel's to wait for (with virtual ones too: unmediated)
            return virtual ? c.thread.run.unmediated(c) : HandlerResult.NATIVE;
        }
        double now = c.thread.run.sim.now();
        if (c.progress == 0) {
            c.progress = timeout < 0 ? Long.MAX_VALUE : Math.round((now + timeout) * 1e9) + 1;
        }
        int ready = 0;
        List<Signal> queues = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int fd = b.getInt(8 * i);
            short revents = 0;
            if (fd >= 0) {
                OpenFile f = c.proc().fds().get(fd);
                int events = b.getShort(8 * i + 4) & 0xFFFF;
                int mask = f.file().readiness().pollMask() & (events | LinuxNet.POLLERR | LinuxNet.POLLHUP | POLLNVAL);
                revents = (short) mask;
                if (!queues.contains(f.file().changed())) {
                    queues.add(f.file().changed());
                }
            }
            b.putShort(8 * i + 6, revents);
            if (revents != 0) {
                ready++;
            }
        }
        double remaining = c.progress == Long.MAX_VALUE ? -1 : (c.progress - 1) / 1e9 - now;
        if (ready > 0 || c.deadlineOver(remaining)) {
            HandlerResult.BlockAny spinning = BusyPoll.holdIfSpinning(c, queues, remaining);
            if (spinning != null) {
                return spinning;
            }
            return c.write(c.arg(0), raw) ? HandlerResult.done(ready) : Call.fault();
        }
        return new HandlerResult.BlockAny(queues, remaining);
    }
}
