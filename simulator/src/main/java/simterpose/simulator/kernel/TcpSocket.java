package simterpose.simulator.kernel;

import static simterpose.bindings.Errno.EADDRINUSE;
import static simterpose.bindings.Errno.EADDRNOTAVAIL;
import static simterpose.bindings.Errno.EAGAIN;
import static simterpose.bindings.Errno.EFAULT;
import static simterpose.bindings.Errno.ECONNREFUSED;
import static simterpose.bindings.Errno.ECONNRESET;
import static simterpose.bindings.Errno.EINVAL;
import static simterpose.bindings.Errno.ENOPROTOOPT;
import static simterpose.bindings.Errno.ENOTCONN;
import static simterpose.bindings.Errno.EOPNOTSUPP;
import static simterpose.bindings.Errno.EPIPE;
import static simterpose.simulator.kernel.LinuxNet.*;
import static simterpose.simulator.kernel.SocketOptions.intValue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import simterpose.simulator.engine.Signal;
import simterpose.simulator.platform.Host;

/**
 * A simulated AF_INET/SOCK_STREAM socket with Linux's state machine and error rules
 * (net/ipv4/tcp.c, af_inet.c, inet_connection_sock.c): what each call returns in each state,
 * which errno a reset leaves (ECONNREFUSED in SYN_SENT, EPIPE in CLOSE_WAIT, ECONNRESET
 * otherwise), when SIGPIPE is due, what poll reports.
 *
 * <h2>Time</h2>
 * Control packets (SYN, SYN-ACK, ACK, FIN, RST) cross a route in its one-way latency, the sum
 * of its links' latencies: no latency factor and no bandwidth term. SimGrid's latency and
 * bandwidth factors describe bulk transfers (they fold slow start and protocol overhead into a
 * flow); a lone 40–60-byte segment is not a bulk transfer, and a real kernel's handshake over a
 * 100 ms link costs exactly its round trips. So with a server in accept() and a client calling
 * connect() at t=0 over a route of latency L: the SYN arrives at L, the SYN-ACK at 2L (connect
 * returns), the ACK at 3L (accept returns) — 200 ms and 300 ms for L = 100 ms, the figures a
 * real kernel shows. Data moves as described in {@link Flow}.
 *
 * <h2>Not modelled</h2>
 * TIME_WAIT (a closed connection frees its port at once, as if every socket had
 * SO_REUSEADDR against TIME_WAIT), keep-alive probes, urgent data, SO_LINGER with a positive
 * timeout (close never blocks; linger 0 does reset), privileged ports, retransmissions except
 * the SYN's when the accept queue is full (1 s, doubling, 6 retries, then ETIMEDOUT).
 *
 * <h2>Where the rest is</h2>
 * {@link TcpHandshake}: listen, accept, connect and the handshake; {@link TcpOptions}: the
 * options that do not depend on the connection (buffer sizes, MSS, linger); {@link TcpInfo}:
 * TCP_INFO. This class keeps the connection's state, its data path and its close.
 *
 * <p>Threading: engine thread or the running actor only, like the whole kernel.
 */
public final class TcpSocket implements VirtualFile, PortTable.Holder {
    /** TCP states (include/net/tcp_states.h). */
    public enum State { CLOSED, LISTEN, SYN_SENT, SYN_RECV, ESTABLISHED, FIN_WAIT1, FIN_WAIT2, CLOSING, TIME_WAIT,
        CLOSE_WAIT, LAST_ACK }

    /** The socket layer's view of connect (struct socket's state). */
    enum Link { UNCONNECTED, CONNECTING, CONNECTED }

    /** Linux's effective send buffer on a connected socket after autotuning (tcp_wmem[2], measured). */
    public static final int DEFAULT_SNDBUF = 4194304;
    /** SO_RCVBUF of a fresh socket (tcp_rmem[1]); a receiver that never read absorbs about this much. */
    public static final int DEFAULT_RCVBUF = 131072;
    /**
     * The window once the application reads and SO_RCVBUF was not set: Linux's receive-buffer
     * autotuning grows it up to tcp_rmem[2] (6 MiB by default) for a reader that keeps up.
     */
    public static final int AUTOTUNED_RCVBUF = 6291456;

