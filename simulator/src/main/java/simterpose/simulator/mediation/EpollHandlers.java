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
 * epoll. The epoll fd itself is real (epoll_create runs natively); epoll_ctl on a virtual fd is
 * kept here, in the instance's virtual interest list, and never reaches the real kernel; on a
 * real fd it runs natively (the real instance watches it) and is only noted. epoll_wait is
 * simulated whenever the instance watches a virtual fd: the virtual entries' readiness comes
 * from the simulated kernel, the real entries' events from the real instance itself (a
 * duplicate waited on with timeout 0, which consumes their edge-triggered and one-shot state as
 * the tracee's own call would), and the wait is in simulated time ({@link IdleProbes} says when a
 * real-only change ends it). An instance with real fds only runs natively when waited for
 * forever; with a timeout it is simulated (the timeout is simulated time; {@link SpinGuard}).
 *
 * <p>Virtual entries follow Linux (fs/eventpoll.c): level-triggered by default, an entry
 * reported moves to the back (maxevents does not starve the others); EPOLLET reports an entry
 * once per wake-up of its file ({@link simterpose.simulator.kernel.VirtualFile#edges()}: new
 * data, a new connection, a bit rising) while it is ready; EPOLLONESHOT disarms an entry after
 * one report until EPOLL_CTL_MOD; EPOLLRDHUP, EPOLLHUP and EPOLLERR as poll reports them;
 * EPOLLEXCLUSIVE is accepted on ADD (one waiter per instance here anyway) and refused on MOD.
 * Interest lists are per process and shared with forked children.
 */
final class EpollHandlers {
    private EpollHandlers() {}

    static final int EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2, EPOLL_CTL_MOD = 3;
    static final int EPOLLEXCLUSIVE = 1 << 28, EPOLLWAKEUP = 1 << 29, EPOLLONESHOT = 1 << 30, EPOLLET = 1 << 31;
    /** The flags that are not events. */
    private static final int CONTROL_BITS = EPOLLEXCLUSIVE | EPOLLWAKEUP | EPOLLONESHOT | EPOLLET;
    private static final int EVENT_SIZE = 12; // struct epoll_event is packed on x86_64

    /** One virtual fd's registration. */
    static final class Interest {
        int events;
        final long data;
        /** {@link simterpose.simulator.kernel.VirtualFile#edges()} at the last EPOLLET report; -1: report if ready. */
        long seenEdges = -1;

        Interest(int events, long data) {
            this.events = events;
            this.data = data;
        }
    }

    /** One epoll instance as seen by the simulation. */
    static final class Instance {
        /** Virtual fd → registration, in report order (level-triggered reports rotate). */
        final Map<Integer, Interest> virtualFds = new LinkedHashMap<>();
        final Set<Integer> realFds = new HashSet<>();
        /** Which half reports first this time, so that maxevents starves neither. */
        boolean realFirst;
    }

    /** epoll_wait and epoll_pwait: a timeout in milliseconds, negative for none. */
    static HandlerResult epollWait(Call c) {
        return await(c, c.intArg(3) < 0 ? -1 : c.intArg(3) / 1e3);
    }

    /**
     * A new instance may get the number of one closed without our close handler seeing it (by
     * exec's FD_CLOEXEC, close_range, dup2 over it): its simulated interest list is stale.
     */
    static HandlerResult create(Call c) {
        return new HandlerResult.NativeThen(fd -> {
            var instances = c.thread.run.epolls.get(c.proc());
            if (fd >= 0 && instances != null) {
                instances.remove((int) fd);
            }
            return fd;
        });
    }

    static HandlerResult ctl(Call c) {
        int epfd = c.intArg(0);
        int op = c.intArg(1);
        int fd = c.intArg(2);
        if (c.virtualFd(0)) {
            return HandlerResult.errno(EINVAL); // a socket is not an epoll fd
        }
        Instance in = c.thread.run.epoll(c.proc(), epfd);
        if (!c.virtualFd(2)) {
            if (op == EPOLL_CTL_ADD) {
                in.realFds.add(fd);
            } else if (op == EPOLL_CTL_DEL) {
                in.realFds.remove(fd);
            }
            return HandlerResult.NATIVE;
        }
        if (op == EPOLL_CTL_DEL) {
            return in.virtualFds.remove(fd) != null ? HandlerResult.done(0) : HandlerResult.errno(ENOENT);
        }
        byte[] raw = c.read(c.arg(3), EVENT_SIZE);
        if (raw == null) {
            return Call.fault();
        }
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        int events = b.getInt(0);
        Interest entry = new Interest(events, b.getLong(4));
        switch (op) {
            case EPOLL_CTL_ADD -> {
                if ((events & EPOLLEXCLUSIVE) != 0 && (events & EPOLLONESHOT) != 0) {
                    return HandlerResult.errno(EINVAL);
                }
                if (in.virtualFds.putIfAbsent(fd, entry) != null) {
                    return HandlerResult.errno(EEXIST);
                }
            }
            case EPOLL_CTL_MOD -> {
                Interest old = in.virtualFds.get(fd);
                if (old == null) {
                    return HandlerResult.errno(ENOENT);
                }
                if ((events & EPOLLEXCLUSIVE) != 0 || (old.events & EPOLLEXCLUSIVE) != 0) {
                    return HandlerResult.errno(EINVAL);
                }
                in.virtualFds.put(fd, entry);
            }
            default -> {
                return HandlerResult.errno(EINVAL);
            }
        }
        return HandlerResult.done(0);
    }

    static HandlerResult pwait2(Call c) {
        if (c.arg(3) == 0) {
            return await(c, -1);
        }
        return c.withTimespec(c.arg(3), (sec, nsec) -> await(c, sec + nsec / 1e9));
    }

    private static HandlerResult await(Call c, double timeout) {
        if (c.virtualFd(0)) {
            return HandlerResult.errno(EINVAL);
        }
        int epfd = c.intArg(0);
        Instance in = c.thread.run.existingEpoll(c.proc(), epfd);
        boolean virtual = in != null && !in.virtualFds.isEmpty();
        if (!virtual && timeout < 0) {
            return HandlerResult.NATIVE; // real fds only: the real kernel waits, forever
        }
        boolean real = in == null || !in.realFds.isEmpty();
        int max = c.intArg(2);
        if (max <= 0) {
            return HandlerResult.errno(EINVAL);
        }
        double now = c.thread.run.sim.now();
        if (c.progress == 0) {
            c.progress = timeout < 0 ? Long.MAX_VALUE : Math.round((now + timeout) * 1e9) + 1;
        }
        ByteBuffer out = ByteBuffer.allocate(EVENT_SIZE * max).order(ByteOrder.LITTLE_ENDIAN);
        List<Signal> queues = new ArrayList<>();
        boolean realFirst = in != null && in.realFirst;
        if (in != null) {
            in.realFirst = !in.realFirst;
        }
        if (real && realFirst) {
            out.put(RealFds.epollEvents(c.thread.process, epfd, max));
        }
        if (virtual) {
            reportVirtual(c, in, out, queues);
        }
        if (real && !realFirst) {
            out.put(RealFds.epollEvents(c.thread.process, epfd, out.remaining() / EVENT_SIZE));
        }
        int ready = out.position() / EVENT_SIZE;
        double remaining = c.progress == Long.MAX_VALUE ? -1 : (c.progress - 1) / 1e9 - now;
        byte[] bytes = java.util.Arrays.copyOf(out.array(), out.position());
        boolean expired = c.progress != Long.MAX_VALUE && remaining <= 1e-9;
        boolean spin = (ready > 0 || expired) && SpinGuard.spinning(c, ready, bytes);
        if (!spin && (ready > 0 || expired)) {
            return c.write(c.arg(1), bytes) ? HandlerResult.done(ready) : Call.fault();
        }
        if (real && !spin) { // a spinning call waits for the clock (real events cannot be peeked without taking them)
            ProcessState p = c.thread.process;
            queues.add(c.thread.run.idleProbes.watch(() -> RealFds.epollReady(p, epfd)));
        }
        return spin ? SpinGuard.waitFor(c, queues, expired ? -1 : remaining)
                : PendingSignals.waitOrInterrupt(c, PendingSignals.maskAddress(c), queues, remaining);
    }

    /** Puts the ready virtual entries' events in {@code out} (while room is left) and collects their wait queues. */
    private static void reportVirtual(Call c, Instance in, ByteBuffer out, List<Signal> queues) {
        List<Integer> rotate = new ArrayList<>();
        for (var e : List.copyOf(in.virtualFds.entrySet())) {
            OpenFile f = c.proc().fds().get(e.getKey());
            if (f == null) {
                in.virtualFds.remove(e.getKey()); // closed: Linux drops it with its last fd
                continue;
            }
            Interest entry = e.getValue();
            if (!queues.contains(f.file().changed())) {
                queues.add(f.file().changed());
            }
            int wanted = entry.events & ~CONTROL_BITS;
            if (wanted == 0 || !out.hasRemaining()) {
                continue; // a disarmed one-shot entry reports nothing, not even EPOLLHUP
            }
            int mask = f.file().readiness().pollMask() & (wanted | LinuxNet.POLLERR | LinuxNet.POLLHUP);
            if ((entry.events & EPOLLET) != 0) {
                long edges = f.file().edges();
                if (edges == entry.seenEdges) {
                    continue; // no wake-up since the last report
                }
                entry.seenEdges = edges; // a wake-up collected while not ready is dropped, as Linux does
            }
            if (mask == 0) {
                continue;
            }
            out.putInt(mask).putLong(entry.data);
            if ((entry.events & EPOLLONESHOT) != 0) {
                entry.events &= CONTROL_BITS; // disarmed until EPOLL_CTL_MOD
            } else if ((entry.events & EPOLLET) == 0) {
                rotate.add(e.getKey());
            }
        }
        for (int fd : rotate) {
            in.virtualFds.put(fd, in.virtualFds.remove(fd)); // level-triggered: to the back of the list
        }
    }
}
