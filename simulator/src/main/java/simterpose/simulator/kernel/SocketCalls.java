package simterpose.simulator.kernel;

import static simterpose.bindings.Errno.EAFNOSUPPORT;
import static simterpose.bindings.Errno.EBADF;
import static simterpose.bindings.Errno.EFAULT;
import static simterpose.bindings.Errno.EINVAL;
import static simterpose.bindings.Errno.ENOTSOCK;
import static simterpose.bindings.Errno.ENOTTY;
import static simterpose.bindings.Errno.EOPNOTSUPP;
import static simterpose.bindings.Errno.EPROTONOSUPPORT;
import static simterpose.bindings.Errno.ESOCKTNOSUPPORT;
import static simterpose.simulator.kernel.LinuxNet.*;

import java.lang.foreign.MemorySegment;
import java.util.List;


/**
 * The socket system calls, in syscall terms: a process, an fd of its virtual table, decoded
 * arguments; a {@link SysResult} back. One method per call family, for TCP ({@link TcpSocket})
 * and UDP ({@link UdpSocket}) sockets alike; the mediation layer maps
 * read/write/readv/writev/sendto/recvfrom/sendmsg/recvmsg onto {@link #sendto}/{@link #recvmsg}
 * (TCP ignores their address arguments; on UDP one send is one datagram) and copies bytes in
 * and out of the tracee.
 *
 * <p>New files ({@link #socket}, {@link #accept}) come back as an {@link OpenFile} that the
 * caller installs under the fd number it reserved in the tracee:
 * {@code proc.fds().install(fd, file, cloexec)}.
 *
 * <p>Threading: engine thread or the running actor only.
 */
public final class SocketCalls {
    /** A file to install, and whether its fd gets FD_CLOEXEC (SOCK_CLOEXEC). */
    public record NewFile(OpenFile file, boolean cloexec) {}

    /** What accept returns: the connection's file (O_NONBLOCK set if SOCK_NONBLOCK), the peer, FD_CLOEXEC. */
    public record Accepted(OpenFile file, SockAddr peer, boolean cloexec) {}

    /**
     * What one receive took: {@code data} (at most the length asked), the {@code length} the
     * message had (a UDP datagram longer than the buffer is truncated: MSG_TRUNC in {@code flags},
     * the msg_flags recvmsg reports), and its {@code source} (null for TCP, which reports none).
     */
    public record Received(byte[] data, int length, SockAddr source, int flags) {}

    /**
     * What one receive into a {@link RecvSink} delivered: {@code count} bytes given to the sink,
     * and as in {@link Received} the message's {@code length}, {@code source} and {@code flags}.
     */
    public record Delivered(int count, int length, SockAddr source, int flags) {}

    private final Kernel kernel;

    SocketCalls(Kernel kernel) {
        this.kernel = kernel;
    }

    /**
     * socket(2). AF_INET SOCK_STREAM (TCP) and SOCK_DGRAM (UDP) are simulated, and AF_INET6
     * SOCK_STREAM as a dual-stack socket over IPv4 (the platform has IPv4 addresses only):
     * another family (or IPv6 UDP) gives EAFNOSUPPORT and another type ESOCKTNOSUPPORT, so the
     * caller can decide to let such calls run natively.
     */
    public SysResult<NewFile> socket(VirtualProcess proc, int domain, int type, int protocol) {
        if ((type & ~(SOCK_TYPE_MASK | SOCK_NONBLOCK | SOCK_CLOEXEC)) != 0) {
            return SysResult.errno(EINVAL);
        }
        if (domain != AF_INET && domain != AF_INET6) {
            return SysResult.errno(EAFNOSUPPORT);
        }
        int kind = type & SOCK_TYPE_MASK;
        if (kind != SOCK_STREAM && kind != SOCK_DGRAM) {
            return SysResult.errno(ESOCKTNOSUPPORT);
        }
        if (kind == SOCK_DGRAM && domain == AF_INET6) {
            return SysResult.errno(EAFNOSUPPORT); // UDP is simulated over IPv4 only
        }
        if (protocol != 0 && protocol != (kind == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP)) {
            return SysResult.errno(EPROTONOSUPPORT);
        }
        VirtualFile s;
        if (kind == SOCK_STREAM) {
            TcpSocket tcp = kernel.newSocket(proc.host());
            tcp.family(domain);
            s = tcp;
        } else {
            s = kernel.newUdpSocket(proc.host());
        }
        OpenFile f = new OpenFile(s, (type & SOCK_NONBLOCK) != 0 ? O_NONBLOCK : 0);
        return SysResult.done(new NewFile(f, (type & SOCK_CLOEXEC) != 0));
    }

