package simterpose.simulator.kernel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import simterpose.simulator.engine.Simulation;
import simterpose.simulator.platform.Host;
import simterpose.simulator.platform.Route;

/**
 * The simulated operating system shared by every simulated host: addresses, per-host port
 * tables, the processes' fd tables, and the TCP sockets whose packets and byte streams move in
 * the {@link Simulation}'s time. It never touches a real process: the mediation layer decodes a
 * tracee's syscalls, calls {@link #sockets()} / {@link VirtualProcess#fds()}, and writes the
 * {@link SysResult} back.
 *
 * <p>Threading: like the simulation, one logical thread: the engine thread or the one actor it
 * currently runs. Nothing here is synchronised.
 */
public final class Kernel {
    private final Simulation simulation;
    private final Addresses addresses;
    private final Map<Host, PortTable> ports = new HashMap<>();
    private final Map<Host, Map<Host, Double>> oneWay = new HashMap<>();
    private final Map<Host, Map<Host, Long>> segment = new HashMap<>();
    private final List<VirtualProcess> processes = new ArrayList<>();
    private final SocketCalls sockets = new SocketCalls(this);
    private long nextSocketId;

    /** @throws IllegalArgumentException on a bad {@code ip} host property (see {@link Addresses}) */
    public Kernel(Simulation simulation) {
        this.simulation = simulation;
        this.addresses = new Addresses(simulation.platform());
    }

    public Simulation simulation() { return simulation; }

    public Addresses addresses() { return addresses; }

    /** The socket system calls. */
    public SocketCalls sockets() { return sockets; }

    /** A new process (an actor's program at its first exec) with an empty virtual fd table. */
    public VirtualProcess newProcess(int pid, Host host) {
        VirtualProcess p = new VirtualProcess(pid, host, new FdTable());
        processes.add(p);
        return p;
    }

    /** A fork/clone of {@code parent} (see {@link VirtualProcess#fork}). */
    public VirtualProcess fork(VirtualProcess parent, int childPid, boolean shareFdTable) {
        VirtualProcess p = parent.fork(childPid, shareFdTable);
        processes.add(p);
        return p;
    }

    /** Every process, in creation order (for the end report). */
    public List<VirtualProcess> processes() {
        return Collections.unmodifiableList(processes);
    }

    // ---- package internals ----

    PortTable ports(Host host) {
        return ports.computeIfAbsent(host, h -> new PortTable());
    }

    TcpSocket newSocket(Host host) {
        return new TcpSocket(this, host, nextSocketId++);
    }

    /**
     * Seconds a control packet takes from {@code a} to {@code b}: the route's summed link
     * latency (an empty route to itself: the configured loopback latency).
     *
     * @throws simterpose.simulator.platform.PlatformException when no route exists
     */
    double oneWay(Host a, Host b) {
        Map<Host, Double> row = oneWay.computeIfAbsent(a, h -> new HashMap<>());
        Double cached = row.get(b);
        if (cached == null) {
            Route r = simulation.platform().route(a, b);
            cached = r.links().isEmpty() && a.equals(b) ? simulation.config().loopbackLatency() : r.latency();
            row.put(b, cached);
        }
        return cached;
    }

    /**
     * The largest segment a stream from {@code a} to {@code b} sends (see {@link Flow}): what the
     * route's narrowest link carries in {@link Flow#SEGMENT_SECONDS}, between
     * {@link Flow#MIN_SEGMENT} and {@link Flow#MAX_SEGMENT}.
     */
    long segmentBytes(Host a, Host b) {
        Map<Host, Long> row = segment.computeIfAbsent(a, h -> new HashMap<>());
        Long cached = row.get(b);
        if (cached == null) {
            Route r = simulation.platform().route(a, b);
            double bw = r.links().isEmpty() && a.equals(b) ? simulation.config().loopbackBandwidth() : Double.POSITIVE_INFINITY;
            for (var link : r.links()) {
                bw = Math.min(bw, link.bandwidth());
            }
            double bytes = bw * simulation.config().bandwidthFactor() * Flow.SEGMENT_SECONDS;
            cached = (long) Math.max(Flow.MIN_SEGMENT, Math.min(Flow.MAX_SEGMENT, bytes));
            row.put(b, cached);
        }
        return cached;
    }

    /** Runs {@code arrival} when a control packet sent now from {@code a} reaches {@code b}. */
    void control(Host a, Host b, Runnable arrival) {
        simulation.at(simulation.now() + oneWay(a, b), arrival);
    }

    /** A SYN from {@code client} reaches {@code host} for {@code dst}. */
    void synArrives(TcpSocket client, int attempt, Host host, SockAddr dst) {
        if (!client.synCurrent(attempt)) {
            return; // the client gave up or retransmitted meanwhile
        }
        TcpSocket listener = ports(host).listener(dst.ip(), dst.port());
        if (listener == null) {
            control(host, client.host(), () -> client.refused(attempt));
            return;
        }
        TcpSocket child = listener.spawnChild(client, dst);
        if (child == null) {
            client.synDropped(attempt, host);
            return;
        }
        control(host, client.host(), () -> client.synAckArrives(child));
    }
}
