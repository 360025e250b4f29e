package simterpose.simulator.kernel;

import static simterpose.bindings.Errno.EADDRINUSE;
import static simterpose.bindings.Errno.EADDRNOTAVAIL;
import static simterpose.bindings.Errno.EAGAIN;
import static simterpose.bindings.Errno.EDESTADDRREQ;
import static simterpose.bindings.Errno.EINVAL;
import static simterpose.bindings.Errno.EMSGSIZE;
import static simterpose.bindings.Errno.ENETUNREACH;
import static simterpose.bindings.Errno.ENOPROTOOPT;
import static simterpose.bindings.Errno.ENOTCONN;
import static simterpose.bindings.Errno.EOPNOTSUPP;
import static simterpose.bindings.Errno.EPIPE;
import static simterpose.simulator.kernel.LinuxNet.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import simterpose.simulator.engine.Signal;
import simterpose.simulator.platform.Host;
import simterpose.simulator.platform.PlatformException;

/**
 * A simulated AF_INET/SOCK_DGRAM socket with Linux's rules (net/ipv4/udp.c, datagram.c,
 * af_inet.c, core/datagram.c): one send is one datagram, one receive takes one datagram
 * (truncated to the reader's buffer, MSG_TRUNC says so), connect only sets a default peer.
 *
 * <h2>Time</h2>
 * A datagram crosses the network as a flow of its size under the network model, in order
 * behind the earlier datagrams of the same socket to the same host ({@link DatagramPath}).
 * Where nobody holds the destination port, the datagram is dropped and an ICMP port
 * unreachable comes back after the route's one-way latency (a control packet, like TCP's RST):
 * a socket connected to that address then fails its next call with ECONNREFUSED, as Linux's
 * does; an unconnected one ignores it.
 *
 * <h2>Buffers</h2>
 * Both queues count Linux's truesize ({@link #truesize}, measured): a datagram charges the
 * sender's SO_SNDBUF until it reaches its destination host (a send blocks, or fails with EAGAIN,
 * while the charge is at or above SO_SNDBUF), and the receiver's SO_RCVBUF while it waits to be
 * read. A datagram that finds the receive queue full is dropped (it may take the queue past the
 * limit only when the queue is empty, as __udp_enqueue_schedule_skb allows).
 *
 * <h2>Not modelled</h2>
 * Broadcast and multicast (such addresses are outside the platform: ENETUNREACH), IP
 * fragmentation and MTU, MSG_MORE/UDP_CORK (each send is sent at once), the error queue
 * (IP_RECVERR), ICMP rate limits, checksums, privileged ports.
 *
 * <p>Threading: engine thread or the running actor only, like the whole kernel.
 */
public final class UdpSocket implements VirtualFile, PortTable.Holder {
    /** Largest payload of an IPv4 datagram: 65535 - 20 (IP header) - 8 (UDP header). */
    public static final int MAX_PAYLOAD = 65507;
    /** net.core.rmem_default and wmem_default of a stock kernel: a fresh socket's SO_RCVBUF and SO_SNDBUF. */
    public static final int DEFAULT_BUF = 212992;
    private static final int MIN_SNDBUF = 4608;
    private static final int MIN_RCVBUF = 2304;

    /** A datagram: who sent it and its payload. */
    record Datagram(SockAddr source, byte[] data) {
        int truesize() {
            return UdpSocket.truesize(data.length);
        }
    }

    private final Kernel kernel;
    private final Host host;
    private final long id;
    private final WaitQueue waiters = new WaitQueue();
    private final Signal changed = waiters.changed;
    /**
     * Bound address; null until bind, connect or the first send. Port 0: none held (a
     * disconnect gave up an automatic port but kept an address bind named).
     */
    private SockAddr local;
    /** The default peer set by connect; null when unconnected. */
    private SockAddr remote;
    /** bind named an address (SOCK_BINDADDR_LOCK) / a port (SOCK_BINDPORT_LOCK): disconnect keeps them. */
    private boolean addressLocked;
    private boolean portLocked;
    private boolean released;

    private int sndBuf = DEFAULT_BUF;
    private int rcvBuf = DEFAULT_BUF;
    /** Options accepted and read back as set. */
    private final SocketOptions options = new SocketOptions();

    private int error;
    private boolean rcvShutdown;
    private boolean sndShutdown;

    private final ArrayDeque<Datagram> received = new ArrayDeque<>();
    /** Truesize of the datagrams waiting to be read (sk_rmem_alloc). */
    private long rmem;
    /** Truesize of the datagrams sent and not yet at their destination (sk_wmem_alloc). */
    private long wmem;
    private final Map<Host, DatagramPath> paths = new HashMap<>();
    private long drops;

    UdpSocket(Kernel kernel, Host host, long id) {
        this.kernel = kernel;
        this.host = host;
        this.id = id;
    }