    final Kernel kernel;
    final Host host;
    private final long id;
    final WaitQueue waiters = new WaitQueue();
    final Signal changed = waiters.changed;
    State state = State.CLOSED;
    Link link = Link.UNCONNECTED;
    SockAddr local;
    SockAddr remote;
    private boolean explicitBind;
    /** An AF_INET6 socket: it speaks IPv4 through IPv4-mapped addresses (::ffff:a.b.c.d), as a dual-stack socket does. */
    boolean ipv6;
    /**
     * IPV6_V6ONLY (sk_ipv6only) of an AF_INET6 socket: no IPv4 side. Set by the option while the
     * socket has no port, or by binding ::1 (Linux sets it for any non-wildcard IPv6 address).
     */
    boolean v6only;
    /**
     * An AF_INET6 socket's address is an IPv6 one (:: or ::1, the only ones the platform has),
     * not IPv4-mapped: the address it bound, then the side its connection runs on. Names are
     * written IPv4-mapped when false.
     */
    boolean v6address = true;
    private boolean released;

    final TcpOptions options = new TcpOptions();

    // errors and shutdown (sk_err, sk_shutdown, SOCK_DONE)
    int error;
    private boolean rcvShutdown;
    private boolean sndShutdown;
    private boolean finReceived;

    // listening
    int backlog;
    final ArrayDeque<TcpSocket> acceptQueue = new ArrayDeque<>();
    int handshaking;

    // connection
    TcpSocket listener;
    Flow out;
    Flow in;
    final ByteQueue received = new ByteQueue();
    private long waitAll;
    int synAttempt;
    double synSentAt;

    long bytesSent;
    long bytesReceived;

    TcpSocket(Kernel kernel, Host host, long id) {
        this.kernel = kernel;
        this.host = host;
        this.id = id;
    }

    public Host host() { return host; }

    /** Creation order on the kernel, for diagnostics. */
    public long id() { return id; }

    public State state() { return state; }

    /** AF_INET, or AF_INET6 for a dual-stack socket (addresses in and out are sockaddr_in6). */
    public int family() { return ipv6 ? AF_INET6 : AF_INET; }

    void family(int domain) {
        ipv6 = domain == AF_INET6;
    }

    @Override
    public boolean onIpv4() {
        return !ipv6 || !v6address || (!v6only && (local == null || local.isAny()));
    }

    @Override
    public boolean onIpv6() {
        return ipv6 && v6address;
    }

    /** The connection runs over IPv6: an AF_INET6 socket that connected to :: or ::1 (or was accepted so). */
    boolean overIpv6() {
        return ipv6 && v6address;
    }

    /**
     * How this socket names addresses: a sockaddr_in, or on an AF_INET6 socket a sockaddr_in6,
     * IPv4-mapped unless it was bound or connected to an IPv6 address (:: and ::1).
     */
    public SockAddr.Form nameForm() {
        return !ipv6 ? SockAddr.Form.IN : v6address ? SockAddr.Form.IN6 : SockAddr.Form.IN6_MAPPED;
    }

    /** Bytes the application handed to send/write on this socket. */
    public long bytesSent() { return bytesSent; }

    /** Bytes the application took with recv/read (MSG_PEEK excluded). */
    public long bytesReceived() { return bytesReceived; }

    @Override
    public Signal changed() { return changed; }

    @Override
    public long edges() { return waiters.edges(); }

    void notifyChanged() {
        waiters.notify(readiness());
    }

    @Override
    public String toString() {
        return "tcp#" + id + "[" + state + " " + local + " -> " + remote + "]";
    }

    // ---------------------------------------------------------------- bind (listen, accept and connect: TcpHandshake)

