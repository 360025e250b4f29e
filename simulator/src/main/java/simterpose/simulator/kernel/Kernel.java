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
    private final Map<Host, PortTable<TcpSocket>> ports = new HashMap<>();
    private final Map<Host, PortTable<UdpSocket>> udpPorts = new HashMap<>();
    private final Map<Host, Map<Host, Double>> oneWay = new HashMap<>();
    private final Map<Host, Map<Host, Long>> segment = new HashMap<>();
    private final List<VirtualProcess> processes = new ArrayList<>();
    private final SocketCalls sockets = new SocketCalls(this);
    private final EpollTable epolls = new EpollTable();
    private final FutexTable futexes = new FutexTable();
    private long nextSocketId;
    private NetEvents events = NetEvents.NONE;
    private long nextPacketId;

    /** @throws IllegalArgumentException on a bad {@code ip} host property (see {@link Addresses}) */
    public Kernel(Simulation simulation) {
        this.simulation = simulation;
        this.addresses = new Addresses(simulation.platform());
    }

    public Simulation simulation() { return simulation; }

    public Addresses addresses() { return addresses; }

    /** The socket system calls. */
    public SocketCalls sockets() { return sockets; }

    /** The epoll instances' interest lists, by process and epoll fd. */
    public EpollTable epolls() { return epolls; }

    /** Tells {@code events} about every packet from now on (see {@link NetEvents}). */
    public void observe(NetEvents events) {
        this.events = events;
    }

    /** True when someone watches the packets: only then are their events built. */
    boolean observed() {
        return events != NetEvents.NONE;
    }

    NetEvents events() {
        return events;
    }

    /** A TCP control packet from {@code a}'s {@code src} to {@code b}'s {@code dst} leaves now (see {@link #control}). */
    void tcpControl(Host a, SockAddr src, Host b, SockAddr dst, int flags) {
        if (observed()) {
            double now = simulation.now();
            events.control(now, now + oneWay(a, b),
                    new NetEvents.Packet(NetEvents.Protocol.TCP, a, src, b, dst, flags, 0, null));
        }
    }

    /** A data segment or datagram leaves now; returns the id its arrival gives to {@link NetEvents#arrived}. */
    long packetSent(NetEvents.Protocol protocol, Host a, SockAddr src, Host b, SockAddr dst, long length,
                    java.util.function.Supplier<LentBytes> payload, int tcpFlags) {
        long id = nextPacketId++;
        events.sent(id, simulation.now(), new NetEvents.Packet(protocol, a, src, b, dst, tcpFlags, length,
                events.wantsPayloads() ? payload.get() : null));
        return id;
    }

    void packetArrived(long id) {
        events.arrived(id, simulation.now());
    }

    void packetLost(long id) {
        events.lost(id);
    }

    /** The futex waiters waiting in simulated time. */
    public FutexTable futexes() { return futexes; }

    /** A new process (an actor's program at its first exec) with an empty virtual fd table. */
    public VirtualProcess newProcess(int pid, Host host) {
        VirtualProcess p = new VirtualProcess(pid, host, new FdTable());
        processes.add(p);
        return p;
    }

    /** A fork/clone of {@code parent} (see {@link VirtualProcess#fork}); it shares its parent's epoll instances. */
    public VirtualProcess fork(VirtualProcess parent, int childPid, boolean shareFdTable) {
        VirtualProcess p = parent.fork(childPid, shareFdTable);
        epolls.shareOnFork(parent, p);
        processes.add(p);
        return p;
    }

    /** Every process, in creation order (for the end report). */
    public List<VirtualProcess> processes() {
        return Collections.unmodifiableList(processes);
    }

    // ---- package internals ----

    PortTable<TcpSocket> ports(Host host) {
        return ports.computeIfAbsent(host, h -> new PortTable<>());
    }

    PortTable<UdpSocket> udpPorts(Host host) {
        return udpPorts.computeIfAbsent(host, h -> new PortTable<>());
    }

    TcpSocket newSocket(Host host) {
        return new TcpSocket(this, host, nextSocketId++);
    }

    UdpSocket newUdpSocket(Host host) {
        return new UdpSocket(this, host, nextSocketId++);
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
        if (!TcpHandshake.synCurrent(client, attempt)) {
            return; // the client gave up or retransmitted meanwhile
        }
        TcpSocket listener = ports(host).listener(dst.ip(), dst.port(), client.overIpv6());
        if (listener == null) {
            tcpControl(host, dst, client.host(), client.local, NetEvents.RST | NetEvents.ACK);
            control(host, client.host(), () -> TcpHandshake.refused(client, attempt));
            return;
        }
        TcpSocket child = TcpHandshake.spawnChild(listener, client, dst);
        if (child == null) {
            TcpHandshake.synDropped(client, attempt, host);
            return;
        }
        tcpControl(host, child.local, client.host(), client.local, NetEvents.SYN | NetEvents.ACK);
        control(host, client.host(), () -> TcpHandshake.synAckArrives(client, child));
    }

    /**
     * A datagram {@code from} sent to {@code to} reaches {@code host}: the socket holding the port
     * that matches best gets it (udp4_lib_lookup: a socket bound to that very address beats one
     * bound to 0.0.0.0, a connected socket takes only its peer's datagrams and beats an
     * unconnected one; among equals, the last bound, as Linux puts new sockets at the head of
     * its chain). Nobody there: dropped, and an ICMP port unreachable goes back to the sender.
     */
    void datagramArrives(UdpSocket from, UdpSocket.Datagram datagram, SockAddr to, Host host) {
        UdpSocket best = null;
        int bestScore = -1;
        for (UdpSocket s : udpPorts(host).users(to.port())) {
            int score = s.score(datagram.source(), to);
            if (score >= bestScore && score >= 0) {
                best = s;
                bestScore = score;
            }
        }
        if (best != null) {
            best.arrives(datagram);
            return;
        }
        try {
            if (observed()) {
                double now = simulation.now();
                events.control(now, now + oneWay(host, from.host()), new NetEvents.Packet(
                        NetEvents.Protocol.ICMP_PORT_UNREACHABLE, host, to, from.host(), datagram.source(), 0,
                        datagram.data().length,
                        events.wantsPayloads() ? LentBytes.of(datagram.data()) : null));
            }
            control(host, from.host(), () -> from.portUnreachable(datagram.source(), to));
        } catch (simterpose.simulator.platform.PlatformException e) {
            // no route back: the ICMP message is lost
        }
    }
}