    public Host host() { return host; }

    /** Datagrams that arrived to a full receive queue and were dropped (sk_drops). */
    public long drops() { return drops; }

    @Override
    public Signal changed() { return changed; }

    @Override
    public long edges() { return waiters.edges(); }

    private void notifyChanged() {
        waiters.notify(readiness());
    }

    @Override
    public String toString() {
        return "udp#" + id + "[" + local + " -> " + remote + "]";
    }

    /**
     * What a datagram of {@code len} payload bytes costs a socket buffer on Linux (skb
     * truesize, x86_64): the head holds headers and payload, 64-byte aligned, plus
     * skb_shared_info (320), from a 576-byte small-head cache or a power-of-two kmalloc bucket,
     * plus struct sk_buff (256); past 16 KiB the payload goes to page fragments, each byte
     * counted once behind a small head. Fitted on Linux 6.18 (loopback) to the number of
     * datagrams of 0 to 65507 bytes a 212992-byte SO_RCVBUF holds; see UdpSocketTest.
     */
    static int truesize(int len) {
        int linear = len + 28 + 31; // IP + UDP headers, link-layer reserve and alignment slack
        if (linear >= 16064) { // SKB_MAX_ALLOC: the payload goes to page fragments
            return 832 + len;
        }
        int head = ((linear + 63) & ~63) + 320;
        int bucket = head <= 576 ? 576 : Integer.highestOneBit(head - 1) << 1;
        return bucket + 256;
    }

    // ---------------------------------------------------------------- ports

    @Override
    public SockAddr localAddress() { return local; }

    @Override
    public boolean reuseAddr() { return options.reuseAddr(); }

    @Override
    public boolean reusePort() { return options.reusePort(); }

    @Override
    public boolean listening() { return false; }

    SockAddr remoteAddress() { return remote; }

    boolean released() { return released; }

    private boolean holdsPort() {
        return local != null && local.port() != 0;
    }

    SysResult<Integer> bind(SockAddr addr) {
        if (holdsPort()) {
            return SysResult.errno(EINVAL);
        }
        if (!kernel.addresses().isLocal(host, addr.ip())) {
            return SysResult.errno(EADDRNOTAVAIL);
        }
        int port = kernel.udpPorts(host).bind(this, addr.ip(), addr.port());
        if (port < 0) {
            return SysResult.errno(EADDRINUSE);
        }
        local = new SockAddr(addr.ip(), port);
        addressLocked = !addr.isAny();
        portLocked = addr.port() != 0;
        return SysResult.done(0);
    }

    /** inet_autobind: an ephemeral port (on 0.0.0.0 unless an address is kept) for a socket that sends or connects unbound. */
    private boolean autobind() {
        if (holdsPort()) {
            return true;
        }
        PortTable<UdpSocket> ports = kernel.udpPorts(host);
        int port = ports.ephemeral();
        if (port < 0) {
            return false;
        }
        local = new SockAddr(local == null ? SockAddr.ANY : local.ip(), port);
        ports.add(this, port);
        return true;
    }

    private void releasePort() {
        if (holdsPort()) {
            kernel.udpPorts(host).remove(this, local.port());
        }
    }

    // ---------------------------------------------------------------- connect

    /** The host a datagram to {@code to} goes to, or empty when it is outside the platform or unroutable. */
    private Optional<Host> route(SockAddr to) {
        Optional<Host> target = kernel.addresses().destination(host, to.ip());
        if (target.isPresent()) {
            try {
                kernel.oneWay(host, target.get());
            } catch (PlatformException e) {
                return Optional.empty();
            }
        }
        return target;
    }

    /** A socket bound to 127.0.0.0/8 cannot reach another host (Linux: EINVAL, a martian source). */
    private boolean loopbackSourceLeavesHost(Host target) {
        return local.isLoopback() && !target.equals(host);
    }

    /** 0.0.0.0 as a destination means this host (Linux routes it to 127.0.0.1). */
    private static SockAddr destination(SockAddr to) {
        return to.isAny() ? new SockAddr(SockAddr.LOOPBACK, to.port()) : to;
    }

    /** The address a datagram to {@code to} leaves from. */
    private SockAddr source(SockAddr to) {
        if (!local.isAny()) {
            return local;
        }
        return new SockAddr(to.isLoopback() ? SockAddr.LOOPBACK : kernel.addresses().ipOf(host), local.port());
    }

    /** connect: sets the default peer (and binds if needed); datagrams from others are then not delivered here. */
    SysResult<Integer> connect(SockAddr addr) {
        if (!autobind()) {
            return SysResult.errno(EAGAIN);
        }
        SockAddr to = destination(addr);
        Optional<Host> target = route(to);
        if (target.isEmpty()) {
            return SysResult.errno(ENETUNREACH);
        }
        if (loopbackSourceLeavesHost(target.get())) {
            return SysResult.errno(EINVAL);
        }
        local = source(to);
        remote = to;
        notifyChanged();
        return SysResult.done(0);
    }