    /**
     * bind. On an AF_INET6 socket, {@code ipv6Address} tells :: and ::1 from IPv4-mapped
     * addresses: a V6ONLY socket cannot bind a mapped one (EINVAL), and binding ::1 makes the
     * socket V6ONLY (__inet6_bind).
     */
    SysResult<Integer> bind(SockAddr addr, boolean ipv6Address) {
        if (local != null || state != State.CLOSED) {
            return SysResult.errno(EINVAL);
        }
        if (ipv6 && v6only && !ipv6Address) {
            return SysResult.errno(EINVAL);
        }
        if (!kernel.addresses().isLocal(host, addr.ip())) {
            return SysResult.errno(EADDRNOTAVAIL);
        }
        boolean wasV6only = v6only;
        boolean wasV6address = v6address;
        if (ipv6) {
            v6address = ipv6Address;
            v6only |= ipv6Address && !addr.isAny();
        }
        int port = kernel.ports(host).bind(this, addr.ip(), addr.port());
        if (port < 0) {
            v6only = wasV6only;
            v6address = wasV6address;
            return SysResult.errno(EADDRINUSE);
        }
        local = new SockAddr(addr.ip(), port);
        explicitBind = true;
        return SysResult.done(0);
    }

    // ---------------------------------------------------------------- data

    private boolean sendable() {
        return state == State.ESTABLISHED || state == State.CLOSE_WAIT;
    }

    /**
     * send/write: takes what fits in the send buffer. Blocking: all of it, over several calls
     * (see {@link SysResult.Block#progress()}); non-blocking: what fits, or EAGAIN. The bytes
     * are asked of {@code source} only once their number is known; if it faults, the socket
     * takes none of them and the call fails with EFAULT (the caller reports the bytes taken by
     * earlier calls, if any, as today and as Linux does for a copy that faults).
     */
    SysResult<Integer> send(int len, SendSource source, int flags, boolean nonBlocking) {
        boolean noSignal = (flags & MSG_NOSIGNAL) != 0;
        int err = 0;
        if (!sendable()) {
            if (error != 0) {
                err = takeError();
            } else if (state != State.SYN_SENT && state != State.SYN_RECV) {
                err = EPIPE;
            } else {
                return nonBlocking ? SysResult.errno(EAGAIN) : new SysResult.Block<>(changed, options.sndTimeout(), EAGAIN, 0);
            }
        } else if (error != 0 || sndShutdown) {
            err = EPIPE;
        }
        if (err != 0) {
            if (err == EPIPE) {
                int pending = takeError();
                if (pending != 0) {
                    err = pending;
                }
            }
            return new SysResult.Errno<>(err, err == EPIPE && !noSignal);
        }
        if (len == 0) {
            return SysResult.done(0);
        }
        long space = options.sndBuf() - out.queued();
        if (space <= 0) {
            return nonBlocking ? SysResult.errno(EAGAIN) : new SysResult.Block<>(changed, options.sndTimeout(), EAGAIN, 0);
        }
        int n = (int) Math.min(len, space);
        if (!out.write(n, source)) {
            return SysResult.errno(EFAULT);
        }
        bytesSent += n;
        notifyChanged();
        if (n < len && !nonBlocking) {
            return new SysResult.Block<>(changed, options.sndTimeout(), EAGAIN, n);
        }
        return SysResult.done(n);
    }

    /**
     * recv/read: hands the bytes to {@code sink} and returns how many (0 at end of stream, when
     * the sink is not called). If the sink faults (takes fewer), the call fails with EFAULT and
     * the bytes stay queued, as Linux does for a segment it could not copy.
     */
    SysResult<Integer> recv(int len, int flags, boolean nonBlocking, RecvSink sink) {
        boolean peek = (flags & MSG_PEEK) != 0;
        if (state == State.LISTEN) {
            return SysResult.errno(ENOTCONN);
        }
        long avail = received.size();
        if (len == 0) {
            return SysResult.done(0);
        }
        boolean waitAllWanted = (flags & MSG_WAITALL) != 0 && !peek && !nonBlocking;
        boolean ended = finReceived || error != 0 || rcvShutdown || state == State.CLOSED;
        if (avail > 0 && (!waitAllWanted || avail >= len || ended)) {
            int n = (int) Math.min(len, avail);
            if (received.read(n, !peek, sink) != n) {
                return SysResult.errno(EFAULT);
            }
            if (!peek) {
                bytesReceived += n;
                waitAll = 0;
                options.applicationRead();
                if (in != null) {
                    in.pump(); // the window opened
                }
                notifyChanged();
            }
            return SysResult.done(n);
        }
        if (avail == 0) {
            if (finReceived) {
                return SysResult.done(0);
            }
            if (error != 0) {
                return SysResult.errno(takeError());
            }
            if (rcvShutdown) {
                return SysResult.done(0);
            }
            if (state == State.CLOSED) {
                return SysResult.errno(ENOTCONN);
            }
        }
        if (nonBlocking) {
            return SysResult.errno(EAGAIN);
        }
        if (waitAllWanted && len > waitAll) {
            waitAll = len; // the reader's buffer widens the window, as Linux copies while it waits
            if (in != null) {
                in.pump();
            }
        }
        return new SysResult.Block<>(changed, options.rcvTimeout(), EAGAIN, 0);
    }

