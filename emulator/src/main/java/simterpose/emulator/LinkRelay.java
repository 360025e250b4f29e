package simterpose.emulator;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import simterpose.bindings.LibC;
import simterpose.bindings.LinuxExtra;
import simterpose.simulator.platform.Host;
import simterpose.simulator.platform.Platform;

/**
 * Carries every IP packet a host sends out of its TUN device to the destination host's TUN
 * device along the platform's route, link by link, as {@link LinkQueues} times it (serialization
 * at each link's bandwidth behind the packets already on it, its latency, its queue's discipline:
 * drop-tail or per-flow fair queueing; SHARED, SPLITDUPLEX and FATPIPE sharing). Packets to an
 * address that is no emulated host, or that are not IPv4, are dropped and counted: none leaves
 * the emulation.
 *
 * <p>Implementation overview. One reader platform thread per host reads its TUN device
 * (non-blocking reads, a poll of 100 ms when idle, so it notices the end) and stamps each packet
 * with {@link System#nanoTime()}; it hands the packet to the relay thread through a lock-free
 * inbox and unparks it if it sleeps. The relay thread alone owns the {@link LinkQueues} and a priority
 * queue of events by date: packets leaving their current link, and busy media freeing while
 * packets wait for them (the medium then takes the next, {@link LinkQueues#next}); it sleeps until a margin before
 * the earliest of them (timer slack set to 1 ns, so the kernel does not round its wake-ups up
 * by the default 50 µs; the margin follows how late its sleeps end), spins the rest with the
 * packet already in its output buffer, moves due packets to their next link and writes arrived
 * ones to their destination's TUN device. Times are the machine's monotonic clock in nanoseconds.
 */
public final class LinkRelay implements AutoCloseable {
    private static final int READ_BUFFER = 65536;
    private static final int IDLE_POLL_MS = 100;
    /** The most the relay wakes ahead of a packet's date to spin the rest (a loaded machine's oversleep). */
    static final long MAX_OVERSLEEP = 200_000;

    /** Counters of a run, for the tests and the benchmark. */
    public record Stats(long packets, long bytes, long delivered, long droppedQueueFull, long droppedNoRoute,
                 int largestPacket, long lateNanosTotal, long lateNanosMax) {
        /** Mean delay past the modelled date at which delivered packets reached their destination's TUN. */
        public double meanLateMicros() {
            return delivered == 0 ? 0 : lateNanosTotal / 1e3 / delivered;
        }
    }

    /** What the relay does at a date: move a packet on, or give a free medium its next packet. */
    private abstract static sealed class Event permits Packet, MediumFree {
        long due;
        long order;
    }

    /** A medium that finishes its packet at {@code due} while others wait for it ({@link LinkQueues#next}). */
    private static final class MediumFree extends Event {
        final LinkQueues.Queue queue;
        boolean scheduled;

        MediumFree(LinkQueues.Queue queue) {
            this.queue = queue;
        }
    }

    /** A packet in flight. {@code hop} is the link it is on; {@code due} when it leaves it. */
    private static final class Packet extends Event {
        final byte[] bytes;
        final int from;
        final long readAt;
        /** What a fair queue classifies it by (read once, as it enters). */
        FlowId flow;
        LinkQueues.Hop[] hops;
        int to;
        int hop;

        Packet(byte[] bytes, int from, long readAt) {
            this.bytes = bytes;
            this.from = from;
            this.readAt = readAt;
        }
    }

