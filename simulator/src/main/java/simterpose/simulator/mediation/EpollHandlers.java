package simterpose.simulator.mediation;

import static simterpose.bindings.Errno.EEXIST;
import static simterpose.bindings.Errno.EINVAL;
import static simterpose.bindings.Errno.ENOENT;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import simterpose.simulator.engine.Signal;
import simterpose.simulator.kernel.LinuxNet;
import simterpose.simulator.kernel.OpenFile;

/**
 * epoll over simulated sockets. The epoll fd itself is real (epoll_create runs natively);
 * epoll_ctl on a virtual fd is kept here, in the instance's virtual interest list, and never
 * reaches the real kernel; on a real fd it runs natively and is only noted. epoll_wait is
 * simulated when the instance watches virtual fds only (level-triggered; EPOLLONESHOT disarms;
 * EPOLLET is treated as level-triggered), native when it watches real fds only, and reported as
 * unmediated when it mixes both. Interest lists are per process and shared with forked children.
 */
final class EpollHandlers {
    private EpollHandlers() {}

    static final int EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2, EPOLL_CTL_MOD = 3;
    static final int EPOLLONESHOT = 1 << 30, EPOLLET = 1 << 31;
    private static final int EVENT_SIZE = 12; // struct epoll_event is packed on x86_64

    /** One epoll instance as seen by the simulation. */
    static final class Instance {
        /** Virtual fd → {events, data low, data high} in registration order. */
        final Map<Integer, long[]> virtualFds = new LinkedHashMap<>();
        final Set<Integer> realFds = new HashSet<>();
    }

    static Map<String, Handler> handlers() {
        return Map.of(
                "epoll_ctl", EpollHandlers::ctl,
                "epoll_wait", c -> await(c, c.intArg(3) < 0 ? -1 : c.intArg(3) / 1e3),
                "epoll_pwait", c -> await(c, c.intArg(3) < 0 ? -1 : c.intArg(3) / 1e3),
                "epoll_pwait2", EpollHandlers::pwait2);
    }

    private static HandlerResult ctl(Call c) {
        int epfd = c.intArg(0);
        int op = c.intArg(1);
        int fd = c.intArg(2);
        Instance in = c.thread.run.epoll(c.proc(), epfd);
        if (!c.virtualFd(2)) {
            if (op == EPOLL_CTL_ADD) {
                in.realFds.add(fd);
            } else if (op == EPOLL_CTL_DEL) {
                in.realFds.remove(fd);
            }
            return HandlerResult.NATIVE;
        }
        if (c.virtualFd(0)) {
            return HandlerResult.errno(EINVAL); // a socket is not an epoll fd
        }
        long events = 0;
        if (op != EPOLL_CTL_DEL) {
            byte[] raw = c.read(c.arg(3), EVENT_SIZE);
            if (raw == null) {
                return Call.fault();
            }
            ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
            events = b.getInt(0) & 0xFFFFFFFFL;
            long data = b.getLong(4);
            long[] entry = {events, data};
            switch (op) {
                case EPOLL_CTL_ADD -> {
                    if (in.virtualFds.putIfAbsent(fd, entry) != null) {
                        return HandlerResult.errno(EEXIST);
                    }
                }
                case EPOLL_CTL_MOD -> {
                    if (in.virtualFds.replace(fd, entry) == null) {
                        return HandlerResult.errno(ENOENT);
                    }
                }
                default -> {
                    return HandlerResult.errno(EINVAL);
                }
            }
            return HandlerResult.done(0);
        }
        return in.virtualFds.remove(fd) != null ? HandlerResult.done(0) : HandlerResult.errno(ENOENT);
    }

    private static HandlerResult pwait2(Call c) {
        if (c.arg(3) == 0) {
            return await(c, -1);
        }
        return c.withTimespec(c.arg(3), (sec, nsec) -> await(c, sec + nsec / 1e9));
    }

    private static HandlerResult await(Call c, double timeout) {
        if (c.virtualFd(0)) {
            return HandlerResult.errno(EINVAL);
        }
        Instance in = c.thread.run.existingEpoll(c.proc(), c.intArg(0));
        if (in == null || in.virtualFds.isEmpty()) {
            return HandlerResult.NATIVE;
        }
        if (!in.realFds.isEmpty()) {
            return c.thread.run.unmediated(c);
        }
        int max = c.intArg(2);
        if (max <= 0) {
            return HandlerResult.errno(EINVAL);
        }
        double now = c.thread.run.sim.now();
        if (c.progress == 0) {
            c.progress = timeout < 0 ? Long.MAX_VALUE : Math.round((now + timeout) * 1e9) + 1;
        }
        ByteBuffer out = ByteBuffer.allocate(EVENT_SIZE * Math.min(max, in.virtualFds.size())).order(ByteOrder.LITTLE_ENDIAN);
        int ready = 0;
        List<Signal> queues = new ArrayList<>();
        for (var e : List.copyOf(in.virtualFds.entrySet())) {
            OpenFile f = c.proc().fds().get(e.getKey());
            if (f == null) {
                in.virtualFds.remove(e.getKey()); // closed: Linux drops it with its last fd
                continue;
            }
            long[] entry = e.getValue();
            if (!queues.contains(f.file().changed())) {
                queues.add(f.file().changed());
            }
            int wanted = (int) entry[0] & ~(EPOLLONESHOT | EPOLLET);
            int mask = f.file().readiness().pollMask() & (wanted | LinuxNet.POLLERR | LinuxNet.POLLHUP);
            if (mask != 0 && ready < max) {
                out.putInt(mask).putLong(entry[1]);
                ready++;
                if ((entry[0] & EPOLLONESHOT) != 0) {
                    entry[0] = EPOLLONESHOT; // disarmed until EPOLL_CTL_MOD
                }
            }
        }
        double remaining = c.progress == Long.MAX_VALUE ? -1 : (c.progress - 1) / 1e9 - now;
        if (ready > 0 || c.deadlineOver(remaining)) {
            byte[] bytes = java.util.Arrays.copyOf(out.array(), EVENT_SIZE * ready);
            return c.write(c.arg(1), bytes) ? HandlerResult.done(ready) : Call.fault();
        }
        return new HandlerResult.BlockAny(queues, remaining);
    }

}