    /**
     * Receive window: SO_RCVBUF (autotuned up once the application reads, unless set), or what a
     * blocked MSG_WAITALL reader is waiting for.
     */
    long window() {
        return Math.max(options.effectiveRcvBuf(), waitAll);
    }

    /** See {@link TcpOptions#sendWindow()}. */
    double sendWindow() {
        return options.sendWindow();
    }

    double receiveWindow() {
        return options.receiveWindow();
    }

    long unread() {
        return received.size();
    }

    /** A segment of {@code flow} completed its transfer to this socket. */
    void dataArrives(Flow flow, ByteQueue segment) {
        if (released || state == State.CLOSED) {
            // data for a closed socket: Linux answers with a reset
            if (state != State.CLOSED) {
                state = State.CLOSED;
                out.kill();
                releasePort();
            }
            TcpSocket sender = flow.sender;
            kernel.tcpControl(host, local, sender.host, sender.local, NetEvents.RST | NetEvents.ACK);
            kernel.control(host, sender.host, sender::resetArrives);
            return;
        }
        received.appendAll(segment);
        waiters.edge();
        waiters.notify(readiness(), WakeCause.DATA_ARRIVED);
    }

    /** The peer's FIN arrived (after all its data). */
    void finArrives(Flow flow) {
        TcpSocket sender = flow.sender;
        if (state == State.CLOSED) {
            // a FIN for a connection that is gone: answered by a reset, which frees the sender
            kernel.tcpControl(host, local, sender.host, sender.local, NetEvents.RST | NetEvents.ACK);
            kernel.control(host, sender.host, sender::resetArrives);
            return;
        }
        if (finReceived) {
            return;
        }
        SockAddr me = local; // a FIN in FIN_WAIT2 releases the port (local = null) before the ACK leaves
        finReceived = true;
        rcvShutdown = true;
        switch (state) {
            case ESTABLISHED, SYN_RECV -> state = State.CLOSE_WAIT;
            case FIN_WAIT1 -> state = State.CLOSING;
            case FIN_WAIT2 -> enterTimeWait();
            default -> { }
        }
        kernel.tcpControl(host, me, sender.host, sender.local, NetEvents.ACK);
        kernel.control(host, sender.host, sender::finAcked);
        waiters.edge(); // sk_data_ready: an edge-triggered reader is told even with data still unread
        waiters.notify(readiness(), WakeCause.PEER_CLOSED);
    }

    /** The ACK of our FIN arrived. */
    private void finAcked() {
        switch (state) {
            case FIN_WAIT1 -> state = State.FIN_WAIT2;
            case CLOSING -> enterTimeWait();
            case LAST_ACK -> {
                state = State.CLOSED;
                releasePort();
            }
            default -> { }
        }
        notifyChanged();
    }

    private void enterTimeWait() {
        state = State.TIME_WAIT; // not modelled: the port is free at once
        releasePort();
    }

