package simterpose.simulator.mediation.handlers;

import static simterpose.bindings.Errno.EAFNOSUPPORT;
import static simterpose.bindings.Errno.EINVAL;

import simterpose.simulator.kernel.SockAddr;
import simterpose.simulator.kernel.SysResult;
import simterpose.tracer.abi.Sockaddr;

/**
 * Socket addresses between a tracee's bytes and the kernel's {@link SockAddr} values. The bytes
 * are read and written through {@code tracer.abi.Sockaddr}, the one place that knows the layout
 * of sockaddr_in/in6/un (the trace printers use it too); here are only the checks Linux makes
 * of a given address for each call, and how a dual-stack socket maps the platform's IPv4
 * addresses into sockaddr_in6: 0.0.0.0 as ::, 127.0.0.1 as ::1 (the only IPv6 addresses a
 * simulated host has), every other one IPv4-mapped (::ffff:a.b.c.d). The virtual kernel never
 * sees a byte of a sockaddr.
 */
final class SocketAddresses {
    private SocketAddresses() {}

    /**
     * An address a program gave to bind or connect: the kernel's value, and whether it is an IPv6
     * one (:: or ::1 given to an AF_INET6 socket) rather than IPv4 or IPv4-mapped.
     */
    record Given(SockAddr address, boolean ipv6Address) {}

    /**
     * The address bytes given to bind/connect: on an AF_INET socket a sockaddr_in (EINVAL if
     * shorter, EAFNOSUPPORT for another family), on an AF_INET6 one a sockaddr_in6 (EINVAL if
     * shorter than its 24-byte RFC 2133 form, which Linux accepts without the scope id;
     * EAFNOSUPPORT for another family; {@code notIpv4} for an address with no IPv4 meaning: the
     * platform has no IPv6 hosts, so connect says ENETUNREACH and bind EADDRNOTAVAIL).
     */
    static SysResult<Given> given(byte[] raw, boolean ipv6Socket, int notIpv4) {
        if (raw.length < 2) {
            return SysResult.errno(EINVAL);
        }
        Sockaddr a = Sockaddr.decode(raw);
        if (!ipv6Socket) {
            if (a.family() != Sockaddr.AF_INET) {
                return SysResult.errno(EAFNOSUPPORT);
            }
            return raw.length < Sockaddr.In.SIZE ? SysResult.errno(EINVAL)
                    : SysResult.done(new Given(of((Sockaddr.In) a), false));
        }
        if (a.family() != Sockaddr.AF_INET6) {
            return SysResult.errno(EAFNOSUPPORT);
        }
        if (!(a instanceof Sockaddr.In6 in6)) {
            return SysResult.errno(EINVAL);
        }
        byte[] ip6 = in6.addr();
        boolean zeroTo9 = true;
        for (int i = 0; i < 10; i++) {
            zeroTo9 &= ip6[i] == 0;
        }
        int last = (ip6[12] & 0xFF) << 24 | (ip6[13] & 0xFF) << 16 | (ip6[14] & 0xFF) << 8 | (ip6[15] & 0xFF);
        if (zeroTo9 && ip6[10] == 0 && ip6[11] == 0 && (last == 0 || last == 1)) {
            return SysResult.done(new Given(new SockAddr(last == 0 ? SockAddr.ANY : SockAddr.LOOPBACK, in6.port()), true)); // :: and ::1
        }
        if (zeroTo9 && ip6[10] == (byte) 0xFF && ip6[11] == (byte) 0xFF) {
            return SysResult.done(new Given(new SockAddr(last, in6.port()), false)); // ::ffff:a.b.c.d
        }
        return SysResult.errno(notIpv4);
    }

    /**
     * A sendto/sendmsg destination, checked as udp_sendmsg does: shorter than a sockaddr_in is
     * EINVAL, a family other than AF_INET or AF_UNSPEC (read as AF_INET) EAFNOSUPPORT. (Port 0
     * is the UDP socket's own check.) A stream socket ignores it, errors included.
     */
    static SysResult<SockAddr> destination(byte[] raw) {
        if (raw.length < Sockaddr.In.SIZE) {
            return SysResult.errno(EINVAL);
        }
        int family = Sockaddr.decode(raw).family();
        return family == Sockaddr.AF_INET || family == Sockaddr.AF_UNSPEC ? SysResult.done(of(Sockaddr.In.decode(raw)))
                : SysResult.errno(EAFNOSUPPORT);
    }

    private static SockAddr of(Sockaddr.In in) {
        return new SockAddr(in.addr(), in.port());
    }

    /** The bytes of {@code a} as a socket of the given form names it (getsockname, accept, recvfrom...). */
    static byte[] bytes(SockAddr a, SockAddr.Form form) {
        if (form == SockAddr.Form.IN) {
            return new Sockaddr.In(a.port(), a.ip()).bytes();
        }
        boolean mapped = form == SockAddr.Form.IN6_MAPPED;
        byte[] ip6 = new byte[16];
        if (a.ip() == SockAddr.LOOPBACK && !mapped) {
            ip6[15] = 1;
        } else if (a.ip() != SockAddr.ANY || mapped) {
            ip6[10] = (byte) 0xFF;
            ip6[11] = (byte) 0xFF;
            ip6[12] = (byte) (a.ip() >>> 24);
            ip6[13] = (byte) (a.ip() >>> 16);
            ip6[14] = (byte) (a.ip() >>> 8);
            ip6[15] = (byte) a.ip();
        }
        return new Sockaddr.In6(a.port(), 0, ip6, 0).bytes();
    }
}
