package simterpose.simulator.kernel;

import simterpose.simulator.engine.Signal;

/**
 * A socket's wait queue: the {@link Signal} its waiters block on, and the wake-up count an
 * edge-triggered epoll sees (ep_poll_callback): a poll bit rising (connected, writable again,
 * end of stream, error), plus the explicit edges a socket adds (every data arrival or new
 * connection, even on a file already readable).
 */
final class WaitQueue {
    final Signal changed = new Signal();
    private long edges;
    private int lastMask;

    long edges() {
        return edges;
    }

    /** An event that wakes an edge-triggered waiter whatever the readiness (sk_data_ready...). */
    void edge() {
        edges++;
    }

    /** The file's state changed to {@code now}: count a rising bit as an edge, wake the waiters. */
    void notify(Readiness now) {
        notify(now, null);
    }

    /** As {@link #notify(Readiness)}, telling the waiters why ({@link WakeCause}, or null). */
    void notify(Readiness now, WakeCause cause) {
        int mask = now.pollMask();
        if ((mask & ~lastMask) != 0) {
            edges++;
        }
        lastMask = mask;
        if (changed.hasWaiters()) {
            changed.signalAll(cause);
        } else if (cause != null) {
            changed.note(cause); // for a waiter woken earlier in this instant (Wait.cause)
        }
    }
}
