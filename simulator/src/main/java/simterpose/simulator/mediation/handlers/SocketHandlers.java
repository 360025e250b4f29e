package simterpose.simulator.mediation.handlers;

import static simterpose.bindings.Errno.EADDRNOTAVAIL;
import static simterpose.bindings.Errno.EINVAL;
import static simterpose.bindings.Errno.ENETUNREACH;
import static simterpose.simulator.kernel.LinuxNet.AF_INET;
import static simterpose.simulator.kernel.LinuxNet.AF_INET6;
import static simterpose.simulator.kernel.LinuxNet.AF_UNIX;
import static simterpose.simulator.kernel.LinuxNet.SOCK_CLOEXEC;
import static simterpose.simulator.kernel.LinuxNet.SOCK_NONBLOCK;
import static simterpose.simulator.kernel.LinuxNet.SOCK_DGRAM;
import static simterpose.simulator.kernel.LinuxNet.SOCK_STREAM;
import static simterpose.simulator.kernel.LinuxNet.SOCK_TYPE_MASK;

import simterpose.simulator.kernel.SockAddr;
import simterpose.simulator.kernel.SysResult;
import simterpose.simulator.kernel.TcpSocket;
import simterpose.tracer.Regs;
import simterpose.tracer.abi.Sockaddr;
import simterpose.tracer.syscall.SyscallTable;
import simterpose.simulator.mediation.tracee.HandlerResult;
import simterpose.simulator.mediation.tracee.Call;

/**
 * The socket family: socket, bind, listen, accept/accept4, connect, shutdown, getsockname,
 * getpeername, setsockopt, getsockopt.
 *
 * <p>Placeholder fds keep the tracee's fd numbers real: a simulated socket(AF_INET,
 * SOCK_STREAM or SOCK_DGRAM) is rewritten into socket(AF_UNIX, same type|flags, 0) and run by
 * the real kernel, so the tracee gets an unconnected AF_UNIX socket under the number the kernel picks;
 * close, dup, fork inheritance and CLOEXEC then work natively and are only mirrored in the
 * virtual fd table. accept does the same once the simulated kernel hands a connection over.
 * AF_INET6 stream sockets are dual-stack sockets over the platform's IPv4 addresses
 * (sockaddr_in6 in and out, IPv4-mapped) and ::1; the handlers tell the simulated kernel whether
 * an address was :: or ::1 or IPv4-mapped, which IPV6_V6ONLY needs. AF_UNIX runs natively, other families are
 * refused ({@link SandboxHandlers});
 * other AF_INET/AF_INET6 types (SOCK_RAW, IPv6 datagrams...) get the simulated kernel's errno, so
 * nothing reaches the real network.
 */
final class SocketHandlers {
    private SocketHandlers() {}

    static final int NR_SOCKET = SyscallTable.number("socket");
    private static final int NR_ACCEPT4 = SyscallTable.number("accept4");
    private static final int MAX_SOCKOPT = 256;

    static HandlerResult bind(Call c) {
        return onSocket(c, () -> withAddress(c, EADDRNOTAVAIL, (a, v6) -> c.kernel().sockets().bind(c.proc(), c.intArg(0), a, v6)));
    }

    static HandlerResult connect(Call c) {
        return onSocket(c, () -> connectTo(c));
    }

    static HandlerResult listen(Call c) {
        return onSocket(c, () -> c.answer(c.kernel().sockets().listen(c.proc(), c.intArg(0), c.intArg(1))));
    }

    static HandlerResult shutdown(Call c) {
        return onSocket(c, () -> c.answer(c.kernel().sockets().shutdown(c.proc(), c.intArg(0), c.intArg(1))));
    }

    static HandlerResult accept(Call c) {
        return onListener(c, () -> accept(c, 0));
    }

    static HandlerResult accept4(Call c) {
        return onListener(c, () -> accept(c, c.intArg(3)));
    }

    /**
     * accept on a simulated socket; on a real one (AF_UNIX) the real kernel waits, and the
     * caller, woken natively by another tracee's connect, is held at its exit stop until its
     * turn instead of running on beside the connecting tracee.
     */
    private static HandlerResult onListener(Call c, java.util.function.Supplier<HandlerResult> op) {
        return c.socketFd(0) ? op.get() : c.realFdMayBlock(0) ? HandlerResult.NATIVE_WAIT : HandlerResult.NATIVE;
    }

