package simterpose.emulator;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import simterpose.simulator.platform.Host;
import simterpose.simulator.platform.Link;
import simterpose.simulator.platform.Platform;
import simterpose.simulator.platform.SharingPolicy;

/**
 * The emulated links as plain arithmetic, no I/O and no clock of its own: given the date a
 * packet reaches a link, the date it reaches the end of it, or that the link drops it.
 * <ul>
 *   <li>each link is a FIFO that serializes packets at its bandwidth (the packet's IP length in
 *       bytes over bytes per second) behind those already on it, then holds them for its latency;</li>
 *   <li>a SHARED link is one queue for both directions; a SPLITDUPLEX link is two SHARED links
 *       after parsing ({@code id_UP}, {@code id_DOWN}), so one queue per direction; a FATPIPE
 *       link is one queue per ordered pair of hosts (each flow has the whole bandwidth);</li>
 *   <li>drop-tail: a packet that finds more than {@link #queueLimit} bytes waiting to be
 *       serialized is dropped.</li>
 * </ul>
 * Dates are nanoseconds on any monotonic clock. Not thread-safe: the relay thread owns it.
 */
final class LinkQueues {
    /** The smallest drop-tail queue of a link, bytes (about 44 full-size packets). */
    static final long MIN_QUEUE_BYTES = 64 * 1024;

    /**
     * The queue size of a link: what it carries during two round trips over itself (bandwidth ×
     * 4 × latency, two bandwidth-delay products), at least {@link #MIN_QUEUE_BYTES}. One product
     * is the classic rule for a lone TCP flow; with two, a flow's loss recovery and slow-start
     * overshoot cost less (measured at 10 MB/s, 5 ms: 250 drops instead of 550–850 per 20 MB).
     */
    static long queueLimit(Link link) {
        return Math.max(MIN_QUEUE_BYTES, (long) (link.bandwidth() * 4 * link.latency()));
    }

    /** One link (or, for a FATPIPE, one pair's share of it) as a serialization queue. */
    static final class Queue {
        final double nanosPerByte;
        final long limitBytes;
        long busyUntil = Long.MIN_VALUE;

        Queue(Link link) {
            this.nanosPerByte = 1e9 / link.bandwidth();
            this.limitBytes = queueLimit(link);
        }
    }

    /** One link of a route: its queue and its latency. */
    record Hop(Queue queue, long latencyNanos) {}

    /** A packet that a full queue dropped. */
    static final long DROPPED = Long.MIN_VALUE;

    private final Platform platform;
    private final List<Host> hosts;
    private final Map<Link, Queue> shared = new HashMap<>();
    private final Map<String, Queue> fatpipes = new HashMap<>();
    private final Hop[][] routes;

    LinkQueues(Platform platform, List<Host> hosts) {
        this.platform = platform;
        this.hosts = List.copyOf(hosts);
        this.routes = new Hop[hosts.size() * hosts.size()][];
    }

    /** The links from host {@code from} to host {@code to} (indexes in the hosts list), in order. */
    Hop[] route(int from, int to) {
        int key = from * hosts.size() + to;
        Hop[] hops = routes[key];
        if (hops == null) {
            List<Link> links = platform.route(hosts.get(from), hosts.get(to)).links();
            hops = new Hop[links.size()];
            for (int i = 0; i < hops.length; i++) {
                Link link = links.get(i);
                Queue queue = link.sharing() == SharingPolicy.FATPIPE
                        ? fatpipes.computeIfAbsent(link.name() + '\0' + from + '\0' + to, k -> new Queue(link))
                        : shared.computeIfAbsent(link, Queue::new);
                hops[i] = new Hop(queue, Math.round(link.latency() * 1e9));
            }
            routes[key] = hops;
        }
        return hops;
    }

    /**
     * A packet of {@code bytes} reaches {@code hop} at {@code at}: the date it reaches the link's
     * far end (after the packets ahead of it, its own serialization and the latency), or
     * {@link #DROPPED}.
     */
    static long cross(Hop hop, int bytes, long at) {
        Queue q = hop.queue;
        long start = Math.max(at, q.busyUntil);
        if ((start - at) / q.nanosPerByte + bytes > q.limitBytes) {
            return DROPPED;
        }
        q.busyUntil = start + (long) Math.ceil(bytes * q.nanosPerByte);
        return q.busyUntil + hop.latencyNanos;
    }
}