    /** A RST arrived (tcp_reset). */
    void resetArrives() {
        if (state == State.CLOSED || state == State.LISTEN || state == State.TIME_WAIT) {
            return;
        }
        error = switch (state) {
            case SYN_SENT -> ECONNREFUSED;
            case CLOSE_WAIT -> EPIPE;
            default -> ECONNRESET;
        };
        if (out != null) {
            out.kill();
        }
        if (state == State.SYN_RECV && listener != null) {
            listener.handshaking--; // it will never join the accept queue
            listener = null;
        }
        state = State.CLOSED;
        rcvShutdown = true;
        sndShutdown = true;
        releasePort();
        waiters.edge(); // sk_error_report
        waiters.notify(readiness(), error == ECONNREFUSED ? WakeCause.CONNECTION_REFUSED : WakeCause.CONNECTION_RESET);
    }

    /** Sends a RST to the peer and closes now (close with unread data, SO_LINGER 0, a dead listener). */
    void abort() {
        if (out != null) {
            out.abort(out.receiver::resetArrives); // what is on the wire arrives first
        }
        state = State.CLOSED;
        rcvShutdown = true;
        sndShutdown = true;
        releasePort();
        notifyChanged();
    }

    private void sendFin() {
        switch (state) {
            case ESTABLISHED, SYN_RECV -> state = State.FIN_WAIT1;
            case CLOSE_WAIT -> state = State.LAST_ACK;
            default -> {
                return;
            }
        }
        out.shutdown();
    }

    // ---------------------------------------------------------------- shutdown / close

    SysResult<Integer> shutdown(int how) {
        if (how < SHUT_RD || how > SHUT_RDWR) {
            return SysResult.errno(EINVAL);
        }
        boolean rd = how != SHUT_WR;
        boolean wr = how != SHUT_RD;
        switch (state) {
            case CLOSED -> {
                rcvShutdown |= rd;
                sndShutdown |= wr;
                notifyChanged();
                return SysResult.errno(ENOTCONN);
            }
            case LISTEN -> {
                if (rd) {
                    stopListening();
                    link = Link.UNCONNECTED;
                }
                return SysResult.done(0);
            }
            case SYN_SENT -> {
                state = State.CLOSED;
                link = Link.UNCONNECTED;
                releasePort();
                notifyChanged();
                return SysResult.done(0);
            }
            default -> {
                if (rd) {
                    rcvShutdown = true;
                }
                if (wr && !sndShutdown) {
                    sndShutdown = true;
                    sendFin();
                }
                notifyChanged();
                return SysResult.done(0);
            }
        }
    }

    private void stopListening() {
        state = State.CLOSED;
        for (TcpSocket child : acceptQueue) {
            child.listener = null;
            child.abort();
        }
        acceptQueue.clear();
        notifyChanged();
    }

    @Override
    public void release() {
        if (released) {
            return;
        }
        released = true;
        switch (state) {
            case LISTEN -> {
                stopListening();
                releasePort();
            }
            case CLOSED, SYN_SENT -> {
                state = State.CLOSED;
                releasePort();
            }
            case TIME_WAIT -> releasePort();
            default -> {
                if (!received.isEmpty() || options.lingerZero()) {
                    received.clear();
                    abort(); // Linux resets a connection closed with unread data
                } else {
                    rcvShutdown = true;
                    if (!sndShutdown) {
                        sndShutdown = true;
                        sendFin();
                    }
                }
            }
        }
        notifyChanged();
    }

    /**
     * The connection is over (or the file closed): its port is free again. An automatically
     * chosen port is forgotten, so a new connect picks a new one (Linux's inet_put_port).
     */
    void releasePort() {
        if (local != null) {
            kernel.ports(host).remove(this, local.port());
            if (!explicitBind && !released) {
                local = null;
            }
        }
    }

    // ---------------------------------------------------------------- names, options, ioctls

    @Override
    public SockAddr localAddress() {
        return local;
    }

    SysResult<SockAddr> sockName() {
        return SysResult.done(local != null ? local : new SockAddr(SockAddr.ANY, 0));
    }

    SysResult<SockAddr> peerName() {
        if (remote == null || state == State.CLOSED || state == State.SYN_SENT || state == State.LISTEN) {
            return SysResult.errno(ENOTCONN);
        }
        return SysResult.done(remote);
    }

    @Override
    public boolean listening() {
        return state == State.LISTEN;
    }

