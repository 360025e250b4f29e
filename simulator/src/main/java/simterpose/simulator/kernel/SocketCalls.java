package simterpose.simulator.kernel;

import static simterpose.bindings.Errno.EAFNOSUPPORT;
import static simterpose.bindings.Errno.EBADF;
import static simterpose.bindings.Errno.EINVAL;
import static simterpose.bindings.Errno.ENOTSOCK;
import static simterpose.bindings.Errno.ENOTTY;
import static simterpose.bindings.Errno.EPROTONOSUPPORT;
import static simterpose.bindings.Errno.ESOCKTNOSUPPORT;
import static simterpose.simulator.kernel.LinuxNet.*;


/**
 * The socket system calls, in syscall terms: a process, an fd of its virtual table, decoded
 * arguments; a {@link SysResult} back. One method per call family; the mediation layer maps
 * read/write/readv/writev/sendto/recvfrom/sendmsg/recvmsg onto {@link #send}/{@link #recv}
 * (TCP ignores their address arguments) and copies bytes in and out of the tracee.
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

    private final Kernel kernel;

    SocketCalls(Kernel kernel) {
        this.kernel = kernel;
    }

    /**
     * socket(2). Only AF_INET/SOCK_STREAM is simulated, and AF_INET6/SOCK_STREAM as a
     * dual-stack socket over IPv4 (the platform has IPv4 addresses only): another family gives
     * EAFNOSUPPORT and another type ESOCKTNOSUPPORT, so the caller can decide to let such calls
     * run natively.
     */
    public SysResult<NewFile> socket(VirtualProcess proc, int domain, int type, int protocol) {
        if ((type & ~(SOCK_TYPE_MASK | SOCK_NONBLOCK | SOCK_CLOEXEC)) != 0) {
            return SysResult.errno(EINVAL);
        }
        if (domain != AF_INET && domain != AF_INET6) {
            return SysResult.errno(EAFNOSUPPORT);
        }
        if ((type & SOCK_TYPE_MASK) != SOCK_STREAM) {
            return SysResult.errno(ESOCKTNOSUPPORT);
        }
        if (protocol != 0 && protocol != IPPROTO_TCP) {
            return SysResult.errno(EPROTONOSUPPORT);
        }
        TcpSocket s = kernel.newSocket(proc.host());
        s.family(domain);
        OpenFile f = new OpenFile(s, (type & SOCK_NONBLOCK) != 0 ? O_NONBLOCK : 0);
        return SysResult.done(new NewFile(f, (type & SOCK_CLOEXEC) != 0));
    }

    public SysResult<Integer> bind(VirtualProcess proc, int fd, SockAddr addr) {
        return withSocket(proc, fd, (s, f) -> s.bind(addr));
    }

    public SysResult<Integer> listen(VirtualProcess proc, int fd, int backlog) {
        return withSocket(proc, fd, (s, f) -> s.listen(backlog));
    }

    /** accept / accept4 ({@code flags}: SOCK_NONBLOCK, SOCK_CLOEXEC; others EINVAL). */
    public SysResult<Accepted> accept(VirtualProcess proc, int fd, int flags) {
        if ((flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) != 0) {
            return SysResult.errno(EINVAL);
        }
        return withSocket(proc, fd, (s, f) -> switch (s.accept(f.nonBlocking())) {
            case SysResult.Done<TcpSocket>(TcpSocket child) -> SysResult.done(new Accepted(
                    new OpenFile(child, (flags & SOCK_NONBLOCK) != 0 ? O_NONBLOCK : 0),
                    child.peerName() instanceof SysResult.Done<SockAddr>(SockAddr peer) ? peer
                            : new SockAddr(SockAddr.ANY, 0),
                    (flags & SOCK_CLOEXEC) != 0));
            case SysResult.Errno<TcpSocket> e -> new SysResult.Errno<>(e.errno(), e.raiseSigpipe());
            case SysResult.Block<TcpSocket> b -> new SysResult.Block<>(b.on(), b.timeout(), b.timeoutErrno(), 0);
        });
    }

    /**
     * connect: EINPROGRESS (non-blocking) or Block until the handshake ends; ENETUNREACH at
     * once for an address outside the platform; ECONNREFUSED after the round trip a RST takes.
     */
    public SysResult<Integer> connect(VirtualProcess proc, int fd, SockAddr addr) {
        return withSocket(proc, fd, (s, f) -> s.connect(addr, f.nonBlocking()));
    }

    public SysResult<Integer> shutdown(VirtualProcess proc, int fd, int how) {
        return withSocket(proc, fd, (s, f) -> s.shutdown(how));
    }

    public SysResult<SockAddr> getsockname(VirtualProcess proc, int fd) {
        return withSocket(proc, fd, (s, f) -> s.sockName());
    }

    public SysResult<SockAddr> getpeername(VirtualProcess proc, int fd) {
        return withSocket(proc, fd, (s, f) -> s.peerName());
    }

    /** setsockopt: {@code value} is optval's bytes (optlen of them). */
    public SysResult<Integer> setsockopt(VirtualProcess proc, int fd, int level, int name, byte[] value) {
        return withSocket(proc, fd, (s, f) -> s.setOption(level, name, value));
    }

    /** getsockopt: the option's full value; the caller truncates it to optlen. */
    public SysResult<byte[]> getsockopt(VirtualProcess proc, int fd, int level, int name) {
        return withSocket(proc, fd, (s, f) -> s.getOption(level, name));
    }

    /**
     * send/write and friends. MSG_DONTWAIT makes this call non-blocking; MSG_NOSIGNAL clears the
     * SIGPIPE request of an EPIPE. A blocking call that does not fit answers Block with its
     * progress (see {@link SysResult.Block}).
     */
    public SysResult<Integer> send(VirtualProcess proc, int fd, byte[] data, int off, int len, int flags) {
        SysResult<Integer> r = withSocket(proc, fd,
                (s, f) -> s.send(data, off, len, flags, f.nonBlocking() || (flags & MSG_DONTWAIT) != 0));
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

    /** recv/read and friends: the bytes read, empty at end of stream. MSG_PEEK, MSG_DONTWAIT, MSG_WAITALL. */
    public SysResult<byte[]> recv(VirtualProcess proc, int fd, int len, int flags) {
        if (len < 0) {
            return SysResult.errno(EINVAL);
        }
        SysResult<byte[]> r = withSocket(proc, fd,
                (s, f) -> s.recv(len, flags, f.nonBlocking() || (flags & MSG_DONTWAIT) != 0));
        if (r instanceof SysResult.Done<byte[]>(byte[] bytes) && (flags & MSG_PEEK) == 0) {
            proc.bytesReceived += bytes.length;
        }
        return r;
    }

    /**
     * ioctl on a socket: FIONREAD/SIOCINQ (bytes to read), SIOCOUTQ (written, not yet
     * acknowledged), SIOCOUTQNSD (not yet sent), FIONBIO ({@code arg} ≠ 0 sets O_NONBLOCK).
     * Other requests: ENOTTY.
     */
    public SysResult<Integer> ioctl(VirtualProcess proc, int fd, int request, int arg) {
        return withSocket(proc, fd, (s, f) -> switch (request) {
            case FIONREAD -> s.inQueue();
            case SIOCOUTQ -> s.outQueue();
            case SIOCOUTQNSD -> s.unsentQueue();
            case FIONBIO -> {
                f.setNonBlocking(arg != 0);
                yield SysResult.done(0);
            }
            default -> SysResult.errno(ENOTTY);
        });
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

    @FunctionalInterface
    private interface SocketOp<T> {
        SysResult<T> apply(TcpSocket socket, OpenFile file);
    }

    private static <T> SysResult<T> withSocket(VirtualProcess proc, int fd, SocketOp<T> op) {
        OpenFile f = proc.fds().get(fd);
        if (f == null) {
            return SysResult.errno(EBADF);
        }
        if (!(f.file() instanceof TcpSocket s)) {
            return SysResult.errno(ENOTSOCK);
        }
        return op.apply(s, f);
    }
}