    public SysResult<Integer> bind(VirtualProcess proc, int fd, SockAddr addr) {
        return bind(proc, fd, addr, false);
    }

    /**
     * bind; {@code ipv6Address}: an AF_INET6 socket was given :: or ::1, not an IPv4-mapped
     * address (IPV6_V6ONLY decides what it may bind).
     */
    public SysResult<Integer> bind(VirtualProcess proc, int fd, SockAddr addr, boolean ipv6Address) {
        return on(proc, fd, (s, f) -> s.bind(addr, ipv6Address), (u, f) -> u.bind(addr));
    }

    public SysResult<Integer> listen(VirtualProcess proc, int fd, int backlog) {
        return withSocket(proc, fd, (s, f) -> TcpHandshake.listen(s, backlog));
    }

    /** accept / accept4 ({@code flags}: SOCK_NONBLOCK, SOCK_CLOEXEC; others EINVAL). */
    public SysResult<Accepted> accept(VirtualProcess proc, int fd, int flags) {
        if ((flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) != 0) {
            return SysResult.errno(EINVAL);
        }
        return withSocket(proc, fd, (s, f) -> TcpHandshake.accept(s, f.nonBlocking()).map(child -> new Accepted(
                new OpenFile(child, (flags & SOCK_NONBLOCK) != 0 ? O_NONBLOCK : 0),
                child.peerName() instanceof SysResult.Done<SockAddr>(SockAddr peer) ? peer : new SockAddr(SockAddr.ANY, 0),
                (flags & SOCK_CLOEXEC) != 0)));
    }

    /**
     * connect. TCP: EINPROGRESS (non-blocking) or Block until the handshake ends; ENETUNREACH at
     * once for an address outside the platform; ECONNREFUSED after the round trip a RST takes.
     * UDP: sets the default peer at once (ENETUNREACH outside the platform).
     */
    public SysResult<Integer> connect(VirtualProcess proc, int fd, SockAddr addr) {
        return connect(proc, fd, addr, false);
    }

    /**
     * connect; {@code ipv6Address}: an AF_INET6 socket was given :: or ::1, not an IPv4-mapped
     * address (a V6ONLY socket reaches no IPv4 address: ENETUNREACH).
     */
    public SysResult<Integer> connect(VirtualProcess proc, int fd, SockAddr addr, boolean ipv6Address) {
        return on(proc, fd, (s, f) -> TcpHandshake.connect(s, addr, ipv6Address, f.nonBlocking()), (u, f) -> u.connect(addr));
    }

    /**
     * connect to an AF_UNSPEC address: a UDP socket drops its default peer. TCP keeps refusing
     * the address family (EAFNOSUPPORT), as before UDP existed here.
     */
    public SysResult<Integer> disconnect(VirtualProcess proc, int fd) {
        return on(proc, fd, (s, f) -> SysResult.errno(simterpose.bindings.Errno.EAFNOSUPPORT), (u, f) -> u.disconnect());
    }

    public SysResult<Integer> shutdown(VirtualProcess proc, int fd, int how) {
        return on(proc, fd, (s, f) -> s.shutdown(how), (u, f) -> u.shutdown(how));
    }

    public SysResult<SockAddr> getsockname(VirtualProcess proc, int fd) {
        return on(proc, fd, (s, f) -> s.sockName(), (u, f) -> u.sockName());
    }

    public SysResult<SockAddr> getpeername(VirtualProcess proc, int fd) {
        return on(proc, fd, (s, f) -> s.peerName(), (u, f) -> u.peerName());
    }

    /** setsockopt: {@code value} is optval's bytes (optlen of them). */
    public SysResult<Integer> setsockopt(VirtualProcess proc, int fd, int level, int name, byte[] value) {
        return on(proc, fd, (s, f) -> s.setOption(level, name, value), (u, f) -> u.setOption(level, name, value));
    }

    /** getsockopt: the option's full value; the caller truncates it to optlen. */
    public SysResult<byte[]> getsockopt(VirtualProcess proc, int fd, int level, int name) {
        return on(proc, fd, (s, f) -> s.getOption(level, name), (u, f) -> u.getOption(level, name));
    }