    private final Platform platform;
    private final List<Host> hosts;
    private final List<Tun> tuns;
    private final Map<Integer, Integer> hostAtIp = new HashMap<>();
    private final LinkQueues links;
    private final ConcurrentLinkedQueue<Packet> inbox = new ConcurrentLinkedQueue<>();
    private final Map<LinkQueues.Queue, MediumFree> frees = new IdentityHashMap<>();
    private final PriorityQueue<Event> inFlight = new PriorityQueue<>((a, b) ->
            a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.order, b.order));
    private final List<Thread> readers = new ArrayList<>();
    private final Thread relay;
    private volatile boolean running = true;
    /** Why a reader or the relay stopped before {@link #stop}, if one did: the emulation ends with it. */
    private volatile EmulationException failure;
    private volatile boolean relayParked;
    private final AtomicLong packets = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private volatile int largest;
    // relay thread only (published by close()'s join)
    private long order;
    private long delivered;
    private long droppedNoRoute;
    private long lateTotal;
    private long lateMax;
    /** How late sleeps end (their upper tail, {@link #nextMargin}): the relay sleeps that much less and spins the rest. */
    private long oversleep = 50_000;
    /** The packet already copied into the relay's output buffer, or null. */
    private Packet prepared;

    /**
     * Starts relaying between {@code tuns.get(i)}, the device of {@code hosts.get(i)} whose
     * address is {@code ips.get(i)}.
     */
    LinkRelay(Platform platform, List<Host> hosts, List<Integer> ips, List<Tun> tuns, LinkQueueDiscipline discipline) {
        this.platform = platform;
        this.hosts = List.copyOf(hosts);
        this.tuns = List.copyOf(tuns);
        for (int i = 0; i < hosts.size(); i++) {
            hostAtIp.put(ips.get(i), i);
        }
        this.links = new LinkQueues(platform, hosts, discipline);
        relay = Thread.ofPlatform().name("emulate-relay").daemon(true).unstarted(this::relayLoop);
        relay.start();
        for (int i = 0; i < tuns.size(); i++) {
            int from = i;
            readers.add(Thread.ofPlatform().name("emulate-read-" + hosts.get(i).name()).daemon(true)
                    .start(() -> readLoop(from)));
        }
    }

    /**
     * The relay and its readers run under SCHED_FIFO (lowest real-time priority) when allowed:
     * a woken real-time thread preempts ordinary ones, so a packet's date does not wait for a
     * busy machine's time slices. They sleep or block between packets, and a spin lasts at most
     * {@link #MAX_OVERSLEEP}, so they never hold a CPU for long.
     */
    private static void realTime() {
        try {
            LibC.schedSetscheduler(0, LinuxExtra.SCHED_FIFO, 1);
        } catch (RuntimeException e) {
            // no CAP_SYS_NICE: ordinary scheduling, less precise under load
        }
    }

    private void readLoop(int from) {
        try {
            readPackets(from);
        } catch (RuntimeException e) {
            // e.g. EBADFD: a program on the host deleted its device (`ip link delete tun0`)
            fail(new EmulationException("host '" + hosts.get(from).name() + "': its network device " + Tun.NAME
                    + " failed (" + e.getMessage() + "); did a program there delete or reconfigure it?", e));
        }
    }

    private void readPackets(int from) {
        realTime();
        Tun tun = tuns.get(from);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(READ_BUFFER, 8);
            MemorySegment pollfd = arena.allocate(8, 4);
            while (running) {
                int n = tun.read(buffer, pollfd, IDLE_POLL_MS);
                if (n <= 0) {
                    continue;
                }
                long at = System.nanoTime();
                packets.incrementAndGet();
                bytes.addAndGet(n);
                if (n > largest) {
                    largest = n;
                }
                inbox.add(new Packet(buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), from, at));
                if (relayParked) {
                    LockSupport.unpark(relay);
                }
            }
        }
    }

    private void relayLoop() {
        try {
            relayPackets();
        } catch (RuntimeException e) {
            fail(new EmulationException("the link relay failed: " + e, e));
        }
    }

    /**
     * A reader or the relay cannot go on: every packet after it would be lost and the run's
     * times wrong, so the emulation ends with {@code why} ({@link Emulator} looks at
     * {@link #failure} between its waits) and the other threads stop.
     */
    private void fail(EmulationException why) {
        if (failure == null) {
            failure = why;
        }
        running = false;
        LockSupport.unpark(relay);
    }

    /** Why the relay stopped on its own, or null while it runs (or after {@link #stop}). */
    EmulationException failure() {
        return failure;
    }

    private void relayPackets() {
        realTime();
        try {
            LibC.prctl(LinuxExtra.PR_SET_TIMERSLACK, 1, 0, 0, 0);
        } catch (RuntimeException e) {
            // the default slack (50 µs) then: only less precise
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(READ_BUFFER, 8);
            while (running) {
                Packet p;
                while ((p = inbox.poll()) != null) {
                    enter(p, out);
                }
                long now = System.nanoTime();
                Event e;
                while ((e = inFlight.peek()) != null && e.due - now <= 0) {
                    inFlight.poll();
                    switch (e) {
                        case MediumFree f -> takeNext(f);
                        case Packet q -> {
                            q.hop++;
                            leaveOrDeliver(q, out);
                        }
                    }
                }
                Event next = inFlight.peek();
                long sleep = next == null ? IDLE_POLL_MS * 1_000_000L : next.due - System.nanoTime() - oversleep;
                if (sleep <= 0) {
                    // The last stretch before a packet's date: a sleep would wake late. The packet
                    // goes into the output buffer now, so at its date only the write is left (after
                    // a sleep, the relay's own code path runs from cold caches: 10–30 µs here).
                    if (next instanceof Packet n && n != prepared && n.hop + 1 == n.hops.length) {
                        MemorySegment.copy(n.bytes, 0, out, ValueLayout.JAVA_BYTE, 0, n.bytes.length);
                        prepared = n;
                    }
                    // No Thread.onSpinWait() here: its PAUSE instructions make the hypervisor (KVM's
                    // pause-loop exiting) take the vCPU away mid-spin; without it the relay's median
                    // lateness fell from 35–40 µs to 8–11 µs, and the whole path's wake-ups with it.
                    continue;
                }
                // Readers unpark the relay only while this flag is up (an unpark is a system call):
                // raised before the last look at the inbox, so no packet is left waiting.
                relayParked = true;
                if (inbox.isEmpty()) {
                    long before = System.nanoTime();
                    LockSupport.parkNanos(sleep);
                    long over = System.nanoTime() - before - sleep;
                    if (next != null && over >= 0) { // a sleep that ran its course (an unpark ends it early)
                        oversleep = nextMargin(oversleep, over);
                    }
                }
                relayParked = false;
            }
        }
    }

    /**
     * The margin the relay wakes ahead of a packet's date, after a sleep that overran by
     * {@code over}: it follows the upper tail of the overruns, not their mean (it rises by half
     * the gap at once, falls by a sixteenth), so most wake-ups come before the date and spin the
     * rest, and it stays within {@link #MAX_OVERSLEEP}.
     */
    static long nextMargin(long margin, long over) {
        long capped = Math.min(over, MAX_OVERSLEEP);
        return capped > margin ? margin + (capped - margin) / 2 : margin - (margin - capped) / 16;
    }

    /** A packet just read: find its route and put it on its first link. */
    private void enter(Packet p, MemorySegment out) {
        byte[] b = p.bytes;
        Integer to = b.length >= 20 && (b[0] & 0xF0) == 0x40 ? hostAtIp.get(
                (b[16] & 0xFF) << 24 | (b[17] & 0xFF) << 16 | (b[18] & 0xFF) << 8 | (b[19] & 0xFF)) : null;
        if (to == null || to == p.from) {
            droppedNoRoute++;
            return;
        }
        p.to = to;
        p.flow = FlowId.of(b);
        p.hops = links.route(p.from, to);
        p.hop = 0;
        if (p.hops.length == 0) {
            write(p, out); // a route without links: delivered at once
            return;
        }
        onLink(p, p.readAt);
    }

    /**
     * Puts {@code p} on its current link at {@code at}: it leaves after serialization and arrives
     * a latency later, or waits in its end's queue until the medium takes it ({@link #takeNext}).
     */
    private void onLink(Packet p, long at) {
        LinkQueues.Hop hop = p.hops[p.hop];
        long due = LinkQueues.cross(hop, p.flow, p.bytes.length, at, p);
        if (due == LinkQueues.WAITING) {
            mediumFreeEvent(hop.queue());
        } else if (due != LinkQueues.DROPPED) { // a dropped packet is counted by its queue
            schedule(p, due);
        }
    }

    private void schedule(Event e, long due) {
        e.due = due;
        e.order = order++;
        inFlight.add(e);
    }

    /** Makes sure the relay looks at {@code queue} when its medium frees. */
    private void mediumFreeEvent(LinkQueues.Queue queue) {
        MediumFree f = frees.computeIfAbsent(queue, MediumFree::new);
        if (!f.scheduled) {
            f.scheduled = true;
            schedule(f, queue.busyUntil);
        }
    }

    private void takeNext(MediumFree f) {
        f.scheduled = false;
        LinkQueues.Started started = LinkQueues.next(f.queue, f.due);
        if (started != null) {
            schedule((Packet) started.packet(), started.due());
            if (f.queue.hasWaiting()) {
                mediumFreeEvent(f.queue);
            }
        }
    }

    private void leaveOrDeliver(Packet p, MemorySegment out) {
        if (p.hop < p.hops.length) {
            onLink(p, p.due);
            return;
        }
        write(p, out);
    }

    private void write(Packet p, MemorySegment out) {
        if (p != prepared) {
            MemorySegment.copy(p.bytes, 0, out, ValueLayout.JAVA_BYTE, 0, p.bytes.length);
        }
        prepared = null;
        if (p.hops.length > 0) { // lateness: how long after its modelled date the packet enters the destination's kernel
            long late = System.nanoTime() - p.due;
            lateTotal += late;
            lateMax = Math.max(lateMax, late);
        }
        tuns.get(p.to).write(out, p.bytes.length);
        delivered++;
    }

    /** Stops the threads (within {@link #IDLE_POLL_MS}) and returns the counters; the TUN devices stay open. */
    Stats stop() {
        running = false;
        LockSupport.unpark(relay);
        try {
            relay.join();
            for (Thread reader : readers) {
                reader.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new Stats(packets.get(), bytes.get(), delivered, links.dropped(), droppedNoRoute, largest, lateTotal, lateMax);
    }

    @Override
    public void close() {
        stop();
    }
}
