package simterpose.simulator.kernel;

import static simterpose.bindings.Errno.EEXIST;
import static simterpose.bindings.Errno.EINVAL;
import static simterpose.bindings.Errno.ENOENT;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import simterpose.simulator.engine.Signal;

/**
 * One epoll instance's interest list, as the simulation keeps it: its virtual fds with their
 * events and data (the real fds it watches are only noted: the real instance holds them).
 *
 * <p>Virtual entries follow Linux (fs/eventpoll.c): level-triggered by default, an entry
 * reported moves to the back (maxevents does not starve the others); EPOLLET reports an entry
 * once per wake-up of its file ({@link VirtualFile#edges()}: new data, a new connection, a bit
 * rising) while it is ready; EPOLLONESHOT disarms an entry after one report until
 * EPOLL_CTL_MOD; EPOLLRDHUP, EPOLLHUP and EPOLLERR as poll reports them; EPOLLEXCLUSIVE is
 * accepted on ADD (one waiter per instance here anyway) and refused on MOD.
 *
 * <p>Threading: engine thread or the running actor only (like the whole kernel).
 */
public final class EpollInstance {
    public static final int EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2, EPOLL_CTL_MOD = 3;
    public static final int EPOLLEXCLUSIVE = 1 << 28, EPOLLWAKEUP = 1 << 29, EPOLLONESHOT = 1 << 30, EPOLLET = 1 << 31;
    /** The flags that are not events. */
    private static final int CONTROL_BITS = EPOLLEXCLUSIVE | EPOLLWAKEUP | EPOLLONESHOT | EPOLLET;

    /** One reported event: struct epoll_event's events and data. */
    public record Event(int events, long data) {}

    /** One virtual fd's registration. */
    private static final class Interest {
        int events;
        final long data;
        /** {@link VirtualFile#edges()} at the last EPOLLET report; -1: report if ready. */
        long seenEdges = -1;

        Interest(int events, long data) {
            this.events = events;
            this.data = data;
        }
    }

    /** Virtual fd → registration, in report order (level-triggered reports rotate). */
    private final Map<Integer, Interest> virtualFds = new LinkedHashMap<>();
    private final Set<Integer> realFds = new HashSet<>();
    /** Which half reports first this time, so that maxevents starves neither. */
    private boolean realFirst;

    /** True when it watches a virtual fd (then a wait on it is simulated). */
    public boolean watchesVirtual() {
        return !virtualFds.isEmpty();
    }

    /** True when it watches a real fd (then the real instance has events to add). */
    public boolean watchesReal() {
        return !realFds.isEmpty();
    }

    /** epoll_ctl on a real fd: noted, run by the real kernel. */
    public void controlReal(int op, int fd) {
        if (op == EPOLL_CTL_ADD) {
            realFds.add(fd);
        } else if (op == EPOLL_CTL_DEL) {
            realFds.remove(fd);
        }
    }

    /** epoll_ctl(EPOLL_CTL_DEL) on a virtual fd. */
    public SysResult<Integer> delete(int fd) {
        return virtualFds.remove(fd) != null ? SysResult.done(0) : SysResult.errno(ENOENT);
    }

    /** epoll_ctl(EPOLL_CTL_ADD or EPOLL_CTL_MOD) on a virtual fd, with struct epoll_event's events and data. */
    public SysResult<Integer> control(int op, int fd, int events, long data) {
        Interest entry = new Interest(events, data);
        switch (op) {
            case EPOLL_CTL_ADD -> {
                if ((events & EPOLLEXCLUSIVE) != 0 && (events & EPOLLONESHOT) != 0) {
                    return SysResult.errno(EINVAL);
                }
                if (virtualFds.putIfAbsent(fd, entry) != null) {
                    return SysResult.errno(EEXIST);
                }
            }
            case EPOLL_CTL_MOD -> {
                Interest old = virtualFds.get(fd);
                if (old == null) {
                    return SysResult.errno(ENOENT);
                }
                if ((events & EPOLLEXCLUSIVE) != 0 || (old.events & EPOLLEXCLUSIVE) != 0) {
                    return SysResult.errno(EINVAL);
                }
                virtualFds.put(fd, entry);
            }
            case EPOLL_CTL_DEL -> {
                return delete(fd);
            }
            default -> {
                return SysResult.errno(EINVAL);
            }
        }
        return SysResult.done(0);
    }

    /** Whether the real fds report first in this wait; each wait flips it. */
    public boolean takeRealFirst() {
        boolean first = realFirst;
        realFirst = !realFirst;
        return first;
    }

    /**
     * The ready virtual entries' events, at most {@code max}, looked up in {@code fds} (an
     * entry whose fd is closed is dropped, as Linux drops it with its last fd); adds each
     * watched file's wait queue to {@code queues}. Applies EPOLLET, EPOLLONESHOT and the
     * level-triggered rotation.
     */
    public List<Event> ready(FdTable fds, int max, List<Signal> queues) {
        List<Event> out = new ArrayList<>();
        List<Integer> rotate = new ArrayList<>();
        for (var e : List.copyOf(virtualFds.entrySet())) {
            OpenFile f = fds.get(e.getKey());
            if (f == null) {
                virtualFds.remove(e.getKey());
                continue;
            }
            Interest entry = e.getValue();
            if (!queues.contains(f.file().changed())) {
                queues.add(f.file().changed());
            }
            int wanted = entry.events & ~CONTROL_BITS;
            if (wanted == 0 || out.size() >= max) {
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
            out.add(new Event(mask, entry.data));
            if ((entry.events & EPOLLONESHOT) != 0) {
                entry.events &= CONTROL_BITS; // disarmed until EPOLL_CTL_MOD
            } else if ((entry.events & EPOLLET) == 0) {
                rotate.add(e.getKey());
            }
        }
        for (int fd : rotate) {
            virtualFds.put(fd, virtualFds.remove(fd)); // level-triggered: to the back of the list
        }
        return out;
    }
}