    static HandlerResult getsockname(Call c) {
        return onSocket(c, () -> name(c, c.kernel().sockets().getsockname(c.proc(), c.intArg(0))));
    }

    static HandlerResult getpeername(Call c) {
        return onSocket(c, () -> name(c, c.kernel().sockets().getpeername(c.proc(), c.intArg(0))));
    }

    static HandlerResult setsockopt(Call c) {
        return onSocket(c, () -> setOption(c));
    }

    static HandlerResult getsockopt(Call c) {
        return onSocket(c, () -> getOption(c));
    }

    /** Runs {@code op} when fd argument 0 is virtual; the real kernel handles real fds. */
    static HandlerResult onSocket(Call c, java.util.function.Supplier<HandlerResult> op) {
        return c.socketFd(0) ? op.get() : HandlerResult.NATIVE;
    }

    static HandlerResult socket(Call c) {
        int domain = c.intArg(0);
        int type = c.intArg(1);
        if (domain != AF_INET && domain != AF_INET6) {
            return SandboxHandlers.otherFamily(c, domain);
        }
        return c.answer(c.kernel().sockets().socket(c.proc(), domain, type, c.intArg(2)), file -> {
            placeholder(c, type);
            return new HandlerResult.NativeThen(fd -> {
                if (fd >= 0) {
                    c.proc().fds().install((int) fd, file.file(), file.cloexec());
                    if (c.addressMode() && file.file().file() instanceof TcpSocket s) {
                        c.realStreams().adopt(s, c.thread.process.tgid, (int) fd);
                    }
                }
                return fd;
            });
        });
    }

    /**
     * Rewrites the stopped call into socket(AF_UNIX, type | flags, 0): a datagram placeholder for
     * a UDP socket, a stream one otherwise (accept passes only flags).
     */
    private static void placeholder(Call c, int typeAndFlags) {
        int type = (typeAndFlags & SOCK_TYPE_MASK) == SOCK_DGRAM ? SOCK_DGRAM : SOCK_STREAM;
        Regs regs = c.stop.regs().withNr(NR_SOCKET).withArg(0, AF_UNIX)
                .withArg(1, type | (typeAndFlags & (SOCK_NONBLOCK | SOCK_CLOEXEC))).withArg(2, 0);
        c.stop.setRegs(regs);
    }

    /** connect; an AF_UNSPEC address dissolves a UDP socket's association (inet_dgram_connect). */
    private static HandlerResult connectTo(Call c) {
        int len = c.intArg(2);
        if (len >= 2 && len <= Sockaddr.MAX_SIZE) {
            Sockaddr family = Sockaddr.read(c.mem(), c.arg(1), 2);
            if (family == null) {
                return Call.fault();
            }
            if (family.family() == Sockaddr.AF_UNSPEC) {
                return c.answer(c.kernel().sockets().disconnect(c.proc(), c.intArg(0)));
            }
        }
        return withAddress(c, ENETUNREACH, (a, v6) -> c.kernel().sockets().connect(c.proc(), c.intArg(0), a, v6));
    }

    /** True when fd argument 0 is a dual-stack AF_INET6 socket: its addresses are sockaddr_in6. */
    private static boolean ipv6(Call c) {
        return c.proc().fds().get(c.intArg(0)).file() instanceof TcpSocket s && s.family() == AF_INET6;
    }

    /**
     * Runs {@code op} with the address argument and whether it is an IPv6 one (:: or ::1 given
     * to an AF_INET6 socket) rather than IPv4 or IPv4-mapped.
     *
     * @param notIpv4 the errno for an IPv6 address with no IPv4 meaning (AF_INET6 sockets)
     */
    private static HandlerResult withAddress(Call c, int notIpv4,
                                             java.util.function.BiFunction<SockAddr, Boolean, SysResult<Integer>> op) {
        int len = c.intArg(2);
        if (len < 0 || len > Sockaddr.MAX_SIZE) {
            return HandlerResult.errno(EINVAL);
        }
        byte[] raw = c.read(c.arg(1), len);
        if (raw == null) {
            return Call.fault();
        }
        return c.answer(SocketAddresses.given(raw, ipv6(c), notIpv4).then(a -> op.apply(a.address(), a.ipv6Address())));
    }