    /**
     * connect to AF_UNSPEC (udp_disconnect): no default peer any more; an address or port the
     * socket did not bind explicitly is given up.
     */
    SysResult<Integer> disconnect() {
        remote = null;
        if (local != null) {
            int port = local.port();
            if (!portLocked) {
                releasePort();
                port = 0;
            }
            local = new SockAddr(addressLocked ? local.ip() : SockAddr.ANY, port);
        }
        notifyChanged();
        return SysResult.done(0);
    }

    // ---------------------------------------------------------------- send

    /**
     * sendto/sendmsg/send/write: {@code len} bytes as one datagram, to {@code named} (the
     * destination the caller named, or the errno its bytes earned) or, when null, to the
     * connected peer.
     */
    SysResult<Integer> send(byte[] data, int off, int len, int flags, SysResult<SockAddr> named, boolean nonBlocking) {
        if (!autobind()) {
            return SysResult.errno(EAGAIN);
        }
        if (len > 0xFFFF) {
            return SysResult.errno(EMSGSIZE);
        }
        if ((flags & MSG_OOB) != 0) {
            return SysResult.errno(EOPNOTSUPP);
        }
        SockAddr to;
        if (named != null) {
            if (named instanceof SysResult.Errno<SockAddr> e) {
                return SysResult.errno(e.errno());
            }
            if (named.value().port() == 0) {
                return SysResult.errno(EINVAL); // udp_sendmsg: no port to send to
            }
            to = destination(named.value());
        } else if (remote != null) {
            to = remote;
        } else {
            return SysResult.errno(EDESTADDRREQ);
        }
        Optional<Host> target = route(to);
        if (target.isEmpty()) {
            return SysResult.errno(ENETUNREACH);
        }
        if (loopbackSourceLeavesHost(target.get())) {
            return SysResult.errno(EINVAL);
        }
        if (len > MAX_PAYLOAD) {
            return SysResult.errno(EMSGSIZE);
        }
        if (error != 0) {
            return SysResult.errno(takeError());
        }
        if (sndShutdown) {
            return SysResult.errno(EPIPE);
        }
        if (wmem >= sndBuf) {
            return nonBlocking ? SysResult.errno(EAGAIN) : new SysResult.Block<>(changed, options.sndTimeout(), EAGAIN, 0);
        }
        Datagram d = new Datagram(source(to), Arrays.copyOfRange(data, off, off + len));
        wmem += d.truesize();
        paths.computeIfAbsent(target.get(), h -> new DatagramPath(kernel, this, h))
                .send(new DatagramPath.Outgoing(d, to));
        notifyChanged();
        return SysResult.done(len);
    }

    /** A datagram of this socket reached its destination host: its send-buffer charge is freed. */
    void left(Datagram d) {
        wmem -= d.truesize();
        notifyChanged();
    }

    // ---------------------------------------------------------------- receive

    /** Would a datagram from {@code from} to {@code to} be delivered here, and how well does it match (udp4 compute_score)? -1: no. */
    int score(SockAddr from, SockAddr to) {
        if (released || !holdsPort() || local.port() != to.port()) {
            return -1;
        }
        int score = 0;
        if (!local.isAny()) {
            if (local.ip() != to.ip()) {
                return -1;
            }
            score += 4;
        }
        if (remote != null) {
            if (!remote.equals(from)) {
                return -1;
            }
            score += 8;
        }
        return score;
    }

    /** A datagram arrived for this socket: queued, or dropped when the receive queue is full. */
    void arrives(Datagram d) {
        int size = d.truesize();
        if (rmem + size > rcvBuf && rmem > 0) {
            drops++;
            return;
        }
        rmem += size;
        received.addLast(d);
        waiters.edge(); // every datagram wakes an edge-triggered waiter, even when some were already queued
        waiters.notify(readiness(), WakeCause.DATA_ARRIVED);
    }

    /** An ICMP port unreachable for a datagram this socket sent from {@code from} to {@code to}. */
    void portUnreachable(SockAddr from, SockAddr to) {
        if (!released && to.equals(remote) && local != null && local.port() == from.port()) {
            error = simterpose.bindings.Errno.ECONNREFUSED;
            waiters.notify(readiness(), WakeCause.CONNECTION_REFUSED);
        }
    }

