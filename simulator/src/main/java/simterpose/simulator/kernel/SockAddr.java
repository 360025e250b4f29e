package simterpose.simulator.kernel;

import static simterpose.bindings.Errno.EAFNOSUPPORT;
import static simterpose.bindings.Errno.EINVAL;

/**
 * An IPv4 socket address ({@code struct sockaddr_in}); a dual-stack AF_INET6 socket sees it as
 * a {@code struct sockaddr_in6}: on its IPv6 side 0.0.0.0 as :: and 127.0.0.1 as ::1 (the only
 * IPv6 addresses a simulated host has), others and everything on its IPv4 side IPv4-mapped
 * (::ffff:a.b.c.d).
 *
 * @param ip   IPv4 address, host byte order (10.0.0.1 is {@code 0x0A000001})
 * @param port 0–65535, host byte order
 */
public record SockAddr(int ip, int port) {
    public static final int ANY = 0;
    public static final int LOOPBACK = 0x7F000001;
    /** sizeof(struct sockaddr_in). */
    public static final int SIZE = 16;
    /** sizeof(struct sockaddr_in6). */
    public static final int SIZE6 = 28;

    public SockAddr {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    public static SockAddr of(String dottedQuad, int port) {
        return new SockAddr(Addresses.parse(dottedQuad), port);
    }

    /** 127.0.0.0/8: the host itself. */
    public boolean isLoopback() {
        return (ip >>> 24) == 127;
    }

    public boolean isAny() {
        return ip == ANY;
    }

    /**
     * Decodes the bytes a program passed to bind/connect: EINVAL if shorter than a
     * sockaddr_in, EAFNOSUPPORT if the family is not AF_INET.
     */
    public static SysResult<SockAddr> decode(byte[] raw) {
        if (raw.length < 2) {
            return SysResult.errno(EINVAL);
        }
        int family = (raw[0] & 0xFF) | (raw[1] & 0xFF) << 8;
        if (family != LinuxNet.AF_INET) {
            return SysResult.errno(EAFNOSUPPORT);
        }
        if (raw.length < SIZE) {
            return SysResult.errno(EINVAL);
        }
        int port = (raw[2] & 0xFF) << 8 | (raw[3] & 0xFF);
        int ip = (raw[4] & 0xFF) << 24 | (raw[5] & 0xFF) << 16 | (raw[6] & 0xFF) << 8 | (raw[7] & 0xFF);
        return SysResult.done(new SockAddr(ip, port));
    }

    /**
     * Decodes the sockaddr_in6 a program passed to bind/connect on an AF_INET6 socket: EINVAL if
     * too short, EAFNOSUPPORT if the family is not AF_INET6, {@code notIpv4} for an address with
     * no IPv4 meaning (the platform has no IPv6 hosts: connect says ENETUNREACH, bind
     * EADDRNOTAVAIL).
     */
    public static SysResult<SockAddr> decode6(byte[] raw, int notIpv4) {
        if (raw.length < 2) {
            return SysResult.errno(EINVAL);
        }
        int family = (raw[0] & 0xFF) | (raw[1] & 0xFF) << 8;
        if (family != LinuxNet.AF_INET6) {
            return SysResult.errno(EAFNOSUPPORT);
        }
        if (raw.length < 24) { // SIN6_LEN_RFC2133: Linux accepts it without the scope id
            return SysResult.errno(EINVAL);
        }
        int port = (raw[2] & 0xFF) << 8 | (raw[3] & 0xFF);
        boolean zeroTo9 = true;
        for (int i = 8; i < 18; i++) {
            zeroTo9 &= raw[i] == 0;
        }
        int last = (raw[20] & 0xFF) << 24 | (raw[21] & 0xFF) << 16 | (raw[22] & 0xFF) << 8 | (raw[23] & 0xFF);
        boolean zero10and11 = raw[18] == 0 && raw[19] == 0;
        if (zeroTo9 && zero10and11 && (last == 0 || last == 1)) {
            return SysResult.done(new SockAddr(last == 0 ? ANY : LOOPBACK, port)); // :: and ::1
        }
        if (zeroTo9 && raw[18] == (byte) 0xFF && raw[19] == (byte) 0xFF) {
            return SysResult.done(new SockAddr(last, port)); // ::ffff:a.b.c.d
        }
        return SysResult.errno(notIpv4);
    }

    /**
     * True when {@code raw}, a sockaddr_in6 that {@link #decode6} took, names an IPv6 address
     * (:: or ::1), not an IPv4-mapped one.
     */
    public static boolean ipv6Address(byte[] raw) {
        return raw.length >= 24 && !(raw[18] == (byte) 0xFF && raw[19] == (byte) 0xFF);
    }

    /** The 28 bytes of a sockaddr_in6 naming this address (see the class comment). */
    public byte[] encode6() {
        return encode6(false);
    }

    /**
     * The 28 bytes of a sockaddr_in6 naming this address: IPv4-mapped when {@code mapped} (as an
     * IPv4 connection of a dual-stack socket is named, ::ffff:127.0.0.1 included), else as in
     * the class comment.
     */
    public byte[] encode6(boolean mapped) {
        byte[] b = new byte[SIZE6];
        b[0] = (byte) LinuxNet.AF_INET6;
        b[2] = (byte) (port >>> 8);
        b[3] = (byte) port;
        if (ip == LOOPBACK && !mapped) {
            b[23] = 1;
        } else if (ip != ANY || mapped) {
            b[18] = (byte) 0xFF;
            b[19] = (byte) 0xFF;
            b[20] = (byte) (ip >>> 24);
            b[21] = (byte) (ip >>> 16);
            b[22] = (byte) (ip >>> 8);
            b[23] = (byte) ip;
        }
        return b;
    }

    /** The 16 bytes of a sockaddr_in (family little-endian, port and address in network order). */
    public byte[] encode() {
        byte[] b = new byte[SIZE];
        b[0] = (byte) LinuxNet.AF_INET;
        b[2] = (byte) (port >>> 8);
        b[3] = (byte) port;
        b[4] = (byte) (ip >>> 24);
        b[5] = (byte) (ip >>> 16);
        b[6] = (byte) (ip >>> 8);
        b[7] = (byte) ip;
        return b;
    }

    @Override
    public String toString() {
        return Addresses.format(ip) + ":" + port;
    }
}