    /** True when {@code fd} is a UDP socket: sends and receives keep datagram boundaries. */
    public boolean isDatagram(VirtualProcess proc, int fd) {
        OpenFile f = proc.fds().get(fd);
        return f != null && f.file() instanceof UdpSocket;
    }

    /**
     * send/write and friends. MSG_DONTWAIT makes this call non-blocking; MSG_NOSIGNAL clears the
     * SIGPIPE request of an EPIPE. A blocking call that does not fit answers Block with its
     * progress (see {@link SysResult.Block}).
     */
    public SysResult<Integer> send(VirtualProcess proc, int fd, byte[] data, int off, int len, int flags) {
        return sendto(proc, fd, data, off, len, flags, null);
    }

    /**
     * sendto/sendmsg: as {@link #send}, with the destination the caller passed ({@code to}: the
     * address, or the errno its sockaddr earned (a UDP socket fails with it), or null for none). TCP ignores it; a UDP socket sends the
     * {@code len} bytes as one datagram there (or to its connected peer when null).
     */
    public SysResult<Integer> sendto(VirtualProcess proc, int fd, byte[] data, int off, int len, int flags,
                                     SysResult<SockAddr> to) {
        return sent(proc, on(proc, fd,
                (s, f) -> s.send(len, SendSource.of(data, off), flags, dontWait(f, flags)),
                (u, f) -> u.send(data, off, len, flags, to, dontWait(f, flags))));
    }

    /**
     * As {@link #sendto(VirtualProcess, int, byte[], int, int, int, SysResult)}, with {@code len}
     * bytes that {@code source} writes straight into the socket's queue once the socket knows
     * how many it takes (a TCP send reads from the tracee only what fits). A source that faults
     * fails the call with EFAULT, nothing taken. UDP gathers the whole datagram first.
     */
    public SysResult<Integer> sendto(VirtualProcess proc, int fd, int len, SendSource source, int flags,
                                     SysResult<SockAddr> to) {
        return sent(proc, on(proc, fd,
                (s, f) -> s.send(len, source, flags, dontWait(f, flags)),
                (u, f) -> {
                    byte[] datagram = new byte[len];
                    return source.fill(MemorySegment.ofArray(datagram)) < len ? SysResult.errno(EFAULT)
                            : u.send(datagram, 0, len, flags, to, dontWait(f, flags));
                }));
    }

    private static boolean dontWait(OpenFile f, int flags) {
        return f.nonBlocking() || (flags & MSG_DONTWAIT) != 0;
    }

    /** Counts the bytes a send took in the process's totals. */
    private static SysResult<Integer> sent(VirtualProcess proc, SysResult<Integer> r) {
        if (r instanceof SysResult.Done<Integer>(Integer n)) {
            proc.bytesSent += n;
        } else if (r instanceof SysResult.Block<Integer> b) {
            proc.bytesSent += b.progress();
        }
        return r;
    }

    public SysResult<Integer> send(VirtualProcess proc, int fd, byte[] data, int flags) {
        return send(proc, fd, data, 0, data.length, flags);
    }

    /**
     * recv/read and friends: the bytes read, empty at end of stream. MSG_PEEK, MSG_DONTWAIT,
     * MSG_WAITALL (TCP). On UDP, one datagram cut to {@code len} bytes.
     */
    public SysResult<byte[]> recv(VirtualProcess proc, int fd, int len, int flags) {
        return recvmsg(proc, fd, len, flags).map(Received::data);
    }

    /** recvfrom/recvmsg: as {@link #recv}, with the message's full length, source and flags. */
    public SysResult<Received> recvmsg(VirtualProcess proc, int fd, int len, int flags) {
        RecvSink.Collect into = new RecvSink.Collect();
        return recvmsg(proc, fd, len, flags, into).map(d -> new Received(into.bytes(), d.length(), d.source(), d.flags()));
    }

