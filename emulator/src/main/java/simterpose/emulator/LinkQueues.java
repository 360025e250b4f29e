package simterpose.emulator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import simterpose.simulator.platform.Host;
import simterpose.simulator.platform.Link;
import simterpose.simulator.platform.Platform;
import simterpose.simulator.platform.PlatformException;
import simterpose.simulator.platform.SharingPolicy;

/**
 * The emulated links as plain arithmetic, no I/O and no clock of its own: given the date a
 * packet reaches a link, the date it reaches the end of it, or that the link drops it.
 * <ul>
 *   <li>each link is a medium that serializes one packet at a time at its bandwidth (the packet's
 *       IP length in bytes over bytes per second), then holds it for its latency;</li>
 *   <li>packets that find the medium busy wait in a drop-tail FIFO at the end of the link they
 *       entered by, as in any device's output port: a packet that finds more than
 *       {@link #queueLimit} bytes ahead of it (its end's queue and the rest of the packet on the
 *       medium) is dropped;</li>
 *   <li>a SHARED link is one medium for both directions (SimGrid's meaning: they share its
 *       bandwidth) with a queue at each end; when both ends have packets waiting the medium takes
 *       one from each in turn, as a half-duplex medium does (each station contends for each
 *       packet), so the ACKs of a flow do not wait behind the queue of its data. Which end a
 *       route enters by follows from the routes themselves ({@link Sides});</li>
 *   <li>a SPLITDUPLEX link is two SHARED links after parsing ({@code id_UP}, {@code id_DOWN}),
 *       each crossed one way only, so one medium and one queue per direction; a FATPIPE link is
 *       one medium per ordered pair of hosts (each flow has the whole bandwidth).</li>
 * </ul>
 * A packet that starts on an idle medium gets its date at once ({@link #cross}); one that waits
 * gets it when the medium takes it ({@link #next}), so the caller keeps the date each medium
 * frees ({@link Queue#busyUntil}) and calls {@link #next} then.
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

    /** A packet waiting at one end of a link since {@code at}, with what the caller attached to it. */
    record Waiting(Object packet, int bytes, long at) {}

    /** A packet the medium took: its caller's object and the date it reaches the link's far end. */
    record Started(Object packet, long due) {}

    /** One link (or, for a FATPIPE, one pair's share of it): its medium and the queue at each end. */
    static final class Queue {
        final double nanosPerByte;
        final long limitBytes;
        final long latencyNanos;
        /** The date the medium finishes the packet on it (it is idle from then on if no one waits). */
        long busyUntil = Long.MIN_VALUE;
        @SuppressWarnings("unchecked")
        private final ArrayDeque<Waiting>[] waiting = new ArrayDeque[] {new ArrayDeque<>(), new ArrayDeque<>()};
        private final long[] waitingBytes = new long[2];
        /** The end whose packet the medium took last. */
        private int lastSide;

        Queue(Link link) {
            this.nanosPerByte = 1e9 / link.bandwidth();
            this.limitBytes = queueLimit(link);
            this.latencyNanos = Math.round(link.latency() * 1e9);
        }

        /** Whether packets wait for the medium (the caller then owes a {@link #next} at {@link #busyUntil}). */
        boolean hasWaiting() {
            return !waiting[0].isEmpty() || !waiting[1].isEmpty();
        }

        private long start(int side, int bytes, long at) {
            lastSide = side;
            busyUntil = at + (long) Math.ceil(bytes * nanosPerByte);
            return busyUntil + latencyNanos;
        }
    }

    /** One link of a route: its queue and the end the route enters it by (0 or 1). */
    record Hop(Queue queue, int side) {}

    /** A packet that a full queue dropped. */
    static final long DROPPED = Long.MIN_VALUE;
    /** A packet that waits in its end's queue: its date comes from {@link #next}. */
    static final long WAITING = Long.MIN_VALUE + 1;

    private final Platform platform;
    private final List<Host> hosts;
    private final Map<Link, Queue> shared = new HashMap<>();
    private final Map<String, Queue> fatpipes = new HashMap<>();
    private final Hop[][] routes;
    private final Sides sides;

    LinkQueues(Platform platform, List<Host> hosts) {
        this.platform = platform;
        this.hosts = List.copyOf(hosts);
        this.routes = new Hop[hosts.size() * hosts.size()][];
        this.sides = new Sides();
        for (Host from : this.hosts) {
            for (Host to : this.hosts) {
                if (from != to) {
                    try {
                        sides.add(platform.route(from, to).links(), from, to);
                    } catch (PlatformException e) {
                        // no route between them: their packets are dropped, no link to orient
                    }
                }
            }
        }
    }

    /** The links from host {@code from} to host {@code to} (indexes in the hosts list), in order. */
    Hop[] route(int from, int to) {
        int key = from * hosts.size() + to;
        Hop[] hops = routes[key];
        if (hops == null) {
            Host src = hosts.get(from);
            Host dst = hosts.get(to);
            List<Link> links = platform.route(src, dst).links();
            hops = new Hop[links.size()];
            for (int i = 0; i < hops.length; i++) {
                Link link = links.get(i);
                if (link.sharing() == SharingPolicy.FATPIPE) {
                    hops[i] = new Hop(fatpipes.computeIfAbsent(link.name() + '\0' + from + '\0' + to, k -> new Queue(link)), 0);
                } else {
                    hops[i] = new Hop(shared.computeIfAbsent(link, Queue::new), sides.side(link, Sides.entry(links, i, src)));
                }
            }
            routes[key] = hops;
        }
        return hops;
    }

    /**
     * A packet of {@code bytes} ({@code packet}, the caller's) reaches {@code hop} at {@code at}:
     * the date it reaches the link's far end if the medium takes it at once, {@link #WAITING}
     * if it waits in its end's queue, or {@link #DROPPED}.
     */
    static long cross(Hop hop, int bytes, long at, Object packet) {
        Queue q = hop.queue;
        int side = hop.side;
        long onMedium = q.busyUntil > at ? q.busyUntil - at : 0; // (busyUntil - at overflows on a new link)
        if (onMedium == 0 && !q.hasWaiting()) {
            return q.start(side, bytes, at);
        }
        if (q.waitingBytes[side] + onMedium / q.nanosPerByte + bytes > q.limitBytes) {
            return DROPPED;
        }
        q.waiting[side].add(new Waiting(packet, bytes, at));
        q.waitingBytes[side] += bytes;
        return WAITING;
    }

    /**
     * The medium of {@code q} is free at {@code at} (its {@link Queue#busyUntil}): it takes the
     * next waiting packet, from the other end than last time if packets wait at both, and returns
     * it with its date; null if none waits. (A caller that looks late may have queued packets that
     * arrived after {@code at}: only those there by then count, else the first to arrive.)
     */
    static Started next(Queue q, long at) {
        long free = Math.max(at, q.busyUntil);
        Waiting other = q.waiting[1 - q.lastSide].peek();
        Waiting same = q.waiting[q.lastSide].peek();
        int side;
        if (other == null && same == null) {
            return null;
        } else if (same == null || other != null && (other.at() <= free || other.at() <= same.at())) {
            side = 1 - q.lastSide;
        } else {
            side = q.lastSide;
        }
        Waiting w = q.waiting[side].poll();
        q.waitingBytes[side] -= w.bytes();
        return new Started(w.packet(), q.start(side, w.bytes(), Math.max(free, w.at())));
    }

    /**
     * The two ends of each SHARED link, from the routes that cross it: a route enters a link by
     * what comes before it (the previous link, or the source host) and leaves it by what comes
     * after it; those two are at opposite ends, and what two routes share is at the same end.
     * So the ends are a two-colouring of that graph (breadth first from the first name seen; a
     * platform whose routes contradict it keeps the first colour given).
     */
    static final class Sides {
        private final Map<Link, Map<String, List<String>>> graphs = new HashMap<>();
        private final Map<Link, Map<String, Integer>> colours = new HashMap<>();

        static String entry(List<Link> links, int i, Host src) {
            return i == 0 ? "host " + src.name() : "link " + links.get(i - 1).name();
        }

        private static String exit(List<Link> links, int i, Host dst) {
            return i == links.size() - 1 ? "host " + dst.name() : "link " + links.get(i + 1).name();
        }

        void add(List<Link> links, Host src, Host dst) {
            for (int i = 0; i < links.size(); i++) {
                Map<String, List<String>> g = graphs.computeIfAbsent(links.get(i), k -> new HashMap<>());
                String in = entry(links, i, src);
                String out = exit(links, i, dst);
                g.computeIfAbsent(in, k -> new ArrayList<>()).add(out);
                g.computeIfAbsent(out, k -> new ArrayList<>()).add(in);
                colours.remove(links.get(i));
            }
        }

        int side(Link link, String entry) {
            Map<String, Integer> colour = colours.computeIfAbsent(link, this::colour);
            return colour.getOrDefault(entry, 0);
        }

        private Map<String, Integer> colour(Link link) {
            Map<String, List<String>> g = graphs.getOrDefault(link, Map.of());
            Map<String, Integer> colour = new HashMap<>();
            for (String start : g.keySet().stream().sorted().toList()) {
                if (colour.containsKey(start)) {
                    continue;
                }
                colour.put(start, 0);
                ArrayDeque<String> todo = new ArrayDeque<>(List.of(start));
                while (!todo.isEmpty()) {
                    String n = todo.poll();
                    for (String m : g.get(n)) {
                        if (!colour.containsKey(m)) {
                            colour.put(m, 1 - colour.get(n));
                            todo.add(m);
                        }
                    }
                }
            }
            return colour;
        }
    }
}
