package simterpose.simulator.kernel;

import static simterpose.bindings.Errno.EAFNOSUPPORT;
import static simterpose.bindings.Errno.EINVAL;

/**
 * An IPv4 socket address ({@code struct sockaddr_in}).
 *
 * @param ip   IPv4 address, host byte order (10.0.0.1 is {@code 0x0A000001})
 * @param port 0–65535, host byte order
 */
public record SockAddr(int ip, int port) {
    public static final int ANY = 0;
    public static final int LOOPBACK = 0x7F000001;
    /** sizeof(struct sockaddr_in). */
    public static final int SIZE = 16;

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
