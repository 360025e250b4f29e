package simterpose.simulator.kernel;

import static simterpose.bindings.Errno.EADDRINUSE;
import static simterpose.bindings.Errno.EADDRNOTAVAIL;
import static simterpose.bindings.Errno.EAGAIN;
import static simterpose.bindings.Errno.EALREADY;
import static simterpose.bindings.Errno.ECONNABORTED;
import static simterpose.bindings.Errno.EINPROGRESS;
import static simterpose.bindings.Errno.EINVAL;
import static simterpose.bindings.Errno.EISCONN;
import static simterpose.bindings.Errno.ENETUNREACH;
import static simterpose.bindings.Errno.ETIMEDOUT;
import static simterpose.simulator.kernel.LinuxNet.SOMAXCONN;

import java.util.Optional;
import simterpose.simulator.platform.Host;
import simterpose.simulator.platform.PlatformException;
import simterpose.simulator.kernel.TcpSocket.Link;
import simterpose.simulator.kernel.TcpSocket.State;

/**
 * How a {@link TcpSocket} connection is established, on both sides: listen and the accept
 * queue, connect, the SYN and its retransmission while the accept queue is full, the SYN-ACK
 * and the handshake's last ACK ({@link Kernel#synArrives} routes a SYN to its listener). The
 * timing of these control packets is described on {@link TcpSocket}; each method takes the
 * socket it acts on as {@code s} and moves it through the states Linux's
 * inet_connection_sock.c and tcp_input.c do.
 *
 * <p>Threading: engine thread or the running actor only, like the whole kernel.
 */
public final class TcpHandshake {
    /** SYN retransmissions before connect gives up with ETIMEDOUT (tcp_syn_retries). */
    private static final int SYN_RETRIES = 6;

    private TcpHandshake() {}

    // ---------------------------------------------------------------- listen / accept

    static SysResult<Integer> listen(TcpSocket s, int requested) {
        if (s.link != Link.UNCONNECTED || (s.state != State.CLOSED && s.state != State.LISTEN)) {
            return SysResult.errno(EINVAL);
        }
        int b = requested < 0 || requested > SOMAXCONN ? SOMAXCONN : requested;
        if (s.state == State.CLOSED) {
            PortTable<TcpSocket> ports = s.kernel.ports(s.host);
            if (s.local == null) {
                int port = ports.ephemeral();
                if (port < 0) {
                    return SysResult.errno(EADDRINUSE);
                }
                s.local = new SockAddr(SockAddr.ANY, port);
                ports.add(s, port);
            } else if (ports.listenConflict(s)) {
                return SysResult.errno(EADDRINUSE);
            }
            s.state = State.LISTEN;
            s.notifyChanged();
        }
        s.backlog = b;
        return SysResult.done(0);
    }

    /** The accepted connection (its open file's flags are the caller's business). */
    static SysResult<TcpSocket> accept(TcpSocket s, boolean nonBlocking) {
        if (s.state != State.LISTEN) {
            return SysResult.errno(EINVAL);
        }
        TcpSocket child = s.acceptQueue.pollFirst();
        if (child == null) {
            return nonBlocking ? SysResult.errno(EAGAIN) : new SysResult.Block<>(s.changed, s.options.rcvTimeout(), EAGAIN, 0);
        }
        child.listener = null;
        s.notifyChanged();
        return SysResult.done(child);
    }

    private static boolean acceptQueueFull(TcpSocket s) {
        return s.acceptQueue.size() + s.handshaking > s.backlog;
    }

    // ---------------------------------------------------------------- connect and the handshake

    /**
     * connect. On an AF_INET6 socket, {@code ipv6Address} tells :: and ::1 from IPv4-mapped
     * addresses: a V6ONLY socket has no route to a mapped one (ENETUNREACH, tcp_v6_connect).
     */
    static SysResult<Integer> connect(TcpSocket s, SockAddr dst, boolean ipv6Address, boolean nonBlocking) {
        switch (s.link) {
            case CONNECTED:
                return SysResult.errno(EISCONN);
            case CONNECTING:
                if (s.state == State.SYN_SENT) {
                    return nonBlocking ? SysResult.errno(EALREADY)
                            : new SysResult.Block<>(s.changed, s.options.sndTimeout(), EINPROGRESS, 0);
                }
                return connectOutcome(s);
            default:
                break;
        }
        if (s.state != State.CLOSED) {
            return SysResult.errno(EISCONN);
        }
        if (s.ipv6 && s.v6only && !ipv6Address) {
            return SysResult.errno(ENETUNREACH);
        }
        if (dst.isAny()) {
            dst = new SockAddr(SockAddr.LOOPBACK, dst.port()); // Linux: 0.0.0.0 means this host
        }
        Optional<Host> target = s.kernel.addresses().destination(s.host, dst.ip());
        if (target.isEmpty()) {
            return SysResult.errno(ENETUNREACH);
        }
        Host peerHost = target.get();
        try {
            s.kernel.oneWay(s.host, peerHost);
            s.kernel.oneWay(peerHost, s.host);
        } catch (PlatformException e) {
            return SysResult.errno(ENETUNREACH);
        }
        int sourceIp = dst.isLoopback() ? SockAddr.LOOPBACK : s.kernel.addresses().ipOf(s.host);
        PortTable<TcpSocket> ports = s.kernel.ports(s.host);
        if (s.local == null) {
            int port = ports.ephemeral();
            if (port < 0) {
                return SysResult.errno(EADDRNOTAVAIL);
            }
            s.local = new SockAddr(sourceIp, port);
            ports.add(s, port);
        } else if (s.local.isAny()) {
            s.local = new SockAddr(sourceIp, s.local.port());
        }
        if (s.ipv6) {
            s.v6address = ipv6Address;
        }
        s.remote = dst;
        s.state = State.SYN_SENT;
        s.link = Link.CONNECTING;
        s.error = 0;
        s.synAttempt = 0;
        sendSyn(s, peerHost);
        s.notifyChanged();
        return nonBlocking ? SysResult.errno(EINPROGRESS) : new SysResult.Block<>(s.changed, s.options.sndTimeout(), EINPROGRESS, 0);
    }