    /**
     * recv/recvfrom/recvmsg/read: one datagram, its first {@code len} bytes; MSG_PEEK leaves it
     * queued. A blocking call waits for one; after shutdown(SHUT_RD) it returns 0 bytes instead.
     */
    SysResult<SocketCalls.Received> recv(int len, int flags, boolean nonBlocking) {
        if (error != 0) {
            return SysResult.errno(takeError());
        }
        Datagram d = received.peekFirst();
        if (d != null) {
            int copied = Math.min(len, d.data().length);
            if ((flags & MSG_PEEK) == 0) {
                received.pollFirst();
                rmem -= d.truesize();
                notifyChanged();
            }
            return SysResult.done(new SocketCalls.Received(Arrays.copyOf(d.data(), copied), d.data().length,
                    d.source(), copied < d.data().length ? MSG_TRUNC : 0));
        }
        if (nonBlocking) {
            return SysResult.errno(EAGAIN);
        }
        if (rcvShutdown) {
            return SysResult.done(new SocketCalls.Received(new byte[0], 0, null, 0));
        }
        return new SysResult.Block<>(changed, options.rcvTimeout(), EAGAIN, 0);
    }

    // ---------------------------------------------------------------- shutdown / close

    /** shutdown: flags set either way; ENOTCONN when unconnected (inet_shutdown still wakes pollers). */
    SysResult<Integer> shutdown(int how) {
        if (how < SHUT_RD || how > SHUT_RDWR) {
            return SysResult.errno(EINVAL);
        }
        rcvShutdown |= how != SHUT_WR;
        sndShutdown |= how != SHUT_RD;
        notifyChanged();
        return remote == null ? SysResult.errno(ENOTCONN) : SysResult.done(0);
    }

    @Override
    public void release() {
        if (released) {
            return;
        }
        releasePort();
        released = true;
        received.clear();
        rmem = 0;
        notifyChanged(); // datagrams already sent still travel (their paths keep running)
    }

    // ---------------------------------------------------------------- names, options, ioctls

    SysResult<SockAddr> sockName() {
        return SysResult.done(local != null ? local : new SockAddr(SockAddr.ANY, 0));
    }

    SysResult<SockAddr> peerName() {
        return remote == null ? SysResult.errno(ENOTCONN) : SysResult.done(remote);
    }

    /** FIONREAD / SIOCINQ: the size of the next datagram's payload (0 if none). */
    SysResult<Integer> inQueue() {
        Datagram d = received.peekFirst();
        return SysResult.done(d == null ? 0 : d.data().length);
    }

    /** SIOCOUTQ: the send-buffer charge of datagrams not yet delivered. */
    SysResult<Integer> outQueue() {
        return SysResult.done((int) wmem);
    }

    private int takeError() {
        int e = error;
        error = 0;
        return e;
    }

    private static boolean settable(int level, int name) {
        return SocketOptions.common(level, name) || (level == IPPROTO_UDP && name == UDP_CORK);
    }

    SysResult<Integer> setOption(int level, int name, byte[] value) {
        if (!settable(level, name)) {
            return SysResult.errno(ENOPROTOOPT);
        }
        if (value.length < (SocketOptions.isStruct(level, name) ? 8 : 4)) {
            return SysResult.errno(EINVAL);
        }
        SysResult<Integer> r = options.set(level, name, value);
        if (r instanceof SysResult.Done && level == SOL_SOCKET) {
            int v = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
            switch (name) {
                case SO_SNDBUF, SO_SNDBUFFORCE -> {
                    sndBuf = SocketOptions.doubledAndClamped(v, MIN_SNDBUF);
                    notifyChanged();
                }
                case SO_RCVBUF, SO_RCVBUFFORCE -> rcvBuf = SocketOptions.doubledAndClamped(v, MIN_RCVBUF);
                default -> { }
            }
        }
        return r;
    }

    SysResult<byte[]> getOption(int level, int name) {
        if (level == SOL_SOCKET) {
            Integer v = switch (name) {
                case SO_TYPE -> SOCK_DGRAM;
                case SO_DOMAIN -> AF_INET;
                case SO_PROTOCOL -> IPPROTO_UDP;
                case SO_ERROR -> takeError();
                case SO_ACCEPTCONN -> 0;
                case SO_SNDBUF -> sndBuf;
                case SO_RCVBUF -> rcvBuf;
                default -> null;
            };
            if (v != null) {
                return SocketOptions.intValue(v);
            }
        }
        return settable(level, name) ? options.read(level, name) : SysResult.errno(ENOPROTOOPT);
    }

    // ---------------------------------------------------------------- readiness

    /** datagram_poll: readable with a datagram queued, writable while the send charge is under half SO_SNDBUF. */
    @Override
    public Readiness readiness() {
        boolean readable = !received.isEmpty() || rcvShutdown;
        boolean writable = wmem < sndBuf / 2;
        return new Readiness(readable, writable, rcvShutdown && sndShutdown, error != 0, rcvShutdown);
    }
}
