package simterpose.simulator.kernel;

import java.util.HashMap;
import java.util.Map;

/**
 * The run's epoll instances, by process and epoll fd. The epoll fd itself is real (the real
 * kernel numbers it); this table holds what the simulation knows of each instance. A forked
 * child shares its parent's instances, as the fds it inherits refer to the same ones.
 *
 * <p>Threading: engine thread or the running actor only (like the whole kernel).
 */
public final class EpollTable {
    private final Map<VirtualProcess, Map<Integer, EpollInstance>> byProcess = new HashMap<>();

    /** The instance under {@code epfd}, made empty at first use. */
    public EpollInstance instance(VirtualProcess p, int epfd) {
        return byProcess.computeIfAbsent(p, x -> new HashMap<>()).computeIfAbsent(epfd, x -> new EpollInstance());
    }

    /** The instance under {@code epfd}, or null if the simulation never saw it. */
    public EpollInstance existing(VirtualProcess p, int epfd) {
        Map<Integer, EpollInstance> m = byProcess.get(p);
        return m == null ? null : m.get(epfd);
    }

    /**
     * {@code fd} was closed, or a new epoll instance got its number (the old one closed unseen:
     * by exec's FD_CLOEXEC, close_range, dup2 over it): whatever was known under it is stale.
     */
    public void forget(VirtualProcess p, int fd) {
        Map<Integer, EpollInstance> m = byProcess.get(p);
        if (m != null) {
            m.remove(fd);
        }
    }

    /** fork: the child's fds refer to its parent's instances. */
    public void shareOnFork(VirtualProcess parent, VirtualProcess child) {
        Map<Integer, EpollInstance> m = byProcess.get(parent);
        if (m != null) {
            byProcess.put(child, m);
        }
    }
}