    @Override
    public boolean reuseAddr() { return options.reuseAddr(); }

    @Override
    public boolean reusePort() { return options.reusePort(); }

    /** FIONREAD / SIOCINQ. */
    SysResult<Integer> inQueue() {
        return state == State.LISTEN ? SysResult.errno(EINVAL) : SysResult.done((int) received.size());
    }

    /** SIOCOUTQ: written, not yet acknowledged. */
    SysResult<Integer> outQueue() {
        return state == State.LISTEN ? SysResult.errno(EINVAL) : SysResult.done(out == null ? 0 : (int) out.queued());
    }

    /** SIOCOUTQNSD: written, not yet sent. */
    SysResult<Integer> unsentQueue() {
        return state == State.LISTEN ? SysResult.errno(EINVAL)
                : SysResult.done(out == null ? 0 : (int) out.unsentBytes());
    }

    int takeError() {
        int e = error;
        error = 0;
        return e;
    }

    SysResult<Integer> setOption(int level, int name, byte[] value) {
        if (level == IPPROTO_IPV6 && !ipv6) {
            return SysResult.errno(ENOPROTOOPT); // ip_setsockopt knows SOL_IP only
        }
        if (level == IPPROTO_IPV6 && name == IPV6_V6ONLY) {
            if (value.length < 4 || local != null) {
                return SysResult.errno(EINVAL); // only while the socket has no port (inet_num == 0)
            }
            v6only = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN).getInt(0) != 0;
            return SysResult.done(0);
        }
        SysResult<Integer> r = options.set(level, name, value);
        if (r instanceof SysResult.Done<Integer> && level == SOL_SOCKET) {
            switch (name) {
                case SO_SNDBUF, SO_SNDBUFFORCE -> notifyChanged(); // the room to write changed
                case SO_RCVBUF, SO_RCVBUFFORCE -> {
                    if (in != null) {
                        in.pump(); // the window changed
                    }
                }
                default -> { }
            }
        }
        return r;
    }

    SysResult<byte[]> getOption(int level, int name) {
        if (level == SOL_SOCKET) {
            switch (name) {
                case SO_TYPE:
                    return intValue(SOCK_STREAM);
                case SO_DOMAIN:
                    return intValue(family());
                case SO_PROTOCOL:
                    return intValue(IPPROTO_TCP);
                case SO_ERROR:
                    return intValue(takeError());
                case SO_ACCEPTCONN:
                    return intValue(state == State.LISTEN ? 1 : 0);
                default:
                    break;
            }
        } else if (level == IPPROTO_IPV6) {
            if (!ipv6) {
                return SysResult.errno(EOPNOTSUPP); // ip_getsockopt knows SOL_IP only
            }
            if (name == IPV6_V6ONLY) {
                return intValue(v6only ? 1 : 0);
            }
        } else if (level == IPPROTO_TCP && name == TCP_MAXSEG) {
            return intValue(mss());
        } else if (level == IPPROTO_TCP && name == TcpInfo.TCP_INFO) {
            return SysResult.done(TcpInfo.encode(TcpInfo.of(this)));
        }
        return options.get(level, name);
    }

    int mss() {
        boolean connected = state != State.CLOSED && state != State.LISTEN && state != State.SYN_SENT;
        return options.mss(connected, remote != null && remote.isLoopback());
    }

    // ---------------------------------------------------------------- readiness

    @Override
    public Readiness readiness() {
        if (state == State.LISTEN) {
            return new Readiness(!acceptQueue.isEmpty(), false, false, error != 0, false);
        }
        boolean readable = rcvShutdown;
        boolean writable = false;
        boolean hup = (rcvShutdown && sndShutdown) || state == State.CLOSED;
        if (state != State.SYN_SENT && state != State.SYN_RECV) {
            if (!received.isEmpty()) {
                readable = true;
            }
            if (!sndShutdown) {
                long used = out == null ? 0 : out.queued();
                writable = options.sndBuf() - used >= used / 2; // sk_stream_is_writeable
            } else {
                writable = true;
            }
        }
        return new Readiness(readable, writable, hup, error != 0, rcvShutdown);
    }
}