    private static HandlerResult accept(Call c, int flags) {
        return c.answer(c.kernel().sockets().accept(c.proc(), c.intArg(0), flags), a -> {
            TcpSocket child = (TcpSocket) a.file().file();
            boolean real = c.addressMode() && c.file(0).file() instanceof TcpSocket l && c.realStreams().carries(l);
            if (real) {
                // the real connection waits on the listening placeholder: accept it natively
                c.realStreams().beforeAccept((TcpSocket) c.file(0).file(), child);
                c.stop.setRegs(c.stop.regs().withNr(NR_ACCEPT4).withArg(1, 0).withArg(2, 0)
                        .withArg(3, flags & (SOCK_NONBLOCK | SOCK_CLOEXEC)));
            } else {
                placeholder(c, flags);
            }
            long addr = c.arg(1);
            long lenp = c.arg(2);
            return new HandlerResult.NativeThen(fd -> {
                if (fd < 0) {
                    return fd; // EMFILE...: the connection is lost, as when accept fails late
                }
                c.proc().fds().install((int) fd, a.file(), a.cloexec());
                if (real) {
                    c.realStreams().checkAccepted(child, c.thread.process.tgid, (int) fd);
                }
                if (addr != 0 && lenp != 0) {
                    writeAddress(c, addr, lenp, SocketAddresses.bytes(a.peer(), child.nameForm()));
                }
                return fd;
            });
        });
    }

    /** Writes a sockaddr_in (UDP sources: IPv4 only) truncated to *lenp, and sets *lenp to its full size. */
    static boolean writeAddress(Call c, long addr, long lenp, SockAddr a) {
        return writeAddress(c, addr, lenp, SocketAddresses.bytes(a, SockAddr.Form.IN));
    }

    /** Writes the sockaddr {@code full} truncated to *lenp, and sets *lenp to its full size. */
    private static boolean writeAddress(Call c, long addr, long lenp, byte[] full) {
        int len = c.readInt(lenp, -1);
        if (len < 0) {
            return false;
        }
        byte[] cut = java.util.Arrays.copyOf(full, Math.min(len, full.length));
        return c.write(addr, cut) && c.writeInt(lenp, full.length);
    }

    private static HandlerResult name(Call c, SysResult<SockAddr> r) {
        return c.answer(r, a -> {
            byte[] full = SocketAddresses.bytes(a,
                    c.proc().fds().get(c.intArg(0)).file() instanceof TcpSocket s ? s.nameForm() : SockAddr.Form.IN);
            return writeAddress(c, c.arg(1), c.arg(2), full) ? HandlerResult.done(0) : Call.fault();
        });
    }

    private static HandlerResult setOption(Call c) {
        int len = c.intArg(4);
        if (len < 0) {
            return HandlerResult.errno(EINVAL);
        }
        byte[] value = c.read(c.arg(3), Math.min(len, MAX_SOCKOPT));
        if (value == null) {
            return Call.fault();
        }
        return c.answer(c.kernel().sockets().setsockopt(c.proc(), c.intArg(0), c.intArg(1), c.intArg(2), value));
    }

    private static HandlerResult getOption(Call c) {
        int len = c.readInt(c.arg(4), Integer.MIN_VALUE);
        if (len == Integer.MIN_VALUE) {
            return Call.fault();
        }
        if (len < 0) {
            return HandlerResult.errno(EINVAL);
        }
        return c.answer(c.kernel().sockets().getsockopt(c.proc(), c.intArg(0), c.intArg(1), c.intArg(2)), v -> {
            byte[] cut = java.util.Arrays.copyOf(v, Math.min(len, v.length));
            return c.write(c.arg(3), cut) && c.writeInt(c.arg(4), cut.length) ? HandlerResult.done(0) : Call.fault();
        });
    }
}