    /** A connect call once the handshake has ended one way or the other (inet_stream_connect). */
    private static SysResult<Integer> connectOutcome(TcpSocket s) {
        if (s.state == State.CLOSED) {
            s.link = Link.UNCONNECTED;
            int e = s.takeError();
            return SysResult.errno(e != 0 ? e : ECONNABORTED);
        }
        s.link = Link.CONNECTED;
        return SysResult.done(0);
    }

    private static void sendSyn(TcpSocket s, Host peerHost) {
        int attempt = s.synAttempt;
        s.synSentAt = s.kernel.simulation().now();
        SockAddr dst = s.remote;
        s.kernel.tcpControl(s.host, s.local, peerHost, dst, NetEvents.SYN);
        s.kernel.control(s.host, peerHost, () -> s.kernel.synArrives(s, attempt, peerHost, dst));
    }

    /** The SYN reached a host where nobody listens: the RST it answers comes back. */
    static void refused(TcpSocket s, int attempt) {
        if (s.state == State.SYN_SENT && s.synAttempt == attempt) {
            s.resetArrives();
        }
    }

    /** The SYN was dropped (accept queue full): retransmit after the SYN's RTO, as Linux does. */
    static void synDropped(TcpSocket s, int attempt, Host peerHost) {
        double rto = Math.pow(2, attempt); // 1 s initial RTO, doubling
        double now = s.kernel.simulation().now();
        s.kernel.simulation().at(Math.max(now, s.synSentAt + rto), () -> {
            if (s.state != State.SYN_SENT || s.synAttempt != attempt) {
                return;
            }
            if (attempt == SYN_RETRIES) {
                s.error = ETIMEDOUT;
                s.state = State.CLOSED;
                s.releasePort();
                s.notifyChanged();
            } else {
                s.synAttempt = attempt + 1;
                sendSyn(s, peerHost);
            }
        });
    }

    static boolean synCurrent(TcpSocket s, int attempt) {
        return s.state == State.SYN_SENT && s.synAttempt == attempt;
    }

    /** Server side, at SYN arrival: a child in SYN_RECV for this listener, or null if the queue is full. */
    static TcpSocket spawnChild(TcpSocket s, TcpSocket client, SockAddr dst) {
        if (acceptQueueFull(s)) {
            return null;
        }
        TcpSocket child = s.kernel.newSocket(s.host);
        child.state = State.SYN_RECV;
        child.local = new SockAddr(s.local.isAny() ? dst.ip() : s.local.ip(), s.local.port());
        child.remote = client.local;
        child.listener = s;
        child.ipv6 = s.ipv6;
        child.v6only = s.v6only;
        child.v6address = client.overIpv6();
        child.options.inherit(s.options);
        s.kernel.ports(s.host).add(child, s.local.port());
        s.handshaking++;
        Flow toServer = new Flow(s.kernel, client, child);
        Flow toClient = new Flow(s.kernel, child, client);
        client.out = toServer;
        client.in = toClient;
        child.out = toClient;
        child.in = toServer;
        return child;
    }

    /** Client side: the SYN-ACK arrived. */
    static void synAckArrives(TcpSocket s, TcpSocket child) {
        if (s.state != State.SYN_SENT) {
            // we gave up meanwhile: our side answers the SYN-ACK with a reset
            s.kernel.tcpControl(s.host, child.remote, child.host, child.local, NetEvents.RST | NetEvents.ACK);
            s.kernel.control(s.host, child.host, child::resetArrives);
            return;
        }
        s.state = State.ESTABLISHED;
        s.waiters.notify(s.readiness(), WakeCause.HANDSHAKE_COMPLETED);
        s.kernel.tcpControl(s.host, s.local, child.host, child.local, NetEvents.ACK);
        s.kernel.control(s.host, child.host, () -> ackArrives(child));
    }

    /** Server child: the handshake's last ACK arrived; the connection joins the accept queue. */
    private static void ackArrives(TcpSocket s) {
        TcpSocket l = s.listener;
        if (l != null) {
            l.handshaking--;
        }
        if (s.state == State.CLOSED || s.listener == null) {
            return; // reset meanwhile
        }
        if (l.state != State.LISTEN) {
            s.listener = null;
            s.abort();
            return;
        }
        if (s.state == State.SYN_RECV) {
            s.state = State.ESTABLISHED;
        } // else the client's data and FIN overtook the ACK (same instant on a loopback): CLOSE_WAIT stays
        s.link = Link.CONNECTED;
        l.acceptQueue.addLast(s);
        l.waiters.edge();
        l.waiters.notify(l.readiness(), WakeCause.HANDSHAKE_COMPLETED);
        s.notifyChanged();
    }

    /** The other end of {@code s}'s connection (null before the handshake made one). */
    public static TcpSocket peer(TcpSocket s) {
        return s.out != null ? s.out.receiver : s.in != null ? s.in.sender : null;
    }

    /** The listener a not yet accepted connection belongs to (null once accepted, and for a client). */
    public static TcpSocket pendingOn(TcpSocket s) {
        return s.listener;
    }
}