    /**
     * As {@link #recvmsg(VirtualProcess, int, int, int)}, handing the bytes to {@code sink}: a
     * TCP socket gives views of its queue and consumes them once the sink took them all (a sink
     * that faults fails the call with EFAULT and leaves the bytes queued); a UDP datagram is
     * consumed whole, EFAULT if the sink did not take all of it, as Linux does.
     */
    public SysResult<Delivered> recvmsg(VirtualProcess proc, int fd, int len, int flags, RecvSink sink) {
        if (len < 0) {
            return SysResult.errno(EINVAL);
        }
        SysResult<Delivered> r = on(proc, fd,
                (s, f) -> s.recv(len, flags, dontWait(f, flags), sink).map(n -> new Delivered(n, n, null, 0)),
                (u, f) -> u.recv(len, flags, dontWait(f, flags)).then(got -> {
                    byte[] data = got.data();
                    long took = data.length == 0 ? 0 : sink.take(List.of(MemorySegment.ofArray(data)));
                    return took < data.length ? SysResult.errno(EFAULT)
                            : SysResult.done(new Delivered(data.length, got.length(), got.source(), got.flags()));
                }));
        if (r instanceof SysResult.Done<Delivered>(Delivered got) && (flags & MSG_PEEK) == 0) {
            proc.bytesReceived += got.count();
        }
        return r;
    }

    /**
     * ioctl on a socket: FIONREAD/SIOCINQ (bytes to read), SIOCOUTQ (written, not yet
     * acknowledged), SIOCOUTQNSD (not yet sent), FIONBIO ({@code arg} ≠ 0 sets O_NONBLOCK).
     * Other requests: ENOTTY.
     */
    public SysResult<Integer> ioctl(VirtualProcess proc, int fd, int request, int arg) {
        if (request == FIONBIO) {
            return on(proc, fd, (s, f) -> nonBlocking(f, arg), (u, f) -> nonBlocking(f, arg));
        }
        return on(proc, fd, (s, f) -> switch (request) {
            case FIONREAD -> s.inQueue();
            case SIOCOUTQ -> s.outQueue();
            case SIOCOUTQNSD -> s.unsentQueue();
            default -> SysResult.errno(ENOTTY);
        }, (u, f) -> switch (request) {
            case FIONREAD -> u.inQueue();
            case SIOCOUTQ -> u.outQueue();
            default -> SysResult.errno(ENOTTY);
        });
    }

    private static SysResult<Integer> nonBlocking(OpenFile f, int arg) {
        f.setNonBlocking(arg != 0);
        return SysResult.done(0);
    }

    /** fcntl(F_GETFL). */
    public SysResult<Integer> getFileStatus(VirtualProcess proc, int fd) {
        OpenFile f = proc.fds().get(fd);
        return f == null ? SysResult.errno(EBADF) : SysResult.done(f.statusFlags());
    }

    /** fcntl(F_SETFL): O_NONBLOCK is the only flag that changes. */
    public SysResult<Integer> setFileStatus(VirtualProcess proc, int fd, int flags) {
        OpenFile f = proc.fds().get(fd);
        if (f == null) {
            return SysResult.errno(EBADF);
        }
        f.setStatusFlags(flags);
        return SysResult.done(0);
    }

    /** The socket behind {@code fd} (for readiness, counters, tests); null if none. */
    public TcpSocket socketOf(VirtualProcess proc, int fd) {
        OpenFile f = proc.fds().get(fd);
        return f != null && f.file() instanceof TcpSocket s ? s : null;
    }

    /** The UDP socket behind {@code fd} (for tests); null if none. */
    public UdpSocket udpSocketOf(VirtualProcess proc, int fd) {
        OpenFile f = proc.fds().get(fd);
        return f != null && f.file() instanceof UdpSocket s ? s : null;
    }

    @FunctionalInterface
    private interface SocketOp<T, S> {
        SysResult<T> apply(S socket, OpenFile file);
    }

    /** A call only stream sockets have (listen, accept): EOPNOTSUPP on a UDP socket, as Linux. */
    private static <T> SysResult<T> withSocket(VirtualProcess proc, int fd, SocketOp<T, TcpSocket> op) {
        return on(proc, fd, op, (u, f) -> SysResult.errno(EOPNOTSUPP));
    }

    private static <T> SysResult<T> on(VirtualProcess proc, int fd, SocketOp<T, TcpSocket> tcp,
                                       SocketOp<T, UdpSocket> udp) {
        OpenFile f = proc.fds().get(fd);
        if (f == null) {
            return SysResult.errno(EBADF);
        }
        return switch (f.file()) {
            case TcpSocket s -> tcp.apply(s, f);
            case UdpSocket u -> udp.apply(u, f);
            case RandomDevice r -> SysResult.errno(ENOTSOCK);
            case TimerFd t -> SysResult.errno(ENOTSOCK);
        };
    }
}
