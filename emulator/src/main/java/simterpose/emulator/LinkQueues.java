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
 *   <li>packets that find the medium busy wait in a buffer at the end of the link they entered
 *       by, as in any device's output port; each end holds at most {@link #queueLimit} bytes,
 *       counting the rest of the packet on the medium;</li>
 *   <li>a SHARED link is one medium for both directions (SimGrid's meaning: they share its
 *       bandwidth) with a buffer at each end. Which end a route enters by follows from the
 *       routes themselves ({@link Sides});</li>
 *   <li>a SPLITDUPLEX link is two SHARED links after parsing ({@code id_UP}, {@code id_DOWN}),
 *       each crossed one way only, so one medium and one buffer per direction; a FATPIPE link is
 *       one medium per ordered pair of hosts (each pair has the whole bandwidth).</li>
 * </ul>
 * How the waiting packets are ordered and dropped is the {@link LinkQueueDiscipline}:
 * <ul>
 *   <li>{@link DropTail}: a FIFO at each end; a packet that finds its end full is dropped. When
 *       both ends of a SHARED link have packets waiting the medium takes one from each in turn,
 *       as a half-duplex medium does (each station contends for each packet), so the ACKs of a
 *       flow do not wait behind the queue of its data;</li>
 *   <li>{@link Fair}: a FIFO per flow ({@link FlowId}), the flows of both ends served together by
 *       deficit round robin (a quantum of {@link #QUANTUM_BYTES} per turn), so every flow that
 *       keeps packets waiting gets the same bytes per second whatever end it enters by: max-min
 *       sharing. A packet that overfills its end's buffer is queued all the same, and the head of
 *       the flow with the most bytes waiting at that end is dropped until the end fits (the
 *       flow that took most of the buffer loses, not the one arriving), as Linux's fq_codel
 *       does. No CoDel: its target delay would cut the standing queue that both the drop-tail
 *       emulation and the model's TCP assume (two bandwidth-delay products of buffer), and what
 *       this discipline is for is the sharing, not the queue's length.</li>
 * </ul>
 * A packet that starts on an idle medium gets its date at once ({@link #cross}); one that waits
 * gets it when the medium takes it ({@link #next}), so the caller keeps the date each medium
 * frees ({@link Queue#busyUntil}) and calls {@link #next} then.
 * Dates are nanoseconds on any monotonic clock. Not thread-safe: the relay thread owns it.
 */
final class LinkQueues {
    /** The smallest buffer at a link's end, bytes (about 44 full-size packets). */
    static final long MIN_QUEUE_BYTES = 64 * 1024;

    /** What a flow may send per turn of the fair queue's round: one full-size packet. */
    static final int QUANTUM_BYTES = Tun.MTU;

    /**
     * The buffer at each end of a link: what it carries during two round trips over itself (bandwidth ×
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

    /**
     * One link (or, for a FATPIPE, one pair's share of it): its medium and the buffers at its
     * ends, whose order and drops are the subclass's.
     */
    abstract static sealed class Queue permits DropTail, Fair {
        final double nanosPerByte;
        final long limitBytes;
        final long latencyNanos;
        /** The date the medium finishes the packet on it (it is idle from then on if no one waits). */
        long busyUntil = Long.MIN_VALUE;
        /** The packets this link dropped because an end's buffer was full. */
        long dropped;
        /** The bytes waiting at each end. */
        final long[] waitingBytes = new long[2];
        /** The end whose packet the medium took last (what {@link DropTail} alternates on). */
        int lastSide;

        Queue(Link link) {
            this.nanosPerByte = 1e9 / link.bandwidth();
            this.limitBytes = queueLimit(link);
            this.latencyNanos = Math.round(link.latency() * 1e9);
        }

        static Queue of(Link link, LinkQueueDiscipline discipline) {
            return switch (discipline) {
                case DROP_TAIL -> new DropTail(link);
                case FAIR -> new Fair(link);
            };
        }

        /** Whether packets wait for the medium (the caller then owes a {@link #next} at {@link #busyUntil}). */
        abstract boolean hasWaiting();

        /**
         * {@code w}, of {@code flow}, found the medium busy with {@code onMediumBytes} still to
         * serialize: {@link #WAITING} if it waits at end {@code side}, {@link #DROPPED} if not.
         */
        abstract long enqueue(int side, FlowId flow, Waiting w, double onMediumBytes);

        /** Removes the packet the medium takes when it frees at {@code free}; {@link #hasWaiting} holds. */
        abstract Waiting take(long free);

        private long start(int bytes, long at) {
            busyUntil = at + (long) Math.ceil(bytes * nanosPerByte);
            return busyUntil + latencyNanos;
        }
    }

    /** A FIFO at each end, drop-tail, the ends taken in turn. */
    static final class DropTail extends Queue {
        @SuppressWarnings("unchecked")
        private final ArrayDeque<Waiting>[] waiting = new ArrayDeque[] {new ArrayDeque<>(), new ArrayDeque<>()};
        DropTail(Link link) {
            super(link);
        }

        @Override
        boolean hasWaiting() {
            return !waiting[0].isEmpty() || !waiting[1].isEmpty();
        }

        @Override
        long enqueue(int side, FlowId flow, Waiting w, double onMediumBytes) {
            if (waitingBytes[side] + onMediumBytes + w.bytes() > limitBytes) {
                dropped++;
                return DROPPED;
            }
            waiting[side].add(w);
            waitingBytes[side] += w.bytes();
            return WAITING;
        }

        /** From the other end than last time if packets wait at both (see {@link #next} for a late caller). */
        @Override
        Waiting take(long free) {
            Waiting other = waiting[1 - lastSide].peek();
            Waiting same = waiting[lastSide].peek();
            int side = same == null || other != null && (other.at() <= free || other.at() <= same.at())
                    ? 1 - lastSide : lastSide;
            Waiting w = waiting[side].poll();
            waitingBytes[side] -= w.bytes();
            lastSide = side;
            return w;
        }
    }

    /**
     * A FIFO per flow, the flows of both ends in one round served by deficit round robin
     * (Shreedhar and Varghese), in fq_codel's form: the flow whose turn it is sends its head
     * packet while its deficit is positive (the packet's bytes are taken from it, so it may go
     * below zero by less than a packet), and when it is not, gets {@link #QUANTUM_BYTES} more
     * and the turn passes on. A flow joins the round at its end with one quantum when a packet
     * of it starts waiting, and leaves it when it has none waiting.
     */
    static final class Fair extends Queue {
        /** One flow's packets waiting at one end. */
        private static final class FlowQueue {
            final FlowId id;
            final int side;
            final ArrayDeque<Waiting> packets = new ArrayDeque<>();
            long bytes;
            long deficit = QUANTUM_BYTES;

            FlowQueue(FlowId id, int side) {
                this.id = id;
                this.side = side;
            }
        }

        private final Map<FlowId, FlowQueue> flows = new HashMap<>();
        /** The flows with packets waiting, in the order of the round. */
        private final List<FlowQueue> round = new ArrayList<>();
        /** The index in {@link #round} of the flow whose turn it is (modulo its size). */
        private int turn;

        Fair(Link link) {
            super(link);
        }

        @Override
        boolean hasWaiting() {
            return !round.isEmpty();
        }

        @Override
        long enqueue(int side, FlowId flow, Waiting w, double onMediumBytes) {
            FlowQueue f = flows.get(flow);
            if (f == null) {
                f = new FlowQueue(flow, side);
                flows.put(flow, f);
                turn = round.isEmpty() ? 0 : turn % round.size();
                round.add(turn, f); // the end of the round: just before the flow whose turn it is
                turn++;
            }
            f.packets.add(w);
            f.bytes += w.bytes();
            waitingBytes[f.side] += w.bytes();
            // A caller that looks late (a packet read long before the relay got to it) sees the medium
            // further ahead of the packet's date than one packet: the medium took others since. Only
            // one packet can be on it, so what it holds counts up to one MTU, and the end then holds
            // packets as long as it is over its limit (the limit is far above one MTU).
            double onMedium = Math.min(onMediumBytes, Tun.MTU);
            boolean arrivingDropped = false;
            while (waitingBytes[f.side] + onMedium > limitBytes) {
                arrivingDropped |= dropHeadOfFattest(f.side) == w;
            }
            return arrivingDropped ? DROPPED : WAITING;
        }

        private Waiting dropHeadOfFattest(int side) {
            FlowQueue fattest = null;
            for (FlowQueue f : round) {
                if (f.side == side && (fattest == null || f.bytes > fattest.bytes)) {
                    fattest = f;
                }
            }
            dropped++;
            return remove(fattest, round.indexOf(fattest));
        }

        /** Takes the head packet of {@code f}, at {@code index} in the round, and lets it leave the round if it was the last. */
        private Waiting remove(FlowQueue f, int index) {
            Waiting w = f.packets.poll();
            f.bytes -= w.bytes();
            waitingBytes[f.side] -= w.bytes();
            if (f.packets.isEmpty()) {
                flows.remove(f.id);
                round.remove(index);
                if (index < turn) {
                    turn--;
                }
                turn = round.isEmpty() ? 0 : turn % round.size();
            }
            return w;
        }

        /**
         * The round goes on from the flow whose turn it is; a flow whose head packet arrived after
         * {@code free} (queued by a caller that looked late) lets its turn pass, and if every
         * head did, the first of them to arrive starts when it arrived.
         */
        @Override
        Waiting take(long free) {
            long firstArrival = Long.MAX_VALUE;
            for (FlowQueue f : round) {
                firstArrival = Math.min(firstArrival, f.packets.peek().at());
            }
            long by = Math.max(free, firstArrival);
            while (true) {
                turn %= round.size();
                FlowQueue f = round.get(turn);
                if (f.packets.peek().at() > by) {
                    turn++;
                } else if (f.deficit <= 0) {
                    f.deficit += QUANTUM_BYTES;
                    turn++;
                } else {
                    f.deficit -= f.packets.peek().bytes();
                    return remove(f, turn);
                }
            }
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
    private final LinkQueueDiscipline discipline;
    private final Map<Link, Queue> shared = new HashMap<>();
    private final Map<String, Queue> fatpipes = new HashMap<>();
    private final Hop[][] routes;
    private final Sides sides;

    LinkQueues(Platform platform, List<Host> hosts, LinkQueueDiscipline discipline) {
        this.platform = platform;
        this.hosts = List.copyOf(hosts);
        this.discipline = discipline;
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
                    hops[i] = new Hop(fatpipes.computeIfAbsent(link.name() + '\0' + from + '\0' + to,
                            k -> Queue.of(link, discipline)), 0);
                } else {
                    hops[i] = new Hop(shared.computeIfAbsent(link, l -> Queue.of(l, discipline)),
                            sides.side(link, Sides.entry(links, i, src)));
                }
            }
            routes[key] = hops;
        }
        return hops;
    }

    /** The packets every link dropped because an end's buffer was full. */
    long dropped() {
        long n = 0;
        for (Queue q : shared.values()) {
            n += q.dropped;
        }
        for (Queue q : fatpipes.values()) {
            n += q.dropped;
        }
        return n;
    }

    /**
     * A packet of {@code bytes} ({@code packet}, the caller's) of {@code flow} reaches {@code hop}
     * at {@code at}: the date it reaches the link's far end if the medium takes it at once,
     * {@link #WAITING} if it waits in its end's queue, or {@link #DROPPED}.
     */
    static long cross(Hop hop, FlowId flow, int bytes, long at, Object packet) {
        Queue q = hop.queue;
        long onMedium = q.busyUntil > at ? q.busyUntil - at : 0; // (busyUntil - at overflows on a new link)
        if (onMedium == 0 && !q.hasWaiting()) {
            q.lastSide = hop.side;
            return q.start(bytes, at);
        }
        return q.enqueue(hop.side, flow, new Waiting(packet, bytes, at), onMedium / q.nanosPerByte);
    }

    /**
     * The medium of {@code q} is free at {@code at} (its {@link Queue#busyUntil}): it takes the
     * next waiting packet, as its discipline orders them, and returns it with its date; null if
     * none waits. (A caller that looks late may have queued packets that arrived after {@code at}:
     * only those there by then count, else the first to arrive.)
     */
    static Started next(Queue q, long at) {
        if (!q.hasWaiting()) {
            return null;
        }
        long free = Math.max(at, q.busyUntil);
        Waiting w = q.take(free);
        return new Started(w.packet(), q.start(w.bytes(), Math.max(free, w.at())));
    }

    /**
     * The two ends of each SHARED link, from the routes that cross it: a route enters a link by
     * what comes before it (the previous link, or the source host) and leaves it by what comes
     * after it; those two are at opposite ends, and what two routes share is at the same end.
     * So the ends are a two-colouring of that graph (breadth first from the first name seen; a
     * platform whose routes contradict it keeps the first colour given).
     * <p>Routes that cross a link without a neighbour of it in common are two components of the
     * graph, each coloured from its smallest name: their relative orientation is the names'
     * order, not a fact of the platform. Under {@link DropTail} it matters (the ends take the
     * medium in turn: routes at opposite ends get half each whatever their round trips); under
     * {@link Fair} the flows of both ends share one round, so only which end's buffer a packet
     * counts against follows from it.
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
